/*
 * csv.c - the streaming CSV reader declared in csv.h.
 *
 * The reader pulls the input in 64 KiB chunks through emb__input_read() and runs a
 * small state machine over the bytes (field start, unquoted, quoted, after the
 * closing quote). Inside a field, runs of bytes the machine would only append are
 * copied in one go (take_run, sixteen bytes per step with SSE2), so the machine sees
 * little but delimiters, quotes and line ends: a list of 10 MB reads in tens of
 * milliseconds. Field bytes are copied into one growable text buffer per record,
 * each field NUL-terminated, so the returned pointers stay valid until the next
 * call. The reader owns the chunk, the text buffer and the field arrays; the input
 * stays the caller's.
 *
 * Physical lines are counted the same way everywhere: LF, CR LF and a lone CR each
 * end a line, inside quotes as well as outside, so row.line and row.end_line and
 * every diagnostic name the line an editor shows. Columns are 1-based byte columns.
 *
 * Leniency, because official lists are not clean RFC 4180:
 * - a quote inside an unquoted field (ab"c) is kept literally;
 * - text between a closing quote and the next delimiter ("abc" ,) is kept and
 *   appended to the value, without an error (OFAC writes such fields);
 * - completely empty lines between records are skipped, not returned;
 * - a 0x1A byte right before the end of the input (DOS EOF) is ignored.
 *
 * Bounds: a field holds at most opts.max_field bytes and a record at most
 * opts.max_fields fields and max(8 * max_field, 1 MiB) bytes in all. Past a bound
 * the record is reported once, marked bad, and the rest of it is skipped (quotes
 * still tracked) up to the next line end outside quotes. Memory is therefore
 * bounded by the caps, whatever the input.
 *
 * Encoding: each finished field that holds a byte >= 0x80 is checked with
 * emb__utf8_check() (ASCII without NUL is valid UTF-8). An invalid field is decoded
 * as Windows-1252 when opts.allow_cp1252 is set (one warning per reader,
 * naming the first place); otherwise each invalid sequence becomes U+FFFD, an error
 * names line, column and field number, and the record is marked bad. Fields handed
 * out are thus always valid UTF-8.
 */
#include "core/csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SSE2_SCAN 1
#include <emmintrin.h>
#endif

#include "core/buf.h"
#include "core/diag.h"
#include "embargo.h"

#define CHUNK ((size_t)64 * 1024)
#define DEFAULT_MAX_FIELD ((size_t)1 << 20)
#define DEFAULT_MAX_FIELDS ((size_t)1024)
#define MIN_ROW_CAP ((size_t)1 << 20)

/* A position in the physical text: the line and column of the last byte seen. */
typedef struct pos {
  unsigned long line;
  unsigned long col;
  bool nl_pending;    /* the last byte ended a line; the next byte starts a new one */
  unsigned char prev; /* the last byte, to join CR LF */
} pos;

struct emb_csv {
  emb_input *in;
  emb_csv_opts o;
  emb_diags *diags;
  const char *name; /* emb__input_name(in), owned by the input */
  char delim;
  size_t row_cap; /* most bytes of field text in one record */

  unsigned char *chunk; /* CHUNK bytes read ahead */
  size_t pos, len;
  bool eof;
  int io_err; /* first read error, returned by emb__csv_next() */
  pos at;     /* position of the last byte handed out by getb() */

  char *text; /* the current record's fields, each NUL-terminated */
  size_t tlen, talloc;
  size_t *offs, *lens; /* per field: offset into text and length */
  const char **ptrs;
  size_t nfields, falloc;
  emb_buf conv; /* scratch for re-encoding a field */

  /* The field being read. */
  size_t fstart; /* offset of its first byte in text */
  bool fquoted;
  bool fhigh;         /* a byte >= 0x80 went in: the field needs the UTF-8 check */
  pos fpos;           /* position of the byte just before its first content byte */
  bool fpos_is_first; /* fpos is the first content byte itself (unquoted fields) */

