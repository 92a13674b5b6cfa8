/**
 * SBM parity. Published examples (REFERENCE.md: Tone 2001; Tone 2003 as replicated by deaR; the single-input
 * example), a 360-row random panel, a 1,560-row panel with raw city-like magnitudes and a deaR-rule panel with
 * zeros, whose expected scores come from scipy's HiGHS
 * (tests/parity/sbm/generate.py → sbm-expected.json, raw output generate.out). Tolerance: 1e-6 absolute on every score
 * and slack (relative above 1, for super-efficiency scores).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sbmEfficiency, SbmStatus } from '../../engine/transforms/sbm/sbm-efficiency.js';
import { frontiersOf } from '../../engine/transforms/sbm/index.js';

const TOL = 1e-6;
const f = (a: readonly number[]): Float64Array => Float64Array.from(a);

/** |actual − expected| ≤ tol · max(1, |expected|): absolute for scores ≤ 1, relative for large super-efficiencies. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)))) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

describe('published SBM examples (REFERENCE.md)', () => {
  it('Tone (2001): 2 inputs, 2 outputs, CRS — scores and slacks', () => {
    const r = sbmEfficiency(
      {
        inputs: [f([4, 6, 8, 8, 2]), f([3, 3, 1, 1, 4])],
        desirable: [f([2, 2, 6, 6, 1]), f([3, 3, 2, 1, 4])],
        undesirable: [],
      },
      { rts: 'crs' },
    );
    expectClose(r.score, [79 / 99, 25 / 44, 1, 2 / 3, 1]);
    // slacks: A s2⁻ = 5/14, s1⁺ = 5/7; B s2⁻ = 9/14, s1⁺ = 16/7; D s2⁺ = 1
    expectClose(r.slacks[1]!, [5 / 14, 9 / 14, 0, 0, 0]);
    expectClose(r.slacks[2]!, [5 / 7, 16 / 7, 0, 0, 0]);
    expectClose(r.slacks[3]!, [0, 0, 0, 1, 0]);
    expectClose(r.slacks[0]!, [0, 0, 0, 0, 0]);
    expect([...r.efficient]).toEqual([0, 0, 1, 0, 1]);
  });

  const x = f(Array(9).fill(1));
  const good = f([1, 2, 6, 8, 9, 5, 4, 6, 4]);
  const bad = f([1, 1, 2, 4, 7, 2, 3, 4, 6]);
  it('Tone (2003) undesirable output, VRS', () => {
    const r = sbmEfficiency({ inputs: [x], desirable: [good], undesirable: [bad] }, { rts: 'vrs' });
    expectClose(r.score, [0.666667, 1, 1, 1, 1, 0.909091, 0.705882, 0.8, 0.6], 1e-6 + 5e-7);
    expectClose(r.score, [2 / 3, 1, 1, 1, 1, 10 / 11, 12 / 17, 0.8, 0.6]);
  });
  it('Tone (2003) undesirable output, CRS', () => {
    const r = sbmEfficiency({ inputs: [x], desirable: [good], undesirable: [bad] }, { rts: 'crs' });
    expectClose(r.score, [0.1, 0.25, 1, 1, 1, 0.75, 0.428571, 0.666667, 0.358209], 1e-6 + 5e-7);
    expectClose(r.score, [0.1, 0.25, 1, 1, 1, 0.75, 3 / 7, 2 / 3, 24 / 67]);
  });
  it('single input, single output (= Enhanced Russell Graph), CRS and VRS', () => {
    const X = f([2, 4, 8, 12, 6, 14, 14, 9.412]);
    const Y = f([1, 5, 8, 9, 3, 7, 9, 2.353]);
    const crs = sbmEfficiency({ inputs: [X], desirable: [Y], undesirable: [] }, { rts: 'crs' });
    expectClose(crs.score, [0.4, 1, 0.8, 0.6, 0.4, 0.4, 0.514286, 0.2], 1e-6 + 5e-7);
    const vrs = sbmEfficiency({ inputs: [X], desirable: [Y], undesirable: [] }, { rts: 'vrs' });
    expectClose(vrs.score, [1, 1, 1, 1, 0.4, 0.47619, 0.857143, 0.2], 1e-6 + 5e-7);
  });
});

interface Expected {
  efficient_tol: number;
  data: { unit: number[]; period: number[]; x1: number[]; x2: number[]; good: number[]; bad: number[] };
  results: Record<string, { rho: number[]; delta: (number | null)[] }>;
}
const expected = JSON.parse(
  readFileSync(new URL('../parity/sbm/sbm-expected.json', import.meta.url), 'utf8'),
) as Expected;

describe('random panel against scipy HiGHS (360 rows, 2 inputs, 1 good, 1 bad output)', () => {
  const d = expected.data;
  const data = { inputs: [f(d.x1), f(d.x2)], desirable: [f(d.good)], undesirable: [f(d.bad)] };
  const time = f(d.period);
  for (const key of Object.keys(expected.results)) {
    const [rts, kind] = key.split('/') as ['crs' | 'vrs', 'global' | 'year' | 'sequential'];
    const exp = expected.results[key]!;
    it(`${key}: SBM scores`, () => {
      const { frontiers } = frontiersOf('gtfp', kind, time, time.length);
      const r = sbmEfficiency(data, { rts, frontiers });
      expect([...r.status].every((s) => s === SbmStatus.OK)).toBe(true);
      expectClose(r.score, exp.rho);
      // efficient units (including the tied copies) are the ones scipy finds at 1
      const effExpected = exp.rho.map((v) => (v >= 1 - expected.efficient_tol ? 1 : 0));
      expect([...r.efficient]).toEqual(effExpected);
      expect(effExpected.filter((v) => v === 1).length).toBeGreaterThanOrEqual(10);
    });
    it(`${key}: super-efficiency with the undesirable output`, () => {
      const { frontiers } = frontiersOf('gtfp', kind, time, time.length);
      const r = sbmEfficiency(data, { rts, frontiers, super: true });
      const want = exp.rho.map((v, i) => (exp.delta[i] === null || exp.delta[i] === undefined ? v : exp.delta[i]!));
      expect([...r.status].every((s) => s === SbmStatus.OK)).toBe(true);
      expectClose(r.score, want);
      expect(want.some((v) => v > 1.01)).toBe(true);
    });
  }
});

interface Block {
  data: { x1: number[]; x2: number[]; good: number[]; bad: number[] };
  results: Record<string, { rho: number[]; delta: (number | null)[] }>;
}
const more = expected as unknown as { paper_like: Block; zeros_dear: Block };

function superWant(exp: { rho: number[]; delta: (number | null)[] }): number[] {
  return exp.rho.map((v, i) => exp.delta[i] ?? v);
}

describe('1,560 rows pooled with raw city-like magnitudes (capital ~1e7 beside labour ~1e2) against scipy HiGHS', () => {
  const d = more.paper_like.data;
  const data = { inputs: [f(d.x1), f(d.x2)], desirable: [f(d.good)], undesirable: [f(d.bad)] };
  for (const rts of ['crs', 'vrs'] as const) {
    it(`${rts}: SBM and super-efficiency`, () => {
      const exp = more.paper_like.results[`${rts}/global`]!;
      const r = sbmEfficiency(data, { rts });
      expectClose(r.score, exp.rho);
      const s = sbmEfficiency(data, { rts, super: true });
      expectClose(s.score, superWant(exp));
      expect(r.efficient.reduce((a, v) => a + v, 0)).toBe(
        exp.rho.filter((v) => v >= 1 - expected.efficient_tol).length,
      );
    });
  }
});

describe("deaR's rule for zeros (nonpositive: dear) against scipy HiGHS", () => {
  const d = more.zeros_dear.data;
  const data = { inputs: [f(d.x1), f(d.x2)], desirable: [f(d.good)], undesirable: [f(d.bad)] };
  for (const rts of ['crs', 'vrs'] as const) {
    it(`${rts}: zero outputs → smallest positive / 100; zero input leaves the unit's input term`, () => {
      const exp = more.zeros_dear.results[rts]!;
      const r = sbmEfficiency(data, { rts, nonpositive: 'dear' });
      expectClose(r.score, exp.rho);
      expect(r.replaced).toBe(3);
      const s = sbmEfficiency(data, { rts, nonpositive: 'dear', super: true });
      expectClose(s.score, superWant(exp));
      // without the rule the four rows with a zero have no score
      const na = sbmEfficiency(data, { rts });
      expect([...na.status].filter((v) => v === SbmStatus.NONPOSITIVE).length).toBe(4);
    });
  }
});
