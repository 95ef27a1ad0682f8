/*
 * hs.c - HS code normalisation and the HS version correlation table (see hs.h).
 *
 * The table keeps its rows in one growable array and their strings in an arena it owns;
 * after each load the rows are sorted by old code, so a lookup tries each prefix length
 * of the record code with a binary search.
 */
#include "goods/hs.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/diag.h"
#include "core/input.h"

emb_hs_status emb__hs_normalize(const char *text, size_t len, char out[EMB_HS_MAX + 1], size_t *n) {
  size_t k = 0;
  bool bad = false;
  out[0] = '\0';
  *n = 0;
  if (!text)
    return EMB_HS_EMPTY;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (k < EMB_HS_MAX)
        out[k] = c;
      k++;
    } else if (c != '.' && c != ' ' && c != '\t') {
      bad = true;
      break;
    }
  }
  if (!bad && k == 0)
    return EMB_HS_EMPTY;
  if (bad || k < 2 || k > EMB_HS_MAX) {
    out[0] = '\0';
    return EMB_HS_INVALID;
  }
  out[k] = '\0';
  *n = k;
  return EMB_HS_OK;
}

bool emb__hs_has_prefix(const char *code, size_t n, const char *prefix, size_t np) {
  return np <= n && memcmp(code, prefix, np) == 0;
}

struct emb_hs_corr {
  emb_arena arena;       /* every string of every row */
  emb_hs_corr_row *rows; /* sorted by from_code, then to_code */
  size_t count;
  size_t cap;
};

emb_hs_corr *emb__hs_corr_new(void) {
  emb_hs_corr *t = calloc(1, sizeof(*t));
  if (t)
    emb__arena_init(&t->arena, 16384);
  return t;
}

void emb__hs_corr_free(emb_hs_corr *t) {
  if (!t)
    return;
  emb__arena_fini(&t->arena);
  free(t->rows);
  free(t);
}

size_t emb__hs_corr_count(const emb_hs_corr *t) {
  return t ? t->count : 0;
}

const emb_hs_corr_row *emb__hs_corr_row(const emb_hs_corr *t, size_t i) {
  return t && i < t->count ? &t->rows[i] : NULL;
}

static int row_cmp(const void *a, const void *b) {
  const emb_hs_corr_row *x = a, *y = b;
  int c = strcmp(x->from_code, y->from_code);
  if (c)
    return c;
  c = strcmp(x->to_code, y->to_code);
  if (c)
    return c;
  return x->line < y->line ? -1 : x->line > y->line;
}

/* The columns a correlation file must have, in the order of the fields of a row. */
static const char *const corr_cols[] = {"from_version", "from_code", "to_version", "to_code",
                                        "relation",     "basis",     "notes"};
enum { NCOLS = sizeof(corr_cols) / sizeof(corr_cols[0]) };

