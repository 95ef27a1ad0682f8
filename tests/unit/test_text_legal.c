/*
 * test_text_legal.c - legal forms, titles and stopwords: the golden file
 * tests/golden/legal.tsv (organisation names in many languages), then the rules that
 * depend on the schema: persons never get legal forms, titles are dropped only at the
 * start of a person's name and never take the whole name, and one legal phrase is one
 * token spanning all its words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "golden.h"
#include "text/analyze.h"

static emb_analyzer *an;

static int setup(void **state) {
  (void)state;
  emb_analyzer_opts o = emb_analyzer_opts_default();
  o.variants_path = "";
  return emb_analyzer_new(&o, &an);
}

static int teardown(void **state) {
  (void)state;
  emb_analyzer_free(an);
  return 0;
}

/* Renders an analysis as the golden files write it: [legal] (stop) word. */
static void render(const char *name, emb_schema schema, char *got, size_t size) {
  emb_arena ar;
  emb__arena_init(&ar, 4096);
  emb_token *t;
  size_t n;
  assert_int_equal(emb_analyze_name(an, name, strlen(name), schema, &ar, &t, &n), 0);
  size_t k = 0;
  got[0] = '\0';
  for (size_t i = 0; i < n && k < size; i++) {
    const char *open = t[i].kind == EMB_TK_LEGAL ? "[" : t[i].kind == EMB_TK_STOP ? "(" : "";
    const char *close = t[i].kind == EMB_TK_LEGAL ? "]" : t[i].kind == EMB_TK_STOP ? ")" : "";
    int w = snprintf(got + k, size - k, "%s%s%s%s", i ? " " : "", open, t[i].text, close);
    if (w < 0)
      break;
    k += (size_t)w;
  }
  emb__arena_fini(&ar);
}

/* A case is read with the Company schema, or with the one named in a "{Person} " prefix. */
static void legal_case(const char *in, const char *want, char *got, size_t size, void *ud) {
  (void)want;
  (void)ud;
  emb_schema schema = EMB_SCHEMA_COMPANY;
  const char *close = in[0] == '{' ? strchr(in, '}') : NULL;
  if (close) {
    char name[32];
    size_t n = (size_t)(close - in - 1);
    assert_true(n < sizeof name);
    memcpy(name, in + 1, n);
    name[n] = '\0';
    schema = emb_schema_parse(name);
    in = close + 1;
    while (*in == ' ')
      in++;
  }
  render(in, schema, got, size);
}

static void test_golden(void **state) {
  (void)state;
  size_t n = run_golden("tests/golden/legal.tsv", legal_case, NULL);
  assert_true(n >= 40);
}

static void expect(const char *name, emb_schema schema, const char *want) {
  char got[1024];
  render(name, schema, got, sizeof got);
  if (strcmp(got, want) != 0)
    fail_msg("\"%s\" (%s) gave \"%s\", expected \"%s\"", name, emb_schema_name(schema), got, want);
}

static void test_schemas(void **state) {
  (void)state;
  /* legal forms for organisations and unknown schemas, never for persons */
  expect("Romashka LLC", EMB_SCHEMA_ORGANIZATION, "romashka [llc]");
  expect("Romashka LLC", EMB_SCHEMA_UNKNOWN, "romashka [llc]");
  expect("Romashka LLC", EMB_SCHEMA_VESSEL, "romashka [llc]");
  expect("Romashka LLC", EMB_SCHEMA_PERSON, "romashka llc");
  expect("Sa Ag", EMB_SCHEMA_PERSON, "sa ag");
  /* titles: persons and unknown, only at the start, never the whole name */
  expect("Mr. Vladimir Putin", EMB_SCHEMA_PERSON, "(mr) vladimir putin");
  expect("Präsident Putin", EMB_SCHEMA_UNKNOWN, "(prasident) putin");
  expect("Prof. Dr. Ivan Petrov", EMB_SCHEMA_PERSON, "(prof) (dr) ivan petrov");
  expect("Herr Dr Ivan Petrov", EMB_SCHEMA_PERSON, "(herr) (dr) ivan petrov");
  expect("Ivan Petrov Mr", EMB_SCHEMA_PERSON, "ivan petrov mr");
  expect("General", EMB_SCHEMA_PERSON, "general");
  expect("General Dynamics", EMB_SCHEMA_COMPANY, "general dynamics");
  expect("Президент Путин", EMB_SCHEMA_PERSON, "(prezident) putin");
  /* a name that would be nothing but legal forms keeps its words */
  expect("PAT", EMB_SCHEMA_COMPANY, "pat");
  expect("Limited", EMB_SCHEMA_ORGANIZATION, "limited");
  expect("The Limited", EMB_SCHEMA_ORGANIZATION, "(the) limited");
  expect("有限公司", EMB_SCHEMA_COMPANY, "[llc]");
  /* a legal phrase wins over a title that starts it ("Private" is a military rank) */
  expect("Private Military Company Wagner", EMB_SCHEMA_UNKNOWN, "[mil] wagner");
  expect("Private Military Company Wagner", EMB_SCHEMA_ORGANIZATION, "[mil] wagner");
  expect("Private John Smith", EMB_SCHEMA_UNKNOWN, "(private) john smith");
  /* stopwords: not for persons (a Korean "In" is a name) */
  expect("Moon Jae-in", EMB_SCHEMA_PERSON, "moon jae in");
  expect("Bank of the Moon", EMB_SCHEMA_ORGANIZATION, "bank (of) (the) moon");
  expect("Bank of the Moon", EMB_SCHEMA_PERSON, "bank of the moon");
}

