// The rank-size estimator and transform against R's lm (tests/parity/ranksize/ranksize.R, its raw output
// ranksize.out and the parsed ranksize.json), on the committed case tests/parity/ranksize/cases.csv: a monocentric
// group, a polycentric group with two and three centres, a two-unit group, ties in size, a zero and a missing size,
// an all-tied cell and a cell whose centre count is undefined. Tolerance: 1e-10 relative on q, C and R²; n and the
// centre count exactly.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Frame, textColumn } from '../../engine/core/frame.js';
import { rankSizeEstimator } from '../../engine/estimate/ranksize/index.js';
import { centreCount, rankSizeFitSorted, sortDescending } from '../../engine/numerics/rank-size/rank-size-fit.js';
import type { RankSizePlan } from '../../engine/normalize/plan.js';
import type { RankSizeDetail } from '../../engine/results/types.js';
import { rankSizeTransform as rankSizeFunctions } from '../../engine/transforms/ranksize.js';
import { TRANSFORM_DEFAULTS } from '../../engine/transforms/spec.js';
import { normalizingInner } from '../helpers/transforms.js';

const rankSizeTransform = normalizingInner(rankSizeFunctions, TRANSFORM_DEFAULTS.ranksize);

interface Want {
  group: string;
  period: number;
  q: number | null;
  C: number | null;
  r2: number | null;
  n: number;
  centres: number | null;
}
const want: Want[] = JSON.parse(readFileSync(new URL('../parity/ranksize/ranksize.json', import.meta.url), 'utf8'));

