/*
 * test_goods.c - unit tests for goods screening (src/goods): HS code normalisation, the
 * bundled CHPL control list and its tiers, the prefix rule, the HS-2017 -> HS-2022
 * correlation, description rules in English, Russian and Chinese, and the diagnostics
 * for bad control, correlation and rules files.
 *
 * The bundled data is read from data/controls (EMB_DATA_DIR, set by the Makefile); the
 * CHPL is checked code by code against the source table in the shared data directory
 * (EMB_TEST_DATA). Broken files are written to a temporary directory by the tests.
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

#include "core/csv.h"
#include "core/input.h"
#include "embargo.h"
#include "goods/controls.h"
#include "goods/describe.h"
#include "goods/hs.h"

#ifndef EMB_DATA_DIR
#define EMB_DATA_DIR "data"
#endif
#ifndef EMB_TEST_DATA
#define EMB_TEST_DATA "/work/shared/data"
#endif
#define CTL EMB_DATA_DIR "/controls"
#define SHARED_CHPL EMB_TEST_DATA "/controls/chpl_hs6_2024-02.csv"

/* The bundled set, loaded once for the whole suite. */
static emb_goods *G;

static void print_diags(const emb_diags *d) {
  char buf[512];
  for (size_t i = 0; i < d->count && i < 10; i++) {
    emb_diag_format(&d->items[i], buf, sizeof(buf));
    print_error("%s\n", buf);
  }
}

static int setup(void **state) {
  (void)state;
  emb_diags d;
  emb_diags_init(&d);
  G = emb__goods_new();
  int rc = G ? emb__goods_load_default(G, CTL, &d) : EMB_ENOMEM;
  if (rc || d.count)
    print_diags(&d);
  size_t n = d.count;
  emb_diags_fini(&d);
  return rc || n ? -1 : 0;
}

static int teardown(void **state) {
  (void)state;
  emb__goods_free(G);
  G = NULL;
  return 0;
}

/* Screens code and description (either may be NULL) with a fresh result. */
static void check(emb_goods_result *r, const char *code, const char *desc) {
  emb__goods_result_init(r);
  assert_int_equal(emb__goods_check(G, code, code ? strlen(code) : 0, desc,
                                    desc ? strlen(desc) : 0, r),
                   0);
}

/* The hit on control `code`, or NULL. */
static const emb_goods_hit *hit_on(const emb_goods_result *r, const char *code) {
  for (size_t i = 0; i < r->n_hits; i++)
    if (strcmp(r->hits[i].control->code, code) == 0)
      return &r->hits[i];
  return NULL;
}

/* The hit of rule `id`, or NULL. */
static const emb_rule_hit *rule_hit(const emb_goods_result *r, const char *id) {
  for (size_t i = 0; i < r->n_rule_hits; i++)
    if (strcmp(r->rule_hits[i].rule->id, id) == 0)
      return &r->rule_hits[i];
  return NULL;
}

/* A diagnostic on `line` whose field is `field` (NULL: any), or NULL. */
static const emb_diag *diag_at(const emb_diags *d, unsigned long line, const char *field) {
  for (size_t i = 0; i < d->count; i++)
    if (d->items[i].line == line &&
        (!field || (d->items[i].field && strcmp(d->items[i].field, field) == 0)))
      return &d->items[i];
  return NULL;
}

