/*
 * test_route.c - unit tests for route rules (src/screen/route.c): the bundled rules file
 * (every rule loads, counted against the file), every kind of route hit with its rule
 * id, field, code and risk, the cases that must not alert (ordinary goods to a hub,
 * controlled goods between countries no rule names, goods not controlled to Russia by
 * default, towns under government control), the uncontrolled= switch, the CHPL tier
 * raise, hit explanations, and the diagnostics for a broken rules file (file:line:column
 * and what is wrong).
 *
 * Places are resolved from text with the bundled gazetteer (data/places), so these tests
 * also show the whole path from a record's country field to a route hit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo.h"
#include "screen/place.h"
#include "screen/route.h"
#include "screen_testutil.h"

#ifndef EMB_DATA_DIR
#define EMB_DATA_DIR "data"
#endif
#define RULES EMB_DATA_DIR "/rules/default.rules"
#define GAZ EMB_DATA_DIR "/places/cities.tsv"

static emb_route_rules *R;
static emb_places *G;

static int setup(void **state) {
  (void)state;
  emb_diags d;
  emb_diags_init(&d);
  int rc = emb__route_rules_load(RULES, &R, &d);
  if (!rc)
    rc = emb__places_load(GAZ, &G, &d);
  return st_setup_done(rc, &d);
}

static int teardown(void **state) {
  (void)state;
  emb__route_rules_free(R);
  emb__places_free(G);
  return 0;
}

static const char *write_tmp(const char *text) {
  static char path[256];
  assert_int_equal(st_write_tmp(path, sizeof path, "route", ".rules", text), 0);
  return path;
}

/* A record: the texts of its country fields (NULL: empty), transit texts, goods. */
typedef struct rec {
  const char *f[EMB_ROUTE_TRANSIT];
  const char *transit[4];
  bool controlled;
  const char *tier;
} rec;

typedef struct run {
  emb_place places[EMB_ROUTE_TRANSIT];
  emb_place transit[4];
  emb_route_input in;
  emb_route_hit hits[EMB_ROUTE_MAX_HITS];
  size_t n;
} run;

static void check(const emb_route_rules *r, const rec *x, run *u) {
  memset(u, 0, sizeof *u);
  for (int i = 0; i < EMB_ROUTE_TRANSIT; i++) {
    if (!x->f[i])
      continue;
    if (emb__place_resolve_in(G, x->f[i], strlen(x->f[i]), &u->places[i]) != 0)
      fail_msg("'%s' did not resolve", x->f[i]);
    u->in.place[i] = &u->places[i];
  }
  size_t nt = 0;
  for (; nt < 4 && x->transit[nt]; nt++)
    assert_int_equal(
        emb__place_resolve_in(G, x->transit[nt], strlen(x->transit[nt]), &u->transit[nt]), 0);
  u->in.transit = u->transit;
  u->in.n_transit = nt;
  u->in.controlled = x->controlled;
  u->in.tier = x->tier;
  assert_int_equal(emb__route_check(r, &u->in, u->hits, EMB_ROUTE_MAX_HITS, &u->n), 0);
}

static void expect(const run *u, size_t i, const char *rule, emb_route_kind kind,
                   emb_route_field field, const char *code, emb_risk risk) {
  if (i >= u->n)
    fail_msg("hit %zu expected (%s), only %zu", i, rule, u->n);
  const emb_route_hit *h = &u->hits[i];
  if (strcmp(h->rule->id, rule) != 0 || h->kind != kind || h->field != field ||
      strcmp(h->code, code) != 0 || h->risk != risk)
    fail_msg("hit %zu: %s %s %s %s %s; expected %s %s %s %s %s", i, h->rule->id,
             emb__route_kind_name(h->kind), emb__route_field_name(h->field), h->code,
             emb__risk_name(h->risk), rule, emb__route_kind_name(kind),
             emb__route_field_name(field), code, emb__risk_name(risk));
}

