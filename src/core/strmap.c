/*
 * strmap.c - open-addressing string map with linear probing; see strmap.h.
 */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "embargo.h"

uint64_t emb__hash_bytes(const void *p, size_t n) {
  /* FNV-1a, 64 bit: simple and good enough for identifiers and names. */
  const unsigned char *s = p;
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 1099511628211ULL;
  }
  return h;
}

void emb__strmap_init(emb_strmap *m) {
  memset(m, 0, sizeof(*m));
}

void emb__strmap_fini(emb_strmap *m) {
  free(m->slots);
  memset(m, 0, sizeof(*m));
}

static emb_strmap_slot *find(emb_strmap_slot *slots, size_t cap, const char *key, size_t len,
                             uint64_t h) {
  size_t i = (size_t)h & (cap - 1);
  for (;;) {
    emb_strmap_slot *s = &slots[i];
    if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
      return s;
    i = (i + 1) & (cap - 1);
  }
}

bool emb__strmap_get(const emb_strmap *m, const char *key, size_t len, size_t *value) {
  if (!m->cap)
    return false;
  emb_strmap_slot *s = find(m->slots, m->cap, key, len, emb__hash_bytes(key, len));
  if (!s->key)
    return false;
  if (value)
    *value = s->value;
  return true;
}

static int rehash(emb_strmap *m, size_t cap) {
  emb_strmap_slot *slots = calloc(cap, sizeof(*slots));
  if (!slots)
    return EMB_ENOMEM;
  for (size_t i = 0; i < m->cap; i++) {
    emb_strmap_slot *o = &m->slots[i];
    if (o->key)
      *find(slots, cap, o->key, o->len, o->hash) = *o;
  }
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

int emb__strmap_put(emb_strmap *m, const char *key, size_t len, size_t value) {
  if ((m->count + 1) * 4 >= m->cap * 3) {
    int rc = rehash(m, m->cap ? m->cap * 2 : 64);
    if (rc)
      return rc;
  }
  uint64_t h = emb__hash_bytes(key, len);
  emb_strmap_slot *s = find(m->slots, m->cap, key, len, h);
  if (!s->key) {
    s->key = key;
    s->len = len;
    s->hash = h;
    m->count++;
  }
  s->value = value;
  return 0;
}
