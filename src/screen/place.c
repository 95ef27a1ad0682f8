/*
 * place.c - resolving a country field (a code, a name, a city or an address) to ISO 3166
 * codes with country.h and a gazetteer (see place.h; the rules in docs/RULES.md).
 *
 * The gazetteer keeps every spelling as a normalised key: letters case-folded with their
 * marks stripped (utf8proc), digits kept, apostrophes dropped ("Xi'an" is "xian"), every
 * other run of punctuation and spaces one space, and each CJK or Hangul character a word
 * of its own, so that Chinese and Korean text, written without spaces, is searched
 * character by character. Keys are sorted by their first word and, within it, longest
 * first; a hash map goes from a first word to its run of keys. Resolving normalises the
 * text once into a stack buffer (part breaks become '|', which no key contains, so no
 * name is matched across a comma), then at each word start looks the word up and takes
 * the longest key that ends on a word boundary. Countries are found part by part, from
 * the end, with emb_country_code(), whose per-thread memo makes repeated parts cheap.
 * Nothing is allocated per call.
 */
#include "screen/place.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/strmap.h"
#include "lists/country.h"
#include "screen/textfile.h"

enum {
  TEXT_MAX = 512,       /* bytes of a text read (its end, where the country is) */
  NORM_MAX = 4 * 512,   /* normalised text; case folding may grow a text */
  KEY_MAX = 128,        /* longest normalised spelling kept */
  MAX_PARTS = 64,       /* parts tracked; further separators are ignored */
  COUNTRY_PARTS = 8,    /* parts searched for a country, from the end */
  MAX_HITS = 48,        /* gazetteer hits kept per text */
  SUFFIX_WORDS = 4,     /* last words of a part tried as a country name */
  CANDIDATE_WORDS = 8,  /* longest country name tried, in words ... */
  CANDIDATE_BYTES = 80, /* ... and in bytes */
  LINE_MAX_BYTES = 8192 /* longest gazetteer line */
};

typedef struct gplace {
  char country[3];
  char region[7];
  emb_place_kind kind;
  emb_occupation occ;
  const char *matched; /* "city Donetsk" (arena) */
} gplace;

typedef struct gname {
  const char *key;    /* normalised spelling (arena) */
  uint32_t len;       /* strlen(key) */
  uint32_t first_len; /* bytes of its first word */
  uint32_t place;     /* index into places */
  uint32_t order;     /* file order, for ties */
  bool cjk;           /* the key starts with a CJK or Hangul character */
} gname;

struct emb_places {
  emb_arena arena;
  gplace *places;
  size_t n_places, cap_places;
  gname *names;
  size_t n_names, cap_names;
  emb_strmap first;                 /* first word -> index of its first name */
  const char *country_matched[676]; /* "country Russia" per alpha-2 code (arena) */
};

/* The six Ukrainian regions that country.h knows, for resolution without a gazetteer. */
static const struct {
  const char *code;
  const char *matched;
  emb_occupation occ;
} ua_regions[] = {
    {"UA-43", "region Crimea", EMB_OCC_OCCUPIED},
    {"UA-40", "city Sevastopol", EMB_OCC_OCCUPIED},
    {"UA-14", "region Donetsk Oblast", EMB_OCC_PARTLY},
    {"UA-09", "region Luhansk Oblast", EMB_OCC_PARTLY},
    {"UA-23", "region Zaporizhzhia Oblast", EMB_OCC_PARTLY},
    {"UA-65", "region Kherson Oblast", EMB_OCC_PARTLY},
};

static const char NOTE_OCCUPIED[] = "an occupied place written with Russia as its country";
static const char NOTE_CLAIMED[] = "a place in a partly occupied Ukrainian region written with "
                                   "Russia as its country";
static const char NOTE_HK[] = "a Hong Kong place written with China as its country";

const char *emb__occupation_name(emb_occupation o) {
  switch (o) {
  case EMB_OCC_NONE: return "none";
  case EMB_OCC_OCCUPIED: return "occupied";
  case EMB_OCC_PARTLY: return "partly";
  case EMB_OCC_FRONT: return "front";
  case EMB_OCC_CONTROLLED: return "controlled";
  }
  return "?";
}

/* ------------------------------------------------------------ normalising */

/* Decodes one code point at s[*i] (advancing *i); invalid bytes give -1. */
static int32_t next_cp(const char *s, size_t len, size_t *i) {
  unsigned char b = (unsigned char)s[*i];
  if (b < 0x80) {
    (*i)++;
    return b;
  }
  int32_t cp;
  utf8proc_ssize_t k =
      utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(len - *i), &cp);
  if (k <= 0) {
    (*i)++;
    return -1;
  }
  *i += (size_t)k;
  return cp;
}

