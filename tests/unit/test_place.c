/*
 * test_place.c - unit tests for place resolution (src/screen/place.c): ISO codes,
 * country names, ISO 3166-2 codes, regions and cities in English, Ukrainian, Russian,
 * Chinese and Korean, whole addresses, the "Moscow, Idaho, USA" rule, occupied places
 * written with Russia, unknown texts, the gazetteer's own consistency (every spelling
 * of every line resolves back to its line's country and region), resolution without a
 * gazetteer, and the diagnostics for a broken gazetteer file.
 *
 * The bundled gazetteer is read from data/places (EMB_DATA_DIR, set by the Makefile).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo.h"
#include "screen/place.h"
#include "screen_testutil.h"

#ifndef EMB_DATA_DIR
#define EMB_DATA_DIR "data"
#endif
#define GAZ EMB_DATA_DIR "/places/cities.tsv"

static emb_places *G;

static int setup(void **state) {
  (void)state;
  emb_diags d;
  emb_diags_init(&d);
  int rc = emb__places_load(GAZ, &G, &d);
  return st_setup_done(rc, &d);
}

static int teardown(void **state) {
  (void)state;
  emb__places_free(G);
  G = NULL;
  return 0;
}

typedef struct pcase {
  const char *text;
  const char *country; /* NULL: EMB_ENOTFOUND expected */
  const char *region;
  const char *matched;
  emb_occupation occ;
} pcase;

static void check_cases(const pcase *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    emb_place p;
    int rc = emb__place_resolve_in(G, c[i].text, strlen(c[i].text), &p);
    if (!c[i].country) {
      if (rc != EMB_ENOTFOUND)
        fail_msg("'%s': expected not found, got %s %s (%s)", c[i].text, p.country, p.region,
                 p.matched ? p.matched : "-");
      assert_null(p.matched);
      continue;
    }
    if (rc != 0)
      fail_msg("'%s': not resolved (rc %d)", c[i].text, rc);
    if (strcmp(p.country, c[i].country) != 0 || strcmp(p.region, c[i].region) != 0 ||
        strcmp(p.matched, c[i].matched) != 0 || p.occupation != c[i].occ)
      fail_msg("'%s': got %s/%s '%s' %s, expected %s/%s '%s' %s", c[i].text, p.country, p.region,
               p.matched, emb__occupation_name(p.occupation), c[i].country, c[i].region,
               c[i].matched, emb__occupation_name(c[i].occ));
  }
}

static void test_codes_and_names(void **state) {
  (void)state;
  static const pcase c[] = {
      {"RU", "RU", "", "country Russian Federation", EMB_OCC_NONE},
      {"RUS", "RU", "", "country Russian Federation", EMB_OCC_NONE},
      {"ru", "RU", "", "country Russian Federation", EMB_OCC_NONE},
      {"Russian Federation", "RU", "", "country Russian Federation", EMB_OCC_NONE},
      {"  Россия ", "RU", "", "country Russian Federation", EMB_OCC_NONE},
      {"UAE", "AE", "", "country United Arab Emirates", EMB_OCC_NONE},
      {"Korea, North", "KP", "", "country Korea, Democratic People's Republic of", EMB_OCC_NONE},
      {"Iran (Islamic Republic of)", "IR", "", "country Iran, Islamic Republic of", EMB_OCC_NONE},
      {"Iran, Islamic Republic of", "IR", "", "country Iran, Islamic Republic of", EMB_OCC_NONE},
      {"Türkiye", "TR", "", "country Türkiye", EMB_OCC_NONE},
      {"中国", "CN", "", "country China", EMB_OCC_NONE},
      {"Қазақстан", "KZ", "", "country Kazakhstan", EMB_OCC_NONE},
      {"Germany", "DE", "", "country Germany", EMB_OCC_NONE},
      {"Hong Kong", "HK", "", "country Hong Kong", EMB_OCC_NONE},
  };
  check_cases(c, sizeof c / sizeof c[0]);
}

