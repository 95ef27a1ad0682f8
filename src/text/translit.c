/*
 * translit.c - step 2 of name analysis: normalised non-Latin text to Latin ASCII.
 *
 * Own tables, tuned for names as sanctions lists romanise them, cover the scripts that
 * matter most and are cheap (no ICU):
 *   Cyrillic  BGN/PCGN-like English romanisation: х kh, ж zh, ц ts, ч ch, ш sh, щ shch,
 *             ю yu, я ya, й y, ы y, э e, ь dropped; е and ё are "ye" at the start of a
 *             word and after a vowel, ь or ъ ("Tokayev"), else "e"; ъ before a consonant
 *             is the Bulgarian vowel "a", else dropped. Ukrainian names (є ї ґ і) take
 *             г h, и y, є ye, ї yi/i; Belarusian (ў) г h, ў w; Serbian and Macedonian
 *             names (ђ ј љ њ ћ џ ѓ ќ ѕ) take the Serbian Latin alphabet without its marks
 *             (ч c, ш s, ж z, ћ c, ђ dj, џ dz, х h, ц c), as lists write "Mladic".
 *             Kazakh and other letters: ә a, ғ g, қ k, ң n, ө o, ұ ү u, һ h.
 *   Greek     ELOT/BGN-like modern Greek: β v, η i, υ y, χ kh, ου ou, μπ b/mb, ντ d/nd,
 *             γγ ng, γκ g/ng.
 *   Arabic    consonants as written (vowel-less: "محمد" -> "mhmd", which the phonetic
 *             key equates with "muhammad"); و and ي are w/y at the start of a word or
 *             before alif, else the vowels u/i; ة and ى are "a"; ع is "a" except at the
 *             end; the article ال at the start of a longer word becomes a separate "al";
 *             Persian پ چ ژ گ and Urdu ٹ ڈ ڑ ں ے included.
 *   Hebrew    modern Israeli reading without points: ב b at the start else v, כ k/kh,
 *             פ p/f, ו v at the start else u, י y at the start else i, ח kh, צ ts, ש sh,
 *             geresh: ג' j, ז' zh, צ' ch.
 *   Hangul    each syllable by the romanisation of North Korean names in the lists
 *             (김정은 -> "kim jong un", 리 -> "ri", 최 -> "choe"), one syllable per
 *             space-separated piece; the caller decides how to group them.
 *   Khmer, Sinhala, Tibetan, Mongolian script (ICU has no transliterator for them):
 *             small tables of their own, described where they are defined.
 * Everything else goes through ICU: Han-Latin (pinyin; tones stripped by the normaliser,
 * one syllable per character), Hiragana-Latin, Katakana-Latin, Armenian-Latin/BGN,
 * Georgian-Latin/BGN and Any-Latin for the rest (Indic, Thai, Ethiopic...); Lao is read
 * as the parallel Thai letters, and ICU's ISO 11940 Thai is adjusted to how names are
 * written. Each transliterator is opened on first use and cached in the analyzer's
 * emb__icu (opening Han-Latin takes about half a second). ICU output is normalised again
 * and folded to ASCII. Latin text never reaches ICU.
 */
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

#include "embargo.h"
#include "text/translit.h"

int emb__digit_value(uint32_t cp) {
  int32_t v = u_charDigitValue((UChar32)cp);
  return v >= 0 && v <= 9 ? (int)v : -1;
}

emb__script emb__script_of(uint32_t cp) {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
      return EMB__SC_ASCII;
    return EMB__SC_NONE;
  }
  if (cp < 0x0250 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2C60 && cp <= 0x2C7F) ||
      (cp >= 0xA720 && cp <= 0xA7FF) || (cp >= 0xAB30 && cp <= 0xAB6F) ||
      (cp >= 0x0250 && cp <= 0x02AF))
    return EMB__SC_LATIN;
  if (cp >= 0x0370 && cp <= 0x03FF)
    return EMB__SC_GREK;
  if ((cp >= 0x0400 && cp <= 0x052F) || (cp >= 0x1C80 && cp <= 0x1C8F))
    return EMB__SC_CYRL;
  if (cp >= 0x0530 && cp <= 0x058F)
    return EMB__SC_ARMN;
  if (cp >= 0x0590 && cp <= 0x05FF)
    return EMB__SC_HEBR;
  if ((cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
      (cp >= 0x08A0 && cp <= 0x08FF))
    return EMB__SC_ARAB;
  if ((cp >= 0x10A0 && cp <= 0x10FF) || (cp >= 0x1C90 && cp <= 0x1CBF) ||
      (cp >= 0x2D00 && cp <= 0x2D2F))
    return EMB__SC_GEOR;
  if (cp >= 0xAC00 && cp <= 0xD7A3)
    return EMB__SC_HANG;
  if (cp >= 0x3040 && cp <= 0x309F)
    return EMB__SC_HIRA;
  if ((cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF))
    return EMB__SC_KATA;
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3005)
    return EMB__SC_HANI;
  return EMB__SC_OTHER;
}

const char *emb__latin_ascii(uint32_t cp) {
  if (cp < 0x80)
    return NULL;
  switch (cp) {
  case 0x00E6: return "ae";
  case 0x00F8: return "o";
  case 0x0153: return "oe";
  case 0x00F0: return "d";
  case 0x00FE: return "th";
  case 0x0142: return "l";
  case 0x0111: return "d";
  case 0x0127: return "h";
  case 0x0131: return "i";
  case 0x0138: return "k";
  case 0x014B: return "ng";
  case 0x0167: return "t";
  case 0x0259: return "a";
  case 0x025B: return "e";
  case 0x0254: return "o";
  case 0x0192: return "f";
  case 0x0283: return "sh";
  case 0x0292: return "zh";
  case 0x0272: return "ny";
  case 0x0256: return "d";
  case 0x0257: return "d";
  case 0x0253: return "b";
  case 0x0199: return "k";
  case 0x01B4: return "y";
  case 0x0268: return "i";
  case 0x0289: return "u";
  case 0x0225: return "z";
  case 0x01B6: return "z";
  case 0x0250: return "a";
  case 0x0251: return "a";
  case 0x0252: return "o";
  case 0x028C: return "a";
  case 0x026A: return "i";
  case 0x028A: return "u";
  case 0x028F: return "y";
  case 0x026F: return "u";
  case 0x0275: return "o";
  case 0x0264: return "o";
  case 0x0258: return "e";
  case 0x025C: return "e";
  case 0x021D: return "y";
  case 0x01BF: return "w";
  case 0x0180: return "b";
  case 0x0188: return "c";
  case 0x018C: return "d";
  case 0x01A5: return "p";
  case 0x01AD: return "t";
  case 0x0288: return "t";
  case 0x01E5: return "g";
  case 0x0260: return "g";
  case 0x0261: return "g";
  case 0x0266: return "h";
  case 0x0271: return "m";
  case 0x0273: return "n";
  case 0x027D: return "r";
  case 0x0280: return "r";
  case 0x0282: return "s";
  case 0x0290: return "z";
  case 0x0291: return "z";
  case 0x0269: return "i";
  case 0x01DD: return "e";
  case 0x0223: return "ou";
  case 0x0221: return "d";
  case 0x0234: return "l";
  case 0x0235: return "n";
  case 0x0236: return "t";
  case 0x0237: return "j";
  case 0x0238: return "db";
  case 0x0239: return "qp";
  case 0x023C: return "c";
  case 0x023F: return "s";
  case 0x0240: return "z";
  case 0x0247: return "e";
  case 0x0249: return "j";
  case 0x024B: return "q";
  case 0x024D: return "r";
  case 0x024F: return "y";
  case 0x0195: return "hv";
  case 0x019A: return "l";
  case 0x019E: return "n";
  case 0x01A3: return "oi";
  case 0x01A8: return "s";
  case 0x01B9: return "z";
  case 0x01BE: return "ts";
  case 0x0185: return "b";
  case 0x0183: return "b";
  case 0x01A1: return "o";
  case 0x01B0: return "u";
  case 0x0294: return "";
  case 0x0295: return "";
  case 0x02A1: return "";
  case 0x02A2: return "";
  case 0x0242: return "";
  case 0x1E9F: return "d";
  case 0xA7B5: return "b";
  case 0xA793: return "e";
  default: return "";
  }
}

