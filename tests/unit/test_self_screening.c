/*
 * test_self_screening.c - the self-screening test of issue 3, verbatim: every primary name
 * and every strong alias of every entity in the bundled lists, queried exactly as written,
 * returns its own entity marked as a match and with the top score, for 100% of names. Ties
 * are allowed (several entities may carry the same name). The same holds for the Latin
 * transliteration of every non-Latin name.
 *
 * All bundled lists (data/lists: OFAC SDN and non-SDN, UN, UK, CSL, DPL; see
 * data/NOTICE.md) are loaded into one set and one matcher is built with the default
 * options. Each name is queried with schema UNKNOWN and no other field; a query string that
 * several entities carry (the CSL repeats the SDN list) runs once for all of them, with room
 * for ties (all of them when the first results all tie). A failure falls in one of three
 * classes: the entity is not among the results at all ("missing"), another entity scores
 * higher ("outranked"), or it has the top score but below the threshold ("below
 * threshold"). The first failures are printed with the top results so that the method can
 * be fixed; the test fails if there is any. The test runs from the repository root (where
 * `make unit` runs it), as the bundled paths are relative.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/buf.h"
#include "embargo.h"
#include "text/analyze.h"

/* The bundled lists, relative to the repository root. */
static const char *const lists[] = {
    "data/lists/ofac/sdn",
    "data/lists/ofac/cons",
    "data/lists/un/consolidated-2026-02-27.xml",
    "data/lists/uk/ConList-2023-06-05.csv.gz",
    "data/lists/us/csl-2022-05.csv.gz",
    "data/lists/us/bis-dpl-2023-11.txt",
};
#define N_LISTS (sizeof(lists) / sizeof(lists[0]))

#define LIMIT 5         /* results asked for first: room for the usual ties */
#define LIMIT_TIES 1000 /* asked again when the first LIMIT results all tie (the library caps it) */
#define MAX_PRINTED 50  /* failing names printed in full */

static emb_entity_set *set;
static emb_matcher *matcher;
static emb_match_ctx *ctx;
static emb_analyzer *latin; /* for emb_text_to_latin */

static int setup(void **state) {
  (void)state;
  set = emb_set_new();
  if (!set)
    return -1;
  for (size_t i = 0; i < N_LISTS; i++) {
    emb_diags d;
    emb_diags_init(&d);
    int rc = emb_load(set, lists[i], &d);
    if (rc)
      fprintf(stderr, "loading %s: %s (%zu errors)\n", lists[i], emb_strerror(rc), d.n_errors);
    emb_diags_fini(&d);
    if (rc)
      return -1;
  }
  emb_matcher_opts o = emb_matcher_opts_default();
  if (emb_matcher_new(set, &o, &matcher) || emb_match_ctx_new(matcher, &ctx))
    return -1;
  emb_analyzer_opts ao = emb_analyzer_opts_default();
  ao.variants_path = ""; /* transliteration needs no variant table */
  return emb_analyzer_new(&ao, &latin);
}

static int teardown(void **state) {
  (void)state;
  emb_analyzer_free(latin);
  emb_match_ctx_free(ctx);
  emb_matcher_free(matcher);
  emb_set_free(set);
  return 0;
}

typedef enum { OK = 0, MISSING, OUTRANKED, BELOW_THRESHOLD, N_OUTCOMES } outcome;
static const char *const outcome_names[] = {"ok", "missing", "outranked", "below threshold"};

typedef struct tally {
  size_t queries;          /* names queried as written */
  size_t translit_queries; /* Latin forms of non-Latin names queried */
  size_t distinct;         /* distinct query strings run */
  size_t by_outcome[N_OUTCOMES];
  size_t translit_failures;
  size_t ties;             /* passes where another entity shares the top score */
  size_t printed;
} tally;

/* One check: entity `entity` must come first (ties allowed) for `query`, which is name
 * `name` of it as written or its Latin form. */
typedef struct check {
  const char *query; /* the name as written (owned by the set) or a Latin form (malloc'ed) */
  uint32_t entity;
  uint32_t name;
  bool translit;
} check;

static int cmp_check(const void *a, const void *b) {
  const check *x = a, *y = b;
  int c = strcmp(x->query, y->query);
  if (c)
    return c;
  return (x->entity > y->entity) - (x->entity < y->entity);
}

/* Runs a query with `limit` results; returns the results and their count. */
static const emb_match_result *run(const char *name, size_t limit, size_t *n) {
  const emb_match_result *res;
  assert_int_equal(emb_match(ctx, &(emb_query){.name = name}, limit, &res, n), 0);
  return res;
}

/* Judges entity e against results res[0..n). */
static outcome judge(const emb_entity *e, const emb_match_result *res, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (res[i].entity != e)
      continue;
    if (res[i].score < res[0].score)
      return OUTRANKED;
    return res[i].match ? OK : BELOW_THRESHOLD;
  }
  return MISSING;
}

