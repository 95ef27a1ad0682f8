/*
 * load_un_xml.c - the UN Security Council consolidated list, XML (sc-sanctions.xsd).
 *
 * The file is CONSOLIDATED_LIST (dateGenerated) with INDIVIDUALS/INDIVIDUAL and
 * ENTITIES/ENTITY records. Each record is read into a scratch entity of its own
 * small set and copied into the caller's set only when its end tag is reached, so a
 * record cut short by a truncated or broken file is never half loaded, and a record
 * whose DATAID comes late (the schema puts it first, but nothing relies on that)
 * loses nothing. The mapping of every element is in docs/formats/un-xml.md; in short:
 *
 *   id "un:<DATAID>", source "un", INDIVIDUAL -> Person, ENTITY -> Organization;
 *   FIRST_NAME..FOURTH_NAME joined -> the primary name, whole (the UN's name order is
 *   not given/family: "RI WON HO" has the family name first), ';' separates names;
 *   NAME_ORIGINAL_SCRIPT -> a strong alias (script detected); *_ALIAS by QUALITY:
 *   Good and a.k.a. strong, Low weak, f.k.a. a former name; UN_LIST_TYPE -> list and
 *   programme; REFERENCE_NUMBER -> identifier "un_reference"; LISTED_ON, DELISTED_ON;
 *   dates of birth by TYPE_OF_DATE (EXACT, APPROXIMATELY = circa, BETWEEN = a year
 *   range); places of birth, nationalities, documents, addresses, gender, titles and
 *   designations, COMMENTS1 as a remark.
 *
 * The loader owns its state and the scratch set; everything it adds is owned by the
 * caller's set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xml.h"
#include "lists/date.h"
#include "lists/loader.h"
#include "lists/xml_util.h"

#define MAX_ID 64

/* Fields of the repeated groups (alias, address, date and place of birth, document). */
/* clang-format off */
#define GROUP_FIELDS(X)                                                                            \
  X(QUALITY)                                                                                       \
  X(ALIAS_NAME) X(DATE_OF_BIRTH) X(CITY_OF_BIRTH) X(COUNTRY_OF_BIRTH) X(NOTE) X(TYPE_OF_DATE)      \
      X(DATE) X(YEAR) X(FROM_YEAR) X(TO_YEAR) X(CITY) X(STATE_PROVINCE) X(COUNTRY) X(STREET)       \
          X(ZIP_CODE) X(TYPE_OF_DOCUMENT) X(TYPE_OF_DOCUMENT2) X(NUMBER) X(ISSUING_COUNTRY)        \
              X(COUNTRY_OF_ISSUE) X(DATE_OF_ISSUE) X(CITY_OF_ISSUE)
/* clang-format on */

enum {
#define X(f) G_##f,
  GROUP_FIELDS(X)
#undef X
      G_COUNT
};

static const char *const GROUP_FIELD_NAMES[G_COUNT] = {
#define X(f) #f,
    GROUP_FIELDS(X)
#undef X
};

typedef enum {
  GRP_NONE = 0,
  GRP_ALIAS,   /* INDIVIDUAL_ALIAS, ENTITY_ALIAS */
  GRP_ADDRESS, /* INDIVIDUAL_ADDRESS, ENTITY_ADDRESS */
  GRP_DOB,     /* INDIVIDUAL_DATE_OF_BIRTH */
  GRP_POB,     /* INDIVIDUAL_PLACE_OF_BIRTH */
  GRP_DOC,     /* INDIVIDUAL_DOCUMENT */
  GRP_VALUES   /* DESIGNATION, TITLE, NATIONALITY, LIST_TYPE, LAST_DAY_UPDATED: VALUE lists */
} group_kind;

