/*
 * test_redflags.c - unit tests for the two-pass red flags (src/screen/redflags.c): date
 * and number parsing, each of the four flags with the exact numbers of its explanation
 * and the cases next to it that must stay quiet, the median estimate's accuracy, the
 * call-order contract, and memory that stays flat while records repeat known parties
 * and codes.
 *
 * The flags' settings come from a small rules file written by the tests (thresholds
 * chosen for the scenario) and, for one test, from the bundled data/rules/default.rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo.h"
#include "screen/place.h"
#include "screen/redflags.h"
#include "screen/route.h"
#include "screen_testutil.h"

#ifndef EMB_DATA_DIR
#define EMB_DATA_DIR "data"
#endif

static emb_route_rules *R;
static char rules_path[256];

static int setup(void **state) {
  (void)state;
  if (st_write_tmp(rules_path, sizeof rules_path, "redflags", ".rules",
                   "hub KZ\nhub AE\nhub TR\n"
                   "embargo RU sectoral\nembargo BY sectoral\n"
                   "redflag hub_onward countries=RU,BY\n"
                   "redflag new_consignee after=2022-02-24\n"
                   "redflag hs_mix min_records=20 max_share=0.1\n"
                   "redflag unit_value min_count=30 factor=10\n"))
    return -1;
  emb_diags d;
  emb_diags_init(&d);
  int rc = emb__route_rules_load(rules_path, &R, &d);
  return st_setup_done(rc, &d);
}

static int teardown(void **state) {
  (void)state;
  emb__route_rules_free(R);
  unlink(rules_path);
  return 0;
}

static void test_parse_date(void **state) {
  (void)state;
  static const struct {
    const char *text;
    int32_t want; /* 0: not a date */
  } c[] = {
      {"2023-04-11", 20230411},
      {"2023/04/11", 20230411},
      {"11.04.2023", 20230411},
      {"20230411", 20230411},
      {" 2023-04-11T10:20:00Z ", 20230411},
      {"2023-04-11 10:20", 20230411},
      {"2024-02-29", 20240229},
      {"2023-02-29", 0},
      {"2023-13-01", 0},
      {"2023-04-31", 0},
      {"2023-4-11", 0},
      {"2023/04-11", 0},
      {"11/04/2023", 0},
      {"April 2023", 0},
      {"", 0},
      {"1899-12-31", 0},
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    int32_t d = -1;
    int rc = emb__redflag_parse_date(c[i].text, strlen(c[i].text), &d);
    if (c[i].want ? rc != 0 || d != c[i].want : rc != EMB_EFORMAT)
      fail_msg("'%s': rc %d, %d; expected %d", c[i].text, rc, (int)d, (int)c[i].want);
  }
}

static void test_parse_number(void **state) {
  (void)state;
  static const struct {
    const char *text;
    double want;
    bool ok;
  } c[] = {
      {"1234", 1234, true},
      {"1,234.50", 1234.5, true},
      {"1 234,50", 1234.5, true},
      {"1.234,50", 1234.5, true},
      {"1,234", 1234, true}, /* a lone comma before three digits groups thousands */
      {"1,5", 1.5, true},
      {"0,125", 0.125, true}, /* ... but not after a zero */
      {"1234,567", 1234.567, true},
      {"1.234", 1.234, true}, /* a lone dot is the decimal mark */
      {"1,234,567", 1234567, true},
      {"1.234.567", 1234567, true},
      {"1'234.5", 1234.5, true},
      {"1\xc2\xa0"
       "234,5",
       1234.5, true},
      {"1\xe2\x80\xaf"
       "234",
       1234, true},
      {" -12.5 ", -12.5, true},
      {".5", 0.5, true},
      {"", 0, false},
      {"abc", 0, false},
      {"12 kg", 0, false},
      {"$100", 0, false},
      {"1,234.5.6", 0, false},
      {"1.234,5,6", 0, false},
      {"1 ", 1, true},
      {" 1", 1, true},
      {"1  2", 0, false},
      {"1e5", 0, false},
      {"-", 0, false},
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    double v = -999;
    int rc = emb__redflag_parse_number(c[i].text, strlen(c[i].text), &v);
    if (c[i].ok ? rc != 0 || fabs(v - c[i].want) > 1e-9 : rc != EMB_EFORMAT)
      fail_msg("'%s': rc %d, %g; expected %s %g", c[i].text, rc, v, c[i].ok ? "ok" : "error",
               c[i].want);
  }
}

