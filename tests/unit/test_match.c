/*
 * test_match.c - the matcher through the public API (embargo.h) on a small real list, the
 * UN consolidated list of 2026-02-27: ordering of results, near misses, the effect of each
 * kind of secondary evidence (birth date, identifier, schema, nationality, gender), the
 * explanation JSON against docs/MATCHING.md, determinism, the threshold option, other
 * scripts and look-alike letters, and odd input (empty, punctuation only, 100 KB names,
 * invalid UTF-8).
 *
 * The lead tunes the constants of the method; these tests assert orderings and relations
 * (a matching birth date raises the score, a distant one lowers it) and the documented
 * structure, not the constants themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/input.h"
#include "embargo.h"

#ifndef EMB_TEST_DATA
#define EMB_TEST_DATA "/work/shared/data"
#endif
#define UN EMB_TEST_DATA "/lists/un/consolidated-2026-02-27.xml"

/* un:6908012, a person: born 1971-05-23, male, nationality CD, passport "OB 0243318";
 * aliases "Floribert Njabu Ngabu", "Floribert Ndjabu", "Floribert Ngabu Ndjabu". */
#define FLORIBERT "un:6908012"
#define FLORIBERT_NAME "FLORIBERT NGABU NJABU"
#define FLORIBERT_TYPO "FLORIBERT NGABU NJABOU" /* scores below 1 without other evidence */
/* The UN list carries this person twice, under two ids. */
#define AWEYS "HASSAN DAHIR AWEYS"
#define AWEYS_1 "un:111944"
#define AWEYS_2 "un:6908034"

static emb_entity_set *set;
static emb_matcher *matcher;
static emb_match_ctx *ctx;

static int setup(void **state) {
  (void)state;
  set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  int rc = emb_load(set, UN, &d);
  emb_diags_fini(&d);
  if (rc)
    return -1;
  emb_matcher_opts o = emb_matcher_opts_default();
  if (emb_matcher_new(set, &o, &matcher) || emb_match_ctx_new(matcher, &ctx))
    return -1;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  emb_match_ctx_free(ctx);
  emb_matcher_free(matcher);
  emb_set_free(set);
  return 0;
}

/* ------------------------------------------------------------------ helpers */

/* A result copied out of the context (results are valid only until the next query). */
typedef struct res {
  const emb_entity *entity;
  double score;
  bool match;
  char *explanation;
} res;

typedef struct run {
  res items[64];
  size_t n;
} run;

static void run_free(run *r) {
  for (size_t i = 0; i < r->n; i++)
    free(r->items[i].explanation);
  r->n = 0;
}

/* Runs q on context c and copies the results into r; returns emb_match's code. */
static int query_on(emb_match_ctx *c, const emb_query *q, size_t limit, run *r) {
  const emb_match_result *res_;
  size_t n = 99999;
  int rc = emb_match(c, q, limit, &res_, &n);
  r->n = 0;
  if (rc)
    return rc;
  assert_true(n <= limit);
  assert_true(n <= sizeof(r->items) / sizeof(r->items[0]));
  for (size_t i = 0; i < n; i++) {
    assert_non_null(res_[i].entity);
    assert_non_null(res_[i].explanation);
    r->items[i] = (res){res_[i].entity, res_[i].score, res_[i].match, strdup(res_[i].explanation)};
  }
  r->n = n;
  return 0;
}

static void query(const emb_query *q, size_t limit, run *r) {
  assert_int_equal(query_on(ctx, q, limit, r), 0);
}

static void query_name(const char *name, size_t limit, run *r) {
  query(&(emb_query){.name = name}, limit, r);
}

/* The result for entity `id`, or NULL. */
static const res *find(const run *r, const char *id) {
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->items[i].entity->id, id) == 0)
      return &r->items[i];
  return NULL;
}

/* Score of entity `id` for query q; fails the test when it is not among the results. */
static double score_of(const emb_query *q, const char *id) {
  run r;
  query(q, 20, &r);
  const res *x = find(&r, id);
  if (!x)
    fail_msg("%s not found for \"%s\"", id, q->name);
  double s = x->score;
  run_free(&r);
  return s;
}

/* The effect of the first evidence item of `kind` in an explanation; false when none. */
static bool evidence_effect(const char *expl, const char *kind, double *effect) {
  json_error_t err;
  json_t *j = json_loads(expl, 0, &err);
  assert_non_null(j);
  json_t *ev = json_object_get(j, "evidence");
  assert_true(json_is_array(ev));
  bool found = false;
  size_t i;
  json_t *x;
  json_array_foreach(ev, i, x) {
    if (!found && strcmp(json_string_value(json_object_get(x, "kind")), kind) == 0) {
      *effect = json_number_value(json_object_get(x, "effect"));
      found = true;
    }
  }
  json_decref(j);
  return found;
}

