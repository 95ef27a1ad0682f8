/*
 * analyze.c - the analyzer: a name as written to classified, comparable tokens.
 *
 * emb_analyze_name runs the pipeline of analyze.h:
 *   1. emb__norm_run (normalize.c) gives code points, words separated by one space;
 *   2. each word is cut into runs of one script; ASCII runs are copied, other runs go to
 *      emb__translit_run (translit.c). The pieces a word yields become tokens. Han and
 *      Hangul runs come back one syllable per character and are grouped here: a run that
 *      is itself a known name variant stays one token ("普京" -> "pujing"); a Han run of 2-3
 *      characters (4 with a two-character surname) in a person name (or a name of unknown
 *      schema) becomes surname + given name ("习近平" -> "xi" "jinping"), as lists write
 *      Chinese names; a Hangul run of 2-3 syllables becomes one token per syllable ("김정은"
 *      -> "kim" "jong" "un", as in "KIM Jong Un"); longer runs and organisation names are
 *      joined (Hangul) or kept as syllables (Han). A legal form written in Han or kana
 *      ("有限公司", "株式会社") is cut from the end or the start of its word before
 *      transliteration;
 *   3. classification: for organisations (and unknown schemas) the longest legal-form
 *      phrase at each position becomes one EMB_TK_LEGAL token whose text is the
 *      comparable form; for persons (and unknown) titles at the start of the name
 *      ("Mr", "President", "Dr Prof") become EMB_TK_STOP; function words ("of", "the",
 *      "and") are EMB_TK_STOP for every schema; a token with a digit is a NUMBER, a single
 *      letter an INITIAL, anything else a WORD;
 *   4. each WORD gets its phonetic key and the union of the variant clusters of its Latin
 *      form and its original-script form.
 *
 * Memory: the analyzer keeps scratch buffers that grow to the largest name seen and are
 * reused, so analysing does not call malloc once warm; tokens and their strings are
 * allocated in the caller's arena. The tables (legal forms, variants) are shared between
 * clones by reference count.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "text/analyze.h"
#include "text/translit.h"

/* The read-only tables, shared by an analyzer and its clones. */
typedef struct tables {
  atomic_int refs;
  emb__legal *legal;
  emb__variants *variants;
} tables;

/* One token before classification. */
typedef struct piece {
  uint32_t t_off, t_len; /* Latin text in a->lat */
  uint32_t o_off, o_len; /* original-script normalised text in a->orig; o_len 0 if Latin */
  uint32_t src_start, src_end;
  uint8_t origin;
  const char *legal; /* set when the piece is already a legal form (Han affix) */
} piece;

struct emb_analyzer {
  tables *tab;
  emb__icu *icu; /* per analyzer */
  emb__norm nb;
  emb_buf lat;  /* Latin text of all pieces */
  emb_buf orig; /* original-script text of pieces */
  emb_buf run;  /* one run's transliteration */
  emb_buf word; /* the Latin text of a word being assembled */
  piece *pc;
  size_t n_pc, cap_pc;
  const char **tk; /* piece texts as NUL-terminated strings (in lat) */
  size_t *tl;
  size_t *lk;      /* legal phrase length starting at each piece, 0 if none */
  const char **lf; /* its comparable form */
  size_t cap_tk;
};

static void tables_release(tables *t) {
  if (!t || atomic_fetch_sub(&t->refs, 1) != 1)
    return;
  emb__legal_free(t->legal);
  emb__variants_free(t->variants);
  free(t);
}

emb_analyzer_opts emb_analyzer_opts_default(void) {
  emb_analyzer_opts o;
  memset(&o, 0, sizeof o);
  return o;
}

static emb_analyzer *alloc_analyzer(tables *t) {
  emb_analyzer *a = calloc(1, sizeof(*a));
  if (!a)
    return NULL;
  a->tab = t;
  emb__norm_init(&a->nb);
  emb__buf_init(&a->lat, (size_t)1 << 24);
  emb__buf_init(&a->orig, (size_t)1 << 24);
  emb__buf_init(&a->run, (size_t)1 << 24);
  emb__buf_init(&a->word, (size_t)1 << 24);
  return a;
}

/* The default variants file: $EMBARGO_DATA_DIR, else EMB_DATA_DIR, else "data". */
static const char *data_dir(void) {
  const char *env = getenv("EMBARGO_DATA_DIR");
  if (env && *env)
    return env;
#ifdef EMB_DATA_DIR
  return EMB_DATA_DIR;
#else
  return "data";
#endif
}

