/*
 * load_uk_csv.c - the UK OFSI consolidated list as CSV (ConList.csv).
 *
 * OFSI writes one row per name: every row repeats the designation's details and
 * rows sharing a `Group ID` are one designation, entity "uk:<Group ID>". Rows of a
 * group need not be next to each other; they are merged with emb__set_upsert() and
 * the entity builders drop repeated values. Columns are found by their header name,
 * never by position, so both layouts in use read the same way:
 *
 * - the current one: line 1 `Last Updated,<dd/mm/yyyy>` (the publication date),
 *   line 2 the header, with alias quality and non-Latin script columns;
 * - the older one: the header on line 1 with an empty first column that the data
 *   rows do not have, no quality or non-Latin columns, and Windows-1252 text.
 *
 * Mapping (docs/formats/uk-csv.md has the whole table): Name 1 is the given name,
 * Name 2-5 the middle names, Name 6 the family name (or the whole name of an entity
 * or ship); the full name is the non-empty Name 1..6 joined with spaces. Fields
 * holding several values number them "(1) x (2) y", which is split here. Other
 * Information is kept whole as a remark; the labelled parts OFSI writes inside it
 * ("(Gender):Male", "(IMO number):1234567", "(UN Ref):...") are also read into
 * their own fields.
 *
 * Ownership: the loader owns its reader and scratch buffers and frees them before
 * returning; everything it adds belongs to ctx->set.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SSE2_SCAN 1
#include <emmintrin.h>
#endif

#include "core/buf.h"
#include "core/csv.h"
#include "lists/country.h"
#include "lists/date.h"
#include "lists/loader.h"

#define SOURCE "uk"
#define LIST_NAME "OFSI Consolidated List"
#define MAX_GROUP_ID 100 /* a Group ID is a number; anything longer is not one */
#define MAX_PARTS 64     /* numbered parts kept per field; more join the last */
#define SCRATCH_CAP ((size_t)8 << 20)

#define TRY(x)                                                                                     \
  do {                                                                                             \
    int rc_ = (x);                                                                                 \
    if (rc_)                                                                                       \
      return rc_;                                                                                  \
  } while (0)

/* ------------------------------------------------------------------ sniffing */

/* Finds `needle` (ASCII, case-insensitive) in p[0..n). */
static bool has_text(const unsigned char *p, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (strncasecmp((const char *)p + i, needle, k) == 0)
      return true;
  return false;
}

/* Length of the line starting at p (up to CR or LF). */
static size_t line_len(const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n && p[i] != '\n' && p[i] != '\r')
    i++;
  return i;
}

bool emb__sniff_uk_csv(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
    head += 3;
    n -= 3;
  }
  size_t len = line_len(head, n);
  if (len >= 12 && strncasecmp((const char *)head, "Last Updated", 12) == 0) {
    size_t skip = len;
    while (skip < n && (head[skip] == '\r' || head[skip] == '\n'))
      skip++;
    head += skip;
    n -= skip;
    len = line_len(head, n);
  }
  /* The header must hold both columns every layout has. */
  return len > 0 && has_text(head, len, "Group ID") && has_text(head, len, "Name 6");
}

/* ------------------------------------------------------------------ text */

typedef struct slice {
  const char *p;
  size_t n;
} slice;

typedef struct parts {
  slice v[MAX_PARTS];
  size_t n;
} parts;

static bool is_space_at(const char *s, size_t i, size_t n) {
  unsigned char c = (unsigned char)s[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
    return true;
  return c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0; /* no-break space */
}

static size_t space_len(const char *s, size_t i, size_t n) {
  if (!is_space_at(s, i, n))
    return 0;
  return (unsigned char)s[i] == 0xC2 ? 2 : 1;
}

/* Trims spaces (ASCII and no-break) and the characters in `punct` from both ends. */
static slice trim(slice x, const char *punct) {
  for (;;) {
    size_t k = x.n ? space_len(x.p, 0, x.n) : 0;
    if (k) {
      x.p += k;
      x.n -= k;
    } else if (x.n && emb__in_set(x.p[0], punct)) {
      x.p++;
      x.n--;
    } else {
      break;
    }
  }
  for (;;) {
    if (x.n && emb__in_set(x.p[x.n - 1], " \t\r\n")) {
      x.n--;
    } else if (x.n >= 2 && (unsigned char)x.p[x.n - 2] == 0xC2 &&
               (unsigned char)x.p[x.n - 1] == 0xA0) {
      x.n -= 2;
    } else if (x.n && emb__in_set(x.p[x.n - 1], punct)) {
      x.n--;
    } else {
      break;
    }
  }
  return x;
}

/*
 * Length of a numbering marker at s[i] ("(1)", "1)", "(1-3)", "(b)", "(1) to (6)"),
 * or 0. A marker starts the text or follows a space or punctuation, so "5(a)" and
 * "(CAR passport)" are not markers.
 */
static size_t marker_at(const char *s, size_t i, size_t n) {
  if (i > 0) {
    unsigned char b = (unsigned char)s[i - 1];
    if (!(b == ' ' || b == '\t' || b == '.' || b == ',' || b == ';' || b == 0xA0))
      return 0;
  }
  size_t j = i;
  bool paren = j < n && s[j] == '(';
  if (paren)
    j++;
  if (j < n && s[j] >= '0' && s[j] <= '9') {
    size_t d = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9' && d < 3) {
      j++;
      d++;
    }
    if (j < n && s[j] >= '0' && s[j] <= '9')
      return 0;
    if (j + 1 < n && s[j] == '-' && s[j + 1] >= '0' && s[j + 1] <= '9') {
      j++;
      while (j < n && s[j] >= '0' && s[j] <= '9')
        j++;
    }
  } else if (j < n && s[j] >= 'a' && s[j] <= 'j') {
    j++;
  } else {
    return 0;
  }
  if (j >= n || s[j] != ')')
    return 0;
  j++;
  /* "(1) to (6) Algeria": the range is one marker. */
  if (j + 5 < n && strncmp(s + j, " to (", 5) == 0) {
    size_t k = j + 5;
    while (k < n && s[k] >= '0' && s[k] <= '9')
      k++;
    if (k > j + 5 && k < n && s[k] == ')')
      j = k + 1;
  }
  return j - i;
}

