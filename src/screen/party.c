/*
 * party.c - the distinct parties of a trade file, screened once each (see party.h).
 *
 * Parties live in one growable array; a string map from the party key (schema, folded
 * name, country, canonical identifier) to the array index finds repeats. Screening hands
 * out parties to threads through one atomic counter; each thread writes only the
 * parties it took, and copies the explanations it keeps into its own arena.
 */
#include "screen/party.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/strmap.h"

struct emb_parties {
  emb_party *items;
  size_t count, cap;
  size_t screened; /* items[0..screened) are done */
  emb_strmap by_key;
  emb_arena strings;
  emb_arena *results; /* one arena per screening thread, kept for the explanations */
  size_t n_results;
  emb_buf key; /* scratch for adding */
};

emb_parties *emb__parties_new(void) {
  emb_parties *p = calloc(1, sizeof(*p));
  if (!p)
    return NULL;
  emb__strmap_init(&p->by_key);
  emb__arena_init(&p->strings, 1 << 16);
  emb__buf_init(&p->key, 0);
  return p;
}

void emb__parties_free(emb_parties *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->n_results; i++)
    emb__arena_fini(&p->results[i]);
  free(p->results);
  free(p->items);
  emb__strmap_fini(&p->by_key);
  emb__arena_fini(&p->strings);
  emb__buf_fini(&p->key);
  free(p);
}

static bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

const char *emb__name_trim(const char *s, size_t *len) {
  size_t a = 0, b = *len;
  while (a < b && is_space((unsigned char)s[a]))
    a++;
  while (b > a && is_space((unsigned char)s[b - 1]))
    b--;
  *len = b - a;
  return s + a;
}

size_t emb__name_fold(const char *name, size_t len, char *out, size_t cap) {
  size_t n = 0;
  bool space = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    if (is_space(c)) {
      space = n > 0;
      continue;
    }
    if (n + space + 1 > cap)
      break;
    if (space)
      out[n++] = ' ';
    space = false;
    out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return n;
}

/*
 * Writes the party key into b: schema, the name with ASCII case folded and space runs
 * made one space, the country, the canonical identifier, separated by 0x1F.
 */
static int make_key(emb_buf *b, emb_schema schema, const char *name, size_t len,
                    const char *country, const char *id, size_t id_len) {
  char canon[EMB_IDINDEX_MAX_LEN + 1];
  size_t n_id = emb__id_canon(id ? id : "", id ? id_len : 0, canon);
  size_t n_country = country ? strlen(country) : 0;
  /* The key is never longer than this: room is made once, then bytes are written. */
  emb__buf_reset(b);
  int rc = emb__buf_grow(b, 1 + len + 1 + n_country + 1 + n_id);
  if (rc)
    return rc;
  char *out = b->data;
  size_t k = 0;
  out[k++] = (char)('A' + schema);
  k += emb__name_fold(name, len, out + k, len);
  out[k++] = '\x1f';
  if (n_country)
    memcpy(out + k, country, n_country);
  k += n_country;
  out[k++] = '\x1f';
  memcpy(out + k, canon, n_id);
  k += n_id;
  out[k] = '\0';
  b->len = k;
  return 0;
}

int emb__parties_add(emb_parties *p, emb_schema schema, const char *name, size_t name_len,
                     const char *country, const char *id, size_t id_len, size_t *index) {
  name = emb__name_trim(name, &name_len);
  if (name_len == 0)
    return EMB_ENOTFOUND;
  if (id)
    id = emb__name_trim(id, &id_len);
  int rc = make_key(&p->key, schema, name, name_len, country, id, id_len);
  if (rc)
    return rc;
  size_t found;
  if (emb__strmap_get(&p->by_key, p->key.data, p->key.len, &found)) {
    *index = found;
    return 0;
  }
  if (p->count == p->cap) {
    size_t cap = p->cap ? 2 * p->cap : 1024;
    emb_party *items = realloc(p->items, cap * sizeof(*items));
    if (!items)
      return EMB_ENOMEM;
    p->items = items;
    p->cap = cap;
  }
  char *key = emb__arena_strndup(&p->strings, p->key.data, p->key.len);
  emb_party *x = &p->items[p->count];
  *x = (emb_party){.schema = schema};
  x->name = emb__arena_strndup(&p->strings, name, name_len);
  x->country = emb__arena_strdup(&p->strings, country ? country : "");
  x->id = emb__arena_strndup(&p->strings, id ? id : "", id ? id_len : 0);
  if (!key || !x->name || !x->country || !x->id)
    return EMB_ENOMEM;
  if (emb__strmap_put(&p->by_key, key, p->key.len, p->count))
    return EMB_ENOMEM;
  *index = p->count++;
  return 0;
}

size_t emb__parties_count(const emb_parties *p) {
  return p->count;
}

