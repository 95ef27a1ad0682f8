/*
 * redflags.c - the two-pass red flags (see redflags.h; docs/RULES.md).
 *
 * State: parties (consignees and exporters) in a string hash map whose keys live in an
 * arena, each with a small fixed record; (party, HS chapter or heading) counts in one
 * open-addressing map of 64-bit keys; unit values per (HS-6 code, unit) in a log-scale
 * histogram (DDSketch-like: bin i holds values in (gamma^(i-1), gamma^i], gamma =
 * 1.01/0.99, so any value read back from a bin is within 1% of the values in it). A
 * histogram keeps a dense run of bins from its lowest to its highest bin, at most
 * MAX_BINS (about 17 decades); values beyond are counted in the end bins.
 */
#include "screen/redflags.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "lists/country.h"

enum {
  MAX_BINS = 2048,
  BIN_PAD = 16,   /* bins added beyond the one needed when a histogram grows */
  UNIT_MAX = 12,  /* bytes of a unit kept in a code key */
  NUM_MAX = 64,   /* longest number text parsed */
  KEY_LIMIT = 512 /* longest party key kept (longer keys are cut) */
};

#define GAMMA (1.01 / 0.99)

typedef struct party {
  int32_t first_date; /* YYYYMMDD of its earliest record as consignee, 0: none */
  uint32_t n_records; /* records as consignee */
  uint32_t n_hs;      /* of those, with a code at the mix level */
  uint32_t onward;    /* records linking it to an onward country */
} party;

typedef struct sketch {
  int32_t lo;     /* index of bins[0] */
  uint32_t nb;    /* bins held */
  uint32_t *bins; /* counts */
  uint64_t count;
  double median; /* set by emb__redflags_finish */
} sketch;

/*
 * A (party, code) count packed in 64 bits: the key (party index + 1) << 14 | code in
 * the high 40 bits, the count (saturating) in the low 24; 0 is an empty slot. Parties
 * beyond 2^26 share keys (their counts merge), which only blurs the mix of the rest.
 */
typedef uint64_t pc_slot;
#define PC_COUNT_BITS 24
#define PC_COUNT_MAX ((1u << PC_COUNT_BITS) - 1)

struct emb_redflags {
  const emb_route_rules *rules;
  bool finished;
  emb_arena arena; /* party keys and code keys */
  emb_strmap party_ix;
  party *parties;
  size_t n_parties, cap_parties;
  pc_slot *pc; /* (party, code) counts */
  size_t pc_cap, pc_count;
  emb_strmap code_ix; /* "880730/kg" -> sketch index */
  sketch *sketches;
  size_t n_sketches, cap_sketches;
  size_t bin_bytes;
  int32_t min_date; /* earliest record date of the input, 0: none */
};

emb_redflags *emb__redflags_new(const emb_route_rules *rules) {
  if (!rules)
    return NULL;
  emb_redflags *rf = calloc(1, sizeof *rf);
  if (!rf)
    return NULL;
  rf->rules = rules;
  emb__arena_init(&rf->arena, 65536);
  emb__strmap_init(&rf->party_ix);
  emb__strmap_init(&rf->code_ix);
  return rf;
}

void emb__redflags_free(emb_redflags *rf) {
  if (!rf)
    return;
  for (size_t i = 0; i < rf->n_sketches; i++)
    free(rf->sketches[i].bins);
  free(rf->sketches);
  free(rf->parties);
  free(rf->pc);
  emb__strmap_fini(&rf->party_ix);
  emb__strmap_fini(&rf->code_ix);
  emb__arena_fini(&rf->arena);
  free(rf);
}

size_t emb__redflags_memory(const emb_redflags *rf) {
  if (!rf)
    return 0;
  return sizeof *rf + rf->arena.total + rf->party_ix.cap * sizeof(emb_strmap_slot) +
         rf->code_ix.cap * sizeof(emb_strmap_slot) + rf->cap_parties * sizeof(party) +
         rf->pc_cap * sizeof(pc_slot) + rf->cap_sketches * sizeof(sketch) + rf->bin_bytes;
}

