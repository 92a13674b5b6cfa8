/**
 * Ordinary least squares with any number of absorbed fixed effects:
 *
 *     y_i = x_i'β + Σ_k α_k[g_k(i)] + ε_i,     β̂ = (X̃'X̃)⁻¹X̃'ỹ,
 *
 * where ˜ is the within transformation (demean.ts). Without fixed effects a constant `(Intercept)` is estimated.
 *
 * Stages:
 *   1. resolve the columns (dependent, regressors, fixed effects, cluster variables) as typed arrays;
 *   2. drop rows with a missing value in any of them (note MISSING_DROPPED);
 *   3. drop singleton groups of every fixed effect, iteratively (note SINGLETONS_DROPPED);
 *   4. demean y and X together (shared through EstimationData.demeanCache when given);
 *   5. fit, dropping exactly collinear regressors (note COLLINEAR_DROPPED; none left: ALL_COLLINEAR);
 *   6. the variance, afterwards, by the swappable estimator of the plan (vcov.ts), with fixest's ssc();
 *   7. statistics: r2, r2_adj, r2_within, r2_within_adj, rmse, df_resid, df_t, clusters.
 */
import type { Frame } from '../../core/frame.js';
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { OlsPlan, VcovPlan } from '../../normalize/plan.js';
import type { CoefficientResult, ModelResult } from '../../results/types.js';
import { pValueT } from '../../numerics/distributions.js';
import type { ColumnCache, EstimationData, Estimator, PlanFields } from '../types.js';
import type { OlsModel } from './spec.js';
import {
  INTERCEPT,
  LINEAR_FINGERPRINT_FIELDS,
  linearCoefficientNames,
  linearFingerprint,
  linearInputs,
  linearTerms,
  normalizeLinear,
} from './linear-module.js';
import { contentHash } from './demean-cache.js';
import { DEFAULT_DEMEAN_TOL, demeanColumns, type DemeanOptions } from './demean.js';
import { COLLINEARITY_TOL, fitOls, type OlsFit } from './fit.js';
import { ColumnProducts } from '../../numerics/linalg.js';
import { isNested, type FixedEffects } from './fixed-effects.js';
import { computeVcov, type ScoresPool, type VcovResult } from './vcov.js';
import {
  linearClusters,
  linearFitWithoutVcov,
  linearSample,
  numericColumn,
  type LinearSample,
} from './linear-sample.js';
import { fitThenVariance } from '../fit-variance.js';
import type { SunabLayout } from '../terms/expand.js';
import { scaleBySqrtWeights, weightedDemean } from './weights.js';
import { expandDesign } from '../terms/expand.js';
import { aggregateSunab, replaceSunab } from '../terms/sunab.js';
import { wildForModel, type WildResult } from '../wild/index.js';
import type { Replicator } from '../replication-pool.js';

export { withinTransform, demeanColumns, DEFAULT_DEMEAN_TOL, type DemeanOptions, type DemeanResult } from './demean.js';
export { DemeanCache, contentHash } from './demean-cache.js';
export { fitOls, COLLINEARITY_TOL, type OlsFit } from './fit.js';
export { buildFixedEffects, dropSingletons, isNested, type FixedEffects } from './fixed-effects.js';
export {
  clusterVcov,
  computeVcov,
  fixefK,
  heteroVcov,
  iidVcov,
  twoWayClusterVcov,
  vcovEstimators,
  type ClusterCodes,
  type DofInfo,
  type VcovResult,
} from './vcov.js';

export { INTERCEPT };

/** Options of the lower-level entry point (the estimator uses the defaults). */
export interface OlsOptions {
  readonly demean?: DemeanOptions;
}

/** The fixest-style name of a variance plan: `iid`, `hc1`, `cluster(firm)`, `cluster(firm, year)`. */
export function vcovName(v: VcovPlan): string {
  return v.type === 'cluster' ? `cluster(${v.cluster.join(', ')})` : v.type;
}

