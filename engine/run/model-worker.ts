/**
 * A worker thread of a run (engine/run/parallel.ts): the run's data frame from shared memory, the plans of its
 * models, and the built-in estimators. Each task is one model (prepared from the frame and estimated, with its fit when
 * the main thread will cache it) or a batch of bootstrap replications of a specification curve under the null. Any
 * error goes back as `{ ok: false }`: the main thread then runs the model itself and reports it as a one-thread run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Frame, type Column } from '../core/frame.js';
import { builtinEstimators } from '../estimate/registry.js';
import { prepareModelData } from '../estimate/prepare.js';
import { DemeanCache } from '../estimate/ols/demean-cache.js';
import type { EstimationData } from '../estimate/types.js';
import type { ModelResult } from '../results/types.js';
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import { nullData, nullReplicate, type NullData } from '../figures/spec-curve-null.js';
import { ResultCache, type CacheStats } from '../cache/result-cache.js';
import type { WorkerInit, WorkerReply, WorkerTask } from './parallel.js';

const init = workerData as WorkerInit;
const estimators = builtinEstimators();
const frame = new Frame(init.data.nrows, init.data.columns as Iterable<[string, Column]>);
const panel = init.data.panel;
const nonNumeric = init.data.nonNumeric;
// Positions are the main thread's business: a model that fails here is run again there.
const nowhere = (): SourcePosition => ({ file: '', line: 0, col: 0 }) as unknown as SourcePosition;
// Exact demeaning only (engine/estimate/ols/index.ts): sharing it between this worker's models changes no bit.
const demeanCache = new DemeanCache();
// Only stores (lookups are the main thread's).
const cache = init.cache ? new ResultCache(init.cache.dir, { read: false, write: init.cache.write }) : null;

const prepared = new Map<number, EstimationData>();
function dataOf(index: number): EstimationData {
  let d = prepared.get(index);
  if (!d) {
    const plan = init.plans[index]!;
    d = prepareModelData(estimators.of(plan), plan, frame, panel, nowhere, nonNumeric);
    // Kept for the replications of a curve (the same model many times); a model task uses it once.
  }
  return d;
}

/** The null data of a curve's models, kept across the batches of one curve (keyed by its models and estimates). */
const nullCache = new Map<string, NullData[]>();

function handle(task: WorkerTask): WorkerReply {
  if (task.type === 'model') {
    const plan = init.plans[task.index]!;
    const module = estimators.of(plan);
    const started = performance.now();
    const data = { ...dataOf(task.index), ...(module.sharesDemeaning ? { demeanCache } : {}) };
    const before: CacheStats | null = cache ? { ...cache.stats } : null;
    let result: ModelResult;
    if (task.fitKey !== null) {
      const fit = module.fit(plan, data);
      result = module.variance(plan, fit, data);
      cache?.putFit(task.fitKey, plan.id, fit);
    } else result = module.estimate(plan, data);
    const seconds = (performance.now() - started) / 1000;
    if (task.resultKey !== null) cache?.put(task.resultKey, task.label, result);
    const stored: Partial<CacheStats> = {};
    if (cache && before)
      for (const k of Object.keys(before) as (keyof CacheStats)[])
        if (cache.stats[k] !== before[k]) stored[k] = cache.stats[k] - before[k];
    return { ok: true, result, seconds, stored };
  }
  const key = JSON.stringify([task.models, task.estimates, task.term]);
  const models = task.models.map((i) => {
    const plan = init.plans[i]!;
    return { id: plan.id, plan, module: estimators.of(plan) };
  });
  let data = nullCache.get(key);
  if (!data) {
    data = models.map((m, k) => {
      const d = dataOf(task.models[k]!);
      prepared.set(task.models[k]!, d);
      return nullData({ ...m, data: d }, task.estimates[k]!, { term: task.term, units: task.units });
    });
    nullCache.set(key, data);
  }
  const outcomes = [];
  for (let r = 0; r * task.units < task.draws.length; r++) {
    const o = nullReplicate(
      models,
      data,
      task.draws.subarray(r * task.units, (r + 1) * task.units),
      task.term,
      task.unitColumn,
    );
    outcomes.push({ ok: o.ok, estimates: [...o.estimates], p: [...o.p] });
  }
  return { ok: true, outcomes };
}

parentPort!.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    reply = handle(task);
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
