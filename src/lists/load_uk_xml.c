/*
 * load_uk_xml.c - the UK Sanctions List XML published by the FCDO (the format OFSI's
 * consolidated list moved to in 2026).
 *
 * The file is <Designations> with a <DateGenerated> (dd/mm/yyyy) and one <Designation>
 * per listing under a regime; almost all data is element text. docs/formats/uk-xml.md
 * gives the full mapping; the rules that need a decision are these:
 *
 *   - id "uk:<OFSIGroupID>", which is the OFSI CSV's Group ID, so both formats of the
 *     same list merge into one entity; "uk:<UniqueID>" when there is no group id (ships
 *     often have none). A Designation with neither is an error naming its line; it is
 *     skipped and the loader returns EMB_EFORMAT. Designations sharing a group id merge.
 *   - NameType "Primary Name" -> PRIMARY, "Alias" -> ALIAS, "Primary Name Variation" ->
 *     VARIATION; AliasStrength "Good quality a.k.a" -> strong, "Low quality a.k.a" -> weak.
 *     Non-Latin names are strong ALIASes.
 *   - Name parts, for individuals only: Name1 is the given name, Name2..Name5 the middle
 *     names, Name6 the family name; the full name is Name1..Name6 joined with spaces.
 *     For entities and ships Name6 (or the joined parts) is the name without parts.
 *   - Dates are dd/mm/yyyy, with "dd", "mm" or "00" for unknown parts.
 *   - IndividualEntityShip Individual -> Person, Entity -> Organization, Ship -> Vessel.
 *
 * Each Designation is read into a scratch entity set first and copied into the caller's
 * set only when its end tag has been seen: the id elements can come after other data,
 * and a truncated file keeps exactly the designations that were complete. Values of one
 * kind are capped per entity (MAX_VALUES) so a hostile file cannot make the
 * de-duplicating builders quadratic.
 */
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

#define MAX_TEXT (1u << 20) /* text of one element; statements of reasons are the longest */
#define MAX_VALUES 5000     /* values of one kind (names, ids...) per entity */
#define MAX_ID_LEN 64       /* group ids are numbers, unique ids like "AFG0001" */
#define N_SLOTS 8

/* A group of elements read together: one name, one address, one passport... */
typedef enum {
  G_NONE = 0,
  G_NAME,        /* Name1..Name6, NameType, AliasStrength */
  G_NONLATIN,    /* NameNonLatinScript, NonLatinScriptType, NonLatinScriptLanguage */
  G_ADDRESS,     /* AddressLine1..6, AddressPostalCode, AddressCountry */
  G_PASSPORT,    /* PassportNumber, PassportAdditionalInformation */
  G_NATIONAL_ID, /* NationalIdentifierNumber, NationalIdentifierAdditionalInformation */
  G_BIRTH_PLACE  /* TownOfBirth, CountryOfBirth */
} group_kind;

/* The element that starts each group and the fields it holds, by slot. */
static const struct {
  const char *element;
  const char *fields[N_SLOTS];
} GROUPS[] = {
    [G_NONE] = {NULL, {NULL}},
    [G_NAME] = {"Name",
                {"Name1", "Name2", "Name3", "Name4", "Name5", "Name6", "NameType",
                 "AliasStrength"}},
    [G_NONLATIN] = {"NonLatinName",
                    {"NameNonLatinScript", "NonLatinScriptType", "NonLatinScriptLanguage"}},
    [G_ADDRESS] = {"Address",
                   {"AddressLine1", "AddressLine2", "AddressLine3", "AddressLine4", "AddressLine5",
                    "AddressLine6", "AddressPostalCode", "AddressCountry"}},
    [G_PASSPORT] = {"Passport", {"PassportNumber", "PassportAdditionalInformation"}},
    [G_NATIONAL_ID] = {"NationalIdentifier",
                       {"NationalIdentifierNumber", "NationalIdentifierAdditionalInformation"}},
    [G_BIRTH_PLACE] = {"Location", {"TownOfBirth", "CountryOfBirth"}},
};
#define N_GROUPS (sizeof(GROUPS) / sizeof(GROUPS[0]))

