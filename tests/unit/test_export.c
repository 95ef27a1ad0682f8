/*
 * test_export.c - FtM and CSV export (lists/export.c).
 *
 * The FtM export is checked by a round trip: a real list is loaded with its own loader,
 * exported, loaded back with the FtM loader, and every entity must come back with the
 * same names, birth dates, countries, identifiers and the rest, up to the documented
 * mapping (docs/EXPORT.md): a circa mark is dropped, a year range becomes its years,
 * identifier types FtM has no property for come back as national_id, a second primary
 * name comes back as an alias. A second export of the re-loaded set must be byte for
 * byte the first. The CSV is read back with the project's own RFC 4180 reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "core/csv.h"
#include "lists/loader.h"

#include "testutil.h"

#define LISTS EMB_TEST_DATA "/lists"
#define FIXTURES "tests/data/ftm"

/* --------------------------------------------------------------- helpers */

/* Loads a list that must load without an error; the caller frees the set. */
static emb_entity_set *load_set(const char *spec) {
  fx f;
  load_ok(&f, spec);
  emb_diags_fini(&f.diags);
  return f.set;
}

/* Exports every entity of the set as FtM into a fresh temporary file (rewound). */
static FILE *export_all(const emb_entity_set *s) {
  FILE *f = tmpfile();
  assert_non_null(f);
  for (size_t i = 0; i < emb_set_count(s); i++)
    assert_int_equal(emb_export_ftm(f, emb_set_get(s, i)), 0);
  assert_int_equal(fflush(f), 0);
  rewind(f);
  return f;
}

/* Reads a whole stream into a malloc'ed buffer. */
static char *slurp(FILE *f, size_t *n) {
  rewind(f);
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
  }
  *n = len;
  return buf;
}

/* Loads FtM text with the FtM loader. */
static emb_entity_set *reload(const char *text, size_t n) {
  emb_entity_set *s = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(s, "ftm", text, n, "export.ftm.json", &d), 0);
  assert_int_equal(d.n_warnings, 0);
  emb_diags_fini(&d);
  return s;
}

static void assert_same_strs(const emb_strs *a, const emb_strs *b) {
  assert_int_equal(a->count, b->count);
  for (size_t i = 0; i < a->count; i++)
    assert_true(has_str(b, a->items[i]));
}

/* The identifier type an identifier comes back with (docs/EXPORT.md). */
static const char *expected_id_type(const emb_identifier *id) {
  static const char *const kept[] = {"passport",     "national_id", "tax_id", "inn",      "ogrn",
                                     "registration", "imo",         "mmsi",   "swift_bic"};
  static const char *const other_props[] = {"leiCode",  "vatCode",        "okpoCode",
                                            "dunsCode", "uniqueEntityId", "socialSecurityNumber",
                                            "callSign"};
  for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
    if (strcmp(kept[i], id->type) == 0)
      return id->type;
  if (strcmp(id->type, "other") == 0 && id->note)
    for (size_t i = 0; i < sizeof(other_props) / sizeof(other_props[0]); i++)
      if (strcmp(other_props[i], id->note) == 0)
        return "other";
  return "national_id";
}

/* The FtM dates an original date becomes, as formatted strings, added to `out`. */
static void expected_dates(const emb_date *d, char out[][32], size_t *n, size_t max) {
  if (d->year_to > d->year) {
    int to = d->year_to - d->year > 20 ? d->year : d->year_to;
    for (int y = d->year; y <= to && *n < max; y++)
      snprintf(out[(*n)++], 32, "%04d", y);
    if (to != d->year_to && *n < max)
      snprintf(out[(*n)++], 32, "%04d", d->year_to);
    return;
  }
  emb_date p = *d;
  p.circa = false;
  emb_date_format(&p, out[(*n)++], 32);
}

static const emb_name *primary(const emb_entity *e) {
  for (size_t i = 0; i < e->n_names; i++)
    if (e->names[i].kind == EMB_NAME_PRIMARY)
      return &e->names[i];
  return e->n_names ? &e->names[0] : NULL;
}

