/*
 * load_ftm.c - OpenSanctions FollowTheMoney (FtM) entities, one JSON object per line.
 *
 * Reads entities.ftm.json exports and targets.nested.json files (docs/formats/ftm.md).
 * Every line is parsed on its own with jansson (json_loadb), so a broken line costs
 * that line only; lines are capped at 16 MiB by the line reader.
 *
 * A top-level object whose schema is a party (Person, Organization, Company,
 * LegalEntity, PublicBody, Vessel, Airplane, and Thing for what embargo itself exports
 * without a schema) becomes an entity under its own FtM id; source is datasets[0]
 * ("ftm" without datasets) and lists are the datasets. Other schemata are not entities
 * but feed the parties they reference: Sanction (programs, listing and end dates),
 * Identification, Passport and CryptoWallet (identifiers), Address (addresses of the
 * parties whose addressEntity names it) and the relationship schemata (Ownership,
 * Family, Directorship, ...: the other party's name goes to linked_to). Because lines
 * come in any order, these side records are kept, with their strings in the loader's
 * own arena, until the end of the file and attached then; memory grows with the
 * records, never with a field. Property values that are nested objects (the
 * targets.nested.json form) go through the same path: a nested object is visited as a
 * side record, and a nested party (a relative, an owner) is not an entity of its own,
 * only a name that links to the parties around it. Records of other schemata
 * (Payment, Position, Occupancy, ...) are read and skipped without a diagnostic.
 *
 * The loader owns nothing after it returns: the arena, maps and side records are freed,
 * and everything kept lives in the entity set.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "lists/date.h"
#include "lists/loader.h"

#define FTM_MAX_LINE (16u * 1024u * 1024u) /* longest line read */
#define FTM_MAX_DEPTH 16                   /* deepest nesting of entity objects visited */
#define FTM_MAX_PAIRS 1024                 /* most side records one object may produce */
#define FTM_MAX_VALUES 1000000             /* most JSON values parsed from one line */

/* ------------------------------------------------------------ schemata */

typedef enum {
  KIND_PARTY,    /* becomes an entity */
  KIND_ADDRESS,  /* an address others point at through addressEntity */
  KIND_SANCTION, /* programs and dates for `a` (entity) */
  KIND_IDENT,    /* an identifier for `a` (holder) */
  KIND_PASSPORT, /* a passport for `a` (holder) */
  KIND_CRYPTO,   /* a crypto wallet for `a` (holder) */
  KIND_LINK,     /* a relationship between `a` and `b` */
  KIND_SKIP      /* a known FtM schema embargo does not use */
} ftm_kind;

typedef struct schema_info {
  const char *name; /* FtM schema name */
  ftm_kind kind;
  emb_schema schema; /* for parties */
  const char *a;     /* the property naming the party fed (or one end of a link) */
  const char *b;     /* the other end of a link */
} schema_info;

static const schema_info SCHEMATA[] = {
    {"Person", KIND_PARTY, EMB_SCHEMA_PERSON, NULL, NULL},
    {"Organization", KIND_PARTY, EMB_SCHEMA_ORGANIZATION, NULL, NULL},
    {"Company", KIND_PARTY, EMB_SCHEMA_COMPANY, NULL, NULL},
    {"LegalEntity", KIND_PARTY, EMB_SCHEMA_LEGAL_ENTITY, NULL, NULL},
    {"PublicBody", KIND_PARTY, EMB_SCHEMA_ORGANIZATION, NULL, NULL},
    {"Vessel", KIND_PARTY, EMB_SCHEMA_VESSEL, NULL, NULL},
    {"Airplane", KIND_PARTY, EMB_SCHEMA_AIRPLANE, NULL, NULL},
    {"Thing", KIND_PARTY, EMB_SCHEMA_UNKNOWN, NULL, NULL},
    {"Address", KIND_ADDRESS, EMB_SCHEMA_UNKNOWN, NULL, NULL},
    {"Sanction", KIND_SANCTION, EMB_SCHEMA_UNKNOWN, "entity", NULL},
    {"Identification", KIND_IDENT, EMB_SCHEMA_UNKNOWN, "holder", NULL},
    {"Passport", KIND_PASSPORT, EMB_SCHEMA_UNKNOWN, "holder", NULL},
    {"CryptoWallet", KIND_CRYPTO, EMB_SCHEMA_UNKNOWN, "holder", NULL},
    {"Ownership", KIND_LINK, EMB_SCHEMA_UNKNOWN, "owner", "asset"},
    {"Directorship", KIND_LINK, EMB_SCHEMA_UNKNOWN, "director", "organization"},
    {"Membership", KIND_LINK, EMB_SCHEMA_UNKNOWN, "member", "organization"},
    {"Employment", KIND_LINK, EMB_SCHEMA_UNKNOWN, "employee", "employer"},
    {"Family", KIND_LINK, EMB_SCHEMA_UNKNOWN, "person", "relative"},
    {"Associate", KIND_LINK, EMB_SCHEMA_UNKNOWN, "person", "associate"},
    {"Representation", KIND_LINK, EMB_SCHEMA_UNKNOWN, "agent", "client"},
    {"Succession", KIND_LINK, EMB_SCHEMA_UNKNOWN, "predecessor", "successor"},
    {"UnknownLink", KIND_LINK, EMB_SCHEMA_UNKNOWN, "subject", "object"},
};

/* FtM schemata that are read and skipped quietly; any other name is warned about. */
static const char *const SKIPPED[] = {
    "Analyzable", "Article",       "Assessment",    "Asset",
    "Audio",      "BankAccount",   "Call",          "CallForTenders",
    "Contract",   "ContractAward", "CourtCase",     "CourtCaseParty",
    "Debt",       "Document",      "Documentation", "EconomicActivity",
    "Email",      "Event",         "Folder",        "HyperText",
    "Image",      "Interest",      "Interval",      "License",
    "Mention",    "Message",       "Note",          "Occupancy",
    "Package",    "Page",          "Pages",         "Payment",
    "PlainText",  "Position",      "Project",       "ProjectParticipant",
    "RealEstate", "Security",      "Table",         "TaxRoll",
    "Trip",       "UserAccount",   "Value",         "Vehicle",
    "Video",      "Workbook"};