typedef struct uk_loader {
  emb_load_ctx *ctx;
  int depth;       /* current element depth, root = 1 */
  int rc;          /* first error that lost data, or 0 */
  bool stopped;    /* the parse was stopped; ignore further events */
  emb_strmap seen; /* ids committed by this load (keys live in ctx->set) */

  /* The Designation being read. */
  bool in_rec;
  unsigned long line;    /* where it starts */
  const char *unique_id; /* in the scratch set */
  const char *group_id;
  emb_entity_set *tmp; /* scratch set holding the designation until its end tag */
  emb_entity *e;       /* the scratch entity */
  bool capped;         /* some values were dropped at MAX_VALUES */

  /* The group being read. */
  group_kind group;
  int group_depth;
  unsigned long group_line;
  const char *slot[N_SLOTS];
} uk_loader;

/* ------------------------------------------------------------ small helpers */

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int date_key(const emb_date *d) {
  return d->year * 10000 + d->month * 100 + d->day;
}

/* Reads 1-2 digits, or the placeholder ph ("dd", "mm") or "00", as 0; -1 when neither. */
static int date_part(const char **p, const char *ph) {
  const char *s = *p;
  if (strncasecmp(s, ph, 2) == 0) {
    *p = s + 2;
    return 0;
  }
  if (s[0] < '0' || s[0] > '9')
    return -1;
  int v = s[0] - '0';
  s++;
  if (*s >= '0' && *s <= '9')
    v = v * 10 + (*s++ - '0');
  *p = s;
  return v;
}

/*
 * Parses a UK date: dd/mm/yyyy where "dd", "mm" or 0 mark unknown parts (also with '-'
 * or '.'), or anything emb__date_parse reads in day-month-year order. Returns 0 or
 * EMB_EFORMAT.
 */
static int parse_uk_date(const char *text, emb_date *out) {
  emb_date d;
  memset(&d, 0, sizeof(d));
  const char *p = text;
  while (is_space(*p))
    p++;
  int day = date_part(&p, "dd");
  char sep = *p;
  if (day >= 0 && (sep == '/' || sep == '-' || sep == '.')) {
    p++;
    int month = date_part(&p, "mm");
    if (month >= 0 && *p == sep) {
      p++;
      int year = 0, digits = 0;
      for (; *p >= '0' && *p <= '9' && digits < 5; p++, digits++)
        year = year * 10 + (*p - '0');
      while (is_space(*p))
        p++;
      static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      if (digits != 4 || *p || year < 1 || month > 12 || (month && day > mdays[month - 1]) ||
          day > 31 || (month == 2 && day == 29 && (year % 4 || (year % 100 == 0 && year % 400))))
        return EMB_EFORMAT;
      d.year = (int16_t)year;
      d.precision = EMB_DATE_YEAR;
      if (month) {
        d.month = (int8_t)month;
        d.precision = EMB_DATE_MONTH;
        if (day) {
          d.day = (int8_t)day;
          d.precision = EMB_DATE_DAY;
        }
      }
      *out = d;
      return 0;
    }
  }
  if (emb__date_parse(text, strlen(text), EMB_DATE_ORDER_DMY, &d) || d.precision == EMB_DATE_NONE)
    return EMB_EFORMAT;
  *out = d;
  return 0;
}

/* ------------------------------------------------------------ diagnostics */

