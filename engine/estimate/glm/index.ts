/**
 * The GLM estimators `poisson`, `logit` and `probit` (fixest's `fepois` / `feglm`): the modules the registry holds.
 * The right-hand terms (columns, lags, `x:z`, `i()`) become columns through the shared design expansion
 * (terms/expand.ts); the numerics are in estimate-glm.ts (stages), irls.ts (the fit), weighted-demean.ts,
 * perfect-fit.ts and family.ts; CONVENTIONS.md maps every number to fixest's.
 */
import { componentTerms } from '../../expr/formula.js';
import type { ModelPlanBase, RhsTerm, Term, VcovPlan } from '../../normalize/plan.js';
import type { ModelResult } from '../../results/types.js';
import { vcovName } from '../ols/index.js';
import { expandDesign } from '../terms/expand.js';
import type { EstimationData, Estimator } from '../types.js';
import { fitThenVariance } from '../fit-variance.js';
import { linearFitWithoutVcov } from '../ols/linear-sample.js';
import { fitGlmArrays, glmVariance, INTERCEPT, type GlmArrays, type GlmArraysFit } from './estimate-glm.js';
import type { Note } from '../../diagnostics/diagnostic.js';
import type { GlmFamilyName } from './family.js';
import { groupColumn, numericColumn } from './frame-columns.js';
import { GLM_DEFAULTS, type GlmModel } from './spec.js';

export interface GlmPlan extends ModelPlanBase {
  readonly estimator: GlmFamilyName;
  readonly dependent: Term;
  readonly regressors: readonly RhsTerm[];
  readonly fixedEffects: readonly string[];
  /** A constant is estimated only when there are no fixed effects. */
  readonly intercept: boolean;
  readonly vcov: VcovPlan;
  /** Prior weights (a column), or null. */
  readonly weights: string | null;
  /** Singleton groups of the fixed effects: absent means `drop` (the default), `keep` as fixest's default. */
  readonly singletons?: 'keep';
}

/** A fitted GLM: the fit of its arrays, with the design's notes (they come first among the result's notes). */
export interface GlmModelFit {
  readonly arrays: GlmArraysFit;
  readonly designNotes: readonly Note[];
}

/** The arrays of a GLM from the model's data: the design columns, fixed effects, weights and the plan's clusters. */
function glmArrays(
  kind: GlmFamilyName,
  plan: GlmPlan,
  data: EstimationData,
): { a: GlmArrays; designNotes: readonly Note[] } {
  const { frame } = data,
    model = plan.id;
  const design = expandDesign(plan.regressors, frame, { model, unit: data.unit });
  const a: GlmArrays = {
    model,
    family: kind,
    y: numericColumn(frame, plan.dependent.name, model),
    yName: plan.dependent.name,
    X: design.columns.map((c) => c.values),
    names: design.columns.map((c) => c.name),
    fe: plan.fixedEffects.map((f) => groupColumn(frame, f, model)),
    feNames: plan.fixedEffects,
    clusters: plan.vcov.cluster.map((c) => groupColumn(frame, c, model)),
    weights: plan.weights ? numericColumn(frame, plan.weights, model) : null,
    weightsName: plan.weights,
    vcov: plan.vcov,
    intercept: plan.intercept,
    singletons: plan.singletons ?? GLM_DEFAULTS.singletons,
  };
  return { a, designNotes: design.notes };
}

/** Steps 1–4 of estimate-glm.ts; the clusters of the plan only decide which rows are complete. */
export function fitGlmModel(kind: GlmFamilyName, plan: GlmPlan, data: EstimationData): GlmModelFit {
  const { a, designNotes } = glmArrays(kind, plan, data);
  return { arrays: fitGlmArrays(a), designNotes };
}

