/*
 * test_ofac_csv.c - unit tests for the OFAC legacy CSV loader (lists/load_ofac_csv.c)
 * and the remarks parser it uses (lists/ofac_remarks.c).
 *
 * The real files in /work/shared/data check counts and spot values: the SDN main file
 * of 2024-05-03 (one entity per row), the complete 2021-07 SDN set (8,976 entries with
 * addresses, aliases and remarks continuations), the 2025-12 non-SDN set (442 primary
 * records, 61 of them also on the SDN list of 2024-05-03), and the 2025-12 companion
 * files whose sdn.csv is missing (orphans). tests/data/ofac/mixed is a small set with
 * both groups in one directory and a remarks field cut at OFAC's 1000 characters.
 * Broken input comes from memory through emb__load_mem().
 */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "lists/entity.h"
#include "lists/loader.h"
#include "lists/ofac_remarks.h"

#define DATA "/work/shared/data/lists/ofac"
#define FIXTURES "tests/data/ofac"

/* ---------------------------------------------------------------- helpers */

/* A set and its diagnostics. */
typedef struct fx {
  emb_entity_set *set;
  emb_diags diags;
} fx;

static void fx_init(fx *f) {
  f->set = emb_set_new();
  assert_non_null(f->set);
  emb_diags_init(&f->diags);
}

static void fx_fini(fx *f) {
  emb_set_free(f->set);
  emb_diags_fini(&f->diags);
}

static int load(fx *f, const char *spec) {
  return emb_load(f->set, spec, &f->diags);
}

static int load_mem(fx *f, const char *data, const char *name) {
  return emb__load_mem(f->set, "ofac-csv", data, strlen(data), name, &f->diags);
}

static const emb_entity *get(fx *f, const char *id) {
  const emb_entity *e = emb_set_find(f->set, id);
  if (!e)
    fail_msg("entity %s not found", id);
  return e;
}

static const emb_name *find_name(const emb_entity *e, const char *full) {
  for (size_t i = 0; i < e->n_names; i++)
    if (strcmp(e->names[i].full, full) == 0)
      return &e->names[i];
  return NULL;
}

static void expect_name(const emb_entity *e, const char *full, emb_name_kind kind,
                        emb_strength strength) {
  const emb_name *n = find_name(e, full);
  if (!n)
    fail_msg("%s has no name \"%s\"", e->id, full);
  assert_int_equal(n->kind, kind);
  assert_int_equal(n->strength, strength);
}

static const emb_identifier *find_id(const emb_entity *e, const char *type, const char *value) {
  for (size_t i = 0; i < e->n_ids; i++)
    if (strcmp(e->ids[i].type, type) == 0 && strcmp(e->ids[i].value, value) == 0)
      return &e->ids[i];
  return NULL;
}

static void expect_id(const emb_entity *e, const char *type, const char *value,
                      const char *country) {
  const emb_identifier *x = find_id(e, type, value);
  if (!x)
    fail_msg("%s has no %s identifier \"%s\"", e->id, type, value);
  if (country)
    assert_string_equal(x->country ? x->country : "(null)", country);
  else
    assert_null(x->country);
}

static bool has_country(const emb_entity *e, emb_country_role role, const char *code) {
  for (size_t i = 0; i < e->n_countries; i++)
    if (e->countries[i].role == role && e->countries[i].code &&
        strcmp(e->countries[i].code, code) == 0)
      return true;
  return false;
}

static bool has_str(const emb_strs *l, const char *s) {
  for (size_t i = 0; i < l->count; i++)
    if (strcmp(l->items[i], s) == 0)
      return true;
  return false;
}

static bool has_date(const emb_entity *e, const char *formatted) {
  char buf[32];
  for (size_t i = 0; i < e->n_birth_dates; i++) {
    emb_date_format(&e->birth_dates[i], buf, sizeof(buf));
    if (strcmp(buf, formatted) == 0)
      return true;
  }
  return false;
}

/* True if a diagnostic of this severity names the line and contains all the words. */
static bool has_diag(const emb_diags *d, emb_severity sev, unsigned long line, const char *w1,
                     const char *w2) {
  for (size_t i = 0; i < d->count; i++) {
    const emb_diag *x = &d->items[i];
    char buf[1024];
    emb_diag_format(x, buf, sizeof(buf));
    if (x->severity == sev && (line == 0 || x->line == line) && strstr(buf, w1) &&
        (!w2 || strstr(buf, w2)))
      return true;
  }
  return false;
}

/* Counts the records of a headerless CSV the plain way: line ends outside quotes. */
static size_t count_records(const char *path) {
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  size_t n = 0;
  bool quoted = false, content = false;
  int c;
  while ((c = fgetc(fp)) != EOF) {
    if (c == '"')
      quoted = !quoted;
    if (c == '\n' && !quoted) {
      if (content)
        n++;
      content = false;
    } else if (c != '\r' && c != 0x1A) {
      content = true;
    }
  }
  if (content)
    n++;
  fclose(fp);
  return n;
}

