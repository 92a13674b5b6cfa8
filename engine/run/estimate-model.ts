/**
 * Stage 5 for one model: fit, then variance, through the result cache's fits. A module whose fit does not depend on
 * the variance choice (`fitWithoutVcov`: OLS, IV) has its fit kept under a key without `vcov`/`ssc` (the fingerprint
 * of the plan with a neutral variance choice, engine/fingerprint `fitFingerprints`, and what the variance choice
 * decides about the sample), so that a spec change of `vcov` or `ssc` alone recomputes only the variance. Other
 * modules compute their variance inside the fit and are estimated again (their results are still cached whole).
 */
import { ResultCache } from '../cache/result-cache.js';
import type { EstimationData, Estimator } from '../estimate/types.js';
import type { ModelPlan } from '../normalize/plan.js';
import type { ModelResult } from '../results/types.js';

export interface FitCache {
  readonly cache: ResultCache;
  /** The fit fingerprint of this model (undefined: its module has no fit without vcov). */
  readonly hash: string | undefined;
}

export function estimateModel<P extends ModelPlan>(
  module: Estimator<P>,
  plan: P,
  data: EstimationData,
  fits: FitCache | null,
): { result: ModelResult; fitReused: boolean } {
  const w = module.fitWithoutVcov;
  if (!fits || !w || fits.hash === undefined) return { result: module.estimate(plan, data), fitReused: false };
  const key = ResultCache.fitKeyOf(fits.hash, w.sampleKey(plan, data));
  let fit = fits.cache.getFit(key, plan.id);
  const fitReused = fit !== undefined;
  if (!fitReused) {
    fit = module.fit(plan, data);
    fits.cache.putFit(key, plan.id, fit);
  }
  return { result: module.variance(plan, fit, data), fitReused };
}
