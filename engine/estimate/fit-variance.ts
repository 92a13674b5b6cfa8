/**
 * The two ways a module implements the fit/variance contract of engine/estimate/types.ts:
 *   - `fitThenVariance(fit, variance)`: the fit returns what the variances need and the variance is a function of it,
 *     so a change of `vcov` or `ssc` recomputes only the variance (OLS, IV);
 *   - `varianceInFit(estimate)`: the module computes its variance while fitting (the fit is the result, the variance
 *     step returns it), so a change of `vcov` fits the model again (GMM, GLMs, Tobit, threshold, mediation, …).
 * Both give `estimate` = variance ∘ fit for callers that need no cache.
 */
import type { ModelPlanBase } from '../normalize/plan.js';
import type { ModelResult } from '../results/types.js';
import type { EstimationData } from './types.js';

export interface FitVariance<P extends ModelPlanBase, F, R extends ModelResult> {
  fit(plan: P, data: EstimationData): F;
  variance(plan: P, fit: F, data: EstimationData): R;
  estimate(plan: P, data: EstimationData): R;
}

export function fitThenVariance<P extends ModelPlanBase, F, R extends ModelResult>(
  fitModel: (plan: P, data: EstimationData) => F,
  variance: (plan: P, fit: F, data: EstimationData) => R,
): FitVariance<P, F, R> {
  return { fit: fitModel, variance, estimate: (plan, data) => variance(plan, fitModel(plan, data), data) };
}

export function varianceInFit<P extends ModelPlanBase, R extends ModelResult>(
  estimate: (plan: P, data: EstimationData) => R,
): FitVariance<P, R, R> {
  return { fit: estimate, variance: (_plan, result) => result, estimate };
}