/* Adds a part unless it is empty or a dash; a part past MAX_PARTS joins the last. */
static void parts_push(parts *out, slice x) {
  x = trim(x, ".,;:");
  if (x.n == 0 || (x.n == 1 && x.p[0] == '-'))
    return;
  if (out->n < MAX_PARTS) {
    out->v[out->n++] = x;
  } else {
    slice *last = &out->v[MAX_PARTS - 1];
    last->n = (size_t)(x.p + x.n - last->p);
  }
}

/* Splits OFSI's numbered lists "(1) a (2) b" into parts; text without markers is one. */
static void split_numbered(const char *s, parts *out) {
  out->n = 0;
  size_t n = strlen(s);
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    size_t m = (s[i] == '(' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'j'))
                   ? marker_at(s, i, n)
                   : 0;
    if (m) {
      if (i > start)
        parts_push(out, (slice){s + start, i - start});
      start = i + m;
      i = start - 1;
    }
  }
  if (n > start)
    parts_push(out, (slice){s + start, n - start});
}

/*
 * Length of the prefix of p[0..n) that clean() keeps as it is: no control byte (tab,
 * CR and LF among them), no 0xC2 (a no-break space starts with it) and no two spaces
 * in a row. Most values have none of these, so this scan is all clean() does to them.
 */
static size_t regular_len(const unsigned char *p, size_t n) {
  size_t i = 0;
#ifdef HAVE_SSE2_SCAN
  /* Sixteen bytes per step where SSE2 exists (every x86-64). */
  const __m128i ctl = _mm_set1_epi8(0x1F), c2 = _mm_set1_epi8((char)0xC2);
  const __m128i sp = _mm_set1_epi8(' ');
  while (n - i >= 17) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i next = _mm_loadu_si128((const __m128i *)(p + i + 1));
    __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v), _mm_cmpeq_epi8(v, c2));
    bad = _mm_or_si128(bad, _mm_and_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(next, sp)));
    int mask = _mm_movemask_epi8(bad);
    if (mask)
      return i + (size_t)__builtin_ctz((unsigned)mask);
    i += 16;
  }
#endif
  for (; i < n; i++) {
    unsigned char c = p[i];
    if (c < ' ' || c == 0xC2 || (c == ' ' && i + 1 < n && p[i + 1] == ' '))
      break;
  }
  return i;
}

/*
 * Copies x into b with runs of white space collapsed; returns the text or NULL.
 * The trimmed text is copied whole, then collapsed in place where regular_len() stops.
 */
static const char *clean(emb_buf *b, slice x) {
  emb__buf_reset(b);
  x = trim(x, "");
  if (emb__buf_append(b, x.p, x.n))
    return NULL;
  char *d = b->data;
  size_t n = x.n, r = 0, w = 0; /* read and write offsets, w <= r */
  while (r < n) {
    size_t k = regular_len((const unsigned char *)d + r, n - r);
    if (w != r)
      memmove(d + w, d + r, k);
    w += k;
    r += k;
    if (r == n)
      break;
    size_t sl = space_len(d, r, n);
    if (!sl) { /* another control byte, or 0xC2 not followed by 0xA0: text */
      d[w++] = d[r++];
      continue;
    }
    while (r < n && (sl = space_len(d, r, n)) != 0)
      r += sl;
    /* One space for the run, unless the space before it (kept as is) stands for it. */
    if (r < n && (w == 0 || d[w - 1] != ' '))
      d[w++] = ' ';
  }
  d[w] = '\0';
  b->len = w;
  return d;
}

static slice S(const char *s) {
  return (slice){s, strlen(s)};
}

/* ------------------------------------------------------------------ columns */

enum { N_NAMES = 6, N_ADDR = 6 };

typedef struct uk_cols {
  int name[N_NAMES]; /* Name 1 .. Name 6 */
  int title, nonlatin, nl_type, nl_lang;
  int dob, town_birth, country_birth, nationality;
  int passport_no, passport_details, ni_no, ni_details, position;
  int addr[N_ADDR], postcode, country;
  int other, group_type, alias_type, alias_quality, regime, listed_on, group_id;
} uk_cols;

