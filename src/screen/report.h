/*
 * report.h - the HTML summary report of a screening run (`embargo screen --report FILE`).
 *
 * Two halves. An accumulator (emb_report) is fed one plain summary per screened record,
 * alerted or not, in input order and from one thread; it keeps only aggregates: counts
 * per risk level and reason kind, per HS chapter (a fixed table), per route, per
 * counterparty and per flow to a sanctioned destination (hash maps capped at
 * emb__report_set_max_keys() distinct keys each; what lands beyond the cap is counted in
 * an "untracked" total that the report shows), and the EMB_REPORT_TOP_ALERTS
 * highest-risk alerts. Memory therefore grows with distinct chapters, routes and
 * counterparties, never with the number of records.
 *
 * A writer (emb__report_write) turns the aggregates and a caller-given emb_report_meta
 * into one self-contained HTML5 file that is also well-formed XML (XHTML syntax): inline
 * CSS, charts as inline SVG with <title>, role="img" and aria-label, no script, no
 * external resource. Every string from lists, trade data and meta is escaped, and bytes
 * that are not valid UTF-8 or not allowed in XML become U+FFFD. The output depends only
 * on the records added and the meta: ties are broken by key, numbers are formatted
 * without the C locale's help, and the timestamp comes from the caller.
 *
 * Ownership: emb__report_add_record() copies what it keeps from the record; the caller's
 * strings need only live for the call. The report owns its memory until
 * emb__report_free(). The layout and what each chart counts: docs/REPORT.md.
 */
#ifndef EMB_SCREEN_REPORT_H
#define EMB_SCREEN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "embargo.h"

#define EMB_REPORT_TOP_CHAPTERS 20       /* chapters drawn in the chapter chart */
#define EMB_REPORT_TOP_ROUTES 15         /* routes in the route chart and table */
#define EMB_REPORT_TOP_COUNTERPARTIES 20 /* counterparties in their chart and table */
#define EMB_REPORT_TOP_FLOWS 15          /* flows to sanctioned destinations, per ranking */
#define EMB_REPORT_TOP_ALERTS 100        /* rows of the highest-risk alerts table */
#define EMB_REPORT_MAX_KEYS 65536        /* default cap on distinct keys per aggregate */
#define EMB_REPORT_MAX_FIELD 200         /* bytes kept of a name or id (cut at a character) */

/* The risk of a record; EMB_REPORT_RISK_NONE means it raised no alert. */
typedef enum {
  EMB_REPORT_RISK_NONE = 0,
  EMB_REPORT_RISK_LOW,
  EMB_REPORT_RISK_MEDIUM,
  EMB_REPORT_RISK_HIGH
} emb_report_risk;
#define EMB_REPORT_RISKS 4

/* The kinds of reasons an alert carries (bits of emb_report_record.reasons). */
enum {
  EMB_REPORT_PARTY = 1u << 0,   /* a party or the vessel matched a listed entity */
  EMB_REPORT_GOODS = 1u << 1,   /* a goods control or description rule */
  EMB_REPORT_ROUTE = 1u << 2,   /* a route rule (embargoed destination, hub ...) */
  EMB_REPORT_RED_FLAG = 1u << 3 /* a red flag computed over the input */
};
#define EMB_REPORT_REASON_KINDS 4

/*
 * The summary of one screened record. Every string may be NULL or "" (unknown); none is
 * kept past the call. Country fields hold ISO 3166-1 alpha-2 codes or ISO 3166-2
 * subdivision codes ("UA-43") as the screening resolved them; other text is shown as is.
 */
typedef struct emb_report_record {
  const char *record_id;       /* as in the input */
  emb_report_risk risk;        /* NONE when the record raised no alert */
  unsigned reasons;            /* EMB_REPORT_PARTY | ... present in the alert */
  const char *hs_code;         /* digits; its first two are the chapter */
  const char *origin;          /* origin country */
  const char *dispatch;        /* dispatch country */
  const char *destination;     /* destination country or region */
  const char *counterparty;    /* the matched entity's caption, else the consignee's name */
  const char *counterparty_id; /* the matched entity's id; NULL or "" when not listed */
  bool sanctioned_destination; /* the destination is under embargo */
  double value;                /* declared value; NaN (or negative, infinite) = unknown */
  const char *currency;        /* ISO 4217 as given */
  const char *date;            /* as given, e.g. "2024-03-01" */
} emb_report_record;

/* One list the run screened against. */
typedef struct emb_report_list {
  const char *name;      /* e.g. "OFAC SDN (ofac_xml)" or the path */
  const char *sha256;    /* hex digest of the file, may be NULL */
  const char *published; /* publication date, may be NULL */
  size_t entities;       /* entities loaded, 0 when unknown */
} emb_report_list;