/* ------------------------------------------------------------- Cyrillic */

int emb__cyrillic_lang(const uint32_t *cp, size_t n) {
  bool uk = false, be = false, ru_only = false, i_dot = false;
  for (size_t i = 0; i < n; i++) {
    switch (cp[i]) {
    case 0x0452:
    case 0x0458:
    case 0x0459:
    case 0x045A:
    case 0x045B:
    case 0x045F:
    case 0x0453:
    case 0x045C:
    case 0x0455: return EMB__CY_SR;
    case 0x0454:
    case 0x0457:
    case 0x0491: uk = true; break;
    case 0x045E: be = true; break;
    case 0x0456: i_dot = true; break;
    case 0x044B:
    case 0x044D:
    case 0x0451: ru_only = true; break;
    default: break;
    }
  }
  if (be || (i_dot && ru_only && !uk))
    return EMB__CY_BE;
  if (uk || i_dot)
    return EMB__CY_UK;
  return EMB__CY_RU;
}

static bool cyr_vowel(uint32_t c) {
  switch (c) {
  case 0x0430:
  case 0x0435:
  case 0x0451:
  case 0x0438:
  case 0x043E:
  case 0x0443:
  case 0x044B:
  case 0x044D:
  case 0x044E:
  case 0x044F:
  case 0x0456:
  case 0x0457:
  case 0x0454:
  case 0x045E:
  case 0x04D9:
  case 0x04E9:
  case 0x04B1:
  case 0x04AF: return true;
  default: return false;
  }
}

static bool cyr_letter(uint32_t c) {
  return c >= 0x0400 && c <= 0x052F;
}

/* One Cyrillic letter (lowercase) at cp[i] of a run; prev/next are 0 at run edges. */
static const char *cyr_one(uint32_t c, uint32_t prev, uint32_t next, bool initial, int lang) {
  bool sr = lang == EMB__CY_SR, uk = lang == EMB__CY_UK, be = lang == EMB__CY_BE;
  bool soft_start = initial || cyr_vowel(prev) || prev == 0x044C || prev == 0x044A;
  switch (c) {
  case 0x0430: return "a";
  case 0x0431: return "b";
  case 0x0432: return "v";
  case 0x0433: return (uk || be) ? "h" : "g";
  case 0x0434: return "d";
  case 0x0435: return (!uk && !sr && soft_start) ? "ye" : "e";
  case 0x0451: return soft_start ? "yo" : "e";
  case 0x0436: return sr ? "z" : "zh";
  case 0x0437: return "z";
  case 0x0438: return uk ? "y" : "i";
  case 0x0439: return "y";
  case 0x043A: return "k";
  case 0x043B: return "l";
  case 0x043C: return "m";
  case 0x043D: return "n";
  case 0x043E: return "o";
  case 0x043F: return "p";
  case 0x0440: return "r";
  case 0x0441: return "s";
  case 0x0442: return "t";
  case 0x0443: return "u";
  case 0x0444: return "f";
  case 0x0445: return sr ? "h" : "kh";
  case 0x0446: return sr ? "c" : "ts";
  case 0x0447: return sr ? "c" : "ch";
  case 0x0448: return sr ? "s" : "sh";
  case 0x0449: return "shch";
  case 0x044A: /* Bulgarian vowel between consonants, Russian separator otherwise */
    return (next && cyr_letter(next) && !cyr_vowel(next) && !initial) ? "a" : "";
  case 0x044B: return "y";
  case 0x044C: return "";
  case 0x044D: return "e";
  case 0x044E: return "yu";
  case 0x044F: return "ya";
  case 0x0450: return "e";
  case 0x0454: return "ye";
  case 0x0456: return "i";
  case 0x0457: return initial ? "yi" : "i";
  case 0x0491: return "g";
  case 0x045E: return "w";
  case 0x0452: return "dj";
  case 0x0458: return "j";
  case 0x0459: return "lj";
  case 0x045A: return "nj";
  case 0x045B: return "c";
  case 0x045F: return "dz";
  case 0x0453: return "gj";
  case 0x045C: return "kj";
  case 0x0455: return "dz";
  case 0x045D: return "i";
  case 0x04D9: return "a";
  case 0x0493: return "g";
  case 0x049B: return "k";
  case 0x04A3: return "n";
  case 0x04E9: return "o";
  case 0x04B1: return "u";
  case 0x04AF: return "u";
  case 0x04BB: return "h";
  case 0x0463: return "e";
  case 0x0473: return "f";
  case 0x0475: return "i";
  case 0x04CF: return "i";
  case 0x04C2: return "zh";
  case 0x0497: return "zh";
  case 0x04E3: return "i";
  case 0x04EF: return "u";
  case 0x04B7: return "ch";
  case 0x04B3: return "kh";
  case 0x049D: return "k";
  case 0x04A5: return "ng";
  case 0x04D5: return "ae";
  case 0x04E7: return "o";
  case 0x04F1: return "u";
  case 0x04F3: return "u";
  case 0x04F9: return "y";
  default: return "";
  }
}

static int cyr_run(const uint32_t *cp, size_t n, bool first, int lang, emb_buf *out) {
  for (size_t i = 0; i < n; i++) {
    uint32_t prev = i ? cp[i - 1] : 0, next = i + 1 < n ? cp[i + 1] : 0;
    int rc = emb__buf_puts(out, cyr_one(cp[i], prev, next, first && i == 0, lang));
    if (rc)
      return rc;
  }
  return 0;
}

/* ----------------------------------------------------------------- Greek */

