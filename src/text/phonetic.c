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
 *        ph f v w                       -> f   (Wladimir = Vladimir = فلاديمير)
 *        b p                            -> b   (Arabic has no p: بوتين = Putin)
 *        th dh dt d t                   -> t   (Ahmed = Ahmet)
 *        ts tz c(+e,i,y) s z            -> s
 *        x                              -> ks (but s at the start: pinyin "xi")
 *        l, r, m, n                     -> themselves
 *        a e i o u y                    -> vowel
 *   2. A bare "h" after a vowel and before a consonant or the end is silent ("Ahmed" =
 *      "Amed", "Abdullah" = "Abdulla"); so is "j" at the end after a vowel ("Sergej").
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

static bool starts(const char *s, size_t i, size_t n, const char *p) {
  size_t k = strlen(p);
  return i + k <= n && memcmp(s + i, p, k) == 0;
}

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
    if (starts(w, i, n, "shch")) {
      k = 'x';
      adv = 4;
    } else if (starts(w, i, n, "tsch")) {
      k = 'x';
      adv = 4;
    } else if (starts(w, i, n, "sch") || starts(w, i, n, "tch")) {
      k = 'x';
      adv = 3;
    } else if (starts(w, i, n, "dzh")) {
      k = 'j';
      adv = 3;
    } else if (starts(w, i, n, "sh") || starts(w, i, n, "ch") || starts(w, i, n, "cz") ||
               starts(w, i, n, "sz")) {
      k = 'x';
      adv = 2;
    } else if (starts(w, i, n, "zh") || starts(w, i, n, "dj") || starts(w, i, n, "dz")) {
      k = 'j';
      adv = 2;
    } else if (starts(w, i, n, "kh")) {
      k = 'h';
      adv = 2;
    } else if (starts(w, i, n, "gh") || starts(w, i, n, "ck")) {
      k = 'k';
      adv = 2;
    } else if (starts(w, i, n, "ph")) {
      k = 'f';
      adv = 2;
    } else if (starts(w, i, n, "th") || starts(w, i, n, "dh") || starts(w, i, n, "dt")) {
      k = 't';
      adv = 2;
    } else if (starts(w, i, n, "ts") || starts(w, i, n, "tz")) {
      k = 's';
      adv = 2;
    } else if (is_vowel(c)) {
      k = 'V';
    } else {
      switch (c) {
      case 'b': case 'p': k = 'b'; break;
      case 'f': case 'v': case 'w': k = 'f'; break;
      case 'k': case 'q': case 'g': k = 'k'; break;
      case 'c':
        k = (i + 1 < n && (w[i + 1] == 'e' || w[i + 1] == 'i' || w[i + 1] == 'y')) ? 's' : 'k';
        break;
      case 'd': case 't': k = 't'; break;
      case 's': case 'z': k = 's'; break;
      case 'j':
        /* final j after a vowel is a glide: Sergej = Sergey */
        k = (i + 1 == n && i > 0 && is_vowel(w[i - 1])) ? 'V' : 'j';
        break;
      case 'h':
        /* silent after a vowel before a consonant or the end */
        if (i > 0 && is_vowel(w[i - 1]) && (i + 1 == n || !is_vowel(w[i + 1])))
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
      ends_vowel = (k == 'V' && c != 'e') || (k == 0 && c == 'h' && i > 0 &&
                                              is_vowel(w[i - 1]) && w[i - 1] != 'e');
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
