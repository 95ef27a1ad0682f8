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
 *   3. rewriting and classification: ordinals written with digits become their digits
 *      ("21st" -> "21") and words with look-alike digits their letters ("Sech1n" ->
 *      "sechin", a folded WORD); for organisations (and unknown schemas) the longest
 *      legal-form phrase at each position becomes one EMB_TK_LEGAL token whose text is
 *      the comparable form, a run of number words one NUMBER of digits ("Twenty-First"
 *      -> "21"), the longest organisation-symbol phrase one WORD with its class's text
 *      ("Corporation" -> "co", "Group of Companies" -> "grp"), and a Roman numeral a
 *      NUMBER ("Fund III" -> "3"); for persons (and unknown) titles at the start of the
 *      name ("Mr", "President", "Dr Prof") become EMB_TK_STOP and Arabic particles one
 *      spelling ("ibn" -> "bin", "abd al" -> "abdul"); a person's generation after the
 *      first word is a NUMBER ("Smith III"); function words ("of", "the", "and") are
 *      EMB_TK_STOP for non-persons; any other token with a digit is a NUMBER, a single
 *      letter an INITIAL, anything else a WORD. A legal form glued to a name in capitals
 *      ("SiemensAG") was split off in step 2;
 *   4. each WORD gets its phonetic key and the union of the variant clusters of its Latin
 *      form, its original-script form, its form as written when it was rewritten, and,
 *      for persons, of its nickname groups ("Ted": Edward's and Theodore's).
 *
 * Memory: the analyzer keeps scratch buffers that grow to the largest name seen and are
 * reused, so analysing does not call malloc once warm; tokens and their strings are
 * allocated in the caller's arena. The tables (legal forms, variants) are shared between
 * clones by reference count.
 */
#include <stdatomic.h>
#include <stdio.h>
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
  uint16_t nw_slots[512]; /* the number words by hash (number_slots) */
} tables;

/* One token before classification. */
typedef struct piece {
  uint32_t t_off, t_len; /* Latin text in a->lat */
  uint32_t o_off, o_len; /* original-script normalised text in a->orig; o_len 0 if Latin */
  uint32_t src_start, src_end;
  uint8_t origin;
  uint8_t fix; /* FIX_...: the comparable text was rewritten (in a->fix) */
  uint32_t f_off, f_len;
  const char *legal; /* set when the piece is already a legal form (Han affix) */
} piece;

/* How a piece's text was rewritten before classification. */
enum { FIX_NONE = 0, FIX_LEET, FIX_ORDINAL };

struct emb_analyzer {
  tables *tab;
  emb__icu *icu; /* per analyzer */
  emb__norm nb;
  emb_buf lat;  /* Latin text of all pieces */
  emb_buf orig; /* original-script text of pieces */
  emb_buf run;  /* one run's transliteration */
  emb_buf word; /* the Latin text of a word being assembled */
  emb_buf fix;  /* rewritten piece texts (look-alike digits, ordinals) */
  piece *pc;
  size_t n_pc, cap_pc;
  const char **tk; /* piece texts as NUL-terminated strings (in lat) */
  size_t *tl;
  size_t *lk;      /* legal phrase length starting at each piece, 0 if none */
  const char **lf; /* its comparable form */
  uint32_t *wi;    /* what the legal tables know of each piece (emb__legal_word) */
  size_t cap_tk;
};

static void number_slots(uint16_t *slots);
static int mark_number_words(emb__legal *l);

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
  emb__buf_init(&a->fix, (size_t)1 << 24);
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
  number_slots(t->nw_slots);
  int rc = emb__legal_new(&t->legal);
  if (rc)
    goto fail;
  if ((rc = mark_number_words(t->legal)) != 0)
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
  emb__buf_fini(&a->fix);
  free(a->pc);
  free(a->tk);
  free(a->tl);
  free(a->lk);
  free(a->lf);
  free(a->wi);
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

/*
 * True when the normalised word nb[i, we) was written in two or more capitals after a
 * small letter and is by itself a legal form ("SiemensAG": "ag"). The normaliser flags
 * the first capital (EMB__CF_CASEBREAK); the capitals are checked in the original name.
 */
