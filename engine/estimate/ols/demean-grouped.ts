/**
 * Alternating projections for two or three fixed effects on rows grouped by the largest fixed effect (issue 19).
 *
 * The fixed effects are taken in fixest's order, by decreasing number of levels: F0 (largest), F1, F2. The state of
 * the fixed-point iteration is the coefficients of all but the largest, X = (α_1, α_2); α_0 is recomputed from them.
 * One Gauss–Seidel sweep G maps X to
 *
 *     α_0 ← m_0 − D_0⁻¹ Σ_{rows of g} (α_1[f1] + α_2[f2])        (per group g of F0)
 *     α_1 ← m_1 − D_1⁻¹ Σ_{rows of h} (α_0[f0] + α_2[f2])        (α_0 new, α_2 old)
 *     α_2 ← m_2 − D_2⁻¹ Σ_{rows of l} (α_0[f0] + α_1[f1])        (α_0, α_1 new)
 *
 * with m_k the column's group means and D_k the group sizes. The column itself enters only through m_k.
 *
 * Why grouped rows: the sweep reads only the group codes, never the column, so the rows can be visited in any order
 * once. Sorted by F0 (a counting sort done once per set of fixed effects, `groupedLayout`), α_0[g] is final as soon
 * as the rows of g have been summed, and while those rows are still in cache the same visit adds α_0[g] + α_2[f2]
 * into the sums of α_1 and α_0[g] into those of α_2: the three projections cost one pass over the rows instead of
 * three, and the largest coefficient array is read in order instead of at random. The α_1 part of α_2's sums,
 * Σ_h n(h, l)·α_1[h], comes from the F1 × F2 table of counts when that table is smaller than half the rows (a firm ×
 * industry × year design: 50,000 × 20 cells for 10⁷ rows), else from a second pass over the rows.
 *
 * Every second sweep is extrapolated by Irons & Tuck (1969) in the space of X, as fixest does: from X, GX = G(X),
 * GGX = G(GX),  X ← GGX − c·(GGX − GX),  c = ⟨GGX − GX, GGX − 2GX + X⟩ / ‖GGX − 2GX + X‖².
 * Convergence: stop when no coefficient of X moves by more than tol × RMS(column) in one sweep (tol = 1e-10 by
 * default: stricter than fixest's `fixef.tol` = 1e-6 on the relative change); after maxIter sweeps the result is
 * flagged as not converged (the caller notes FE_NOT_CONVERGED).
 *
 * Each column's arithmetic depends only on that column (its own sums, state, Irons–Tuck coefficient and stopping
 * sweep), so the columns can be demeaned in any grouping or on any thread with bit-identical results.
 */
import type { FixedEffects } from './fixed-effects.js';
import { ironsTuckFixedPoint } from './fixed-point.js';

/** Largest F1 × F2 table (in cells, relative to the rows) that replaces the second pass over the rows. */
const TABLE_MAX_SHARE = 0.5;

/** What a sweep reads: the rows grouped by the largest fixed effect, once per set of fixed effects. */
export interface GroupedLayout {
  /** Number of fixed effects: 2 or 3. */
  readonly K: 2 | 3;
  readonly n: number;
  /** Positions of the fixed effects of FixedEffects in the order F0, F1(, F2): by decreasing number of levels. */
  readonly order: readonly number[];
  /** Codes in the original row order (for the group means and the result), in the order F0, F1(, F2). */
  readonly codes: readonly Int32Array[];
  readonly ngroups: readonly number[];
  readonly invCounts: readonly Float64Array[];
  /** Rows of group g of F0 are positions start[g] .. start[g+1]−1 of the grouped order. */
  readonly start: Int32Array;
  /**
   * The row at each position of the grouped order (rows of a group in row order): the residual writes α_0[g] to the
   * rows of g through it (random stores) instead of reading α_0[f0[i]] per row (random loads into the largest array).
   */
  readonly perm: Int32Array;
  /**
   * The F1 (and F2) codes in the grouped order. With three fixed effects they are packed into one word per row,
   * pk[p] = (f1 << shift) | f2, when F1's codes fit in the bits above F2's (then c1 = c2 = null): half the memory
   * read per sweep.
   */
  readonly c1: Int32Array | null;
  readonly c2: Int32Array | null;
  readonly pk: Int32Array | null;
  readonly shift: number;
  /** Counts n(h, l) of the F1 × F2 table, h·G2 + l, when it is used (see the module comment). */
  readonly table: Int32Array | null;
}