export const olsEstimator: Estimator<OlsPlan, OlsModel, ModelResult, OlsModelFit> = {
  kind: 'ols',
  spec: { type: 'OlsModel', file: 'engine/estimate/ols/spec.ts' },
  // A formula with an IV part makes the model `iv` (engine/estimate/iv).
  normalize: (spec, ctx) => normalizeLinear(spec, ctx) as PlanFields<OlsPlan> | null,
  inputs: linearInputs,
  terms: linearTerms,
  coefficientNames: linearCoefficientNames,
  fingerprint: linearFingerprint,
  fingerprintFields: LINEAR_FINGERPRINT_FIELDS,
  varianceOnlyVcov: true,
  table: { layout: 'regression' },
  sharesDemeaning: true,
  ...fitThenVariance(
    (plan: OlsPlan, data: EstimationData) =>
      fitOlsModel(
        plan,
        data.frame,
        data.demeanCache ?? null,
        data.demeanPool ? { demean: { pool: data.demeanPool } } : {},
        { unit: data.unit, unitLabels: data.unitLabels ?? null },
      ),
    (plan: OlsPlan, fit: OlsModelFit, data: EstimationData) =>
      olsVariance(plan, fit, data.frame, data.replicationPool, data.demeanPool),
  ),
  fitWithoutVcov: linearFitWithoutVcov<OlsPlan>(),
};

/**
 * Everything the variances, statistics and notes of an OLS model need once it is fitted (stages 1–5); plain data and
 * typed arrays only, so that the result cache can keep it (engine/cache). `rows` indexes the model's data: the
 * variance reads its cluster variables there.
 */
export interface OlsModelFit {
  readonly kind: 'ols-fit';
  readonly n: number;
  /** Rows of the model's data in the sample (null: all of them). */
  readonly rows: Int32Array | null;
  /** The fixed effects on the sample (codes, group counts). */
  readonly fe: FixedEffects;
  readonly hasFe: boolean;
  /** The dependent variable on the sample, its within transform, and the weights (null: unweighted). */
  readonly y: Float64Array;
  readonly yT: Float64Array;
  readonly weights: Float64Array | null;
  /** The least-squares fit on the demeaned columns (kept regressors, coefficients, bread, residuals, rss). */
  readonly ls: OlsFit;
  /** Names of the kept regressors, in order. */
  readonly keptNames: readonly string[];
  /** Notes of stages 1–5 (design, sample, demeaning, collinearity). */
  readonly notes: readonly Note[];
  /** The fit is exact (PERFECT_FIT, reported after the variance's notes). */
  readonly perfectFit: boolean;
  /** Means of y and of the kept raw regressors on the sample, for Stata's constant (plan.constant). */
  readonly means: { readonly y: number; readonly x: readonly number[] } | null;
  /** sunab(): the layout and the kept cohort × period columns on the sample. */
  readonly sunab: { readonly layout: SunabLayout; readonly columns: Readonly<Record<string, Float64Array>> } | null;
}

export function estimateOls(
  plan: OlsPlan,
  frame: Frame,
  cache: ColumnCache | null,
  options: OlsOptions,
  ctx: { unit?: Int32Array | null; unitLabels?: readonly string[] | null } = {},
): ModelResult {
  return olsVariance(plan, fitOlsModel(plan, frame, cache, options, ctx), frame);
}