/* ---------------------------------------------------------------- sniffing */

static bool sniff_str(const char *s, const char *path) {
  return emb__sniff_ofac_csv((const unsigned char *)s, strlen(s), path);
}

static bool sniff_file(const char *path) {
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  static unsigned char head[65536];
  size_t n = fread(head, 1, sizeof(head), fp);
  fclose(fp);
  return emb__sniff_ofac_csv(head, n, path);
}

static void test_sniff_real_files(void **state) {
  (void)state;
  assert_true(sniff_file(DATA "/sdn-2021-07/sdn.csv"));
  assert_true(sniff_file(DATA "/sdn-2021-07/add.csv"));
  assert_true(sniff_file(DATA "/sdn-2021-07/alt.csv"));
  assert_true(sniff_file(DATA "/sdn-2021-07/sdn_comments.csv"));
  assert_true(sniff_file(DATA "/cons-2025-12/cons_prim.csv"));
  assert_true(sniff_file(DATA "/cons-2025-12/cons_add.csv"));
  assert_true(sniff_file(DATA "/cons-2025-12/cons_alt.csv"));
  assert_true(sniff_file(DATA "/cons-2025-12/cons_comments.csv"));
  assert_true(sniff_file(DATA "/sdn-2024-05-03/sdn.csv"));
  /* Lists with a header row, and the tab-separated DPL, are not OFAC's CSV. */
  assert_false(sniff_file("/work/shared/data/lists/us/csl-small-fixture.csv"));
  assert_false(sniff_file("/work/shared/data/lists/uk/ConList-excerpt.csv"));
  assert_false(sniff_file("/work/shared/data/lists/us/bis-dpl-2023-11.txt"));
  assert_false(sniff_file("/work/shared/data/controls/chpl_hs6_2024-02.csv"));
}

static void test_sniff_memory(void **state) {
  (void)state;
  const char *main_row = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,"
                         "-0- ,-0- ,-0- ,-0- \r\n";
  assert_true(sniff_str(main_row, "x.csv"));
  assert_true(sniff_str("36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n", "x.csv"));
  assert_true(sniff_str("36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n", "x.csv"));
  /* A two-field comments file is only claimed under its name. */
  assert_true(sniff_str("28263,\"hn'; Linked To: LAZARUS GROUP.\"\r\n", "sdn_comments.csv"));
  assert_false(sniff_str("28263,\"hn'; Linked To: LAZARUS GROUP.\"\r\n", "notes.csv"));
  /* A header, a tab, an unquoted text value, a wrong type or field count: not ours. */
  assert_false(sniff_str("ent_num,SDN_Name,SDN_Type\r\n36,\"X\",-0-\r\n", "sdn.csv"));
  assert_false(sniff_str("36\t\"X\"\t-0-\r\n", "sdn.csv"));
  assert_false(sniff_str("36,AEROCARIBBEAN,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                         "-0- \r\n",
                         "sdn.csv"));
  assert_false(sniff_str("36,\"X\",\"company\",\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                         "-0- \r\n",
                         "sdn.csv"));
  assert_false(sniff_str("36,\"X\",-0- ,\"CUBA\"\r\n", "sdn.csv"));
  assert_false(sniff_str("", "sdn.csv"));
}

static void test_detect_directory_and_files(void **state) {
  (void)state;
  emb_diags d;
  emb_diags_init(&d);
  const char *name = NULL;
  assert_int_equal(emb_detect_format(DATA "/sdn-2021-07", &name, &d), 0);
  assert_string_equal(name, "ofac-csv");
  assert_int_equal(emb_detect_format(DATA "/sdn-2021-07/sdn.csv", &name, &d), 0);
  assert_string_equal(name, "ofac-csv");
  assert_int_equal(emb_detect_format(DATA "/cons-2025-12/cons_alt.csv", &name, &d), 0);
  assert_string_equal(name, "ofac-csv");
  emb_diags_fini(&d);
}

/* ------------------------------------------------------------- real lists */

