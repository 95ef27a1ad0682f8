/*
 * fuzz_trade_record.c - libFuzzer target for the trade-record reader (src/screen/record.c,
 * fieldmap.c).
 *
 * Input layout: byte 0 picks the options (format auto/CSV/JSONL, a fixed delimiter or
 * detection, strict encoding, small caps on record bytes, fields and lines so that the
 * recovery paths run, automatic names on or off). If the rest holds the separator
 * "\n=====\n", the bytes before it are a mapping file (loaded through
 * emb__trade_map_load, so its parser is fuzzed too) and the bytes after it the records;
 * otherwise all of it is records. The records are written to a temporary file (the
 * reader opens paths, and gzip and zip inputs reach it that way too) and read to the
 * end. Every record is checked against the reader's promises: each field is a
 * NUL-terminated, valid UTF-8 string of the stated length, extras likewise, line numbers
 * never go backwards and indexes count up from 0; the header listing is well formed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/input.h"
#include "embargo.h"
#include "screen/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t n) {
  if (!s || strlen(s) != n || emb__utf8_check(s, n) != n)
    abort();
}

static const char *write_file(const char *suffix, const uint8_t *p, size_t n) {
  static char path[2][64];
  static int k;
  char *x = path[k++ & 1];
  snprintf(x, 64, "/tmp/fuzz_trade_%d_%d%s", (int)getpid(), k & 1, suffix);
  FILE *f = fopen(x, "wb");
  if (!f)
    return NULL;
  if (n)
    fwrite(p, 1, n, f);
  fclose(f);
  return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t sel = data[0];
  data++;
  size--;
  emb_trade_reader_opts o = emb__trade_reader_opts_default();
  o.format = (emb_trade_format)(sel % 3);
  static const char delims[4] = {0, ',', '\t', ';'};
  o.delimiter = delims[(sel >> 2) & 3];
  o.strict_encoding = (sel & 16) != 0;
  if (sel & 32) {
    o.max_record = 48;
    o.max_fields = 6;
    o.max_record_lines = 3;
  }
  const uint8_t *recs = data;
  size_t nrecs = size;
  const char *map_path = NULL;
  static const char sepm[] = "\n=====\n";
  for (size_t i = 0; i + sizeof(sepm) - 1 <= size; i++) {
    if (memcmp(data + i, sepm, sizeof(sepm) - 1) == 0) {
      map_path = write_file(".map", data, i);
      recs = data + i + sizeof(sepm) - 1;
      nrecs = size - i - (sizeof(sepm) - 1);
      break;
    }
  }
  const char *path = write_file((sel & 128) ? ".jsonl" : ".csv", recs, nrecs);
  if (!path)
    return 0;

  emb_diags diags;
  emb_diags_init(&diags);
  emb_trade_map *m = NULL;
  if (map_path) {
    m = emb__trade_map_new();
    (void)emb__trade_map_load(m, map_path, &diags);
    if (sel & 64)
      emb__trade_map_set_auto(m, false);
    (void)emb__trade_map_set(m, "transit_countries", "via");
  }
  emb_trade_reader *r = NULL;
  if (emb__trade_reader_open(path, m, &o, &r, &diags) == 0) {
    emb_trade_record rec;
    unsigned long last = 0, idx = 0;
    int rc;
    while ((rc = emb__trade_reader_next(r, &rec)) == 1) {
      if (rec.line < last || rec.index != idx++)
        abort();
      last = rec.line;
      for (int f = 0; f < EMB_TF_COUNT; f++)
        check_str(rec.v[f], rec.len[f]);
      if (rec.len[EMB_TF_RECORD_ID] == 0)
        abort(); /* a generated one at least */
      for (size_t i = 0; i < rec.n_extra; i++)
        check_str(rec.extra[i], strlen(rec.extra[i]));
      if (idx > 100000)
        abort(); /* no input of this size holds that many records */
    }
    if (rc < 0 && rc != EMB_EIO && rc != EMB_EFORMAT && rc != EMB_ETRUNCATED)
      abort();
    size_t n;
    const emb_trade_column *c = emb__trade_reader_header(r, &n);
    for (size_t i = 0; i < n; i++) {
      if (!c[i].name || !c[i].how || c[i].field >= EMB_TF_COUNT || c[i].field < -1)
        abort();
      check_str(c[i].name, strlen(c[i].name));
    }
    emb__trade_reader_close(r);
  }
  emb__trade_map_free(m);
  emb_diags_fini(&diags);
  unlink(path);
  if (map_path)
    unlink(map_path);
  return 0;
}
