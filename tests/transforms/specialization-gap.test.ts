import { describe, expect, it } from 'vitest';
import { specializationTransform as specializationModule } from '../../engine/transforms/specialization.js';
import { gapTransform as gapModule } from '../../engine/transforms/gap.js';
import { normalizing } from '../helpers/transforms.js';

const specializationTransform = normalizing(specializationModule);
const gapTransform = normalizing(gapModule);
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { codes, panel } from './helpers.js';

const col = (out: { columns: readonly (readonly [string, unknown])[] }) =>
  Array.from(out.columns[0]![1] as Float64Array);

// A 3-city agglomeration X (A central) and a 2-city agglomeration Y (D central), one period.
//   A: services 30+20 = 50, manufacturing 45+5 = 50;  B: 10, 40;  C: 20, 60  →  X totals L_S = 80, L_M = 150
//   div_A = (50/50)/(80/150) = 1.875;  div_B = (40/10)/(150/80) = 2.133333…;  div_C = (60/20)/(150/80) = 1.6
//   D: 30, 10;  E: 10, 30  →  Y totals 40, 40:  div_D = 3/1 = 3;  div_E = 3/1 = 3
const spec = { specialization: { group: 'agg', role: 'central', services: ['s1', 's2'], manufacturing: ['m1', 'm2'] } };
function agglomerations(over: Partial<Record<'s1' | 's2' | 'm1' | 'm2' | 'central', (number | null)[]>> = {}) {
  return panel(['A', 'B', 'C', 'D', 'E'], [2010, 2010, 2010, 2010, 2010], {
    agg: ['X', 'X', 'X', 'Y', 'Y'],
    central: over.central ?? [1, 0, 0, 1, 0],
    s1: over.s1 ?? [30, 4, 20, 30, 10],
    s2: over.s2 ?? [20, 6, 0, 0, 0],
    m1: over.m1 ?? [45, 40, 50, 10, 30],
    m2: over.m2 ?? [5, 0, 10, 0, 0],
  });
}

describe('specialization', () => {
  it('central units (L_s/L_m)/(L_S/L_M), others (L_m/L_s)/(L_M/L_S), totals per group and period', () => {
    const out = specializationTransform.compute('div', spec, agglomerations());
    const d = col(out);
    expect(d[0]).toBeCloseTo(1.875, 12);
    expect(d[1]).toBeCloseTo(2.1333333333333333, 12);
    expect(d[2]).toBeCloseTo(1.6, 12);
    expect(d[3]).toBeCloseTo(3, 12);
    expect(d[4]).toBeCloseTo(3, 12);
    expect(out.notes).toEqual([]);
  });

  it('keeps periods apart', () => {
    const ctx = panel(['A', 'B', 'A', 'B'], [2010, 2010, 2011, 2011], {
      agg: ['X', 'X', 'X', 'X'],
      central: [1, 0, 1, 0],
      s: [10, 10, 30, 10],
      m: [10, 30, 10, 10],
    });
    const d = col(
      specializationTransform.compute(
        'div',
        { specialization: { group: 'agg', role: 'central', services: ['s'], manufacturing: ['m'] } },
        ctx,
      ),
    );
    // 2010: L_S = 20, L_M = 40: A (1)/(0.5) = 2, B 3/2 = 1.5;  2011: L_S = 40, L_M = 20: A 3/2 = 1.5, B 1/0.5 = 2
    expect(d).toEqual([2, 1.5, 1.5, 2]);
  });

  it('zero employment of a kind: that unit is missing, counted; the group totals still include it', () => {
    const out = specializationTransform.compute(
      'div',
      spec,
      agglomerations({ s1: [30, 0, 20, 30, 10], s2: [20, 0, 0, 0, 0] }),
    );
    const d = col(out);
    expect(Number.isNaN(d[1]!)).toBe(true);
    // X totals: L_S = 70, L_M = 150 → A = 1/(70/150)
    expect(d[0]).toBeCloseTo(150 / 70, 12);
    expect(codes(out.notes)).toEqual(['TRANSFORM_ZERO_EMPLOYMENT']);
    expect(out.notes[0]!.message).toMatch(/zero services employment in 1 row/);
  });

  it('a group whose services total is zero is missing throughout', () => {
    const out = specializationTransform.compute(
      'div',
      spec,
      agglomerations({ s1: [30, 4, 20, 0, 0], s2: [20, 6, 0, 0, 0] }),
    );
    const d = col(out);
    expect(d.slice(3).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(d[0]!)).toBe(false);
    expect(codes(out.notes)).toEqual(['TRANSFORM_ZERO_EMPLOYMENT']);
    expect(out.notes[0]!.message).toMatch(/group-total employment in 2 row/);
  });

  it('a missing sector cell: the unit is missing and left out of the totals, both counted', () => {
    const out = specializationTransform.compute('div', spec, agglomerations({ m2: [5, null, 10, 0, 0] }));
    const d = col(out);
    expect(Number.isNaN(d[1]!)).toBe(true);
    // X totals without B: L_S = 70, L_M = 110 → C = (60/20)/(110/70)
    expect(d[2]).toBeCloseTo(3 / (110 / 70), 12);
    expect(codes(out.notes).sort()).toEqual(['DATA_VALUE_MISSING', 'TRANSFORM_INCOMPLETE_GROUP']);
  });

  it('a negative employment cell is a warning and the unit is left out', () => {
    const out = specializationTransform.compute('div', spec, agglomerations({ m1: [45, -40, 50, 10, 30] }));
    expect(Number.isNaN(col(out)[1]!)).toBe(true);
    expect(codes(out.notes)).toContain('TRANSFORM_NEGATIVE_INPUT');
  });

  it('a role other than 0/1 is an error', () => {
    expect(() => specializationTransform.compute('div', spec, agglomerations({ central: [2, 0, 0, 1, 0] }))).toThrow(
      SpecrunError,
    );
    try {
      specializationTransform.compute('div', spec, agglomerations({ central: [2, 0, 0, 1, 0] }));
    } catch (e) {
      expect((e as SpecrunError).code).toBe('TRANSFORM_BAD_ROLE');
    }
  });
});