/** A typed array on a SharedArrayBuffer (readable by worker threads without a copy) or an ordinary buffer. */
function sharedArray<T extends Int32Array | Float64Array>(
  Ctor: { new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  length: number,
  shared: boolean,
): T {
  const bytes = length * Ctor.BYTES_PER_ELEMENT;
  return new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** The array itself when it is on a SharedArrayBuffer, else a copy on one. */
export function toShared<T extends Int32Array | Float64Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = (
    a instanceof Int32Array ? sharedArray(Int32Array, a.length, true) : sharedArray(Float64Array, a.length, true)
  ) as T;
  s.set(a);
  return s;
}

/**
 * Group the rows by the largest fixed effect (counting sort, stable). `shared` puts the whole layout (the codes in
 * both orders, start, the table, the inverse counts) in SharedArrayBuffers so that worker threads read it without a
 * copy.
 */
export function groupedLayout(fe: FixedEffects, shared = false): GroupedLayout {
  const K = fe.codes.length;
  if (K !== 2 && K !== 3) throw new Error(`groupedLayout: ${K} fixed effects`);
  // by decreasing number of levels; ties keep the order of the formula
  const order = fe.ngroups.map((_, k) => k).sort((a, b) => fe.ngroups[b]! - fe.ngroups[a]! || a - b);
  const inShared = <T extends Int32Array | Float64Array>(a: T): T => (shared ? toShared(a) : a);
  const codes = order.map((k) => inShared(fe.codes[k]!));
  const ngroups = order.map((k) => fe.ngroups[k]!);
  const invCounts = order.map((k) => inShared(fe.invCounts[k]!));
  const n = fe.n;
  const f0 = codes[0]!,
    G0 = ngroups[0]!;
  const start = sharedArray(Int32Array, G0 + 1, shared);
  groupStarts(f0, G0, invCounts[0]!, start);
  const f1 = codes[1]!,
    f2 = K === 3 ? codes[2]! : null;
  let c1: Int32Array | null = null,
    c2: Int32Array | null = null,
    pk: Int32Array | null = null,
    shift = 0;
  const perm = sharedArray(Int32Array, n, shared);
  if (f2) {
    while (2 ** shift < ngroups[2]!) shift++;
    if (ngroups[1]! <= 2 ** (31 - shift)) {
      pk = sharedArray(Int32Array, n, shared);
      placeByGroup(f0, G0, start, f1, f2, shift, pk, perm, bitsFor(ngroups[1]! - 1) + shift);
    } else {
      const fill = start.slice(0, G0);
      c1 = sharedArray(Int32Array, n, shared);
      c2 = sharedArray(Int32Array, n, shared);
      for (let i = 0; i < n; i++) {
        const p = fill[f0[i]!]!++;
        c1[p] = f1[i]!;
        c2[p] = f2[i]!;
        perm[p] = i;
      }
    }
  } else {
    c1 = sharedArray(Int32Array, n, shared);
    placeByGroup(f0, G0, start, f1, null, 0, c1, perm, bitsFor(ngroups[1]! - 1));
  }
  let table: Int32Array | null = null;
  if (K === 3) {
    const G1 = ngroups[1]!,
      G2 = ngroups[2]!;
    if (G1 * G2 <= TABLE_MAX_SHARE * n) {
      table = sharedArray(Int32Array, G1 * G2, shared);
      for (let i = 0; i < n; i++) table[f1[i]! * G2 + f2![i]!]!++;
    }
  }
  return { K: K as 2 | 3, n, order, codes, ngroups, invCounts, start, perm, c1, c2, pk, shift, table };
}

/**
 * start[g] = the rows of the groups before g (start[G0] = n), from the group sizes 1 / invCounts (no pass over the
 * rows): for a size c < 2^50, fl(1 / fl(1 / c)) is within c·2^−51 of c, so rounding gives c exactly. Counted from the
 * codes when the sizes do not add up to the rows (inverse counts not made by buildFixedEffects).
 */
function groupStarts(f0: Int32Array, G0: number, inv: Float64Array, start: Int32Array): void {
  let total = 0;
  for (let g = 0; g < G0; g++) {
    total += Math.round(1 / inv[g]!);
    start[g + 1] = total;
  }
  if (total === f0.length && inv.length === G0) return;
  start.fill(0);
  for (let i = 0; i < f0.length; i++) start[f0[i]! + 1]!++;
  for (let g = 0; g < G0; g++) start[g + 1] = start[g + 1]! + start[g]!;
}

/** Low bits of the group code sorted on first by placeByGroup (2^10 places written in turn: within the cache). */
const RADIX_LOW_BITS = 10;

/** The bits needed to write the integers 0..max (0 for max = 0). */
function bitsFor(max: number): number {
  let b = 0;
  while (b < 31 && 2 ** b <= max) b++;
  return b;
}

/**
 * out[p] = (a[i] << shift) | b[i] (or a[i]) and perm[p] = i for the rows i in the grouped order: stable by the group
 * f0, group g's rows at start[g] … start[g+1]−1 in row order, as a counting sort places them. With many groups it is
 * a radix sort of two passes instead (the low RADIX_LOW_BITS bits of the code, then the others), each writing to at
 * most 2^10 places in turn rather than to a random place per row: the same positions, half the time at 10⁷ rows in
 * 500,000 groups. The row numbers travel with the values through both passes. `valueBits`: the bits of the values
 * written (each < 2^valueBits); when the high part of the code fits above them in 31 bits, the first pass writes that
 * word and the row (8 bytes a row), else the code, the value and the row (12). Exported for the tests.
 */
export function placeByGroup(
  f0: Int32Array,
  G0: number,
  start: Int32Array,
  a: Int32Array,
  b: Int32Array | null,
  shift: number,
  out: Int32Array,
  perm: Int32Array,
  valueBits: number,
): void {
  const n = f0.length;
  const lowSize = 1 << RADIX_LOW_BITS,
    lowMask = lowSize - 1;
  if (G0 <= 4 * lowSize) {
    const fill = start.slice(0, G0);
    for (let i = 0; i < n; i++) {
      const p = fill[f0[i]!]!++;
      out[p] = b ? (a[i]! << shift) | b[i]! : a[i]!;
      perm[p] = i;
    }
    return;
  }
  // pass 1: stable by the low bits of the code; the rows of each low value from the group sizes (start), and the
  // code, value and row of a row written side by side (one place written per row instead of three)
  const low = new Int32Array(lowSize + 1);
  for (let g = 0; g < G0; g++) low[(g & lowMask) + 1]! += start[g + 1]! - start[g]!;
  for (let d = 0; d < lowSize; d++) low[d + 1] = low[d + 1]! + low[d]!;
  const highSize = ((G0 - 1) >>> RADIX_LOW_BITS) + 1;
  const high = new Int32Array(highSize);
  for (let h = 0; h < highSize; h++) high[h] = start[h << RADIX_LOW_BITS]!;
  if (valueBits + bitsFor(highSize - 1) <= 31) {
    // (g >>> RADIX_LOW_BITS) << valueBits | value, and the row: the same positions as the triples below
    const vMask = 2 ** valueBits - 1;
    const w = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const g = f0[i]!,
        p = 2 * low[g & lowMask]!++;
      w[p] = ((g >>> RADIX_LOW_BITS) << valueBits) | (b ? (a[i]! << shift) | b[i]! : a[i]!);
      w[p + 1] = i;
    }
    for (let p = 0; p < 2 * n; p += 2) {
      const x = w[p]!,
        q = high[x >>> valueBits]!++;
      out[q] = x & vMask;
      perm[q] = w[p + 1]!;
    }
    return;
  }
  const t = new Int32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const g = f0[i]!,
      p = 3 * low[g & lowMask]!++;
    t[p] = g;
    t[p + 1] = b ? (a[i]! << shift) | b[i]! : a[i]!;
    t[p + 2] = i;
  }
  // pass 2: stable by the high bits; the rows of the codes h·2^10 … (h+1)·2^10 − 1 start at start[h·2^10]
  for (let p = 0; p < 3 * n; p += 3) {
    const q = high[t[p]! >>> RADIX_LOW_BITS]!++;
    out[q] = t[p + 1]!;
    perm[q] = t[p + 2]!;
  }
}

