/** User-tier spec of the GLM estimators (`poisson`, `logit`, `probit`), and its defaults. */
import type { MultipleEstimationKeys } from '../../spec/multiple.js';
import type { SmallSampleSpec } from '../ols/spec.js';

export const GLM_DEFAULTS = { singletons: 'drop' } as const;

/**
 * A generalized linear model with absorbed fixed effects, as fixest's `fepois` (`poisson`) and `feglm` with
 * `binomial` (`logit`) or `binomial(link = "probit")` (`probit`): IRLS on the weighted within transformation;
 * fixed-effect groups whose outcome is all zero (or, for logit/probit, all one) are removed first, as fixest does,
 * and counted in a note. See engine/estimate/glm/CONVENTIONS.md.
 */
export interface GlmModel extends MultipleEstimationKeys {
  /** `poisson` (a count outcome, y ≥ 0), `logit` or `probit` (an outcome between 0 and 1). */
  estimator: 'poisson' | 'logit' | 'probit';
  /** `y ~ x1 + x2 | fe1 + fe2`: fixed effects after the bar; without them a constant is estimated. */
  formula: string;
  /** A sample name from `samples:`, or an inline boolean expression. */
  sample?: string;
  /**
   * `iid`, `hc1` or `cluster(var)` / `cluster(a, b)`, with fixest's small-sample factors (`ssc`); z tests.
   * __Default value:__ `iid`
   */
  vcov?: string;
  /** Small-sample conventions of the variance (as for `ols`). */
  ssc?: SmallSampleSpec;
  /**
   * A column of prior (analytic) weights, as fixest's `weights =`; every weight must be positive.
   * __Default value:__ none (equal weights)
   */
  weights?: string;
  /**
   * Singleton groups of the fixed effects (one observation): `drop` removes them, as for `ols` (reghdfe,
   * ppmlhdfe), in the same single round as the perfectly fitted groups (fixest's `fixef.rm = "both"`), counted in a
   * `SINGLETONS_DROPPED` note; `keep` is fixest's GLM default (`fixef.rm = "perfect"`).
   * __Default value:__ `drop`
   */
  singletons?: 'drop' | 'keep';
  /** Column title used when this model is in a table and the table does not name it. */
  label?: string | { [lang: string]: string };
}
