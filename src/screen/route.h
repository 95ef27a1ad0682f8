/*
 * route.h - route rules: embargoed destinations, end users and origins, the occupied
 * regions of Ukraine, the diversion hubs of the BIS/FinCEN alerts, and the settings of
 * the red flags, all read from one editable rules file (data/rules/default.rules; the
 * format, every rule and the risk levels are in docs/RULES.md).
 *
 * The route check takes a record's resolved places (place.h) - origin, dispatch,
 * exporter, destination, importer, consignee, end user, transit - and whether its goods
 * are controlled, and returns one hit per place that a rule catches:
 *   - a comprehensive embargo (KP, IR, CU, Crimea, Sevastopol...) catches any goods to
 *     the destination side (destination, importer, consignee, end user);
 *   - a sectoral embargo (RU, BY) catches controlled goods; goods not controlled only
 *     when the rule sets `uncontrolled=` (off by default);
 *   - a hub catches controlled goods to the destination side only: ordinary goods to a
 *     hub are not an alert;
 *   - origins and transits are caught when the rule sets `origin=` / `transit=`;
 *   - a place in a partly occupied Ukrainian region counts by its status (place.h):
 *     occupied places at the rule's risk, the region named as a whole at `partly=`, a
 *     town on the front line at `front=`, a town under government control at
 *     `controlled=` (off by default).
 * Controlled goods between places no rule names give no hit.
 *
 * Ownership: an emb_route_rules owns its rules and strings until emb__route_rules_free();
 * once loaded it is read-only, and emb__route_check() may run from many threads. Hits
 * point into the rules (ids) and into the caller's input (places).
 */
#ifndef EMB_SCREEN_ROUTE_H
#define EMB_SCREEN_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "embargo.h"
#include "screen/alert.h" /* emb_risk */
#include "screen/place.h"

typedef enum {
  EMB_LEVEL_COMPREHENSIVE = 0, /* any goods */
  EMB_LEVEL_SECTORAL,          /* controlled goods (others only with uncontrolled=) */
  EMB_LEVEL_HUB                /* controlled goods, destination side only */
} emb_route_level;

const char *emb__route_level_name(emb_route_level l); /* "comprehensive", "sectoral", "hub" */

/* One `embargo` or `hub` line of a rules file. EMB_RISK_NONE means "off". */
typedef struct emb_route_rule {
  const char *id; /* appears in explanations ("EMB-RU", "HUB-AE") */
  char code[8];   /* ISO alpha-2 ("RU") or ISO 3166-2 ("UA-43") */
  emb_route_level level;
  emb_risk risk;         /* destination side, goods as the level says */
  emb_risk uncontrolled; /* sectoral: goods not controlled */
  emb_risk origin;       /* origin, dispatch, exporter: any goods */
  emb_risk transit;      /* transit: any goods (comprehensive) or controlled (sectoral) */
  emb_risk partly;       /* regions: the region named as a whole (caps the risks above) */
  emb_risk front;        /* regions: a town on the front line (caps) */
  emb_risk controlled;   /* regions: a town under government control (caps) */
  const char *file;      /* where the rule was read */
  unsigned long line;
} emb_route_rule;

/* The red flags (redflags.h) and their settings, read from `redflag` lines. */
typedef enum {
  EMB_RF_HUB_ONWARD = 0, /* controlled goods to a hub consignee who also ships to RU/BY */
  EMB_RF_NEW_CONSIGNEE,  /* a consignee first seen after a date */
  EMB_RF_HS_MIX,         /* goods outside the consignee's usual HS mix */
  EMB_RF_UNIT_VALUE,     /* a unit value far from the HS code's median */
  EMB_RF_COUNT
} emb_redflag_kind;

/* "hub_onward", "new_consignee", "hs_mix", "unit_value". */
const char *emb__redflag_kind_name(emb_redflag_kind k);

#define EMB_RF_MAX_COUNTRIES 8

typedef struct emb_redflag_rule {
  bool enabled;         /* a `redflag` line names it */
  const char *id;       /* "RF-HUB-ONWARD" ... */
  emb_risk risk;        /* the flag's risk contribution */
  bool controlled_only; /* fire only on records with controlled goods */
  /* hub_onward: where onward shipments count (countries=RU,BY; regions allowed) */
  char countries[EMB_RF_MAX_COUNTRIES][8];
  size_t n_countries;
  /* new_consignee: first seen strictly after this date (after=2022-02-24) */
  int32_t after; /* YYYYMMDD */
  /* hs_mix: digits compared (level=chapter: 2, heading: 4), at least min_records
     records of the consignee with a code, a share below max_share */
  unsigned level;
  unsigned min_records;
  double max_share;
  /* unit_value: at least min_count unit values of the HS-6 code, a ratio to the
     median above factor or below 1/factor */
  unsigned min_count;
  double factor;
  const char *file;
  unsigned long line;
} emb_redflag_rule;

typedef struct emb_route_rules emb_route_rules;

