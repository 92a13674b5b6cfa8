/**
 * Hansen's (1999) fixed-effect panel threshold model, from typed arrays to a result (CONVENTIONS.md has every
 * rule). Stages:
 *
 *   1. complete cases; a balanced panel is required (the bootstrap resamples whole units' residual vectors);
 *   2. within transformation by unit of y and the regime-independent regressors;
 *   3. sequential estimation (sequentialFit): γ₁ by grid search; for two thresholds γ₂ given γ₁, then γ₁ refined
 *      given γ₂; for three γ₃ given the refined pair. F_k = (S_{k−1} − S_k)/σ̂²_k, σ̂²_k = S_k/(N − G);
 *   4. likelihood-ratio confidence intervals: {γ : (S(γ) − S(γ̂))/σ̂² ≤ −2 log(1 − √(1 − α))}, α = 0.05, on the curve
 *      of the search that produced the estimate;
 *   5. the bootstrap p-value of each F_k (Hansen's fixed-regressor bootstrap under the null of k − 1 thresholds);
 *   6. the regime coefficients by least squares with the thresholds fixed, variance by ols/vcov.ts (unit FE).
 */
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { VcovPlan } from '../../normalize/plan.js';
import { pValueT } from '../../numerics/distributions.js';
import type { CoefficientResult } from '../../results/types.js';
import { Xoshiro128 } from '../mediation/prng.js';
import { replicate, type ReplicationKernel, type Replicator } from '../replication-pool.js';
import { buildFixedEffects, isNested } from '../ols/fixed-effects.js';
import { computeVcov, type ClusterCodes } from '../ols/vcov.js';
import {
  design,
  leastSquares,
  searchThreshold,
  thresholdData,
  withinUnit,
  type SearchResult,
  type ThresholdData,
} from './search.js';

/** −2 log(1 − √(1 − α)) for α = 0.05: Hansen's (2000) critical value of the likelihood ratio for γ. */
export const LR_CRITICAL_95 = -2 * Math.log(1 - Math.sqrt(0.95));

export interface ThresholdArrays {
  readonly model: string;
  readonly y: Float64Array;
  readonly X: readonly Float64Array[];
  readonly names: readonly string[];
  readonly R: readonly Float64Array[];
  readonly regimeNames: readonly string[];
  readonly q: Float64Array;
  readonly qName: string;
  /** Unit codes (−1 = missing) and time per row. */
  readonly unit: Int32Array;
  readonly time: Float64Array;
  readonly unitName: string;
  readonly thresholds: 1 | 2 | 3;
  readonly trim: number;
  readonly reps: number;
  readonly seed: number;
  readonly vcov: VcovPlan;
  readonly clusters: readonly Int32Array[];
}

export interface ThresholdEstimate {
  readonly nobs: number;
  readonly coefficients: Record<string, CoefficientResult>;
  readonly stats: Record<string, number | null>;
  readonly notes: Note[];
  readonly detail: ThresholdDetail;
}

export interface ThresholdDetail {
  /** Final thresholds, ascending, with their 95% LR intervals. */
  readonly thresholds: { readonly gamma: number; readonly lower: number; readonly upper: number }[];
  /** Per test k = 1..m: F_k, its bootstrap p-value and critical values (90%, 95%, 99% quantiles of F*). */
  readonly tests: {
    readonly f: number;
    readonly p: number;
    readonly crit10: number;
    readonly crit5: number;
    readonly crit1: number;
  }[];
  /** SSR of the model with 0..m thresholds (each stage's final set). */
  readonly ssr: number[];
  /** The number of candidate values of q searched for the first threshold. */
  readonly candidates: number;
}

interface Stage {
  /** Thresholds after this stage, in estimation order (γ₁, γ₂, …). */
  readonly gammas: number[];
  /** SSR at those thresholds, and the SSR of the search that produced F (before refinement). */
  readonly ssr: number;
  readonly ssrSearch: number;
  /** The search curves from which each γ's interval comes (same order as gammas), with their σ̂². */
  readonly curves: { readonly search: SearchResult; readonly sigma2: number }[];
}

