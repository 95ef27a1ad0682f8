/*
 * run.c - emb_screen_file(): a file of trade records in, alerts out (docs/SCREEN.md).
 *
 * Two passes over the input, so that red flags can use the whole file and every
 * distinct party is screened once:
 *
 *   pass 1 (one thread)   read every record; check its HS code and country fields and
 *                         report problems with line and field; add its parties to the
 *                         party table; feed the red-flag statistics;
 *   parties (all cores)   screen every distinct party against the lists;
 *   pass 2 (all cores)    read again; batches of records go to worker threads that
 *                         build each record's alert (parties, goods, route, red flags);
 *                         the main thread writes the alerts in input order and feeds the
 *                         report.
 *
 * stdin is first copied to a spill file, which both passes read. Memory grows with the
 * distinct parties, places and codes, never with the number of records.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/sha256.h"
#include "core/strmap.h"
#include "screen/alert.h"
#include "screen/party.h"
#include "screen/record.h"
#include "screen/report.h"
#include "screen/screener.h"

emb_screen_opts emb_screen_opts_default(void) {
  emb_screen_opts o = {0};
  o.on_error = EMB_ON_ERROR_SKIP;
  o.format = EMB_ALERTS_JSONL;
  return o;
}

/* ---- the spill file for stdin ---- */

/* Copies stdin into a new temporary file; its path goes into path (size >= 4096). */
static int spill_stdin(const char *dir, char *path, size_t size, emb_diags *diags) {
  if (!dir || !*dir)
    dir = getenv("TMPDIR");
  if (!dir || !*dir)
    dir = "/tmp";
  if (snprintf(path, size, "%s/embargo-stdin-XXXXXX", dir) >= (int)size)
    return EMB_EINVAL;
  int fd = mkstemp(path);
  if (fd < 0) {
    emb__error(diags, EMB_EIO, "<stdin>", 0, 0, NULL, "cannot create a spill file in %s: %s", dir,
               strerror(errno));
    path[0] = '\0';
    return EMB_EIO;
  }
  static char buf[1 << 16];
  int rc = 0;
  for (;;) {
    ssize_t got = read(STDIN_FILENO, buf, sizeof(buf));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      emb__error(diags, EMB_EIO, "<stdin>", 0, 0, NULL, "cannot read: %s", strerror(errno));
      rc = EMB_EIO;
      break;
    }
    if (got == 0)
      break;
    for (ssize_t off = 0; off < got;) {
      ssize_t w = write(fd, buf + off, (size_t)(got - off));
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0) {
        emb__error(diags, EMB_EIO, path, 0, 0, NULL, "cannot write the spill file: %s",
                   strerror(errno));
        close(fd);
        return EMB_EIO;
      }
      off += w;
    }
  }
  if (close(fd) && !rc) {
    emb__error(diags, EMB_EIO, path, 0, 0, NULL, "cannot write the spill file: %s",
               strerror(errno));
    rc = EMB_EIO;
  }
  return rc;
}

/* ---- pass 1 ---- */

typedef struct run {
  const emb_screen_opts *opts;
  emb_screener *screener;
  emb_diags *diags;
  emb_screen_stats *stats;
  const char *path;  /* the file both passes read */
  const char *shown; /* its name in messages ("<stdin>" for a spill file) */
  emb_trade_map *map;
  emb_trade_reader_opts ropts;
  unsigned long stop_index; /* records from this index on are not screened (STOP) */
  double file_size;         /* bytes, for progress; 0 when unknown */
  int rc;                   /* the run's result so far */
} run;

static void progress(const run *r, const char *phase, double done, double total, size_t records) {
  if (!r->opts->progress)
    return;
  emb_screen_progress p = {phase, done, total, records};
  r->opts->progress(r->opts->progress_ud, &p);
}

static int open_reader(run *r, emb_trade_reader **rd, emb_diags *diags) {
  int rc = emb__trade_reader_open(r->path, r->map, &r->ropts, rd, diags);
  if (!rc)
    emb__trade_reader_set_name(*rd, r->shown);
  return rc;
}