int emb_analyzer_new(const emb_analyzer_opts *o, emb_analyzer **out) {
  if (!out)
    return EMB_EINVAL;
  *out = NULL;
  tables *t = calloc(1, sizeof(*t));
  if (!t)
    return EMB_ENOMEM;
  atomic_init(&t->refs, 1);
  int rc = emb__legal_new(&t->legal);
  if (rc)
    goto fail;
  const char *vp = o ? o->variants_path : NULL;
  char path[4096];
  if (!vp) {
    int k = snprintf(path, sizeof path, "%s/names/names_wikidata_clusters.txt.gz", data_dir());
    if (k < 0 || (size_t)k >= sizeof path) {
      rc = EMB_EINVAL;
      goto fail;
    }
    vp = path;
  }
  if (*vp) {
    rc = emb__variants_load(vp, &t->variants);
    if (rc)
      goto fail;
  }
  emb_analyzer *a = alloc_analyzer(t);
  if (!a) {
    rc = EMB_ENOMEM;
    goto fail;
  }
  *out = a;
  return 0;
fail:
  tables_release(t);
  return rc;
}

int emb_analyzer_clone(const emb_analyzer *a, emb_analyzer **out) {
  if (!a || !out)
    return EMB_EINVAL;
  atomic_fetch_add(&a->tab->refs, 1);
  emb_analyzer *b = alloc_analyzer(a->tab);
  if (!b) {
    tables_release(a->tab);
    return EMB_ENOMEM;
  }
  *out = b;
  return 0;
}

void emb_analyzer_free(emb_analyzer *a) {
  if (!a)
    return;
  tables_release(a->tab);
  emb__icu_free(a->icu);
  emb__norm_fini(&a->nb);
  emb__buf_fini(&a->lat);
  emb__buf_fini(&a->orig);
  emb__buf_fini(&a->run);
  emb__buf_fini(&a->word);
  free(a->pc);
  free(a->tk);
  free(a->tl);
  free(a->lk);
  free(a->lf);
  free(a);
}

const uint32_t *emb_name_variants(const emb_analyzer *a, const char *word, size_t len, size_t *n) {
  *n = 0;
  if (!a || !a->tab->variants || !word)
    return NULL;
  return emb__variants_get(a->tab->variants, word, len, n);
}

const char *emb_legal_form_of(const emb_analyzer *a, const char *word, size_t len) {
  if (!a || !a->tab->legal || !word || len == 0)
    return NULL;
  const char *form = NULL;
  const char *toks[1] = {word};
  size_t lens[1] = {len};
  return emb__legal_match(a->tab->legal, toks, lens, 0, 1, &form) == 1 ? form : NULL;
}

/* ------------------------------------------------------------ pieces */

static piece *new_piece(emb_analyzer *a) {
  if (a->n_pc == a->cap_pc) {
    size_t cap = a->cap_pc ? a->cap_pc * 2 : 32;
    piece *p = realloc(a->pc, cap * sizeof(*p));
    if (!p)
      return NULL;
    a->pc = p;
    a->cap_pc = cap;
  }
  piece *p = &a->pc[a->n_pc++];
  memset(p, 0, sizeof(*p));
  return p;
}

/* Adds one piece per space-separated part of text[0..len) (Latin); all share orig/src. */
static int add_pieces(emb_analyzer *a, const char *text, size_t len, uint32_t o_off, uint32_t o_len,
                      uint32_t s0, uint32_t s1, uint8_t origin) {
  size_t i = 0;
  while (i < len) {
    while (i < len && text[i] == ' ')
      i++;
    size_t j = i;
    while (j < len && text[j] != ' ')
      j++;
    if (j > i) {
      piece *p = new_piece(a);
      if (!p)
        return EMB_ENOMEM;
      p->t_off = (uint32_t)a->lat.len;
      p->t_len = (uint32_t)(j - i);
      int rc = emb__buf_append(&a->lat, text + i, j - i);
      if (!rc)
        rc = emb__buf_putc(&a->lat, '\0');
      if (rc)
        return rc;
      p->o_off = o_off;
      p->o_len = o_len;
      p->src_start = s0;
      p->src_end = s1;
      p->origin = origin;
    }
    i = j;
  }
  return 0;
}

