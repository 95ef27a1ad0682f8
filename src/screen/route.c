/*
 * route.c - the rules file and the route check (see route.h; docs/RULES.md).
 *
 * A rules file is read line by line: '#' starts a comment, a line is a directive and its
 * words, and options are key=value words. The rules live in one array; country rules
 * are found through a 26x26 table indexed by the alpha-2 code, region rules (a handful)
 * by a linear scan. The check walks the record's places once and never allocates.
 */
#include "screen/route.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/input.h"
#include "lists/country.h"
#include "screen/textfile.h"

enum {
  MAX_LINE = 4096,
  MAX_WORDS = 32,
  MAX_RULES = 4096,
  MAX_TIERS = 16,
  TIER_LEN = 8,
  ID_MAX = 64
};

struct emb_route_rules {
  emb_arena arena;
  emb_route_rule *rules;
  size_t n, cap;
  int16_t by_country[676]; /* index into rules, or -1 */
  char tiers[MAX_TIERS][TIER_LEN];
  size_t n_tiers;
  emb_redflag_rule flags[EMB_RF_COUNT];
};

const char *emb__route_level_name(emb_route_level l) {
  switch (l) {
  case EMB_LEVEL_COMPREHENSIVE: return "comprehensive";
  case EMB_LEVEL_SECTORAL: return "sectoral";
  case EMB_LEVEL_HUB: return "hub";
  }
  return "?";
}

const char *emb__redflag_kind_name(emb_redflag_kind k) {
  static const char *const names[] = {"hub_onward", "new_consignee", "hs_mix", "unit_value"};
  return (unsigned)k < EMB_RF_COUNT ? names[k] : "?";
}

const char *emb__route_field_name(emb_route_field f) {
  static const char *const names[] = {
      "origin_country",   "dispatch_country",  "exporter_country", "destination_country",
      "importer_country", "consignee_country", "end_user_country", "transit_countries"};
  return (unsigned)f < EMB_ROUTE_NFIELDS ? names[f] : "?";
}

const char *emb__route_kind_name(emb_route_kind k) {
  switch (k) {
  case EMB_ROUTE_EMBARGOED_DESTINATION: return "embargoed_destination";
  case EMB_ROUTE_EMBARGOED_END_USER: return "embargoed_end_user";
  case EMB_ROUTE_EMBARGOED_ORIGIN: return "embargoed_origin";
  case EMB_ROUTE_OCCUPIED_REGION: return "occupied_region";
  case EMB_ROUTE_HUB_DESTINATION: return "hub_destination";
  case EMB_ROUTE_TRANSIT_EMBARGOED: return "transit_via_embargoed";
  }
  return "?";
}

/* ------------------------------------------------------------ parsing */

typedef struct word {
  const char *s;
  size_t n;
  size_t col; /* 1-based column */
} word;

typedef struct ctx {
  emb_route_rules *r;
  const char *file;
  unsigned long line;
  emb_diags *diags;
} ctx;

static bool eq(const word *w, const char *s) {
  return emb__textfile_is(w->s, w->n, s);
}

static bool parse_risk(const char *s, size_t n, emb_risk *out) {
  static const char *const names[] = {"high", "medium", "low", "off"};
  static const emb_risk risks[] = {EMB_RISK_HIGH, EMB_RISK_MEDIUM, EMB_RISK_LOW, EMB_RISK_NONE};
  int i = emb__textfile_lookup(s, n, names, sizeof names / sizeof names[0]);
  if (i < 0)
    return false;
  *out = risks[i];
  return true;
}

static bool parse_bool(const char *s, size_t n, bool *out) {
  if ((n == 3 && memcmp(s, "yes", 3) == 0) || (n == 4 && memcmp(s, "true", 4) == 0)) {
    *out = true;
    return true;
  }
  if ((n == 2 && memcmp(s, "no", 2) == 0) || (n == 5 && memcmp(s, "false", 5) == 0)) {
    *out = false;
    return true;
  }
  return false;
}

/* A decimal number (no sign, no exponent beyond what strtod takes); false otherwise. */
static bool parse_num(const char *s, size_t n, double *out) {
  char buf[64];
  if (n == 0 || n >= sizeof buf || s[0] == '-' || s[0] == '+')
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
      return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  char *end;
  double v = strtod(buf, &end);
  if (end != buf + n || !isfinite(v))
    return false;
  *out = v;
  return true;
}

