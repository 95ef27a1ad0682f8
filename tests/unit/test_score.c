/*
 * test_score.c - the scorer's building blocks: the banded edit distance against a
 * brute-force reference, token similarity kinds, and alignment properties.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_edit_distance_matches_reference),
      cmocka_unit_test(test_token_sim_kinds),
      cmocka_unit_test(test_alignment_properties),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
