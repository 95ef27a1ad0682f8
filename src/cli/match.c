/*
 * match.c - `embargo match` and `embargo compare`.
 *
 *   embargo match --list PATH [--list PATH ...] [--limit N] [--threshold T]
 *                 [--schema S] [--birth-date D] [--nationality C] [--gender G] NAME
 *   embargo match --list PATH ... --queries FILE.csv
 *   embargo compare [--list PATH ...] [--threshold T] --pairs FILE.csv
 *
 * match writes JSON lines: first a "meta" line (engine version, threshold, and each
 * list's file, format, SHA-256 and publication date) so that any result can be
 * reproduced; then one line per query, in input order. compare writes the pairs file
 * back as CSV with `score` and `match` appended; without --list it weighs tokens by
 * their rarity in the bundled lists.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"

typedef struct match_opts {
  const char **lists;
  size_t n_lists;
  size_t limit;
  double threshold;
  const char *queries;
  const char *pairs;
  emb_query single;
} match_opts;

static int parse_num(const char *s, double *out) {
  char *end;
  *out = strtod(s, &end);
  return (end == s || *end) ? -1 : 0;
}

static int match_opt(int argc, char **argv, int i, void *ud) {
  match_opts *o = ud;
  const char *a = argv[i];
  static const char *const with_value[] = {"--limit",       "--threshold", "--queries",
                                           "--pairs",       "--schema",    "--birth-date",
                                           "--nationality", "--gender",    NULL};
  for (int k = 0; with_value[k]; k++) {
    if (strcmp(a, with_value[k]) != 0)
      continue;
    if (i + 1 >= argc) {
      cli_usage_error("%s needs a value", a);
      return -1;
    }
    const char *v = argv[i + 1];
    double d;
    if (!strcmp(a, "--limit")) {
      if (parse_num(v, &d) || d < 1 || d > 48) {
        cli_usage_error("--limit takes a whole number from 1 to 48");
        return -1;
      }
      o->limit = (size_t)d;
    } else if (!strcmp(a, "--threshold")) {
      if (parse_num(v, &d) || d <= 0 || d > 1) {
        cli_usage_error("--threshold takes a number in (0, 1]");
        return -1;
      }
      o->threshold = d;
    } else if (!strcmp(a, "--queries")) {
      o->queries = v;
    } else if (!strcmp(a, "--pairs")) {
      o->pairs = v;
    } else if (!strcmp(a, "--schema")) {
      o->single.schema = emb_schema_parse(v);
      if (o->single.schema == EMB_SCHEMA_UNKNOWN) {
        cli_usage_error("unknown schema '%s'", v);
        return -1;
      }
    } else if (!strcmp(a, "--birth-date")) {
      o->single.birth_date = v;
    } else if (!strcmp(a, "--nationality")) {
      o->single.nationality = v;
    } else {
      o->single.gender = v;
    }
    return 2;
  }
  return 0;
}

static void print_meta(const emb_entity_set *set, const emb_matcher *m) {
  printf("{\"meta\":{\"engine\":\"embargo %s\",\"threshold\":%.2f,\"lists\":[", EMB_VERSION,
         emb_matcher_threshold(m));
  for (size_t i = 0; i < emb_set_source_count(set); i++) {
    const emb_source *s = emb_set_source(set, i);
    const char *file = strrchr(s->path, '/') ? strrchr(s->path, '/') + 1 : s->path;
    printf("%s{\"file\":", i ? "," : "");
    out_json_str(stdout, file);
    printf(",\"path\":");
    out_json_str(stdout, s->path);
    printf(",\"format\":\"%s\",\"sha256\":\"%s\",\"published\":", s->format, s->sha256);
    out_json_str(stdout, s->published);
    printf(",\"entities\":%zu}", s->n_entities);
  }
  printf("]}}\n");
}

static void print_results(const emb_match_result *r, size_t n) {
  printf("\"results\":[");
  for (size_t i = 0; i < n; i++) {
    const emb_entity *e = r[i].entity;
    printf("%s{\"id\":", i ? "," : "");
    out_json_str(stdout, e->id);
    printf(",\"caption\":");
    out_json_str(stdout, emb_entity_caption(e));
    printf(",\"schema\":\"%s\",\"score\":%.4f,\"match\":%s,\"datasets\":[",
           emb_schema_name(e->schema), r[i].score, r[i].match ? "true" : "false");
    out_json_str(stdout, e->source);
    for (size_t k = 0; k < e->lists.count; k++) {
      putchar(',');
      out_json_str(stdout, e->lists.items[k]);
    }
    printf("],\"explanation\":%s}", r[i].explanation);
  }
  printf("]}\n");
}

/* One query from the command line. */
static int match_single(emb_match_ctx *c, match_opts *o, const char *name) {
  o->single.name = name;
  const emb_match_result *r;
  size_t n;
  if (emb_match(c, &o->single, o->limit, &r, &n))
    return EXIT_INPUT;
  printf("{\"query\":{\"name\":");
  out_json_str(stdout, name);
  if (o->single.schema)
    printf(",\"schema\":\"%s\"", emb_schema_name(o->single.schema));
  if (o->single.birth_date) {
    printf(",\"birth_date\":");
    out_json_str(stdout, o->single.birth_date);
  }
  if (o->single.nationality) {
    printf(",\"nationality\":");
    out_json_str(stdout, o->single.nationality);
  }
  if (o->single.gender) {
    printf(",\"gender\":");
    out_json_str(stdout, o->single.gender);
  }
  printf("},");
  print_results(r, n);
  return EXIT_OK;
}