static void test_sdn_2024_05_03_one_entity_per_row(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  size_t rows = count_records(DATA "/sdn-2024-05-03/sdn.csv");
  assert_int_equal(rows, 14965);
  assert_int_equal(load(&f, DATA "/sdn-2024-05-03"), 0);
  assert_int_equal(f.diags.n_errors, 0);
  assert_int_equal(emb_set_count(f.set), rows);
  const emb_source *src = emb_set_source(f.set, 0);
  assert_int_equal(src->n_records, rows);
  assert_int_equal(src->n_entities, rows);
  assert_string_equal(src->format, "ofac-csv");

  /* Schemas as the SDN_Type column says: 6,854 individuals, 851 vessels, 376 aircraft. */
  size_t n[EMB_SCHEMA_COUNT_] = {0};
  for (size_t i = 0; i < emb_set_count(f.set); i++)
    n[emb_set_get(f.set, i)->schema]++;
  assert_int_equal(n[EMB_SCHEMA_PERSON], 6854);
  assert_int_equal(n[EMB_SCHEMA_VESSEL], 851);
  assert_int_equal(n[EMB_SCHEMA_AIRPLANE], 376);
  assert_int_equal(n[EMB_SCHEMA_ORGANIZATION] + n[EMB_SCHEMA_COMPANY], 6884);
  assert_int_equal(n[EMB_SCHEMA_UNKNOWN], 0);

  /* A remarks field cut at 1000 characters without its continuation: the cut weak
     alias "'@" is not read, the complete ones before it are. */
  const emb_entity *e = get(&f, "ofac:47682");
  expect_name(e, "JACKROCK#3337", EMB_NAME_ALIAS, EMB_WEAK);
  assert_null(find_name(e, "@"));
  expect_id(e, "passport", "7019934211", "RU");
  expect_id(e, "crypto", "0xf3701f445b6bdafedbca97d1e477357839e4120d", NULL);
  assert_string_equal(find_id(e, "crypto", "0xf3701f445b6bdafedbca97d1e477357839e4120d")->note,
                      "Digital Currency Address - ETH");

  /* A Russian bank: SWIFT/BIC, INN, OGRN from the remarks. */
  e = get(&f, "ofac:17013");
  expect_id(e, "swift_bic", "VTBRRUMM", NULL);
  expect_id(e, "inn", "7702070139", "RU");
  expect_id(e, "ogrn", "1027739609391", "RU");
  assert_true(has_str(&e->programs, "UKRAINE-EO13662"));
  assert_true(has_str(&e->programs, "RUSSIA-EO14024"));
  fx_fini(&f);
}

static void test_sdn_2021_07_set(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  assert_int_equal(load(&f, DATA "/sdn-2021-07"), 0);
  assert_int_equal(f.diags.n_errors, 0);
  assert_int_equal(f.diags.n_warnings, 0);
  assert_int_equal(emb_set_count(f.set), 8976);
  assert_int_equal(emb_set_source(f.set, 0)->n_records, 8976);

  /* A person: dates, places, nationality and passports from the remarks, strong
     aliases from alt.csv, a weak one from the remarks. */
  const emb_entity *e = get(&f, "ofac:7828");
  assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
  assert_string_equal(e->source, "ofac");
  assert_true(has_str(&e->lists, "SDN"));
  const emb_name *pn = find_name(e, "AMDOUNI, Mehrez");
  assert_non_null(pn);
  assert_int_equal(pn->kind, EMB_NAME_PRIMARY);
  assert_int_equal(pn->strength, EMB_STRONG);
  assert_string_equal(pn->family, "AMDOUNI");
  assert_string_equal(pn->given, "Mehrez");
  assert_int_equal(e->n_birth_dates, 4);
  assert_true(has_date(e, "1969-12-18"));
  assert_true(has_date(e, "1968-05-25"));
  assert_true(has_date(e, "1969-07-14"));
  assert_true(has_str(&e->birth_places, "Tunis, Tunisia"));
  assert_true(has_str(&e->birth_places, "Naples, Italy"));
  assert_true(has_country(e, EMB_COUNTRY_NATIONALITY, "TN"));
  assert_true(has_country(e, EMB_COUNTRY_BIRTH, "IT"));
  assert_true(has_country(e, EMB_COUNTRY_BIRTH, "DZ"));
  expect_id(e, "passport", "G737411", "TN");
  expect_id(e, "passport", "0801888", "BA");
  expect_name(e, "ABU THALE", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "FUSCO, Fabio", EMB_NAME_ALIAS, EMB_STRONG);
  assert_string_equal(find_name(e, "FUSCO, Fabio")->family, "FUSCO");
  assert_int_equal(e->n_names, 8); /* primary + 6 from alt.csv + 1 weak */

  /* A vessel: IMO and MMSI, flag as jurisdiction, former names and flags. */
  e = get(&f, "ofac:15036");
  assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
  expect_id(e, "imo", "9187629", NULL);
  expect_id(e, "mmsi", "572469210", NULL);
  expect_id(e, "other", "T2EU4", NULL); /* call sign */
  assert_true(has_country(e, EMB_COUNTRY_JURISDICTION, "IR"));
  assert_true(has_country(e, EMB_COUNTRY_OTHER, "MT"));
  expect_name(e, "ABADAN", EMB_NAME_FORMER, EMB_STRONG);
  expect_name(e, "ALPHA", EMB_NAME_FORMER, EMB_WEAK);
  assert_true(has_str(&e->linked_to, "NATIONAL IRANIAN TANKER COMPANY"));

  /* Addresses with their countries. */
  e = get(&f, "ofac:306");
  assert_int_equal(e->n_addresses, 4);
  assert_true(has_country(e, EMB_COUNTRY_ADDRESS, "CH"));
  assert_true(has_country(e, EMB_COUNTRY_ADDRESS, "JP"));
  assert_string_equal(e->addresses[0].full, "Zweierstrasse 35, Zurich CH-8022, Switzerland");
  assert_string_equal(e->addresses[0].country, "CH");
  expect_name(e, "BNC", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "NATIONAL BANK OF CUBA", EMB_NAME_ALIAS, EMB_STRONG);

  /* sdn_comments.csv continues a remarks field: the cut alias and the link after it. */
  e = get(&f, "ofac:28263");
  expect_name(e, "snowsjohn", EMB_NAME_ALIAS, EMB_WEAK);
  assert_true(has_str(&e->linked_to, "LAZARUS GROUP"));
  assert_non_null(strstr(e->remarks.items[0], "a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP."));
  assert_string_equal(e->gender, "male");
  fx_fini(&f);
}

