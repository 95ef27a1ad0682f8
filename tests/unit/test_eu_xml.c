/*
 * test_eu_xml.c - the EU Financial Sanctions Files XML loader against the real excerpt
 * (5 entities, 45 name aliases) and against broken copies of it.
 *
 * Expected values were counted in the file itself (grep -c '<nameAlias ' gives 45,
 * '<sanctionEntity ' 5, and so on) and are spelled out here so a change in the loader's
 * reading shows up as a failure.
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
#define EU_FILE DATA "/eu/fsf-excerpt-2026-08-05.xml"

/* ------------------------------------------------------------ helpers */

static const emb_name *primary(const emb_entity *e) {
  const emb_name *p = NULL;
  for (size_t i = 0; i < e->n_names; i++)
    if (e->names[i].kind == EMB_NAME_PRIMARY) {
      assert_null(p); /* exactly one */
      p = &e->names[i];
    }
  assert_non_null(p);
  return p;
}

/* Loads more text into a set that holds a list already (a fixture's). */
static int load_string(emb_entity_set *set, const char *xml, emb_diags *d) {
  return emb__load_mem(set, "eu-xml", xml, strlen(xml), "t.xml", d);
}

/* ------------------------------------------------------------ the real file */

static void test_real_file(void **state) {
  (void)state;
  fx f;
  load_ok(&f, "eu-xml:" EU_FILE);
  assert_int_equal(emb_set_count(f.set), 5);

  const emb_source *src = emb_set_source(f.set, 0);
  assert_string_equal(src->format, "eu-xml");
  assert_string_equal(src->published, "2026-08-05");
  assert_int_equal(src->n_records, 5);
  assert_int_equal(src->n_entities, 5);

  size_t names = 0, persons = 0, orgs = 0, primaries = 0;
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *e = emb_set_get(f.set, i);
    assert_string_equal(e->source, "eu");
    names += e->n_names;
    persons += e->schema == EMB_SCHEMA_PERSON;
    orgs += e->schema == EMB_SCHEMA_ORGANIZATION;
    primary(e);
    primaries++;
  }
  assert_int_equal(names, 45); /* all 45 aliases are distinct within their entity */
  assert_int_equal(persons, 4);
  assert_int_equal(orgs, 1);
  assert_int_equal(primaries, 5);

  /* Names per entity, as counted in the file. */
  const struct {
    const char *id;
    size_t names;
    const char *primary;
    const char *program;
  } want[] = {{"eu:191", 7, "Khalid Sheikh MOHAMMED", "TERR"},
              {"eu:521", 3, "Haji Ahmad Jan", "AFG"},
              {"eu:3822", 16, "Parchin Chemical Industries (PCI)", "IRN"},
              {"eu:6106", 4, "Abu Zayd Umar DORDA", "LBY"},
              {"eu:6177", 15, "Ibrahim Hassan Tali Al-Asiri", "TAQA"}};
  for (size_t i = 0; i < 5; i++) {
    const emb_entity *e = emb_set_find(f.set, want[i].id);
    assert_non_null(e);
    assert_int_equal(e->n_names, want[i].names);
    assert_string_equal(primary(e)->full, want[i].primary);
    assert_int_equal(e->programs.count, 1);
    assert_string_equal(e->programs.items[0], want[i].program);
  }
  fx_free(&f);
}

