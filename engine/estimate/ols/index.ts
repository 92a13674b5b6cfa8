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
import { groupCodes, type Column, type Frame } from '../../data/frame.js';
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { OlsPlan, VcovPlan } from '../../normalize/plan.js';
import type { CoefficientResult, ModelResult } from '../../results/types.js';
import { pValueT } from '../../numerics/distributions.js';
import type { ColumnCache, EstimationData, Estimator } from '../types.js';
import { contentHash } from './demean-cache.js';
import { DEFAULT_DEMEAN_TOL, demeanColumns, type DemeanOptions } from './demean.js';
import { fitOls, type OlsFit } from './fit.js';
import { buildFixedEffects, dropSingletons, isNested, type FixedEffects } from './fixed-effects.js';
import { computeVcov, type ClusterCodes } from './vcov.js';

export { withinTransform, demeanColumns, DEFAULT_DEMEAN_TOL, type DemeanOptions, type DemeanResult } from './demean.js';
export { DemeanCache, contentHash } from './demean-cache.js';
export { fitOls, COLLINEARITY_TOL, type OlsFit } from './fit.js';
export { buildFixedEffects, dropSingletons, isNested, type FixedEffects } from './fixed-effects.js';
export {
  clusterVcov, computeVcov, fixefK, heteroVcov, iidVcov, twoWayClusterVcov, vcovEstimators,
  type ClusterCodes, type DofInfo, type VcovResult,
} from './vcov.js';

export const INTERCEPT = '(Intercept)';

/** Options of the lower-level entry point (the estimator uses the defaults). */
export interface OlsOptions {
  readonly demean?: DemeanOptions;
}

/** The fixest-style name of a variance plan: `iid`, `hc1`, `cluster(firm)`, `cluster(firm, year)`. */
export function vcovName(v: VcovPlan): string {
  return v.type === 'cluster' ? `cluster(${v.cluster.join(', ')})` : v.type;
}

export const olsEstimator: Estimator<OlsPlan> = {
  kind: 'ols',
  estimate(plan: OlsPlan, data: EstimationData): ModelResult {
    return estimateOls(plan, data.frame, data.demeanCache ?? null, {});
  },
};

