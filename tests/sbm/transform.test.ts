/** The `sbm` transform: frontiers from the time column, detail columns, and the rules for missing and non-positive data. */
import { describe, expect, it } from 'vitest';
import { Frame, isText, type Column, type TextColumn } from '../../engine/core/frame.js';
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { makeSbmTransform } from '../../engine/transforms/sbm/index.js';
import { sbmEfficiency, SbmStatus } from '../../engine/transforms/sbm/sbm-efficiency.js';
import type { TransformContext } from '../../engine/transforms/types.js';
import { TRANSFORM_DEFAULTS } from '../../engine/transforms/spec.js';
import { normalizingInner } from '../helpers/transforms.js';

const sbm = normalizingInner(makeSbmTransform(), TRANSFORM_DEFAULTS.sbm);
const f = (a: readonly number[]): Float64Array => Float64Array.from(a);

// Tone (2003) data in two periods: period 2001 is the published example, 2002 the same units with good output doubled
const good1 = [1, 2, 6, 8, 9, 5, 4, 6, 4];
const bad1 = [1, 1, 2, 4, 7, 2, 3, 4, 6];
function panel(good: number[], bad: number[], x?: number[]): TransformContext {
  const n = good.length;
  const frame = new Frame(n, [
    ['x', f(x ?? Array(n).fill(1))],
    ['g', f(good)],
    ['b', f(bad)],
  ] as [string, Column][]);
  const units = 9;
  return {
    frame,
    unit: Int32Array.from({ length: n }, (_, i) => i % units),
    time: f(Array.from({ length: n }, (_, i) => 2001 + Math.floor(i / units))),
    unitLabels: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'],
  };
}
const spec = { inputs: ['x'], desirable: ['g'], undesirable: ['b'] };

function text(c: Column, i: number): string | null {
  expect(isText(c)).toBe(true);
  const t = c as TextColumn;
  return t.codes[i]! < 0 ? null : t.levels[t.codes[i]!]!;
}

