/*
 * script.c - which writing system a text is written in, by counting its letters.
 *
 * The text is decoded as UTF-8 (utf8proc_iterate; an invalid byte is skipped and
 * decoding resumes at the next one). Every letter (Unicode general category L*) is
 * looked up in a sorted table of code point blocks and counted for its script; digits,
 * punctuation, spaces, combining marks and symbols are not counted. The script with the
 * most letters wins; a tie goes to the script seen first.
 *
 * Japanese: names mix kanji (Han) with hiragana or katakana, and the kanji often
 * outnumber the kana ("山田 たろう"). Any kana next to Han letters therefore makes the
 * text "Jpan" (ISO 15924 for Han + Hiragana + Katakana), whatever the counts; kana
 * alone is "Kana". Letters of scripts the table does not know count as "Zzzz"; a text
 * without letters is "Zyyy".
 */
#include "text/script.h"

#include <stdbool.h>
#include <stdint.h>
#include <utf8proc.h>

/* Scripts in the order of their codes below. */
enum {
  S_LATN,
  S_GREK,
  S_CYRL,
  S_ARMN,
  S_HEBR,
  S_ARAB,
  S_SYRC,
  S_THAA,
  S_DEVA,
  S_BENG,
  S_GURU,
  S_GUJR,
  S_ORYA,
  S_TAML,
  S_TELU,
  S_KNDA,
  S_MLYM,
  S_SINH,
  S_THAI,
  S_LAOO,
  S_TIBT,
  S_MYMR,
  S_GEOR,
  S_HANG,
  S_ETHI,
  S_KHMR,
  S_MONG,
  S_KANA,
  S_HANI,
  S_TFNG,
  S_YIII,
  S_BOPO,
  S_OTHER,
  S_COUNT
};

static const char *const codes[S_COUNT] = {
    "Latn", "Grek", "Cyrl", "Armn", "Hebr", "Arab", "Syrc", "Thaa", "Deva", "Beng", "Guru",
    "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Tibt", "Mymr",
    "Geor", "Hang", "Ethi", "Khmr", "Mong", "Kana", "Hani", "Tfng", "Yiii", "Bopo", "Zzzz",
};

typedef struct block {
  int32_t lo, hi; /* inclusive code point range */
  int script;
} block;

