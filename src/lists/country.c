/*
 * country.c - country names, codes and nationality adjectives to ISO 3166.
 *
 * Every name in country_table.c is normalised once (the first lookup builds the index
 * under pthread_once) into a key: letters case-folded, accents and other marks stripped
 * (utf8proc decomposition plus a few letters that do not decompose, such as "ł" and
 * "ø"), '.' deleted so that "U.S.A." is "usa", '&' read as "and", every other run of
 * punctuation and spaces collapsed into one space, and a leading or trailing "the"
 * dropped ("Bahamas, The", "the Philippines"). Keys are sorted; a lookup normalises its
 * input into a stack buffer and does a binary search, so it never allocates.
 *
 * emb_country_code() accepts one country only. When the text as a whole is not a key it
 * retries with what lists wrap around a country: "(now Belarus)" and "Former USSR,
 * currently Ukraine" give the country named after "now"; parenthetical remarks ("Russian
 * Federation (as at November 2010)", "Libya (in custody)") are dropped; prefixes
 * ("Region:", "possibly", "former") and suffixes ("passport", "by birth", "SSR") are
 * stripped. Last, a text that names several countries resolves only if they all agree.
 * ISO codes only match text without dots, so that a company's "S.A." is not Saudi
 * Arabia; words that say the country is unknown ("UNKNOWN", "undetermined", the UN's
 * lower-case "na") give NULL. emb__country_codes() is the multi-valued form for fields
 * such as "Russian, Cypriot" or "1) Saudi Arabia 2) Qatar".
 *
 * emb_subdivision_code() looks for the Ukrainian regions that sanctions programmes
 * single out as whole words anywhere in the text ("Simferopol, Crimea" is UA-43), in
 * English, Ukrainian and Russian, and by their main cities: at each word start it
 * binary-searches the sorted names sharing the word's first bytes and takes the longest
 * that ends on a word boundary; the first place named wins. Parenthetical remarks of
 * more than five words are skipped ("(the Union does not recognise passports issued by
 * the Russian Federation in Crimea)" names no birth place).
 *
 * Cost: an exact lookup is about 0.3 microseconds; text that needs the fallbacks a few
 * microseconds; the worst 1 KB input about 1.5 ms (splitting is refused above 1 KB).
 * Lists repeat the same few hundred country texts thousands of times, so each thread
 * keeps the latest answers of emb_country_code() and emb_subdivision_code() for short
 * texts in a small direct-mapped memo (see memo_find); a repeated text costs a hash
 * and a memcmp.
 */
#include "lists/country.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

/* The tables live in country_table.c. */
extern const char *const emb__country_iso[][3];
extern const size_t emb__country_iso_len;
extern const char *const emb__country_alias[][2];
extern const size_t emb__country_alias_len;

/*
 * Multi-valued lookup (to be declared in country.h): writes the distinct alpha-2 codes
 * named in text[0..len) to codes[0..max) in order of appearance and returns how many
 * it wrote; *n_unresolved (may be NULL) receives the number of parts that named no
 * known country. Separators: ';', '/', '.', ',', "and", "or", "&" and enumerations
 * such as "1)" or "(2)"; names that contain a separator ("Korea, North", "Trinidad and
 * Tobago") are kept whole. The codes are static strings.
 */
int emb__country_codes(const char *text, size_t len, const char **codes, int max,
                       int *n_unresolved);

enum {
  KEY_MAX = 96,      /* longest key kept in the index; longer names are skipped */
  INDEX_CAP = 2048,  /* entries in the index; the tables have about 1,650 (a unit test
                        checks that every one resolves, so none was dropped) */
  INPUT_MAX = 256,   /* longest normalised text emb_country_code looks up */
  SPLIT_MAX = 1024,  /* longest text emb__country_codes splits */
  SEARCH_MAX = 4096, /* longest prefix of a text searched for subdivisions */
  SPLIT_DEPTH = 12,  /* recursion bound of the splitter */
  SUB_PREFIX = 3     /* bytes of a subdivision key compared to find candidates */
};

typedef struct entry {
  char key[KEY_MAX]; /* normalised name */
  const char *code;  /* alpha-2 code (static) */
  unsigned order;    /* position in the tables: earlier entries win ties */
  bool is_code;      /* an ISO code rather than a name */
} entry;

typedef struct subdiv {
  const char *name; /* name as written */
  const char *code; /* ISO 3166-2 code */
} subdiv;