static int put_orig(emb_analyzer *a, const uint32_t *cp, size_t n, uint32_t *off, uint32_t *len) {
  *off = (uint32_t)a->orig.len;
  int rc = emb__utf8_put(&a->orig, cp, n);
  *len = (uint32_t)(a->orig.len - *off);
  return rc;
}

static bool is_variant(const emb_analyzer *a, const uint32_t *cp, size_t n) {
  if (!a->tab->variants)
    return false;
  char tmp[256];
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (k + 4 > sizeof tmp)
      return false;
    k += emb__utf8_enc(cp[i], tmp + k);
  }
  size_t nv;
  return emb__variants_get(a->tab->variants, tmp, k, &nv) != NULL && nv > 0;
}

static const uint32_t two_char_surnames[][2] = {
    {0x6B27, 0x9633}, {0x53F8, 0x9A6C}, {0x8BF8, 0x845B}, {0x4E0A, 0x5B98}, {0x4E1C, 0x65B9},
    {0x7687, 0x752B}, {0x590F, 0x4FAF}, {0x5C09, 0x8FDF}, {0x516C, 0x5B59}, {0x6155, 0x5BB9},
    {0x957F, 0x5B59}, {0x4EE4, 0x72D0}, {0x53F8, 0x5F92}, {0x8F69, 0x8F95}, {0x6B50, 0x967D},
    {0x53F8, 0x99AC}, {0x8AF8, 0x845B}, {0x6771, 0x65B9}, {0x9577, 0x5B6B}};

static size_t surname_len(const uint32_t *cp, size_t n) {
  if (n >= 3)
    for (size_t i = 0; i < sizeof two_char_surnames / sizeof two_char_surnames[0]; i++)
      if (cp[0] == two_char_surnames[i][0] && cp[1] == two_char_surnames[i][1])
        return 2;
  return 1;
}

/* Splits a.run (space-separated syllables) into its words; returns the count. */
static size_t syllables(const emb_buf *b, size_t *st, size_t *ln, size_t max) {
  size_t k = 0, i = 0;
  while (i < b->len && k < max) {
    while (i < b->len && b->data[i] == ' ')
      i++;
    size_t j = i;
    while (j < b->len && b->data[j] != ' ')
      j++;
    if (j > i) {
      st[k] = i;
      ln[k++] = j - i;
    }
    i = j;
  }
  return k;
}

/* Joins syllables [from, to) of a.run into one piece. */
static int join_syll(emb_analyzer *a, const size_t *st, const size_t *ln, size_t from, size_t to,
                     uint32_t o_off, uint32_t o_len, uint32_t s0, uint32_t s1) {
  piece *p = new_piece(a);
  if (!p)
    return EMB_ENOMEM;
  p->t_off = (uint32_t)a->lat.len;
  for (size_t k = from; k < to; k++) {
    int rc = emb__buf_append(&a->lat, a->run.data + st[k], ln[k]);
    if (rc)
      return rc;
  }
  p->t_len = (uint32_t)(a->lat.len - p->t_off);
  p->o_off = o_off;
  p->o_len = o_len;
  p->src_start = s0;
  p->src_end = s1;
  p->origin = EMB_TO_TRANSLIT;
  if (p->t_len == 0) {
    a->n_pc--;
    return 0;
  }
  return emb__buf_putc(&a->lat, '\0');
}