/* Separators between the parts of an address. */
static bool is_part_sep(int32_t cp) {
  return cp == ',' || cp == ';' || cp == '|' || cp == '\n' || cp == '\r' || cp == 0xFF0C ||
         cp == 0x3001 || cp == 0xFF1B || cp == 0x060C; /* ， 、 ； Arabic comma */
}

/* Characters deleted inside words: apostrophes and the modifier letters used as such. */
static bool is_apostrophe(int32_t cp) {
  return cp == '\'' || cp == '`' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x02BB ||
         cp == 0x00B4;
}

/* CJK ideographs, kana and Hangul syllables: each is a word of its own. */
static bool is_cjk(int32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

/* Letters with no decomposition but an obvious base letter (as country.c folds them). */
static const char *fold_extra(int32_t cp) {
  switch (cp) {
  case 0x0142: return "l";  /* ł */
  case 0x00F8: return "o";  /* ø */
  case 0x0111: return "d";  /* đ */
  case 0x0131: return "i";  /* ı */
  case 0x00E6: return "ae"; /* æ */
  case 0x0153: return "oe"; /* œ */
  case 0x00DF: return "ss"; /* ß */
  case 0x0259: return "e";  /* ə (Azerbaijani) */
  default: return NULL;
  }
}

typedef struct norm {
  char *out;
  size_t cap, n;
  bool space; /* a word break is pending */
  bool part;  /* a part break is pending */
  bool full;
} norm;

static void put_bytes(norm *z, const char *s, size_t k) {
  if (z->n > 0 && (z->space || z->part)) {
    if (z->n + 1 >= z->cap) {
      z->full = true;
      return;
    }
    z->out[z->n++] = z->part ? '|' : ' ';
  }
  z->space = z->part = false;
  if (z->n + k >= z->cap) {
    z->full = true;
    return;
  }
  memcpy(z->out + z->n, s, k);
  z->n += k;
}

/* Emits one decomposed, case-folded code point. */
static void emit(norm *z, int32_t cp) {
  if (cp < 0x80) {
    char c = (char)cp;
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      put_bytes(z, &c, 1);
    else if (!is_apostrophe(cp))
      z->space = true;
    return;
  }
  utf8proc_category_t cat = utf8proc_category(cp);
  if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
    return;
  if (is_apostrophe(cp))
    return;
  bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
  if (!letter && cat != UTF8PROC_CATEGORY_ND) {
    z->space = true;
    return;
  }
  const char *x = fold_extra(cp);
  char tmp[8];
  size_t k;
  if (x) {
    k = strlen(x);
  } else {
    utf8proc_ssize_t e = utf8proc_encode_char(cp, (utf8proc_uint8_t *)tmp);
    if (e <= 0)
      return;
    x = tmp;
    k = (size_t)e;
  }
  bool cjk = is_cjk(cp);
  if (cjk)
    z->space = true;
  put_bytes(z, x, k);
  if (cjk)
    z->space = true;
}

/*
 * Normalises s[0..len) into out (cap bytes, NUL-terminated); part separators become
 * '|' when parts is true, else spaces. Returns the length; sets *full when cut short.
 */
static size_t normalise(const char *s, size_t len, char *out, size_t cap, bool parts, bool *full) {
  norm z = {out, cap, 0, false, false, false};
  size_t i = 0;
  while (i < len && !z.full) {
    int32_t cp = next_cp(s, len, &i);
    if (cp < 0) {
      z.space = true;
      continue;
    }
    if (is_part_sep(cp)) {
      if (parts)
        z.part = true;
      else
        z.space = true;
      continue;
    }
    if (cp < 0x80) {
      emit(&z, cp);
      continue;
    }
    int32_t dec[8];
    int last = 0;
    utf8proc_ssize_t nd = utf8proc_decompose_char(
        cp, dec, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
        &last);
    if (nd < 0 || nd > 8) {
      z.space = true;
      continue;
    }
    for (utf8proc_ssize_t j = 0; j < nd; j++)
      emit(&z, dec[j]);
  }
  out[z.n] = '\0';
  *full = z.full;
  return z.n;
}

/* ------------------------------------------------------------ loading */

static int cmp_name(const void *a, const void *b) {
  const gname *x = a, *y = b;
  size_t m = x->first_len < y->first_len ? x->first_len : y->first_len;
  int c = memcmp(x->key, y->key, m);
  if (c)
    return c;
  if (x->first_len != y->first_len)
    return x->first_len < y->first_len ? -1 : 1;
  if (x->len != y->len)
    return x->len > y->len ? -1 : 1; /* longest first */
  c = strcmp(x->key, y->key);
  if (c)
    return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

static bool parse_kind(const char *s, size_t n, emb_place_kind *k) {
  static const char *const names[] = {"country", "region", "city", "port", "district"};
  static const emb_place_kind kinds[] = {EMB_PLACE_COUNTRY, EMB_PLACE_REGION, EMB_PLACE_CITY,
                                         EMB_PLACE_PORT, EMB_PLACE_DISTRICT};
  int i = emb__textfile_lookup(s, n, names, sizeof names / sizeof names[0]);
  if (i < 0)
    return false;
  *k = kinds[i];
  return true;
}

static bool parse_status(const char *s, size_t n, emb_occupation *o) {
  static const char *const names[] = {"-", "occupied", "partly", "front", "controlled"};
  int i = emb__textfile_lookup(s, n, names, sizeof names / sizeof names[0]);
  if (i < 0)
    return false;
  *o = (emb_occupation)i;
  return true;
}

/* True when s[0..n) is an ISO 3166-2 code shape: "XX-" and 1 to 3 letters or digits. */
static bool region_shape(const char *s, size_t n) {
  if (n < 4 || n > 6 || s[2] != '-')
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (i == 2)
      continue;
    bool up = c >= 'A' && c <= 'Z', dig = c >= '0' && c <= '9';
    if (!(up || (dig && i > 2)))
      return false;
  }
  return true;
}

static int add_name(emb_places *g, const char *s, size_t n, uint32_t place, uint32_t order) {
  char key[KEY_MAX];
  bool full;
  size_t k = normalise(s, n, key, sizeof key, false, &full);
  if (k == 0 || full)
    return 0;
  for (size_t i = g->n_names; i-- > 0 && g->names[i].place == place;)
    if (g->names[i].len == k && memcmp(g->names[i].key, key, k) == 0)
      return 0; /* the same spelling twice for one place */
  if (g->n_names == g->cap_names) {
    size_t cap = g->cap_names ? g->cap_names * 2 : 1024;
    gname *p = realloc(g->names, cap * sizeof *p);
    if (!p)
      return EMB_ENOMEM;
    g->names = p;
    g->cap_names = cap;
  }
  char *copy = emb__arena_strndup(&g->arena, key, k);
  if (!copy)
    return EMB_ENOMEM;
  size_t f = 0;
  while (f < k && key[f] != ' ')
    f++;
  size_t j = 0;
  int32_t cp0 = next_cp(key, k, &j);
  g->names[g->n_names++] =
      (gname){copy, (uint32_t)k, (uint32_t)f, place, order, cp0 > 0 && is_cjk(cp0)};
  return 0;
}

static const char *kind_word(emb_place_kind k) {
  switch (k) {
  case EMB_PLACE_COUNTRY: return "country";
  case EMB_PLACE_SUBDIVISION: return "subdivision";
  case EMB_PLACE_REGION: return "region";
  case EMB_PLACE_CITY: return "city";
  case EMB_PLACE_PORT: return "port";
  case EMB_PLACE_DISTRICT: return "district";
  }
  return "place";
}

/* Parses one data line; reports and returns EMB_EFORMAT when it is bad. */
static int parse_line(emb_places *g, const char *s, size_t n, const char *file, unsigned long line,
                      emb_diags *diags) {
  const char *col[6];
  size_t clen[6];
  size_t nc = 0, start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || s[i] == '\t') {
      if (nc < 6) {
        col[nc] = s + start;
        clen[nc] = i - start;
      }
      nc++;
      start = i + 1;
    }
  }
  if (nc != 6) {
    emb__error(diags, EMB_EFORMAT, file, line, 0, NULL,
               "The line has %zu tab-separated columns; a place has 6 (country, region, kind, "
               "status, name, variants).",
               nc);
    return EMB_EFORMAT;
  }
  gplace p;
  memset(&p, 0, sizeof p);
  if (clen[0] != 2 || !(col[0][0] >= 'A' && col[0][0] <= 'Z') ||
      !(col[0][1] >= 'A' && col[0][1] <= 'Z')) {
    emb__error(diags, EMB_EFORMAT, file, line, 1, "country",
               "'%.*s' is not an upper-case ISO 3166-1 alpha-2 code.", (int)clen[0], col[0]);
    return EMB_EFORMAT;
  }
  memcpy(p.country, col[0], 2);
  if (!emb_country_name(p.country)) {
    emb__error(diags, EMB_EFORMAT, file, line, 1, "country", "'%s' is not a known country code.",
               p.country);
    return EMB_EFORMAT;
  }
  if (!(clen[1] == 1 && col[1][0] == '-')) {
    if (!region_shape(col[1], clen[1]) || memcmp(col[1], p.country, 2) != 0) {
      emb__error(diags, EMB_EFORMAT, file, line, (unsigned long)(col[1] - s) + 1, "region",
                 "'%.*s' is not an ISO 3166-2 code of %s (like %s-ABC), nor '-'.", (int)clen[1],
                 col[1], p.country, p.country);
      return EMB_EFORMAT;
    }
    memcpy(p.region, col[1], clen[1]);
  }
  if (!parse_kind(col[2], clen[2], &p.kind)) {
    emb__error(diags, EMB_EFORMAT, file, line, (unsigned long)(col[2] - s) + 1, "kind",
               "'%.*s' is not a kind (country, region, city, port, district).", (int)clen[2],
               col[2]);
    return EMB_EFORMAT;
  }
  if (!parse_status(col[3], clen[3], &p.occ)) {
    emb__error(diags, EMB_EFORMAT, file, line, (unsigned long)(col[3] - s) + 1, "status",
               "'%.*s' is not a status (occupied, partly, front, controlled or -).", (int)clen[3],
               col[3]);
    return EMB_EFORMAT;
  }
  if (p.occ != EMB_OCC_NONE && strcmp(p.country, "UA") != 0) {
    emb__error(diags, EMB_EFORMAT, file, line, (unsigned long)(col[3] - s) + 1, "status",
               "An occupation status is only given to places in Ukraine, not %s.", p.country);
    return EMB_EFORMAT;
  }
  if (clen[4] == 0 || clen[4] >= KEY_MAX) {
    emb__error(diags, EMB_EFORMAT, file, line, (unsigned long)(col[4] - s) + 1, "name",
               "The name is empty or longer than %d bytes.", KEY_MAX - 1);
    return EMB_EFORMAT;
  }
  char matched[KEY_MAX + 16];
  snprintf(matched, sizeof matched, "%s %.*s", kind_word(p.kind), (int)clen[4], col[4]);
  p.matched = emb__arena_strdup(&g->arena, matched);
  if (!p.matched)
    return EMB_ENOMEM;
  if (g->n_places == g->cap_places) {
    size_t cap = g->cap_places ? g->cap_places * 2 : 256;
    gplace *np = realloc(g->places, cap * sizeof *np);
    if (!np)
      return EMB_ENOMEM;
    g->places = np;
    g->cap_places = cap;
  }
  uint32_t idx = (uint32_t)g->n_places;
  g->places[g->n_places++] = p;
  int rc = add_name(g, col[4], clen[4], idx, (uint32_t)g->n_names);
  const char *v = col[5];
  size_t vn = clen[5];
  size_t b = 0;
  for (size_t i = 0; i <= vn && rc == 0; i++) {
    if (i == vn || v[i] == '|') {
      if (i > b && !(i - b == 1 && v[b] == '-'))
        rc = add_name(g, v + b, i - b, idx, (uint32_t)g->n_names);
      b = i + 1;
    }
  }
  return rc;
}

