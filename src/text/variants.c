/*
 * variants.c - name-variant clusters: which spellings of a name, in any script, are one name.
 *
 * The source is names_wikidata_clusters.txt(.gz) (nomenklatura, from Wikidata, CC0): one
 * cluster per line, "variant, variant, ... => Q123". Each single-word variant is keyed
 *   - by its comparable form: normalised and transliterated the way the analyzer does it
 *     for Latin, Cyrillic, Greek, Arabic and Hebrew ("влади́мир" -> "vladimir"), and
 *   - when it is not Latin, also by its normalised original form ("владимир", "محمد",
 *     "普京"), so that a query word in Arabic, Hebrew or Han finds its cluster directly.
 * Variants in scripts only ICU transliterates (Han, kana, Hangul, Indic ...) are keyed by
 * their original form only: running ICU over 200,000 words would make loading slow, and
 * the analyzer looks such words up by their original form anyway. Multi-word variants
 * ("marga kim") are skipped. A key maps to the sorted, distinct numeric Wikidata ids of
 * every cluster it appears in.
 *
 * Loading is on the start-up path (about 0.3 s): most variants (lowercase ASCII, Latin-1,
 * and letters that normalisation leaves unchanged) are keyed without utf8proc; the rest
 * go through the normaliser. Layout: every key string in one byte array, one entry per
 * key (offset, length, hash, ids), all ids in one uint32 array, and an open-addressing
 * table of (hash, entry number). The table is immutable after loading and shared
 * between analyzer clones.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "embargo.h"
#include "text/translit.h"

#define MAX_FILE ((size_t)1 << 28) /* 256 MiB decompressed */

typedef struct entry {
  uint32_t key; /* offset in strs */
  uint32_t hash;
  uint32_t ids; /* offset in ids (after build) / head of pair list (during build) */
  uint16_t len;
  uint16_t n;
} entry;

struct emb__variants {
  char *strs;
  entry *ent;
  size_t n_ent, cap_ent;
  uint64_t *slot; /* hash << 32 | (entry index + 1); 0 = empty */
  size_t mask;
  uint32_t *ids;
  size_t n_ids;
};

void emb__variants_free(emb__variants *v) {
  if (!v)
    return;
  free(v->strs);
  free(v->ent);
  free(v->slot);
  free(v->ids);
  free(v);
}

