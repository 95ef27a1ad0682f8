/*
 * fuzz_eu_xml.c - libFuzzer target for the EU Financial Sanctions Files XML loader
 * (lists/load_eu_xml.c): any bytes loaded as "eu-xml" from memory must not crash, leak,
 * hang or read out of bounds, and what was loaded must be readable. The sniffer sees
 * the same bytes. The checks every loader target shares are in fuzz_loader.h.
 */
#define FUZZ_FORMAT "eu-xml"
#define FUZZ_FILES "x.xml"
#define FUZZ_SNIFF emb__sniff_eu_xml

#include "fuzz_loader.h"
