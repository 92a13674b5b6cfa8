/**
 * A GLM with fixed effects from typed arrays to a result, as fixest's `fepois` / `feglm` (see CONVENTIONS.md):
 *
 *   1. complete cases (outcome, regressors, weights, fixed effects, clusters);
 *   2. the outcome's range (Poisson: y ≥ 0; logit/probit: 0 ≤ y ≤ 1) and the weights (> 0) are checked;
 *   3. fixed-effect groups with an all-zero (binary: or all-one) outcome are removed, in fixest's single round, and
 *      with `singletons: drop` the groups of one observation in the same round (fixest's fixef.rm = "both");
 *   4. IRLS (irls.ts), with the weighted within transformation in each iteration;
 *   5. the variance from the last weighted least squares: iid V = c·(X̃'WX̃)⁻¹, hc1 and cluster the sandwiches with
 *      scores wᵢrᵢx̃ᵢ, c = fixest's ssc() factor (the OLS code, ols/vcov.ts); z tests (normal p-values);
 *   6. statistics: log-likelihood, null log-likelihood, McFadden pseudo R², deviance, AIC, BIC.
 *
 * Steps 1–4 and the likelihoods are the fit (`fitGlmArrays`, a `GlmArraysFit`); step 5 and the statistics are the
 * variance (`glmVariance`), a function of the fit and the variance choice, so a change of `vcov` or `ssc` alone
 * reuses the fit (engine/run/estimate-model.ts). `estimateGlmArrays` is the two in turn.
 */
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { VcovPlan } from '../../normalize/plan.js';
import { pValueNormal } from '../../numerics/distributions.js';
import type { CoefficientResult } from '../../results/types.js';
import { buildFixedEffects, isNested } from '../ols/fixed-effects.js';
import { computeVcov, type ClusterCodes } from '../ols/vcov.js';
import { families, logLikelihood, nullLogLikelihood, type GlmFamilyName } from './family.js';
import { fitGlm } from './irls.js';
import { removePerfectFitGroups } from './perfect-fit.js';

export const INTERCEPT = '(Intercept)';

export interface GlmArrays {
  readonly model: string;
  readonly family: GlmFamilyName;
  readonly y: Float64Array;
  readonly yName: string;
  readonly X: readonly Float64Array[];
  readonly names: readonly string[];
  /** Fixed-effect codes (−1 = missing), in the order of `feNames`. */
  readonly fe: readonly Int32Array[];
  readonly feNames: readonly string[];
  /** Cluster codes (−1 = missing), in the order of vcov.cluster. */
  readonly clusters: readonly Int32Array[];
  readonly weights: Float64Array | null;
  readonly weightsName: string | null;
  readonly vcov: VcovPlan;
  /** Estimate a constant when there are no fixed effects. */
  readonly intercept: boolean;
  /**
   * Singleton groups of the fixed effects: `drop` removes them with the perfectly fitted groups (fixest's
   * `fixef.rm = "both"`), `keep` (or absent, at this level) keeps them (fixest's default `"perfect"`). The
   * estimator modules pass the spec's `singletons:`, whose default is `drop`.
   */
  readonly singletons?: 'drop' | 'keep';
}

export interface GlmEstimate {
  readonly nobs: number;
  readonly coefficients: Record<string, CoefficientResult>;
  readonly stats: Record<string, number | null>;
  readonly notes: Note[];
}

/**
 * What the variance and the statistics need once a GLM is fitted (steps 1–4): plain data and typed arrays only, so
 * that the result cache can keep it. `rows` indexes the arrays given (null: every row), so the variance reads its
 * cluster codes there.
 */
export interface GlmArraysFit {
  readonly kind: 'glm-fit';
  readonly n: number;
  readonly rows: Int32Array | null;
  /** Every column name (the constant first when there is one); `kept` indexes it. */
  readonly names: readonly string[];
  readonly kept: readonly number[];
  readonly coef: Float64Array;
  /** (X̃'WX̃)⁻¹ of the last weighted least squares, over the kept columns. */
  readonly bread: Float64Array;
  /** The kept columns, weighted and within-transformed, of the last weighted least squares. */
  readonly X: readonly Float64Array[];
  /** The weighted working residuals of the last weighted least squares. */
  readonly residuals: Float64Array;
  /** Fixed-effect codes on the fitted rows (dense) and group counts, in the order of `feNames`. */
  readonly feCodes: readonly Int32Array[];
  readonly feGroups: readonly number[];
  readonly loglik: number;
  readonly loglikNull: number;
  readonly deviance: number;
  readonly iterations: number;
  readonly notes: readonly Note[];
}

