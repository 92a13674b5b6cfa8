/**
 * Parity with R plm 2.6 `pgmm` on empluk (Arellano–Bond 1991). Expected numbers: tests/parity/gmm/empluk.json,
 * produced by tests/parity/gmm/empluk.R (raw output beside it). Tolerance (absolute) 1e-6 for coefficients, SEs,
 * Sargan/Hansen and AR statistics and p-values (toBeCloseTo(x, 6) checks |Δ| < 5e-7); instrument counts, degrees
 * of freedom and nobs exact. The estimates agree with plm to about 1e-8; the looser 1e-4/1e-3 of before would have
 * let a wrong second decimal of a statistic pass (issue 13).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { estimateGmm, type GmmDetail } from '../../engine/estimate/gmm/index.js';
import type { GmmPlan } from '../../engine/normalize/plan.js';
import { empluk, estimationData, gmmPlan, modelA, modelB, modelC, modelE, withGaps } from './helpers.js';

interface Expected {
  coefficients: Record<string, number>;
  se: Record<string, number>;
  se_nonrobust: Record<string, number>;
  time_coefficients: Record<string, number>;
  sargan: number;
  sargan_df: number;
  sargan_p: number;
  ar1: number;
  ar1_p: number;
  ar2: number | null;
  ar2_p: number | null;
  instruments: number;
  groups: number;
  nobs: number;
  hansen_two_step?: number;
  /** Instrument columns zero for every unit: plm counts them, specrun drops them (CONVENTIONS.md). */
  empty_instruments: number;
  sargan_p_nonempty: number;
}
const expected = JSON.parse(readFileSync(new URL('../parity/gmm/empluk.json', import.meta.url), 'utf8')) as Record<
  string,
  Expected
>;

const full = estimationData(empluk());
const gaps = estimationData(empluk(withGaps));
const short = estimationData(empluk((_, year) => year <= 1979));
const fortyFirms = estimationData(empluk((firm) => firm <= 40));
const withMissing = (() => {
  // w missing in every 13th row of the file (rows 5, 18, 31, ... counting from 1), as in the R script
  const rows = empluk();
  for (let i = 4; i < rows.unit.length; i += 13) rows.columns.w![i] = NaN;
  return estimationData(rows);
})();