static void test_subdivisions(void **state) {
  (void)state;
  static const pcase c[] = {
      {"UA-43", "UA", "UA-43", "region Crimea", EMB_OCC_OCCUPIED},
      {"ua-40", "UA", "UA-40", "city Sevastopol", EMB_OCC_OCCUPIED},
      {"UA-14", "UA", "UA-14", "region Donetsk Oblast", EMB_OCC_PARTLY},
      {"RU-MOW", "RU", "RU-MOW", "ISO 3166-2 code", EMB_OCC_NONE},
      {"Crimea", "UA", "UA-43", "region Crimea", EMB_OCC_OCCUPIED},
      {"Республика Крым", "UA", "UA-43", "region Crimea", EMB_OCC_OCCUPIED},
      {"Автономна Республіка Крим", "UA", "UA-43", "region Crimea", EMB_OCC_OCCUPIED},
      {"Donetsk Oblast", "UA", "UA-14", "region Donetsk Oblast", EMB_OCC_PARTLY},
      {"Донецкая обл., Украина", "UA", "UA-14", "region Donetsk Oblast", EMB_OCC_PARTLY},
      {"ДНР", "UA", "UA-14", "region Donetsk People's Republic", EMB_OCC_OCCUPIED},
      {"Luhansk People's Republic", "UA", "UA-09", "region Luhansk People's Republic",
       EMB_OCC_OCCUPIED},
      {"Запорізька область, Україна", "UA", "UA-23", "region Zaporizhzhia Oblast", EMB_OCC_PARTLY},
      {"Херсонская область", "UA", "UA-65", "region Kherson Oblast", EMB_OCC_PARTLY},
      /* shaped like a code but no such country */
      {"QQ-12", NULL, NULL, NULL, EMB_OCC_NONE},
  };
  check_cases(c, sizeof c / sizeof c[0]);
}

static void test_cities(void **state) {
  (void)state;
  static const pcase c[] = {
      /* occupied Ukraine in English, Ukrainian and Russian */
      {"Simferopol", "UA", "UA-43", "city Simferopol", EMB_OCC_OCCUPIED},
      {"Сімферополь", "UA", "UA-43", "city Simferopol", EMB_OCC_OCCUPIED},
      {"Симферополь", "UA", "UA-43", "city Simferopol", EMB_OCC_OCCUPIED},
      {"г. Донецк", "UA", "UA-14", "city Donetsk", EMB_OCC_OCCUPIED},
      {"м. Донецьк", "UA", "UA-14", "city Donetsk", EMB_OCC_OCCUPIED},
      {"Mariupol", "UA", "UA-14", "city Mariupol", EMB_OCC_OCCUPIED},
      {"Мелитополь", "UA", "UA-23", "city Melitopol", EMB_OCC_OCCUPIED},
      {"Енергодар", "UA", "UA-23", "city Enerhodar", EMB_OCC_OCCUPIED},
      {"Nova Kakhovka", "UA", "UA-65", "city Nova Kakhovka", EMB_OCC_OCCUPIED},
      {"Нова Каховка", "UA", "UA-65", "city Nova Kakhovka", EMB_OCC_OCCUPIED},
      {"Sevastopol", "UA", "UA-40", "city Sevastopol", EMB_OCC_OCCUPIED},
      {"Alchevsk", "UA", "UA-09", "city Alchevsk", EMB_OCC_OCCUPIED},
      /* the same regions, under government control or on the front line */
      {"Kramatorsk", "UA", "UA-14", "city Kramatorsk", EMB_OCC_CONTROLLED},
      {"Zaporizhzhia", "UA", "UA-23", "city Zaporizhzhia", EMB_OCC_CONTROLLED},
      {"Херсон", "UA", "UA-65", "city Kherson", EMB_OCC_CONTROLLED},
      {"Pokrovsk", "UA", "UA-14", "city Pokrovsk", EMB_OCC_FRONT},
      /* elsewhere in Ukraine */
      {"Kyiv", "UA", "UA-30", "city Kyiv", EMB_OCC_NONE},
      /* Russia, Belarus, hubs */
      {"Москва", "RU", "RU-MOW", "city Moscow", EMB_OCC_NONE},
      {"St. Petersburg", "RU", "RU-SPE", "city Saint Petersburg", EMB_OCC_NONE},
      {"Novorossiysk", "RU", "RU-KDA", "port Novorossiysk", EMB_OCC_NONE},
      {"Минск", "BY", "BY-HM", "city Minsk", EMB_OCC_NONE},
      {"Алматы", "KZ", "", "city Almaty", EMB_OCC_NONE},
      {"Bishkek", "KG", "KG-GB", "city Bishkek", EMB_OCC_NONE},
      {"Ереван", "AM", "AM-ER", "city Yerevan", EMB_OCC_NONE},
      {"თბილისი", "GE", "GE-TB", "city Tbilisi", EMB_OCC_NONE},
      {"İstanbul", "TR", "TR-34", "city Istanbul", EMB_OCC_NONE},
      {"Jebel Ali Free Zone", "AE", "AE-DU", "port Jebel Ali", EMB_OCC_NONE},
      /* Chinese, Korean, Persian, Arabic */
      {"深圳", "CN", "CN-GD", "city Shenzhen", EMB_OCC_NONE},
      {"廣州", "CN", "CN-GD", "city Guangzhou", EMB_OCC_NONE},
      {"香港", "HK", "", "country Hong Kong", EMB_OCC_NONE},
      {"평양", "KP", "", "city Pyongyang", EMB_OCC_NONE},
      {"بندر عباس", "IR", "", "port Bandar Abbas", EMB_OCC_NONE},
      {"دمشق", "SY", "", "city Damascus", EMB_OCC_NONE},
      /* an ambiguous name without a country: the first line of the file wins */
      {"Brest", "BY", "BY-BR", "city Brest", EMB_OCC_NONE},
  };
  check_cases(c, sizeof c / sizeof c[0]);
}