static int grk_run(const uint32_t *cp, size_t n, bool first, emb_buf *out) {
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cp[i], nx = i + 1 < n ? cp[i + 1] : 0;
    bool init = first && i == 0;
    const char *s = NULL;
    size_t adv = 1;
    switch (c) {
    case 0x03B1: /* α */
      if (nx == 0x03B9) {
        s = "ai";
        adv = 2;
      } else if (nx == 0x03C5) {
        s = "av";
        adv = 2;
      } else
        s = "a";
      break;
    case 0x03B5: /* ε */
      if (nx == 0x03B9) {
        s = "ei";
        adv = 2;
      } else if (nx == 0x03C5) {
        s = "ev";
        adv = 2;
      } else
        s = "e";
      break;
    case 0x03BF: /* ο */
      if (nx == 0x03B9) {
        s = "oi";
        adv = 2;
      } else if (nx == 0x03C5) {
        s = "ou";
        adv = 2;
      } else
        s = "o";
      break;
    case 0x03B7: /* η */
      if (nx == 0x03C5) {
        s = "iv";
        adv = 2;
      } else
        s = "i";
      break;
    case 0x03BC: /* μ */
      if (nx == 0x03C0) {
        s = init ? "b" : "mb";
        adv = 2;
      } else
        s = "m";
      break;
    case 0x03BD: /* ν */
      if (nx == 0x03C4) {
        s = init ? "d" : "nd";
        adv = 2;
      } else
        s = "n";
      break;
    case 0x03B3: /* γ */
      if (nx == 0x03B3) {
        s = "ng";
        adv = 2;
      } else if (nx == 0x03BA) {
        s = init ? "g" : "ng";
        adv = 2;
      } else if (nx == 0x03BE) {
        s = "nx";
        adv = 2;
      } else if (nx == 0x03C7) {
        s = "nkh";
        adv = 2;
      } else
        s = "g";
      break;
    case 0x03C4: /* τ */
      if (nx == 0x03C3) {
        s = "ts";
        adv = 2;
      } else if (nx == 0x03B6) {
        s = "tz";
        adv = 2;
      } else
        s = "t";
      break;
    case 0x03B2: s = "v"; break;
    case 0x03B4: s = "d"; break;
    case 0x03B6: s = "z"; break;
    case 0x03B8: s = "th"; break;
    case 0x03B9: s = "i"; break;
    case 0x03BA: s = "k"; break;
    case 0x03BB: s = "l"; break;
    case 0x03BE: s = "x"; break;
    case 0x03C0: s = "p"; break;
    case 0x03C1: s = "r"; break;
    case 0x03C2:
    case 0x03C3:
    case 0x03F2: s = "s"; break;
    case 0x03C5: s = "y"; break;
    case 0x03C6: s = "f"; break;
    case 0x03C7: s = "kh"; break;
    case 0x03C8: s = "ps"; break;
    case 0x03C9: s = "o"; break;
    case 0x03D0: s = "v"; break;
    case 0x03D1: s = "th"; break;
    case 0x03D5: s = "f"; break;
    case 0x03F3: s = "j"; break;
    default: s = ""; break;
    }
    int rc = emb__buf_puts(out, s);
    if (rc)
      return rc;
    i += adv - 1;
  }
  return 0;
}

/* ---------------------------------------------------------------- Arabic */

static bool arab_long_vowel(uint32_t c) {
  return c == 0x0627 || c == 0x0648 || c == 0x064A || c == 0x06CC || c == 0x0649 || c == 0x0671;
}

static const char *arab_one(const uint32_t *cp, size_t i, size_t n, bool initial) {
  uint32_t c = cp[i], nx = i + 1 < n ? cp[i + 1] : 0, pv = i ? cp[i - 1] : 0;
  switch (c) {
  case 0x0627:
  case 0x0671:
  case 0x0672:
  case 0x0673:
  case 0x0675: return "a";
  case 0x0628: return "b";
  case 0x062A: return "t";
  case 0x062B: return "th";
  case 0x062C: return "j";
  case 0x062D: return "h";
  case 0x062E: return "kh";
  case 0x062F: return "d";
  case 0x0630: return "dh";
  case 0x0631: return "r";
  case 0x0632: return "z";
  case 0x0633: return "s";
  case 0x0634: return "sh";
  case 0x0635: return "s";
  case 0x0636: return "d";
  case 0x0637: return "t";
  case 0x0638: return "z";
  case 0x0639: return i + 1 == n && !initial ? "" : "a"; /* ayn */
  case 0x063A: return "gh";
  case 0x0641: return "f";
  case 0x0642: return "q";
  case 0x0643:
  case 0x06A9:
  case 0x06AA: return "k";
  case 0x0644: return "l";
  case 0x0645: return "m";
  case 0x0646: return "n";
  case 0x0647:
  case 0x06C1: /* final he after a consonant: the feminine ending, "ah" */
    return (i + 1 == n && !initial && !arab_long_vowel(pv)) ? "ah" : "h";
  case 0x06BE:
  case 0x06C0: return "h";
  case 0x0629:
  case 0x06C3: return "a";
  case 0x0649: return "a";
  case 0x0648: /* waw */
    if (initial || nx == 0x0627 || pv == 0x0627 || pv == 0x0648)
      return "w";
    return "u";
  case 0x064A:
  case 0x06CC:
  case 0x06D0: /* ya */
    if (initial || nx == 0x0627 || pv == 0x0627 || pv == 0x064A || pv == 0x06CC)
      return "y";
    return "i";
  case 0x0621:
  case 0x0674: return "";
  case 0x067E: return "p";
  case 0x0686: return "ch";
  case 0x0698: return "zh";
  case 0x06AF:
  case 0x06A8: return "g";
  case 0x0679: return "t";
  case 0x0688: return "d";
  case 0x0691: return "r";
  case 0x06BA: return "n";
  case 0x06D2:
  case 0x06D3:
  case 0x06CE: return "e";
  case 0x06D5: return "a";
  case 0x06A4: return "v";
  case 0x06AD: return "ng";
  case 0x06C6:
  case 0x06C7:
  case 0x06C9:
  case 0x06CB: return "u";
  case 0x06B5: return "l";
  case 0x0695: return "r";
  case 0x0626:
  case 0x0624:
  case 0x0623:
  case 0x0625:
  case 0x0622: return "a";
  default: return "";
  }
}

static int arab_run(const uint32_t *cp, size_t n, bool first, emb_buf *out) {
  size_t i = 0;
  int rc;
  /* Allah: الله */
  if (n == 4 && cp[0] == 0x0627 && cp[1] == 0x0644 && cp[2] == 0x0644 && cp[3] == 0x0647)
    return emb__buf_puts(out, "allah");
  if (first && n >= 4 && cp[0] == 0x0627 && cp[1] == 0x0644) {
    if ((rc = emb__buf_puts(out, "al ")) != 0)
      return rc;
    i = 2;
    first = true;
    for (size_t j = i; j < n; j++) {
      if ((rc = emb__buf_puts(out, arab_one(cp + i, j - i, n - i, j == i))) != 0)
        return rc;
    }
    return 0;
  }
  for (; i < n; i++)
    if ((rc = emb__buf_puts(out, arab_one(cp, i, n, first && i == 0))) != 0)
      return rc;
  return 0;
}

/* ---------------------------------------------------------------- Hebrew */

