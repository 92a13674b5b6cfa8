// The within R² and adjusted within R² (`r2_within`, `r2_within_adj`) — the statistic the paper's "adj-R²" row of
// Tables 1 and 4 shows (0.16–0.39 there, where the overall adj-R² with the fixed effects counted is near 1) —
// against fixest's r2(m, "wr2") and r2(m, "war2") (tests/parity/ols/within-r2.R, raw output within-r2.out, values
// within-r2.json): Grunfeld with firm + year effects (balanced and unbalanced) and with firm effects only.
// Tolerance 1e-9 relative.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Frame, type Column } from '../../engine/core/frame.js';
import { olsEstimator } from '../../engine/estimate/ols/index.js';
import { olsPlan, readNumericCsv } from './helpers.js';

interface Want {
  nobs: number;
  r2: number;
  ar2: number;
  wr2: number;
  war2: number;
}
const want: Record<string, Want> = JSON.parse(
  readFileSync(new URL('../parity/ols/within-r2.json', import.meta.url), 'utf8'),
);
const full = readNumericCsv(new URL('../../data/grunfeld.csv', import.meta.url));

/** The rows the R script keeps for the unbalanced cases: (firm + year) mod 7 ≠ 0. */
function unbalanced(): Frame {
  const firm = full.numeric('firm');
  const year = full.numeric('year');
  const keep: number[] = [];
  for (let i = 0; i < full.nrows; i++) if ((firm[i]! + year[i]!) % 7 !== 0) keep.push(i);
  return new Frame(
    keep.length,
    full.names.map((n): [string, Column] => [n, Float64Array.from(keep, (i) => full.numeric(n)[i]!)]),
  );
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('within R² against fixest (wr2, war2)', () => {
  const cases: [string, Frame, string[]][] = [
    ['twoway_balanced', full, ['firm', 'year']],
    ['twoway_unbalanced', unbalanced(), ['firm', 'year']],
    ['firm_unbalanced', unbalanced(), ['firm']],
  ];
  for (const [name, frame, fe] of cases) {
    it(name, () => {
      const r = olsEstimator.estimate(olsPlan('inv', ['value', 'capital'], fe), { frame, unit: null, time: null });
      const w = want[name]!;
      expect(r.nobs).toBe(w.nobs);
      expect(rel(r.stats.r2_within!, w.wr2)).toBeLessThan(1e-9);
      expect(rel(r.stats.r2_within_adj!, w.war2)).toBeLessThan(1e-9);
      expect(rel(r.stats.r2_adj!, w.ar2)).toBeLessThan(1e-9);
      // the within statistic is the one far from the overall R² (what the paper's row can be)
      expect(w.ar2 - w.war2).toBeGreaterThan(0.1);
    });
  }
});
