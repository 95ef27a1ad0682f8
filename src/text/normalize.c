/*
 * normalize.c - step 1 of name analysis: a name as written to normalised code points.
 *
 * The input is decoded as UTF-8 (an invalid byte is skipped) and then goes through:
 *   1. look-alike folding, per word (a run of letters and marks): a word that mixes
 *      Latin with Cyrillic or Greek letters is made one script. If every foreign letter
 *      has a look-alike in Latin ("Gаzprom" with a Cyrillic а), the word becomes Latin;
 *      else if every letter has a Cyrillic look-alike ("Пyтин" with a Latin y), it becomes
 *      Cyrillic (Greek likewise); when both are possible, the script with more letters
 *      wins, then the script of the rest of the name, then Latin. Code points changed
 *      this way carry EMB__CF_FOLDED. Words in one script are never touched.
 *   2. dotted acronyms: three or more single letters joined by dots and nothing else
 *      ("S.E.R.G.E.I", "L.L.C.", "G.m.b.H.") lose their dots and become one word; two
 *      ("J.P.") stay initials.
 *   3. per character: apostrophes and their look-alikes (' ’ ‘ ʼ ʻ ʿ ʾ ` ´) are dropped
 *      so that "O'Brien" -> "obrien" (after a Hebrew letter an apostrophe is kept as a
 *      geresh, which changes the letter: ג' = j); utf8proc decomposes with compatibility
 *      mappings (NFKD), folds case and drops default-ignorable code points (zero-width
 *      spaces and joiners, soft hyphen, bidi controls, variation selectors, tags, Hangul
 *      fillers); other format and control characters are dropped; punctuation, symbols
 *      and separators become one space; decimal digits of any script become ASCII digits.
 *      Hangul syllables and kana are passed through composed (NFC, as NFKC would give);
 *   4. combining marks are stripped after letters of the scripts where they are
 *      diacritics (Latin, Greek, Armenian, Georgian, Hebrew points, Arabic harakat,
 *      Syriac). After a Cyrillic letter the marks that make a letter of the alphabet
 *      are composed back (и + breve = й, і + diaeresis = ї, е + diaeresis = ё, у + breve
 *      = ў, г/к + acute = ѓ/ќ) and stress marks are dropped. Elsewhere (kana voicing
 *      marks, Indic vowel signs, Thai) marks are kept: they are letters there.
 *   5. spaces collapsed, none at either end.
 * Before step 3, "@", "$" and "!" between two letters are the letters they stand for
 * ("M@rk" -> "mark", "Ke$ha" -> "kesha", "Put!n" -> "putin"), flagged as folded; digits
 * standing for letters ("Sech1n") are left to the analyzer, which knows the whole word.
 * A capital ASCII letter right after a small one is flagged EMB__CF_CASEBREAK (the
 * analyzer splits "SiemensAG" when the capitals are a legal form) and every digit
 * EMB__CF_DIGIT; nb->any_fl tells the analyzer whether a name has any.
 * Pure ASCII characters take a fast path that never calls utf8proc.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "embargo.h"
#include "text/translit.h"

#define JOIN 0xFFFFFFFFu /* an input code point that disappears without a trace */

void emb__norm_init(emb__norm *nb) {
  memset(nb, 0, sizeof(*nb));
}

void emb__norm_fini(emb__norm *nb) {
  free(nb->cp);
  free(nb->off);
  free(nb->fl);
  free(nb->in_cp);
  free(nb->in_off);
  memset(nb, 0, sizeof(*nb));
}

size_t emb__utf8_enc(uint32_t cp, char *o) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

int emb__utf8_put(emb_buf *out, const uint32_t *cp, size_t n) {
  char tmp[256];
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (k > sizeof tmp - 4) {
      int rc = emb__buf_append(out, tmp, k);
      if (rc)
        return rc;
      k = 0;
    }
    k += emb__utf8_enc(cp[i], tmp + k);
  }
  return emb__buf_append(out, tmp, k);
}

/* ------------------------------------------------------------ buffers */

static int reserve_out(emb__norm *nb, size_t need) {
  if (need <= nb->cap)
    return 0;
  size_t cap = nb->cap ? nb->cap : 256;
  while (cap < need)
    cap *= 2;
  uint32_t *cp = realloc(nb->cp, cap * sizeof(*cp));
  if (!cp)
    return EMB_ENOMEM;
  nb->cp = cp;
  uint32_t *off = realloc(nb->off, cap * sizeof(*off));
  if (!off)
    return EMB_ENOMEM;
  nb->off = off;
  uint8_t *fl = realloc(nb->fl, cap);
  if (!fl)
    return EMB_ENOMEM;
  nb->fl = fl;
  nb->cap = cap;
  return 0;
}

