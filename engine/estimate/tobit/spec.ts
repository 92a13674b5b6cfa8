/** User-tier spec of the `tobit` estimator. */
import type { SmallSampleSpec } from '../ols/spec.js';
import type { MultipleEstimationKeys } from '../../spec/multiple.js';

/**
 * A Tobit model (censored normal regression), as AER's `tobit()`: maximum likelihood in (β, log σ), an outcome at
 * or below `left` censored there, at or above `right` censored there. Stats: `loglik`, `log_scale` (log σ) with
 * `log_scale_se`, `sigma`, the censoring counts and the Wald test of the slopes. See
 * engine/estimate/tobit/CONVENTIONS.md.
 */
export interface TobitModel extends MultipleEstimationKeys {
  estimator: 'tobit';
  /** `y ~ x1 + x2` (a constant is always estimated; no fixed effects). */
  formula: string;
  /** A sample name from `samples:`, or an inline boolean expression. */
  sample?: string;
  /**
   * The left-censoring point: y ≤ left is censored. At least one of `left`, `right` must be given.
   * __Default value:__ none (no left censoring)
   */
  left?: number;
  /**
   * The right-censoring point: y ≥ right is censored.
   * __Default value:__ none (no right censoring)
   */
  right?: number;
  /**
   * `iid` (the inverse of the observed information, AER's summary), `hc1` (heteroskedasticity-robust) or
   * `cluster(g)` (one variable): the sandwich of the scores in (β, log σ), as sandwich's `vcovCL(m, type = "HC1")`;
   * `ssc: { adj: false }` gives its `HC0`. __Default value:__ `iid`
   */
  vcov?: string;
  /** Small-sample factors of `hc1` and `cluster(g)` (`adj`: (N−1)/(N−K), K counting log σ; `cluster_adj`: G/(G−1)). */
  ssc?: SmallSampleSpec;
  /** Column title used when this model is in a table and the table does not name it. */
  label?: string | { [lang: string]: string };
}
