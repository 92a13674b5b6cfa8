/* Independent reference for engine/estimate/mediation/prng.ts: xoshiro128** 1.1 (Blackman & Vigna 2018) on
 * uint32_t, seeded by splitmix32 (Weyl step 0x9e3779b9, MurmurHash3 finaliser) from the seed's low word XOR
 * (high word * 0x27d4eb2d). Prints the first 8 outputs for a few seeds as JSON.
 * Regenerate from the repository root:
 *   gcc -O2 -o /tmp/xoshiro128 tests/parity/mediation/xoshiro128.c && /tmp/xoshiro128 > tests/parity/mediation/xoshiro128.json
 */
#include <stdint.h>
#include <stdio.h>

static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static uint32_t splitmix32(uint32_t *state) {
  uint32_t z = (*state += 0x9e3779b9u);
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}

static uint32_t next(uint32_t s[4]) {
  uint32_t result = rotl(s[1] * 5, 7) * 9;
  uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

int main(void) {
  const uint64_t seeds[] = {0, 1, 42, 20240601, 4294967295ull, 4294967296ull, 9007199254740991ull};
  const int nseeds = sizeof seeds / sizeof seeds[0];
  printf("[\n");
  for (int i = 0; i < nseeds; i++) {
    uint32_t lo = (uint32_t)seeds[i], hi = (uint32_t)(seeds[i] >> 32);
    uint32_t sm = lo ^ (hi * 0x27d4eb2du);
    uint32_t s[4];
    for (int k = 0; k < 4; k++) s[k] = splitmix32(&sm);
    printf("{\"seed\":%llu,\"outputs\":[", (unsigned long long)seeds[i]);
    for (int k = 0; k < 8; k++) printf("%s%u", k ? "," : "", next(s));
    printf("]}%s\n", i + 1 < nseeds ? "," : "");
  }
  printf("]\n");
  return 0;
}
