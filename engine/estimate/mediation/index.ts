/**
 * The `mediation` estimator: the stepwise method (Baron & Kenny 1986; Wen & Ye 2014) with treatment X, mediator M,
 * outcome Y and controls W, each equation with the same fixed effects and variance estimator:
 *
 *   total:     Y = c X + W γ₁ (+ fixed effects) + e₁
 *   mediator:  M = a X + W γ₂ (+ fixed effects) + e₂
 *   outcome:   Y = c′ X + b M + W γ₃ (+ fixed effects) + e₃
 *
 * indirect effect ab, share ab / c, Sobel / Aroian / Goodman tests (indirect-tests.ts), an optional seeded bootstrap
 * of ab (bootstrap.ts) and the Wen & Ye verdict (verdict.ts). Each equation is fitted by the `ols` estimator on one
 * common sample (common-sample.ts), so its fixed effects, singleton rule and variance conventions are exactly those
 * of an `ols` model.
 *
 * The result: `coefficients` are those of the outcome equation (what a regression table shows for the last step),
 * `stats` the mediation statistics (a, b, c, c_prime with SEs; indirect, share, the three tests, the bootstrap
 * bounds; r2 and r2_adj of the outcome equation), and `detail: MediationDetail` the three step results with
 * everything else. The verdict's significance level is 5%.
 *
 * Bootstrap: rows are resampled, or whole clusters of the first cluster variable when the variance clusters. Each
 * replicate refits the mediator and outcome equations with an iid variance (only the point estimates a and b are
 * used). Fixed effects of a duplicated cluster are not relabelled: the copies are identical rows, so one shared
 * dummy gives the same within-transformed data, and the same a and b, as one dummy per copy.
 */
import { groupCodes } from '../../core/frame.js';
import { SpecrunError, note, type Note } from '../../diagnostics/diagnostic.js';
import type { MediationPlan, OlsPlan, Term, VcovPlan } from '../../normalize/plan.js';
import type { MediationDetail, MediationResult, ModelResult } from '../../results/types.js';
import { olsEstimator } from '../ols/index.js';
import type { EstimationData, Estimator } from '../types.js';
import { varianceInFit } from '../fit-variance.js';
import { MEDIATION_DEFAULTS, type MediationModel } from './spec.js';
import { biasCorrectedInterval, bootstrapDraws, drawPicks, percentileInterval, resampleLayout } from './bootstrap.js';
import { MAX_BOOTSTRAP_PICKS, mediationBootData, mediationBootKernel } from './kernel.js';
import { Xoshiro128 } from './prng.js';
import { replicate } from '../replication-pool.js';
import { completeRows, identicalColumns, takeRows } from './common-sample.js';
import { indirectEffectTests, mediatedShare } from './indirect-tests.js';
import { wenYeVerdict } from './verdict.js';

/** Significance level of the verdict's tests. */
export const VERDICT_ALPHA = 0.05;

const term = (name: string): Term => ({ name, variable: name, lag: 0 });

/** The three OlsPlans of a mediation plan (fit on the common sample, so no sample of their own). */
export function mediationSteps(
  plan: MediationPlan,
  vcov: VcovPlan = plan.vcov,
): { total: OlsPlan; mediator: OlsPlan; outcome: OlsPlan } {
  const base = {
    label: null,
    sample: null,
    source: plan.source,
    estimator: 'ols' as const,
    fixedEffects: plan.fixedEffects,
    intercept: plan.fixedEffects.length === 0,
    constant: false,
    vcov,
  };
  const controls = plan.controls.map(term);
  return {
    total: {
      ...base,
      id: `${plan.id}/total`,
      dependent: term(plan.outcome),
      regressors: [term(plan.treatment), ...controls],
    },
    mediator: {
      ...base,
      id: `${plan.id}/mediator`,
      dependent: term(plan.mediator),
      regressors: [term(plan.treatment), ...controls],
    },
    outcome: {
      ...base,
      id: `${plan.id}/outcome`,
      dependent: term(plan.outcome),
      regressors: [term(plan.treatment), term(plan.mediator), ...controls],
    },
  };
}

