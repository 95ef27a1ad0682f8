/*
 * snapshot.c - building the immutable name index; see snapshot.h.
 *
 * Rarity weight of a token: w = ln((N + 1) / (df + 0.5)), N the number of name records,
 * so that a match on "Bingo" (rare) counts for more than one on "Technology". Stopwords
 * and legal forms are down-weighted (a fixed fraction), initials count a little.
 */
#include "index/snapshot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/strmap.h"

#define MAX_TOKENS_PER_NAME 32
#define STOP_FACTOR 0.15f
#define LEGAL_FACTOR 0.35f
#define INITIAL_WEIGHT 0.8f

_Static_assert(sizeof(emb_snap_token) == 64, "a token fills one cache line");

uint64_t emb__snap_hash(const char *s, size_t len) {
  return emb__hash_bytes(s, len);
}

uint32_t emb__letter_mask(const char *text, size_t len) {
  uint32_t m = 0;
  for (size_t i = 0; i < len; i++)
    m |= (uint32_t)1 << ((unsigned char)text[i] & 31u);
  return m;
}

uint32_t emb__phon_hash(const char *phon) {
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)phon; *p; p++)
    h = (h ^ *p) * 16777619u;
  return h ? h : 1;
}

uint32_t emb__variant_bits(const uint32_t *ids, size_t n) {
  uint32_t m = 0;
  for (size_t i = 0; i < n; i++)
    m |= (uint32_t)1 << ((ids[i] * 0x9E3779B1u) >> 27);
  return m;
}

uint64_t emb__snap_hash_seq(const char *const *texts, const uint16_t *lens, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    const unsigned char *p = (const unsigned char *)texts[i];
    for (size_t k = 0; k < lens[i]; k++) {
      h ^= p[k];
      h *= 1099511628211ULL;
    }
    h ^= 0x1F; /* separator */
    h *= 1099511628211ULL;
  }
  return h;
}

static int cmp_pair(const void *a, const void *b) {
  const emb_snap_pair *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->value > y->value) - (x->value < y->value);
}

void emb__multimap_get(const emb_snap_multimap *m, uint64_t key, const emb_snap_pair **first,
                       size_t *n) {
  /* The bucket of the key's top bits bounds the search to a few pairs. */
  size_t lo = 0, hi = m->n;
  if (m->start) {
    uint64_t b = m->bits ? key >> (64 - m->bits) : 0;
    lo = m->start[b];
    hi = m->start[b + 1];
  }
  while (lo < hi && m->pairs[lo].key < key)
    lo++;
  size_t end = lo;
  while (end < hi && m->pairs[end].key == key)
    end++;
  *first = m->pairs + lo;
  *n = end - lo;
}

static size_t bucket_of(const emb_snap_multimap *m, uint64_t key) {
  return m->bits ? (size_t)(key >> (64 - m->bits)) : 0;
}

void emb__multimap_prefetch_bucket(const emb_snap_multimap *m, uint64_t key) {
  if (m->start)
    __builtin_prefetch(&m->start[bucket_of(m, key)]);
}

void emb__multimap_prefetch_pairs(const emb_snap_multimap *m, uint64_t key) {
  if (m->start && m->n)
    __builtin_prefetch(&m->pairs[m->start[bucket_of(m, key)]]);
}

uint32_t emb__snapshot_find(const emb_snapshot *s, const char *text, size_t len) {
  const emb_snap_pair *p;
  size_t n;
  emb__multimap_get(&s->by_text, emb__snap_hash(text, len), &p, &n);
  for (size_t i = 0; i < n; i++) {
    const emb_snap_token *t = &s->tokens[p[i].value];
    if (t->len == len && memcmp(t->text, text, len) == 0)
      return p[i].value;
  }
  return UINT32_MAX;
}

/* Growable array of pairs used while building. */
typedef struct pairvec {
  emb_snap_pair *v;
  size_t n, cap;
} pairvec;

static int pv_push(pairvec *pv, uint64_t key, uint32_t value) {
  if (pv->n == pv->cap) {
    size_t c = pv->cap ? pv->cap * 2 : 1024;
    emb_snap_pair *p = realloc(pv->v, c * sizeof(*p));
    if (!p)
      return EMB_ENOMEM;
    pv->v = p;
    pv->cap = c;
  }
  pv->v[pv->n++] = (emb_snap_pair){key, value};
  return 0;
}