static const schema_info *schema_lookup(const char *name) {
  for (size_t i = 0; i < sizeof(SCHEMATA) / sizeof(SCHEMATA[0]); i++)
    if (strcmp(SCHEMATA[i].name, name) == 0)
      return &SCHEMATA[i];
  static const schema_info skip = {"", KIND_SKIP, EMB_SCHEMA_UNKNOWN, NULL, NULL};
  for (size_t i = 0; i < sizeof(SKIPPED) / sizeof(SKIPPED[0]); i++)
    if (strcmp(SKIPPED[i], name) == 0)
      return &skip;
  return NULL;
}

/* ---------------------------------------------------------- side records */

typedef enum { SIDE_PROGRAM, SIDE_ID, SIDE_ADDR_REF, SIDE_LINK, SIDE_SANCTION } side_kind;

/* Something learnt from a non-party record, attached to party `target` at the end. */
typedef struct side_rec {
  side_kind kind;
  const char *target; /* id of the party fed */
  const char *a;      /* PROGRAM: program; ID: type; ADDR_REF: address id; LINK: other id */
  const char *b;      /* ID: value */
  const char *c;      /* ID: issuing country */
  const char *d;      /* ID: the source's label */
  emb_date listed;    /* SANCTION: earliest listing date (precision NONE if none) */
  emb_date end;       /* SANCTION: latest end date (precision NONE if none) */
} side_rec;

typedef struct ftm_state {
  emb_load_ctx *ctx;
  const char *file;   /* name used in diagnostics */
  unsigned long line; /* line being read */
  emb_arena arena;    /* strings of side records, addresses and names */
  side_rec *recs;
  size_t n_recs, cap_recs;
  emb_address *addrs; /* Address records by index ... */
  size_t n_addrs, cap_addrs;
  emb_strmap addr_by_id; /* ... and by id */
  emb_strmap name_by_id; /* party id -> index in names */
  const char **names;
  size_t n_names, cap_names;
  emb_strmap seen; /* ids of the entities this file contributed */
  size_t n_errors; /* records lost */
  /* Per-line notes, reported once per line. */
  const char *scalar_key; /* first property holding a bare string, not a list */
  size_t n_scalar;
  const char *nontext_key; /* first mapped property holding a value that is not text */
  bool depth_warned;
  bool pairs_warned;
} ftm_state;

static void *grow(void *items, size_t n, size_t *cap, size_t elem) {
  if (n < *cap)
    return items;
  size_t c = *cap ? *cap * 2 : 64;
  void *p = realloc(items, c * elem);
  if (p)
    *cap = c;
  return p;
}

/* Copies s into the loader's arena; NULL stays NULL. */
static const char *keep(ftm_state *st, const char *s) {
  return s ? emb__arena_strdup(&st->arena, s) : NULL;
}

static int add_rec(ftm_state *st, const side_rec *r) {
  side_rec *p = grow(st->recs, st->n_recs, &st->cap_recs, sizeof(*p));
  if (!p)
    return EMB_ENOMEM;
  st->recs = p;
  side_rec c = *r;
  c.target = keep(st, r->target);
  c.a = keep(st, r->a);
  c.b = keep(st, r->b);
  c.c = keep(st, r->c);
  c.d = keep(st, r->d);
  if (!c.target || (r->a && !c.a) || (r->b && !c.b) || (r->c && !c.c) || (r->d && !c.d))
    return EMB_ENOMEM;
  st->recs[st->n_recs++] = c;
  return 0;
}

/* --------------------------------------------------------- property access */

/*
 * The values of one property: an array, or (leniently, as some exports write them) a
 * bare string (noted by note_scalars). Anything else is noted and ignored.
 */
static json_t *prop(ftm_state *st, json_t *props, const char *key) {
  json_t *v = props ? json_object_get(props, key) : NULL;
  if (!v || json_is_array(v))
    return v;
  if (json_is_string(v))
    return v;
  if (!st->nontext_key)
    st->nontext_key = key;
  return NULL;
}

static size_t nvals(json_t *v) {
  return !v ? 0 : json_is_array(v) ? json_array_size(v) : 1;
}

static json_t *val_at(json_t *v, size_t i) {
  return json_is_array(v) ? json_array_get(v, i) : v;
}

static bool is_entity_object(json_t *x) {
  return json_is_object(x) && json_is_string(json_object_get(x, "schema"));
}

/* The i-th value as text; NULL (noted unless it is a nested entity) otherwise. */
static const char *text_at(ftm_state *st, const char *key, json_t *v, size_t i) {
  json_t *x = val_at(v, i);
  if (json_is_string(x))
    return json_string_value(x);
  if (x && !is_entity_object(x) && !st->nontext_key)
    st->nontext_key = key;
  return NULL;
}

/* The first text value of a property, or NULL. */
static const char *first_text(ftm_state *st, json_t *props, const char *key) {
  json_t *v = prop(st, props, key);
  for (size_t i = 0; i < nvals(v); i++) {
    const char *s = text_at(st, key, v, i);
    if (s && *s)
      return s;
  }
  return NULL;
}

/* The value of a property that holds exactly one text value, else NULL. */
static const char *single_text(ftm_state *st, json_t *props, const char *key) {
  json_t *v = prop(st, props, key);
  if (nvals(v) != 1)
    return NULL;
  return text_at(st, key, v, 0);
}

/* The id of the i-th reference: a string id, or the id of a nested entity object. */
static const char *ref_at(json_t *v, size_t i) {
  json_t *x = val_at(v, i);
  if (json_is_string(x))
    return json_string_value(x);
  if (json_is_object(x)) {
    json_t *id = json_object_get(x, "id");
    if (json_is_string(id))
      return json_string_value(id);
  }
  return NULL;
}

