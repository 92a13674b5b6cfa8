// The mediation estimator against R's lm (tests/parity/mediation/mtcars.R → mtcars.out, mtcars.json) on
// tests/fixtures/data/mtcars.csv: both blocks of REFERENCE.md (X = wt, M = hp, Y = mpg; without and with the
// controls cyl and am), the same with HC1 and cluster(carb) variances (sandwich's vcovHC / vcovCL, HC1, with the
// G/(G−1) adjustment), and with cyl as a fixed effect. Tolerance: 1e-8 relative on every coefficient, SE, z, p and
// share (the task asks for 1e-5); the REFERENCE.md numbers (printed to 5–8 digits) are also checked at their printed
// precision. Then the bootstrap (reproducible bit for bit from its seed), the verdict and bad input.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Frame } from '../../engine/core/frame.js';
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { mediationEstimator } from '../../engine/estimate/mediation/index.js';
import type { MediationPlan, VcovPlan } from '../../engine/normalize/plan.js';
import type { MediationDetail } from '../../engine/results/types.js';

const ref = JSON.parse(readFileSync(new URL('../parity/mediation/mtcars.json', import.meta.url), 'utf8'));

function readMtcars(): Frame {
  const lines = readFileSync(new URL('../fixtures/data/mtcars.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const header = lines[0]!.split(',').map((h) => h.replace(/"/g, ''));
  const rows = lines.slice(1).map((l) =>
    l
      .replace(/^"[^"]*",/, '')
      .split(',')
      .map(Number),
  );
  const cols: [string, Float64Array][] = header.slice(1).map((h, j) => [h, Float64Array.from(rows, (r) => r[j]!)]);
  return new Frame(rows.length, cols);
}
const frame = readMtcars();
const data = { frame, unit: null, time: null };

function vcovPlan(v: string): VcovPlan {
  const ssc = { adj: true, fixef_k: 'nested' as const, cluster_adj: true };
  const m = /^cluster\((.*)\)$/.exec(v);
  return m ? { type: 'cluster', cluster: [m[1]!], ssc } : { type: v as 'iid' | 'hc1', cluster: [], ssc };
}

function plan(over: Partial<MediationPlan> = {}): MediationPlan {
  return {
    estimator: 'mediation',
    id: 'med',
    label: null,
    sample: null,
    source: { file: 'test.yaml', path: 'models.med', line: 1, col: 1 },
    treatment: 'wt',
    mediator: 'hp',
    outcome: 'mpg',
    controls: [],
    fixedEffects: [],
    vcov: vcovPlan('iid'),
    bootstrap: null,
    ...over,
  };
}

function rel(got: number | null | undefined, want: number | null): number {
  if (want === null) return got === null || got === undefined ? 0 : Infinity;
  if (got === null || got === undefined) return Infinity;
  return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
}

describe('mediation against R lm on mtcars', () => {
  for (const c of ref.cases) {
    it(`${c.id}: a, b, c, c′ with SEs, ab, Sobel/Aroian/Goodman and share to 1e-8 relative`, () => {
      const res = mediationEstimator.estimate(
        plan({ controls: c.controls, fixedEffects: c.fe, vcov: vcovPlan(c.vcov) }),
        data,
      );
      const s = res.stats;
      for (const k of [
        'a',
        'a_se',
        'b',
        'b_se',
        'c',
        'c_se',
        'c_prime',
        'c_prime_se',
        'indirect',
        'share',
        'sobel_se',
        'sobel_z',
        'sobel_p',
        'aroian_se',
        'aroian_z',
        'aroian_p',
        'goodman_se',
        'goodman_z',
        'goodman_p',
      ]) {
        expect(rel(s[k], c[k]), k).toBeLessThan(1e-8);
      }
      expect(res.nobs).toBe(c.nobs);
      // coefficients: the outcome equation's
      for (const [name, value] of Object.entries(c.outcome_coef as Record<string, number>)) {
        expect(rel(res.coefficients[name]?.estimate, value), name).toBeLessThan(1e-8);
      }
      const d = res.detail as MediationDetail;
      expect(rel(d.cPrime, c.c_prime)).toBeLessThan(1e-8);
      expect(rel(d.steps.total.coefficients.wt?.estimate, c.c)).toBeLessThan(1e-8);
      expect(rel(d.steps.mediator.coefficients.wt?.estimate, c.a)).toBeLessThan(1e-8);
      // OLS identity on a common sample: c = c′ + ab
      expect(Math.abs(d.c - d.cPrime - d.indirect)).toBeLessThan(1e-10);
    });
  }

  it('reproduces the numbers printed in REFERENCE.md at their printed precision', () => {
    const printed = [
      {
        controls: [],
        c: -5.3444716,
        c_se: 0.559101,
        a: 46.1600503,
        a_se: 9.6253,
        b: -0.0317729,
        b_se: 0.0090297,
        c_prime: -3.8778307,
        c_prime_se: 0.6327335,
        indirect: -1.4666408,
        sobel_z: -2.83698,
        aroian_z: -2.79772,
        goodman_z: -2.87794,
        share: 0.27442,
      },
      {
        controls: ['cyl', 'am'],
        c: -3.1251422,
        c_se: 0.9108827,
        a: 20.7871533,
        a_se: 12.1177511,
        b: -0.0249511,
        b_se: 0.0136461,
        c_prime: -2.6064807,
        c_prime_se: 0.9198375,
        indirect: -0.5186615,
        sobel_z: -1.25103,
        aroian_z: -1.16201,
        goodman_z: -1.36425,
        share: 0.16596,
      },
    ];
    for (const p of printed) {
      const s = mediationEstimator.estimate(plan({ controls: p.controls }), data).stats;
      for (const [k, v] of Object.entries(p)) {
        if (k === 'controls') continue;
        const decimals = (String(v).split('.')[1] ?? '').length;
        expect(Math.abs(s[k]! - (v as number)), k).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
      }
    }
  });
});

describe('mediation bootstrap', () => {
  const boot = (seed: number, vcov = 'iid', reps = 300) =>
    mediationEstimator.estimate(
      plan({ controls: ['cyl', 'am'], vcov: vcovPlan(vcov), bootstrap: { reps, seed, level: 0.95 } }),
      data,
    );

  it('the same seed gives a bit-identical interval; another seed a different one', () => {
    const a = (boot(2024).detail as MediationDetail).bootstrap!;
    const b = (boot(2024).detail as MediationDetail).bootstrap!;
    const c = (boot(2025).detail as MediationDetail).bootstrap!;
    const bits = (x: readonly number[]) => Buffer.from(Float64Array.from(x).buffer).toString('hex');
    expect(bits([...a.percentile, ...a.biasCorrected, a.se!])).toBe(bits([...b.percentile, ...b.biasCorrected, b.se!]));
    expect(bits([...a.percentile])).not.toBe(bits([...c.percentile]));
  });

  it('gives an interval around ab whose spread is of the order of the delta-method SE', () => {
    const res = boot(7, 'iid', 400);
    const d = res.detail as MediationDetail;
    const [lo, hi] = d.bootstrap!.percentile;
    expect(lo).toBeLessThan(d.indirect);
    expect(hi).toBeGreaterThan(d.indirect);
    // Sobel SE 0.41 here; a bootstrap SE outside [0.5, 2] × that would mean a broken resampler.
    expect(d.bootstrap!.se! / d.sobel.se).toBeGreaterThan(0.5);
    expect(d.bootstrap!.se! / d.sobel.se).toBeLessThan(2);
    expect(res.stats.boot_lo).toBe(lo);
    expect(res.stats.boot_bc_hi).toBe(d.bootstrap!.biasCorrected[1]);
  });

  it('runs with fixed effects and cluster resampling, reproducibly, counting failed replicates', () => {
    const run = () =>
      mediationEstimator.estimate(
        plan({
          controls: ['am'],
          fixedEffects: ['cyl'],
          vcov: vcovPlan('cluster(carb)'),
          bootstrap: { reps: 60, seed: 5, level: 0.9 },
        }),
        data,
      );
    const a = run();
    const b = (a.detail as MediationDetail).bootstrap!;
    expect(b.failed).toBeGreaterThanOrEqual(0);
    expect(a.stats.boot_reps).toBe(60 - b.failed!);
    expect(b.percentile[0]).toBeLessThan(b.percentile[1]);
    expect((run().detail as MediationDetail).bootstrap).toEqual(b);
  });

  it('resamples clusters when the variance clusters (a different stream of replicates than rows)', () => {
    const rows = (boot(99, 'iid', 100).detail as MediationDetail).bootstrap!;
    const clus = (boot(99, 'cluster(carb)', 100).detail as MediationDetail).bootstrap!;
    expect(clus.percentile).not.toEqual(rows.percentile);
    expect(clus.reps).toBe(100);
    expect(clus.percentile[0]).toBeLessThan(clus.percentile[1]);
  });
});

describe('mediation verdict and bad input', () => {
  it('mtcars without controls: a, b significant, c′ significant with the sign of ab → partial', () => {
    const d = mediationEstimator.estimate(plan(), data).detail as MediationDetail;
    expect(d.verdict).toBe('partial');
    expect(d.verdictTrace).toMatchObject({ indirectTest: 'joint', directSignificant: true, totalSignificant: true });
  });

  it('mtcars with controls: a and b not significant, Sobel not significant → none', () => {
    const d = mediationEstimator.estimate(plan({ controls: ['cyl', 'am'] }), data).detail as MediationDetail;
    expect(d.verdict).toBe('none');
    expect(d.verdictTrace!.indirectTest).toBe('sobel');
  });

  it('a mediator named as the treatment is an error', () => {
    const run = () => mediationEstimator.estimate(plan({ mediator: 'wt' }), data);
    expect(run).toThrow(SpecrunError);
    expect(run).toThrow(expect.objectContaining({ code: 'MEDIATION_SAME_VARIABLE' }));
  });

  it('a control that is the mediator is an error', () => {
    expect(() => mediationEstimator.estimate(plan({ controls: ['cyl', 'hp'] }), data)).toThrow(
      expect.objectContaining({ code: 'MEDIATION_SAME_VARIABLE' }),
    );
  });

  it('a mediator with the same values as the treatment is an error', () => {
    const withCopy = { ...data, frame: frame.with('wt_copy', Float64Array.from(frame.numeric('wt'))) };
    expect(() => mediationEstimator.estimate(plan({ mediator: 'wt_copy' }), withCopy)).toThrow(
      expect.objectContaining({ code: 'MEDIATION_IDENTICAL_COLUMNS' }),
    );
  });

  it('uses one common sample: a row missing only the mediator leaves all three equations', () => {
    const hp = Float64Array.from(frame.numeric('hp'));
    hp[3] = NaN;
    const res = mediationEstimator.estimate(plan(), { ...data, frame: frame.with('hp', hp) });
    const d = res.detail as MediationDetail;
    expect([d.steps.total.nobs, d.steps.mediator.nobs, d.steps.outcome.nobs]).toEqual([31, 31, 31]);
    expect(res.notes.map((n) => n.code)).toContain('MISSING_DROPPED');
    expect(Math.abs(d.c - d.cPrime - d.indirect)).toBeLessThan(1e-10);
  });
});
