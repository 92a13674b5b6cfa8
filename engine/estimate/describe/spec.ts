/** User-tier spec of the `describe` estimator (descriptive statistics), and its defaults. */

/** Defaults of the keys of a `describe` model. */
export const DESCRIBE_DEFAULTS = { test: 'welch', quantile_type: 7 } as const;

/**
 * Descriptive statistics of columns: per variable (and per group of `by`) the non-missing count `n`, `mean`, `sd`
 * (n − 1 denominator), `min`, `max` and the percentiles `p1` `p5` `p10` `p25` `p50` (alias `median`) `p75` `p90`
 * `p95` `p99`; with `by` of exactly two groups, the difference in means (first group minus second, as Stata's
 * `ttest, by()`) and its two-sided t-test. Missing values are left out variable by variable (each variable's own
 * `n`). A table of it has the `descriptive` layout: one row per variable, one column per statistic in the table's
 * `stats` (default `n, mean, sd, min, max`). See engine/estimate/describe/CONVENTIONS.md.
 */
export interface DescribeModel {
  /** Selects the descriptive-statistics estimator. */
  estimator: 'describe';
  /** The columns (data columns or derived variables) to describe, in the order of the table's rows. */
  variables: string[];
  /** A sample name from `samples:`, or an inline boolean expression. __Default value:__ all rows */
  sample?: string;
  /**
   * A column whose values split the rows into groups (numbers ascending, texts in code-point order); rows where it
   * is missing are left out and counted in a note. __Default value:__ none (the whole sample)
   */
  by?: string;
  /**
   * The test of the difference in means when `by` has two groups: `welch` (unequal variances, Welch–Satterthwaite
   * df, R's `t.test` default), `pooled` (equal variances, Stata's `ttest, by()` default) or `none`.
   * __Default value:__ `welch`
   */
  test?: 'welch' | 'pooled' | 'none';
  /**
   * How percentiles are computed: `7` (linear interpolation between order statistics; R's and NumPy's default) or
   * `2` (the average at a jump, Stata's `summarize, detail` and `_pctile`). __Default value:__ 7
   */
  quantile_type?: 7 | 2;
  /** Column title used when this model is in a table and the table does not name it. */
  label?: string | { [lang: string]: string };
}