static void find_cols(const emb_csv_row *h, uk_cols *c) {
  char nm[24];
  for (int i = 0; i < N_NAMES; i++) {
    snprintf(nm, sizeof(nm), "Name %d", i + 1);
    c->name[i] = emb__csv_col(h, nm);
  }
  for (int i = 0; i < N_ADDR; i++) {
    snprintf(nm, sizeof(nm), "Address %d", i + 1);
    c->addr[i] = emb__csv_col(h, nm);
  }
  c->title = emb__csv_col(h, "Title");
  c->nonlatin = emb__csv_col(h, "Name Non-Latin Script");
  c->nl_type = emb__csv_col(h, "Non-Latin Script Type");
  c->nl_lang = emb__csv_col(h, "Non-Latin Script Language");
  c->dob = emb__csv_col(h, "DOB");
  c->town_birth = emb__csv_col(h, "Town of Birth");
  c->country_birth = emb__csv_col(h, "Country of Birth");
  c->nationality = emb__csv_col(h, "Nationality");
  c->passport_no = emb__csv_col(h, "Passport Number");
  c->passport_details = emb__csv_col(h, "Passport Details");
  c->ni_no = emb__csv_col(h, "National Identification Number");
  if (c->ni_no < 0)
    c->ni_no = emb__csv_col(h, "NI Number");
  c->ni_details = emb__csv_col(h, "National Identification Details");
  c->position = emb__csv_col(h, "Position");
  c->postcode = emb__csv_col(h, "Post/Zip Code");
  c->country = emb__csv_col(h, "Country");
  c->other = emb__csv_col(h, "Other Information");
  c->group_type = emb__csv_col(h, "Group Type");
  c->alias_type = emb__csv_col(h, "Alias Type");
  c->alias_quality = emb__csv_col(h, "Alias Quality");
  c->regime = emb__csv_col(h, "Regime");
  c->listed_on = emb__csv_col(h, "Listed On");
  c->group_id = emb__csv_col(h, "Group ID");
}

/* ------------------------------------------------------------------ loader state */

typedef struct uk_state {
  emb_load_ctx *ctx;
  const char *file; /* name for diagnostics */
  uk_cols c;
  size_t shift;    /* 1 when the header has a leading column the rows lack */
  emb_csv_row cur; /* the record being read */
  const emb_csv_row *row;
  emb_buf b[6]; /* scratch for cleaned values; b[4] holds the full name, b[5] the non-Latin one */
  bool warned_alias_type, warned_group_type, warned_quality;
} uk_state;

/* The value of column `col` in the current row ("" when absent). */
static const char *get(const uk_state *st, int col) {
  if (col < 0 || (size_t)col < st->shift)
    return "";
  size_t i = (size_t)col - st->shift;
  return i < st->row->count ? st->row->fields[i] : "";
}

/* ------------------------------------------------------------------ mapping */

static emb_schema group_type(uk_state *st, const char *v) {
  if (!strcasecmp(v, "Individual"))
    return EMB_SCHEMA_PERSON;
  if (!strcasecmp(v, "Entity"))
    return EMB_SCHEMA_ORGANIZATION;
  if (!strcasecmp(v, "Ship"))
    return EMB_SCHEMA_VESSEL;
  if (*v && !st->warned_group_type) {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, "Group Type",
              "unknown group type \"%.40s\"; the entity's schema is left unknown (reported "
              "once per file)",
              v);
    st->warned_group_type = true;
  }
  return EMB_SCHEMA_UNKNOWN;
}

static emb_name_kind alias_kind(uk_state *st, const char *v) {
  if (!strcasecmp(v, "Primary name") || !strcasecmp(v, "Prime Alias"))
    return EMB_NAME_PRIMARY;
  if (!strcasecmp(v, "AKA") || !*v)
    return EMB_NAME_ALIAS;
  if (!strcasecmp(v, "FKA"))
    return EMB_NAME_FORMER;
  if (!strcasecmp(v, "Primary name variation"))
    return EMB_NAME_VARIATION;
  if (!st->warned_alias_type) {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, "Alias Type",
              "unknown alias type \"%.40s\"; read as an alias (reported once per file)", v);
    st->warned_alias_type = true;
  }
  return EMB_NAME_ALIAS;
}

static emb_strength alias_quality(uk_state *st, const char *v) {
  if (!*v || !strncasecmp(v, "Good", 4))
    return EMB_STRONG;
  if (!strncasecmp(v, "Low", 3))
    return EMB_WEAK;
  if (!st->warned_quality) {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->row->line, 0, "Alias Quality",
              "unknown alias quality \"%.40s\"; read as good (reported once per file)", v);
    st->warned_quality = true;
  }
  return EMB_STRONG;
}