/* A place with just a country (and region). */
static emb_place mk(const char *country, const char *region) {
  emb_place p;
  memset(&p, 0, sizeof p);
  snprintf(p.country, sizeof p.country, "%s", country);
  snprintf(p.region, sizeof p.region, "%s", region ? region : "");
  p.matched = "test";
  return p;
}

/* An observation: consignee key, its country (also the destination), exporter key, date,
 * HS code, controlled, value, quantity, unit. The places live in the caller. */
static emb_redflag_obs ob(const char *cons, const emb_place *where, const char *exp,
                          const char *date, const char *hs, bool controlled, const char *value,
                          const char *qty, const char *unit) {
  emb_redflag_obs o;
  memset(&o, 0, sizeof o);
  o.consignee = cons;
  o.consignee_len = cons ? strlen(cons) : 0;
  o.exporter = exp;
  o.exporter_len = exp ? strlen(exp) : 0;
  o.consignee_place = where;
  o.destination = where;
  o.date = date;
  o.date_len = date ? strlen(date) : 0;
  o.hs = hs;
  o.hs_len = hs ? strlen(hs) : 0;
  o.controlled = controlled;
  o.tier = controlled ? "1" : NULL;
  o.value = value;
  o.value_len = value ? strlen(value) : 0;
  o.quantity = qty;
  o.quantity_len = qty ? strlen(qty) : 0;
  o.unit = unit;
  o.unit_len = unit ? strlen(unit) : 0;
  return o;
}

static emb_place KZ, RU, AE, TR, DE;

/* The scenario of the flag tests, observed into a finished state. */
static emb_redflags *scenario(void) {
  KZ = mk("KZ", NULL);
  RU = mk("RU", NULL);
  AE = mk("AE", NULL);
  TR = mk("TR", NULL);
  DE = mk("DE", NULL);
  emb_redflags *rf = emb__redflags_new(R);
  assert_non_null(rf);
  emb_redflag_obs o[] = {
      /* ACME in Kazakhstan receives controlled goods and ships on to Russia */
      ob("ACME|KZ", &KZ, "DE-EXP|DE", "2021-03-01", "880730", true, "8800", "100", "pcs"),
      ob("IVAN|RU", &RU, "ACME|KZ", "2022-05-05", "847150", false, "100", "1", "pcs"),
      /* BETA in Kazakhstan: no onward shipment, first seen after the date */
      ob("BETA|KZ", &KZ, NULL, "2022-06-01", "880730", true, "8 800,00", "100", "PCS"),
      /* NEWCO and OLDCO in the UAE */
      ob("NEWCO|AE", &AE, NULL, "2023-06-01", "880730", true, "88", "1", "pcs"),
      ob("NEWCO|AE", &AE, NULL, "11.04.2023", "880730", true, "88", "1", "pcs"),
      ob("OLDCO|AE", &AE, NULL, "2021-05-01", "880730", true, "88", "1", "pcs"),
      ob("OLDCO|AE", &AE, NULL, "2023-01-01", "880730", true, "88", "1", "pcs"),
  };
  for (size_t i = 0; i < sizeof o / sizeof o[0]; i++)
    assert_int_equal(emb__redflags_observe(rf, &o[i]), 0);
  /* MIX in Turkey: 19 records of chapter 84, one of chapter 88 */
  for (int i = 0; i < 19; i++) {
    emb_redflag_obs m = ob("MIX|TR", &TR, NULL, "2020-01-01", i % 2 ? "847150" : "8471300000",
                           false, "500", "1", "pcs");
    assert_int_equal(emb__redflags_observe(rf, &m), 0);
  }
  emb_redflag_obs m = ob("MIX|TR", &TR, NULL, "2020-01-01", "880730", true, "88", "1", "pcs");
  assert_int_equal(emb__redflags_observe(rf, &m), 0);
  /* 24 more unit values of 88.00 for 880730, and one of 1,250.00 */
  for (int i = 0; i < 24; i++) {
    emb_redflag_obs x =
        ob("FILL|DE", &DE, NULL, "2020-02-02", "8807300000", false, "88.00", "1", "pcs");
    assert_int_equal(emb__redflags_observe(rf, &x), 0);
  }
  emb_redflag_obs x = ob("ODD|DE", &DE, NULL, "2020-02-02", "880730", true, "1,250.00", "1", "pcs");
  assert_int_equal(emb__redflags_observe(rf, &x), 0);
  assert_int_equal(emb__redflags_finish(rf), 0);
  return rf;
}

