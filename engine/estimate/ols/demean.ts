/**
 * The within transformation: each column minus its projection on the fixed-effect dummies,
 *
 *     x̃ = x − Σ_k D_k α_k,   α = argmin ‖x − Σ_k D_k α_k‖²,
 *
 * computed without ever forming the dummies. Three routes, all on typed arrays with Int32Array group codes:
 *
 * - One fixed effect: exact in one pass (x minus its group means).
 * - Two fixed effects, the smaller with at most EXACT_TWO_WAY_MAX_GROUPS groups (firm × year, city × year): exact.
 *   With L the larger and S the smaller fixed effect, C the L×S table of counts, D_L, D_S the group sizes,
 *   eliminating α_L from the normal equations leaves the small symmetric system
 *       (D_S − CᵀD_L⁻¹C) α_S = Σ_S x − Cᵀ x̄_L,       then α_L = x̄_L − D_L⁻¹C α_S,
 *   whose matrix (a graph Laplacian, singular by one per connected component) is factored once for all columns by
 *   a Cholesky that skips the dependent directions (their α_S are set to 0, a normalisation that leaves x̃
 *   unchanged). Each column then costs four passes over the rows. Used when its set-up cost, Σ_g (cells of group
 *   g)², is below EXACT_TWO_WAY_WORK·N.
 * - Otherwise: alternating projections (block Gauss–Seidel on the normal equations of α) over the coefficients of
 *   all fixed effects but the largest, with Irons & Tuck (1969) acceleration every second sweep, as fixest does.
 *   Two or three fixed effects: demean-grouped.ts (the rows grouped by the largest fixed effect once, one pass over
 *   the rows per sweep; the fixed effects in fixest's order, by decreasing number of levels). Four or more: below
 *   (demeanAlternating), one pass per fixed effect and sweep. One sweep F updates
 *   α_1 ← mean_1(x − Σ_{j≠1} α_j), …, α_K ← mean_K(x − Σ_{j≠K} α_j). The state of the iteration is (α_2, …, α_K)
 *   (α_1 is recomputed from them first); a sweep reads only the group codes and the coefficient arrays, the column
 *   enters once through its group means. Every second sweep is extrapolated: from X, GX = F(X), GGX = F(GX),
 *       X ← GGX − c·(GGX − GX),  c = ⟨GGX − GX, GGX − 2GX + X⟩ / ‖GGX − 2GX + X‖².
 *   Convergence: the iteration stops when no fixed-effect coefficient moves by more than `tol` times the column's
 *   root mean square in one sweep (default tol = 1e-10, stricter than fixest's fixef.tol = 1e-6 on the relative
 *   change; tests/ols/demean.test.ts checks that the result then agrees with the exact projection to 100·tol
 *   relative). After maxIter sweeps (10,000, fixest's fixef.iter) the result is flagged as not converged.
 */
import { choleskyDropDependent, choleskySolve } from '../../numerics/linalg.js';
import {
  demeanGrouped,
  type GroupedLayout,
  type GroupedOptions,
  type GroupedResult,
  groupedLayout,
} from './demean-grouped.js';
import type { FixedEffects } from './fixed-effects.js';
import type { ScoresPool } from './vcov.js';
import { ironsTuckFixedPoint } from './fixed-point.js';
import type { ColumnProducts } from '../../numerics/linalg.js';

export interface DemeanOptions {
  /** Stop when the largest change of a fixed-effect coefficient in a sweep is ≤ tol × RMS(column). __Default:__ 1e-10 */
  readonly tol?: number;
  /** Maximum number of sweeps. __Default:__ 10000 */
  readonly maxIter?: number;
  /** Irons–Tuck acceleration. __Default:__ true (false is the plain alternating-projection baseline). */
  readonly accelerate?: boolean;
  /** Allow the exact two-way route. __Default:__ true (false forces alternating projections, e.g. to compare). */
  readonly exactTwoWay?: boolean;
  /** Threads for the columns of the iterative route (demean-pool.ts); the results are the same bits. __Default:__ none */
  readonly pool?: ColumnPool;
  /**
   * Where the pool puts the cross products of the demeaned columns it computes while it waits for a worker (fitOls
   * takes them instead of computing them again; the same bits). __Default:__ none
   */
  readonly products?: ColumnProducts;
}

