/*
 * fuzz_place.c - libFuzzer target for place resolution (src/screen/place.c) and for the
 * gazetteer loader.
 *
 * The bundled gazetteer is loaded once ($EMBARGO_DATA_DIR or the compile-time
 * EMB_DATA_DIR) and must load cleanly. Each input is resolved as a country field, with
 * and without the gazetteer; a result must be 0 with a two-letter upper-case country, a
 * region that is empty or starts with that country's code (or, for occupied Ukraine,
 * UA), a non-empty explanation, an occupation status only for Ukraine - or
 * EMB_ENOTFOUND with the place zeroed. The same bytes are then loaded as a gazetteer
 * file, which must return 0 or report an error (a bad line, a broken archive), and
 * resolve a fixed text without crashing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embargo.h"
#include "screen/place.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emb_places *G;

static void check(int rc, const emb_place *p) {
  if (rc == EMB_ENOTFOUND) {
    if (p->country[0] || p->region[0] || p->matched || p->note)
      abort();
    return;
  }
  if (rc != 0)
    abort();
  if (strlen(p->country) != 2 || p->country[0] < 'A' || p->country[0] > 'Z' ||
      p->country[1] < 'A' || p->country[1] > 'Z')
    abort();
  if (!p->matched || !*p->matched)
    abort();
  if (p->region[0] && (memchr(p->region, 0, sizeof p->region) == NULL ||
                       strncmp(p->region, p->country, 2) != 0 || p->region[2] != '-'))
    abort();
  if (p->occupation != EMB_OCC_NONE && strcmp(p->country, "UA") != 0)
    abort();
  if (p->note && !*p->note)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!G) {
    emb_diags d;
    emb_diags_init(&d);
    if (emb__places_load(NULL, &G, &d) != 0 || d.count)
      abort(); /* the bundled gazetteer must load cleanly */
    emb_diags_fini(&d);
  }
  const char *s = (const char *)data;
  emb_place p;
  check(emb__place_resolve_in(G, s, size, &p), &p);
  check(emb__place_resolve_in(NULL, s, size, &p), &p);
  if (size > 4096)
    return 0;
  emb_diags d;
  emb_diags_init(&d);
  emb_places *g = NULL;
  int rc = emb__places_load_mem(data, size, "fuzz.tsv", &g, &d);
  if (rc != 0 && rc != EMB_EFORMAT && rc != EMB_ENOMEM && rc != EMB_ETRUNCATED && rc != EMB_EIO &&
      rc != EMB_EUNSUPPORTED)
    abort(); /* gzip and zip are read too: a broken archive fails to open or read */
  if ((rc == 0) != (d.n_errors == 0) && rc != EMB_ENOMEM)
    abort();
  if (g) {
    check(emb__place_resolve_in(g, s, size, &p), &p);
    check(emb__place_resolve_in(g, "Donetsk, Russia", 15, &p), &p);
    emb__places_free(g);
  }
  emb_diags_fini(&d);
  return 0;
}