int emb__hs_corr_load(emb_hs_corr *t, const char *path, emb_diags *diags) {
  if (!t || !path)
    return EMB_EINVAL;
  emb_input *in = NULL;
  int rc = emb__input_open(path, &in, diags);
  if (rc)
    return rc;
  const char *fname = emb__input_name(in);
  emb_csv_opts o = emb__csv_opts_default();
  o.delimiter = ',';
  o.max_field = 4096;
  emb_csv *csv = NULL;
  rc = emb__csv_new(in, &o, diags, &csv);
  if (rc)
    goto out_in;
  emb_csv_row row;
  int col[NCOLS];
  bool bad = false;
  rc = emb__csv_next(csv, &row);
  if (rc <= 0) {
    if (rc == 0)
      emb__error(diags, EMB_EFORMAT, fname, 1, 0, NULL, "The correlation file is empty.");
    rc = rc ? rc : EMB_EFORMAT;
    goto out_csv;
  }
  for (size_t i = 0; i < NCOLS; i++) {
    col[i] = emb__csv_col(&row, corr_cols[i]);
    if (col[i] < 0 && i != 6) { /* notes may be absent */
      emb__error(diags, EMB_EFORMAT, fname, row.line, 0, corr_cols[i],
                 "The header has no column '%s'.", corr_cols[i]);
      bad = true;
    }
  }
  if (bad) {
    rc = EMB_EFORMAT;
    goto out_csv;
  }
  while ((rc = emb__csv_next(csv, &row)) == 1) {
    if (row.bad) {
      bad = true;
      continue;
    }
    const char *f[NCOLS];
    for (size_t i = 0; i < NCOLS; i++)
      f[i] = col[i] >= 0 && (size_t)col[i] < row.count ? row.fields[col[i]] : "";
    char from[EMB_HS_MAX + 1], to[EMB_HS_MAX + 1];
    size_t nf, nt;
    if (emb__hs_normalize(f[1], strlen(f[1]), from, &nf) != EMB_HS_OK) {
      emb__error(diags, EMB_EFORMAT, fname, row.line, (unsigned long)col[1] + 1, "from_code",
                 "'%s' is not an HS code (2 to %d digits).", f[1], EMB_HS_MAX);
      bad = true;
      continue;
    }
    if (emb__hs_normalize(f[3], strlen(f[3]), to, &nt) != EMB_HS_OK) {
      emb__error(diags, EMB_EFORMAT, fname, row.line, (unsigned long)col[3] + 1, "to_code",
                 "'%s' is not an HS code (2 to %d digits).", f[3], EMB_HS_MAX);
      bad = true;
      continue;
    }
    if (!*f[0] || !*f[2]) {
      emb__error(diags, EMB_EFORMAT, fname, row.line, 0, !*f[0] ? "from_version" : "to_version",
                 "The HS version is empty.");
      bad = true;
      continue;
    }
    if (t->count == t->cap) {
      size_t ncap = t->cap ? t->cap * 2 : 64;
      emb_hs_corr_row *nr = realloc(t->rows, ncap * sizeof(*nr));
      if (!nr) {
        rc = EMB_ENOMEM;
        goto out_csv;
      }
      t->rows = nr;
      t->cap = ncap;
    }
    emb_hs_corr_row *r = &t->rows[t->count];
    r->from_version = emb__arena_strdup(&t->arena, f[0]);
    r->from_code = emb__arena_strdup(&t->arena, from);
    r->to_version = emb__arena_strdup(&t->arena, f[2]);
    r->to_code = emb__arena_strdup(&t->arena, to);
    r->relation = emb__arena_strdup(&t->arena, f[4]);
    r->basis = emb__arena_strdup(&t->arena, f[5]);
    r->notes = emb__arena_strdup(&t->arena, f[6]);
    r->line = row.line;
    if (!r->from_version || !r->from_code || !r->to_version || !r->to_code || !r->relation ||
        !r->basis || !r->notes) {
      rc = EMB_ENOMEM;
      goto out_csv;
    }
    t->count++;
  }
  if (rc == 0 && bad)
    rc = EMB_EFORMAT;
out_csv:
  if (t->count)
    qsort(t->rows, t->count, sizeof(*t->rows), row_cmp);
  emb__csv_free(csv);
out_in:
  emb__input_close(in);
  return rc;
}

/* Index of the first row whose from_code is >= key[0..n) compared as a string. */
static size_t lower_bound(const emb_hs_corr *t, const char *key, size_t n) {
  size_t lo = 0, hi = t->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *c = t->rows[mid].from_code;
    size_t cn = strlen(c);
    int cmp = memcmp(c, key, cn < n ? cn : n);
    if (cmp == 0)
      cmp = cn < n ? -1 : cn > n;
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

size_t emb__hs_corr_find(const emb_hs_corr *t, const char *code, size_t n,
                         const emb_hs_corr_row **out, size_t max) {
  size_t found = 0;
  if (!t || !code)
    return 0;
  for (size_t k = 2; k <= n && k <= EMB_HS_MAX; k++) {
    for (size_t i = lower_bound(t, code, k); i < t->count; i++) {
      const char *c = t->rows[i].from_code;
      if (strlen(c) != k || memcmp(c, code, k) != 0)
        break;
      if (found < max)
        out[found] = &t->rows[i];
      found++;
    }
  }
  return found;
}
