/**
 * Least squares on (already demeaned) columns: β = (X̃'X̃)⁻¹ X̃'ỹ, by a Cholesky factorization of X̃'X̃ that drops
 * exactly collinear columns in order (a later column that is a combination of earlier ones goes), e = ỹ − X̃β.
 */
import {
  choleskyDropDependent,
  choleskyInverse,
  choleskySolve,
  crossProducts,
  residualsOf,
  type ColumnProducts,
} from '../../numerics/linalg.js';

/**
 * A column is collinear when the squared norm of its part orthogonal to the earlier kept columns is at most this
 * fraction of its own squared norm before demeaning (fixest's collin.tol is 1e-10 on the same kind of ratio).
 */
export const COLLINEARITY_TOL = 1e-10;

export interface OlsFit {
  /** Indices of the regressors kept (into the columns given), and of those dropped as collinear. */
  readonly kept: number[];
  readonly dropped: number[];
  /** Coefficients of the kept columns, in order. */
  readonly coef: Float64Array;
  /** (X̃'X̃)⁻¹ of the kept columns, m×m row-major: the bread of every sandwich. */
  readonly bread: Float64Array;
  /** The kept (demeaned) columns. */
  readonly X: readonly Float64Array[];
  readonly residuals: Float64Array;
  /** Residual sum of squares e'e. */
  readonly rss: number;
  /** ỹ'ỹ, the sum of squares of the (demeaned) dependent variable. */
  readonly yty: number;
}

/**
 * @param y demeaned dependent variable
 * @param X demeaned regressors
 * @param scale per regressor, its sum of squares before demeaning (the reference for the collinearity test)
 * @param ahead `products`: products of some of these columns computed ahead (the same bits as computed here);
 *   `sharedResiduals`: the residuals in a SharedArrayBuffer (for the cluster scores on worker threads, without a copy)
 */
export function fitOls(
  y: Float64Array,
  X: readonly Float64Array[],
  scale: ArrayLike<number>,
  tol = COLLINEARITY_TOL,
  ahead: { products?: ColumnProducts; sharedResiduals?: boolean } = {},
): OlsFit {
  const { xtx, xty, yty } = crossProducts(X, y, ahead.products);
  const k = X.length;
  const chol = choleskyDropDependent(xtx, k, scale, tol);
  const m = chol.kept.length;
  const Xk = chol.kept.map((j) => X[j]!);
  const b = chol.kept.map((j) => xty[j]!);
  const coef = choleskySolve(chol.L, m, b);
  const bread = choleskyInverse(chol.L, m);
  const out = ahead.sharedResiduals ? new Float64Array(new SharedArrayBuffer(y.length * 8)) : undefined;
  const { residuals, rss } = residualsOf(y, Xk, coef, out);
  return { kept: chol.kept, dropped: chol.dropped, coef, bread, X: Xk, residuals, rss, yty };
}