/**
 * Demeans the columns of one call on several threads, each column exactly as demeanGrouped does on one thread; null
 * when it declines (too little work, no compiled worker), and the caller demeans on this thread.
 */
export interface ColumnPool extends ScoresPool {
  readonly threads: number;
  demeanGrouped(
    cols: readonly Float64Array[],
    layoutOf: (shared: boolean) => GroupedLayout,
    opts: GroupedOptions,
    products?: ColumnProducts,
  ): GroupedResult[] | null;
}

export const DEFAULT_DEMEAN_TOL = 1e-10;
/** Sweeps before the demeaning is reported as not converged (fixest's `fixef.iter`). */
export const DEFAULT_DEMEAN_MAX_ITER = 10000;
/** The exact two-way route is used when the smaller fixed effect has at most this many groups. */
export const EXACT_TWO_WAY_MAX_GROUPS = 2000;
/** …and when its set-up work Σ_g (cells of g)² is at most this many times N. */
export const EXACT_TWO_WAY_WORK = 40;

export interface DemeanResult {
  /** The demeaned columns, in the order given. */
  readonly values: Float64Array[];
  /** Sweeps used by the slowest column (0 when exact). */
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest relative coefficient change in the last sweep of any column (0 when exact). */
  readonly change: number;
  /** Which route was taken. */
  readonly method: 'none' | 'one-way' | 'two-way-exact' | 'alternating-projections';
}

/** Demean one column (see the module comment). */
export function withinTransform(
  x: Float64Array,
  fe: FixedEffects,
  opts: DemeanOptions = {},
): { values: Float64Array; iterations: number; converged: boolean; change: number } {
  const r = demeanColumns([x], fe, opts);
  return { values: r.values[0]!, iterations: r.iterations, converged: r.converged, change: r.change };
}

/** Demean several columns against the same fixed effects (the set-up is shared). */
export function demeanColumns(cols: readonly Float64Array[], fe: FixedEffects, opts: DemeanOptions = {}): DemeanResult {
  const K = fe.codes.length;
  if (K === 0 || cols.length === 0)
    return { values: cols.map((c) => Float64Array.from(c)), iterations: 0, converged: true, change: 0, method: 'none' };
  if (K === 1)
    return {
      values: cols.map((x) => demeanOneWay(x, fe)),
      iterations: 0,
      converged: true,
      change: 0,
      method: 'one-way',
    };
  if (K === 2 && (opts.exactTwoWay ?? true)) {
    const solver = twoWaySolver(fe);
    if (solver) return { values: cols.map(solver), iterations: 0, converged: true, change: 0, method: 'two-way-exact' };
  }
  // Two (when not exact) or three fixed effects: rows grouped by the largest one, one pass per sweep
  // (demean-grouped.ts); the layout is built once and shared by the columns.
  if (K === 2 || K === 3) {
    const g = {
      tol: opts.tol ?? DEFAULT_DEMEAN_TOL,
      maxIter: opts.maxIter ?? DEFAULT_DEMEAN_MAX_ITER,
      accelerate: opts.accelerate ?? true,
    };
    const parallel = opts.pool?.demeanGrouped(cols, (shared) => groupedLayout(fe, shared), g, opts.products);
    if (parallel) return collect(parallel);
    const layout = groupedLayout(fe);
    return collect(cols.map((x) => demeanGrouped(x, layout, g)));
  }
  let iterations = 0,
    converged = true,
    change = 0;
  const ws = new Workspace(fe);
  const values = cols.map((x) => {
    const r = demeanAlternating(x, fe, opts, ws);
    iterations = Math.max(iterations, r.iterations);
    converged &&= r.converged;
    change = Math.max(change, r.change);
    return r.values;
  });
  return { values, iterations, converged, change, method: 'alternating-projections' };
}