/* Checks one observation and returns the number of hits (written to h). */
static size_t flags(const emb_redflags *rf, const emb_redflag_obs *o, emb_redflag_hit *h) {
  size_t n = 99;
  assert_int_equal(emb__redflags_check(rf, o, h, 8, &n), 0);
  return n;
}

static void test_hub_onward(void **state) {
  (void)state;
  emb_redflags *rf = scenario();
  emb_redflag_hit h[8];
  emb_redflag_obs o =
      ob("ACME|KZ", &KZ, "DE-EXP|DE", "2021-03-01", "880730", true, "8800", "100", "pcs");
  assert_int_equal(flags(rf, &o, h), 1);
  assert_int_equal(h[0].kind, EMB_RF_HUB_ONWARD);
  assert_string_equal(h[0].id, "RF-HUB-ONWARD");
  assert_int_equal(h[0].risk, EMB_RISK_HIGH);
  assert_string_equal(h[0].detail, "consignee in hub KZ also appears in 1 record going to RU/BY");
  /* not controlled: quiet */
  o.controlled = false;
  assert_int_equal(flags(rf, &o, h), 0);
  /* the same consignee key in a country that is no hub: quiet */
  o.controlled = true;
  o.consignee_place = &DE;
  o.destination = &DE;
  assert_int_equal(flags(rf, &o, h), 0);
  /* a hub consignee with no onward shipment: quiet about onward (BETA is new, though) */
  emb_redflag_obs b =
      ob("BETA|KZ", &KZ, NULL, "2022-06-01", "880730", true, "8 800,00", "100", "PCS");
  size_t n = flags(rf, &b, h);
  for (size_t i = 0; i < n; i++)
    assert_int_not_equal(h[i].kind, EMB_RF_HUB_ONWARD);
  emb__redflags_free(rf);
}

static void test_new_consignee(void **state) {
  (void)state;
  emb_redflags *rf = scenario();
  emb_redflag_hit h[8];
  emb_redflag_obs o = ob("NEWCO|AE", &AE, NULL, "2023-06-01", "880730", true, "88", "1", "pcs");
  assert_int_equal(flags(rf, &o, h), 1);
  assert_int_equal(h[0].kind, EMB_RF_NEW_CONSIGNEE);
  assert_string_equal(h[0].id, "RF-NEW-CONSIGNEE");
  assert_int_equal(h[0].risk, EMB_RISK_MEDIUM);
  /* the earliest of its records (written 11.04.2023), not this one's date */
  assert_string_equal(h[0].detail,
                      "consignee first seen 2023-04-11, after 2022-02-24 (in AE, hub)");
  emb_redflag_obs b =
      ob("BETA|KZ", &KZ, NULL, "2022-06-01", "880730", true, "8 800,00", "100", "PCS");
  assert_int_equal(flags(rf, &b, h), 1);
  assert_string_equal(h[0].detail,
                      "consignee first seen 2022-06-01, after 2022-02-24 (in KZ, hub)");
  /* not controlled, an old consignee, a consignee in no hub or embargo: quiet */
  o.controlled = false;
  assert_int_equal(flags(rf, &o, h), 0);
  emb_redflag_obs old = ob("OLDCO|AE", &AE, NULL, "2023-01-01", "880730", true, "88", "1", "pcs");
  assert_int_equal(flags(rf, &old, h), 0);
  emb__redflags_free(rf);

  /* an input with no record before the date: every consignee would be new, so none is */
  rf = emb__redflags_new(R);
  emb_redflag_obs n1 = ob("NEWCO|AE", &AE, NULL, "2023-06-01", "880730", true, "88", "1", "pcs");
  assert_int_equal(emb__redflags_observe(rf, &n1), 0);
  assert_int_equal(emb__redflags_finish(rf), 0);
  assert_int_equal(flags(rf, &n1, h), 0);
  emb__redflags_free(rf);
}

