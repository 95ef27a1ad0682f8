/*
 * entity.c - the entity set: storage, lookup by id, and the builders of entity.h.
 *
 * Entities live in one growable array (so indexes are stable, pointers are not
 * across creations); their strings live in the set's arena; their value arrays are
 * malloc'ed and freed with the set. An id map gives O(1) lookup for merges and diffs.
 */
#include "lists/entity.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "lists/country.h"
#include "text/script.h"

struct emb_entity_set {
  emb_arena arena;
  emb_entity *items;
  size_t count;
  size_t cap;
  emb_strmap by_id;
  emb_source **sources;
  size_t n_sources;
};

static const char *const SCHEMA_NAMES[EMB_SCHEMA_COUNT_] = {
    "Thing", "Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"};

const char *emb_schema_name(emb_schema s) {
  return (s >= 0 && s < EMB_SCHEMA_COUNT_) ? SCHEMA_NAMES[s] : "Thing";
}

emb_schema emb_schema_parse(const char *s) {
  if (!s)
    return EMB_SCHEMA_UNKNOWN;
  for (int i = 1; i < EMB_SCHEMA_COUNT_; i++)
    if (strcasecmp(s, SCHEMA_NAMES[i]) == 0)
      return (emb_schema)i;
  if (strcasecmp(s, "Individual") == 0)
    return EMB_SCHEMA_PERSON;
  if (strcasecmp(s, "Entity") == 0)
    return EMB_SCHEMA_LEGAL_ENTITY;
  if (strcasecmp(s, "Aircraft") == 0)
    return EMB_SCHEMA_AIRPLANE;
  return EMB_SCHEMA_UNKNOWN;
}

const char *emb_name_kind_name(emb_name_kind k) {
  switch (k) {
  case EMB_NAME_PRIMARY: return "primary";
  case EMB_NAME_ALIAS: return "alias";
  case EMB_NAME_FORMER: return "former";
  case EMB_NAME_VARIATION: return "variation";
  }
  return "alias";
}

const char *emb_country_role_name(emb_country_role r) {
  switch (r) {
  case EMB_COUNTRY_NATIONALITY: return "nationality";
  case EMB_COUNTRY_CITIZENSHIP: return "citizenship";
  case EMB_COUNTRY_ADDRESS: return "address";
  case EMB_COUNTRY_JURISDICTION: return "jurisdiction";
  case EMB_COUNTRY_BIRTH: return "birth";
  case EMB_COUNTRY_OTHER: return "other";
  }
  return "other";
}

void emb_date_format(const emb_date *d, char *buf, size_t size) {
  if (!d || d->precision == EMB_DATE_NONE || d->year == 0) {
    if (size)
      buf[0] = '\0';
    return;
  }
  const char *pre = d->circa ? "~" : "";
  if (d->year_to > 0)
    snprintf(buf, size, "%s%04d/%04d", pre, d->year, d->year_to);
  else if (d->precision == EMB_DATE_DAY)
    snprintf(buf, size, "%s%04d-%02d-%02d", pre, d->year, d->month, d->day);
  else if (d->precision == EMB_DATE_MONTH)
    snprintf(buf, size, "%s%04d-%02d", pre, d->year, d->month);
  else
    snprintf(buf, size, "%s%04d", pre, d->year);
}

emb_entity_set *emb_set_new(void) {
  emb_entity_set *s = calloc(1, sizeof(*s));
  if (!s)
    return NULL;
  emb__arena_init(&s->arena, 256 * 1024);
  emb__strmap_init(&s->by_id);
  return s;
}

static void free_entity(emb_entity *e) {
  free(e->lists.items);
  free(e->names);
  free(e->birth_dates);
  free(e->birth_places.items);
  free(e->countries);
  free(e->ids);
  free(e->addresses);
  free(e->programs.items);
  free(e->remarks.items);
  free(e->linked_to.items);
  free(e->titles.items);
}

void emb_set_free(emb_entity_set *set) {
  if (!set)
    return;
  for (size_t i = 0; i < set->count; i++)
    free_entity(&set->items[i]);
  free(set->items);
  free(set->sources);
  emb__strmap_fini(&set->by_id);
  emb__arena_fini(&set->arena);
  free(set);
}

