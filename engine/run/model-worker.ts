/**
 * A worker thread of a run (engine/run/parallel.ts). It starts before the data stage (loading the engine meanwhile),
 * then receives the run's data frame in shared memory and the plans of its models (`init`), and the built-in
 * estimators. Each task is a batch of models — each prepared from the frame, accounted, estimated through the result
 * cache's fits and stored, exactly as the one-thread loop does — or a batch of bootstrap replications of a
 * specification curve under the null. A model that fails goes back as `{ ok: false }`: the main thread then runs it
 * itself and reports it as a one-thread run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Frame, type Column } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import { builtinEstimators } from '../estimate/registry.js';
import { prepareModelData } from '../estimate/prepare.js';
import { modelAccount } from '../estimate/model-account.js';
import { DemeanCache } from '../estimate/ols/demean-cache.js';
import type { EstimationData } from '../estimate/types.js';
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import { nullData, nullReplicate, type NullData } from '../figures/spec-curve-null.js';
import { ResultCache, type CacheStats } from '../cache/result-cache.js';
import { estimateModel } from './estimate-model.js';
import type { ModelReply, WorkerInit, WorkerReply, WorkerStart, WorkerTask } from './parallel.js';

const start = workerData as WorkerStart;
const estimators = builtinEstimators();
// Positions are the main thread's business: a model that fails here is run again there.
const nowhere = (): SourcePosition => ({ file: '', line: 0, col: 0 }) as unknown as SourcePosition;
// Exact demeaning only (engine/estimate/ols/index.ts): sharing it between this worker's models changes no bit.
const demeanCache = new DemeanCache();
// Fits are looked up here (as the main thread's cache would); results are looked up by the main thread.
const cache = start.cache
  ? new ResultCache(start.cache.dir, { read: start.cache.read, write: start.cache.write })
  : null;

let run: { frame: Frame; panel: Panel; init: WorkerInit } | null = null;

const prepared = new Map<number, EstimationData>();
function dataOf(index: number): EstimationData {
  const { frame, panel, init } = run!;
  const plan = init.plans[index]!;
  return prepareModelData(estimators.of(plan), plan, frame, panel, nowhere, init.data.nonNumeric);
}

/** Cache counts since `before`. */
function delta(before: CacheStats): Partial<CacheStats> {
  const d: Partial<CacheStats> = {};
  if (cache)
    for (const k of Object.keys(before) as (keyof CacheStats)[])
      if (cache.stats[k] !== before[k]) d[k] = cache.stats[k] - before[k];
  return d;
}

/** One model, as the one-thread loop of engine/run/pipeline.ts runs it after its result-cache lookup. */
function model(item: Extract<WorkerTask, { type: 'models' }>['items'][number], stats: Partial<CacheStats>): ModelReply {
  const started = performance.now();
  const problemsBefore = cache?.problems.length ?? 0;
  const before: CacheStats | null = cache ? { ...cache.stats } : null;
  try {
    const plan = run!.init.plans[item.index]!;
    const module = estimators.of(plan);
    const data = dataOf(item.index);
    const account = modelAccount(data, run!.frame.nrows);
    const input = { ...data, ...(module.sharesDemeaning ? { demeanCache } : {}) };
    const { result, fitReused } = estimateModel(module, plan, input, cache ? { cache, hash: item.fitHash } : null);
    if (item.resultKey !== null) cache?.put(item.resultKey, item.label, result);
    if (before)
      for (const [k, v] of Object.entries(delta(before)))
        stats[k as keyof CacheStats] = (stats[k as keyof CacheStats] ?? 0) + v;
    const seconds = (performance.now() - started) / 1000;
    return { ok: true, result, account, fitReused, seconds, problems: cache?.problems.slice(problemsBefore) ?? [] };
  } catch (e) {
    return {
      ok: false,
      error: e instanceof Error ? e.message : String(e),
      problems: cache?.problems.slice(problemsBefore) ?? [],
    };
  }
}

/** The null data of a curve's models, kept across the batches of one curve (keyed by its models and estimates). */
const nullCache = new Map<string, NullData[]>();

function handle(task: WorkerTask): WorkerReply {
  if (task.type === 'models') {
    const stats: Partial<CacheStats> = {};
    const models = task.items.map((item) => model(item, stats));
    return { ok: true, models, stats };
  }
  const key = JSON.stringify([task.models, task.estimates, task.term]);
  const models = task.models.map((i) => {
    const plan = run!.init.plans[i]!;
    return { id: plan.id, plan, module: estimators.of(plan) };
  });
  let data = nullCache.get(key);
  if (!data) {
    data = models.map((m, k) => {
      const i = task.models[k]!;
      let d = prepared.get(i);
      if (!d) prepared.set(i, (d = dataOf(i))); // the same model many times (every batch of the curve)
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

parentPort!.on('message', (message: WorkerTask | ({ type: 'init' } & WorkerInit)) => {
  if (message.type === 'init') {
    const init: WorkerInit = { data: message.data, plans: message.plans };
    run = {
      frame: new Frame(init.data.nrows, init.data.columns as Iterable<[string, Column]>),
      panel: init.data.panel,
      init,
    };
    return;
  }
  let reply: WorkerReply;
  try {
    reply = handle(message);
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
