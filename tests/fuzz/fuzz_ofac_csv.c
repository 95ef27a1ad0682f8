/*
 * fuzz_ofac_csv.c - libFuzzer target for the OFAC legacy CSV loader and its remarks
 * parser (lists/load_ofac_csv.c, lists/ofac_remarks.c).
 *
 * The same bytes are loaded as each file of the set into one entity set: as sdn.csv
 * (main rows and their remarks), then as sdn_comments.csv, add.csv and alt.csv (which
 * attach to the entities the first load made), and once under a name that says
 * nothing, so the loader has to judge the kind from the content. The checks every
 * loader target shares are in fuzz_loader.h.
 */
#define FUZZ_FORMAT "ofac-csv"
#define FUZZ_FILES "sdn.csv", "sdn_comments.csv", "add.csv", "alt.csv", "cons_prim.csv", "input.csv"
#define FUZZ_SNIFF emb__sniff_ofac_csv
#define FUZZ_SOURCE "ofac"
#define FUZZ_MAX_KEPT 64

#include "fuzz_loader.h"
