/** User-tier spec of the stepwise mediation estimator. */
import type { MultipleEstimationKeys } from '../../spec/multiple.js';
import type { SmallSampleSpec } from '../ols/spec.js';

/** Defaults of the keys of a `mediation` model. */
export const MEDIATION_DEFAULTS = {
  controls: [] as readonly string[],
  fixed_effects: [] as readonly string[],
  bootstrap: { reps: 1000, seed: 1, level: 0.95 },
} as const;

/** Bootstrap of the indirect effect ab: resample rows (or whole clusters when `vcov` clusters) and refit. */
export interface MediationBootstrapSpec {
  /**
   * Number of bootstrap replicates, a whole number from 1 to 100,000.
   * __Default value:__ 1000
   * @minimum 1
   * @maximum 100000
   * @asType integer
   */
  reps?: number;
  /**
   * Seed of the generator (xoshiro128**): the same seed and data give bit-identical intervals on every machine.
   * __Default value:__ 1
   * @minimum 0
   * @maximum 4294967295
   * @asType integer
   */
  seed?: number;
  /**
   * Confidence level of the percentile and bias-corrected intervals.
   * __Default value:__ 0.95
   * @exclusiveMinimum 0
   * @exclusiveMaximum 1
   */
  level?: number;
}

/**
 * Stepwise mediation (Baron & Kenny; Wen & Ye 2014): three OLS equations on one common sample —
 * total effect `outcome ~ treatment + controls` (c), mediator step `mediator ~ treatment + controls` (a), and
 * `outcome ~ treatment + mediator + controls` (c′ and b) — with the indirect effect ab, its share ab/c, the Sobel,
 * Aroian and Goodman tests, an optional bootstrap of ab, and the Wen & Ye verdict (full, partial, suppression, none).
 */
export interface MediationModel extends MultipleEstimationKeys {
  /** Selects the stepwise mediation estimator. */
  estimator: 'mediation';
  /** The treatment X (a column or derived variable). Must differ from `mediator` and `outcome`. */
  treatment: string;
  /** The mediator M. Must differ from `treatment` and `outcome`. */
  mediator: string;
  /** The outcome Y. */
  outcome: string;
  /** Control variables, in all three equations. __Default value:__ none */
  controls?: string[];
  /** Fixed effects absorbed in all three equations (as after `|` in an `ols` formula). __Default value:__ none */
  fixed_effects?: string[];
  /** A sample name from `samples:`, or an inline boolean expression. __Default value:__ all rows */
  sample?: string;
  /** Variance estimator of every equation, as for `ols`: `iid`, `hc1`, `cluster(var)`. __Default value:__ `iid` */
  vcov?: string;
  /** Small-sample conventions of the variance, as for `ols`. */
  ssc?: SmallSampleSpec;
  /** Bootstrap of the indirect effect ab. __Default value:__ no bootstrap */
  bootstrap?: MediationBootstrapSpec;
  /** Column title used when this model is in a table and the table does not name it. */
  label?: string | { [lang: string]: string };
}
