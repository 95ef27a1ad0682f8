/*
 * score.c - token similarity, alignment and the name score; see score.h.
 *
 * The constants below are the method, documented in docs/MATCHING.md. They were set by
 * reasoning about transliteration and typing errors and checked on the development
 * evaluation sets; there are no special cases for particular names.
 */
#include "match/score.h"

#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "text/analyze.h"

/* Similarities by kind of agreement. */
#define SIM_VARIANT 0.92f
#define SIM_PHONETIC 0.82f /* the most a phonetic-only agreement can reach */
#define SIM_PHONETIC_BASE 0.35f
#define SIM_PHONETIC_SPAN 0.50f
#define SIM_PHONETIC_MIN 0.65f /* below this, sounding alike is not agreement */
#define SIM_INITIAL 0.75f
#define SIM_JOINED 0.95f
/* An unmatched token counts this much of its weight against the score. */
#define UNMATCHED_PERSON 0.55f
#define UNMATCHED_ORG 1.0f
/* Two leftover words this similar (1 - edits / length) still count, partially. */
#define RESIDUAL_MIN 0.6f
#define RESIDUAL_FACTOR 0.8f
/* Penalties applied to the ratio. */
#define SUBSTITUTION_FACTOR 0.75f
#define ORDER_CONFLICT_FACTOR 0.55f
#define INITIALS_ONLY_FACTOR 0.6f
#define NUMBER_CONFLICT_FACTOR 0.55f
#define LEGAL_CONFLICT_FACTOR 0.8f
/* The names agree only through short words spelled differently ("Cafe" / "Cape"): one
 * letter changes a short word into another word. */
#define SHORT_FUZZY_ONLY_FACTOR 0.8f
/* A listed person against a name that keeps a legal form no word of the person's name
 * meets ("Nur M JSC" against NUR, Mohammed): the other name is an organisation's. */
#define LEGAL_PERSON_FACTOR 0.8f

float emb__unmatched_factor(bool person) {
  return person ? UNMATCHED_PERSON : UNMATCHED_ORG;
}

const char *emb__how_name(emb_how h) {
  switch (h) {
  case EMB_HOW_EXACT: return "exact";
  case EMB_HOW_TRANSLIT: return "transliterated";
  case EMB_HOW_VARIANT: return "variant";
  case EMB_HOW_FUZZY: return "fuzzy";
  case EMB_HOW_PHONETIC: return "phonetic";
  case EMB_HOW_INITIAL: return "initial";
  case EMB_HOW_JOINED: return "joined";
  case EMB_HOW_LEGAL: return "legal_form";
  case EMB_HOW_NONE: break;
  }
  return "none";
}

/*
 * Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions)
 * with Hyyro's bit-parallel algorithm (2003): one machine word holds a column of the
 * dynamic-programming matrix, so a pair of words costs a few operations per letter.
 */
int emb__edit_distance(const char *a, size_t la, const char *b, size_t lb, int max) {
  if (la > 64 || lb > 64 || max < 0)
    return max + 1;
  int d = (int)(la > lb ? la - lb : lb - la);
  if (d > max)
    return max + 1;
  if (la == 0 || lb == 0)
    return (int)(la + lb) > max ? max + 1 : (int)(la + lb);
  static _Thread_local uint64_t peq[256]; /* all zero between calls */
  for (size_t i = 0; i < la; i++)
    peq[(unsigned char)a[i]] |= (uint64_t)1 << i;
  uint64_t pv = ~(uint64_t)0, mv = 0, d0 = 0, pm_prev = 0;
  uint64_t last = (uint64_t)1 << (la - 1);
  int score = (int)la;
  for (size_t j = 0; j < lb; j++) {
    uint64_t pm = peq[(unsigned char)b[j]];
    uint64_t tr = (((~d0) & pm) << 1) & pm_prev;
    d0 = (((pm & pv) + pv) ^ pv) | pm | mv | tr;
    uint64_t ph = mv | ~(d0 | pv);
    uint64_t mh = d0 & pv;
    if (ph & last)
      score++;
    else if (mh & last)
      score--;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(d0 | ph);
    mv = ph & d0;
    pm_prev = pm;
  }
  for (size_t i = 0; i < la; i++)
    peq[(unsigned char)a[i]] = 0;
  return score > max ? max + 1 : score;
}