static bool parse_count(const char *s, size_t n, unsigned *out) {
  double v;
  if (!parse_num(s, n, &v) || v != floor(v) || v < 1 || v > 1e9)
    return false;
  *out = (unsigned)v;
  return true;
}

/* "YYYY-MM-DD" with a valid month and day. */
static bool parse_ymd(const char *s, size_t n, int32_t *out) {
  if (n != 10 || s[4] != '-' || s[7] != '-')
    return false;
  int v[3] = {0, 0, 0}, k = 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 4 || i == 7) {
      k++;
      continue;
    }
    if (s[i] < '0' || s[i] > '9')
      return false;
    v[k] = v[k] * 10 + (s[i] - '0');
  }
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1])
    return false;
  *out = v[0] * 10000 + v[1] * 100 + v[2];
  return true;
}

/* An upper-case alpha-2 code of a known country, or an ISO 3166-2 code of one. */
static bool valid_code(const char *s, size_t n) {
  if (n != 2 && (n < 4 || n > 6 || s[2] != '-'))
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (i == 2)
      continue;
    if (!((c >= 'A' && c <= 'Z') || (i > 2 && c >= '0' && c <= '9')))
      return false;
  }
  char cc[3] = {s[0], s[1], '\0'};
  return emb_country_name(cc) != NULL;
}

/* Reports a problem at word w (NULL: the line) and returns EMB_EFORMAT. */
static int bad(const ctx *c, const word *w, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(const ctx *c, const word *w, const char *field, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  emb__error(c->diags, EMB_EFORMAT, c->file, c->line, w ? w->col : 0, field, "%s", msg);
  return EMB_EFORMAT;
}

/* Splits "key=value"; returns false (and reports) when there is no '='. */
static bool split_kv(const ctx *c, const word *w, word *k, word *v) {
  const char *eqp = memchr(w->s, '=', w->n);
  if (!eqp || eqp == w->s) {
    char buf[96];
    snprintf(buf, sizeof buf, "%.*s", (int)(w->n < 80 ? w->n : 80), w->s);
    bad(c, w, NULL, "'%s' is not a key=value option.", buf);
    return false;
  }
  *k = (word){w->s, (size_t)(eqp - w->s), w->col};
  *v = (word){eqp + 1, w->n - k->n - 1, w->col + k->n + 1};
  return true;
}

static int unknown_key(const ctx *c, const word *k, const char *what) {
  char buf[160];
  snprintf(buf, sizeof buf, "'%.*s' is not a key of %s", (int)(k->n < 60 ? k->n : 60), k->s, what);
  return bad(c, k, NULL, "%s.", buf);
}

static int bad_value(const ctx *c, const word *k, const word *v, const char *expect) {
  char buf[256];
  snprintf(buf, sizeof buf, "%.*s=%.*s: expected %s", (int)(k->n < 40 ? k->n : 40), k->s,
           (int)(v->n < 60 ? v->n : 60), v->s, expect);
  return bad(c, v, NULL, "Bad value %s.", buf);
}

static const char *id_dup(const emb_route_rules *r, const char *id, size_t n) {
  for (size_t i = 0; i < r->n; i++)
    if (strlen(r->rules[i].id) == n && memcmp(r->rules[i].id, id, n) == 0)
      return r->rules[i].id;
  for (int k = 0; k < EMB_RF_COUNT; k++)
    if (r->flags[k].enabled && strlen(r->flags[k].id) == n && memcmp(r->flags[k].id, id, n) == 0)
      return r->flags[k].id;
  return NULL;
}

static bool valid_id(const word *v) {
  if (v->n == 0 || v->n >= ID_MAX)
    return false;
  for (size_t i = 0; i < v->n; i++) {
    char ch = v->s[i];
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
          ch == '-' || ch == '_' || ch == '.'))
      return false;
  }
  return true;
}