function checkDistinct(plan: MediationPlan): void {
  const roles: [string, string][] = [
    ['treatment', plan.treatment],
    ['mediator', plan.mediator],
    ['outcome', plan.outcome],
  ];
  for (let i = 0; i < roles.length; i++) {
    for (let j = i + 1; j < roles.length; j++) {
      if (roles[i]![1] === roles[j]![1]) {
        throw new SpecrunError('MEDIATION_SAME_VARIABLE', {
          model: plan.id,
          first: roles[i]![0],
          second: roles[j]![0],
          name: roles[i]![1],
        });
      }
    }
    // A control that is the treatment, mediator or outcome would enter an equation twice (or on both sides).
    const asControl = plan.controls.find((c) => c === roles[i]![1]);
    if (asControl !== undefined) {
      throw new SpecrunError('MEDIATION_SAME_VARIABLE', {
        model: plan.id,
        first: roles[i]![0],
        second: 'controls',
        name: asControl,
      });
    }
  }
}

function coefficient(result: ModelResult, name: string, step: string, model: string) {
  const c = result.coefficients[name];
  if (!c || c.se === null || !Number.isFinite(c.estimate)) {
    throw new SpecrunError('MEDIATION_COEFFICIENT_MISSING', { model, name, step });
  }
  return { estimate: c.estimate, se: c.se, p: c.p };
}

export const mediationEstimator: Estimator<MediationPlan, MediationModel, MediationResult> = {
  kind: 'mediation',
  spec: { type: 'MediationModel', file: 'engine/estimate/mediation/spec.ts' },
  normalize(spec, ctx) {
    const vcov = ctx.vcov();
    if (!vcov) return null;
    if (spec.treatment === spec.mediator) {
      ctx.report('SPEC_CONFLICT', ['mediator'], {
        detail: `the mediator ${String(spec.mediator)} is the treatment itself`,
        hint: 'a mediator must be a different variable from the treatment',
      });
      return null;
    }
    const b = spec.bootstrap;
    const d = MEDIATION_DEFAULTS;
    return {
      estimator: 'mediation',
      treatment: String(spec.treatment),
      mediator: String(spec.mediator),
      outcome: String(spec.outcome),
      controls: spec.controls ?? [...d.controls],
      fixedEffects: spec.fixed_effects ?? [...d.fixed_effects],
      vcov,
      bootstrap: b
        ? { reps: b.reps ?? d.bootstrap.reps, seed: b.seed ?? d.bootstrap.seed, level: b.level ?? d.bootstrap.level }
        : null,
    };
  },
  inputs: (plan) => [
    { name: plan.treatment, key: 'treatment' },
    { name: plan.mediator, key: 'mediator' },
    { name: plan.outcome, key: 'outcome' },
    ...plan.controls.map((c) => ({ name: c, key: 'controls' })),
    ...plan.fixedEffects.map((f) => ({ name: f, key: 'fixed_effects' })),
    ...plan.vcov.cluster.map((c) => ({ name: c, key: 'vcov' })),
  ],
  terms: () => [],
  coefficientNames: (plan) => [plan.treatment, plan.mediator, ...plan.controls],
  fingerprint: (plan) => ({
    formula: { treatment: plan.treatment, mediator: plan.mediator, outcome: plan.outcome, controls: plan.controls },
    fixed_effects: plan.fixedEffects,
    vcov: plan.vcov,
  }),
  fingerprintFields: ['treatment', 'mediator', 'outcome', 'controls', 'fixedEffects', 'vcov'],
  varianceOnlyVcov: true,
  table: { layout: 'mediation' },
  sharesDemeaning: true,
  ...varianceInFit(function estimate(plan: MediationPlan, data: EstimationData): MediationResult {
    checkDistinct(plan);
    // 1. one common sample for the three equations
    const used = [
      plan.outcome,
      plan.treatment,
      plan.mediator,
      ...plan.controls,
      ...plan.fixedEffects,
      ...plan.vcov.cluster,
    ];
    const rows = completeRows(data.frame, used);
    if (rows.length === 0) throw new SpecrunError('NO_OBSERVATIONS', { model: plan.id });
    const common = rows.length === data.frame.nrows ? data : takeRows(data, rows, true);
    const notes: Note[] = [];
    if (rows.length < data.frame.nrows) notes.push(note('MISSING_DROPPED', { count: data.frame.nrows - rows.length }));
    for (const [first, second] of [
      ['treatment', 'mediator'],
      ['mediator', 'outcome'],
      ['treatment', 'outcome'],
    ] as const) {
      const a = plan[first];
      const b = plan[second];
      if (identicalColumns(common.frame, a, b)) {
        throw new SpecrunError('MEDIATION_IDENTICAL_COLUMNS', { model: plan.id, first, a, second, b });
      }
    }

    // 2. the three equations
    const plans = mediationSteps(plan);
    const steps = {
      total: olsEstimator.estimate(plans.total, common),
      mediator: olsEstimator.estimate(plans.mediator, common),
      outcome: olsEstimator.estimate(plans.outcome, common),
    };
    const c = coefficient(steps.total, plan.treatment, 'total', plan.id);
    const a = coefficient(steps.mediator, plan.treatment, 'mediator', plan.id);
    const cPrime = coefficient(steps.outcome, plan.treatment, 'outcome', plan.id);
    const b = coefficient(steps.outcome, plan.mediator, 'outcome', plan.id);
    const seen = new Set<string>(notes.map((n) => `${n.code}\u0000${n.message}`));
    for (const s of [steps.total, steps.mediator, steps.outcome]) {
      for (const n of s.notes) {
        const key = `${n.code}\u0000${n.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          notes.push(n);
        }
      }
    }

    // 3. the indirect effect and its normal-theory tests
    const tests = indirectEffectTests(a.estimate, a.se, b.estimate, b.se);
    const ab = tests.indirect;
    const share = mediatedShare(ab, c.estimate);

    // 4. the bootstrap of ab
    let bootstrap: MediationDetail['bootstrap'] = null;
    if (plan.bootstrap) {
      const { reps, seed, level } = plan.bootstrap;
      const iid: VcovPlan = { type: 'iid', cluster: [], ssc: plan.vcov.ssc };
      const fast = mediationSteps(plan, iid);
      const clusters =
        plan.vcov.type === 'cluster' && plan.vcov.cluster.length > 0
          ? groupCodes(common.frame.get(plan.vcov.cluster[0]!)!).codes
          : null;
      // Every replication's picks from the one seeded stream, in replication order, then a·b per replication
      // (mediationBootKernel, kernel.ts; on the run's threads when worth it: two OLS fits of the sample each).
      const layout = resampleLayout({ n: common.frame.nrows, clusters });
      const setup = {
        ...mediationBootData(common),
        mediatorPlan: fast.mediator,
        outcomePlan: fast.outcome,
        treatment: plan.treatment,
        mediator: plan.mediator,
        layout,
      };
      const rng = new Xoshiro128(seed);
      let values: Float64Array;
      if (reps * layout.per <= MAX_BOOTSTRAP_PICKS) {
        const work = 2 * reps * common.frame.nrows;
        const picks = drawPicks(rng, layout, reps);
        values = replicate(data.replicationPool, mediationBootKernel, { ...setup, picks }, reps, 1, work);
      } else {
        // too many picks to hold at once: one replication at a time, on this thread (the same draws and numbers)
        const picks = new Int32Array(layout.per);
        const state = mediationBootKernel.prepare({ ...setup, picks });
        values = new Float64Array(reps);
        for (let r = 0; r < reps; r++) {
          drawPicks(rng, layout, 1, picks);
          mediationBootKernel.replicate(state, 0, values.subarray(r, r + 1));
        }
      }
      const draws = bootstrapDraws(values);
      if (draws.failed > 0) notes.push(note('BOOTSTRAP_REPS_FAILED', { failed: draws.failed, reps }));
      const bc = biasCorrectedInterval(draws.sorted, ab, level);
      if (draws.sorted.length > 0 && !Number.isFinite(bc.z0)) {
        notes.push(note('BOOTSTRAP_BC_UNDEFINED', { detail: 'every replicate lies on one side of the estimate' }));
      }
      bootstrap = {
        reps,
        seed,
        level,
        percentile: percentileInterval(draws.sorted, level),
        biasCorrected: bc.interval,
        failed: draws.failed,
        se: standardDeviation(draws.sorted),
      };
    }

    // 5. the verdict
    const trace = wenYeVerdict({
      a,
      b,
      c,
      cPrime,
      sobelP: tests.sobel.p,
      alpha: VERDICT_ALPHA,
      bootstrapInterval: bootstrap ? bootstrap.biasCorrected : null,
    });
    const suppressionRatio = cPrime.estimate !== 0 ? Math.abs(ab / cPrime.estimate) : null;

    const detail: MediationDetail = {
      steps,
      a: a.estimate,
      b: b.estimate,
      c: c.estimate,
      cPrime: cPrime.estimate,
      indirect: ab,
      share,
      sobel: tests.sobel,
      aroian: tests.aroian,
      goodman: tests.goodman,
      bootstrap,
      verdict: trace.verdict,
      verdictTrace: {
        alpha: VERDICT_ALPHA,
        totalSignificant: trace.totalSignificant,
        indirectSignificant: trace.indirectSignificant,
        indirectTest: trace.indirectTest,
        directSignificant: trace.directSignificant,
      },
      suppressionRatio,
    };
    const finite = (x: number | null | undefined): number | null =>
      x === null || x === undefined || !Number.isFinite(x) ? null : x;
    return {
      estimator: 'mediation',
      nobs: steps.outcome.nobs,
      coefficients: steps.outcome.coefficients,
      stats: {
        a: a.estimate,
        a_se: a.se,
        b: b.estimate,
        b_se: b.se,
        c: c.estimate,
        c_se: c.se,
        c_prime: cPrime.estimate,
        c_prime_se: cPrime.se,
        indirect: ab,
        share,
        sobel_se: tests.sobel.se,
        sobel_z: finite(tests.sobel.z),
        sobel_p: finite(tests.sobel.p),
        aroian_se: tests.aroian.se,
        aroian_z: finite(tests.aroian.z),
        aroian_p: finite(tests.aroian.p),
        goodman_se: tests.goodman.se,
        goodman_z: finite(tests.goodman.z),
        goodman_p: finite(tests.goodman.p),
        suppression_ratio: suppressionRatio,
        boot_reps: bootstrap ? bootstrap.reps - (bootstrap.failed ?? 0) : null,
        boot_se: finite(bootstrap?.se),
        boot_lo: finite(bootstrap?.percentile[0]),
        boot_hi: finite(bootstrap?.percentile[1]),
        boot_bc_lo: finite(bootstrap?.biasCorrected[0]),
        boot_bc_hi: finite(bootstrap?.biasCorrected[1]),
        r2: steps.outcome.stats.r2 ?? null,
        r2_adj: steps.outcome.stats.r2_adj ?? null,
      },
      fixedEffects: [...plan.fixedEffects],
      vcov: steps.outcome.vcov,
      notes,
      detail,
    };
  }),
};

/** Sample standard deviation (n − 1), NaN below two values. */
function standardDeviation(x: Float64Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i]! - m) ** 2;
  return Math.sqrt(s / (n - 1));
}
