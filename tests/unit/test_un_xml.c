/*
 * test_un_xml.c - the UN Security Council consolidated list loader on the real files
 * (exact counts, spot checks of every kind of field) and on broken or hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "lists/loader.h"

#include "testutil.h"

#define DATA "/work/shared/data/lists"
#define UN_2026 DATA "/un/consolidated-2026-02-27.xml"
#define UN_2018 DATA "/un/consolidated-2018-10-29.xml"

static void test_sniff(void **state) {
  (void)state;
  size_t n;
  char *doc = slurp_file(UN_2026, &n);
  assert_true(emb__sniff_un_xml((const unsigned char *)doc, n < 65536 ? n : 65536, UN_2026));
  free(doc);
  doc = slurp_file(DATA "/ofac/xml/consolidated-2018-04-06.xml", &n);
  assert_false(emb__sniff_un_xml((const unsigned char *)doc, n < 65536 ? n : 65536, "x.xml"));
  free(doc);
  const char *name = NULL;
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb_detect_format(UN_2018, &name, &d), 0);
  assert_string_equal(name, "un-xml");
  emb_diags_fini(&d);
}

static void test_real_2026(void **state) {
  (void)state;
  fx f;
  load_ok(&f, UN_2026);
  assert_int_equal(emb_set_count(f.set), 1003);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_PERSON), 730);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_ORGANIZATION), 273);
  const emb_source *src = emb_set_source(f.set, 0);
  assert_string_equal(src->format, "un-xml");
  assert_string_equal(src->published, "2026-02-27");
  assert_int_equal(src->n_records, 1003);
  assert_int_equal(src->n_entities, 1003);

  /* Aliases by quality, titles, place of birth, nationality, list and reference. */
  const emb_entity *e = emb_set_find(f.set, "un:6907995");
  assert_non_null(e);
  assert_string_equal(e->source, "un");
  assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
  const emb_name *n = find_name(e, "GASTON IYAMUREMYE");
  assert_non_null(n);
  assert_int_equal(n->kind, EMB_NAME_PRIMARY);
  assert_null(n->given); /* UN name order is not given/family: not split */
  n = find_name(e, "Rumuli");
  assert_non_null(n);
  assert_int_equal(n->kind, EMB_NAME_ALIAS);
  assert_int_equal(n->strength, EMB_WEAK);
  n = find_name(e, "Victor Rumuri");
  assert_non_null(n);
  assert_int_equal(n->strength, EMB_STRONG);
  assert_int_equal(e->n_names, 5);
  assert_true(has_date(e, "1948"));
  assert_true(has_str(&e->birth_places, "Musanze District, Northern Province, Rwanda"));
  assert_true(has_country(e, "RW", EMB_COUNTRY_BIRTH));
  assert_true(has_country(e, "RW", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "CD", EMB_COUNTRY_ADDRESS));
  assert_true(has_str(&e->titles, "FDLR Interim President"));
  assert_true(has_str(&e->titles, "FDLR-FOCA Major General"));
  assert_true(has_str(&e->lists, "DRC"));
  assert_true(has_str(&e->programs, "DRC"));
  const emb_identifier *id = find_id(e, NULL, "CDi.003");
  assert_non_null(id);
  assert_string_equal(id->type, "un_reference");
  char buf[32];
  emb_date_format(&e->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2010-12-01");
  assert_string_equal(e->gender, "male");
  assert_int_equal(e->n_addresses, 1);
  assert_string_equal(e->addresses[0].region, "North Kivu Province");
  assert_string_equal(e->addresses[0].country, "CD");

  /* BETWEEN: a year range. */
  e = emb_set_find(f.set, "un:6908021");
  assert_non_null(e);
  assert_true(has_date(e, "1973/1974"));
  assert_int_equal(e->birth_dates[0].year, 1973);
  assert_int_equal(e->birth_dates[0].year_to, 1974);
  assert_false(e->birth_dates[0].circa);

  /* APPROXIMATELY: circa. */
  e = emb_set_find(f.set, "un:6908006");
  assert_non_null(e);
  assert_true(has_date(e, "~1966"));

  /* Original script. */
  e = emb_set_find(f.set, "un:6908048");
  assert_non_null(e);
  n = find_name(e, "\xD8\xB5\xD8\xAF\xD8\xA7\xD9\x85 \xD8\xAD\xD8\xB3\xD9\x8A\xD9\x86 "
                   "\xD8\xA7\xD9\x84\xD8\xAA\xD9\x83\xD8\xB1\xD9\x8A\xD8\xAA\xD9\x8A");
  assert_non_null(n);
  assert_string_equal(n->script, "Arab");
  assert_int_equal(n->kind, EMB_NAME_ALIAS);
  assert_non_null(find_name(e, "SADDAM HUSSEIN AL-TIKRITI"));

  /* A passport with its issuing country. */
  e = emb_set_find(f.set, "un:6908012");
  id = find_id(e, NULL, "OB 0243318");
  assert_non_null(id);
  assert_string_equal(id->type, "passport");
  assert_string_equal(id->country, "CD");

  /* Entities: f.k.a. is a former name; a.k.a. an alias; ';' separates names. */
  e = emb_set_find(f.set, "un:6908402");
  assert_int_equal(e->schema, EMB_SCHEMA_ORGANIZATION);
  assert_int_equal(find_name(e, "NALU")->kind, EMB_NAME_FORMER);
  assert_int_equal(find_name(e, "Allied Democratic Forces")->kind, EMB_NAME_ALIAS);
  assert_int_equal(find_name(e, "ADF")->kind, EMB_NAME_PRIMARY);
  e = emb_set_find(f.set, "un:6908026");
  assert_int_equal(find_name(e, "GREAT LAKES BUSINESS COMPANY (GLBC)")->kind, EMB_NAME_PRIMARY);
  assert_int_equal(find_name(e, "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)")->kind,
                   EMB_NAME_PRIMARY);
  assert_true(has_str(&e->remarks,
                      "As of December 2008, GLBC no longer had any operational aircraft, "
                      "although several aircraft continued flying in 2008 despite UN sanctions. "
                      "INTERPOL-UN Security Council Special Notice web "
                      "link:https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-"
                      "Individuals"));

  /* Every record has a primary name, a list and a reference number. */
  size_t n_dates = 0, n_circa = 0, n_ranges = 0;
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *x = emb_set_get(f.set, i);
    bool primary = false;
    for (size_t k = 0; k < x->n_names; k++)
      primary = primary || x->names[k].kind == EMB_NAME_PRIMARY;
    assert_true(primary);
    assert_int_equal(x->lists.count, 1);
    bool ref = false;
    for (size_t k = 0; k < x->n_ids; k++)
      ref = ref || strcmp(x->ids[k].type, "un_reference") == 0;
    assert_true(ref);
    assert_int_not_equal(x->listed_on.precision, EMB_DATE_NONE);
    for (size_t k = 0; k < x->n_birth_dates; k++) {
      n_dates++;
      n_circa += x->birth_dates[k].circa;
      n_ranges += x->birth_dates[k].year_to > 0;
    }
  }
  assert_int_equal(n_ranges, 31);
  assert_true(n_circa >= 100);
  assert_true(n_dates >= 800);
  fx_free(&f);
}