static void test_names(void **state) {
  (void)state;
  fx f;
  load_ok(&f, "eu-xml:" EU_FILE);

  const emb_entity *asiri = emb_set_find(f.set, "eu:6177");
  assert_non_null(asiri);
  const emb_name *ar = find_name(asiri, "إبراهيم حسن طالع عسيري");
  assert_non_null(ar);
  assert_string_equal(ar->script, "Arab");
  assert_string_equal(ar->lang, "AR");
  assert_int_equal(ar->kind, EMB_NAME_ALIAS);
  assert_int_equal(ar->strength, EMB_STRONG);
  /* Remarks saying "low quality alias" make these three weak; strong="true" notwithstanding. */
  size_t weak = 0;
  for (size_t i = 0; i < asiri->n_names; i++)
    weak += asiri->names[i].strength == EMB_WEAK;
  assert_int_equal(weak, 3);
  assert_int_equal(find_name(asiri, "Abu-Salaah")->strength, EMB_WEAK);
  assert_int_equal(find_name(asiri, "Abosslah")->strength, EMB_WEAK);
  const emb_name *saleh = find_name(asiri, "Abu Saleh");
  assert_int_equal(saleh->strength, EMB_WEAK);
  assert_string_equal(saleh->given, "Abu");
  assert_string_equal(saleh->family, "Saleh");
  assert_null(saleh->middle);
  const emb_name *p = primary(asiri);
  assert_string_equal(p->given, "Ibrahim");
  assert_string_equal(p->middle, "Hassan Tali");
  assert_string_equal(p->family, "Al-Asiri");
  assert_string_equal(p->lang, "EN");
  assert_string_equal(p->script, "Latn");
  assert_string_equal(asiri->gender ? asiri->gender : "", "");

  const emb_entity *pci = emb_set_find(f.set, "eu:3822");
  const emb_name *fa = find_name(pci, "صنایع شیمیایی پارچین");
  assert_non_null(fa);
  assert_string_equal(fa->script, "Arab");
  assert_string_equal(fa->lang, "FA");
  /* Runs of spaces in the source collapse to one. */
  assert_non_null(find_name(pci, "Tionscail Ceimiceán Parchin"));
  assert_string_equal(find_name(pci, "Tionscail Ceimiceán Parchin")->lang, "GA");
  assert_non_null(find_name(pci, "Parchin-Militärbasis"));
  /* No language means none, not "". */
  const emb_entity *ksm = emb_set_find(f.set, "eu:191");
  assert_null(find_name(ksm, "Ali Salem")->lang);
  assert_string_equal(ksm->gender, "male");

  /* function and title become titles. */
  const emb_entity *jan = emb_set_find(f.set, "eu:521");
  assert_true(has_str(&jan->titles, "Maulavi"));
  assert_true(has_str(&jan->titles, "Minister of Water and Electricity under the Taliban regime"));
  fx_free(&f);
}