/** Fit and variance in turn (tests, and callers that keep no fit). */
export function estimateGlmArrays(a: GlmArrays): GlmEstimate {
  return glmVariance(a, fitGlmArrays(a));
}

/** Steps 1–4: complete cases (cluster variables included: their missing rows leave the sample), checks, IRLS. */
export function fitGlmArrays(a: GlmArrays): GlmArraysFit {
  const family = families[a.family];
  const notes: Note[] = [];
  const nAll = a.y.length;
  // 1. complete cases
  const keep = new Uint8Array(nAll).fill(1);
  const finite = (x: Float64Array) => {
    for (let i = 0; i < nAll; i++) if (!Number.isFinite(x[i]!)) keep[i] = 0;
  };
  finite(a.y);
  a.X.forEach(finite);
  if (a.weights) finite(a.weights);
  for (const c of [...a.fe, ...a.clusters]) for (let i = 0; i < nAll; i++) if (c[i]! < 0) keep[i] = 0;
  let n = count(keep);
  if (n < nAll) notes.push(note('MISSING_DROPPED', { count: nAll - n }));
  if (n === 0) throw new SpecrunError('NO_OBSERVATIONS', { model: a.model });
  // 2. outcome range and weights
  for (let i = 0; i < nAll; i++) {
    if (!keep[i]) continue;
    const v = a.y[i]!;
    if (v < 0 || (family.binary && v > 1)) {
      throw new SpecrunError('GLM_OUTCOME_RANGE', {
        model: a.model,
        name: a.yName,
        value: v,
        row: i + 1,
        range: family.binary ? 'between 0 and 1' : 'non-negative',
        estimator: a.family,
      });
    }
    if (a.weights && !(a.weights[i]! > 0)) {
      throw new SpecrunError('WEIGHTS_NOT_POSITIVE', {
        model: a.model,
        name: a.weightsName ?? 'weights',
        value: a.weights[i]!,
        row: i + 1,
      });
    }
  }
  // 3. perfectly fitted fixed-effect groups
  if (a.fe.length) {
    const r = removePerfectFitGroups(a.fe, a.y, keep, family.binary, a.singletons === 'drop');
    r.singletonRows.forEach((d, k) => {
      if (d > 0) notes.push(note('SINGLETONS_DROPPED', { count: d, fe: a.feNames[k]! }));
    });
    if (r.rows > 0) {
      notes.push(
        note('GLM_PERFECT_FIT_DROPPED', {
          count: r.rows,
          groups: r.groups.map((g, k) => `${g} of ${a.feNames[k]}`).join(', '),
          outcome: family.binary ? 'all-zero or all-one' : 'all-zero',
        }),
      );
    }
    n = count(keep);
    if (n === 0) throw new SpecrunError('NO_OBSERVATIONS', { model: a.model });
  }
  const rows = n < nAll ? indices(keep) : null;
  const take = (x: Float64Array): Float64Array => {
    if (!rows) return x;
    const out = new Float64Array(rows.length);
    for (let p = 0; p < rows.length; p++) out[p] = x[rows[p]!]!;
    return out;
  };
  const takeInt = (x: Int32Array): Int32Array => {
    if (!rows) return x;
    const out = new Int32Array(rows.length);
    for (let p = 0; p < rows.length; p++) out[p] = x[rows[p]!]!;
    return out;
  };
  const y = take(a.y);
  const w = a.weights ? take(a.weights) : null;
  const fe = buildFixedEffects(a.fe.map(takeInt));
  const hasFe = a.fe.length > 0;
  const names: string[] = [];
  const X: Float64Array[] = [];
  if (!hasFe && a.intercept) {
    names.push(INTERCEPT);
    X.push(new Float64Array(n).fill(1));
  }
  a.X.forEach((x, j) => {
    names.push(a.names[j]!);
    X.push(take(x));
  });

  // 4. fit
  let fit: ReturnType<typeof fitGlm>;
  try {
    fit = fitGlm({ y, X, fe: hasFe ? fe : null, weights: w, family });
  } catch (e) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model: a.model,
      detail: (e as Error).message,
      hint: 'check for regressors that separate the outcome perfectly',
    });
  }
  if (!fit.converged) notes.push(note('GLM_NOT_CONVERGED', { iter: fit.iterations }));
  if (!fit.demeanConverged) notes.push(note('FE_NOT_CONVERGED', { iter: 10000, change: 'above tolerance' }));
  if (a.X.length > 0 && fit.kept.filter((j) => names[j] !== INTERCEPT).length === 0)
    throw new SpecrunError('ALL_COLLINEAR', { model: a.model });
  if (fit.dropped.length)
    notes.push(note('COLLINEAR_DROPPED', { names: fit.dropped.map((j) => names[j]!).join(', ') }));
  return {
    kind: 'glm-fit',
    n,
    rows,
    names,
    kept: fit.kept,
    coef: fit.coef,
    bread: fit.bread,
    X: fit.X,
    residuals: fit.residuals,
    feCodes: hasFe ? fe.codes : [],
    feGroups: hasFe ? fe.ngroups : [],
    loglik: logLikelihood(family, y, fit.mu, fit.eta, w),
    loglikNull: nullLogLikelihood(family, y, w),
    deviance: fit.deviance,
    iterations: fit.iterations,
    notes,
  };
}

