/*
 * test_country.c - unit tests for country and subdivision lookup (lists/country.c).
 *
 * The whole ISO table and every variant in country_table.c must resolve to its own
 * code; the spellings the brief names and the ones the real files carry (OFAC add.csv,
 * the UK ConList, the CSL and EU journal birth places) are checked by value; the real
 * files are read in full and the countries that do not resolve must be exactly the
 * known residue, so a regression or a new spelling shows up as a named string.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/input.h"
#include "embargo.h"
#include "lists/country.h"

#define DATA "/work/shared/data/lists"

/* The tables and the multi-valued lookup (declared in country.c; see its comment). */
extern const char *const emb__country_iso[][3];
extern const size_t emb__country_iso_len;
extern const char *const emb__country_alias[][2];
extern const size_t emb__country_alias_len;
int emb__country_codes(const char *text, size_t len, const char **codes, int max,
                       int *n_unresolved);

static const char *cc(const char *s) {
  return emb_country_code(s, strlen(s));
}
static const char *sc(const char *s) {
  return emb_subdivision_code(s, strlen(s));
}

/* Fails naming the text when lookup gave something other than want (NULL: nothing). */
static void check(const char *what, const char *text, const char *got, const char *want, int line) {
  if (want == NULL && got == NULL)
    return;
  if (want != NULL && got != NULL && strcmp(got, want) == 0)
    return;
  fail_msg("line %d: %s(\"%s\") gave %s, expected %s", line, what, text, got ? got : "NULL",
           want ? want : "NULL");
}

#define assert_code(text, want) check("country", (text), cc(text), (want), __LINE__)
#define assert_sub(text, want) check("subdivision", (text), sc(text), (want), __LINE__)

/* Joins the codes emb__country_codes finds with ',' (and "+N" for unresolved parts). */
static const char *codes_str(const char *text, int max) {
  static char out[128];
  const char *codes[16];
  int bad = -1;
  int n = emb__country_codes(text, strlen(text), codes, max, &bad);
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    if (i)
      strcat(out, ",");
    strcat(out, codes[i]);
  }
  if (bad > 0)
    snprintf(out + strlen(out), sizeof out - strlen(out), "+%d", bad);
  return out;
}

/* ---------------------------------------------------------------- tables */

static void test_iso_table(void **state) {
  (void)state;
  /* 249 ISO 3166-1 entries plus XK, SU, YU, CS, AN, DD. */
  assert_int_equal(emb__country_iso_len, 255);
  for (size_t i = 0; i < emb__country_iso_len; i++) {
    const char *a2 = emb__country_iso[i][0], *a3 = emb__country_iso[i][1];
    const char *name = emb__country_iso[i][2];
    if (i > 0)
      assert_true(strcmp(emb__country_iso[i - 1][0], a2) < 0); /* sorted, unique */
    assert_code(a2, a2);
    assert_code(a3, a2);
    assert_code(name, a2);
    assert_string_equal(emb_country_name(a2), name);
    char lower[3] = {(char)(a2[0] + 32), (char)(a2[1] + 32), '\0'};
    if (strcmp(a2, "NA") != 0) /* lower-case "na" is the UN's "not applicable" */
      assert_code(lower, a2);
  }
  assert_string_equal(emb_country_name("RU"), "Russian Federation");
  assert_string_equal(emb_country_name("ru"), "Russian Federation");
  assert_string_equal(emb_country_name("KP"), "Korea, Democratic People's Republic of");
  assert_string_equal(emb_country_name("XK"), "Kosovo");
  assert_string_equal(emb_country_name("SU"), "USSR");
  assert_string_equal(emb_country_name("UA-43"), "Crimea");
  assert_string_equal(emb_country_name("ua-14"), "Donetsk Oblast");
  assert_null(emb_country_name("QQ"));
  assert_null(emb_country_name("RUS"));
  assert_null(emb_country_name(""));
  assert_null(emb_country_name(NULL));
}

static void test_every_alias_resolves(void **state) {
  (void)state;
  assert_true(emb__country_alias_len > 800);
  for (size_t i = 0; i < emb__country_alias_len; i++)
    assert_code(emb__country_alias[i][0], emb__country_alias[i][1]);
}

/* ---------------------------------------------------------------- variants */

