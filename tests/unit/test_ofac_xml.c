/*
 * test_ofac_xml.c - the OFAC classic XML (sdnList) and enhanced XML (sanctionsData)
 * loaders on the real files: exact counts, field spot checks, ids that merge with the
 * legacy CSV, and broken or hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lists/loader.h"

#include "testutil.h"

#define DATA "/work/shared/data/lists"
#define CLASSIC DATA "/ofac/xml/consolidated-2018-04-06.xml"
#define ENHANCED DATA "/ofac/xml/cons-enhanced-2025-01-10.zip"
#define CONS_CSV DATA "/ofac/cons-2025-12"

/* ------------------------------------------------------------ classic */

static void test_sniff(void **state) {
  (void)state;
  const char *name = NULL;
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb_detect_format(CLASSIC, &name, &d), 0);
  assert_string_equal(name, "ofac-xml");
  assert_int_equal(emb_detect_format(ENHANCED, &name, &d), 0);
  assert_string_equal(name, "ofac-advanced-xml");
  assert_int_equal(emb_detect_format(DATA "/un/consolidated-2026-02-27.xml", &name, &d), 0);
  assert_string_equal(name, "un-xml");
  emb_diags_fini(&d);
  const char *adv = "<?xml version=\"1.0\"?><Sanctions xmlns=\"https://sanctionslistservice.ofac."
                    "treas.gov/api/PublicationPreview/exports/ADVANCED_XML\"><DateOfIssue/>";
  assert_true(emb__sniff_ofac_adv_xml((const unsigned char *)adv, strlen(adv), "sdn_advanced.xml"));
  assert_false(emb__sniff_ofac_xml((const unsigned char *)adv, strlen(adv), "sdn_advanced.xml"));
}

static void test_classic_real(void **state) {
  (void)state;
  fx f;
  load_ok(&f, CLASSIC);
  assert_int_equal(f.diags.n_warnings, 0);
  assert_int_equal(emb_set_count(f.set), 639);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_PERSON), 94);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_VESSEL), 74);
  assert_int_equal(
      count_schema(f.set, EMB_SCHEMA_ORGANIZATION) + count_schema(f.set, EMB_SCHEMA_COMPANY), 471);
  const emb_source *src = emb_set_source(f.set, 0);
  assert_string_equal(src->published, "2018-04-06");
  assert_int_equal(src->n_records, 639);
  /* The consolidated (non-SDN) list: every entry is marked so. */
  size_t n_former = 0, n_weak = 0;
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *e = emb_set_get(f.set, i);
    assert_int_equal(e->lists.count, 1);
    assert_string_equal(e->lists.items[0], "Non-SDN");
    assert_string_equal(e->source, "ofac");
    assert_true(e->n_names >= 1);
    assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
    for (size_t k = 0; k < e->n_names; k++) {
      n_former += e->names[k].kind == EMB_NAME_FORMER;
      n_weak += e->names[k].strength == EMB_WEAK;
    }
  }
  /* 46 weak akas in the file; ofac:18769 lists VYSOKOTOCHNYE KOMPLEKSY both strong and
     weak, and one name is kept once with its strongest reading. */
  assert_int_equal(n_weak, 45);
  assert_true(n_former >= 150 && n_former <= 186);

  const emb_entity *e = emb_set_find(f.set, "ofac:4632");
  assert_non_null(e);
  assert_string_equal(e->names[0].full, "BANK MARKAZI JOMHOURI ISLAMI IRAN");
  assert_int_equal(find_name(e, "CENTRAL BANK OF IRAN")->kind, EMB_NAME_ALIAS);
  assert_int_equal(e->n_addresses, 2);
  assert_true(has_country(e, "IR", EMB_COUNTRY_ADDRESS));
  assert_true(has_str(&e->programs, "IRAN"));
  assert_true(
      has_str_prefix(&e->remarks, "Additional Sanctions Information - Not on the SDN List"));
  assert_int_equal(e->n_ids, 0); /* both idList items are statements, not identifiers */

  /* A person: "LAST, First" with parts, year of birth, place of birth. */
  e = emb_set_find(f.set, "ofac:9639");
  assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
  const emb_name *n = find_name(e, "HANIYA, Ismail Abdul Salah");
  assert_non_null(n);
  assert_int_equal(n->kind, EMB_NAME_PRIMARY);
  assert_string_equal(n->family, "HANIYA");
  assert_string_equal(n->given, "Ismail Abdul Salah");
  assert_true(has_date(e, "1962"));
  assert_true(has_str(&e->birth_places, "Shati"));
  assert_true(has_str(&e->programs, "NS-PLC"));

  /* Full dates and a span of whole years. */
  assert_true(has_date(emb_set_find(f.set, "ofac:15719"), "1963-10-14"));
  assert_true(has_date(emb_set_find(f.set, "ofac:15960"), "1953/1954"));

  /* A vessel: IMO, MMSI, call sign, flag, former names, link from the remarks. */
  e = emb_set_find(f.set, "ofac:15036");
  assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
  assert_string_equal(find_id(e, NULL, "9187629")->type, "imo");
  assert_string_equal(find_id(e, NULL, "572469210")->type, "mmsi");
  assert_string_equal(find_id(e, NULL, "T2EU4")->note, "Call Sign");
  assert_true(has_country(e, "TZ", EMB_COUNTRY_JURISDICTION));
  assert_int_equal(find_name(e, "ABADAN")->kind, EMB_NAME_FORMER);
  assert_true(has_str(&e->linked_to, "NATIONAL IRANIAN TANKER COMPANY"));
  assert_true(has_str(&e->remarks, "Vessel type: Crude/Oil Products Tanker"));

  /* A Russian tax number is an INN; a registration with its country. */
  e = emb_set_find(f.set, "ofac:17013");
  const emb_identifier *id = find_id(e, NULL, "7702070139");
  assert_non_null(id);
  assert_string_equal(id->type, "inn");
  assert_string_equal(id->country, "RU");
  assert_true(has_str_prefix(&e->remarks, "Executive Order 13662 Directive Determination -"));
  fx_free(&f);
}

