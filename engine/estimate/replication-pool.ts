/**
 * Bootstrap replications of one model on several threads (`run --threads N`, issue 17), bit for bit as on one: the
 * wild bootstrap's draws (engine/estimate/wild), the mediation bootstrap (engine/estimate/mediation) and the
 * threshold model's bootstrap F tests (engine/estimate/threshold).
 *
 * The pattern is the one of the specification curve under the null (engine/figures/spec-curve-null.ts):
 *   1. the caller draws every replication's random numbers up front, from the one seeded stream, in replication
 *      order, and puts them in the job's setup (plain data: typed arrays and plain objects);
 *   2. replication r is a pure function of the setup and r (a `ReplicationKernel`), whichever thread computes it;
 *   3. each replication writes its `width` numbers at its own place of one shared output, which the caller then
 *      tallies in replication order.
 * So which thread computes which replication changes nothing.
 *
 * The call stays synchronous (the estimators are): the replications are cut into chunks; the main thread and the
 * workers take the next chunk from a shared counter (Atomics) until none is left, and the main thread then waits
 * (Atomics.wait) until every chunk taken is done. A chunk a worker could not compute (an error of any kind) is
 * computed again on the main thread. The workers (engine/estimate/replication-worker.ts, compiled in dist/) are
 * started on first use, kept for the run's later models, and do not keep the process alive (unref); `close()` ends
 * them. A worker still starting up takes no chunk, so the main thread never waits for a start-up: it computes the
 * chunks itself meanwhile. Without the compiled worker (tests run from the TypeScript sources before a build), or
 * below `parallelMinWork()`, everything runs on the calling thread, in order.
 */
import type { Worker } from 'node:worker_threads';
import { compiledWorker, startWorkers } from '../core/worker-start.js';

/**
 * Work below which no worker thread is used, in "rows × estimations" (≈ µs of one thread's OLS; the callers give
 * their bootstrap's work in the same unit). Measured on the 2-core machine: a worker costs ≈ 0.05–0.2 s of CPU to
 * start, OLS ≈ 1 µs per row and model, so 400,000 ≈ 0.4 s of work, about the start-up of two workers.
 * `SPECRUN_PARALLEL_MIN_WORK` overrides it (tests use 0 to exercise the workers on small fixtures).
 */
export const PARALLEL_MIN_WORK = 400_000;

export function parallelMinWork(): number {
  const v = process.env['SPECRUN_PARALLEL_MIN_WORK'];
  return v !== undefined && /^[0-9]+$/.test(v.trim()) ? Number(v) : PARALLEL_MIN_WORK;
}

/**
 * Replication r of a bootstrap as a pure function of its setup: `prepare` once per job and thread (the setup reaches a
 * worker as a structured clone: plain data only), then `replicate` for each replication the thread takes.
 */
export interface ReplicationKernel<S, T> {
  /** Its name in engine/estimate/replication-kernels.ts (how a worker finds it). */
  readonly kind: string;
  prepare(setup: S): T;
  /** Replication r's `width` numbers, written into `out` (a view of the shared output at r). */
  replicate(state: T, r: number, out: Float64Array): void;
}

/** What an estimator calls: replications [0, reps) of `kernel`, `width` numbers each, in replication order. */
export interface Replicator {
  /** `work`: the job's size in rows × estimations (below `parallelMinWork()` it runs on this thread). */
  run<S, T>(kernel: ReplicationKernel<S, T>, setup: S, reps: number, width: number, work: number): Float64Array;
}

/** Every replication on this thread, in order (one thread, small jobs, or no replication pool). */
export function replicateHere<S, T>(
  kernel: ReplicationKernel<S, T>,
  setup: S,
  reps: number,
  width: number,
  into?: Float64Array,
): Float64Array {
  const out = into ?? new Float64Array(reps * width);
  const state = kernel.prepare(setup);
  for (let r = 0; r < reps; r++) kernel.replicate(state, r, out.subarray(r * width, (r + 1) * width));
  return out;
}

