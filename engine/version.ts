/** The engine's name and version, read once from package.json (it enters provenance and cache keys). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder at or above `from` (this module's folder by default) whose package.json names
 * `specrun`. Walking up makes the same code work from `engine/…` (vitest) and from `dist/…` (the built CLI); data/,
 * templates/ and engine/spec/ are found from it.
 */
let defaultRoot: string | null = null;
export function packageRoot(from?: string): string {
  if (from === undefined && defaultRoot !== null) return defaultRoot;
  const start = from ?? dirname(fileURLToPath(import.meta.url));
  let dir = start;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'specrun') {
        if (from === undefined) defaultRoot = dir;
        return dir;
      }
    } catch {
      /* keep walking up */
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`specrun: package root (package.json of specrun) not found above ${start}`);
    dir = up;
  }
}

let cached: string | null = null;
export function engineVersion(): string {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    cached = `specrun ${pkg.version}`;
  }
  return cached;
}
