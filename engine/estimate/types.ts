/**
 * The estimator contract. One module per estimator kind owns everything about it: the user-tier spec type (from which
 * the JSON Schema is generated), normalization with its defaults, the columns it reads, its terms, its fingerprint
 * parts, its default table layout, the fit and the variance, and its typed result detail. Every other stage loops
 * over the registry (engine/estimate/registry.ts) and never switches on the kind.
 *
 * An estimator is pure: a function of a plan and the rows of its sample; it does no I/O and keeps no state. Failures
 * are thrown as SpecrunError (the orchestrator adds the model's source position); what was dropped or fixed goes into
 * the result's notes.
 */
import type { Frame } from '../core/frame.js';
import type { DiagnosticCode } from '../diagnostics/catalogue.js';
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import type { ParsedFormula } from '../expr/formula.js';
import type { YamlPath } from '../load/load-spec.js';
import type { ModelPlanBase, SamplePlan, TableLayout, Term, VcovPlan } from '../normalize/plan.js';
import type { ModelResult } from '../results/types.js';
import type { ColumnPool } from './ols/demean.js';
import type { Replicator } from './replication-pool.js';
import type { SpecType } from '../spec/module-spec.js';

export interface EstimationData {
  /**
   * The rows of the model's sample (all rows when it has none), with every column the model names. Each term of
   * `Estimator.terms` is already a column named by the term (`lag(x,1)`), computed on the full panel before the
   * sample was applied; GMM builds its own lags from `unit` and `time`.
   */
  readonly frame: Frame;
  /** Panel unit codes per row (0..G−1), or null when the data have no unit column. */
  readonly unit: Int32Array | null;
  /** Panel period per row, or null when the data have no time column. */
  readonly time: Float64Array | null;
  /** Labels of the unit codes (for messages), when known. */
  readonly unitLabels?: readonly string[] | null;
  /**
   * Optional cache shared by the models of one run, so that models on the same sample and fixed effects demean a
   * shared column once (OLS keys it by content hashes; see engine/estimate/ols/demean-cache.ts). Absent: no sharing.
   */
  readonly demeanCache?: ColumnCache;
  /**
   * Threads for the columns of the model's iterative demeaning (engine/estimate/ols/demean-pool.ts), given when the
   * run has several threads and the model is estimated on the main thread (never inside a worker). Same results.
   */
  readonly demeanPool?: ColumnPool;
  /**
   * Threads for the bootstrap replications of the model (engine/estimate/replication-pool.ts: the wild bootstrap, the
   * mediation bootstrap, the threshold model's bootstrap F tests), given when the run has several threads and the
   * model is estimated on the main thread (never inside a worker). Same results.
   */
  readonly replicationPool?: Replicator;
}

/** A string-keyed store of computed columns (e.g. demeaned regressors), owned by the orchestrator for one run. */
export interface ColumnCache {
  get(key: string): Float64Array | undefined;
  set(key: string, value: Float64Array): void;
}

/** A column a model reads, with the key of the model's spec that names it (where an unknown name is reported). */
export interface ModelInput {
  readonly name: string;
  readonly key: string;
}

/**
 * What normalization offers an estimator: positions, diagnostics, and the shared parsers of the spec language
 * (formula and vcov), each reporting its own syntax errors at the character concerned.
 */
export interface NormalizeContext {
  /** The model id (its key under `models:`). */
  readonly id: string;
  /** Position of a key of this model (`at('gmm', 'iv')`), or of the model itself. */
  at(...path: YamlPath): SourcePosition;
  /** Report a problem at a key of this model (at character `offset` of its scalar value, when given). */
  report(code: DiagnosticCode, path: YamlPath, args: Record<string, string | number>, offset?: number): void;
  /** The model's `formula` parsed (null after reporting FORMULA_SYNTAX). */
  formula(): ParsedFormula | null;
  /** The model's `vcov` and `ssc` as a variance plan (null after reporting a bad vcov). */
  vcov(): VcovPlan | null;
}

/** The three named parts of a fingerprint an estimator decides (see engine/fingerprint). */
export interface EstimatorFingerprint {
  /** What the model regresses on what. */
  readonly formula: unknown;
  readonly fixed_effects: readonly string[];
  /** Variance type and small-sample settings; null when the estimator has no variance choice. */
  readonly vcov: unknown;
}

