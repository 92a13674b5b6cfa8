/**
 * Specification tests after a GMM fit.
 *
 * Overidentifying restrictions: J = (Z'ê)' W₂ (Z'ê), χ² with L − K degrees of freedom, W₂ = (Σᵢ Zᵢ'ê₁ᵢê₁ᵢ'Zᵢ)⁻¹ the
 * two-step weighting matrix. With ê the residuals of the reported step this is plm's `sargan()`; with ê the two-step
 * residuals it is Hansen's J, the minimised two-step criterion that xtabond2 prints as "Hansen test" (the two agree
 * for two-step models). See CONVENTIONS.md.
 *
 * Arellano–Bond AR(m) on the differenced residuals, with ê₋ₘ the residual m periods earlier within the unit (0 when
 * that equation is missing):
 *   z = Σᵢ ê₋ₘᵢ'êᵢ / √( Σᵢ (ê₋ₘᵢ'êᵢ)² − 2 ê₋ₘ'X B X'Z W Σᵢ Zᵢ'ẽᵢ(êᵢ'ê₋ₘᵢ) + ê₋ₘ'X V X'ê₋ₘ ),
 * B = (X'Z W Z'X)⁻¹ and W the reported step's bread and weight, V the reported (robust or Windmeijer) variance.
 * The two programs differ only in ẽᵢ in the middle term, for system GMM: plm uses the differenced residuals alone
 * (`'differenced'`, the reported ar1/ar2), xtabond2 all of the unit's residuals, levels included (`'all'`). For
 * difference GMM the two coincide.
 */
import { DIFF, type StackedEquations } from './equations.js';
import { matTVec, matVec, spdInverse, symmetricPseudoInverse } from './dense.js';
import { gmmStep } from './fit.js';
import { totalScore } from './moments.js';

export function overidentification(g: Float64Array, W: Float64Array, L: number): number {
  const Wg = matVec(W, g, L, L);
  let s = 0;
  for (let i = 0; i < L; i++) s += g[i]! * Wg[i]!;
  return s;
}

export type ArResult = { readonly z: number } | { readonly z: null; readonly reason: string };

export interface ArInput {
  readonly eq: StackedEquations;
  readonly T: number;
  /** Residuals of the reported step. */
  readonly e: Float64Array;
  readonly bread: Float64Array;
  readonly WZX: Float64Array;
  readonly vcov: Float64Array;
  /**
   * The first-differenced equations and residuals the test is computed on, when the estimation used orthogonal
   * deviations (the AR test is always on differenced residuals); by default the estimation's own Δ rows.
   */
  readonly differenced?: { readonly eq: StackedEquations; readonly e: Float64Array };
}

export function arTest(inp: ArInput, order: number, variant: 'differenced' | 'all' = 'differenced'): ArResult {
  const { eq, T, e: eEst, bread, WZX, vcov } = inp;
  const { L, zStart, zCol, zVal, unitStart: unitStartEst } = eq;
  const dq = inp.differenced?.eq ?? eq;
  const e = inp.differenced?.e ?? eEst;
  const { K, X, kind, position, unitStart } = dq;
  const byPos = new Float64Array(T);
  const has = new Uint8Array(T);
  const EX = new Float64Array(K);
  const ZVE = new Float64Array(L);
  let num = 0;
  let EVE = 0;
  let pairs = 0;
  let diffPeriods = 0;
  const seenPeriod = new Uint8Array(T);
  for (let u = 0; u < eq.nunits; u++) {
    const r0 = unitStart[u]!;
    const r1 = unitStart[u + 1]!;
    has.fill(0);
    for (let r = r0; r < r1; r++) {
      if (kind[r] !== DIFF) continue;
      byPos[position[r]!] = e[r]!;
      has[position[r]!] = 1;
      if (!seenPeriod[position[r]!]) {
        seenPeriod[position[r]!] = 1;
        diffPeriods++;
      }
    }
    let s = 0;
    for (let r = r0; r < r1; r++) {
      if (kind[r] !== DIFF) continue;
      const q = position[r]! - order;
      if (q < 0 || !has[q]) continue;
      const lagged = byPos[q]!;
      s += e[r]! * lagged;
      pairs++;
      const xr = r * K;
      for (let k = 0; k < K; k++) EX[k]! += lagged * X[xr + k]!;
    }
    if (s === 0) continue;
    num += s;
    EVE += s * s;
    for (let r = unitStartEst[u]!; r < unitStartEst[u + 1]!; r++) {
      if (eq.kind[r] !== DIFF && variant === 'differenced') continue;
      const w = eEst[r]! * s;
      for (let i = zStart[r]!; i < zStart[r + 1]!; i++) ZVE[zCol[i]!]! += zVal[i]! * w;
    }
  }
  if (pairs === 0) {
    return {
      z: null,
      reason:
        diffPeriods <= order
          ? `the differenced equations span ${diffPeriods} period(s), too few for residuals ${order} periods apart`
          : `no unit has differenced residuals ${order} periods apart`,
    };
  }
  // ê₋ₘ'X B (W Z'X)' ZVE
  const cross = dotK(EX, matVec(bread, matTVec(WZX, ZVE, L, K), K, K));
  const quad = dotK(EX, matVec(vcov, EX, K, K));
  const denom = EVE - 2 * cross + quad;
  if (!(denom > 0)) return { z: null, reason: 'its estimated variance is not positive' };
  return { z: num / Math.sqrt(denom) };
}

