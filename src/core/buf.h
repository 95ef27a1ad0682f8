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

typedef struct emb_buf {
  char *data;
  size_t len;
  size_t alloc;
  size_t cap; /* the most bytes this buffer may ever hold */
} emb_buf;

void emb__buf_init(emb_buf *b, size_t cap);
void emb__buf_fini(emb_buf *b);
void emb__buf_reset(emb_buf *b);
int emb__buf_append(emb_buf *b, const void *p, size_t n);
int emb__buf_putc(emb_buf *b, char c);
int emb__buf_puts(emb_buf *b, const char *s);
int emb__buf_printf(emb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int emb__buf_vprintf(emb_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Returns the content ("" when empty); valid until the next change. */
const char *emb__buf_str(const emb_buf *b);

#endif
