/*
 * test_ftm.c - the FollowTheMoney loader (lists/load_ftm.c) on the real OpenSanctions
 * files in the shared data and on a small fixture of side records (tests/data/ftm).
 *
 * Expected counts come from the files themselves, counted with jq, e.g.
 *   jq -r 'select(.schema|IN("Person","Organization","Company","LegalEntity","Vessel",
 *          "Airplane")) | .schema' zala_entities.ftm.json | sort | uniq -c
 * and the side-record expectations (earliest listing date, programmes only a Sanction
 * names, links) from the Sanction, Ownership, Family and Directorship records of zala.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "lists/loader.h"

#include "testutil.h"

#define FTM EMB_TEST_DATA "/lists/ftm"
#define FIXTURES "tests/data/ftm"

/* ------------------------------------------------------------- helpers */

static const emb_diag *diag_on_line(const emb_diags *d, unsigned long line) {
  for (size_t i = 0; i < d->count; i++)
    if (d->items[i].line == line)
      return &d->items[i];
  return NULL;
}

/* --------------------------------------------------------- real counts */

typedef struct file_counts {
  const char *path;
  size_t records; /* JSON lines */
  size_t persons, organizations, companies;
  size_t warnings; /* exact number of warnings the file deserves */
} file_counts;

static void test_real_counts(void **state) {
  (void)state;
  static const file_counts files[] = {
      {FTM "/zala_entities.ftm.json", 91, 6, 0, 11, 0},
      {FTM "/t1_entities.ftm.json", 7, 4, 2, 0, 0},
      {FTM "/parteispenden_entities.ftm.json", 475, 22, 18, 56, 0},
      {FTM "/export-bundle-sample/targets.nested.json", 5, 5, 0, 0, 0},
      {FTM "/export-bundle-sample/targets.nested_2024-03-09_larger.json", 20, 20, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    const file_counts *f = &files[i];
    fx l;
    load_ok(&l, f->path);
    assert_int_equal(l.diags.n_warnings, f->warnings);
    assert_int_equal(count_schema(l.set, EMB_SCHEMA_PERSON), f->persons);
    assert_int_equal(count_schema(l.set, EMB_SCHEMA_ORGANIZATION), f->organizations);
    assert_int_equal(count_schema(l.set, EMB_SCHEMA_COMPANY), f->companies);
    assert_int_equal(emb_set_count(l.set), f->persons + f->organizations + f->companies);
    const emb_source *src = emb_set_source(l.set, 0);
    assert_string_equal(src->format, "ftm");
    assert_int_equal(src->n_records, f->records);
    assert_int_equal(src->n_entities, emb_set_count(l.set));
    assert_int_equal(strlen(src->sha256), 64);
    fx_free(&l);
  }
}

/*
 * The export bundle's entities.ftm.json is hand-edited: 190 records write some
 * properties as a bare string instead of a list (read, one warning per record) and a
 * few birth dates are words ("unknown"). Nothing is lost, so the load succeeds.
 */
static void test_bundle_entities(void **state) {
  (void)state;
  fx l;
  load_ok(&l, FTM "/export-bundle-sample/entities.ftm.json");
  assert_int_equal(emb_set_count(l.set), 607);
  assert_int_equal(count_schema(l.set, EMB_SCHEMA_PERSON), 607);
  assert_int_equal(emb_set_source(l.set, 0)->n_records, 1565);
  size_t scalar = 0, dates = 0;
  for (size_t i = 0; i < l.diags.count; i++) {
    if (strstr(l.diags.items[i].message, "instead of a list"))
      scalar++;
    else if (strstr(l.diags.items[i].message, "date not understood"))
      dates++;
  }
  assert_int_equal(scalar, 190);
  assert_true(dates > 0);
  assert_int_equal(l.diags.n_warnings, scalar + dates);
  /* Line 173 writes "birthPlace": "Riyadh, Saudi Arabia" as a bare string: still read. */
  const emb_entity *e = emb_set_find(l.set, "Q12197692");
  assert_non_null(e);
  assert_true(has_str(&e->birth_places, "Riyadh, Saudi Arabia"));
  assert_true(has_date(e, "1934-01-01"));
  fx_free(&l);
}

/* ------------------------------------------------------- record content */

static void test_zala_person(void **state) {
  (void)state;
  fx l;
  load_ok(&l, FTM "/zala_entities.ftm.json");
  const emb_entity *e = emb_set_find(l.set, "NK-2Tbri3s6GgNtAwsSXh4qpL");
  assert_non_null(e);
  assert_int_equal(e->schema, EMB_SCHEMA_PERSON);
  /* The caption is one of the name values, so it is the primary name. */
  assert_string_equal(e->names[0].full, "Maria Aleksandrovna Osetrova");
  assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
  /* firstName has five values, so no part is attached. */
  assert_null(e->names[0].given);
  const emb_name *n = find_name(e, "OSETROVA, Maria Aleksandrovna");
  assert_non_null(n);
  assert_int_equal(n->kind, EMB_NAME_ALIAS);
  assert_int_equal(n->strength, EMB_STRONG);
  n = find_name(e, "Захарова Марія Олександрівна");
  assert_non_null(n);
  assert_string_equal(n->script, "Cyrl");
  n = find_name(e, "Мария Александровна Захарова");
  assert_non_null(n);
  assert_int_equal(n->kind, EMB_NAME_FORMER);
  assert_string_equal(n->script, "Cyrl");
  /* 12 name + 2 alias + 2 previousName values, with duplicates merged. */
  assert_int_equal(e->n_names, 16);
  assert_int_equal(e->n_birth_dates, 1);
  assert_int_equal(e->birth_dates[0].year, 1988);
  assert_int_equal(e->birth_dates[0].month, 1);
  assert_int_equal(e->birth_dates[0].day, 7);
  assert_int_equal(e->birth_dates[0].precision, EMB_DATE_DAY);
  assert_true(has_str(&e->birth_places, "Izhevsk"));
  assert_true(has_country(e, "RU", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "RU", EMB_COUNTRY_CITIZENSHIP));
  assert_true(has_country(e, "RU", EMB_COUNTRY_ADDRESS));
  assert_non_null(find_id(e, "inn", "183116181362"));
  assert_non_null(find_id(e, "tax_id", "183116181362"));
  assert_non_null(find_id(e, "national_id", "183116181362"));
  const emb_identifier *uei = find_id(e, "other", "M83QKJMENEF9");
  assert_non_null(uei);
  assert_string_equal(uei->note, "uniqueEntityId");
  assert_string_equal(e->gender, "female");
  assert_true(has_str(&e->programs, "GB-RUS"));
  assert_string_equal(e->source, "gb_coh_disqualified");
  assert_int_equal(e->lists.count, 7);
  assert_true(has_str(&e->lists, "us_ofac_sdn"));
  assert_int_equal(e->n_addresses, 2);
  assert_string_equal(e->addresses[1].full, "272 Pushkinskaya St., Apt. 41, Izhevsk, 426008");
  /* Family record: person NK-2Tbri..., relative NK-aU5y..., linked by its caption. */
  assert_int_equal(e->linked_to.count, 1);
  assert_string_equal(e->linked_to.items[0], "Alexander Vyacheslavovich ZAKHAROV");
  fx_free(&l);
}

/* Aliases in several scripts on one company, each with its detected script. */
static void test_zala_multiscript(void **state) {
  (void)state;
  fx l;
  load_file(&l, FTM "/zala_entities.ftm.json");
  const emb_entity *e = emb_set_find(l.set, "NK-abdzbEBkqyT29GyREbiURZ");
  assert_non_null(e);
  assert_int_equal(e->schema, EMB_SCHEMA_COMPANY);
  const emb_name *n = find_name(e, "ザラ・アエロ");
  assert_non_null(n);
  assert_int_equal(n->kind, EMB_NAME_ALIAS);
  assert_string_equal(n->script, "Kana");
  n = find_name(e, "ZALA Aero LLC");
  assert_non_null(n);
  assert_string_equal(n->script, "Latn");
  size_t latn = 0, cyrl = 0, other = 0;
  for (size_t i = 0; i < e->n_names; i++) {
    if (strcmp(e->names[i].script, "Latn") == 0)
      latn++;
    else if (strcmp(e->names[i].script, "Cyrl") == 0)
      cyrl++;
    else
      other++;
  }
  assert_true(latn > 0 && cyrl > 0 && other > 0);
  fx_free(&l);
}

/* Sanction records feed their entity: programmes and the earliest listing date. */
static void test_zala_sanctions(void **state) {
  (void)state;
  fx l;
  load_file(&l, FTM "/zala_entities.ftm.json");
  const emb_entity *e = emb_set_find(l.set, "NK-aU5ybkbRFJucf8YMwsJvDw");
  assert_non_null(e);
  /* 13 Sanction records; the earliest listingDate (else startDate) is 2023-07-01. */
  char buf[32];
  emb_date_format(&e->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2023-07-01");
  /* Only one of the 13 has an endDate, so the designation has not ended. */
  assert_int_equal(e->end_date.precision, EMB_DATE_NONE);
  /* "Reciprocal" is named only by a Sanction (program without programId). */
  assert_true(has_str(&e->programs, "Reciprocal"));
  assert_true(has_str(&e->programs, "EU-UKR"));
  assert_int_equal(e->programs.count, 7);
  /* 13 relationship records name 13 distinct parties (12 entities and ru-inn-5920040846). */
  assert_int_equal(e->linked_to.count, 13);
  assert_true(has_str(&e->linked_to, "Акціонерне товариство \"Зала Аеро\""));
  assert_true(has_str(&e->linked_to, "LLC CST"));

  e = emb_set_find(l.set, "NK-abdzbEBkqyT29GyREbiURZ");
  emb_date_format(&e->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2021-10-30");
  assert_int_equal(e->end_date.precision, EMB_DATE_NONE);
  assert_int_equal(e->programs.count, 14);
  /* A Person with no Sanction record has no listing date. */
  e = emb_set_find(l.set, "NK-2Tbri3s6GgNtAwsSXh4qpL");
  assert_int_equal(e->listed_on.precision, EMB_DATE_NONE);
  /* Side records are not entities. */
  assert_null(emb_set_find(l.set, "au-dfat-56600015954691cece058c2a3b0e3b27740701e6"));
  fx_free(&l);
}

/* The nested form: relatives and occupancies are nested objects, not entities. */
static void test_nested_targets(void **state) {
  (void)state;
  fx l;
  load_ok(&l, FTM "/export-bundle-sample/targets.nested.json");
  assert_int_equal(emb_set_count(l.set), 5);
  const emb_entity *e = emb_set_find(l.set, "Q296771");
  assert_non_null(e);
  assert_string_equal(e->names[0].full, "Saad Hariri");
  assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
  assert_string_equal(e->names[0].given, "Sa'd al-Din");
  assert_string_equal(e->names[0].family, "Hariri");
  assert_int_equal(e->n_names, 3);
  assert_true(has_date(e, "1970-04-18"));
  assert_true(has_country(e, "LB", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "FR", EMB_COUNTRY_NATIONALITY));
  assert_true(has_country(e, "SA", EMB_COUNTRY_NATIONALITY));
  assert_true(has_str(&e->titles, "Prime Minister of Lebanon"));
  assert_string_equal(e->source, "wd_persons");
  /* Four Family objects nest four relatives; their names link, they are no entities. */
  assert_int_equal(e->linked_to.count, 4);
  assert_true(has_str(&e->linked_to, "Nidal Boustany"));
  assert_null(emb_set_find(l.set, "Q20424718"));
  fx_free(&l);

  load_ok(&l, FTM "/export-bundle-sample/targets.nested_2024-03-09_larger.json");
  assert_int_equal(emb_set_count(l.set), 20);
  /* Q262597 holds a position whose Occupancy nests another target, Q432772. */
  assert_non_null(emb_set_find(l.set, "Q432772"));
  fx_free(&l);
}

/* The fixture: side records before and after their parties, nested and flat. */
static void test_side_records(void **state) {
  (void)state;
  fx l;
  load_ok(&l, FIXTURES "/side-records.ftm.json");
  assert_int_equal(l.diags.n_warnings, 0);
  assert_int_equal(emb_set_count(l.set), 5); /* p1 c1 v1 p2 le1; p9 is nested only */
  assert_int_equal(emb_set_source(l.set, 0)->n_records, 14);

  const emb_entity *p1 = emb_set_find(l.set, "p1");
  assert_non_null(p1);
  assert_string_equal(p1->names[0].full, "Ivan Sergeevich Petrov");
  assert_string_equal(p1->names[0].given, "Ivan");
  assert_string_equal(p1->names[0].family, "Petrov");
  assert_string_equal(p1->names[0].patronymic, "Sergeevich");
  assert_int_equal(find_name(p1, "Petrov Ivan")->kind, EMB_NAME_ALIAS);
  assert_int_equal(find_name(p1, "Vanya")->strength, EMB_WEAK);
  assert_int_equal(find_name(p1, "Ivan Sidorov")->kind, EMB_NAME_FORMER);
  assert_non_null(find_name(p1, "Ivan the Second")); /* from the second p1 line */
  assert_true(has_date(p1, "1965"));
  assert_true(has_date(p1, "1970-02"));
  assert_true(has_date(p1, "1971-03-04"));
  assert_true(has_country(p1, "UA", EMB_COUNTRY_BIRTH));
  assert_true(has_country(p1, "RU", EMB_COUNTRY_ADDRESS));
  const emb_identifier *id = find_id(p1, "passport", "AB123");
  assert_non_null(id);
  assert_string_equal(id->country, "RU");
  assert_string_equal(id->note, "Passport");
  assert_non_null(find_id(p1, "passport", "P-001"));
  assert_non_null(find_id(p1, "tax_id", "7701"));
  assert_int_equal(p1->n_addresses, 1);
  assert_string_equal(p1->addresses[0].city, "Tula");
  assert_string_equal(p1->addresses[0].country, "RU");
  /* programId wins over the programme's text on the same Sanction. */
  assert_int_equal(p1->programs.count, 1);
  assert_string_equal(p1->programs.items[0], "UN-SCRT");
  char buf[32];
  emb_date_format(&p1->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2010-02-01");
  assert_int_equal(p1->end_date.precision, EMB_DATE_NONE);
  assert_true(has_str(&p1->linked_to, "Olga Petrova"));
  assert_true(has_str(&p1->titles, "Director"));
  assert_true(has_str(&p1->remarks, "A note."));
  assert_int_equal(p1->lists.count, 3);
  assert_string_equal(p1->source, "ds_one");
  assert_string_equal(p1->gender, "male");

  const emb_entity *c1 = emb_set_find(l.set, "c1");
  assert_non_null(c1);
  assert_true(has_str(&c1->programs, "EU-X"));
  assert_true(has_str(&c1->programs, "Old regime")); /* nested Sanction without "entity" */
  emb_date_format(&c1->listed_on, buf, sizeof(buf));
  assert_string_equal(buf, "2014-07-30");
  emb_date_format(&c1->end_date, buf, sizeof(buf));
  assert_string_equal(buf, "2020-01-01"); /* both sanctions ended: the later end */
  assert_int_equal(c1->n_addresses, 1);
  assert_string_equal(c1->addresses[0].full, "1 Main St, Minsk");
  assert_true(has_country(c1, "BY", EMB_COUNTRY_JURISDICTION));
  assert_non_null(find_id(c1, "ogrn", "1027700000000"));
  assert_true(has_str(&c1->linked_to, "Owner Person"));
  assert_null(emb_set_find(l.set, "p9"));

  const emb_entity *v1 = emb_set_find(l.set, "v1");
  assert_int_equal(v1->schema, EMB_SCHEMA_VESSEL);
  assert_non_null(find_id(v1, "imo", "9123456"));
  assert_non_null(find_id(v1, "mmsi", "636012345"));
  assert_true(has_country(v1, "PA", EMB_COUNTRY_OTHER));
  assert_string_equal(find_id(v1, "other", "D5AB1")->note, "callSign");
  assert_string_equal(v1->source, "ftm");

  const emb_entity *p2 = emb_set_find(l.set, "p2");
  assert_string_equal(p2->names[0].full, "Olga Petrova"); /* composed from the parts */
  assert_non_null(find_id(p2, "crypto", "bc1qxyz"));
  assert_true(has_str(&p2->linked_to, "Ivan Sergeevich Petrov"));

  const emb_entity *le1 = emb_set_find(l.set, "le1");
  assert_int_equal(le1->schema, EMB_SCHEMA_COMPANY); /* the more specific schema wins */
  assert_null(emb_set_find(l.set, "pay1"));
  fx_free(&l);
}

/* ------------------------------------------------------------ bad input */

static void test_bad_lines(void **state) {
  (void)state;
  static const char text[] =
      "\xEF\xBB\xBF{\"id\":\"ok1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"One\"]}}\n"
      "{\"id\":\"bad2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Two\"]}\n"   /* 2 */
      "{\"id\":\"bad3\",\"schema\":\"Person\",\"properties\":{\"name\":[\"\xFF\"]}}\n" /* 3 */
      "{\"schema\":\"Person\",\"properties\":{\"name\":[\"Four\"]}}\n"                 /* 4 */
      "{\"id\":\"bad5\",\"properties\":{\"name\":[\"Five\"]}}\n"                       /* 5 */
      "[1,2,3]\n"                                                                      /* 6 */
      "{\"id\":\"bad7\",\"schema\":\"Person\",\"properties\":[\"x\"]}\n"               /* 7 */
      "   \n"                                                                          /* 8 */
      "{\"id\":\"w9\",\"schema\":\"Persn\",\"properties\":{\"name\":[\"Nine\"]}}\n"    /* 9 */
      "{\"id\":\"ok10\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Ten\"],"
      "\"birthDate\":[\"soon\"],\"alias\":[7]}}\r\n" /* 10 */
      "{\"id\":\"bad11\",\"schema\":\"Person\",\"properties\":{\"name\":[\"\\u0000\"]}}\n"
      "{\"id\":\"ok12\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Twelve\"]}}"; /* 12 */
  fx l;
  load_mem(&l, "ftm", "mem.ftm.json", text, sizeof(text) - 1);
  assert_int_equal(l.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(l.set), 3);
  assert_non_null(emb_set_find(l.set, "ok1"));
  assert_non_null(emb_set_find(l.set, "ok10"));
  assert_non_null(emb_set_find(l.set, "ok12"));
  assert_int_equal(l.diags.n_errors, 7); /* lines 2, 3, 4, 5, 6, 7, 11 */
  const emb_diag *g = diag_on_line(&l.diags, 2);
  assert_non_null(g);
  assert_int_equal(g->severity, EMB_SEV_ERROR);
  assert_string_equal(g->file, "mem.ftm.json");
  assert_non_null(strstr(g->message, "not valid JSON"));
  assert_true(g->column > 0);
  g = diag_on_line(&l.diags, 3);
  assert_non_null(strstr(g->message, "unable to decode byte 0xff"));
  assert_int_equal(g->column, 55); /* the 0xFF is the 55th byte of the line */
  g = diag_on_line(&l.diags, 4);
  assert_string_equal(g->field, "id");
  g = diag_on_line(&l.diags, 5);
  assert_string_equal(g->field, "schema");
  g = diag_on_line(&l.diags, 6);
  assert_non_null(strstr(g->message, "not a JSON object"));
  g = diag_on_line(&l.diags, 7);
  assert_string_equal(g->field, "properties");
  g = diag_on_line(&l.diags, 9);
  assert_int_equal(g->severity, EMB_SEV_WARNING);
  assert_string_equal(g->field, "schema");
  g = diag_on_line(&l.diags, 11);
  assert_int_equal(g->severity, EMB_SEV_ERROR);
  /* Line 10 has a bad date and a number as alias: two warnings, the record is kept. */
  size_t w10 = 0;
  for (size_t i = 0; i < l.diags.count; i++)
    w10 += l.diags.items[i].line == 10 && l.diags.items[i].severity == EMB_SEV_WARNING;
  assert_int_equal(w10, 2);
  assert_int_equal(l.diags.n_warnings, 3);
  fx_free(&l);
}

/* A line over the 16 MiB cap is reported and skipped; the lines around it are read. */
static void test_long_line(void **state) {
  (void)state;
  const char *head = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
                     "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"notes\":[\"";
  const char *tail =
      "\"]}}\n{\"id\":\"c\",\"schema\":\"Person\",\"properties\":{\"name\":[\"C\"]}}\n";
  size_t fill = 17u * 1024u * 1024u;
  size_t n = strlen(head) + fill + strlen(tail);
  char *buf = malloc(n);
  assert_non_null(buf);
  memcpy(buf, head, strlen(head));
  memset(buf + strlen(head), 'x', fill);
  memcpy(buf + strlen(head) + fill, tail, strlen(tail));
  fx l;
  load_mem(&l, "ftm", "mem.ftm.json", buf, n);
  assert_int_equal(l.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(l.set), 2);
  assert_non_null(emb_set_find(l.set, "c"));
  assert_null(emb_set_find(l.set, "b"));
  assert_int_equal(l.diags.n_errors, 1);
  assert_int_equal(l.diags.items[0].code, EMB_ETOOBIG);
  assert_int_equal(l.diags.items[0].line, 2);
  fx_free(&l);
  free(buf);
}

/* Deep nesting and huge fan-outs are bounded, not followed. */
static void test_bounds(void **state) {
  (void)state;
  char *buf = malloc(1 << 20);
  assert_non_null(buf);
  size_t o = 0;
  o += (size_t)sprintf(buf + o,
                       "{\"id\":\"r\",\"schema\":\"Person\",\"properties\":{\"name\":[\"R\"]");
  for (int i = 0; i < 40; i++)
    o += (size_t)sprintf(buf + o,
                         ",\"familyPerson\":[{\"id\":\"f%d\",\"schema\":\"Family\","
                         "\"properties\":{\"relative\":[{\"id\":\"x%d\",\"schema\":"
                         "\"Person\",\"properties\":{\"name\":[\"X%d\"]",
                         i, i, i);
  for (int i = 0; i < 40; i++)
    o += (size_t)sprintf(buf + o, "}}]}}]");
  o += (size_t)sprintf(buf + o, "}}\n");
  /* An Ownership with 64 owners and 64 assets would make 8192 links: refused. */
  o += (size_t)sprintf(buf + o,
                       "{\"id\":\"o\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[");
  for (int i = 0; i < 64; i++)
    o += (size_t)sprintf(buf + o, "%s\"r%d\"", i ? "," : "", i);
  o += (size_t)sprintf(buf + o, "],\"asset\":[");
  for (int i = 0; i < 64; i++)
    o += (size_t)sprintf(buf + o, "%s\"a%d\"", i ? "," : "", i);
  o += (size_t)sprintf(buf + o, "]}}\n");
  fx l;
  load_mem(&l, "ftm", "mem.ftm.json", buf, o);
  assert_int_equal(l.rc, 0);
  assert_int_equal(emb_set_count(l.set), 1);
  assert_int_equal(l.diags.n_warnings, 2);
  assert_non_null(strstr(l.diags.items[0].message, "nested deeper"));
  assert_non_null(strstr(l.diags.items[1].message, "pairs"));
  fx_free(&l);
  free(buf);
}

/* A line of a million values is refused before jansson builds it (memory), not after. */
static void test_value_cap(void **state) {
  (void)state;
  const char *head = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"],"
                     "\"notes\":[\",,,\"],\"x\":[";
  size_t values = 1000000; /* 999,999 commas + 9 brackets and commas before: over the cap */
  size_t n = strlen(head) + 2 * values + 8;
  char *buf = malloc(n);
  assert_non_null(buf);
  size_t o = strlen(head);
  memcpy(buf, head, o);
  for (size_t i = 0; i < values; i++) {
    buf[o++] = '0';
    buf[o++] = i + 1 < values ? ',' : ']';
  }
  memcpy(buf + o, "}}\n", 3);
  o += 3;
  fx l;
  load_mem(&l, "ftm", "mem.ftm.json", buf, o);
  assert_int_equal(l.rc, EMB_EFORMAT);
  assert_int_equal(emb_set_count(l.set), 0);
  assert_int_equal(l.diags.n_errors, 1);
  assert_int_equal(l.diags.items[0].code, EMB_ETOOBIG);
  fx_free(&l);
  /* Ten values fewer is under the cap (the commas in the string do not count). */
  o = strlen(head);
  for (size_t i = 0; i < values - 10; i++) {
    buf[o++] = '0';
    buf[o++] = i + 11 < values ? ',' : ']';
  }
  memcpy(buf + o, "}}\n", 3);
  o += 3;
  load_mem(&l, "ftm", "mem.ftm.json", buf, o);
  assert_int_equal(l.rc, 0);
  assert_int_equal(emb_set_count(l.set), 1);
  fx_free(&l);
  free(buf);
}

/* ------------------------------------------------------------- sniffing */

static bool sniff(const char *s) {
  return emb__sniff_ftm((const unsigned char *)s, strlen(s), "x.json");
}

static void test_sniff(void **state) {
  (void)state;
  assert_true(sniff("{\"id\": \"x\", \"schema\": \"Person\"}\n"));
  assert_true(sniff("\n\n  {\"schema\":\"Person\",\"properties\":{\"name\":[\"a\"]}}"));
  assert_true(sniff("\xEF\xBB\xBF{\"properties\":{},\"id\":\"1\",\"schema\":\"Company\""));
  /* A truncated first line still shows its keys. */
  assert_true(sniff("{\"id\":\"x\",\"schema\":\"Person\",\"properties\":{\"notes\":[\"aaaa"));
  assert_false(sniff("{\"id\":\"x\",\"properties\":{\"notes\":[\"aaaa")); /* no schema yet */
  assert_false(sniff("{\"properties\":{\"schema\":\"Person\",\"id\":\"x\"}}"));
  assert_false(sniff("{\"schemata\":[\"Person\"],\"properties\":[\"Person:name\"]}"));
  assert_false(sniff("{\"schema\":\"Person\"}"));
  assert_false(sniff("{\"schema\":1,\"id\":\"x\"}"));
  assert_false(sniff("{\n  \"id\": \"x\", \"schema\": \"Person\"}"));
  assert_false(sniff("[{\"id\":\"x\",\"schema\":\"Person\"}]"));
  assert_false(sniff(""));
  assert_false(sniff("id,schema\n"));

  static const char *const meta[] = {"index.json",     "statistics.json",    "senzing.json",
                                     "resources.json", "targets.simple.csv", "names.txt"};
  for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
    char path[512];
    snprintf(path, sizeof(path), FTM "/export-bundle-sample/%s", meta[i]);
    const char *name = "unset";
    emb_diags d;
    emb_diags_init(&d);
    int rc = emb_detect_format(path, &name, &d);
    assert_true(rc == EMB_EUNSUPPORTED || (name && strcmp(name, "ftm") != 0));
    emb_diags_fini(&d);
  }
  static const char *const ftm[] = {
      "zala_entities.ftm.json", "t1_entities.ftm.json", "parteispenden_entities.ftm.json",
      "export-bundle-sample/entities.ftm.json", "export-bundle-sample/targets.nested.json"};
  for (size_t i = 0; i < sizeof(ftm) / sizeof(ftm[0]); i++) {
    char path[512];
    snprintf(path, sizeof(path), FTM "/%s", ftm[i]);
    const char *name = NULL;
    assert_int_equal(emb_detect_format(path, &name, NULL), 0);
    assert_string_equal(name, "ftm");
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_real_counts),    cmocka_unit_test(test_bundle_entities),
      cmocka_unit_test(test_zala_person),    cmocka_unit_test(test_zala_multiscript),
      cmocka_unit_test(test_zala_sanctions), cmocka_unit_test(test_nested_targets),
      cmocka_unit_test(test_side_records),   cmocka_unit_test(test_bad_lines),
      cmocka_unit_test(test_long_line),      cmocka_unit_test(test_bounds),
      cmocka_unit_test(test_value_cap),      cmocka_unit_test(test_sniff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
