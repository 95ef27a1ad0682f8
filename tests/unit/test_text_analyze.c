/*
 * test_text_analyze.c - the analyzer as the index and the scorer use it: token kinds,
 * byte spans, origins, phonetic keys and variant clusters; the data-file options
 * (variants_path, EMBARGO_DATA_DIR); clones; and real data: every spelling of one name
 * in names/putin_names.txt, the Arabic-script names of the UN list against their Latin
 * names, and every name of the UN and OFAC SDN lists (tokens well formed, analysis
 * deterministic, the Latin form of a non-Latin name analysing to the same tokens).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "embargo.h"
#include "text/analyze.h"
#include "text/script.h"

#ifndef EMB_TEST_DATA
#define EMB_TEST_DATA "/work/shared/data"
#endif
#define NAMES EMB_TEST_DATA "/names"
#define UN EMB_TEST_DATA "/lists/un/consolidated-2026-02-27.xml"
#define SDN "data/lists/ofac/sdn" /* bundled copy, relative to the repository root */
/* the bundled copy, relative to the repository root where the tests run */
#define VARIANTS "data/names/names_wikidata_clusters.txt.gz"

static emb_analyzer *an; /* with the variant table */

static int setup(void **state) {
  (void)state;
  emb_analyzer_opts o = emb_analyzer_opts_default();
  o.variants_path = VARIANTS;
  return emb_analyzer_new(&o, &an);
}

static int teardown(void **state) {
  (void)state;
  emb_analyzer_free(an);
  return 0;
}

static emb_token *analyze(emb_arena *ar, const char *s, emb_schema sc, size_t *n) {
  emb_token *t = NULL;
  assert_int_equal(emb_analyze_name(an, s, strlen(s), sc, ar, &t, n), 0);
  return t;
}

static bool shares_variant(const emb_token *a, const emb_token *b) {
  for (size_t i = 0; i < a->n_variants; i++)
    for (size_t j = 0; j < b->n_variants; j++)
      if (a->variants[i] == b->variants[j])
        return true;
  return false;
}

/* ------------------------------------------------------------------ tokens */

static void test_kinds_spans_origins(void **state) {
  (void)state;
  emb_arena ar;
  emb__arena_init(&ar, 4096);
  size_t n;
  const char *s = "Mr. J. Vladimir PUTIN 2nd";
  emb_token *t = analyze(&ar, s, EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 5);
  static const int kinds[] = {EMB_TK_STOP, EMB_TK_INITIAL, EMB_TK_WORD, EMB_TK_WORD, EMB_TK_NUMBER};
  static const char *const texts[] = {"mr", "j", "vladimir", "putin", "2"}; /* 2nd: an ordinal */
  static const int starts[] = {0, 4, 7, 16, 22}, lens[] = {2, 1, 8, 5, 3};
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(t[i].kind, kinds[i]);
    assert_string_equal(t[i].text, texts[i]);
    assert_int_equal(t[i].len, strlen(texts[i]));
    assert_int_equal(t[i].src_start, starts[i]);
    assert_int_equal(t[i].src_len, lens[i]);
    assert_int_equal(t[i].origin, EMB_TO_ASIS);
    if (t[i].kind != EMB_TK_WORD) {
      assert_string_equal(t[i].phon, "");
      assert_int_equal(t[i].n_variants, 0);
    }
  }
  assert_string_equal(t[2].phon, "fltmr");
  assert_string_equal(t[3].phon, "btn");
  assert_true(t[2].n_variants > 0 && t[3].n_variants > 0);

  /* Cyrillic: spans in bytes of the original; a Latin y folded into a Cyrillic word */
  s = "Юрий Пyтин";
  t = analyze(&ar, s, EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 2);
  assert_string_equal(t[0].text, "yuriy");
  assert_int_equal(t[0].origin, EMB_TO_TRANSLIT);
  assert_int_equal(t[0].src_start, 0);
  assert_int_equal(t[0].src_len, 8);
  assert_string_equal(t[1].text, "putin");
  assert_int_equal(t[1].src_start, 9);
  assert_int_equal(t[1].src_len, 9);
  assert_int_equal(t[1].origin, EMB_TO_TRANSLIT);

  /* a Cyrillic а inside a Latin word: folded */
  t = analyze(&ar, "G\xD0\xB0zprom", EMB_SCHEMA_COMPANY, &n);
  assert_int_equal(n, 1);
  assert_string_equal(t[0].text, "gazprom");
  assert_int_equal(t[0].origin, EMB_TO_FOLDED);
  assert_int_equal(t[0].src_len, 8);

  /* zero-width characters vanish; initials with dots; apostrophes */
  t = analyze(&ar,
              "Vla\xE2\x80\x8B"
              "dimir O'Brien J.P.",
              EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 4);
  assert_string_equal(t[0].text, "vladimir");
  assert_int_equal(t[0].src_len, 11);
  assert_string_equal(t[1].text, "obrien");
  assert_int_equal(t[2].kind, EMB_TK_INITIAL);
  assert_int_equal(t[3].kind, EMB_TK_INITIAL);

  /* nothing to analyse */
  t = analyze(&ar, " -- ", EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 0);
  assert_int_equal(emb_analyze_name(an, NULL, 4, EMB_SCHEMA_PERSON, &ar, &t, &n), 0);
  assert_int_equal(n, 0);
  assert_int_equal(emb_analyze_name(an, "x", 1, EMB_SCHEMA_PERSON, NULL, &t, &n), EMB_EINVAL);
  assert_int_equal(emb_analyze_name(NULL, "x", 1, EMB_SCHEMA_PERSON, &ar, &t, &n), EMB_EINVAL);
  emb__arena_fini(&ar);
}

