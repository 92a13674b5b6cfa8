/**
 * Defaults of the spec language that more than one module applies. Each estimator and transform keeps its own
 * defaults beside its spec type (`engine/estimate/KIND/spec.ts`, `engine/transforms/…`); tests/spec/defaults.test.ts
 * checks every one of them against the `__Default value:__` lines of docs/spec-reference.md.
 */

/** `ssc` — the small-sample conventions of the variance (fixest's, = Stata's). */
export const DEFAULT_SSC = { adj: true, fixef_k: 'nested', cluster_adj: true } as const;

/** `vcov` of a model that names none. */
export const DEFAULT_VCOV = 'iid';

/** `estimator` of a model that names none. */
export const DEFAULT_ESTIMATOR = 'ols';

/** Table keys (`tables.ID`): decimal places, significance levels for * ** ***, what goes under a coefficient. */
export const TABLE_DEFAULTS = {
  digits: 3,
  stars: [0.1, 0.05, 0.01] as readonly number[],
  under: 'se',
  longtable: false,
  fit: 'width',
  numbers: true,
  dependent: true,
  /** `label`: `tab:` followed by the table id. */
  label_prefix: 'tab:',
} as const;

/** Data keys (`data:`): the CSV encoding and the cell values read as missing. */
export const DATA_DEFAULTS = {
  encoding: 'auto',
  na: ['', 'NA', 'NaN', '.'] as readonly string[],
} as const;

/** Reading options of a declared table (`data:` and each `data.join[]`): header rows, separator, period, join. */
export const SOURCE_DEFAULTS = {
  skip_rows: 0,
  header_rows: 1,
  header_separator: '/',
  period_from: 'file',
  period_pattern: '(\\d{4})',
  how: 'left',
} as const;