typedef struct un_state {
  emb_load_ctx *ctx;
  const char *file;    /* name for diagnostics (path or path!member) */
  emb_entity_set *tmp; /* scratch set holding the record being read */
  emb_entity *rec;     /* the scratch entity (the only one in tmp) */
  int rec_depth;       /* depth of the open INDIVIDUAL/ENTITY, 0 when none */
  emb_schema rec_schema;
  unsigned long rec_line;
  char dataid[MAX_ID];      /* empty until DATAID is read */
  const char *name_part[4]; /* FIRST_NAME..FOURTH_NAME, in the scratch arena */
  group_kind grp;
  char grp_name[32];
  unsigned long grp_line;
  const char *g[G_COUNT]; /* the open group's fields, in the scratch arena */
  char *scratch;          /* text cleaning buffer */
  size_t scratch_size;
  bool root_seen;
  size_t n_records; /* records loaded */
  size_t n_lost;    /* records dropped for an error */
  int rc;           /* a fatal error of our own (out of memory, not a UN list) */
} un_state;

/* ------------------------------------------------------------ helpers */

static void fail(un_state *st, emb_xml *x, int rc) {
  if (!st->rc)
    st->rc = rc;
  emb__xml_stop(x, rc);
}

static void nomem(un_state *st, emb_xml *x) {
  emb__error(st->ctx->diags, EMB_ENOMEM, st->file, emb__xml_line(x), 0, NULL, "out of memory");
  fail(st, x, EMB_ENOMEM);
}

/* Whitespace-collapsed copy of text in the scratch arena, or NULL when it is blank. */
static const char *keep(un_state *st, const char *text, size_t len) {
  if (!len)
    return NULL;
  if (st->scratch_size < len + 1) {
    char *p = realloc(st->scratch, len + 1);
    if (!p)
      return NULL;
    st->scratch = p;
    st->scratch_size = len + 1;
  }
  emb__clean_space(text, len, st->scratch, len + 1);
  if (!st->scratch[0])
    return NULL;
  return emb__set_str(st->tmp, st->scratch);
}

/* Adds each ';'-separated part of text as a name of the given kind and strength. */
static int add_names(un_state *st, const char *text, emb_name_kind kind, emb_strength strength) {
  if (!text)
    return 0;
  const char *p = text;
  while (*p) {
    const char *q = strchr(p, ';');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    const char *part = keep(st, p, n);
    if (part) {
      int rc = emb__entity_add_name_simple(st->tmp, st->rec, part, kind, strength);
      if (rc)
        return rc;
    }
    p += n;
    if (*p == ';')
      p++;
  }
  return 0;
}

/* Parses a year of 1..9999 written with digits only; 0 when it is not one. */
static int parse_year(const char *s) {
  if (!s)
    return 0;
  int y = 0;
  size_t i = 0;
  for (; i < 5 && s[i]; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    y = y * 10 + (s[i] - '0');
  }
  return (s[i] == '\0' && i >= 3 && i <= 4 && y > 0) ? y : 0;
}

/* Parses an ISO date that may carry a time or a zone ("2015-04-07-04:00"). */
static int parse_iso_date(const char *s, emb_date *d) {
  memset(d, 0, sizeof(*d));
  if (!s)
    return EMB_EFORMAT;
  size_t n = strlen(s);
  if (n > 10 && s[4] == '-' && s[7] == '-')
    n = 10;
  return emb__date_parse(s, n, EMB_DATE_ORDER_DMY, d);
}

typedef struct date_cb {
  un_state *st;
  int rc;
} date_cb;

static void add_date_cb(const emb_date *d, void *ud) {
  date_cb *c = ud;
  int rc = emb__entity_add_birth_date(c->st->tmp, c->st->rec, d);
  if (rc)
    c->rc = rc;
}

/* The embargo identifier type for a UN document label. */
static const char *doc_type(const char *type, const char *type2) {
  const char *labels[2] = {type2, type};
  for (int i = 0; i < 2; i++) {
    const char *s = labels[i];
    if (!s)
      continue;
    if (emb__xml_has_ci(s, "passport") || emb__xml_has_ci(s, "pasaporte") ||
        emb__xml_has_ci(s, "passeport"))
      return "passport";
    if (emb__xml_has_ci(s, "fiscal code") || emb__xml_has_ci(s, "tax"))
      return "tax_id";
    if (emb__xml_has_ci(s, "identif") || emb__xml_has_ci(s, "identity") ||
        emb__xml_has_ci(s, "national number") || emb__xml_has_ci(s, "tazkira") ||
        emb__xml_has_ci(s, "id card") || emb__xml_has_ci(s, "social security") ||
        emb__xml_has_ci(s, "personalausweis"))
      return "national_id";
  }
  return "other";
}