/* Checks what every run must satisfy: sorted by score then id, scores in [0, 1], the
 * match flag exactly the threshold decision. */
static void check_order(const run *r) {
  double t = emb_matcher_threshold(matcher);
  for (size_t i = 0; i < r->n; i++) {
    const res *x = &r->items[i];
    assert_true(x->score >= 0.0 && x->score <= 1.0);
    assert_int_equal(x->match, x->score >= t);
    if (i == 0)
      continue;
    const res *p = &r->items[i - 1];
    assert_true(p->score >= x->score);
    if (p->score == x->score)
      assert_true(strcmp(p->entity->id, x->entity->id) < 0);
    for (size_t k = 0; k < i; k++) /* one result per entity */
      assert_true(r->items[k].entity != x->entity);
  }
}

/* ------------------------------------------------------------------ ordering */

static const char *const some_queries[] = {
    FLORIBERT_NAME,
    FLORIBERT_TYPO,
    AWEYS,
    "Hassan Mohamed",
    "Abdul Rahman",
    "Al",
    "Ali Muhammad",
    "JAMIL MUKULU",
    "Floribert Smith",
    "LORD'S RESISTANCE ARMY",
    "Ahmad Khan",
    "Флориберт Нгабу",
    "محمد",
    "Kim Jong",
    "Mohammed bin Abdullah al Saud",
    "Lashkar e Tayyiba",
    "a b c",
};
#define N_SOME (sizeof(some_queries) / sizeof(some_queries[0]))

static void test_sorted(void **state) {
  (void)state;
  size_t total = 0;
  for (size_t k = 0; k < N_SOME; k++) {
    run r;
    query_name(some_queries[k], 20, &r);
    check_order(&r);
    total += r.n;
    run_free(&r);
  }
  assert_true(total > 3 * N_SOME); /* the queries found things to order */
}

static void test_exact_name(void **state) {
  (void)state;
  run r;
  query_name(FLORIBERT_NAME, 5, &r);
  assert_true(r.n >= 1);
  assert_string_equal(r.items[0].entity->id, FLORIBERT);
  assert_true(r.items[0].match);
  assert_true(r.items[0].score > 0.99);
  /* The explanation names the listed name that met the query. */
  assert_non_null(strstr(r.items[0].explanation, "\"candidate\":\"" FLORIBERT_NAME "\""));
  run_free(&r);
  /* Other word order, case and punctuation. */
  query_name("Njabu, Floribert Ngabu", 5, &r);
  assert_true(r.n >= 1);
  assert_string_equal(r.items[0].entity->id, FLORIBERT);
  assert_true(r.items[0].match);
  run_free(&r);
}

static void test_ties_by_id(void **state) {
  (void)state;
  run r;
  query_name(AWEYS, 5, &r);
  assert_true(r.n >= 2);
  assert_string_equal(r.items[0].entity->id, AWEYS_1);
  assert_string_equal(r.items[1].entity->id, AWEYS_2);
  assert_true(r.items[0].score == r.items[1].score);
  assert_true(r.items[0].match && r.items[1].match);
  check_order(&r);
  run_free(&r);
}

static void test_limit(void **state) {
  (void)state;
  run r;
  query_name("Hassan Mohamed", 1, &r);
  assert_int_equal(r.n, 1);
  run_free(&r);
  query_name("Hassan Mohamed", 0, &r);
  assert_int_equal(r.n, 0);
  run_free(&r);
  run a, b;
  query_name("Hassan Mohamed", 3, &a);
  query_name("Hassan Mohamed", 10, &b);
  assert_int_equal(a.n, 3);
  assert_true(b.n > 3);
  for (size_t i = 0; i < a.n; i++) { /* a prefix of the longer list */
    assert_ptr_equal(a.items[i].entity, b.items[i].entity);
    assert_true(a.items[i].score == b.items[i].score);
  }
  run_free(&a);
  run_free(&b);
}

/* Names that share a part with listed names, not enough for a match: listed as near
 * misses (match = false), or below the reporting floor and not listed at all. */
static void test_near_misses(void **state) {
  (void)state;
  run r;
  /* The family name alone of a three-word name. */
  query_name("Njabu", 10, &r);
  const res *x = find(&r, FLORIBERT);
  assert_non_null(x);
  assert_false(x->match);
  check_order(&r);
  run_free(&r);
  /* Two unknown words added to a listed name: a near miss at most. */
  static const char *const queries[] = {"Floribert Ngabu Smith Jones", "Hassan Aweys Smith",
                                        "Floribert Smith", "Ngabu Cranha"};
  size_t near = 0;
  for (size_t k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
    query_name(queries[k], 10, &r);
    for (size_t i = 0; i < r.n; i++) {
      assert_false(r.items[i].match);
      near++;
    }
    check_order(&r);
    run_free(&r);
  }
  assert_true(near >= 2);
}

