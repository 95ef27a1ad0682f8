/*
 * load_ofac_adv_xml.c - OFAC's "enhanced" XML (sanctionsData), e.g. CONS_ENHANCED.XML.
 *
 * The file is sanctionsData with publicationInfo (dataAsOf), referenceValues (lookup
 * tables this loader does not need: every reference is repeated as text where it is
 * used) and entities/entity records. The entity's id attribute is OFAC's entity number,
 * the same number as ent_num in the legacy CSV and uid in the classic XML, so the id is
 * "ofac:<entity id>" and one party merges across all OFAC formats (checked: the 442
 * records of cons_prim.csv 2025-12 are all among the 443 entities of the 2025-01-10
 * file). The mapping (docs/formats/ofac-xml.md):
 *
 *   generalInfo/entityType -> schema (Individual Person, Entity Organization, Vessel,
 *   Aircraft Airplane); remarks -> remarks (and their facts, as in the CSV);
 *   sanctionsLists: "SDN List" -> list "SDN", every other list but the "Consolidated
 *   List" itself -> "Non-SDN"; the earliest datePublished -> listed_on;
 *   sanctionsPrograms -> programmes; names/name/translations/translation -> one name per
 *   translation: formattedFullName ("LAST, First" for people, as in the CSV) with
 *   formattedFirstName/LastName as given/family, script from the script element; the
 *   name's isPrimary marks the primary name (its other-script translations are strong
 *   aliases), aliasType F.K.A. a former name, isLowQuality a weak alias;
 *   features: Birthdate (valueDate: exact, month, year, isApproximate = circa,
 *   isDateRange = year range), Place of Birth, Nationality/Citizenship Country,
 *   Nationality of Registration, Gender, vessel details, identifier-like features
 *   (SWIFT/BIC, Website, ISIN ...) through the OFAC label table shared with the CSV;
 *   statements ("Secondary sanctions risk:", directive dates) -> remarks;
 *   identityDocuments -> identifiers; addresses (one per translation) -> addresses;
 *   relationships/relatedEntity -> linked_to.
 *
 * The older "advanced" XML (sdn_advanced.xml: Sanctions/DistinctParties) is recognised
 * and reported as not supported yet.
 *
 * An entity is created at its start tag. If the file breaks inside it, an entity this
 * load created is dropped (emb__set_drop_last); one that existed before keeps what was
 * added. The loader owns its state and a small arena for field text, reset per entity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/xml.h"
#include "lists/country.h"
#include "lists/date.h"
#include "lists/loader.h"
#include "lists/ofac_remarks.h"
#include "lists/xml_util.h"

#define MAX_ID 18

/* Fields of the open item (name, address, feature, document, relationship). */
/* clang-format off */
#define ITEM_FIELDS(X)                                                                             \
  X(isPrimary)                                                                                     \
  X(aliasType) X(isLowQuality) X(country) X(type) X(value) X(fromDateBegin) X(fromDateEnd)         \
      X(toDateBegin) X(toDateEnd) X(isApproximate) X(isDateRange) X(documentNumber) X(isValid)     \
          X(issuingLocation) X(issuingCountry) X(issuingAuthority) X(comments) X(relatedEntity)
/* clang-format on */

enum {
#define X(f) I_##f,
  ITEM_FIELDS(X)
#undef X
      I_COUNT
};

static const char *const ITEM_NAMES[I_COUNT] = {
#define X(f) #f,
    ITEM_FIELDS(X)
#undef X
};

/* Fields of a translation (of a name or an address), including its parts. */
enum {
  T_isPrimary,
  T_script,
  T_first,
  T_last,
  T_full, /* formatted* */
  T_p_last,
  T_p_first,
  T_p_middle,
  T_p_entity, /* name parts */
  T_addr1,
  T_addr2,
  T_addr3,
  T_city,
  T_postal,
  T_region,
  T_COUNT
};

