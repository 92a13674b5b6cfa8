/** User-tier spec of grids (`grids:`), expanded by engine/normalize/grid.ts. */

/**
 * A grid of models: every combination of one alternative per dimension, first dimension outermost, minus the
 * `exclude:` rules. Each model's id is `GRID[dimension=alternative,…]` (then any multiple-estimation tags of the
 * model, such as `loo=京津冀`), used by tables, figures, `diff`, the cache and results.json.
 */
export interface GridSpec {
  /**
   * The model, written as under `models:` (any estimator), with `{dimension}` placeholders in its texts:
   * `formula: "{outcome} ~ lndiv + {controls} | {fe}"`. A key whose whole value is a placeholder whose alternative
   * is empty (`""`) or a mapping is left out; in a formula, the `+` an empty alternative leaves behind is dropped.
   */
  model: { [key: string]: unknown };
  /**
   * The dimensions, in order, each a mapping of named alternatives: a text put in place of `{dimension}`
   * (`controls: { base: lnfdi + lngov, full: lnfdi + lngov + lninv + lnedu }`), or a mapping of model keys merged
   * into the model (`sample: { loo: { leave_one_out: agglomeration } }`). A dimension must be used by a placeholder
   * or by a mapping alternative.
   */
  dimensions: {
    [dimension: string]: { [alternative: string]: string | number | boolean | null | { [key: string]: unknown } };
  };
  /**
   * Combinations left out: each rule maps dimensions to an alternative or a list of them, and removes every
   * combination that matches all its entries (`{ outcome: vrs, controls: base }`). A rule that removes nothing is a
   * warning. __Default value:__ none
   */
  exclude?: { [dimension: string]: string | string[] }[];
}

/**
 * A slice of a grid as table columns: the grid's models whose choices match `where` (each dimension or
 * multiple-estimation tag → an alternative or a list), in grid order. Each column is headed by the choices that
 * vary across the slice.
 */
export interface GridSliceColumn {
  /** The grid id. */
  grid: string;
  /** Choices to keep: `{ controls: full, vcov: city }`. __Default value:__ every model of the grid */
  where?: { [dimension: string]: string | number | (string | number)[] };
}
