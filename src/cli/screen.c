/*
 * screen.c - `embargo screen`: trade records in, alerts out.
 *
 *   embargo screen [--list PATH ...] [--controls FILE ...] [--rules FILE] [--map FILE]
 *                  [--map-field FIELD=COLUMN ...] [--format jsonl|csv] [--input-format
 *                  auto|csv|jsonl] [--delimiter C] [--report FILE.html] [--on-error
 *                  skip|keep|stop] [--threads N] [--threshold T] [-o FILE] [--quiet]
 *                  [--verbose] RECORDS
 *
 * Without --list the bundled lists are used; without --controls the bundled CHPL; without
 * --rules the bundled route rules. RECORDS may be "-" for stdin. Alerts go to stdout (or
 * -o FILE) in input order; a summary line goes to stderr; on a terminal a progress bar
 * with rows/s and ETA is drawn on stderr while the file is read. Warnings about the lists
 * are counted, not shown, unless --verbose.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

#define MAX_OPT_FILES 64

typedef struct screen_cli {
  const char *controls[MAX_OPT_FILES];
  size_t n_controls;
  const char *map_fields[MAX_OPT_FILES];
  size_t n_map_fields;
  const char *rules, *map, *report, *output, *input_format;
  char delimiter;
  emb_on_error on_error;
  emb_alert_format format;
  unsigned threads;
  double threshold;
  bool quiet;
  bool verbose; /* every warning about the lists, not only their number */
} screen_cli;

static int parse_count(const char *s, double lo, double hi, double *out) {
  char *end;
  *out = strtod(s, &end);
  return (end == s || *end || *out < lo || *out > hi) ? -1 : 0;
}

static int add_file(const char **files, size_t *n, const char *opt, const char *v) {
  if (*n == MAX_OPT_FILES)
    return cli_usage_error("too many %s options (at most %d)", opt, MAX_OPT_FILES), -1;
  files[(*n)++] = v;
  return 0;
}

/* One option with its value; returns -1 after a usage error. */
static int set_opt(screen_cli *o, const char *a, const char *v) {
  double d;
  if (!strcmp(a, "--controls"))
    return add_file(o->controls, &o->n_controls, a, v) ? -1 : 1;
  if (!strcmp(a, "--map-field")) {
    if (!strchr(v, '='))
      return cli_usage_error("--map-field takes FIELD=COLUMN"), -1;
    return add_file(o->map_fields, &o->n_map_fields, a, v) ? -1 : 1;
  }
  if (!strcmp(a, "--rules"))
    o->rules = v;
  else if (!strcmp(a, "--map"))
    o->map = v;
  else if (!strcmp(a, "--report"))
    o->report = v;
  else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
    o->output = v;
  else if (!strcmp(a, "--input-format")) {
    if (strcmp(v, "auto") && strcmp(v, "csv") && strcmp(v, "jsonl"))
      return cli_usage_error("--input-format takes auto, csv or jsonl"), -1;
    o->input_format = v;
  } else if (!strcmp(a, "--delimiter")) {
    if (!strcmp(v, "\\t") || !strcmp(v, "tab"))
      v = "\t";
    if (strlen(v) != 1)
      return cli_usage_error("--delimiter takes one character (or 'tab')"), -1;
    o->delimiter = v[0];
  } else if (!strcmp(a, "--format")) {
    if (!strcmp(v, "jsonl") || !strcmp(v, "json"))
      o->format = EMB_ALERTS_JSONL;
    else if (!strcmp(v, "csv"))
      o->format = EMB_ALERTS_CSV;
    else
      return cli_usage_error("--format takes jsonl or csv"), -1;
  } else if (!strcmp(a, "--on-error")) {
    if (!strcmp(v, "skip"))
      o->on_error = EMB_ON_ERROR_SKIP;
    else if (!strcmp(v, "keep"))
      o->on_error = EMB_ON_ERROR_KEEP;
    else if (!strcmp(v, "stop"))
      o->on_error = EMB_ON_ERROR_STOP;
    else
      return cli_usage_error("--on-error takes skip, keep or stop"), -1;
  } else if (!strcmp(a, "--threads")) {
    if (parse_count(v, 1, 256, &d) || d != floor(d))
      return cli_usage_error("--threads takes a whole number from 1 to 256"), -1;
    o->threads = (unsigned)d;
  } else if (!strcmp(a, "--threshold")) {
    if (parse_count(v, 1e-9, 1, &d))
      return cli_usage_error("--threshold takes a number in (0, 1]"), -1;
    o->threshold = d;
  } else
    return 0;
  return 1;
}

