/**
 * The `threshold` estimator (Hansen 1999): the module the registry holds. Grid search in search.ts, the sequential
 * procedure, intervals and bootstrap in estimate-threshold.ts, every rule in CONVENTIONS.md.
 */
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import { isPlainTerm } from '../../expr/formula.js';
import type { ModelPlanBase, Term, VcovPlan } from '../../normalize/plan.js';
import type { ModelResult } from '../../results/types.js';
import { groupColumn, numericColumn } from '../glm/frame-columns.js';
import { vcovName } from '../ols/index.js';
import type { EstimationData, Estimator } from '../types.js';
import { fitThenVariance } from '../fit-variance.js';
import { linearFitWithoutVcov } from '../ols/linear-sample.js';
import {
  fitThresholdArrays,
  thresholdVariance,
  type ThresholdArrays,
  type ThresholdArraysFit,
} from './estimate-threshold.js';
import { THRESHOLD_DEFAULTS, type ThresholdModel } from './spec.js';

export interface ThresholdPlan extends ModelPlanBase {
  readonly estimator: 'threshold';
  readonly dependent: Term;
  readonly regressors: readonly Term[];
  /** The unit (the one fixed effect of the formula). */
  readonly unit: string;
  readonly variable: string;
  readonly regime: readonly string[];
  readonly thresholds: 1 | 2 | 3;
  readonly trim: number;
  readonly reps: number;
  readonly seed: number;
  readonly vcov: VcovPlan;
}

export const thresholdEstimator: Estimator<ThresholdPlan, ThresholdModel> = {
  kind: 'threshold',
  spec: { type: 'ThresholdModel', file: 'engine/estimate/threshold/spec.ts' },
  normalize(spec, ctx) {
    const f = ctx.formula();
    const vcov = ctx.vcov();
    if (!f || !vcov) return null;
    const bad = (path: (string | number)[], detail: string, hint: string) => {
      ctx.report('THRESHOLD_BAD_OPTION', path, { model: ctx.id, detail, hint });
      return null;
    };
    if (f.iv || !f.regressors.every(isPlainTerm))
      return bad(['formula'], 'the threshold formula takes columns and lags only', 'write y ~ x1 + x2 | unit');
    if (f.fixedEffects.length !== 1)
      return bad(
        ['formula'],
        `the formula names ${f.fixedEffects.length} fixed effects after |`,
        'write the panel unit after the bar, and only it: y ~ x1 + x2 | unit',
      );
    const t = spec.threshold;
    const d = THRESHOLD_DEFAULTS;
    const trim = t.trim ?? d.trim,
      reps = t.reps ?? d.reps,
      seed = t.seed ?? d.seed;
    if (!(trim > 0 && trim < 0.5))
      return bad(
        ['threshold', 'trim'],
        `trim ${trim} is outside (0, 0.5)`,
        'a trim of 0.01 to 0.1 is usual (Hansen 1999 used 0.01)',
      );
    if (!Number.isInteger(reps) || reps < 0)
      return bad(
        ['threshold', 'reps'],
        `reps ${reps} is not a non-negative integer`,
        'use e.g. 300 replicates, or 0 for no bootstrap',
      );
    if (!Number.isSafeInteger(seed) || seed < 0)
      return bad(['threshold', 'seed'], `seed ${seed} is not a non-negative integer`, 'use a whole number such as 1');
    if (!t.regime.length)
      return bad(
        ['threshold', 'regime'],
        'no regime-dependent regressor is named',
        'list the variables whose slope changes at the threshold: regime: [x]',
      );
    const both = t.regime.filter((r) => f.regressors.some((x) => x.name === r));
    if (both.length)
      return bad(
        ['threshold', 'regime'],
        `${both.join(', ')} is both in the formula and in regime`,
        'a regime-dependent regressor is listed under threshold.regime only (its regime slopes replace the common one)',
      );
    return {
      estimator: 'threshold',
      dependent: f.dependent,
      regressors: f.regressors.filter(isPlainTerm),
      unit: f.fixedEffects[0]!,
      variable: t.variable,
      regime: [...t.regime],
      thresholds: t.thresholds ?? d.thresholds,
      trim,
      reps,
      seed,
      vcov,
    };
  },
  inputs: (plan) => [
    ...[plan.dependent, ...plan.regressors].map((t) => ({ name: t.variable, key: 'formula' })),
    { name: plan.unit, key: 'formula' },
    { name: plan.variable, key: 'threshold' },
    ...plan.regime.map((r) => ({ name: r, key: 'threshold' })),
    ...plan.vcov.cluster.map((c) => ({ name: c, key: 'vcov' })),
  ],
  terms: (plan) => [plan.dependent, ...plan.regressors],
  coefficientNames: (plan) => [
    ...plan.regressors.map((r) => r.name),
    ...Array.from({ length: plan.thresholds + 1 }, (_, j) => plan.regime.map((r) => `${r}:regime${j + 1}`)).flat(),
  ],
  fingerprint: (plan) => ({
    formula: {
      dependent: plan.dependent.name,
      regressors: plan.regressors.map((t) => t.name),
      variable: plan.variable,
      regime: plan.regime,
    },
    fixed_effects: [plan.unit],
    vcov: plan.vcov,
  }),
  fingerprintFields: ['dependent', 'regressors', 'unit', 'variable', 'regime', 'vcov'],
  varianceOnlyVcov: true,
  table: { layout: 'regression' },
  ...fitThenVariance(
    (plan: ThresholdPlan, data: EstimationData) =>
      fitThresholdArrays(thresholdArrays(plan, data), data.replicationPool),
    (plan: ThresholdPlan, fit: ThresholdArraysFit, data: EstimationData): ModelResult => {
      const r = thresholdVariance(thresholdArrays(plan, data), fit);
      return {
        estimator: 'threshold',
        nobs: r.nobs,
        coefficients: r.coefficients,
        stats: r.stats,
        fixedEffects: [plan.unit],
        vcov: vcovName(plan.vcov),
        notes: r.notes,
        detail: r.detail,
      };
    },
  ),
  // the search and the bootstrap (resampling units) do not read the variance choice
  fitWithoutVcov: linearFitWithoutVcov<ThresholdPlan>(),
};

/** The arrays of a threshold model from the model's data (the plan's clusters included). */
function thresholdArrays(plan: ThresholdPlan, data: EstimationData): ThresholdArrays {
  const { frame } = data,
    model = plan.id;
  if (!data.time) {
    throw new SpecrunError('THRESHOLD_BAD_OPTION', {
      model,
      detail: 'the data have no time column',
      hint: "declare data.time: the bootstrap resamples each unit's residuals period by period",
    });
  }
  return {
    model,
    y: numericColumn(frame, plan.dependent.name, model),
    X: plan.regressors.map((t) => numericColumn(frame, t.name, model)),
    names: plan.regressors.map((t) => t.name),
    R: plan.regime.map((c) => numericColumn(frame, c, model)),
    regimeNames: plan.regime,
    q: numericColumn(frame, plan.variable, model),
    qName: plan.variable,
    unit: groupColumn(frame, plan.unit, model),
    time: data.time,
    unitName: plan.unit,
    thresholds: plan.thresholds,
    trim: plan.trim,
    reps: plan.reps,
    seed: plan.seed,
    vcov: plan.vcov,
    clusters: plan.vcov.cluster.map((c) => groupColumn(frame, c, model)),
  };
}
