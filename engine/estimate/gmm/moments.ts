/**
 * Sums over units of products with the instruments, accumulated from each unit's sparse instrument rows:
 *   Z'X = Σᵢ Zᵢ'Xᵢ,  Z'y = Σᵢ Zᵢ'yᵢ,  Z'HZ = Σᵢ Zᵢ'HᵢZᵢ,  gᵢ = Zᵢ'eᵢ and Σᵢ gᵢgᵢ'.
 * The cost is in the non-zeros of each unit's rows, never in (all equations) × (instruments).
 *
 * Hᵢ is the one-step weighting of the equations, the covariance of the transformed errors under iid ε (up to σ²):
 *   Δ rows:       2 on the diagonal, −1 between adjacent periods (Δε_p and Δε_{p−1} share ε_{p−1});
 *   levels rows:  the identity;
 *   Δ row p and levels row q: +1 when q = p, −1 when q = p − 1 (Δε_p = ε_p − ε_{p−1}).
 * It is plm's "full" first-step matrix restricted to the unit's complete rows; for model B of REFERENCE.md it gives
 * the one-step coefficients xtabond2 prints with its default h(3).
 */
import { DIFF, type StackedEquations } from './equations.js';

/** Z'X (L×K, row-major) and Z'y. */
export function crossMoments(eq: StackedEquations): { ZX: Float64Array; Zy: Float64Array } {
  const { L, K, X, y, zStart, zCol, zVal } = eq;
  const ZX = new Float64Array(L * K);
  const Zy = new Float64Array(L);
  for (let r = 0; r < eq.nrows; r++) {
    const xr = r * K;
    const yr = y[r]!;
    for (let i = zStart[r]!; i < zStart[r + 1]!; i++) {
      const c = zCol[i]!;
      const v = zVal[i]!;
      Zy[c]! += v * yr;
      const zc = c * K;
      for (let k = 0; k < K; k++) ZX[zc + k]! += v * X[xr + k]!;
    }
  }
  return { ZX, Zy };
}

/** The one-step weight of two equations of the same unit (see the file comment). */
function hEntry(kr: number, pr: number, ks: number, ps: number): number {
  if (kr === DIFF && ks === DIFF) return pr === ps ? 2 : Math.abs(pr - ps) === 1 ? -1 : 0;
  if (kr !== DIFF && ks !== DIFF) return pr === ps ? 1 : 0;
  const pd = kr === DIFF ? pr : ps;
  const pl = kr === DIFF ? ps : pr;
  return pl === pd ? 1 : pl === pd - 1 ? -1 : 0;
}

/**
 * The one-step weight of an orthogonal-deviation row r (the deviation of period p − 1 stored at p, scale c over n later
 * rows) with another row s of the same unit: 1 with itself, 0 with other deviation rows (orthonormal), and with the
 * levels row of period q: c when q = p − 1, −c/n when q > p − 1 (a later complete row, inside the mean), else 0.
 */
function hEntryFod(eq: StackedEquations, r: number, s: number): number {
  const kr = eq.kind[r]!;
  const ks = eq.kind[s]!;
  if (kr === DIFF && ks === DIFF) return r === s ? 1 : 0;
  if (kr !== DIFF && ks !== DIFF) return eq.position[r] === eq.position[s] ? 1 : 0;
  const d = kr === DIFF ? r : s;
  const q = eq.position[kr === DIFF ? s : r]!;
  const b = eq.position[d]! - 1;
  if (q === b) return eq.fodC[d]!;
  return q > b ? -eq.fodC[d]! / eq.fodN[d]! : 0;
}

/** Σᵢ Zᵢ'HᵢZᵢ (L×L). */
export function firstStepMatrix(eq: StackedEquations): Float64Array {
  const { L, kind, position, zStart, zCol, zVal, unitStart } = eq;
  const fod = eq.hDiag === 1;
  const S = new Float64Array(L * L);
  for (let u = 0; u < eq.nunits; u++) {
    const r0 = unitStart[u]!;
    const r1 = unitStart[u + 1]!;
    for (let r = r0; r < r1; r++) {
      for (let s = r; s < r1; s++) {
        const h = fod ? hEntryFod(eq, r, s) : hEntry(kind[r]!, position[r]!, kind[s]!, position[s]!);
        if (h === 0) continue;
        for (let i = zStart[r]!; i < zStart[r + 1]!; i++) {
          const ci = zCol[i]!;
          const vi = h * zVal[i]!;
          for (let j = zStart[s]!; j < zStart[s + 1]!; j++) {
            const cj = zCol[j]!;
            const w = vi * zVal[j]!;
            S[ci * L + cj]! += w;
            if (s !== r) S[cj * L + ci]! += w;
          }
        }
      }
    }
  }
  return S;
}

/** Residuals e = y − Xb, one per equation. */
export function residuals(eq: StackedEquations, b: Float64Array): Float64Array {
  const { K, X, y } = eq;
  const e = new Float64Array(eq.nrows);
  for (let r = 0; r < eq.nrows; r++) {
    let f = 0;
    const xr = r * K;
    for (let k = 0; k < K; k++) f += X[xr + k]! * b[k]!;
    e[r] = y[r]! - f;
  }
  return e;
}

/** The moment contributions gᵢ = Zᵢ'eᵢ of every unit (nunits × L, row-major). */
export function unitScores(eq: StackedEquations, e: Float64Array): Float64Array {
  const { L, zStart, zCol, zVal, unitStart } = eq;
  const g = new Float64Array(eq.nunits * L);
  for (let u = 0; u < eq.nunits; u++) {
    const gu = u * L;
    for (let r = unitStart[u]!; r < unitStart[u + 1]!; r++) {
      const er = e[r]!;
      for (let i = zStart[r]!; i < zStart[r + 1]!; i++) g[gu + zCol[i]!]! += zVal[i]! * er;
    }
  }
  return g;
}

/** Σᵢ gᵢgᵢ' (L×L) from the unit scores. */
export function scoreOuterSum(scores: Float64Array, nunits: number, L: number): Float64Array {
  const S = new Float64Array(L * L);
  const nzIdx = new Int32Array(L);
  const nzVal = new Float64Array(L);
  for (let u = 0; u < nunits; u++) {
    const gu = u * L;
    // a unit's score is often sparse (uncollapsed instruments of periods it does not cover): pack the non-zeros
    let m = 0;
    for (let c = 0; c < L; c++) {
      const v = scores[gu + c]!;
      if (v !== 0) {
        nzIdx[m] = c;
        nzVal[m] = v;
        m++;
      }
    }
    for (let a = 0; a < m; a++) {
      const va = nzVal[a]!;
      const row = nzIdx[a]! * L;
      for (let b = a; b < m; b++) S[row + nzIdx[b]!]! += va * nzVal[b]!;
    }
  }
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) S[j * L + i] = S[i * L + j]!;
  return S;
}

/** Σ_r z_r e_r over all equations: Z'e = Z'y − Z'Xb. */
export function totalScore(ZX: Float64Array, Zy: Float64Array, b: Float64Array, L: number, K: number): Float64Array {
  const g = new Float64Array(L);
  for (let c = 0; c < L; c++) {
    let s = Zy[c]!;
    for (let k = 0; k < K; k++) s -= ZX[c * K + k]! * b[k]!;
    g[c] = s;
  }
  return g;
}
