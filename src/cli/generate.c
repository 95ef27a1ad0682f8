/*
 * generate.c - `embargo generate`: realistic synthetic trade records with planted
 * violations and a ground-truth file, for demos, tests and benchmarks.
 *
 *   embargo generate [--list PATH ...] [--records N] [--seed S] [--violations RATE]
 *                    [--parties N] [--format csv|jsonl] [-o FILE] [--truth FILE] [-q]
 *
 * The model (docs/GENERATE.md): a fixed population of synthetic companies per country,
 * named from the word lists in data/generate/words.tsv, each with a plausible tax or
 * registration number and a trade sector; parties are drawn from it with a Zipf-like
 * (exponent 1.1) repetition, goods from data/generate/goods.tsv by the consignee's
 * sector, with log-normal quantities and unit values; routes between ordinary
 * countries, transshipment hubs and a few legal flows to and from Russia. A synthetic
 * name (or vessel) that the matcher finds in the loaded lists at the default threshold
 * is dropped, and a synthetic identifier equal to a listed one is drawn again, so clean
 * records stay clean. Violations of eight kinds are planted at the rate asked for and
 * written to the truth file.
 *
 * Everything random comes from one xoshiro256** generator seeded by splitmix64 from
 * --seed, so a seed gives the same bytes on every run and machine; the name checks run
 * on several threads but only decide which names to keep. Output streams: memory
 * depends on the population and the lists, never on the number of records.
 *
 * This file only uses embargo.h and libc (and pthreads for the name checks).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/out.h"

/* ------------------------------------------------------------------ random */

typedef struct rng {
  uint64_t s[4];
  bool has_spare; /* Box-Muller keeps its second value */
  double spare;
} rng;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed) {
  for (int i = 0; i < 4; i++)
    r->s[i] = splitmix64(&seed);
  r->has_spare = false;
}

static inline uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna, public domain). */
static inline uint64_t rng_next(rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* A uniform integer in [0, n); n > 0. */
static inline uint32_t rng_below(rng *r, uint32_t n) {
  return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A uniform double in [0, 1). */
static inline double rng_unit(rng *r) {
  return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static inline bool rng_chance(rng *r, double p) {
  return rng_unit(r) < p;
}

static double rng_normal(rng *r) {
  if (r->has_spare) {
    r->has_spare = false;
    return r->spare;
  }
  double u, v, s;
  do {
    u = rng_unit(r) * 2 - 1;
    v = rng_unit(r) * 2 - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  double m = sqrt(-2 * log(s) / s);
  r->spare = v * m;
  r->has_spare = true;
  return u * m;
}

static double rng_lognormal(rng *r, double median, double sigma) {
  return median * exp(sigma * rng_normal(r));
}

/* Index drawn from a cumulative weight table cdf[0..n) (last entry = total). */
static size_t pick_cdf(rng *r, const double *cdf, size_t n) {
  double x = rng_unit(r) * cdf[n - 1];
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cdf[mid] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* Index drawn with probability w[i] / sum(w) from w[0..n); `fallback` when rounding
 * leaves none. */
static int pick_weighted(rng *r, const double *w, size_t n, int fallback) {
  double tot = 0;
  for (size_t i = 0; i < n; i++)
    tot += w[i];
  double x = rng_unit(r) * tot;
  for (size_t i = 0; i < n; i++) {
    if (x < w[i])
      return (int)i;
    x -= w[i];
  }
  return fallback;
}

/* ---------------------------------------------------------- small helpers */

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("embargo: out of memory\n", stderr);
    exit(EXIT_INPUT);
  }
  return p;
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    fputs("embargo: out of memory\n", stderr);
    exit(EXIT_INPUT);
  }
  return p;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xmalloc(n), s, n);
}

#define GROW(arr, n, cap)                                                                          \
  do {                                                                                             \
    if ((n) >= (cap)) {                                                                            \
      (cap) = (cap) ? (cap)*2 : 64;                                                                \
      (arr) = xrealloc((arr), (cap) * sizeof(*(arr)));                                             \
    }                                                                                              \
  } while (0)

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h ? h : 1;
}

/* An open-addressing set of 64-bit hashes (0 is the empty slot). */
typedef struct hset {
  uint64_t *slots;
  size_t cap, n;
} hset;

static bool hset_has(const hset *h, uint64_t k) {
  if (!h->cap)
    return false;
  for (size_t i = k & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
    if (h->slots[i] == k)
      return true;
    if (!h->slots[i])
      return false;
  }
}

/* Adds k; returns false when it was there already. */
static bool hset_add(hset *h, uint64_t k) {
  if ((h->n + 1) * 2 > h->cap) {
    size_t ncap = h->cap ? h->cap * 2 : 1024;
    uint64_t *ns = calloc(ncap, sizeof(*ns));
    if (!ns) {
      fputs("embargo: out of memory\n", stderr);
      exit(EXIT_INPUT);
    }
    for (size_t i = 0; i < h->cap; i++)
      if (h->slots[i]) {
        size_t j = h->slots[i] & (ncap - 1);
        while (ns[j])
          j = (j + 1) & (ncap - 1);
        ns[j] = h->slots[i];
      }
    free(h->slots);
    h->slots = ns;
    h->cap = ncap;
  }
  size_t i = k & (h->cap - 1);
  while (h->slots[i]) {
    if (h->slots[i] == k)
      return false;
    i = (i + 1) & (h->cap - 1);
  }
  h->slots[i] = k;
  h->n++;
  return true;
}

/* A string pool: strings appended, addressed by offset. */
typedef struct spool {
  char *b;
  size_t n, cap;
} spool;

static uint32_t spool_add(spool *p, const char *s) {
  size_t len = strlen(s) + 1;
  while (p->n + len > p->cap) {
    p->cap = p->cap ? p->cap * 2 : 1 << 16;
    p->b = xrealloc(p->b, p->cap);
  }
  memcpy(p->b + p->n, s, len);
  uint32_t off = (uint32_t)p->n;
  p->n += len;
  return off;
}

#define SP(pool, off) ((pool)->b + (off))

/* Keeps the letters and digits of s, upper-cased (ASCII), as the identifier index does. */
static size_t id_norm(const char *s, char *out, size_t cap) {
  size_t n = 0;
  for (; *s && n + 1 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c))
      out[n++] = (char)toupper(c);
    else if (c >= 0x80)
      out[n++] = (char)c;
  }
  out[n] = 0;
  return n;
}

/* ------------------------------------------------------------- countries */

enum { CK_ORDINARY = 0, CK_HUB = 1, CK_RU = 2, CK_BY = 3 };
enum {
  ID_NONE,
  ID_EIN,
  ID_VAT9,
  ID_FRVAT,
  ID_ITVAT,
  ID_NLVAT,
  ID_PLVAT,
  ID_ATVAT,
  ID_CHE,
  ID_USCC,
  ID_INN10,
  ID_UNP,
  ID_BIN,
  ID_KGINN,
  ID_UZINN,
  ID_AMTIN,
  ID_GETIN,
  ID_VKN,
  ID_TRN,
  ID_GSTIN,
  ID_JPCN,
  ID_KRBRN,
  ID_VNMST,
  ID_RFC,
  ID_HKBR,
  ID_UEN,
  ID_CABN
};

/* A country of the model: naming profile, trade weights, identifier scheme, ports. */
typedef struct country {
  const char *code;
  const char *profile; /* words.tsv profile */
  double w_export;     /* share of ordinary records dispatched from here */
  double w_import;     /* share of ordinary records destined here */
  int kind;            /* CK_... */
  int id_scheme;
  double id_rate;    /* how often a record carries the party's identifier */
  const char *names; /* other ways records write the country, '|'-separated */
  const char *sea;   /* sea ports, '|'-separated ("" when landlocked) */
  const char *air;   /* airports */
  const char *land;  /* border and rail points */
  const char *currency;
  double fx; /* units of currency per USD */
} country;

static const country COUNTRIES[] = {
    {"US", "en", 10, 13, CK_ORDINARY, ID_EIN, 0.3, "United States|USA|United States of America",
     "Los Angeles|Long Beach|Newark|Savannah|Houston|Seattle", "Chicago O'Hare|JFK New York|Miami",
     "Laredo|Detroit", "USD", 1},
    {"DE", "de", 10, 8, CK_ORDINARY, ID_VAT9, 0.8, "Germany|Deutschland", "Hamburg|Bremerhaven",
     "Frankfurt am Main|Leipzig/Halle|Munich", "Duisburg|Frankfurt (Oder)", "EUR", 0.92},
    {"CN", "cn", 18, 9, CK_HUB, ID_USCC, 0.7, "China|People's Republic of China|PRC",
     "Shanghai|Shenzhen Yantian|Ningbo|Qingdao|Tianjin|Xiamen", "Shanghai Pudong|Shenzhen Bao'an",
     "Khorgos|Alashankou|Manzhouli", "USD", 1},
    {"FR", "fr", 4, 4.5, CK_ORDINARY, ID_FRVAT, 0.8, "France", "Le Havre|Marseille-Fos",
     "Paris Charles de Gaulle|Lyon", "Strasbourg", "EUR", 0.92},
    {"IT", "it", 4, 3.5, CK_ORDINARY, ID_ITVAT, 0.8, "Italy", "Genoa|La Spezia|Trieste",
     "Milan Malpensa|Rome Fiumicino", "Verona|Brenner", "EUR", 0.92},
    {"NL", "nl", 4, 4, CK_ORDINARY, ID_NLVAT, 0.8, "Netherlands|The Netherlands|Holland",
     "Rotterdam|Amsterdam", "Amsterdam Schiphol", "Venlo", "EUR", 0.92},
    {"GB", "gb", 3, 4, CK_ORDINARY, ID_VAT9, 0.6, "United Kingdom|UK|Great Britain",
     "Felixstowe|Southampton|London Gateway", "London Heathrow|East Midlands", "Dover", "GBP",
     0.79},
    {"JP", "jp", 4, 4, CK_ORDINARY, ID_JPCN, 0.5, "Japan", "Tokyo|Yokohama|Kobe|Nagoya",
     "Narita|Kansai", "", "JPY", 140},
    {"KR", "kr", 4, 3.5, CK_ORDINARY, ID_KRBRN, 0.5,
     "Korea, Republic of|South Korea|Republic of Korea", "Busan|Incheon", "Incheon Airport", "",
     "USD", 1},
    {"IN", "in", 3, 4, CK_ORDINARY, ID_GSTIN, 0.7, "India", "Nhava Sheva|Mundra|Chennai",
     "Delhi|Mumbai|Bengaluru", "", "USD", 1},
    {"VN", "vn", 3, 2.5, CK_ORDINARY, ID_VNMST, 0.6, "Viet Nam|Vietnam",
     "Hai Phong|Cat Lai|Cai Mep", "Noi Bai|Tan Son Nhat", "Lang Son", "USD", 1},
    {"MX", "mx", 2.5, 3, CK_ORDINARY, ID_RFC, 0.6, "Mexico|México",
     "Manzanillo|Veracruz|Lazaro Cardenas", "Mexico City|Guadalajara", "Nuevo Laredo", "USD", 1},
    {"PL", "pl", 2, 2.5, CK_ORDINARY, ID_PLVAT, 0.8, "Poland", "Gdansk|Gdynia", "Warsaw Chopin",
     "Malaszewicze|Swiecko", "EUR", 0.92},
    {"TR", "tr", 2.5, 2.5, CK_HUB, ID_VKN, 0.7, "Türkiye|Turkey|Turkiye", "Mersin|Ambarli|Izmir",
     "Istanbul Airport", "Kapikule|Sarp", "USD", 1},
    {"CA", "en", 1.5, 2, CK_ORDINARY, ID_CABN, 0.3, "Canada", "Vancouver|Montreal|Halifax",
     "Toronto Pearson", "Windsor", "USD", 1},
    {"CH", "de", 1.5, 1.5, CK_ORDINARY, ID_CHE, 0.7, "Switzerland|Schweiz", "", "Zurich|Basel",
     "Basel|Chiasso", "EUR", 0.92},
    {"AT", "de", 1, 1, CK_ORDINARY, ID_ATVAT, 0.8, "Austria|Österreich", "", "Vienna",
     "Linz|Salzburg", "EUR", 0.92},
    {"SG", "en", 1.5, 1.5, CK_ORDINARY, ID_UEN, 0.5, "Singapore", "Singapore", "Singapore Changi",
     "", "USD", 1},
    {"HK", "hk", 2, 2.5, CK_HUB, ID_HKBR, 0.5, "Hong Kong|Hong Kong SAR|Hong Kong, China",
     "Hong Kong", "Hong Kong International", "Lok Ma Chau", "USD", 1},
    {"AE", "ae", 1.5, 2.5, CK_HUB, ID_TRN, 0.6, "United Arab Emirates|UAE",
     "Jebel Ali|Khalifa Port", "Dubai International|Dubai World Central", "", "USD", 1},
    {"KZ", "kz", 0.8, 1.2, CK_HUB, ID_BIN, 0.8, "Kazakhstan|Republic of Kazakhstan", "Aktau",
     "Almaty|Astana", "Dostyk|Khorgos|Petropavl", "USD", 1},
    {"AM", "am", 0.2, 0.4, CK_HUB, ID_AMTIN, 0.7, "Armenia", "", "Yerevan Zvartnots", "Bagratashen",
     "USD", 1},
    {"GE", "ge", 0.2, 0.4, CK_HUB, ID_GETIN, 0.7, "Georgia", "Poti|Batumi", "Tbilisi",
     "Sarpi|Sadakhlo", "USD", 1},
    {"KG", "kg", 0.1, 0.3, CK_HUB, ID_KGINN, 0.7, "Kyrgyzstan|Kyrgyz Republic", "", "Bishkek Manas",
     "Torugart|Ak-Zhol", "USD", 1},
    {"UZ", "uz", 0.3, 0.6, CK_HUB, ID_UZINN, 0.7, "Uzbekistan", "", "Tashkent", "Yallama|Keles",
     "USD", 1},
    {"RU", "ru", 0, 0, CK_RU, ID_INN10, 0.85, "Russian Federation|Russia|Россия",
     "Novorossiysk|St. Petersburg|Vladivostok|Ust-Luga", "Moscow Sheremetyevo|Moscow Vnukovo",
     "Zabaykalsk|Troitsk|Verkhniy Lars", "USD", 1},
    {"BY", "by", 0, 0, CK_BY, ID_UNP, 0.85, "Belarus|Republic of Belarus", "", "Minsk",
     "Brest|Kozlovichi", "USD", 1},
};
#define N_COUNTRIES (sizeof(COUNTRIES) / sizeof(COUNTRIES[0]))

static int country_index(const char *code) {
  for (size_t i = 0; i < N_COUNTRIES; i++)
    if (!strcmp(COUNTRIES[i].code, code))
      return (int)i;
  return -1;
}

/* Picks the k-th of a '|'-separated list into buf; returns buf ("" when the list is empty). */
static const char *list_item(const char *list, uint32_t k, char *buf, size_t cap) {
  size_t n = 1;
  if (!*list) {
    buf[0] = 0;
    return buf;
  }
  for (const char *p = list; *p; p++)
    n += *p == '|';
  k %= (uint32_t)n;
  const char *s = list;
  while (k--)
    s = strchr(s, '|') + 1;
  const char *e = strchr(s, '|');
  size_t len = e ? (size_t)(e - s) : strlen(s);
  if (len >= cap)
    len = cap - 1;
  memcpy(buf, s, len);
  buf[len] = 0;
  return buf;
}

static uint32_t list_count(const char *list) {
  if (!*list)
    return 0;
  uint32_t n = 1;
  for (const char *p = list; *p; p++)
    n += *p == '|';
  return n;
}

static const char *pick_item(rng *r, const char *list, char *buf, size_t cap) {
  uint32_t n = list_count(list);
  return list_item(list, n ? rng_below(r, n) : 0, buf, cap);
}

/* ------------------------------------------------------------------ words */

