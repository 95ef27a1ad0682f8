/*
 * sha256.h - SHA-256 (FIPS 180-4), for fingerprinting list files.
 */
#ifndef EMB_CORE_SHA256_H
#define EMB_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct emb_sha256 {
  uint32_t h[8];
  uint64_t nbytes;
  unsigned char block[64];
  size_t nblock;
} emb_sha256;

void emb__sha256_init(emb_sha256 *s);
void emb__sha256_update(emb_sha256 *s, const void *data, size_t n);
/* Writes 64 lowercase hex digits and a NUL. */
void emb__sha256_final_hex(emb_sha256 *s, char hex[65]);

#endif