/* Field indexes, for readable records. */
#define ORIG EMB_ROUTE_ORIGIN
#define DISP EMB_ROUTE_DISPATCH
#define EXP EMB_ROUTE_EXPORTER
#define DEST EMB_ROUTE_DESTINATION
#define IMP EMB_ROUTE_IMPORTER
#define CONS EMB_ROUTE_CONSIGNEE
#define EU EMB_ROUTE_END_USER

static void test_default_file(void **state) {
  (void)state;
  FILE *f = fopen(RULES, "r");
  assert_non_null(f);
  char line[4096];
  size_t want = 0;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "embargo ", 8) == 0 || strncmp(line, "hub ", 4) == 0)
      want++;
  fclose(f);
  assert_int_equal(emb__route_rules_count(R), want);
  assert_int_equal(want, 31);
  const emb_route_rule *u = emb__route_rule_for(R, "RU");
  assert_non_null(u);
  assert_string_equal(u->id, "EMB-RU");
  assert_int_equal(u->level, EMB_LEVEL_SECTORAL);
  assert_int_equal(u->uncontrolled, EMB_RISK_NONE);
  assert_non_null(strstr(u->file, "default.rules"));
  u = emb__route_rule_for(R, "UA-43");
  assert_non_null(u);
  assert_int_equal(u->level, EMB_LEVEL_COMPREHENSIVE);
  u = emb__route_rule_for(R, "HK");
  assert_non_null(u);
  assert_int_equal(u->level, EMB_LEVEL_HUB);
  assert_null(emb__route_rule_for(R, "DE"));
  assert_null(emb__route_rule_for(R, "UA"));
  assert_true(emb__route_tier_raises(R, "1"));
  assert_true(emb__route_tier_raises(R, "2"));
  assert_false(emb__route_tier_raises(R, "3a"));
  for (int k = 0; k < EMB_RF_COUNT; k++)
    assert_true(emb__route_redflag(R, (emb_redflag_kind)k)->enabled);
  assert_int_equal(emb__route_redflag(R, EMB_RF_NEW_CONSIGNEE)->after, 20220224);
}

static void test_embargoed_destination(void **state) {
  (void)state;
  run u;
  /* comprehensive: any goods */
  rec a = {.f = {[EXP] = "Germany", [DEST] = "Pyongyang"}};
  check(R, &a, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "EMB-KP", EMB_ROUTE_EMBARGOED_DESTINATION, DEST, "KP", EMB_RISK_HIGH);
  /* sectoral: controlled goods are high */
  rec b = {.f = {[DEST] = "Москва"}, .controlled = true, .tier = "3a"};
  check(R, &b, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "EMB-RU", EMB_ROUTE_EMBARGOED_DESTINATION, DEST, "RU", EMB_RISK_HIGH);
  /* sectoral: goods not controlled are not an alert by default */
  rec c = {.f = {[DEST] = "Russian Federation", [CONS] = "Минск"}};
  check(R, &c, &u);
  assert_int_equal(u.n, 0);
}

static void test_embargoed_end_user(void **state) {
  (void)state;
  run u;
  rec a = {.f = {[DEST] = "Kazakhstan",
                 [IMP] = "Almaty, Kazakhstan",
                 [CONS] = "Tehran",
                 [EU] = "Moscow, Russia"},
           .controlled = true,
           .tier = "3b"};
  check(R, &a, &u);
  assert_int_equal(u.n, 4);
  expect(&u, 0, "HUB-KZ", EMB_ROUTE_HUB_DESTINATION, DEST, "KZ", EMB_RISK_MEDIUM);
  expect(&u, 1, "HUB-KZ", EMB_ROUTE_HUB_DESTINATION, IMP, "KZ", EMB_RISK_MEDIUM);
  expect(&u, 2, "EMB-IR", EMB_ROUTE_EMBARGOED_END_USER, CONS, "IR", EMB_RISK_HIGH);
  expect(&u, 3, "EMB-RU", EMB_ROUTE_EMBARGOED_END_USER, EU, "RU", EMB_RISK_HIGH);
}

