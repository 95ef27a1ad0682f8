/*
 * match.c - the matcher: snapshot + query contexts; retrieval, scoring, explanation.
 *
 * A query runs in three steps, all in the context's scratch memory:
 *   1. retrieval: each query word is expanded to dictionary tokens (exact, one or two
 *      edits through the deletion neighbourhood, phonetic key, name-variant cluster,
 *      words written together); the postings of those tokens add rarity-weighted votes
 *      to name records; very common tokens are only followed when the query has nothing
 *      rarer. Names equal to the query token for token are always candidates.
 *   2. scoring: the best-voted name records are scored against the query (score.c); each
 *      entity keeps its best name.
 *   3. evidence: birth date, country, gender, identifiers and schema adjust the score of
 *      each entity (evidence.c); results are sorted by score, then id.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "index/snapshot.h"
#include "match/evidence.h"
#include "match/score.h"

#define DF_CAP 3000        /* postings longer than this are followed only for rare queries */
#define MAX_CANDIDATES 32  /* name records scored per query */
#define MAX_EXPANSIONS 64  /* dictionary tokens one query word may expand to */
#define SCORE_FLOOR 0.50   /* entities below this are not reported at all: not near misses */
#define VOTE_FRACTION 0.5f /* candidates need this share of the best candidate's votes */

struct emb_matcher {
  emb_snapshot *snap;
  double threshold;
};

typedef struct ent_best {
  uint32_t entity;
  uint32_t record; /* best name record */
  float name_score;
  double score;
  bool id_match; /* an identifier matched (the evidence in words is written for results
                    shown only, in explain()) */
} ent_best;

/* The votes of one name record. The four fields are read and written together for every
 * posting followed, so they share a cache line (one struct per record, not four arrays). */
typedef struct rec_votes {
  float acc;     /* votes */
  float accq;    /* weight of the query words that voted for it */
  float cur;     /* best vote of the current query word */
  uint32_t mark; /* last round that touched it */
} rec_votes;

/* The entities scored in one query are at most MAX_CANDIDATES: a small open-addressing
 * table (in cache, unlike an array over all entities) finds an entity's slot in bests. */
#define ENT_SLOTS 128 /* a power of two, at least 2 * MAX_CANDIDATES */
typedef struct ent_slot {
  uint32_t entity;
  int32_t slot; /* index in bests; -1: empty */
} ent_slot;

struct emb_match_ctx {
  const emb_matcher *m;
  emb_analyzer *an;
  emb_arena scratch;
  rec_votes *votes; /* per name record */
  float round_wq;   /* weight of the current query word */
  uint32_t round;
  uint32_t *touched; /* records with votes */
  size_t n_touched;
  uint32_t *round_list;
  size_t n_round;
  ent_slot ent_slots[ENT_SLOTS]; /* entity -> index in bests, for the current query */
  ent_best *bests;
  size_t n_bests;
  uint32_t *seen_tok; /* per token: last expansion stamp */
  uint32_t stamp;
  struct exp_memo *exp_memo; /* EXP_MEMO_SLOTS remembered expansions, allocated on first use */
  emb_match_result *results;
  emb_buf expl;
  emb_sim_cache *sims;
};

/* A hint to the processor to load *p into the cache; it never faults and changes nothing
 * else, so it is safe on any address computed from valid data. */
static inline void prefetch(const void *p) {
  __builtin_prefetch(p);
}

emb_matcher_opts emb_matcher_opts_default(void) {
  emb_matcher_opts o = {NULL, EMB_DEFAULT_THRESHOLD};
  return o;
}

int emb_matcher_new(const emb_entity_set *set, const emb_matcher_opts *opts, emb_matcher **out) {
  *out = NULL;
  emb_matcher_opts o = opts ? *opts : emb_matcher_opts_default();
  emb_analyzer_opts ao = emb_analyzer_opts_default();
  ao.variants_path = o.variants_path;
  emb_analyzer *a = NULL;
  int rc = emb_analyzer_new(&ao, &a);
  if (rc)
    return rc;
  emb_matcher *m = calloc(1, sizeof(*m));
  if (!m) {
    emb_analyzer_free(a);
    return EMB_ENOMEM;
  }
  m->threshold = o.threshold > 0 ? o.threshold : EMB_DEFAULT_THRESHOLD;
  rc = emb__snapshot_build(set, a, &m->snap);
  if (rc) {
    free(m);
    return rc;
  }
  *out = m;
  return 0;
}

void emb_matcher_free(emb_matcher *m) {
  if (!m)
    return;
  emb__snapshot_free(m->snap);
  free(m);
}

double emb_matcher_threshold(const emb_matcher *m) {
  return m->threshold;
}

