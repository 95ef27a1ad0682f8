/*
 * record.c - the trade-record reader declared in record.h: CSV or JSON lines in, canonical
 * trade fields out (docs/TRADE_RECORDS.md).
 *
 * Bytes come from an emb_input (plain, gzip, zip, stdin) into one buffer that holds at
 * least one whole record: a record is parsed only when all of it is in the buffer, so a
 * record that turns out to be broken can be parsed again from its first byte. That is
 * what the CSV reader here adds to core/csv.c, which streams byte by byte and cannot go
 * back: recovery from a quote that is never closed. A quoted field that runs over line
 * ends is legal RFC 4180, but when the quote runs to the end of the file, over more than
 * max_record_lines lines or max_record bytes, or when the record it produces has a field
 * count other than the header's, the quote is taken as broken: the error names the line
 * and column where the quote opened, the record is parsed again as its first physical
 * line alone (the unclosed quote as a literal character) and marked bad, and reading
 * goes on with the next line, so one stray quote costs one record, not the rest of the
 * file. Otherwise the CSV rules are those of core/csv.c: RFC 4180 quoting, any one-byte
 * delimiter, LF, CR LF or CR line ends, a quote inside an unquoted field kept literally,
 * text after a closing quote appended, empty lines skipped, a UTF-8 BOM skipped.
 *
 * Speed: a record is split by scanning sixteen bytes at a time (SSE2) for the few bytes
 * that matter (delimiter or quote, CR, LF, NUL), and field bytes are copied with memcpy
 * into a text buffer allocated once at open with room for the largest record; a field
 * mapped to one column is handed out without a further copy. Nothing is allocated per
 * record unless several columns are joined into one field or an extra column appears.
 *
 * JSON lines: each line is parsed on its own with jansson (json_loadb); a line that is
 * not valid JSON is reported with its line and column and yields a bad record with no
 * fields. Flat objects and FollowTheMoney entities ({"schema", "id", "properties"}) are
 * both read. JSON keys are mapped as CSV headers are, once per distinct key.
 *
 * Diagnostics found while parsing a CSV record are held until the record is complete, so
 * that a record parsed twice (after a buffer refill) reports each problem once.
 */
#include "screen/record.h"

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SSE2_SCAN 1
#include <emmintrin.h>
#endif

#include "core/arena.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/strmap.h"

#define CHUNK ((size_t)256 * 1024)
#define DEFAULT_MAX_RECORD ((size_t)1 << 20)
#define DEFAULT_MAX_FIELDS ((size_t)1024)
#define DEFAULT_MAX_LINES 1000u
#define MAX_JSON_KEYS 4096 /* distinct JSON keys kept as columns */
#define TEXT_SLACK 64      /* room past the text for scan_copy()'s whole-vector stores */

/* One source column (a CSV header cell or a JSON key). */
typedef struct col {
  const char *name; /* owned by the reader's arena */
  size_t len;
  int auto_field; /* automatic recognition, -1 if none */
  int rank;
  const char *how;
  int *srcs; /* the explicit sources this column satisfies (JSONL), in the arena */
  size_t nsrcs;
  bool ignored;   /* `ignore = Column` */
  bool duplicate; /* repeats an earlier column name (CSV) */
  bool mapped;    /* feeds at least one field (CSV) */
  long extra;     /* index in rec->extra, or -1 */
} col;

/* An explicit mapping copied from the map. */
typedef struct src {
  int field;
  char *column;
  char *origin;
  char *file;
  unsigned long line;
  bool seen; /* JSONL: some key matched it */
} src;

struct emb_trade_reader {
  emb_input *in;
  char *name;
  emb_diags *diags;
  emb_trade_reader_opts o;
  emb_trade_format fmt;
  char delim;

  /* Raw bytes: buf[bpos..blen) not yet parsed. */
  unsigned char *buf;
  size_t bcap, bpos, blen;
  bool eof;
  int io_err;
  bool skip_lf; /* the last record ended with CR at the buffer's end */
  bool bom_done;
  unsigned long line; /* CSV: the line of buf[bpos]; JSONL: lines consumed */
  unsigned long index;

  emb_arena arena;
  col *cols;
  size_t ncols, capcols;
  emb_trade_column *hdr;
  size_t nhdr, caphdr;
  size_t n_extra;
  src *srcs;
  size_t nsrcs;
  bool auto_on;
  bool explicit_field[EMB_TF_COUNT];

  /* CSV plan: the columns feeding each field, in order. */
  size_t *plan;
  size_t plan_off[EMB_TF_COUNT], plan_n[EMB_TF_COUNT];
  long single[EMB_TF_COUNT]; /* the one column of a field, -1 none, -2 several (joined) */
  size_t *extra_col;         /* column of each extra */
  size_t hdr_line;

  /* The current CSV record. */
  char *text;
  size_t tlen, tcap;
  size_t *foff, *flen, *fraw;
  size_t nf;
  /* Problems met while parsing, reported once the record is complete. */
  bool p_toomany;
  long p_nul_field, p_enc_field;
  size_t p_nul_raw, p_enc_raw;
  bool warned_cp1252, warned_surplus, warned_schema;

  emb_buf conv;
  emb_buf join;
  emb_buf vals; /* JSONL values */
  emb_buf side; /* JSONL: countries and identifiers of nested party entities */
  const char **xptr;
  size_t *xoff; /* JSONL: offsets of the extra values in vals */
  size_t xcap;
  char idbuf[40];

  /* JSONL */
  emb_strmap keys;
  json_t **colval; /* per column: its value in the current record, or NULL */
  size_t *touched; /* columns set in the current record */
  size_t ntouched;
  size_t cvcap;
  json_t **srcval; /* per explicit source: its value in the current record */
  bool warned_keys;
};

emb_trade_reader_opts emb__trade_reader_opts_default(void) {
  emb_trade_reader_opts o;
  memset(&o, 0, sizeof(o));
  o.max_record = DEFAULT_MAX_RECORD;
  o.max_fields = DEFAULT_MAX_FIELDS;
  o.max_record_lines = DEFAULT_MAX_LINES;
  return o;
}

/* ------------------------------------------------------------ bytes */

/* Reads more bytes after compacting the buffer. Returns 0 (eof may now be set) or <0. */
static int fill(emb_trade_reader *r) {
  if (r->io_err)
    return r->io_err;
  if (r->eof)
    return 0;
  if (r->bpos > 0) {
    memmove(r->buf, r->buf + r->bpos, r->blen - r->bpos);
    r->blen -= r->bpos;
    r->bpos = 0;
  }
  size_t room = r->bcap - r->blen;
  if (room == 0)
    return 0; /* callers check the record caps before asking for more */
  size_t got = 0;
  int rc = emb__input_read(r->in, r->buf + r->blen, room, &got);
  if (rc < 0) {
    r->io_err = rc;
    r->eof = true;
    return rc;
  }
  if (got == 0)
    r->eof = true;
  r->blen += got;
  if (!r->bom_done && (r->blen >= 3 || r->eof)) {
    r->bom_done = true;
    if (r->blen >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
      r->bpos = 3;
  }
  return 0;
}

/*
 * Copies bytes from p to dst up to the first byte that is `stop`, CR, LF or NUL, and
 * returns its address (or e). ORs the bytes copied into *high (bit 7 tells that a field
 * needs a UTF-8 check). With SSE2 it takes sixteen bytes per step and stores them whole,
 * so dst must have sixteen bytes of room past the bytes copied (TEXT_SLACK).
 */
static inline const unsigned char *scan_copy(const unsigned char *p, const unsigned char *e,
                                             unsigned char stop, unsigned *high, char *dst) {
#ifdef HAVE_SSE2_SCAN
  const __m128i vs = _mm_set1_epi8((char)stop), cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
  while (e - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    _mm_storeu_si128((__m128i *)dst, v);
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vs), _mm_cmpeq_epi8(v, cr)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, zero)));
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    unsigned hb = (unsigned)_mm_movemask_epi8(v);
    if (m) {
      unsigned k = (unsigned)__builtin_ctz(m);
      if (hb & ((1u << k) - 1u))
        *high |= 0x80;
      return p + k;
    }
    if (hb)
      *high |= 0x80;
    p += 16;
    dst += 16;
  }
