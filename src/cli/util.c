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

int cli_collect_paths(int argc, char **argv, const char ***paths, size_t *n_paths,
                      cli_opt_fn opt, void *ud) {
  const char **v = calloc((size_t)argc + 1, sizeof(*v));
  size_t n = 0;
  if (!v)
    return cli_usage_error("out of memory");
  bool only_paths = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (only_paths || a[0] != '-' || !strcmp(a, "-")) {
      v[n++] = a;
    } else if (!strcmp(a, "--")) {
      only_paths = true;
    } else if (!strcmp(a, "--list")) {
      if (i + 1 >= argc) {
        free(v);
        return cli_usage_error("--list needs a path");
      }
      v[n++] = argv[++i];
    } else if (!strncmp(a, "--list=", 7)) {
      v[n++] = a + 7;
    } else {
      int used = opt ? opt(argc, argv, i, ud) : 0;
      if (used <= 0) {
        free(v);
        return used < 0 ? EXIT_USAGE : cli_usage_error("unknown option '%s'", a);
      }
      i += used - 1;
    }
  }
  *paths = v;
  *n_paths = n;
  return 0;
}
