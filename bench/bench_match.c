/*
 * bench_match.c - screening speed: snapshot build, batch throughput, single-query latency,
 * against a naive baseline run in the same process.
 *
 * usage: bench_match QUERIES.csv LIST...
 *
 * QUERIES.csv needs a `name` column (birth_date, nationality, schema used when present).
 * Reports:
 *   - load time of the lists and build time of the snapshot (median of 3 builds);
 *   - batch: all queries one after the other on one thread, queries/s (median of 5 runs,
 *     each in a fresh context, so that no run starts with what an earlier one remembered;
 *     wall and thread CPU time, the second not inflated by other jobs on the machine);
 *   - latency: each query timed alone, p50 / p99 / max;
 *   - baseline: exhaustive Jaro-Winkler of the query against every name of every entity
 *     (what OFAC-style tools do), on the first 200 queries, queries/s; and the ratio;
 *   - peak RSS.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "embargo.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct qrow {
  char *name, *birth, *nat;
  emb_schema schema;
} qrow;

static char *dup_field(const char *const *f, size_t n, int col) {
  return (col >= 0 && (size_t)col < n && f[col][0]) ? strdup(f[col]) : NULL;
}

static qrow *read_queries(const char *path, size_t *n_out) {
  emb_diags d;
  emb_diags_init(&d);
  emb_table *t;
  if (emb_table_open(path, &t, &d))
    return NULL;
  int cn = emb_table_column(t, "name"), cb = emb_table_column(t, "birth_date");
  int cc = emb_table_column(t, "nationality"), cs = emb_table_column(t, "schema");
  size_t cap = 1024, n = 0;
  qrow *v = malloc(cap * sizeof(*v));
  const char *const *f;
  size_t nf;
  unsigned long line;
  bool ragged;
  while (emb_table_next(t, &f, &nf, &line, &ragged) == 1) {
    if (ragged || cn < 0 || (size_t)cn >= nf)
      continue;
    if (n == cap)
      v = realloc(v, (cap *= 2) * sizeof(*v));
    v[n].name = dup_field(f, nf, cn);
    v[n].birth = dup_field(f, nf, cb);
    v[n].nat = dup_field(f, nf, cc);
    v[n].schema = cs >= 0 && (size_t)cs < nf ? emb_schema_parse(f[cs]) : EMB_SCHEMA_UNKNOWN;
    if (v[n].name)
      n++;
  }
  emb_table_close(t);
  emb_diags_fini(&d);
  *n_out = n;
  return v;
}

/* --- the baseline: Jaro-Winkler over every name, ASCII-folded upper case ------------ */

static void fold(const char *s, char *out, size_t size) {
  size_t o = 0;
  for (; *s && o + 1 < size; s++)
    out[o++] = (char)toupper((unsigned char)*s);
  out[o] = '\0';
}

static double jaro_winkler(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (!la || !lb)
    return 0.0;
  if (la > 256 || lb > 256)
    return 0.0;
  size_t range = (la > lb ? la : lb) / 2;
  range = range ? range - 1 : 0;
  bool ma[256] = {0}, mb[256] = {0};
  size_t m = 0;
  for (size_t i = 0; i < la; i++) {
    size_t lo = i > range ? i - range : 0, hi = i + range + 1 < lb ? i + range + 1 : lb;
    for (size_t j = lo; j < hi; j++)
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        m++;
        break;
      }
  }
  if (!m)
    return 0.0;
  size_t t = 0, k = 0;
  for (size_t i = 0; i < la; i++)
    if (ma[i]) {
      while (!mb[k])
        k++;
      if (a[i] != b[k])
        t++;
      k++;
    }
  double dm = (double)m;
  double j = (dm / (double)la + dm / (double)lb + (dm - (double)t / 2.0) / dm) / 3.0;
  size_t p = 0;
  while (p < 4 && p < la && p < lb && a[p] == b[p])
    p++;
  return j + (double)p * 0.1 * (1.0 - j);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_match QUERIES.csv LIST...\n");
    return 2;
  }
  size_t nq;
  qrow *qs = read_queries(argv[1], &nq);
  if (!qs || !nq) {
    fprintf(stderr, "bench_match: no queries in %s\n", argv[1]);
    return 1;
  }
  double t0 = now();
  emb_entity_set *set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  for (int i = 2; i < argc; i++)
    emb_load(set, argv[i], &d);
  double t_load = now() - t0;
  size_t n_names = 0;
  for (size_t i = 0; i < emb_set_count(set); i++)
    n_names += emb_set_get(set, i)->n_names;

  double builds[3];
  emb_matcher *m = NULL;
  for (int r = 0; r < 3; r++) {
    emb_matcher_free(m);
    t0 = now();
    if (emb_matcher_new(set, NULL, &m)) {
      fprintf(stderr, "bench_match: cannot build the matcher\n");
      return 1;
    }
    builds[r] = now() - t0;
  }
  qsort(builds, 3, sizeof(double), cmp_double);
  emb_match_ctx *c = NULL;