static int reserve_in(emb__norm *nb, size_t need) {
  if (need <= nb->in_cap)
    return 0;
  size_t cap = nb->in_cap ? nb->in_cap : 256;
  while (cap < need)
    cap *= 2;
  uint32_t *cp = realloc(nb->in_cp, cap * sizeof(*cp));
  if (!cp)
    return EMB_ENOMEM;
  nb->in_cp = cp;
  uint32_t *off = realloc(nb->in_off, cap * sizeof(*off));
  if (!off)
    return EMB_ENOMEM;
  nb->in_off = off;
  nb->in_cap = cap;
  return 0;
}

/* ------------------------------------------------------- classification */

static bool is_letter_cat(utf8proc_category_t c) {
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}
static bool is_mark_cat(utf8proc_category_t c) {
  return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}
bool emb__is_mark(uint32_t cp) {
  return cp >= 0x300 && is_mark_cat(utf8proc_category((utf8proc_int32_t)cp));
}

static bool is_letter(uint32_t cp) {
  if (cp < 0x80)
    return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  return is_letter_cat(utf8proc_category((utf8proc_int32_t)cp));
}
static bool is_letterish(uint32_t cp) {
  if (cp < 0x80)
    return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
  return is_letter_cat(c) || is_mark_cat(c);
}

static bool is_apostrophe(uint32_t cp) {
  switch (cp) {
  case 0x0027:
  case 0x0060:
  case 0x00B4:
  case 0x02B9:
  case 0x02BB:
  case 0x02BC:
  case 0x02BD:
  case 0x02BE:
  case 0x02BF:
  case 0x02C8:
  case 0x0374:
  case 0x055A:
  case 0x05F3:
  case 0x2018:
  case 0x2019:
  case 0x201B:
  case 0x2032:
  case 0x2035:
  case 0xA78B:
  case 0xA78C:
  case 0xFF07:
  case 0xFF40: return true;
  default: return false;
  }
}

enum { R_OTHER = 0, R_LATN, R_CYRL, R_GREK };

/* The script of an original (unnormalised) letter, for look-alike folding. */
static int raw_script(uint32_t cp) {
  if (cp < 0x80)
    return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? R_LATN : R_OTHER;
  if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF))
    return R_LATN;
  if (cp >= 0x400 && cp <= 0x52F)
    return R_CYRL;
  if (cp >= 0x370 && cp <= 0x3FF)
    return R_GREK;
  return R_OTHER;
}

/* Latin look-alike of a Cyrillic or Greek letter (case kept), or 0. */
static uint32_t to_latin_lookalike(uint32_t cp) {
  switch (cp) {
  /* Cyrillic capitals */
  case 0x0410: return 'A';
  case 0x0412: return 'B';
  case 0x0415: return 'E';
  case 0x041A: return 'K';
  case 0x041C: return 'M';
  case 0x041D: return 'H';
  case 0x041E: return 'O';
  case 0x0420: return 'P';
  case 0x0421: return 'C';
  case 0x0422: return 'T';
  case 0x0425: return 'X';
  case 0x0423: return 'Y';
  case 0x04AE: return 'Y';
  case 0x0406: return 'I';
  case 0x0408: return 'J';
  case 0x0405: return 'S';
  case 0x04BA: return 'H';
  case 0x0500: return 'D';
  case 0x051A: return 'Q';
  case 0x051C: return 'W';
  case 0x04C0: return 'I';
  /* Cyrillic small letters */
  case 0x0430: return 'a';
  case 0x0435: return 'e';
  case 0x043E: return 'o';
  case 0x0440: return 'p';
  case 0x0441: return 'c';
  case 0x0443: return 'y';
  case 0x0445: return 'x';
  case 0x0456: return 'i';
  case 0x0458: return 'j';
  case 0x0455: return 's';
  case 0x04BB: return 'h';
  case 0x0501: return 'd';
  case 0x051B: return 'q';
  case 0x051D: return 'w';
  case 0x04CF: return 'l';
  case 0x04AF: return 'y';
  /* Greek capitals */
  case 0x0391: return 'A';
  case 0x0392: return 'B';
  case 0x0395: return 'E';
  case 0x0396: return 'Z';
  case 0x0397: return 'H';
  case 0x0399: return 'I';
  case 0x039A: return 'K';
  case 0x039C: return 'M';
  case 0x039D: return 'N';
  case 0x039F: return 'O';
  case 0x03A1: return 'P';
  case 0x03A4: return 'T';
  case 0x03A5: return 'Y';
  case 0x03A7: return 'X';
  case 0x03F9: return 'C';
  case 0x037F: return 'J';
  /* Greek small letters */
  case 0x03BF: return 'o';
  case 0x03B1: return 'a';
  case 0x03B9: return 'i';
  case 0x03BD: return 'v';
  case 0x03C5: return 'u';
  case 0x03BA: return 'k';
  case 0x03C1: return 'p';
  case 0x03F2: return 'c';
  case 0x03F3: return 'j';
  default: return 0;
  }
}

