/**
 * The GLM estimators `poisson`, `logit` and `probit` (fixest's `fepois` / `feglm`): from a plan and the sample's
 * rows to a result. The right-hand terms (columns, lags, `x:z`, `i()`) become columns through the shared design
 * expansion (terms/expand.ts); the numerics are in estimate-glm.ts (stages), irls.ts (the fit),
 * weighted-demean.ts, perfect-fit.ts and family.ts; CONVENTIONS.md maps every number to fixest's.
 */
import type { GlmPlan } from '../../normalize/plan.js';
import type { ModelResult } from '../../results/types.js';
import { vcovName } from '../ols/index.js';
import { expandDesign } from '../terms/expand.js';
import type { EstimationData, Estimator } from '../types.js';
import { estimateGlmArrays } from './estimate-glm.js';
import type { GlmFamilyName } from './family.js';
import { groupColumn, numericColumn } from './frame-columns.js';

export function estimateGlm(kind: GlmFamilyName, plan: GlmPlan, data: EstimationData): ModelResult {
  const { frame } = data, model = plan.id;
  const design = expandDesign(plan.regressors, frame, { model, unit: data.unit });
  const r = estimateGlmArrays({
    model, family: kind,
    y: numericColumn(frame, plan.dependent.name, model), yName: plan.dependent.name,
    X: design.columns.map((c) => c.values), names: design.columns.map((c) => c.name),
    fe: plan.fixedEffects.map((f) => groupColumn(frame, f, model)), feNames: plan.fixedEffects,
    clusters: plan.vcov.cluster.map((c) => groupColumn(frame, c, model)),
    weights: plan.weights ? numericColumn(frame, plan.weights, model) : null, weightsName: plan.weights,
    vcov: plan.vcov, intercept: plan.intercept,
  });
  return {
    estimator: kind, nobs: r.nobs, coefficients: r.coefficients, stats: r.stats,
    fixedEffects: [...plan.fixedEffects], vcov: vcovName(plan.vcov), notes: [...design.notes, ...r.notes],
  };
}

function glmModule<K extends GlmFamilyName>(kind: K): Estimator<GlmPlan & { estimator: K }> {
  return { kind, estimate: (plan, data) => estimateGlm(kind, plan, data) };
}

export const poissonEstimator = glmModule('poisson');
export const logitEstimator = glmModule('logit');
export const probitEstimator = glmModule('probit');