export interface GroupedOptions {
  readonly tol: number;
  readonly maxIter: number;
  readonly accelerate: boolean;
}

export interface GroupedResult {
  readonly values: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest coefficient change in the last sweep, relative to RMS(column). */
  readonly change: number;
}

/** What the iteration needs of a column: its group means per fixed effect (F0, F1, F2) and its RMS. */
export interface ColumnMeans {
  readonly means: readonly Float64Array[];
  readonly scale: number;
}

/** The fixed point reached: α_0 and the state X = (α_1, α_2), with the iteration's statistics. */
export interface FixedPoint {
  readonly alpha0: Float64Array;
  readonly state: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest coefficient change in the last sweep, relative to RMS(column). */
  readonly change: number;
}

/**
 * Demean one column (see the module comment): its means, the iteration, then x̃ (into `out` when given, e.g. a shared
 * buffer a worker thread writes).
 */
export function demeanGrouped(
  x: Float64Array,
  L: GroupedLayout,
  opts: GroupedOptions,
  out?: Float64Array,
): GroupedResult {
  const fp = iterateGrouped(columnMeans(x, L), L, opts);
  return { values: residualOf(x, L, fp, out), iterations: fp.iterations, converged: fp.converged, change: fp.change };
}

/** The column's group means in the original row order (one pass per fixed effect) and its root mean square. */
export function columnMeans(x: Float64Array, L: GroupedLayout): ColumnMeans {
  const means = L.codes.map((f, k) => groupMeans(x, f, L.ngroups[k]!, L.invCounts[k]!));
  let ss = 0;
  for (let i = 0; i < L.n; i++) ss += x[i]! * x[i]!;
  return { means, scale: Math.sqrt(ss / Math.max(L.n, 1)) };
}

