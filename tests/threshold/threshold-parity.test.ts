// Panel threshold parity: every case of tests/parity/threshold/threshold.R, a brute-force base-R implementation of
// Hansen (1999) with the same grid rule and the same seeded draws (raw output threshold.out, values
// threshold.json), on the Grunfeld data (one and two thresholds) and plm's Produc (three). Thresholds, their LR
// intervals and the bootstrap p-values must agree exactly (they are values of q and counts of draws); F
// statistics, SSRs, coefficients and SEs to 1e-6 relative (a linear model once the thresholds are fixed).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { estimateThresholdArrays, type ThresholdArrays } from '../../engine/estimate/threshold/estimate-threshold.js';
import { codes, readColumns, rel, vcovPlan } from '../glm/helpers.js';

interface Case {
  thresholds: { gamma: number; lower: number; upper: number }[];
  tests: { f: number; p: number; crit10: number; crit5: number; crit1: number }[];
  ssr: number[];
  coef: Record<string, number>;
  se: Record<string, number>;
  nobs: number;
  units: number;
  candidates: number;
}
const expected: Record<string, Case> = JSON.parse(
  readFileSync(new URL('../parity/threshold/threshold.json', import.meta.url), 'utf8'),
);
const grunfeld = readColumns(new URL('../../data/grunfeld.csv', import.meta.url));
const produc = readColumns(new URL('../parity/threshold/produc.csv', import.meta.url));
const TOL = 1e-6;

function input(
  data: Map<string, Float64Array>,
  y: string,
  x: string[],
  r: string[],
  q: string,
  unit: string,
  time: string,
  m: 1 | 2 | 3,
  reps: number,
  seed: number,
): ThresholdArrays {
  return {
    model: 'm',
    y: data.get(y)!,
    X: x.map((v) => data.get(v)!),
    names: x,
    R: r.map((v) => data.get(v)!),
    regimeNames: r,
    q: data.get(q)!,
    qName: q,
    unit: codes(data.get(unit)!),
    time: data.get(time)!,
    unitName: unit,
    thresholds: m,
    trim: 0.05,
    reps,
    seed,
    vcov: vcovPlan('iid'),
    clusters: [],
  };
}

function check(name: string, a: ThresholdArrays): void {
  const e = expected[name]!;
  const r = estimateThresholdArrays(a);
  expect(r.nobs).toBe(e.nobs);
  expect(r.stats.units).toBe(e.units);
  expect(r.stats.candidates).toBe(e.candidates);
  expect(r.detail.thresholds).toEqual(e.thresholds);
  r.detail.tests.forEach((t, k) => {
    const et = e.tests[k]!;
    expect(rel(t.f, et.f), `${name} F${k + 1}`).toBeLessThan(TOL);
    expect(t.p, `${name} F${k + 1} p`).toBeCloseTo(et.p, 12);
    for (const c of ['crit10', 'crit5', 'crit1'] as const)
      expect(rel(t[c], et[c]), `${name} F${k + 1} ${c}`).toBeLessThan(TOL);
  });
  e.ssr.forEach((s, j) => expect(rel(r.detail.ssr[j]!, s), `${name} ssr${j}`).toBeLessThan(TOL));
  expect(Object.keys(r.coefficients)).toEqual(Object.keys(e.coef));
  for (const [term, b] of Object.entries(e.coef)) {
    expect(rel(r.coefficients[term]!.estimate, b), `${name} ${term}`).toBeLessThan(TOL);
    expect(rel(r.coefficients[term]!.se!, e.se[term]!), `${name} ${term} se`).toBeLessThan(TOL);
  }
  expect(r.stats.threshold1).toBe(e.thresholds[0]!.gamma);
  expect(r.stats.f1_p).toBeCloseTo(e.tests[0]!.p, 12);
}

describe('panel threshold parity (base-R brute force, tests/parity/threshold/threshold.R)', () => {
  it('Grunfeld, one threshold', () =>
    check('grunfeld_1', input(grunfeld, 'inv', ['capital'], ['value'], 'value', 'firm', 'year', 1, 50, 1)));
  it('Grunfeld, two thresholds (with the refinement of the first)', () =>
    check('grunfeld_2', input(grunfeld, 'inv', ['capital'], ['value'], 'value', 'firm', 'year', 2, 30, 7)));
  it('Produc, three thresholds', () =>
    check('produc_3', input(produc, 'lgsp', ['lpcap', 'lemp'], ['lpc'], 'unemp', 'state', 'year', 3, 10, 3)));
});

describe('panel threshold bad input', () => {
  it('a threshold variable with too few distinct values', () => {
    const few = grunfeld.get('year')!.map((v) => (v < 1945 ? 0 : 1));
    const data = new Map(grunfeld);
    data.set('two', few);
    expect(() =>
      estimateThresholdArrays(input(data, 'inv', ['capital'], ['value'], 'two', 'firm', 'year', 2, 5, 1)),
    ).toThrow(expect.objectContaining({ code: 'THRESHOLD_TOO_FEW_VALUES' }));
  });
  it('an unbalanced panel', () => {
    const data = new Map(grunfeld);
    const inv = Float64Array.from(grunfeld.get('inv')!);
    inv[3] = NaN;
    data.set('inv', inv);
    expect(() =>
      estimateThresholdArrays(input(data, 'inv', ['capital'], ['value'], 'value', 'firm', 'year', 1, 5, 1)),
    ).toThrow(expect.objectContaining({ code: 'THRESHOLD_BAD_OPTION' }));
  });
});
