// Robust and clustered Tobit variances against sandwich's vcovCL / sandwich on AER's tobit()
// (tests/parity/tobit/tobit-robust.R, raw output tobit-robust.out, values tobit-robust.json): every SE, log σ's
// included, and the Wald statistic of the slopes under each variance, at 1e-5 relative.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { estimateTobitArrays } from '../../engine/estimate/tobit/estimate-tobit.js';
import type { SmallSample, VcovPlan } from '../../engine/normalize/plan.js';
import { codes, readColumns, rel } from '../glm/helpers.js';

interface Case {
  coef: Record<string, number>;
  log_scale: number;
  se: Record<string, Record<string, number>>;
  wald: Record<string, number>;
  clusters: number;
  nobs: number;
}
const expected: Record<string, Case> = JSON.parse(
  readFileSync(new URL('../parity/tobit/tobit-robust.json', import.meta.url), 'utf8'),
);
const affairs = readColumns(new URL('../parity/glm/affairs.csv', import.meta.url));
const hsb2 = readColumns(new URL('../parity/tobit/hsb2.csv', import.meta.url));
const X5 = ['age', 'yearsmarried', 'religiousness', 'occupation', 'rating'];
const TOL = 1e-5;

const ssc = (adj: boolean, clusterAdj: boolean): SmallSample => ({ adj, fixef_k: 'nested', cluster_adj: clusterAdj });
// each R variance and the specrun vcov/ssc that reproduces it
const VARIANCES: Record<string, (g: string) => VcovPlan> = {
  cluster_hc1: (g) => ({ type: 'cluster', cluster: [g], ssc: ssc(true, true) }),
  cluster_hc0: (g) => ({ type: 'cluster', cluster: [g], ssc: ssc(false, true) }),
  hetero_hc1: () => ({ type: 'hc1', cluster: [], ssc: ssc(true, true) }),
  hetero_hc0: () => ({ type: 'hc1', cluster: [], ssc: ssc(false, true) }),
  sandwich: () => ({ type: 'hc1', cluster: [], ssc: ssc(false, false) }),
};

function check(
  name: string,
  data: Map<string, Float64Array>,
  y: string,
  xs: string[],
  left: number,
  right: number,
  g: string,
): void {
  const e = expected[name]!;
  for (const [v, plan] of Object.entries(VARIANCES)) {
    const vcov = plan(g);
    const r = estimateTobitArrays({
      model: 'm',
      y: data.get(y)!,
      yName: y,
      X: xs.map((x) => data.get(x)!),
      names: xs,
      left,
      right,
      intercept: true,
      vcov,
      clusters: vcov.cluster.map((c) => codes(data.get(c)!)),
    });
    expect(r.nobs).toBe(e.nobs);
    for (const [t, b] of Object.entries(e.coef)) {
      expect(rel(r.coefficients[t]!.estimate, b), `${name} ${t}`).toBeLessThan(TOL);
      expect(rel(r.coefficients[t]!.se!, e.se[v]![t]!), `${name} ${v} ${t} se`).toBeLessThan(TOL);
    }
    expect(rel(r.stats.log_scale!, e.log_scale), `${name} log_scale`).toBeLessThan(TOL);
    expect(rel(r.stats.log_scale_se!, e.se[v]!['Log(scale)']!), `${name} ${v} log_scale_se`).toBeLessThan(TOL);
    expect(rel(r.stats.wald!, e.wald[v]!), `${name} ${v} wald`).toBeLessThan(TOL);
    expect(r.stats.clusters ?? null).toBe(vcov.type === 'cluster' ? e.clusters : null);
  }
}

describe('tobit robust and clustered variances (sandwich::vcovCL on AER::tobit)', () => {
  it('Affairs, left-censored at 0, clustered by occupation × education', () =>
    check('affairs_left0', affairs, 'affairs', X5, 0, Infinity, 'occedu'));
  it('Affairs, censored at 0 and 4', () => check('affairs_left0_right4', affairs, 'affairs', X5, 0, 4, 'occedu'));
  it('hsb2, right-censored at 65', () =>
    check('hsb2_right65', hsb2, 'write', ['read', 'math', 'female'], -Infinity, 65, 'socst'));
  it('iid is the observed information (unchanged), and the robust SEs differ from it', () => {
    const base = {
      model: 'm',
      y: affairs.get('affairs')!,
      yName: 'affairs',
      X: X5.map((x) => affairs.get(x)!),
      names: X5,
      left: 0,
      right: Infinity,
      intercept: true,
    };
    const iid = estimateTobitArrays(base);
    const robust = estimateTobitArrays({ ...base, vcov: VARIANCES.hetero_hc1!('') });
    expect(iid.coefficients.age!.estimate).toBe(robust.coefficients.age!.estimate);
    expect(rel(iid.coefficients.age!.se!, robust.coefficients.age!.se!)).toBeGreaterThan(1e-3);
    expect(iid.stats.clusters).toBeUndefined();
  });
});
