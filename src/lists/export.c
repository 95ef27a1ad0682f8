/*
 * export.c - writing entities out: FollowTheMoney JSON lines and a flat CSV.
 *
 * emb_export_ftm() writes one entity as one compact FtM JSON object with sorted keys
 * (stable output, diffable), in the shape the FtM loader (load_ftm.c) reads back:
 * names, dates, countries and identifiers survive the round trip; what FtM cannot say
 * on a single entity (listing and end dates, links, a circa mark, identifier country)
 * is left out. emb_export_csv() writes one row of a fixed header, multi-values joined
 * with ';' (a ';' or '\' inside a value is escaped with '\'), quoted as RFC 4180 says,
 * lines ending in CRLF. docs/EXPORT.md is the reference for both.
 *
 * Both take a caller-owned FILE and an entity owned by its set; they allocate only
 * temporary memory (the jansson tree, one row buffer) and free it before returning.
 * They return 0, EMB_EINVAL (NULL arguments), EMB_ENOMEM, or EMB_EIO when the stream
 * reports a write error.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/input.h"
#include "embargo.h"

/* Rows are capped: a row longer than this is an error, not an allocation. */
#define EXPORT_MAX_ROW (64u * 1024u * 1024u)

/* ------------------------------------------------------------------- FtM */

/* Identifier types and the FtM properties that carry them; the inverse of load_ftm.c. */
static const struct {
  const char *type;
  const char *prop;
} ID_PROPS[] = {
    {"passport", "passportNumber"}, {"national_id", "idNumber"},
    {"tax_id", "taxNumber"},        {"inn", "innCode"},
    {"ogrn", "ogrnCode"},           {"registration", "registrationNumber"},
    {"imo", "imoNumber"},           {"mmsi", "mmsi"},
    {"swift_bic", "swiftBic"},
};

/* Type "other" identifiers whose note names one of these FtM properties go back to it. */
static const char *const OTHER_ID_PROPS[] = {"leiCode",  "vatCode",        "okpoCode",
                                             "dunsCode", "uniqueEntityId", "socialSecurityNumber",
                                             "callSign"};

/* A JSON string for s: s itself when it is valid UTF-8, else with bad bytes as U+FFFD. */
static json_t *jstr(const char *s) {
  size_t n = strlen(s);
  if (emb__utf8_check(s, n) == n)
    return json_stringn_nocheck(s, n);
  emb_buf b;
  emb__buf_init(&b, n * 3 + 16);
  for (size_t i = 0; i < n;) {
    size_t ok = emb__utf8_check(s + i, n - i);
    if (emb__buf_append(&b, s + i, ok) || (i + ok < n && emb__buf_puts(&b, "\xEF\xBF\xBD"))) {
      emb__buf_fini(&b);
      return NULL;
    }
    i += ok + (i + ok < n ? 1 : 0);
  }
  json_t *j = json_stringn_nocheck(emb__buf_str(&b), b.len);
  emb__buf_fini(&b);
  return j;
}

/* Appends s to the array unless it is already there. */
static int put_arr(json_t *arr, const char *s) {
  if (!s || !*s)
    return 0;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    const char *v = json_string_value(json_array_get(arr, i));
    if (v && strcmp(v, s) == 0)
      return 0;
  }
  json_t *v = jstr(s);
  return (!v || json_array_append_new(arr, v)) ? EMB_ENOMEM : 0;
}

/* Appends s to properties[key] (creating the array) unless it is already there. */
static int put(json_t *props, const char *key, const char *s) {
  if (!s || !*s)
    return 0;
  json_t *arr = json_object_get(props, key);
  if (!arr) {
    arr = json_array();
    if (json_object_set_new(props, key, arr)) /* frees arr on failure */
      return EMB_ENOMEM;
  }
  return put_arr(arr, s);
}

/*
 * The FtM form of a country: the lowercase ISO code, or the text as written. Text of
 * two letters that is no known code ("na", "zz") is left out: FtM would read it as a
 * code, and "na" is Namibia.
 */
