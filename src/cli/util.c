/*
 * util.c - command-line plumbing shared by the subcommands; see cli.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_usage_error(const char *fmt, ...) {
  va_list ap;
  fputs("embargo: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nTry 'embargo help' for usage.\n", stderr);
  return EXIT_USAGE;
}

void cli_print_diags(FILE *out, const emb_diags *d) {
  char line[1024];
  for (size_t i = 0; i < d->count; i++) {
    emb_diag_format(&d->items[i], line, sizeof(line));
    fprintf(out, "%s\n", line);
  }
  if (d->n_dropped)
    fprintf(out, "... and %zu more problems not shown\n", d->n_dropped);
}

int cli_collect_args(int argc, char **argv, const char ***lists, size_t *n_lists,
                     const char ***args, size_t *n_args, cli_opt_fn opt, void *ud) {
  const char **l = calloc((size_t)argc + 1, sizeof(*l));
  const char **a = calloc((size_t)argc + 1, sizeof(*a));
  size_t nl = 0, na = 0;
  if (!l || !a) {
    free(l);
    free(a);
    return cli_usage_error("out of memory");
  }
  bool only_args = false;
  for (int i = 0; i < argc; i++) {
    const char *x = argv[i];
    if (only_args || x[0] != '-' || !strcmp(x, "-")) {
      a[na++] = x;
    } else if (!strcmp(x, "--")) {
      only_args = true;
    } else if (!strcmp(x, "--list")) {
      if (i + 1 >= argc) {
        free(l);
        free(a);
        return cli_usage_error("--list needs a path");
      }
      l[nl++] = argv[++i];
    } else if (!strncmp(x, "--list=", 7)) {
      l[nl++] = x + 7;
    } else {
      int used = opt ? opt(argc, argv, i, ud) : 0;
      if (used <= 0) {
        free(l);
        free(a);
        return used < 0 ? EXIT_USAGE : cli_usage_error("unknown option '%s'", x);
      }
      i += used - 1;
    }
  }
  *lists = l;
  *n_lists = nl;
  *args = a;
  *n_args = na;
  return 0;
}

int cli_collect_paths(int argc, char **argv, const char ***paths, size_t *n_paths, cli_opt_fn opt,
                      void *ud) {
  const char **l, **a;
  size_t nl, na;
  int rc = cli_collect_args(argc, argv, &l, &nl, &a, &na, opt, ud);
  if (rc)
    return rc;
  /* --list paths first, then bare ones, each in the order given. */
  for (size_t i = 0; i < na; i++)
    l[nl++] = a[i];
  free(a);
  *paths = l;
  *n_paths = nl;
  return 0;
}

/* Loads the lists and builds the matcher; prints problems. Returns an exit status. */
int cli_build_matcher(const char **lists, size_t n, double threshold, bool show_warnings,
                      emb_entity_set **set, emb_matcher **m) {
  *set = emb_set_new();
  *m = NULL;
  if (!*set)
    return EXIT_INPUT;
  emb_diags d;
  emb_diags_init(&d);
  int status = EXIT_OK;
  for (size_t i = 0; i < n; i++)
    if (emb_load(*set, lists[i], &d))
      status = EXIT_INPUT;
  if (show_warnings || d.n_warnings == 0) {
    cli_print_diags(stderr, &d);
  } else {
    for (size_t i = 0; i < d.count; i++)
      if (d.items[i].severity == EMB_SEV_ERROR) {
        char line[1024];
        emb_diag_format(&d.items[i], line, sizeof(line));
        fprintf(stderr, "%s\n", line);
      }
    fprintf(stderr, "embargo: %zu warning%s about the lists (`embargo lists inspect` shows them)\n",
            d.n_warnings, d.n_warnings == 1 ? "" : "s");
  }
  emb_diags_fini(&d);
  emb_matcher_opts o = emb_matcher_opts_default();
  if (threshold > 0)
    o.threshold = threshold;
  int rc = emb_matcher_new(*set, &o, m);
  if (rc) {
    fprintf(stderr, "embargo: cannot build the index: %s\n", emb_strerror(rc));
    return EXIT_INPUT;
  }
  return status;
}

/* The bundled lists, for commands given none. */
size_t cli_default_lists(const char **out) {
  static char buf[CLI_N_DEFAULT_LISTS][1024];
  static const char *const rel[] = {"lists/ofac/sdn",
                                    "lists/ofac/cons",
                                    "lists/un/consolidated-2026-02-27.xml",
                                    "lists/uk/ConList-2023-06-05.csv.gz",
                                    "lists/us/csl-2022-05.csv.gz",
                                    "lists/us/bis-dpl-2023-11.txt"};
  for (size_t i = 0; i < CLI_N_DEFAULT_LISTS; i++) {
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", emb_data_dir(), rel[i]);
    out[i] = buf[i];
  }
  return CLI_N_DEFAULT_LISTS;
}
