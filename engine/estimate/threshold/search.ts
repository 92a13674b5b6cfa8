/**
 * The grid search of Hansen's (1999) fixed-effect panel threshold model. With the unit effects removed by the
 * within transformation (˜), the regime-independent regressors X, the regime-dependent regressors R and the
 * threshold variable q, the model with thresholds γ₁ < … < γ_m is
 *
 *     ỹ = X̃β + Σ_j [R·1(γ_{j−1} < q ≤ γ_j)]˜ θ_j + ẽ     (γ₀ = −∞, γ_{m+1} = +∞),
 *
 * and each threshold is the minimiser of the residual sum of squares S(γ) over the candidate values (the grid rule:
 * CONVENTIONS.md). Searching one more threshold γ with the others fixed, the new design spans the same space as the
 * fixed design Z (X̃ and the regime columns of the fixed thresholds) plus W(γ) = [R·1(q ≤ γ)]˜, so by
 * Frisch–Waugh–Lovell, with y⊥ = M_Z ỹ,
 *
 *     S(γ) = y⊥'y⊥ − a(γ)' M(γ)⁻¹ a(γ),   a = W'y⊥,   M = W̃'W̃ − W'Z̃ (Z̃'Z̃)⁻¹ Z̃'W,
 *     W̃'W̃ = Σ_{q≤γ} r rᵀ − Σ_units s_u s_uᵀ / T_u,   s_u = Σ_{i∈u, q≤γ} rᵢ,
 *
 * all of which are running sums along the observations sorted by q: the whole curve costs one pass over the rows
 * (O(N·k_r·k_z)), however many candidates there are.
 */
import { choleskyDropDependent, choleskyInverse, choleskySolve, crossProducts } from '../../numerics/linalg.js';

export interface ThresholdData {
  readonly n: number;
  /** Unit code per row (0..G−1) and the number of rows per unit. */
  readonly unit: Int32Array;
  readonly unitSize: Float64Array;
  readonly q: Float64Array;
  /** Rows sorted by q (ties by row). */
  readonly order: Int32Array;
  /** Distinct values of q, ascending, and for each the number of rows with q ≤ value. */
  readonly values: Float64Array;
  readonly below: Int32Array;
  /** Within-transformed regime-independent regressors. */
  readonly X: readonly Float64Array[];
  /** Regime-dependent regressors, raw. */
  readonly R: readonly Float64Array[];
  /** Smallest number of rows a regime may hold (the trimming). */
  readonly minCount: number;
}

export function thresholdData(
  unit: Int32Array,
  q: Float64Array,
  Xwithin: readonly Float64Array[],
  R: readonly Float64Array[],
  trim: number,
): ThresholdData {
  const n = q.length;
  let G = 0;
  for (let i = 0; i < n; i++) if (unit[i]! + 1 > G) G = unit[i]! + 1;
  const unitSize = new Float64Array(G);
  for (let i = 0; i < n; i++) unitSize[unit[i]!] = unitSize[unit[i]!]! + 1;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => q[a]! - q[b]! || a - b);
  const values: number[] = [],
    below: number[] = [];
  for (let p = 0; p < n; p++) {
    const v = q[order[p]!]!;
    if (p + 1 === n || q[order[p + 1]!]! !== v) {
      values.push(v);
      below.push(p + 1);
    }
  }
  return {
    n,
    unit,
    unitSize,
    q,
    order,
    values: Float64Array.from(values),
    below: Int32Array.from(below),
    X: Xwithin,
    R,
    minCount: Math.max(1, Math.ceil(trim * n)),
  };
}