/* ISO 639-1 code for the language names OFSI writes, or NULL. */
static const char *lang_code(const char *v) {
  static const struct {
    const char *name, *code;
  } T[] = {{"Russian", "ru"},  {"Ukrainian", "uk"}, {"Belarusian", "be"}, {"Bulgarian", "bg"},
           {"Serbian", "sr"},  {"Bosnian", "bs"},   {"Romanian", "ro"},   {"Greek", "el"},
           {"Arabic", "ar"},   {"Persian", "fa"},   {"Farsi", "fa"},      {"Spanish", "es"},
           {"Chinese", "zh"},  {"Korean", "ko"},    {"Japanese", "ja"},   {"Hebrew", "he"},
           {"Georgian", "ka"}, {"Armenian", "hy"},  {"Kazakh", "kk"},     {"Kyrgyz", "ky"},
           {"Tajik", "tg"},    {"Uzbek", "uz"},     {"Pashto", "ps"},     {"Urdu", "ur"},
           {"Burmese", "my"},  {"Amharic", "am"},   {"French", "fr"},     {"German", "de"},
           {"Turkish", "tr"},  {"English", "en"},   {"Macedonian", "mk"}, {"Azerbaijani", "az"}};
  size_t n = strcspn(v, "/,;("); /* "Persian/Farsi" */
  while (n && v[n - 1] == ' ')
    n--;
  for (size_t i = 0; i < sizeof(T) / sizeof(T[0]); i++)
    if (strlen(T[i].name) == n && strncasecmp(v, T[i].name, n) == 0)
      return T[i].code;
  return NULL;
}

/* The country a passport or ID note names ("Russian Federation number, issued ..."). */
static const char *guess_country(slice note, emb_buf *b) {
  slice cand[5];
  size_t nc = 0;
  size_t k = 0;
  while (k < note.n && !emb__in_set(note.p[k], ".,;("))
    k++;
  slice lead = trim((slice){note.p, k}, "");
  /* Drop a trailing " number"/" passport"/" national ..." from the lead. */
  static const char *const tails[] = {" number",         " passport", " national",
                                      " identification", " id",       " citizen"};
  for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
    size_t tl = strlen(tails[t]);
    for (size_t i = 0; i + tl <= lead.n; i++)
      if (strncasecmp(lead.p + i, tails[t], tl) == 0) {
        lead.n = i;
        break;
      }
  }
  cand[nc++] = trim(lead, "");
  size_t w0 = 0; /* "German provisional": the first word */
  while (w0 < cand[0].n && cand[0].p[w0] != ' ')
    w0++;
  if (w0 < cand[0].n)
    cand[nc++] = (slice){cand[0].p, w0};
  const char *open = memchr(note.p, '(', note.n);
  if (open) {
    const char *close = memchr(open, ')', (size_t)(note.p + note.n - open));
    if (close) {
      slice in = {open + 1, (size_t)(close - open - 1)};
      cand[nc++] = trim(in, "");
      size_t w = 0;
      while (w < in.n && in.p[w] != ' ')
        w++;
      cand[nc++] = (slice){in.p, w};
    }
  }
  for (size_t i = 0; i < nc; i++) {
    slice x = cand[i];
    /* Short words ("no", "in") are not countries here; "CAR" (upper case) may be. */
    if (x.n < 3 || x.n > 60)
      continue;
    if (x.n == 3 && !(x.p[0] >= 'A' && x.p[0] <= 'Z' && x.p[1] >= 'A' && x.p[1] <= 'Z'))
      continue;
    if (emb_country_code(x.p, x.n))
      return clean(b, x);
  }
  return NULL;
}

/* Counts decimal digits in x. */
static size_t digits_in(slice x) {
  size_t d = 0;
  for (size_t i = 0; i < x.n; i++)
    d += x.p[i] >= '0' && x.p[i] <= '9';
  return d;
}

/* True for "12/03/1999", "1999-03-12", "1999": tokens that are dates, not numbers. */
static bool date_like(slice x) {
  if (x.n == 4 && digits_in(x) == 4)
    return true;
  size_t len[3] = {0, 0, 0}, k = 0;
  for (size_t i = 0; i < x.n; i++) {
    char ch = x.p[i];
    if (ch == '/' || ch == '.' || ch == '-') {
      if (++k > 2)
        return false;
    } else if (ch >= '0' && ch <= '9') {
      len[k]++;
    } else {
      return false;
    }
  }
  if (k != 2 || !len[0] || !len[1] || !len[2])
    return false;
  bool dmy = len[0] <= 2 && len[1] <= 2 && (len[2] == 2 || len[2] == 4);
  bool ymd = len[0] == 4 && len[1] <= 2 && len[2] <= 2;
  return dmy || ymd;
}

/* The first token of x that looks like a document number (>= 4 digits), or {0}. */
static slice number_token(slice x) {
  size_t i = 0;
  while (i < x.n) {
    while (i < x.n && x.p[i] == ' ')
      i++;
    size_t s = i;
    while (i < x.n && x.p[i] != ' ')
      i++;
    slice t = trim((slice){x.p + s, i - s}, ".,;:()");
    if (digits_in(t) >= 4 && !date_like(t))
      return t;
  }
  return (slice){NULL, 0};
}

/* ------------------------------------------------------------------ fields */