/* Han or Hangul run: transliterate, then group syllables into tokens. */
static int syllabic_run(emb_analyzer *a, emb__script sc, const uint32_t *cp, size_t n,
                        emb_schema schema, uint32_t s0, uint32_t s1) {
  emb__buf_reset(&a->run);
  int rc = emb__translit_run(&a->icu, sc, cp, n, true, 0, &a->run);
  if (rc)
    return rc;
  size_t st[64], ln[64];
  size_t k = syllables(&a->run, st, ln, 64);
  if (k == 0)
    return 0;
  uint32_t o_off, o_len;
  if ((rc = put_orig(a, cp, n, &o_off, &o_len)) != 0)
    return rc;
  bool person_ok = schema == EMB_SCHEMA_PERSON || schema == EMB_SCHEMA_UNKNOWN;
  if (k > 64 || k != n || is_variant(a, cp, n))
    return join_syll(a, st, ln, 0, k, o_off, o_len, s0, s1);
  if (sc == EMB__SC_HANI) {
    size_t sl = surname_len(cp, n);
    size_t max = schema == EMB_SCHEMA_PERSON ? 3 + (sl == 2) : 3;
    if (person_ok && n >= 2 && n <= max) {
      uint32_t so, sn, go, gn;
      if ((rc = put_orig(a, cp, sl, &so, &sn)) != 0 ||
          (rc = put_orig(a, cp + sl, n - sl, &go, &gn)) != 0)
        return rc;
      if ((rc = join_syll(a, st, ln, 0, sl, so, sn, s0, s1)) != 0)
        return rc;
      return join_syll(a, st, ln, sl, k, go, gn, s0, s1);
    }
    /* one token per character */
    for (size_t i = 0; i < k; i++) {
      uint32_t co, cn;
      if ((rc = put_orig(a, cp + i, 1, &co, &cn)) != 0 ||
          (rc = join_syll(a, st, ln, i, i + 1, co, cn, s0, s1)) != 0)
        return rc;
    }
    return 0;
  }
  /* Hangul */
  if (person_ok && n >= 2 && n <= 3) {
    for (size_t i = 0; i < k; i++) {
      uint32_t co, cn;
      if ((rc = put_orig(a, cp + i, 1, &co, &cn)) != 0 ||
          (rc = join_syll(a, st, ln, i, i + 1, co, cn, s0, s1)) != 0)
        return rc;
    }
    return 0;
  }
  return join_syll(a, st, ln, 0, k, o_off, o_len, s0, s1);
}

/* Byte length of the UTF-8 character starting at s[i]. */
static uint32_t char_len(const char *s, size_t len, uint32_t i) {
  if (i >= len)
    return 0;
  unsigned char c = (unsigned char)s[i];
  uint32_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return i + k > len ? (uint32_t)(len - i) : k;
}

