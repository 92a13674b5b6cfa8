/**
 * Worker threads for the models of a run and for bootstrap replications (`specrun run --threads N`).
 *
 * Bit for bit the same results as one thread, by construction:
 *   - a model is estimated by the same code on the same bits: every worker reads the run's built data frame from
 *     shared memory (each numeric column and code array copied once into a SharedArrayBuffer; no per-model copies),
 *     prepares the model's sample itself (engine/estimate/prepare.ts) and estimates it; demeaned columns are shared
 *     between models only where that is exact (engine/estimate/ols/index.ts `demeanShared`), so a model's numbers never
 *     depend on which models a worker ran before it;
 *   - the main thread keeps everything order-dependent: the result cache lookups (in plan order), the assembly of
 *     the data accounting, diagnostics, warnings and corrupt-entry reports (in plan order), the random draws of a
 *     bootstrap (drawn from the one seeded stream in replication order before any replication runs) and the tally;
 *   - a worker runs a model as the one-thread loop does after its result lookup — prepares its sample, accounts for
 *     it, looks its fit up, estimates it — and stores the result and fit it computed in the cache itself (entries are
 *     files named by their key, so the order of writes changes nothing; the encoding and the writes are the slow part
 *     of a run of many small models); models go in batches, sent as soon as the main thread reaches them;
 *   - a model a worker could not estimate (an error of any kind) is estimated again on the main thread, so its
 *     diagnostic is exactly the one-thread diagnostic.
 * The workers start before the data stage when the spec is large (engine/run/parallel-models.ts `prestart`), so that
 * loading the engine overlaps it; they receive the data once it is built (`init`).
 * Workers run the compiled engine (dist/bundle/model-worker.cjs, or dist/run/model-worker.js); without it (a source
 * checkout not built) the run stays on one thread.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../core/lazy-builtins.js';
import { isText, type Column, type Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import type { DataStage } from '../data/build-data.js';
import type { ModelPlan } from '../normalize/plan.js';
import type { CacheStats } from '../cache/result-cache.js';
import type { ModelAccount } from '../data/accounting.js';

/**
 * Work (rows × estimations) below which no worker is started (engine/estimate/replication-pool.ts says how it was
 * measured; `SPECRUN_PARALLEL_MIN_WORK` overrides it, and tests use 0 to exercise the workers on small fixtures).
 */
export { PARALLEL_MIN_WORK, parallelMinWork } from '../estimate/replication-pool.js';

/**
 * The compiled worker script, or null when it is not built: the single-file bundle dist/bundle/model-worker.cjs
 * (scripts/bundle.mjs; a worker loads it in a third of the CPU time of dist/'s modules) while it is at least as new
 * as dist/run/model-worker.js and SPECRUN_NO_BUNDLE is unset, else dist/run/model-worker.js.
 */
export function workerScript(): string | null {
  const here = fileURLToPath(import.meta.url);
  // this module in dist/run/ (modules), dist/bundle/ (the bundle) or engine/run/ (the sources, tests)
  const dist = here.endsWith('.ts') ? resolve(dirname(here), '..', '..', 'dist') : resolve(dirname(here), '..');
  const modules = join(dist, 'run', 'model-worker.js');
  if (!existsSync(modules)) return null;
  const bundle = join(dist, 'bundle', 'model-worker.cjs');
  if (!process.env['SPECRUN_NO_BUNDLE'])
    try {
      if (statSync(bundle).mtimeMs >= statSync(modules).mtimeMs) return bundle;
    } catch {
      // not bundled: the modules
    }
  return modules;
}

/** A text column with its codes in shared memory. */
export interface SharedText {
  readonly kind: 'text';
  readonly codes: Int32Array;
  readonly levels: readonly string[];
}

/** The run's data as the workers receive it once: numeric columns and codes in SharedArrayBuffers. */
export interface SharedData {
  readonly nrows: number;
  readonly columns: readonly (readonly [string, Float64Array | SharedText])[];
  readonly panel: Panel;
  readonly nonNumeric: ReadonlyMap<string, { row: number; value: string }>;
}

/** What every worker receives when it starts (before the data stage: the workers load the engine meanwhile). */
export interface WorkerStart {
  /** The run's result cache, where workers look up fits and store the results and fits they compute (null: none). */
  readonly cache: { readonly dir: string; readonly read: boolean; readonly write: boolean } | null;
}

/** The run's data and plans, sent to every worker once the data stage is done (the first message of each). */
export interface WorkerInit {
  readonly data: SharedData;
  readonly plans: readonly ModelPlan[];
}

function sharedFloat(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

function sharedInt(a: Int32Array): Int32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new Int32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

function sharedColumn(c: Column): Float64Array | SharedText {
  return isText(c) ? { kind: 'text', codes: sharedInt(c.codes), levels: c.levels } : sharedFloat(c);
}

/** The data stage in shared memory (one copy of each column, made once per run). */
export function shareData(data: Pick<DataStage, 'frame' | 'panel' | 'nonNumeric'>): SharedData {
  const frame: Frame = data.frame;
  return {
    nrows: frame.nrows,
    columns: frame.names.map((n) => [n, sharedColumn(frame.get(n)!)] as const),
    panel: {
      unit: data.panel.unit ? sharedInt(data.panel.unit) : null,
      time: data.panel.time ? sharedFloat(data.panel.time) : null,
      unitLabels: data.panel.unitLabels,
    },
    nonNumeric: new Map(data.nonNumeric),
  };
}

/** One model of a `models` task. */
export interface ModelItem {
  readonly index: number;
  /** Store the result under this key of the result cache (null: not stored), labelled with the model's id. */
  readonly resultKey: string | null;
  readonly label: string;
  /** The model's fit fingerprint (engine/run/estimate-model.ts: its fit is looked up and stored), or undefined. */
  readonly fitHash: string | undefined;
}

/** Messages to a worker (engine/run/model-worker.ts), after its `init`. */
export type WorkerTask =
  | {
      /** A batch of models, each prepared from the shared frame, accounted and estimated as one thread does. */
      readonly type: 'models';
      readonly items: readonly ModelItem[];
    }
  | {
      readonly type: 'null';
      /** Plan indices of the curve's models, in curve order. */
      readonly models: readonly number[];
      /** The observed estimate of the term per model. */
      readonly estimates: readonly number[];
      readonly term: string;
      readonly units: number;
      readonly unitColumn: string | null;
      /** Replications' draws, `units` per replication, in replication order. */
      readonly draws: Int32Array;
    };

/** The outcome of one model of a batch (`ok: false`: the main thread estimates it again, as one thread would). */
export type ModelReply =
  | {
      readonly ok: true;
      readonly result: unknown;
      readonly account: ModelAccount;
      readonly fitReused: boolean;
      readonly seconds: number;
      /** Cache entries of this model found corrupt (reported by the main thread, in plan order). */
      readonly problems: readonly CacheProblem[];
    }
  | { readonly ok: false; readonly error: string; readonly problems: readonly CacheProblem[] };

export interface CacheProblem {
  readonly key: string;
  readonly model: string;
  readonly reason: string;
}

export type WorkerReply =
  | {
      readonly ok: true;
      readonly models: readonly ModelReply[];
      /** What the worker counted in its cache for the batch's models that succeeded (added to the main thread's). */
      readonly stats: Partial<CacheStats>;
    }
  | { readonly ok: true; readonly outcomes: readonly { ok: boolean; estimates: number[]; p: number[] }[] }
  | { readonly ok: false; readonly error: string };

interface Pending {
  readonly task: WorkerTask;
  readonly resolve: (r: WorkerReply) => void;
}

/** A fixed set of workers, each taking the next task of one queue as soon as it is free. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private readonly dead = new Set<Worker>();
  private closed = false;

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (reply: WorkerReply) => this.done(w, reply));
      const lost = (error: string) => {
        this.dead.add(w);
        const i = this.idle.indexOf(w);
        if (i >= 0) this.idle.splice(i, 1);
        if (this.busy.has(w)) this.done(w, { ok: false, error });
        else this.pump();
      };
      w.on('error', (e: Error) => lost(e.message));
      w.on('exit', () => lost('worker thread exited'));
      this.idle.push(w);
    }
  }

  /**
   * Starts `n` workers (null when the compiled worker script is missing). They load the engine while the caller
   * goes on (the data stage); `init` gives them the data, before any task.
   */
  static start(n: number, start: WorkerStart): WorkerPool | null {
    const script = workerScript();
    if (!script || n < 1) return null;
    const workers = Array.from({ length: n }, () => new (workerThreads().Worker)(script, { workerData: start }));
    return new WorkerPool(workers);
  }

  /** The run's data and plans, to every worker (once, before the first task: messages arrive in order). */
  init(init: WorkerInit): void {
    for (const w of this.workers) if (!this.dead.has(w)) w.postMessage({ type: 'init', ...init });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs a task on the next free worker; never rejects (a failure is `{ ok: false }`). */
  run(task: WorkerTask): Promise<WorkerReply> {
    return new Promise((resolvePromise) => {
      if (this.closed) {
        resolvePromise({ ok: false, error: 'the worker pool is closed' });
        return;
      }
      this.queue.push({ task, resolve: resolvePromise });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.shift()!;
      const p = this.queue.shift()!;
      this.busy.set(w, p);
      w.postMessage(p.task);
    }
    // Every worker gone (crashed): what is left fails, and the caller runs it on the main thread.
    if (this.dead.size === this.workers.length)
      for (const p of this.queue.splice(0)) p.resolve({ ok: false, error: 'no worker thread left' });
  }

  private done(w: Worker, reply: WorkerReply): void {
    const p = this.busy.get(w);
    this.busy.delete(w);
    if (!this.closed && !this.dead.has(w) && !this.idle.includes(w)) this.idle.push(w);
    p?.resolve(reply);
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.workers) this.dead.add(w);
    for (const p of this.queue.splice(0)) p.resolve({ ok: false, error: 'the worker pool is closed' });
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
