/** Bad or awkward input: each gives a clear diagnostic code (an error thrown, or a note on the result). */
import { describe, expect, test } from 'vitest';
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { estimateGmm, type GmmDetail } from '../../engine/estimate/gmm/index.js';
import type { EstimationData } from '../../engine/estimate/types.js';
import { empluk, estimationData, gmmPlan, lags, modelA, modelB, modelC } from './helpers.js';

const full = estimationData(empluk());

function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof SpecrunError) return e.code;
    throw e;
  }
  return undefined;
}
const codes = (r: { notes: readonly { code: string }[] }): string[] => r.notes.map((n) => n.code);

describe('errors', () => {
  test('a sample with one period', () => {
    const one = estimationData(empluk((_, year) => year === 1980));
    expect(errorCode(() => estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelC }), one))).toBe('GMM_ONE_PERIOD');
    expect(errorCode(() => estimateGmm(gmmPlan({ estimator: 'diffgmm', ...modelC }), one))).toBe('GMM_ONE_PERIOD');
  });

  test('a GMM lag range that starts beyond the data (9 periods, first lag 9)', () => {
    const plan = gmmPlan({ estimator: 'diffgmm', ...modelC, instruments: [{ variable: 'n', from: 9, to: 99 }] });
    expect(errorCode(() => estimateGmm(plan, full))).toBe('GMM_LAG_RANGE');
    // the same range is fine on a longer panel: the error is about the data, not the numbers
    const ok = gmmPlan({ estimator: 'diffgmm', ...modelC, instruments: [{ variable: 'n', from: 8, to: 99 }] });
    expect(errorCode(() => estimateGmm(ok, full))).toBeUndefined();
  });

  test.each([
    [0, 5],
    [3, 2],
    [1.5, 4],
  ])('a malformed lag range [%s, %s]', (from, to) => {
    const plan = gmmPlan({ estimator: 'sysgmm', ...modelC, instruments: [{ variable: 'n', from, to }] });
    expect(errorCode(() => estimateGmm(plan, full))).toBe('GMM_LAG_RANGE');
  });

  test('a regressor lag longer than the panel allows', () => {
    const plan = gmmPlan({
      estimator: 'diffgmm',
      dependent: 'n',
      regressors: lags('n', 8),
      instruments: [{ variable: 'n', from: 2, to: 99 }],
    });
    expect(errorCode(() => estimateGmm(plan, full))).toBe('GMM_PANEL_TOO_SHORT');
  });

  test('a variable both GMM-style and IV-style', () => {
    const plan = gmmPlan({ estimator: 'sysgmm', ...modelB, iv: ['w'] });
    expect(errorCode(() => estimateGmm(plan, full))).toBe('GMM_IV_CONFLICT');
  });

  test('fewer instruments than coefficients', () => {
    const plan = gmmPlan({
      estimator: 'diffgmm',
      dependent: 'n',
      effect: 'individual',
      collapse: true,
      regressors: [...lags('n', 1, 2), ...lags('w', 0), ...lags('k', 0)],
      instruments: ['n', 'w', 'k'].map((variable) => ({ variable, from: 2, to: 2 })),
    });
    expect(errorCode(() => estimateGmm(plan, full))).toBe('GMM_UNDERIDENTIFIED');
  });

  test('a time-invariant regressor in difference GMM', () => {
    const d = estimationData(empluk());
    const firmConstant = new Float64Array(d.frame.nrows).map((_, i) => d.unit![i]! % 3);
    const data: EstimationData = { ...d, frame: d.frame.with('c', firmConstant) };
    const plan = gmmPlan({ estimator: 'diffgmm', ...modelC, regressors: [...modelC.regressors, ...lags('c', 0)] });
    expect(errorCode(() => estimateGmm(plan, data))).toBe('GMM_ZERO_REGRESSOR');
  });

  test('no panel columns', () => {
    expect(errorCode(() => estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelC }), { ...full, time: null }))).toBe(
      'GMM_NO_PANEL',
    );
  });

  test('two rows for one unit and period', () => {
    const rows = empluk();
    rows.unit.push(rows.unit[0]!);
    rows.time.push(rows.time[0]!);
    for (const v of Object.values(rows.columns)) v.push(v[0]!);
    expect(errorCode(() => estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelC }), estimationData(rows)))).toBe(
      'DATA_DUPLICATE_UNIT_TIME',
    );
  });
});

