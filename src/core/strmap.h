/*
 * strmap.h - a hash map from strings to size_t values (open addressing).
 *
 * The map copies nothing: keys must outlive the map (they usually live in an arena).
 */
#ifndef EMB_CORE_STRMAP_H
#define EMB_CORE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct emb_strmap_slot {
  const char *key; /* NULL when empty */
  size_t len;
  uint64_t hash;
  size_t value;
} emb_strmap_slot;

typedef struct emb_strmap {
  emb_strmap_slot *slots;
  size_t cap; /* a power of two, or 0 */
  size_t count;
} emb_strmap;

void emb__strmap_init(emb_strmap *m);
void emb__strmap_fini(emb_strmap *m);
/* Looks up key[0..len); returns true and sets *value when found. */
bool emb__strmap_get(const emb_strmap *m, const char *key, size_t len, size_t *value);
/* Inserts or replaces; returns 0 or EMB_ENOMEM. */
int emb__strmap_put(emb_strmap *m, const char *key, size_t len, size_t value);
uint64_t emb__hash_bytes(const void *p, size_t n);

#endif
