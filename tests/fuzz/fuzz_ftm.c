/*
 * fuzz_ftm.c - libFuzzer target for the FollowTheMoney loader (lists/load_ftm.c) and
 * the exporters (lists/export.c).
 *
 * The input is the file, loaded from memory through emb__load_mem(); gzip and zip
 * inputs reach the loader too. Every entity that was loaded is then written as FtM
 * and as CSV to /dev/null (opened once), so the exporters see whatever the loader can
 * produce. The sniffer runs on the first 64 KiB as formats.c would call it. The
 * target checks the loader's promises: a return code from the documented set, every
 * entity with an id, and error diagnostics exactly when the load reports lost records.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lists/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *devnull;
  if (!devnull)
    devnull = fopen("/dev/null", "w");
  if (!devnull)
    abort();
  (void)emb__sniff_ftm(data, size < 65536 ? size : 65536, "x.ftm.json");

  emb_entity_set *set = emb_set_new();
  if (!set)
    return 0;
  emb_diags diags;
  emb_diags_init(&diags);
  int rc = emb__load_mem(set, "ftm", data, size, "x.ftm.json", &diags);
  if (rc != 0 && rc != EMB_EFORMAT && rc != EMB_ETRUNCATED && rc != EMB_EIO && rc != EMB_ENOMEM)
    abort();
  if ((rc == 0) != (diags.n_errors == 0))
    abort();
  if (emb_export_csv_header(devnull) != 0)
    abort();
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    if (!e->id || !e->source)
      abort();
    if (emb_export_ftm(devnull, e) != 0 || emb_export_csv(devnull, e) != 0)
      abort();
  }
  emb_diags_fini(&diags);
  emb_set_free(set);
  return 0;
}
