/*
 * evidence.c - secondary evidence for a match; see evidence.h and docs/MATCHING.md.
 *
 * Effects (added to the name score, result clamped to [0, 1]):
 *   birth date   same day +0.06; same year (less precise) +0.03;
 *                same year, different month or day -0.12; years 2+ apart (outside
 *                ranges and circa) -0.30
 *   country      query country among the entity's countries +0.03; the entity has
 *                nationality or citizenship and the query country is none of them -0.08
 *   gender       both known and different -0.20
 *   identifier   equal value (letters and digits compared, case-insensitive): the score
 *                becomes at least 0.99
 *   schema       person against organisation, vessel or airplane (or the reverse) -0.30
 *   alias        the best name was a weak alias -0.05
 */
#include "match/evidence.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists/country.h"
#include "lists/date.h"
#include "match/score.h"

void emb__prepare_query(const emb_query *q, emb_prepared_query *pq) {
  memset(pq, 0, sizeof(*pq));
  pq->schema = q->schema;
  if (q->birth_date && *q->birth_date)
    if (emb__date_parse(q->birth_date, strlen(q->birth_date), EMB_DATE_ORDER_DMY, &pq->birth))
      memset(&pq->birth, 0, sizeof(pq->birth));
  if (q->nationality && *q->nationality)
    pq->country = emb_country_code(q->nationality, strlen(q->nationality));
  if (q->gender && *q->gender) {
    char g = (char)tolower((unsigned char)q->gender[0]);
    pq->gender = g == 'm' ? "male" : g == 'f' ? "female" : NULL;
  }
  pq->ids = q->ids;
  pq->n_ids = q->n_ids;
}