static void assert_same_entity(const emb_entity *a, const emb_entity *b) {
  assert_non_null(b);
  assert_int_equal(a->schema, b->schema);
  assert_string_equal(a->source, b->source);
  /* Names: the same texts, kinds as FtM can say them. */
  assert_int_equal(a->n_names, b->n_names);
  const emb_name *pa = primary(a);
  for (size_t i = 0; i < a->n_names; i++) {
    const emb_name *n = &a->names[i];
    const emb_name *m = NULL;
    for (size_t j = 0; j < b->n_names && !m; j++)
      if (strcmp(b->names[j].full, n->full) == 0)
        m = &b->names[j];
    assert_non_null(m);
    emb_name_kind kind = n->kind == EMB_NAME_FORMER ? EMB_NAME_FORMER
                         : n == pa                  ? EMB_NAME_PRIMARY
                                                    : EMB_NAME_ALIAS;
    emb_strength strength = n->kind == EMB_NAME_FORMER ? EMB_STRONG : n->strength;
    if (n == pa && n->strength == EMB_STRONG)
      assert_int_equal(m->kind, kind);
    else if (n != pa)
      assert_int_equal(m->kind, kind);
    assert_int_equal(m->strength, strength);
    assert_string_equal(m->script, n->script);
  }
  const emb_name *pb = primary(b);
  if (pa && pa->strength == EMB_STRONG && pa->kind == EMB_NAME_PRIMARY) {
    assert_string_equal(pa->full, pb->full);
#define SAME_PART(f)                                                                               \
  if (pa->f)                                                                                       \
    assert_string_equal(pa->f, pb->f);
    SAME_PART(given)
    SAME_PART(middle)
    SAME_PART(family)
    SAME_PART(patronymic)
#undef SAME_PART
  }
  /* Birth dates as sets of ISO strings. */
  char want[64][32];
  size_t n_want = 0;
  for (size_t i = 0; i < a->n_birth_dates; i++)
    expected_dates(&a->birth_dates[i], want, &n_want, 64);
  for (size_t i = 0; i < n_want; i++) {
    bool found = false;
    for (size_t j = 0; j < b->n_birth_dates && !found; j++) {
      char got[32];
      emb_date_format(&b->birth_dates[j], got, sizeof(got));
      found = strcmp(got, want[i]) == 0;
    }
    assert_true(found);
  }
  assert_true(b->n_birth_dates <= n_want);
  /* Countries: same (code or text, role) set; unknown two-letter codes are not written. */
  size_t n_countries = 0;
  for (size_t i = 0; i < a->n_countries; i++) {
    const emb_country *c = &a->countries[i];
    if (!c->code && strlen(c->raw) == 2)
      continue;
    n_countries++;
    bool found = false;
    for (size_t j = 0; j < b->n_countries && !found; j++) {
      const emb_country *d = &b->countries[j];
      found = c->role == d->role && (c->code ? d->code && strcmp(c->code, d->code) == 0
                                             : !d->code && strcmp(c->raw, d->raw) == 0);
    }
    if (!found)
      print_error("country %s/%s role %d of %s lost\n", c->code ? c->code : "-", c->raw, c->role,
                  a->id);
    assert_true(found);
  }
  assert_int_equal(n_countries, b->n_countries);
  /* Identifiers: same values, types mapped (two that map alike become one). */
  size_t distinct = 0;
  for (size_t i = 0; i < a->n_ids; i++) {
    bool dup = false;
    for (size_t j = 0; j < i && !dup; j++)
      dup = strcmp(a->ids[j].value, a->ids[i].value) == 0 &&
            strcmp(expected_id_type(&a->ids[j]), expected_id_type(&a->ids[i])) == 0;
    distinct += !dup;
  }
  assert_int_equal(distinct, b->n_ids);
  for (size_t i = 0; i < a->n_ids; i++) {
    bool found = false;
    for (size_t j = 0; j < b->n_ids && !found; j++)
      found = strcmp(b->ids[j].value, a->ids[i].value) == 0 &&
              strcmp(b->ids[j].type, expected_id_type(&a->ids[i])) == 0;
    assert_true(found);
  }
  assert_int_equal(a->n_addresses, b->n_addresses);
  for (size_t i = 0; i < a->n_addresses; i++) {
    bool found = false;
    for (size_t j = 0; j < b->n_addresses && !found; j++)
      found = strcmp(a->addresses[i].full, b->addresses[j].full) == 0;
    assert_true(found);
  }
  assert_same_strs(&a->birth_places, &b->birth_places);
  assert_same_strs(&a->programs, &b->programs);
  assert_same_strs(&a->remarks, &b->remarks);
  if (a->schema == EMB_SCHEMA_PERSON)
    assert_same_strs(&a->titles, &b->titles);
  if (a->gender)
    assert_string_equal(a->gender, b->gender);
  else
    assert_null(b->gender);
  for (size_t i = 0; i < a->lists.count; i++)
    assert_true(has_str(&b->lists, a->lists.items[i]));
  assert_true(has_str(&b->lists, a->source));
}

