/*
 * load_eu_xml.c - the EU Financial Sanctions Files (FSF) XML export, schema 1.1.
 *
 * The file is one <export generationDate=...> holding one <sanctionEntity logicalId=...>
 * per listed person or organisation; nearly everything is in attributes of its children
 * (regulation, subjectType, nameAlias, citizenship, birthdate, address, identification)
 * and in <remark> elements. docs/formats/eu-xml.md gives the full mapping; the rules that
 * need a decision are these:
 *
 *   - id "eu:<logicalId>", source "eu"; a sanctionEntity without a logicalId is an error
 *     (file, line, element) and is skipped, and the loader returns EMB_EFORMAT.
 *   - The EU marks no primary name. The primary is the nameAlias with the lowest numeric
 *     logicalId among the strong aliases written in the regulation's language (or with no
 *     language); failing that, among all aliases. The logicalId is given when an alias is
 *     created, so the lowest one is the name the entity was first listed under; the
 *     translations added later get higher ids. Every other alias is an ALIAS.
 *   - strong="false", or an alias remark saying "low quality", makes a name WEAK.
 *   - listed_on is the earliest of designationDate and the regulations' publicationDate.
 *
 * Each sanctionEntity is read into a scratch entity set first and copied into the
 * caller's set only when its end tag has been seen, so a truncated or broken file keeps
 * exactly the entities that were complete. The scratch set is freed after every entity.
 * Values of one kind are capped per entity (MAX_VALUES) so that a hostile file cannot make
 * the de-duplicating builders quadratic.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strmap.h"
#include "core/xml.h"
#include "lists/country.h"
#include "lists/date.h"
#include "lists/loader.h"
#include "lists/xml_util.h"

#define MAX_TEXT (1u << 20) /* text of one element; remarks are the longest */
#define MAX_VALUES 5000     /* values of one kind (names, ids...) per entity */
#define MAX_ID_LEN 64       /* a logicalId is a number; anything longer is broken */

/* What the current child of a sanctionEntity is; its <remark> goes with it. */
typedef enum {
  C_NONE = 0,
  C_REGULATION,
  C_NAME,
  C_BIRTH,
  C_ADDRESS,
  C_ID,
  C_CITIZENSHIP,
  C_OTHER
} child_kind;

typedef struct eu_loader {
  emb_load_ctx *ctx;
  int depth;       /* current element depth, root = 1 */
  int rc;          /* first error that lost data, or 0 */
  bool stopped;    /* the parse was stopped; ignore further events */
  emb_strmap seen; /* ids committed by this load (keys live in ctx->set) */

  /* The sanctionEntity being read. */
  bool in_entity;
  bool skip;          /* its id is missing: read past it */
  unsigned long line; /* where it starts */
  char id[MAX_ID_LEN + 8];
  emb_entity_set *tmp; /* scratch set holding the entity until its end tag */
  emb_entity *e;       /* the scratch entity */
  bool capped;         /* some values were dropped at MAX_VALUES */

  /* The current child element and, for a nameAlias, the name being read. */
  child_kind child;
  const char *label; /* what the child's remarks refer to ("name X") */
  emb_name name;
  bool name_weak;
  bool name_lang_ok;  /* in the regulation's language or without one */
  long long name_key; /* numeric logicalId, LLONG_MAX when absent */

  /* The best primary-name candidate so far. */
  const char *best_full;
  int best_rank;
  long long best_key;
} eu_loader;

/* ------------------------------------------------------------ small helpers */

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* A "-" stands for nothing in EU place fields. */
static bool empty_value(const char *s) {
  return emb__xml_blank(s) || strcmp(s, "-") == 0;
}

/* An attribute value, squashed and copied; NULL when absent or blank. */
static const char *att(eu_loader *l, const char **attrs, const char *name) {
  return emb__xml_keep(l->tmp, emb__xml_attr(attrs, name));
}