static void test_classic_sdn_detection(void **state) {
  (void)state;
  /* Entries with no non-SDN mark make an SDN file. */
  const char *doc = "<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\"><publshInformation>"
                    "<Publish_Date>12/31/2020</Publish_Date><Record_Count>3</Record_Count>"
                    "</publshInformation>\n"
                    "<sdnEntry><uid>36</uid><lastName>AEROCARIBBEAN AIRLINES</lastName>"
                    "<sdnType>Entity</sdnType><programList><program>CUBA</program></programList>"
                    "</sdnEntry>\n"
                    "<sdnEntry><uid>173</uid><firstName>Ali</firstName><lastName>X</lastName>"
                    "<sdnType>Individual</sdnType><idList><id><uid>1</uid><idType>Gender</idType>"
                    "<idNumber>Male</idNumber></id><id><uid>2</uid><idType>Digital Currency "
                    "Address - XBT</idType><idNumber>1AbC</idNumber></id></idList>"
                    "<akaList><aka><uid>5</uid><type>a.k.a.</type><category>weak</category>"
                    "<lastName>ABU ALI</lastName></aka></akaList>"
                    "<dateOfBirthList><dateOfBirthItem><uid>9</uid><dateOfBirth>circa 1965"
                    "</dateOfBirth></dateOfBirthItem></dateOfBirthList></sdnEntry>\n"
                    "</sdnList>\n";
  fx f;
  load_mem(&f, "ofac-xml", "sdn.xml", doc, strlen(doc));
  assert_int_equal(f.rc, 0);
  assert_int_equal(emb_set_count(f.set), 2);
  assert_int_equal(f.diags.n_warnings, 1); /* Record_Count says 3 */
  assert_non_null(strstr(f.diags.items[0].message, "3 entries"));
  const emb_entity *e = emb_set_find(f.set, "ofac:173");
  assert_string_equal(e->lists.items[0], "SDN");
  assert_string_equal(e->gender, "male");
  assert_string_equal(find_id(e, NULL, "1AbC")->type, "crypto");
  const emb_name *n = find_name(e, "ABU ALI");
  assert_int_equal(n->strength, EMB_WEAK);
  assert_null(n->family);
  assert_true(has_date(e, "~1965"));
  assert_string_equal(emb_set_source(f.set, 0)->published, "2020-12-31");
  fx_free(&f);
}