/* Exports a set and returns the text (malloc'ed) and its length. */
static char *export_text(const emb_entity_set *s, size_t *n) {
  FILE *f = export_all(s);
  char *text = slurp(f, n);
  fclose(f);
  return text;
}

/*
 * Round-trips one list. The export of the re-loaded set must equal the first export
 * when `fixed` (FtM sources, which hold nothing FtM cannot say), and must in any case
 * be a fixed point from the second round on.
 */
static void round_trip(const char *spec, size_t min_entities, bool fixed) {
  emb_entity_set *a = load_set(spec);
  assert_true(emb_set_count(a) >= min_entities);
  size_t n1, n2, n3;
  char *t1 = export_text(a, &n1);
  emb_entity_set *b = reload(t1, n1);
  assert_int_equal(emb_set_count(a), emb_set_count(b));
  for (size_t i = 0; i < emb_set_count(a); i++) {
    const emb_entity *e = emb_set_get(a, i);
    assert_same_entity(e, emb_set_find(b, e->id));
  }
  char *t2 = export_text(b, &n2);
  if (fixed) {
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
  }
  emb_entity_set *c = reload(t2, n2);
  char *t3 = export_text(c, &n3);
  assert_int_equal(n2, n3);
  assert_memory_equal(t2, t3, n2);
  free(t1);
  free(t2);
  free(t3);
  emb_set_free(a);
  emb_set_free(b);
  emb_set_free(c);
}

/* ------------------------------------------------------------ FtM tests */

static void test_round_trip_ftm(void **state) {
  (void)state;
  round_trip(LISTS "/ftm/zala_entities.ftm.json", 17, true);
  round_trip(LISTS "/ftm/t1_entities.ftm.json", 6, true);
  round_trip(LISTS "/ftm/parteispenden_entities.ftm.json", 96, true);
  round_trip(LISTS "/ftm/export-bundle-sample/targets.nested_2024-03-09_larger.json", 20, true);
  round_trip(FIXTURES "/side-records.ftm.json", 5, true);
}

static void test_round_trip_un(void **state) {
  (void)state;
  round_trip(LISTS "/un/consolidated-2026-02-27.xml", 1003, false);
}

static void test_round_trip_eu(void **state) {
  (void)state;
  round_trip(LISTS "/eu/fsf-excerpt-2026-08-05.xml", 5, false);
}

static void test_round_trip_more(void **state) {
  (void)state;
  round_trip(LISTS "/ofac/xml/consolidated-2018-04-06.xml", 600, false);
  round_trip(LISTS "/ofac/xml/cons-enhanced-2025-01-10.zip", 400, false);
  round_trip(LISTS "/ofac/sdn-2021-07", 8000, false);
  round_trip(LISTS "/uk/uk-sanctions-list-excerpt-2026-09-10.xml", 5, false);
  round_trip(LISTS "/uk/ConList-2023-06-05.csv.gz", 3000, false);
  round_trip(LISTS "/us/csl-2022-05.csv.gz", 5000, false);
  round_trip(LISTS "/us/bis-dpl-2023-11.txt", 100, false);
}

/* One entity, every mapped field, compared with the exact expected line. */
static void test_export_ftm_exact(void **state) {
  (void)state;
  static const char line[] =
      "{\"id\":\"v-1\",\"schema\":\"Vessel\",\"datasets\":[\"ds\",\"other\"],"
      "\"properties\":{\"name\":[\"SEA \\\"STAR\\\"\"],\"weakAlias\":[\"STAR\"],"
      "\"imoNumber\":[\"9123456\"],\"flag\":[\"PA\"],\"country\":[\"Atlantis\"],"
      "\"program\":[\"IRAN\"],\"notes\":[\"line\\nbreak\"]}}\n"
      "{\"id\":\"p-1\",\"schema\":\"Person\",\"caption\":\"Анна Ивановна Петрова\","
      "\"properties\":{\"name\":[\"Анна Ивановна Петрова\"],\"firstName\":[\"Анна\"],"
      "\"lastName\":[\"Петрова\"],\"previousName\":[\"Анна Сидорова\"],"
      "\"birthDate\":[\"1970-05\"],\"nationality\":[\"Russia\"],\"gender\":[\"f\"],"
      "\"position\":[\"Minister\"],\"passportNumber\":[\"P1\"],\"idNumber\":[\"N1\"]}}\n";
  emb_entity_set *s = reload(line, sizeof(line) - 1);
  assert_int_equal(emb_set_count(s), 2);
  FILE *f = export_all(s);
  size_t n;
  char *text = slurp(f, &n);
  fclose(f);
  static const char want[] =
      "{\"caption\":\"SEA \\\"STAR\\\"\",\"datasets\":[\"ds\",\"other\"],\"id\":\"v-1\","
      "\"properties\":{\"country\":[\"Atlantis\"],\"flag\":[\"pa\"],\"imoNumber\":[\"9123456\"],"
      "\"name\":[\"SEA \\\"STAR\\\"\"],\"notes\":[\"line\\nbreak\"],\"program\":[\"IRAN\"],"
      "\"weakAlias\":[\"STAR\"]},\"schema\":\"Vessel\"}\n"
      "{\"caption\":\"Анна Ивановна Петрова\",\"datasets\":[\"ftm\"],\"id\":\"p-1\","
      "\"properties\":{\"birthDate\":[\"1970-05\"],\"firstName\":[\"Анна\"],"
      "\"gender\":[\"female\"],\"idNumber\":[\"N1\"],\"lastName\":[\"Петрова\"],"
      "\"name\":[\"Анна Ивановна Петрова\"],\"nationality\":[\"ru\"],"
      "\"passportNumber\":[\"P1\"],\"position\":[\"Minister\"],"
      "\"previousName\":[\"Анна Сидорова\"]},\"schema\":\"Person\"}\n";
  assert_int_equal(n, sizeof(want) - 1);
  assert_memory_equal(text, want, n);
  free(text);
  emb_set_free(s);
}