static void test_real_2018(void **state) {
  (void)state;
  fx f;
  load_ok(&f, "un-xml:" UN_2018);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_PERSON), 703);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_ORGANIZATION), 390);
  assert_string_equal(emb_set_source(f.set, 0)->published, "2018-10-29");
  /* " RI " and " 381310014" are trimmed. */
  const emb_entity *e = emb_set_find(f.set, "un:6908555");
  assert_non_null(e);
  assert_non_null(find_name(e, "RI WON HO"));
  assert_non_null(find_id(e, NULL, "381310014"));
  fx_free(&f);
}

static void test_billion_laughs(void **state) {
  (void)state;
  const char *doc = "<?xml version=\"1.0\"?>\n"
                    "<!DOCTYPE CONSOLIDATED_LIST [\n"
                    " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
                    " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                    " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                    " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
                    "]>\n"
                    "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\"><INDIVIDUALS>"
                    "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&d;</FIRST_NAME></INDIVIDUAL>"
                    "</INDIVIDUALS></CONSOLIDATED_LIST>\n";
  fx f;
  load_mem(&f, "un-xml", "laughs.xml", doc, strlen(doc));
  assert_int_equal(f.rc, EMB_ESECURITY);
  assert_int_equal(emb_set_count(f.set), 0);
  assert_true(f.diags.count >= 1);
  assert_int_equal(f.diags.items[0].code, EMB_ESECURITY);
  assert_int_equal(f.diags.items[0].line, 3);
  assert_string_equal(f.diags.items[0].file, "laughs.xml");
  fx_free(&f);
}

