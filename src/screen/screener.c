/*
 * screener.c - one trade record's screening: parties, goods, route, red flags
 * (see screener.h and docs/SCREEN.md).
 */
#include "screen/screener.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/input.h"
#include "core/sha256.h"
#include "core/strmap.h"
#include "goods/controls.h"
#include "screen/idindex.h"
#include "screen/party.h"
#include "screen/place.h"
#include "screen/redflags.h"
#include "screen/route.h"

/* The party fields of a record, with the country and identifier fields that go with them. */
typedef struct party_field {
  emb_trade_field name, country, id; /* EMB_TF_COUNT: none */
  emb_schema schema;
} party_field;

static const party_field PARTY_FIELDS[] = {
    {EMB_TF_EXPORTER, EMB_TF_EXPORTER_COUNTRY, EMB_TF_EXPORTER_ID, EMB_SCHEMA_UNKNOWN},
    {EMB_TF_IMPORTER, EMB_TF_IMPORTER_COUNTRY, EMB_TF_IMPORTER_ID, EMB_SCHEMA_UNKNOWN},
    {EMB_TF_CONSIGNEE, EMB_TF_CONSIGNEE_COUNTRY, EMB_TF_CONSIGNEE_ID, EMB_SCHEMA_UNKNOWN},
    {EMB_TF_END_USER, EMB_TF_END_USER_COUNTRY, EMB_TF_COUNT, EMB_SCHEMA_UNKNOWN},
    {EMB_TF_NOTIFY_PARTY, EMB_TF_COUNT, EMB_TF_COUNT, EMB_SCHEMA_UNKNOWN},
    {EMB_TF_MANUFACTURER, EMB_TF_COUNT, EMB_TF_COUNT, EMB_SCHEMA_UNKNOWN},
    {EMB_TF_CARRIER, EMB_TF_COUNT, EMB_TF_COUNT, EMB_SCHEMA_UNKNOWN},
    {EMB_TF_VESSEL_NAME, EMB_TF_COUNT, EMB_TF_VESSEL_IMO, EMB_SCHEMA_VESSEL},
};
#define N_PARTY_FIELDS (sizeof(PARTY_FIELDS) / sizeof(PARTY_FIELDS[0]))

/* The single-country fields of a record (transit_countries is a list, handled apart). */
static const emb_trade_field COUNTRY_FIELDS[] = {EMB_TF_EXPORTER_COUNTRY,   EMB_TF_IMPORTER_COUNTRY,
                                                 EMB_TF_CONSIGNEE_COUNTRY,  EMB_TF_END_USER_COUNTRY,
                                                 EMB_TF_ORIGIN_COUNTRY,     EMB_TF_DISPATCH_COUNTRY,
                                                 EMB_TF_DESTINATION_COUNTRY};
#define N_COUNTRY_FIELDS (sizeof(COUNTRY_FIELDS) / sizeof(COUNTRY_FIELDS[0]))

#define MAX_TRANSIT 8

/* Everything pass 1 and pass 2 work out from a record's fields, in one place. */
typedef struct record_view {
  emb_place places[N_COUNTRY_FIELDS]; /* by COUNTRY_FIELDS index; country "" if none */
  emb_place transit[MAX_TRANSIT];
  size_t n_transit;
  char consignee_key[256], exporter_key[256];
  char hs[EMB_HS_MAX + 1];
  size_t hs_len;
  unsigned long index; /* the record it describes */
} record_view;

/* A resolved place text: what emb__place_resolve said of it. */
typedef struct place_entry {
  emb_place place;
  bool known;
} place_entry;

