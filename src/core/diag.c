/*
 * diag.c - diagnostics: collecting and formatting; see diag.h and embargo.h.
 */
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_KEPT 1000
#define MAX_MESSAGE 512

void emb_diags_init(emb_diags *d) {
  memset(d, 0, sizeof(*d));
}

void emb_diags_fini(emb_diags *d) {
  if (!d)
    return;
  for (size_t i = 0; i < d->count; i++) {
    free(d->items[i].file);
    free(d->items[i].field);
    free(d->items[i].message);
  }
  free(d->items);
  memset(d, 0, sizeof(*d));
}

/* Copies s, cut at `max` bytes on a UTF-8 character boundary. */
static char *dup_or_null(const char *s, size_t max) {
  if (!s)
    return NULL;
  size_t n = strlen(s);
  if (n > max) { /* names and messages are for people; a huge one is cut */
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
  }
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

/* Drops a UTF-8 character that vsnprintf cut in two at the end of s. */
static void cut_partial_char(char *s) {
  size_t n = strlen(s), start = n;
  while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
    start--;
  if (start == 0)
    return;
  unsigned char lead = (unsigned char)s[start - 1];
  size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (n - (start - 1) < need)
    s[start - 1] = '\0';
}

void emb__diag_add(emb_diags *d, emb_severity sev, int code, const char *file, unsigned long line,
                   unsigned long column, const char *field, const char *fmt, ...) {
  if (!d)
    return;
  if (sev == EMB_SEV_ERROR)
    d->n_errors++;
  else
    d->n_warnings++;
  size_t max = d->max_kept ? d->max_kept : DEFAULT_MAX_KEPT;
  if (d->count >= max) {
    d->n_dropped++;
    return;
  }
  if (d->count == d->cap) {
    size_t n = d->cap ? d->cap * 2 : 16;
    emb_diag *p = realloc(d->items, n * sizeof(*p));
    if (!p) {
      d->n_dropped++;
      return;
    }
    d->items = p;
    d->cap = n;
  }
  char msg[MAX_MESSAGE];
  va_list ap;
  va_start(ap, fmt);
  int wanted = vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if (wanted >= (int)sizeof(msg))
    cut_partial_char(msg);
  emb_diag *x = &d->items[d->count++];
  x->severity = sev;
  x->code = code;
  x->file = dup_or_null(file, 256);
  x->line = line;
  x->column = column;
  x->field = dup_or_null(field, 256);
  x->message = dup_or_null(msg, sizeof(msg) - 1);
}

void emb_diag_format(const emb_diag *d, char *buf, size_t size) {
  char where[320];
  int n = snprintf(where, sizeof(where), "%s", d->file ? d->file : "<input>");
  if (d->line && n >= 0 && (size_t)n < sizeof(where))
    n += snprintf(where + n, sizeof(where) - (size_t)n, ":%lu", d->line);
  if (d->line && d->column && n >= 0 && (size_t)n < sizeof(where))
    snprintf(where + n, sizeof(where) - (size_t)n, ":%lu", d->column);
  const char *sev = d->severity == EMB_SEV_ERROR ? "error" : "warning";
  if (d->field)
    snprintf(buf, size, "%s: %s: field '%s': %s", where, sev, d->field,
             d->message ? d->message : "");
  else
    snprintf(buf, size, "%s: %s: %s", where, sev, d->message ? d->message : "");
}