/** The default look of a model in a table. */
export interface TableDefaults {
  /** Table layout a table of this model gets when it names none (`regression`, `mediation`, `grid`, ...). */
  readonly layout: TableLayout;
}

export type { SpecType };

/** What a module's normalize returns: its plan without the generic fields, with its kind (`estimator`). */
export type PlanFields<P extends ModelPlanBase> = Omit<P, Exclude<keyof ModelPlanBase, 'estimator'>>;

/**
 * P: the plan type; S: the user-tier spec type; R: the result type (a kind of `ModelResult`, typed detail); F: the
 * fit (the result itself for a module that computes its variance inside the fit).
 */
export interface Estimator<
  P extends ModelPlanBase = ModelPlanBase,
  S = Record<string, unknown>,
  R extends ModelResult = ModelResult,
  F = unknown,
> {
  /** The value of `estimator:` that selects this module. */
  readonly kind: P['estimator'];
  /** The user-tier spec type. */
  readonly spec: SpecType;
  /**
   * User spec (already checked against the schema) → the estimator's plan fields with every default filled in; null
   * when a problem was reported through `ctx`. The generic fields (id, label, sample, source) are added by normalize.
   */
  normalize(spec: S, ctx: NormalizeContext): PlanFields<P> | null;
  /** Every column the model reads, with the spec key naming it (the sample's names are added by the caller). */
  inputs(plan: P): ModelInput[];
  /** Terms computed as columns on the full panel before the sample is applied (`lag(x,1)`); [] if none. */
  terms(plan: P): Term[];
  /** Coefficient names the model will report, in order (the rows it brings to a regression table). */
  coefficientNames(plan: P): string[];
  /** The formula, fixed-effect and vcov parts of the fingerprint. */
  fingerprint(plan: P): EstimatorFingerprint;
  /** Plan fields already counted in `fingerprint` (every other field of the plan counts as an option). */
  readonly fingerprintFields: readonly string[];
  /** True when a change of `vcov`/`ssc` alone leaves the estimates unchanged (only SEs, t, p, stars change). */
  readonly varianceOnlyVcov: boolean;
  readonly table: TableDefaults;
  /**
   * The first stages a table can show as columns (`{ model, stage: first, endogenous }`): the endogenous variables.
   * Absent: the model has no first stage.
   */
  firstStages?(plan: P): string[];
  /** True when the model demeans through `EstimationData.demeanCache` (the run shares one when two models can). */
  readonly sharesDemeaning?: boolean;
  /**
   * Fit, then variance (issue 12). `fit` returns what the variances need (coefficients, residuals, bread, the sample
   * rows, the fixed-effect codes, …); `variance` computes the result under the plan's `vcov`/`ssc` from it. A module
   * whose variance is not (yet) separable computes it inside `fit` and returns the result as its fit
   * (`varianceInFit` in engine/estimate/fit-variance.ts); its `fitWithoutVcov` is then absent.
   */
  fit(plan: P, data: EstimationData): F;
  variance(plan: P, fit: F, data: EstimationData): R;
  /** Fit and variance in one call: `variance(plan, fit(plan, data), data)` (tests, and estimators built on others). */
  estimate(plan: P, data: EstimationData): R;
  /**
   * Present when `fit` does not depend on the variance choice, so that the run's cache keeps fits and a change of
   * `vcov` or `ssc` alone recomputes only the variance (engine/run/estimate-model.ts).
   */
  readonly fitWithoutVcov?: FitWithoutVcov<P>;
}

/** How the fit cache keys the fit of a module whose fit does not depend on the variance choice. */
export interface FitWithoutVcov<P> {
  /** The plan with its variance choice neutral: its fingerprint keys the fit (vcov and ssc do not count). */
  plan(plan: P): P;
  /**
   * What the variance choice still decides about the fit, from the model's data (JSON-serialisable; it is part of
   * the key). OLS: the cluster variables that are missing on some rows, since those rows leave the sample.
   */
  sampleKey(plan: P, data: EstimationData): unknown;
}

/** An estimator of any plan, as held by the registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds modules of every plan type; each is called with its own.
export type AnyEstimator = Estimator<any, any, ModelResult, any>;

/** Keep the base fields, as normalize builds them. */
export type { ModelPlanBase, SamplePlan };