struct emb_screener {
  const emb_entity_set *set;
  const emb_matcher *matcher;
  emb_goods *goods;
  emb_route_rules *rules;
  emb_redflags *flags;
  emb_idindex *ids;
  emb_parties *parties;
  /* places: text -> entries[index]; filled in pass 1, read-only after */
  emb_strmap place_map;
  place_entry *places;
  size_t n_places, cap_places;
  emb_arena strings;
  char context[65]; /* hash of the lists, controls and rules: part of every alert id */
  const char *control_files[66];
  size_t n_control_files;
  const char *rule_files[1];
  size_t n_rule_files;
  char rules_path[4096];
  char controls_dir[4096];
  char chpl_path[4200];
  emb_on_error on_error;
  record_view view1; /* pass 1: the view of the record emb__screener_check() saw last */
  bool view1_set;
};

/* ---- small helpers ---- */

static const char *field(const emb_trade_record *rec, emb_trade_field f, size_t *len) {
  if (f >= EMB_TF_COUNT || !rec->v[f]) {
    *len = 0;
    return "";
  }
  *len = rec->len[f];
  return emb__name_trim(rec->v[f], len);
}

/* ---- places ---- */

static const place_entry *place_get(const emb_screener *s, const char *text, size_t len) {
  size_t i;
  return emb__strmap_get(&s->place_map, text, len, &i) ? &s->places[i] : NULL;
}

/* Resolves a place text once and remembers it (pass 1). NULL only when out of memory. */
static const place_entry *place_intern(emb_screener *s, const char *text, size_t len) {
  const place_entry *e = place_get(s, text, len);
  if (e)
    return e;
  if (s->n_places == s->cap_places) {
    size_t cap = s->cap_places ? 2 * s->cap_places : 256;
    place_entry *p = realloc(s->places, cap * sizeof(*p));
    if (!p)
      return NULL;
    s->places = p;
    s->cap_places = cap;
  }
  char *key = emb__arena_strndup(&s->strings, text, len);
  if (!key)
    return NULL;
  place_entry *x = &s->places[s->n_places];
  memset(x, 0, sizeof(*x));
  x->known = emb__place_resolve(text, len, &x->place) == 0;
  if (emb__strmap_put(&s->place_map, key, len, s->n_places))
    return NULL;
  s->n_places++;
  return x;
}

/* Resolution of a place the cache does not hold (only when pass 2 meets new text). */
static place_entry place_direct(const char *text, size_t len) {
  place_entry e;
  memset(&e, 0, sizeof(e));
  e.known = emb__place_resolve(text, len, &e.place) == 0;
  return e;
}

/* Splits a transit list ("KZ; RU", "Kazakhstan, Russia") into its parts. */
static size_t split_list(const char *text, size_t len, const char **parts, size_t *lens,
                         size_t max) {
  size_t n = 0, start = 0;
  for (size_t i = 0; i <= len && n < max; i++) {
    if (i < len && text[i] != ';' && text[i] != '|' && text[i] != ',')
      continue;
    size_t plen = i - start;
    const char *p = emb__name_trim(text + start, &plen);
    if (plen) {
      parts[n] = p;
      lens[n++] = plen;
    }
    start = i + 1;
  }
  return n;
}

static const emb_place *view_place(const record_view *v, emb_trade_field f) {
  for (size_t i = 0; i < N_COUNTRY_FIELDS; i++)
    if (COUNTRY_FIELDS[i] == f)
      return v->places[i].country[0] ? &v->places[i] : NULL;
  return NULL;
}

/* A party's key for the red flags: folded name and country ("" when no name). */
static void flag_key(const emb_trade_record *rec, emb_trade_field name_f, const emb_place *where,
                     char *out, size_t size) {
  size_t len;
  const char *name = field(rec, name_f, &len);
  size_t n = emb__name_fold(name, len, out, size - 4); /* room for the country and NUL */
  if (n && where) {
    out[n++] = '\x1f';
    out[n++] = where->country[0];
    out[n++] = where->country[1];
  }
  out[n] = '\0';
}

/* ---- pass 1: checking and observing ---- */

/*
 * Checks one place field; reports it when unknown (diags not NULL). In pass 1 the place
 * cache is filled (`cache` is the screener); in pass 2 it is only read (`cache` NULL).
 */
