/*
 * buf.c - growable byte buffer with a cap; see buf.h.
 */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h" /* emb__utf8_check */
#include "embargo.h"

void emb__buf_init(emb_buf *b, size_t cap) {
  b->data = NULL;
  b->len = 0;
  b->alloc = 0;
  b->cap = cap ? cap : (size_t)1 << 30;
}

void emb__buf_fini(emb_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->alloc = 0;
}

int emb__buf_grow(emb_buf *b, size_t extra) {
  if (extra > b->cap || b->len > b->cap - extra)
    return EMB_ETOOBIG;
  size_t need = b->len + extra + 1;
  if (need <= b->alloc)
    return 0;
  size_t n = b->alloc ? b->alloc : 64;
  while (n < need)
    n *= 2;
  if (b->cap < SIZE_MAX && n > b->cap + 1)
    n = b->cap + 1; /* need <= cap + 1 here; see buf.h */
  char *p = realloc(b->data, n);
  if (!p)
    return EMB_ENOMEM;
  b->data = p;
  b->alloc = n;
  return 0;
}

int emb__buf_puts(emb_buf *b, const char *s) {
  return emb__buf_append(b, s, strlen(s));
}

int emb__buf_vprintf(emb_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return EMB_EINVAL;
  int rc = emb__buf_grow(b, (size_t)n);
  if (rc)
    return rc;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int emb__buf_printf(emb_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = emb__buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

int emb__json_str(emb_buf *out, const char *s) {
  int rc = emb__buf_putc(out, '"');
  size_t len = strlen(s);
  while (len && !rc) {
    /* Valid UTF-8 runs are copied with escapes; an invalid byte becomes U+FFFD so that
     * the output is always valid JSON. */
    size_t ok = emb__utf8_check(s, len);
    for (size_t i = 0; i < ok && !rc; i++) {
      unsigned char ch = (unsigned char)s[i];
      if (ch == '"' || ch == '\\')
        rc = emb__buf_printf(out, "\\%c", ch);
      else if (ch < 0x20)
        rc = emb__buf_printf(out, "\\u%04x", ch);
      else
        rc = emb__buf_putc(out, (char)ch);
    }
    if (ok < len && !rc) {
      rc = emb__buf_puts(out, "\xEF\xBF\xBD");
      ok++;
    }
    s += ok;
    len -= ok;
  }
  return rc ? rc : emb__buf_putc(out, '"');
}
