/*
 * test_core.c - arena, capped buffer, string map, diagnostics, entity set builders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/strmap.h"
#include "lists/entity.h"

static void test_arena(void **state) {
  (void)state;
  emb_arena a;
  emb__arena_init(&a, 128);
  char *s = emb__arena_strdup(&a, "hello");
  assert_string_equal(s, "hello");
  /* A large allocation does not disturb the small ones that follow. */
  char *big = emb__arena_alloc(&a, 10000);
  assert_non_null(big);
  memset(big, 'x', 10000);
  char *t = emb__arena_strndup(&a, "worldwide", 5);
  assert_string_equal(t, "world");
  assert_string_equal(s, "hello");
  assert_int_equal((uintptr_t)t % _Alignof(max_align_t), 0);
  emb__arena_fini(&a);
}

static void test_buf_cap(void **state) {
  (void)state;
  emb_buf b;
  emb__buf_init(&b, 10);
  assert_int_equal(emb__buf_puts(&b, "0123456789"), 0);
  assert_int_equal(emb__buf_putc(&b, 'x'), EMB_ETOOBIG);
  assert_string_equal(emb__buf_str(&b), "0123456789");
  emb__buf_reset(&b);
  assert_int_equal(emb__buf_printf(&b, "%d-%s", 42, "ok"), 0);
  assert_string_equal(emb__buf_str(&b), "42-ok");
  emb__buf_fini(&b);
}

static void test_strmap(void **state) {
  (void)state;
  emb_strmap m;
  emb__strmap_init(&m);
  char keys[3000][16];
  for (int i = 0; i < 3000; i++) {
    snprintf(keys[i], sizeof(keys[i]), "k%d", i);
    assert_int_equal(emb__strmap_put(&m, keys[i], strlen(keys[i]), (size_t)i * 2), 0);
  }
  size_t v = 0;
  assert_true(emb__strmap_get(&m, "k2999", 5, &v));
  assert_int_equal(v, 5998);
  assert_false(emb__strmap_get(&m, "k3000", 5, &v));
  assert_int_equal(m.count, 3000);
  emb__strmap_put(&m, keys[7], strlen(keys[7]), 1);
  assert_true(emb__strmap_get(&m, "k7", 2, &v));
  assert_int_equal(v, 1);
  assert_int_equal(m.count, 3000);
  emb__strmap_fini(&m);
}

static void test_diag(void **state) {
  (void)state;
  emb_diags d;
  emb_diags_init(&d);
  d.max_kept = 2;
  emb__error(&d, EMB_EFORMAT, "a.csv", 12, 3, "name", "bad %s", "thing");
  emb__warn(&d, EMB_EENCODING, "a.csv", 13, 0, NULL, "odd");
  emb__warn(&d, EMB_EENCODING, "a.csv", 14, 0, NULL, "dropped");
  assert_int_equal(d.count, 2);
  assert_int_equal(d.n_errors, 1);
  assert_int_equal(d.n_warnings, 2);
  assert_int_equal(d.n_dropped, 1);
  char line[256];
  emb_diag_format(&d.items[0], line, sizeof(line));
  assert_string_equal(line, "a.csv:12:3: error: field 'name': bad thing");
  emb_diag_format(&d.items[1], line, sizeof(line));
  assert_string_equal(line, "a.csv:13: warning: odd");
  emb_diags_fini(&d);
  emb__error(NULL, EMB_EFORMAT, "x", 1, 1, NULL, "no diags is fine");
}

static void test_entity_merge(void **state) {
  (void)state;
  emb_entity_set *s = emb_set_new();
  bool created = false;
  emb_entity *e = emb__set_upsert(s, "ofac:1", &created);
  assert_true(created);
  e->schema = EMB_SCHEMA_PERSON;
  assert_int_equal(emb__entity_add_name_simple(s, e, "IVANOV, Ivan", EMB_NAME_PRIMARY, EMB_STRONG), 0);
  emb__entity_add_name_simple(s, e, "Иван Иванов", EMB_NAME_ALIAS, EMB_WEAK);
  emb__entity_add_str(s, &e->lists, "SDN");
  /* Merging the same entity from a second list adds only what is new. */
  e = emb__set_upsert(s, "ofac:1", &created);
  assert_false(created);
  emb__entity_add_name_simple(s, e, "IVANOV, Ivan", EMB_NAME_ALIAS, EMB_WEAK);
  emb__entity_add_str(s, &e->lists, "Non-SDN");
  emb__entity_add_str(s, &e->lists, "SDN");
  assert_int_equal(emb_set_count(s), 1);
  assert_int_equal(e->n_names, 2);
  assert_int_equal(e->names[0].kind, EMB_NAME_PRIMARY);
  assert_int_equal(e->names[0].strength, EMB_STRONG);
  assert_string_equal(e->names[1].script, "Cyrl");
  assert_int_equal(e->lists.count, 2);
  emb__entity_add_country(s, e, "Russian Federation", EMB_COUNTRY_NATIONALITY);
  emb__entity_add_country(s, e, "RUS", EMB_COUNTRY_NATIONALITY);
  assert_int_equal(e->n_countries, 1);
  assert_string_equal(e->countries[0].code, "RU");
  emb__entity_add_id(s, e, "passport", "A123", "Russia", NULL);
  assert_string_equal(e->ids[0].country, "RU");
  assert_ptr_equal(emb_set_find(s, "ofac:1"), e);
  assert_null(emb_set_find(s, "ofac:2"));
  /* Dropping the last entity removes it from the id map too. */
  emb__set_upsert(s, "ofac:2", &created);
  emb__set_drop_last(s);
  assert_null(emb_set_find(s, "ofac:2"));
  assert_int_equal(emb_set_count(s), 1);
  emb_set_free(s);
  emb_set_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_arena),  cmocka_unit_test(test_buf_cap),
      cmocka_unit_test(test_strmap), cmocka_unit_test(test_diag),
      cmocka_unit_test(test_entity_merge),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