/* Parses an FtM date ("1965", "1965-01", "1965-01-12", optionally with a time part). */
static bool parse_ftm_date(const char *s, emb_date *out) {
  size_t len = strlen(s);
  const char *t = memchr(s, 'T', len);
  if (t)
    len = (size_t)(t - s);
  return len > 0 && emb__date_parse(s, len, EMB_DATE_ORDER_DMY, out) == 0;
}

static int date_cmp(const emb_date *a, const emb_date *b) {
  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  if (a->month != b->month)
    return a->month < b->month ? -1 : 1;
  if (a->day != b->day)
    return a->day < b->day ? -1 : 1;
  return 0;
}

/* ------------------------------------------------------------------ parties */

static int add_names(ftm_state *st, emb_entity *e, json_t *props, const char *key,
                     emb_name_kind kind, emb_strength strength) {
  json_t *v = prop(st, props, key);
  for (size_t i = 0; i < nvals(v); i++) {
    const char *s = text_at(st, key, v, i);
    if (s && emb__entity_add_name_simple(st->ctx->set, e, s, kind, strength))
      return EMB_ENOMEM;
  }
  return 0;
}

/* The caption of a record when it is one of its "name" values, else NULL. */
static const char *caption_name(ftm_state *st, json_t *obj, json_t *props) {
  json_t *c = json_object_get(obj, "caption");
  if (!json_is_string(c))
    return NULL;
  json_t *v = prop(st, props, "name");
  for (size_t i = 0; i < nvals(v); i++) {
    const char *s = text_at(st, "name", v, i);
    if (s && strcmp(s, json_string_value(c)) == 0)
      return s;
  }
  return NULL;
}

/*
 * The primary name: the caption when it is one of the "name" values (OpenSanctions
 * picks it as the display name), else the first "name" value; with the name parts
 * when each of them is single-valued.
 */
static int add_primary(ftm_state *st, emb_entity *e, json_t *obj, json_t *props) {
  emb_name n = {0};
  n.given = single_text(st, props, "firstName");
  n.middle = single_text(st, props, "middleName");
  n.family = single_text(st, props, "lastName");
  n.patronymic = single_text(st, props, "fatherName");
  n.kind = EMB_NAME_PRIMARY;
  n.strength = EMB_STRONG;
  n.full = caption_name(st, obj, props);
  if (!n.full)
    n.full = first_text(st, props, "name");
  char composed[1024];
  if (!n.full) {
    /* FtM allows a person named by parts only; compose the name as FtM's caption does. */
    const char *parts[] = {first_text(st, props, "firstName"), first_text(st, props, "middleName"),
                           first_text(st, props, "lastName")};
    size_t o = 0;
    composed[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
      if (!parts[i])
        continue;
      int w = snprintf(composed + o, sizeof(composed) - o, "%s%s", o ? " " : "", parts[i]);
      if (w < 0 || (size_t)w >= sizeof(composed) - o)
        break;
      o += (size_t)w;
    }
    if (o)
      n.full = composed;
  }
  return n.full ? emb__entity_add_name(st->ctx->set, e, &n) : 0;
}

/*
 * FtM writes countries as lowercase ISO codes ("ru"); codes are looked up in upper
 * case so that "na" is Namibia, not the "n/a" some lists write. Other text is kept.
 */
static const char *ftm_country(const char *s, char buf[3]) {
  if (!s || strlen(s) != 2 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z')
    return s;
  buf[0] = (char)(s[0] - 32);
  buf[1] = (char)(s[1] - 32);
  buf[2] = '\0';
  return buf;
}

static int add_countries(ftm_state *st, emb_entity *e, json_t *props, const char *key,
                         emb_country_role role) {
  json_t *v = prop(st, props, key);
  for (size_t i = 0; i < nvals(v); i++) {
    char up[3];
    const char *s = ftm_country(text_at(st, key, v, i), up);
    if (s && emb__entity_add_country(st->ctx->set, e, s, role))
      return EMB_ENOMEM;
  }
  return 0;
}

static int add_strs(ftm_state *st, emb_strs *list, json_t *props, const char *key) {
  json_t *v = prop(st, props, key);
  for (size_t i = 0; i < nvals(v); i++) {
    const char *s = text_at(st, key, v, i);
    if (s && emb__entity_add_str(st->ctx->set, list, s))
      return EMB_ENOMEM;
  }
  return 0;
}

/* FtM identifier properties and the identifier types of docs/MODEL.md they become. */
static const struct {
  const char *prop;
  const char *type;
} ID_PROPS[] = {
    {"passportNumber", "passport"}, {"idNumber", "national_id"},
    {"taxNumber", "tax_id"},        {"innCode", "inn"},
    {"ogrnCode", "ogrn"},           {"registrationNumber", "registration"},
    {"imoNumber", "imo"},           {"mmsi", "mmsi"},
    {"swiftBic", "swift_bic"},
};

/* Identifier properties the model has no type for: type "other", the property as note. */
static const char *const OTHER_ID_PROPS[] = {"leiCode",  "vatCode",        "okpoCode",
                                             "dunsCode", "uniqueEntityId", "socialSecurityNumber",
                                             "callSign"};

static int add_ids(ftm_state *st, emb_entity *e, json_t *props) {
  size_t n1 = sizeof(ID_PROPS) / sizeof(ID_PROPS[0]);
  size_t n2 = sizeof(OTHER_ID_PROPS) / sizeof(OTHER_ID_PROPS[0]);
  for (size_t k = 0; k < n1 + n2; k++) {
    const char *key = k < n1 ? ID_PROPS[k].prop : OTHER_ID_PROPS[k - n1];
    const char *type = k < n1 ? ID_PROPS[k].type : "other";
    json_t *v = prop(st, props, key);
    for (size_t i = 0; i < nvals(v); i++) {
      const char *s = text_at(st, key, v, i);
      if (s && emb__entity_add_id(st->ctx->set, e, type, s, NULL, k < n1 ? NULL : key))
        return EMB_ENOMEM;
    }
  }
  return 0;
}

static int add_birth_dates(ftm_state *st, emb_entity *e, json_t *props) {
  json_t *v = prop(st, props, "birthDate");
  for (size_t i = 0; i < nvals(v); i++) {
    const char *s = text_at(st, "birthDate", v, i);
    if (!s || !*s)
      continue;
    emb_date d;
    if (!parse_ftm_date(s, &d)) {
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, "birthDate",
                "date not understood: \"%.80s\"", s);
      continue;
    }
    if (emb__entity_add_birth_date(st->ctx->set, e, &d))
      return EMB_ENOMEM;
  }
  return 0;
}

