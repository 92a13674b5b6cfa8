/** User-tier spec of the `tobit` estimator. */
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
  /** Only `iid` (the inverse of the observed information). __Default value:__ `iid` */
  vcov?: 'iid';
  /** Column title used when this model is in a table and the table does not name it. */
  label?: string | { [lang: string]: string };
}