/* embargo CODE LEVEL key=value... | hub CODE key=value... */
static int parse_rule(ctx *c, const word *w, size_t nw, bool hub) {
  emb_route_rules *r = c->r;
  const char *dir = hub ? "hub" : "embargo";
  size_t need = hub ? 2 : 3;
  if (nw < need) {
    return bad(c, &w[0], NULL, "%s",
               hub ? "'hub' needs a country code: hub CODE [id=...] [risk=...]."
                   : "'embargo' needs a code and a level: embargo CODE comprehensive|sectoral "
                     "[key=value...].");
  }
  char code[8] = {0};
  if (!valid_code(w[1].s, w[1].n)) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(w[1].n < 40 ? w[1].n : 40), w[1].s);
    return bad(c, &w[1], "code",
               "'%s' is not a known ISO 3166-1 alpha-2 code (upper case) nor an ISO 3166-2 "
               "code of one.",
               buf);
  }
  memcpy(code, w[1].s, w[1].n);
  bool region = w[1].n > 2;
  if (hub && region)
    return bad(c, &w[1], "code", "A hub is a country, not a region ('%s').", code);
  if (emb__route_rule_for(r, code)) {
    return bad(c, &w[1], "code", "'%s' already has a rule; each code has one.", code);
  }
  emb_route_rule rule;
  memset(&rule, 0, sizeof rule);
  memcpy(rule.code, code, sizeof rule.code);
  rule.level = EMB_LEVEL_HUB;
  rule.risk = hub ? EMB_RISK_MEDIUM : EMB_RISK_HIGH;
  if (!hub) {
    if (eq(&w[2], "comprehensive"))
      rule.level = EMB_LEVEL_COMPREHENSIVE;
    else if (eq(&w[2], "sectoral"))
      rule.level = EMB_LEVEL_SECTORAL;
    else {
      char buf[64];
      snprintf(buf, sizeof buf, "%.*s", (int)(w[2].n < 40 ? w[2].n : 40), w[2].s);
      return bad(c, &w[2], "level", "'%s' is not a level (comprehensive or sectoral).", buf);
    }
  }
  char idbuf[ID_MAX];
  snprintf(idbuf, sizeof idbuf, "%s-%s", hub ? "HUB" : "EMB", code);
  const char *id = idbuf;
  size_t id_n = strlen(idbuf);
  for (size_t i = need; i < nw; i++) {
    word k, v;
    if (!split_kv(c, &w[i], &k, &v))
      return EMB_EFORMAT;
    emb_risk *slot = NULL;
    if (eq(&k, "id")) {
      if (!valid_id(&v))
        return bad_value(c, &k, &v, "letters, digits, '-', '_' or '.' (at most 63)");
      id = v.s;
      id_n = v.n;
      continue;
    }
    if (eq(&k, "risk"))
      slot = &rule.risk;
    else if (!hub && eq(&k, "uncontrolled"))
      slot = &rule.uncontrolled;
    else if (!hub && eq(&k, "origin"))
      slot = &rule.origin;
    else if (!hub && eq(&k, "transit"))
      slot = &rule.transit;
    else if (!hub && region && eq(&k, "partly"))
      slot = &rule.partly;
    else if (!hub && region && eq(&k, "front"))
      slot = &rule.front;
    else if (!hub && region && eq(&k, "controlled"))
      slot = &rule.controlled;
    if (!slot) {
      char what[128];
      snprintf(what, sizeof what, "'%s'%s", dir,
               !hub && !region ? " for a country (partly, front and controlled are for regions)"
                               : "");
      return unknown_key(c, &k, what);
    }
    if (!parse_risk(v.s, v.n, slot))
      return bad_value(c, &k, &v, "high, medium, low or off");
    if (slot == &rule.risk && rule.risk == EMB_RISK_NONE)
      return bad_value(c, &k, &v, "high, medium or low (delete the line to turn a rule off)");
  }
  if (rule.uncontrolled != EMB_RISK_NONE && rule.level != EMB_LEVEL_SECTORAL)
    return bad(c, &w[0], NULL, "%s",
               "uncontrolled= is for sectoral embargoes (a comprehensive one covers all goods).");
  const char *dup = id_dup(r, id, id_n);
  if (dup)
    return bad(c, &w[0], "id", "The id '%s' is used twice.", dup);
  if (r->n >= MAX_RULES)
    return bad(c, &w[0], NULL, "%s", "Too many rules (the limit is 4096).");
  rule.id = emb__arena_strndup(&r->arena, id, id_n);
  rule.file = emb__arena_strdup(&r->arena, c->file);
  if (!rule.id || !rule.file)
    return EMB_ENOMEM;
  rule.line = c->line;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    emb_route_rule *p = realloc(r->rules, cap * sizeof *p);
    if (!p)
      return EMB_ENOMEM;
    r->rules = p;
    r->cap = cap;
  }
  if (!region)
    r->by_country[(code[0] - 'A') * 26 + (code[1] - 'A')] = (int16_t)r->n;
  r->rules[r->n++] = rule;
  return 0;
}

