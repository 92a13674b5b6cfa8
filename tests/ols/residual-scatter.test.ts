// The residual of the grouped demeaning (engine/estimate/ols/demean-grouped.ts `residualOf`) writes α_0 to the rows
// of each group through the layout's permutation, then x̃ = x − that − α_1[f1] (− α_2[f2]) in row order. It must give
// the same bits as reading α_0[f0[i]] per row (computed here), by every route of the layout: radix (more than 4,096
// groups of the largest FE) and counting sort, codes packed or not, two and three FE, some groups of F0 empty, and
// in place (out = x, the demeaning pool's own copies).
import { describe, expect, it } from 'vitest';
import type { FixedEffects } from '../../engine/estimate/ols/fixed-effects.js';
import { groupedLayout, residualOf, type GroupedLayout } from '../../engine/estimate/ols/demean-grouped.js';
import { rng } from './helpers.js';

/** Codes 0..G−1 at random; with `gaps`, only the even codes of F0 are used (the odd groups are empty). */
function design(n: number, sizes: number[], seed: number, gaps: boolean): { fe: FixedEffects; x: Float64Array } {
  const r = rng(seed);
  const codes = sizes.map((G, k) => {
    const c = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = i < G ? i : Math.floor(r.uniform() * G);
      c[i] = k === 0 && gaps ? 2 * Math.floor(v / 2) : v;
    }
    return c;
  });
  const invCounts = sizes.map((G, k) => {
    const cnt = new Float64Array(G);
    for (let i = 0; i < n; i++) cnt[codes[k]![i]!]! += 1;
    return cnt.map((v) => (v > 0 ? 1 / v : 0));
  });
  // x of mixed magnitudes, so that the order of the subtractions shows in the bits
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (r.uniform() - 0.5) * 10 ** Math.floor(r.uniform() * 8 - 3);
  return { fe: { n, codes, ngroups: sizes, invCounts }, x };
}

/** x − α_0[f0] − α_1[f1] (− α_2[f2]) per row, α_0 read per row. */
function byGather(x: Float64Array, L: GroupedLayout, a0: Float64Array, X: Float64Array): Float64Array {
  const [f0, f1, f2] = L.codes as [Int32Array, Int32Array, Int32Array | undefined];
  const G1 = L.ngroups[1]!;
  return x.map((v, i) => (f2 ? v - a0[f0[i]!]! - X[f1[i]!]! - X[G1 + f2[i]!]! : v - a0[f0[i]!]! - X[f1[i]!]!));
}

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('residual by scatter', () => {
  for (const [label, sizes, gaps, route] of [
    ['three FE, radix route', [12_000, 900, 13], false, 'pk'],
    ['three FE, radix route, odd groups of F0 empty', [12_000, 900, 13], true, 'pk'],
    ['three FE, counting sort, odd groups of F0 empty', [3_000, 90, 7], true, 'pk'],
    ['three FE, codes not packed (counting sort)', [34_000, 33_000, 33_000], false, 'c2'],
    ['two FE (iterative route), radix, odd groups of F0 empty', [9_000, 5_000], true, 'c1'],
    ['two FE (iterative route), counting sort', [2_000, 300], false, 'c1'],
  ] as const)
    it(`${label}: the same bits as α_0 read per row`, () => {
      const n = 40_000;
      const { fe, x } = design(n, [...sizes], sizes[0] + sizes.length, gaps);
      for (const shared of [false, true]) {
        const L = groupedLayout(fe, shared);
        expect(L.pk !== null).toBe(route === 'pk');
        expect(L.c2 !== null).toBe(route === 'c2');
        const f0 = L.codes[0]!;
        if (gaps) expect(L.start[2]! - L.start[1]!).toBe(0); // group 1 of F0 is empty
        // perm lists every row once, grouped by F0, in row order within a group
        const seen = new Uint8Array(n);
        let misplaced = 0;
        for (let g = 0; g < L.ngroups[0]!; g++)
          for (let p = L.start[g]!; p < L.start[g + 1]!; p++) {
            const i = L.perm[p]!;
            if (f0[i] !== g || (p > L.start[g]! && i <= L.perm[p - 1]!)) misplaced++;
            seen[i] = 1;
          }
        expect(misplaced).toBe(0);
        expect(seen.every((v) => v === 1)).toBe(true);
        const r = rng(7);
        const a0 = new Float64Array(L.ngroups[0]!).map(() => (r.uniform() - 0.5) * 1e3);
        const X = new Float64Array(L.ngroups[1]! + (L.ngroups[2] ?? 0)).map(() => (r.uniform() - 0.5) * 1e-2);
        const fp = { alpha0: a0, state: X, iterations: 0, converged: true, change: 0 };
        const want = byGather(x, L, a0, X);
        expect(bytes(residualOf(x, L, fp)).equals(bytes(want))).toBe(true);
        const own = Float64Array.from(x);
        expect(residualOf(own, L, fp, own)).toBe(own);
        expect(bytes(own).equals(bytes(want))).toBe(true);
      }
    });
});
