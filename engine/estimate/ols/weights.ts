/**
 * Analytic weights (fixest's `weights =`). Weighted least squares with absorbed fixed effects is OLS on
 *
 *     y* = √w · ỹ_w,   X* = √w · X̃_w,
 *
 * where ˜_w is the weighted within transformation (each column minus its weighted projection on the fixed-effect
 * dummies, i.e. weighted group means). The fit, the variance estimators (e* = √w·e, so Σ e*² x*x*' = Σ w² e² x̃x̃' as
 * in fixest's scores w·e·x̃) and the small-sample factors then apply unchanged.
 */
import { weightedDemean as weightedProjection } from '../glm/weighted-demean.js';
import type { FixedEffects } from './fixed-effects.js';

export interface WeightedDemeanResult {
  readonly values: Float64Array[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly change: number;
}

/**
 * Weighted within transformation: the GLMs' weighted demeaner (glm/weighted-demean.ts: exact for one fixed effect
 * and for two with a small one, else alternating projections with Irons–Tuck acceleration in the shared fixed-point
 * loop), stopping when no coefficient moves by more than `tol` × RMS(column) in a sweep.
 */
export function weightedDemean(
  cols: readonly Float64Array[],
  fe: FixedEffects,
  w: Float64Array,
  tol = 1e-12,
  maxIter = 10_000,
): WeightedDemeanResult {
  const r = weightedProjection(cols, fe, w, tol, maxIter);
  return { values: r.values, iterations: r.iterations, converged: r.converged, change: r.change };
}

/** x · √w, a new column. */
export function scaleBySqrtWeights(x: Float64Array, sw: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * sw[i]!;
  return out;
}
