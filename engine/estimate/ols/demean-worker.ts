/**
 * A worker thread of DemeanPool (demean-pool.ts): demeans the columns it is sent with the same code as the main
 * thread (demean-grouped.ts `demeanGrouped`), reading the grouped layout and the column from shared memory and
 * writing x̃ and the statistics there; then counts the column done on the shared control word and wakes the main
 * thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { demeanGrouped } from './demean-grouped.js';
import type { DemeanJob } from './demean-pool.js';

const control = (workerData as { control: Int32Array }).control;
Atomics.add(control, 2, 1); // started

parentPort!.on('message', (job: DemeanJob) => {
  try {
    const r = demeanGrouped(job.x, job.layout, job.opts, job.out);
    job.stats[0] = r.iterations;
    job.stats[1] = r.converged ? 1 : 0;
    job.stats[2] = r.change;
  } catch {
    Atomics.store(control, 1, 1); // the main thread demeans this column itself
  }
  Atomics.add(control, 0, 1);
  Atomics.notify(control, 0);
});