export function estimateOls(plan: OlsPlan, frame: Frame, cache: ColumnCache | null, options: OlsOptions): ModelResult {
  const notes: Note[] = [];
  const model = plan.id;
  // 1. columns
  const y = numericColumn(frame, plan.dependent.name, model);
  const xs = plan.regressors.map((t) => numericColumn(frame, t.name, model));
  const codeMemo = new Map<string, Int32Array>();
  const codesFor = (name: string): Int32Array => {
    let c = codeMemo.get(name);
    if (!c) { c = codesOf(columnOf(frame, name, model)); codeMemo.set(name, c); }
    return c;
  };
  const feRaw = plan.fixedEffects.map(codesFor);
  const clusterNames = plan.vcov.type === 'cluster' ? plan.vcov.cluster : [];
  if (clusterNames.length > 2) {
    throw new SpecrunError('ESTIMATION_FAILED', { model, detail: `clustering on ${clusterNames.length} variables is not supported`, hint: 'cluster on one variable, or two (two-way clustering)' });
  }
  const clRaw = clusterNames.map(codesFor);

  // 2. complete cases
  const nAll = frame.nrows;
  const keep = new Uint8Array(nAll).fill(1);
  markMissing(keep, y);
  for (const x of xs) markMissing(keep, x);
  for (const c of feRaw) markNegative(keep, c);
  for (const c of clRaw) markNegative(keep, c);
  const nComplete = count(keep);
  if (nComplete < nAll) notes.push(note('MISSING_DROPPED', { count: nAll - nComplete }));
  if (nComplete === 0) throw new SpecrunError('NO_OBSERVATIONS', { model });

  // 3. singletons
  if (feRaw.length > 0) {
    const dropped = dropSingletons(feRaw, keep);
    dropped.forEach((d, k) => {
      if (d > 0) notes.push(note('SINGLETONS_DROPPED', { count: d, fe: plan.fixedEffects[k]! }));
    });
  }
  const n = count(keep);
  if (n === 0) throw new SpecrunError('NO_OBSERVATIONS', { model });
  // Copy the sample's rows only when some were dropped (the columns are never written to).
  const rows = n < nAll ? indicesOf(keep) : null;
  const yS = rows ? gather(y, rows) : y;
  const xS = xs.map((x) => (rows ? gather(x, rows) : x));
  const fe = buildFixedEffects(feRaw.map((c) => (rows ? gatherInt(c, rows) : c)));
  const clusters: ClusterCodes[] = clRaw.map((c, j) => {
    // a cluster variable that is also a fixed effect reuses its dense codes
    const k = plan.fixedEffects.indexOf(clusterNames[j]!);
    if (k >= 0) return { codes: fe.codes[k]!, ngroups: fe.ngroups[k]! };
    const d = buildFixedEffects([rows ? gatherInt(c, rows) : c]);
    return { codes: d.codes[0]!, ngroups: d.ngroups[0]! };
  });

  // 4. the regressor matrix (intercept first when there are no fixed effects) and the within transformation
  const hasFe = fe.codes.length > 0;
  const names: string[] = [];
  const cols: Float64Array[] = [];
  if (!hasFe && plan.intercept) {
    names.push(INTERCEPT);
    cols.push(new Float64Array(n).fill(1));
  }
  plan.regressors.forEach((t, j) => { names.push(t.name); cols.push(xS[j]!); });
  const scale = cols.map(collinearityScale);
  let yT = yS;
  let xT = cols;
  if (hasFe) {
    const d = demeanShared([yS, ...cols], fe, cache, options.demean ?? {});
    yT = d.values[0]!;
    xT = d.values.slice(1);
    if (!d.converged) notes.push(note('FE_NOT_CONVERGED', { iter: d.iterations, change: d.change.toExponential(2) }));
  }

  // 5. fit
  const fit = fitOls(yT, xT, scale);
  const slopesLeft = fit.kept.filter((j) => names[j] !== INTERCEPT).length;
  if (plan.regressors.length > 0 && slopesLeft === 0) throw new SpecrunError('ALL_COLLINEAR', { model });
  if (fit.dropped.length > 0) notes.push(note('COLLINEAR_DROPPED', { names: fit.dropped.map((j) => names[j]!).join(', ') }));

  // 6. variance: undefined without residual degrees of freedom or with a single cluster, which is an error rather
  //    than a table of coefficients with blank standard errors and no stars
  const kFe0 = fe.codes.length ? 1 + fe.ngroups.reduce((s, g) => s + g - 1, 0) : 0;
  if (n - (fit.kept.length + kFe0) <= 0) {
    throw new SpecrunError('NO_RESIDUAL_DF', { model, n, k: fit.kept.length + kFe0 });
  }
  clusters.forEach((c, j) => {
    if (c.ngroups < 2) throw new SpecrunError('VCOV_ONE_CLUSTER', { model, name: clusterNames[j]!, count: c.ngroups });
  });
  const feNested = fe.codes.map((codes, k) => clusters.some((c) => c.codes === codes || isNested(codes, fe.ngroups[k]!, c.codes)));
  const info = { n, kSlopes: fit.kept.length, feSizes: fe.ngroups, feNested };
  const v = computeVcov(plan.vcov, fit, clusters, info);

  const m = fit.kept.length;
  const coefficients: Record<string, CoefficientResult> = {};
  fit.kept.forEach((j, p) => {
    const estimate = fit.coef[p]!;
    const se = Math.sqrt(v.V[p * m + p]!);
    // No t or p without a finite SE (an infinite SE used to give t = 0 beside se = null).
    const t = Number.isFinite(se) ? estimate / se : NaN;
    coefficients[names[j]!] = { estimate, se: finiteOrNull(se), t: finiteOrNull(t), p: finiteOrNull(pValueT(t, v.dfT)) };
  });

  // 6b. Stata's constant for a fixed-effects model (plan.constant), after the slopes as Stata lists it
  if (hasFe && plan.constant) {
    const c = stataConstant(yS, fit.kept.map((j) => cols[j]!), fit, (aug) => computeVcov(plan.vcov, aug, clusters, info).V);
    coefficients[INTERCEPT] = {
      estimate: c.estimate, se: finiteOrNull(c.se), t: finiteOrNull(c.estimate / c.se),
      p: finiteOrNull(pValueT(c.estimate / c.se, v.dfT)),
    };
  }

  // 7. statistics
  const tss = centeredSumSq(yS);
  let tssWithin = 0;
  for (let i = 0; i < n; i++) tssWithin += yT[i]! * yT[i]!;
  const kFe = fe.codes.length ? 1 + fe.ngroups.reduce((s, g) => s + g - 1, 0) : 0;
  const kFull = m + kFe;
  const r2 = 1 - fit.rss / tss;
  // An exact fit is almost never economics: a regressor is the dependent variable under another name.
  if (fit.kept.length > 0 && (hasFe ? tssWithin : tss) > 0 && fit.rss <= 1e-20 * (hasFe ? tssWithin : tss)) {
    notes.push(note('PERFECT_FIT', { model, name: plan.dependent.name }));
  }
  // Without fixed effects or intercept, R² is uncentered (lm's convention for a model through the origin).
  const r2NoConst = !hasFe && !plan.intercept ? 1 - fit.rss / sumSq(yS) : r2;
  const stats: Record<string, number | null> = {
    r2: finiteOrNull(r2NoConst),
    r2_adj: finiteOrNull(1 - (1 - r2NoConst) * ((hasFe || plan.intercept ? n - 1 : n) / (n - kFull))),
    r2_within: hasFe ? finiteOrNull(1 - fit.rss / tssWithin) : null,
    r2_within_adj: hasFe ? finiteOrNull(1 - (fit.rss / tssWithin) * ((n - kFe) / (n - kFull))) : null,
    rmse: finiteOrNull(Math.sqrt(fit.rss / n)),
    df_resid: n - kFull,
    df_t: v.dfT,
    clusters: v.clusters.length ? v.clusters[0]! : null,
  };

  return {
    estimator: 'ols',
    nobs: n,
    coefficients,
    stats,
    fixedEffects: [...plan.fixedEffects],
    vcov: vcovName(plan.vcov),
    notes,
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
  y: Float64Array, rawCols: readonly Float64Array[], fit: OlsFit,
  vcovOf: (augmented: Pick<OlsFit, 'bread' | 'X' | 'residuals' | 'rss'>) => Float64Array,
): { estimate: number; se: number } {
  const n = y.length;
  const m = fit.kept.length;
  const mean = (x: Float64Array) => { let s = 0; for (let i = 0; i < n; i++) s += x[i]!; return s / n; };
  const xbar = rawCols.map(mean);
  let estimate = mean(y);
  for (let j = 0; j < m; j++) estimate -= xbar[j]! * fit.coef[j]!;
  const w = new Float64Array(m); // B x̄
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) w[a] += fit.bread[a * m + b]! * xbar[b]!;
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
  const X = [new Float64Array(n).fill(1), ...fit.X.map((x, j) => { const z = new Float64Array(n); for (let i = 0; i < n; i++) z[i] = x[i]! + xbar[j]!; return z; })];
  const V = vcovOf({ bread, X, residuals: fit.residuals, rss: fit.rss });
  return { estimate, se: Math.sqrt(V[0]!) };
}