typedef struct word {
  const char *text;  /* native spelling ("-" for a Latin-only pattern) */
  const char *latin; /* Latin spelling, or NULL */
} word;

typedef struct wlist {
  char *profile;
  char *kind;
  word *items;
  size_t n, cap;
} wlist;

typedef struct words {
  wlist *lists;
  size_t n, cap;
  char *inherit_from[64]; /* per profile name: parent profile */
  char *inherit_name[64];
  size_t n_inherit;
} words;

static wlist *words_list(words *w, const char *profile, const char *kind, bool create) {
  for (size_t i = 0; i < w->n; i++)
    if (!strcmp(w->lists[i].profile, profile) && !strcmp(w->lists[i].kind, kind))
      return &w->lists[i];
  if (!create)
    return NULL;
  GROW(w->lists, w->n, w->cap);
  wlist *l = &w->lists[w->n++];
  memset(l, 0, sizeof(*l));
  l->profile = xstrdup(profile);
  l->kind = xstrdup(kind);
  return l;
}

/* The list of `kind` for `profile`, following "inherit" lines; NULL when none. */
static const wlist *words_find(const words *w, const char *profile, const char *kind) {
  for (int depth = 0; profile && depth < 8; depth++) {
    const wlist *l = words_list((words *)w, profile, kind, false);
    if (l && l->n)
      return l;
    const char *parent = NULL;
    for (size_t i = 0; i < w->n_inherit; i++)
      if (!strcmp(w->inherit_name[i], profile))
        parent = w->inherit_from[i];
    profile = parent;
  }
  return NULL;
}

/* Splits a TSV line in place into at most max fields; returns the count. */
static int split_tabs(char *line, char **f, int max) {
  int n = 0;
  line[strcspn(line, "\r\n")] = 0;
  while (n < max) {
    f[n++] = line;
    char *t = strchr(line, '\t');
    if (!t)
      break;
    *t = 0;
    line = t + 1;
  }
  return n;
}

/* A reader of the generator's TSV data files: '#' lines and empty lines are skipped. */
typedef struct tsv {
  FILE *f;
  char line[2048];
  size_t cap; /* bytes of `line` a read may use */
  unsigned long ln;
} tsv;

/* Opens path for tsv_next, reading lines of up to cap - 1 bytes (cap <= 2048); prints
 * the error. Returns 0 or EXIT_INPUT. */
static int tsv_open(tsv *t, const char *path, size_t cap) {
  t->f = fopen(path, "r");
  t->cap = cap;
  t->ln = 0;
  if (!t->f) {
    fprintf(stderr, "embargo: %s: %s\n", path, strerror(errno));
    return EXIT_INPUT;
  }
  return 0;
}

/* Splits the next data line into at most max fields (t->ln is its number); returns the
 * count, or 0 at the end of the file, which it then closes. */
static int tsv_next(tsv *t, char **fl, int max) {
  while (fgets(t->line, (int)t->cap, t->f)) {
    t->ln++;
    if (t->line[0] == '#' || t->line[0] == '\n')
      continue;
    return split_tabs(t->line, fl, max);
  }
  fclose(t->f);
  t->f = NULL;
  return 0;
}

/* Loads words.tsv; prints problems with their line. Returns 0 or EXIT_INPUT. */
static int words_load(words *w, const char *path) {
  tsv t;
  if (tsv_open(&t, path, 1024))
    return EXIT_INPUT;
  int status = 0;
  char *fl[4];
  int nf;
  while ((nf = tsv_next(&t, fl, 4)) > 0) {
    unsigned long ln = t.ln;
    if (nf < 3 || !fl[0][0] || !fl[1][0] || !fl[2][0]) {
      fprintf(stderr, "embargo: %s:%lu: expected profile, kind and text; line ignored\n", path, ln);
      status = EXIT_INPUT;
      continue;
    }
    if (!strcmp(fl[1], "inherit")) {
      if (w->n_inherit < 64) {
        w->inherit_name[w->n_inherit] = xstrdup(fl[0]);
        w->inherit_from[w->n_inherit++] = xstrdup(fl[2]);
      }
      continue;
    }
    wlist *l = words_list(w, fl[0], fl[1], true);
    GROW(l->items, l->n, l->cap);
    l->items[l->n].text = xstrdup(fl[2]);
    l->items[l->n].latin = nf > 3 && fl[3][0] ? xstrdup(fl[3]) : NULL;
    l->n++;
  }
  return status;
}

static void words_free(words *w) {
  for (size_t i = 0; i < w->n; i++) {
    for (size_t k = 0; k < w->lists[i].n; k++) {
      free((char *)w->lists[i].items[k].text);
      free((char *)w->lists[i].items[k].latin);
    }
    free(w->lists[i].items);
    free(w->lists[i].profile);
    free(w->lists[i].kind);
  }
  free(w->lists);
  for (size_t i = 0; i < w->n_inherit; i++) {
    free(w->inherit_name[i]);
    free(w->inherit_from[i]);
  }
}

/* ------------------------------------------------------- transliteration */

/* Russian, Ukrainian and Kazakh Cyrillic to Latin (BGN/PCGN-like, as customs write it). */
static const char *cyr_latin(uint32_t cp) {
  static const char *const lower[32] = {
      "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "y",    "k", "l", "m", "n", "o",  "p",
      "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "yu", "ya"};
  if (cp >= 0x430 && cp <= 0x44F)
    return lower[cp - 0x430];
  switch (cp) {
  case 0x451: return "e";  /* ё */
  case 0x456: return "i";  /* і */
  case 0x457: return "yi"; /* ї */
  case 0x454: return "ye"; /* є */
  case 0x491: return "g";  /* ґ */
  case 0x4D9: return "a";  /* ә */
  case 0x493: return "g";  /* ғ */
  case 0x49B: return "q";  /* қ */
  case 0x4A3: return "n";  /* ң */
  case 0x4E9: return "o";  /* ө */
  case 0x4B1: return "u";  /* ұ */
  case 0x4AF: return "u";  /* ү */
  case 0x4BB: return "h";  /* һ */
  case 0xAB:
  case 0xBB: return "\""; /* « » */
  default: return NULL;
  }
}

static uint32_t cyr_lower(uint32_t cp) {
  if (cp >= 0x410 && cp <= 0x42F)
    return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F)
    return cp + 0x50;
  if (cp >= 0x4D8 && cp <= 0x4E9 && !(cp & 1))
    return cp + 1;
  switch (cp) {
  case 0x492:
  case 0x49A:
  case 0x4A2:
  case 0x4B0:
  case 0x4AE:
  case 0x4BA:
  case 0x490: return cp + 1;
  default: return cp;
  }
}

/* Decodes one UTF-8 sequence at s; sets *len (1 on invalid bytes). */
static uint32_t utf8_dec(const unsigned char *s, size_t *len) {
  if (s[0] < 0x80) {
    *len = 1;
    return s[0];
  }
  if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
    *len = 2;
    return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    *len = 3;
    return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  *len = 1;
  return 0xFFFD;
}

/* True when s has a code point in [lo, hi]. */
static bool has_range(const char *s, uint32_t lo, uint32_t hi) {
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    size_t l;
    uint32_t cp = utf8_dec(p, &l);
    if (cp >= lo && cp <= hi)
      return true;
    p += l;
  }
  return false;
}

static bool has_cyrillic(const char *s) {
  return has_range(s, 0x400, 0x4FF);
}

static bool has_han(const char *s) {
  return has_range(s, 0x4E00, 0x9FFF);
}

/* Appends the Latin transliteration of s to out (cap bytes, always terminated). */
static void translit(const char *s, char *out, size_t cap) {
  size_t n = strlen(out);
  for (const unsigned char *p = (const unsigned char *)s; *p && n + 5 < cap;) {
    size_t l;
    uint32_t cp = utf8_dec(p, &l);
    uint32_t lo = cyr_lower(cp);
    const char *t = cyr_latin(lo);
    if (t) {
      bool upper = lo != cp;
      for (size_t k = 0; t[k] && n + 1 < cap; k++)
        out[n++] = (char)(upper && k == 0 ? toupper((unsigned char)t[k]) : t[k]);
    } else {
      for (size_t k = 0; k < l && n + 1 < cap; k++)
        out[n++] = (char)p[k];
    }
    p += l;
  }
  out[n] = 0;
}

/* ------------------------------------------------------------------ goods */

typedef struct good {
  char hs[7];
  int sector;
  double weight;
  char unit[8];
  double uv_median, uv_sigma, qty_median;
  char *desc[3];   /* en, ru, zh (NULL when "-") */
  bool controlled; /* on the control list */
} good;

#define MAX_SECTORS 32

typedef struct catalog {
  good *g;
  size_t n, cap;
  char *sector_names[MAX_SECTORS];
  size_t n_sectors;
  size_t *by_sector[MAX_SECTORS]; /* goods indices per sector */
  double *cdf_sector[MAX_SECTORS];
  size_t n_by_sector[MAX_SECTORS];
  double sector_weight[MAX_SECTORS];
  /* control list codes (HS-6, digits only) with their tier and description */
  char (*ctl)[11];
  char **ctl_tier;
  char **ctl_desc;
  size_t n_ctl;
} catalog;

static int sector_of(catalog *c, const char *name) {
  for (size_t i = 0; i < c->n_sectors; i++)
    if (!strcmp(c->sector_names[i], name))
      return (int)i;
  if (c->n_sectors >= MAX_SECTORS)
    return -1;
  c->sector_names[c->n_sectors] = xstrdup(name);
  return (int)c->n_sectors++;
}

static int goods_load(catalog *c, const char *path) {
  tsv t;
  if (tsv_open(&t, path, 2048))
    return EXIT_INPUT;
  int status = 0;
  char *fl[10];
  int nf;
  while ((nf = tsv_next(&t, fl, 10)) > 0) {
    unsigned long ln = t.ln;
    char *end;
    double wt = nf == 10 ? strtod(fl[2], &end) : 0;
    if (nf != 10 || strlen(fl[0]) != 6 || strspn(fl[0], "0123456789") != 6 || wt <= 0 ||
        strtod(fl[4], NULL) <= 0 || strtod(fl[6], NULL) <= 0 || strlen(fl[3]) >= 8) {
      fprintf(stderr, "embargo: %s:%lu: malformed goods line; ignored\n", path, ln);
      status = EXIT_INPUT;
      continue;
    }
    int s = sector_of(c, fl[1]);
    if (s < 0) {
      fprintf(stderr, "embargo: %s:%lu: too many sectors; line ignored\n", path, ln);
      status = EXIT_INPUT;
      continue;
    }
    GROW(c->g, c->n, c->cap);
    good *g = &c->g[c->n++];
    memset(g, 0, sizeof(*g));
    memcpy(g->hs, fl[0], 7);
    g->sector = s;
    g->weight = wt;
    strcpy(g->unit, fl[3]);
    g->uv_median = strtod(fl[4], NULL);
    g->uv_sigma = strtod(fl[5], NULL);
    g->qty_median = strtod(fl[6], NULL);
    for (int k = 0; k < 3; k++)
      g->desc[k] = strcmp(fl[7 + k], "-") ? xstrdup(fl[7 + k]) : NULL;
    if (!g->desc[0])
      g->desc[0] = xstrdup("Goods");
  }
  for (size_t s = 0; s < c->n_sectors; s++) {
    c->by_sector[s] = xmalloc(c->n * sizeof(size_t));
    c->cdf_sector[s] = xmalloc(c->n * sizeof(double));
    double acc = 0;
    for (size_t i = 0; i < c->n; i++)
      if (c->g[i].sector == (int)s) {
        acc += c->g[i].weight;
        c->by_sector[s][c->n_by_sector[s]] = i;
        c->cdf_sector[s][c->n_by_sector[s]++] = acc;
      }
    c->sector_weight[s] = acc;
  }
  if (!c->n) {
    fprintf(stderr, "embargo: %s: no goods\n", path);
    return EXIT_INPUT;
  }
  return status;
}

/* Reads the control list (CSV with a `code` column, and `tier`, `description`). */
static int controls_load(catalog *c, const char *path) {
  emb_diags d;
  emb_diags_init(&d);
  emb_table *t = NULL;
  if (emb_table_open(path, &t, &d)) {
    cli_print_diags(stderr, &d);
    emb_diags_fini(&d);
    return EXIT_INPUT;
  }
  int c_code = emb_table_column(t, "code"), c_tier = emb_table_column(t, "tier");
  int c_desc = emb_table_column(t, "description");
  const char *const *fl;
  size_t n, cap = 0;
  unsigned long line;
  bool ragged;
  while (c_code >= 0 && emb_table_next(t, &fl, &n, &line, &ragged) == 1) {
    if (ragged || (size_t)c_code >= n)
      continue;
    char digits[11];
    size_t k = 0;
    for (const char *p = fl[c_code]; *p && k < 10; p++)
      if (isdigit((unsigned char)*p))
        digits[k++] = *p;
    digits[k] = 0;
    if (k < 6)
      continue; /* a control coarser than HS-6 is not planted */
    digits[6] = 0;
    GROW(c->ctl, c->n_ctl, cap);
    c->ctl_tier = xrealloc(c->ctl_tier, cap * sizeof(char *));
    c->ctl_desc = xrealloc(c->ctl_desc, cap * sizeof(char *));
    memcpy(c->ctl[c->n_ctl], digits, 7);
    c->ctl_tier[c->n_ctl] = xstrdup(c_tier >= 0 && (size_t)c_tier < n ? fl[c_tier] : "");
    c->ctl_desc[c->n_ctl] = xstrdup(
        c_desc >= 0 && (size_t)c_desc < n && fl[c_desc][0] ? fl[c_desc] : "Controlled goods");
    c->n_ctl++;
  }
  int status = d.n_errors ? EXIT_INPUT : 0;
  if (d.n_errors)
    cli_print_diags(stderr, &d);
  emb_table_close(t);
  emb_diags_fini(&d);
  if (!c->n_ctl) {
    fprintf(stderr, "embargo: %s: no HS-6 control codes\n", path);
    return EXIT_INPUT;
  }
  for (size_t i = 0; i < c->n; i++)
    for (size_t k = 0; k < c->n_ctl; k++)
      if (!strncmp(c->g[i].hs, c->ctl[k], 6))
        c->g[i].controlled = true;
  return status;
}

static void catalog_free(catalog *c) {
  for (size_t i = 0; i < c->n; i++)
    for (int k = 0; k < 3; k++)
      free(c->g[i].desc[k]);
  free(c->g);
  for (size_t s = 0; s < c->n_sectors; s++) {
    free(c->sector_names[s]);
    free(c->by_sector[s]);
    free(c->cdf_sector[s]);
  }
  for (size_t k = 0; k < c->n_ctl; k++) {
    free(c->ctl_tier[k]);
    free(c->ctl_desc[k]);
  }
  free(c->ctl);
  free(c->ctl_tier);
  free(c->ctl_desc);
}

/* ------------------------------------------------------------ population */

enum { POOL_NORMAL = 0, POOL_RU = 1, POOL_DIVERTER = 2 };

typedef struct company {
  uint32_t name;     /* native spelling (spool offset) */
  uint32_t latin;    /* Latin spelling; == name when the same */
  uint32_t id;       /* identifier (spool offset; "" when none) */
  uint32_t last_rec; /* last record that used it, for the statistics */
  uint32_t uses;     /* records that used it */
  uint8_t country;
  uint8_t sector;
  uint8_t pool;
  bool dropped;
} company;

/* A Zipf-weighted draw over a list of companies. */
typedef struct zpool {
  uint32_t *idx;
  double *cdf;
  size_t n;
} zpool;

typedef struct vessel {
  uint32_t name, imo, carrier;
  bool dropped;
} vessel;

typedef struct population {
  company *c;
  size_t n, cap;
  spool sp;
  zpool normal[N_COUNTRIES];
  zpool ru[N_COUNTRIES];
  zpool *sect; /* [country * MAX_SECTORS + sector] */
  uint32_t *diverters;
  size_t n_diverters;
  vessel *v;
  size_t n_v, cap_v;
  uint32_t sea_carriers[64], air_carriers[32], land_carriers[32];
  size_t n_sea, n_air, n_land;
  size_t dropped_names, dropped_vessels, ids_redrawn;
} population;