const emb_party *emb__parties_get(const emb_parties *p, size_t index) {
  return index < p->count ? &p->items[index] : NULL;
}

const emb_party *emb__parties_find(const emb_parties *p, emb_buf *scratch, emb_schema schema,
                                   const char *name, size_t name_len, const char *country,
                                   const char *id, size_t id_len) {
  name = emb__name_trim(name, &name_len);
  if (name_len == 0)
    return NULL;
  if (id)
    id = emb__name_trim(id, &id_len);
  const emb_party *out = NULL;
  size_t found;
  if (!make_key(scratch, schema, name, name_len, country, id, id_len) &&
      emb__strmap_get(&p->by_key, scratch->data, scratch->len, &found))
    out = &p->items[found];
  return out;
}

/* ---- screening ---- */

typedef struct screen_job {
  emb_parties *p;
  const emb_matcher *m;
  const emb_idindex *ids;
  atomic_size_t next;
  atomic_size_t done;
  atomic_int rc;
} screen_job;

typedef struct screen_worker {
  screen_job *job;
  emb_arena *arena;
  bool coordinator; /* reports progress */
  emb_parties_progress progress;
  void *ud;
} screen_worker;

/* A party's matches while they are found. */
typedef struct found {
  emb_party_match m[EMB_PARTY_MAX_MATCHES];
  size_t n;
} found;

/* Adds (or merges) an identifier hit into the matches found. */
static void add_id_hit(found *f, const emb_id_hit *h) {
  for (size_t i = 0; i < f->n; i++)
    if (f->m[i].entity == h->entity) {
      f->m[i].id = h->id;
      return;
    }
  if (f->n == EMB_PARTY_MAX_MATCHES)
    f->n--; /* an identifier hit outranks the weakest name match */
  f->m[f->n++] = (emb_party_match){.entity = h->entity, .id = h->id};
}

/*
 * A trading party is a person or an organisation, and the vessel field names a vessel: a
 * listed vessel or aircraft is no match for an exporter, nor a listed company for a ship.
 */
static bool kind_fits(emb_schema party, emb_schema listed) {
  bool craft = listed == EMB_SCHEMA_VESSEL || listed == EMB_SCHEMA_AIRPLANE;
  if (party == EMB_SCHEMA_VESSEL)
    return craft || listed == EMB_SCHEMA_UNKNOWN;
  return !craft;
}

/* The OFAC number a CSL id repeats ("csl:SDN:36" -> "36"), or NULL. */
static const char *csl_ofac_number(const char *id) {
  if (strncmp(id, "csl:", 4) != 0)
    return NULL;
  const char *num = strrchr(id, ':') + 1;
  if (!*num || num == id + 4)
    return NULL;
  for (const char *p = num; *p; p++)
    if (*p < '0' || *p > '9')
      return NULL;
  return num;
}

/*
 * Folds CSL copies of OFAC entities into the OFAC match: the copy's id goes to `also`, an
 * identifier hit or name agreement it had is kept. Returns 0 or EMB_ENOMEM.
 */
static int fold_copies(found *f, emb_arena *arena) {
  bool gone[EMB_PARTY_MAX_MATCHES] = {false};
  for (size_t i = 0; i < f->n; i++) {
    const char *num = csl_ofac_number(f->m[i].entity->id);
    if (!num)
      continue;
    size_t j = 0;
    while (j < f->n && (strncmp(f->m[j].entity->id, "ofac:", 5) != 0 ||
                        strcmp(f->m[j].entity->id + 5, num) != 0))
      j++;
    if (j == f->n)
      continue;
    emb_party_match *keep = &f->m[j], *copy = &f->m[i];
    size_t n_old = keep->also ? strlen(keep->also) : 0, n_id = strlen(copy->entity->id);
    char *also = emb__arena_alloc(arena, n_old + 1 + n_id + 1);
    if (!also)
      return EMB_ENOMEM;
    memcpy(also, keep->also ? keep->also : "", n_old);
    also[n_old] = ',';
    memcpy(also + (n_old ? n_old + 1 : 0), copy->entity->id, n_id + 1);
    keep->also = also;
    if (!keep->id)
      keep->id = copy->id;
    keep->by_name |= copy->by_name;
    gone[i] = true;
  }
  size_t w = 0;
  for (size_t i = 0; i < f->n; i++)
    if (!gone[i])
      f->m[w++] = f->m[i];
  f->n = w;
  return 0;
}

