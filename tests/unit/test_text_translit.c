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
#include "golden.h"
#include "text/analyze.h"

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
