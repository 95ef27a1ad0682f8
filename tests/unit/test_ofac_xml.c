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

#define DATA "/work/shared/data/lists"
#define CLASSIC DATA "/ofac/xml/consolidated-2018-04-06.xml"
#define ENHANCED DATA "/ofac/xml/cons-enhanced-2025-01-10.zip"
#define CONS_CSV DATA "/ofac/cons-2025-12"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  p[n] = '\0';
  *len = (size_t)n;
  return p;
}

static size_t count_schema(const emb_entity_set *set, emb_schema s) {
  size_t n = 0;
  for (size_t i = 0; i < emb_set_count(set); i++)
    n += emb_set_get(set, i)->schema == s;
  return n;
}

static const emb_name *find_name(const emb_entity *e, const char *full) {
  for (size_t i = 0; i < e->n_names; i++)
    if (strcmp(e->names[i].full, full) == 0)
      return &e->names[i];
  return NULL;
}

static bool has_str(const emb_strs *l, const char *s) {
  for (size_t i = 0; i < l->count; i++)
    if (strcmp(l->items[i], s) == 0)
      return true;
  return false;
}

static bool has_str_prefix(const emb_strs *l, const char *s) {
  for (size_t i = 0; i < l->count; i++)
    if (strncmp(l->items[i], s, strlen(s)) == 0)
      return true;
  return false;
}

static const emb_identifier *find_id(const emb_entity *e, const char *value) {
  for (size_t i = 0; i < e->n_ids; i++)
    if (strcmp(e->ids[i].value, value) == 0)
      return &e->ids[i];
  return NULL;
}

static bool has_country(const emb_entity *e, const char *code, emb_country_role role) {
  for (size_t i = 0; i < e->n_countries; i++)
    if (e->countries[i].code && strcmp(e->countries[i].code, code) == 0 &&
        e->countries[i].role == role)
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

static size_t count_in(const char *h, size_t n, const char *needle) {
  size_t k = strlen(needle), c = 0;
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(h + i, needle, k) == 0)
      c++;
  return c;
}

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
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb_load(set, CLASSIC, &d), 0);
  assert_int_equal(d.n_errors, 0);
  assert_int_equal(d.n_warnings, 0);
  assert_int_equal(emb_set_count(set), 639);
  assert_int_equal(count_schema(set, EMB_SCHEMA_PERSON), 94);
  assert_int_equal(count_schema(set, EMB_SCHEMA_VESSEL), 74);
  assert_int_equal(count_schema(set, EMB_SCHEMA_ORGANIZATION) + count_schema(set, EMB_SCHEMA_COMPANY),
                   471);
  const emb_source *src = emb_set_source(set, 0);
  assert_string_equal(src->published, "2018-04-06");
  assert_int_equal(src->n_records, 639);
  /* The consolidated (non-SDN) list: every entry is marked so. */
  size_t n_former = 0, n_weak = 0;
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
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

  const emb_entity *e = emb_set_find(set, "ofac:4632");
  assert_non_null(e);
  assert_string_equal(e->names[0].full, "BANK MARKAZI JOMHOURI ISLAMI IRAN");
  assert_int_equal(find_name(e, "CENTRAL BANK OF IRAN")->kind, EMB_NAME_ALIAS);
  assert_int_equal(e->n_addresses, 2);
  assert_true(has_country(e, "IR", EMB_COUNTRY_ADDRESS));
  assert_true(has_str(&e->programs, "IRAN"));
  assert_true(has_str_prefix(&e->remarks, "Additional Sanctions Information - Not on the SDN List"));
  assert_int_equal(e->n_ids, 0); /* both idList items are statements, not identifiers */

  /* A person: "LAST, First" with parts, year of birth, place of birth. */
  e = emb_set_find(set, "ofac:9639");
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
  assert_true(has_date(emb_set_find(set, "ofac:15719"), "1963-10-14"));
  assert_true(has_date(emb_set_find(set, "ofac:15960"), "1953/1954"));

  /* A vessel: IMO, MMSI, call sign, flag, former names, link from the remarks. */
  e = emb_set_find(set, "ofac:15036");
  assert_int_equal(e->schema, EMB_SCHEMA_VESSEL);
  assert_string_equal(find_id(e, "9187629")->type, "imo");
  assert_string_equal(find_id(e, "572469210")->type, "mmsi");
  assert_string_equal(find_id(e, "T2EU4")->note, "Call Sign");
  assert_true(has_country(e, "TZ", EMB_COUNTRY_JURISDICTION));
  assert_int_equal(find_name(e, "ABADAN")->kind, EMB_NAME_FORMER);
  assert_true(has_str(&e->linked_to, "NATIONAL IRANIAN TANKER COMPANY"));
  assert_true(has_str(&e->remarks, "Vessel type: Crude/Oil Products Tanker"));

  /* A Russian tax number is an INN; a registration with its country. */
  e = emb_set_find(set, "ofac:17013");
  const emb_identifier *id = find_id(e, "7702070139");
  assert_non_null(id);
  assert_string_equal(id->type, "inn");
  assert_string_equal(id->country, "RU");
  assert_true(has_str_prefix(&e->remarks, "Executive Order 13662 Directive Determination -"));
  emb_diags_fini(&d);
  emb_set_free(set);
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
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(set, "ofac-xml", doc, strlen(doc), "sdn.xml", &d), 0);
  assert_int_equal(emb_set_count(set), 2);
  assert_int_equal(d.n_warnings, 1); /* Record_Count says 3 */
  assert_non_null(strstr(d.items[0].message, "3 entries"));
  const emb_entity *e = emb_set_find(set, "ofac:173");
  assert_string_equal(e->lists.items[0], "SDN");
  assert_string_equal(e->gender, "male");
  assert_string_equal(find_id(e, "1AbC")->type, "crypto");
  const emb_name *n = find_name(e, "ABU ALI");
  assert_int_equal(n->strength, EMB_WEAK);
  assert_null(n->family);
  assert_true(has_date(e, "~1965"));
  assert_string_equal(emb_set_source(set, 0)->published, "2020-12-31");
  emb_diags_fini(&d);
  emb_set_free(set);
}