static bool check_place(const emb_screener *s, emb_screener *cache, const emb_trade_record *rec,
                        emb_trade_field f, const char *text, size_t len, const char *file,
                        emb_diags *diags, emb_place *out) {
  const place_entry *e = cache ? place_intern(cache, text, len) : place_get(s, text, len);
  place_entry direct;
  if (!e) {
    direct = place_direct(text, len);
    e = &direct;
  }
  if (e->known) {
    *out = e->place;
    return true;
  }
  if (diags)
    emb__error(diags, EMB_EFORMAT, file, rec->line, 0, emb__trade_field_name(f),
               "'%.*s' is not a known country, subdivision, city or address", (int)len, text);
  return false;
}

/*
 * Checks a record's HS code and places, reporting problems when diags is not NULL, and
 * fills the view: the resolved places (unknown ones left empty), the party keys of the
 * red flags and the normalised HS code.
 */
static bool check_record(const emb_screener *s, emb_screener *cache, const emb_trade_record *rec,
                         const char *file, emb_diags *diags, record_view *v) {
  bool ok = !rec->bad;
  size_t len;
  memset(v->places, 0, sizeof(v->places));
  v->n_transit = 0;
  v->index = rec->index;
  const char *hs = field(rec, EMB_TF_HS_CODE, &len);
  v->hs[0] = '\0';
  v->hs_len = 0;
  if (len) {
    if (emb__hs_normalize(hs, len, v->hs, &v->hs_len) == EMB_HS_INVALID) {
      ok = false;
      if (diags)
        emb__error(diags, EMB_EFORMAT, file, rec->line, 0, "hs_code",
                   "'%.*s' is not an HS code (2 to 10 digits; dots and spaces allowed)",
                   (int)(len > 40 ? 40 : len), hs);
    }
  }
  for (size_t i = 0; i < N_COUNTRY_FIELDS; i++) {
    const char *t = field(rec, COUNTRY_FIELDS[i], &len);
    if (len && !check_place(s, cache, rec, COUNTRY_FIELDS[i], t, len, file, diags, &v->places[i]))
      ok = false;
  }
  const char *transit = field(rec, EMB_TF_TRANSIT_COUNTRIES, &len);
  if (len) {
    const char *parts[MAX_TRANSIT];
    size_t lens[MAX_TRANSIT];
    size_t n = split_list(transit, len, parts, lens, MAX_TRANSIT);
    for (size_t i = 0; i < n; i++) {
      if (check_place(s, cache, rec, EMB_TF_TRANSIT_COUNTRIES, parts[i], lens[i], file, diags,
                      &v->transit[v->n_transit]))
        v->n_transit++;
      else
        ok = false;
    }
  }
  flag_key(rec, EMB_TF_CONSIGNEE, view_place(v, EMB_TF_CONSIGNEE_COUNTRY), v->consignee_key,
           sizeof(v->consignee_key));
  flag_key(rec, EMB_TF_EXPORTER, view_place(v, EMB_TF_EXPORTER_COUNTRY), v->exporter_key,
           sizeof(v->exporter_key));
  return ok;
}

bool emb__screener_check(emb_screener *s, const emb_trade_record *rec, const char *file,
                         emb_diags *diags) {
  s->view1_set = true;
  return check_record(s, s, rec, file, diags, &s->view1);
}

/* The text of a vessel party: its name, or "IMO <number>" when only the number is given. */
static const char *vessel_name(const emb_trade_record *rec, char *buf, size_t size, size_t *len) {
  const char *name = field(rec, EMB_TF_VESSEL_NAME, len);
  if (*len)
    return name;
  size_t ilen;
  const char *imo = field(rec, EMB_TF_VESSEL_IMO, &ilen);
  if (!ilen)
    return "";
  int n = snprintf(buf, size, "IMO %.*s", (int)(ilen > 40 ? 40 : ilen), imo);
  *len = n > 0 ? (size_t)n : 0;
  return buf;
}

