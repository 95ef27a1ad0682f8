/*
 * test_score.c - the scorer's building blocks: the banded edit distance against a
 * brute-force reference, token similarity kinds, alignment properties, and the token
 * summaries (letter sets, phonetic-key hashes, variant bits) that let the scorer skip
 * work: they must never change a similarity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "index/snapshot.h"
#include "match/score.h"
#include "text/analyze.h"

/* Optimal string alignment distance, the full matrix: the reference. */
static int osa(const char *a, int la, const char *b, int lb) {
  int d[66][66];
  for (int i = 0; i <= la; i++)
    d[i][0] = i;
  for (int j = 0; j <= lb; j++)
    d[0][j] = j;
  for (int i = 1; i <= la; i++)
    for (int j = 1; j <= lb; j++) {
      int c = a[i - 1] != b[j - 1], v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v)
        v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + c < v)
        v = d[i - 1][j - 1] + c;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  return d[la][lb];
}

static void test_edit_distance_matches_reference(void **state) {
  (void)state;
  srand(7);
  char a[16], b[16];
  for (int t = 0; t < 200000; t++) {
    int la = rand() % 12, lb = rand() % 12, max = rand() % 5;
    for (int i = 0; i < la; i++)
      a[i] = (char)('a' + rand() % 3);
    for (int i = 0; i < lb; i++)
      b[i] = (char)('a' + rand() % 3);
    int want = osa(a, la, b, lb);
    if (want > max)
      want = max + 1;
    assert_int_equal(emb__edit_distance(a, (size_t)la, b, (size_t)lb, max), want);
  }
  /* Long words too: the bit-parallel algorithm holds up to 64 letters in one word. */
  char la_[64], lb_[64];
  for (int t = 0; t < 20000; t++) {
    int la = rand() % 65, lb = rand() % 65, max = rand() % 66;
    for (int i = 0; i < la; i++)
      la_[i] = (char)('a' + rand() % 4);
    for (int i = 0; i < lb; i++)
      lb_[i] = (char)('a' + rand() % 4);
    int want = osa(la_, la, lb_, lb);
    if (want > max)
      want = max + 1;
    assert_int_equal(emb__edit_distance(la_, (size_t)la, lb_, (size_t)lb, max), want);
  }
  assert_int_equal(emb__edit_distance("appel", 5, "apple", 5, 2), 1); /* transposition */
  assert_int_equal(emb__edit_distance("tokayev", 7, "tukayev", 7, 2), 1);
}

static emb_ctok word(const char *t, uint8_t kind) {
  emb_ctok c = {t, (uint16_t)strlen(t), kind, EMB_TO_ASIS, "", NULL, 0, 1.0f, UINT32_MAX, NULL};
  return c;
}

static void test_token_sim_kinds(void **state) {
  (void)state;
  emb_how how;
  emb_ctok a = word("tokayev", EMB_TK_WORD), b = word("tukayev", EMB_TK_WORD);
  float s = emb__token_sim(&a, &b, &how);
  assert_true(s > 0.7f && s < 1.0f);
  assert_int_equal(how, EMB_HOW_FUZZY);
  emb_ctok i = word("v", EMB_TK_INITIAL), v = word("vladimir", EMB_TK_WORD);
  assert_true(emb__token_sim(&i, &v, &how) > 0.5f);
  assert_int_equal(how, EMB_HOW_INITIAL);
  emb_ctok n2 = word("2", EMB_TK_NUMBER), n3 = word("3", EMB_TK_NUMBER);
  assert_true(emb__token_sim(&n2, &n3, &how) == 0.0f);
  emb_ctok l1 = word("llc", EMB_TK_LEGAL), w = word("llc", EMB_TK_WORD);
  assert_true(emb__token_sim(&l1, &w, &how) == 0.0f);
  /* Short words tolerate no edits: "ali" is not "ari". */
  emb_ctok x = word("ali", EMB_TK_WORD), y = word("ari", EMB_TK_WORD);
  assert_true(emb__token_sim(&x, &y, &how) == 0.0f);
}

static void test_alignment_properties(void **state) {
  (void)state;
  emb_alignment al;
  emb_ctok q[2] = {word("vladimir", EMB_TK_WORD), word("putin", EMB_TK_WORD)};
  emb_ctok c[3] = {word("putin", EMB_TK_WORD), word("vladimir", EMB_TK_WORD),
                   word("vladimirovich", EMB_TK_WORD)};
  /* Word order does not matter; an extra patronymic costs something. */
  float s_same = emb__score_names(q, 2, c, 2, true, NULL, &al);
  assert_true(s_same > 0.999f);
  float s_extra = emb__score_names(q, 2, c, 3, true, NULL, &al);
  assert_true(s_extra < s_same && s_extra > 0.7f);
  /* The same extra word costs more in an organisation name. */
  float s_org = emb__score_names(q, 2, c, 3, false, NULL, &al);
  assert_true(s_org < s_extra);
  /* A substituted name part is strong evidence against. */
  emb_ctok d[2] = {word("vladimir", EMB_TK_WORD), word("medvedev", EMB_TK_WORD)};
  float s_sub = emb__score_names(q, 2, d, 2, true, NULL, &al);
  assert_true(al.substitution);
  assert_true(s_sub < 0.5f);
  /* Written together: "vladimirputin" against "vladimir putin". */
  emb_ctok j[1] = {word("vladimirputin", EMB_TK_WORD)};
  float s_join = emb__score_names(j, 1, q, 2, true, NULL, &al);
  assert_true(s_join > 0.85f);
  assert_int_equal(al.pairs[0].how, EMB_HOW_JOINED);
  /* Differing numbers. */
  emb_ctok v2[2] = {word("navigator", EMB_TK_WORD), word("2", EMB_TK_NUMBER)};
  emb_ctok v3[2] = {word("navigator", EMB_TK_WORD), word("3", EMB_TK_NUMBER)};
  emb__score_names(v2, 2, v3, 2, false, NULL, &al);
  assert_true(al.number_conflict);
  assert_true(al.score < 0.6f);
}