/*
 * Rewritten tokens: number phrases, ordinals and Roman numerals are NUMBER tokens whose
 * span covers every word they came from; a word with look-alike digits is a WORD folded
 * from its written form, with the phonetic key and clusters of its letters; organisation
 * symbols are words with one text for all spellings; nicknames share a variant cluster
 * with their full names (persons only); particles ("ibn") keep the clusters of the word
 * as written.
 */
static void test_rewritten_tokens(void **state) {
  (void)state;
  emb_arena ar;
  emb__arena_init(&ar, 4096);
  size_t n, m;
  const char *s = "Twenty-First Century Holdings III";
  emb_token *t = analyze(&ar, s, EMB_SCHEMA_COMPANY, &n);
  assert_int_equal(n, 4);
  assert_int_equal(t[0].kind, EMB_TK_NUMBER);
  assert_string_equal(t[0].text, "21");
  assert_int_equal(t[0].src_start, 0);
  assert_int_equal(t[0].src_len, strlen("Twenty-First"));
  assert_string_equal(t[0].phon, "");
  assert_int_equal(t[0].n_variants, 0);
  assert_int_equal(t[1].kind, EMB_TK_WORD);
  assert_string_equal(t[2].text, "holding");
  assert_int_equal(t[2].kind, EMB_TK_WORD);
  assert_int_equal(t[2].src_start, strlen("Twenty-First Century "));
  assert_int_equal(t[2].src_len, strlen("Holdings"));
  assert_int_equal(t[3].kind, EMB_TK_NUMBER);
  assert_string_equal(t[3].text, "3");
  /* the same name as a person: no number words, no symbols, no Roman numeral at the end
   * unless it is a generation (ii-iv) */
  t = analyze(&ar, s, EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 5);
  assert_string_equal(t[0].text, "twenty");
  assert_string_equal(t[3].text, "holdings");
  assert_string_equal(t[4].text, "3");

  /* look-alike digits */
  t = analyze(&ar, "Ig0r Sech1n", EMB_SCHEMA_PERSON, &n);
  emb_token *u = analyze(&ar, "Igor Sechin", EMB_SCHEMA_PERSON, &m);
  assert_int_equal(n, 2);
  assert_int_equal(m, 2);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(t[i].kind, EMB_TK_WORD);
    assert_int_equal(t[i].origin, EMB_TO_FOLDED);
    assert_string_equal(t[i].text, u[i].text);
    assert_string_equal(t[i].phon, u[i].phon);
    assert_int_equal(t[i].n_variants, u[i].n_variants);
    assert_true(t[i].n_variants > 0);
  }
  assert_int_equal(t[1].src_start, 5);
  assert_int_equal(t[1].src_len, 6);
  /* emb_text_to_latin keeps the name as written */
  emb_buf b;
  emb__buf_init(&b, 0);
  assert_int_equal(emb_text_to_latin(an, "Ig0r Sech1n", 11, &b), 0);
  assert_string_equal(b.data, "ig0r sech1n");
  emb__buf_fini(&b);

  /* organisation symbols: a phrase is one token spanning its words */
  t = analyze(&ar, "Acme Group of Companies", EMB_SCHEMA_ORGANIZATION, &n);
  assert_int_equal(n, 2);
  assert_string_equal(t[1].text, "grp");
  assert_int_equal(t[1].kind, EMB_TK_WORD);
  assert_int_equal(t[1].src_start, 5);
  assert_int_equal(t[1].src_len, strlen("Group of Companies"));
  t = analyze(&ar, "Acme Corp", EMB_SCHEMA_ORGANIZATION, &n);
  u = analyze(&ar, "ACME CORPORATION", EMB_SCHEMA_VESSEL, &m);
  assert_int_equal(n, 2);
  assert_int_equal(m, 2);
  assert_string_equal(t[1].text, u[1].text);

  /* nicknames: persons (and unknown schemas) only */
  t = analyze(&ar, "Ted", EMB_SCHEMA_PERSON, &n);
  u = analyze(&ar, "Theodore", EMB_SCHEMA_PERSON, &m);
  emb_token *v = analyze(&ar, "Edward", EMB_SCHEMA_UNKNOWN, &n);
  assert_true(shares_variant(&t[0], &u[0]));
  assert_true(shares_variant(&t[0], &v[0]));
  assert_false(shares_variant(&u[0], &v[0]));
  t = analyze(&ar, "Ted", EMB_SCHEMA_COMPANY, &n);
  assert_false(shares_variant(&t[0], &u[0]));

  /* particles */
  t = analyze(&ar, "Usama ibn Ladin", EMB_SCHEMA_PERSON, &n);
  u = analyze(&ar, "Usama bin Ladin", EMB_SCHEMA_PERSON, &m);
  assert_string_equal(t[1].text, "bin");
  assert_string_equal(t[1].text, u[1].text);
  t = analyze(&ar, "Ben", EMB_SCHEMA_PERSON, &n);
  size_t nv;
  assert_non_null(emb_name_variants(an, "ben", 3, &nv));
  assert_string_equal(t[0].text, "bin");
  assert_true(t[0].n_variants >= nv); /* the given name Ben keeps its clusters */
  emb__arena_fini(&ar);
}