size_t emb__redflags_parties(const emb_redflags *rf) {
  return rf ? rf->n_parties : 0;
}

size_t emb__redflags_codes(const emb_redflags *rf) {
  return rf ? rf->n_sketches : 0;
}

/* ------------------------------------------------------------ parsing */

static bool digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static int num(const char *s, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

static int ymd(int y, int m, int d, int32_t *out) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
    return EMB_EFORMAT;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return EMB_EFORMAT;
  *out = y * 10000 + m * 100 + d;
  return 0;
}

int emb__redflag_parse_date(const char *s, size_t n, int32_t *out) {
  if (!s || !out)
    return EMB_EINVAL;
  while (n > 0 && (*s == ' ' || *s == '\t')) {
    s++;
    n--;
  }
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  /* YYYY-MM-DD, YYYY/MM/DD, maybe followed by a time */
  if (n >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] && digits(s, 4) && digits(s + 5, 2) &&
      digits(s + 8, 2) && (n == 10 || s[10] == 'T' || s[10] == ' '))
    return ymd(num(s, 4), num(s + 5, 2), num(s + 8, 2), out);
  /* DD.MM.YYYY */
  if (n >= 10 && s[2] == '.' && s[5] == '.' && digits(s, 2) && digits(s + 3, 2) &&
      digits(s + 6, 4) && (n == 10 || s[10] == ' '))
    return ymd(num(s + 6, 4), num(s + 3, 2), num(s, 2), out);
  /* YYYYMMDD */
  if (n == 8 && digits(s, 8))
    return ymd(num(s, 4), num(s + 4, 2), num(s + 6, 2), out);
  return EMB_EFORMAT;
}

int emb__redflag_parse_number(const char *s, size_t n, double *v) {
  if (!s || !v)
    return EMB_EINVAL;
  char buf[NUM_MAX];
  size_t o = 0, ndot = 0, ncomma = 0, last_dot = 0, last_comma = 0;
  bool neg = false, any_digit = false;
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (i < n && (s[i] == '-' || s[i] == '+')) {
    neg = s[i] == '-';
    i++;
  }
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    size_t skip = 0;
    if (c == ' ' || c == '\'')
      skip = 1;
    else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
      skip = 2; /* no-break space */
    else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
             ((unsigned char)s[i + 2] == 0x89 || (unsigned char)s[i + 2] == 0xAF))
      skip = 3; /* thin space, narrow no-break space */
    if (skip) {
      /* grouping only between digits */
      if (o == 0 || buf[o - 1] < '0' || buf[o - 1] > '9' || i + skip >= n || s[i + skip] < '0' ||
          s[i + skip] > '9')
        return EMB_EFORMAT;
      i += skip - 1;
      continue;
    }
    if (o + 1 >= sizeof buf)
      return EMB_EFORMAT;
    if (c >= '0' && c <= '9') {
      any_digit = true;
    } else if (c == '.') {
      ndot++;
      last_dot = o;
    } else if (c == ',') {
      ncomma++;
      last_comma = o;
    } else {
      return EMB_EFORMAT;
    }
    buf[o++] = (char)c;
  }
  if (!any_digit)
    return EMB_EFORMAT;
  /* Which mark is the decimal one, if any. */
  char dec = 0;
  size_t dec_at = 0;
  if (ndot && ncomma) {
    dec = last_dot > last_comma ? '.' : ',';
    dec_at = dec == '.' ? last_dot : last_comma;
    if ((dec == '.' ? ndot : ncomma) != 1)
      return EMB_EFORMAT;
  } else if (ndot == 1) {
    dec = '.';
    dec_at = last_dot;
  } else if (ncomma == 1) {
    size_t after = o - last_comma - 1;
    bool zero = buf[0] == '0'; /* "0,125" is a fraction */
    if (!(after == 3 && last_comma >= 1 && last_comma <= 3 && !zero)) {
      dec = ',';
      dec_at = last_comma;
    }
  }
  char clean[NUM_MAX + 1];
  size_t k = 0;
  if (neg)
    clean[k++] = '-';
  for (size_t j = 0; j < o; j++) {
    if (buf[j] >= '0' && buf[j] <= '9')
      clean[k++] = buf[j];
    else if (dec && j == dec_at)
      clean[k++] = '.';
  }
  clean[k] = '\0';
  char *end;
  double x = strtod(clean, &end);
  if (*end != '\0' || !isfinite(x))
    return EMB_EFORMAT;
  *v = x;
  return 0;
}

