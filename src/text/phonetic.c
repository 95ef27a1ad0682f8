/*
 * phonetic.c - a consonant-skeleton key that equates transliteration variants.
 *
 * The key is built from a comparable-form word (ASCII lowercase letters) in four steps.
 *
 *   1. Letters and letter groups become classes, longest group first:
 *        shch sch tsch tch sh ch cz sz  -> x   (ш щ ч, German sch, Polish cz/sz)
 *        dzh dj dz zh j                 -> j   (ж дж, Arabic ج)
 *        kh h                           -> h   (х, Arabic خ/ح: mukhammad = muhammad)
 *        gh k q g ck c(+a,o,u, consonant) -> k (Arabic ق/غ, "Gaddafi"/"Qaddafi"/"Kadafi")
 *        ph f v, w (not between vowels) -> f   (Wladimir = Vladimir = فلاديمير)
 *        b p                            -> b   (Arabic has no p: بوتين = Putin)
 *        th dt d t                      -> t   (Ahmed = Ahmet)
 *        dh ts tz c(+e,i,y) s z         -> s   (dh is Arabic ذ ظ: Kadhim = Kazim)
 *        x                              -> ks (but s at the start: pinyin "xi")
 *        l, r, m, n                     -> themselves
 *        a e i o u y, w between vowels  -> vowel (Huwaysh = Huish)
 *   2. A bare "h" at the end after a vowel is silent ("Abdullah" = "Abdulla"); so is "j"
 *      at the end after a vowel ("Sergej" = "Sergey").
 *   3. The first class is kept, written "a" when it is a vowel; later vowels are dropped;
 *      runs of the same consonant class collapse ("mm", "dt").
 *   4. A word that ends in a, i, o, u or y (or such a vowel + silent h) gets a final "a":
 *      so "ivanova" differs from "ivanov" and "putina" from "putin", while a final "e"
 *      (French "Poutine", "Mohamede") is treated as mute.
 *
 * Examples: mohammed, muhammad, mukhammad, mohamad -> "mhmt"; tokayev, tukayev ->
 * "tkf"; putin, poutine, poetin, putyin -> "btn"; vladimir, wladimir -> "fltmr";
 * ivanov -> "afnf", ivanova -> "afnfa". Digits are skipped.
 */
#include <string.h>

#include "text/analyze.h"

static bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* True if w[i..] starts with the two or three letters given. */
#define AT2(a, b) (i + 1 < n && w[i] == (a) && w[i + 1] == (b))
#define AT3(a, b, c) (i + 2 < n && w[i] == (a) && w[i + 1] == (b) && w[i + 2] == (c))
#define AT4(a, b, c, d) (i + 3 < n && AT3(a, b, c) && w[i + 3] == (d))

