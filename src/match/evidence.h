/*
 * evidence.h - what besides the name raises or lowers a score: birth dates, countries,
 * gender, identifiers and schema.
 *
 * Each check compares the query with one entity and, when it has something to say, adds
 * an effect (a signed change to the score) with a short reason to the list. Checks that
 * cannot say anything (the query or the entity lacks the field) add nothing.
 */
#ifndef EMB_MATCH_EVIDENCE_H
#define EMB_MATCH_EVIDENCE_H

#include <stdbool.h>

#include "core/buf.h"
#include "embargo.h"

#define EMB_MAX_EVIDENCE 8
/* The most the evidence can add to a name score (same birth date + listed country). */
#define EMB_MAX_EVIDENCE_BOOST 0.09f

typedef struct emb_effect {
  const char *kind; /* "birth_date", "country", "gender", "identifier", "schema", "alias" */
  float delta;      /* change to the score */
  char detail[96];  /* for people: "query 1965 vs listed 1965-03-12" */
} emb_effect;

typedef struct emb_evidence {
  emb_effect items[EMB_MAX_EVIDENCE];
  int n;
  bool id_match; /* an identifier matched: near-certain */
  bool details;  /* write the `detail` texts (only for results shown) */
} emb_evidence;

/* A query prepared once for all candidates: parsed date, country code, normalised ids. */
typedef struct emb_prepared_query {
  emb_schema schema;
  emb_date birth;      /* precision NONE when not given or not understood */
  const char *country; /* ISO alpha-2 or NULL */
  const char *gender;  /* "male" / "female" or NULL */
  const emb_query_id *ids;
  size_t n_ids;
} emb_prepared_query;

void emb__prepare_query(const emb_query *q, emb_prepared_query *pq);

/* Collects the evidence about `e`; `weak_alias` when the best name was a weak alias;
 * `details` to write the texts that explain each effect. */
void emb__collect_evidence(const emb_prepared_query *pq, const emb_entity *e, bool weak_alias,
                           bool details, emb_evidence *ev);

/* Appends the evidence as a JSON array. */
int emb__evidence_json(const emb_evidence *ev, emb_buf *out);

#endif
