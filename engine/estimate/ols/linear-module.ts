/**
 * What the `ols` and `iv` modules share: normalization of a linear formula (an IV part `endog ~ instruments` makes
 * the model `iv`, whichever of the two kinds the spec names), the columns and terms it reads, its coefficient rows
 * and its fingerprint parts.
 */
import { componentTerms, isPlainTerm, type ParsedFormula } from '../../expr/formula.js';
import type { IvPlan, OlsPlan, Term, VcovPlan, WildPlan } from '../../normalize/plan.js';
import type { EstimatorFingerprint, ModelInput, NormalizeContext, PlanFields } from '../types.js';
import { OLS_DEFAULTS, type OlsModel } from './spec.js';

export const INTERCEPT = '(Intercept)';

/** Defaults of the wild cluster bootstrap (`inference.wild`). */
export const WILD_DEFAULTS = { reps: 999, level: 0.95, seed: 1, weights: 'rademacher' } as const;

type LinearPlan = OlsPlan | IvPlan;

export function normalizeLinear(
  spec: OlsModel,
  ctx: NormalizeContext,
): PlanFields<OlsPlan> | PlanFields<IvPlan> | null {
  const f = ctx.formula();
  const vcov = ctx.vcov();
  if (!f || !vcov) return null;
  const weights = typeof spec.weights === 'string' ? spec.weights : null;
  const singletons: 'drop' | 'keep' = spec.singletons ?? OLS_DEFAULTS.singletons;
  // weights, singletons and wild are left out at their defaults, so that the plans (and hashes) of specs that do not
  // use them are what they were before these keys existed
  const common = {
    dependent: f.dependent,
    regressors: f.regressors,
    fixedEffects: f.fixedEffects,
    intercept: f.fixedEffects.length === 0,
    vcov,
    ...(weights ? { weights } : {}),
    ...(singletons === 'keep' ? { singletons } : {}),
  } as const;
  if (f.iv) {
    if (!checkIv(f, ctx, String(spec.formula ?? ''))) return null;
    if (spec.inference !== undefined && spec.inference !== null && typeof spec.inference === 'object') {
      ctx.report('SPEC_CONFLICT', ['inference'], {
        detail: 'the wild bootstrap is implemented for OLS models, not IV',
        hint: 'remove inference: from this model, or estimate the reduced form by OLS',
      });
      return null;
    }
    return { ...common, estimator: 'iv', endogenous: f.iv.endogenous, instruments: f.iv.instruments };
  }
  if (spec.estimator === 'iv') {
    ctx.report('SPEC_CONFLICT', ['formula'], {
      detail: 'estimator iv needs an IV part in the formula',
      hint: 'write `y ~ exog | fe | endog ~ instruments` (or `y ~ exog | endog ~ instruments` without fixed effects)',
    });
    return null;
  }
  const wild = parseWild(spec.inference, ctx, vcov);
  if (wild === undefined) return null;
  return {
    ...common,
    estimator: 'ols',
    constant: (spec.constant ?? OLS_DEFAULTS.constant) && f.fixedEffects.length > 0,
    ...(wild ? { wild } : {}),
  };
}

/** IV identification checks that need no data: every endogenous variable has an instrument of its own. */
function checkIv(f: ParsedFormula, ctx: NormalizeContext, written: string): boolean {
  const iv = f.iv!;
  const rhs = new Set(f.regressors.map((t) => t.name));
  const endo = new Set(iv.endogenous.map((t) => t.name));
  let ok = true;
  for (const z of iv.instruments) {
    if (rhs.has(z.name) || endo.has(z.name) || z.name === f.dependent.name) {
      const role = rhs.has(z.name)
        ? 'an exogenous regressor'
        : endo.has(z.name)
          ? 'an endogenous regressor'
          : 'the dependent variable';
      ctx.report('IV_INSTRUMENT_IS_REGRESSOR', ['formula'], { name: z.name, role }, instrumentOffset(written, z.name));
      ok = false;
    }
  }
  for (const x of iv.endogenous) {
    if (x.name === f.dependent.name) {
      ctx.report('SPEC_CONFLICT', ['formula'], {
        detail: `the dependent variable ${x.name} is also listed as endogenous`,
        hint: 'the IV part names the endogenous regressors: `endog ~ instruments`',
      });
      ok = false;
    }
  }
  if (iv.instruments.length < iv.endogenous.length) {
    ctx.report(
      'IV_UNDERIDENTIFIED',
      ['formula'],
      { k: iv.endogenous.length, l: iv.instruments.length },
      ivPartOffset(written),
    );
    ok = false;
  }
  if (f.regressors.some((t) => t.kind === 'sunab')) {
    ctx.report('SPEC_CONFLICT', ['formula'], {
      detail: 'sunab() is available in OLS models only',
      hint: 'estimate the event study by OLS',
    });
    ok = false;
  }
  return ok;
}