static void test_classic_bad(void **state) {
  (void)state;
  size_t n;
  char *doc = slurp(CLASSIC, &n);
  /* Cut inside the 101st entry. */
  size_t cut = 0;
  for (int i = 0; i < 101; i++)
    cut = (size_t)(strstr(doc + cut + 1, "<sdnEntry>") - doc);
  cut += 40;
  assert_int_equal(count_in(doc, cut, "</sdnEntry>"), 100);
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(set, "ofac-xml", doc, cut, "cut.xml", &d), EMB_ETRUNCATED);
  assert_int_equal(emb_set_count(set), 100);
  assert_int_equal(d.items[0].code, EMB_ETRUNCATED);
  assert_true(d.items[0].line > 1000);
  emb_diags_fini(&d);
  emb_set_free(set);
  free(doc);

  /* Billion laughs in an sdnList. */
  const char *bomb = "<!DOCTYPE sdnList [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                     "<sdnList><sdnEntry><uid>1</uid><lastName>&b;</lastName></sdnEntry></sdnList>";
  set = emb_set_new();
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(set, "ofac-xml", bomb, strlen(bomb), "b.xml", &d), EMB_ESECURITY);
  assert_int_equal(emb_set_count(set), 0);
  emb_diags_fini(&d);
  emb_set_free(set);

  /* A bad uid loses that entry only. */
  const char *bad = "<sdnList>\n<sdnEntry><uid>12a</uid><lastName>A</lastName></sdnEntry>\n"
                    "<sdnEntry><uid>7</uid><lastName>B</lastName><sdnType>Entity</sdnType>"
                    "</sdnEntry>\n</sdnList>";
  set = emb_set_new();
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(set, "ofac-xml", bad, strlen(bad), "u.xml", &d), EMB_EFORMAT);
  assert_int_equal(emb_set_count(set), 1);
  assert_non_null(emb_set_find(set, "ofac:7"));
  assert_int_equal(d.items[0].line, 2);
  emb_diags_fini(&d);
  emb_set_free(set);
}

/* ----------------------------------------------------------- enhanced */

static void test_enhanced_real(void **state) {
  (void)state;
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb_load(set, ENHANCED, &d), 0);
  assert_int_equal(d.n_errors, 0);
  assert_int_equal(emb_set_count(set), 443);
  assert_int_equal(count_schema(set, EMB_SCHEMA_PERSON), 80);
  assert_int_equal(count_schema(set, EMB_SCHEMA_ORGANIZATION) + count_schema(set, EMB_SCHEMA_COMPANY),
                   363);
  const emb_source *src = emb_set_source(set, 0);
  assert_string_equal(src->format, "ofac-advanced-xml");
  assert_string_equal(src->published, "2025-01-10");
  assert_int_equal(src->n_records, 443);
  size_t n_sdn = 0;
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    n_sdn += has_str(&e->lists, "SDN");
    assert_true(has_str(&e->lists, "Non-SDN"));
    assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
  }
  assert_int_equal(n_sdn, 77);

  /* On both lists; weak aliases; a link; gender and nationality features. */
  const emb_entity *e = emb_set_find(set, "ofac:9647");
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
  e = emb_set_find(set, "ofac:17015");
  n = find_name(e, "\xD0\x92\xD0\xAD\xD0\x91.\xD0\xA0\xD0\xA4");
  assert_non_null(n);
  assert_string_equal(n->script, "Cyrl");
  assert_int_equal(find_name(e, "VNESHECONOMBANK")->kind, EMB_NAME_FORMER);
  assert_string_equal(find_id(e, "BFEARUMM")->type, "swift_bic");
  assert_string_equal(find_id(e, "1077711000102")->type, "ogrn");
  assert_string_equal(find_id(e, "7750004150")->type, "inn");
  assert_true(has_str(&e->remarks,
                      "Executive Order 13662 Directive Determination - Subject to Directive 1"));
  assert_true(e->n_addresses >= 4);
  assert_true(has_country(e, "CN", EMB_COUNTRY_ADDRESS));
  emb_diags_fini(&d);
  emb_set_free(set);
}

