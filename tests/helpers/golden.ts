/** Golden files: compare text with a committed file, or rewrite it when UPDATE_GOLDEN=1 (`npm run golden:update`). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export function expectGolden(path: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) {
    if (process.env['CI'] && !existsSync(path)) throw new Error(`golden file ${path} is missing: run npm run golden:update`);
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
  const diffs: string[] = [];
  compare(JSON.parse(readFileSync(path, 'utf8')), JSON.parse(actual), '$', diffs);
  expect(diffs).toEqual([]);
}

function compare(a: unknown, b: unknown, at: string, out: string[]): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(Math.abs(a), Math.abs(b), 1e-300);
    if (Math.abs(a - b) / scale > 1e-9 && Math.abs(a - b) > 1e-14) out.push(`${at}: ${a} → ${b}`);
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
    for (const k of ka) if (k in (b as object)) compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, out);
    return;
  }
  if (a !== b) out.push(`${at}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
}
