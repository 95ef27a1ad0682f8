/*
 * fuzz_dpl.c - libFuzzer target for the BIS Denied Persons List loader
 * (lists/load_dpl.c), through emb__load_mem() as format "dpl" (so gzip and zip inputs
 * reach the loader too). Besides the checks every loader target shares
 * (fuzz_loader.h): only the CSV loaders' error codes come back, every entity comes from
 * a record, is named and has an id "dpl:" and 16 hexadecimal digits.
 */
#include <stdlib.h>
#include <string.h>

#include "embargo.h"

static void check_entity(const emb_entity *e) {
  if (strncmp(e->id, "dpl:", 4) != 0 || strlen(e->id) != 20 ||
      strspn(e->id + 4, "0123456789abcdef") != 16 || e->n_names == 0)
    abort();
}

#define FUZZ_FORMAT "dpl"
#define FUZZ_SNIFF emb__sniff_dpl
#define FUZZ_SOURCE "dpl"
#define FUZZ_RCS EMB_EFORMAT, EMB_ETOOBIG, EMB_ETRUNCATED, EMB_EIO, EMB_EENCODING
#define FUZZ_ENTITY_PER_RECORD
#define FUZZ_CHECK_ENTITY(set, e) check_entity(e)

#include "fuzz_loader.h"
