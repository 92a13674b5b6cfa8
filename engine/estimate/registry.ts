/** The estimators, by kind: adding an estimator is one file and one line here. */
import type { EstimatorKind, ModelPlan } from '../normalize/plan.js';
import type { Estimator } from './types.js';
import { olsEstimator } from './ols/index.js';
import { diffGmmEstimator, sysGmmEstimator } from './gmm/index.js';
import { mediationEstimator } from './mediation/index.js';
import { rankSizeEstimator } from './ranksize/index.js';

export const estimators: { readonly [K in EstimatorKind]: Estimator<Extract<ModelPlan, { estimator: K }>> } = {
  ols: olsEstimator,
  sysgmm: sysGmmEstimator,
  diffgmm: diffGmmEstimator,
  mediation: mediationEstimator,
  ranksize: rankSizeEstimator,
};
