/*
 * fuzz_uk_csv.c - libFuzzer target for the UK OFSI ConList CSV loader (lists/load_uk_csv.c).
 *
 * The input is the file, loaded from memory through emb__load_mem() as format
 * "uk-csv" (so gzip and zip inputs reach the loader too). Besides the sanitizers,
 * the target checks the loader's promises: it returns 0 exactly when it reported no
 * error, only the documented error codes come back, and every entity it made has an
 * id of its own form and names that are NUL-terminated valid UTF-8.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "embargo.h"
#include "lists/loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s) {
  if (s && emb__utf8_check(s, strlen(s)) != strlen(s))
    abort();
}

static void check_entity(const emb_entity *e) {
  if (strncmp(e->id, "uk:", 3) != 0 || !e->id[3] || strchr(e->id, ' '))
    abort();
  if (!e->source || strcmp(e->source, "uk") != 0 || e->n_names == 0)
    abort();
  for (size_t i = 0; i < e->n_names; i++) {
    if (!e->names[i].full || !*e->names[i].full || !e->names[i].script)
      abort();
    check_str(e->names[i].full);
    check_str(e->names[i].given);
    check_str(e->names[i].middle);
    check_str(e->names[i].family);
  }
  for (size_t i = 0; i < e->n_ids; i++) {
    if (!e->ids[i].type || !e->ids[i].value)
      abort();
    check_str(e->ids[i].value);
  }
  for (size_t i = 0; i < e->n_addresses; i++)
    check_str(e->addresses[i].full);
  for (size_t i = 0; i < e->remarks.count; i++)
    check_str(e->remarks.items[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)emb__sniff_uk_csv(data, size, "fuzz");
  emb_entity_set *set = emb_set_new();
  if (!set)
    return 0;
  emb_diags diags;
  emb_diags_init(&diags);
  int rc = emb__load_mem(set, "uk-csv", data, size, "fuzz", &diags);
  if (rc == EMB_ENOMEM) {
    emb_set_free(set);
    emb_diags_fini(&diags);
    return 0;
  }
  if (rc != 0 && rc != EMB_EFORMAT && rc != EMB_ETOOBIG && rc != EMB_ETRUNCATED && rc != EMB_EIO &&
      rc != EMB_EENCODING)
    abort();
  if ((rc == 0) != (diags.n_errors == 0))
    abort(); /* nonzero exactly when something was reported lost */
  const emb_source *src = emb_set_source(set, 0);
  if (!src || emb_set_count(set) > src->n_records)
    abort(); /* every entity comes from at least one record */
  for (size_t i = 0; i < emb_set_count(set); i++)
    check_entity(emb_set_get(set, i));
  emb_set_free(set);
  emb_diags_fini(&diags);
  return 0;
}
