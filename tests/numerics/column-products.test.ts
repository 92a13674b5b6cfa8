// Cross products computed ahead (engine/numerics/linalg.ts `ColumnProducts`, filled by the demeaning pool while it
// waits for a worker) must be the bits crossProducts computes itself: the same blocks of rows, the same partial sums,
// in the same order, whichever columns were added and in whichever order.
import { describe, expect, it } from 'vitest';
import { ColumnProducts, crossProducts } from '../../engine/numerics/linalg.js';
import { rng } from '../ols/helpers.js';

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function columns(n: number, k: number, seed: number): Float64Array[] {
  const r = rng(seed);
  // very different magnitudes, so that a different summation order would change the last bits
  return Array.from({ length: k }, (_, j) =>
    Float64Array.from({ length: n }, () => r.normal() * 10 ** (j - 2) + (r.uniform() < 0.01 ? 1e6 : 0)),
  );
}

describe('cross products computed ahead', () => {
  // lengths below one block, an odd multiple of the block with a remainder, and many blocks
  for (const n of [7, 2048 * 3 + 5, 100_003])
    it(`n = ${n}: any subset added in any order gives crossProducts' bits`, () => {
      const cols = columns(n, 5, n);
      const y = columns(n, 1, n + 1)[0]!;
      const ref = crossProducts(cols, y);
      const r = rng(n + 2);
      for (let trial = 0; trial < 6; trial++) {
        const known = new ColumnProducts();
        const all = [...cols, y];
        // a random subset, in random order (trial 0: none; trial 5: all)
        const order = all.map((c, j) => ({
          c,
          key: r.uniform(),
          take: trial === 5 || (trial > 0 && r.uniform() < 0.6),
        }));
        order.sort((a, b) => a.key - b.key);
        for (const o of order) if (o.take) known.add(o.c);
        const got = crossProducts(cols, y, known);
        expect(bytes(got.xtx).equals(bytes(ref.xtx)), `trial ${trial}: X'X`).toBe(true);
        expect(bytes(got.xty).equals(bytes(ref.xty)), `trial ${trial}: X'y`).toBe(true);
        expect(Object.is(got.yty, ref.yty), `trial ${trial}: y'y`).toBe(true);
      }
    });

  it('a pair is known only when both columns were added, in either order; adding twice changes nothing', () => {
    const [a, b, c] = columns(5000, 3, 3) as [Float64Array, Float64Array, Float64Array];
    const known = new ColumnProducts();
    known.add(b);
    known.add(a);
    known.add(b);
    expect(known.get(a, c)).toBeUndefined();
    expect(known.get(c, c)).toBeUndefined();
    const ref = crossProducts([a, b], null).xtx;
    expect(known.get(a, b)).toBe(ref[1]);
    expect(known.get(b, a)).toBe(ref[2]);
    expect(known.get(a, a)).toBe(ref[0]);
    expect(known.get(b, b)).toBe(ref[3]);
    // a column equal in value but not the same array is not taken for it
    expect(known.get(Float64Array.from(a), b)).toBeUndefined();
  });
});