/**
 * x̃ = x − α_0[f0] − α_1[f1] (− α_2[f2]) in the original row order, into `out` when given, which may be `x` itself
 * (the demeaning pool overwrites its own shared copies of the columns).
 *
 * α_0 (the largest array) is not read at random per row: out[i] = α_0[g] is first written to the rows of each group g
 * through the layout's permutation (random stores, which do not stall the loop as random loads do when the other
 * thread keeps the cache busy), then x̃ is computed in row order from it: the same operations in the same order as
 * x[i] − α_0[f0[i]] − …, so the same bits. In place (out = x) α_0 is read per row instead (residualByGather).
 */
export function residualOf(
  x: Float64Array,
  L: GroupedLayout,
  fp: FixedPoint,
  out: Float64Array = new Float64Array(L.n),
): Float64Array {
  const n = L.n,
    G0 = L.ngroups[0]!,
    G1 = L.ngroups[1]!;
  const { start, perm } = L;
  const f1 = L.codes[1]!;
  const a0 = fp.alpha0,
    X = fp.state;
  if (out === x) return residualByGather(x, L, fp, out);
  for (let g = 0; g < G0; g++) {
    const a = a0[g]!,
      p1 = start[g + 1]!;
    for (let p = start[g]!; p < p1; p++) out[perm[p]!] = a;
  }
  if (L.K === 3) {
    const f2 = L.codes[2]!;
    for (let i = 0; i < n; i++) out[i] = x[i]! - out[i]! - X[f1[i]!]! - X[G1 + f2[i]!]!;
  } else for (let i = 0; i < n; i++) out[i] = x[i]! - out[i]! - X[f1[i]!]!;
  return out;
}

