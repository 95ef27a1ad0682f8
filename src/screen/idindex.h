/*
 * idindex.h - listed entities by identifier: the tax and registration numbers (INN,
 * OGRN, USCC, VAT, company registration) and vessel IMO numbers the lists carry, so that
 * a trade party named differently but carrying a listed number is still found.
 *
 * Identifiers are compared on their letters and digits only, upper-cased ("7701 234-567"
 * = "7701234567"). A value shorter than EMB_IDINDEX_MIN_LEN such characters is not
 * indexed: short numbers collide by chance. A record value that starts with a label
 * ("INN 7701234567", "IMO9187629") is also looked up without its leading letters. Types
 * that identify people rather than trading parties (passport, national id) are indexed
 * too: a customs declaration may carry a sole trader's personal number.
 *
 * Ownership: the index points into the entity set, which must outlive it; once built it
 * is read-only and may be shared by threads.
 */
#ifndef EMB_SCREEN_IDINDEX_H
#define EMB_SCREEN_IDINDEX_H

#include <stddef.h>

#include "embargo.h"

#define EMB_IDINDEX_MIN_LEN 6
#define EMB_IDINDEX_MAX_LEN 64

typedef struct emb_idindex emb_idindex;

/* One listed identifier that a lookup found. */
typedef struct emb_id_hit {
  const emb_entity *entity;
  const emb_identifier *id;
} emb_id_hit;

/* Indexes every identifier of every entity in set. Returns 0 or EMB_ENOMEM. */
int emb__idindex_new(const emb_entity_set *set, emb_idindex **out);
void emb__idindex_free(emb_idindex *x);

/*
 * Looks up value[0..len) (as written in a record). Writes up to max hits (entities in
 * set order, each once) and returns how many there are in all.
 */
size_t emb__idindex_find(const emb_idindex *x, const char *value, size_t len, emb_id_hit *out,
                         size_t max);

/* Writes the letters and digits of value[0..len), upper-cased, into out; returns the length
 * (0 when the value has none or more than EMB_IDINDEX_MAX_LEN). */
size_t emb__id_canon(const char *value, size_t len, char out[EMB_IDINDEX_MAX_LEN + 1]);

#endif