static void zpool_add(zpool *z, uint32_t ci, double w) {
  z->idx = xrealloc(z->idx, (z->n + 1) * sizeof(*z->idx));
  z->cdf = xrealloc(z->cdf, (z->n + 1) * sizeof(*z->cdf));
  z->idx[z->n] = ci;
  z->cdf[z->n] = (z->n ? z->cdf[z->n - 1] : 0) + w;
  z->n++;
}

static inline uint32_t zpool_pick(rng *r, const zpool *z) {
  return z->idx[pick_cdf(r, z->cdf, z->n)];
}

/* Fills a pattern template with entries of the profile; choices are shared by the
 * native and the Latin rendering through `memo`. */
typedef struct fill_memo {
  char name[8][16];
  const word *w[8];
  int n;
} fill_memo;

static const word *memo_get(fill_memo *m, const words *wl, const char *profile, const char *ph,
                            rng *r) {
  for (int i = 0; i < m->n; i++)
    if (!strcmp(m->name[i], ph))
      return m->w[i];
  char kind[16];
  snprintf(kind, sizeof(kind), "%s", ph);
  size_t kl = strlen(kind);
  while (kl && isdigit((unsigned char)kind[kl - 1]))
    kind[--kl] = 0;
  const wlist *l = words_find(wl, profile, kind);
  if (!l)
    return NULL;
  const word *w = &l->items[rng_below(r, (uint32_t)l->n)];
  /* A second draw of a kind ({surname2}) differs from the first when it can. */
  for (int tries = 0; tries < 4 && l->n > 1; tries++) {
    bool same = false;
    for (int i = 0; i < m->n; i++)
      if (m->w[i] == w)
        same = true;
    if (!same)
      break;
    w = &l->items[rng_below(r, (uint32_t)l->n)];
  }
  if (m->n < 8) {
    snprintf(m->name[m->n], sizeof(m->name[0]), "%s", ph);
    m->w[m->n++] = w;
  }
  return w;
}

static bool fill(const char *tpl, bool latin, fill_memo *m, const words *wl, const char *profile,
                 rng *r, char *out, size_t cap) {
  size_t n = 0;
  out[0] = 0;
  for (const char *p = tpl; *p;) {
    if (*p == '{') {
      const char *e = strchr(p, '}');
      if (!e || e - p - 1 >= 16)
        return false;
      char ph[16];
      memcpy(ph, p + 1, (size_t)(e - p - 1));
      ph[e - p - 1] = 0;
      const word *w = memo_get(m, wl, profile, ph, r);
      if (!w)
        return false;
      out[n] = 0;
      if (latin && w->latin) {
        snprintf(out + n, cap - n, "%s", w->latin);
      } else if (latin && has_cyrillic(w->text)) {
        translit(w->text, out, cap);
      } else {
        snprintf(out + n, cap - n, "%s", w->text);
      }
      n = strlen(out);
      p = e + 1;
    } else {
      if (n + 1 < cap)
        out[n++] = *p;
      out[n] = 0;
      p++;
    }
  }
  out[n] = 0;
  return n > 0;
}

/* Makes a company name for a profile: native and Latin spellings (equal when one). */
static bool make_name(const words *wl, const char *profile, rng *r, char *native, char *latin,
                      size_t cap) {
  const wlist *pats = words_find(wl, profile, "pattern");
  if (!pats)
    pats = words_find(wl, "en", "pattern");
  if (!pats)
    return false;
  const word *pt = &pats->items[rng_below(r, (uint32_t)pats->n)];
  fill_memo m = {0};
  bool latin_only = !strcmp(pt->text, "-");
  const char *ltpl = pt->latin ? pt->latin : pt->text;
  if (latin_only) {
    if (!fill(ltpl, true, &m, wl, profile, r, latin, cap))
      return false;
    strcpy(native, latin);
    return true;
  }
  if (!fill(pt->text, false, &m, wl, profile, r, native, cap))
    return false;
  if (pt->latin || has_cyrillic(native)) {
    if (!fill(ltpl, true, &m, wl, profile, r, latin, cap))
      return false;
  } else {
    strcpy(latin, native);
  }
  return true;
}

/* ---------------------------------------------------- identifier schemes */

static void digits(rng *r, char *out, int n) {
  for (int i = 0; i < n; i++)
    out[i] = (char)('0' + rng_below(r, 10));
  out[n] = 0;
}

static void make_inn10(rng *r, char *out) {
  static const char *const regions[] = {"77", "78", "50", "66", "54", "16", "23", "52", "63", "74"};
  static const int w[9] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
  strcpy(out, regions[rng_below(r, 10)]);
  digits(r, out + 2, 7);
  int s = 0;
  for (int i = 0; i < 9; i++)
    s += (out[i] - '0') * w[i];
  out[9] = (char)('0' + s % 11 % 10);
  out[10] = 0;
}

/* The unified social credit code of GB 32100-2015, with its check character. */
static void make_uscc(rng *r, char *out) {
  static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  static const char *const areas[] = {"440300", "440100", "441900", "330200", "330782", "320500",
                                      "330100", "350200", "370200", "120000", "310000", "440600"};
  out[0] = '9';
  out[1] = '1';
  memcpy(out + 2, areas[rng_below(r, 12)], 6);
  for (int i = 8; i < 17; i++)
    out[i] = set[rng_below(r, i < 16 ? 31 : 10)];
  int s = 0;
  for (int i = 0; i < 17; i++)
    s += (int)(strchr(set, out[i]) - set) * w[i];
  out[17] = set[(31 - s % 31) % 31];
  out[18] = 0;
}

/* The schemes written as a prefix, n random digits and a suffix. */
static const struct plain_id {
  int scheme, n;
  const char *prefix, *suffix;
} PLAIN_IDS[] = {
    {ID_VAT9, 9, "", ""},       {ID_FRVAT, 11, "FR", ""}, {ID_ITVAT, 11, "IT", ""},
    {ID_NLVAT, 9, "NL", "B01"}, {ID_PLVAT, 10, "PL", ""}, {ID_ATVAT, 8, "ATU", ""},
    {ID_KGINN, 13, "0", ""},    {ID_AMTIN, 8, "", ""},    {ID_GETIN, 9, "", ""},
    {ID_VKN, 10, "", ""},       {ID_TRN, 12, "100", ""},  {ID_JPCN, 13, "", ""},
    {ID_VNMST, 9, "0", ""},     {ID_HKBR, 8, "", ""},     {ID_CABN, 9, "", "RC0001"},
};

static void make_id(rng *r, int scheme, char *out) {
  char d[32];
  for (size_t i = 0; i < sizeof(PLAIN_IDS) / sizeof(PLAIN_IDS[0]); i++)
    if (PLAIN_IDS[i].scheme == scheme) {
      digits(r, d, PLAIN_IDS[i].n);
      sprintf(out, "%s%s%s", PLAIN_IDS[i].prefix, d, PLAIN_IDS[i].suffix);
      return;
    }
  switch (scheme) {
  case ID_EIN:
    digits(r, d, 9);
    sprintf(out, "%.2s-%.7s", d, d + 2);
    break;
  case ID_CHE:
    digits(r, d, 9);
    sprintf(out, "CHE-%.3s.%.3s.%.3s", d, d + 3, d + 6);
    break;
  case ID_USCC: make_uscc(r, out); break;
  case ID_INN10: make_inn10(r, out); break;
  case ID_UNP:
    digits(r, d, 8);
    sprintf(out, "%c%s", "1234567"[rng_below(r, 7)], d);
    break;
  case ID_BIN:
    digits(r, d, 7);
    sprintf(out, "%02u%02u4%s", 10 + rng_below(r, 14), 1 + rng_below(r, 12), d);
    break;
  case ID_UZINN:
    digits(r, d, 8);
    sprintf(out, "%c%s", "23"[rng_below(r, 2)], d);
    break;
  case ID_GSTIN: {
    char pan[11];
    for (int i = 0; i < 5; i++)
      pan[i] = (char)('A' + rng_below(r, 26));
    pan[3] = 'C';
    digits(r, pan + 5, 4);
    pan[9] = (char)('A' + rng_below(r, 26));
    pan[10] = 0;
    sprintf(out, "%02u%s1Z%c", 1 + rng_below(r, 36), pan,
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rng_below(r, 36)]);
    break;
  }
  case ID_KRBRN:
    digits(r, d, 10);
    sprintf(out, "%.3s-%.2s-%.5s", d, d + 3, d + 5);
    break;
  case ID_RFC: {
    char a[4];
    for (int i = 0; i < 3; i++)
      a[i] = (char)('A' + rng_below(r, 26));
    a[3] = 0;
    sprintf(out, "%s%02u%02u%02u%c%c%u", a, rng_below(r, 100), 1 + rng_below(r, 12),
            1 + rng_below(r, 28), 'A' + rng_below(r, 26), '1' + rng_below(r, 9), rng_below(r, 10));
    break;
  }
  case ID_UEN:
    digits(r, d, 9);
    sprintf(out, "20%s%c", d + 2, 'A' + rng_below(r, 26));
    break;
  default: out[0] = 0;
  }
}

/* The length of the run of letters that starts buf[0..n): a country prefix ("FR", "INN"),
 * which identifiers are also compared without. */
static size_t letter_prefix(const char *buf, size_t n) {
  size_t j = 0;
  while (j < n && isalpha((unsigned char)buf[j]))
    j++;
  return j;
}

/* The listed identifiers, as the identifier index compares them. */
static void listed_ids(const emb_entity_set *set, hset *h) {
  char buf[128];
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    for (size_t k = 0; k < e->n_ids; k++) {
      if (!e->ids[k].value)
        continue;
      size_t n = id_norm(e->ids[k].value, buf, sizeof(buf));
      if (!n)
        continue;
      hset_add(h, hash_bytes(buf, n));
      size_t j = letter_prefix(buf, n);
      if (j && j < n)
        hset_add(h, hash_bytes(buf + j, n - j));
    }
  }
}

/* True when a synthetic identifier could be taken for a listed one. */
static bool id_collides(const hset *h, const char *id) {
  char buf[128];
  size_t n = id_norm(id, buf, sizeof(buf));
  if (!n)
    return false;
  if (hset_has(h, hash_bytes(buf, n)))
    return true;
  size_t j = letter_prefix(buf, n);
  return j && j < n && hset_has(h, hash_bytes(buf + j, n - j));
}

/* ------------------------------------------------------ checking names */

typedef struct check_job {
  const char *name;
  const char *country;
  const char *id;
  emb_schema schema;
  bool hit;
} check_job;

typedef struct check_ctx {
  const emb_matcher *m;
  check_job *jobs;
  size_t n;
  size_t next;
  pthread_mutex_t lock;
  int rc;
} check_ctx;

static void *check_thread(void *arg) {
  check_ctx *cx = arg;
  emb_match_ctx *mc = NULL;
  if (emb_match_ctx_new(cx->m, &mc)) {
    pthread_mutex_lock(&cx->lock);
    cx->rc = EMB_ENOMEM;
    pthread_mutex_unlock(&cx->lock);
    return NULL;
  }
  for (;;) {
    pthread_mutex_lock(&cx->lock);
    size_t start = cx->next;
    cx->next += 256;
    pthread_mutex_unlock(&cx->lock);
    if (start >= cx->n)
      break;
    size_t end = start + 256 < cx->n ? start + 256 : cx->n;
    for (size_t i = start; i < end; i++) {
      check_job *j = &cx->jobs[i];
      emb_query_id qid = {NULL, j->id};
      emb_query q = {.name = j->name, .schema = j->schema, .nationality = j->country};
      if (j->id && j->id[0]) {
        q.ids = &qid;
        q.n_ids = 1;
      }
      const emb_match_result *res;
      size_t n = 0;
      if (emb_match(mc, &q, 1, &res, &n) == 0 && n && res[0].match)
        j->hit = true;
    }
  }
  emb_match_ctx_free(mc);
  return NULL;
}

