/** `specrun diff --results`: both sides run (from the cache where possible) and compared cell by cell. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffResults } from '../../engine/diff/results-diff.js';
import type { ModelResult } from '../../engine/results/types.js';
import { runCli } from '../helpers/cli.js';

const fixtures = resolve(__dirname, 'fixtures');
const pair = (c: string) => [join(fixtures, c, 'old.yaml'), join(fixtures, c, 'new.yaml')];

describe('diffResults', () => {
  const r = (estimate: number, se: number, p: number, extra: Partial<ModelResult> = {}): ModelResult => ({
    estimator: 'ols',
    nobs: 100,
    coefficients: { x: { estimate, se, t: estimate / se, p } },
    stats: { r2: 0.5, r2_within: NaN },
    fixedEffects: [],
    vcov: 'iid',
    notes: [],
    ...extra,
  });

  it('reports nothing for identical results (NaN equals NaN, and null), and ignores 1e-15 noise', () => {
    const a = new Map([['m', r(1, 0.1, 0.001)]]);
    const b = new Map([['m', r(1 + 1e-15, 0.1, 0.001, { stats: { r2: 0.5, r2_within: null } })]]);
    expect(diffResults(a, b)).toEqual({ cells: [], onlyOld: [], onlyNew: [], same: ['m'] });
  });

  it('reports estimate, SE, star and statistic changes, with the table star levels', () => {
    const a = new Map([['m', r(1, 0.1, 0.04)]]);
    const b = new Map([
      ['m', r(1.2, 0.2, 0.07, { nobs: 90 })],
      ['n', r(1, 1, 1)],
    ]);
    const d = diffResults(a, b);
    expect(d.cells.map((c) => [c.term, c.field, c.old, c.new])).toEqual([
      ['x', 'estimate', '1', '1.2'],
      ['x', 'se', '0.1', '0.2'],
      ['x', 'stars', '**', '*'],
      ['(stats)', 'nobs', '100', '90'],
    ]);
    expect(d.onlyNew).toEqual(['n']);
    // With levels 5% and 1% only, p = 0.04 → *, p = 0.07 → none.
    expect(diffResults(a, b, () => [0.05, 0.01]).cells.find((c) => c.field === 'stars')).toMatchObject({
      old: '*',
      new: '(none)',
    });
  });
});

describe('specrun diff --results', () => {
  it('a vcov change: SEs and stars change, estimates do not; the second time everything comes from the cache', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'specrun-dres-'));
    const a = await runCli(['diff', ...pair('vcov'), '--results', '--cells'], cwd);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/pooled +value +se: 0\.00681095 → 0\.0158943/);
    expect(a.stdout).toMatch(/pooled +capital +stars: \*\*\* → \*\*/);
    expect(a.stdout).not.toMatch(/ estimate: /);
    expect(a.stdout).not.toMatch(/^ +(firm_fe|logs|doubled|gmm) /m);
    expect(a.stderr).toContain('results: 4 model(s) from the cache, 6 estimated');
    const b = await runCli(['diff', ...pair('vcov'), '--results', '--cells', '--format', 'md'], cwd);
    expect(b.stderr).toContain('results: 10 model(s) from the cache, 0 estimated');
    expect(b.stdout).toContain('| `pooled` | `capital` | stars | *** | ** |');
    const c = await runCli(['diff', ...pair('vcov'), '--results', '--cells', '--no-cache'], cwd);
    expect(c.stderr).toContain('results: 0 model(s) from the cache, 10 estimated');
    expect(c.stdout).toBe(a.stdout);
  });

  it('a derived-variable change moves the estimates of exactly the models that read it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'specrun-dres-'));
    const r = await runCli(['diff', ...pair('derived-variable'), '--results', '--format', 'json'], cwd);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as {
      models: { changed: unknown[] };
      results: { cells: { model: string; field: string }[]; same: string[] };
    };
    expect(res.models.changed).toHaveLength(2);
    expect([...new Set(res.results.cells.map((c) => c.model))].sort()).toEqual(['doubled', 'logs']);
    expect(res.results.same.sort()).toEqual(['firm_fe', 'gmm', 'pooled']);
  });
});