/* Cyrillic look-alike of a Latin or Greek letter (case kept), or 0. */
static uint32_t to_cyrillic_lookalike(uint32_t cp) {
  switch (cp) {
  case 'A': return 0x0410;
  case 'B': return 0x0412;
  case 'E': return 0x0415;
  case 'K': return 0x041A;
  case 'M': return 0x041C;
  case 'H': return 0x041D;
  case 'O': return 0x041E;
  case 'P': return 0x0420;
  case 'C': return 0x0421;
  case 'T': return 0x0422;
  case 'X': return 0x0425;
  case 'Y': return 0x0423;
  case 'I': return 0x0406;
  case 'J': return 0x0408;
  case 'S': return 0x0405;
  case 'a': return 0x0430;
  case 'e': return 0x0435;
  case 'o': return 0x043E;
  case 'p': return 0x0440;
  case 'c': return 0x0441;
  case 'y': return 0x0443;
  case 'x': return 0x0445;
  case 'i': return 0x0456;
  case 'j': return 0x0458;
  case 's': return 0x0455;
  case 'h': return 0x04BB;
  case 0x0391: return 0x0410;
  case 0x0392: return 0x0412;
  case 0x0395: return 0x0415;
  case 0x0397: return 0x041D;
  case 0x039A: return 0x041A;
  case 0x039C: return 0x041C;
  case 0x039F: return 0x041E;
  case 0x03A1: return 0x0420;
  case 0x03A4: return 0x0422;
  case 0x03A7: return 0x0425;
  case 0x03BF: return 0x043E;
  case 0x03B1: return 0x0430;
  case 0x03C1: return 0x0440;
  default: return 0;
  }
}

/* Greek look-alike of a Latin or Cyrillic letter, or 0. */
static uint32_t to_greek_lookalike(uint32_t cp) {
  switch (cp) {
  case 'A':
  case 0x0410: return 0x0391;
  case 'B':
  case 0x0412: return 0x0392;
  case 'E':
  case 0x0415: return 0x0395;
  case 'Z': return 0x0396;
  case 'H':
  case 0x041D: return 0x0397;
  case 'I':
  case 0x0406: return 0x0399;
  case 'K':
  case 0x041A: return 0x039A;
  case 'M':
  case 0x041C: return 0x039C;
  case 'N': return 0x039D;
  case 'O':
  case 0x041E: return 0x039F;
  case 'P':
  case 0x0420: return 0x03A1;
  case 'T':
  case 0x0422: return 0x03A4;
  case 'Y': return 0x03A5;
  case 'X':
  case 0x0425: return 0x03A7;
  case 'o':
  case 0x043E: return 0x03BF;
  case 'v': return 0x03BD;
  case 'i':
  case 0x0456: return 0x03B9;
  case 'a':
  case 0x0430: return 0x03B1;
  case 'p':
  case 0x0440: return 0x03C1;
  case 'u': return 0x03C5;
  case 'k': return 0x03BA;
  default: return 0;
  }
}

typedef uint32_t (*fold_fn)(uint32_t);

