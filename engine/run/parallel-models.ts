/**
 * Stage 5 on worker threads (engine/run/parallel.ts): the models of one spec, with every order-dependent step on the
 * main thread, in plan order, exactly as the one-thread loop of engine/run/pipeline.ts does them:
 *   1. per model: the result cache, the model's sample (its data accounting; a bad input is its diagnostic), the fit
 *      cache (a cached fit: only the variance, here);
 *   2. the models left, on the workers when their work (rows × models) is worth it (`parallelMinWork`), else here
 *      with the threads given to the columns of each model's demeaning (engine/estimate/ols/demean-pool.ts);
 *      a model a worker could not estimate is estimated here, so that its diagnostic is the one-thread one;
 *   3. assembly in plan order: results, warnings, diagnostics, and the results and fits computed here stored in the
 *      cache (a worker stores what it computed itself: the files are named by their keys, so order changes nothing).
 */
import { diagnostic, SpecrunError, warningsAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DataStage } from '../data/build-data.js';
import type { LoadedSpec } from '../load/load-spec.js';
import { modelPath, type ModelPlan, type Plan } from '../normalize/plan.js';
import { ModelInputError, prepareModelData } from '../estimate/prepare.js';
import { DemeanCache } from '../estimate/ols/demean-cache.js';
import { DemeanPool } from '../estimate/ols/demean-pool.js';
import { ReplicationPool } from '../estimate/replication-pool.js';
import { builtinEstimators } from '../estimate/registry.js';
import type { EstimationData } from '../estimate/types.js';
import { ResultCache } from '../cache/result-cache.js';
import type { ModelAccount } from '../data/accounting.js';
import type { ModelResult } from '../results/types.js';
import type { RunContext } from './context.js';
import { parallelMinWork, shareData, WorkerPool, type CacheProblem } from './parallel.js';
import { estimateModel } from './estimate-model.js';
import { SPEC_CURVE_DEFAULTS } from '../spec/figures.js';

/**
 * The workers of one spec's run: started before the data stage when the spec looks large enough to use them
 * (`prestart`; they load the engine while the main thread builds the data), or on first use; given the data once it is
 * built (`attach`), and closed at the run's end.
 */
export class PoolHandle {
  private pool: WorkerPool | null = null;
  private tried = false;
  private run: { plan: Plan; data: Pick<DataStage, 'frame' | 'panel' | 'nonNumeric'> } | null = null;
  private initialised = false;

  constructor(
    readonly threads: number,
    private readonly plan: Plan,
    private readonly ctx: RunContext,
    private readonly cache: ResultCache | null = null,
  ) {}

  /** Whether work of this size goes to workers (more than one thread, built-in estimators only, enough work). */
  worth(work: number, tasks: number): boolean {
    return this.threads > 1 && tasks > 1 && work >= parallelMinWork() && this.builtin();
  }

  private builtin(): boolean {
    const builtin = builtinEstimators();
    return this.plan.models.every((m) => builtin.find(m.estimator) === this.ctx.estimators.find(m.estimator));
  }

  /**
   * Start the workers now, before the data stage, when the spec has enough models or replications that it will
   * likely use them (`PRESTART_UNITS`): their start-up then overlaps the data stage instead of following it.
   */
  prestart(): void {
    if (this.threads < 2 || this.tried || !this.builtin()) return;
    if (prestartUnits(this.plan) < PRESTART_UNITS) return;
    this.startPool();
  }

  private startPool(): void {
    this.tried = true;
    this.pool = WorkerPool.start(this.threads, {
      cache: this.cache ? { dir: this.cache.dir, read: this.cache.reads, write: this.cache.writes } : null,
    });
  }

  /** The run's plan (this shard's models) and its built data, which the workers receive on first use. */
  attach(plan: Plan, data: Pick<DataStage, 'frame' | 'panel' | 'nonNumeric'>): void {
    this.run = { plan, data };
  }

  /** The index of a model in the workers' plans (-1: not there, e.g. another shard's model). */
  indexOf(id: string): number {
    return this.run ? this.run.plan.models.findIndex((m) => m.id === id) : -1;
  }