describe('sbm transform', () => {
  it('one frontier per year equals each year computed alone; global pools them', () => {
    const good2 = good1.map((v) => v * 2);
    const ctx = panel([...good1, ...good2], [...bad1, ...bad1]);
    const out = sbm.compute('gtfp', { ...spec, rts: 'vrs', frontier: 'year' }, ctx);
    expect(out.columns.map(([n]) => n)).toEqual(['gtfp']);
    const score = out.columns[0]![1] as Float64Array;
    const alone1 = sbmEfficiency(
      { inputs: [f(Array(9).fill(1))], desirable: [f(good1)], undesirable: [f(bad1)] },
      { rts: 'vrs' },
    );
    const alone2 = sbmEfficiency(
      { inputs: [f(Array(9).fill(1))], desirable: [f(good2)], undesirable: [f(bad1)] },
      { rts: 'vrs' },
    );
    for (let i = 0; i < 9; i++) {
      expect(score[i]).toBeCloseTo(alone1.score[i]!, 12);
      expect(score[9 + i]).toBeCloseTo(alone2.score[i]!, 12);
    }
    // the published VRS scores for period 2001
    expect(score[5]).toBeCloseTo(10 / 11, 9);
    const pooled = sbm.compute('gtfp', { ...spec, rts: 'vrs', frontier: 'global' }, ctx).columns[0]![1] as Float64Array;
    // pooled: period 2002 dominates, so every 2001 unit is inefficient and 2002 scores equal their own-year scores
    for (let i = 0; i < 9; i++) expect(pooled[i]).toBeLessThan(1);
    for (let i = 0; i < 9; i++) expect(pooled[9 + i]).toBeCloseTo(alone2.score[i]!, 9);
    // sequential: 2001 against 2001 only; 2002 against both (= pooled for 2002)
    const seqc = sbm.compute('gtfp', { ...spec, rts: 'vrs', frontier: 'sequential' }, ctx)
      .columns[0]![1] as Float64Array;
    for (let i = 0; i < 9; i++) expect(seqc[i]).toBeCloseTo(alone1.score[i]!, 12);
    for (let i = 0; i < 9; i++) expect(seqc[9 + i]).toBeCloseTo(pooled[9 + i]!, 12);
  });

  it('details: slack columns named NAME_slack_VAR and a sorted peers column with unit and period', () => {
    const ctx = panel(good1, bad1);
    const out = sbm.compute('gtfp', { ...spec, rts: 'crs', frontier: 'year', details: true }, ctx);
    expect(out.columns.map(([n]) => n)).toEqual(['gtfp', 'gtfp_slack_x', 'gtfp_slack_g', 'gtfp_slack_b', 'gtfp_peers']);
    const peers = out.columns[4]![1];
    // A (1, 1) under CRS: ρ = 0.1; its peers are CRS-efficient units (C, D, E)
    const pa = text(peers, 0)!;
    expect(pa.length).toBeGreaterThan(0);
    expect(pa.split('; ').every((p) => /^[CDE] 2001$/.test(p))).toBe(true);
    // an efficient unit is its own peer
    expect(text(peers, 2)).toBe('C 2001');
    // slacks reproduce the score: ρ = (1 − sx/x) / (1 + (sg/g + sb/b)/2)
    const s = out.columns.map(([, c]) => c as Float64Array);
    for (let i = 0; i < 9; i++) {
      const rho = (1 - s[1]![i]! / 1) / (1 + (s[2]![i]! / good1[i]! + s[3]![i]! / bad1[i]!) / 2);
      expect(rho).toBeCloseTo(s[0]![i]!, 9);
    }
  });

  it('missing and non-positive data: NA with a counted note; deaR rule replaces zero outputs', () => {
    const good = [...good1];
    const bad = [...bad1];
    good[6] = 0; // G: zero good output
    bad[7] = NaN; // H: missing bad output
    const ctx = panel(good, bad);
    const out = sbm.compute('gtfp', { ...spec, rts: 'vrs' }, ctx);
    const sc = out.columns[0]![1] as Float64Array;
    expect(Number.isNaN(sc[6]!)).toBe(true);
    expect(Number.isNaN(sc[7]!)).toBe(true);
    const codes = out.notes.map((n) => n.code).sort();
    expect(codes).toEqual(['SBM_MISSING_DATA', 'SBM_NONPOSITIVE']);
    expect(out.notes.find((n) => n.code === 'SBM_NONPOSITIVE')!.message).toContain('g');
    // deaR: the zero becomes (smallest positive good output among the usable units) / 100 = 1 / 100
    const dear = sbm.compute('gtfp', { ...spec, rts: 'vrs', nonpositive: 'dear' }, ctx);
    const sd = dear.columns[0]![1] as Float64Array;
    expect(dear.notes.map((n) => n.code).sort()).toEqual(['SBM_MISSING_DATA', 'SBM_ZERO_REPLACED']);
    const keep = [0, 1, 2, 3, 4, 5, 6, 8];
    const g2 = keep.map((i) => (i === 6 ? 0.01 : good1[i]!));
    const manual = sbmEfficiency(
      { inputs: [f(keep.map(() => 1))], desirable: [f(g2)], undesirable: [f(keep.map((i) => bad1[i]!))] },
      { rts: 'vrs' },
    );
    keep.forEach((row, k) => expect(sd[row]).toBeCloseTo(manual.score[k]!, 12));
    expect(Number.isNaN(sd[7]!)).toBe(true);
    // sequential frontiers reuse period 2001 in 2002: the replaced zero is still counted once
    const two = panel([...good, ...good1], [...bad, ...bad1]);
    const seqOut = sbm.compute('gtfp', { ...spec, rts: 'vrs', nonpositive: 'dear', frontier: 'sequential' }, two);
    expect(seqOut.notes.find((n) => n.code === 'SBM_ZERO_REPLACED')!.message).toMatch(/: 1 zero value/);
  });

  it("deaR rule for a zero input: the input drops out of that unit's input term", () => {
    // two inputs; unit 0 has x2 = 0: its objective uses x1 only (m' = 1), and only units with x2 = 0 can be its peers
    const x1 = f([2, 3, 4, 2]);
    const x2 = f([0, 1, 1, 2]);
    const y = f([1, 2, 3, 1]);
    const r = sbmEfficiency({ inputs: [x1, x2], desirable: [y], undesirable: [] }, { rts: 'crs', nonpositive: 'dear' });
    expect(r.status[0]).toBe(SbmStatus.OK);
    // unit 0 is the only unit with x2 = 0, so it can only be compared with itself: efficient
    expect(r.score[0]).toBeCloseTo(1, 12);
    const na = sbmEfficiency({ inputs: [x1, x2], desirable: [y], undesirable: [] }, { rts: 'crs' });
    expect(na.status[0]).toBe(SbmStatus.NONPOSITIVE);
    expect(Number.isNaN(na.score[0]!)).toBe(true);
    // for the other units, a reference unit with x2 = 0 acts like one with a vanishing x2
    const tiny = sbmEfficiency({ inputs: [x1, f([1e-12, 1, 1, 2])], desirable: [y], undesirable: [] }, { rts: 'crs' });
    for (let i = 1; i < 4; i++) expect(r.score[i]).toBeCloseTo(tiny.score[i]!, 9);
  });

  it('frontier year or sequential without a time column is an error; a bad rts is an error', () => {
    const ctx = { ...panel(good1, bad1), time: null };
    expect(() => sbm.compute('gtfp', { ...spec, frontier: 'year' }, ctx)).toThrow(SpecrunError);
    // (issue 13: an assertion inside a catch passed when nothing was thrown; the code itself is asserted now)
    expect(() => sbm.compute('gtfp', { ...spec, frontier: 'year' }, ctx)).toThrow(
      expect.objectContaining({ code: 'SBM_NO_TIME' }),
    );
    expect(() => sbm.compute('gtfp', { ...spec, frontier: 'sequential' }, ctx)).toThrow(
      expect.objectContaining({ code: 'SBM_NO_TIME' }),
    );
    expect(sbm.compute('gtfp', { ...spec, frontier: 'global' }, ctx).columns[0]![1]).toBeInstanceOf(Float64Array);
    expect(() => sbm.compute('gtfp', { ...spec, rts: 'irs' as 'crs' }, panel(good1, bad1))).toThrow(
      expect.objectContaining({ code: 'SBM_BAD_PARAMETER' }),
    );
    expect(sbm.inputs({ ...spec })).toEqual(['x', 'g', 'b']);
  });

  it('super-efficiency: efficient units score above 1 (or exactly 1 with a tie), others keep their SBM score', () => {
    const ctx = panel([...good1, 6], [...bad1, 2], [...Array(9).fill(1), 1]); // a 10th row copies C in period 2002
    const out = sbm.compute('gtfp', { ...spec, rts: 'crs', frontier: 'global', super: true, details: true }, ctx);
    const sc = out.columns[0]![1] as Float64Array;
    expect(sc[2]).toBeCloseTo(1, 12); // C has a twin: super-efficiency 1
    expect(sc[9]).toBeCloseTo(1, 12);
    expect(sc[3]).toBeGreaterThan(1); // D and E stay strictly efficient
    expect(sc[4]).toBeGreaterThan(1);
    expect(sc[0]).toBeCloseTo(0.1, 9);
    // C's super-efficiency peer is its twin
    expect(text(out.columns[4]![1], 2)).toBe('A 2002'); // row 10 is unit A (code 9 % 9 = 0) in 2002
  });

  it('super-efficiency without a feasible projection is NA with a note, never a number', () => {
    // VRS, x = 1: unit A (good 1, bad 1) is efficient; the only other unit B (good 2, bad 5) would need the bad output
    // to rise by 400 %, which leaves no positive denominator: the super LP is infeasible
    const frame = new Frame(2, [
      ['x', f([1, 1])],
      ['g', f([1, 2])],
      ['b', f([1, 5])],
    ] as [string, Column][]);
    const ctx: TransformContext = {
      frame,
      unit: Int32Array.from([0, 1]),
      time: f([2001, 2001]),
      unitLabels: ['A', 'B'],
    };
    const out = sbm.compute('gtfp', { ...spec, rts: 'vrs', super: true }, ctx);
    const sc = out.columns[0]![1] as Float64Array;
    expect(Number.isNaN(sc[0]!)).toBe(true);
    expect(out.notes.map((n) => n.code)).toContain('SBM_SUPER_INFEASIBLE');
    // a frontier of one unit has nothing to project on either
    const one = sbmEfficiency({ inputs: [f([1])], desirable: [f([1])], undesirable: [f([1])] }, { super: true });
    expect(one.status[0]).toBe(SbmStatus.SUPER_INFEASIBLE);
    expect(sbmEfficiency({ inputs: [f([1])], desirable: [f([1])], undesirable: [f([1])] }).score[0]).toBe(1);
  });
});
