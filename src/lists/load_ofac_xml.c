/*
 * load_ofac_xml.c - OFAC's classic XML (the sdnList schema of sdn.xml and consolidated.xml).
 *
 * The file is sdnList with publshInformation (Publish_Date MM/DD/YYYY, Record_Count)
 * and sdnEntry records. Like the UN loader, each sdnEntry is read into a scratch entity
 * of a small set of its own and copied into the caller's set at its end tag, so a
 * record cut short is never half loaded. The mapping (docs/formats/ofac-xml.md):
 *
 *   id "ofac:<uid>" - the same number as ent_num in the legacy CSV, so one entity
 *   merges across sdn.csv, sdn.xml and the advanced XML; sdnType Individual -> Person,
 *   Entity -> Organization (Company when the remarks say so), Vessel, Aircraft ->
 *   Airplane; lastName/firstName -> "LAST, First" with family/given parts, as in the
 *   CSV; akaList (a.k.a. and n.k.a. aliases, f.k.a. former names; category strong or
 *   weak); idList through the OFAC label table shared with the CSV loader (Gender sets
 *   the gender, Nationality of Registration and Former Vessel Flag are countries,
 *   informational labels such as "Additional Sanctions Information -" are remarks);
 *   addresses, nationalities, citizenships, dates and places of birth, vessel details,
 *   programmes, title and remarks (whose facts are read as in the CSV).
 *
 * Which list: sdn.xml and consolidated.xml share root, namespace and header, so the
 * entries decide. An entry is marked non-SDN when it carries a non-SDN programme (NS-*,
 * FSE-*, 561List, CAPTA, CMIC*) or an identifier that only non-SDN entries carry
 * ("... Directive Determination -", "Not on the SDN List"). When more than half of a
 * file's entries are marked, every entity it loaded gets the list "Non-SDN", else "SDN".
 *
 * The loader owns its state and the scratch set; what it adds is owned by the caller's set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xml.h"
#include "lists/country.h"
#include "lists/date.h"
#include "lists/loader.h"
#include "lists/ofac_remarks.h"
#include "lists/xml_util.h"

#define MAX_UID 18

/* clang-format off */
#define ITEM_FIELDS(X)                                                                             \
  X(uid)                                                                                           \
  X(idType) X(idNumber) X(idCountry) X(issueDate) X(expirationDate) X(type) X(category)            \
      X(firstName) X(lastName) X(address1) X(address2) X(address3) X(city) X(stateOrProvince)      \
          X(postalCode) X(country) X(dateOfBirth) X(placeOfBirth) X(callSign) X(vesselType)        \
              X(vesselFlag) X(vesselOwner) X(tonnage) X(grossRegisteredTonnage)
/* clang-format on */

enum {
#define X(f) F_##f,
  ITEM_FIELDS(X)
#undef X
      F_COUNT
};

static const char *const FIELD_NAMES[F_COUNT] = {
#define X(f) #f,
    ITEM_FIELDS(X)
#undef X
};

typedef struct ofac_state {
  emb_load_ctx *ctx;
  const char *file;
  emb_entity_set *tmp; /* scratch set of the entry being read */
  emb_entity *rec;     /* its only entity */
  int rec_depth;       /* depth of the open sdnEntry, 0 when none */
  unsigned long rec_line;
  char uid[MAX_UID + 1];
  const char *first, *last; /* the entry's own name, in the scratch arena */
  emb_schema schema;
  bool marked;   /* the entry carries a non-SDN mark */
  char item[32]; /* the open list item (id, aka, ...) or vesselInfo */
  int item_depth;
  unsigned long item_line;
  const char *f[F_COUNT]; /* the open item's fields, in the scratch arena */
  char *scratch;
  size_t scratch_size;
  size_t *loaded; /* indexes in the caller's set of the entities loaded */
  size_t n_loaded, cap_loaded;
  size_t n_marked;
  size_t n_records, n_lost;
  long record_count; /* publshInformation/Record_Count, -1 when absent */
  bool root_seen;
  int rc;
} ofac_state;

/* ------------------------------------------------------------ helpers */