static void test_truncated(void **state) {
  (void)state;
  size_t n;
  char *doc = slurp_file(UN_2026, &n);
  /* Cut inside the 101st individual's first name. */
  size_t cut = 0;
  for (int i = 0; i < 101; i++)
    cut = (size_t)(strstr(doc + cut + 1, "<INDIVIDUAL>") - doc);
  cut = (size_t)(strstr(doc + cut, "<FIRST_NAME>") - doc) + 14;
  size_t complete = count_in(doc, cut, "</INDIVIDUAL>");
  assert_int_equal(complete, 100);
  unsigned long cut_line = 1;
  for (size_t i = 0; i < cut; i++)
    cut_line += doc[i] == '\n';

  fx f;
  load_mem(&f, "un-xml", "cut.xml", doc, cut);
  assert_int_equal(f.rc, EMB_ETRUNCATED);
  assert_int_equal(emb_set_count(f.set), 100);
  assert_int_equal(emb_set_source(f.set, 0)->n_records, 100);
  assert_true(f.diags.n_errors >= 1);
  const emb_diag *e = &f.diags.items[0];
  assert_int_equal(e->code, EMB_ETRUNCATED);
  assert_string_equal(e->file, "cut.xml");
  assert_int_equal(e->line, cut_line);
  /* The incomplete record is named too. */
  bool named = false;
  for (size_t i = 0; i < f.diags.count; i++)
    named = named || strstr(f.diags.items[i].message, "incomplete") != NULL;
  assert_true(named);
  fx_free(&f);
  free(doc);
}

static void test_bad_records(void **state) {
  (void)state;
  const char *doc =
      "<CONSOLIDATED_LIST dateGenerated=\"2020-01-02T00:00:00Z\"><INDIVIDUALS>\n"
      "<INDIVIDUAL><FIRST_NAME>NO ID</FIRST_NAME></INDIVIDUAL>\n"
      "<INDIVIDUAL><FIRST_NAME>LATE</FIRST_NAME><SECOND_NAME>ID</SECOND_NAME>"
      "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>SOMETIME</TYPE_OF_DATE><YEAR>19x5</YEAR>"
      "</INDIVIDUAL_DATE_OF_BIRTH>"
      "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1962</FROM_YEAR>"
      "<TO_YEAR>1960</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
      "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><DATE>1970-05-00</DATE>"
      "</INDIVIDUAL_DATE_OF_BIRTH>"
      "<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>A; B ;; C</ALIAS_NAME>"
      "<DATE_OF_BIRTH>1971-02-03</DATE_OF_BIRTH><CITY_OF_BIRTH>Tripoli</CITY_OF_BIRTH>"
      "<COUNTRY_OF_BIRTH>Libya</COUNTRY_OF_BIRTH></INDIVIDUAL_ALIAS>"
      "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Other</TYPE_OF_DOCUMENT><NOTE>seen once</NOTE>"
      "</INDIVIDUAL_DOCUMENT>"
      "<GENDER>Female</GENDER><DATAID>42</DATAID></INDIVIDUAL>\n"
      "<INDIVIDUAL><DATAID>x y</DATAID><FIRST_NAME>BAD ID</FIRST_NAME></INDIVIDUAL>\n"
      "</INDIVIDUALS></CONSOLIDATED_LIST>\n";
  fx f;
  load_mem(&f, "un-xml", "bad.xml", doc, strlen(doc));
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(f.set), 1);
  assert_int_equal(f.diags.n_errors, 3); /* no DATAID; bad DATAID; its record has none */
  assert_int_equal(f.diags.items[0].line, 2);
  const emb_entity *e = emb_set_find(f.set, "un:42");
  assert_non_null(e);
  assert_non_null(find_name(e, "LATE ID"));
  assert_int_equal(find_name(e, "C")->strength, EMB_WEAK);
  assert_non_null(find_name(e, "B"));
  assert_int_equal(e->n_names, 4);
  assert_true(has_date(e, "1960/1962"));
  assert_true(has_date(e, "~1970-05"));
  assert_true(has_date(e, "1971-02-03"));
  assert_int_equal(e->n_birth_dates, 3);
  assert_true(has_str(&e->birth_places, "Tripoli, Libya"));
  assert_true(has_country(e, "LY", EMB_COUNTRY_BIRTH));
  assert_true(has_str(&e->remarks, "Document: Other; seen once"));
  assert_string_equal(e->gender, "female");
  assert_true(f.diags.n_warnings >= 2); /* unknown TYPE_OF_DATE, bad YEAR */
  assert_string_equal(emb_set_source(f.set, 0)->published, "2020-01-02");
  fx_free(&f);

  /* Not a UN list at all. */
  load_mem(&f, "un-xml", "o.xml", "<sdnList/>", 10);
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_non_null(strstr(f.diags.items[0].message, "CONSOLIDATED_LIST"));
  fx_free(&f);
}

