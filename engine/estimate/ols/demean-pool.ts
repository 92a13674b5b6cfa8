/**
 * Demeaning the columns of one model on several threads (issue 19), bit for bit as on one: every column goes through
 * the same function (demean-grouped.ts `demeanGrouped`: its means, the iteration, its residual x̃) on the same
 * numbers, and a column's arithmetic never depends on the other columns, so which thread demeans which column
 * changes nothing.
 *
 * Whole columns are dealt to the threads (column j to thread j mod T, the main thread being thread 0), so the passes
 * over the rows in their original order (the group means before, x̃ after: random accesses into the coefficient
 * arrays, the costliest passes at 10⁷ rows) are shared too, not only the iteration. The grouped layout is built once
 * in SharedArrayBuffers, with the codes in the original order; a worker's column is copied to a SharedArrayBuffer
 * unless it already is one (one sequential copy of N numbers), and the worker writes x̃ into a shared array that
 * becomes the result: no copy back. That array is the copy itself when there is one (the column's means are taken
 * before its residual, and the residual reads x[i] before writing x̃[i]): no second array of N numbers per column.
 *
 * The call stays synchronous (the estimators are): the main thread sends the workers their columns, demeans its own,
 * then blocks on a shared counter (Atomics.wait) until every sent column is done. A worker that failed is reported on
 * the control word and the columns it was sent are demeaned on the main thread. The workers are started on first
 * use, kept for the run's later models, and do not keep the process alive (unref); `close()` ends them. Without the
 * compiled worker (dist/, e.g. tests run from the TypeScript sources before a build) the pool declines and the caller
 * demeans on one thread.
 */
import type { Worker } from 'node:worker_threads';
import { compiledWorker, startWorkers } from '../../core/worker-start.js';
import type { ColumnPool } from './demean.js';
import {
  demeanGrouped,
  type GroupedLayout,
  type GroupedOptions,
  type GroupedResult,
  toShared,
} from './demean-grouped.js';

/**
 * Rows × columns below which one thread is used: starting a worker costs ≈ 30–60 ms, demeaning 10⁶ numbers ≈ 0.1–0.3 s.
 * `SPECRUN_PARALLEL_MIN_WORK` overrides it (tests use 0 to exercise the workers on small data).
 */
export const PARALLEL_DEMEAN_MIN_WORK = 1_000_000;

function minWork(): number {
  const v = process.env['SPECRUN_PARALLEL_MIN_WORK'];
  return v !== undefined && /^[0-9]+$/.test(v.trim()) ? Number(v) : PARALLEL_DEMEAN_MIN_WORK;
}

/** What a worker receives per column: the grouped layout and the column (shared), where to write the result. */
export interface DemeanJob {
  readonly layout: GroupedLayout;
  readonly opts: GroupedOptions;
  readonly x: Float64Array;
  /** Shared outputs: x̃, and iterations / converged (1 or 0) / change. */
  readonly out: Float64Array;
  readonly stats: Float64Array;
}

const workerScript = (): string | null => compiledWorker(import.meta.url, 'estimate/ols/demean-worker.js');

const sharedF64 = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(length * 8));

export class DemeanPool implements ColumnPool {
  private workers: Worker[] | null = null;
  /** [0]: columns done by the workers in the current call; [1]: some worker failed; [2]: workers started. */
  private readonly control = new Int32Array(new SharedArrayBuffer(12));
  private broken = false;
  /** Columns iterated by the workers so far (for tests and benchmarks). */
  workerColumns = 0;

  /** `threads`: the run's thread count (the main thread included). */
  constructor(readonly threads: number) {}

  private start(): Worker[] | null {
    if (this.workers) return this.workers;
    const script = workerScript();
    if (!script || this.threads < 2) return null;
    this.workers = startWorkers(script, this.threads - 1, { control: this.control });
    return this.workers;
  }

  demeanGrouped(
    cols: readonly Float64Array[],
    layoutOf: (shared: boolean) => GroupedLayout,
    opts: GroupedOptions,
  ): GroupedResult[] | null {
    const T = Math.min(this.threads, cols.length);
    const n = cols[0]?.length ?? 0;
    if (T < 2 || this.broken || n * cols.length < minWork()) return null;
    const workers = this.start();
    if (!workers) return null;
    const layout = layoutOf(true);
    Atomics.store(this.control, 0, 0);
    Atomics.store(this.control, 1, 0);
    const sent = new Map<number, DemeanJob>();
    for (let j = 0; j < cols.length; j++) {
      const t = j % T;
      if (t === 0) continue;
      // a column copied to shared memory is the pool's own: x̃ overwrites it (residualOf allows out = x) instead of
      // filling a new array of N numbers
      const x = toShared(cols[j]!);
      const job: DemeanJob = { layout, opts, x, out: x === cols[j] ? sharedF64(n) : x, stats: sharedF64(3) };
      workers[t - 1]!.postMessage(job);
      sent.set(j, job);
      this.workerColumns++;
    }
    const results: GroupedResult[] = new Array(cols.length);
    for (let j = 0; j < cols.length; j += T) results[j] = demeanGrouped(cols[j]!, layout, opts);
    // (a worker that never started — its script failed to load — is given up after a minute: its columns are
    // demeaned here and the pool is not used again)
    const waitStart = performance.now();
    let failed = false;
    for (;;) {
      const done = Atomics.load(this.control, 0);
      if (done >= sent.size) break;
      if (Atomics.load(this.control, 2) < workers.length && performance.now() - waitStart > 60_000) {
        failed = true;
        this.broken = true;
        break;
      }
      Atomics.wait(this.control, 0, done, 1000);
    }
    failed ||= Atomics.load(this.control, 1) === 1;
    for (const [j, job] of sent) {
      results[j] = failed
        ? demeanGrouped(cols[j]!, layout, opts)
        : { values: job.out, iterations: job.stats[0]!, converged: job.stats[1] === 1, change: job.stats[2]! };
    }
    return results;
  }

  /** End the workers (the run is over). */
  close(): void {
    for (const w of this.workers ?? []) void w.terminate();
    this.workers = null;
  }
}