static void test_chinese_korean(void **state) {
  (void)state;
  emb_arena ar;
  emb__arena_init(&ar, 4096);
  size_t n;
  /* a Chinese person: surname + given name, as lists write "XI Jinping" */
  emb_token *t = analyze(&ar, "习近平", EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 2);
  assert_string_equal(t[0].text, "xi");
  assert_string_equal(t[1].text, "jinping");
  assert_int_equal(t[0].origin, EMB_TO_TRANSLIT);
  assert_int_equal(t[1].src_start, 0);
  assert_int_equal(t[1].src_len, 9);
  /* a run that is itself a known variant stays one token and keeps its clusters */
  t = analyze(&ar, "普京", EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 1);
  assert_string_equal(t[0].text, "pujing");
  size_t np;
  const uint32_t *pv = emb_name_variants(an, "putin", 5, &np);
  assert_non_null(pv);
  emb_token put = {.variants = pv, .n_variants = (uint16_t)np};
  assert_true(shares_variant(&t[0], &put));
  /* Korean: one token per syllable, North Korean romanisation */
  t = analyze(&ar, "김정은", EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 3);
  assert_string_equal(t[0].text, "kim");
  assert_string_equal(t[1].text, "jong");
  assert_string_equal(t[2].text, "un");
  emb__arena_fini(&ar);
}

