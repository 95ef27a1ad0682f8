/*
 * lists_export.c - `embargo lists export --format ftm|csv [-o FILE] PATH...`.
 *
 * All paths are loaded into one set (so the same OFAC entity on SDN and non-SDN lists
 * is written once) and every entity is written in the chosen format.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lists.h"

typedef struct export_opts {
  const char *format;
  const char *output;
} export_opts;

static int export_opt(int argc, char **argv, int i, void *ud) {
  export_opts *o = ud;
  const char *a = argv[i];
  if (!strcmp(a, "--format") || !strcmp(a, "-f") || !strcmp(a, "--output") || !strcmp(a, "-o")) {
    if (i + 1 >= argc) {
      cli_usage_error("%s needs a value", a);
      return -1;
    }
    if (a[2] == 'f' || a[1] == 'f')
      o->format = argv[i + 1];
    else
      o->output = argv[i + 1];
    return 2;
  }
  if (!strncmp(a, "--format=", 9)) {
    o->format = a + 9;
    return 1;
  }
  if (!strncmp(a, "--output=", 9)) {
    o->output = a + 9;
    return 1;
  }
  return 0;
}

int cmd_lists_export(int argc, char **argv) {
  export_opts opts = {"ftm", NULL};
  const char **paths = NULL;
  size_t n = 0;
  int rc = cli_collect_paths(argc, argv, &paths, &n, export_opt, &opts);
  if (rc)
    return rc;
  bool csv = !strcmp(opts.format, "csv");
  if (!csv && strcmp(opts.format, "ftm")) {
    free(paths);
    return cli_usage_error("--format must be ftm or csv, not '%s'", opts.format);
  }
  if (!n) {
    free(paths);
    return cli_usage_error("lists export needs at least one PATH");
  }
  int status = EXIT_OK;
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  for (size_t i = 0; i < n && set; i++)
    if (emb_load(set, paths[i], &d))
      status = EXIT_INPUT;
  cli_print_diags(stderr, &d);
  FILE *out = stdout;
  if (opts.output && !(out = fopen(opts.output, "w"))) {
    fprintf(stderr, "embargo: cannot write %s\n", opts.output);
    status = EXIT_INPUT;
  } else if (set) {
    if (csv)
      emb_export_csv_header(out);
    for (size_t i = 0; i < emb_set_count(set); i++) {
      const emb_entity *e = emb_set_get(set, i);
      if (csv ? emb_export_csv(out, e) : emb_export_ftm(out, e)) {
        fprintf(stderr, "embargo: write error\n");
        status = EXIT_INPUT;
        break;
      }
    }
    if (out != stdout && fclose(out)) {
      fprintf(stderr, "embargo: cannot write %s\n", opts.output);
      status = EXIT_INPUT;
    }
  }
  fflush(stdout);
  emb_diags_fini(&d);
  emb_set_free(set);
  free(paths);
  return status;
}
