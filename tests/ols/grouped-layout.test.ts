// The grouped layout of the three-FE demeaning (engine/estimate/ols/demean-grouped.ts): rows in the order of the
// largest fixed effect, stable, with the other codes packed into one word per row — by the radix route (many
// groups) and by the counting sort (few) — equal to a plain stable sort of the rows done here.
import { describe, expect, it } from 'vitest';
import { buildFixedEffects } from '../../engine/estimate/ols/index.js';
import { groupedLayout, placeByGroup } from '../../engine/estimate/ols/demean-grouped.js';
import { rng } from './helpers.js';

function codes(n: number, sizes: number[], seed: number): Int32Array[] {
  const r = rng(seed);
  const out = sizes.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++)
    sizes.forEach((G, k) => {
      // every level present (codes are dense), the rest at random
      out[k]![i] = i < G ? i : Math.floor(r.uniform() * G);
    });
  return out;
}

describe('grouped layout', () => {
  for (const [label, sizes] of [
    ['three FE, many groups (radix route)', [12_000, 900, 13]],
    ['three FE, few groups (counting sort)', [300, 90, 7]],
    ['two FE, many groups (radix route)', [9_000, 5_000]],
    ['three FE, just above the counting sort (radix route)', [5_000, 40, 3]],
  ] as const)
    it(`${label}: the rows of each group of the largest FE, in row order`, () => {
      const n = 40_000;
      const c = codes(n, [...sizes], sizes.length + sizes[0]);
      const fe = buildFixedEffects(c);
      const L = groupedLayout(fe);
      const [f0, f1, f2] = L.codes as [Int32Array, Int32Array, Int32Array | undefined];
      expect(L.ngroups[0]).toBe(Math.max(...sizes));
      // a plain stable sort of the row numbers by the largest FE
      const rows = Array.from({ length: n }, (_, i) => i).sort((a, b) => f0[a]! - f0[b]! || a - b);
      const first = new Int32Array(L.ngroups[0]! + 1).fill(n);
      for (let p = n - 1; p >= 0; p--) first[f0[rows[p]!]!] = p;
      expect(Array.from(L.start)).toEqual(Array.from(first));
      const mask = (1 << L.shift) - 1;
      rows.forEach((i, p) => {
        expect(L.perm[p]).toBe(i);
        if (L.pk) {
          expect(L.pk[p]! >>> L.shift).toBe(f1[i]);
          expect(L.pk[p]! & mask).toBe(f2![i]);
        } else {
          expect(L.c1![p]).toBe(f1[i]);
          if (f2) expect(L.c2![p]).toBe(f2[i]);
        }
      });
    });

  it('group starts counted from the codes when the inverse counts are not the group sizes', () => {
    const n = 30_000;
    const c = codes(n, [10_000, 700, 9], 5);
    const fe = buildFixedEffects(c);
    const L = groupedLayout(fe);
    // the same codes with inverse counts that do not add up to the rows (not made by buildFixedEffects)
    const odd = groupedLayout({ ...fe, invCounts: fe.invCounts.map((v) => v.map(() => 1)) });
    const big = groupedLayout({ ...fe, invCounts: fe.invCounts.map((v) => v.map(() => 1e-9)) });
    for (const M of [odd, big]) {
      expect(Array.from(M.start)).toEqual(Array.from(L.start));
      expect(Array.from(M.perm)).toEqual(Array.from(L.perm));
      expect(Array.from(M.pk!)).toEqual(Array.from(L.pk!));
    }
    expect(L.start[L.ngroups[0]!]).toBe(n);
  });

  it('the radix route with the code and the value in one word or apart: the same places', () => {
    for (const sizes of [
      [12_000, 900, 13],
      [9_000, 5_000],
    ]) {
      const n = 40_000;
      const fe = buildFixedEffects(codes(n, sizes, 11));
      const L = groupedLayout(fe); // one word (the values and the high bits of these codes fit in 31 bits)
      const [f0, f1, f2] = L.codes as [Int32Array, Int32Array, Int32Array | undefined];
      const out = new Int32Array(n),
        perm = new Int32Array(n);
      // valueBits 31: no room above the values, so the code, the value and the row are written apart
      placeByGroup(f0, L.ngroups[0]!, L.start, f1, f2 ?? null, L.shift, out, perm, 31);
      expect(Array.from(out)).toEqual(Array.from((L.pk ?? L.c1)!));
      expect(Array.from(perm)).toEqual(Array.from(L.perm));
    }
  });
});
