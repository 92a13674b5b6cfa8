// Every row of the Grunfeld block of REFERENCE.md, each from one vcov/ssc option, against the numbers that
// tests/parity/ols/grunfeld.R computes with plm, sandwich and lm (raw output grunfeld.out, values grunfeld.json).
// Tolerance: 1e-6 relative on coefficients and standard errors (what the issue asks), 1e-9 on R² statistics,
// plus a tighter 1e-9 check on coefficients to guard the exactness of the within transformation.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { olsEstimator } from '../../engine/estimate/ols/index.js';
import type { SmallSample, VcovPlan } from '../../engine/normalize/plan.js';
import type { ModelResult } from '../../engine/results/types.js';
import { FIXEST, olsPlan, readNumericCsv } from './helpers.js';

interface Case {
  coef: Record<string, number>;
  se: Record<string, number>;
  p?: Record<string, number>;
  [k: string]: unknown;
}
const expected: Record<string, Case> = JSON.parse(
  readFileSync(new URL('../parity/ols/grunfeld.json', import.meta.url), 'utf8'),
);
const frame = readNumericCsv(new URL('../../data/grunfeld.csv', import.meta.url));

const PLM_SSS: SmallSample = { adj: true, fixef_k: 'none', cluster_adj: true };
const LSDV: SmallSample = { adj: true, fixef_k: 'full', cluster_adj: true };
const CR0: SmallSample = { adj: false, fixef_k: 'nested', cluster_adj: false };

function run(fe: string[], vcov: Partial<VcovPlan>): ModelResult {
  return olsEstimator.estimate(olsPlan('inv', ['value', 'capital'], fe, vcov), { frame, unit: null, time: null });
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

function expectCase(r: ModelResult, name: string, tol = 1e-6): void {
  const e = expected[name]!;
  expect(e, name).toBeDefined();
  for (const term of Object.keys(e.coef)) {
    const c = r.coefficients[term]!;
    expect(rel(c.estimate, e.coef[term]!), `${name} ${term} coef`).toBeLessThan(1e-9);
    expect(rel(c.se!, e.se[term]!), `${name} ${term} se`).toBeLessThan(tol);
  }
  expect(Object.keys(r.coefficients)).toEqual(Object.keys(e.coef));
}

const cluster = (vars: string[], ssc: SmallSample = FIXEST): Partial<VcovPlan> => ({
  type: 'cluster',
  cluster: vars,
  ssc,
});

describe('Grunfeld parity (REFERENCE.md)', () => {
  it('firm FE: coefficients, iid SE', () => expectCase(run(['firm'], { type: 'iid' }), 'firm_iid'));
  it('firm FE: cluster(firm), Stata xtreg K = 3 (default ssc)', () =>
    expectCase(run(['firm'], cluster(['firm'])), 'firm_cluster_stata'));
  it('firm FE: within R²', () => {
    expect(rel(run(['firm'], {}).stats.r2_within!, expected.firm_iid!.within_r2 as number)).toBeLessThan(1e-9);
  });
  it('firm + year FE: coefficients, iid SE', () => expectCase(run(['firm', 'year'], { type: 'iid' }), 'twoway_iid'));
  it('firm + year FE: cluster(firm), plm sss (fixef_k none)', () =>
    expectCase(run(['firm', 'year'], cluster(['firm'], PLM_SSS)), 'twoway_cluster_plm_sss'));
  it('firm + year FE: cluster(firm), fixest default = Stata (K = 22)', () =>
    expectCase(run(['firm', 'year'], cluster(['firm'])), 'twoway_cluster_fixest'));
  it('firm + year FE: cluster(firm), LSDV all dummies (fixef_k full)', () =>
    expectCase(run(['firm', 'year'], cluster(['firm'], LSDV)), 'twoway_cluster_lsdv_hc1'));
  it('firm + year FE: cluster(firm), CR0 (no factor)', () =>
    expectCase(run(['firm', 'year'], cluster(['firm'], CR0)), 'twoway_cluster_cr0'));
  it('firm + year FE: HC1 (default ssc counts every dummy without clusters)', () =>
    expectCase(run(['firm', 'year'], { type: 'hc1' }), 'twoway_hc1'));
  it('firm + year FE: two-way clustering (CGM, G_min), default ssc and CR0', () => {
    expectCase(run(['firm', 'year'], cluster(['firm', 'year'])), 'twoway_cluster2_fixest');
    expectCase(run(['firm', 'year'], cluster(['firm', 'year'], CR0)), 'twoway_cluster2_cr0');
  });
  it('firm + year FE: statistics', () => {
    const r = run(['firm', 'year'], cluster(['firm']));
    const e = expected.twoway_iid!;
    expect(r.nobs).toBe(200);
    expect(rel(r.stats.r2_within!, e.within_r2 as number)).toBeLessThan(1e-9);
    expect(rel(r.stats.r2!, e.r2 as number)).toBeLessThan(1e-9);
    expect(rel(r.stats.r2_adj!, e.r2_adj as number)).toBeLessThan(1e-9);
    expect(rel(r.stats.r2_within_adj!, e.within_r2_adj as number)).toBeLessThan(1e-9);
    expect(rel(r.stats.rmse!, e.rmse as number)).toBeLessThan(1e-9);
    expect(r.stats.df_resid).toBe(e.df_resid);
    expect(r.stats.clusters).toBe(10);
    expect(r.stats.df_t).toBe(9);
    expect(r.vcov).toBe('cluster(firm)');
    expect(r.notes).toEqual([]);
  });
  it('p-values from the t distribution: G − 1 df when clustered, N − K otherwise', () => {
    const rc = run(['firm', 'year'], cluster(['firm']));
    const ri = run(['firm', 'year'], { type: 'iid' });
    for (const term of ['value', 'capital']) {
      expect(rel(rc.coefficients[term]!.p!, expected.twoway_cluster_fixest!.p![term]!)).toBeLessThan(1e-9);
      expect(rel(ri.coefficients[term]!.p!, expected.twoway_iid!.p![term]!)).toBeLessThan(1e-9);
    }
  });
  it('no fixed effects: intercept named (Intercept), iid / hc1 / cluster against lm + sandwich', () => {
    expectCase(run([], { type: 'iid' }), 'pooled_iid');
    expectCase(run([], { type: 'hc1' }), 'pooled_hc1');
    expectCase(run([], cluster(['firm'])), 'pooled_cluster');
    const r = run([], {});
    expect(rel(r.stats.r2!, expected.pooled_iid!.r2 as number)).toBeLessThan(1e-9);
    expect(rel(r.stats.r2_adj!, expected.pooled_iid!.r2_adj as number)).toBeLessThan(1e-9);
    expect(r.stats.r2_within).toBeNull();
  });
  it('the reference numbers of REFERENCE.md themselves (printed digits)', () => {
    const r = run(['firm', 'year'], cluster(['firm']));
    expect(r.coefficients.value!.estimate).toBeCloseTo(0.1177159, 7);
    expect(r.coefficients.value!.se).toBeCloseTo(0.0108244, 7);
    expect(r.coefficients.capital!.se).toBeCloseTo(0.0478484, 7);
  });
});