describe('notes', () => {
  test('panels too short for AR(2): null with a reason, the rest estimated (1976–1979)', () => {
    const short = estimationData(empluk((_, year) => year <= 1979));
    for (const estimator of ['diffgmm', 'sysgmm'] as const) {
      const r = estimateGmm(gmmPlan({ estimator, ...modelC }), short);
      expect(r.stats.ar2).toBeNull();
      expect(r.stats.ar2_p).toBeNull();
      expect(r.stats.ar1).not.toBeNull();
      expect(codes(r)).toContain('GMM_AR_UNAVAILABLE');
      expect(r.notes.find((n) => n.code === 'GMM_AR_UNAVAILABLE')!.message).toMatch(/AR\(2\)/);
    }
  });

  test('three periods, where plm stops with an error: AR(1) and AR(2) both null, estimates reported', () => {
    const tiny = estimationData(empluk((_, year) => year <= 1978));
    for (const estimator of ['diffgmm', 'sysgmm'] as const) {
      const r = estimateGmm(gmmPlan({ estimator, ...modelC }), tiny);
      expect(r.stats.ar1).toBeNull();
      expect(r.stats.ar2).toBeNull();
      expect(r.notes.filter((n) => n.code === 'GMM_AR_UNAVAILABLE')).toHaveLength(2);
      for (const c of Object.values(r.coefficients))
        expect(Number.isFinite(c.estimate) && Number.isFinite(c.se!)).toBe(true);
    }
  });

  test('more instruments than groups: a warning, and a generalised inverse for the singular two-step weight', () => {
    const r = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelB }), estimationData(empluk((firm) => firm <= 40)));
    expect(r.stats.instruments!).toBeGreaterThan(r.stats.groups!);
    expect(codes(r)).toContain('GMM_TOO_MANY_INSTRUMENTS');
    expect(
      r.notes
        .filter((n) => n.code === 'GMM_SINGULAR_WEIGHT')
        .map((n) => n.message)
        .join(' '),
    ).toMatch(/two-step/);
    expect(Number.isFinite(r.stats.hansen!)).toBe(true);
  });

  test('no warning when the instruments are fewer than the groups', () => {
    const r = estimateGmm(gmmPlan({ estimator: 'sysgmm', ...modelA }), full);
    expect(codes(r)).not.toContain('GMM_TOO_MANY_INSTRUMENTS');
    expect(codes(r)).not.toContain('GMM_SINGULAR_WEIGHT');
  });

  test('a period missing from the whole sample: lags across it are missing, its dummy dropped', () => {
    const keep = (_: number, year: number): boolean => year !== 1980;
    const rows = empluk(keep);
    const r = estimateGmm(gmmPlan({ estimator: 'diffgmm', ...modelA }), estimationData(rows));
    expect(codes(r)).toContain('GMM_TIME_DUMMY_DROPPED');
    const d = r.detail as GmmDetail;
    expect(Object.keys(d.timeEffects)).not.toContain('1980');
    // independent count of differenced equations: model A needs the unit's rows at t, t−1, t−2 and t−3, t ≥ 1979
    const have = new Set(rows.unit.map((u, i) => `${u}:${rows.time[i]}`));
    let expected = 0;
    rows.unit.forEach((u, i) => {
      const t = rows.time[i]!;
      if (t >= 1979 && [1, 2, 3].every((k) => have.has(`${u}:${t - k}`))) expected++;
    });
    expect(d.nobsDiff).toBe(expected);
    expect(r.nobs).toBe(expected);
  });
});