size_t emb_set_count(const emb_entity_set *set) {
  return set->count;
}

const emb_entity *emb_set_get(const emb_entity_set *set, size_t i) {
  return i < set->count ? &set->items[i] : NULL;
}

emb_entity *emb__set_at(emb_entity_set *set, size_t i) {
  return i < set->count ? &set->items[i] : NULL;
}

size_t emb__set_index(const emb_entity_set *set, const char *id) {
  size_t v;
  if (id && emb__strmap_get(&set->by_id, id, strlen(id), &v))
    return v;
  return (size_t)-1;
}

const emb_entity *emb_set_find(const emb_entity_set *set, const char *id) {
  size_t i = emb__set_index(set, id);
  return i == (size_t)-1 ? NULL : &set->items[i];
}

size_t emb_set_source_count(const emb_entity_set *set) {
  return set->n_sources;
}

const emb_source *emb_set_source(const emb_entity_set *set, size_t i) {
  return i < set->n_sources ? set->sources[i] : NULL;
}

const char *emb__set_strn(emb_entity_set *set, const char *s, size_t len) {
  if (!s)
    return NULL;
  return emb__arena_strndup(&set->arena, s, len);
}

const char *emb__set_str(emb_entity_set *set, const char *s) {
  return s ? emb__set_strn(set, s, strlen(s)) : NULL;
}

emb_source *emb__set_add_source(emb_entity_set *set, const char *path, const char *format,
                                const char *source) {
  emb_source **p = realloc(set->sources, (set->n_sources + 1) * sizeof(*p));
  if (!p)
    return NULL;
  set->sources = p;
  emb_source *src = emb__arena_alloc(&set->arena, sizeof(*src));
  if (!src)
    return NULL;
  memset(src, 0, sizeof(*src));
  src->path = emb__set_str(set, path);
  src->format = emb__set_str(set, format);
  src->source = emb__set_str(set, source);
  set->sources[set->n_sources++] = src;
  return src;
}

emb_entity *emb__set_upsert(emb_entity_set *set, const char *id, bool *created) {
  size_t len = strlen(id);
  size_t idx;
  if (emb__strmap_get(&set->by_id, id, len, &idx)) {
    if (created)
      *created = false;
    return &set->items[idx];
  }
  if (set->count == set->cap) {
    size_t n = set->cap ? set->cap * 2 : 1024;
    emb_entity *p = realloc(set->items, n * sizeof(*p));
    if (!p)
      return NULL;
    set->items = p;
    set->cap = n;
  }
  const char *key = emb__set_strn(set, id, len);
  if (!key || emb__strmap_put(&set->by_id, key, len, set->count))
    return NULL;
  emb_entity *e = &set->items[set->count++];
  memset(e, 0, sizeof(*e));
  e->id = key;
  if (created)
    *created = true;
  return e;
}

void emb__set_drop_last(emb_entity_set *set) {
  if (!set->count)
    return;
  emb_entity *e = &set->items[set->count - 1];
  /* Rebuild the id map without this entity: rare, so a full rebuild is fine. */
  emb_strmap m;
  emb__strmap_init(&m);
  for (size_t i = 0; i + 1 < set->count; i++) {
    const char *id = set->items[i].id;
    if (emb__strmap_put(&m, id, strlen(id), i)) {
      emb__strmap_fini(&m);
      return;
    }
  }
  emb__strmap_fini(&set->by_id);
  set->by_id = m;
  free_entity(e);
  set->count--;
}

/* Grows a typed array held as (ptr, n, cap); returns 0 or EMB_ENOMEM. */
static int grow(void **items, size_t n, size_t *cap, size_t elem) {
  if (n < *cap)
    return 0;
  size_t c = *cap ? *cap * 2 : 2;
  void *p = realloc(*items, c * elem);
  if (!p)
    return EMB_ENOMEM;
  *items = p;
  *cap = c;
  return 0;
}

static bool streq(const char *a, const char *b) {
  if (!a || !b)
    return a == b;
  return strcmp(a, b) == 0;
}