/* option key=value */
static int parse_option(ctx *c, const word *w, size_t nw) {
  emb_route_rules *r = c->r;
  if (nw < 2)
    return bad(c, &w[0], NULL, "%s", "'option' needs key=value words.");
  for (size_t i = 1; i < nw; i++) {
    word k, v;
    if (!split_kv(c, &w[i], &k, &v))
      return EMB_EFORMAT;
    if (!eq(&k, "hub_tier_raise"))
      return unknown_key(c, &k, "'option' (hub_tier_raise)");
    r->n_tiers = 0;
    size_t b = 0;
    for (size_t j = 0; j <= v.n; j++) {
      if (j < v.n && v.s[j] != ',')
        continue;
      size_t m = j - b;
      if (m == 0 || m >= TIER_LEN || r->n_tiers >= MAX_TIERS)
        return bad_value(c, &k, &v, "a comma-separated list of tiers such as 1,2");
      memcpy(r->tiers[r->n_tiers], v.s + b, m);
      r->tiers[r->n_tiers][m] = '\0';
      r->n_tiers++;
      b = j + 1;
    }
  }
  return 0;
}

static void flag_defaults(emb_redflag_rule *f, emb_redflag_kind k) {
  static const char *const ids[] = {"RF-HUB-ONWARD", "RF-NEW-CONSIGNEE", "RF-HS-MIX",
                                    "RF-UNIT-VALUE"};
  static const emb_risk risks[] = {EMB_RISK_HIGH, EMB_RISK_MEDIUM, EMB_RISK_LOW, EMB_RISK_MEDIUM};
  memset(f, 0, sizeof *f);
  f->id = ids[k];
  f->risk = risks[k];
  f->controlled_only = true;
  memcpy(f->countries[0], "RU", 3);
  memcpy(f->countries[1], "BY", 3);
  f->n_countries = 2;
  f->after = 20220224;
  f->level = 2;
  f->min_records = 20;
  f->max_share = 0.05;
  f->min_count = 30;
  f->factor = 10;
}