/* Names of the regions and of their main cities, in English, Ukrainian and Russian. */
static const subdiv subdivs[] = {
    /* Autonomous Republic of Crimea */
    {"UA-43", "UA-43"},
    {"UA43", "UA-43"},
    {"Crimea", "UA-43"},
    {"Krym", "UA-43"},
    {"Krim", "UA-43"},
    {"Crimée", "UA-43"},
    {"Krim", "UA-43"},
    {"Крым", "UA-43"},
    {"Крыма", "UA-43"},
    {"Крыму", "UA-43"},
    {"Крим", "UA-43"},
    {"Криму", "UA-43"},
    {"Автономна Республіка Крим", "UA-43"},
    {"Республика Крым", "UA-43"},
    {"Simferopol", "UA-43"},
    {"Symferopol", "UA-43"},
    {"Симферополь", "UA-43"},
    {"Сімферополь", "UA-43"},
    {"Yalta", "UA-43"},
    {"Ялта", "UA-43"},
    {"Kerch", "UA-43"},
    {"Керчь", "UA-43"},
    {"Керч", "UA-43"},
    {"Feodosia", "UA-43"},
    {"Feodosiya", "UA-43"},
    {"Феодосия", "UA-43"},
    {"Феодосія", "UA-43"},
    {"Yevpatoria", "UA-43"},
    {"Evpatoria", "UA-43"},
    {"Yevpatoriya", "UA-43"},
    {"Evpatoriya", "UA-43"},
    {"Евпатория", "UA-43"},
    {"Євпаторія", "UA-43"},
    {"Dzhankoi", "UA-43"},
    {"Dzhankoy", "UA-43"},
    {"Джанкой", "UA-43"},
    {"Alushta", "UA-43"},
    {"Алушта", "UA-43"},
    {"Bakhchysarai", "UA-43"},
    {"Bakhchisaray", "UA-43"},
    {"Бахчисарай", "UA-43"},
    {"Sudak", "UA-43"},
    {"Armyansk", "UA-43"},
    {"Krasnoperekopsk", "UA-43"},
    /* Sevastopol */
    {"UA-40", "UA-40"},
    {"UA40", "UA-40"},
    {"Sevastopol", "UA-40"},
    {"Sebastopol", "UA-40"},
    {"Sevastopil", "UA-40"},
    {"Севастополь", "UA-40"},
    {"Севастополя", "UA-40"},
    {"Севастополі", "UA-40"},
    {"Севастополе", "UA-40"},
    /* Donetsk Oblast */
    {"UA-14", "UA-14"},
    {"UA14", "UA-14"},
    {"Donetsk", "UA-14"},
    {"Donetska", "UA-14"},
    {"Donetskaya", "UA-14"},
    {"Donetskaia", "UA-14"},
    {"Донецк", "UA-14"},
    {"Донецьк", "UA-14"},
    {"Донецька", "UA-14"},
    {"Донецкая", "UA-14"},
    {"Донецкой", "UA-14"},
    {"Донецької", "UA-14"},
    {"Донецкую", "UA-14"},
    {"DNR", "UA-14"},
    {"ДНР", "UA-14"},
    {"Mariupol", "UA-14"},
    {"Маріуполь", "UA-14"},
    {"Мариуполь", "UA-14"},
    {"Makiivka", "UA-14"},
    {"Makeevka", "UA-14"},
    {"Makeyevka", "UA-14"},
    {"Макеевка", "UA-14"},
    {"Макіївка", "UA-14"},
    {"Horlivka", "UA-14"},
    {"Gorlovka", "UA-14"},
    {"Горловка", "UA-14"},
    {"Горлівка", "UA-14"},
    {"Kramatorsk", "UA-14"},
    {"Краматорськ", "UA-14"},
    {"Краматорск", "UA-14"},
    {"Sloviansk", "UA-14"},
    {"Slavyansk", "UA-14"},
    {"Yenakiieve", "UA-14"},
    {"Enakievo", "UA-14"},
    {"Yenakiyevo", "UA-14"},
    {"Енакиево", "UA-14"},
    {"Khartsyzk", "UA-14"},
    {"Shakhtarsk", "UA-14"},
    {"Torez", "UA-14"},
    {"Snizhne", "UA-14"},
    {"Debaltseve", "UA-14"},
    {"Bakhmut", "UA-14"},
    {"Artemivsk", "UA-14"},
    /* Luhansk Oblast */
    {"UA-09", "UA-09"},
    {"UA09", "UA-09"},
    {"Luhansk", "UA-09"},
    {"Lugansk", "UA-09"},
    {"Luhanska", "UA-09"},
    {"Luganskaya", "UA-09"},
    {"Luganskaia", "UA-09"},
    {"Луганск", "UA-09"},
    {"Луганськ", "UA-09"},
    {"Луганська", "UA-09"},
    {"Луганская", "UA-09"},
    {"Луганской", "UA-09"},
    {"Луганської", "UA-09"},
    {"Луганскую", "UA-09"},
    {"LNR", "UA-09"},
    {"ЛНР", "UA-09"},
    {"Alchevsk", "UA-09"},
    {"Алчевск", "UA-09"},
    {"Алчевськ", "UA-09"},
    {"Sievierodonetsk", "UA-09"},
    {"Severodonetsk", "UA-09"},
    {"Северодонецк", "UA-09"},
    {"Сєвєродонецьк", "UA-09"},
    {"Lysychansk", "UA-09"},
    {"Lisichansk", "UA-09"},
    {"Лисичанск", "UA-09"},
    {"Лисичанськ", "UA-09"},
    {"Krasnyi Luch", "UA-09"},
    {"Krasny Luch", "UA-09"},
    {"Stakhanov", "UA-09"},
    {"Kadiivka", "UA-09"},
    {"Rovenky", "UA-09"},
    {"Sverdlovsk Luhansk", "UA-09"},
    {"Dovzhansk", "UA-09"},
    {"Antratsyt", "UA-09"},
    {"Antratsit", "UA-09"},
    {"Starobilsk", "UA-09"},
    /* Zaporizhzhia Oblast */
    {"UA-23", "UA-23"},
    {"UA23", "UA-23"},
    {"Zaporizhzhia", "UA-23"},
    {"Zaporizhia", "UA-23"},
    {"Zaporizhzhya", "UA-23"},
    {"Zaporizhya", "UA-23"},
    {"Zaporozhye", "UA-23"},
    {"Zaporozhie", "UA-23"},
    {"Zaporozhe", "UA-23"},
    {"Zaporojie", "UA-23"},
    {"Zaporizka", "UA-23"},
    {"Zaporizhska", "UA-23"},
    {"Zaporozhskaya", "UA-23"},
    {"Запоріжжя", "UA-23"},
    {"Запорожье", "UA-23"},
    {"Запорізька", "UA-23"},
    {"Запорізької", "UA-23"},
    {"Запорожская", "UA-23"},
    {"Запорожской", "UA-23"},
    {"Запорожскую", "UA-23"},
    {"Melitopol", "UA-23"},
    {"Мелітополь", "UA-23"},
    {"Мелитополь", "UA-23"},
    {"Berdiansk", "UA-23"},
    {"Berdyansk", "UA-23"},
    {"Бердянск", "UA-23"},
    {"Бердянськ", "UA-23"},
    {"Enerhodar", "UA-23"},
    {"Energodar", "UA-23"},
    {"Энергодар", "UA-23"},
    {"Енергодар", "UA-23"},
    {"Tokmak", "UA-23"},
    {"Vasylivka", "UA-23"},
    /* Kherson Oblast */
    {"UA-65", "UA-65"},
    {"UA65", "UA-65"},
    {"Kherson", "UA-65"},
    {"Khersonska", "UA-65"},
    {"Khersonskaya", "UA-65"},
    {"Херсон", "UA-65"},
    {"Херсонська", "UA-65"},
    {"Херсонская", "UA-65"},
    {"Херсонской", "UA-65"},
    {"Херсонської", "UA-65"},
    {"Херсонскую", "UA-65"},
    {"Nova Kakhovka", "UA-65"},
    {"Novaya Kakhovka", "UA-65"},
    {"Нова Каховка", "UA-65"},
    {"Новая Каховка", "UA-65"},
    {"Kakhovka", "UA-65"},
    {"Henichesk", "UA-65"},
    {"Genichesk", "UA-65"},
    {"Геническ", "UA-65"},
    {"Генічеськ", "UA-65"},
    {"Skadovsk", "UA-65"},
    {"Скадовск", "UA-65"},
    {"Oleshky", "UA-65"},
    {"Hola Prystan", "UA-65"},
};