interface Case {
  unit: string[];
  group: string[];
  year: number[];
  pop: number[];
}
function readCases(): Case {
  const lines = readFileSync(new URL('../parity/ranksize/cases.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const c: Case = { unit: [], group: [], year: [], pop: [] };
  for (const l of lines) {
    const [u, g, y, p] = l.split(',');
    c.unit.push(u!);
    c.group.push(g!);
    c.year.push(Number(y));
    c.pop.push(p === '' ? NaN : Number(p));
  }
  return c;
}

/** The case as estimation data, rows in the order given by `order` (identity by default). */
function data(c: Case, order?: number[]) {
  const idx = order ?? c.unit.map((_, i) => i);
  const units = [...new Set(c.unit)];
  const frame = new Frame(idx.length, [
    ['pop', Float64Array.from(idx, (i) => c.pop[i]!)],
    ['group', textColumn(idx.map((i) => c.group[i]!))],
  ]);
  return {
    frame,
    unit: Int32Array.from(idx, (i) => units.indexOf(c.unit[i]!)),
    time: Float64Array.from(idx, (i) => c.year[i]!),
    unitLabels: units,
  };
}

const plan: RankSizePlan = {
  estimator: 'ranksize',
  id: 'mono',
  label: null,
  sample: null,
  source: { file: 'test.yaml', path: 'models.mono', line: 1, col: 1 },
  size: 'pop',
  group: 'group',
  threshold: 0.5,
  intercept: 'free',
};

function rel(got: number | null, exp: number | null): number {
  if (exp === null) return got === null ? 0 : Infinity;
  if (got === null) return Infinity;
  return Math.abs(got - exp) / Math.max(Math.abs(exp), 1e-300);
}

describe('rank-size estimator against R lm', () => {
  const c = readCases();
  const res = rankSizeEstimator.estimate(plan, data(c));
  const cells = (res.detail as RankSizeDetail).cells;

  it('has one cell per group and period, groups in order of appearance, periods ascending', () => {
    expect(cells.map((x) => `${x.group}/${x.period}`)).toEqual(want.map((w) => `${w.group}/${w.period}`));
  });

  it('q, C and R² agree with R to 1e-10 relative; n and centres exactly', () => {
    for (const [k, w] of want.entries()) {
      const got = cells[k]!;
      expect(rel(got.q, w.q), `q ${w.group}/${w.period}`).toBeLessThan(1e-10);
      expect(rel(got.C, w.C), `C ${w.group}/${w.period}`).toBeLessThan(1e-10);
      expect(rel(got.r2, w.r2), `r2 ${w.group}/${w.period}`).toBeLessThan(1e-10);
      expect(got.n).toBe(w.n);
      expect(got.centres).toBe(w.centres);
    }
  });

  it('classifies structure by q > threshold and finds two and three centres in the polycentric group', () => {
    const b08 = cells.find((x) => x.group === 'north-B' && x.period === 2008)!;
    const b13 = cells.find((x) => x.group === 'north-B' && x.period === 2013)!;
    expect([b08.structure, b08.centres, b13.structure, b13.centres]).toEqual(['poly', 2, 'poly', 3]);
    expect(cells.find((x) => x.group === 'north-A')!.structure).toBe('mono');
  });

  it('reports q undefined, with a reason and a note, for fewer than three units and for all-tied sizes', () => {
    const two = cells.find((x) => x.group === 'south-C' && x.period === 2008)!;
    expect(two.q).toBeNull();
    expect(two.structure).toBeNull();
    expect(two.reason).toMatch(/three/);
    const tied = cells.find((x) => x.group === 'south-F' && x.period === 2008)!;
    expect(tied.q).toBeNull();
    expect(tied.reason).toMatch(/tied/);
    const codes = res.notes.map((n) => n.code);
    expect(codes.filter((x) => x === 'RANKSIZE_TOO_FEW_UNITS')).toHaveLength(2);
    expect(codes).toContain('RANKSIZE_TIES');
    expect(codes).toContain('RANKSIZE_NO_CENTRES');
  });

  it('leaves zero and missing sizes out of the ranking, with one note counting them', () => {
    const nonpos = res.notes.filter((n) => n.code === 'RANKSIZE_NONPOSITIVE');
    expect(nonpos).toHaveLength(1);
    expect(nonpos[0]!.message).toContain('2 row(s)');
    expect(cells.find((x) => x.group === 'south-E' && x.period === 2008)!.n).toBe(4);
    expect(res.nobs).toBe(c.pop.filter((p) => p > 0).length);
  });

  it('has no coefficients and reports the numbers of groups and periods', () => {
    expect(res.coefficients).toEqual({});
    expect(res.stats).toEqual({ groups: 6, periods: 2 });
  });

  it('does not depend on the row order within a group, and orders groups by first appearance', () => {
    const order = c.unit.map((_, i) => i).reverse();
    const rev = (rankSizeEstimator.estimate(plan, data(c, order)).detail as RankSizeDetail).cells;
    expect(rev[0]!.group).toBe('south-F');
    for (const w of want) {
      const got = rev.find((x) => x.group === w.group && x.period === w.period)!;
      expect(rel(got.q, w.q)).toBeLessThan(1e-12);
      expect(got.centres).toBe(w.centres);
    }
  });

  it('treats q exactly at the threshold as polycentric (the paper: monocentric only when q > threshold)', () => {
    const sorted = sortDescending([633, 618, 583, 580, 389, 338, 229]);
    const fit = rankSizeFitSorted(sorted);
    if (!fit.ok) throw new Error('fit failed');
    expect(centreCount(sorted, fit.q - 1e-9)).toBe(1);
    expect(centreCount(sorted, fit.q)).toBeGreaterThan(1);
  });
});

describe('rank-size transform', () => {
  const c = readCases();
  const d = data(c);
  const ctx = { frame: d.frame, unit: d.unit, time: d.time, unitLabels: d.unitLabels };
  const col = (output: 'q' | 'polycentric' | 'centres' | 'central', period?: number) =>
    rankSizeTransform.compute(
      'v',
      { size: 'pop', group: 'group', output, ...(period === undefined ? {} : { period }) },
      ctx,
    ).columns[0]![1] as Float64Array;
  const rowOf = (unit: string, year: number) => c.unit.findIndex((u, i) => u === unit && c.year[i] === year);

  it('reads its inputs', () => {
    expect(rankSizeTransform.inputs({ size: 'pop', group: 'group', output: 'q' })).toEqual(['pop', 'group']);
  });

  it('gives each row its group-period q, structure and centre count', () => {
    const q = col('q');
    const poly = col('polycentric');
    const centres = col('centres');
    const wantB08 = want.find((w) => w.group === 'north-B' && w.period === 2008)!;
    expect(rel(q[rowOf('b5', 2008)]!, wantB08.q)).toBeLessThan(1e-10);
    expect(poly[rowOf('b5', 2008)]).toBe(1);
    expect(poly[rowOf('a3', 2013)]).toBe(0);
    expect(poly[rowOf('c1', 2008)]).toBeNaN();
    expect(centres[rowOf('b1', 2013)]).toBe(3);
    expect(centres[rowOf('a1', 2013)]).toBe(1);
  });

  it('flags the largest units of each group as central, as many as its centres', () => {
    const central = col('central');
    const flags = (year: number) => ['b1', 'b2', 'b3', 'b4', 'b5'].map((u) => central[rowOf(u, year)]);
    expect(flags(2008)).toEqual([1, 1, 0, 0, 0]);
    expect(flags(2013)).toEqual([1, 1, 1, 0, 0]);
    expect(central[rowOf('a1', 2008)]).toBe(1);
    expect(central[rowOf('a2', 2008)]).toBe(0);
    expect(central[rowOf('e2', 2008)]).toBeNaN(); // zero size: not ranked
    expect(central[rowOf('c1', 2008)]).toBeNaN(); // centre count undefined
  });

  it("with a fixed period, carries that period's structure and central status to every period", () => {
    const centres = col('centres', 2013);
    const central = col('central', 2013);
    expect(centres[rowOf('b1', 2008)]).toBe(3);
    expect(central[rowOf('b3', 2008)]).toBe(1);
    expect(central[rowOf('b3', 2013)]).toBe(1);
    expect(central[rowOf('f4', 2013)]).toBeNaN();
    // f4 has no row in 2008: no status in the fixed period, so NaN in every period
    expect(col('central', 2008)[rowOf('f4', 2013)]).toBeNaN();
    expect(col('central', 2008)[rowOf('b2', 2013)]).toBe(1);
  });

  it('breaks a tie for the last centre by unit label', () => {
    const frame = new Frame(5, [
      ['pop', Float64Array.from([500, 500, 100, 50, 20])],
      ['group', textColumn(['g', 'g', 'g', 'g', 'g'])],
    ]);
    const labels = ['zeta', 'alpha', 'c', 'd', 'e'];
    const out = rankSizeTransform.compute(
      'central',
      { size: 'pop', group: 'group', output: 'central' },
      {
        frame,
        unit: Int32Array.from([0, 1, 2, 3, 4]),
        time: Float64Array.from([1, 1, 1, 1, 1]),
        unitLabels: labels,
      },
    ).columns[0]![1] as Float64Array;
    expect(Array.from(out)).toEqual([0, 1, 0, 0, 0]);
  });

  it('rejects a fixed period without a time column', () => {
    expect(() =>
      rankSizeTransform.compute(
        'v',
        { size: 'pop', group: 'group', output: 'q', period: 2013 },
        { ...ctx, time: null },
      ),
    ).toThrow(expect.objectContaining({ code: 'SPEC_CONFLICT' }));
  });
});

// `intercept: largest` (the paper's C = ln size of the largest unit) against the same R script's fixed-intercept
// fits (tests/parity/ranksize/ranksize-largest.json): q = slope of lm(log(s) − C ~ 0 + log(r)), uncentred R².
describe('rank-size with the intercept fixed at the largest unit, against R lm', () => {
  const wantL: Want[] = JSON.parse(
    readFileSync(new URL('../parity/ranksize/ranksize-largest.json', import.meta.url), 'utf8'),
  );
  const c = readCases();
  const res = rankSizeEstimator.estimate({ ...plan, intercept: 'largest' }, data(c));
  const cells = (res.detail as RankSizeDetail).cells;

  it('q, C and R² agree with R to 1e-10 relative; n and centres exactly', () => {
    expect(cells.map((x) => `${x.group}/${x.period}`)).toEqual(wantL.map((w) => `${w.group}/${w.period}`));
    for (const [k, w] of wantL.entries()) {
      const got = cells[k]!;
      expect(rel(got.q, w.q), `q ${w.group}/${w.period}`).toBeLessThan(1e-10);
      expect(rel(got.C, w.C), `C ${w.group}/${w.period}`).toBeLessThan(1e-10);
      expect(rel(got.r2, w.r2), `r2 ${w.group}/${w.period}`).toBeLessThan(1e-10);
      expect(got.n).toBe(w.n);
      expect(got.centres).toBe(w.centres);
    }
  });

  it('fixes C at the log size of the largest unit and differs from the free fit', () => {
    const b08 = cells.find((x) => x.group === 'north-B' && x.period === 2008)!;
    const free = want.find((w) => w.group === 'north-B' && w.period === 2008)!;
    const largest = Math.max(...c.pop.filter((p, i) => c.group[i] === 'north-B' && c.year[i] === 2008 && p > 0));
    expect(b08.C).toBeCloseTo(Math.log(largest), 12);
    expect(Math.abs(b08.q! - free.q!)).toBeGreaterThan(0.05);
    expect([b08.centres, free.centres]).toEqual([3, 2]);
  });

  it('fits two units (one slope through C) where the free intercept needs three', () => {
    const two = cells.find((x) => x.group === 'south-C' && x.period === 2008)!;
    expect(two.n).toBe(2);
    expect(two.q).not.toBeNull();
    expect(res.notes.filter((n) => n.code === 'RANKSIZE_TOO_FEW_UNITS')).toHaveLength(0);
  });

  it('keeps the largest unit in every refit of the centre count (C never changes)', () => {
    // 100 and 99 are twin centres (q ≈ 1.07); after dropping 99 the line through ln 100 falls to 30, 20, 15 (q ≈ 1.45).
    const sorted = sortDescending([100, 99, 30, 20, 15]);
    const first = rankSizeFitSorted(sorted, 'largest');
    if (!first.ok) throw new Error('fit failed');
    expect(first.q).toBeLessThan(1.2);
    expect(centreCount(sorted, 1.2, 'largest')).toBe(2);
    const after = rankSizeFitSorted(sortDescending([100, 30, 20, 15]), 'largest');
    if (!after.ok) throw new Error('fit failed');
    expect(after.C).toBe(first.C);
    expect(after.q).toBeGreaterThan(1.2);
  });

  it('the transform reads the same option', () => {
    const d = data(c);
    const ctx = { frame: d.frame, unit: d.unit, time: d.time, unitLabels: d.unitLabels };
    const centres = rankSizeTransform.compute(
      'v',
      { size: 'pop', group: 'group', output: 'centres', intercept: 'largest' },
      ctx,
    ).columns[0]![1] as Float64Array;
    const row = c.unit.findIndex((u, i) => u === 'b1' && c.year[i] === 2008);
    expect(centres[row]).toBe(3);
  });
});