static void test_addresses(void **state) {
  (void)state;
  static const pcase c[] = {
      {"ul. Artema 12, Donetsk, 83000", "UA", "UA-14", "city Donetsk", EMB_OCC_OCCUPIED},
      {"Office 1204, Business Bay, Dubai, UAE", "AE", "AE-DU", "city Dubai", EMB_OCC_NONE},
      {"Room 1501, 15/F, Tower 2, 51 Kwai Cheong Road, Kwai Chung, Hong Kong", "HK", "",
       "district Kwai Chung", EMB_OCC_NONE},
      {"中国广东省深圳市南山区科技园", "CN", "CN-GD", "city Shenzhen", EMB_OCC_NONE},
      /* Chinese addresses run from large to small: the first city wins, not the street */
      {"中国上海市黄浦区南京东路100号", "CN", "CN-SH", "city Shanghai", EMB_OCC_NONE},
      {"Unit 5, 12 Industrial Rd, Shenzhen, Guangdong, China 518000", "CN", "CN-GD",
       "city Shenzhen", EMB_OCC_NONE},
      {"ТОО Ромашка, ул. Абая 10, Алматы, Республика Казахстан", "KZ", "", "city Almaty",
       EMB_OCC_NONE},
      {"Tashkent Uzbekistan", "UZ", "UZ-TK", "city Tashkent", EMB_OCC_NONE},
      {"Pyongyang, Korea, North", "KP", "", "city Pyongyang", EMB_OCC_NONE},
      {"Yerevan; Armenia", "AM", "AM-ER", "city Yerevan", EMB_OCC_NONE},
      {"Istanbul/Turkey", "TR", "TR-34", "city Istanbul", EMB_OCC_NONE},
      /* a company name naming a country is not the country when a city follows */
      {"Russia Trading LLC, Dubai", "AE", "AE-DU", "city Dubai", EMB_OCC_NONE},
      /* the country named wins over a city of another country */
      {"Moscow, Idaho, USA", "US", "", "city Moscow", EMB_OCC_NONE},
      {"Moscow, ID 83843, United States", "US", "", "city Moscow", EMB_OCC_NONE},
      {"Atlanta, Georgia, USA", "US", "", "country United States", EMB_OCC_NONE},
      {"Brest, France", "FR", "", "city Brest", EMB_OCC_NONE},
      {"Donetsk, Germany", "DE", "", "country Germany", EMB_OCC_NONE},
      /* ... except occupied Ukraine written with Russia, and Hong Kong with China */
      {"Donetsk, Russia", "UA", "UA-14", "city Donetsk", EMB_OCC_OCCUPIED},
      {"г. Донецк, ДНР, Российская Федерация", "UA", "UA-14", "city Donetsk", EMB_OCC_OCCUPIED},
      {"Республика Крым, Российская Федерация", "UA", "UA-43", "region Crimea", EMB_OCC_OCCUPIED},
      {"Hong Kong, China", "HK", "", "country Hong Kong", EMB_OCC_NONE},
      {"Kramatorsk, Ukraine", "UA", "UA-14", "city Kramatorsk", EMB_OCC_CONTROLLED},
  };
  check_cases(c, sizeof c / sizeof c[0]);

  emb_place p;
  const char *t = "г. Донецк, ДНР, Российская Федерация";
  assert_int_equal(emb__place_resolve_in(G, t, strlen(t), &p), 0);
  assert_non_null(p.note);
  assert_non_null(strstr(p.note, "Russia"));
  t = "Donetsk, Ukraine";
  assert_int_equal(emb__place_resolve_in(G, t, strlen(t), &p), 0);
  assert_null(p.note);
  assert_int_equal(p.kind, EMB_PLACE_CITY);
  t = "Hong Kong, China";
  assert_int_equal(emb__place_resolve_in(G, t, strlen(t), &p), 0);
  assert_non_null(p.note);
}