static void test_occupied_region(void **state) {
  (void)state;
  run u;
  rec a = {.f = {[DEST] = "Russia", [CONS] = "ul. Artema 12, Donetsk, 83000"}};
  check(R, &a, &u);
  assert_int_equal(u.n, 1); /* RU itself: goods not controlled */
  expect(&u, 0, "OCC-UA-14", EMB_ROUTE_OCCUPIED_REGION, CONS, "UA-14", EMB_RISK_HIGH);
  /* written with Russia as the country: still the occupied region */
  rec b = {.f = {[DEST] = "Simferopol, Russian Federation"}};
  check(R, &b, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "OCC-UA-43", EMB_ROUTE_OCCUPIED_REGION, DEST, "UA-43", EMB_RISK_HIGH);
  /* the region as a whole: partly=; Luhansk's partly is high */
  rec c = {.f = {[DEST] = "Donetsk Oblast", [EU] = "Луганская область"}};
  check(R, &c, &u);
  assert_int_equal(u.n, 2);
  expect(&u, 0, "OCC-UA-14", EMB_ROUTE_OCCUPIED_REGION, DEST, "UA-14", EMB_RISK_MEDIUM);
  expect(&u, 1, "OCC-UA-09", EMB_ROUTE_OCCUPIED_REGION, EU, "UA-09", EMB_RISK_HIGH);
  /* front line: front=medium; government control: no hit */
  rec d = {.f = {[DEST] = "Pokrovsk, Ukraine", [CONS] = "Kramatorsk", [EU] = "Zaporizhzhia"}};
  check(R, &d, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "OCC-UA-14", EMB_ROUTE_OCCUPIED_REGION, DEST, "UA-14", EMB_RISK_MEDIUM);
  /* origin in Crimea: origin=high (the import bans) */
  rec e = {.f = {[ORIG] = "Kerch", [DEST] = "Turkey"}};
  check(R, &e, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "OCC-UA-43", EMB_ROUTE_OCCUPIED_REGION, ORIG, "UA-43", EMB_RISK_HIGH);
}

static void test_hub(void **state) {
  (void)state;
  run u;
  /* ordinary goods to a hub: not an alert */
  rec a = {.f = {[EXP] = "Germany", [DEST] = "Dubai", [CONS] = "Dubai, UAE"}};
  check(R, &a, &u);
  assert_int_equal(u.n, 0);
  /* controlled goods: the hub's risk, raised one level for tiers 1 and 2 */
  rec b = {
      .f = {[DEST] = "Office 1204, Business Bay, Dubai, UAE"}, .controlled = true, .tier = "4a"};
  check(R, &b, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "HUB-AE", EMB_ROUTE_HUB_DESTINATION, DEST, "AE", EMB_RISK_MEDIUM);
  rec c = {.f = {[DEST] = "深圳"}, .controlled = true, .tier = "1"};
  check(R, &c, &u);
  expect(&u, 0, "HUB-CN", EMB_ROUTE_HUB_DESTINATION, DEST, "CN", EMB_RISK_HIGH);
  rec d = {.f = {[DEST] = "Singapore"}, .controlled = true, .tier = "2"};
  check(R, &d, &u);
  expect(&u, 0, "HUB-SG", EMB_ROUTE_HUB_DESTINATION, DEST, "SG", EMB_RISK_MEDIUM);
  rec e = {.f = {[DEST] = "Singapore"}, .controlled = true};
  check(R, &e, &u);
  expect(&u, 0, "HUB-SG", EMB_ROUTE_HUB_DESTINATION, DEST, "SG", EMB_RISK_LOW);
  /* a hub as origin or exporter is no hit */
  rec f = {.f = {[ORIG] = "China", [EXP] = "Hong Kong", [DEST] = "Germany"}, .controlled = true};
  check(R, &f, &u);
  assert_int_equal(u.n, 0);
}

