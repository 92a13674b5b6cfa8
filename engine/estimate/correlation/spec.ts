/** User-tier spec of the `correlation` estimator (a correlation matrix), and its defaults. */

/** Defaults of the keys of a `correlation` model. */
export const CORRELATION_DEFAULTS = { method: 'pearson', missing: 'pairwise' } as const;

/**
 * A correlation matrix of columns with the two-sided p-value of each coefficient (t = r √(n − 2) / √(1 − r²) on
 * n − 2 degrees of freedom, as Stata's `pwcorr, sig` and R's `cor.test`), rendered lower-triangular with stars by
 * the `correlation` table layout. See engine/estimate/correlation/CONVENTIONS.md.
 */
export interface CorrelationModel {
  /** Selects the correlation estimator. */
  estimator: 'correlation';
  /** The columns to correlate (at least two), in the order of the matrix. */
  variables: string[];
  /** A sample name from `samples:`, or an inline boolean expression. __Default value:__ all rows */
  sample?: string;
  /**
   * `pearson`, or `spearman` (Pearson's r of the ranks, ties at their average rank; the p-value from the same t
   * approximation, as Stata's `spearman` and SciPy's `spearmanr`). __Default value:__ `pearson`
   */
  method?: 'pearson' | 'spearman';
  /**
   * `pairwise`: each pair uses the rows where both are present (Stata's `pwcorr`, R's `use = "pairwise"`);
   * `listwise`: only rows where every variable is present (Stata's `correlate`, R's `use = "complete.obs"`).
   * __Default value:__ `pairwise`
   */
  missing?: 'pairwise' | 'listwise';
  /** Column title used when this model is in a table and the table does not name it. */
  label?: string | { [lang: string]: string };
}
