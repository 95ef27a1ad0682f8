/*
 * fuzz_uk_xml.c - libFuzzer target for the UK Sanctions List XML loader
 * (lists/load_uk_xml.c): any bytes loaded as "uk-xml" from memory must not crash, leak,
 * hang or read out of bounds, and what was loaded must be readable. The sniffer sees
 * the same bytes. The checks every loader target shares are in fuzz_loader.h.
 */
#define FUZZ_FORMAT "uk-xml"
#define FUZZ_FILES "x.xml"
#define FUZZ_SNIFF emb__sniff_uk_xml

#include "fuzz_loader.h"