static void fail(ofac_state *st, emb_xml *x, int rc) {
  if (!st->rc)
    st->rc = rc;
  emb__xml_stop(x, rc);
}

static void nomem(ofac_state *st, emb_xml *x) {
  emb__error(st->ctx->diags, EMB_ENOMEM, st->file, emb__xml_line(x), 0, NULL, "out of memory");
  fail(st, x, EMB_ENOMEM);
}

/* Whitespace-collapsed copy in the scratch arena; NULL when blank or OFAC's "-0-". */
static const char *keep(ofac_state *st, const char *text, size_t len) {
  if (!len || !st->tmp)
    return NULL;
  if (st->scratch_size < len + 1) {
    char *p = realloc(st->scratch, len + 1);
    if (!p)
      return NULL;
    st->scratch = p;
    st->scratch_size = len + 1;
  }
  emb__clean_space(text, len, st->scratch, len + 1);
  if (emb__is_null_value(st->scratch))
    return NULL;
  return emb__set_str(st->tmp, st->scratch);
}

/* "LAST, First" as OFAC writes a name in its CSV and search tool; NULL when no last name. */
static const char *ofac_name(ofac_state *st, const char *first, const char *last) {
  if (!last)
    return first;
  return emb__xml_join2(st->tmp, last, ", ", first);
}

typedef struct date_cb {
  ofac_state *st;
  int rc;
} date_cb;

static void add_date_cb(const emb_date *d, void *ud) {
  date_cb *c = ud;
  int rc = emb__entity_add_birth_date(c->st->tmp, c->st->rec, d);
  if (rc)
    c->rc = rc;
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

/* True for the programme tags of OFAC's non-SDN lists. */
static bool non_sdn_program(const char *p) {
  return p &&
         (strncmp(p, "NS-", 3) == 0 || strncmp(p, "FSE-", 4) == 0 || strncmp(p, "561", 3) == 0 ||
          strncmp(p, "CAPTA", 5) == 0 || strncmp(p, "CMIC", 4) == 0);
}

/* Labels in idList that are statements about the listing rather than identifiers. */
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
                                         "Subject to"};
  for (size_t i = 0; i < sizeof(PREFIXES) / sizeof(PREFIXES[0]); i++)
    if (strncasecmp(label, PREFIXES[i], strlen(PREFIXES[i])) == 0)
      return true;
  size_t n = strlen(label);
  return n >= 2 && label[n - 1] == '-' && label[n - 2] == ' ';
}

/* ------------------------------------------------------- item commits */

static int commit_id(ofac_state *st) {
  emb_entity_set *t = st->tmp;
  emb_entity *e = st->rec;
  const char *label = st->f[F_idType], *value = st->f[F_idNumber];
  const char *country = st->f[F_idCountry];
  if (!value)
    return 0;
  if (!label)
    label = "";
  if (emb__xml_has_ci(label, "Directive Determination") ||
      emb__xml_has_ci(value, "Not on the SDN List"))
    st->marked = true;
  if (emb__xml_ieq(label, "Gender")) {
    if (emb__xml_ieq(value, "Male"))
      e->gender = "male";
    else if (emb__xml_ieq(value, "Female"))
      e->gender = "female";
    return 0;
  }
  if (emb__xml_ieq(label, "Nationality of Registration") ||
      emb__xml_ieq(label, "Former Vessel Flag"))
    return emb__xml_ieq(value, "None Identified")
               ? 0
               : emb__entity_add_country(t, e, value,
                                         emb__xml_ieq(label, "Former Vessel Flag")
                                             ? EMB_COUNTRY_OTHER
                                             : EMB_COUNTRY_JURISDICTION);
  if (strncasecmp(label, "Target Type", 11) == 0 ||
      strncasecmp(label, "Organization Type", 17) == 0 ||
      strncasecmp(label, "Aircraft Operator", 17) == 0) {
    /* The remarks grammar knows these facts ("Target Type Financial Institution"). */
    const char *fact = emb__xml_join2(st->tmp, label, " ", value);
    emb_ofac_where w = {st->ctx->diags, st->file, st->item_line, "idType"};
    return fact ? emb__ofac_remarks_apply(t, e, fact, strlen(fact), 0, &w) : EMB_ENOMEM;
  }
  const char *cc = country ? emb_country_code(country, strlen(country)) : NULL;
  const char *type = emb__ofac_id_type(label, strlen(label), cc, value, st->schema);
  if (strcmp(type, "other") == 0 && (!*label || informational_label(label))) {
    const char *r = emb__xml_join2(st->tmp, label, " ", value);
    return r ? emb__entity_add_str(t, &e->remarks, r) : EMB_ENOMEM;
  }
  if (strcmp(type, "imo") == 0 && strncasecmp(value, "IMO", 3) == 0) {
    value += 3; /* "IMO 9187629": the number alone, as the CSV loader keeps it */
    while (*value == ' ' || *value == ':')
      value++;
    if (!*value)
      return 0;
  }
  const char *note = *label ? label : NULL;
  if (st->f[F_issueDate])
    note = emb__xml_join2(st->tmp, note, "; ",
                          emb__xml_join2(st->tmp, "issued ", "", st->f[F_issueDate]));
  if (st->f[F_expirationDate])
    note = emb__xml_join2(st->tmp, note, "; ",
                          emb__xml_join2(st->tmp, "expires ", "", st->f[F_expirationDate]));
  return emb__entity_add_id(t, e, type, value, country, note);
}