static bool blank(const char *s) {
  if (!s)
    return true;
  for (; *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
      return false;
  return true;
}

int emb__entity_set_source(emb_entity_set *set, emb_entity *e, const char *source) {
  if (!e->source)
    e->source = emb__set_str(set, source);
  return 0;
}

int emb__entity_add_str(emb_entity_set *set, emb_strs *list, const char *s) {
  if (blank(s))
    return 0;
  for (size_t i = 0; i < list->count; i++)
    if (strcmp(list->items[i], s) == 0)
      return 0;
  void *items = (void *)list->items;
  if (grow(&items, list->count, &list->cap, sizeof(char *)))
    return EMB_ENOMEM;
  list->items = items;
  const char *c = emb__set_str(set, s);
  if (!c)
    return EMB_ENOMEM;
  list->items[list->count++] = c;
  return 0;
}

int emb__entity_add_name(emb_entity_set *set, emb_entity *e, const emb_name *n) {
  if (blank(n->full))
    return 0;
  for (size_t i = 0; i < e->n_names; i++) {
    emb_name *o = &e->names[i];
    if (strcmp(o->full, n->full) == 0) {
      /* The same text seen again: keep the strongest reading of it. */
      if (n->kind == EMB_NAME_PRIMARY && o->kind != EMB_NAME_PRIMARY)
        o->kind = EMB_NAME_PRIMARY;
      if (n->strength == EMB_STRONG)
        o->strength = EMB_STRONG;
      return 0;
    }
  }
  void *items = e->names;
  if (grow(&items, e->n_names, &e->cap_names, sizeof(emb_name)))
    return EMB_ENOMEM;
  e->names = items;
  emb_name c = *n;
  c.full = emb__set_str(set, n->full);
  c.given = blank(n->given) ? NULL : emb__set_str(set, n->given);
  c.middle = blank(n->middle) ? NULL : emb__set_str(set, n->middle);
  c.family = blank(n->family) ? NULL : emb__set_str(set, n->family);
  c.patronymic = blank(n->patronymic) ? NULL : emb__set_str(set, n->patronymic);
  c.lang = blank(n->lang) ? NULL : emb__set_str(set, n->lang);
  c.script = n->script ? emb__set_str(set, n->script) : emb_script_detect(n->full, strlen(n->full));
  if (!c.full)
    return EMB_ENOMEM;
  e->names[e->n_names++] = c;
  return 0;
}

int emb__entity_add_name_simple(emb_entity_set *set, emb_entity *e, const char *full,
                                emb_name_kind kind, emb_strength strength) {
  emb_name n = {0};
  n.full = full;
  n.kind = kind;
  n.strength = strength;
  return emb__entity_add_name(set, e, &n);
}

/* Field by field: the struct has padding that memcmp would compare. */
static bool date_equal(const emb_date *a, const emb_date *b) {
  return a->year == b->year && a->month == b->month && a->day == b->day &&
         a->precision == b->precision && a->circa == b->circa && a->year_to == b->year_to;
}

int emb__entity_add_birth_date(emb_entity_set *set, emb_entity *e, const emb_date *d) {
  (void)set;
  if (d->precision == EMB_DATE_NONE)
    return 0;
  for (size_t i = 0; i < e->n_birth_dates; i++)
    if (date_equal(&e->birth_dates[i], d))
      return 0;
  void *items = e->birth_dates;
  if (grow(&items, e->n_birth_dates, &e->cap_birth_dates, sizeof(emb_date)))
    return EMB_ENOMEM;
  e->birth_dates = items;
  e->birth_dates[e->n_birth_dates++] = *d;
  return 0;
}

static int add_country_code(emb_entity_set *set, emb_entity *e, const char *code, const char *raw,
                            emb_country_role role);

int emb__entity_add_country(emb_entity_set *set, emb_entity *e, const char *raw,
                            emb_country_role role) {
  if (blank(raw))
    return 0;
  size_t len = strlen(raw);
  const char *code = emb_country_code(raw, len);
  if (!code)
    code = emb_subdivision_code(raw, len);
  if (!code) {
    /* A field naming several countries becomes one entry per country. */
    const char *codes[8];
    int unresolved = 0;
    int n = emb__country_codes(raw, len, codes, 8, &unresolved);
    if (n > 1 && unresolved == 0) {
      for (int i = 0; i < n; i++) {
        int rc = add_country_code(set, e, codes[i], raw, role);
        if (rc)
          return rc;
      }
      return 0;
    }
    if (n == 1 && unresolved == 0)
      code = codes[0];
  }
  return add_country_code(set, e, code, raw, role);
}

/* Adds one country entry unless the entity has it in this role already. */
static int add_country_code(emb_entity_set *set, emb_entity *e, const char *code, const char *raw,
                            emb_country_role role) {
  for (size_t i = 0; i < e->n_countries; i++) {
    emb_country *o = &e->countries[i];
    if (o->role == role && (code ? streq(o->code, code) : streq(o->raw, raw)))
      return 0;
  }
  void *items = e->countries;
  if (grow(&items, e->n_countries, &e->cap_countries, sizeof(emb_country)))
    return EMB_ENOMEM;
  e->countries = items;
  emb_country c = {code, emb__set_str(set, raw), role};
  if (!c.raw)
    return EMB_ENOMEM;
  e->countries[e->n_countries++] = c;
  return 0;
}

int emb__entity_add_id(emb_entity_set *set, emb_entity *e, const char *type, const char *value,
                       const char *country, const char *note) {
  if (blank(value))
    return 0;
  if (blank(type))
    type = "other";
  const char *cc = NULL;
  if (!blank(country)) {
    cc = emb_country_code(country, strlen(country));
  }
  for (size_t i = 0; i < e->n_ids; i++)
    if (streq(e->ids[i].type, type) && streq(e->ids[i].value, value))
      return 0;
  void *items = e->ids;
  if (grow(&items, e->n_ids, &e->cap_ids, sizeof(emb_identifier)))
    return EMB_ENOMEM;
  e->ids = items;
  emb_identifier x = {emb__set_str(set, type), emb__set_str(set, value), cc,
                      blank(note) ? NULL : emb__set_str(set, note)};
  if (!x.type || !x.value)
    return EMB_ENOMEM;
  e->ids[e->n_ids++] = x;
  return 0;
}

int emb__entity_add_address(emb_entity_set *set, emb_entity *e, const emb_address *a) {
  if (blank(a->full) && blank(a->street) && blank(a->city) && blank(a->country))
    return 0;
  /* The one-line form first: a repeated address is recognised by it before anything is
   * copied into the set (rows of a group repeat their addresses). */
  char line[1024];
  const char *full = a->full;
  if (blank(full)) {
    /* Compose it from the parts; a part that does not fit whole is left out, and so
     * is everything after it. */
    size_t n = 0;
    const char *parts[] = {a->street, a->city, a->postal_code, a->region, a->country};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
      if (blank(parts[i]))
        continue;
      size_t sep = n ? 2 : 0, k = strlen(parts[i]);
      if (sep + k >= sizeof(line) - n)
        break;
      memcpy(line + n, ", ", sep);
      memcpy(line + n + sep, parts[i], k);
      n += sep + k;
    }
    line[n] = '\0';
    full = line;
  }
  for (size_t i = 0; i < e->n_addresses; i++)
    if (streq(e->addresses[i].full, full))
      return 0;
  emb_address c = {0};
#define COPY(f) c.f = blank(a->f) ? NULL : emb__set_str(set, a->f)
  COPY(street);
  COPY(city);
  COPY(postal_code);
  COPY(region);
#undef COPY
  if (!blank(a->country)) {
    c.country = emb_country_code(a->country, strlen(a->country));
  }
  c.full = emb__set_str(set, full);
  void *items = e->addresses;
  if (grow(&items, e->n_addresses, &e->cap_addresses, sizeof(emb_address)))
    return EMB_ENOMEM;
  e->addresses = items;
  e->addresses[e->n_addresses++] = c;
  if (!blank(a->country))
    return emb__entity_add_country(set, e, a->country, EMB_COUNTRY_ADDRESS);
  return 0;
}

