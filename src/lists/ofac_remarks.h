/*
 * ofac_remarks.h - the facts OFAC writes into free text, turned into entity fields.
 *
 * OFAC's legacy CSV (and, partly, its classic XML) keeps most of what it knows about
 * a party in one "Remarks" field: facts separated by ';', such as "DOB 12 Jan 1965",
 * "POB Tehran, Iran", "nationality Iran", "Passport A1234 (Iran) issued 01 Jan 2000",
 * "a.k.a. 'ABU X'", "Linked To: SOME COMPANY.", "Digital Currency Address - XBT 1abc".
 * This module reads that grammar (docs/formats/ofac-csv.md lists every form) and adds
 * what it recognises to an entity; everything else stays in the remarks text, which
 * the caller keeps whole. It also holds the two rules both OFAC loaders need: how an
 * OFAC identifier label maps to an embargo identifier type, and how a listed person's
 * name "LAST, First Middle" splits into parts.
 *
 * Nothing here fails because of the text: a fact that is not understood is left in
 * the remarks, a date that is not understood is reported as a warning. The functions
 * only add to the entity through lists/entity.h, so all strings end up owned by the
 * set; they never create entities, so an entity pointer stays valid across a call.
 */
#ifndef EMB_LISTS_OFAC_REMARKS_H
#define EMB_LISTS_OFAC_REMARKS_H

#include <stdbool.h>
#include <stddef.h>

#include "embargo.h"

/* Where a remarks text comes from, for warnings (all members may be NULL/0). */
typedef struct emb_ofac_where {
  emb_diags *diags;
  const char *file;
  unsigned long line;
  const char *field; /* "Remarks", "remarks_extended" ... */
} emb_ofac_where;

enum {
  /* The text was cut at OFAC's 1000-character field limit and its continuation is not
     at hand: the last fact is incomplete and is not parsed (it stays in the text). */
  EMB_OFAC_REMARKS_TRUNCATED = 1u << 0,
  /* The text starts in the middle of a fact (a continuation read on its own): the
     first fact is incomplete and is not parsed. */
  EMB_OFAC_REMARKS_CONTINUATION = 1u << 1
};

/*
 * Parses the remarks text[0..len) and adds the facts it recognises to e: birth dates,
 * birth places, countries (nationality, citizenship, birth, jurisdiction), gender,
 * weak aliases (a.k.a./f.k.a./n.k.a. in remarks), identifiers, "Linked To:" targets;
 * an entity of schema Organization becomes a Company when the remarks say it is one
 * ("Target Type ... Company", "Organization Type: ..."). It does not add the text itself
 * to e->remarks. `flags` is a set of EMB_OFAC_REMARKS_* bits. Returns 0 or EMB_ENOMEM.
 */
int emb__ofac_remarks_apply(emb_entity_set *set, emb_entity *e, const char *text, size_t len,
                            unsigned flags, const emb_ofac_where *where);

/*
 * The embargo identifier type for an OFAC identifier label ("Passport", "Tax ID No.",
 * "Vessel Registration Identification", "SWIFT/BIC", ...), refined by the issuing
 * country (a Russian "Tax ID No." is an "inn", a 13- or 15-digit Russian registration
 * number an "ogrn") and by the schema ("Identification Number" is a national_id for a
 * person, a registration otherwise). Unknown labels give "other". Returns a static string.
 */
const char *emb__ofac_id_type(const char *label, size_t len, const char *country_code,
                              const char *value, emb_schema schema);

/*
 * Adds a name to e. For a Person whose name has OFAC's "FAMILY, Given names" shape the
 * part before the first comma becomes the family name and the rest the given names
 * (OFAC's own lastName/firstName split; a middle name is never guessed). Other names
 * are added whole. Returns 0 or EMB_ENOMEM.
 */
int emb__ofac_add_name(emb_entity_set *set, emb_entity *e, const char *full, emb_name_kind kind,
                       emb_strength strength);

#endif
