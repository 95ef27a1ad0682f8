/*
 * fuzz_loader.h - the common body of the list loaders' libFuzzer targets.
 *
 * A target names the loader it drives with a few macros and includes this header, which
 * defines LLVMFuzzerTestOneInput:
 *
 *   FUZZ_FORMAT    the format name given to emb__load_mem() (required);
 *   FUZZ_FILES     the file name or names the input is loaded as, comma-separated
 *                  (default "fuzz"); with several, the same bytes are loaded as each
 *                  file in turn into one set, as a file set would be;
 *   FUZZ_SNIFF     the format's sniffer, called on the first 64 KiB of the input with
 *                  the first file name, as formats.c calls it (default: none);
 *   FUZZ_SOURCE    the source every entity must have (default: any, as FtM datasets);
 *   FUZZ_ENTITY_PER_RECORD  when defined, every entity must come from at least one
 *                  record: the set holds no more entities than the sources count records;
 *   FUZZ_RCS       the error codes the loader may return, comma-separated (default:
 *                  every code a loader documents); 0 and EMB_ENOMEM are always allowed;
 *   FUZZ_LAX_RC    when defined, a load may report an error and still return 0 (a
 *                  nonzero code must still come with an error); for a loader known to
 *                  break that promise, until it is fixed;
 *   FUZZ_LAX_UTF8  when defined, the strings are read but not required to be valid
 *                  UTF-8; for a loader known to break that promise, until it is fixed;
 *   FUZZ_MAX_KEPT  diagnostics kept verbatim (default: the diagnostics' own default);
 *   FUZZ_CHECK_ENTITY(set, e)  the target's own invariants of one entity;
 *   FUZZ_CHECK_SET(set)        the target's own invariants of the whole set, or work
 *                              on it (the FtM target exports it).
 *
 * Whatever the input, the body checks what src/lists/loader.h promises of every loader
 * and aborts (so libFuzzer keeps the input) when a promise is broken: each load returns
 * 0 or an allowed negative code, nonzero exactly when it reported an error; every
 * entity is found by its own id and has a source; every name has a non-empty text and
 * a script; every string an entity or a source holds is NUL-terminated valid UTF-8
 * (which reads it whole, so a dangling pointer shows up under ASan); every date
 * formats. Every diagnostic is read too. The sanitizers do the rest.
 */
#ifndef EMB_FUZZ_LOADER_H
#define EMB_FUZZ_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "embargo.h"
#include "lists/loader.h"

#ifndef FUZZ_FORMAT
#error "define FUZZ_FORMAT before including fuzz_loader.h"
#endif
#ifndef FUZZ_FILES
#define FUZZ_FILES "fuzz"
#endif
#ifndef FUZZ_RCS
#define FUZZ_RCS                                                                                   \
  EMB_EFORMAT, EMB_ETOOBIG, EMB_ETRUNCATED, EMB_EIO, EMB_EENCODING, EMB_ESECURITY, EMB_EUNSUPPORTED
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads whose result is not judged add up here, so they are not optimised away. */
static volatile size_t fuzz_sink;

/* A string that is there must be valid UTF-8 up to its NUL (read only, when lax). */
static void fuzz_check_str(const char *s) {
  if (!s)
    return;
  size_t n = strlen(s);
#ifdef FUZZ_LAX_UTF8
  fuzz_sink += n;
#else
  if (emb__utf8_check(s, n) != n)
    abort();
#endif
}

static void fuzz_check_strs(const emb_strs *l) {
  for (size_t i = 0; i < l->count; i++) {
    if (!l->items[i])
      abort();
    fuzz_check_str(l->items[i]);
  }
}

