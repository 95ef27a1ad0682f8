/*
 * lists_inspect.c - `embargo lists inspect [--json] PATH...`.
 *
 * Each path is loaded into its own set and described: format, publication date and
 * fingerprint, counts by schema, names, aliases, scripts, countries and identifiers,
 * and the problems found. Text for people, --json for programs.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lists.h"

/* A small string -> count table, kept in insertion order. */
typedef struct counter {
  char **keys;
  size_t *counts;
  size_t n, cap;
} counter;

static void count(counter *c, const char *key) {
  for (size_t i = 0; i < c->n; i++)
    if (!strcmp(c->keys[i], key)) {
      c->counts[i]++;
      return;
    }
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 16;
    char **k = realloc(c->keys, cap * sizeof(*k));
    if (!k)
      return;
    c->keys = k;
    size_t *v = realloc(c->counts, cap * sizeof(*v));
    if (!v)
      return;
    c->counts = v;
    c->cap = cap;
  }
  c->keys[c->n] = strdup(key);
  if (!c->keys[c->n])
    return;
  c->counts[c->n++] = 1;
}

static void counter_free(counter *c) {
  for (size_t i = 0; i < c->n; i++)
    free(c->keys[i]);
  free(c->keys);
  free(c->counts);
}

/* Sorts by count, descending, then key. */
static void counter_sort(counter *c) {
  for (size_t i = 1; i < c->n; i++)
    for (size_t j = i; j > 0; j--) {
      bool swap = c->counts[j] > c->counts[j - 1] ||
                  (c->counts[j] == c->counts[j - 1] && strcmp(c->keys[j], c->keys[j - 1]) < 0);
      if (!swap)
        break;
      char *k = c->keys[j];
      c->keys[j] = c->keys[j - 1];
      c->keys[j - 1] = k;
      size_t v = c->counts[j];
      c->counts[j] = c->counts[j - 1];
      c->counts[j - 1] = v;
    }
}

typedef struct stats {
  size_t entities;
  counter schemas;
  size_t names, primary, aliases, weak;
  counter scripts;
  size_t country_links, unresolved_countries;
  counter countries;  /* by code */
  counter unresolved; /* raw text not resolved */
  counter id_types;
  size_t with_birth_date, birth_dates, addresses;
  counter lists;
} stats;

static void gather(const emb_entity_set *set, stats *s) {
  memset(s, 0, sizeof(*s));
  s->entities = emb_set_count(set);
  for (size_t i = 0; i < s->entities; i++) {
    const emb_entity *e = emb_set_get(set, i);
    count(&s->schemas, emb_schema_name(e->schema));
    for (size_t k = 0; k < e->n_names; k++) {
      const emb_name *n = &e->names[k];
      s->names++;
      if (n->kind == EMB_NAME_PRIMARY)
        s->primary++;
      else
        s->aliases++;
      if (n->strength == EMB_WEAK)
        s->weak++;
      count(&s->scripts, n->script ? n->script : "Zyyy");
    }
    for (size_t k = 0; k < e->n_countries; k++) {
      s->country_links++;
      if (e->countries[k].code) {
        count(&s->countries, e->countries[k].code);
      } else {
        s->unresolved_countries++;
        count(&s->unresolved, e->countries[k].raw);
      }
    }
    for (size_t k = 0; k < e->n_ids; k++)
      count(&s->id_types, e->ids[k].type);
    for (size_t k = 0; k < e->lists.count; k++)
      count(&s->lists, e->lists.items[k]);
    if (e->n_birth_dates)
      s->with_birth_date++;
    s->birth_dates += e->n_birth_dates;
    s->addresses += e->n_addresses;
  }
  counter_sort(&s->schemas);
  counter_sort(&s->scripts);
  counter_sort(&s->countries);
  counter_sort(&s->unresolved);
  counter_sort(&s->id_types);
  counter_sort(&s->lists);
}

static void stats_free(stats *s) {
  counter_free(&s->schemas);
  counter_free(&s->scripts);
  counter_free(&s->countries);
  counter_free(&s->unresolved);
  counter_free(&s->id_types);
  counter_free(&s->lists);
}

static void print_counter(const char *label, const counter *c, size_t max) {
  printf("  %-14s", label);
  if (!c->n)
    printf(" -");
  for (size_t i = 0; i < c->n && i < max; i++)
    printf("%s %s %zu", i ? "," : "", c->keys[i], c->counts[i]);
  if (c->n > max)
    printf(", ... (%zu in all)", c->n);
  printf("\n");
}

static void print_text(const char *path, const emb_entity_set *set, const stats *s,
                       const emb_diags *d, int rc) {
  printf("%s\n", path);
  for (size_t i = 0; i < emb_set_source_count(set); i++) {
    const emb_source *src = emb_set_source(set, i);
    printf("  format         %s (source '%s')\n", src->format, src->source);
    printf("  published      %s\n", src->published ? src->published : "not stated");
    printf("  sha256         %s\n", src->sha256[0] ? src->sha256 : "-");
    printf("  records        %zu\n", src->n_records);
  }
  printf("  entities       %zu\n", s->entities);
  print_counter("schemas", &s->schemas, 10);
  print_counter("lists", &s->lists, 8);
  printf("  names          %zu (%zu primary, %zu aliases, %zu weak)\n", s->names, s->primary,
         s->aliases, s->weak);
  print_counter("scripts", &s->scripts, 12);
  printf("  countries      %zu links, %zu distinct codes, %zu not recognised\n", s->country_links,
         s->countries.n, s->unresolved_countries);
  print_counter("  top", &s->countries, 10);
  if (s->unresolved.n)
    print_counter("  unknown", &s->unresolved, 5);
  print_counter("identifiers", &s->id_types, 12);
  printf("  birth dates    %zu on %zu entities\n", s->birth_dates, s->with_birth_date);
  printf("  addresses      %zu\n", s->addresses);
  printf("  problems       %zu errors, %zu warnings%s\n", d->n_errors, d->n_warnings,
         rc ? " (records were lost)" : "");
  char line[1024];
  for (size_t i = 0; i < d->count && i < 20; i++) {
    emb_diag_format(&d->items[i], line, sizeof(line));
    printf("    %s\n", line);
  }
  if (d->count > 20 || d->n_dropped)
    printf("    ... %zu more\n", d->count - (d->count > 20 ? 20 : d->count) + d->n_dropped);
}

