/*
 * bench_trade_read.c - read speed of the trade-record reader (src/screen/record.c).
 *
 * usage: bench_trade_read [-n RECORDS] [-r RUNS] [-k]
 *
 * Writes RECORDS generated trade records (default 1,000,000) of the 30 canonical fields
 * to a temporary CSV file: header names as customs data write them ("Shipper", "HS
 * Code", "Country of Origin", ...) so that automatic recognition runs, quoted company
 * names with commas in a third of the rows, a few non-ASCII names. Then reads the file
 * RUNS times (default 5) with emb__trade_reader_next() and, as the baseline, with plain
 * emb__csv_next() (core/csv.c, no mapping), and prints the median CPU time (process CPU
 * time, so that other jobs on a shared machine do not count), records/s and MB/s of both. The file
 * is in the page cache after the first run, so this measures parsing, not the disk. -k keeps the
 * file and prints its path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/input.h"
#include "embargo.h"
#include "screen/record.h"

/* CPU time of this process: on a machine shared with other jobs, the time one core
 * actually spent, where wall-clock time would also count the waits for a core. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % n);
}

static const char *const companies[] = {"Acme Trading LLC",
                                        "\"Orion Components, Ltd\"",
                                        "Shenzhen Yuxin Electronics Co",
                                        "OOO Tekhnopromimport",
                                        "\"Bosphorus Lojistik, A.S.\"",
                                        "Almaty Industrial Supply TOO",
                                        "Gulf Star General Trading FZE",
                                        "Nordic Machinery AB",
                                        "Müller Präzisionsteile GmbH",
                                        "ООО Ромашка",
                                        "Kowloon Bay Enterprises Ltd",
                                        "Yerevan Tech Import CJSC"};
static const char *const countries[] = {"CN", "HK", "RU", "TR", "AE", "KZ", "AM",
                                        "DE", "US", "GE", "KG", "BY", "IN", "UZ"};
static const char *const goods[] = {"Flight controller for multirotor UAV",
                                    "\"Integrated circuits, processors\"",
                                    "Ball bearings",
                                    "Thermal imaging camera module 640x512",
                                    "\"Cotton T-shirts, knitted\"",
                                    "GNSS receiver module",
                                    "Brushless DC motor 5 kW",
                                    "Spare parts for agricultural machinery"};
static const char *const hs[] = {"8807300000", "854231", "848210", "852589",
                                 "610910",     "852691", "850152", "843390"};

static const char *pick(const char *const *a, size_t n) {
  return a[rnd((unsigned)n)];
}
#define PICK(a) pick(a, sizeof(a) / sizeof(a[0]))

static void generate(const char *path, unsigned long n) {
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(1);
  }
  fputs("Record ID,Date,Shipper,Shipper Country,Exporter INN,Buyer,Buyer Country,Importer "
        "INN,Consignee,Consignee Country,Consignee ID,End User,End User Country,Notify "
        "Party,HS Code,Description of Goods,Manufacturer,Country of Origin,Country of "
        "Dispatch,Country of Destination,Transit Countries,Port of Loading,Port of "
        "Discharge,Carrier,Vessel,IMO,Value,Currency,Qty,Unit\n",
        f);
  for (unsigned long i = 0; i < n; i++) {
    fprintf(f,
            "R%08lu,2023-%02u-%02u,%s,%s,%010u,%s,%s,%010u,%s,%s,%09u,%s,%s,%s,%s,%s,%s,%s,%s,"
            "%s,%s,Shanghai,Novorossiysk,COSCO Shipping,Ever Given,%u,%u.%02u,USD,%u,pcs\n",
            i + 1, 1 + rnd(12), 1 + rnd(28), PICK(companies), PICK(countries), rnd(1000000000),
            PICK(companies), PICK(countries), rnd(1000000000), PICK(companies), PICK(countries),
            rnd(1000000000), rnd(4) ? "" : PICK(companies), rnd(4) ? "" : PICK(countries),
            rnd(3) ? "" : PICK(companies), PICK(hs), PICK(goods), PICK(companies), PICK(countries),
            PICK(countries), PICK(countries), rnd(3) ? "" : "KZ;KG", 9000000 + rnd(999999),
            rnd(1000000), rnd(100), 1 + rnd(10000));
  }
  fclose(f);
}

static double run_trade(const char *path, unsigned long *count) {
  emb_diags d;
  emb_diags_init(&d);
  emb_trade_reader *r = NULL;
  double t0 = now();
  if (emb__trade_reader_open(path, NULL, NULL, &r, &d) != 0) {
    fprintf(stderr, "open failed\n");
    exit(1);
  }
  emb_trade_record rec;
  unsigned long n = 0;
  size_t sum = 0;
  while (emb__trade_reader_next(r, &rec) == 1) {
    n++;
    sum += rec.len[EMB_TF_HS_CODE] + rec.len[EMB_TF_EXPORTER];
  }
  emb__trade_reader_close(r);
  double t = now() - t0;
  if (d.n_errors || sum == 0)
    fprintf(stderr, "unexpected: %zu errors\n", d.n_errors);
  emb_diags_fini(&d);
  *count = n;
  return t;
}

static double run_csv(const char *path, unsigned long *count) {
  emb_diags d;
  emb_diags_init(&d);
  emb_input *in = NULL;
  emb_csv *c = NULL;
  double t0 = now();
  if (emb__input_open(path, &in, &d) || emb__csv_new(in, NULL, &d, &c)) {
    fprintf(stderr, "open failed\n");
    exit(1);
  }
  emb_csv_row row;
  unsigned long n = 0;
  while (emb__csv_next(c, &row) == 1)
    n++;
  emb__csv_free(c);
  emb__input_close(in);
  double t = now() - t0;
  emb_diags_fini(&d);
  *count = n - 1; /* the header */
  return t;
}

