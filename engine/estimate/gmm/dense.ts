/**
 * The few dense matrix operations GMM needs, on row-major Float64Arrays. The matrices here are small (instruments ×
 * instruments, at most a few hundred; coefficients × coefficients): everything that grows with the number of units is
 * accumulated in moments.ts before it reaches this file.
 */
import { createRequire } from 'node:module';

// ml-matrix is loaded on first use (only GMM needs it), so other commands do not pay for loading it.
type MlMatrix = typeof import('ml-matrix');
let mlMatrix: MlMatrix | null = null;
function loadMlMatrix(): MlMatrix {
  mlMatrix ??= createRequire(import.meta.url)('ml-matrix') as MlMatrix;
  return mlMatrix;
}

/** C = A·B with A n×m, B m×p. */
export function matMul(a: Float64Array, b: Float64Array, n: number, m: number, p: number): Float64Array {
  const c = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const ci = i * p;
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      const bk = k * p;
      for (let j = 0; j < p; j++) c[ci + j]! += aik * b[bk + j]!;
    }
  }
  return c;
}

/** C = Aᵀ·B with A m×n, B m×p (so C is n×p). */
export function matTMul(a: Float64Array, b: Float64Array, m: number, n: number, p: number): Float64Array {
  const c = new Float64Array(n * p);
  for (let k = 0; k < m; k++) {
    const ak = k * n;
    const bk = k * p;
    for (let i = 0; i < n; i++) {
      const aki = a[ak + i]!;
      if (aki === 0) continue;
      const ci = i * p;
      for (let j = 0; j < p; j++) c[ci + j]! += aki * b[bk + j]!;
    }
  }
  return c;
}

/** y = A·x with A n×m. */
export function matVec(a: Float64Array, x: Float64Array, n: number, m: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const ai = i * m;
    for (let j = 0; j < m; j++) s += a[ai + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** y = Aᵀ·x with A m×n. */
export function matTVec(a: Float64Array, x: Float64Array, m: number, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let k = 0; k < m; k++) {
    const xk = x[k]!;
    if (xk === 0) continue;
    const ak = k * n;
    for (let i = 0; i < n; i++) y[i]! += a[ak + i]! * xk;
  }
  return y;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Aᵀ of an n×m matrix. */
export function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j]!;
  return t;
}

/** Replace A by (A + Aᵀ)/2: accumulated symmetric matrices drift apart in the last bits. */
export function symmetrize(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (a[i * n + j]! + a[j * n + i]!);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
}

export interface SymmetricInverse {
  /** The inverse, or the Moore–Penrose inverse when `rank < size`. */
  readonly inverse: Float64Array;
  readonly rank: number;
  readonly size: number;
}

/**
 * Inverse of a symmetric positive semi-definite matrix through its eigendecomposition A = V Λ Vᵀ:
 * A⁺ = V Λ⁺ Vᵀ, where Λ⁺ inverts the eigenvalues above n·ε·λ_max (the numerical-rank tolerance of LAPACK-based
 * pseudo-inverses) and zeroes the rest. For a matrix of full numerical rank this is the ordinary inverse, however badly
 * conditioned (plm inverts with solve() unless an eigenvalue is below 1e-9, and an uncollapsed weighting matrix is
 * often conditioned worse than 1e-8); for a rank-deficient one it is the Moore–Penrose inverse.
 */
export function symmetricPseudoInverse(a: Float64Array, n: number): SymmetricInverse {
  if (n === 0) return { inverse: new Float64Array(0), rank: 0, size: 0 };
  // Instruments of very different scales (0/1 dummies beside levels) make A badly conditioned; when A has full
  // rank, invert the equilibrated D^-1/2 A D^-1/2 instead (same inverse, fewer digits lost). A rank-deficient A keeps
  // the Moore–Penrose inverse of A itself, which scaling would change.
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i * n + i]! > 0 ? 1 / Math.sqrt(a[i * n + i]!) : 1;
  const scaled = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = a[i * n + j]! * d[i]! * d[j]!;
  const eq = eigenInverse(scaled, n);
  if (eq.rank === n) {
    const inv = eq.inverse;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inv[i * n + j]! *= d[i]! * d[j]!;
    return { inverse: inv, rank: n, size: n };
  }
  return eigenInverse(a, n);
}

function eigenInverse(a: Float64Array, n: number): SymmetricInverse {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(a.subarray(i * n, (i + 1) * n)));
  const { EigenvalueDecomposition, Matrix } = loadMlMatrix();
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const v = evd.eigenvectorMatrix;
  let lmax = 0;
  for (const l of lambda) lmax = Math.max(lmax, Math.abs(l));
  const tol = n * Number.EPSILON * lmax;
  const inv = new Float64Array(n * n);
  let rank = 0;
  const col = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const l = lambda[k]!;
    if (!(l > tol)) continue;
    rank++;
    for (let i = 0; i < n; i++) col[i] = v.get(i, k);
    const s = 1 / l;
    for (let i = 0; i < n; i++) {
      const ci = col[i]! * s;
      if (ci === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) inv[row + j]! += ci * col[j]!;
    }
  }
  symmetrize(inv, n);
  return { inverse: inv, rank, size: n };
}

/**
 * Inverse of a symmetric positive-definite matrix by Cholesky, or null when it is not positive definite (collinear
 * regressors, or regressors the instruments do not identify).
 */
export function spdInverse(a: Float64Array, n: number): Float64Array | null {
  // equilibrate to a unit diagonal first (regressors of very different scales), and scale back at the end
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(a[i * n + i]! > 0)) return null;
    d[i] = 1 / Math.sqrt(a[i * n + i]!);
  }
  const inv = choleskyInverse(
    Float64Array.from(a, (v, k) => v * d[Math.floor(k / n)]! * d[k % n]!),
    n,
  );
  if (!inv) return null;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inv[i * n + j]! *= d[i]! * d[j]!;
  return inv;
}

function choleskyInverse(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const ajj = a[j * n + j]!;
    let d = ajj;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    // the pivot is what is left of column j after projecting out the earlier ones: ~0 means collinear
    if (!(d > ajj * 1e-12)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ L⁻¹
  const li = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[i * n + k]! * li[k * n + c]!;
      li[i * n + c] = s / l[i * n + i]!;
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k * n + i]! * li[k * n + j]!;
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

/**
 * Columns of a Gram matrix A = X'X (n×n) that are linear combinations of earlier columns, found by a Cholesky
 * factorisation that skips a column whose remaining pivot is below 1e-10 of its diagonal (an exactly collinear column
 * leaves ~1e-14). Earlier columns win: order the columns by priority.
 */
export function dependentColumns(a: Float64Array, n: number): number[] {
  const l = new Float64Array(n * n);
  const kept: number[] = [];
  const dependent: number[] = [];
  for (let j = 0; j < n; j++) {
    const ajj = a[j * n + j]!;
    let d = ajj;
    for (const k of kept) d -= l[j * n + k]! ** 2;
    if (!(ajj > 0) || !(d > ajj * 1e-10)) {
      dependent.push(j);
      continue;
    }
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (const k of kept) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
    kept.push(j);
  }
  return dependent;
}