static void add(emb_evidence *ev, const char *kind, float delta, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(emb_evidence *ev, const char *kind, float delta, const char *fmt, ...) {
  if (ev->n >= EMB_MAX_EVIDENCE)
    return;
  emb_effect *x = &ev->items[ev->n++];
  x->kind = kind;
  x->delta = delta;
  x->detail[0] = '\0';
  if (!ev->details)
    return; /* scoring only: the words are written for the results shown */
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(x->detail, sizeof(x->detail), fmt, ap);
  va_end(ap);
}

/* Year interval a date stands for: circa widens by one year each way. */
static void year_span(const emb_date *d, int *lo, int *hi) {
  *lo = d->year;
  *hi = d->year_to > d->year ? d->year_to : d->year;
  if (d->circa) {
    (*lo)--;
    (*hi)++;
  }
}

/* 2: same day; 1: compatible (same year or overlapping range); 0: same year but month or
 * day differ; -1: years apart. *gap is the distance in years when apart. */
static int compare_dates(const emb_date *q, const emb_date *e, int *gap) {
  int qlo, qhi, elo, ehi;
  year_span(q, &qlo, &qhi);
  year_span(e, &elo, &ehi);
  *gap = 0;
  if (qhi < elo || ehi < qlo) {
    *gap = qhi < elo ? elo - qhi : qlo - ehi;
    return -1;
  }
  bool exact_year = q->year_to == 0 && e->year_to == 0 && !q->circa && !e->circa;
  if (!exact_year || q->year != e->year)
    return 1;
  if (q->precision >= EMB_DATE_MONTH && e->precision >= EMB_DATE_MONTH) {
    if (q->month != e->month) {
      /* Day and month swapped (12/01 vs 01/12) is a common error: compatible. */
      if (q->precision == EMB_DATE_DAY && e->precision == EMB_DATE_DAY && q->month == e->day &&
          q->day == e->month)
        return 1;
      return 0;
    }
    if (q->precision == EMB_DATE_DAY && e->precision == EMB_DATE_DAY)
      return q->day == e->day ? 2 : 0;
  }
  return 1;
}

static void birth_evidence(const emb_prepared_query *pq, const emb_entity *e, emb_evidence *ev) {
  if (pq->birth.precision == EMB_DATE_NONE || e->n_birth_dates == 0)
    return;
  int best = -2, best_gap = 1 << 20;
  size_t best_i = 0;
  for (size_t i = 0; i < e->n_birth_dates; i++) {
    int gap;
    int r = compare_dates(&pq->birth, &e->birth_dates[i], &gap);
    if (r > best || (r == best && gap < best_gap)) {
      best = r;
      best_gap = gap;
      best_i = i;
    }
  }
  char qd[32] = "", ed[32] = "";
  if (ev->details) {
    emb_date_format(&pq->birth, qd, sizeof(qd));
    emb_date_format(&e->birth_dates[best_i], ed, sizeof(ed));
  }
  if (best == 2)
    add(ev, "birth_date", 0.06f, "same birth date %s", qd);
  else if (best == 1)
    add(ev, "birth_date", 0.03f, "birth date %s fits listed %s", qd, ed);
  else if (best == 0)
    add(ev, "birth_date", -0.12f, "birth date %s differs from listed %s", qd, ed);
  else if (best_gap >= 2)
    add(ev, "birth_date", -0.30f, "birth year %s is %d years from listed %s", qd, best_gap, ed);
  else
    add(ev, "birth_date", -0.10f, "birth year %s is a year from listed %s", qd, ed);
}

static void country_evidence(const emb_prepared_query *pq, const emb_entity *e, emb_evidence *ev) {
  if (!pq->country || e->n_countries == 0)
    return;
  bool any_nat = false;
  for (size_t i = 0; i < e->n_countries; i++) {
    const emb_country *c = &e->countries[i];
    if (!c->code)
      continue;
    if (strcmp(c->code, pq->country) == 0) {
      add(ev, "country", 0.03f, "%s is listed (%s)", pq->country, emb_country_role_name(c->role));
      return;
    }
    any_nat |= c->role == EMB_COUNTRY_NATIONALITY || c->role == EMB_COUNTRY_CITIZENSHIP;
  }
  if (any_nat)
    add(ev, "country", -0.08f, "%s is not among the listed nationalities", pq->country);
}

/* Letters and digits of an identifier, upper-cased, for comparison. */
static void canon_id(const char *s, char *out, size_t size) {
  size_t o = 0;
  for (; s && *s && o + 1 < size; s++)
    if (isalnum((unsigned char)*s))
      out[o++] = (char)toupper((unsigned char)*s);
  out[o] = '\0';
}

static void id_evidence(const emb_prepared_query *pq, const emb_entity *e, emb_evidence *ev) {
  for (size_t i = 0; i < pq->n_ids; i++) {
    char qv[128];
    canon_id(pq->ids[i].value, qv, sizeof(qv));
    if (strlen(qv) < 4)
      continue; /* too short to identify anything */
    for (size_t k = 0; k < e->n_ids; k++) {
      const emb_identifier *x = &e->ids[k];
      if (pq->ids[i].type && *pq->ids[i].type && strcmp(pq->ids[i].type, x->type) != 0)
        continue;
      char ev_[128];
      canon_id(x->value, ev_, sizeof(ev_));
      if (strcmp(qv, ev_) == 0) {
        ev->id_match = true;
        add(ev, "identifier", 0.0f, "%s %s matches", x->type, x->value);
        return;
      }
    }
  }
}

static bool is_party_kind(emb_schema s, bool person) {
  if (person)
    return s == EMB_SCHEMA_PERSON;
  return s == EMB_SCHEMA_ORGANIZATION || s == EMB_SCHEMA_COMPANY || s == EMB_SCHEMA_LEGAL_ENTITY;
}

static void schema_evidence(const emb_prepared_query *pq, const emb_entity *e, emb_evidence *ev) {
  emb_schema q = pq->schema, s = e->schema;
  if (q == EMB_SCHEMA_UNKNOWN || s == EMB_SCHEMA_UNKNOWN || q == s)
    return;
  /* LegalEntity covers persons and organisations alike. */
  if (q == EMB_SCHEMA_LEGAL_ENTITY || s == EMB_SCHEMA_LEGAL_ENTITY)
    return;
  bool same_family = (is_party_kind(q, false) && is_party_kind(s, false));
  if (!same_family)
    add(ev, "schema", -0.30f, "query is a %s, listed entity a %s", emb_schema_name(q),
        emb_schema_name(s));
}

void emb__collect_evidence(const emb_prepared_query *pq, const emb_entity *e, bool weak_alias,
                           bool details, emb_evidence *ev) {
  ev->n = 0;
  ev->id_match = false;
  ev->details = details;
  id_evidence(pq, e, ev);
  schema_evidence(pq, e, ev);
  birth_evidence(pq, e, ev);
  country_evidence(pq, e, ev);
  if (pq->gender && e->gender && strcmp(pq->gender, e->gender) != 0)
    add(ev, "gender", -0.20f, "query is %s, listed %s", pq->gender, e->gender);
  if (weak_alias)
    add(ev, "alias", -0.05f, "best name is a weak alias");
}

int emb__evidence_json(const emb_evidence *ev, emb_buf *out) {
  int rc = emb__buf_putc(out, '[');
  for (int i = 0; i < ev->n && !rc; i++) {
    const emb_effect *x = &ev->items[i];
    rc = emb__buf_printf(out, "%s{\"kind\":\"%s\",\"effect\":%.2f,\"detail\":", i ? "," : "",
                         x->kind, x->delta);
    rc = rc ? rc : emb__json_str(out, x->detail);
    rc = rc ? rc : emb__buf_putc(out, '}');
  }
  return rc ? rc : emb__buf_putc(out, ']');
}