static int put_country(json_t *props, const char *key, const emb_country *c) {
  if (!c->code)
    return strlen(c->raw) == 2 ? 0 : put(props, key, c->raw);
  char low[16];
  size_t n = 0;
  for (; c->code[n] && n + 1 < sizeof(low); n++)
    low[n] = (char)((c->code[n] >= 'A' && c->code[n] <= 'Z') ? c->code[n] + 32 : c->code[n]);
  low[n] = '\0';
  return put(props, key, low);
}

static const char *country_prop(const emb_entity *e, emb_country_role r) {
  switch (r) {
  case EMB_COUNTRY_NATIONALITY: return "nationality";
  case EMB_COUNTRY_CITIZENSHIP: return "citizenship";
  case EMB_COUNTRY_ADDRESS: return "country";
  case EMB_COUNTRY_JURISDICTION: return "jurisdiction";
  case EMB_COUNTRY_BIRTH: return "birthCountry";
  case EMB_COUNTRY_OTHER: return e->schema == EMB_SCHEMA_VESSEL ? "flag" : "mainCountry";
  }
  return "country";
}

static const char *id_prop(const emb_identifier *id) {
  for (size_t i = 0; i < sizeof(ID_PROPS) / sizeof(ID_PROPS[0]); i++)
    if (strcmp(ID_PROPS[i].type, id->type) == 0)
      return ID_PROPS[i].prop;
  if (strcmp(id->type, "other") == 0 && id->note)
    for (size_t i = 0; i < sizeof(OTHER_ID_PROPS) / sizeof(OTHER_ID_PROPS[0]); i++)
      if (strcmp(OTHER_ID_PROPS[i], id->note) == 0)
        return OTHER_ID_PROPS[i];
  return "idNumber"; /* FtM's generic identifier */
}

/* FtM dates are ISO partial dates: a circa mark is dropped, a range becomes its years. */
static int put_date(json_t *props, const char *key, const emb_date *d) {
  if (d->precision == EMB_DATE_NONE || d->year == 0)
    return 0;
  char buf[32];
  if (d->year_to > d->year) {
    int to = d->year_to - d->year > 20 ? d->year : d->year_to; /* wide ranges: both ends */
    for (int y = d->year; y <= to; y++) {
      snprintf(buf, sizeof(buf), "%04d", y);
      if (put(props, key, buf))
        return EMB_ENOMEM;
    }
    if (to != d->year_to) {
      snprintf(buf, sizeof(buf), "%04d", d->year_to);
      return put(props, key, buf);
    }
    return 0;
  }
  emb_date plain = *d;
  plain.circa = false;
  plain.year_to = 0;
  emb_date_format(&plain, buf, sizeof(buf));
  return put(props, key, buf);
}

static const emb_name *primary_name(const emb_entity *e) {
  for (size_t i = 0; i < e->n_names; i++)
    if (e->names[i].kind == EMB_NAME_PRIMARY)
      return &e->names[i];
  return e->n_names ? &e->names[0] : NULL;
}

/* Keeps the first error of a sequence of calls in `rc`. */
#define KEEP(call)                                                                                 \
  do {                                                                                             \
    int r_ = (call);                                                                               \
    if (r_ && !rc)                                                                                 \
      rc = r_;                                                                                     \
  } while (0)