const cases: Record<string, { plan: GmmPlan; gaps?: boolean; data?: typeof full; what: string }> = {
  A1: { plan: gmmPlan({ estimator: 'diffgmm', ...modelA }), what: 'difference GMM, two-step' },
  A2: { plan: gmmPlan({ estimator: 'sysgmm', ...modelA }), what: 'system GMM, two-step' },
  A3: { plan: gmmPlan({ estimator: 'sysgmm', ...modelA, collapse: true }), what: 'system GMM, two-step, collapsed' },
  B: {
    plan: gmmPlan({ estimator: 'sysgmm', ...modelB, steps: 1 }),
    what: 'system GMM, one-step robust, three GMM variables',
  },
  B2: { plan: gmmPlan({ estimator: 'sysgmm', ...modelB }), what: 'model B two-step' },
  D1: { plan: gmmPlan({ estimator: 'diffgmm', ...modelA, steps: 1 }), what: 'difference GMM, one-step robust' },
  D2: {
    plan: gmmPlan({ estimator: 'diffgmm', ...modelA, effect: 'individual', collapse: true }),
    what: 'difference GMM, no time dummies, collapsed',
  },
  G1: {
    plan: gmmPlan({ estimator: 'sysgmm', ...modelC }),
    gaps: true,
    what: 'system GMM on a panel with gaps, lag range 2:4',
  },
  G2: {
    plan: gmmPlan({ estimator: 'diffgmm', ...modelC }),
    gaps: true,
    what: 'difference GMM on a panel with gaps, lag range 2:4',
  },
  S1: {
    plan: gmmPlan({ estimator: 'diffgmm', ...modelC }),
    data: short,
    what: 'difference GMM on 1976–1979 (no AR(2))',
  },
  S2: { plan: gmmPlan({ estimator: 'sysgmm', ...modelC }), data: short, what: 'system GMM on 1976–1979 (no AR(2))' },
  M1: {
    plan: gmmPlan({ estimator: 'sysgmm', ...modelA }),
    data: withMissing,
    what: 'system GMM with missing values inside rows',
  },
  F1: {
    plan: gmmPlan({ estimator: 'sysgmm', ...modelB }),
    data: fortyFirms,
    what: 'system GMM, 113 instruments for 40 groups (generalised inverse)',
  },
  E1: {
    plan: gmmPlan({ estimator: 'diffgmm', ...modelE, iv: ['ys'] }),
    what: 'difference GMM with an extra IV-style instrument',
  },
  E2: {
    plan: gmmPlan({ estimator: 'sysgmm', ...modelE, iv: ['ys'], collapse: true }),
    what: 'system GMM, collapsed, extra IV-style instrument',
  },
  I1: {
    plan: gmmPlan({ estimator: 'sysgmm', ...modelA, effect: 'individual', constant: false }),
    what: 'system GMM, effect individual, no constant',
  },
  I2: {
    plan: gmmPlan({ estimator: 'sysgmm', ...modelB, effect: 'individual', constant: false, steps: 1 }),
    what: 'system GMM one-step, effect individual, no constant',
  },
  L3: {
    plan: gmmPlan({
      estimator: 'sysgmm',
      ...modelE,
      instruments: [{ variable: 'n', from: 3, to: 99 }],
      levelsLag: 'plm',
    }),
    what: 'system GMM, n instrumented from lag 3, plm levels lag (Δn_{t−1})',
  },
  L4: {
    plan: gmmPlan({
      estimator: 'sysgmm',
      ...modelE,
      instruments: [{ variable: 'n', from: 3, to: 99 }],
      levelsLag: 'plm',
      steps: 1,
      collapse: true,
    }),
    what: 'system GMM one-step collapsed, n from lag 3, plm levels lag',
  },
  I3: {
    plan: gmmPlan({ estimator: 'sysgmm', ...modelA, effect: 'individual', constant: false, collapse: true }),
    what: 'system GMM collapsed, effect individual, no constant',
  },
};

describe.each(Object.entries(cases))('plm parity %s', (id, c) => {
  const exp = expected[id]!;
  const r = estimateGmm(c.plan, c.data ?? (c.gaps ? gaps : full));
  const detail = r.detail as GmmDetail;

  test(`${c.what}: coefficients and SEs to 1e-6`, () => {
    expect(Object.keys(r.coefficients)).toEqual(Object.keys(exp.coefficients));
    for (const [name, b] of Object.entries(exp.coefficients)) {
      expect(r.coefficients[name]!.estimate).toBeCloseTo(b, 6);
      expect(r.coefficients[name]!.se!).toBeCloseTo(exp.se[name]!, 6);
    }
  });

  test('time effects (in detail) to 1e-6', () => {
    expect(Object.keys(detail.timeEffects).sort()).toEqual(Object.keys(exp.time_coefficients).sort());
    for (const [name, b] of Object.entries(exp.time_coefficients))
      expect(detail.timeEffects[name]!.estimate).toBeCloseTo(b, 6);
  });

  test('Sargan and AR statistics and p-values to 1e-6', () => {
    expect(r.stats.sargan!).toBeCloseTo(exp.sargan, 6);
    expect(r.stats.sargan_df).toBe(exp.sargan_df - exp.empty_instruments);
    expect(r.stats.sargan_p!).toBeCloseTo(exp.sargan_p_nonempty, 6);
    expect(r.stats.ar1!).toBeCloseTo(exp.ar1, 6);
    expect(r.stats.ar1_p!).toBeCloseTo(exp.ar1_p, 6);
    if (exp.ar2 === null) {
      // plm omits AR(2) (difference GMM) or prints NaN (system GMM); we report null with a reason
      expect(r.stats.ar2).toBeNull();
      expect(r.stats.ar2_p).toBeNull();
      expect(r.notes.map((n) => n.code)).toContain('GMM_AR_UNAVAILABLE');
    } else {
      expect(r.stats.ar2!).toBeCloseTo(exp.ar2, 6);
      expect(r.stats.ar2_p!).toBeCloseTo(exp.ar2_p!, 6);
    }
  });

  test('xtabond2-style AR tests equal the plm ones for difference GMM only', () => {
    if (detail.transformation === 'difference') {
      expect(detail.xtabond2.ar1).toBe(r.stats.ar1);
      expect(detail.xtabond2.ar2).toBe(r.stats.ar2);
    } else {
      expect(detail.xtabond2.ar1).not.toBe(r.stats.ar1);
    }
  });

  test('instrument count, groups and nobs as plm counts them', () => {
    expect(r.stats.instruments).toBe(exp.instruments - exp.empty_instruments);
    expect(detail.emptyInstruments).toBe(exp.empty_instruments);
    expect(r.notes.some((n) => n.code === 'GMM_EMPTY_INSTRUMENTS')).toBe(exp.empty_instruments > 0);
    expect(r.stats.groups).toBe(exp.groups);
    expect(r.nobs).toBe(exp.nobs);
    expect(r.stats.nobs).toBe(exp.nobs);
    expect(detail.nobsDiff + detail.nobsLevel).toBe(exp.nobs);
  });

  if (c.plan.steps === 2) {
    test('uncorrected two-step SEs equal plm vcov() to 1e-6; Hansen J equals Sargan', () => {
      for (const [name, s] of Object.entries(exp.se_nonrobust)) expect(detail.seUncorrected![name]!).toBeCloseTo(s, 6);
      expect(r.stats.hansen!).toBeCloseTo(r.stats.sargan!, 8);
      expect(r.vcov).toBe('windmeijer');
    });
  }
});