static int finish(emb_places *g) {
  if (g->n_names)
    qsort(g->names, g->n_names, sizeof *g->names, cmp_name);
  for (size_t i = 0; i < g->n_names; i++) {
    const gname *x = &g->names[i];
    if (i > 0 && g->names[i - 1].first_len == x->first_len &&
        memcmp(g->names[i - 1].key, x->key, x->first_len) == 0)
      continue;
    int rc = emb__strmap_put(&g->first, x->key, x->first_len, i);
    if (rc)
      return rc;
  }
  for (int a = 0; a < 26; a++)
    for (int b = 0; b < 26; b++) {
      char code[3] = {(char)('A' + a), (char)('A' + b), '\0'};
      const char *name = emb_country_name(code);
      if (!name)
        continue;
      char buf[160];
      snprintf(buf, sizeof buf, "country %s", name);
      g->country_matched[a * 26 + b] = emb__arena_strdup(&g->arena, buf);
      if (!g->country_matched[a * 26 + b])
        return EMB_ENOMEM;
    }
  return 0;
}

void emb__places_free(emb_places *g) {
  if (!g)
    return;
  emb__strmap_fini(&g->first);
  emb__arena_fini(&g->arena);
  free(g->places);
  free(g->names);
  free(g);
}

size_t emb__places_count(const emb_places *g) {
  return g ? g->n_places : 0;
}