static int hebr_run(const uint32_t *cp, size_t n, bool first, emb_buf *out) {
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cp[i], nx = i + 1 < n ? cp[i + 1] : 0, pv = i ? cp[i - 1] : 0;
    bool init = first && i == 0;
    bool geresh = nx == 0x05F3;
    const char *s;
    switch (c) {
    case 0x05D0: s = "a"; break;                               /* alef */
    case 0x05D1: s = init ? "b" : "v"; break;                  /* bet */
    case 0x05D2: s = geresh ? "j" : "g"; break;                /* gimel */
    case 0x05D3: s = "d"; break;                               /* dalet */
    case 0x05D4: s = (i + 1 == n && !init) ? "e" : "h"; break; /* he; final: a vowel */
    case 0x05D5:                                               /* vav */
      if (init || nx == 0x05D5 || pv == 0x05D5)
        s = (nx == 0x05D5 && !init) ? "" : "v";
      else
        s = "u";
      break;
    case 0x05D6: s = geresh ? "zh" : "z"; break; /* zayin */
    case 0x05D7: s = "kh"; break;                /* het */
    case 0x05D8: s = "t"; break;                 /* tet */
    case 0x05D9:                                 /* yod */
      if (init || nx == 0x05D9)
        s = (nx == 0x05D9 && !init) ? "" : "y";
      else
        s = "i";
      break;
    case 0x05DA: s = "kh"; break;              /* final kaf */
    case 0x05DB: s = init ? "k" : "kh"; break; /* kaf */
    case 0x05DC: s = "l"; break;
    case 0x05DD:
    case 0x05DE: s = "m"; break;
    case 0x05DF:
    case 0x05E0: s = "n"; break;
    case 0x05E1: s = "s"; break;
    case 0x05E2: s = init ? "a" : ""; break; /* ayin */
    case 0x05E3: s = "f"; break;
    case 0x05E4: s = init ? "p" : "f"; break;
    case 0x05E5:
    case 0x05E6: s = geresh ? "ch" : "ts"; break;
    case 0x05E7: s = "k"; break;
    case 0x05E8: s = "r"; break;
    case 0x05E9: s = "sh"; break;
    case 0x05EA: s = geresh ? "t" : "t"; break;
    case 0x05F0: s = "v"; break;
    case 0x05F1: s = "vy"; break;
    case 0x05F2: s = "y"; break;
    default: s = ""; break;
    }
    int rc = emb__buf_puts(out, s);
    if (rc)
      return rc;
  }
  return 0;
}

/* ---------------------------------------------------------------- Hangul */

static const char *const hang_l[19] = {"k",  "kk", "n", "t",  "tt", "r", "m", "p", "pp", "s",
                                       "ss", "",   "j", "jj", "ch", "k", "t", "p", "h"};
static const char *const hang_v[21] = {"a",  "ae", "ya", "yae", "o",  "e",  "yo",
                                       "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                       "wo", "we", "wi", "yu",  "u",  "ui", "i"};
static const char *const hang_t[28] = {"",  "k",  "k", "k", "n", "n", "n", "t", "l", "k",
                                       "m", "l",  "l", "l", "p", "l", "m", "p", "p", "t",
                                       "t", "ng", "t", "t", "k", "t", "p", "t"};

static int hang_run(const uint32_t *cp, size_t n, emb_buf *out) {
  uint32_t prev_t = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t s = cp[i] - 0xAC00;
    if (cp[i] < 0xAC00 || s >= 11172)
      continue;
    int rc = 0;
    if (i)
      rc = emb__buf_putc(out, ' ');
    /* ㄹ after a final ㄹ is read "l": 블라 -> "pul la" */
    const char *l = (s / 588 == 5 && prev_t == 8) ? "l" : hang_l[s / 588];
    prev_t = s % 28;
    if (!rc)
      rc = emb__buf_puts(out, l);
    if (!rc)
      rc = emb__buf_puts(out, hang_v[(s % 588) / 28]);
    if (!rc)
      rc = emb__buf_puts(out, hang_t[s % 28]);
    if (rc)
      return rc;
  }
  return 0;
}

/* ---------------------------------------------------------------- Khmer */

/*
 * Khmer (no ICU transliterator): UNGEGN-like romanisation without marks, syllable by
 * syllable. A syllable is a consonant (or an independent vowel), its subscript consonants
 * (coeng + consonant), a register shifter, a dependent vowel with nikahit or reahmuk, and
 * a final consonant: a consonant that is not followed by a vowel, a subscript or a sign of
 * its own. Vowels are read by the register (series) of the consonant: the first series
 * (k, kh, ch, chh, d, th, n, t, th, b, ph, s, h, l, the vowel carrier) reads ា as "a",
 * the second as "ea"; muusikatoan (៉) and triisap (៊) shift the register. A consonant
 * without a vowel has the inherent vowel "a" or "o". ហ៊ុន សែន -> "hun sen", ម៉ាណែត ->
 * "manet", សម រង្ស៊ី -> "sam rongsi".
 */
static const char *const khm_cons[35] = {"k",  "kh", "k",  "kh", "ng", "ch", "chh", "ch", "chh",
                                         "nh", "d",  "th", "d",  "th", "n",  "t",   "th", "t",
                                         "th", "n",  "b",  "ph", "p",  "ph", "m",   "y",  "r",
                                         "l",  "v",  "sh", "ss", "s",  "h",  "l",   ""};
/* Finals lose their aspiration: "kh" -> "k". */
static const char *const khm_final[35] = {
    "k", "k", "k", "k", "ng", "ch", "ch", "ch", "ch", "nh", "t", "t", "t", "t", "n", "t", "t", "t",
    "t", "n", "p", "p", "p",  "p",  "m",  "y",  "r",  "l",  "v", "s", "s", "s", "h", "l", ""};
/* Dependent vowels U+17B6..U+17C5, first and second series. */
static const char *const khm_vowel[16][2] = {
    {"a", "ea"}, {"e", "i"},   {"ei", "i"},   {"oe", "eu"},   {"oe", "eu"}, {"o", "u"},
    {"o", "u"},  {"uo", "uo"}, {"aeu", "eu"}, {"oeu", "oeu"}, {"ie", "ie"}, {"e", "e"},
    {"e", "e"},  {"ai", "ey"}, {"ao", "ou"},  {"au", "ov"}};
static const char *const khm_indep[17] = {"a",   "aa",  "e",   "ei", "o",  "ou", "ou", "ov", "rue",
                                          "rue", "lue", "lue", "ae", "ai", "ao", "ao", "au"};

static bool khm_is_cons(uint32_t c) {
  return c >= 0x1780 && c <= 0x17A2;
}
static int khm_series(uint32_t c) {
  switch (c) {
  case 0x1780:
  case 0x1781:
  case 0x1785:
  case 0x1786:
  case 0x178A:
  case 0x178B:
  case 0x178E:
  case 0x178F:
  case 0x1790:
  case 0x1794:
  case 0x1795:
  case 0x179D:
  case 0x179E:
  case 0x179F:
  case 0x17A0:
  case 0x17A1:
  case 0x17A2: return 0;
  default: return 1;
  }
}
/* True when the consonant at cp[j] opens a syllable of its own rather than closing one. */
static bool khm_onset(const uint32_t *cp, size_t j, size_t n) {
  if (j + 1 >= n)
    return false;
  uint32_t x = cp[j + 1];
  return (x >= 0x17B6 && x <= 0x17C8) || x == 0x17C9 || x == 0x17CA || x == 0x17D0 || x == 0x17D2;
}