/* Runs the jobs on up to `threads` threads. Returns 0 or an EMB_E... code. */
static int check_names(const emb_matcher *m, check_job *jobs, size_t n, unsigned threads) {
  check_ctx cx = {.m = m, .jobs = jobs, .n = n};
  pthread_mutex_init(&cx.lock, NULL);
  pthread_t th[16];
  unsigned started = 0;
  if (threads > 16)
    threads = 16;
  for (unsigned i = 1; i < threads; i++)
    if (pthread_create(&th[started], NULL, check_thread, &cx) == 0)
      started++;
  check_thread(&cx);
  for (unsigned i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  pthread_mutex_destroy(&cx.lock);
  return cx.rc;
}

/* ---------------------------------------------------- population building */

/* Sector weights for Russian companies: what Russia exports. */
static double ru_sector_weight(const catalog *cat, size_t s) {
  static const char *const ru_sectors[] = {"fuel", "chemicals", "steel", "metals", "paper", "food"};
  for (size_t k = 0; k < sizeof(ru_sectors) / sizeof(ru_sectors[0]); k++)
    if (!strcmp(cat->sector_names[s], ru_sectors[k]))
      return cat->sector_weight[s];
  return 0;
}

static int draw_sector(rng *r, const catalog *cat, bool russian) {
  double w[MAX_SECTORS];
  for (size_t s = 0; s < cat->n_sectors; s++)
    w[s] = russian ? ru_sector_weight(cat, s) : cat->sector_weight[s];
  return pick_weighted(r, w, cat->n_sectors, (int)cat->n_sectors - 1);
}

static void add_company(population *p, const words *wl, const catalog *cat, const hset *ids,
                        hset *names, rng *r, int ci, int pool) {
  const country *co = &COUNTRIES[ci];
  char native[256], latin[256];
  for (int tries = 0; tries < 30; tries++) {
    if (!make_name(wl, co->profile, r, native, latin, sizeof(native)))
      return;
    if (hset_add(names, hash_bytes(native, strlen(native))))
      break;
    native[0] = 0;
  }
  if (!native[0])
    return;
  /* Most Chinese exporters are known abroad by their English name only. */
  if (has_han(native) && !rng_chance(r, 0.35))
    strcpy(native, latin);
  char id[64];
  make_id(r, co->id_scheme, id);
  while (id[0] && id_collides(ids, id)) {
    p->ids_redrawn++;
    make_id(r, co->id_scheme, id);
  }
  GROW(p->c, p->n, p->cap);
  company *c = &p->c[p->n++];
  memset(c, 0, sizeof(*c));
  c->name = spool_add(&p->sp, native);
  c->latin = strcmp(native, latin) ? spool_add(&p->sp, latin) : c->name;
  c->id = spool_add(&p->sp, id);
  c->country = (uint8_t)ci;
  c->pool = (uint8_t)pool;
  c->sector = (uint8_t)draw_sector(r, cat, co->kind == CK_RU || co->kind == CK_BY);
  c->last_rec = UINT32_MAX;
}

static const char *const SHIP_PREFIX[] = {"NORDIC",   "PACIFIC", "ATLANTIC", "BALTIC",  "AEGEAN",
                                          "CORAL",    "GOLDEN",  "SILVER",   "MORNING", "EVENING",
                                          "CAPE",     "JADE",    "AMBER",    "CRYSTAL", "NORTHERN",
                                          "SOUTHERN", "EASTERN", "WESTERN",  "BRIGHT",  "GREEN"};
static const char *const SHIP_NOUN[] = {"SPIRIT",  "HARMONY",  "TRADER",   "GRACE",   "PIONEER",
                                        "VOYAGER", "EXPLORER", "HORIZON",  "BREEZE",  "DAWN",
                                        "FORTUNE", "VENTURE",  "PRIDE",    "EXPRESS", "NAVIGATOR",
                                        "MARINER", "BRIDGE",   "MERIDIAN", "CONCORD", "ENDEAVOUR"};

static void make_imo(rng *r, char *out) {
  char d[8];
  d[0] = '9';
  for (int i = 1; i < 6; i++)
    d[i] = (char)('0' + rng_below(r, 10));
  int s = 0;
  for (int i = 0; i < 6; i++)
    s += (d[i] - '0') * (7 - i);
  d[6] = (char)('0' + s % 10);
  d[7] = 0;
  strcpy(out, d);
}

static void add_carriers(population *p, const words *wl, rng *r) {
  static const char *const sea[] = {"Shipping Line", "Container Lines", "Maritime", "Ocean Lines",
                                    "Sea Freight"};
  static const char *const air[] = {"Air Cargo", "Air Freight", "Cargo Airlines"};
  static const char *const land[] = {"Transport", "Freight", "Trucking", "Rail Logistics"};
  const wlist *stems = words_find(wl, "en", "stem");
  char buf[128];
  hset seen = {0};
  for (int k = 0; k < 3; k++) {
    size_t want = k == 0 ? 24 : 12;
    for (size_t i = 0; i < want * 4 && (k == 0   ? p->n_sea
                                        : k == 1 ? p->n_air
                                                 : p->n_land) < want;
         i++) {
      const char *stem = stems ? stems->items[rng_below(r, (uint32_t)stems->n)].text : "Global";
      const char *suf = k == 0   ? sea[rng_below(r, 5)]
                        : k == 1 ? air[rng_below(r, 3)]
                                 : land[rng_below(r, 4)];
      snprintf(buf, sizeof(buf), "%s %s", stem, suf);
      if (!hset_add(&seen, hash_bytes(buf, strlen(buf))))
        continue;
      uint32_t off = spool_add(&p->sp, buf);
      if (k == 0)
        p->sea_carriers[p->n_sea++] = off;
      else if (k == 1)
        p->air_carriers[p->n_air++] = off;
      else
        p->land_carriers[p->n_land++] = off;
    }
  }
  free(seen.slots);
}

static void add_vessels(population *p, rng *r, const hset *ids, size_t n) {
  hset seen = {0};
  char name[64], imo[16];
  for (size_t i = 0; i < n * 3 && p->n_v < n; i++) {
    snprintf(name, sizeof(name), "%s %s", SHIP_PREFIX[rng_below(r, 20)],
             SHIP_NOUN[rng_below(r, 20)]);
    if (rng_chance(r, 0.3))
      snprintf(name + strlen(name), sizeof(name) - strlen(name), " %u", 1 + rng_below(r, 9));
    if (!hset_add(&seen, hash_bytes(name, strlen(name))))
      continue;
    do
      make_imo(r, imo);
    while (id_collides(ids, imo) || !hset_add(&seen, hash_bytes(imo, strlen(imo))));
    GROW(p->v, p->n_v, p->cap_v);
    vessel *v = &p->v[p->n_v++];
    v->name = spool_add(&p->sp, name);
    v->imo = spool_add(&p->sp, imo);
    v->carrier = p->n_sea ? p->sea_carriers[rng_below(r, (uint32_t)p->n_sea)] : 0;
    v->dropped = false;
  }
  free(seen.slots);
}

static const double ZIPF_S = 1.1;

static int build_population(population *p, const words *wl, const catalog *cat,
                            const emb_entity_set *set, const emb_matcher *m, size_t target,
                            double expected_diverters, rng *r, bool quiet) {
  hset ids = {0}, names = {0};
  listed_ids(set, &ids);
  double wsum = 0;
  for (size_t i = 0; i < N_COUNTRIES; i++)
    wsum += COUNTRIES[i].w_export + COUNTRIES[i].w_import;
  /* Russia's share: the legal flows to and from Russia and the planted ones. */
  size_t n_ru = target / 25 + 50, n_by = target / 200 + 20;
  size_t rest = target > n_ru + n_by ? target - n_ru - n_by : target;
  for (size_t ci = 0; ci < N_COUNTRIES; ci++) {
    const country *co = &COUNTRIES[ci];
    size_t n;
    if (co->kind == CK_RU)
      n = n_ru;
    else if (co->kind == CK_BY)
      n = n_by;
    else
      n = (size_t)(rest * (co->w_export + co->w_import) / wsum) + 20;
    /* Companies that trade with Russia are a pool of their own, so that no clean record
     * sends controlled goods to a hub consignee that also deals with Russia. */
    size_t n_rup = co->kind >= CK_RU ? 0 : (size_t)(n * (co->kind == CK_HUB ? 0.08 : 0.03)) + 5;
    for (size_t k = 0; k < n; k++)
      add_company(p, wl, cat, &ids, &names, r, (int)ci, POOL_NORMAL);
    for (size_t k = 0; k < n_rup; k++)
      add_company(p, wl, cat, &ids, &names, r, (int)ci, POOL_RU);
  }
  /* Diverters: hub companies that receive controlled goods and also ship to Russia. */
  static const char *const hubs[] = {"KZ", "AM", "KG", "AE", "TR", "HK", "GE", "UZ", "CN"};
  size_t n_div = (size_t)ceil(expected_diverters) + 2;
  if (n_div > 2000)
    n_div = 2000;
  size_t first_div = p->n;
  for (size_t k = 0; k < n_div; k++)
    add_company(p, wl, cat, &ids, &names, r, country_index(hubs[k % 9]), POOL_DIVERTER);

  add_carriers(p, wl, r);
  add_vessels(p, r, &ids, 400);

  /* Check every spelling of every synthetic name, vessel and carrier against the lists. */
  size_t nj = 0, capj = p->n * 2 + p->n_v + 64;
  check_job *jobs = xmalloc(capj * sizeof(*jobs));
  for (size_t i = 0; i < p->n; i++) {
    company *c = &p->c[i];
    const char *cc = COUNTRIES[c->country].code;
    jobs[nj++] = (check_job){SP(&p->sp, c->name), cc, NULL, EMB_SCHEMA_UNKNOWN, false};
    if (c->latin != c->name)
      jobs[nj++] = (check_job){SP(&p->sp, c->latin), cc, NULL, EMB_SCHEMA_UNKNOWN, false};
  }
  size_t first_vessel_job = nj;
  for (size_t i = 0; i < p->n_v; i++)
    jobs[nj++] = (check_job){SP(&p->sp, p->v[i].name), NULL, NULL, EMB_SCHEMA_VESSEL, false};
  size_t first_carrier_job = nj;
  uint32_t *carriers[3] = {p->sea_carriers, p->air_carriers, p->land_carriers};
  size_t *ncarriers[3] = {&p->n_sea, &p->n_air, &p->n_land};
  for (int k = 0; k < 3; k++)
    for (size_t i = 0; i < *ncarriers[k]; i++)
      jobs[nj++] = (check_job){SP(&p->sp, carriers[k][i]), NULL, NULL, EMB_SCHEMA_UNKNOWN, false};
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  int rc = check_names(m, jobs, nj, cpus > 0 ? (unsigned)cpus : 1);
  if (rc) {
    free(jobs);
    free(ids.slots);
    free(names.slots);
    fprintf(stderr, "embargo: checking synthetic names: %s\n", emb_strerror(rc));
    return EXIT_INPUT;
  }
  size_t j = 0;
  for (size_t i = 0; i < p->n; i++) {
    company *c = &p->c[i];
    bool hit = jobs[j++].hit;
    if (c->latin != c->name)
      hit |= jobs[j++].hit;
    if (hit) {
      c->dropped = true;
      p->dropped_names++;
    }
  }
  for (size_t i = 0; i < p->n_v; i++)
    if (jobs[first_vessel_job + i].hit) {
      p->v[i].dropped = true;
      p->dropped_vessels++;
    }
  j = first_carrier_job;
  for (int k = 0; k < 3; k++) {
    size_t w = 0;
    for (size_t i = 0; i < *ncarriers[k]; i++)
      if (!jobs[j++].hit)
        carriers[k][w++] = carriers[k][i];
      else
        p->dropped_names++;
    *ncarriers[k] = w;
  }
  free(jobs);

  /* Zipf pools, in creation order (the rank). */
  p->sect = xmalloc(N_COUNTRIES * MAX_SECTORS * sizeof(zpool));
  memset(p->sect, 0, N_COUNTRIES * MAX_SECTORS * sizeof(zpool));
  p->diverters = xmalloc((n_div + 1) * sizeof(uint32_t));
  size_t rank[N_COUNTRIES][3] = {{0}};
  for (size_t i = 0; i < p->n; i++) {
    company *c = &p->c[i];
    if (c->dropped)
      continue;
    if (c->pool == POOL_DIVERTER) {
      if (i >= first_div)
        p->diverters[p->n_diverters++] = (uint32_t)i;
      continue;
    }
    double w = 1.0 / pow((double)++rank[c->country][c->pool], ZIPF_S);
    if (c->pool == POOL_RU) {
      zpool_add(&p->ru[c->country], (uint32_t)i, w);
    } else {
      zpool_add(&p->normal[c->country], (uint32_t)i, w);
      zpool_add(&p->sect[c->country * MAX_SECTORS + c->sector], (uint32_t)i, w);
    }
  }
  /* RU and BY companies are the Russia pool of their country. */
  for (size_t ci = 0; ci < N_COUNTRIES; ci++)
    if (COUNTRIES[ci].kind >= CK_RU && !p->ru[ci].n) {
      p->ru[ci] = p->normal[ci];
      memset(&p->normal[ci], 0, sizeof(zpool));
    }
  free(ids.slots);
  free(names.slots);
  for (size_t ci = 0; ci < N_COUNTRIES; ci++)
    if (!p->normal[ci].n && COUNTRIES[ci].kind < CK_RU) {
      fprintf(stderr, "embargo: no synthetic companies for %s (word lists too small?)\n",
              COUNTRIES[ci].code);
      return EXIT_INPUT;
    }
  if (!p->n_diverters || !p->n_sea || !p->n_air || !p->n_land) {
    fprintf(stderr, "embargo: the synthetic population is too small\n");
    return EXIT_INPUT;
  }
  (void)quiet;
  return 0;
}

static void population_free(population *p) {
  for (size_t ci = 0; ci < N_COUNTRIES; ci++) {
    free(p->normal[ci].idx);
    free(p->normal[ci].cdf);
    free(p->ru[ci].idx);
    free(p->ru[ci].cdf);
  }
  if (p->sect)
    for (size_t i = 0; i < N_COUNTRIES * MAX_SECTORS; i++) {
      free(p->sect[i].idx);
      free(p->sect[i].cdf);
    }
  free(p->sect);
  free(p->c);
  free(p->v);
  free(p->diverters);
  free(p->sp.b);
}

/* ----------------------------------------------------- listed candidates */

typedef struct listed {
  const emb_entity **parties; /* companies, organisations, persons with a usable name */
  size_t n_parties;
  const emb_entity **with_id; /* with a tax or registration number */
  size_t n_with_id;
  const emb_entity **vessels; /* with an IMO number */
  size_t n_vessels;
} listed;

static const emb_name *primary_name(const emb_entity *e) {
  for (size_t i = 0; i < e->n_names; i++)
    if (e->names[i].kind == EMB_NAME_PRIMARY && e->names[i].full && strlen(e->names[i].full) >= 4)
      return &e->names[i];
  for (size_t i = 0; i < e->n_names; i++)
    if (e->names[i].strength == EMB_STRONG && e->names[i].full && strlen(e->names[i].full) >= 4)
      return &e->names[i];
  return NULL;
}

static const emb_identifier *trade_id(const emb_entity *e) {
  static const char *const types[] = {"inn", "ogrn", "registration", "tax_id"};
  char buf[128];
  for (size_t t = 0; t < 4; t++)
    for (size_t k = 0; k < e->n_ids; k++)
      if (e->ids[k].type && !strcmp(e->ids[k].type, types[t]) && e->ids[k].value &&
          id_norm(e->ids[k].value, buf, sizeof(buf)) >= 8 && strspn(buf, "0123456789") >= 6)
        return &e->ids[k];
  return NULL;
}

static const emb_identifier *imo_id(const emb_entity *e) {
  char buf[64];
  for (size_t k = 0; k < e->n_ids; k++)
    if (e->ids[k].type && !strcmp(e->ids[k].type, "imo") && e->ids[k].value &&
        id_norm(e->ids[k].value, buf, sizeof(buf)) == 7 && strspn(buf, "0123456789") == 7)
      return &e->ids[k];
  return NULL;
}

static void listed_build(listed *l, const emb_entity_set *set) {
  size_t n = emb_set_count(set);
  l->parties = xmalloc((n + 1) * sizeof(*l->parties));
  l->with_id = xmalloc((n + 1) * sizeof(*l->with_id));
  l->vessels = xmalloc((n + 1) * sizeof(*l->vessels));
  for (size_t i = 0; i < n; i++) {
    const emb_entity *e = emb_set_get(set, i);
    if (!primary_name(e))
      continue;
    if (e->schema == EMB_SCHEMA_VESSEL) {
      if (imo_id(e))
        l->vessels[l->n_vessels++] = e;
      continue;
    }
    if (e->schema == EMB_SCHEMA_AIRPLANE)
      continue;
    l->parties[l->n_parties++] = e;
    if (e->schema != EMB_SCHEMA_PERSON && trade_id(e))
      l->with_id[l->n_with_id++] = e;
  }
}

static void listed_free(listed *l) {
  free(l->parties);
  free(l->with_id);
  free(l->vessels);
}

static const char *entity_country(const emb_entity *e) {
  for (size_t k = 0; k < e->n_countries; k++)
    if (e->countries[k].code && strlen(e->countries[k].code) == 2)
      return e->countries[k].code;
  return NULL;
}

/* ----------------------------------------------------------- name variants */

static bool is_ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80)
      return false;
  return true;
}

static void ascii_case(char *s, int mode) { /* 0 upper, 1 lower, 2 title */
  bool start = true;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (mode == 0)
      *s = (char)toupper(c);
    else if (mode == 1)
      *s = (char)tolower(c);
    else
      *s = (char)(start ? toupper(c) : tolower(c));
    start = !isalnum(c) && c != '\'';
  }
}

static bool is_legal_form(const char *tok) {
  static const char *const forms[] = {
      "llc",     "l.l.c.", "ltd",  "ltd.", "limited", "co.", "co",   "inc",   "inc.",
      "ooo",     "ао",     "ооо",  "ао",   "зао",     "оао", "пао",  "ao",    "jsc",
      "ojsc",    "cjsc",   "pjsc", "zao",  "oao",     "pao", "gmbh", "llp",   "fze",
      "fzco",    "s.a.",   "sa",   "corp", "corp.",   "plc", "co.,", "ltd.,", "llc.",
      "company", "ltd,",   "llc,", "too",  "тоо",     "pte", "pte.", "b.v.",  "bv",
      "ag",      "s.r.l.", "srl",  "a.s.", "sas",     "ip",  "ип",   NULL};
  char low[64];
  size_t n = strlen(tok);
  if (n >= sizeof(low))
    return false;
  for (size_t i = 0; i <= n; i++)
    low[i] = (char)tolower((unsigned char)tok[i]);
  /* Cyrillic capitals (ООО, АО) are two-byte; compare them as written too. */
  for (int i = 0; forms[i]; i++)
    if (!strcmp(low, forms[i]) || !strcmp(tok, forms[i]))
      return true;
  return !strcmp(tok, "ООО") || !strcmp(tok, "АО") || !strcmp(tok, "ЗАО") || !strcmp(tok, "ОАО") ||
         !strcmp(tok, "ПАО") || !strcmp(tok, "ТОО");
}

/* Drops the legal-form words of a name; false when there were none. */
static bool drop_legal_form(const char *in, char *out, size_t cap) {
  char buf[512];
  snprintf(buf, sizeof(buf), "%s", in);
  out[0] = 0;
  bool dropped = false;
  size_t n = 0;
  for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
    if (is_legal_form(tok)) {
      dropped = true;
      continue;
    }
    n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? " " : "", tok);
    if (n >= cap)
      return false;
  }
  while (n && (out[n - 1] == ',' || out[n - 1] == ' '))
    out[--n] = 0;
  return dropped && n >= 4;
}