static void test_brief_variants(void **state) {
  (void)state;
  assert_code("Korea, North", "KP");
  assert_code("North Korea", "KP");
  assert_code("Democratic People's Republic of Korea", "KP");
  assert_code("Democratic People\xE2\x80\x99s Republic of Korea", "KP"); /* EU journal */
  assert_code("DPRK", "KP");
  assert_code("RPDC", "KP"); /* UN, in French */
  assert_code("Korea, South", "KR");
  assert_code("Iran (Islamic Republic of)", "IR");
  assert_code("IRAN (ISLAMIC REPUBLIC OF)", "IR"); /* EU FSF countryDescription */
  assert_code("Syrian Arab Republic", "SY");
  assert_code("Russian Federation", "RU");
  assert_code("Burma", "MM");
  assert_code("T\xC3\xBCrkiye", "TR");
  assert_code("TURKIYE", "TR");
  assert_code("T\xC3\x9CRK\xC4\xB0YE", "TR"); /* capital dotted I */
  assert_code("Turkey", "TR");
  assert_code("Congo, Democratic Republic of the", "CD");
  assert_code("Congo (Democratic Republic)", "CD"); /* UK */
  assert_code("Congo", "CG");
  assert_code("Congo, Republic of the", "CG");
  assert_code("Palestinian", "PS");
  assert_code("West Bank", "PS");
  assert_code("Gaza", "PS");
  assert_code("Region: Gaza", "PS");
  assert_code("Region: Northern Gaza", "PS");
  assert_code("Kosovo", "XK");
  assert_code("C\xC3\xB4te d'Ivoire", "CI");
  assert_code("Cote d Ivoire", "CI"); /* OFAC */
  assert_code("Ivory Coast", "CI");
  assert_code("USSR", "SU");
  assert_code("U.S.S.R.", "SU");
  assert_code("Soviet Union", "SU");
  assert_code("SU", "SU");
  assert_code("Yugoslavia", "YU");
  assert_code("YU", "YU");
  assert_code("Czechoslovakia", "CS");
  assert_code("Serbia and Montenegro", "CS");
  assert_code("Netherlands Antilles", "AN");
  assert_code("AN", "AN");
  static const char *const adj[][2] = {
      {"Russian", "RU"},   {"Iranian", "IR"},  {"Syrian", "SY"},      {"Chinese", "CN"},
      {"Afghan", "AF"},    {"Iraqi", "IQ"},    {"British", "GB"},     {"Yemeni", "YE"},
      {"Somali", "SO"},    {"Tunisian", "TN"}, {"Moroccan", "MA"},    {"Saudi Arabian", "SA"},
      {"Pakistani", "PK"}, {"Kuwaiti", "KW"},  {"Belarussian", "BY"}, {"North Korean", "KP"},
      {"Ukrainian", "UA"}, {"Algerian", "DZ"}, {"German", "DE"},      {"Swiss", "CH"},
  };
  for (size_t i = 0; i < sizeof adj / sizeof adj[0]; i++)
    assert_code(adj[i][0], adj[i][1]);
}

static void test_normalisation(void **state) {
  (void)state;
  assert_code("  korea,   NORTH  ", "KP");
  assert_code("korea north", "KP");
  assert_code("Bahamas, The", "BS");
  assert_code("The Bahamas", "BS");
  assert_code("the Philippines", "PH");
  assert_code("Guinea Bissau", "GW");
  assert_code("Guinea-Bissau", "GW");
  assert_code("Bosnia & Herzegovina", "BA");
  assert_code("St Kitts and Nevis", "KN");
  assert_code("U.S.A.", "US");
  assert_code("U.S.", "US");
  assert_code("Cura\xC3\xA7"
              "ao",
              "CW");
  assert_code("R\xC3\xA9union", "RE");
  assert_code("\xC3\x85land Islands", "AX");
  assert_code("United Kingdom of Great Britain and Northern\n                    Ireland", "GB");
  assert_code("Russia.", "RU");
  assert_code("Trinidad and Tobago.", "TT");
  assert_code("Россия", "RU");
  assert_code("Украина", "UA");
  /* A company's "S.A." is not Saudi Arabia, but "SA" and "sa" are. */
  assert_code("S.A.", NULL);
  assert_code("SA", "SA");
  assert_code("sa", "SA");
  /* Invalid UTF-8 is a separator, never a crash. */
  assert_code("Ir\xFF"
              "an",
              NULL);
  assert_code("\xFF"
              "Iran\xC3",
              "IR");
  assert_null(emb_country_code(NULL, 4));
  assert_null(emb_country_code("", 0));
  assert_null(emb_country_code("RUSSIA", 0));
  assert_string_equal(emb_country_code("RUSSIAN FEDERATION", 6), "RU"); /* len, not NUL */
  /* Very long text: no match, no crash. */
  size_t n = 20000;
  char *big = malloc(n + 1);
  assert_non_null(big);
  for (size_t i = 0; i < n; i++)
    big[i] = "Russia, "[i % 8];
  big[n] = '\0';
  assert_null(emb_country_code(big, n));
  assert_null(emb_subdivision_code(big, n));
  const char *codes[4];
  assert_int_equal(emb__country_codes(big, n, codes, 4, NULL), 0);
  free(big);
}