/* Writes text to a new temporary file; returns its path (static buffer per slot). */
static const char *write_tmp(int slot, const char *suffix, const char *text) {
  static char paths[4][256];
  snprintf(paths[slot], sizeof(paths[slot]), "/tmp/emb_test_goods_%d_%d%s", (int)getpid(), slot,
           suffix);
  FILE *f = fopen(paths[slot], "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return paths[slot];
}

/* ------------------------------------------------------------ HS codes */

static void test_hs_normalize(void **state) {
  (void)state;
  char out[EMB_HS_MAX + 1];
  size_t n;
  assert_int_equal(emb__hs_normalize("8807.30", 7, out, &n), EMB_HS_OK);
  assert_string_equal(out, "880730");
  assert_int_equal(n, 6);
  assert_int_equal(emb__hs_normalize("8526 91 20", 10, out, &n), EMB_HS_OK);
  assert_string_equal(out, "85269120");
  assert_int_equal(emb__hs_normalize(" 8807.30.00.00\t", 15, out, &n), EMB_HS_OK);
  assert_string_equal(out, "8807300000");
  assert_int_equal(emb__hs_normalize("88", 2, out, &n), EMB_HS_OK);
  /* Invalid: a letter O for a zero, a dash, one digit, eleven digits, a NUL. */
  assert_int_equal(emb__hs_normalize("88O730", 6, out, &n), EMB_HS_INVALID);
  assert_string_equal(out, "");
  assert_int_equal(n, 0);
  assert_int_equal(emb__hs_normalize("8807-30", 7, out, &n), EMB_HS_INVALID);
  assert_int_equal(emb__hs_normalize("8", 1, out, &n), EMB_HS_INVALID);
  assert_int_equal(emb__hs_normalize("88073000001", 11, out, &n), EMB_HS_INVALID);
  assert_int_equal(emb__hs_normalize("8807\0" "30", 7, out, &n), EMB_HS_INVALID);
  assert_int_equal(emb__hs_normalize("8807３0", 8, out, &n), EMB_HS_INVALID); /* full-width 3 */
  /* Missing: nothing, or separators only. */
  assert_int_equal(emb__hs_normalize("", 0, out, &n), EMB_HS_EMPTY);
  assert_int_equal(emb__hs_normalize(" . ", 3, out, &n), EMB_HS_EMPTY);
  assert_int_equal(emb__hs_normalize(NULL, 5, out, &n), EMB_HS_EMPTY);
  /* Only len bytes are read. */
  assert_int_equal(emb__hs_normalize("880730xyz", 6, out, &n), EMB_HS_OK);
  assert_string_equal(out, "880730");
}

/* ------------------------------------------------------------ the CHPL */

static void test_chpl_tiers(void **state) {
  (void)state;
  assert_int_equal(emb__controls_count(G), 50);
  static const char *const tiers[6] = {"1", "2", "3a", "3b", "4a", "4b"};
  static const size_t want[6] = {4, 5, 16, 9, 11, 5};
  size_t got[6] = {0};
  for (size_t i = 0; i < emb__controls_count(G); i++) {
    const emb_control *c = emb__controls_get(G, i);
    assert_string_equal(c->list, "CHPL");
    assert_int_equal(c->len, 6);
    assert_true(c->description[0] != '\0');
    assert_non_null(strstr(c->source, "2024-02-23"));
    for (size_t t = 0; t < 6; t++)
      got[t] += strcmp(c->tier, tiers[t]) == 0;
    if (i)
      assert_true(strcmp(emb__controls_get(G, i - 1)->code, c->code) < 0); /* sorted */
  }
  for (size_t t = 0; t < 6; t++)
    assert_int_equal(got[t], want[t]);
}

/* Every code and tier of the source table is in the bundled list. */
static void test_chpl_matches_source(void **state) {
  (void)state;
  emb_diags d;
  emb_diags_init(&d);
  emb_input *in;
  assert_int_equal(emb__input_open(SHARED_CHPL, &in, &d), 0);
  emb_csv *csv;
  assert_int_equal(emb__csv_new(in, NULL, &d, &csv), 0);
  emb_csv_row row;
  assert_int_equal(emb__csv_next(csv, &row), 1);
  int ch = emb__csv_col(&row, "hs6"), ct = emb__csv_col(&row, "chpl_tier");
  assert_true(ch >= 0 && ct >= 0);
  size_t n = 0;
  emb_goods_result r;
  emb__goods_result_init(&r);
  while (emb__csv_next(csv, &row) == 1) {
    const char *code = row.fields[ch];
    assert_int_equal(emb__goods_check(G, code, strlen(code), NULL, 0, &r), 0);
    const emb_goods_hit *h = hit_on(&r, code);
    assert_non_null(h);
    assert_int_equal(h->via, EMB_GOODS_VIA_CODE);
    assert_string_equal(h->control->tier, row.fields[ct]);
    n++;
  }
  assert_int_equal(n, 50);
  emb__goods_result_fini(&r);
  emb__csv_free(csv);
  emb__input_close(in);
  emb_diags_fini(&d);
}

/* ------------------------------------------------------------ prefix rule */

static void test_prefix_rule(void **state) {
  (void)state;
  emb_goods_result r;
  check(&r, "880730", NULL);
  assert_int_equal(r.code_status, EMB_HS_OK);
  assert_false(r.too_coarse);
  assert_int_equal(r.n_hits, 1);
  assert_string_equal(r.hits[0].control->code, "880730");
  assert_string_equal(r.hits[0].control->tier, "3b");
  assert_int_equal(r.hits[0].via, EMB_GOODS_VIA_CODE);
  emb__goods_result_fini(&r);

  check(&r, "8807300000", NULL);
  assert_int_equal(r.n_hits, 1);
  assert_string_equal(r.hits[0].control->code, "880730");
  assert_int_equal(r.hits[0].via, EMB_GOODS_VIA_CODE);
  emb__goods_result_fini(&r);

  check(&r, "8807.30", NULL);
  assert_int_equal(r.n_hits, 1);
  assert_string_equal(r.code, "880730");
  emb__goods_result_fini(&r);

  check(&r, "8526 91 20", NULL); /* an 8-digit national code under CHPL 852691 */
  assert_int_equal(r.n_hits, 1);
  assert_string_equal(r.hits[0].control->code, "852691");
  assert_string_equal(r.hits[0].control->tier, "2");
  emb__goods_result_fini(&r);

  /* Too coarse: shorter than six digits matches nothing, but says what it covers. */
  check(&r, "8807", NULL);
  assert_true(r.too_coarse);
  assert_int_equal(r.n_hits, 0);
  assert_int_equal(r.n_covered, 1);
  emb__goods_result_fini(&r);
  check(&r, "88073", NULL);
  assert_true(r.too_coarse);
  assert_int_equal(r.n_hits, 0);
  assert_int_equal(r.n_covered, 1);
  emb__goods_result_fini(&r);
  check(&r, "8542", NULL);
  assert_true(r.too_coarse);
  assert_int_equal(r.n_covered, 4); /* the four Tier 1 integrated circuits */
  emb__goods_result_fini(&r);

  /* A sibling of a control is not a hit. */
  check(&r, "880790", NULL);
  assert_false(r.too_coarse);
  assert_int_equal(r.n_hits, 0);
  emb__goods_result_fini(&r);
}

static void test_invalid_and_missing(void **state) {
  (void)state;
  emb_goods_result r;
  check(&r, "88O730", NULL);
  assert_int_equal(r.code_status, EMB_HS_INVALID);
  assert_false(r.too_coarse);
  assert_int_equal(r.n_hits, 0);
  emb__goods_result_fini(&r);
  check(&r, "N/A", NULL);
  assert_int_equal(r.code_status, EMB_HS_INVALID);
  emb__goods_result_fini(&r);
  check(&r, NULL, NULL);
  assert_int_equal(r.code_status, EMB_HS_EMPTY);
  assert_int_equal(r.n_hits, 0);
  emb__goods_result_fini(&r);
  /* An invalid code with a telling description still hits through the description. */
  check(&r, "UNKNOWN", "Drone spare parts: carbon frame, gimbal");
  assert_int_equal(r.code_status, EMB_HS_INVALID);
  const emb_goods_hit *h = hit_on(&r, "880730");
  assert_non_null(h);
  assert_int_equal(h->via, EMB_GOODS_VIA_DESCRIPTION);
  emb__goods_result_fini(&r);
  assert_int_equal(emb__goods_check(NULL, "1", 1, NULL, 0, &r), EMB_EINVAL);
}

/* Two lists in one set: a national 8-digit control next to the CHPL. */
static void test_several_lists(void **state) {
  (void)state;
  const char *p = write_tmp(0, ".csv",
                            "list,code,tier,description,source\n"
                            "NATIONAL-X,8542.31.90,A,\"ICs, other processors\",test fixture\n"
                            "NATIONAL-X,8807,B,Parts of aircraft,test fixture\n");
  emb_goods *g = emb__goods_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__controls_load(g, CTL "/chpl.csv", &d), 0);
  assert_int_equal(emb__controls_load(g, p, &d), 0);
  assert_int_equal(d.count, 0);
  assert_int_equal(emb__controls_count(g), 52);
  emb_goods_result r;
  emb__goods_result_init(&r);
  assert_int_equal(emb__goods_check(g, "8542319000", 10, NULL, 0, &r), 0);
  assert_int_equal(r.n_hits, 2);
  assert_string_equal(r.hits[0].control->list, "CHPL");
  assert_string_equal(r.hits[1].control->list, "NATIONAL-X");
  assert_string_equal(r.hits[1].control->code, "85423190");
  /* A record code shorter than the national control does not match it. */
  assert_int_equal(emb__goods_check(g, "854231", 6, NULL, 0, &r), 0);
  assert_int_equal(r.n_hits, 1);
  assert_int_equal(r.n_covered, 1);
  /* A 4-digit control matches any record under it. */
  assert_int_equal(emb__goods_check(g, "880790", 6, NULL, 0, &r), 0);
  assert_int_equal(r.n_hits, 1);
  assert_string_equal(r.hits[0].control->code, "8807");
  emb__goods_result_fini(&r);
  emb_diags_fini(&d);
  emb__goods_free(g);
  unlink(p);
}

