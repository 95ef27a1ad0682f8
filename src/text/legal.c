/*
 * legal.c - legal forms, person titles, stopwords, organisation symbols and nicknames, as
 * the analyzer matches them.
 *
 * The strings come from the generated legal_forms_table.c (tools/gen_legal_forms.py over
 * the rigour resources). When an analyzer is created every alias is put through the
 * analyzer's own normalisation and transliteration (emb__norm_run + emb__simple_latin),
 * so the table and the queries always agree: "ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ"
 * becomes the phrase "obshchestvo s ogranichennoy otvetstvennostyu", "L.L.C." becomes
 * "llc" and "S.A." the phrase "s a". The comparable form is the source form (a generic
 * tag or the type's compare/display string) reduced the same way with spaces removed:
 * "LLC" -> "llc", "JSC" -> "jsc", "SA de CV" -> "sadecv".
 *
 * Aliases in scripts that ICU transliterates (Han, kana, Ethiopic, Georgian ...) are kept
 * in their normalised original form as affixes: a Han or kana word that ends (or
 * begins) with one, "华为技术有限公司", has it cut off before transliteration.
 *
 * The same file holds the organisation symbols (rigour's org_symbols: "Corporation",
 * "Corp", "Company", "Компания" -> "co"), matched as phrases like the legal forms but
 * only where no legal form starts, and the nickname groups of person names ("Ted" is in
 * Edward's and Theodore's group), whose ids the analyzer adds to a word's variant
 * clusters.
 *
 * Phrases are looked up in a hash map of space-joined tokens; one map from a word to
 * what the tables know of it (the longest legal-form phrase and the longest symbol
 * phrase it starts, whether it is a stopword: EMB__LW_...) keeps the common case, a word
 * that is none of these, to one lookup per word.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "embargo.h"
#include "text/translit.h"

#define MAX_PHRASE 12 /* tokens */

/* Aliases whose Latin reduction is an everyday word or a common name syllable once
 * transliterated (ОФ -> "of", Ј.П. -> "j p", ㈜ -> "ju", ГУ -> "gu"): never legal forms. */
static const char *const excluded[] = {"of",  "j p", "jp", "up", "yu", "ju", "gu", "ga", "the",
                                       "and", "in",  "is", "at", "as", "on", "to", "an", "or",
                                       "by",  "a",   "i",  "o",  "u",  "e",  "y"};

static bool is_excluded(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++)
    if (strlen(excluded[i]) == n && memcmp(excluded[i], s, n) == 0)
      return true;
  return false;
}
#define MAX_KEY 512 /* bytes of a joined phrase */

#define MAX_NICK_GROUPS 6 /* groups one name may be in ("Robert": Bob, Rob, Robbie) */

typedef struct nickset {
  size_t n;
  uint32_t ids[MAX_NICK_GROUPS];
} nickset;

typedef struct affix {
  uint32_t *cp;
  size_t n;
  const char *form;
} affix;

struct emb__legal {
  emb_arena arena;
  emb_strmap phrase; /* joined tokens -> form (const char *) */
  emb_strmap words;  /* a word -> EMB__LW_... bits: the longest legal-form and symbol
                        phrases it starts, stopword */
  emb_strmap title;  /* joined tokens -> 1 */
  emb_strmap tfirst;
  emb_strmap symbol; /* joined tokens -> organisation symbol (const char *) */
  emb_strmap nick;   /* given name -> its nickname groups (nickset *) */
  affix *aff;
  size_t n_aff, cap_aff;
};

void emb__legal_free(emb__legal *l) {
  if (!l)
    return;
  emb__strmap_fini(&l->phrase);
  emb__strmap_fini(&l->words);
  emb__strmap_fini(&l->title);
  emb__strmap_fini(&l->tfirst);
  emb__strmap_fini(&l->symbol);
  emb__strmap_fini(&l->nick);
  emb__arena_fini(&l->arena);
  free(l->aff);
  free(l);
}

