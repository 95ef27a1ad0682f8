/*
 * arena.h - a bump allocator for memory built once and freed all at once.
 *
 * The arena owns every block it hands out; emb__arena_fini() frees them all.
 * Allocation never moves earlier blocks, so pointers stay valid until fini.
 */
#ifndef EMB_CORE_ARENA_H
#define EMB_CORE_ARENA_H

#include <stddef.h>

typedef struct emb_arena_block emb_arena_block;

typedef struct emb_arena {
  emb_arena_block *head; /* current block; older blocks chain behind it */
  size_t block_size;     /* default size of new blocks */
  size_t total;          /* bytes reserved in all blocks */
} emb_arena;

void emb__arena_init(emb_arena *a, size_t block_size);
void emb__arena_fini(emb_arena *a);
/* Forgets every allocation but keeps the newest block for reuse (per-query scratch). */
void emb__arena_reset(emb_arena *a);
/* Returns `size` bytes aligned for any type, or NULL when out of memory. */
void *emb__arena_alloc(emb_arena *a, size_t size);
/* Copies `len` bytes and appends a NUL; returns NULL when out of memory. */
char *emb__arena_strndup(emb_arena *a, const char *s, size_t len);
char *emb__arena_strdup(emb_arena *a, const char *s);

#endif