/* ------------------------------------------------------------ HS versions */

static void test_correlation(void **state) {
  (void)state;
  /* Every CHPL code has at least one row behind it. */
  const emb_hs_corr *t = emb__goods_correlation(G);
  for (size_t i = 0; i < emb__controls_count(G); i++) {
    const emb_control *c = emb__controls_get(G, i);
    size_t k = 0;
    for (size_t j = 0; j < emb__hs_corr_count(t); j++)
      k += strcmp(emb__hs_corr_row(t, j)->to_code, c->code) == 0;
    if (k == 0)
      fail_msg("no correlation row for CHPL %s", c->code);
  }

  emb_goods_result r;
  check(&r, "880330", NULL);
  assert_int_equal(r.n_hits, 1);
  assert_string_equal(r.hits[0].control->code, "880730");
  assert_int_equal(r.hits[0].via, EMB_GOODS_VIA_CORRELATION);
  assert_string_equal(r.hits[0].corr->from_version, "HS-2017");
  assert_string_equal(r.hits[0].corr->from_code, "880330");
  emb__goods_result_fini(&r);

  check(&r, "8803.30.00.00", NULL);
  assert_int_equal(r.n_hits, 1);
  assert_int_equal(r.hits[0].via, EMB_GOODS_VIA_CORRELATION);
  emb__goods_result_fini(&r);

  /* 854140 split into 854141..854149; of these only 854149 is on the CHPL. */
  const emb_hs_corr_row *rows[8];
  assert_int_equal(emb__hs_corr_find(t, "854140", 6, rows, 8), 4);
  for (size_t i = 0; i < 4; i++)
    assert_memory_equal(rows[i]->to_code, "85414", 5);
  assert_string_equal(rows[0]->to_code, "854141");
  assert_string_equal(rows[3]->to_code, "854149");
  check(&r, "854140", NULL);
  assert_int_equal(r.n_hits, 1);
  assert_string_equal(r.hits[0].control->code, "854149");
  assert_string_equal(r.hits[0].corr->relation, "1:n");
  emb__goods_result_fini(&r);

  check(&r, "854150", NULL);
  assert_int_equal(r.n_hits, 2);
  assert_non_null(hit_on(&r, "854151"));
  assert_non_null(hit_on(&r, "854159"));
  emb__goods_result_fini(&r);

  /* An unchanged code hits directly; the identity row adds nothing. */
  check(&r, "848210", NULL);
  assert_int_equal(r.n_hits, 1);
  assert_int_equal(r.hits[0].via, EMB_GOODS_VIA_CODE);
  emb__goods_result_fini(&r);
}

