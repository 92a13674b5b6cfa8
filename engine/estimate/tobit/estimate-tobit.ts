/**
 * A Tobit model from typed arrays to a result, as AER's `tobit()`: complete cases, the censoring points checked
 * against the data, the fit (fit.ts), z tests from the observed information, and the statistics: `loglik`,
 * `log_scale` (log σ, survreg's `Log(scale)`) with `log_scale_se`, `sigma`, the censoring counts, and AER's Wald
 * chi-square of the slopes (`wald`, `wald_df`, `wald_p`). With `vcov: hc1` or `cluster(g)` the SEs and the Wald
 * statistic use the sandwich of variance.ts (sandwich's vcovCL) instead of the observed information.
 */
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import { chiSquareSf, pValueNormal } from '../../numerics/distributions.js';
import { solveDense } from '../../numerics/linalg.js';
import type { VcovPlan } from '../../normalize/plan.js';
import type { CoefficientResult } from '../../results/types.js';
import { buildFixedEffects } from '../ols/fixed-effects.js';
import type { ClusterCodes } from '../ols/vcov.js';
import { fitTobit } from './fit.js';
import { tobitScores, tobitVcov } from './variance.js';

export const INTERCEPT = '(Intercept)';

export interface TobitArrays {
  readonly model: string;
  readonly y: Float64Array;
  readonly yName: string;
  readonly X: readonly Float64Array[];
  readonly names: readonly string[];
  readonly left: number;
  readonly right: number;
  readonly intercept: boolean;
  /** The variance (absent: iid, the observed information). */
  readonly vcov?: VcovPlan;
  /** Cluster codes (−1 = missing), in the order of vcov.cluster. */
  readonly clusters?: readonly Int32Array[];
}

export interface TobitEstimate {
  readonly nobs: number;
  readonly coefficients: Record<string, CoefficientResult>;
  readonly stats: Record<string, number | null>;
  readonly notes: Note[];
}

export function estimateTobitArrays(a: TobitArrays): TobitEstimate {
  if (!(a.left > -Infinity) && !(a.right < Infinity)) {
    throw new SpecrunError('TOBIT_NO_CENSORING', { model: a.model, detail: 'neither left: nor right: is given' });
  }
  if (!(a.left < a.right)) {
    throw new SpecrunError('TOBIT_NO_CENSORING', {
      model: a.model,
      detail: `left (${a.left}) must be below right (${a.right})`,
    });
  }
  const notes: Note[] = [];
  const nAll = a.y.length;
  const rows: number[] = [];
  const cl = a.clusters ?? [];
  for (let i = 0; i < nAll; i++)
    if (Number.isFinite(a.y[i]!) && a.X.every((x) => Number.isFinite(x[i]!)) && cl.every((c) => c[i]! >= 0))
      rows.push(i);
  const n = rows.length;
  if (n < nAll) notes.push(note('MISSING_DROPPED', { count: nAll - n }));
  if (n === 0) throw new SpecrunError('NO_OBSERVATIONS', { model: a.model });
  const y = Float64Array.from(rows, (i) => a.y[i]!);
  // AER's rule: y ≤ left is censored at left, y ≥ right at right, also beyond the point (counted in a note)
  let outside = 0;
  for (let p = 0; p < n; p++) if (y[p]! < a.left || y[p]! > a.right) outside++;
  if (outside > 0)
    notes.push(note('TOBIT_BEYOND_CENSORING', { count: outside, name: a.yName, left: a.left, right: a.right }));
  const names: string[] = [];
  const X: Float64Array[] = [];
  if (a.intercept) {
    names.push(INTERCEPT);
    X.push(new Float64Array(n).fill(1));
  }
  a.X.forEach((x, j) => {
    names.push(a.names[j]!);
    X.push(Float64Array.from(rows, (i) => x[i]!));
  });
  const fit = fitTobit({ y, X, left: a.left, right: a.right });
  if (!fit.converged) notes.push(note('TOBIT_NOT_CONVERGED', { iter: fit.iterations }));
  if (fit.dropped.length)
    notes.push(note('COLLINEAR_DROPPED', { names: fit.dropped.map((j) => names[j]!).join(', ') }));
  const k = fit.kept.length,
    p = k + 1;
  if (n - p <= 0) throw new SpecrunError('NO_RESIDUAL_DF', { model: a.model, n, k: p });
  // the variance: the observed information, or a sandwich of the scores (variance.ts)
  const vplan: VcovPlan = a.vcov ?? {
    type: 'iid',
    cluster: [],
    ssc: { adj: true, fixef_k: 'nested', cluster_adj: true },
  };
  const clusters: ClusterCodes[] = cl.map((c, j) => {
    const d = buildFixedEffects([Int32Array.from(rows, (i) => c[i]!)]);
    if (d.ngroups[0]! < 2)
      throw new SpecrunError('VCOV_ONE_CLUSTER', { model: a.model, name: vplan.cluster[j]!, count: d.ngroups[0]! });
    return { codes: d.codes[0]!, ngroups: d.ngroups[0]! };
  });
  const keptX = fit.kept.map((j) => X[j]!);
  const variance =
    vplan.type === 'iid'
      ? { V: fit.vcov, clusters: null }
      : tobitVcov(vplan, fit.vcov, tobitScores(y, keptX, fit.theta, a.left, a.right), clusters);
  const V = variance.V;
  const coefficients: Record<string, CoefficientResult> = {};
  fit.kept.forEach((j, q) => {
    const estimate = fit.theta[q]!,
      se = Math.sqrt(V[q * p + q]!),
      z = Number.isFinite(se) ? estimate / se : NaN;
    coefficients[names[j]!] = { estimate, se: orNull(se), t: orNull(z), p: orNull(pValueNormal(z)) };
  });
  // Wald chi-square of the slopes (every kept coefficient but the intercept), as AER's summary
  const slopes = fit.kept.map((j, q) => (names[j] === INTERCEPT ? -1 : q)).filter((q) => q >= 0);
  let wald: number | null = null;
  if (slopes.length) {
    const Vs = new Float64Array(slopes.length ** 2);
    slopes.forEach((qa, a2) =>
      slopes.forEach((qb, b2) => {
        Vs[a2 * slopes.length + b2] = V[qa * p + qb]!;
      }),
    );
    const b = slopes.map((q) => fit.theta[q]!);
    const sol = solveDense(Vs, slopes.length, b);
    wald = b.reduce((s, v, j) => s + v * sol[j]!, 0);
  }
  const stats: Record<string, number | null> = {
    loglik: orNull(fit.loglik),
    log_scale: orNull(fit.theta[k]!),
    log_scale_se: orNull(Math.sqrt(V[k * p + k]!)),
    sigma: orNull(Math.exp(fit.theta[k]!)),
    left_censored: fit.leftCensored,
    right_censored: fit.rightCensored,
    uncensored: n - fit.leftCensored - fit.rightCensored,
    wald: wald === null ? null : orNull(wald),
    wald_df: slopes.length,
    wald_p: wald === null ? null : orNull(chiSquareSf(wald, slopes.length)),
    iterations: fit.iterations,
    ...(variance.clusters !== null ? { clusters: variance.clusters } : {}),
  };
  return { nobs: n, coefficients, stats, notes };
}

function orNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
