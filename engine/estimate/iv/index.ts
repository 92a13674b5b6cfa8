/**
 * Linear instrumental variables (two-stage least squares) with absorbed fixed effects, as fixest's
 * `feols(y ~ x1 | fe1 + fe2 | endog ~ z1 + z2)`:
 *
 *   first stages    x̃_e = W̃ π_e + Z̃ γ_e + v_e                  (W exogenous, Z excluded instruments, one per endog)
 *   second stage    ỹ = X̂̃ β + ε,   X̂ = [x̂_e …, W],   β̂ = (X̂̃'X̂̃)⁻¹ X̂̃'ỹ
 *
 * (˜: the within transformation, weighted and scaled by √w when weighted). The variance is the OLS variance
 * estimator of the plan (vcov.ts, fixest's ssc()) on the second-stage design X̂̃ with the structural residuals
 * e = ỹ − X̃β̂ (the actual endogenous values, not the fitted ones). Coefficients are named by the endogenous
 * variables themselves, first, then the exogenous regressors (fixest's order; fixest prints `fit_x`).
 *
 * Statistics (fixest 0.12 fitstat definitions; see CONVENTIONS.md):
 *   first_stage_f:e  F of the excluded instruments in the first stage of e (fixest `ivf1`), with _p
 *   cd_f             Cragg–Donald F from the smallest canonical correlation of (X̃_e, Z̃) given W (fixest `cd`)
 *   kp_f             Kleibergen–Paap rk Wald F under the model's variance (fixest `kpr`), with _p
 *   sargan           n·R² of e on all instruments (overidentified models), with _p (fixest `sargan`)
 *   hansen           Hansen's J under the model's robust/cluster variance (overidentified, vcov not iid), with _p
 *   wu_hausman       F test of the first-stage residuals added to the structural equation (fixest `wh`), with _p
 * The first stages are in `detail.firstStages` (one ModelResult each); a table shows one as a column with
 * `{ model: ID, stage: first, endogenous: NAME }` (engine/estimate/iv/first-stage-columns.ts).
 */
import type { Frame } from '../../core/frame.js';
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { IvPlan } from '../../normalize/plan.js';
import type { CoefficientResult, ModelResult } from '../../results/types.js';
import type { ColumnCache, EstimationData, Estimator, PlanFields } from '../types.js';
import { fitThenVariance } from '../fit-variance.js';
import {
  coefficientTable,
  type DemeanOptions,
  dofInfo,
  INTERCEPT,
  linearStats,
  vcovName,
  within,
} from '../ols/index.js';
import { COLLINEARITY_TOL, fitOls, type OlsFit } from '../ols/fit.js';
import { choleskyDropDependent, choleskyInverse, residualsOf } from '../../numerics/linalg.js';
import { type Combination, Gram } from './gram.js';
import { linearClusters, linearFitWithoutVcov, linearSample, numericColumn } from '../ols/linear-sample.js';
import type { FixedEffects } from '../ols/fixed-effects.js';
import { computeVcov, fixefK, type VcovResult } from '../ols/vcov.js';
import { expandDesign } from '../terms/expand.js';
import { ivDiagnostics } from './statistics.js';
import type { OlsModel } from '../ols/spec.js';
import {
  LINEAR_FINGERPRINT_FIELDS,
  linearCoefficientNames,
  linearFingerprint,
  linearInputs,
  linearTerms,
  normalizeLinear,
} from '../ols/linear-module.js';

export interface IvDetail {
  readonly endogenous: readonly string[];
  readonly instruments: readonly string[];
  /** One first-stage regression per endogenous variable (same sample, fixed effects and variance). */
  readonly firstStages: Readonly<Record<string, ModelResult>>;
}