static json_t *counter_json(const counter *c) {
  json_t *o = json_object();
  for (size_t i = 0; i < c->n; i++)
    json_object_set_new(o, c->keys[i], json_integer((json_int_t)c->counts[i]));
  return o;
}

static json_t *diags_json(const emb_diags *d) {
  json_t *a = json_array();
  for (size_t i = 0; i < d->count; i++) {
    const emb_diag *x = &d->items[i];
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s}", "severity",
                          x->severity == EMB_SEV_ERROR ? "error" : "warning", "file",
                          x->file ? x->file : "", "line", (json_int_t)x->line, "column",
                          (json_int_t)x->column, "message", x->message ? x->message : "");
    if (o && x->field)
      json_object_set_new(o, "field", json_string(x->field));
    if (o)
      json_array_append_new(a, o);
  }
  return a;
}

static json_t *to_json(const char *path, const emb_entity_set *set, const stats *s,
                       const emb_diags *d, int rc) {
  json_t *o = json_object();
  json_object_set_new(o, "path", json_string(path));
  json_t *srcs = json_array();
  for (size_t i = 0; i < emb_set_source_count(set); i++) {
    const emb_source *src = emb_set_source(set, i);
    json_t *x = json_object();
    json_object_set_new(x, "format", json_string(src->format));
    json_object_set_new(x, "source", json_string(src->source));
    json_object_set_new(x, "published", src->published ? json_string(src->published) : json_null());
    json_object_set_new(x, "sha256", json_string(src->sha256));
    json_object_set_new(x, "records", json_integer((json_int_t)src->n_records));
    json_array_append_new(srcs, x);
  }
  json_object_set_new(o, "sources", srcs);
  json_object_set_new(o, "entities", json_integer((json_int_t)s->entities));
  json_object_set_new(o, "schemas", counter_json(&s->schemas));
  json_object_set_new(o, "lists", counter_json(&s->lists));
  json_object_set_new(o, "names",
                      json_pack("{s:I, s:I, s:I, s:I}", "total", (json_int_t)s->names, "primary",
                                (json_int_t)s->primary, "aliases", (json_int_t)s->aliases, "weak",
                                (json_int_t)s->weak));
  json_object_set_new(o, "scripts", counter_json(&s->scripts));
  json_object_set_new(o, "countries", counter_json(&s->countries));
  json_object_set_new(o, "countries_unrecognised", counter_json(&s->unresolved));
  json_object_set_new(o, "identifiers", counter_json(&s->id_types));
  json_object_set_new(o, "birth_dates", json_integer((json_int_t)s->birth_dates));
  json_object_set_new(o, "addresses", json_integer((json_int_t)s->addresses));
  json_object_set_new(o, "errors", json_integer((json_int_t)d->n_errors));
  json_object_set_new(o, "warnings", json_integer((json_int_t)d->n_warnings));
  json_object_set_new(o, "ok", json_boolean(rc == 0));
  json_object_set_new(o, "problems", diags_json(d));
  return o;
}

typedef struct inspect_opts {
  bool json;
} inspect_opts;

static int inspect_opt(int argc, char **argv, int i, void *ud) {
  (void)argc;
  inspect_opts *o = ud;
  if (!strcmp(argv[i], "--json")) {
    o->json = true;
    return 1;
  }
  return 0;
}

int cmd_lists_inspect(int argc, char **argv) {
  inspect_opts opts = {false};
  const char **paths = NULL;
  size_t n = 0;
  int rc = cli_collect_paths(argc, argv, &paths, &n, inspect_opt, &opts);
  if (rc)
    return rc;
  if (!n) {
    free(paths);
    return cli_usage_error("lists inspect needs at least one PATH");
  }
  int status = EXIT_OK;
  json_t *all = opts.json ? json_array() : NULL;
  for (size_t i = 0; i < n; i++) {
    emb_entity_set *set = emb_set_new();
    emb_diags d;
    emb_diags_init(&d);
    int lrc = set ? emb_load(set, paths[i], &d) : EMB_ENOMEM;
    if (lrc)
      status = EXIT_INPUT;
    stats s;
    gather(set, &s);
    if (opts.json) {
      json_array_append_new(all, to_json(paths[i], set, &s, &d, lrc));
    } else {
      if (i)
        printf("\n");
      print_text(paths[i], set, &s, &d, lrc);
    }
    /* Errors also go to stderr so that scripts see why the status is 1. */
    if (lrc && d.n_errors)
      cli_print_diags(stderr, &d);
    else if (lrc)
      fprintf(stderr, "embargo: %s: %s\n", paths[i], emb_strerror(lrc));
    stats_free(&s);
    emb_diags_fini(&d);
    emb_set_free(set);
  }
  if (all) {
    json_dumpf(all, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(all);
  }
  free(paths);
  return status;
}
