// The cluster scores s_g = Σ_{i∈g} e_i x̃_i summed bucket by bucket (engine/estimate/ols/vcov.ts, issue 19: many
// clusters in random order) are the same bits as the direct one-pass sum, whatever the chunk and bucket sizes, and
// agree with a plain per-row sum; clusterMeat gives the same meat by either route.
import { describe, expect, it } from 'vitest';
import { clusterMeat, clusterScores, clusterScoresBucketed } from '../../engine/estimate/ols/vcov.js';
import { rng } from './helpers.js';

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function data(n: number, G: number, m: number, seed: number, runs: boolean) {
  const r = rng(seed);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++)
    // random order, or runs of one cluster of random length (rows of a unit together, as in a sorted panel)
    codes[i] = runs && i > 0 && r.uniform() < 0.7 ? codes[i - 1]! : Math.floor(r.uniform() * G);
  const X = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => r.normal()));
  const e = Float64Array.from({ length: n }, () => r.normal());
  return { X, e, cluster: { codes, ngroups: G } };
}

describe('cluster scores summed by buckets of clusters', () => {
  for (const runs of [false, true])
    for (const [chunk, bucketBytes] of [
      [1000, 400],
      [777, 4096],
      [50_000, 1 << 18],
    ] as const)
      it(`${runs ? 'runs of a cluster' : 'random order'}, chunks of ${chunk} rows, buckets of ${bucketBytes} bytes: the same bits as the direct sum`, () => {
        const { X, e, cluster } = data(20_000, 3_001, 4, runs ? 5 : 6, runs);
        const direct = clusterScores(X, e, cluster);
        const bucketed = clusterScoresBucketed(X, e, cluster, chunk, bucketBytes);
        expect(bytes(bucketed).equals(bytes(direct))).toBe(true);
        // and both are the scores: a plain sum per row, to rounding
        const plain = new Float64Array(cluster.ngroups * X.length);
        for (let i = 0; i < e.length; i++)
          for (let j = 0; j < X.length; j++) plain[cluster.codes[i]! * X.length + j]! += e[i]! * X[j]![i]!;
        let worst = 0;
        plain.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - bucketed[k]!))));
        expect(worst).toBeLessThan(1e-10);
      });

  it('clusterMeat with many clusters (the bucketed route) gives the meat of the direct scores, bit for bit', () => {
    // 600,000 rows in 200,000 clusters (scores of 4.8 MB: above the direct route's 2 MB)
    const { X, e, cluster } = data(600_000, 200_000, 3, 9, false);
    const meat = clusterMeat(X, e, cluster);
    const s = clusterScores(X, e, cluster);
    const m = X.length;
    const expected = new Float64Array(m * m);
    for (let g = 0; g < cluster.ngroups; g++)
      for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) expected[a * m + b]! += s[g * m + a]! * s[g * m + b]!;
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) expected[b * m + a] = expected[a * m + b]!;
    expect(bytes(meat).equals(bytes(expected))).toBe(true);
  });
});
