// `singletons:` on GLMs against fixest 0.12.1: `drop` (specrun's default) is fepois/feglm with fixef.rm = "both",
// `keep` is fixest's default fixef.rm = "perfect" (tests/parity/glm/glm-singletons.R, raw output
// glm-singletons.out, values glm-singletons.json). AER's Affairs with occupation × education cells, six of which
// have one person: two with affairs > 0 (removed only by "both") and four without (all-zero cells, removed by
// both settings). Tolerance 1e-5 relative; counts exact.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { estimateGlmArrays } from '../../engine/estimate/glm/estimate-glm.js';
import { estimateGlm } from '../../engine/estimate/glm/index.js';
import type { GlmFamilyName } from '../../engine/estimate/glm/family.js';
import type { VcovPlan } from '../../engine/normalize/plan.js';
import { Frame } from '../../engine/core/frame.js';
import { codes, readColumns, rel, vcovPlan } from './helpers.js';

interface Case {
  coef: Record<string, number>;
  se: Record<string, Record<string, number>>;
  nobs: number;
  removed_by_fe: Record<string, number>;
  loglik: number;
  ll_null: number;
  pr2: number;
  deviance: number;
  aic: number;
  bic: number;
  nparams: number;
}
const expected: Record<string, Case> = JSON.parse(
  readFileSync(new URL('../parity/glm/glm-singletons.json', import.meta.url), 'utf8'),
);
const affairs = readColumns(new URL('../parity/glm/affairs.csv', import.meta.url));
const TOL = 1e-5;

function vcovFor(name: string, fe: string[]): VcovPlan {
  if (name === 'iid') return vcovPlan('iid');
  if (name === 'hetero') return vcovPlan('hc1');
  return vcovPlan('cluster', [fe[0]!]);
}

function check(
  name: string,
  family: GlmFamilyName,
  y: string,
  xs: string[],
  fe: string[],
  singletons: 'drop' | 'keep',
  weights: string | null = null,
) {
  const e = expected[`${name}_${singletons === 'drop' ? 'both' : 'perfect'}`]!;
  for (const v of Object.keys(e.se)) {
    const vcov = vcovFor(v, fe);
    const r = estimateGlmArrays({
      model: 'm',
      family,
      y: affairs.get(y)!,
      yName: y,
      X: xs.map((x) => affairs.get(x)!),
      names: xs,
      fe: fe.map((f) => codes(affairs.get(f)!)),
      feNames: fe,
      clusters: vcov.cluster.map((c) => codes(affairs.get(c)!)),
      weights: weights ? affairs.get(weights)! : null,
      weightsName: weights,
      vcov,
      intercept: true,
      singletons,
    });
    expect(r.nobs, `${name} nobs`).toBe(e.nobs);
    // fixest drops religiousness, collinear with its fixed effect, in pois_cell_2fe; so does specrun
    expect(Object.keys(r.coefficients)).toEqual(Object.keys(e.coef));
    for (const [term, b] of Object.entries(e.coef)) {
      expect(rel(r.coefficients[term]!.estimate, b), `${name} ${term} coef`).toBeLessThan(TOL);
      expect(rel(r.coefficients[term]!.se!, e.se[v]![term]!), `${name} ${term} se ${v}`).toBeLessThan(TOL);
    }
    for (const [stat, key] of [
      ['loglik', 'loglik'],
      ['ll_null', 'll_null'],
      ['pseudo_r2', 'pr2'],
      ['deviance', 'deviance'],
      ['aic', 'aic'],
      ['bic', 'bic'],
    ] as const) {
      expect(rel(r.stats[stat]!, e[key]), `${name} ${stat}`).toBeLessThan(TOL);
    }
    expect(r.stats.nparams).toBe(e.nparams);
    const single = r.notes.filter((nt) => nt.code === 'SINGLETONS_DROPPED');
    if (singletons === 'keep') expect(single).toEqual([]);
    else
      expect(single.map((nt) => nt.message).join(' ')).toMatch(
        /6 singleton observation\(s\) removed \(fixed effect occedu\)/,
      );
  }
}

const X4 = ['age', 'yearsmarried', 'religiousness', 'rating'];

describe('GLM singletons: drop = fixest fixef.rm "both", keep = "perfect" (fixest 0.12.1)', () => {
  for (const s of ['drop', 'keep'] as const) {
    it(`Poisson, occupation × education cells (${s})`, () =>
      check('pois_cell', 'poisson', 'affairs', X4, ['occedu'], s));
    it(`Poisson, cells and a second fixed effect (${s})`, () =>
      check('pois_cell_2fe', 'poisson', 'affairs', ['age', 'yearsmarried', 'rating'], ['occedu', 'religiousness'], s));
    it(`Poisson with weights (${s})`, () =>
      check(
        'pois_cell_weights',
        'poisson',
        'affairs',
        ['age', 'religiousness', 'rating'],
        ['occedu'],
        s,
        'yearsmarried',
      ));
    it(`logit: a one-person cell is all-zero or all-one, so both settings agree (${s})`, () =>
      check('logit_cell', 'logit', 'any', X4, ['occedu'], s));
  }

  it('the two settings differ where a singleton has a positive count, and drop is the spec default', () => {
    expect(expected['pois_cell_both']!.nobs).toBe(expected['pois_cell_perfect']!.nobs - 2);
    const frame = new Frame(affairs.get('affairs')!.length, [...affairs.entries()]);
    const term = (v: string) => ({ name: v, variable: v, lag: 0 });
    const plan = {
      id: 'm',
      label: null,
      sample: null,
      source: { file: 't', path: '', line: 0, col: 0 },
      estimator: 'poisson' as const,
      dependent: term('affairs'),
      regressors: X4.map(term),
      fixedEffects: ['occedu'],
      intercept: false,
      vcov: vcovPlan('iid'),
      weights: null,
    };
    const byDefault = estimateGlm('poisson', plan as never, { frame, unit: null, time: null } as never);
    expect(byDefault.nobs).toBe(expected['pois_cell_both']!.nobs);
    const kept = estimateGlm(
      'poisson',
      { ...plan, singletons: 'keep' } as never,
      { frame, unit: null, time: null } as never,
    );
    expect(kept.nobs).toBe(expected['pois_cell_perfect']!.nobs);
  });
});
