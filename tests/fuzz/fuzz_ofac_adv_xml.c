/*
 * fuzz_ofac_adv_xml.c - libFuzzer target for the ofac-advanced-xml loader, through emb__load_mem().
 *
 * The input is the file (plain, gzip or zip, as the input layer detects). The loader
 * must return 0 or a negative EMB_E... code, report every error it returns, and leave
 * a set whose entities are all well formed: every string reachable from an entity is
 * NUL-terminated and valid UTF-8, every date formats, and the set's id lookup finds
 * each entity.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "lists/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s) {
  if (s && emb__utf8_check(s, strlen(s)) != strlen(s))
    abort();
}

static void check_strs(const emb_strs *l) {
  for (size_t i = 0; i < l->count; i++) {
    if (!l->items[i])
      abort();
    check_str(l->items[i]);
  }
}

static void check_entity(const emb_entity_set *set, const emb_entity *e) {
  char buf[32];
  if (!e->id || emb_set_find(set, e->id) != e)
    abort();
  for (size_t i = 0; i < e->n_names; i++) {
    const emb_name *n = &e->names[i];
    if (!n->full || !*n->full)
      abort();
    check_str(n->full);
    check_str(n->given);
    check_str(n->family);
    check_str(n->middle);
  }
  for (size_t i = 0; i < e->n_birth_dates; i++)
    emb_date_format(&e->birth_dates[i], buf, sizeof(buf));
  emb_date_format(&e->listed_on, buf, sizeof(buf));
  for (size_t i = 0; i < e->n_countries; i++)
    check_str(e->countries[i].raw);
  for (size_t i = 0; i < e->n_ids; i++) {
    check_str(e->ids[i].type);
    check_str(e->ids[i].value);
    check_str(e->ids[i].note);
  }
  for (size_t i = 0; i < e->n_addresses; i++)
    check_str(e->addresses[i].full);
  check_strs(&e->lists);
  check_strs(&e->programs);
  check_strs(&e->birth_places);
  check_strs(&e->remarks);
  check_strs(&e->titles);
  check_strs(&e->linked_to);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  emb_entity_set *set = emb_set_new();
  if (!set)
    return 0;
  emb_diags diags;
  emb_diags_init(&diags);
  int rc = emb__load_mem(set, "ofac-advanced-xml", data, size, "fuzz.xml", &diags);
  if (rc > 0 || (rc && diags.n_errors == 0))
    abort();
  for (size_t i = 0; i < emb_set_count(set); i++)
    check_entity(set, emb_set_get(set, i));
  emb_diags_fini(&diags);
  emb_set_free(set);
  return 0;
}
