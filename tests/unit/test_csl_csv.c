/*
 * test_csl_csv.c - unit tests for the US Consolidated Screening List loader
 * (lists/load_csl_csv.c).
 *
 * The full CSV of 2022-05 has 14,160 rows and 14,159 distinct (source, _id) pairs,
 * one row being repeated in the Capta list; per-list counts below were taken
 * independently with Python's csv module. The small fixture is in the later layout
 * (ids written "label, value, country"). Small inputs read from memory check the
 * bad-input reports.
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
#define FULL DATA "/us/csl-2022-05.csv.gz"
#define FIXTURE DATA "/us/csl-small-fixture.csv"

/* ------------------------------------------------------------------ helpers */

/* Loads text from memory with the csl loader. */
static void load_text(fx *f, const char *text) {
  load_mem(f, "csl", "mem.csv", text, strlen(text));
}

/* ------------------------------------------------------------------ real files */

static void test_full_counts(void **state) {
  (void)state;
  fx f;
  load_ok(&f, FULL);
  /* Three start dates in the file are not dates ("0097-06-30", "0017-05-26"). */
  assert_int_equal(f.diags.n_warnings, 3);
  const emb_diag *d = find_diag(&f, EMB_SEV_WARNING, "0097-06-30");
  assert_non_null(d);
  assert_string_equal(d->field, "start_date");
  assert_int_equal(d->line, 1753);
  const emb_source *src = emb_set_source(f.set, 0);
  assert_string_equal(src->format, "csl");
  assert_int_equal(src->n_records, 14160);
  assert_int_equal(emb_set_count(f.set), 14159);

  static const struct {
    const char *code, *list;
    size_t n;
  } per[] = {{"SDN", "Specially Designated Nationals", 10026},
             {"EL", "Entity List", 2001},
             {"DTC", "ITAR Debarred", 727},
             {"DPL", "Denied Persons List", 462},
             {"SSI", "Sectoral Sanctions Identifications List", 290},
             {"UVL", "Unverified List", 201},
             {"ISN", "Nonproliferation Sanctions", 163},
             {"PLC", "Palestinian Legislative Council List", 78},
             {"MEU", "Military End User List", 71},
             {"CMIC", "Non-SDN Chinese Military-Industrial Complex Companies List", 68},
             {"CAP", "Capta List", 52},
             {"NS-MBS", "Non-SDN Menu-Based Sanctions List", 17},
             {"FSE", "Foreign Sanctions Evaders", 3}};
  size_t total = 0;
  for (size_t k = 0; k < sizeof(per) / sizeof(per[0]); k++) {
    char prefix[32];
    snprintf(prefix, sizeof(prefix), "csl:%s:", per[k].code);
    size_t n = 0;
    for (size_t i = 0; i < emb_set_count(f.set); i++) {
      const emb_entity *e = emb_set_get(f.set, i);
      if (strncmp(e->id, prefix, strlen(prefix)) == 0) {
        n++;
        assert_int_equal(e->lists.count, 1);
        assert_string_equal(e->lists.items[0], per[k].list);
        assert_string_equal(e->source, "csl");
      }
    }
    if (n != per[k].n)
      fail_msg("%s: %zu entities, expected %zu", per[k].code, n, per[k].n);
    total += n;
  }
  assert_int_equal(total, 14159);

  size_t by_schema[EMB_SCHEMA_COUNT_] = {0};
  for (size_t i = 0; i < emb_set_count(f.set); i++)
    by_schema[emb_set_get(f.set, i)->schema]++;
  assert_int_equal(by_schema[EMB_SCHEMA_PERSON], 5286);
  assert_int_equal(by_schema[EMB_SCHEMA_LEGAL_ENTITY], 4532 + 3625); /* Entity + no type */
  assert_int_equal(by_schema[EMB_SCHEMA_VESSEL], 433);
  assert_int_equal(by_schema[EMB_SCHEMA_AIRPLANE], 283);
  fx_free(&f);
}