static int khm_run(const uint32_t *cp, size_t n, emb_buf *out) {
  int rc = 0;
  size_t i = 0;
  while (i < n && !rc) {
    uint32_t c = cp[i];
    int ser = 0;
    if (khm_is_cons(c)) {
      ser = khm_series(c);
      rc = emb__buf_puts(out, khm_cons[c - 0x1780]);
      i++;
      /* subscripts and register shifters, in either order ("វ៉្លា" = v + shifter + l) */
      for (;;) {
        if (!rc && i + 1 < n && cp[i] == 0x17D2 && khm_is_cons(cp[i + 1])) {
          rc = emb__buf_puts(out, khm_cons[cp[i + 1] - 0x1780]);
          i += 2;
        } else if (i < n && (cp[i] == 0x17C9 || cp[i] == 0x17CA)) {
          ser = cp[i++] == 0x17C9 ? 0 : 1;
        } else {
          break;
        }
      }
      const char *v = ser ? "o" : "a"; /* the inherent vowel */
      if (i < n && cp[i] >= 0x17B6 && cp[i] <= 0x17C5) {
        uint32_t d = cp[i++];
        v = khm_vowel[d - 0x17B6][ser];
        if (i < n && cp[i] == 0x17C6) { /* nikahit after a vowel */
          i++;
          v = d == 0x17BB ? (ser ? "um" : "om") : d == 0x17B6 ? (ser ? "oam" : "am") : NULL;
          if (!v) {
            rc = emb__buf_puts(out, khm_vowel[d - 0x17B6][ser]);
            v = "m";
          }
        } else if (i < n && cp[i] == 0x17C7) { /* reahmuk: a final h */
          i++;
          rc = emb__buf_puts(out, v);
          v = "h";
        }
      } else if (i < n && cp[i] == 0x17C6) {
        i++;
        v = ser ? "um" : "am";
      } else if (i < n && cp[i] == 0x17C7) {
        i++;
        v = ser ? "eah" : "ah";
      } else if (i < n && cp[i] == 0x17D0) {
        i++;
        v = ser ? "ea" : "a";
      }
      if (!rc)
        rc = emb__buf_puts(out, v);
    } else if (c >= 0x17A3 && c <= 0x17B3) {
      rc = emb__buf_puts(out, khm_indep[c - 0x17A3]);
      i++;
    } else {
      i++; /* signs and marks that make no sound of their own */
      continue;
    }
    /* a final consonant, with its subscripts (silent) and signs */
    if (!rc && i < n && khm_is_cons(cp[i]) && !khm_onset(cp, i, n)) {
      uint32_t f = cp[i++];
      bool silent = i < n && cp[i] == 0x17CD; /* toandakhiat */
      if (!silent)
        rc = emb__buf_puts(out, khm_final[f - 0x1780]);
      while (i < n && (cp[i] == 0x17CB || cp[i] == 0x17CC || cp[i] == 0x17CD || cp[i] == 0x17CE ||
                       cp[i] == 0x17CF || cp[i] == 0x17D1))
        i++;
    }
  }
  return rc;
}

/* -------------------------------------------------------------- Sinhala */

/*
 * Sinhala (no ICU transliterator): consonants with the inherent vowel "a" unless a vowel
 * sign or al-lakuna (virama) follows; long vowels written short, aspiration dropped
 * except for the dental "th" that names write (චතුර -> "chathura"), ෂ as "s" and ව as
 * "w", as Sri Lankan names are romanised: මහින්ද රාජපක්ෂ -> "mahinda rajapaksa".
 */
static const char *const sin_cons[45] = {
    /* 0D9A */ "k",  "k",  "g", "g", "n", "ng", "ch", "chh", "j", "j", "ny", "gn", "nj",
    /* 0DA7 */ "t",  "t",  "d", "d", "n", "nd", "th", "th",  "d", "d", "n",  "",
    /* 0DB3 */ "nd", "p",  "p", "b", "b", "m",  "mb", "y",   "r", "",  "l",  "",   "",
    /* 0DC0 */ "w",  "sh", "s", "s", "h", "l",  "f"};
static const char *const sin_indep[18] = {"a",  "a",  "ae", "ae", "i", "i",  "u", "u", "ri",
                                          "ri", "li", "li", "e",  "e", "ai", "o", "o", "au"};

static int sin_run(const uint32_t *cp, size_t n, emb_buf *out) {
  int rc = 0;
  for (size_t i = 0; i < n && !rc;) {
    uint32_t c = cp[i++];
    if (c >= 0x0D9A && c <= 0x0DC6) {
      rc = emb__buf_puts(out, sin_cons[c - 0x0D9A]);
      const char *v = "a";
      if (i < n) {
        uint32_t d = cp[i];
        switch (d) {
        case 0x0DCA:
          v = "";
          i++;
          break; /* al-lakuna */
        case 0x0DCF:
          v = "a";
          i++;
          break;
        case 0x0DD0:
        case 0x0DD1:
          v = "ae";
          i++;
          break;
        case 0x0DD2:
        case 0x0DD3:
          v = "i";
          i++;
          break;
        case 0x0DD4:
        case 0x0DD6:
          v = "u";
          i++;
          break;
        case 0x0DD8:
        case 0x0DF2:
          v = "ru";
          i++;
          break;
        case 0x0DDF:
          v = "lu";
          i++;
          break;
        case 0x0DDB:
          v = "ai";
          i++;
          break;
        case 0x0DDA:
          v = "e";
          i++;
          break;
        case 0x0DDC:
        case 0x0DDD:
          v = "o";
          i++;
          break;
        case 0x0DDE:
          v = "au";
          i++;
          break;
        case 0x0DD9: /* kombuva, and what it makes with what follows (NFKD splits them) */
          i++;
          v = "e";
          if (i < n && cp[i] == 0x0DCF) {
            v = "o";
            i++;
          } else if (i < n && cp[i] == 0x0DDF) {
            v = "au";
            i++;
          }
          if (i < n && cp[i] == 0x0DCA)
            i++;
          break;
        default: break;
        }
      }
      if (!rc)
        rc = emb__buf_puts(out, v);
    } else if (c >= 0x0D85 && c <= 0x0D96) {
      rc = emb__buf_puts(out, sin_indep[c - 0x0D85]);
    } else if (c == 0x0D82) {
      rc = emb__buf_puts(out, "n");
    } else if (c == 0x0D83) {
      rc = emb__buf_puts(out, "h");
    }
  }
  return rc;
}

/* -------------------------------------------------------------- Tibetan */

/*
 * Tibetan (no ICU transliterator): each syllable (the tsheg separates them, and the
 * normaliser makes it a space) is read by its root letter, as names are spelt: prefixes,
 * superscripts (r, l, s above a stack) and the silent second suffix are dropped,
 * subscripts y, r, l kept, the vowel "a" becomes "e" before the suffixes d, n, s, l.
 * བསྟན འཛིན རྒྱ མཚོ -> "ten dzin gya tso" (Tenzin Gyatso).
 */
static const char *const tib_cons[45] = {
    /* 0F40 */ "k",
    "kh",
    "g",
    "g",
    "ng",
    "ch",
    "ch",
    "j",
    "",
    "ny",
    "t",
    "th",
    "d",
    "d",
    "n",
    "t",
    /* 0F50 */ "th",
    "d",
    "d",
    "n",
    "p",
    "ph",
    "b",
    "b",
    "m",
    "ts",
    "ts",
    "dz",
    "dz",
    "w",
    "zh",
    "z",
    /* 0F60 */ "",
    "y",
    "r",
    "l",
    "sh",
    "sh",
    "s",
    "h",
    "",
    "ksh",
    "r",
    "k",
    "r"};

static const char *tib_letter(uint32_t c) {
  if (c >= 0x0F90 && c <= 0x0FBC)
    c -= 0x50;
  if (c >= 0x0F40 && c <= 0x0F6C)
    return tib_cons[c - 0x0F40];
  return "";
}