/* ---------------------------------------------------------------- variants */

static bool has_id(const uint32_t *v, size_t n, uint32_t id) {
  for (size_t i = 0; i < n; i++)
    if (v[i] == id)
      return true;
  return false;
}

static void test_variants(void **state) {
  (void)state;
  size_t n;
  /* "vladimir, ... влади́мир, владимир, ... فلاديمير ... => Q2253934" */
  const uint32_t *v = emb_name_variants(an, "vladimir", 8, &n);
  assert_non_null(v);
  assert_true(has_id(v, n, 2253934));
  for (size_t i = 1; i < n; i++)
    assert_true(v[i - 1] < v[i]); /* sorted, distinct */
  const char *ar = "فلاديمير";
  v = emb_name_variants(an, ar, strlen(ar), &n);
  assert_true(has_id(v, n, 2253934));
  const char *cy = "владимир"; /* keyed by the original form too */
  v = emb_name_variants(an, cy, strlen(cy), &n);
  assert_true(has_id(v, n, 2253934));
  /* "tokaev, tokayev, toqaev, toqajew, токаев, токаєв, тоқаев => Q123463256" */
  v = emb_name_variants(an, "toqajew", 7, &n);
  assert_true(has_id(v, n, 123463256));
  assert_null(emb_name_variants(an, "zzqxv", 5, &n));
  assert_null(emb_name_variants(NULL, "vladimir", 8, &n));
  assert_int_equal(n, 0);
  assert_null(emb_name_variants(an, "", 0, &n));

  /* A Cyrillic token gets the clusters of its Latin form and of its original form. */
  emb_arena a;
  emb__arena_init(&a, 4096);
  size_t k;
  emb_token *t = analyze(&a, "Тоқаев", EMB_SCHEMA_PERSON, &k);
  assert_int_equal(k, 1);
  assert_string_equal(t[0].text, "tokayev");
  assert_true(has_id(t[0].variants, t[0].n_variants, 123463256));
  for (size_t i = 1; i < t[0].n_variants; i++)
    assert_true(t[0].variants[i - 1] < t[0].variants[i]);
  emb__arena_fini(&a);
}

/*
 * The variant table keys most variants through fast paths that skip utf8proc; the
 * analyzer always normalises. Every single-token variant of every 16th cluster, analysed
 * as a name, must find its own cluster (all 524,948 do but one, "〆谷").
 */
static void test_variants_find_themselves(void **state) {
  (void)state;
  gzFile f = gzopen(VARIANTS, "rb");
  assert_non_null(f);
  static char line[1 << 16];
  size_t lines = 0, checked = 0, missed = 0;
  emb_arena ar;
  emb__arena_init(&ar, 1 << 16);
  while (gzgets(f, line, sizeof line)) {
    if (lines++ % 16)
      continue;
    line[strcspn(line, "\n")] = '\0';
    char *arrow = strstr(line, " => Q");
    assert_non_null(arrow);
    *arrow = '\0';
    uint32_t id = (uint32_t)strtoul(arrow + 5, NULL, 10);
    for (char *p = line;;) {
      char *c = strstr(p, ", ");
      if (c)
        *c = '\0';
      size_t n;
      emb_token *t = analyze(&ar, p, EMB_SCHEMA_PERSON, &n);
      if (n == 1 && t[0].kind == EMB_TK_WORD) {
        checked++;
        if (!has_id(t[0].variants, t[0].n_variants, id)) {
          missed++;
          print_error("variant \"%s\" (%s) does not find Q%u\n", p, t[0].text, id);
        }
      }
      if (!c)
        break;
      p = c + 2;
    }
    emb__arena_fini(&ar);
    emb__arena_init(&ar, 1 << 16);
  }
  gzclose(f);
  emb__arena_fini(&ar);
  assert_int_equal(lines, 164820);
  assert_true(checked > 30000);
  assert_int_equal(missed, 0);
}