static void test_full_spot_checks(void **state) {
  (void)state;
  fx f;
  load_file(&f, FULL);

  /* A person: ids with issuing countries, two citizenships, links. */
  const emb_entity *e = must_find(&f, "csl:SDN:19909");
  assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
  const emb_name *n = must_name(e, "MUNOZ HOYOS, German");
  assert_int_equal(n->kind, EMB_NAME_PRIMARY);
  assert_string_equal(n->family, "MUNOZ HOYOS");
  assert_string_equal(n->given, "German");
  assert_string_equal(must_id(e, "passport", "A0630659")->country, "CO");
  assert_string_equal(must_id(e, "passport", "G15527939")->country, "MX");
  const emb_identifier *id = must_id(e, "national_id", "MUHG650126HNEXYR06");
  assert_string_equal(id->note, "C.U.R.P.");
  must_id(e, "national_id", "10268158");
  assert_int_equal(e->n_ids, 4);
  assert_true(has_country(e, "CO", EMB_COUNTRY_CITIZENSHIP));
  assert_true(has_country(e, "MX", EMB_COUNTRY_CITIZENSHIP));
  assert_true(has_country(e, "CO", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "CO", EMB_COUNTRY_BIRTH));
  assert_true(has_str(&e->birth_places, "Manizales, Caldas, Colombia"));
  assert_int_equal(e->n_birth_dates, 1);
  assert_date(&e->birth_dates[0], 1965, 1, 26);
  assert_int_equal(e->linked_to.count, 5);
  assert_true(has_str(&e->linked_to, "INVERSIONES LA PLATA M & M S. EN C.A."));
  assert_true(has_str(&e->linked_to, "GEMUHO HOLDING, INC"));
  assert_true(has_str(&e->programs, "SDNTK"));

  /* OFAC's identifier types, as the OFAC loaders read them: a Russian tax number is an
   * INN; the secondary-sanctions note is a remark, not an identifier. */
  e = must_find(&f, "csl:SDN:22554");
  assert_string_equal(must_id(e, "inn", "7736640919")->country, "RU");
  assert_int_equal(e->n_ids, 1);
  assert_true(has_str_prefix(&e->remarks, "Secondary sanctions risk: Ukraine-/Russia-Related"));

  /* The repeated Capta row is one entity. */
  e = must_find(&f, "csl:CAP:15268");
  assert_int_equal(e->n_addresses, 4);
  assert_string_equal(e->addresses[0].country, "CN");
  must_id(e, "swift_bic", "CKLBCNBJ");
  assert_int_equal(must_name(e, "KARAMAY CITY COMMERCIAL BANK CO LTD.")->kind, EMB_NAME_ALIAS);
  /* The same Treasury number on three lists is three entities. */
  assert_non_null(emb_set_find(f.set, "csl:SDN:18725"));
  assert_non_null(emb_set_find(f.set, "csl:CAP:18725"));
  assert_non_null(emb_set_find(f.set, "csl:SSI:18725"));

  /* A vessel: IMO from "IMO 8770261, Vessel Registration Identification", flag. */
  e = must_find(&f, "csl:SDN:31920");
  assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
  must_id(e, "imo", "8770261");
  must_id(e, "other", "UDQB");
  assert_true(has_country(e, "RU", EMB_COUNTRY_JURISDICTION));
  assert_true(has_str(&e->remarks, "Vessel type: Pipe-laying Vessel"));
  assert_true(has_str(&e->linked_to, "SAMARA HEAT AND ENERGY PROPERTY FUND"));

  /* An aircraft: notes become remarks, serial numbers identifiers. */
  e = must_find(&f, "csl:SDN:15445");
  assert_int_equal(e->schema, EMB_SCHEMA_AIRPLANE);
  must_id(e, "other", "464");
  assert_true(has_str(&e->remarks, "Aircraft Model: A300B4-605R"));
  assert_true(has_str(&e->remarks, "Additional Sanctions Information - Subject to Secondary "
                                   "Sanctions"));
  assert_true(has_str(&e->programs, "NPWMD"));
  assert_int_equal(e->programs.count, 3);

  /* An Entity List party: dates, license terms. */
  e = must_find(&f, "csl:EL:986d3f15a6adf1e1e6b5674715ad657adbf8d048");
  assert_int_equal(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
  assert_date(&e->listed_on, 2019, 5, 21);
  assert_true(has_str(&e->remarks, "License policy: Presumption of denial"));
  assert_true(has_str_prefix(&e->remarks, "Federal Register: 84 FR 22961"));
  fx_free(&f);
}

static void test_fixture_later_layout(void **state) {
  (void)state;
  fx f;
  load_ok(&f, FIXTURE);
  assert_int_equal(f.diags.n_warnings, 0);
  assert_int_equal(emb_set_count(f.set), 13);
  /* "Passport, 836238033, KP": label first, country last. */
  const emb_entity *e = must_find(&f, "csl:SDN:52291");
  assert_string_equal(must_id(e, "passport", "836238033")->country, "KP");
  assert_true(has_str_prefix(&e->remarks, "Secondary sanctions risk: North Korea"));
  assert_date(&e->birth_dates[0], 1978, 12, 5);
  e = must_find(&f, "csl:FSE:26182");
  assert_non_null(e->gender);
  assert_string_equal(e->gender, "male");
  assert_string_equal(must_id(e, "passport", "U00242309")->country, "TR");
  e = must_find(&f, "csl:SSI:28603");
  assert_string_equal(must_id(e, "tax_id", "CHE-267.936.404")->country, "CH");
  assert_true(has_str(&e->programs, "VENEZUELA-EO13850"));
  /* The listed name without its "; and any successor ..." tail is a variation. */
  e = must_find(&f, "csl:ISN:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b");
  assert_int_equal(must_name(e, "Sinobright Import and Export Company")->kind, EMB_NAME_VARIATION);
  e = must_find(&f, "csl:MEU:66f6ab3f26234b75a9093fce79ef0ce0");
  assert_string_equal(e->lists.items[0], "Military End User List");
  /* "...; and 21 Changsheng Street, ...": the second address loses its "and". */
  e = must_find(&f, "csl:EL:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be");
  assert_int_equal(e->n_addresses, 3);
  assert_true(strncmp(e->addresses[1].full, "21 Changsheng Street", 20) == 0);
  assert_true(strncmp(e->addresses[2].full, "21 Changsheng Road", 18) == 0);
  assert_string_equal(e->addresses[2].country, "CN");
  fx_free(&f);
}

static void test_sniff(void **state) {
  (void)state;
  static const char a[] = "_id,source,entity_number,type\n";
  static const char b[] = "\xEF\xBB\xBF\"_id\",\"source\",\"name\"\n";
  static const char c[] = "source,_id,name\n";
  static const char dpl[] = "\"Name\"\t\"Street_Address\"\t\"Effective_Date\"\n";
  static const char uk[] = "Name 6,Name 1,Group ID\n";
  assert_true(emb__sniff_csl_csv((const unsigned char *)a, sizeof(a) - 1, "x"));
  assert_true(emb__sniff_csl_csv((const unsigned char *)b, sizeof(b) - 1, "x"));
  assert_false(emb__sniff_csl_csv((const unsigned char *)c, sizeof(c) - 1, "x"));
  assert_false(emb__sniff_csl_csv((const unsigned char *)dpl, sizeof(dpl) - 1, "x"));
  assert_false(emb__sniff_csl_csv((const unsigned char *)uk, sizeof(uk) - 1, "x"));
  const char *name = NULL;
  assert_int_equal(emb_detect_format(FULL, &name, NULL), 0);
  assert_string_equal(name, "csl");
  assert_int_equal(emb_detect_format(DATA "/ofac/sdn-2021-07/sdn.csv", &name, NULL), 0);
  assert_string_equal(name, "ofac-csv");
}

/* ------------------------------------------------------------------ bad input */

#define HDR "_id,source,type,name,alt_names,start_date,ids\n"
#define SDN "Specially Designated Nationals (SDN) - Treasury Department"

static void test_ragged_and_missing(void **state) {
  (void)state;
  fx f;
  load_text(&f, HDR "1," SDN ",Individual,\"DOE, John\",,2020-01-02,\n"
                    "2," SDN ",Entity\n"
                    "3," SDN ",Entity,ACME,,,\n");
  assert_int_equal(f.rc, EMB_EFORMAT);
  const emb_diag *d = find_diag(&f, EMB_SEV_ERROR, "field count");
  assert_non_null(d);
  assert_int_equal(d->line, 3);
  assert_string_equal(d->file, "mem.csv");
  assert_int_equal(emb_set_count(f.set), 2);
  assert_null(emb_set_find(f.set, "csl:SDN:2"));
  fx_free(&f);

  load_text(&f, "_id,source,type\n1," SDN ",Entity\n");
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(f.set), 0);
  d = find_diag(&f, EMB_SEV_ERROR, "\"name\"");
  assert_non_null(d);
  assert_string_equal(d->field, "name");
  fx_free(&f);
}