/* English names of the subdivision codes, for emb_country_name. */
static const char *const subdiv_names[][2] = {
    {"UA-09", "Luhansk Oblast"}, {"UA-14", "Donetsk Oblast"}, {"UA-23", "Zaporizhzhia Oblast"},
    {"UA-40", "Sevastopol"},     {"UA-43", "Crimea"},         {"UA-65", "Kherson Oblast"},
};

/* Texts that say the country is unknown; they resolve to nothing without complaint. */
static const char *const unknown_words[] = {
    "unknown", "undetermined", "not known", "various", "worldwide",     "stateless",   "none",
    "n a",     "00",           "xx",        "zz",      "not specified", "unspecified",
};

/* Words stripped from the front of a name, and from its end. */
static const char *const prefixes[] = {
    "region",
    "possibly",
    "probably",
    "reportedly",
    "allegedly",
    "believed to be",
    "former",
    "formerly",
    "ex",
    "previously",
    "born in",
    "citizen of",
    "national of",
    "nationality",
    "citizenship",
    "country",
    "republic of",
    "kingdom of",
    "state of",
    "also",
    "and",
    "or",
    "believed to hold",
    "hold",
    "northern",
    "southern",
    "eastern",
    "western",
    "north",
    "south",
    "east",
    "west",
};
static const char *const suffixes[] = {
    "autonomous soviet socialist republic",
    "soviet federative socialist republic",
    "soviet federated socialist republic",
    "soviet socialist republic",
    "autonomous ssr",
    "assr",
    "ssr",
    "sfsr",
    "passport",
    "passports",
    "citizen",
    "citizenship",
    "national",
    "nationality",
    "by birth",
    "origin",
    "republic",
    "territory",
};