/** Stages 1–5: the sample, the within transformation and the least-squares fit. */
export function fitOlsModel(
  plan: OlsPlan,
  frame: Frame,
  cache: ColumnCache | null,
  options: OlsOptions,
  ctx: { unit?: Int32Array | null; unitLabels?: readonly string[] | null } = {},
): OlsModelFit {
  const model = plan.id;
  // 1. columns: the dependent variable and the design (x:z, i(), sunab() expanded, engine/estimate/terms)
  const labels = ctx.unitLabels;
  const design = expandDesign(plan.regressors, frame, {
    model,
    unit: ctx.unit ?? null,
    ...(labels ? { unitLabel: (u: number) => labels[u] ?? String(u) } : {}),
  });
  const y = numericColumn(frame, plan.dependent.name, model);
  // 2–3. complete cases, weights, singletons
  const s = linearSample(
    plan,
    frame,
    y,
    design.columns.map((c) => c.values),
  );
  const notes: Note[] = [...design.notes, ...s.notes];
  const { n, fe } = s;
  const yS = s.y;
  const xS = s.cols;

  // 4. the regressor matrix (intercept first when there are no fixed effects) and the within transformation
  const hasFe = fe.codes.length > 0;
  const names: string[] = [];
  const cols: Float64Array[] = [];
  if (!hasFe && plan.intercept) {
    names.push(INTERCEPT);
    cols.push(new Float64Array(n).fill(1));
  }
  design.columns.forEach((c, j) => {
    names.push(c.name);
    cols.push(xS[j]!);
  });
  const scale = cols.map(collinearityScale);
  // with demeaning threads, the main thread computes the cross products of the finished columns while it waits
  const products = options.demean?.pool ? new ColumnProducts() : undefined;
  const w = within([yS, ...cols], s, cache, { ...options.demean, ...(products ? { products } : {}) }, notes);
  const yT = w[0]!;
  const xT = w.slice(1);

  // 5. fit
  const fit = fitOls(yT, xT, scale, COLLINEARITY_TOL, products ? { products, sharedResiduals: true } : {});
  const slopesLeft = fit.kept.filter((j) => names[j] !== INTERCEPT).length;
  if (design.columns.length > 0 && slopesLeft === 0) throw new SpecrunError('ALL_COLLINEAR', { model });
  if (fit.dropped.length > 0)
    notes.push(note('COLLINEAR_DROPPED', { names: fit.dropped.map((j) => names[j]!).join(', ') }));
  const keptNames = fit.kept.map((j) => names[j]!);

  // An exact fit is almost never economics: a regressor is the dependent variable under another name.
  let tssWithin = 0;
  for (let i = 0; i < n; i++) tssWithin += yT[i]! * yT[i]!;
  const tssRef = hasFe ? tssWithin : centeredSumSq(yS);
  const perfectFit = fit.kept.length > 0 && tssRef > 0 && fit.rss <= 1e-20 * tssRef;

  const mean = (x: Float64Array) => {
    let t = 0;
    for (let i = 0; i < n; i++) t += x[i]!;
    return t / n;
  };
  const means = hasFe && plan.constant && !s.sqrtW ? { y: mean(yS), x: fit.kept.map((j) => mean(cols[j]!)) } : null;
  let sunab: OlsModelFit['sunab'] = null;
  if (design.sunab) {
    const columns: Record<string, Float64Array> = {};
    design.columns.forEach((c, j) => {
      if (design.sunab!.relative.has(c.name) && keptNames.includes(c.name)) columns[c.name] = s.cols[j]!;
    });
    sunab = { layout: design.sunab, columns };
  }
  return {
    kind: 'ols-fit',
    n,
    rows: s.rows,
    fe,
    hasFe,
    y: yS,
    yT,
    weights: s.weights,
    ls: fit,
    keptNames,
    notes,
    perfectFit,
    means,
    sunab,
  };
}

/**
 * Stages 6–7 from a fit: the variance by the swappable estimator of the plan (vcov.ts, fixest's ssc()), Stata's
 * constant, sunab() aggregation, the wild bootstrap and the statistics. `frame` is the model's data the fit was
 * computed on (its cluster variables are read there, on the fit's rows).
 */