export const ivEstimator: Estimator<IvPlan, OlsModel, ModelResult, IvModelFit> = {
  kind: 'iv',
  // `estimator: iv` takes the keys of an `ols` model; the formula's IV part is required.
  spec: { type: 'OlsModel', file: 'engine/estimate/ols/spec.ts' },
  normalize: (spec, ctx) => normalizeLinear(spec, ctx) as PlanFields<IvPlan> | null,
  inputs: linearInputs,
  terms: linearTerms,
  coefficientNames: linearCoefficientNames,
  fingerprint: linearFingerprint,
  fingerprintFields: LINEAR_FINGERPRINT_FIELDS,
  varianceOnlyVcov: true,
  table: { layout: 'regression' },
  firstStages: (plan) => plan.endogenous.map((t) => t.name),
  sharesDemeaning: true,
  ...fitThenVariance(
    (plan: IvPlan, data: EstimationData) =>
      fitIv(
        plan,
        data.frame,
        data.unit,
        data.unitLabels ?? null,
        data.demeanCache ?? null,
        data.demeanPool ? { pool: data.demeanPool } : {},
      ),
    (plan: IvPlan, fit: IvModelFit, data: EstimationData) => ivVariance(plan, fit, data.frame),
  ),
  fitWithoutVcov: linearFitWithoutVcov<IvPlan>(),
};

export function estimateIv(
  plan: IvPlan,
  frame: Frame,
  unit: Int32Array | null = null,
  unitLabels: readonly string[] | null = null,
): ModelResult {
  return ivVariance(plan, fitIv(plan, frame, unit, unitLabels), frame);
}

/**
 * Everything the variance and the IV statistics need once the first and second stages are fitted (stages 1–5);
 * plain data and typed arrays only, so that the result cache can keep it. `rows` indexes the model's data.
 */
export interface IvModelFit {
  readonly kind: 'iv-fit';
  readonly n: number;
  readonly rows: Int32Array | null;
  readonly fe: FixedEffects;
  readonly hasFe: boolean;
  /** The dependent variable on the sample, the weights and their square roots (null: unweighted). */
  readonly y: Float64Array;
  readonly weights: Float64Array | null;
  readonly sqrtW: Float64Array | null;
  /** Within-transformed: y, the kept exogenous regressors W, the endogenous E, the kept instruments Z. */
  readonly yT: Float64Array;
  readonly W: readonly Float64Array[];
  readonly E: readonly Float64Array[];
  readonly Z: readonly Float64Array[];
  /** The endogenous variables on the sample before the within transformation. */
  readonly eRaw: readonly Float64Array[];
  /** First stages (each E on [W, Z]) and the second stage with the structural residuals. */
  readonly first: readonly OlsFit[];
  readonly second: OlsFit;
  readonly wKept: readonly string[];
  readonly zKept: readonly string[];
  /** E and Z partialled without the weights (cd_f, kp_f), with weights only. */
  readonly unweighted: { readonly E: readonly Float64Array[]; readonly Z: readonly Float64Array[] } | null;
  /**
   * The cross products of the within-transformed [y, W (all), E, Z (all)] (B×B, gram.ts), and y, the kept W, E,
   * the kept Z and the first-stage residuals v as combinations of those columns: every regression of the IV
   * statistics is solved from them.
   */
  readonly cross: {
    readonly B: number;
    readonly G: Float64Array;
    readonly y: Float64Array;
    readonly w: readonly Float64Array[];
    readonly e: readonly Float64Array[];
    readonly z: readonly Float64Array[];
    readonly v: readonly Float64Array[];
  };
  readonly notes: readonly Note[];
}