int emb_match_ctx_new(const emb_matcher *m, emb_match_ctx **out) {
  *out = NULL;
  emb_match_ctx *c = calloc(1, sizeof(*c));
  if (!c)
    return EMB_ENOMEM;
  c->m = m;
  const emb_snapshot *s = m->snap;
  size_t nn = s->n_names ? s->n_names : 1;
  size_t nt = s->n_tokens ? s->n_tokens : 1;
  c->votes = calloc(nn, sizeof(rec_votes));
  c->touched = malloc(nn * sizeof(uint32_t));
  c->round_list = malloc(nn * sizeof(uint32_t));
  c->bests = malloc(MAX_CANDIDATES * sizeof(ent_best));
  c->seen_tok = calloc(nt, sizeof(uint32_t));
  c->results = malloc(MAX_CANDIDATES * sizeof(emb_match_result));
  c->sims = calloc(1, sizeof(emb_sim_cache));
  emb__arena_init(&c->scratch, 64 * 1024);
  emb__buf_init(&c->expl, 16 * 1024 * 1024);
  int rc = emb_analyzer_clone(s->analyzer, &c->an);
  if (rc || !c->votes || !c->touched || !c->round_list || !c->bests || !c->seen_tok ||
      !c->results || !c->sims) {
    emb_match_ctx_free(c);
    return rc ? rc : EMB_ENOMEM;
  }
  *out = c;
  return 0;
}

void emb_match_ctx_free(emb_match_ctx *c) {
  if (!c)
    return;
  emb_analyzer_free(c->an);
  free(c->votes);
  free(c->touched);
  free(c->round_list);
  free(c->bests);
  free(c->seen_tok);
  free(c->exp_memo);
  free(c->results);
  free(c->sims);
  emb__arena_fini(&c->scratch);
  emb__buf_fini(&c->expl);
  free(c);
}

/* ------------------------------------------------------------ query tokens */

/* Comparable tokens of a query name; weights from the dictionary where it knows them. */
static size_t query_tokens(emb_match_ctx *c, const char *name, emb_schema schema, emb_ctok *out,
                           uint32_t *ids) {
  const emb_snapshot *s = c->m->snap;
  emb_token *toks = NULL;
  size_t n = 0;
  if (emb_analyze_name(c->an, name, strlen(name), schema, &c->scratch, &toks, &n))
    return 0;
  if (n > EMB_MAX_NAME_TOKENS)
    n = EMB_MAX_NAME_TOKENS;
  for (size_t i = 0; i < n; i++) {
    const emb_token *t = &toks[i];
    uint32_t id = emb__snapshot_find(s, t->text, t->len);
    ids[i] = id;
    float w =
        id != UINT32_MAX ? s->tokens[id].weight : emb__token_weight(t->kind, s->unknown_weight);
    const char *legal = t->kind == EMB_TK_WORD ? emb_legal_form_of(c->an, t->text, t->len) : NULL;
    out[i] = (emb_ctok){.text = t->text,
                        .len = t->len,
                        .kind = t->kind,
                        .origin = t->origin,
                        .phon = t->phon,
                        .variants = t->variants,
                        .n_variants = t->n_variants,
                        .weight = w,
                        .id = id,
                        .legal = legal,
                        .letters = emb__letter_mask(t->text, t->len),
                        .phon_hash = t->phon ? emb__phon_hash(t->phon) : 0,
                        .variant_bits = emb__variant_bits(t->variants, t->n_variants)};
  }
  return n;
}

/* True if two readings of a query gave the same tokens. */
static bool same_reading(const emb_ctok *a, size_t na, const emb_ctok *b, size_t nb) {
  if (na != nb)
    return false;
  for (size_t i = 0; i < na; i++)
    if (a[i].kind != b[i].kind || a[i].len != b[i].len || memcmp(a[i].text, b[i].text, a[i].len))
      return false;
  return true;
}

/* Comparable tokens of a name record of the snapshot. */
static size_t record_tokens(const emb_snapshot *s, const emb_snap_name *r, emb_ctok *out) {
  size_t n = r->n_occ > EMB_MAX_NAME_TOKENS ? EMB_MAX_NAME_TOKENS : r->n_occ;
  for (size_t k = 0; k < n; k++) {
    const emb_snap_occ *o = &s->occs[r->occ_off + k];
    const emb_snap_token *t = &s->tokens[o->tok];
    out[k] = (emb_ctok){.text = t->text,
                        .len = t->len,
                        .kind = o->kind,
                        .origin = o->origin,
                        .phon = t->phon,
                        .variants = t->variants,
                        .n_variants = t->n_variants,
                        .weight = t->weight,
                        .id = o->tok,
                        .legal = t->legal,
                        .letters = t->letters,
                        .phon_hash = t->phon_hash,
                        .variant_bits = t->variant_bits};
  }
  return n;
}