  /** The pool with the run's data, started now if needed (null when the worker script is not built). */
  get(): WorkerPool | null {
    if (!this.tried) this.startPool();
    if (this.pool && !this.initialised && this.run) {
      this.initialised = true;
      this.pool.init({ data: shareData(this.run.data), plans: this.run.plan.models });
    }
    return this.run ? this.pool : null;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

/**
 * Models or replications of a spec (before its data is built) from which its workers are started before the data
 * stage: 200 models (the 1,000-model grid of bench/grid-1000.yaml), or a curve's replications × models. Below, they
 * start when the work is known to be worth it (`PoolHandle.worth`), after the data stage.
 */
export const PRESTART_UNITS = 200;

function prestartUnits(plan: Plan): number {
  let units = plan.models.length;
  for (const f of plan.figures ?? [])
    if (f.spec.kind === 'spec_curve' && f.spec.inference)
      units = Math.max(units, (f.spec.inference.reps ?? SPEC_CURVE_DEFAULTS.reps) * f.models.length);
  return units;
}

/** Models per `models` task: enough to make a message cheap against its models, small enough to share the load. */
function batchSize(models: number, workers: number): number {
  return Math.max(1, Math.min(16, Math.ceil(models / (workers * 8))));
}

export interface ParallelModelsInput {
  readonly plan: Plan;
  readonly loaded: LoadedSpec;
  readonly data: DataStage;
  readonly ctx: RunContext;
  readonly idPrefix: string;
  readonly cache: ResultCache | null;
  readonly fingerprints: ReadonlyMap<string, { readonly hash: string }> | null;
  readonly fitHashes: ReadonlyMap<string, string | undefined> | null;
  readonly pool: PoolHandle;
  readonly onModel?: (id: string, seconds: number) => void;
  readonly modelAccount: (input: EstimationData, rows: number) => ModelAccount;
}

export interface ModelOutcome {
  readonly id: string;
  readonly key: string;
  readonly plan: ModelPlan;
  readonly result: ModelResult;
  readonly seconds: number;
  readonly cached?: boolean;
  readonly fitReused?: boolean;
}

type Slot =
  | { readonly kind: 'done'; readonly outcome: ModelOutcome }
  | { readonly kind: 'error'; readonly diagnostic: Diagnostic };

export async function estimateModelsParallel(input: ParallelModelsInput): Promise<{
  models: ModelOutcome[];
  modelAccounting: Record<string, ModelAccount>;
  warnings: Diagnostic[];
  diagnostics: Diagnostic[];
}> {
  const { plan, loaded, data, ctx, idPrefix, cache, fingerprints, fitHashes, pool } = input;
  const n = plan.models.length;
  const idOf = (m: ModelPlan) => (idPrefix ? `${idPrefix}/${m.id}` : m.id);
  const keyOf = (m: ModelPlan) => (fingerprints ? ResultCache.keyOf(fingerprints.get(m.id)!.hash) : '');
  const prepare = (m: ModelPlan) =>
    prepareModelData(ctx.estimators.of(m), m, data.frame, data.panel, loaded.locate, data.nonNumeric);
  /** The diagnostic of a model's failure, as the one-thread loop reports it; anything else is rethrown. */
  const failure = (m: ModelPlan, e: unknown): Slot => {
    if (e instanceof ModelInputError) return { kind: 'error', diagnostic: e.diagnostic };
    if (e instanceof SpecrunError)
      return {
        kind: 'error',
        diagnostic: diagnostic(
          e.code,
          e.code === 'VCOV_ONE_CLUSTER' ? loaded.locate([...modelPath(m), 'vcov']) : m.source,
          e.args,
        ),
      };
    throw e;
  };
  const slots: Slot[] = new Array(n);
  const accounts: (ModelAccount | undefined)[] = new Array(n);
  // Corrupt cache entries met, per model, reported in plan order (as the one-thread loop meets them).
  const problemsBefore = cache?.problems.length ?? 0;
  const problems: CacheProblem[][] = Array.from({ length: n }, () => []);

  // 1. the result cache, in plan order
  const hits = plan.models.map((m, i) => {
    if (!cache) return null;
    const before = cache.problems.length;
    const hit = cache.get(keyOf(m), idOf(m));
    problems[i]!.push(...cache.problems.slice(before));
    return hit.status === 'hit' ? hit.result : null;
  });
  const missing = hits.filter((h) => h === null).length;
  // (the work is bounded by the rows of the data: a model's sample is known only once it is prepared)
  const workers = pool.worth(missing * data.frame.nrows, missing) ? pool.get() : null;

  // Demeaning shared between the models estimated here (exact demeaning only: the same bits as unshared).
  const demeaning = plan.models.filter((m) => ctx.estimators.of(m).sharesDemeaning).length;
  const demeanCache = demeaning > 1 ? new DemeanCache() : undefined;
  // The models that stay on this thread (too little work for model workers): the threads go to the columns of each
  // model's iterative demeaning instead (engine/estimate/ols/demean-pool.ts; never both, so no nested parallelism).
  const demeanPool = workers ? null : new DemeanPool(pool.threads);
  // Likewise the bootstrap replications of a model estimated here (engine/estimate/replication-pool.ts).
  const replicationPool = workers ? null : new ReplicationPool(pool.threads);
  /** Model i on this thread, exactly as the one-thread loop of engine/run/pipeline.ts runs it. */
  const here = (i: number): Slot => {
    const m = plan.models[i]!;
    const id = idOf(m);
    const started = performance.now();
    try {
      const prepared = prepare(m);
      accounts[i] = input.modelAccount(prepared, data.frame.nrows);
      const hit = hits[i];
      let result: ModelResult;
      let fitReused = false;
      if (hit) result = hit;
      else {
        const before = cache?.problems.length ?? 0;
        const module = ctx.estimators.of(m);
        try {
          ({ result, fitReused } = estimateModel(
            module,
            m,
            {
              ...prepared,
              demeanCache,
              ...(demeanPool ? { demeanPool } : {}),
              ...(replicationPool ? { replicationPool } : {}),
            },
            cache ? { cache, hash: fitHashes?.get(m.id) } : null,
          ));
        } finally {
          if (cache) problems[i]!.push(...cache.problems.slice(before));
        }
        cache?.put(keyOf(m), id, result);
      }
      const seconds = (performance.now() - started) / 1000;
      const outcome = {
        id,
        key: m.id,
        plan: m,
        result,
        seconds,
        cached: hit !== null,
        ...(fitReused ? { fitReused } : {}),
      };
      input.onModel?.(id, seconds);
      return { kind: 'done', outcome };
    } catch (e) {
      return failure(m, e);
    }
  };

  // 2. the models: those found in the cache and (without workers) the others here; with workers, the others go to
  //    them in batches as soon as they are reached, so that the workers start while this thread goes on
  const batches: Promise<void>[] = [];
  const size = workers ? batchSize(missing, workers.size) : 0;
  let batch: number[] = [];
  const send = (indices: number[]) => {
    const items = indices.map((i) => {
      const m = plan.models[i]!;
      return { index: i, resultKey: cache ? keyOf(m) : null, label: idOf(m), fitHash: fitHashes?.get(m.id) };
    });
    batches.push(
      workers!.run({ type: 'models', items }).then((reply) => {
        const replies = reply.ok && 'models' in reply ? reply.models : null;
        if (replies) cache?.absorb(reply.ok && 'models' in reply ? reply.stats : {});
        indices.forEach((i, k) => {
          const r = replies?.[k];
          if (r) problems[i]!.push(...r.problems.filter((p) => !problems[i]!.some((q) => sameProblem(p, q))));
          if (r?.ok) {
            const m = plan.models[i]!;
            accounts[i] = r.account;
            const outcome = {
              id: idOf(m),
              key: m.id,
              plan: m,
              result: r.result as ModelResult,
              seconds: r.seconds,
              cached: false,
              ...(r.fitReused ? { fitReused: true } : {}),
            };
            input.onModel?.(outcome.id, outcome.seconds);
            slots[i] = { kind: 'done', outcome }; // stored in the cache by the worker
          } else slots[i] = here(i); // its diagnostic is the one-thread diagnostic
        });
      }),
    );
  };
  try {
    for (let i = 0; i < n; i++) {
      if (workers && hits[i] === null) {
        batch.push(i);
        if (batch.length >= size) {
          send(batch);
          batch = [];
        }
      } else slots[i] = here(i);
    }
    if (batch.length > 0) send(batch);
    await Promise.all(batches);
  } finally {
    demeanPool?.close();
    replicationPool?.close();
  }

  // 3. assembly in plan order
  const models: ModelOutcome[] = [];
  const warnings: Diagnostic[] = [];
  const diagnostics: Diagnostic[] = [];
  const modelAccounting: Record<string, ModelAccount> = Object.create(null);
  if (cache) {
    cache.problems.splice(problemsBefore);
    for (const p of problems) cache.problems.push(...p);
  }
  slots.forEach((s, i) => {
    const m = plan.models[i]!;
    if (accounts[i]) modelAccounting[m.id] = accounts[i]!;
    if (s.kind === 'error') diagnostics.push(s.diagnostic);
    else {
      models.push(s.outcome);
      warnings.push(...warningsAt(s.outcome.result.notes, m.source));
    }
  });
  return { models, modelAccounting: { ...modelAccounting }, warnings, diagnostics };
}

function sameProblem(a: CacheProblem, b: CacheProblem): boolean {
  return a.key === b.key && a.model === b.model && a.reason === b.reason;
}
