/*
 * test_date.c - unit tests for the date parser (lists/date.c).
 *
 * Every form date.h promises is checked by value through emb_date_format ("1965",
 * "1965-01", "1965-01-12", "~1965", "1960/1962"); impossible dates are refused; the
 * day/month order follows the caller; lists split as the sources write them. The real
 * files are parsed in full: the UK ConList DOB column (11,447 dates: 7,456 days, 191
 * months, 3,800 years), the CSL dates_of_birth (5,859 dates in 5,149 rows) and the
 * DOB remarks of OFAC's sdn.csv must parse without a single failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/input.h"
#include "embargo.h"
#include "lists/date.h"

#define DATA "/work/shared/data/lists"

/* Parses text and returns its formatted form, or "ERR". */
static const char *fmt(const char *text, emb_date_order order) {
  static char buf[64];
  emb_date d;
  if (emb__date_parse(text, strlen(text), order, &d) != 0)
    return "ERR";
  emb_date_format(&d, buf, sizeof buf);
  return buf;
}

static void check(const char *text, emb_date_order order, const char *want, int line) {
  const char *got = fmt(text, order);
  if (strcmp(got, want) != 0)
    fail_msg("line %d: \"%s\" gave %s, expected %s", line, text, got, want);
}

#define DMY(text, want) check((text), EMB_DATE_ORDER_DMY, (want), __LINE__)
#define MDY(text, want) check((text), EMB_DATE_ORDER_MDY, (want), __LINE__)

static void test_header_forms(void **state) {
  (void)state;
  DMY("1965", "1965");
  DMY("1965-01", "1965-01");
  DMY("1965-01-12", "1965-01-12");
  DMY("1965/01/12", "1965-01-12");
  DMY("12 Jan 1965", "1965-01-12");
  DMY("12 January 1965", "1965-01-12");
  DMY("Jan 1965", "1965-01");
  DMY("January 12, 1965", "1965-01-12");
  DMY("12.01.1965", "1965-01-12");
  DMY("12/01/1965", "1965-01-12");
  MDY("01/12/1965", "1965-01-12");
  DMY("00/00/1965", "1965");
  DMY("1965-00-00", "1965");
  DMY("circa 1965", "~1965");
  DMY("ca. 1965", "~1965");
  DMY("c. 1965", "~1965");
  DMY("approximately 1965", "~1965");
  DMY("about 1965", "~1965");
  DMY("1960 to 1962", "1960/1962");
  DMY("1960-1962", "1960/1962");
  DMY("between 1960 and 1962", "1960/1962");
  DMY("1965 (approx.)", "~1965");
  DMY("  1965-01-12 \t", "1965-01-12");
}

static void test_source_forms(void **state) {
  (void)state;
  /* OFAC remarks. */
  DMY("12 Jan 1965", "1965-01-12");
  DMY("circa 1958", "~1958");
  DMY("01 Jan 1960 to 31 Dec 1962", "1960/1962");
  DMY("01 Jan 1934 to 31 Dec 1934", "1934");    /* the whole year */
  DMY("01 Feb 1960 to 29 Feb 1960", "1960-02"); /* the whole month */
  DMY("Mar 1960 to Mar 1962", "1960/1962");
  DMY("alt. DOB 1966", "1966");
  DMY("Dec 1958", "1958-12");
  DMY("1966.", "1966");
  /* UK: unknown parts as zeros. */
  DMY("00/06/1965", "1965-06");
  DMY("06/1965", "1965-06");
  DMY("12/00/1965", "1965"); /* a day without a month says nothing */
  /* UN xs:date with a time zone, FtM and OFAC timestamps. */
  DMY("1966-02-02-05:00", "1966-02-02");
  DMY("1966-02-02Z", "1966-02-02");
  DMY("2024-03-14T11:31:42", "2024-03-14");
  DMY("2022-12-09 00:00:00", "2022-12-09");
  /* DPL, month first. */
  MDY("06/19/2003", "2003-06-19");
  /* EU journal: single-digit day and month, qualifiers, remarks. */
  DMY("9.3.1965", "1965-03-09");
  DMY("possibly 12.3.1965", "1965-03-12");
  DMY("1964 (possibly: 21 April)", "1964");
  DMY("March 1965", "1965-03");
  DMY("March/April 1965", "1965");
  DMY("12-Jan-1965", "1965-01-12");
  DMY("12th January 1965", "1965-01-12");
  DMY("Jan. 12, 1965", "1965-01-12");
  DMY("1965 Jan 12", "1965-01-12");
  DMY("~1965", "~1965");
  DMY("1960/1962", "1960/1962");
  DMY("circa 1960 to 1962", "~1960/1962");
  DMY("1960 \xE2\x80\x93 1962", "1960/1962"); /* en dash */
  DMY("from 1960 to 1962", "1960/1962");
  DMY("Sept 1965", "1965-09");
}

