/**
 * SBM parity. Published examples (REFERENCE.md: Tone 2001; Tone 2003 as replicated by deaR; the single-input
 * example) and a 360-row random panel whose expected scores come from scipy's HiGHS
 * (tests/parity/sbm/generate.py → sbm-expected.json, raw output generate.out). Tolerance: 1e-6 absolute on every score
 * and slack.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sbmEfficiency, SbmStatus } from '../../engine/transforms/sbm/sbm-efficiency.js';
import { frontiersOf } from '../../engine/transforms/sbm/index.js';

const TOL = 1e-6;
const f = (a: readonly number[]): Float64Array => Float64Array.from(a);

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > tol) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

describe('published SBM examples (REFERENCE.md)', () => {
  it('Tone (2001): 2 inputs, 2 outputs, CRS — scores and slacks', () => {
    const r = sbmEfficiency({
      inputs: [f([4, 6, 8, 8, 2]), f([3, 3, 1, 1, 4])],
      desirable: [f([2, 2, 6, 6, 1]), f([3, 3, 2, 1, 4])],
      undesirable: [],
    }, { rts: 'crs' });
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
    expectClose(vrs.score, [1, 1, 1, 1, 0.4, 0.476190, 0.857143, 0.2], 1e-6 + 5e-7);
  });
});

interface Expected {
  efficient_tol: number;
  data: { unit: number[]; period: number[]; x1: number[]; x2: number[]; good: number[]; bad: number[] };
  results: Record<string, { rho: number[]; delta: (number | null)[] }>;
}
const expected = JSON.parse(readFileSync(new URL('../parity/sbm/sbm-expected.json', import.meta.url), 'utf8')) as Expected;

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
