/*
 * test_trade_record.c - unit tests for the trade-record reader (src/screen/record.c and
 * fieldmap.c): canonical names, automatic header recognition (synonyms and FtM
 * EconomicActivity properties), mapping files and flags, CSV with any delimiter, BOM,
 * gzip and stdin, JSON lines flat and as FtM entities, and every malformed case the
 * reader promises to survive, with the exact lines the diagnostics name.
 *
 * Inputs are real files: small fixtures in tests/data/trade/ (a US bill-of-lading
 * extract with its mapping file from data/maps/, a Russian customs-declaration extract
 * with Cyrillic headers, FtM entities) and temporary files written by the tests; one
 * test reads the real FtM file of party donations in /work/shared/data (Payment
 * entities, not EconomicActivity) to check the entity form on data we did not write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "embargo.h"
#include "screen/record.h"

#define FIX "tests/data/trade"
#define MAPS "data/maps"
#ifndef EMB_TEST_DATA
#define EMB_TEST_DATA "/work/shared/data"
#endif

/* ------------------------------------------------------------ helpers */

static char tmpdir[64];
static int tmpn;

/* Writes n bytes to a new temporary file named ...<suffix>; returns its path (static). */
static const char *write_tmp_n(const char *data, size_t n, const char *suffix) {
  static char path[8][160];
  char *p = path[tmpn % 8];
  snprintf(p, 160, "%s/f%d%s", tmpdir, tmpn++, suffix);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, n, f), n);
  fclose(f);
  return p;
}

static const char *write_tmp(const char *data, const char *suffix) {
  return write_tmp_n(data, strlen(data), suffix);
}

/* A reader and its diagnostics. */
typedef struct rd {
  emb_trade_reader *r;
  emb_diags d;
  int rc;
} rd;

static void rd_open(rd *x, const char *path, const emb_trade_map *m,
                    const emb_trade_reader_opts *o) {
  emb_diags_init(&x->d);
  x->r = NULL;
  x->rc = emb__trade_reader_open(path, m, o, &x->r, &x->d);
}

static void show_diags(const emb_diags *d) {
  char buf[600];
  for (size_t i = 0; i < d->count; i++) {
    emb_diag_format(&d->items[i], buf, sizeof(buf));
    print_message("  diag: %s\n", buf);
  }
}

static void rd_ok(rd *x, const char *path, const emb_trade_map *m, const emb_trade_reader_opts *o) {
  rd_open(x, path, m, o);
  if (x->rc)
    show_diags(&x->d);
  assert_int_equal(x->rc, 0);
  assert_non_null(x->r);
}

static void rd_close(rd *x) {
  emb__trade_reader_close(x->r);
  emb_diags_fini(&x->d);
}

/* Reads the next record, which must exist. */
static void next(rd *x, emb_trade_record *rec) {
  int rc = emb__trade_reader_next(x->r, rec);
  if (rc != 1)
    show_diags(&x->d);
  assert_int_equal(rc, 1);
  for (int f = 0; f < EMB_TF_COUNT; f++) {
    assert_non_null(rec->v[f]);
    assert_int_equal(strlen(rec->v[f]), rec->len[f]);
  }
}

static void expect_end(rd *x) {
  emb_trade_record rec;
  assert_int_equal(emb__trade_reader_next(x->r, &rec), 0);
  assert_int_equal(emb__trade_reader_next(x->r, &rec), 0);
}

#define F(rec, name) ((rec).v[EMB_TF_##name])

/* An expected field value; a table of them ends with {EMB_TF_COUNT, NULL}. */
typedef struct field_value {
  emb_trade_field field;
  const char *value;
} field_value;

/* Asserts each field of the table has its value, naming the field when one has not. */
static void expect_fields(const emb_trade_record *rec, const field_value *want) {
  for (; want->value; want++)
    if (strcmp(rec->v[want->field], want->value) != 0)
      fail_msg("%s is \"%s\", expected \"%s\"", emb__trade_field_name(want->field),
               rec->v[want->field], want->value);
}

/* Expects the end of the records, no diagnostics at all, and closes the reader. */
static void expect_clean_end(rd *x) {
  expect_end(x);
  assert_int_equal(x->d.count, 0);
  rd_close(x);
}

/* The diagnostic of this severity on this line whose message holds text, or NULL. */
static const emb_diag *diag_at(const emb_diags *d, emb_severity sev, unsigned long line,
                               const char *text) {
  for (size_t i = 0; i < d->count; i++)
    if (d->items[i].severity == sev && d->items[i].line == line &&
        (!text || strstr(d->items[i].message, text)))
      return &d->items[i];
  return NULL;
}

static const emb_diag *must_diag(const emb_diags *d, emb_severity sev, unsigned long line,
                                 const char *text) {
  const emb_diag *g = diag_at(d, sev, line, text);
  if (!g) {
    show_diags(d);
    fail_msg("no %s on line %lu with \"%s\"", sev == EMB_SEV_ERROR ? "error" : "warning", line,
             text ? text : "");
  }
  return g;
}

/* The header entry of a column name (the first one), or NULL. */
static const emb_trade_column *hdr_of(const rd *x, const char *name) {
  size_t n;
  const emb_trade_column *c = emb__trade_reader_header(x->r, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(c[i].name, name) == 0)
      return &c[i];
  return NULL;
}