static void test_options(void **state) {
  (void)state;
  emb_analyzer *b = NULL;
  emb_analyzer_opts o = emb_analyzer_opts_default();
  assert_null(o.variants_path);
  /* "" : no variant table */
  o.variants_path = "";
  assert_int_equal(emb_analyzer_new(&o, &b), 0);
  size_t n;
  assert_null(emb_name_variants(b, "vladimir", 8, &n));
  emb_analyzer_free(b);
  /* a missing file */
  o.variants_path = "/nonexistent/names.txt.gz";
  b = (emb_analyzer *)1;
  assert_int_equal(emb_analyzer_new(&o, &b), EMB_EIO);
  assert_null(b);
  /* the default path follows EMBARGO_DATA_DIR */
  const char *old = getenv("EMBARGO_DATA_DIR");
  char *saved = old ? strdup(old) : NULL;
  setenv("EMBARGO_DATA_DIR", "/nonexistent", 1);
  assert_int_equal(emb_analyzer_new(NULL, &b), EMB_EIO);
  setenv("EMBARGO_DATA_DIR", "data", 1);
  assert_int_equal(emb_analyzer_new(NULL, &b), 0);
  assert_non_null(emb_name_variants(b, "vladimir", 8, &n));
  if (saved)
    setenv("EMBARGO_DATA_DIR", saved, 1);
  else
    unsetenv("EMBARGO_DATA_DIR");
  free(saved);
  /* a file that is not a cluster file */
  o.variants_path = "tests/golden/phonetic.tsv";
  emb_analyzer *c = NULL;
  assert_int_equal(emb_analyzer_new(&o, &c), EMB_EFORMAT);
  emb_analyzer_free(b);
  emb_analyzer_free(NULL);
  assert_int_equal(emb_analyzer_new(NULL, NULL), EMB_EINVAL);
}

static void test_clone(void **state) {
  (void)state;
  emb_analyzer *c;
  assert_int_equal(emb_analyzer_clone(an, &c), 0);
  emb_arena ar;
  emb__arena_init(&ar, 4096);
  const char *s = "Владимир Путин 华为技术有限公司";
  emb_token *t, *u;
  size_t n, m;
  assert_int_equal(emb_analyze_name(an, s, strlen(s), EMB_SCHEMA_UNKNOWN, &ar, &t, &n), 0);
  assert_int_equal(emb_analyze_name(c, s, strlen(s), EMB_SCHEMA_UNKNOWN, &ar, &u, &m), 0);
  assert_int_equal(n, m);
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(t[i].text, u[i].text);
    assert_int_equal(t[i].n_variants, u[i].n_variants);
  }
  /* a clone outlives its parent's free only through the shared tables */
  emb_analyzer *d;
  assert_int_equal(emb_analyzer_clone(c, &d), 0);
  emb_analyzer_free(c);
  assert_int_equal(emb_analyze_name(d, s, strlen(s), EMB_SCHEMA_UNKNOWN, &ar, &u, &m), 0);
  assert_int_equal(n, m);
  emb_analyzer_free(d);
  emb__arena_fini(&ar);
}

/* --------------------------------------------------------------- real data */

/*
 * Every spelling of Putin in names/putin_names.txt should yield a token that is "putin",
 * or has its phonetic key, or shares a variant cluster with it. The ones that do not,
 * and why (docs/TEXT.md): Korean 푸틴 (two lines: a two-syllable Korean word is read
 * per syllable, "pu tin", as Korean names are), Belarusian Пуцін (two lines: "putsin", the Belarusian ц, in no cluster) and Georgian
 * პუტინი ("putini": Georgian adds a nominative -i). Khmer (វ៉្លាឌីមៀរ ពូទីន) is read by
 * the own Khmer table: "vladimier putin".
 */
