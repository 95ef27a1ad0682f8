/*
 * test_uk_xml.c - the UK Sanctions List (FCDO) XML loader against the real excerpt
 * (5 designations: an entity, two individuals, a company and a ship) and against
 * broken copies of it. Every expected value was read off the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embargo.h"
#include "lists/loader.h"

#include "testutil.h"

#define DATA "/work/shared/data/lists"
#define UK_FILE DATA "/uk/uk-sanctions-list-excerpt-2026-09-10.xml"

/* ------------------------------------------------------------ helpers */

static void assert_listed(const emb_entity *e, const char *want) {
  char buf[32];
  emb_date_format(&e->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, want);
}

/* The real excerpt, which loads without any diagnostic; the caller frees the set. */
static emb_entity_set *load_real(void) {
  fx f;
  load_ok(&f, "uk-xml:" UK_FILE);
  assert_int_equal(f.diags.n_warnings, 0);
  emb_diags_fini(&f.diags);
  return f.set;
}

/* ------------------------------------------------------------ the real file */

static void test_real_file(void **state) {
  (void)state;
  emb_entity_set *set = load_real();
  assert_int_equal(emb_set_count(set), 5);
  const emb_source *src = emb_set_source(set, 0);
  assert_string_equal(src->format, "uk-xml");
  assert_string_equal(src->published, "2026-09-10");
  assert_int_equal(src->n_records, 5);
  assert_int_equal(src->n_entities, 5);

  const struct {
    const char *id;
    emb_schema schema;
    size_t names;
    const char *listed;
  } want[] = {{"uk:12703", EMB_SCHEMA_ORGANIZATION, 3, "2012-06-29"},
              {"uk:7172", EMB_SCHEMA_PERSON, 3, "2001-01-25"},
              {"uk:14124", EMB_SCHEMA_ORGANIZATION, 3, "2021-06-21"},
              {"uk:DPR0075", EMB_SCHEMA_VESSEL, 2, "2017-10-03"}, /* no group id */
              {"uk:6899", EMB_SCHEMA_PERSON, 1, "2010-05-13"}};
  size_t names = 0;
  for (size_t i = 0; i < 5; i++) {
    const emb_entity *e = emb_set_find(set, want[i].id);
    assert_non_null(e);
    assert_string_equal(e->source, "uk");
    assert_int_equal(e->schema, want[i].schema);
    assert_int_equal(e->n_names, want[i].names);
    assert_int_equal(e->programs.count, 1);
    assert_listed(e, want[i].listed);
    names += e->n_names;
  }
  assert_int_equal(names, 12);
  assert_string_equal(emb_set_find(set, "uk:6899")->programs.items[0],
                      "Isil (Da'esh) and Al-Qaeda (United Nations Sanctions) (EU Exit) "
                      "Regulations 2019");
  emb_set_free(set);
}

