import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeExact, encodeExact, sameValue } from '../../engine/cache/codec.js';
import { CACHE_DIR, MAX_FIT_NUMBERS, ResultCache } from '../../engine/cache/result-cache.js';
import type { ModelResult } from '../../engine/results/types.js';
import { runCli } from '../helpers/cli.js';
import { check, runSpec } from '../../engine/run/pipeline.js';
import { createRunContext } from '../../engine/run/context.js';

const root = resolve(__dirname, '../..');
const grunfeldData = join(root, 'data', 'grunfeld.csv');
const grunfeldSpec = readFileSync(join(root, 'specs', 'examples', 'grunfeld.yaml'), 'utf8');

/** A scratch working directory with a copy of the Grunfeld spec and its data (the spec's own path to the data). */
function scratch(specText = grunfeldSpec): { cwd: string; spec: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'specrun-cache-'));
  mkdirSync(join(cwd, 'specs', 'examples'), { recursive: true });
  mkdirSync(join(cwd, 'data'));
  copyFileSync(grunfeldData, join(cwd, 'data', 'grunfeld.csv'));
  const spec = join(cwd, 'specs', 'examples', 'grunfeld.yaml');
  writeFileSync(spec, specText);
  return { cwd, spec };
}

function outputs(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
}

function cacheFiles(cwd: string): string[] {
  return readdirSync(join(cwd, CACHE_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

describe('exact codec', () => {
  it('round-trips NaN, ±Infinity, -0, undefined fields and typed arrays', () => {
    const v = {
      a: NaN,
      b: Infinity,
      c: -Infinity,
      d: -0,
      e: undefined,
      f: new Float64Array([1, NaN, -0]),
      g: [null, 1.5, 'x'],
      h: { '2': 1, z: true },
    };
    const back = decodeExact(encodeExact(v));
    expect(sameValue(back, v)).toBe(true);
    // What plain JSON would lose, the check notices.
    expect(sameValue(JSON.parse(JSON.stringify(v)), v)).toBe(false);
  });

  it('sameValue tells NaN from null, -0 from 0, key order, and array kinds apart', () => {
    expect(sameValue({ x: NaN }, { x: null })).toBe(false);
    expect(sameValue({ x: -0 }, { x: 0 })).toBe(false);
    expect(sameValue({ x: 1, y: 2 }, { y: 2, x: 1 })).toBe(false);
    expect(sameValue(new Float64Array([1]), new Int32Array([1]))).toBe(false);
    expect(sameValue(new Float64Array([1]), [1])).toBe(false);
    expect(sameValue({ x: undefined }, {})).toBe(false);
  });
});

describe('ResultCache', () => {
  const result: ModelResult = {
    estimator: 'ols',
    nobs: 10,
    coefficients: { x: { estimate: 0.5, se: 0.1, t: 5, p: 0.001 }, z: { estimate: -0, se: null, t: null, p: null } },
    stats: { r2: 0.5, r2_within: NaN, clusters: null },
    fixedEffects: [],
    vcov: 'iid',
    notes: [],
  };

  it('returns what was stored, exactly (NaN stays NaN, not null)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-rc-'));
    const c = new ResultCache(dir);
    const key = ResultCache.keyOf('a'.repeat(64));
    expect(c.get(key).status).toBe('miss');
    expect(c.put(key, 'm', result)).toBe(true);
    const hit = c.get(key);
    expect(hit.status).toBe('hit');
    if (hit.status === 'hit') {
      expect(Number.isNaN(hit.result.stats['r2_within'])).toBe(true);
      expect(Object.is(hit.result.coefficients['z']!.estimate, -0)).toBe(true);
      expect(sameValue(hit.result, result)).toBe(true);
    }
    expect(c.stats).toMatchObject({ hits: 1, misses: 1, stored: 1, corrupt: 0 });
  });

  it('detects bad JSON, a checksum mismatch, a foreign key and a wrong payload shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-rc-'));
    const c = new ResultCache(dir);
    const k1 = ResultCache.keyOf('1');
    const k2 = ResultCache.keyOf('2');
    c.put(k1, 'm1', result);
    c.put(k2, 'm2', { ...result, nobs: 11 });
    const e1 = readFileSync(c.pathOf(k1), 'utf8');

    writeFileSync(c.pathOf(k2), e1); // entry of k1 under k2's name
    expect(c.get(k2)).toEqual({ status: 'corrupt', reason: 'the entry belongs to another key' });

    const tampered = JSON.parse(e1) as { payload: string };
    tampered.payload = tampered.payload.replace('"nobs":10', '"nobs":12');
    writeFileSync(c.pathOf(k1), JSON.stringify(tampered));
    expect(c.get(k1)).toEqual({ status: 'corrupt', reason: 'payload checksum mismatch' });

    writeFileSync(c.pathOf(k1), e1.slice(0, e1.length >> 1)); // truncated
    expect(c.get(k1)).toEqual({ status: 'corrupt', reason: 'not valid JSON' });

    expect(c.stats.corrupt).toBe(3);
    expect(c.problems.map((p) => p.model)).toEqual(['', '', '']);
  });

  it('with read: false never looks entries up but still refreshes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-rc-'));
    const key = ResultCache.keyOf('x');
    new ResultCache(dir).put(key, 'm', result);
    const c = new ResultCache(dir, { read: false });
    expect(c.get(key).status).toBe('miss');
    expect(c.put(key, 'm', result)).toBe(true);
  });

  it('does not store a fit larger than MAX_FIT_NUMBERS numbers (issue 19: re-fitting is cheaper than its JSON)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-rc-'));
    const c = new ResultCache(dir);
    const small = { residuals: new Float64Array(1000), names: ['x'] };
    const big = { residuals: new Float64Array(MAX_FIT_NUMBERS), x: [new Float64Array(10)] };
    expect(c.putFit(ResultCache.keyOf('small'), 'm', small)).toBe(true);
    expect(c.putFit(ResultCache.keyOf('big'), 'm', big)).toBe(false);
    expect(c.getFit(ResultCache.keyOf('big'))).toBeUndefined();
    expect(c.getFit(ResultCache.keyOf('small'))).toBeDefined();
  });

  it('does not store what it cannot reproduce exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-rc-'));
    const c = new ResultCache(dir);
    expect(c.put(ResultCache.keyOf('m'), 'm', { ...result, detail: new Map([[1, 2]]) })).toBe(false);
    expect(c.stats.unstorable).toBe(1);
  });
});

