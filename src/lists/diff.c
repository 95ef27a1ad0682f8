/*
 * diff.c - comparing two entity sets by id: added, removed, changed and what changed.
 *
 * Each field of an entity is rendered as a set of display strings
 * (emb_entity_field_values); two entities differ in a field when those sets differ,
 * and the change lists the strings only on one side. Order of values in the source
 * does not count as a change.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "embargo.h"

static const char *const FIELDS[] = {"schema",    "names",       "birth_dates", "birth_places",
                                     "countries", "identifiers", "addresses",   "programs",
                                     "lists",     "listed_on",   "end_date",    "gender",
                                     "titles",    "linked_to",   "remarks",     NULL};

const char *const *emb_entity_fields(void) {
  return FIELDS;
}

const char *emb_entity_caption(const emb_entity *e) {
  for (size_t i = 0; i < e->n_names; i++)
    if (e->names[i].kind == EMB_NAME_PRIMARY)
      return e->names[i].full;
  return e->n_names ? e->names[0].full : e->id;
}

static void each_str(const emb_strs *l, void (*cb)(const char *, void *), void *ud) {
  for (size_t i = 0; i < l->count; i++)
    cb(l->items[i], ud);
}

static void one_date(const emb_date *d, void (*cb)(const char *, void *), void *ud) {
  char b[32];
  emb_date_format(d, b, sizeof(b));
  if (b[0])
    cb(b, ud);
}

int emb_entity_field_values(const emb_entity *e, const char *field,
                            void (*cb)(const char *value, void *ud), void *ud) {
  char line[2048];
  if (!strcmp(field, "schema")) {
    cb(emb_schema_name(e->schema), ud);
  } else if (!strcmp(field, "names")) {
    for (size_t i = 0; i < e->n_names; i++) {
      const emb_name *n = &e->names[i];
      snprintf(line, sizeof(line), "%s [%s%s]", n->full, emb_name_kind_name(n->kind),
               n->strength == EMB_WEAK ? ", weak" : "");
      cb(line, ud);
    }
  } else if (!strcmp(field, "birth_dates")) {
    for (size_t i = 0; i < e->n_birth_dates; i++)
      one_date(&e->birth_dates[i], cb, ud);
  } else if (!strcmp(field, "birth_places")) {
    each_str(&e->birth_places, cb, ud);
  } else if (!strcmp(field, "countries")) {
    for (size_t i = 0; i < e->n_countries; i++) {
      const emb_country *c = &e->countries[i];
      snprintf(line, sizeof(line), "%s: %s", emb_country_role_name(c->role),
               c->code ? c->code : c->raw);
      cb(line, ud);
    }
  } else if (!strcmp(field, "identifiers")) {
    for (size_t i = 0; i < e->n_ids; i++) {
      const emb_identifier *x = &e->ids[i];
      snprintf(line, sizeof(line), "%s: %s%s%s%s", x->type, x->value, x->country ? " (" : "",
               x->country ? x->country : "", x->country ? ")" : "");
      cb(line, ud);
    }
  } else if (!strcmp(field, "addresses")) {
    for (size_t i = 0; i < e->n_addresses; i++)
      if (e->addresses[i].full)
        cb(e->addresses[i].full, ud);
  } else if (!strcmp(field, "programs")) {
    each_str(&e->programs, cb, ud);
  } else if (!strcmp(field, "lists")) {
    each_str(&e->lists, cb, ud);
  } else if (!strcmp(field, "listed_on")) {
    one_date(&e->listed_on, cb, ud);
  } else if (!strcmp(field, "end_date")) {
    one_date(&e->end_date, cb, ud);
  } else if (!strcmp(field, "gender")) {
    if (e->gender)
      cb(e->gender, ud);
  } else if (!strcmp(field, "titles")) {
    each_str(&e->titles, cb, ud);
  } else if (!strcmp(field, "linked_to")) {
    each_str(&e->linked_to, cb, ud);
  } else if (!strcmp(field, "remarks")) {
    each_str(&e->remarks, cb, ud);
  } else {
    return EMB_EINVAL;
  }
  return 0;
}

/* A sorted, owned list of strings. */
typedef struct strvec {
  char **v;
  size_t n, cap;
  int rc;
} strvec;

