/**
 * A Tobit model from typed arrays to a result, as AER's `tobit()`: complete cases, the censoring points checked
 * against the data, the fit (fit.ts), z tests from the observed information, and the statistics: `loglik`,
 * `log_scale` (log σ, survreg's `Log(scale)`) with `log_scale_se`, `sigma`, the censoring counts, and AER's Wald
 * chi-square of the slopes (`wald`, `wald_df`, `wald_p`). With `vcov: hc1` or `cluster(g)` the SEs and the Wald
 * statistic use the sandwich of variance.ts (sandwich's vcovCL) instead of the observed information.
 *
 * `fitTobitArrays` (complete cases, the maximum likelihood fit) and `tobitVariance` (the chosen variance, z tests,
 * Wald, statistics) split the two, so a change of `vcov` alone reuses the fit (engine/run/estimate-model.ts).
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

/**
 * A fitted Tobit model: plain data and typed arrays, so that the result cache can keep it. `rows` indexes the arrays
 * given (the complete cases), so the variance reads its cluster codes there.
 */
export interface TobitArraysFit {
  readonly kind: 'tobit-fit';
  readonly rows: Int32Array;
  readonly y: Float64Array;
  /** Every column name (the constant first); `kept` indexes it. */
  readonly names: readonly string[];
  /** The kept columns on the fitted rows. */
  readonly keptX: readonly Float64Array[];
  readonly kept: readonly number[];
  /** β then log σ. */
  readonly theta: Float64Array;
  /** −H⁻¹, the observed information's inverse. */
  readonly information: Float64Array;
  readonly loglik: number;
  readonly iterations: number;
  readonly leftCensored: number;
  readonly rightCensored: number;
  readonly notes: readonly Note[];
}

/** Fit and variance in turn. */
export function estimateTobitArrays(a: TobitArrays): TobitEstimate {
  return tobitVariance(a, fitTobitArrays(a));
}

/** Complete cases (cluster variables included: their missing rows leave the sample), checks, the fit. */
export function fitTobitArrays(a: TobitArrays): TobitArraysFit {
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
  const p = fit.kept.length + 1;
  if (n - p <= 0) throw new SpecrunError('NO_RESIDUAL_DF', { model: a.model, n, k: p });
  return {
    kind: 'tobit-fit',
    rows: Int32Array.from(rows),
    y,
    names,
    keptX: fit.kept.map((j) => X[j]!),
    kept: fit.kept,
    theta: fit.theta,
    information: fit.vcov,
    loglik: fit.loglik,
    iterations: fit.iterations,
    leftCensored: fit.leftCensored,
    rightCensored: fit.rightCensored,
    notes,
  };
}

/** The variance of a fitted Tobit model under `a.vcov` (its clusters read on the fitted rows), z tests, Wald, stats. */
export function tobitVariance(a: TobitArrays, f: TobitArraysFit): TobitEstimate {
  const { rows, y, names } = f;
  const n = rows.length;
  const cl = a.clusters ?? [];
  const fit = { theta: f.theta, kept: f.kept };
  const k = f.kept.length,
    p = k + 1;
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
  const variance =
    vplan.type === 'iid'
      ? { V: f.information, clusters: null }
      : tobitVcov(vplan, f.information, tobitScores(y, f.keptX, fit.theta, a.left, a.right), clusters);
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
    loglik: orNull(f.loglik),
    log_scale: orNull(fit.theta[k]!),
    log_scale_se: orNull(Math.sqrt(V[k * p + k]!)),
    sigma: orNull(Math.exp(fit.theta[k]!)),
    left_censored: f.leftCensored,
    right_censored: f.rightCensored,
    uncensored: n - f.leftCensored - f.rightCensored,
    wald: wald === null ? null : orNull(wald),
    wald_df: slopes.length,
    wald_p: wald === null ? null : orNull(chiSquareSf(wald, slopes.length)),
    iterations: f.iterations,
    ...(variance.clusters !== null ? { clusters: variance.clusters } : {}),
  };
  return { nobs: n, coefficients, stats, notes: [...f.notes] };
}

function orNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
