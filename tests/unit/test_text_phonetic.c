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
#include "golden.h"
#include "text/analyze.h"

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