static int tib_syllable(const uint32_t *cp, size_t n, emb_buf *out) {
  /* base letters, with the index of their first subjoined letter and vowel */
  size_t base[16], nb = 0, root = SIZE_MAX;
  for (size_t i = 0; i < n && nb < 16; i++)
    if (cp[i] >= 0x0F40 && cp[i] <= 0x0F6C)
      base[nb++] = i;
  if (nb == 0)
    return 0;
  for (size_t k = 0; k < nb && root == SIZE_MAX; k++) {
    size_t j = base[k] + 1;
    if (j < n && ((cp[j] >= 0x0F90 && cp[j] <= 0x0FBC) || (cp[j] >= 0x0F71 && cp[j] <= 0x0F84)))
      root = k;
  }
  if (root == SIZE_MAX) {
    uint32_t f = cp[base[0]];
    bool prefix = f == 0x0F42 || f == 0x0F51 || f == 0x0F56 || f == 0x0F58 || f == 0x0F60;
    root = nb >= 3 && prefix ? 1 : 0;
  }
  size_t i = base[root];
  size_t end = root + 1 < nb ? base[root + 1] : n;
  uint32_t top = cp[i];
  bool super = i + 1 < end && cp[i + 1] >= 0x0F90 && cp[i + 1] <= 0x0FBC &&
               (top == 0x0F62 || top == 0x0F63 || top == 0x0F66);
  int rc = 0;
  const char *vowel = "a";
  for (size_t j = super ? i + 1 : i; j < end && !rc; j++) {
    uint32_t c = cp[j];
    if (c == 0x0FAD) /* subscript wa: silent */
      continue;
    if ((c >= 0x0F40 && c <= 0x0F6C) || (c >= 0x0F90 && c <= 0x0FBC))
      rc = emb__buf_puts(out, tib_letter(c));
    else if (c == 0x0F72 || c == 0x0F80)
      vowel = "i";
    else if (c == 0x0F74)
      vowel = "u";
    else if (c == 0x0F7A || c == 0x0F7B)
      vowel = "e";
    else if (c == 0x0F7C || c == 0x0F7D)
      vowel = "o";
  }
  const char *suffix = "";
  if (root + 1 < nb) {
    uint32_t s = cp[base[root + 1]];
    if ((s == 0x0F51 || s == 0x0F53 || s == 0x0F66 || s == 0x0F63) && vowel[0] == 'a')
      vowel = "e";
    switch (s) {
    case 0x0F42: suffix = "k"; break;
    case 0x0F44: suffix = "ng"; break;
    case 0x0F53: suffix = "n"; break;
    case 0x0F56: suffix = "b"; break;
    case 0x0F58: suffix = "m"; break;
    case 0x0F62: suffix = "r"; break;
    case 0x0F63: suffix = "l"; break;
    default: break;
    }
  }
  if (!rc)
    rc = emb__buf_puts(out, vowel);
  if (!rc)
    rc = emb__buf_puts(out, suffix);
  return rc;
}

static int tib_run(const uint32_t *cp, size_t n, emb_buf *out) {
  size_t i = 0;
  while (i < n) {
    while (i < n && !((cp[i] >= 0x0F40 && cp[i] <= 0x0F6C) ||
                      (cp[i] >= 0x0F90 && cp[i] <= 0x0FBC) || (cp[i] >= 0x0F71 && cp[i] <= 0x0F84)))
      i++;
    size_t j = i;
    while (j < n && ((cp[j] >= 0x0F40 && cp[j] <= 0x0F6C) || (cp[j] >= 0x0F90 && cp[j] <= 0x0FBC) ||
                     (cp[j] >= 0x0F71 && cp[j] <= 0x0F84)))
      j++;
    if (j > i) {
      int rc = tib_syllable(cp + i, j - i, out);
      if (rc)
        return rc;
    }
    i = j;
  }
  return 0;
}

/* ------------------------------------------------------------- Mongolian */

/* Traditional Mongolian script (U+1820-U+1842), letter by letter: ᠴᠢᠩᠭᠢᠰ -> "chinggis". */
static const char *const mon_letters[35] = {"a",  "e",  "i",  "o",  "u",  "o",  "u",  "e", "n",
                                            "ng", "b",  "p",  "kh", "g",  "m",  "l",  "s", "sh",
                                            "t",  "d",  "ch", "j",  "y",  "r",  "w",  "f", "k",
                                            "kh", "ts", "z",  "h",  "zr", "lh", "zh", "ch"};

static int mon_run(const uint32_t *cp, size_t n, emb_buf *out) {
  for (size_t i = 0; i < n; i++)
    if (cp[i] >= 0x1820 && cp[i] <= 0x1842) {
      int rc = emb__buf_puts(out, mon_letters[cp[i] - 0x1820]);
      if (rc)
        return rc;
    }
  return 0;
}

/* ------------------------------------------------------------ Thai, Lao */

/*
 * Thai goes through ICU (ISO 11940); after, ICU's "x" for the letter อ becomes "o" where
 * it is a vowel ("ทอง" -> "thong") and disappears where it only carries one ("โอชา" ->
 * "ocha"), and its "c" for จ becomes "ch" as names write it; sara am (ำ) is given to ICU as
 * a Latin "am". Letters silenced by karan
 * (์) are kept: in foreign names they are the spelling ("วลาดีมีร์" -> "wladimir").
 * Lao has no ICU transliterator; its block parallels Thai's, so a Lao name is read as
 * the same letters in Thai (ສີສຸລິດ -> สีสุลิด -> "sisulid"), with the Lao short o (ົ)
 * passed as a Latin "o".
 */
static uint32_t lao_to_thai(uint32_t c) {
  switch (c) {
  case 0x0EBB: return 'o';    /* mai kon, a short o: Latin, which ICU passes through */
  case 0x0EBC: return 0x0E25; /* subscript lo */
  case 0x0EBD: return 0x0E22; /* semivowel nyo */
  case 0x0EDC: return 0x0E19; /* ໜ (after its h, which NFKD splits off) */
  case 0x0EDD: return 0x0E21;
  default: break;
  }
  if ((c >= 0x0E81 && c <= 0x0EB9) || (c >= 0x0EC0 && c <= 0x0ECD) || (c >= 0x0ED0 && c <= 0x0ED9))
    return c - 0x80;
  return 0;
}

/* ------------------------------------------------------------------- ICU */

/*
 * ICU is by far the slowest step of analysis, and batches of names repeat the same short
 * runs (Han given names and surnames, Devanagari words) again and again. Each analyzer
 * remembers the Latin text of recent short runs: a direct-mapped table keyed by the
 * script, the Thai flag and the code points themselves (compared in full on lookup), so a
 * hit gives exactly what ICU gave. Longer runs and outputs are not remembered.
 */
#define ICU_MEMO_SLOTS 4096 /* a power of two */
#define ICU_MEMO_CPS 12     /* longest run remembered, in code points */
#define ICU_MEMO_OUT 52     /* longest output remembered, in bytes */

typedef struct icu_memo {
  uint32_t cp[ICU_MEMO_CPS];
  char out[ICU_MEMO_OUT];
  uint8_t n;   /* code points; 0: empty slot */
  uint8_t len; /* output bytes */
  uint8_t sc;
  uint8_t thai;
} icu_memo;

struct emb__icu {
  UTransliterator *tr[EMB__SC_COUNT_];
  bool failed[EMB__SC_COUNT_];
  UChar *u; /* UTF-16 scratch */
  int32_t ucap;
  emb__norm nb; /* to normalise ICU output */
  emb_buf utf8;
  icu_memo *memo; /* ICU_MEMO_SLOTS, allocated on first use; NULL: not remembering */
};