static entry idx[INDEX_CAP]; /* sorted keys, built once */
static size_t n_idx;
static entry subdiv_idx[sizeof subdivs / sizeof subdivs[0]];
static size_t n_subdiv_idx;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* ------------------------------------------------------------ normalising */

/* Appends one byte unless out is full; returns false when it is. */
static bool put(char *out, size_t cap, size_t *o, char c) {
  if (*o + 1 >= cap)
    return false;
  out[(*o)++] = c;
  return true;
}

/* Appends a word separator (a single space, never at the start). */
static void sep(const char *out, size_t o, bool *pending) {
  if (o > 0 && out[o - 1] != ' ')
    *pending = true;
}

/* Letters that carry no decomposition but have an obvious ASCII base. */
static const char *fold_extra(int32_t cp) {
  switch (cp) {
  case 0x0142: return "l";  /* ł */
  case 0x00F8: return "o";  /* ø */
  case 0x0111: return "d";  /* đ */
  case 0x00F0: return "d";  /* ð */
  case 0x0127: return "h";  /* ħ */
  case 0x0131: return "i";  /* ı */
  case 0x00E6: return "ae"; /* æ */
  case 0x0153: return "oe"; /* œ */
  case 0x00FE: return "th"; /* þ */
  case 0x00DF: return "ss"; /* ß */
  case 0x0167: return "t";  /* ŧ */
  case 0x0138: return "k";  /* ĸ */
  default: return NULL;
  }
}

/*
 * Emits one code point that has already been decomposed and case-folded. Returns false
 * when out is full.
 */
static bool emit(char *out, size_t cap, size_t *o, bool *pending, int32_t cp) {
  char tmp[8];
  const char *s = NULL;
  size_t n = 0;
  if (cp < 0x80) {
    char c = (char)cp;
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      tmp[0] = c;
      s = tmp;
      n = 1;
    } else if (c == '.') {
      return true; /* "U.S.A." is "usa" */
    } else if (c == '&') {
      s = "and";
      n = 3;
      sep(out, *o, pending);
      if (*pending) {
        if (!put(out, cap, o, ' '))
          return false;
        *pending = false;
      }
      for (size_t i = 0; i < n; i++)
        if (!put(out, cap, o, s[i]))
          return false;
      sep(out, *o, pending);
      return true;
    } else {
      sep(out, *o, pending);
      return true;
    }
  } else {
    utf8proc_category_t cat = utf8proc_category(cp);
    if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
      return true;
    bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    if (!letter && cat != UTF8PROC_CATEGORY_ND) {
      sep(out, *o, pending);
      return true;
    }
    s = fold_extra(cp);
    if (s) {
      n = strlen(s);
    } else {
      utf8proc_ssize_t k = utf8proc_encode_char(cp, (utf8proc_uint8_t *)tmp);
      if (k <= 0)
        return true;
      s = tmp;
      n = (size_t)k;
    }
  }
  if (*pending) {
    if (!put(out, cap, o, ' '))
      return false;
    *pending = false;
  }
  for (size_t i = 0; i < n; i++)
    if (!put(out, cap, o, s[i]))
      return false;
  return true;
}

/*
 * Writes the key of s[0..len) into out (cap bytes, NUL-terminated) and returns its
 * length. Sets *full when the key did not fit; what fits is still written.
 */
static size_t normalise(const char *s, size_t len, char *out, size_t cap, bool *full) {
  size_t o = 0, i = 0;
  bool pending = false;
  *full = false;
  while (i < len) {
    int32_t cp;
    unsigned char b = (unsigned char)s[i];
    utf8proc_ssize_t k;
    if (b < 0x80) {
      cp = b;
      k = 1;
    } else {
      k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
      if (k <= 0) { /* invalid UTF-8: a separator */
        sep(out, o, &pending);
        i++;
        continue;
      }
    }
    i += (size_t)k;
    if (cp < 0x80) {
      if (!emit(out, cap, &o, &pending, cp)) {
        *full = true;
        break;
      }
      continue;
    }
    int32_t dec[8];
    int last = 0;
    utf8proc_ssize_t nd = utf8proc_decompose_char(
        cp, dec, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
        &last);
    if (nd < 0 || nd > 8) {
      sep(out, o, &pending);
      continue;
    }
    bool ok = true;
    for (utf8proc_ssize_t j = 0; j < nd && ok; j++)
      ok = emit(out, cap, &o, &pending, dec[j]);
    if (!ok) {
      *full = true;
      break;
    }
  }
  while (o > 0 && out[o - 1] == ' ')
    o--;
  out[o] = '\0';
  if (o >= 4 && memcmp(out, "the ", 4) == 0) {
    memmove(out, out + 4, o - 3);
    o -= 4;
  }
  if (o >= 4 && memcmp(out + o - 4, " the", 4) == 0) {
    o -= 4;
    out[o] = '\0';
  }
  return o;
}

/* ---------------------------------------------------------------- the index */