static uint32_t hash32(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

const uint32_t *emb__variants_get(const emb__variants *v, const char *key, size_t len, size_t *n) {
  *n = 0;
  if (!v || !v->slot || len == 0 || len > 0xFFFF)
    return NULL;
  uint32_t h = hash32(key, len);
  for (size_t i = h & v->mask;; i = (i + 1) & v->mask) {
    uint64_t s = v->slot[i];
    if (!s)
      return NULL;
    if ((uint32_t)(s >> 32) != h)
      continue;
    const entry *e = &v->ent[(uint32_t)s - 1];
    if (e->len == len && memcmp(v->strs + e->key, key, len) == 0) {
      *n = e->n;
      return v->ids + e->ids;
    }
  }
}

/* ------------------------------------------------------------- building */

/*
 * Building avoids random access into a large hash table while loading (which dominated
 * the load time): every (key, id) goes into a flat record array and its key bytes into
 * one buffer (which becomes the table's string array, duplicates included), the records
 * are radix-sorted by the low bits of their hash, equal keys (now close together) become
 * one entry with its sorted distinct ids, and the slots are filled in hash order, which
 * is nearly sequential.
 */
typedef struct rec {
  uint32_t hash;
  uint32_t off; /* key offset in the builder's key buffer */
  uint32_t id;
  uint16_t len; /* 0xFFFF once grouped */
} rec;

typedef struct builder {
  emb__variants *v;
  char *kbuf;
  size_t nk, capk;
  rec *r;
  size_t nr, capr;
} builder;

/* Records (key, id). */
static int add(builder *b, const char *key, size_t len, uint32_t id) {
  if (len == 0 || len > 255)
    return 0;
  if (b->nr == b->capr) {
    size_t cap = b->capr ? b->capr * 2 : 1 << 19;
    rec *p = realloc(b->r, cap * sizeof(*p));
    if (!p)
      return EMB_ENOMEM;
    b->r = p;
    b->capr = cap;
  }
  if (b->nk + len > b->capk) {
    size_t cap = b->capk ? b->capk * 2 : 1 << 23;
    while (cap < b->nk + len)
      cap *= 2;
    if (cap > UINT32_MAX)
      return EMB_ETOOBIG;
    char *p = realloc(b->kbuf, cap);
    if (!p)
      return EMB_ENOMEM;
    b->kbuf = p;
    b->capk = cap;
  }
  memcpy(b->kbuf + b->nk, key, len);
  b->r[b->nr++] = (rec){hash32(key, len), (uint32_t)b->nk, id, (uint16_t)len};
  b->nk += len;
  return 0;
}

static int cmp_u32(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return a < b ? -1 : a > b;
}

/* Sorts, groups and indexes the records into b->v. */
static int finish(builder *b) {
  emb__variants *v = b->v;
  size_t n = b->nr;
  /* Two passes of 11 bits sort by the low 22 bits of the hash, which cover the slot
   * index of tables up to 4 million slots (beyond, the fill is less sequential). */
  rec *tmp = malloc((n ? n : 1) * sizeof(*tmp));
  if (!tmp)
    return EMB_ENOMEM;
  rec *src = b->r, *dst = tmp;
  for (int shift = 0; shift < 22; shift += 11) {
    size_t cnt[2049] = {0};
    for (size_t i = 0; i < n; i++)
      cnt[((src[i].hash >> shift) & 0x7FF) + 1]++;
    for (int k = 0; k < 2048; k++)
      cnt[k + 1] += cnt[k];
    for (size_t i = 0; i < n; i++)
      dst[cnt[(src[i].hash >> shift) & 0x7FF]++] = src[i];
    rec *t = src;
    src = dst;
    dst = t;
  }
  /* after two passes the sorted records are back in b->r */
  free(tmp);
  rec *r = b->r;
  v->ids = malloc((n ? n : 1) * sizeof(uint32_t));
  v->ent = malloc((n ? n : 1) * sizeof(entry));
  if (!v->ids || !v->ent)
    return EMB_ENOMEM;
  v->cap_ent = n ? n : 1;
  /* the key bytes stay where the builder wrote them */
  char *ks = realloc(b->kbuf, b->nk ? b->nk : 1);
  v->strs = ks ? ks : b->kbuf;
  b->kbuf = NULL;
  size_t ni = 0, ne = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && ((r[j].hash ^ r[i].hash) & 0x3FFFFF) == 0)
      j++;
    for (size_t k = i; k < j; k++) {
      if (r[k].len == 0xFFFF)
        continue;
      const char *key = v->strs + r[k].off;
      size_t len = r[k].len;
      uint32_t h = r[k].hash;
      entry *e = &v->ent[ne++];
      e->key = r[k].off;
      e->hash = h;
      e->len = (uint16_t)len;
      size_t start = ni;
      for (size_t q = k; q < j; q++) {
        if (r[q].len != len || r[q].hash != h ||
            (q != k && memcmp(v->strs + r[q].off, key, len) != 0))
          continue;
        v->ids[ni++] = r[q].id;
        r[q].len = 0xFFFF;
      }
      size_t m = ni - start;
      if (m > 1) {
        qsort(v->ids + start, m, sizeof(uint32_t), cmp_u32);
        size_t w = start + 1;
        for (size_t q = start + 1; q < ni; q++)
          if (v->ids[q] != v->ids[w - 1])
            v->ids[w++] = v->ids[q];
        ni = w;
        m = ni - start;
      }
      e->ids = (uint32_t)start;
      e->n = (uint16_t)(m > 0xFFFF ? 0xFFFF : m);
    }
    i = j;
  }
  v->n_ent = ne;
  v->n_ids = ni;
  /* give back what duplicates did not use */
  entry *pe = realloc(v->ent, (ne ? ne : 1) * sizeof(entry));
  if (pe) {
    v->ent = pe;
    v->cap_ent = ne ? ne : 1;
  }
  uint32_t *pi = realloc(v->ids, (ni ? ni : 1) * sizeof(uint32_t));
  if (pi)
    v->ids = pi;
  size_t cap = 1 << 10;
  while (cap < ne * 2) /* load factor at most 0.5 */
    cap *= 2;
  v->slot = calloc(cap, sizeof(*v->slot));
  if (!v->slot)
    return EMB_ENOMEM;
  v->mask = cap - 1;
  for (size_t e = 0; e < ne; e++) {
    size_t i = v->ent[e].hash & v->mask;
    while (v->slot[i])
      i = (i + 1) & v->mask;
    v->slot[i] = (uint64_t)v->ent[e].hash << 32 | (uint32_t)(e + 1);
  }
  return 0;
}

typedef struct keyer {
  emb__norm nb;
  emb_buf lat;
  emb_buf orig;
} keyer;

/*
 * True for a code point that normalisation leaves as it is and that carries no look-alike
 * question: lowercase Cyrillic letters without stress marks (й ё ї ў ѓ ќ are composed
 * back by the normaliser), Arabic letters without hamza carriers, Hebrew letters, Han,
 * Hangul syllables, kana, Greek lowercase without final sigma. Most non-Latin variants
 * consist of these only and skip utf8proc.
 */
