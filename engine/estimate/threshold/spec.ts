/** User-tier spec of the `threshold` estimator (Hansen 1999), and its defaults. */
import type { MultipleEstimationKeys } from '../../spec/multiple.js';
import type { SmallSampleSpec } from '../ols/spec.js';

/** The threshold part of a panel threshold model. */
export interface ThresholdSpec {
  /** The threshold variable q (a column). */
  variable: string;
  /** The regime-dependent regressors: their slope changes at each threshold (columns; not in the formula). */
  regime: string[];
  /** Number of thresholds, estimated sequentially. __Default value:__ 1 */
  thresholds?: 1 | 2 | 3;
  /**
   * Each regime must hold at least ⌈trim · N⌉ observations: the grid rule of CONVENTIONS.md (every distinct value of
   * q that leaves that many on both sides). Between 0 and 0.5. __Default value:__ 0.05
   * @exclusiveMinimum 0
   * @exclusiveMaximum 0.5
   */
  trim?: number;
  /**
   * Bootstrap replicates of each F test (0: no p-values). __Default value:__ 300
   * @minimum 0
   * @maximum 100000
   * @asType integer
   */
  reps?: number;
  /**
   * Seed of the bootstrap draws (xoshiro128**). __Default value:__ 1
   * @minimum 0
   * @maximum 4294967295
   * @asType integer
   */
  seed?: number;
}

/**
 * Hansen's (1999) fixed-effect panel threshold model: `y ~ x1 + x2 | unit` with the slopes of `threshold.regime`
 * switching at estimated values of `threshold.variable`. Reports the thresholds (`threshold1`…) with their 95%
 * likelihood-ratio intervals (`threshold1_lower`, `threshold1_upper`), the F statistics (`f1`…) with bootstrap
 * p-values (`f1_p`…) and critical values, the SSRs, and the regime coefficients `x:regime1`, `x:regime2`, …
 * Needs a balanced panel. See engine/estimate/threshold/CONVENTIONS.md.
 */
export interface ThresholdModel extends MultipleEstimationKeys {
  estimator: 'threshold';
  /** `y ~ x1 + x2 | unit`: the regime-independent regressors, and the unit after the bar (exactly one). */
  formula: string;
  /** A sample name from `samples:`, or an inline boolean expression. */
  sample?: string;
  threshold: ThresholdSpec;
  /** Variance of the coefficients given the thresholds: `iid`, `hc1` or `cluster(var)`. __Default value:__ `iid` */
  vcov?: string;
  /** Small-sample conventions of the variance (as for `ols`). */
  ssc?: SmallSampleSpec;
  /** Column title used when this model is in a table and the table does not name it. */
  label?: string | { [lang: string]: string };
}

export const THRESHOLD_DEFAULTS = { thresholds: 1, trim: 0.05, reps: 300, seed: 1 } as const;