/* A lower bound of the edit distance of two tokens from their letter sets (0 when either
 * set is unknown): each edit removes at most one character of a, so at most one letter of
 * a that b lacks, and adds at most one of b that a lacks. */
static inline int bit_count(uint32_t v) {
  v = v - ((v >> 1) & 0x55555555u);
  v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
  return (int)((((v + (v >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
}

static inline int letters_bound(uint32_t ma, uint32_t mb) {
  if (!ma || !mb)
    return 0;
  int x = bit_count(ma & ~mb), y = bit_count(mb & ~ma);
  return x > y ? x : y;
}

/* Edits tolerated in a word of this length (the longer of the two). */
static int allowed_edits(size_t len) {
  if (len < 4)
    return 0;
  if (len < 9)
    return 1;
  if (len < 14)
    return 2;
  return 3;
}

/*
 * Arabic theophoric names ("Abd" + an attribute: Abdurrahim, Abdurrahman) are told apart by
 * the attribute alone. Returns how many leading letters to set aside when both words are
 * such names ("abdur", "abdul", "abdel": 5), else 0.
 */
static size_t theophoric_prefix(const char *a, size_t la, const char *b, size_t lb) {
  if (la > 7 && lb > 7 && memcmp(a, "abd", 3) == 0 && memcmp(b, "abd", 3) == 0)
    return 5;
  return 0;
}

static bool share_variant(const emb_ctok *a, const emb_ctok *b) {
  if (a->variant_bits && b->variant_bits && !(a->variant_bits & b->variant_bits))
    return false; /* no cluster in common, told without reading the lists */
  size_t i = 0, j = 0;
  while (i < a->n_variants && j < b->n_variants) {
    if (a->variants[i] == b->variants[j])
      return true;
    if (a->variants[i] < b->variants[j])
      i++;
    else
      j++;
  }
  return false;
}

static bool is_wordlike(uint8_t kind) {
  return kind == EMB_TK_WORD || kind == EMB_TK_INITIAL || kind == EMB_TK_STOP;
}

/* True if two tokens have the same comparable form: the same dictionary id when both are
 * in the dictionary (one text, one id), else the same bytes. */
static bool same_text(const emb_ctok *a, const emb_ctok *b) {
  if (a->id != UINT32_MAX && b->id != UINT32_MAX)
    return a->id == b->id;
  return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

float emb__token_sim(const emb_ctok *a, const emb_ctok *b, emb_how *how) {
  *how = EMB_HOW_NONE;
  bool equal = same_text(a, b);
  if (a->kind == EMB_TK_LEGAL || b->kind == EMB_TK_LEGAL) {
    if (a->kind == b->kind && equal) {
      *how = EMB_HOW_LEGAL;
      return 1.0f;
    }
    /* One side read a word as a legal form ("PAO, Yu Yi" without a schema): the other
     * side's word that can be the same legal form meets it. */
    const emb_ctok *legal = a->kind == EMB_TK_LEGAL ? a : b, *word = legal == a ? b : a;
    if (word->kind == EMB_TK_WORD && word->legal && strlen(word->legal) == legal->len &&
        memcmp(word->legal, legal->text, legal->len) == 0) {
      *how = EMB_HOW_LEGAL;
      return 1.0f;
    }
    return 0.0f;
  }
  if (a->kind == EMB_TK_NUMBER || b->kind == EMB_TK_NUMBER) {
    if (equal) {
      *how = EMB_HOW_EXACT;
      return 1.0f;
    }
    return 0.0f;
  }
  if (!is_wordlike(a->kind) || !is_wordlike(b->kind))
    return 0.0f;
  if (equal) {
    *how = (a->origin == EMB_TO_TRANSLIT || b->origin == EMB_TO_TRANSLIT) ? EMB_HOW_TRANSLIT
                                                                          : EMB_HOW_EXACT;
    return 1.0f;
  }
  if (a->kind == EMB_TK_STOP || b->kind == EMB_TK_STOP)
    return 0.0f;
  /* An initial meets a word that starts with it. */
  if (a->kind == EMB_TK_INITIAL || b->kind == EMB_TK_INITIAL) {
    if (a->len && b->len && a->text[0] == b->text[0]) {
      *how = EMB_HOW_INITIAL;
      return SIM_INITIAL;
    }
    return 0.0f;
  }
  float best = 0.0f;
  if (share_variant(a, b)) {
    best = SIM_VARIANT;
    *how = EMB_HOW_VARIANT;
  }
  size_t longer = a->len > b->len ? a->len : b->len;
  int max = allowed_edits(longer);
  size_t skip = theophoric_prefix(a->text, a->len, b->text, b->len);
  if (skip)
    max = allowed_edits(longer - skip); /* the edits the attribute allows */
  /* The letter sets tell cheaply when the words are further apart than any edit count
   * that could still give a similarity; the edit distance is only run below that. */
  int floor_d = letters_bound(a->letters, b->letters);
  if (max > 0 && floor_d <= max) {
    int d = emb__edit_distance(a->text, a->len, b->text, b->len, max);
    if (d <= max) {
      float sim = 1.0f - 0.08f * (float)d - 0.5f * (float)d / (float)longer;
      if (sim > best) {
        best = sim;
        *how = EMB_HOW_FUZZY;
      }
    }
  }
  bool phon_may_agree = !a->phon_hash || !b->phon_hash || a->phon_hash == b->phon_hash;
  if (best < SIM_PHONETIC && phon_may_agree && longer >= 5 && a->text[0] == b->text[0] && a->phon &&
      b->phon && a->phon[0] && strcmp(a->phon, b->phon) == 0) {
    /* Sounding alike counts as much as the spellings are alike: "Hassan" and "Hussein"
     * share a key but are different names. */
    /* A word transliterated from a script that writes few vowels (Arabic, Hebrew) cannot
     * be expected to spell like its Latin form: sounding alike is the agreement. Otherwise
     * it counts as much as the spellings agree (edits bounded to what can still pass). */
    float sim = SIM_PHONETIC;
    if (a->origin != EMB_TO_TRANSLIT && b->origin != EMB_TO_TRANSLIT) {
      int pmax = (int)((1.0f - (SIM_PHONETIC_MIN - SIM_PHONETIC_BASE) / SIM_PHONETIC_SPAN) *
                       (float)longer);
      int d =
          floor_d > pmax ? pmax + 1 : emb__edit_distance(a->text, a->len, b->text, b->len, pmax);
      sim = d > pmax ? 0.0f
                     : SIM_PHONETIC_BASE + SIM_PHONETIC_SPAN * (1.0f - (float)d / (float)longer);
      if (sim > SIM_PHONETIC)
        sim = SIM_PHONETIC;
    }
    if (sim >= SIM_PHONETIC_MIN && sim > best) {
      best = sim;
      *how = EMB_HOW_PHONETIC;
    }
  }
  return best;
}

/* Similarity of x to y1 followed by y2 ("SergeiLavrov" / "Sergei Lavrov"), typos allowed;
 * 0 when they do not join. */
static float joins(const emb_ctok *x, const emb_ctok *y1, const emb_ctok *y2) {
  /* The checks on lengths and kinds come first: they need no text. */
  size_t lj = (size_t)y1->len + y2->len;
  if (y1->kind != EMB_TK_WORD || y2->kind != EMB_TK_WORD || x->len < 4 || lj > 64 ||
      (size_t)x->len + 3 < lj || lj + 3 < (size_t)x->len || x->text[0] != y1->text[0])
    return 0.0f;
  size_t longer = lj > x->len ? lj : x->len;
  int max = allowed_edits(longer);
  if (y1->letters && y2->letters && letters_bound(x->letters, y1->letters | y2->letters) > max)
    return 0.0f;
  char buf[64];
  memcpy(buf, y1->text, y1->len);
  memcpy(buf + y1->len, y2->text, y2->len);
  int d = emb__edit_distance(x->text, x->len, buf, lj, max);
  if (d > max)
    return 0.0f;
  return SIM_JOINED - 0.05f * (float)d;
}

/* Patronymic, nisbah and family-name endings: two names sharing one are alike by grammar,
 * not by name. Lengths are stored with the text: this is asked for every pair of leftover
 * words of every candidate. */
static const struct {
  const char *text;
  uint8_t len;
} NAME_ENDINGS[] = {{"sdottir", 7}, {"dottir", 6}, {"sson", 4},   {"son", 3},   {"sen", 3},
                    {"ovich", 5},   {"evich", 5},  {"ovna", 4},   {"evna", 4},  {"uddin", 5},
                    {"eddin", 5},   {"addin", 5},  {"ullah", 5},  {"ollah", 5}, {"allah", 5},
                    {"ani", 3},     {"awi", 3},    {"shvili", 6}, {"dze", 3},   {"ovski", 5},
                    {"evski", 5},   {"sky", 3},    {"ski", 3},    {"yan", 3},   {"ian", 3},
                    {"ova", 3},     {"eva", 3},    {"ov", 2},     {"ev", 2}};

/* Length of the longest ending from NAME_ENDINGS that both words have (0 if none). */
static size_t shared_ending(const char *a, size_t la, const char *b, size_t lb) {
  /* Every ending is at least two letters: words whose last two letters differ share none
   * (the common case, answered without looking at the table). */
  if (la < 3 || lb < 3 || a[la - 1] != b[lb - 1] || a[la - 2] != b[lb - 2])
    return 0;
  size_t best = 0;
  for (size_t k = 0; k < sizeof(NAME_ENDINGS) / sizeof(NAME_ENDINGS[0]); k++) {
    size_t n = NAME_ENDINGS[k].len;
    if (n > best && n < la && n < lb && memcmp(a + la - n, NAME_ENDINGS[k].text, n) == 0 &&
        memcmp(b + lb - n, NAME_ENDINGS[k].text, n) == 0)
      best = n;
  }
  return best;
}

/* Similarity of two leftover words, without the edit cap: 1 - edits / length. A shared
 * patronymic or nisbah ending is left out first ("-dottir", "-ani", "-uddin", "-ovich"),
 * so "Jonsdottir" and "Tomasdottir" are compared as "jon" and "toma". */
static float residual_sim(const emb_ctok *a, const emb_ctok *b) {
  if (a->kind != EMB_TK_WORD || b->kind != EMB_TK_WORD)
    return 0.0f;
  const char *ta = a->text, *tb = b->text;
  size_t la = a->len, lb = b->len;
  size_t common = shared_ending(ta, la, tb, lb);
  la -= common;
  lb -= common;
  size_t skip = theophoric_prefix(ta, la, tb, lb);
  ta += skip;
  tb += skip;
  la -= skip;
  lb -= skip;
  size_t longer = la > lb ? la : lb;
  if (longer < 5 || longer > 64)
    return 0.0f; /* in short words one letter makes another name: Wei, Wen */
  /* Only similarities of at least RESIDUAL_MIN matter: bound the edits accordingly. The
   * letter sets of the whole words bound the distance of the shortened ones too when only
   * a shared ending was cut (the ending adds the same letters to both sets), not when a
   * theophoric prefix was (its letters may differ). */
  int max = (int)((1.0f - RESIDUAL_MIN) * (float)longer);
  if (!skip && letters_bound(a->letters, b->letters) > max)
    return 0.0f;
  int d = emb__edit_distance(ta, la, tb, lb, max);
  return d > max ? 0.0f : 1.0f - (float)d / (float)longer;
}

void emb__sim_cache_next(emb_sim_cache *cache) {
  if (++cache->stamp == 0) {
    memset(cache->slots, 0, sizeof(cache->slots));
    cache->stamp = 1;
  }
}

/* token_sim through the cache when the candidate token is a dictionary token. Equality is
 * checked first, outside the cache, since its label depends on the occurrence's origin.
 * Known limitation (kept as is: changing it changes results): the key is the dictionary
 * token, not the occurrence, so when one query meets the same token with two origins
 * (written in Latin in one name, transliterated in another) the first similarity computed
 * is used for both, and the phonetic rule gives those different values. */
/* A query token is known by its text pointer: unique within one query. */
static uint32_t sim_key(const emb_ctok *a) {
  return (uint32_t)((uintptr_t)a->text >> 3);
}

/* The first slot probed for a pair. */
static uint32_t sim_hash(uint32_t qk, uint32_t id) {
  return (qk * 0x9E3779B1u) ^ (id * 0x85EBCA77u);
}

static float cached_sim(emb_sim_cache *cache, const emb_ctok *a, const emb_ctok *b, emb_how *how) {
  if (!cache || b->id == UINT32_MAX || same_text(a, b))
    return emb__token_sim(a, b, how);
  uint32_t qk = sim_key(a);
  uint32_t h = sim_hash(qk, b->id);
  for (uint32_t k = 0; k < 8; k++) {
    uint32_t i = (h + k) & (EMB_SIM_CACHE_SLOTS - 1);
    if (cache->slots[i].stamp != cache->stamp) {
      float sim = emb__token_sim(a, b, how);
      cache->slots[i].stamp = cache->stamp;
      cache->slots[i].q = qk;
      cache->slots[i].c = b->id;
      cache->slots[i].sim = sim;
      cache->slots[i].how = (uint8_t)*how;
      return sim;
    }
    if (cache->slots[i].q == qk && cache->slots[i].c == b->id) {
      *how = (emb_how)cache->slots[i].how;
      return cache->slots[i].sim;
    }
  }
  return emb__token_sim(a, b, how);
}

/* Position of the first patronymic connector ("bin", "ibn", "ben", "bint", "ould"), which
 * splits a name into the person's own names and the father's; nt when there is none. */
static size_t connector_at(const emb_ctok *t, size_t nt) {
  static const struct {
    const char *text;
    uint16_t len;
  } words[] = {{"bin", 3},   {"ibn", 3},  {"ben", 3},  {"bint", 4},
               {"binti", 5}, {"ould", 4}, {"walad", 5}};
  for (size_t i = 0; i + 1 < nt; i++) {
    if (i == 0 || t[i].kind != EMB_TK_WORD || t[i].len > 5)
      continue; /* a leading "Ben" is a given name; a trailing one connects nothing */
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
      if (words[k].len == t[i].len && memcmp(words[k].text, t[i].text, t[i].len) == 0)
        return i;
  }
  return nt;
}

/* True if an aligned word sits before the connector on one side and after it on the other:
 * "SALMAN BIN MUHAMMAD" is the father of "MUHAMMAD BIN SALMAN". */
static bool crosses_connector(const emb_ctok *q, size_t nq, const emb_ctok *c, size_t nc,
                              const emb_alignment *al) {
  size_t cq = connector_at(q, nq);
  if (cq == nq)
    return false; /* most queries have no connector: the candidate's is not looked for */
  size_t cc = connector_at(c, nc);
  if (cc == nc)
    return false;
  for (size_t k = 0; k < al->n_pairs; k++) {
    const emb_pair *p = &al->pairs[k];
    if ((size_t)p->q == cq || (size_t)p->c == cc)
      continue;
    if (((size_t)p->q < cq) != ((size_t)p->c < cc))
      return true;
  }
  return false;
}

typedef struct cand_pair {
  emb_pair p;
  float value; /* sim weighted by both sides' weights, for ordering */
} cand_pair;

static int cmp_cand(const void *a, const void *b) {
  const cand_pair *x = a, *y = b;
  if (x->p.sim != y->p.sim)
    return x->p.sim > y->p.sim ? -1 : 1;
  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return 0;
}

/*
 * True when a query word that is a legal form ("jsc", "zao", "gmbh") found no partner, or
 * only a fuzzy, phonetic or initial one ("zao" ~ "cho"): read as a person's name, it is
 * still an organisation's mark. A word the person's name really shares ("PAO" as a family
 * name, written the same or transliterated) does not count.
 */
static bool legal_word_left(const emb_ctok *q, size_t nq, const bool *qused,
                            const emb_alignment *al) {
  for (size_t i = 0; i < nq; i++)
    if (!qused[i] && q[i].kind == EMB_TK_WORD && q[i].legal)
      return true;
  for (size_t k = 0; k < al->n_pairs; k++) {
    const emb_pair *p = &al->pairs[k];
    if (q[p->q].kind == EMB_TK_WORD && q[p->q].legal && p->how != EMB_HOW_EXACT &&
        p->how != EMB_HOW_TRANSLIT && p->how != EMB_HOW_LEGAL)
      return true;
  }
  return false;
}

float emb__score_names(const emb_ctok *q, size_t nq, const emb_ctok *c, size_t nc, bool person,
                       emb_sim_cache *cache, emb_alignment *al) {
  /* The pairs past n_pairs are never read: only the counts and flags are reset (this runs
   * for every candidate). */
  al->n_pairs = 0;
  al->number_conflict = al->legal_conflict = al->substitution = false;
  al->legal_person = false;
  al->short_fuzzy_only = false;
  al->initials_only = al->order_conflict = false;
  al->score = 0.0f;
  if (nq > EMB_MAX_NAME_TOKENS)
    nq = EMB_MAX_NAME_TOKENS;
  if (nc > EMB_MAX_NAME_TOKENS)
    nc = EMB_MAX_NAME_TOKENS;
  if (!nq || !nc)
    return 0.0f;
  cand_pair cands[EMB_MAX_NAME_TOKENS * EMB_MAX_NAME_TOKENS + 2 * EMB_MAX_NAME_TOKENS];
  size_t nc_pairs = 0;
  if (cache) /* ask for the cache slots of all pairs at once: they are spread over 64 KB */
    for (size_t i = 0; i < nq; i++)
      for (size_t j = 0; j < nc; j++)
        __builtin_prefetch(
            &cache->slots[sim_hash(sim_key(&q[i]), c[j].id) & (EMB_SIM_CACHE_SLOTS - 1)]);
  for (size_t i = 0; i < nq; i++)
    for (size_t j = 0; j < nc; j++) {
      emb_how how;
      float s = cached_sim(cache, &q[i], &c[j], &how);
      if (s > 0.0f)
        cands[nc_pairs++] = (cand_pair){{(int8_t)i, -1, (int8_t)j, -1, (uint8_t)how, s},
                                        s * (q[i].weight + c[j].weight)};
    }
  /* Words written together on one side and apart on the other ("SergeiLavrov"); only a
   * word of four letters or more can stand for two. */
  for (size_t i = 0; i < nq; i++)
    for (size_t j = 0; j + 1 < nc && q[i].kind == EMB_TK_WORD && q[i].len >= 4; j++) {
      float js = joins(&q[i], &c[j], &c[j + 1]);
      if (js > 0.0f)
        cands[nc_pairs++] =
            (cand_pair){{(int8_t)i, -1, (int8_t)j, (int8_t)(j + 1), EMB_HOW_JOINED, js},
                        js * (q[i].weight + c[j].weight + c[j + 1].weight)};
    }
  for (size_t j = 0; j < nc; j++)
    for (size_t i = 0; i + 1 < nq && c[j].kind == EMB_TK_WORD && c[j].len >= 4; i++) {
      float js = joins(&c[j], &q[i], &q[i + 1]);
      if (js > 0.0f)
        cands[nc_pairs++] =
            (cand_pair){{(int8_t)i, (int8_t)(i + 1), (int8_t)j, -1, EMB_HOW_JOINED, js},
                        js * (q[i].weight + q[i + 1].weight + c[j].weight)};
    }
  for (size_t i = 1; i < nc_pairs; i++) { /* insertion sort: the lists are short */
    cand_pair x = cands[i];
    size_t j = i;
    while (j > 0 && cmp_cand(&x, &cands[j - 1]) < 0) {
      cands[j] = cands[j - 1];
      j--;
    }
    cands[j] = x;
  }

  bool qused[EMB_MAX_NAME_TOKENS] = {0}, cused[EMB_MAX_NAME_TOKENS] = {0};
  float num = 0.0f;
  for (size_t k = 0; k < nc_pairs && al->n_pairs < EMB_MAX_NAME_TOKENS; k++) {
    emb_pair p = cands[k].p;
    if (qused[p.q] || cused[p.c] || (p.q2 >= 0 && qused[p.q2]) || (p.c2 >= 0 && cused[p.c2]))
      continue;
    qused[p.q] = cused[p.c] = true;
    float w = q[p.q].weight + c[p.c].weight;
    if (p.q2 >= 0) {
      qused[p.q2] = true;
      w += q[p.q2].weight;
    }
    if (p.c2 >= 0) {
      cused[p.c2] = true;
      w += c[p.c2].weight;
    }
    num += p.sim * w;
    al->pairs[al->n_pairs++] = p;
  }
  /* Leftover words on both sides: similar ones count partially; dissimilar ones mean a
   * name part was substituted. */
  bool q_left = false, c_left = false;
  for (size_t i = 0; i < nq && person; i++) {
    if (qused[i] || q[i].kind != EMB_TK_WORD)
      continue;
    float best = 0.0f;
    size_t bj = 0;
    for (size_t j = 0; j < nc; j++) {
      if (cused[j])
        continue;
      float r = residual_sim(&q[i], &c[j]);
      if (r > best) {
        best = r;
        bj = j;
      }
    }
    if (best >= RESIDUAL_MIN && al->n_pairs < EMB_MAX_NAME_TOKENS) {
      float sim = best * RESIDUAL_FACTOR;
      qused[i] = cused[bj] = true;
      num += sim * (q[i].weight + c[bj].weight);
      al->pairs[al->n_pairs++] = (emb_pair){(int8_t)i, -1, (int8_t)bj, -1, EMB_HOW_FUZZY, sim};
    }
  }
  for (size_t i = 0; i < nq; i++)
    q_left |= !qused[i] && (q[i].kind == EMB_TK_WORD || q[i].kind == EMB_TK_INITIAL);
  for (size_t j = 0; j < nc; j++)
    c_left |= !cused[j] && (c[j].kind == EMB_TK_WORD || c[j].kind == EMB_TK_INITIAL);

  float unmatched = person ? UNMATCHED_PERSON : UNMATCHED_ORG;
  float den = 0.0f;
  bool q_num = false, c_num = false, num_agree = false;
  bool q_legal = false, c_legal = false, legal_agree = false;
  for (size_t i = 0; i < nq; i++) {
    den += q[i].weight * (qused[i] ? 1.0f : unmatched);
    q_num |= q[i].kind == EMB_TK_NUMBER;
    q_legal |= q[i].kind == EMB_TK_LEGAL;
  }
  for (size_t j = 0; j < nc; j++) {
    den += c[j].weight * (cused[j] ? 1.0f : unmatched);
    c_num |= c[j].kind == EMB_TK_NUMBER;
    c_legal |= c[j].kind == EMB_TK_LEGAL;
  }
  bool only_initials = al->n_pairs > 0;
  size_t n_short_fuzzy = 0, n_words = 0;
  for (size_t k = 0; k < al->n_pairs; k++) {
    const emb_pair *p = &al->pairs[k];
    uint8_t kind = c[p->c].kind;
    num_agree |= kind == EMB_TK_NUMBER;
    legal_agree |= kind == EMB_TK_LEGAL;
    only_initials &= p->how == EMB_HOW_INITIAL;
    if (kind != EMB_TK_LEGAL) {
      n_words++;
      n_short_fuzzy += p->how == EMB_HOW_FUZZY && c[p->c].len <= 4 && q[p->q].len <= 4;
    }
  }
  float score = den > 0.0f ? num / den : 0.0f;
  if (q_left && c_left) {
    al->substitution = true;
    score *= SUBSTITUTION_FACTOR;
  }
  if (person && crosses_connector(q, nq, c, nc, al)) {
    al->order_conflict = true;
    score *= ORDER_CONFLICT_FACTOR;
  }
  if (only_initials) {
    al->initials_only = true;
    score *= INITIALS_ONLY_FACTOR;
  }
  if (n_words > 0 && n_short_fuzzy == n_words) {
    al->short_fuzzy_only = true;
    score *= SHORT_FUZZY_ONLY_FACTOR;
  }
  if (q_num && c_num && !num_agree) {
    al->number_conflict = true;
    score *= NUMBER_CONFLICT_FACTOR;
  }
  if (q_legal && c_legal && !legal_agree) {
    al->legal_conflict = true;
    score *= LEGAL_CONFLICT_FACTOR;
  }
  if (person && legal_word_left(q, nq, qused, al)) {
    al->legal_person = true;
    score *= LEGAL_PERSON_FACTOR;
  }
  if (score > 1.0f)
    score = 1.0f;
  al->score = score;
  return score;
}

int emb__alignment_flags_json(const emb_alignment *al, emb_buf *out) {
  const struct {
    bool on;
    const char *key;
  } flags[] = {
      {al->number_conflict, "number_conflict"},
      {al->legal_conflict, "legal_form_conflict"},
      {al->legal_person, "legal_form_against_person"},
      {al->short_fuzzy_only, "short_fuzzy_only"},
      {al->substitution, "substitution"},
      {al->initials_only, "initials_only"},
      {al->order_conflict, "order_conflict"},
  };
  int rc = 0;
  for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]) && !rc; i++)
    if (flags[i].on)
      rc = emb__buf_printf(out, ",\"%s\":true", flags[i].key);
  return rc;
}

static int tok_json(emb_buf *out, const emb_ctok *t) {
  char tmp[256];
  size_t n = t->len < sizeof(tmp) - 1 ? t->len : sizeof(tmp) - 1;
  memcpy(tmp, t->text, n);
  tmp[n] = '\0';
  return emb__json_str(out, tmp);
}

static int joined_json(emb_buf *out, const emb_ctok *a, const emb_ctok *b) {
  char tmp[256];
  snprintf(tmp, sizeof(tmp), "%.*s %.*s", (int)a->len, a->text, (int)b->len, b->text);
  return emb__json_str(out, tmp);
}

int emb__alignment_json(const emb_alignment *al, const emb_ctok *q, size_t nq, const emb_ctok *c,
                        size_t nc, emb_buf *out) {
  int rc = emb__buf_putc(out, '[');
  bool qused[EMB_MAX_NAME_TOKENS] = {0}, cused[EMB_MAX_NAME_TOKENS] = {0};
  bool first = true;
  for (size_t k = 0; k < al->n_pairs && !rc; k++) {
    const emb_pair *p = &al->pairs[k];
    float w = q[p->q].weight + c[p->c].weight;
    qused[p->q] = cused[p->c] = true;
    if (!first)
      rc = emb__buf_putc(out, ',');
    first = false;
    rc = rc ? rc : emb__buf_puts(out, "{\"query\":");
    if (p->q2 >= 0) {
      qused[p->q2] = true;
      w += q[p->q2].weight;
      rc = rc ? rc : joined_json(out, &q[p->q], &q[p->q2]);
    } else {
      rc = rc ? rc : tok_json(out, &q[p->q]);
    }
    rc = rc ? rc : emb__buf_puts(out, ",\"candidate\":");
    if (p->c2 >= 0) {
      cused[p->c2] = true;
      w += c[p->c2].weight;
      rc = rc ? rc : joined_json(out, &c[p->c], &c[p->c2]);
    } else {
      rc = rc ? rc : tok_json(out, &c[p->c]);
    }
    rc = rc ? rc
            : emb__buf_printf(out, ",\"how\":\"%s\",\"similarity\":%.3f,\"weight\":%.3f}",
                              emb__how_name((emb_how)p->how), p->sim, w);
  }
  for (size_t i = 0; i < nq && !rc; i++) {
    if (qused[i])
      continue;
    rc = emb__buf_puts(out, first ? "{\"query\":" : ",{\"query\":");
    first = false;
    rc = rc ? rc : tok_json(out, &q[i]);
    rc = rc ? rc
            : emb__buf_printf(out, ",\"candidate\":null,\"how\":\"unmatched\",\"weight\":%.3f}",
                              q[i].weight);
  }
  for (size_t j = 0; j < nc && !rc; j++) {
    if (cused[j])
      continue;
    rc = emb__buf_puts(out, first ? "{\"query\":null,\"candidate\":"
                                  : ",{\"query\":null,\"candidate\":");
    first = false;
    rc = rc ? rc : tok_json(out, &c[j]);
    rc = rc ? rc : emb__buf_printf(out, ",\"how\":\"unmatched\",\"weight\":%.3f}", c[j].weight);
  }
  return rc ? rc : emb__buf_putc(out, ']');
}
