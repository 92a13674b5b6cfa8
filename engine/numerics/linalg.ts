/**
 * Small dense linear algebra on row-major Float64Array matrices (K×K, K the number of regressors): cross products,
 * a Cholesky factorization that detects and skips linearly dependent columns, solves and inverses. The N-row work
 * (cross products of long columns) is done column by column on typed arrays, never through row objects.
 */

/** Rows per block of the cross products (a block of every column stays in cache while the pairs are multiplied). */
const BLOCK = 2048;

/**
 * X'X (K×K, row-major) and X'y of the given columns, each of length n. The rows are taken in blocks that stay in
 * cache while every pair of columns is multiplied, so each column is read from memory once, not K times. A pair
 * whose product `known` already holds (computed ahead, e.g. while a thread waited for the other columns) is taken
 * from it: the same sum in the same order, so the same bits.
 */
export function crossProducts(
  cols: readonly Float64Array[],
  y: Float64Array | null,
  known?: ColumnProducts,
): { xtx: Float64Array; xty: Float64Array; yty: number } {
  const k = cols.length;
  const all = y ? [...cols, y] : [...cols];
  const p = all.length;
  const acc = new Float64Array(p * p);
  const n = p > 0 ? all[0]!.length : 0;
  // the pairs (a ≥ b) still to compute, as a list of a·p + b
  const todo: number[] = [];
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      const v = known?.get(all[a]!, all[b]!);
      if (v === undefined) todo.push(a * p + b);
      else acc[a * p + b] = v;
    }
  }
  if (todo.length > 0) {
    for (let lo = 0; lo < n; lo += BLOCK) {
      const hi = Math.min(n, lo + BLOCK);
      for (const ab of todo) {
        const a = Math.floor(ab / p),
          b = ab - a * p;
        acc[ab] = acc[ab]! + dotRange(all[a]!, all[b]!, lo, hi);
      }
    }
  }
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      xtx[a * k + b] = acc[a * p + b]!;
      xtx[b * k + a] = acc[a * p + b]!;
    }
    if (y) xty[a] = acc[k * p + a]!;
  }
  return { xtx, xty, yty: y ? acc[k * p + k]! : 0 };
}

/**
 * Products of long columns computed ahead of crossProducts, each exactly as crossProducts sums it (the same blocks
 * in the same order, the same partial sums): `add(c)` computes c's products with itself and with every column added
 * before it. The columns are known by identity, and must not change once added (the demeaning pool adds its
 * finished columns while it waits for a worker, engine/estimate/ols/demean-pool.ts).
 */
export class ColumnProducts {
  private readonly cols: Float64Array[] = [];
  /** Row i: the products of column i with columns 0..i. */
  private readonly rows: Float64Array[] = [];

  has(c: Float64Array): boolean {
    return this.cols.includes(c);
  }

  add(c: Float64Array): void {
    if (this.has(c)) return;
    const i = this.cols.length;
    this.cols.push(c);
    const row = new Float64Array(i + 1);
    const n = c.length;
    for (let lo = 0; lo < n; lo += BLOCK) {
      const hi = Math.min(n, lo + BLOCK);
      for (let j = 0; j <= i; j++) row[j] = row[j]! + dotRange(c, this.cols[j]!, lo, hi);
    }
    this.rows.push(row);
  }

  /** The product of a and b when both were added (either order), else undefined. */
  get(a: Float64Array, b: Float64Array): number | undefined {
    const i = this.cols.indexOf(a),
      j = this.cols.indexOf(b);
    if (i < 0 || j < 0) return undefined;
    return i >= j ? this.rows[i]![j] : this.rows[j]![i];
  }
}

function dotRange(a: Float64Array, b: Float64Array, lo: number, hi: number): number {
  let s0 = 0,
    s1 = 0;
  let i = lo;
  for (; i + 1 < hi; i += 2) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
  }
  if (i < hi) s0 += a[i]! * b[i]!;
  return s0 + s1;
}

/** Σ aᵢbᵢ, with four partial sums (independent chains run faster; the summation order is fixed, so results are reproducible). */
export function dot(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}

export interface CholeskyResult {
  /** Indices (into the K columns) of the columns kept, in order. */
  readonly kept: number[];
  /** Indices of the columns found linearly dependent on earlier kept columns. */
  readonly dropped: number[];
  /** Lower-triangular factor of the kept submatrix, row-major, size m×m with m = kept.length. */
  readonly L: Float64Array;
}

/**
 * Cholesky factorization A = LLᵀ of a symmetric positive semi-definite K×K matrix, taking columns in order and
 * skipping a column whose squared residual norm (its pivot) is at most `tol` times `scale[j]` — that column is,
 * to that tolerance, a linear combination of the columns kept before it. `scale[j]` is the column's own sum of squares
 * before any projection (so a regressor wiped out by the fixed effects shows a ratio near 1e-30, not 1e-3).
 */
export function choleskyDropDependent(
  a: Float64Array,
  k: number,
  scale: ArrayLike<number>,
  tol: number,
): CholeskyResult {
  const kept: number[] = [];
  const dropped: number[] = [];
  // Full K×K scratch indexed by position in `kept`.
  const Lfull = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const m = kept.length;
    const row = new Float64Array(m);
    for (let p = 0; p < m; p++) {
      let s = a[j * k + kept[p]!]!;
      for (let q = 0; q < p; q++) s -= row[q]! * Lfull[p * k + q]!;
      row[p] = s / Lfull[p * k + p]!;
    }
    let d = a[j * k + j]!;
    for (let p = 0; p < m; p++) d -= row[p]! * row[p]!;
    const sc = scale[j]!;
    if (!(d > tol * sc) || !(d > 0)) {
      dropped.push(j);
      continue;
    }
    for (let p = 0; p < m; p++) Lfull[m * k + p] = row[p]!;
    Lfull[m * k + m] = Math.sqrt(d);
    kept.push(j);
  }
  const m = kept.length;
  const L = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c <= r; c++) L[r * m + c] = Lfull[r * k + c]!;
  return { kept, dropped, L };
}

