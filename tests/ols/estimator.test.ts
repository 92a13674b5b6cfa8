// Behaviour of the OLS estimator beyond the parity numbers: sample handling (missing rows, iterative singleton
// removal), collinearity, errors, text-coded fixed effects and clusters, result shape, the shared demeaning cache.
import { describe, expect, it } from 'vitest';
import { Frame, textColumn, type Column } from '../../engine/core/frame.js';
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { DemeanCache, estimateOls, fixefK, olsEstimator } from '../../engine/estimate/ols/index.js';
import type { ModelResult } from '../../engine/results/types.js';
import { olsPlan, readNumericCsv, rng } from './helpers.js';

const grunfeld = readNumericCsv(new URL('../../data/grunfeld.csv', import.meta.url));
const est = (frame: Frame, plan: ReturnType<typeof olsPlan>, cache?: DemeanCache): ModelResult =>
  olsEstimator.estimate(plan, { frame, unit: null, time: null, demeanCache: cache });

function withCol(frame: Frame, name: string, f: (i: number) => number): Frame {
  const v = new Float64Array(frame.nrows);
  for (let i = 0; i < frame.nrows; i++) v[i] = f(i);
  return frame.with(name, v);
}

function codeOf(e: unknown): string {
  expect(e).toBeInstanceOf(SpecrunError);
  return (e as SpecrunError).code;
}