size_t emb__places_names(const emb_places *g) {
  return g ? g->n_names : 0;
}

/* Reads a gazetteer from an open input, which it closes. */
static int load_input(emb_input *in, emb_places **out, emb_diags *diags) {
  emb_lines *lr = NULL;
  int rc = emb__lines_new(in, LINE_MAX_BYTES, diags, &lr);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  emb_places *g = calloc(1, sizeof *g);
  if (!g) {
    emb__lines_free(lr);
    emb__input_close(in);
    return EMB_ENOMEM;
  }
  emb__arena_init(&g->arena, 32768);
  emb__strmap_init(&g->first);
  const char *fname = emb__input_name(in);
  size_t errors0 = diags ? diags->n_errors : 0;
  bool bad = false;
  const char *s;
  size_t n;
  unsigned long line;
  while ((rc = emb__lines_next(lr, &s, &n, &line)) == 1) {
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
      n--;
    if (n == 0 || s[0] == '#')
      continue;
    if (!emb__textfile_utf8_ok(s, n, fname, line, diags)) {
      bad = true;
      continue;
    }
    rc = parse_line(g, s, n, fname, line, diags);
    if (rc == EMB_EFORMAT) {
      bad = true;
      rc = 0;
    } else if (rc) {
      break;
    }
  }
  if (rc == 0)
    rc = finish(g);
  if (diags && diags->n_errors > errors0)
    bad = true; /* also a line too long, reported and skipped by the line reader */
  emb__lines_free(lr);
  emb__input_close(in);
  if (rc < 0) {
    emb__places_free(g);
    return rc;
  }
  *out = g;
  return bad ? EMB_EFORMAT : 0;
}