static void warn(uk_loader *l, emb_xml *x, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A warning at the current position of the reader. */
static void warn(uk_loader *l, emb_xml *x, const char *field, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  emb__warn(l->ctx->diags, EMB_EFORMAT, emb__xml_file(x), emb__xml_line(x), emb__xml_column(x),
            field, "%s", msg);
}

/* Out of memory or a broken builder: stop reading. */
static void fail(uk_loader *l, emb_xml *x, int rc) {
  if (!l->rc)
    l->rc = rc;
  l->stopped = true;
  emb__error(l->ctx->diags, rc, emb__xml_file(x), emb__xml_line(x), emb__xml_column(x), NULL, "%s",
             emb_strerror(rc));
  emb__xml_stop(x, rc);
}

/* Parses a date element; warns and returns false when it is not a date. */
static bool text_date(uk_loader *l, emb_xml *x, const char *field, const char *text,
                      emb_date *out) {
  if (emb__xml_blank(text))
    return false;
  if (parse_uk_date(text, out)) {
    warn(l, x, field, "date not understood: \"%.80s\"", text);
    return false;
  }
  return true;
}

/* ------------------------------------------------------------ builders with caps */

static bool room(uk_loader *l, size_t n) {
  if (n < MAX_VALUES)
    return true;
  l->capped = true;
  return false;
}

static int add_str(uk_loader *l, emb_strs *list, const char *s) {
  return room(l, list->count) ? emb__entity_add_str(l->tmp, list, s) : 0;
}

/* Adds "prefix: text" (or text alone) to the remarks. */
static int add_remark(uk_loader *l, const char *prefix, const char *text) {
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

static int add_country(uk_loader *l, const char *raw, emb_country_role role) {
  if (!raw || !room(l, l->e->n_countries))
    return 0;
  return emb__entity_add_country(l->tmp, l->e, raw, role);
}

static int add_id(uk_loader *l, const char *type, const char *value, const char *note) {
  if (!value || !room(l, l->e->n_ids))
    return 0;
  return emb__entity_add_id(l->tmp, l->e, type, value, NULL, note);
}

/* ------------------------------------------------------------ scratch entity */

static void scratch_free(uk_loader *l) {
  emb_set_free(l->tmp);
  l->tmp = NULL;
  l->e = NULL;
}

static int scratch_new(uk_loader *l) {
  scratch_free(l);
  l->tmp = emb_set_new();
  if (!l->tmp)
    return EMB_ENOMEM;
  l->e = emb__set_upsert(l->tmp, "record", NULL);
  return l->e ? 0 : EMB_ENOMEM;
}

/* ------------------------------------------------------------ Designation */

static void rec_start(uk_loader *l, emb_xml *x) {
  l->in_rec = true;
  l->capped = false;
  l->unique_id = l->group_id = NULL;
  l->group = G_NONE;
  l->line = emb__xml_line(x);
  l->ctx->source->n_records++;
  int rc = scratch_new(l);
  if (rc)
    fail(l, x, rc);
  else
    l->e->source = "uk"; /* static; emb__entity_merge copies it */
}

static void rec_end(uk_loader *l, emb_xml *x) {
  l->in_rec = false;
  emb_load_ctx *ctx = l->ctx;
  const char *native = l->group_id ? l->group_id : l->unique_id;
  const char *which = l->group_id ? "OFSIGroupID" : "UniqueID";
  if (!native || strlen(native) > MAX_ID_LEN) {
    if (native)
      emb__error(ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->line, 0, "Designation",
                 "Designation has a %s longer than %d bytes; designation skipped", which,
                 MAX_ID_LEN);
    else
      emb__error(ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->line, 0, "Designation",
                 "Designation has neither an OFSIGroupID nor a UniqueID; designation skipped");
    if (!l->rc)
      l->rc = EMB_EFORMAT;
    scratch_free(l);
    return;
  }
  char id[MAX_ID_LEN + 8];
  snprintf(id, sizeof(id), "uk:%s", native);
  if (!l->e->n_names)
    emb__warn(ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->line, 0, "Designation",
              "designation %s has no name", id);
  if (l->e->schema == EMB_SCHEMA_UNKNOWN)
    emb__warn(ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->line, 0, "IndividualEntityShip",
              "designation %s does not say whether it is an individual, an entity or a ship", id);
  bool created = false;
  emb_entity *d = emb__set_upsert(ctx->set, id, &created);
  if (!d) {
    fail(l, x, EMB_ENOMEM);
    scratch_free(l);
    return;
  }
  size_t dummy;
  if (!emb__strmap_get(&l->seen, d->id, strlen(d->id), &dummy)) {
    if (emb__strmap_put(&l->seen, d->id, strlen(d->id), 1)) {
      fail(l, x, EMB_ENOMEM);
      scratch_free(l);
      return;
    }
    ctx->source->n_entities++;
  }
  /* Name parts are kept for persons only. */
  bool person = l->e->schema == EMB_SCHEMA_PERSON ||
                (l->e->schema == EMB_SCHEMA_UNKNOWN && d->schema == EMB_SCHEMA_PERSON);
  for (size_t i = 0; !person && i < l->e->n_names; i++) {
    emb_name *n = &l->e->names[i];
    n->given = n->middle = n->family = n->patronymic = NULL;
  }
  int rc = emb__entity_merge(ctx->set, d, l->e, MAX_VALUES, &l->capped);
  if (rc)
    fail(l, x, rc);
  if (l->capped)
    emb__warn(ctx->diags, EMB_ETOOBIG, emb__xml_file(x), l->line, 0, "Designation",
              "designation %s has more than %d values of one kind; the rest are ignored", id,
              MAX_VALUES);
  scratch_free(l);
}

/* ------------------------------------------------------------ groups */

static void name_end(uk_loader *l, emb_xml *x) {
  const char *const *v = l->slot;
  const char *full = emb__xml_join_parts(l->tmp, v, 6, " ", emb__xml_blank);
  if (!full) {
    emb__warn(l->ctx->diags, EMB_EFORMAT, emb__xml_file(x), l->group_line, 0, "Name",
              "a Name without Name1..Name6 is ignored");
    return;
  }
  emb_name n;
  memset(&n, 0, sizeof(n));
  n.full = full;
  n.given = v[0];
  n.middle = emb__xml_join_parts(l->tmp, v + 1, 4, " ", emb__xml_blank);
  n.family = v[5];
  const char *type = v[6];
  if (!type) {
    n.kind = EMB_NAME_ALIAS;
    warn(l, x, "NameType", "a name without a NameType is taken as an alias");
  } else if (strcasecmp(type, "Primary Name") == 0) {
    n.kind = EMB_NAME_PRIMARY;
  } else if (strcasecmp(type, "Primary Name Variation") == 0) {
    n.kind = EMB_NAME_VARIATION;
  } else if (strcasecmp(type, "Alias") == 0 || strcasecmp(type, "AKA") == 0) {
    n.kind = EMB_NAME_ALIAS;
  } else {
    n.kind = EMB_NAME_ALIAS;
    warn(l, x, "NameType", "unknown name type \"%.60s\" taken as an alias", type);
  }
  const char *q = v[7];
  n.strength = EMB_STRONG;
  if (q && emb__xml_has_ci(q, "low"))
    n.strength = EMB_WEAK;
  else if (q && !emb__xml_has_ci(q, "good"))
    warn(l, x, "AliasStrength", "unknown alias strength \"%.60s\" taken as strong", q);
  if (!room(l, l->e->n_names))
    return;
  int rc = emb__entity_add_name(l->tmp, l->e, &n);
  if (rc)
    fail(l, x, rc);
}

static void nonlatin_end(uk_loader *l, emb_xml *x) {
  if (!l->slot[0] || !room(l, l->e->n_names))
    return;
  emb_name n;
  memset(&n, 0, sizeof(n));
  n.full = l->slot[0];
  n.lang = l->slot[2];
  n.kind = EMB_NAME_ALIAS;
  n.strength = EMB_STRONG;
  int rc = emb__entity_add_name(l->tmp, l->e, &n);
  if (rc)
    fail(l, x, rc);
}

static void address_end(uk_loader *l, emb_xml *x) {
  const char *const *v = l->slot;
  emb_address a = {0};
  a.street = emb__xml_join_parts(l->tmp, v, 5, ", ", emb__xml_blank);
  a.city = emb__xml_join_parts(l->tmp, v + 5, 1, ", ", emb__xml_blank);
  a.postal_code = emb__xml_join_parts(l->tmp, v + 6, 1, ", ", emb__xml_blank);
  a.country = v[7];
  const char *parts[] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
  a.full = emb__xml_join_parts(l->tmp, parts, 8, ", ", emb__xml_blank);
  if (!a.full || !room(l, l->e->n_addresses))
    return;
  int rc = emb__entity_add_address(l->tmp, l->e, &a);
  if (rc)
    fail(l, x, rc);
}

static void group_end(uk_loader *l, emb_xml *x) {
  int rc = 0;
  switch (l->group) {
  case G_NAME: name_end(l, x); break;
  case G_NONLATIN: nonlatin_end(l, x); break;
  case G_ADDRESS: address_end(l, x); break;
  case G_PASSPORT: rc = add_id(l, "passport", l->slot[0], l->slot[1]); break;
  case G_NATIONAL_ID: rc = add_id(l, "national_id", l->slot[0], l->slot[1]); break;
  case G_BIRTH_PLACE: {
    const char *place = emb__xml_join_parts(l->tmp, l->slot, 2, ", ", emb__xml_blank);
    if (l->slot[0])
      rc = add_str(l, &l->e->birth_places, place);
    if (!rc)
      rc = add_country(l, l->slot[1], EMB_COUNTRY_BIRTH);
    break;
  }
  case G_NONE: break;
  }
  if (rc)
    fail(l, x, rc);
  l->group = G_NONE;
}

/* ------------------------------------------------------------ leaf elements */

/* A direct child of Designation. */
static void designation_field(uk_loader *l, emb_xml *x, const char *name, const char *t) {
  emb_entity *e = l->e;
  emb_date d;
  int rc = 0;
  if (strcmp(name, "UniqueID") == 0) {
    l->unique_id = t;
    rc = add_id(l, "other", t, "UK sanctions list unique ID");
  } else if (strcmp(name, "OFSIGroupID") == 0) {
    l->group_id = t;
  } else if (strcmp(name, "UNReferenceNumber") == 0) {
    rc = add_id(l, "other", t, "UN reference number");
  } else if (strcmp(name, "DateDesignated") == 0) {
    if (text_date(l, x, name, t, &d) &&
        (e->listed_on.precision == EMB_DATE_NONE || date_key(&d) < date_key(&e->listed_on)))
      e->listed_on = d;
  } else if (strcmp(name, "RegimeName") == 0) {
    rc = add_str(l, &e->programs, t);
  } else if (strcmp(name, "IndividualEntityShip") == 0) {
    if (!t)
      return;
    if (strcasecmp(t, "Individual") == 0)
      e->schema = EMB_SCHEMA_PERSON;
    else if (strcasecmp(t, "Entity") == 0)
      e->schema = EMB_SCHEMA_ORGANIZATION;
    else if (strcasecmp(t, "Ship") == 0)
      e->schema = EMB_SCHEMA_VESSEL;
    else
      warn(l, x, name, "unknown kind of designation \"%.60s\"", t);
  } else if (strcmp(name, "OtherInformation") == 0) {
    rc = add_remark(l, NULL, t);
  } else if (strcmp(name, "UKStatementofReasons") == 0) {
    rc = add_remark(l, "Statement of reasons", t);
  }
  if (rc)
    fail(l, x, rc);
}

/* A leaf further down (Individual, Entity and Ship details, Titles), outside any group. */
static void detail_field(uk_loader *l, emb_xml *x, const char *name, const char *t) {
  emb_entity *e = l->e;
  emb_date d;
  int rc = 0;
  if (!t)
    return;
  if (strcmp(name, "DOB") == 0) {
    if (text_date(l, x, name, t, &d) && room(l, e->n_birth_dates))
      rc = emb__entity_add_birth_date(l->tmp, e, &d);
  } else if (strcmp(name, "Title") == 0 || strcmp(name, "Position") == 0) {
    rc = add_str(l, &e->titles, t);
  } else if (strcmp(name, "Nationality") == 0) {
    rc = add_country(l, t, EMB_COUNTRY_NATIONALITY);
  } else if (strcmp(name, "Gender") == 0) {
    if (strcasecmp(t, "Male") == 0)
      e->gender = "male";
    else if (strcasecmp(t, "Female") == 0)
      e->gender = "female";
  } else if (strcmp(name, "IMONumber") == 0) {
    rc = add_id(l, "imo", t, "IMO number");
  } else if (strcmp(name, "BusinessRegistrationNumber") == 0) {
    rc = add_id(l, "registration", t, "Business registration number");
  } else if (strcmp(name, "ParentCompany") == 0 || strcmp(name, "Subsidiary") == 0 ||
             strcmp(name, "CurrentOwnerOperator") == 0) {
    rc = add_str(l, &e->linked_to, t);
  } else if (strcmp(name, "CurrentBelievedFlagOfShip") == 0) {
    rc = add_country(l, t, EMB_COUNTRY_JURISDICTION);
  } else if (strcmp(name, "PreviousFlag") == 0) {
    rc = add_country(l, t, EMB_COUNTRY_OTHER);
  } else if (strcmp(name, "TypeOfEntity") == 0) {
    rc = add_remark(l, "Type of entity", t);
  } else if (strcmp(name, "TypeOfShip") == 0) {
    rc = add_remark(l, "Type of ship", t);
  }
  if (rc)
    fail(l, x, rc);
}

/* ------------------------------------------------------------ XML events */

static void on_start(void *ud, emb_xml *x, const char *name, const char **a) {
  uk_loader *l = ud;
  (void)a;
  l->depth++;
  if (l->stopped)
    return;
  if (l->depth == 1) {
    if (strcmp(name, "Designations") != 0) {
      emb__error(l->ctx->diags, EMB_EFORMAT, emb__xml_file(x), emb__xml_line(x), emb__xml_column(x),
                 name,
                 "not a UK Sanctions List file: the root element is <%.64s>, "
                 "expected <Designations>",
                 name);
      l->rc = EMB_EFORMAT;
      l->stopped = true;
      emb__xml_stop(x, EMB_EFORMAT);
    }
    return;
  }
  if (l->depth == 2) {
    if (strcmp(name, "Designation") == 0)
      rec_start(l, x);
    return;
  }
  if (!l->in_rec || !l->e || l->group != G_NONE)
    return;
  for (size_t g = 1; g < N_GROUPS; g++)
    if (strcmp(name, GROUPS[g].element) == 0) {
      l->group = (group_kind)g;
      l->group_depth = l->depth;
      l->group_line = emb__xml_line(x);
      memset(l->slot, 0, sizeof(l->slot));
      return;
    }
}

static void on_end(void *ud, emb_xml *x, const char *name, const char *text, size_t len) {
  uk_loader *l = ud;
  (void)len;
  int depth = l->depth--;
  if (l->stopped)
    return;
  if (depth == 2) {
    if (l->in_rec && strcmp(name, "Designation") == 0)
      rec_end(l, x);
    else if (strcmp(name, "DateGenerated") == 0 && !emb__xml_blank(text)) {
      emb_date d;
      if (parse_uk_date(text, &d) || d.precision != EMB_DATE_DAY) {
        warn(l, x, name, "date not understood: \"%.80s\"", text);
      } else {
        char buf[24];
        snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.year, d.month, d.day);
        l->ctx->source->published = emb__set_str(l->ctx->set, buf);
      }
    }
    return;
  }
  if (!l->in_rec || !l->e || depth < 3)
    return;
  if (l->group != G_NONE) {
    if (depth == l->group_depth) {
      group_end(l, x);
      return;
    }
    if (depth == l->group_depth + 1)
      for (size_t i = 0; i < N_SLOTS && GROUPS[l->group].fields[i]; i++)
        if (strcmp(name, GROUPS[l->group].fields[i]) == 0) {
          l->slot[i] = emb__xml_keep(l->tmp, text);
          break;
        }
    return;
  }
  const char *t = emb__xml_keep(l->tmp, text);
  if (depth == 3)
    designation_field(l, x, name, t);
  else
    detail_field(l, x, name, t);
}

/* ------------------------------------------------------------ entry points */

int emb__load_uk_xml(emb_load_ctx *ctx) {
  emb_input *in = NULL;
  int rc = emb__load_open(ctx, ctx->path, &in);
  if (rc)
    return rc;
  size_t errors_before = ctx->diags ? ctx->diags->n_errors : 0;
  uk_loader l;
  memset(&l, 0, sizeof(l));
  l.ctx = ctx;
  emb__strmap_init(&l.seen);
  emb_xml_handlers h = {on_start, on_end};
  rc = emb__xml_parse(in, &h, &l, MAX_TEXT, ctx->diags);
  if (l.in_rec && rc)
    emb__warn(ctx->diags, EMB_ETRUNCATED, emb__input_name(in), l.line, 0, "Designation",
              "the designation starting here was not complete and is not loaded");
  scratch_free(&l);
  emb__strmap_fini(&l.seen);
  emb__input_close(in);
  if (!rc)
    rc = l.rc;
  if (!rc && ctx->diags && ctx->diags->n_errors > errors_before)
    rc = EMB_EFORMAT;
  return rc;
}

bool emb__sniff_uk_xml(const unsigned char *head, size_t n, const char *path) {
  (void)path;
  unsigned char buf[4096];
  head = emb__xml_ascii_head(head, &n, buf, sizeof(buf));
  char root[64];
  return emb__xml_root_name(head, n, root, sizeof(root)) && strcmp(root, "Designations") == 0;
}