/* Sorted, non-overlapping. Only letters inside a block are counted. */
static const block blocks[] = {
    {0x0041, 0x005A, S_LATN},   {0x0061, 0x007A, S_LATN},   {0x00AA, 0x00AA, S_LATN},
    {0x00BA, 0x00BA, S_LATN},   {0x00C0, 0x024F, S_LATN},   {0x0250, 0x02AF, S_LATN},
    {0x0370, 0x03FF, S_GREK},   {0x0400, 0x052F, S_CYRL},   {0x0530, 0x058F, S_ARMN},
    {0x0590, 0x05FF, S_HEBR},   {0x0600, 0x06FF, S_ARAB},   {0x0700, 0x074F, S_SYRC},
    {0x0750, 0x077F, S_ARAB},   {0x0780, 0x07BF, S_THAA},   {0x0860, 0x086F, S_SYRC},
    {0x0870, 0x08FF, S_ARAB},   {0x0900, 0x097F, S_DEVA},   {0x0980, 0x09FF, S_BENG},
    {0x0A00, 0x0A7F, S_GURU},   {0x0A80, 0x0AFF, S_GUJR},   {0x0B00, 0x0B7F, S_ORYA},
    {0x0B80, 0x0BFF, S_TAML},   {0x0C00, 0x0C7F, S_TELU},   {0x0C80, 0x0CFF, S_KNDA},
    {0x0D00, 0x0D7F, S_MLYM},   {0x0D80, 0x0DFF, S_SINH},   {0x0E00, 0x0E7F, S_THAI},
    {0x0E80, 0x0EFF, S_LAOO},   {0x0F00, 0x0FFF, S_TIBT},   {0x1000, 0x109F, S_MYMR},
    {0x10A0, 0x10FF, S_GEOR},   {0x1100, 0x11FF, S_HANG},   {0x1200, 0x139F, S_ETHI},
    {0x1780, 0x17FF, S_KHMR},   {0x1800, 0x18AF, S_MONG},   {0x19E0, 0x19FF, S_KHMR},
    {0x1C80, 0x1C8F, S_CYRL},   {0x1C90, 0x1CBF, S_GEOR},   {0x1D00, 0x1D7F, S_LATN},
    {0x1E00, 0x1EFF, S_LATN},   {0x1F00, 0x1FFF, S_GREK},   {0x2C60, 0x2C7F, S_LATN},
    {0x2D00, 0x2D2F, S_GEOR},   {0x2D30, 0x2D7F, S_TFNG},   {0x2D80, 0x2DDF, S_ETHI},
    {0x2DE0, 0x2DFF, S_CYRL},   {0x3005, 0x3007, S_HANI},   {0x3021, 0x3029, S_HANI},
    {0x3038, 0x303B, S_HANI},   {0x3040, 0x309F, S_KANA},   {0x30A0, 0x30FF, S_KANA},
    {0x3100, 0x312F, S_BOPO},   {0x3130, 0x318F, S_HANG},   {0x31A0, 0x31BF, S_BOPO},
    {0x31F0, 0x31FF, S_KANA},   {0x3400, 0x4DBF, S_HANI},   {0x4E00, 0x9FFF, S_HANI},
    {0xA000, 0xA4CF, S_YIII},   {0xA640, 0xA69F, S_CYRL},   {0xA720, 0xA7FF, S_LATN},
    {0xA8E0, 0xA8FF, S_DEVA},   {0xA960, 0xA97F, S_HANG},   {0xA9E0, 0xA9FF, S_MYMR},
    {0xAA60, 0xAA7F, S_MYMR},   {0xAB00, 0xAB2F, S_ETHI},   {0xAB30, 0xAB6F, S_LATN},
    {0xAC00, 0xD7AF, S_HANG},   {0xD7B0, 0xD7FF, S_HANG},   {0xF900, 0xFAFF, S_HANI},
    {0xFB00, 0xFB06, S_LATN},   {0xFB13, 0xFB17, S_ARMN},   {0xFB1D, 0xFB4F, S_HEBR},
    {0xFB50, 0xFDFF, S_ARAB},   {0xFE70, 0xFEFF, S_ARAB},   {0xFF21, 0xFF3A, S_LATN},
    {0xFF41, 0xFF5A, S_LATN},   {0xFF66, 0xFF9F, S_KANA},   {0xFFA0, 0xFFDC, S_HANG},
    {0x1B000, 0x1B16F, S_KANA}, {0x20000, 0x2A6DF, S_HANI}, {0x2A700, 0x2EBEF, S_HANI},
    {0x2F800, 0x2FA1F, S_HANI}, {0x30000, 0x323AF, S_HANI},
};

/* The script of a letter, S_OTHER when no block holds it. */
static int script_of(int32_t cp) {
  size_t lo = 0, hi = sizeof blocks / sizeof blocks[0];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cp < blocks[mid].lo)
      hi = mid;
    else if (cp > blocks[mid].hi)
      lo = mid + 1;
    else
      return blocks[mid].script;
  }
  return S_OTHER;
}

const char *emb_script_detect(const char *s, size_t len) {
  size_t count[S_COUNT] = {0};
  size_t first[S_COUNT]; /* order of first appearance, for ties */
  size_t seen = 0;
  if (!s)
    return "Zyyy";
  /* Fast path: most names are ASCII, where only Latin letters count. */
  bool letter = false;
  size_t i = 0;
  while (i < len && (unsigned char)s[i] < 0x80) {
    unsigned char b = (unsigned char)s[i++] | 0x20; /* ASCII lower case */
    letter |= b >= 'a' && b <= 'z';
  }
  if (i == len)
    return letter ? codes[S_LATN] : "Zyyy";
  i = 0;
  while (i < len) {
    unsigned char b = (unsigned char)s[i];
    int32_t cp;
    int sc;
    if (b < 0x80) {
      i++;
      if (!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')))
        continue;
      sc = S_LATN;
    } else {
      utf8proc_ssize_t k =
          utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
      if (k <= 0) {
        i++; /* an invalid byte: skip it */
        continue;
      }
      i += (size_t)k;
      utf8proc_category_t cat = utf8proc_category(cp);
      if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
        continue;
      sc = script_of(cp);
    }
    if (count[sc]++ == 0)
      first[sc] = seen++;
  }
  if (count[S_KANA] && count[S_HANI])
    return "Jpan";
  int best = -1;
  for (int k = 0; k < S_COUNT; k++) {
    if (!count[k])
      continue;
    if (best < 0 || count[k] > count[best] || (count[k] == count[best] && first[k] < first[best]))
      best = k;
  }
  return best < 0 ? "Zyyy" : codes[best];
}
