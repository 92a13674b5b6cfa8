/**
 * The `tobit` estimator (AER's `tobit()`): the module the registry holds. Numerics in fit.ts, stages in
 * estimate-tobit.ts, conventions in CONVENTIONS.md.
 */
import { isPlainTerm } from '../../expr/formula.js';
import type { ModelPlanBase, Term } from '../../normalize/plan.js';
import type { ModelResult } from '../../results/types.js';
import { numericColumn } from '../glm/frame-columns.js';
import type { EstimationData, Estimator } from '../types.js';
import { varianceInFit } from '../fit-variance.js';
import { estimateTobitArrays, INTERCEPT } from './estimate-tobit.js';
import type { TobitModel } from './spec.js';

export interface TobitPlan extends ModelPlanBase {
  readonly estimator: 'tobit';
  readonly dependent: Term;
  readonly regressors: readonly Term[];
  /** Censoring points, null when absent. */
  readonly left: number | null;
  readonly right: number | null;
}

export const tobitEstimator: Estimator<TobitPlan, TobitModel> = {
  kind: 'tobit',
  spec: { type: 'TobitModel', file: 'engine/estimate/tobit/spec.ts' },
  normalize(spec, ctx) {
    const f = ctx.formula();
    if (!f) return null;
    const conflict = (path: string[], detail: string) => { ctx.report('TOBIT_NO_CENSORING', path, { model: ctx.id, detail }); return null; };
    if (f.iv || !f.regressors.every(isPlainTerm) || f.fixedEffects.length > 0) {
      return conflict(['formula'], 'the Tobit formula takes columns and lags only (no fixed effects, IV part, x:z, i() or sunab())');
    }
    const left = typeof spec.left === 'number' ? spec.left : null;
    const right = typeof spec.right === 'number' ? spec.right : null;
    if (left === null && right === null) return conflict([], 'neither left: nor right: is given');
    if (left !== null && right !== null && !(left < right)) return conflict(['right'], `left (${left}) must be below right (${right})`);
    return { estimator: 'tobit', dependent: f.dependent, regressors: f.regressors.filter(isPlainTerm), left, right };
  },
  inputs: (plan) => [plan.dependent, ...plan.regressors].map((t) => ({ name: t.variable, key: 'formula' })),
  terms: (plan) => [plan.dependent, ...plan.regressors],
  coefficientNames: (plan) => [INTERCEPT, ...plan.regressors.map((r) => r.name)],
  fingerprint: (plan) => ({
    formula: { dependent: plan.dependent.name, regressors: plan.regressors.map((t) => t.name), left: plan.left, right: plan.right },
    fixed_effects: [],
    vcov: null,
  }),
  fingerprintFields: ['dependent', 'regressors', 'left', 'right'],
  varianceOnlyVcov: false,
  table: { layout: 'regression' },
  ...varianceInFit(function estimate(plan: TobitPlan, data: EstimationData): ModelResult {
    const { frame } = data, model = plan.id;
    const r = estimateTobitArrays({
      model, y: numericColumn(frame, plan.dependent.name, model), yName: plan.dependent.name,
      X: plan.regressors.map((t) => numericColumn(frame, t.name, model)), names: plan.regressors.map((t) => t.name),
      left: plan.left ?? -Infinity, right: plan.right ?? Infinity, intercept: true,
    });
    return { estimator: 'tobit', nobs: r.nobs, coefficients: r.coefficients, stats: r.stats, fixedEffects: [], vcov: 'iid', notes: r.notes };
  }),
};