static int cmp_entry(const void *a, const void *b) {
  const entry *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (c)
    return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void add_entry(const char *name, const char *code, unsigned order, bool is_code) {
  if (n_idx >= INDEX_CAP)
    return;
  entry *e = &idx[n_idx];
  bool full;
  size_t n = normalise(name, strlen(name), e->key, sizeof e->key, &full);
  if (full || n == 0)
    return;
  e->code = code;
  e->order = order;
  e->is_code = is_code;
  n_idx++;
}

static void build(void) {
  unsigned order = 0;
  for (size_t i = 0; i < emb__country_iso_len; i++)
    add_entry(emb__country_iso[i][0], emb__country_iso[i][0], order++, true);
  for (size_t i = 0; i < emb__country_iso_len; i++)
    add_entry(emb__country_iso[i][1], emb__country_iso[i][0], order++, true);
  for (size_t i = 0; i < emb__country_iso_len; i++)
    add_entry(emb__country_iso[i][2], emb__country_iso[i][0], order++, false);
  for (size_t i = 0; i < emb__country_alias_len; i++)
    add_entry(emb__country_alias[i][0], emb__country_alias[i][1], order++, false);
  qsort(idx, n_idx, sizeof *idx, cmp_entry);
  size_t w = 0;
  for (size_t r = 0; r < n_idx; r++) {
    if (w == 0 || strcmp(idx[w - 1].key, idx[r].key) != 0) {
      idx[w++] = idx[r];
    } else if (!idx[r].is_code && strcmp(idx[w - 1].code, idx[r].code) == 0) {
      idx[w - 1].is_code = false; /* "U.S.A." is also a name, not only the code USA */
    }
  }
  n_idx = w;

  for (size_t i = 0; i < sizeof subdivs / sizeof subdivs[0]; i++) {
    entry *e = &subdiv_idx[n_subdiv_idx];
    bool full;
    size_t n = normalise(subdivs[i].name, strlen(subdivs[i].name), e->key, sizeof e->key, &full);
    if (full || n == 0)
      continue;
    if (n < SUB_PREFIX)
      continue; /* the search below needs SUB_PREFIX bytes; all names have them */
    e->code = subdivs[i].code;
    e->order = (unsigned)n;
    n_subdiv_idx++;
  }
  qsort(subdiv_idx, n_subdiv_idx, sizeof *subdiv_idx, cmp_entry);
}

static void init(void) {
  pthread_once(&once, build);
}

static int cmp_key(const void *k, const void *e) {
  return strcmp(k, ((const entry *)e)->key);
}

/*
 * Returns the code for a key, or NULL. Codes are refused when the text had dots, so
 * that a company's "S.A." is not Saudi Arabia ("U.S." is an alias and still works).
 */
static const char *lookup(const char *key, bool codes_ok) {
  if (!*key)
    return NULL;
  const entry *e = bsearch(key, idx, n_idx, sizeof *idx, cmp_key);
  if (!e || (e->is_code && !codes_ok))
    return NULL;
  return e->code;
}

/* True when key is a word that says the country is unknown. */
static bool is_unknown(const char *key) {
  for (size_t i = 0; i < sizeof unknown_words / sizeof unknown_words[0]; i++)
    if (strcmp(key, unknown_words[i]) == 0)
      return true;
  return false;
}

/* If key starts with the words w followed by a space, returns the rest; else NULL. */
static const char *after_words(const char *key, const char *w) {
  if (key[0] != w[0])
    return NULL;
  size_t n = strlen(w);
  if (strncmp(key, w, n) == 0 && key[n] == ' ')
    return key + n + 1;
  return NULL;
}

/*
 * Looks a key up, then retries with the words around a country name removed: the text
 * after a last "now" or "currently", leading prefixes and trailing suffixes. key is
 * modified (suffixes are cut off in place).
 */
static const char *lookup_clean(char *key, bool codes_ok) {
  const char *c = lookup(key, codes_ok);
  if (c)
    return c;
  /* "Russia now Belarus", "former ussr currently ukraine": the country after "now". */
  const char *tail = NULL;
  for (const char *p = key; *p; p++) {
    if (p != key && p[-1] != ' ')
      continue;
    const char *t = after_words(p, "now");
    if (!t)
      t = after_words(p, "currently");
    if (t)
      tail = t;
  }
  if (tail) {
    char buf[INPUT_MAX];
    size_t n = strlen(tail);
    if (n < sizeof buf) {
      memcpy(buf, tail, n + 1);
      c = lookup_clean(buf, codes_ok);
      if (c)
        return c;
    }
  }
  /* One word group at a time, looking up after each, so that "or South Sudan" stops
   * at "south sudan" and does not go on to "sudan". */
  char *k = key;
  for (int round = 0; round < 16; round++) {
    bool changed = false;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0] && !changed; i++) {
      const char *t = after_words(k, prefixes[i]);
      if (t) {
        k = (char *)t;
        changed = true;
      }
    }
    size_t n = strlen(k);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0] && !changed; i++) {
      size_t m = strlen(suffixes[i]);
      if (n > m + 1 && k[n - m - 1] == ' ' && memcmp(k + n - m, suffixes[i], m) == 0) {
        n -= m + 1;
        k[n] = '\0';
        changed = true;
      }
    }
    if (!changed)
      break;
    c = lookup(k, codes_ok);
    if (c)
      return c;
  }
  return NULL;
}

