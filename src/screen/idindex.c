/*
 * idindex.c - listed entities by identifier (see idindex.h).
 *
 * The index is one sorted array of (canonical value, entity, identifier) entries; a
 * lookup is a binary search. Entries for the same value sit next to each other.
 */
#include "screen/idindex.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

typedef struct id_entry {
  const char *canon;
  size_t index; /* entity position in the set, for a stable order */
  const emb_entity *entity;
  const emb_identifier *id;
} id_entry;

struct emb_idindex {
  id_entry *entries;
  size_t count;
  emb_arena arena;
};

size_t emb__id_canon(const char *value, size_t len, char out[EMB_IDINDEX_MAX_LEN + 1]) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)value[i];
    if (c >= 'a' && c <= 'z')
      c = (unsigned char)(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      if (n == EMB_IDINDEX_MAX_LEN)
        return out[0] = '\0', 0;
      out[n++] = (char)c;
    }
  }
  out[n] = '\0';
  return n;
}

static int entry_cmp(const void *a, const void *b) {
  const id_entry *x = a, *y = b;
  int c = strcmp(x->canon, y->canon);
  if (c)
    return c;
  return (x->index > y->index) - (x->index < y->index);
}

int emb__idindex_new(const emb_entity_set *set, emb_idindex **out) {
  *out = NULL;
  emb_idindex *x = calloc(1, sizeof(*x));
  if (!x)
    return EMB_ENOMEM;
  emb__arena_init(&x->arena, 1 << 16);
  size_t total = 0, n = emb_set_count(set);
  for (size_t i = 0; i < n; i++)
    total += emb_set_get(set, i)->n_ids;
  x->entries = malloc((total ? total : 1) * sizeof(*x->entries));
  if (!x->entries)
    goto nomem;
  for (size_t i = 0; i < n; i++) {
    const emb_entity *e = emb_set_get(set, i);
    for (size_t k = 0; k < e->n_ids; k++) {
      char canon[EMB_IDINDEX_MAX_LEN + 1];
      const char *v = e->ids[k].value ? e->ids[k].value : "";
      size_t len = emb__id_canon(v, strlen(v), canon);
      if (len < EMB_IDINDEX_MIN_LEN)
        continue;
      char *copy = emb__arena_strndup(&x->arena, canon, len);
      if (!copy)
        goto nomem;
      x->entries[x->count++] = (id_entry){copy, i, e, &e->ids[k]};
    }
  }
  qsort(x->entries, x->count, sizeof(*x->entries), entry_cmp);
  *out = x;
  return 0;
nomem:
  emb__idindex_free(x);
  return EMB_ENOMEM;
}

void emb__idindex_free(emb_idindex *x) {
  if (!x)
    return;
  free(x->entries);
  emb__arena_fini(&x->arena);
  free(x);
}

/* The first entry whose value is not less than canon. */
static size_t lower_bound(const emb_idindex *x, const char *canon) {
  size_t lo = 0, hi = x->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(x->entries[mid].canon, canon) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static size_t find_canon(const emb_idindex *x, const char *canon, emb_id_hit *out, size_t max) {
  size_t n = 0;
  const emb_entity *last = NULL;
  for (size_t i = lower_bound(x, canon); i < x->count && !strcmp(x->entries[i].canon, canon); i++) {
    if (x->entries[i].entity == last)
      continue; /* one hit per entity, its first identifier with this value */
    last = x->entries[i].entity;
    if (n < max)
      out[n] = (emb_id_hit){x->entries[i].entity, x->entries[i].id};
    n++;
  }
  return n;
}

size_t emb__idindex_find(const emb_idindex *x, const char *value, size_t len, emb_id_hit *out,
                         size_t max) {
  char canon[EMB_IDINDEX_MAX_LEN + 1];
  size_t n = emb__id_canon(value, len, canon);
  if (!x || n < EMB_IDINDEX_MIN_LEN)
    return 0;
  size_t found = find_canon(x, canon, out, max);
  if (found)
    return found;
  /* "INN 7701234567", "IMO9187629": try again without a leading label of letters. */
  size_t skip = 0;
  while (skip < n && canon[skip] >= 'A' && canon[skip] <= 'Z')
    skip++;
  if (skip == 0 || skip > 5 || n - skip < EMB_IDINDEX_MIN_LEN)
    return 0;
  return find_canon(x, canon + skip, out, max);
}