/* Step 1: folds the look-alike letters of mixed-script words in in_cp[0..n). */
static void fold_lookalikes(uint32_t *cp, uint8_t *fl, size_t n) {
  size_t total[4] = {0};
  bool mixed = false;
  for (size_t i = 0; i < n;) {
    if (!is_letterish(cp[i])) {
      i++;
      continue;
    }
    size_t j = i, cnt[4] = {0};
    for (; j < n && is_letterish(cp[j]); j++)
      cnt[raw_script(cp[j])]++;
    for (int s = 1; s < 4; s++)
      total[s] += cnt[s];
    if ((cnt[R_LATN] > 0) + (cnt[R_CYRL] > 0) + (cnt[R_GREK] > 0) > 1)
      mixed = true;
    i = j;
  }
  if (!mixed)
    return;
  int dominant = R_LATN;
  if (total[R_CYRL] > total[dominant])
    dominant = R_CYRL;
  if (total[R_GREK] > total[dominant])
    dominant = R_GREK;
  static const fold_fn fns[4] = {NULL, to_latin_lookalike, to_cyrillic_lookalike,
                                 to_greek_lookalike};
  for (size_t i = 0; i < n;) {
    if (!is_letterish(cp[i])) {
      i++;
      continue;
    }
    size_t j = i, cnt[4] = {0};
    for (; j < n && is_letterish(cp[j]); j++)
      cnt[raw_script(cp[j])]++;
    if ((cnt[R_LATN] > 0) + (cnt[R_CYRL] > 0) + (cnt[R_GREK] > 0) > 1) {
      /* Which target scripts can hold every letter of the word? */
      bool ok[4] = {false, true, true, true};
      for (size_t k = i; k < j; k++) {
        int s = raw_script(cp[k]);
        if (s == R_OTHER)
          continue;
        for (int t = 1; t < 4; t++)
          if (t != s && !fns[t](cp[k]))
            ok[t] = false;
      }
      int best = 0;
      for (int t = 1; t < 4; t++) {
        if (!ok[t])
          continue;
        if (!best || cnt[t] > cnt[best] || (cnt[t] == cnt[best] && t == dominant))
          best = t;
      }
      if (best) {
        for (size_t k = i; k < j; k++) {
          int s = raw_script(cp[k]);
          if (s != R_OTHER && s != best) {
            cp[k] = fns[best](cp[k]);
            fl[k] |= EMB__CF_FOLDED;
          }
        }
      }
    }
    i = j;
  }
}

/* Step 2: marks the dots of dotted acronyms of three letters or more as JOIN. */
static void join_acronyms(uint32_t *cp, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!is_letter(cp[i]) || (i > 0 && is_letterish(cp[i - 1])))
      continue;
    size_t dots[64], nd = 0, j = i, k = 1;
    for (;;) {
      size_t e = j + 1;
      while (e < n && !is_letter(cp[e]) && is_letterish(cp[e]))
        e++; /* marks on the letter */
      if (e < n && is_letter(cp[e])) {
        k = 0; /* not a single letter */
        break;
      }
      if (!(e + 1 < n && cp[e] == '.' && is_letter(cp[e + 1])))
        break;
      /* is the next letter single? */
      size_t f = e + 2;
      while (f < n && !is_letter(cp[f]) && is_letterish(cp[f]))
        f++;
      if (f < n && is_letter(cp[f]))
        break;
      if (nd < sizeof dots / sizeof dots[0])
        dots[nd++] = e;
      j = e + 1;
      k++;
    }
    if (k >= 3 && nd + 1 == k)
      for (size_t d = 0; d < nd; d++)
        cp[dots[d]] = JOIN;
    i = j;
  }
}

/* Scripts after whose letters combining marks are diacritics, stripped. */
static bool strips_marks(uint32_t cp) {
  return cp < 0x0900 || (cp >= 0x10A0 && cp <= 0x10FF) || (cp >= 0x1C80 && cp <= 0x1CBF) ||
         (cp >= 0x1E00 && cp <= 0x1FFF) || (cp >= 0x2C00 && cp <= 0x2DFF) ||
         (cp >= 0xA640 && cp <= 0xA69F) || (cp >= 0xA720 && cp <= 0xA7FF) ||
         (cp >= 0xAB30 && cp <= 0xAB6F) || (cp >= 0xFB00 && cp <= 0xFDFF) ||
         (cp >= 0xFE70 && cp <= 0xFEFF);
}
static bool is_cyrillic(uint32_t cp) {
  return cp >= 0x400 && cp <= 0x52F;
}
/* Hiragana and katakana letters (and the prolonged sound mark), kept composed. */
static bool is_kana(uint32_t cp) {
  return (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA) ||
         (cp >= 0x30FC && cp <= 0x30FF) || (cp >= 0x309D && cp <= 0x309F);
}
/* Thaana (0780-07BF) writes its vowels as marks: keep them. */
static bool keeps_marks_anyway(uint32_t cp) {
  return cp >= 0x0780 && cp <= 0x07BF;
}

