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