static emb_ctok token_ctok(const emb_snap_token *t, uint32_t tok) {
  return (emb_ctok){.text = t->text,
                    .len = t->len,
                    .kind = t->kind,
                    .origin = EMB_TO_ASIS,
                    .phon = t->phon,
                    .variants = t->variants,
                    .n_variants = t->n_variants,
                    .weight = t->weight,
                    .id = tok,
                    .legal = t->legal,
                    .letters = t->letters,
                    .phon_hash = t->phon_hash,
                    .variant_bits = t->variant_bits};
}

/* ---------------------------------------------------------------- retrieval */

typedef struct expansion {
  uint32_t tok;
  float sim;
} expansion;

/* A multimap and a key to look up in it. */
typedef struct lookup {
  const emb_snap_multimap *mm;
  uint64_t key;
} lookup;

#define EXPAND_BATCH 128 /* dictionary tokens gathered before their similarities are taken */

/* Takes the similarity of q to each gathered token, in order, adding those above zero. */
static void expand_flush(emb_match_ctx *c, const emb_ctok *q, const uint32_t *toks, size_t nt,
                         expansion *ex, size_t *n) {
  const emb_snapshot *s = c->m->snap;
  for (size_t i = 0; i < nt && *n < MAX_EXPANSIONS; i++) {
    emb_ctok t = token_ctok(&s->tokens[toks[i]], toks[i]);
    emb_how how;
    float sim = emb__token_sim(q, &t, &how);
    if (sim > 0.0f)
      ex[(*n)++] = (expansion){toks[i], sim};
  }
}

/*
 * Dictionary tokens a query word may stand for, with their similarity: the word itself,
 * then the tokens under each neighbourhood key in turn (the word, its one-deletion
 * variants, its phonetic key, its variant clusters), each once, the first MAX_EXPANSIONS
 * that have a similarity. The lookups are done in rounds (bucket indexes, then buckets,
 * then the tokens found) so that their cache misses overlap; the result is the list a
 * plain loop over the keys would give.
 */
static size_t expand(emb_match_ctx *c, const emb_ctok *q, uint32_t id, expansion *ex) {
  const emb_snapshot *s = c->m->snap;
  size_t n = 0;
  c->stamp++;
  if (id != UINT32_MAX) {
    c->seen_tok[id] = c->stamp;
    ex[n++] = (expansion){id, 1.0f};
  }
  if (q->kind != EMB_TK_WORD)
    return n;
  lookup keys[130];
  size_t nk = 0;
  if (q->len >= 3 && q->len < 128) {
    char buf[128];
    keys[nk++] = (lookup){&s->deletions, emb__snap_hash(q->text, q->len)};
    for (size_t i = 0; i < q->len; i++) {
      if (i > 0 && q->text[i] == q->text[i - 1])
        continue; /* deleting either of two equal letters gives the same variant */
      memcpy(buf, q->text, i);
      memcpy(buf + i, q->text + i + 1, q->len - i - 1);
      keys[nk++] = (lookup){&s->deletions, emb__snap_hash(buf, q->len - 1u)};
    }
  }
  if (q->phon && q->phon[0])
    keys[nk++] = (lookup){&s->phonetic, emb__snap_hash(q->phon, strlen(q->phon))};
  for (size_t k = 0; k < nk; k++)
    emb__multimap_prefetch_bucket(keys[k].mm, keys[k].key);
  for (size_t k = 0; k < nk; k++)
    emb__multimap_prefetch_pairs(keys[k].mm, keys[k].key);
  uint32_t toks[EXPAND_BATCH];
  size_t nt = 0;
  size_t nv = q->n_variants;
  for (size_t k = 0; k < nk + nv && n < MAX_EXPANSIONS; k++) {
    lookup l = k < nk ? keys[k]
                      : (lookup){&s->variants, emb__snap_hash((const char *)&q->variants[k - nk],
                                                              sizeof(uint32_t))};
    const emb_snap_pair *p;
    size_t np;
    emb__multimap_get(l.mm, l.key, &p, &np);
    for (size_t i = 0; i < np; i++) {
      uint32_t tok = p[i].value;
      if (c->seen_tok[tok] == c->stamp)
        continue;
      c->seen_tok[tok] = c->stamp;
      prefetch(&s->tokens[tok]);
      toks[nt++] = tok;
      if (nt == EXPAND_BATCH) {
        expand_flush(c, q, toks, nt, ex, &n);
        nt = 0;
        if (n >= MAX_EXPANSIONS)
          break;
      }
    }
  }
  expand_flush(c, q, toks, nt, ex, &n);
  return n;
}

