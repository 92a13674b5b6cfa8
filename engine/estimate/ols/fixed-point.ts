/**
 * The fixed-point iteration shared by the alternating-projection demeaners (demean.ts, demean-grouped.ts).
 *
 * `step(input, output)` is one Gauss–Seidel sweep G over the state (the coefficients of all fixed effects but one).
 * From X the loop computes GX = G(X) and stops when no coefficient moved by more than `limit`; otherwise
 * GGX = G(GX), the same test, then (with `accelerate`) the Irons & Tuck (1969) extrapolation
 *
 *     X ← GGX − c·(GGX − GX),   c = ⟨GGX − GX, GGX − 2GX + X⟩ / ‖GGX − 2GX + X‖²,
 *
 * or plain X ← GGX. After `maxIter` sweeps the last state is returned with `converged: false`.
 * The arithmetic is a function of the step's outputs only, in a fixed order, so a column gives the same bits
 * whichever demeaner, grouping or thread runs it.
 */

export interface FixedPointRun {
  /** The final state (the last sweep's output). */
  state: Float64Array;
  /** Sweeps run. */
  iterations: number;
  converged: boolean;
  /** The largest move of a coefficient in the last sweep. */
  change: number;
}

function maxChange(a: Float64Array, b: Float64Array, len: number): number {
  let w = 0;
  for (let j = 0; j < len; j++) {
    const d = Math.abs(a[j]! - b[j]!);
    if (d > w) w = d;
  }
  return w;
}

export function ironsTuckFixedPoint(
  len: number,
  step: (input: Float64Array, output: Float64Array) => void,
  limit: number,
  maxIter: number,
  accelerate: boolean,
): FixedPointRun {
  let X = new Float64Array(len),
    GX = new Float64Array(len),
    GGX = new Float64Array(len);
  let iterations = 0,
    converged = false,
    change = Infinity;
  while (iterations < maxIter) {
    step(X, GX);
    iterations++;
    change = maxChange(GX, X, len);
    if (change <= limit) {
      [X, GX] = [GX, X];
      converged = true;
      break;
    }
    if (iterations >= maxIter) {
      [X, GX] = [GX, X];
      break;
    }
    step(GX, GGX);
    iterations++;
    change = maxChange(GGX, GX, len);
    if (change <= limit) {
      [X, GGX] = [GGX, X];
      converged = true;
      break;
    }
    if (accelerate) {
      let num = 0,
        den = 0;
      for (let j = 0; j < len; j++) {
        const dgx = GGX[j]! - GX[j]!;
        const d2 = dgx - (GX[j]! - X[j]!);
        num += dgx * d2;
        den += d2 * d2;
      }
      const coef = den > 0 ? num / den : 0;
      for (let j = 0; j < len; j++) X[j] = GGX[j]! - coef * (GGX[j]! - GX[j]!);
    } else {
      [X, GGX] = [GGX, X];
    }
  }
  return { state: X, iterations, converged, change };
}