/* ------------------------------------------------------------ descriptions */

static void test_rules_english(void **state) {
  (void)state;
  assert_true(emb__rules_count(emb__goods_rules(G)) >= 36);
  emb_goods_result r;
  check(&r, NULL, "FLIGHT CONTROLLER BOARD F7, 30X30MM, FOR FPV DRONES");
  const emb_rule_hit *h = rule_hit(&r, "flight_controller.en");
  assert_non_null(h);
  assert_string_equal(h->matched, "flight controller");
  assert_non_null(rule_hit(&r, "fpv.en"));
  assert_non_null(rule_hit(&r, "uav.en"));
  assert_string_equal(rule_hit(&r, "uav.en")->matched, "drones");
  const emb_goods_hit *g = hit_on(&r, "880730");
  assert_non_null(g);
  assert_int_equal(g->via, EMB_GOODS_VIA_DESCRIPTION);
  emb__goods_result_fini(&r);

  check(&r, "8529", "GNSS module u-blox M10, GPS/GLONASS/BeiDou, with antenna");
  assert_true(r.too_coarse);
  assert_non_null(rule_hit(&r, "gnss_module.en"));
  g = hit_on(&r, "852691");
  assert_non_null(g);
  assert_string_equal(g->rule->id, "gnss_module.en");
  assert_string_equal(g->suggested, "852691");
  emb__goods_result_fini(&r);

  /* '&' needs every term: a battery alone is not a drone battery. */
  check(&r, NULL, "Lithium-ion battery 18650, 3.7V");
  assert_null(rule_hit(&r, "battery.en"));
  emb__goods_result_fini(&r);
  check(&r, NULL, "Intelligent Flight Battery for Mavic 3 drone, 5000mAh");
  assert_non_null(rule_hit(&r, "battery.en"));
  emb__goods_result_fini(&r);

  /* Ordinary goods: no rule. */
  check(&r, "848210", "Deep groove ball bearings 6204-2RS, chrome steel");
  assert_int_equal(r.n_rule_hits, 0);
  assert_int_equal(r.n_hits, 1);
  emb__goods_result_fini(&r);
  check(&r, "610910", "Men's cotton T-shirts, knitted");
  assert_int_equal(r.n_rule_hits, 0);
  assert_int_equal(r.n_hits, 0);
  emb__goods_result_fini(&r);
}

