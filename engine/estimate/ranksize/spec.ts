/** User-tier spec of the rank-size estimator, and its defaults. */
import type { MultipleEstimationKeys } from '../../spec/multiple.js';

/** Defaults of the keys of a `ranksize` model. */
export const RANKSIZE_DEFAULTS = { threshold: 0.5, intercept: 'free' } as const;

/**
 * Rank-size (mono) index: for each group and period, OLS of ln(size) on ln(rank within the group and period),
 * ln size = C − q ln R, reporting q (positive), C, R² and n; a group is monocentric when q > `threshold`, and a
 * polycentric group's number of centres is found by dropping its second-largest unit until q > `threshold`.
 * Tied sizes share their average rank; groups with fewer than three units with a positive size have no q.
 */
export interface RankSizeModel extends MultipleEstimationKeys {
  /** Selects the rank-size estimator. */
  estimator: 'ranksize';
  /** The size column (population); missing, zero or negative sizes are left out of the ranking. */
  size: string;
  /** The group column (agglomeration); periods come from `data.time`. */
  group: string;
  /** A sample name from `samples:`, or an inline boolean expression. __Default value:__ all rows */
  sample?: string;
  /** A group is monocentric when q is above this. __Default value:__ 0.5 */
  threshold?: number;
  /**
   * The intercept C: `free` (estimated with q by OLS) or `largest` (fixed at the log size of the group's largest
   * unit, so q is the slope of the line through that point; the largest unit stays in every refit of the centre
   * count). __Default value:__ `free`
   */
  intercept?: 'free' | 'largest';
  /** Column title used when a table does not name it. */
  label?: string | { [lang: string]: string };
}