static void test_cons_2025_12(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  assert_int_equal(load(&f, DATA "/cons-2025-12"), 0);
  assert_int_equal(f.diags.n_errors, 0);
  assert_int_equal(f.diags.n_warnings, 0);
  assert_int_equal(emb_set_count(f.set), 442);
  assert_int_equal(emb_set_source(f.set, 0)->n_records, 442);
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *e = emb_set_get(f.set, i);
    assert_int_equal(e->lists.count, 1);
    assert_string_equal(e->lists.items[0], "Non-SDN");
  }
  /* cons_comments.csv joins the remarks before they are parsed. */
  const emb_entity *e = get(&f, "ofac:17014");
  expect_id(e, "ogrn", "1027700342890", "RU");
  expect_name(e, "RUSAG", EMB_NAME_ALIAS, EMB_WEAK);
  fx_fini(&f);
}

static void test_merge_sdn_and_non_sdn(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  assert_int_equal(load(&f, DATA "/sdn-2024-05-03"), 0);
  assert_int_equal(load(&f, DATA "/cons-2025-12"), 0);
  /* 61 ent_nums are on both lists: 14,965 + 442 - 61. */
  assert_int_equal(emb_set_count(f.set), 15346);
  size_t both = 0;
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *e = emb_set_get(f.set, i);
    if (has_str(&e->lists, "SDN") && has_str(&e->lists, "Non-SDN"))
      both++;
  }
  assert_int_equal(both, 61);
  assert_int_equal(emb_set_source(f.set, 1)->n_entities, 442);
  const emb_entity *e = get(&f, "ofac:17013");
  assert_int_equal(e->lists.count, 2);
  size_t primaries = 0;
  for (size_t i = 0; i < e->n_names; i++)
    primaries += e->names[i].kind == EMB_NAME_PRIMARY;
  assert_int_equal(primaries, 1);
  fx_fini(&f);
}

static void test_merge_in_memory(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  assert_int_equal(
      load_mem(&f,
               "5,\"ONE CO\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
               "6,\"TWO CO\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
               "sdn.csv"),
      0);
  assert_int_equal(load_mem(&f,
                            "6,\"TWO CO\",-0- ,\"NS-ISA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                            "\"a.k.a. 'TWO'.\"\r\n\x1a",
                            "cons_prim.csv"),
                   0);
  assert_int_equal(emb_set_count(f.set), 2);
  const emb_entity *e = get(&f, "ofac:6");
  assert_true(has_str(&e->lists, "SDN"));
  assert_true(has_str(&e->lists, "Non-SDN"));
  assert_true(has_str(&e->programs, "SDGT"));
  assert_true(has_str(&e->programs, "NS-ISA"));
  expect_name(e, "TWO", EMB_NAME_ALIAS, EMB_WEAK);
  assert_int_equal(get(&f, "ofac:5")->lists.count, 1);
  fx_fini(&f);
}

static void test_mixed_directory(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  assert_int_equal(load(&f, FIXTURES "/mixed"), 0);
  assert_int_equal(f.diags.n_errors + f.diags.n_warnings, 0);
  assert_int_equal(emb_set_count(f.set), 3);
  const emb_entity *e = get(&f, "ofac:100");
  /* The remarks were cut inside 'FALCON THE GREAT'; sdn_comments.csv completes them. */
  expect_name(e, "FALCON THE GREAT", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "SOKOL", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "KOVALYOV, Ivan", EMB_NAME_ALIAS, EMB_STRONG);
  assert_true(has_str(&e->linked_to, "ALPHA HOLDING"));
  expect_id(e, "passport", "MP1234567", "BY");
  assert_true(has_date(e, "1970-02-02"));
  e = get(&f, "ofac:200");
  assert_int_equal(e->schema, EMB_SCHEMA_COMPANY); /* "Target Type Private Company" */
  assert_true(has_str(&e->lists, "SDN") && has_str(&e->lists, "Non-SDN"));
  expect_name(e, "ALPHA HOLDING", EMB_NAME_ALIAS, EMB_STRONG);
  expect_id(e, "inn", "7701234567", "RU");
  expect_id(e, "ogrn", "1027700000001", "RU");
  assert_int_equal(e->programs.count, 3);
  e = get(&f, "ofac:300");
  assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
  expect_name(e, "OLD BETA BANK", EMB_NAME_FORMER, EMB_STRONG);
  assert_true(has_country(e, EMB_COUNTRY_ADDRESS, "RU"));
  fx_fini(&f);
}