/* Step 2 for one normalised word nb[ws, we). */
static int do_word(emb_analyzer *a, const char *name, size_t len, size_t ws, size_t we,
                   emb_schema schema, int lang) {
  const uint32_t *cp = a->nb.cp;
  uint32_t s0 = a->nb.off[ws];
  uint32_t s1 = a->nb.off[we - 1] + char_len(name, len, a->nb.off[we - 1]);
  uint8_t folded = 0;
  bool ascii = true;
  for (size_t i = ws; i < we; i++) {
    folded |= a->nb.fl[i];
    if (cp[i] >= 0x80)
      ascii = false;
  }
  uint8_t origin = folded ? EMB_TO_FOLDED : EMB_TO_ASIS;
  int rc;
  if (ascii) {
    char tmp[256];
    size_t n = we - ws;
    if (n <= sizeof tmp) {
      for (size_t i = 0; i < n; i++)
        tmp[i] = (char)cp[ws + i];
      return add_pieces(a, tmp, n, 0, 0, s0, s1, origin);
    }
    emb__buf_reset(&a->run);
    for (size_t i = ws; i < we; i++)
      if ((rc = emb__buf_putc(&a->run, (char)cp[i])) != 0)
        return rc;
    return add_pieces(a, a->run.data, a->run.len, 0, 0, s0, s1, origin);
  }
  /* Mixed or non-Latin: runs of one script. Han/Hangul runs and legal affixes make their
   * own pieces; everything else accumulates into one word. */
  emb_buf *word = &a->word;
  emb__buf_reset(word);
  bool translit = false, any_acc = false;
  size_t acc_from = ws;
  rc = 0;
  size_t i = ws;
  while (i < we && !rc) {
    emb__script sc = emb__script_of(cp[i]);
    size_t j = i + 1;
    while (j < we) {
      emb__script s2 = emb__script_of(cp[j]);
      bool same = s2 == sc || (sc == EMB__SC_ASCII && s2 == EMB__SC_LATIN) ||
                  (sc == EMB__SC_LATIN && s2 == EMB__SC_ASCII) ||
                  (s2 == EMB__SC_OTHER && emb__is_mark(cp[j])); /* kept marks go along */
      if (!same)
        break;
      j++;
    }
    if (sc == EMB__SC_ASCII)
      sc = EMB__SC_LATIN;
    bool syllabic = sc == EMB__SC_HANI || sc == EMB__SC_HANG;
    bool affixable = syllabic || sc == EMB__SC_HIRA || sc == EMB__SC_KATA;
    const uint32_t *rp = cp + i;
    size_t rn = j - i;
    const char *lform = NULL;
    size_t pre = 0, post = 0;
    if (affixable && a->tab->legal && schema != EMB_SCHEMA_PERSON) {
      bool at_end = false;
      size_t l = emb__legal_affix(a->tab->legal, rp, rn, &at_end, &lform);
      if (l && l < rn) {
        if (at_end)
          post = l;
        else
          pre = l;
      } else if (l == rn) {
        post = l;
      }
    }
    if (syllabic || pre || post) {
      /* flush what accumulated so far */
      if (any_acc && word->len) {
        uint32_t o_off, o_len;
        if ((rc = put_orig(a, cp + acc_from, i - acc_from, &o_off, &o_len)) != 0)
          break;
        rc = add_pieces(a, word->data, word->len, translit ? o_off : 0, translit ? o_len : 0, s0,
                        s1, translit ? EMB_TO_TRANSLIT : origin);
        if (rc)
          break;
      }
      emb__buf_reset(word);
      any_acc = false;
      translit = false;
      if (pre) {
        piece *p = new_piece(a);
        if (!p) {
          rc = EMB_ENOMEM;
          break;
        }
        p->legal = lform;
        p->src_start = s0;
        p->src_end = s1;
        p->origin = EMB_TO_TRANSLIT;
        if ((rc = put_orig(a, rp, pre, &p->o_off, &p->o_len)) != 0)
          break;
      }
      size_t core = rn - pre - post;
      if (core) {
        if (syllabic) {
          rc = syllabic_run(a, sc, rp + pre, core, schema, s0, s1);
        } else {
          emb__buf_reset(&a->run);
          rc = emb__translit_run(&a->icu, sc, rp + pre, core, true, lang, &a->run);
          uint32_t o_off, o_len;
          if (!rc)
            rc = put_orig(a, rp + pre, core, &o_off, &o_len);
          if (!rc)
            rc = add_pieces(a, a->run.data, a->run.len, o_off, o_len, s0, s1, EMB_TO_TRANSLIT);
        }
        if (rc)
          break;
      }
      if (post) {
        piece *p = new_piece(a);
        if (!p) {
          rc = EMB_ENOMEM;
          break;
        }
        p->legal = lform;
        p->src_start = s0;
        p->src_end = s1;
        p->origin = EMB_TO_TRANSLIT;
        if ((rc = put_orig(a, rp + rn - post, post, &p->o_off, &p->o_len)) != 0)
          break;
      }
      acc_from = j;
    } else {
      if (!any_acc)
        acc_from = i;
      any_acc = true;
      if (sc != EMB__SC_LATIN)
        translit = true;
      rc = emb__translit_run(&a->icu, sc, rp, rn, i == ws || !word->len, lang, word);
    }
    i = j;
  }
  if (!rc && any_acc && word->len) {
    uint32_t o_off = 0, o_len = 0;
    if (translit)
      rc = put_orig(a, cp + acc_from, we - acc_from, &o_off, &o_len);
    if (!rc)
      rc = add_pieces(a, word->data, word->len, o_off, o_len, s0, s1,
                      translit ? EMB_TO_TRANSLIT : origin);
  }
  return rc;
}

/* ------------------------------------------------------------ tokens */

static int ensure_tk(emb_analyzer *a, size_t n) {
  if (n <= a->cap_tk)
    return 0;
  size_t cap = a->cap_tk ? a->cap_tk : 32;
  while (cap < n)
    cap *= 2;
  const char **tk = realloc(a->tk, cap * sizeof(*tk));
  if (!tk)
    return EMB_ENOMEM;
  a->tk = tk;
  size_t *tl = realloc(a->tl, cap * sizeof(*tl));
  if (!tl)
    return EMB_ENOMEM;
  a->tl = tl;
  size_t *lk = realloc(a->lk, cap * sizeof(*lk));
  if (!lk)
    return EMB_ENOMEM;
  a->lk = lk;
  const char **lf = realloc(a->lf, cap * sizeof(*lf));
  if (!lf)
    return EMB_ENOMEM;
  a->lf = lf;
  a->cap_tk = cap;
  return 0;
}

