/**
 * Analytic weights (fixest's `weights =`). Weighted least squares with absorbed fixed effects is OLS on
 *
 *     y* = √w · ỹ_w,   X* = √w · X̃_w,
 *
 * where ˜_w is the weighted within transformation (each column minus its weighted projection on the fixed-effect
 * dummies, i.e. weighted group means). The fit, the variance estimators (e* = √w·e, so Σ e*² x*x*' = Σ w² e² x̃x̃' as
 * in fixest's scores w·e·x̃) and the small-sample factors then apply unchanged.
 */
import type { FixedEffects } from './fixed-effects.js';

export interface WeightedDemeanResult {
  readonly values: Float64Array[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly change: number;
}

/**
 * Weighted within transformation by alternating projections (exact in one sweep for one fixed effect): each sweep
 * subtracts, fixed effect by fixed effect, the weighted group means of the current residual, until no group mean
 * moves by more than `tol` × RMS(column).
 */
export function weightedDemean(
  cols: readonly Float64Array[],
  fe: FixedEffects,
  w: Float64Array,
  tol = 1e-12,
  maxIter = 100_000,
): WeightedDemeanResult {
  const n = w.length;
  const K = fe.codes.length;
  const invW = fe.codes.map((codes, k) => {
    const s = new Float64Array(fe.ngroups[k]!);
    for (let i = 0; i < n; i++) s[codes[i]!] = s[codes[i]!]! + w[i]!;
    for (let g = 0; g < s.length; g++) s[g] = 1 / s[g]!;
    return s;
  });
  let iterations = 0,
    converged = true,
    change = 0;
  const values = cols.map((x) => {
    const r = Float64Array.from(x);
    let rms = 0;
    for (let i = 0; i < n; i++) rms += x[i]! * x[i]!;
    rms = Math.sqrt(rms / Math.max(n, 1)) || 1;
    let it = 0;
    for (;;) {
      let maxMove = 0;
      for (let k = 0; k < K; k++) {
        const codes = fe.codes[k]!,
          inv = invW[k]!;
        const m = new Float64Array(inv.length);
        for (let i = 0; i < n; i++) m[codes[i]!] = m[codes[i]!]! + w[i]! * r[i]!;
        for (let g = 0; g < m.length; g++) {
          m[g] = m[g]! * inv[g]!;
          const a = Math.abs(m[g]!);
          if (a > maxMove) maxMove = a;
        }
        for (let i = 0; i < n; i++) r[i] = r[i]! - m[codes[i]!]!;
      }
      it++;
      if (K === 1 || maxMove <= tol * rms) break;
      if (it >= maxIter) {
        converged = false;
        change = Math.max(change, maxMove / rms);
        break;
      }
    }
    iterations = Math.max(iterations, it);
    return r;
  });
  return { values, iterations, converged, change };
}

/** x · √w, a new column. */
export function scaleBySqrtWeights(x: Float64Array, sw: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * sw[i]!;
  return out;
}