void emb__icu_free(emb__icu *t) {
  if (!t)
    return;
  for (int i = 0; i < EMB__SC_COUNT_; i++)
    if (t->tr[i])
      utrans_close(t->tr[i]);
  free(t->u);
  free(t->memo);
  emb__norm_fini(&t->nb);
  emb__buf_fini(&t->utf8);
  free(t);
}

static const char *icu_id(emb__script sc) {
  switch (sc) {
  case EMB__SC_HANI: return "Han-Latin";
  case EMB__SC_HIRA: return "Hiragana-Latin";
  case EMB__SC_KATA: return "Katakana-Latin";
  case EMB__SC_ARMN: return "Armenian-Latin/BGN";
  case EMB__SC_GEOR: return "Georgian-Latin/BGN";
  case EMB__SC_LATIN: return "Latin-ASCII";
  default: return "Any-Latin";
  }
}

/* Appends the ASCII form of normalised Latin code points (other scripts dropped). */
static int ascii_fold(const uint32_t *cp, size_t n, emb_buf *out) {
  char tmp[8];
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cp[i];
    int rc;
    if (c < 0x80) {
      tmp[0] = (char)c;
      rc = emb__buf_append(out, tmp, 1);
    } else {
      rc = emb__buf_puts(out, emb__latin_ascii(c));
    }
    if (rc)
      return rc;
  }
  return 0;
}

/* The memo slot of a run (whether it holds the run or not); NULL when the run is too long
 * to be remembered. */
static icu_memo *memo_slot(emb__icu *t, emb__script sc, const uint32_t *cp, size_t n, bool thai) {
  if (n == 0 || n > ICU_MEMO_CPS)
    return NULL;
  if (!t->memo) {
    t->memo = calloc(ICU_MEMO_SLOTS, sizeof(icu_memo));
    if (!t->memo)
      return NULL; /* no memory for the memo: transliterate every time */
  }
  uint32_t h = 2166136261u ^ ((uint32_t)sc << 1) ^ (uint32_t)thai;
  for (size_t i = 0; i < n; i++)
    h = (h ^ cp[i]) * 16777619u;
  h ^= h >> 15;
  return &t->memo[h & (ICU_MEMO_SLOTS - 1)];
}

static bool memo_holds(const icu_memo *m, emb__script sc, const uint32_t *cp, size_t n, bool thai) {
  return m->n == n && m->sc == (uint8_t)sc && m->thai == (uint8_t)thai &&
         memcmp(m->cp, cp, n * sizeof(uint32_t)) == 0;
}

static int icu_run_uncached(emb__icu *t, emb__script sc, const uint32_t *cp, size_t n, bool thai,
                            emb_buf *out);

/* Appends the ICU transliteration of one run to out, from the memo when it holds the run. */
static int icu_run(emb__icu **picu, emb__script sc, const uint32_t *cp, size_t n, bool thai,
                   emb_buf *out) {
  if (!*picu) {
    emb__icu *t = calloc(1, sizeof(*t));
    if (!t)
      return EMB_ENOMEM;
    emb__norm_init(&t->nb);
    emb__buf_init(&t->utf8, (size_t)1 << 22);
    *picu = t;
  }
  emb__icu *t = *picu;
  icu_memo *m = memo_slot(t, sc, cp, n, thai);
  if (m && memo_holds(m, sc, cp, n, thai))
    return emb__buf_append(out, m->out, m->len);
  size_t before = out->len;
  int rc = icu_run_uncached(t, sc, cp, n, thai, out);
  size_t len = out->len - before;
  if (!rc && m && len <= ICU_MEMO_OUT) {
    memcpy(m->cp, cp, n * sizeof(uint32_t));
    if (len)
      memcpy(m->out, out->data + before, len);
    m->n = (uint8_t)n;
    m->len = (uint8_t)len;
    m->sc = (uint8_t)sc;
    m->thai = (uint8_t)thai;
  }
  return rc;
}

/* Transliterates one run with ICU (the transliterator opened on first use). */
static int icu_run_uncached(emb__icu *t, emb__script sc, const uint32_t *cp, size_t n, bool thai,
                            emb_buf *out) {
  if (t->failed[sc])
    return 0;
  if (!t->tr[sc]) {
    UErrorCode e = U_ZERO_ERROR;
    UChar id[64];
    u_uastrncpy(id, icu_id(sc), 63);
    id[63] = 0;
    t->tr[sc] = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
    if (U_FAILURE(e) || !t->tr[sc]) {
      t->tr[sc] = NULL;
      t->failed[sc] = true;
      return 0;
    }
  }
  /* Compose (kana voicing marks, Indic nukta) and convert to UTF-16. */
  utf8proc_int32_t small[256];
  utf8proc_int32_t *tmp = n <= 256 ? small : malloc(n * sizeof(*tmp));
  if (!tmp)
    return EMB_ENOMEM;
  for (size_t i = 0; i < n; i++)
    tmp[i] = (utf8proc_int32_t)cp[i];
  utf8proc_ssize_t m = utf8proc_normalize_utf32(tmp, (utf8proc_ssize_t)n, UTF8PROC_COMPOSE);
  if (m < 0)
    m = (utf8proc_ssize_t)n;
  int32_t need = (int32_t)m * 2 * 8 + 64;
  if (need > t->ucap) {
    UChar *u = realloc(t->u, (size_t)need * sizeof(UChar));
    if (!u) {
      if (tmp != small)
        free(tmp);
      return EMB_ENOMEM;
    }
    t->u = u;
    t->ucap = need;
  }
  int32_t len = 0;
  for (utf8proc_ssize_t i = 0; i < m; i++) {
    UChar32 c = tmp[i];
    U16_APPEND_UNSAFE(t->u, len, c);
  }
  if (tmp != small)
    free(tmp);
  UErrorCode e = U_ZERO_ERROR;
  int32_t limit = len;
  utrans_transUChars(t->tr[sc], t->u, &len, t->ucap, 0, &limit, &e);
  if (U_FAILURE(e))
    return 0; /* output would not fit: drop the run rather than fail */
  if (len > t->ucap)
    len = t->ucap;
  /* Back to UTF-8, normalise, fold to ASCII. */
  emb__buf_reset(&t->utf8);
  char enc[4];
  for (int32_t i = 0; i < len;) {
    UChar32 c;
    U16_NEXT(t->u, i, len, c);
    if (c < 0 || U_IS_SURROGATE(c))
      continue;
    int rc = emb__buf_append(&t->utf8, enc, emb__utf8_enc((uint32_t)c, enc));
    if (rc == EMB_ETOOBIG)
      break; /* keep what fits */
    if (rc)
      return rc;
  }
  int rc = emb__norm_run(&t->nb, t->utf8.data ? t->utf8.data : "", t->utf8.len);
  if (rc)
    return rc;
  size_t keep = t->nb.n;
  if (sc == EMB__SC_OTHER) {
    /* Thai, Myanmar ... come back in syllables: one word in, one word out */
    size_t w = 0;
    for (size_t i = 0; i < keep; i++)
      if (t->nb.cp[i] != ' ')
        t->nb.cp[w++] = t->nb.cp[i];
    keep = w;
  }
  if (thai) {
    /* ISO 11940 writes the letter อ as "x": a vowel "o" before a consonant, nothing (a
     * carrier) before a vowel; and จ as "c", which names write "ch". */
    for (size_t i = 0; i < keep; i++) {
      uint32_t c = t->nb.cp[i], nx = i + 1 < keep ? t->nb.cp[i + 1] : 0;
      const char *r = NULL;
      if (c == 'x')
        r = (nx == 'a' || nx == 'e' || nx == 'i' || nx == 'o' || nx == 'u') ? "" : "o";
      else if (c == 'c' && nx != 'h')
        r = "ch";
      rc = r ? emb__buf_puts(out, r) : ascii_fold(&c, 1, out);
      if (rc)
        return rc;
    }
    return 0;
  }
  /* Brahmic scripts: ICU writes the inherent vowel of a final consonant, which Hindi,
   * Bengali and the others do not pronounce (पुतिन -> "putina"): drop it. */
  uint32_t last = cp[n - 1];
  if (last >= 0x0900 && last <= 0x0D7F && ((last & 0x7F) >= 0x15 && (last & 0x7F) <= 0x39) &&
      keep > 1 && t->nb.cp[keep - 1] == 'a' && t->nb.cp[keep - 2] != ' ')
    keep--;
  return ascii_fold(t->nb.cp, keep, out);
}

