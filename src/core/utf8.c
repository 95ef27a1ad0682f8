/*
 * utf8.c - UTF-8 validation and Windows-1252 decoding for the input readers.
 *
 * emb__utf8_check() is the strict test the CSV and line readers apply to every
 * field: it accepts exactly the well-formed UTF-8 of RFC 3629 minus NUL, so it
 * refuses overlong forms, UTF-16 surrogates (U+D800..U+DFFF), code points above
 * U+10FFFF, stray continuation bytes and sequences cut short. It works on byte
 * slices and never reads past s[n-1].
 *
 * emb__cp1252_to_utf8() decodes the legacy encoding many official CSV files are
 * still written in (OFSI's ConList.csv among them). Bytes 0xA0..0xFF are the
 * Latin-1 code points; 0x80..0x9F follow the Windows-1252 table (0x80 is the euro
 * sign, 0x92 the right single quotation mark, and so on). The five bytes that
 * Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD, the
 * replacement character, and so does a NUL byte: these bytes never stand for text
 * in a list, and a visible replacement character in a name is easier to notice
 * and review than the invisible C1 control the WHATWG table would give. The output
 * is therefore always valid UTF-8 without NUL. Nothing here allocates except
 * through the caller's emb_buf.
 */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/input.h"
#include "embargo.h"

size_t emb__utf8_check(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    /* Fast path: most list text is ASCII; take 8 bytes at a time while none has the
     * high bit set and none is NUL (the usual "has a zero byte" bit trick). */
    while (n - i >= 8) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if ((w & 0x8080808080808080u) || ((w - 0x0101010101010101u) & ~w & 0x8080808080808080u))
        break;
      i += 8;
    }
    if (i == n)
      break;
    unsigned char b = s[i];
    if (b < 0x80) {
      if (b == 0)
        return i;
      i++;
      continue;
    }
    size_t need;
    uint32_t cp;
    uint32_t min;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
      cp = b & 0x1Fu;
      min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      cp = b & 0x0Fu;
      min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      cp = b & 0x07u;
      min = 0x10000;
    } else {
      return i; /* a continuation byte, C0/C1 (always overlong) or F5..FF */
    }
    if (n - i <= need)
      return i; /* cut short by the end of the slice */
    for (size_t k = 1; k <= need; k++) {
      unsigned char cb = s[i + k];
      if ((cb & 0xC0) != 0x80)
        return i;
      cp = (cp << 6) | (cb & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += need + 1;
  }
  return n;
}

/* Code points for bytes 0x80..0x9F; 0xFFFD marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80-87 */
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, /* 88-8F */
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90-97 */
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178, /* 98-9F */
};

/* Encodes a BMP code point; returns the number of bytes written (1..3). */
static size_t put_bmp(uint32_t cp, char *o) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  o[0] = (char)(0xE0 | (cp >> 12));
  o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

int emb__cp1252_to_utf8(const char *str, size_t n, struct emb_buf *out) {
  const unsigned char *s = (const unsigned char *)str;
  char tmp[768]; /* flushed before it could overflow: at most 3 bytes per input byte */
  size_t t = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = s[i];
    uint32_t cp;
    if (b == 0)
      cp = 0xFFFD;
    else if (b < 0x80)
      cp = b;
    else if (b < 0xA0)
      cp = cp1252_high[b - 0x80];
    else
      cp = b;
    t += put_bmp(cp, tmp + t);
    if (t > sizeof(tmp) - 3) {
      int rc = emb__buf_append(out, tmp, t);
      if (rc)
        return rc;
      t = 0;
    }
  }
  return emb__buf_append(out, tmp, t);
}
