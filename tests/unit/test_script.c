/*
 * test_script.c - unit tests for script detection (text/script.c).
 *
 * One name per script, the rules for mixed text (majority, ties, Japanese kanji with
 * kana), what is not a letter, invalid UTF-8; then real data: the 81 spellings of one
 * name in names/putin_names.txt, counted per script, and the Arabic, Persian and
 * European-language aliases of the EU Financial Sanctions File excerpt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/script.h"

#define NAMES "/work/shared/data/names"
#define LISTS "/work/shared/data/lists"

static void check(const char *text, const char *want, int line) {
  const char *got = emb_script_detect(text, strlen(text));
  if (strcmp(got, want) != 0)
    fail_msg("line %d: \"%s\" gave %s, expected %s", line, text, got, want);
}
#define SCRIPT(text, want) check((text), (want), __LINE__)

static void test_each_script(void **state) {
  (void)state;
  SCRIPT("Vladimir Putin", "Latn");
  SCRIPT("Władimir Władimirowicz Putin", "Latn");
  SCRIPT("Nguyễn Tấn Dũng", "Latn");
  SCRIPT("Владимир Путин", "Cyrl");
  SCRIPT("Βλαντίμιρ Πούτιν", "Grek");
  SCRIPT("فلاديمير بوتين", "Arab");
  SCRIPT("ولادیمیر پوتین", "Arab"); /* Persian */
  SCRIPT("ولادیمیر پوٹن", "Arab");  /* Urdu */
  SCRIPT("ולדימיר פוטין", "Hebr");
  SCRIPT("Վլադիմիր Պուտին", "Armn");
  SCRIPT("ვლადიმერ პუტინი", "Geor");
  SCRIPT("弗拉基米尔·普京", "Hani");
  SCRIPT("블라디미르 푸틴", "Hang");
  SCRIPT("ウラジーミル・プーチン", "Kana");
  SCRIPT("ひらがな", "Kana");
  SCRIPT("วลาดีมีร์ ปูติน", "Thai");
  SCRIPT("व्लादिमीर पुतिन", "Deva");
  SCRIPT("ভ্লাদিমির পুতিন", "Beng");
  SCRIPT("ቭላዲሚር ፑቲን", "Ethi");
  SCRIPT("វ៉្លាឌីមៀរ ពូទីន", "Khmr");
  SCRIPT("ဗလာဒီမီယာ ပူတင်", "Mymr");
  SCRIPT("விளாதிமிர் பூட்டின்", "Taml");
  SCRIPT("ව්ලැඩිමීර් පුටින්", "Sinh");
  SCRIPT("ཝེ་ལ་ཌི་མིར", "Tibt");
  SCRIPT("ᠸᠯᠠᠳᠢᠮᠢᠷ", "Mong");
  SCRIPT("ವ್ಲಾದಿಮಿರ್ ಪುತಿನ್", "Knda");
}

static void test_mixed(void **state) {
  (void)state;
  /* Japanese: kanji with any kana is Jpan, even when the kanji are more. */
  SCRIPT("山田太郎たろう", "Jpan");
  SCRIPT("安倍晋三 あべ", "Jpan");
  SCRIPT("東京都 カ", "Jpan");
  /* Otherwise the majority wins, and a tie goes to the script seen first. */
  SCRIPT("Путин Vladimir Vladimirovich", "Latn");
  SCRIPT("PUTIN Владимир Владимирович", "Cyrl");
  SCRIPT("ab где", "Cyrl");
  SCRIPT("abc где", "Latn");
  SCRIPT("где abc", "Cyrl");
  /* Digits, punctuation, marks and symbols are not letters. */
  SCRIPT("", "Zyyy");
  SCRIPT("1965-01-12, №5 ★ ()", "Zyyy");
  SCRIPT("\xCC\x81\xCC\x81", "Zyyy"); /* combining acute accents alone */
  SCRIPT("A 1234567890", "Latn");
  SCRIPT("Влади́мир", "Cyrl"); /* a combining accent inside a Cyrillic word */
  /* A letter of a script the table does not know. */
  SCRIPT("ᏣᎳᎩ", "Zzzz"); /* Cherokee */
  /* Invalid UTF-8 bytes are skipped. */
  SCRIPT("\xFF\xFE\xC3", "Zyyy");
  SCRIPT("\xD0\x9F\xD1\xFF\xD0\xB8\xD0\xBD", "Cyrl");
  SCRIPT("\xE4\xB8", "Zyyy"); /* a truncated Han character */
  assert_string_equal(emb_script_detect(NULL, 5), "Zyyy");
  assert_string_equal(emb_script_detect("Путин", 0), "Zyyy");
  assert_string_equal(emb_script_detect("Ab\0Путин", 2), "Latn"); /* len, not NUL */
}

static void test_putin_names(void **state) {
  (void)state;
  FILE *f = fopen(NAMES "/putin_names.txt", "r");
  assert_non_null(f);
  static const char *const codes[] = {"Latn", "Cyrl", "Arab", "Grek", "Deva",
                                      "Hang", "Armn", "Beng", "Geor", "Hani",
                                      "Hebr", "Kana", "Khmr", "Knda", "Mymr"};
  static const int want[] = {42, 17, 7, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  enum { N = sizeof codes / sizeof codes[0] };
  int got[N] = {0};
  int lines = 0;
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (!line[0])
      continue;
    lines++;
    const char *s = emb_script_detect(line, strlen(line));
    int k = 0;
    while (k < N && strcmp(codes[k], s) != 0)
      k++;
    if (k == N)
      fail_msg("\"%s\" gave unexpected %s", line, s);
    got[k]++;
  }
  fclose(f);
  assert_int_equal(lines, 81); /* the last line has no newline */
  for (int k = 0; k < N; k++)
    if (got[k] != want[k])
      fail_msg("%s: %d names, expected %d", codes[k], got[k], want[k]);
}

static void test_eu_aliases(void **state) {
  (void)state;
  /* wholeName and nameLanguage of every nameAlias in the EU FSF excerpt. */
  FILE *f = fopen(LISTS "/eu/fsf-excerpt-2026-08-05.xml", "r");
  assert_non_null(f);
  char *xml = malloc(1 << 20);
  assert_non_null(xml);
  size_t n = fread(xml, 1, (1 << 20) - 1, f);
  fclose(f);
  xml[n] = '\0';
  int total = 0, arab = 0, latn = 0;
  for (char *p = strstr(xml, "<nameAlias "); p; p = strstr(p + 1, "<nameAlias ")) {
    char *w = strstr(p, "wholeName=\"");
    char *l = strstr(p, "nameLanguage=\"");
    char *end = strchr(p, '>');
    assert_true(w && l && end && w < end && l < end);
    w += 11;
    l += 14;
    size_t wn = strcspn(w, "\"");
    const char *s = emb_script_detect(w, wn);
    total++;
    if (strncmp(l, "AR\"", 3) == 0 || strncmp(l, "FA\"", 3) == 0) {
      if (strcmp(s, "Arab") != 0)
        fail_msg("\"%.*s\" gave %s, expected Arab", (int)wn, w, s);
      arab++;
    } else {
      /* Every other alias in the file is in a European language. */
      if (strcmp(s, "Latn") != 0)
        fail_msg("\"%.*s\" gave %s, expected Latn", (int)wn, w, s);
      latn++;
    }
  }
  free(xml);
  assert_int_equal(total, 45);
  assert_true(arab >= 3);
  assert_int_equal(latn, total - arab);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_each_script),
      cmocka_unit_test(test_mixed),
      cmocka_unit_test(test_putin_names),
      cmocka_unit_test(test_eu_aliases),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