/* A Cyrillic letter with a mark composed back into one letter of an alphabet, or 0. */
static uint32_t cyrillic_compose(uint32_t base, uint32_t mark) {
  switch (mark) {
  case 0x0306: /* breve */
    return base == 0x0438 ? 0x0439 : base == 0x0443 ? 0x045E : base == 0x0436 ? 0x04C2 : 0;
  case 0x0308: /* diaeresis */ return base == 0x0435 ? 0x0451 : base == 0x0456 ? 0x0457 : 0;
  case 0x0301: /* acute: Macedonian ѓ ќ */
    return base == 0x0433 ? 0x0453 : base == 0x043A ? 0x045C : 0;
  default: return 0;
  }
}

typedef struct emitter {
  emb__norm *nb;
  uint32_t base; /* the last letter emitted, 0 after a space */
  bool space;    /* a space is pending */
  bool lower;    /* the last character was a small ASCII letter */
  int rc;
} emitter;

static void put(emitter *e, uint32_t cp, uint32_t off, uint8_t fl) {
  emb__norm *nb = e->nb;
  if (e->rc)
    return;
  if (nb->n + 2 > EMB__NORM_MAX_CPS)
    return; /* silently bounded */
  if (nb->n + 2 > nb->cap && (e->rc = reserve_out(nb, nb->n + 2)) != 0)
    return;
  if (e->space && nb->n > 0) {
    nb->cp[nb->n] = ' ';
    nb->off[nb->n] = off;
    nb->fl[nb->n] = 0;
    nb->n++;
  }
  e->space = false;
  nb->cp[nb->n] = cp;
  nb->off[nb->n] = off;
  nb->fl[nb->n] = fl;
  nb->any_fl |= fl;
  nb->n++;
}

static void sep(emitter *e) {
  e->space = true;
  e->base = 0;
  e->lower = false;
}

/* Step 3-4 for one normalised code point r coming from the input at off. */
static void emit_one(emitter *e, uint32_t r, uint32_t off, uint8_t fl) {
  if (r < 0x80) {
    bool lower = e->lower;
    e->lower = false;
    if (r >= 'A' && r <= 'Z') {
      r += 32;
      if (lower)
        fl |= EMB__CF_CASEBREAK; /* "SiemensAG": the analyzer looks at what follows */
    } else if (r >= 'a' && r <= 'z') {
      e->lower = true;
    } else if (r >= '0' && r <= '9') {
      fl |= EMB__CF_DIGIT;
    }
    if ((r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) {
      put(e, r, off, fl);
      e->base = r;
    } else if (r == '\'' || r == '`') {
      /* apostrophes that came out of a compatibility mapping */
    } else {
      sep(e);
    }
    return;
  }
  utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)r);
  if (is_letter_cat(c)) {
    e->lower = false;
    if (c == UTF8PROC_CATEGORY_LM && is_apostrophe(r))
      return;
    if (r == 0x0640) /* Arabic tatweel: a stretching stroke */
      return;
    put(e, r, off, fl);
    e->base = r;
    return;
  }
  if (is_mark_cat(c)) {
    uint32_t b = e->base;
    if (!b)
      return; /* a mark without a letter */
    if (is_cyrillic(b)) {
      uint32_t m = cyrillic_compose(b, r);
      if (m && e->nb->n > 0 && e->nb->cp[e->nb->n - 1] == b) {
        e->nb->cp[e->nb->n - 1] = m;
        e->base = m;
      }
      return;
    }
    if (strips_marks(b) && !keeps_marks_anyway(b))
      return;
    if (is_kana(b) && (r == 0x3099 || r == 0x309A) && e->nb->n > 0 &&
        e->nb->cp[e->nb->n - 1] == b) {
      /* a voicing mark (from half-width kana): compose it, as full-width kana are kept */
      utf8proc_int32_t pair[2] = {(utf8proc_int32_t)b, (utf8proc_int32_t)r};
      if (utf8proc_normalize_utf32(pair, 2, UTF8PROC_COMPOSE) == 1) {
        e->nb->cp[e->nb->n - 1] = (uint32_t)pair[0];
        e->base = (uint32_t)pair[0];
        return;
      }
    }
    put(e, r, off, fl);
    return;
  }
  switch (c) {
  case UTF8PROC_CATEGORY_ND: {
    int v = emb__digit_value(r);
    if (v >= 0) {
      put(e, (uint32_t)('0' + v), off, fl | EMB__CF_DIGIT);
      e->base = 0;
    } else {
      sep(e);
    }
    return;
  }
  case UTF8PROC_CATEGORY_CF:
  case UTF8PROC_CATEGORY_CN:
  case UTF8PROC_CATEGORY_CO:
  case UTF8PROC_CATEGORY_CS: return; /* invisible, unassigned or private: dropped */
  case UTF8PROC_CATEGORY_PO:
    if (r == 0x05F3 && e->base >= 0x05D0 && e->base <= 0x05EA) {
      put(e, r, off, fl); /* Hebrew geresh after a letter: part of it */
      return;
    }
    sep(e);
    return;
  default: sep(e); return;
  }
}

