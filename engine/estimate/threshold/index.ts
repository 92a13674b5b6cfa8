/**
 * The `threshold` estimator (Hansen 1999): from a plan and the sample's rows to a result. Grid search in search.ts,
 * the sequential procedure, intervals and bootstrap in estimate-threshold.ts, every rule in CONVENTIONS.md.
 */
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import type { ThresholdPlan } from '../../normalize/plan.js';
import type { ModelResult } from '../../results/types.js';
import { groupColumn, numericColumn } from '../glm/frame-columns.js';
import { vcovName } from '../ols/index.js';
import type { EstimationData, Estimator } from '../types.js';
import { estimateThresholdArrays } from './estimate-threshold.js';

export const thresholdEstimator: Estimator<ThresholdPlan> = {
  kind: 'threshold',
  estimate(plan: ThresholdPlan, data: EstimationData): ModelResult {
    const { frame } = data, model = plan.id;
    if (!data.time) {
      throw new SpecrunError('THRESHOLD_BAD_OPTION', { model, detail: 'the data have no time column', hint: 'declare data.time: the bootstrap resamples each unit\'s residuals period by period' });
    }
    const r = estimateThresholdArrays({
      model, y: numericColumn(frame, plan.dependent.name, model),
      X: plan.regressors.map((t) => numericColumn(frame, t.name, model)), names: plan.regressors.map((t) => t.name),
      R: plan.regime.map((c) => numericColumn(frame, c, model)), regimeNames: plan.regime,
      q: numericColumn(frame, plan.variable, model), qName: plan.variable,
      unit: groupColumn(frame, plan.unit, model), time: data.time, unitName: plan.unit,
      thresholds: plan.thresholds, trim: plan.trim, reps: plan.reps, seed: plan.seed, vcov: plan.vcov,
      clusters: plan.vcov.cluster.map((c) => groupColumn(frame, c, model)),
    });
    return {
      estimator: 'threshold', nobs: r.nobs, coefficients: r.coefficients, stats: r.stats, fixedEffects: [plan.unit],
      vcov: vcovName(plan.vcov), notes: r.notes, detail: r.detail,
    };
  },
};