#endif
  while (p < e) {
    unsigned char c = *p;
    if (c == stop || c == '\r' || c == '\n' || c == 0)
      break;
    *high |= c;
    *dst++ = (char)c;
    p++;
  }
  return p;
}

/* Line and 1-based byte column of s[off], the record starting at s on line `line`. */
static void locate(const unsigned char *s, size_t off, unsigned long line, unsigned long *l,
                   unsigned long *c) {
  unsigned long cn = 1;
  for (size_t i = 0; i < off; i++) {
    if (s[i] == '\n' && i > 0 && s[i - 1] == '\r') {
      continue;
    } else if (s[i] == '\r' || s[i] == '\n') {
      line++;
      cn = 1;
    } else {
      cn++;
    }
  }
  *l = line;
  *c = cn;
}

/* ------------------------------------------------------------ columns */

static const char *col_label(const emb_trade_reader *r, size_t i, char *buf, size_t n) {
  if (i < r->ncols && r->cols[i].len)
    return r->cols[i].name;
  snprintf(buf, n, "column %zu", i + 1);
  return buf;
}

static int add_hdr(emb_trade_reader *r, const char *name, int field, size_t extra,
                   const char *how) {
  if (r->nhdr == r->caphdr) {
    size_t c = r->caphdr ? r->caphdr * 2 : 64;
    emb_trade_column *p = realloc(r->hdr, c * sizeof(*p));
    if (!p)
      return EMB_ENOMEM;
    r->hdr = p;
    r->caphdr = c;
  }
  r->hdr[r->nhdr++] = (emb_trade_column){name, field, extra, how};
  return 0;
}

/* Appends a column named name[0..len); returns its index or -1 when out of memory. */
static long add_col(emb_trade_reader *r, const char *name, size_t len) {
  if (r->ncols == r->capcols) {
    size_t c = r->capcols ? r->capcols * 2 : 64;
    col *p = realloc(r->cols, c * sizeof(*p));
    if (!p)
      return -1;
    r->cols = p;
    r->capcols = c;
  }
  col *c = &r->cols[r->ncols];
  memset(c, 0, sizeof(*c));
  c->name = emb__arena_strndup(&r->arena, name, len);
  if (!c->name)
    return -1;
  c->len = len;
  c->auto_field = -1;
  c->extra = -1;
  if (r->auto_on) {
    int rank;
    const char *how;
    int f = emb__trade_auto_field(name, len, &rank, &how);
    if (f >= 0) {
      c->auto_field = f;
      c->rank = rank;
      c->how = how;
    }
  }
  return (long)r->ncols++;
}

/* Index of the column an explicit source names: exact name first, then folded; or -1. */
static long find_col(const emb_trade_reader *r, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < r->ncols; i++)
    if (!r->cols[i].duplicate && r->cols[i].len == n && memcmp(r->cols[i].name, name, n) == 0)
      return (long)i;
  for (size_t i = 0; i < r->ncols; i++)
    if (!r->cols[i].duplicate && emb__trade_name_equal(r->cols[i].name, r->cols[i].len, name, n))
      return (long)i;
  return -1;
}

/* ------------------------------------------------------------ CSV parsing */

enum { P_OK = 0, P_MORE, P_RUNAWAY, P_TOOLONG };

/* Why a quote was judged broken, for the message. */
enum { WHY_EOF = 1, WHY_LINES, WHY_BYTES, WHY_COUNT, WHY_EMBED };

/* In line mode: does the quoted field whose content starts at p close before the line end? */
static bool closes_in_line(const unsigned char *p, const unsigned char *e) {
  while (p < e) {
    if (*p == '\r' || *p == '\n')
      return false;
    if (*p == '"') {
      if (p + 1 < e && p[1] == '"') {
        p += 2;
        continue;
      }
      return true;
    }
    p++;
  }
  return false;
}

/*
 * Appends v[0..n) to b with each invalid UTF-8 sequence (a bad byte and the continuation
 * bytes after it) replaced by U+FFFD, or by a space for a NUL byte when `nul_as_space`.
 * Returns 0 or EMB_ENOMEM.
 */
static int append_replacing_invalid(emb_buf *b, const char *v, size_t n, bool nul_as_space) {
  int rc = 0;
  size_t i = 0;
  while (i < n && !rc) {
    size_t ok = emb__utf8_check(v + i, n - i);
    rc = emb__buf_append(b, v + i, ok);
    i += ok;
    if (i < n && !rc) {
      if (nul_as_space && v[i] == '\0')
        rc = emb__buf_append(b, " ", 1);
      else
        rc = emb__buf_append(b, "\xEF\xBF\xBD", 3);
      i++;
      while (i < n && ((unsigned char)v[i] & 0xC0) == 0x80)
        i++;
    }
  }
  return rc;
}

/* Re-encodes the field at text[fstart..tlen): Windows-1252, or U+FFFD in strict mode. */
static int fix_encoding(emb_trade_reader *r, size_t fstart) {
  const char *v = r->text + fstart;
  size_t n = r->tlen - fstart;
  emb__buf_reset(&r->conv);
  int rc = 0;
  if (!r->o.strict_encoding)
    rc = emb__cp1252_to_utf8(v, n, &r->conv);
  else
    rc = append_replacing_invalid(&r->conv, v, n, false);
  if (rc)
    return rc;
  /* Converted text is longer (up to three bytes per byte): keep room for the field and
   * for every raw byte the record may still hold. The text is addressed by offsets
   * while a record is parsed, so it may move. */
  size_t need = fstart + r->conv.len + r->bcap + r->o.max_fields + 64;
  if (need > r->tcap) {
    char *t = realloc(r->text, need + TEXT_SLACK);
    if (!t)
      return EMB_ENOMEM;
    r->text = t;
    r->tcap = need;
  }
  memcpy(r->text + fstart, r->conv.data, r->conv.len);
  r->tlen = fstart + r->conv.len;
  return 0;
}

/* Ends the field at text[fstart..tlen): encoding, trimming, terminator, arrays. */
static inline int end_field(emb_trade_reader *r, size_t fstart, unsigned high, size_t raw) {
  if (r->nf >= r->o.max_fields) {
    r->p_toomany = true;
    r->tlen = fstart;
    return 0;
  }
  if (high & 0x80) {
    size_t ok = emb__utf8_check(r->text + fstart, r->tlen - fstart);
    if (ok < r->tlen - fstart) {
      if (r->p_enc_field < 0) {
        r->p_enc_field = (long)r->nf;
        r->p_enc_raw = raw;
      }
      int rc = fix_encoding(r, fstart);
      if (rc)
        return rc;
    }
  }
  size_t a = fstart, b = r->tlen;
  char *t = r->text;
  if (b > a && (t[a] == ' ' || t[a] == '\t' || t[b - 1] == ' ' || t[b - 1] == '\t')) {
    while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t'))
      b--;
    while (a < b && (t[a] == ' ' || t[a] == '\t'))
      a++;
  }
  t[b] = '\0';
  r->tlen = b + 1;
  size_t i = r->nf++;
  r->foff[i] = a;
  r->flen[i] = b - a;
  r->fraw[i] = raw;
  return 0;
}

/*
 * Parses the CSV record at buf[bpos..blen) into the text buffer. In line mode the record
 * ends at the first line end whatever the quotes, and a quote that does not close on its
 * line is a literal character. Returns P_OK with *used bytes consumed and *nl line ends
 * passed (including the terminator), P_MORE when the buffer holds only part of the
 * record, P_RUNAWAY (a quote judged broken: *why, *qraw the quote's offset), P_TOOLONG,
 * or a negative EMB_E... code.
 */