static void test_validation(void **state) {
  (void)state;
  DMY("29 Feb 1964", "1964-02-29");
  DMY("29 Feb 1965", "ERR");
  DMY("29/02/1900", "ERR"); /* not a leap year */
  DMY("29/02/2000", "2000-02-29");
  DMY("31 Apr 1965", "ERR");
  DMY("32 Jan 1965", "ERR");
  DMY("1965-13-01", "ERR");
  DMY("1965-01-32", "ERR");
  DMY("0999", "ERR");
  DMY("2101", "ERR");
  DMY("1000", "1000");
  DMY("2100-12-31", "2100-12-31");
  DMY("0097-06-30", "ERR"); /* CSL start_date typo */
  DMY("3033-09-30", "ERR"); /* DPL Last_Update typo */
  DMY("12/01/65", "ERR");   /* two-digit years are ambiguous */
  DMY("1962 to 1960", "ERR");
  DMY("Jan", "ERR");
  DMY("12 October (year unknown)", "ERR");
  DMY("", "ERR");
  DMY("   ", "ERR");
  DMY("abc", "ERR");
  DMY("1965-1", "1965-01");
  DMY("1965-66", "ERR");
  DMY("12 Jan 1965 Moscow", "ERR");
  DMY("12\xC3\xA9 Jan 1965", "ERR");
  emb_date d;
  assert_int_equal(emb__date_parse(NULL, 4, EMB_DATE_ORDER_DMY, &d), EMB_EINVAL);
  assert_int_equal(emb__date_parse("1965", 4, EMB_DATE_ORDER_DMY, NULL), EMB_EINVAL);
  assert_int_equal(emb__date_parse("1965-01-12", 4, EMB_DATE_ORDER_DMY, &d), 0); /* len */
  assert_int_equal(d.year, 1965);
  assert_int_equal(d.precision, EMB_DATE_YEAR);
  char big[400];
  memset(big, '1', sizeof big);
  assert_int_equal(emb__date_parse(big, sizeof big, EMB_DATE_ORDER_DMY, &d), EMB_EFORMAT);
}

static void test_order(void **state) {
  (void)state;
  DMY("01/12/1965", "1965-12-01");
  MDY("01/12/1965", "1965-01-12");
  DMY("06/19/2003", "2003-06-19"); /* DMY cannot be: month 19 */
  MDY("19/06/2003", "2003-06-19");
  MDY("12.01.1965", "1965-01-12"); /* dots are always day first */
  DMY("13/13/1965", "ERR");
}

static void test_fields(void **state) {
  (void)state;
  emb_date d;
  assert_int_equal(emb__date_parse("circa 12 Jan 1965", 17, EMB_DATE_ORDER_DMY, &d), 0);
  assert_int_equal(d.year, 1965);
  assert_int_equal(d.month, 1);
  assert_int_equal(d.day, 12);
  assert_int_equal(d.precision, EMB_DATE_DAY);
  assert_true(d.circa);
  assert_int_equal(d.year_to, 0);
  assert_int_equal(emb__date_parse("between 1960 and 1962", 21, EMB_DATE_ORDER_DMY, &d), 0);
  assert_int_equal(d.year, 1960);
  assert_int_equal(d.year_to, 1962);
  assert_int_equal(d.precision, EMB_DATE_YEAR);
  assert_false(d.circa);
  assert_int_equal(emb__date_parse("Jan 1965", 8, EMB_DATE_ORDER_DMY, &d), 0);
  assert_int_equal(d.precision, EMB_DATE_MONTH);
  assert_int_equal(d.day, 0);
  /* A failed parse leaves an empty date. */
  d.year = 7;
  assert_int_equal(emb__date_parse("x", 1, EMB_DATE_ORDER_DMY, &d), EMB_EFORMAT);
  assert_int_equal(d.year, 0);
  assert_int_equal(d.precision, EMB_DATE_NONE);
}