/*
 * A DATAID read twice makes one entity: the values of both records, primary names
 * first, the first record's LISTED_ON (not the earlier one) and gender, the second's
 * DELISTED_ON because the first has none.
 */
static void test_repeated_dataid(void **state) {
  (void)state;
  const char *doc =
      "<CONSOLIDATED_LIST dateGenerated=\"2020-01-01T00:00:00\"><INDIVIDUALS>\n"
      "<INDIVIDUAL><DATAID>11</DATAID><FIRST_NAME>ALI</FIRST_NAME><SECOND_NAME>HASSAN"
      "</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><LISTED_ON>2010-05-05</LISTED_ON>"
      "<GENDER>Male</GENDER></INDIVIDUAL>\n"
      "<INDIVIDUAL><DATAID>11</DATAID><INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>ABU ALI"
      "</ALIAS_NAME></INDIVIDUAL_ALIAS><FIRST_NAME>ALY</FIRST_NAME><SECOND_NAME>HASSAN"
      "</SECOND_NAME><UN_LIST_TYPE>ISIL</UN_LIST_TYPE><LISTED_ON>2005-05-05</LISTED_ON>"
      "<DELISTED_ON>2020-01-01</DELISTED_ON><GENDER>Female</GENDER></INDIVIDUAL>\n"
      "</INDIVIDUALS></CONSOLIDATED_LIST>\n";
  fx f;
  load_mem(&f, "un-xml", "dup.xml", doc, strlen(doc));
  assert_int_equal(f.rc, 0);
  assert_int_equal(emb_set_count(f.set), 1);
  const emb_entity *e = must_find(&f, "un:11");
  assert_int_equal(e->n_names, 3);
  assert_string_equal(e->names[0].full, "ALI HASSAN");
  assert_string_equal(e->names[1].full, "ALY HASSAN"); /* built last, copied before the alias */
  assert_int_equal(e->names[1].kind, EMB_NAME_PRIMARY);
  assert_string_equal(e->names[2].full, "ABU ALI");
  assert_true(has_str(&e->programs, "Al-Qaida") && has_str(&e->programs, "ISIL"));
  assert_int_equal(e->listed_on.year, 2010);
  assert_int_equal(e->end_date.year, 2020);
  assert_string_equal(e->gender, "male");
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sniff),           cmocka_unit_test(test_real_2026),
      cmocka_unit_test(test_real_2018),       cmocka_unit_test(test_billion_laughs),
      cmocka_unit_test(test_truncated),       cmocka_unit_test(test_bad_records),
      cmocka_unit_test(test_repeated_dataid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