/* Builds the properties object; returns 0 or EMB_ENOMEM. */
static int ftm_props(json_t *p, const emb_entity *e) {
  int rc = 0;
  const emb_name *pn = primary_name(e);
  /* The primary name comes first in "name": the loader takes the first value as primary. */
  bool pn_first = pn && pn->strength == EMB_STRONG && pn->kind != EMB_NAME_FORMER;
  if (pn_first)
    KEEP(put(p, "name", pn->full));
  for (size_t i = 0; i < e->n_names; i++) {
    const emb_name *n = &e->names[i];
    if (pn_first && n == pn)
      continue;
    const char *key = n->kind == EMB_NAME_FORMER    ? "previousName"
                      : n->strength == EMB_WEAK     ? "weakAlias"
                      : n->kind == EMB_NAME_PRIMARY ? "name"
                                                    : "alias";
    KEEP(put(p, key, n->full));
  }
  if (pn) {
    KEEP(put(p, "firstName", pn->given));
    KEEP(put(p, "middleName", pn->middle));
    KEEP(put(p, "lastName", pn->family));
    KEEP(put(p, "fatherName", pn->patronymic));
  }
  for (size_t i = 0; i < e->n_birth_dates; i++)
    KEEP(put_date(p, "birthDate", &e->birth_dates[i]));
  for (size_t i = 0; i < e->birth_places.count; i++)
    KEEP(put(p, "birthPlace", e->birth_places.items[i]));
  for (size_t i = 0; i < e->n_countries; i++)
    KEEP(put_country(p, country_prop(e, e->countries[i].role), &e->countries[i]));
  KEEP(put(p, "gender", e->gender));
  for (size_t i = 0; i < e->n_ids; i++)
    KEEP(put(p, id_prop(&e->ids[i]), e->ids[i].value));
  for (size_t i = 0; i < e->n_addresses; i++)
    KEEP(put(p, "address", e->addresses[i].full));
  for (size_t i = 0; i < e->programs.count; i++)
    KEEP(put(p, "program", e->programs.items[i]));
  for (size_t i = 0; i < e->remarks.count; i++)
    KEEP(put(p, "notes", e->remarks.items[i]));
  if (e->schema == EMB_SCHEMA_PERSON)
    for (size_t i = 0; i < e->titles.count; i++)
      KEEP(put(p, "position", e->titles.items[i]));
  return rc;
}

int emb_export_ftm(FILE *out, const emb_entity *e) {
  if (!out || !e || !e->id)
    return EMB_EINVAL;
  json_t *o = json_object();
  if (!o)
    return EMB_ENOMEM;
  /* The object owns everything set into it; set_new frees the value when it fails. */
  json_t *props = json_object();
  json_t *ds = json_array();
  int rc = 0;
  if (json_object_set_new(o, "properties", props) || json_object_set_new(o, "datasets", ds) ||
      json_object_set_new(o, "id", jstr(e->id)) ||
      json_object_set_new(o, "schema", json_string(emb_schema_name(e->schema))))
    rc = EMB_ENOMEM;
  const emb_name *pn = primary_name(e);
  if (!rc && pn && json_object_set_new(o, "caption", jstr(pn->full)))
    rc = EMB_ENOMEM;
  if (!rc)
    rc = ftm_props(props, e);
  /* datasets: the source first (the loader takes datasets[0] as the source), then lists. */
  if (!rc)
    rc = put_arr(ds, e->source);
  for (size_t i = 0; !rc && i < e->lists.count; i++)
    rc = put_arr(ds, e->lists.items[i]);
  if (!rc && (json_dumpf(o, out, JSON_COMPACT | JSON_SORT_KEYS) != 0 || fputc('\n', out) == EOF ||
              ferror(out)))
    rc = EMB_EIO;
  json_decref(o);
  return rc;
}

/* ------------------------------------------------------------------- CSV */

static const char *const CSV_COLUMNS[] = {
    "id",        "schema",   "name",  "aliases", "birth_dates", "countries", "identifiers",
    "addresses", "programs", "lists", "source",  "listed_on",   "end_date"};
#define N_COLUMNS (sizeof(CSV_COLUMNS) / sizeof(CSV_COLUMNS[0]))

int emb_export_csv_header(FILE *out) {
  if (!out)
    return EMB_EINVAL;
  for (size_t i = 0; i < N_COLUMNS; i++)
    if (fputs(CSV_COLUMNS[i], out) == EOF || fputs(i + 1 < N_COLUMNS ? "," : "\r\n", out) == EOF)
      return EMB_EIO;
  return ferror(out) ? EMB_EIO : 0;
}

/* One cell being built: values joined with ';', each value escaped. */
typedef struct cell {
  emb_buf b;
  size_t n; /* values so far */
} cell;

/* Adds a value to a multi-valued cell: ';' and '\' inside it get a '\' before them. */
static int cell_add(cell *c, const char *s) {
  if (!s || !*s)
    return 0;
  int rc = c->n++ ? emb__buf_putc(&c->b, ';') : 0;
  for (; !rc && *s; s++) {
    if (*s == ';' || *s == '\\')
      rc = emb__buf_putc(&c->b, '\\');
    if (!rc)
      rc = emb__buf_putc(&c->b, *s);
  }
  return rc;
}