  bool bad;      /* an error was reported for the current record */
  bool skipping; /* a cap was hit: drop bytes up to the end of the record */
  bool nul_reported;
  bool warned_cp1252;

  /* Which bytes take_run() may copy: nonzero for all but its stop bytes, which are
   * the delimiter, CR, LF, NUL and 0x1A in plain[0] (unquoted fields) and the same
   * with the quote in place of the delimiter in plain[1] (quoted fields). */
  unsigned char plain[2][256];
};

emb_csv_opts emb__csv_opts_default(void) {
  emb_csv_opts o;
  memset(&o, 0, sizeof(o));
  o.max_field = DEFAULT_MAX_FIELD;
  o.max_fields = DEFAULT_MAX_FIELDS;
  return o;
}

/* ---------------------------------------------------------------- bytes */

static inline void advance(pos *p, unsigned char b) {
  if (p->nl_pending) {
    if (b == '\n' && p->prev == '\r') {
      p->col++; /* the LF of a CR LF belongs to the line the CR ended */
    } else {
      p->line++;
      p->col = 1;
      p->nl_pending = false;
    }
  } else {
    p->col++;
  }
  if (b == '\r' || b == '\n')
    p->nl_pending = true;
  p->prev = b;
}

static bool refill(emb_csv *c) {
  if (c->eof)
    return false;
  size_t got = 0;
  int rc = emb__input_read(c->in, c->chunk, CHUNK, &got);
  if (rc < 0) {
    c->io_err = rc;
    c->eof = true;
    return false;
  }
  if (got == 0) {
    c->eof = true;
    return false;
  }
  c->pos = 0;
  c->len = got;
  return true;
}

/* The next byte without consuming it, or -1 at the end. */
static int peekb(emb_csv *c) {
  if (c->pos == c->len && !refill(c))
    return -1;
  return c->chunk[c->pos];
}

/* getb() when the chunk is used up or the next byte is 0x1A. */
static int getb_slow(emb_csv *c) {
  if (c->pos == c->len && !refill(c))
    return -1;
  unsigned char b = c->chunk[c->pos++];
  advance(&c->at, b);
  if (b == 0x1A && peekb(c) < 0)
    return -1;
  return b;
}

/*
 * The next byte, or -1 at the end; a 0x1A right before the end counts as the end.
 * Called for every delimiter and line end, so the common case is inline.
 */
static inline int getb(emb_csv *c) {
  if (c->pos < c->len && c->chunk[c->pos] != 0x1A) {
    unsigned char b = c->chunk[c->pos++];
    advance(&c->at, b);
    return b;
  }
  return getb_slow(c);
}

/* ---------------------------------------------------------------- records */

static int text_reserve(emb_csv *c, size_t extra) {
  size_t need = c->tlen + extra;
  if (need <= c->talloc)
    return 0;
  size_t n = c->talloc ? c->talloc : 256;
  while (n < need)
    n *= 2;
  char *p = realloc(c->text, n);
  if (!p)
    return EMB_ENOMEM;
  c->text = p;
  c->talloc = n;
  return 0;
}

static void field_begin(emb_csv *c, bool quoted) {
  c->fstart = c->tlen;
  c->fquoted = quoted;
  c->fhigh = false;
  c->fpos = c->at;
  c->fpos_is_first = !quoted;
}

static void field_label(size_t index, char *buf, size_t size) {
  snprintf(buf, size, "%zu", index + 1);
}

/* Stops storing the current record after a cap was hit. */
static void start_skipping(emb_csv *c) {
  c->skipping = true;
  c->bad = true;
  c->tlen = c->fstart;
}