static void test_loose_forms(void **state) {
  (void)state;
  /* UK ConList Country of Birth. */
  assert_code("Former USSR, now Ukraine", "UA");
  assert_code("Former USSR Currently Belarus", "BY");
  assert_code("Russia (now Belarus)", "BY");
  assert_code("USSR (now Russian Federation)", "RU");
  assert_code("USSR (until 1991)", "SU");
  assert_code("former Soviet Union", "SU");
  assert_code("Kazakh Soviet Socialist Republic (now Kazakhstan)", "KZ");
  assert_code("Moldovian SSR (now Republic of Moldovia)", "MD");
  assert_code("Ukrainian SSR", "UA");
  assert_code("Yakut Autonomous SSR", "RU");
  assert_code("Komi ASSR (now Russian Federation)", "RU");
  assert_code("Russian Soviet Federative Socialist Republic (RSFSR)", "RU");
  assert_code("Azerbaijan (former USSR)", "AZ");
  assert_code("Former German Democratic Republic", "DD");
  assert_code("Occupied Palestinian Territories", "PS");
  assert_code("Belrus", "BY");
  assert_code("Uzbekhistan", "UZ");
  assert_code("Repubic of Moldova", "MD");
  /* UN. */
  assert_code("Russian Federation (as at November 2010)", "RU");
  assert_code("Libya (in custody)", "LY");
  assert_code("Indonesia (as at Dec. 2003)", "ID");
  assert_code("Iraq (previous address)", "IQ");
  assert_code("Possibly Ethiopian", "ET");
  assert_code("Sudanese by birth", "SD");
  assert_code("Indonesian passport", "ID");
  assert_code("Branch Office 11: Iran", "IR");
  assert_code("Iran / unknown", "IR");
  assert_code("China, Hong Kong Special Administrative Region", "HK");
  assert_code("Libyan Arab Jamahiriya", "LY");
  assert_code("State of Palestine", "PS");
  assert_code("Union of the Comoros", "KM");
  /* OFAC. */
  assert_code("Man, Isle of", "IM");
  assert_code("Virgin Islands, British", "VG");
  assert_code("Macedonia, The Former Yugoslav Republic of", "MK");
  assert_code("North Macedonia, The Republic of", "MK");
  assert_code("Region: Northern Mali", "ML");
  assert_code("Region: Russia", "RU");
  assert_code("possibly Palestinian", "PS");
  /* Places and fragments. */
  assert_code("Tunisi (Tunisia)", "TN");
  assert_code("(Medina) Saudi Arabia", "SA");
  assert_code("West Bank (Palestinian Authority)", "PS");
  /* Not one known country. */
  assert_code("Estonia, Russia", NULL);
  assert_code("Sudan/South Sudan", NULL);
  assert_code("Moscow", NULL);
  assert_code("Kuwaiti citizenship withdrawn in 2002", NULL);
  assert_code("UNKNOWN", NULL);
  assert_code("undetermined", NULL);
  assert_code("Region: Jammu and Kashmir", NULL);
  assert_code("Atlantis", NULL);
  assert_code("na", NULL); /* the UN's "not applicable" */
  assert_code("NA", "NA");
}