static void report(tally *t, const emb_entity *e, const emb_name *nm, const char *query,
                   bool translit, outcome o, const emb_match_result *res, size_t n) {
  t->by_outcome[o]++;
  if (translit)
    t->translit_failures++;
  if (t->printed >= MAX_PRINTED)
    return;
  t->printed++;
  double own = -1.0;
  for (size_t i = 0; i < n; i++)
    if (res[i].entity == e)
      own = res[i].score;
  fprintf(stderr, "FAIL %s: %s [%s %s %s%s] query \"%s\"", outcome_names[o], e->id,
          emb_name_kind_name(nm->kind), nm->strength == EMB_WEAK ? "weak" : "strong",
          nm->script ? nm->script : "-", translit ? ", Latin form" : "", query);
  if (own >= 0.0)
    fprintf(stderr, " (own score %.4f)", own);
  fprintf(stderr, "\n");
  for (size_t i = 0; i < n && i < 3; i++)
    fprintf(stderr, "    %zu. %s \"%s\" %.4f%s\n", i + 1, res[i].entity->id,
            emb_entity_caption(res[i].entity), res[i].score, res[i].match ? " match" : "");
}

/* Collects every check: primary names and strong aliases as written, and the Latin form
 * of those not written in Latin. *n is set to their count; free with free_checks(). */
static check *collect(tally *t, size_t *n) {
  size_t cap = 1024, k = 0;
  check *v = malloc(cap * sizeof(check));
  assert_non_null(v);
  emb_buf lat;
  emb__buf_init(&lat, 1 << 20);
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    for (size_t j = 0; j < e->n_names; j++) {
      const emb_name *nm = &e->names[j];
      if (nm->kind != EMB_NAME_PRIMARY && nm->strength != EMB_STRONG)
        continue;
      if (k + 2 > cap) {
        cap *= 2;
        v = realloc(v, cap * sizeof(check));
        assert_non_null(v);
      }
      v[k++] = (check){nm->full, (uint32_t)i, (uint32_t)j, false};
      t->queries++;
      if (!nm->script || strcmp(nm->script, "Latn") == 0)
        continue;
      emb__buf_reset(&lat);
      assert_int_equal(emb_text_to_latin(latin, nm->full, strlen(nm->full), &lat), 0);
      if (strcmp(emb__buf_str(&lat), nm->full) == 0)
        continue; /* digits, punctuation: nothing to transliterate */
      char *q = strdup(emb__buf_str(&lat));
      assert_non_null(q);
      v[k++] = (check){q, (uint32_t)i, (uint32_t)j, true};
      t->translit_queries++;
    }
  }
  emb__buf_fini(&lat);
  *n = k;
  return v;
}

static void free_checks(check *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (v[i].translit)
      free((char *)v[i].query);
  free(v);
}

static void test_self_screening(void **state) {
  (void)state;
  size_t n_entities = emb_set_count(set);
  /* All six lists are there: a few tens of thousands of entities. */
  assert_int_equal(emb_set_source_count(set), N_LISTS);
  assert_true(n_entities > 20000);
  tally t = {0};
  clock_t t0 = clock();
  size_t nc;
  check *v = collect(&t, &nc);
  /* Equal query strings give equal results (test_match checks determinism): each distinct
   * string runs once, for every entity that carries it. */
  qsort(v, nc, sizeof(check), cmp_check);
  for (size_t g = 0; g < nc;) {
    size_t end = g + 1;
    while (end < nc && strcmp(v[end].query, v[g].query) == 0)
      end++;
    size_t n;
    const emb_match_result *res = run(v[g].query, LIMIT, &n);
    t.distinct++;
    bool wider = false;
    for (size_t i = g; i < end; i++) {
      const emb_entity *e = emb_set_get(set, v[i].entity);
      outcome o = judge(e, res, n);
      if (o == MISSING && !wider && n == LIMIT && res[n - 1].score == res[0].score) {
        /* Every result shown ties at the top: ask for all of them. */
        res = run(v[g].query, LIMIT_TIES, &n);
        wider = true;
        o = judge(e, res, n);
      }
      if (o != OK)
        report(&t, e, &e->names[v[i].name], v[i].query, v[i].translit, o, res, n);
      else
        t.ties += n > 1 && res[1].score == res[0].score;
    }
    g = end;
  }
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  free_checks(v, nc);
  size_t failures = t.by_outcome[MISSING] + t.by_outcome[OUTRANKED] + t.by_outcome[BELOW_THRESHOLD];
  fprintf(stderr,
          "self-screening: %zu entities, %zu names as written + %zu Latin forms (%zu distinct "
          "queries) in %.1f s; %zu failures (missing %zu, outranked %zu, below threshold %zu; "
          "%zu of them Latin forms); %zu passes tie with another entity\n",
          n_entities, t.queries, t.translit_queries, t.distinct, secs, failures,
          t.by_outcome[MISSING], t.by_outcome[OUTRANKED], t.by_outcome[BELOW_THRESHOLD],
          t.translit_failures, t.ties);
  /* The loop really ran over the lists: at least one name per entity. */
  assert_true(t.queries >= n_entities);
  assert_true(t.translit_queries > 1000);
  assert_true(t.distinct > t.queries / 2);
  assert_int_equal(failures, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_self_screening),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