/* Appends one content byte to the current field; enforces NUL and the caps. */
static int put(emb_csv *c, unsigned char b) {
  if (c->skipping)
    return 0;
  if (b == 0) {
    if (!c->nul_reported) {
      char f[24];
      field_label(c->nfields, f, sizeof(f));
      emb__error(c->diags, EMB_EFORMAT, c->name, c->at.line, c->at.col, f,
                 "The record holds a NUL byte, which a text file never contains; it was "
                 "dropped.");
      c->nul_reported = true;
    }
    c->bad = true;
    return 0;
  }
  if (c->tlen - c->fstart >= c->o.max_field) {
    char f[24];
    field_label(c->nfields, f, sizeof(f));
    emb__error(c->diags, EMB_ETOOBIG, c->name, c->fpos.line, c->fpos.col, f,
               "The field is longer than %zu bytes; the rest of the record (to line end) "
               "was skipped.",
               c->o.max_field);
    start_skipping(c);
    return 0;
  }
  if (c->tlen >= c->row_cap) {
    char f[24];
    field_label(c->nfields, f, sizeof(f));
    emb__error(c->diags, EMB_ETOOBIG, c->name, c->at.line, c->at.col, f,
               "The record is longer than %zu bytes; the rest of it was skipped.", c->row_cap);
    start_skipping(c);
    return 0;
  }
  if (c->tlen + 1 >= c->talloc) {
    int rc = text_reserve(c, 2);
    if (rc)
      return rc;
  }
  c->text[c->tlen++] = (char)b;
  c->fhigh |= b >= 0x80;
  return 0;
}

/*
 * Fast path for the byte loop: copies the run of ordinary bytes that follows in the
 * chunk into the current field with one memcpy, instead of one getb()/put() per byte.
 * Ordinary bytes are those the state machine would only append (never a delimiter,
 * quote, line end, NUL or 0x1A), so line counting reduces to moving the column. The
 * run stops short of the field and record caps; the byte that would cross one goes
 * through put(), which reports it. Only the bytes already in the chunk are taken.
 */
static int take_run(emb_csv *c, bool quoted) {
  const unsigned char *p = c->chunk + c->pos;
  size_t avail = c->len - c->pos, k = 0;
  unsigned high = 0; /* the OR of the bytes scanned; bit 7 tells of non-ASCII text */
  bool found = false;
#ifdef HAVE_SSE2_SCAN
  /* Sixteen bytes per step where SSE2 exists (every x86-64): compare them with the
   * five stop bytes at once. */
  const __m128i stop1 = _mm_set1_epi8(quoted ? '"' : c->delim), cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n'), sub = _mm_set1_epi8(0x1A), zero = _mm_setzero_si128();
  __m128i any = zero;
  while (!found && avail - k >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, stop1), _mm_cmpeq_epi8(v, cr)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, sub)));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, zero));
    any = _mm_or_si128(any, v); /* may include bytes past the stop: a needless check at worst */
    int mask = _mm_movemask_epi8(hit);
    if (mask) {
      k += (size_t)__builtin_ctz((unsigned)mask);
      found = true;
    } else {
      k += 16;
    }
  }
  high = _mm_movemask_epi8(any) ? 0x80 : 0;
#endif
  if (!found) {
    const unsigned char *plain = c->plain[quoted];
    while (k < avail && plain[p[k]])
      high |= p[k++];
  }
  if (k == 0)
    return 0;
  c->fhigh |= (high & 0x80) != 0;
  if (!c->skipping) {
    size_t flen = c->tlen - c->fstart;
    size_t room = flen < c->o.max_field ? c->o.max_field - flen : 0;
    if (c->tlen >= c->row_cap)
      room = 0;
    else if (room > c->row_cap - c->tlen)
      room = c->row_cap - c->tlen;
    if (k > room)
      k = room;
    if (k == 0)
      return 0;
    int rc = text_reserve(c, k + 1); /* + 1: put() keeps room for the terminator */
    if (rc)
      return rc;
    memcpy(c->text + c->tlen, p, k);
    c->tlen += k;
  }
  /* As advance() byte by byte: the first byte may start a new line, the rest cannot. */
  advance(&c->at, p[0]);
  c->at.col += k - 1;
  c->at.prev = p[k - 1];
  c->pos += k;
  return 0;
}

