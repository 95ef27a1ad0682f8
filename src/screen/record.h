/*
 * record.h - trade records in: CSV or JSON lines, with their own headers mapped onto the
 * canonical trade fields (docs/TRADE_RECORDS.md).
 *
 * A trade record is one customs declaration, order, invoice or manifest line. Whatever
 * the file calls its columns, the reader hands out the same thirty canonical fields
 * (emb_trade_field). Which source column feeds which field comes from a column map
 * (emb_trade_map): a mapping file, flags, and automatic recognition of the header names
 * (canonical names, common synonyms and FollowTheMoney EconomicActivity properties).
 *
 * Ownership: an emb_trade_map owns its strings until emb__trade_map_free(); the reader
 * copies what it needs from the map at open, so the map may be freed after
 * emb__trade_reader_open() returns. The reader owns its input, buffers and every string
 * it hands out. A record's strings (v[], extra[]) are valid until the next call to
 * emb__trade_reader_next() or emb__trade_reader_close(); the column list of
 * emb__trade_reader_header() until close (for JSON lines it may grow, and the array may
 * move, as new keys appear: fetch it again after a call to next).
 *
 * One reader is used by one thread at a time. Every problem in the input is reported to
 * the diagnostics given at open, with the file name, the line, and the source column
 * name as the field where there is one; the reader never prints.
 */
#ifndef EMB_SCREEN_RECORD_H
#define EMB_SCREEN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "embargo.h"

/* The canonical fields; emb__trade_field_name() gives their lower-case names. */
typedef enum {
  EMB_TF_RECORD_ID,
  EMB_TF_DATE,
  EMB_TF_EXPORTER,
  EMB_TF_EXPORTER_COUNTRY,
  EMB_TF_EXPORTER_ID,
  EMB_TF_IMPORTER,
  EMB_TF_IMPORTER_COUNTRY,
  EMB_TF_IMPORTER_ID,
  EMB_TF_CONSIGNEE,
  EMB_TF_CONSIGNEE_COUNTRY,
  EMB_TF_CONSIGNEE_ID,
  EMB_TF_END_USER,
  EMB_TF_END_USER_COUNTRY,
  EMB_TF_NOTIFY_PARTY,
  EMB_TF_HS_CODE,
  EMB_TF_GOODS_DESCRIPTION,
  EMB_TF_MANUFACTURER,
  EMB_TF_ORIGIN_COUNTRY,
  EMB_TF_DISPATCH_COUNTRY,
  EMB_TF_DESTINATION_COUNTRY,
  EMB_TF_TRANSIT_COUNTRIES,
  EMB_TF_PORT_OF_LOADING,
  EMB_TF_PORT_OF_DISCHARGE,
  EMB_TF_CARRIER,
  EMB_TF_VESSEL_NAME,
  EMB_TF_VESSEL_IMO,
  EMB_TF_VALUE,
  EMB_TF_CURRENCY,
  EMB_TF_QUANTITY,
  EMB_TF_UNIT,
  EMB_TF_COUNT
} emb_trade_field;

/* "record_id", "exporter_country", ...; NULL for a value out of range. */
const char *emb__trade_field_name(emb_trade_field f);
/* The field named exactly name[0..len) (canonical lower-case name), or -1. */
int emb__trade_field_parse(const char *name, size_t len);

/* How several values of one field are joined (several mapped columns, FtM multi-values). */
#define EMB_TRADE_JOIN "; "

/*
 * One trade record. Every v[i] is a NUL-terminated UTF-8 string of len[i] bytes, "" and
 * 0 when the field is absent; values are trimmed of surrounding spaces and tabs.
 */
typedef struct emb_trade_record {
  const char *v[EMB_TF_COUNT];
  size_t len[EMB_TF_COUNT];
  unsigned long line;       /* first line of the record in the file (JSONL: its line) */
  unsigned long index;      /* 0-based record number in the input */
  const char *const *extra; /* unmapped columns' values, in header order (see header()) */
  size_t n_extra;
  bool bad;                 /* a structural problem was reported for this record (broken
                               quoting, invalid encoding in strict mode, too many/few fields,
                               bad JSON, over-long record); the fields hold what could be
                               read */
  bool record_id_generated; /* record_id was missing and is "line:N" (N = line) */
} emb_trade_record;

/* ------------------------------------------------------------ column map */

typedef struct emb_trade_map emb_trade_map;

/* A new, empty map with automatic header recognition on (NULL when out of memory). */
emb_trade_map *emb__trade_map_new(void);
/* Frees the map; NULL is a no-op. */
void emb__trade_map_free(emb_trade_map *m);

/*
 * Adds the lines of a mapping file (format in docs/TRADE_RECORDS.md: lines
 * `canonical_field = Source Column`, '#' comments, several lines for one field join their
 * columns). Unknown field names and malformed lines are reported with file and line.
 * Returns 0, EMB_EFORMAT (a bad line; the good lines are kept), EMB_EIO or EMB_ENOMEM.
 */
int emb__trade_map_load(emb_trade_map *m, const char *path, emb_diags *diags);

/*
 * Maps `field` (a canonical name) to the source column `column`, as `--map-field
 * field=column` does. The first flag for a field replaces what a mapping file said for it;
 * further flags for the same field add columns. Returns 0, EMB_EINVAL (unknown field
 * name or an empty column name) or EMB_ENOMEM.
 */
int emb__trade_map_set(emb_trade_map *m, const char *field, const char *column);