/* ------------------------------------------------------ group commits */

static int commit_alias(un_state *st) {
  const char *q = st->g[G_QUALITY];
  emb_name_kind kind = EMB_NAME_ALIAS;
  emb_strength strength = EMB_STRONG;
  if (emb__xml_ieq(q, "Low")) {
    strength = EMB_WEAK;
  } else if (emb__xml_ieq(q, "f.k.a.")) {
    kind = EMB_NAME_FORMER;
  } else if (q && !emb__xml_ieq(q, "Good") && !emb__xml_ieq(q, "a.k.a.")) {
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->grp_line, 0, "QUALITY",
              "alias quality \"%.40s\" is not Good, Low, a.k.a. or f.k.a.; read as a strong "
              "alias",
              q);
  }
  int rc = add_names(st, st->g[G_ALIAS_NAME], kind, strength);
  if (!rc && st->g[G_DATE_OF_BIRTH]) {
    date_cb c = {st, 0};
    const char *t = st->g[G_DATE_OF_BIRTH];
    if (emb__date_parse_list(t, strlen(t), EMB_DATE_ORDER_DMY, add_date_cb, &c) > 0)
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->grp_line, 0, "DATE_OF_BIRTH",
                "date not understood: \"%.80s\"", t);
    rc = c.rc;
  }
  const char *place =
      emb__xml_join2(st->tmp, st->g[G_CITY_OF_BIRTH], ", ", st->g[G_COUNTRY_OF_BIRTH]);
  if (!rc && place)
    rc = emb__entity_add_str(st->tmp, &st->rec->birth_places, place);
  if (!rc && st->g[G_COUNTRY_OF_BIRTH])
    rc = emb__entity_add_country(st->tmp, st->rec, st->g[G_COUNTRY_OF_BIRTH], EMB_COUNTRY_BIRTH);
  return rc;
}

static int commit_dob(un_state *st) {
  const char *type = st->g[G_TYPE_OF_DATE];
  bool circa = emb__xml_ieq(type, "APPROXIMATELY");
  bool between = emb__xml_ieq(type, "BETWEEN");
  if (type && !circa && !between && !emb__xml_ieq(type, "EXACT"))
    emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->grp_line, 0, "TYPE_OF_DATE",
              "unknown TYPE_OF_DATE \"%.40s\"; read as EXACT", type);
  emb_date d;
  memset(&d, 0, sizeof(d));
  bool have = false;
  if (st->g[G_FROM_YEAR] || st->g[G_TO_YEAR]) {
    int from = parse_year(st->g[G_FROM_YEAR]);
    int to = parse_year(st->g[G_TO_YEAR]);
    if ((st->g[G_FROM_YEAR] && !from) || (st->g[G_TO_YEAR] && !to))
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->grp_line, 0, "FROM_YEAR",
                "year range not understood: \"%.20s\" to \"%.20s\"",
                st->g[G_FROM_YEAR] ? st->g[G_FROM_YEAR] : "",
                st->g[G_TO_YEAR] ? st->g[G_TO_YEAR] : "");
    if (from && to && to < from) {
      int t = from;
      from = to;
      to = t;
    }
    if (from || to) {
      d.year = (int16_t)(from ? from : to);
      d.year_to = (int16_t)((from && to && to != from) ? to : 0);
      d.precision = EMB_DATE_YEAR;
      have = true;
    }
  }
  if (!have && st->g[G_DATE]) {
    if (parse_iso_date(st->g[G_DATE], &d) == 0 && d.precision != EMB_DATE_NONE)
      have = true;
    else
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->grp_line, 0, "DATE",
                "date of birth not understood: \"%.80s\"", st->g[G_DATE]);
  }
  if (!have && st->g[G_YEAR]) {
    int y = parse_year(st->g[G_YEAR]);
    if (y) {
      memset(&d, 0, sizeof(d));
      d.year = (int16_t)y;
      d.precision = EMB_DATE_YEAR;
      have = true;
    } else {
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->grp_line, 0, "YEAR",
                "year of birth not understood: \"%.40s\"", st->g[G_YEAR]);
    }
  }
  int rc = 0;
  if (have) {
    if (circa)
      d.circa = true;
    rc = emb__entity_add_birth_date(st->tmp, st->rec, &d);
  }
  /* A second DATE or YEAR in one group (not in the schema): every one is kept. */
  if (!rc && have && st->g[G_DATE] && strchr(st->g[G_DATE], ';')) {
    date_cb c = {st, 0};
    emb__date_parse_list(st->g[G_DATE], strlen(st->g[G_DATE]), EMB_DATE_ORDER_DMY, add_date_cb, &c);
    rc = c.rc;
  }
  if (!rc && st->g[G_NOTE]) {
    const char *r = emb__xml_join2(st->tmp, "Date of birth: ", "", st->g[G_NOTE]);
    rc = r ? emb__entity_add_str(st->tmp, &st->rec->remarks, r) : EMB_ENOMEM;
  }
  return rc;
}

