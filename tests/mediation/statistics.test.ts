// The pure statistics of the mediation estimator: the Sobel / Aroian / Goodman tests and the share (against R,
// tests/parity/mediation/mtcars.R → mtcars.json, relative 1e-10 since they are computed from R's own a, b and SEs),
// the bootstrap interval arithmetic (type-7 quantiles and the bias-corrected percentiles on R's fixed replicate
// vector, relative 1e-12), the PRNG (bit-exact against the authors' published xoshiro128** vector and against the
// C reference tests/parity/mediation/xoshiro128.c → xoshiro128.json), the resamplers, and the Wen & Ye verdict.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  biasCorrectedInterval,
  bootstrapStatistic,
  makeResampler,
  percentileInterval,
  quantileSorted,
} from '../../engine/estimate/mediation/bootstrap.js';
import { indirectEffectTests, mediatedShare } from '../../engine/estimate/mediation/indirect-tests.js';
import { Xoshiro128 } from '../../engine/estimate/mediation/prng.js';
import { wenYeVerdict, type VerdictInput } from '../../engine/estimate/mediation/verdict.js';

const ref = JSON.parse(readFileSync(new URL('../parity/mediation/mtcars.json', import.meta.url), 'utf8'));
const xo: { seed: number; outputs: number[] }[] = JSON.parse(
  readFileSync(new URL('../parity/mediation/xoshiro128.json', import.meta.url), 'utf8'),
);

function rel(got: number | null, want: number | null): number {
  if (want === null) return got === null ? 0 : Infinity;
  if (got === null) return Infinity;
  return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
}

describe('indirect-effect tests against R', () => {
  for (const c of ref.cases) {
    it(`${c.id}: Sobel, Aroian, Goodman SE, z, p and the share to 1e-10 relative`, () => {
      const t = indirectEffectTests(c.a, c.a_se, c.b, c.b_se);
      expect(rel(t.indirect, c.indirect)).toBeLessThan(1e-12);
      for (const k of ['sobel', 'aroian', 'goodman'] as const) {
        expect(rel(t[k].se, c[`${k}_se`]), `${k} se`).toBeLessThan(1e-10);
        expect(rel(t[k].z, c[`${k}_z`]), `${k} z`).toBeLessThan(1e-10);
        expect(rel(t[k].p, c[`${k}_p`]), `${k} p`).toBeLessThan(1e-10);
      }
      expect(rel(mediatedShare(t.indirect, c.c), c.share)).toBeLessThan(1e-12);
    });
  }

  it('Goodman is undefined when s_a² s_b² exceeds b² s_a² + a² s_b²', () => {
    const t = indirectEffectTests(0.01, 1, 0.01, 1);
    expect(t.goodman).toEqual({ se: null, z: null, p: null });
    expect(t.sobel.se).toBeCloseTo(Math.sqrt(2e-4), 15);
  });

  it('share is null for a zero total effect', () => {
    expect(mediatedShare(0.3, 0)).toBeNull();
  });
});

describe('bootstrap interval arithmetic against R', () => {
  const iv = ref.interval;
  const sorted = Float64Array.from(iv.replicates as number[]);
  it('percentile interval = R quantile(type = 7) to 1e-12', () => {
    const [lo, hi] = percentileInterval(sorted, iv.level);
    expect(rel(lo, iv.percentile[0])).toBeLessThan(1e-12);
    expect(rel(hi, iv.percentile[1])).toBeLessThan(1e-12);
  });
  it('bias-corrected interval and z0 to 1e-12', () => {
    const bc = biasCorrectedInterval(sorted, iv.estimate, iv.level);
    expect(rel(bc.z0, iv.z0)).toBeLessThan(1e-12);
    expect(rel(bc.interval[0], iv.bias_corrected[0])).toBeLessThan(1e-12);
    expect(rel(bc.interval[1], iv.bias_corrected[1])).toBeLessThan(1e-12);
  });
  it('bias-corrected interval is undefined when every replicate is on one side', () => {
    const bc = biasCorrectedInterval(Float64Array.from([1, 2, 3]), 0, 0.95);
    expect(bc.z0).toBe(-Infinity);
    expect(bc.interval.every(Number.isNaN)).toBe(true);
  });
  it('quantiles at the ends are the extreme replicates', () => {
    const s = Float64Array.from([1, 2, 4]);
    expect([quantileSorted(s, 0), quantileSorted(s, 0.5), quantileSorted(s, 0.75), quantileSorted(s, 1)]).toEqual([
      1, 2, 3, 4,
    ]);
  });
});

describe('xoshiro128** generator', () => {
  it('reproduces the known-answer vector of xoshiro128** 1.1 from state (1, 2, 3, 4)', () => {
    // Version 1.1 scrambles s[1]; the older vector 5760, 40320, … (rand_xoshiro's test) is version 1.0, scrambling s[0].
    const g = Xoshiro128.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 10 }, () => g.nextUint32());
    expect(out).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });
  it('seeds through splitmix32 exactly as the C reference does', () => {
    for (const { seed, outputs } of xo) {
      const g = new Xoshiro128(seed);
      expect(
        Array.from({ length: outputs.length }, () => g.nextUint32()),
        `seed ${seed}`,
      ).toEqual(outputs);
    }
  });
  it('draws uniform integers below n without bias (chi-square over 6 cells, 60,000 draws)', () => {
    const g = new Xoshiro128(7);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[g.below(6)]++;
    const chi2 = counts.reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).toBeLessThan(20.5); // 0.999 quantile of chi-square(5)
  });
  it('rejects bad seeds and bounds', () => {
    expect(() => new Xoshiro128(-1)).toThrow(RangeError);
    expect(() => new Xoshiro128(1.5)).toThrow(RangeError);
    expect(() => new Xoshiro128(0).below(0)).toThrow(RangeError);
  });
});