function dotK(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * xtabond2's "Sargan test of overid. restrictions (not robust)": the one-step criterion scaled by the error variance,
 *   (Z'ê₁)' (Σᵢ Zᵢ'HᵢZᵢ)⁻¹ (Z'ê₁) / σ̂²,   σ̂² = Σ ê₁² over the transformed rows / h / N,
 * h = 2 for first differences (Var Δε = 2σ²), 1 for orthogonal deviations, N = xtabond2's "Number of obs" (the levels
 * equations of system GMM, the transformed ones of difference GMM). This is the variance that reproduces Roodman's
 * (2009) printed statistics for both difference GMM (67.59, 120.62) and system GMM (186.90).
 */
export function nonRobustSargan(
  eq: StackedEquations,
  g1: Float64Array,
  W1: Float64Array,
  e1: Float64Array,
  nobs: number,
): number | null {
  let ee = 0;
  for (let r = 0; r < eq.nrows; r++) if (eq.kind[r] === DIFF) ee += e1[r]! * e1[r]!;
  if (!(ee > 0) || !(nobs > 0)) return null;
  return overidentification(g1, W1, eq.L) / (ee / eq.hDiag / nobs);
}

export interface DiffHansenInput {
  readonly ZX: Float64Array;
  readonly Zy: Float64Array;
  /** Σᵢ Zᵢ'ê₁ᵢê₁ᵢ'Zᵢ of the full model (one-step residuals). */
  readonly S: Float64Array;
  readonly L: number;
  readonly K: number;
  /** Hansen's J of the full model. */
  readonly hansen: number;
  /** Instrument columns (kept indices) of the group tested. */
  readonly group: readonly number[];
}

/**
 * Difference-in-Hansen (C) test of one instrument group: the two-step estimate without the group's columns, its weight
 * the inverse of the full model's S restricted to the remaining columns (as ivreg2's `orthog()` does, so that the
 * difference is computed on a common estimate of the moments' covariance); J_excluding is its criterion, and the
 * difference J − J_excluding is χ² with as many degrees of freedom as the group has columns. Null when the remaining
 * instruments do not identify the coefficients.
 */
export function differenceInHansen(inp: DiffHansenInput): {
  columns: number;
  excluding: number | null;
  difference: number | null;
} {
  const { ZX, Zy, S, L, K, hansen, group } = inp;
  const out = new Set(group);
  const keep: number[] = [];
  for (let c = 0; c < L; c++) if (!out.has(c)) keep.push(c);
  const Ls = keep.length;
  const columns = L - Ls;
  if (columns === 0 || Ls < K) return { columns, excluding: null, difference: null };
  const ZXs = new Float64Array(Ls * K);
  const Zys = new Float64Array(Ls);
  const Ss = new Float64Array(Ls * Ls);
  keep.forEach((c, i) => {
    Zys[i] = Zy[c]!;
    for (let k = 0; k < K; k++) ZXs[i * K + k] = ZX[c * K + k]!;
    keep.forEach((d, j) => {
      Ss[i * Ls + j] = S[c * L + d]!;
    });
  });
  const W = symmetricPseudoInverse(Ss, Ls).inverse;
  let step: ReturnType<typeof gmmStep>;
  try {
    step = gmmStep(ZXs, Zys, W, Ls, K, spdInverse, 'diff-in-Hansen');
  } catch {
    return { columns, excluding: null, difference: null };
  }
  const excluding = overidentification(totalScore(ZXs, Zys, step.b, Ls, K), W, Ls);
  return { columns, excluding, difference: hansen - excluding };
}

/** Wald χ² of the coefficients `idx` being jointly zero: b' V⁻¹ b over them. Null when V is singular there. */
export function waldTest(
  b: Float64Array,
  V: Float64Array,
  K: number,
  idx: readonly number[],
): { stat: number; df: number } | null {
  const q = idx.length;
  if (q === 0) return null;
  const Vq = new Float64Array(q * q);
  const bq = new Float64Array(q);
  idx.forEach((i, a) => {
    bq[a] = b[i]!;
    idx.forEach((j, c) => {
      Vq[a * q + c] = V[i * K + j]!;
    });
  });
  const inv = spdInverse(Vq, q);
  if (!inv) return null;
  return { stat: overidentification(bq, inv, q), df: q };
}
