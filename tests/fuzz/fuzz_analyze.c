/*
 * fuzz_analyze.c - libFuzzer target for name analysis (src/text).
 *
 * The input bytes are a name, as a list or a query could give it. Each input is
 * analysed with every schema, normalised (emb_text_normalize) and transliterated
 * (emb_text_to_latin), and every promise of analyze.h is checked: tokens are non-empty
 * lowercase ASCII letters and digits of the stated length, kinds and origins are in
 * range, words have a phonetic key of lowercase letters and other kinds an empty one,
 * variant ids are sorted and distinct, byte spans lie inside the input; the phonetic
 * key of any input is bounded; analysing twice gives the same tokens.
 *
 * One analyzer serves the whole run. It loads the bundled variant table
 * (data/names/...) when the target runs from the repository root, and works without
 * it otherwise.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "embargo.h"
#include "text/analyze.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emb_analyzer *an;

static void check(const emb_token *t, size_t n, size_t size) {
  for (size_t i = 0; i < n; i++) {
    if (!t[i].text || t[i].len == 0 || strlen(t[i].text) != t[i].len)
      abort();
    for (size_t k = 0; k < t[i].len; k++) {
      char c = t[i].text[k];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
        abort();
    }
    if (t[i].kind > EMB_TK_STOP || t[i].origin > EMB_TO_FOLDED)
      abort();
    if (!t[i].phon || (t[i].kind == EMB_TK_WORD) != (t[i].phon[0] != '\0'))
      abort();
    for (const char *p = t[i].phon; *p; p++)
      if (*p < 'a' || *p > 'z')
        abort();
    for (size_t k = 1; k < t[i].n_variants; k++)
      if (t[i].variants[k - 1] >= t[i].variants[k])
        abort();
    if (t[i].n_variants && !t[i].variants)
      abort();
    if ((size_t)t[i].src_start + t[i].src_len > size)
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!an) {
    emb_analyzer_opts o = emb_analyzer_opts_default();
    o.variants_path = "data/names/names_wikidata_clusters.txt.gz";
    if (emb_analyzer_new(&o, &an) != 0) {
      o.variants_path = "";
      if (emb_analyzer_new(&o, &an) != 0)
        abort();
    }
  }
  const char *name = (const char *)data;
  emb_arena ar;
  emb__arena_init(&ar, 4096);
  for (int s = 0; s < EMB_SCHEMA_COUNT_; s++) {
    emb_token *t = NULL, *u = NULL;
    size_t n = 0, m = 0;
    if (emb_analyze_name(an, name, size, (emb_schema)s, &ar, &t, &n) != 0)
      abort();
    check(t, n, size);
    if (s != EMB_SCHEMA_UNKNOWN)
      continue;
    if (emb_analyze_name(an, name, size, (emb_schema)s, &ar, &u, &m) != 0 || m != n)
      abort();
    for (size_t i = 0; i < n; i++)
      if (strcmp(t[i].text, u[i].text) != 0 || t[i].kind != u[i].kind)
        abort();
  }
  emb_buf b;
  emb__buf_init(&b, 0);
  if (emb_text_normalize(name, size, &b) != 0)
    abort();
  emb__buf_reset(&b);
  if (emb_text_to_latin(an, name, size, &b) != 0)
    abort();
  for (size_t i = 0; i < b.len; i++) {
    char c = b.data[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' '))
      abort();
  }
  emb__buf_fini(&b);
  char key[16];
  emb_phonetic_key(name, size, key, sizeof key);
  if (strlen(key) >= sizeof key)
    abort();
  emb__arena_fini(&ar);
  return 0;
}