static void test_not_alerts(void **state) {
  (void)state;
  run u;
  /* controlled goods between countries with no embargo and no diversion risk */
  rec a = {.f = {[ORIG] = "United States",
                 [EXP] = "USA",
                 [DEST] = "Germany",
                 [CONS] = "Brest, France",
                 [EU] = "Japan"},
           .transit = {"Netherlands", "Belgium"},
           .controlled = true,
           .tier = "1"};
  check(R, &a, &u);
  assert_int_equal(u.n, 0);
  /* Moscow, Idaho is in the United States */
  rec b = {.f = {[DEST] = "Moscow, Idaho, USA"}, .controlled = true, .tier = "1"};
  check(R, &b, &u);
  assert_int_equal(u.n, 0);
  /* Russian origin of ordinary goods is not a route rule by default (origin=off) */
  rec c = {.f = {[ORIG] = "RU", [DISP] = "BY", [DEST] = "Germany"}};
  check(R, &c, &u);
  assert_int_equal(u.n, 0);
  /* nothing at all */
  emb_route_input in;
  memset(&in, 0, sizeof in);
  emb_route_hit h[2];
  size_t n = 9;
  assert_int_equal(emb__route_check(R, &in, h, 2, &n), 0);
  assert_int_equal(n, 0);
}

static void test_origin_and_transit(void **state) {
  (void)state;
  run u;
  rec a = {.f = {[ORIG] = "Iran", [EXP] = "Bandar Abbas", [DEST] = "Germany"},
           .transit = {"Russia", "Tehran"}};
  check(R, &a, &u);
  assert_int_equal(u.n, 3);
  expect(&u, 0, "EMB-IR", EMB_ROUTE_EMBARGOED_ORIGIN, ORIG, "IR", EMB_RISK_HIGH);
  expect(&u, 1, "EMB-IR", EMB_ROUTE_EMBARGOED_ORIGIN, EXP, "IR", EMB_RISK_HIGH);
  expect(&u, 2, "EMB-IR", EMB_ROUTE_TRANSIT_EMBARGOED, EMB_ROUTE_TRANSIT, "IR", EMB_RISK_HIGH);
  assert_int_equal(u.hits[2].transit_index, 1);
  /* controlled goods through Russia: transit=high */
  rec b = {.f = {[DEST] = "Mongolia"}, .transit = {"Russia"}, .controlled = true};
  check(R, &b, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "EMB-RU", EMB_ROUTE_TRANSIT_EMBARGOED, EMB_ROUTE_TRANSIT, "RU", EMB_RISK_HIGH);
  /* Cuba: origin=medium */
  rec c = {.f = {[ORIG] = "Havana, Cuba"}};
  check(R, &c, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "EMB-CU", EMB_ROUTE_EMBARGOED_ORIGIN, ORIG, "CU", EMB_RISK_MEDIUM);
}

static void test_switches(void **state) {
  (void)state;
  const char *p = write_tmp("embargo RU sectoral id=RU-ALL risk=high uncontrolled=low\n"
                            "hub KZ risk=low\n"
                            "option hub_tier_raise=3a\n");
  emb_diags d;
  emb_diags_init(&d);
  emb_route_rules *r = NULL;
  assert_int_equal(emb__route_rules_load(p, &r, &d), 0);
  assert_int_equal(d.count, 0);
  run u;
  rec a = {.f = {[DEST] = "Russia"}};
  check(r, &a, &u);
  assert_int_equal(u.n, 1);
  expect(&u, 0, "RU-ALL", EMB_ROUTE_EMBARGOED_DESTINATION, DEST, "RU", EMB_RISK_LOW);
  rec b = {.f = {[DEST] = "Kazakhstan"}, .controlled = true, .tier = "3a"};
  check(r, &b, &u);
  expect(&u, 0, "HUB-KZ", EMB_ROUTE_HUB_DESTINATION, DEST, "KZ", EMB_RISK_MEDIUM);
  /* no redflag lines: every flag is off */
  for (int k = 0; k < EMB_RF_COUNT; k++)
    assert_false(emb__route_redflag(r, (emb_redflag_kind)k)->enabled);
  /* too many hits for the room given */
  rec c = {.f = {[DEST] = "Russia", [CONS] = "Russia", [EU] = "Russia"}};
  check(r, &c, &u);
  assert_int_equal(u.n, 3);
  emb_route_hit h[2];
  size_t n = 0;
  assert_int_equal(emb__route_check(r, &u.in, h, 2, &n), EMB_ETOOBIG);
  assert_int_equal(n, 2);
  assert_int_equal(emb__route_check(r, NULL, h, 2, &n), EMB_EINVAL);
  emb__route_rules_free(r);
  emb_diags_fini(&d);
  unlink(p);
}

