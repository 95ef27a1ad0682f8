/*
 * describe.c - loading goods-description rules and matching them (see describe.h).
 *
 * Each pattern is compiled at load time into alternatives of terms of words, every word
 * normalised with emb_text_normalize, the function that also normalises descriptions,
 * so that case, accents, 'ё'/'е' and full-width forms meet. A description is
 * normalised once into the scratch buffer and cut into words at spaces and at every
 * change between Han/kana/Hangul and other characters ("DJI无人机" gives "dji" and
 * "无人机"); word terms are compared word by word, Han terms as substrings. The rule set
 * owns an arena holding every compiled rule and string.
 */
#include "goods/describe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/strmap.h"
#include "text/analyze.h"

#define MAX_LINE 65536        /* a rules line longer than this is an error */
#define MAX_DESCRIPTION 65536 /* bytes of a description that are read */

typedef struct word {
  const char *s; /* normalised, NUL-terminated */
  size_t len;
  bool prefix; /* written with a trailing '*' */
} word;

typedef struct term {
  word *words; /* for word terms */
  size_t n;
  int first_key;    /* word_key() of the first word, or -1 when it cannot be filtered */
  bool cjk;         /* matched as a substring of the whole normalised text */
  const char *text; /* the normalised term, words joined by one space */
  size_t text_len;
} term;

typedef struct alt {
  term *terms; /* all must occur */
  size_t n;
} alt;

typedef struct rule {
  emb_goods_rule pub;
  alt *alts;
  size_t n_alts;
} rule;

/*
 * A filter on the first two bytes of a word (one character of Cyrillic, Greek, ...): a
 * word term can only match when some word of the text starts with the same two bytes,
 * which most rules fail on at once. Words of one byte do not take part.
 */
#define WORD_KEYS 1024
static int word_key(const char *s, size_t len) {
  if (len < 2)
    return -1;
  unsigned h = (unsigned char)s[0] * 31u + (unsigned char)s[1];
  return (int)(h % WORD_KEYS);
}

struct emb_goods_rules {
  emb_arena arena; /* rules, compiled patterns, strings */
  rule **rules;
  size_t count;
  size_t cap;
  emb_strmap by_id; /* id -> index; keys live in the arena */
};

emb_goods_rules *emb__rules_new(void) {
  emb_goods_rules *r = calloc(1, sizeof(*r));
  if (!r)
    return NULL;
  emb__arena_init(&r->arena, 32768);
  emb__strmap_init(&r->by_id);
  return r;
}

void emb__rules_free(emb_goods_rules *r) {
  if (!r)
    return;
  emb__strmap_fini(&r->by_id);
  emb__arena_fini(&r->arena);
  free(r->rules);
  free(r);
}

size_t emb__rules_count(const emb_goods_rules *r) {
  return r ? r->count : 0;
}

const emb_goods_rule *emb__rules_get(const emb_goods_rules *r, size_t i) {
  return r && i < r->count ? &r->rules[i]->pub : NULL;
}

const emb_goods_rule *emb__rules_find(const emb_goods_rules *r, const char *id) {
  size_t v;
  if (r && id && emb__strmap_get(&r->by_id, id, strlen(id), &v))
    return &r->rules[v]->pub;
  return NULL;
}

/* ------------------------------------------------------------ text helpers */

/* Decodes one UTF-8 code point at s[*i] (the text is valid UTF-8, from the normaliser). */
static uint32_t next_cp(const char *s, size_t n, size_t *i) {
  const unsigned char *u = (const unsigned char *)s;
  uint32_t c = u[*i];
  size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (*i + k > n)
    k = n - *i;
  if (k == 2)
    c = ((c & 0x1F) << 6) | (u[*i + 1] & 0x3F);
  else if (k == 3)
    c = ((c & 0x0F) << 12) | ((uint32_t)(u[*i + 1] & 0x3F) << 6) | (u[*i + 2] & 0x3F);
  else if (k == 4)
    c = ((c & 0x07) << 18) | ((uint32_t)(u[*i + 1] & 0x3F) << 12) |
        ((uint32_t)(u[*i + 2] & 0x3F) << 6) | (u[*i + 3] & 0x3F);
  *i += k;
  return c;
}