static int set_gender(ftm_state *st, emb_entity *e, json_t *props) {
  const char *g = first_text(st, props, "gender");
  if (!g || e->gender)
    return 0;
  if (strcasecmp(g, "male") == 0 || strcasecmp(g, "m") == 0)
    e->gender = "male";
  else if (strcasecmp(g, "female") == 0 || strcasecmp(g, "f") == 0)
    e->gender = "female";
  return 0;
}

/* Addresses written as text in the "address" property. */
static int add_address_texts(ftm_state *st, emb_entity *e, json_t *props) {
  json_t *v = prop(st, props, "address");
  for (size_t i = 0; i < nvals(v); i++) {
    const char *s = text_at(st, "address", v, i);
    if (!s)
      continue;
    emb_address a = {0};
    a.full = s;
    if (emb__entity_add_address(st->ctx->set, e, &a))
      return EMB_ENOMEM;
  }
  return 0;
}

/* The name other records use for a party: its caption, else its first name value. */
static const char *party_name(ftm_state *st, json_t *obj, json_t *props) {
  json_t *c = json_object_get(obj, "caption");
  const char *n = json_is_string(c) ? json_string_value(c) : NULL;
  if (!n || !*n)
    n = first_text(st, props, "name");
  return n && *n ? n : NULL;
}

static int register_name(ftm_state *st, const char *id, const char *name) {
  size_t v;
  if (!id || !name || emb__strmap_get(&st->name_by_id, id, strlen(id), &v))
    return 0;
  const char **p = grow(st->names, st->n_names, &st->cap_names, sizeof(*p));
  if (!p)
    return EMB_ENOMEM;
  st->names = p;
  const char *k = keep(st, id);
  const char *n = keep(st, name);
  if (!k || !n || emb__strmap_put(&st->name_by_id, k, strlen(k), st->n_names))
    return EMB_ENOMEM;
  st->names[st->n_names++] = n;
  return 0;
}

/* A top-level party record: creates or merges the entity and fills it. */
static int add_party(ftm_state *st, json_t *obj, json_t *props, const schema_info *si,
                     const char *id) {
  emb_entity_set *set = st->ctx->set;
  bool created = false;
  emb_entity *e = emb__set_upsert(set, id, &created);
  if (!e)
    return EMB_ENOMEM;
  size_t seen;
  if (!emb__strmap_get(&st->seen, id, strlen(id), &seen)) {
    const char *k = keep(st, id);
    if (!k || emb__strmap_put(&st->seen, k, strlen(k), 1))
      return EMB_ENOMEM;
  }
  /* On a merge, a more specific schema wins over LegalEntity and Thing. */
  if (created || e->schema == EMB_SCHEMA_UNKNOWN ||
      (e->schema == EMB_SCHEMA_LEGAL_ENTITY && si->schema != EMB_SCHEMA_UNKNOWN))
    e->schema = si->schema;

  json_t *ds = prop(st, obj, "datasets");
  for (size_t i = 0; i < nvals(ds); i++) {
    const char *s = text_at(st, "datasets", ds, i);
    if (!s || !*s)
      continue;
    if (emb__entity_set_source(set, e, s) || emb__entity_add_str(set, &e->lists, s))
      return EMB_ENOMEM;
  }
  if (!e->source && emb__entity_set_source(set, e, "ftm"))
    return EMB_ENOMEM;

  int rc = add_primary(st, e, obj, props);
  if (!rc)
    rc = add_names(st, e, props, "name", EMB_NAME_ALIAS, EMB_STRONG);
  if (!rc)
    rc = add_names(st, e, props, "alias", EMB_NAME_ALIAS, EMB_STRONG);
  if (!rc)
    rc = add_names(st, e, props, "previousName", EMB_NAME_FORMER, EMB_STRONG);
  if (!rc)
    rc = add_names(st, e, props, "weakAlias", EMB_NAME_ALIAS, EMB_WEAK);
  if (!rc)
    rc = add_names(st, e, props, "abbreviation", EMB_NAME_ALIAS, EMB_WEAK);
  if (!rc)
    rc = add_birth_dates(st, e, props);
  if (!rc)
    rc = add_strs(st, &e->birth_places, props, "birthPlace");
  if (!rc)
    rc = add_countries(st, e, props, "nationality", EMB_COUNTRY_NATIONALITY);
  if (!rc)
    rc = add_countries(st, e, props, "citizenship", EMB_COUNTRY_CITIZENSHIP);
  if (!rc)
    rc = add_countries(st, e, props, "country", EMB_COUNTRY_ADDRESS);
  if (!rc)
    rc = add_countries(st, e, props, "jurisdiction", EMB_COUNTRY_JURISDICTION);
  if (!rc)
    rc = add_countries(st, e, props, "birthCountry", EMB_COUNTRY_BIRTH);
  if (!rc)
    rc = add_countries(st, e, props, "mainCountry", EMB_COUNTRY_OTHER);
  if (!rc)
    rc = add_countries(st, e, props, "flag", EMB_COUNTRY_OTHER);
  if (!rc)
    rc = set_gender(st, e, props);
  if (!rc)
    rc = add_ids(st, e, props);
  if (!rc)
    rc = add_address_texts(st, e, props);
  if (!rc)
    rc = add_strs(st, &e->programs, props, "programId");
  if (!rc)
    rc = add_strs(st, &e->programs, props, "program");
  if (!rc)
    rc = add_strs(st, &e->remarks, props, "notes");
  if (!rc)
    rc = add_strs(st, &e->remarks, props, "summary");
  if (!rc)
    rc = add_strs(st, &e->titles, props, "position");
  if (!rc)
    rc = add_strs(st, &e->titles, props, "title");
  if (rc)
    return rc;
  if (!e->n_names)
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, "name",
              "entity '%.200s' has no name", e->id);

  /* addressEntity: ids (or nested Address objects) resolved at the end of the file. */
  json_t *v = prop(st, props, "addressEntity");
  for (size_t i = 0; i < nvals(v); i++) {
    const char *aid = ref_at(v, i);
    if (aid) {
      side_rec r = {SIDE_ADDR_REF, id, aid};
      if (add_rec(st, &r))
        return EMB_ENOMEM;
    }
  }
  const char *name = party_name(st, obj, props);
  for (size_t i = 0; !name && i < e->n_names; i++)
    if (e->names[i].kind == EMB_NAME_PRIMARY)
      name = e->names[i].full;
  return register_name(st, id, name);
}