/* ------------------------------------------------------------------ merging */

/* A copy of a date with its padding zeroed, so that merged entities compare byte for byte. */
static emb_date merge_date_copy(const emb_date *d) {
  emb_date c;
  memset(&c, 0, sizeof(c));
  c.year = d->year;
  c.month = d->month;
  c.day = d->day;
  c.precision = d->precision;
  c.circa = d->circa;
  c.year_to = d->year_to;
  return c;
}

/* A number that orders dates by year, month and day. */
static int merge_date_key(const emb_date *d) {
  return d->year * 10000 + d->month * 100 + d->day;
}

/* True when a list holding n values may take one more; else notes the drop in *dropped. */
static bool merge_room(size_t n, size_t max_values, bool *dropped) {
  if (n < max_values)
    return true;
  *dropped = true;
  return false;
}

int emb__entity_merge(emb_entity_set *set, emb_entity *dst, const emb_entity *src,
                      size_t max_values, bool *capped) {
  bool dropped = false;
  int rc = 0;
  if (dst->schema == EMB_SCHEMA_UNKNOWN)
    dst->schema = src->schema;
  if (src->source && (rc = emb__entity_set_source(set, dst, src->source)))
    return rc;
  for (size_t i = 0; i < src->n_names && !rc; i++) {
    if (!merge_room(dst->n_names, max_values, &dropped))
      break;
    rc = emb__entity_add_name(set, dst, &src->names[i]);
  }
  for (size_t i = 0; i < src->n_birth_dates && !rc; i++) {
    if (!merge_room(dst->n_birth_dates, max_values, &dropped))
      break;
    emb_date c = merge_date_copy(&src->birth_dates[i]);
    rc = emb__entity_add_birth_date(set, dst, &c);
  }
  for (size_t i = 0; i < src->n_countries && !rc; i++) {
    if (!merge_room(dst->n_countries, max_values, &dropped))
      break;
    rc = emb__entity_add_country(set, dst, src->countries[i].raw, src->countries[i].role);
  }
  for (size_t i = 0; i < src->n_ids && !rc; i++) {
    if (!merge_room(dst->n_ids, max_values, &dropped))
      break;
    const emb_identifier *x = &src->ids[i];
    rc = emb__entity_add_id(set, dst, x->type, x->value, x->country, x->note);
  }
  for (size_t i = 0; i < src->n_addresses && !rc; i++) {
    if (!merge_room(dst->n_addresses, max_values, &dropped))
      break;
    rc = emb__entity_add_address(set, dst, &src->addresses[i]);
  }
  struct {
    emb_strs *to;
    const emb_strs *from;
  } lists[] = {{&dst->lists, &src->lists},         {&dst->birth_places, &src->birth_places},
               {&dst->programs, &src->programs},   {&dst->remarks, &src->remarks},
               {&dst->linked_to, &src->linked_to}, {&dst->titles, &src->titles}};
  for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]) && !rc; k++)
    for (size_t i = 0; i < lists[k].from->count && !rc; i++) {
      if (!merge_room(lists[k].to->count, max_values, &dropped))
        break;
      rc = emb__entity_add_str(set, lists[k].to, lists[k].from->items[i]);
    }
  if (dropped && capped)
    *capped = true;
  if (rc)
    return rc;
  if (src->listed_on.precision != EMB_DATE_NONE &&
      (dst->listed_on.precision == EMB_DATE_NONE ||
       merge_date_key(&src->listed_on) < merge_date_key(&dst->listed_on)))
    dst->listed_on = merge_date_copy(&src->listed_on);
  if (src->end_date.precision != EMB_DATE_NONE && dst->end_date.precision == EMB_DATE_NONE)
    dst->end_date = merge_date_copy(&src->end_date);
  if (src->gender && !dst->gender && !(dst->gender = emb__set_str(set, src->gender)))
    return EMB_ENOMEM;
  return 0;
}

void emb__entity_primary_first(emb_entity *e) {
  size_t k = 0; /* names[0..k) are primary */
  for (size_t i = 0; i < e->n_names; i++) {
    if (e->names[i].kind != EMB_NAME_PRIMARY)
      continue;
    emb_name n = e->names[i];
    memmove(&e->names[k + 1], &e->names[k], (i - k) * sizeof(n));
    e->names[k++] = n;
  }
}