/*
 * Expanding a query word (neighbourhood lookups and a similarity for every token found) is
 * most of retrieval, and a batch of names repeats its words heavily (given names, common
 * family names). Each context remembers the expansions of recent words in a direct-mapped
 * table. The expansion depends only on the query token (its text, which fixes its
 * dictionary id, phonetic key, letters and legal reading; its kind; its origin; its
 * variant clusters) and on the snapshot, so the key holds all of those and is compared in
 * full: a hit gives exactly the list expand() would compute. Long words, words with many
 * clusters and long lists are not remembered.
 */
#define EXP_MEMO_SLOTS 8192 /* a power of two */
#define EXP_MEMO_TEXT 24
#define EXP_MEMO_VARIANTS 6
#define EXP_MEMO_MAX 32

typedef struct exp_memo {
  char text[EXP_MEMO_TEXT];
  uint32_t variants[EXP_MEMO_VARIANTS];
  uint8_t len; /* 0: empty slot */
  uint8_t kind;
  uint8_t origin;
  uint8_t n_variants;
  uint8_t n;
  expansion ex[EXP_MEMO_MAX];
} exp_memo;

/* The memo slot of query token q (whether it holds q or not), or NULL. */
static exp_memo *exp_memo_slot(emb_match_ctx *c, const emb_ctok *q) {
  if (q->len == 0 || q->len > EXP_MEMO_TEXT || q->n_variants > EXP_MEMO_VARIANTS)
    return NULL;
  if (!c->exp_memo) {
    c->exp_memo = calloc(EXP_MEMO_SLOTS, sizeof(exp_memo));
    if (!c->exp_memo)
      return NULL; /* no memory for the memo: expand every time */
  }
  uint64_t h = emb__snap_hash(q->text, q->len);
  h ^= ((uint64_t)q->kind << 8 | q->origin) * 0x9E3779B97F4A7C15ULL;
  for (size_t k = 0; k < q->n_variants; k++)
    h = (h ^ q->variants[k]) * 0x100000001B3ULL;
  h ^= h >> 29;
  return &c->exp_memo[h & (EXP_MEMO_SLOTS - 1)];
}

static bool exp_memo_holds(const exp_memo *m, const emb_ctok *q) {
  return m->len == q->len && m->kind == q->kind && m->origin == q->origin &&
         m->n_variants == q->n_variants && memcmp(m->text, q->text, q->len) == 0 &&
         (q->n_variants == 0 ||
          memcmp(m->variants, q->variants, q->n_variants * sizeof(uint32_t)) == 0);
}

/* expand(), through the memo. */
static size_t expand_memo(emb_match_ctx *c, const emb_ctok *q, uint32_t id, expansion *ex) {
  exp_memo *m = exp_memo_slot(c, q);
  if (m && exp_memo_holds(m, q)) {
    memcpy(ex, m->ex, m->n * sizeof(expansion));
    return m->n;
  }
  size_t n = expand(c, q, id, ex);
  if (m && n <= EXP_MEMO_MAX) {
    memcpy(m->text, q->text, q->len);
    if (q->n_variants)
      memcpy(m->variants, q->variants, q->n_variants * sizeof(uint32_t));
    m->len = (uint8_t)q->len;
    m->kind = q->kind;
    m->origin = q->origin;
    m->n_variants = (uint8_t)q->n_variants;
    m->n = (uint8_t)n;
    memcpy(m->ex, ex, n * sizeof(expansion));
  }
  return n;
}

#define VOTE_PREFETCH 8 /* postings looked ahead in vote() */

static void vote(emb_match_ctx *c, uint32_t tok, float v) {
  const emb_snapshot *s = c->m->snap;
  const emb_snap_token *t = &s->tokens[tok];
  const uint32_t *post = s->postings + t->post_off;
  uint32_t df = t->df;
  for (uint32_t i = 0; i < df; i++) {
    /* The records of a posting list are spread over the whole votes array: ask for the
     * one needed a few steps ahead so the misses overlap. */
    if (i + VOTE_PREFETCH < df)
      prefetch(&c->votes[post[i + VOTE_PREFETCH]]);
    uint32_t r = post[i];
    rec_votes *rv = &c->votes[r];
    if (rv->mark != c->round) {
      rv->mark = c->round;
      rv->cur = v;
      c->round_list[c->n_round++] = r;
    } else if (v > rv->cur) {
      rv->cur = v;
    }
  }
}

static void end_round(emb_match_ctx *c) {
  for (size_t i = 0; i < c->n_round; i++) {
    uint32_t r = c->round_list[i];
    rec_votes *rv = &c->votes[r];
    if (rv->acc == 0.0f)
      c->touched[c->n_touched++] = r;
    rv->acc += rv->cur;
    rv->accq += c->round_wq;
  }
  c->n_round = 0;
}

typedef struct word_order {
  size_t i;
  uint32_t df;
} word_order;

