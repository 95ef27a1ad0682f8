/*
 * hs.h - Harmonized System codes: parsing a code as written, and the correlation table
 * that maps codes of an older HS version onto the current one (HS-2017 -> HS-2022).
 *
 * A code as written in trade data ("8807.30", "8526 91 20", "8807300000") is normalised
 * to its digits: dots, ASCII spaces and tabs are dropped, anything else makes the code
 * invalid. A valid code has 2 to EMB_HS_MAX digits; a code of 2 to 5 digits is "too
 * coarse" to be compared with a 6-digit control (see controls.h).
 *
 * The correlation table (data/controls/hs_correlation.csv, format in docs/GOODS.md) is a
 * list of rows "old version, old code, new version, new code, relation, basis, notes".
 * An emb_hs_corr owns every row and string it loaded until emb__hs_corr_free(); rows are
 * kept sorted by old code so that a lookup is a few binary searches, and a loaded table
 * is read-only (safe to share between threads).
 */
#ifndef EMB_GOODS_HS_H
#define EMB_GOODS_HS_H

#include <stdbool.h>
#include <stddef.h>

#include "embargo.h"

#define EMB_HS_MAX 10   /* the most digits of a national code (HTS, TARIC) */
#define EMB_HS_COARSE 6 /* codes shorter than this are too coarse for an HS-6 control */

typedef enum {
  EMB_HS_OK = 0, /* 2..EMB_HS_MAX digits */
  EMB_HS_EMPTY,  /* nothing but separators (a missing code) */
  EMB_HS_INVALID /* a character other than digits, dots and spaces, or a bad length */
} emb_hs_status;

/*
 * Normalises text[0..len) into out (NUL-terminated digits). Returns EMB_HS_OK with
 * *n digits, EMB_HS_EMPTY (n = 0) or EMB_HS_INVALID (out is "" and n = 0). Never reads
 * past len; a NUL byte inside the text is an invalid character.
 */
emb_hs_status emb__hs_normalize(const char *text, size_t len, char out[EMB_HS_MAX + 1], size_t *n);

/* True if `code` starts with `prefix` (both digit strings). */
bool emb__hs_has_prefix(const char *code, size_t n, const char *prefix, size_t np);

/* One correlation row; strings are owned by the table. */
typedef struct emb_hs_corr_row {
  const char *from_version; /* "HS-2017" */
  const char *from_code;    /* digits */
  const char *to_version;   /* "HS-2022" */
  const char *to_code;      /* digits */
  const char *relation;     /* "1:1", "1:n", "n:1", "part" as the file says */
  const char *basis;        /* where the row comes from */
  const char *notes;        /* doubts and details, may be "" */
  unsigned long line;       /* line in the file, for explanations */
} emb_hs_corr_row;

typedef struct emb_hs_corr emb_hs_corr;

/* A new, empty table (NULL when out of memory). */
emb_hs_corr *emb__hs_corr_new(void);
void emb__hs_corr_free(emb_hs_corr *t);

/*
 * Adds the rows of a correlation CSV to t. Bad rows are reported to diags with file,
 * line and field and skipped; the good rows are kept. Returns 0, EMB_EFORMAT when a row
 * was bad or the header lacks a required column, EMB_EIO when the file cannot be read,
 * EMB_ENOMEM.
 */
int emb__hs_corr_load(emb_hs_corr *t, const char *path, emb_diags *diags);

size_t emb__hs_corr_count(const emb_hs_corr *t);
const emb_hs_corr_row *emb__hs_corr_row(const emb_hs_corr *t, size_t i);

/*
 * Finds the rows whose old code is a prefix of code[0..n) (so a 10-digit national code
 * of the old version finds its HS-6 row). Writes up to max pointers into out and returns
 * the number found (which may exceed max; only max are written).
 */
size_t emb__hs_corr_find(const emb_hs_corr *t, const char *code, size_t n,
                         const emb_hs_corr_row **out, size_t max);

#endif