int emb__norm_run(emb__norm *nb, const char *s, size_t len) {
  nb->n = 0;
  nb->any_fl = 0;
  if (!s)
    len = 0;
  if (len > EMB__NAME_MAX_BYTES)
    len = EMB__NAME_MAX_BYTES;
  int rc = reserve_in(nb, len + 1);
  if (rc)
    return rc;
  if ((rc = reserve_out(nb, len + 8)) != 0)
    return rc;
  /* decode */
  size_t n = 0;
  bool ascii = true;
  const uint8_t *p = (const uint8_t *)s;
  for (size_t i = 0; i < len;) {
    if (p[i] < 0x80) {
      nb->in_cp[n] = p[i];
      nb->in_off[n++] = (uint32_t)i;
      i++;
      continue;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
    if (k <= 0) {
      i++; /* an invalid byte: skipped */
      continue;
    }
    ascii = false;
    nb->in_cp[n] = (uint32_t)c;
    nb->in_off[n++] = (uint32_t)i;
    i += (size_t)k;
  }
  /* Flags per input code point live in the output flag array's tail while we work:
   * simpler to keep a small separate pass. */
  uint8_t flbuf[512];
  uint8_t *infl = n <= sizeof flbuf ? flbuf : calloc(n, 1);
  if (!infl)
    return EMB_ENOMEM;
  memset(infl, 0, n);
  if (!ascii)
    fold_lookalikes(nb->in_cp, infl, n);
  join_acronyms(nb->in_cp, n);

  emitter e = {nb, 0, false, false, 0};
  for (size_t i = 0; i < n && !e.rc; i++) {
    uint32_t c = nb->in_cp[i];
    uint32_t off = nb->in_off[i];
    if (c == JOIN) {
      e.lower = false; /* "o.O.O." is one acronym, not a word and a capital tail */
      continue;
    }
    if (is_apostrophe(c)) {
      if (e.base >= 0x05D0 && e.base <= 0x05EA) /* Hebrew letter + apostrophe = geresh */
        put(&e, 0x05F3, off, infl[i]);
      continue;
    }
    if (c <= '@' && (c == '@' || c == '$' || c == '!')) {
      /* A symbol standing for a letter inside a word ("M@rk", "Ke$ha", "Put!n"). */
      if (i > 0 && i + 1 < n && is_letter(nb->in_cp[i - 1]) && is_letter(nb->in_cp[i + 1])) {
        put(&e, c == '@' ? 'a' : c == '$' ? 's' : 'i', off, EMB__CF_FOLDED);
        e.base = 0;
        continue;
      }
    }
    if (c < 0x80) {
      emit_one(&e, c, off, infl[i]);
      continue;
    }
    if (c == 0x3164 || c == 0xFFA0 || c == 0x115F || c == 0x1160) {
      sep(&e); /* Hangul fillers: ignorable, but they show as a blank */
      continue;
    }
    if ((c >= 0xAC00 && c <= 0xD7A3) || is_kana(c)) { /* Hangul and kana stay composed */
      put(&e, c, off, infl[i]);
      e.base = c;
      continue;
    }
    utf8proc_int32_t d[32];
    int last_bc = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        (utf8proc_int32_t)c, d, 32,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, &last_bc);
    if (k < 0 || k > 32) {
      sep(&e);
      continue;
    }
    for (utf8proc_ssize_t j = 0; j < k; j++)
      emit_one(&e, (uint32_t)d[j], off, infl[i]);
  }
  if (infl != flbuf)
    free(infl);
  return e.rc;
}

int emb_text_normalize(const char *s, size_t len, emb_buf *out) {
  emb__norm nb;
  emb__norm_init(&nb);
  int rc = emb__norm_run(&nb, s, len);
  if (!rc)
    rc = emb__utf8_put(out, nb.cp, nb.n);
  emb__norm_fini(&nb);
  return rc;
}