/* redflag KIND key=value... */
static int parse_redflag(ctx *c, const word *w, size_t nw) {
  emb_route_rules *r = c->r;
  if (nw < 2)
    return bad(c, &w[0], NULL, "%s",
               "'redflag' needs a kind: hub_onward, new_consignee, hs_mix or unit_value.");
  int kind = -1;
  for (int k = 0; k < EMB_RF_COUNT; k++)
    if (eq(&w[1], emb__redflag_kind_name((emb_redflag_kind)k)))
      kind = k;
  if (kind < 0) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(w[1].n < 40 ? w[1].n : 40), w[1].s);
    return bad(c, &w[1], "kind",
               "'%s' is not a red flag (hub_onward, new_consignee, hs_mix, unit_value).", buf);
  }
  if (r->flags[kind].enabled)
    return bad(c, &w[1], "kind", "The red flag '%s' is set twice.",
               emb__redflag_kind_name((emb_redflag_kind)kind));
  emb_redflag_rule f;
  flag_defaults(&f, (emb_redflag_kind)kind);
  const char *id = f.id;
  size_t id_n = strlen(id);
  for (size_t i = 2; i < nw; i++) {
    word k, v;
    if (!split_kv(c, &w[i], &k, &v))
      return EMB_EFORMAT;
    if (eq(&k, "id")) {
      if (!valid_id(&v))
        return bad_value(c, &k, &v, "letters, digits, '-', '_' or '.' (at most 63)");
      id = v.s;
      id_n = v.n;
    } else if (eq(&k, "risk")) {
      if (!parse_risk(v.s, v.n, &f.risk) || f.risk == EMB_RISK_NONE)
        return bad_value(c, &k, &v, "high, medium or low");
    } else if (eq(&k, "controlled_only")) {
      if (!parse_bool(v.s, v.n, &f.controlled_only))
        return bad_value(c, &k, &v, "yes or no");
    } else if (kind == EMB_RF_HUB_ONWARD && eq(&k, "countries")) {
      f.n_countries = 0;
      size_t b = 0;
      for (size_t j = 0; j <= v.n; j++) {
        if (j < v.n && v.s[j] != ',')
          continue;
        if (!valid_code(v.s + b, j - b) || f.n_countries >= EMB_RF_MAX_COUNTRIES)
          return bad_value(c, &k, &v, "a comma-separated list of up to 8 ISO codes such as RU,BY");
        memcpy(f.countries[f.n_countries], v.s + b, j - b);
        f.countries[f.n_countries][j - b] = '\0';
        f.n_countries++;
        b = j + 1;
      }
    } else if (kind == EMB_RF_NEW_CONSIGNEE && eq(&k, "after")) {
      if (!parse_ymd(v.s, v.n, &f.after))
        return bad_value(c, &k, &v, "a date YYYY-MM-DD");
    } else if (kind == EMB_RF_HS_MIX && eq(&k, "level")) {
      if (eq(&v, "chapter"))
        f.level = 2;
      else if (eq(&v, "heading"))
        f.level = 4;
      else
        return bad_value(c, &k, &v, "chapter or heading");
    } else if (kind == EMB_RF_HS_MIX && eq(&k, "min_records")) {
      if (!parse_count(v.s, v.n, &f.min_records))
        return bad_value(c, &k, &v, "a whole number from 1");
    } else if (kind == EMB_RF_HS_MIX && eq(&k, "max_share")) {
      if (!parse_num(v.s, v.n, &f.max_share) || f.max_share <= 0 || f.max_share >= 1)
        return bad_value(c, &k, &v, "a fraction between 0 and 1, such as 0.05");
    } else if (kind == EMB_RF_UNIT_VALUE && eq(&k, "min_count")) {
      if (!parse_count(v.s, v.n, &f.min_count))
        return bad_value(c, &k, &v, "a whole number from 1");
    } else if (kind == EMB_RF_UNIT_VALUE && eq(&k, "factor")) {
      if (!parse_num(v.s, v.n, &f.factor) || f.factor <= 1 || f.factor > 1e6)
        return bad_value(c, &k, &v, "a number above 1, such as 10");
    } else {
      static const char *const keys[] = {
          "'redflag hub_onward' (id, risk, controlled_only, countries)",
          "'redflag new_consignee' (id, risk, controlled_only, after)",
          "'redflag hs_mix' (id, risk, controlled_only, level, min_records, max_share)",
          "'redflag unit_value' (id, risk, controlled_only, min_count, factor)"};
      return unknown_key(c, &k, keys[kind]);
    }
  }
  const char *dup = id_dup(r, id, id_n);
  if (dup)
    return bad(c, &w[0], "id", "The id '%s' is used twice.", dup);
  f.id = emb__arena_strndup(&r->arena, id, id_n);
  f.file = emb__arena_strdup(&r->arena, c->file);
  if (!f.id || !f.file)
    return EMB_ENOMEM;
  f.line = c->line;
  f.enabled = true;
  r->flags[kind] = f;
  return 0;
}

static int parse_line(ctx *c, const char *s, size_t n) {
  word w[MAX_WORDS];
  size_t nw = 0;
  for (size_t i = 0; i < n;) {
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i >= n || s[i] == '#')
      break;
    size_t b = i;
    while (i < n && s[i] != ' ' && s[i] != '\t')
      i++;
    if (nw == MAX_WORDS) {
      word x = {s + b, i - b, b + 1};
      return bad(c, &x, NULL, "%s", "Too many words on one line (the limit is 32).");
    }
    w[nw++] = (word){s + b, i - b, b + 1};
  }
  if (nw == 0)
    return 0;
  if (eq(&w[0], "embargo"))
    return parse_rule(c, w, nw, false);
  if (eq(&w[0], "hub"))
    return parse_rule(c, w, nw, true);
  if (eq(&w[0], "option"))
    return parse_option(c, w, nw);
  if (eq(&w[0], "redflag"))
    return parse_redflag(c, w, nw);
  char buf[64];
  snprintf(buf, sizeof buf, "%.*s", (int)(w[0].n < 40 ? w[0].n : 40), w[0].s);
  return bad(c, &w[0], NULL,
             "'%s' is not a directive (embargo, hub, option, redflag); '#' starts a comment.", buf);
}

