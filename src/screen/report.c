/*
 * report.c - the screening report: an accumulator of per-record summaries and a writer of
 * one self-contained HTML file with inline SVG charts (contract in report.h, layout in
 * docs/REPORT.md).
 *
 * The accumulator keeps fixed-size counters (totals, one row per HS chapter), four
 * capped hash maps (routes, counterparties, flows to sanctioned destinations by count and
 * by value; keys and their strings live in the report's arena, which only grows with new
 * keys) and a sorted array of the highest-risk alerts, each holding one malloc'd copy of
 * its fields that is freed when the alert is pushed out. Nothing grows per record.
 *
 * The writer prints XHTML-compatible HTML5 so that the whole document parses as XML
 * (tests do so with expat). Only literal markup from this file goes out unescaped;
 * everything else passes through put_text(), which also repairs invalid UTF-8 and drops
 * characters XML forbids. Numbers are formatted with integer arithmetic, so the output does
 * not depend on the locale; rankings are total orders (count, then key), so it does not
 * depend on hash order either.
 */
#include "screen/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "lists/country.h"

/* ================================================================ accumulator */

#define NO_CHAPTER 100 /* the chapter slot of records without a usable HS code */
#define MAX_VALUE 1e15 /* larger declared values are treated as unknown */
#define KEY_SEP '\x1f' /* joins the parts of a key; fields never contain it */
#define RISK_LEVELS 3  /* high, medium, low: the alert levels */
#define TOP_SEGS RISK_LEVELS

/* One key of an aggregate and its counters. Strings live in the report's arena. */
typedef struct agg_item {
  const char *a, *b, *c;              /* the parts of the key (see emb_report_row) */
  uint64_t count;                     /* records added under this key */
  uint64_t by_risk[EMB_REPORT_RISKS]; /* the same by risk */
  uint64_t n_value;                   /* of which with a known value */
  double value;                       /* their summed value */
  unsigned reasons;                   /* union of reason kinds */
} agg_item;

/* A capped map from key to agg_item. */
typedef struct agg {
  emb_strmap map;  /* key bytes -> index in items */
  agg_item *items; /* grows with distinct keys, up to the report's max_keys */
  size_t n, cap;
  uint64_t untracked; /* records whose new key found the map full */
} agg;

/* Fields kept for each of the highest-risk alerts. */
enum { F_ID, F_HS, F_ORIGIN, F_DEST, F_CP, F_CPID, F_CUR, F_DATE, N_FIELDS };

typedef struct top_alert {
  uint64_t seq; /* input order, 0-based */
  emb_report_risk risk;
  unsigned reasons;
  int kinds; /* number of reason kinds */
  bool sanctioned;
  double value;            /* NaN when unknown */
  char *blob;              /* owns the field strings */
  const char *f[N_FIELDS]; /* point into blob */
} top_alert;

struct emb_report {
  emb_arena arena; /* key strings of the aggregates */
  size_t max_keys;
  uint64_t records, alerts, sanctioned;
  uint64_t by_risk[EMB_REPORT_RISKS];
  uint64_t by_reason[EMB_REPORT_REASON_KINDS];
  uint64_t chapters[NO_CHAPTER + 1][EMB_REPORT_RISKS];
  agg routes, cps, flows, flow_values;
  top_alert top[EMB_REPORT_TOP_ALERTS]; /* best first */
  size_t n_top;
  emb_buf key;                                /* scratch for building keys */
  char f[N_FIELDS][EMB_REPORT_MAX_FIELD + 1]; /* scratch: the record's cleaned fields */
};

emb_report *emb__report_new(void) {
  emb_report *r = calloc(1, sizeof(*r));
  if (!r)
    return NULL;
  emb__arena_init(&r->arena, 64 * 1024);
  r->max_keys = EMB_REPORT_MAX_KEYS;
  emb__strmap_init(&r->routes.map);
  emb__strmap_init(&r->cps.map);
  emb__strmap_init(&r->flows.map);
  emb__strmap_init(&r->flow_values.map);
  emb__buf_init(&r->key, 4 * EMB_REPORT_MAX_FIELD + 16);
  return r;
}

static void agg_fini(agg *g) {
  emb__strmap_fini(&g->map);
  free(g->items);
}

void emb__report_free(emb_report *r) {
  if (!r)
    return;
  agg_fini(&r->routes);
  agg_fini(&r->cps);
  agg_fini(&r->flows);
  agg_fini(&r->flow_values);
  for (size_t i = 0; i < r->n_top; i++)
    free(r->top[i].blob);
  emb__buf_fini(&r->key);
  emb__arena_fini(&r->arena);
  free(r);
}

void emb__report_set_max_keys(emb_report *r, size_t n) {
  if (r)
    r->max_keys = n ? n : 1;
}

/*
 * Copies s into out (EMB_REPORT_MAX_FIELD + 1 bytes): surrounding white space trimmed,
 * control characters turned into spaces (so KEY_SEP never occurs in a field), cut at a
 * character boundary when longer than EMB_REPORT_MAX_FIELD bytes.
 */