int emb__places_load(const char *path, emb_places **out, emb_diags *diags) {
  if (!out)
    return EMB_EINVAL;
  *out = NULL;
  emb_input *in;
  int rc = emb__textfile_open(path, "places/cities.tsv", &in, diags);
  return rc ? rc : load_input(in, out, diags);
}

int emb__places_load_mem(const void *data, size_t size, const char *name, emb_places **out,
                         emb_diags *diags) {
  if (!out || (!data && size))
    return EMB_EINVAL;
  *out = NULL;
  emb_input *in = NULL;
  int rc = emb__input_open_mem(data ? data : "", size, name ? name : "places", &in, diags);
  if (rc)
    return rc;
  return load_input(in, out, diags);
}

/* ------------------------------------------------------------ resolving */

typedef struct span {
  size_t b, e; /* raw bytes [b, e) */
} span;

typedef struct hit {
  uint32_t name;   /* first name with the matched key */
  uint32_t part;   /* part index */
  uint32_t pos;    /* start in the normalised text */
  uint32_t end;    /* end in the normalised text */
  uint32_t pend;   /* end of the part in the normalised text */
  uint32_t pstart; /* start of the part in the normalised text */
} hit;

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool has_letter(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
      return true;
    if (c >= 0x80)
      return true;
  }
  return false;
}

/* The country of a text that may be an ISO code: codes in a longer address count only
 * when written in capitals, so that "al" or "in" are not Albania or India. */
static const char *try_country(const char *s, size_t n, bool lower_codes_ok) {
  if (n == 0 || !has_letter(s, n))
    return NULL;
  if (n <= 3) {
    bool letters = true, upper = true;
    for (size_t i = 0; i < n; i++) {
      char c = s[i];
      letters = letters && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
      upper = upper && c >= 'A' && c <= 'Z';
    }
    if (letters && !upper && !lower_codes_ok)
      return NULL;
  }
  return emb_country_code(s, n);
}

static bool has_digit(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] >= '0' && s[i] <= '9')
      return true;
  return false;
}

/*
 * Narrows a part to the text that could name a country: words with digits at either end
 * are dropped ("China 518000" is "China"); a part with digits left inside, more than
 * CANDIDATE_WORDS words or more than CANDIDATE_BYTES bytes names none, which spares
 * emb_country_code() (whose fallbacks cost microseconds) most street lines.
 */
static bool candidate(const char **s, size_t *n) {
  const char *a = *s, *e = *s + *n;
  for (;;) {
    while (a < e && is_blank(*a))
      a++;
    const char *w = a;
    while (w < e && !is_blank(*w))
      w++;
    if (a < e && has_digit(a, (size_t)(w - a)))
      a = w;
    else
      break;
  }
  for (;;) {
    while (e > a && is_blank(e[-1]))
      e--;
    const char *w = e;
    while (w > a && !is_blank(w[-1]))
      w--;
    if (e > a && has_digit(w, (size_t)(e - w)))
      e = w;
    else
      break;
  }
  size_t m = (size_t)(e - a), words = m ? 1 : 0;
  if (m == 0 || m > CANDIDATE_BYTES || has_digit(a, m) || !has_letter(a, m))
    return false;
  for (size_t i = 1; i < m; i++)
    if (is_blank(a[i]) && !is_blank(a[i - 1]))
      words++;
  if (words > CANDIDATE_WORDS)
    return false;
  *s = a;
  *n = m;
  return true;
}