/* ---------------------------------------------------------- other records */

static bool warn_pairs(ftm_state *st, size_t n) {
  if (n <= FTM_MAX_PAIRS)
    return false;
  if (!st->pairs_warned)
    emb__warn(st->ctx->diags, EMB_ETOOBIG, st->file, st->line, 0, NULL,
              "a record links more than %d pairs of values; the rest is ignored", FTM_MAX_PAIRS);
  st->pairs_warned = true;
  return true;
}

/* Collects up to `max` referenced ids of property `key`; falls back to `enclosing`. */
static size_t refs(ftm_state *st, json_t *props, const char *key, const char *enclosing,
                   const char **out, size_t max) {
  json_t *v = prop(st, props, key);
  size_t n = 0;
  for (size_t i = 0; i < nvals(v) && n < max; i++) {
    const char *r = ref_at(v, i);
    if (r && *r)
      out[n++] = r;
  }
  if (!n && enclosing)
    out[n++] = enclosing;
  return n;
}

static int add_address_record(ftm_state *st, const char *id, json_t *props) {
  size_t v;
  if (!id || emb__strmap_get(&st->addr_by_id, id, strlen(id), &v))
    return 0;
  emb_address a = {0};
  a.full = first_text(st, props, "full");
  a.street = first_text(st, props, "street");
  a.city = first_text(st, props, "city");
  a.postal_code = first_text(st, props, "postalCode");
  a.region = first_text(st, props, "region");
  char up[3];
  a.country = ftm_country(first_text(st, props, "country"), up);
  if (!a.full && !a.street && !a.city && !a.country)
    return 0;
  emb_address *p = grow(st->addrs, st->n_addrs, &st->cap_addrs, sizeof(*p));
  if (!p)
    return EMB_ENOMEM;
  st->addrs = p;
  emb_address c = {keep(st, a.full),        keep(st, a.street), keep(st, a.city),
                   keep(st, a.postal_code), keep(st, a.region), keep(st, a.country)};
  const char *k = keep(st, id);
  if (!k || emb__strmap_put(&st->addr_by_id, k, strlen(k), st->n_addrs))
    return EMB_ENOMEM;
  st->addrs[st->n_addrs++] = c;
  return 0;
}

/* Earliest (latest when `latest`) date of a property into *out; warns on bad dates. */
static void pick_date(ftm_state *st, json_t *props, const char *key, bool latest, emb_date *out) {
  json_t *v = prop(st, props, key);
  for (size_t i = 0; i < nvals(v); i++) {
    const char *s = text_at(st, key, v, i);
    if (!s || !*s)
      continue;
    emb_date d;
    if (!parse_ftm_date(s, &d)) {
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, key,
                "date not understood: \"%.80s\"", s);
      continue;
    }
    if (out->precision == EMB_DATE_NONE || (latest ? date_cmp(&d, out) > 0 : date_cmp(&d, out) < 0))
      *out = d;
  }
}

static int add_sanction(ftm_state *st, json_t *props, const char *enclosing, const char *rid) {
  const char *targets[64];
  size_t nt = refs(st, props, "entity", enclosing, targets, 64);
  if (!nt) {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, "entity",
              "Sanction '%.200s' names no entity; ignored", rid ? rid : "");
    return 0;
  }
  side_rec s = {SIDE_SANCTION};
  pick_date(st, props, "listingDate", false, &s.listed);
  if (s.listed.precision == EMB_DATE_NONE)
    pick_date(st, props, "startDate", false, &s.listed);
  pick_date(st, props, "endDate", true, &s.end);
  /* programId is the stable code; the programme's text stands in when there is none. */
  json_t *pv = prop(st, props, "programId");
  const char *pkey = "programId";
  if (!nvals(pv)) {
    pv = prop(st, props, "program");
    pkey = "program";
  }
  if (warn_pairs(st, nt * (nvals(pv) + 1)))
    return 0;
  for (size_t t = 0; t < nt; t++) {
    s.target = targets[t];
    if (add_rec(st, &s))
      return EMB_ENOMEM;
    for (size_t i = 0; i < nvals(pv); i++) {
      const char *p = text_at(st, pkey, pv, i);
      side_rec r = {SIDE_PROGRAM, targets[t], p};
      if (p && *p && add_rec(st, &r))
        return EMB_ENOMEM;
    }
  }
  return 0;
}

/* An identifier type from an Identification's free-text "type". */
static bool contains_ci(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (strncasecmp(hay, needle, n) == 0)
      return true;
  return false;
}

