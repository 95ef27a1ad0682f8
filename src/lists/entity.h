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

#endif