/* Han, kana, Hangul and CJK punctuation: scripts written without spaces between words. */
static bool is_cjk(uint32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/*
 * Splits normalised text s[0..n) into words at spaces and at CJK/non-CJK changes,
 * appending their spans to the scratch. Returns 0 or EMB_ENOMEM.
 */
static int split_words(emb_rules_scratch *sc, const char *s, size_t n) {
  sc->n_words = 0;
  size_t i = 0, start = 0;
  bool in_word = false, cjk = false;
  while (i <= n) {
    size_t at = i;
    uint32_t c = i < n ? next_cp(s, n, &i) : (i++, ' ');
    bool space = c == ' ';
    bool c_cjk = !space && is_cjk(c);
    if (in_word && (space || c_cjk != cjk)) {
      if (sc->n_words == sc->cap_words) {
        size_t ncap = sc->cap_words ? sc->cap_words * 2 : 64;
        size_t *a = realloc(sc->word_start, ncap * sizeof(*a));
        if (!a)
          return EMB_ENOMEM;
        sc->word_start = a;
        size_t *b = realloc(sc->word_len, ncap * sizeof(*b));
        if (!b)
          return EMB_ENOMEM;
        sc->word_len = b;
        sc->cap_words = ncap;
      }
      sc->word_start[sc->n_words] = start;
      sc->word_len[sc->n_words] = at - start;
      sc->n_words++;
      in_word = false;
    }
    if (!space && !in_word) {
      in_word = true;
      start = at;
      cjk = c_cjk;
    }
  }
  return 0;
}

void emb__rules_scratch_init(emb_rules_scratch *s) {
  memset(s, 0, sizeof(*s));
  emb__buf_init(&s->norm, 4 * MAX_DESCRIPTION + 64);
}

void emb__rules_scratch_fini(emb_rules_scratch *s) {
  emb__buf_fini(&s->norm);
  free(s->word_start);
  free(s->word_len);
  memset(s, 0, sizeof(*s));
}

/*
 * Folds what the shared normaliser keeps but customs writing mixes freely: Cyrillic 'ё'
 * becomes 'е' (same length in UTF-8, so the text is changed in place).
 */
static void fold_extra(emb_buf *b) {
  for (size_t i = 0; i + 1 < b->len; i++)
    if ((unsigned char)b->data[i] == 0xD1 && (unsigned char)b->data[i + 1] == 0x91) {
      b->data[i] = (char)0xD0;
      b->data[i + 1] = (char)0xB5;
      i++;
    }
}

/* ------------------------------------------------------------ compiling */

/*
 * Compiles one term as written (words separated by spaces, each may end in '*') into t.
 * Returns 0, EMB_EFORMAT (no word left after normalisation) or EMB_ENOMEM.
 */
static int compile_term(emb_goods_rules *r, emb_rules_scratch *sc, const char *s, size_t n,
                        term *t) {
  emb_buf all; /* the normalised words joined by spaces, with '*' kept as a marker byte */
  emb__buf_init(&all, MAX_LINE * 4);
  int rc = 0;
  size_t i = 0;
  while (i < n && !rc) {
    while (i < n && s[i] == ' ')
      i++;
    size_t b = i;
    while (i < n && s[i] != ' ')
      i++;
    if (i == b)
      break;
    size_t e = i;
    bool prefix = false;
    while (e > b && s[e - 1] == '*') {
      prefix = true;
      e--;
    }
    emb__buf_reset(&sc->norm);
    rc = emb_text_normalize(s + b, e - b, &sc->norm);
    fold_extra(&sc->norm);
    if (!rc && sc->norm.len) {
      if (all.len)
        rc = emb__buf_putc(&all, ' ');
      if (!rc)
        rc = emb__buf_append(&all, sc->norm.data, sc->norm.len);
      if (!rc && prefix)
        rc = emb__buf_putc(&all, '\x01');
    }
  }
  if (rc) {
    emb__buf_fini(&all);
    return rc == EMB_ETOOBIG ? EMB_EFORMAT : rc;
  }
  /* Cut the joined text into words (spaces and CJK changes) with the matcher's splitter,
   * after hiding the prefix markers, then put them back as flags. */
  const char *txt = emb__buf_str(&all);
  size_t tn = all.len;
  char *plain = emb__arena_strndup(&r->arena, txt, tn);
  if (!plain) {
    emb__buf_fini(&all);
    return EMB_ENOMEM;
  }
  bool cjk = false;
  for (size_t k = 0; k < tn; k++)
    if (plain[k] == '\x01')
      plain[k] = ' ';
  for (size_t k = 0; k < tn;) {
    if (is_cjk(next_cp(plain, tn, &k)))
      cjk = true;
  }
  rc = split_words(sc, plain, tn);
  if (!rc && sc->n_words == 0)
    rc = EMB_EFORMAT;
  if (!rc) {
    t->n = sc->n_words;
    t->words = emb__arena_alloc(&r->arena, t->n * sizeof(*t->words));
    if (!t->words)
      rc = EMB_ENOMEM;
  }
  for (size_t w = 0; !rc && w < t->n; w++) {
    size_t ws = sc->word_start[w], wl = sc->word_len[w];
    t->words[w].s = emb__arena_strndup(&r->arena, plain + ws, wl);
    t->words[w].len = wl;
    t->words[w].prefix = ws + wl < tn && txt[ws + wl] == '\x01';
    if (!t->words[w].s)
      rc = EMB_ENOMEM;
  }
  if (!rc) {
    /* The substring form for CJK terms: the normalised term with the markers dropped. */
    char *sub = emb__arena_alloc(&r->arena, tn + 1);
    size_t sn = 0;
    if (!sub)
      rc = EMB_ENOMEM;
    for (size_t k = 0; !rc && k < tn; k++)
      if (txt[k] != '\x01')
        sub[sn++] = txt[k];
    if (!rc)
      sub[sn] = '\0';
    t->cjk = cjk;
    t->first_key = !cjk && t->n > 0 ? word_key(t->words[0].s, t->words[0].len) : -1;
    t->text = sub;
    t->text_len = sn;
  }
  emb__buf_fini(&all);
  return rc;
}

/* Counts the pieces of s[0..n) separated by sep. */
static size_t count_sep(const char *s, size_t n, char sep) {
  size_t k = 1;
  for (size_t i = 0; i < n; i++)
    k += s[i] == sep;
  return k;
}

/* Trims ASCII spaces around s[*b..*e). */
static void trim(const char *s, size_t *b, size_t *e) {
  while (*b < *e && (s[*b] == ' ' || s[*b] == '\t'))
    (*b)++;
  while (*e > *b && (s[*e - 1] == ' ' || s[*e - 1] == '\t'))
    (*e)--;
}

/*
 * Compiles a whole patterns field into ru. On a bad pattern, reports it and returns
 * EMB_EFORMAT; EMB_ENOMEM when out of memory.
 */
static int compile_patterns(emb_goods_rules *r, emb_rules_scratch *sc, rule *ru, const char *s,
                            size_t n, const char *fname, unsigned long line, emb_diags *diags) {
  ru->n_alts = count_sep(s, n, '|');
  ru->alts = emb__arena_alloc(&r->arena, ru->n_alts * sizeof(*ru->alts));
  if (!ru->alts)
    return EMB_ENOMEM;
  size_t i = 0;
  for (size_t a = 0; a < ru->n_alts; a++) {
    size_t ab = i;
    while (i < n && s[i] != '|')
      i++;
    size_t ae = i++;
    alt *al = &ru->alts[a];
    al->n = count_sep(s + ab, ae - ab, '&');
    al->terms = emb__arena_alloc(&r->arena, al->n * sizeof(*al->terms));
    if (!al->terms)
      return EMB_ENOMEM;
    size_t j = ab;
    for (size_t t = 0; t < al->n; t++) {
      size_t tb = j;
      while (j < ae && s[j] != '&')
        j++;
      size_t te = j++;
      trim(s, &tb, &te);
      int rc = tb == te ? EMB_EFORMAT : compile_term(r, sc, s + tb, te - tb, &al->terms[t]);
      if (rc == EMB_EFORMAT) {
        emb__error(diags, EMB_EFORMAT, fname, line, 0, "patterns",
                   "Pattern %zu of rule '%s' has an empty term or no letters or digits.", a + 1,
                   ru->pub.id);
        return rc;
      }
      if (rc)
        return rc;
    }
  }
  return 0;
}

/* Parses the hs field: "-" or "" for none, else comma-separated codes. */
static int parse_hs(emb_goods_rules *r, rule *ru, const char *s, size_t n, const char *fname,
                    unsigned long line, emb_diags *diags) {
  ru->pub.n_hs = 0;
  ru->pub.hs = NULL;
  if (n == 0 || (n == 1 && s[0] == '-'))
    return 0;
  size_t k = count_sep(s, n, ',');
  const char **hs = emb__arena_alloc(&r->arena, k * sizeof(*hs));
  if (!hs)
    return EMB_ENOMEM;
  size_t i = 0;
  for (size_t c = 0; c < k; c++) {
    size_t b = i;
    while (i < n && s[i] != ',')
      i++;
    size_t e = i++;
    char code[EMB_HS_MAX + 1];
    size_t cn;
    if (emb__hs_normalize(s + b, e - b, code, &cn) != EMB_HS_OK) {
      emb__error(diags, EMB_EFORMAT, fname, line, 0, "hs",
                 "'%.*s' is not an HS code (2 to %d digits).", (int)(e - b), s + b, EMB_HS_MAX);
      return EMB_EFORMAT;
    }
    hs[c] = emb__arena_strndup(&r->arena, code, cn);
    if (!hs[c])
      return EMB_ENOMEM;
  }
  ru->pub.hs = hs;
  ru->pub.n_hs = k;
  return 0;
}

static const char *const field_names[5] = {"id", "category", "lang", "hs", "patterns"};

/* Parses one non-comment line; returns 0, EMB_EFORMAT (reported) or EMB_ENOMEM. */
static int parse_line(emb_goods_rules *r, emb_rules_scratch *sc, const char *s, size_t n,
                      const char *fname, unsigned long line, emb_diags *diags) {
  size_t fb[5], fe[5], nf = 0, i = 0;
  for (;;) {
    size_t b = i;
    while (i < n && s[i] != '\t')
      i++;
    if (nf < 5) {
      fb[nf] = b;
      fe[nf] = i;
      trim(s, &fb[nf], &fe[nf]);
    }
    nf++;
    if (i >= n)
      break;
    i++;
  }
  if (nf != 5) {
    emb__error(diags, EMB_EFORMAT, fname, line, 0, NULL,
               "A rule has 5 tab-separated fields (id, category, lang, hs, patterns); this "
               "line has %zu.",
               nf);
    return EMB_EFORMAT;
  }
  for (size_t f = 0; f < 5; f++) {
    if (fb[f] == fe[f] && f != 3) {
      emb__error(diags, EMB_EFORMAT, fname, line, 0, field_names[f], "The field '%s' is empty.",
                 field_names[f]);
      return EMB_EFORMAT;
    }
  }
  size_t v;
  if (emb__strmap_get(&r->by_id, s + fb[0], fe[0] - fb[0], &v)) {
    emb__error(diags, EMB_EFORMAT, fname, line, 0, "id",
               "The rule id '%.*s' is already used on line %lu.", (int)(fe[0] - fb[0]), s + fb[0],
               r->rules[v]->pub.line);
    return EMB_EFORMAT;
  }
  rule *ru = emb__arena_alloc(&r->arena, sizeof(*ru));
  if (!ru)
    return EMB_ENOMEM;
  memset(ru, 0, sizeof(*ru));
  ru->pub.id = emb__arena_strndup(&r->arena, s + fb[0], fe[0] - fb[0]);
  ru->pub.category = emb__arena_strndup(&r->arena, s + fb[1], fe[1] - fb[1]);
  ru->pub.lang = emb__arena_strndup(&r->arena, s + fb[2], fe[2] - fb[2]);
  ru->pub.patterns = emb__arena_strndup(&r->arena, s + fb[4], fe[4] - fb[4]);
  if (!ru->pub.id || !ru->pub.category || !ru->pub.lang || !ru->pub.patterns)
    return EMB_ENOMEM;
  ru->pub.line = line;
  int rc = parse_hs(r, ru, s + fb[3], fe[3] - fb[3], fname, line, diags);
  if (!rc)
    rc = compile_patterns(r, sc, ru, s + fb[4], fe[4] - fb[4], fname, line, diags);
  if (rc)
    return rc;
  if (r->count == r->cap) {
    size_t ncap = r->cap ? r->cap * 2 : 32;
    rule **nr = realloc(r->rules, ncap * sizeof(*nr));
    if (!nr)
      return EMB_ENOMEM;
    r->rules = nr;
    r->cap = ncap;
  }
  ru->pub.index = r->count;
  rc = emb__strmap_put(&r->by_id, ru->pub.id, strlen(ru->pub.id), r->count);
  if (rc)
    return rc;
  r->rules[r->count++] = ru;
  return 0;
}

int emb__rules_load(emb_goods_rules *r, const char *path, emb_diags *diags) {
  if (!r || !path)
    return EMB_EINVAL;
  emb_input *in = NULL;
  int rc = emb__input_open(path, &in, diags);
  if (rc)
    return rc;
  const char *fname = emb__input_name(in);
  emb_lines *lr = NULL;
  rc = emb__lines_new(in, MAX_LINE, diags, &lr);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  emb_rules_scratch sc;
  emb__rules_scratch_init(&sc);
  bool bad = false;
  const char *s;
  size_t n;
  unsigned long line;
  while ((rc = emb__lines_next(lr, &s, &n, &line)) == 1) {
    size_t b = 0;
    while (b < n && (s[b] == ' ' || s[b] == '\t'))
      b++;
    if (b == n || s[b] == '#')
      continue;
    size_t bad_at = emb__utf8_check(s, n);
    if (bad_at != n) {
      emb__error(diags, EMB_EENCODING, fname, line, bad_at + 1, NULL,
                 "The line is not valid UTF-8 (byte %zu).", bad_at + 1);
      bad = true;
      continue;
    }
    rc = parse_line(r, &sc, s, n, fname, line, diags);
    if (rc == EMB_EFORMAT) {
      bad = true;
      rc = 0;
    } else if (rc) {
      break;
    }
  }
  if (rc == 0 && bad)
    rc = EMB_EFORMAT;
  emb__rules_scratch_fini(&sc);
  emb__lines_free(lr);
  emb__input_close(in);
  return rc;
}

/* ------------------------------------------------------------ matching */

/* Finds term t in the scratch's text; on a hit sets the matched span and returns true. */
static bool find_term(const term *t, const emb_rules_scratch *sc, const unsigned char *keys,
                      size_t *ms, size_t *me) {
  const char *txt = emb__buf_str(&sc->norm);
  if (t->first_key >= 0 && !(keys[t->first_key / 8] & (1u << (t->first_key % 8))))
    return false;
  if (t->cjk) {
    const char *p = t->text_len ? strstr(txt, t->text) : NULL;
    if (!p)
      return false;
    *ms = (size_t)(p - txt);
    *me = *ms + t->text_len;
    return true;
  }
  for (size_t i = 0; i + t->n <= sc->n_words; i++) {
    size_t j = 0;
    for (; j < t->n; j++) {
      const word *w = &t->words[j];
      size_t tl = sc->word_len[i + j];
      if (tl < w->len || (!w->prefix && tl != w->len) ||
          memcmp(txt + sc->word_start[i + j], w->s, w->len) != 0)
        break;
    }
    if (j == t->n) {
      *ms = sc->word_start[i];
      *me = sc->word_start[i + t->n - 1] + sc->word_len[i + t->n - 1];
      return true;
    }
  }
  return false;
}

/* Appends s[0..n) to the fixed buffer dst (cut at a UTF-8 boundary when full). */
static void put_matched(char *dst, size_t *dn, const char *s, size_t n) {
  size_t room = EMB_RULE_MATCH_MAX - 1 - *dn;
  if (n > room) {
    n = room;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
  }
  memcpy(dst + *dn, s, n);
  *dn += n;
  dst[*dn] = '\0';
}

size_t emb__rules_match(const emb_goods_rules *r, emb_rules_scratch *sc, const char *text,
                        size_t len, emb_rule_hit *out, size_t max) {
  if (!r || !sc || !text || r->count == 0)
    return 0;
  if (len > MAX_DESCRIPTION) {
    len = MAX_DESCRIPTION;
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
      len--;
  }
  emb__buf_reset(&sc->norm);
  if (emb_text_normalize(text, len, &sc->norm) != 0)
    return 0;
  fold_extra(&sc->norm);
  if (split_words(sc, emb__buf_str(&sc->norm), sc->norm.len) != 0)
    return 0;
  const char *txt = emb__buf_str(&sc->norm);
  unsigned char keys[WORD_KEYS / 8];
  memset(keys, 0, sizeof(keys));
  for (size_t w = 0; w < sc->n_words; w++) {
    int k = word_key(txt + sc->word_start[w], sc->word_len[w]);
    if (k >= 0)
      keys[k / 8] |= (unsigned char)(1u << (k % 8));
  }
  size_t hits = 0;
  for (size_t i = 0; i < r->count; i++) {
    const rule *ru = r->rules[i];
    for (size_t a = 0; a < ru->n_alts; a++) {
      const alt *al = &ru->alts[a];
      size_t t = 0;
      size_t ms[8], me[8];
      for (; t < al->n; t++) {
        size_t s0 = 0, e0 = 0;
        if (!find_term(&al->terms[t], sc, keys, &s0, &e0))
          break;
        if (t < 8) {
          ms[t] = s0;
          me[t] = e0;
        }
      }
      if (t < al->n)
        continue;
      if (hits < max) {
        emb_rule_hit *h = &out[hits];
        size_t dn = 0;
        h->rule = &ru->pub;
        h->matched[0] = '\0';
        for (size_t k = 0; k < al->n && k < 8; k++) {
          if (k)
            put_matched(h->matched, &dn, " + ", 3);
          put_matched(h->matched, &dn, txt + ms[k], me[k] - ms[k]);
        }
      }
      hits++;
      break;
    }
  }
  return hits;
}