static void test_unknown(void **state) {
  (void)state;
  static const pcase c[] = {
      {"Unknown", NULL, NULL, NULL, EMB_OCC_NONE},
      {"xyz", NULL, NULL, NULL, EMB_OCC_NONE},
      {"   ", NULL, NULL, NULL, EMB_OCC_NONE},
      {"12345", NULL, NULL, NULL, EMB_OCC_NONE},
      {"Foo GmbH & Co. KG", NULL, NULL, NULL, EMB_OCC_NONE},
      {"Seoul, Korea", NULL, NULL, NULL, EMB_OCC_NONE},
      {",,,;;;|||", NULL, NULL, NULL, EMB_OCC_NONE},
      {"\xff\xfe\xfd", NULL, NULL, NULL, EMB_OCC_NONE},
  };
  check_cases(c, sizeof c / sizeof c[0]);
  emb_place p;
  assert_int_equal(emb__place_resolve_in(G, "", 0, &p), EMB_ENOTFOUND);
  assert_int_equal(emb__place_resolve_in(G, NULL, 3, &p), EMB_EINVAL);
  assert_int_equal(emb__place_resolve_in(G, "RU", 2, NULL), EMB_EINVAL);
}

static void test_long_text(void **state) {
  (void)state;
  /* Only the last 512 bytes are read: the country at the end still counts. */
  char buf[4096];
  size_t n = 0;
  while (n < 3000)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "Лорем ипсум %zu, ", n);
  n += (size_t)snprintf(buf + n, sizeof buf - n, "Dubai, UAE");
  emb_place p;
  assert_int_equal(emb__place_resolve_in(G, buf, n, &p), 0);
  assert_string_equal(p.country, "AE");
  assert_string_equal(p.matched, "city Dubai");
  /* A cut in the middle of a multi-byte character is no problem either. */
  memset(buf, 0, sizeof buf);
  for (size_t i = 0; i + 2 < 1200; i += 2)
    memcpy(buf + i, "\xd0\x96", 2);
  memcpy(buf + 1199, "RU", 2);
  assert_int_equal(emb__place_resolve_in(G, buf, 1201, &p), EMB_ENOTFOUND);
}

/*
 * Every spelling of every line, followed by ", CC" (the line's country code), resolves to
 * that country and region: no spelling is lost, shadowed or misfiled.
 */
static void test_gazetteer_roundtrip(void **state) {
  (void)state;
  FILE *f = fopen(GAZ, "r");
  assert_non_null(f);
  char line[8192];
  size_t places = 0, spellings = 0;
  while (fgets(line, sizeof line, f)) {
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (n == 0 || line[0] == '#')
      continue;
    char *col[6];
    char *save = NULL;
    int k = 0;
    for (char *t = strtok_r(line, "\t", &save); t && k < 6; t = strtok_r(NULL, "\t", &save))
      col[k++] = t;
    assert_int_equal(k, 6);
    places++;
    const char *want_region = strcmp(col[1], "-") == 0 ? "" : col[1];
    char names[8192];
    snprintf(names, sizeof names, "%s|%s", col[4], col[5]);
    char *s2 = NULL;
    for (char *nm = strtok_r(names, "|", &s2); nm; nm = strtok_r(NULL, "|", &s2)) {
      if (strcmp(nm, "-") == 0)
        continue;
      char q[512];
      int qn = snprintf(q, sizeof q, "%s, %s", nm, col[0]);
      emb_place p;
      int rc = emb__place_resolve_in(G, q, (size_t)qn, &p);
      if (rc != 0 || strcmp(p.country, col[0]) != 0 ||
          (strcmp(col[2], "country") != 0 && strcmp(p.region, want_region) != 0))
        fail_msg("'%s' resolved to %s/%s (%s), rc %d; expected %s/%s", q, p.country, p.region,
                 p.matched ? p.matched : "-", rc, col[0], want_region);
      spellings++;
    }
  }
  fclose(f);
  assert_int_equal(places, emb__places_count(G));
  assert_true(spellings >= emb__places_names(G));
  assert_true(places > 400);
}

