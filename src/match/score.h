/*
 * score.h - comparing two analysed names token by token, with an explanation.
 *
 * Each side is a sequence of comparable tokens with rarity weights. Token pairs are
 * compared (exact, transliterated, name variant, fuzzy, phonetic, initial, joined words,
 * legal form, number), aligned one-to-one greedily from the best pair down, and the
 * name score is a weighted Dice coefficient:
 *
 *   score = sum over aligned pairs of sim * (w_query + w_candidate)
 *           / (sum of query weights + sum of candidate weights, unmatched scaled)
 *
 * Unmatched words weigh less in person names (a listed person's full name carries father's
 * and grandfather's names a query often leaves out) and more in organisation names
 * ("Banco Santander Mexico" is not "Banco Santander"). When each side keeps a word the
 * other lacks and the two are not similar, the names differ in a name part (a swapped
 * nisbah, patronymic or middle name): a substitution, strong evidence against. Numbers
 * that differ between two names that both carry numbers are strong evidence against
 * (vessel "NAVIGATOR 2" is not "NAVIGATOR 3"); so are two different legal forms.
 * docs/MATCHING.md has the constants and why.
 */
#ifndef EMB_MATCH_SCORE_H
#define EMB_MATCH_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define EMB_MAX_NAME_TOKENS 32

typedef enum {
  EMB_HOW_NONE = 0,
  EMB_HOW_EXACT,
  EMB_HOW_TRANSLIT,
  EMB_HOW_VARIANT,
  EMB_HOW_FUZZY,
  EMB_HOW_PHONETIC,
  EMB_HOW_INITIAL,
  EMB_HOW_JOINED,
  EMB_HOW_LEGAL
} emb_how;
const char *emb__how_name(emb_how h);

/* One comparable token, as the scorer sees it. */
typedef struct emb_ctok {
  const char *text;
  uint16_t len;
  uint8_t kind;   /* emb_token_kind */
  uint8_t origin; /* emb_token_origin */
  const char *phon;
  const uint32_t *variants;
  uint16_t n_variants;
  float weight;
  uint32_t id;       /* dictionary token id, or UINT32_MAX when not in the dictionary */
  const char *legal; /* a word that can also be read as a legal form: that form, else NULL */
  /* Summaries that let the scorer skip work that cannot succeed (snapshot.h); 0 when not
   * computed, and then nothing is skipped on their account. */
  uint32_t letters;      /* emb__letter_mask of the text */
  uint32_t phon_hash;    /* emb__phon_hash of phon */
  uint32_t variant_bits; /* emb__variant_bits of the variants */
} emb_ctok;

/* Remembers token similarities within one query, keyed by (query token, dictionary token):
 * candidates share many tokens, and each pair is compared once. Owned by the caller;
 * emb__sim_cache_next() starts a new query. */
#define EMB_SIM_CACHE_SLOTS 4096
typedef struct emb_sim_cache {
  uint16_t stamp; /* the current query; wraps after 65535 queries, clearing the slots */
  struct {
    uint16_t stamp;
    uint8_t how;
    uint32_t q;
    uint32_t c;
    float sim;
  } slots[EMB_SIM_CACHE_SLOTS]; /* 16 bytes each */
} emb_sim_cache;

void emb__sim_cache_next(emb_sim_cache *cache);

/* One aligned pair: query token q (and q2 when two query tokens form one candidate token),
 * candidate token c (and c2 likewise); -1 when unused. */
typedef struct emb_pair {
  int8_t q, q2, c, c2;
  uint8_t how; /* emb_how */
  float sim;
} emb_pair;

typedef struct emb_alignment {
  emb_pair pairs[EMB_MAX_NAME_TOKENS];
  size_t n_pairs;
  bool number_conflict;  /* both names carry numbers and they differ */
  bool legal_conflict;   /* both names carry legal forms and none agree */
  bool legal_person;     /* a person's name met a name with a legal form left unmatched */
  bool short_fuzzy_only; /* every word agreement is a fuzzy one between words of <= 4 letters */
  bool substitution;     /* each side keeps a word the other lacks: a different name part */
  bool initials_only;    /* every agreement is an initial */
  bool order_conflict;   /* a name moved across "bin"/"ibn": father and son swapped */
  float score;
} emb_alignment;

/* How much of its weight an unmatched token counts against a person's or another name. */
float emb__unmatched_factor(bool person);

/* Similarity of two tokens in [0, 1] and how they met (EMB_HOW_NONE when 0). */
float emb__token_sim(const emb_ctok *a, const emb_ctok *b, emb_how *how);

/* Damerau-Levenshtein (optimal string alignment) distance, or max + 1 when above max. */
int emb__edit_distance(const char *a, size_t la, const char *b, size_t lb, int max);

/* Scores query tokens q[0..nq) against candidate tokens c[0..nc) (at most
 * EMB_MAX_NAME_TOKENS each) and fills the alignment. `cache` may be NULL. */
float emb__score_names(const emb_ctok *q, size_t nq, const emb_ctok *c, size_t nc, bool person,
                       emb_sim_cache *cache, emb_alignment *al);

/* Appends the alignment's flags that are set as `,"name":true` members (docs/MATCHING.md). */
int emb__alignment_flags_json(const emb_alignment *al, emb_buf *out);

/* Appends the token explanation as a JSON array to out. */
int emb__alignment_json(const emb_alignment *al, const emb_ctok *q, size_t nq, const emb_ctok *c,
                        size_t nc, emb_buf *out);

#endif