static void test_putin_names(void **state) {
  (void)state;
  FILE *f = fopen(NAMES "/putin_names.txt", "r");
  assert_non_null(f);
  emb_arena ar;
  emb__arena_init(&ar, 1 << 16);
  size_t n;
  emb_token *p = analyze(&ar, "putin", EMB_SCHEMA_PERSON, &n);
  assert_int_equal(n, 1);
  char line[1024];
  size_t lines = 0, ok = 0, by_text = 0, by_phon = 0, by_var = 0;
  char missed[2048] = "";
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (!line[0])
      continue;
    lines++;
    emb_token *t = analyze(&ar, line, EMB_SCHEMA_PERSON, &n);
    int how = 0;
    for (size_t i = 0; i < n && !how; i++) {
      if (strcmp(t[i].text, "putin") == 0)
        how = 1;
      else if (t[i].kind == EMB_TK_WORD && strcmp(t[i].phon, p[0].phon) == 0)
        how = 2;
      else if (shares_variant(&t[i], &p[0]))
        how = 3;
    }
    if (how) {
      ok++;
      by_text += how == 1;
      by_phon += how == 2;
      by_var += how == 3;
    } else if (strlen(missed) + strlen(line) + 4 < sizeof missed) {
      strcat(missed, " | ");
      strcat(missed, line);
    }
  }
  fclose(f);
  emb__arena_fini(&ar);
  print_message("putin_names: %zu of %zu bridged (text %zu, phonetic %zu, variants %zu); "
                "not:%s\n",
                ok, lines, by_text, by_phon, by_var, missed);
  assert_int_equal(lines, 81);
  assert_int_equal(ok, 76);
}

/* Loads the UN list once for the tests below. */
static emb_entity_set *load(const char *spec) {
  emb_entity_set *s = emb_set_new();
  assert_non_null(s);
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb_load(s, spec, &d), 0);
  emb_diags_fini(&d);
  return s;
}

/*
 * The UN list gives many Arabic-script names (NAME_ORIGINAL_SCRIPT) next to Latin ones.
 * For each, at least one word should meet a word of the entity's Latin names by equal
 * text, equal phonetic key or a shared variant cluster. Measured: 361 of 372 names
 * (97.0%); 79.6% of their words (1,319 of 1,658).
 */
static void test_un_arabic_bridged(void **state) {
  (void)state;
  emb_entity_set *set = load(UN);
  emb_arena ar;
  emb__arena_init(&ar, 1 << 16);
  size_t names = 0, bridged = 0, words = 0, wbridged = 0;
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    for (size_t j = 0; j < e->n_names; j++) {
      if (!e->names[j].script || strcmp(e->names[j].script, "Arab") != 0)
        continue;
      size_t n;
      emb_token *t = analyze(&ar, e->names[j].full, e->schema, &n);
      names++;
      size_t wb = 0;
      for (size_t x = 0; x < n; x++) {
        if (t[x].kind != EMB_TK_WORD)
          continue;
        words++;
        bool hit = false;
        for (size_t k = 0; k < e->n_names && !hit; k++) {
          if (!e->names[k].script || strcmp(e->names[k].script, "Latn") != 0)
            continue;
          size_t m;
          emb_token *u = analyze(&ar, e->names[k].full, e->schema, &m);
          for (size_t y = 0; y < m && !hit; y++)
            hit = strcmp(t[x].text, u[y].text) == 0 ||
                  (u[y].kind == EMB_TK_WORD && strcmp(t[x].phon, u[y].phon) == 0) ||
                  shares_variant(&t[x], &u[y]);
        }
        wb += hit;
      }
      wbridged += wb;
      bridged += wb > 0;
    }
    emb__arena_fini(&ar);
    emb__arena_init(&ar, 1 << 16);
  }
  emb__arena_fini(&ar);
  emb_set_free(set);
  print_message("UN Arabic-script names: %zu of %zu bridged (%.1f%%), words %zu of %zu "
                "(%.1f%%)\n",
                bridged, names, 100.0 * (double)bridged / (double)names, wbridged, words,
                100.0 * (double)wbridged / (double)words);
  assert_int_equal(names, 372);
  assert_true(bridged * 100 >= names * 96);
  assert_true(wbridged * 100 >= words * 78);
}