static const uint32_t *merge_ids(emb_arena *arena, const uint32_t *x, size_t nx, const uint32_t *y,
                                 size_t ny, size_t *n) {
  if (!ny) {
    *n = nx;
    return x;
  }
  if (!nx) {
    *n = ny;
    return y;
  }
  uint32_t *m = emb__arena_alloc(arena, (nx + ny) * sizeof(*m));
  if (!m) {
    *n = nx;
    return x;
  }
  size_t i = 0, j = 0, k = 0;
  while (i < nx || j < ny) {
    uint32_t v;
    if (j >= ny || (i < nx && x[i] < y[j]))
      v = x[i++];
    else if (i >= nx || y[j] < x[i])
      v = y[j++];
    else {
      v = x[i++];
      j++;
    }
    m[k++] = v;
  }
  *n = k;
  return m;
}

/*
 * Marks the legal-form phrases among the np pieces in a->lk / a->lf (organisations and
 * unknown schemas; persons have none). When every piece would be a legal form or a
 * stopword ("PAT", "Limited"), the Latin pieces stay words, so that a name never loses
 * all its words. Han and kana legal affixes (which have no Latin text) are always
 * legal forms. The unknown schema reduces legal forms as organisations do, so that a
 * query of unknown schema meets a listed organisation token for token; a one-word
 * legal form that is also a name ("PAO, Yu Yi") is then a legal form too.
 */
static int find_legal(emb_analyzer *a, emb_schema schema, size_t np) {
  const emb__legal *lg = a->tab->legal;
  bool orgish = schema != EMB_SCHEMA_PERSON;
  bool any_word = false, any_latin_legal = false;
  for (size_t i = 0; i < np;) {
    a->lk[i] = 0;
    a->lf[i] = NULL;
    if (a->pc[i].legal) {
      a->lk[i] = 1;
      a->lf[i] = a->pc[i].legal;
      i++;
      continue;
    }
    size_t k = 0;
    const char *form = NULL;
    if (orgish && lg)
      k = emb__legal_match(lg, a->tk, a->tl, i, np, &form);
    if (k) {
      a->lk[i] = k;
      a->lf[i] = form;
      any_latin_legal = true;
      for (size_t j = i + 1; j < i + k; j++) {
        a->lk[j] = 0;
        a->lf[j] = NULL;
      }
      i += k;
      continue;
    }
    if (!lg || !emb__legal_is_stopword(lg, a->tk[i], a->tl[i]))
      any_word = true;
    i++;
  }
  if (any_latin_legal && !any_word)
    for (size_t i = 0; i < np; i++)
      if (!a->pc[i].legal) {
        a->lk[i] = 0;
        a->lf[i] = NULL;
      }
  return 0;
}