/* True when a gazetteer place other than a country covers the whole part: a city name
 * is not looked up as a country. */
static bool part_is_place(const emb_places *g, const hit *hits, size_t nh, uint32_t p) {
  for (size_t i = 0; i < nh; i++)
    if (hits[i].part == p && hits[i].pos == hits[i].pstart && hits[i].end == hits[i].pend &&
        g->places[g->names[hits[i].name].place].kind != EMB_PLACE_COUNTRY)
      return true;
  return false;
}

/* Whether a gazetteer place agrees with the country the text names. */
static bool consistent(const gplace *p, const char *country, const char **note) {
  *note = NULL;
  if (!country || strcmp(p->country, country) == 0)
    return true;
  if (strcmp(p->country, "UA") == 0 && p->occ != EMB_OCC_NONE && strcmp(country, "RU") == 0) {
    *note = p->occ == EMB_OCC_OCCUPIED ? NOTE_OCCUPIED : NOTE_CLAIMED;
    return true;
  }
  if ((strcmp(p->country, "HK") == 0 || strcmp(p->country, "MO") == 0) &&
      strcmp(country, "CN") == 0) {
    *note = NOTE_HK;
    return true;
  }
  return false;
}

static void set_country(emb_place *out, const emb_places *g, const char *code) {
  memcpy(out->country, code, 2);
  out->country[2] = '\0';
  out->kind = EMB_PLACE_COUNTRY;
  const char *m = NULL;
  if (g && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z')
    m = g->country_matched[(code[0] - 'A') * 26 + (code[1] - 'A')];
  out->matched = m ? m : "country";
}

/* A six-region code of country.h as a place (kind SUBDIVISION). */
static bool set_ua_region(emb_place *out, const char *code) {
  for (size_t i = 0; i < sizeof ua_regions / sizeof ua_regions[0]; i++)
    if (strcmp(ua_regions[i].code, code) == 0) {
      memcpy(out->country, "UA", 3);
      snprintf(out->region, sizeof out->region, "%s", code);
      out->kind = EMB_PLACE_SUBDIVISION;
      out->occupation = ua_regions[i].occ;
      out->matched = ua_regions[i].matched;
      return true;
    }
  return false;
}

/* An ISO 3166-2 code written as such ("UA-43", "ru-mow"). */
static bool iso_subdivision(const char *s, size_t n, emb_place *out) {
  if (n < 4 || n > 6 || s[2] != '-')
    return false;
  char up[7];
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    up[i] = c;
  }
  up[n] = '\0';
  if (!region_shape(up, n))
    return false;
  char cc[3] = {up[0], up[1], '\0'};
  if (!emb_country_name(cc))
    return false;
  if (set_ua_region(out, up))
    return true;
  memcpy(out->country, cc, 3);
  memcpy(out->region, up, n + 1);
  out->kind = EMB_PLACE_SUBDIVISION;
  out->matched = "ISO 3166-2 code";
  return true;
}

/* Finds the gazetteer keys in the normalised text; returns the number of hits. */
static size_t scan(const emb_places *g, const char *t, size_t n, hit *hits, size_t max) {
  size_t nh = 0;
  uint32_t part = 0, pstart = 0;
  size_t skip = 0; /* the end of the last match: matches do not overlap */
  for (size_t i = 0; i < n; i++) {
    if (t[i] == '|') {
      part++;
      pstart = (uint32_t)i + 1;
      continue;
    }
    if (t[i] == ' ' || i < skip || (i > 0 && t[i - 1] != ' ' && t[i - 1] != '|'))
      continue;
    size_t w = i;
    while (w < n && t[w] != ' ' && t[w] != '|')
      w++;
    size_t first;
    if (!emb__strmap_get(&g->first, t + i, w - i, &first))
      continue;
    for (size_t k = first; k < g->n_names; k++) {
      const gname *x = &g->names[k];
      if (x->first_len != w - i || memcmp(x->key, t + i, x->first_len) != 0)
        break;
      size_t e = i + x->len;
      if (e > n || memcmp(x->key, t + i, x->len) != 0 || (e < n && t[e] != ' ' && t[e] != '|'))
        continue;
      if (nh < max) {
        size_t pe = e;
        while (pe < n && t[pe] != '|')
          pe++;
        /* the first name with this key (names sharing a key are adjacent) */
        size_t f = k;
        while (f > first && g->names[f - 1].len == x->len &&
               memcmp(g->names[f - 1].key, x->key, x->len) == 0)
          f--;
        hits[nh++] = (hit){(uint32_t)f, part, (uint32_t)i, (uint32_t)e, (uint32_t)pe, pstart};
      }
      skip = e;
      break; /* the longest key at this position */
    }
  }
  return nh;
}