static void test_dates_places_countries(void **state) {
  (void)state;
  fx f;
  load_ok(&f, "eu-xml:" EU_FILE);
  char buf[32];

  const emb_entity *ksm = emb_set_find(f.set, "eu:191");
  assert_int_equal(ksm->n_birth_dates, 2);
  assert_true(has_date(ksm, "1965-04-14"));
  assert_true(has_date(ksm, "1964-03-01"));
  assert_true(has_country(ksm, "PK", EMB_COUNTRY_BIRTH));
  assert_int_equal(ksm->birth_places.count, 0); /* city="-" is no place */
  /* No designationDate: the regulation's publication date. */
  emb_date_format(&ksm->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2025-01-31");

  /* Two birthdates with the same circa range collapse into one; two cities remain. */
  const emb_entity *jan = emb_set_find(f.set, "eu:521");
  assert_int_equal(jan->n_birth_dates, 1);
  assert_true(has_date(jan, "~1953/1958"));
  assert_int_equal(jan->birth_places.count, 2);
  assert_true(has_str(&jan->birth_places, "Tirin Kot District, Uruzgan Province, Afghanistan"));
  assert_true(has_str(&jan->birth_places, "Kandahar province, Afghanistan"));
  assert_true(has_country(jan, "AF", EMB_COUNTRY_CITIZENSHIP));
  assert_true(has_country(jan, "AF", EMB_COUNTRY_BIRTH));
  emb_date_format(&jan->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2001-01-25"); /* designationDate, before the regulation */
  assert_true(has_str(&jan->remarks, "Believed to be in Afghanistan/ Pakistan border area. Review "
                                     "pursuant to Security Council Resolution 1822 (2008) was "
                                     "concluded on 21 Jul. 2010. INTERPOL-UN Security Council "
                                     "Special Notice web link: "
                                     "https://www.interpol.int/en/notice/search/un/ 4678353"));

  /* The Islamic-calendar birthdate carries its Gregorian date (1982-04-19), a duplicate. */
  const emb_entity *asiri = emb_set_find(f.set, "eu:6177");
  assert_int_equal(asiri->n_birth_dates, 2);
  assert_true(has_date(asiri, "1982-04-18"));
  assert_true(has_date(asiri, "1982-04-19"));
  assert_true(has_str(&asiri->birth_places, "Riyadh, Saudi Arabia"));
  assert_true(has_country(asiri, "SA", EMB_COUNTRY_CITIZENSHIP));
  assert_true(has_country(asiri, "SA", EMB_COUNTRY_BIRTH));
  assert_true(has_country(asiri, "YE", EMB_COUNTRY_ADDRESS));
  assert_int_equal(asiri->n_addresses, 1);
  assert_string_equal(asiri->addresses[0].full, "Yemen");
  assert_string_equal(asiri->addresses[0].country, "YE");

  const emb_entity *dorda = emb_set_find(f.set, "eu:6106");
  assert_int_equal(dorda->n_birth_dates, 1);
  assert_true(has_date(dorda, "1944-04-04"));
  assert_true(has_str(&dorda->birth_places, "Alrhaybat"));
  assert_true(has_str(&dorda->remarks, "address: Libya (Believed status/location: residing in "
                                       "Egypt)"));
  emb_date_format(&dorda->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2011-02-26");

  const emb_entity *pci = emb_set_find(f.set, "eu:3822");
  assert_int_equal(pci->n_birth_dates, 0);
  assert_int_equal(pci->n_addresses, 6);
  bool found = false;
  for (size_t i = 0; i < pci->n_addresses; i++)
    if (strcmp(pci->addresses[i].full,
               "Pasdaran Square, P.O. Box 16765/358, Tehran, Iran, Islamic Republic of") == 0) {
      found = true;
      assert_string_equal(pci->addresses[i].street, "Pasdaran Square");
      assert_string_equal(pci->addresses[i].city, "Tehran");
      assert_string_equal(pci->addresses[i].country, "IR");
    }
  assert_true(found);
  fx_free(&f);
}

static void test_identifiers(void **state) {
  (void)state;
  fx f;
  load_ok(&f, "eu-xml:" EU_FILE);

  const emb_entity *asiri = emb_set_find(f.set, "eu:6177");
  const emb_identifier *pp = find_id(asiri, NULL, "F654645");
  assert_non_null(pp);
  assert_string_equal(pp->type, "passport");
  assert_string_equal(pp->country, "SA");
  assert_string_equal(pp->note, "National passport; known to be expired");
  const emb_identifier *nid = find_id(asiri, NULL, "1028745097");
  assert_non_null(nid);
  assert_string_equal(nid->type, "national_id");
  assert_string_equal(nid->country, "SA");
  assert_true(has_str(&asiri->remarks,
                      "identification 1028745097: (national civil identification number)"));

  /* countryIso2Code "00" is unknown: no country. */
  const emb_entity *ksm = emb_set_find(f.set, "eu:191");
  const emb_identifier *k = find_id(ksm, NULL, "488555");
  assert_non_null(k);
  assert_string_equal(k->type, "passport");
  assert_null(k->country);
  assert_non_null(find_id(ksm, NULL, "EU.3579.2"));
  assert_string_equal(find_id(ksm, NULL, "EU.3579.2")->note, "EU reference number");

  const emb_entity *pci = emb_set_find(f.set, "eu:3822");
  const emb_identifier *reg = find_id(pci, NULL, "892");
  assert_non_null(reg);
  assert_string_equal(reg->type, "registration");

  const emb_entity *dorda = emb_set_find(f.set, "eu:6106");
  assert_string_equal(find_id(dorda, NULL, "FK117RK0")->country, "LY");
  assert_string_equal(find_id(dorda, NULL, "LYi.006")->note, "UN reference number");
  /* 1 passport + EU ref + UN ref */
  assert_int_equal(dorda->n_ids, 3);
  fx_free(&f);
}

static void test_detect(void **state) {
  (void)state;
  const char *name = NULL;
  assert_int_equal(emb_detect_format(EU_FILE, &name, NULL), 0);
  assert_non_null(name);
  assert_string_equal(name, "eu-xml");

  size_t n;
  char *buf = slurp_file(EU_FILE, &n);
  assert_true(emb__sniff_eu_xml((const unsigned char *)buf, n, "x.xml"));
  free(buf);

  const char *un = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"x\"><INDIVIDUALS>";
  const char *ofac = "<?xml version=\"1.0\"?><sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">";
  const char *uk = "<?xml version=\"1.0\"?><Designations><DateGenerated>";
  const char *other = "<export><table name=\"t\"/></export>";
  const char *bom =
      "\xEF\xBB\xBF<!-- c --><fsd:export xmlns:fsd=\"http://eu.europa.ec/fpi/fsd/export\">";
  assert_false(emb__sniff_eu_xml((const unsigned char *)un, strlen(un), "x"));
  assert_false(emb__sniff_eu_xml((const unsigned char *)ofac, strlen(ofac), "x"));
  assert_false(emb__sniff_eu_xml((const unsigned char *)uk, strlen(uk), "x"));
  assert_false(emb__sniff_eu_xml((const unsigned char *)other, strlen(other), "x"));
  assert_true(emb__sniff_eu_xml((const unsigned char *)bom, strlen(bom), "x"));
  assert_false(emb__sniff_eu_xml((const unsigned char *)"", 0, "x"));
  assert_false(emb__sniff_eu_xml((const unsigned char *)"<", 1, "x"));
}

/* ------------------------------------------------------------ broken input */

static void test_truncated(void **state) {
  (void)state;
  size_t n;
  char *buf = slurp_file(EU_FILE, &n);
  /* Cut inside the fourth entity (logicalId 6106): the first three stay. */
  const char *fourth = strstr(buf, "logicalId=\"6106\"");
  assert_non_null(fourth);
  size_t cut = (size_t)(fourth - buf) + 400;
  fx f;
  load_mem(&f, "eu-xml", "cut.xml", buf, cut);
  assert_int_not_equal(f.rc, 0);
  assert_true(f.diags.n_errors >= 1);
  assert_int_equal(emb_set_count(f.set), 3);
  assert_non_null(emb_set_find(f.set, "eu:191"));
  assert_non_null(emb_set_find(f.set, "eu:521"));
  assert_non_null(emb_set_find(f.set, "eu:3822"));
  assert_null(emb_set_find(f.set, "eu:6106"));
  assert_int_equal(emb_set_find(f.set, "eu:3822")->n_names, 16);
  fx_free(&f);
  free(buf);
}

static void test_missing_id_and_bad_date(void **state) {
  (void)state;
  const char *xml =
      "<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\" "
      "generationDate=\"2026-01-02T00:00:00\">\n"
      "<sanctionEntity euReferenceNumber=\"EU.1\">\n"
      "  <subjectType code=\"person\" classificationCode=\"P\"/>\n"
      "  <nameAlias wholeName=\"No Id\" strong=\"true\"/>\n"
      "</sanctionEntity>\n"
      "<sanctionEntity logicalId=\"7\" designationDate=\"2020-13-45\">\n"
      "  <subjectType code=\"person\" classificationCode=\"P\"/>\n"
      "  <nameAlias wholeName=\"Weak One\" strong=\"false\" logicalId=\"2\"/>\n"
      "  <nameAlias firstName=\"Jane\" lastName=\"Doe\" strong=\"true\" logicalId=\"3\"/>\n"
      "  <birthdate circa=\"false\" calendarType=\"GREGORIAN\" year=\"1970\" monthOfYear=\"13\"/>\n"
      "</sanctionEntity>\n"
      "</export>\n";
  fx f;
  load_mem(&f, "eu-xml", "t.xml", xml, strlen(xml));
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(f.set), 1);
  assert_true(has_diag(&f.diags, EMB_SEV_ERROR, 2, "sanctionEntity"));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 6, "designationDate"));
  assert_true(has_diag(&f.diags, EMB_SEV_WARNING, 10, "monthOfYear"));
  assert_int_equal(f.diags.n_errors, 1);
  const emb_entity *e = emb_set_find(f.set, "eu:7");
  assert_non_null(e);
  /* The strong alias wins over the weak one with the lower id; the name is built from parts. */
  assert_string_equal(primary(e)->full, "Jane Doe");
  assert_int_equal(find_name(e, "Weak One")->strength, EMB_WEAK);
  /* A bad month leaves the year. */
  assert_int_equal(e->n_birth_dates, 1);
  assert_true(has_date(e, "1970"));
  assert_string_equal(emb_set_source(f.set, 0)->published, "2026-01-02");
  fx_free(&f);
}

