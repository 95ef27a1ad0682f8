/*
 * load_util.c - small helpers shared by the list loaders; see loader.h.
 */
#include <string.h>

#include "lists/date.h"
#include "lists/loader.h"

bool emb__is_null_value(const char *s) {
  if (!s)
    return true;
  while (*s == ' ' || *s == '\t')
    s++;
  if (!*s)
    return true;
  if (strncmp(s, "-0-", 3) == 0) {
    s += 3;
    while (*s == ' ' || *s == '\t')
      s++;
    return *s == '\0';
  }
  return false;
}

char *emb__clean_space(const char *s, size_t len, char *buf, size_t size) {
  size_t o = 0;
  bool space = false;
  if (!size)
    return buf;
  for (size_t i = 0; i < len && o + 1 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      space = o > 0;
      continue;
    }
    if (space && o + 2 < size)
      buf[o++] = ' ';
    space = false;
    buf[o++] = (char)c;
  }
  buf[o] = '\0';
  return buf;
}

typedef struct add_dates_ud {
  emb_load_ctx *ctx;
  emb_entity *e;
  int rc;
} add_dates_ud;

static void add_one_date(const emb_date *d, void *ud) {
  add_dates_ud *u = ud;
  int rc = emb__entity_add_birth_date(u->ctx->set, u->e, d);
  if (rc)
    u->rc = rc;
}

int emb__add_birth_dates(emb_load_ctx *ctx, emb_entity *e, const char *text, emb_date_order order,
                         const char *file, unsigned long line, const char *field) {
  if (!text || !*text)
    return 0;
  add_dates_ud u = {ctx, e, 0};
  int bad = emb__date_parse_list(text, strlen(text), order, add_one_date, &u);
  if (bad > 0)
    emb__warn(ctx->diags, EMB_EFORMAT, file, line, 0, field, "date not understood: \"%.80s\"",
              text);
  return u.rc;
}