static void test_names(void **state) {
  (void)state;
  emb_entity_set *set = load_real();

  const emb_entity *akhund = emb_set_find(set, "uk:7172");
  const emb_name *p = find_name(akhund, "MOHAMMAD HASSAN AKHUND");
  assert_non_null(p);
  assert_int_equal(p->kind, EMB_NAME_PRIMARY);
  assert_string_equal(p->given, "MOHAMMAD");
  assert_string_equal(p->middle, "HASSAN");
  assert_string_equal(p->family, "AKHUND");
  assert_string_equal(p->script, "Latn");
  const emb_name *v = find_name(akhund, "Mohammad Akhwand");
  assert_non_null(v);
  assert_int_equal(v->kind, EMB_NAME_VARIATION);
  assert_null(v->middle);
  const emb_name *ar = find_name(akhund, "محمد حسن آخوند");
  assert_non_null(ar);
  assert_int_equal(ar->kind, EMB_NAME_ALIAS);
  assert_string_equal(ar->script, "Arab");

  /* Entities keep Name6 as the whole name, without parts. */
  const emb_entity *hawala = emb_set_find(set, "uk:12703");
  const emb_name *hp = find_name(hawala, "HAJI KHAIRULLAH MONEY EXCHANGE");
  assert_int_equal(hp->kind, EMB_NAME_PRIMARY);
  assert_null(hp->family);
  assert_null(hp->given);
  assert_int_equal(find_name(hawala, "Haji Alim Hawala")->kind, EMB_NAME_ALIAS);
  assert_non_null(find_name(hawala, "حاجی خيرالله صرافی"));

  /* Alias quality. */
  const emb_entity *bnk = emb_set_find(set, "uk:14124");
  assert_int_equal(find_name(bnk, "BNK (UK) Ltd")->kind, EMB_NAME_PRIMARY);
  assert_int_equal(find_name(bnk, "BNK UK Limited")->strength, EMB_STRONG);
  assert_int_equal(find_name(bnk, "BNK")->strength, EMB_WEAK);
  assert_int_equal(find_name(bnk, "BNK")->kind, EMB_NAME_ALIAS);

  /* Name1 and Name2 only: given and middle, no family name. */
  const emb_entity *harun = emb_set_find(set, "uk:6899");
  const emb_name *h = find_name(harun, "Fadhil Harun");
  assert_non_null(h);
  assert_string_equal(h->given, "Fadhil");
  assert_string_equal(h->middle, "Harun");
  assert_null(h->family);
  emb_set_free(set);
}

static void test_individual_details(void **state) {
  (void)state;
  emb_entity_set *set = load_real();
  const emb_entity *e = emb_set_find(set, "uk:7172");
  /* 12/05/1958, dd/mm/1945, 1946 */
  assert_int_equal(e->n_birth_dates, 3);
  assert_true(has_date(e, "1958-05-12"));
  assert_true(has_date(e, "1945"));
  assert_true(has_date(e, "1946"));
  assert_string_equal(e->gender, "male");
  assert_true(has_country(e, "AF", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "AF", EMB_COUNTRY_BIRTH));
  assert_true(has_country(e, "AF", EMB_COUNTRY_ADDRESS));
  assert_int_equal(e->birth_places.count, 1);
  assert_string_equal(e->birth_places.items[0], "Pashmul village, Panjwai District, Afghanistan");
  assert_int_equal(e->titles.count, 3);
  assert_true(has_str(&e->titles, "Mullah"));
  assert_true(has_str(&e->titles, "Haji"));
  assert_true(has_str(&e->titles, "Deputy Minister of Agriculture under the Taliban regime"));
  /* The passport is listed twice; once is enough. */
  assert_int_equal(e->n_ids, 4);
  const emb_identifier *pp = find_id(e, NULL, "P04581926");
  assert_string_equal(pp->type, "passport");
  assert_string_equal(pp->note, "Afghanistan passport number P04581926, issued in Kandahar "
                                "(expires 7 August 2034)");
  assert_string_equal(find_id(e, NULL, "2132370")->type, "national_id");
  assert_string_equal(find_id(e, NULL, "AFG0006")->note, "UK sanctions list unique ID");
  assert_string_equal(find_id(e, NULL, "TAi.002")->note, "UN reference number");
  assert_int_equal(e->n_addresses, 1);
  assert_string_equal(e->addresses[0].full, "Kabul, Afghanistan");
  assert_string_equal(e->addresses[0].city, "Kabul");
  assert_string_equal(e->addresses[0].country, "AF");

  const emb_entity *harun = emb_set_find(set, "uk:6899");
  assert_int_equal(harun->n_birth_dates, 1);
  assert_true(has_date(harun, "1972"));
  assert_true(has_country(harun, "KM", EMB_COUNTRY_NATIONALITY));
  assert_true(has_str(&harun->birth_places, "Moroni, Comoros"));
  emb_set_free(set);
}