/** Replications through `pool` when there is one, else on this thread. */
export function replicate<S, T>(
  pool: Replicator | undefined,
  kernel: ReplicationKernel<S, T>,
  setup: S,
  reps: number,
  width: number,
  work: number,
): Float64Array {
  return pool ? pool.run(kernel, setup, reps, width, work) : replicateHere(kernel, setup, reps, width);
}

/** A job as a worker receives it. */
export interface ReplicationJob {
  readonly kind: string;
  readonly setup: unknown;
  readonly reps: number;
  readonly width: number;
  /** Replications per chunk; chunk c is [c·chunk, min(reps, (c + 1)·chunk)). */
  readonly chunk: number;
  /** Shared: [0] the next chunk to take, [1] chunks done, [2] workers started (pool-wide). */
  readonly control: Int32Array;
  /** Shared, one per chunk: 1 when a worker failed on it (the main thread computes it again). */
  readonly failed: Int32Array;
  /** Shared output, `width` numbers per replication. */
  readonly out: Float64Array;
}

/** Chunks of a job: enough per thread to even out the load, few enough that taking one costs nothing. */
function chunkSize(reps: number, threads: number): number {
  return Math.max(1, Math.ceil(reps / (threads * 8)));
}

const workerScript = (): string | null => compiledWorker(import.meta.url, 'estimate/replication-worker.js');

const sharedInt32 = (length: number) => new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4));

export class ReplicationPool implements Replicator {
  private workers: Worker[] | null = null;
  /** [0]: workers started (each worker adds 1 once its engine is loaded). */
  private readonly started = sharedInt32(1);
  private broken = false;
  /** Chunks computed by the workers so far (for tests and benchmarks). */
  workerChunks = 0;

  /** `threads`: the run's thread count (the main thread included). */
  constructor(readonly threads: number) {}

  private start(): Worker[] | null {
    if (this.workers) return this.workers;
    const script = workerScript();
    if (!script || this.threads < 2) return null;
    this.workers = startWorkers(script, this.threads - 1, { started: this.started });
    return this.workers;
  }

  run<S, T>(kernel: ReplicationKernel<S, T>, setup: S, reps: number, width: number, work: number): Float64Array {
    if (this.threads < 2 || this.broken || reps < 2 || work < parallelMinWork())
      return replicateHere(kernel, setup, reps, width);
    const workers = this.start();
    if (!workers) return replicateHere(kernel, setup, reps, width);
    const chunk = chunkSize(reps, this.threads);
    const chunks = Math.ceil(reps / chunk);
    const control = sharedInt32(2);
    const failed = sharedInt32(chunks);
    const out = new Float64Array(new SharedArrayBuffer(reps * width * 8));
    const job: ReplicationJob = { kind: kernel.kind, setup, reps, width, chunk, control, failed, out };
    for (const w of workers) w.postMessage(job);
    // this thread takes chunks too, from the same counter
    const state = kernel.prepare(setup);
    const compute = (c: number) => {
      for (let r = c * chunk; r < Math.min(reps, (c + 1) * chunk); r++)
        kernel.replicate(state, r, out.subarray(r * width, (r + 1) * width));
    };
    let mine = 0;
    for (let c = Atomics.add(control, 0, 1); c < chunks; c = Atomics.add(control, 0, 1)) {
      compute(c);
      mine++;
      Atomics.add(control, 1, 1);
    }
    // every chunk is taken; wait for those the workers took
    for (;;) {
      const done = Atomics.load(control, 1);
      if (done >= chunks) break;
      Atomics.wait(control, 1, done, 1000);
    }
    this.workerChunks += chunks - mine;
    for (let c = 0; c < chunks; c++) if (failed[c] === 1) compute(c);
    return out;
  }

  /** End the workers (the run is over). */
  close(): void {
    for (const w of this.workers ?? []) void w.terminate();
    this.workers = null;
  }
}
