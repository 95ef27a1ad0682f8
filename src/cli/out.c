/*
 * out.c - JSON string and CSV field writers; see out.h.
 */
#include "cli/out.h"

#include "embargo.h"

#include <stdbool.h>
#include <string.h>

void out_json_str(FILE *f, const char *s) {
  if (!s) {
    fputs("null", f);
    return;
  }
  putc('"', f);
  size_t len = strlen(s);
  while (len) {
    /* Invalid UTF-8 (a name typed on a terminal in another encoding) becomes U+FFFD. */
    size_t ok = emb_utf8_valid(s, len);
    for (size_t i = 0; i < ok; i++) {
      unsigned char ch = (unsigned char)s[i];
      switch (ch) {
      case '"': fputs("\\\"", f); break;
      case '\\': fputs("\\\\", f); break;
      case '\n': fputs("\\n", f); break;
      case '\r': fputs("\\r", f); break;
      case '\t': fputs("\\t", f); break;
      default:
        if (ch < 0x20)
          fprintf(f, "\\u%04x", ch);
        else
          putc(ch, f);
      }
    }
    if (ok < len) {
      fputs("\xEF\xBF\xBD", f);
      ok++;
    }
    s += ok;
    len -= ok;
  }
  putc('"', f);
}

void out_csv_field(FILE *f, const char *s, char delimiter) {
  if (!s)
    return;
  bool quote = false;
  for (const char *p = s; *p; p++)
    if (*p == '"' || *p == delimiter || *p == '\n' || *p == '\r') {
      quote = true;
      break;
    }
  if (!quote && (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ')))
    quote = true;
  if (!quote) {
    fputs(s, f);
    return;
  }
  putc('"', f);
  for (const char *p = s; *p; p++) {
    if (*p == '"')
      putc('"', f);
    putc(*p, f);
  }
  putc('"', f);
}