static int screen_opt(int argc, char **argv, int i, void *ud) {
  screen_cli *o = ud;
  const char *a = argv[i];
  if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
    o->quiet = true;
    return 1;
  }
  if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
    o->verbose = true;
    return 1;
  }
  const char *eq = strchr(a, '=');
  if (eq && !strncmp(a, "--", 2)) { /* --opt=value */
    char name[64];
    size_t n = (size_t)(eq - a);
    if (n >= sizeof(name))
      return 0;
    memcpy(name, a, n);
    name[n] = '\0';
    int r = set_opt(o, name, eq + 1);
    return r < 0 ? -1 : r;
  }
  static const char *const with_value[] = {
      "--controls",  "--map-field",    "--rules",     "--map",      "--report",
      "-o",          "--output",       "--format",    "--on-error", "--threads",
      "--threshold", "--input-format", "--delimiter", NULL};
  for (int k = 0; with_value[k]; k++) {
    if (strcmp(a, with_value[k]) != 0)
      continue;
    if (i + 1 >= argc)
      return cli_usage_error("%s needs a value", a), -1;
    int r = set_opt(o, a, argv[i + 1]);
    return r < 0 ? -1 : 2;
  }
  return 0;
}

/* ---- progress bar (stderr, terminals only) ---- */

typedef struct progress_state {
  double started; /* of the current phase */
  double last_draw;
  const char *phase;
  bool drawn;
} progress_state;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void format_duration(double s, char *buf, size_t size) {
  if (!(s >= 0) || s > 359999)
    snprintf(buf, size, "--:--");
  else if (s >= 3600)
    snprintf(buf, size, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60, (int)s % 60);
  else
    snprintf(buf, size, "%d:%02d", (int)s / 60, (int)s % 60);
}

