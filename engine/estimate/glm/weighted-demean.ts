/**
 * The weighted within transformation, the inner step of every IRLS iteration of a GLM with fixed effects:
 *
 *     x̃ = x − Σ_k D_k α_k,   α = argmin Σ_i w_i (x_i − Σ_k α_k[g_k(i)])²,
 *
 * with weights w_i > 0 that change from one iteration to the next (so nothing is cached across calls). Three routes,
 * as for the unweighted transformation of OLS (engine/estimate/ols/demean.ts), with group sizes replaced by the sums
 * of the weights:
 *
 * - one fixed effect: x minus its weighted group means, exactly;
 * - two fixed effects whose smaller one has at most EXACT_TWO_WAY_MAX_GROUPS groups: exactly, by eliminating the
 *   larger fixed effect L from the normal equations. With W_L, W_S the weight sums of the groups and C the L×S table
 *   of weight sums, the smaller one solves
 *       (W_S − Cᵀ W_L⁻¹ C) α_S = Σ_S w x − Cᵀ x̄_L,     α_L = x̄_L − W_L⁻¹ C α_S,
 *   (x̄_L the weighted means), whose matrix is factored once per call for every column (one dependent direction per
 *   connected component is skipped: a normalisation that leaves x̃ unchanged);
 * - otherwise: weighted alternating projections (block Gauss–Seidel on the normal equations), every second sweep
 *   extrapolated by Irons & Tuck (1969); stop when no coefficient moves by more than `tol` × RMS(x) in a sweep.
 */
import { choleskyDropDependent, choleskySolve } from '../../numerics/linalg.js';
import type { FixedEffects } from '../ols/fixed-effects.js';
import { ironsTuckFixedPoint } from '../ols/fixed-point.js';

export const WEIGHTED_DEMEAN_TOL = 1e-11;
export const EXACT_TWO_WAY_MAX_GROUPS = 2000;
/** The exact two-way route is used while its set-up work Σ_g (cells of g)² stays below this many times N. */
const EXACT_TWO_WAY_WORK = 40;

export interface WeightedDemeanResult {
  readonly values: Float64Array[];
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest coefficient change in the last sweep of any column, relative to RMS(column) (0 when exact). */
  readonly change: number;
  readonly method: 'none' | 'one-way' | 'two-way-exact' | 'alternating-projections';
}

/** Demean the columns against the fixed effects with observation weights w (all > 0). */
export function weightedDemean(
  cols: readonly Float64Array[],
  fe: FixedEffects,
  w: Float64Array,
  tol = WEIGHTED_DEMEAN_TOL,
  maxIter = 10000,
): WeightedDemeanResult {
  const K = fe.codes.length;
  if (K === 0)
    return {
      values: cols.map((c) => Float64Array.from(c)),
      iterations: 0,
      converged: true,
      change: 0,
      method: 'none',
    };
  const sums = fe.codes.map((f, k) => groupSums(f, fe.ngroups[k]!, w));
  if (K === 1) {
    const f = fe.codes[0]!,
      ws = sums[0]!;
    return {
      values: cols.map((x) => {
        const m = weightedMeans(f, ws, w, x);
        const out = new Float64Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = x[i]! - m[f[i]!]!;
        return out;
      }),
      iterations: 0,
      converged: true,
      change: 0,
      method: 'one-way',
    };
  }
  if (K === 2) {
    const values = twoWayAll(cols, fe, w, sums);
    if (values) return { values, iterations: 0, converged: true, change: 0, method: 'two-way-exact' };
  }
  let iterations = 0,
    converged = true,
    change = 0;
  const values = cols.map((x) => {
    const r = alternating(x, fe, w, sums, tol, maxIter);
    iterations = Math.max(iterations, r.iterations);
    converged &&= r.converged;
    change = Math.max(change, r.change);
    return r.values;
  });
  return { values, iterations, converged, change, method: 'alternating-projections' };
}

function groupSums(f: Int32Array, G: number, w: Float64Array): Float64Array {
  const s = new Float64Array(G);
  for (let i = 0; i < f.length; i++) s[f[i]!] = s[f[i]!]! + w[i]!;
  return s;
}

function weightedMeans(f: Int32Array, wsum: Float64Array, w: Float64Array, x: Float64Array): Float64Array {
  const m = new Float64Array(wsum.length);
  for (let i = 0; i < f.length; i++) m[f[i]!] = m[f[i]!]! + w[i]! * x[i]!;
  for (let g = 0; g < m.length; g++) m[g] = m[g]! / wsum[g]!;
  return m;
}

