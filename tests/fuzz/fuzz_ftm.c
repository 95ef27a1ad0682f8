/*
 * fuzz_ftm.c - libFuzzer target for the FollowTheMoney loader (lists/load_ftm.c) and
 * the exporters (lists/export.c).
 *
 * The input is the file, loaded from memory through emb__load_mem(); gzip and zip
 * inputs reach the loader too. Besides the checks every loader target shares
 * (fuzz_loader.h), every entity that was loaded is written as FtM and as CSV to
 * /dev/null (opened once), so the exporters see whatever the loader can produce, and
 * both must succeed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "embargo.h"

static void export_all(const emb_entity_set *set) {
  static FILE *devnull;
  if (!devnull)
    devnull = fopen("/dev/null", "w");
  if (!devnull || emb_export_csv_header(devnull) != 0)
    abort();
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    if (emb_export_ftm(devnull, e) != 0 || emb_export_csv(devnull, e) != 0)
      abort();
  }
}

#define FUZZ_FORMAT "ftm"
#define FUZZ_FILES "x.ftm.json"
#define FUZZ_SNIFF emb__sniff_ftm
#define FUZZ_RCS EMB_EFORMAT, EMB_ETRUNCATED, EMB_EIO
#define FUZZ_CHECK_SET(set) export_all(set)

#include "fuzz_loader.h"
