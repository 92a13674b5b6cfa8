import { describe, expect, it } from 'vitest';
import { pimTransform as pimModule, depreciationRate as rateOf } from '../../engine/transforms/pim.js';
import { TRANSFORM_DEFAULTS, type PimTransform } from '../../engine/transforms/spec.js';
import { normalizing } from '../helpers/transforms.js';

const pimTransform = normalizing(pimModule);
/** δ of the options as written (normalization fills the defaults first). */
const depreciationRate = (name: string, p: PimTransform['pim']) => rateOf(name, { ...TRANSFORM_DEFAULTS.pim, ...p });
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { codes, panel } from './helpers.js';

// A 4-year series, worked by hand (and checked with python):
//   nominal I = 100, 120, 130, 150; fixed-base price index P = 100, 105, 110, 120
//   real I    = 100, 114.285714, 118.181818, 125
//   growth_years 2: g = (118.181818 / 100)^(1/2) − 1 = 0.0871146; δ = 0.1
//   K_0 = 100 / (g + δ) = 534.43180; K_1 = 0.9 K_0 + 114.285714 = 595.27434; K_2 = 653.92872; K_3 = 713.53585
const years = [2008, 2009, 2010, 2011];
const expected = [534.4318030098142, 595.2743369945471, 653.9287214769105, 713.5358493292194];