/* ------------------------------------------------------------------ evidence */

static void test_birth_date(void **state) {
  (void)state;
  double effect;
  double s0 = score_of(&(emb_query){.name = FLORIBERT_TYPO}, FLORIBERT);
  assert_true(s0 > 0.5 && s0 < 0.97); /* room to go up and down */
  double day =
      score_of(&(emb_query){.name = FLORIBERT_TYPO, .birth_date = "1971-05-23"}, FLORIBERT);
  double year = score_of(&(emb_query){.name = FLORIBERT_TYPO, .birth_date = "1971"}, FLORIBERT);
  double far =
      score_of(&(emb_query){.name = FLORIBERT_TYPO, .birth_date = "1965-05-23"}, FLORIBERT);
  double far_y = score_of(&(emb_query){.name = FLORIBERT_TYPO, .birth_date = "1969"}, FLORIBERT);
  double month =
      score_of(&(emb_query){.name = FLORIBERT_TYPO, .birth_date = "1971-11-02"}, FLORIBERT);
  double junk =
      score_of(&(emb_query){.name = FLORIBERT_TYPO, .birth_date = "not a date"}, FLORIBERT);
  assert_true(day > s0);
  assert_true(year > s0);
  assert_true(day >= year); /* a full date agrees more than a year */
  assert_true(far < s0);
  assert_true(far_y < s0);
  assert_true(month < year); /* same year, other month: less than the year alone */
  assert_true(junk == s0);   /* what cannot be read says nothing */

  /* The explanation carries the effect with its sign. */
  run r;
  query(&(emb_query){.name = FLORIBERT_TYPO, .birth_date = "1965"}, 5, &r);
  const res *x = find(&r, FLORIBERT);
  assert_non_null(x);
  assert_true(evidence_effect(x->explanation, "birth_date", &effect));
  assert_true(effect < 0.0);
  run_free(&r);
  query(&(emb_query){.name = FLORIBERT_TYPO, .birth_date = "23.05.1971"}, 5, &r);
  x = find(&r, FLORIBERT);
  assert_non_null(x);
  assert_true(evidence_effect(x->explanation, "birth_date", &effect));
  assert_true(effect > 0.0);
  assert_true(x->score == day); /* the same date written another way */
  run_free(&r);
}

static void test_identifier(void **state) {
  (void)state;
  static const emb_query_id pass = {NULL, "OB 0243318"};
  static const emb_query_id pass_typed = {"passport", "ob-0243318"};
  static const emb_query_id pass_wrong_type = {"inn", "OB0243318"};
  static const emb_query_id other = {NULL, "OB 0243319"};
  /* A poor name: only the family name and an initial. */
  const char *poor = "F. Njabu";
  double s0 = score_of(&(emb_query){.name = poor}, FLORIBERT);
  assert_true(s0 < 0.99);
  double with = score_of(&(emb_query){.name = poor, .ids = &pass, .n_ids = 1}, FLORIBERT);
  double typed = score_of(&(emb_query){.name = poor, .ids = &pass_typed, .n_ids = 1}, FLORIBERT);
  double wrong_type =
      score_of(&(emb_query){.name = poor, .ids = &pass_wrong_type, .n_ids = 1}, FLORIBERT);
  double wrong = score_of(&(emb_query){.name = poor, .ids = &other, .n_ids = 1}, FLORIBERT);
  assert_true(with >= 0.99);
  assert_true(typed >= 0.99);
  assert_true(wrong_type == s0);
  assert_true(wrong == s0);

  run r;
  query(&(emb_query){.name = poor, .ids = &pass, .n_ids = 1}, 5, &r);
  assert_string_equal(r.items[0].entity->id, FLORIBERT);
  assert_true(r.items[0].match);
  double effect;
  assert_true(evidence_effect(r.items[0].explanation, "identifier", &effect));
  run_free(&r);
}

static void test_schema(void **state) {
  (void)state;
  double effect;
  double s0 = score_of(&(emb_query){.name = FLORIBERT_TYPO}, FLORIBERT);
  double person =
      score_of(&(emb_query){.name = FLORIBERT_TYPO, .schema = EMB_SCHEMA_PERSON}, FLORIBERT);
  double org =
      score_of(&(emb_query){.name = FLORIBERT_TYPO, .schema = EMB_SCHEMA_ORGANIZATION}, FLORIBERT);
  double vessel =
      score_of(&(emb_query){.name = FLORIBERT_TYPO, .schema = EMB_SCHEMA_VESSEL}, FLORIBERT);
  assert_true(person >= s0);
  assert_true(org < s0);
  assert_true(vessel < s0);
  run r;
  query(&(emb_query){.name = FLORIBERT_TYPO, .schema = EMB_SCHEMA_COMPANY}, 5, &r);
  const res *x = find(&r, FLORIBERT);
  if (x) { /* may have dropped out of the results altogether */
    assert_true(evidence_effect(x->explanation, "schema", &effect));
    assert_true(effect < 0.0);
    assert_true(x->score < s0);
  }
  run_free(&r);
}

