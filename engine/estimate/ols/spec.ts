/** User-tier spec of the `ols` estimator, and its defaults. */
import type { MultipleEstimationKeys } from '../../spec/multiple.js';

/** Defaults of the keys of an `ols` model (the variance's are in engine/spec/defaults.ts). */
export const OLS_DEFAULTS = { constant: false, singletons: 'drop' } as const;

/**
 * Variance estimator: `iid`, `hc1`, `cluster(var)`, or two-way `cluster(a, b)` (Cameron–Gelbach–Miller). Computed
 * after the fit; the small-sample factors come from `ssc`. See engine/estimate/ols/CONVENTIONS.md.
 */
export type VcovString = string;

/**
 * Small-sample conventions of the variance (named after fixest's `ssc()`), so that every package's numbers can be
 * reproduced: V = [adj ? (N−1)/(N−K) : 1] · [cluster_adj ? G/(G−1) : 1] · raw sandwich. The defaults are fixest's
 * (= Stata's). `fixef_k: none` gives plm's `sss`, `full` gives `lm` with all dummies + sandwich's HC1, and
 * `adj: false, cluster_adj: false` gives CR0/HC0. See engine/estimate/ols/CONVENTIONS.md.
 */
export interface SmallSampleSpec {
  /** Apply the (N−1)/(N−K) factor (for `iid` it turns e'e/(N−1) into e'e/(N−K)). __Default value:__ true */
  adj?: boolean;
  /**
   * Which fixed-effect dummies count in K: `none` (slopes only, plm's `sss`), `nested` (fixed effects nested in a
   * cluster variable count as one, as Stata xtreg and fixest), `full` (all dummies, LSDV).
   * __Default value:__ `nested`
   */
  fixef_k?: 'none' | 'nested' | 'full';
  /**
   * Apply G/(G−1) for clustered variances (G = N for `hc1`, the smaller G for two-way clustering).
   * __Default value:__ true
   */
  cluster_adj?: boolean;
}

/**
 * The wild cluster bootstrap (restricted, WCR) of single coefficients, as Stata's/R's boottest: for each term,
 * H0: β = 0 is imposed, residuals are flipped by cluster with random weights, and the p-value is the share of
 * bootstrap |t| at least the observed |t|; the interval inverts the test. With Rademacher weights and 2^G ≤ reps
 * every one of the 2^G sign vectors is used once (full enumeration, deterministic).
 */
export interface WildBootstrapSpec {
  /** Bootstrap replications. __Default value:__ 999 */
  reps?: number;
  /** Weights per cluster: Rademacher (±1) or Webb's six-point. __Default value:__ `rademacher` */
  weights?: 'rademacher' | 'webb';
  /** Seed of the generator (the draws are reproducible). __Default value:__ 1 */
  seed?: number;
  /** The coefficients to test, by name (`x`, `x:z`). __Default value:__ every slope */
  terms?: string[];
  /** Confidence level of the intervals. __Default value:__ 0.95 */
  level?: number;
}

/** Inference beyond the analytic variance. */
export interface InferenceSpec {
  /** Wild cluster bootstrap p-values and intervals (needs `vcov: cluster(g)`). */
  wild?: WildBootstrapSpec;
}

/**
 * Ordinary least squares with any number of absorbed fixed effects; with an IV part in the formula
 * (`y ~ x | fe | endog ~ z1 + z2`, or `y ~ x | endog ~ z` without fixed effects) two-stage least squares.
 */
export interface OlsModel extends MultipleEstimationKeys {
  /** `iv` is implied by an IV part in the formula. __Default value:__ `ols` */
  estimator?: 'ols' | 'iv';
  /**
   * `y ~ x1 + x2 + lag(x3, 1) | fe1 + fe2`: fixed effects after the bar. Terms: columns, `lag(x, k)`, `x:z`
   * (product), `x*z` (= `x + z + x:z`), `i(f)`, `i(f, ref = v)`, `i(period, treat, ref = -1)`,
   * `sunab(cohort, period)`. The part with `~` after a bar is the IV part: `endog ~ inst1 + inst2`.
   */
  formula: string;
  /** Analytic weights: a numeric column, as fixest's `weights =` (rows with weight 0 are dropped and counted; negative weights are an error). */
  weights?: string;
  /**
   * Singleton groups of the fixed effects (one observation): `drop` them, iteratively, as reghdfe, or `keep` them as
   * fixest does by default. Both reproduce fixest (with `fixef.rm = "singleton"` for `drop`).
   * __Default value:__ `drop`
   */
  singletons?: 'drop' | 'keep';
  /** Bootstrap inference (OLS with clusters). */
  inference?: InferenceSpec;
  /** A sample name from `samples:`, or an inline boolean expression. */
  sample?: string;
  /** __Default value:__ `iid` */
  vcov?: string;
  /** Small-sample conventions of the variance. */
  ssc?: SmallSampleSpec;
  /**
   * With fixed effects, also report a constant as Stata's `xtreg, fe` and `reghdfe` do: the intercept of the
   * regression of ỹ + ȳ on X̃ + x̄ (= ȳ − x̄'β, the slopes unchanged), with its standard error from the same variance
   * estimator. fixest reports none. Without fixed effects the constant is always estimated.
   * __Default value:__ false
   */
  constant?: boolean;
  /** Column title used when this model is in a table and the table does not name it. */
  label?: string | { [lang: string]: string };
}