static int commit_pob(un_state *st) {
  const char *place = emb__xml_join2(st->tmp, st->g[G_STREET], ", ", st->g[G_CITY]);
  place = emb__xml_join2(st->tmp, place, ", ", st->g[G_STATE_PROVINCE]);
  place = emb__xml_join2(st->tmp, place, ", ", st->g[G_COUNTRY]);
  int rc = 0;
  if (place)
    rc = emb__entity_add_str(st->tmp, &st->rec->birth_places, place);
  if (!rc && st->g[G_COUNTRY])
    rc = emb__entity_add_country(st->tmp, st->rec, st->g[G_COUNTRY], EMB_COUNTRY_BIRTH);
  return rc;
}

static int commit_address(un_state *st) {
  emb_address a;
  memset(&a, 0, sizeof(a));
  a.street = st->g[G_STREET];
  a.city = st->g[G_CITY];
  a.region = st->g[G_STATE_PROVINCE];
  a.postal_code = st->g[G_ZIP_CODE];
  a.country = st->g[G_COUNTRY];
  return emb__entity_add_address(st->tmp, st->rec, &a);
}

static int commit_doc(un_state *st) {
  const char *t1 = st->g[G_TYPE_OF_DOCUMENT], *t2 = st->g[G_TYPE_OF_DOCUMENT2];
  const char *label = t1;
  if (t2)
    label = t1 ? emb__xml_join2(st->tmp, t1, " / ", t2) : t2;
  const char *note = emb__xml_join2(st->tmp, label, "; ", st->g[G_NOTE]);
  if (st->g[G_DATE_OF_ISSUE]) {
    const char *issued = emb__xml_join2(st->tmp, "issued ", "", st->g[G_DATE_OF_ISSUE]);
    note = emb__xml_join2(st->tmp, note, "; ", issued);
  }
  if (st->g[G_CITY_OF_ISSUE]) {
    const char *where = emb__xml_join2(st->tmp, "issued in ", "", st->g[G_CITY_OF_ISSUE]);
    note = emb__xml_join2(st->tmp, note, "; ", where);
  }
  const char *country =
      st->g[G_ISSUING_COUNTRY] ? st->g[G_ISSUING_COUNTRY] : st->g[G_COUNTRY_OF_ISSUE];
  if (st->g[G_NUMBER])
    return emb__entity_add_id(st->tmp, st->rec, doc_type(t1, t2), st->g[G_NUMBER], country, note);
  if (note) { /* a document described without its number: keep the words */
    const char *r = emb__xml_join2(st->tmp, "Document: ", "", note);
    return r ? emb__entity_add_str(st->tmp, &st->rec->remarks, r) : EMB_ENOMEM;
  }
  return 0;
}

/* ----------------------------------------------------------- records */

static void record_begin(un_state *st, emb_xml *x, emb_schema schema) {
  st->tmp = emb_set_new();
  st->rec = st->tmp ? emb__set_upsert(st->tmp, "record", NULL) : NULL;
  if (!st->rec) {
    nomem(st, x);
    return;
  }
  st->rec_depth = emb__xml_depth(x);
  st->rec_schema = schema;
  st->rec_line = emb__xml_line(x);
  st->dataid[0] = '\0';
  memset(st->name_part, 0, sizeof(st->name_part));
  st->grp = GRP_NONE;
}