static int screen_one(emb_match_ctx *c, const emb_idindex *ids, emb_arena *arena, emb_party *x) {
  emb_query_id qid = {NULL, x->id};
  emb_query q = {.name = x->name, .schema = x->schema};
  if (*x->country)
    q.nationality = x->country;
  if (*x->id) {
    q.ids = &qid;
    q.n_ids = 1;
  }
  const emb_match_result *r;
  size_t n;
  int rc = emb_match(c, &q, 2 * EMB_PARTY_MAX_MATCHES, &r, &n);
  if (rc)
    return rc;
  found f;
  f.n = 0;
  for (size_t i = 0; i < n && r[i].match && f.n < EMB_PARTY_MAX_MATCHES; i++) {
    if (!kind_fits(x->schema, r[i].entity->schema))
      continue;
    const char *expl = emb__arena_strdup(arena, r[i].explanation);
    if (!expl)
      return EMB_ENOMEM;
    f.m[f.n++] = (emb_party_match){
        .entity = r[i].entity, .score = r[i].score, .by_name = true, .explanation = expl};
  }
  if (*x->id) {
    emb_id_hit hits[EMB_PARTY_MAX_MATCHES];
    size_t nh = emb__idindex_find(ids, x->id, strlen(x->id), hits, EMB_PARTY_MAX_MATCHES);
    for (size_t i = 0; i < nh && i < EMB_PARTY_MAX_MATCHES; i++)
      add_id_hit(&f, &hits[i]);
  }
  int frc = fold_copies(&f, arena);
  if (frc)
    return frc;
  x->n_matches = 0;
  x->matches = NULL;
  if (f.n == 0)
    return 0;
  x->matches = emb__arena_alloc(arena, f.n * sizeof(*x->matches));
  if (!x->matches)
    return EMB_ENOMEM;
  memcpy(x->matches, f.m, f.n * sizeof(*x->matches));
  x->n_matches = f.n;
  /* An identifier-only hit still says how far apart the names are. */
  for (size_t i = 0; i < x->n_matches; i++) {
    emb_party_match *pm = &x->matches[i];
    if (pm->by_name)
      continue;
    double best = 0;
    const char *best_expl = "";
    for (size_t k = 0; k < pm->entity->n_names; k++) {
      double s;
      const char *expl;
      if (emb_compare_names(c, x->schema, x->name, pm->entity->names[k].full, &s, &expl))
        continue;
      if (s > best) {
        best = s;
        best_expl = emb__arena_strdup(arena, expl);
        if (!best_expl)
          return EMB_ENOMEM;
      }
    }
    pm->score = best;
    pm->explanation = best_expl;
  }
  return 0;
}

static void *screen_thread(void *arg) {
  screen_worker *w = arg;
  screen_job *job = w->job;
  emb_match_ctx *c = NULL;
  int rc = emb_match_ctx_new(job->m, &c);
  size_t total = job->p->count;
  for (;;) {
    if (rc || atomic_load(&job->rc)) {
      if (rc)
        atomic_store(&job->rc, rc);
      break;
    }
    size_t i = atomic_fetch_add(&job->next, 1);
    if (i >= total)
      break;
    rc = screen_one(c, job->ids, w->arena, &job->p->items[i]);
    size_t done = atomic_fetch_add(&job->done, 1) + 1;
    if (w->coordinator && w->progress && (done & 1023) == 0)
      w->progress(w->ud, done, total);
  }
  emb_match_ctx_free(c);
  return NULL;
}

int emb__parties_screen(emb_parties *p, const emb_matcher *m, const emb_idindex *ids,
                        unsigned threads, emb_parties_progress progress, void *ud) {
  if (threads == 0)
    threads = 1;
  if (threads > 64)
    threads = 64;
  emb_arena *arenas = realloc(p->results, (p->n_results + threads) * sizeof(*arenas));
  if (!arenas)
    return EMB_ENOMEM;
  p->results = arenas;
  for (unsigned t = 0; t < threads; t++)
    emb__arena_init(&p->results[p->n_results + t], 1 << 16);
  screen_job job = {.p = p, .m = m, .ids = ids};
  atomic_init(&job.next, p->screened);
  atomic_init(&job.done, p->screened);
  atomic_init(&job.rc, 0);
  screen_worker workers[64];
  pthread_t tids[64];
  unsigned started = 0;
  /* Worker 0 is this thread, the coordinator that reports progress. */
  workers[0] = (screen_worker){&job, &p->results[p->n_results], true, progress, ud};
  for (unsigned t = 1; t < threads; t++)
    workers[t] = (screen_worker){&job, &p->results[p->n_results + t], false, progress, ud};
  p->n_results += threads;
  for (unsigned t = 1; t < threads; t++)
    if (pthread_create(&tids[t], NULL, screen_thread, &workers[t]) == 0)
      started = t;
    else
      break;
  screen_thread(&workers[0]);
  for (unsigned t = 1; t <= started; t++)
    pthread_join(tids[t], NULL);
  if (progress)
    progress(ud, p->count, p->count);
  int rc = atomic_load(&job.rc);
  if (!rc)
    p->screened = p->count;
  return rc;
}