static bool plain_cp(uint32_t c) {
  return (c >= 0x0430 && c <= 0x045F && c != 0x0450 && c != 0x045D) || c == 0x0491 || c == 0x0493 ||
         c == 0x049B || c == 0x04A3 || c == 0x04AF || c == 0x04B1 || c == 0x04BB || c == 0x04D9 ||
         c == 0x04E9 || (c >= 0x0627 && c <= 0x063A) || (c >= 0x0641 && c <= 0x064A) ||
         c == 0x0621 || c == 0x067E || c == 0x0686 || c == 0x0698 || c == 0x06A9 || c == 0x06AF ||
         c == 0x06CC || (c >= 0x05D0 && c <= 0x05EA) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x03B1 && c <= 0x03C9 && c != 0x03C2) ||
         (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC;
}

/* ASCII of lowercase Latin-1 letters U+00DF-U+00FF, as normalisation + translit give it. */
static const char *const latin1[33] = {"ss", "a", "a",  "a", "a", "a", "a", "ae", "c", "e",  "e",
                                       "e",  "e", "i",  "i", "i", "i", "d", "n",  "o", "o",  "o",
                                       "o",  "o", NULL, "o", "u", "u", "u", "u",  "y", "th", "y"};

/*
 * Fast path for a variant of lowercase ASCII and Latin-1 letters ("illés", "jürgen"):
 * writes its comparable form into out and returns true; false for anything else.
 */
static bool latin1_key(const char *s, size_t n, emb_buf *out) {
  emb__buf_reset(out);
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n; i++) {
    if (p[i] >= 'a' && p[i] <= 'z') {
      if (emb__buf_putc(out, (char)p[i]))
        return false;
      continue;
    }
    if (p[i] != 0xC3 || i + 1 >= n || p[i + 1] < 0x9F || p[i + 1] > 0xBF)
      return false;
    const char *a = latin1[p[i + 1] - 0x9F];
    if (!a || emb__buf_puts(out, a))
      return false;
    i++;
  }
  return out->len > 0;
}

/* Decodes s as UTF-8 into cp when every character is plain_cp and of one script;
 * returns the count or 0. */
static size_t plain_decode(const char *s, size_t n, uint32_t *cp, size_t max) {
  size_t k = 0;
  const unsigned char *p = (const unsigned char *)s;
  emb__script sc = EMB__SC_NONE;
  for (size_t i = 0; i < n;) {
    uint32_t c;
    if (p[i] >= 0xC2 && p[i] < 0xE0 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      c = (uint32_t)(p[i] & 0x1F) << 6 | (p[i + 1] & 0x3F);
      i += 2;
    } else if (p[i] >= 0xE0 && p[i] < 0xF0 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
               (p[i + 2] & 0xC0) == 0x80) {
      c = (uint32_t)(p[i] & 0x0F) << 12 | (uint32_t)(p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F);
      i += 3;
    } else {
      return 0;
    }
    if (k == max || !plain_cp(c))
      return 0;
    emb__script s2 = emb__script_of(c);
    if (k && s2 != sc)
      return 0;
    sc = s2;
    cp[k++] = c;
  }
  return k;
}

/* Adds the keys of one variant s[0..n). */
static int add_variant(builder *b, keyer *kr, const char *s, size_t n, uint32_t id) {
  /* fast path: lowercase ASCII letters */
  bool simple = n > 0;
  for (size_t i = 0; i < n && simple; i++)
    simple = s[i] >= 'a' && s[i] <= 'z';
  if (simple)
    return add(b, s, n, id);
  if (latin1_key(s, n, &kr->lat))
    return add(b, kr->lat.data, kr->lat.len, id);
  int rc;
  uint32_t pcp[64];
  size_t m = plain_decode(s, n, pcp, 64);
  const uint32_t *cp = pcp;
  if (m) {
    /* already normal: the original key is s itself */
    emb__buf_reset(&kr->lat);
    bool icu = false;
    if ((rc = emb__simple_latin(cp, m, &kr->lat, &icu)) != 0)
      return rc;
    if (!icu && kr->lat.len && !memchr(kr->lat.data, ' ', kr->lat.len) &&
        (rc = add(b, kr->lat.data, kr->lat.len, id)) != 0)
      return rc;
    return add(b, s, n, id);
  }
  rc = emb__norm_run(&kr->nb, s, n);
  if (rc)
    return rc;
  cp = kr->nb.cp;
  m = kr->nb.n;
  if (m == 0)
    return 0;
  bool latin = true;
  for (size_t i = 0; i < m; i++) {
    if (cp[i] == ' ')
      return 0; /* several words */
    emb__script sc = emb__script_of(cp[i]);
    if (sc != EMB__SC_ASCII && sc != EMB__SC_LATIN)
      latin = false;
  }
  emb__buf_reset(&kr->lat);
  bool icu = false;
  if ((rc = emb__simple_latin(cp, m, &kr->lat, &icu)) != 0)
    return rc;
  if (!icu && kr->lat.len && !memchr(kr->lat.data, ' ', kr->lat.len) &&
      (rc = add(b, kr->lat.data, kr->lat.len, id)) != 0)
    return rc;
  if (!latin) {
    emb__buf_reset(&kr->orig);
    if ((rc = emb__utf8_put(&kr->orig, cp, m)) != 0)
      return rc;
    rc = add(b, kr->orig.data, kr->orig.len, id);
  }
  return rc;
}