describe('specrun run with the cache', () => {
  it('a second run takes every model from the cache and writes byte-identical outputs; --no-cache too', async () => {
    const { cwd, spec } = scratch();
    const a = await runCli(['run', spec, '--out', 'o1'], cwd);
    expect(a.code).toBe(0);
    expect(a.stderr).not.toContain('from cache');
    expect(cacheFiles(cwd)).toHaveLength(5);
    const b = await runCli(['run', spec, '--out', 'o2'], cwd);
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('5 model(s) (5 from cache)');
    const c = await runCli(['run', spec, '--out', 'o3', '--no-cache'], cwd);
    expect(c.stderr).not.toContain('from cache');
    const o1 = outputs(join(cwd, 'o1'));
    expect(Object.keys(o1)).toEqual(['grunfeld-tables.tex', 'grunfeld.md', 'grunfeld.tex', 'results.json']);
    expect(outputs(join(cwd, 'o2'))).toEqual(o1);
    expect(outputs(join(cwd, 'o3'))).toEqual(o1);
    // The pooled model has no within R² (NaN in the result): cached and fresh render it the same way.
    expect(o1['results.json']).toContain('"r2_within": null');
  });

  it('re-estimates only the model whose spec changed', async () => {
    const { cwd, spec } = scratch();
    expect((await runCli(['run', spec, '--out', 'o1'], cwd)).code).toBe(0);
    writeFileSync(
      spec,
      grunfeldSpec.replace('formula: inv ~ value + capital | firm\n', 'formula: inv ~ value | firm\n'),
    );
    const b = await runCli(['run', spec, '--out', 'o2'], cwd);
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('5 model(s) (4 from cache)');
    // The fresh run agrees with the partly cached one.
    const c = await runCli(['run', spec, '--out', 'o3', '--no-cache'], cwd);
    expect(c.code).toBe(0);
    expect(outputs(join(cwd, 'o2'))).toEqual(outputs(join(cwd, 'o3')));
  });

  it('data files count by content: a copy under another path hits, a changed value misses', async () => {
    const { cwd, spec } = scratch();
    expect((await runCli(['run', spec, '--out', 'o1'], cwd)).code).toBe(0);
    const csv = readFileSync(join(cwd, 'data', 'grunfeld.csv'), 'utf8');
    // (New paths: the data stage memoizes a source by path within one process.)
    writeFileSync(join(cwd, 'data', 'copy.csv'), csv);
    writeFileSync(spec, grunfeldSpec.replace('../../data/grunfeld.csv', '../../data/copy.csv'));
    const b = await runCli(['run', spec, '--out', 'o2'], cwd);
    expect(b.stderr).toContain('5 model(s) (5 from cache)');
    writeFileSync(join(cwd, 'data', 'changed.csv'), csv.replace('1,1935,317.6,', '1,1935,318.6,'));
    writeFileSync(spec, grunfeldSpec.replace('../../data/grunfeld.csv', '../../data/changed.csv'));
    const c = await runCli(['run', spec, '--out', 'o3'], cwd);
    expect(c.code).toBe(0);
    expect(c.stderr).not.toContain('from cache');
  });

  it('corrupt or foreign entries are reported, recomputed and repaired, never trusted', async () => {
    const { cwd, spec } = scratch();
    expect((await runCli(['run', spec, '--out', 'o1'], cwd)).code).toBe(0);
    const files = cacheFiles(cwd);
    const dir = join(cwd, CACHE_DIR);
    // 1. garbage; 2. another entry copied over; 3. a number changed in the payload (checksum no longer matches).
    writeFileSync(join(dir, files[0]!), '{ not json');
    writeFileSync(join(dir, files[1]!), readFileSync(join(dir, files[2]!)));
    const e3 = JSON.parse(readFileSync(join(dir, files[3]!), 'utf8')) as { payload: string };
    e3.payload = e3.payload.replace(/"estimate":(-?\d)/, '"estimate":9$1');
    writeFileSync(join(dir, files[3]!), JSON.stringify(e3));
    const b = await runCli(['run', spec, '--out', 'o2'], cwd);
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('5 model(s) (2 from cache)');
    expect(b.stderr.match(/cache entry of \S+ ignored/g)).toHaveLength(3);
    expect(b.stderr).toContain('not valid JSON');
    expect(b.stderr).toContain('the entry belongs to another key');
    expect(b.stderr).toContain('payload checksum mismatch');
    expect(outputs(join(cwd, 'o2'))).toEqual(outputs(join(cwd, 'o1')));
    // Repaired: the next run is served entirely from the cache.
    const c = await runCli(['run', spec, '--out', 'o3'], cwd);
    expect(c.stderr).toContain('5 model(s) (5 from cache)');
  });
});