/** x̃ as in residualOf, α_0 read per row: the reference the scatter must equal bit for bit; works in place. */
export function residualByGather(
  x: Float64Array,
  L: GroupedLayout,
  fp: FixedPoint,
  out: Float64Array = new Float64Array(L.n),
): Float64Array {
  const n = L.n,
    G1 = L.ngroups[1]!;
  const [f0, f1] = L.codes as [Int32Array, Int32Array];
  const a0 = fp.alpha0,
    X = fp.state;
  if (L.K === 3) {
    const f2 = L.codes[2]!;
    for (let i = 0; i < n; i++) out[i] = x[i]! - a0[f0[i]!]! - X[f1[i]!]! - X[G1 + f2[i]!]!;
  } else for (let i = 0; i < n; i++) out[i] = x[i]! - a0[f0[i]!]! - X[f1[i]!]!;
  return out;
}

/**
 * The fixed-point iteration of one column from its means; reads only the grouped part of the layout (start, the
 * codes in grouped order, table, counts), never the rows in their original order.
 */
export function iterateGrouped(cm: ColumnMeans, L: GroupedLayout, opts: GroupedOptions): FixedPoint {
  const { n, K, start, c1, c2, pk, shift, table } = L;
  const mask = (1 << shift) - 1;
  const [G0, G1] = L.ngroups as [number, number];
  const G2 = K === 3 ? L.ngroups[2]! : 0;
  const [inv0, inv1] = L.invCounts as [Float64Array, Float64Array];
  const inv2 = K === 3 ? L.invCounts[2]! : null;
  const [m0, m1] = cm.means as [Float64Array, Float64Array];
  const m2 = K === 3 ? cm.means[2]! : null;
  const scale = cm.scale;
  const limit = opts.tol * scale;
  const S = G1 + G2;
  const s1 = new Float64Array(G1);
  const s2 = new Float64Array(G2);
  const w = pk ? new Float64Array(2 * G1) : s1;
  const a0 = new Float64Array(G0);

  /** α_0 from the state (kept in a0), without the other updates: the last step. */
  const first = (inp: Float64Array): void => {
    for (let g = 0; g < G0; g++) {
      let acc = 0;
      const p1 = start[g + 1]!;
      if (pk)
        for (let p = start[g]!; p < p1; p++) {
          const v = pk[p]!;
          acc += inp[v >>> shift]! + inp[G1 + (v & mask)]!;
        }
      else if (c2) for (let p = start[g]!; p < p1; p++) acc += inp[c1![p]!]! + inp[G1 + c2[p]!]!;
      else for (let p = start[g]!; p < p1; p++) acc += inp[c1![p]!]!;
      a0[g] = m0[g]! - inv0[g]! * acc;
    }
  };

  /** The part of α_2's sums that comes from α_1 (new, in res), by the table or by a pass over the rows. */
  const fromAlpha1 = (res: Float64Array): void => {
    if (table) {
      for (let h = 0; h < G1; h++) {
        const a1 = res[h]!,
          row = h * G2;
        for (let l = 0; l < G2; l++) s2[l] = s2[l]! + table[row + l]! * a1;
      }
    } else if (pk) {
      for (let p = 0; p < n; p++) {
        const v = pk[p]!,
          l = v & mask;
        s2[l] = s2[l]! + res[v >>> shift]!;
      }
    } else {
      for (let p = 0; p < n; p++) s2[c2![p]!] = s2[c2![p]!]! + res[c1![p]!]!;
    }
  };

  const sweep = (inp: Float64Array, res: Float64Array): void => {
    s1.fill(0);
    if (pk) {
      // α_1 and its sums side by side (w[2h], w[2h+1]): the sum a row adds to is on the cache line its gather read
      for (let h = 0; h < G1; h++) {
        w[2 * h] = inp[h]!;
        w[2 * h + 1] = 0;
      }
      s2.fill(0);
      for (let g = 0; g < G0; g++) {
        const p0 = start[g]!,
          p1 = start[g + 1]!;
        let acc = 0;
        for (let p = p0; p < p1; p++) {
          const v = pk[p]!;
          acc += w[(v >>> shift) << 1]! + inp[G1 + (v & mask)]!;
        }
        const a = m0[g]! - inv0[g]! * acc;
        for (let p = p0; p < p1; p++) {
          const v = pk[p]!,
            h = ((v >>> shift) << 1) | 1,
            l = v & mask;
          w[h] = w[h]! + (a + inp[G1 + l]!);
          s2[l] = s2[l]! + a;
        }
      }
      for (let h = 0; h < G1; h++) res[h] = m1[h]! - inv1[h]! * w[2 * h + 1]!;
      fromAlpha1(res);
      for (let l = 0; l < G2; l++) res[G1 + l] = m2![l]! - inv2![l]! * s2[l]!;
    } else if (c2) {
      const d1 = c1!;
      s2.fill(0);
      for (let g = 0; g < G0; g++) {
        const p0 = start[g]!,
          p1 = start[g + 1]!;
        let acc = 0;
        for (let p = p0; p < p1; p++) acc += inp[d1[p]!]! + inp[G1 + c2[p]!]!;
        const a = m0[g]! - inv0[g]! * acc;
        for (let p = p0; p < p1; p++) {
          const h = d1[p]!,
            l = c2[p]!;
          s1[h] = s1[h]! + (a + inp[G1 + l]!);
          s2[l] = s2[l]! + a;
        }
      }
      for (let h = 0; h < G1; h++) res[h] = m1[h]! - inv1[h]! * s1[h]!;
      fromAlpha1(res);
      for (let l = 0; l < G2; l++) res[G1 + l] = m2![l]! - inv2![l]! * s2[l]!;
    } else {
      const d1 = c1!;
      for (let g = 0; g < G0; g++) {
        const p0 = start[g]!,
          p1 = start[g + 1]!;
        let acc = 0;
        for (let p = p0; p < p1; p++) acc += inp[d1[p]!]!;
        const a = m0[g]! - inv0[g]! * acc;
        for (let p = p0; p < p1; p++) s1[d1[p]!] = s1[d1[p]!]! + a;
      }
      for (let h = 0; h < G1; h++) res[h] = m1[h]! - inv1[h]! * s1[h]!;
    }
  };

  const run = ironsTuckFixedPoint(S, sweep, limit, opts.maxIter, opts.accelerate);
  const { state: X, iterations, converged, change } = run;
  first(X);
  return { alpha0: a0, state: X, iterations, converged, change: scale > 0 ? change / scale : change };
}

function groupMeans(x: Float64Array, codes: Int32Array, G: number, inv: Float64Array): Float64Array {
  const m = new Float64Array(G);
  const n = x.length;
  if (n > 0) {
    // accumulate in a register while the code repeats (rows of one group often come together)
    let g = codes[0]!,
      acc = 0;
    for (let i = 0; i < n; i++) {
      const c = codes[i]!;
      if (c !== g) {
        m[g] = m[g]! + acc;
        acc = 0;
        g = c;
      }
      acc += x[i]!;
    }
    m[g] = m[g]! + acc;
  }
  for (let g = 0; g < G; g++) m[g] = m[g]! * inv[g]!;
  return m;
}