/* Picks a place of kind class `want` (0: city, port, district; 1: region) consistent with
 * country; later parts first, and within a part the last hit (the first in CJK text). */
static const gplace *pick(const emb_places *g, const hit *hits, size_t nh, int want,
                          const char *country, const char **note, const gname **name) {
  if (nh == 0)
    return NULL;
  uint32_t max_part = 0;
  for (size_t i = 0; i < nh; i++)
    if (hits[i].part > max_part)
      max_part = hits[i].part;
  for (uint32_t p = max_part + 1; p-- > 0;) {
    for (int cjk_pass = 0; cjk_pass < 2; cjk_pass++) {
      for (size_t j = 0; j < nh; j++) {
        /* non-CJK hits from the last; CJK hits from the first */
        size_t i = cjk_pass ? j : nh - 1 - j;
        const hit *h = &hits[i];
        const gname *x = &g->names[h->name];
        if (h->part != p || x->cjk != (cjk_pass == 1))
          continue;
        for (size_t k = h->name; k < g->n_names; k++) {
          const gname *y = &g->names[k];
          if (y->len != x->len || memcmp(y->key, x->key, x->len) != 0)
            break;
          const gplace *pl = &g->places[y->place];
          int cls = pl->kind == EMB_PLACE_REGION ? 1 : pl->kind == EMB_PLACE_COUNTRY ? 2 : 0;
          if (cls != want)
            continue;
          if (want == 2 && country && strcmp(pl->country, country) == 0)
            continue; /* only a more specific country: Hong Kong in "Hong Kong, China" */
          if (consistent(pl, country, note)) {
            *name = y;
            return pl;
          }
        }
      }
    }
  }
  return NULL;
}

/* The country named by gazetteer country names in part p: at the end of the part, or at
 * its start in CJK text ("中国广东省深圳市"). */
static const char *gazetteer_country(const emb_places *g, const hit *hits, size_t nh, uint32_t p) {
  for (size_t i = nh; i-- > 0;) {
    const hit *h = &hits[i];
    if (h->part != p)
      continue;
    const gname *x = &g->names[h->name];
    const gplace *pl = &g->places[x->place];
    if (pl->kind != EMB_PLACE_COUNTRY)
      continue;
    if (h->end == h->pend || (x->cjk && h->pos == h->pstart))
      return pl->country;
  }
  return NULL;
}

