/**
 * A worker thread of ReplicationPool (replication-pool.ts): for each job, the kernel it names
 * (replication-kernels.ts) prepared from the job's setup, then the chunks of replications it can take from the shared
 * counter, each written at its place of the shared output; a chunk that fails is marked for the main thread to
 * compute again. Every chunk taken is counted done, and the main thread woken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReplicationJob } from './replication-pool.js';
import { replicationKernel } from './replication-kernels.js';

const started = (workerData as { started: Int32Array }).started;
Atomics.add(started, 0, 1);

parentPort!.on('message', (job: ReplicationJob) => {
  const chunks = Math.ceil(job.reps / job.chunk);
  if (Atomics.load(job.control, 0) >= chunks) return; // the other threads took every chunk already
  let state: unknown = null;
  let ready = false;
  const kernel = replicationKernel(job.kind);
  try {
    if (kernel) {
      state = kernel.prepare(job.setup);
      ready = true;
    }
  } catch {
    ready = false;
  }
  if (!ready) return; // takes no chunk: the others compute them
  for (let c = Atomics.add(job.control, 0, 1); c < chunks; c = Atomics.add(job.control, 0, 1)) {
    try {
      for (let r = c * job.chunk; r < Math.min(job.reps, (c + 1) * job.chunk); r++)
        kernel!.replicate(state, r, job.out.subarray(r * job.width, (r + 1) * job.width));
    } catch {
      job.failed[c] = 1;
    }
    Atomics.add(job.control, 1, 1);
    Atomics.notify(job.control, 1);
  }
});
