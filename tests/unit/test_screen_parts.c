/*
 * test_screen_parts.c - the pieces of trade screening that the driver owns: the
 * identifier index, the party table (with a real matcher over a small FtM list) and
 * alerts (ids, JSON, CSV).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "embargo.h"
#include "lists/loader.h"
#include "screen/alert.h"
#include "screen/idindex.h"
#include "screen/party.h"

static const char LIST[] =
    "{\"id\":\"c-volga\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Volga Avia "
    "Components LLC\"],\"innCode\":[\"7701234567\"],\"registrationNumber\":[\"12-34\"],"
    "\"country\":[\"ru\"]}}\n"
    "{\"id\":\"c-volga-2\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Volga Avia "
    "Components Trading\"],\"innCode\":[\"7701-234-567\"]}}\n"
    "{\"id\":\"v-badr\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"BADR\"],"
    "\"imoNumber\":[\"8407345\"]}}\n"
    "{\"id\":\"c-badr\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Badr\"]}}\n";

typedef struct world {
  emb_entity_set *set;
  emb_matcher *m;
  emb_idindex *ids;
} world;

static int setup(void **state) {
  static world w;
  w.set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb__load_mem(w.set, "ftm", LIST, sizeof(LIST) - 1, "t.ftm.json", &d), 0);
  emb_diags_fini(&d);
  emb_matcher_opts o = emb_matcher_opts_default();
  assert_int_equal(emb_matcher_new(w.set, &o, &w.m), 0);
  assert_int_equal(emb__idindex_new(w.set, &w.ids), 0);
  *state = &w;
  return 0;
}

static int teardown(void **state) {
  world *w = *state;
  emb__idindex_free(w->ids);
  emb_matcher_free(w->m);
  emb_set_free(w->set);
  return 0;
}

static void test_id_canon(void **state) {
  (void)state;
  char out[EMB_IDINDEX_MAX_LEN + 1];
  assert_int_equal(emb__id_canon("inn 7701-234 567", 16, out), 13);
  assert_string_equal(out, "INN7701234567");
  char longer[100];
  memset(longer, '7', sizeof(longer));
  assert_int_equal(emb__id_canon(longer, sizeof(longer), out), 0); /* too long: none */
}

static void test_idindex(void **state) {
  world *w = *state;
  emb_id_hit hits[4];
  /* Both companies carry 7701234567 written differently; set order, once each. */
  assert_int_equal(emb__idindex_find(w->ids, "7701234567", 10, hits, 4), 2);
  assert_string_equal(hits[0].entity->id, "c-volga");
  assert_string_equal(hits[1].entity->id, "c-volga-2");
  /* A label before the number is dropped on a second try. */
  assert_int_equal(emb__idindex_find(w->ids, "INN: 7701234567", 15, hits, 4), 2);
  assert_int_equal(emb__idindex_find(w->ids, "IMO 8407345", 11, hits, 4), 1);
  assert_string_equal(hits[0].entity->id, "v-badr");
  /* Short numbers are not indexed: "12-34" would collide by chance. */
  assert_int_equal(emb__idindex_find(w->ids, "1234", 4, hits, 4), 0);
  assert_int_equal(emb__idindex_find(w->ids, "7701234568", 10, hits, 4), 0);
}

static void test_parties(void **state) {
  world *w = *state;
  emb_parties *p = emb__parties_new();
  assert_non_null(p);
  size_t a, b, c, d, e, f;
  assert_int_equal(
      emb__parties_add(p, EMB_SCHEMA_UNKNOWN, " Volga  Avia Components LLC", 27, "RU", "", 0, &a),
      0);
  /* Case and spacing do not make a new party; another country or identifier does. */
  assert_int_equal(
      emb__parties_add(p, EMB_SCHEMA_UNKNOWN, "VOLGA AVIA COMPONENTS LLC ", 26, "RU", NULL, 0, &b),
      0);
  assert_int_equal(a, b);
  assert_int_equal(
      emb__parties_add(p, EMB_SCHEMA_UNKNOWN, "Volga Avia Components LLC", 25, "KZ", "", 0, &c), 0);
  assert_int_not_equal(a, c);
  assert_int_equal(
      emb__parties_add(p, EMB_SCHEMA_UNKNOWN, "Okhotnik Trading", 16, "", "INN 7701234567", 14, &d),
      0);
  assert_int_equal(emb__parties_add(p, EMB_SCHEMA_VESSEL, "BADR", 4, "", "", 0, &e), 0);
  assert_int_equal(emb__parties_add(p, EMB_SCHEMA_UNKNOWN, "Badr", 4, "", "", 0, &f), 0);
  assert_int_not_equal(e, f);
  assert_int_equal(emb__parties_add(p, EMB_SCHEMA_UNKNOWN, "  ", 2, "", "", 0, &f), EMB_ENOTFOUND);
  assert_int_equal(emb__parties_count(p), 6 - 1);
  assert_int_equal(emb__parties_screen(p, w->m, w->ids, 2, NULL, NULL), 0);
  emb_buf scratch;
  emb__buf_init(&scratch, 0);

  const emb_party *x = emb__parties_find(p, &scratch, EMB_SCHEMA_UNKNOWN,
                                         "volga avia components llc", 25, "RU", "", 0);
  assert_non_null(x);
  assert_true(x->n_matches >= 1);
  assert_string_equal(x->matches[0].entity->id, "c-volga");
  assert_true(x->matches[0].by_name);
  assert_non_null(x->matches[0].explanation);

  /* A different name with a listed INN: found by identifier, name score still given. */
  x = emb__parties_find(p, &scratch, EMB_SCHEMA_UNKNOWN, "Okhotnik Trading", 16, "",
                        "INN 7701234567", 14);
  assert_non_null(x);
  assert_int_equal(x->n_matches, 2);
  for (size_t i = 0; i < 2; i++) {
    assert_non_null(x->matches[i].id);
    assert_false(x->matches[i].by_name);
    assert_true(x->matches[i].score < 0.76);
  }

  /* The vessel field meets the vessel; an exporter named Badr meets the company only. */
  x = emb__parties_find(p, &scratch, EMB_SCHEMA_VESSEL, "BADR", 4, "", "", 0);
  assert_non_null(x);
  assert_true(x->n_matches >= 1);
  for (size_t i = 0; i < x->n_matches; i++)
    assert_int_equal(x->matches[i].entity->schema, EMB_SCHEMA_VESSEL);
  x = emb__parties_find(p, &scratch, EMB_SCHEMA_UNKNOWN, "Badr", 4, "", "", 0);
  assert_non_null(x);
  assert_true(x->n_matches >= 1);
  for (size_t i = 0; i < x->n_matches; i++)
    assert_int_not_equal(x->matches[i].entity->schema, EMB_SCHEMA_VESSEL);

  assert_null(emb__parties_find(p, &scratch, EMB_SCHEMA_UNKNOWN, "Nobody", 6, "", "", 0));
  emb__buf_fini(&scratch);
  emb__parties_free(p);
}