static void clean_field(const char *s, char *out) {
  size_t n = 0;
  if (s) {
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
      s++;
    for (; *s && n < EMB_REPORT_MAX_FIELD; s++) {
      unsigned char c = (unsigned char)*s;
      out[n++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    if (((unsigned char)*s & 0xc0) == 0x80) { /* cut inside a character: drop its start */
      while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
        n--;
      if (n > 0)
        n--;
    }
    while (n > 0 && out[n - 1] == ' ')
      n--;
  }
  out[n] = '\0';
}

/* Finds or adds the key (a, b, c) in g; *item is NULL when g is full and the key is new. */
static int agg_find(emb_report *r, agg *g, const char *a, const char *b, const char *c,
                    agg_item **item) {
  *item = NULL;
  emb__buf_reset(&r->key);
  int rc = emb__buf_puts(&r->key, a);
  rc = rc ? rc : emb__buf_putc(&r->key, KEY_SEP);
  rc = rc ? rc : emb__buf_puts(&r->key, b);
  rc = rc ? rc : emb__buf_putc(&r->key, KEY_SEP);
  rc = rc ? rc : emb__buf_puts(&r->key, c);
  if (rc)
    return rc;
  size_t idx;
  if (emb__strmap_get(&g->map, r->key.data, r->key.len, &idx)) {
    *item = &g->items[idx];
    return 0;
  }
  if (g->n >= r->max_keys) {
    g->untracked++;
    return 0;
  }
  if (g->n == g->cap) {
    size_t ncap = g->cap ? 2 * g->cap : 64;
    agg_item *p = realloc(g->items, ncap * sizeof(*p));
    if (!p)
      return EMB_ENOMEM;
    g->items = p;
    g->cap = ncap;
  }
  char *k = emb__arena_strndup(&r->arena, r->key.data, r->key.len);
  agg_item *it = &g->items[g->n];
  memset(it, 0, sizeof(*it));
  it->a = emb__arena_strdup(&r->arena, a);
  it->b = emb__arena_strdup(&r->arena, b);
  it->c = emb__arena_strdup(&r->arena, c);
  if (!k || !it->a || !it->b || !it->c)
    return EMB_ENOMEM;
  rc = emb__strmap_put(&g->map, k, r->key.len, g->n);
  if (rc)
    return rc;
  g->n++;
  *item = it;
  return 0;
}

/* Counts one record in it. */
static void count_item(agg_item *it, emb_report_risk risk, unsigned reasons, double value) {
  it->count++;
  it->by_risk[risk]++;
  it->reasons |= reasons;
  if (!isnan(value)) {
    it->n_value++;
    it->value += value;
  }
}

/* Counts one record under (a, b, c) in g (or as untracked when g is full). */
static int agg_add(emb_report *r, agg *g, const char *a, const char *b, const char *c,
                   emb_report_risk risk, unsigned reasons, double value) {
  agg_item *it;
  int rc = agg_find(r, g, a, b, c, &it);
  if (!rc && it)
    count_item(it, risk, reasons, value);
  return rc;
}

static int popcount4(unsigned m) {
  int n = 0;
  for (int i = 0; i < EMB_REPORT_REASON_KINDS; i++)
    n += (m >> i) & 1u;
  return n;
}

/* True if alert x ranks above y: higher risk, more reason kinds, earlier in the input. */
static bool ranks_above(const top_alert *x, const top_alert *y) {
  if (x->risk != y->risk)
    return x->risk > y->risk;
  if (x->kinds != y->kinds)
    return x->kinds > y->kinds;
  return x->seq < y->seq;
}

/* Offers an alert to the top table; copies its fields only when it gets in. */
static int top_offer(emb_report *r, const top_alert *cand,
                     char fields[N_FIELDS][EMB_REPORT_MAX_FIELD + 1]) {
  size_t n = r->n_top;
  if (n == EMB_REPORT_TOP_ALERTS && !ranks_above(cand, &r->top[n - 1]))
    return 0;
  size_t total = 0, len[N_FIELDS];
  for (int i = 0; i < N_FIELDS; i++) {
    len[i] = strlen(fields[i]);
    total += len[i] + 1;
  }
  char *blob = malloc(total);
  if (!blob)
    return EMB_ENOMEM;
  size_t pos = n;
  while (pos > 0 && ranks_above(cand, &r->top[pos - 1]))
    pos--;
  if (n == EMB_REPORT_TOP_ALERTS) {
    free(r->top[n - 1].blob);
    n--;
  }
  memmove(&r->top[pos + 1], &r->top[pos], (n - pos) * sizeof(r->top[0]));
  top_alert *t = &r->top[pos];
  *t = *cand;
  t->blob = blob;
  char *p = blob;
  for (int i = 0; i < N_FIELDS; i++) {
    memcpy(p, fields[i], len[i] + 1);
    t->f[i] = p;
    p += len[i] + 1;
  }
  r->n_top = n + 1;
  return 0;
}

/* The chapter of an HS code: its first two digits, or NO_CHAPTER. */
static int chapter_of(const char *hs) {
  if (hs && hs[0] >= '0' && hs[0] <= '9' && hs[1] >= '0' && hs[1] <= '9')
    return (hs[0] - '0') * 10 + (hs[1] - '0');
  return NO_CHAPTER;
}

int emb__report_add_record(emb_report *r, const emb_report_record *rec) {
  if (!r || !rec || (unsigned)rec->risk >= EMB_REPORT_RISKS)
    return EMB_EINVAL;
  emb_report_risk risk = rec->risk;
  unsigned reasons = rec->reasons & ((1u << EMB_REPORT_REASON_KINDS) - 1);
  double value = rec->value;
  if (!isfinite(value) || value < 0 || value > MAX_VALUE)
    value = NAN;
  uint64_t seq = r->records++;
  r->by_risk[risk]++;
  r->chapters[chapter_of(rec->hs_code)][risk]++;
  if (rec->sanctioned_destination)
    r->sanctioned++;

  char(*f)[EMB_REPORT_MAX_FIELD + 1] = r->f;
  char origin[EMB_REPORT_MAX_FIELD + 1];
  clean_field(rec->origin, origin);
  if (!origin[0])
    clean_field(rec->dispatch, origin);
  clean_field(rec->destination, f[F_DEST]);
  memcpy(f[F_ORIGIN], origin, sizeof(origin));
  clean_field(rec->currency, f[F_CUR]);
  int rc = 0;
  if (rec->sanctioned_destination) {
    rc = agg_add(r, &r->flows, origin, f[F_DEST], "", risk, reasons, value);
    if (!rc && !isnan(value))
      rc = agg_add(r, &r->flow_values, origin, f[F_DEST], f[F_CUR], risk, reasons, value);
    if (rc)
      return rc;
  }
  if (risk == EMB_REPORT_RISK_NONE)
    return 0;

  r->alerts++;
  for (int i = 0; i < EMB_REPORT_REASON_KINDS; i++)
    if (reasons & (1u << i))
      r->by_reason[i]++;
  clean_field(rec->counterparty, f[F_CP]);
  clean_field(rec->counterparty_id, f[F_CPID]);
  rc = agg_add(r, &r->routes, origin, f[F_DEST], "", risk, reasons, value);
  if (rc)
    return rc;
  /* A counterparty is keyed by ("L", id) when listed, else ("N", name); once added, its
   * display strings become (caption, id) or (name, ""), the caption as first seen. */
  bool listed = f[F_CPID][0] != '\0';
  agg_item *it;
  rc = agg_find(r, &r->cps, listed ? "L" : "N", listed ? f[F_CPID] : f[F_CP], "", &it);
  if (rc)
    return rc;
  if (it && it->count == 0) {
    it->a = listed ? emb__arena_strdup(&r->arena, f[F_CP]) : it->b;
    it->b = listed ? it->b : "";
    if (!it->a)
      return EMB_ENOMEM;
  }
  if (it)
    count_item(it, risk, reasons, value);

  top_alert cand = {.seq = seq,
                    .risk = risk,
                    .reasons = reasons,
                    .kinds = popcount4(reasons),
                    .sanctioned = rec->sanctioned_destination,
                    .value = value};
  if (r->n_top == EMB_REPORT_TOP_ALERTS && !ranks_above(&cand, &r->top[r->n_top - 1]))
    return 0;
  clean_field(rec->record_id, f[F_ID]);
  clean_field(rec->hs_code, f[F_HS]);
  clean_field(rec->date, f[F_DATE]);
  return top_offer(r, &cand, f);
}

/* ================================================================ read access */

void emb__report_totals(const emb_report *r, emb_report_totals *t) {
  memset(t, 0, sizeof(*t));
  if (!r)
    return;
  t->records = r->records;
  t->alerts = r->alerts;
  memcpy(t->by_risk, r->by_risk, sizeof(t->by_risk));
  memcpy(t->by_reason, r->by_reason, sizeof(t->by_reason));
  t->sanctioned = r->sanctioned;
  t->untracked_routes = r->routes.untracked;
  t->untracked_counterparties = r->cps.untracked;
  t->untracked_flows = r->flows.untracked + r->flow_values.untracked;
}

void emb__report_chapter(const emb_report *r, int ch, uint64_t out[EMB_REPORT_RISKS]) {
  for (int i = 0; i < EMB_REPORT_RISKS; i++)
    out[i] = (r && ch >= 0 && ch <= NO_CHAPTER) ? r->chapters[ch][i] : 0;
}

static int cmp_key(const agg_item *x, const agg_item *y) {
  int c = strcmp(x->a, y->a);
  if (!c)
    c = strcmp(x->b, y->b);
  if (!c)
    c = strcmp(x->c, y->c);
  return c;
}

static int cmp_by_count(const void *p, const void *q) {
  const agg_item *x = *(const agg_item *const *)p, *y = *(const agg_item *const *)q;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return cmp_key(x, y);
}

static int cmp_by_value(const void *p, const void *q) {
  const agg_item *x = *(const agg_item *const *)p, *y = *(const agg_item *const *)q;
  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return cmp_key(x, y);
}

long emb__report_top(const emb_report *r, emb_report_table t, emb_report_row *out, size_t max) {
  if (!r)
    return 0;
  const agg *g = t == EMB_REPORT_ROUTES           ? &r->routes
                 : t == EMB_REPORT_COUNTERPARTIES ? &r->cps
                 : t == EMB_REPORT_FLOWS_BY_COUNT ? &r->flows
                                                  : &r->flow_values;
  if (g->n == 0 || max == 0 || !out)
    return (long)g->n;
  const agg_item **v = malloc(g->n * sizeof(*v));
  if (!v)
    return EMB_ENOMEM;
  for (size_t i = 0; i < g->n; i++)
    v[i] = &g->items[i];
  qsort(v, g->n, sizeof(*v), t == EMB_REPORT_FLOWS_BY_VALUE ? cmp_by_value : cmp_by_count);
  for (size_t i = 0; i < g->n && i < max; i++) {
    emb_report_row *o = &out[i];
    o->a = v[i]->a;
    o->b = v[i]->b;
    o->c = v[i]->c;
    o->count = v[i]->count;
    memcpy(o->by_risk, v[i]->by_risk, sizeof(o->by_risk));
    o->n_value = v[i]->n_value;
    o->value = v[i]->value;
    o->reasons = v[i]->reasons;
  }
  free(v);
  return (long)g->n;
}

/* ================================================================ text output */

/* Decodes one UTF-8 character at s (n > 0 bytes left); *cp is U+FFFD when invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  uint32_t v, min;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2, v = c & 0x1f, min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3, v = c & 0x0f, min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4, v = c & 0x07, min = 0x10000;
  } else {
    *cp = 0xfffd;
    return 1;
  }
  if (n < len) {
    *cp = 0xfffd;
    return 1;
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) {
      *cp = 0xfffd;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3f);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
    *cp = 0xfffd;
    return 1;
  }
  *cp = v;
  return len;
}

/* Characters drawn twice as wide as Latin ones (CJK, Hangul, full-width forms). */
static int char_width(uint32_t cp) {
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))
    return 2;
  return 1;
}