static void push(const char *s, void *ud) {
  strvec *sv = ud;
  if (sv->rc)
    return;
  if (sv->n == sv->cap) {
    size_t c = sv->cap ? sv->cap * 2 : 8;
    char **p = realloc(sv->v, c * sizeof(*p));
    if (!p) {
      sv->rc = EMB_ENOMEM;
      return;
    }
    sv->v = p;
    sv->cap = c;
  }
  char *d = strdup(s);
  if (!d) {
    sv->rc = EMB_ENOMEM;
    return;
  }
  sv->v[sv->n++] = d;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strvec_free(strvec *sv) {
  for (size_t i = 0; i < sv->n; i++)
    free(sv->v[i]);
  free(sv->v);
}

static int collect(const emb_entity *e, const char *field, strvec *sv) {
  memset(sv, 0, sizeof(*sv));
  emb_entity_field_values(e, field, push, sv);
  if (sv->rc)
    return sv->rc;
  if (sv->n > 1)
    qsort(sv->v, sv->n, sizeof(char *), cmp_str);
  /* Drop duplicates so that set semantics hold. */
  size_t o = 0;
  for (size_t i = 0; i < sv->n; i++) {
    if (o && strcmp(sv->v[o - 1], sv->v[i]) == 0)
      free(sv->v[i]);
    else
      sv->v[o++] = sv->v[i];
  }
  sv->n = o;
  return 0;
}

/* Per-field change records for one entity pair; holds the strings it points to. */
typedef struct pair_diff {
  emb_diff_change changes[16];
  size_t n;
  strvec olds[16], news[16];
  const char **lists[16]; /* removed and added pointers for each change */
} pair_diff;

static void pair_diff_free(pair_diff *p) {
  for (size_t i = 0; i < p->n; i++) {
    strvec_free(&p->olds[i]);
    strvec_free(&p->news[i]);
    free(p->lists[i]);
  }
}

static int compare(const emb_entity *a, const emb_entity *b, pair_diff *p) {
  memset(p, 0, sizeof(*p));
  for (size_t f = 0; FIELDS[f] && p->n < 16; f++) {
    strvec *o = &p->olds[p->n], *n = &p->news[p->n];
    int rc = collect(a, FIELDS[f], o);
    if (!rc)
      rc = collect(b, FIELDS[f], n);
    if (rc) {
      strvec_free(o);
      strvec_free(n);
      return rc;
    }
    const char **l = malloc((o->n + n->n + 1) * sizeof(*l));
    if (!l) {
      strvec_free(o);
      strvec_free(n);
      return EMB_ENOMEM;
    }
    size_t nr = 0, na = 0, i = 0, j = 0;
    /* Merge walk over both sorted sets: removed first, then added. */
    while (i < o->n || j < n->n) {
      int c = i == o->n ? 1 : j == n->n ? -1 : strcmp(o->v[i], n->v[j]);
      if (c == 0) {
        i++;
        j++;
      } else if (c < 0) {
        l[nr++] = o->v[i++];
      } else {
        j++;
      }
    }
    for (i = 0, j = 0; j < n->n;) {
      int c = i == o->n ? 1 : strcmp(o->v[i], n->v[j]);
      if (c == 0) {
        i++;
        j++;
      } else if (c < 0) {
        i++;
      } else {
        l[nr + na++] = n->v[j++];
      }
    }
    if (nr == 0 && na == 0) {
      strvec_free(o);
      strvec_free(n);
      free(l);
      continue;
    }
    p->lists[p->n] = l;
    p->changes[p->n] = (emb_diff_change){FIELDS[f], l, nr, l + nr, na};
    p->n++;
  }
  return 0;
}

static int cmp_entity_id(const void *a, const void *b) {
  return strcmp((*(const emb_entity *const *)a)->id, (*(const emb_entity *const *)b)->id);
}

static const emb_entity **sorted(const emb_entity_set *s) {
  size_t n = emb_set_count(s);
  const emb_entity **v = malloc((n ? n : 1) * sizeof(*v));
  if (!v)
    return NULL;
  for (size_t i = 0; i < n; i++)
    v[i] = emb_set_get(s, i);
  qsort(v, n, sizeof(*v), cmp_entity_id);
  return v;
}

int emb_diff(const emb_entity_set *old_set, const emb_entity_set *new_set,
             int (*cb)(const emb_diff_entry *d, void *ud), void *ud) {
  const emb_entity **a = sorted(old_set), **b = sorted(new_set);
  if (!a || !b) {
    free(a);
    free(b);
    return EMB_ENOMEM;
  }
  size_t na = emb_set_count(old_set), nb = emb_set_count(new_set), i = 0, j = 0;
  int rc = 0;
  while ((i < na || j < nb) && !rc) {
    int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i]->id, b[j]->id);
    emb_diff_entry d = {0};
    if (c < 0) {
      d.kind = EMB_DIFF_REMOVED;
      d.old_e = a[i++];
      rc = cb(&d, ud);
    } else if (c > 0) {
      d.kind = EMB_DIFF_ADDED;
      d.new_e = b[j++];
      rc = cb(&d, ud);
    } else {
      pair_diff p;
      rc = compare(a[i], b[j], &p);
      if (!rc && p.n) {
        d.kind = EMB_DIFF_CHANGED;
        d.old_e = a[i];
        d.new_e = b[j];
        d.changes = p.changes;
        d.n_changes = p.n;
        rc = cb(&d, ud);
      }
      pair_diff_free(&p);
      i++;
      j++;
    }
  }
  free(a);
  free(b);
  return rc > 0 ? 0 : rc;
}
