/*
 * testutil.h - helpers the loader and export unit tests share: loading a list into a
 * fresh set (the fx fixture), finding an entity, a name or an identifier in it,
 * checking the values of an entity, and finding a diagnostic.
 *
 * Every function is static inline, so that each test program (the Makefile builds
 * every tests/unit/test_*.c alone) takes what it uses and no link step changes. Include
 * it after <cmocka.h> and its prerequisites. The find_* helpers return NULL when there
 * is nothing to find, for tests that assert an absence; the must_* helpers fail the
 * test instead, naming what is missing. A fixture owns its set and diagnostics until
 * fx_free.
 */
#ifndef EMB_TESTS_TESTUTIL_H
#define EMB_TESTS_TESTUTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "lists/loader.h"

/* ------------------------------------------------------------ loading */

/* A loaded list: the set, the diagnostics and the loader's return code. */
typedef struct fx {
  emb_entity_set *set;
  emb_diags diags;
  int rc;
} fx;

/* Loads PATH or FORMAT:PATH into a fresh set; f->rc is emb_load's return code. */
static inline void load_file(fx *f, const char *spec) {
  f->set = emb_set_new();
  assert_non_null(f->set);
  emb_diags_init(&f->diags);
  f->rc = emb_load(f->set, spec, &f->diags);
}

/* Loads spec as load_file does and fails the test, showing the first diagnostics, unless
 * the load returned 0 and reported no error. */
static inline void load_ok(fx *f, const char *spec) {
  load_file(f, spec);
  if (f->rc || f->diags.n_errors) {
    char buf[512];
    for (size_t i = 0; i < f->diags.count && i < 5; i++) {
      emb_diag_format(&f->diags.items[i], buf, sizeof(buf));
      print_error("%s\n", buf);
    }
  }
  assert_int_equal(f->rc, 0);
  assert_int_equal(f->diags.n_errors, 0);
}

/* Loads len bytes of text with the loader of `format`, as a file called `name`. */
static inline void load_mem(fx *f, const char *format, const char *name, const char *text,
                            size_t len) {
  f->set = emb_set_new();
  assert_non_null(f->set);
  emb_diags_init(&f->diags);
  f->rc = emb__load_mem(f->set, format, text, len, name, &f->diags);
}

/* Frees the fixture's set and diagnostics. */
static inline void fx_free(fx *f) {
  emb_set_free(f->set);
  emb_diags_fini(&f->diags);
}

/* Reads a whole file into a malloc'ed, NUL-terminated buffer; *len gets its size. */
static inline char *slurp_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  assert_true(n >= 0);
  assert_int_equal(fseek(f, 0, SEEK_SET), 0);
  char *p = malloc((size_t)n + 1);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  p[n] = '\0';
  *len = (size_t)n;
  return p;
}

/* How many times needle occurs in the n bytes at h. */
static inline size_t count_in(const char *h, size_t n, const char *needle) {
  size_t k = strlen(needle), c = 0;
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(h + i, needle, k) == 0)
      c++;
  return c;
}

/* ------------------------------------------------------------ entities */

/* The number of entities of a schema in the set. */
static inline size_t count_schema(const emb_entity_set *set, emb_schema s) {
  size_t n = 0;
  for (size_t i = 0; i < emb_set_count(set); i++)
    n += emb_set_get(set, i)->schema == s;
  return n;
}

/* The entity with this id; fails the test when there is none. */
static inline const emb_entity *must_find(const fx *f, const char *id) {
  const emb_entity *e = emb_set_find(f->set, id);
  if (!e)
    fail_msg("entity %s not found", id);
  return e;
}

/* The name of e written exactly `full`, or NULL. */
static inline const emb_name *find_name(const emb_entity *e, const char *full) {
  for (size_t i = 0; i < e->n_names; i++)
    if (strcmp(e->names[i].full, full) == 0)
      return &e->names[i];
  return NULL;
}

/* The name of e written exactly `full`; fails the test when there is none. */
static inline const emb_name *must_name(const emb_entity *e, const char *full) {
  const emb_name *n = find_name(e, full);
  if (!n)
    fail_msg("%s has no name \"%s\"", e->id, full);
  return n;
}

/* The identifier of e with this value and type (any type when type is NULL), or NULL. */
static inline const emb_identifier *find_id(const emb_entity *e, const char *type,
                                            const char *value) {
  for (size_t i = 0; i < e->n_ids; i++)
    if ((!type || strcmp(e->ids[i].type, type) == 0) && strcmp(e->ids[i].value, value) == 0)
      return &e->ids[i];
  return NULL;
}

/* As find_id, but fails the test when there is no such identifier. */
static inline const emb_identifier *must_id(const emb_entity *e, const char *type,
                                            const char *value) {
  const emb_identifier *x = find_id(e, type, value);
  if (!x)
    fail_msg("%s has no %s \"%s\"", e->id, type ? type : "identifier", value);
  return x;
}

/* True when the list holds exactly s. */
static inline bool has_str(const emb_strs *l, const char *s) {
  for (size_t i = 0; i < l->count; i++)
    if (strcmp(l->items[i], s) == 0)
      return true;
  return false;
}

/* True when the list holds a string beginning with prefix. */
static inline bool has_str_prefix(const emb_strs *l, const char *prefix) {
  for (size_t i = 0; i < l->count; i++)
    if (strncmp(l->items[i], prefix, strlen(prefix)) == 0)
      return true;
  return false;
}

/* True when e has the country with this code in this role. */
static inline bool has_country(const emb_entity *e, const char *code, emb_country_role role) {
  for (size_t i = 0; i < e->n_countries; i++)
    if (e->countries[i].role == role && e->countries[i].code &&
        strcmp(e->countries[i].code, code) == 0)
      return true;
  return false;
}

/* True when e has a birth date that emb_date_format writes as `formatted`. */
static inline bool has_date(const emb_entity *e, const char *formatted) {
  char buf[32];
  for (size_t i = 0; i < e->n_birth_dates; i++) {
    emb_date_format(&e->birth_dates[i], buf, sizeof(buf));
    if (strcmp(buf, formatted) == 0)
      return true;
  }
  return false;
}

/* Asserts a date's year, month and day (0 for a part the date does not have). */
static inline void assert_date(const emb_date *d, int y, int m, int day) {
  assert_int_equal(d->year, y);
  assert_int_equal(d->month, m);
  assert_int_equal(d->day, day);
}

/* ------------------------------------------------------------ diagnostics */

/* True when there is a diagnostic of this severity on this line (and field, unless NULL). */
static inline bool has_diag(const emb_diags *d, emb_severity sev, unsigned long line,
                            const char *field) {
  for (size_t i = 0; i < d->count; i++)
    if (d->items[i].severity == sev && d->items[i].line == line &&
        (!field || (d->items[i].field && strcmp(d->items[i].field, field) == 0)))
      return true;
  return false;
}

/* The first diagnostic of this severity whose message contains text, or NULL. */
static inline const emb_diag *find_diag(const fx *f, emb_severity sev, const char *text) {
  for (size_t i = 0; i < f->diags.count; i++)
    if (f->diags.items[i].severity == sev && strstr(f->diags.items[i].message, text))
      return &f->diags.items[i];
  return NULL;
}

#endif