/* The letter-set bound is a lower bound of the edit distance. */
static void test_letter_bound(void **state) {
  (void)state;
  srand(11);
  char a[24], b[24];
  for (int t = 0; t < 100000; t++) {
    int la = rand() % 20, lb = rand() % 20;
    for (int i = 0; i < la; i++)
      a[i] = (char)('a' + rand() % 8);
    for (int i = 0; i < lb; i++)
      b[i] = (char)('a' + rand() % 8);
    uint32_t ma = emb__letter_mask(a, (size_t)la), mb = emb__letter_mask(b, (size_t)lb);
    int x = __builtin_popcount(ma & ~mb), y = __builtin_popcount(mb & ~ma);
    int d = osa(a, la, b, lb);
    assert_true(x <= d && y <= d);
  }
  assert_int_equal(emb__letter_mask("abc", 3), emb__letter_mask("cab", 3));
  assert_int_not_equal(emb__phon_hash(""), 0);
  assert_int_equal(emb__variant_bits(NULL, 0), 0);
}

/* A random word over a small alphabet (so that words are often close) with its phonetic key
 * and up to three variant ids from a small range (so that they often share one). */
typedef struct rword {
  char text[16];
  char phon[32];
  uint32_t variants[3];
  emb_ctok t;
} rword;

static void random_word(rword *w, bool summaries) {
  static const char letters[] = "aeiklmnrsu";
  size_t len = 1 + (size_t)(rand() % 12);
  for (size_t i = 0; i < len; i++)
    w->text[i] = letters[rand() % 10];
  w->text[len] = '\0';
  emb_phonetic_key(w->text, len, w->phon, sizeof(w->phon));
  size_t nv = (size_t)(rand() % 4);
  uint32_t v = (uint32_t)(rand() % 5);
  for (size_t i = 0; i < nv; i++) {
    w->variants[i] = v;
    v += 1 + (uint32_t)(rand() % 4);
  }
  int r = rand() % 10;
  uint8_t kind = r == 0 ? EMB_TK_INITIAL : r == 1 ? EMB_TK_STOP : EMB_TK_WORD;
  uint8_t origin = rand() % 4 == 0 ? EMB_TO_TRANSLIT : EMB_TO_ASIS;
  w->t = (emb_ctok){.text = w->text,
                    .len = (uint16_t)len,
                    .kind = kind,
                    .origin = origin,
                    .phon = w->phon,
                    .variants = nv ? w->variants : NULL,
                    .n_variants = (uint16_t)nv,
                    .weight = 1.0f,
                    .id = UINT32_MAX};
  if (summaries) {
    w->t.letters = emb__letter_mask(w->text, len);
    w->t.phon_hash = emb__phon_hash(w->phon);
    w->t.variant_bits = emb__variant_bits(w->t.variants, nv);
  }
}

/* The same pairs with and without the summaries: the same similarity and the same how, and
 * the same name scores and alignments. */
static void test_summaries_change_nothing(void **state) {
  (void)state;
  srand(13);
  for (int t = 0; t < 200000; t++) {
    int seed = rand();
    rword a, b, a2, b2;
    srand((unsigned)seed);
    random_word(&a, true);
    random_word(&b, true);
    srand((unsigned)seed);
    random_word(&a2, false);
    random_word(&b2, false);
    emb_how h1, h2;
    float s1 = emb__token_sim(&a.t, &b.t, &h1), s2 = emb__token_sim(&a2.t, &b2.t, &h2);
    assert_true(s1 == s2);
    assert_int_equal(h1, h2);
    srand((unsigned)seed + 1u);
  }
  for (int t = 0; t < 20000; t++) {
    int seed = rand();
    rword q[4], c[5], q2[4], c2[5];
    emb_ctok qt[4], ct[5], qt2[4], ct2[5];
    size_t nq = 1 + (size_t)(seed % 4), nc = 1 + (size_t)((seed / 4) % 5);
    srand((unsigned)seed);
    for (size_t i = 0; i < nq; i++)
      random_word(&q[i], true), qt[i] = q[i].t;
    for (size_t i = 0; i < nc; i++)
      random_word(&c[i], true), ct[i] = c[i].t;
    srand((unsigned)seed);
    for (size_t i = 0; i < nq; i++)
      random_word(&q2[i], false), qt2[i] = q2[i].t;
    for (size_t i = 0; i < nc; i++)
      random_word(&c2[i], false), ct2[i] = c2[i].t;
    emb_alignment al1, al2;
    bool person = seed % 2;
    float s1 = emb__score_names(qt, nq, ct, nc, person, NULL, &al1);
    float s2 = emb__score_names(qt2, nq, ct2, nc, person, NULL, &al2);
    assert_true(s1 == s2);
    assert_int_equal(al1.n_pairs, al2.n_pairs);
    for (size_t k = 0; k < al1.n_pairs; k++) {
      assert_int_equal(al1.pairs[k].q, al2.pairs[k].q);
      assert_int_equal(al1.pairs[k].c, al2.pairs[k].c);
      assert_int_equal(al1.pairs[k].how, al2.pairs[k].how);
    }
    assert_int_equal(al1.substitution, al2.substitution);
    srand((unsigned)seed + 1u);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_edit_distance_matches_reference),
      cmocka_unit_test(test_token_sim_kinds),
      cmocka_unit_test(test_alignment_properties),
      cmocka_unit_test(test_letter_bound),
      cmocka_unit_test(test_summaries_change_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