static void test_entity_and_ship(void **state) {
  (void)state;
  emb_entity_set *set = load_real();
  const emb_entity *bnk = emb_set_find(set, "uk:14124");
  assert_string_equal(find_id(bnk, NULL, "UK Company no. 06527449")->type, "registration");
  assert_int_equal(bnk->linked_to.count, 3);
  assert_true(has_str(&bnk->linked_to, "Belneftekhim"));
  assert_int_equal(bnk->n_addresses, 1);
  const emb_address *a = &bnk->addresses[0];
  assert_string_equal(a->full, "Salatin House, 19 Cedar Road, Sutton, Surrey, SM2 5DA, "
                               "United Kingdom");
  assert_string_equal(a->street, "Salatin House, 19 Cedar Road, Sutton, Surrey");
  assert_string_equal(a->postal_code, "SM2 5DA");
  assert_string_equal(a->country, "GB");
  assert_true(has_str(&bnk->remarks, "Statement of reasons: BNK (UK) Ltd is controlled by CJSC "
                                     "Belarusian Oil Company, the state exporter of oil "
                                     "products."));
  assert_true(has_str(&bnk->remarks, "Type of entity: Oil trading company"));

  const emb_entity *ship = emb_set_find(set, "uk:DPR0075");
  assert_string_equal(find_id(ship, NULL, "IMO9562233")->type, "imo");
  assert_true(has_country(ship, "KM", EMB_COUNTRY_JURISDICTION));
  assert_true(has_country(ship, "IN", EMB_COUNTRY_OTHER));
  assert_true(has_str(&ship->linked_to, "Global United Shipping India"));
  assert_int_equal(find_name(ship, "Petrel 8")->kind, EMB_NAME_PRIMARY);

  const emb_entity *hawala = emb_set_find(set, "uk:12703");
  assert_int_equal(hawala->n_addresses, 2);
  assert_true(has_country(hawala, "AE", EMB_COUNTRY_ADDRESS));
  assert_true(has_str(&hawala->remarks,
                      "Afghan Money Service Provider License Number: 044. Associated with "
                      "Abdul Sattar (TAi.162). INTERPOL-UN Security Council Special Notice web "
                      "link: https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-"
                      "Individuals"));
  emb_set_free(set);
}

static void test_detect(void **state) {
  (void)state;
  const char *name = NULL;
  assert_int_equal(emb_detect_format(UK_FILE, &name, NULL), 0);
  assert_non_null(name);
  assert_string_equal(name, "uk-xml");

  const char *un = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST><INDIVIDUALS>";
  const char *ofac = "<?xml version=\"1.0\"?><sdnList><publshInformation>";
  const char *adv = "<?xml version=\"1.0\"?><Sanctions xmlns=\"https://sanctionslistservice.ofac."
                    "treas.gov/api/PublicationPreview/exports/ENHANCED_XML\">";
  const char *eu = "<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\"><sanctionEntity>";
  const char *old_ofsi = "<ArrayOfFinancialSanctionsTarget><FinancialSanctionsTarget>";
  assert_false(emb__sniff_uk_xml((const unsigned char *)un, strlen(un), "x"));
  assert_false(emb__sniff_uk_xml((const unsigned char *)ofac, strlen(ofac), "x"));
  assert_false(emb__sniff_uk_xml((const unsigned char *)adv, strlen(adv), "x"));
  assert_false(emb__sniff_uk_xml((const unsigned char *)eu, strlen(eu), "x"));
  assert_false(emb__sniff_uk_xml((const unsigned char *)old_ofsi, strlen(old_ofsi), "x"));
  /* UTF-16 with a byte-order mark. */
  const unsigned char u16[] = {0xFF, 0xFE, '<', 0, 'D', 0, 'e', 0, 's', 0, 'i', 0, 'g', 0, 'n', 0,
                               'a',  0,    't', 0, 'i', 0, 'o', 0, 'n', 0, 's', 0, '>', 0};
  assert_true(emb__sniff_uk_xml(u16, sizeof(u16), "x"));
  assert_false(emb__sniff_eu_xml(u16, sizeof(u16), "x"));
}

/* ------------------------------------------------------------ broken input */