/** Sequential estimation up to m thresholds; null when a stage has no admissible candidate. */
export function sequentialFit(
  d: ThresholdData,
  y: Float64Array,
  m: number,
  dof: number,
): { ssr0: number; stages: Stage[] } | null {
  const ssr0 = leastSquares(y, design(d, [])).ssr;
  const stages: Stage[] = [];
  let gammas: number[] = [];
  let curves: { search: SearchResult; sigma2: number }[] = [];
  for (let k = 1; k <= m; k++) {
    const sorted = [...gammas].sort((a, b) => a - b);
    const s = searchThreshold(d, y, sorted);
    if (!s) return null;
    const ssrSearch = s.ssr;
    gammas = [...gammas, s.gamma];
    curves = [...curves, { search: s, sigma2: s.ssr / dof }];
    let ssr = s.ssr;
    if (k === 2) {
      // Hansen's refinement: γ₁ again, given γ₂
      const r = searchThreshold(d, y, [gammas[1]!]);
      if (!r) return null;
      gammas = [r.gamma, gammas[1]!];
      curves = [{ search: r, sigma2: r.ssr / dof }, curves[1]!];
      ssr = r.ssr;
    }
    stages.push({ gammas, ssr, ssrSearch, curves });
  }
  return { ssr0, stages };
}

/**
 * A fitted threshold model (steps 1–6 up to the regime coefficients): plain data and typed arrays, so that the
 * result cache can keep it; the variance (`thresholdVariance`) is a function of it and the variance choice, so a
 * change of `vcov` alone reuses the search and the bootstrap.
 */
export interface ThresholdArraysFit {
  readonly kind: 'threshold-fit';
  readonly n: number;
  readonly G: number;
  /** The rows of the arrays given, ordered by unit then time; `unit` their dense unit codes. */
  readonly ord: Int32Array;
  readonly unit: Int32Array;
  /** Every column name of the regime design; `kept` indexes it. */
  readonly names: readonly string[];
  readonly kept: readonly number[];
  readonly columns: number;
  readonly coef: Float64Array;
  readonly bread: Float64Array;
  /** The kept columns of the regime design, within-transformed, on the ordered rows. */
  readonly X: readonly Float64Array[];
  readonly residuals: Float64Array;
  readonly ssr: number;
  readonly intervals: ThresholdDetail['thresholds'];
  readonly tests: ThresholdDetail['tests'];
  readonly ssrs: number[];
  readonly candidates: number;
  readonly notes: readonly Note[];
}

/**
 * One replication of Hansen's bootstrap F test k (step 5 of fitThresholdArrays) as a replication kernel
 * (engine/estimate/replication-pool.ts): y* = fitted values of the model with k − 1 thresholds plus the residual
 * vectors of the units drawn (drawn up front, G per replication, in replication order), then the k-threshold
 * sequential search on y*, giving F*_k = (SSR_{k−1} − SSR_k)/(SSR_k / dof), or NaN when the search finds no fit.
 */
export interface ThresholdBootSetup {
  readonly d: ThresholdData;
  readonly fitted: Float64Array;
  /** Residuals of the k-threshold model, unit by unit (T per unit). */
  readonly e: Float64Array;
  readonly k: number;
  readonly dof: number;
  readonly G: number;
  readonly T: number;
  /** The units drawn: G per replication. */
  readonly picks: Int32Array;
}