int main(int argc, char **argv) {
  unsigned long n = 1000000;
  int runs = 5;
  int keep = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc)
      n = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "-r") && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "-k"))
      keep = 1;
    else {
      fprintf(stderr, "usage: %s [-n RECORDS] [-r RUNS] [-k]\n", argv[0]);
      return 2;
    }
  }
  if (runs < 1 || runs > 100)
    runs = 5;
  char path[] = "/tmp/bench_trade_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    perror("mkstemp");
    return 1;
  }
  close(fd);
  generate(path, n);
  FILE *f = fopen(path, "rb");
  fseek(f, 0, SEEK_END);
  double mb = (double)ftell(f) / 1e6;
  fclose(f);

  double *tt = calloc((size_t)runs, sizeof(double)), *tc = calloc((size_t)runs, sizeof(double));
  unsigned long got_t = 0, got_c = 0;
  for (int i = 0; i < runs; i++) {
    tc[i] = run_csv(path, &got_c);
    tt[i] = run_trade(path, &got_t);
  }
  qsort(tt, (size_t)runs, sizeof(double), cmp_double);
  qsort(tc, (size_t)runs, sizeof(double), cmp_double);
  double mt = tt[runs / 2], mc = tc[runs / 2];
  printf("file: %lu records, %.1f MB, 30 columns\n", n, mb);
  printf("trade reader : %lu records, median %.3f s CPU, %.2f M records/s, %.0f MB/s\n", got_t, mt,
         (double)got_t / mt / 1e6, mb / mt);
  printf("emb_csv base : %lu records, median %.3f s CPU, %.2f M records/s, %.0f MB/s\n", got_c, mc,
         (double)got_c / mc / 1e6, mb / mc);
  printf("ratio trade/base: %.2f\n", mt / mc);
  free(tt);
  free(tc);
  if (keep)
    printf("kept %s\n", path);
  else
    unlink(path);
  return got_t == n ? 0 : 1;
}
