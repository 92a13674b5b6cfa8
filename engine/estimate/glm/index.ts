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
import { varianceInFit } from '../fit-variance.js';
import { estimateGlmArrays, INTERCEPT } from './estimate-glm.js';
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

export function estimateGlm(kind: GlmFamilyName, plan: GlmPlan, data: EstimationData): ModelResult {
  const { frame } = data,
    model = plan.id;
  const design = expandDesign(plan.regressors, frame, { model, unit: data.unit });
  const r = estimateGlmArrays({
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
  });
  return {
    estimator: kind,
    nobs: r.nobs,
    coefficients: r.coefficients,
    stats: r.stats,
    fixedEffects: [...plan.fixedEffects],
    vcov: vcovName(plan.vcov),
    notes: [...design.notes, ...r.notes],
  };
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
    ...varianceInFit((plan: GlmPlan, data: EstimationData) => estimateGlm(kind, plan, data)),
  };
}

export const poissonEstimator = glmModule('poisson');
export const logitEstimator = glmModule('logit');
export const probitEstimator = glmModule('probit');
