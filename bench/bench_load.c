/*
 * bench_load.c - time and peak memory to load the main lists together.
 *
 * usage: bench_load [-n RUNS] SPEC...
 *
 * Each run loads every SPEC into one fresh entity set (as the screening engine will),
 * and the baseline run streams the same files through the input layer without parsing
 * (decompression and I/O only: the floor any loader pays). Reports the median of RUNS
 * for both, their ratio, and the peak RSS of the process (getrusage), which covers one
 * full set alive at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/input.h"
#include "embargo.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Streams every regular file named by the specs (directories: their members) to /dev/null. */
static size_t raw_read_all(int n, char **specs) {
  static unsigned char buf[1 << 16];
  size_t total = 0;
  for (int i = 0; i < n; i++) {
    const char *p = strchr(specs[i], ':') ? strchr(specs[i], ':') + 1 : specs[i];
    char cmd[4096];
    snprintf(cmd, sizeof(cmd), "find '%s' -type f", p);
    FILE *f = popen(cmd, "r");
    char line[4096];
    while (f && fgets(line, sizeof(line), f)) {
      line[strcspn(line, "\n")] = '\0';
      emb_input *in = NULL;
      if (emb__input_open(line, &in, NULL))
        continue;
      size_t got;
      while (emb__input_read(in, buf, sizeof(buf), &got) == 0 && got)
        total += got;
      emb__input_close(in);
    }
    if (f)
      pclose(f);
  }
  return total;
}

int main(int argc, char **argv) {
  int runs = 5, first = 1;
  if (argc > 2 && !strcmp(argv[1], "-n")) {
    runs = atoi(argv[2]);
    first = 3;
  }
  if (first >= argc || runs < 1) {
    fprintf(stderr, "usage: bench_load [-n RUNS] SPEC...\n");
    return 2;
  }
  int n = argc - first;
  char **specs = argv + first;
  double *t_load = calloc((size_t)runs, sizeof(double));
  double *t_raw = calloc((size_t)runs, sizeof(double));
  size_t entities = 0, names = 0, bytes = 0, errors = 0;
  for (int r = 0; r < runs; r++) {
    double t0 = now();
    bytes = raw_read_all(n, specs);
    t_raw[r] = now() - t0;
    t0 = now();
    emb_entity_set *set = emb_set_new();
    emb_diags d;
    emb_diags_init(&d);
    for (int i = 0; i < n; i++)
      emb_load(set, specs[i], &d);
    t_load[r] = now() - t0;
    entities = emb_set_count(set);
    names = 0;
    for (size_t i = 0; i < entities; i++)
      names += emb_set_get(set, i)->n_names;
    errors = d.n_errors;
    emb_diags_fini(&d);
    emb_set_free(set);
  }
  qsort(t_load, (size_t)runs, sizeof(double), cmp_double);
  qsort(t_raw, (size_t)runs, sizeof(double), cmp_double);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double ml = t_load[runs / 2], mr = t_raw[runs / 2];
  printf("lists: %d, entities: %zu, names: %zu, bytes (decompressed): %zu, errors: %zu\n", n,
         entities, names, bytes, errors);
  printf("load (parse + normalise + build set): median %.3f s over %d runs (min %.3f, max %.3f)\n",
         ml, runs, t_load[0], t_load[runs - 1]);
  printf("baseline (read + decompress only):     median %.3f s\n", mr);
  printf("ratio load/baseline: %.1fx\n", mr > 0 ? ml / mr : 0.0);
  printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
  free(t_load);
  free(t_raw);
  return 0;
}