static void record_discard(un_state *st) {
  emb_set_free(st->tmp);
  st->tmp = NULL;
  st->rec = NULL;
  st->rec_depth = 0;
  st->grp = GRP_NONE;
}

/* Copies the scratch record into the caller's set as entity `id`. */
static int copy_record(un_state *st, const char *id) {
  emb_entity *s = st->rec;
  emb_entity *e = emb__set_upsert(st->ctx->set, id, NULL);
  if (!e)
    return EMB_ENOMEM;
  s->schema = st->rec_schema;
  s->source = "un"; /* static; emb__entity_merge copies it */
  /* Primary names first (they are built last, from the name parts). */
  emb__entity_primary_first(s);
  /* A DATAID read again keeps the LISTED_ON it was first read with. */
  if (e->listed_on.precision != EMB_DATE_NONE)
    s->listed_on.precision = EMB_DATE_NONE;
  return emb__entity_merge(st->ctx->set, e, s, SIZE_MAX, NULL);
}

static void record_end(un_state *st, emb_xml *x, const char *name) {
  if (!st->dataid[0]) {
    emb__error(st->ctx->diags, EMB_EFORMAT, st->file, st->rec_line, 0, "DATAID",
               "<%s> record has no DATAID; it is not loaded", name);
    st->n_lost++;
    record_discard(st);
    return;
  }
  /* The primary name: the name parts as the UN orders them, joined. */
  const char *full = NULL;
  for (int i = 0; i < 4; i++)
    full = emb__xml_join2(st->tmp, full, " ", st->name_part[i]);
  int rc = add_names(st, full, EMB_NAME_PRIMARY, EMB_STRONG);
  if (!rc) {
    bool named = false;
    for (size_t i = 0; i < st->rec->n_names; i++)
      named = named || st->rec->names[i].kind == EMB_NAME_PRIMARY;
    if (!named)
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, st->rec_line, 0, "FIRST_NAME",
                "record %s has no name", st->dataid);
    char id[MAX_ID + 8];
    snprintf(id, sizeof(id), "un:%s", st->dataid);
    rc = copy_record(st, id);
  }
  record_discard(st);
  if (rc) {
    nomem(st, x);
    return;
  }
  st->n_records++;
}

/* A direct child of the record that is not a group. */
static int record_field(un_state *st, emb_xml *x, const char *name, const char *text, size_t len) {
  emb_entity_set *t = st->tmp;
  emb_entity *e = st->rec;
  unsigned long line = emb__xml_line(x);
  static const char *const NAME_FIELDS[4] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                             "FOURTH_NAME"};
  for (int i = 0; i < 4; i++)
    if (emb__xml_eq(name, NAME_FIELDS[i])) {
      const char *v = keep(st, text, len);
      st->name_part[i] = emb__xml_join2(st->tmp, st->name_part[i], " ", v);
      return 0;
    }
  if (emb__xml_eq(name, "DATAID")) {
    const char *v = keep(st, text, len);
    bool ok = v && strlen(v) < MAX_ID;
    for (const char *p = v; ok && *p; p++)
      ok = (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
           *p == '-' || *p == '.' || *p == '_';
    if (!ok) {
      emb__error(st->ctx->diags, EMB_EFORMAT, st->file, line, 0, "DATAID",
                 "DATAID \"%.40s\" is not an identifier", v ? v : "");
      return 0;
    }
    if (st->dataid[0] && strcmp(st->dataid, v) != 0)
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, line, 0, "DATAID",
                "second DATAID %s in record %s is ignored", v, st->dataid);
    else
      snprintf(st->dataid, sizeof(st->dataid), "%s", v);
    return 0;
  }
  if (emb__xml_eq(name, "UN_LIST_TYPE")) {
    const char *v = keep(st, text, len);
    int rc = emb__entity_add_str(t, &e->lists, v);
    return rc ? rc : emb__entity_add_str(t, &e->programs, v);
  }
  if (emb__xml_eq(name, "REFERENCE_NUMBER"))
    return emb__entity_add_id(t, e, "un_reference", keep(st, text, len), NULL, NULL);
  if (emb__xml_eq(name, "LISTED_ON") || emb__xml_eq(name, "DELISTED_ON")) {
    const char *v = keep(st, text, len);
    if (!v)
      return 0;
    emb_date d;
    if (parse_iso_date(v, &d) != 0 || d.precision == EMB_DATE_NONE) {
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, line, 0, name,
                "date not understood: \"%.80s\"", v);
      return 0;
    }
    if (emb__xml_eq(name, "LISTED_ON"))
      e->listed_on = d;
    else
      e->end_date = d;
    return 0;
  }
  if (emb__xml_eq(name, "GENDER")) {
    const char *v = keep(st, text, len);
    if (emb__xml_ieq(v, "Male"))
      e->gender = "male";
    else if (emb__xml_ieq(v, "Female"))
      e->gender = "female";
    else if (v && !emb__xml_ieq(v, "Unknown"))
      emb__warn(st->ctx->diags, EMB_EFORMAT, st->file, line, 0, name,
                "gender \"%.40s\" is neither Male, Female nor Unknown; ignored", v);
    return 0;
  }
  if (emb__xml_eq(name, "NAME_ORIGINAL_SCRIPT"))
    return add_names(st, keep(st, text, len), EMB_NAME_ALIAS, EMB_STRONG);
  if (emb__xml_eq(name, "COMMENTS1"))
    return emb__entity_add_str(t, &e->remarks, keep(st, text, len));
  if (emb__xml_eq(name, "NATIONALITY2"))
    return emb__entity_add_country(t, e, keep(st, text, len), EMB_COUNTRY_NATIONALITY);
  /* VERSIONNUM, SUBMITTED_BY, SUBMITTED_ON, SORT_KEY, SORT_KEY_LAST_MOD and unknown
     elements carry nothing the entity model holds. */
  return 0;
}