export function olsVariance(
  plan: OlsPlan,
  f: OlsModelFit,
  frame: Frame,
  replicator?: Replicator,
  scoresPool?: ScoresPool,
): ModelResult {
  const model = plan.id;
  const fit = f.ls;
  const notes: Note[] = [...f.notes];
  const clusters = linearClusters(plan, frame, f.rows, f.fe);
  const s = { n: f.n, fe: f.fe, clusters, y: f.y, weights: f.weights };

  // 6. variance: undefined without residual degrees of freedom or with a single cluster, which is an error rather
  //    than a table of coefficients with blank standard errors and no stars
  checkVarianceDefined(s, fit.kept.length, plan, model);
  const info = dofInfo(s, fit.kept.length);
  const v = computeVcov(plan.vcov, fit, clusters, info, scoresPool);

  const m = fit.kept.length;
  const keptNames = f.keptNames;
  let coefficients: Record<string, CoefficientResult> = coefficientTable(keptNames, fit.coef, v.V, v.dfT);

  // 6b. Stata's constant for a fixed-effects model (plan.constant), after the slopes as Stata lists it
  if (f.hasFe && plan.constant) {
    if (f.weights)
      throw new SpecrunError('ESTIMATION_FAILED', {
        model,
        detail: 'constant: true is not available with weights',
        hint: 'remove constant: true (fixest reports no constant either)',
      });
    const c = stataConstant(f.means!, fit, (aug) => computeVcov(plan.vcov, aug, clusters, info).V);
    coefficients[INTERCEPT] = {
      estimate: c.estimate,
      se: finiteOrNull(c.se),
      t: finiteOrNull(c.estimate / c.se),
      p: finiteOrNull(pValueT(c.estimate / c.se, v.dfT)),
    };
  }

  // 6c. sunab(): the cohort × period coefficients aggregated per relative period, and the ATT
  let detail: Record<string, unknown> | undefined;
  if (f.sunab) {
    const columns = f.sunab.columns;
    const agg = aggregateSunab(f.sunab.layout, keptNames, fit.coef, v.V, (name) => columns[name]!, f.weights);
    coefficients = replaceSunab(coefficients, f.sunab.layout, agg, v.dfT);
    detail = {
      sunab: {
        period: f.sunab.layout.period,
        reference: f.sunab.layout.refPeriod,
        cohortCoefficients: agg.cohortCoefficients,
      },
    };
  }

  // 6d. the wild cluster bootstrap (inference.wild)
  if (plan.wild) {
    const wild = wildForModel(plan, fit, keptNames, clusters[0]!, v, notes, model, replicator);
    detail = { ...(detail ?? {}), wild };
  }

  // 7. statistics
  const stats = linearStats(s, f.yT, fit.rss, m, f.hasFe, plan.intercept, v);
  if (f.perfectFit) notes.push(note('PERFECT_FIT', { model, name: plan.dependent.name }));
  if (detail?.['wild']) {
    for (const [term, r] of Object.entries((detail['wild'] as WildResult).terms)) {
      stats[`wild_p:${term}`] = r.p;
      stats[`wild_ci_low:${term}`] = finiteOrNull(r.ci[0]);
      stats[`wild_ci_high:${term}`] = finiteOrNull(r.ci[1]);
    }
  }

  return {
    estimator: 'ols',
    nobs: f.n,
    coefficients,
    stats,
    fixedEffects: [...plan.fixedEffects],
    vcov: vcovName(plan.vcov),
    notes,
    ...(detail ? { detail } : {}),
  };
}

/** Coefficient rows (estimate, SE, t, p) of kept coefficients with variance V and t degrees of freedom dfT. */
export function coefficientTable(
  names: readonly string[],
  coef: ArrayLike<number>,
  V: Float64Array,
  dfT: number,
): Record<string, CoefficientResult> {
  const m = names.length;
  const out: Record<string, CoefficientResult> = {};
  names.forEach((name, p) => {
    const estimate = coef[p]!;
    const se = Math.sqrt(V[p * m + p]!);
    // No t or p without a finite SE (an infinite SE would give t = 0 beside se = null).
    const t = Number.isFinite(se) ? estimate / se : NaN;
    out[name] = { estimate, se: finiteOrNull(se), t: finiteOrNull(t), p: finiteOrNull(pValueT(t, dfT)) };
  });
  return out;
}

/** The variance is undefined without residual degrees of freedom or with a single cluster: an error, not blanks. */
export function checkVarianceDefined(
  s: Pick<LinearSample, 'n' | 'fe' | 'clusters'>,
  m: number,
  plan: { vcov: VcovPlan },
  model: string,
): void {
  const kFe = s.fe.codes.length ? 1 + s.fe.ngroups.reduce((a, g) => a + g - 1, 0) : 0;
  if (s.n - (m + kFe) <= 0) throw new SpecrunError('NO_RESIDUAL_DF', { model, n: s.n, k: m + kFe });
  s.clusters.forEach((c, j) => {
    if (c.ngroups < 2)
      throw new SpecrunError('VCOV_ONE_CLUSTER', { model, name: plan.vcov.cluster[j]!, count: c.ngroups });
  });
}