/* Normalises s and gives its Latin form in out; *icu set for ICU-script text. */
static int latin_of(emb__norm *nb, const char *s, emb_buf *out, bool *icu) {
  emb__buf_reset(out);
  int rc = emb__norm_run(nb, s, strlen(s));
  if (rc)
    return rc;
  rc = emb__simple_latin(nb->cp, nb->n, out, icu);
  if (rc)
    return rc;
  /* collapse spaces */
  size_t k = 0;
  for (size_t i = 0; i < out->len; i++) {
    char c = out->data[i];
    if (c == ' ' && (k == 0 || out->data[k - 1] == ' '))
      continue;
    out->data[k++] = c;
  }
  while (k && out->data[k - 1] == ' ')
    k--;
  out->len = k;
  if (out->data)
    out->data[k] = '\0';
  return 0;
}

static size_t count_tokens(const char *s, size_t n) {
  size_t k = n ? 1 : 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == ' ')
      k++;
  return k;
}

/* Sets bits of a word's entry in l->words (its key is copied if new). */
static int word_bits(emb__legal *l, const char *w, size_t len, size_t mask, size_t bits) {
  size_t cur = 0;
  if (emb__strmap_get(&l->words, w, len, &cur))
    return emb__strmap_put(&l->words, w, len, (cur & ~mask) | bits);
  char *k = emb__arena_strndup(&l->arena, w, len);
  if (!k)
    return EMB_ENOMEM;
  return emb__strmap_put(&l->words, k, len, bits);
}

/*
 * Adds a phrase to `map` (the first one wins) and records its length with its first
 * word: in l->words at bit `shift` (legal forms, symbols), or in `first` (titles).
 */
static int add_phrase(emb__legal *l, emb_strmap *map, emb_strmap *first, int shift, const char *key,
                      size_t len, size_t value) {
  size_t old;
  if (emb__strmap_get(map, key, len, &old))
    return 0; /* first one wins */
  char *k = emb__arena_strndup(&l->arena, key, len);
  if (!k)
    return EMB_ENOMEM;
  int rc = emb__strmap_put(map, k, len, value);
  if (rc)
    return rc;
  size_t nt = count_tokens(key, len);
  size_t fl = strcspn(k, " ");
  size_t cur = 0;
  if (first) {
    if (!emb__strmap_get(first, k, fl, &cur) || cur < nt)
      rc = emb__strmap_put(first, k, fl, nt);
    return rc;
  }
  if (nt > 0xFF)
    nt = 0xFF;
  emb__strmap_get(&l->words, k, fl, &cur);
  if (((cur >> shift) & 0xFF) < nt)
    rc = word_bits(l, k, fl, (size_t)0xFF << shift, nt << shift);
  return rc;
}

