// Test helpers for the GLM, Tobit and threshold estimators: numeric CSV columns and group codes, no spec pipeline.
import { readFileSync } from 'node:fs';
import type { SmallSample, VcovPlan } from '../../engine/normalize/plan.js';

export const FIXEST: SmallSample = { adj: true, fixef_k: 'nested', cluster_adj: true };

/** A numeric CSV (header row, no quoted cells) as columns by name. */
export function readColumns(url: URL): Map<string, Float64Array> {
  const lines = readFileSync(url, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((h) => h.replace(/^"|"$/g, ''));
  const cols = header.map(() => new Float64Array(lines.length - 1));
  for (let r = 1; r < lines.length; r++) {
    lines[r]!.split(',').forEach((c, j) => {
      cols[j]![r - 1] = c === '' || c === 'NA' ? NaN : Number(c);
    });
  }
  return new Map(header.map((h, j) => [h, cols[j]!]));
}

/** Dense group codes of a numeric column (−1 when missing), in order of first appearance. */
export function codes(x: Float64Array): Int32Array {
  const seen = new Map<number, number>();
  return Int32Array.from(x, (v) => {
    if (!Number.isFinite(v)) return -1;
    let c = seen.get(v);
    if (c === undefined) {
      c = seen.size;
      seen.set(v, c);
    }
    return c;
  });
}

export function vcovPlan(type: VcovPlan['type'], cluster: string[] = [], ssc: SmallSample = FIXEST): VcovPlan {
  return { type, cluster, ssc };
}

export const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