/* Position of byte k of the current field's value, walking from the field start. */
static pos locate(const emb_csv *c, size_t k) {
  pos p = c->fpos;
  const unsigned char *v = (const unsigned char *)c->text + c->fstart;
  for (size_t i = c->fpos_is_first ? 1 : 0; i <= k; i++) {
    advance(&p, v[i]);
    if (c->fquoted && v[i] == '"')
      advance(&p, '"'); /* written "" in the file */
  }
  return p;
}

/* Replaces the bytes of the current field with the content of c->conv. */
static int replace_field(emb_csv *c) {
  c->tlen = c->fstart;
  int rc = text_reserve(c, c->conv.len + 1);
  if (rc)
    return rc;
  memcpy(c->text + c->tlen, c->conv.data, c->conv.len);
  c->tlen += c->conv.len;
  return 0;
}

/* Re-encodes an invalid field: Windows-1252, or U+FFFD for each invalid sequence. */
static int fix_encoding(emb_csv *c, size_t bad_at) {
  const char *v = c->text + c->fstart;
  size_t n = c->tlen - c->fstart;
  pos p = locate(c, bad_at);
  char f[24];
  field_label(c->nfields, f, sizeof(f));
  emb__buf_reset(&c->conv);
  int rc;
  if (c->o.allow_cp1252) {
    if (!c->warned_cp1252) {
      emb__warn(c->diags, EMB_EENCODING, c->name, p.line, p.col, f,
                "The text is not valid UTF-8; fields like this one were read as "
                "Windows-1252 (first at this place; not reported again for this file).");
      c->warned_cp1252 = true;
    }
    rc = emb__cp1252_to_utf8(v, n, &c->conv);
  } else {
    emb__error(c->diags, EMB_EENCODING, c->name, p.line, p.col, f,
               "The field is not valid UTF-8 (byte 0x%02X at offset %zu); invalid bytes "
               "were replaced by U+FFFD.",
               (unsigned)(unsigned char)v[bad_at], bad_at);
    c->bad = true;
    size_t i = 0;
    rc = 0;
    while (i < n && !rc) {
      size_t ok = emb__utf8_check(v + i, n - i);
      rc = emb__buf_append(&c->conv, v + i, ok);
      i += ok;
      if (i < n && !rc) {
        rc = emb__buf_append(&c->conv, "\xEF\xBF\xBD", 3);
        i++;
        /* Skip the continuation bytes of the same broken sequence. */
        while (i < n && ((unsigned char)v[i] & 0xC0) == 0x80)
          i++;
      }
    }
  }
  if (rc)
    return rc;
  return replace_field(c);
}

/* Ends the current field: encoding, trimming, NUL terminator, field arrays. */
static int field_end(emb_csv *c) {
  if (c->skipping)
    return 0;
  if (c->nfields >= c->o.max_fields) {
    emb__error(c->diags, EMB_ETOOBIG, c->name, c->fpos.line, c->fpos.col, NULL,
               "The record has more than %zu fields; the rest of it was skipped.", c->o.max_fields);
    start_skipping(c);
    return 0;
  }
  int rc;
  size_t n = c->tlen - c->fstart;
  /* Only text with bytes >= 0x80 can be invalid: put() drops NUL bytes. */
  size_t ok = c->fhigh ? emb__utf8_check(c->text + c->fstart, n) : n;
  if (ok < n && (rc = fix_encoding(c, ok)) != 0)
    return rc;
  size_t start = c->fstart;
  if (c->o.trim) {
    while (c->tlen > start && c->text[c->tlen - 1] == ' ')
      c->tlen--;
    size_t lead = 0;
    while (start + lead < c->tlen && c->text[start + lead] == ' ')
      lead++;
    if (lead) {
      memmove(c->text + start, c->text + start + lead, c->tlen - start - lead);
      c->tlen -= lead;
    }
  }
  if ((rc = text_reserve(c, 1)) != 0)
    return rc;
  if (c->nfields == c->falloc) {
    size_t m = c->falloc ? c->falloc * 2 : 32;
    if (m > c->o.max_fields)
      m = c->o.max_fields;
    size_t *no = realloc(c->offs, m * sizeof(*no));
    if (!no)
      return EMB_ENOMEM;
    c->offs = no;
    size_t *nl = realloc(c->lens, m * sizeof(*nl));
    if (!nl)
      return EMB_ENOMEM;
    c->lens = nl;
    const char **np = realloc(c->ptrs, m * sizeof(*np));
    if (!np)
      return EMB_ENOMEM;
    c->ptrs = np;
    c->falloc = m;
  }
  c->offs[c->nfields] = start;
  c->lens[c->nfields] = c->tlen - start;
  c->nfields++;
  c->text[c->tlen++] = '\0';
  return 0;
}