static void test_country_gender(void **state) {
  (void)state;
  double s0 = score_of(&(emb_query){.name = FLORIBERT_TYPO}, FLORIBERT);
  double same_code = score_of(&(emb_query){.name = FLORIBERT_TYPO, .nationality = "CD"}, FLORIBERT);
  double same_name = score_of(
      &(emb_query){.name = FLORIBERT_TYPO, .nationality = "Democratic Republic of the Congo"},
      FLORIBERT);
  double other =
      score_of(&(emb_query){.name = FLORIBERT_TYPO, .nationality = "Germany"}, FLORIBERT);
  double male = score_of(&(emb_query){.name = FLORIBERT_TYPO, .gender = "male"}, FLORIBERT);
  double female = score_of(&(emb_query){.name = FLORIBERT_TYPO, .gender = "female"}, FLORIBERT);
  assert_true(same_code >= s0);
  assert_true(same_name == same_code);
  assert_true(other < s0);
  assert_true(male == s0);
  assert_true(female < s0);
  /* All the evidence together against: far below the name alone, or below the floor
   * under which nothing is reported. */
  run r;
  query(
      &(emb_query){
          .name = FLORIBERT_TYPO, .birth_date = "1950", .nationality = "DE", .gender = "f"},
      10, &r);
  const res *x = find(&r, FLORIBERT);
  if (x) {
    assert_true(x->score < other && x->score < female);
    assert_false(x->match);
  }
  run_free(&r);
}

/* ------------------------------------------------------------------ explanation */

static bool in_set(const char *s, const char *const *set_) {
  for (; *set_; set_++)
    if (strcmp(s, *set_) == 0)
      return true;
  return false;
}

static const char *const hows[] = {
    "exact",   "transliterated", "variant",    "fuzzy",     "phonetic",
    "initial", "joined",         "legal_form", "unmatched", NULL};
static const char *const evidence_kinds[] = {"birth_date", "country", "gender", "identifier",
                                             "schema",     "alias",   NULL};
static const char *const name_kinds[] = {"primary", "alias", "former", "variation", NULL};

static const char *const flags[] = {"number_conflict", "legal_form_conflict", "substitution",
                                    "initials_only",   "order_conflict",      NULL};

static void check_flags(json_t *o) {
  for (size_t k = 0; flags[k]; k++) {
    json_t *f = json_object_get(o, flags[k]);
    assert_true(f == NULL || json_is_true(f)); /* present only when true */
  }
}

/* Fails on a member of o that docs/MATCHING.md does not document: keys from `known`, and
 * the flags when `with_flags`. */
static void check_keys(json_t *o, const char *const *known, bool with_flags) {
  const char *key;
  json_t *v;
  json_object_foreach(o, key, v) {
    (void)v;
    if (!in_set(key, known) && !(with_flags && in_set(key, flags)))
      fail_msg("undocumented member \"%s\" in an explanation", key);
  }
}

static const char *const top_keys[] = {"name", "evidence", "threshold", NULL};
static const char *const name_keys[] = {"query",  "candidate", "kind",   "strength",
                                        "script", "score",     "tokens", NULL};
static const char *const token_keys[] = {"query", "candidate", "how", "similarity", "weight", NULL};
static const char *const effect_keys[] = {"kind", "effect", "detail", NULL};
static const char *const compare_keys[] = {"score", "tokens", NULL};

/* Checks a token array as docs/MATCHING.md documents it. */
static void check_tokens(json_t *tokens) {
  assert_true(json_is_array(tokens));
  assert_true(json_array_size(tokens) > 0);
  size_t i;
  json_t *t;
  json_array_foreach(tokens, i, t) {
    check_keys(t, token_keys, false);
    json_t *q = json_object_get(t, "query"), *c = json_object_get(t, "candidate");
    const char *how = json_string_value(json_object_get(t, "how"));
    assert_non_null(how);
    if (!in_set(how, hows))
      fail_msg("undocumented how \"%s\"", how);
    assert_true(json_is_string(q) || json_is_null(q));
    assert_true(json_is_string(c) || json_is_null(c));
    assert_false(json_is_null(q) && json_is_null(c));
    assert_true(json_is_number(json_object_get(t, "weight")));
    assert_true(json_number_value(json_object_get(t, "weight")) >= 0.0);
    if (strcmp(how, "unmatched") == 0) {
      assert_true(json_is_null(q) != json_is_null(c)); /* one side only */
      assert_null(json_object_get(t, "similarity"));
    } else {
      assert_true(json_is_string(q) && json_is_string(c));
      double sim = json_number_value(json_object_get(t, "similarity"));
      assert_true(json_is_number(json_object_get(t, "similarity")));
      assert_true(sim > 0.0 && sim <= 1.0);
      if (strcmp(how, "exact") == 0 || strcmp(how, "transliterated") == 0)
        assert_true(sim == 1.0);
    }
  }
}