typedef struct adv_state {
  emb_load_ctx *ctx;
  const char *file;
  emb_arena arena; /* text of the open entity's fields */
  size_t idx;      /* the open entity's index in the set */
  bool created;    /* this load created it */
  int ent_depth;   /* depth of the open <entity>, 0 when none */
  unsigned long ent_line;
  char ent_id[MAX_ID + 1];
  emb_schema schema;
  emb_date listed; /* earliest listing seen */
  char item[24];   /* the open item: name, address, feature, ... */
  unsigned long item_line;
  const char *f[I_COUNT];             /* its fields */
  const char *t[T_COUNT];             /* the open translation's fields */
  const char *part_type, *part_value; /* the open name or address part */
  const char *list_date;              /* datePublished of the open sanctionsList */
  bool root_seen;
  bool advanced; /* the older Sanctions/DistinctParties format */
  size_t n_records, n_lost;
  int rc;
} adv_state;

/* ------------------------------------------------------------ helpers */

static emb_entity *cur(adv_state *st) {
  return emb__set_at(st->ctx->set, st->idx);
}

static void fail(adv_state *st, emb_xml *x, int rc) {
  if (!st->rc)
    st->rc = rc;
  emb__xml_stop(x, rc);
}

static void nomem(adv_state *st, emb_xml *x) {
  emb__error(st->ctx->diags, EMB_ENOMEM, st->file, emb__xml_line(x), 0, NULL, "out of memory");
  fail(st, x, EMB_ENOMEM);
}

/* Whitespace-collapsed copy of text in the entity arena; NULL when blank. */
static const char *keep(adv_state *st, const char *text, size_t len) {
  if (!len)
    return NULL;
  char *p = emb__arena_alloc(&st->arena, len + 1);
  if (!p)
    return NULL;
  emb__clean_space(text, len, p, len + 1);
  return *p ? p : NULL;
}

/* a + sep + b in the entity arena (either may be NULL). */
static const char *join(adv_state *st, const char *a, const char *sep, const char *b) {
  if (!a || !*a)
    return b;
  if (!b || !*b)
    return a;
  size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
  char *p = emb__arena_alloc(&st->arena, la + ls + lb + 1);
  if (!p)
    return NULL;
  memcpy(p, a, la);
  memcpy(p + la, sep, ls);
  memcpy(p + la + ls, b, lb + 1);
  return p;
}

static bool is_true(const char *s) {
  return emb__xml_ieq(s, "true") || emb__xml_eq(s, "1");
}