/** Rows grouped by a fixed effect's groups: group g's rows are order[start[g]..start[g+1]) (cached per code array). */
const groupOrders = new WeakMap<Int32Array, { start: Int32Array; order: Int32Array | null }>();

function rowsByGroup(f: Int32Array, G: number): { start: Int32Array; order: Int32Array | null } {
  const cached = groupOrders.get(f);
  if (cached) return cached;
  const n = f.length;
  const start = new Int32Array(G + 1);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    start[f[i]! + 1]!++;
    if (i > 0 && f[i]! < f[i - 1]!) sorted = false;
  }
  for (let g = 0; g < G; g++) start[g + 1] = start[g + 1]! + start[g]!;
  let order: Int32Array | null = null;
  if (!sorted) {
    // counting sort; null when the rows already come group by group in code order (a panel sorted by unit)
    const fill = start.slice(0, G);
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[f[i]!]!++] = i;
  }
  const r = { start, order };
  groupOrders.set(f, r);
  return r;
}

/**
 * The exact two-way route for all columns at once (interleaved: the group sums of every column are gathered in
 * the same pass over the rows, which is what the time goes to at a million rows).
 */
function twoWayAll(
  cols: readonly Float64Array[],
  fe: FixedEffects,
  w: Float64Array,
  sums: Float64Array[],
): Float64Array[] | null {
  const small = fe.ngroups[0]! <= fe.ngroups[1]! ? 0 : 1,
    large = 1 - small;
  const GS = fe.ngroups[small]!,
    GL = fe.ngroups[large]!;
  if (GS > EXACT_TWO_WAY_MAX_GROUPS) return null;
  const fS = fe.codes[small]!,
    fL = fe.codes[large]!,
    WS = sums[small]!,
    WL = sums[large]!;
  const n = fe.n,
    C = cols.length;
  const { start, order } = rowsByGroup(fL, GL);
  // the cells (g, s) with their weight sums, group by group, and A = W_S − Cᵀ W_L⁻¹ C
  const cellStart = new Int32Array(GL + 1);
  const cellS = new Int32Array(n),
    cellW = new Float64Array(n);
  let nc = 0;
  const A = new Float64Array(GS * GS);
  const cell = new Float64Array(GS);
  const touched = new Int32Array(GS);
  const seen = new Uint8Array(GS);
  let work = 0;
  const budget = EXACT_TWO_WAY_WORK * n + 1e6;
  for (let g = 0; g < GL; g++) {
    let m = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) {
      const i = order ? order[p]! : p,
        s = fS[i]!;
      if (!seen[s]) {
        seen[s] = 1;
        touched[m++] = s;
      }
      cell[s] = cell[s]! + w[i]!;
    }
    work += m * m;
    if (work > budget) return null;
    const inv = 1 / WL[g]!;
    for (let a = 0; a < m; a++) {
      const sa = touched[a]!,
        ca = cell[sa]! * inv,
        row = sa * GS;
      cellS[nc] = sa;
      cellW[nc++] = cell[sa]!;
      for (let b = 0; b < m; b++) {
        const sb = touched[b]!;
        A[row + sb] = A[row + sb]! - ca * cell[sb]!;
      }
    }
    cellStart[g + 1] = nc;
    for (let a = 0; a < m; a++) {
      const s = touched[a]!;
      cell[s] = 0;
      seen[s] = 0;
    }
  }
  for (let s = 0; s < GS; s++) A[s * GS + s] = A[s * GS + s]! + WS[s]!;
  const chol = choleskyDropDependent(A, GS, WS, 1e-9);
  const kept = chol.kept,
    mk = kept.length;
  // pass 1: weighted sums of every column by large and by small group
  const sumL = new Float64Array(GL * C),
    sumS = new Float64Array(GS * C);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!,
      oL = fL[i]! * C,
      oS = fS[i]! * C;
    for (let c = 0; c < C; c++) {
      const v = wi * cols[c]![i]!;
      sumL[oL + c] = sumL[oL + c]! + v;
      sumS[oS + c] = sumS[oS + c]! + v;
    }
  }
  for (let g = 0; g < GL; g++) {
    const inv = 1 / WL[g]!;
    for (let c = 0; c < C; c++) sumL[g * C + c] = sumL[g * C + c]! * inv;
  } // x̄_L
  // rhs = Σ_S w x − Cᵀ x̄_L, over the cells
  for (let g = 0; g < GL; g++) {
    for (let q = cellStart[g]!; q < cellStart[g + 1]!; q++) {
      const os = cellS[q]! * C,
        cw = cellW[q]!;
      for (let c = 0; c < C; c++) sumS[os + c] = sumS[os + c]! - cw * sumL[g * C + c]!;
    }
  }
  const aS = new Float64Array(GS * C);
  const b = new Float64Array(mk);
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < mk; j++) b[j] = sumS[kept[j]! * C + c]!;
    const sol = choleskySolve(chol.L, mk, b);
    for (let j = 0; j < mk; j++) aS[kept[j]! * C + c] = sol[j]!;
  }
  // α_L = x̄_L − W_L⁻¹ C α_S, over the cells (in place in sumL)
  for (let g = 0; g < GL; g++) {
    const inv = 1 / WL[g]!;
    for (let q = cellStart[g]!; q < cellStart[g + 1]!; q++) {
      const os = cellS[q]! * C,
        cw = cellW[q]! * inv;
      for (let c = 0; c < C; c++) sumL[g * C + c] = sumL[g * C + c]! - cw * aS[os + c]!;
    }
  }
  // pass 2: x̃ = x − α_L − α_S
  const out = cols.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const oL = fL[i]! * C,
      oS = fS[i]! * C;
    for (let c = 0; c < C; c++) out[c]![i] = cols[c]![i]! - sumL[oL + c]! - aS[oS + c]!;
  }
  return out;
}