/* Writes code point cp, escaped for XML text and attributes. */
static void put_cp(FILE *f, uint32_t cp) {
  switch (cp) {
  case '&': fputs("&amp;", f); return;
  case '<': fputs("&lt;", f); return;
  case '>': fputs("&gt;", f); return;
  case '"': fputs("&quot;", f); return;
  case '\'': fputs("&#39;", f); return;
  case '\t':
  case '\n':
  case '\r': fputc(' ', f); return;
  default: break;
  }
  if (cp < 0x20 || cp == 0xfffe || cp == 0xffff)
    cp = 0xfffd; /* not allowed in XML */
  char b[4];
  int n;
  if (cp < 0x80) {
    b[0] = (char)cp, n = 1;
  } else if (cp < 0x800) {
    b[0] = (char)(0xc0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
  } else if (cp < 0x10000) {
    b[0] = (char)(0xe0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
  } else {
    b[0] = (char)(0xf0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
  }
  fwrite(b, 1, (size_t)n, f);
}

/*
 * Writes untrusted text s escaped. When max_width > 0 and the text is wider (in Latin
 * character widths, CJK counting two), it is cut to fit with an ellipsis.
 */
static void put_text_w(FILE *f, const char *s, int max_width) {
  if (!s)
    return;
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  int limit = -1;
  if (max_width > 0) {
    int w = 0;
    for (size_t i = 0; i < n;) {
      uint32_t cp;
      i += utf8_next(p + i, n - i, &cp);
      w += char_width(cp);
    }
    if (w > max_width)
      limit = max_width - 1;
  }
  int w = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = utf8_next(p + i, n - i, &cp);
    if (limit >= 0 && w + char_width(cp) > limit) {
      fputs("\xe2\x80\xa6", f); /* ellipsis */
      return;
    }
    w += char_width(cp);
    put_cp(f, cp);
    i += k;
  }
}

static void put_text(FILE *f, const char *s) {
  put_text_w(f, s, 0);
}

/*
 * Copies src into dst (n bytes) cut to at most width Latin character widths, with an
 * ellipsis when cut; invalid UTF-8 becomes U+FFFD, so dst is always valid UTF-8.
 */
static void cut_text(char *dst, size_t n, const char *src, int width) {
  const unsigned char *p = (const unsigned char *)src;
  size_t len = strlen(src), o = 0, i = 0;
  int total = 0;
  for (size_t k = 0; k < len;) {
    uint32_t cp;
    k += utf8_next(p + k, len - k, &cp);
    total += char_width(cp);
  }
  int limit = total > width ? width - 1 : width, w = 0;
  while (i < len) {
    uint32_t cp;
    size_t k = utf8_next(p + i, len - i, &cp);
    if (w + char_width(cp) > limit)
      break;
    const char *bytes = cp == 0xfffd ? "\xef\xbf\xbd" : (const char *)p + i;
    size_t nb = cp == 0xfffd ? 3 : k;
    if (o + nb + 4 > n)
      break;
    memcpy(dst + o, bytes, nb);
    o += nb;
    w += char_width(cp);
    i += k;
  }
  if (i < len && o + 4 <= n) {
    memcpy(dst + o, "\xe2\x80\xa6", 3);
    o += 3;
  }
  dst[o] = '\0';
}

/* "1,234,567" */
static const char *fmt_u64(uint64_t v, char buf[32]) {
  char tmp[32];
  int n = 0;
  do {
    if (n && n % 4 == 3)
      tmp[n++] = ',';
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = 0; i < n; i++)
    buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return buf;
}

/* A money amount rounded to a whole unit, grouped: "1,234,568". */
static const char *fmt_money(double v, char buf[32]) {
  if (isnan(v) || v < 0)
    return strcpy(buf, "\xe2\x80\x94"); /* em dash */
  if (v >= 9e18)
    return strcpy(buf, "> 9,000,000,000,000,000,000");
  return fmt_u64((uint64_t)llround(v), buf);
}

/* x with two decimals ("12.50"), for SVG coordinates; |x| < 1e12. */
static const char *fmt_coord(double x, char buf[32]) {
  long long v = llround(x * 100);
  const char *sign = v < 0 ? "-" : "";
  if (v < 0)
    v = -v;
  snprintf(buf, 32, "%s%lld.%02lld", sign, v / 100, v % 100);
  return buf;
}

/* num/den as a percentage with one decimal ("12.3%"), "0.0%" when den is 0. */
static const char *fmt_pct(uint64_t num, uint64_t den, char buf[32]) {
  uint64_t tenths = den ? (num * 1000 + den / 2) / den : 0;
  snprintf(buf, 32, "%llu.%llu%%", (unsigned long long)(tenths / 10),
           (unsigned long long)(tenths % 10));
  return buf;
}

/* ================================================================ charts */

/* A value axis from 0 to max in nticks steps of m * 10^e (m in 1, 2, 5). */
typedef struct axis {
  double max;
  double step;
  int m, e;
  int nticks;
} axis;

static void axis_make(axis *ax, double maxv, bool integer) {
  if (!(maxv > 0))
    maxv = 1;
  if (maxv > 9e18)
    maxv = 9e18;
  double raw = maxv / 5;
  int e = 0;
  double p = 1;
  while (p * 10 <= raw && e < 18)
    p *= 10, e++;
  while (p > raw && e > -9 && !(integer && e == 0))
    p /= 10, e--;
  int m = 1;
  if (p * 1 < raw)
    m = 2;
  if (p * 2 < raw)
    m = 5;
  if (p * 5 < raw)
    m = 1, p *= 10, e++;
  ax->m = m;
  ax->e = e;
  ax->step = m * p;
  ax->nticks = (int)ceil(maxv / ax->step - 1e-9);
  if (ax->nticks < 1)
    ax->nticks = 1;
  ax->max = ax->nticks * ax->step;
}

/* Writes v as exactly `digits` decimal digits (zero-padded, 1..18), trailing zeros dropped. */
static void frac_digits(char *out, uint64_t v, int digits) {
  int n = digits < 1 ? 1 : digits > 18 ? 18 : digits;
  for (int k = n - 1; k >= 0; k--, v /= 10)
    out[k] = (char)('0' + v % 10);
  while (n > 1 && out[n - 1] == '0')
    n--;
  out[n] = '\0';
}

/* The label of tick i: "0", "250", "1.5M", "0.25" (buf holds 64 bytes). */
static const char *fmt_tick(const axis *ax, int i, char buf[64]) {
  char ip[32], fp[20];
  if (i == 0)
    return strcpy(buf, "0");
  if (ax->e < 0) {
    uint64_t num = (uint64_t)i * (uint64_t)ax->m, den = 1;
    for (int k = 0; k < -ax->e; k++)
      den *= 10;
    fmt_u64(num / den, ip);
    if (num % den == 0)
      return strcpy(buf, ip);
    frac_digits(fp, num % den, -ax->e);
    snprintf(buf, 64, "%s.%s", ip, fp);
    return buf;
  }
  uint64_t pe = 1;
  for (int k = 0; k < ax->e; k++)
    pe *= 10;
  uint64_t v = (uint64_t)i * (uint64_t)ax->m * pe;
  uint64_t unit = 1;
  int ue = 0;
  const char *suffix = "";
  if (ax->max >= 1e9)
    unit = 1000000000ull, ue = 9, suffix = "B";
  else if (ax->max >= 1e6)
    unit = 1000000ull, ue = 6, suffix = "M";
  else if (ax->max >= 1e4)
    unit = 1000ull, ue = 3, suffix = "k";
  fmt_u64(v / unit, ip);
  if (v % unit == 0) {
    snprintf(buf, 64, "%s%s", ip, suffix);
  } else { /* v is a multiple of 10^e, so ue - e decimals show it exactly */
    frac_digits(fp, (v % unit) / pe, ue - ax->e);
    snprintf(buf, 64, "%s.%s%s", ip, fp, suffix);
  }
  return buf;
}

/* One bar of a chart: up to three stacked segments (high, medium, low) or one. */
typedef struct chart_bar {
  char label[2 * EMB_REPORT_MAX_FIELD + 64]; /* raw text, cut to fit when drawn */
  char tip[4 * EMB_REPORT_MAX_FIELD + 160];  /* raw tooltip text */
  double seg[TOP_SEGS];
  char num[48]; /* the number written after the bar */
} chart_bar;

typedef struct chart_spec {
  const char *id;         /* unique within the document */
  const char *title;      /* raw */
  const char *axis_label; /* raw */
  int nseg;               /* 1, or 3 for a split by risk */
  const char *seg_class;  /* the class of a single segment */
  bool integer;           /* the axis counts whole things */
} chart_spec;

static const char *const risk_class[TOP_SEGS] = {"high", "medium", "low"};
static const char *const risk_title[TOP_SEGS] = {"High", "Medium", "Low"};

#define CH_W 900
#define CH_LABEL_X 330 /* right edge of the labels */
#define CH_PLOT_X 338  /* the axis origin */
#define CH_PLOT_W 460  /* the length of the axis */
#define CH_ROW 22
#define CH_BAR 14
#define CH_LABEL_CHARS 44 /* label width, in Latin characters */

static void chart(FILE *f, const chart_spec *cs, const chart_bar *bars, size_t n) {
  double maxv = 0;
  for (size_t i = 0; i < n; i++) {
    double t = 0;
    for (int s = 0; s < cs->nseg; s++)
      t += bars[i].seg[s];
    if (t > maxv)
      maxv = t;
  }
  axis ax;
  axis_make(&ax, maxv, cs->integer);
  int y0 = cs->nseg > 1 ? 34 : 12;
  int yaxis = y0 + (int)n * CH_ROW + 4;
  int height = yaxis + 42;
  char b1[32], b2[32], b3[32], b4[64];

  fprintf(f,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" "
          "width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"%s-t %s-d\" aria-label=\"",
          CH_W, height, CH_W, height, cs->id, cs->id);
  put_text(f, cs->title);
  fprintf(f, "\" data-axis-max=\"%s\">\n<title id=\"%s-t\">", fmt_coord(ax.max, b1), cs->id);
  put_text(f, cs->title);
  fprintf(f, "</title>\n<desc id=\"%s-d\">", cs->id);
  if (n == 0) {
    fputs("No data.", f);
  } else {
    fprintf(f, "Horizontal bar chart of %zu bars; ", n);
    for (size_t i = 0; i < n; i++) {
      put_text(f, bars[i].label);
      fputs(": ", f);
      put_text(f, bars[i].num);
      fputs(i + 1 < n ? "; " : ".", f);
    }
  }
  fputs("</desc>\n", f);

  if (cs->nseg > 1) { /* legend */
    int x = CH_PLOT_X;
    fputs("<g class=\"legend\">", f);
    for (int s = 0; s < cs->nseg; s++) {
      fprintf(f,
              "<rect class=\"%s\" x=\"%d\" y=\"8\" width=\"12\" height=\"12\"/>"
              "<text x=\"%d\" y=\"18\">%s</text>",
              risk_class[s], x, x + 17, risk_title[s]);
      x += 90;
    }
    fputs("</g>\n", f);
  }

  fputs("<g class=\"grid\">", f);
  for (int i = 0; i <= ax.nticks; i++) {
    double x = CH_PLOT_X + (double)CH_PLOT_W * i / ax.nticks;
    fprintf(f, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>", fmt_coord(x, b1), y0 - 4,
            fmt_coord(x, b2), yaxis);
  }
  fputs("</g>\n", f);

  for (size_t i = 0; i < n; i++) {
    const chart_bar *b = &bars[i];
    int y = y0 + (int)i * CH_ROW;
    fputs("<g class=\"bar\"><title>", f);
    put_text(f, b->tip);
    fprintf(f, "</title><text class=\"label\" x=\"%d\" y=\"%d\">", CH_LABEL_X, y + CH_BAR - 3);
    put_text_w(f, b->label, CH_LABEL_CHARS);
    fputs("</text>", f);
    double x = CH_PLOT_X;
    for (int s = 0; s < cs->nseg; s++) {
      if (!(b->seg[s] > 0))
        continue;
      double w = CH_PLOT_W * b->seg[s] / ax.max;
      if (w > CH_PLOT_W)
        w = CH_PLOT_W;
      fprintf(f,
              "<rect class=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\" "
              "data-value=\"%s\"/>",
              cs->nseg > 1 ? risk_class[s] : cs->seg_class, fmt_coord(x, b1), y, fmt_coord(w, b2),
              CH_BAR, fmt_coord(b->seg[s], b3));
      x += w;
    }
    fprintf(f, "<text class=\"num\" x=\"%s\" y=\"%d\">", fmt_coord(x + 5, b1), y + CH_BAR - 3);
    put_text(f, b->num);
    fputs("</text></g>\n", f);
  }

  fprintf(f, "<g class=\"axis\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", CH_PLOT_X, yaxis,
          CH_PLOT_X + CH_PLOT_W, yaxis);
  for (int i = 0; i <= ax.nticks; i++) {
    double x = CH_PLOT_X + (double)CH_PLOT_W * i / ax.nticks;
    fprintf(f, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/><text x=\"%s\" y=\"%d\">%s</text>",
            fmt_coord(x, b1), yaxis, fmt_coord(x, b2), yaxis + 4, fmt_coord(x, b3), yaxis + 16,
            fmt_tick(&ax, i, b4));
  }
  fprintf(f, "<text class=\"axis-label\" x=\"%d\" y=\"%d\">", CH_PLOT_X + CH_PLOT_W / 2,
          yaxis + 34);
  put_text(f, cs->axis_label);
  fputs("</text></g>\n</svg>\n", f);
}

/* ================================================================ page parts */

/* Short names for countries whose ISO name is long or formal. */
static const char *const short_names[][2] = {
    {"BO", "Bolivia"},        {"CD", "DR Congo"}, {"FM", "Micronesia"},
    {"GB", "United Kingdom"}, {"IR", "Iran"},     {"KP", "North Korea"},
    {"KR", "South Korea"},    {"LA", "Laos"},     {"MD", "Moldova"},
    {"PS", "Palestine"},      {"RU", "Russia"},   {"SY", "Syria"},
    {"TW", "Taiwan"},         {"TZ", "Tanzania"}, {"US", "United States"},
    {"VE", "Venezuela"},      {"VN", "Vietnam"},  {"BQ", "Caribbean Netherlands"},
    {"VA", "Vatican"},
};

/* The name of a country or region code ("Russia", "Crimea"), the text itself when it is
 * not a code, "unknown" when empty. */
static const char *place_name(const char *code) {
  if (!code || !*code)
    return "unknown";
  for (size_t i = 0; i < sizeof(short_names) / sizeof(short_names[0]); i++)
    if (strcmp(code, short_names[i][0]) == 0)
      return short_names[i][1];
  const char *n = emb_country_name(code);
  return n ? n : code;
}

/* "China \u2192 Russia" into buf. */
static void route_label(const char *a, const char *b, char *buf, size_t n) {
  snprintf(buf, n, "%s \xe2\x86\x92 %s", place_name(a), place_name(b));
}

/* "China (CN) \u2192 Crimea (UA-43)" for tables. */
static void put_place(FILE *f, const char *code) {
  put_text(f, place_name(code));
  if (code && *code && strcmp(place_name(code), code) != 0) {
    fputs(" <span class=\"code\">", f);
    put_text(f, code);
    fputs("</span>", f);
  }
}

static const char *const reason_names[EMB_REPORT_REASON_KINDS] = {"Party", "Goods", "Route",
                                                                  "Red flag"};
static const char *const reason_class[EMB_REPORT_REASON_KINDS] = {"party", "goods", "route",
                                                                  "flag"};

static void put_reasons(FILE *f, unsigned m) {
  bool any = false;
  for (int i = 0; i < EMB_REPORT_REASON_KINDS; i++)
    if (m & (1u << i)) {
      fprintf(f, "<span class=\"tag %s\">%s</span>", reason_class[i], reason_names[i]);
      any = true;
    }
  if (!any)
    fputs("\xe2\x80\x94", f);
}

static const char *risk_name(emb_report_risk r) {
  switch (r) {
  case EMB_REPORT_RISK_HIGH: return "High";
  case EMB_REPORT_RISK_MEDIUM: return "Medium";
  case EMB_REPORT_RISK_LOW: return "Low";
  default: return "None";
  }
}

/* Fills the three risk segments of a bar from by_risk and its tooltip breakdown. */
static void bar_split(chart_bar *b, const uint64_t by_risk[EMB_REPORT_RISKS], const char *what) {
  char c0[32], c1[32], c2[32], c3[32];
  uint64_t total = by_risk[1] + by_risk[2] + by_risk[3];
  b->seg[0] = (double)by_risk[EMB_REPORT_RISK_HIGH];
  b->seg[1] = (double)by_risk[EMB_REPORT_RISK_MEDIUM];
  b->seg[2] = (double)by_risk[EMB_REPORT_RISK_LOW];
  fmt_u64(total, b->num);
  snprintf(b->tip, sizeof(b->tip), "%s: %s alerts (%s high, %s medium, %s low)", what,
           fmt_u64(total, c0), fmt_u64(by_risk[EMB_REPORT_RISK_HIGH], c1),
           fmt_u64(by_risk[EMB_REPORT_RISK_MEDIUM], c2), fmt_u64(by_risk[EMB_REPORT_RISK_LOW], c3));
}

static void put_risk_cells(FILE *f, const uint64_t by_risk[EMB_REPORT_RISKS]) {
  char b[32];
  uint64_t total = by_risk[1] + by_risk[2] + by_risk[3];
  fprintf(f, "<td class=\"n\"><b>%s</b></td>", fmt_u64(total, b));
  fprintf(f, "<td class=\"n\">%s</td>", fmt_u64(by_risk[EMB_REPORT_RISK_HIGH], b));
  fprintf(f, "<td class=\"n\">%s</td>", fmt_u64(by_risk[EMB_REPORT_RISK_MEDIUM], b));
  fprintf(f, "<td class=\"n\">%s</td>", fmt_u64(by_risk[EMB_REPORT_RISK_LOW], b));
}

static const char css[] =
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0;background:#f3f4f6;color:#1f2937;font:14px/1.45 \"Helvetica Neue\",Helvetica,"
    "Arial,\"Liberation Sans\",\"DejaVu Sans\",\"Noto Sans\",\"Noto Sans CJK SC\",sans-serif}\n"
    ".page{max-width:1000px;margin:0 auto;background:#fff;padding:0 40px 32px}\n"
    "header.doc{border-bottom:3px solid #1e3a5f;padding:28px 0 14px;margin-bottom:8px}\n"
    "header.doc .kicker{text-transform:uppercase;letter-spacing:.12em;font-size:11px;"
    "color:#6b7280;margin:0}\n"
    "h1{font-size:26px;margin:4px 0 6px;color:#1e3a5f}\n"
    "header.doc dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 "
    "0;font-size:13px}\n"
    "dt{color:#6b7280}dd{margin:0;word-break:break-all}\n"
    "section{padding:18px 0 8px;border-bottom:1px solid #e5e7eb}\n"
    "h2{font-size:18px;color:#1e3a5f;margin:0 0 4px}\n"
    "h3{font-size:14px;margin:16px 0 4px;color:#374151}\n"
    "p.note{color:#4b5563;font-size:12.5px;margin:2px 0 10px}\n"
    ".cards{display:grid;grid-template-columns:repeat(6,1fr);gap:10px;margin:12px 0}\n"
    ".card{border:1px solid #e5e7eb;border-top:4px solid #1e3a5f;border-radius:4px;padding:8px "
    "10px}\n"
    ".card .v{font-size:22px;font-weight:700;display:block}\n"
    ".card .k{font-size:11px;color:#6b7280;text-transform:uppercase;letter-spacing:.04em;"
    "display:block;min-height:2.6em}\n"
    ".card .s{font-size:11.5px;color:#6b7280;display:block}\n"
    "table.kv th{width:18em;white-space:nowrap;font-weight:600;background:none;color:#374151}\n"
    ".card.high{border-top-color:#b91c1c}.card.medium{border-top-color:#ea580c}"
    ".card.low{border-top-color:#d4a106}.card.sanct{border-top-color:#7f1d1d}\n"
    "table{border-collapse:collapse;width:100%;font-size:12.5px;margin:6px 0 12px}\n"
    "th,td{padding:4px 7px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}\n"
    "thead th{background:#eef2f7;color:#1e3a5f;font-weight:600;border-bottom:2px solid #c7d2e0}\n"
    "tbody tr:nth-child(even){background:#fafbfc}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    ".code,.mono{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:11.5px;"
    "color:#4b5563}\n"
    ".hash{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:10.5px;"
    "word-break:break-all;color:#4b5563}\n"
    ".tag{display:inline-block;padding:0 6px;margin:0 3px 2px 0;border-radius:3px;font-size:11px;"
    "border:1px solid #cbd5e1;background:#f8fafc;white-space:nowrap}\n"
    ".tag.party{border-color:#6366f1;color:#3730a3}.tag.goods{border-color:#0d9488;"
    "color:#115e59}.tag.route{border-color:#b45309;color:#92400e}.tag.flag{border-color:#be185d;"
    "color:#9d174d}\n"
    ".risk{display:inline-block;min-width:58px;text-align:center;padding:0 6px;border-radius:3px;"
    "font-size:11px;font-weight:700;color:#fff}\n"
    ".risk.high{background:#b91c1c}.risk.medium{background:#ea580c}.risk.low{background:#d4a106;"
    "color:#1f2937}\n"
    "svg.chart{display:block;width:100%;max-width:900px;height:auto;margin:8px 0 4px}\n"
    "svg.chart text{font-size:12px;fill:#1f2937}\n"
    "svg.chart text.label{text-anchor:end}\n"
    "svg.chart text.num{font-size:11.5px;fill:#374151}\n"
    "svg.chart .axis text{text-anchor:middle;font-size:11px;fill:#4b5563}\n"
    "svg.chart .axis text.axis-label{font-size:11.5px;fill:#374151}\n"
    "svg.chart .axis line{stroke:#6b7280;stroke-width:1}\n"
    "svg.chart .grid line{stroke:#e5e7eb;stroke-width:1}\n"
    "rect.high{fill:#b91c1c}rect.medium{fill:#ea580c}rect.low{fill:#eab308}"
    "rect.primary{fill:#1e3a5f}rect.sanct{fill:#7f1d1d}rect.value{fill:#0f766e}\n"
    "table.alerts td.nw,table.alerts td.rs{white-space:nowrap}table.alerts "
    ".tag{font-size:10.5px;padding:0 4px}\n"
    ".empty{color:#6b7280;font-style:italic}\n"
    ".warn{border-left:4px solid #d97706;background:#fffbeb;padding:6px 10px;font-size:12.5px}\n"
    "footer{color:#6b7280;font-size:11.5px;padding-top:14px}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{body{background:#fff;font-size:10pt}.page{max-width:none;padding:0}"
    "section{break-inside:auto}svg.chart,h2,h3{break-inside:avoid;break-after:avoid}"
    "tr{break-inside:avoid}thead{display:table-header-group}"
    ".cards{grid-template-columns:repeat(6,1fr)}}\n"
    "@media (max-width:760px){.cards{grid-template-columns:repeat(2,1fr)}}\n";

static void put_card(FILE *f, const char *cls, const char *key, const char *value,
                     const char *sub) {
  fprintf(f, "<div class=\"card %s\"><span class=\"k\">%s</span><span class=\"v\">%s</span>", cls,
          key, value);
  if (sub)
    fprintf(f, "<span class=\"s\">%s</span>", sub);
  fputs("</div>\n", f);
}

static void put_duration(FILE *f, double s) {
  char b[32];
  if (!(s >= 0) || s > 1e9) {
    fputs("\xe2\x80\x94", f);
    return;
  }
  fprintf(f, "%s s", fmt_coord(s, b));
}

static void section_summary(FILE *f, const emb_report *r, const emb_report_meta *m) {
  char a[32], c[32];
  fputs("<section id=\"summary\">\n<h2>1. Summary</h2>\n", f);
  fputs("<p class=\"note\">Every record screened counts once. An alert is a record with at "
        "least one reason; its risk is the highest the screening gave it.</p>\n",
        f);
  fputs("<div class=\"cards\">\n", f);
  put_card(f, "", "Records screened", fmt_u64(r->records, a), NULL);
  fmt_pct(r->alerts, r->records, c);
  char sub[48];
  snprintf(sub, sizeof(sub), "%s of records", c);
  put_card(f, "", "Alerts", fmt_u64(r->alerts, a), sub);
  put_card(f, "high", "High risk", fmt_u64(r->by_risk[EMB_REPORT_RISK_HIGH], a), NULL);
  put_card(f, "medium", "Medium risk", fmt_u64(r->by_risk[EMB_REPORT_RISK_MEDIUM], a), NULL);
  put_card(f, "low", "Low risk", fmt_u64(r->by_risk[EMB_REPORT_RISK_LOW], a), NULL);
  put_card(f, "sanct", "To sanctioned destinations", fmt_u64(r->sanctioned, a), "records");
  fputs("</div>\n", f);

  fputs("<h3>Alerts by reason kind</h3>\n<p class=\"note\">An alert with several kinds of "
        "reasons counts under each, so the bars may add up to more than the alerts.</p>\n",
        f);
  chart_bar bars[EMB_REPORT_REASON_KINDS];
  memset(bars, 0, sizeof(bars));
  static const char *const long_names[EMB_REPORT_REASON_KINDS] = {
      "Party matched a listed entity", "Controlled goods", "Route rule", "Red flag"};
  for (int i = 0; i < EMB_REPORT_REASON_KINDS; i++) {
    snprintf(bars[i].label, sizeof(bars[i].label), "%s", long_names[i]);
    bars[i].seg[0] = (double)r->by_reason[i];
    fmt_u64(r->by_reason[i], c);
    snprintf(bars[i].num, sizeof(bars[i].num), "%s", c);
    snprintf(bars[i].tip, sizeof(bars[i].tip), "%s: %s alerts (%s of alerts)", long_names[i], c,
             fmt_pct(r->by_reason[i], r->alerts, a));
  }
  chart_spec cs = {"reasons", "Alerts by reason kind", "Alerts", 1, "primary", true};
  chart(f, &cs, bars, EMB_REPORT_REASON_KINDS);

  fputs("<h3>Run</h3>\n<table class=\"kv\"><tbody>\n", f);
  fputs("<tr><th>Input</th><td>", f);
  put_text(f, m && m->input ? m->input : "\xe2\x80\x94");
  fputs("</td></tr>\n", f);
  if (m) {
    fprintf(f, "<tr><th>Records read</th><td>%s</td></tr>\n", fmt_u64(m->records_read, a));
    fprintf(f, "<tr><th>Records skipped as malformed</th><td>%s</td></tr>\n",
            fmt_u64(m->records_skipped, a));
    fprintf(f, "<tr><th>Alerts written</th><td>%s</td></tr>\n", fmt_u64(m->records_alerted, a));
    fputs("<tr><th>Loading lists and rules</th><td>", f);
    put_duration(f, m->seconds_load);
    fputs("</td></tr>\n<tr><th>Screening</th><td>", f);
    put_duration(f, m->seconds_screen);
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table>\n", f);

  fputs("<h3>Lists screened against</h3>\n", f);
  if (!m || m->n_lists == 0 || !m->lists) {
    fputs("<p class=\"empty\">No list was named.</p>\n", f);
  } else {
    fputs("<table><thead><tr><th>List</th><th class=\"n\">Entities</th><th>Published</th>"
          "<th>SHA-256</th></tr></thead><tbody>\n",
          f);
    for (size_t i = 0; i < m->n_lists; i++) {
      const emb_report_list *l = &m->lists[i];
      fputs("<tr><td>", f);
      put_text(f, l->name ? l->name : "\xe2\x80\x94");
      fprintf(f, "</td><td class=\"n\">%s</td><td>",
              l->entities ? fmt_u64(l->entities, a) : "\xe2\x80\x94");
      put_text(f, l->published && *l->published ? l->published : "\xe2\x80\x94");
      fputs("</td><td class=\"hash\">", f);
      put_text(f, l->sha256 && *l->sha256 ? l->sha256 : "\xe2\x80\x94");
      fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
  }
  for (int k = 0; k < 2 && m; k++) {
    const char *const *files = k ? m->rules : m->controls;
    size_t nf = k ? m->n_rules : m->n_controls;
    fprintf(f, "<h3>%s</h3>\n", k ? "Route and red-flag rules" : "Goods control lists");
    if (!files || nf == 0) {
      fputs("<p class=\"empty\">The bundled defaults.</p>\n", f);
      continue;
    }
    fputs("<ul>", f);
    for (size_t i = 0; i < nf; i++) {
      fputs("<li class=\"mono\">", f);
      put_text(f, files[i]);
      fputs("</li>", f);
    }
    fputs("</ul>\n", f);
  }
  fputs("</section>\n", f);
}

static int cmp_chapter(const void *p, const void *q, const uint64_t (*ch)[EMB_REPORT_RISKS]) {
  int x = *(const int *)p, y = *(const int *)q;
  uint64_t ax = ch[x][1] + ch[x][2] + ch[x][3], ay = ch[y][1] + ch[y][2] + ch[y][3];
  if (ax != ay)
    return ax > ay ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Sorts chapter numbers by alerts (descending), then number; insertion sort of <= 101. */
static void sort_chapters(int *idx, int n, const uint64_t (*ch)[EMB_REPORT_RISKS]) {
  for (int i = 1; i < n; i++) {
    int v = idx[i], j = i;
    while (j > 0 && cmp_chapter(&v, &idx[j - 1], ch) < 0) {
      idx[j] = idx[j - 1];
      j--;
    }
    idx[j] = v;
  }
}

static void chapter_label(int c, char *buf, size_t n, bool full) {
  if (c == NO_CHAPTER) {
    snprintf(buf, n, "No usable HS code");
    return;
  }
  const char *name = emb__hs_chapter_names[c].name;
  if (full)
    snprintf(buf, n, "%s", name ? name : "(not an HS-2022 chapter)");
  else
    snprintf(buf, n, "%02d %s", c, name ? name : "(not an HS-2022 chapter)");
}

/* Closes a section that has nothing to show with `msg`. */
static void section_empty(FILE *f, const char *msg) {
  fprintf(f, "<p class=\"empty\">%s</p>\n</section>\n", msg);
}

/* The chart of the top n of `total` alert bars split by risk, titled "Alerts by <what>". */
static void risk_chart(FILE *f, const char *id, const char *what, const chart_bar *bars, size_t n,
                       long total) {
  char title[96];
  snprintf(title, sizeof(title), "Alerts by %s (top %zu of %ld)", what, n, total);
  chart_spec cs = {id, title, "Alerts", 3, NULL, true};
  chart(f, &cs, bars, n);
}

/* Starts the table row of rank i (0-based) of a flow from a to b: the rank, origin and
 * destination cells, the last one left open. */
static void put_route_row(FILE *f, size_t i, const char *a, const char *b) {
  fprintf(f, "<tr><td class=\"n\">%zu</td><td>", i + 1);
  put_place(f, a);
  fputs("</td><td>", f);
  put_place(f, b);
}

/* The top rows of table t into rows[0..max); *n is how many there are (at most max).
 * Returns the number of rows the table has, or a negative EMB_E... code. */
static long top_rows(const emb_report *r, emb_report_table t, emb_report_row *rows, size_t max,
                     size_t *n) {
  long total = emb__report_top(r, t, rows, max);
  *n = total < 0 ? 0 : (size_t)total < max ? (size_t)total : max;
  return total;
}

static int section_chapters(FILE *f, const emb_report *r) {
  char a[32], b[32];
  int idx[NO_CHAPTER + 1], n = 0;
  for (int c = 0; c <= NO_CHAPTER; c++)
    if (r->chapters[c][1] + r->chapters[c][2] + r->chapters[c][3])
      idx[n++] = c;
  sort_chapters(idx, n, r->chapters);
  fputs("<section id=\"chapters\">\n<h2>2. Alerts by HS chapter</h2>\n", f);
  fputs("<p class=\"note\">Alerted records by the first two digits of their HS code, split by "
        "risk. Chapter names are the HS-2022 nomenclature's.</p>\n",
        f);
  if (n == 0) {
    section_empty(f, "No alerts.");
    return 0;
  }
  int nb = n < EMB_REPORT_TOP_CHAPTERS ? n : EMB_REPORT_TOP_CHAPTERS;
  chart_bar *bars = calloc((size_t)nb, sizeof(*bars));
  if (!bars)
    return EMB_ENOMEM;
  for (int i = 0; i < nb; i++) {
    chapter_label(idx[i], bars[i].label, sizeof(bars[i].label), false);
    bar_split(&bars[i], r->chapters[idx[i]], bars[i].label);
  }
  risk_chart(f, "chapters", "HS chapter", bars, (size_t)nb, n);
  free(bars);
  fputs("<table><thead><tr><th>Chapter</th><th>Description</th><th>Section</th>"
        "<th class=\"n\">Records</th><th class=\"n\">Alerts</th><th class=\"n\">High</th>"
        "<th class=\"n\">Medium</th><th class=\"n\">Low</th><th class=\"n\">Alert rate</th>"
        "</tr></thead><tbody>\n",
        f);
  for (int i = 0; i < n; i++) {
    int c = idx[i];
    const uint64_t *k = r->chapters[c];
    uint64_t rec = k[0] + k[1] + k[2] + k[3], al = k[1] + k[2] + k[3];
    char label[160];
    chapter_label(c, label, sizeof(label), true);
    if (c == NO_CHAPTER)
      fputs("<tr><td>\xe2\x80\x94</td><td>", f);
    else
      fprintf(f, "<tr><td class=\"mono\">%02d</td><td>", c);
    put_text(f, label);
    fputs("</td><td>", f);
    put_text(f, c < NO_CHAPTER && emb__hs_chapter_names[c].section
                    ? emb__hs_chapter_names[c].section
                    : "");
    fprintf(f, "</td><td class=\"n\">%s</td>", fmt_u64(rec, a));
    put_risk_cells(f, k);
    fprintf(f, "<td class=\"n\">%s</td></tr>\n", fmt_pct(al, rec, b));
  }
  fputs("</tbody></table>\n</section>\n", f);
  return 0;
}

static void note_untracked(FILE *f, uint64_t n, const char *what) {
  char a[32];
  if (!n)
    return;
  fprintf(f,
          "<p class=\"warn\">%s records are not broken down here: they arrived after the "
          "report already tracked its maximum number of distinct %s.</p>\n",
          fmt_u64(n, a), what);
}

static int section_routes(FILE *f, const emb_report *r) {
  emb_report_row rows[EMB_REPORT_TOP_ROUTES];
  size_t n;
  long total = top_rows(r, EMB_REPORT_ROUTES, rows, EMB_REPORT_TOP_ROUTES, &n);
  if (total < 0)
    return (int)total;
  fputs("<section id=\"routes\">\n<h2>3. Alerts by route</h2>\n", f);
  fputs("<p class=\"note\">Alerted records by country of origin (the dispatch country when the "
        "origin is unknown) and country or region of destination, split by risk.</p>\n",
        f);
  note_untracked(f, r->routes.untracked, "routes");
  if (n == 0) {
    section_empty(f, "No alerts.");
    return 0;
  }
  chart_bar bars[EMB_REPORT_TOP_ROUTES];
  memset(bars, 0, sizeof(bars));
  for (size_t i = 0; i < n; i++) {
    route_label(rows[i].a, rows[i].b, bars[i].label, sizeof(bars[i].label));
    bar_split(&bars[i], rows[i].by_risk, bars[i].label);
  }
  risk_chart(f, "routes", "route", bars, n, total);
  fputs("<table><thead><tr><th>#</th><th>Origin</th><th>Destination</th>"
        "<th class=\"n\">Alerts</th><th class=\"n\">High</th><th class=\"n\">Medium</th>"
        "<th class=\"n\">Low</th></tr></thead><tbody>\n",
        f);
  for (size_t i = 0; i < n; i++) {
    put_route_row(f, i, rows[i].a, rows[i].b);
    fputs("</td>", f);
    put_risk_cells(f, rows[i].by_risk);
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n</section>\n", f);
  return 0;
}

static int section_counterparties(FILE *f, const emb_report *r) {
  emb_report_row rows[EMB_REPORT_TOP_COUNTERPARTIES];
  size_t n;
  long total = top_rows(r, EMB_REPORT_COUNTERPARTIES, rows, EMB_REPORT_TOP_COUNTERPARTIES, &n);
  if (total < 0)
    return (int)total;
  fputs("<section id=\"counterparties\">\n<h2>4. Alerts by counterparty</h2>\n", f);
  fputs("<p class=\"note\">The counterparty of an alert is the listed entity a party matched "
        "(counted by its list id), or else the consignee named in the record (counted by "
        "name); \xe2\x80\x9c(listed)\xe2\x80\x9d marks a listed entity.</p>\n",
        f);
  note_untracked(f, r->cps.untracked, "counterparties");
  if (n == 0) {
    section_empty(f, "No alerts.");
    return 0;
  }
  chart_bar *bars = calloc(n, sizeof(*bars));
  if (!bars)
    return EMB_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    char name[sizeof(bars[0].label) - 16], what[sizeof(bars[0].label)];
    const char *listed = rows[i].b[0] ? " (listed)" : "";
    cut_text(name, sizeof(name), rows[i].a[0] ? rows[i].a : "(no name)",
             CH_LABEL_CHARS - (int)strlen(listed));
    snprintf(bars[i].label, sizeof(bars[i].label), "%s%s", name, listed);
    snprintf(what, sizeof(what), "%s%s%s", rows[i].a, rows[i].b[0] ? ", listed as " : "",
             rows[i].b);
    bar_split(&bars[i], rows[i].by_risk, what);
  }
  risk_chart(f, "counterparties", "counterparty", bars, n, total);
  free(bars);
  fputs("<table><thead><tr><th>#</th><th>Counterparty</th><th>List id</th>"
        "<th>Reason kinds</th><th class=\"n\">Alerts</th><th class=\"n\">High</th>"
        "<th class=\"n\">Medium</th><th class=\"n\">Low</th></tr></thead><tbody>\n",
        f);
  for (size_t i = 0; i < n; i++) {
    fprintf(f, "<tr><td class=\"n\">%zu</td><td>", i + 1);
    put_text(f, rows[i].a[0] ? rows[i].a : "(no name)");
    fputs("</td><td class=\"mono\">", f);
    put_text(f, rows[i].b[0] ? rows[i].b : "not listed");
    fputs("</td><td>", f);
    put_reasons(f, rows[i].reasons);
    fputs("</td>", f);
    put_risk_cells(f, rows[i].by_risk);
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n</section>\n", f);
  return 0;
}

static int section_sanctioned(FILE *f, const emb_report *r) {
  char a[32], b[32];
  emb_report_row rows[EMB_REPORT_TOP_FLOWS];
  fputs("<section id=\"sanctioned\">\n<h2>5. Top flows to sanctioned destinations</h2>\n", f);
  fputs("<p class=\"note\">All records whose destination is under embargo, alerted or not, by "
        "origin and destination. Values are declared values summed per currency; records "
        "without a usable value count in the first ranking only.</p>\n",
        f);
  note_untracked(f, r->flows.untracked + r->flow_values.untracked, "flows");
  size_t n;
  long total = top_rows(r, EMB_REPORT_FLOWS_BY_COUNT, rows, EMB_REPORT_TOP_FLOWS, &n);
  if (total < 0)
    return (int)total;
  if (n == 0) {
    section_empty(f, "No record went to a sanctioned destination.");
    return 0;
  }
  chart_bar bars[EMB_REPORT_TOP_FLOWS];
  memset(bars, 0, sizeof(bars));
  fputs("<h3>By number of records</h3>\n", f);
  for (size_t i = 0; i < n; i++) {
    char label[sizeof(bars[0].label)];
    route_label(rows[i].a, rows[i].b, label, sizeof(label));
    memcpy(bars[i].label, label, sizeof(label));
    bars[i].seg[0] = (double)rows[i].count;
    fmt_u64(rows[i].count, a);
    memcpy(bars[i].num, a, sizeof(a));
    snprintf(bars[i].tip, sizeof(bars[i].tip), "%s: %s records", label, a);
  }
  char title[128];
  snprintf(title, sizeof(title), "Flows to sanctioned destinations by records (top %zu of %ld)", n,
           total);
  chart_spec cs = {"flows-count", title, "Records", 1, "sanct", true};
  chart(f, &cs, bars, n);
  fputs("<table><thead><tr><th>#</th><th>Origin</th><th>Destination</th>"
        "<th class=\"n\">Records</th><th class=\"n\">Alerts</th><th class=\"n\">High</th>"
        "<th class=\"n\">With value</th></tr></thead><tbody>\n",
        f);
  for (size_t i = 0; i < n; i++) {
    put_route_row(f, i, rows[i].a, rows[i].b);
    uint64_t al = rows[i].by_risk[1] + rows[i].by_risk[2] + rows[i].by_risk[3];
    fprintf(f, "</td><td class=\"n\"><b>%s</b></td><td class=\"n\">%s</td>",
            fmt_u64(rows[i].count, a), fmt_u64(al, b));
    fprintf(f, "<td class=\"n\">%s</td>", fmt_u64(rows[i].by_risk[EMB_REPORT_RISK_HIGH], a));
    fprintf(f, "<td class=\"n\">%s</td></tr>\n", fmt_u64(rows[i].n_value, a));
  }
  fputs("</tbody></table>\n", f);

  fputs("<h3>By declared value</h3>\n", f);
  total = emb__report_top(r, EMB_REPORT_FLOWS_BY_VALUE, NULL, 0);
  emb_report_row *all = total > 0 ? malloc((size_t)total * sizeof(*all)) : NULL;
  if (total > 0 && all)
    total = emb__report_top(r, EMB_REPORT_FLOWS_BY_VALUE, all, (size_t)total);
  if (total > 0 && !all)
    total = EMB_ENOMEM;
  if (total < 0) {
    free(all);
    return (int)total;
  }
  if (total == 0) {
    section_empty(f, "No record to a sanctioned destination declared a value.");
    return 0;
  }
  n = (size_t)total < EMB_REPORT_TOP_FLOWS ? (size_t)total : EMB_REPORT_TOP_FLOWS;
  /* The chart shows one currency, the one of the top-ranked flow, ranked over all its flows.
   * Amounts in other currencies are not converted; they appear in the table only. */
  const char *cur = all[0].c;
  size_t nb = 0;
  memset(bars, 0, sizeof(bars));
  for (size_t i = 0; i < (size_t)total && nb < EMB_REPORT_TOP_FLOWS; i++) {
    if (strcmp(all[i].c, cur) != 0)
      continue;
    char label[sizeof(bars[0].label)];
    route_label(all[i].a, all[i].b, label, sizeof(label));
    memcpy(bars[nb].label, label, sizeof(label));
    bars[nb].seg[0] = all[i].value;
    fmt_money(all[i].value, b);
    memcpy(bars[nb].num, b, sizeof(b));
    snprintf(bars[nb].tip, sizeof(bars[nb].tip), "%s: %s %s in %s records", label, b,
             cur[0] ? cur : "(no currency)", fmt_u64(all[i].n_value, a));
    nb++;
  }
  snprintf(title, sizeof(title), "Flows to sanctioned destinations by declared value in %s",
           cur[0] ? cur : "(no currency given)");
  char axis_label[64];
  snprintf(axis_label, sizeof(axis_label), "Declared value (%s)", cur[0] ? cur : "no currency");
  chart_spec cv = {"flows-value", title, axis_label, 1, "value", false};
  chart(f, &cv, bars, nb);
  fputs("<p class=\"note\">The chart shows amounts declared in ", f);
  put_text(f, cur[0] ? cur : "no currency");
  fputs(", the currency of the largest flow; the table ranks every currency.</p>\n", f);
  memcpy(rows, all, n * sizeof(*rows));
  free(all);
  fputs("<table><thead><tr><th>#</th><th>Origin</th><th>Destination</th><th>Currency</th>"
        "<th class=\"n\">Declared value</th><th class=\"n\">Records</th><th class=\"n\">Alerts"
        "</th></tr></thead><tbody>\n",
        f);
  for (size_t i = 0; i < n; i++) {
    put_route_row(f, i, rows[i].a, rows[i].b);
    fputs("</td><td class=\"mono\">", f);
    put_text(f, rows[i].c[0] ? rows[i].c : "\xe2\x80\x94");
    uint64_t al = rows[i].by_risk[1] + rows[i].by_risk[2] + rows[i].by_risk[3];
    fprintf(f, "</td><td class=\"n\"><b>%s</b></td><td class=\"n\">%s</td>",
            fmt_money(rows[i].value, a), fmt_u64(rows[i].count, b));
    fprintf(f, "<td class=\"n\">%s</td></tr>\n", fmt_u64(al, a));
  }
  fputs("</tbody></table>\n</section>\n", f);
  return 0;
}

static void section_alerts(FILE *f, const emb_report *r) {
  char a[32];
  fputs("<section id=\"alerts\">\n<h2>6. Highest-risk alerts</h2>\n", f);
  fprintf(f,
          "<p class=\"note\">The %d alerts of highest risk; among equal risk, those with more "
          "kinds of reasons first, then in input order. The full reasons are in the screening "
          "output, under the same record id.</p>\n",
          EMB_REPORT_TOP_ALERTS);
  if (r->n_top == 0) {
    section_empty(f, "No alerts.");
    return;
  }
  fputs("<table class=\"alerts\"><thead><tr><th>#</th><th>Record</th><th>Risk</th>"
        "<th>Reasons</th><th>HS</th><th>Route</th><th>Counterparty</th>"
        "<th class=\"n\">Value</th><th>Date</th></tr></thead><tbody>\n",
        f);
  for (size_t i = 0; i < r->n_top; i++) {
    const top_alert *t = &r->top[i];
    fprintf(f, "<tr><td class=\"n\">%zu</td><td class=\"mono nw\">", i + 1);
    put_text(f, t->f[F_ID][0] ? t->f[F_ID] : "\xe2\x80\x94");
    fprintf(f, "</td><td><span class=\"risk %s\">%s</span></td><td class=\"rs\">",
            risk_class[EMB_REPORT_RISK_HIGH - t->risk], risk_name(t->risk));
    put_reasons(f, t->reasons);
    fputs("</td><td class=\"mono\">", f);
    put_text(f, t->f[F_HS][0] ? t->f[F_HS] : "\xe2\x80\x94");
    fputs("</td><td class=\"nw\">", f);
    put_text(f, t->f[F_ORIGIN][0] ? t->f[F_ORIGIN] : "?");
    fputs(" \xe2\x86\x92 ", f);
    put_text(f, t->f[F_DEST][0] ? t->f[F_DEST] : "?");
    if (t->sanctioned)
      fputs("<br/><span class=\"tag route\">embargoed</span>", f);
    fputs("</td><td>", f);
    put_text(f, t->f[F_CP][0] ? t->f[F_CP] : "\xe2\x80\x94");
    if (t->f[F_CPID][0]) {
      fputs("<br/><span class=\"code\">", f);
      put_text(f, t->f[F_CPID]);
      fputs("</span>", f);
    }
    fprintf(f, "</td><td class=\"n\">%s", fmt_money(t->value, a));
    if (!isnan(t->value) && t->f[F_CUR][0]) {
      fputs(" <span class=\"code\">", f);
      put_text(f, t->f[F_CUR]);
      fputs("</span>", f);
    }
    fputs("</td><td class=\"mono nw\">", f);
    put_text(f, t->f[F_DATE]);
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table>\n</section>\n", f);
}

static void section_notes(FILE *f, const emb_report *r) {
  char a[32];
  fputs("<section id=\"notes\">\n<h2>7. How to read this report</h2>\n<ul class=\"note\">\n", f);
  fputs("<li>Risk levels: <b>high</b>, <b>medium</b> and <b>low</b> as the screening assigned "
        "them (see the screening documentation); charts split by risk stack them in that order."
        "</li>\n",
        f);
  fputs("<li>Countries are ISO 3166-1 codes, regions ISO 3166-2 codes (e.g. UA-43, Crimea) as "
        "resolved from the records; \xe2\x80\x9cunknown\xe2\x80\x9d means the record named none "
        "that could be resolved.</li>\n",
        f);
  fprintf(f,
          "<li>Routes, counterparties and flows are tracked up to %s distinct keys each; "
          "records beyond are counted but not broken down, and a notice says so.</li>\n",
          fmt_u64(r->max_keys, a));
  fputs("<li>Declared values above 10<sup>15</sup>, negative or missing are treated as unknown; "
        "amounts in different currencies are never added together.</li>\n",
        f);
  fputs("<li>Alerts are leads for review by a compliance officer, not findings of a breach."
        "</li>\n</ul>\n</section>\n",
        f);
}

int emb__report_write(const emb_report *r, FILE *f, const emb_report_meta *m) {
  if (!r || !f)
    return EMB_EINVAL;
  const char *title = m && m->title && *m->title ? m->title : "Trade screening report";
  fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        "<meta charset=\"utf-8\"/>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n",
        f);
  fputs("<meta name=\"generator\" content=\"embargo ", f);
  put_text(f, m && m->engine_version ? m->engine_version : EMB_VERSION);
  fputs("\"/>\n<title>", f);
  put_text(f, title);
  fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<div class=\"page\">\n", css);
  fputs("<header class=\"doc\">\n<p class=\"kicker\">embargo \xc2\xb7 trade screening</p>\n<h1>",
        f);
  put_text(f, title);
  fputs("</h1>\n<dl>\n<dt>Generated</dt><dd>", f);
  put_text(f, m && m->generated_at ? m->generated_at : "\xe2\x80\x94");
  fputs("</dd>\n<dt>Input</dt><dd>", f);
  put_text(f, m && m->input ? m->input : "\xe2\x80\x94");
  fputs("</dd>\n<dt>Engine</dt><dd>embargo ", f);
  put_text(f, m && m->engine_version ? m->engine_version : EMB_VERSION);
  fputs("</dd>\n</dl>\n</header>\n<main>\n", f);

  section_summary(f, r, m);
  int rc = section_chapters(f, r);
  rc = rc ? rc : section_routes(f, r);
  rc = rc ? rc : section_counterparties(f, r);
  rc = rc ? rc : section_sanctioned(f, r);
  if (rc)
    return rc; /* out of memory: the file is incomplete */
  section_alerts(f, r);
  section_notes(f, r);

  fputs("</main>\n<footer>Generated by embargo ", f);
  put_text(f, m && m->engine_version ? m->engine_version : EMB_VERSION);
  if (m && m->generated_at) {
    fputs(" on ", f);
    put_text(f, m->generated_at);
  }
  fputs(". This file is self-contained: it loads nothing from the network.</footer>\n"
        "</div>\n</body>\n</html>\n",
        f);
  if (fflush(f) != 0 || ferror(f))
    return EMB_EIO;
  return 0;
}