/** Rows with q ≤ v (v a value of q or ±∞). */
export function countBelow(d: ThresholdData, v: number): number {
  if (v === -Infinity) return 0;
  if (v === Infinity) return d.n;
  let lo = 0,
    hi = d.values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (d.values[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return d.values[lo]! <= v ? d.below[lo]! : 0;
}

/** Within transformation by unit. */
export function withinUnit(d: Pick<ThresholdData, 'unit' | 'unitSize'>, x: Float64Array): Float64Array {
  const m = new Float64Array(d.unitSize.length);
  for (let i = 0; i < x.length; i++) m[d.unit[i]!] = m[d.unit[i]!]! + x[i]!;
  for (let u = 0; u < m.length; u++) m[u] = m[u]! / d.unitSize[u]!;
  return x.map((v, i) => v - m[d.unit[i]!]!);
}

/** The within-transformed regime columns R·1(regime j), j = 1..m+1, for ascending thresholds (R̃ when m = 0). */
export function regimeColumns(d: ThresholdData, thresholds: readonly number[]): Float64Array[] {
  const cuts = [-Infinity, ...thresholds, Infinity];
  const out: Float64Array[] = [];
  for (let j = 0; j + 1 < cuts.length; j++) {
    const lo = cuts[j]!,
      hi = cuts[j + 1]!;
    for (const r of d.R)
      out.push(
        withinUnit(
          d,
          r.map((v, i) => (d.q[i]! > lo && d.q[i]! <= hi ? v : 0)),
        ),
      );
  }
  return out;
}

export interface LeastSquares {
  readonly coef: Float64Array;
  readonly bread: Float64Array;
  readonly kept: number[];
  readonly residuals: Float64Array;
  readonly ssr: number;
}

/** Least squares of y on the (within-transformed) columns, dropping exactly collinear ones. */
export function leastSquares(y: Float64Array, cols: readonly Float64Array[]): LeastSquares {
  const { xtx, xty } = crossProducts(cols, y);
  const scale = cols.map((c) => c.reduce((s, v) => s + v * v, 0));
  const chol = choleskyDropDependent(xtx, cols.length, scale, 1e-10);
  const m = chol.kept.length;
  const coef = choleskySolve(
    chol.L,
    m,
    chol.kept.map((j) => xty[j]!),
  );
  const residuals = Float64Array.from(y);
  chol.kept.forEach((j, p) => {
    const c = cols[j]!,
      b = coef[p]!;
    for (let i = 0; i < y.length; i++) residuals[i] = residuals[i]! - b * c[i]!;
  });
  let ssr = 0;
  for (let i = 0; i < y.length; i++) ssr += residuals[i]! * residuals[i]!;
  return { coef, bread: choleskyInverse(chol.L, m), kept: chol.kept, residuals, ssr };
}

/** The fixed design of a set of thresholds: X̃ and the regime columns. */
export function design(d: ThresholdData, thresholds: readonly number[]): Float64Array[] {
  return [
    ...d.X,
    ...regimeColumns(
      d,
      [...thresholds].sort((a, b) => a - b),
    ),
  ];
}

export interface SearchResult {
  /** The minimiser, and S at it. */
  readonly gamma: number;
  readonly ssr: number;
  /** Every admissible candidate with its S(γ), ascending in γ. */
  readonly curve: { readonly gamma: number; readonly ssr: number }[];
}

/**
 * One more threshold given `fixed` (ascending): S(γ) for every admissible candidate (each regime, after the split,
 * keeps at least minCount rows; γ is a value of q), and its minimiser (the smallest γ on ties). Null when no
 * candidate is admissible.
 */
export function searchThreshold(d: ThresholdData, y: Float64Array, fixed: readonly number[]): SearchResult | null {
  const n = d.n,
    kr = d.R.length;
  const Z = design(d, fixed);
  const kz0 = Z.length;
  const { xtx, xty } = crossProducts(Z, y);
  const scale = Z.map((c) => c.reduce((s, v) => s + v * v, 0));
  const chol = choleskyDropDependent(xtx, kz0, scale, 1e-10);
  const Zk = chol.kept.map((j) => Z[j]!);
  const kz = Zk.length;
  const B = choleskyInverse(chol.L, kz);
  const b = choleskySolve(
    chol.L,
    kz,
    chol.kept.map((j) => xty[j]!),
  );
  const yp = Float64Array.from(y);
  Zk.forEach((z, p) => {
    const c = b[p]!;
    for (let i = 0; i < n; i++) yp[i] = yp[i]! - c * z[i]!;
  });
  let yy = 0;
  for (let i = 0; i < n; i++) yy += yp[i]! * yp[i]!;

  const cuts = [-Infinity, ...fixed, Infinity];
  const cutCounts = cuts.map((c) => countBelow(d, c));
  const a = new Float64Array(kr),
    C = new Float64Array(kr * kz),
    D = new Float64Array(kr * kr),
    P = new Float64Array(kr * kr);
  const s = new Float64Array(d.unitSize.length * kr);
  const M = new Float64Array(kr * kr),
    CB = new Float64Array(kr * kz);
  const curve: { gamma: number; ssr: number }[] = [];
  let best: { gamma: number; ssr: number } | null = null;
  let p = 0;
  for (let c = 0; c < d.values.length; c++) {
    for (; p < d.below[c]!; p++) {
      const i = d.order[p]!,
        u = d.unit[i]!,
        inv = 1 / d.unitSize[u]!;
      for (let r = 0; r < kr; r++) {
        const ri = d.R[r]![i]!;
        a[r] = a[r]! + ri * yp[i]!;
        for (let z = 0; z < kz; z++) C[r * kz + z] = C[r * kz + z]! + ri * Zk[z]![i]!;
        for (let r2 = 0; r2 < kr; r2++) {
          D[r * kr + r2] = D[r * kr + r2]! + ri * d.R[r2]![i]!;
          P[r * kr + r2] = P[r * kr + r2]! - s[u * kr + r]! * s[u * kr + r2]! * inv;
        }
      }
      for (let r = 0; r < kr; r++) s[u * kr + r] = s[u * kr + r]! + d.R[r]![i]!;
      for (let r = 0; r < kr; r++)
        for (let r2 = 0; r2 < kr; r2++) P[r * kr + r2] = P[r * kr + r2]! + s[u * kr + r]! * s[u * kr + r2]! * inv;
    }
    const gamma = d.values[c]!;
    // admissible: γ splits the regime (cuts[j], cuts[j+1]] that contains it into two parts of at least minCount rows
    const nb = d.below[c]!;
    let j = 0;
    while (cuts[j + 1]! < gamma) j++;
    if (cuts[j + 1] === gamma) continue;
    if (nb - cutCounts[j]! < d.minCount || cutCounts[j + 1]! - nb < d.minCount) continue;
    // M = (D − P) − C B Cᵀ, S = yy − aᵀ M⁻¹ a
    for (let r = 0; r < kr; r++)
      for (let z = 0; z < kz; z++) {
        let v = 0;
        for (let t = 0; t < kz; t++) v += C[r * kz + t]! * B[t * kz + z]!;
        CB[r * kz + z] = v;
      }
    for (let r = 0; r < kr; r++)
      for (let r2 = 0; r2 < kr; r2++) {
        let v = D[r * kr + r2]! - P[r * kr + r2]!;
        for (let z = 0; z < kz; z++) v -= CB[r * kz + z]! * C[r2 * kz + z]!;
        M[r * kr + r2] = v;
      }
    const diag = new Float64Array(kr);
    for (let r = 0; r < kr; r++) diag[r] = Math.max(D[r * kr + r]!, 1e-300);
    const mc = choleskyDropDependent(M, kr, diag, 1e-10);
    let gain = 0;
    if (mc.kept.length) {
      const ak = mc.kept.map((r) => a[r]!);
      const sol = choleskySolve(mc.L, mc.kept.length, ak);
      for (let r = 0; r < ak.length; r++) gain += ak[r]! * sol[r]!;
    }
    const ssr = Math.max(yy - gain, 0);
    curve.push({ gamma, ssr });
    if (!best || ssr < best.ssr) best = { gamma, ssr };
  }
  return best ? { gamma: best.gamma, ssr: best.ssr, curve } : null;
}
