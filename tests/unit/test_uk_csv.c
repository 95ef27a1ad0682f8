/*
 * test_uk_csv.c - unit tests for the UK OFSI ConList CSV loader (lists/load_uk_csv.c).
 *
 * The real files in /work/shared/data check the loader against what OFSI publishes:
 * the full list of 2023-06-05 (16,823 rows, 3,993 Group IDs: 3,231 individuals, 747
 * entities, 15 ships; counted independently with Python's csv module) and a 77-row
 * excerpt of the older layout written in Windows-1252 (41 Group IDs). Small inputs
 * read from memory check the merge of non-contiguous rows, the splitting of numbered
 * values and the reports on bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "lists/loader.h"

#include "testutil.h"

#define DATA "/work/shared/data/lists"
#define FULL DATA "/uk/ConList-2023-06-05.csv.gz"
#define EXCERPT DATA "/uk/ConList-excerpt.csv"

/* ------------------------------------------------------------------ helpers */

/* Loads text from memory with the uk-csv loader. */
static void load_text(fx *f, const char *text) {
  load_mem(f, "uk-csv", "mem.csv", text, strlen(text));
}

/* ------------------------------------------------------------------ real files */

static void test_full_list(void **state) {
  (void)state;
  fx f;
  load_ok(&f, FULL);
  assert_int_equal(emb_set_count(f.set), 3993);
  const emb_source *src = emb_set_source(f.set, 0);
  assert_string_equal(src->format, "uk-csv");
  assert_int_equal(src->n_records, 16823);
  assert_non_null(src->published);
  assert_string_equal(src->published, "2023-06-05");
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_PERSON), 3231);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_ORGANIZATION), 747);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_VESSEL), 15);
  /* Every entity is a UK one with a name. */
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *e = emb_set_get(f.set, i);
    assert_string_equal(e->source, "uk");
    assert_true(strncmp(e->id, "uk:", 3) == 0);
    assert_true(e->n_names > 0);
  }
  fx_free(&f);
}

/* Said BAHAJI (Group ID 7059): a primary name, weak and strong aliases, Arabic script. */
static void test_full_spot_check(void **state) {
  (void)state;
  fx f;
  load_file(&f, FULL);
  const emb_entity *e = must_find(&f, "uk:7059");
  assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
  assert_int_equal(e->n_names, 5);
  const emb_name *n = must_name(e, "Said BAHAJI");
  assert_int_equal(n->kind, EMB_NAME_PRIMARY);
  assert_int_equal(n->strength, EMB_STRONG);
  assert_string_equal(n->given, "Said");
  assert_string_equal(n->family, "BAHAJI");
  n = must_name(e, "Mohamed ABBATTAY");
  assert_int_equal(n->kind, EMB_NAME_ALIAS);
  assert_int_equal(n->strength, EMB_WEAK);
  n = must_name(e, "Zouheir AL MAGHRIBI");
  assert_int_equal(n->strength, EMB_STRONG);
  n = must_name(
      e, "\xd8\xb3\xd8\xb9\xd9\x8a\xd8\xaf \xd8\xa8\xd8\xa7\xd9\x87\xd8\xa7\xd8\xac\xd9\x89");
  assert_string_equal(n->script, "Arab");
  assert_int_equal(e->n_birth_dates, 1);
  assert_int_equal(e->birth_dates[0].year, 1975);
  assert_int_equal(e->birth_dates[0].month, 7);
  assert_int_equal(e->birth_dates[0].day, 15);
  assert_true(has_country(e, "DE", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "MA", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "DE", EMB_COUNTRY_BIRTH));
  assert_true(has_str(&e->birth_places, "Haselünne, Lower Saxony, Germany"));
  const emb_identifier *id = must_id(e, "passport", "954242");
  assert_non_null(id->country);
  assert_string_equal(id->country, "MA");
  assert_string_equal(must_id(e, "passport", "28642163")->country, "DE"); /* "German provisional" */
  must_id(e, "national_id", "1336597587");
  assert_string_equal(must_id(e, "un_reference", "QDi.080")->note, "UN Ref");
  must_id(e, "other", "AQD0300");
  assert_true(has_str(&e->programs, "ISIL (Da'esh) and Al-Qaida"));
  assert_int_equal(e->listed_on.year, 2002);
  assert_int_equal(e->listed_on.month, 10);
  assert_int_equal(e->listed_on.day, 1);
  assert_int_equal(e->n_addresses, 1);
  assert_string_equal(e->addresses[0].postal_code, "21073");
  assert_string_equal(e->addresses[0].country, "DE");

  /* A Russian name in Cyrillic with its language (Group ID 15672 has none). */
  size_t cyrillic_ru = 0;
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *x = emb_set_get(f.set, i);
    for (size_t k = 0; k < x->n_names; k++)
      if (x->names[k].lang && strcmp(x->names[k].lang, "ru") == 0 &&
          strcmp(x->names[k].script, "Cyrl") == 0)
        cyrillic_ru++;
  }
  assert_true(cyrillic_ru > 500);

  /* A ship: IMO number and flag from Other Information. */
  e = must_find(&f, "uk:13651");
  assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
  assert_int_equal(must_name(e, "SAM JONG 2")->kind, EMB_NAME_PRIMARY);
  must_id(e, "imo", "7408873");
  assert_true(has_country(e, "KP", EMB_COUNTRY_JURISDICTION));
  assert_int_equal(e->n_names, 9);

  /* Gender, titles and "Primary name variation". */
  e = must_find(&f, "uk:15672");
  assert_non_null(e->gender);
  assert_string_equal(e->gender, "male");
  assert_int_equal(must_name(e, "Mian MITHOO")->kind, EMB_NAME_VARIATION);
  assert_true(
      has_str(&e->titles, "Cleric (\xe2\x80\x9cPir\xe2\x80\x9d) of Bharchundi Sharif Shrine"));
  fx_free(&f);
}