static int add_countries(uk_state *st, emb_entity *e, const char *text, emb_country_role role) {
  parts ps;
  split_numbered(text, &ps);
  for (size_t i = 0; i < ps.n; i++) {
    slice x = ps.v[i];
    if (!emb_country_code(x.p, x.n) && !emb_subdivision_code(x.p, x.n)) {
      /* "Estonia, Russia", "Germany. Russia": split when every piece is a country. */
      slice sub[8];
      size_t ns = 0;
      bool all = true;
      size_t s = 0;
      for (size_t k = 0; k <= x.n && all; k++) {
        if (k == x.n || x.p[k] == ',' || x.p[k] == ';' ||
            (x.p[k] == '.' && k + 1 < x.n && x.p[k + 1] == ' ')) {
          slice y = trim((slice){x.p + s, k - s}, ".");
          if (y.n) {
            if (ns == 8 || !emb_country_code(y.p, y.n))
              all = false;
            else
              sub[ns++] = y;
          }
          s = k + 1;
        }
      }
      if (all && ns > 1) {
        for (size_t k = 0; k < ns; k++) {
          const char *c = clean(&st->b[0], sub[k]);
          if (!c)
            return EMB_ENOMEM;
          TRY(emb__entity_add_country(st->ctx->set, e, c, role));
        }
        continue;
      }
    }
    const char *c = clean(&st->b[0], x);
    if (!c)
      return EMB_ENOMEM;
    TRY(emb__entity_add_country(st->ctx->set, e, c, role));
  }
  return 0;
}

/* Splits one numbered value further on ". " or ", " when every piece holds digits. */
static size_t split_numbers(slice x, slice *out, size_t max) {
  size_t n = 0, s = 0;
  for (size_t k = 0; k <= x.n; k++) {
    bool sep = k == x.n || ((x.p[k] == ',' || x.p[k] == '.' || x.p[k] == ';') && k + 1 < x.n &&
                            x.p[k + 1] == ' ');
    if (!sep)
      continue;
    slice y = trim((slice){x.p + s, k - s}, ".,;");
    if (y.n) {
      if (n == max || digits_in(y) == 0)
        return 0;
      out[n++] = y;
    }
    s = k + 1;
  }
  return n;
}

/*
 * Identifiers from a number column and its details column (current layout): numbered
 * parts are paired by position when both columns have as many; otherwise every number
 * gets the whole details text as its note.
 */
static int add_ids_paired(uk_state *st, emb_entity *e, const char *type, const char *numbers,
                          const char *details) {
  parts pn, pd;
  split_numbered(numbers, &pn);
  split_numbered(details, &pd);
  for (size_t i = 0; i < pn.n; i++) {
    slice note = pn.n == pd.n ? pd.v[i] : (pd.n == 1 ? pd.v[0] : trim(S(details), ""));
    const char *nt = clean(&st->b[1], note);
    if (!nt)
      return EMB_ENOMEM;
    const char *country = note.n ? guess_country(note, &st->b[2]) : NULL;
    slice sub[8];
    size_t ns = split_numbers(pn.v[i], sub, 8);
    if (ns < 2) {
      sub[0] = pn.v[i];
      ns = 1;
    }
    for (size_t k = 0; k < ns; k++) {
      const char *v = clean(&st->b[0], sub[k]);
      if (!v)
        return EMB_ENOMEM;
      TRY(emb__entity_add_id(st->ctx->set, e, type, v, country, nt));
    }
  }
  return 0;
}

/*
 * Identifiers from a details column that holds the numbers in its text (older layout:
 * "Passport Details", "NI Number"): the first token of each part with four or more
 * digits that is not a date is the number; the part itself is the note.
 */
static int add_ids_in_text(uk_state *st, emb_entity *e, const char *type, const char *text) {
  parts p;
  split_numbered(text, &p);
  for (size_t i = 0; i < p.n; i++) {
    slice num = number_token(p.v[i]);
    if (!num.n)
      continue;
    const char *v = clean(&st->b[0], num);
    const char *nt = clean(&st->b[1], p.v[i]);
    if (!v || !nt)
      return EMB_ENOMEM;
    const char *country = guess_country(p.v[i], &st->b[2]);
    TRY(emb__entity_add_id(st->ctx->set, e, type, v, country, nt));
  }
  return 0;
}

/* Length of a "(Label):" marker at p (a label of 1 to 48 bytes without parentheses), or 0. */
static size_t label_at(const char *p) {
  if (*p != '(')
    return 0;
  size_t i = 1;
  while (p[i] && p[i] != '(' && p[i] != ')' && i <= 48)
    i++;
  return (i > 1 && p[i] == ')' && p[i + 1] == ':') ? i + 2 : 0;
}

/*
 * The value OFSI writes after "(label):" in Other Information, up to the next
 * "(Label):" or the end; {NULL, 0} when the label is absent.
 */
static slice labelled(const char *text, const char *label) {
  size_t ll = strlen(label);
  char first = label[0] | 0x20; /* labels start with a letter */
  for (const char *p = text; (p = strchr(p, '(')) != NULL; p++) {
    /* The first letter is compared inline: most parentheses hold other labels. */
    if ((p[1] | 0x20) != first || strncasecmp(p + 1, label, ll) != 0 || p[1 + ll] != ')' ||
        p[2 + ll] != ':')
      continue;
    const char *v = p + ll + 3;
    const char *end = v; /* the next "(Label):", found by its '(' */
    while ((end = strchr(end, '(')) != NULL && !label_at(end))
      end++;
    if (!end)
      end = v + strlen(v);
    return trim((slice){v, (size_t)(end - v)}, ".,;");
  }
  return (slice){NULL, 0};
}