/** The columns' results as one DemeanResult (the slowest column's sweeps, the largest last change). */
function collect(rs: readonly GroupedResult[]): DemeanResult {
  let iterations = 0,
    converged = true,
    change = 0;
  for (const r of rs) {
    iterations = Math.max(iterations, r.iterations);
    converged &&= r.converged;
    change = Math.max(change, r.change);
  }
  return { values: rs.map((r) => r.values), iterations, converged, change, method: 'alternating-projections' };
}

function demeanOneWay(x: Float64Array, fe: FixedEffects): Float64Array {
  const f = fe.codes[0]!,
    inv = fe.invCounts[0]!;
  const m = new Float64Array(fe.ngroups[0]!);
  const n = x.length;
  scatterAddRuns(m, f, x, n);
  for (let g = 0; g < m.length; g++) m[g] = m[g]! * inv[g]!;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i]! - m[f[i]!]!;
  return out;
}

// ---- exact two-way ----------------------------------------------------------------------------------------------

/** Set up the exact two-way solve (see the module comment); null when the small fixed effect is too large. */
function twoWaySolver(fe: FixedEffects): ((x: Float64Array) => Float64Array) | null {
  const small = fe.ngroups[0]! <= fe.ngroups[1]! ? 0 : 1;
  const large = 1 - small;
  const GS = fe.ngroups[small]!,
    GL = fe.ngroups[large]!;
  if (GS > EXACT_TWO_WAY_MAX_GROUPS) return null;
  const fS = fe.codes[small]!,
    fL = fe.codes[large]!;
  const invS = fe.invCounts[small]!,
    invL = fe.invCounts[large]!;
  const n = fe.n;

  // Rows grouped by the large fixed effect: as they come when each group's rows are contiguous (a panel sorted by
  // unit), else by a counting sort.
  const start = new Int32Array(GL + 1);
  let runs = 0;
  for (let i = 0; i < n; i++) {
    start[fL[i]! + 1]!++;
    if (i === 0 || fL[i] !== fL[i - 1]) runs++;
  }
  for (let g = 0; g < GL; g++) start[g + 1] = start[g + 1]! + start[g]!;
  let rowsOf: (p: number) => number;
  const groupStart = new Int32Array(GL + 1);
  const groupId = new Int32Array(GL);
  if (runs === GL) {
    // contiguous: walk the runs in row order
    let r = 0;
    for (let i = 0; i < n; i++)
      if (i === 0 || fL[i] !== fL[i - 1]) {
        groupStart[r] = i;
        groupId[r++] = fL[i]!;
      }
    groupStart[GL] = n;
    rowsOf = (p) => p;
  } else {
    const fill = start.slice(0, GL);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[fL[i]!]!++] = i;
    groupStart.set(start);
    for (let g = 0; g < GL; g++) groupId[g] = g;
    rowsOf = (p) => order[p]!;
  }

  // A = D_S − Cᵀ D_L⁻¹ C, accumulated group by group over the distinct cells of each group (upper triangle).
  // When S has at most 52 levels, groups whose cells hold one row each are merged by their set of S-levels (a
  // bitmask, exact in a double): in a firm-year panel most firms share a handful of year patterns, so the
  // outer products are added once per pattern with the summed weights Σ 1/n_g.
  const A = new Float64Array(GS * GS);
  const cell = new Float64Array(GS);
  const touched = new Int32Array(GS);
  const mergeable = GS <= 52;
  const pow2 = new Float64Array(GS).map((_, j) => 2 ** j);
  const patterns = new Map<number, number>();
  let work = 0;
  const budget = EXACT_TWO_WAY_WORK * n + 1e6;
  const addOuter = (m: number, w: number): void => {
    // sort the touched levels (insertion sort: in a panel sorted by time they already are) to walk one triangle
    for (let a = 1; a < m; a++) {
      const v = touched[a]!;
      let b = a - 1;
      while (b >= 0 && touched[b]! > v) {
        touched[b + 1] = touched[b]!;
        b--;
      }
      touched[b + 1] = v;
    }
    for (let a = 0; a < m; a++) {
      const sa = touched[a]!,
        ca = cell[sa]! * w,
        row = sa * GS;
      for (let b = a; b < m; b++) {
        const sb = touched[b]!;
        A[row + sb] = A[row + sb]! - ca * cell[sb]!;
      }
    }
  };
  for (let r = 0; r < GL; r++) {
    let m = 0,
      single = true,
      key = 0;
    for (let p = groupStart[r]!; p < groupStart[r + 1]!; p++) {
      const s = fS[rowsOf(p)]!;
      if (cell[s] === 0) {
        touched[m++] = s;
        key += pow2[s]!;
      } else single = false;
      cell[s] = cell[s]! + 1;
    }
    const w = invL[groupId[r]!]!;
    if (mergeable && single) {
      patterns.set(key, (patterns.get(key) ?? 0) + w);
    } else {
      work += m * m;
      if (work > budget) return null;
      addOuter(m, w);
    }
    for (let a = 0; a < m; a++) cell[touched[a]!] = 0;
  }
  for (const [key, w] of patterns) {
    let m = 0;
    for (let j = 0; j < GS; j++)
      if (Math.floor(key / pow2[j]!) % 2 === 1) {
        touched[m++] = j;
        cell[j] = 1;
      }
    addOuter(m, w);
    for (let a = 0; a < m; a++) cell[touched[a]!] = 0;
  }
  for (let a = 0; a < GS; a++) for (let b = 0; b < a; b++) A[a * GS + b] = A[b * GS + a]!;
  const diag = new Float64Array(GS);
  for (let s = 0; s < GS; s++) {
    diag[s] = 1 / invS[s]!;
    A[s * GS + s] = A[s * GS + s]! + diag[s]!;
  }
  // One reference level per connected component is dependent: its pivot is rounding noise relative to its count.
  const chol = choleskyDropDependent(A, GS, diag, 1e-9);
  const kept = chol.kept,
    mk = kept.length;

  const solveSmall = (rhs: Float64Array): Float64Array => {
    const b = new Float64Array(mk);
    for (let j = 0; j < mk; j++) b[j] = rhs[kept[j]!]!;
    const sol = choleskySolve(chol.L, mk, b);
    const alphaS = new Float64Array(GS);
    for (let j = 0; j < mk; j++) alphaS[kept[j]!] = sol[j]!;
    return alphaS;
  };

  if (runs === GL) {
    // Rows of each large group contiguous: two passes per column, each group's rows handled while in cache.
    return (x: Float64Array): Float64Array => {
      const xbar = new Float64Array(GL),
        rhs = new Float64Array(GS);
      for (let r = 0; r < GL; r++) {
        const p0 = groupStart[r]!,
          p1 = groupStart[r + 1]!,
          g = groupId[r]!;
        let sum = 0;
        for (let p = p0; p < p1; p++) sum += x[p]!;
        const mean = sum * invL[g]!;
        xbar[g] = mean;
        for (let p = p0; p < p1; p++) rhs[fS[p]!] = rhs[fS[p]!]! + (x[p]! - mean); // Σ_S x − Cᵀ x̄_L
      }
      const alphaS = solveSmall(rhs);
      const out = new Float64Array(n);
      for (let r = 0; r < GL; r++) {
        const p0 = groupStart[r]!,
          p1 = groupStart[r + 1]!,
          g = groupId[r]!;
        let t = 0;
        for (let p = p0; p < p1; p++) t += alphaS[fS[p]!]!;
        const aL = xbar[g]! - t * invL[g]!; // α_L
        for (let p = p0; p < p1; p++) out[p] = x[p]! - aL - alphaS[fS[p]!]!;
      }
      return out;
    };
  }

  return (x: Float64Array): Float64Array => {
    const sumL = new Float64Array(GL),
      rhs = new Float64Array(GS);
    // Σ_L x (accumulated along runs of the large code) and Σ_S x, in one read of x
    let g = n > 0 ? fL[0]! : 0,
      acc = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!,
        c = fL[i]!;
      if (c !== g) {
        sumL[g] = sumL[g]! + acc;
        acc = 0;
        g = c;
      }
      acc += v;
      rhs[fS[i]!] = rhs[fS[i]!]! + v;
    }
    if (n > 0) sumL[g] = sumL[g]! + acc;
    for (let g = 0; g < GL; g++) sumL[g] = sumL[g]! * invL[g]!; // x̄_L
    for (let i = 0; i < n; i++) rhs[fS[i]!] = rhs[fS[i]!]! - sumL[fL[i]!]!; // Σ_S x − Cᵀ x̄_L
    const alphaS = solveSmall(rhs);
    const t = new Float64Array(GL);
    scatterGatherRuns(t, fL, alphaS, fS, n);
    for (let g = 0; g < GL; g++) t[g] = sumL[g]! - t[g]! * invL[g]!; // α_L
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = x[i]! - t[fL[i]!]! - alphaS[fS[i]!]!;
    return out;
  };
}

