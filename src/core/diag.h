/*
 * diag.h - recording problems found in inputs (the internal side of emb_diags).
 *
 * Every loader reports through emb__diag_add(): the severity, an EMB_E... code, the
 * file, line, column and field, and a message. The diags struct copies all strings.
 * A NULL diags pointer is allowed and drops the report.
 */
#ifndef EMB_CORE_DIAG_H
#define EMB_CORE_DIAG_H

#include "embargo.h"

void emb__diag_add(emb_diags *d, emb_severity sev, int code, const char *file, unsigned long line,
                   unsigned long column, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

#define emb__error(d, code, file, line, col, field, ...)                                           \
  emb__diag_add((d), EMB_SEV_ERROR, (code), (file), (line), (col), (field), __VA_ARGS__)
#define emb__warn(d, code, file, line, col, field, ...)                                            \
  emb__diag_add((d), EMB_SEV_WARNING, (code), (file), (line), (col), (field), __VA_ARGS__)

#endif
