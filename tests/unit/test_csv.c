/*
 * test_csv.c - unit tests for the streaming CSV reader (core/csv.c) and the UTF-8 and
 * Windows-1252 helpers it relies on (core/utf8.c).
 *
 * Small inputs are read from memory through emb__input_open_mem(); the real lists in
 * /work/shared/data check the reader against files as published: OFAC's sdn.csv
 * (8,976 records of 12 fields, CRLF, trailing 0x1A) and an OFSI ConList excerpt written
 * in Windows-1252 with a header one column wider than its rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/input.h"
#include "embargo.h"

#define DATA "/work/shared/data/lists"

/* A reader over a memory buffer together with its diagnostics. */
typedef struct fx {
  emb_input *in;
  emb_csv *csv;
  emb_diags diags;
} fx;

static void fx_open_n(fx *f, const char *data, size_t n, const emb_csv_opts *o) {
  emb_diags_init(&f->diags);
  assert_int_equal(emb__input_open_mem(data, n, "mem.csv", &f->in, &f->diags), 0);
  assert_int_equal(emb__csv_new(f->in, o, &f->diags, &f->csv), 0);
}

static void fx_open(fx *f, const char *data, const emb_csv_opts *o) {
  fx_open_n(f, data, strlen(data), o);
}

static void fx_open_file(fx *f, const char *path, const emb_csv_opts *o) {
  emb_diags_init(&f->diags);
  assert_int_equal(emb__input_open(path, &f->in, &f->diags), 0);
  assert_int_equal(emb__csv_new(f->in, o, &f->diags, &f->csv), 0);
}

static void fx_close(fx *f) {
  emb__csv_free(f->csv);
  emb__input_close(f->in);
  emb_diags_fini(&f->diags);
}

/* Reads the next record and checks its fields against a NULL-terminated list. */
static void expect_row(fx *f, unsigned long line, unsigned long end_line, bool bad, ...) {
  emb_csv_row row;
  assert_int_equal(emb__csv_next(f->csv, &row), 1);
  assert_int_equal(row.line, line);
  assert_int_equal(row.end_line, end_line);
  assert_int_equal(row.bad, bad);
  va_list ap;
  va_start(ap, bad);
  size_t i = 0;
  for (const char *want; (want = va_arg(ap, const char *)) != NULL; i++) {
    assert_true(i < row.count);
    assert_string_equal(row.fields[i], want);
    assert_int_equal(row.lens[i], strlen(want));
  }
  va_end(ap);
  assert_int_equal(row.count, i);
}

static void expect_end(fx *f) {
  emb_csv_row row;
  assert_int_equal(emb__csv_next(f->csv, &row), 0);
  assert_int_equal(emb__csv_next(f->csv, &row), 0); /* stays at the end */
}

static const emb_diag *find_diag(const fx *f, emb_severity sev, int code) {
  for (size_t i = 0; i < f->diags.count; i++)
    if (f->diags.items[i].severity == sev && f->diags.items[i].code == code)
      return &f->diags.items[i];
  return NULL;
}

/* ----------------------------------------------------------------- utf8 */

static void test_utf8_check(void **state) {
  (void)state;
  assert_int_equal(emb__utf8_check("plain", 5), 5);
  assert_int_equal(emb__utf8_check("\xE2\x82\xAC", 3), 3);       /* U+20AC */
  assert_int_equal(emb__utf8_check("a\xF0\x9F\x98\x80z", 6), 6); /* U+1F600 */
  assert_int_equal(emb__utf8_check("\xF4\x8F\xBF\xBF", 4), 4);   /* U+10FFFF */
  assert_int_equal(emb__utf8_check("ab\xC0\x80", 4), 2);         /* overlong NUL */
  assert_int_equal(emb__utf8_check("\xE0\x80\xAF", 3), 0);       /* overlong '/' */
  assert_int_equal(emb__utf8_check("\xF0\x80\x80\xAF", 4), 0);   /* overlong */
  assert_int_equal(emb__utf8_check("x\xED\xA0\x80", 4), 1);      /* surrogate D800 */
  assert_int_equal(emb__utf8_check("\xF4\x90\x80\x80", 4), 0);   /* above U+10FFFF */
  assert_int_equal(emb__utf8_check("abc\xE2\x82", 5), 3);        /* cut short */
  assert_int_equal(emb__utf8_check("\x80", 1), 0);               /* lone continuation */
  assert_int_equal(emb__utf8_check("\xC3(", 2), 0);              /* bad continuation */
  assert_int_equal(emb__utf8_check("\xFF", 1), 0);
  assert_int_equal(emb__utf8_check("a\0b", 3), 1); /* NUL refused */
  assert_int_equal(emb__utf8_check("", 0), 0);
}

