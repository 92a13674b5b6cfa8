/**
 * The replication kernels by name, for the worker threads of ReplicationPool (replication-worker.ts): the main thread
 * passes the kernel itself, a worker finds it here by its `kind`. One line per bootstrap.
 */
import type { ReplicationKernel } from './replication-pool.js';
import { wildDrawKernel } from './wild/kernel.js';
import { mediationBootKernel } from './mediation/kernel.js';
import { thresholdBootKernel } from './threshold/estimate-threshold.js';

const KERNELS: ReadonlyMap<string, ReplicationKernel<unknown, unknown>> = new Map(
  [wildDrawKernel, mediationBootKernel, thresholdBootKernel].map(
    (k) => [k.kind, k as unknown as ReplicationKernel<unknown, unknown>] as const,
  ),
);

export function replicationKernel(kind: string): ReplicationKernel<unknown, unknown> | undefined {
  return KERNELS.get(kind);
}