static void test_rules_russian(void **state) {
  (void)state;
  emb_goods_result r;
  check(&r, "8537109100",
        "Полётный контроллер для беспилотных летательных аппаратов, в комплекте GPS-модуль");
  const emb_rule_hit *h = rule_hit(&r, "flight_controller.ru");
  assert_non_null(h);
  assert_non_null(strstr(h->matched, "контроллер"));
  assert_non_null(rule_hit(&r, "uav.ru"));
  assert_non_null(rule_hit(&r, "gnss_module.ru"));
  assert_non_null(hit_on(&r, "852691"));
  assert_non_null(hit_on(&r, "880730"));
  emb__goods_result_fini(&r);

  check(&r, NULL, "Камера тепловизионная 640х512, 25 мм, для установки на БПЛА");
  assert_non_null(rule_hit(&r, "thermal_camera.ru"));
  assert_string_equal(rule_hit(&r, "uav.ru")->matched, "бпла");
  assert_non_null(hit_on(&r, "852589"));
  emb__goods_result_fini(&r);

  check(&r, "850131", "ДВИГАТЕЛЬ БЕСКОЛЛЕКТОРНЫЙ 2207 1750KV");
  assert_non_null(rule_hit(&r, "motor.ru")); /* the words in either order */
  emb__goods_result_fini(&r);
  check(&r, "850131", "Бесколлекторный двигатель 2207 1750KV, 4 шт.");
  assert_non_null(rule_hit(&r, "motor.ru"));
  /* Brushless motors are not on the CHPL: the rule stands as its own control. */
  assert_int_equal(r.n_hits, 1);
  assert_string_equal(r.hits[0].control->list, EMB_RULES_LIST);
  assert_string_equal(r.hits[0].control->description, "uav_motor");
  assert_int_equal(r.hits[0].via, EMB_GOODS_VIA_DESCRIPTION);
  emb__goods_result_fini(&r);
  check(&r, "850131", "Electric motor for a ceiling fan");
  assert_int_equal(r.n_hits, 0); /* no rule, no hit */
  emb__goods_result_fini(&r);

  /* A driverless car is not a drone. */
  check(&r, NULL, "Беспилотный автомобиль, опытный образец");
  assert_null(rule_hit(&r, "uav.ru"));
  emb__goods_result_fini(&r);
}

static void test_rules_chinese(void **state) {
  (void)state;
  emb_goods_result r;
  check(&r, NULL, "无人机飞控 F405，含北斗导航模块");
  assert_non_null(rule_hit(&r, "uav.zh"));
  assert_string_equal(rule_hit(&r, "flight_controller.zh")->matched, "飞控");
  assert_non_null(rule_hit(&r, "gnss_module.zh"));
  assert_non_null(hit_on(&r, "852691"));
  emb__goods_result_fini(&r);

  check(&r, "85", "无刷电机 2306 穿越机用");
  assert_true(r.too_coarse);
  assert_non_null(rule_hit(&r, "motor.zh"));
  assert_non_null(rule_hit(&r, "fpv.zh"));
  emb__goods_result_fini(&r);

  check(&r, NULL, "DJI无人机GNSS模块");
  assert_non_null(rule_hit(&r, "uav.zh"));
  assert_non_null(rule_hit(&r, "gnss_module.zh"));
  emb__goods_result_fini(&r);

  check(&r, NULL, "纯棉男式T恤");
  assert_int_equal(r.n_rule_hits, 0);
  emb__goods_result_fini(&r);
}

/* ------------------------------------------------------------ bad files */

