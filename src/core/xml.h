/*
 * xml.h - safe, streaming XML reading over expat for the list loaders.
 *
 * The reader refuses what a list file never needs and an attacker would use: any
 * entity declaration in a DOCTYPE (billion laughs) and any external entity or DTD
 * (XXE) is an error (EMB_ESECURITY) that stops the parse with file, line and column.
 * Element depth is capped (256) and text content per element is capped
 * (max_text, default 1 MiB; beyond it an error names the element and the text is cut).
 * Malformed or truncated XML and invalid UTF-8 are reported with their location by
 * expat's own message; entities completed before the error stay loaded.
 *
 * Callbacks see element names without namespace prefixes (local names), and each
 * element's character data, whitespace-trimmed, at its end.
 */
#ifndef EMB_CORE_XML_H
#define EMB_CORE_XML_H

#include <stddef.h>

#include "core/input.h"

typedef struct emb_xml emb_xml;

typedef struct emb_xml_handlers {
  /* attrs: NULL-terminated name, value, name, value... (local names). */
  void (*start)(void *ud, emb_xml *x, const char *name, const char **attrs);
  /* text: the element's own direct character data, trimmed, NUL-terminated. */
  void (*end)(void *ud, emb_xml *x, const char *name, const char *text, size_t len);
} emb_xml_handlers;

/*
 * Parses the whole input, calling the handlers. Returns 0 when the document was read
 * to its end, or the EMB_E... code of the error that stopped it (already reported).
 */
int emb__xml_parse(emb_input *in, const emb_xml_handlers *h, void *ud, size_t max_text,
                   emb_diags *diags);

/* Location of the current event, for the loader's own diagnostics. */
unsigned long emb__xml_line(const emb_xml *x);
unsigned long emb__xml_column(const emb_xml *x);
const char *emb__xml_file(const emb_xml *x);
/* Depth of the current element (root = 1) and the name of the ancestor `up` levels above. */
int emb__xml_depth(const emb_xml *x);
const char *emb__xml_parent(const emb_xml *x, int up);
/* Attribute value by local name, or NULL. */
const char *emb__xml_attr(const char **attrs, const char *name);
/* Stops the parse with an error the loader has reported itself. */
void emb__xml_stop(emb_xml *x, int code);

#endif
