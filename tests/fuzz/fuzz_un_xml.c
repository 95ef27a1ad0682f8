/*
 * fuzz_un_xml.c - libFuzzer target for the UN consolidated list XML loader
 * (lists/load_un_xml.c), through emb__load_mem(): the input is the file (plain, gzip or
 * zip, as the input layer detects). The checks every loader target shares are in
 * fuzz_loader.h.
 */
#define FUZZ_FORMAT "un-xml"
#define FUZZ_FILES "fuzz.xml"
#define FUZZ_SNIFF emb__sniff_un_xml

#include "fuzz_loader.h"