/* Built directly: a circa date, a range, an unknown schema, a type FtM has no slot for. */
static void test_export_ftm_dates_and_fallbacks(void **state) {
  (void)state;
  emb_entity_set *s = emb_set_new();
  emb_entity *e = emb__set_upsert(s, "x:1", NULL);
  assert_non_null(e);
  emb__entity_set_source(s, e, "test");
  emb__entity_add_name_simple(s, e, "Someone", EMB_NAME_PRIMARY, EMB_STRONG);
  emb_date circa = {1960, 0, 0, EMB_DATE_YEAR, true, 0};
  emb_date range = {1970, 0, 0, EMB_DATE_YEAR, false, 1972};
  emb_date wide = {1900, 0, 0, EMB_DATE_YEAR, false, 1950};
  emb__entity_add_birth_date(s, e, &circa);
  emb__entity_add_birth_date(s, e, &range);
  emb__entity_add_birth_date(s, e, &wide);
  emb__entity_add_id(s, e, "un_reference", "QDi.001", NULL, NULL);
  FILE *f = tmpfile();
  assert_int_equal(emb_export_ftm(f, e), 0);
  size_t n;
  char *text = slurp(f, &n);
  fclose(f);
  static const char want[] =
      "{\"caption\":\"Someone\",\"datasets\":[\"test\"],\"id\":\"x:1\",\"properties\":"
      "{\"birthDate\":[\"1960\",\"1970\",\"1971\",\"1972\",\"1900\",\"1950\"],"
      "\"idNumber\":[\"QDi.001\"],\"name\":[\"Someone\"]},\"schema\":\"Thing\"}\n";
  assert_int_equal(n, sizeof(want) - 1);
  assert_memory_equal(text, want, n);
  /* Thing is read back as an entity of unknown schema. */
  emb_entity_set *b = reload(text, n);
  assert_int_equal(emb_set_count(b), 1);
  assert_int_equal(emb_set_get(b, 0)->schema, EMB_SCHEMA_UNKNOWN);
  assert_int_equal(emb_set_get(b, 0)->n_birth_dates, 6);
  free(text);
  emb_set_free(b);
  emb_set_free(s);
}

static void test_export_errors(void **state) {
  (void)state;
  emb_entity_set *s = emb_set_new();
  emb_entity *e = emb__set_upsert(s, "x:1", NULL);
  emb__entity_add_name_simple(s, e, "Someone", EMB_NAME_PRIMARY, EMB_STRONG);
  assert_int_equal(emb_export_ftm(NULL, e), EMB_EINVAL);
  assert_int_equal(emb_export_ftm(stdout, NULL), EMB_EINVAL);
  assert_int_equal(emb_export_csv(NULL, e), EMB_EINVAL);
  assert_int_equal(emb_export_csv_header(NULL), EMB_EINVAL);
  FILE *full = fopen("/dev/full", "w");
  if (full) {
    setvbuf(full, NULL, _IONBF, 0);
    assert_int_equal(emb_export_ftm(full, e), EMB_EIO);
    assert_int_equal(emb_export_csv(full, e), EMB_EIO);
    assert_int_equal(emb_export_csv_header(full), EMB_EIO);
    fclose(full);
  }
  emb_set_free(s);
}

/* ------------------------------------------------------------- CSV tests */

