/**
 * One GMM step for a given weighting matrix W (L×L):
 *   b = (X'Z W Z'X)⁻¹ X'Z W Z'y,
 * returned with the "bread" (X'Z W Z'X)⁻¹ and WZ'X, which the variance estimators and the AR test reuse.
 * The scale of W does not matter for b; with W = (Σᵢ Zᵢ'eᵢeᵢ'Zᵢ)⁻¹ the bread is the (uncorrected) two-step variance.
 */
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import { matMul, matTMul, matTVec, matVec, symmetrize } from './dense.js';

export interface GmmStep {
  readonly b: Float64Array;
  /** (X'Z W Z'X)⁻¹, K×K. */
  readonly bread: Float64Array;
  /** W·Z'X, L×K. */
  readonly WZX: Float64Array;
}

export function gmmStep(
  ZX: Float64Array,
  Zy: Float64Array,
  W: Float64Array,
  L: number,
  K: number,
  invert: (a: Float64Array, n: number) => Float64Array | null,
  model: string,
): GmmStep {
  const WZX = matMul(W, ZX, L, L, K);
  const C = matTMul(ZX, WZX, L, K, K);
  symmetrize(C, K);
  const bread = invert(C, K);
  if (!bread) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: "X'Z W Z'X is singular: the regressors are collinear or not identified by the instruments",
      hint: 'drop a collinear regressor, or add instruments for the endogenous ones',
    });
  }
  const b = matVec(bread, matTVec(WZX, Zy, L, K), K, K);
  return { b, bread, WZX };
}