static void test_cp1252(void **state) {
  (void)state;
  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb__cp1252_to_utf8("A\x80\x92\xE9\xB4\x9F\x81\x8D\x8F\x90\x9D", 11, &b), 0);
  assert_string_equal(emb__buf_str(&b), "A"
                                        "\xE2\x82\xAC" /* euro */
                                        "\xE2\x80\x99" /* right single quote */
                                        "\xC3\xA9"     /* e acute */
                                        "\xC2\xB4"     /* acute accent */
                                        "\xC5\xB8"     /* Y diaeresis */
                                        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                        "\xEF\xBF\xBD");
  /* Every byte decodes to valid UTF-8, and a long input crosses the flush point. */
  emb__buf_reset(&b);
  char all[256 * 4];
  for (int i = 0; i < 256 * 4; i++)
    all[i] = (char)(i & 0xFF);
  assert_int_equal(emb__cp1252_to_utf8(all, sizeof(all), &b), 0);
  assert_int_equal(emb__utf8_check(b.data, b.len), b.len);
  assert_int_equal(strlen(b.data), b.len); /* NUL became U+FFFD */
  emb__buf_fini(&b);
}

/* ----------------------------------------------------------------- csv */

static void test_quoting(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "a,\"b,c\",\"d\"\"e\",\"\",\"\"\"\"\r\nx,ab\"c,\"q\"\r\n", NULL);
  assert_int_equal(emb__csv_delimiter(f.csv), ',');
  expect_row(&f, 1, 1, false, "a", "b,c", "d\"e", "", "\"", NULL);
  expect_row(&f, 2, 2, false, "x", "ab\"c", "q", NULL); /* stray quote kept */
  expect_end(&f);
  assert_int_equal(f.diags.count, 0);
  fx_close(&f);
}

static void test_text_after_quote(void **state) {
  (void)state;
  fx f;
  /* OFAC style, and junk after a closing quote: kept, no error. */
  fx_open(&f, "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\" ,\"abc\"def\"g,-0- \n", NULL);
  expect_row(&f, 1, 1, false, "36", "AEROCARIBBEAN AIRLINES", "-0- ", "CUBA ", "abcdef\"g", "-0- ",
             NULL);
  expect_end(&f);
  assert_int_equal(f.diags.count, 0);
  fx_close(&f);

  emb_csv_opts o = emb__csv_opts_default();
  o.trim = true;
  fx_open(&f, " a , \"b \" ,c ,  \"x,y\"  , \" \"\n", &o);
  expect_row(&f, 1, 1, false, "a", "b", "c", "x,y", "", NULL);
  expect_end(&f);
  fx_close(&f);
}

static void test_multiline_and_line_numbers(void **state) {
  (void)state;
  fx f;
  fx_open(&f,
          "id,note\r\n"
          "1,\"first\nsecond\r\nthird\"\r\n"
          "\r\n"
          "2,\"one\rtwo\"\n"
          "3,plain",
          NULL);
  expect_row(&f, 1, 1, false, "id", "note", NULL);
  expect_row(&f, 2, 4, false, "1", "first\nsecond\r\nthird", NULL);
  expect_row(&f, 6, 7, false, "2", "one\rtwo", NULL); /* line 5 is empty and skipped */
  expect_row(&f, 8, 8, false, "3", "plain", NULL);
  expect_end(&f);
  fx_close(&f);

  /* CR-only line ends, and empty trailing fields. */
  fx_open(&f, "a,\rb,,\r\r\rc", NULL);
  expect_row(&f, 1, 1, false, "a", "", NULL);
  expect_row(&f, 2, 2, false, "b", "", "", NULL);
  expect_row(&f, 5, 5, false, "c", NULL);
  expect_end(&f);
  fx_close(&f);
}