static int cmp_word_order(const void *a, const void *b) {
  const word_order *x = a, *y = b;
  if (x->df != y->df)
    return x->df < y->df ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

static void retrieve(emb_match_ctx *c, const emb_ctok *q, const uint32_t *ids, size_t nq) {
  const emb_snapshot *s = c->m->snap;
  word_order order[EMB_MAX_NAME_TOKENS];
  size_t nw = 0;
  for (size_t i = 0; i < nq; i++) {
    bool useful = q[i].kind == EMB_TK_WORD || q[i].kind == EMB_TK_NUMBER;
    if (useful)
      order[nw++] = (word_order){i, ids[i] != UINT32_MAX ? s->tokens[ids[i]].df : 0};
  }
  if (nw == 0) /* initials, legal forms or stopwords only: use what there is */
    for (size_t i = 0; i < nq; i++)
      order[nw++] = (word_order){i, ids[i] != UINT32_MAX ? s->tokens[ids[i]].df : 0};
  for (size_t i = 1; i < nw; i++) { /* insertion sort: a handful of words */
    word_order x = order[i];
    size_t j = i;
    while (j > 0 && cmp_word_order(&x, &order[j - 1]) < 0) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = x;
  }
  expansion ex[MAX_EXPANSIONS];
  for (size_t k = 0; k < nw; k++) {
    size_t i = order[k].i;
    size_t n = expand_memo(c, &q[i], ids[i], ex);
    c->round++;
    c->round_wq = q[i].weight;
    for (size_t e = 0; e < n; e++) {
      const emb_snap_token *t = &s->tokens[ex[e].tok];
      if (t->df > DF_CAP && k >= 2)
        continue; /* common: the rarer words already found its names */
      vote(c, ex[e].tok, ex[e].sim * t->weight);
    }
    /* This word and the next written together in the list ("Jin Ping" / "Jinping"). */
    if (i + 1 < nq && q[i].kind == EMB_TK_WORD && q[i + 1].kind == EMB_TK_WORD &&
        q[i].len + q[i + 1].len < 64) {
      char buf[64];
      memcpy(buf, q[i].text, q[i].len);
      memcpy(buf + q[i].len, q[i + 1].text, q[i + 1].len);
      uint32_t id = emb__snapshot_find(s, buf, (size_t)q[i].len + q[i + 1].len);
      if (id != UINT32_MAX && s->tokens[id].df <= DF_CAP)
        vote(c, id, s->tokens[id].weight);
    }
    end_round(c);
  }
  /* Names equal to the query, token for token, are always candidates. */
  const char *texts[EMB_MAX_NAME_TOKENS];
  uint16_t lens[EMB_MAX_NAME_TOKENS];
  for (size_t i = 0; i < nq; i++) {
    texts[i] = q[i].text;
    lens[i] = q[i].len;
  }
  const emb_snap_pair *p;
  size_t n;
  emb__multimap_get(&s->fullname, emb__snap_hash_seq(texts, lens, nq), &p, &n);
  c->round++;
  c->round_wq = 0.0f;
  for (size_t i = 0; i < n; i++) {
    uint32_t r = p[i].value;
    c->votes[r].mark = c->round;
    c->votes[r].cur = 1e6f;
    c->round_list[c->n_round++] = r;
  }
  end_round(c);
}

/* The table entry of an entity: its slot in bests, or a free entry (slot -1) to claim. */
static ent_slot *ent_slot_of(emb_match_ctx *c, uint32_t entity) {
  uint32_t h = (entity * 0x9E3779B1u) >> 25; /* 7 bits: ENT_SLOTS */
  for (;;) {
    ent_slot *e = &c->ent_slots[h];
    if (e->slot < 0) {
      e->entity = entity;
      return e;
    }
    if (e->entity == entity)
      return e;
    h = (h + 1) & (ENT_SLOTS - 1);
  }
}

static void ent_slots_clear(emb_match_ctx *c) {
  for (size_t i = 0; i < ENT_SLOTS; i++)
    c->ent_slots[i].slot = -1;
}

/* Keeps the `k` best-voted records in heap order (a min-heap on votes). */
static size_t top_records(emb_match_ctx *c, uint32_t *heap, size_t k) {
  size_t n = 0;
  for (size_t i = 0; i < c->n_touched; i++) {
    uint32_t r = c->touched[i];
    float v = c->votes[r].acc;
    if (n < k) {
      size_t j = n++;
      heap[j] = r;
      while (j > 0 && c->votes[heap[(j - 1) / 2]].acc > c->votes[heap[j]].acc) {
        uint32_t t = heap[j];
        heap[j] = heap[(j - 1) / 2];
        heap[(j - 1) / 2] = t;
        j = (j - 1) / 2;
      }
    } else if (v > c->votes[heap[0]].acc) {
      heap[0] = r;
      size_t j = 0;
      for (;;) {
        size_t l = 2 * j + 1, m = j;
        if (l < n && c->votes[heap[l]].acc < c->votes[heap[m]].acc)
          m = l;
        if (l + 1 < n && c->votes[heap[l + 1]].acc < c->votes[heap[m]].acc)
          m = l + 1;
        if (m == j)
          break;
        uint32_t t = heap[j];
        heap[j] = heap[m];
        heap[m] = t;
        j = m;
      }
    }
  }
  return n;
}

static void reset_votes(emb_match_ctx *c) {
  for (size_t i = 0; i < c->n_touched; i++) {
    c->votes[c->touched[i]].acc = 0.0f;
    c->votes[c->touched[i]].accq = 0.0f;
  }
  c->n_touched = 0;
}

/*
 * The most a name record can score given its votes: every query word that voted matched
 * with similarity 1, every other query word is unmatched, and the record's own words are
 * matched for at least the votes they drew (see score.c for the formula this bounds).
 */
static float score_bound(const emb_snapshot *s, const emb_match_ctx *c, uint32_t r, float wq_total,
                         bool person) {
  const rec_votes *rv = &c->votes[r];
  float acc = rv->acc > 1e5f ? s->names[r].weight : rv->acc; /* exact full-name hit */
  float accq = rv->acc > 1e5f ? wq_total : rv->accq;
  if (accq > wq_total)
    accq = wq_total;
  float u = emb__unmatched_factor(person);
  float den = accq + u * (wq_total - accq) + u * s->names[r].weight + (1.0f - u) * acc;
  if (den <= 0.0f)
    return 1.0f;
  float b = (acc + accq) / den;
  return b > 1.0f ? 1.0f : b;
}

/*
 * Asks for the data of the candidate heap[i] (the tokens its occurrences point to) while
 * the one before it is scored, and for the occurrences of the one after it (whose tokens
 * are asked for in the next round): the name records, occurrences and tokens of
 * candidates lie far apart in memory.
 */
static void prefetch_record(const emb_snapshot *s, const uint32_t *heap, size_t nh, size_t i) {
  if (i < nh) {
    const emb_snap_name *r = &s->names[heap[i]];
    for (size_t k = 0; k < r->n_occ; k++)
      prefetch(&s->tokens[s->occs[r->occ_off + k].tok]);
  }
  if (i + 1 < nh)
    prefetch(&s->occs[s->names[heap[i + 1]].occ_off]);
}

/* ------------------------------------------------------------- explanation */

static int explain(emb_match_ctx *c, const emb_ctok *q, size_t nq, const char *query_name,
                   const ent_best *b, const emb_evidence *ev, const char **out) {
  const emb_snapshot *s = c->m->snap;
  const emb_snap_name *r = &s->names[b->record];
  const emb_entity *e = emb_set_get(s->set, r->entity);
  const emb_name *nm = &e->names[r->name];
  emb_ctok ct[EMB_MAX_NAME_TOKENS];
  size_t nc = record_tokens(s, r, ct);
  emb_alignment al;
  emb__score_names(q, nq, ct, nc, e->schema == EMB_SCHEMA_PERSON, NULL, &al);
  emb_buf *o = &c->expl;
  emb__buf_reset(o);
  int rc = emb__buf_puts(o, "{\"name\":{\"query\":");
  rc = rc ? rc : emb__json_str(o, query_name);
  rc = rc ? rc : emb__buf_puts(o, ",\"candidate\":");
  rc = rc ? rc : emb__json_str(o, nm->full);
  rc = rc ? rc
          : emb__buf_printf(o,
                            ",\"kind\":\"%s\",\"strength\":\"%s\",\"script\":\"%s\","
                            "\"score\":%.4f",
                            emb_name_kind_name(nm->kind),
                            nm->strength == EMB_WEAK ? "weak" : "strong",
                            nm->script ? nm->script : "Zyyy", al.score);
  rc = rc ? rc : emb__alignment_flags_json(&al, o);
  rc = rc ? rc : emb__buf_puts(o, ",\"tokens\":");
  rc = rc ? rc : emb__alignment_json(&al, q, nq, ct, nc, o);
  rc = rc ? rc : emb__buf_puts(o, "},\"evidence\":");
  rc = rc ? rc : emb__evidence_json(ev, o);
  rc = rc ? rc : emb__buf_printf(o, ",\"threshold\":%.2f}", c->m->threshold);
  if (rc)
    return rc;
  *out = emb__arena_strndup(&c->scratch, o->data, o->len);
  return *out ? 0 : EMB_ENOMEM;
}

/* ------------------------------------------------------------------- match */

static int cmp_best(const void *a, const void *b, const emb_snapshot *s) {
  const ent_best *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp(emb_set_get(s->set, x->entity)->id, emb_set_get(s->set, y->entity)->id);
}

/* Insertion sort: there are at most MAX_CANDIDATES bests. */
static void sort_bests(ent_best *v, size_t n, const emb_snapshot *s) {
  for (size_t i = 1; i < n; i++) {
    ent_best x = v[i];
    size_t j = i;
    while (j > 0 && cmp_best(&x, &v[j - 1], s) < 0) {
      v[j] = v[j - 1];
      j--;
    }
    v[j] = x;
  }
}

int emb_match(emb_match_ctx *c, const emb_query *q, size_t limit, const emb_match_result **results,
              size_t *n_out) {
  *results = c->results;
  *n_out = 0;
  if (!q || !q->name)
    return EMB_EINVAL;
  const emb_snapshot *s = c->m->snap;
  emb__arena_reset(&c->scratch);
  /* Without a schema a name is read twice, as a person's and as an organisation's: "PAO"
   * is a family name in "PAO, Yu Yi" and a legal form in "Gazprom PAO". Each candidate is
   * scored with the reading of its own schema. */
  emb_ctok qt[EMB_MAX_NAME_TOKENS], qo[EMB_MAX_NAME_TOKENS];
  uint32_t ids[EMB_MAX_NAME_TOKENS], ido[EMB_MAX_NAME_TOKENS];
  emb_schema first = q->schema == EMB_SCHEMA_UNKNOWN ? EMB_SCHEMA_PERSON : q->schema;
  size_t nq = query_tokens(c, q->name, first, qt, ids);
  size_t no = 0;
  if (q->schema == EMB_SCHEMA_UNKNOWN) {
    no = query_tokens(c, q->name, EMB_SCHEMA_ORGANIZATION, qo, ido);
    if (same_reading(qt, nq, qo, no))
      no = 0;
  }
  if (nq == 0 && no == 0)
    return 0;
  emb__sim_cache_next(c->sims);
  if (nq)
    retrieve(c, qt, ids, nq);
  if (no)
    retrieve(c, qo, ido, no);
  uint32_t heap[MAX_CANDIDATES];
  size_t nh = top_records(c, heap, MAX_CANDIDATES);
  /* Records with far fewer votes than the best cannot reach a useful score. */
  float top = 0.0f;
  for (size_t i = 0; i < nh; i++)
    if (c->votes[heap[i]].acc > top)
      top = c->votes[heap[i]].acc;
  size_t kept_h = 0;
  for (size_t i = 0; i < nh; i++)
    if (c->votes[heap[i]].acc >= top * VOTE_FRACTION)
      heap[kept_h++] = heap[i];
  nh = kept_h;
  for (size_t i = 0; i < nh; i++)
    prefetch(&s->names[heap[i]]); /* read by the bounds below, then by scoring */

  /* Score the candidates, most promising first; keep each entity's best name. Stop once
   * `limit` entities score above what any remaining candidate could reach. */
  emb_prepared_query pq;
  emb__prepare_query(q, &pq);
  float wq_total = 0.0f, wo_total = 0.0f;
  for (size_t i = 0; i < nq; i++)
    wq_total += qt[i].weight;
  for (size_t i = 0; i < no; i++)
    wo_total += qo[i].weight;
  if (wo_total > wq_total)
    wq_total = wo_total; /* the bound must hold for either reading */
  float bound[MAX_CANDIDATES];
  for (size_t i = 0; i < nh; i++)
    bound[i] = score_bound(s, c, heap[i], wq_total, s->names[heap[i]].person);
  for (size_t i = 1; i < nh; i++) { /* insertion sort by bound, descending */
    float b = bound[i];
    uint32_t h = heap[i];
    size_t j = i;
    while (j > 0 && bound[j - 1] < b) {
      bound[j] = bound[j - 1];
      heap[j] = heap[j - 1];
      j--;
    }
    bound[j] = b;
    heap[j] = h;
  }
  for (size_t i = 0; i < nh && i < 2; i++)
    prefetch(&s->occs[s->names[heap[i]].occ_off]); /* for the first two candidates */
  reset_votes(c);
  size_t want = limit < MAX_CANDIDATES ? limit : MAX_CANDIDATES;
  c->n_bests = 0;
  ent_slots_clear(c);
  for (size_t i = 0; i < nh; i++) {
    if (pq.n_ids == 0 && bound[i] + EMB_MAX_EVIDENCE_BOOST < SCORE_FLOOR)
      break; /* this and every later candidate would not be reported */
    if (pq.n_ids == 0 && c->n_bests >= want && i > 0) {
      /* Count entities whose name score already beats this bound by the largest
       * possible evidence boost. */
      size_t above = 0;
      for (size_t k = 0; k < c->n_bests; k++)
        above += c->bests[k].name_score >= bound[i] + EMB_MAX_EVIDENCE_BOOST;
      if (above >= want)
        break;
    }
    prefetch_record(s, heap, nh, i + 1);
    const emb_snap_name *r = &s->names[heap[i]];
    emb_ctok ct[EMB_MAX_NAME_TOKENS];
    size_t nc = record_tokens(s, r, ct);
    emb_alignment al;
    bool person = r->person;
    bool use_org = no > 0 && !person;
    float ns = emb__score_names(use_org ? qo : qt, use_org ? no : nq, ct, nc, person, c->sims, &al);
    ent_slot *es = ent_slot_of(c, r->entity);
    int32_t slot = es->slot;
    if (slot < 0) {
      slot = (int32_t)c->n_bests++;
      es->slot = slot;
      ent_best *nb = &c->bests[slot];
      memset(nb, 0, sizeof(*nb));
      nb->entity = r->entity;
      nb->record = heap[i];
      nb->name_score = ns;
    } else {
      ent_best *b = &c->bests[slot];
      /* Prefer the higher score; on a tie, a strong name over a weak one. */
      bool better =
          ns > b->name_score || (ns == b->name_score && r->strength < s->names[b->record].strength);
      if (better) {
        b->name_score = ns;
        b->record = heap[i];
      }
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < c->n_bests; i++) {
    ent_best *b = &c->bests[i];
    /* Without identifiers no evidence lifts a name score by more than
     * EMB_MAX_EVIDENCE_BOOST: an entity that cannot reach the floor even so (with room for
     * rounding to four decimals) is left out without reading its details. */
    if (pq.n_ids == 0 && (double)b->name_score + EMB_MAX_EVIDENCE_BOOST + 0.0002 < SCORE_FLOOR)
      continue;
    emb_evidence ev;
    emb__collect_evidence(&pq, emb_set_get(s->set, b->entity),
                          s->names[b->record].strength == EMB_WEAK, false, &ev);
    double score = b->name_score;
    for (int k = 0; k < ev.n; k++)
      score += ev.items[k].delta;
    if (ev.id_match && score < 0.99)
      score = 0.99;
    score = score < 0.0 ? 0.0 : score > 1.0 ? 1.0 : score;
    b->score = floor(score * 10000.0 + 0.5) / 10000.0; /* stable, readable */
    b->id_match = ev.id_match;
    if (b->score >= SCORE_FLOOR || b->id_match)
      c->bests[kept++] = *b;
  }
  sort_bests(c->bests, kept, s);
  if (limit > MAX_CANDIDATES)
    limit = MAX_CANDIDATES;
  size_t n = kept < limit ? kept : limit;
  for (size_t i = 0; i < n; i++) {
    const ent_best *b = &c->bests[i];
    emb_match_result *res = &c->results[i];
    res->entity = emb_set_get(s->set, b->entity);
    res->score = b->score;
    res->match = b->score >= c->m->threshold;
    emb_evidence ev; /* again, now with the words, for the results shown */
    emb__collect_evidence(&pq, res->entity, s->names[b->record].strength == EMB_WEAK, true, &ev);
    bool use_org = no > 0 && res->entity->schema != EMB_SCHEMA_PERSON;
    int rc = explain(c, use_org ? qo : qt, use_org ? no : nq, q->name, b, &ev, &res->explanation);
    if (rc)
      return rc;
  }
  *n_out = n;
  return 0;
}

int emb_compare_names(emb_match_ctx *c, emb_schema schema, const char *name1, const char *name2,
                      double *score, const char **explanation) {
  *score = 0.0;
  *explanation = "{}";
  if (!name1 || !name2)
    return EMB_EINVAL;
  emb__arena_reset(&c->scratch);
  emb_ctok a[EMB_MAX_NAME_TOKENS], b[EMB_MAX_NAME_TOKENS];
  uint32_t ids[EMB_MAX_NAME_TOKENS];
  size_t na = query_tokens(c, name1, schema, a, ids);
  size_t nb = query_tokens(c, name2, schema, b, ids);
  emb_alignment al;
  float s1 = emb__score_names(a, na, b, nb, schema == EMB_SCHEMA_PERSON, NULL, &al);
  *score = floor((double)s1 * 10000.0 + 0.5) / 10000.0;
  emb_buf *o = &c->expl;
  emb__buf_reset(o);
  int rc = emb__buf_printf(o, "{\"score\":%.4f", *score);
  rc = rc ? rc : emb__alignment_flags_json(&al, o);
  rc = rc ? rc : emb__buf_puts(o, ",\"tokens\":");
  rc = rc ? rc : emb__alignment_json(&al, a, na, b, nb, o);
  rc = rc ? rc : emb__buf_putc(o, '}');
  if (rc)
    return rc;
  *explanation = emb__arena_strndup(&c->scratch, o->data, o->len);
  return *explanation ? 0 : EMB_ENOMEM;
}
