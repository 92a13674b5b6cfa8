/**
 * The estimator contract. An estimator is a pure function of a plan and the rows of its sample; it does no I/O and
 * keeps no state. Failures are thrown as SpecrunError (the orchestrator adds the model's source position);
 * what was dropped or fixed goes into the result's notes.
 */
import type { Frame } from '../data/frame.js';
import type { ModelPlan } from '../normalize/plan.js';
import type { ModelResult } from '../results/types.js';

export interface EstimationData {
  /**
   * The rows of the model's sample (all rows when it has none), with every column the model names. For OLS and
   * mediation, each lagged term is already a column named by the term (`lag(x,1)`), computed on the full panel
   * before the sample was applied; GMM builds its own lags from `unit` and `time`.
   */
  readonly frame: Frame;
  /** Panel unit codes per row (0..G−1), or null when the data have no unit column. */
  readonly unit: Int32Array | null;
  /** Panel period per row, or null when the data have no time column. */
  readonly time: Float64Array | null;
  /** Labels of the unit codes (for messages), when known. */
  readonly unitLabels?: readonly string[] | null;
  /**
   * Optional cache shared by the models of one run, so that models on the same sample and fixed effects demean a
   * shared column once (OLS keys it by content hashes; see engine/estimate/ols/demean-cache.ts). Absent: no sharing.
   */
  readonly demeanCache?: ColumnCache;
}

/** A string-keyed store of computed columns (e.g. demeaned regressors), owned by the orchestrator for one run. */
export interface ColumnCache {
  get(key: string): Float64Array | undefined;
  set(key: string, value: Float64Array): void;
}

export interface Estimator<P extends ModelPlan = ModelPlan> {
  readonly kind: P['estimator'];
  estimate(plan: P, data: EstimationData): ModelResult;
}