static bool glued_legal(const emb_analyzer *a, const char *name, size_t len, size_t i, size_t we) {
  char w[16];
  size_t n = we - i;
  if (!a->tab->legal || n < 2 || n >= sizeof w)
    return false;
  for (size_t k = 0; k < n; k++) {
    uint32_t off = a->nb.off[i + k];
    if (off >= len || name[off] < 'A' || name[off] > 'Z' || off != a->nb.off[i] + k)
      return false;
    w[k] = (char)a->nb.cp[i + k];
  }
  return emb_legal_form_of(a, w, n) != NULL;
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
    folded |= a->nb.fl[i] & EMB__CF_FOLDED;
    if (cp[i] >= 0x80)
      ascii = false;
  }
  uint8_t origin = folded ? EMB_TO_FOLDED : EMB_TO_ASIS;
  int rc;
  if (ascii) {
    char tmp[257];
    size_t n = we - ws;
    if (n < sizeof tmp) {
      size_t k = 0;
      if ((a->nb.any_fl & EMB__CF_CASEBREAK) && schema != EMB_SCHEMA_PERSON) {
        for (size_t i = 0; i < n; i++) {
          if ((a->nb.fl[ws + i] & EMB__CF_CASEBREAK) && glued_legal(a, name, len, ws + i, we))
            tmp[k++] = ' '; /* "SiemensAG" -> "siemens ag" */
          tmp[k++] = (char)cp[ws + i];
        }
      } else {
        for (size_t i = 0; i < n; i++)
          tmp[i] = (char)cp[ws + i];
        k = n;
      }
      return add_pieces(a, tmp, k, 0, 0, s0, s1, origin);
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

/* ------------------------------------------------- numbers, look-alike digits */

/*
 * Number words. An organisation or vessel name writes a number as digits, as a word or
 * as an ordinal ("3 Percenters" / "Three Percenters", "1st" / "First" / "Erste"); all
 * become one NUMBER token of decimal digits. English cardinals and ordinals with their
 * compounds ("twenty one", "one hundred and five", "twenty first"), and the common
 * single words of French, German, Spanish, Italian and (romanised) Russian. Left out as
 * names or everyday words: French "un une neuf cent", German "elf", Spanish "una dos mil
 * quinta cuarto primer" (also "primer" the paint, and Russian "пример", an example),
 * Italian "primo", Russian "sem", English "once". Persons never get number words.
 */
typedef enum { NW_UNIT, NW_TEEN, NW_TENS, NW_HUNDRED, NW_THOUSAND } nw_class;

typedef struct number_word {
  const char *w;
  uint16_t v;
  uint8_t cls;     /* nw_class */
  uint8_t ordinal; /* an ordinal ends the number */
} number_word;

static const number_word number_words[] = {
    /* English */
    {"zero", 0, NW_UNIT, 0},
    {"one", 1, NW_UNIT, 0},
    {"two", 2, NW_UNIT, 0},
    {"three", 3, NW_UNIT, 0},
    {"four", 4, NW_UNIT, 0},
    {"five", 5, NW_UNIT, 0},
    {"six", 6, NW_UNIT, 0},
    {"seven", 7, NW_UNIT, 0},
    {"eight", 8, NW_UNIT, 0},
    {"nine", 9, NW_UNIT, 0},
    {"ten", 10, NW_TEEN, 0},
    {"eleven", 11, NW_TEEN, 0},
    {"twelve", 12, NW_TEEN, 0},
    {"thirteen", 13, NW_TEEN, 0},
    {"fourteen", 14, NW_TEEN, 0},
    {"fifteen", 15, NW_TEEN, 0},
    {"sixteen", 16, NW_TEEN, 0},
    {"seventeen", 17, NW_TEEN, 0},
    {"eighteen", 18, NW_TEEN, 0},
    {"nineteen", 19, NW_TEEN, 0},
    {"twenty", 20, NW_TENS, 0},
    {"thirty", 30, NW_TENS, 0},
    {"forty", 40, NW_TENS, 0},
    {"fourty", 40, NW_TENS, 0},
    {"fifty", 50, NW_TENS, 0},
    {"sixty", 60, NW_TENS, 0},
    {"seventy", 70, NW_TENS, 0},
    {"eighty", 80, NW_TENS, 0},
    {"ninety", 90, NW_TENS, 0},
    {"hundred", 100, NW_HUNDRED, 0},
    {"thousand", 1000, NW_THOUSAND, 0},
    {"first", 1, NW_UNIT, 1},
    {"second", 2, NW_UNIT, 1},
    {"third", 3, NW_UNIT, 1},
    {"fourth", 4, NW_UNIT, 1},
    {"fifth", 5, NW_UNIT, 1},
    {"sixth", 6, NW_UNIT, 1},
    {"seventh", 7, NW_UNIT, 1},
    {"eighth", 8, NW_UNIT, 1},
    {"ninth", 9, NW_UNIT, 1},
    {"tenth", 10, NW_TEEN, 1},
    {"eleventh", 11, NW_TEEN, 1},
    {"twelfth", 12, NW_TEEN, 1},
    {"thirteenth", 13, NW_TEEN, 1},
    {"fourteenth", 14, NW_TEEN, 1},
    {"fifteenth", 15, NW_TEEN, 1},
    {"sixteenth", 16, NW_TEEN, 1},
    {"seventeenth", 17, NW_TEEN, 1},
    {"eighteenth", 18, NW_TEEN, 1},
    {"nineteenth", 19, NW_TEEN, 1},
    {"twentieth", 20, NW_TENS, 1},
    {"thirtieth", 30, NW_TENS, 1},
    {"fortieth", 40, NW_TENS, 1},
    {"fiftieth", 50, NW_TENS, 1},
    {"sixtieth", 60, NW_TENS, 1},
    {"seventieth", 70, NW_TENS, 1},
    {"eightieth", 80, NW_TENS, 1},
    {"ninetieth", 90, NW_TENS, 1},
    {"hundredth", 100, NW_HUNDRED, 1},
    {"thousandth", 1000, NW_THOUSAND, 1},
    /* French */
    {"deux", 2, NW_UNIT, 0},
    {"trois", 3, NW_UNIT, 0},
    {"quatre", 4, NW_UNIT, 0},
    {"cinq", 5, NW_UNIT, 0},
    {"sept", 7, NW_UNIT, 0},
    {"huit", 8, NW_UNIT, 0},
    {"dix", 10, NW_TEEN, 0},
    {"onze", 11, NW_TEEN, 0},
    {"douze", 12, NW_TEEN, 0},
    {"vingt", 20, NW_TENS, 0},
    {"trente", 30, NW_TENS, 0},
    {"quarante", 40, NW_TENS, 0},
    {"premier", 1, NW_UNIT, 1},
    {"premiere", 1, NW_UNIT, 1},
    {"seconde", 2, NW_UNIT, 1},
    {"deuxieme", 2, NW_UNIT, 1},
    {"troisieme", 3, NW_UNIT, 1},
    {"quatrieme", 4, NW_UNIT, 1},
    {"cinquieme", 5, NW_UNIT, 1},
    {"sixieme", 6, NW_UNIT, 1},
    {"septieme", 7, NW_UNIT, 1},
    {"huitieme", 8, NW_UNIT, 1},
    {"neuvieme", 9, NW_UNIT, 1},
    {"dixieme", 10, NW_TEEN, 1},
    /* German (umlauts folded: fünf -> funf, or written fuenf) */
    {"eins", 1, NW_UNIT, 0},
    {"zwei", 2, NW_UNIT, 0},
    {"drei", 3, NW_UNIT, 0},
    {"vier", 4, NW_UNIT, 0},
    {"funf", 5, NW_UNIT, 0},
    {"fuenf", 5, NW_UNIT, 0},
    {"sechs", 6, NW_UNIT, 0},
    {"sieben", 7, NW_UNIT, 0},
    {"acht", 8, NW_UNIT, 0},
    {"neun", 9, NW_UNIT, 0},
    {"zehn", 10, NW_TEEN, 0},
    {"zwolf", 12, NW_TEEN, 0},
    {"zwoelf", 12, NW_TEEN, 0},
    {"zwanzig", 20, NW_TENS, 0},
    {"dreissig", 30, NW_TENS, 0},
    {"hundert", 100, NW_HUNDRED, 0},
    {"tausend", 1000, NW_THOUSAND, 0},
    {"erste", 1, NW_UNIT, 1},
    {"erster", 1, NW_UNIT, 1},
    {"ersten", 1, NW_UNIT, 1},
    {"erstes", 1, NW_UNIT, 1},
    {"zweite", 2, NW_UNIT, 1},
    {"zweiter", 2, NW_UNIT, 1},
    {"zweiten", 2, NW_UNIT, 1},
    {"dritte", 3, NW_UNIT, 1},
    {"dritter", 3, NW_UNIT, 1},
    {"dritten", 3, NW_UNIT, 1},
    {"vierte", 4, NW_UNIT, 1},
    {"funfte", 5, NW_UNIT, 1},
    {"sechste", 6, NW_UNIT, 1},
    {"siebte", 7, NW_UNIT, 1},
    {"achte", 8, NW_UNIT, 1},
    {"neunte", 9, NW_UNIT, 1},
    {"zehnte", 10, NW_TEEN, 1},
    /* Spanish, Portuguese, Italian */
    {"uno", 1, NW_UNIT, 0},
    {"tres", 3, NW_UNIT, 0},
    {"cuatro", 4, NW_UNIT, 0},
    {"cinco", 5, NW_UNIT, 0},
    {"seis", 6, NW_UNIT, 0},
    {"siete", 7, NW_UNIT, 0},
    {"ocho", 8, NW_UNIT, 0},
    {"nueve", 9, NW_UNIT, 0},
    {"diez", 10, NW_TEEN, 0},
    {"veinte", 20, NW_TENS, 0},
    {"primero", 1, NW_UNIT, 1},
    {"primera", 1, NW_UNIT, 1},
    {"segundo", 2, NW_UNIT, 1},
    {"segunda", 2, NW_UNIT, 1},
    {"tercero", 3, NW_UNIT, 1},
    {"tercera", 3, NW_UNIT, 1},
    {"tercer", 3, NW_UNIT, 1},
    {"secondo", 2, NW_UNIT, 1},
    {"terzo", 3, NW_UNIT, 1},
    /* Russian, as the Cyrillic table romanises it */
    {"odin", 1, NW_UNIT, 0},
    {"odna", 1, NW_UNIT, 0},
    {"odno", 1, NW_UNIT, 0},
    {"dva", 2, NW_UNIT, 0},
    {"dve", 2, NW_UNIT, 0},
    {"tri", 3, NW_UNIT, 0},
    {"chetyre", 4, NW_UNIT, 0},
    {"pyat", 5, NW_UNIT, 0},
    {"shest", 6, NW_UNIT, 0},
    {"vosem", 8, NW_UNIT, 0},
    {"devyat", 9, NW_UNIT, 0},
    {"desyat", 10, NW_TEEN, 0},
    {"pervyy", 1, NW_UNIT, 1},
    {"pervaya", 1, NW_UNIT, 1},
    {"pervoye", 1, NW_UNIT, 1},
    {"pervoe", 1, NW_UNIT, 1},
    {"pervyi", 1, NW_UNIT, 1},
    {"vtoroy", 2, NW_UNIT, 1},
    {"vtoraya", 2, NW_UNIT, 1},
    {"vtoroye", 2, NW_UNIT, 1},
    {"vtoroe", 2, NW_UNIT, 1},
    {"tretiy", 3, NW_UNIT, 1},
    {"tretya", 3, NW_UNIT, 1},
    {"tretye", 3, NW_UNIT, 1},
};

/* The number words by hash: slot -> index + 1 (0: empty); kept in the shared tables. */
#define NW_SLOTS 512

static uint32_t nw_hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (uint8_t)s[i]) * 16777619u;
  return h;
}

