/*
 * textfile.h - small helpers shared by the screen modules that read line-based UTF-8
 * data files (the gazetteer in place.c, the route rules in route.c, the column-mapping
 * files in fieldmap.c): opening one by its default path, the UTF-8 check of a line with
 * its diagnostic, and the lookup of a keyword among a fixed list of names (the line
 * reader, core/input.h, already drops a byte order mark).
 *
 * None of them allocates or keeps state; all may run from many threads.
 */
#ifndef EMB_SCREEN_TEXTFILE_H
#define EMB_SCREEN_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/input.h"
#include "embargo.h"

/*
 * Opens the data file at path, or at <emb_data_dir()>/<dflt> when path is NULL (e.g.
 * "places/cities.tsv"). Returns 0 or the code of emb__input_open, which reports why.
 */
int emb__textfile_open(const char *path, const char *dflt, emb_input **in, emb_diags *diags);

/*
 * True when s[0..n) is valid UTF-8; else reports an EMB_EENCODING error for file:line
 * at the column of the first bad byte ("The line is not valid UTF-8 (byte N).") and
 * returns false.
 */
bool emb__textfile_utf8_ok(const char *s, size_t n, const char *file, unsigned long line,
                           emb_diags *diags);

/* True when s[0..n) is exactly the NUL-terminated word w. */
bool emb__textfile_is(const char *s, size_t n, const char *w);

/* The index of s[0..n) in names[0..count) (exact, case-sensitive), or -1. */
int emb__textfile_lookup(const char *s, size_t n, const char *const *names, size_t count);

#endif
