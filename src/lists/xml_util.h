/*
 * xml_util.h - small text helpers the XML list loaders share (load_un_xml.c,
 * load_ofac_xml.c, load_ofac_adv_xml.c, load_eu_xml.c, load_uk_xml.c): NULL-safe string
 * comparison, byte and case-insensitive search for sniffers and free text, white space
 * squashing, copies and joins into a loader's scratch entity set, and finding the root
 * element of a file for a sniffer.
 *
 * Nothing here keeps state; strings returned belong to the scratch set they were
 * copied into.
 */
#ifndef EMB_LISTS_XML_UTIL_H
#define EMB_LISTS_XML_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "lists/entity.h"

/* True when both strings are set and equal. */
bool emb__xml_eq(const char *a, const char *b);
/* True when both strings are set and equal ignoring ASCII case. */
bool emb__xml_ieq(const char *a, const char *b);
/* True when the bytes of needle occur in h[0..n); for sniffers. */
bool emb__xml_has_bytes(const unsigned char *h, size_t n, const char *needle);
/* True when needle occurs in s ignoring ASCII case; false when s is NULL. */
bool emb__xml_has_ci(const char *s, const char *needle);

/* True when s is NULL or only white space (space, tab, CR, LF, VT, FF). */
bool emb__xml_blank(const char *s);
/* Collapses runs of white space to one space and trims, in place. */
void emb__xml_squash(char *s);
/* Copies s into tmp with white space squashed; NULL when blank, tmp is NULL or out of
 * memory. */
const char *emb__xml_keep(emb_entity_set *tmp, const char *s);

/* a + sep + b copied into tmp; when a or b is NULL or empty, the other one as it is
 * (not copied). NULL when out of memory. */
const char *emb__xml_join2(emb_entity_set *tmp, const char *a, const char *sep, const char *b);
/*
 * Joins the parts that are not empty (by `empty`) with sep, copied into tmp with white
 * space squashed; when sep starts with ',', trailing commas and spaces of a part are
 * dropped so that ", " is not doubled. NULL when every part is empty or out of memory.
 */
const char *emb__xml_join_parts(emb_entity_set *tmp, const char *const *parts, size_t n,
                                const char *sep, bool (*empty)(const char *));

/* ------------------------------------------------------------ sniffing */

/*
 * The first n bytes of a file as ASCII for a sniffer: head itself, or, for UTF-16 text
 * with a byte-order mark, its ASCII characters written to buf (others as '?'), with *n
 * set to their count (at most size).
 */
const unsigned char *emb__xml_ascii_head(const unsigned char *head, size_t *n, unsigned char *buf,
                                         size_t size);
/*
 * Finds the root element's local name in the first bytes: skips a byte-order mark,
 * the XML declaration, processing instructions, comments and a DOCTYPE. Writes at most
 * size-1 bytes to out; returns false when no start tag is found within n bytes.
 */
bool emb__xml_root_name(const unsigned char *h, size_t n, char *out, size_t size);

#endif