describe('published numbers (REFERENCE.md, 6 printed decimals)', () => {
  test('A1 reproduces Arellano–Bond (1991) Table 4(b): coefficients and non-robust SEs', () => {
    const r = estimateGmm(cases.A1!.plan, full);
    const names = ['lag(n,1)', 'lag(n,2)', 'w', 'lag(w,1)', 'k', 'ys', 'lag(ys,1)'];
    const b = [0.474151, -0.052967, -0.513205, 0.22464, 0.292723, 0.609775, -0.446373];
    const seAB = [0.085303, 0.027284, 0.049345, 0.080063, 0.039463, 0.108524, 0.124815];
    const seW = [0.185398, 0.051749, 0.145565, 0.14195, 0.062627, 0.156263, 0.217302];
    const d = r.detail as GmmDetail;
    names.forEach((n, i) => {
      expect(Math.abs(r.coefficients[n]!.estimate - b[i]!)).toBeLessThan(1e-6);
      expect(Math.abs(r.coefficients[n]!.se! - seW[i]!)).toBeLessThan(1e-6);
      expect(Math.abs(d.seUncorrected![n]! - seAB[i]!)).toBeLessThan(1e-6);
    });
  });

  test('model B: Blundell–Bond one-step robust, and xtabond2 Hansen 110.70 (Roodman 2009)', () => {
    const r = estimateGmm(cases.B!.plan, full);
    const b = {
      'lag(n,1)': [0.935605, 0.026295],
      w: [-0.630976, 0.118054],
      'lag(w,1)': [0.48262, 0.136887],
      k: [0.48393, 0.053867],
      'lag(k,1)': [-0.424393, 0.058479],
    };
    for (const [n, [est, se]] of Object.entries(b)) {
      expect(Math.abs(r.coefficients[n]!.estimate - est!)).toBeLessThan(1e-6);
      expect(Math.abs(r.coefficients[n]!.se! - se!)).toBeLessThan(1e-6);
    }
    expect(r.stats.sargan!).toBeCloseTo(118.763, 3);
    expect(r.stats.hansen!).toBeCloseTo(110.7, 2);
    // xtabond2's AR tests (all system residuals in the variance): −5.46 and −0.25 as Roodman (2009) prints them
    const x = (r.detail as GmmDetail).xtabond2;
    expect(x.ar1!).toBeCloseTo(-5.46, 2);
    expect(x.ar2!).toBeCloseTo(-0.25, 2);
    expect(r.stats.hansen!).toBeCloseTo(expected.B!.hansen_two_step!, 3);
    expect(r.stats.hansen_df).toBe(100);
    expect(r.vcov).toBe('robust');
    expect((r.detail as GmmDetail).seUncorrected).toBeNull();
  });
});