static void test_round_trip(void **state) {
  (void)state;
  /* What emb_date_format writes, the parser reads back unchanged. */
  static const char *const texts[] = {"1965",        "1965-01",   "1965-01-12", "~1965",
                                      "~1965-01-12", "1960/1962", "~1960/1962", "2000-02-29",
                                      "1000",        "2100"};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    emb_date a, b;
    char buf[64];
    assert_int_equal(emb__date_parse(texts[i], strlen(texts[i]), EMB_DATE_ORDER_DMY, &a), 0);
    emb_date_format(&a, buf, sizeof buf);
    assert_string_equal(buf, texts[i]);
    assert_int_equal(emb__date_parse(buf, strlen(buf), EMB_DATE_ORDER_MDY, &b), 0);
    assert_memory_equal(&a, &b, sizeof a);
  }
}

/* ---------------------------------------------------------------- lists */

typedef struct collect {
  char out[512];
  int n;
} collect;

static void on_date(const emb_date *d, void *ud) {
  collect *c = ud;
  char buf[32];
  emb_date_format(d, buf, sizeof buf);
  if (c->n++)
    strcat(c->out, ",");
  strcat(c->out, buf);
}

static void check_list(const char *text, emb_date_order order, const char *want, int want_bad,
                       int line) {
  collect c = {.n = 0};
  c.out[0] = '\0';
  int bad = emb__date_parse_list(text, strlen(text), order, on_date, &c);
  if (strcmp(c.out, want) != 0 || bad != want_bad)
    fail_msg("line %d: \"%s\" gave \"%s\" (%d bad), expected \"%s\" (%d bad)", line, text, c.out,
             bad, want, want_bad);
}

#define LIST(text, want, bad) check_list((text), EMB_DATE_ORDER_DMY, (want), (bad), __LINE__)

static void test_lists(void **state) {
  (void)state;
  LIST("12 Jan 1965; 3 Feb 1966", "1965-01-12,1966-02-03", 0);
  LIST("1965-01-12; 1966", "1965-01-12,1966", 0); /* CSL */
  LIST("1955; circa 1952", "1955,~1952", 0);      /* CSL */
  LIST("1951 to 1953; 1960 to 1962; 1961-04-01; 1953", "1951/1953,1960/1962,1961-04-01,1953", 0);
  LIST("12 Jan 1965; alt. DOB 1966", "1965-01-12,1966", 0); /* OFAC remarks */
  LIST("1.1.1970 or 8.7.1963", "1970-01-01,1963-07-08", 0); /* EU journal */
  LIST("10.2.1983 (or 10.3.1983)", "1983-02-10,1983-03-10", 0);
  LIST("20.5.1972 or 30.5.1972 or 20.12.1955", "1972-05-20,1972-05-30,1955-12-20", 0);
  LIST("20.8.1963 POB: Tokmak, Kirghiz SSR, former USSR (now Kyrgyzstan) Nationality: Russian",
       "1963-08-20", 0);
  LIST("9.9.1999 Gender: female", "1999-09-09", 0);
  LIST("1965, 1966", "1965,1966", 0);
  LIST("January 12, 1965", "1965-01-12", 0);
  LIST("N/D", "", 0);
  LIST("1965; ; 1966;", "1965,1966", 0);
  LIST("28 September; (year unknown)", "", 2);
  LIST("30.6.1980; Leningrad, USSR (now St. Petersburg, Russian Federation)", "1980-06-30", 1);
  LIST("1965\n1966|1967", "1965,1966,1967", 0);
  LIST("", "", 0);
  assert_int_equal(emb__date_parse_list(NULL, 5, EMB_DATE_ORDER_DMY, on_date, NULL), 0);
  /* A NULL callback only counts. */
  assert_int_equal(emb__date_parse_list("1965; x", 7, EMB_DATE_ORDER_DMY, NULL, NULL), 1);
}

/* ---------------------------------------------------------------- real files */

typedef struct tally {
  size_t n, day, month, year, circa, range;
} tally;

static void count_date(const emb_date *d, void *ud) {
  tally *t = ud;
  t->n++;
  t->day += d->precision == EMB_DATE_DAY;
  t->month += d->precision == EMB_DATE_MONTH;
  t->year += d->precision == EMB_DATE_YEAR;
  t->circa += d->circa;
  t->range += d->year_to > 0;
}