static void test_delimiters(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "name\tcountry\tnote\nA\tB\t\"x\ty\"\n", NULL);
  assert_int_equal(emb__csv_delimiter(f.csv), '\t');
  expect_row(&f, 1, 1, false, "name", "country", "note", NULL);
  expect_row(&f, 2, 2, false, "A", "B", "x\ty", NULL);
  expect_end(&f);
  fx_close(&f);

  /* Commas inside quotes do not count: three ';' beat the four quoted ','. */
  fx_open(&f, "\"a,b,c,d,e\";x;y;z\n1;2;3;4\n", NULL);
  assert_int_equal(emb__csv_delimiter(f.csv), ';');
  expect_row(&f, 1, 1, false, "a,b,c,d,e", "x", "y", "z", NULL);
  expect_row(&f, 2, 2, false, "1", "2", "3", "4", NULL);
  fx_close(&f);

  fx_open(&f, "a|b,c|d\n", NULL);
  assert_int_equal(emb__csv_delimiter(f.csv), '|');
  expect_row(&f, 1, 1, false, "a", "b,c", "d", NULL);
  fx_close(&f);

  /* A given delimiter wins over detection. */
  emb_csv_opts o = emb__csv_opts_default();
  o.delimiter = ';';
  fx_open(&f, "a,b,c;d\n", &o);
  assert_int_equal(emb__csv_delimiter(f.csv), ';');
  expect_row(&f, 1, 1, false, "a,b,c", "d", NULL);
  fx_close(&f);

  o.delimiter = '"';
  emb_input *in;
  assert_int_equal(emb__input_open_mem("x", 1, "mem.csv", &in, NULL), 0);
  emb_csv *c = NULL;
  assert_int_equal(emb__csv_new(in, &o, NULL, &c), EMB_EINVAL);
  assert_null(c);
  emb__input_close(in);
}

static void test_bom_and_dos_eof(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "\xEF\xBB\xBFname;age\r\nBob;42\r\n\x1A", NULL);
  assert_int_equal(emb__csv_delimiter(f.csv), ';');
  expect_row(&f, 1, 1, false, "name", "age", NULL);
  expect_row(&f, 2, 2, false, "Bob", "42", NULL);
  expect_end(&f);
  assert_int_equal(f.diags.count, 0);
  fx_close(&f);

  /* 0x1A right at the end of a record, and 0x1A in the middle (kept). */
  fx_open(&f,
          "a\x1A"
          "b,c\x1A",
          NULL);
  expect_row(&f, 1, 1, false,
             "a\x1A"
             "b",
             "c", NULL);
  expect_end(&f);
  fx_close(&f);

  /* Empty input, a lone BOM, only blank lines. */
  fx_open(&f, "", NULL);
  expect_end(&f);
  fx_close(&f);
  fx_open(&f, "\xEF\xBB\xBF", NULL);
  expect_end(&f);
  fx_close(&f);
  fx_open(&f, "\r\n\n\r", NULL);
  expect_end(&f);
  fx_close(&f);
}

static void test_ragged_rows(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "a,b,c\nd\ne,f\n,\n", NULL);
  expect_row(&f, 1, 1, false, "a", "b", "c", NULL);
  expect_row(&f, 2, 2, false, "d", NULL);
  expect_row(&f, 3, 3, false, "e", "f", NULL);
  expect_row(&f, 4, 4, false, "", "", NULL);
  expect_end(&f);
  fx_close(&f);
}