static void test_wrong_root_and_security(void **state) {
  (void)state;
  fx f;
  const char *root = "<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>";
  load_mem(&f, "eu-xml", "t.xml", root, strlen(root));
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(f.diags.n_errors, 1);
  assert_int_equal(emb_set_count(f.set), 0);

  const char *bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE export [<!ENTITY a \"aaaaaaaa\">\n"
                     "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
                     "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"&b;\"/>"
                     "</sanctionEntity></export>";
  assert_int_equal(load_string(f.set, bomb, &f.diags), EMB_ESECURITY);
  assert_int_equal(emb_set_count(f.set), 0);

  /* A duplicate logicalId merges with a warning. */
  emb_diags_fini(&f.diags);
  emb_diags_init(&f.diags);
  const char *dup = "<export generationDate=\"2026-01-02T00:00:00\">"
                    "<sanctionEntity logicalId=\"5\"><nameAlias wholeName=\"A\"/></sanctionEntity>"
                    "<sanctionEntity logicalId=\"5\"><nameAlias wholeName=\"B\"/></sanctionEntity>"
                    "</export>";
  assert_int_equal(load_string(f.set, dup, &f.diags), 0);
  assert_int_equal(f.diags.n_warnings, 1);
  assert_int_equal(emb_set_count(f.set), 1);
  assert_int_equal(emb_set_find(f.set, "eu:5")->n_names, 2);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_real_file),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_dates_places_countries),
      cmocka_unit_test(test_identifiers),
      cmocka_unit_test(test_detect),
      cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_missing_id_and_bad_date),
      cmocka_unit_test(test_wrong_root_and_security),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