/* Checks one explanation of a result of query q for entity e with score `score`. */
static void check_explanation(const char *expl, const emb_query *q, const emb_entity *e,
                              double score) {
  json_error_t err;
  json_t *j = json_loads(expl, JSON_REJECT_DUPLICATES, &err);
  if (!j)
    fail_msg("explanation is not JSON (%s): %s", err.text, expl);
  assert_true(json_is_object(j));
  check_keys(j, top_keys, false);
  json_t *name = json_object_get(j, "name");
  assert_true(json_is_object(name));
  check_keys(name, name_keys, true);
  /* The query echoed as given; invalid UTF-8 in it may be replaced, never copied raw. */
  const char *echo = json_string_value(json_object_get(name, "query"));
  assert_non_null(echo);
  if (emb__utf8_check(q->name, strlen(q->name)) == strlen(q->name))
    assert_string_equal(echo, q->name);
  const char *cand = json_string_value(json_object_get(name, "candidate"));
  assert_non_null(cand);
  const emb_name *nm = NULL;
  for (size_t k = 0; k < e->n_names && !nm; k++)
    if (strcmp(e->names[k].full, cand) == 0)
      nm = &e->names[k];
  if (!nm)
    fail_msg("candidate \"%s\" is not a name of %s", cand, e->id);
  const char *kind = json_string_value(json_object_get(name, "kind"));
  assert_non_null(kind);
  assert_true(in_set(kind, name_kinds));
  const char *strength = json_string_value(json_object_get(name, "strength"));
  assert_non_null(strength);
  assert_true(strcmp(strength, "strong") == 0 || strcmp(strength, "weak") == 0);
  assert_true(json_is_string(json_object_get(name, "script")));
  double ns = json_number_value(json_object_get(name, "score"));
  assert_true(json_is_number(json_object_get(name, "score")));
  assert_true(ns >= 0.0 && ns <= 1.0);
  check_flags(name);
  check_tokens(json_object_get(name, "tokens"));

  json_t *ev = json_object_get(j, "evidence");
  assert_true(json_is_array(ev));
  double sum = 0.0;
  bool id = false;
  size_t i;
  json_t *x;
  json_array_foreach(ev, i, x) {
    check_keys(x, effect_keys, false);
    const char *k = json_string_value(json_object_get(x, "kind"));
    assert_non_null(k);
    if (!in_set(k, evidence_kinds))
      fail_msg("undocumented evidence kind \"%s\"", k);
    assert_true(json_is_number(json_object_get(x, "effect")));
    const char *detail = json_string_value(json_object_get(x, "detail"));
    assert_non_null(detail);
    assert_true(detail[0] != '\0');
    sum += json_number_value(json_object_get(x, "effect"));
    id |= strcmp(k, "identifier") == 0;
  }
  double t = json_number_value(json_object_get(j, "threshold"));
  assert_true(t > emb_matcher_threshold(matcher) - 0.005 &&
              t < emb_matcher_threshold(matcher) + 0.005);
  /* The score is the name score plus the effects, clamped; an identifier lifts it. */
  double expect = ns + sum;
  expect = expect < 0.0 ? 0.0 : expect > 1.0 ? 1.0 : expect;
  if (id)
    assert_true(score >= 0.99);
  else if (score < expect - 0.0015 || score > expect + 0.0015)
    fail_msg("score %.4f is not name %.4f + effects %.2f: %s", score, ns, sum, expl);
  json_decref(j);
}