/** Stages 1–5: the sample, the within transformation, collinearity, the first stages and the second stage. */
export function fitIv(
  plan: IvPlan,
  frame: Frame,
  unit: Int32Array | null = null,
  unitLabels: readonly string[] | null = null,
  cache: ColumnCache | null = null,
  demean: DemeanOptions = {},
): IvModelFit {
  const model = plan.id;
  // 1–3. columns and the sample
  const design = expandDesign(plan.regressors, frame, {
    model,
    unit,
    ...(unitLabels ? { unitLabel: (u: number) => unitLabels[u] ?? String(u) } : {}),
  });
  const y = numericColumn(frame, plan.dependent.name, model);
  const endoRaw = plan.endogenous.map((t) => numericColumn(frame, t.name, model));
  const instRaw = plan.instruments.map((t) => numericColumn(frame, t.name, model));
  const kx = design.columns.length,
    k = endoRaw.length;
  const s = linearSample(plan, frame, y, [...design.columns.map((c) => c.values), ...endoRaw, ...instRaw]);
  const notes: Note[] = [...design.notes, ...s.notes];
  const hasFe = s.fe.codes.length > 0;

  // 4. the within transformation of everything, together (shared with other models through the demeaning cache),
  //    and one cross-product matrix of [ỹ, W, E, Z] for every regression below (gram.ts)
  const wNames: string[] = [];
  const wRaw: Float64Array[] = [];
  if (!hasFe && plan.intercept) {
    wNames.push(INTERCEPT);
    wRaw.push(new Float64Array(s.n).fill(1));
  }
  design.columns.forEach((c, j) => {
    wNames.push(c.name);
    wRaw.push(s.cols[j]!);
  });
  const eRaw = s.cols.slice(kx, kx + k);
  const zRaw = s.cols.slice(kx + k);
  const all = within([s.y, ...wRaw, ...eRaw, ...zRaw], s, cache, demean, notes);
  const yT = all[0]!;
  let W = all.slice(1, 1 + wRaw.length);
  const E = all.slice(1 + wRaw.length, 1 + wRaw.length + k);
  let Z = all.slice(1 + wRaw.length + k);
  const gram = Gram.of(all);
  const yC = gram.unit(0);
  let wC = W.map((_, j) => gram.unit(1 + j));
  const eC = E.map((_, q) => gram.unit(1 + wRaw.length + q));
  let zC = Z.map((_, j) => gram.unit(1 + wRaw.length + k + j));
  const scaleOf = (x: Float64Array) => collinearityScale(x);

  // 5a. collinearity on [W, Z] (fixest drops collinear exogenous regressors and instruments alike)
  const probe = choleskyDropDependent(
    gram.crossMatrix([...wC, ...zC]),
    wC.length + zC.length,
    [...wRaw, ...zRaw].map(scaleOf),
    COLLINEARITY_TOL,
  );
  const keptW = probe.kept.filter((j) => j < W.length);
  const keptZ = probe.kept.filter((j) => j >= W.length).map((j) => j - W.length);
  const droppedNames = probe.dropped.map((j) => (j < W.length ? wNames[j]! : plan.instruments[j - W.length]!.name));
  if (droppedNames.length) notes.push(note('COLLINEAR_DROPPED', { names: droppedNames.join(', ') }));
  W = keptW.map((j) => W[j]!);
  wC = keptW.map((j) => wC[j]!);
  const wKept = keptW.map((j) => wNames[j]!);
  Z = keptZ.map((j) => Z[j]!);
  zC = keptZ.map((j) => zC[j]!);
  const zKept = keptZ.map((j) => plan.instruments[j]!.name);
  if (Z.length < k) {
    throw new SpecrunError('IV_INSTRUMENTS_COLLINEAR', {
      model,
      k,
      l: Z.length,
      names: plan.instruments.map((t) => t.name).join(', '),
    });
  }

  // 5b. first stages: each endogenous variable on [W, Z]
  const firstDesign = [...W, ...Z];
  const firstC = [...wC, ...zC];
  const first = E.map((e, q) => gramFit(gram, eC[q]!, firstC, e, firstDesign));
  const vC = first.map((f, q) =>
    gram.minus(
      eC[q]!,
      f.kept.map((j) => firstC[j]!),
      f.coef,
    ),
  );
  const fitted = E.map((e, q) => {
    const r = first[q]!.residuals;
    const out = new Float64Array(s.n);
    for (let i = 0; i < s.n; i++) out[i] = e[i]! - r[i]!;
    return out;
  });

  // 5c. second stage on [x̂_e, W] (x̂_e = x_e − v_e), structural residuals with the actual x_e
  const X2 = [...fitted, ...W];
  const X2C = [...eC.map((e, q) => gram.minus(e, [vC[q]!], [1])), ...wC];
  const second = gram.regress(yC, X2C, null, COLLINEARITY_TOL);
  if (second.kept.length < X2.length) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: 'the fitted endogenous variables are collinear with the exogenous regressors',
      hint: 'the instruments must predict each endogenous variable beyond the exogenous regressors',
    });
  }
  const { residuals: resid, rss } = residualsOf(yT, [...E, ...W], second.coef);
  const fit: OlsFit = {
    kept: second.kept,
    dropped: second.dropped,
    coef: second.coef,
    bread: choleskyInverse(second.L, X2.length),
    X: X2,
    residuals: resid,
    rss,
    yty: gram.cross(yC, yC),
  };

  // fixest's proj_on_U (cd_f, kp_f) partials E and Z on W and the fixed effects without the weights
  let unweighted: { E: Float64Array[]; Z: Float64Array[] } | null = null;
  if (s.sqrtW) {
    const plain = { ...s, sqrtW: null, weights: null };
    const u = within([...keptW.map((j) => wRaw[j]!), ...eRaw, ...keptZ.map((j) => zRaw[j]!)], plain, null, {}, []);
    const uW = u.slice(0, keptW.length);
    const part = (x: Float64Array) =>
      uW.length
        ? fitOls(
            x,
            uW,
            uW.map(() => 0),
          ).residuals
        : x;
    unweighted = { E: u.slice(keptW.length, keptW.length + k).map(part), Z: u.slice(keptW.length + k).map(part) };
  }
  return {
    kind: 'iv-fit',
    n: s.n,
    rows: s.rows,
    fe: s.fe,
    hasFe,
    y: s.y,
    weights: s.weights,
    sqrtW: s.sqrtW,
    yT,
    W,
    E,
    Z,
    eRaw,
    first,
    second: fit,
    wKept,
    zKept,
    unweighted,
    notes,
    cross: { B: gram.B, G: gram.G, y: yC, w: wC, e: eC, z: zC, v: vC },
  };
}

