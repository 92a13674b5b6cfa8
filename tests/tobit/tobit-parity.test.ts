// Tobit parity: every case of tests/parity/tobit/tobit.R (AER's tobit, i.e. survreg with a Gaussian distribution;
// raw output tobit.out, values tobit.json) on AER's Affairs and the hsb2 data. Tolerance 1e-5 relative on the
// coefficients, their SEs, log σ and its SE, the log-likelihood and the Wald statistic; censoring counts exact.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { estimateTobitArrays } from '../../engine/estimate/tobit/estimate-tobit.js';
import { readColumns, rel } from '../glm/helpers.js';

interface Case {
  coef: Record<string, number>;
  se: Record<string, number>;
  loglik: number;
  sigma: number;
  nobs: number;
  left: number;
  right: number;
  wald: number;
  wald_df: number;
}
const expected: Record<string, Case> = JSON.parse(
  readFileSync(new URL('../parity/tobit/tobit.json', import.meta.url), 'utf8'),
);
const affairs = readColumns(new URL('../parity/glm/affairs.csv', import.meta.url));
affairs.set(
  'share',
  affairs.get('affairs')!.map((v) => v / 12),
);
const hsb2 = readColumns(new URL('../parity/tobit/hsb2.csv', import.meta.url));
const X5 = ['age', 'yearsmarried', 'religiousness', 'occupation', 'rating'];
const TOL = 1e-5;

function check(
  name: string,
  data: Map<string, Float64Array>,
  y: string,
  xs: string[],
  left: number,
  right: number,
): void {
  const e = expected[name]!;
  const r = estimateTobitArrays({
    model: 'm',
    y: data.get(y)!,
    yName: y,
    X: xs.map((x) => data.get(x)!),
    names: xs,
    left,
    right,
    intercept: true,
  });
  expect(r.nobs).toBe(e.nobs);
  expect(r.stats.left_censored).toBe(e.left);
  expect(r.stats.right_censored).toBe(e.right);
  const terms = Object.keys(e.coef).filter((t) => t !== 'Log(scale)');
  expect(Object.keys(r.coefficients)).toEqual(terms);
  for (const t of terms) {
    expect(rel(r.coefficients[t]!.estimate, e.coef[t]!), `${name} ${t}`).toBeLessThan(TOL);
    expect(rel(r.coefficients[t]!.se!, e.se[t]!), `${name} ${t} se`).toBeLessThan(TOL);
  }
  expect(rel(r.stats.log_scale!, e.coef['Log(scale)']!), `${name} log_scale`).toBeLessThan(TOL);
  expect(rel(r.stats.log_scale_se!, e.se['Log(scale)']!), `${name} log_scale_se`).toBeLessThan(TOL);
  expect(rel(r.stats.sigma!, e.sigma), `${name} sigma`).toBeLessThan(TOL);
  expect(rel(r.stats.loglik!, e.loglik), `${name} loglik`).toBeLessThan(TOL);
  expect(rel(r.stats.wald!, e.wald), `${name} wald`).toBeLessThan(TOL);
  expect(r.stats.wald_df).toBe(e.wald_df);
}

describe('tobit parity (AER::tobit)', () => {
  it("left-censored at 0 (AER's Affairs example)", () => check('affairs_left0', affairs, 'affairs', X5, 0, Infinity));
  it('censored at 0 and 4', () => check('affairs_left0_right4', affairs, 'affairs', X5, 0, 4));
  it('right-censored only', () => check('affairs_right4', affairs, 'affairs', X5, -Infinity, 4));
  it('a share bounded by 0 and 1', () => check('share_0_1', affairs, 'share', X5, 0, 1));
  it('hsb2: writing score right-censored at 65', () =>
    check('hsb2_right65', hsb2, 'write', ['read', 'math', 'female'], -Infinity, 65));
  it('values beyond a censoring point are censored there, with a note', () => {
    const r = estimateTobitArrays({
      model: 'm',
      y: affairs.get('affairs')!,
      yName: 'affairs',
      X: X5.map((x) => affairs.get(x)!),
      names: X5,
      left: 0,
      right: 4,
      intercept: true,
    });
    expect(r.notes.map((n) => n.code)).toContain('TOBIT_BEYOND_CENSORING');
    expect(r.notes.find((n) => n.code === 'TOBIT_BEYOND_CENSORING')!.message).toMatch(/^80 value/);
  });
  it('bad input: no censoring point, or left not below right', () => {
    const base = {
      model: 'm',
      y: affairs.get('affairs')!,
      yName: 'affairs',
      X: [affairs.get('age')!],
      names: ['age'],
      intercept: true,
    };
    expect(() => estimateTobitArrays({ ...base, left: -Infinity, right: Infinity })).toThrow(
      expect.objectContaining({ code: 'TOBIT_NO_CENSORING' }),
    );
    expect(() => estimateTobitArrays({ ...base, left: 4, right: 1 })).toThrow(
      expect.objectContaining({ code: 'TOBIT_NO_CENSORING' }),
    );
  });
});