/*
 * Resolves one country: the whole text, then the text without its parenthetical
 * remarks, then the content of each parenthesis. Sets *unknown when the text says the
 * country is unknown.
 */
static const char *resolve_one(const char *text, size_t len, bool *unknown) {
  char key[INPUT_MAX];
  bool full;
  *unknown = false;
  size_t n = normalise(text, len, key, sizeof key, &full);
  if (full || n == 0)
    return NULL;
  if (is_unknown(key) || (len == 2 && memcmp(text, "na", 2) == 0)) {
    *unknown = true; /* the UN writes "na" for "not applicable"; "NA" is Namibia */
    return NULL;
  }
  bool codes_ok = !memchr(text, '.', len);
  const char *c = lookup_clean(key, codes_ok);
  if (c)
    return c;
  /* "Region: Gaza", "Branch Office 11: Iran": what follows the last colon. */
  const char *colon = NULL;
  for (size_t i = 0; i < len; i++)
    if (text[i] == ':')
      colon = text + i;
  if (colon && colon + 1 < text + len) {
    size_t rest = len - (size_t)(colon + 1 - text);
    if (normalise(colon + 1, rest, key, sizeof key, &full) > 0 && !full) {
      c = lookup_clean(key, !memchr(colon + 1, '.', rest));
      if (c)
        return c;
    }
  }
  /* Without "(...)" and "[...]". */
  if ((!memchr(text, '(', len) && !memchr(text, '[', len)) || len >= INPUT_MAX * 2)
    return NULL;
  char raw[INPUT_MAX * 2];
  size_t o = 0;
  int depth = 0;
  for (size_t i = 0; i < len && o + 1 < sizeof raw; i++) {
    char ch = text[i];
    if (ch == '(' || ch == '[') {
      depth++;
      raw[o++] = ' ';
    } else if ((ch == ')' || ch == ']') && depth > 0) {
      depth--;
    } else if (depth == 0) {
      raw[o++] = ch;
    }
  }
  n = normalise(raw, o, key, sizeof key, &full);
  if (!full && n > 0) {
    if (is_unknown(key)) {
      *unknown = true;
      return NULL;
    }
    c = lookup_clean(key, codes_ok);
    if (c)
      return c;
  }
  /* The content of each top-level parenthesis. */
  for (size_t i = 0; i < len; i++) {
    if (text[i] != '(')
      continue;
    size_t j = i + 1;
    int d = 1;
    while (j < len && d > 0) {
      if (text[j] == '(')
        d++;
      else if (text[j] == ')')
        d--;
      if (d > 0)
        j++;
    }
    n = normalise(text + i + 1, j - i - 1, key, sizeof key, &full);
    if (!full && n > 0) {
      c = lookup_clean(key, codes_ok);
      if (c)
        return c;
    }
    i = j;
  }
  return NULL;
}

/* ---------------------------------------------------------------- splitting */

typedef struct codes_acc {
  const char **codes;
  int max;
  int n;
  int unresolved;
} codes_acc;

static void acc_add(codes_acc *a, const char *code) {
  for (int i = 0; i < a->n; i++)
    if (strcmp(a->codes[i], code) == 0)
      return;
  if (a->n < a->max)
    a->codes[a->n++] = code;
}

typedef enum {
  SEP_SEMI,
  SEP_ENUM,
  SEP_SLASH,
  SEP_DOT,
  SEP_COMMA,
  SEP_ANDOR,
  SEP_AND,
  SEP_OR,
  SEP_AMP,
  SEP_COUNT
} sep_kind;

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool word_at(const char *s, size_t len, size_t i, const char *w) {
  size_t n = strlen(w);
  if (i + n > len)
    return false;
  for (size_t k = 0; k < n; k++) {
    char c = s[i + k];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != w[k])
      return false;
  }
  return (i == 0 || is_space(s[i - 1])) && (i + n == len || is_space(s[i + n]));
}

/*
 * If a separator of kind k starts at s[i] (outside parentheses, which the caller
 * tracks), returns its length; else 0.
 */