/* ----------------------------------------------------------- handlers */

static group_kind group_of(const char *name) {
  if (emb__xml_eq(name, "INDIVIDUAL_ALIAS") || emb__xml_eq(name, "ENTITY_ALIAS"))
    return GRP_ALIAS;
  if (emb__xml_eq(name, "INDIVIDUAL_ADDRESS") || emb__xml_eq(name, "ENTITY_ADDRESS"))
    return GRP_ADDRESS;
  if (emb__xml_eq(name, "INDIVIDUAL_DATE_OF_BIRTH"))
    return GRP_DOB;
  if (emb__xml_eq(name, "INDIVIDUAL_PLACE_OF_BIRTH"))
    return GRP_POB;
  if (emb__xml_eq(name, "INDIVIDUAL_DOCUMENT"))
    return GRP_DOC;
  if (emb__xml_eq(name, "DESIGNATION") || emb__xml_eq(name, "TITLE") ||
      emb__xml_eq(name, "NATIONALITY") || emb__xml_eq(name, "LIST_TYPE") ||
      emb__xml_eq(name, "LAST_DAY_UPDATED"))
    return GRP_VALUES;
  return GRP_NONE;
}

static void on_start(void *ud, emb_xml *x, const char *name, const char **attrs) {
  un_state *st = ud;
  int depth = emb__xml_depth(x);
  if (depth == 1) {
    st->root_seen = true;
    if (!emb__xml_eq(name, "CONSOLIDATED_LIST")) {
      emb__error(st->ctx->diags, EMB_EFORMAT, st->file, emb__xml_line(x), emb__xml_column(x), name,
                 "root element <%s> is not <CONSOLIDATED_LIST>: not a UN consolidated list", name);
      fail(st, x, EMB_EFORMAT);
      return;
    }
    const char *date = emb__xml_attr(attrs, "dateGenerated");
    if (date && strlen(date) >= 10) {
      emb_date d;
      if (parse_iso_date(date, &d) == 0 && d.precision == EMB_DATE_DAY)
        st->ctx->source->published = emb__set_strn(st->ctx->set, date, 10);
    }
    return;
  }
  if (!st->rec_depth) {
    const char *parent = emb__xml_parent(x, 1);
    if (emb__xml_eq(name, "INDIVIDUAL") && emb__xml_eq(parent, "INDIVIDUALS"))
      record_begin(st, x, EMB_SCHEMA_PERSON);
    else if (emb__xml_eq(name, "ENTITY") && emb__xml_eq(parent, "ENTITIES"))
      record_begin(st, x, EMB_SCHEMA_ORGANIZATION);
    return;
  }
  if (depth == st->rec_depth + 1) {
    st->grp = group_of(name);
    if (st->grp != GRP_NONE) {
      snprintf(st->grp_name, sizeof(st->grp_name), "%s", name);
      st->grp_line = emb__xml_line(x);
      memset(st->g, 0, sizeof(st->g));
    }
  }
}