static int parse_csv(emb_trade_reader *r, bool line_mode, size_t *used, unsigned long *nl, int *why,
                     size_t *qraw) {
  const unsigned char *s = r->buf + r->bpos, *p = s, *e = r->buf + r->blen;
  const unsigned char delim = (unsigned char)r->delim;
  const size_t maxrec = r->o.max_record;
  r->tlen = 0;
  r->nf = 0;
  r->p_toomany = false;
  r->p_nul_field = r->p_enc_field = -1;
  unsigned long lines = 0;
  bool qset = false;
  for (;;) {
    size_t fstart = r->tlen, raw = (size_t)(p - s);
    unsigned high = 0;
    const unsigned char *seg = NULL; /* start of the current line inside quotes */
    if (p < e && *p == '"' && (!line_mode || closes_in_line(p + 1, e))) {
      p++;
      for (;;) {
        const unsigned char *q = scan_copy(p, e, '"', &high, r->text + r->tlen);
        r->tlen += (size_t)(q - p);
        p = q;
        if ((size_t)(p - s) > maxrec) {
          if (lines > 0 && !line_mode) {
            *why = WHY_BYTES;
            *qraw = raw;
            return P_RUNAWAY;
          }
          return P_TOOLONG;
        }
        if (p == e) {
          if (!r->eof)
            return P_MORE;
          *why = WHY_EOF;
          *qraw = raw;
          return P_RUNAWAY;
        }
        unsigned char c = *p;
        if (c == '"') {
          if (p + 1 == e && !r->eof)
            return P_MORE;
          if (p + 1 < e && p[1] == '"') {
            r->text[r->tlen++] = '"';
            p += 2;
            continue;
          }
          p++;
          break;
        }
        if (c == 0) {
          if (r->p_nul_field < 0) {
            r->p_nul_field = (long)r->nf;
            r->p_nul_raw = (size_t)(p - s);
          }
          p++;
          continue;
        }
        /* A line end inside quotes. A whole line inside the quotes with as many
         * delimiters as a record is a record swallowed by a quote left open. */
        if (seg && !line_mode && r->ncols > 1) {
          size_t nd = 0;
          for (const unsigned char *x = seg; x < p; x++)
            nd += *x == delim;
          if (nd + 1 >= r->ncols) {
            *why = WHY_EMBED;
            *qraw = raw;
            return P_RUNAWAY;
          }
        }
        seg = p + 1;
        if (!qset) {
          qset = true;
          *qraw = raw;
        }
        if (!(c == '\n' && p > s && p[-1] == '\r'))
          lines++;
        if (lines >= r->o.max_record_lines) {
          *why = WHY_LINES;
          *qraw = raw;
          return P_RUNAWAY;
        }
        r->text[r->tlen++] = (char)c;
        p++;
      }
    }
    /* Unquoted text, or text after a closing quote. */
    for (;;) {
      const unsigned char *q = scan_copy(p, e, delim, &high, r->text + r->tlen);
      r->tlen += (size_t)(q - p);
      p = q;
      if ((size_t)(p - s) > maxrec)
        return P_TOOLONG;
      if (p < e && *p == 0) {
        if (r->p_nul_field < 0) {
          r->p_nul_field = (long)r->nf;
          r->p_nul_raw = (size_t)(p - s);
        }
        p++;
        continue;
      }
      break;
    }
    if (p == e) {
      if (!r->eof)
        return P_MORE;
      int rc = end_field(r, fstart, high, raw);
      if (rc)
        return rc;
      break; /* the last record, without a line end */
    }
    int rc = end_field(r, fstart, high, raw);
    if (rc)
      return rc;
    if (*p == delim) {
      p++;
      continue;
    }
    /* CR, LF or CR LF ends the record. */
    if (*p == '\r') {
      p++;
      if (p < e && *p == '\n')
        p++;
      else if (p == e && !r->eof)
        r->skip_lf = true;
    } else {
      p++;
    }
    lines++;
    break;
  }
  *used = (size_t)(p - s);
  *nl = lines;
  if (qset && !line_mode && r->ncols && r->nf != r->ncols) {
    *why = WHY_COUNT;
    return P_RUNAWAY;
  }
  return P_OK;
}

/* Skips the empty lines before a record; returns 0, or <0 on a stream error. */
static int skip_empty(emb_trade_reader *r) {
  for (;;) {
    if (r->bpos == r->blen) {
      if (r->eof)
        return 0;
      int rc = fill(r);
      if (rc)
        return rc;
      continue;
    }
    unsigned char c = r->buf[r->bpos];
    if (r->skip_lf) {
      r->skip_lf = false;
      if (c == '\n') {
        r->bpos++;
        continue;
      }
    }
    if (c == '\n') {
      r->bpos++;
      r->line++;
    } else if (c == '\r') {
      r->bpos++;
      r->line++;
      r->skip_lf = true;
    } else {
      return 0;
    }
  }
}

/* Drops bytes up to and including the next line end. Returns 0 or <0. */
static int skip_line(emb_trade_reader *r) {
  for (;;) {
    const unsigned char *s = r->buf + r->bpos, *e = r->buf + r->blen;
    const unsigned char *p = s;
    while (p < e && *p != '\n' && *p != '\r')
      p++;
    if (p < e) {
      r->bpos += (size_t)(p - s) + 1;
      r->line++;
      if (*p == '\r')
        r->skip_lf = true;
      return 0;
    }
    r->bpos = r->blen;
    if (r->eof)
      return 0;
    int rc = fill(r);
    if (rc)
      return rc;
  }
}

/* Reports the problems held while parsing the record that starts at s on line `line`. */
static void report_held(emb_trade_reader *r, const unsigned char *s, unsigned long line,
                        bool *bad) {
  char lb[32];
  unsigned long l, c;
  if (r->p_nul_field >= 0) {
    locate(s, r->p_nul_raw, line, &l, &c);
    emb__error(r->diags, EMB_EFORMAT, r->name, l, c,
               col_label(r, (size_t)r->p_nul_field, lb, sizeof(lb)),
               "The record holds a NUL byte, which text never contains; it was dropped.");
    *bad = true;
  }
  if (r->p_enc_field >= 0) {
    locate(s, r->p_enc_raw, line, &l, &c);
    const char *f = col_label(r, (size_t)r->p_enc_field, lb, sizeof(lb));
    if (r->o.strict_encoding) {
      emb__error(r->diags, EMB_EENCODING, r->name, l, c, f,
                 "The field is not valid UTF-8; invalid bytes were replaced by U+FFFD.");
      *bad = true;
    } else if (!r->warned_cp1252) {
      emb__warn(r->diags, EMB_EENCODING, r->name, l, c, f,
                "The text is not valid UTF-8; such fields were read as Windows-1252 (first "
                "here; not reported again for this file).");
      r->warned_cp1252 = true;
    }
  }
  if (r->p_toomany) {
    emb__error(r->diags, EMB_ETOOBIG, r->name, line, 0, NULL,
               "The record has more than %zu fields; the rest were ignored.", r->o.max_fields);
    *bad = true;
  }
}

/*
 * Reads one CSV record into the text buffer, recovering from broken quotes and
 * over-long records. Returns 1 (*line, *bad, *empty set), 0 at the end, or <0.
 * *empty is set for a record skipped whole (too long: no fields).
 */
static int read_csv(emb_trade_reader *r, unsigned long *line, bool *bad) {
  int rc = skip_empty(r);
  if (rc)
    return rc;
  if (r->bpos == r->blen && r->eof)
    return r->io_err ? r->io_err : 0;
  *bad = false;
  *line = r->line;
  size_t used = 0, qraw = 0;
  unsigned long nl = 0;
  int why = 0;
  for (;;) {
    int p = parse_csv(r, false, &used, &nl, &why, &qraw);
    if (p < 0)
      return p;
    if (p == P_MORE) {
      size_t had = r->blen - r->bpos;
      if ((rc = fill(r)) != 0)
        return rc;
      if (r->blen - r->bpos == had && !r->eof)
        return EMB_EIO; /* no room and no progress: cannot happen with the caps */
      continue;
    }
    const unsigned char *s = r->buf + r->bpos;
    if (p == P_RUNAWAY) {
      unsigned long ql, qc;
      locate(s, qraw, r->line, &ql, &qc);
      char lb[32];
      size_t fi = 0; /* the quoted field: the fields before it started before the quote */
      while (fi < r->nf && r->fraw[fi] < qraw)
        fi++;
      const char *field = col_label(r, fi, lb, sizeof(lb));
      static const char *const whys[] = {
          "",
          "is not closed by the end of the file",
          "runs over too many lines",
          "runs over too many bytes",
          "spans lines and the record then has the wrong number of fields",
          "swallows a following line that holds a whole record"};
      int w = why;
      int p2 = parse_csv(r, true, &used, &nl, &why, &qraw);
      if (p2 == P_OK) {
        emb__error(r->diags, EMB_EFORMAT, r->name, ql, qc, field,
                   "The quote opened here %s; the record was read up to the end of line %lu "
                   "with the quote as a plain character, and reading goes on after it.",
                   whys[w], r->line);
        report_held(r, s, r->line, bad);
        *bad = true;
        r->bpos += used;
        r->line += nl;
        return 1;
      }
      if (p2 < 0)
        return p2;
      emb__error(r->diags, EMB_EFORMAT, r->name, ql, qc, field, "The quote opened here %s.",
                 whys[w]);
      p = P_TOOLONG;
    }
    if (p == P_TOOLONG) {
      emb__error(r->diags, EMB_ETOOBIG, r->name, r->line, 0, NULL,
                 "The record is longer than %zu bytes; its line was skipped.", r->o.max_record);
      r->nf = 0;
      r->tlen = 0;
      *bad = true;
      if ((rc = skip_line(r)) != 0)
        return rc;
      return 1;
    }
    report_held(r, s, r->line, bad);
    r->bpos += used;
    r->line += nl;
    return 1;
  }
}

