// Fit, then variance (issue 12): the result cache keeps each OLS/IV fit under a key without `vcov`/`ssc`, so a spec
// change of the variance alone computes only the variance from the cached fit — with the same numbers, to the bit, as
// a cold run of the changed spec.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameValue } from '../../engine/cache/codec.js';
import { ResultCache } from '../../engine/cache/result-cache.js';
import { builtinEstimators, EstimatorRegistry } from '../../engine/estimate/registry.js';
import type { AnyEstimator, EstimationData } from '../../engine/estimate/types.js';
import { createRunContext } from '../../engine/run/context.js';
import { check, runSpec, type ModelRun } from '../../engine/run/pipeline.js';
import { runCli } from '../helpers/cli.js';

const root = resolve(__dirname, '../..');
const csv = readFileSync(join(root, 'data', 'grunfeld.csv'), 'utf8');

/** Grunfeld with a second grouping `grp` (firm pairs) that is missing on the rows of firm 3 in 1940–1944. */
function dataWithGroups(): string {
  const lines = csv.trimEnd().split('\n');
  return (
    [
      `${lines[0]},"grp"`,
      ...lines.slice(1).map((l) => {
        const [firm, year] = l.split(',').map(Number);
        return `${l},${firm === 3 && year! >= 1940 && year! <= 1944 ? '' : Math.ceil(firm! / 2)}`;
      }),
    ].join('\n') + '\n'
  );
}

const spec = (vcov: { pooled: string; fe: string; iv: string }, ssc = '') => `
data: { source: data.csv, unit: firm, time: year }
models:
  pooled: { formula: inv ~ value + capital, vcov: '${vcov.pooled}' }
  twoway: { formula: inv ~ value + capital | firm + year, vcov: '${vcov.fe}'${ssc} }
  late: { formula: inv ~ value + capital | firm, sample: year > 1945, vcov: '${vcov.fe}' }
  stata: { formula: inv ~ value + capital | firm, vcov: '${vcov.fe}', constant: true }
  iv:
    formula: 'inv ~ capital | firm | value ~ lag(value, 1)'
    vcov: ${vcov.iv}
tables:
  t: { columns: [pooled, twoway, late, stata, iv] }
`;

/** A registry whose OLS and IV modules count their fits (the fit cache must spare them). */
function counting(): { registry: EstimatorRegistry; fits: Record<string, number> } {
  const fits: Record<string, number> = Object.create(null) as Record<string, number>;
  const modules = builtinEstimators().modules.map(
    (m): AnyEstimator => ({
      ...m,
      fit: (plan: { id: string }, data: EstimationData) => {
        fits[plan.id] = (fits[plan.id] ?? 0) + 1;
        return m.fit(plan, data);
      },
    }),
  );
  return { registry: new EstimatorRegistry(modules), fits };
}

async function runIn(
  cwd: string,
  text: string,
  cache: ResultCache | null,
  registry = builtinEstimators(),
): Promise<ModelRun[]> {
  const file = join(cwd, 'spec.yaml');
  writeFileSync(file, text);
  const ctx = createRunContext({ estimators: registry });
  const checked = await check(file, cwd, ctx);
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const r = await runSpec(checked.spec!, '', null, ctx, { cache });
  expect(r.diagnostics).toEqual([]);
  return [...r.run!.models];
}

function scratch(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'specrun-fit-cache-'));
  writeFileSync(join(cwd, 'data.csv'), dataWithGroups());
  return cwd;
}