/**
 * Stages 6–7 from a fit: the variance of the plan (vcov.ts, fixest's ssc()) for the second stage and each first
 * stage, the statistics and the IV diagnostics that depend on it. `frame` is the model's data the fit came from.
 */
export function ivVariance(plan: IvPlan, f: IvModelFit, frame: Frame): ModelResult {
  const clusters = linearClusters(plan, frame, f.rows, f.fe);
  const s = { n: f.n, fe: f.fe, clusters, y: f.y, weights: f.weights, sqrtW: f.sqrtW };
  const { hasFe, yT, W, E, Z, eRaw, first, unweighted, wKept, zKept } = f;
  const fit = f.second;
  const { residuals: resid, rss } = fit;
  const k = E.length;
  const notes = [...f.notes];
  const names2 = [...plan.endogenous.map((t) => t.name), ...wKept];
  const firstNames = [...wKept, ...zKept];
  const firstDesign = [...W, ...Z];

  // 6. variance (the second stage has the k endogenous and the kept exogenous regressors)
  const m = k + W.length;
  const info = dofInfo(s, m);
  const v = computeVcov(plan.vcov, fit, clusters, info);
  const coefficients: Record<string, CoefficientResult> = coefficientTable(names2, fit.coef, v.V, v.dfT);

  // 7. statistics, then the IV diagnostics
  const stats = linearStats(s, yT, rss, m, hasFe, plan.intercept, v);
  const firstStages: Record<string, ModelResult> = {};
  const firstInfo = dofInfo(s, firstDesign.length);
  const firstV: VcovResult[] = [];
  plan.endogenous.forEach((t, q) => {
    const f1 = first[q]!;
    const vf = computeVcov(plan.vcov, f1, clusters, firstInfo);
    firstV.push(vf);
    firstStages[t.name] = {
      estimator: 'iv',
      nobs: s.n,
      coefficients: reorder(coefficientTable(firstNames, f1.coef, vf.V, vf.dfT), [...zKept, ...wKept]),
      stats: linearStats({ ...s, y: eRaw[q]! }, E[q]!, f1.rss, firstDesign.length, hasFe, plan.intercept, vf),
      fixedEffects: [...plan.fixedEffects],
      vcov: vcovName(plan.vcov),
      notes: [],
    };
  });
  const gram = Gram.fromMatrix(f.cross.G, f.cross.B);
  const diag = ivDiagnostics({
    unweighted,
    gram,
    yC: f.cross.y,
    wC: f.cross.w,
    eC: f.cross.e,
    zC: f.cross.z,
    vC: f.cross.v,
    s,
    y: yT,
    W,
    E,
    Z,
    first,
    firstV,
    resid,
    rss,
    secondCoef: fit.coef,
    vcov: plan.vcov,
    clusters,
    kFull: m + (hasFe ? fixefK('full', info) : 0),
  });
  plan.endogenous.forEach((t, q) => {
    const f = diag.firstStageF[q]!;
    stats[`first_stage_f:${t.name}`] = fin(f.stat);
    stats[`first_stage_f_p:${t.name}`] = fin(f.p);
    firstStages[t.name] = {
      ...firstStages[t.name]!,
      stats: { ...firstStages[t.name]!.stats, first_stage_f: fin(f.stat), first_stage_f_p: fin(f.p) },
    };
  });
  if (k === 1) {
    stats['first_stage_f'] = stats[`first_stage_f:${plan.endogenous[0]!.name}`]!;
    stats['first_stage_f_p'] = stats[`first_stage_f_p:${plan.endogenous[0]!.name}`]!;
  }
  Object.assign(stats, diag.stats);
  stats['instruments'] = Z.length;

  const detail: IvDetail = { endogenous: plan.endogenous.map((t) => t.name), instruments: zKept, firstStages };
  return {
    estimator: 'iv',
    nobs: s.n,
    coefficients,
    stats,
    fixedEffects: [...plan.fixedEffects],
    vcov: vcovName(plan.vcov),
    notes,
    detail,
  };
}

