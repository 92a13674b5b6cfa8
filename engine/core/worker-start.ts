/**
 * What the thread pools of the estimators share (engine/estimate/replication-pool.ts, engine/estimate/ols/demean-pool.ts):
 * where the compiled worker script is, and starting the workers.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from './lazy-builtins.js';

/**
 * The compiled worker `rel` (its path below dist/, e.g. `estimate/ols/demean-worker.js`) for the module at
 * `moduleUrl`, which sits at the same depth below engine/ (the sources, in tests), below dist/ (compiled modules), or
 * in dist/bundle/ (the single-file bundles); null when it has not been built.
 */
export function compiledWorker(moduleUrl: string, rel: string): string | null {
  const here = fileURLToPath(moduleUrl);
  const up = Array.from({ length: rel.split('/').length - 1 }, () => '..');
  const dist = here.endsWith('.cjs')
    ? resolve(dirname(here), '..')
    : resolve(dirname(here), ...up, here.endsWith('.ts') ? join('..', 'dist') : '.');
  const script = join(dist, rel);
  return existsSync(script) ? script : null;
}

/** `count` workers running `script` with `workerData`, unref'd (an idle pool never keeps the process alive). */
export function startWorkers(script: string, count: number, workerData: unknown): Worker[] {
  return Array.from({ length: count }, () => {
    const w = new (workerThreads().Worker)(script, { workerData });
    w.unref();
    return w;
  });
}
