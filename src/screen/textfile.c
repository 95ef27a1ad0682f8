/*
 * textfile.c - helpers for the screen modules' line-based UTF-8 data files: opening one
 * by its default path, the per-line UTF-8 check with its diagnostic, keyword lookup (see
 * textfile.h). The line reader (core/input.h) drops a first line's byte order mark.
 */
#include <stdio.h>
#include <string.h>

#include "core/diag.h"
#include "core/input.h"
#include "screen/textfile.h"

int emb__textfile_open(const char *path, const char *dflt, emb_input **in, emb_diags *diags) {
  char buf[4096];
  if (!path) {
    snprintf(buf, sizeof buf, "%s/%s", emb_data_dir(), dflt);
    path = buf;
  }
  *in = NULL;
  return emb__input_open(path, in, diags);
}

bool emb__textfile_utf8_ok(const char *s, size_t n, const char *file, unsigned long line,
                           emb_diags *diags) {
  size_t at = emb__utf8_check(s, n);
  if (at == n)
    return true;
  emb__error(diags, EMB_EENCODING, file, line, at + 1, NULL,
             "The line is not valid UTF-8 (byte %zu).", at + 1);
  return false;
}

bool emb__textfile_is(const char *s, size_t n, const char *w) {
  return strlen(w) == n && memcmp(w, s, n) == 0;
}

int emb__textfile_lookup(const char *s, size_t n, const char *const *names, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (emb__textfile_is(s, n, names[i]))
      return (int)i;
  return -1;
}