static bool att_true(const char **attrs, const char *name) {
  const char *v = emb__xml_attr(attrs, name);
  return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* Parses a whole decimal integer in [lo, hi]; false when absent or invalid. */
static bool parse_long(const char *s, long lo, long hi, long *out) {
  if (emb__xml_blank(s))
    return false;
  while (is_space(*s))
    s++;
  long v = 0;
  const char *p = s;
  for (; *p >= '0' && *p <= '9'; p++) {
    v = v * 10 + (*p - '0');
    if (v > hi)
      return false;
  }
  while (is_space(*p))
    p++;
  if (p == s || *p || v < lo)
    return false;
  *out = v;
  return true;
}

static int date_key(const emb_date *d) {
  return d->year * 10000 + d->month * 100 + d->day;
}

/* ------------------------------------------------------------ diagnostics */

static void warn(eu_loader *l, emb_xml *x, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A warning at the current position of the reader. */
static void warn(eu_loader *l, emb_xml *x, const char *field, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  emb__warn(l->ctx->diags, EMB_EFORMAT, emb__xml_file(x), emb__xml_line(x), emb__xml_column(x),
            field, "%s", msg);
}

/* Out of memory or a broken builder: stop reading. */
static void fail(eu_loader *l, emb_xml *x, int rc) {
  if (!l->rc)
    l->rc = rc;
  l->stopped = true;
  emb__error(l->ctx->diags, rc, emb__xml_file(x), emb__xml_line(x), emb__xml_column(x), NULL, "%s",
             emb_strerror(rc));
  emb__xml_stop(x, rc);
}

/* Parses an ISO date attribute; warns and returns false when it is present but not a date. */
static bool att_date(eu_loader *l, emb_xml *x, const char **attrs, const char *name,
                     emb_date *out) {
  const char *v = emb__xml_attr(attrs, name);
  if (emb__xml_blank(v))
    return false;
  emb_date d;
  memset(&d, 0, sizeof(d));
  if (emb__date_parse(v, strlen(v), EMB_DATE_ORDER_DMY, &d) || d.precision == EMB_DATE_NONE) {
    warn(l, x, name, "date not understood: \"%.80s\"", v);
    return false;
  }
  *out = d;
  return true;
}

/* ------------------------------------------------------------ builders with caps */

static bool room(eu_loader *l, size_t n) {
  if (n < MAX_VALUES)
    return true;
  l->capped = true;
  return false;
}

static int add_str(eu_loader *l, emb_strs *list, const char *s) {
  return room(l, list->count) ? emb__entity_add_str(l->tmp, list, s) : 0;
}

/* Adds "prefix: text" (or text alone) to the remarks. */
static int add_remark(eu_loader *l, const char *prefix, const char *text) {
  if (emb__xml_blank(text))
    return 0;
  if (!prefix)
    return add_str(l, &l->e->remarks, text);
  size_t n = strlen(prefix) + strlen(text) + 3;
  char *buf = malloc(n);
  if (!buf)
    return EMB_ENOMEM;
  snprintf(buf, n, "%s: %s", prefix, text);
  int rc = add_str(l, &l->e->remarks, buf);
  free(buf);
  return rc;
}

static int add_country(eu_loader *l, const char *raw, emb_country_role role) {
  if (!raw || !room(l, l->e->n_countries))
    return 0;
  return emb__entity_add_country(l->tmp, l->e, raw, role);
}

/*
 * The country of an element as the most reliable text: the ISO code unless it is
 * "00" (unknown), else the description unless it is "UNKNOWN". NULL when neither.
 */
static const char *country_of(eu_loader *l, const char **attrs) {
  const char *code = att(l, attrs, "countryIso2Code");
  if (code && strlen(code) == 2 && strcmp(code, "00") != 0)
    return code;
  const char *desc = att(l, attrs, "countryDescription");
  if (desc && strcasecmp(desc, "UNKNOWN") != 0)
    return desc;
  return NULL;
}

/* An English name for a country text, for one-line places and addresses. */
static const char *country_display(const char *raw) {
  if (!raw)
    return NULL;
  const char *code = emb_country_code(raw, strlen(raw));
  const char *name = code ? emb_country_name(code) : NULL;
  return name ? name : raw;
}

/* ------------------------------------------------------------ scratch entity */

static void scratch_free(eu_loader *l) {
  emb_set_free(l->tmp);
  l->tmp = NULL;
  l->e = NULL;
}

static int scratch_new(eu_loader *l) {
  scratch_free(l);
  l->tmp = emb_set_new();
  if (!l->tmp)
    return EMB_ENOMEM;
  l->e = emb__set_upsert(l->tmp, "record", NULL);
  return l->e ? 0 : EMB_ENOMEM;
}

/* ------------------------------------------------------------ sanctionEntity */

static void entity_start(eu_loader *l, emb_xml *x, const char **a) {
  l->in_entity = true;
  l->skip = false;
  l->capped = false;
  l->child = C_NONE;
  l->best_full = NULL;
  l->line = emb__xml_line(x);
  l->ctx->source->n_records++;
  int rc = scratch_new(l);
  if (rc) {
    fail(l, x, rc);
    return;
  }
  const char *lid = att(l, a, "logicalId");
  if (!lid || strlen(lid) > MAX_ID_LEN) {
    if (lid)
      emb__error(l->ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->line, emb__xml_column(x),
                 "sanctionEntity",
                 "sanctionEntity has a logicalId longer than %d bytes; entity skipped", MAX_ID_LEN);
    else
      emb__error(l->ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->line, emb__xml_column(x),
                 "sanctionEntity", "sanctionEntity has no logicalId; entity skipped");
    l->skip = true;
    if (!l->rc)
      l->rc = EMB_EFORMAT;
    return;
  }
  snprintf(l->id, sizeof(l->id), "eu:%s", lid);
  emb_entity *e = l->e;
  e->source = "eu"; /* static; emb__entity_merge copies it */
  emb_date d;
  if (att_date(l, x, a, "designationDate", &d))
    e->listed_on = d;
  if (att_date(l, x, a, "delistingDate", &d))
    e->end_date = d;
  const char *un = att(l, a, "unitedNationId");
  const char *ref = att(l, a, "euReferenceNumber");
  if ((un && (rc = emb__entity_add_id(l->tmp, e, "other", un, NULL, "UN reference number"))) ||
      (ref && (rc = emb__entity_add_id(l->tmp, e, "other", ref, NULL, "EU reference number"))) ||
      (rc = add_remark(l, NULL, att(l, a, "designationDetails"))))
    fail(l, x, rc);
}

/* Marks the chosen alias as the primary name. */
static void pick_primary(eu_loader *l) {
  if (!l->best_full)
    return;
  for (size_t i = 0; i < l->e->n_names; i++)
    if (strcmp(l->e->names[i].full, l->best_full) == 0) {
      l->e->names[i].kind = EMB_NAME_PRIMARY;
      return;
    }
}

static void entity_end(eu_loader *l, emb_xml *x) {
  l->in_entity = false;
  if (l->skip || !l->e) {
    scratch_free(l);
    return;
  }
  if (!l->e->n_names)
    emb__warn(l->ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->line, 0, "sanctionEntity",
              "entity %s has no name", l->id);
  pick_primary(l);
  emb_load_ctx *ctx = l->ctx;
  bool created = false;
  emb_entity *d = emb__set_upsert(ctx->set, l->id, &created);
  if (!d) {
    fail(l, x, EMB_ENOMEM);
    scratch_free(l);
    return;
  }
  size_t dummy;
  if (emb__strmap_get(&l->seen, d->id, strlen(d->id), &dummy)) {
    emb__warn(ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->line, 0, "sanctionEntity",
              "logicalId of %s appears more than once; the entities are merged", l->id);
  } else if (emb__strmap_put(&l->seen, d->id, strlen(d->id), 1)) {
    fail(l, x, EMB_ENOMEM);
    scratch_free(l);
    return;
  } else {
    ctx->source->n_entities++;
  }
  int rc = emb__entity_merge(ctx->set, d, l->e, MAX_VALUES, &l->capped);
  if (rc)
    fail(l, x, rc);
  if (l->capped)
    emb__warn(ctx->diags, EMB_ETOOBIG, emb__xml_file(x), l->line, 0, "sanctionEntity",
              "entity %s has more than %d values of one kind; the rest are ignored", l->id,
              MAX_VALUES);
  scratch_free(l);
}

/* ------------------------------------------------------------ children */

static void regulation_start(eu_loader *l, emb_xml *x, const char **a) {
  emb_entity *e = l->e;
  emb_date d;
  if (att_date(l, x, a, "publicationDate", &d) &&
      (e->listed_on.precision == EMB_DATE_NONE || date_key(&d) < date_key(&e->listed_on)))
    e->listed_on = d;
  const char *title = att(l, a, "numberTitle");
  int rc = add_str(l, &e->programs, att(l, a, "programme"));
  if (!rc && title)
    rc = add_remark(l, "EU regulation", title);
  if (rc)
    fail(l, x, rc);
  l->label = "regulation";
}

static void subject_start(eu_loader *l, emb_xml *x, const char **a) {
  const char *code = emb__xml_attr(a, "code");
  const char *cls = emb__xml_attr(a, "classificationCode");
  emb_schema s = EMB_SCHEMA_UNKNOWN;
  if ((code && strcasecmp(code, "person") == 0) || (cls && strcmp(cls, "P") == 0))
    s = EMB_SCHEMA_PERSON;
  else if ((code && strcasecmp(code, "enterprise") == 0) || (cls && strcmp(cls, "E") == 0))
    s = EMB_SCHEMA_ORGANIZATION;
  else
    warn(l, x, "subjectType", "unknown subject type \"%.40s\"", code ? code : "");
  l->e->schema = s;
}

static void name_start(eu_loader *l, emb_xml *x, const char **a) {
  memset(&l->name, 0, sizeof(l->name));
  l->name.given = att(l, a, "firstName");
  l->name.middle = att(l, a, "middleName");
  l->name.family = att(l, a, "lastName");
  l->name.full = att(l, a, "wholeName");
  if (!l->name.full) {
    const char *parts[] = {l->name.given, l->name.middle, l->name.family};
    l->name.full = emb__xml_join_parts(l->tmp, parts, 3, " ", empty_value);
  }
  if (!l->name.full) {
    warn(l, x, "nameAlias", "nameAlias without a name");
    l->child = C_OTHER;
    return;
  }
  l->name.lang = att(l, a, "nameLanguage");
  l->name.kind = EMB_NAME_ALIAS;
  const char *strong = emb__xml_attr(a, "strong");
  l->name_weak = strong && strcmp(strong, "false") == 0;
  const char *reg_lang = emb__xml_attr(a, "regulationLanguage");
  l->name_lang_ok = !l->name.lang || (reg_lang && strcasecmp(l->name.lang, reg_lang) == 0);
  long key;
  l->name_key = parse_long(emb__xml_attr(a, "logicalId"), 0, LONG_MAX, &key) ? key : LLONG_MAX;

  const char *gender = emb__xml_attr(a, "gender");
  if (!l->e->gender && gender)
    l->e->gender = strcmp(gender, "M") == 0 ? "male" : strcmp(gender, "F") == 0 ? "female" : NULL;
  int rc = add_str(l, &l->e->titles, att(l, a, "title"));
  if (!rc)
    rc = add_str(l, &l->e->titles, att(l, a, "function"));
  if (rc) {
    fail(l, x, rc);
    return;
  }
  size_t n = strlen(l->name.full) + 8;
  char *label = malloc(n);
  if (label) {
    snprintf(label, n, "name %s", l->name.full);
    l->label = emb__xml_keep(l->tmp, label);
    free(label);
  }
}

static void name_end(eu_loader *l, emb_xml *x) {
  emb_entity *e = l->e;
  if (!room(l, e->n_names))
    return;
  l->name.strength = l->name_weak ? EMB_WEAK : EMB_STRONG;
  int rc = emb__entity_add_name(l->tmp, e, &l->name);
  if (rc) {
    fail(l, x, rc);
    return;
  }
  /* Rank: strong before weak, then the regulation's language, then the lowest id. */
  int rank = (l->name_weak ? 2 : 0) + (l->name_lang_ok ? 0 : 1);
  if (!l->best_full || rank < l->best_rank || (rank == l->best_rank && l->name_key < l->best_key)) {
    l->best_full = l->name.full;
    l->best_rank = rank;
    l->best_key = l->name_key;
  }
}

static void birth_start(eu_loader *l, emb_xml *x, const char **a) {
  emb_entity *e = l->e;
  l->label = "birth date";
  emb_date d;
  memset(&d, 0, sizeof(d));
  const char *cal = emb__xml_attr(a, "calendarType");
  bool gregorian = emb__xml_blank(cal) || strcasecmp(cal, "GREGORIAN") == 0;
  long y = 0, m = 0, day = 0, from = 0, to = 0;
  const char *names[] = {"year", "monthOfYear", "dayOfMonth", "yearRangeFrom", "yearRangeTo"};
  long *vals[] = {&y, &m, &day, &from, &to};
  const long max[] = {9999, 12, 31, 9999, 9999};
  for (size_t i = 0; i < 5; i++) {
    const char *v = emb__xml_attr(a, names[i]); /* 0 means unknown */
    if (!emb__xml_blank(v) && !parse_long(v, 0, max[i], vals[i]))
      warn(l, x, names[i], "not a valid number: \"%.40s\"", v);
  }
  int rc = 0;
  if (att_date(l, x, a, "birthdate", &d)) {
    /* The ISO date is Gregorian even when the parts are in another calendar. */
  } else if (y && gregorian) {
    d.year = (int16_t)y;
    d.precision = EMB_DATE_YEAR;
    if (m) {
      d.month = (int8_t)m;
      d.precision = EMB_DATE_MONTH;
      if (day) {
        d.day = (int8_t)day;
        d.precision = EMB_DATE_DAY;
      }
    }
  } else if (y && !gregorian) {
    char buf[96];
    snprintf(buf, sizeof(buf), "%.32s calendar %ld-%02ld-%02ld", cal, y, m, day);
    rc = add_remark(l, "birth date", buf);
  } else if (m && !from && !to) {
    char buf[64];
    snprintf(buf, sizeof(buf), "day %ld, month %ld, year unknown", day, m);
    rc = add_remark(l, "birth date", buf);
  }
  if (from && to && to < from) { /* a range written backwards */
    long t = from;
    from = to;
    to = t;
  }
  if (d.precision == EMB_DATE_NONE && (from || to)) {
    d.year = (int16_t)(from ? from : to);
    d.year_to = (int16_t)(from && to > from ? to : 0);
    d.precision = EMB_DATE_YEAR;
  }
  if (d.precision != EMB_DATE_NONE) {
    d.circa = att_true(a, "circa");
    if (!rc && room(l, e->n_birth_dates))
      rc = emb__entity_add_birth_date(l->tmp, e, &d);
  }
  const char *country = country_of(l, a);
  const char *parts[] = {att(l, a, "place"), att(l, a, "city"), att(l, a, "region"), NULL};
  const char *place = emb__xml_join_parts(l->tmp, parts, 3, ", ", empty_value);
  if (place) {
    parts[0] = place;
    parts[1] = country_display(country);
    place = emb__xml_join_parts(l->tmp, parts, 2, ", ", empty_value);
  }
  if (!rc)
    rc = add_str(l, &e->birth_places, place);
  if (!rc)
    rc = add_country(l, country, EMB_COUNTRY_BIRTH);
  if (rc)
    fail(l, x, rc);
}

static void citizenship_start(eu_loader *l, emb_xml *x, const char **a) {
  l->label = "citizenship";
  int rc = add_country(l, country_of(l, a), EMB_COUNTRY_CITIZENSHIP);
  if (rc)
    fail(l, x, rc);
}

static void address_start(eu_loader *l, emb_xml *x, const char **a) {
  l->label = "address";
  emb_address ad = {0};
  ad.street = att(l, a, "street");
  ad.city = att(l, a, "city");
  ad.postal_code = att(l, a, "zipCode");
  ad.region = att(l, a, "region");
  ad.country = country_of(l, a);
  const char *po = att(l, a, "poBox");
  const char *pobox = NULL;
  if (po) {
    char buf[300];
    snprintf(buf, sizeof(buf), "P.O. Box %.256s", po);
    pobox = emb__xml_keep(l->tmp, buf);
  }
  const char *parts[] = {ad.street,      pobox,     att(l, a, "place"),         ad.city,
                         ad.postal_code, ad.region, country_display(ad.country)};
  ad.full = emb__xml_join_parts(l->tmp, parts, sizeof(parts) / sizeof(parts[0]), ", ", empty_value);
  if (empty_value(ad.city))
    ad.city = NULL;
  if (!ad.full || !room(l, l->e->n_addresses))
    return;
  int rc = emb__entity_add_address(l->tmp, l->e, &ad);
  if (rc)
    fail(l, x, rc);
}

/* Our identifier type for an EU identificationTypeCode. */
static const char *id_type(const char *code) {
  static const char *const map[][2] = {
      {"passport", "passport"},  {"id", "national_id"}, {"fiscalcode", "tax_id"},
      {"tax", "tax_id"},         {"taxid", "tax_id"},   {"regnumber", "registration"},
      {"swiftbic", "swift_bic"}, {"imo", "imo"},        {"inn", "inn"},
      {"ogrn", "ogrn"},
  };
  if (!code)
    return "other";
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (strcasecmp(code, map[i][0]) == 0)
      return map[i][1];
  return "other";
}

static void id_start(eu_loader *l, emb_xml *x, const char **a) {
  emb_entity *e = l->e;
  const char *number = att(l, a, "number");
  const char *latin = att(l, a, "latinNumber");
  if (!number) {
    number = latin;
    latin = NULL;
  }
  if (!number) {
    l->label = "identification";
    return;
  }
  size_t n = strlen(number) + 24;
  char *label = malloc(n);
  if (label) {
    snprintf(label, n, "identification %s", number);
    l->label = emb__xml_keep(l->tmp, label);
    free(label);
  }
  const char *type = id_type(emb__xml_attr(a, "identificationTypeCode"));
  /* The note: the EU's own label and what it says about the document. */
  char note[768];
  const char *desc = att(l, a, "identificationTypeDescription");
  const char *by = att(l, a, "issuedBy");
  snprintf(note, sizeof(note), "%.256s%s%.256s%s%s%s%s%s", desc ? desc : "",
           by ? (desc ? "; issued by " : "issued by ") : "", by ? by : "",
           att_true(a, "diplomatic") ? "; diplomatic" : "",
           att_true(a, "knownFalse") ? "; known to be false" : "",
           att_true(a, "knownExpired") ? "; known to be expired" : "",
           att_true(a, "reportedLost") ? "; reported lost" : "",
           att_true(a, "revokedByIssuer") ? "; revoked by issuer" : "");
  const char *note_s = note[0] == ';' ? note + 2 : note;
  const char *cc = country_of(l, a);
  const char *ccode = cc ? emb_country_code(cc, strlen(cc)) : NULL;
  int rc = 0;
  if (room(l, e->n_ids))
    rc = emb__entity_add_id(l->tmp, e, type, number, ccode, note_s);
  if (!rc && latin && strcmp(latin, number) != 0 && room(l, e->n_ids))
    rc = emb__entity_add_id(l->tmp, e, type, latin, ccode, note_s);
  /* A document issued in another name gives us that name too. */
  const char *doc_name = att(l, a, "nameOnDocument");
  if (!rc && doc_name && room(l, e->n_names))
    rc = emb__entity_add_name_simple(l->tmp, e, doc_name, EMB_NAME_ALIAS, EMB_STRONG);
  if (rc)
    fail(l, x, rc);
}

/* A <remark>: of the entity itself at depth 3, of the current child at depth 4. */
static void remark_end(eu_loader *l, emb_xml *x, int depth, const char *text) {
  char *t = (char *)emb__xml_keep(l->tmp, text);
  if (!t)
    return;
  int rc = 0;
  if (depth == 3) {
    rc = add_remark(l, NULL, t);
  } else if (l->child == C_NAME) {
    /* The EU writes alias quality as a remark; a low one makes the name weak. */
    if (emb__xml_has_ci(t, "low quality"))
      l->name_weak = true;
    else if (!emb__xml_has_ci(t, "good quality"))
      rc = add_remark(l, l->label, t);
  } else {
    rc = add_remark(l, l->label, t);
  }
  if (rc)
    fail(l, x, rc);
}

/* ------------------------------------------------------------ XML events */

static void on_start(void *ud, emb_xml *x, const char *name, const char **a) {
  eu_loader *l = ud;
  l->depth++;
  if (l->stopped)
    return;
  if (l->depth == 1) {
    if (strcmp(name, "export") != 0) {
      emb__error(l->ctx->diags, EMB_EFORMAT, emb__xml_file(x), emb__xml_line(x), emb__xml_column(x),
                 name,
                 "not an EU Financial Sanctions File: the root element is <%.64s>, "
                 "expected <export>",
                 name);
      l->rc = EMB_EFORMAT;
      l->stopped = true;
      emb__xml_stop(x, EMB_EFORMAT);
      return;
    }
    const char *gen = emb__xml_attr(a, "generationDate");
    emb_date d;
    memset(&d, 0, sizeof(d));
    if (!emb__xml_blank(gen) && strlen(gen) >= 10 &&
        !emb__date_parse(gen, 10, EMB_DATE_ORDER_DMY, &d) && d.precision == EMB_DATE_DAY) {
      char buf[24];
      snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.year, d.month, d.day);
      l->ctx->source->published = emb__set_str(l->ctx->set, buf);
    } else if (!emb__xml_blank(gen)) {
      warn(l, x, "generationDate", "date not understood: \"%.80s\"", gen);
    }
    return;
  }
  if (l->depth == 2) {
    if (strcmp(name, "sanctionEntity") == 0)
      entity_start(l, x, a);
    return;
  }
  if (!l->in_entity || l->skip || !l->e)
    return;
  if (l->depth != 3)
    return;
  l->label = NULL;
  l->child = C_OTHER;
  if (strcmp(name, "regulation") == 0) {
    l->child = C_REGULATION;
    regulation_start(l, x, a);
  } else if (strcmp(name, "subjectType") == 0) {
    subject_start(l, x, a);
  } else if (strcmp(name, "nameAlias") == 0) {
    l->child = C_NAME;
    name_start(l, x, a);
  } else if (strcmp(name, "birthdate") == 0) {
    l->child = C_BIRTH;
    birth_start(l, x, a);
  } else if (strcmp(name, "citizenship") == 0) {
    l->child = C_CITIZENSHIP;
    citizenship_start(l, x, a);
  } else if (strcmp(name, "address") == 0) {
    l->child = C_ADDRESS;
    address_start(l, x, a);
  } else if (strcmp(name, "identification") == 0) {
    l->child = C_ID;
    id_start(l, x, a);
  } else if (strcmp(name, "additionalInformation") == 0) {
    const char *key = att(l, a, "key");
    int rc = add_remark(l, key, att(l, a, "value"));
    if (rc)
      fail(l, x, rc);
  }
}

static void on_end(void *ud, emb_xml *x, const char *name, const char *text, size_t len) {
  eu_loader *l = ud;
  (void)len;
  int depth = l->depth--;
  if (l->stopped || !l->in_entity)
    return;
  if (depth == 2) {
    if (strcmp(name, "sanctionEntity") == 0)
      entity_end(l, x);
    return;
  }
  if (l->skip || !l->e)
    return;
  if (strcmp(name, "remark") == 0 && (depth == 3 || depth == 4)) {
    remark_end(l, x, depth, text);
    return;
  }
  if (depth == 3) {
    if (l->child == C_NAME && strcmp(name, "nameAlias") == 0)
      name_end(l, x);
    l->child = C_NONE;
    l->label = NULL;
  }
}

/* ------------------------------------------------------------ entry points */

int emb__load_eu_xml(emb_load_ctx *ctx) {
  emb_input *in = NULL;
  int rc = emb__load_open(ctx, ctx->path, &in);
  if (rc)
    return rc;
  size_t errors_before = ctx->diags ? ctx->diags->n_errors : 0;
  eu_loader l;
  memset(&l, 0, sizeof(l));
  l.ctx = ctx;
  emb__strmap_init(&l.seen);
  emb_xml_handlers h = {on_start, on_end};
  rc = emb__xml_parse(in, &h, &l, MAX_TEXT, ctx->diags);
  if (l.in_entity && !l.skip && rc)
    emb__warn(ctx->diags, EMB_ETRUNCATED, emb__input_name(in), l.line, 0, "sanctionEntity",
              "the entity starting here was not complete and is not loaded");
  scratch_free(&l);
  emb__strmap_fini(&l.seen);
  emb__input_close(in);
  if (!rc)
    rc = l.rc;
  if (!rc && ctx->diags && ctx->diags->n_errors > errors_before)
    rc = EMB_EFORMAT;
  return rc;
}

bool emb__sniff_eu_xml(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  unsigned char buf[4096];
  head = emb__xml_ascii_head(head, &n, buf, sizeof(buf));
  char root[64];
  if (!emb__xml_root_name(head, n, root, sizeof(root)) || strcmp(root, "export") != 0)
    return false;
  /* <export> is a common word; the namespace or the entity element makes it the EU's. */
  return emb__xml_has_bytes(head, n, "fpi/fsd/export") ||
         emb__xml_has_bytes(head, n, "sanctionEntity");
}
