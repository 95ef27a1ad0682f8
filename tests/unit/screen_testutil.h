/*
 * screen_testutil.h - helpers the screen unit tests (test_place, test_route,
 * test_redflags) share: printing diagnostics, ending a fixture's setup on its loader's
 * result, and writing a temporary text file named after the test and the process.
 *
 * Every function is static inline, as in testutil.h, so that each test program takes
 * what it uses. Include it after <cmocka.h> and its prerequisites.
 */
#ifndef EMB_TESTS_SCREEN_TESTUTIL_H
#define EMB_TESTS_SCREEN_TESTUTIL_H

#include <stdio.h>
#include <unistd.h>

#include "embargo.h"

/* Prints the first `max` diagnostics of d through cmocka, one a line. */
static inline void st_print_diags(const emb_diags *d, size_t max) {
  for (size_t i = 0; i < d->count && i < max; i++) {
    char buf[512];
    emb_diag_format(&d->items[i], buf, sizeof buf);
    print_error("%s\n", buf);
  }
}

/*
 * The end of a setup that loaded data files into d: prints the diagnostics when the
 * load failed or said anything, finalises d, and returns the setup's result (-1 on a
 * return code or any diagnostic: the bundled files must load cleanly).
 */
static inline int st_setup_done(int rc, emb_diags *d) {
  size_t n = d->count;
  if (rc || n)
    st_print_diags(d, 20);
  emb_diags_fini(d);
  return rc || n ? -1 : 0;
}

/*
 * Writes text to /tmp/emb_test_<name>_<pid><ext> and puts the path in path[0..cap);
 * returns 0, or -1 when the file cannot be written.
 */
static inline int st_write_tmp(char *path, size_t cap, const char *name, const char *ext,
                               const char *text) {
  snprintf(path, cap, "/tmp/emb_test_%s_%d%s", name, (int)getpid(), ext);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fputs(text, f);
  return fclose(f) ? -1 : 0;
}

#endif