static void test_excerpt_old_layout(void **state) {
  (void)state;
  fx f;
  load_ok(&f, EXCERPT);
  assert_int_equal(f.diags.n_warnings, 1);
  assert_int_equal(f.diags.items[0].code, EMB_EENCODING);
  assert_int_equal(f.diags.items[0].line, 7);
  assert_int_equal(emb_set_count(f.set), 41);
  const emb_source *src = emb_set_source(f.set, 0);
  assert_int_equal(src->n_records, 77);
  assert_null(src->published);
  /* Columns are found by name although the rows lack the header's first column. */
  const emb_entity *e = must_find(&f, "uk:12999");
  assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
  const emb_name *n = must_name(e, "Mohamed Adam Brema ABDALLAH");
  assert_string_equal(n->given, "Mohamed");
  assert_string_equal(n->middle, "Adam Brema");
  assert_string_equal(n->family, "ABDALLAH");
  must_id(e, "passport", "D00001184");
  must_id(e, "passport", "P04838205");
  must_id(e, "national_id", "202-2708-8368");
  assert_true(has_str(&e->titles, "Minister for Security"));
  assert_true(has_country(e, "CF", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "SD", EMB_COUNTRY_NATIONALITY));
  assert_true(has_str(&e->birth_places, "Ndele, Central African Republic"));
  /* "Prime Alias" is the old name of "Primary name". */
  e = must_find(&f, "uk:13556");
  assert_int_equal(must_name(e, "TONG SAN 2")->kind, EMB_NAME_PRIMARY);
  must_id(e, "imo", "8937675");
  must_id(e, "mmsi", "445539000");
  /* Windows-1252 quotes (0x91, 0x92) decode to U+2018 and U+2019. */
  e = must_find(&f, "uk:13222");
  assert_int_equal(e->remarks.count, 1);
  assert_non_null(strstr(e->remarks.items[0], "so-called \xe2\x80\x99"
                                              "2nd Army Corps\xe2\x80\x99"));
  assert_non_null(strstr(e->remarks.items[0], "the \xe2\x80\x98Lugansk"));
  fx_free(&f);
}