describe('olsEstimator', () => {
  it('drops rows with missing values and notes how many', () => {
    const inv = Float64Array.from(grunfeld.numeric('inv'));
    inv[3] = NaN;
    inv[50] = NaN;
    const value = Float64Array.from(grunfeld.numeric('value'));
    value[77] = NaN;
    const f = grunfeld.with('inv', inv).with('value', value);
    const r = est(f, olsPlan('inv', ['value', 'capital'], ['firm', 'year']));
    expect(r.nobs).toBe(197);
    expect(r.notes).toEqual([expect.objectContaining({ code: 'MISSING_DROPPED' })]);
    expect(r.notes[0]!.message).toContain('3 observation');
  });

  it('drops singletons iteratively across fixed effects', () => {
    // rows: a unit seen once (singleton in u); removing it leaves period 9 with one row (singleton in p), whose
    // removal leaves unit 5 with one row, and so on.
    const u = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 5];
    const p = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 9, 9, 8];
    const r = rng(3);
    const n = u.length;
    const f = new Frame(n, [
      ['y', Float64Array.from({ length: n }, () => r.normal())],
      ['x', Float64Array.from({ length: n }, () => r.normal())],
      ['u', Float64Array.from(u)],
      ['p', Float64Array.from(p)],
    ]);
    const res = est(f, olsPlan('y', ['x'], ['u', 'p']));
    expect(res.nobs).toBe(12);
    const notes = res.notes.filter((x) => x.code === 'SINGLETONS_DROPPED');
    expect(notes.length).toBeGreaterThan(0);
    const total = notes.reduce((s, x) => s + Number(/(\d+) singleton/.exec(x.message)![1]), 0);
    expect(total).toBe(3);
  });

  it('drops an exactly collinear regressor and names it; one constant within the fixed effect too', () => {
    const f = withCol(
      withCol(grunfeld, 'combo', (i) => grunfeld.numeric('value')[i]! + 2 * grunfeld.numeric('capital')[i]!),
      'firmlevel',
      (i) => 3 * grunfeld.numeric('firm')[i]! + 1000,
    );
    const r = est(f, olsPlan('inv', ['value', 'capital', 'combo', 'firmlevel'], ['firm', 'year']));
    expect(Object.keys(r.coefficients)).toEqual(['value', 'capital']);
    const n = r.notes.find((x) => x.code === 'COLLINEAR_DROPPED')!;
    expect(n.message).toContain('combo');
    expect(n.message).toContain('firmlevel');
    const base = est(grunfeld, olsPlan('inv', ['value', 'capital'], ['firm', 'year']));
    expect(r.coefficients.value!.estimate).toBeCloseTo(base.coefficients.value!.estimate, 12);
    expect(r.coefficients.value!.se).toBeCloseTo(base.coefficients.value!.se!, 12);
  });

  it('a regressor collinear with the intercept is dropped in a model without fixed effects', () => {
    const f = withCol(grunfeld, 'five', () => 5);
    const r = est(f, olsPlan('inv', ['value', 'five'], []));
    expect(Object.keys(r.coefficients)).toEqual(['(Intercept)', 'value']);
    expect(r.notes.map((x) => x.code)).toEqual(['COLLINEAR_DROPPED']);
  });

  it('throws ALL_COLLINEAR when no regressor is left', () => {
    const f = withCol(grunfeld, 'firmlevel', (i) => grunfeld.numeric('firm')[i]! ** 2);
    let err: unknown;
    try {
      est(f, olsPlan('inv', ['firmlevel'], ['firm']));
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).toBe('ALL_COLLINEAR');
  });

  it('throws NO_OBSERVATIONS when every row has a missing value', () => {
    const f = withCol(grunfeld, 'empty', () => NaN);
    let err: unknown;
    try {
      est(f, olsPlan('inv', ['empty'], ['firm']));
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).toBe('NO_OBSERVATIONS');
  });

  it('text-coded fixed effects and clusters give the same result as numeric codes', () => {
    const firm = grunfeld.numeric('firm');
    const names = Array.from(firm, (v) => `企业${String.fromCharCode(64 + v)}`);
    const f = grunfeld.with('firm_name', textColumn(names) as Column);
    const a = est(
      f,
      olsPlan('inv', ['value', 'capital'], ['firm_name', 'year'], { type: 'cluster', cluster: ['firm_name'] }),
    );
    const b = est(
      grunfeld,
      olsPlan('inv', ['value', 'capital'], ['firm', 'year'], { type: 'cluster', cluster: ['firm'] }),
    );
    expect(a.coefficients).toEqual(b.coefficients);
    expect(a.vcov).toBe('cluster(firm_name)');
  });

  it('names the variance as written after normalization', () => {
    expect(est(grunfeld, olsPlan('inv', ['value'], ['firm'], { type: 'hc1' })).vcov).toBe('hc1');
    expect(est(grunfeld, olsPlan('inv', ['value'], ['firm'], { type: 'iid' })).vcov).toBe('iid');
    expect(
      est(grunfeld, olsPlan('inv', ['value'], ['firm'], { type: 'cluster', cluster: ['firm', 'year'] })).vcov,
    ).toBe('cluster(firm, year)');
  });

  it('results are deterministic and serialise without non-finite numbers', () => {
    const plan = olsPlan('inv', ['value', 'capital'], ['firm', 'year'], { type: 'cluster', cluster: ['firm'] });
    const a = JSON.stringify(est(grunfeld, plan));
    expect(JSON.stringify(est(grunfeld, plan))).toBe(a);
    expect(a).not.toMatch(/NaN|Infinity/);
  });

  it('models on the same sample and fixed effects share the demeaning through the cache, with identical results', () => {
    const cache = new DemeanCache();
    const p1 = olsPlan('inv', ['value', 'capital'], ['firm', 'year'], {}, 'm1');
    const p2 = olsPlan('inv', ['value'], ['firm', 'year'], { type: 'cluster', cluster: ['firm'] }, 'm2');
    const r1 = est(grunfeld, p1, cache);
    expect(cache.size).toBe(3);
    expect(cache.hits).toBe(0);
    const r2 = est(grunfeld, p2, cache);
    expect(cache.hits).toBe(2); // inv and value
    expect(cache.size).toBe(3);
    expect(r1).toEqual(est(grunfeld, p1));
    expect(r2).toEqual(est(grunfeld, p2));
    // a different sample (one row missing) must not reuse the entries
    const inv = Float64Array.from(grunfeld.numeric('inv'));
    inv[0] = NaN;
    est(grunfeld.with('inv', inv), p1, cache);
    expect(cache.size).toBe(6);
  });

  it('notes FE_NOT_CONVERGED when the alternating projections run out of sweeps', () => {
    // unbalanced (a balanced two-way panel is solved by one sweep)
    const f = withCol(grunfeld, 'inv', (i) => (i % 7 === 3 ? NaN : grunfeld.numeric('inv')[i]!));
    const plan = olsPlan('inv', ['value', 'capital'], ['firm', 'year']);
    const r = estimateOls(plan, f, null, { demean: { exactTwoWay: false, accelerate: false, maxIter: 2 } });
    expect(r.notes.map((x) => x.code)).toEqual(['MISSING_DROPPED', 'FE_NOT_CONVERGED']);
    const ok = estimateOls(plan, f, null, { demean: { exactTwoWay: false } });
    expect(ok.notes.map((x) => x.code)).toEqual(['MISSING_DROPPED']);
    // the iterative route reaches the exact route's numbers
    const exact = est(f, plan);
    expect(Math.abs(ok.coefficients.value!.estimate - exact.coefficients.value!.estimate)).toBeLessThan(1e-10);
  });

  it('refuses clustering on more than two variables with ESTIMATION_FAILED', () => {
    let err: unknown;
    try {
      est(grunfeld, olsPlan('inv', ['value'], ['firm'], { type: 'cluster', cluster: ['firm', 'year', 'firm'] }));
    } catch (e) {
      err = e;
    }
    expect(codeOf(err)).toBe('ESTIMATION_FAILED');
  });

  it('fixef_k counts the fixed-effect parameters as documented', () => {
    const info = { n: 200, kSlopes: 2, feSizes: [10, 20], feNested: [true, false] };
    expect(fixefK('none', info)).toBe(0);
    expect(fixefK('full', info)).toBe(29);
    expect(fixefK('nested', info)).toBe(20);
    expect(fixefK('full', { ...info, feSizes: [], feNested: [] })).toBe(0);
  });
});