static int commit_aka(ofac_state *st) {
  const char *type = st->f[F_type], *cat = st->f[F_category];
  emb_name_kind kind = emb__xml_ieq(type, "f.k.a.") ? EMB_NAME_FORMER : EMB_NAME_ALIAS;
  emb_strength strength = emb__xml_ieq(cat, "weak") ? EMB_WEAK : EMB_STRONG;
  if (type && !emb__xml_ieq(type, "a.k.a.") && !emb__xml_ieq(type, "f.k.a.") &&
      !emb__xml_ieq(type, "n.k.a."))
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->item_line, 0, "type",
              "alias type \"%.40s\" is not a.k.a., f.k.a. or n.k.a.; read as a.k.a.", type);
  const char *name = ofac_name(st, st->f[F_firstName], st->f[F_lastName]);
  if (!name)
    return 0;
  /* A weak alias of a person is a nickname, never split into given and family parts. */
  if (strength == EMB_WEAK || st->schema != EMB_SCHEMA_PERSON)
    return emb__entity_add_name_simple(st->tmp, st->rec, name, kind, strength);
  return emb__ofac_add_name(st->tmp, st->rec, name, kind, strength);
}

static int commit_address(ofac_state *st) {
  emb_address a;
  memset(&a, 0, sizeof(a));
  const char *street = emb__xml_join2(st->tmp, st->f[F_address1], ", ", st->f[F_address2]);
  a.street = emb__xml_join2(st->tmp, street, ", ", st->f[F_address3]);
  a.city = st->f[F_city];
  a.region = st->f[F_stateOrProvince];
  a.postal_code = st->f[F_postalCode];
  a.country = st->f[F_country];
  return emb__entity_add_address(st->tmp, st->rec, &a);
}

/*
 * "01 Jan 1953 to 31 Dec 1954": OFAC's way to write a span of whole years in the XML
 * (the CSV writes "1953 to 1954"). Returns true and the year range when t is that.
 */
static bool full_date_span(const char *t, emb_date *out) {
  const char *to = strstr(t, " to ");
  if (!to)
    return false;
  emb_date a, b;
  if (emb__date_parse(t, (size_t)(to - t), EMB_DATE_ORDER_DMY, &a) != 0 ||
      emb__date_parse(to + 4, strlen(to + 4), EMB_DATE_ORDER_DMY, &b) != 0 ||
      a.precision != EMB_DATE_DAY || b.precision != EMB_DATE_DAY || b.year < a.year)
    return false;
  memset(out, 0, sizeof(*out));
  out->year = a.year;
  out->year_to = b.year > a.year ? b.year : 0;
  out->precision = EMB_DATE_YEAR;
  return true;
}

