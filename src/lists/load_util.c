/*
 * load_util.c - small helpers shared by the list loaders: null markers, white space
 * cleanup, byte sets, opening and checking CSV files, dates of birth; see loader.h.
 */
#include <string.h>

#include "lists/date.h"
#include "lists/loader.h"

bool emb__is_null_value(const char *s) {
  if (!s)
    return true;
  while (*s == ' ' || *s == '\t')
    s++;
  if (!*s)
    return true;
  if (strncmp(s, "-0-", 3) == 0) {
    s += 3;
    while (*s == ' ' || *s == '\t')
      s++;
    return *s == '\0';
  }
  return false;
}

char *emb__clean_space(const char *s, size_t len, char *buf, size_t size) {
  size_t o = 0;
  bool space = false;
  if (!size)
    return buf;
  for (size_t i = 0; i < len && o + 1 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      space = o > 0;
      continue;
    }
    if (space && o + 2 < size)
      buf[o++] = ' ';
    space = false;
    buf[o++] = (char)c;
  }
  buf[o] = '\0';
  return buf;
}

const char *emb__clean_space_buf(emb_buf *b, const char *s, size_t n) {
  emb__buf_reset(b);
  while (n && emb__in_set(s[0], " \t\r\n")) {
    s++;
    n--;
  }
  while (n && emb__in_set(s[n - 1], " \t\r\n"))
    n--;
  /* Runs of other bytes are appended whole (one call per word, not per byte). */
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && !emb__in_set(s[j], " \t\r\n"))
      j++;
    if (emb__buf_append(b, s + i, j - i))
      return NULL;
    while (j < n && emb__in_set(s[j], " \t\r\n"))
      j++;
    /* The end was trimmed, so a space run is followed by a word. */
    if (j < n && emb__buf_putc(b, ' '))
      return NULL;
    i = j;
  }
  return emb__buf_str(b);
}

bool emb__in_set(char c, const char *set) {
  /* The sets are a few bytes long: a plain loop beats a call to strchr() here. */
  for (; *set; set++)
    if (*set == c)
      return true;
  return false;
}

int emb__load_open_csv(emb_load_ctx *ctx, char delimiter, emb_input **in, emb_csv **csv) {
  *in = NULL;
  *csv = NULL;
  int rc = emb__load_open(ctx, ctx->path, in);
  if (rc)
    return rc;
  emb_csv_opts o = emb__csv_opts_default();
  o.delimiter = delimiter;
  o.trim = true;
  o.allow_cp1252 = true; /* older files are Windows-1252 */
  rc = emb__csv_new(*in, &o, ctx->diags, csv);
  if (rc) {
    emb__input_close(*in);
    *in = NULL;
    *csv = NULL;
  }
  return rc;
}

bool emb__csv_row_fits(emb_load_ctx *ctx, const char *file, const emb_csv_row *row, size_t width,
                       unsigned long header_line) {
  if (row->count == width)
    return true;
  if (row->count > width) {
    size_t i = width;
    while (i < row->count && !row->lens[i])
      i++;
    if (i == row->count)
      return true;
  }
  emb__error(ctx->diags, EMB_EFORMAT, file, row->line, 0, NULL,
             "wrong field count: %zu fields where the header (line %lu) has %zu; "
             "record skipped",
             row->count, header_line, width);
  return false;
}

int emb__csv_load_result(const emb_load_ctx *ctx, size_t errors0, bool lost) {
  if (ctx->diags && ctx->diags->n_errors > errors0)
    lost = true;
  return lost ? EMB_EFORMAT : 0;
}

typedef struct add_dates_ud {
  emb_load_ctx *ctx;
  emb_entity *e;
  int rc;
} add_dates_ud;

static void add_one_date(const emb_date *d, void *ud) {
  add_dates_ud *u = ud;
  int rc = emb__entity_add_birth_date(u->ctx->set, u->e, d);
  if (rc)
    u->rc = rc;
}

int emb__add_birth_dates(emb_load_ctx *ctx, emb_entity *e, const char *text, emb_date_order order,
                         const char *file, unsigned long line, const char *field) {
  if (!text || !*text)
    return 0;
  add_dates_ud u = {ctx, e, 0};
  int bad = emb__date_parse_list(text, strlen(text), order, add_one_date, &u);
  if (bad > 0)
    emb__warn(ctx->diags, EMB_EFORMAT, file, line, 0, field, "date not understood: \"%.80s\"",
              text);
  return u.rc;
}

int emb__csv_each_row(emb_load_ctx *ctx, emb_csv *csv, emb_csv_row *row, const char *file,
                      size_t errors0, int (*fn)(void *ud, bool *lost), void *ud) {
  size_t width = row->count;
  unsigned long header_line = row->line;
  bool lost = false;
  int r;
  while ((r = emb__csv_next(csv, row)) == 1) {
    ctx->source->n_records++;
    if (row->bad)
      lost = true;
    if (!emb__csv_row_fits(ctx, file, row, width, header_line)) {
      lost = true;
      continue;
    }
    int rc = fn(ud, &lost);
    if (rc)
      return rc;
  }
  if (r < 0)
    return r;
  return emb__csv_load_result(ctx, errors0, lost);
}