static void test_classic_bad(void **state) {
  (void)state;
  size_t n;
  char *doc = slurp_file(CLASSIC, &n);
  /* Cut inside the 101st entry. */
  size_t cut = 0;
  for (int i = 0; i < 101; i++)
    cut = (size_t)(strstr(doc + cut + 1, "<sdnEntry>") - doc);
  cut += 40;
  assert_int_equal(count_in(doc, cut, "</sdnEntry>"), 100);
  fx f;
  load_mem(&f, "ofac-xml", "cut.xml", doc, cut);
  assert_int_equal(f.rc, EMB_ETRUNCATED);
  assert_int_equal(emb_set_count(f.set), 100);
  assert_int_equal(f.diags.items[0].code, EMB_ETRUNCATED);
  assert_true(f.diags.items[0].line > 1000);
  fx_free(&f);
  free(doc);

  /* Billion laughs in an sdnList. */
  const char *bomb = "<!DOCTYPE sdnList [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                     "<sdnList><sdnEntry><uid>1</uid><lastName>&b;</lastName></sdnEntry></sdnList>";
  load_mem(&f, "ofac-xml", "b.xml", bomb, strlen(bomb));
  assert_int_equal(f.rc, EMB_ESECURITY);
  assert_int_equal(emb_set_count(f.set), 0);
  fx_free(&f);

  /* A bad uid loses that entry only. */
  const char *bad = "<sdnList>\n<sdnEntry><uid>12a</uid><lastName>A</lastName></sdnEntry>\n"
                    "<sdnEntry><uid>7</uid><lastName>B</lastName><sdnType>Entity</sdnType>"
                    "</sdnEntry>\n</sdnList>";
  load_mem(&f, "ofac-xml", "u.xml", bad, strlen(bad));
  assert_int_equal(f.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(f.set), 1);
  assert_non_null(emb_set_find(f.set, "ofac:7"));
  assert_int_equal(f.diags.items[0].line, 2);
  fx_free(&f);
}

/* ----------------------------------------------------------- enhanced */

