/**
 * Normal-theory tests of the indirect effect ab of a stepwise mediation, from the two coefficients and their
 * standard errors (a: treatment in the mediator equation; b: mediator in the outcome equation):
 *
 *   Sobel (1982, first-order delta method):  SE = √(b² s_a² + a² s_b²)
 *   Aroian (1944/1947, exact variance of a product of independent normals):  SE = √(b² s_a² + a² s_b² + s_a² s_b²)
 *   Goodman (1960, unbiased variance):  SE = √(b² s_a² + a² s_b² − s_a² s_b²), undefined when the radicand is ≤ 0
 *
 * and z = ab / SE, p = P(|Z| ≥ |z|) under the standard normal, as Stata's `sgmediation` and the usual online
 * calculators report them.
 */
import { pValueNormal } from '../../numerics/distributions.js';

export interface IndirectTest {
  readonly se: number;
  readonly z: number;
  readonly p: number;
}

export interface IndirectTests {
  readonly indirect: number;
  readonly sobel: IndirectTest;
  readonly aroian: IndirectTest;
  /** Null when b² s_a² + a² s_b² − s_a² s_b² ≤ 0 (the Goodman variance estimate is then not positive). */
  readonly goodman: { readonly se: number | null; readonly z: number | null; readonly p: number | null };
}

function test(ab: number, variance: number): IndirectTest {
  const se = Math.sqrt(variance);
  const z = ab / se;
  return { se, z, p: pValueNormal(z) };
}

export function indirectEffectTests(a: number, seA: number, b: number, seB: number): IndirectTests {
  const ab = a * b;
  const first = b * b * seA * seA + a * a * seB * seB;
  const second = seA * seA * seB * seB;
  const goodmanVar = first - second;
  return {
    indirect: ab,
    sobel: test(ab, first),
    aroian: test(ab, first + second),
    goodman: goodmanVar > 0 ? test(ab, goodmanVar) : { se: null, z: null, p: null },
  };
}

/** Share of the total effect that is mediated, ab / c; null when c is zero or not finite. */
export function mediatedShare(ab: number, c: number): number | null {
  return c !== 0 && Number.isFinite(c) ? ab / c : null;
}