int emb__place_resolve_in(const emb_places *g, const char *text, size_t len, emb_place *out) {
  if (!out)
    return EMB_EINVAL;
  memset(out, 0, sizeof *out);
  if (!text)
    return EMB_EINVAL;
  while (len > 0 && is_blank(*text)) {
    text++;
    len--;
  }
  while (len > 0 && is_blank(text[len - 1]))
    len--;
  if (len > TEXT_MAX) {
    text += len - TEXT_MAX;
    len = TEXT_MAX;
    while (len > 0 && ((unsigned char)*text & 0xC0) == 0x80) {
      text++;
      len--;
    }
  }
  if (len == 0)
    return EMB_ENOTFOUND;

  /* A bare code: "RU", "RUS", "UA-43". */
  if (len <= 3) {
    const char *c = emb_country_code(text, len);
    if (c && strlen(c) == 2) {
      set_country(out, g, c);
      return 0;
    }
  }
  if (iso_subdivision(text, len, out))
    return 0;

  /* The parts of an address. */
  span parts[MAX_PARTS];
  size_t np = 0, b = 0, i = 0;
  while (i < len) {
    size_t at = i;
    int32_t cp = next_cp(text, len, &i);
    if (is_part_sep(cp) && np + 1 < MAX_PARTS) {
      parts[np++] = (span){b, at};
      b = i;
    }
  }
  parts[np++] = (span){b, len};
  for (size_t p = 0; p < np; p++) {
    while (parts[p].b < parts[p].e && is_blank(text[parts[p].b]))
      parts[p].b++;
    while (parts[p].e > parts[p].b && is_blank(text[parts[p].e - 1]))
      parts[p].e--;
  }

  /* Gazetteer hits. The normaliser breaks parts on the same separators, but it knows
   * no cap; past MAX_PARTS its part numbers run ahead, which only makes later hits look
   * later. */
  char t[NORM_MAX];
  hit hits[MAX_HITS];
  size_t nh = 0;
  if (g) {
    bool full;
    size_t tn = normalise(text, len, t, sizeof t, true, &full);
    nh = scan(g, t, tn, hits, MAX_HITS);
  }

  /* The country: named last. */
  const char *country = NULL;
  size_t stop = np > COUNTRY_PARTS ? np - COUNTRY_PARTS : 0;
  for (size_t p = np; p-- > stop && !country;) {
    const char *s = text + parts[p].b;
    size_t n = parts[p].e - parts[p].b;
    if (n == 0 || !has_letter(s, n))
      continue;
    if (g && (country = gazetteer_country(g, hits, nh, (uint32_t)p)) != NULL)
      break;
    if (g && part_is_place(g, hits, nh, (uint32_t)p))
      continue;
    const char *cs = s;
    size_t cn = n;
    if (!candidate(&cs, &cn))
      continue;
    if ((country = try_country(cs, cn, np == 1)) != NULL)
      break;
    /* "Korea, North", "Iran, Islamic Republic of", "Congo, Democratic Republic of the":
     * when the part before names a country, the two together may name another. */
    if (p > 0) {
      const char *s0 = text + parts[p - 1].b;
      size_t n0 = parts[p - 1].e - parts[p - 1].b;
      bool words_ok = cn == n && cn <= 24; /* "North", "Islamic Republic of" */
      if (candidate(&s0, &n0) && s0 == text + parts[p - 1].b &&
          ((p == np - 1 && words_ok) || try_country(s0, n0, false))) {
        country = try_country(s0, (size_t)(s + n - s0), false);
        if (!country)
          country = try_country(s0, n0, false);
        break;
      }
    }
    /* The last words of the part: "Tashkent Uzbekistan", "Moscow Russian Federation".
     * Short codes are not tried here ("GmbH & Co. KG" is not Kyrgyzstan). */
    size_t cut = cn, found = 0;
    while (found < SUFFIX_WORDS && cut > 0) {
      while (cut > 0 && is_blank(cs[cut - 1]))
        cut--;
      while (cut > 0 && !is_blank(cs[cut - 1]))
        cut--;
      if (cut == 0)
        break; /* the whole part, tried above */
      found++;
      size_t m = cn - cut;
      if (m <= 3)
        continue;
      if ((country = emb_country_code(cs + cut, m)) != NULL)
        break;
    }
  }

  /* A place of the gazetteer consistent with that country. */
  const char *note = NULL;
  const gname *nm = NULL;
  const gplace *pl = NULL;
  if (g) {
    pl = pick(g, hits, nh, 0, country, &note, &nm);
    if (!pl)
      pl = pick(g, hits, nh, 1, country, &note, &nm);
    /* A country name of the gazetteer that is not at the end of a part ("中国" alone is
     * found above), or one more specific than the country named: "Hong Kong, China". */
    if (!pl)
      pl = pick(g, hits, nh, 2, country, &note, &nm);
  }
  if (pl) {
    memcpy(out->country, pl->country, 3);
    memcpy(out->region, pl->region, sizeof out->region);
    out->kind = pl->kind;
    out->occupation = pl->occ;
    out->matched = pl->matched;
    out->note = note;
    if (pl->kind == EMB_PLACE_COUNTRY)
      set_country(out, g, pl->country);
    return 0;
  }
  /* The six regions of country.h, which also knows some of their towns. */
  if (!country || strcmp(country, "UA") == 0 || strcmp(country, "RU") == 0) {
    const char *sub = emb_subdivision_code(text, len);
    if (sub && set_ua_region(out, sub)) {
      if (country && strcmp(country, "RU") == 0)
        out->note = out->occupation == EMB_OCC_OCCUPIED ? NOTE_OCCUPIED : NOTE_CLAIMED;
      return 0;
    }
  }
  if (country && strlen(country) == 2) {
    set_country(out, g, country);
    return 0;
  }
  memset(out, 0, sizeof *out);
  return EMB_ENOTFOUND;
}

/* ------------------------------------------------------------ the default gazetteer */

static pthread_mutex_t dflt_mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(emb_places *) dflt;
static atomic_int dflt_state; /* 0: not tried; 1: tried */
static int dflt_rc;

int emb__places_default_load(emb_diags *diags) {
  if (atomic_load(&dflt_state))
    return dflt_rc;
  pthread_mutex_lock(&dflt_mu);
  if (!atomic_load(&dflt_state)) {
    emb_places *g = NULL;
    dflt_rc = emb__places_load(NULL, &g, diags);
    atomic_store(&dflt, g);
    atomic_store(&dflt_state, 1);
  }
  pthread_mutex_unlock(&dflt_mu);
  return dflt_rc;
}

int emb__place_resolve(const char *text, size_t len, emb_place *out) {
  if (!atomic_load(&dflt_state))
    emb__places_default_load(NULL);
  return emb__place_resolve_in(atomic_load(&dflt), text, len, out);
}
