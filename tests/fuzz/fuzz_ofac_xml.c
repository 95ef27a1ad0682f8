/*
 * fuzz_ofac_xml.c - libFuzzer target for the OFAC classic XML loader
 * (lists/load_ofac_xml.c), through emb__load_mem(): the input is the file (plain, gzip
 * or zip, as the input layer detects). The checks every loader target shares are in
 * fuzz_loader.h.
 */
#define FUZZ_FORMAT "ofac-xml"
#define FUZZ_FILES "fuzz.xml"
#define FUZZ_SNIFF emb__sniff_ofac_xml

#include "fuzz_loader.h"