describe('a rerun with every model cached (issue 19)', () => {
  // A derived variable with a data warning (log of a non-positive value), so that the warnings must survive the cache.
  const withWarning = grunfeldSpec.replace(
    '  lncapital: log(capital)\n',
    '  lncapital: log(capital)\n  lncap5: log(capital - 5)\n',
  );

  it('skips the data stage and gives the same outputs, warnings and data accounting as a fresh run', async () => {
    expect(withWarning).toContain('lncap5');
    const { cwd, spec } = scratch(withWarning);
    const a = await runCli(['run', spec, '--out', 'o1'], cwd);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain('DATA_LOG_NONPOSITIVE');
    const b = await runCli(['run', spec, '--out', 'o2'], cwd);
    expect(b.stderr).toContain('5 model(s) (5 from cache)');
    const noTimes = (t: string) =>
      t
        .replace(/ in \d+\.\d+ s/g, '')
        .replace(/ \(5 from cache\)/, '')
        .replace(/ to o\d\//, '');
    expect(noTimes(b.stderr)).toBe(noTimes(a.stderr));
    expect(outputs(join(cwd, 'o2'))).toEqual(outputs(join(cwd, 'o1')));
    // In process: the rerun's data is the summary alone (no frame was built).
    const ctx = createRunContext();
    const checked = await check(spec, cwd, ctx);
    const r = await runSpec(checked.spec!, '', null, ctx, { cache: new ResultCache(join(cwd, CACHE_DIR)) });
    expect(r.run!.models.every((m) => m.cached)).toBe(true);
    expect('frame' in r.run!.data).toBe(false);
    // Without the cache the stage is built.
    const fresh = await runSpec(checked.spec!, '', null, createRunContext());
    expect('frame' in fresh.run!.data).toBe(true);
    expect(r.run!.warnings).toEqual(fresh.run!.warnings);
    expect(r.run!.modelAccounting).toEqual(fresh.run!.modelAccounting);
  });

  it('a comment added above the variables moves the cached warnings with it', async () => {
    const { cwd, spec } = scratch(withWarning);
    expect((await runCli(['run', spec, '--out', 'o1'], cwd)).code).toBe(0);
    const line = (t: string) => /grunfeld\.yaml:(\d+):\d+ DATA_LOG_NONPOSITIVE/.exec(t)?.[1];
    writeFileSync(spec, withWarning.replace('variables:\n', '# a comment\nvariables:\n'));
    const b = await runCli(['run', spec, '--out', 'o2'], cwd);
    expect(b.stderr).toContain('5 model(s) (5 from cache)');
    const fresh = await runCli(['run', spec, '--out', 'o3', '--no-cache'], cwd);
    expect(line(b.stderr)).toBeDefined();
    expect(line(b.stderr)).toBe(line(fresh.stderr));
    expect(Number(line(b.stderr))).toBe(Number(line((await runCli(['run', spec, '--out', 'o4'], cwd)).stderr)));
  });
});

describe('every estimator through the cache', () => {
  it('OLS, GMM, mediation (bootstrap) and rank-size results read back from the cache render byte-identically, with the same warnings', async () => {
    // A copy outside the repository: provenance names the git commit, and others may commit between the two runs.
    const cwd = mkdtempSync(join(tmpdir(), 'specrun-cache-all-'));
    const spec = join(cwd, 'all-estimators.yaml');
    copyFileSync(join(root, 'tests', 'cache', 'fixtures', 'all-estimators.yaml'), spec);
    const a = await runCli(['run', spec, '--out', 'o1'], cwd);
    expect(a.code).toBe(0);
    const b = await runCli(['run', spec, '--out', 'o2'], cwd);
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('5 model(s) (5 from cache)');
    const o1 = outputs(join(cwd, 'o1'));
    expect(Object.keys(o1)).toHaveLength(8);
    expect(outputs(join(cwd, 'o2'))).toEqual(o1);
    // The same diagnostics, apart from the cache count and the timings.
    const norm = (s: string) =>
      s
        .replace(/ \(\d+ from cache\)/, '')
        .replace(/in \d+\.\d+ s/g, 'in T s')
        .replace(/to o\d\//, 'to O/');
    expect(norm(b.stderr)).toBe(norm(a.stderr));
    expect(a.stderr).toContain('[warning]');
  });
});