static size_t sep_at(const char *s, size_t len, size_t i, sep_kind k) {
  char c = s[i];
  switch (k) {
  case SEP_SEMI: return c == ';' || c == '\n' ? 1 : 0;
  case SEP_SLASH: return c == '/' || c == '|' ? 1 : 0;
  case SEP_DOT: return c == '.' && i + 1 < len && is_space(s[i + 1]) ? 1 : 0;
  case SEP_COMMA: return c == ',' ? 1 : 0;
  case SEP_AMP: return c == '&' ? 1 : 0;
  case SEP_ANDOR: return word_at(s, len, i, "and/or") ? 6 : 0;
  case SEP_AND: return word_at(s, len, i, "and") ? 3 : 0;
  case SEP_OR: return word_at(s, len, i, "or") ? 2 : 0;
  case SEP_ENUM: {
    /* "1)", "(2)", "a)" at the start of a word. */
    if (i > 0 && !is_space(s[i - 1]) && s[i - 1] != ';' && s[i - 1] != ',' &&
        !(i > 1 && (unsigned char)s[i - 2] == 0xC2 && (unsigned char)s[i - 1] == 0xA0))
      return 0; /* after a space, a no-break space (UK ConList) or a separator */
    size_t j = i;
    if (s[j] == '(')
      j++;
    size_t d = j;
    while (j < len && s[j] >= '0' && s[j] <= '9' && j - d < 3)
      j++;
    if (j == d && j < len && s[j] >= 'a' && s[j] <= 'z' && (j + 1 < len && s[j + 1] == ')'))
      j++;
    if (j == d || j >= len || s[j] != ')')
      return 0;
    return j + 1 - i;
  }
  default: return 0;
  }
}

static void split(const char *s, size_t len, sep_kind from, int depth, codes_acc *a);

/* Splits s[0..len) on separators of kind k and resolves the parts, joining neighbours
 * that form one name ("Korea, North"). Returns false when k does not occur. */
static bool split_on(const char *s, size_t len, sep_kind k, int depth, codes_acc *a) {
  size_t starts[64], ends[64], np = 0, start = 0;
  int paren = 0;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    size_t m = 0;
    if (k != SEP_ENUM && c == '(')
      paren++;
    else if (k != SEP_ENUM && c == ')' && paren > 0)
      paren--;
    else if (paren == 0)
      m = sep_at(s, len, i, k);
    if (!m)
      continue;
    if (np == 63)
      break;
    starts[np] = start;
    ends[np++] = i;
    start = i + m;
    i += m - 1;
  }
  if (np == 0)
    return false;
  starts[np] = start;
  ends[np++] = len;
  for (size_t p = 0; p < np; p++) {
    /* Two neighbours that form one name win over their halves. */
    if (p + 1 < np && k != SEP_SEMI && k != SEP_ENUM) {
      bool unk;
      const char *c2 = resolve_one(s + starts[p], ends[p + 1] - starts[p], &unk);
      if (c2) {
        acc_add(a, c2);
        p++;
        continue;
      }
    }
    split(s + starts[p], ends[p] - starts[p], (sep_kind)(k + 1), depth + 1, a);
  }
  return true;
}

static void split(const char *s, size_t len, sep_kind from, int depth, codes_acc *a) {
  while (len > 0 && (is_space(*s) || *s == ',' || *s == ';' || *s == '.')) {
    s++;
    len--;
  }
  while (len > 0 && (is_space(s[len - 1]) || s[len - 1] == ',' || s[len - 1] == ';'))
    len--;
  if (len == 0)
    return;
  bool unknown;
  const char *c = resolve_one(s, len, &unknown);
  if (c) {
    acc_add(a, c);
    return;
  }
  if (unknown)
    return;
  if (depth < SPLIT_DEPTH)
    for (sep_kind k = from; k < SEP_COUNT; k++)
      if (split_on(s, len, k, depth, a))
        return;
  /* Only parts with letters or digits count ("-" does not). */
  char key[INPUT_MAX];
  bool full;
  if (normalise(s, len, key, sizeof key, &full) > 0)
    a->unresolved++;
}

int emb__country_codes(const char *text, size_t len, const char **codes, int max,
                       int *n_unresolved) {
  if (n_unresolved)
    *n_unresolved = 0;
  if (!text || !codes || max <= 0 || len > SPLIT_MAX)
    return 0;
  init();
  codes_acc a = {codes, max, 0, 0};
  split(text, len, SEP_SEMI, 0, &a);
  if (n_unresolved)
    *n_unresolved = a.unresolved;
  return a.n;
}

/* ---------------------------------------------------------------- memo */

#define MEMO_SLOTS 256 /* a power of two */
#define MEMO_KEY 48    /* longer texts are not memoised */

typedef struct memo_slot {
  unsigned char len; /* 0: empty (an empty text is never looked up) */
  char key[MEMO_KEY];
  const char *code; /* the answer, NULL included */
} memo_slot;

typedef struct memo {
  memo_slot slot[MEMO_SLOTS];
} memo;

/* Per thread, so lookups need no lock; the answers are static strings. */
static _Thread_local memo country_memo, subdiv_memo;

/*
 * The slot for text[0..len) (FNV-1a hash), or NULL when the text is too long to keep.
 * *hit tells whether the slot holds the answer for this very text.
 */
