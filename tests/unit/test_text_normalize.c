/*
 * test_text_normalize.c - step 1 of name analysis (emb_text_normalize): the golden file
 * tests/golden/normalize.tsv (case folding, look-alikes, invisible characters,
 * punctuation, diacritics, digits, other scripts), then invalid UTF-8, empty and huge
 * input, and that the output is appended.
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

static void norm_case(const char *in, const char *want, char *got, size_t size, void *ud) {
  (void)want;
  (void)ud;
  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb_text_normalize(in, strlen(in), &b), 0);
  snprintf(got, size, "%s", b.data ? b.data : "");
  emb__buf_fini(&b);
}

static void test_golden(void **state) {
  (void)state;
  size_t n = run_golden("tests/golden/normalize.tsv", norm_case, NULL);
  assert_true(n >= 60);
}

static char *norm(const char *s, size_t len) {
  static char out[1 << 17];
  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb_text_normalize(s, len, &b), 0);
  snprintf(out, sizeof out, "%s", b.data ? b.data : "");
  emb__buf_fini(&b);
  return out;
}

static void test_invalid_utf8(void **state) {
  (void)state;
  assert_string_equal(norm("Pu\xFFtin", 6), "putin");
  assert_string_equal(norm("\xC3", 1), ""); /* truncated sequence */
  assert_string_equal(norm("\xED\xA0\x80"
                           "abc",
                           6),
                      "abc");                     /* a surrogate */
  assert_string_equal(norm("\xC0\xAFx", 3), "x"); /* overlong slash */
  assert_string_equal(norm("\xD0\x9F\xD1\xFF\xD0\xB8", 6), "пи");
  assert_string_equal(norm("a\0b", 3), "a b"); /* NUL is a control */
}

static void test_empty_and_null(void **state) {
  (void)state;
  assert_string_equal(norm("", 0), "");
  assert_string_equal(norm(NULL, 5), "");
  assert_string_equal(norm(" .,;- ", 6), "");
  assert_string_equal(norm("\xE2\x80\x8B\xE2\x80\x8B", 6), ""); /* two zero-width spaces */
}

static void test_appends(void **state) {
  (void)state;
  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb__buf_puts(&b, "x|"), 0);
  assert_int_equal(emb_text_normalize("A B", 3, &b), 0);
  assert_string_equal(b.data, "x|a b");
  emb__buf_fini(&b);
}

static void test_huge_input(void **state) {
  (void)state;
  /* 200,000 bytes: only the first 65,535 are read, and the result stays bounded. */
  size_t n = 200000;
  char *s = malloc(n);
  assert_non_null(s);
  for (size_t i = 0; i < n; i++)
    s[i] = (i % 7 == 6) ? ' ' : 'a';
  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb_text_normalize(s, n, &b), 0);
  assert_true(b.len > 60000 && b.len <= 65535);
  emb__buf_fini(&b);
  /* compatibility characters that expand: U+FDFA is 18 code points under NFKC */
  for (size_t i = 0; i + 3 <= n; i += 3)
    memcpy(s + i, "\xEF\xB7\xBA", 3);
  emb__buf_init(&b, 0);
  assert_int_equal(emb_text_normalize(s, n - n % 3, &b), 0);
  assert_true(b.len > 0);
  emb__buf_fini(&b);
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_golden),         cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_empty_and_null), cmocka_unit_test(test_appends),
      cmocka_unit_test(test_huge_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
