/**
 * Structure of the GMM problem, checked against counts derived by hand (not by plm): instrument columns for balanced
 * panels, the constant of system GMM without time dummies, and invariance to the order of the rows.
 */
import { describe, expect, test } from 'vitest';
import { estimateGmm, type GmmDetail } from '../../engine/estimate/gmm/index.js';
import { empluk, estimationData, gmmPlan, lags, modelA, type PanelRows } from './helpers.js';

/** A balanced T-period panel of G units: y_t = 0.5 y_{t−1} + 0.3 x_t + μ + ε, deterministic pseudo-random draws. */
function balanced(G: number, T: number): PanelRows {
  let s = 12345;
  const draw = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const rows: PanelRows = { unit: [], time: [], columns: { y: [], x: [] } };
  for (let g = 0; g < G; g++) {
    const mu = draw();
    let y = mu + draw();
    for (let t = 0; t < T; t++) {
      const x = draw() + 0.5 * mu;
      y = 0.5 * y + 0.3 * x + mu + draw();
      rows.unit.push(g);
      rows.time.push(2000 + t);
      rows.columns.y!.push(y);
      rows.columns.x!.push(x);
    }
  }
  return rows;
}

const dyn = {
  dependent: 'y',
  regressors: [...lags('y', 1), ...lags('x', 0)],
  instruments: [{ variable: 'y', from: 2, to: 99 }],
};

describe('instrument counts on a balanced panel of T periods, y ~ lag(y,1) + x, GMM y [2, 99], x IV-style', () => {
  // Δ equations at t = 3..T (1-based): the one at t has t − 2 GMM instruments → (T−2)(T−1)/2 in all, T − 2 collapsed.
  // System GMM adds T − 2 levels instruments (1 collapsed), a constant and T − 2 time dummies (levels periods 3..T
  // after the first, 2), and x in differences and in levels; difference GMM adds T − 2 differenced time dummies and Δx.
  test.each([4, 6, 10])('T = %i', (T) => {
    const data = estimationData(balanced(60, T));
    const diffCols = ((T - 2) * (T - 1)) / 2;
    const count = (estimator: 'sysgmm' | 'diffgmm', collapse: boolean): number =>
      estimateGmm(gmmPlan({ estimator, ...dyn, collapse }), data).stats.instruments!;
    expect(count('sysgmm', false)).toBe(diffCols + (T - 2) + 1 + (T - 2) + 2);
    expect(count('sysgmm', true)).toBe(T - 2 + 1 + 1 + (T - 2) + 2);
    expect(count('diffgmm', false)).toBe(diffCols + (T - 2) + 1);
    expect(count('diffgmm', true)).toBe(T - 2 + (T - 2) + 1);
  });

  test('lag ranges cap the uncollapsed columns: [2, 3] gives at most two per Δ equation', () => {
    const T = 8;
    const r = estimateGmm(
      gmmPlan({ estimator: 'diffgmm', ...dyn, instruments: [{ variable: 'y', from: 2, to: 3 }] }),
      estimationData(balanced(60, T)),
    );
    // Δ equations at t = 3..8: 1 + 2·5 GMM columns, 6 differenced dummies, Δx
    expect(r.stats.instruments).toBe(1 + 2 * 5 + 6 + 1);
    expect(r.stats.sargan_df).toBe(r.stats.instruments! - 2 - 6);
  });

  test('nobs: T − 2 differenced and T − 1 levels equations per unit', () => {
    const T = 7;
    const r = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...dyn }), estimationData(balanced(30, T)));
    const d = r.detail as GmmDetail;
    expect(d.nobsDiff).toBe(30 * (T - 2));
    expect(d.nobsLevel).toBe(30 * (T - 1));
    expect(r.nobs).toBe(30 * (2 * T - 3));
  });
});

describe('time effects', () => {
  test('system GMM with effect individual keeps the constant only', () => {
    const r = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelA, effect: 'individual' }), estimationData(empluk()));
    expect(Object.keys((r.detail as GmmDetail).timeEffects)).toEqual(['(Intercept)']);
  });

  test('difference GMM with effect individual has none', () => {
    const r = estimateGmm(gmmPlan({ estimator: 'diffgmm', ...modelA, effect: 'individual' }), estimationData(empluk()));
    expect(Object.keys((r.detail as GmmDetail).timeEffects)).toEqual([]);
  });
});

describe('invariance', () => {
  test('shuffling the rows and relabelling the units changes nothing', () => {
    const rows = empluk();
    const n = rows.unit.length;
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n); // 7919 is prime and coprime with 1031
    expect(new Set(order).size).toBe(n);
    const shuffled: PanelRows = {
      unit: order.map((i) => 1000 - rows.unit[i]!),
      time: order.map((i) => rows.time[i]!),
      columns: Object.fromEntries(Object.entries(rows.columns).map(([k, v]) => [k, order.map((i) => v[i]!)])),
    };
    const plan = gmmPlan({ estimator: 'sysgmm', ...modelA });
    const a = estimateGmm(plan, estimationData(rows));
    const b = estimateGmm(plan, estimationData(shuffled));
    // equal up to rounding: the sums run in another order, through weighting matrices conditioned around 1e8 and
    // regressors (ys) nearly collinear with the time dummies, so digits beyond the 8th may move (they differ by
    // ~1e-8 between specrun and plm too); the bound is 5e-7
    for (const [name, c] of Object.entries(a.coefficients)) {
      expect(b.coefficients[name]!.estimate).toBeCloseTo(c.estimate, 6);
      expect(b.coefficients[name]!.se!).toBeCloseTo(c.se!, 6);
    }
    expect(b.stats.sargan!).toBeCloseTo(a.stats.sargan!, 5);
    expect(b.stats.ar2!).toBeCloseTo(a.stats.ar2!, 6);
    expect(b.nobs).toBe(a.nobs);
    expect(b.stats.instruments).toBe(a.stats.instruments);
  });
});