/** A least-squares fit of a basis column t on basis columns R from the cross products, as fitOls would give it. */
function gramFit(
  gram: Gram,
  t: Combination,
  R: readonly Combination[],
  tVec: Float64Array,
  RVec: readonly Float64Array[],
): OlsFit {
  const r = gram.regress(t, R, null, COLLINEARITY_TOL);
  const X = r.kept.map((j) => RVec[j]!);
  const { residuals, rss } = residualsOf(tVec, X, r.coef);
  return {
    kept: r.kept,
    dropped: r.dropped,
    coef: r.coef,
    bread: choleskyInverse(r.L, r.kept.length),
    X,
    residuals,
    rss,
    yty: gram.cross(t, t),
  };
}

function reorder(c: Record<string, CoefficientResult>, order: readonly string[]): Record<string, CoefficientResult> {
  const out: Record<string, CoefficientResult> = {};
  for (const n of order) if (c[n]) out[n] = c[n]!;
  return out;
}

function fin(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function collinearityScale(x: Float64Array): number {
  let s = 0,
    ss = 0,
    r = 0;
  const x0 = x.length ? x[0]! : 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!,
      d = v - x0;
    s += d;
    ss += d * d;
    r += v * v;
  }
  const c = Math.max(ss - (s * s) / Math.max(x.length, 1), 0);
  return c > 1e-14 * r ? c : r;
}