/* Parses "YYYY-MM-DD" (a time may follow); false when it is not that. */
static bool parse_ymd(const char *s, int *y, int *m, int *d) {
  if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return false;
  *y = atoi(s);
  *m = atoi(s + 5);
  *d = atoi(s + 8);
  return *y > 0 && *y < 10000 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

static int days_in_month(int y, int m) {
  static const int D[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : D[m - 1];
}

static const char *script_code(const char *s) {
  if (!s)
    return NULL;
  if (emb__xml_ieq(s, "Latin"))
    return "Latn";
  if (emb__xml_ieq(s, "Cyrillic"))
    return "Cyrl";
  if (strncasecmp(s, "Chinese", 7) == 0)
    return "Hani";
  if (emb__xml_ieq(s, "Arabic"))
    return "Arab";
  return NULL; /* detected from the text */
}

static emb_schema schema_of(const char *type) {
  if (emb__xml_ieq(type, "Individual"))
    return EMB_SCHEMA_PERSON;
  if (emb__xml_ieq(type, "Entity"))
    return EMB_SCHEMA_ORGANIZATION;
  if (emb__xml_ieq(type, "Vessel"))
    return EMB_SCHEMA_VESSEL;
  if (emb__xml_ieq(type, "Aircraft"))
    return EMB_SCHEMA_AIRPLANE;
  return EMB_SCHEMA_UNKNOWN;
}

/* Labels that state something about the listing rather than identify the party. */
static bool informational_label(const char *label) {
  static const char *const PREFIXES[] = {"Additional Sanctions Information",
                                         "For more information",
                                         "Executive Order",
                                         "Secondary sanctions risk",
                                         "Transactions Prohibited",
                                         "Effective Date",
                                         "Listing Date",
                                         "Organization Established Date",
                                         "CAATSA",
                                         "IFCA",
                                         "Purchase/Sales",
                                         "Prohibited",
                                         "Subject to",
                                         "Issuer Name"};
  for (size_t i = 0; i < sizeof(PREFIXES) / sizeof(PREFIXES[0]); i++)
    if (strncasecmp(label, PREFIXES[i], strlen(PREFIXES[i])) == 0)
      return true;
  size_t n = strlen(label);
  return n >= 1 && (label[n - 1] == ':' || (n >= 2 && label[n - 1] == '-' && label[n - 2] == ' '));
}

/*
 * Adds label/value as what it is: an identifier of a known kind, a country, or a remark
 * for statements. Shared by features and identity documents.
 */
static int add_labelled(adv_state *st, const char *label, const char *value, const char *country,
                        const char *note, bool document) {
  emb_entity_set *set = st->ctx->set;
  emb_entity *e = cur(st);
  if (!value)
    return 0;
  if (!label)
    label = "";
  const char *cc = country ? emb_country_code(country, strlen(country)) : NULL;
  const char *type = emb__ofac_id_type(label, strlen(label), cc, value, st->schema);
  if (!document && strcmp(type, "other") == 0 && (!*label || informational_label(label))) {
    const char *r = join(st, label, " ", value);
    return r ? emb__entity_add_str(set, &e->remarks, r) : EMB_ENOMEM;
  }
  if (strcmp(type, "imo") == 0 && strncasecmp(value, "IMO", 3) == 0) {
    value += 3;
    while (*value == ' ' || *value == ':')
      value++;
    if (!*value)
      return 0;
  }
  return emb__entity_add_id(set, e, type, value, country,
                            join(st, *label ? label : NULL, "; ", note));
}

/* ------------------------------------------------------- item commits */

static int commit_name_translation(adv_state *st) {
  const char **t = st->t;
  const char *full = t[T_full];
  if (!full) {
    const char *last = t[T_last] ? t[T_last] : t[T_p_last];
    const char *first = t[T_first] ? t[T_first] : join(st, t[T_p_first], " ", t[T_p_middle]);
    full = last ? join(st, last, ", ", first) : (first ? first : t[T_p_entity]);
  }
  if (!full)
    return 0;
  emb_name n;
  memset(&n, 0, sizeof(n));
  n.full = full;
  bool name_primary = is_true(st->f[I_isPrimary]);
  bool tr_primary = !st->t[T_isPrimary] || is_true(st->t[T_isPrimary]);
  if (name_primary)
    n.kind = tr_primary ? EMB_NAME_PRIMARY : EMB_NAME_ALIAS;
  else
    n.kind = emb__xml_ieq(st->f[I_aliasType], "F.K.A.") ? EMB_NAME_FORMER : EMB_NAME_ALIAS;
  n.strength = is_true(st->f[I_isLowQuality]) ? EMB_WEAK : EMB_STRONG;
  n.script = script_code(t[T_script]);
  if (st->schema == EMB_SCHEMA_PERSON && n.strength == EMB_STRONG) {
    n.given = t[T_first] ? t[T_first] : t[T_p_first];
    n.family = t[T_last] ? t[T_last] : t[T_p_last];
    n.middle = t[T_p_middle];
  }
  return emb__entity_add_name(st->ctx->set, cur(st), &n);
}

static int commit_address_translation(adv_state *st) {
  const char **t = st->t;
  emb_address a;
  memset(&a, 0, sizeof(a));
  const char *street = join(st, t[T_addr1], ", ", t[T_addr2]);
  a.street = join(st, street, ", ", t[T_addr3]);
  a.city = t[T_city];
  a.postal_code = t[T_postal];
  a.region = t[T_region];
  a.country = st->f[I_country];
  return emb__entity_add_address(st->ctx->set, cur(st), &a);
}

static int commit_birthdate(adv_state *st) {
  emb_date d;
  memset(&d, 0, sizeof(d));
  int y1, m1, d1, y2, m2, d2;
  const char *from = st->f[I_fromDateBegin] ? st->f[I_fromDateBegin] : st->f[I_fromDateEnd];
  const char *to = st->f[I_toDateEnd] ? st->f[I_toDateEnd] : st->f[I_toDateBegin];
  bool have = false;
  if (parse_ymd(from, &y1, &m1, &d1)) {
    if (!parse_ymd(to, &y2, &m2, &d2)) {
      y2 = y1;
      m2 = m1;
      d2 = d1;
    }
    d.year = (int16_t)y1;
    have = true;
    if (y2 != y1 || is_true(st->f[I_isDateRange])) {
      d.precision = EMB_DATE_YEAR;
      d.year_to = (int16_t)(y2 > y1 ? y2 : 0);
    } else if (m1 == 1 && d1 == 1 && m2 == 12 && d2 == 31) {
      d.precision = EMB_DATE_YEAR;
    } else if (m1 == m2 && d1 == 1 && d2 == days_in_month(y1, m1)) {
      d.precision = EMB_DATE_MONTH;
      d.month = (int8_t)m1;
    } else {
      d.precision = EMB_DATE_DAY;
      d.month = (int8_t)m1;
      d.day = (int8_t)d1;
    }
    d.circa = is_true(st->f[I_isApproximate]);
  }
  if (have)
    return emb__entity_add_birth_date(st->ctx->set, cur(st), &d);
  const char *v = st->f[I_value];
  if (v)
    return emb__add_birth_dates(st->ctx, cur(st), v, EMB_DATE_ORDER_DMY, st->file, st->item_line,
                                "Birthdate");
  return 0;
}

static int commit_feature(adv_state *st) {
  emb_entity_set *set = st->ctx->set;
  emb_entity *e = cur(st);
  const char *label = st->f[I_type], *v = st->f[I_value];
  if (!label)
    return 0;
  if (emb__xml_ieq(label, "Birthdate"))
    return commit_birthdate(st);
  if (!v)
    return 0;
  if (emb__xml_ieq(label, "Place of Birth")) {
    int rc = emb__entity_add_str(set, &e->birth_places, v);
    const char *c = strrchr(v, ',');
    c = c ? c + 1 : v;
    while (*c == ' ')
      c++;
    if (!rc && emb_country_code(c, strlen(c)))
      rc = emb__entity_add_country(set, e, c, EMB_COUNTRY_BIRTH);
    return rc;
  }
  if (emb__xml_ieq(label, "Nationality Country"))
    return emb__entity_add_country(set, e, v, EMB_COUNTRY_NATIONALITY);
  if (emb__xml_ieq(label, "Citizenship Country"))
    return emb__entity_add_country(set, e, v, EMB_COUNTRY_CITIZENSHIP);
  if (emb__xml_ieq(label, "Nationality of Registration") || emb__xml_ieq(label, "Vessel Flag"))
    return emb__xml_ieq(v, "None Identified")
               ? 0
               : emb__entity_add_country(set, e, v, EMB_COUNTRY_JURISDICTION);
  if (emb__xml_ieq(label, "Former Vessel Flag"))
    return emb__xml_ieq(v, "None Identified")
               ? 0
               : emb__entity_add_country(set, e, v, EMB_COUNTRY_OTHER);
  if (emb__xml_ieq(label, "Gender")) {
    if (emb__xml_ieq(v, "Male"))
      e->gender = "male";
    else if (emb__xml_ieq(v, "Female"))
      e->gender = "female";
    return 0;
  }
  if (emb__xml_ieq(label, "Vessel Call Sign"))
    return emb__entity_add_id(set, e, "other", v, NULL, "Call Sign");
  if (emb__xml_ieq(label, "Vessel Owner"))
    return emb__entity_add_str(set, &e->linked_to, v);
  static const char *const VESSEL[][2] = {
      {"Vessel Type", "Vessel type"},
      {"Vessel Tonnage", "Tonnage"},
      {"Vessel Gross Registered Tonnage", "Gross registered tonnage"}};
  for (size_t i = 0; i < sizeof(VESSEL) / sizeof(VESSEL[0]); i++)
    if (emb__xml_ieq(label, VESSEL[i][0])) {
      const char *r = join(st, VESSEL[i][1], ": ", v);
      return r ? emb__entity_add_str(set, &e->remarks, r) : EMB_ENOMEM;
    }
  if (strncasecmp(label, "Target Type", 11) == 0 ||
      strncasecmp(label, "Organization Type", 17) == 0 ||
      strncasecmp(label, "Aircraft Operator", 17) == 0) {
    const char *fact = join(st, label, " ", v);
    emb_ofac_where w = {st->ctx->diags, st->file, st->item_line, "feature"};
    return fact ? emb__ofac_remarks_apply(set, e, fact, strlen(fact), 0, &w) : EMB_ENOMEM;
  }
  return add_labelled(st, label, v, NULL, NULL, false);
}

static int commit_document(adv_state *st) {
  const char *note = NULL;
  if (st->f[I_isValid] && !is_true(st->f[I_isValid]))
    note = "not valid";
  note = join(st, note, "; ", st->f[I_issuingAuthority]);
  note = join(st, note, "; ", st->f[I_issuingLocation]);
  note = join(st, note, "; ", st->f[I_comments]);
  return add_labelled(st, st->f[I_type], st->f[I_documentNumber], st->f[I_issuingCountry], note,
                      true);
}

/* ---------------------------------------------------------- entities */

/* Forgets every field pointer: they point into the arena, which is reset per entity. */
static void reset_fields(adv_state *st) {
  st->item[0] = '\0';
  memset(st->f, 0, sizeof(st->f));
  memset(st->t, 0, sizeof(st->t));
  st->part_type = st->part_value = NULL;
  st->list_date = NULL;
}

static void entity_begin(adv_state *st, emb_xml *x, const char **attrs) {
  const char *id = emb__xml_attr(attrs, "id");
  size_t n = id ? strlen(id) : 0;
  bool ok = n > 0 && n <= MAX_ID;
  for (size_t i = 0; ok && i < n; i++)
    ok = id[i] >= '0' && id[i] <= '9';
  st->ent_line = emb__xml_line(x);
  if (!ok) {
    emb__error(st->ctx->diags, EMB_EFORMAT, st->file, st->ent_line, emb__xml_column(x), "id",
               "entity id \"%.40s\" is not a number; the entity is not loaded", id ? id : "");
    st->n_lost++;
    return;
  }
  char full[MAX_ID + 8];
  snprintf(full, sizeof(full), "ofac:%s", id);
  emb_entity *e = emb__set_upsert(st->ctx->set, full, &st->created);
  if (!e || emb__entity_set_source(st->ctx->set, e, "ofac")) {
    nomem(st, x);
    return;
  }
  memcpy(st->ent_id, id, n + 1);
  st->idx = emb__set_index(st->ctx->set, full);
  st->ent_depth = emb__xml_depth(x);
  st->schema = e->schema;
  memset(&st->listed, 0, sizeof(st->listed));
  reset_fields(st);
}

static void entity_end(adv_state *st) {
  emb_entity *e = cur(st);
  if (e->schema == EMB_SCHEMA_UNKNOWN) {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->ent_line, 0, "entityType",
              "entity %s has no known entityType; read as an organization", st->ent_id);
    e->schema = EMB_SCHEMA_ORGANIZATION;
  }
  bool primary = false;
  for (size_t i = 0; i < e->n_names; i++)
    primary = primary || e->names[i].kind == EMB_NAME_PRIMARY;
  if (!primary)
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->ent_line, 0, "names",
              "entity %s has no primary name", st->ent_id);
  if (st->listed.precision != EMB_DATE_NONE && e->listed_on.precision == EMB_DATE_NONE)
    e->listed_on = st->listed;
  st->ent_depth = 0;
  st->n_records++;
  reset_fields(st);
  emb__arena_fini(&st->arena);
  emb__arena_init(&st->arena, 16 * 1024);
}

