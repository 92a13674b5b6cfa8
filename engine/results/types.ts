/**
 * Immutable, serialisable results: the ⚑ shape of results.json (a contract documented in README.md). Non-finite
 * numbers serialise as null. A result is typed by its kind: `ModelResult` is what every estimator returns; the
 * built-in kinds narrow it (`MediationResult`, `RankSizeResult`, `GmmResult`), and the guards below narrow a result
 * read back from the cache or results.json by checking its shape, so no consumer casts `detail`.
 */
import type { Note } from '../diagnostics/diagnostic.js';
import type { GmmDetail } from '../estimate/gmm/detail.js';
import type { EstimatorKind } from '../normalize/plan.js';

export interface CoefficientResult {
  readonly estimate: number;
  readonly se: number | null;
  readonly t: number | null;
  readonly p: number | null;
}

export interface ModelResult<K extends EstimatorKind = EstimatorKind, D = unknown> {
  readonly estimator: K;
  readonly nobs: number;
  /** By term name, in formula order (`lag(n,1)`, `w`, ...). */
  readonly coefficients: Readonly<Record<string, CoefficientResult>>;
  /** Model statistics: r2, r2_adj, r2_within, clusters, sargan, sargan_df, sargan_p, ar1, ar2, ar2_p, instruments... */
  readonly stats: Readonly<Record<string, number | null>>;
  /** Absorbed fixed effects (column names). */
  readonly fixedEffects: readonly string[];
  /** The variance estimator, as written after normalization (`cluster(city)`, `windmeijer`, ...). */
  readonly vcov: string;
  /** Dropped observations, collinear variables, numerical warnings. */
  readonly notes: readonly Note[];
  /** Estimator-specific detail (the mediation steps, the rank-size grid), typed by the kind. */
  readonly detail?: D;
}

/** An `ols` result: coefficients, statistics, no detail. */
export type OlsResult = ModelResult<'ols', undefined>;
/** A GMM result: its detail holds the time effects, one-step estimates, xtabond2's variants and more. */
export type GmmResult = ModelResult<'sysgmm' | 'diffgmm', GmmDetail> & { readonly detail: GmmDetail };
/** A mediation result: the three steps and the indirect-effect tests. */
export type MediationResult = ModelResult<'mediation', MediationDetail> & { readonly detail: MediationDetail };
/** A rank-size result: one cell per group and period. */
export type RankSizeResult = ModelResult<'ranksize', RankSizeDetail> & { readonly detail: RankSizeDetail };
/** The results of the built-in estimators, a union by kind. */
export type BuiltinModelResult = OlsResult | GmmResult | MediationResult | RankSizeResult;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A mediation result with its steps (a result of another kind, or a damaged one, is not). */
export function isMediationResult(r: ModelResult): r is MediationResult {
  return r.estimator === 'mediation' && isObject(r.detail) && isObject(r.detail['steps']);
}

/** A rank-size result with its cells. */
export function isRankSizeResult(r: ModelResult): r is RankSizeResult {
  return r.estimator === 'ranksize' && isObject(r.detail) && Array.isArray(r.detail['cells']);
}

/** A GMM result with its time effects. */
export function isGmmResult(r: ModelResult): r is GmmResult {
  return (
    (r.estimator === 'sysgmm' || r.estimator === 'diffgmm') && isObject(r.detail) && isObject(r.detail['timeEffects'])
  );
}

export interface Provenance {
  readonly specHash: string;
  readonly dataHash: string;
  readonly engine: string;
  readonly commit: string | null;
}

export interface RunResults {
  readonly engine: string;
  readonly provenance: Readonly<Record<string, Provenance>>;
  readonly models: Readonly<Record<string, ModelResult>>;
}

/** `detail` of a mediation result (estimator `mediation`). */
export interface MediationDetail {
  /** The three equations: total (Y on X), mediator (M on X), outcome (Y on X and M). */
  readonly steps: { readonly total: ModelResult; readonly mediator: ModelResult; readonly outcome: ModelResult };
  /** a, b, c, c′ and ab = a·b. */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly cPrime: number;
  readonly indirect: number;
  /** ab / c. */
  readonly share: number | null;
  readonly sobel: { readonly se: number; readonly z: number; readonly p: number };
  readonly aroian: { readonly se: number; readonly z: number; readonly p: number };
  readonly goodman: { readonly se: number | null; readonly z: number | null; readonly p: number | null };
  readonly bootstrap: {
    readonly reps: number;
    readonly seed: number;
    readonly level: number;
    readonly percentile: readonly [number, number];
    readonly biasCorrected: readonly [number, number];
    /** Replicates that could not be estimated (collinear resamples) and were left out of the intervals. */
    readonly failed?: number;
    /** Standard deviation of the successful replicates of ab. */
    readonly se?: number;
  } | null;
  /** Wen & Ye (2014) verdict. */
  readonly verdict: 'full' | 'partial' | 'suppression' | 'none';
  /** How the verdict was reached: the significance, at `alpha`, of c (step 1), ab (steps 2–3, and by which test) and c′ (step 4; null when the procedure stopped at step 3). */
  readonly verdictTrace?: {
    readonly alpha: number;
    readonly totalSignificant: boolean;
    readonly indirectSignificant: boolean;
    readonly indirectTest: 'joint' | 'bootstrap' | 'sobel';
    readonly directSignificant: boolean | null;
  };
  /** |ab / c′|: what Wen & Ye report instead of the share when the verdict is `suppression`. */
  readonly suppressionRatio?: number | null;
}

/** One cell of a rank-size model: a group in a period. */
export interface RankSizeCell {
  readonly group: string;
  readonly period: number;
  /** ln(size) = C − q ln(rank): the slope q (positive) and the intercept C. */
  readonly q: number | null;
  readonly C: number | null;
  readonly r2: number | null;
  readonly n: number;
  /** Number of centres by the drop-the-second-largest rule (1 when monocentric). */
  readonly centres: number | null;
  readonly structure: 'mono' | 'poly' | null;
  /** Why q is missing, when it is. */
  readonly reason?: string;
}

/** `detail` of a rank-size result (estimator `ranksize`). */
export interface RankSizeDetail {
  readonly cells: readonly RankSizeCell[];
}
