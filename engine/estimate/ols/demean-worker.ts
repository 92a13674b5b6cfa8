/**
 * A worker thread of DemeanPool (demean-pool.ts): demeans the columns it is sent with the same code as the main
 * thread (demean-grouped.ts `demeanGrouped`), reading the grouped layout and the column from shared memory and
 * writing x̃ and the statistics there, or computes the cluster scores of the columns it is sent (vcov.ts
 * `clusterScoresOf`); then counts the job done on the shared control word and wakes the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { demeanGrouped } from './demean-grouped.js';
import type { DemeanJob, ScoresJob } from './demean-pool.js';
import { clusterScoresOf } from './vcov.js';

const control = (workerData as { control: Int32Array }).control;
Atomics.add(control, 2, 1); // started

parentPort!.on('message', (job: DemeanJob | ScoresJob) => {
  try {
    if ('kind' in job) job.out.set(clusterScoresOf(job.X, job.e, { codes: job.codes, ngroups: job.ngroups }));
    else {
      const r = demeanGrouped(job.x, job.layout, job.opts, job.out);
      job.stats[0] = r.iterations;
      job.stats[1] = r.converged ? 1 : 0;
      job.stats[2] = r.change;
      Atomics.store(job.done, 0, 1);
    }
  } catch {
    Atomics.store(control, 1, 1); // the main thread demeans this column itself
  }
  Atomics.add(control, 0, 1);
  Atomics.notify(control, 0);
});