int emb_analyze_name(emb_analyzer *a, const char *name, size_t len, emb_schema schema,
                     emb_arena *arena, emb_token **tokens, size_t *n) {
  if (!tokens || !n)
    return EMB_EINVAL;
  *tokens = NULL;
  *n = 0;
  if (!a || !arena)
    return EMB_EINVAL;
  if (!name)
    len = 0;
  if (len > EMB__NAME_MAX_BYTES)
    len = EMB__NAME_MAX_BYTES;
  int rc = emb__norm_run(&a->nb, name, len);
  if (rc)
    return rc;
  a->n_pc = 0;
  emb__buf_reset(&a->lat);
  emb__buf_reset(&a->orig);
  int lang = EMB__CY_RU;
  for (size_t i = 0; i < a->nb.n; i++)
    if (a->nb.cp[i] >= 0x400 && a->nb.cp[i] <= 0x52F) {
      lang = emb__cyrillic_lang(a->nb.cp, a->nb.n);
      break;
    }
  for (size_t i = 0; i < a->nb.n;) {
    size_t j = i;
    while (j < a->nb.n && a->nb.cp[j] != ' ')
      j++;
    if (j > i && (rc = do_word(a, name, len, i, j, schema, lang)) != 0)
      return rc;
    i = j + 1;
  }
  size_t np = a->n_pc;
  if (np == 0)
    return 0;
  if ((rc = ensure_tk(a, np)) != 0)
    return rc;
  /* Texts are stable now (lat no longer grows). */
  for (size_t i = 0; i < np; i++) {
    a->tk[i] = a->pc[i].legal ? a->pc[i].legal : a->lat.data + a->pc[i].t_off;
    a->tl[i] = a->pc[i].legal ? strlen(a->pc[i].legal) : a->pc[i].t_len;
  }
  emb_token *out = emb__arena_alloc(arena, np * sizeof(*out));
  if (!out)
    return EMB_ENOMEM;
  bool orgish = schema != EMB_SCHEMA_PERSON;
  bool personish = schema == EMB_SCHEMA_PERSON || schema == EMB_SCHEMA_UNKNOWN;
  const emb__legal *lg = a->tab->legal;
  if ((rc = find_legal(a, schema, np)) != 0)
    return rc;
  size_t titles = 0; /* leading title tokens */
  if (personish && lg) {
    size_t i = 0;
    for (;;) {
      size_t k = emb__legal_title(lg, a->tk, a->tl, i, np);
      /* never drop the whole name; a legal phrase at least as long wins ("Private
       * Military Company" is a legal form, "Private" a rank) */
      if (!k || i + k >= np || (orgish && a->lk[i] >= k))
        break;
      i += k;
    }
    titles = i;
  }
  size_t m = 0;
  for (size_t i = 0; i < np;) {
    const piece *p = &a->pc[i];
    emb_token *t = &out[m];
    memset(t, 0, sizeof(*t));
    size_t take = 1;
    const char *form = NULL;
    if (i >= titles && a->lk[i]) {
      form = a->lf[i];
      take = a->lk[i];
    }
    const char *txt = form ? form : a->tk[i];
    size_t tlen = form ? strlen(form) : a->tl[i];
    if (tlen > 65535)
      tlen = 65535;
    char *s = emb__arena_strndup(arena, txt, tlen);
    if (!s)
      return EMB_ENOMEM;
    t->text = s;
    t->len = (uint16_t)tlen;
    t->origin = p->origin;
    uint32_t s0 = p->src_start, s1 = a->pc[i + take - 1].src_end;
    t->src_start = (uint16_t)(s0 > 65535 ? 65535 : s0);
    t->src_len = (uint16_t)(s1 - s0 > 65535 ? 65535 : s1 - s0);
    bool digit = false;
    for (size_t k = 0; k < tlen; k++)
      if (s[k] >= '0' && s[k] <= '9')
        digit = true;
    if (form)
      t->kind = EMB_TK_LEGAL;
    else if (i < titles || (orgish && lg && emb__legal_is_stopword(lg, s, tlen)))
      t->kind = EMB_TK_STOP;
    else if (digit)
      t->kind = EMB_TK_NUMBER;
    else if (tlen == 1)
      t->kind = EMB_TK_INITIAL;
    else
      t->kind = EMB_TK_WORD;
    t->phon = "";
    if (t->kind == EMB_TK_WORD) {
      char key[32];
      emb_phonetic_key(s, tlen, key, sizeof key);
      char *ks = emb__arena_strdup(arena, key);
      if (!ks)
        return EMB_ENOMEM;
      t->phon = ks;
      if (a->tab->variants) {
        size_t n1 = 0, n2 = 0, nm;
        const uint32_t *v1 = emb__variants_get(a->tab->variants, s, tlen, &n1);
        const uint32_t *v2 = NULL;
        if (p->o_len)
          v2 = emb__variants_get(a->tab->variants, a->orig.data + p->o_off, p->o_len, &n2);
        const uint32_t *v = merge_ids(arena, v1, n1, v2, n2, &nm);
        t->variants = v;
        t->n_variants = (uint16_t)(nm > 65535 ? 65535 : nm);
      }
    }
    m++;
    i += take;
  }
  *tokens = out;
  *n = m;
  return 0;
}

int emb_text_to_latin(emb_analyzer *a, const char *s, size_t len, emb_buf *out) {
  if (!a || !out)
    return EMB_EINVAL;
  emb_arena ar;
  emb__arena_init(&ar, 4096);
  emb_token *t;
  size_t n;
  /* The pieces of a person-schema analysis are exactly steps 1-2 (no legal-form cuts). */
  int rc = emb_analyze_name(a, s, len, EMB_SCHEMA_PERSON, &ar, &t, &n);
  for (size_t i = 0; !rc && i < a->n_pc; i++) {
    const piece *p = &a->pc[i];
    if (i)
      rc = emb__buf_putc(out, ' ');
    if (!rc)
      rc = emb__buf_append(out, a->lat.data + p->t_off, p->t_len);
  }
  emb__arena_fini(&ar);
  return rc;
}
