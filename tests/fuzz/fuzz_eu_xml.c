/*
 * fuzz_eu_xml.c - libFuzzer target for the EU XML loader (load_eu_xml.c): any bytes
 * loaded as "eu-xml" from memory must not crash, leak, hang or read out of bounds,
 * and what was loaded must be readable. The sniffer sees the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "embargo.h"
#include "lists/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink; /* keeps the reads below from being optimised away */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)emb__sniff_eu_xml(data, size < 65536 ? size : 65536, "x.xml");
  emb_entity_set *set = emb_set_new();
  if (!set)
    return 0;
  emb_diags diags;
  emb_diags_init(&diags);
  (void)emb__load_mem(set, "eu-xml", data, size, "x.xml", &diags);
  /* Touch every string so a dangling pointer shows up under ASan. */
  size_t sum = 0;
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    sum += strlen(e->id);
    for (size_t j = 0; j < e->n_names; j++) {
      const emb_name *n = &e->names[j];
      sum += strlen(n->full) + strlen(n->script);
      sum += n->given ? strlen(n->given) : 0;
      sum += n->middle ? strlen(n->middle) : 0;
      sum += n->family ? strlen(n->family) : 0;
      sum += n->lang ? strlen(n->lang) : 0;
    }
    for (size_t j = 0; j < e->n_ids; j++)
      sum += strlen(e->ids[j].value) + strlen(e->ids[j].type);
    for (size_t j = 0; j < e->n_addresses; j++)
      sum += strlen(e->addresses[j].full);
    for (size_t j = 0; j < e->remarks.count; j++)
      sum += strlen(e->remarks.items[j]);
  }
  const emb_source *src = emb_set_source(set, 0);
  if (src && src->published)
    sum += strlen(src->published);
  for (size_t i = 0; i < diags.count; i++)
    sum += strlen(diags.items[i].message);
  emb_diags_fini(&diags);
  emb_set_free(set);
  sink = sum;
  return 0;
}