static int commit_dob(ofac_state *st) {
  const char *t = st->f[F_dateOfBirth];
  if (!t)
    return 0;
  emb_date span;
  if (full_date_span(t, &span))
    return emb__entity_add_birth_date(st->tmp, st->rec, &span);
  date_cb c = {st, 0};
  if (emb__date_parse_list(t, strlen(t), EMB_DATE_ORDER_DMY, add_date_cb, &c) > 0)
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->item_line, 0, "dateOfBirth",
              "date not understood: \"%.80s\"", t);
  return c.rc;
}

static int commit_pob(ofac_state *st) {
  const char *p = st->f[F_placeOfBirth];
  if (!p)
    return 0;
  int rc = emb__entity_add_str(st->tmp, &st->rec->birth_places, p);
  /* The country is the last comma-separated part, when it names one. */
  const char *c = strrchr(p, ',');
  c = c ? c + 1 : p;
  while (*c == ' ')
    c++;
  if (!rc && emb_country_code(c, strlen(c)))
    rc = emb__entity_add_country(st->tmp, st->rec, c, EMB_COUNTRY_BIRTH);
  return rc;
}

static int commit_vessel(ofac_state *st) {
  emb_entity_set *t = st->tmp;
  emb_entity *e = st->rec;
  int rc = 0;
  if (st->f[F_callSign])
    rc = emb__entity_add_id(t, e, "other", st->f[F_callSign], NULL, "Call Sign");
  static const struct {
    int field;
    const char *label;
  } R[] = {{F_vesselType, "Vessel type"},
           {F_tonnage, "Tonnage"},
           {F_grossRegisteredTonnage, "Gross registered tonnage"}};
  for (size_t i = 0; !rc && i < sizeof(R) / sizeof(R[0]); i++)
    if (st->f[R[i].field]) {
      const char *lab = emb__xml_join2(st->tmp, R[i].label, ": ", st->f[R[i].field]);
      rc = lab ? emb__entity_add_str(t, &e->remarks, lab) : EMB_ENOMEM;
    }
  if (!rc && st->f[F_vesselFlag] && !emb__xml_ieq(st->f[F_vesselFlag], "None Identified"))
    rc = emb__entity_add_country(t, e, st->f[F_vesselFlag], EMB_COUNTRY_JURISDICTION);
  if (!rc && st->f[F_vesselOwner])
    rc = emb__entity_add_str(t, &e->linked_to, st->f[F_vesselOwner]);
  return rc;
}

/* ----------------------------------------------------------- records */

static void record_discard(ofac_state *st) {
  emb_set_free(st->tmp);
  st->tmp = NULL;
  st->rec = NULL;
  st->rec_depth = 0;
  st->item[0] = '\0';
  st->item_depth = 0;
}

static void record_begin(ofac_state *st, emb_xml *x) {
  st->tmp = emb_set_new();
  st->rec = st->tmp ? emb__set_upsert(st->tmp, "record", NULL) : NULL;
  if (!st->rec) {
    record_discard(st);
    nomem(st, x);
    return;
  }
  st->rec_depth = emb__xml_depth(x);
  st->rec_line = emb__xml_line(x);
  st->uid[0] = '\0';
  st->first = st->last = NULL;
  st->schema = EMB_SCHEMA_UNKNOWN;
  st->marked = false;
  st->item[0] = '\0';
  st->item_depth = 0;
}

/* Copies the scratch entry into the caller's set as entity `id`; *idx gets its index. */
static int copy_record(ofac_state *st, const char *id, size_t *idx) {
  emb_entity_set *set = st->ctx->set;
  emb_entity *s = st->rec;
  emb_entity *e = emb__set_upsert(set, id, NULL);
  if (!e)
    return EMB_ENOMEM;
  *idx = emb__set_index(set, id);
  /* An entry read again may turn out to be a company (its remarks say so). */
  if (e->schema == EMB_SCHEMA_ORGANIZATION && s->schema == EMB_SCHEMA_COMPANY)
    e->schema = EMB_SCHEMA_COMPANY;
  s->source = "ofac"; /* static; emb__entity_merge copies it */
  /* Primary names first (the primary name is built last, from firstName and lastName). */
  emb__entity_primary_first(s);
  return emb__entity_merge(set, e, s, SIZE_MAX, NULL);
}