/* Adds "a:b" as one value (an identifier with its type). */
static int cell_add_pair(cell *c, const char *a, const char *b) {
  int rc = cell_add(c, a);
  if (!rc)
    rc = emb__buf_putc(&c->b, ':');
  for (; !rc && b && *b; b++) {
    if (*b == ';' || *b == '\\')
      rc = emb__buf_putc(&c->b, '\\');
    if (!rc)
      rc = emb__buf_putc(&c->b, *b);
  }
  return rc;
}

/* Writes one field with RFC 4180 quoting into the row. */
static int row_field(emb_buf *row, const char *s, size_t len, bool last) {
  bool quote = false;
  for (size_t i = 0; i < len && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
  int rc = quote ? emb__buf_putc(row, '"') : 0;
  for (size_t i = 0; !rc && i < len; i++) {
    if (s[i] == '"')
      rc = emb__buf_putc(row, '"');
    if (!rc)
      rc = emb__buf_putc(row, s[i]);
  }
  if (!rc && quote)
    rc = emb__buf_putc(row, '"');
  if (!rc)
    rc = emb__buf_puts(row, last ? "\r\n" : ",");
  return rc;
}

static int fill_cells(cell *c, const emb_entity *e) {
  int rc = 0;
  char buf[32];
  const emb_name *pn = primary_name(e);
  KEEP(cell_add(&c[0], e->id));
  KEEP(cell_add(&c[1], emb_schema_name(e->schema)));
  if (pn)
    KEEP(cell_add(&c[2], pn->full));
  for (size_t i = 0; i < e->n_names; i++)
    if (&e->names[i] != pn)
      KEEP(cell_add(&c[3], e->names[i].full));
  for (size_t i = 0; i < e->n_birth_dates; i++) {
    emb_date_format(&e->birth_dates[i], buf, sizeof(buf));
    KEEP(cell_add(&c[4], buf));
  }
  for (size_t i = 0; i < e->n_countries; i++) {
    const emb_country *k = &e->countries[i];
    const char *v = k->code ? k->code : k->raw;
    bool dup = false;
    for (size_t j = 0; j < i && !dup; j++) {
      const emb_country *o = &e->countries[j];
      dup = strcmp(o->code ? o->code : o->raw, v) == 0;
    }
    if (!dup)
      KEEP(cell_add(&c[5], v));
  }
  for (size_t i = 0; i < e->n_ids; i++)
    KEEP(cell_add_pair(&c[6], e->ids[i].type, e->ids[i].value));
  for (size_t i = 0; i < e->n_addresses; i++)
    KEEP(cell_add(&c[7], e->addresses[i].full));
  for (size_t i = 0; i < e->programs.count; i++)
    KEEP(cell_add(&c[8], e->programs.items[i]));
  for (size_t i = 0; i < e->lists.count; i++)
    KEEP(cell_add(&c[9], e->lists.items[i]));
  KEEP(cell_add(&c[10], e->source));
  emb_date_format(&e->listed_on, buf, sizeof(buf));
  KEEP(cell_add(&c[11], buf));
  emb_date_format(&e->end_date, buf, sizeof(buf));
  KEEP(cell_add(&c[12], buf));
  return rc;
}

int emb_export_csv(FILE *out, const emb_entity *e) {
  if (!out || !e || !e->id)
    return EMB_EINVAL;
  cell c[N_COLUMNS];
  for (size_t i = 0; i < N_COLUMNS; i++) {
    emb__buf_init(&c[i].b, EXPORT_MAX_ROW);
    c[i].n = 0;
  }
  emb_buf row;
  emb__buf_init(&row, 2 * EXPORT_MAX_ROW);
  int rc = fill_cells(c, e);
  for (size_t i = 0; !rc && i < N_COLUMNS; i++)
    rc = row_field(&row, emb__buf_str(&c[i].b), c[i].b.len, i + 1 == N_COLUMNS);
  if (!rc && (fwrite(emb__buf_str(&row), 1, row.len, out) != row.len || ferror(out)))
    rc = EMB_EIO;
  for (size_t i = 0; i < N_COLUMNS; i++)
    emb__buf_fini(&c[i].b);
  emb__buf_fini(&row);
  return rc;
}
