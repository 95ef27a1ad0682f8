/*
 * fuzz_query_csv.c - libFuzzer target for query files (`embargo match --queries FILE.csv`):
 * the table reader (emb_table_*, core/table.c over csv.c and input.c) and the queries
 * built from its rows, screened with emb_match().
 *
 * emb_table_open() takes a path, so each input is written to one temporary file (under
 * /dev/shm when it exists, else /tmp), created on the first call and removed at exit;
 * gzip and zip inputs reach the reader as they would from disk. The rows become queries
 * the way src/cli/match.c builds them (name, schema, birth_date, nationality, gender and
 * the identifier columns) and run against a matcher built once over the small list
 * embedded below.
 *
 * Checked: the header and fields are NUL-terminated and as many as stated, line numbers
 * never go backwards, column lookup is consistent with the header, and every result set
 * keeps the promises of emb_match() (at most `limit` results, sorted by score then id,
 * scores in [0, 1], match exactly at the threshold, an explanation that is a JSON object).
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embargo.h"
#include "lists/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char LIST[] =
    "{\"id\":\"p-putin\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Vladimir Putin\","
    "\"Владимир Путин\"],\"birthDate\":[\"1952-10-07\"],\"nationality\":[\"ru\"],\"gender\":["
    "\"male\"],\"passportNumber\":[\"1234567890\"]}}\n"
    "{\"id\":\"p-hassan\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Mohammed Ali Hassan\"],"
    "\"alias\":[\"محمد علي حسن\"],\"weakAlias\":[\"Abu Ali\"],\"birthDate\":[\"1960\"]}}\n"
    "{\"id\":\"p-kim\",\"schema\":\"Person\",\"properties\":{\"name\":[\"KIM Jong Un\"],\"alias\":["
    "\"김정은\"]}}\n"
    "{\"id\":\"c-romashka\",\"schema\":\"Company\",\"properties\":{\"name\":[\"ООО Ромашка\"],"
    "\"alias\":[\"Romashka LLC\"],\"innCode\":[\"7701234567\"],\"jurisdiction\":[\"ru\"]}}\n"
    "{\"id\":\"v-nav2\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"NAVIGATOR 2\"],"
    "\"imoNumber\":[\"IMO 9123456\"]}}\n"
    "{\"id\":\"o-aq\",\"schema\":\"Organization\",\"properties\":{\"name\":[\"Al-Qaida\"],"
    "\"alias\":[\"Al Qaeda\",\"القاعدة\"]}}\n";
#define LIST_ENTITIES 6

/* Identifier columns and their types, as src/cli/match.c reads them. */
static const char *const ID_COLUMNS[][2] = {
    {"passport", "passport"}, {"national_id", "national_id"}, {"tax_id", "tax_id"},
    {"inn", "inn"},           {"ogrn", "ogrn"},               {"registration", "registration"},
    {"imo", "imo"},           {"mmsi", "mmsi"},               {"swift_bic", "swift_bic"},
    {"identifier", NULL},     {"id_number", NULL},
};
#define N_ID_COLUMNS (sizeof(ID_COLUMNS) / sizeof(ID_COLUMNS[0]))
#define LIMIT 5
#define MAX_ROWS 2000 /* rows screened per input; the rest are only read */

static emb_entity_set *set;
static emb_matcher *matcher;
static emb_match_ctx *ctx;
static char path[64];
static int fd = -1;

static void remove_file(void) {
  if (fd >= 0)
    close(fd);
  unlink(path);
}