static void test_field_cap(void **state) {
  (void)state;
  emb_csv_opts o = emb__csv_opts_default();
  o.max_field = 8;
  fx f;
  fx_open(&f,
          "short,waytoolongfield,x\n"
          "next,row\n"
          "\"aaaaaaaaaaaa\nstill, quoted\",x\n"
          "12345678,ok\n",
          &o);
  expect_row(&f, 1, 1, true, "short", NULL);
  expect_row(&f, 2, 2, false, "next", "row", NULL);
  /* Resynchronised after the quote closed on line 4, not at the newline inside it. */
  expect_row(&f, 3, 4, true, NULL);
  expect_row(&f, 5, 5, false, "12345678", "ok", NULL); /* exactly the cap is fine */
  expect_end(&f);
  assert_int_equal(f.diags.n_errors, 2);
  const emb_diag *d = find_diag(&f, EMB_SEV_ERROR, EMB_ETOOBIG);
  assert_non_null(d);
  assert_int_equal(d->line, 1);
  assert_int_equal(d->column, 7);
  assert_string_equal(d->field, "2");
  assert_string_equal(d->file, "mem.csv");
  fx_close(&f);

  o = emb__csv_opts_default();
  o.max_fields = 3;
  fx_open(&f, "a,b,c,d,e\nf\n", &o);
  expect_row(&f, 1, 1, true, "a", "b", "c", NULL);
  expect_row(&f, 2, 2, false, "f", NULL);
  expect_end(&f);
  assert_int_equal(f.diags.n_errors, 1);
  assert_non_null(find_diag(&f, EMB_SEV_ERROR, EMB_ETOOBIG));
  fx_close(&f);
}

static void test_row_cap(void **state) {
  (void)state;
  /* With max_field 1 KiB the record cap is 1 MiB; 2000 fields of 1000 bytes exceed it. */
  emb_csv_opts o = emb__csv_opts_default();
  o.max_field = 1024;
  o.max_fields = 4096;
  size_t n = 2000 * 1001 + 4;
  char *s = malloc(n + 1);
  assert_non_null(s);
  size_t k = 0;
  for (int i = 0; i < 2000; i++) {
    memset(s + k, 'x', 1000);
    k += 1000;
    s[k++] = i == 1999 ? '\n' : ',';
  }
  memcpy(s + k, "a,b\n", 4);
  k += 4;
  s[k] = '\0';
  fx f;
  fx_open_n(&f, s, k, &o);
  emb_csv_row row;
  assert_int_equal(emb__csv_next(f.csv, &row), 1);
  assert_true(row.bad);
  assert_true(row.count < 2000);
  assert_true(row.count >= 1000);
  expect_row(&f, 2, 2, false, "a", "b", NULL);
  expect_end(&f);
  assert_int_equal(f.diags.n_errors, 1);
  fx_close(&f);
  free(s);
}

static void test_nul_byte(void **state) {
  (void)state;
  fx f;
  static const char data[] = "a,b\0c,d\nok\n";
  fx_open_n(&f, data, sizeof(data) - 1, NULL);
  expect_row(&f, 1, 1, true, "a", "bc", "d", NULL);
  expect_row(&f, 2, 2, false, "ok", NULL);
  expect_end(&f);
  assert_int_equal(f.diags.n_errors, 1);
  const emb_diag *d = find_diag(&f, EMB_SEV_ERROR, EMB_EFORMAT);
  assert_non_null(d);
  assert_int_equal(d->line, 1);
  assert_int_equal(d->column, 4);
  assert_string_equal(d->field, "2");
  fx_close(&f);
}

static void test_unterminated_quote(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "a,b\nc,\"dd\nee\nff\n", NULL);
  expect_row(&f, 1, 1, false, "a", "b", NULL);
  expect_end(&f);
  assert_int_equal(f.diags.n_errors, 1);
  const emb_diag *d = find_diag(&f, EMB_SEV_ERROR, EMB_ETRUNCATED);
  assert_non_null(d);
  assert_int_equal(d->line, 2);
  assert_non_null(strstr(d->message, "line 2, column 3"));
  fx_close(&f);
}

