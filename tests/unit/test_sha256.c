/*
 * test_sha256.c - SHA-256 (core/sha256.c) against the FIPS 180-4 / NIST example vectors.
 *
 * Each vector is also hashed in uneven pieces, so the block buffering of
 * emb__sha256_update() is exercised at every split point of a short message and
 * across the 55/56/64-byte padding boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/sha256.h"

static void hash_str(const char *s, size_t n, char hex[65]) {
  emb_sha256 h;
  emb__sha256_init(&h);
  emb__sha256_update(&h, s, n);
  emb__sha256_final_hex(&h, hex);
}

static void test_vectors(void **state) {
  (void)state;
  char hex[65];
  hash_str("", 0, hex);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hash_str("abc", 3, hex);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  hash_str(m448, strlen(m448), hex);
  assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const char *m896 =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
      "klmnopqrlmnopqrsmnopqrstnopqrstu";
  hash_str(m896, strlen(m896), hex);
  assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state) {
  (void)state;
  char chunk[1000];
  memset(chunk, 'a', sizeof(chunk));
  emb_sha256 h;
  emb__sha256_init(&h);
  for (int i = 0; i < 1000; i++)
    emb__sha256_update(&h, chunk, sizeof(chunk));
  char hex[65];
  emb__sha256_final_hex(&h, hex);
  assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  /* The same million bytes fed in odd pieces (7, 64, 1 ... bytes). */
  emb__sha256_init(&h);
  size_t left = 1000000, step[] = {7, 64, 1, 63, 65, 128, 999};
  for (size_t k = 0; left; k++) {
    size_t n = step[k % 7] < left ? step[k % 7] : left;
    emb__sha256_update(&h, chunk, n);
    left -= n;
  }
  emb__sha256_final_hex(&h, hex);
  assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_splits(void **state) {
  (void)state;
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  size_t n = strlen(m448);
  for (size_t cut = 0; cut <= n; cut++) {
    emb_sha256 h;
    emb__sha256_init(&h);
    emb__sha256_update(&h, m448, cut);
    emb__sha256_update(&h, m448 + cut, n - cut);
    char hex[65];
    emb__sha256_final_hex(&h, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  /* Lengths around the padding boundaries: 55 bytes fit one block, 56 need two. */
  static const struct {
    size_t n;
    const char *hex;
  } pad[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
  };
  char a[64];
  memset(a, 'a', sizeof(a));
  for (size_t i = 0; i < sizeof(pad) / sizeof(pad[0]); i++) {
    char hex[65];
    hash_str(a, pad[i].n, hex);
    assert_string_equal(hex, pad[i].hex);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_vectors),
      cmocka_unit_test(test_million_a),
      cmocka_unit_test(test_splits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
