/*
 * fuzz_csv.c - libFuzzer target for the streaming CSV reader (core/csv.c).
 *
 * The first input byte picks the options (delimiter detection or a fixed one, small
 * caps so the resynchronisation paths run, trimming, Windows-1252 fallback); the rest
 * is the file, read from memory through emb__input_open_mem() so gzip and zip inputs
 * reach the reader too. Every record is read to the end and checked against the
 * reader's promises: fields are NUL-terminated valid UTF-8 of the stated length, line
 * numbers never go backwards, and the record and field counts stay within the caps.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/input.h"
#include "embargo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t sel = data[0];
  data++;
  size--;
  emb_csv_opts o = emb__csv_opts_default();
  static const char delims[4] = {0, ',', '\t', ';'};
  o.delimiter = delims[sel & 3];
  o.trim = (sel & 4) != 0;
  o.allow_cp1252 = (sel & 8) != 0;
  if (sel & 16)
    o.max_field = 1 + (sel >> 5); /* 1..8 bytes */
  if (sel & 32)
    o.max_fields = 1 + (sel >> 6); /* 1..4 fields */

  emb_diags diags;
  emb_diags_init(&diags);
  emb_input *in = NULL;
  if (emb__input_open_mem(data, size, "fuzz.csv", &in, &diags) != 0) {
    emb_diags_fini(&diags);
    return 0;
  }
  emb_csv *c = NULL;
  if (emb__csv_new(in, &o, &diags, &c) == 0) {
    emb_csv_row row;
    unsigned long last = 0;
    int rc;
    while ((rc = emb__csv_next(c, &row)) == 1) {
      if (row.line < last || row.end_line < row.line)
        abort();
      last = row.end_line;
      if (row.count > o.max_fields)
        abort();
      for (size_t i = 0; i < row.count; i++) {
        if (row.fields[i][row.lens[i]] != '\0' || strlen(row.fields[i]) != row.lens[i])
          abort();
        if (emb__utf8_check(row.fields[i], row.lens[i]) != row.lens[i])
          abort();
        if (row.lens[i] > o.max_field * 3) /* Windows-1252 grows by at most 3x */
          abort();
      }
      (void)emb__csv_col(&row, "name");
    }
    if (rc < 0 && rc != EMB_EIO && rc != EMB_EFORMAT && rc != EMB_ETRUNCATED)
      abort();
  }
  emb__csv_free(c);
  emb__input_close(in);
  emb_diags_fini(&diags);
  return 0;
}