static void number_slots(uint16_t *slots) {
  memset(slots, 0, NW_SLOTS * sizeof(*slots));
  for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++) {
    const char *w = number_words[i].w;
    uint32_t h = nw_hash(w, strlen(w));
    while (slots[h & (NW_SLOTS - 1)])
      h++;
    slots[h & (NW_SLOTS - 1)] = (uint16_t)(i + 1);
  }
}

/* Marks the number words in the legal tables' word map, so that one lookup per word
 * tells whether a number may start there. */
static int mark_number_words(emb__legal *l) {
  for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++) {
    int rc = emb__legal_mark(l, number_words[i].w, strlen(number_words[i].w), EMB__LW_NUMBER);
    if (rc)
      return rc;
  }
  return 0;
}

static const number_word *number_word_of(const uint16_t *slots, const char *s, size_t n) {
  if (n < 3 || n > 11)
    return NULL;
  uint32_t h = nw_hash(s, n);
  for (uint16_t k; (k = slots[h & (NW_SLOTS - 1)]) != 0; h++) {
    const number_word *w = &number_words[k - 1];
    if (w->w[0] == s[0] && strncmp(w->w, s, n) == 0 && w->w[n] == '\0')
      return w;
  }
  return NULL;
}

/*
 * A run of number words starting at piece i (before n): returns the pieces it takes (0
 * if none) and its value. Compounds follow English grammar: tens then a unit ("twenty
 * one"), a multiplier after anything ("two hundred", "hundred"), "and" after hundred or
 * thousand ("one hundred and five"); two units in a row are two numbers; an ordinal
 * ends the number ("twenty first").
 */