/** The small-sample information of a linear sample with m kept coefficients. */
export function dofInfo(s: Pick<LinearSample, 'n' | 'fe' | 'clusters'>, m: number) {
  const feNested = s.fe.codes.map((codes, k) =>
    s.clusters.some((c) => c.codes === codes || isNested(codes, s.fe.ngroups[k]!, c.codes)),
  );
  return { n: s.n, kSlopes: m, feSizes: s.fe.ngroups, feNested };
}

/**
 * The within transformation of [y, ...X] on the sample (weighted, then scaled by √w, when the model has weights);
 * without fixed effects only the √w scaling.
 */
export function within(
  cols: Float64Array[],
  s: LinearSample,
  cache: ColumnCache | null,
  opts: DemeanOptions,
  notes: Note[],
): Float64Array[] {
  const hasFe = s.fe.codes.length > 0;
  if (s.sqrtW) {
    let out = cols;
    if (hasFe) {
      const d = weightedDemean(cols, s.fe, s.weights!);
      if (!d.converged) notes.push(note('FE_NOT_CONVERGED', { iter: d.iterations, change: d.change.toExponential(2) }));
      out = d.values;
    }
    return out.map((c) => scaleBySqrtWeights(c, s.sqrtW!));
  }
  if (!hasFe) return cols;
  const d = demeanShared(cols, s.fe, cache, opts);
  if (!d.converged) notes.push(note('FE_NOT_CONVERGED', { iter: d.iterations, change: d.change.toExponential(2) }));
  return d.values;
}

/** r2, r2_adj, r2_within, r2_within_adj, rmse, df_resid, df_t, clusters (weighted sums of squares with weights). */
export function linearStats(
  s: Pick<LinearSample, 'n' | 'fe' | 'y' | 'weights'>,
  yT: Float64Array,
  rss: number,
  m: number,
  hasFe: boolean,
  intercept: boolean,
  v: VcovResult,
): Record<string, number | null> {
  const n = s.n;
  const tss = s.weights ? weightedCenteredSumSq(s.y, s.weights) : centeredSumSq(s.y);
  let tssWithin = 0;
  for (let i = 0; i < n; i++) tssWithin += yT[i]! * yT[i]!;
  const kFe = s.fe.codes.length ? 1 + s.fe.ngroups.reduce((a, g) => a + g - 1, 0) : 0;
  const kFull = m + kFe;
  const r2 = 1 - rss / tss;
  // Without fixed effects or intercept, R² is uncentered (lm's convention for a model through the origin).
  let raw = 0;
  if (!hasFe && !intercept) for (let i = 0; i < n; i++) raw += (s.weights ? s.weights[i]! : 1) * s.y[i]! * s.y[i]!;
  const r2NoConst = !hasFe && !intercept ? 1 - rss / raw : r2;
  return {
    r2: finiteOrNull(r2NoConst),
    r2_adj: finiteOrNull(1 - (1 - r2NoConst) * ((hasFe || intercept ? n - 1 : n) / (n - kFull))),
    r2_within: hasFe ? finiteOrNull(1 - rss / tssWithin) : null,
    r2_within_adj: hasFe ? finiteOrNull(1 - (rss / tssWithin) * ((n - kFe) / (n - kFull))) : null,
    rmse: finiteOrNull(Math.sqrt(rss / n)),
    df_resid: n - kFull,
    df_t: v.dfT,
    clusters: v.clusters.length ? v.clusters[0]! : null,
  };
}

/**
 * The constant Stata's `xtreg, fe` and `reghdfe` report: the intercept a of the regression of ỹ + ȳ on [1, X̃ + x̄].
 * Because the demeaned columns sum to zero, its slopes are β (Frisch–Waugh–Lovell) and a = ȳ − x̄'β. Its variance
 * comes from the same variance estimator applied to that augmented design, whose bread is the block inverse
 *     (Z'Z)⁻¹ = [[1/N + x̄'Bx̄, −(Bx̄)'], [−Bx̄, B]],   B = (X̃'X̃)⁻¹,
 * with the same residuals and the same small-sample factor (Stata's K already counts the constant).
 */