static void test_describe(void **state) {
  (void)state;
  run u;
  rec a = {.f = {[DEST] = "Donetsk, Russia"}, .controlled = true, .tier = "2"};
  check(R, &a, &u);
  assert_int_equal(u.n, 1);
  char buf[512];
  emb__route_hit_describe(&u.hits[0], &u.in, buf, sizeof buf);
  assert_string_equal(
      buf, "destination_country: city Donetsk (UA-14, Donetsk Oblast) lies in an occupied region "
           "of Ukraine, under occupation (rule OCC-UA-14); the goods are "
           "controlled (tier 2); an occupied place written with Russia as its "
           "country");
  rec b = {.f = {[EU] = "RU"}, .controlled = true, .tier = "1"};
  check(R, &b, &u);
  emb__route_hit_describe(&u.hits[0], &u.in, buf, sizeof buf);
  assert_string_equal(buf, "end_user_country: country Russian Federation (RU) is under a sectoral "
                           "embargo (rule EMB-RU); the goods are "
                           "controlled (tier 1)");
  rec c = {.f = {[DEST] = "KZ"}, .controlled = true};
  check(R, &c, &u);
  emb__route_hit_describe(&u.hits[0], &u.in, buf, sizeof buf);
  assert_string_equal(buf, "destination_country: country Kazakhstan (KZ) is a diversion hub (rule "
                           "HUB-KZ); the goods are controlled");
  /* a short buffer is cut, not overrun */
  char small[16];
  int want = emb__route_hit_describe(&u.hits[0], &u.in, small, sizeof small);
  assert_true(want > 15);
  assert_int_equal(strlen(small), 15);
}

