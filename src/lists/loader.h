/*
 * loader.h - the contract between emb_load() and the per-format loaders.
 *
 * A loader reads one file (or one directory for a file set), adds entities to
 * ctx->set and reports problems to ctx->diags with file, line and field. It keeps
 * everything it could read safely. It returns 0 when nothing was lost (warnings
 * allowed) or a negative EMB_E... code when records were lost or the file could not
 * be read (errors reported). Memory grows with the entities, never with a field or a
 * line beyond the readers' caps.
 *
 * A sniffer looks at the first bytes of a file (decompressed) and its path and says
 * whether this loader reads it; it must be cheap and never read beyond `n`.
 */
#ifndef EMB_LISTS_LOADER_H
#define EMB_LISTS_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/diag.h"
#include "core/input.h"
#include "embargo.h"
#include "lists/date.h"
#include "lists/entity.h"

typedef struct emb_load_ctx {
  emb_entity_set *set;
  emb_diags *diags;
  const char *path;   /* file or directory as the user gave it */
  emb_source *source; /* to fill in: published, n_records, n_entities */
  const void *mem;    /* when set (fuzzing, tests): the bytes of `path`, read from memory */
  size_t mem_size;
} emb_load_ctx;

/*
 * Opens a file for a loader: from memory when ctx->mem is set and `path` is ctx->path,
 * else from disk. Loaders open every file through this so they can be fuzzed.
 */
int emb__load_open(emb_load_ctx *ctx, const char *path, emb_input **in);

/*
 * Loads `size` bytes as format `format` (an emb_formats() name) without touching the
 * disk: for fuzz targets and unit tests. `name` is the file name used in diagnostics.
 */
int emb__load_mem(emb_entity_set *set, const char *format, const void *data, size_t size,
                  const char *name, emb_diags *diags);

typedef int (*emb_loader_fn)(emb_load_ctx *ctx);
typedef bool (*emb_sniff_fn)(const unsigned char *head, size_t n, const char *path);

/* One function pair per format; each lives in src/lists/load_<format>.c. */
#define EMB_LOADER_DECL(fmt)                                                                       \
  int emb__load_##fmt(emb_load_ctx *ctx);                                                          \
  bool emb__sniff_##fmt(const unsigned char *head, size_t n, const char *path);

EMB_LOADER_DECL(ofac_csv)     /* OFAC legacy CSV set: sdn/add/alt/sdn_comments, cons_* */
EMB_LOADER_DECL(ofac_xml)     /* OFAC classic XML, sdnList schema */
EMB_LOADER_DECL(ofac_adv_xml) /* OFAC enhanced / advanced XML */
EMB_LOADER_DECL(un_xml)       /* UN Security Council consolidated XML */
EMB_LOADER_DECL(uk_csv)       /* UK OFSI ConList CSV */
EMB_LOADER_DECL(uk_xml)       /* UK FCDO UK Sanctions List XML */
EMB_LOADER_DECL(eu_xml)       /* EU Financial Sanctions Files XML */
EMB_LOADER_DECL(csl_csv)      /* US Consolidated Screening List CSV */
EMB_LOADER_DECL(dpl)          /* BIS Denied Persons List, tab-separated */
EMB_LOADER_DECL(ftm)          /* OpenSanctions FollowTheMoney JSON lines / nested */

/* Small helpers shared by loaders (lists/load_util.c). */

/* True if s equals OFAC's null marker "-0-" (with optional spaces) or is empty/blank. */
bool emb__is_null_value(const char *s);
/* Collapses runs of whitespace and trims; writes into buf (NUL-terminated); returns buf. */
char *emb__clean_space(const char *s, size_t len, char *buf, size_t size);
/*
 * Copies s[0..n) into b (reset first) with the ends trimmed and every run of ASCII white
 * space (space, tab, CR, LF) collapsed to one space; returns the text or NULL when out of
 * memory.
 */
const char *emb__clean_space_buf(emb_buf *b, const char *s, size_t n);
/* True when c is one of the bytes of `set` (never for NUL). */
bool emb__in_set(char c, const char *set);

/*
 * Opens ctx->path as CSV for a loader: fields trimmed, Windows-1252 accepted, fields
 * separated by `delimiter`. On success *in and *csv are the caller's to free (reader
 * first); on failure nothing is left open and the error is returned.
 */
int emb__load_open_csv(emb_load_ctx *ctx, char delimiter, emb_input **in, emb_csv **csv);
/*
 * True when a data row fits a header of `width` fields: exactly as many, or more that
 * are all empty. Otherwise reports a wrong field count at the row (the header is at
 * header_line of file) and returns false; the caller skips the record.
 */
bool emb__csv_row_fits(emb_load_ctx *ctx, const char *file, const emb_csv_row *row, size_t width,
                       unsigned long header_line);
/*
 * The return code of a CSV loader at the end of its file: EMB_EFORMAT when a record was
 * lost, or when the reader reported an error (beyond the errors0 there were at the
 * start) without returning its record, as for an unclosed quote at the end; else 0.
 */
int emb__csv_load_result(const emb_load_ctx *ctx, size_t errors0, bool lost);

/*
 * Reads the records after a header (`row` holds the header on entry): counts them, reports
 * and skips those whose field count differs from the header's, and hands each other one,
 * in `row`, to `fn`, which sets *lost when it had to drop something. Returns the load's
 * result (emb__csv_load_result) or the first error fn or the reader returned.
 */
int emb__csv_each_row(emb_load_ctx *ctx, emb_csv *csv, emb_csv_row *row, const char *file,
                      size_t errors0, int (*fn)(void *ud, bool *lost), void *ud);
/* Adds every date parsed from text to the entity's birth dates; warns on parts not parsed. */
int emb__add_birth_dates(emb_load_ctx *ctx, emb_entity *e, const char *text, emb_date_order order,
                         const char *file, unsigned long line, const char *field);

#endif
