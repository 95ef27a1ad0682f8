/*
 * out.h - writing JSON and CSV values to a FILE, for the commands' outputs.
 */
#ifndef EMB_CLI_OUT_H
#define EMB_CLI_OUT_H

#include <stdio.h>

/* Writes s as a JSON string literal (quoted, escaped). NULL writes null. */
void out_json_str(FILE *f, const char *s);
/* Writes s as one CSV field with RFC 4180 quoting when needed. */
void out_csv_field(FILE *f, const char *s, char delimiter);

#endif