/* ----------------------------------------------------------- handlers */

static void on_start(void *ud, emb_xml *x, const char *name, const char **attrs) {
  adv_state *st = ud;
  int depth = emb__xml_depth(x);
  if (depth == 1) {
    st->root_seen = true;
    if (emb__xml_eq(name, "Sanctions")) {
      st->advanced = true;
      emb__error(st->ctx->diags, EMB_EUNSUPPORTED, st->file, emb__xml_line(x), 0, name,
                 "OFAC advanced XML (Sanctions, DistinctParties) is not read yet; load the "
                 "enhanced XML (sanctionsData) or the classic XML (sdnList) of the same list");
      fail(st, x, EMB_EUNSUPPORTED);
    } else if (!emb__xml_eq(name, "sanctionsData")) {
      emb__error(st->ctx->diags, EMB_EFORMAT, st->file, emb__xml_line(x), emb__xml_column(x), name,
                 "root element <%s> is not <sanctionsData>: not an OFAC enhanced XML list", name);
      fail(st, x, EMB_EFORMAT);
    }
    return;
  }
  if (!st->ent_depth) {
    if (emb__xml_eq(name, "entity") && emb__xml_eq(emb__xml_parent(x, 1), "entities") && depth == 3)
      entity_begin(st, x, attrs);
    return;
  }
  int d = depth - st->ent_depth;
  if (d == 2) {
    snprintf(st->item, sizeof(st->item), "%s", name);
    st->item_line = emb__xml_line(x);
    memset(st->f, 0, sizeof(st->f));
    st->list_date = NULL;
    if (emb__xml_eq(name, "sanctionsList")) {
      const char *dp = emb__xml_attr(attrs, "datePublished");
      st->list_date = dp ? keep(st, dp, strlen(dp)) : NULL;
    }
  } else if (d == 4 && emb__xml_eq(name, "translation")) {
    memset(st->t, 0, sizeof(st->t));
  } else if (d == 6) {
    st->part_type = st->part_value = NULL;
  }
}

