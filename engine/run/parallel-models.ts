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
import { builtinEstimators } from '../estimate/registry.js';
import type { EstimationData } from '../estimate/types.js';
import { ResultCache } from '../cache/result-cache.js';
import type { ModelAccount } from '../data/accounting.js';
import type { ModelResult } from '../results/types.js';
import type { RunContext } from './context.js';
import { parallelMinWork, shareData, WorkerPool } from './parallel.js';

/** The workers of one spec's run, started on first use and closed at its end. */
export class PoolHandle {
  private pool: WorkerPool | null = null;
  private tried = false;

  constructor(
    readonly threads: number,
    private readonly plan: Plan,
    private readonly data: Pick<DataStage, 'frame' | 'panel' | 'nonNumeric'>,
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

  /** The index of a model in the workers' plans (-1: not there, e.g. another shard's model). */
  indexOf(id: string): number {
    return this.plan.models.findIndex((m) => m.id === id);
  }

  /** The pool, started now if needed (null when the worker script is not built). */
  get(): WorkerPool | null {
    if (!this.tried) {
      this.tried = true;
      this.pool = WorkerPool.start(this.threads, {
        data: shareData(this.data),
        plans: this.plan.models,
        cache: this.cache ? { dir: this.cache.dir, write: this.cache.writes } : null,
      });
    }
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
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
  /** `fresh`: estimated here, to be stored in the cache at assembly (a worker stores its own). */
  | { readonly kind: 'done'; readonly outcome: ModelOutcome; readonly fresh: boolean }
  | { readonly kind: 'error'; readonly diagnostic: Diagnostic }
  | {
      readonly kind: 'pending';
      readonly rows: number;
      /** The fit cache's key when the fit is to be stored. */
      readonly fitKey: string | null;
      readonly started: number;
    };

export async function estimateModelsParallel(input: ParallelModelsInput): Promise<{
  models: ModelOutcome[];
  modelAccounting: Record<string, ModelAccount>;
  warnings: Diagnostic[];
  diagnostics: Diagnostic[];
}> {
  const { plan, loaded, data, ctx, idPrefix, cache, fingerprints, fitHashes, pool } = input;
  const modelAccounting: Record<string, ModelAccount> = Object.create(null);
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
  // Demeaning shared between the models estimated here (exact demeaning only: the same bits as unshared).
  const demeaning = plan.models.filter((m) => ctx.estimators.of(m).sharesDemeaning).length;
  const demeanCache = demeaning > 1 ? new DemeanCache() : undefined;

  // 1. the caches and the samples, in plan order
  const fitKeys = new Map<number, string>();
  const slots: Slot[] = plan.models.map((m, i) => {
    const id = idOf(m);
    const started = performance.now();
    try {
      const key = keyOf(m);
      const hit = cache ? cache.get(key, id) : null;
      const prepared = prepare(m);
      modelAccounting[m.id] = input.modelAccount(prepared, data.frame.nrows);
      const seconds = () => (performance.now() - started) / 1000;
      if (hit?.status === 'hit') {
        const outcome = { id, key: m.id, plan: m, result: hit.result, seconds: seconds(), cached: true };
        input.onModel?.(id, outcome.seconds);
        return { kind: 'done', outcome, fresh: false };
      }
      const module = ctx.estimators.of(m);
      const w = module.fitWithoutVcov;
      const hash = fitHashes?.get(m.id);
      let fitKey: string | null = null;
      if (cache && w && hash !== undefined) {
        fitKey = ResultCache.fitKeyOf(hash, w.sampleKey(m, prepared));
        const fit = cache.getFit(fitKey, m.id);
        if (fit !== undefined) {
          const result = module.variance(m, fit, { ...prepared, demeanCache });
          const outcome = { id, key: m.id, plan: m, result, seconds: seconds(), cached: false, fitReused: true };
          input.onModel?.(id, outcome.seconds);
          return { kind: 'done', outcome, fresh: true };
        }
      }
      if (fitKey !== null) fitKeys.set(i, fitKey);
      return { kind: 'pending', rows: prepared.frame.nrows, fitKey, started };
    } catch (e) {
      return failure(m, e);
    }
  });

  // 2. the models left: on the workers, or here
  const pending = slots.flatMap((s, i) => (s.kind === 'pending' ? [i] : []));
  const work = pending.reduce((a, i) => a + (slots[i] as { rows: number }).rows, 0);
  const fits = new Map<number, unknown>();
  /** Model i estimated on this thread, exactly as the one-thread loop does (fit, then variance, when it is cached). */
  const here = (i: number, demeanPool: DemeanPool | null = null): Slot => {
    const m = plan.models[i]!;
    const s = slots[i] as Extract<Slot, { kind: 'pending' }>;
    try {
      const module = ctx.estimators.of(m);
      const prepared = { ...prepare(m), demeanCache, ...(demeanPool ? { demeanPool } : {}) };
      let result: ModelResult;
      if (s.fitKey !== null) {
        const fit = module.fit(m, prepared);
        fits.set(i, fit);
        result = module.variance(m, fit, prepared);
      } else result = module.estimate(m, prepared);
      const outcome = { id: idOf(m), key: m.id, plan: m, result, seconds: (performance.now() - s.started) / 1000 };
      input.onModel?.(outcome.id, outcome.seconds);
      return { kind: 'done', outcome, fresh: true };
    } catch (e) {
      return failure(m, e);
    }
  };
  const workers = pool.worth(work, pending.length) ? pool.get() : null;
  if (workers) {
    await Promise.all(
      pending.map(async (i) => {
        const m = plan.models[i]!;
        const s = slots[i] as Extract<Slot, { kind: 'pending' }>;
        const reply = await workers.run({
          type: 'model',
          index: i,
          resultKey: cache ? keyOf(m) : null,
          label: idOf(m),
          fitKey: s.fitKey,
        });
        if (reply.ok && 'result' in reply) {
          cache?.absorb(reply.stored);
          const outcome = {
            id: idOf(m),
            key: m.id,
            plan: m,
            result: reply.result as ModelResult,
            seconds: reply.seconds,
          };
          input.onModel?.(outcome.id, outcome.seconds);
          slots[i] = { kind: 'done', outcome, fresh: false }; // stored by the worker
        } else slots[i] = here(i);
      }),
    );
  } else {
    // The models stay on this thread (one model, or too little work for model workers): the threads go to the
    // columns of each model's iterative demeaning instead (engine/estimate/ols/demean-pool.ts; never both, so no
    // nested parallelism), with the same bits.
    const demeanPool = new DemeanPool(pool.threads);
    try {
      for (const i of pending) slots[i] = here(i, demeanPool);
    } finally {
      demeanPool.close();
    }
  }

  // 3. assembly in plan order
  const models: ModelOutcome[] = [];
  const warnings: Diagnostic[] = [];
  const diagnostics: Diagnostic[] = [];
  slots.forEach((s, i) => {
    const m = plan.models[i]!;
    if (s.kind === 'error') diagnostics.push(s.diagnostic);
    else if (s.kind === 'done') {
      const fitKey = fitKeys.get(i);
      if (cache && fitKey !== undefined && fits.has(i)) cache.putFit(fitKey, m.id, fits.get(i));
      if (cache && s.fresh) cache.put(keyOf(m), s.outcome.id, s.outcome.result);
      models.push(s.outcome);
      warnings.push(...warningsAt(s.outcome.result.notes, m.source));
    }
  });
  return { models, modelAccounting: { ...modelAccounting }, warnings, diagnostics };
}
