/** Golden files: compare text with a committed file, or rewrite it when UPDATE_GOLDEN=1 (`npm run golden:update`). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export function expectGolden(path: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN'] !== '1' && !existsSync(path)) {
    // A missing golden file is a failure everywhere: writing it would make the test pass against itself.
    throw new Error(`golden file ${path} is missing: run npm run golden:update`);
  }
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/**
 * results.json goldens: the same keys, texts and counts, and numbers equal to 1e-9 relative. Bit-level identity is a
 * promise about two runs of the same build (tested separately); across refactorings of the numerics the last digits
 * of a float may move without any number a user sees changing.
 */
export function expectGoldenJson(path: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) {
    expectGolden(path, actual);
    return;
  }
  expect(goldenJsonDiffs(JSON.parse(readFileSync(path, 'utf8')), JSON.parse(actual))).toEqual([]);
}

/** The differences between a golden JSON value and a fresh one (empty when they agree). */
export function goldenJsonDiffs(golden: unknown, actual: unknown): string[] {
  const diffs: string[] = [];
  compare(golden, actual, '$', diffs);
  return diffs;
}

/** p-values are compared relatively only: a p moving from 2e-40 to 1e-15 is a change a referee would see. */
function isPValue(at: string): boolean {
  const key = at.slice(at.lastIndexOf('.') + 1);
  return key === 'p' || key.endsWith('_p');
}

function compare(a: unknown, b: unknown, at: string, out: string[]): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(Math.abs(a), Math.abs(b), 1e-300);
    const floor = isPValue(at) ? 0 : 1e-14;
    if (Math.abs(a - b) / scale > 1e-9 && Math.abs(a - b) > floor) out.push(`${at}: ${a} → ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${at}: length ${a.length} → ${b.length}`);
    a.forEach((x, i) => compare(x, b[i], `${at}[${i}]`, out));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join('|') !== kb.join('|')) out.push(`${at}: keys ${ka.join(',')} → ${kb.join(',')}`);
    for (const k of ka)
      if (k in (b as object))
        compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, out);
    return;
  }
  if (a !== b) out.push(`${at}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
}