static void part_end(adv_state *st) {
  const char *ty = st->part_type, *v = st->part_value;
  if (!ty || !v)
    return;
  static const struct {
    const char *type;
    int slot;
  } P[] = {{"Last Name", T_p_last},     {"First Name", T_p_first},
           {"Middle Name", T_p_middle}, {"Entity Name", T_p_entity},
           {"Vessel Name", T_p_entity}, {"Aircraft Name", T_p_entity},
           {"ADDRESS1", T_addr1},       {"ADDRESS2", T_addr2},
           {"ADDRESS3", T_addr3},       {"CITY", T_city},
           {"POSTAL CODE", T_postal},   {"STATE/PROVINCE", T_region},
           {"REGION", T_region}};
  for (size_t i = 0; i < sizeof(P) / sizeof(P[0]); i++)
    if (emb__xml_ieq(ty, P[i].type)) {
      st->t[P[i].slot] = join(st, st->t[P[i].slot], " ", v);
      return;
    }
}

static void on_end(void *ud, emb_xml *x, const char *name, const char *text, size_t len) {
  adv_state *st = ud;
  if (st->rc)
    return;
  int depth = emb__xml_depth(x);
  emb_entity_set *set = st->ctx->set;
  if (!st->ent_depth) {
    if (depth == 3 && emb__xml_eq(name, "dataAsOf") &&
        emb__xml_eq(emb__xml_parent(x, 1), "publicationInfo")) {
      char buf[64];
      emb__clean_space(text, len, buf, sizeof(buf));
      int y, m, d;
      if (parse_ymd(buf, &y, &m, &d))
        st->ctx->source->published = emb__set_strn(set, buf, 10);
      else
        emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, emb__xml_line(x), 0, name,
                  "publication date not understood: \"%.40s\"", buf);
    }
    return;
  }
  int d = depth - st->ent_depth;
  emb_entity *e = cur(st);
  int rc = 0;
  if (d == 0) {
    entity_end(st);
    return;
  }
  const char *v = NULL;
  if (d == 2) {
    if (emb__xml_eq(name, "entityType")) {
      v = keep(st, text, len);
      emb_schema s = schema_of(v);
      if (s == EMB_SCHEMA_UNKNOWN && v)
        emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, emb__xml_line(x), 0, name,
                  "unknown entityType \"%.40s\"", v);
      if (s != EMB_SCHEMA_UNKNOWN && (e->schema == EMB_SCHEMA_UNKNOWN || st->created))
        e->schema = s;
      st->schema = e->schema;
    } else if (emb__xml_eq(name, "remarks") && emb__xml_eq(emb__xml_parent(x, 1), "generalInfo")) {
      v = keep(st, text, len);
      if (v) {
        rc = emb__entity_add_str(set, &e->remarks, v);
        emb_ofac_where w = {st->ctx->diags, st->file, emb__xml_line(x), "remarks"};
        if (!rc)
          rc = emb__ofac_remarks_apply(set, e, v, strlen(v), 0, &w);
      }
    } else if (emb__xml_eq(name, "sanctionsList")) {
      v = keep(st, text, len);
      if (v && !emb__xml_ieq(v, "Consolidated List")) {
        rc = emb__entity_add_str(set, &e->lists, emb__xml_ieq(v, "SDN List") ? "SDN" : "Non-SDN");
        int y, m, dd;
        if (parse_ymd(st->list_date, &y, &m, &dd) &&
            (st->listed.precision == EMB_DATE_NONE || y < st->listed.year ||
             (y == st->listed.year &&
              (m < st->listed.month || (m == st->listed.month && dd < st->listed.day))))) {
          memset(&st->listed, 0, sizeof(st->listed));
          st->listed.year = (int16_t)y;
          st->listed.month = (int8_t)m;
          st->listed.day = (int8_t)dd;
          st->listed.precision = EMB_DATE_DAY;
        }
      }
    } else if (emb__xml_eq(name, "sanctionsProgram")) {
      rc = emb__entity_add_str(set, &e->programs, keep(st, text, len));
    } else if (emb__xml_eq(name, "name") && emb__xml_eq(st->item, "name")) {
      /* committed per translation */
    } else if (emb__xml_eq(name, "feature")) {
      rc = commit_feature(st);
    } else if (emb__xml_eq(name, "identityDocument")) {
      rc = commit_document(st);
    } else if (emb__xml_eq(name, "relationship")) {
      rc = emb__entity_add_str(set, &e->linked_to, st->f[I_relatedEntity]);
    }
    st->item[0] = '\0';
  } else if (d == 3 || (d == 4 && emb__xml_eq(emb__xml_parent(x, 1), "valueDate"))) {
    for (int i = 0; i < I_COUNT; i++)
      if (emb__xml_eq(name, ITEM_NAMES[i])) {
        v = keep(st, text, len);
        if (v && !st->f[i])
          st->f[i] = v;
        break;
      }
  } else if (d == 4 && emb__xml_eq(name, "translation")) {
    if (emb__xml_eq(st->item, "name"))
      rc = commit_name_translation(st);
    else if (emb__xml_eq(st->item, "address"))
      rc = commit_address_translation(st);
  } else if (d == 5) {
    static const struct {
      const char *name;
      int slot;
    } TR[] = {{"isPrimary", T_isPrimary},
              {"script", T_script},
              {"formattedFirstName", T_first},
              {"formattedLastName", T_last},
              {"formattedFullName", T_full}};
    for (size_t i = 0; i < sizeof(TR) / sizeof(TR[0]); i++)
      if (emb__xml_eq(name, TR[i].name))
        st->t[TR[i].slot] = keep(st, text, len);
  } else if (d == 6) {
    part_end(st);
  } else if (d == 7) {
    if (emb__xml_eq(name, "type"))
      st->part_type = keep(st, text, len);
    else if (emb__xml_eq(name, "value"))
      st->part_value = keep(st, text, len);
  }
  if (rc)
    nomem(st, x);
}

