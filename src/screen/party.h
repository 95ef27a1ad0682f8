/*
 * party.h - the distinct parties of a trade file and what the lists say about them.
 *
 * Trade data repeats the same parties many times, so screening works on distinct
 * parties: the first pass over a file adds every party field (name, the party's
 * country, its tax or registration number; the vessel with its IMO number) to one
 * table, a party written the same way twice being one entry; then every distinct party
 * is screened once, in parallel, against the matcher (name, with country and identifier
 * as evidence) and the identifier index; the second pass only looks parties up. Memory
 * grows with the number of distinct parties, never with the number of records.
 *
 * Trading parties are persons or organisations: a listed vessel or aircraft is never
 * reported for them, and the vessel is only matched against listed vessels and aircraft
 * (identifier hits are kept whatever the kind).
 *
 * The US Consolidated Screening List repeats OFAC's entries (csl:SDN:36 is ofac:36): when
 * both match, the OFAC entity is kept and the CSL id is named in its `also`.
 *
 * Two spellings are the same party when they differ only in ASCII case and spacing and
 * name the same country and identifier (letters and digits of it).
 *
 * Ownership: the table owns its copies of every string and result. Adding is
 * single-threaded; once emb__parties_screen() has returned, lookups may run from many
 * threads at once.
 */
#ifndef EMB_SCREEN_PARTY_H
#define EMB_SCREEN_PARTY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "embargo.h"
#include "screen/idindex.h"

#define EMB_PARTY_MAX_MATCHES 10

/* A listed entity that a party matched, by name, by identifier, or both. */
typedef struct emb_party_match {
  const emb_entity *entity;
  double score;             /* the name score (0 when the name was not compared) */
  bool by_name;             /* the name scored at or above the threshold */
  const emb_identifier *id; /* the listed identifier equal to the party's, or NULL */
  const char *explanation;  /* the matcher's JSON explanation of the name score */
  const char *also;         /* the same entity's ids in other loaded lists ("csl:SDN:36"
                               beside ofac:36), comma-separated, or NULL */
} emb_party_match;

typedef struct emb_party {
  const char *name;         /* as first seen, trimmed */
  const char *country;      /* ISO alpha-2 the caller resolved, or "" */
  const char *id;           /* the identifier as first seen, or "" */
  emb_schema schema;        /* UNKNOWN for trading parties, VESSEL for the vessel */
  emb_party_match *matches; /* best first; NULL when none (most parties) */
  size_t n_matches;
} emb_party;

/* Trims ASCII white space around s[0..*len); returns the new start and sets *len. */
const char *emb__name_trim(const char *s, size_t *len);

/*
 * Writes name[0..len) folded for comparison into out (at most cap bytes, no NUL): ASCII
 * case folded, white space dropped at the ends and runs of it made one space. Returns the
 * bytes written; never more than len.
 */
size_t emb__name_fold(const char *name, size_t len, char *out, size_t cap);

typedef struct emb_parties emb_parties;

emb_parties *emb__parties_new(void);
void emb__parties_free(emb_parties *p);

/*
 * Adds a party (or finds it when already there) and sets *index. An empty name is not a
 * party: returns EMB_ENOTFOUND. Returns 0 or EMB_ENOMEM.
 */
int emb__parties_add(emb_parties *p, emb_schema schema, const char *name, size_t name_len,
                     const char *country, const char *id, size_t id_len, size_t *index);

size_t emb__parties_count(const emb_parties *p);
const emb_party *emb__parties_get(const emb_parties *p, size_t index);

/*
 * Finds a party added before, or NULL. Safe from several threads after screening, each
 * with its own scratch buffer (for the key).
 */
const emb_party *emb__parties_find(const emb_parties *p, emb_buf *scratch, emb_schema schema,
                                   const char *name, size_t name_len, const char *country,
                                   const char *id, size_t id_len);

/* Called now and then from the screening threads' coordinator with parties done so far. */
typedef void (*emb_parties_progress)(void *ud, size_t done, size_t total);

/*
 * Screens every party not screened yet with `threads` threads (0: one), each with its
 * own match context. Keeps the matches at or above the matcher's threshold and every
 * identifier hit. Returns 0, or EMB_ENOMEM.
 */
int emb__parties_screen(emb_parties *p, const emb_matcher *m, const emb_idindex *ids,
                        unsigned threads, emb_parties_progress progress, void *ud);

#endif
