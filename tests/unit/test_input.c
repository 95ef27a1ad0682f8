/*
 * test_input.c - the input layer: plain, gzip and zip streams, peeking, truncation,
 * the line reader, fingerprints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"

#define LISTS EMB_TEST_DATA "/lists"

/* Reads the whole stream; returns the byte count and the last rc. */
static size_t drain(emb_input *in, int *rc_out) {
  static char buf[65536];
  size_t total = 0, got = 0;
  int rc;
  while ((rc = emb__input_read(in, buf, sizeof(buf), &got)) == 0 && got)
    total += got;
  *rc_out = rc;
  return total;
}

static void test_gzip_and_peek(void **state) {
  (void)state;
  emb_input *in = NULL;
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__input_open(LISTS "/us/csl-2022-05.csv.gz", &in, &d), 0);
  assert_int_equal(emb__input_kind(in), EMB_INPUT_GZIP);
  const unsigned char *p;
  size_t n;
  assert_int_equal(emb__input_peek(in, 16, &p, &n), 0);
  assert_int_equal(n, 16);
  assert_memory_equal(p, "_id,source,entit", 16);
  /* Peeked bytes are still delivered by read. */
  char first[4];
  size_t got;
  assert_int_equal(emb__input_read(in, first, 4, &got), 0);
  assert_memory_equal(first, "_id,", 4);
  int rc;
  size_t total = drain(in, &rc) + 4;
  assert_int_equal(rc, 0);
  assert_true(total > 5 * 1000 * 1000); /* the CSL decompresses to several MB */
  char hex[65];
  assert_int_equal(emb__input_sha256(in, hex), 0);
  assert_int_equal(strlen(hex), 64);
  emb__input_close(in);
  assert_int_equal(d.n_errors, 0);
  emb_diags_fini(&d);
}

static void test_truncated_gzip(void **state) {
  (void)state;
  FILE *f = fopen(LISTS "/us/csl-2022-05.csv.gz", "rb");
  assert_non_null(f);
  static unsigned char data[300000];
  size_t n = fread(data, 1, sizeof(data), f);
  fclose(f);
  assert_int_equal(n, sizeof(data));
  emb_input *in = NULL;
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__input_open_mem(data, n, "cut.csv.gz", &in, &d), 0);
  int rc;
  size_t total = drain(in, &rc);
  assert_int_equal(rc, EMB_ETRUNCATED);
  assert_true(total > n); /* what was there was decompressed */
  assert_int_equal(d.n_errors, 1);
  assert_string_equal(d.items[0].file, "cut.csv.gz");
  emb__input_close(in);
  emb_diags_fini(&d);
}

static void test_zip_member(void **state) {
  (void)state;
  emb_input *in = NULL;
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__input_open(LISTS "/ofac/xml/cons-enhanced-2025-01-10.zip", &in, &d), 0);
  assert_int_equal(emb__input_kind(in), EMB_INPUT_ZIP);
  assert_non_null(strchr(emb__input_name(in), '!'));
  const unsigned char *p;
  size_t n;
  assert_int_equal(emb__input_peek(in, 5, &p, &n), 0);
  assert_true(n == 5 && (memcmp(p, "<?xml", 5) == 0 || (p[0] == 0xEF && p[1] == 0xBB)));
  int rc;
  assert_true(drain(in, &rc) > 1000000);
  assert_int_equal(rc, 0);
  emb__input_close(in);
  emb_diags_fini(&d);
}

static void test_missing_and_directory(void **state) {
  (void)state;
  emb_input *in = NULL;
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__input_open("/nonexistent/file.csv", &in, &d), EMB_EIO);
  assert_null(in);
  assert_int_equal(emb__input_open(LISTS "/ofac", &in, &d), EMB_EIO);
  assert_int_equal(d.n_errors, 2);
  assert_string_equal(d.items[0].file, "/nonexistent/file.csv");
  assert_true(emb__is_directory(LISTS "/ofac"));
  /* A zip that is not a zip after its magic is an error, not a crash. */
  assert_int_equal(emb__input_open_mem("PK\3\4garbage", 11, "x.zip", &in, &d), EMB_EFORMAT);
  emb_diags_fini(&d);
}

static void test_lines(void **state) {
  (void)state;
  const char *text = "one\r\ntwo\rthree\n\nfour-is-too-long\nfive";
  emb_input *in = NULL;
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__input_open_mem(text, strlen(text), "t.txt", &in, &d), 0);
  emb_lines *r = NULL;
  assert_int_equal(emb__lines_new(in, 8, &d, &r), 0);
  const char *line;
  size_t len;
  unsigned long no;
  const char *want[] = {"one", "two", "three", "", "five"};
  unsigned long want_no[] = {1, 2, 3, 4, 6};
  for (int i = 0; i < 5; i++) {
    assert_int_equal(emb__lines_next(r, &line, &len, &no), 1);
    assert_string_equal(line, want[i]);
    assert_int_equal(no, want_no[i]);
  }
  assert_int_equal(emb__lines_next(r, &line, &len, &no), 0);
  assert_int_equal(d.n_errors, 1);
  assert_int_equal(d.items[0].line, 5);
  emb__lines_free(r);
  emb__input_close(in);
  emb_diags_fini(&d);
}

/* A byte order mark is dropped from the first line only; a lone mark is an empty line. */
static void test_lines_bom(void **state) {
  (void)state;
  const char *texts[] = {"\xEF\xBB\xBFid\tx\n\xEF\xBB\xBFkept", "\xEF\xBB\xBF"};
  const char *first[] = {"id\tx", ""};
  for (int k = 0; k < 2; k++) {
    emb_input *in = NULL;
    emb_diags d;
    emb_diags_init(&d);
    assert_int_equal(emb__input_open_mem(texts[k], strlen(texts[k]), "t.txt", &in, &d), 0);
    emb_lines *r = NULL;
    assert_int_equal(emb__lines_new(in, 64, &d, &r), 0);
    const char *line;
    size_t len;
    unsigned long no;
    assert_int_equal(emb__lines_next(r, &line, &len, &no), 1);
    assert_int_equal(no, 1);
    assert_int_equal(len, strlen(first[k]));
    assert_string_equal(line, first[k]);
    if (k == 0) {
      assert_int_equal(emb__lines_next(r, &line, &len, &no), 1);
      assert_int_equal(len, 7);
      assert_memory_equal(line, "\xEF\xBB\xBFkept", 7);
    }
    assert_int_equal(emb__lines_next(r, &line, &len, &no), 0);
    emb__lines_free(r);
    emb__input_close(in);
    emb_diags_fini(&d);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gzip_and_peek), cmocka_unit_test(test_truncated_gzip),
      cmocka_unit_test(test_zip_member),    cmocka_unit_test(test_missing_and_directory),
      cmocka_unit_test(test_lines),         cmocka_unit_test(test_lines_bom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