/*
 * Loads a rules file (NULL: rules/default.rules under emb_data_dir()). Every problem -
 * an unknown directive or key, a bad country code, a bad risk or number, a code or id
 * given twice - is reported to diags with file, line and column, and the line skipped.
 * Returns 0 and a new rule set in *out, EMB_EFORMAT (bad lines; *out is still set with
 * the good ones), or with *out NULL: EMB_EIO, EMB_ENOMEM, or what emb__input_open and
 * read return for a broken gzip or zip file (the input layer reads both).
 */
int emb__route_rules_load(const char *path, emb_route_rules **out, emb_diags *diags);
/* The same from memory; `name` stands for the file name in diagnostics. */
int emb__route_rules_load_mem(const void *data, size_t size, const char *name,
                              emb_route_rules **out, emb_diags *diags);
void emb__route_rules_free(emb_route_rules *r);

size_t emb__route_rules_count(const emb_route_rules *r);
const emb_route_rule *emb__route_rules_get(const emb_route_rules *r, size_t i);
/* The rule for an alpha-2 or ISO 3166-2 code, or NULL. */
const emb_route_rule *emb__route_rule_for(const emb_route_rules *r, const char *code);
/* The red flag settings (never NULL for a valid kind; check ->enabled). */
const emb_redflag_rule *emb__route_redflag(const emb_route_rules *r, emb_redflag_kind k);
/* True when tier is one of the tiers of `option hub_tier_raise=` (hub hits one level up). */
bool emb__route_tier_raises(const emb_route_rules *r, const char *tier);

typedef enum {
  EMB_ROUTE_ORIGIN = 0, /* origin_country */
  EMB_ROUTE_DISPATCH,   /* dispatch_country */
  EMB_ROUTE_EXPORTER,   /* exporter_country */
  EMB_ROUTE_DESTINATION,
  EMB_ROUTE_IMPORTER,
  EMB_ROUTE_CONSIGNEE,
  EMB_ROUTE_END_USER,
  EMB_ROUTE_TRANSIT, /* transit_countries: places come through emb_route_input.transit */
  EMB_ROUTE_NFIELDS
} emb_route_field;

/* The record field: "origin_country", ..., "end_user_country", "transit_countries". */
const char *emb__route_field_name(emb_route_field f);

typedef enum {
  EMB_ROUTE_EMBARGOED_DESTINATION = 0, /* destination_country under embargo */
  EMB_ROUTE_EMBARGOED_END_USER,        /* importer, consignee or end user under embargo */
  EMB_ROUTE_EMBARGOED_ORIGIN,          /* origin, dispatch or exporter under embargo */
  EMB_ROUTE_OCCUPIED_REGION,           /* any field in an occupied region of Ukraine */
  EMB_ROUTE_HUB_DESTINATION,           /* controlled goods to a diversion hub */
  EMB_ROUTE_TRANSIT_EMBARGOED          /* transit through an embargoed country */
} emb_route_kind;

/* "embargoed_destination", "embargoed_end_user", "embargoed_origin", "occupied_region",
 * "hub_destination", "transit_via_embargoed". */
const char *emb__route_kind_name(emb_route_kind k);

/* A record's places. NULL places are fields that are empty or did not resolve. */
typedef struct emb_route_input {
  const emb_place *place[EMB_ROUTE_TRANSIT]; /* indexed by emb_route_field */
  const emb_place *transit;                  /* array of n_transit places */
  size_t n_transit;
  bool controlled;  /* the goods hit a control list */
  const char *tier; /* the best control tier ("1", "3a"), or NULL/"" when none is known */
} emb_route_input;

typedef struct emb_route_hit {
  const emb_route_rule *rule; /* rule->id is the id for explanations */
  emb_route_kind kind;
  emb_route_field field;
  size_t transit_index;   /* EMB_ROUTE_TRANSIT: which transit place */
  char code[8];           /* the code the rule fired on ("RU", "UA-43") */
  emb_risk risk;          /* never EMB_RISK_NONE */
  const emb_place *place; /* the input place */
} emb_route_hit;

#define EMB_ROUTE_MAX_HITS 32
#define EMB_ROUTE_MAX_TRANSIT 16 /* transit places checked; more are ignored */

/*
 * Checks a record's places against the rules and writes the hits to out[0..max), in
 * field order, setting *n to the number written. Returns 0, EMB_ETOOBIG when more than
 * max hits were found (the first max are written), or EMB_EINVAL for NULL arguments.
 * Read-only on r: thread-safe. Never allocates.
 */
int emb__route_check(const emb_route_rules *r, const emb_route_input *in, emb_route_hit *out,
                     size_t max, size_t *n);

/*
 * Writes a sentence explaining a hit into buf (NUL-terminated, cut at size), e.g.
 * "destination_country Russian Federation (RU) is under a sectoral embargo (EMB-RU) and
 * the goods are controlled (tier 2)". Returns the length it wanted (as snprintf).
 */
int emb__route_hit_describe(const emb_route_hit *h, const emb_route_input *in, char *buf,
                            size_t size);

#endif
