/**
 * Node's built-in modules that only some commands use — child_process (git), zlib (`.gz` data), worker_threads
 * (`run --threads`) — loaded on first use. Imported at the top of a module, each was initialised by every command
 * (≈ 5–30 ms apiece; issue 19, start-up).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => require('node:child_process');
export const zlib = (): typeof import('node:zlib') => require('node:zlib');
export const workerThreads = (): typeof import('node:worker_threads') => require('node:worker_threads');