void emb_phonetic_key(const char *tok, size_t len, char *out, size_t size) {
  if (!out || size == 0)
    return;
  out[0] = '\0';
  if (!tok)
    return;
  /* Keep letters only. */
  char w[64];
  size_t n = 0;
  for (size_t i = 0; i < len && n < sizeof w; i++) {
    char c = tok[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    if (c >= 'a' && c <= 'z')
      w[n++] = c;
  }
  if (n == 0)
    return;

  /* Classes; 'V' marks a vowel. */
  char cls[128];
  size_t m = 0;
  bool ends_vowel = false;
  for (size_t i = 0; i < n && m + 2 < sizeof cls;) {
    char c = w[i];
    char k = 0;
    size_t adv = 1;
    switch (c) {
    case 's':
      if (AT4('s', 'h', 'c', 'h')) {
        k = 'x';
        adv = 4;
      } else if (AT3('s', 'c', 'h')) {
        k = 'x';
        adv = 3;
      } else if (AT2('s', 'h') || AT2('s', 'z')) {
        k = 'x';
        adv = 2;
      }
      break;
    case 't':
      if (AT4('t', 's', 'c', 'h')) {
        k = 'x';
        adv = 4;
      } else if (AT3('t', 'c', 'h')) {
        k = 'x';
        adv = 3;
      } else if (AT2('t', 'h')) {
        k = 't';
        adv = 2;
      } else if (AT2('t', 's') || AT2('t', 'z')) {
        k = 's';
        adv = 2;
      }
      break;
    case 'd':
      if (AT3('d', 'z', 'h')) {
        k = 'j';
        adv = 3;
      } else if (AT2('d', 'j') || AT2('d', 'z')) {
        k = 'j';
        adv = 2;
      } else if (AT2('d', 'h')) {
        k = 's'; /* Arabic ذ ظ: "Kadhim" = "Kazim" */
        adv = 2;
      } else if (AT2('d', 't')) {
        k = 't';
        adv = 2;
      }
      break;
    case 'c':
      if (AT2('c', 'h') || AT2('c', 'z')) {
        k = 'x';
        adv = 2;
      } else if (AT2('c', 'k')) {
        k = 'k';
        adv = 2;
      }
      break;
    case 'z':
      if (AT2('z', 'h')) {
        k = 'j';
        adv = 2;
      }
      break;
    case 'k':
      if (AT2('k', 'h')) {
        k = 'h';
        adv = 2;
      }
      break;
    case 'g':
      if (AT2('g', 'h')) {
        k = 'k';
        adv = 2;
      }
      break;
    case 'p':
      if (AT2('p', 'h')) {
        k = 'f';
        adv = 2;
      }
      break;
    default: break;
    }
    if (k) {
      /* a letter group matched */
    } else if (is_vowel(c)) {
      k = 'V';
    } else {
      switch (c) {
      case 'b':
      case 'p': k = 'b'; break;
      case 'f':
      case 'v': k = 'f'; break;
      case 'w':
        /* between vowels a glide: "Huwaysh" = "Huish" */
        k = (i > 0 && is_vowel(w[i - 1]) && i + 1 < n && is_vowel(w[i + 1])) ? 'V' : 'f';
        break;
      case 'k':
      case 'q':
      case 'g': k = 'k'; break;
      case 'c':
        k = (i + 1 < n && (w[i + 1] == 'e' || w[i + 1] == 'i' || w[i + 1] == 'y')) ? 's' : 'k';
        break;
      case 'd':
      case 't': k = 't'; break;
      case 's':
      case 'z': k = 's'; break;
      case 'j':
        /* final j after a vowel is a glide: Sergej = Sergey */
        k = (i + 1 == n && i > 0 && is_vowel(w[i - 1])) ? 'V' : 'j';
        break;
      case 'h':
        /* silent at the end after a vowel: "Abdullah" = "Abdulla" */
        if (i > 0 && i + 1 == n && is_vowel(w[i - 1]))
          k = 0;
        else
          k = 'h';
        break;
      case 'x':
        if (i == 0) {
          k = 's';
        } else {
          cls[m++] = 'k';
          k = 's';
        }
        break;
      default:
        k = c; /* l m n r */
        break;
      }
    }
    if (k)
      cls[m++] = k;
    if (i + adv >= n) /* the last letter group */
      ends_vowel = (k == 'V' && c != 'e') ||
                   (k == 0 && c == 'h' && i > 0 && is_vowel(w[i - 1]) && w[i - 1] != 'e');
    i += adv;
  }

  /* Skeleton. */
  size_t o = 0;
  char prev = 0;
  for (size_t i = 0; i < m && o + 1 < size; i++) {
    char k = cls[i];
    if (i == 0) {
      out[o++] = k == 'V' ? 'a' : k;
      prev = k;
      continue;
    }
    if (k == 'V') {
      prev = 'V';
      continue;
    }
    if (k == prev)
      continue;
    out[o++] = k;
    prev = k;
  }
  if (ends_vowel && m > 1 && o + 1 < size)
    out[o++] = 'a';
  out[o] = '\0';
}
