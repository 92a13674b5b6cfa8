// Stata's constant of a fixed-effects model (`constant: true`): the Grunfeld firm-FE model against
// tests/parity/ols/stata-constant.R (the augmented regression in R with Stata's small-sample factors; raw output
// stata-constant.out, values stata-constant.json). Stata's own xtreg prints -58.74394 (12.45369) iid and
// (27.60286) with vce(cluster firm). Tolerance 1e-6 relative, as for every OLS SE.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { olsEstimator } from '../../engine/estimate/ols/index.js';
import type { VcovPlan } from '../../engine/normalize/plan.js';
import { FIXEST, olsPlan, readNumericCsv } from './helpers.js';

const expected = JSON.parse(
  readFileSync(new URL('../parity/ols/stata-constant.json', import.meta.url), 'utf8'),
) as Record<'iid' | 'cluster', { estimate: number; se: number }>;
const frame = readNumericCsv(new URL('../../data/grunfeld.csv', import.meta.url));

function run(vcov: Partial<VcovPlan>, constant: boolean) {
  const plan = { ...olsPlan('inv', ['value', 'capital'], ['firm'], vcov), constant };
  return olsEstimator.estimate(plan, { frame, unit: null, time: null });
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('constant: true (Stata xtreg, fe / reghdfe)', () => {
  it.each(['iid', 'cluster'] as const)('reproduces the constant and its SE (%s)', (kind) => {
    const vcov: Partial<VcovPlan> =
      kind === 'iid' ? { type: 'iid' } : { type: 'cluster', cluster: ['firm'], ssc: FIXEST };
    const r = run(vcov, true);
    const c = r.coefficients['(Intercept)']!;
    expect(rel(c.estimate, expected[kind].estimate)).toBeLessThan(1e-9);
    expect(rel(c.se!, expected[kind].se)).toBeLessThan(1e-6);
    expect(Object.keys(r.coefficients)).toEqual(['value', 'capital', '(Intercept)']);
  });

  it('leaves the slopes and their SEs exactly as without it', () => {
    for (const vcov of [
      { type: 'iid' as const },
      { type: 'hc1' as const },
      { type: 'cluster' as const, cluster: ['firm'], ssc: FIXEST },
    ]) {
      const a = run(vcov, true);
      const b = run(vcov, false);
      for (const t of ['value', 'capital']) {
        expect(a.coefficients[t]!.estimate).toBe(b.coefficients[t]!.estimate);
        expect(rel(a.coefficients[t]!.se!, b.coefficients[t]!.se!)).toBeLessThan(1e-10);
      }
    }
    expect(run({ type: 'iid' }, false).coefficients['(Intercept)']).toBeUndefined();
  });
});
