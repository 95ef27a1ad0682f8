/*
 * test_text_phonetic.c - emb_phonetic_key: the golden file tests/golden/phonetic.tsv,
 * then the contract (uppercase and non-letters ignored, output bounded, NULL safe).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "text/analyze.h"
/* ------------------------------------------------------------ golden files */

/* Decodes the escapes of a golden-file column (\t \\ \uXXXX \UXXXXXXXX) in place. */
static void unescape(char *s) {
  char *o = s;
  while (*s) {
    if (s[0] == '\\' && s[1] == 't') {
      *o++ = '\t';
      s += 2;
    } else if (s[0] == '\\' && s[1] == '\\') {
      *o++ = '\\';
      s += 2;
    } else if (s[0] == '\\' && (s[1] == 'u' || s[1] == 'U')) {
      int nd = s[1] == 'u' ? 4 : 8;
      unsigned long cp = 0;
      int k = 0;
      for (; k < nd; k++) {
        char c = s[2 + k];
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0)
          break;
        cp = cp * 16 + (unsigned long)v;
      }
      if (k != nd) {
        *o++ = *s++;
        continue;
      }
      s += 2 + nd;
      if (cp < 0x80) {
        *o++ = (char)cp;
      } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
      } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
      }
    } else {
      *o++ = *s++;
    }
  }
  *o = '\0';
}

typedef void (*golden_fn)(const char *input, const char *expected, char *got, size_t size,
                          void *ud);

/*
 * Runs every case of a golden file through fn and compares; fails listing every
 * mismatch (file:line). Returns the number of cases, which the caller checks too.
 */
static size_t run_golden(const char *path, golden_fn fn, void *ud) {
  FILE *f = fopen(path, "r");
  if (!f)
    fail_msg("cannot open %s (run the tests from the repository root)", path);
  char line[8192], got[8192];
  size_t cases = 0, bad = 0, lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0] || line[0] == '#')
      continue;
    char *tab = strchr(line, '\t');
    if (!tab) {
      print_error("%s:%zu: no tab in a case line\n", path, lineno);
      bad++;
      continue;
    }
    *tab = '\0';
    char *in = line, *want = tab + 1;
    unescape(in);
    unescape(want);
    got[0] = '\0';
    fn(in, want, got, sizeof got, ud);
    cases++;
    if (strcmp(got, want) != 0) {
      print_error("%s:%zu: \"%s\" gave \"%s\", expected \"%s\"\n", path, lineno, in, got, want);
      bad++;
    }
  }
  fclose(f);
  if (bad)
    fail_msg("%zu of %zu cases in %s failed", bad, cases, path);
  return cases;
}

static void key_case(const char *in, const char *want, char *got, size_t size, void *ud) {
  (void)want;
  (void)ud;
  emb_phonetic_key(in, strlen(in), got, size);
}

static void test_golden(void **state) {
  (void)state;
  size_t n = run_golden("tests/golden/phonetic.tsv", key_case, NULL);
  assert_true(n >= 55);
}

static void test_contract(void **state) {
  (void)state;
  char k1[32], k2[32];
  emb_phonetic_key("MOHAMMED", 8, k1, sizeof k1);
  emb_phonetic_key("mohammed", 8, k2, sizeof k2);
  assert_string_equal(k1, k2);
  emb_phonetic_key("mo-ham med2", 11, k1, sizeof k1); /* non-letters are skipped */
  assert_string_equal(k1, k2);
  emb_phonetic_key("mohammed", 4, k1, sizeof k1); /* len, not NUL: "moha" */
  assert_string_equal(k1, "mha");
  char small[3];
  emb_phonetic_key("vladimir", 8, small, sizeof small); /* truncated to size - 1 */
  assert_string_equal(small, "fl");
  emb_phonetic_key(NULL, 4, k1, sizeof k1);
  assert_string_equal(k1, "");
  emb_phonetic_key("abc", 3, NULL, 0); /* no crash */
  char big[200];
  memset(big, 'k', sizeof big);
  emb_phonetic_key(big, sizeof big, k1, sizeof k1);
  assert_string_equal(k1, "k");
  /* every key is lowercase letters */
  const char *words[] = {"shchukin", "dzhokhar", "xiaoping", "tsvetkov", "ghani"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    emb_phonetic_key(words[i], strlen(words[i]), k1, sizeof k1);
    assert_true(k1[0] != '\0');
    for (const char *p = k1; *p; p++)
      assert_true(*p >= 'a' && *p <= 'z');
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_golden),
      cmocka_unit_test(test_contract),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