static void record_end(ofac_state *st, emb_xml *x) {
  if (!st->uid[0]) {
    emb__error(st->ctx->diags, EMB_EFORMAT, st->file, st->rec_line, 0, "uid",
               "sdnEntry has no valid uid; it is not loaded");
    st->n_lost++;
    record_discard(st);
    return;
  }
  if (st->schema == EMB_SCHEMA_UNKNOWN) {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->rec_line, 0, "sdnType",
              "sdnEntry %s has no known sdnType; read as an organization", st->uid);
    st->schema = EMB_SCHEMA_ORGANIZATION;
  }
  if (st->rec->schema == EMB_SCHEMA_UNKNOWN)
    st->rec->schema = st->schema;
  int rc = 0;
  const char *name = ofac_name(st, st->first, st->last);
  if (name)
    rc = st->schema == EMB_SCHEMA_PERSON
             ? emb__ofac_add_name(st->tmp, st->rec, name, EMB_NAME_PRIMARY, EMB_STRONG)
             : emb__entity_add_name_simple(st->tmp, st->rec, name, EMB_NAME_PRIMARY, EMB_STRONG);
  else
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->rec_line, 0, "lastName",
              "sdnEntry %s has no name", st->uid);
  char id[MAX_UID + 8];
  snprintf(id, sizeof(id), "ofac:%s", st->uid);
  size_t idx = 0;
  if (!rc)
    rc = copy_record(st, id, &idx);
  if (!rc && st->n_loaded == st->cap_loaded) {
    size_t n = st->cap_loaded ? st->cap_loaded * 2 : 256;
    size_t *p = realloc(st->loaded, n * sizeof(*p));
    if (!p)
      rc = EMB_ENOMEM;
    else {
      st->loaded = p;
      st->cap_loaded = n;
    }
  }
  bool marked = st->marked;
  record_discard(st);
  if (rc) {
    nomem(st, x);
    return;
  }
  st->loaded[st->n_loaded++] = idx;
  st->n_marked += marked;
  st->n_records++;
}

static void entry_field(ofac_state *st, emb_xml *x, const char *name, const char *text,
                        size_t len) {
  emb_entity_set *t = st->tmp;
  emb_entity *e = st->rec;
  int rc = 0;
  if (emb__xml_eq(name, "uid")) {
    const char *v = keep(st, text, len);
    size_t n = v ? strlen(v) : 0;
    bool ok = n > 0 && n <= MAX_UID;
    for (size_t i = 0; ok && i < n; i++)
      ok = v[i] >= '0' && v[i] <= '9';
    if (!ok)
      emb__error(st->ctx->diags, EMB_EFORMAT, st->file, emb__xml_line(x), 0, "uid",
                 "uid \"%.40s\" is not a number", v ? v : "");
    else
      memcpy(st->uid, v, n + 1);
  } else if (emb__xml_eq(name, "firstName")) {
    st->first = keep(st, text, len);
  } else if (emb__xml_eq(name, "lastName")) {
    st->last = keep(st, text, len);
  } else if (emb__xml_eq(name, "sdnType")) {
    const char *v = keep(st, text, len);
    st->schema = schema_of(v);
    /* Set now: the remarks (after sdnType) may refine an Organization to a Company. */
    if (e->schema == EMB_SCHEMA_UNKNOWN)
      e->schema = st->schema;
    if (v && st->schema == EMB_SCHEMA_UNKNOWN)
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, emb__xml_line(x), 0, "sdnType",
                "unknown sdnType \"%.40s\"", v);
  } else if (emb__xml_eq(name, "title")) {
    rc = emb__entity_add_str(t, &e->titles, keep(st, text, len));
  } else if (emb__xml_eq(name, "remarks")) {
    const char *v = keep(st, text, len);
    if (v) {
      rc = emb__entity_add_str(t, &e->remarks, v);
      emb_ofac_where w = {st->ctx->diags, st->file, emb__xml_line(x), "remarks"};
      /* The XML often wraps the whole text in parentheses: "(Linked To: X)". */
      size_t n = strlen(v);
      if (n >= 2 && v[0] == '(' && v[n - 1] == ')' && !memchr(v + 1, '(', n - 2)) {
        v++;
        n -= 2;
      }
      if (!rc)
        rc = emb__ofac_remarks_apply(t, e, v, n, 0, &w);
    }
  }
  if (rc)
    nomem(st, x);
}