/* ------------------------------------------------------------ state */

static bool place_in(const emb_place *p, const emb_redflag_rule *f) {
  if (!p || !p->country[0])
    return false;
  for (size_t i = 0; i < f->n_countries; i++)
    if (strcmp(f->countries[i], p->country) == 0 ||
        (p->region[0] && strcmp(f->countries[i], p->region) == 0))
      return true;
  return false;
}

static const char *key_of(const char *s, size_t *n) {
  if (!s || *n == 0)
    return NULL;
  if (*n > KEY_LIMIT)
    *n = KEY_LIMIT;
  return s;
}

/* The party for key, added when absent; NULL when out of memory. */
static party *party_get(emb_redflags *rf, const char *key, size_t n) {
  size_t ix;
  if (emb__strmap_get(&rf->party_ix, key, n, &ix))
    return &rf->parties[ix];
  if (rf->n_parties == rf->cap_parties) {
    size_t cap = rf->cap_parties ? rf->cap_parties * 2 : 1024;
    party *p = realloc(rf->parties, cap * sizeof *p);
    if (!p)
      return NULL;
    rf->parties = p;
    rf->cap_parties = cap;
  }
  char *copy = emb__arena_strndup(&rf->arena, key, n);
  if (!copy || emb__strmap_put(&rf->party_ix, copy, n, rf->n_parties) != 0)
    return NULL;
  party *p = &rf->parties[rf->n_parties++];
  memset(p, 0, sizeof *p);
  return p;
}

static const party *party_find(const emb_redflags *rf, const char *key, size_t n) {
  size_t ix;
  if (!key || !emb__strmap_get(&rf->party_ix, key, n, &ix))
    return NULL;
  return &rf->parties[ix];
}

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/* The 40-bit key of a party (by index) and an HS chapter or heading. */
static uint64_t pc_key(size_t party_index, int code) {
  return ((((uint64_t)party_index + 1) & ((1ull << 26) - 1)) << 14 | (uint64_t)code) &
         ((1ull << 40) - 1);
}

static int pc_add(emb_redflags *rf, uint64_t key) {
  if ((rf->pc_count + 1) * 4 >= rf->pc_cap * 3) {
    size_t cap = rf->pc_cap ? rf->pc_cap * 2 : 1024;
    pc_slot *s = calloc(cap, sizeof *s);
    if (!s)
      return EMB_ENOMEM;
    for (size_t i = 0; i < rf->pc_cap; i++) {
      if (!rf->pc[i])
        continue;
      size_t j = (size_t)mix64(rf->pc[i] >> PC_COUNT_BITS) & (cap - 1);
      while (s[j])
        j = (j + 1) & (cap - 1);
      s[j] = rf->pc[i];
    }
    free(rf->pc);
    rf->pc = s;
    rf->pc_cap = cap;
  }
  size_t j = (size_t)mix64(key) & (rf->pc_cap - 1);
  while (rf->pc[j] && rf->pc[j] >> PC_COUNT_BITS != key)
    j = (j + 1) & (rf->pc_cap - 1);
  if (!rf->pc[j]) {
    rf->pc[j] = key << PC_COUNT_BITS;
    rf->pc_count++;
  }
  if ((rf->pc[j] & PC_COUNT_MAX) < PC_COUNT_MAX)
    rf->pc[j]++;
  return 0;
}