static void draw_progress(void *ud, const emb_screen_progress *p) {
  progress_state *st = ud;
  double t = now_seconds();
  if (!st->phase || strcmp(st->phase, p->phase) != 0) {
    st->phase = p->phase;
    st->started = t;
    st->last_draw = 0;
  }
  bool finished = p->total > 0 && p->done >= p->total;
  if (!finished && t - st->last_draw < 0.1)
    return;
  st->last_draw = t;
  double elapsed = t - st->started;
  double frac = p->total > 0 ? p->done / p->total : 0;
  if (frac > 1)
    frac = 1;
  char bar[31];
  int filled = (int)(frac * 30);
  for (int i = 0; i < 30; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[30] = '\0';
  char eta[16];
  format_duration(frac > 0.001 && elapsed > 0.2 ? elapsed * (1 - frac) / frac : -1, eta,
                  sizeof(eta));
  double rate = elapsed > 0 ? (double)p->records / elapsed : 0;
  if (!strcmp(p->phase, "parties"))
    fprintf(stderr, "\r%-9s [%s] %3.0f%% %zu/%.0f parties  ETA %s   ", p->phase, bar, frac * 100,
            (size_t)p->done, p->total, eta);
  else if (p->total > 0)
    fprintf(stderr, "\r%-9s [%s] %3.0f%% %zu rows %.0f rows/s  ETA %s   ", p->phase, bar,
            frac * 100, p->records, rate, eta);
  else
    fprintf(stderr, "\r%-9s %zu rows %.0f rows/s   ", p->phase, p->records, rate);
  st->drawn = true;
}

static void print_summary(const emb_screen_stats *s, double seconds) {
  fprintf(stderr,
          "embargo: %zu records read, %zu skipped, %zu alerted (high %zu, medium %zu, low %zu); "
          "%zu distinct parties, %zu matched a list; %.1f s\n",
          s->records_read, s->records_skipped, s->records_alerted, s->alerts_by_risk[3],
          s->alerts_by_risk[2], s->alerts_by_risk[1], s->parties, s->parties_matched, seconds);
  if (s->stopped)
    fprintf(stderr, "embargo: stopped at the first malformed record (--on-error stop)\n");
}

int cmd_screen(int argc, char **argv) {
  screen_cli o = {.on_error = EMB_ON_ERROR_SKIP};
  const char **lists = NULL, **args = NULL;
  size_t n_lists = 0, n_args = 0;
  int rc = cli_collect_args(argc, argv, &lists, &n_lists, &args, &n_args, screen_opt, &o);
  if (rc)
    return rc;
  if (n_args != 1) {
    free(lists);
    free(args);
    return cli_usage_error("screen needs one RECORDS file (or - for stdin)");
  }
  double t0 = now_seconds();
  const char *defaults[CLI_N_DEFAULT_LISTS];
  const char **use = lists;
  size_t n_use = n_lists;
  if (!n_use)
    n_use = cli_default_lists(use = defaults);
  emb_entity_set *set = NULL;
  emb_matcher *m = NULL;
  int status = cli_build_matcher(use, n_use, o.threshold, o.verbose, &set, &m);
  FILE *out = stdout, *report = NULL;
  if (m && o.output && !(out = fopen(o.output, "w"))) {
    fprintf(stderr, "embargo: cannot write %s\n", o.output);
    status = EXIT_INPUT;
  }
  if (m && out && o.report && !(report = fopen(o.report, "w"))) {
    fprintf(stderr, "embargo: cannot write the report %s\n", o.report);
    status = EXIT_INPUT;
  }
  if (m && out && (!o.report || report)) {
    emb_screen_opts so = emb_screen_opts_default();
    so.controls = o.controls;
    so.n_controls = o.n_controls;
    so.rules = o.rules;
    so.map = o.map;
    so.map_fields = o.map_fields;
    so.n_map_fields = o.n_map_fields;
    so.input_format = o.input_format;
    so.delimiter = o.delimiter;
    so.on_error = o.on_error;
    so.threads = o.threads;
    so.format = o.format;
    so.alerts = out;
    so.report = report;
    char stamp[64];
    time_t now = time(NULL);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
    so.report_time = stamp;
    so.lists_seconds = now_seconds() - t0;
    progress_state ps = {0};
    if (!o.quiet && isatty(STDERR_FILENO)) {
      so.progress = draw_progress;
      so.progress_ud = &ps;
    }
    emb_screen_stats stats;
    emb_diags d;
    emb_diags_init(&d);
    int r = emb_screen_file(set, m, args[0], &so, &stats, &d);
    if (ps.drawn)
      fputs("\r\033[K", stderr);
    cli_print_diags(stderr, &d);
    emb_diags_fini(&d);
    if (r && r != EMB_EFORMAT && r != EMB_EIO && r != EMB_EINVAL)
      fprintf(stderr, "embargo: screening failed: %s\n", emb_strerror(r));
    if (r)
      status = EXIT_INPUT;
    if (fflush(out) || ferror(out)) {
      fprintf(stderr, "embargo: writing the alerts failed\n");
      status = EXIT_INPUT;
    }
    print_summary(&stats, now_seconds() - t0);
    if (report) {
      long written = ftell(report);
      if (fclose(report)) {
        fprintf(stderr, "embargo: writing the report %s failed\n", o.report);
        status = EXIT_INPUT;
      } else if (written <= 0) {
        remove(o.report); /* nothing was screened: no report rather than an empty file */
        fprintf(stderr, "embargo: no report written\n");
      } else
        fprintf(stderr, "embargo: report written to %s\n", o.report);
      report = NULL;
    }
  }
  if (report)
    fclose(report);
  if (out && out != stdout)
    fclose(out);
  emb_matcher_free(m);
  emb_set_free(set);
  free(lists);
  free(args);
  return status;
}