static void test_multi(void **state) {
  (void)state;
  /* EU journal nationality fields. */
  assert_string_equal(codes_str("Russian, Uzbekistani, British", 8), "RU,UZ,GB");
  assert_string_equal(codes_str("Ukrainian and/or Russian", 8), "UA,RU");
  assert_string_equal(codes_str("Russian and Ukrainian", 8), "RU,UA");
  assert_string_equal(codes_str("Latvia and Israel", 8), "LV,IL");
  assert_string_equal(codes_str("Russian, United Arab Emirates", 8), "RU,AE");
  assert_string_equal(
      codes_str("Ukrainian, Russian (the Union does not recognise passports issued by the "
                "Russian Federation in Crimea)",
                8),
      "UA,RU");
  /* UK and UN. */
  assert_string_equal(codes_str("Estonia, Russia", 8), "EE,RU");
  assert_string_equal(codes_str("Germany. Russia", 8), "DE,RU");
  assert_string_equal(codes_str("1) Saudi Arabia 2) Qatar", 8), "SA,QA");
  assert_string_equal(codes_str("(1) Russia (2) Ukraine", 8), "RU,UA");
  assert_string_equal(codes_str("Sudan/South Sudan", 8), "SD,SS");
  assert_string_equal(codes_str("Sudan/or South Sudan", 8), "SD,SS");
  assert_string_equal(codes_str("United States. Also believed to hold Syrian nationality", 8),
                      "US,SY");
  /* Names that contain a separator stay whole. */
  assert_string_equal(codes_str("Korea, North", 8), "KP");
  assert_string_equal(codes_str("Trinidad and Tobago, Korea, North; Bosnia and Herzegovina", 8),
                      "TT,KP,BA");
  assert_string_equal(codes_str("Saint Vincent and the Grenadines", 8), "VC");
  /* Duplicates once; unknown parts counted; the cap honoured. */
  assert_string_equal(codes_str("Russia; Russian Federation; RU", 8), "RU");
  assert_string_equal(codes_str("Russia, Atlantis", 8), "RU+1");
  assert_string_equal(codes_str("Iran / unknown", 8), "IR");
  assert_string_equal(codes_str("Russia, Iran, Syria", 2), "RU,IR");
  assert_string_equal(codes_str("", 8), "");
  assert_int_equal(emb__country_codes("Russia", 6, NULL, 4, NULL), 0);
}

/* ---------------------------------------------------------------- subdivisions */

static void test_subdivisions(void **state) {
  (void)state;
  assert_sub("UA-43", "UA-43");
  assert_sub("ua-65", "UA-65");
  assert_sub("Crimea", "UA-43");
  assert_sub("Region: Crimea", "UA-43"); /* OFAC add.csv */
  assert_sub("Krym", "UA-43");
  assert_sub("\xD0\x9A\xD1\x80\xD1\x8B\xD0\xBC", "UA-43"); /* Крым */
  assert_sub("Автономна Республіка Крим", "UA-43");
  assert_sub("Республика Крым", "UA-43");
  assert_sub("Republic of Crimea", "UA-43");
  assert_sub("Sevastopol", "UA-40");
  assert_sub("г. Севастополь", "UA-40");
  assert_sub("Donetsk", "UA-14");
  assert_sub("Donetska oblast", "UA-14");
  assert_sub("Донецька область", "UA-14");
  assert_sub("Донецкая Народная Республика", "UA-14");
  assert_sub("DNR", "UA-14");
  assert_sub("Donetsk People's Republic", "UA-14");
  assert_sub("Luhansk", "UA-09");
  assert_sub("Lugansk People\xC2\xB4s Republic", "UA-09"); /* UK, with an acute accent */
  assert_sub("Луганська область", "UA-09");
  assert_sub("Луганская", "UA-09");
  assert_sub("LNR", "UA-09");
  assert_sub("Zaporizhzhia", "UA-23");
  assert_sub("Zaporozhye", "UA-23");
  assert_sub("Запорізька область", "UA-23");
  assert_sub("Запорожская область", "UA-23");
  assert_sub("Kherson", "UA-65");
  assert_sub("Херсонська область", "UA-65");
  assert_sub("Херсонская область", "UA-65");
  /* Inside longer strings: EU journal birth places. */
  assert_sub("Simferopol, Crimea, Ukraine", "UA-43");
  assert_sub("Simferopol, USSR (now Ukraine)", "UA-43");
  assert_sub("Sevastopol, Ukrainian SSR (now Ukraine)", "UA-40");
  assert_sub("Zaporozhye, Ukrainian SSR, now Ukraine", "UA-23");
  assert_sub("Makiivka (Donetsk oblast), Ukraine", "UA-14");
  assert_sub("Stakhanov, Luhansk region, Ukraine", "UA-09");
  assert_sub("Kakhovka (Kherson oblast), USSR (now Ukraine)", "UA-65");
  assert_sub("Simferopol, Crimea or Zaporizhia, Ukraine", "UA-43"); /* the first one named */
  assert_sub("Mariupol", "UA-14");
  assert_sub("Melitopol", "UA-23");
  assert_sub("Yalta", "UA-43");
  assert_sub("Kerch", "UA-43");
  /* Whole words only. */
  assert_sub("Sievierodonetsk", "UA-09");
  assert_sub("Severodonetsk, Luhansk", "UA-09");
  assert_sub("Crimean Verkhovna Rada", NULL);
  assert_sub("Khersonesos", NULL);
  assert_sub("Ukraine", NULL);
  assert_sub("Kyiv, Ukraine", NULL);
  assert_sub("Russian Federation", NULL);
  /* A long remark in parentheses is not a place. */
  assert_sub("Ukrainian, Russian (the Union does not recognise passports issued by the Russian "
             "Federation in Crimea)",
             NULL);
  assert_null(emb_subdivision_code(NULL, 3));
  assert_null(emb_subdivision_code("Crimea", 0));
  /* emb_country_code stays whole-string. */
  assert_code("Simferopol, Crimea", NULL);
  assert_code("Crimea", NULL);
}

