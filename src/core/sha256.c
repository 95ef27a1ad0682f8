/*
 * sha256.c - SHA-256 as specified in FIPS 180-4, section 6.2, for fingerprinting list files.
 *
 * Written from the standard: the message is processed in 64-byte blocks with the
 * message schedule W[0..63] (section 6.2.2), the eight working variables and the
 * round constants K (section 4.2.2, the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes); the padding (section 5.1.1) appends a 1 bit,
 * zeros and the 64-bit big-endian message length in bits. The context is caller-owned
 * memory (emb_sha256) and nothing is allocated.
 *
 * Every list file is hashed once per load, so on x86-64 processors that have the SHA
 * extensions (Intel since Goldmont and Ice Lake, AMD since Zen) whole blocks go
 * through compress_ni(), which runs the same rounds with the SHA256RNDS2 / SHA256MSG1 /
 * SHA256MSG2 instructions, several times faster than the portable code; the choice
 * is made once, from CPUID. Other machines use compress() only.
 */
#include "core/sha256.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdbool.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/*
 * ROTR^n(x), SHR^n(x) and the six logical functions of section 4.1.2. Ch and Maj are
 * written in equivalent forms with one operation fewer: (x & y) ^ (~x & z) is
 * z ^ (x & (y ^ z)), and the majority of x, y, z is (x & y) | (z & (x | y)).
 */
#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/*
 * Round t of step 3 with the working variables named in their rotated order: instead
 * of moving h = g, g = f, ... after each round, the next round is called with the
 * names shifted by one, so eight rounds bring them back to where they were.
 */
#define ROUND(a, b, c, d, e, f, g, h, t)                                                           \
  do {                                                                                             \
    uint32_t t1 = (h) + BSIG1(e) + CH(e, f, g) + K[t] + w[t];                                      \
    (d) += t1;                                                                                     \
    (h) = t1 + BSIG0(a) + MAJ(a, b, c);                                                            \
  } while (0)

/* Processes one 64-byte block into the hash value (section 6.2.2, steps 1-4). */
static void compress(uint32_t h[8], const unsigned char *p) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 |
           (uint32_t)p[4 * t + 3];
  for (int t = 16; t < 64; t++)
    w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int t = 0; t < 64; t += 8) {
    ROUND(a, b, c, d, e, f, g, hh, t);
    ROUND(hh, a, b, c, d, e, f, g, t + 1);
    ROUND(g, hh, a, b, c, d, e, f, t + 2);
    ROUND(f, g, hh, a, b, c, d, e, t + 3);
    ROUND(e, f, g, hh, a, b, c, d, t + 4);
    ROUND(d, e, f, g, hh, a, b, c, t + 5);
    ROUND(c, d, e, f, g, hh, a, b, t + 6);
    ROUND(b, c, d, e, f, g, hh, a, t + 7);
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

#ifdef HAVE_SHA_NI
/*
 * compress() for n consecutive blocks with the SHA extensions (Intel's "SHA
 * extensions" paper, 2013). The instructions keep the state as two vectors, ABEF and
 * CDGH; SHA256RNDS2 does two rounds, taking W[t] + K[t] from the low half of its
 * third operand, and SHA256MSG1/MSG2 compute the message schedule of section 6.2.2
 * four words at a time. msg[g % 4] holds W[4g..4g+3] for the group of rounds g.
 */
__attribute__((target("sha,sse4.1"))) static void compress_ni(uint32_t h[8], const unsigned char *p,
                                                              size_t n) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128((const __m128i *)&h[0]);
  __m128i hgfe = _mm_loadu_si128((const __m128i *)&h[4]);
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  for (; n > 0; n--, p += 64) {
    __m128i abef0 = abef, cdgh0 = cdgh, msg[4];
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++) {
      if (g < 4)
        msg[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
      __m128i wk = _mm_add_epi32(msg[g % 4], _mm_loadu_si128((const __m128i *)&K[4 * g]));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
      if (g >= 3 && g <= 14) { /* W[4g+4..4g+7], finished from the words just used */
        __m128i t = _mm_alignr_epi8(msg[g % 4], msg[(g + 3) % 4], 4);
        msg[(g + 1) % 4] = _mm_sha256msg2_epu32(_mm_add_epi32(msg[(g + 1) % 4], t), msg[g % 4]);
      }
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
      if (g >= 1 && g <= 12) /* W[4g+12..4g+15], first half of the work */
        msg[(g + 3) % 4] = _mm_sha256msg1_epu32(msg[(g + 3) % 4], msg[g % 4]);
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
  }
  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(dchg, feba, 8));
}

static bool use_ni;
static pthread_once_t ni_once = PTHREAD_ONCE_INIT;

/* CPUID: leaf 7 EBX bit 29 is SHA; SSSE3 and SSE4.1 are leaf 1 ECX bits 9 and 19. */
static void detect_ni(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
    return;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)))
    use_ni = true;
}
#endif

/* Processes n whole blocks at p. */
static void compress_blocks(uint32_t h[8], const unsigned char *p, size_t n) {
#ifdef HAVE_SHA_NI
  pthread_once(&ni_once, detect_ni);
  if (use_ni) {
    compress_ni(h, p, n);
    return;
  }
#endif
  for (; n > 0; n--, p += 64)
    compress(h, p);
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
    compress_blocks(s->h, s->block, 1);
    s->nblock = 0;
  }
  compress_blocks(s->h, p, n / 64);
  p += n / 64 * 64;
  n %= 64;
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
    compress_blocks(s->h, s->block, 1);
    s->nblock = 0;
  }
  memset(s->block + s->nblock, 0, 56 - s->nblock);
  for (int i = 0; i < 8; i++)
    s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
  compress_blocks(s->h, s->block, 1);
  s->nblock = 0;
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 8; i++)
    for (int k = 0; k < 8; k++)
      hex[i * 8 + k] = digits[(s->h[i] >> (28 - 4 * k)) & 0xF];
  hex[64] = '\0';
}