static void test_bad_file(void **state) {
  (void)state;
  const char *p = write_tmp(
      "# a comment\n"
      "embargo KP comprehensive id=KP1\n"           /* 2: good */
      "embargo XX comprehensive\n"                  /* 3: unknown code */
      "embargo ru sectoral\n"                       /* 4: lower case */
      "embargo IR total\n"                          /* 5: bad level */
      "hub AE colour=red\n"                         /* 6: unknown key */
      "hub TR risk=severe\n"                        /* 7: bad risk */
      "embargo KP sectoral\n"                       /* 8: code twice */
      "hub CN id=KP1\n"                             /* 9: id twice */
      "embargo RU sectoral partly=low\n"            /* 10: partly on a country */
      "embargo IR comprehensive uncontrolled=low\n" /* 11: uncontrolled on comprehensive */
      "blockade CU\n"                               /* 12: unknown directive */
      "hub AM risk\n"                               /* 13: no '=' */
      "redflag unit_value factor=0.5\n"             /* 14: factor too small */
      "redflag new_consignee after=2022-13-01\n"    /* 15: bad date */
      "redflag hs_mix level=section\n"              /* 16: bad level */
      "redflag weather risk=high\n"                 /* 17: unknown flag */
      "redflag hub_onward countries=RU,XX\n"        /* 18: bad country list */
      "option speed=fast\n"                         /* 19: unknown option */
      "hub UA-43\n"                                 /* 20: region as hub */
      "embargo UA-14 comprehensive partly=medium front=low\n" /* 21: good */
      "redflag hs_mix min_records=5 max_share=0.2 id=MIX\n"   /* 22: good */
      "hub GE risk=off\n"                                     /* 23: risk off */
      "embargo SY\n"                                          /* 24: no level */
  );
  emb_diags d;
  emb_diags_init(&d);
  emb_route_rules *r = NULL;
  assert_int_equal(emb__route_rules_load(p, &r, &d), EMB_EFORMAT);
  assert_non_null(r);
  assert_int_equal(emb__route_rules_count(r), 2);
  const emb_redflag_rule *mix = emb__route_redflag(r, EMB_RF_HS_MIX);
  assert_true(mix->enabled);
  assert_string_equal(mix->id, "MIX");
  assert_int_equal(mix->min_records, 5);
  assert_int_equal(mix->line, 22);
  static const struct {
    unsigned long line, col;
    const char *says;
  } want[] = {
      {3, 9, "not a known ISO 3166-1 alpha-2 code"},
      {4, 9, "not a known ISO 3166-1 alpha-2 code"},
      {5, 12, "not a level"},
      {6, 8, "'colour' is not a key of 'hub'"},
      {7, 13, "expected high, medium, low or off"},
      {8, 9, "already has a rule"},
      {9, 1, "The id 'KP1' is used twice"},
      {10, 21, "'partly' is not a key of 'embargo' for a country"},
      {11, 1, "uncontrolled= is for sectoral embargoes"},
      {12, 1, "'blockade' is not a directive"},
      {13, 8, "not a key=value option"},
      {14, 27, "a number above 1"},
      {15, 29, "a date YYYY-MM-DD"},
      {16, 22, "chapter or heading"},
      {17, 9, "'weather' is not a red flag"},
      {18, 30, "up to 8 ISO codes"},
      {19, 8, "'speed' is not a key of 'option'"},
      {20, 5, "A hub is a country, not a region"},
      {23, 13, "delete the line to turn a rule off"},
      {24, 1, "needs a code and a level"},
  };
  size_t nw = sizeof want / sizeof want[0];
  if (d.count != nw)
    st_print_diags(&d, 20);
  assert_int_equal(d.count, nw);
  for (size_t i = 0; i < nw; i++) {
    const emb_diag *x = &d.items[i];
    if (x->line != want[i].line || x->column != want[i].col || !strstr(x->message, want[i].says))
      fail_msg("diag %zu: %lu:%lu '%s'; expected %lu:%lu '%s'", i, x->line, x->column, x->message,
               want[i].line, want[i].col, want[i].says);
    assert_non_null(strstr(x->file, "emb_test_route_"));
  }
  emb__route_rules_free(r);
  emb_diags_fini(&d);

  /* a missing file */
  emb_diags_init(&d);
  assert_int_equal(emb__route_rules_load("/nonexistent/x.rules", &r, &d), EMB_EIO);
  assert_null(r);
  emb_diags_fini(&d);
  /* invalid UTF-8 and an over-long line are reported with their line */
  char big[6000];
  memset(big, 'a', sizeof big);
  big[sizeof big - 1] = '\0';
  char text[7000];
  snprintf(text, sizeof text, "hub KZ\n# caf\xe9\nhub \xff\n%s\nhub AE\n", big);
  p = write_tmp(text);
  emb_diags_init(&d);
  assert_int_equal(emb__route_rules_load(p, &r, &d), EMB_EFORMAT);
  assert_int_equal(emb__route_rules_count(r), 2);
  assert_int_equal(d.count, 2); /* comments may be in any encoding */
  assert_int_equal(d.items[0].line, 3);
  assert_int_equal(d.items[0].code, EMB_EENCODING);
  assert_int_equal(d.items[1].line, 4);
  assert_int_equal(d.items[1].code, EMB_ETOOBIG);
  emb__route_rules_free(r);
  emb_diags_fini(&d);
  unlink(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_file),
      cmocka_unit_test(test_embargoed_destination),
      cmocka_unit_test(test_embargoed_end_user),
      cmocka_unit_test(test_occupied_region),
      cmocka_unit_test(test_hub),
      cmocka_unit_test(test_not_alerts),
      cmocka_unit_test(test_origin_and_transit),
      cmocka_unit_test(test_switches),
      cmocka_unit_test(test_describe),
      cmocka_unit_test(test_bad_file),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