static size_t number_phrase(const uint16_t *slots, const char *const *tk, const size_t *tl,
                            size_t i, size_t n, unsigned long *value) {
  unsigned long total = 0, cur = 0;
  int last = -1; /* class of the last word taken */
  size_t j = i, taken = 0;
  while (j < n) {
    const number_word *w = number_word_of(slots, tk[j], tl[j]);
    if (!w) {
      /* "and" inside "one hundred and five" */
      if (tl[j] == 3 && memcmp(tk[j], "and", 3) == 0 &&
          (last == NW_HUNDRED || last == NW_THOUSAND) && j + 1 < n) {
        const number_word *nx = number_word_of(slots, tk[j + 1], tl[j + 1]);
        if (nx && nx->cls <= NW_TENS) {
          j++;
          continue;
        }
      }
      break;
    }
    bool ok;
    switch (w->cls) {
    case NW_UNIT: ok = last < 0 || last == NW_TENS || last >= NW_HUNDRED; break;
    case NW_TEEN:
    case NW_TENS: ok = last < 0 || last >= NW_HUNDRED; break;
    default: ok = last != NW_HUNDRED || w->cls == NW_THOUSAND; break;
    }
    if (!ok)
      break;
    if (w->cls == NW_HUNDRED) {
      cur = (cur ? cur : 1) * 100;
    } else if (w->cls == NW_THOUSAND) {
      total += (cur ? cur : 1) * 1000;
      cur = 0;
      if (total > 999999999UL)
        break;
    } else {
      cur += w->v;
    }
    last = w->cls;
    j++;
    taken = j - i;
    if (w->ordinal)
      break;
  }
  *value = total + cur;
  return taken;
}