static const char *ident_type(const char *t) {
  if (!t)
    return "other";
  static const char *const exact[][2] = {{"INN", "inn"},         {"OGRN", "ogrn"},
                                         {"IMO", "imo"},         {"MMSI", "mmsi"},
                                         {"SWIFT", "swift_bic"}, {"BIC", "swift_bic"}};
  for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
    if (strcasecmp(t, exact[i][0]) == 0)
      return exact[i][1];
  if (contains_ci(t, "passport"))
    return "passport";
  if (contains_ci(t, "tax") || contains_ci(t, "vat") || strstr(t, "TIN"))
    return "tax_id";
  if (contains_ci(t, "registration"))
    return "registration";
  if (contains_ci(t, "national") || contains_ci(t, "identity") || contains_ci(t, "ID card"))
    return "national_id";
  return "other";
}

static int add_ident(ftm_state *st, const schema_info *si, json_t *props, const char *enclosing) {
  const char *holders[64];
  size_t nh = refs(st, props, si->a, enclosing, holders, 64);
  const char *key = si->kind == KIND_CRYPTO ? "publicKey" : "number";
  json_t *nv = prop(st, props, key);
  if (!nh || warn_pairs(st, nh * nvals(nv)))
    return 0;
  const char *label = first_text(st, props, si->kind == KIND_CRYPTO ? "currency" : "type");
  const char *type = si->kind == KIND_PASSPORT ? "passport"
                     : si->kind == KIND_CRYPTO ? "crypto"
                                               : ident_type(label);
  char up[3];
  const char *country = ftm_country(first_text(st, props, "country"), up);
  for (size_t h = 0; h < nh; h++)
    for (size_t i = 0; i < nvals(nv); i++) {
      const char *num = text_at(st, key, nv, i);
      side_rec r = {SIDE_ID, holders[h], type, num, country, label};
      if (num && *num && add_rec(st, &r))
        return EMB_ENOMEM;
    }
  return 0;
}

static int add_link(ftm_state *st, const schema_info *si, json_t *props, const char *enclosing) {
  const char *as[64], *bs[64];
  size_t na = refs(st, props, si->a, enclosing, as, 64);
  size_t nb = refs(st, props, si->b, enclosing, bs, 64);
  if (warn_pairs(st, 2 * na * nb))
    return 0;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++) {
      if (strcmp(as[i], bs[j]) == 0)
        continue;
      side_rec r1 = {SIDE_LINK, as[i], bs[j]};
      side_rec r2 = {SIDE_LINK, bs[j], as[i]};
      if (add_rec(st, &r1) || add_rec(st, &r2))
        return EMB_ENOMEM;
    }
  return 0;
}

static int visit_object(ftm_state *st, json_t *obj, const char *enclosing, int depth);

/* Visits the nested entity objects found in any property of `props`. */
static int visit_nested(ftm_state *st, json_t *props, const char *enclosing, int depth) {
  if (!json_is_object(props))
    return 0;
  const char *key;
  json_t *v;
  json_object_foreach(props, key, v) {
    if (!json_is_array(v))
      continue;
    for (size_t i = 0; i < json_array_size(v); i++) {
      json_t *x = json_array_get(v, i);
      if (is_entity_object(x)) {
        int rc = visit_object(st, x, enclosing, depth);
        if (rc)
          return rc;
      }
    }
  }
  return 0;
}

/*
 * Visits one entity object: a top-level line (depth 0) or a nested value. `enclosing`
 * is the id of the party it is nested in (NULL at the top).
 */
static int visit_object(ftm_state *st, json_t *obj, const char *enclosing, int depth) {
  if (depth > FTM_MAX_DEPTH) {
    if (!st->depth_warned)
      emb__warn(st->ctx->diags, EMB_ETOOBIG, st->file, st->line, 0, NULL,
                "entities nested deeper than %d levels are ignored", FTM_MAX_DEPTH);
    st->depth_warned = true;
    return 0;
  }
  json_t *jid = json_object_get(obj, "id");
  const char *id = json_is_string(jid) && *json_string_value(jid) ? json_string_value(jid) : NULL;
  const char *sname = json_string_value(json_object_get(obj, "schema"));
  const schema_info *si = sname ? schema_lookup(sname) : NULL;
  json_t *props = json_object_get(obj, "properties");
  if (props && !json_is_object(props))
    props = NULL;
  if (!si) {
    if (depth == 0)
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, "schema",
                "unknown schema '%.80s'; record skipped", sname ? sname : "");
    return 0;
  }
  int rc = 0;
  switch (si->kind) {
  case KIND_PARTY:
    if (depth == 0)
      rc = add_party(st, obj, props, si, id);
    else
      rc = register_name(st, id, party_name(st, obj, props));
    enclosing = id;
    break;
  case KIND_ADDRESS: rc = add_address_record(st, id, props); break;
  case KIND_SANCTION: rc = add_sanction(st, props, enclosing, id); break;
  case KIND_IDENT:
  case KIND_PASSPORT:
  case KIND_CRYPTO: rc = add_ident(st, si, props, enclosing); break;
  case KIND_LINK: rc = add_link(st, si, props, enclosing); break;
  case KIND_SKIP: break;
  }
  if (rc)
    return rc;
  return visit_nested(st, props, enclosing, depth + 1);
}

/* ------------------------------------------------------------ attachment */

typedef struct end_agg {
  size_t n;     /* sanctions of the entity */
  size_t n_end; /* ... with an end date */
  emb_date end; /* the latest end date */
} end_agg;