static memo_slot *memo_find(memo *m, const char *text, size_t len, bool *hit) {
  *hit = false;
  if (len > MEMO_KEY)
    return NULL;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)text[i]) * 16777619u;
  memo_slot *s = &m->slot[h & (MEMO_SLOTS - 1)];
  *hit = s->len == len && memcmp(s->key, text, len) == 0;
  return s;
}

static void memo_store(memo_slot *s, const char *text, size_t len, const char *code) {
  if (!s)
    return;
  s->len = (unsigned char)len;
  memcpy(s->key, text, len);
  s->code = code;
}

/* ---------------------------------------------------------------- public */

static const char *country_code(const char *text, size_t len);
static const char *subdivision_code(const char *text, size_t len);

const char *emb_country_code(const char *text, size_t len) {
  if (!text || len == 0)
    return NULL;
  bool hit;
  memo_slot *s = memo_find(&country_memo, text, len, &hit);
  if (hit)
    return s->code;
  const char *c = country_code(text, len);
  memo_store(s, text, len, c);
  return c;
}

const char *emb_subdivision_code(const char *text, size_t len) {
  if (!text || len == 0)
    return NULL;
  bool hit;
  memo_slot *s = memo_find(&subdiv_memo, text, len, &hit);
  if (hit)
    return s->code;
  const char *c = subdivision_code(text, len);
  memo_store(s, text, len, c);
  return c;
}

/* emb_country_code() without the memo. */
static const char *country_code(const char *text, size_t len) {
  init();
  bool unknown;
  const char *c = resolve_one(text, len, &unknown);
  if (c || unknown)
    return c;
  /* Several parts that all name the same country ("Iran / unknown"). */
  bool has_sep = false;
  for (size_t i = 0; i < len && !has_sep; i++) {
    char ch = text[i];
    has_sep = strchr(";/|,&.\n)", ch) != NULL ||
              ((ch == 'a' || ch == 'A' || ch == 'o' || ch == 'O') &&
               (sep_at(text, len, i, SEP_AND) || sep_at(text, len, i, SEP_OR)));
  }
  if (!has_sep)
    return NULL;
  const char *codes[2];
  int bad = 0;
  int n = emb__country_codes(text, len, codes, 2, &bad);
  return n == 1 && bad == 0 ? codes[0] : NULL;
}

const char *emb_country_name(const char *code) {
  if (!code)
    return NULL;
  size_t n = strlen(code);
  if (n == 2) {
    char up[3] = {code[0], code[1], '\0'};
    for (int i = 0; i < 2; i++)
      if (up[i] >= 'a' && up[i] <= 'z')
        up[i] = (char)(up[i] - 'a' + 'A');
    size_t lo = 0, hi = emb__country_iso_len;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      int c = strcmp(up, emb__country_iso[mid][0]);
      if (c == 0)
        return emb__country_iso[mid][2];
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
    return NULL;
  }
  for (size_t i = 0; i < sizeof subdiv_names / sizeof subdiv_names[0]; i++)
    if (strcasecmp(code, subdiv_names[i][0]) == 0)
      return subdiv_names[i][1];
  return NULL;
}

/* emb_subdivision_code() without the memo. */
static const char *subdivision_code(const char *text, size_t len) {
  init();
  /* Long parenthetical remarks are not places: "Ukrainian, Russian (the Union does
   * not recognise passports issued by the Russian Federation in Crimea)". */
  char raw[SEARCH_MAX];
  size_t r = 0;
  for (size_t i = 0; i < len && r + 1 < sizeof raw; i++) {
    if (text[i] == '(') {
      size_t j = i + 1, words = 0;
      bool in_word = false;
      while (j < len && text[j] != ')') {
        bool sp = is_space(text[j]);
        if (!sp && !in_word)
          words++;
        in_word = !sp;
        j++;
      }
      if (words > 5) {
        raw[r++] = ' ';
        i = j;
        continue;
      }
    }
    raw[r++] = text[i];
  }
  char buf[SEARCH_MAX];
  bool full;
  size_t n = normalise(raw, r, buf, sizeof buf, &full);
  if (n == 0)
    return NULL;
  /* At each word start, binary-search the sorted names that share its first bytes and
   * take the longest one that ends at a word end. The first place named wins. */
  for (size_t pos = 0; pos + SUB_PREFIX <= n; pos++) {
    if (pos > 0 && buf[pos - 1] != ' ')
      continue;
    size_t lo = 0, hi = n_subdiv_idx;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (memcmp(subdiv_idx[mid].key, buf + pos, SUB_PREFIX) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = lo; i < n_subdiv_idx; i++) {
      const entry *e = &subdiv_idx[i];
      if (memcmp(e->key, buf + pos, SUB_PREFIX) != 0)
        break;
      size_t m = e->order; /* key length */
      if (pos + m <= n && memcmp(e->key, buf + pos, m) == 0 &&
          (pos + m == n || buf[pos + m] == ' ') && m > best_len) {
        best = e->code;
        best_len = m;
      }
    }
    if (best)
      return best;
  }
  return NULL;
}
