/**
 * The `tobit` estimator (AER's `tobit()`): the module the registry holds. Numerics in fit.ts, stages in
 * estimate-tobit.ts, conventions in CONVENTIONS.md.
 */
import { isPlainTerm } from '../../expr/formula.js';
import type { ModelPlanBase, Term, VcovPlan } from '../../normalize/plan.js';
import { vcovName } from '../ols/index.js';
import type { ModelResult } from '../../results/types.js';
import { groupColumn, numericColumn } from '../glm/frame-columns.js';
import type { EstimationData, Estimator } from '../types.js';
import { fitThenVariance } from '../fit-variance.js';
import { linearFitWithoutVcov } from '../ols/linear-sample.js';
import { fitTobitArrays, INTERCEPT, tobitVariance, type TobitArrays, type TobitArraysFit } from './estimate-tobit.js';
import type { TobitModel } from './spec.js';

export interface TobitPlan extends ModelPlanBase {
  readonly estimator: 'tobit';
  readonly dependent: Term;
  readonly regressors: readonly Term[];
  /** Censoring points, null when absent. */
  readonly left: number | null;
  readonly right: number | null;
  /** `iid` (the observed information), `hc1` or one-way `cluster(g)` (sandwich's vcovCL). */
  readonly vcov: VcovPlan;
}

export const tobitEstimator: Estimator<TobitPlan, TobitModel> = {
  kind: 'tobit',
  spec: { type: 'TobitModel', file: 'engine/estimate/tobit/spec.ts' },
  normalize(spec, ctx) {
    const f = ctx.formula();
    const vcov = ctx.vcov();
    if (!f || !vcov) return null;
    if (vcov.cluster.length > 1) {
      ctx.report('SPEC_CONFLICT', ['vcov'], {
        detail: 'a Tobit variance clusters on one variable',
        hint: 'use vcov: cluster(g), hc1 or iid',
      });
      return null;
    }
    const conflict = (path: string[], detail: string) => {
      ctx.report('TOBIT_NO_CENSORING', path, { model: ctx.id, detail });
      return null;
    };
    if (f.iv || !f.regressors.every(isPlainTerm) || f.fixedEffects.length > 0) {
      return conflict(
        ['formula'],
        'the Tobit formula takes columns and lags only (no fixed effects, IV part, x:z, i() or sunab())',
      );
    }
    const left = typeof spec.left === 'number' ? spec.left : null;
    const right = typeof spec.right === 'number' ? spec.right : null;
    if (left === null && right === null) return conflict([], 'neither left: nor right: is given');
    if (left !== null && right !== null && !(left < right))
      return conflict(['right'], `left (${left}) must be below right (${right})`);
    return {
      estimator: 'tobit',
      dependent: f.dependent,
      regressors: f.regressors.filter(isPlainTerm),
      left,
      right,
      vcov,
    };
  },
  inputs: (plan) => [
    ...[plan.dependent, ...plan.regressors].map((t) => ({ name: t.variable, key: 'formula' })),
    ...plan.vcov.cluster.map((c) => ({ name: c, key: 'vcov' })),
  ],
  terms: (plan) => [plan.dependent, ...plan.regressors],
  coefficientNames: (plan) => [INTERCEPT, ...plan.regressors.map((r) => r.name)],
  fingerprint: (plan) => ({
    formula: {
      dependent: plan.dependent.name,
      regressors: plan.regressors.map((t) => t.name),
      left: plan.left,
      right: plan.right,
    },
    fixed_effects: [],
    // iid (the default) stays null, as before robust variances existed, so existing hashes do not change
    vcov: plan.vcov.type === 'iid' ? null : plan.vcov,
  }),
  fingerprintFields: ['dependent', 'regressors', 'left', 'right', 'vcov'],
  varianceOnlyVcov: false,
  table: { layout: 'regression' },
  ...fitThenVariance(
    (plan: TobitPlan, data: EstimationData) => fitTobitArrays(tobitArrays(plan, data)),
    (plan: TobitPlan, fit: TobitArraysFit, data: EstimationData): ModelResult => {
      const r = tobitVariance(tobitArrays(plan, data), fit);
      return {
        estimator: 'tobit',
        nobs: r.nobs,
        coefficients: r.coefficients,
        stats: r.stats,
        fixedEffects: [],
        vcov: vcovName(plan.vcov),
        notes: r.notes,
      };
    },
  ),
  fitWithoutVcov: linearFitWithoutVcov<TobitPlan>(),
};

/** The arrays of a Tobit model from the model's data (the plan's clusters included). */
function tobitArrays(plan: TobitPlan, data: EstimationData): TobitArrays {
  const { frame } = data,
    model = plan.id;
  return {
    model,
    y: numericColumn(frame, plan.dependent.name, model),
    yName: plan.dependent.name,
    X: plan.regressors.map((t) => numericColumn(frame, t.name, model)),
    names: plan.regressors.map((t) => t.name),
    left: plan.left ?? -Infinity,
    right: plan.right ?? Infinity,
    intercept: true,
    vcov: plan.vcov,
    clusters: plan.vcov.cluster.map((c) => groupColumn(frame, c, model)),
  };
}