static int pass1(run *r) {
  emb_trade_reader *rd;
  int rc = open_reader(r, &rd, r->diags);
  if (rc)
    return rc;
  emb_trade_record rec;
  size_t n = 0;
  r->stop_index = (unsigned long)-1;
  while ((rc = emb__trade_reader_next(rd, &rec)) == 1) {
    n++;
    bool ok = emb__screener_check(r->screener, &rec, r->shown, r->diags);
    if (!ok) {
      r->stats->records_bad++;
      if (r->opts->on_error == EMB_ON_ERROR_STOP) {
        r->stop_index = rec.index;
        r->stats->stopped = true;
        break;
      }
      if (r->opts->on_error == EMB_ON_ERROR_SKIP)
        continue;
    }
    rc = emb__screener_observe(r->screener, &rec);
    if (rc)
      break;
    if ((n & 8191) == 0)
      progress(r, "reading", emb__trade_reader_offset(rd), r->file_size, n);
  }
  progress(r, "reading", r->file_size, r->file_size, n);
  emb__trade_reader_close(rd);
  r->stats->records_read = n;
  if (rc > 0)
    rc = 0;
  return rc;
}

/* ---- pass 2: batches of records screened by worker threads, written in order ---- */

#define BATCH_RECORDS 1024

typedef enum { BATCH_FREE = 0, BATCH_FILLED, BATCH_TAKEN, BATCH_DONE } batch_state;

typedef struct batch {
  batch_state state;
  size_t n;
  emb_trade_record recs[BATCH_RECORDS];
  emb_report_record summary[BATCH_RECORDS];
  emb_arena strings; /* copies of the records' fields */
  emb_buf out;       /* the alerts, written */
  size_t alerted, by_risk[4];
  int rc;
} batch;

typedef struct pipeline {
  const emb_screener *screener;
  const emb_screen_opts *opts;
  bool want_summary;
  batch *ring;
  size_t n_ring;
  size_t next_take; /* the next batch a worker takes (sequence number) */
  size_t next_fill; /* the next batch the reader fills */
  bool closing;
  pthread_mutex_t mu;
  pthread_cond_t filled; /* a batch was filled (or closing) */
  pthread_cond_t done;   /* a batch was done */
} pipeline;

/* Copies a record into the batch's arena. */
static int copy_record(batch *b, const emb_trade_record *src) {
  emb_trade_record *dst = &b->recs[b->n];
  *dst = *src;
  dst->extra = NULL;
  dst->n_extra = 0;
  for (int f = 0; f < EMB_TF_COUNT; f++) {
    char *v = emb__arena_strndup(&b->strings, src->v[f] ? src->v[f] : "", src->len[f]);
    if (!v)
      return EMB_ENOMEM;
    dst->v[f] = v;
  }
  b->n++;
  return 0;
}

static void screen_batch(pipeline *p, emb_screen_worker *w, emb_alert *alert, batch *b) {
  emb__buf_reset(&b->out);
  b->alerted = 0;
  memset(b->by_risk, 0, sizeof(b->by_risk));
  b->rc = 0;
  for (size_t i = 0; i < b->n && !b->rc; i++) {
    emb_report_record *sum = p->want_summary ? &b->summary[i] : NULL;
    b->rc = emb__screen_record(p->screener, w, &b->recs[i], alert, sum);
    if (b->rc || !emb__alert_raised(alert))
      continue;
    b->alerted++;
    b->by_risk[alert->risk]++;
    b->rc = p->opts->format == EMB_ALERTS_CSV ? emb__alert_csv(alert, &b->out)
                                              : emb__alert_json(alert, &b->out);
  }
}

typedef struct worker_arg {
  pipeline *p;
  int rc;
} worker_arg;