#define BATCH_RUNS 5
  double runs[BATCH_RUNS], cpu_runs[BATCH_RUNS];
  size_t alerts = 0;
  for (int r = 0; r < BATCH_RUNS; r++) {
    /* A fresh context per run: a batch starts with nothing remembered (the context keeps
     * recent word expansions and transliterations). */
    emb_match_ctx_free(c);
    if (emb_match_ctx_new(m, &c)) {
      fprintf(stderr, "bench_match: cannot create a context\n");
      return 1;
    }
    alerts = 0;
    t0 = now();
    double c0 = cpu_now();
    for (size_t i = 0; i < nq; i++) {
      emb_query q = {qs[i].name, qs[i].schema, qs[i].birth, qs[i].nat, NULL, NULL, 0};
      const emb_match_result *res;
      size_t n;
      emb_match(c, &q, 5, &res, &n);
      alerts += n && res[0].match;
    }
    cpu_runs[r] = cpu_now() - c0;
    runs[r] = now() - t0;
  }
  qsort(runs, BATCH_RUNS, sizeof(double), cmp_double);
  qsort(cpu_runs, BATCH_RUNS, sizeof(double), cmp_double);

  /* Wall-clock latency, and CPU time per query (which other jobs on the machine do not
   * inflate: preemption shows in the first, not the second). */
  double *lat = malloc(nq * sizeof(double)), *cpu = malloc(nq * sizeof(double));
  for (size_t i = 0; i < nq; i++) {
    emb_query q = {qs[i].name, qs[i].schema, qs[i].birth, qs[i].nat, NULL, NULL, 0};
    const emb_match_result *res;
    size_t n;
    double a = now(), b = cpu_now();
    emb_match(c, &q, 5, &res, &n);
    cpu[i] = cpu_now() - b;
    lat[i] = now() - a;
  }
  qsort(lat, nq, sizeof(double), cmp_double);
  qsort(cpu, nq, sizeof(double), cmp_double);

  /* Baseline: fold every name once, then JW of each query against all of them. */
  char **folded = malloc(n_names * sizeof(char *));
  size_t k = 0;
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    for (size_t j = 0; j < e->n_names; j++) {
      char buf[512];
      fold(e->names[j].full, buf, sizeof(buf));
      folded[k++] = strdup(buf);
    }
  }
  size_t nb = nq < 200 ? nq : 200;
  volatile double sink = 0;
  t0 = now();
  for (size_t i = 0; i < nb; i++) {
    char qb[512];
    fold(qs[i].name, qb, sizeof(qb));
    double best = 0;
    for (size_t j = 0; j < n_names; j++) {
      double s = jaro_winkler(qb, folded[j]);
      if (s > best)
        best = s;
    }
    sink += best;
  }
  double t_base = now() - t0;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);

  double qps = (double)nq / runs[BATCH_RUNS / 2], base_qps = (double)nb / t_base;
  printf("lists: %d files, %zu entities, %zu names; load %.3f s\n", argc - 2, emb_set_count(set),
         n_names, t_load);
  printf("snapshot build: median %.3f s (min %.3f, max %.3f)\n", builds[1], builds[0], builds[2]);
  printf("batch, one thread: %zu queries, median of %d runs %.3f s -> %.0f queries/s "
         "(min %.3f s, max %.3f s; %zu alerts)\n",
         nq, BATCH_RUNS, runs[BATCH_RUNS / 2], qps, runs[0], runs[BATCH_RUNS - 1], alerts);
  printf("batch, thread CPU time: median %.3f s -> %.0f queries/s\n", cpu_runs[BATCH_RUNS / 2],
         (double)nq / cpu_runs[BATCH_RUNS / 2]);
  printf("latency, single query, wall: p50 %.1f us, p99 %.1f us, max %.1f us\n", lat[nq / 2] * 1e6,
         lat[(size_t)((double)nq * 0.99)] * 1e6, lat[nq - 1] * 1e6);
  printf("latency, single query, CPU:  p50 %.1f us, p99 %.1f us, max %.1f us\n", cpu[nq / 2] * 1e6,
         cpu[(size_t)((double)nq * 0.99)] * 1e6, cpu[nq - 1] * 1e6);
  printf("baseline (exhaustive Jaro-Winkler over all names), %zu queries: %.1f queries/s\n", nb,
         base_qps);
  printf("ratio embargo/baseline: %.0fx\n", qps / base_qps);
  printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
  (void)sink;
  emb_match_ctx_free(c);
  emb_matcher_free(m);
  emb_set_free(set);
  emb_diags_fini(&d);
  free(lat);
  free(cpu);
  return 0;
}