static void test_hs_mix(void **state) {
  (void)state;
  emb_redflags *rf = scenario();
  emb_redflag_hit h[8];
  emb_redflag_obs o = ob("MIX|TR", &TR, NULL, "2020-01-01", "880730", true, "88", "1", "pcs");
  assert_int_equal(flags(rf, &o, h), 1);
  assert_int_equal(h[0].kind, EMB_RF_HS_MIX);
  assert_int_equal(h[0].risk, EMB_RISK_LOW);
  assert_string_equal(h[0].detail, "HS chapter 88 makes up 1 of the consignee's 20 records with "
                                   "a code (5.0%), under 10.0%");
  /* its usual chapter: quiet */
  emb_redflag_obs u = ob("MIX|TR", &TR, NULL, "2020-01-01", "847150", true, "500", "1", "pcs");
  assert_int_equal(flags(rf, &u, h), 0);
  /* a chapter it never had: 0 of 20 */
  emb_redflag_obs z = ob("MIX|TR", &TR, NULL, "2020-01-01", "854231", true, "", "", "");
  assert_int_equal(flags(rf, &z, h), 1);
  assert_string_equal(h[0].detail, "HS chapter 85 makes up 0 of the consignee's 20 records with "
                                   "a code (0.0%), under 10.0%");
  /* too few records (FILL has 24 but all one chapter; ACME has 1) */
  emb_redflag_obs a = ob("ACME|DE", &DE, NULL, NULL, "854231", true, NULL, NULL, NULL);
  assert_int_equal(flags(rf, &a, h), 0);
  emb__redflags_free(rf);
}

static void test_unit_value(void **state) {
  (void)state;
  emb_redflags *rf = scenario();
  double med = 0;
  uint64_t count = 0;
  assert_int_equal(emb__redflags_median(rf, "880730", "pcs", &med, &count), 0);
  assert_int_equal(count, 32); /* 1 + 1 + 2 + 2 + 1 + 24 + 1 */
  assert_true(fabs(med - 88.0) / 88.0 < 0.01);
  assert_int_equal(emb__redflags_median(rf, "880730", "kg", &med, &count), EMB_ENOTFOUND);
  double med2 = 0;
  assert_int_equal(emb__redflags_median(rf, "847150", "pcs", &med2, &count), 0);
  assert_int_equal(count, 10); /* IVAN's 100.00 and MIX's nine 500.00 */
  assert_true(fabs(med2 - 500.0) / 500.0 < 0.01);

  emb_redflag_hit h[8];
  char want[256];
  emb_redflag_obs o = ob("ODD|DE", &DE, NULL, "2020-02-02", "880730", true, "1,250.00", "1", "pcs");
  assert_int_equal(flags(rf, &o, h), 1);
  assert_int_equal(h[0].kind, EMB_RF_UNIT_VALUE);
  assert_int_equal(h[0].risk, EMB_RISK_MEDIUM);
  if (fabs(1250.0 / med - 14.2) > 0.15)
    fail_msg("median %.4f, ratio %.3f", med, 1250.0 / med);
  snprintf(want, sizeof want,
           "unit value 1,250.00 is %.1fx the median %.2f of 32 records of 880730 (per pcs)",
           1250.0 / med, med);
  assert_string_equal(h[0].detail, want);
  /* far below */
  emb_redflag_obs lo = ob("ODD|DE", &DE, NULL, NULL, "8807300010", true, "50", "10", "pcs");
  assert_int_equal(flags(rf, &lo, h), 1);
  snprintf(want, sizeof want,
           "unit value 5.00 is %.3gx the median %.2f of 32 records of 880730 (per pcs)", 5.0 / med,
           med);
  assert_string_equal(h[0].detail, want);
  /* within the factor, not controlled, another unit, too few values: quiet */
  emb_redflag_obs ok = ob("ODD|DE", &DE, NULL, NULL, "880730", true, "800", "1", "pcs");
  assert_int_equal(flags(rf, &ok, h), 0);
  o.controlled = false;
  assert_int_equal(flags(rf, &o, h), 0);
  emb_redflag_obs kg = ob("ODD|DE", &DE, NULL, NULL, "880730", true, "1250", "1", "kg");
  assert_int_equal(flags(rf, &kg, h), 0);
  emb_redflag_obs few = ob("ODD|DE", &DE, NULL, NULL, "847150", true, "50000", "1", "pcs");
  assert_int_equal(flags(rf, &few, h), 0);
  /* no quantity, a zero quantity, a bad value: no unit value */
  emb_redflag_obs q0 = ob("ODD|DE", &DE, NULL, NULL, "880730", true, "1250", "0", "pcs");
  assert_int_equal(flags(rf, &q0, h), 0);
  emb_redflag_obs bad = ob("ODD|DE", &DE, NULL, NULL, "880730", true, "USD 1250", "1", "pcs");
  assert_int_equal(flags(rf, &bad, h), 0);
  emb__redflags_free(rf);
}

