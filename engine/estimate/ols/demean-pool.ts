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
import { type ClusterCodes, clusterScoresOf } from './vcov.js';
import type { ColumnProducts } from '../../numerics/linalg.js';
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

/**
 * Rows × columns of cluster scores below which the workers are not started for them alone (≈ 10 ns per row and
 * column against ≈ 50–100 ms to start a worker: at 10⁶ rows × 5 columns the start cost more than it saved).
 */
export const SCORES_START_MIN_WORK = 20_000_000;

/** `fallback` unless SPECRUN_PARALLEL_MIN_WORK says otherwise. */
function minWork(fallback = PARALLEL_DEMEAN_MIN_WORK): number {
  const v = process.env['SPECRUN_PARALLEL_MIN_WORK'];
  return v !== undefined && /^[0-9]+$/.test(v.trim()) ? Number(v) : fallback;
}

/**
 * What a worker receives for the cluster scores (vcov.ts `clusterScoresOf`) of some columns: those columns, the
 * residuals and the cluster codes (shared), and where to write the scores (G × columns, row-major).
 */
export interface ScoresJob {
  readonly kind: 'scores';
  readonly X: readonly Float64Array[];
  readonly e: Float64Array;
  readonly codes: Int32Array;
  readonly ngroups: number;
  readonly out: Float64Array;
}

/** What a worker receives per column: the grouped layout and the column (shared), where to write the result. */
export interface DemeanJob {
  readonly layout: GroupedLayout;
  readonly opts: GroupedOptions;
  readonly x: Float64Array;
  /** Shared outputs: x̃, and iterations / converged (1 or 0) / change. */
  readonly out: Float64Array;
  readonly stats: Float64Array;
  /** Set to 1 (Atomics.store) once `out` and `stats` are written. */
  readonly done: Int32Array;
}

const workerScript = (): string | null => compiledWorker(import.meta.url, 'estimate/ols/demean-worker.js');

const sharedF64 = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(length * 8));

export class DemeanPool implements ColumnPool {
  private workers: Worker[] | null = null;
  /** [0]: jobs done by the workers in the current call; [1]: some worker failed; [2]: workers started. */
  private readonly control = new Int32Array(new SharedArrayBuffer(12));
  private broken = false;
  /** Columns iterated by the workers so far (for tests and benchmarks). */
  workerColumns = 0;
  /** Columns whose cluster scores the workers computed so far (for tests and benchmarks). */
  workerScores = 0;

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
    products?: ColumnProducts,
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
      const job: DemeanJob = {
        layout,
        opts,
        x,
        out: x === cols[j] ? sharedF64(n) : x,
        stats: sharedF64(3),
        done: new Int32Array(new SharedArrayBuffer(4)),
      };
      workers[t - 1]!.postMessage(job);
      sent.set(j, job);
      this.workerColumns++;
    }
    const results: GroupedResult[] = new Array(cols.length);
    // (this thread's results are shared too: the cluster scores may later be computed on the workers)
    for (let j = 0; j < cols.length; j += T) results[j] = demeanGrouped(cols[j]!, layout, opts, sharedF64(n));
    // while the workers finish, the cross products of the columns done (this thread's first)
    const ahead = products
      ? { products, ready: results.filter((r) => r !== undefined).map((r) => r.values), jobs: [...sent.values()] }
      : undefined;
    const failed = this.waitFor(sent.size, workers.length, ahead);
    for (const [j, job] of sent) {
      results[j] = failed
        ? demeanGrouped(cols[j]!, layout, opts)
        : { values: job.out, iterations: job.stats[0]!, converged: job.stats[1] === 1, change: job.stats[2]! };
    }
    return results;
  }

  /**
   * Wait until the workers have done `sent` jobs of the current call; true when one failed (its work is then done
   * here). A worker that never started — its script failed to load — is given up after a minute, and the pool is not
   * used again.
   */
  private waitFor(
    sent: number,
    workers: number,
    ahead?: { products: ColumnProducts; ready: Float64Array[]; jobs: DemeanJob[] },
  ): boolean {
    const waitStart = performance.now();
    for (;;) {
      const done = Atomics.load(this.control, 0);
      if (done >= sent) break;
      if (ahead) {
        // a column finished (here, or by a worker: its flag is set after its output is written) has its products
        // with the columns added before it computed now rather than after the wait
        for (let q = ahead.jobs.length - 1; q >= 0; q--) {
          const job = ahead.jobs[q]!;
          if (Atomics.load(job.done, 0) === 1) {
            ahead.ready.push(job.out);
            ahead.jobs.splice(q, 1);
          }
        }
        const c = ahead.ready.shift();
        if (c) {
          ahead.products.add(c);
          continue;
        }
      }
      if (Atomics.load(this.control, 2) < workers && performance.now() - waitStart > 60_000) {
        this.broken = true;
        return true;
      }
      Atomics.wait(this.control, 0, done, 1000);
    }
    return Atomics.load(this.control, 1) === 1;
  }

  /**
   * The cluster scores of clusterMeat (vcov.ts) on the threads: column j's scores on thread j mod T (they depend on no
   * other column: vcov.ts `clusterScoresOf`), so the same bits as on one thread; null below PARALLEL_DEMEAN_MIN_WORK
   * (rows × columns; SCORES_START_MIN_WORK when the workers have not been started yet) or without workers.
   */
  clusterScores(X: readonly Float64Array[], e: Float64Array, cluster: ClusterCodes): Float64Array | null {
    const m = X.length,
      n = e.length,
      G = cluster.ngroups;
    const T = Math.min(this.threads, m);
    // (workers not started yet, e.g. after an exact two-way demeaning: only for much more work than their start-up)
    if (T < 2 || this.broken || n * m < minWork(this.workers ? PARALLEL_DEMEAN_MIN_WORK : SCORES_START_MIN_WORK))
      return null;
    const workers = this.start();
    if (!workers) return null;
    Atomics.store(this.control, 0, 0);
    Atomics.store(this.control, 1, 0);
    const columnsOf = (t: number): number[] => X.map((_, j) => j).filter((j) => j % T === t);
    const e1 = toShared(e),
      codes = toShared(cluster.codes);
    const sent = new Map<number, ScoresJob>();
    for (let t = 1; t < T; t++) {
      const js = columnsOf(t);
      const job: ScoresJob = {
        kind: 'scores',
        X: js.map((j) => toShared(X[j]!)),
        e: e1,
        codes,
        ngroups: G,
        out: sharedF64(G * js.length),
      };
      workers[t - 1]!.postMessage(job);
      sent.set(t, job);
      this.workerScores += js.length;
    }
    const scores = new Float64Array(G * m);
    const place = (js: readonly number[], part: Float64Array): void => {
      const k = js.length;
      for (let g = 0; g < G; g++) for (let q = 0; q < k; q++) scores[g * m + js[q]!] = part[g * k + q]!;
    };
    const own = columnsOf(0);
    place(
      own,
      clusterScoresOf(
        own.map((j) => X[j]!),
        e,
        cluster,
      ),
    );
    const failed = this.waitFor(sent.size, workers.length);
    for (const [t, job] of sent) place(columnsOf(t), failed ? clusterScoresOf(job.X, e, cluster) : job.out);
    return scores;
  }

  /** End the workers (the run is over). */
  close(): void {
    for (const w of this.workers ?? []) void w.terminate();
    this.workers = null;
  }
}