/* ------------------------------------------------------------- public */

bool emb__sniff_ofac_adv_xml(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  if (emb__xml_has_bytes(head, n, "<sanctionsData") &&
      (emb__xml_has_bytes(head, n, "ENHANCED_XML") ||
       emb__xml_has_bytes(head, n, "<publicationInfo") || emb__xml_has_bytes(head, n, "<entities")))
    return true;
  /* The older advanced format: recognised so that the user hears it is not read yet. */
  return emb__xml_has_bytes(head, n, "<Sanctions") && emb__xml_has_bytes(head, n, "ADVANCED_XML");
}

int emb__load_ofac_adv_xml(emb_load_ctx *ctx) {
  emb_input *in = NULL;
  int rc = emb__load_open(ctx, ctx->path, &in);
  if (rc)
    return rc;
  adv_state st;
  memset(&st, 0, sizeof(st));
  st.ctx = ctx;
  st.file = emb__input_name(in);
  emb__arena_init(&st.arena, 16 * 1024);
  static const emb_xml_handlers H = {on_start, on_end};
  rc = emb__xml_parse(in, &H, &st, 0, ctx->diags);
  if (st.ent_depth) {
    emb__error(ctx->diags, rc ? rc : EMB_ETRUNCATED, st.file, st.ent_line, 0, NULL,
               "entity %s starting here is incomplete and was %s", st.ent_id,
               st.created ? "not loaded" : "merged only in part");
    if (st.created)
      emb__set_drop_last(ctx->set);
    st.n_lost++;
  }
  emb__arena_fini(&st.arena);
  emb__input_close(in);
  ctx->source->n_records = st.n_records;
  if (!rc && st.rc)
    rc = st.rc;
  if (!rc && st.n_lost)
    rc = EMB_EFORMAT;
  return rc;
}