static void test_explanation(void **state) {
  (void)state;
  static const emb_query_id pass = {"passport", "OB0243318"};
  const emb_query qs[] = {
      {.name = FLORIBERT_TYPO, .birth_date = "1971-05-23", .nationality = "CD", .gender = "male"},
      {.name = FLORIBERT_TYPO,
       .birth_date = "1940",
       .nationality = "Germany",
       .gender = "female",
       .schema = EMB_SCHEMA_ORGANIZATION},
      {.name = "F. Njabu", .ids = &pass, .n_ids = 1},
      {.name = "Hassan Mohamed", .birth_date = "1960"},
      {.name = "Флориберт Нгабу Нджабу"},
      {.name = "Njabu Floribert \"Ngabu\" \\ \x01"}, /* escapes in the query echo */
      {.name = "LORDS RESISTANCE ARMY LTD"},
      {.name = "Mr. J. Kony"},
      {.name = "AhmadKhan"},
      {.name = "Aweys", .nationality = "SO"},
      {.name = "Hassan Smith", .gender = "male"},
      {.name = "Njabu", .birth_date = "1971-05", .schema = EMB_SCHEMA_PERSON},
      {.name = "Abdul Rahman", .birth_date = "1970"},
      {.name = "Ali Muhammad"},
      {.name = "FLORIBERT\xFF NGABU \xC3( NJABU\xE2\x82"}, /* invalid UTF-8 */
  };
  size_t checked = 0;
  for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
    run r;
    query(&qs[k], 10, &r);
    for (size_t i = 0; i < r.n; i++, checked++)
      check_explanation(r.items[i].explanation, &qs[k], r.items[i].entity, r.items[i].score);
    run_free(&r);
  }
  assert_true(checked >= 20);
}

static void test_compare_names(void **state) {
  (void)state;
  static const char *const names[] = {"Vladimir Putin", "ООО Ромашка", "Banco Nacional de Cuba",
                                      "Kim Jong Un",    "NAVIGATOR 2", "Al-Qaida"};
  for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
    double s;
    const char *expl;
    assert_int_equal(emb_compare_names(ctx, EMB_SCHEMA_UNKNOWN, names[k], names[k], &s, &expl), 0);
    assert_true(s > 0.99);
  }
  double s, s_rev;
  const char *expl;
  assert_int_equal(
      emb_compare_names(ctx, EMB_SCHEMA_PERSON, "Vladimir Putin", "PUTIN, Vladimir V.", &s, &expl),
      0);
  json_error_t err;
  json_t *j = json_loads(expl, JSON_REJECT_DUPLICATES, &err);
  assert_non_null(j);
  double js = json_number_value(json_object_get(j, "score"));
  assert_true(js > s - 0.0001 && js < s + 0.0001);
  check_keys(j, compare_keys, true);
  check_flags(j);
  check_tokens(json_object_get(j, "tokens"));
  json_decref(j);
  assert_int_equal(emb_compare_names(ctx, EMB_SCHEMA_PERSON, "PUTIN, Vladimir V.", "Vladimir Putin",
                                     &s_rev, &expl),
                   0);
  assert_true(s_rev > s - 0.02 && s_rev < s + 0.02); /* about symmetric */
  /* Different numbers: a conflict, flagged. */
  assert_int_equal(
      emb_compare_names(ctx, EMB_SCHEMA_VESSEL, "NAVIGATOR 2", "NAVIGATOR 3", &s, &expl), 0);
  assert_non_null(strstr(expl, "\"number_conflict\":true"));
  assert_true(s < emb_matcher_threshold(matcher));
  /* Nothing to compare. */
  assert_int_equal(emb_compare_names(ctx, EMB_SCHEMA_UNKNOWN, "", "Putin", &s, &expl), 0);
  assert_true(s == 0.0);
  assert_int_equal(emb_compare_names(ctx, EMB_SCHEMA_UNKNOWN, "...", "---", &s, &expl), 0);
  assert_true(s == 0.0);
  assert_int_equal(emb_compare_names(ctx, EMB_SCHEMA_UNKNOWN, NULL, "Putin", &s, &expl),
                   EMB_EINVAL);
}

/* ------------------------------------------------------------------ determinism */

static void assert_same(const run *a, const run *b) {
  assert_int_equal(a->n, b->n);
  for (size_t i = 0; i < a->n; i++) {
    assert_ptr_equal(a->items[i].entity, b->items[i].entity);
    assert_true(a->items[i].score == b->items[i].score);
    assert_int_equal(a->items[i].match, b->items[i].match);
    assert_string_equal(a->items[i].explanation, b->items[i].explanation);
  }
}

static void test_determinism(void **state) {
  (void)state;
  emb_match_ctx *c2;
  assert_int_equal(emb_match_ctx_new(matcher, &c2), 0);
  run first[N_SOME];
  for (size_t k = 0; k < N_SOME; k++)
    query_name(some_queries[k], 10, &first[k]);
  /* Again, in reverse order (other queries in between), on both contexts. */
  for (size_t k = N_SOME; k-- > 0;) {
    run again, other;
    query_name(some_queries[k], 10, &again);
    assert_same(&first[k], &again);
    assert_int_equal(query_on(c2, &(emb_query){.name = some_queries[k]}, 10, &other), 0);
    assert_same(&first[k], &other);
    run_free(&again);
    run_free(&other);
  }
  for (size_t k = 0; k < N_SOME; k++)
    run_free(&first[k]);
  emb_match_ctx_free(c2);
}