static void test_one_token_per_phrase(void **state) {
  (void)state;
  const char *name = "ООО Ромашка";
  const char *lname = "Romashka Limited Liability Company";
  emb_arena ar;
  emb__arena_init(&ar, 4096);
  emb_token *t, *u;
  size_t n, m;
  assert_int_equal(emb_analyze_name(an, name, strlen(name), EMB_SCHEMA_COMPANY, &ar, &t, &n), 0);
  assert_int_equal(emb_analyze_name(an, lname, strlen(lname), EMB_SCHEMA_COMPANY, &ar, &u, &m), 0);
  assert_int_equal(n, 2);
  assert_int_equal(m, 2);
  assert_int_equal(t[0].kind, EMB_TK_LEGAL);
  assert_int_equal(u[1].kind, EMB_TK_LEGAL);
  assert_string_equal(t[0].text, u[1].text);
  assert_int_equal(t[0].origin, EMB_TO_TRANSLIT);
  assert_int_equal(t[0].src_start, 0);
  assert_int_equal(t[0].src_len, strlen("ООО"));
  assert_string_equal(t[0].phon, "");
  assert_int_equal(t[1].kind, EMB_TK_WORD);
  assert_string_equal(t[1].text, u[0].text);
  /* the phrase token spans all its words */
  assert_int_equal(u[1].src_start, strlen("Romashka "));
  assert_int_equal(u[1].src_len, strlen("Limited Liability Company"));
  emb__arena_fini(&ar);
}

static void test_legal_form_of(void **state) {
  (void)state;
  assert_string_equal(emb_legal_form_of(an, "pao", 3), "jsc");
  assert_string_equal(emb_legal_form_of(an, "ooo", 3), "llc");
  assert_string_equal(emb_legal_form_of(an, "gmbh", 4), "llc");
  assert_string_equal(emb_legal_form_of(an, "llc", 3), "llc");
  assert_string_equal(emb_legal_form_of(an, "mro", 3), "rel");         /* МРО: religious body */
  assert_null(emb_legal_form_of(an, "limited liability company", 25)); /* one word only */
  assert_null(emb_legal_form_of(an, "of", 2));                         /* excluded */
  assert_null(emb_legal_form_of(an, "gazprom", 7));
  assert_null(emb_legal_form_of(an, "", 0));
  assert_null(emb_legal_form_of(NULL, "pao", 3));
  /* a person's "PAO" is a word; an organisation's is the legal form it names */
  char got[256];
  render("PAO, Yu Yi", EMB_SCHEMA_PERSON, got, sizeof got);
  assert_string_equal(got, "pao yu yi");
  render("PAO, Yu Yi", EMB_SCHEMA_UNKNOWN, got, sizeof got);
  assert_string_equal(got, "[jsc] yu yi");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_golden),
      cmocka_unit_test(test_schemas),
      cmocka_unit_test(test_one_token_per_phrase),
      cmocka_unit_test(test_legal_form_of),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
