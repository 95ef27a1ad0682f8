/*
 * csv.h - a streaming CSV reader (RFC 4180, any one-byte delimiter) with locations.
 *
 * The reader pulls bytes from an emb_input and yields records whose fields are
 * NUL-terminated UTF-8 strings. It owns its buffers; fields are valid until the
 * next call to emb__csv_next(). A UTF-8 BOM is skipped. A trailing 0x1A (DOS EOF,
 * as in OFAC's files) is ignored.
 *
 * Encoding: a field that is not valid UTF-8 is decoded as Windows-1252 and a single
 * warning per file names the first place it happened, when opts.allow_cp1252 is set;
 * otherwise it is an error naming line, column and field number, and the record is
 * reported as bad (see emb_csv_row.bad); the invalid bytes become U+FFFD so that fields
 * are always valid UTF-8.
 *
 * Completely empty lines are skipped. `trim` strips spaces inside quotes too. Text after
 * a closing quote is appended to the value (`"abc" ` as OFAC writes it). A whole record is
 * capped at max(8 * max_field, 1 MiB) bytes.
 *
 * Bad input never stops the reader unless the stream itself fails: an unterminated
 * quote at the end of the file is an error (the record is dropped, its start line
 * named); a field over max_field bytes is an error (the record is marked bad and the
 * reader resynchronises at the next line end outside quotes); a NUL byte is an error
 * (bad record); more than max_fields fields is an error (bad record).
 */
#ifndef EMB_CORE_CSV_H
#define EMB_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/input.h"

typedef struct emb_csv emb_csv;

typedef struct emb_csv_opts {
  char delimiter;    /* 0: detect from the first line among , \t ; | */
  size_t max_field;  /* default 1 MiB */
  size_t max_fields; /* default 1024 */
  bool allow_cp1252; /* decode invalid UTF-8 fields as Windows-1252 with a warning */
  bool trim;         /* strip ASCII spaces around unquoted and quoted values */
} emb_csv_opts;

emb_csv_opts emb__csv_opts_default(void);

typedef struct emb_csv_row {
  const char **fields; /* count NUL-terminated strings */
  const size_t *lens;
  size_t count;
  unsigned long line;     /* physical line on which the record starts (1-based) */
  unsigned long end_line; /* physical line on which it ends */
  bool bad;               /* an error was reported for this record; fields may be partial */
} emb_csv_row;

/* Creates a reader; the input stays owned by the caller and must outlive the reader. */
int emb__csv_new(emb_input *in, const emb_csv_opts *opts, emb_diags *diags, emb_csv **out);
/* Returns 1 with a record in *row, 0 at the end of the input, <0 on an I/O error. */
int emb__csv_next(emb_csv *c, emb_csv_row *row);
/* The delimiter in use (after detection). */
char emb__csv_delimiter(const emb_csv *c);
void emb__csv_free(emb_csv *c);

/* Finds a header column by name (case-insensitive, spaces and '_' ignored); -1 if absent. */
int emb__csv_col(const emb_csv_row *header, const char *name);

#endif
