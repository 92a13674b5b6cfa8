// Test helpers for the OLS estimator: plans and frames built by hand (no spec pipeline involved).
import { readFileSync } from 'node:fs';
import { Frame, type Column } from '../../engine/core/frame.js';
import type { OlsPlan, SmallSample, VcovPlan } from '../../engine/normalize/plan.js';

export const FIXEST: SmallSample = { adj: true, fixef_k: 'nested', cluster_adj: true };

export function olsPlan(
  dependent: string,
  regressors: string[],
  fixedEffects: string[],
  vcov: Partial<VcovPlan> = {},
  id = 'm',
): OlsPlan {
  return {
    id,
    label: null,
    sample: null,
    source: { file: 't.yaml', path: '', line: 0, col: 0 },
    estimator: 'ols',
    dependent: { name: dependent, variable: dependent, lag: 0 },
    regressors: regressors.map((r) => ({ name: r, variable: r, lag: 0 })),
    fixedEffects,
    intercept: fixedEffects.length === 0,
    constant: false,
    vcov: { type: vcov.type ?? 'iid', cluster: vcov.cluster ?? [], ssc: vcov.ssc ?? FIXEST },
  };
}

/** A numeric CSV with a header row (quoted names allowed) as a Frame. */
export function readNumericCsv(url: URL): Frame {
  const lines = readFileSync(url, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',').map((h) => h.replace(/^"|"$/g, ''));
  const cols = header.map(() => new Float64Array(lines.length - 1));
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r]!.split(',');
    cells.forEach((c, j) => {
      cols[j]![r - 1] = c === '' || c === 'NA' ? NaN : Number(c);
    });
  }
  return new Frame(
    lines.length - 1,
    header.map((h, j) => [h, cols[j]!] as [string, Column]),
  );
}

/** Deterministic pseudo-random numbers (mulberry32) and standard normals (Box–Muller). */
export function rng(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = Math.max(uniform(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}