void emb__route_rules_free(emb_route_rules *r) {
  if (!r)
    return;
  emb__arena_fini(&r->arena);
  free(r->rules);
  free(r);
}

/* Reads the rules from an open input, which it closes. */
static int load_input(emb_input *in, emb_route_rules **out, emb_diags *diags) {
  emb_lines *lr = NULL;
  int rc = emb__lines_new(in, MAX_LINE, diags, &lr);
  if (rc) {
    emb__input_close(in);
    return rc;
  }
  emb_route_rules *r = calloc(1, sizeof *r);
  if (!r) {
    emb__lines_free(lr);
    emb__input_close(in);
    return EMB_ENOMEM;
  }
  emb__arena_init(&r->arena, 8192);
  for (size_t i = 0; i < 676; i++)
    r->by_country[i] = -1;
  for (int k = 0; k < EMB_RF_COUNT; k++)
    flag_defaults(&r->flags[k], (emb_redflag_kind)k);
  ctx c = {r, emb__input_name(in), 0, diags};
  size_t errors0 = diags ? diags->n_errors : 0;
  bool any_bad = false;
  const char *s;
  size_t n;
  while ((rc = emb__lines_next(lr, &s, &n, &c.line)) == 1) {
    size_t b = 0;
    while (b < n && (s[b] == ' ' || s[b] == '\t'))
      b++;
    if (b == n || s[b] == '#')
      continue; /* comments may be in any encoding */
    if (!emb__textfile_utf8_ok(s, n, c.file, c.line, diags)) {
      any_bad = true;
      continue;
    }
    rc = parse_line(&c, s, n);
    if (rc == EMB_EFORMAT) {
      any_bad = true;
      rc = 0;
    } else if (rc) {
      break;
    }
  }
  if (rc < 0) {
    emb__lines_free(lr);
    emb__input_close(in);
    emb__route_rules_free(r);
    return rc;
  }
  if (diags && diags->n_errors > errors0)
    any_bad = true; /* a line too long, reported and skipped by the line reader */
  emb__lines_free(lr);
  emb__input_close(in);
  *out = r;
  return any_bad ? EMB_EFORMAT : 0;
}

int emb__route_rules_load(const char *path, emb_route_rules **out, emb_diags *diags) {
  if (!out)
    return EMB_EINVAL;
  *out = NULL;
  emb_input *in;
  int rc = emb__textfile_open(path, "rules/default.rules", &in, diags);
  return rc ? rc : load_input(in, out, diags);
}

int emb__route_rules_load_mem(const void *data, size_t size, const char *name,
                              emb_route_rules **out, emb_diags *diags) {
  if (!out || (!data && size))
    return EMB_EINVAL;
  *out = NULL;
  emb_input *in = NULL;
  int rc = emb__input_open_mem(data ? data : "", size, name ? name : "rules", &in, diags);
  if (rc)
    return rc;
  return load_input(in, out, diags);
}

size_t emb__route_rules_count(const emb_route_rules *r) {
  return r ? r->n : 0;
}

const emb_route_rule *emb__route_rules_get(const emb_route_rules *r, size_t i) {
  return r && i < r->n ? &r->rules[i] : NULL;
}

const emb_route_rule *emb__route_rule_for(const emb_route_rules *r, const char *code) {
  if (!r || !code)
    return NULL;
  size_t n = strlen(code);
  if (n == 2) {
    if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
      return NULL;
    int16_t i = r->by_country[(code[0] - 'A') * 26 + (code[1] - 'A')];
    return i >= 0 ? &r->rules[i] : NULL;
  }
  if (n < 4)
    return NULL;
  for (size_t i = 0; i < r->n; i++)
    if (r->rules[i].code[2] == '-' && strcmp(r->rules[i].code, code) == 0)
      return &r->rules[i];
  return NULL;
}

const emb_redflag_rule *emb__route_redflag(const emb_route_rules *r, emb_redflag_kind k) {
  if (!r || (unsigned)k >= EMB_RF_COUNT)
    return NULL;
  return &r->flags[k];
}