export const thresholdBootKernel: ReplicationKernel<ThresholdBootSetup, ThresholdBootSetup & { ys: Float64Array }> = {
  kind: 'threshold',
  prepare: (s) => ({ ...s, ys: new Float64Array(s.G * s.T) }),
  replicate(s, b, out) {
    const { G, T, fitted, e, ys, picks, k } = s;
    for (let u = 0; u < G; u++) {
      const from = picks[b * G + u]!;
      for (let t = 0; t < T; t++) ys[u * T + t] = fitted[u * T + t]! + e[from * T + t]!;
    }
    const f = sequentialFit(s.d, ys, k, s.dof);
    if (!f) {
      out[0] = NaN;
      return;
    }
    const prev = k === 1 ? f.ssr0 : f.stages[k - 2]!.ssr;
    const ssr = f.stages[k - 1]!.ssrSearch;
    out[0] = (prev - ssr) / (ssr / s.dof);
  },
};

/** Fit and variance in turn. */
export function estimateThresholdArrays(a: ThresholdArrays): ThresholdEstimate {
  return thresholdVariance(a, fitThresholdArrays(a));
}

/** Steps 1–6: complete cases (cluster variables included), the sequential search, the bootstrap, the regime fit. */
export function fitThresholdArrays(a: ThresholdArrays, replicator?: Replicator): ThresholdArraysFit {
  const notes: Note[] = [];
  // 1. complete cases and a balanced panel
  const nAll = a.y.length;
  const rows: number[] = [];
  for (let i = 0; i < nAll; i++) {
    if (a.unit[i]! < 0 || !Number.isFinite(a.y[i]!) || !Number.isFinite(a.q[i]!) || !Number.isFinite(a.time[i]!))
      continue;
    if (!a.X.every((x) => Number.isFinite(x[i]!)) || !a.R.every((r) => Number.isFinite(r[i]!))) continue;
    if (a.clusters.some((c) => c[i]! < 0)) continue;
    rows.push(i);
  }
  const n = rows.length;
  if (n < nAll) notes.push(note('MISSING_DROPPED', { count: nAll - n }));
  if (n === 0) throw new SpecrunError('NO_OBSERVATIONS', { model: a.model });
  // rows ordered by unit (first appearance) then time, so that a unit's residual vector is in time order
  const fe = buildFixedEffects([Int32Array.from(rows, (i) => a.unit[i]!)]);
  const G = fe.ngroups[0]!;
  const idx = rows.map((i, p) => ({ i, u: fe.codes[0]![p]!, t: a.time[i]! })).sort((x, y) => x.u - y.u || x.t - y.t);
  const ord = Int32Array.from(idx, (r) => r.i);
  const unit = Int32Array.from(idx, (r) => r.u);
  const T = n / G;
  const sizes = new Float64Array(G);
  for (let p = 0; p < n; p++) sizes[unit[p]!] = sizes[unit[p]!]! + 1;
  if (!sizes.every((s) => s === T)) {
    throw new SpecrunError('THRESHOLD_BAD_OPTION', {
      model: a.model,
      detail: `the panel is not balanced on the model's complete rows (units have between ${Math.min(...sizes)} and ${Math.max(...sizes)} periods)`,
      hint: "Hansen's bootstrap resamples whole units: use a sample in which every unit has every period",
    });
  }
  for (let p = 1; p < n; p++) {
    if (unit[p] === unit[p - 1] && idx[p]!.t === idx[p - 1]!.t) {
      throw new SpecrunError('THRESHOLD_BAD_OPTION', {
        model: a.model,
        detail: `unit-period pairs repeat (period ${idx[p]!.t})`,
        hint: 'each unit may have one row per period',
      });
    }
  }
  const take = (x: Float64Array) => Float64Array.from(ord, (i) => x[i]!);
  const q = take(a.q);
  const within = { unit, unitSize: sizes };
  const y = withinUnit(within, take(a.y));
  const X = a.X.map((x) => withinUnit(within, take(x)));
  const R = a.R.map(take);
  const d = thresholdData(unit, q, X, R, a.trim);
  const dof = n - G;
  // enough distinct values: every threshold needs at least one admissible candidate
  const fit = d.values.length < a.thresholds + 1 ? null : sequentialFit(d, y, a.thresholds, dof);
  if (!fit) {
    let admissible = 0;
    for (let c = 0; c < d.values.length; c++)
      if (d.below[c]! >= d.minCount && n - d.below[c]! >= d.minCount) admissible++;
    throw new SpecrunError('THRESHOLD_TOO_FEW_VALUES', {
      model: a.model,
      name: a.qName,
      distinct: admissible,
      thresholds: a.thresholds,
    });
  }

  // 3–4. F statistics and intervals
  const last = fit.stages[fit.stages.length - 1]!;
  const ssrs = [fit.ssr0, ...fit.stages.map((s) => s.ssr)];
  const fStat = fit.stages.map((s, k) => (ssrs[k]! - s.ssrSearch) / (s.ssrSearch / dof));
  const intervals = last.gammas
    .map((g, j) => {
      const { search, sigma2 } = last.curves[j]!;
      const inside = search.curve.filter((c) => (c.ssr - search.ssr) / sigma2 <= LR_CRITICAL_95).map((c) => c.gamma);
      return { gamma: g, lower: Math.min(...inside), upper: Math.max(...inside) };
    })
    .sort((x, y2) => x.gamma - y2.gamma);

  // 5. bootstrap: for test k, y* = fitted values of the model with the k − 1 thresholds of stage k − 1, plus the
  // residual vectors of the k-threshold model (stage k's search) of units drawn with replacement
  const rng = new Xoshiro128(a.seed);
  const tests = fit.stages.map((stage, kk) => {
    const k = kk + 1;
    const nullGammas = k === 1 ? [] : fit.stages[k - 2]!.gammas;
    const nullFit = leastSquares(
      y,
      design(
        d,
        [...nullGammas].sort((x, z) => x - z),
      ),
    );
    const fitted = y.map((v, i) => v - nullFit.residuals[i]!);
    const altGammas = k === 2 ? [fit.stages[0]!.gammas[0]!, stage.curves[1]!.search.gamma] : stage.gammas;
    const e = leastSquares(
      y,
      design(
        d,
        [...altGammas].sort((x, z) => x - z),
      ),
    ).residuals;
    // the units drawn for every replication, from the one stream in replication order, then the replications
    // (thresholdBootKernel, on the run's threads when worth it: a search costs a few passes over the rows per stage)
    const picks = new Int32Array(a.reps * G);
    for (let i = 0; i < picks.length; i++) picks[i] = rng.below(G);
    const fAll = replicate(
      replicator,
      thresholdBootKernel,
      { d, fitted, e, k, dof, G, T, picks },
      a.reps,
      1,
      a.reps * n * k * 4,
    );
    const fs: number[] = [];
    for (let b = 0; b < a.reps; b++) if (!Number.isNaN(fAll[b]!)) fs.push(fAll[b]!);
    fs.sort((x, z) => x - z);
    const quant = (p: number) =>
      fs.length ? fs[Math.min(fs.length - 1, Math.max(0, Math.ceil(p * fs.length) - 1))]! : NaN;
    return {
      f: fStat[kk]!,
      p: fs.length ? fs.filter((v) => v >= fStat[kk]!).length / fs.length : NaN,
      crit10: quant(0.9),
      crit5: quant(0.95),
      crit1: quant(0.99),
    };
  });

  // 6. regime coefficients with the thresholds fixed (ascending): X̃ then R·1(regime j) for j = 1..m+1
  const sortedG = intervals.map((t) => t.gamma);
  const cols = design(d, sortedG);
  const names = [...a.names];
  for (let j = 1; j <= sortedG.length + 1; j++) for (const r of a.regimeNames) names.push(`${r}:regime${j}`);
  const ls = leastSquares(y, cols);
  return {
    kind: 'threshold-fit',
    n,
    G,
    ord,
    unit,
    names,
    kept: ls.kept,
    columns: cols.length,
    coef: ls.coef,
    bread: ls.bread,
    X: ls.kept.map((j) => cols[j]!),
    residuals: ls.residuals,
    ssr: ls.ssr,
    intervals,
    tests,
    ssrs,
    candidates: d.values.filter((_, c) => d.below[c]! >= d.minCount && n - d.below[c]! >= d.minCount).length,
    notes,
  };
}

