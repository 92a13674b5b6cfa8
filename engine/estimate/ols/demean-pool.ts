/**
 * Demeaning the columns of one model on several threads (issue 19), bit for bit as on one: every column goes through
 * the same functions (demean-grouped.ts: columnMeans, iterateGrouped, residualOf) on the same numbers, and a column's
 * arithmetic never depends on the other columns, so which thread iterates which column changes nothing.
 *
 * Memory: nothing of length N is copied. The grouped layout (c1, c2: the codes in grouped order) is built once in
 * SharedArrayBuffers; a worker receives a column's group means (small), runs the iteration, and writes α_0 and the
 * state back to shared memory; the main thread computes the means before and the residual x̃ after, in the original
 * row order (passes that stay on the main thread: ≈ 4 of the ≈ 10–20 passes of a column).
 *
 * The call stays synchronous (the estimators are): the main thread sends each worker column (j ≢ 0 mod threads) as
 * soon as its means are ready, demeans its own columns, then blocks on a shared counter (Atomics.wait) until every
 * sent column is done. A worker that failed is reported on the control word and the iteration of the columns it was
 * sent is repeated on the main thread. The workers
 * are started on first use, kept for the run's later models, and do not keep the process alive (unref); `close()`
 * ends them. Without the compiled worker (dist/, e.g. tests run from the TypeScript sources before a build) the pool
 * declines and the caller demeans on one thread.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ColumnPool } from './demean.js';
import {
  type ColumnMeans,
  columnMeans,
  demeanGrouped,
  type FixedPoint,
  type GroupedLayout,
  type GroupedOptions,
  type GroupedResult,
  iterateGrouped,
  residualOf,
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

/** What a worker receives per column: the grouped layout (shared), the column's means, where to write the result. */
export interface DemeanJob {
  readonly layout: GroupedLayout;
  readonly opts: GroupedOptions;
  readonly column: ColumnMeans;
  /** Shared outputs: α_0, the state (α_1, α_2), and iterations / converged (1 or 0) / change. */
  readonly alpha0: Float64Array;
  readonly state: Float64Array;
  readonly stats: Float64Array;
}

function workerScript(): string | null {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), 'demean-worker.js');
  if (here.endsWith('.js') && existsSync(sibling)) return sibling;
  const built = resolve(dirname(here), '..', '..', '..', 'dist', 'estimate', 'ols', 'demean-worker.js');
  return existsSync(built) ? built : null;
}

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
    this.workers = Array.from({ length: this.threads - 1 }, () => {
      const w = new Worker(script, { workerData: { control: this.control } });
      w.unref();
      return w;
    });
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
    const forWorkers: GroupedLayout = { ...layout, codes: [] }; // the iteration does not read the original order
    const [G0, G1] = layout.ngroups as [number, number];
    const S = G1 + (layout.K === 3 ? layout.ngroups[2]! : 0);
    Atomics.store(this.control, 0, 0);
    Atomics.store(this.control, 1, 0);
    // the workers' columns first: their means here, then the iteration there
    const sent = new Map<
      number,
      { alpha0: Float64Array; state: Float64Array; stats: Float64Array; column: ColumnMeans }
    >();
    for (let j = 0; j < cols.length; j++) {
      const t = j % T;
      if (t === 0) continue;
      const job = {
        layout: forWorkers,
        opts,
        column: columnMeans(cols[j]!, layout),
        alpha0: sharedF64(G0),
        state: sharedF64(S),
        stats: sharedF64(3),
      };
      workers[t - 1]!.postMessage(job satisfies DemeanJob);
      sent.set(j, job);
      this.workerColumns++;
    }
    const results: GroupedResult[] = new Array(cols.length);
    for (let j = 0; j < cols.length; j += T) results[j] = demeanGrouped(cols[j]!, layout, opts);
    // (a worker that never started — its script failed to load — is given up after a minute: its columns are
    // iterated here and the pool is not used again)
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
      const fp: FixedPoint = failed
        ? iterateGrouped(job.column, layout, opts)
        : {
            alpha0: job.alpha0,
            state: job.state,
            iterations: job.stats[0]!,
            converged: job.stats[1] === 1,
            change: job.stats[2]!,
          };
      results[j] = {
        values: residualOf(cols[j]!, layout, fp),
        iterations: fp.iterations,
        converged: fp.converged,
        change: fp.change,
      };
    }
    return results;
  }

  /** End the workers (the run is over). */
  close(): void {
    for (const w of this.workers ?? []) void w.terminate();
    this.workers = null;
  }
}
