/*
 * fuzz_xml.c - libFuzzer target for the safe XML reader (core/xml.c).
 *
 * The first input byte picks the text cap (odd: 1..128 bytes so the cutting path runs;
 * even: the default 1 MiB); the rest is the document, read from memory through
 * emb__input_open_mem() so gzip and zip inputs reach the reader too. Every callback
 * checks the reader's promises: names are non-empty local names, depth stays within
 * 1..256 and parent 0 is the element itself, attributes come in name/value pairs, and
 * the text is NUL-terminated, of the stated length, within the cap, valid UTF-8 and
 * trimmed. The return code is 0 or a negative EMB_E... code.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/xml.h"
#include "embargo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_ud {
  size_t max_text;
  unsigned long events;
} fuzz_ud;

static void check_name(emb_xml *x, const char *name) {
  /* A prefix is stripped unless nothing follows it ("d:" stays "d:"). */
  const char *colon = name ? strrchr(name, ':') : NULL;
  if (!name || !*name || (colon && colon[1]))
    abort();
  int depth = emb__xml_depth(x);
  if (depth < 1 || depth > 256)
    abort();
  if (strcmp(emb__xml_parent(x, 0), name) != 0)
    abort();
  if (emb__xml_parent(x, depth) != NULL || emb__xml_parent(x, depth - 1) == NULL)
    abort();
  if (!emb__xml_file(x) || emb__xml_line(x) == 0 || emb__xml_column(x) == 0)
    abort();
}

static void on_start(void *ud, emb_xml *x, const char *name, const char **attrs) {
  fuzz_ud *u = ud;
  u->events++;
  check_name(x, name);
  for (size_t i = 0; attrs[i]; i += 2) {
    const char *c = strrchr(attrs[i], ':');
    if (!attrs[i + 1] || !*attrs[i] || (c && c[1]))
      abort();
    if (emb__xml_attr(attrs, attrs[i]) == NULL)
      abort();
  }
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void on_end(void *ud, emb_xml *x, const char *name, const char *text, size_t len) {
  fuzz_ud *u = ud;
  u->events++;
  check_name(x, name);
  if (!text || text[len] != '\0' || strlen(text) != len || len > u->max_text)
    abort();
  if (emb__utf8_check(text, len) != len)
    abort();
  if (len && (is_space(text[0]) || is_space(text[len - 1])))
    abort();
  if (u->events > 200000 && (u->events & 1))
    emb__xml_stop(x, EMB_ETOOBIG); /* a loader giving up midway */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t sel = data[0];
  data++;
  size--;
  fuzz_ud u = {(sel & 1) ? 1 + (size_t)(sel >> 1) : 1024 * 1024, 0};
  emb_diags diags;
  emb_diags_init(&diags);
  emb_input *in = NULL;
  if (emb__input_open_mem(data, size, "fuzz.xml", &in, &diags) == 0) {
    static const emb_xml_handlers H = {on_start, on_end};
    int rc = emb__xml_parse(in, &H, &u, (sel & 1) ? u.max_text : 0, &diags);
    if (rc > 0)
      abort();
    if (rc && diags.n_errors == 0 && rc != EMB_ETOOBIG)
      abort(); /* every error the reader returns is reported, except the loader's own stop */
    emb__input_close(in);
  }
  emb_diags_fini(&diags);
  return 0;
}