/* Identifier columns a query file may carry, and the identifier type each stands for. */
static const char *const ID_COLUMNS[][2] = {
    {"passport", "passport"},
    {"national_id", "national_id"},
    {"tax_id", "tax_id"},
    {"inn", "inn"},
    {"ogrn", "ogrn"},
    {"registration", "registration"},
    {"imo", "imo"},
    {"mmsi", "mmsi"},
    {"swift_bic", "swift_bic"},
    {"identifier", NULL},
    {"id_number", NULL},
};
#define N_ID_COLUMNS (sizeof(ID_COLUMNS) / sizeof(ID_COLUMNS[0]))

static int match_file(emb_match_ctx *c, match_opts *o) {
  emb_diags d;
  emb_diags_init(&d);
  emb_table *t = NULL;
  int status = EXIT_OK;
  if (emb_table_open(o->queries, &t, &d)) {
    cli_print_diags(stderr, &d);
    emb_diags_fini(&d);
    return EXIT_INPUT;
  }
  int c_name = emb_table_column(t, "name");
  if (c_name < 0) {
    fprintf(stderr, "embargo: %s: no 'name' column in the header\n", o->queries);
    emb_table_close(t);
    emb_diags_fini(&d);
    return EXIT_INPUT;
  }
  int c_schema = emb_table_column(t, "schema"), c_birth = emb_table_column(t, "birth_date");
  int c_nat = emb_table_column(t, "nationality"), c_gender = emb_table_column(t, "gender");
  int c_ids[N_ID_COLUMNS];
  for (size_t k = 0; k < N_ID_COLUMNS; k++)
    c_ids[k] = emb_table_column(t, ID_COLUMNS[k][0]);
  size_t nh;
  const char *const *header = emb_table_header(t, &nh);
  const char *const *f;
  size_t n;
  unsigned long line;
  bool ragged;
  int r;
#define FIELD(col) ((col) >= 0 && (size_t)(col) < n && f[(col)][0] ? f[(col)] : NULL)
  while ((r = emb_table_next(t, &f, &n, &line, &ragged)) == 1) {
    if (ragged) {
      status = EXIT_INPUT;
      continue; /* reported by the table reader, with its line */
    }
    emb_query q = {0};
    q.name = FIELD(c_name);
    if (!q.name) {
      fprintf(stderr, "embargo: %s:%lu: field 'name' is empty; query skipped\n", o->queries, line);
      status = EXIT_INPUT;
      continue;
    }
    q.schema = FIELD(c_schema) ? emb_schema_parse(FIELD(c_schema)) : EMB_SCHEMA_UNKNOWN;
    q.birth_date = FIELD(c_birth);
    q.nationality = FIELD(c_nat);
    q.gender = FIELD(c_gender);
    emb_query_id ids[N_ID_COLUMNS];
    for (size_t k = 0; k < N_ID_COLUMNS; k++)
      if (FIELD(c_ids[k]))
        ids[q.n_ids++] = (emb_query_id){ID_COLUMNS[k][1], FIELD(c_ids[k])};
    q.ids = ids;
    const emb_match_result *res;
    size_t nr;
    if (emb_match(c, &q, o->limit, &res, &nr)) {
      status = EXIT_INPUT;
      continue;
    }
    printf("{\"query\":{");
    for (size_t k = 0; k < nh && k < n; k++) {
      if (k)
        putchar(',');
      out_json_str(stdout, header[k]);
      putchar(':');
      out_json_str(stdout, f[k]);
    }
    printf("},");
    print_results(res, nr);
  }
#undef FIELD
  if (r < 0)
    status = EXIT_INPUT;
  cli_print_diags(stderr, &d);
  if (d.n_errors)
    status = EXIT_INPUT;
  emb_table_close(t);
  emb_diags_fini(&d);
  return status;
}