/* ------------------------------------------------------------ CSV header */

/* Folds a plan of field -> columns from the explicit sources and automatic names. */
static int build_csv_plan(emb_trade_reader *r) {
  int err = 0;
  size_t *tmp_n = r->plan_n;
  size_t total = 0;
  long best[EMB_TF_COUNT];
  for (int f = 0; f < EMB_TF_COUNT; f++)
    best[f] = -1;
  /* Explicit sources: count per field, check existence. */
  long *where = calloc(r->nsrcs ? r->nsrcs : 1, sizeof(long));
  if (!where)
    return EMB_ENOMEM;
  for (size_t i = 0; i < r->nsrcs; i++) {
    src *s = &r->srcs[i];
    long c = find_col(r, s->column);
    where[i] = c;
    if (c < 0) {
      if (s->file)
        emb__error(r->diags, EMB_EFORMAT, s->file, s->line, 0, s->column,
                   "The mapping names the column '%.80s', which the header of %.80s lacks.",
                   s->column, r->name);
      else
        emb__error(r->diags, EMB_EFORMAT, r->name, r->hdr_line, 0, s->column,
                   "%.120s names a column that the header lacks.", s->origin);
      err = EMB_EFORMAT;
      continue;
    }
    if (s->field == EMB_TF_IGNORE) {
      r->cols[c].ignored = true;
      continue;
    }
    r->explicit_field[s->field] = true;
    r->cols[c].mapped = true;
    tmp_n[s->field]++;
    total++;
  }
  /* Automatic names for the fields no source names. */
  for (size_t c = 0; c < r->ncols; c++) {
    col *k = &r->cols[c];
    if (k->duplicate || k->ignored || k->mapped || k->auto_field < 0 ||
        r->explicit_field[k->auto_field])
      continue;
    long b = best[k->auto_field];
    if (b < 0 || k->rank < r->cols[b].rank)
      best[k->auto_field] = (long)c;
  }
  for (int f = 0; f < EMB_TF_COUNT; f++)
    if (best[f] >= 0) {
      tmp_n[f] = 1;
      total++;
    }
  r->plan = malloc((total ? total : 1) * sizeof(size_t));
  if (!r->plan) {
    free(where);
    return EMB_ENOMEM;
  }
  size_t off = 0;
  for (int f = 0; f < EMB_TF_COUNT; f++) {
    r->plan_off[f] = off;
    off += tmp_n[f];
    tmp_n[f] = 0;
  }
  for (size_t i = 0; i < r->nsrcs; i++) {
    int f = r->srcs[i].field;
    if (where[i] >= 0 && f != EMB_TF_IGNORE)
      r->plan[r->plan_off[f] + tmp_n[f]++] = (size_t)where[i];
  }
  for (int f = 0; f < EMB_TF_COUNT; f++)
    if (best[f] >= 0) {
      r->plan[r->plan_off[f]] = (size_t)best[f];
      tmp_n[f] = 1;
      r->cols[best[f]].mapped = true;
    }
  for (int f = 0; f < EMB_TF_COUNT; f++)
    r->single[f] = tmp_n[f] == 0 ? -1 : tmp_n[f] == 1 ? (long)r->plan[r->plan_off[f]] : -2;
  /* Extras, and the header listing. */
  r->extra_col = malloc((r->ncols ? r->ncols : 1) * sizeof(size_t));
  if (!r->extra_col) {
    free(where);
    return EMB_ENOMEM;
  }
  int rc = 0;
  for (size_t c = 0; c < r->ncols && !rc; c++) {
    col *k = &r->cols[c];
    bool any = false;
    for (size_t i = 0; i < r->nsrcs && !rc; i++)
      if (where[i] == (long)c && r->srcs[i].field != EMB_TF_IGNORE) {
        rc = add_hdr(r, k->name, r->srcs[i].field, 0, r->srcs[i].origin);
        any = true;
      }
    if (!any && k->auto_field >= 0 && best[k->auto_field] == (long)c) {
      rc = add_hdr(r, k->name, k->auto_field, 0, k->how);
      any = true;
    }
    if (!any && !rc) {
      k->extra = (long)r->n_extra;
      r->extra_col[r->n_extra++] = c;
      const char *how = k->duplicate         ? "duplicate"
                        : k->ignored         ? "ignored"
                        : k->auto_field >= 0 ? "unused"
                                             : "unknown";
      rc = add_hdr(r, k->name, -1, (size_t)k->extra, how);
    }
  }
  free(where);
  if (rc)
    return rc;
  if (!err && total == 0) {
    emb__error(r->diags, EMB_EFORMAT, r->name, r->hdr_line, 0, r->ncols ? r->cols[0].name : NULL,
               "No column of the header row is a known trade field and no mapping names one: "
               "is the header row missing? (See docs/TRADE_RECORDS.md.)");
    err = EMB_EFORMAT;
  }
  return err;
}

static int read_csv_header(emb_trade_reader *r) {
  unsigned long line;
  bool bad;
  int rc = read_csv(r, &line, &bad);
  if (rc < 0)
    return rc;
  if (rc == 0) {
    emb__error(r->diags, EMB_EFORMAT, r->name, 1, 0, NULL,
               "The file is empty: it has no header row.");
    return EMB_EFORMAT;
  }
  r->hdr_line = line;
  for (size_t i = 0; i < r->nf; i++) {
    const char *nm = r->text + r->foff[i];
    size_t n = r->flen[i];
    long c = add_col(r, nm, n);
    if (c < 0)
      return EMB_ENOMEM;
    for (size_t j = 0; j < i && n; j++) {
      if (r->cols[j].len == n && memcmp(r->cols[j].name, nm, n) == 0 && !r->cols[j].duplicate) {
        r->cols[c].duplicate = true;
        emb__warn(r->diags, EMB_EFORMAT, r->name, line, 0, r->cols[c].name,
                  "The header repeats the column name of column %zu in column %zu; the first "
                  "one is used, this one is kept as an extra.",
                  j + 1, i + 1);
        break;
      }
    }
  }
  if (r->ncols == 0 || (r->ncols == 1 && r->cols[0].len == 0)) {
    emb__error(r->diags, EMB_EFORMAT, r->name, line, 0, NULL, "The header row is empty.");
    return EMB_EFORMAT;
  }
  return build_csv_plan(r);
}

/* ------------------------------------------------------------ records out */

/* Sets rec's record id to "line:N" when the record has none. */
static void fallback_id(emb_trade_reader *r, emb_trade_record *rec) {
  if (rec->len[EMB_TF_RECORD_ID])
    return;
  int n = snprintf(r->idbuf, sizeof(r->idbuf), "line:%lu", rec->line);
  rec->v[EMB_TF_RECORD_ID] = r->idbuf;
  rec->len[EMB_TF_RECORD_ID] = n > 0 ? (size_t)n : 0;
  rec->record_id_generated = true;
}

static int reserve_extra(emb_trade_reader *r, size_t n) {
  if (n <= r->xcap)
    return 0;
  size_t c = r->xcap ? r->xcap : 16;
  while (c < n)
    c *= 2;
  const char **p = realloc(r->xptr, c * sizeof(*p));
  if (!p)
    return EMB_ENOMEM;
  r->xptr = p;
  size_t *o = realloc(r->xoff, c * sizeof(*o));
  if (!o)
    return EMB_ENOMEM;
  r->xoff = o;
  r->xcap = c;
  return 0;
}