static void test_sniff(void **state) {
  (void)state;
  static const struct {
    const char *path;
    const char *format;
  } cases[] = {{FULL, "uk-csv"},
               {EXCERPT, "uk-csv"},
               {DATA "/us/csl-small-fixture.csv", "csl"},
               {DATA "/us/bis-dpl-2023-11.txt", "dpl"},
               {DATA "/ofac/sdn-2021-07/sdn.csv", "ofac-csv"}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *name = NULL;
    emb_diags d;
    emb_diags_init(&d);
    assert_int_equal(emb_detect_format(cases[i].path, &name, &d), 0);
    assert_non_null(name);
    assert_string_equal(name, cases[i].format);
    emb_diags_fini(&d);
  }
  static const char with_date[] = "Last Updated,05/06/2023\r\nName 6,Name 1,Group ID\r\n";
  assert_true(emb__sniff_uk_csv((const unsigned char *)with_date, sizeof(with_date) - 1, "x"));
  static const char csl[] = "_id,source,entity_number,type,programs,name\n";
  assert_false(emb__sniff_uk_csv((const unsigned char *)csl, sizeof(csl) - 1, "x"));
  static const char ofac[] = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- \r\n";
  assert_false(emb__sniff_uk_csv((const unsigned char *)ofac, sizeof(ofac) - 1, "x"));
  static const char only_name6[] = "Name 6,Name 1\n";
  assert_false(emb__sniff_uk_csv((const unsigned char *)only_name6, sizeof(only_name6) - 1, "x"));
}

/* ------------------------------------------------------------------ small inputs */

#define HDR "Name 6,Name 1,Name 2,DOB,Nationality,Alias Type,Group Type,Listed On,Group ID\n"

static void test_merge_non_contiguous(void **state) {
  (void)state;
  fx f;
  load_text(&f, HDR "SMITH,John,,01/02/1960,(1) France (2) Spain,Primary name,Individual,"
                    "05/06/2020,100\n"
                    "ACME,,,,,Primary name,Entity,05/06/2020,200\n"
                    "SMYTH,Jon,,00/00/1961,France,AKA,Individual,05/06/2020,100\n");
  assert_int_equal(f.rc, 0);
  assert_int_equal(emb_set_count(f.set), 2);
  const emb_entity *e = must_find(&f, "uk:100");
  assert_int_equal(e->n_names, 2);
  assert_int_equal(must_name(e, "Jon SMYTH")->kind, EMB_NAME_ALIAS);
  assert_int_equal(e->n_birth_dates, 2);
  assert_int_equal(e->birth_dates[1].year, 1961);
  assert_int_equal(e->birth_dates[1].precision, EMB_DATE_YEAR);
  assert_true(has_country(e, "FR", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "ES", EMB_COUNTRY_NATIONALITY));
  assert_int_equal(e->n_countries, 2);
  assert_int_equal(must_find(&f, "uk:200")->schema, EMB_SCHEMA_ORGANIZATION);
  assert_int_equal(emb_set_source(f.set, 0)->n_records, 3);
  fx_free(&f);
}

static void test_ragged_row(void **state) {
  (void)state;
  fx f;
  load_text(&f, HDR "SMITH,John,,,,Primary name,Individual,05/06/2020,100\n"
                    "BROKEN,row,with,too,few\n"
                    "DOE,Jane,,,,Primary name,Individual,05/06/2020,300\n");
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(f.diags.n_errors, 1);
  const emb_diag *d = find_diag(&f, EMB_SEV_ERROR, "field count");
  assert_non_null(d);
  assert_int_equal(d->line, 3);
  assert_string_equal(d->file, "mem.csv");
  assert_non_null(strstr(d->message, "skipped"));
  assert_int_equal(emb_set_count(f.set), 2);
  assert_null(emb_set_find(f.set, "uk:BROKEN"));
  fx_free(&f);
}