static void test_invalid_utf8(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "ok,x\xFFy,\"a\nb\xE9\"\nnext\n", NULL);
  expect_row(&f, 1, 2, true, "ok", "x\xEF\xBF\xBDy", "a\nb\xEF\xBF\xBD", NULL);
  expect_row(&f, 3, 3, false, "next", NULL);
  expect_end(&f);
  assert_int_equal(f.diags.n_errors, 2);
  assert_int_equal(f.diags.items[0].line, 1);
  assert_int_equal(f.diags.items[0].column, 5);
  assert_string_equal(f.diags.items[0].field, "2");
  assert_int_equal(f.diags.items[1].line, 2);
  assert_int_equal(f.diags.items[1].column, 2);
  assert_string_equal(f.diags.items[1].field, "3");
  fx_close(&f);

  emb_csv_opts o = emb__csv_opts_default();
  o.allow_cp1252 = true;
  fx_open(&f, "\x93Quote\x94,caf\xE9\n\x80,\xE2\x82\xAC\n", &o);
  expect_row(&f, 1, 1, false, "\xE2\x80\x9CQuote\xE2\x80\x9D", "caf\xC3\xA9", NULL);
  expect_row(&f, 2, 2, false, "\xE2\x82\xAC", "\xE2\x82\xAC", NULL); /* UTF-8 stays */
  expect_end(&f);
  assert_int_equal(f.diags.n_errors, 0);
  assert_int_equal(f.diags.n_warnings, 1); /* one warning per file */
  assert_int_equal(f.diags.items[0].code, EMB_EENCODING);
  assert_int_equal(f.diags.items[0].column, 1);
  fx_close(&f);
}

/* Many records of varying length so that CR LF pairs and "" pairs cross the 64 KiB reads. */
static void test_chunk_boundaries(void **state) {
  (void)state;
  emb_buf b;
  emb__buf_init(&b, 0);
  for (int i = 0; i < 20000; i++)
    assert_int_equal(emb__buf_printf(&b, "%d,\"q\"\"%.*s\nz\",%s\r\n", i, i % 37,
                                     "abcdefghijklmnopqrstuvwxyz0123456789", "-0- "),
                     0);
  fx f;
  fx_open_n(&f, b.data, b.len, NULL);
  for (int i = 0; i < 20000; i++) {
    emb_csv_row row;
    assert_int_equal(emb__csv_next(f.csv, &row), 1);
    assert_int_equal(row.count, 3);
    assert_false(row.bad);
    assert_int_equal(row.line, 2 * (unsigned long)i + 1);
    assert_int_equal(row.end_line, 2 * (unsigned long)i + 2);
    assert_int_equal(atoi(row.fields[0]), i);
    assert_int_equal(row.lens[1], 2 + (size_t)(i % 37) + 2);
    assert_memory_equal(row.fields[1], "q\"", 2);
    assert_string_equal(row.fields[2], "-0- ");
  }
  expect_end(&f);
  assert_int_equal(f.diags.count, 0);
  fx_close(&f);
  emb__buf_fini(&b);
}

static void test_header_col(void **state) {
  (void)state;
  fx f;
  fx_open(&f, "Name 6,Group ID,Last-Updated,entity_number\n", NULL);
  emb_csv_row h;
  assert_int_equal(emb__csv_next(f.csv, &h), 1);
  assert_int_equal(emb__csv_col(&h, "group_id"), 1);
  assert_int_equal(emb__csv_col(&h, "GROUPID"), 1);
  assert_int_equal(emb__csv_col(&h, "name6"), 0);
  assert_int_equal(emb__csv_col(&h, "last updated"), 2);
  assert_int_equal(emb__csv_col(&h, "Entity Number"), 3);
  assert_int_equal(emb__csv_col(&h, "group"), -1);
  assert_int_equal(emb__csv_col(&h, "group id x"), -1);
  assert_int_equal(emb__csv_col(&h, ""), -1);
  fx_close(&f);
}

/* ----------------------------------------------------------------- real lists */

static void test_ofac_sdn(void **state) {
  (void)state;
  fx f;
  fx_open_file(&f, DATA "/ofac/sdn-2021-07/sdn.csv", NULL);
  assert_int_equal(emb__csv_delimiter(f.csv), ',');
  emb_csv_row row;
  size_t n = 0;
  int rc;
  char last_id[16] = "", last_name[64] = "";
  while ((rc = emb__csv_next(f.csv, &row)) == 1) {
    n++;
    assert_int_equal(row.count, 12);
    snprintf(last_id, sizeof(last_id), "%s", row.fields[0]);
    snprintf(last_name, sizeof(last_name), "%s", row.fields[1]);
    assert_false(row.bad);
    assert_int_equal(row.line, n); /* one physical line per record */
    if (n == 1) {
      assert_string_equal(row.fields[0], "36");
      assert_string_equal(row.fields[1], "AEROCARIBBEAN AIRLINES");
      assert_string_equal(row.fields[2], "-0- ");
      assert_string_equal(row.fields[3], "CUBA");
    }
    if (n == 3)
      assert_string_equal(row.fields[11], "a.k.a. 'BNC'.");
  }
  assert_int_equal(rc, 0);
  assert_int_equal(n, 8976);
  assert_string_equal(last_id, "32391");
  assert_string_equal(last_name, "DJIBO, Ousmane Illiassou");
  assert_int_equal(f.diags.count, 0);
  fx_close(&f);
}

