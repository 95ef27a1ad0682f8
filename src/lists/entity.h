/*
 * entity.h - building entities inside an emb_entity_set (the loaders' side).
 *
 * The set owns all entities and strings: every emb__entity_add_* copies the strings
 * it is given into the set's arena, so callers may pass temporary buffers. Empty
 * strings and NULL are ignored where a value is required. Adding a value the entity
 * already has (same text and role/kind) is a no-op, so merging two sources of the
 * same entity (OFAC SDN and non-SDN) does not duplicate.
 *
 * Each function returns 0 or EMB_ENOMEM.
 */
#ifndef EMB_LISTS_ENTITY_H
#define EMB_LISTS_ENTITY_H

#include "embargo.h"

/*
 * Returns the entity with this id, creating it when absent (*created tells which).
 * The pointer stays valid until the next call that creates an entity; hold the
 * index (emb__set_index) across such calls.
 */
emb_entity *emb__set_upsert(emb_entity_set *set, const char *id, bool *created);
emb_entity *emb__set_at(emb_entity_set *set, size_t i);
/* Index of an entity by id, or (size_t)-1. */
size_t emb__set_index(const emb_entity_set *set, const char *id);
/* Removes the last-created entity (a loader drops a record it could not complete). */
void emb__set_drop_last(emb_entity_set *set);

/* Copies a string into the set's arena; NULL when s is NULL or out of memory. */
const char *emb__set_str(emb_entity_set *set, const char *s);
const char *emb__set_strn(emb_entity_set *set, const char *s, size_t len);

/* Records a loaded source; the returned struct is owned by the set. */
emb_source *emb__set_add_source(emb_entity_set *set, const char *path, const char *format,
                                const char *source);

int emb__entity_set_source(emb_entity_set *set, emb_entity *e, const char *source);
/* Adds a name. Script is detected from the text when n->script is NULL. */
int emb__entity_add_name(emb_entity_set *set, emb_entity *e, const emb_name *n);
/* Shorthand for a name with no parts. */
int emb__entity_add_name_simple(emb_entity_set *set, emb_entity *e, const char *full,
                                emb_name_kind kind, emb_strength strength);
int emb__entity_add_birth_date(emb_entity_set *set, emb_entity *e, const emb_date *d);
/* Adds a country from a name or code as written; code is NULL when not recognised. */
int emb__entity_add_country(emb_entity_set *set, emb_entity *e, const char *raw,
                            emb_country_role role);
int emb__entity_add_id(emb_entity_set *set, emb_entity *e, const char *type, const char *value,
                       const char *country, const char *note);
int emb__entity_add_address(emb_entity_set *set, emb_entity *e, const emb_address *a);
/* Appends to one of the entity's string lists (lists, programs, remarks, ...). */
int emb__entity_add_str(emb_entity_set *set, emb_strs *list, const char *s);

/*
 * Merges src into dst, an entity of `set` (src may live in another set, usually a
 * loader's scratch set for one record). Names, birth dates, countries, identifiers,
 * addresses and the string lists (lists, birth places, programmes, remarks, linked-to,
 * titles) are added in src's order through the builders above, so that dst gets the
 * union (nothing it has already is repeated) and every string is copied into set's
 * arena. dst takes src's schema when its own is unknown, src's source when it has none,
 * the earlier of the two listing dates, and src's end date and gender when it has none.
 * Dates are copied with their padding bytes zeroed. dst keeps at most max_values values
 * of one kind: the rest of src's values of that kind are skipped and *capped is set to
 * true (capped may be NULL; SIZE_MAX means no cap). A loader's own rules (name parts
 * it drops, a first listing date it keeps) are applied to src or dst before the call.
 * Returns 0 or EMB_ENOMEM (dst then holds part of src).
 */
int emb__entity_merge(emb_entity_set *set, emb_entity *dst, const emb_entity *src,
                      size_t max_values, bool *capped);
/*
 * Moves e's primary names before its other names, each group keeping its order; for a
 * loader that builds the primary name last and wants it first after the merge.
 */
void emb__entity_primary_first(emb_entity *e);

#endif