static void test_missing_columns(void **state) {
  (void)state;
  fx f;
  load_text(&f, "Name 6,Name 1,Group Type\nSMITH,John,Individual\n");
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(f.set), 0);
  const emb_diag *d = find_diag(&f, EMB_SEV_ERROR, "Group ID");
  assert_non_null(d);
  assert_string_equal(d->field, "Group ID");
  fx_free(&f);

  load_text(&f, "Last Updated,01/01/2024\nName 1,Group ID\nJohn,7\n");
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(f.set), 0);
  d = find_diag(&f, EMB_SEV_ERROR, "Name 6");
  assert_non_null(d);
  assert_int_equal(d->line, 2);
  fx_free(&f);

  load_text(&f, "");
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(f.set), 0);
  fx_free(&f);
}

static void test_bad_values(void **state) {
  (void)state;
  fx f;
  load_text(&f, HDR "SMITH,John,,31/13/1960,,Primary name,Individual,someday,100\n"
                    ",,,,,AKA,Individual,05/06/2020,100\n"
                    "DOE,Jane,,,,Primary name,Individual,05/06/2020,\n");
  assert_int_equal(f.rc, EMB_EFORMAT); /* two rows lost */
  const emb_diag *d = find_diag(&f, EMB_SEV_WARNING, "date not understood");
  assert_non_null(d);
  assert_string_equal(d->field, "DOB");
  assert_int_equal(d->line, 2);
  bool listed = false;
  for (size_t i = 0; i < f.diags.count; i++)
    listed |= f.diags.items[i].field && !strcmp(f.diags.items[i].field, "Listed On");
  assert_true(listed);
  d = find_diag(&f, EMB_SEV_ERROR, "no name");
  assert_non_null(d);
  assert_int_equal(d->line, 3);
  d = find_diag(&f, EMB_SEV_ERROR, "no Group ID");
  assert_non_null(d);
  assert_int_equal(d->line, 4);
  assert_int_equal(emb_set_count(f.set), 1);
  const emb_entity *e = must_find(&f, "uk:100");
  assert_int_equal(e->n_birth_dates, 0);
  assert_int_equal(e->listed_on.precision, EMB_DATE_NONE);
  fx_free(&f);
}

static void test_numbered_values(void **state) {
  (void)state;
  fx f;
  load_text(&f, "Last Updated,05/06/2023\n"
                "Name 6,Name 1,Passport Number,Passport Details,Title,Position,Country of Birth,"
                "Town of Birth,Nationality,Group Type,Alias Type,Alias Quality,Group ID\n"
                "X,Y,\"(1) 1990/345751. (2) 345741\",\"(1) Iraq (2) Syria\","
                "\"(1) Mullah (2) Alhaj\",a) General b) Minister,(1-3) Libya (4) Morocco,"
                "\"(1) Tripoli (2) Benghazi (3) Sirte (4) Rabat\",\"Estonia, Russia\","
                "Individual,AKA,Low quality,1\n");
  assert_int_equal(f.rc, 0);
  assert_string_equal(emb_set_source(f.set, 0)->published, "2023-06-05");
  const emb_entity *e = must_find(&f, "uk:1");
  assert_string_equal(must_id(e, "passport", "1990/345751")->country, "IQ");
  assert_string_equal(must_id(e, "passport", "345741")->country, "SY");
  assert_true(has_str(&e->titles, "Mullah"));
  assert_true(has_str(&e->titles, "Alhaj"));
  assert_true(has_str(&e->titles, "General"));
  assert_true(has_str(&e->titles, "Minister"));
  assert_true(has_country(e, "LY", EMB_COUNTRY_BIRTH));
  assert_true(has_country(e, "MA", EMB_COUNTRY_BIRTH));
  assert_int_equal(e->birth_places.count, 4);
  assert_true(has_country(e, "EE", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "RU", EMB_COUNTRY_NATIONALITY));
  assert_int_equal(e->names[0].strength, EMB_WEAK);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_list),
      cmocka_unit_test(test_full_spot_check),
      cmocka_unit_test(test_excerpt_old_layout),
      cmocka_unit_test(test_sniff),
      cmocka_unit_test(test_merge_non_contiguous),
      cmocka_unit_test(test_ragged_row),
      cmocka_unit_test(test_missing_columns),
      cmocka_unit_test(test_bad_values),
      cmocka_unit_test(test_numbered_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
