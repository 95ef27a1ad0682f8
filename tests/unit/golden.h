/*
 * golden.h - the golden-file runner the text unit tests share. A golden file
 * (tests/golden/<name>.tsv) holds one case a line, input<TAB>expected, with the escapes
 * \t \\ \uXXXX \UXXXXXXXX in either column; empty lines and lines starting with '#' are
 * skipped. run_golden feeds every case to a function of the test and compares what it
 * wrote with the expected column, printing every mismatch as file:line and failing the
 * test at the end if any case failed.
 *
 * The functions are static, so that each test program (the Makefile builds every
 * tests/unit/test_*.c alone) takes its own copy and no link step changes. Include it
 * after <cmocka.h> and its prerequisites.
 */
#ifndef EMB_TESTS_GOLDEN_H
#define EMB_TESTS_GOLDEN_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

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

#endif /* EMB_TESTS_GOLDEN_H */