bool emb__route_tier_raises(const emb_route_rules *r, const char *tier) {
  if (!r || !tier || !*tier)
    return false;
  for (size_t i = 0; i < r->n_tiers; i++)
    if (strcmp(r->tiers[i], tier) == 0)
      return true;
  return false;
}

/* ------------------------------------------------------------ checking */

static emb_risk cap(emb_risk a, emb_risk b) {
  return a < b ? a : b;
}

typedef enum { SIDE_ORIGIN, SIDE_DEST, SIDE_TRANSIT } side;

static side side_of(emb_route_field f) {
  if (f <= EMB_ROUTE_EXPORTER)
    return SIDE_ORIGIN;
  if (f == EMB_ROUTE_TRANSIT)
    return SIDE_TRANSIT;
  return SIDE_DEST;
}

/* The risk a rule gives to a place on one side of the route with these goods. */
static emb_risk rule_risk(const emb_route_rules *r, const emb_route_rule *u, side sd,
                          const emb_route_input *in) {
  switch (sd) {
  case SIDE_ORIGIN: return u->level == EMB_LEVEL_HUB ? EMB_RISK_NONE : u->origin;
  case SIDE_TRANSIT:
    if (u->level == EMB_LEVEL_HUB)
      return EMB_RISK_NONE;
    return u->level == EMB_LEVEL_COMPREHENSIVE || in->controlled ? u->transit : EMB_RISK_NONE;
  case SIDE_DEST:
    if (u->level == EMB_LEVEL_COMPREHENSIVE)
      return u->risk;
    if (u->level == EMB_LEVEL_SECTORAL)
      return in->controlled ? u->risk : u->uncontrolled;
    if (!in->controlled)
      return EMB_RISK_NONE;
    if (emb__route_tier_raises(r, in->tier) && u->risk < EMB_RISK_HIGH)
      return (emb_risk)(u->risk + 1);
    return u->risk;
  }
  return EMB_RISK_NONE;
}

typedef struct acc {
  emb_route_hit *out;
  size_t max, n;
  bool over;
} acc;

static void add(acc *a, const emb_route_rule *u, emb_route_kind k, emb_route_field f, size_t ti,
                const char *code, emb_risk risk, const emb_place *p) {
  if (a->n >= a->max) {
    a->over = true;
    return;
  }
  emb_route_hit *h = &a->out[a->n++];
  h->rule = u;
  h->kind = k;
  h->field = f;
  h->transit_index = ti;
  snprintf(h->code, sizeof h->code, "%s", code);
  h->risk = risk;
  h->place = p;
}

static void check_place(const emb_route_rules *r, const emb_route_input *in, const emb_place *p,
                        emb_route_field f, size_t ti, acc *a) {
  if (!p || !p->country[0])
    return;
  side sd = side_of(f);
  /* The region first: the most specific rule wins. */
  if (p->region[0]) {
    const emb_route_rule *u = emb__route_rule_for(r, p->region);
    if (u) {
      emb_risk risk = rule_risk(r, u, sd, in);
      switch (p->occupation) {
      case EMB_OCC_PARTLY: risk = cap(risk, u->partly); break;
      case EMB_OCC_FRONT: risk = cap(risk, u->front); break;
      case EMB_OCC_CONTROLLED: risk = cap(risk, u->controlled); break;
      default: break;
      }
      if (risk != EMB_RISK_NONE) {
        bool occ = strcmp(p->country, "UA") == 0 && p->occupation != EMB_OCC_NONE;
        emb_route_kind k = occ                          ? EMB_ROUTE_OCCUPIED_REGION
                           : sd == SIDE_ORIGIN          ? EMB_ROUTE_EMBARGOED_ORIGIN
                           : sd == SIDE_TRANSIT         ? EMB_ROUTE_TRANSIT_EMBARGOED
                           : f == EMB_ROUTE_DESTINATION ? EMB_ROUTE_EMBARGOED_DESTINATION
                                                        : EMB_ROUTE_EMBARGOED_END_USER;
        add(a, u, k, f, ti, p->region, risk, p);
        return;
      }
    }
  }
  const emb_route_rule *u = emb__route_rule_for(r, p->country);
  if (!u)
    return;
  emb_risk risk = rule_risk(r, u, sd, in);
  if (risk == EMB_RISK_NONE)
    return;
  emb_route_kind k;
  if (u->level == EMB_LEVEL_HUB)
    k = EMB_ROUTE_HUB_DESTINATION;
  else if (sd == SIDE_ORIGIN)
    k = EMB_ROUTE_EMBARGOED_ORIGIN;
  else if (sd == SIDE_TRANSIT)
    k = EMB_ROUTE_TRANSIT_EMBARGOED;
  else if (f == EMB_ROUTE_DESTINATION)
    k = EMB_ROUTE_EMBARGOED_DESTINATION;
  else
    k = EMB_ROUTE_EMBARGOED_END_USER;
  add(a, u, k, f, ti, p->country, risk, p);
}