/*
 * A context remembers recent word expansions and transliterations across queries. What it
 * remembers must never change a result: every query of a batch that repeats words in
 * several scripts (Latin, Cyrillic, Arabic, Han, Devanagari, kana, Hangul) gives, in one
 * long-lived context, exactly what it gives in a fresh context.
 */
static void test_memo_changes_nothing(void **state) {
  (void)state;
  static const char *const given[] = {"Floribert", "Hassan", "Mohamed", "Ali",  "Флориберт", "محمد",
                                      "近平",      "राम",    "ひろし",  "정은", "Abdul"};
  static const char *const family[] = {"Njabu", "Aweys", "Rahman", "Mukulu", "Нгабу", "العلي",
                                       "习",    "शर्मा",  "タナカ", "김",     "Khan"};
  const size_t ng = sizeof(given) / sizeof(given[0]), nf = sizeof(family) / sizeof(family[0]);
  emb_match_ctx *longlived;
  assert_int_equal(emb_match_ctx_new(matcher, &longlived), 0);
  char name[256];
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < ng; i++)
      for (size_t k = 0; k < nf; k++) {
        snprintf(name, sizeof(name), "%s %s", given[(i + (size_t)pass) % ng], family[k]);
        emb_query q = {.name = name, .schema = k % 3 == 0 ? EMB_SCHEMA_UNKNOWN : EMB_SCHEMA_PERSON};
        emb_match_ctx *fresh;
        assert_int_equal(emb_match_ctx_new(matcher, &fresh), 0);
        run a, b;
        assert_int_equal(query_on(longlived, &q, 10, &a), 0);
        assert_int_equal(query_on(fresh, &q, 10, &b), 0);
        assert_same(&a, &b);
        run_free(&a);
        run_free(&b);
        emb_match_ctx_free(fresh);
      }
  emb_match_ctx_free(longlived);
}

/* ------------------------------------------------------------------ scripts, evasion */

static void test_scripts_and_lookalikes(void **state) {
  (void)state;
  double plain = score_of(&(emb_query){.name = FLORIBERT_NAME}, FLORIBERT);
  /* Cyrillic Е and А inside Latin words, a zero-width space, odd spacing and punctuation. */
  double lookalike = score_of(&(emb_query){.name = "FLORIB\xD0\x95RT NG\xD0\x90"
                                                   "BU NJ\xD0\x90"
                                                   "BU"},
                              FLORIBERT);
  double zw = score_of(&(emb_query){.name = "FLORI\xE2\x80\x8B"
                                            "BERT  NGABU\t-NJABU."},
                       FLORIBERT);
  assert_true(lookalike == plain);
  assert_true(zw == plain);
  /* Written in Cyrillic: found first, and a match. */
  run r;
  query_name("Флориберт Нгабу Нджабу", 5, &r);
  assert_true(r.n >= 1);
  assert_string_equal(r.items[0].entity->id, FLORIBERT);
  assert_true(r.items[0].match);
  assert_non_null(strstr(r.items[0].explanation, "\"how\":\"transliterated\""));
  run_free(&r);
}

/* ------------------------------------------------------------------ odd input */

static void test_degenerate(void **state) {
  (void)state;
  static const char *const empties[] = {
      "",           " ",
      "   \t\r\n ", "...,,;;--",
      "'\"'`",      "\xE2\x80\x8B\xE2\x80\x8C\xC2\xAD",
      "()[]{}<>",   "\xEF\xBB\xBF",
      "!!!???",     "\xFF\xFE",
      "\xC0\x80",
  };
  for (size_t k = 0; k < sizeof(empties) / sizeof(empties[0]); k++) {
    run r;
    query_name(empties[k], 10, &r);
    assert_int_equal(r.n, 0);
  }
  const emb_match_result *res_;
  size_t n = 7;
  assert_int_equal(emb_match(ctx, &(emb_query){.name = NULL}, 5, &res_, &n), EMB_EINVAL);
  assert_int_equal(n, 0);
  assert_int_equal(emb_match(ctx, NULL, 5, &res_, &n), EMB_EINVAL);
  assert_int_equal(n, 0);
  /* Only stopwords or initials: no crash, results (if any) well ordered. */
  static const char *const thin[] = {"Mr", "the of and", "A", "A. B.", "LLC", "OOO", "1", "007"};
  for (size_t k = 0; k < sizeof(thin) / sizeof(thin[0]); k++) {
    run r;
    query_name(thin[k], 10, &r);
    check_order(&r);
    run_free(&r);
  }
}

/* Fills buf with `len` bytes of a repeated pattern and a NUL. */
static char *repeat(const char *pat, size_t len) {
  char *s = malloc(len + 1);
  assert_non_null(s);
  size_t pl = strlen(pat);
  for (size_t i = 0; i < len; i++)
    s[i] = pat[i % pl];
  s[len] = '\0';
  return s;
}

