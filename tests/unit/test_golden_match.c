/*
 * test_golden_match.c - the golden file tests/golden/match.tsv: pairs of names, each with
 * the range its score must fall in, compared through emb_compare_names() as the `compare`
 * command does. A linguist extends the file without writing C.
 *
 * Token weights come from a matcher built over the UN consolidated list of 2026-02-27.
 * Every case that falls outside its range is printed with the score and the explanation,
 * then the test fails. EMB_GOLDEN_VERBOSE=1 in the environment prints every score. The
 * file is read relative to the repository root, where `make unit` runs the tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "embargo.h"

#ifndef EMB_TEST_DATA
#define EMB_TEST_DATA "/work/shared/data"
#endif
#define UN EMB_TEST_DATA "/lists/un/consolidated-2026-02-27.xml"
#define GOLDEN "tests/golden/match.tsv"

static emb_entity_set *set;
static emb_matcher *matcher;
static emb_match_ctx *ctx;

static int setup(void **state) {
  (void)state;
  set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  int rc = emb_load(set, UN, &d);
  emb_diags_fini(&d);
  if (rc)
    return -1;
  emb_matcher_opts o = emb_matcher_opts_default();
  if (emb_matcher_new(set, &o, &matcher) || emb_match_ctx_new(matcher, &ctx))
    return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  emb_match_ctx_free(ctx);
  emb_matcher_free(matcher);
  emb_set_free(set);
  return 0;
}

/* Appends code point cp as UTF-8 at o; returns the new end. */
static char *put_utf8(char *o, unsigned long cp) {
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
  return o;
}

/* Decodes the escapes of a column (\t \\ \uXXXX \UXXXXXXXX) in place; the result is never
 * longer than the input. */
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
      int nd = s[1] == 'u' ? 4 : 8, k = 0;
      unsigned long cp = 0;
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
      if (k != nd || cp > 0x10FFFF) {
        *o++ = *s++;
        continue;
      }
      s += 2 + nd;
      o = put_utf8(o, cp);
    } else {
      *o++ = *s++;
    }
  }
  *o = '\0';
}

/* Parses a number in [0, 1]; false when the text is not one. */
static bool parse_bound(const char *s, double *out) {
  char *end;
  *out = strtod(s, &end);
  return end != s && *end == '\0' && *out >= 0.0 && *out <= 1.0;
}

/* Splits line at tabs into at most max fields; returns the count. */
static size_t split_tabs(char *line, char **f, size_t max) {
  size_t n = 0;
  f[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == '\t') {
      *p = '\0';
      f[n++] = p + 1;
    }
  return n;
}

static void test_golden(void **state) {
  (void)state;
  FILE *f = fopen(GOLDEN, "r");
  if (!f)
    fail_msg("cannot open %s (run the tests from the repository root)", GOLDEN);
  bool verbose = getenv("EMB_GOLDEN_VERBOSE") && *getenv("EMB_GOLDEN_VERBOSE") == '1';
  char line[8192];
  size_t cases = 0, bad = 0, low = 0, high = 0, lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0] || line[0] == '#')
      continue;
    char *fld[6];
    size_t nf = split_tabs(line, fld, 6);
    double lo, hi;
    if (nf != 5 || !parse_bound(fld[3], &lo) || !parse_bound(fld[4], &hi) || lo > hi) {
      print_error("%s:%zu: expected schema, name1, name2, min, max with 0 <= min <= max <= 1\n",
                  GOLDEN, lineno);
      bad++;
      continue;
    }
    emb_schema schema = EMB_SCHEMA_UNKNOWN;
    if (strcmp(fld[0], "-") != 0) {
      schema = emb_schema_parse(fld[0]);
      if (schema == EMB_SCHEMA_UNKNOWN) {
        print_error("%s:%zu: unknown schema \"%s\" (use \"-\" for none)\n", GOLDEN, lineno,
                    fld[0]);
        bad++;
        continue;
      }
    }
    unescape(fld[1]);
    unescape(fld[2]);
    double score;
    const char *expl;
    int rc = emb_compare_names(ctx, schema, fld[1], fld[2], &score, &expl);
    cases++;
    if (rc) {
      print_error("%s:%zu: emb_compare_names failed: %s\n", GOLDEN, lineno, emb_strerror(rc));
      bad++;
      continue;
    }
    bool ok = score >= lo && score <= hi;
    if (!ok || verbose)
      print_message("%s:%zu: %s %s \"%s\" / \"%s\" = %.4f, expected [%g, %g]\n%s%s%s", GOLDEN,
                    lineno, ok ? "ok" : "FAIL", fld[0], fld[1], fld[2], score, lo, hi,
                    ok ? "" : "    ", ok ? "" : expl, ok ? "" : "\n");
    if (!ok) {
      bad++;
      low += score < lo;
      high += score > hi;
    }
  }
  fclose(f);
  print_message("%s: %zu cases, %zu outside their range (%zu too low, %zu too high)\n", GOLDEN,
                cases, bad, low, high);
  assert_true(cases >= 40);
  if (bad)
    fail_msg("%zu of %zu cases in %s failed", bad, cases, GOLDEN);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_golden),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