static void test_csv_exact(void **state) {
  (void)state;
  emb_entity_set *s = emb_set_new();
  emb_entity *e = emb__set_upsert(s, "t:1", NULL);
  e->schema = EMB_SCHEMA_COMPANY;
  emb__entity_set_source(s, e, "test");
  emb__entity_add_str(s, &e->lists, "List A");
  emb__entity_add_name_simple(s, e, "Acme, \"The\" Co", EMB_NAME_PRIMARY, EMB_STRONG);
  emb__entity_add_name_simple(s, e, "A;B", EMB_NAME_ALIAS, EMB_STRONG);
  emb__entity_add_name_simple(s, e, "back\\slash", EMB_NAME_ALIAS, EMB_WEAK);
  emb__entity_add_country(s, e, "Russia", EMB_COUNTRY_ADDRESS);
  emb__entity_add_country(s, e, "RU", EMB_COUNTRY_JURISDICTION);
  emb__entity_add_country(s, e, "Atlantis", EMB_COUNTRY_OTHER);
  emb__entity_add_id(s, e, "inn", "77;01", NULL, NULL);
  emb_address a = {0};
  a.full = "line one\nline two";
  emb__entity_add_address(s, e, &a);
  emb_date d = {1965, 0, 0, EMB_DATE_YEAR, true, 0};
  emb__entity_add_birth_date(s, e, &d);
  e->listed_on = (emb_date){2020, 3, 1, EMB_DATE_DAY, false, 0};
  FILE *f = tmpfile();
  assert_int_equal(emb_export_csv_header(f), 0);
  assert_int_equal(emb_export_csv(f, e), 0);
  size_t n;
  char *text = slurp(f, &n);
  fclose(f);
  static const char want[] =
      "id,schema,name,aliases,birth_dates,countries,identifiers,addresses,programs,lists,"
      "source,listed_on,end_date\r\n"
      "t:1,Company,\"Acme, \"\"The\"\" Co\",A\\;B;back\\\\slash,~1965,RU;Atlantis,inn:77\\;01,"
      "\"line one\nline two\",,List A,test,2020-03-01,\r\n";
  assert_int_equal(n, sizeof(want) - 1);
  assert_memory_equal(text, want, n);
  free(text);
  emb_set_free(s);
}

/* The CSV of a real list reads back with the RFC 4180 reader: one row per entity. */
static void test_csv_read_back(void **state) {
  (void)state;
  emb_entity_set *s = load_set(LISTS "/ftm/zala_entities.ftm.json");
  FILE *f = tmpfile();
  assert_int_equal(emb_export_csv_header(f), 0);
  for (size_t i = 0; i < emb_set_count(s); i++)
    assert_int_equal(emb_export_csv(f, emb_set_get(s, i)), 0);
  size_t n;
  char *text = slurp(f, &n);
  fclose(f);
  emb_input *in = NULL;
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__input_open_mem(text, n, "export.csv", &in, &d), 0);
  emb_csv_opts o = emb__csv_opts_default();
  o.delimiter = ',';
  emb_csv *c = NULL;
  assert_int_equal(emb__csv_new(in, &o, &d, &c), 0);
  emb_csv_row row;
  assert_int_equal(emb__csv_next(c, &row), 1);
  assert_int_equal(row.count, 13);
  assert_string_equal(row.fields[12], "end_date");
  size_t rows = 0;
  while (emb__csv_next(c, &row) == 1) {
    const emb_entity *e = emb_set_get(s, rows++);
    assert_false(row.bad);
    assert_int_equal(row.count, 13);
    assert_string_equal(row.fields[0], e->id);
    assert_string_equal(row.fields[2], primary(e)->full);
    assert_string_equal(row.fields[10], e->source);
  }
  assert_int_equal(rows, emb_set_count(s));
  assert_int_equal(d.n_errors, 0);
  /* NK-abdzb... has listing date 2021-10-30 from its Sanction records. */
  assert_non_null(strstr(text, ",2021-10-30,\r\n"));
  emb__csv_free(c);
  emb__input_close(in);
  emb_diags_fini(&d);
  free(text);
  emb_set_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip_ftm),
      cmocka_unit_test(test_round_trip_un),
      cmocka_unit_test(test_round_trip_eu),
      cmocka_unit_test(test_round_trip_more),
      cmocka_unit_test(test_export_ftm_exact),
      cmocka_unit_test(test_export_ftm_dates_and_fallbacks),
      cmocka_unit_test(test_export_errors),
      cmocka_unit_test(test_csv_exact),
      cmocka_unit_test(test_csv_read_back),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
