/*
 * alert.h - one alert per screened record: every reason behind it, a risk level and a
 * stable id, written as a JSON object or a CSV row (docs/SCREEN.md).
 *
 * Reasons come in four kinds: a party that matched a listed entity (by name, by
 * identifier, or both), a controlled good (by code, by an older HS version's code, or by
 * its description), a route rule (an embargoed destination or end user, an occupied
 * region, controlled goods through a diversion hub), and a red flag computed over the
 * whole input. Each reason has a risk; the alert's risk is the highest of them. Goods
 * reasons carry no risk of their own: controlled goods between countries with no embargo
 * and no diversion risk are not an alert, so they only explain the other reasons.
 *
 * The alert id is "emb-" and 16 hex digits of a SHA-256 over the record's fields and a
 * context hash (the lists' and rule files' hashes): the same record screened against the
 * same lists and rules always gets the same id.
 *
 * Ownership: an emb_alert holds pointers into the party table, the goods set and the
 * record, and copies of short texts; it is filled and written by one thread.
 */
#ifndef EMB_SCREEN_ALERT_H
#define EMB_SCREEN_ALERT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "goods/controls.h"
#include "screen/party.h"

typedef enum { EMB_RISK_NONE = 0, EMB_RISK_LOW, EMB_RISK_MEDIUM, EMB_RISK_HIGH } emb_risk;
const char *emb__risk_name(emb_risk r); /* "none", "low", "medium", "high" */

typedef enum {
  EMB_REASON_PARTY = 0,
  EMB_REASON_GOODS,
  EMB_REASON_ROUTE,
  EMB_REASON_RED_FLAG
} emb_reason_kind;
const char *emb__reason_kind_name(emb_reason_kind k); /* "party", "goods", "route", "red_flag" */

#define EMB_REASON_TEXT 320

typedef struct emb_reason {
  emb_reason_kind kind;
  emb_risk risk;
  const char *field; /* the record field it is about ("consignee", "hs_code", ...) */
  /* party */
  const emb_party *party;
  const emb_party_match *match;
  /* goods */
  const emb_goods_hit *goods;
  const char *record_code; /* the record's normalised HS code, "" when none */
  /* route and red flag */
  const char *rule;             /* the rule or flag id */
  const char *type;             /* the route rule kind ("embargoed_destination", ...) */
  char country[8];              /* ISO alpha-2 or 3166-2 the rule fired on, "" if none */
  char also[128];               /* route: other fields the same rule fired on, comma-separated */
  char detail[EMB_REASON_TEXT]; /* a sentence for people */
} emb_reason;

#define EMB_ALERT_MAX_REASONS 48

typedef struct emb_alert {
  const char *record_id;
  unsigned long line;
  char alert_id[21]; /* "emb-" + 16 hex */
  emb_risk risk;
  emb_reason reasons[EMB_ALERT_MAX_REASONS];
  size_t n_reasons;
  bool truncated; /* more reasons than EMB_ALERT_MAX_REASONS */
} emb_alert;

/* Empties an alert for a new record. */
void emb__alert_reset(emb_alert *a, const char *record_id, unsigned long line);
/* Appends a reason (copied) and raises the alert's risk; drops it when full. */
void emb__alert_add(emb_alert *a, const emb_reason *r);
/* True when the alert has a reason that makes it an alert (anything but goods alone). */
bool emb__alert_raised(const emb_alert *a);

/*
 * Sets a->alert_id from the record's field values (n of them, NULL taken as "") and a
 * context hash (hex, any length) naming the lists and rules.
 */
void emb__alert_set_id(emb_alert *a, const char *const *fields, const size_t *lens, size_t n,
                       const char *context);

/* Appends the alert as one JSON object and a newline. */
int emb__alert_json(const emb_alert *a, emb_buf *out);
/* The CSV header line (with newline) and one alert as a CSV row. */
int emb__alert_csv_header(emb_buf *out);
int emb__alert_csv(const emb_alert *a, emb_buf *out);

#endif
