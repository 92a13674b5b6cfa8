/**
 * Dynamic-panel GMM: difference GMM (Arellano–Bond 1991, `diffgmm`) and system GMM (Blundell–Bond 1998, `sysgmm`).
 *
 * Model: y_it = x_it'β + μ_i + τ_t + ε_it, with lags of y among the x. Difference GMM estimates the first-differenced
 * equations Δy = ΔX β + Δε with lagged levels as instruments; system GMM stacks those with the levels equations,
 * instrumented by lagged differences (see layout.ts for the exact instrument sets). For a weighting matrix W:
 *   b = (X'Z W Z'X)⁻¹ X'Z W Z'y
 * one-step: W₁ = (Σᵢ Zᵢ'HᵢZᵢ)⁻¹ (moments.ts); two-step: W₂ = (Σᵢ Zᵢ'ê₁ᵢê₁ᵢ'Zᵢ)⁻¹ from the one-step residuals.
 * Reported SEs: one-step robust, or two-step with Windmeijer's correction (variance.ts). Statistics: plm's Sargan,
 * Hansen's J, Arellano–Bond AR(1)/AR(2) (specification-tests.ts). Conventions and where plm and xtabond2 differ:
 * CONVENTIONS.md.
 *
 * Stages:
 *   1. place the sample on the panel grid (panel.ts)
 *   2. lay out equations, regressors and instrument columns (layout.ts)
 *   3. stack every unit's complete equations with sparse instrument rows (equations.ts)
 *   4. accumulate Z'X, Z'y, Z'HZ (moments.ts) and fit one step, then two (fit.ts)
 *   5. variances (variance.ts) and specification tests (specification-tests.ts)
 *   6. assemble the result, with notes for what was dropped or fixed
 */
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { GmmPlan } from '../../normalize/plan.js';
import { chiSquareSf, incompleteBeta, pValueNormal, pValueT } from '../../numerics/distributions.js';
import type { CoefficientResult, ModelResult } from '../../results/types.js';
import type { EstimationData, Estimator } from '../types.js';
import { varianceInFit } from '../fit-variance.js';
import { isPlainTerm } from '../../expr/formula.js';
import { GMM_DEFAULTS, type GmmModel, type GmmOptions } from './spec.js';
import { dependentColumns, matVec, spdInverse, symmetricPseudoInverse } from './dense.js';
import type { GmmDetail } from './detail.js';
import { regressorGram, stackEquations, withoutRegressors } from './equations.js';
import { gmmStep, type GmmStep } from './fit.js';
import { gmmLayout, instrumentGroups } from './layout.js';
import { crossMoments, firstStepMatrix, residuals, scoreOuterSum, totalScore, unitScores } from './moments.js';
import { onGrid, panelGrid } from './panel.js';
import { arTest, differenceInHansen, nonRobustSargan, overidentification, waldTest } from './specification-tests.js';
import { sandwich, windmeijer } from './variance.js';

export type { GmmDetail } from './detail.js';