/* The enhanced XML's entity ids are the legacy CSV's ent_num: the two merge. */
static void test_enhanced_ids_match_csv(void **state) {
  (void)state;
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb_load(set, ENHANCED, &d), 0);
  size_t n;
  char *csv = slurp(CONS_CSV "/cons_prim.csv", &n);
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
    found += emb_set_find(set, id) != NULL;
  }
  assert_int_equal(n_ids, 442);
  assert_int_equal(found, 442);
  free(csv);
  /* Loading the CSV set on top adds no entity. */
  emb_load(set, CONS_CSV, &d);
  assert_int_equal(emb_set_count(set), 443);
  /* And the classic XML of 2018 shares ids too. */
  assert_int_equal(emb_load(set, CLASSIC, &d), 0);
  const emb_entity *e = emb_set_find(set, "ofac:9639");
  assert_non_null(e);
  assert_int_equal(e->lists.count, 1);
  assert_true(emb_set_count(set) < 443 + 639);
  emb_diags_fini(&d);
  emb_set_free(set);
}

static void test_enhanced_bad(void **state) {
  (void)state;
  /* A truncated entity is dropped; the ones before it stay. */
  const char *doc =
      "<sanctionsData xmlns=\"x\"><publicationInfo><dataAsOf>2025-01-10T00:00:00</dataAsOf>"
      "</publicationInfo><entities>\n"
      "<entity id=\"1\"><generalInfo><entityType>Entity</entityType></generalInfo><names><name>"
      "<isPrimary>true</isPrimary><translations><translation><formattedFullName>ONE</formattedFullName>"
      "</translation></translations></name></names>"
      "<features><feature><type>Birthdate</type><value>ca 1970</value><valueDate><fromDateBegin>"
      "1969-01-01</fromDateBegin><toDateEnd>1971-12-31</toDateEnd><isApproximate>true</isApproximate>"
      "<isDateRange>true</isDateRange></valueDate></feature></features></entity>\n"
      "<entity id=\"2\"><generalInfo><entityType>Individual</entityType></generalInfo><names>"
      "<name><isPrimary>true</isPrimary><translations><translation><formattedFullName>TW";
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(set, "ofac-advanced-xml", doc, strlen(doc), "t.xml", &d),
                   EMB_ETRUNCATED);
  assert_int_equal(emb_set_count(set), 1);
  const emb_entity *e = emb_set_find(set, "ofac:1");
  assert_true(has_date(e, "~1969/1971"));
  assert_int_equal(d.items[0].line, 3);
  emb_diags_fini(&d);
  emb_set_free(set);

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
  set = emb_set_new();
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(set, "ofac-advanced-xml", parts, strlen(parts), "p.xml", &d), 0);
  assert_non_null(find_name(emb_set_find(set, "ofac:1"), "FIRST"));
  e = emb_set_find(set, "ofac:2");
  assert_int_equal(e->n_names, 1);
  assert_string_equal(e->names[0].full, "TWO");
  emb_diags_fini(&d);
  emb_set_free(set);

  /* The advanced format is recognised and refused with a clear message. */
  const char *adv = "<Sanctions xmlns=\"https://x/ADVANCED_XML\"><DistinctParties/></Sanctions>";
  set = emb_set_new();
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(set, "ofac-advanced-xml", adv, strlen(adv), "a.xml", &d),
                   EMB_EUNSUPPORTED);
  assert_non_null(strstr(d.items[0].message, "enhanced"));
  emb_diags_fini(&d);
  emb_set_free(set);

  /* XXE. */
  const char *xxe = "<!DOCTYPE sanctionsData [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    "<sanctionsData><entities><entity id=\"1\">&x;</entity></entities></sanctionsData>";
  set = emb_set_new();
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(set, "ofac-advanced-xml", xxe, strlen(xxe), "x.xml", &d),
                   EMB_ESECURITY);
  assert_int_equal(emb_set_count(set), 0);
  emb_diags_fini(&d);
  emb_set_free(set);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sniff),
      cmocka_unit_test(test_classic_real),
      cmocka_unit_test(test_classic_sdn_detection),
      cmocka_unit_test(test_classic_bad),
      cmocka_unit_test(test_enhanced_real),
      cmocka_unit_test(test_enhanced_ids_match_csv),
      cmocka_unit_test(test_enhanced_bad),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
