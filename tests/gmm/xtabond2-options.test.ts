/**
 * xtabond2's options and reports (issue 18), checked by identities that must hold whatever the data:
 * constant: false with time dummies is a reparametrisation; `small` scales the variance by its factor and switches to
 * t(G − 1); difference-in-Hansen is J minus the J of the model re-estimated without the group; levels_lag picks the
 * lag of the levels instruments. Parity with plm (constant: false, effect: individual) is in parity.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { estimateGmm, type GmmDetail } from '../../engine/estimate/gmm/index.js';
import { pValueT } from '../../engine/numerics/distributions.js';
import { empluk, estimationData, gmmPlan, lags, modelA, modelB, withGaps } from './helpers.js';

const full = estimationData(empluk());

describe('gmm.constant', () => {
  test('constant: false with effect twoways: same terms, one dummy per levels period instead of a constant', () => {
    const a = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelA }), full);
    const b = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelA, constant: false }), full);
    for (const [name, c] of Object.entries(a.coefficients)) {
      expect(b.coefficients[name]!.estimate).toBeCloseTo(c.estimate, 6);
      expect(b.coefficients[name]!.se!).toBeCloseTo(c.se!, 6);
    }
    const ta = Object.keys((a.detail as GmmDetail).timeEffects);
    const tb = Object.keys((b.detail as GmmDetail).timeEffects);
    expect(ta).toContain('(Intercept)');
    expect(tb).not.toContain('(Intercept)');
    expect(tb.length).toBe(ta.length);
    expect(b.stats.hansen!).toBeCloseTo(a.stats.hansen!, 6);
    // the first levels period's dummy is the old constant
    const first = tb[0]!;
    expect((b.detail as GmmDetail).timeEffects[first]!.estimate).toBeCloseTo(
      (a.detail as GmmDetail).timeEffects['(Intercept)']!.estimate,
      6,
    );
  });

  test('constant: false with effect individual drops the constant instrument too (plm transformation "ld")', () => {
    const a = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelA, effect: 'individual' }), full);
    const b = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelA, effect: 'individual', constant: false }), full);
    expect(b.stats.instruments).toBe(a.stats.instruments! - 1);
    expect(Object.keys((b.detail as GmmDetail).timeEffects)).toEqual([]);
    expect(b.coefficients['lag(n,1)']!.estimate).not.toBeCloseTo(a.coefficients['lag(n,1)']!.estimate, 5);
  });
});

describe('gmm.small', () => {
  const base = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB }), full);
  const small = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB, small: true }), full);
  const d = small.detail as GmmDetail;

  test('variance × N/(N − K + 1)·G/(G − 1), N the levels equations, G the groups; t with G − 1 df', () => {
    const N = d.nobsLevel;
    const K = Object.keys(small.coefficients).length + Object.keys(d.timeEffects).length;
    const G = 140;
    const factor = (N / (N - K + 1)) * (G / (G - 1));
    expect(d.small!.factor).toBeCloseTo(factor, 12);
    expect(d.small!.df).toBe(G - 1);
    for (const [name, c] of Object.entries(base.coefficients)) {
      const s = small.coefficients[name]!;
      expect(s.estimate).toBe(c.estimate);
      expect(s.se!).toBeCloseTo(c.se! * Math.sqrt(factor), 12);
      expect(s.p!).toBeCloseTo(pValueT(s.t!, G - 1), 12);
      expect(s.p!).toBeGreaterThan(pValueT(s.t!, 1e9) - 1e-15);
    }
  });

  test('F = Wald/q with (q, G − 1) df; without small only the Wald χ²; AR tests and Hansen unchanged', () => {
    expect(small.stats.f!).toBeCloseTo(small.stats.wald! / small.stats.wald_df!, 10);
    expect(small.stats.f_df1).toBe(small.stats.wald_df);
    expect(small.stats.f_df2).toBe(139);
    expect(small.stats.f_p!).toBeGreaterThanOrEqual(0);
    expect(base.stats.f).toBeUndefined();
    // q = all coefficients but the constant: 5 terms + 7 time dummies
    expect(base.stats.wald_df).toBe(5 + Object.keys(d.timeEffects).length - 1);
    expect(small.stats.wald!).toBeCloseTo(base.stats.wald! / d.small!.factor, 6);
    expect(small.stats.ar1).toBe(base.stats.ar1);
    expect(small.stats.hansen).toBe(base.stats.hansen);
  });
});

describe('difference-in-Hansen by instrument group', () => {
  const r = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB, steps: 1 }), full);
  const d = r.detail as GmmDetail;

  test('one test per group: GMM instruments for levels, each GMM variable, the time dummies', () => {
    expect(d.diffHansen.map((g) => g.group)).toEqual(['levels', 'gmm_n', 'gmm_w', 'gmm_k', 'time']);
    // uncollapsed model B: 7 levels columns per GMM variable, 7 time dummies; the df add up to the instrument count
    expect(d.diffHansen[0]!.instruments).toBe(21);
    expect(d.diffHansen[4]!.instruments).toBe(7);
    const gmmCols = d.diffHansen.slice(1, 4).reduce((s, g) => s + g.instruments, 0);
    expect(gmmCols + 7 + 1).toBe(r.stats.instruments); // + the constant's column, in no group
  });

  test('J = J_excluding + difference, df add up, stats carry the difference and its p-value', () => {
    for (const g of d.diffHansen) {
      expect(g.hansenExcluding! + g.difference!).toBeCloseTo(r.stats.hansen!, 10);
      expect(g.hansenExcludingDf! + g.differenceDf).toBe(r.stats.hansen_df);
      expect(r.stats[`diff_hansen_${g.group}`]).toBe(g.difference);
      expect(r.stats[`diff_hansen_${g.group}_df`]).toBe(g.instruments);
      expect(r.stats[`diff_hansen_${g.group}_p`]).toBe(g.differenceP);
      expect(g.differenceP!).toBeGreaterThan(0);
      expect(g.differenceP!).toBeLessThan(1);
    }
  });

  test('J_excluding is the two-step criterion of the model without the group, weighted by the full S', () => {
    // excluding the time-dummy group of difference GMM model A leaves the GMM-style and IV-style instruments
    const a = estimateGmm(gmmPlan({ estimator: 'diffgmm', ...modelA }), full);
    const g = (a.detail as GmmDetail).diffHansen;
    expect(g.map((x) => x.group)).toEqual(['gmm_n', 'iv', 'time', 'iv_time']);
    // removing all GMM-style columns leaves 11 instruments for 13 coefficients: not identified, reported as null
    expect(g[0]!.difference).toBeNull();
    expect(a.stats.diff_hansen_gmm_n_p).toBeNull();
    expect(g[1]!.difference!).toBeGreaterThan(0);
  });

  test('xtabond2 Sargan (not robust): one-step criterion over σ̂², with the Hansen df', () => {
    expect(r.stats.sargan_nonrobust!).toBeGreaterThan(0);
    expect(r.stats.sargan_nonrobust_df).toBe(r.stats.hansen_df);
    expect(r.stats.sargan_nonrobust).not.toBeCloseTo(r.stats.sargan!, 1);
    // invariant to the scale of y and X together (σ̂² scales with the residuals)
    const rows = empluk();
    for (const v of ['n', 'w', 'k']) rows.columns[v] = rows.columns[v]!.map((x) => x * 3);
    const scaled = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB, steps: 1 }), estimationData(rows));
    expect(scaled.stats.sargan_nonrobust!).toBeCloseTo(r.stats.sargan_nonrobust!, 6);
  });
});

describe('levels_lag for GMM-style instruments from lag 3', () => {
  const modelL = {
    dependent: 'n',
    regressors: [...lags('n', 1), ...lags('w', 0, 1), ...lags('k', 0, 1)],
    instruments: [
      { variable: 'n', from: 2, to: 99 },
      { variable: 'w', from: 3, to: 99 },
      { variable: 'k', from: 2, to: 99 },
    ],
  };
  test('xtabond2 instruments the levels row of t by Δw_{t−2} (from t = 1978), plm by Δw_{t−1} (from 1977): one column more', () => {
    const x = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelL, steps: 1 }), full);
    const p = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelL, steps: 1, levelsLag: 'plm' }), full);
    expect(p.stats.instruments).toBe(x.stats.instruments! + 1);
    expect(p.coefficients.w!.estimate).not.toBeCloseTo(x.coefficients.w!.estimate, 3);
  });
  test('for a first lag of 2 the two conventions are the same model', () => {
    const x = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB }), full);
    const p = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB, levelsLag: 'plm' }), full);
    expect(p.coefficients['lag(n,1)']!.estimate).toBe(x.coefficients['lag(n,1)']!.estimate);
    expect(p.stats.instruments).toBe(x.stats.instruments);
  });
});

describe('gmm.transform: fod (forward orthogonal deviations, stored one period late)', () => {
  // Arellano and Bover (1995): on a balanced panel, with every available lag of every regressor as GMM-style
  // instruments, first differences and orthogonal deviations give the same GMM estimator (the moments of one are a
  // fixed invertible transformation of the other's). Exact agreement checks the deviations, the period they are stored
  // at, the one-step weights (identity, and the cross terms with the levels rows) and the AR tests on Δ residuals.
  const balanced = estimationData(empluk((_, year) => year >= 1978 && year <= 1982));
  test.each([
    ['diffgmm', 'individual', 1],
    ['diffgmm', 'individual', 2],
    ['sysgmm', 'twoways', 1],
    ['sysgmm', 'twoways', 2],
  ] as const)('%s, effect %s, %i-step: FOD = FD on a balanced panel with all lags', (estimator, effect, steps) => {
    const fd = estimateGmm(gmmPlan({ estimator, ...modelB, effect, steps }), balanced);
    const fod = estimateGmm(gmmPlan({ estimator, ...modelB, effect, steps, transform: 'fod' }), balanced);
    for (const [name, c] of Object.entries(fd.coefficients)) {
      expect(fod.coefficients[name]!.estimate).toBeCloseTo(c.estimate, 8);
      expect(fod.coefficients[name]!.se!).toBeCloseTo(c.se!, 8);
    }
    for (const s of ['hansen', 'sargan', 'ar1', 'ar2', 'instruments', 'nobs'])
      expect(fod.stats[s]!).toBeCloseTo(fd.stats[s]!, 7);
    expect((fod.detail as GmmDetail).transform).toBe('fod');
  });

  test("on the unbalanced panel the two differ (the deviations depend on each unit's span)", () => {
    const fd = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB, steps: 1 }), full);
    const fod = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB, steps: 1, transform: 'fod' }), full);
    expect(fod.coefficients.w!.estimate).not.toBeCloseTo(fd.coefficients.w!.estimate, 3);
    expect(fod.nobs).toBe(fd.nobs);
  });

  test('gaps cost fewer equations: a deviation needs its row and one later row, a difference two adjacent rows', () => {
    const gaps = estimationData(empluk(withGaps));
    const fd = estimateGmm(gmmPlan({ estimator: 'diffgmm', ...modelB, effect: 'individual' }), gaps);
    const fod = estimateGmm(gmmPlan({ estimator: 'diffgmm', ...modelB, effect: 'individual', transform: 'fod' }), gaps);
    // count by hand: per firm, the years y ≥ first year + 1 (lag 1 exists) that have a later year in the data
    const rows = empluk(withGaps);
    const years = new Map<number, Set<number>>();
    rows.unit.forEach((f, i) => {
      if (!years.has(f)) years.set(f, new Set());
      years.get(f)!.add(rows.time[i]!);
    });
    let devs = 0;
    let diffs = 0;
    for (const ys of years.values()) {
      const sorted = [...ys].sort((a, b) => a - b);
      for (const y of sorted) {
        const complete = ys.has(y - 1); // lag(n, 1) etc. present
        if (complete && sorted.some((z) => z > y && ys.has(z - 1))) devs++;
        if (complete && ys.has(y - 2)) diffs++; // Δ at y needs rows y, y − 1, y − 2 (the lag of the lag)
      }
    }
    expect((fd.detail as GmmDetail).nobsDiff).toBe(diffs);
    expect((fod.detail as GmmDetail).nobsDiff).toBe(devs);
    expect(devs).toBeGreaterThan(diffs);
  });
});
