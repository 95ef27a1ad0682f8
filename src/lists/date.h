/*
 * date.h - parsing the dates lists write: birth dates, listing and expiry dates.
 *
 * Accepted forms (surrounding spaces ignored):
 *   1965 | 1965-01 | 1965-01-12 | 1965/01/12 | 12 Jan 1965 | 12 January 1965 | Jan 1965 |
 *   January 12, 1965 | 12.01.1965 | 12/01/1965 (order from `order`) | 00/00/1965 and
 *   1965-00-00 (unknown parts, as UK and UN write them) |
 *   circa 1965 | ca. 1965 | c. 1965 | approximately 1965 | about 1965 |
 *   1960 to 1962 | 1960-1962 | between 1960 and 1962 | 1965 (approx.)
 * Several dates in one field ("12 Jan 1965; 3 Feb 1966") are split by
 * emb__date_parse_list.
 */
#ifndef EMB_LISTS_DATE_H
#define EMB_LISTS_DATE_H

#include <stddef.h>

#include "embargo.h"

typedef enum {
  EMB_DATE_ORDER_DMY = 0, /* 12/01/1965 is 12 January (UK, EU) */
  EMB_DATE_ORDER_MDY      /* 01/12/1965 is 12 January (US) */
} emb_date_order;

/* Parses one date. Returns 0, or EMB_EFORMAT when the text is not a date it knows. */
int emb__date_parse(const char *text, size_t len, emb_date_order order, emb_date *out);

/*
 * Parses a field holding several dates separated by ';' or ','-less lists as the
 * sources write them; calls cb for each date parsed. Returns the number of parts that
 * could not be parsed (0 when all were dates).
 */
int emb__date_parse_list(const char *text, size_t len, emb_date_order order,
                         void (*cb)(const emb_date *d, void *ud), void *ud);

#endif