/**
 * target[codes[i]] += values[i], accumulating in a register while the code repeats: rows of one group usually come
 * together, and adding into the same memory cell row after row would serialise on the store.
 */
export function scatterAddRuns(target: Float64Array, codes: Int32Array, values: Float64Array, n: number): void {
  if (n === 0) return;
  let g = codes[0]!,
    acc = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c !== g) {
      target[g] = target[g]! + acc;
      acc = 0;
      g = c;
    }
    acc += values[i]!;
  }
  target[g] = target[g]! + acc;
}

/** target[codes[i]] += source[srcCodes[i]], with the same run accumulation. */
export function scatterGatherRuns(
  target: Float64Array,
  codes: Int32Array,
  source: Float64Array,
  srcCodes: Int32Array,
  n: number,
): void {
  if (n === 0) return;
  let g = codes[0]!,
    acc = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c !== g) {
      target[g] = target[g]! + acc;
      acc = 0;
      g = c;
    }
    acc += source[srcCodes[i]!]!;
  }
  target[g] = target[g]! + acc;
}

// ---- alternating projections --------------------------------------------------------------------------------

/** Scratch arrays reused across the columns of one call. */
class Workspace {
  readonly sums: Float64Array[];
  readonly means: Float64Array[];
  readonly alpha0: Float64Array;
  readonly offsets: number[];
  readonly stateLen: number;
  constructor(fe: FixedEffects) {
    this.sums = fe.ngroups.map((g) => new Float64Array(g));
    this.means = fe.ngroups.map((g) => new Float64Array(g));
    this.alpha0 = new Float64Array(fe.ngroups[0]!);
    this.offsets = [0];
    let t = 0;
    for (let k = 1; k < fe.ngroups.length; k++) {
      this.offsets[k] = t;
      t += fe.ngroups[k]!;
    }
    this.stateLen = t;
  }
}