/* "FAMILY, Given" -> "Given Family" (or given + family from the name parts). */
static bool person_order(const emb_name *nm, char *out, size_t cap) {
  const char *comma = strchr(nm->full, ',');
  if (comma && comma[1]) {
    const char *given = comma + 1;
    while (*given == ' ')
      given++;
    snprintf(out, cap, "%s %.*s", given, (int)(comma - nm->full), nm->full);
    return strlen(out) > 3;
  }
  if (nm->given && nm->family) {
    snprintf(out, cap, "%s %s", nm->family, nm->given);
    return true;
  }
  return false;
}

/* One small typo in an ASCII word of at least 6 letters. */
static bool typo(rng *r, const char *in, char *out, size_t cap) {
  if (!is_ascii(in) || strlen(in) + 2 >= cap)
    return false;
  strcpy(out, in);
  size_t starts[32], lens[32], nw = 0;
  for (size_t i = 0; out[i] && nw < 32;) {
    while (out[i] && !isalpha((unsigned char)out[i]))
      i++;
    size_t s = i;
    while (isalpha((unsigned char)out[i]))
      i++;
    if (i - s >= 6) {
      starts[nw] = s;
      lens[nw++] = i - s;
    }
  }
  if (!nw)
    return false;
  size_t w = rng_below(r, (uint32_t)nw);
  size_t pos = starts[w] + 1 + rng_below(r, (uint32_t)(lens[w] - 2));
  switch (rng_below(r, 3)) {
  case 0: { /* swap two letters */
    char t = out[pos];
    out[pos] = out[pos + 1];
    out[pos + 1] = t;
    break;
  }
  case 1: /* drop a letter */ memmove(out + pos, out + pos + 1, strlen(out + pos)); break;
  default: /* double a letter */ memmove(out + pos + 1, out + pos, strlen(out + pos) + 1); break;
  }
  return strcmp(out, in) != 0;
}

/* A respelling for an entity named only by its identifier: another transliteration. */
static void respell(rng *r, const char *in, const char *cc, char *out, size_t cap) {
  char base[512];
  if (!drop_legal_form(in, base, sizeof(base)))
    snprintf(base, sizeof(base), "%s", in);
  char tmp[512];
  if (has_cyrillic(base)) {
    tmp[0] = 0;
    translit(base, tmp, sizeof(tmp));
  } else {
    snprintf(tmp, sizeof(tmp), "%s", base);
  }
  static const char *const rules[][2] = {{"SHCH", "SCH"}, {"KH", "H"},  {"ZH", "J"}, {"TS", "C"},
                                         {"YU", "IU"},    {"YA", "IA"}, {"IY", "I"}, {"Y", "I"},
                                         {"EE", "E"},     {"OO", "U"}};
  char up[512];
  snprintf(up, sizeof(up), "%s", tmp);
  ascii_case(up, 0);
  char res[600];
  size_t n = 0;
  for (const char *p = up; *p && n + 5 < sizeof(res);) {
    bool done = false;
    for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
      size_t l = strlen(rules[k][0]);
      if (!strncmp(p, rules[k][0], l)) {
        n += (size_t)sprintf(res + n, "%s", rules[k][1]);
        p += l;
        done = true;
        break;
      }
    }
    if (!done)
      res[n++] = *p++;
  }
  res[n] = 0;
  ascii_case(res, 2);
  /* Another legal form than the listed one, in the style of the entity's country. */
  bool post_soviet = cc && (!strcmp(cc, "RU") || !strcmp(cc, "BY") || !strcmp(cc, "KZ") ||
                            !strcmp(cc, "KG") || !strcmp(cc, "UZ") || !strcmp(cc, "AM"));
  static const char *const forms[] = {"LLC", "Ltd", "Co., Ltd.", "Trading LLC", "Group"};
  if (post_soviet && rng_chance(r, 0.5))
    snprintf(out, cap, "%s %.400s", rng_chance(r, 0.5) ? "OOO" : "LLC", res);
  else
    snprintf(out, cap, "%.400s %s", res, forms[rng_below(r, 5)]);
}

/* ------------------------------------------------------------- records */

enum {
  F_RECORD_ID,
  F_DATE,
  F_EXPORTER,
  F_EXPORTER_COUNTRY,
  F_EXPORTER_ID,
  F_IMPORTER,
  F_IMPORTER_COUNTRY,
  F_IMPORTER_ID,
  F_CONSIGNEE,
  F_CONSIGNEE_COUNTRY,
  F_CONSIGNEE_ID,
  F_END_USER,
  F_END_USER_COUNTRY,
  F_NOTIFY_PARTY,
  F_HS_CODE,
  F_GOODS_DESCRIPTION,
  F_MANUFACTURER,
  F_ORIGIN_COUNTRY,
  F_DISPATCH_COUNTRY,
  F_DESTINATION_COUNTRY,
  F_TRANSIT_COUNTRIES,
  F_PORT_OF_LOADING,
  F_PORT_OF_DISCHARGE,
  F_CARRIER,
  F_VESSEL_NAME,
  F_VESSEL_IMO,
  F_VALUE,
  F_CURRENCY,
  F_QUANTITY,
  F_UNIT,
  N_FIELDS
};

/* The field names come from the library (emb_trade_field_name), in the order above. */
_Static_assert(N_FIELDS == EMB_TRADE_FIELDS, "the generator writes every trade field");
#define FIELD_NAME(i) emb_trade_field_name(i)

#define FIELD_CAP 512

typedef struct record {
  char f[N_FIELDS][FIELD_CAP];
} record;

static void setf(record *rec, int field, const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n >= FIELD_CAP)
    n = FIELD_CAP - 1;
  memcpy(rec->f[field], s ? s : "", n);
  rec->f[field][n] = 0;
}

/* Writes v with `decimals` (0 or 2) decimals, rounded, without printf. */
static void fmt_fixed(char *out, double v, int decimals) {
  if (!(v < 9e15))
    v = 9e15;
  uint64_t x = (uint64_t)(v * (decimals ? 100 : 1) + 0.5);
  char tmp[32];
  int n = 0;
  if (decimals) {
    tmp[n++] = (char)('0' + x % 10);
    x /= 10;
    tmp[n++] = (char)('0' + x % 10);
    x /= 10;
    tmp[n++] = '.';
  }
  do {
    tmp[n++] = (char)('0' + x % 10);
    x /= 10;
  } while (x);
  for (int i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  out[n] = 0;
}

/* A buffered writer to a FILE. */
typedef struct writer {
  FILE *f;
  char *b;
  size_t n, cap;
  bool failed;
} writer;

static void w_flush(writer *w) {
  if (w->n && fwrite(w->b, 1, w->n, w->f) != w->n)
    w->failed = true;
  w->n = 0;
}

static inline void w_put(writer *w, const char *s, size_t n) {
  if (w->n + n > w->cap)
    w_flush(w);
  if (n > w->cap) {
    if (fwrite(s, 1, n, w->f) != n)
      w->failed = true;
    return;
  }
  memcpy(w->b + w->n, s, n);
  w->n += n;
}

static inline void w_ch(writer *w, char c) {
  if (w->n + 1 > w->cap)
    w_flush(w);
  w->b[w->n++] = c;
}

static void w_csv(writer *w, const char *s) {
  size_t n = strlen(s);
  if (!n)
    return;
  if (strpbrk(s, ",\"\r\n") == NULL && s[0] != ' ' && s[n - 1] != ' ') {
    w_put(w, s, n);
    return;
  }
  w_ch(w, '"');
  for (const char *p = s; *p; p++) {
    if (*p == '"')
      w_ch(w, '"');
    w_ch(w, *p);
  }
  w_ch(w, '"');
}

static void w_json_str(writer *w, const char *s) {
  w_ch(w, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': w_put(w, "\\\"", 2); break;
    case '\\': w_put(w, "\\\\", 2); break;
    case '\n': w_put(w, "\\n", 2); break;
    case '\r': w_put(w, "\\r", 2); break;
    case '\t': w_put(w, "\\t", 2); break;
    default:
      if (*p < 0x20) {
        char e[8];
        snprintf(e, sizeof(e), "\\u%04x", *p);
        w_put(w, e, 6);
      } else {
        w_ch(w, (char)*p);
      }
    }
  }
  w_ch(w, '"');
}

/* Writes a record as a CSV row or a JSON line. */
static void write_record(writer *w, const record *rec, bool jsonl) {
  if (!jsonl) {
    for (int i = 0; i < N_FIELDS; i++) {
      if (i)
        w_ch(w, ',');
      w_csv(w, rec->f[i]);
    }
    w_ch(w, '\n');
    return;
  }
  w_ch(w, '{');
  for (int i = 0; i < N_FIELDS; i++) {
    if (i)
      w_ch(w, ',');
    w_json_str(w, FIELD_NAME(i));
    w_ch(w, ':');
    if ((i == F_VALUE || i == F_QUANTITY) && rec->f[i][0])
      w_put(w, rec->f[i], strlen(rec->f[i]));
    else
      w_json_str(w, rec->f[i]);
  }
  w_put(w, "}\n", 2);
}

/* Writes the CSV header (the field names: none of them needs quoting); JSON lines have none. */
static void write_header(writer *w, record *tmp, bool jsonl) {
  if (jsonl)
    return;
  for (int i = 0; i < N_FIELDS; i++)
    setf(tmp, i, FIELD_NAME(i));
  write_record(w, tmp, false);
}

/* ------------------------------------------------------------ generation */

enum {
  V_LISTED_PARTY = 0,
  V_LISTED_ID,
  V_LISTED_VESSEL,
  V_CONTROLLED_TO_EMBARGOED,
  V_HUB_DIVERSION,
  V_DESCRIPTION_ONLY,
  V_OCCUPIED_REGION,
  V_OLD_HS_CODE,
  N_KINDS
};

static const char *const KIND_NAMES[N_KINDS] = {
    "listed_party",  "listed_id",        "listed_vessel",   "controlled_to_embargoed",
    "hub_diversion", "description_only", "occupied_region", "old_hs_code"};

static const double KIND_WEIGHTS[N_KINDS] = {3, 1.5, 1, 1.5, 1, 1, 1, 0.7};

/* Telling descriptions of controlled goods, for records with a missing or coarse code. */
static const char *const UAV_DESCRIPTIONS[] = {
    "Flight controller for UAV",
    "Flight controller F405 for multirotor",
    "Autopilot module for fixed-wing UAV",
    "Полетный контроллер",
    "Полетный контроллер для БПЛА",
    "无人机飞控",
    "飞控板 F7 无人机配件",
    "Thermal imaging camera module 640x512",
    "Тепловизионный модуль для дрона",
    "红外热成像机芯",
    "GNSS module for drone",
    "Навигационный модуль ГЛОНАСС/GPS",
    "北斗导航模块",
    "Brushless motor 2807 for drone",
    "Бесколлекторный двигатель для квадрокоптера",
    "无刷电机 2806",
    "Quadcopter frame, carbon fibre",
    "FPV video transmitter 5.8 GHz",
    "Electronic speed controller 4in1 ESC 60A",
    "Запчасти для БПЛА",
    "无人机配件",
    "Agricultural drone spare parts",
};
#define N_UAV_DESC (sizeof(UAV_DESCRIPTIONS) / sizeof(UAV_DESCRIPTIONS[0]))

/* Cities in the occupied regions of Ukraine, as records write them, with their region. */
static const char *const OCCUPIED[][2] = {
    {"Donetsk", "UA-14"},    {"Донецк", "UA-14"},      {"Донецьк", "UA-14"},
    {"Luhansk", "UA-09"},    {"Lugansk", "UA-09"},     {"Луганск", "UA-09"},
    {"Simferopol", "UA-43"}, {"Сімферополь", "UA-43"}, {"Симферополь", "UA-43"},
    {"Sevastopol", "UA-40"}, {"Севастополь", "UA-40"}, {"Mariupol", "UA-14"},
    {"Маріуполь", "UA-14"},  {"Мариуполь", "UA-14"},   {"Kerch", "UA-43"},
    {"Yalta", "UA-43"},      {"Melitopol", "UA-23"},   {"Мелитополь", "UA-23"},
    {"Makiivka", "UA-14"},   {"Horlivka", "UA-14"},    {"Berdiansk", "UA-23"},
};
#define N_OCCUPIED (sizeof(OCCUPIED) / sizeof(OCCUPIED[0]))

typedef struct pending {
  size_t due;        /* record index */
  uint32_t diverter; /* company index */
} pending;

typedef struct gen {
  rng r;
  population *pop;
  const catalog *cat;
  const listed *lst;
  emb_match_ctx *mc;
  size_t n_records;
  size_t rec_index;
  bool jsonl;
  writer out;
  FILE *truth;
  /* per-kind planted counts */
  size_t planted[N_KINDS];
  size_t records_with_violations;
  char last_truth_rid[32];
  size_t planted_failed;
  size_t listed_uses;
  /* hub diversion scenario */
  bool *div_linked;        /* per diverter slot: its Russia-bound record is scheduled */
  char (*div_link_id)[16]; /* the record id of that Russia-bound record */
  size_t div_next;
  pending pend[64];
  size_t n_pend;
  int ru, by, ua_idx;
  double country_cdf_export[N_COUNTRIES], country_cdf_import[N_COUNTRIES];
  bool land[N_COUNTRIES][N_COUNTRIES]; /* neighbours by road or rail */
  int day0;                            /* days since epoch of 2021-01-01 */
  int n_days;
} gen;

static void truth_row(gen *g, const char *rid, int kind, const char *field, const char *detail) {
  if (strcmp(g->last_truth_rid, rid)) {
    snprintf(g->last_truth_rid, sizeof(g->last_truth_rid), "%s", rid);
    g->records_with_violations++;
  }
  if (g->truth) {
    fprintf(g->truth, "%s,%s,%s,", rid, KIND_NAMES[kind], field);
    out_csv_field(g->truth, detail, ',');
    fputc('\n', g->truth);
  }
  g->planted[kind]++;
}