static void *worker_main(void *arg) {
  worker_arg *wa = arg;
  pipeline *p = wa->p;
  emb_screen_worker *w = emb__screen_worker_new(p->screener);
  emb_alert *alert = malloc(sizeof(*alert));
  if (!w || !alert)
    wa->rc = EMB_ENOMEM; /* keeps taking batches, failing them, so that none is left behind */
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->closing && (p->next_take == p->next_fill ||
                           p->ring[p->next_take % p->n_ring].state != BATCH_FILLED))
      pthread_cond_wait(&p->filled, &p->mu);
    if (p->next_take == p->next_fill && p->closing)
      break;
    batch *b = &p->ring[p->next_take % p->n_ring];
    p->next_take++;
    b->state = BATCH_TAKEN;
    pthread_mutex_unlock(&p->mu);
    if (wa->rc)
      b->rc = wa->rc;
    else
      screen_batch(p, w, alert, b);
    pthread_mutex_lock(&p->mu);
    b->state = BATCH_DONE;
    pthread_cond_broadcast(&p->done);
  }
  pthread_mutex_unlock(&p->mu);
  emb__screen_worker_free(w);
  free(alert);
  return NULL;
}

/* Writes a finished batch: alerts to the output, summaries to the report, counts. */
static int drain_batch(run *r, emb_report *report, batch *b) {
  int rc = b->rc;
  if (!rc && b->out.len && fwrite(b->out.data, 1, b->out.len, r->opts->alerts) != b->out.len)
    rc = EMB_EIO;
  for (size_t i = 0; i < b->n && report && !rc; i++)
    if (b->summary[i].record_id) /* NULL: a malformed record left out */
      rc = emb__report_add_record(report, &b->summary[i]);
  r->stats->records_alerted += b->alerted;
  for (int k = 0; k < 4; k++)
    r->stats->alerts_by_risk[k] += b->by_risk[k];
  b->n = 0;
  emb__arena_reset(&b->strings);
  b->state = BATCH_FREE;
  return rc;
}

static int pass2(run *r, emb_report *report, unsigned threads) {
  emb_diags quiet; /* pass 1 already reported every problem */
  emb_diags_init(&quiet);
  emb_trade_reader *rd;
  int rc = open_reader(r, &rd, &quiet);
  if (rc) {
    emb_diags_fini(&quiet);
    return rc;
  }
  pipeline p = {.screener = r->screener, .opts = r->opts, .want_summary = report != NULL};
  p.n_ring = 2 * (size_t)threads + 2;
  p.ring = calloc(p.n_ring, sizeof(*p.ring));
  worker_arg *args = calloc(threads, sizeof(*args));
  pthread_t *tids = calloc(threads, sizeof(*tids));
  if (!p.ring || !args || !tids) {
    free(p.ring);
    free(args);
    free(tids);
    emb__trade_reader_close(rd);
    emb_diags_fini(&quiet);
    return EMB_ENOMEM;
  }
  for (size_t i = 0; i < p.n_ring; i++) {
    emb__arena_init(&p.ring[i].strings, 1 << 18);
    emb__buf_init(&p.ring[i].out, 0);
  }
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.filled, NULL);
  pthread_cond_init(&p.done, NULL);
  unsigned started = 0;
  for (unsigned t = 0; t < threads; t++) {
    args[t].p = &p;
    if (pthread_create(&tids[t], NULL, worker_main, &args[t]))
      break;
    started++;
  }
  size_t next_drain = 0, n = 0;
  emb_trade_record rec;
  int rd_rc = 0;
  bool more = started > 0;
  if (!started)
    rc = EMB_ENOMEM;
  while (more && !rc) {
    /* Fill the next free slot, draining finished batches in order while waiting. */
    pthread_mutex_lock(&p.mu);
    batch *slot = &p.ring[p.next_fill % p.n_ring];
    while (slot->state != BATCH_FREE) {
      batch *oldest = &p.ring[next_drain % p.n_ring];
      while (oldest->state != BATCH_DONE)
        pthread_cond_wait(&p.done, &p.mu);
      pthread_mutex_unlock(&p.mu);
      rc = drain_batch(r, report, oldest);
      next_drain++;
      pthread_mutex_lock(&p.mu);
      if (rc)
        break;
    }
    pthread_mutex_unlock(&p.mu);
    if (rc)
      break;
    while (slot->n < BATCH_RECORDS) {
      rd_rc = emb__trade_reader_next(rd, &rec);
      if (rd_rc != 1 || rec.index >= r->stop_index) {
        more = false;
        break;
      }
      n++;
      if (rec.bad && r->opts->on_error != EMB_ON_ERROR_KEEP)
        continue; /* the workers leave out records with bad fields the same way */
      if ((rc = copy_record(slot, &rec)))
        break;
    }
    if ((n & 8191) < BATCH_RECORDS)
      progress(r, "screening", emb__trade_reader_offset(rd), r->file_size, n);
    pthread_mutex_lock(&p.mu);
    slot->state = BATCH_FILLED;
    p.next_fill++;
    pthread_cond_broadcast(&p.filled);
    pthread_mutex_unlock(&p.mu);
  }
  pthread_mutex_lock(&p.mu);
  p.closing = true;
  pthread_cond_broadcast(&p.filled);
  pthread_mutex_unlock(&p.mu);
  for (unsigned t = 0; t < started; t++)
    pthread_join(tids[t], NULL);
  /* Every filled batch is done now; write the rest in order. */
  for (; next_drain < p.next_fill; next_drain++) {
    int drc = drain_batch(r, report, &p.ring[next_drain % p.n_ring]);
    if (!rc)
      rc = drc;
  }
  for (unsigned t = 0; t < started; t++)
    if (!rc && args[t].rc)
      rc = args[t].rc;
  if (!rc && rd_rc < 0)
    rc = rd_rc;
  progress(r, "screening", r->file_size, r->file_size, n);
  for (size_t i = 0; i < p.n_ring; i++) {
    emb__arena_fini(&p.ring[i].strings);
    emb__buf_fini(&p.ring[i].out);
  }
  pthread_mutex_destroy(&p.mu);
  pthread_cond_destroy(&p.filled);
  pthread_cond_destroy(&p.done);
  free(p.ring);
  free(args);
  free(tids);
  emb__trade_reader_close(rd);
  emb_diags_fini(&quiet);
  return rc;
}