static void test_uk_conlist_cp1252(void **state) {
  (void)state;
  emb_csv_opts o = emb__csv_opts_default();
  o.allow_cp1252 = true;
  fx f;
  fx_open_file(&f, DATA "/uk/ConList-excerpt.csv", &o);
  emb_csv_row row;
  size_t n = 0, n30 = 0, n29 = 0;
  int rc;
  bool found = false;
  while ((rc = emb__csv_next(f.csv, &row)) == 1) {
    n++;
    assert_false(row.bad);
    if (row.count == 30)
      n30++;
    else if (row.count == 29)
      n29++;
    if (n == 1) {
      assert_string_equal(row.fields[0], "");
      assert_string_equal(row.fields[1], "Name 6");
      assert_int_equal(emb__csv_col(&row, "group_id"), 29);
    }
    if (row.line == 7) {
      assert_string_equal(row.fields[0], "14TH MOTORIZED RIFLE BATTALION");
      /* 0x91/0x92 are curly quotes, 0xB4 the acute accent. */
      assert_non_null(strstr(row.fields[22], "\xE2\x80\x98Lugansk People\xC2\xB4s Republic"
                                             "\xE2\x80\x99"));
      assert_non_null(strstr(row.fields[22], "\xE2\x80\x99"
                                             "2nd Army Corps\xE2\x80\x99"));
      found = true;
    }
  }
  assert_int_equal(rc, 0);
  assert_true(found);
  assert_int_equal(n, 78);
  assert_int_equal(n30, 1);  /* the header has a leading empty column ... */
  assert_int_equal(n29, 77); /* ... the rows do not */
  assert_int_equal(f.diags.n_errors, 0);
  assert_int_equal(f.diags.n_warnings, 1);
  const emb_diag *d = &f.diags.items[0];
  assert_int_equal(d->code, EMB_EENCODING);
  assert_int_equal(d->line, 7);
  assert_int_equal(d->column, 266);
  assert_string_equal(d->field, "23");
  assert_string_equal(d->file, DATA "/uk/ConList-excerpt.csv");
  fx_close(&f);

  /* Without the fallback every such field is an error and its record is bad. */
  fx_open_file(&f, DATA "/uk/ConList-excerpt.csv", NULL);
  size_t nbad = 0;
  n = 0;
  while ((rc = emb__csv_next(f.csv, &row)) == 1) {
    n++;
    nbad += row.bad;
    for (size_t i = 0; i < row.count; i++)
      assert_int_equal(emb__utf8_check(row.fields[i], row.lens[i]), row.lens[i]);
  }
  assert_int_equal(n, 78);
  assert_int_equal(nbad, 10);
  assert_int_equal(f.diags.n_errors, 10);
  assert_int_equal(f.diags.n_warnings, 0);
  fx_close(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_check),
      cmocka_unit_test(test_cp1252),
      cmocka_unit_test(test_quoting),
      cmocka_unit_test(test_text_after_quote),
      cmocka_unit_test(test_multiline_and_line_numbers),
      cmocka_unit_test(test_delimiters),
      cmocka_unit_test(test_bom_and_dos_eof),
      cmocka_unit_test(test_ragged_rows),
      cmocka_unit_test(test_field_cap),
      cmocka_unit_test(test_row_cap),
      cmocka_unit_test(test_nul_byte),
      cmocka_unit_test(test_unterminated_quote),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_chunk_boundaries),
      cmocka_unit_test(test_header_col),
      cmocka_unit_test(test_ofac_sdn),
      cmocka_unit_test(test_uk_conlist_cp1252),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