/* After a CR that ends a record outside quotes, swallows the LF of a CR LF. */
static void eat_lf(emb_csv *c, int b) {
  if (b == '\r' && peekb(c) == '\n')
    getb(c);
}

enum { S_START, S_UNQUOTED, S_QUOTED, S_AFTER_QUOTE };

int emb__csv_next(emb_csv *c, emb_csv_row *row) {
  if (!c || !row)
    return EMB_EINVAL;
  memset(row, 0, sizeof(*row));
  c->tlen = 0;
  c->nfields = 0;
  c->bad = false;
  c->skipping = false;
  c->nul_reported = false;

  int b;
  for (;;) { /* skip empty lines */
    b = getb(c);
    if (b < 0)
      return c->io_err;
    if (b != '\r' && b != '\n')
      break;
    eat_lf(c, b);
  }
  unsigned long start_line = c->at.line;
  unsigned long quote_line = 0, quote_col = 0;
  int state = S_START;
  int rc = 0;
  for (;; b = getb(c)) {
    if (rc)
      return rc;
    if (b < 0) {
      if (c->io_err)
        return c->io_err;
      if (state == S_QUOTED) {
        emb__error(c->diags, EMB_ETRUNCATED, c->name, start_line, 0, NULL,
                   "A quoted field opened on line %lu, column %lu is not closed at the end "
                   "of the file; the record starting on line %lu was dropped.",
                   quote_line, quote_col, start_line);
        c->tlen = 0;
        c->nfields = 0;
        return 0;
      }
      if (state == S_START)
        field_begin(c, false);
      if ((rc = field_end(c)) != 0)
        return rc;
      break;
    }
    bool at_end = false;
    switch (state) {
    case S_START:
      if (b == c->delim) {
        field_begin(c, false);
        rc = field_end(c);
      } else if (b == '\r' || b == '\n') {
        field_begin(c, false);
        rc = field_end(c);
        eat_lf(c, b);
        at_end = true;
      } else if (b == '"') {
        field_begin(c, true);
        quote_line = c->at.line;
        quote_col = c->at.col;
        state = S_QUOTED;
        rc = take_run(c, true);
      } else if (b == ' ' && c->o.trim) {
        /* leading space before a possible opening quote */
      } else {
        field_begin(c, false);
        if ((rc = put(c, (unsigned char)b)) == 0)
          rc = take_run(c, false);
        state = S_UNQUOTED;
      }
      break;
    case S_UNQUOTED:
    case S_AFTER_QUOTE:
      if (b == c->delim) {
        rc = field_end(c);
        state = S_START;
      } else if (b == '\r' || b == '\n') {
        rc = field_end(c);
        eat_lf(c, b);
        at_end = true;
      } else {
        rc = put(c, (unsigned char)b); /* stray quotes and text after a closing quote */
        if (rc == 0)
          rc = take_run(c, false);
        state = S_UNQUOTED;
      }
      break;
    case S_QUOTED:
      if (b == '"') {
        if (peekb(c) == '"') {
          getb(c);
          if ((rc = put(c, '"')) == 0)
            rc = take_run(c, true);
        } else {
          state = S_AFTER_QUOTE;
        }
      } else {
        if ((rc = put(c, (unsigned char)b)) == 0)
          rc = take_run(c, true);
      }
      break;
    }
    if (at_end)
      break;
  }
  if (rc)
    return rc;

  for (size_t i = 0; i < c->nfields; i++)
    c->ptrs[i] = c->text + c->offs[i];
  row->fields = c->ptrs;
  row->lens = c->lens;
  row->count = c->nfields;
  row->line = start_line;
  row->end_line = c->at.line;
  row->bad = c->bad;
  return 1;
}