function stataConstant(
  means: { readonly y: number; readonly x: readonly number[] },
  fit: OlsFit,
  vcovOf: (augmented: Pick<OlsFit, 'bread' | 'X' | 'residuals' | 'rss'>) => Float64Array,
): { estimate: number; se: number } {
  const n = fit.residuals.length;
  const m = fit.kept.length;
  const xbar = means.x;
  let estimate = means.y;
  for (let j = 0; j < m; j++) estimate -= xbar[j]! * fit.coef[j]!;
  const w = new Float64Array(m); // B x̄
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) w[a] = w[a]! + fit.bread[a * m + b]! * xbar[b]!;
  const k = m + 1;
  const bread = new Float64Array(k * k);
  let xbw = 0;
  for (let j = 0; j < m; j++) xbw += xbar[j]! * w[j]!;
  bread[0] = 1 / n + xbw;
  for (let j = 0; j < m; j++) {
    bread[j + 1] = -w[j]!;
    bread[(j + 1) * k] = -w[j]!;
    for (let l = 0; l < m; l++) bread[(j + 1) * k + l + 1] = fit.bread[j * m + l]!;
  }
  const X = [
    new Float64Array(n).fill(1),
    ...fit.X.map((x, j) => {
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) z[i] = x[i]! + xbar[j]!;
      return z;
    }),
  ];
  const V = vcovOf({ bread, X, residuals: fit.residuals, rss: fit.rss });
  return { estimate, se: Math.sqrt(V[0]!) };
}

/**
 * Demean [y, ...X] together, reusing (and filling) the cache for columns already demeaned on this sample. Only exact
 * demeaning (one fixed effect, or two by the exact solver) is shared. Iterative demeaning also transforms each column
 * by itself, but a column taken from the cache would not report that it did not converge (FE_NOT_CONVERGED, with its
 * sweeps and last change): the model's notes would depend on which models ran before it, and on which worker thread
 * (engine/run/parallel.ts). So a model's result depends only on its own plan and data.
 */
function demeanShared(cols: Float64Array[], fe: FixedEffects, cache: ColumnCache | null, opts: DemeanOptions) {
  if (!cache) return demeanColumns(cols, fe, opts);
  const feKey =
    fe.codes.map((c) => contentHash(c)).join('+') +
    `@${opts.tol ?? DEFAULT_DEMEAN_TOL}/${opts.accelerate ?? true}/${opts.exactTwoWay ?? true}`;
  const keys = cols.map((c) => `${feKey}:${contentHash(c)}`);
  const out: (Float64Array | undefined)[] = keys.map((k) => cache.get(k));
  const missing = out.map((v, j) => (v ? -1 : j)).filter((j) => j >= 0);
  let iterations = 0,
    converged = true,
    change = 0;
  if (missing.length > 0) {
    const d = demeanColumns(
      missing.map((j) => cols[j]!),
      fe,
      opts,
    );
    const exact = d.method === 'one-way' || d.method === 'two-way-exact';
    missing.forEach((j, p) => {
      out[j] = d.values[p]!;
      if (exact) cache.set(keys[j]!, d.values[p]!);
    });
    iterations = d.iterations;
    converged = d.converged;
    change = d.change;
  }
  return { values: out as Float64Array[], iterations, converged, change };
}

/**
 * The reference size for the collinearity test: the column's centered sum of squares, or its raw sum of squares
 * when it is constant (so a constant column is compared with its level and found collinear with the fixed effects).
 */
function collinearityScale(x: Float64Array): number {
  const n = x.length;
  // one pass, shifted by the first value so that a large mean does not cancel the variation
  const x0 = n > 0 ? x[0]! : 0;
  let s = 0,
    ss = 0,
    r = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!,
      d = v - x0;
    s += d;
    ss += d * d;
    r += v * v;
  }
  const c = Math.max(ss - (s * s) / n, 0);
  return c > 1e-14 * r ? c : r;
}

/** Σ(x − x̄)², in two passes (the mean first, so the squares do not cancel). */
function centeredSumSq(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const mean = s / n;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    c += d * d;
  }
  return c;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Σ w (y − ȳ_w)², ȳ_w the weighted mean. */
function weightedCenteredSumSq(y: Float64Array, w: Float64Array): number {
  let sw = 0,
    s = 0;
  for (let i = 0; i < y.length; i++) {
    sw += w[i]!;
    s += w[i]! * y[i]!;
  }
  const mean = s / sw;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    const d = y[i]! - mean;
    c += w[i]! * d * d;
  }
  return c;
}