static void test_alert(void **state) {
  world *w = *state;
  emb_parties *p = emb__parties_new();
  size_t i;
  assert_int_equal(emb__parties_add(p, EMB_SCHEMA_UNKNOWN, "Volga Avia Components, \"LLC\"", 28,
                                    "RU", "", 0, &i),
                   0);
  assert_int_equal(emb__parties_screen(p, w->m, w->ids, 1, NULL, NULL), 0);
  const emb_party *x = emb__parties_get(p, i);
  assert_true(x->n_matches >= 1);

  emb_alert a;
  emb__alert_reset(&a, "R-1", 7);
  emb_reason r;
  memset(&r, 0, sizeof(r));
  r.kind = EMB_REASON_ROUTE;
  r.risk = EMB_RISK_MEDIUM;
  r.field = "destination_country";
  r.rule = "HUB-KZ";
  r.type = "hub_destination";
  strcpy(r.country, "KZ");
  strcpy(r.also, "consignee_country,end_user_country");
  strcpy(r.detail, "a hub");
  emb__alert_add(&a, &r);
  assert_true(emb__alert_raised(&a));
  assert_int_equal(a.risk, EMB_RISK_MEDIUM);
  memset(&r, 0, sizeof(r));
  r.kind = EMB_REASON_PARTY;
  r.risk = EMB_RISK_HIGH;
  r.field = "consignee";
  r.party = x;
  r.match = &x->matches[0];
  emb__alert_add(&a, &r);
  assert_int_equal(a.risk, EMB_RISK_HIGH);

  const char *f1[] = {"R-1", "ab"}, *f2[] = {"R-1a", "b"};
  size_t l1[] = {3, 2}, l2[] = {4, 1};
  emb__alert_set_id(&a, f1, l1, 2, "ctx");
  char id1[21];
  strcpy(id1, a.alert_id);
  assert_int_equal(strlen(id1), 20);
  assert_memory_equal(id1, "emb-", 4);
  emb__alert_set_id(&a, f1, l1, 2, "ctx");
  assert_string_equal(a.alert_id, id1); /* stable */
  emb__alert_set_id(&a, f2, l2, 2, "ctx");
  assert_string_not_equal(a.alert_id, id1); /* a byte moved between fields */
  emb__alert_set_id(&a, f1, l1, 2, "other lists");
  assert_string_not_equal(a.alert_id, id1);

  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb__alert_json(&a, &b), 0);
  json_error_t err;
  json_t *j = json_loads(emb__buf_str(&b), 0, &err);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "record_id")), "R-1");
  assert_string_equal(json_string_value(json_object_get(j, "risk")), "high");
  json_t *rs = json_object_get(j, "reasons");
  assert_int_equal(json_array_size(rs), 2);
  json_t *route = json_array_get(rs, 0);
  assert_int_equal(json_array_size(json_object_get(route, "also_fields")), 2);
  json_t *party = json_array_get(rs, 1);
  assert_string_equal(json_string_value(json_object_get(party, "name")),
                      "Volga Avia Components, \"LLC\"");
  assert_string_equal(json_string_value(json_object_get(json_object_get(party, "entity"), "id")),
                      "c-volga");
  assert_true(json_is_object(json_object_get(party, "explanation")));
  json_decref(j);

  emb__buf_reset(&b);
  assert_int_equal(emb__alert_csv(&a, &b), 0);
  /* The party text holds quotes and a comma: the field is quoted, quotes doubled. */
  assert_non_null(strstr(emb__buf_str(&b), "\"consignee \"\"Volga Avia Components, "));
  assert_int_equal(emb__buf_str(&b)[b.len - 1], '\n');
  emb__buf_fini(&b);

  /* Goods alone raise no alert. */
  emb__alert_reset(&a, "R-2", 8);
  memset(&r, 0, sizeof(r));
  r.kind = EMB_REASON_GOODS;
  emb__alert_add(&a, &r);
  assert_false(emb__alert_raised(&a));
  assert_int_equal(a.risk, EMB_RISK_NONE);
  emb__parties_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_id_canon),
      cmocka_unit_test(test_idindex),
      cmocka_unit_test(test_parties),
      cmocka_unit_test(test_alert),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