/* Blocks of EMB__SC_OTHER with a table of their own (or a rewrite before ICU). */
enum { OB_ICU = 0, OB_KHMER, OB_SINHALA, OB_TIBETAN, OB_MONGOLIAN, OB_THAI, OB_LAO };

static int other_block(uint32_t c) {
  if ((c >= 0x1780 && c <= 0x17FF) || (c >= 0x19E0 && c <= 0x19FF))
    return OB_KHMER;
  if (c >= 0x0D80 && c <= 0x0DFF)
    return OB_SINHALA;
  if (c >= 0x0F00 && c <= 0x0FFF)
    return OB_TIBETAN;
  if (c >= 0x1800 && c <= 0x18AF)
    return OB_MONGOLIAN;
  if (c >= 0x0E00 && c <= 0x0E7F)
    return OB_THAI;
  if (c >= 0x0E80 && c <= 0x0EFF)
    return OB_LAO;
  return OB_ICU;
}

/* Thai, or Lao code points rewritten as Thai (see above), through ICU. */
static int thai_run(emb__icu **icu, const uint32_t *cp, size_t n, bool lao, emb_buf *out) {
  if (!icu)
    return 0;
  uint32_t small[512];
  uint32_t *t = 2 * n <= 512 ? small : malloc(2 * n * sizeof(*t));
  if (!t)
    return EMB_ENOMEM;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = lao ? lao_to_thai(cp[i]) : cp[i];
    if (!c)
      continue;
    if (c == 0x0E33 || c == 0x0E4D) {
      /* sara am (NFKD: nikhahit + aa), which ISO 11940 writes with marks: Latin "am" */
      uint32_t nx = i + 1 < n ? (lao ? lao_to_thai(cp[i + 1]) : cp[i + 1]) : 0;
      if (c == 0x0E33 || nx == 0x0E32) {
        t[m++] = 'a';
        i += c == 0x0E4D;
      }
      t[m++] = 'm';
      continue;
    }
    t[m++] = c;
  }
  int rc = m ? icu_run(icu, EMB__SC_OTHER, t, m, true, out) : 0;
  if (t != small)
    free(t);
  return rc;
}

/* A run of other scripts: cut into blocks, each to its own table or to ICU Any-Latin. */
static int other_run(emb__icu **icu, const uint32_t *cp, size_t n, emb_buf *out) {
  size_t i = 0;
  while (i < n) {
    int b = other_block(cp[i]);
    size_t j = i + 1;
    while (j < n && other_block(cp[j]) == b)
      j++;
    int rc = 0;
    switch (b) {
    case OB_KHMER: rc = khm_run(cp + i, j - i, out); break;
    case OB_SINHALA: rc = sin_run(cp + i, j - i, out); break;
    case OB_TIBETAN: rc = tib_run(cp + i, j - i, out); break;
    case OB_MONGOLIAN: rc = mon_run(cp + i, j - i, out); break;
    case OB_THAI: rc = thai_run(icu, cp + i, j - i, false, out); break;
    case OB_LAO: rc = thai_run(icu, cp + i, j - i, true, out); break;
    default: rc = icu ? icu_run(icu, EMB__SC_OTHER, cp + i, j - i, false, out) : 0; break;
    }
    if (rc)
      return rc;
    i = j;
  }
  return 0;
}

/* True when every code point of cp[0..n) is in a block with an own table (no ICU). */
static bool own_table(const uint32_t *cp, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int b = other_block(cp[i]);
    if (b == OB_ICU || b == OB_THAI || b == OB_LAO)
      return false;
  }
  return n > 0;
}

int emb__translit_run(emb__icu **icu, emb__script sc, const uint32_t *cp, size_t n,
                      bool first_in_word, int lang, emb_buf *out) {
  switch (sc) {
  case EMB__SC_ASCII:
  case EMB__SC_LATIN: return ascii_fold(cp, n, out);
  case EMB__SC_CYRL: return cyr_run(cp, n, first_in_word, lang, out);
  case EMB__SC_GREK: return grk_run(cp, n, first_in_word, out);
  case EMB__SC_ARAB: return arab_run(cp, n, first_in_word, out);
  case EMB__SC_HEBR: return hebr_run(cp, n, first_in_word, out);
  case EMB__SC_HANG: return hang_run(cp, n, out);
  case EMB__SC_NONE: return 0;
  case EMB__SC_OTHER: return other_run(icu, cp, n, out);
  default: return icu ? icu_run(icu, sc, cp, n, false, out) : 0;
  }
}

int emb__simple_latin(const uint32_t *cp, size_t n, emb_buf *out, bool *icu_needed) {
  int lang = emb__cyrillic_lang(cp, n);
  *icu_needed = false;
  size_t i = 0;
  bool word_start = true;
  while (i < n) {
    if (cp[i] == ' ') {
      int rc = emb__buf_putc(out, ' ');
      if (rc)
        return rc;
      word_start = true;
      i++;
      continue;
    }
    emb__script sc = emb__script_of(cp[i]);
    size_t j = i + 1;
    while (j < n && cp[j] != ' ') {
      emb__script s2 = emb__script_of(cp[j]);
      if (s2 != sc && !(sc == EMB__SC_LATIN && s2 == EMB__SC_ASCII) &&
          !(sc == EMB__SC_ASCII && s2 == EMB__SC_LATIN))
        break;
      j++;
    }
    switch (sc) {
    case EMB__SC_ASCII:
    case EMB__SC_LATIN:
    case EMB__SC_CYRL:
    case EMB__SC_GREK:
    case EMB__SC_ARAB:
    case EMB__SC_HEBR:
    case EMB__SC_NONE: {
      int rc = emb__translit_run(NULL, sc, cp + i, j - i, word_start, lang, out);
      if (rc)
        return rc;
      break;
    }
    case EMB__SC_OTHER:
      if (own_table(cp + i, j - i)) {
        int rc = other_run(NULL, cp + i, j - i, out);
        if (rc)
          return rc;
        break;
      }
      *icu_needed = true;
      break;
    default: *icu_needed = true; break;
    }
    word_start = false;
    i = j;
  }
  return 0;
}