/* Fills rec from the parsed CSV fields. */
static int csv_record(emb_trade_reader *r, emb_trade_record *rec, unsigned long line, bool bad) {
  rec->line = line;
  rec->bad = bad;
  rec->extra = NULL;
  rec->n_extra = 0;
  rec->record_id_generated = false;
  /* Field count against the header. */
  if (r->nf && r->nf != r->ncols) {
    char lb[32];
    if (r->nf < r->ncols) {
      emb__error(r->diags, EMB_EFORMAT, r->name, line, 0, col_label(r, r->nf, lb, sizeof(lb)),
                 "The record has %zu fields where the header has %zu; the missing ones are "
                 "empty.",
                 r->nf, r->ncols);
      rec->bad = true;
    } else {
      bool surplus_empty = true;
      for (size_t i = r->ncols; i < r->nf; i++)
        surplus_empty &= r->flen[i] == 0;
      if (!surplus_empty) {
        emb__error(r->diags, EMB_EFORMAT, r->name, line, 0, col_label(r, r->ncols, lb, sizeof(lb)),
                   "The record has %zu fields where the header has %zu; the surplus ones "
                   "were ignored.",
                   r->nf, r->ncols);
        rec->bad = true;
      } else if (!r->warned_surplus) {
        emb__warn(r->diags, EMB_EFORMAT, r->name, line, 0, NULL,
                  "The record has %zu fields where the header has %zu, the surplus ones empty "
                  "(a trailing delimiter?); not reported again for this file.",
                  r->nf, r->ncols);
        r->warned_surplus = true;
      }
    }
  }
  /* Fields fed by one column point into the text; joined ones into r->join. */
  bool any_join = false;
  for (int f = 0; f < EMB_TF_COUNT; f++) {
    long c = r->single[f];
    if (c >= 0 && (size_t)c < r->nf) {
      rec->v[f] = r->text + r->foff[c];
      rec->len[f] = r->flen[c];
    } else {
      rec->v[f] = "";
      rec->len[f] = 0;
      any_join |= c == -2;
    }
  }
  if (any_join) {
    emb__buf_reset(&r->join);
    size_t joff[EMB_TF_COUNT];
    for (int f = 0; f < EMB_TF_COUNT; f++) {
      if (r->single[f] != -2)
        continue;
      const size_t *pl = r->plan + r->plan_off[f];
      size_t start = joff[f] = r->join.len;
      for (size_t i = 0; i < r->plan_n[f]; i++) {
        size_t c = pl[i];
        if (c >= r->nf || r->flen[c] == 0)
          continue;
        int rc = 0;
        if (r->join.len > start)
          rc = emb__buf_append(&r->join, EMB_TRADE_JOIN, strlen(EMB_TRADE_JOIN));
        if (!rc)
          rc = emb__buf_append(&r->join, r->text + r->foff[c], r->flen[c]);
        if (rc)
          return rc;
      }
      rec->len[f] = r->join.len - start;
      int rc = emb__buf_putc(&r->join, '\0');
      if (rc)
        return rc;
    }
    for (int f = 0; f < EMB_TF_COUNT; f++)
      if (r->single[f] == -2)
        rec->v[f] = r->join.data + joff[f];
  }
  if (r->n_extra) {
    int rc = reserve_extra(r, r->n_extra);
    if (rc)
      return rc;
    for (size_t i = 0; i < r->n_extra; i++) {
      size_t c = r->extra_col[i];
      r->xptr[i] = c < r->nf ? r->text + r->foff[c] : "";
    }
    rec->extra = r->xptr;
    rec->n_extra = r->n_extra;
  }
  rec->index = r->index++;
  fallback_id(r, rec);
  return 1;
}

static int next_csv(emb_trade_reader *r, emb_trade_record *rec) {
  for (;;) {
    unsigned long line;
    bool bad;
    int rc = read_csv(r, &line, &bad);
    if (rc <= 0)
      return rc;
    if (!bad) {
      /* A row of nothing but delimiters (spreadsheet padding) is no record. */
      bool empty = true;
      for (size_t i = 0; i < r->nf && empty; i++)
        empty = r->flen[i] == 0;
      if (empty)
        continue;
    }
    return csv_record(r, rec, line, bad);
  }
}

/* ------------------------------------------------------------ JSON lines */

/* The country field and id field of a party field (-1 when it has none). */
static void party_fields(int f, int *country, int *id) {
  *country = *id = -1;
  switch (f) {
  case EMB_TF_EXPORTER: *country = EMB_TF_EXPORTER_COUNTRY, *id = EMB_TF_EXPORTER_ID; break;
  case EMB_TF_IMPORTER: *country = EMB_TF_IMPORTER_COUNTRY, *id = EMB_TF_IMPORTER_ID; break;
  case EMB_TF_CONSIGNEE: *country = EMB_TF_CONSIGNEE_COUNTRY, *id = EMB_TF_CONSIGNEE_ID; break;
  case EMB_TF_END_USER: *country = EMB_TF_END_USER_COUNTRY; break;
  default: break;
  }
}

/* A per-record value: its offset and length in r->vals (or r->side). */
typedef struct jval {
  size_t off, len;
  bool set;
  bool side; /* in r->side: a nested entity's country or identifier */
} jval;

/* Appends the separator when the value being built already has text after `start`. */
static int sep(emb_trade_reader *r, size_t start) {
  if (r->vals.len > start)
    return emb__buf_append(&r->vals, EMB_TRADE_JOIN, strlen(EMB_TRADE_JOIN));
  return 0;
}

/* The i-th value of an FtM property (a string or an array of strings), or NULL. */
static json_t *prop_at(json_t *v, size_t i) {
  return json_is_array(v) ? json_array_get(v, i) : i == 0 ? v : NULL;
}

static size_t prop_count(json_t *v) {
  return json_is_array(v) ? json_array_size(v) : v ? 1 : 0;
}

/* Keeps the first non-empty string of the first property of keys that has one in r->side. */
static int side_prop(emb_trade_reader *r, json_t *props, const char *const *keys, jval *out) {
  if (out->set)
    return 0;
  for (size_t k = 0; keys[k]; k++) {
    json_t *v = json_object_get(props, keys[k]);
    for (size_t i = 0; i < prop_count(v); i++) {
      json_t *x = prop_at(v, i);
      if (!json_is_string(x) || json_string_length(x) == 0)
        continue;
      out->off = r->side.len;
      out->len = json_string_length(x);
      out->set = out->side = true;
      int rc = emb__buf_append(&r->side, json_string_value(x), out->len);
      return rc ? rc : emb__buf_putc(&r->side, '\0');
    }
  }
  return 0;
}

/*
 * Appends the text of one JSON value to r->vals: strings as they are, numbers and
 * booleans as their text, null as nothing, arrays joined with EMB_TRADE_JOIN, a nested
 * FtM entity as its names (its country and identifier go to *party_country and *party_id
 * when those are given), any other object as compact JSON.
 */