/** The variance of a fitted threshold model under `a.vcov` (clusters read on the fitted rows), t tests, statistics. */
export function thresholdVariance(a: ThresholdArrays, f: ThresholdArraysFit): ThresholdEstimate {
  const { n, G, ord, unit, names, intervals, tests, ssrs } = f;
  const notes = [...f.notes];
  const ls = { kept: f.kept, coef: f.coef, bread: f.bread, residuals: f.residuals, ssr: f.ssr };
  const clusters: ClusterCodes[] = a.clusters.map((c) => {
    const b = buildFixedEffects([Int32Array.from(ord, (i) => c[i]!)]);
    return { codes: b.codes[0]!, ngroups: b.ngroups[0]! };
  });
  clusters.forEach((c, j) => {
    if (c.ngroups < 2)
      throw new SpecrunError('VCOV_ONE_CLUSTER', { model: a.model, name: a.vcov.cluster[j]!, count: c.ngroups });
  });
  if (n - (ls.kept.length + G) <= 0)
    throw new SpecrunError('NO_RESIDUAL_DF', { model: a.model, n, k: ls.kept.length + G });
  const feNested = [clusters.some((c) => isNested(unit, G, c.codes))];
  const v = computeVcov(a.vcov, { bread: ls.bread, X: f.X, residuals: ls.residuals, rss: ls.ssr }, clusters, {
    n,
    kSlopes: ls.kept.length,
    feSizes: [G],
    feNested,
  });
  const coefficients: Record<string, CoefficientResult> = {};
  const m = ls.kept.length;
  ls.kept.forEach((j, p) => {
    const estimate = ls.coef[p]!,
      se = Math.sqrt(v.V[p * m + p]!),
      t = Number.isFinite(se) ? estimate / se : NaN;
    coefficients[names[j]!] = { estimate, se: orNull(se), t: orNull(t), p: orNull(pValueT(t, v.dfT)) };
  });
  const dropped = Array.from({ length: f.columns }, (_, j) => j).filter((j) => !ls.kept.includes(j));
  if (dropped.length) notes.push(note('COLLINEAR_DROPPED', { names: dropped.map((j) => names[j]!).join(', ') }));

  const stats: Record<string, number | null> = {};
  intervals.forEach((t, j) => {
    stats[`threshold${j + 1}`] = t.gamma;
    stats[`threshold${j + 1}_lower`] = t.lower;
    stats[`threshold${j + 1}_upper`] = t.upper;
  });
  tests.forEach((t, j) => {
    stats[`f${j + 1}`] = orNull(t.f);
    stats[`f${j + 1}_p`] = orNull(t.p);
    stats[`f${j + 1}_crit10`] = orNull(t.crit10);
    stats[`f${j + 1}_crit5`] = orNull(t.crit5);
    stats[`f${j + 1}_crit1`] = orNull(t.crit1);
  });
  stats.ssr = ssrs[ssrs.length - 1]!;
  ssrs.forEach((s, j) => {
    stats[`ssr${j}`] = s;
  });
  stats.reps = a.reps;
  stats.candidates = f.candidates;
  stats.df_t = v.dfT;
  stats.clusters = v.clusters.length ? v.clusters[0]! : null;
  stats.units = G;
  const detail: ThresholdDetail = {
    thresholds: intervals,
    tests,
    ssr: ssrs,
    candidates: stats.candidates,
  };
  return { nobs: n, coefficients, stats, notes, detail };
}

function orNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
