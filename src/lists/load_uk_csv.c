/*
 * load_uk_csv.c - STUB: to be replaced by the real loader.
 */
#include "lists/loader.h"

bool emb__sniff_uk_csv(const unsigned char *head, size_t n, const char *path) {
  (void)head;
  (void)n;
  (void)path;
  return false;
}

int emb__load_uk_csv(emb_load_ctx *ctx) {
  emb__error(ctx->diags, EMB_EUNSUPPORTED, ctx->path, 0, 0, NULL, "loader not built yet");
  return EMB_EUNSUPPORTED;
}
