/**
 * The `tobit` estimator (AER's `tobit()`): from a plan and the sample's rows to a result. Numerics in fit.ts,
 * stages in estimate-tobit.ts, conventions in CONVENTIONS.md.
 */
import type { TobitPlan } from '../../normalize/plan.js';
import type { ModelResult } from '../../results/types.js';
import { numericColumn } from '../glm/frame-columns.js';
import type { EstimationData, Estimator } from '../types.js';
import { estimateTobitArrays } from './estimate-tobit.js';

export const tobitEstimator: Estimator<TobitPlan> = {
  kind: 'tobit',
  estimate(plan: TobitPlan, data: EstimationData): ModelResult {
    const { frame } = data, model = plan.id;
    const r = estimateTobitArrays({
      model, y: numericColumn(frame, plan.dependent.name, model), yName: plan.dependent.name,
      X: plan.regressors.map((t) => numericColumn(frame, t.name, model)), names: plan.regressors.map((t) => t.name),
      left: plan.left ?? -Infinity, right: plan.right ?? Infinity, intercept: true,
    });
    return { estimator: 'tobit', nobs: r.nobs, coefficients: r.coefficients, stats: r.stats, fixedEffects: [], vcov: 'iid', notes: r.notes };
  },
};