/**
 * Weighted alternating projections with Irons–Tuck acceleration (the fixed-point loop of the unweighted demeaners,
 * ols/fixed-point.ts); the state is all K coefficient vectors.
 */
function alternating(
  x: Float64Array,
  fe: FixedEffects,
  w: Float64Array,
  sums: Float64Array[],
  tol: number,
  maxIter: number,
): { values: Float64Array; iterations: number; converged: boolean; change: number } {
  const K = fe.codes.length,
    n = fe.n;
  const offsets: number[] = [];
  let S = 0;
  for (let k = 0; k < K; k++) {
    offsets.push(S);
    S += fe.ngroups[k]!;
  }
  const wx = fe.codes.map((f, k) => {
    const m = new Float64Array(fe.ngroups[k]!);
    for (let i = 0; i < n; i++) m[f[i]!] = m[f[i]!]! + w[i]! * x[i]!;
    return m;
  });
  let ss = 0;
  for (let i = 0; i < n; i++) ss += x[i]! * x[i]!;
  const limit = tol * Math.sqrt(ss / Math.max(n, 1));
  const acc = new Float64Array(Math.max(...fe.ngroups));
  const fitted = new Float64Array(n);
  /**
   * One Gauss–Seidel sweep: α_k ← weighted mean over g of (x − Σ_{j≠k} α_j), k = 1..K, keeping the row sums
   * Σ_j α_j[g_j(i)] up to date so that each update costs two passes over the rows whatever K is.
   */
  const sweep = (inp: Float64Array, out: Float64Array): void => {
    out.set(inp);
    fitted.fill(0);
    for (let k = 0; k < K; k++) {
      const f = fe.codes[k]!,
        o = offsets[k]!;
      for (let i = 0; i < n; i++) fitted[i] = fitted[i]! + out[o + f[i]!]!;
    }
    for (let k = 0; k < K; k++) {
      const fk = fe.codes[k]!,
        G = fe.ngroups[k]!,
        ok = offsets[k]!;
      acc.fill(0, 0, G);
      for (let i = 0; i < n; i++) acc[fk[i]!] = acc[fk[i]!]! + w[i]! * (fitted[i]! - out[ok + fk[i]!]!);
      const sk = sums[k]!,
        wxk = wx[k]!;
      for (let g = 0; g < G; g++) {
        const a = (wxk[g]! - acc[g]!) / sk[g]!;
        acc[g] = a - out[ok + g]!; // the change, applied to the row sums below
        out[ok + g] = a;
      }
      for (let i = 0; i < n; i++) fitted[i] = fitted[i]! + acc[fk[i]!]!;
    }
  };
  const { state: X, iterations, converged, change } = ironsTuckFixedPoint(S, sweep, limit, maxIter, true);
  const scale = Math.sqrt(ss / Math.max(n, 1));
  const out = Float64Array.from(x);
  for (let k = 0; k < K; k++) {
    const f = fe.codes[k]!,
      o = offsets[k]!;
    for (let i = 0; i < n; i++) out[i] = out[i]! - X[o + f[i]!]!;
  }
  return { values: out, iterations, converged, change: scale > 0 ? change / scale : change };
}
