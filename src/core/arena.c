/*
 * arena.c - bump allocator; see arena.h.
 */
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct emb_arena_block {
  emb_arena_block *prev;
  size_t size; /* usable bytes in data */
  size_t used;
  max_align_t data[]; /* aligned storage follows */
};

#define ALIGN (_Alignof(max_align_t))

void emb__arena_init(emb_arena *a, size_t block_size) {
  a->head = NULL;
  a->block_size = block_size ? block_size : 64 * 1024;
  a->total = 0;
}

void emb__arena_fini(emb_arena *a) {
  emb_arena_block *b = a->head;
  while (b) {
    emb_arena_block *prev = b->prev;
    free(b);
    b = prev;
  }
  a->head = NULL;
  a->total = 0;
}

void emb__arena_reset(emb_arena *a) {
  emb_arena_block *b = a->head;
  if (!b)
    return;
  emb_arena_block *prev = b->prev;
  while (prev) {
    emb_arena_block *p = prev->prev;
    free(prev);
    prev = p;
  }
  b->prev = NULL;
  b->used = 0;
  a->total = b->size;
}

void *emb__arena_alloc(emb_arena *a, size_t size) {
  size_t need = (size + ALIGN - 1) & ~(ALIGN - 1);
  if (need < size)
    return NULL;
  emb_arena_block *b = a->head;
  if (!b || b->size - b->used < need) {
    size_t bs = need > a->block_size / 4 ? need : a->block_size;
    b = malloc(sizeof(*b) + bs);
    if (!b)
      return NULL;
    b->size = bs;
    b->used = 0;
    a->total += bs;
    if (bs == need && a->head) {
      /* A large one-off block goes behind the current one so the current keeps filling. */
      b->prev = a->head->prev;
      a->head->prev = b;
    } else {
      b->prev = a->head;
      a->head = b;
    }
  }
  void *p = (char *)b->data + b->used;
  b->used += need;
  return p;
}

char *emb__arena_strndup(emb_arena *a, const char *s, size_t len) {
  char *p = emb__arena_alloc(a, len + 1);
  if (!p)
    return NULL;
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *emb__arena_strdup(emb_arena *a, const char *s) {
  return emb__arena_strndup(a, s, strlen(s));
}