/* ----------------------------------------------------------- handlers */

static bool is_item(const char *list, const char *item) {
  static const char *const PAIRS[][2] = {{"programList", "program"},
                                         {"idList", "id"},
                                         {"akaList", "aka"},
                                         {"addressList", "address"},
                                         {"nationalityList", "nationality"},
                                         {"citizenshipList", "citizenship"},
                                         {"dateOfBirthList", "dateOfBirthItem"},
                                         {"placeOfBirthList", "placeOfBirthItem"}};
  for (size_t i = 0; i < sizeof(PAIRS) / sizeof(PAIRS[0]); i++)
    if (emb__xml_eq(list, PAIRS[i][0]) && emb__xml_eq(item, PAIRS[i][1]))
      return true;
  return false;
}

static void on_start(void *ud, emb_xml *x, const char *name, const char **attrs) {
  ofac_state *st = ud;
  (void)attrs;
  int depth = emb__xml_depth(x);
  if (depth == 1) {
    st->root_seen = true;
    if (!emb__xml_eq(name, "sdnList")) {
      emb__error(st->ctx->diags, EMB_EFORMAT, st->file, emb__xml_line(x), emb__xml_column(x), name,
                 "root element <%s> is not <sdnList>: not an OFAC XML list", name);
      fail(st, x, EMB_EFORMAT);
    }
    return;
  }
  if (!st->rec_depth) {
    if (depth == 2 && emb__xml_eq(name, "sdnEntry"))
      record_begin(st, x);
    return;
  }
  int d = depth - st->rec_depth;
  if ((d == 2 && is_item(emb__xml_parent(x, 1), name)) ||
      (d == 1 && emb__xml_eq(name, "vesselInfo"))) {
    snprintf(st->item, sizeof(st->item), "%s", name);
    st->item_depth = depth;
    st->item_line = emb__xml_line(x);
    memset(st->f, 0, sizeof(st->f));
  }
}