/* Finds (pass 2) or adds (pass 1) the party of one party field; NULL when none. */
static int party_of(const emb_screener *s, emb_parties *add_to, emb_buf *scratch,
                    const emb_trade_record *rec, const record_view *v, const party_field *pf,
                    const emb_party **out) {
  *out = NULL;
  char buf[64];
  size_t len, id_len;
  const char *name = pf->schema == EMB_SCHEMA_VESSEL ? vessel_name(rec, buf, sizeof(buf), &len)
                                                     : field(rec, pf->name, &len);
  if (!len)
    return 0;
  const emb_place *where = pf->country < EMB_TF_COUNT ? view_place(v, pf->country) : NULL;
  const char *country = where ? where->country : "";
  const char *id = field(rec, pf->id, &id_len);
  if (!add_to) {
    *out = emb__parties_find(s->parties, scratch, pf->schema, name, len, country, id, id_len);
    return 0;
  }
  size_t index;
  int rc = emb__parties_add(add_to, pf->schema, name, len, country, id, id_len, &index);
  return rc == EMB_ENOTFOUND ? 0 : rc;
}

static void make_obs(const emb_trade_record *rec, const record_view *v, bool controlled,
                     const char *tier, emb_redflag_obs *o) {
  memset(o, 0, sizeof(*o));
  o->consignee = v->consignee_key;
  o->consignee_len = strlen(v->consignee_key);
  o->exporter = v->exporter_key;
  o->exporter_len = strlen(v->exporter_key);
  o->consignee_place = view_place(v, EMB_TF_CONSIGNEE_COUNTRY);
  o->destination = view_place(v, EMB_TF_DESTINATION_COUNTRY);
  o->importer = view_place(v, EMB_TF_IMPORTER_COUNTRY);
  o->end_user = view_place(v, EMB_TF_END_USER_COUNTRY);
  o->date = field(rec, EMB_TF_DATE, &o->date_len);
  o->hs = v->hs;
  o->hs_len = v->hs_len;
  o->controlled = controlled;
  o->tier = tier;
  o->value = field(rec, EMB_TF_VALUE, &o->value_len);
  o->quantity = field(rec, EMB_TF_QUANTITY, &o->quantity_len);
  o->unit = field(rec, EMB_TF_UNIT, &o->unit_len);
}

static int observe_flags(emb_screener *s, const emb_trade_record *rec, const record_view *v) {
  emb_redflag_obs o;
  /* Pass 1 statistics do not depend on the goods being controlled; pass 2 decides. */
  make_obs(rec, v, false, NULL, &o);
  return emb__redflags_observe(s->flags, &o);
}

int emb__screener_observe(emb_screener *s, const emb_trade_record *rec) {
  record_view own;
  const record_view *v = &s->view1;
  if (!s->view1_set || v->index != rec->index) { /* not the record just checked */
    check_record(s, s, rec, NULL, NULL, &own);
    v = &own;
  }
  for (size_t i = 0; i < N_PARTY_FIELDS; i++) {
    const emb_party *p;
    int rc = party_of(s, s->parties, NULL, rec, v, &PARTY_FIELDS[i], &p);
    if (rc)
      return rc;
  }
  return observe_flags(s, rec, v);
}

int emb__screener_prepare(emb_screener *s, unsigned threads,
                          void (*progress)(void *ud, size_t done, size_t total), void *ud) {
  emb__redflags_finish(s->flags);
  return emb__parties_screen(s->parties, s->matcher, s->ids, threads, progress, ud);
}

size_t emb__screener_parties(const emb_screener *s, size_t *matched) {
  size_t n = emb__parties_count(s->parties), k = 0;
  for (size_t i = 0; i < n; i++)
    if (emb__parties_get(s->parties, i)->n_matches)
      k++;
  *matched = k;
  return n;
}

/* ---- pass 2 ---- */

