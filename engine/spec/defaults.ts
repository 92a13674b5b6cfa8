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
