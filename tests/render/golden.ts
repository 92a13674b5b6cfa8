/**
 * Golden-file comparison: with UPDATE_GOLDEN=1 (`npm run golden:update`) the file is (re)written, otherwise the
 * rendered text must equal the committed file byte for byte. Review a refresh as a diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'render');

export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `golden file ${name} is missing: run \`npm run golden:update\``).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
