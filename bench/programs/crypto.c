// libsodium-style crypto workload on Monocypher 4.0.2 (the C library vendored in crates.io monocypher-sys 4.0.2):
// one primitive per run, like libsodium's benchmark programs (aead, hash, sign, box, pwhash, ...).
// Usage: crypto PRIMITIVE ITERATIONS. Prints a checksum so the work cannot be optimised away.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monocypher.h"
#include "monocypher-ed25519.h"

static uint8_t buf[16384], out[16384 + 64];

static void fill(uint8_t *p, size_t n, uint8_t seed) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(seed + i * 31);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: crypto aead|blake2b|sha512|chacha20|poly1305|x25519|sign|verify|argon2 N\n");
    return 2;
  }
  const char *op = argv[1];
  long n = strtol(argv[2], NULL, 10);
  uint8_t key[32], nonce[24], mac[16], hash[64], sk[64], pk[32], seed[32], sig[64], shared[32];
  fill(buf, sizeof buf, 7);
  fill(key, 32, 1);
  fill(nonce, 24, 2);
  fill(seed, 32, 3);
  crypto_eddsa_key_pair(sk, pk, seed);
  crypto_eddsa_sign(sig, sk, buf, 64);
  uint32_t acc = 0;
  for (long i = 0; i < n; i++) {
    key[0] = (uint8_t)i;
    if (!strcmp(op, "aead")) {
      crypto_aead_lock(out, mac, key, nonce, NULL, 0, buf, sizeof buf);
      acc += mac[0];
    } else if (!strcmp(op, "blake2b")) {
      buf[0] = (uint8_t)i;
      crypto_blake2b(hash, 64, buf, sizeof buf);
      acc += hash[0];
    } else if (!strcmp(op, "sha512")) {
      buf[0] = (uint8_t)i;
      crypto_sha512(hash, buf, sizeof buf);
      acc += hash[0];
    } else if (!strcmp(op, "chacha20")) {
      crypto_chacha20_x(out, buf, sizeof buf, key, nonce, 0);
      acc += out[7];
    } else if (!strcmp(op, "poly1305")) {
      crypto_poly1305(mac, buf, sizeof buf, key);
      acc += mac[3];
    } else if (!strcmp(op, "x25519")) {
      crypto_x25519(shared, key, pk);
      acc += shared[0];
    } else if (!strcmp(op, "sign")) {
      buf[0] = (uint8_t)i;
      crypto_eddsa_sign(sig, sk, buf, 64);
      acc += sig[0];
    } else if (!strcmp(op, "verify")) {
      acc += (uint32_t)crypto_eddsa_check(sig, pk, buf, 64) + 1;
    } else if (!strcmp(op, "argon2")) {
      static uint8_t work[64 * 1024];
      crypto_argon2_config config = {CRYPTO_ARGON2_ID, 64, 3, 1};
      crypto_argon2_inputs inputs = {key, nonce, 32, 16};
      crypto_argon2(hash, 32, work, config, inputs, crypto_argon2_no_extras);
      acc += hash[0];
    } else {
      fprintf(stderr, "unknown primitive %s\n", op);
      return 2;
    }
  }
  printf("%s x%ld: %u\n", op, n, acc);
  return 0;
}