static void init(void) {
  set = emb_set_new();
  emb_diags d;
  emb_diags_init(&d);
  if (!set || emb__load_mem(set, "ftm", LIST, sizeof(LIST) - 1, "fuzz-list.ftm.json", &d) != 0 ||
      emb_set_count(set) != LIST_ENTITIES)
    abort();
  emb_diags_fini(&d);
  emb_matcher_opts o = emb_matcher_opts_default();
  if (emb_matcher_new(set, &o, &matcher) != 0) {
    o.variants_path = "";
    if (emb_matcher_new(set, &o, &matcher) != 0)
      abort();
  }
  if (emb_match_ctx_new(matcher, &ctx) != 0)
    abort();
  const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(path, sizeof(path), "%s/emb-fuzz-queries-XXXXXX", dir);
  fd = mkstemp(path);
  if (fd < 0)
    abort();
  atexit(remove_file);
}

/* Writes the input as the whole content of the temporary file. */
static void write_input(const uint8_t *data, size_t size) {
  if (ftruncate(fd, 0) != 0)
    abort();
  size_t off = 0;
  while (off < size) {
    ssize_t w = pwrite(fd, data + off, size - off, (off_t)off);
    if (w <= 0)
      abort();
    off += (size_t)w;
  }
}

static void check_results(const emb_match_result *r, size_t n) {
  double t = emb_matcher_threshold(matcher);
  if (n > LIMIT)
    abort();
  for (size_t i = 0; i < n; i++) {
    if (!r[i].entity || !r[i].explanation || !(r[i].score >= 0.0 && r[i].score <= 1.0) ||
        r[i].match != (r[i].score >= t))
      abort();
    if (i > 0 && (r[i - 1].score < r[i].score ||
                  (r[i - 1].score == r[i].score && strcmp(r[i - 1].entity->id, r[i].entity->id) >= 0)))
      abort();
    json_error_t err;
    json_t *j = json_loads(r[i].explanation, 0, &err);
    if (!j || !json_is_object(j))
      abort();
    json_decref(j);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!set)
    init();
  write_input(data, size);
  emb_diags d;
  emb_diags_init(&d);
  d.max_kept = 16;
  emb_table *t = NULL;
  if (emb_table_open(path, &t, &d) != 0) {
    if (t)
      abort();
    emb_diags_fini(&d);
    return 0;
  }
  size_t nh;
  const char *const *header = emb_table_header(t, &nh);
  for (size_t k = 0; k < nh; k++) {
    if (!header[k])
      abort();
    int c = emb_table_column(t, header[k]);
    if (c < 0 || (size_t)c >= nh) /* a column found by its own name */
      abort();
  }
  int c_name = emb_table_column(t, "name"), c_schema = emb_table_column(t, "schema");
  int c_birth = emb_table_column(t, "birth_date"), c_nat = emb_table_column(t, "nationality");
  int c_gender = emb_table_column(t, "gender");
  int c_ids[N_ID_COLUMNS];
  for (size_t k = 0; k < N_ID_COLUMNS; k++)
    c_ids[k] = emb_table_column(t, ID_COLUMNS[k][0]);
  (void)emb_table_delimiter(t);

  const char *const *f;
  size_t n, rows = 0;
  unsigned long line, last = 0;
  bool ragged;
  int r;
#define FIELD(col) ((col) >= 0 && (size_t)(col) < n && f[(col)][0] ? f[(col)] : NULL)
  while ((r = emb_table_next(t, &f, &n, &line, &ragged)) == 1) {
    if (line < last || (!ragged && n != nh))
      abort();
    last = line;
    for (size_t k = 0; k < n; k++)
      if (!f[k])
        abort();
    if (ragged || c_name < 0 || !FIELD(c_name) || rows++ >= MAX_ROWS)
      continue; /* as the command skips them */
    emb_query q = {0};
    q.name = FIELD(c_name);
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
    int rc = emb_match(ctx, &q, LIMIT, &res, &nr);
    if (rc != 0 && rc != EMB_ENOMEM && rc != EMB_ETOOBIG)
      abort();
    if (rc == 0)
      check_results(res, nr);
  }
#undef FIELD
  if (r > 0)
    abort();
  emb_table_close(t);
  if (d.count > 16)
    abort();
  emb_diags_fini(&d);
  return 0;
}