int emb__legal_new(emb__legal **out) {
  *out = NULL;
  emb__legal *l = calloc(1, sizeof(*l));
  if (!l)
    return EMB_ENOMEM;
  emb__arena_init(&l->arena, 64 * 1024);
  emb__strmap_init(&l->phrase);
  emb__strmap_init(&l->words);
  emb__strmap_init(&l->title);
  emb__strmap_init(&l->tfirst);
  emb__strmap_init(&l->symbol);
  emb__strmap_init(&l->nick);
  emb__norm nb;
  emb__norm_init(&nb);
  emb_buf lat, form;
  emb__buf_init(&lat, 1 << 16);
  emb__buf_init(&form, 1 << 16);
  int rc = 0;
  for (size_t i = 0; i < emb__n_legal_srcs && !rc; i++) {
    bool icu = false;
    /* comparable form */
    if ((rc = latin_of(&nb, emb__legal_srcs[i].form, &form, &icu)) != 0)
      break;
    size_t k = 0;
    for (size_t j = 0; j < form.len; j++)
      if (form.data[j] != ' ')
        form.data[k++] = form.data[j];
    if (k == 0 || icu)
      continue; /* a form that has no Latin reduction */
    char *f = emb__arena_strndup(&l->arena, form.data, k);
    if (!f) {
      rc = EMB_ENOMEM;
      break;
    }
    if ((rc = latin_of(&nb, emb__legal_srcs[i].alias, &lat, &icu)) != 0)
      break;
    if (icu) {
      /* keep the normalised original as an affix (no spaces inside) */
      size_t m = 0;
      for (size_t j = 0; j < nb.n; j++)
        if (nb.cp[j] != ' ')
          m++;
      if (!m)
        continue;
      if (l->n_aff == l->cap_aff) {
        size_t cap = l->cap_aff ? l->cap_aff * 2 : 64;
        affix *p = realloc(l->aff, cap * sizeof(*p));
        if (!p) {
          rc = EMB_ENOMEM;
          break;
        }
        l->aff = p;
        l->cap_aff = cap;
      }
      uint32_t *cp = emb__arena_alloc(&l->arena, m * sizeof(*cp));
      if (!cp) {
        rc = EMB_ENOMEM;
        break;
      }
      m = 0;
      for (size_t j = 0; j < nb.n; j++)
        if (nb.cp[j] != ' ')
          cp[m++] = nb.cp[j];
      l->aff[l->n_aff++] = (affix){cp, m, f};
      continue;
    }
    if (lat.len == 0 || lat.len >= MAX_KEY || count_tokens(lat.data, lat.len) > MAX_PHRASE ||
        is_excluded(lat.data, lat.len))
      continue;
    rc = add_phrase(l, &l->phrase, NULL, 0, lat.data, lat.len, (size_t)(uintptr_t)f);
  }
  for (size_t i = 0; i < emb__n_title_srcs && !rc; i++) {
    bool icu = false;
    if ((rc = latin_of(&nb, emb__title_srcs[i], &lat, &icu)) != 0)
      break;
    if (icu || lat.len == 0 || lat.len >= MAX_KEY || count_tokens(lat.data, lat.len) > MAX_PHRASE)
      continue;
    rc = add_phrase(l, &l->title, &l->tfirst, 0, lat.data, lat.len, 1);
  }
  for (size_t i = 0; i < emb__n_symbol_srcs && !rc; i++) {
    bool icu = false;
    if ((rc = latin_of(&nb, emb__symbol_srcs[i].form, &form, &icu)) != 0)
      break;
    if (icu || form.len == 0 || memchr(form.data, ' ', form.len))
      continue;
    char *f = emb__arena_strndup(&l->arena, form.data, form.len);
    if (!f) {
      rc = EMB_ENOMEM;
      break;
    }
    /* Aliases of scripts only ICU reads (Han, kana ...) are left out: the analyzer does
     * not cut them from their words. */
    if ((rc = latin_of(&nb, emb__symbol_srcs[i].alias, &lat, &icu)) != 0)
      break;
    if (icu || lat.len == 0 || lat.len >= MAX_KEY || count_tokens(lat.data, lat.len) > MAX_PHRASE ||
        is_excluded(lat.data, lat.len))
      continue;
    rc = add_phrase(l, &l->symbol, NULL, 8, lat.data, lat.len, (size_t)(uintptr_t)f);
  }
  uint32_t group = 0;
  for (size_t i = 0; i < emb__n_nick_srcs && !rc; i++) {
    if (i > 0 && strcmp(emb__nick_srcs[i].form, emb__nick_srcs[i - 1].form) != 0)
      group++;
    bool icu = false;
    if ((rc = latin_of(&nb, emb__nick_srcs[i].alias, &lat, &icu)) != 0)
      break;
    if (icu || lat.len == 0 || memchr(lat.data, ' ', lat.len))
      continue;
    size_t v;
    nickset *set;
    if (emb__strmap_get(&l->nick, lat.data, lat.len, &v)) {
      set = (nickset *)(uintptr_t)v;
    } else {
      set = emb__arena_alloc(&l->arena, sizeof(*set));
      char *k = emb__arena_strndup(&l->arena, lat.data, lat.len);
      if (!set || !k) {
        rc = EMB_ENOMEM;
        break;
      }
      set->n = 0;
      if ((rc = emb__strmap_put(&l->nick, k, lat.len, (size_t)(uintptr_t)set)) != 0)
        break;
    }
    uint32_t id = EMB__NICK_ID_BASE + group;
    if (set->n < MAX_NICK_GROUPS && (set->n == 0 || set->ids[set->n - 1] != id))
      set->ids[set->n++] = id; /* groups come in order: the ids stay sorted */
  }
  for (size_t i = 0; i < emb__n_stopword_srcs && !rc; i++) {
    size_t len = strlen(emb__stopword_srcs[i]);
    rc = word_bits(l, emb__stopword_srcs[i], len, EMB__LW_STOP, EMB__LW_STOP);
  }
  emb__norm_fini(&nb);
  emb__buf_fini(&lat);
  emb__buf_fini(&form);
  if (rc) {
    emb__legal_free(l);
    return rc;
  }
  *out = l;
  return 0;
}