static void test_lone_files_attach(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  /* The main file alone: the cut alias is not read. */
  assert_int_equal(load(&f, FIXTURES "/mixed/sdn.csv"), 0);
  const emb_entity *e = get(&f, "ofac:100");
  assert_null(find_name(e, "FAL"));
  assert_null(find_name(e, "FALCON THE GREAT"));
  /* The continuation loaded on its own completes the entity loaded before. */
  assert_int_equal(load(&f, FIXTURES "/mixed/sdn_comments.csv"), 0);
  e = get(&f, "ofac:100");
  expect_name(e, "FALCON THE GREAT", EMB_NAME_ALIAS, EMB_WEAK);
  assert_true(has_str(&e->linked_to, "ALPHA HOLDING"));
  assert_int_equal(e->remarks.count, 1);
  assert_non_null(strstr(e->remarks.items[0], "'FALCON THE GREAT'; Linked To: ALPHA HOLDING."));
  /* cons_alt.csv alone: 300 is not in the set, 200 is. */
  assert_int_equal(load(&f, FIXTURES "/mixed/cons_alt.csv"), 0);
  expect_name(get(&f, "ofac:200"), "ALPHA HOLDING", EMB_NAME_ALIAS, EMB_STRONG);
  assert_null(emb_set_find(f.set, "ofac:300"));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 0, "1 alias records", "300"));
  fx_fini(&f);
}

static void test_orphans_real(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  /* No sdn.csv in the directory: nothing to attach to, one warning per file. */
  assert_int_equal(load(&f, DATA "/sdn-2025-12-partial"), 0);
  assert_int_equal(emb_set_count(f.set), 0);
  assert_int_equal(f.diags.n_errors, 0);
  assert_int_equal(f.diags.n_warnings, 3);
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 0, "24244 address records", "add.csv"));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 0, "20107 alias records", "alt.csv"));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 0, "28 remarks continuations", NULL));
  fx_fini(&f);

  /* With the 2024 sdn.csv loaded first, most rows find their entity. */
  fx_init(&f);
  assert_int_equal(load(&f, DATA "/sdn-2024-05-03/sdn.csv"), 0);
  assert_int_equal(load(&f, DATA "/sdn-2025-12-partial/alt.csv"), 0);
  assert_int_equal(load(&f, DATA "/sdn-2025-12-partial/sdn_comments.csv"), 0);
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 0, "2460 alias records", "alt.csv"));
  assert_int_equal(emb_set_count(f.set), 14965);
  /* The 2024 remarks of 47682 end in "a.k.a. '@"; the 2025 continuation finishes it. */
  const emb_entity *e = get(&f, "ofac:47682");
  expect_name(e, "@BASSTERLORD 0170742922", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "INVESTORLIFE1", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "KONDRATYEV, Ivan", EMB_NAME_ALIAS, EMB_STRONG);
  fx_fini(&f);
}

/* ------------------------------------------------------------- bad input */

static void test_ragged_rows(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  const char *csv =
      "1,\"GOOD ONE\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
      /* line 2: an unquoted comma in the name: 13 fields */
      "2,SMITH, John,\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
      /* line 3: three fields */
      "3,\"SHORT ROW\",\"individual\"\r\n"
      /* line 4: non-numeric ent_num */
      "4x,\"BAD ID\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
      /* line 5: one field */
      "5\r\n"
      /* line 6: empty name */
      "6,-0- ,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
      "7,\"GOOD TWO, Jane\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
      "\"DOB 1960; nationality Iran.\"\r\n\x1a";
  assert_int_equal(load_mem(&f, csv, "sdn.csv"), EMB_EFORMAT);
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 2, "field count", "found 13"));
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 3, "field count", "found 3"));
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 4, "ent_num", "4x"));
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 5, "field count", "skipped"));
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 6, "SDN_Name", "skipped"));
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 2, "sdn.csv:2", NULL));
  assert_int_equal(f.diags.n_errors, 5);
  /* Good rows, and the ids and names of the ragged rows with at least two fields. */
  assert_int_equal(emb_set_count(f.set), 4);
  get(&f, "ofac:1");
  const emb_entity *e = get(&f, "ofac:7");
  assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
  assert_true(has_date(e, "1960"));
  assert_true(has_country(e, EMB_COUNTRY_NATIONALITY, "IR"));
  assert_non_null(find_name(get(&f, "ofac:2"), "SMITH"));
  assert_int_equal(get(&f, "ofac:3")->schema, EMB_SCHEMA_PERSON);
  assert_null(emb_set_find(f.set, "ofac:4x"));
  assert_null(emb_set_find(f.set, "ofac:6"));
  assert_int_equal(emb_set_source(f.set, 0)->n_records, 7);
  fx_fini(&f);
}