static int pv_finish(pairvec *pv, emb_snap_multimap *m) {
  if (pv->n > 1)
    qsort(pv->v, pv->n, sizeof(emb_snap_pair), cmp_pair);
  m->pairs = pv->v;
  m->n = pv->n;
  pv->v = NULL;
  /* About two pairs per bucket; keys are hashes, so buckets fill evenly. */
  unsigned bits = 1;
  while (bits < 30 && ((size_t)1 << bits) < m->n / 2)
    bits++;
  size_t nb = (size_t)1 << bits;
  m->start = malloc((nb + 1) * sizeof(uint32_t));
  if (!m->start)
    return EMB_ENOMEM;
  m->bits = bits;
  size_t i = 0;
  for (size_t b = 0; b <= nb; b++) {
    while (i < m->n && (m->pairs[i].key >> (64 - bits)) < b)
      i++;
    m->start[b] = (uint32_t)i;
  }
  return 0;
}

/* Build-time state. */
typedef struct builder {
  emb_snapshot *s;
  emb_strmap dict; /* text -> token id */
  size_t cap_tokens, cap_names, cap_occs;
  uint32_t *last_name; /* per token: last name record that counted it in df */
  size_t cap_last;
} builder;

#define GROW(ptr, n, cap)                                                                          \
  do {                                                                                             \
    if ((n) == (cap)) {                                                                            \
      size_t c_ = (cap) ? (cap)*2 : 4096;                                                          \
      void *p_ = realloc((ptr), c_ * sizeof(*(ptr)));                                              \
      if (!p_)                                                                                     \
        return EMB_ENOMEM;                                                                         \
      (ptr) = p_;                                                                                  \
      (cap) = c_;                                                                                  \
    }                                                                                              \
  } while (0)

/* Returns the id of a token, adding it to the dictionary when new. */
static int intern(builder *b, const emb_token *t, uint32_t *id) {
  emb_snapshot *s = b->s;
  size_t v;
  if (emb__strmap_get(&b->dict, t->text, t->len, &v)) {
    *id = (uint32_t)v;
    return 0;
  }
  GROW(s->tokens, s->n_tokens, b->cap_tokens);
  GROW(b->last_name, s->n_tokens, b->cap_last);
  emb_snap_token *x = &s->tokens[s->n_tokens];
  memset(x, 0, sizeof(*x));
  x->text = emb__arena_strndup(&s->arena, t->text, t->len);
  x->len = t->len;
  x->kind = t->kind;
  x->letters = emb__letter_mask(t->text, t->len);
  x->variant_bits = emb__variant_bits(t->variants, t->n_variants);
  x->phon = emb__arena_strdup(&s->arena, t->phon ? t->phon : "");
  x->legal = t->kind == EMB_TK_WORD ? emb_legal_form_of(s->analyzer, t->text, t->len) : NULL;
  if (t->n_variants) {
    uint32_t *vv = emb__arena_alloc(&s->arena, t->n_variants * sizeof(uint32_t));
    if (!vv)
      return EMB_ENOMEM;
    memcpy(vv, t->variants, t->n_variants * sizeof(uint32_t));
    x->variants = vv;
    x->n_variants = t->n_variants;
  }
  if (x->phon)
    x->phon_hash = emb__phon_hash(x->phon);
  if (!x->text || !x->phon || emb__strmap_put(&b->dict, x->text, x->len, s->n_tokens))
    return EMB_ENOMEM;
  b->last_name[s->n_tokens] = UINT32_MAX;
  *id = (uint32_t)s->n_tokens++;
  return 0;
}