static void test_rules_bad_file(void **state) {
  (void)state;
  const char *p = write_tmp(1, ".tsv",
                            "# comment\n"
                            "ok.en\tuav\ten\t880730\tdrone*|uav\n"
                            "short.en\tuav\ten\t880730\n"
                            "badhs.en\tuav\ten\t88X730\tdrone\n"
                            "ok.en\tuav\ten\t880730\tquadcopter\n"
                            "empty.en\tuav\ten\t-\tdrone||uav\n"
                            "punct.en\tuav\ten\t-\t!!!\n"
                            "\n"
                            "ok.zh\tuav\tzh\t-\t无人机\n");
  emb_goods_rules *rs = emb__rules_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__rules_load(rs, p, &d), EMB_EFORMAT);
  assert_int_equal(emb__rules_count(rs), 2);
  assert_non_null(emb__rules_find(rs, "ok.en"));
  assert_non_null(emb__rules_find(rs, "ok.zh"));
  assert_int_equal(emb__rules_find(rs, "ok.zh")->line, 9);
  assert_int_equal(d.n_errors, 5);
  const emb_diag *x = diag_at(&d, 3, NULL);
  assert_non_null(x);
  assert_string_equal(x->file, p);
  assert_non_null(strstr(x->message, "5 tab-separated fields"));
  assert_non_null(diag_at(&d, 4, "hs"));
  assert_non_null(diag_at(&d, 5, "id"));
  assert_non_null(diag_at(&d, 6, "patterns"));
  assert_non_null(diag_at(&d, 7, "patterns"));
  emb_diags_fini(&d);
  emb__rules_free(rs);
  unlink(p);

  /* A missing file is an I/O error naming it. */
  rs = emb__rules_new();
  emb_diags_init(&d);
  assert_int_equal(emb__rules_load(rs, "/nonexistent/goods_rules.tsv", &d), EMB_EIO);
  assert_true(d.n_errors >= 1);
  emb_diags_fini(&d);
  emb__rules_free(rs);
}

static void test_controls_bad_file(void **state) {
  (void)state;
  const char *p = write_tmp(2, ".csv",
                            "list,code,tier,description,source\n"
                            "L,880730,1,ok,x\n"
                            "L,88A730,1,bad code,x\n"
                            ",854231,1,no list,x\n"
                            "L,8807.30,1,duplicate,x\n"
                            "L,9,1,one digit,x\n"
                            "L,854231,,no tier is fine,x\n");
  emb_goods *g = emb__goods_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__controls_load(g, p, &d), EMB_EFORMAT);
  assert_int_equal(emb__controls_count(g), 2);
  assert_int_equal(d.n_errors, 3);
  assert_int_equal(d.n_warnings, 1);
  const emb_diag *x = diag_at(&d, 3, "code");
  assert_non_null(x);
  assert_string_equal(x->file, p);
  assert_int_equal(x->column, 2);
  assert_non_null(diag_at(&d, 4, "list"));
  assert_int_equal(diag_at(&d, 5, "code")->severity, EMB_SEV_WARNING);
  assert_non_null(diag_at(&d, 6, "code"));
  emb_diags_fini(&d);

  /* A header without a code column. */
  const char *q = write_tmp(3, ".csv", "list,hs,tier\nL,880730,1\n");
  emb_diags_init(&d);
  assert_int_equal(emb__controls_load(g, q, &d), EMB_EFORMAT);
  assert_non_null(diag_at(&d, 1, "code"));
  emb_diags_fini(&d);

  /* A correlation row with a bad code. */
  const char *c = write_tmp(3, ".csv",
                            "from_version,from_code,to_version,to_code,relation,basis,notes\n"
                            "HS-2017,880330,HS-2022,880730,1:1,test,\n"
                            "HS-2017,88033x,HS-2022,880730,1:1,test,\n");
  emb_diags_init(&d);
  assert_int_equal(emb__goods_load_correlation(g, c, &d), EMB_EFORMAT);
  assert_int_equal(emb__hs_corr_count(emb__goods_correlation(g)), 1);
  assert_non_null(diag_at(&d, 3, "from_code"));
  emb_diags_fini(&d);
  emb__goods_free(g);
  unlink(p);
  unlink(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hs_normalize),
      cmocka_unit_test(test_chpl_tiers),
      cmocka_unit_test(test_chpl_matches_source),
      cmocka_unit_test(test_prefix_rule),
      cmocka_unit_test(test_invalid_and_missing),
      cmocka_unit_test(test_several_lists),
      cmocka_unit_test(test_correlation),
      cmocka_unit_test(test_rules_english),
      cmocka_unit_test(test_rules_russian),
      cmocka_unit_test(test_rules_chinese),
      cmocka_unit_test(test_rules_bad_file),
      cmocka_unit_test(test_controls_bad_file),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
