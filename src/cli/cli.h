/*
 * cli.h - shared pieces of the `embargo` command: exit codes, loading lists named on
 * the command line, printing diagnostics. The CLI uses only the public embargo.h.
 */
#ifndef EMB_CLI_H
#define EMB_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "embargo.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

/* Prints "embargo: " and a usage message to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints every kept diagnostic to `out`, one line each, then a count of dropped ones. */
void cli_print_diags(FILE *out, const emb_diags *d);

/*
 * Collects list paths from argv: each positional argument and each `--list PATH`
 * (or --list=PATH). Other options are left for the caller via the callback, which
 * returns the number of argv entries it consumed (0 if unknown -> usage error).
 * Returns 0, or EXIT_USAGE after printing the error.
 */
typedef int (*cli_opt_fn)(int argc, char **argv, int i, void *ud);
int cli_collect_paths(int argc, char **argv, const char ***paths, size_t *n_paths, cli_opt_fn opt,
                      void *ud);

/* Like cli_collect_paths, but keeps --list paths and bare arguments apart. */
int cli_collect_args(int argc, char **argv, const char ***lists, size_t *n_lists,
                     const char ***args, size_t *n_args, cli_opt_fn opt, void *ud);

/*
 * Loads the lists and builds the matcher (threshold 0: the default); prints errors, and
 * the warnings too when show_warnings (else only their number). Returns an exit status;
 * *m is NULL when the index could not be built.
 */
int cli_build_matcher(const char **lists, size_t n, double threshold, bool show_warnings,
                      emb_entity_set **set, emb_matcher **m);

/* The bundled lists (OFAC SDN and non-SDN, UN, UK, CSL, DPL), for commands given none. */
#define CLI_N_DEFAULT_LISTS 6
size_t cli_default_lists(const char **out);

int cmd_lists(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_generate(int argc, char **argv);

#endif
