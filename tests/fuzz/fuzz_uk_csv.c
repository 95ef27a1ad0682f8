/*
 * fuzz_uk_csv.c - libFuzzer target for the UK OFSI ConList CSV loader
 * (lists/load_uk_csv.c), through emb__load_mem() as format "uk-csv" (so gzip and zip
 * inputs reach the loader too). Besides the checks every loader target shares
 * (fuzz_loader.h): only the CSV loaders' error codes come back, every entity comes from
 * a record, is named and has an id "uk:<Group ID>" without spaces.
 */
#include <stdlib.h>
#include <string.h>

#include "embargo.h"

static void check_entity(const emb_entity *e) {
  if (strncmp(e->id, "uk:", 3) != 0 || !e->id[3] || strchr(e->id, ' ') || e->n_names == 0)
    abort();
}

#define FUZZ_FORMAT "uk-csv"
#define FUZZ_SNIFF emb__sniff_uk_csv
#define FUZZ_SOURCE "uk"
#define FUZZ_RCS EMB_EFORMAT, EMB_ETOOBIG, EMB_ETRUNCATED, EMB_EIO, EMB_EENCODING
#define FUZZ_ENTITY_PER_RECORD
#define FUZZ_CHECK_ENTITY(set, e) check_entity(e)

#include "fuzz_loader.h"