describe('fit, then variance: a change of vcov or ssc alone reuses the cached fit', () => {
  it('recomputes only the variance, with the SEs of a cold run of the changed spec, bit for bit', async () => {
    const cwd = scratch();
    const cacheDir = join(cwd, 'cache');
    const before = spec({ pooled: 'hc1', fe: 'cluster(firm)', iv: 'cluster(firm)' });
    const after = spec({ pooled: 'iid', fe: 'cluster(firm, year)', iv: 'hc1' }, ', ssc: { adj: false, fixef_k: full }');

    const first = counting();
    await runIn(cwd, before, new ResultCache(cacheDir), first.registry);
    expect(first.fits).toEqual({ pooled: 1, twoway: 1, late: 1, stata: 1, iv: 1 });

    const second = counting();
    const cache = new ResultCache(cacheDir);
    const warm = await runIn(cwd, after, cache, second.registry);
    // No result was cached for the new variance choice, every fit was: no model was fitted again.
    expect(warm.map((m) => [m.id, Boolean(m.cached), Boolean(m.fitReused)])).toEqual(
      ['pooled', 'twoway', 'late', 'stata', 'iv'].map((id) => [id, false, true]),
    );
    expect(second.fits).toEqual({});
    expect(cache.stats).toMatchObject({ hits: 0, misses: 5, fitHits: 5, fitMisses: 0 });

    // The same spec from nothing (no cache at all): the same results, every number and note identical.
    const cold = await runIn(scratch(), after, null);
    for (const [i, m] of warm.entries()) {
      expect(sameValue(m.result, cold[i]!.result), m.id).toBe(true);
    }
    // … and the variance did change (the test would pass vacuously if the old SEs were returned).
    const old = await runIn(scratch(), before, null);
    for (const [i, m] of warm.entries()) {
      expect(m.result.coefficients['capital']!.estimate).toBe(old[i]!.result.coefficients['capital']!.estimate);
      expect(m.result.coefficients['capital']!.se).not.toBe(old[i]!.result.coefficients['capital']!.se);
    }
    // Stata's constant gets its SE from the new variance too.
    expect(warm[3]!.result.coefficients['(Intercept)']).toEqual(cold[3]!.result.coefficients['(Intercept)']);
  });

  it('fits again when the new cluster variable is missing on some rows (those rows leave the sample)', async () => {
    const cwd = scratch();
    const cacheDir = join(cwd, 'cache');
    await runIn(cwd, spec({ pooled: 'hc1', fe: 'cluster(firm)', iv: 'cluster(firm)' }), new ResultCache(cacheDir));
    const changed = spec({ pooled: 'cluster(grp)', fe: 'cluster(grp)', iv: 'cluster(firm)' });
    const counted = counting();
    const cache = new ResultCache(cacheDir);
    const warm = await runIn(cwd, changed, cache, counted.registry);
    // grp is missing on 5 rows of 1940–1944: the models clustered on it that read those rows are fitted again on a
    // smaller sample; `late` (1946–1954) has none of them and keeps its fit; the IV model did not change.
    expect(counted.fits).toEqual({ pooled: 1, twoway: 1, stata: 1 });
    expect(warm.map((m) => [m.result.nobs, Boolean(m.fitReused), Boolean(m.cached)])).toEqual([
      [195, false, false],
      [195, false, false],
      [90, true, false],
      [195, false, false],
      [190, false, true],
    ]);
    const cold = await runIn(scratch(), changed, null);
    for (const [i, m] of warm.entries()) expect(sameValue(m.result, cold[i]!.result), m.id).toBe(true);
    // Back to a vcov on grp with two-way clustering: the same rows go, so the fits on grp's sample are reused.
    const again = counting();
    await runIn(
      cwd,
      spec({ pooled: 'cluster(grp, year)', fe: 'cluster(firm, grp)', iv: 'iid' }),
      new ResultCache(cacheDir),
      again.registry,
    );
    expect(again.fits).toEqual({});
  });

  it('the command line says how many models took their fit from the cache', async () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'specs'));
    const file = join(cwd, 'specs', 'g.yaml');
    writeFileSync(
      file,
      spec({ pooled: 'hc1', fe: 'cluster(firm)', iv: 'cluster(firm)' }).replace('data.csv', '../data.csv'),
    );
    expect((await runCli(['run', file, '--out', 'o1'], cwd)).code).toBe(0);
    writeFileSync(file, spec({ pooled: 'iid', fe: 'iid', iv: 'cluster(firm)' }).replace('data.csv', '../data.csv'));
    const b = await runCli(['run', file, '--out', 'o2'], cwd);
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('5 model(s) (1 from cache) (4 from a cached fit: variance only)');
    const c = await runCli(['run', file, '--out', 'o3', '--no-cache'], cwd);
    expect(readFileSync(join(cwd, 'o2', 'results.json'), 'utf8')).toBe(
      readFileSync(join(cwd, 'o3', 'results.json'), 'utf8'),
    );
    expect(c.stderr).not.toContain('cached fit');
  });
});