/* Parses one column of a CSV file as date lists; returns the number of bad parts. */
static int scan_column(const char *path, int header_line, const char *col, emb_date_order order,
                       tally *t, size_t *rows) {
  emb_diags diags;
  emb_diags_init(&diags);
  emb_input *in = NULL;
  assert_int_equal(emb__input_open(path, &in, &diags), 0);
  emb_csv_opts o = emb__csv_opts_default();
  emb_csv *csv = NULL;
  assert_int_equal(emb__csv_new(in, &o, &diags, &csv), 0);
  emb_csv_row row;
  for (int i = 0; i < header_line; i++)
    assert_int_equal(emb__csv_next(csv, &row), 1);
  int c = emb__csv_col(&row, col);
  assert_true(c >= 0);
  int bad = 0;
  *rows = 0;
  while (emb__csv_next(csv, &row) == 1) {
    if ((size_t)c >= row.count || row.lens[c] == 0)
      continue;
    (*rows)++;
    int b = emb__date_parse_list(row.fields[c], row.lens[c], order, count_date, t);
    if (b && bad < 5)
      print_message("not parsed: \"%s\"\n", row.fields[c]);
    bad += b;
  }
  emb__csv_free(csv);
  emb__input_close(in);
  emb_diags_fini(&diags);
  return bad;
}

static void test_uk_conlist(void **state) {
  (void)state;
  tally t = {0};
  size_t rows;
  assert_int_equal(
      scan_column(DATA "/uk/ConList-2023-06-05.csv.gz", 2, "DOB", EMB_DATE_ORDER_DMY, &t, &rows),
      0);
  assert_int_equal(rows, 11447);
  assert_int_equal(t.n, 11447);
  assert_int_equal(t.day, 7456);
  assert_int_equal(t.month, 191); /* 00/mm/yyyy and mm/yyyy */
  assert_int_equal(t.year, 3800); /* 00/00/yyyy and yyyy */
}

static void test_csl(void **state) {
  (void)state;
  tally t = {0};
  size_t rows;
  assert_int_equal(scan_column(DATA "/us/csl-2022-05.csv.gz", 1, "dates_of_birth",
                               EMB_DATE_ORDER_MDY, &t, &rows),
                   0);
  assert_int_equal(rows, 5149);
  assert_int_equal(t.n, 5859);
  assert_int_equal(t.day, 4741);
  assert_int_equal(t.circa, 75);
  assert_int_equal(t.range, 57);
  assert_int_equal(t.year, 5859 - 4741);
}

static void test_dpl(void **state) {
  (void)state;
  tally t = {0};
  size_t rows;
  assert_int_equal(scan_column(DATA "/us/bis-dpl-2023-11.txt", 1, "Effective_Date",
                               EMB_DATE_ORDER_MDY, &t, &rows),
                   0);
  assert_true(rows > 600);
  assert_int_equal(t.day, rows);
}

static void test_ofac_remarks(void **state) {
  (void)state;
  /* Every "DOB ..." in the remarks of the 2021 SDN file, up to the next ';'. */
  emb_diags diags;
  emb_diags_init(&diags);
  emb_input *in = NULL;
  assert_int_equal(emb__input_open(DATA "/ofac/sdn-2021-07/sdn.csv", &in, &diags), 0);
  emb_csv_opts o = emb__csv_opts_default();
  emb_csv *csv = NULL;
  assert_int_equal(emb__csv_new(in, &o, &diags, &csv), 0);
  emb_csv_row row;
  size_t found = 0, parsed = 0, ranges = 0, circa = 0;
  while (emb__csv_next(csv, &row) == 1) {
    if (row.count < 12)
      continue;
    const char *r = row.fields[11];
    for (const char *p = strstr(r, "DOB "); p; p = strstr(p + 4, "DOB ")) {
      const char *s = p + 4;
      size_t n = strcspn(s, ";");
      while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
        n--;
      found++;
      emb_date d;
      if (emb__date_parse(s, n, EMB_DATE_ORDER_DMY, &d) == 0) {
        parsed++;
        ranges += d.year_to > 0;
        circa += d.circa;
      } else {
        print_message("not parsed: \"%.*s\"\n", (int)n, s);
      }
    }
  }
  emb__csv_free(csv);
  emb__input_close(in);
  emb_diags_fini(&diags);
  assert_int_equal(found, 5125);
  assert_int_equal(parsed, found);
  assert_true(ranges > 50);
  assert_true(circa > 50);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_header_forms), cmocka_unit_test(test_source_forms),
      cmocka_unit_test(test_validation),   cmocka_unit_test(test_order),
      cmocka_unit_test(test_fields),       cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_lists),        cmocka_unit_test(test_uk_conlist),
      cmocka_unit_test(test_csl),          cmocka_unit_test(test_dpl),
      cmocka_unit_test(test_ofac_remarks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
