/**
 * A fingerprint of the engine's code. Cache keys carry the engine version, but during development the code changes
 * without the version changing; a result computed by other code must not be served. So the key also carries a hash
 * of every source or compiled file of the engine (the folder this module was loaded from: engine/ under vitest,
 * dist/ for the CLI). Computed once per process (a few hundred kB of hashing).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Set by the bundle build (scripts/bundle.mjs, esbuild's `define`): this same hash of dist/, computed when the bundle
 * was made from it, so a bundled command does not read and hash every file again. Undefined elsewhere.
 */
declare const __SPECRUN_BUILD_ID__: string | undefined;

let memo: string | null = typeof __SPECRUN_BUILD_ID__ === 'string' ? __SPECRUN_BUILD_ID__ : null;

export function engineBuildId(): string {
  if (memo) return memo;
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|mjs|ts|json)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  walk(root);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(root, f).split('\\').join('/'));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  memo = h.digest('hex');
  return memo;
}