static void check_tokens(const char *name, const emb_token *t, size_t n) {
  size_t len = strlen(name);
  for (size_t i = 0; i < n; i++) {
    if (t[i].len == 0 || strlen(t[i].text) != t[i].len)
      fail_msg("\"%s\": token %zu has a bad length", name, i);
    for (size_t k = 0; k < t[i].len; k++) {
      char c = t[i].text[k];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
        fail_msg("\"%s\": token \"%s\" is not lowercase ASCII", name, t[i].text);
    }
    if ((size_t)t[i].src_start + t[i].src_len > len)
      fail_msg("\"%s\": token \"%s\" spans beyond the name", name, t[i].text);
    if (t[i].kind == EMB_TK_WORD && !t[i].phon[0])
      fail_msg("\"%s\": word \"%s\" without a phonetic key", name, t[i].text);
  }
}

/*
 * Every name of the UN and SDN lists: well-formed tokens; the same tokens when analysed
 * again; and the Latin form of a non-Latin name (what a list shows as its
 * transliteration) analyses to the same token texts, which self-screening needs.
 */
static void test_all_list_names(void **state) {
  (void)state;
  emb_entity_set *set = load(UN);
  emb_diags d;
  emb_diags_init(&d);
  assert_int_equal(emb_load(set, SDN, &d), 0);
  emb_diags_fini(&d);
  emb_arena ar;
  emb__arena_init(&ar, 1 << 16);
  size_t names = 0, tokens = 0, nonlatin = 0, same_latin = 0;
  char diff[1024] = "";
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    for (size_t j = 0; j < e->n_names; j++) {
      const char *s = e->names[j].full;
      size_t n, m;
      emb_token *t = analyze(&ar, s, e->schema, &n);
      check_tokens(s, t, n);
      emb_token *u = analyze(&ar, s, e->schema, &m);
      assert_int_equal(n, m);
      for (size_t k = 0; k < n; k++)
        assert_string_equal(t[k].text, u[k].text);
      names++;
      tokens += n;
      if (strcmp(emb_script_detect(s, strlen(s)), "Latn") != 0 && n > 0) {
        nonlatin++;
        emb_buf b;
        emb__buf_init(&b, 0);
        assert_int_equal(emb_text_to_latin(an, s, strlen(s), &b), 0);
        emb_token *l = analyze(&ar, b.data ? b.data : "", e->schema, &m);
        bool same = m == n;
        for (size_t k = 0; k < n && same; k++)
          same = strcmp(t[k].text, l[k].text) == 0;
        same_latin += same;
        if (!same && strlen(diff) + strlen(s) + 4 < sizeof diff) {
          strcat(diff, " | ");
          strcat(diff, s);
        }
        emb__buf_fini(&b);
      }
    }
    if (i % 64 == 63) {
      emb__arena_fini(&ar);
      emb__arena_init(&ar, 1 << 16);
    }
  }
  emb__arena_fini(&ar);
  emb_set_free(set);
  print_message("%zu names, %zu tokens; %zu non-Latin names, %zu analyse like their Latin "
                "form; differ:%s\n",
                names, tokens, nonlatin, same_latin, diff);
  assert_true(names > 20000);
  assert_int_equal(same_latin, nonlatin);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_kinds_spans_origins),
      cmocka_unit_test(test_rewritten_tokens),
      cmocka_unit_test(test_chinese_korean),
      cmocka_unit_test(test_variants),
      cmocka_unit_test(test_variants_find_themselves),
      cmocka_unit_test(test_options),
      cmocka_unit_test(test_clone),
      cmocka_unit_test(test_putin_names),
      cmocka_unit_test(test_un_arabic_bridged),
      cmocka_unit_test(test_all_list_names),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