static void fuzz_check_entity(const emb_entity_set *set, const emb_entity *e) {
  char buf[32];
  if (!e->id || emb_set_find(set, e->id) != e || !e->source)
    abort();
#ifdef FUZZ_SOURCE
  if (strcmp(e->source, FUZZ_SOURCE) != 0)
    abort();
#endif
  fuzz_check_str(e->id);
  fuzz_check_str(e->source);
  fuzz_check_str(e->gender);
  for (size_t i = 0; i < e->n_names; i++) {
    const emb_name *n = &e->names[i];
    if (!n->full || !*n->full || !n->script)
      abort();
    fuzz_check_str(n->full);
    fuzz_check_str(n->given);
    fuzz_check_str(n->middle);
    fuzz_check_str(n->family);
    fuzz_check_str(n->patronymic);
    fuzz_check_str(n->script);
    fuzz_check_str(n->lang);
  }
  for (size_t i = 0; i < e->n_birth_dates; i++)
    emb_date_format(&e->birth_dates[i], buf, sizeof(buf));
  emb_date_format(&e->listed_on, buf, sizeof(buf));
  emb_date_format(&e->end_date, buf, sizeof(buf));
  for (size_t i = 0; i < e->n_countries; i++) {
    if (!e->countries[i].raw)
      abort();
    fuzz_check_str(e->countries[i].raw);
    fuzz_check_str(e->countries[i].code);
  }
  for (size_t i = 0; i < e->n_ids; i++) {
    if (!e->ids[i].type || !e->ids[i].value)
      abort();
    fuzz_check_str(e->ids[i].type);
    fuzz_check_str(e->ids[i].value);
    fuzz_check_str(e->ids[i].country);
    fuzz_check_str(e->ids[i].note);
  }
  for (size_t i = 0; i < e->n_addresses; i++) {
    const emb_address *a = &e->addresses[i];
    if (!a->full)
      abort();
    fuzz_check_str(a->full);
    fuzz_check_str(a->street);
    fuzz_check_str(a->city);
    fuzz_check_str(a->postal_code);
    fuzz_check_str(a->region);
    fuzz_check_str(a->country);
  }
  fuzz_check_strs(&e->lists);
  fuzz_check_strs(&e->birth_places);
  fuzz_check_strs(&e->programs);
  fuzz_check_strs(&e->remarks);
  fuzz_check_strs(&e->linked_to);
  fuzz_check_strs(&e->titles);
}

/* The return code of one load is 0 or allowed, nonzero exactly when errors were reported. */
static void fuzz_check_rc(int rc, size_t new_errors) {
  static const int allowed[] = {EMB_ENOMEM, FUZZ_RCS};
  bool ok = rc == 0;
  for (size_t i = 0; !ok && i < sizeof(allowed) / sizeof(allowed[0]); i++)
    ok = rc == allowed[i];
#ifdef FUZZ_LAX_RC
  if (!ok || (rc != 0 && new_errors == 0))
    abort();
#else
  if (!ok || (rc == 0) != (new_errors == 0))
    abort();
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const files[] = {FUZZ_FILES};
#ifdef FUZZ_SNIFF
  (void)FUZZ_SNIFF(data, size < 65536 ? size : 65536, files[0]);
#endif
  emb_entity_set *set = emb_set_new();
  if (!set)
    return 0;
  emb_diags diags;
  emb_diags_init(&diags);
#ifdef FUZZ_MAX_KEPT
  diags.max_kept = FUZZ_MAX_KEPT;
#endif
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    size_t errors = diags.n_errors;
    int rc = emb__load_mem(set, FUZZ_FORMAT, data, size, files[i], &diags);
    fuzz_check_rc(rc, diags.n_errors - errors);
  }
  for (size_t i = 0; i < emb_set_count(set); i++) {
    const emb_entity *e = emb_set_get(set, i);
    fuzz_check_entity(set, e);
#ifdef FUZZ_CHECK_ENTITY
    FUZZ_CHECK_ENTITY(set, e);
#endif
  }
  size_t records = 0;
  for (size_t i = 0; i < emb_set_source_count(set); i++) {
    const emb_source *src = emb_set_source(set, i);
    fuzz_check_str(src->path);
    fuzz_check_str(src->format);
    fuzz_check_str(src->source);
    fuzz_check_str(src->published);
    records += src->n_records;
  }
#ifdef FUZZ_ENTITY_PER_RECORD
  if (emb_set_source_count(set) == 0 || emb_set_count(set) > records)
    abort();
#else
  (void)records;
#endif
#ifdef FUZZ_CHECK_SET
  FUZZ_CHECK_SET(set);
#endif
  /* Diagnostics may quote input cut short, so they are read but not judged. */
  size_t sum = 0;
  for (size_t i = 0; i < diags.count; i++) {
    const emb_diag *d = &diags.items[i];
    sum += strlen(d->message) + (d->file ? strlen(d->file) : 0) + (d->field ? strlen(d->field) : 0);
  }
  fuzz_sink = sum;
  emb_diags_fini(&diags);
  emb_set_free(set);
  return 0;
}

#endif
