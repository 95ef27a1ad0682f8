/*
 * fuzz_ofac_csv.c - libFuzzer target for the OFAC legacy CSV loader and its remarks
 * parser.
 *
 * The same bytes are loaded as each file of the set into one entity set: as sdn.csv
 * (main rows and their remarks), then as sdn_comments.csv, add.csv and alt.csv (which
 * attach to the entities the first load made), and once under a name that says
 * nothing, so the loader has to judge the kind from the content. Every string of every
 * entity is then read, so a dangling pointer shows up under ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "embargo.h"
#include "lists/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch_strs(const emb_strs *l) {
  size_t n = 0;
  for (size_t i = 0; i < l->count; i++)
    n += strlen(l->items[i]);
  return n;
}

static size_t touch_entity(const emb_entity *e) {
  size_t n = strlen(e->id) + (e->source ? strlen(e->source) : 0);
  for (size_t i = 0; i < e->n_names; i++) {
    n += strlen(e->names[i].full);
    n += e->names[i].family ? strlen(e->names[i].family) : 0;
    n += e->names[i].given ? strlen(e->names[i].given) : 0;
  }
  for (size_t i = 0; i < e->n_ids; i++)
    n += strlen(e->ids[i].type) + strlen(e->ids[i].value) +
         (e->ids[i].note ? strlen(e->ids[i].note) : 0);
  for (size_t i = 0; i < e->n_countries; i++)
    n += strlen(e->countries[i].raw);
  for (size_t i = 0; i < e->n_addresses; i++)
    n += strlen(e->addresses[i].full);
  n += touch_strs(&e->lists) + touch_strs(&e->programs) + touch_strs(&e->remarks) +
       touch_strs(&e->linked_to) + touch_strs(&e->titles) + touch_strs(&e->birth_places);
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"sdn.csv", "sdn_comments.csv", "add.csv",
                                      "alt.csv", "cons_prim.csv",    "input.csv"};
  emb_entity_set *set = emb_set_new();
  if (!set)
    return 0;
  emb_diags diags;
  emb_diags_init(&diags);
  diags.max_kept = 64;
  (void)emb__sniff_ofac_csv(data, size, "sdn.csv");
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    (void)emb__load_mem(set, "ofac-csv", data, size, names[i], &diags);
  volatile size_t sink = 0;
  for (size_t i = 0; i < emb_set_count(set); i++)
    sink += touch_entity(emb_set_get(set, i));
  (void)sink;
  emb_diags_fini(&diags);
  emb_set_free(set);
  return 0;
}