static void on_end(void *ud, emb_xml *x, const char *name, const char *text, size_t len) {
  un_state *st = ud;
  if (!st->rec_depth || st->rc)
    return;
  int d = emb__xml_depth(x) - st->rec_depth;
  int rc = 0;
  if (d == 0) {
    record_end(st, x, name);
    return;
  }
  if (d == 1) {
    if (st->grp != GRP_NONE && emb__xml_eq(name, st->grp_name)) {
      switch (st->grp) {
      case GRP_ALIAS: rc = commit_alias(st); break;
      case GRP_DOB: rc = commit_dob(st); break;
      case GRP_POB: rc = commit_pob(st); break;
      case GRP_ADDRESS: rc = commit_address(st); break;
      case GRP_DOC: rc = commit_doc(st); break;
      default: break;
      }
      st->grp = GRP_NONE;
    } else {
      rc = record_field(st, x, name, text, len);
    }
  } else if (d == 2 && st->grp == GRP_VALUES && emb__xml_eq(name, "VALUE")) {
    const char *v = keep(st, text, len);
    if (emb__xml_eq(st->grp_name, "DESIGNATION") || emb__xml_eq(st->grp_name, "TITLE"))
      rc = emb__entity_add_str(st->tmp, &st->rec->titles, v);
    else if (emb__xml_eq(st->grp_name, "NATIONALITY"))
      rc = emb__entity_add_country(st->tmp, st->rec, v, EMB_COUNTRY_NATIONALITY);
  } else if (d == 2 && st->grp != GRP_NONE && st->grp != GRP_VALUES) {
    for (int i = 0; i < G_COUNT; i++)
      if (emb__xml_eq(name, GROUP_FIELD_NAMES[i])) {
        const char *v = keep(st, text, len);
        if (v) {
          st->g[i] = emb__xml_join2(st->tmp, st->g[i], "; ", v);
          if (!st->g[i])
            rc = EMB_ENOMEM;
        }
        break;
      }
  }
  if (rc)
    nomem(st, x);
}

/* ------------------------------------------------------------- public */

bool emb__sniff_un_xml(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  return emb__xml_has_bytes(head, n, "<CONSOLIDATED_LIST") &&
         (emb__xml_has_bytes(head, n, "<INDIVIDUALS") || emb__xml_has_bytes(head, n, "<ENTITIES") ||
          emb__xml_has_bytes(head, n, "sc-sanctions") ||
          emb__xml_has_bytes(head, n, "dateGenerated"));
}

int emb__load_un_xml(emb_load_ctx *ctx) {
  emb_input *in = NULL;
  int rc = emb__load_open(ctx, ctx->path, &in);
  if (rc)
    return rc;
  un_state st;
  memset(&st, 0, sizeof(st));
  st.ctx = ctx;
  st.file = emb__input_name(in);
  static const emb_xml_handlers H = {on_start, on_end};
  rc = emb__xml_parse(in, &H, &st, 0, ctx->diags);
  if (st.rec_depth) {
    char which[MAX_ID + 16] = "";
    if (st.dataid[0])
      snprintf(which, sizeof(which), " (DATAID %s)", st.dataid);
    emb__error(ctx->diags, rc ? rc : EMB_ETRUNCATED, st.file, st.rec_line, 0, NULL,
               "the record starting here%s is incomplete and was not loaded", which);
    st.n_lost++;
    record_discard(&st);
  }
  if (!rc && !st.root_seen) {
    emb__error(ctx->diags, EMB_EFORMAT, st.file, 0, 0, NULL, "no XML element found");
    rc = EMB_EFORMAT;
  }
  emb__input_close(in);
  free(st.scratch);
  ctx->source->n_records = st.n_records;
  if (!rc && st.rc)
    rc = st.rc;
  if (!rc && st.n_lost)
    rc = EMB_EFORMAT;
  return rc;
}