/** The module of both GMM kinds (they differ only in `estimator`, which the layout reads). */
function gmmModule(kind: 'sysgmm' | 'diffgmm'): Estimator<GmmPlan, GmmModel> {
  return {
    kind,
    spec: { type: 'GmmModel', file: 'engine/estimate/gmm/spec.ts' },
    normalize(spec, ctx) {
      const f = ctx.formula();
      if (!f) return null;
      if (f.iv || !f.regressors.every(isPlainTerm)) {
        ctx.report('SPEC_CONFLICT', ['formula'], {
          detail: 'GMM formulas take columns and lags only (no IV part, x:z, i() or sunab())',
          hint: 'define the interaction as a derived variable; instruments go under gmm:',
        });
        return null;
      }
      if (f.fixedEffects.length > 0) {
        ctx.report('SPEC_CONFLICT', ['formula'], {
          detail: 'GMM formulas take no fixed effects after |',
          hint: 'unit effects are differenced out; time effects come from gmm.effect: twoways',
        });
        return null;
      }
      const g = spec.gmm ?? ({} as Partial<GmmOptions>);
      const instruments = Object.entries(g.instruments ?? {}).map(([variable, r]) => ({
        variable,
        from: Number(r[0]),
        to: Number(r[1]),
      }));
      const iv = [...(g.iv ?? GMM_DEFAULTS.iv)];
      for (const v of iv) {
        if (instruments.some((i) => i.variable === v)) {
          ctx.report('SPEC_CONFLICT', ['gmm', 'iv'], {
            detail: `${v} is both a GMM-style and an IV-style instrument`,
            hint: 'list it under gmm.instruments or gmm.iv, not both',
          });
        }
      }
      for (const i of instruments) {
        if (i.from > i.to || i.from < 0) {
          ctx.report('SPEC_CONFLICT', ['gmm', 'instruments', i.variable], {
            detail: `lag range [${i.from}, ${i.to}] of ${i.variable} is empty or negative`,
            hint: 'write [first lag, last lag], e.g. [2, 99]',
          });
        }
      }
      if (spec.estimator === 'diffgmm' && g.constant === true) {
        ctx.report('SPEC_CONFLICT', ['gmm', 'constant'], {
          detail: 'difference GMM has no constant: first differences remove it',
          hint: 'drop gmm.constant, or use estimator: sysgmm',
        });
      }
      return {
        estimator: spec.estimator,
        dependent: f.dependent.variable,
        regressors: f.regressors.filter(isPlainTerm),
        instruments,
        iv,
        steps: g.steps ?? GMM_DEFAULTS.steps,
        collapse: g.collapse ?? GMM_DEFAULTS.collapse,
        effect: g.effect ?? GMM_DEFAULTS.effect,
        // One value whatever the kind, so that sysgmm → diffgmm is an estimator change only (diffgmm ignores it).
        constant: g.constant ?? GMM_DEFAULTS.constant,
        transform: g.transform ?? GMM_DEFAULTS.transform,
        small: g.small ?? GMM_DEFAULTS.small,
        levelsLag: g.levels_lag ?? GMM_DEFAULTS.levels_lag,
      };
    },
    inputs: (plan) => [
      { name: plan.dependent, key: 'formula' },
      ...plan.regressors.map((t) => ({ name: t.variable, key: 'formula' })),
      ...plan.instruments.map((i) => ({ name: i.variable, key: 'gmm' })),
      ...plan.iv.map((v) => ({ name: v, key: 'gmm' })),
    ],
    // GMM builds its own lags on the panel grid.
    terms: () => [],
    coefficientNames: (plan) => plan.regressors.map((r) => r.name),
    fingerprint: (plan) => ({
      formula: { dependent: plan.dependent, regressors: plan.regressors.map((t) => t.name) },
      fixed_effects: [],
      vcov: null,
    }),
    fingerprintFields: ['dependent', 'regressors'],
    varianceOnlyVcov: false,
    table: { layout: 'regression' },
    ...varianceInFit(estimateGmm),
  };
}

export const sysGmmEstimator = gmmModule('sysgmm');
export const diffGmmEstimator = gmmModule('diffgmm');