static void test_bad_values(void **state) {
  (void)state;
  fx f;
  load_text(&f, HDR "1," SDN ",Individual,\"DOE, John\",,not a date,\n"
                    "2,,Entity,ACME,,,\n"
                    "," SDN ",Entity,ACME,,,\n"
                    "4,Some New List - Agency,Robot,R2D2,,,\"Gender, Male; XYZ, Unknown Label\"\n");
  assert_int_equal(f.rc, EMB_EFORMAT);
  const emb_diag *d = find_diag(&f, EMB_SEV_WARNING, "date not understood");
  assert_non_null(d);
  assert_string_equal(d->field, "start_date");
  d = find_diag(&f, EMB_SEV_ERROR, "empty");
  assert_non_null(d);
  assert_string_equal(d->field, "source");
  assert_int_equal(d->line, 3);
  assert_int_equal(emb_set_count(f.set), 2);
  /* No code in parentheses: the initials of the list name. */
  const emb_entity *e = must_find(&f, "csl:SNL:4");
  assert_string_equal(e->lists.items[0], "Some New List");
  assert_int_equal(e->schema, EMB_SCHEMA_LEGAL_ENTITY);
  assert_non_null(find_diag(&f, EMB_SEV_WARNING, "unknown type"));
  assert_string_equal(e->gender, "male");
  assert_true(has_str(&e->remarks, "Unknown Label: XYZ"));
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_counts),          cmocka_unit_test(test_full_spot_checks),
      cmocka_unit_test(test_fixture_later_layout), cmocka_unit_test(test_sniff),
      cmocka_unit_test(test_ragged_and_missing),   cmocka_unit_test(test_bad_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