static void test_bad_companion_rows(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  assert_int_equal(
      load_mem(&f, "10,\"TEN CO\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
               "sdn.csv"),
      0);
  const char *alt = "10,1,\"aka\",\"TEN COMPANY\",-0- \r\n"
                    "10,2,\"aka\",\"TEN, COMPANY\",\"x\",\"y\"\r\n" /* 6 fields */
                    "abc,3,\"aka\",\"X\",-0- \r\n"
                    "10,4,\"xyz\",\"TEN CORP\",-0- \r\n"          /* unknown type: a warning */
                    "10,5,\"fka\",\"TEN LTD\",\"weak alias\"\r\n" /* remark says weak */
                    "99,6,\"aka\",\"NOBODY\",-0- \r\n";           /* orphan */
  assert_int_equal(load_mem(&f, alt, "alt.csv"), EMB_EFORMAT);
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 2, "field count", "found 6"));
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 3, "ent_num", NULL));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 4, "alt_type", "xyz"));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 0, "1 alias records", "99"));
  const emb_entity *e = get(&f, "ofac:10");
  expect_name(e, "TEN COMPANY", EMB_NAME_ALIAS, EMB_STRONG);
  expect_name(e, "TEN CORP", EMB_NAME_ALIAS, EMB_STRONG);
  expect_name(e, "TEN LTD", EMB_NAME_FORMER, EMB_WEAK);
  assert_null(find_name(e, "TEN, COMPANY"));
  fx_fini(&f);
}

static void test_garbage_does_not_load(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  /* An unknown file name and content that is no OFAC file at all. */
  assert_int_equal(load_mem(&f, "hello,world\r\n", "list.csv"), EMB_EFORMAT);
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 1, "not an OFAC legacy CSV", NULL));
  /* Under a main-file name, the same text is reported row by row. */
  assert_int_equal(load_mem(&f, "hello,world\r\n\"unterminated", "sdn.csv"), EMB_EFORMAT);
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 1, "ent_num", "hello"));
  assert_int_equal(emb_set_count(f.set), 0);
  /* Empty input: nothing read, nothing lost. */
  assert_int_equal(load_mem(&f, "", "sdn.csv"), 0);
  assert_int_equal(load_mem(&f, "\x1a", "sdn.csv"), 0);
  fx_fini(&f);
}

/* ----------------------------------------------------------------- remarks */

/* An empty entity of the given schema in a fresh set. */
static emb_entity *new_entity(emb_entity_set *set, const char *id, emb_schema schema) {
  emb_entity *e = emb__set_upsert(set, id, NULL);
  assert_non_null(e);
  e->schema = schema;
  return e;
}

static void apply(emb_entity_set *set, emb_entity *e, const char *text, unsigned flags,
                  emb_diags *d) {
  emb_ofac_where w = {d, "test", 1, "Remarks"};
  assert_int_equal(emb__ofac_remarks_apply(set, e, text, strlen(text), flags, &w), 0);
}

static void test_remarks_dates(void **state) {
  (void)state;
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  emb_entity *e = new_entity(set, "ofac:1", EMB_SCHEMA_PERSON);
  apply(set, e,
        "DOB 12 Jan 1965; alt. DOB circa 1958; alt. DOB 1960 to 1962; alt. DOB 01 Jan 1973 to "
        "31 Dec 1973; alt. DOB 21 Mar 1962 to 20 Mar 1963; alt. DOB Mar 1955 to Mar 1955; alt. "
        "DOB Feb 1970; DOB nonsense.",
        0, &d);
  assert_true(has_date(e, "1965-01-12"));
  assert_true(has_date(e, "~1958"));
  assert_true(has_date(e, "1960/1962"));
  assert_true(has_date(e, "1973"));
  assert_true(has_date(e, "1962/1963"));
  assert_true(has_date(e, "1955-03"));
  assert_true(has_date(e, "1970-02"));
  assert_int_equal(e->n_birth_dates, 7);
  assert_int_equal(d.n_warnings, 1);
  assert_true(has_diag(&d, EMB_SEV_WARNING, 1, "nonsense", NULL));
  emb_diags_fini(&d);
  emb_set_free(set);
}

