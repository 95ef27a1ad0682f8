/*
 * buf.h - a growable byte buffer with a hard cap (curl's dynbuf).
 *
 * The buffer owns its bytes; emb__buf_fini() frees them. The content is always
 * NUL-terminated after a successful append. Growing past `cap` fails with
 * EMB_ETOOBIG and leaves the content as it was.
 */
#ifndef EMB_CORE_BUF_H
#define EMB_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct emb_buf {
  char *data;
  size_t len;
  size_t alloc;
  size_t cap; /* the most bytes this buffer may ever hold */
} emb_buf;

void emb__buf_init(emb_buf *b, size_t cap);
void emb__buf_fini(emb_buf *b);
int emb__buf_puts(emb_buf *b, const char *s);
int emb__buf_printf(emb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int emb__buf_vprintf(emb_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/*
 * Makes room for `extra` more bytes and the terminator: EMB_ETOOBIG past the cap,
 * EMB_ENOMEM when allocation fails. The slow path of the inline appends below, which
 * loaders call once per byte or word: the common case (room left) stays inline.
 * The allocation never exceeds cap + 1, so room left is always within the cap.
 */
int emb__buf_grow(emb_buf *b, size_t extra);

/* Appends s as a JSON string literal (quoted, escaped; invalid UTF-8 as U+FFFD). */
int emb__json_str(emb_buf *out, const char *s);

/* Empties the buffer, keeping its memory. */
static inline void emb__buf_reset(emb_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

/* Appends n bytes; 0, or EMB_ETOOBIG / EMB_ENOMEM with the content unchanged. */
static inline int emb__buf_append(emb_buf *b, const void *p, size_t n) {
  if (n >= b->alloc - b->len) { /* alloc is 0 or above len: no wrap-around */
    int rc = emb__buf_grow(b, n);
    if (rc)
      return rc;
  }
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

static inline int emb__buf_putc(emb_buf *b, char c) {
  return emb__buf_append(b, &c, 1);
}

/* Returns the content ("" when empty); valid until the next change. */
static inline const char *emb__buf_str(const emb_buf *b) {
  return b->data ? b->data : "";
}

#endif