/* Attaches the side records to the parties they name; those naming no entity are dropped. */
static int attach(ftm_state *st) {
  emb_entity_set *set = st->ctx->set;
  emb_strmap agg_by_id;
  emb__strmap_init(&agg_by_id);
  end_agg *aggs = NULL;
  size_t n_aggs = 0, cap_aggs = 0;
  int rc = 0;
  for (size_t i = 0; i < st->n_recs && !rc; i++) {
    const side_rec *r = &st->recs[i];
    size_t idx = emb__set_index(set, r->target);
    if (idx == (size_t)-1)
      continue;
    emb_entity *e = emb__set_at(set, idx);
    size_t v;
    switch (r->kind) {
    case SIDE_PROGRAM: rc = emb__entity_add_str(set, &e->programs, r->a); break;
    case SIDE_ID: rc = emb__entity_add_id(set, e, r->a, r->b, r->c, r->d); break;
    case SIDE_ADDR_REF:
      if (emb__strmap_get(&st->addr_by_id, r->a, strlen(r->a), &v))
        rc = emb__entity_add_address(set, e, &st->addrs[v]);
      break;
    case SIDE_LINK:
      if (emb__strmap_get(&st->name_by_id, r->a, strlen(r->a), &v))
        rc = emb__entity_add_str(set, &e->linked_to, st->names[v]);
      break;
    case SIDE_SANCTION:
      if (r->listed.precision != EMB_DATE_NONE &&
          (e->listed_on.precision == EMB_DATE_NONE || date_cmp(&r->listed, &e->listed_on) < 0))
        e->listed_on = r->listed;
      if (!emb__strmap_get(&agg_by_id, r->target, strlen(r->target), &v)) {
        end_agg *p = grow(aggs, n_aggs, &cap_aggs, sizeof(*p));
        if (!p) {
          rc = EMB_ENOMEM;
          break;
        }
        aggs = p;
        if (emb__strmap_put(&agg_by_id, r->target, strlen(r->target), n_aggs)) {
          rc = EMB_ENOMEM;
          break;
        }
        memset(&aggs[n_aggs], 0, sizeof(aggs[0]));
        v = n_aggs++;
      }
      aggs[v].n++;
      if (r->end.precision != EMB_DATE_NONE) {
        aggs[v].n_end++;
        if (aggs[v].end.precision == EMB_DATE_NONE || date_cmp(&r->end, &aggs[v].end) > 0)
          aggs[v].end = r->end;
      }
      break;
    }
  }
  /* An end date holds only when every sanction of the entity has ended. */
  for (size_t i = 0; i < agg_by_id.cap && !rc; i++) {
    const emb_strmap_slot *s = &agg_by_id.slots[i];
    if (!s->key)
      continue;
    const end_agg *a = &aggs[s->value];
    if (a->n == 0 || a->n_end != a->n)
      continue;
    emb_entity *e = emb__set_at(set, emb__set_index(set, s->key));
    if (e && (e->end_date.precision == EMB_DATE_NONE || date_cmp(&a->end, &e->end_date) > 0))
      e->end_date = a->end;
  }
  free(aggs);
  emb__strmap_fini(&agg_by_id);
  return rc;
}

/* ------------------------------------------------------------------ lines */

/* Copies jansson's message with bytes that are not printable UTF-8 replaced by '?'. */
static void clean_message(const char *in, char *out, size_t size) {
  size_t n = strlen(in), o = 0;
  for (size_t i = 0; i < n && o + 1 < size;) {
    size_t ok = emb__utf8_check(in + i, n - i);
    if (ok == 0) {
      out[o++] = '?';
      i++;
      continue;
    }
    size_t take = ok < size - 1 - o ? ok : size - 1 - o;
    /* Do not cut a multi-byte character in half. */
    while (take > 0 && take < ok && ((unsigned char)in[i + take] & 0xC0) == 0x80)
      take--;
    if (take == 0)
      break;
    for (size_t j = 0; j < take; j++)
      out[o + j] = ((unsigned char)in[i + j] < 0x20) ? '?' : in[i + j];
    o += take;
    i += take;
  }
  out[o] = '\0';
}

/* Notes the properties of a top-level record that hold a bare string, not a list. */
static void note_scalars(ftm_state *st, json_t *props) {
  const char *key;
  json_t *v;
  json_object_foreach(props, key, v) {
    if (json_is_string(v)) {
      if (!st->scalar_key)
        st->scalar_key = key;
      st->n_scalar++;
    }
  }
}

/* Reports the per-line notes gathered while reading a record. */
static void flush_notes(ftm_state *st) {
  if (st->scalar_key)
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, st->scalar_key,
              "%zu propert%s of this record hold%s a single value instead of a list; "
              "read as one value",
              st->n_scalar, st->n_scalar == 1 ? "y" : "ies", st->n_scalar == 1 ? "s" : "");
  if (st->nontext_key)
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, st->nontext_key,
              "property holds a value that is not text; value ignored");
  st->scalar_key = NULL;
  st->n_scalar = 0;
  st->nontext_key = NULL;
  st->depth_warned = false;
  st->pairs_warned = false;
}

/*
 * Counts the JSON values of a line (commas and opening brackets outside strings), up to
 * `max`. jansson needs some 45 bytes per value, so a 16 MiB line of "[],[],..." would
 * take 750 MB; real records hold a few thousand values.
 */
static size_t count_values(const char *p, size_t n, size_t max) {
  size_t count = 0;
  bool in_str = false;
  for (size_t i = 0; i < n && count <= max; i++) {
    char c = p[i];
    if (in_str) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_str = false;
    } else if (c == '"') {
      in_str = true;
    } else if (c == ',' || c == '[' || c == '{') {
      count++;
    }
  }
  return count;
}