export function estimateGmm(plan: GmmPlan, data: EstimationData): ModelResult {
  const model = plan.id;
  if (!data.unit || !data.time) throw new SpecrunError('GMM_NO_PANEL', { model });
  const notes: Note[] = [];

  // 1. the panel grid
  const grid = panelGrid(data.unit, data.time, model);
  const T = grid.nperiods;

  // 2. layout
  const layout = gmmLayout(plan, T, grid.periods);

  // 3. equations
  const variables = new Set<string>([
    plan.dependent,
    ...plan.regressors.map((t) => t.variable),
    ...plan.instruments.map((g) => g.variable),
    ...plan.iv,
  ]);
  const columns = new Map<string, Float64Array>();
  for (const name of variables) columns.set(name, onGrid(data.frame.numeric(name), grid));
  const stacked = stackEquations(layout, grid, columns.get(plan.dependent)!, columns, plan.transform);
  if (stacked.nrows === 0) throw new SpecrunError('NO_OBSERVATIONS', { model });
  // a regressor that is zero everywhere or collinear with earlier ones cannot be estimated: an error for a term,
  // a dropped column (with a note) for a time dummy, e.g. of a period that no equation of the sample reaches
  const nTerms = plan.regressors.length;
  const gram = regressorGram(stacked);
  const collinear = dependentColumns(gram, stacked.K);
  const badTerms = collinear.filter((k) => k < nTerms);
  if (badTerms.length > 0) {
    const names = badTerms.map((k) => plan.regressors[k]!.name).join(', ');
    if (badTerms.every((k) => gram[k * stacked.K + k] === 0))
      throw new SpecrunError('GMM_ZERO_REGRESSOR', { model, names });
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `${names} is collinear with the other regressors in the equations of the sample`,
      hint: 'remove the collinear regressor',
    });
  }
  const timeNames = layout.timeNames.filter((_, j) => !collinear.includes(nTerms + j));
  if (collinear.length > 0) {
    notes.push(
      note('GMM_TIME_DUMMY_DROPPED', { names: collinear.map((k) => layout.timeNames[k - nTerms]!).join(', ') }),
    );
  }
  const eq = withoutRegressors(stacked, collinear);
  const { K, L } = eq;
  if (eq.droppedInstruments > 0) notes.push(note('GMM_EMPTY_INSTRUMENTS', { count: eq.droppedInstruments }));
  if (L < K) throw new SpecrunError('GMM_UNDERIDENTIFIED', { model, instruments: L, coefficients: K });
  if (L > eq.groups) notes.push(note('GMM_TOO_MANY_INSTRUMENTS', { instruments: L, groups: eq.groups }));

  // 4. one step, then two
  const { ZX, Zy } = crossMoments(eq);
  const inv1 = symmetricPseudoInverse(firstStepMatrix(eq), L);
  if (inv1.rank < L) notes.push(note('GMM_SINGULAR_WEIGHT', { step: 'one-step', rank: inv1.rank, size: L }));
  const step1 = gmmStep(ZX, Zy, inv1.inverse, L, K, spdInverse, model);
  const e1 = residuals(eq, step1.b);
  const scores1 = unitScores(eq, e1);
  const S = scoreOuterSum(scores1, eq.nunits, L);
  const inv2 = symmetricPseudoInverse(S, L);
  if (inv2.rank < L) notes.push(note('GMM_SINGULAR_WEIGHT', { step: 'two-step', rank: inv2.rank, size: L }));
  const W2 = inv2.inverse;
  const twoStep = plan.steps === 2;
  // a one-step model still reports Hansen's J, which needs the two-step estimate; should that one fail, the one-step
  // results stand and hansen is null
  let step2: GmmStep | null = null;
  try {
    step2 = gmmStep(ZX, Zy, W2, L, K, spdInverse, model);
  } catch (e) {
    if (twoStep || !(e instanceof SpecrunError)) throw e;
  }
  const g2 = step2 ? totalScore(ZX, Zy, step2.b, L, K) : null;

  // 5. variances and tests
  const vcov1 = sandwich(step1.bread, step1.WZX, S, L, K);
  const final = twoStep ? step2! : step1;
  const vcovReported = twoStep
    ? windmeijer({ eq, scores1, v: matVec(W2, g2!, L, L), bread2: step2!.bread, WZX2: step2!.WZX, vcov1 })
    : vcov1;
  // xtabond2's `small`: the variance × N/(N − K + 1) · G/(G − 1), N the equations xtabond2 counts as "Number of obs"
  // (levels equations of system GMM, transformed ones of difference GMM), K the coefficients, G the groups — the factor
  // that gives Roodman's (2009) printed `small` SEs to all their digits in both of its examples (Stata's regress-style
  // (N − 1)/(N − K) misses them by 1e-5 relative);
  // t and F with G − 1 df when the model has a constant, G without (F(12, 139) and F(16, 140) in those examples)
  const nobsXt = layout.transformation === 'system' ? eq.nobsLevel : eq.nobsDiff;
  const smallFactor = plan.small ? (nobsXt / (nobsXt - K + 1)) * (eq.groups / (eq.groups - 1)) : 1;
  const vcov = plan.small ? vcovReported.map((v) => v * smallFactor) : vcovReported;
  const dfSmall = eq.groups - (timeNames.includes('(Intercept)') ? 1 : 0);
  const eFinal = twoStep ? residuals(eq, step2!.b) : e1;
  const df = L - K;
  const sargan = overidentification(twoStep ? g2! : totalScore(ZX, Zy, step1.b, L, K), W2, L);
  const hansen = g2 ? overidentification(g2, W2, L) : null;
  // the AR tests use the variance before `small` scales it (so that `small` changes only the coefficients' inference)
  // with orthogonal deviations the AR tests are on the first-differenced residuals of the same coefficients
  const fdEq =
    plan.transform === 'fod'
      ? withoutRegressors(stackEquations(layout, grid, columns.get(plan.dependent)!, columns, 'fd'), collinear)
      : null;
  const differenced = fdEq ? { eq: fdEq, e: residuals(fdEq, final.b) } : undefined;
  const arInput = { eq, T, e: eFinal, bread: final.bread, WZX: final.WZX, vcov: vcovReported, differenced };
  const ar = [1, 2].map((order) => {
    const r = arTest(arInput, order);
    if (r.z === null) notes.push(note('GMM_AR_UNAVAILABLE', { order, reason: r.reason }));
    return r.z;
  });
  const arAll = layout.transformation === 'system' ? [1, 2].map((order) => arTest(arInput, order, 'all').z) : ar;
  // xtabond2's one-step "Sargan test (not robust)" and its difference-in-Hansen tests by instrument group
  const sarganNr = nonRobustSargan(eq, totalScore(ZX, Zy, step1.b, L, K), inv1.inverse, e1, nobsXt);
  const layoutToKept = new Map<number, number>();
  eq.keptColumns.forEach((c, k) => layoutToKept.set(c, k));
  const diffHansen =
    hansen === null
      ? []
      : instrumentGroups(layout)
          .map((g) => {
            const cols = g.columns.map((c) => layoutToKept.get(c)).filter((c): c is number => c !== undefined);
            return { group: g.name, ...differenceInHansen({ ZX, Zy, S, L, K, hansen, group: cols }) };
          })
          .filter((d) => d.columns > 0);

  // 6. result
  const se = (k: number): number => Math.sqrt(vcov[k * K + k]!);
  const coef = (k: number, b: Float64Array): CoefficientResult => {
    const s = se(k);
    const z = b[k]! / s;
    return { estimate: b[k]!, se: s, t: z, p: plan.small ? pValueT(z, dfSmall) : pValueNormal(z) };
  };
  const coefficients: Record<string, CoefficientResult> = {};
  const oneStep: Record<string, number> = {};
  const seUncorrected: Record<string, number> = {};
  plan.regressors.forEach((t, k) => {
    coefficients[t.name] = coef(k, final.b);
    oneStep[t.name] = step1.b[k]!;
    if (twoStep) seUncorrected[t.name] = Math.sqrt(step2!.bread[k * K + k]!);
  });
  const timeEffects: Record<string, CoefficientResult> = {};
  timeNames.forEach((name, j) => {
    timeEffects[name] = coef(nTerms + j, final.b);
  });
  const nobs = eq.nobsDiff + eq.nobsLevel;
  const pOrNull = (z: number | null): number | null => (z === null ? null : pValueNormal(z));
  const chiP = (x: number | null, d: number): number | null =>
    x === null || !(d > 0) ? null : chiSquareSf(Math.max(x, 0), d);
  // joint test of every coefficient but the constant (xtabond2's "Wald chi2" / with `small` "F(q, G − 1)")
  const jointIdx = [...Array(K).keys()].filter((k) => (k >= nTerms ? timeNames[k - nTerms] !== '(Intercept)' : true));
  const wald = waldTest(final.b, vcov, K, jointIdx);
  const diffStats: Record<string, number | null> = {};
  for (const d of diffHansen) {
    diffStats[`diff_hansen_${d.group}`] = d.difference;
    diffStats[`diff_hansen_${d.group}_df`] = d.columns;
    diffStats[`diff_hansen_${d.group}_p`] = chiP(d.difference, d.columns);
  }
  const detail: GmmDetail = {
    transformation: layout.transformation,
    transform: plan.transform,
    steps: plan.steps,
    collapse: plan.collapse,
    timeEffects,
    seUncorrected: twoStep ? seUncorrected : null,
    oneStep,
    emptyInstruments: eq.droppedInstruments,
    nobsDiff: eq.nobsDiff,
    nobsLevel: eq.nobsLevel,
    periods: [grid.periods[layout.firstDiff]!, grid.periods[T - 1]!],
    xtabond2: { ar1: arAll[0]!, ar1_p: pOrNull(arAll[0]!), ar2: arAll[1]!, ar2_p: pOrNull(arAll[1]!) },
    diffHansen: diffHansen.map((d) => ({
      group: d.group,
      instruments: d.columns,
      hansenExcluding: d.excluding,
      hansenExcludingDf: d.excluding === null ? null : L - d.columns - K,
      hansenExcludingP: chiP(d.excluding, L - d.columns - K),
      difference: d.difference,
      differenceDf: d.columns,
      differenceP: chiP(d.difference, d.columns),
    })),
    small: plan.small ? { factor: smallFactor, df: dfSmall, nobs: nobsXt } : null,
  };
  return {
    estimator: plan.estimator,
    nobs,
    coefficients,
    stats: {
      sargan,
      sargan_df: df,
      sargan_p: df > 0 ? chiSquareSf(sargan, df) : null,
      hansen,
      hansen_df: df,
      hansen_p: hansen !== null && df > 0 ? chiSquareSf(hansen, df) : null,
      ar1: ar[0]!,
      ar1_p: pOrNull(ar[0]!),
      ar2: ar[1]!,
      ar2_p: pOrNull(ar[1]!),
      sargan_nonrobust: sarganNr,
      sargan_nonrobust_df: df,
      sargan_nonrobust_p: chiP(sarganNr, df),
      ...diffStats,
      wald: wald?.stat ?? null,
      wald_df: wald?.df ?? null,
      wald_p: wald ? chiP(wald.stat, wald.df) : null,
      ...(plan.small
        ? {
            f: wald ? wald.stat / wald.df : null,
            f_df1: wald?.df ?? null,
            f_df2: dfSmall,
            f_p: wald ? fSf(wald.stat / wald.df, wald.df, dfSmall) : null,
          }
        : {}),
      instruments: L,
      groups: grid.nunits,
      nobs,
      // The counts xtabond2 prints: "Number of obs" is the levels equations of system GMM, the differenced ones of
      // difference GMM; plm's nobs (above) adds both.
      nobs_level: eq.nobsLevel,
      nobs_diff: eq.nobsDiff,
    },
    fixedEffects: [],
    vcov: twoStep ? 'windmeijer' : 'robust',
    notes,
    detail,
  };
}

/** P(F ≥ f) for F(d1, d2): I_{d2/(d2 + d1 f)}(d2/2, d1/2). */
function fSf(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  const x = d2 / (d2 + d1 * f);
  return incompleteBeta(x, d2 / 2, d1 / 2, (d1 * f) / (d2 + d1 * f));
}