static void test_contract(void **state) {
  (void)state;
  emb_redflags *rf = emb__redflags_new(R);
  emb_redflag_hit h[2];
  size_t n = 5;
  emb_redflag_obs o = ob("A|KZ", &KZ, NULL, NULL, NULL, true, NULL, NULL, NULL);
  assert_int_equal(emb__redflags_check(rf, &o, h, 2, &n), EMB_EINVAL); /* before finish */
  assert_int_equal(n, 0);
  assert_int_equal(emb__redflags_observe(rf, NULL), EMB_EINVAL);
  assert_int_equal(emb__redflags_finish(rf), 0);
  assert_int_equal(emb__redflags_finish(rf), EMB_EINVAL);
  assert_int_equal(emb__redflags_observe(rf, &o), EMB_EINVAL); /* after finish */
  emb__redflags_free(rf);
  assert_null(emb__redflags_new(NULL));
  emb__redflags_free(NULL);

  /* more hits than room */
  rf = scenario();
  emb_redflag_obs two = ob("BETA|KZ", &KZ, NULL, NULL, "880730", true, "1250", "1", "pcs");
  assert_int_equal(emb__redflags_check(rf, &two, h, 2, &n), 0);
  assert_int_equal(n, 2); /* new consignee and unit value */
  assert_int_equal(h[0].kind, EMB_RF_NEW_CONSIGNEE);
  assert_int_equal(h[1].kind, EMB_RF_UNIT_VALUE);
  assert_int_equal(emb__redflags_check(rf, &two, h, 1, &n), EMB_ETOOBIG);
  assert_int_equal(n, 1);
  emb__redflags_free(rf);
}

static void test_default_rules(void **state) {
  (void)state;
  emb_route_rules *r = NULL;
  assert_int_equal(emb__route_rules_load(EMB_DATA_DIR "/rules/default.rules", &r, NULL), 0);
  emb_redflags *rf = emb__redflags_new(r);
  emb_place am = mk("AM", NULL), by = mk("BY", NULL);
  emb_redflag_obs a = ob("ARM|AM", &am, NULL, "2023-01-01", "854231", true, "10", "1", "pcs");
  emb_redflag_obs b = ob("MINSK|BY", &by, "ARM|AM", "2023-02-01", "854231", true, "10", "1", "pcs");
  assert_int_equal(emb__redflags_observe(rf, &a), 0);
  assert_int_equal(emb__redflags_observe(rf, &b), 0);
  assert_int_equal(emb__redflags_finish(rf), 0);
  emb_redflag_hit h[4];
  size_t n = 0;
  assert_int_equal(emb__redflags_check(rf, &a, h, 4, &n), 0);
  assert_int_equal(n, 1); /* new_consignee stays quiet: nothing dated before 2022-02-24 */
  assert_string_equal(h[0].id, "RF-HUB-ONWARD");
  assert_string_equal(h[0].detail, "consignee in hub AM also appears in 1 record going to RU/BY");
  emb__redflags_free(rf);
  emb__route_rules_free(r);
}

static void test_memory_flat(void **state) {
  (void)state;
  emb_redflags *rf = emb__redflags_new(R);
  static emb_place places[4];
  places[0] = mk("KZ", NULL);
  places[1] = mk("RU", NULL);
  places[2] = mk("AE", NULL);
  places[3] = mk("DE", NULL);
  char key[32], hs[16], val[32], date[16];
  size_t mem[2];
  for (int round = 0; round < 2; round++) {
    for (int i = 0; i < 100000; i++) {
      int c = (i * 7919) % 5000, code = (i * 31) % 200;
      snprintf(key, sizeof key, "C%d|X", c);
      snprintf(hs, sizeof hs, "%06d", 840000 + code * 7);
      snprintf(val, sizeof val, "%d.%02d", 10 + (i % 97), i % 100);
      snprintf(date, sizeof date, "2021-%02d-%02d", 1 + i % 12, 1 + i % 28);
      emb_redflag_obs o = ob(key, &places[i % 4], "E|X", date, hs, i % 3 == 0, val, "3", "kg");
      assert_int_equal(emb__redflags_observe(rf, &o), 0);
    }
    mem[round] = emb__redflags_memory(rf);
  }
  assert_int_equal(emb__redflags_parties(rf), 5001);
  assert_int_equal(emb__redflags_codes(rf), 200);
  assert_int_equal(mem[0], mem[1]); /* 100,000 more records of known parties: no growth */
  assert_true(mem[1] < 8u << 20);
  emb__redflags_free(rf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_date),  cmocka_unit_test(test_parse_number),
      cmocka_unit_test(test_hub_onward),  cmocka_unit_test(test_new_consignee),
      cmocka_unit_test(test_hs_mix),      cmocka_unit_test(test_unit_value),
      cmocka_unit_test(test_contract),    cmocka_unit_test(test_default_rules),
      cmocka_unit_test(test_memory_flat),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