/* Longest phrase of `map` at toks[i], at most maxlen tokens. */
static size_t match(const emb_strmap *map, size_t maxlen, const char *const *toks,
                    const size_t *lens, size_t i, size_t n, size_t *value) {
  if (i >= n)
    return 0;
  if (maxlen > n - i)
    maxlen = n - i;
  char key[MAX_KEY];
  for (size_t k = maxlen; k >= 1; k--) {
    size_t len = 0;
    bool fits = true;
    for (size_t j = 0; j < k; j++) {
      if (len + lens[i + j] + 1 >= sizeof key) {
        fits = false;
        break;
      }
      if (j)
        key[len++] = ' ';
      memcpy(key + len, toks[i + j], lens[i + j]);
      len += lens[i + j];
    }
    if (fits && emb__strmap_get(map, key, len, value))
      return k;
  }
  return 0;
}

int emb__legal_mark(emb__legal *l, const char *word, size_t len, uint32_t bits) {
  return word_bits(l, word, len, bits, bits);
}

uint32_t emb__legal_word(const emb__legal *l, const char *tok, size_t len) {
  size_t v = 0;
  return emb__strmap_get(&l->words, tok, len, &v) ? (uint32_t)v : 0;
}

size_t emb__legal_phrase(const emb__legal *l, bool symbol, uint32_t info, const char *const *toks,
                         const size_t *lens, size_t i, size_t n, const char **form) {
  size_t v = 0;
  size_t maxlen = symbol ? EMB__LW_SYMBOL(info) : EMB__LW_LEGAL(info);
  size_t k = maxlen ? match(symbol ? &l->symbol : &l->phrase, maxlen, toks, lens, i, n, &v) : 0;
  *form = k ? (const char *)(uintptr_t)v : NULL;
  return k;
}

size_t emb__legal_match(const emb__legal *l, const char *const *toks, const size_t *lens, size_t i,
                        size_t n, const char **form) {
  *form = NULL;
  if (i >= n)
    return 0;
  uint32_t info = emb__legal_word(l, toks[i], lens[i]);
  return emb__legal_phrase(l, false, info, toks, lens, i, n, form);
}

size_t emb__legal_title(const emb__legal *l, const char *const *toks, const size_t *lens, size_t i,
                        size_t n) {
  size_t v = 0, maxlen;
  if (i >= n || !emb__strmap_get(&l->tfirst, toks[i], lens[i], &maxlen))
    return 0;
  return match(&l->title, maxlen, toks, lens, i, n, &v);
}

const uint32_t *emb__legal_nicks(const emb__legal *l, const char *word, size_t len, size_t *n) {
  size_t v;
  *n = 0;
  if (!emb__strmap_get(&l->nick, word, len, &v))
    return NULL;
  const nickset *set = (const nickset *)(uintptr_t)v;
  *n = set->n;
  return set->ids;
}

bool emb__legal_is_stopword(const emb__legal *l, const char *tok, size_t len) {
  return (emb__legal_word(l, tok, len) & EMB__LW_STOP) != 0;
}

size_t emb__legal_affix(const emb__legal *l, const uint32_t *cp, size_t n, bool *at_end,
                        const char **form) {
  size_t best = 0;
  *form = NULL;
  *at_end = true;
  for (size_t i = 0; i < l->n_aff; i++) {
    const affix *a = &l->aff[i];
    if (a->n > n || a->n <= best)
      continue;
    if (memcmp(cp + n - a->n, a->cp, a->n * sizeof(*cp)) == 0) {
      best = a->n;
      *form = a->form;
      *at_end = true;
    } else if (memcmp(cp, a->cp, a->n * sizeof(*cp)) == 0) {
      best = a->n;
      *form = a->form;
      *at_end = false;
    }
  }
  return best;
}
