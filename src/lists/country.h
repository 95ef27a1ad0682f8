/*
 * country.h - countries and subdivisions normalised to ISO 3166.
 *
 * Names are matched case- and accent-insensitively, ignoring punctuation and
 * extra spaces, in the forms the lists use: official and short names ("Russian
 * Federation", "Russia"), ISO alpha-2 and alpha-3 codes ("RU", "RUS"), common
 * variants ("Burma", "Korea, North", "Iran (Islamic Republic of)", "Türkiye",
 * "Ivory Coast"), and historical ones lists still carry ("USSR" -> "SU",
 * "Yugoslavia" -> "YU", "Czechoslovakia" -> "CS"). All returned strings are static.
 */
#ifndef EMB_LISTS_COUNTRY_H
#define EMB_LISTS_COUNTRY_H

#include <stddef.h>

/* ISO 3166-1 alpha-2 code for a country name or code, or NULL when unknown. */
const char *emb_country_code(const char *text, size_t len);
/* English short name for an alpha-2 code (or 3166-2 subdivision code), or NULL. */
const char *emb_country_name(const char *code);
/*
 * ISO 3166-2 code for a subdivision that sanctions regimes single out, from its name
 * in English, Ukrainian or Russian or from its code: Crimea UA-43, Sevastopol UA-40,
 * Donetsk UA-14, Luhansk UA-09, Zaporizhzhia UA-23, Kherson UA-65. NULL otherwise.
 */
const char *emb_subdivision_code(const char *text, size_t len);

/*
 * Splits a field that names several countries ("Russian, Uzbekistani, British",
 * "(1) Bulgaria (2) Russia", "Sudan/South Sudan") into up to `max` alpha-2 codes written
 * to codes[]; *n_unresolved counts the parts not recognised. Names that contain a comma
 * or "and" themselves ("Korea, North") stay whole. Returns the number of codes written.
 */
int emb__country_codes(const char *text, size_t len, const char **codes, int max,
                       int *n_unresolved);

#endif