/* ---------------------------------------------------------------- setup */

/* Picks the delimiter that occurs most often outside quotes in the first record. */
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

int emb__csv_new(emb_input *in, const emb_csv_opts *opts, emb_diags *diags, emb_csv **out) {
  if (!in || !out)
    return EMB_EINVAL;
  *out = NULL;
  emb_csv_opts o = opts ? *opts : emb__csv_opts_default();
  if (o.max_field == 0)
    o.max_field = DEFAULT_MAX_FIELD;
  if (o.max_fields == 0)
    o.max_fields = DEFAULT_MAX_FIELDS;
  if (o.delimiter == '"' || o.delimiter == '\r' || o.delimiter == '\n')
    return EMB_EINVAL;

  const unsigned char *head = NULL;
  size_t nhead = 0;
  int rc = emb__input_peek(in, CHUNK, &head, &nhead);
  if (rc < 0)
    return rc;
  bool bom = nhead >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF;
  if (o.delimiter == 0)
    o.delimiter = bom ? detect_delimiter(head + 3, nhead - 3) : detect_delimiter(head, nhead);

  emb_csv *c = calloc(1, sizeof(*c));
  if (!c)
    return EMB_ENOMEM;
  c->chunk = malloc(CHUNK);
  if (!c->chunk) {
    free(c);
    return EMB_ENOMEM;
  }
  c->in = in;
  c->o = o;
  c->diags = diags;
  c->name = emb__input_name(in);
  c->delim = o.delimiter;
  c->row_cap = o.max_field > SIZE_MAX / 8 ? SIZE_MAX / 2 : o.max_field * 8;
  if (c->row_cap < MIN_ROW_CAP)
    c->row_cap = MIN_ROW_CAP;
  c->at.line = 1;
  for (int q = 0; q < 2; q++) {
    memset(c->plain[q], 1, sizeof(c->plain[q]));
    c->plain[q][q ? '"' : (unsigned char)c->delim] = 0;
    c->plain[q]['\r'] = c->plain[q]['\n'] = c->plain[q][0] = c->plain[q][0x1A] = 0;
  }
  emb__buf_init(&c->conv, 0);
  if (text_reserve(c, 256) != 0) { /* text is never NULL, even for empty fields */
    emb__csv_free(c);
    return EMB_ENOMEM;
  }

  if (bom) {
    /* Consume the three BOM bytes; a short read may hand them out one at a time. */
    for (int k = 0; k < 3; k++) {
      if (peekb(c) < 0)
        break;
      c->pos++;
    }
  }
  *out = c;
  return 0;
}

char emb__csv_delimiter(const emb_csv *c) {
  return c ? c->delim : 0;
}

void emb__csv_free(emb_csv *c) {
  if (!c)
    return;
  free(c->chunk);
  free(c->text);
  free(c->offs);
  free(c->lens);
  free(c->ptrs);
  emb__buf_fini(&c->conv);
  free(c);
}

/* Compares header text to a name, ignoring case, spaces, '_' and '-'. */
static bool col_equal(const char *a, size_t alen, const char *b) {
  size_t i = 0;
  for (;;) {
    while (i < alen && (a[i] == ' ' || a[i] == '_' || a[i] == '-'))
      i++;
    while (*b == ' ' || *b == '_' || *b == '-')
      b++;
    if (i == alen || !*b)
      return i == alen && !*b;
    unsigned char x = (unsigned char)a[i], y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z')
      x = (unsigned char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (unsigned char)(y - 'A' + 'a');
    if (x != y)
      return false;
    i++;
    b++;
  }
}

int emb__csv_col(const emb_csv_row *header, const char *name) {
  if (!header || !name)
    return -1;
  for (size_t i = 0; i < header->count && i < (size_t)INT32_MAX; i++)
    if (col_equal(header->fields[i], header->lens[i], name))
      return (int)i;
  return -1;
}
