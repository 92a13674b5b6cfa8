/** The engine's name and version, read once from package.json (it enters provenance and cache keys). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'specrun') return dir;
    } catch { /* keep walking up */ }
    dir = dirname(dir);
  }
  throw new Error('specrun package root not found');
}

let cached: string | null = null;
export function engineVersion(): string {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    cached = `specrun ${pkg.version}`;
  }
  return cached;
}
