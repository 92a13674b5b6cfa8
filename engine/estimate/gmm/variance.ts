/**
 * Variances of the GMM coefficients, computed after the fit from what it left behind.
 *
 * One-step robust (the sandwich with unit-clustered moments, no small-sample factor):
 *   V₁ = B₁ (X'Z W₁ S W₁ Z'X) B₁,   B₁ = (X'Z W₁ Z'X)⁻¹,   S = Σᵢ Zᵢ'ê₁ᵢê₁ᵢ'Zᵢ (one-step residuals).
 *
 * Two-step with the Windmeijer (2005) finite-sample correction, W₂ = S⁻¹ and B₂ = (X'Z W₂ Z'X)⁻¹:
 *   V_c = B₂ + D B₂ + B₂ D' + D V₁ D',
 *   column k of D = −B₂ X'Z W₂ (∂S/∂b_k) W₂ Z'ê₂,   ∂S/∂b_k = −Σᵢ Zᵢ'(x_{k,i} ê₁ᵢ' + ê₁ᵢ x_{k,i}')Zᵢ,
 * the derivative of the two-step estimate through the one-step residuals in its weighting matrix. With
 * v = W₂ Z'ê₂ the product (∂S/∂b_k) v = −Σᵢ [aᵢₖ (gᵢ·v) + gᵢ (aᵢₖ·v)], aᵢₖ = Zᵢ'x_{k,i}, gᵢ = Zᵢ'ê₁ᵢ, so D is built
 * from one pass over the equations, without any L×L matrix per regressor.
 */
import type { StackedEquations } from './equations.js';
import { matMul, matTMul, symmetrize, transpose } from './dense.js';

/** B (WZX' S WZX) B, K×K. */
export function sandwich(bread: Float64Array, WZX: Float64Array, S: Float64Array, L: number, K: number): Float64Array {
  const SWZX = matMul(S, WZX, L, L, K);
  const meat = matTMul(WZX, SWZX, L, K, K);
  const v = matMul(matMul(bread, meat, K, K, K), bread, K, K, K);
  symmetrize(v, K);
  return v;
}

export interface WindmeijerInput {
  readonly eq: StackedEquations;
  /** One-step unit scores gᵢ = Zᵢ'ê₁ᵢ (nunits × L). */
  readonly scores1: Float64Array;
  /** W₂ Z'ê₂ (L). */
  readonly v: Float64Array;
  /** Two-step bread B₂ and W₂Z'X. */
  readonly bread2: Float64Array;
  readonly WZX2: Float64Array;
  /** The one-step robust variance V₁. */
  readonly vcov1: Float64Array;
}

export function windmeijer(inp: WindmeijerInput): Float64Array {
  const { eq, scores1, v, bread2, WZX2, vcov1 } = inp;
  const { L, K, X, zStart, zCol, zVal, unitStart } = eq;
  // F = Σᵢ [aᵢ (gᵢ·v) + gᵢ (aᵢ'v)']  (L×K), so that (∂S/∂b_k) v = −F[:, k]
  const F = new Float64Array(L * K);
  const c = new Float64Array(K);
  for (let u = 0; u < eq.nunits; u++) {
    const r0 = unitStart[u]!;
    const r1 = unitStart[u + 1]!;
    if (r0 === r1) continue;
    const gu = u * L;
    let s = 0;
    for (let j = 0; j < L; j++) s += scores1[gu + j]! * v[j]!;
    c.fill(0);
    for (let r = r0; r < r1; r++) {
      const xr = r * K;
      let zv = 0;
      for (let i = zStart[r]!; i < zStart[r + 1]!; i++) {
        const col = zCol[i]!;
        const val = zVal[i]!;
        zv += val * v[col]!;
        const w = s * val;
        const fc = col * K;
        for (let k = 0; k < K; k++) F[fc + k]! += w * X[xr + k]!;
      }
      for (let k = 0; k < K; k++) c[k]! += zv * X[xr + k]!;
    }
    for (let j = 0; j < L; j++) {
      const g = scores1[gu + j]!;
      if (g === 0) continue;
      const fj = j * K;
      for (let k = 0; k < K; k++) F[fj + k]! += g * c[k]!;
    }
  }
  // D = −B₂ (W₂Z'X)' (−F) = B₂ (W₂Z'X)' F
  const D = matMul(bread2, matTMul(WZX2, F, L, K, K), K, K, K);
  const DB = matMul(D, bread2, K, K, K);
  const DVD = matMul(matMul(D, vcov1, K, K, K), transpose(D, K, K), K, K, K);
  const out = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) out[i * K + j] = bread2[i * K + j]! + DB[i * K + j]! + DB[j * K + i]! + DVD[i * K + j]!;
  }
  symmetrize(out, K);
  return out;
}