static int add_name(builder *b, emb_arena *scratch, uint32_t ei, uint32_t ni, const emb_entity *e) {
  emb_snapshot *s = b->s;
  const emb_name *nm = &e->names[ni];
  emb_token *toks = NULL;
  size_t n = 0;
  int rc = emb_analyze_name(s->analyzer, nm->full, strlen(nm->full), e->schema, scratch, &toks, &n);
  if (rc)
    return rc;
  if (n == 0)
    return 0;
  if (n > MAX_TOKENS_PER_NAME)
    n = MAX_TOKENS_PER_NAME;
  GROW(s->names, s->n_names, b->cap_names);
  uint32_t name_id = (uint32_t)s->n_names;
  emb_snap_name *r = &s->names[s->n_names++];
  r->entity = ei;
  r->name = ni;
  r->occ_off = (uint32_t)s->n_occs;
  r->n_occ = (uint8_t)n;
  r->kind = (uint8_t)nm->kind;
  r->person = e->schema == EMB_SCHEMA_PERSON;
  r->strength = (uint8_t)nm->strength;
  for (size_t i = 0; i < n; i++) {
    uint32_t id;
    rc = intern(b, &toks[i], &id);
    if (rc)
      return rc;
    GROW(s->occs, s->n_occs, b->cap_occs);
    s->occs[s->n_occs++] = (emb_snap_occ){id, toks[i].origin, toks[i].kind};
    if (b->last_name[id] != name_id) {
      b->last_name[id] = name_id;
      s->tokens[id].df++;
    }
  }
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Postings by counting sort: each token's name records, in name order. */
static int build_postings(emb_snapshot *s) {
  size_t total = 0;
  for (size_t t = 0; t < s->n_tokens; t++) {
    s->tokens[t].post_off = (uint32_t)total;
    total += s->tokens[t].df;
  }
  s->postings = malloc((total ? total : 1) * sizeof(uint32_t));
  uint32_t *fill = calloc(s->n_tokens ? s->n_tokens : 1, sizeof(uint32_t));
  if (!s->postings || !fill) {
    free(fill);
    return EMB_ENOMEM;
  }
  for (size_t r = 0; r < s->n_names; r++) {
    const emb_snap_name *nm = &s->names[r];
    for (size_t k = 0; k < nm->n_occ; k++) {
      uint32_t t = s->occs[nm->occ_off + k].tok;
      uint32_t off = s->tokens[t].post_off;
      /* A token twice in one name is posted once. */
      if (fill[t] && s->postings[off + fill[t] - 1] == r)
        continue;
      s->postings[off + fill[t]++] = (uint32_t)r;
    }
  }
  s->n_postings = total;
  free(fill);
  return 0;
}

static void set_name_weights(emb_snapshot *s) {
  for (size_t r = 0; r < s->n_names; r++) {
    emb_snap_name *nm = &s->names[r];
    float w = 0.0f;
    for (size_t k = 0; k < nm->n_occ; k++)
      w += s->tokens[s->occs[nm->occ_off + k].tok].weight;
    nm->weight = w;
  }
}

float emb__token_weight(uint8_t kind, float rarity) {
  switch (kind) {
  case EMB_TK_STOP: return rarity * STOP_FACTOR;
  case EMB_TK_LEGAL: return rarity * LEGAL_FACTOR;
  case EMB_TK_INITIAL: return INITIAL_WEIGHT;
  default: return rarity;
  }
}

static void set_weights(emb_snapshot *s) {
  double n = (double)s->n_names + 1.0;
  s->unknown_weight = (float)log(n / 1.5);
  for (size_t t = 0; t < s->n_tokens; t++) {
    emb_snap_token *x = &s->tokens[t];
    float w = (float)log(n / ((double)x->df + 0.5));
    x->weight = emb__token_weight(x->kind, w < 0.1f ? 0.1f : w);
  }
}

static int build_neighbourhoods(emb_snapshot *s) {
  pairvec text = {0}, del = {0}, phon = {0}, var = {0}, full = {0};
  int rc = 0;
  char buf[256];
  for (size_t t = 0; t < s->n_tokens && !rc; t++) {
    const emb_snap_token *x = &s->tokens[t];
    rc = pv_push(&text, emb__snap_hash(x->text, x->len), (uint32_t)t);
    if (x->kind != EMB_TK_WORD)
      continue;
    if (!rc && x->len >= 3 && x->len < sizeof(buf)) {
      rc = pv_push(&del, emb__snap_hash(x->text, x->len), (uint32_t)t);
      for (size_t i = 0; i < x->len && !rc; i++) {
        if (i > 0 && x->text[i] == x->text[i - 1])
          continue; /* deleting either of two equal letters gives the same variant */
        memcpy(buf, x->text, i);
        memcpy(buf + i, x->text + i + 1, x->len - i - 1);
        rc = pv_push(&del, emb__snap_hash(buf, x->len - 1u), (uint32_t)t);
      }
    }
    if (!rc && x->phon[0])
      rc = pv_push(&phon, emb__snap_hash(x->phon, strlen(x->phon)), (uint32_t)t);
    for (size_t k = 0; k < x->n_variants && !rc; k++)
      rc = pv_push(&var, emb__snap_hash((const char *)&x->variants[k], sizeof(uint32_t)),
                   (uint32_t)t);
  }
  for (size_t r = 0; r < s->n_names && !rc; r++) {
    const emb_snap_name *nm = &s->names[r];
    const char *texts[MAX_TOKENS_PER_NAME];
    uint16_t lens[MAX_TOKENS_PER_NAME];
    for (size_t k = 0; k < nm->n_occ; k++) {
      const emb_snap_token *x = &s->tokens[s->occs[nm->occ_off + k].tok];
      texts[k] = x->text;
      lens[k] = x->len;
    }
    rc = pv_push(&full, emb__snap_hash_seq(texts, lens, nm->n_occ), (uint32_t)r);
  }
  if (rc) {
    free(text.v);
    free(del.v);
    free(phon.v);
    free(var.v);
    free(full.v);
    return rc;
  }
  rc = pv_finish(&text, &s->by_text);
  rc = rc ? rc : pv_finish(&del, &s->deletions);
  rc = rc ? rc : pv_finish(&phon, &s->phonetic);
  rc = rc ? rc : pv_finish(&var, &s->variants);
  rc = rc ? rc : pv_finish(&full, &s->fullname);
  free(text.v);
  free(del.v);
  free(phon.v);
  free(var.v);
  free(full.v);
  return rc;
}

int emb__snapshot_build(const emb_entity_set *set, emb_analyzer *a, emb_snapshot **out) {
  *out = NULL;
  double t0 = now();
  emb_snapshot *s = calloc(1, sizeof(*s));
  if (!s) {
    emb_analyzer_free(a);
    return EMB_ENOMEM;
  }
  s->set = set;
  s->analyzer = a;
  emb__arena_init(&s->arena, 1 << 20);
  builder b = {0};
  b.s = s;
  emb__strmap_init(&b.dict);
  emb_arena scratch;
  emb__arena_init(&scratch, 64 * 1024);
  int rc = 0;
  size_t n = emb_set_count(set);
  for (size_t i = 0; i < n && !rc; i++) {
    const emb_entity *e = emb_set_get(set, i);
    for (size_t k = 0; k < e->n_names && !rc; k++) {
      rc = add_name(&b, &scratch, (uint32_t)i, (uint32_t)k, e);
      emb__arena_reset(&scratch); /* reused per name, never grown */
    }
  }
  emb__arena_fini(&scratch);
  free(b.last_name);
  emb__strmap_fini(&b.dict);
  if (!rc)
    rc = build_postings(s);
  if (!rc) {
    set_weights(s);
    set_name_weights(s);
    rc = build_neighbourhoods(s);
  }
  if (!rc && s->n_tokens) {
    /* Scoring reads tokens in random order: give each its own cache line. */
    emb_snap_token *aligned = aligned_alloc(64, s->n_tokens * sizeof(emb_snap_token));
    if (aligned) {
      memcpy(aligned, s->tokens, s->n_tokens * sizeof(emb_snap_token));
      free(s->tokens);
      s->tokens = aligned;
    } else {
      rc = EMB_ENOMEM;
    }
  }
  if (rc) {
    emb__snapshot_free(s);
    return rc;
  }
  s->build_seconds = now() - t0;
  *out = s;
  return 0;
}

void emb__snapshot_free(emb_snapshot *s) {
  if (!s)
    return;
  emb_analyzer_free(s->analyzer);
  free(s->tokens);
  free(s->names);
  free(s->occs);
  free(s->postings);
  emb_snap_multimap *maps[] = {&s->by_text, &s->deletions, &s->phonetic, &s->variants,
                               &s->fullname};
  for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
    free(maps[i]->pairs);
    free(maps[i]->start);
  }
  emb__arena_fini(&s->arena);
  free(s);
}
