/*
 * lists_diff.c - `embargo lists diff [--json] OLD NEW`.
 *
 * OLD and NEW are list paths (or FORMAT:PATH). The report names each entity added,
 * removed or changed, and for a changed one each field with the values removed (-)
 * and added (+). --json writes one JSON object per difference, then a summary object.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lists.h"

typedef struct diff_state {
  bool json;
  size_t added, removed, changed;
} diff_state;

static int diff_opt(int argc, char **argv, int i, void *ud) {
  (void)argc;
  diff_state *s = ud;
  if (!strcmp(argv[i], "--json")) {
    s->json = true;
    return 1;
  }
  return 0;
}

static json_t *strings(const char **v, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, json_string(v[i]));
  return a;
}

static int on_diff(const emb_diff_entry *d, void *ud) {
  diff_state *s = ud;
  const emb_entity *e = d->new_e ? d->new_e : d->old_e;
  const char *kind = d->kind == EMB_DIFF_ADDED     ? "added"
                     : d->kind == EMB_DIFF_REMOVED ? "removed"
                                                   : "changed";
  if (d->kind == EMB_DIFF_ADDED)
    s->added++;
  else if (d->kind == EMB_DIFF_REMOVED)
    s->removed++;
  else
    s->changed++;
  if (s->json) {
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "change", kind, "id", e->id, "caption",
                          emb_entity_caption(e), "schema", emb_schema_name(e->schema));
    if (d->n_changes) {
      json_t *f = json_object();
      for (size_t i = 0; i < d->n_changes; i++) {
        const emb_diff_change *c = &d->changes[i];
        json_object_set_new(f, c->field,
                            json_pack("{s:o, s:o}", "removed", strings(c->removed, c->n_removed),
                                      "added", strings(c->added, c->n_added)));
      }
      json_object_set_new(o, "fields", f);
    }
    json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(o);
    return 0;
  }
  char mark = d->kind == EMB_DIFF_ADDED ? '+' : d->kind == EMB_DIFF_REMOVED ? '-' : '~';
  printf("%c %s %s (%s)\n", mark, e->id, emb_entity_caption(e), emb_schema_name(e->schema));
  for (size_t i = 0; i < d->n_changes; i++) {
    const emb_diff_change *c = &d->changes[i];
    printf("    %s:\n", c->field);
    for (size_t k = 0; k < c->n_removed; k++)
      printf("      - %s\n", c->removed[k]);
    for (size_t k = 0; k < c->n_added; k++)
      printf("      + %s\n", c->added[k]);
  }
  return 0;
}

static emb_entity_set *load_one(const char *path, int *status) {
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  if (!set || emb_load(set, path, &d))
    *status = EXIT_INPUT;
  cli_print_diags(stderr, &d);
  emb_diags_fini(&d);
  return set;
}

int cmd_lists_diff(int argc, char **argv) {
  diff_state st = {0};
  const char **paths = NULL;
  size_t n = 0;
  int rc = cli_collect_paths(argc, argv, &paths, &n, diff_opt, &st);
  if (rc)
    return rc;
  if (n != 2) {
    free(paths);
    return cli_usage_error("lists diff needs exactly two paths: OLD NEW");
  }
  int status = EXIT_OK;
  emb_entity_set *a = load_one(paths[0], &status);
  emb_entity_set *b = load_one(paths[1], &status);
  if (a && b && emb_diff(a, b, on_diff, &st))
    status = EXIT_INPUT;
  if (st.json) {
    printf(
        "{\"summary\":{\"old\":%zu,\"new\":%zu,\"added\":%zu,\"removed\":%zu,\"changed\":%zu}}\n",
        a ? emb_set_count(a) : 0, b ? emb_set_count(b) : 0, st.added, st.removed, st.changed);
  } else {
    printf("%zu added, %zu removed, %zu changed (old %zu entities, new %zu)\n", st.added,
           st.removed, st.changed, a ? emb_set_count(a) : 0, b ? emb_set_count(b) : 0);
  }
  emb_set_free(a);
  emb_set_free(b);
  free(paths);
  return status;
}