static int put_value(emb_trade_reader *r, json_t *v, int depth, jval *party_country,
                     jval *party_id) {
  char num[64];
  int n;
  switch (json_typeof(v)) {
  case JSON_STRING: return emb__buf_append(&r->vals, json_string_value(v), json_string_length(v));
  case JSON_INTEGER:
    n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return emb__buf_append(&r->vals, num, (size_t)n);
  case JSON_REAL:
    n = snprintf(num, sizeof(num), "%.15g", json_real_value(v));
    return emb__buf_append(&r->vals, num, (size_t)n);
  case JSON_TRUE: return emb__buf_append(&r->vals, "true", 4);
  case JSON_FALSE: return emb__buf_append(&r->vals, "false", 5);
  case JSON_NULL: return 0;
  case JSON_ARRAY: {
    if (depth > 2)
      break;
    size_t start = r->vals.len;
    for (size_t i = 0; i < json_array_size(v); i++) {
      size_t before = r->vals.len;
      int rc = sep(r, start);
      size_t mark = r->vals.len;
      if (!rc)
        rc = put_value(r, json_array_get(v, i), depth + 1, party_country, party_id);
      if (rc)
        return rc;
      if (r->vals.len == mark) { /* nothing added: drop the separator */
        r->vals.len = before;
        r->vals.data[before] = '\0';
      }
    }
    return 0;
  }
  case JSON_OBJECT: {
    json_t *props = json_object_get(v, "properties");
    if (!json_is_object(props) || depth > 3)
      break;
    static const char *const country_keys[] = {"country", "jurisdiction", "mainCountry",
                                               "registrationCountry", NULL};
    static const char *const id_keys[] = {
        "innCode", "ogrnCode",  "taxNumber", "vatCode", "registrationNumber",
        "leiCode", "imoNumber", NULL};
    json_t *names = json_object_get(props, "name");
    size_t start = r->vals.len;
    for (size_t i = 0; i < prop_count(names); i++) {
      json_t *x = prop_at(names, i);
      if (!json_is_string(x) || json_string_length(x) == 0)
        continue;
      int rc = sep(r, start);
      if (!rc)
        rc = emb__buf_append(&r->vals, json_string_value(x), json_string_length(x));
      if (rc)
        return rc;
    }
    int rc = party_country ? side_prop(r, props, country_keys, party_country) : 0;
    if (!rc && party_id)
      rc = side_prop(r, props, id_keys, party_id);
    return rc;
  }
  default: break;
  }
  /* Deep arrays and other objects: compact JSON. */
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  if (!s)
    return EMB_ENOMEM;
  int rc = emb__buf_append(&r->vals, s, strlen(s));
  free(s);
  return rc;
}

/* The column of a JSON key, created (and mapped) on first sight; -1 past the cap. */
static long key_col(emb_trade_reader *r, const char *key, size_t len) {
  size_t v;
  if (emb__strmap_get(&r->keys, key, len, &v))
    return (long)v;
  if (r->ncols >= MAX_JSON_KEYS) {
    if (!r->warned_keys) {
      emb__warn(r->diags, EMB_ETOOBIG, r->name, r->line, 0, NULL,
                "The records use more than %d distinct keys; further new keys are ignored.",
                MAX_JSON_KEYS);
      r->warned_keys = true;
    }
    return -1;
  }
  long c = add_col(r, key, len);
  if (c < 0)
    return -2;
  col *k = &r->cols[c];
  /* Explicit sources this key satisfies: the exact name, else the folded one. */
  size_t ns = 0;
  for (size_t i = 0; i < r->nsrcs; i++)
    if (emb__trade_name_equal(key, len, r->srcs[i].column, strlen(r->srcs[i].column)))
      ns++;
  if (ns) {
    k->srcs = emb__arena_alloc(&r->arena, ns * sizeof(int));
    if (!k->srcs)
      return -2;
    for (size_t i = 0; i < r->nsrcs; i++)
      if (emb__trade_name_equal(key, len, r->srcs[i].column, strlen(r->srcs[i].column))) {
        k->srcs[k->nsrcs++] = (int)i;
        if (r->srcs[i].field == EMB_TF_IGNORE)
          k->ignored = true;
      }
  }
  int rc = 0;
  bool any = false;
  for (size_t i = 0; i < k->nsrcs && !rc; i++)
    if (r->srcs[k->srcs[i]].field != EMB_TF_IGNORE) {
      rc = add_hdr(r, k->name, r->srcs[k->srcs[i]].field, 0, r->srcs[k->srcs[i]].origin);
      any = true;
    }
  if (!any && !k->ignored && k->auto_field >= 0 && !r->explicit_field[k->auto_field]) {
    rc = add_hdr(r, k->name, k->auto_field, 0, k->how);
    any = true;
  }
  if (!any && !rc) {
    k->extra = (long)r->n_extra++;
    rc = add_hdr(r, k->name, -1, (size_t)k->extra, k->ignored ? "ignored" : "unknown");
  }
  if (rc)
    return -2;
  if (emb__strmap_put(&r->keys, k->name, len, (size_t)c) != 0)
    return -2;
  if (r->ncols > r->cvcap) {
    size_t cap = r->cvcap ? r->cvcap * 2 : 64;
    while (cap < r->ncols)
      cap *= 2;
    json_t **cv = realloc(r->colval, cap * sizeof(*cv));
    if (!cv)
      return -2;
    memset(cv + r->cvcap, 0, (cap - r->cvcap) * sizeof(*cv));
    r->colval = cv;
    size_t *t = realloc(r->touched, cap * sizeof(*t));
    if (!t)
      return -2;
    r->touched = t;
    r->cvcap = cap;
  }
  return c;
}

/* Builds the record's fields from the JSON object (flat, or an FtM entity's properties). */
static int json_fields(emb_trade_reader *r, json_t *obj, json_t *entity_id, jval *fv) {
  int best[EMB_TF_COUNT];
  int best_rank[EMB_TF_COUNT];
  for (int f = 0; f < EMB_TF_COUNT; f++) {
    best[f] = -1;
    best_rank[f] = INT_MAX;
  }
  for (size_t i = 0; i < r->nsrcs; i++)
    r->srcval[i] = NULL;
  r->ntouched = 0;
  const char *key;
  json_t *val;
  json_object_foreach(obj, key, val) {
    long c = key_col(r, key, strlen(key));
    if (c == -2)
      return EMB_ENOMEM;
    if (c < 0 || r->colval[c])
      continue;
    r->colval[c] = val;
    r->touched[r->ntouched++] = (size_t)c;
    col *k = &r->cols[c];
    for (size_t i = 0; i < k->nsrcs; i++) {
      r->srcs[k->srcs[i]].seen = true;
      if (!r->srcval[k->srcs[i]])
        r->srcval[k->srcs[i]] = val;
    }
    if (!k->nsrcs && !k->ignored && k->auto_field >= 0 && !r->explicit_field[k->auto_field] &&
        k->rank < best_rank[k->auto_field]) {
      best_rank[k->auto_field] = k->rank;
      best[k->auto_field] = (int)c;
    }
  }
  jval side_country[EMB_TF_COUNT], side_id[EMB_TF_COUNT];
  memset(side_country, 0, sizeof(side_country));
  memset(side_id, 0, sizeof(side_id));
  for (int f = 0; f < EMB_TF_COUNT; f++) {
    int pc = -1, pi = -1;
    party_fields(f, &pc, &pi);
    jval *sc = pc >= 0 ? &side_country[f] : NULL, *si = pi >= 0 ? &side_id[f] : NULL;
    size_t start = r->vals.len;
    int rc = 0;
    if (r->explicit_field[f]) {
      for (size_t i = 0; i < r->nsrcs && !rc; i++) {
        if (r->srcs[i].field != f || !r->srcval[i])
          continue;
        size_t before = r->vals.len;
        rc = sep(r, start);
        size_t mark = r->vals.len;
        if (!rc)
          rc = put_value(r, r->srcval[i], 0, sc, si);
        if (!rc && r->vals.len == mark) {
          r->vals.len = before;
          r->vals.data[before] = '\0';
        }
      }
    } else if (best[f] >= 0) {
      rc = put_value(r, r->colval[best[f]], 0, sc, si);
    } else if (f == EMB_TF_RECORD_ID && entity_id && !json_is_null(entity_id)) {
      rc = put_value(r, entity_id, 0, NULL, NULL);
    }
    if (rc)
      return rc;
    fv[f].off = start;
    fv[f].len = r->vals.len - start;
    fv[f].set = fv[f].len > 0;
    fv[f].side = false;
    if ((rc = emb__buf_putc(&r->vals, '\0')) != 0)
      return rc;
  }
  /* Nested party entities: their country and id fill empty country and id fields. */
  for (int f = 0; f < EMB_TF_COUNT; f++) {
    int pc, pi;
    party_fields(f, &pc, &pi);
    if (pc >= 0 && !fv[pc].set && side_country[f].set)
      fv[pc] = side_country[f];
    if (pi >= 0 && !fv[pi].set && side_id[f].set)
      fv[pi] = side_id[f];
  }
  return 0;
}

/* Trims spaces and tabs around v[0..*len) in place, returning the new start. */
static char *trim(char *v, size_t *len) {
  size_t a = 0, b = *len;
  while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
    b--;
  while (a < b && (v[a] == ' ' || v[a] == '\t'))
    a++;
  v[b] = '\0';
  *len = b - a;
  return v + a;
}