static void on_end(void *ud, emb_xml *x, const char *name, const char *text, size_t len) {
  ofac_state *st = ud;
  if (st->rc)
    return;
  int depth = emb__xml_depth(x);
  if (!st->rec_depth) {
    if (depth == 3 && emb__xml_eq(emb__xml_parent(x, 1), "publshInformation")) {
      char buf[64];
      emb__clean_space(text, len, buf, sizeof(buf));
      if (emb__xml_eq(name, "Publish_Date")) {
        emb_date d;
        if (emb__date_parse(buf, strlen(buf), EMB_DATE_ORDER_MDY, &d) == 0 &&
            d.precision == EMB_DATE_DAY) {
          char iso[40];
          snprintf(iso, sizeof(iso), "%04d-%02d-%02d", d.year, d.month, d.day);
          st->ctx->source->published = emb__set_str(st->ctx->set, iso);
        } else {
          emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, emb__xml_line(x), 0, name,
                    "publication date not understood: \"%.40s\"", buf);
        }
      } else if (emb__xml_eq(name, "Record_Count")) {
        char *end = NULL;
        long n = strtol(buf, &end, 10);
        if (end != buf && *end == '\0' && n >= 0)
          st->record_count = n;
      }
    }
    return;
  }
  int d = depth - st->rec_depth;
  if (d == 0) {
    record_end(st, x);
    return;
  }
  int rc = 0;
  if (st->item_depth && depth == st->item_depth && emb__xml_eq(name, st->item)) {
    if (emb__xml_eq(name, "id"))
      rc = commit_id(st);
    else if (emb__xml_eq(name, "aka"))
      rc = commit_aka(st);
    else if (emb__xml_eq(name, "address"))
      rc = commit_address(st);
    else if (emb__xml_eq(name, "nationality"))
      rc = emb__entity_add_country(st->tmp, st->rec, st->f[F_country], EMB_COUNTRY_NATIONALITY);
    else if (emb__xml_eq(name, "citizenship"))
      rc = emb__entity_add_country(st->tmp, st->rec, st->f[F_country], EMB_COUNTRY_CITIZENSHIP);
    else if (emb__xml_eq(name, "dateOfBirthItem"))
      rc = commit_dob(st);
    else if (emb__xml_eq(name, "placeOfBirthItem"))
      rc = commit_pob(st);
    else if (emb__xml_eq(name, "vesselInfo"))
      rc = commit_vessel(st);
    else if (emb__xml_eq(name, "program")) {
      const char *v = keep(st, text, len);
      if (non_sdn_program(v))
        st->marked = true;
      rc = emb__entity_add_str(st->tmp, &st->rec->programs, v);
    }
    st->item_depth = 0;
    st->item[0] = '\0';
  } else if (st->item_depth && depth == st->item_depth + 1) {
    for (int i = 0; i < F_COUNT; i++)
      if (emb__xml_eq(name, FIELD_NAMES[i])) {
        const char *v = keep(st, text, len);
        if (v && !st->f[i])
          st->f[i] = v;
        else if (v)
          st->f[i] = emb__xml_join2(st->tmp, st->f[i], "; ", v);
        break;
      }
  } else if (d == 1) {
    entry_field(st, x, name, text, len);
  }
  if (rc)
    nomem(st, x);
}

/* ------------------------------------------------------------- public */

bool emb__sniff_ofac_xml(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  return emb__xml_has_bytes(head, n, "<sdnList") &&
         (emb__xml_has_bytes(head, n, "sdnList.xsd") || emb__xml_has_bytes(head, n, "<sdnEntry") ||
          emb__xml_has_bytes(head, n, "<publshInformation"));
}

int emb__load_ofac_xml(emb_load_ctx *ctx) {
  emb_input *in = NULL;
  int rc = emb__load_open(ctx, ctx->path, &in);
  if (rc)
    return rc;
  ofac_state st;
  memset(&st, 0, sizeof(st));
  st.ctx = ctx;
  st.file = emb__input_name(in);
  st.record_count = -1;
  static const emb_xml_handlers H = {on_start, on_end};
  rc = emb__xml_parse(in, &H, &st, 0, ctx->diags);
  if (st.rec_depth) {
    char which[MAX_UID + 16] = "";
    if (st.uid[0])
      snprintf(which, sizeof(which), " (uid %s)", st.uid);
    emb__error(ctx->diags, rc ? rc : EMB_ETRUNCATED, st.file, st.rec_line, 0, NULL,
               "the sdnEntry starting here%s is incomplete and was not loaded", which);
    st.n_lost++;
    record_discard(&st);
  }
  /* The list every entity of this file is on, decided by the entries' marks. */
  const char *list = st.n_marked * 2 > st.n_records ? "Non-SDN" : "SDN";
  for (size_t i = 0; i < st.n_loaded; i++) {
    emb_entity *e = emb__set_at(ctx->set, st.loaded[i]);
    int r = e ? emb__entity_add_str(ctx->set, &e->lists, list) : 0;
    if (r && !rc)
      rc = r;
  }
  if (!rc && st.record_count >= 0 && (size_t)st.record_count != st.n_records + st.n_lost)
    emb__warn(ctx->diags, EMB_EFORMAT, st.file, 0, 0, "Record_Count",
              "the file says it holds %ld entries but %zu were found", st.record_count,
              st.n_records + st.n_lost);
  emb__input_close(in);
  free(st.scratch);
  free(st.loaded);
  ctx->source->n_records = st.n_records;
  if (!rc && st.rc)
    rc = st.rc;
  if (!rc && st.n_lost)
    rc = EMB_EFORMAT;
  return rc;
}
