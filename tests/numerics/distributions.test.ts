// Distribution functions against R's pnorm / qnorm / pt / pchisq (tests/parity/numerics/distributions.R, its raw
// output distributions.out and the parsed distributions.json; large-df t values from mpmath in t-large-df.py). Tolerances: relative 1e-12 (normal functions 1e-13);
// values R reports as exactly 0 must be below 1e-300.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  chiSquareSf,
  normalCdf,
  normalQuantile,
  pValueNormal,
  pValueT,
  studentTCdf,
} from '../../engine/numerics/distributions.js';

interface Row {
  fn: string;
  a: number;
  b: number | null;
  value: number;
}
const load = (f: string): Row[] =>
  JSON.parse(readFileSync(new URL(`../parity/numerics/${f}`, import.meta.url), 'utf8'));
// R's values, plus the t law at df up to 1e8 from mpmath (R's pt approximates above df = 4e5).
const rows: Row[] = [...load('distributions.json'), ...load('t-large-df.json')];

const fns: Record<string, (a: number, b: number) => number> = {
  normalCdf: (a) => normalCdf(a),
  pValueNormal: (a) => pValueNormal(a),
  normalQuantile: (a) => normalQuantile(a),
  studentTCdf: (a, b) => studentTCdf(a, b),
  pValueT: (a, b) => pValueT(a, b),
  chiSquareSf: (a, b) => chiSquareSf(a, b),
};
const tolerance: Record<string, number> = {
  normalCdf: 1e-13,
  pValueNormal: 1e-13,
  normalQuantile: 1e-13,
  studentTCdf: 1e-12,
  pValueT: 1e-12,
  chiSquareSf: 1e-12,
};

function relErr(got: number, want: number): number {
  if (want === 0) return Math.abs(got) < 1e-300 ? 0 : Infinity;
  return Math.abs(got - want) / Math.abs(want);
}

describe('distributions against R', () => {
  it('has reference rows for every function', () => {
    for (const fn of Object.keys(fns)) expect(rows.some((r) => r.fn === fn)).toBe(true);
  });
  for (const fn of Object.keys(fns)) {
    it(`${fn} agrees with R to ${tolerance[fn]} relative`, () => {
      const bad: string[] = [];
      let worst = 0;
      for (const r of rows.filter((x) => x.fn === fn)) {
        const got = fns[fn]!(r.a, r.b ?? NaN);
        const e = relErr(got, r.value);
        worst = Math.max(worst, e);
        if (!(e <= tolerance[fn]!))
          bad.push(`${fn}(${r.a}, ${r.b}) = ${got}, R: ${r.value}, rel ${e.toExponential(2)}`);
      }
      expect(bad).toEqual([]);
      expect(worst).toBeLessThanOrEqual(tolerance[fn]!);
    });
  }
  it('handles the edges', () => {
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(Number.isNaN(normalQuantile(1.5))).toBe(true);
    expect(pValueT(0, 10)).toBe(1);
    expect(pValueT(Infinity, 10)).toBe(0);
    expect(pValueT(2, Infinity)).toBe(pValueNormal(2));
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(Number.isNaN(pValueT(1, 0))).toBe(true);
  });
  it('normalQuantile inverts normalCdf', () => {
    for (const p of [1e-12, 0.01, 0.3, 0.5, 0.77, 0.999])
      expect(Math.abs(normalCdf(normalQuantile(p)) - p) / p).toBeLessThan(1e-13);
  });
});
