/**
 * `specrun diff` on fixture spec pairs (tests/diff/fixtures/CASE/old.yaml → new.yaml), one per kind of change.
 * Every case asserts which models change and by which named check, and which table cells follow.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskReader } from '../../engine/diff/load-revision.js';
import { check as checkSpec } from '../../engine/run/pipeline.js';
import { createRunContext } from '../../engine/run/context.js';
import { specDiff } from '../../engine/diff/command.js';
import { hasChanges, type SpecDiff } from '../../engine/diff/semantic-diff.js';
import { dataParts, modelFingerprints, specFingerprint } from '../../engine/fingerprint/fingerprint.js';
import { normalizedDataSpec } from '../../engine/normalize/data-defaults.js';
import type { DataSpec } from '../../engine/spec/types.js';
import { runCli } from '../helpers/cli.js';

const fixtures = resolve(__dirname, 'fixtures');

const ctx = createRunContext();

async function check(file: string) {
  const r = await checkSpec(file, fixtures, ctx);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.spec!;
}

async function diffCase(name: string): Promise<SpecDiff> {
  const a = await await check(join(fixtures, name, 'old.yaml'));
  const b = await await check(join(fixtures, name, 'new.yaml'));
  return specDiff({ checked: a, reader: diskReader }, { checked: b, reader: diskReader }, ctx);
}

const changedIds = (d: SpecDiff) => d.models.changed.map((c) => c.id).sort();
const checksOf = (d: SpecDiff, id: string) =>
  d.models.changed.find((c) => c.id === id)?.checks.map((c) => c.check) ?? [];
const table = (d: SpecDiff, id: string) => d.tables.find((t) => t.id === id);

describe('diff fixtures', () => {
  it('a pure reformatting (comments, key order, flow style, spacing, parentheses, a renamed sample) is no change', async () => {
    const d = await diffCase('reformat');
    expect(hasChanges(d)).toBe(false);
    expect([...d.models.unchanged].sort()).toEqual(['doubled', 'firm_fe', 'gmm', 'logs', 'pooled']);
  });

  it('the reformatted spec has the same fingerprints and the same provenance spec hash', async () => {
    const a = await check(join(fixtures, 'reformat', 'old.yaml'));
    const b = await check(join(fixtures, 'reformat', 'new.yaml'));
    const fa = modelFingerprints(a.plan, 'x', 'e', ctx.estimators);
    const fb = modelFingerprints(b.plan, 'x', 'e', ctx.estimators);
    for (const [id, f] of fa) expect(fb.get(id)!.hash).toBe(f.hash);
    expect(specFingerprint(b.plan, ctx.estimators)).toBe(specFingerprint(a.plan, ctx.estimators));
  });

  it('a changed derived variable reaches every model that reads it, directly or through another variable', async () => {
    const d = await diffCase('derived-variable');
    expect(changedIds(d)).toEqual(['doubled', 'logs']);
    expect(checksOf(d, 'logs')).toEqual(['variables']);
    const doubled = d.models.changed.find((c) => c.id === 'doubled')!;
    expect(doubled.checks.map((c) => c.variable)).toEqual(['lninv']);
    expect(d.variables).toEqual([{ name: 'lninv', old: 'log(inv)', new: 'log(inv + 1)', models: ['logs', 'doubled'] }]);
    const t = table(d, 'main')!;
    expect(t.columns.map((c) => [c.index, c.model, c.cells])).toEqual([
      [3, 'logs', 'all'],
      [4, 'doubled', 'all'],
    ]);
    expect(table(d, 'dynamic')).toBeUndefined();
  });

  it('moving keys (data, a vcov, a sample) from the spec into a base it extends is no change', async () => {
    const d = await diffCase('moved-key');
    expect(hasChanges(d)).toBe(false);
    const a = await check(join(fixtures, 'moved-key', 'old.yaml'));
    const b = await check(join(fixtures, 'moved-key', 'new.yaml'));
    expect(b.loaded.layers).toHaveLength(2);
    expect(specFingerprint(b.plan, ctx.estimators)).toBe(specFingerprint(a.plan, ctx.estimators));
  });

  it('every other fixture changes the provenance spec hash (a new data file shows in the data hash instead)', async () => {
    for (const c of [
      'derived-variable',
      'sample',
      'vcov',
      'model-added',
      'model-removed',
      'label-only',
      'fixed-effects',
      'estimator-options',
      'term-removed',
      'data-fix',
      'unused-variable',
    ]) {
      const a = await check(join(fixtures, c, 'old.yaml'));
      const b = await check(join(fixtures, c, 'new.yaml'));
      expect(specFingerprint(b.plan, ctx.estimators), c).not.toBe(specFingerprint(a.plan, ctx.estimators));
    }
  });

  it('a sample change re-estimates the models using the sample', async () => {
    const d = await diffCase('sample');
    expect(changedIds(d)).toEqual(['doubled']);
    expect(checksOf(d, 'doubled')).toEqual(['sample']);
    expect(d.models.changed[0]!.checks[0]!.detail).toBe('sample: late (year > 1945) → late (year > 1946)');
    expect(table(d, 'main')!.columns.map((c) => c.model)).toEqual(['doubled']);
    expect(d.samples).toEqual([{ name: 'late', old: 'year > 1945', new: 'year > 1946', models: ['doubled'] }]);
  });

  it('a vcov change changes standard errors and stars only', async () => {
    const d = await diffCase('vcov');
    expect(changedIds(d)).toEqual(['pooled']);
    expect(d.models.changed[0]).toMatchObject({
      seOnly: true,
      checks: [{ check: 'vcov', detail: 'vcov: hc1 → cluster(firm)' }],
    });
    expect(table(d, 'main')!.columns).toEqual([
      { index: 1, model: 'pooled', header: 'Pooled', cells: 'se', because: ['vcov'] },
    ]);
  });

  it('an added model: listed, its column added, its new terms as new rows', async () => {
    const d = await diffCase('model-added');
    expect(d.models.added).toEqual(['twoway']);
    expect(d.models.changed).toEqual([]);
    const t = table(d, 'main')!;
    expect(t.layout).toEqual(['column 5 twoway added']);
    expect(t.rowsAdded).toEqual(['lag(inv,2)']);
  });

  it('a removed model: listed, its column removed, its own rows gone', async () => {
    const d = await diffCase('model-removed');
    expect(d.models.removed).toEqual(['logs']);
    const t = table(d, 'main')!;
    expect(t.layout).toEqual(['column 3 logs removed']);
    expect(t.rowsRemoved).toEqual(['lnvalue']);
    expect(t.columns).toEqual([]);
  });

  it('label changes are render only: no model is re-estimated', async () => {
    const d = await diffCase('label-only');
    expect(d.models.changed).toEqual([]);
    expect(d.models.renderOnly.map((c) => c.id)).toEqual(['pooled']);
    const t = table(d, 'main')!;
    expect(t.columns).toEqual([]);
    expect(t.render).toEqual([
      'title: "Investment" → "Gross investment"',
      'label of value: "Firm value" → "Market value of the firm"',
      'notes: "Clustered standard errors." → "Standard errors clustered by firm."',
      'header of firm_fe: Firm FE → Firm fixed effects',
    ]);
  });

  it('a new data source with different content changes every model by its data check', async () => {
    const d = await diffCase('data-source');
    expect(changedIds(d)).toEqual(['doubled', 'firm_fe', 'gmm', 'logs', 'pooled']);
    for (const id of changedIds(d)) expect(checksOf(d, id)).toEqual(['data']);
    expect(d.data[0]).toBe('source: ../../../../data/grunfeld.csv → grunfeld-revised.csv');
    expect(d.data[1]).toMatch(/^file content changed \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)$/);
    expect(table(d, 'dynamic')!.columns.map((c) => c.model)).toEqual(['gmm']);
  });

  it('a data fix is a data change of every model', async () => {
    const d = await diffCase('data-fix');
    expect(changedIds(d)).toHaveLength(5);
    expect(d.data).toEqual([
      'fixes: none → [{ column: inv, where: year == 1935, multiply: 1.01, reason: revised series }]',
    ]);
    for (const c of d.models.changed) expect(c.checks.map((x) => x.check)).toEqual(['data']);
  });

  it('the reason of a fix, and spacing in its condition, do not count', () => {
    const parts = (d: DataSpec) => dataParts(normalizedDataSpec(d, '/'), 'c');
    const a = parts({ source: 'a.csv', fixes: [{ column: 'inv', where: 'year==1935', multiply: 2, reason: 'one' }] });
    const b = parts({
      source: 'a.csv',
      fixes: [{ column: 'inv', where: '(year == 1935)', multiply: 2, reason: 'two' }],
    });
    expect(b).toEqual(a);
    expect(parts({ source: 'a.csv', fixes: [{ column: 'inv', multiply: 3 }] })).not.toEqual(a);
  });

  it('a fixed-effects change', async () => {
    const d = await diffCase('fixed-effects');
    expect(changedIds(d)).toEqual(['firm_fe']);
    expect(d.models.changed[0]!.checks.map((c) => c.detail)).toEqual(['fixed_effects: firm → firm + year']);
  });

  it('an estimator option change (GMM steps and collapse) names the options', async () => {
    const d = await diffCase('estimator-options');
    expect(changedIds(d)).toEqual(['gmm']);
    expect(d.models.changed[0]!.checks).toEqual([
      { check: 'options', detail: 'options: steps 2 → 1; collapse false → true' },
    ]);
    expect(d.models.changed[0]!.seOnly).toBe(false);
  });

  it('removing a term from every model removes its row', async () => {
    const d = await diffCase('term-removed');
    expect(changedIds(d)).toEqual(['firm_fe', 'logs', 'pooled']);
    expect(checksOf(d, 'pooled')).toEqual(['formula']);
    expect(table(d, 'main')!.rowsRemoved).toEqual(['capital']);
  });

  it('a variable no model reads is reported but changes no model', async () => {
    const d = await diffCase('unused-variable');
    expect(d.models.changed).toEqual([]);
    expect(d.variables).toEqual([{ name: 'spare', old: 'sqrt(capital)', new: 'sqrt(capital + 1)', models: [] }]);
    expect(d.tables).toEqual([]);
  });
});

describe('specrun diff (command line)', () => {
  const f = (c: string, s: string) => join('fixtures', c, s);
  const cwd = __dirname;

  it('exits 0 with and without changes; text names models, checks and cells', async () => {
    const same = await runCli(['diff', f('reformat', 'old.yaml'), f('reformat', 'new.yaml')], cwd);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no semantic change');
    const r = await runCli(['diff', f('derived-variable', 'old.yaml'), f('derived-variable', 'new.yaml')], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('~ logs');
    expect(r.stdout).toContain('derived variable lninv: log(inv) → log(inv + 1)');
    expect(r.stdout).toContain('column 4 Doubled [doubled]: every cell — variables');
  });

  it('--format md gives a Markdown table of models; --format json the structure', async () => {
    const md = await runCli(['diff', f('vcov', 'old.yaml'), f('vcov', 'new.yaml'), '--format', 'md'], cwd);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| model | change | checks |');
    expect(md.stdout).toContain('| `pooled` | SEs only | vcov: hc1 → cluster(firm) |');
    const js = await runCli(['diff', f('vcov', 'old.yaml'), f('vcov', 'new.yaml'), '--format', 'json'], cwd);
    expect((JSON.parse(js.stdout) as SpecDiff).models.changed[0]!.id).toBe('pooled');
  });

  it('exits 2 on a bad spec or a bad command line', async () => {
    expect((await runCli(['diff', f('vcov', 'old.yaml'), f('vcov', 'missing.yaml')], cwd)).code).toBe(2);
    expect((await runCli(['diff', f('vcov', 'old.yaml')], cwd)).code).toBe(2);
    expect((await runCli(['diff', f('vcov', 'old.yaml'), f('vcov', 'new.yaml'), '--format', 'pdf'], cwd)).code).toBe(2);
  });
});

describe('diff checks of the other estimators', () => {
  const base = readFileSync(resolve(__dirname, '../cache/fixtures/all-estimators.yaml'), 'utf8');
  const variant = async (edit: (s: string) => string): Promise<SpecDiff> => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-diffest-'));
    writeFileSync(join(dir, 'old.yaml'), base);
    const changed = edit(base);
    expect(changed).not.toBe(base);
    writeFileSync(join(dir, 'new.yaml'), changed);
    const a = (await checkSpec(join(dir, 'old.yaml'), dir, ctx)).spec!;
    const b = (await checkSpec(join(dir, 'new.yaml'), dir, ctx)).spec!;
    return specDiff({ checked: a, reader: diskReader }, { checked: b, reader: diskReader }, ctx);
  };

  it('a sample no model uses is reported, and changes no model', async () => {
    const d = await variant((s) => s.replace('\nmodels:', '\nsamples:\n  mid: year == 2010\n\nmodels:'));
    expect(d.samples).toEqual([{ name: 'mid', old: null, new: 'year == 2010', models: [] }]);
    expect(d.models.changed).toEqual([]);
    expect(hasChanges(d)).toBe(true);
  });

  it('a bootstrap seed is an option of the mediation model', async () => {
    const d = await variant((s) => s.replace('seed: 7', 'seed: 8'));
    expect(d.models.changed.map((c) => [c.id, c.checks.map((x) => x.check), c.seOnly])).toEqual([
      ['med', ['options'], false],
    ]);
    expect(d.models.changed[0]!.checks[0]!.detail).toBe(
      'options: bootstrap { reps: 40, seed: 7, level: 0.95 } → { reps: 40, seed: 8, level: 0.95 }',
    );
    expect(d.tables.map((t) => t.id)).toEqual(['mediation']);
  });

  it('a rank-size threshold is an option; the size variable is its formula', async () => {
    expect(
      (await variant((s) => s.replace('group: agglomeration\n', 'group: agglomeration\n    threshold: 0.6\n'))).models
        .changed[0]!.checks,
    ).toEqual([{ check: 'options', detail: 'options: threshold 0.5 → 0.6' }]);
    expect(
      (await variant((s) => s.replace('group: agglomeration\n', 'group: agglomeration\n    intercept: largest\n')))
        .models.changed[0]!.checks,
    ).toEqual([{ check: 'options', detail: 'options: intercept free → largest' }]);
    expect(
      (await variant((s) => s.replace('size: pop\n', 'size: pop_urban\n'))).models.changed[0]!.checks.map(
        (c) => c.detail,
      ),
    ).toEqual(['formula: size=pop, group=agglomeration → size=pop_urban, group=agglomeration']);
  });

  it('a small-sample correction is a vcov change (SEs only); system → difference GMM is an estimator change', async () => {
    const ssc = await variant((s) =>
      s.replace('    vcov: cluster(city)\n  pooled:', '    vcov: cluster(city)\n    ssc: { adj: false }\n  pooled:'),
    );
    expect(ssc.models.changed.map((c) => [c.id, c.seOnly])).toEqual([['fe', true]]);
    expect(ssc.models.changed[0]!.checks[0]!.detail).toBe(
      'vcov: cluster(city) → cluster(city) ssc { adj: false, fixef_k: nested, cluster_adj: true }',
    );
    const est = await variant((s) => s.replace('estimator: sysgmm', 'estimator: diffgmm'));
    expect(est.models.changed[0]!.checks.map((c) => c.check)).toEqual(['estimator']);
  });
});