/* IMO and MMSI numbers written in free text: "IMO number: 5571322", "MMSI: 445539000". */
static int add_vessel_numbers(uk_state *st, emb_entity *e, const char *text) {
  static const struct {
    const char *key, *type;
    size_t digits;
  } K[] = {{"IMO", "imo", 7}, {"MMSI", "mmsi", 9}};
  for (size_t k = 0; k < 2; k++) {
    size_t kl = strlen(K[k].key);
    for (const char *p = text; (p = strstr(p, K[k].key)) != NULL; p += kl) {
      if (p > text && ((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z')))
        continue; /* AKIMOV */
      const char *q = p + kl;
      if ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z'))
        continue;
      /* Up to 24 bytes of label ("number", ") Number:", " No.") before the digits. */
      const char *d = q;
      while (*d && d - q < 24 && !(*d >= '0' && *d <= '9') && *d != '(')
        d++;
      size_t nd = 0;
      while (d[nd] >= '0' && d[nd] <= '9')
        nd++;
      if (nd != K[k].digits)
        continue;
      char v[16];
      memcpy(v, d, nd);
      v[nd] = '\0';
      TRY(emb__entity_add_id(st->ctx->set, e, K[k].type, v, NULL, NULL));
    }
  }
  return 0;
}

static int read_other_information(uk_state *st, emb_entity *e, const char *text) {
  emb_entity_set *set = st->ctx->set;
  const char *t = clean(&st->b[0], S(text));
  if (!t)
    return EMB_ENOMEM;
  TRY(emb__entity_add_str(set, &e->remarks, t));
  slice g = labelled(text, "Gender");
  if (g.n >= 4 && !strncasecmp(g.p, "Male", 4) && !e->gender)
    e->gender = "male";
  else if (g.n >= 6 && !strncasecmp(g.p, "Female", 6) && !e->gender)
    e->gender = "female";
  /* References are one token ("GHR0086", "KPi.070"); free text follows them. */
  static const struct {
    const char *label, *type;
    bool token;
  } IDS[] = {{"UK Sanctions List Ref", "other", true},
             {"UN Ref", "un_reference", true},
             {"Business Reg No", "registration", false}};
  for (size_t i = 0; i < sizeof(IDS) / sizeof(IDS[0]); i++) {
    slice v = labelled(text, IDS[i].label);
    size_t k = 0;
    while (k < v.n &&
           !(IDS[i].token ? v.p[k] == ' ' : (v.p[k] == '.' && k + 1 < v.n && v.p[k + 1] == ' ')))
      k++;
    v = trim((slice){v.p, k}, ".,;");
    if (!v.n)
      continue;
    const char *c = clean(&st->b[1], v);
    if (!c)
      return EMB_ENOMEM;
    TRY(emb__entity_add_id(set, e, IDS[i].type, c, NULL, IDS[i].label));
  }
  slice parent = labelled(text, "Parent company");
  if (parent.n) {
    const char *c = clean(&st->b[1], parent);
    if (!c)
      return EMB_ENOMEM;
    TRY(emb__entity_add_str(set, &e->linked_to, c));
  }
  slice flag = labelled(text, "Flag of ship");
  if (flag.n) {
    const char *c = clean(&st->b[1], flag);
    if (!c)
      return EMB_ENOMEM;
    TRY(emb__entity_add_country(set, e, c, EMB_COUNTRY_JURISDICTION));
  }
  return add_vessel_numbers(st, e, text);
}

static int read_birth(uk_state *st, emb_entity *e) {
  emb_load_ctx *ctx = st->ctx;
  parts dob;
  split_numbered(get(st, st->c.dob), &dob);
  for (size_t i = 0; i < dob.n; i++) {
    const char *d = clean(&st->b[0], dob.v[i]);
    if (!d)
      return EMB_ENOMEM;
    TRY(emb__add_birth_dates(ctx, e, d, EMB_DATE_ORDER_DMY, st->file, st->row->line, "DOB"));
  }
  const char *cob = get(st, st->c.country_birth);
  TRY(add_countries(st, e, cob, EMB_COUNTRY_BIRTH));
  parts towns, countries;
  split_numbered(get(st, st->c.town_birth), &towns);
  split_numbered(cob, &countries);
  for (size_t i = 0; i < towns.n; i++) {
    const char *town = clean(&st->b[0], towns.v[i]);
    if (!town)
      return EMB_ENOMEM;
    if (towns.n == countries.n) {
      const char *country = clean(&st->b[1], countries.v[i]);
      emb__buf_reset(&st->b[2]); /* "town, country" */
      if (!country || emb__buf_puts(&st->b[2], town) || emb__buf_append(&st->b[2], ", ", 2) ||
          emb__buf_puts(&st->b[2], country))
        return EMB_ENOMEM;
      TRY(emb__entity_add_str(ctx->set, &e->birth_places, emb__buf_str(&st->b[2])));
    } else {
      TRY(emb__entity_add_str(ctx->set, &e->birth_places, town));
    }
  }
  return 0;
}

static int read_address(uk_state *st, emb_entity *e) {
  emb_buf *street = &st->b[3];
  emb__buf_reset(street);
  for (int i = 0; i < N_ADDR; i++) {
    const char *line = clean(&st->b[0], S(get(st, st->c.addr[i])));
    if (!line)
      return EMB_ENOMEM;
    if (!*line)
      continue;
    if ((street->len && emb__buf_puts(street, ", ")) || emb__buf_puts(street, line))
      return EMB_ENOMEM;
  }
  emb_address a = {0};
  a.street = street->len ? emb__buf_str(street) : NULL;
  a.postal_code = clean(&st->b[1], S(get(st, st->c.postcode)));
  a.country = clean(&st->b[2], S(get(st, st->c.country)));
  if (!a.postal_code || !a.country)
    return EMB_ENOMEM;
  return emb__entity_add_address(st->ctx->set, e, &a);
}

static int add_list(uk_state *st, emb_strs *list, const char *text) {
  parts p;
  split_numbered(text, &p);
  for (size_t i = 0; i < p.n; i++) {
    const char *v = clean(&st->b[0], p.v[i]);
    if (!v)
      return EMB_ENOMEM;
    TRY(emb__entity_add_str(st->ctx->set, list, v));
  }
  return 0;
}

/* Names of the row: the Latin name with its parts, and the non-Latin one. */
static int read_names(uk_state *st, emb_entity *e, const char *full, const char *nl, bool person) {
  emb_name n = {0};
  n.full = full;
  n.kind = alias_kind(st, get(st, st->c.alias_type));
  n.strength = alias_quality(st, get(st, st->c.alias_quality));
  if (person) {
    emb_buf *mid = &st->b[3];
    emb__buf_reset(mid);
    for (int i = 1; i < N_NAMES - 1; i++) {
      const char *v = get(st, st->c.name[i]);
      if (*v && ((mid->len && emb__buf_putc(mid, ' ')) || emb__buf_puts(mid, v)))
        return EMB_ENOMEM;
    }
    n.given = get(st, st->c.name[0]);
    n.middle = mid->len ? emb__buf_str(mid) : NULL;
    n.family = get(st, st->c.name[N_NAMES - 1]);
  }
  TRY(emb__entity_add_name(st->ctx->set, e, &n));
  if (*nl) {
    emb_name x = {0};
    x.full = nl;
    x.kind = EMB_NAME_ALIAS;
    x.strength = EMB_STRONG;
    x.lang = lang_code(get(st, st->c.nl_lang));
    /* The script is detected from the text: the type column has typos ("Cryillic"). */
    TRY(emb__entity_add_name(st->ctx->set, e, &x));
  }
  return 0;
}

/* Reads one data row into its group's entity; *lost is set when the row was skipped. */
static int read_row(uk_state *st, bool *lost) {
  emb_load_ctx *ctx = st->ctx;
  const emb_csv_row *row = st->row;
  const char *gid = get(st, st->c.group_id);
  if (!*gid || strlen(gid) > MAX_GROUP_ID || strchr(gid, ' ')) {
    emb__error(ctx->diags, EMB_EFORMAT, st->file, row->line, 0, "Group ID", "%s; record skipped",
               *gid ? "the Group ID is not an identifier" : "no Group ID");
    *lost = true;
    return 0;
  }
  /* Full name: the non-empty Name 1..6 joined with spaces. */
  emb_buf *fb = &st->b[4];
  emb__buf_reset(fb);
  for (int i = 0; i < N_NAMES; i++) {
    const char *v = clean(&st->b[0], S(get(st, st->c.name[i])));
    if (!v)
      return EMB_ENOMEM;
    if (*v && ((fb->len && emb__buf_putc(fb, ' ')) || emb__buf_puts(fb, v)))
      return EMB_ENOMEM;
  }
  const char *full = emb__buf_str(fb);
  const char *nl = clean(&st->b[5], S(get(st, st->c.nonlatin)));
  if (!nl)
    return EMB_ENOMEM;
  if (!*full && !*nl) {
    emb__error(ctx->diags, EMB_EFORMAT, st->file, row->line, 0, "Name 6",
               "no name in Name 1 to Name 6; record skipped");
    *lost = true;
    return 0;
  }
  char id[MAX_GROUP_ID + 8]; /* "uk:<Group ID>"; the length was checked above */
  memcpy(id, "uk:", 3);
  memcpy(id + 3, gid, strlen(gid) + 1);
  bool created = false;
  emb_entity *e = emb__set_upsert(ctx->set, id, &created);
  if (!e)
    return EMB_ENOMEM;
  emb_entity_set *set = ctx->set;
  if (created) {
    TRY(emb__entity_set_source(set, e, SOURCE));
    TRY(emb__entity_add_str(set, &e->lists, LIST_NAME));
  }
  if (e->schema == EMB_SCHEMA_UNKNOWN)
    e->schema = group_type(st, get(st, st->c.group_type));
  bool person = e->schema == EMB_SCHEMA_PERSON;
  TRY(read_names(st, e, full, nl, person));
  TRY(add_list(st, &e->titles, get(st, st->c.title)));
  TRY(add_list(st, &e->titles, get(st, st->c.position)));
  TRY(read_birth(st, e));
  TRY(add_countries(st, e, get(st, st->c.nationality), EMB_COUNTRY_NATIONALITY));
  if (st->c.passport_no >= 0)
    TRY(add_ids_paired(st, e, "passport", get(st, st->c.passport_no),
                       get(st, st->c.passport_details)));
  else
    TRY(add_ids_in_text(st, e, "passport", get(st, st->c.passport_details)));
  if (st->c.ni_details >= 0)
    TRY(add_ids_paired(st, e, "national_id", get(st, st->c.ni_no), get(st, st->c.ni_details)));
  else
    TRY(add_ids_in_text(st, e, "national_id", get(st, st->c.ni_no)));
  TRY(read_address(st, e));
  const char *regime = clean(&st->b[0], S(get(st, st->c.regime)));
  if (!regime)
    return EMB_ENOMEM;
  TRY(emb__entity_add_str(set, &e->programs, regime));
  const char *listed = get(st, st->c.listed_on);
  if (*listed && e->listed_on.precision == EMB_DATE_NONE) {
    emb_date d;
    if (emb__date_parse(listed, strlen(listed), EMB_DATE_ORDER_DMY, &d) == 0)
      e->listed_on = d;
    else
      emb__warn(ctx->diags, EMB_EFORMAT, st->file, row->line, 0, "Listed On",
                "date not understood: \"%.40s\"", listed);
  }
  return read_other_information(st, e, get(st, st->c.other));
}

/* ------------------------------------------------------------------ driver */

/* Reads "Last Updated,dd/mm/yyyy" into the source's publication date. */
static void read_published(uk_state *st, const emb_csv_row *row) {
  const char *v = row->count > 1 ? row->fields[1] : "";
  emb_date d;
  if (*v && emb__date_parse(v, strlen(v), EMB_DATE_ORDER_DMY, &d) == 0 &&
      d.precision == EMB_DATE_DAY) {
    char buf[24];
    emb_date_format(&d, buf, sizeof(buf));
    st->ctx->source->published = emb__set_str(st->ctx->set, buf);
  } else {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, row->line, 0, "Last Updated",
              "publication date not understood: \"%.40s\"", v);
  }
}

static int load(uk_state *st, emb_csv *csv) {
  emb_load_ctx *ctx = st->ctx;
  size_t errors0 = ctx->diags ? ctx->diags->n_errors : 0;
  emb_csv_row *row = &st->cur;
  st->row = row;
  int r = emb__csv_next(csv, row);
  if (r == 1 && row->count >= 1 && row->count <= 3 && !strcasecmp(row->fields[0], "Last Updated")) {
    read_published(st, row);
    r = emb__csv_next(csv, row);
  }
  if (r < 0)
    return r;
  if (r == 0) {
    emb__error(ctx->diags, EMB_EFORMAT, st->file, 0, 0, NULL, "the file is empty: no header line");
    return EMB_EFORMAT;
  }
  find_cols(row, &st->c);
  static const char *const required[] = {"Name 6", "Group ID"};
  int missing = 0;
  for (size_t i = 0; i < 2; i++)
    if ((i == 0 ? st->c.name[N_NAMES - 1] : st->c.group_id) < 0) {
      emb__error(ctx->diags, EMB_EFORMAT, st->file, row->line, 0, required[i],
                 "the header has no \"%s\" column; nothing was loaded from this file", required[i]);
      missing++;
    }
  if (missing)
    return EMB_EFORMAT;
  size_t width = row->count;
  bool lead_empty = row->count > 0 && row->lens[0] == 0;
  int layout = -1; /* decided on the first data row: 0 rows as wide, 1 one narrower */
  unsigned long header_line = row->line;
  bool lost = false;
  int rc = 0;
  while ((r = emb__csv_next(csv, row)) == 1) {
    ctx->source->n_records++;
    if (row->bad)
      lost = true; /* the reader said what went wrong */
    if (layout < 0 && lead_empty && row->count == width - 1)
      layout = 1;
    else if (layout < 0 && row->count >= width)
      layout = 0;
    st->shift = layout == 1 ? 1 : 0;
    size_t want = width - st->shift;
    if (!emb__csv_row_fits(ctx, st->file, row, want, header_line)) {
      lost = true;
      continue;
    }
    if ((rc = read_row(st, &lost)) != 0)
      return rc;
  }
  if (r < 0)
    return r;
  return emb__csv_load_result(ctx, errors0, lost);
}

int emb__load_uk_csv(emb_load_ctx *ctx) {
  emb_input *in = NULL;
  emb_csv *csv = NULL;
  int rc = emb__load_open_csv(ctx, ',', &in, &csv);
  if (rc)
    return rc;
  uk_state st;
  memset(&st, 0, sizeof(st));
  st.ctx = ctx;
  st.file = emb__input_name(in);
  for (size_t i = 0; i < sizeof(st.b) / sizeof(st.b[0]); i++)
    emb__buf_init(&st.b[i], SCRATCH_CAP);
  rc = load(&st, csv);
  for (size_t i = 0; i < sizeof(st.b) / sizeof(st.b[0]); i++)
    emb__buf_fini(&st.b[i]);
  emb__csv_free(csv);
  emb__input_close(in);
  return rc;
}
