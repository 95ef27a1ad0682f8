/*
 * redflags.h - red flags that need the whole input: two passes over the trade records.
 *
 * Pass 1 observes every record (emb__redflags_observe, one thread), then
 * emb__redflags_finish() freezes the statistics; pass 2 checks each record against them
 * (emb__redflags_check, read-only, from many threads). The four flags, their settings
 * and risks come from the rules file (route.h, `redflag` lines; docs/RULES.md):
 *
 *   hub_onward     controlled goods to a consignee in a hub (a `hub` rule) who, somewhere
 *                  in the input, is the consignee or the exporter of a record whose
 *                  destination, importer, consignee or end user is in `countries`
 *                  (RU, BY);
 *   new_consignee  controlled goods to a consignee in a hub or an embargoed country or
 *                  region whose earliest dated record is after `after` (2022-02-24),
 *                  when the input has records dated on or before that day;
 *   hs_mix         controlled goods whose HS chapter (or heading) makes up less than
 *                  `max_share` of the consignee's records with a code, for consignees
 *                  with at least `min_records` of them;
 *   unit_value     controlled goods whose unit value (value / quantity) is more than
 *                  `factor` times, or less than 1/`factor` of, the median unit value of
 *                  the input's records of the same HS-6 code and unit, when there are at
 *                  least `min_count` of them.
 * `controlled_only=no` lets a flag fire on any goods.
 *
 * Memory grows with distinct parties, (consignee, chapter) pairs and (HS-6 code, unit)
 * pairs, never with records: parties are a hash map of small fixed records, chapter
 * counts one hash map of 64-bit keys, and each code's unit values a log-scale histogram
 * with 1% relative accuracy (the median reported is within 1% of the true one).
 *
 * Ownership: an emb_redflags keeps a pointer to the rules, which must outlive it, and
 * copies of the party keys and codes it sees.
 */
#ifndef EMB_SCREEN_REDFLAGS_H
#define EMB_SCREEN_REDFLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "embargo.h"
#include "screen/place.h"
#include "screen/route.h"

/* What the red flags need of one record. Empty strings and NULL places mean unknown. */
typedef struct emb_redflag_obs {
  const char *consignee; /* normalised party key (name + country), "" or NULL: none */
  size_t consignee_len;
  const char *exporter; /* the exporter's party key (an onward shipper), "" or NULL */
  size_t exporter_len;
  const emb_place *consignee_place; /* the consignee's country */
  const emb_place *destination;     /* destination_country */
  const emb_place *importer;        /* importer_country */
  const emb_place *end_user;        /* end_user_country */
  const char *date;                 /* as written: 2023-04-11, 2023/04/11, 11.04.2023,
                                       20230411 (a time after the date is ignored) */
  size_t date_len;
  const char *hs; /* normalised HS code digits, "" when none */
  size_t hs_len;
  bool controlled;   /* the goods hit a control list */
  const char *tier;  /* the control tier, or NULL */
  const char *value; /* "1,234.50", "1 234,50" */
  size_t value_len;
  const char *quantity;
  size_t quantity_len;
  const char *unit; /* quantity unit ("kg", "pcs"); "" when none */
  size_t unit_len;
} emb_redflag_obs;

#define EMB_REDFLAG_DETAIL 256

typedef struct emb_redflag_hit {
  emb_redflag_kind kind;
  const char *id;                  /* the flag's id from the rules ("RF-UNIT-VALUE") */
  emb_risk risk;                   /* the flag's risk contribution */
  char detail[EMB_REDFLAG_DETAIL]; /* with the numbers: "unit value 1,250.00 is 14.2x the
                                      median 88.00 of 879 records of 880730" */
} emb_redflag_hit;

typedef struct emb_redflags emb_redflags;

/* A new, empty state for the flags that `rules` enables (NULL when out of memory). */
emb_redflags *emb__redflags_new(const emb_route_rules *rules);
void emb__redflags_free(emb_redflags *rf);

/*
 * Pass 1: adds one record to the statistics. Unparsable dates, values and quantities
 * are ignored, not errors. Returns 0, EMB_ENOMEM, or EMB_EINVAL (NULL arguments, or
 * called after emb__redflags_finish).
 */
int emb__redflags_observe(emb_redflags *rf, const emb_redflag_obs *o);

/* Ends pass 1. Returns 0 or EMB_EINVAL (NULL, or called twice). */
int emb__redflags_finish(emb_redflags *rf);

/*
 * Pass 2: the red flags one record raises, written to out[0..max) in flag order; *n is
 * the number written. Returns 0, EMB_ETOOBIG (more than max; the first max written) or
 * EMB_EINVAL (NULL arguments, or before finish). Read-only: thread-safe after finish.
 */
int emb__redflags_check(const emb_redflags *rf, const emb_redflag_obs *o, emb_redflag_hit *out,
                        size_t max, size_t *n);

/* Bytes held by the statistics (hash maps, keys, histograms). */
size_t emb__redflags_memory(const emb_redflags *rf);
/* Distinct parties and (code, unit) pairs seen. */
size_t emb__redflags_parties(const emb_redflags *rf);
size_t emb__redflags_codes(const emb_redflags *rf);

/*
 * The median unit value of an HS-6 code (and unit, "" for none) as estimated from pass 1
 * and the number of unit values behind it. Returns 0, or EMB_ENOTFOUND.
 */
int emb__redflags_median(const emb_redflags *rf, const char *hs6, const char *unit, double *median,
                         uint64_t *count);

/* Parses a record date into YYYYMMDD. Returns 0 or EMB_EFORMAT. */
int emb__redflag_parse_date(const char *s, size_t n, int32_t *ymd);

/*
 * Parses a decimal number written with grouping ("1,234.50", "1 234,50", "1.234,50",
 * "1'234.5"): with both '.' and ',' the last is the decimal mark; a lone ',' followed by
 * exactly three digits groups thousands, any other lone ',' or '.' is the decimal mark;
 * spaces (also no-break and thin ones) and apostrophes between digits group. Returns 0
 * or EMB_EFORMAT.
 */
int emb__redflag_parse_number(const char *s, size_t n, double *v);

#endif
