/**
 * Immutable, serialisable results: the ⚑ shape of results.json (DESIGN.md). Non-finite numbers serialise as null.
 */
import type { Note } from '../diagnostics/diagnostic.js';
import type { EstimatorKind } from '../normalize/plan.js';

export interface CoefficientResult {
  readonly estimate: number;
  readonly se: number | null;
  readonly t: number | null;
  readonly p: number | null;
}

export interface ModelResult {
  readonly estimator: EstimatorKind;
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
  /** Estimator-specific detail (the mediation steps, the rank-size grid). */
  readonly detail?: unknown;
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