static void test_without_gazetteer(void **state) {
  (void)state;
  emb_place p;
  assert_int_equal(emb__place_resolve_in(NULL, "Russia", 6, &p), 0);
  assert_string_equal(p.country, "RU");
  assert_string_equal(p.matched, "country");
  /* country.h still knows the six Ukrainian regions and some of their towns */
  const char *t = "Simferopol, Crimea";
  assert_int_equal(emb__place_resolve_in(NULL, t, strlen(t), &p), 0);
  assert_string_equal(p.region, "UA-43");
  assert_int_equal(p.occupation, EMB_OCC_OCCUPIED);
  t = "Melitopol, Russia";
  assert_int_equal(emb__place_resolve_in(NULL, t, strlen(t), &p), 0);
  assert_string_equal(p.country, "UA");
  assert_string_equal(p.region, "UA-23");
  assert_int_equal(p.occupation, EMB_OCC_PARTLY);
  assert_non_null(p.note);
  assert_int_equal(emb__place_resolve_in(NULL, "Shenzhen", 8, &p), EMB_ENOTFOUND);
}

static void test_default_gazetteer(void **state) {
  (void)state;
  assert_int_equal(emb__places_default_load(NULL), 0);
  emb_place p;
  assert_int_equal(emb__place_resolve("Сімферополь", strlen("Сімферополь"), &p), 0);
  assert_string_equal(p.region, "UA-43");
}

static void test_bad_gazetteer(void **state) {
  (void)state;
  char path[256];
  int wrote = st_write_tmp(path, sizeof path, "place", ".tsv",
                           "# comment\n"
                           "UA\tUA-43\tcity\toccupied\tTestgrad\tТестград\n" /* 2: good */
                           "XX\t-\tcity\t-\tNowhere\t-\n"          /* 3: unknown country */
                           "RU\tUA-43\tcity\t-\tWrongregion\t-\n"  /* 4: region of UA */
                           "RU\t-\ttown\t-\tBadkind\t-\n"          /* 5: kind */
                           "RU\t-\tcity\toccupied\tBadstatus\t-\n" /* 6: status outside UA */
                           "RU\t-\tcity\t-\tToofew\n"              /* 7: five columns */
                           "RU\t-\tcity\t-\t\t-\n"                 /* 8: empty name */
                           "RU\t-\tcity\t-\tBad\xff\tx\n"          /* 9: encoding */
                           "ru\t-\tcity\t-\tLowercase\t-\n"        /* 10: lower-case code */
                           "KZ\t-\tcity\t-\tTestabad\tТестабад|Testabad|-\n"); /* 11: good */
  assert_int_equal(wrote, 0);
  emb_diags d;
  emb_diags_init(&d);
  emb_places *g = NULL;
  assert_int_equal(emb__places_load(path, &g, &d), EMB_EFORMAT);
  assert_non_null(g);
  assert_int_equal(emb__places_count(g), 2);
  static const unsigned long lines[] = {3, 4, 5, 6, 7, 8, 9, 10};
  static const char *const words[] = {
      "known country", "ISO 3166-2", "kind",  "only given to places in Ukraine",
      "columns",       "empty",      "UTF-8", "alpha-2"};
  assert_int_equal(d.count, 8);
  for (size_t i = 0; i < 8; i++) {
    assert_int_equal(d.items[i].line, lines[i]);
    assert_non_null(strstr(d.items[i].file, "emb_test_place_"));
    if (!strstr(d.items[i].message, words[i]))
      fail_msg("line %lu: '%s' lacks '%s'", lines[i], d.items[i].message, words[i]);
  }
  emb_place p;
  assert_int_equal(emb__place_resolve_in(g, "Тестабад", strlen("Тестабад"), &p), 0);
  assert_string_equal(p.country, "KZ");
  assert_int_equal(emb__place_resolve_in(g, "Testgrad, Russia", 16, &p), 0);
  assert_string_equal(p.country, "UA");
  emb__places_free(g);
  emb_diags_fini(&d);
  unlink(path);

  emb_diags_init(&d);
  assert_int_equal(emb__places_load("/nonexistent/cities.tsv", &g, &d), EMB_EIO);
  assert_null(g);
  assert_true(d.count >= 1);
  emb_diags_fini(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_codes_and_names),
      cmocka_unit_test(test_subdivisions),
      cmocka_unit_test(test_cities),
      cmocka_unit_test(test_addresses),
      cmocka_unit_test(test_unknown),
      cmocka_unit_test(test_long_text),
      cmocka_unit_test(test_gazetteer_roundtrip),
      cmocka_unit_test(test_without_gazetteer),
      cmocka_unit_test(test_default_gazetteer),
      cmocka_unit_test(test_bad_gazetteer),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