/* ---------------------------------------------------------------- real files */

typedef struct residue {
  char items[64][128];
  int n;
} residue;

/* Resolves one field the way a loader would; records what does not resolve. */
static void check_value(residue *r, const char *v, size_t n, size_t *n_ok) {
  while (n > 0 && (*v == ' '))
    v++, n--;
  if (n == 0)
    return;
  const char *codes[8];
  int bad = 0;
  if (emb_subdivision_code(v, n) || emb_country_code(v, n) ||
      (emb__country_codes(v, n, codes, 8, &bad) > 0 && bad == 0)) {
    (*n_ok)++;
    return;
  }
  for (int i = 0; i < r->n; i++)
    if (strlen(r->items[i]) == n && memcmp(r->items[i], v, n) == 0)
      return;
  if (r->n < 64 && n < 128) {
    memcpy(r->items[r->n], v, n);
    r->items[r->n][n] = '\0';
    r->n++;
  }
}

/* Reads the named columns of a CSV (header on line `header_line`), optionally splitting
 * each value on ';'. */
static void scan_csv(const char *path, int header_line, const char *const *cols, bool split,
                     residue *r, size_t *n_ok) {
  emb_diags diags;
  emb_diags_init(&diags);
  emb_input *in = NULL;
  assert_int_equal(emb__input_open(path, &in, &diags), 0);
  emb_csv_opts o = emb__csv_opts_default();
  emb_csv *csv = NULL;
  assert_int_equal(emb__csv_new(in, &o, &diags, &csv), 0);
  emb_csv_row row;
  for (int i = 0; i < header_line; i++)
    assert_int_equal(emb__csv_next(csv, &row), 1);
  int idx[8], ncols = 0;
  for (; cols[ncols]; ncols++) {
    idx[ncols] = emb__csv_col(&row, cols[ncols]);
    assert_true(idx[ncols] >= 0);
  }
  size_t rows = 0;
  while (emb__csv_next(csv, &row) == 1) {
    rows++;
    for (int c = 0; c < ncols; c++) {
      if ((size_t)idx[c] >= row.count)
        continue;
      const char *v = row.fields[idx[c]];
      size_t n = row.lens[idx[c]];
      if (!split) {
        check_value(r, v, n, n_ok);
        continue;
      }
      size_t b = 0;
      for (size_t i = 0; i <= n; i++)
        if (i == n || v[i] == ';') {
          check_value(r, v + b, i - b, n_ok);
          b = i + 1;
        }
    }
  }
  assert_true(rows > 0);
  emb__csv_free(csv);
  emb__input_close(in);
  emb_diags_fini(&diags);
}

/* Every expected residue string is in r and r holds nothing else. */
static void assert_residue(const residue *r, const char *const *want, size_t n_want) {
  for (int i = 0; i < r->n; i++) {
    bool found = false;
    for (size_t k = 0; k < n_want && !found; k++)
      found = strcmp(r->items[i], want[k]) == 0;
    if (!found)
      fail_msg("unexpected unresolved country \"%s\"", r->items[i]);
  }
  assert_int_equal((size_t)r->n, n_want);
}

static void test_uk_conlist(void **state) {
  (void)state;
  static const char *const cols[] = {"Country of Birth", "Nationality", "Country", NULL};
  residue r = {.n = 0};
  size_t ok = 0;
  scan_csv(DATA "/uk/ConList-2023-06-05.csv.gz", 2, cols, false, &r, &ok);
  static const char *const want[] = {"Moscow"}; /* a city in the Country column */
  assert_residue(&r, want, sizeof want / sizeof want[0]);
  assert_true(ok > 20000);
}

