/** The estimators, by kind: adding an estimator is one file and one line here. */
import type { EstimatorKind, ModelPlan } from '../normalize/plan.js';
import type { Estimator } from './types.js';
import { olsEstimator } from './ols/index.js';
import { ivEstimator } from './iv/index.js';
import { diffGmmEstimator, sysGmmEstimator } from './gmm/index.js';
import { mediationEstimator } from './mediation/index.js';
import { rankSizeEstimator } from './ranksize/index.js';

/** The plan type an estimator kind takes (GMM's plan serves both of its kinds). */
type PlanOf<K extends EstimatorKind, P = ModelPlan> = P extends ModelPlan ? (K extends P['estimator'] ? P : never) : never;

export const estimators: { readonly [K in EstimatorKind]: Estimator<PlanOf<K>> } = {
  ols: olsEstimator,
  iv: ivEstimator,
  sysgmm: sysGmmEstimator,
  diffgmm: diffGmmEstimator,
  mediation: mediationEstimator,
  ranksize: rankSizeEstimator,
};
