/**
 * One cross-product matrix for all the regressions of an IV model. Every column the estimator and its diagnostics
 * regress (the dependent variable, the exogenous regressors W, the endogenous E, the instruments Z, and the
 * first-stage residuals and structural residuals, which are linear combinations of those) is a vector c of weights
 * over the B basis columns b_1 … b_B, so that for two such columns
 *
 *     (Σ_j a_j b_j)'(Σ_j c_j b_j) = a' G c,     G = [b_1 … b_B]'[b_1 … b_B]   (B×B, computed once)
 *
 * and a regression of t on R_1 … R_m needs only R'GR, R'Gt and t'Gt:  β = (R'GR)⁻¹R'Gt,  SSR = t'Gt − β'R'Gt.
 * The N-row work is one pass of cross products instead of one per regression. G's entries are the cross products
 * fitOls would compute for the same pair of columns (crossProducts sums each pair in the same order), so a fit on
 * basis columns has the same coefficients as fitOls.
 */
import { choleskyDropDependent, choleskySolve, crossProducts } from '../../numerics/linalg.js';

/** A column as weights over the basis columns. */
export type Combination = Float64Array;

export class Gram {
  readonly B: number;
  readonly G: Float64Array;

  private constructor(B: number, G: Float64Array) {
    this.B = B;
    this.G = G;
  }

  /** G of the basis columns (one pass over the rows). */
  static of(basis: readonly Float64Array[]): Gram {
    return new Gram(basis.length, crossProducts(basis, null).xtx);
  }

  /** A G computed before (a cached fit keeps the matrix, not the object). */
  static fromMatrix(G: Float64Array, B: number): Gram {
    return new Gram(B, G);
  }

  /** The basis column j. */
  unit(j: number): Combination {
    const c = new Float64Array(this.B);
    c[j] = 1;
    return c;
  }

  /** a − Σ_j coef_j r_j. */
  minus(a: Combination, rs: readonly Combination[], coef: ArrayLike<number>): Combination {
    const out = Float64Array.from(a);
    rs.forEach((r, j) => {
      const b = coef[j]!;
      for (let q = 0; q < this.B; q++) out[q] = out[q]! - b * r[q]!;
    });
    return out;
  }

  /** a'Gb. */
  cross(a: Combination, b: Combination): number {
    const B = this.B,
      G = this.G;
    let s = 0;
    for (let p = 0; p < B; p++) {
      const ap = a[p]!;
      if (ap === 0) continue;
      let r = 0;
      for (let q = 0; q < B; q++) r += G[p * B + q]! * b[q]!;
      s += ap * r;
    }
    return s;
  }

  /** R'GR (m×m row-major). */
  crossMatrix(R: readonly Combination[]): Float64Array {
    const m = R.length;
    const out = new Float64Array(m * m);
    for (let a = 0; a < m; a++)
      for (let b = 0; b <= a; b++) {
        const v = this.cross(R[a]!, R[b]!);
        out[a * m + b] = v;
        out[b * m + a] = v;
      }
    return out;
  }

  /**
   * Least squares of t on R from the cross products, dropping exactly collinear columns in order as fitOls does
   * (choleskyDropDependent with the given scales). Returns the kept indices, the coefficients of the kept columns,
   * their Cholesky factor and the SSR t'Gt − β'R'Gt.
   */
  regress(
    t: Combination,
    R: readonly Combination[],
    scale: ArrayLike<number> | null = null,
    tol = 0,
  ): { kept: number[]; dropped: number[]; coef: Float64Array; L: Float64Array; ssr: number } {
    const m = R.length;
    const xtx = this.crossMatrix(R);
    const chol = choleskyDropDependent(xtx, m, scale ?? new Float64Array(m), tol);
    const xty = chol.kept.map((j) => this.cross(R[j]!, t));
    const coef = choleskySolve(chol.L, chol.kept.length, xty);
    let ssr = this.cross(t, t);
    for (let j = 0; j < coef.length; j++) ssr -= coef[j]! * xty[j]!;
    return { kept: chol.kept, dropped: chol.dropped, coef, L: chol.L, ssr };
  }

  /**
   * The cross products of columns A (a×) and C (c×) after both are partialled on P (Frisch–Waugh–Lovell):
   * A'M_P C = A'GC − A'GP (P'GP)⁻¹ P'GC, a×c row-major. P must have full column rank.
   */
  partialledCross(A: readonly Combination[], C: readonly Combination[], P: readonly Combination[]): Float64Array {
    const a = A.length,
      c = C.length;
    const out = new Float64Array(a * c);
    const resA = A.map((x) => (P.length ? this.minus(x, P, this.regress(x, P).coef) : x));
    const resC = C.map((x) => (P.length ? this.minus(x, P, this.regress(x, P).coef) : x));
    for (let i = 0; i < a; i++) for (let j = 0; j < c; j++) out[i * c + j] = this.cross(resA[i]!, resC[j]!);
    return out;
  }
}