/* Turns automatic recognition of header names on (the default) or off. */
void emb__trade_map_set_auto(emb_trade_map *m, bool on);

/* --------------------------------------------------------------- reader */

typedef enum { EMB_TRADE_AUTO = 0, EMB_TRADE_CSV, EMB_TRADE_JSONL } emb_trade_format;

/* Reader options; all-zero is the default, as is emb__trade_reader_opts_default(). */
typedef struct emb_trade_reader_opts {
  emb_trade_format format;   /* AUTO: .jsonl/.ndjson/.json name or a leading '{' is JSONL */
  char delimiter;            /* CSV: 0 detects among , ; TAB | from the header line */
  bool strict_encoding;      /* invalid UTF-8 is an error (U+FFFD, record bad) instead of
                                being read as Windows-1252 with one warning per file */
  size_t max_record;         /* bytes in one record (CSV) or line (JSONL); 0: 1 MiB */
  size_t max_fields;         /* CSV fields in one record; 0: 1024 */
  unsigned max_record_lines; /* physical lines one quoted CSV record may span; 0: 1000 */
} emb_trade_reader_opts;

emb_trade_reader_opts emb__trade_reader_opts_default(void);

typedef struct emb_trade_reader emb_trade_reader;

/*
 * Opens a file of trade records: path names a plain, .gz or .zip file, or "-" for stdin.
 * map may be NULL (automatic recognition only); opts may be NULL (defaults). For CSV the
 * header row is read and mapped here: an empty file, a header of which no column is
 * recognised or mapped, and a mapping that names a column the header lacks are errors
 * (reported naming the mapping-file line or the flag) and the open fails with
 * EMB_EFORMAT. Returns 0 with *out set, or EMB_EIO, EMB_EFORMAT, EMB_EINVAL, EMB_ENOMEM.
 * diags (may be NULL) must outlive the reader.
 */
int emb__trade_reader_open(const char *path, const emb_trade_map *map,
                           const emb_trade_reader_opts *opts, emb_trade_reader **out,
                           emb_diags *diags);

/*
 * Reads the next record into *rec. Returns 1 with a record (check rec->bad), 0 at the
 * end of the input, or a negative EMB_E... code when the stream fails (I/O error,
 * truncated or corrupt gzip/zip; reported to diags). Records that are malformed are
 * reported and returned with bad = true; only the stream failing stops the reader.
 */
int emb__trade_reader_next(emb_trade_reader *r, emb_trade_record *rec);

/* One source column and where it went: one entry per (column, field) pair. */
typedef struct emb_trade_column {
  const char *name; /* the column name as the header (or JSON key) writes it */
  int field;        /* emb_trade_field, or -1 when the column is kept as an extra */
  size_t extra;     /* when field < 0: its index in rec->extra */
  const char *how;  /* "map file:LINE", "--map-field", "name", "synonym", "ftm", or for
                       extras "unknown", "duplicate" (a repeated column name), "unused"
                       (recognised, but the field is already taken) */
} emb_trade_column;

/*
 * The source columns and the canonical field each went to, in header order (JSONL: in
 * the order keys were first seen), for `--verbose`. A column feeding several fields
 * appears once per field. *n gets the count.
 */
const emb_trade_column *emb__trade_reader_header(const emb_trade_reader *r, size_t *n);

/* The format read (CSV or JSONL) and, for CSV, the delimiter in use. */
emb_trade_format emb__trade_reader_format(const emb_trade_reader *r);
char emb__trade_reader_delimiter(const emb_trade_reader *r);
/* The name used in diagnostics ("<stdin>" for "-"). */
const char *emb__trade_reader_name(const emb_trade_reader *r);

/* Raw bytes of the input read so far (compressed bytes for .gz), for progress. */
uint64_t emb__trade_reader_offset(const emb_trade_reader *r);
/* Sets the name used in diagnostics from now on (a spill file is "<stdin>"). */
int emb__trade_reader_set_name(emb_trade_reader *r, const char *name);

/* Closes the reader and its input; NULL is a no-op. */
void emb__trade_reader_close(emb_trade_reader *r);

/* ---------------------------------------- shared by record.c and fieldmap.c only */

/* The pseudo-field of a mapping-file line `ignore = Column`: never auto-recognised. */
#define EMB_TF_IGNORE ((int)EMB_TF_COUNT)

/* One explicit mapping: field (or EMB_TF_IGNORE) <- column, and where it was said. */
typedef struct emb_trade_src {
  int field;
  const char *column;
  const char *origin; /* "map.txt:12" or "--map-field exporter=Shipper" */
  unsigned long line; /* line in the mapping file, 0 for a flag */
  const char *file;   /* the mapping file, NULL for a flag */
} emb_trade_src;

/* The explicit mappings of m in the order given (NULL map: none). */
const emb_trade_src *emb__trade_map_sources(const emb_trade_map *m, size_t *n);
/* Whether automatic recognition is on (true for a NULL map). */
bool emb__trade_map_auto(const emb_trade_map *m);

/*
 * Recognises a header name automatically: canonical names, synonyms and FtM property
 * names, compared without case, spaces, '_', '-', '.', '/' and other ASCII punctuation.
 * Returns the field, or -1; *rank (lower is preferred when several columns name one
 * field) and *how ("name", "synonym", "ftm") are set on success.
 */
int emb__trade_auto_field(const char *name, size_t len, int *rank, const char **how);

/* True when a and b are equal once compared as emb__trade_auto_field() compares. */
bool emb__trade_name_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif
