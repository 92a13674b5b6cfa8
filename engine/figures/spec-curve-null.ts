/**
 * Inference for a specification curve under the null (Simonsohn, Simmons & Nelson 2020, step 3, "joint inference";
 * the step R's specr leaves out). For each model k with estimate b_k of the term x:
 *
 *   1. remove the effect: y*_k = y − b_k·x, so that in the data the null of no effect holds exactly for model k;
 *   2. draw B bootstrap samples of whole panel units with replacement (a unit drawn twice enters as two units, so
 *      its fixed effect and cluster are duplicated, not merged); draw b is the same for every model, so the
 *      dependence between the models is kept;
 *   3. re-estimate every model on each draw with y*_k, and compute the curve's summaries: the median estimate and the
 *      share of models with p < 1 − level in the direction of the observed median;
 *   4. p(median) = share of draws whose median is at least as far from 0 as the observed one, in its direction
 *      (sign(m̂)·m*_b ≥ |m̂|); p(share) = share of draws whose share significant is at least the observed one.
 *
 * A draw in which any model cannot be estimated (a collinear draw) is left out of both p-values, and counted.
 * The draws come from one seeded xoshiro128** stream in a fixed order: the same seed gives the same p-values.
 * Linear models (`ols`) only: removing the effect from the outcome is exact for them.
 */
import { isText, takeColumn, type Column, type Frame } from '../core/frame.js';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { Xoshiro128 } from '../estimate/mediation/prng.js';
import type { EstimationData, Estimator } from '../estimate/types.js';
import type { ModelPlan, OlsPlan } from '../normalize/plan.js';
import type { ModelResult } from '../results/types.js';
import { median, shareSignificant, type NullInference } from './spec-curve.js';

export interface NullModel {
  readonly id: string;
  readonly plan: ModelPlan;
  readonly module: Estimator<ModelPlan>;
  readonly data: EstimationData;
  readonly result: ModelResult;
}

export interface NullOptions {
  readonly term: string;
  readonly level: number;
  readonly reps: number;
  readonly seed: number;
  /** The panel unit column (a fixed effect or cluster named by it is renumbered per drawn copy). */
  readonly unitColumn: string | null;
  /** Number of panel units (codes 0..G−1). */
  readonly units: number;
}

/** The observed curve, every model's data with the effect removed, and the draws of every replication. */
export interface NullSetup {
  readonly alpha: number;
  readonly obsMedian: number;
  readonly obsShare: number;
  /** The observed estimate of the term in each model (what is removed from its outcome). */
  readonly estimates: readonly number[];
  readonly prepared: readonly NullData[];
  /** The units drawn in replication r: `draws[r·units … (r+1)·units)`. */
  readonly draws: Int32Array;
}

/** One replication: every model re-estimated on the draw (ok false when one of them could not be). */
export interface NullOutcome {
  readonly ok: boolean;
  readonly estimates: readonly number[];
  readonly p: readonly number[];
}

/**
 * Steps 1–2: the observed summaries, each model's data with its effect removed, and all draws, from one seeded
 * xoshiro128** stream in replication order (replication r's draw is the same however replications are scheduled).
 */
export function nullSetup(models: readonly NullModel[], opts: NullOptions): NullSetup {
  const alpha = 1 - opts.level;
  const observed = models.map((m) => m.result.coefficients[opts.term]!);
  const obsMedian = median(observed.map((c) => c.estimate));
  const obsShare = shareSignificant(
    observed.map((c) => c.estimate),
    observed.map((c) => c.p ?? 1),
    alpha,
    obsMedian,
  );
  const estimates = observed.map((c) => c.estimate);
  const prepared = models.map((m, k) => nullData(m, estimates[k]!, opts));
  const rng = new Xoshiro128(opts.seed);
  const draws = new Int32Array(opts.reps * opts.units);
  for (let i = 0; i < draws.length; i++) draws[i] = rng.below(opts.units);
  return { alpha, obsMedian, obsShare, estimates, prepared, draws };
}

/** Step 3 for one replication: each model, in order, re-estimated on the drawn units with its effect removed. */
export function nullReplicate(
  models: readonly Pick<NullModel, 'plan' | 'module'>[],
  prepared: readonly NullData[],
  draw: Int32Array,
  term: string,
  unitColumn: string | null,
): NullOutcome {
  const est: number[] = [],
    ps: number[] = [];
  for (let k = 0; k < models.length; k++) {
    const m = models[k]!;
    try {
      const res = m.module.estimate(m.plan, resample(prepared[k]!, draw, unitColumn));
      const c = res.coefficients[term];
      if (!c || c.p === null || c.p === undefined || !Number.isFinite(c.estimate))
        return { ok: false, estimates: [], p: [] };
      est.push(c.estimate);
      ps.push(c.p);
    } catch (e) {
      if (e instanceof SpecrunError) return { ok: false, estimates: [], p: [] };
      throw e;
    }
  }
  return { ok: true, estimates: est, p: ps };
}

/** Step 4: the p-values from the replications' outcomes, counted in replication order. */
export function nullTally(
  setup: NullSetup,
  outcomes: readonly NullOutcome[],
  opts: NullOptions,
): NullInference & { readonly failed: number } {
  let atLeastMedian = 0,
    atLeastShare = 0,
    valid = 0,
    failed = 0;
  for (const o of outcomes) {
    if (!o.ok) {
      failed++;
      continue;
    }
    valid++;
    if (Math.sign(setup.obsMedian) * median(o.estimates) >= Math.abs(setup.obsMedian)) atLeastMedian++;
    if (shareSignificant(o.estimates, o.p, setup.alpha, setup.obsMedian) >= setup.obsShare) atLeastShare++;
  }
  return {
    reps: opts.reps,
    seed: opts.seed,
    p_median: valid ? atLeastMedian / valid : NaN,
    p_share_significant: valid ? atLeastShare / valid : NaN,
    failed,
  };
}

/** The draw of replication r (a view, not a copy). */
export function drawOf(setup: Pick<NullSetup, 'draws'>, units: number, r: number): Int32Array {
  return setup.draws.subarray(r * units, (r + 1) * units);
}

/**
 * The whole inference on this thread. `replicate`, when given, runs replications [from, to) elsewhere (worker threads,
 * engine/run/parallel.ts) and returns their outcomes in replication order: the p-values are the same bits.
 */
export async function specCurveNull(
  models: readonly NullModel[],
  opts: NullOptions,
  replicate?: (setup: NullSetup) => Promise<readonly NullOutcome[]>,
  onReplication?: () => void,
): Promise<NullInference & { readonly failed: number }> {
  const setup = nullSetup(models, opts);
  let outcomes: readonly NullOutcome[];
  if (replicate) outcomes = await replicate(setup);
  else {
    const out: NullOutcome[] = [];
    for (let r = 0; r < opts.reps; r++) {
      out.push(nullReplicate(models, setup.prepared, drawOf(setup, opts.units, r), opts.term, opts.unitColumn));
      onReplication?.();
    }
    outcomes = out;
  }
  return nullTally(setup, outcomes, opts);
}

export interface NullData {
  readonly data: EstimationData;
  /** Row indices of each unit code. */
  readonly rowsOf: readonly number[][];
}

/** The model's rows with the effect removed from the outcome, indexed by unit. */
export function nullData(
  m: Pick<NullModel, 'id' | 'plan' | 'data'>,
  b: number,
  opts: Pick<NullOptions, 'term' | 'units'>,
): NullData {
  if (m.plan.estimator !== 'ols') {
    throw new SpecrunError('FIGURE_NULL_UNSUPPORTED', { model: m.id, estimator: m.plan.estimator });
  }
  const plan = m.plan as OlsPlan;
  const { frame, unit } = m.data;
  if (!unit)
    throw new SpecrunError('FIGURE_NULL_UNSUPPORTED', { model: m.id, estimator: 'a model without a panel unit' });
  const y = frame.numeric(plan.dependent.name);
  const x = frame.numeric(opts.term);
  const ystar = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) ystar[i] = y[i]! - b * x[i]!;
  const rowsOf: number[][] = Array.from({ length: opts.units }, () => []);
  for (let i = 0; i < unit.length; i++) rowsOf[unit[i]!]!.push(i);
  return { data: { ...m.data, frame: frame.with(plan.dependent.name, ystar) }, rowsOf };
}

/** The rows of the drawn units, in draw order; each drawn copy of a unit with rows becomes a unit of its own. */
function resample(p: NullData, draw: Int32Array, unitColumn: string | null): EstimationData {
  // Typed arrays of the final length (this copy is most of a replication's time besides the estimation itself).
  let n = 0;
  for (let j = 0; j < draw.length; j++) n += p.rowsOf[draw[j]!]!.length;
  const take = new Int32Array(n);
  const unit = new Int32Array(n);
  let g = 0,
    at = 0;
  for (let j = 0; j < draw.length; j++) {
    const rows = p.rowsOf[draw[j]!]!;
    if (rows.length === 0) continue; // a unit outside this model's sample
    for (let k = 0; k < rows.length; k++) {
      take[at] = rows[k]!;
      unit[at++] = g;
    }
    g++;
  }
  let frame: Frame = p.data.frame.take(take);
  if (unitColumn && frame.has(unitColumn)) {
    const old = frame.get(unitColumn)!;
    const col: Column = isText(old)
      ? { kind: 'text', codes: unit, levels: Array.from({ length: g }, (_, j) => String(j)) }
      : Float64Array.from(unit);
    frame = frame.with(unitColumn, col);
  }
  const time = p.data.time ? (takeColumn(p.data.time, take) as Float64Array) : null;
  return { frame, unit, time, unitLabels: null };
}