/**
 * Steps 5–6 for the variance choice of `a` (its `vcov` and cluster codes, on the arrays the fit was given): the
 * variance of the fit, z tests and the statistics.
 */
export function glmVariance(
  a: Pick<GlmArrays, 'model' | 'vcov' | 'clusters' | 'feNames'>,
  f: GlmArraysFit,
): GlmEstimate {
  const { n, names } = f;
  const hasFe = f.feCodes.length > 0;
  const fe = { codes: f.feCodes, ngroups: f.feGroups };
  const takeInt = (x: Int32Array): Int32Array => {
    if (!f.rows) return x;
    const out = new Int32Array(f.rows.length);
    for (let p = 0; p < f.rows.length; p++) out[p] = x[f.rows[p]!]!;
    return out;
  };
  // 5. variance (dispersion 1: with rss = N − 1 the OLS iid raw matrix e'e/(N−1)·B is the bread itself)
  const clusters: ClusterCodes[] = a.clusters.map((c, j) => {
    const k = a.feNames.indexOf(a.vcov.cluster[j]!);
    if (k >= 0 && hasFe) return { codes: fe.codes[k]!, ngroups: fe.ngroups[k]! };
    const d = buildFixedEffects([takeInt(c)]);
    return { codes: d.codes[0]!, ngroups: d.ngroups[0]! };
  });
  const feNested = fe.codes.map((codes, k) =>
    clusters.some((c) => c.codes === codes || isNested(codes, fe.ngroups[k]!, c.codes)),
  );
  const m = f.kept.length;
  const kAll = m + (hasFe ? 1 + fe.ngroups.reduce((s, g) => s + g - 1, 0) : 0);
  if (n - kAll <= 0) throw new SpecrunError('NO_RESIDUAL_DF', { model: a.model, n, k: kAll });
  clusters.forEach((c, j) => {
    if (c.ngroups < 2)
      throw new SpecrunError('VCOV_ONE_CLUSTER', { model: a.model, name: a.vcov.cluster[j]!, count: c.ngroups });
  });
  const v = computeVcov(a.vcov, { bread: f.bread, X: f.X, residuals: f.residuals, rss: n - 1 }, clusters, {
    n,
    kSlopes: m,
    feSizes: hasFe ? fe.ngroups : [],
    feNested,
  });
  const coefficients: Record<string, CoefficientResult> = {};
  f.kept.forEach((j, p) => {
    const estimate = f.coef[p]!;
    const se = Math.sqrt(v.V[p * m + p]!);
    const z = Number.isFinite(se) ? estimate / se : NaN;
    coefficients[names[j]!] = { estimate, se: orNull(se), t: orNull(z), p: orNull(pValueNormal(z)) };
  });

  // 6. statistics
  const ll = f.loglik;
  const ll0 = f.loglikNull;
  const nparams = kAll;
  const stats: Record<string, number | null> = {
    loglik: orNull(ll),
    ll_null: orNull(ll0),
    pseudo_r2: orNull(1 - ll / ll0),
    deviance: orNull(f.deviance),
    aic: orNull(-2 * ll + 2 * nparams),
    bic: orNull(-2 * ll + nparams * Math.log(n)),
    nparams,
    iterations: f.iterations,
    clusters: v.clusters.length ? v.clusters[0]! : null,
  };
  return { nobs: n, coefficients, stats, notes: [...f.notes] };
}

function count(keep: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < keep.length; i++) s += keep[i]!;
  return s;
}

function indices(keep: Uint8Array): Int32Array {
  const out = new Int32Array(count(keep));
  let p = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[p++] = i;
  return out;
}

function orNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