static int json_record(emb_trade_reader *r, emb_trade_record *rec, const char *line, size_t n,
                       unsigned long lineno) {
  memset(rec, 0, sizeof(*rec));
  rec->line = lineno;
  for (int f = 0; f < EMB_TF_COUNT; f++)
    rec->v[f] = "";
  emb__buf_reset(&r->vals);
  emb__buf_reset(&r->side);
  emb__buf_reset(&r->conv);
  /* Invalid UTF-8: Windows-1252 (a warning once) or U+FFFD (an error). */
  size_t ok = emb__utf8_check(line, n);
  if (ok < n) {
    int rc = 0;
    if (!r->o.strict_encoding) {
      if (!r->warned_cp1252) {
        emb__warn(r->diags, EMB_EENCODING, r->name, lineno, ok + 1, NULL,
                  "The text is not valid UTF-8; such lines were read as Windows-1252 (first "
                  "here; not reported again for this file).");
        r->warned_cp1252 = true;
      }
      rc = emb__cp1252_to_utf8(line, n, &r->conv);
    } else {
      emb__error(r->diags, EMB_EENCODING, r->name, lineno, ok + 1, NULL,
                 "The line is not valid UTF-8; invalid bytes were replaced by U+FFFD.");
      rec->bad = true;
      /* A NUL byte becomes a space: JSON text never holds one raw. */
      rc = append_replacing_invalid(&r->conv, line, n, true);
    }
    if (rc)
      return rc;
    line = r->conv.data;
    n = r->conv.len;
  }
  json_error_t err;
  json_t *root = json_loadb(line, n, 0, &err);
  int rc = 0;
  if (!root) {
    emb__error(r->diags, EMB_EFORMAT, r->name, lineno,
               err.column > 0 ? (unsigned long)err.column : 0, NULL,
               "The line is not valid JSON: %.120s.", err.text);
    rec->bad = true;
  } else if (!json_is_object(root)) {
    emb__error(r->diags, EMB_EFORMAT, r->name, lineno, 1, NULL,
               "The line is a JSON array, not an object; a record is one object per line.");
    rec->bad = true;
  } else {
    json_t *obj = root, *eid = NULL;
    json_t *schema = json_object_get(root, "schema");
    json_t *props = json_object_get(root, "properties");
    if (json_is_string(schema) && json_is_object(props)) {
      const char *sn = json_string_value(schema);
      if (strcmp(sn, "EconomicActivity") != 0 && strcmp(sn, "Payment") != 0) {
        /* A party, address or other entity of an FtM stream: not a trade record. */
        if (!r->warned_schema) {
          emb__warn(r->diags, EMB_EFORMAT, r->name, lineno, 0, "schema",
                    "Entities of schema %.60s are not trade records and were skipped (only "
                    "EconomicActivity and Payment are read; not reported again for this file).",
                    sn);
          r->warned_schema = true;
        }
        json_decref(root);
        return 0;
      }
      obj = props;
      eid = json_object_get(root, "id");
    }
    jval fv[EMB_TF_COUNT];
    rc = json_fields(r, obj, eid, fv);
    /* Extras: the values of keys with no field, appended after the fields. */
    if (!rc)
      rc = reserve_extra(r, r->n_extra);
    for (size_t i = 0; !rc && i < r->n_extra; i++)
      r->xoff[i] = SIZE_MAX;
    for (size_t t = 0; !rc && t < r->ntouched; t++) {
      col *k = &r->cols[r->touched[t]];
      if (k->extra < 0)
        continue;
      r->xoff[k->extra] = r->vals.len;
      rc = put_value(r, r->colval[r->touched[t]], 0, NULL, NULL);
      if (!rc)
        rc = emb__buf_putc(&r->vals, '\0');
    }
    if (!rc) {
      /* Pointers last: vals and side may have moved while they grew. */
      for (int f = 0; f < EMB_TF_COUNT; f++) {
        if (!fv[f].set)
          continue;
        size_t len = fv[f].len;
        rec->v[f] = trim((fv[f].side ? r->side.data : r->vals.data) + fv[f].off, &len);
        rec->len[f] = len;
      }
      for (size_t i = 0; i < r->n_extra; i++)
        r->xptr[i] = r->xoff[i] == SIZE_MAX ? "" : r->vals.data + r->xoff[i];
      rec->extra = r->n_extra ? r->xptr : NULL;
      rec->n_extra = r->n_extra;
    }
    for (size_t t = 0; t < r->ntouched; t++)
      r->colval[r->touched[t]] = NULL;
    r->ntouched = 0;
  }
  json_decref(root);
  if (rc)
    return rc;
  rec->index = r->index++;
  fallback_id(r, rec);
  return 1;
}

/* Warns about explicit sources no key matched, at the end of a JSONL input. */
static void report_unseen(emb_trade_reader *r) {
  for (size_t i = 0; i < r->nsrcs; i++) {
    src *s = &r->srcs[i];
    if (s->seen)
      continue;
    s->seen = true; /* once */
    if (s->file)
      emb__warn(r->diags, EMB_EFORMAT, s->file, s->line, 0, s->column,
                "The mapping names the key '%.80s', which no record of %.80s has.", s->column,
                r->name);
    else
      emb__warn(r->diags, EMB_EFORMAT, r->name, 0, 0, s->column,
                "%.120s names a key that no record has.", s->origin);
  }
}

/* Makes rec the bad, empty record of a JSON line that was skipped (too long). */
static void skipped_line(emb_trade_reader *r, emb_trade_record *rec, unsigned long lineno) {
  memset(rec, 0, sizeof(*rec));
  for (int f = 0; f < EMB_TF_COUNT; f++)
    rec->v[f] = "";
  rec->line = lineno;
  rec->bad = true;
  rec->index = r->index++;
  fallback_id(r, rec);
}

static int next_jsonl(emb_trade_reader *r, emb_trade_record *rec) {
  for (;;) {
    const unsigned char *s = r->buf + r->bpos, *e = r->buf + r->blen;
    const unsigned char *nlp = memchr(s, '\n', (size_t)(e - s));
    if (!nlp && (size_t)(e - s) > r->o.max_record) {
      unsigned long lineno = r->line + 1;
      emb__error(r->diags, EMB_ETOOBIG, r->name, lineno, 0, NULL,
                 "The line is longer than %zu bytes; it was skipped.", r->o.max_record);
      /* Drop bytes up to the next LF. */
      for (;;) {
        const unsigned char *q = memchr(r->buf + r->bpos, '\n', r->blen - r->bpos);
        if (q) {
          r->bpos = (size_t)(q - r->buf) + 1;
          break;
        }
        r->bpos = r->blen;
        if (r->eof)
          break;
        int rc = fill(r);
        if (rc)
          return rc;
      }
      r->line++;
      skipped_line(r, rec, lineno);
      return 1;
    }
    if (!nlp && !r->eof) {
      int rc = fill(r);
      if (rc)
        return rc;
      continue;
    }
    if (s == e && r->eof) {
      if (r->io_err)
        return r->io_err;
      report_unseen(r);
      return 0;
    }
    size_t n = nlp ? (size_t)(nlp - s) : (size_t)(e - s);
    r->bpos += nlp ? n + 1 : n;
    unsigned long lineno = ++r->line;
    const char *line = (const char *)s;
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
      n--;
    size_t a = 0;
    while (a < n && (line[a] == ' ' || line[a] == '\t' || line[a] == '\r'))
      a++;
    if (a == n)
      continue; /* a blank line */
    if (n - a > r->o.max_record) {
      emb__error(r->diags, EMB_ETOOBIG, r->name, lineno, 0, NULL,
                 "The line is longer than %zu bytes; it was skipped.", r->o.max_record);
      skipped_line(r, rec, lineno);
      return 1;
    }
    int rc = json_record(r, rec, line + a, n - a, lineno);
    if (rc != 0)
      return rc; /* 0: an entity that is no trade record was skipped */
  }
}

/* ------------------------------------------------------------ open, close */