int emb__route_check(const emb_route_rules *r, const emb_route_input *in, emb_route_hit *out,
                     size_t max, size_t *n) {
  if (n)
    *n = 0;
  if (!r || !in || !n || (!out && max))
    return EMB_EINVAL;
  acc a = {out, max, 0, false};
  for (int f = 0; f < EMB_ROUTE_TRANSIT; f++)
    check_place(r, in, in->place[f], (emb_route_field)f, 0, &a);
  size_t nt = in->transit ? in->n_transit : 0;
  if (nt > EMB_ROUTE_MAX_TRANSIT)
    nt = EMB_ROUTE_MAX_TRANSIT;
  for (size_t i = 0; i < nt; i++)
    check_place(r, in, &in->transit[i], EMB_ROUTE_TRANSIT, i, &a);
  *n = a.n;
  return a.over ? EMB_ETOOBIG : 0;
}

int emb__route_hit_describe(const emb_route_hit *h, const emb_route_input *in, char *buf,
                            size_t size) {
  if (!h || !h->rule || !buf || size == 0)
    return 0;
  const emb_place *p = h->place;
  const char *what = p && p->matched ? p->matched : "the place";
  char where[160];
  if (h->field == EMB_ROUTE_TRANSIT)
    snprintf(where, sizeof where, "transit_countries[%zu]", h->transit_index + 1);
  else
    snprintf(where, sizeof where, "%s", emb__route_field_name(h->field));
  const char *name = p && p->kind == EMB_PLACE_COUNTRY ? NULL : emb_country_name(h->code);
  char goods[64];
  if (in && in->controlled)
    snprintf(goods, sizeof goods, "the goods are controlled%s%s%s",
             in->tier && *in->tier ? " (tier " : "", in->tier && *in->tier ? in->tier : "",
             in->tier && *in->tier ? ")" : "");
  else
    snprintf(goods, sizeof goods, "the goods are not on a control list");
  const char *occ = "";
  if (p && h->kind == EMB_ROUTE_OCCUPIED_REGION) {
    switch (p->occupation) {
    case EMB_OCC_OCCUPIED: occ = ", under occupation"; break;
    case EMB_OCC_PARTLY: occ = ", a region partly under occupation"; break;
    case EMB_OCC_FRONT: occ = ", a town on the front line"; break;
    case EMB_OCC_CONTROLLED: occ = ", under government control"; break;
    default: break;
    }
  }
  const char *rel;
  switch (h->kind) {
  case EMB_ROUTE_HUB_DESTINATION: rel = "is a diversion hub"; break;
  case EMB_ROUTE_OCCUPIED_REGION: rel = "lies in an occupied region of Ukraine"; break;
  case EMB_ROUTE_TRANSIT_EMBARGOED: rel = "is a transit country under"; break;
  case EMB_ROUTE_EMBARGOED_ORIGIN: rel = "is an origin under"; break;
  default: rel = "is under"; break;
  }
  bool level_words = h->kind != EMB_ROUTE_HUB_DESTINATION && h->kind != EMB_ROUTE_OCCUPIED_REGION;
  return snprintf(buf, size, "%s: %s (%s%s%s) %s%s%s%s%s (rule %s); %s%s%s", where, what, h->code,
                  name ? ", " : "", name ? name : "", rel, occ, level_words ? " a " : "",
                  level_words ? emb__route_level_name(h->rule->level) : "",
                  level_words ? " embargo" : "", h->rule->id, goods, p && p->note ? "; " : "",
                  p && p->note ? p->note : "");
}