/** Offset of an instrument's name in the IV part (after the last `~`) of a formula (0 when not found). */
function instrumentOffset(formula: string, name: string): number {
  const tilde = formula.lastIndexOf('~');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?<![\\p{L}\\p{N}_.])${escaped}(?![\\p{L}\\p{N}_.])`, 'u').exec(formula.slice(tilde + 1));
  return m ? tilde + 1 + m.index : 0;
}

/** Offset of the IV part (the first character after the last `|`). */
function ivPartOffset(formula: string): number {
  const bar = formula.lastIndexOf('|');
  const rest = formula.slice(bar + 1);
  return bar + 1 + (rest.length - rest.trimStart().length);
}

/** `inference: { wild: … }` → a WildPlan (null: none; undefined: an error was reported). */
function parseWild(v: unknown, ctx: NormalizeContext, vcov: VcovPlan): WildPlan | null | undefined {
  const isMap = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isMap(v) || !isMap(v['wild'])) return null;
  const w = v['wild'];
  if (vcov.type !== 'cluster' || vcov.cluster.length !== 1) {
    ctx.report('SPEC_CONFLICT', ['inference', 'wild'], {
      detail: 'the wild cluster bootstrap needs one cluster variable',
      hint: 'set vcov: cluster(g) on this model',
    });
    return undefined;
  }
  const reps = typeof w['reps'] === 'number' ? w['reps'] : WILD_DEFAULTS.reps;
  if (!Number.isInteger(reps) || reps < 1) {
    ctx.report('SPEC_CONFLICT', ['inference', 'wild', 'reps'], {
      detail: 'reps must be a whole number ≥ 1',
      hint: 'e.g. reps: 999',
    });
    return undefined;
  }
  const level = typeof w['level'] === 'number' ? w['level'] : WILD_DEFAULTS.level;
  return {
    reps,
    level,
    seed: typeof w['seed'] === 'number' ? w['seed'] : WILD_DEFAULTS.seed,
    weights: w['weights'] === 'webb' ? 'webb' : WILD_DEFAULTS.weights,
    terms: Array.isArray(w['terms']) ? (w['terms'] as unknown[]).map(String) : [],
  };
}

const endogenousOf = (plan: LinearPlan): readonly Term[] =>
  plan.estimator === 'iv' ? [...plan.endogenous, ...plan.instruments] : [];

/** Columns: the formula's variables (and the IV part's), fixed effects, cluster variables, weights. */
export function linearInputs(plan: LinearPlan): ModelInput[] {
  return [
    ...[plan.dependent, ...plan.regressors.flatMap(componentTerms)].map((t) => ({ name: t.variable, key: 'formula' })),
    ...endogenousOf(plan).map((t) => ({ name: t.variable, key: 'formula' })),
    ...plan.fixedEffects.map((f) => ({ name: f, key: 'formula' })),
    ...plan.vcov.cluster.map((c) => ({ name: c, key: 'vcov' })),
    ...(plan.weights ? [{ name: plan.weights, key: 'weights' }] : []),
  ];
}

/** Numeric terms computed on the full panel (lags); i() factors and sunab cohorts may be text and are read as columns. */
export function linearTerms(plan: LinearPlan): Term[] {
  const categorical = new Set(
    plan.regressors.flatMap((t) => (t.kind === 'i' ? [t.factor] : t.kind === 'sunab' ? [t.cohort, t.period] : [])),
  );
  return [plan.dependent, ...plan.regressors.flatMap(componentTerms), ...endogenousOf(plan)].filter(
    (t) => t.lag !== 0 || !categorical.has(t.variable),
  );
}

export function linearCoefficientNames(plan: LinearPlan): string[] {
  const endo = plan.estimator === 'iv' ? plan.endogenous.map((r) => r.name) : [];
  return [...endo, ...plan.regressors.map((r) => r.name), ...(plan.intercept ? [INTERCEPT] : [])];
}

export function linearFingerprint(plan: LinearPlan): EstimatorFingerprint {
  return {
    formula: {
      dependent: plan.dependent.name,
      regressors: plan.regressors.map((t) => t.name),
      intercept: plan.intercept,
      ...(plan.estimator === 'iv'
        ? { endogenous: plan.endogenous.map((t) => t.name), instruments: plan.instruments.map((t) => t.name) }
        : {}),
    },
    fixed_effects: plan.fixedEffects,
    vcov: plan.vcov,
  };
}

/** Plan fields counted in the formula, fixed-effect and vcov parts (the IV part's also stay options, as before). */
export const LINEAR_FINGERPRINT_FIELDS = ['dependent', 'regressors', 'intercept', 'fixedEffects', 'vcov'];

export { isPlainTerm };