static void test_ofac_add(void **state) {
  (void)state;
  /* No header: read the fifth column of every address row. */
  emb_diags diags;
  emb_diags_init(&diags);
  emb_input *in = NULL;
  assert_int_equal(emb__input_open(DATA "/ofac/sdn-2021-07/add.csv", &in, &diags), 0);
  emb_csv_opts o = emb__csv_opts_default();
  o.trim = true;
  emb_csv *csv = NULL;
  assert_int_equal(emb__csv_new(in, &o, &diags, &csv), 0);
  emb_csv_row row;
  residue r = {.n = 0};
  size_t ok = 0, rows = 0;
  while (emb__csv_next(csv, &row) == 1) {
    if (row.count < 5 || strcmp(row.fields[4], "-0-") == 0)
      continue;
    rows++;
    check_value(&r, row.fields[4], row.lens[4], &ok);
  }
  emb__csv_free(csv);
  emb__input_close(in);
  emb_diags_fini(&diags);
  /* A disputed area between Sudan and South Sudan, and an unknown country. */
  static const char *const want[] = {"undetermined", "Region: Kafia Kingi"};
  assert_residue(&r, want, sizeof want / sizeof want[0]);
  assert_true(rows > 10000);
  assert_int_equal(ok, rows - 14); /* 8 undetermined, 6 Kafia Kingi */
}

static void test_csl(void **state) {
  (void)state;
  static const char *const cols[] = {"nationalities", "citizenships", NULL};
  residue r = {.n = 0};
  size_t ok = 0;
  scan_csv(DATA "/us/csl-2022-05.csv.gz", 1, cols, true, &r, &ok);
  assert_int_equal(r.n, 0);
  assert_true(ok > 1000);
}

static void test_eu_journal_places(void **state) {
  (void)state;
  /* Birth places that name an occupied region, from the Russia asset-freeze annex. */
  static const char *const cols[] = {"birthPlace", NULL};
  emb_diags diags;
  emb_diags_init(&diags);
  emb_input *in = NULL;
  assert_int_equal(emb__input_open(DATA "/eu/journal/32014R0269.csv", &in, &diags), 0);
  emb_csv_opts o = emb__csv_opts_default();
  emb_csv *csv = NULL;
  assert_int_equal(emb__csv_new(in, &o, &diags, &csv), 0);
  emb_csv_row row;
  assert_int_equal(emb__csv_next(csv, &row), 1);
  int c = emb__csv_col(&row, cols[0]);
  assert_true(c >= 0);
  size_t n[6] = {0};
  static const char *const want[6] = {"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"};
  while (emb__csv_next(csv, &row) == 1) {
    if ((size_t)c >= row.count)
      continue;
    const char *s = emb_subdivision_code(row.fields[c], row.lens[c]);
    for (int k = 0; s && k < 6; k++)
      n[k] += strcmp(s, want[k]) == 0;
  }
  emb__csv_free(csv);
  emb__input_close(in);
  emb_diags_fini(&diags);
  /* Every region occurs; Donetsk and Crimea most often. */
  for (int k = 0; k < 6; k++)
    if (n[k] == 0)
      fail_msg("no birth place in %s", want[k]);
  assert_true(n[2] > 20);
  assert_true(n[0] > 10);
}

/* ---------------------------------------------------------------- threads */

static void *race(void *arg) {
  const char **out = arg;
  *out = emb_country_code("Korea, North", 12);
  return NULL;
}

static void test_first_use_from_threads(void **state) {
  (void)state;
  /* Whoever calls first builds the index; all callers must see it complete. */
  pthread_t t[4];
  const char *got[4] = {0};
  for (int i = 0; i < 4; i++)
    assert_int_equal(pthread_create(&t[i], NULL, race, &got[i]), 0);
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    assert_non_null(got[i]);
    assert_string_equal(got[i], "KP");
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_first_use_from_threads),
      cmocka_unit_test(test_iso_table),
      cmocka_unit_test(test_every_alias_resolves),
      cmocka_unit_test(test_brief_variants),
      cmocka_unit_test(test_normalisation),
      cmocka_unit_test(test_loose_forms),
      cmocka_unit_test(test_multi),
      cmocka_unit_test(test_subdivisions),
      cmocka_unit_test(test_uk_conlist),
      cmocka_unit_test(test_ofac_add),
      cmocka_unit_test(test_csl),
      cmocka_unit_test(test_eu_journal_places),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