/* What the caller knows about the run; every pointer may be NULL. */
typedef struct emb_report_meta {
  const char *title;          /* NULL: "Trade screening report" */
  const char *engine_version; /* e.g. EMB_VERSION */
  const char *generated_at;   /* timestamp text, given so that output is reproducible */
  const char *input;          /* the records file name */
  const emb_report_list *lists;
  size_t n_lists;
  const char *const *controls; /* control-list files */
  size_t n_controls;
  const char *const *rules; /* route and red-flag rules files */
  size_t n_rules;
  uint64_t records_read;    /* rows read from the input */
  uint64_t records_skipped; /* rows skipped as malformed */
  uint64_t records_alerted; /* alerts written by the run */
  double seconds_load;      /* time to load lists and rules; negative = unknown */
  double seconds_screen;    /* time to screen the records; negative = unknown */
} emb_report_meta;

typedef struct emb_report emb_report;

/* A new, empty report (NULL when out of memory); the caller frees it with emb__report_free. */
emb_report *emb__report_new(void);
void emb__report_free(emb_report *r);

/*
 * Caps the distinct keys tracked by each aggregate (routes, counterparties, sanctioned
 * flows) at n (at least 1); call before the first record. Default EMB_REPORT_MAX_KEYS.
 */
void emb__report_set_max_keys(emb_report *r, size_t n);

/*
 * Adds one screened record. Returns 0, EMB_EINVAL (a NULL argument or a risk out of
 * range) or EMB_ENOMEM; on ENOMEM the record's counts may be partly added.
 */
int emb__report_add_record(emb_report *r, const emb_report_record *rec);

/*
 * Writes the HTML report to out. meta may be NULL. Returns 0, EMB_EINVAL (NULL r or out),
 * EMB_ENOMEM, or EMB_EIO when writing to out failed (ferror).
 */
int emb__report_write(const emb_report *r, FILE *out, const emb_report_meta *meta);

/* ------------------------------------------------- read access (tests, the CLI) */

typedef struct emb_report_totals {
  uint64_t records;                            /* records added */
  uint64_t alerts;                             /* records with a risk above NONE */
  uint64_t by_risk[EMB_REPORT_RISKS];          /* records per risk (index NONE included) */
  uint64_t by_reason[EMB_REPORT_REASON_KINDS]; /* alerts carrying each reason kind */
  uint64_t sanctioned;                         /* records to a sanctioned destination */
  uint64_t untracked_routes;                   /* alerts whose route was beyond the cap */
  uint64_t untracked_counterparties;           /* alerts whose counterparty was beyond the cap */
  uint64_t untracked_flows; /* sanctioned records beyond the cap, per flow table (count, value) */
} emb_report_totals;

void emb__report_totals(const emb_report *r, emb_report_totals *t);

/*
 * Alerts per risk in HS chapter ch (0..99), or in the records without a usable code when
 * ch is 100. Writes out[EMB_REPORT_RISKS] (index NONE: records without an alert).
 */
void emb__report_chapter(const emb_report *r, int ch, uint64_t out[EMB_REPORT_RISKS]);

/* One row of a ranked aggregate, as the report shows it. Strings belong to the report. */
typedef struct emb_report_row {
  const char *a;                      /* origin; counterparty caption */
  const char *b;                      /* destination; counterparty id ("" when not listed) */
  const char *c;                      /* currency (value flows), else "" */
  uint64_t count;                     /* alerts (routes, counterparties) or records (flows) */
  uint64_t by_risk[EMB_REPORT_RISKS]; /* the same split by risk */
  uint64_t n_value;                   /* records with a known value */
  double value;                       /* their summed value */
  unsigned reasons;                   /* reason kinds seen (counterparties) */
} emb_report_row;

typedef enum {
  EMB_REPORT_ROUTES = 0,     /* alerts per (origin or dispatch, destination) */
  EMB_REPORT_COUNTERPARTIES, /* alerts per counterparty */
  EMB_REPORT_FLOWS_BY_COUNT, /* sanctioned-destination records per (origin, destination) */
  EMB_REPORT_FLOWS_BY_VALUE  /* their value per (origin, destination, currency) */
} emb_report_table;

/*
 * Ranks table t (by count, or by value for FLOWS_BY_VALUE, descending; ties by key
 * ascending) and writes up to max rows into out. Returns the number of distinct keys
 * (which may exceed max), or EMB_ENOMEM. With max 0, out may be NULL: only the count.
 */
long emb__report_top(const emb_report *r, emb_report_table t, emb_report_row *out, size_t max);

/* ------------------------------------------------- HS chapter names (generated) */

typedef struct emb_hs_chapter_name {
  const char *name;    /* HS-2022 chapter description; NULL for unused numbers */
  const char *section; /* Roman numeral of its section, "" when none */
} emb_hs_chapter_name;

typedef struct emb_hs_section_name {
  const char *section; /* "XVI" */
  const char *name;    /* "Machinery and mechanical appliances; ..." */
} emb_hs_section_name;

extern const emb_hs_chapter_name emb__hs_chapter_names[100];
extern const emb_hs_section_name emb__hs_section_names[];
extern const size_t emb__hs_section_count;

#endif