// Gap: agglomeration X with A central (0.9), B 0.6, C 0.5; Y with two centres D 0.7, F 0.9 and E 0.6.
function gapPanel(value: (number | null)[], central = [1, 0, 0, 1, 0, 1]) {
  return panel(['A', 'B', 'C', 'D', 'E', 'F'], [2010, 2010, 2010, 2010, 2010, 2010], {
    agg: ['X', 'X', 'X', 'Y', 'Y', 'Y'],
    central,
    h: value,
  });
}
const gapSpec = { gap: { value: 'h', group: 'agg', reference: 'central' } };

describe('gap', () => {
  it('reference mean minus unit by default; unit minus reference as an option', () => {
    const ctx = gapPanel([0.9, 0.6, 0.5, 0.7, 0.6, 0.9]);
    const d = col(gapTransform.compute('disparity', gapSpec, ctx));
    // X: 0, 0.3, 0.4;  Y: mean of centres 0.8 → D 0.1, E 0.2, F −0.1
    [0, 0.3, 0.4, 0.1, 0.2, -0.1].forEach((v, i) => expect(d[i]).toBeCloseTo(v, 12));
    const r = col(gapTransform.compute('disparity', { gap: { ...gapSpec.gap, sign: 'unit_minus_reference' } }, ctx));
    [0, -0.3, -0.4, -0.1, -0.2, 0.1].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 12));
  });

  it('a group with no reference unit is missing throughout, with a warning counting it', () => {
    const out = gapTransform.compute(
      'disparity',
      gapSpec,
      gapPanel([0.9, 0.6, 0.5, 0.7, 0.6, 0.9], [0, 0, 0, 1, 0, 1]),
    );
    const d = col(out);
    expect(d.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(d[4]).toBeCloseTo(0.2, 12);
    expect(codes(out.notes)).toEqual(['TRANSFORM_NO_REFERENCE']);
    expect(out.notes[0]!.message).toMatch(/1 group-period.*X 2010.*3 row/);
  });

  it('a reference unit without a value: the group-period is missing (na) or that unit is skipped (skip)', () => {
    const ctx = gapPanel([0.9, 0.6, 0.5, null, 0.6, 0.9]);
    const na = gapTransform.compute('disparity', gapSpec, ctx);
    expect(col(na).slice(3).every(Number.isNaN)).toBe(true);
    expect(codes(na.notes)).toEqual(['TRANSFORM_REFERENCE_MISSING']);
    const skip = gapTransform.compute('disparity', { gap: { ...gapSpec.gap, missing_reference: 'skip' } }, ctx);
    const d = col(skip);
    expect(d[4]).toBeCloseTo(0.3, 12);
    expect(Number.isNaN(d[3]!)).toBe(true);
    expect(codes(skip.notes).sort()).toEqual(['DATA_VALUE_MISSING', 'DATA_VALUE_MISSING']);
  });

  it('the hint recommends missing_reference: skip only where it is not set (issue 14, defect 4)', () => {
    const ctx = gapPanel([0.9, 0.6, 0.5, null, 0.6, null], [1, 0, 0, 1, 0, 1]);
    const na = gapTransform.compute('disparity', gapSpec, ctx);
    expect(na.notes[0]!.hint).toMatch(/set missing_reference: skip/);
    // Under skip, every reference unit of group Y lacks a value: skip cannot help, and the hint says so.
    const skip = gapTransform.compute('disparity', { gap: { ...gapSpec.gap, missing_reference: 'skip' } }, ctx);
    const w = skip.notes.find((x) => x.code === 'TRANSFORM_REFERENCE_MISSING')!;
    expect(w.hint).not.toMatch(/set missing_reference: skip/);
    expect(w.hint).toMatch(/no reference unit of these group-periods has a/);
  });

  it('a missing unit value is missing, counted', () => {
    const out = gapTransform.compute('disparity', gapSpec, gapPanel([0.9, null, 0.5, 0.7, 0.6, 0.9]));
    expect(Number.isNaN(col(out)[1]!)).toBe(true);
    expect(codes(out.notes)).toEqual(['DATA_VALUE_MISSING']);
  });
});