struct emb_screen_worker {
  emb_buf key; /* party keys */
  emb_goods_result goods;
  emb_route_hit route[EMB_ALERT_MAX_REASONS];
  emb_redflag_hit flags[EMB_ALERT_MAX_REASONS];
};

emb_screen_worker *emb__screen_worker_new(const emb_screener *s) {
  (void)s;
  emb_screen_worker *w = calloc(1, sizeof(*w));
  if (w) {
    emb__goods_result_init(&w->goods);
    emb__buf_init(&w->key, 0);
  }
  return w;
}

void emb__screen_worker_free(emb_screen_worker *w) {
  if (!w)
    return;
  emb__goods_result_fini(&w->goods);
  emb__buf_fini(&w->key);
  free(w);
}

/* A party match is high risk when an identifier agrees or the name is near-certain. */
#define PARTY_HIGH_SCORE 0.90

static void party_reasons(const emb_screener *s, emb_screen_worker *w, const emb_trade_record *rec,
                          const record_view *v, emb_alert *a, const emb_party_match **first) {
  *first = NULL;
  for (size_t i = 0; i < N_PARTY_FIELDS; i++) {
    const emb_party *p;
    party_of(s, NULL, &w->key, rec, v, &PARTY_FIELDS[i], &p);
    if (!p)
      continue;
    for (size_t k = 0; k < p->n_matches; k++) {
      const emb_party_match *m = &p->matches[k];
      emb_reason r;
      memset(&r, 0, sizeof(r));
      r.kind = EMB_REASON_PARTY;
      r.risk = m->id || m->score >= PARTY_HIGH_SCORE ? EMB_RISK_HIGH : EMB_RISK_MEDIUM;
      r.field = emb__trade_field_name(PARTY_FIELDS[i].name);
      r.party = p;
      r.match = m;
      emb__alert_add(a, &r);
      if (!*first)
        *first = m;
    }
  }
}

static void goods_reasons(const emb_goods_result *g, emb_alert *a) {
  for (size_t i = 0; i < g->n_hits; i++) {
    emb_reason r;
    memset(&r, 0, sizeof(r));
    r.kind = EMB_REASON_GOODS;
    r.goods = &g->hits[i];
    r.record_code = g->code;
    r.field = g->hits[i].via == EMB_GOODS_VIA_DESCRIPTION ? "goods_description" : "hs_code";
    emb__alert_add(a, &r);
  }
}

/* ---- setting up ---- */

/* Adds the SHA-256 of a file's bytes to the context hash (the file's name does not count). */
static int hash_file(emb_sha256 *h, const char *path, emb_diags *diags) {
  emb_input *in;
  int rc = emb__input_open(path, &in, diags);
  if (rc)
    return rc;
  char hex[65];
  rc = emb__input_sha256(in, hex);
  emb__input_close(in);
  if (!rc)
    emb__sha256_update(h, hex, 64);
  return rc;
}

static int load_goods(emb_screener *s, const emb_screen_opts *opts, emb_diags *diags,
                      emb_sha256 *h) {
  s->goods = emb__goods_new();
  if (!s->goods)
    return EMB_ENOMEM;
  snprintf(s->controls_dir, sizeof(s->controls_dir), "%s/controls", emb_data_dir());
  const char *chpl = s->chpl_path;
  snprintf(s->chpl_path, sizeof(s->chpl_path), "%s/chpl.csv", s->controls_dir);
  int rc = 0;
  if (opts->n_controls == 0) {
    s->control_files[s->n_control_files++] = chpl;
    rc = emb__controls_load(s->goods, chpl, diags);
  }
  for (size_t i = 0; i < opts->n_controls && i < 64 && rc != EMB_ENOMEM; i++) {
    s->control_files[s->n_control_files++] = opts->controls[i];
    int r = emb__controls_load(s->goods, opts->controls[i], diags);
    if (r && !rc)
      rc = r;
  }
  char path[4200];
  snprintf(path, sizeof(path), "%s/hs_correlation.csv", s->controls_dir);
  int r = emb__goods_load_correlation(s->goods, path, diags);
  if (r && !rc)
    rc = r;
  snprintf(path, sizeof(path), "%s/goods_rules.tsv", s->controls_dir);
  r = emb__goods_load_rules(s->goods, path, diags);
  if (r && !rc)
    rc = r;
  for (size_t i = 0; i < s->n_control_files && !rc; i++)
    rc = hash_file(h, s->control_files[i], diags);
  return rc;
}

