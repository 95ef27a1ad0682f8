/*
 * sha256.c - SHA-256 as specified in FIPS 180-4, section 6.2, for fingerprinting list files.
 *
 * Written from the standard: the message is processed in 64-byte blocks with the
 * message schedule W[0..63] (section 6.2.2), the eight working variables and the
 * round constants K (section 4.2.2, the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes); the padding (section 5.1.1) appends a 1 bit,
 * zeros and the 64-bit big-endian message length in bits. The context is caller-owned
 * memory (emb_sha256) and nothing is allocated.
 */
#include "core/sha256.h"

#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* ROTR^n(x), SHR^n(x) and the six logical functions of section 4.1.2. */
#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/* Processes one 64-byte block into the hash value (section 6.2.2, steps 1-4). */
static void compress(uint32_t h[8], const unsigned char *p) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 |
           (uint32_t)p[4 * t + 3];
  for (int t = 16; t < 64; t++)
    w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int t = 0; t < 64; t++) {
    uint32_t t1 = hh + BSIG1(e) + CH(e, f, g) + K[t] + w[t];
    uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

void emb__sha256_init(emb_sha256 *s) {
  /* Section 5.3.3: the first 32 bits of the fractional parts of the square roots of
     the first eight primes. */
  static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, h0, sizeof(h0));
  s->nbytes = 0;
  s->nblock = 0;
}

void emb__sha256_update(emb_sha256 *s, const void *data, size_t n) {
  const unsigned char *p = data;
  s->nbytes += n;
  if (s->nblock) {
    size_t take = 64 - s->nblock;
    if (take > n)
      take = n;
    memcpy(s->block + s->nblock, p, take);
    s->nblock += take;
    p += take;
    n -= take;
    if (s->nblock < 64)
      return;
    compress(s->h, s->block);
    s->nblock = 0;
  }
  for (; n >= 64; p += 64, n -= 64)
    compress(s->h, p);
  if (n) {
    memcpy(s->block, p, n);
    s->nblock = n;
  }
}

void emb__sha256_final_hex(emb_sha256 *s, char hex[65]) {
  uint64_t bits = s->nbytes * 8;
  s->block[s->nblock++] = 0x80;
  if (s->nblock > 56) {
    memset(s->block + s->nblock, 0, 64 - s->nblock);
    compress(s->h, s->block);
    s->nblock = 0;
  }
  memset(s->block + s->nblock, 0, 56 - s->nblock);
  for (int i = 0; i < 8; i++)
    s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
  compress(s->h, s->block);
  s->nblock = 0;
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 8; i++)
    for (int k = 0; k < 8; k++)
      hex[i * 8 + k] = digits[(s->h[i] >> (28 - 4 * k)) & 0xF];
  hex[64] = '\0';
}