/* ---- the run ---- */

static double file_size(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  double size = 0;
  if (!fseek(f, 0, SEEK_END)) {
    long n = ftell(f);
    size = n > 0 ? (double)n : 0;
  }
  fclose(f);
  return size;
}

static void parties_progress(void *ud, size_t done, size_t total) {
  progress(ud, "parties", (double)done, (double)total, done);
}

static int build_map(run *r) {
  r->map = emb__trade_map_new();
  if (!r->map)
    return EMB_ENOMEM;
  int rc = 0;
  if (r->opts->map)
    rc = emb__trade_map_load(r->map, r->opts->map, r->diags);
  for (size_t i = 0; i < r->opts->n_map_fields && rc != EMB_ENOMEM; i++) {
    const char *pair = r->opts->map_fields[i];
    const char *eq = strchr(pair, '=');
    char field[64];
    size_t n = eq ? (size_t)(eq - pair) : 0;
    if (!eq || n == 0 || n >= sizeof(field)) {
      emb__error(r->diags, EMB_EINVAL, "--map-field", 0, 0, NULL, "'%s' is not FIELD=COLUMN", pair);
      rc = EMB_EINVAL;
      continue;
    }
    memcpy(field, pair, n);
    field[n] = '\0';
    int frc = emb__trade_map_set(r->map, field, eq + 1);
    if (frc == EMB_EINVAL)
      emb__error(r->diags, EMB_EINVAL, "--map-field", 0, 0, NULL,
                 "'%s' is not a trade field (docs/TRADE_RECORDS.md lists them)", field);
    if (frc)
      rc = frc;
  }
  return rc ? (rc == EMB_ENOMEM ? rc : EMB_EINVAL) : 0;
}