int emb__screener_new(const emb_entity_set *set, const emb_matcher *m, const emb_screen_opts *opts,
                      emb_screener **out, emb_diags *diags) {
  *out = NULL;
  emb_screener *s = calloc(1, sizeof(*s));
  if (!s)
    return EMB_ENOMEM;
  s->set = set;
  s->matcher = m;
  s->on_error = opts->on_error;
  emb__strmap_init(&s->place_map);
  emb__arena_init(&s->strings, 1 << 16);
  emb_sha256 h;
  emb__sha256_init(&h);
  /* The lists as loaded: their bytes' hashes, in load order. */
  for (size_t i = 0; i < emb_set_source_count(set); i++)
    emb__sha256_update(&h, emb_set_source(set, i)->sha256, 64);
  int rc = load_goods(s, opts, diags, &h);
  if (!rc) {
    if (opts->rules)
      snprintf(s->rules_path, sizeof(s->rules_path), "%s", opts->rules);
    else
      snprintf(s->rules_path, sizeof(s->rules_path), "%s/rules/default.rules", emb_data_dir());
    s->rule_files[0] = s->rules_path;
    s->n_rule_files = 1;
    rc = emb__route_rules_load(s->rules_path, &s->rules, diags);
    if (!rc)
      rc = hash_file(&h, s->rules_path, diags);
  }
  if (!rc)
    rc = emb__places_default_load(diags);
  if (!rc && !(s->flags = emb__redflags_new(s->rules)))
    rc = EMB_ENOMEM;
  if (!rc && !(s->parties = emb__parties_new()))
    rc = EMB_ENOMEM;
  if (!rc)
    rc = emb__idindex_new(set, &s->ids);
  if (rc) {
    emb__screener_free(s);
    return rc == EMB_ENOMEM ? rc : EMB_EINVAL;
  }
  emb__sha256_final_hex(&h, s->context);
  *out = s;
  return 0;
}

void emb__screener_free(emb_screener *s) {
  if (!s)
    return;
  emb__goods_free(s->goods);
  emb__route_rules_free(s->rules);
  emb__redflags_free(s->flags);
  emb__idindex_free(s->ids);
  emb__parties_free(s->parties);
  emb__strmap_fini(&s->place_map);
  free(s->places);
  emb__arena_fini(&s->strings);
  free(s);
}

const char *const *emb__screener_rule_files(const emb_screener *s, size_t *n) {
  *n = s->n_rule_files;
  return s->rule_files;
}

const char *const *emb__screener_control_files(const emb_screener *s, size_t *n) {
  *n = s->n_control_files;
  return s->control_files;
}

/* ---- pass 2: one record ---- */

static const emb_trade_field ROUTE_FIELD_OF[EMB_ROUTE_TRANSIT] = {
    [EMB_ROUTE_ORIGIN] = EMB_TF_ORIGIN_COUNTRY,
    [EMB_ROUTE_DISPATCH] = EMB_TF_DISPATCH_COUNTRY,
    [EMB_ROUTE_EXPORTER] = EMB_TF_EXPORTER_COUNTRY,
    [EMB_ROUTE_DESTINATION] = EMB_TF_DESTINATION_COUNTRY,
    [EMB_ROUTE_IMPORTER] = EMB_TF_IMPORTER_COUNTRY,
    [EMB_ROUTE_CONSIGNEE] = EMB_TF_CONSIGNEE_COUNTRY,
    [EMB_ROUTE_END_USER] = EMB_TF_END_USER_COUNTRY,
};

