/*
 * snapshot.h - the immutable index over all loaded entities that queries run against.
 *
 * Every name of every entity (primary, aliases, variations; non-Latin names through
 * their Latin transliteration) is analysed into tokens once. The snapshot keeps:
 *   - a token dictionary: comparable form -> token id, with its document frequency and
 *     rarity weight, its phonetic key and its name-variant clusters;
 *   - postings: token id -> the name records that contain it;
 *   - neighbourhoods for candidate retrieval despite spelling: every dictionary word's
 *     one-deletion variants (so edit distance up to 2 is found with hash lookups), its
 *     phonetic key and its variant clusters, each as a sorted (key, token id) array;
 *   - an exact-name table: hash of the full token sequence -> name records.
 * Everything lives in one arena owned by the snapshot; it is read-only after build, so
 * any number of threads may query it.
 */
#ifndef EMB_INDEX_SNAPSHOT_H
#define EMB_INDEX_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "embargo.h"
#include "text/analyze.h"

/* 64 bytes, and the array is aligned to 64: one cache line per token. */
typedef struct emb_snap_token {
  const char *text;  /* comparable form */
  const char *phon;  /* phonetic key (stored right after the text) */
  const char *legal; /* for a word that can also be a legal form ("pao"): that form */
  const uint32_t *variants;
  uint16_t len;
  uint8_t kind; /* emb_token_kind */
  uint8_t pad_;
  uint16_t n_variants;
  uint16_t pad2_;
  uint32_t df;           /* number of name records containing the token */
  float weight;          /* rarity weight (see snapshot.c) */
  uint32_t post_off;     /* postings[post_off .. post_off + df) */
  uint32_t letters;      /* emb__letter_mask of the text */
  uint32_t phon_hash;    /* emb__phon_hash of the phonetic key */
  uint32_t variant_bits; /* emb__variant_bits of the variant clusters */
} emb_snap_token;

/* One token occurrence inside a name record. */
typedef struct emb_snap_occ {
  uint32_t tok;   /* token id */
  uint8_t origin; /* emb_token_origin */
  uint8_t kind;   /* emb_token_kind */
} emb_snap_occ;

typedef struct emb_snap_name {
  uint32_t entity;  /* index in the entity set */
  uint32_t name;    /* index in the entity's names */
  uint32_t occ_off; /* occs[occ_off .. occ_off + n_occ) */
  uint8_t n_occ;    /* at most MAX_TOKENS_PER_NAME (32) */
  uint8_t kind;     /* emb_name_kind */
  uint8_t strength; /* emb_strength */
  bool person;      /* the entity is a person (kept here: scoring asks for every candidate) */
  float weight;     /* sum of its tokens' weights (for score bounds) */
} emb_snap_name;

/* A (key, value) pair of the sorted multimaps. */
typedef struct emb_snap_pair {
  uint64_t key;
  uint32_t value;
} emb_snap_pair;

typedef struct emb_snap_multimap {
  emb_snap_pair *pairs; /* sorted by key */
  size_t n;
  uint32_t *start; /* start[b]: first pair whose key's top `bits` bits are >= b */
  unsigned bits;
} emb_snap_multimap;

typedef struct emb_snapshot {
  const emb_entity_set *set;
  emb_arena arena;
  emb_analyzer *analyzer; /* the build's analyzer; contexts clone it */
  emb_snap_token *tokens;
  size_t n_tokens;
  emb_snap_name *names;
  size_t n_names;
  emb_snap_occ *occs;
  size_t n_occs;
  uint32_t *postings; /* name record ids, grouped by token */
  size_t n_postings;
  float unknown_weight;        /* weight of a query word the dictionary does not know */
  emb_snap_multimap by_text;   /* hash(text) -> token id (exact lookup) */
  emb_snap_multimap deletions; /* hash(one-deletion variant or the word) -> token id */
  emb_snap_multimap phonetic;  /* hash(phonetic key) -> token id */
  emb_snap_multimap variants;  /* cluster id -> token id */
  emb_snap_multimap fullname;  /* hash(token sequence) -> name record id */
  double build_seconds;
} emb_snapshot;

/* Builds the snapshot of `set` with analyzer `a` (taken over: freed with the snapshot). */
int emb__snapshot_build(const emb_entity_set *set, emb_analyzer *a, emb_snapshot **out);
void emb__snapshot_free(emb_snapshot *s);

/* The weight of a token of this kind whose rarity weight is `rarity`: stopwords and legal
 * forms count a fraction of it, an initial a fixed small amount. */
float emb__token_weight(uint8_t kind, float rarity);

/* Token id of an exact comparable form, or UINT32_MAX. */
uint32_t emb__snapshot_find(const emb_snapshot *s, const char *text, size_t len);
/* The values stored under `key`: *first points at the first pair, *n how many share the key. */
void emb__multimap_get(const emb_snap_multimap *m, uint64_t key, const emb_snap_pair **first,
                       size_t *n);
/* Ask the processor for the memory a later emb__multimap_get(m, key) reads: first the
 * bucket index, then (once that has arrived) the bucket's pairs. Lookups of many keys done
 * in two such rounds before the gets overlap their cache misses. Hints only. */
void emb__multimap_prefetch_bucket(const emb_snap_multimap *m, uint64_t key);
void emb__multimap_prefetch_pairs(const emb_snap_multimap *m, uint64_t key);
uint64_t emb__snap_hash(const char *s, size_t len);

/*
 * The set of letters of a token as 32 bits (bit byte & 31 for each byte; digits share
 * bits with letters, which only weakens the bound below). For two strings a and b,
 * max(popcount(mask(a) & ~mask(b)), popcount(mask(b) & ~mask(a))) is a lower bound of
 * their edit distance, so the scorer skips edit distances that cannot come within the
 * edits allowed; it never changes a similarity.
 */
uint32_t emb__letter_mask(const char *text, size_t len);

/* A nonzero 32-bit hash of a phonetic key: two keys with different hashes differ, so the
 * scorer compares the strings only when the hashes agree. */
uint32_t emb__phon_hash(const char *phon);

/* A 32-bit summary of a sorted set of variant-cluster ids (one bit per id, by hash), 0
 * for none: two sets whose summaries share no bit share no cluster. */
uint32_t emb__variant_bits(const uint32_t *ids, size_t n);
/* Hash of a token sequence (as used by the full-name table). */
uint64_t emb__snap_hash_seq(const char *const *texts, const uint16_t *lens, size_t n);

#endif