/** Solve LLᵀx = b for one right-hand side (L m×m lower-triangular, row-major). */
export function choleskySolve(L: Float64Array, m: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i]!;
    for (let j = 0; j < i; j++) s -= L[i * m + j]! * y[j]!;
    y[i] = s / L[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let j = i + 1; j < m; j++) s -= L[j * m + i]! * x[j]!;
    x[i] = s / L[i * m + i]!;
  }
  return x;
}

/** (LLᵀ)⁻¹, symmetric m×m row-major. */
export function choleskyInverse(L: Float64Array, m: number): Float64Array {
  const inv = new Float64Array(m * m);
  const e = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySolve(L, m, e);
    for (let r = 0; r < m; r++) inv[r * m + c] = col[r]!;
  }
  // symmetrize exactly (the two triangles differ in the last bits)
  for (let r = 0; r < m; r++)
    for (let c = 0; c < r; c++) {
      const v = 0.5 * (inv[r * m + c]! + inv[c * m + r]!);
      inv[r * m + c] = v;
      inv[c * m + r] = v;
    }
  return inv;
}

/** A·B·A for symmetric m×m row-major A and B (the sandwich bread·meat·bread). */
export function sandwich(bread: Float64Array, meat: Float64Array, m: number): Float64Array {
  const tmp = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < m; p++) s += bread[i * m + p]! * meat[p * m + j]!;
      tmp[i * m + j] = s;
    }
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < m; p++) s += tmp[i * m + p]! * bread[p * m + j]!;
      out[i * m + j] = s;
    }
  for (let r = 0; r < m; r++)
    for (let c = 0; c < r; c++) {
      const v = 0.5 * (out[r * m + c]! + out[c * m + r]!);
      out[r * m + c] = v;
      out[c * m + r] = v;
    }
  return out;
}

/** Solve the dense m×m system A x = b by Gaussian elimination with partial pivoting (A is copied). */
export function solveDense(a: Float64Array, m: number, b: ArrayLike<number>): Float64Array {
  return solveDenseMany(a, m, [b])[0]!;
}

/** Solve A X = [b_1 … b_r] for several right-hand sides with one elimination (partial pivoting; A is copied). */
export function solveDenseMany(a: Float64Array, m: number, rhs: readonly ArrayLike<number>[]): Float64Array[] {
  const A = Float64Array.from(a);
  const r = rhs.length;
  // right-hand sides interleaved per row: B[row*r + j]
  const B = new Float64Array(m * r);
  rhs.forEach((b, j) => {
    for (let i = 0; i < m; i++) B[i * r + j] = b[i]!;
  });
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let q = c + 1; q < m; q++) if (Math.abs(A[q * m + c]!) > Math.abs(A[piv * m + c]!)) piv = q;
    if (piv !== c) {
      for (let j = 0; j < m; j++) {
        const t = A[c * m + j]!;
        A[c * m + j] = A[piv * m + j]!;
        A[piv * m + j] = t;
      }
      for (let j = 0; j < r; j++) {
        const t = B[c * r + j]!;
        B[c * r + j] = B[piv * r + j]!;
        B[piv * r + j] = t;
      }
    }
    const d = A[c * m + c]!;
    for (let q = c + 1; q < m; q++) {
      const f = A[q * m + c]! / d;
      if (f === 0) continue;
      for (let j = c; j < m; j++) A[q * m + j] = A[q * m + j]! - f * A[c * m + j]!;
      for (let j = 0; j < r; j++) B[q * r + j] = B[q * r + j]! - f * B[c * r + j]!;
    }
  }
  const out = rhs.map(() => new Float64Array(m));
  for (let q = m - 1; q >= 0; q--) {
    for (let j = 0; j < r; j++) {
      let s = B[q * r + j]!;
      for (let p = q + 1; p < m; p++) s -= A[q * m + p]! * out[j]![p]!;
      out[j]![q] = s / A[q * m + q]!;
    }
  }
  return out;
}

/** e = y − Σ_j coef_j X_j (two columns per pass, the last pass also summing e'e); the residuals of OLS and IV, with e'e. */
export function residualsOf(
  y: Float64Array,
  X: readonly Float64Array[],
  coef: ArrayLike<number>,
  out?: Float64Array,
): { residuals: Float64Array; rss: number } {
  const n = y.length,
    m = X.length;
  const residuals = out ?? new Float64Array(n);
  residuals.set(y);
  let rss = 0;
  for (let j = 0; j < m; j += 2) {
    const last = j + 2 >= m;
    const xa = X[j]!,
      ba = coef[j]!;
    const xb = j + 1 < m ? X[j + 1]! : xa,
      bb = j + 1 < m ? coef[j + 1]! : 0;
    if (last) {
      for (let i = 0; i < n; i++) {
        const e = residuals[i]! - ba * xa[i]! - bb * xb[i]!;
        residuals[i] = e;
        rss += e * e;
      }
    } else {
      for (let i = 0; i < n; i++) residuals[i] = residuals[i]! - ba * xa[i]! - bb * xb[i]!;
    }
  }
  if (m === 0) for (let i = 0; i < n; i++) rss += residuals[i]! * residuals[i]!;
  return { residuals, rss };
}