describe('pim', () => {
  it('follows K_t = (1−δ)K_{t−1} + I_t/P_t with K_0 = I_0/(g+δ) (fixed-base index)', () => {
    const ctx = panel(['a', 'a', 'a', 'a'], years, { inv: [100, 120, 130, 150], p: [100, 105, 110, 120] });
    const out = pimTransform.compute(
      'K',
      { pim: { investment: 'inv', price_index: 'p', depreciation: 0.1, growth_years: 2 } },
      ctx,
    );
    const K = out.columns[0]![1] as Float64Array;
    expected.forEach((v, i) => expect(K[i]).toBeCloseTo(v, 9));
    expect(out.notes).toEqual([]);
  });

  it('gives the same stock from the equivalent chained index, rows in any order, units independent', () => {
    // chained: 105/100, 110/105, 120/110 (× 100); the first value is never used with base = first period
    const ctx = panel(['b', 'a', 'a', 'b', 'a', 'a', 'b', 'b'], [2009, 2011, 2008, 2008, 2009, 2010, 2011, 2010], {
      inv: [50, 150, 100, 40, 120, 130, 60, 55],
      p: [100, (120 / 110) * 100, 999, 999, 105, (110 / 105) * 100, 100, 100],
    });
    const out = pimTransform.compute(
      'K',
      { pim: { investment: 'inv', price_index: 'p', index_type: 'chained', depreciation: 0.1, growth_years: 2 } },
      ctx,
    );
    const K = out.columns[0]![1] as Float64Array;
    expect(K[2]).toBeCloseTo(expected[0]!, 9);
    expect(K[4]).toBeCloseTo(expected[1]!, 9);
    expect(K[5]).toBeCloseTo(expected[2]!, 9);
    expect(K[1]).toBeCloseTo(expected[3]!, 9);
    // unit b, flat prices: real I = 40, 50, 55, 60; g = (55/40)^(1/2) − 1; K_0 = 40/(g + 0.1)
    const gb = Math.sqrt(55 / 40) - 1;
    const kb0 = 40 / (gb + 0.1);
    expect(K[3]).toBeCloseTo(kb0, 9);
    expect(K[0]).toBeCloseTo(0.9 * kb0 + 50, 9);
  });

  it('takes K_0 from an initial-stock column (the original value of fixed assets) instead of the growth rule', () => {
    // stock 800 in 2008 (P = 1 at the base), later values of the column unused; δ = 0.1
    const ctx = panel(['a', 'a', 'a', 'a'], years, {
      inv: [100, 120, 130, 150],
      p: [100, 105, 110, 120],
      fa: [800, 1, 1, 1],
    });
    const out = pimTransform.compute(
      'K',
      { pim: { investment: 'inv', price_index: 'p', depreciation: 0.1, initial_stock: 'fa' } },
      ctx,
    );
    const K = out.columns[0]![1] as Float64Array;
    const want = [800, 0.9 * 800 + 120 / 1.05];
    want.push(0.9 * want[1]! + 130 / 1.1, 0.9 * (0.9 * want[1]! + 130 / 1.1) + 150 / 1.2);
    want.forEach((v, i) => expect(K[i]).toBeCloseTo(v, 9));
    expect(out.notes).toEqual([]);
    expect(
      pimTransform.inputs({ pim: { investment: 'inv', price_index: 'p', depreciation: 0.1, initial_stock: 'fa' } }),
    ).toEqual(['inv', 'p', 'fa']);
  });

  it('counts a unit whose first-period stock is missing: its whole series is missing', () => {
    const ctx = panel(['a', 'a', 'b', 'b'], [2008, 2009, 2008, 2009], {
      inv: [100, 120, 50, 60],
      fa: [NaN, 900, 400, 1],
    });
    const out = pimTransform.compute('K', { pim: { investment: 'inv', depreciation: 0.1, initial_stock: 'fa' } }, ctx);
    const K = out.columns[0]![1] as Float64Array;
    expect([K[0], K[1]]).toEqual([NaN, NaN]);
    expect(K[3]).toBeCloseTo(0.9 * 400 + 60, 12);
    expect(codes(out.notes)).toEqual(['DATA_VALUE_MISSING']);
    expect(out.notes[0]!.message).toContain('2 row(s)');
  });

  it('derives δ from service lives with a residual value: δ = Σ w (1 − R^(1/T))', () => {
    const spec = {
      investment: 'inv',
      service_lives: [
        { life: 38, share: 0.63 },
        { life: 12, share: 0.29 },
        { life: 16, share: 0.08 },
      ],
    };
    // 0.63·(1−0.04^(1/38)) + 0.29·(1−0.04^(1/12)) + 0.08·(1−0.04^(1/16)) = 0.133976500
    expect(depreciationRate('K', spec)).toBeCloseTo(0.13397650025702285, 12);
    // shares are normalised: doubling every share changes nothing
    const doubled = { ...spec, service_lives: spec.service_lives.map((s) => ({ ...s, share: 2 * s.share })) };
    expect(depreciationRate('K', doubled)).toBeCloseTo(0.13397650025702285, 12);
    const ctx = panel(['a', 'a', 'a', 'a'], years, { inv: [100, 120, 130, 150], p: [100, 105, 110, 120] });
    const K = pimTransform.compute('K', { pim: { ...spec, price_index: 'p' } }, ctx).columns[0]![1] as Float64Array;
    // default growth_years 5 → h = 3: g = (125/100)^(1/3) − 1 = 0.0772173; K_0 = 100/(g + δ) = 473.49865
    expect(K[0]).toBeCloseTo(473.4986470403603, 8);
    expect(K[3]).toBeCloseTo(620.6065048380126, 8);
  });

  it('rejects a missing or doubled depreciation rule and a rate outside (0, 1)', () => {
    expect(() => depreciationRate('K', { investment: 'inv' })).toThrow(SpecrunError);
    expect(() =>
      depreciationRate('K', { investment: 'inv', depreciation: 0.1, service_lives: [{ life: 10, share: 1 }] }),
    ).toThrow(SpecrunError);
    expect(() => depreciationRate('K', { investment: 'inv', depreciation: 1.2 })).toThrow(/depreciation/);
  });

  it('sets the stock missing from a negative investment on, with a warning counting it', () => {
    const ctx = panel(['a', 'a', 'a', 'a'], years, { inv: [100, 120, -5, 150] });
    const out = pimTransform.compute('K', { pim: { investment: 'inv', depreciation: 0.1, growth_years: 1 } }, ctx);
    const K = out.columns[0]![1] as Float64Array;
    expect(Number.isNaN(K[0]!)).toBe(false);
    expect(Number.isNaN(K[1]!)).toBe(false);
    expect(Number.isNaN(K[2]!)).toBe(true);
    expect(Number.isNaN(K[3]!)).toBe(true);
    expect(codes(out.notes)).toEqual(['TRANSFORM_NEGATIVE_INPUT']);
    expect(out.notes[0]!.message).toMatch(/1 row/);
    expect(out.notes[0]!.message).toMatch(/2 row/);
  });

  it('counts rows lost to a missing investment, and breaks the recursion at a gap in the years', () => {
    const ctx = panel(['a', 'a', 'a', 'b', 'b', 'b'], [2008, 2009, 2010, 2008, 2009, 2011], {
      inv: [100, null, 130, 10, 11, 12],
    });
    const out = pimTransform.compute('K', { pim: { investment: 'inv', depreciation: 0.1 } }, ctx);
    const K = out.columns[0]![1] as Float64Array;
    expect(Array.from(K).map(Number.isNaN)).toEqual([false, true, true, false, false, true]);
    expect(codes(out.notes).sort()).toEqual(['DATA_VALUE_MISSING', 'DATA_VALUE_MISSING']);
    expect(out.notes.map((n) => n.message).join(' ')).toMatch(/2 row\(s\).*inv missing/);
  });

  it('falls back to g = 0 when real investment collapses (g + δ ≤ 0), with a warning', () => {
    const ctx = panel(['a', 'a', 'a'], [2008, 2009, 2010], { inv: [100, 50, 25] });
    const out = pimTransform.compute('K', { pim: { investment: 'inv', depreciation: 0.1 } }, ctx);
    const K = out.columns[0]![1] as Float64Array;
    expect(K[0]).toBeCloseTo(1000, 9);
    expect(K[1]).toBeCloseTo(950, 9);
    expect(codes(out.notes)).toEqual(['PIM_INITIAL_FALLBACK']);
  });

  it('needs a panel', () => {
    const ctx = { ...panel(['a'], [2008], { inv: [1] }), unit: null };
    expect(() => pimTransform.compute('K', { pim: { investment: 'inv', depreciation: 0.1 } }, ctx)).toThrow(
      /needs a panel/,
    );
  });
});
