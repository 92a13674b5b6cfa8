// fepois / feglm parity: every case of tests/parity/glm/glm.R (fixest 0.12.1; raw output glm.out, values glm.json)
// on AER's Affairs data and a two-year slice of fixest's trade data. Tolerance 1e-5 relative (the GLM
// tolerance) on coefficients, SEs of every vcov and the likelihood statistics; observation and group counts exact.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { estimateGlmArrays, type GlmArrays } from '../../engine/estimate/glm/estimate-glm.js';
import type { GlmFamilyName } from '../../engine/estimate/glm/family.js';
import type { VcovPlan } from '../../engine/normalize/plan.js';
import { codes, readColumns, rel, vcovPlan } from './helpers.js';

interface Case {
  coef: Record<string, number>;
  se: Record<string, Record<string, number>>;
  nobs: number;
  removed_groups: number;
  loglik: number;
  ll_null: number;
  pr2: number;
  deviance: number;
  aic: number;
  bic: number;
  nparams: number;
}
const expected: Record<string, Case> = JSON.parse(
  readFileSync(new URL('../parity/glm/glm.json', import.meta.url), 'utf8'),
);
const affairs = readColumns(new URL('../parity/glm/affairs.csv', import.meta.url));
const trade = readColumns(new URL('../parity/glm/trade.csv', import.meta.url));
trade.set('log(dist_km)', trade.get('dist_km')!.map(Math.log));

const X4 = ['age', 'yearsmarried', 'religiousness', 'rating'];
const TOL = 1e-5;

function run(
  data: Map<string, Float64Array>,
  family: GlmFamilyName,
  y: string,
  xs: string[],
  fe: string[],
  vcov: VcovPlan,
  weights: string | null = null,
) {
  const input: GlmArrays = {
    model: 'm',
    family,
    y: data.get(y)!,
    yName: y,
    X: xs.map((x) => data.get(x)!),
    names: xs,
    fe: fe.map((f) => codes(data.get(f)!)),
    feNames: fe,
    clusters: vcov.cluster.map((c) => codes(data.get(c)!)),
    weights: weights ? data.get(weights)! : null,
    weightsName: weights,
    vcov,
    intercept: true,
  };
  return estimateGlmArrays(input);
}

/** fixest's "cluster" default clusters by the first fixed effect; "hetero" is hc1. */
function vcovFor(name: string, fe: string[]): VcovPlan {
  if (name === 'iid') return vcovPlan('iid');
  if (name === 'hetero') return vcovPlan('hc1');
  return vcovPlan('cluster', [fe[0]!]);
}

function check(
  name: string,
  data: Map<string, Float64Array>,
  family: GlmFamilyName,
  y: string,
  xs: string[],
  fe: string[],
  weights: string | null = null,
): void {
  const e = expected[name]!;
  for (const v of Object.keys(e.se)) {
    const r = run(data, family, y, xs, fe, vcovFor(v, fe), weights);
    expect(r.nobs, `${name} nobs`).toBe(e.nobs);
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
    const removed = r.notes.find((nt) => nt.code === 'GLM_PERFECT_FIT_DROPPED');
    if (e.removed_groups > 0) expect(removed?.message, `${name} removal note`).toMatch(/observation/);
    else expect(removed).toBeUndefined();
  }
}

describe('fepois / feglm parity (fixest 0.12.1)', () => {
  it('Poisson, two fixed effects (iid, hetero, cluster)', () =>
    check('pois_2fe', affairs, 'poisson', 'affairs', X4, ['occupation', 'education']));
  it('Poisson, all-zero groups of a fine fixed effect removed as fixest', () =>
    check('pois_cell', affairs, 'poisson', 'affairs', X4, ['occedu']));
  it('Poisson, all-zero groups removed with a second fixed effect', () =>
    check('pois_cell_2fe', affairs, 'poisson', 'affairs', X4, ['occedu', 'religiousness']));
  it('Poisson with weights', () =>
    check(
      'pois_weights',
      affairs,
      'poisson',
      'affairs',
      ['age', 'religiousness', 'rating'],
      ['occupation', 'education'],
      'yearsmarried',
    ));
  it('Poisson without fixed effects (intercept)', () => check('pois_nofe', affairs, 'poisson', 'affairs', X4, []));
  it('logit, two fixed effects', () => check('logit_2fe', affairs, 'logit', 'any', X4, ['occupation', 'education']));
  it('probit, two fixed effects', () => check('probit_2fe', affairs, 'probit', 'any', X4, ['occupation', 'education']));
  it('logit, all-zero and all-one groups removed', () => check('logit_cell', affairs, 'logit', 'any', X4, ['occedu']));
  it('probit, all-zero and all-one groups removed', () =>
    check('probit_cell', affairs, 'probit', 'any', X4, ['occedu']));
  it('logit with weights', () =>
    check(
      'logit_weights',
      affairs,
      'logit',
      'any',
      ['age', 'religiousness', 'rating'],
      ['occupation', 'education'],
      'yearsmarried',
    ));
  it('logit without fixed effects', () => check('logit_nofe', affairs, 'logit', 'any', X4, []));
  it('Poisson gravity model, four fixed effects (alternating projections)', () =>
    check('trade_pois', trade, 'poisson', 'euros', ['log(dist_km)'], ['origin', 'destination', 'product', 'year']));
});