static void free_all(emb_match_ctx *c, emb_matcher *m, emb_entity_set *set, const char **paths) {
  emb_match_ctx_free(c);
  emb_matcher_free(m);
  emb_set_free(set);
  free(paths);
}

int cmd_match(int argc, char **argv) {
  match_opts o = {0};
  o.limit = 5;
  const char **paths = NULL, **args = NULL;
  size_t n_lists = 0, n_args = 0;
  int rc = cli_collect_args(argc, argv, &paths, &n_lists, &args, &n_args, match_opt, &o);
  if (rc)
    return rc;
  const char *name = n_args ? args[0] : NULL;
  free(args);
  if (n_args > 1) {
    free(paths);
    return cli_usage_error("give one NAME (quote a name with spaces), or --queries FILE");
  }
  if (!n_lists) {
    free(paths);
    return cli_usage_error("match needs at least one --list PATH");
  }
  if (!name == !o.queries) {
    free(paths);
    return cli_usage_error("match needs either a NAME or --queries FILE.csv");
  }
  emb_entity_set *set = NULL;
  emb_matcher *m = NULL;
  emb_match_ctx *c = NULL;
  int status = cli_build_matcher(paths, n_lists, o.threshold, true, &set, &m);
  if (!m || emb_match_ctx_new(m, &c)) {
    free_all(c, m, set, paths);
    return EXIT_INPUT;
  }
  print_meta(set, m);
  int s2 = name ? match_single(c, &o, name) : match_file(c, &o);
  free_all(c, m, set, paths);
  return status ? status : s2;
}

int cmd_compare(int argc, char **argv) {
  match_opts o = {0};
  const char **paths = NULL;
  size_t n = 0;
  int rc = cli_collect_paths(argc, argv, &paths, &n, match_opt, &o);
  if (rc)
    return rc;
  if (!o.pairs) {
    free(paths);
    return cli_usage_error("compare needs --pairs FILE.csv");
  }
  const char *defaults[CLI_N_DEFAULT_LISTS];
  const char **lists = paths;
  if (!n)
    n = cli_default_lists(lists = defaults);
  emb_entity_set *set = NULL;
  emb_matcher *m = NULL;
  emb_match_ctx *c = NULL;
  int status = cli_build_matcher(lists, n, o.threshold, true, &set, &m);
  emb_diags d;
  emb_diags_init(&d);
  emb_table *t = NULL;
  if (!m || emb_match_ctx_new(m, &c) || emb_table_open(o.pairs, &t, &d)) {
    cli_print_diags(stderr, &d);
    emb_diags_fini(&d);
    free_all(c, m, set, paths);
    return EXIT_INPUT;
  }
  int c1 = emb_table_column(t, "name1"), c2 = emb_table_column(t, "name2");
  int cs = emb_table_column(t, "schema");
  if (c1 < 0 || c2 < 0) {
    fprintf(stderr, "embargo: %s: the header needs columns name1 and name2\n", o.pairs);
    emb_table_close(t);
    emb_diags_fini(&d);
    free_all(c, m, set, paths);
    return EXIT_INPUT;
  }
  char delim = emb_table_delimiter(t);
  size_t nh;
  const char *const *header = emb_table_header(t, &nh);
  for (size_t k = 0; k < nh; k++) {
    out_csv_field(stdout, header[k], delim);
    putchar(delim);
  }
  printf("score%cmatch\n", delim);
  const char *const *f;
  unsigned long line;
  bool ragged;
  int r;
  double threshold = emb_matcher_threshold(m);
  while ((r = emb_table_next(t, &f, &n, &line, &ragged)) == 1) {
    if (ragged) {
      status = EXIT_INPUT;
      continue;
    }
    emb_schema schema = cs >= 0 ? emb_schema_parse(f[cs]) : EMB_SCHEMA_UNKNOWN;
    double score;
    const char *expl;
    if (emb_compare_names(c, schema, f[c1], f[c2], &score, &expl)) {
      status = EXIT_INPUT;
      continue;
    }
    for (size_t k = 0; k < n; k++) {
      out_csv_field(stdout, f[k], delim);
      putchar(delim);
    }
    printf("%.4f%c%s\n", score, delim, score >= threshold ? "true" : "false");
  }
  if (r < 0)
    status = EXIT_INPUT;
  cli_print_diags(stderr, &d);
  if (d.n_errors)
    status = EXIT_INPUT;
  emb_table_close(t);
  emb_diags_fini(&d);
  free_all(c, m, set, paths);
  return status;
}