static int days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d) {
  z += 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

/* How a record writes a country: mostly the code, sometimes a name. */
static const char *country_text(gen *g, int ci, char *buf, size_t cap) {
  const country *co = &COUNTRIES[ci];
  if (rng_chance(&g->r, 0.06))
    return pick_item(&g->r, co->names, buf, cap);
  (void)cap;
  return co->code;
}

static int pick_country(gen *g, const double *cdf, int not ) {
  for (int tries = 0; tries < 20; tries++) {
    int c = (int)pick_cdf(&g->r, cdf, N_COUNTRIES);
    if (c != not )
      return c;
  }
  return not == 0 ? 1 : 0;
}

static int pick_from(gen *g, const char *const *codes, const double *w, size_t n) {
  return country_index(codes[pick_weighted(&g->r, w, n, (int)n - 1)]);
}

/* Picks a company: from the Russia pool when `ru_side`, else by country and sector. */
static uint32_t pick_company(gen *g, int ci, bool ru_side, int sector) {
  population *p = g->pop;
  if (ru_side && p->ru[ci].n)
    return zpool_pick(&g->r, &p->ru[ci]);
  if (sector >= 0 && p->sect[ci * MAX_SECTORS + sector].n)
    return zpool_pick(&g->r, &p->sect[ci * MAX_SECTORS + sector]);
  if (p->normal[ci].n)
    return zpool_pick(&g->r, &p->normal[ci]);
  return zpool_pick(&g->r, &p->ru[ci]);
}

/* Writes a company's name (native or Latin, sometimes upper-cased) into a field. */
static void put_company(gen *g, record *rec, int field, uint32_t ci) {
  company *c = &g->pop->c[ci];
  if (c->last_rec != (uint32_t)g->rec_index) {
    c->last_rec = (uint32_t)g->rec_index;
    c->uses++;
  }
  const char *name = SP(&g->pop->sp, c->name);
  if (c->latin != c->name && rng_chance(&g->r, 0.6))
    name = SP(&g->pop->sp, c->latin);
  setf(rec, field, name);
  if (rng_chance(&g->r, 0.15) && is_ascii(name))
    ascii_case(rec->f[field], 0);
}

/* The party roles of a record and their name, country and identifier fields (-1: none). */
enum { R_EXPORTER, R_IMPORTER, R_CONSIGNEE, R_END_USER, N_ROLES };
static const int ROLE_FIELDS[N_ROLES][3] = {{F_EXPORTER, F_EXPORTER_COUNTRY, F_EXPORTER_ID},
                                            {F_IMPORTER, F_IMPORTER_COUNTRY, F_IMPORTER_ID},
                                            {F_CONSIGNEE, F_CONSIGNEE_COUNTRY, F_CONSIGNEE_ID},
                                            {F_END_USER, F_END_USER_COUNTRY, -1}};

/* Writes company ci as the party in `role`: name, country, and sometimes its identifier. */
static void put_party(gen *g, record *rec, int role, uint32_t ci) {
  const int *f = ROLE_FIELDS[role];
  char buf[64];
  put_company(g, rec, f[0], ci);
  const company *c = &g->pop->c[ci];
  setf(rec, f[1], rng_chance(&g->r, 0.02) ? "" : country_text(g, c->country, buf, sizeof(buf)));
  if (f[2] >= 0)
    setf(rec, f[2], rng_chance(&g->r, COUNTRIES[c->country].id_rate) ? SP(&g->pop->sp, c->id) : "");
}

static const good *pick_good(gen *g, int sector, bool allow_controlled) {
  const catalog *cat = g->cat;
  for (int tries = 0; tries < 50; tries++) {
    const good *gd = &cat->g[cat->by_sector[sector][pick_cdf(&g->r, cat->cdf_sector[sector],
                                                             cat->n_by_sector[sector])]];
    if (allow_controlled || !gd->controlled)
      return gd;
  }
  for (size_t i = 0; i < cat->n; i++)
    if (!cat->g[i].controlled)
      return &cat->g[i];
  return &cat->g[0];
}

static int sector_named(const catalog *cat, const char *name) {
  for (size_t s = 0; s < cat->n_sectors; s++)
    if (!strcmp(cat->sector_names[s], name))
      return (int)s;
  return -1;
}

/* Sectors whose goods flow legally to Russia in the clean data. */
static int ru_import_sector(gen *g) {
  static const char *const ok[] = {"food", "pharma", "apparel", "toys", "paper", "textiles"};
  for (int tries = 0; tries < 10; tries++) {
    int s = sector_named(g->cat, ok[rng_below(&g->r, 6)]);
    if (s >= 0)
      return s;
  }
  return 0;
}

/* Writes n as `width` digits, zero-padded. */
static void put_digits(char *out, unsigned long long n, int width) {
  for (int i = width - 1; i >= 0; i--) {
    out[i] = (char)('0' + n % 10);
    n /= 10;
  }
  out[width] = 0;
}

/* An HS-6 code as records write it: 6 digits, 8 or 10 with national digits, or dotted. */
static void hs_text(gen *g, const char *hs6, char *out, size_t cap) {
  uint32_t k = rng_below(&g->r, 10);
  (void)cap;
  memcpy(out, hs6, 6);
  out[6] = 0;
  if (k >= 5 && k < 9) {
    out[6] = (char)('0' + rng_below(&g->r, 10));
    out[7] = '0';
    out[8] = 0;
    if (k >= 7) {
      out[8] = out[9] = '0';
      out[10] = 0;
    }
  } else if (k == 9) {
    memcpy(out, hs6, 4);
    out[4] = '.';
    memcpy(out + 5, hs6 + 4, 2);
    out[7] = 0;
  }
}

static void put_goods(gen *g, record *rec, const good *gd, int dispatch, int dest) {
  char hs[32];
  hs_text(g, gd->hs, hs, sizeof(hs));
  setf(rec, F_HS_CODE, hs);
  const char *desc = gd->desc[0];
  bool ru_side = COUNTRIES[dest].kind >= CK_RU || COUNTRIES[dispatch].kind >= CK_RU ||
                 !strcmp(COUNTRIES[dest].code, "KZ") || !strcmp(COUNTRIES[dest].code, "KG");
  if (ru_side && gd->desc[1] && rng_chance(&g->r, 0.5))
    desc = gd->desc[1];
  else if (!strcmp(COUNTRIES[dispatch].code, "CN") && gd->desc[2] && rng_chance(&g->r, 0.15))
    desc = gd->desc[2];
  setf(rec, F_GOODS_DESCRIPTION, desc);
  setf(rec, F_UNIT, gd->unit);
  double q = rng_lognormal(&g->r, gd->qty_median, 1.1);
  double uv = rng_lognormal(&g->r, gd->uv_median, gd->uv_sigma);
  bool whole = !strcmp(gd->unit, "pcs") || !strcmp(gd->unit, "pairs");
  if (whole)
    q = q < 1 ? 1 : floor(q + 0.5);
  else
    q = q < 0.01 ? 0.01 : floor(q * 100 + 0.5) / 100;
  const country *co = &COUNTRIES[dispatch];
  const char *cur = "USD";
  double fx = 1;
  if (strcmp(co->currency, "USD") && rng_chance(&g->r, 0.5)) {
    cur = co->currency;
    fx = co->fx;
  } else if (COUNTRIES[dest].kind == CK_RU && rng_chance(&g->r, 0.2)) {
    cur = rng_chance(&g->r, 0.5) ? "RUB" : "CNY";
    fx = cur[0] == 'R' ? 90 : 7.1;
  }
  double v = q * uv * fx;
  if (v < 1)
    v = 1;
  fmt_fixed(rec->f[F_QUANTITY], q, whole ? 0 : 2);
  fmt_fixed(rec->f[F_VALUE], v, 2);
  setf(rec, F_CURRENCY, cur);
}

static bool land_neighbours(const char *a, const char *b) {
  static const char *const pairs[] = {
      "DEPL", "DEFR", "DENL", "DEAT", "DECH", "DEIT", "FRIT", "FRNL", "ITAT", "ATPL", "NLPL",
      "CHIT", "FRCH", "USMX", "USCA", "CNKZ", "CNKG", "CNVN", "KZRU", "KZKG", "KZUZ", "KGUZ",
      "RUBY", "TRGE", "GEAM", "GERU", "RUCN", "PLBY", "CNHK", "TRAM", NULL};
  for (int i = 0; pairs[i]; i++)
    if ((!strncmp(pairs[i], a, 2) && !strcmp(pairs[i] + 2, b)) ||
        (!strncmp(pairs[i], b, 2) && !strcmp(pairs[i] + 2, a)))
      return true;
  return false;
}

/* Ports drawn from the '|'-separated lists `from` and `to`, and a carrier from
 * carriers[0..n) (none when n is 0). */
static void put_leg(gen *g, record *rec, const char *from, const char *to, const uint32_t *carriers,
                    size_t n) {
  char buf[128];
  setf(rec, F_PORT_OF_LOADING, pick_item(&g->r, from, buf, sizeof(buf)));
  setf(rec, F_PORT_OF_DISCHARGE, pick_item(&g->r, to, buf, sizeof(buf)));
  if (n)
    setf(rec, F_CARRIER, SP(&g->pop->sp, carriers[rng_below(&g->r, (uint32_t)n)]));
}

/* Mode, ports, carrier and vessel. `vessel_ok`: a sea leg may name a vessel. */
static void put_route(gen *g, record *rec, int dispatch, int dest, const good *gd,
                      bool controlled) {
  const country *a = &COUNTRIES[dispatch], *b = &COUNTRIES[dest];
  const population *p = g->pop;
  int mode; /* 0 sea, 1 air, 2 land */
  bool air_goods = gd && (gd->uv_median > 100 || !strcmp(gd->hs, "300490"));
  if (g->land[dispatch][dest] && rng_chance(&g->r, 0.7))
    mode = 2;
  else if (!*a->sea || !*b->sea || (air_goods && rng_chance(&g->r, 0.5)))
    mode = *a->air && *b->air ? 1 : 2;
  else
    mode = 0;
  if (mode == 2 && !*a->land && !*b->land)
    mode = *a->air && *b->air ? 1 : 0;
  if (mode == 0) {
    put_leg(g, rec, a->sea, b->sea, NULL, 0);
    for (int tries = 0; tries < 10; tries++) {
      const vessel *v = &p->v[rng_below(&g->r, (uint32_t)p->n_v)];
      if (v->dropped)
        continue;
      setf(rec, F_VESSEL_NAME, SP(&p->sp, v->name));
      setf(rec, F_VESSEL_IMO, SP(&p->sp, v->imo));
      setf(rec, F_CARRIER, SP(&p->sp, v->carrier));
      break;
    }
    /* Transshipment through a big port on the way, never through a hub. */
    if (rng_chance(&g->r, 0.1)) {
      static const char *const via[] = {"SG", "NL", "BE", "MA", "LK"};
      const char *t = via[rng_below(&g->r, 5)];
      if (strcmp(t, a->code) && strcmp(t, b->code))
        setf(rec, F_TRANSIT_COUNTRIES, t);
    }
  } else if (mode == 1) {
    put_leg(g, rec, a->air, b->air, p->air_carriers, p->n_air);
  } else {
    put_leg(g, rec, *a->land ? a->land : a->air, *b->land ? b->land : b->air, p->land_carriers,
            p->n_land);
    /* China to Russia by rail crosses Kazakhstan (ordinary goods only). */
    if (!controlled && !strcmp(a->code, "CN") && b->kind == CK_RU && rng_chance(&g->r, 0.5))
      setf(rec, F_TRANSIT_COUNTRIES, "KZ");
  }
}

/*
 * The parties and the route of a record: dispatch -> dest. `ru_side`: the record deals
 * with Russia or Belarus, so every synthetic party comes from the Russia pools.
 */
static void put_parties(gen *g, record *rec, int dispatch, int dest, int origin, bool ru_side,
                        int sector) {
  char buf[64];
  uint32_t consignee = pick_company(g, dest, ru_side, ru_side ? -1 : sector);
  int csec = g->pop->c[consignee].sector;
  uint32_t exporter = pick_company(g, dispatch, ru_side, sector >= 0 ? sector : csec);
  put_party(g, rec, R_EXPORTER, exporter);
  uint32_t importer = rng_chance(&g->r, 0.6) ? consignee : pick_company(g, dest, ru_side, -1);
  put_party(g, rec, R_IMPORTER, importer);
  put_party(g, rec, R_CONSIGNEE, consignee);
  uint32_t end_user = rng_chance(&g->r, 0.55) ? consignee : pick_company(g, dest, ru_side, -1);
  put_party(g, rec, R_END_USER, end_user);
  double x = rng_unit(&g->r);
  if (x < 0.35)
    put_company(g, rec, F_NOTIFY_PARTY, consignee);
  else if (x < 0.5)
    put_company(g, rec, F_NOTIFY_PARTY, importer);
  else if (x < 0.55)
    setf(rec, F_NOTIFY_PARTY, "SAME AS CONSIGNEE");
  else
    put_company(g, rec, F_NOTIFY_PARTY, pick_company(g, dest, ru_side, -1));
  uint32_t maker = rng_chance(&g->r, 0.45) && origin == dispatch
                       ? exporter
                       : pick_company(g, origin, ru_side, csec);
  put_company(g, rec, F_MANUFACTURER, maker);
  setf(rec, F_ORIGIN_COUNTRY, country_text(g, origin, buf, sizeof(buf)));
  setf(rec, F_DISPATCH_COUNTRY, country_text(g, dispatch, buf, sizeof(buf)));
  setf(rec, F_DESTINATION_COUNTRY, country_text(g, dest, buf, sizeof(buf)));
}

/* The parties, goods gd and route of an ordinary record from dispatch (also the origin)
 * to dest; `ru_side` and `sector` as for put_parties. */
static void put_trade(gen *g, record *rec, int dispatch, int dest, bool ru_side, int sector,
                      const good *gd) {
  put_parties(g, rec, dispatch, dest, dispatch, ru_side, sector);
  put_goods(g, rec, gd, dispatch, dest);
  put_route(g, rec, dispatch, dest, gd, false);
}

/* An ordinary record; returns the goods. `no_controlled`: keep controlled goods out. */
static const good *gen_clean(gen *g, record *rec, bool no_controlled) {
  double x = rng_unit(&g->r);
  const good *gd;
  if (x < 0.012) {
    /* A legal flow to Russia: ordinary consumer goods, Russia-pool parties. */
    static const char *const from[] = {"CN", "TR", "KZ", "IN", "AE", "DE",
                                       "IT", "AM", "KG", "UZ", "FR", "VN"};
    static const double w[] = {35, 15, 8, 8, 5, 5, 5, 3, 3, 3, 3, 3};
    int dispatch = pick_from(g, from, w, 12);
    int sector = ru_import_sector(g);
    gd = pick_good(g, sector, false);
    put_trade(g, rec, dispatch, g->ru, true, sector, gd);
    return gd;
  }
  if (x < 0.032) {
    /* Russian exports: fuel, fertiliser, metals, wood, grain. */
    static const char *const to[] = {"CN", "IN", "TR", "KZ", "AE", "UZ", "AM", "KG"};
    static const double w[] = {30, 20, 20, 10, 5, 5, 3, 3};
    int dest = pick_from(g, to, w, 8);
    uint32_t exporter = pick_company(g, g->ru, true, -1);
    int sector = g->pop->c[exporter].sector;
    gd = pick_good(g, sector, false);
    put_parties(g, rec, g->ru, dest, g->ru, true, sector);
    put_party(g, rec, R_EXPORTER, exporter);
    put_goods(g, rec, gd, g->ru, dest);
    put_route(g, rec, g->ru, dest, gd, false);
    return gd;
  }
  int dest = pick_country(g, g->country_cdf_import, -1);
  int dispatch = pick_country(g, g->country_cdf_export, dest);
  int origin = rng_chance(&g->r, 0.8) ? dispatch : pick_country(g, g->country_cdf_export, -1);
  uint32_t consignee = pick_company(g, dest, false, -1);
  int sector = g->pop->c[consignee].sector;
  if (rng_chance(&g->r, 0.03))
    sector = (int)rng_below(&g->r, (uint32_t)g->cat->n_sectors);
  gd = pick_good(g, sector, !no_controlled);
  /* The consignee drawn above sets the sector; draw the parties with it. */
  put_parties(g, rec, dispatch, dest, origin, false, sector);
  put_goods(g, rec, gd, dispatch, dest);
  put_route(g, rec, dispatch, dest, gd, gd->controlled);
  return gd;
}

/* Checks that the matcher finds entity e for this name and country. */
static bool name_finds(gen *g, const char *name, const char *cc, const emb_entity *e,
                       emb_schema schema, const char *id) {
  emb_query_id qid = {NULL, id};
  emb_query q = {.name = name, .nationality = cc, .schema = schema};
  if (id) {
    q.ids = &qid;
    q.n_ids = 1;
  }
  const emb_match_result *res;
  size_t n = 0;
  if (emb_match(g->mc, &q, 10, &res, &n))
    return false;
  for (size_t i = 0; i < n; i++)
    if (res[i].entity == e && res[i].match)
      return true;
  return false;
}

/* A clean record around a listed party in `role` whose country is `cc` (may be NULL). */
static void frame_for_party(gen *g, record *rec, int role, const char *cc) {
  int ci = cc ? country_index(cc) : -1;
  bool ru_side = ci >= 0 && COUNTRIES[ci].kind >= CK_RU;
  int other = pick_country(g, role == R_EXPORTER ? g->country_cdf_import : g->country_cdf_export,
                           ci >= 0 ? ci : -1);
  int dispatch, dest;
  if (role == R_EXPORTER) {
    dispatch = ci >= 0 ? ci : pick_country(g, g->country_cdf_export, -1);
    dest = other == dispatch ? pick_country(g, g->country_cdf_import, dispatch) : other;
  } else {
    dest = ci >= 0 ? ci : pick_country(g, g->country_cdf_import, -1);
    dispatch = other == dest ? pick_country(g, g->country_cdf_export, dest) : other;
  }
  if (ci >= 0 && COUNTRIES[ci].kind >= CK_RU) {
    /* The other side of a Russian party is a Russia-pool company of a trading partner. */
    static const char *const partners[] = {"CN", "TR", "KZ", "IN", "AE"};
    int p = country_index(partners[rng_below(&g->r, 5)]);
    if (role == R_EXPORTER)
      dest = p;
    else
      dispatch = p;
  }
  int sector = ru_side ? ru_import_sector(g) : -1;
  if (sector < 0)
    sector = (int)rng_below(&g->r, (uint32_t)g->cat->n_sectors);
  const good *gd = pick_good(g, sector, false);
  put_trade(g, rec, dispatch, dest, ru_side, sector, gd);
}

/* A clean record around a listed party in `role`: its name, its country (or none) and
 * `id` in the identifier field, where the role has one. */
static void put_listed(gen *g, record *rec, int role, const char *cc, const char *name,
                       const char *id) {
  frame_for_party(g, rec, role, cc);
  setf(rec, ROLE_FIELDS[role][0], name);
  setf(rec, ROLE_FIELDS[role][1], cc ? cc : "");
  if (ROLE_FIELDS[role][2] >= 0)
    setf(rec, ROLE_FIELDS[role][2], id);
}

static bool plant_listed_party(gen *g, record *rec, const char *rid) {
  const listed *l = g->lst;
  if (!l->n_parties)
    return false;
  char name[512], detail[1024];
  for (int tries = 0; tries < 20; tries++) {
    const emb_entity *e = l->parties[rng_below(&g->r, (uint32_t)l->n_parties)];
    const emb_name *nm = primary_name(e);
    const char *cc = entity_country(e);
    int role = (int)rng_below(&g->r, N_ROLES);
    const char *variant = "as_listed";
    snprintf(name, sizeof(name), "%s", nm->full);
    uint32_t v = rng_below(&g->r, 100);
    if (v < 35) {
      /* as listed */
    } else if (v < 50) {
      for (size_t k = 0; k < e->n_names; k++)
        if (e->names[k].kind == EMB_NAME_ALIAS && e->names[k].strength == EMB_STRONG &&
            e->names[k].full && strlen(e->names[k].full) >= 4 && rng_chance(&g->r, 0.5)) {
          snprintf(name, sizeof(name), "%s", e->names[k].full);
          variant = "alias";
          break;
        }
    } else if (v < 65) {
      if (is_ascii(name)) {
        ascii_case(name, (int)rng_below(&g->r, 3));
        variant = "case";
      }
    } else if (v < 75) {
      if (e->schema == EMB_SCHEMA_PERSON && person_order(nm, name, sizeof(name)))
        variant = "word_order";
    } else if (v < 85) {
      if (e->schema != EMB_SCHEMA_PERSON && drop_legal_form(nm->full, name, sizeof(name)))
        variant = "no_legal_form";
      else
        snprintf(name, sizeof(name), "%s", nm->full);
    } else if (v < 95) {
      if (typo(&g->r, nm->full, name, sizeof(name)))
        variant = "typo";
      else
        snprintf(name, sizeof(name), "%s", nm->full);
    } else {
      for (size_t k = 0; k < e->n_names; k++)
        if (e->names[k].full && e->names[k].script && nm->script &&
            strcmp(e->names[k].script, nm->script) && strlen(e->names[k].full) >= 4) {
          snprintf(name, sizeof(name), "%s", e->names[k].full);
          variant = "other_script";
          break;
        }
    }
    if (!name_finds(g, name, cc, e, EMB_SCHEMA_UNKNOWN, NULL)) {
      if (!strcmp(variant, "as_listed"))
        continue;
      variant = "as_listed";
      snprintf(name, sizeof(name), "%s", nm->full);
      if (!name_finds(g, name, cc, e, EMB_SCHEMA_UNKNOWN, NULL))
        continue;
    }
    put_listed(g, rec, role, cc, name, "");
    snprintf(detail, sizeof(detail), "entity=%s; variant=%s; listed=%s", e->id, variant, nm->full);
    truth_row(g, rid, V_LISTED_PARTY, FIELD_NAME(ROLE_FIELDS[role][0]), detail);
    return true;
  }
  return false;
}

static bool plant_listed_id(gen *g, record *rec, const char *rid) {
  const listed *l = g->lst;
  if (!l->n_with_id)
    return false;
  const emb_entity *e = l->with_id[rng_below(&g->r, (uint32_t)l->n_with_id)];
  const emb_identifier *id = trade_id(e);
  const char *cc = entity_country(e);
  if (!cc && id->country)
    cc = id->country;
  int role = (int)rng_below(&g->r, R_END_USER); /* the roles with an identifier field */
  char name[512], idv[160], detail[1024];
  respell(&g->r, primary_name(e)->full, cc, name, sizeof(name));
  if (!strcmp(id->type, "inn") && rng_chance(&g->r, 0.3))
    snprintf(idv, sizeof(idv), "INN %s", id->value);
  else
    snprintf(idv, sizeof(idv), "%s", id->value);
  put_listed(g, rec, role, cc, name, idv);
  snprintf(detail, sizeof(detail), "entity=%s; id_type=%s; id=%s; written_name=%s; listed=%s",
           e->id, id->type, id->value, name, primary_name(e)->full);
  truth_row(g, rid, V_LISTED_ID, FIELD_NAME(ROLE_FIELDS[role][2]), detail);
  return true;
}

static bool plant_listed_vessel(gen *g, record *rec, const char *rid) {
  const listed *l = g->lst;
  if (!l->n_vessels)
    return false;
  for (int tries = 0; tries < 10; tries++) {
    const emb_entity *e = l->vessels[rng_below(&g->r, (uint32_t)l->n_vessels)];
    const emb_identifier *imo = imo_id(e);
    char name[256], imov[64], detail[512], digits7[16];
    id_norm(imo->value, digits7, sizeof(digits7));
    snprintf(name, sizeof(name), "%s", primary_name(e)->full);
    if (rng_chance(&g->r, 0.3) && is_ascii(name))
      ascii_case(name, 2);
    snprintf(imov, sizeof(imov), rng_chance(&g->r, 0.5) ? "IMO %s" : "%s", digits7);
    if (!name_finds(g, name, NULL, e, EMB_SCHEMA_VESSEL, imov))
      continue;
    /* A tanker or bulk run between ordinary ports. */
    static const char *const from[] = {"AE", "IN", "TR", "CN", "SG"};
    static const char *const to[] = {"IN", "CN", "TR", "AE", "SG"};
    int dispatch = country_index(from[rng_below(&g->r, 5)]);
    int dest = country_index(to[rng_below(&g->r, 5)]);
    if (dest == dispatch)
      dest = country_index(dispatch == country_index("IN") ? "CN" : "IN");
    int fuel = sector_named(g->cat, "fuel");
    const good *gd = pick_good(g, fuel >= 0 ? fuel : 0, false);
    put_parties(g, rec, dispatch, dest, dispatch, false, fuel);
    put_goods(g, rec, gd, dispatch, dest);
    put_leg(g, rec, COUNTRIES[dispatch].sea, COUNTRIES[dest].sea, g->pop->sea_carriers,
            g->pop->n_sea);
    setf(rec, F_VESSEL_NAME, name);
    setf(rec, F_VESSEL_IMO, imov);
    setf(rec, F_TRANSIT_COUNTRIES, "");
    snprintf(detail, sizeof(detail), "entity=%s; imo=%s; listed=%s", e->id, digits7,
             primary_name(e)->full);
    truth_row(g, rid, V_LISTED_VESSEL, "vessel_name", detail);
    return true;
  }
  return false;
}

/* The catalog's good for control code k (the last of several), or NULL when it has none. */
static const good *control_good(const catalog *c, size_t k) {
  const good *gd = NULL;
  for (size_t i = 0; i < c->n; i++)
    if (!strncmp(c->g[i].hs, c->ctl[k], 6))
      gd = &c->g[i];
  return gd;
}

/* Fills *tmp with a stand-in good for control code k, for codes the catalog lacks. */
static void control_stand_in(const catalog *c, size_t k, good *tmp) {
  memset(tmp, 0, sizeof(*tmp));
  memcpy(tmp->hs, c->ctl[k], 7);
  strcpy(tmp->unit, "pcs");
  tmp->uv_median = 200;
  tmp->uv_sigma = 1;
  tmp->qty_median = 50;
  tmp->desc[0] = c->ctl_desc[k];
}

/*
 * Plants a record of controlled goods (control code `k`) to Russia or Belarus, from
 * `dispatch`, with company `exporter` as the exporter when `have_exporter`; the truth
 * row's detail ends with `note`.
 */
static void controlled_to_ru(gen *g, record *rec, const char *rid, size_t k, int dispatch,
                             uint32_t exporter, bool have_exporter, const char *note) {
  int dest = rng_chance(&g->r, 0.85) ? g->ru : g->by;
  put_parties(g, rec, dispatch, dest, dispatch, true, -1);
  if (have_exporter)
    put_party(g, rec, R_EXPORTER, exporter);
  const good *gd = control_good(g->cat, k);
  good tmp;
  if (!gd)
    control_stand_in(g->cat, k, &tmp);
  put_goods(g, rec, gd ? gd : &tmp, dispatch, dest);
  put_route(g, rec, dispatch, dest, gd, true);
  char detail[512];
  snprintf(detail, sizeof(detail), "hs=%.31s; control=%s; tier=%s; destination=%s%s",
           rec->f[F_HS_CODE], g->cat->ctl[k], g->cat->ctl_tier[k], COUNTRIES[dest].code, note);
  truth_row(g, rid, V_CONTROLLED_TO_EMBARGOED, "hs_code", detail);
}

static int ru_dispatch(gen *g) {
  static const char *const from[] = {"CN", "HK", "TR", "KZ", "AE", "AM",
                                     "KG", "DE", "IN", "UZ", "GE"};
  static const double w[] = {30, 10, 10, 10, 10, 6, 6, 5, 5, 4, 4};
  return pick_from(g, from, w, 11);
}

static bool plant_controlled(gen *g, record *rec, const char *rid) {
  size_t k = rng_below(&g->r, (uint32_t)g->cat->n_ctl);
  controlled_to_ru(g, rec, rid, k, ru_dispatch(g), 0, false, "");
  return true;
}

/* Schedules the Russia-bound record of diverter slot d; false when there is no room. */
static bool schedule_link(gen *g, size_t d) {
  size_t i = g->rec_index;
  if (i + 2 >= g->n_records || g->n_pend >= 64)
    return false;
  size_t span = g->n_records - i - 1;
  if (span > 500)
    span = 500;
  for (int tries = 0; tries < 10; tries++) {
    size_t due = i + 1 + rng_below(&g->r, (uint32_t)span);
    bool taken = false;
    for (size_t p = 0; p < g->n_pend; p++)
      taken |= g->pend[p].due == due;
    if (taken)
      continue;
    g->pend[g->n_pend++] = (pending){due, g->pop->diverters[d]};
    snprintf(g->div_link_id[d], sizeof(g->div_link_id[d]), "R%08zu", due + 1);
    g->div_linked[d] = true;
    return true;
  }
  return false;
}

static bool plant_hub_diversion(gen *g, record *rec, const char *rid) {
  population *p = g->pop;
  /* Each diverter gets several records: slots are filled round robin. */
  size_t d = g->div_next++ % p->n_diverters;
  if (!g->div_linked[d] && !schedule_link(g, d))
    return false;
  uint32_t div = p->diverters[d];
  int dest = p->c[div].country;
  static const char *const from[] = {"DE", "US", "JP", "KR", "FR", "IT", "NL", "GB", "CH", "PL"};
  static const double w[] = {20, 20, 10, 10, 8, 8, 8, 6, 5, 5};
  int dispatch = pick_from(g, from, w, 10);
  /* The goods: a controlled code. */
  size_t k = rng_below(&g->r, (uint32_t)g->cat->n_ctl);
  const good *gd = control_good(g->cat, k);
  int sector = gd ? gd->sector : -1;
  put_parties(g, rec, dispatch, dest, dispatch, false, sector);
  put_party(g, rec, R_CONSIGNEE, div);
  if (rng_chance(&g->r, 0.7))
    put_party(g, rec, R_IMPORTER, div);
  if (rng_chance(&g->r, 0.7))
    put_party(g, rec, R_END_USER, div);
  put_company(g, rec, F_NOTIFY_PARTY, div);
  good tmp;
  if (!gd) {
    control_stand_in(g->cat, k, &tmp);
    gd = &tmp;
  }
  put_goods(g, rec, gd, dispatch, dest);
  put_route(g, rec, dispatch, dest, gd, true);
  char detail[1024];
  const char *native = SP(&p->sp, p->c[div].name), *latin = SP(&p->sp, p->c[div].latin);
  snprintf(detail, sizeof(detail),
           "consignee=%s; consignee_native=%s; hs=%s; control=%s; tier=%s; ships_to_russia_in=%s",
           latin, native, rec->f[F_HS_CODE], g->cat->ctl[k], g->cat->ctl_tier[k],
           g->div_link_id[d]);
  truth_row(g, rid, V_HUB_DIVERSION, "consignee", detail);
  return true;
}

/* The diverter's own record: it ships to Russia (ordinary goods, or controlled ones). */
static void gen_link(gen *g, record *rec, const char *rid, uint32_t div) {
  population *p = g->pop;
  int hub = p->c[div].country;
  if (rng_chance(&g->r, 0.5)) {
    int sector = ru_import_sector(g);
    const good *gd = pick_good(g, sector, false);
    put_parties(g, rec, hub, g->ru, hub, true, sector);
    put_party(g, rec, R_EXPORTER, div);
    put_goods(g, rec, gd, hub, g->ru);
    put_route(g, rec, hub, g->ru, gd, false);
    return;
  }
  size_t k = rng_below(&g->r, (uint32_t)g->cat->n_ctl);
  controlled_to_ru(g, rec, rid, k, hub, div, true, "; exporter is a hub diverter");
}

static bool plant_description_only(gen *g, record *rec, const char *rid) {
  int dispatch = ru_dispatch(g);
  int dest = rng_chance(&g->r, 0.85) ? g->ru : g->by;
  int sector = sector_named(g->cat, "electrical");
  put_parties(g, rec, dispatch, dest, dispatch, true, -1);
  const good *gd = pick_good(g, sector >= 0 ? sector : 0, false);
  put_goods(g, rec, gd, dispatch, dest);
  put_route(g, rec, dispatch, dest, NULL, true);
  const char *desc = UAV_DESCRIPTIONS[rng_below(&g->r, N_UAV_DESC)];
  static const char *const coarse[] = {"",     "",     "",     "",     "88",   "85",  "84",
                                       "8807", "8526", "8525", "8501", "8529", "9006"};
  const char *hs = coarse[rng_below(&g->r, 13)];
  setf(rec, F_HS_CODE, hs);
  setf(rec, F_GOODS_DESCRIPTION, desc);
  setf(rec, F_UNIT, "pcs");
  char detail[512];
  snprintf(detail, sizeof(detail), "hs=%s; description=%s; destination=%s", hs[0] ? hs : "(none)",
           desc, COUNTRIES[dest].code);
  truth_row(g, rid, V_DESCRIPTION_ONLY, "goods_description", detail);
  return true;
}

static bool plant_occupied(gen *g, record *rec, const char *rid) {
  size_t k = rng_below(&g->r, N_OCCUPIED);
  static const char *const from[] = {"TR", "CN", "KZ", "AM", "GE", "AE", "IN"};
  static const double w[] = {25, 25, 15, 10, 10, 10, 5};
  int dispatch = pick_from(g, from, w, 7);
  int sector = ru_import_sector(g);
  const good *gd = pick_good(g, sector, false);
  put_trade(g, rec, dispatch, g->ru, true, sector, gd);
  setf(rec, F_TRANSIT_COUNTRIES, "");
  double x = rng_unit(&g->r);
  const char *other = x < 0.45 ? "UA" : x < 0.8 ? "" : "RU";
  const char *city = OCCUPIED[k][0];
  const char *field;
  if (rng_chance(&g->r, 0.5)) {
    field = "destination_country";
    setf(rec, F_DESTINATION_COUNTRY, city);
    setf(rec, F_CONSIGNEE_COUNTRY, other);
    setf(rec, F_IMPORTER_COUNTRY, other);
  } else {
    field = "consignee_country";
    setf(rec, F_CONSIGNEE_COUNTRY, city);
    setf(rec, F_DESTINATION_COUNTRY, other);
    setf(rec, F_IMPORTER_COUNTRY, other);
  }
  setf(rec, F_END_USER_COUNTRY, other);
  setf(rec, F_PORT_OF_DISCHARGE, "");
  char detail[256];
  snprintf(detail, sizeof(detail), "place=%s; region=%s; other_country=%s", city, OCCUPIED[k][1],
           other[0] ? other : "(none)");
  truth_row(g, rid, V_OCCUPIED_REGION, field, detail);
  return true;
}

static bool plant_old_hs(gen *g, record *rec, const char *rid) {
  static const char *const codes[][3] = {
      {"880330", "880730", "Other parts of aeroplanes or helicopters"},
      {"880330", "880730", "Части самолетов или вертолетов прочие"},
      {"854150", "854151,854159", "Other semiconductor devices"},
  };
  size_t k = rng_below(&g->r, 10) < 8 ? rng_below(&g->r, 2) : 2;
  int dispatch = ru_dispatch(g);
  int dest = rng_chance(&g->r, 0.9) ? g->ru : g->by;
  put_parties(g, rec, dispatch, dest, dispatch, true, -1);
  good tmp = {0};
  memcpy(tmp.hs, codes[k][0], 7);
  strcpy(tmp.unit, "kg");
  tmp.uv_median = 900;
  tmp.uv_sigma = 1.2;
  tmp.qty_median = 20;
  tmp.desc[0] = (char *)codes[k][2];
  tmp.desc[1] = (char *)codes[k][2];
  put_goods(g, rec, &tmp, dispatch, dest);
  put_route(g, rec, dispatch, dest, NULL, true);
  char detail[768];
  snprintf(detail, sizeof(detail), "hs=%s; hs2017=%s; hs2022=%s; destination=%s", rec->f[F_HS_CODE],
           codes[k][0], codes[k][1], COUNTRIES[dest].code);
  truth_row(g, rid, V_OLD_HS_CODE, "hs_code", detail);
  return true;
}

static bool plant(gen *g, record *rec, const char *rid, int kind) {
  switch (kind) {
  case V_LISTED_PARTY: return plant_listed_party(g, rec, rid);
  case V_LISTED_ID: return plant_listed_id(g, rec, rid);
  case V_LISTED_VESSEL: return plant_listed_vessel(g, rec, rid);
  case V_CONTROLLED_TO_EMBARGOED: return plant_controlled(g, rec, rid);
  case V_HUB_DIVERSION: return plant_hub_diversion(g, rec, rid);
  case V_DESCRIPTION_ONLY: return plant_description_only(g, rec, rid);
  case V_OCCUPIED_REGION: return plant_occupied(g, rec, rid);
  default: return plant_old_hs(g, rec, rid);
  }
}

static int pick_kind(gen *g) {
  return pick_weighted(&g->r, KIND_WEIGHTS, N_KINDS, 0);
}

static void clear_record(record *rec) {
  for (int k = 0; k < N_FIELDS; k++)
    rec->f[k][0] = 0;
}

static void gen_record(gen *g, record *rec, double rate) {
  char rid[32];
  size_t i = g->rec_index;
  rid[0] = 'R';
  put_digits(rid + 1, i + 1, 8);
  clear_record(rec);
  /* A diverter's Russia-bound record due here comes first. */
  for (size_t p = 0; p < g->n_pend; p++)
    if (g->pend[p].due == i) {
      gen_link(g, rec, rid, g->pend[p].diverter);
      g->pend[p] = g->pend[--g->n_pend];
      goto done;
    }
  if (rate > 0 && rng_chance(&g->r, rate)) {
    bool ok = false;
    for (int tries = 0; tries < 8 && !ok; tries++) {
      clear_record(rec);
      ok = plant(g, rec, rid, pick_kind(g));
    }
    if (ok)
      goto done;
    g->planted_failed++;
    clear_record(rec);
  }
  gen_clean(g, rec, false);
done:
  setf(rec, F_RECORD_ID, rid);
  int day = g->day0 + (int)((double)i * g->n_days / (double)g->n_records);
  int y, m, d;
  civil_from_days(day, &y, &m, &d);
  char *dt = rec->f[F_DATE];
  put_digits(dt, (unsigned)y, 4);
  dt[4] = '-';
  put_digits(dt + 5, (unsigned)m, 2);
  dt[7] = '-';
  put_digits(dt + 8, (unsigned)d, 2);
}

/* ----------------------------------------------------------- the command */

typedef struct gen_opts {
  unsigned long long records;
  unsigned long long seed;
  double violations;
  size_t parties;
  bool jsonl;
  bool quiet;
  const char *out;
  const char *truth;
} gen_opts;

static int parse_ull(const char *s, unsigned long long *v) {
  char *end;
  errno = 0;
  if (!isdigit((unsigned char)s[0]))
    return -1;
  *v = strtoull(s, &end, 10);
  return (errno || *end) ? -1 : 0;
}

static int gen_opt(int argc, char **argv, int i, void *ud) {
  gen_opts *o = ud;
  const char *a = argv[i];
  if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
    o->quiet = true;
    return 1;
  }
  static const char *const with_value[] = {"--records", "--seed",  "--violations", "--format", "-o",
                                           "--output",  "--truth", "--parties",    NULL};
  for (int k = 0; with_value[k]; k++) {
    if (strcmp(a, with_value[k]) != 0)
      continue;
    if (i + 1 >= argc) {
      cli_usage_error("%s needs a value", a);
      return -1;
    }
    const char *v = argv[i + 1];
    unsigned long long u;
    if (!strcmp(a, "--records")) {
      if (parse_ull(v, &u) || u > 99999999ULL) {
        cli_usage_error("--records takes a whole number up to 99999999");
        return -1;
      }
      o->records = u;
    } else if (!strcmp(a, "--seed")) {
      if (parse_ull(v, &u)) {
        cli_usage_error("--seed takes a whole number");
        return -1;
      }
      o->seed = u;
    } else if (!strcmp(a, "--violations")) {
      char *end;
      double d = strtod(v, &end);
      if (end == v || *end || !(d >= 0 && d <= 0.5)) {
        cli_usage_error("--violations takes a rate from 0 to 0.5");
        return -1;
      }
      o->violations = d;
    } else if (!strcmp(a, "--parties")) {
      if (parse_ull(v, &u) || u < 1000 || u > 1000000) {
        cli_usage_error("--parties takes a whole number from 1000 to 1000000");
        return -1;
      }
      o->parties = (size_t)u;
    } else if (!strcmp(a, "--format")) {
      if (!strcmp(v, "csv"))
        o->jsonl = false;
      else if (!strcmp(v, "jsonl"))
        o->jsonl = true;
      else {
        cli_usage_error("--format is csv or jsonl");
        return -1;
      }
    } else if (!strcmp(a, "--truth")) {
      o->truth = v;
    } else {
      o->out = v;
    }
    return 2;
  }
  return 0;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Opens path for writing; prints the error and returns NULL when it cannot. */
static FILE *open_write(const char *path) {
  FILE *f = fopen(path, "wb");
  if (!f)
    fprintf(stderr, "embargo: %s: %s\n", path, strerror(errno));
  return f;
}

int cmd_generate(int argc, char **argv) {
  gen_opts o = {.records = 10000, .seed = 1, .violations = 0.002, .parties = 24000};
  const char **lists = NULL, **args = NULL;
  size_t n_lists = 0, n_args = 0;
  int rc = cli_collect_args(argc, argv, &lists, &n_lists, &args, &n_args, gen_opt, &o);
  if (rc)
    return rc;
  free(args);
  if (n_args) {
    free(lists);
    return cli_usage_error("generate takes no arguments besides options (use --list PATH)");
  }
  double t0 = now_seconds();
  int status = EXIT_OK;
  const char *defaults[CLI_N_DEFAULT_LISTS];
  size_t n_defaults = n_lists ? 0 : cli_default_lists(defaults);

  /* Lists and matcher. */
  emb_entity_set *set = emb_set_new();
  emb_matcher *m = NULL;
  emb_match_ctx *mc = NULL;
  emb_diags d;
  emb_diags_init(&d);
  size_t nl = n_lists ? n_lists : n_defaults;
  for (size_t i = 0; set && i < nl; i++)
    if (emb_load(set, n_lists ? lists[i] : defaults[i], &d))
      status = EXIT_INPUT;
  if (d.n_errors)
    cli_print_diags(stderr, &d);
  if (!o.quiet && d.n_warnings && !d.n_errors)
    fprintf(stderr, "embargo: %zu warnings while loading the lists (see 'embargo lists inspect')\n",
            d.n_warnings);
  emb_diags_fini(&d);
  catalog cat = {0};
  words wl = {0};
  population pop = {0};
  listed lst = {0};
  FILE *out = NULL, *truth = NULL;
  gen g = {0};
  record *rec = NULL;
  if (!set || emb_set_count(set) == 0) {
    fprintf(stderr, "embargo: no listed entities loaded\n");
    status = EXIT_INPUT;
    goto cleanup;
  }
  emb_matcher_opts mo = emb_matcher_opts_default();
  rc = emb_matcher_new(set, &mo, &m);
  if (rc || emb_match_ctx_new(m, &mc)) {
    fprintf(stderr, "embargo: cannot build the index: %s\n", emb_strerror(rc ? rc : EMB_ENOMEM));
    status = EXIT_INPUT;
    goto cleanup;
  }

  /* Data files. */
  char path[4096];
  snprintf(path, sizeof(path), "%s/generate/words.tsv", emb_data_dir());
  if (words_load(&wl, path))
    status = EXIT_INPUT;
  snprintf(path, sizeof(path), "%s/generate/goods.tsv", emb_data_dir());
  if (goods_load(&cat, path))
    status = EXIT_INPUT;
  snprintf(path, sizeof(path), "%s/controls/chpl.csv", emb_data_dir());
  if (cat.n && controls_load(&cat, path))
    status = EXIT_INPUT;
  if (!wl.n || !cat.n || !cat.n_ctl)
    goto cleanup;

  double t_lists = now_seconds();
  rng_seed(&g.r, o.seed);
  double expected_div = (double)o.records * o.violations * KIND_WEIGHTS[V_HUB_DIVERSION] / 10.7 / 3;
  if (build_population(&pop, &wl, &cat, set, m, o.parties, expected_div, &g.r, o.quiet)) {
    status = EXIT_INPUT;
    goto cleanup;
  }
  listed_build(&lst, set);
  double t_pop = now_seconds();

  if ((o.out && strcmp(o.out, "-") && !(out = open_write(o.out))) ||
      (o.truth && !(truth = open_write(o.truth)))) {
    status = EXIT_INPUT;
    goto cleanup;
  }
  if (truth)
    fputs("record_id,kind,field,detail\n", truth);

  g.pop = &pop;
  g.cat = &cat;
  g.lst = &lst;
  g.mc = mc;
  g.n_records = (size_t)o.records;
  g.jsonl = o.jsonl;
  g.truth = truth;
  g.out.f = out ? out : stdout;
  g.out.cap = 1 << 20;
  g.out.b = xmalloc(g.out.cap);
  g.ru = country_index("RU");
  g.by = country_index("BY");
  g.div_linked = calloc(pop.n_diverters, sizeof(bool));
  g.div_link_id = calloc(pop.n_diverters, sizeof(*g.div_link_id));
  if (!g.div_linked || !g.div_link_id) {
    fputs("embargo: out of memory\n", stderr);
    status = EXIT_INPUT;
    goto cleanup;
  }
  double acc_e = 0, acc_i = 0;
  for (size_t ci = 0; ci < N_COUNTRIES; ci++) {
    acc_e += COUNTRIES[ci].w_export;
    acc_i += COUNTRIES[ci].w_import;
    g.country_cdf_export[ci] = acc_e;
    g.country_cdf_import[ci] = acc_i;
  }
  for (size_t a = 0; a < N_COUNTRIES; a++)
    for (size_t b = 0; b < N_COUNTRIES; b++)
      g.land[a][b] = land_neighbours(COUNTRIES[a].code, COUNTRIES[b].code);
  g.day0 = days_from_civil(2021, 1, 1);
  g.n_days = days_from_civil(2025, 12, 31) - g.day0 + 1;

  rec = xmalloc(sizeof(*rec));
  write_header(&g.out, rec, g.jsonl);
  for (g.rec_index = 0; g.rec_index < g.n_records && !g.out.failed; g.rec_index++) {
    gen_record(&g, rec, o.violations);
    write_record(&g.out, rec, g.jsonl);
  }
  w_flush(&g.out);
  if (fflush(g.out.f) || g.out.failed || (out && ferror(out))) {
    fprintf(stderr, "embargo: writing %s failed\n", o.out && strcmp(o.out, "-") ? o.out : "stdout");
    status = EXIT_INPUT;
  }
  if (truth && (fflush(truth) || ferror(truth))) {
    fprintf(stderr, "embargo: writing %s failed\n", o.truth);
    status = EXIT_INPUT;
  }
  double t_end = now_seconds();

  if (!o.quiet) {
    size_t kept = 0, used = 0, top = 0, once = 0;
    const company *topc = NULL;
    for (size_t i = 0; i < pop.n; i++) {
      const company *c = &pop.c[i];
      if (c->dropped)
        continue;
      kept++;
      if (c->uses) {
        used++;
        once += c->uses == 1;
      }
      if (c->uses > top) {
        top = c->uses;
        topc = c;
      }
    }
    size_t total = 0;
    for (int k = 0; k < N_KINDS; k++)
      total += g.planted[k];
    fprintf(stderr,
            "embargo generate: %zu records (seed %llu) in %.2f s: lists and index %.2f s, "
            "population %.2f s, records %.2f s (%.0f records/s)\n",
            g.n_records, o.seed, t_end - t0, t_lists - t0, t_pop - t_lists, t_end - t_pop,
            (double)g.n_records / (t_end - t_pop > 1e-9 ? t_end - t_pop : 1e-9));
    fprintf(stderr,
            "  population: %zu synthetic companies kept, %zu dropped (name close to a listed "
            "one), %zu vessels dropped, %zu identifiers redrawn\n",
            kept, pop.dropped_names, pop.dropped_vessels, pop.ids_redrawn);
    fprintf(stderr,
            "  parties in records: %zu distinct synthetic companies, %zu of them in one record "
            "only; most frequent: %s in %zu records (%.2f%%)\n",
            used, once, topc ? SP(&pop.sp, topc->latin) : "-", top,
            g.n_records ? 100.0 * (double)top / (double)g.n_records : 0.0);
    fprintf(stderr, "  planted violations: %zu in %zu records (", total, g.records_with_violations);
    for (int k = 0; k < N_KINDS; k++)
      fprintf(stderr, "%s%s %zu", k ? ", " : "", KIND_NAMES[k], g.planted[k]);
    fprintf(stderr, ")%s\n", truth ? "" : "; no --truth file written");
    if (g.planted_failed)
      fprintf(stderr, "  %zu planned violations could not be planted (no candidates)\n",
              g.planted_failed);
  }

cleanup:
  free(rec);
  free(g.out.b);
  free(g.div_linked);
  free(g.div_link_id);
  if (out)
    fclose(out);
  if (truth)
    fclose(truth);
  listed_free(&lst);
  population_free(&pop);
  catalog_free(&cat);
  words_free(&wl);
  emb_match_ctx_free(mc);
  emb_matcher_free(m);
  emb_set_free(set);
  free(lists);
  return status;
}