describe('resampling', () => {
  it('row resampling draws n rows in range', () => {
    const draw = makeResampler({ n: 50, clusters: null });
    const rows = draw(new Xoshiro128(1));
    expect(rows.length).toBe(50);
    expect(rows.every((r) => r >= 0 && r < 50)).toBe(true);
    expect(new Set(rows).size).toBeLessThan(50); // with replacement: P(all distinct) = 50!/50^50 ≈ 0
  });
  it('cluster resampling keeps whole clusters together', () => {
    const clusters = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 3, 3, 3]);
    const draw = makeResampler({ n: 10, clusters });
    const rng = new Xoshiro128(11);
    for (let r = 0; r < 20; r++) {
      const rows = draw(rng);
      // Count the rows drawn per cluster: a multiple of the cluster's size, and G clusters in total.
      const sizes = [3, 2, 2, 3];
      const got = [0, 0, 0, 0];
      for (const i of rows) got[clusters[i]!]!++;
      let drawn = 0;
      got.forEach((c, g) => {
        expect(c % sizes[g]!).toBe(0);
        drawn += c / sizes[g]!;
      });
      expect(drawn).toBe(4);
    }
  });
  it('the same seed gives bit-identical replicates; another seed does not', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i) + i / 40);
    const mean = (rows: Int32Array) => rows.reduce((s, i) => s + x[i]!, 0) / rows.length;
    const a = bootstrapStatistic({ n: 40, clusters: null }, 200, 12345, mean);
    const b = bootstrapStatistic({ n: 40, clusters: null }, 200, 12345, mean);
    const c = bootstrapStatistic({ n: 40, clusters: null }, 200, 12346, mean);
    expect(Buffer.from(a.sorted.buffer).equals(Buffer.from(b.sorted.buffer))).toBe(true);
    expect(Buffer.from(a.sorted.buffer).equals(Buffer.from(c.sorted.buffer))).toBe(false);
  });
  it('counts failed replicates and leaves them out without shifting the others', () => {
    let k = 0;
    const res = bootstrapStatistic({ n: 5, clusters: null }, 10, 1, () => (k++ % 3 === 0 ? null : k));
    expect(res.failed).toBe(4);
    expect(Array.from(res.sorted)).toEqual([2, 3, 5, 6, 8, 9]);
  });
});

describe('Wen & Ye (2014) verdict', () => {
  const base: VerdictInput = {
    a: { estimate: 0.5, p: 0.001 },
    b: { estimate: 0.4, p: 0.001 },
    c: { estimate: 0.5, p: 0.001 },
    cPrime: { estimate: 0.3, p: 0.001 },
    sobelP: 0.001,
    bootstrapInterval: null,
    alpha: 0.05,
  };
  it('partial: a, b significant, c′ significant with the sign of ab', () => {
    expect(wenYeVerdict(base)).toMatchObject({ verdict: 'partial', indirectTest: 'joint', directSignificant: true });
  });
  it('full: c′ not significant', () => {
    expect(wenYeVerdict({ ...base, cPrime: { estimate: 0.01, p: 0.6 } }).verdict).toBe('full');
  });
  it('suppression: c′ significant with the opposite sign of ab', () => {
    expect(wenYeVerdict({ ...base, cPrime: { estimate: -0.3, p: 0.01 } }).verdict).toBe('suppression');
  });
  it('none: b not significant and the bootstrap interval covers 0', () => {
    const v = wenYeVerdict({ ...base, b: { estimate: 0.4, p: 0.2 }, bootstrapInterval: [-0.01, 0.3] });
    expect(v).toMatchObject({ verdict: 'none', indirectTest: 'bootstrap', directSignificant: null });
  });
  it('step 3 rescues a non-significant a with a bootstrap interval excluding 0', () => {
    const v = wenYeVerdict({ ...base, a: { estimate: 0.5, p: 0.07 }, bootstrapInterval: [0.02, 0.3] });
    expect(v).toMatchObject({ verdict: 'partial', indirectTest: 'bootstrap' });
  });
  it('without a bootstrap, step 3 uses the Sobel test', () => {
    expect(wenYeVerdict({ ...base, a: { estimate: 0.5, p: 0.07 }, sobelP: 0.2 })).toMatchObject({
      verdict: 'none',
      indirectTest: 'sobel',
    });
    expect(wenYeVerdict({ ...base, a: { estimate: 0.5, p: 0.07 }, sobelP: 0.01 })).toMatchObject({
      verdict: 'partial',
      indirectTest: 'sobel',
    });
  });
  it('records whether c was significant (mediation vs suppression framing) without stopping', () => {
    const v = wenYeVerdict({ ...base, c: { estimate: 0.05, p: 0.5 } });
    expect(v).toMatchObject({ verdict: 'partial', totalSignificant: false });
  });
});