const glmSpec = (vcov: { pois: string; logit: string; probit: string; tob?: string; thr?: string }, ssc = '') => `
data: { source: data.csv, unit: firm, time: year }
variables:
  high: if(inv > 100, 1, 0)
models:
  pois: { estimator: poisson, formula: inv ~ value + capital | firm, vcov: '${vcov.pois}'${ssc} }
  logit: { estimator: logit, formula: high ~ value + capital, vcov: '${vcov.logit}' }
  probit: { estimator: probit, formula: high ~ value | year, vcov: '${vcov.probit}' }
  tob: { estimator: tobit, formula: inv ~ value + capital, left: 20, vcov: '${vcov.tob ?? 'iid'}' }
  thr:
    estimator: threshold
    formula: inv ~ capital | firm
    threshold: { variable: value, regime: [value], reps: 19 }
    vcov: '${vcov.thr ?? 'iid'}'
tables:
  t: { columns: [pois, logit, probit, tob, thr] }
`;

describe('fit, then variance for the GLMs (poisson, logit, probit), Tobit and the threshold model', () => {
  it('a vcov or ssc change finds every fit in the cache, with the numbers of a fresh run', async () => {
    const cwd = scratch();
    const cacheDir = join(cwd, 'cache');
    const before = glmSpec({ pois: 'cluster(firm)', logit: 'hc1', probit: 'iid', tob: 'hc1', thr: 'iid' });
    const after = glmSpec(
      { pois: 'hc1', logit: 'cluster(firm)', probit: 'cluster(firm, year)', tob: 'cluster(firm)', thr: 'hc1' },
      ', ssc: { adj: false }',
    );

    const first = counting();
    await runIn(cwd, before, new ResultCache(cacheDir), first.registry);
    expect(first.fits).toEqual({ pois: 1, logit: 1, probit: 1, tob: 1, thr: 1 });

    const second = counting();
    const cache = new ResultCache(cacheDir);
    const warm = await runIn(cwd, after, cache, second.registry);
    expect(second.fits).toEqual({});
    expect(cache.stats).toMatchObject({ hits: 0, misses: 5, fitHits: 5, fitMisses: 0 });
    expect(warm.map((m) => [m.id, Boolean(m.fitReused)])).toEqual([
      ['pois', true],
      ['logit', true],
      ['probit', true],
      ['tob', true],
      ['thr', true],
    ]);

    const cold = await runIn(scratch(), after, null);
    for (const [i, m] of warm.entries()) expect(sameValue(m.result, cold[i]!.result), m.id).toBe(true);
    const old = await runIn(scratch(), before, null);
    for (const [i, m] of warm.entries()) {
      const term = m.id === 'probit' ? 'value' : 'capital';
      // the threshold model's search and bootstrap are in the fit: its thresholds and F tests stay
      if (m.id === 'thr') expect(m.result.stats['f1_p']).toBe(old[i]!.result.stats['f1_p']);
      expect(m.result.coefficients[term]!.estimate).toBe(old[i]!.result.coefficients[term]!.estimate);
      expect(m.result.coefficients[term]!.se).not.toBe(old[i]!.result.coefficients[term]!.se);
    }
  });

  it('fits again when the new cluster variable is missing on some rows', async () => {
    const cwd = scratch();
    const cacheDir = join(cwd, 'cache');
    await runIn(cwd, glmSpec({ pois: 'iid', logit: 'iid', probit: 'iid' }), new ResultCache(cacheDir));
    const counted = counting();
    const changed = glmSpec({ pois: 'cluster(grp)', logit: 'cluster(firm)', probit: 'iid' });
    const warm = await runIn(cwd, changed, new ResultCache(cacheDir), counted.registry);
    // grp is missing on 5 rows: the Poisson model clustered on it loses them and is fitted again
    expect(counted.fits).toEqual({ pois: 1 });
    expect(warm.map((m) => [m.id, m.result.nobs, Boolean(m.fitReused), Boolean(m.cached)])).toEqual([
      ['pois', 195, false, false],
      ['logit', 200, true, false],
      ['probit', 200, false, true],
      ['tob', 200, false, true],
      ['thr', 200, false, true],
    ]);
    const cold = await runIn(scratch(), changed, null);
    for (const [i, m] of warm.entries()) expect(sameValue(m.result, cold[i]!.result), m.id).toBe(true);
  });
});
