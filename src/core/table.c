/*
 * table.c - CSV files with a header row, for the command line and batch jobs; see the
 * emb_table_* declarations in embargo.h. A thin layer over input.c and csv.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/diag.h"
#include "core/input.h"
#include "embargo.h"

struct emb_table {
  emb_input *in;
  emb_csv *csv;
  emb_diags *diags;
  char **header;
  size_t n_header;
  emb_csv_row header_row; /* for emb__csv_col */
  const char **hdr_fields;
  size_t *hdr_lens;
};

size_t emb_utf8_valid(const char *s, size_t n) {
  return emb__utf8_check(s, n);
}

const char *emb_data_dir(void) {
  const char *env = getenv("EMBARGO_DATA_DIR");
  if (env && *env)
    return env;
#ifdef EMB_DATA_DIR
  return EMB_DATA_DIR;
#else
  return "data";
#endif
}

int emb_table_open(const char *path, emb_table **out, emb_diags *diags) {
  *out = NULL;
  emb_table *t = calloc(1, sizeof(*t));
  if (!t)
    return EMB_ENOMEM;
  t->diags = diags;
  int rc = emb__input_open(strcmp(path, "-") == 0 ? "/dev/stdin" : path, &t->in, diags);
  if (rc) {
    free(t);
    return rc;
  }
  emb_csv_opts o = emb__csv_opts_default();
  o.trim = true;
  rc = emb__csv_new(t->in, &o, diags, &t->csv);
  emb_csv_row row = {0};
  if (!rc) {
    int r = emb__csv_next(t->csv, &row);
    if (r < 0)
      rc = r;
    else if (r == 0) {
      emb__error(diags, EMB_EFORMAT, path, 1, 0, NULL, "the file is empty: no header row");
      rc = EMB_EFORMAT;
    }
  }
  if (!rc) {
    t->n_header = row.count;
    t->header = calloc(row.count ? row.count : 1, sizeof(char *));
    t->hdr_lens = calloc(row.count ? row.count : 1, sizeof(size_t));
    if (!t->header || !t->hdr_lens)
      rc = EMB_ENOMEM;
    for (size_t i = 0; !rc && i < row.count; i++) {
      t->header[i] = strdup(row.fields[i]);
      t->hdr_lens[i] = row.lens[i];
      if (!t->header[i])
        rc = EMB_ENOMEM;
    }
  }
  if (rc) {
    emb_table_close(t);
    return rc;
  }
  t->header_row.fields = (const char **)t->header;
  t->header_row.lens = t->hdr_lens;
  t->header_row.count = t->n_header;
  *out = t;
  return 0;
}

const char *const *emb_table_header(const emb_table *t, size_t *n) {
  *n = t->n_header;
  return (const char *const *)t->header;
}

int emb_table_column(const emb_table *t, const char *name) {
  return emb__csv_col(&t->header_row, name);
}

char emb_table_delimiter(const emb_table *t) {
  return emb__csv_delimiter(t->csv);
}

int emb_table_next(emb_table *t, const char *const **fields, size_t *n, unsigned long *line,
                   bool *ragged) {
  emb_csv_row row;
  int r = emb__csv_next(t->csv, &row);
  if (r <= 0)
    return r;
  *fields = row.fields;
  *n = row.count;
  *line = row.line;
  *ragged = row.count != t->n_header;
  if (*ragged)
    emb__error(t->diags, EMB_EFORMAT, emb__input_name(t->in), row.line, 0, NULL,
               "the record has %zu fields where the header has %zu", row.count, t->n_header);
  return 1;
}

void emb_table_close(emb_table *t) {
  if (!t)
    return;
  emb__csv_free(t->csv);
  emb__input_close(t->in);
  for (size_t i = 0; i < t->n_header; i++)
    free(t->header[i]);
  free(t->header);
  free(t->hdr_lens);
  free(t);
}