static int read_all(const char *path, char **data, size_t *len) {
  gzFile f = gzopen(path, "rb");
  if (!f)
    return EMB_EIO;
  size_t cap = 1 << 24, n = 0;
  char *buf = malloc(cap + 1);
  if (!buf) {
    gzclose(f);
    return EMB_ENOMEM;
  }
  for (;;) {
    if (n == cap) {
      if (cap >= MAX_FILE) {
        free(buf);
        gzclose(f);
        return EMB_ETOOBIG;
      }
      cap *= 2;
      char *p = realloc(buf, cap + 1);
      if (!p) {
        free(buf);
        gzclose(f);
        return EMB_ENOMEM;
      }
      buf = p;
    }
    size_t want = cap - n > (1u << 30) ? (1u << 30) : cap - n;
    int k = gzread(f, buf + n, (unsigned)want);
    if (k < 0) {
      free(buf);
      gzclose(f);
      return EMB_EIO;
    }
    if (k == 0)
      break;
    n += (size_t)k;
  }
  gzclose(f);
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return 0;
}

int emb__variants_load(const char *path, emb__variants **out) {
  *out = NULL;
  char *data = NULL;
  size_t len = 0;
  int rc = read_all(path, &data, &len);
  if (rc)
    return rc;
  emb__variants *v = calloc(1, sizeof(*v));
  builder b = {v, NULL, 0, 0, NULL, 0, 0};
  keyer kr;
  emb__norm_init(&kr.nb);
  emb__buf_init(&kr.lat, 1 << 16);
  emb__buf_init(&kr.orig, 1 << 16);
  if (!v) {
    rc = EMB_ENOMEM;
    goto done;
  }
  /* Size the builder from the file (about 12 bytes per key) to avoid regrowing. */
  b.capr = len / 12 + 1024;
  b.capk = len + 1024;
  b.r = malloc(b.capr * sizeof(*b.r));
  b.kbuf = malloc(b.capk);
  if (!b.r || !b.kbuf) {
    rc = EMB_ENOMEM;
    goto done;
  }
  size_t lines = 0;
  for (size_t i = 0; i < len && !rc;) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - data) : len;
    const char *line = data + i;
    size_t ll = e - i;
    i = e + 1;
    /* "..., ... => Q123" */
    const char *arrow = NULL;
    for (size_t k = ll; k >= 4; k--)
      if (memcmp(line + k - 4, " => ", 4) == 0) {
        arrow = line + k - 4;
        break;
      }
    if (!arrow)
      continue;
    const char *q = arrow + 4, *end = line + ll;
    while (end > q && (end[-1] == '\r' || end[-1] == ' '))
      end--;
    if (q >= end || *q != 'Q')
      continue;
    unsigned long long id = 0;
    const char *d = q + 1;
    for (; d < end && *d >= '0' && *d <= '9' && id <= UINT32_MAX; d++)
      id = id * 10 + (unsigned)(*d - '0');
    if (d != end || d == q + 1 || id == 0 || id > UINT32_MAX)
      continue;
    lines++;
    const char *p = line;
    while (p < arrow && !rc) {
      const char *c = p;
      for (;;) {
        c = memchr(c, ',', (size_t)(arrow - c));
        if (!c) {
          c = arrow;
          break;
        }
        if (c + 1 < arrow && c[1] == ' ')
          break;
        c++;
      }
      /* a variant may itself contain ',' not followed by ' '; split on ", " only */
      const char *vs = p, *ve = c;
      while (vs < ve && *vs == ' ')
        vs++;
      while (ve > vs && ve[-1] == ' ')
        ve--;
      if (ve > vs)
        rc = add_variant(&b, &kr, vs, (size_t)(ve - vs), (uint32_t)id);
      p = c < arrow ? c + 2 : arrow;
    }
  }
  if (!rc && lines == 0)
    rc = EMB_EFORMAT;
  if (!rc)
    rc = finish(&b);
done:
  free(data);
  free(b.r);
  free(b.kbuf);
  emb__norm_fini(&kr.nb);
  emb__buf_fini(&kr.lat);
  emb__buf_fini(&kr.orig);
  if (rc) {
    emb__variants_free(v);
    return rc;
  }
  *out = v;
  return 0;
}
