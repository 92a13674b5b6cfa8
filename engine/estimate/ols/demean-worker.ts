/**
 * A worker thread of DemeanPool (demean-pool.ts): runs the fixed-point iteration of the columns it is sent with the
 * same code as the main thread (demean-grouped.ts `iterateGrouped`), reading the grouped layout from shared memory and
 * writing each column's α_0, state and statistics there; then counts the column done on the shared control word and
 * wakes the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { iterateGrouped } from './demean-grouped.js';
import type { DemeanJob } from './demean-pool.js';

const control = (workerData as { control: Int32Array }).control;
Atomics.add(control, 2, 1); // started

parentPort!.on('message', (job: DemeanJob) => {
  try {
    const fp = iterateGrouped(job.column, job.layout, job.opts);
    job.alpha0.set(fp.alpha0);
    job.state.set(fp.state);
    job.stats[0] = fp.iterations;
    job.stats[1] = fp.converged ? 1 : 0;
    job.stats[2] = fp.change;
  } catch {
    Atomics.store(control, 1, 1); // the main thread iterates this column itself
  }
  Atomics.add(control, 0, 1);
  Atomics.notify(control, 0);
});
