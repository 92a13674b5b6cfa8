/**
 * A small, seeded, deterministic pseudo-random generator for the bootstrap, so that the same seed gives the same
 * resamples (and so a bit-identical interval) on every machine and every run. Nothing global: each bootstrap owns
 * its generator.
 *
 * xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018): 128 bits of state,
 * period 2^128 − 1, 32-bit outputs; all arithmetic is on 32-bit integers (Math.imul, >>> 0), so the stream is exact
 * and platform-independent. The state is seeded from the user's seed by splitmix32 (a Weyl sequence with the
 * MurmurHash3 finaliser), as the authors recommend, so that nearby seeds give unrelated streams.
 */

/** One step of splitmix32: advances `state[0]` and returns a well-mixed 32-bit value. */
function splitmix32(state: Uint32Array): number {
  state[0] = (state[0]! + 0x9e3779b9) >>> 0;
  let z = state[0]!;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Xoshiro128 {
  private readonly s = new Uint32Array(4);

  /**
   * @param seed a non-negative integer below 2^53; its low and high 32-bit words both enter the seeding, so seeds
   *   above 2^32 are not folded onto smaller ones.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const sm = new Uint32Array([lo ^ Math.imul(hi, 0x27d4eb2d)]);
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(sm);
    // An all-zero state is the one fixed point of xoshiro; splitmix32 cannot produce four zeros in a row, but guard.
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /**
   * A generator started from an explicit state (four 32-bit words, not all zero), for checking the stream against
   * the known-answer vector of version 1.1 (state 1, 2, 3, 4 → 11520, 0, 5927040, 70819200, …).
   */
  static fromState(state: readonly [number, number, number, number]): Xoshiro128 {
    if (state.every((w) => w >>> 0 === 0)) throw new RangeError('the xoshiro state may not be all zero');
    const g = new Xoshiro128(0);
    for (let i = 0; i < 4; i++) g.s[i] = state[i]! >>> 0;
    return g;
  }

  /** The next 32-bit unsigned output. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = s[2]! ^ s[0]!;
    s[3] = s[3]! ^ s[1]!;
    s[1] = s[1]! ^ s[2]!;
    s[0] = s[0]! ^ s[3]!;
    s[2] = s[2]! ^ t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /**
   * A uniform integer in [0, n), n ≤ 2^32, without modulo bias: outputs at or above the largest multiple of n are
   * rejected and redrawn (at most one redraw in two on average, almost never for the n of a bootstrap).
   */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296)
      throw new RangeError(`bound must be an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A uniform double in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }
}