/* Reads one line. Returns 0 (also when the line was bad and reported) or EMB_ENOMEM. */
static int load_line(ftm_state *st, const char *line, size_t len) {
  size_t i = 0;
  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  if (i == len)
    return 0;
  if (count_values(line, len, FTM_MAX_VALUES) > FTM_MAX_VALUES) {
    emb__error(st->ctx->diags, EMB_ETOOBIG, st->file, st->line, 0, NULL,
               "line holds more than %d JSON values; line skipped", FTM_MAX_VALUES);
    st->n_errors++;
    return 0;
  }
  json_error_t err;
  json_t *root = json_loadb(line, len, 0, &err);
  if (!root) {
    char msg[JSON_ERROR_TEXT_LENGTH * 2];
    clean_message(err.text, msg, sizeof(msg));
    /* jansson points at the last character read; for bad UTF-8 that is the one before. */
    int bad_utf8 = json_error_code(&err) == json_error_invalid_utf8;
    int col = err.column + bad_utf8, pos = err.position + bad_utf8;
    emb__error(st->ctx->diags, bad_utf8 ? EMB_EENCODING : EMB_EFORMAT, st->file, st->line,
               col > 0 ? (unsigned long)col : 0, NULL,
               "not valid JSON: %s (byte %d of the line); line skipped", msg, pos);
    st->n_errors++;
    return 0;
  }
  int rc = 0;
  st->ctx->source->n_records++;
  json_t *jid = json_object_get(root, "id");
  json_t *js = json_object_get(root, "schema");
  json_t *props = json_object_get(root, "properties");
  if (!json_is_object(root)) {
    emb__error(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, NULL,
               "line is not a JSON object; line skipped");
    st->n_errors++;
  } else if (!json_is_string(jid) || !*json_string_value(jid)) {
    emb__error(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, "id",
               "record has no \"id\" text; line skipped");
    st->n_errors++;
  } else if (!json_is_string(js) || !*json_string_value(js)) {
    emb__error(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, "schema",
               "record '%.200s' has no \"schema\" text; line skipped", json_string_value(jid));
    st->n_errors++;
  } else if (props && !json_is_object(props)) {
    emb__error(st->ctx->diags, EMB_EFORMAT, st->file, st->line, 0, "properties",
               "record '%.200s': \"properties\" is not an object; line skipped",
               json_string_value(jid));
    st->n_errors++;
  } else {
    if (props)
      note_scalars(st, props);
    rc = visit_object(st, root, NULL, 0);
    flush_notes(st);
  }
  json_decref(root);
  return rc;
}

static void state_fini(ftm_state *st) {
  free(st->recs);
  free(st->addrs);
  free(st->names);
  emb__strmap_fini(&st->addr_by_id);
  emb__strmap_fini(&st->name_by_id);
  emb__strmap_fini(&st->seen);
  emb__arena_fini(&st->arena);
}

int emb__load_ftm(emb_load_ctx *ctx) {
  ftm_state st;
  memset(&st, 0, sizeof(st));
  st.ctx = ctx;
  emb__arena_init(&st.arena, 64 * 1024);
  emb__strmap_init(&st.addr_by_id);
  emb__strmap_init(&st.name_by_id);
  emb__strmap_init(&st.seen);
  size_t errors_before = ctx->diags ? ctx->diags->n_errors : 0;

  emb_input *in = NULL;
  int rc = emb__load_open(ctx, ctx->path, &in);
  if (rc) {
    state_fini(&st);
    return rc;
  }
  st.file = emb__input_name(in);
  emb_lines *lr = NULL;
  rc = emb__lines_new(in, FTM_MAX_LINE, ctx->diags, &lr);
  bool lost = false;
  if (!rc) {
    const char *line;
    size_t len;
    unsigned long lineno, prev = 0;
    int got;
    while ((got = emb__lines_next(lr, &line, &len, &lineno)) == 1) {
      if (lineno != prev + 1)
        lost = true; /* the reader skipped an over-long line (and reported it) */
      prev = lineno;
      st.line = lineno;
      rc = load_line(&st, line, len);
      if (rc)
        break;
    }
    if (got < 0 && !rc) {
      rc = got;
      lost = true;
    }
  }
  /* Attach what was read even after an I/O error: it is safe, only incomplete. */
  if (rc != EMB_ENOMEM) {
    int arc = attach(&st);
    if (arc)
      rc = arc;
  }
  ctx->source->n_entities = st.seen.count;
  emb__lines_free(lr);
  emb__input_close(in);
  state_fini(&st);
  if (ctx->diags && ctx->diags->n_errors > errors_before)
    lost = true;
  if (!rc && (lost || st.n_errors))
    rc = EMB_EFORMAT;
  return rc;
}

/* -------------------------------------------------------------- sniffing */

enum { KEY_ID = 1, KEY_SCHEMA = 2, KEY_PROPERTIES = 4 };

/*
 * Scans the JSON object at p[0] == '{' up to the end of its line (or of the buffer)
 * and returns which of "id" (a string), "schema" (a string) and "properties" (an
 * object) it holds at the top level. Works on a truncated line.
 */
static unsigned top_keys(const unsigned char *p, size_t n) {
  unsigned found = 0;
  int depth = 0;
  bool want_key = false;
  for (size_t i = 0; i < n && p[i] != '\n' && p[i] != '\r'; i++) {
    unsigned char c = p[i];
    if (c == '"') {
      size_t s = ++i;
      while (i < n && p[i] != '"' && p[i] != '\n') {
        if (p[i] == '\\')
          i++;
        i++;
      }
      if (i >= n || p[i] != '"')
        return found;
      size_t klen = i - s;
      if (depth == 1 && want_key) {
        want_key = false;
        size_t j = i + 1;
        while (j < n && (p[j] == ' ' || p[j] == '\t'))
          j++;
        if (j >= n || p[j] != ':')
          continue;
        j++;
        while (j < n && (p[j] == ' ' || p[j] == '\t'))
          j++;
        unsigned char v = j < n ? p[j] : 0;
        if (klen == 2 && memcmp(p + s, "id", 2) == 0 && v == '"')
          found |= KEY_ID;
        else if (klen == 6 && memcmp(p + s, "schema", 6) == 0 && v == '"')
          found |= KEY_SCHEMA;
        else if (klen == 10 && memcmp(p + s, "properties", 10) == 0 && v == '{')
          found |= KEY_PROPERTIES;
      }
      continue;
    }
    if (c == '{' || c == '[') {
      depth++;
      want_key = depth == 1 && c == '{';
    } else if (c == '}' || c == ']') {
      if (--depth <= 0)
        break;
    } else if (c == ',' && depth == 1) {
      want_key = true;
    }
  }
  return found;
}

bool emb__sniff_ftm(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  size_t i = 0;
  if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
    i++;
  if (i >= n || head[i] != '{')
    return false;
  unsigned k = top_keys(head + i, n - i);
  return (k & KEY_SCHEMA) && (k & (KEY_PROPERTIES | KEY_ID));
}