/* "1st", "22nd", "3rd", "4th", French "1er", "1re", "2e", "2eme": the length of the
 * digits when s is an ordinal written with digits, else 0. */
static size_t ordinal_digits(const char *s, size_t n) {
  size_t d = 0;
  while (d < n && s[d] >= '0' && s[d] <= '9')
    d++;
  if (d == 0 || d == n || n - d > 4)
    return 0;
  static const char *const suffix[] = {"st", "nd", "rd", "th", "er", "re", "e", "eme", "ieme"};
  for (size_t k = 0; k < sizeof suffix / sizeof suffix[0]; k++)
    if (strlen(suffix[k]) == n - d && memcmp(suffix[k], s + d, n - d) == 0)
      return d;
  return 0;
}

/* Value 1-39 of a Roman numeral written canonically with i, v and x, else 0. */
static int roman_value(const char *s, size_t n) {
  static const char *const ones[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
  if (n == 0 || n > 8 || (s[0] != 'i' && s[0] != 'v' && s[0] != 'x'))
    return 0;
  size_t t = 0;
  while (t < n && t < 3 && s[t] == 'x')
    t++;
  if (t == n)
    return t ? (int)(10 * t) : 0;
  for (int k = 1; k <= 9; k++)
    if (strlen(ones[k]) == n - t && memcmp(ones[k], s + t, n - t) == 0)
      return (int)(10 * t) + k;
  return 0;
}

static bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/*
 * Look-alike digits inside a word ("Ig0r", "Sech1n", "Put1n", "L00KOIL"): the letters the
 * digits stand for, written to out (n bytes), or false when s is a real alphanumeric
 * ("A320", "MIG29", "S7", "3M", "G4S", "Su30"). The rule: every digit is one of 0 1 3 4 5
 * 7 8 (o, i or l, e, a, s, t, b); each run of digits is one digit or one digit repeated;
 * at least three letters and twice as many letters as digits; and every run of digits
 * stands between letters, except that a person's name may also start with one ("1gor":
 * model numbers and brands such as "7Eleven" or "Boeing747" are not persons). A "1"
 * between two vowels is "l" ("Ro1and", "A1i"), else "i".
 */
static bool leet_word(const char *s, size_t n, bool person, char *out) {
  size_t letters = 0, digits = 0;
  for (size_t k = 0; k < n; k++) {
    char c = s[k];
    if (c >= 'a' && c <= 'z') {
      letters++;
      continue;
    }
    if (c < '0' || c > '9' || c == '2' || c == '6' || c == '9')
      return false;
    digits++;
    if (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9' && s[k - 1] != c)
      return false; /* "30", "15": a number, not a letter */
  }
  if (!digits || letters < 3 || letters < 2 * digits)
    return false;
  if (s[n - 1] >= '0' && s[n - 1] <= '9')
    return false;
  if (!person && s[0] >= '0' && s[0] <= '9')
    return false;
  for (size_t k = 0; k < n; k++) {
    char c = s[k];
    switch (c) {
    case '0': c = 'o'; break;
    case '1': {
      size_t a = k, b = k;
      while (a > 0 && s[a - 1] == '1')
        a--;
      while (b + 1 < n && s[b + 1] == '1')
        b++;
      c = (a > 0 && b + 1 < n && is_vowel(s[a - 1]) && is_vowel(s[b + 1])) ? 'l' : 'i';
      break;
    }
    case '3': c = 'e'; break;
    case '4': c = 'a'; break;
    case '5': c = 's'; break;
    case '7': c = 't'; break;
    case '8': c = 'b'; break;
    default: break;
    }
    out[k] = c;
  }
  return true;
}

/*
 * Rewrites piece texts before classification: an ordinal written with digits becomes its
 * digits ("21st" -> "21"), a word with look-alike digits its letters ("sech1n" ->
 * "sechin"). The new texts go to a->fix; the pieces' own text (the Latin form that
 * emb_text_to_latin returns) is kept.
 */
static int fix_pieces(emb_analyzer *a, bool person, size_t np) {
  emb__buf_reset(&a->fix);
  bool digits = (a->nb.any_fl & EMB__CF_DIGIT) != 0;
  for (size_t i = 0; i < np; i++) {
    piece *p = &a->pc[i];
    p->fix = FIX_NONE;
    if (!digits)
      continue;
    if (p->legal || p->t_len < 2 || p->t_len > 64)
      continue;
    const char *t = a->lat.data + p->t_off;
    bool digit = false, letter = false;
    for (size_t k = 0; k < p->t_len; k++) {
      digit |= t[k] >= '0' && t[k] <= '9';
      letter |= t[k] >= 'a' && t[k] <= 'z';
    }
    if (!digit || !letter)
      continue;
    char buf[64];
    size_t len = ordinal_digits(t, p->t_len);
    uint8_t fix = FIX_ORDINAL;
    if (len) {
      memcpy(buf, t, len);
    } else if (leet_word(t, p->t_len, person, buf)) {
      len = p->t_len;
      fix = FIX_LEET;
    } else {
      continue;
    }
    p->fix = fix;
    p->f_off = (uint32_t)a->fix.len;
    p->f_len = (uint32_t)len;
    int rc = emb__buf_append(&a->fix, buf, len);
    if (!rc)
      rc = emb__buf_putc(&a->fix, '\0');
    if (rc)
      return rc;
  }
  return 0;
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
  uint32_t *wi = realloc(a->wi, cap * sizeof(*wi));
  if (!wi)
    return EMB_ENOMEM;
  a->wi = wi;
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
 * Arabic name particles written several ways, in person names: "bin", "ibn", "ben" and
 * the transliterated "bn" (بن) become "bin"; "abd al", "abd el", "abd ul", "abdel",
 * "abdal" (عبد ال) become "abdul", so that "Abd al-Rahman" and "Abdul Rahman" align word
 * for word. Returns the pieces taken (1 if none) and sets *form when one applies.
 */
static size_t particle(const char *const *tk, const size_t *tl, size_t i, size_t np,
                       const char **form) {
  const char *t = tk[i];
  size_t n = tl[i];
  if ((n == 3 && (memcmp(t, "ibn", 3) == 0 || memcmp(t, "ben", 3) == 0)) ||
      (n == 2 && memcmp(t, "bn", 2) == 0)) {
    *form = "bin";
    return 1;
  }
  if (n == 5 &&
      (memcmp(t, "abdel", 5) == 0 || memcmp(t, "abdal", 5) == 0 || memcmp(t, "abdol", 5) == 0)) {
    *form = "abdul";
    return 1;
  }
  if (n == 3 && memcmp(t, "abd", 3) == 0 && i + 1 < np && tl[i + 1] == 2 &&
      (memcmp(tk[i + 1], "al", 2) == 0 || memcmp(tk[i + 1], "el", 2) == 0 ||
       memcmp(tk[i + 1], "ul", 2) == 0)) {
    *form = "abdul";
    return 2;
  }
  return 1;
}

/* True when no piece after i is anything but a legal form or a stopword: piece i is the
 * last word of the name ("Partners V L.P."). */
static bool last_word(const emb_analyzer *a, size_t i, size_t np) {
  for (size_t j = i + 1; j < np;) {
    if (a->lk[j]) {
      j += a->lk[j];
      continue;
    }
    if (!(a->wi[j] & EMB__LW_STOP))
      return false;
    j++;
  }
  return true;
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
  bool orgish = schema != EMB_SCHEMA_PERSON && lg;
  bool any_word = false, any_latin_legal = false;
  for (size_t i = 0; i < np; i++)
    a->wi[i] = orgish && !a->pc[i].legal ? emb__legal_word(lg, a->tk[i], a->tl[i]) : 0;
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
    if (EMB__LW_LEGAL(a->wi[i]))
      k = emb__legal_phrase(lg, false, a->wi[i], a->tk, a->tl, i, np, &form);
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
    if (!(a->wi[i] & EMB__LW_STOP))
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
  bool orgish = schema != EMB_SCHEMA_PERSON;
  bool personish = schema == EMB_SCHEMA_PERSON || schema == EMB_SCHEMA_UNKNOWN;
  if ((rc = fix_pieces(a, schema == EMB_SCHEMA_PERSON, np)) != 0)
    return rc;
  /* Texts are stable now (lat and fix no longer grow). */
  for (size_t i = 0; i < np; i++) {
    const piece *p = &a->pc[i];
    if (p->legal) {
      a->tk[i] = p->legal;
      a->tl[i] = strlen(p->legal);
    } else if (p->fix) {
      a->tk[i] = a->fix.data + p->f_off;
      a->tl[i] = p->f_len;
    } else {
      a->tk[i] = a->lat.data + p->t_off;
      a->tl[i] = p->t_len;
    }
  }
  emb_token *out = emb__arena_alloc(arena, np * sizeof(*out));
  if (!out)
    return EMB_ENOMEM;
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
  size_t next_legal = 0; /* the next piece at or after i that starts a legal phrase */
  for (size_t i = 0; i < np;) {
    const piece *p = &a->pc[i];
    emb_token *t = &out[m];
    memset(t, 0, sizeof(*t));
    size_t take = 1;
    const char *form = NULL;
    char numbuf[24];
    int kind = -1;
    uint8_t origin = p->fix == FIX_LEET ? EMB_TO_FOLDED : p->origin;
    if (i >= titles && a->lk[i]) {
      form = a->lf[i];
      take = a->lk[i];
      kind = EMB_TK_LEGAL;
    } else if (orgish && i >= titles) {
      if (next_legal <= i)
        for (next_legal = i + 1; next_legal < np && !a->lk[next_legal]; next_legal++)
          ;
      unsigned long v = 0;
      size_t k = (a->wi[i] & EMB__LW_NUMBER)
                     ? number_phrase(a->tab->nw_slots, a->tk, a->tl, i, next_legal, &v)
                     : 0;
      const char *sym = NULL;
      if (k) {
        snprintf(numbuf, sizeof numbuf, "%lu", v);
        form = numbuf;
        take = k;
        kind = EMB_TK_NUMBER;
      } else if (EMB__LW_SYMBOL(a->wi[i]) &&
                 (k = emb__legal_phrase(lg, true, a->wi[i], a->tk, a->tl, i, next_legal, &sym))) {
        form = sym;
        take = k;
        kind = EMB_TK_WORD;
      } else if (!p->fix && p->origin != EMB_TO_TRANSLIT) {
        /* Roman numerals: "Fund III", "Queen Mary II"; "vi" and "xi" are also words and
         * syllables, so not at the start; a lone "i", "v" or "x" only as the last word
         * after at least two others ("Partners V L.P."). */
        int r = roman_value(a->tk[i], a->tl[i]);
        bool ok = r > 1 && a->tl[i] >= 2;
        if (ok && i == 0 && (r == 6 || r == 11))
          ok = false;
        if (!ok && r > 0 && a->tl[i] == 1 && i >= 2 && a->tl[i - 1] >= 2 && !a->lk[i - 1] &&
            last_word(a, i, np))
          ok = true;
        if (ok) {
          snprintf(numbuf, sizeof numbuf, "%d", r);
          form = numbuf;
          kind = EMB_TK_NUMBER;
        }
      }
    } else if (i > titles && !p->fix && p->origin != EMB_TO_TRANSLIT) {
      /* A person's generation: "John Smith III" (never a given name at the start). */
      int r = roman_value(a->tk[i], a->tl[i]);
      if (r >= 2 && r <= 4) {
        snprintf(numbuf, sizeof numbuf, "%d", r);
        form = numbuf;
        kind = EMB_TK_NUMBER;
      }
    }
    if (!form && personish && i >= titles) {
      take = particle(a->tk, a->tl, i, np, &form);
      if (take > 1 && a->lk[i + 1]) { /* never into a legal phrase */
        take = 1;
        form = NULL;
      }
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
    t->origin = origin;
    uint32_t s0 = p->src_start, s1 = a->pc[i + take - 1].src_end;
    t->src_start = (uint16_t)(s0 > 65535 ? 65535 : s0);
    t->src_len = (uint16_t)(s1 - s0 > 65535 ? 65535 : s1 - s0);
    bool digit = false;
    for (size_t k = 0; k < tlen; k++)
      if (s[k] >= '0' && s[k] <= '9')
        digit = true;
    if (kind >= 0)
      t->kind = (uint8_t)kind;
    else if (i < titles || (orgish && lg &&
                            (form ? emb__legal_is_stopword(lg, s, tlen) : a->wi[i] & EMB__LW_STOP)))
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
        if (p->o_len && take == 1)
          v2 = emb__variants_get(a->tab->variants, a->orig.data + p->o_off, p->o_len, &n2);
        const uint32_t *v = merge_ids(arena, v1, n1, v2, n2, &nm);
        if (form && take == 1) {
          /* a rewritten word keeps the clusters of its written form ("ben" -> "bin") */
          size_t n3 = 0;
          const uint32_t *v3 = emb__variants_get(a->tab->variants, a->tk[i], a->tl[i], &n3);
          v = merge_ids(arena, v, nm, v3, n3, &nm);
        }
        t->variants = v;
        t->n_variants = (uint16_t)(nm > 65535 ? 65535 : nm);
      }
      if (personish && lg) {
        /* nicknames: "Ted" meets "Theodore" and "Edward" through a shared group */
        size_t nn = 0, nm;
        const uint32_t *nk = emb__legal_nicks(lg, s, tlen, &nn);
        if (nn) {
          t->variants = merge_ids(arena, t->variants, t->n_variants, nk, nn, &nm);
          t->n_variants = (uint16_t)(nm > 65535 ? 65535 : nm);
        }
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