/** Demean [y, ...X] together, reusing (and filling) the cache for columns already demeaned on this sample. */
function demeanShared(cols: Float64Array[], fe: FixedEffects, cache: ColumnCache | null, opts: DemeanOptions) {
  if (!cache) return demeanColumns(cols, fe, opts);
  const feKey = fe.codes.map((c) => contentHash(c)).join('+') + `@${opts.tol ?? DEFAULT_DEMEAN_TOL}/${opts.accelerate ?? true}/${opts.exactTwoWay ?? true}`;
  const keys = cols.map((c) => `${feKey}:${contentHash(c)}`);
  const out: (Float64Array | undefined)[] = keys.map((k) => cache.get(k));
  const missing = out.map((v, j) => (v ? -1 : j)).filter((j) => j >= 0);
  let iterations = 0, converged = true, change = 0;
  if (missing.length > 0) {
    const d = demeanColumns(missing.map((j) => cols[j]!), fe, opts);
    missing.forEach((j, p) => { out[j] = d.values[p]!; cache.set(keys[j]!, d.values[p]!); });
    iterations = d.iterations; converged = d.converged; change = d.change;
  }
  return { values: out as Float64Array[], iterations, converged, change };
}

function columnOf(frame: Frame, name: string, model: string): Column {
  const c = frame.get(name);
  if (!c) throw new SpecrunError('ESTIMATION_FAILED', { model, detail: `no column ${name} in the data given to the estimator`, hint: 'this is a bug in specrun: the column should have been built before estimation' });
  return c;
}