static int write_report(run *r, emb_report *report, const emb_entity_set *set, double t_load,
                        double t_screen) {
  size_t n_lists = emb_set_source_count(set);
  emb_report_list *lists = calloc(n_lists ? n_lists : 1, sizeof(*lists));
  if (!lists)
    return EMB_ENOMEM;
  for (size_t i = 0; i < n_lists; i++) {
    const emb_source *src = emb_set_source(set, i);
    lists[i] = (emb_report_list){src->path, src->sha256, src->published, src->n_entities};
  }
  emb_report_meta meta = {0};
  meta.engine_version = EMB_VERSION;
  meta.generated_at = r->opts->report_time;
  meta.input = r->shown;
  meta.lists = lists;
  meta.n_lists = n_lists;
  meta.controls = emb__screener_control_files(r->screener, &meta.n_controls);
  meta.rules = emb__screener_rule_files(r->screener, &meta.n_rules);
  meta.records_read = r->stats->records_read;
  meta.records_skipped = r->stats->records_skipped;
  meta.records_alerted = r->stats->records_alerted;
  meta.seconds_load = t_load;
  meta.seconds_screen = t_screen;
  int rc = emb__report_write(report, r->opts->report, &meta);
  free(lists);
  return rc;
}

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned default_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

int emb_screen_file(const emb_entity_set *set, const emb_matcher *m, const char *records,
                    const emb_screen_opts *opts, emb_screen_stats *stats, emb_diags *diags) {
  memset(stats, 0, sizeof(*stats));
  if (!set || !m || !records || !opts || !opts->alerts)
    return EMB_EINVAL;
  double t0 = seconds_now();
  run r = {.opts = opts, .diags = diags, .stats = stats, .path = records, .shown = records};
  r.ropts = emb__trade_reader_opts_default();
  if (opts->input_format && !strcmp(opts->input_format, "csv"))
    r.ropts.format = EMB_TRADE_CSV;
  else if (opts->input_format && !strcmp(opts->input_format, "jsonl"))
    r.ropts.format = EMB_TRADE_JSONL;
  r.ropts.delimiter = opts->delimiter;
  unsigned threads = opts->threads ? opts->threads : default_threads();
  char spill[4096] = "";
  emb_report *report = NULL;
  int rc = emb__screener_new(set, m, opts, &r.screener, diags);
  if (!rc)
    rc = build_map(&r);
  if (!rc && !strcmp(records, "-")) {
    rc = spill_stdin(opts->spill_dir, spill, sizeof(spill), diags);
    r.path = spill;
    r.shown = "<stdin>";
  }
  if (!rc && opts->report && !(report = emb__report_new()))
    rc = EMB_ENOMEM;
  if (!rc) {
    r.file_size = file_size(r.path);
    if (opts->format == EMB_ALERTS_CSV) {
      emb_buf h;
      emb__buf_init(&h, 0);
      rc = emb__alert_csv_header(&h);
      if (!rc && fwrite(h.data, 1, h.len, opts->alerts) != h.len)
        rc = EMB_EIO;
      emb__buf_fini(&h);
    }
  }
  double t_rules = seconds_now() - t0; /* rules, controls, gazetteer, spill */
  double t_load = t_rules + (opts->lists_seconds > 0 ? opts->lists_seconds : 0);
  if (!rc)
    rc = pass1(&r);
  if (!rc)
    rc = emb__screener_prepare(r.screener, threads, parties_progress, &r);
  if (!rc)
    rc = pass2(&r, report, threads);
  stats->parties = r.screener ? emb__screener_parties(r.screener, &stats->parties_matched) : 0;
  if (opts->on_error != EMB_ON_ERROR_KEEP)
    stats->records_skipped = stats->records_bad;
  if (!rc && report)
    rc = write_report(&r, report, set, t_load, seconds_now() - t0 - t_rules);
  if (!rc && (stats->records_bad || (diags && diags->n_errors)))
    rc = EMB_EFORMAT;
  if (spill[0])
    unlink(spill);
  emb__report_free(report);
  emb__trade_map_free(r.map);
  emb__screener_free(r.screener);
  return rc;
}