function demeanAlternating(
  x: Float64Array,
  fe: FixedEffects,
  opts: DemeanOptions,
  ws: Workspace,
): { values: Float64Array; iterations: number; converged: boolean; change: number } {
  const tol = opts.tol ?? DEFAULT_DEMEAN_TOL;
  const maxIter = opts.maxIter ?? DEFAULT_DEMEAN_MAX_ITER;
  const accelerate = opts.accelerate ?? true;
  const n = fe.n,
    K = fe.codes.length;
  const { means, offsets, stateLen, alpha0 } = ws;

  let ss = 0;
  for (let k = 0; k < K; k++) {
    const m = means[k]!,
      f = fe.codes[k]!,
      inv = fe.invCounts[k]!;
    m.fill(0);
    scatterAddRuns(m, f, x, n);
    for (let g = 0; g < m.length; g++) m[g] = m[g]! * inv[g]!;
  }
  for (let i = 0; i < n; i++) ss += x[i]! * x[i]!;
  const scale = Math.sqrt(ss / Math.max(n, 1));
  const limit = tol * scale;

  const {
    state: X,
    iterations,
    converged,
    change,
  } = ironsTuckFixedPoint(stateLen, (input, output) => sweep(fe, ws, input, output), limit, maxIter, accelerate);

  // α_1 from the final state, then x̃ = x − Σ α_k[g_k].
  updateFirst(fe, ws, X);
  const out = new Float64Array(n);
  const f0 = fe.codes[0]!;
  for (let i = 0; i < n; i++) out[i] = x[i]! - alpha0[f0[i]!]!;
  for (let k = 1; k < K; k++) {
    const fk = fe.codes[k]!,
      off = offsets[k]!;
    for (let i = 0; i < n; i++) out[i] = out[i]! - X[off + fk[i]!]!;
  }
  return { values: out, iterations, converged, change: scale > 0 ? change / scale : change };
}

