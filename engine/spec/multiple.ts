/**
 * The keys of multiple estimation every model accepts (engine/normalize/expand-models.ts): one model written once
 * stands for several, each an ordinary model with a stable id (`fe_all[split=京津冀]`, `fe_all[loo=京津冀]`).
 */

/** A column whose values each give a model, optionally only some of its values: `{ by: agglomeration, values: [京津冀] }`. */
export interface SplitBySpec {
  /** The column (a data column or a derived variable). */
  by: string;
  /**
   * The values to use, in this order. A value the data do not have is an error.
   * __Default value:__ every value of the column (missing values excluded), numbers ascending, texts in code-point order
   */
  values?: (string | number)[];
}

/** Keys shared by every model: one model per value of a column, or per value left out. */
export interface MultipleEstimationKeys {
  /**
   * One model per value of a column (fixest's `split`): the model's sample narrowed to the rows with that value, id
   * `MODEL[split=VALUE]`. Rows where the column is missing are in none of them (as fixest).
   */
  split?: string | SplitBySpec;
  /**
   * One model per value of a group column left out (drop one agglomeration at a time): the model's sample without the
   * rows of that value, id `MODEL[loo=VALUE]`. Rows where the column is missing are kept in every one.
   */
  leave_one_out?: string | SplitBySpec;
}