/* The most severe tier among the hits ("1" before "2" before "3a"), or NULL. */
static const char *best_tier(const emb_goods_result *g) {
  const char *best = NULL;
  for (size_t i = 0; i < g->n_hits; i++) {
    const char *t = g->hits[i].control->tier;
    if (t && *t && (!best || strcmp(t, best) < 0))
      best = t;
  }
  return best;
}

/*
 * When the same rule fired the same way on an earlier field (destination, consignee and
 * end user all in one hub), names this field on that reason instead of repeating it.
 */
static bool merge_route_hit(emb_alert *a, const char *rule, const char *type, const char *fname) {
  for (size_t i = 0; i < a->n_reasons; i++) {
    emb_reason *r = &a->reasons[i];
    if (r->kind != EMB_REASON_ROUTE || strcmp(r->rule, rule) || strcmp(r->type, type))
      continue;
    size_t used = strlen(r->also);
    snprintf(r->also + used, sizeof(r->also) - used, "%s%s", used ? "," : "", fname);
    return true;
  }
  return false;
}

static void route_reasons(const emb_screener *s, emb_screen_worker *w, const record_view *v,
                          bool controlled, const char *tier, emb_alert *a, bool *sanctioned) {
  emb_route_input in;
  memset(&in, 0, sizeof(in));
  for (int f = 0; f < EMB_ROUTE_TRANSIT; f++)
    in.place[f] = view_place(v, ROUTE_FIELD_OF[f]);
  in.transit = v->transit;
  in.n_transit = v->n_transit;
  in.controlled = controlled;
  in.tier = tier;
  size_t n = 0;
  emb__route_check(s->rules, &in, w->route, EMB_ALERT_MAX_REASONS, &n);
  for (size_t i = 0; i < n; i++) {
    const emb_route_hit *h = &w->route[i];
    const char *fname = emb__route_field_name(h->field);
    if (merge_route_hit(a, h->rule->id, emb__route_kind_name(h->kind), fname))
      continue;
    emb_reason r;
    memset(&r, 0, sizeof(r));
    r.kind = EMB_REASON_ROUTE;
    r.risk = h->risk;
    r.field = emb__route_field_name(h->field);
    r.rule = h->rule->id;
    r.type = emb__route_kind_name(h->kind);
    snprintf(r.country, sizeof(r.country), "%s", h->code);
    emb__route_hit_describe(h, &in, r.detail, sizeof(r.detail));
    emb__alert_add(a, &r);
    if (h->kind == EMB_ROUTE_EMBARGOED_DESTINATION || h->kind == EMB_ROUTE_EMBARGOED_END_USER ||
        h->kind == EMB_ROUTE_OCCUPIED_REGION)
      *sanctioned = true;
  }
}

static void flag_reasons(const emb_screener *s, emb_screen_worker *w, const emb_redflag_obs *o,
                         emb_alert *a) {
  size_t n = 0;
  emb__redflags_check(s->flags, o, w->flags, EMB_ALERT_MAX_REASONS, &n);
  for (size_t i = 0; i < n; i++) {
    const emb_redflag_hit *h = &w->flags[i];
    emb_reason r;
    memset(&r, 0, sizeof(r));
    r.kind = EMB_REASON_RED_FLAG;
    r.risk = h->risk;
    r.rule = h->id;
    r.type = emb__redflag_kind_name(h->kind);
    snprintf(r.detail, sizeof(r.detail), "%s", h->detail);
    emb__alert_add(a, &r);
  }
}

static unsigned reason_bits(const emb_alert *a) {
  static const unsigned bit[] = {EMB_REPORT_PARTY, EMB_REPORT_GOODS, EMB_REPORT_ROUTE,
                                 EMB_REPORT_RED_FLAG};
  unsigned bits = 0;
  for (size_t i = 0; i < a->n_reasons; i++)
    bits |= bit[a->reasons[i].kind];
  return bits;
}