static void test_remarks_identifiers(void **state) {
  (void)state;
  emb_entity_set *set = emb_set_new();
  emb_entity *e = new_entity(set, "ofac:1", EMB_SCHEMA_PERSON);
  apply(set, e,
        "Passport A1234 (Iran) issued 01 Jan 2000 expires 01 Jan 2005; alt. Passport C 1415363 - "
        "16/2/1421H issued 21 May 2000; National ID No. 10100722073 (Iran); Cedula No. 6068015 "
        "(Colombia); C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968; R.F.C. DIB-771110-HQ1; SSN "
        "561-77-9011 (United States); Identification Number 2.194.575 (Paraguay); Passport and "
        "National ID were issued in Ulm, Germany; Registration Number HRA 738077 (Stuttgart) "
        "(Germany); Email Address x@y.example; Tax ID No. 100036386 (Serbia).",
        0, NULL);
  expect_id(e, "passport", "A1234", "IR");
  expect_id(e, "passport", "C 1415363 - 16/2/1421H", NULL);
  expect_id(e, "national_id", "10100722073", "IR");
  expect_id(e, "national_id", "6068015", "CO");
  expect_id(e, "national_id", "AIMM67125HCHRRG06", "MX");
  expect_id(e, "tax_id", "DIB-771110-HQ1", "MX");
  expect_id(e, "national_id", "561-77-9011", "US");
  expect_id(e, "national_id", "2.194.575", "PY"); /* a person's Identification Number */
  expect_id(e, "registration", "HRA 738077 (Stuttgart)", "DE");
  expect_id(e, "other", "x@y.example", NULL);
  expect_id(e, "tax_id", "100036386", "RS"); /* last fact: its final '.' removed */
  assert_int_equal(e->n_ids, 11); /* "Passport and National ID were issued ..." is prose */

  emb_entity *o = new_entity(set, "ofac:2", EMB_SCHEMA_ORGANIZATION);
  apply(set, o,
        "Tax ID No. 7744001497 (Russia); Registration Number 1027700167110 (Russia); "
        "Government Gazette Number 00044463 (Russia); Identification Number 2181558; Vessel "
        "Registration Identification IMO 9187629; Identification Number IMO 5342883; MMSI "
        "572469210; SWIFT/BIC VTBRRUMM; Digital Currency Address - XBT "
        "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h; alt. Digital Currency Address - ETH 0xabc123; "
        "Legal Entity Number 253400WSS48YWMBUA688; Linked To: INDUITEX LTDA.; Target Type "
        "State-Owned Enterprise; Nationality of Registration Russia.",
        0, NULL);
  expect_id(o, "inn", "7744001497", "RU");
  expect_id(o, "ogrn", "1027700167110", "RU");
  expect_id(o, "registration", "00044463", "RU");
  expect_id(o, "registration", "2181558", NULL); /* an organisation's Identification Number */
  expect_id(o, "imo", "9187629", NULL);
  expect_id(o, "imo", "5342883", NULL);
  expect_id(o, "mmsi", "572469210", NULL);
  expect_id(o, "swift_bic", "VTBRRUMM", NULL);
  expect_id(o, "crypto", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", NULL);
  assert_string_equal(find_id(o, "crypto", "0xabc123")->note, "Digital Currency Address - ETH");
  expect_id(o, "registration", "253400WSS48YWMBUA688", NULL);
  assert_true(has_str(&o->linked_to, "INDUITEX LTDA.")); /* not the last fact: keeps its '.' */
  assert_int_equal(o->schema, EMB_SCHEMA_COMPANY);
  assert_true(has_country(o, EMB_COUNTRY_JURISDICTION, "RU"));

  assert_string_equal(emb__ofac_id_type("Tax ID No.", 10, "RU", "7744001497", EMB_SCHEMA_COMPANY),
                      "inn");
  assert_string_equal(emb__ofac_id_type("Passport", 8, "IR", "A1", EMB_SCHEMA_PERSON), "passport");
  assert_string_equal(
      emb__ofac_id_type("Digital Currency Address - XBT", 30, NULL, "1a", EMB_SCHEMA_PERSON),
      "crypto");
  assert_string_equal(emb__ofac_id_type("Nonsense Label", 14, NULL, "1", EMB_SCHEMA_PERSON),
                      "other");
  emb_set_free(set);
}

static void test_remarks_people_facts(void **state) {
  (void)state;
  emb_entity_set *set = emb_set_new();
  emb_entity *e = new_entity(set, "ofac:1", EMB_SCHEMA_PERSON);
  apply(set, e,
        "POB Culiacan, Sinaloa, Mexico; alt. POB Atlantis; nationality Korea, North; alt. "
        "nationality Iran; citizen Mexico; Gender Female; a.k.a. 'BNC'; a.k.a. ''FOOPIE''; "
        "a.k.a. ''Umar al-Qatari'; a.k.a. 'AL-WARD, 'Abd'; f.k.a. \"OLD NAME\"; n.k.a. 'NEW "
        "NAME'; ICTY indictee; Linked To: PRIGOZHIN, Yevgeniy Viktorovich.",
        0, NULL);
  assert_true(has_str(&e->birth_places, "Culiacan, Sinaloa, Mexico"));
  assert_true(has_str(&e->birth_places, "Atlantis"));
  assert_true(has_country(e, EMB_COUNTRY_BIRTH, "MX"));
  assert_true(has_country(e, EMB_COUNTRY_NATIONALITY, "KP"));
  assert_true(has_country(e, EMB_COUNTRY_NATIONALITY, "IR"));
  assert_true(has_country(e, EMB_COUNTRY_CITIZENSHIP, "MX"));
  assert_string_equal(e->gender, "female");
  expect_name(e, "BNC", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "FOOPIE", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "'Umar al-Qatari", EMB_NAME_ALIAS, EMB_WEAK);
  expect_name(e, "AL-WARD, 'Abd", EMB_NAME_ALIAS, EMB_WEAK);
  assert_string_equal(find_name(e, "AL-WARD, 'Abd")->family, "AL-WARD");
  expect_name(e, "OLD NAME", EMB_NAME_FORMER, EMB_WEAK);
  expect_name(e, "NEW NAME", EMB_NAME_ALIAS, EMB_WEAK);
  assert_true(has_str(&e->linked_to, "PRIGOZHIN, Yevgeniy Viktorovich"));
  assert_int_equal(e->n_names, 6);
  emb_set_free(set);
}

static void test_remarks_truncated_and_continued(void **state) {
  (void)state;
  emb_entity_set *set = emb_set_new();
  emb_entity *e = new_entity(set, "ofac:1", EMB_SCHEMA_PERSON);
  apply(set, e, "nationality Iran; a.k.a. 'ABU", EMB_OFAC_REMARKS_TRUNCATED, NULL);
  assert_int_equal(e->n_names, 0);
  assert_true(has_country(e, EMB_COUNTRY_NATIONALITY, "IR"));
  apply(set, e, "hn'; Linked To: LAZARUS GROUP.", EMB_OFAC_REMARKS_CONTINUATION, NULL);
  assert_int_equal(e->n_names, 0);
  assert_true(has_str(&e->linked_to, "LAZARUS GROUP"));
  /* Whatever the bytes, the parser returns 0 and stays in bounds. */
  static const char *const junk[] = {";;;;",
                                     "a.k.a. '",
                                     "a.k.a. ''",
                                     "DOB  to ",
                                     "Passport ()",
                                     "Passport (",
                                     "Digital Currency Address - ",
                                     "POB ,",
                                     "alt. ",
                                     "Registration Number 123 ()"};
  for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
    apply(set, e, junk[i], 0, NULL);
  char big[5000];
  memset(big, 'x', sizeof(big) - 1);
  memcpy(big, "Passport 1", 10);
  big[sizeof(big) - 1] = '\0';
  apply(set, e, big, 0, NULL);
  emb_set_free(set);
}

/* Hostile sizes stay linear: facts per remarks text and values per entity are capped. */
static void test_caps(void **state) {
  (void)state;
  fx f;
  fx_init(&f);
  size_t n = 1500, size = n * 24 + 256;
  char *buf = malloc(size);
  assert_non_null(buf);
  size_t o = (size_t)snprintf(buf, size, "1,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"");
  for (size_t i = 0; i < n; i++)
    o += (size_t)snprintf(buf + o, size - o, "a.k.a. 'X%05zu'; ", i);
  snprintf(buf + o, size - o, "\"\r\n");
  assert_int_equal(load_mem(&f, buf, "sdn.csv"), 0);
  assert_int_equal(get(&f, "ofac:1")->n_names, 1 + 1024);
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 1, "more than 1024 facts", NULL));
  free(buf);

  n = 4200;
  size = n * 40 + 64;
  buf = malloc(size);
  assert_non_null(buf);
  o = 0;
  for (size_t i = 0; i < n; i++)
    o += (size_t)snprintf(buf + o, size - o, "1,%zu,\"aka\",\"NAME %05zu\",-0- \r\n", i, i);
  assert_int_equal(load_mem(&f, buf, "alt.csv"), EMB_EFORMAT);
  assert_int_equal(get(&f, "ofac:1")->n_names, 4096);
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 0, "4096 values", "skipped"));
  free(buf);
  fx_fini(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sniff_real_files),
      cmocka_unit_test(test_sniff_memory),
      cmocka_unit_test(test_detect_directory_and_files),
      cmocka_unit_test(test_sdn_2024_05_03_one_entity_per_row),
      cmocka_unit_test(test_sdn_2021_07_set),
      cmocka_unit_test(test_cons_2025_12),
      cmocka_unit_test(test_merge_sdn_and_non_sdn),
      cmocka_unit_test(test_merge_in_memory),
      cmocka_unit_test(test_mixed_directory),
      cmocka_unit_test(test_lone_files_attach),
      cmocka_unit_test(test_orphans_real),
      cmocka_unit_test(test_ragged_rows),
      cmocka_unit_test(test_bad_companion_rows),
      cmocka_unit_test(test_garbage_does_not_load),
      cmocka_unit_test(test_remarks_dates),
      cmocka_unit_test(test_remarks_identifiers),
      cmocka_unit_test(test_remarks_people_facts),
      cmocka_unit_test(test_remarks_truncated_and_continued),
      cmocka_unit_test(test_caps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