/* True when the path names a JSON lines file (.jsonl, .ndjson, .json, also compressed). */
static bool jsonl_name(const char *path) {
  size_t n = strlen(path);
  static const char *const comp[] = {".gz", ".zip", NULL};
  for (int i = 0; comp[i]; i++) {
    size_t k = strlen(comp[i]);
    if (n > k && strcmp(path + n - k, comp[i]) == 0) {
      n -= k;
      break;
    }
  }
  static const char *const ext[] = {".jsonl", ".ndjson", ".json", NULL};
  for (int i = 0; ext[i]; i++) {
    size_t k = strlen(ext[i]);
    if (n > k && strncmp(path + n - k, ext[i], k) == 0)
      return true;
  }
  return false;
}

/* Picks the delimiter that occurs most often outside quotes on the first line. */
static char detect_delimiter(const unsigned char *p, size_t n) {
  static const char cand[4] = {',', '\t', ';', '|'};
  size_t count[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = p[i];
    if (b == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (b == '\r' || b == '\n')
        break;
      for (int k = 0; k < 4; k++)
        if (b == (unsigned char)cand[k])
          count[k]++;
    }
  }
  int best = 0;
  for (int k = 1; k < 4; k++)
    if (count[k] > count[best])
      best = k;
  return cand[best];
}

static int copy_map(emb_trade_reader *r, const emb_trade_map *map) {
  r->auto_on = emb__trade_map_auto(map);
  size_t n;
  const emb_trade_src *s = emb__trade_map_sources(map, &n);
  if (!n)
    return 0;
  r->srcs = calloc(n, sizeof(*r->srcs));
  r->srcval = calloc(n, sizeof(*r->srcval));
  if (!r->srcs || !r->srcval)
    return EMB_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    src *d = &r->srcs[i];
    d->field = s[i].field;
    d->line = s[i].line;
    d->column = strdup(s[i].column);
    d->origin = strdup(s[i].origin);
    d->file = s[i].file ? strdup(s[i].file) : NULL;
    r->nsrcs++;
    if (!d->column || !d->origin || (s[i].file && !d->file))
      return EMB_ENOMEM;
    if (d->field != EMB_TF_IGNORE)
      r->explicit_field[d->field] = true;
  }
  return 0;
}

int emb__trade_reader_open(const char *path, const emb_trade_map *map,
                           const emb_trade_reader_opts *opts, emb_trade_reader **out,
                           emb_diags *diags) {
  if (!path || !out)
    return EMB_EINVAL;
  *out = NULL;
  emb_trade_reader_opts o = opts ? *opts : emb__trade_reader_opts_default();
  if (o.max_record == 0)
    o.max_record = DEFAULT_MAX_RECORD;
  if (o.max_fields == 0)
    o.max_fields = DEFAULT_MAX_FIELDS;
  if (o.max_record_lines == 0)
    o.max_record_lines = DEFAULT_MAX_LINES;
  if (o.delimiter == '"' || o.delimiter == '\r' || o.delimiter == '\n')
    return EMB_EINVAL;
  if (o.max_record > ((size_t)1 << 30) || o.max_fields > ((size_t)1 << 20))
    return EMB_EINVAL;

  emb_trade_reader *r = calloc(1, sizeof(*r));
  if (!r)
    return EMB_ENOMEM;
  r->o = o;
  r->diags = diags;
  r->line = 1;
  emb__arena_init(&r->arena, 0);
  emb__strmap_init(&r->keys);
  emb__buf_init(&r->conv, 0);
  emb__buf_init(&r->join, 0);
  emb__buf_init(&r->vals, 0);
  emb__buf_init(&r->side, 0);
  bool is_stdin = strcmp(path, "-") == 0;
  int rc = emb__input_open(is_stdin ? "/dev/stdin" : path, &r->in, diags);
  if (rc) {
    emb__trade_reader_close(r);
    return rc;
  }
  r->name = strdup(is_stdin ? "<stdin>" : emb__input_name(r->in));
  r->bcap = o.max_record + CHUNK;
  r->buf = malloc(r->bcap + 1);
  if (!r->name || !r->buf || (rc = copy_map(r, map)) != 0) {
    emb__trade_reader_close(r);
    return rc ? rc : EMB_ENOMEM;
  }
  /* Look at the first bytes: the format, the delimiter. */
  if ((rc = fill(r)) != 0) {
    emb__trade_reader_close(r);
    return rc;
  }
  while (!r->eof && r->blen < 4096 && (rc = fill(r)) == 0)
    ;
  if (rc) {
    emb__trade_reader_close(r);
    return rc;
  }
  const unsigned char *h = r->buf + r->bpos;
  size_t nh = r->blen - r->bpos;
  r->fmt = o.format;
  if (r->fmt == EMB_TRADE_AUTO) {
    size_t i = 0;
    while (i < nh && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
      i++;
    r->fmt = (!is_stdin && jsonl_name(path)) || (i < nh && h[i] == '{') ? EMB_TRADE_JSONL
                                                                        : EMB_TRADE_CSV;
  }
  if (r->fmt == EMB_TRADE_JSONL) {
    size_t i = 0;
    while (i < nh && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
      i++;
    if (i == nh) {
      emb__error(diags, EMB_EFORMAT, r->name, 1, 0, NULL, "The file is empty: it holds no record.");
      emb__trade_reader_close(r);
      return EMB_EFORMAT;
    }
    r->line = 0;
    *out = r;
    return 0;
  }
  r->delim = o.delimiter ? o.delimiter : detect_delimiter(h, nh);
  r->tcap = r->bcap + o.max_fields + 64; /* grows in fix_encoding() */
  r->text = malloc(r->tcap + TEXT_SLACK);
  r->foff = malloc(o.max_fields * sizeof(size_t));
  r->flen = malloc(o.max_fields * sizeof(size_t));
  r->fraw = malloc(o.max_fields * sizeof(size_t));
  if (!r->text || !r->foff || !r->flen || !r->fraw) {
    emb__trade_reader_close(r);
    return EMB_ENOMEM;
  }
  if ((rc = read_csv_header(r)) != 0) {
    emb__trade_reader_close(r);
    return rc;
  }
  *out = r;
  return 0;
}

int emb__trade_reader_next(emb_trade_reader *r, emb_trade_record *rec) {
  if (!r || !rec)
    return EMB_EINVAL;
  return r->fmt == EMB_TRADE_JSONL ? next_jsonl(r, rec) : next_csv(r, rec);
}

const emb_trade_column *emb__trade_reader_header(const emb_trade_reader *r, size_t *n) {
  *n = r ? r->nhdr : 0;
  return r ? r->hdr : NULL;
}

emb_trade_format emb__trade_reader_format(const emb_trade_reader *r) {
  return r ? r->fmt : EMB_TRADE_AUTO;
}

char emb__trade_reader_delimiter(const emb_trade_reader *r) {
  return r && r->fmt == EMB_TRADE_CSV ? r->delim : 0;
}

const char *emb__trade_reader_name(const emb_trade_reader *r) {
  return r ? r->name : NULL;
}

void emb__trade_reader_close(emb_trade_reader *r) {
  if (!r)
    return;
  emb__input_close(r->in);
  free(r->name);
  free(r->buf);
  free(r->text);
  free(r->foff);
  free(r->flen);
  free(r->fraw);
  free(r->cols);
  free(r->hdr);
  free(r->plan);
  free(r->extra_col);
  for (size_t i = 0; i < r->nsrcs; i++) {
    free(r->srcs[i].column);
    free(r->srcs[i].origin);
    free(r->srcs[i].file);
  }
  free(r->srcs);
  free(r->srcval);
  free(r->xptr);
  free(r->xoff);
  free(r->colval);
  free(r->touched);
  emb__strmap_fini(&r->keys);
  emb__arena_fini(&r->arena);
  emb__buf_fini(&r->conv);
  emb__buf_fini(&r->join);
  emb__buf_fini(&r->vals);
  emb__buf_fini(&r->side);
  free(r);
}

/* ---- added by the screening driver (run.c): progress and a display name ---- */

uint64_t emb__trade_reader_offset(const emb_trade_reader *r) {
  return r ? emb__input_raw_offset(r->in) : 0;
}

int emb__trade_reader_set_name(emb_trade_reader *r, const char *name) {
  char *copy = strdup(name);
  if (!copy)
    return EMB_ENOMEM;
  free(r->name);
  r->name = copy;
  return 0;
}