static void test_truncated(void **state) {
  (void)state;
  size_t n;
  char *buf = slurp_file(UK_FILE, &n);
  /* Cut inside the fourth designation (the ship): the first three stay. */
  const char *fourth = strstr(buf, "<UniqueID>DPR0075");
  assert_non_null(fourth);
  size_t cut = (size_t)(fourth - buf) + 200;
  fx f;
  load_mem(&f, "uk-xml", "cut.xml", buf, cut);
  assert_int_not_equal(f.rc, 0);
  assert_true(f.diags.n_errors >= 1);
  assert_int_equal(emb_set_count(f.set), 3);
  assert_non_null(emb_set_find(f.set, "uk:12703"));
  assert_non_null(emb_set_find(f.set, "uk:7172"));
  assert_non_null(emb_set_find(f.set, "uk:14124"));
  assert_null(emb_set_find(f.set, "uk:DPR0075"));
  fx_free(&f);
  free(buf);
}

static void test_bad_records(void **state) {
  (void)state;
  const char *xml = "<Designations>\n"
                    "  <DateGenerated>31/02/2026</DateGenerated>\n"
                    "  <Designation>\n"
                    "    <Names><Name><Name6>No Ids</Name6><NameType>Primary Name</NameType>"
                    "</Name></Names>\n"
                    "    <IndividualEntityShip>Entity</IndividualEntityShip>\n"
                    "  </Designation>\n"
                    "  <Designation>\n"
                    "    <UniqueID>RUS0001</UniqueID>\n"
                    "    <OFSIGroupID>99</OFSIGroupID>\n"
                    "    <Names><Name><Name1>Ivan</Name1><Name6>Petrov</Name6>"
                    "<NameType>Nickname</NameType><AliasStrength>Medium</AliasStrength></Name>"
                    "</Names>\n"
                    "    <IndividualEntityShip>Individual</IndividualEntityShip>\n"
                    "    <IndividualDetails><Individual><DOBs>\n"
                    "      <DOB>sometime in spring</DOB>\n"
                    "      <DOB>00/07/1961</DOB>\n"
                    "    </DOBs></Individual></IndividualDetails>\n"
                    "  </Designation>\n"
                    "  <Designation>\n"
                    "    <UniqueID>RUS0002</UniqueID>\n"
                    "    <OFSIGroupID>99</OFSIGroupID>\n"
                    "    <Names><Name><Name1>Ivan</Name1><Name6>Petroff</Name6>"
                    "<NameType>Alias</NameType></Name></Names>\n"
                    "    <IndividualEntityShip>Individual</IndividualEntityShip>\n"
                    "  </Designation>\n"
                    "</Designations>\n";
  fx f;
  load_mem(&f, "uk-xml", "t.xml", xml, strlen(xml));
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(f.diags.n_errors, 1);
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 3, "Designation"));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 2, "DateGenerated"));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 13, "DOB"));
  assert_null(emb_set_source(f.set, 0)->published);
  /* Two designations with one group id are one entity. */
  assert_int_equal(emb_set_count(f.set), 1);
  const emb_entity *e = emb_set_find(f.set, "uk:99");
  assert_non_null(e);
  assert_int_equal(e->n_names, 2);
  assert_int_equal(find_name(e, "Ivan Petrov")->kind, EMB_NAME_ALIAS); /* unknown type */
  assert_string_equal(find_name(e, "Ivan Petroff")->family, "Petroff");
  assert_int_equal(e->n_birth_dates, 1);
  assert_true(has_date(e, "1961-07"));
  assert_non_null(find_id(e, NULL, "RUS0001"));
  assert_non_null(find_id(e, NULL, "RUS0002"));
  assert_int_equal(emb_set_source(f.set, 0)->n_records, 3);
  assert_int_equal(emb_set_source(f.set, 0)->n_entities, 1);
  fx_free(&f);
}

static void test_wrong_root(void **state) {
  (void)state;
  fx f;
  const char *xml = "<export><sanctionEntity logicalId=\"1\"/></export>";
  load_mem(&f, "uk-xml", "t.xml", xml, strlen(xml));
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(f.diags.n_errors, 1);
  assert_int_equal(emb_set_count(f.set), 0);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_real_file),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_individual_details),
      cmocka_unit_test(test_entity_and_ship),
      cmocka_unit_test(test_detect),
      cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_bad_records),
      cmocka_unit_test(test_wrong_root),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