/** The variance of a fitted GLM under the plan's `vcov`/`ssc`, its z tests and statistics. */
export function glmModelVariance(kind: GlmFamilyName, plan: GlmPlan, fit: GlmModelFit, data: EstimationData) {
  const clusters = plan.vcov.cluster.map((c) => groupColumn(data.frame, c, plan.id));
  const r = glmVariance({ model: plan.id, vcov: plan.vcov, feNames: plan.fixedEffects, clusters }, fit.arrays);
  return {
    estimator: kind,
    nobs: r.nobs,
    coefficients: r.coefficients,
    stats: r.stats,
    fixedEffects: [...plan.fixedEffects],
    vcov: vcovName(plan.vcov),
    notes: [...fit.designNotes, ...r.notes],
  } satisfies ModelResult;
}

export function estimateGlm(kind: GlmFamilyName, plan: GlmPlan, data: EstimationData): ModelResult {
  return glmModelVariance(kind, plan, fitGlmModel(kind, plan, data), data);
}

function glmModule(kind: GlmFamilyName): Estimator<GlmPlan, GlmModel> {
  return {
    kind,
    spec: { type: 'GlmModel', file: 'engine/estimate/glm/spec.ts' },
    normalize(spec, ctx) {
      const f = ctx.formula();
      const vcov = ctx.vcov();
      if (!f || !vcov) return null;
      if (f.iv || f.regressors.some((t) => t.kind === 'sunab')) {
        ctx.report('SPEC_CONFLICT', ['formula'], {
          detail: `estimator ${kind} takes no IV part and no sunab()`,
          hint: 'use columns, lags, x:z and i() terms; IV and event studies are linear models (estimator: ols / iv)',
        });
        return null;
      }
      return {
        estimator: kind,
        dependent: f.dependent,
        regressors: f.regressors,
        fixedEffects: f.fixedEffects,
        intercept: f.fixedEffects.length === 0,
        vcov,
        weights: typeof spec.weights === 'string' ? spec.weights : null,
        // left out at the default, so that the plans (and hashes) of specs that do not set it stay as they were
        ...(spec.singletons === 'keep' ? { singletons: 'keep' as const } : {}),
      };
    },
    inputs: (plan) => [
      ...[plan.dependent, ...plan.regressors.flatMap(componentTerms)].map((t) => ({
        name: t.variable,
        key: 'formula',
      })),
      ...plan.fixedEffects.map((f) => ({ name: f, key: 'formula' })),
      ...plan.vcov.cluster.map((c) => ({ name: c, key: 'vcov' })),
      ...(plan.weights ? [{ name: plan.weights, key: 'weights' }] : []),
    ],
    terms(plan) {
      // i() factors may be text: they are read as columns, not as numeric terms
      const categorical = new Set(plan.regressors.flatMap((t) => (t.kind === 'i' ? [t.factor] : [])));
      return [plan.dependent, ...plan.regressors.flatMap(componentTerms)].filter(
        (t) => t.lag !== 0 || !categorical.has(t.variable),
      );
    },
    coefficientNames: (plan) => [...(plan.intercept ? [INTERCEPT] : []), ...plan.regressors.map((r) => r.name)],
    fingerprint: (plan) => ({
      formula: {
        dependent: plan.dependent.name,
        regressors: plan.regressors.map((t) => t.name),
        intercept: plan.intercept,
      },
      fixed_effects: plan.fixedEffects,
      vcov: plan.vcov,
    }),
    fingerprintFields: ['dependent', 'regressors', 'intercept', 'fixedEffects', 'vcov'],
    varianceOnlyVcov: true,
    table: { layout: 'regression' },
    ...fitThenVariance(
      (plan: GlmPlan, data: EstimationData) => fitGlmModel(kind, plan, data),
      (plan: GlmPlan, fit: GlmModelFit, data: EstimationData) => glmModelVariance(kind, plan, fit, data),
    ),
    fitWithoutVcov: linearFitWithoutVcov<GlmPlan>(),
  };
}

export const poissonEstimator = glmModule('poisson');
export const logitEstimator = glmModule('logit');
export const probitEstimator = glmModule('probit');