/*
 * The country (or, with region, the 3166-2 region) of a place field as the cache holds it:
 * a string that lives as long as the screener, "" when unknown.
 */
static const char *cached_country(const emb_screener *s, const emb_trade_record *rec,
                                  emb_trade_field f, bool region) {
  size_t len;
  const char *t = field(rec, f, &len);
  const place_entry *e = len ? place_get(s, t, len) : NULL;
  if (!e || !e->known)
    return "";
  return region && e->place.region[0] ? e->place.region : e->place.country;
}

static void fill_summary(const emb_screener *s, const emb_trade_record *rec, const emb_alert *a,
                         bool raised, const emb_party_match *first, bool sanctioned,
                         emb_report_record *sum) {
  memset(sum, 0, sizeof(*sum));
  size_t len;
  sum->record_id = rec->v[EMB_TF_RECORD_ID];
  sum->risk = raised ? (emb_report_risk)a->risk : EMB_REPORT_RISK_NONE;
  sum->reasons = raised ? reason_bits(a) : 0;
  sum->hs_code = rec->v[EMB_TF_HS_CODE];
  sum->origin = cached_country(s, rec, EMB_TF_ORIGIN_COUNTRY, false);
  sum->dispatch = cached_country(s, rec, EMB_TF_DISPATCH_COUNTRY, false);
  sum->destination = cached_country(s, rec, EMB_TF_DESTINATION_COUNTRY, true);
  if (first) {
    sum->counterparty = emb_entity_caption(first->entity);
    sum->counterparty_id = first->entity->id;
  } else {
    sum->counterparty = field(rec, EMB_TF_CONSIGNEE, &len);
    if (!len)
      sum->counterparty = field(rec, EMB_TF_IMPORTER, &len);
    sum->counterparty_id = "";
  }
  sum->sanctioned_destination = sanctioned;
  double value;
  const char *t = field(rec, EMB_TF_VALUE, &len);
  sum->value = len && !emb__redflag_parse_number(t, len, &value) ? value : NAN;
  sum->currency = rec->v[EMB_TF_CURRENCY];
  sum->date = rec->v[EMB_TF_DATE];
}

int emb__screen_record(const emb_screener *s, emb_screen_worker *w, const emb_trade_record *rec,
                       emb_alert *alert, emb_report_record *summary) {
  emb__alert_reset(alert, rec->v[EMB_TF_RECORD_ID], rec->line);
  record_view v;
  /* Pass 1 cached every place: this only reads the screener. */
  bool ok = check_record(s, NULL, rec, NULL, NULL, &v);
  if (summary)
    summary->record_id = NULL;
  if (!ok && s->on_error != EMB_ON_ERROR_KEEP)
    return 0; /* reported and counted in pass 1 */
  const emb_party_match *first;
  party_reasons(s, w, rec, &v, alert, &first);
  size_t hs_len, desc_len;
  const char *hs = field(rec, EMB_TF_HS_CODE, &hs_len);
  const char *desc = field(rec, EMB_TF_GOODS_DESCRIPTION, &desc_len);
  int rc = emb__goods_check(s->goods, hs, hs_len, desc, desc_len, &w->goods);
  if (rc)
    return rc;
  bool controlled = w->goods.n_hits > 0;
  const char *tier = best_tier(&w->goods);
  goods_reasons(&w->goods, alert);
  bool sanctioned = false;
  route_reasons(s, w, &v, controlled, tier, alert, &sanctioned);
  emb_redflag_obs o;
  make_obs(rec, &v, controlled, tier, &o);
  flag_reasons(s, w, &o, alert);
  bool raised = emb__alert_raised(alert);
  if (raised)
    emb__alert_set_id(alert, rec->v, rec->len, EMB_TF_COUNT, s->context);
  if (summary)
    fill_summary(s, rec, alert, raised, first, sanctioned, summary);
  return 0;
}