static void test_enhanced_real(void **state) {
  (void)state;
  fx f;
  load_ok(&f, ENHANCED);
  assert_int_equal(emb_set_count(f.set), 443);
  assert_int_equal(count_schema(f.set, EMB_SCHEMA_PERSON), 80);
  assert_int_equal(
      count_schema(f.set, EMB_SCHEMA_ORGANIZATION) + count_schema(f.set, EMB_SCHEMA_COMPANY), 363);
  const emb_source *src = emb_set_source(f.set, 0);
  assert_string_equal(src->format, "ofac-advanced-xml");
  assert_string_equal(src->published, "2025-01-10");
  assert_int_equal(src->n_records, 443);
  size_t n_sdn = 0;
  for (size_t i = 0; i < emb_set_count(f.set); i++) {
    const emb_entity *e = emb_set_get(f.set, i);
    n_sdn += has_str(&e->lists, "SDN");
    assert_true(has_str(&e->lists, "Non-SDN"));
    assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
  }
  assert_int_equal(n_sdn, 77);

  /* On both lists; weak aliases; a link; gender and nationality features. */
  const emb_entity *e = emb_set_find(f.set, "ofac:9647");
  assert_non_null(e);
  assert_true(has_str(&e->lists, "SDN"));
  assert_true(has_str(&e->programs, "SDGT"));
  const emb_name *n = find_name(e, "ZAHHAR, Mahmoud Khaled");
  assert_int_equal(n->kind, EMB_NAME_PRIMARY);
  assert_string_equal(n->given, "Mahmoud Khaled");
  assert_string_equal(n->family, "ZAHHAR");
  assert_int_equal(find_name(e, "ZAHAR, Mahmoud")->strength, EMB_WEAK);
  assert_true(has_str(&e->linked_to, "HAMAS"));
  assert_string_equal(e->gender, "male");
  assert_true(has_country(e, "PS", EMB_COUNTRY_NATIONALITY));
  assert_true(has_date(e, "1945"));
  char buf[32];
  emb_date_format(&e->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2006-04-12");

  /* Other-script translations, identifiers, former names, statements. */
  e = emb_set_find(f.set, "ofac:17015");
  n = find_name(e, "\xD0\x92\xD0\xAD\xD0\x91.\xD0\xA0\xD0\xA4");
  assert_non_null(n);
  assert_string_equal(n->script, "Cyrl");
  assert_int_equal(find_name(e, "VNESHECONOMBANK")->kind, EMB_NAME_FORMER);
  assert_string_equal(find_id(e, NULL, "BFEARUMM")->type, "swift_bic");
  assert_string_equal(find_id(e, NULL, "1077711000102")->type, "ogrn");
  assert_string_equal(find_id(e, NULL, "7750004150")->type, "inn");
  assert_true(has_str(&e->remarks,
                      "Executive Order 13662 Directive Determination - Subject to Directive 1"));
  assert_true(e->n_addresses >= 4);
  assert_true(has_country(e, "CN", EMB_COUNTRY_ADDRESS));
  fx_free(&f);
}

/* The enhanced XML's entity ids are the legacy CSV's ent_num: the two merge. */
static void test_enhanced_ids_match_csv(void **state) {
  (void)state;
  fx f;
  load_ok(&f, ENHANCED);
  size_t n;
  char *csv = slurp_file(CONS_CSV "/cons_prim.csv", &n);
  size_t n_ids = 0, found = 0;
  for (char *line = csv; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    char id[32] = "ofac:";
    size_t k = 5;
    while (*line >= '0' && *line <= '9' && k < sizeof(id) - 1)
      id[k++] = *line++;
    id[k] = '\0';
    if (k == 5)
      continue;
    n_ids++;
    found += emb_set_find(f.set, id) != NULL;
  }
  assert_int_equal(n_ids, 442);
  assert_int_equal(found, 442);
  free(csv);
  /* Loading the CSV set on top adds no entity. */
  emb_load(f.set, CONS_CSV, &f.diags);
  assert_int_equal(emb_set_count(f.set), 443);
  /* And the classic XML of 2018 shares ids too. */
  assert_int_equal(emb_load(f.set, CLASSIC, &f.diags), 0);
  const emb_entity *e = emb_set_find(f.set, "ofac:9639");
  assert_non_null(e);
  assert_int_equal(e->lists.count, 1);
  assert_true(emb_set_count(f.set) < 443 + 639);
  fx_free(&f);
}

static void test_enhanced_bad(void **state) {
  (void)state;
  /* A truncated entity is dropped; the ones before it stay. */
  const char *doc =
      "<sanctionsData xmlns=\"x\"><publicationInfo><dataAsOf>2025-01-10T00:00:00</dataAsOf>"
      "</publicationInfo><entities>\n"
      "<entity id=\"1\"><generalInfo><entityType>Entity</entityType></generalInfo><names><name>"
      "<isPrimary>true</isPrimary><translations><translation><formattedFullName>ONE</"
      "formattedFullName>"
      "</translation></translations></name></names>"
      "<features><feature><type>Birthdate</type><value>ca 1970</value><valueDate><fromDateBegin>"
      "1969-01-01</fromDateBegin><toDateEnd>1971-12-31</toDateEnd><isApproximate>true</"
      "isApproximate>"
      "<isDateRange>true</isDateRange></valueDate></feature></features></entity>\n"
      "<entity id=\"2\"><generalInfo><entityType>Individual</entityType></generalInfo><names>"
      "<name><isPrimary>true</isPrimary><translations><translation><formattedFullName>TW";
  fx f;
  load_mem(&f, "ofac-advanced-xml", "t.xml", doc, strlen(doc));
  assert_int_equal(f.rc, EMB_ETRUNCATED);
  assert_int_equal(emb_set_count(f.set), 1);
  const emb_entity *e = emb_set_find(f.set, "ofac:1");
  assert_true(has_date(e, "~1969/1971"));
  assert_int_equal(f.diags.items[0].line, 3);
  fx_free(&f);

  /* Name parts outside a translation, after an entity that had some (found by fuzzing:
     the parts of the first entity must not leak into the second). */
  const char *parts =
      "<sanctionsData><entities>\n"
      "<entity id=\"1\"><names><name><isPrimary>true</isPrimary><translations><translation>"
      "<nameParts><namePart><type>Last Name</type><value>FIRST</value></namePart></nameParts>"
      "</translation></translations></name></names></entity>\n"
      "<entity id=\"2\"><names><name><isPrimary>true</isPrimary><translations><other>"
      "<nameParts><namePart><type>Last Name</type><value>SECOND</value></namePart></nameParts>"
      "</other><translation><formattedFullName>TWO</formattedFullName></translation>"
      "</translations></name></names></entity>\n"
      "</entities></sanctionsData>";
  load_mem(&f, "ofac-advanced-xml", "p.xml", parts, strlen(parts));
  assert_int_equal(f.rc, 0);
  assert_non_null(find_name(emb_set_find(f.set, "ofac:1"), "FIRST"));
  e = emb_set_find(f.set, "ofac:2");
  assert_int_equal(e->n_names, 1);
  assert_string_equal(e->names[0].full, "TWO");
  fx_free(&f);

  /* The advanced format is recognised and refused with a clear message. */
  const char *adv = "<Sanctions xmlns=\"https://x/ADVANCED_XML\"><DistinctParties/></Sanctions>";
  load_mem(&f, "ofac-advanced-xml", "a.xml", adv, strlen(adv));
  assert_int_equal(f.rc, EMB_EUNSUPPORTED);
  assert_non_null(strstr(f.diags.items[0].message, "enhanced"));
  fx_free(&f);

  /* XXE. */
  const char *xxe =
      "<!DOCTYPE sanctionsData [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<sanctionsData><entities><entity id=\"1\">&x;</entity></entities></sanctionsData>";
  load_mem(&f, "ofac-advanced-xml", "x.xml", xxe, strlen(xxe));
  assert_int_equal(f.rc, EMB_ESECURITY);
  assert_int_equal(emb_set_count(f.set), 0);
  fx_free(&f);
}

/*
 * An sdnEntry uid read twice makes one entity: an Organization that the second entry's
 * remarks show to be a company becomes a Company; the primary names come first.
 */
static void test_classic_repeated_uid(void **state) {
  (void)state;
  const char *doc =
      "<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">"
      "<sdnEntry><uid>5</uid><lastName>ACME TRADING</lastName><sdnType>Entity</sdnType>"
      "<programList><program>SDGT</program></programList><akaList><aka><uid>1</uid>"
      "<type>a.k.a.</type><category>strong</category><lastName>ACME CO</lastName></aka>"
      "</akaList></sdnEntry>\n"
      "<sdnEntry><uid>5</uid><lastName>ACME TRADING LLC</lastName><sdnType>Entity</sdnType>"
      "<programList><program>IRAN</program></programList><remarks>Organization Type: "
      "Manufacturing.</remarks><akaList><aka><uid>2</uid><type>a.k.a.</type>"
      "<category>weak</category><lastName>ACME</lastName></aka></akaList></sdnEntry>\n"
      "</sdnList>";
  fx f;
  load_mem(&f, "ofac-xml", "dup.xml", doc, strlen(doc));
  assert_int_equal(f.rc, 0);
  assert_int_equal(emb_set_count(f.set), 1);
  const emb_entity *e = must_find(&f, "ofac:5");
  assert_int_equal(e->schema, EMB_SCHEMA_COMPANY);
  assert_int_equal(e->n_names, 4);
  assert_string_equal(e->names[0].full, "ACME TRADING");
  assert_string_equal(e->names[1].full, "ACME CO");
  assert_string_equal(e->names[2].full, "ACME TRADING LLC"); /* primary, before its alias */
  assert_string_equal(e->names[3].full, "ACME");
  assert_int_equal(e->names[3].strength, EMB_WEAK);
  assert_true(has_str(&e->programs, "SDGT") && has_str(&e->programs, "IRAN"));
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sniff),
      cmocka_unit_test(test_classic_real),
      cmocka_unit_test(test_classic_sdn_detection),
      cmocka_unit_test(test_classic_bad),
      cmocka_unit_test(test_classic_repeated_uid),
      cmocka_unit_test(test_enhanced_real),
      cmocka_unit_test(test_enhanced_ids_match_csv),
      cmocka_unit_test(test_enhanced_bad),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