static uint32_t pc_get(const emb_redflags *rf, uint64_t key) {
  if (!rf->pc_cap)
    return 0;
  size_t j = (size_t)mix64(key) & (rf->pc_cap - 1);
  while (rf->pc[j]) {
    if (rf->pc[j] >> PC_COUNT_BITS == key)
      return (uint32_t)(rf->pc[j] & PC_COUNT_MAX);
    j = (j + 1) & (rf->pc_cap - 1);
  }
  return 0;
}

/* Writes "880730/kg" (the unit lower-cased, letters and digits only) into buf. */
static size_t code_key(const char *hs, const char *unit, size_t unit_len, char *buf) {
  memcpy(buf, hs, 6);
  size_t k = 6;
  buf[k++] = '/';
  for (size_t i = 0; unit && i < unit_len && k < 7 + UNIT_MAX; i++) {
    char c = unit[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      buf[k++] = c;
  }
  buf[k] = '\0';
  return k;
}

static int bin_of(double u) {
  double i = ceil(log(u) / log(GAMMA));
  if (i < -1e6)
    i = -1e6;
  if (i > 1e6)
    i = 1e6;
  return (int)i;
}

static double bin_value(int i) {
  return 2.0 * pow(GAMMA, i) / (GAMMA + 1.0);
}

static int sketch_add(emb_redflags *rf, sketch *k, double u) {
  int i = bin_of(u);
  if (k->nb == 0) {
    uint32_t *b = calloc(BIN_PAD * 2 + 1, sizeof *b);
    if (!b)
      return EMB_ENOMEM;
    k->bins = b;
    k->nb = BIN_PAD * 2 + 1;
    k->lo = i - BIN_PAD;
    rf->bin_bytes += k->nb * sizeof *b;
  }
  int hi = k->lo + (int)k->nb; /* exclusive */
  if (i < k->lo || i >= hi) {
    int nlo = k->lo, nhi = hi;
    if (i < k->lo)
      nlo = i - BIN_PAD;
    else
      nhi = i + 1 + BIN_PAD;
    if (nhi - nlo > MAX_BINS) { /* keep the span; clamp the value into it */
      if (i < k->lo) {
        nlo = nhi - MAX_BINS;
        if (nlo > k->lo)
          nlo = k->lo;
      } else {
        nhi = nlo + MAX_BINS;
        if (nhi < hi)
          nhi = hi;
      }
    }
    if (nlo != k->lo || nhi != hi) {
      size_t nn = (size_t)(nhi - nlo);
      uint32_t *b = calloc(nn, sizeof *b);
      if (!b)
        return EMB_ENOMEM;
      memcpy(b + (k->lo - nlo), k->bins, k->nb * sizeof *b);
      free(k->bins);
      rf->bin_bytes += (nn - k->nb) * sizeof *b;
      k->bins = b;
      k->nb = (uint32_t)nn;
      k->lo = nlo;
      hi = nhi;
    }
    if (i < k->lo)
      i = k->lo;
    if (i >= hi)
      i = hi - 1;
  }
  if (k->bins[i - k->lo] < UINT32_MAX)
    k->bins[i - k->lo]++;
  k->count++;
  return 0;
}

static double sketch_median(const sketch *k) {
  uint64_t rank = (k->count - 1) / 2, seen = 0;
  for (uint32_t j = 0; j < k->nb; j++) {
    seen += k->bins[j];
    if (seen > rank)
      return bin_value(k->lo + (int)j);
  }
  return bin_value(k->lo + (int)k->nb - 1);
}

/* The record's unit value; false when it has none. */
static bool unit_value(const emb_redflag_obs *o, double *u) {
  double v, q;
  if (!o->value || !o->quantity || o->value_len == 0 || o->quantity_len == 0)
    return false;
  if (emb__redflag_parse_number(o->value, o->value_len, &v) != 0 ||
      emb__redflag_parse_number(o->quantity, o->quantity_len, &q) != 0)
    return false;
  if (!(v > 0) || !(q > 0))
    return false;
  *u = v / q;
  return isfinite(*u) && *u > 0;
}

static bool hs_ok(const emb_redflag_obs *o, size_t need) {
  return o->hs && o->hs_len >= need && digits(o->hs, need);
}

int emb__redflags_observe(emb_redflags *rf, const emb_redflag_obs *o) {
  if (!rf || !o || rf->finished)
    return EMB_EINVAL;
  const emb_redflag_rule *onward = emb__route_redflag(rf->rules, EMB_RF_HUB_ONWARD);
  const emb_redflag_rule *fresh = emb__route_redflag(rf->rules, EMB_RF_NEW_CONSIGNEE);
  const emb_redflag_rule *mix = emb__route_redflag(rf->rules, EMB_RF_HS_MIX);
  const emb_redflag_rule *uv = emb__route_redflag(rf->rules, EMB_RF_UNIT_VALUE);
  int32_t date = 0;
  if (o->date && o->date_len && emb__redflag_parse_date(o->date, o->date_len, &date) != 0)
    date = 0;
  if (date && (!rf->min_date || date < rf->min_date))
    rf->min_date = date;
  size_t cn = o->consignee_len, en = o->exporter_len;
  const char *ck = key_of(o->consignee, &cn), *ek = key_of(o->exporter, &en);

  if (ck && (fresh->enabled || mix->enabled || onward->enabled)) {
    party *p = party_get(rf, ck, cn);
    if (!p)
      return EMB_ENOMEM;
    if (p->n_records < UINT32_MAX)
      p->n_records++;
    if (date && (!p->first_date || date < p->first_date))
      p->first_date = date;
    if (mix->enabled && hs_ok(o, mix->level)) {
      if (p->n_hs < UINT32_MAX)
        p->n_hs++;
      if (pc_add(rf, pc_key((size_t)(p - rf->parties), num(o->hs, mix->level))) != 0)
        return EMB_ENOMEM;
    }
  }
  if (onward->enabled && (place_in(o->destination, onward) || place_in(o->importer, onward) ||
                          place_in(o->consignee_place, onward) || place_in(o->end_user, onward))) {
    if (ck) {
      party *p = party_get(rf, ck, cn);
      if (!p)
        return EMB_ENOMEM;
      if (p->onward < UINT32_MAX)
        p->onward++;
    }
    if (ek && !(ck && en == cn && memcmp(ek, ck, cn) == 0)) {
      party *p = party_get(rf, ek, en);
      if (!p)
        return EMB_ENOMEM;
      if (p->onward < UINT32_MAX)
        p->onward++;
    }
  }
  double u;
  if (uv->enabled && hs_ok(o, 6) && unit_value(o, &u)) {
    char key[8 + UNIT_MAX];
    size_t kn = code_key(o->hs, o->unit, o->unit_len, key);
    size_t ix;
    if (!emb__strmap_get(&rf->code_ix, key, kn, &ix)) {
      if (rf->n_sketches == rf->cap_sketches) {
        size_t cap = rf->cap_sketches ? rf->cap_sketches * 2 : 256;
        sketch *s = realloc(rf->sketches, cap * sizeof *s);
        if (!s)
          return EMB_ENOMEM;
        rf->sketches = s;
        rf->cap_sketches = cap;
      }
      char *copy = emb__arena_strndup(&rf->arena, key, kn);
      if (!copy || emb__strmap_put(&rf->code_ix, copy, kn, rf->n_sketches) != 0)
        return EMB_ENOMEM;
      ix = rf->n_sketches++;
      memset(&rf->sketches[ix], 0, sizeof(sketch));
    }
    if (sketch_add(rf, &rf->sketches[ix], u) != 0)
      return EMB_ENOMEM;
  }
  return 0;
}

int emb__redflags_finish(emb_redflags *rf) {
  if (!rf || rf->finished)
    return EMB_EINVAL;
  for (size_t i = 0; i < rf->n_sketches; i++)
    rf->sketches[i].median = sketch_median(&rf->sketches[i]);
  rf->finished = true;
  return 0;
}

int emb__redflags_median(const emb_redflags *rf, const char *hs6, const char *unit, double *median,
                         uint64_t *count) {
  if (!rf || !hs6 || strlen(hs6) < 6 || !digits(hs6, 6))
    return EMB_EINVAL;
  char key[8 + UNIT_MAX];
  size_t kn = code_key(hs6, unit, unit ? strlen(unit) : 0, key);
  size_t ix;
  if (!emb__strmap_get(&rf->code_ix, key, kn, &ix) || rf->sketches[ix].count == 0)
    return EMB_ENOTFOUND;
  if (median)
    *median = rf->finished ? rf->sketches[ix].median : sketch_median(&rf->sketches[ix]);
  if (count)
    *count = rf->sketches[ix].count;
  return 0;
}

/* ------------------------------------------------------------ checking */

/* "1,234.50" (two decimals, thousands grouped); tiny and huge values in %g. */
static void fmt_num(double v, char *buf, size_t size) {
  if (!(v >= 0.01) || v >= 1e15) {
    snprintf(buf, size, "%.3g", v);
    return;
  }
  char raw[48];
  snprintf(raw, sizeof raw, "%.2f", v);
  const char *dot = strchr(raw, '.');
  size_t ni = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
  for (size_t i = 0; i < ni && o + 2 < size; i++) {
    if (i > 0 && (ni - i) % 3 == 0)
      buf[o++] = ',';
    buf[o++] = raw[i];
  }
  for (const char *p = dot; p && *p && o + 1 < size; p++)
    buf[o++] = *p;
  buf[o] = '\0';
}

static void fmt_date(int32_t d, char *buf, size_t size) {
  snprintf(buf, size, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
}

typedef struct acc {
  emb_redflag_hit *out;
  size_t max, n;
  bool over;
} acc;

static emb_redflag_hit *next(acc *a, const emb_redflag_rule *f, emb_redflag_kind k) {
  if (a->n >= a->max) {
    a->over = true;
    return NULL;
  }
  emb_redflag_hit *h = &a->out[a->n++];
  h->kind = k;
  h->id = f->id;
  h->risk = f->risk;
  h->detail[0] = '\0';
  return h;
}

/* The consignee's country (the destination's when the consignee's is unknown). */
static const emb_place *consignee_where(const emb_redflag_obs *o) {
  if (o->consignee_place && o->consignee_place->country[0])
    return o->consignee_place;
  if (o->destination && o->destination->country[0])
    return o->destination;
  return NULL;
}

static const emb_route_rule *rule_at(const emb_route_rules *r, const emb_place *p) {
  if (!p || !p->country[0])
    return NULL;
  if (p->occupation == EMB_OCC_CONTROLLED)
    return NULL; /* a town under government control */
  const emb_route_rule *u = p->region[0] ? emb__route_rule_for(r, p->region) : NULL;
  return u ? u : emb__route_rule_for(r, p->country);
}

int emb__redflags_check(const emb_redflags *rf, const emb_redflag_obs *o, emb_redflag_hit *out,
                        size_t max, size_t *n) {
  if (n)
    *n = 0;
  if (!rf || !o || !n || (!out && max) || !rf->finished)
    return EMB_EINVAL;
  acc a = {out, max, 0, false};
  const emb_route_rules *r = rf->rules;
  size_t cn = o->consignee_len;
  const char *ck = key_of(o->consignee, &cn);
  const party *p = ck ? party_find(rf, ck, cn) : NULL;
  const emb_place *where = consignee_where(o);

  const emb_redflag_rule *f = emb__route_redflag(r, EMB_RF_HUB_ONWARD);
  if (f->enabled && p && p->onward && (o->controlled || !f->controlled_only)) {
    const emb_route_rule *u = where ? emb__route_rule_for(r, where->country) : NULL;
    if (u && u->level == EMB_LEVEL_HUB) {
      emb_redflag_hit *h = next(&a, f, EMB_RF_HUB_ONWARD);
      if (h) {
        char list[64] = "";
        for (size_t i = 0, o2 = 0; i < f->n_countries && o2 + 8 < sizeof list; i++)
          o2 +=
              (size_t)snprintf(list + o2, sizeof list - o2, "%s%s", i ? "/" : "", f->countries[i]);
        snprintf(h->detail, sizeof h->detail,
                 "consignee in hub %s also appears in %u record%s going to %s", where->country,
                 p->onward, p->onward == 1 ? "" : "s", list);
      }
    }
  }

  f = emb__route_redflag(r, EMB_RF_NEW_CONSIGNEE);
  if (f->enabled && p && p->first_date > f->after && rf->min_date && rf->min_date <= f->after &&
      (o->controlled || !f->controlled_only)) {
    const emb_route_rule *u = rule_at(r, where);
    const emb_route_rule *u2 = rule_at(r, o->destination);
    if (u || u2) {
      emb_redflag_hit *h = next(&a, f, EMB_RF_NEW_CONSIGNEE);
      if (h) {
        char d1[16], d2[16];
        fmt_date(p->first_date, d1, sizeof d1);
        fmt_date(f->after, d2, sizeof d2);
        snprintf(h->detail, sizeof h->detail, "consignee first seen %s, after %s (in %s, %s)", d1,
                 d2, u ? u->code : u2->code, emb__route_level_name(u ? u->level : u2->level));
      }
    }
  }

  f = emb__route_redflag(r, EMB_RF_HS_MIX);
  if (f->enabled && p && hs_ok(o, f->level) && p->n_hs >= f->min_records &&
      (o->controlled || !f->controlled_only)) {
    uint32_t c = pc_get(rf, pc_key((size_t)(p - rf->parties), num(o->hs, f->level)));
    double share = (double)c / (double)p->n_hs;
    if (share < f->max_share) {
      emb_redflag_hit *h = next(&a, f, EMB_RF_HS_MIX);
      if (h)
        snprintf(h->detail, sizeof h->detail,
                 "HS %s %.*s makes up %u of the consignee's %u records with a code (%.1f%%), "
                 "under %.1f%%",
                 f->level == 2 ? "chapter" : "heading", (int)f->level, o->hs, c, p->n_hs,
                 100.0 * share, 100.0 * f->max_share);
    }
  }

  f = emb__route_redflag(r, EMB_RF_UNIT_VALUE);
  double u;
  if (f->enabled && hs_ok(o, 6) && (o->controlled || !f->controlled_only) && unit_value(o, &u)) {
    char key[8 + UNIT_MAX];
    size_t kn = code_key(o->hs, o->unit, o->unit_len, key);
    size_t ix;
    if (emb__strmap_get(&rf->code_ix, key, kn, &ix) && rf->sketches[ix].count >= f->min_count) {
      double med = rf->sketches[ix].median;
      double ratio = u / med;
      if (ratio > f->factor || ratio < 1.0 / f->factor) {
        emb_redflag_hit *h = next(&a, f, EMB_RF_UNIT_VALUE);
        if (h) {
          char us[48], ms[48], rs[48];
          fmt_num(u, us, sizeof us);
          fmt_num(med, ms, sizeof ms);
          if (ratio >= 0.1)
            snprintf(rs, sizeof rs, "%.1f", ratio);
          else
            snprintf(rs, sizeof rs, "%.3g", ratio);
          const char *unit = key + 7;
          snprintf(h->detail, sizeof h->detail,
                   "unit value %s is %sx the median %s of %llu records of %.6s%s%s%s", us, rs, ms,
                   (unsigned long long)rf->sketches[ix].count, o->hs, *unit ? " (per " : "", unit,
                   *unit ? ")" : "");
        }
      }
    }
  }
  *n = a.n;
  return a.over ? EMB_ETOOBIG : 0;
}