function numericColumn(frame: Frame, name: string, model: string): Float64Array {
  const c = columnOf(frame, name, model);
  if (!(c instanceof Float64Array)) {
    throw new SpecrunError('ESTIMATION_FAILED', { model, detail: `${name} is a text column and cannot be a regressor`, hint: 'use a numeric variable, or put a categorical variable after | as a fixed effect' });
  }
  return c;
}

/**
 * The reference size for the collinearity test: the column's centered sum of squares, or its raw sum of squares
 * when it is constant (so a constant column is compared with its level and found collinear with the fixed effects).
 */
function collinearityScale(x: Float64Array): number {
  const n = x.length;
  // one pass, shifted by the first value so that a large mean does not cancel the variation
  const x0 = n > 0 ? x[0]! : 0;
  let s = 0, ss = 0, r = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!, d = v - x0;
    s += d; ss += d * d; r += v * v;
  }
  const c = Math.max(ss - (s * s) / n, 0);
  return c > 1e-14 * r ? c : r;
}

/**
 * Group codes of a fixed-effect or cluster column (-1 when missing). Integer-valued numeric columns of moderate
 * range (ids, years) are coded through a lookup table, text columns use their factor codes; anything else goes
 * through the frame's generic groupCodes.
 */
function codesOf(col: Column): Int32Array {
  if (!(col instanceof Float64Array)) return col.codes;
  const n = col.length;
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v !== v) continue;
    if (v !== Math.floor(v)) return groupCodes(col).codes;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return new Int32Array(n).fill(-1);
  const range = max - min;
  if (range > 4 * n + 1024) return groupCodes(col).codes;
  const table = new Int32Array(range + 1).fill(-1);
  const codes = new Int32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v !== v) { codes[i] = -1; continue; }
    const t = v - min;
    let c = table[t]!;
    if (c < 0) { c = next++; table[t] = c; }
    codes[i] = c;
  }
  return codes;
}

/** Σ(x − x̄)², in two passes (the mean first, so the squares do not cancel). */
function centeredSumSq(x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const mean = s / n;
  let c = 0;
  for (let i = 0; i < n; i++) { const d = x[i]! - mean; c += d * d; }
  return c;
}

function sumSq(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}

function markMissing(keep: Uint8Array, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) keep[i] = 0;
}

function markNegative(keep: Uint8Array, c: Int32Array): void {
  for (let i = 0; i < c.length; i++) if (c[i]! < 0) keep[i] = 0;
}

function count(keep: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < keep.length; i++) s += keep[i]!;
  return s;
}

function indicesOf(keep: Uint8Array): Int32Array {
  const out = new Int32Array(count(keep));
  let p = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[p++] = i;
  return out;
}

function gather(x: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = x[rows[i]!]!;
  return out;
}

function gatherInt(x: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = x[rows[i]!]!;
  return out;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