static void test_huge_names(void **state) {
  (void)state;
  const size_t big = 100 * 1024;
  char *inputs[6];
  inputs[0] = repeat("a", big);                 /* one enormous word */
  inputs[1] = repeat("Njabu ", big);            /* thousands of words */
  inputs[2] = repeat("Флориберт ", big);        /* multi-byte, cut mid-character */
  inputs[3] = repeat("\xFF\xC3(\xE2\x82", big); /* invalid UTF-8 */
  inputs[4] = repeat("7 ", big);                /* numbers */
  inputs[5] = malloc(big + 1);                  /* pseudo-random bytes, no NUL */
  assert_non_null(inputs[5]);
  uint32_t x = 12345;
  for (size_t i = 0; i < big; i++) {
    x = x * 1103515245u + 12345u;
    inputs[5][i] = (char)((x >> 16) % 255 + 1);
  }
  inputs[5][big] = '\0';
  for (size_t k = 0; k < 6; k++) {
    const emb_match_result *res_;
    size_t n;
    int rc = emb_match(ctx,
                       &(emb_query){.name = inputs[k],
                                    .birth_date = inputs[k],
                                    .nationality = inputs[k],
                                    .gender = inputs[k]},
                       10, &res_, &n);
    assert_true(rc == 0 || rc == EMB_ETOOBIG || rc == EMB_EINVAL);
    assert_true(n <= 10);
    for (size_t i = 0; i < n; i++)
      assert_true(res_[i].score >= 0.0 && res_[i].score <= 1.0);
    double s;
    const char *expl;
    rc = emb_compare_names(ctx, EMB_SCHEMA_UNKNOWN, inputs[k], FLORIBERT_NAME, &s, &expl);
    assert_true(rc == 0 || rc == EMB_ETOOBIG || rc == EMB_EINVAL);
    rc = emb_compare_names(ctx, EMB_SCHEMA_COMPANY, inputs[k], inputs[k], &s, &expl);
    assert_true(rc == 0 || rc == EMB_ETOOBIG || rc == EMB_EINVAL);
    assert_true(s >= 0.0 && s <= 1.0);
  }
  /* The context still works afterwards. */
  assert_true(score_of(&(emb_query){.name = FLORIBERT_NAME}, FLORIBERT) > 0.99);
  for (size_t k = 0; k < 6; k++)
    free(inputs[k]);
}

/* ------------------------------------------------------------------ threshold */

static void test_threshold(void **state) {
  (void)state;
  assert_true(emb_matcher_threshold(matcher) == EMB_DEFAULT_THRESHOLD);
  emb_matcher_opts o = emb_matcher_opts_default();
  o.threshold = 0.99;
  emb_matcher *m;
  emb_match_ctx *c;
  assert_int_equal(emb_matcher_new(set, &o, &m), 0);
  assert_int_equal(emb_match_ctx_new(m, &c), 0);
  assert_true(emb_matcher_threshold(m) == 0.99);
  run def, strict;
  query_name(FLORIBERT_TYPO, 10, &def);
  assert_int_equal(query_on(c, &(emb_query){.name = FLORIBERT_TYPO}, 10, &strict), 0);
  /* The same scores; only the decision moves. */
  assert_int_equal(def.n, strict.n);
  size_t flipped = 0;
  for (size_t i = 0; i < def.n; i++) {
    assert_ptr_equal(def.items[i].entity, strict.items[i].entity);
    assert_true(def.items[i].score == strict.items[i].score);
    assert_int_equal(strict.items[i].match, strict.items[i].score >= 0.99);
    flipped += def.items[i].match != strict.items[i].match;
    assert_non_null(strstr(strict.items[i].explanation, "\"threshold\":0.99"));
  }
  assert_true(flipped >= 1); /* the typo scores between the two thresholds */
  run_free(&def);
  run_free(&strict);
  emb_match_ctx_free(c);
  emb_matcher_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sorted),
      cmocka_unit_test(test_exact_name),
      cmocka_unit_test(test_ties_by_id),
      cmocka_unit_test(test_limit),
      cmocka_unit_test(test_near_misses),
      cmocka_unit_test(test_birth_date),
      cmocka_unit_test(test_identifier),
      cmocka_unit_test(test_schema),
      cmocka_unit_test(test_country_gender),
      cmocka_unit_test(test_explanation),
      cmocka_unit_test(test_compare_names),
      cmocka_unit_test(test_determinism),
      cmocka_unit_test(test_memo_changes_nothing),
      cmocka_unit_test(test_scripts_and_lookalikes),
      cmocka_unit_test(test_degenerate),
      cmocka_unit_test(test_huge_names),
      cmocka_unit_test(test_threshold),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
