/*
 * fuzz_csl_csv.c - libFuzzer target for the US Consolidated Screening List CSV loader
 * (lists/load_csl_csv.c), through emb__load_mem() as format "csl" (so gzip and zip
 * inputs reach the loader too). Besides the checks every loader target shares
 * (fuzz_loader.h): only the CSV loaders' error codes come back, every entity comes from
 * a record, is named, is on a list and has an id of the form "csl:<list>:<id>".
 */
#include <stdlib.h>
#include <string.h>

#include "embargo.h"

static void check_entity(const emb_entity *e) {
  const char *colon = strncmp(e->id, "csl:", 4) == 0 ? strchr(e->id + 4, ':') : NULL;
  if (!colon || colon == e->id + 4 || !colon[1] || e->lists.count == 0 || e->n_names == 0)
    abort();
}

#define FUZZ_FORMAT "csl"
#define FUZZ_SNIFF emb__sniff_csl_csv
#define FUZZ_SOURCE "csl"
#define FUZZ_RCS EMB_EFORMAT, EMB_ETOOBIG, EMB_ETRUNCATED, EMB_EIO, EMB_EENCODING
#define FUZZ_ENTITY_PER_RECORD
#define FUZZ_CHECK_ENTITY(set, e) check_entity(e)

#include "fuzz_loader.h"
