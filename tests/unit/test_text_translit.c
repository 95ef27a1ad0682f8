/*
 * test_text_translit.c - steps 1-2 of name analysis (emb_text_to_latin): the golden
 * file tests/golden/translit.tsv (own tables for Cyrillic, Greek, Arabic, Hebrew,
 * Hangul; ICU for Han, kana, Armenian, Georgian, Indic, Thai), and that every
 * spelling of one name in names/putin_names.txt comes out as lowercase ASCII.
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

#ifndef EMB_TEST_DATA
#define EMB_TEST_DATA "/work/shared/data"
#endif

static emb_analyzer *an;

static int setup(void **state) {
  (void)state;
  emb_analyzer_opts o = emb_analyzer_opts_default();
  o.variants_path = ""; /* no variant table: the golden file does not depend on it */
  return emb_analyzer_new(&o, &an);
}

static int teardown(void **state) {
  (void)state;
  emb_analyzer_free(an);
  return 0;
}

static void latin_case(const char *in, const char *want, char *got, size_t size, void *ud) {
  (void)want;
  (void)ud;
  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb_text_to_latin(an, in, strlen(in), &b), 0);
  snprintf(got, size, "%s", b.data ? b.data : "");
  emb__buf_fini(&b);
}

static void test_golden(void **state) {
  (void)state;
  size_t n = run_golden("tests/golden/translit.tsv", latin_case, NULL);
  assert_true(n >= 65);
}

static void test_putin_ascii(void **state) {
  (void)state;
  FILE *f = fopen(EMB_TEST_DATA "/names/putin_names.txt", "r");
  assert_non_null(f);
  char line[1024];
  size_t lines = 0, empty = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (!line[0])
      continue;
    lines++;
    emb_buf b;
    emb__buf_init(&b, 0);
    assert_int_equal(emb_text_to_latin(an, line, strlen(line), &b), 0);
    if (!b.len)
      empty++;
    for (size_t i = 0; i < b.len; i++)
      if (!((b.data[i] >= 'a' && b.data[i] <= 'z') || (b.data[i] >= '0' && b.data[i] <= '9') ||
            b.data[i] == ' '))
        fail_msg("\"%s\" gave \"%s\": not lowercase ASCII", line, b.data);
    emb__buf_fini(&b);
  }
  fclose(f);
  assert_int_equal(lines, 81);
  /* Every spelling has one (Khmer through the own table: ICU has no Khmer-Latin). */
  assert_int_equal(empty, 0);
}

static void test_appends_and_args(void **state) {
  (void)state;
  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb__buf_puts(&b, "x|"), 0);
  assert_int_equal(emb_text_to_latin(an, "Юрий", strlen("Юрий"), &b), 0);
  assert_string_equal(b.data, "x|yuriy");
  assert_int_equal(emb_text_to_latin(NULL, "a", 1, &b), EMB_EINVAL);
  assert_int_equal(emb_text_to_latin(an, "a", 1, NULL), EMB_EINVAL);
  emb__buf_fini(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_golden),
      cmocka_unit_test(test_putin_ascii),
      cmocka_unit_test(test_appends_and_args),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