static int setup(void **state) {
  (void)state;
  strcpy(tmpdir, "/tmp/test_trade_XXXXXX");
  assert_non_null(mkdtemp(tmpdir));
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ names */

static void test_field_names(void **state) {
  (void)state;
  assert_int_equal(EMB_TF_COUNT, 30);
  for (int f = 0; f < EMB_TF_COUNT; f++) {
    const char *n = emb__trade_field_name((emb_trade_field)f);
    assert_non_null(n);
    assert_int_equal(emb__trade_field_parse(n, strlen(n)), f);
  }
  assert_string_equal(emb__trade_field_name(EMB_TF_RECORD_ID), "record_id");
  assert_string_equal(emb__trade_field_name(EMB_TF_EXPORTER_COUNTRY), "exporter_country");
  assert_string_equal(emb__trade_field_name(EMB_TF_TRANSIT_COUNTRIES), "transit_countries");
  assert_string_equal(emb__trade_field_name(EMB_TF_UNIT), "unit");
  assert_null(emb__trade_field_name(EMB_TF_COUNT));
  assert_int_equal(emb__trade_field_parse("exporter", 8), EMB_TF_EXPORTER);
  assert_int_equal(emb__trade_field_parse("exporter_countryX", 16), EMB_TF_EXPORTER_COUNTRY);
  assert_int_equal(emb__trade_field_parse("Exporter", 8), -1); /* exact names only */
  assert_int_equal(emb__trade_field_parse("shipper", 7), -1);
}

static int autof(const char *name, const char **how) {
  int rank;
  const char *h = NULL;
  int f = emb__trade_auto_field(name, strlen(name), &rank, &h);
  if (how)
    *how = h;
  return f;
}

/* A header name and the field automatic recognition gives it (-1: none). */
typedef struct auto_case {
  const char *name;
  int field;
} auto_case;

/* Asserts each name of the table, which ends with a NULL name, is recognised as said. */
static void expect_auto(const auto_case *c) {
  for (; c->name; c++)
    if (autof(c->name, NULL) != c->field)
      fail_msg("\"%s\" is recognised as %d, expected %d", c->name, autof(c->name, NULL), c->field);
}

static void test_auto_names(void **state) {
  (void)state;
  const char *how;
  assert_int_equal(autof("Record ID", &how), EMB_TF_RECORD_ID);
  assert_string_equal(how, "name");
  expect_auto((const auto_case[]){{"HS Code", EMB_TF_HS_CODE},
                                  {"hs_code", EMB_TF_HS_CODE},
                                  {"HS-CODE", EMB_TF_HS_CODE},
                                  {"end user country", EMB_TF_END_USER_COUNTRY},
                                  {NULL, 0}});
  /* Synonyms. */
  assert_int_equal(autof("Shipper", &how), EMB_TF_EXPORTER);
  assert_string_equal(how, "synonym");
  expect_auto((const auto_case[]){{"consignor", EMB_TF_EXPORTER},
                                  {"Buyer", EMB_TF_IMPORTER},
                                  {"hs", EMB_TF_HS_CODE},
                                  {"HSCode", EMB_TF_HS_CODE},
                                  {"tariff_code", EMB_TF_HS_CODE},
                                  {"Commodity Code", EMB_TF_HS_CODE},
                                  {"Description", EMB_TF_GOODS_DESCRIPTION},
                                  {"goods", EMB_TF_GOODS_DESCRIPTION},
                                  {"country_of_origin", EMB_TF_ORIGIN_COUNTRY},
                                  {"IMO", EMB_TF_VESSEL_IMO},
                                  {"Qty", EMB_TF_QUANTITY},
                                  {NULL, 0}});
  /* FollowTheMoney EconomicActivity. */
  assert_int_equal(autof("sender", &how), EMB_TF_EXPORTER);
  assert_string_equal(how, "ftm");
  expect_auto((const auto_case[]){{"receiver", EMB_TF_CONSIGNEE},
                                  {"contractHolder", EMB_TF_IMPORTER},
                                  {"declarant", EMB_TF_NOTIFY_PARTY},
                                  {"vedCode", EMB_TF_HS_CODE},
                                  {"vedCodeDescription", EMB_TF_GOODS_DESCRIPTION},
                                  {"goodsDescription", EMB_TF_GOODS_DESCRIPTION},
                                  {"originCountry", EMB_TF_ORIGIN_COUNTRY},
                                  {"departureCountry", EMB_TF_DISPATCH_COUNTRY},
                                  {"destinationCountry", EMB_TF_DESTINATION_COUNTRY},
                                  {"tradingCountry", EMB_TF_EXPORTER_COUNTRY},
                                  {"invoiceAmount", EMB_TF_VALUE},
                                  {"customsAmount", EMB_TF_VALUE},
                                  {"startDate", EMB_TF_DATE},
                                  {"ccdNumber", EMB_TF_RECORD_ID},
                                  {NULL, 0}});
  /* Preference among names of one field. */
  int r1, r2, r3;
  const char *h;
  emb__trade_auto_field("goodsDescription", 16, &r1, &h);
  emb__trade_auto_field("vedCodeDescription", 18, &r2, &h);
  emb__trade_auto_field("Description", 11, &r3, &h);
  assert_true(r1 < r3 && r3 < r2);
  /* Unknown names. */
  expect_auto((const auto_case[]){{"Container Count", -1}, {"", -1}, {"   ", -1}, {NULL, 0}});
  assert_true(emb__trade_name_equal("HS Code", 7, "hs_code", 7));
  assert_false(emb__trade_name_equal("HS Code", 7, "hs_codes", 8));
}

/* ------------------------------------------------------------ CSV, automatic */

static void test_csv_auto_headers_and_extras(void **state) {
  (void)state;
  const char *p = write_tmp("Record ID,Shipper,Shipper Country,HS Code,Container No,Description,"
                            "Country of Origin,Weight\n"
                            "R1,\"Orion Components, Ltd\",CN,8807.30,MSKU123,Drone parts,CN,12\n"
                            "R2, Acme GmbH ,DE,848210,TGHU999,\"Ball \"\"ABEC-7\"\" bearings\",DE,"
                            "3.5\n",
                            ".csv");
  rd x;
  rd_ok(&x, p, NULL, NULL);
  assert_int_equal(emb__trade_reader_format(x.r), EMB_TRADE_CSV);
  assert_int_equal(emb__trade_reader_delimiter(x.r), ',');
  emb_trade_record rec;
  next(&x, &rec);
  expect_fields(&rec, (const field_value[]){{EMB_TF_RECORD_ID, "R1"},
                                            {EMB_TF_EXPORTER, "Orion Components, Ltd"},
                                            {EMB_TF_EXPORTER_COUNTRY, "CN"},
                                            {EMB_TF_HS_CODE, "8807.30"},
                                            {EMB_TF_GOODS_DESCRIPTION, "Drone parts"},
                                            {EMB_TF_ORIGIN_COUNTRY, "CN"},
                                            {EMB_TF_QUANTITY, "12"},
                                            {EMB_TF_IMPORTER, ""},
                                            {EMB_TF_COUNT, NULL}});
  assert_int_equal(rec.len[EMB_TF_IMPORTER], 0);
  assert_int_equal(rec.line, 2);
  assert_int_equal(rec.index, 0);
  assert_false(rec.bad);
  assert_false(rec.record_id_generated);
  assert_int_equal(rec.n_extra, 1);
  assert_string_equal(rec.extra[0], "MSKU123");
  next(&x, &rec);
  assert_string_equal(F(rec, EXPORTER), "Acme GmbH"); /* trimmed */
  assert_string_equal(F(rec, GOODS_DESCRIPTION), "Ball \"ABEC-7\" bearings");
  assert_string_equal(rec.extra[0], "TGHU999");
  assert_int_equal(rec.line, 3);
  assert_int_equal(rec.index, 1);
  expect_end(&x);

  const emb_trade_column *c = hdr_of(&x, "Shipper");
  assert_non_null(c);
  assert_int_equal(c->field, EMB_TF_EXPORTER);
  assert_string_equal(c->how, "synonym");
  c = hdr_of(&x, "Record ID");
  assert_string_equal(c->how, "name");
  c = hdr_of(&x, "Container No");
  assert_int_equal(c->field, -1);
  assert_int_equal(c->extra, 0);
  assert_string_equal(c->how, "unknown");
  size_t n;
  emb__trade_reader_header(x.r, &n);
  assert_int_equal(n, 8);
  assert_int_equal(x.d.count, 0);
  rd_close(&x);
}

static void test_csv_preference_and_duplicates(void **state) {
  (void)state;
  /* Two columns for goods_description: the canonical name wins, the other is an extra.
   * A repeated header name: a warning, the first column is used. */
  const char *p = write_tmp("description,exporter,goods_description,exporter,hs\n"
                            "generic text,First Co,Quadcopter frames,Second Co,880730\n",
                            ".csv");
  rd x;
  rd_ok(&x, p, NULL, NULL);
  must_diag(&x.d, EMB_SEV_WARNING, 1, "repeats the column name of column 2");
  assert_string_equal(x.d.items[0].field, "exporter");
  assert_int_equal(x.d.n_errors, 0);
  emb_trade_record rec;
  next(&x, &rec);
  expect_fields(&rec, (const field_value[]){{EMB_TF_GOODS_DESCRIPTION, "Quadcopter frames"},
                                            {EMB_TF_EXPORTER, "First Co"},
                                            {EMB_TF_HS_CODE, "880730"},
                                            {EMB_TF_COUNT, NULL}});
  assert_int_equal(rec.n_extra, 2);
  assert_string_equal(rec.extra[0], "generic text");
  assert_string_equal(rec.extra[1], "Second Co");
  assert_string_equal(hdr_of(&x, "description")->how, "unused");
  size_t n;
  const emb_trade_column *c = emb__trade_reader_header(x.r, &n);
  assert_int_equal(n, 5);
  assert_string_equal(c[3].how, "duplicate");
  expect_end(&x);
  rd_close(&x);
}

static void test_csv_delimiters_and_bom(void **state) {
  (void)state;
  rd x;
  emb_trade_record rec;
  /* ';' with a BOM and CRLF. */
  const char *p = write_tmp("\xEF\xBB\xBFrecord_id;exporter;value\r\nA1;Müller AG;1,5\r\nA2;Łódź "
                            "Sp. z o.o.;2,0\r\n",
                            ".csv");
  rd_ok(&x, p, NULL, NULL);
  assert_int_equal(emb__trade_reader_delimiter(x.r), ';');
  assert_string_equal(hdr_of(&x, "record_id")->how, "name"); /* the BOM is not in the name */
  next(&x, &rec);
  expect_fields(&rec, (const field_value[]){{EMB_TF_RECORD_ID, "A1"},
                                            {EMB_TF_EXPORTER, "Müller AG"},
                                            {EMB_TF_VALUE, "1,5"},
                                            {EMB_TF_COUNT, NULL}});
  next(&x, &rec);
  assert_int_equal(rec.line, 3);
  assert_string_equal(F(rec, EXPORTER), "Łódź Sp. z o.o.");
  expect_clean_end(&x);
  /* Tab. */
  p = write_tmp("hs_code\tgoods_description\tdestination_country\n8525.89\tThermal camera, "
                "640x512\tRU\n",
                ".tsv");
  rd_ok(&x, p, NULL, NULL);
  assert_int_equal(emb__trade_reader_delimiter(x.r), '\t');
  next(&x, &rec);
  expect_fields(&rec, (const field_value[]){{EMB_TF_GOODS_DESCRIPTION, "Thermal camera, 640x512"},
                                            {EMB_TF_DESTINATION_COUNTRY, "RU"},
                                            {EMB_TF_RECORD_ID, "line:2"},
                                            {EMB_TF_COUNT, NULL}});
  assert_true(rec.record_id_generated);
  expect_end(&x);
  rd_close(&x);
  /* A delimiter given in the options wins over detection. */
  emb_trade_reader_opts o = emb__trade_reader_opts_default();
  o.delimiter = '|';
  p = write_tmp("exporter|note\nA, B and C|x;y;z\n", ".csv");
  rd_ok(&x, p, NULL, &o);
  next(&x, &rec);
  assert_string_equal(F(rec, EXPORTER), "A, B and C");
  assert_string_equal(rec.extra[0], "x;y;z");
  rd_close(&x);
}

/* ------------------------------------------------------------ mapping */

static void test_mapping_file(void **state) {
  (void)state;
  emb_diags d;
  emb_diags_init(&d);
  emb_trade_map *m = emb__trade_map_new();
  assert_int_equal(emb__trade_map_load(m, MAPS "/us_bill_of_lading.map", &d), 0);
  assert_int_equal(d.count, 0);
  emb_diags_fini(&d);
  rd x;
  rd_ok(&x, FIX "/bol.csv", m, NULL);
  emb__trade_map_free(m); /* the reader keeps its own copy */
  emb_trade_record rec;
  next(&x, &rec);
  expect_fields(&rec,
                (const field_value[]){{EMB_TF_RECORD_ID, "MAEU123456789"},
                                      {EMB_TF_DATE, "2024-01-15"},
                                      {EMB_TF_EXPORTER, "Shenzhen Yuxin Electronics Co., Ltd"},
                                      {EMB_TF_CONSIGNEE, "Acme Imports Inc"},
                                      {EMB_TF_NOTIFY_PARTY, "Acme Logistics"},
                                      {EMB_TF_HS_CODE, "8542.31"},
                                      {EMB_TF_GOODS_DESCRIPTION, "Microcontrollers, 32-bit"},
                                      {EMB_TF_PORT_OF_LOADING, "Yantian"},
                                      {EMB_TF_VESSEL_IMO, "9632131"},
                                      {EMB_TF_QUANTITY, "1200"},
                                      {EMB_TF_VALUE, "85000.50"},
                                      {EMB_TF_TRANSIT_COUNTRIES, "HK; SG"}, /* two columns joined */
                                      {EMB_TF_COUNT, NULL}});
  /* Extras: the ignored column and the unknown one, in header order. */
  assert_int_equal(rec.n_extra, 2);
  assert_string_equal(rec.extra[0], "ACME/LA/1-20");
  assert_string_equal(rec.extra[1], "2");
  next(&x, &rec);
  expect_fields(&rec, (const field_value[]){{EMB_TF_EXPORTER, "Istanbul Makina AS"},
                                            {EMB_TF_TRANSIT_COUNTRIES, ""},
                                            {EMB_TF_NOTIFY_PARTY, ""},
                                            {EMB_TF_COUNT, NULL}});
  assert_int_equal(rec.line, 3);
  expect_end(&x);
  const emb_trade_column *c = hdr_of(&x, "Shipper Name");
  assert_int_equal(c->field, EMB_TF_EXPORTER);
  assert_string_equal(c->how, MAPS "/us_bill_of_lading.map:8");
  assert_string_equal(hdr_of(&x, "Marks and Numbers")->how, "ignored");
  assert_int_equal(hdr_of(&x, "Transshipment Country 2")->field, EMB_TF_TRANSIT_COUNTRIES);
  assert_int_equal(x.d.count, 0);
  rd_close(&x);
}

static void test_mapping_cyrillic(void **state) {
  (void)state;
  emb_trade_map *m = emb__trade_map_new();
  assert_int_equal(emb__trade_map_load(m, MAPS "/ru_customs_declaration.map", NULL), 0);
  rd x;
  rd_ok(&x, FIX "/ru_customs.csv", m, NULL);
  emb__trade_map_free(m);
  assert_int_equal(emb__trade_reader_delimiter(x.r), ';');
  emb_trade_record rec;
  next(&x, &rec);
  expect_fields(&rec,
                (const field_value[]){
                    {EMB_TF_RECORD_ID, "10702070/150323/3012345"},
                    {EMB_TF_CONSIGNEE, "ООО \"ТЕХНОСНАБ\""}, /* quotes inside a field */
                    {EMB_TF_CONSIGNEE_ID, "7701234567"},
                    {EMB_TF_IMPORTER, "ООО \"ТЕХНОСНАБ\""},
                    {EMB_TF_NOTIFY_PARTY, "ООО \"БРОКЕР-ДВ\""},
                    {EMB_TF_HS_CODE, "8807300000"},
                    {EMB_TF_GOODS_DESCRIPTION, "БЕСПИЛОТНЫЕ ЛЕТАТЕЛЬНЫЕ АППАРАТЫ; КВАДРОКОПТЕРЫ"},
                    {EMB_TF_DISPATCH_COUNTRY, "HK"},
                    {EMB_TF_UNIT, "шт"},
                    {EMB_TF_COUNT, NULL}});
  assert_int_equal(rec.n_extra, 0);
  expect_clean_end(&x);
}

static void test_mapping_errors(void **state) {
  (void)state;
  const char *mp = write_tmp("# a comment\n"
                             "exporter = Seller\n"
                             "\n"
                             "exporter_cuntry = Seller Country\n"
                             "no equals sign here\n"
                             "hs_code = Tariff\n"
                             "importer =\n"
                             "auto = maybe\n",
                             ".map");
  emb_diags d;
  emb_diags_init(&d);
  emb_trade_map *m = emb__trade_map_new();
  assert_int_equal(emb__trade_map_load(m, mp, &d), EMB_EFORMAT);
  must_diag(&d, EMB_SEV_ERROR, 4, "'exporter_cuntry' is not a canonical trade field");
  must_diag(&d, EMB_SEV_ERROR, 5, "not of the form");
  must_diag(&d, EMB_SEV_ERROR, 7, "lacks a field name or a column name");
  must_diag(&d, EMB_SEV_ERROR, 8, "`auto` takes on or off");
  assert_int_equal(d.n_errors, 4);
  emb_diags_fini(&d);
  /* The good lines were kept: Seller and Tariff. The file lacks Tariff: an error naming
   * the mapping file's line 6, and the open fails. */
  const char *p = write_tmp("Seller,Other\nACME,1\n", ".csv");
  rd x;
  rd_open(&x, p, m, NULL);
  assert_int_equal(x.rc, EMB_EFORMAT);
  assert_null(x.r);
  const emb_diag *g = must_diag(&x.d, EMB_SEV_ERROR, 6, "names the column 'Tariff'");
  assert_string_equal(g->file, mp);
  assert_string_equal(g->field, "Tariff");
  rd_close(&x);
  /* A flag naming a missing column: the error names the flag. */
  assert_int_equal(emb__trade_map_set(m, "hs_code", "Other"), 0); /* replaces line 6 */
  assert_int_equal(emb__trade_map_set(m, "importer", "Buyer Name"), 0);
  rd_open(&x, p, m, NULL);
  assert_int_equal(x.rc, EMB_EFORMAT);
  g = must_diag(&x.d, EMB_SEV_ERROR, 1, "--map-field importer=Buyer Name");
  assert_string_equal(g->file, p);
  assert_int_equal(x.d.n_errors, 1);
  rd_close(&x);
  assert_int_equal(emb__trade_map_set(m, "no_such_field", "X"), EMB_EINVAL);
  assert_int_equal(emb__trade_map_set(m, "exporter", "  "), EMB_EINVAL);
  emb__trade_map_free(m);
  /* A missing mapping file. */
  m = emb__trade_map_new();
  emb_diags_init(&d);
  assert_int_equal(emb__trade_map_load(m, "/nonexistent/x.map", &d), EMB_EIO);
  assert_int_equal(d.n_errors, 1);
  emb_diags_fini(&d);
  emb__trade_map_free(m);
}

static void test_mapping_flags(void **state) {
  (void)state;
  const char *mp = write_tmp("exporter = Seller\ngoods_description = Text\n", ".map");
  const char *p = write_tmp("Seller,Shipper Name,Text,route a,route b,hs code,description\n"
                            "S1,SH1,Cameras,TR,,8525,desc\n",
                            ".csv");
  emb_trade_map *m = emb__trade_map_new();
  assert_int_equal(emb__trade_map_load(m, mp, NULL), 0);
  /* The flag replaces the file's line for exporter; two flags join transit columns. */
  assert_int_equal(emb__trade_map_set(m, "exporter", "Shipper Name"), 0);
  assert_int_equal(emb__trade_map_set(m, "transit_countries", "route a"), 0);
  assert_int_equal(emb__trade_map_set(m, "Transit Countries", "ROUTE B"), 0); /* folded */
  rd x;
  rd_ok(&x, p, m, NULL);
  emb_trade_record rec;
  next(&x, &rec);
  expect_fields(
      &rec, (const field_value[]){{EMB_TF_EXPORTER, "SH1"},
                                  {EMB_TF_GOODS_DESCRIPTION, "Cameras"}, /* the file still counts */
                                  {EMB_TF_TRANSIT_COUNTRIES, "TR"}, /* the empty one is skipped */
                                  {EMB_TF_HS_CODE, "8525"},         /* automatic */
                                  {EMB_TF_COUNT, NULL}});
  assert_string_equal(hdr_of(&x, "Shipper Name")->how, "--map-field exporter=Shipper Name");
  /* Seller is no longer mapped and "description" lost to the mapped Text. */
  assert_int_equal(hdr_of(&x, "Seller")->field, -1);
  assert_string_equal(hdr_of(&x, "description")->how, "unused");
  assert_int_equal(rec.n_extra, 2);
  assert_string_equal(rec.extra[0], "S1");
  assert_string_equal(rec.extra[1], "desc");
  rd_close(&x);
  /* Automatic recognition off: only what is mapped. */
  emb__trade_map_set_auto(m, false);
  rd_ok(&x, p, m, NULL);
  next(&x, &rec);
  assert_string_equal(F(rec, HS_CODE), "");
  assert_string_equal(F(rec, EXPORTER), "SH1");
  rd_close(&x);
  emb__trade_map_free(m);
}

/* ------------------------------------------------------------ JSON lines */

static void test_jsonl_flat(void **state) {
  (void)state;
  rd x;
  rd_ok(&x, FIX "/flat.jsonl", NULL, NULL);
  assert_int_equal(emb__trade_reader_format(x.r), EMB_TRADE_JSONL);
  emb_trade_record rec;
  next(&x, &rec);
  assert_int_equal(rec.line, 1);
  assert_false(rec.bad);
  expect_fields(
      &rec, (const field_value[]){{EMB_TF_RECORD_ID, "J1"},
                                  {EMB_TF_EXPORTER_COUNTRY, "DE"},
                                  {EMB_TF_HS_CODE, "8807300000"}, /* a number becomes its text */
                                  {EMB_TF_VALUE, "1234.5"},
                                  {EMB_TF_QUANTITY, "10"},
                                  {EMB_TF_TRANSIT_COUNTRIES, "KZ; KG"},
                                  {EMB_TF_COUNT, NULL}});
  /* Extras: urgent, note (null: empty), tags (an object: compact JSON). */
  assert_int_equal(rec.n_extra, 3);
  assert_string_equal(rec.extra[0], "true");
  assert_string_equal(rec.extra[1], "");
  assert_string_equal(rec.extra[2], "{\"a\":1}");
  next(&x, &rec); /* line 2 is blank */
  assert_int_equal(rec.line, 3);
  expect_fields(&rec, (const field_value[]){{EMB_TF_RECORD_ID, "J2"}, /* "id" */
                                            {EMB_TF_EXPORTER, "Orion Ltd"},
                                            {EMB_TF_CONSIGNEE, "Kazakh Trade TOO"},
                                            {EMB_TF_DESTINATION_COUNTRY, "KZ"},
                                            {EMB_TF_COUNT, NULL}});
  assert_int_equal(rec.n_extra, 4);      /* a new key: comment */
  assert_string_equal(rec.extra[0], ""); /* urgent is absent here */
  assert_string_equal(rec.extra[3], "re-export?");
  next(&x, &rec); /* line 4: broken JSON */
  assert_int_equal(rec.line, 4);
  assert_true(rec.bad);
  assert_string_equal(F(rec, RECORD_ID), "line:4");
  assert_string_equal(F(rec, EXPORTER), "");
  const emb_diag *g = must_diag(&x.d, EMB_SEV_ERROR, 4, "not valid JSON");
  assert_true(g->column > 0);
  next(&x, &rec);
  assert_int_equal(rec.line, 5);
  assert_false(rec.bad);
  assert_string_equal(F(rec, RECORD_ID), "J4");
  assert_string_equal(F(rec, HS_CODE), "8542");
  next(&x, &rec);
  assert_int_equal(rec.line, 6);
  assert_true(rec.bad);
  must_diag(&x.d, EMB_SEV_ERROR, 6, "not an object");
  expect_end(&x);
  assert_int_equal(x.d.n_errors, 2);
  assert_int_equal(hdr_of(&x, "comment")->extra, 3);
  rd_close(&x);
}

static void test_jsonl_ftm_entities(void **state) {
  (void)state;
  rd x;
  rd_ok(&x, FIX "/ftm_economic_activity.jsonl", NULL, NULL);
  emb_trade_record rec;
  next(&x, &rec);
  expect_fields(&rec, (const field_value[]){
                          {EMB_TF_RECORD_ID, "10702070/150323/3012345"}, /* ccdNumber over id */
                          {EMB_TF_DATE, "2023-03-15"},
                          {EMB_TF_HS_CODE, "8807300000"},
                          {EMB_TF_COUNT, NULL}});
  /* goodsDescription wins over vedCodeDescription; its two values are joined. */
  assert_string_equal(F(rec, GOODS_DESCRIPTION), "БЕСПИЛОТНЫЕ ЛЕТАТЕЛЬНЫЕ АППАРАТЫ; КВАДРОКОПТЕРЫ");
  /* Nested entities: their names, countries and identifiers. */
  expect_fields(&rec, (const field_value[]){{EMB_TF_EXPORTER, "GUANGZHOU HUAXIN TRADING CO LTD"},
                                            {EMB_TF_EXPORTER_COUNTRY, "cn"}, /* tradingCountry */
                                            {EMB_TF_CONSIGNEE, "ООО ТЕХНОСНАБ"},
                                            {EMB_TF_CONSIGNEE_COUNTRY, "ru"},
                                            {EMB_TF_CONSIGNEE_ID, "7701234567"},
                                            {EMB_TF_COUNT, NULL}});
  /* References stay as written. */
  expect_fields(&rec, (const field_value[]){
                          {EMB_TF_IMPORTER, "ru-inn-7701234567"},
                          {EMB_TF_NOTIFY_PARTY, "ru-inn-2540000000"},
                          {EMB_TF_ORIGIN_COUNTRY, "cn"},
                          {EMB_TF_DISPATCH_COUNTRY, "hk"},
                          {EMB_TF_DESTINATION_COUNTRY, "ru"},
                          {EMB_TF_VALUE, "125000.00"}, /* invoiceAmount over customsAmount */
                          {EMB_TF_COUNT, NULL}});
  assert_int_equal(rec.n_extra, 1);
  assert_string_equal(rec.extra[0], "import"); /* directionOfTransportation */
  next(&x, &rec);
  expect_fields(&rec, (const field_value[]){{EMB_TF_RECORD_ID, "ru-ccd-2"}, /* the entity id */
                                            {EMB_TF_GOODS_DESCRIPTION, "Схемы интегральные"},
                                            {EMB_TF_EXPORTER, "Shenzhen Chip Co"},
                                            {EMB_TF_EXPORTER_COUNTRY, ""},
                                            {EMB_TF_VALUE, "900000"},
                                            {EMB_TF_DATE, "2023-04-01"},
                                            {EMB_TF_COUNT, NULL}});
  assert_int_equal(rec.line, 2);
  expect_clean_end(&x);
}

static void test_jsonl_real_ftm_payments(void **state) {
  (void)state;
  /* A real FtM export: 475 entities, 290 of them Payments (counted with grep), the rest
   * parties and addresses, which are skipped. Payments are read: payer is the importer,
   * beneficiary the exporter (references by id, as the file writes them). */
  rd x;
  rd_ok(&x, EMB_TEST_DATA "/lists/ftm/parteispenden_entities.ftm.json", NULL, NULL);
  emb_trade_record rec;
  size_t n = 0, with_date = 0, with_value = 0;
  int rc;
  bool seen_first = false;
  while ((rc = emb__trade_reader_next(x.r, &rec)) == 1) {
    n++;
    assert_false(rec.bad);
    with_date += rec.len[EMB_TF_DATE] > 0;
    with_value += rec.len[EMB_TF_VALUE] > 0;
    if (rec.line == 4) { /* the first Payment */
      seen_first = true;
      expect_fields(&rec, (const field_value[]){
                              {EMB_TF_RECORD_ID, "2216b422a31242fe204654ce194864661f515921"},
                              {EMB_TF_DATE, "2011-12-29"},
                              {EMB_TF_VALUE, "100000"}, /* amountEur */
                              {EMB_TF_IMPORTER, "f9c295f21b233ac878fbac4d271bb6fd13d7952a"},
                              {EMB_TF_EXPORTER, "6d03aec76fdeec8f9697d8b19954ab6fc2568bc8"},
                              {EMB_TF_COUNT, NULL}});
      assert_int_equal(rec.index, 0);
    }
  }
  assert_int_equal(rc, 0);
  assert_true(seen_first);
  assert_int_equal(n, 290);
  assert_int_equal(with_value, 290);
  assert_int_equal(with_date, 290);
  /* The skipped entities: one warning for the file, at the first. */
  assert_int_equal(x.d.n_warnings, 1);
  assert_int_equal(x.d.n_errors, 0);
  must_diag(&x.d, EMB_SEV_WARNING, 1, "schema Organization are not trade records");
  rd_close(&x);
}

/* ------------------------------------------------------------ compression, stdin */

static void test_gzip_and_truncated(void **state) {
  (void)state;
  char path[200];
  snprintf(path, sizeof(path), "%s/records.csv.gz", tmpdir);
  gzFile g = gzopen(path, "wb");
  assert_non_null(g);
  gzprintf(g, "record_id,exporter,hs_code\n");
  for (int i = 1; i <= 5000; i++)
    gzprintf(g, "G%d,Company number %d with a long enough name,%06d\n", i, i, 840000 + i);
  gzclose(g);
  rd x;
  rd_ok(&x, path, NULL, NULL);
  emb_trade_record rec;
  int n = 0, rc;
  while ((rc = emb__trade_reader_next(x.r, &rec)) == 1) {
    n++;
    if (n == 4321) {
      assert_string_equal(F(rec, RECORD_ID), "G4321");
      assert_string_equal(F(rec, HS_CODE), "844321");
      assert_int_equal(rec.line, 4322);
    }
  }
  assert_int_equal(rc, 0);
  assert_int_equal(n, 5000);
  rd_close(&x);
  /* Cut the file: the records before the cut come out, then the stream error. */
  size_t len;
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc(len);
  assert_int_equal(fread(buf, 1, len, f), len);
  fclose(f);
  const char *cut = write_tmp_n(buf, len * 2 / 3, ".csv.gz");
  free(buf);
  rd_ok(&x, cut, NULL, NULL);
  n = 0;
  while ((rc = emb__trade_reader_next(x.r, &rec)) == 1) {
    n++;
    assert_false(rec.bad);
    assert_int_equal(rec.len[EMB_TF_HS_CODE], 6); /* no half record */
  }
  assert_int_equal(rc, EMB_ETRUNCATED);
  assert_true(n > 1000 && n < 5000);
  assert_true(x.d.n_errors >= 1);
  rd_close(&x);
}

static void test_stdin(void **state) {
  (void)state;
  const char *p = write_tmp("{\"exporter\":\"From stdin\"}\n", ".txt");
  FILE *saved = fdopen(dup(0), "r");
  assert_non_null(freopen(p, "r", stdin));
  rd x;
  rd_ok(&x, "-", NULL, NULL);
  assert_string_equal(emb__trade_reader_name(x.r), "<stdin>");
  assert_int_equal(emb__trade_reader_format(x.r), EMB_TRADE_JSONL); /* from the '{' */
  emb_trade_record rec;
  next(&x, &rec);
  assert_string_equal(F(rec, EXPORTER), "From stdin");
  expect_end(&x);
  rd_close(&x);
  if (saved) {
    dup2(fileno(saved), 0);
    fclose(saved);
  }
}

/* ------------------------------------------------------------ malformed input */

static void test_unterminated_quote_at_eof(void **state) {
  (void)state;
  /* Line 4 opens a quote that never closes: the records before are intact, the broken
   * one is read as its line alone and marked bad, the records after are read too. */
  const char *p = write_tmp("record_id,exporter,hs_code\n"
                            "1,Alpha,880730\n"
                            "2,\"Beta\nCorp\",854231\n"
                            "3,\"Gamma Ltd,850152\n"
                            "4,Delta,848210\n"
                            "5,Epsilon,852589\n",
                            ".csv");
  rd x;
  rd_ok(&x, p, NULL, NULL);
  emb_trade_record rec;
  next(&x, &rec);
  assert_string_equal(F(rec, EXPORTER), "Alpha");
  next(&x, &rec);
  assert_string_equal(F(rec, EXPORTER), "Beta\nCorp"); /* a legal multi-line field */
  assert_int_equal(rec.line, 3);
  assert_false(rec.bad);
  next(&x, &rec);
  assert_int_equal(rec.line, 5);
  assert_true(rec.bad);
  expect_fields(&rec, (const field_value[]){{EMB_TF_RECORD_ID, "3"},
                                            {EMB_TF_EXPORTER, "\"Gamma Ltd"},
                                            {EMB_TF_HS_CODE, "850152"},
                                            {EMB_TF_COUNT, NULL}});
  const emb_diag *g = must_diag(&x.d, EMB_SEV_ERROR, 5, "quote opened here");
  assert_int_equal(g->column, 3);
  assert_string_equal(g->field, "exporter");
  next(&x, &rec);
  assert_int_equal(rec.line, 6);
  assert_false(rec.bad);
  assert_string_equal(F(rec, EXPORTER), "Delta");
  next(&x, &rec);
  assert_int_equal(rec.line, 7);
  assert_string_equal(F(rec, EXPORTER), "Epsilon");
  expect_end(&x);
  assert_int_equal(x.d.n_errors, 1);
  rd_close(&x);
}

static void test_quote_swallowing_records(void **state) {
  (void)state;
  /* The quote on line 2 would close on line 5, swallowing lines 3 and 4: the reader sees
   * whole records inside the quotes and recovers at line 3. */
  const char *p = write_tmp("record_id,exporter,hs_code,value\n"
                            "1,\"Broken Co,880730,10\n"
                            "2,Fine Co,854231,20\n"
                            "3,Also Fine,850152,30\n"
                            "4,\"Quoted, Inc\",848210,40\n",
                            ".csv");
  rd x;
  rd_ok(&x, p, NULL, NULL);
  emb_trade_record rec;
  next(&x, &rec);
  assert_true(rec.bad);
  assert_int_equal(rec.line, 2);
  assert_string_equal(F(rec, VALUE), "10");
  must_diag(&x.d, EMB_SEV_ERROR, 2, "swallows a following line");
  for (int i = 2; i <= 4; i++) {
    next(&x, &rec);
    assert_false(rec.bad);
    assert_int_equal(rec.line, (unsigned long)i + 1);
    char id[16];
    snprintf(id, sizeof(id), "%d", i);
    assert_string_equal(F(rec, RECORD_ID), id);
  }
  assert_string_equal(F(rec, EXPORTER), "Quoted, Inc");
  expect_end(&x);
  assert_int_equal(x.d.n_errors, 1);
  rd_close(&x);
  /* Too many lines inside one quote. */
  emb_trade_reader_opts o = emb__trade_reader_opts_default();
  o.max_record_lines = 3;
  p = write_tmp("exporter,note\n"
                "A,\"x\ny\nz\nw\nv\"\n"
                "B,ok\n",
                ".csv");
  rd_ok(&x, p, NULL, &o);
  next(&x, &rec);
  assert_true(rec.bad);
  assert_string_equal(F(rec, EXPORTER), "A");
  must_diag(&x.d, EMB_SEV_ERROR, 2, "too many lines");
  next(&x, &rec); /* lines 3..5 are single-field records: too few fields */
  assert_int_equal(rec.line, 3);
  assert_true(rec.bad);
  must_diag(&x.d, EMB_SEV_ERROR, 3, "has 1 fields where the header has 2");
  next(&x, &rec);
  next(&x, &rec);
  next(&x, &rec); /* line 6: v" ends in a quote that is text */
  assert_int_equal(rec.line, 6);
  next(&x, &rec);
  assert_int_equal(rec.line, 7);
  assert_string_equal(F(rec, EXPORTER), "B");
  assert_false(rec.bad);
  expect_end(&x);
  rd_close(&x);
}

static void test_field_counts(void **state) {
  (void)state;
  const char *p = write_tmp("record_id,exporter,importer,hs_code\n"
                            "1,A,B,880730\n"
                            "2,A\n"
                            "3,A,B,880730,surplus\n"
                            "4,A,B,880730,,\n"
                            ",,,\n"
                            "5,A,B,880730\n",
                            ".csv");
  rd x;
  rd_ok(&x, p, NULL, NULL);
  emb_trade_record rec;
  next(&x, &rec);
  assert_false(rec.bad);
  next(&x, &rec);
  assert_true(rec.bad);
  assert_int_equal(rec.line, 3);
  assert_string_equal(F(rec, EXPORTER), "A");
  assert_string_equal(F(rec, IMPORTER), "");
  const emb_diag *g = must_diag(&x.d, EMB_SEV_ERROR, 3, "2 fields where the header has 4");
  assert_string_equal(g->field, "importer"); /* the first missing column */
  next(&x, &rec);
  assert_true(rec.bad);
  assert_int_equal(rec.line, 4);
  assert_string_equal(F(rec, HS_CODE), "880730");
  g = must_diag(&x.d, EMB_SEV_ERROR, 4, "5 fields where the header has 4");
  assert_string_equal(g->field, "column 5");
  next(&x, &rec); /* surplus empty fields: a warning, not bad */
  assert_false(rec.bad);
  must_diag(&x.d, EMB_SEV_WARNING, 5, "trailing delimiter");
  next(&x, &rec); /* the row of delimiters on line 6 is skipped */
  assert_int_equal(rec.line, 7);
  assert_int_equal(rec.index, 4);
  assert_string_equal(F(rec, RECORD_ID), "5");
  expect_end(&x);
  assert_int_equal(x.d.n_errors, 2);
  assert_int_equal(x.d.n_warnings, 1);
  rd_close(&x);
}

static void test_encoding(void **state) {
  (void)state;
  /* Windows-1252 bytes: read as such, one warning, records not bad. */
  const char *p = write_tmp("record_id,exporter,goods_description\n"
                            "1,M\xFCller GmbH,Bearings\n"
                            "2,Soci\xE9t\xE9 G\xE9n\xE9rale,Caf\xE9 \x80 10\n",
                            ".csv");
  rd x;
  rd_ok(&x, p, NULL, NULL);
  emb_trade_record rec;
  next(&x, &rec);
  assert_false(rec.bad);
  assert_string_equal(F(rec, EXPORTER), "Müller GmbH");
  next(&x, &rec);
  assert_false(rec.bad);
  assert_string_equal(F(rec, EXPORTER), "Société Générale");
  assert_string_equal(F(rec, GOODS_DESCRIPTION), "Café € 10");
  expect_end(&x);
  const emb_diag *g = must_diag(&x.d, EMB_SEV_WARNING, 2, "Windows-1252");
  assert_int_equal(g->column, 3);
  assert_string_equal(g->field, "exporter");
  assert_int_equal(x.d.n_warnings, 1);
  assert_int_equal(x.d.n_errors, 0);
  rd_close(&x);
  /* Strict: errors, U+FFFD, bad. */
  emb_trade_reader_opts o = emb__trade_reader_opts_default();
  o.strict_encoding = true;
  rd_ok(&x, p, NULL, &o);
  next(&x, &rec);
  assert_true(rec.bad);
  assert_string_equal(F(rec, EXPORTER), "M\xEF\xBF\xBDller GmbH");
  must_diag(&x.d, EMB_SEV_ERROR, 2, "not valid UTF-8");
  next(&x, &rec);
  assert_true(rec.bad);
  must_diag(&x.d, EMB_SEV_ERROR, 3, "not valid UTF-8");
  rd_close(&x);
  /* JSON lines in Windows-1252. */
  p = write_tmp("{\"exporter\":\"ok\"}\n{\"exporter\":\"M\xFCller\"}\n", ".jsonl");
  rd_ok(&x, p, NULL, NULL);
  next(&x, &rec);
  next(&x, &rec);
  assert_false(rec.bad);
  assert_string_equal(F(rec, EXPORTER), "Müller");
  must_diag(&x.d, EMB_SEV_WARNING, 2, "Windows-1252");
  rd_close(&x);
  /* A NUL byte. */
  static const char nul[] = "exporter,hs_code\nA\0B,1\nC,2\n";
  p = write_tmp_n(nul, sizeof(nul) - 1, ".csv");
  rd_ok(&x, p, NULL, NULL);
  next(&x, &rec);
  assert_true(rec.bad);
  assert_string_equal(F(rec, EXPORTER), "AB");
  must_diag(&x.d, EMB_SEV_ERROR, 2, "NUL");
  next(&x, &rec);
  assert_false(rec.bad);
  assert_int_equal(rec.line, 3);
  rd_close(&x);
}

static void test_empty_and_headerless(void **state) {
  (void)state;
  rd x;
  rd_open(&x, write_tmp("", ".csv"), NULL, NULL);
  assert_int_equal(x.rc, EMB_EFORMAT);
  must_diag(&x.d, EMB_SEV_ERROR, 1, "empty");
  rd_close(&x);
  rd_open(&x, write_tmp("\n\n\r\n", ".csv"), NULL, NULL);
  assert_int_equal(x.rc, EMB_EFORMAT);
  rd_close(&x);
  rd_open(&x, write_tmp("  \n", ".jsonl"), NULL, NULL);
  assert_int_equal(x.rc, EMB_EFORMAT);
  must_diag(&x.d, EMB_SEV_ERROR, 1, "empty");
  rd_close(&x);
  /* The first row is data: nothing is recognised. */
  rd_open(&x, write_tmp("R1,ACME Ltd,880730,CN\nR2,Beta,854231,RU\n", ".csv"), NULL, NULL);
  assert_int_equal(x.rc, EMB_EFORMAT);
  const emb_diag *g = must_diag(&x.d, EMB_SEV_ERROR, 1, "header row missing");
  assert_string_equal(g->field, "R1");
  rd_close(&x);
  rd_open(&x, "/nonexistent/records.csv", NULL, NULL);
  assert_int_equal(x.rc, EMB_EIO);
  rd_close(&x);
}

static void test_huge_lines(void **state) {
  (void)state;
  emb_trade_reader_opts o = emb__trade_reader_opts_default();
  o.max_record = 64;
  char big[400];
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  char data[1200];
  snprintf(data, sizeof(data), "exporter,hs_code\nA,1\n%s,2\nB,3\n\"%s\",4\nC,5\n", big, big);
  const char *p = write_tmp(data, ".csv");
  rd x;
  rd_ok(&x, p, NULL, &o);
  emb_trade_record rec;
  next(&x, &rec);
  assert_string_equal(F(rec, EXPORTER), "A");
  next(&x, &rec);
  assert_true(rec.bad);
  assert_int_equal(rec.line, 3);
  assert_string_equal(F(rec, EXPORTER), "");
  must_diag(&x.d, EMB_SEV_ERROR, 3, "longer than 64 bytes");
  next(&x, &rec);
  assert_int_equal(rec.line, 4);
  assert_string_equal(F(rec, EXPORTER), "B");
  next(&x, &rec);
  assert_true(rec.bad);
  assert_int_equal(rec.line, 5);
  next(&x, &rec);
  assert_int_equal(rec.line, 6);
  assert_string_equal(F(rec, EXPORTER), "C");
  assert_false(rec.bad);
  expect_end(&x);
  rd_close(&x);
  /* JSON lines. */
  snprintf(data, sizeof(data),
           "{\"exporter\":\"A\"}\n{\"exporter\":\"%s\"}\n{\"exporter\":\"C\"}\n", big);
  p = write_tmp(data, ".jsonl");
  rd_ok(&x, p, NULL, &o);
  next(&x, &rec);
  next(&x, &rec);
  assert_true(rec.bad);
  assert_int_equal(rec.line, 2);
  must_diag(&x.d, EMB_SEV_ERROR, 2, "longer than 64 bytes");
  next(&x, &rec);
  assert_int_equal(rec.line, 3);
  assert_string_equal(F(rec, EXPORTER), "C");
  expect_end(&x);
  rd_close(&x);
}

static void test_line_numbers_crlf_and_cr(void **state) {
  (void)state;
  const char *p = write_tmp("exporter,note\r\nA,\"two\r\nlines\"\r\n\r\nB,x\rC,y\r\n", ".csv");
  rd x;
  rd_ok(&x, p, NULL, NULL);
  emb_trade_record rec;
  next(&x, &rec);
  assert_int_equal(rec.line, 2);
  assert_string_equal(rec.extra[0], "two\r\nlines");
  next(&x, &rec);
  assert_int_equal(rec.line, 5);
  assert_string_equal(F(rec, EXPORTER), "B");
  next(&x, &rec);
  assert_int_equal(rec.line, 6);
  assert_string_equal(F(rec, EXPORTER), "C");
  expect_clean_end(&x);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_field_names),
      cmocka_unit_test(test_auto_names),
      cmocka_unit_test(test_csv_auto_headers_and_extras),
      cmocka_unit_test(test_csv_preference_and_duplicates),
      cmocka_unit_test(test_csv_delimiters_and_bom),
      cmocka_unit_test(test_mapping_file),
      cmocka_unit_test(test_mapping_cyrillic),
      cmocka_unit_test(test_mapping_errors),
      cmocka_unit_test(test_mapping_flags),
      cmocka_unit_test(test_jsonl_flat),
      cmocka_unit_test(test_jsonl_ftm_entities),
      cmocka_unit_test(test_jsonl_real_ftm_payments),
      cmocka_unit_test(test_gzip_and_truncated),
      cmocka_unit_test(test_stdin),
      cmocka_unit_test(test_unterminated_quote_at_eof),
      cmocka_unit_test(test_quote_swallowing_records),
      cmocka_unit_test(test_field_counts),
      cmocka_unit_test(test_encoding),
      cmocka_unit_test(test_empty_and_headerless),
      cmocka_unit_test(test_huge_lines),
      cmocka_unit_test(test_line_numbers_crlf_and_cr),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