/** α_1 ← mean_1(x) − mean_1(Σ_{j≥2} α_j[g_j]) given the state (α_2..α_K). */
function updateFirst(fe: FixedEffects, ws: Workspace, state: Float64Array): void {
  const K = fe.codes.length,
    n = fe.n;
  const f0 = fe.codes[0]!,
    s0 = ws.sums[0]!;
  s0.fill(0);
  if (K === 2) {
    scatterGatherRuns(s0, f0, state, fe.codes[1]!, n);
  } else if (K === 3) {
    const f1 = fe.codes[1]!,
      f2 = fe.codes[2]!,
      o2 = ws.offsets[2]!;
    for (let i = 0; i < n; i++) s0[f0[i]!] = s0[f0[i]!]! + (state[f1[i]!]! + state[o2 + f2[i]!]!);
  } else {
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let k = 1; k < K; k++) v += state[ws.offsets[k]! + fe.codes[k]![i]!]!;
      s0[f0[i]!] = s0[f0[i]!]! + v;
    }
  }
  const inv = fe.invCounts[0]!,
    m = ws.means[0]!,
    a0 = ws.alpha0;
  for (let g = 0; g < a0.length; g++) a0[g] = m[g]! - inv[g]! * s0[g]!;
}

/**
 * One Gauss–Seidel sweep: (α_2..α_K) in → (α_2..α_K) out, α_1 left in ws.alpha0. Each fixed effect's update reads
 * the codes of all fixed effects in one pass over the rows (Σ_{j≠k} α_j[g_j] gathered per row, then scattered).
 */
function sweep(fe: FixedEffects, ws: Workspace, input: Float64Array, output: Float64Array): void {
  const K = fe.codes.length,
    n = fe.n;
  updateFirst(fe, ws, input);
  const f0 = fe.codes[0]!,
    a0 = ws.alpha0;
  for (let k = 1; k < K; k++) {
    const fk = fe.codes[k]!,
      sk = ws.sums[k]!;
    sk.fill(0);
    if (K === 2) {
      for (let i = 0; i < n; i++) sk[fk[i]!] = sk[fk[i]!]! + a0[f0[i]!]!;
    } else if (K === 3) {
      // the other fixed effect j: already updated (output) when j < k, else from input
      const j = k === 1 ? 2 : 1,
        src = j < k ? output : input,
        fj = fe.codes[j]!,
        oj = ws.offsets[j]!;
      for (let i = 0; i < n; i++) sk[fk[i]!] = sk[fk[i]!]! + (a0[f0[i]!]! + src[oj + fj[i]!]!);
    } else {
      for (let i = 0; i < n; i++) {
        let v = a0[f0[i]!]!;
        for (let j = 1; j < K; j++) {
          if (j === k) continue;
          v += (j < k ? output : input)[ws.offsets[j]! + fe.codes[j]![i]!]!;
        }
        sk[fk[i]!] = sk[fk[i]!]! + v;
      }
    }
    const inv = fe.invCounts[k]!,
      m = ws.means[k]!,
      off = ws.offsets[k]!;
    for (let g = 0; g < m.length; g++) output[off + g] = m[g]! - inv[g]! * sk[g]!;
  }
}
