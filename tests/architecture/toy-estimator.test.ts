/**
 * The extension point of issue 12, end to end: an estimator written in one folder outside the engine
 * (tests/fixtures/toy-estimator/) and registered with one line goes through validate, run, diff and rendering like a
 * built-in one — its keys checked by its own schema, its inputs checked against the data header, its column rendered.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain ESM script without type declarations
import { generateDefinitions } from '../../scripts/gen-schema.mjs';
import { builtinEstimators } from '../../engine/estimate/registry.js';
import { createRunContext } from '../../engine/run/context.js';
import { meanEstimator } from '../fixtures/toy-estimator/index.js';
import { runCli } from '../helpers/cli.js';

const root = resolve(__dirname, '../..');
const mtcars = resolve(root, 'tests/fixtures/data/mtcars.csv');
const withToy = () => createRunContext({ estimators: builtinEstimators().with(meanEstimator) }); // the one registry line

/** A spec with a `mean` model beside an `ols` one, in a fresh folder; `edit` changes its text. */
function specDir(edit: (s: string) => string = (s) => s): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-toy-'));
  const text = `data:
  source: ${JSON.stringify(mtcars)}
models:
  mpg_mean:
    estimator: mean
    variable: mpg
  mpg_ols:
    formula: mpg ~ wt
    vcov: hc1
tables:
  means:
    title: Toy
    columns: [mpg_mean, mpg_ols]
    stats: [nobs]
`;
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, edit(text));
  return { dir, file };
}

/** The mean and its standard error s/√n, computed here from the CSV column. */
function mpgMean(): { m: number; se: number } {
  const lines = readFileSync(mtcars, 'utf8').trim().split('\n').slice(1);
  const x = lines.map((l) => Number(l.split(',').slice(-11)[0]));
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const s2 = x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
  return { m, se: Math.sqrt(s2 / x.length) };
}

describe('a toy estimator registered from one folder', () => {
  it('its committed schema is generated from its spec.ts', () => {
    const committed = JSON.parse(readFileSync(resolve(root, 'tests/fixtures/toy-estimator/spec.schema.json'), 'utf8'));
    expect(committed).toEqual(
      (generateDefinitions as (f: string, t: string) => unknown)('tests/fixtures/toy-estimator/spec.ts', 'MeanModel'),
    );
  });

  it('validate: accepted with the module, UNKNOWN_ESTIMATOR without it', async () => {
    const { dir, file } = specDir();
    expect((await runCli(['validate', file], dir, withToy())).code).toBe(0);
    const without = await runCli(['validate', file], dir);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/spec\.yaml:5:16 UNKNOWN_ESTIMATOR unknown estimator mean/);
    expect(without.stderr).toMatch(/known estimators: ols, iv, sysgmm, diffgmm, mediation, ranksize/);
  });

  it('validate: its keys are checked by its own schema, its inputs against the data header, its rules by its module', async () => {
    const typo = specDir((s) => s.replace('    variable: mpg\n', '    variable: mpg\n    scal: 2\n'));
    const r1 = await runCli(['validate', typo.file], typo.dir, withToy());
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/spec\.yaml:7:5 SCHEMA_UNKNOWN_KEY .*scal/);
    expect(r1.stderr).toMatch(/did you mean 'scale'/);
    const wrongType = specDir((s) => s.replace('    variable: mpg\n', '    variable: mpg\n    scale: two\n'));
    expect((await runCli(['validate', wrongType.file], wrongType.dir, withToy())).stderr).toMatch(
      /spec\.yaml:7:12 SCHEMA_TYPE/,
    );
    const unknown = specDir((s) => s.replace('variable: mpg', 'variable: mpgg'));
    const r2 = await runCli(['validate', unknown.file], unknown.dir, withToy());
    expect(r2.stderr).toMatch(
      /spec\.yaml:6:15 UNKNOWN_VARIABLE unknown variable mpgg .*\n {2}hint: did you mean 'mpg'/,
    );
    const zero = specDir((s) => s.replace('    variable: mpg\n', '    variable: mpg\n    scale: 0\n'));
    expect((await runCli(['validate', zero.file], zero.dir, withToy())).stderr).toMatch(
      /spec\.yaml:7:12 SPEC_CONFLICT a scale of 0/,
    );
  });

  it('run: estimates it, writes it to results.json and renders its column beside an ols column', async () => {
    const { dir, file } = specDir();
    const out = join(dir, 'out');
    const r = await runCli(['run', file, '--out', out, '--quiet'], dir, withToy());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { m, se } = mpgMean();
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.models.mpg_mean.estimator).toBe('mean');
    expect(results.models.mpg_mean.nobs).toBe(32);
    expect(results.models.mpg_mean.coefficients.mpg.estimate).toBeCloseTo(m, 12);
    expect(results.models.mpg_mean.coefficients.mpg.se).toBeCloseTo(se, 12);
    const md = readFileSync(join(out, 'means.md'), 'utf8');
    // (the dependent-variable header row folds into the same Markdown header cells)
    expect(md).toMatch(/\| (Dependent variable<br>)?Variable \| ([^|]*<br>)?\(1\) \| ([^|]*<br>)?\(2\) \|/);
    expect(md).toContain(`| mpg | ${m.toFixed(3)}\\*\\*\\* | |`);
    expect(md).toContain(`| | (${se.toFixed(3)}) | |`);
    expect(md).toContain('| wt | | -5.344\\*\\*\\* |');
    expect(md).toContain('| Observations | 32 | 32 |');
    expect(readFileSync(join(out, 'means.tex'), 'utf8')).toContain(`${m.toFixed(3)}`);
  });

  it('diff: its own keys are named checks (formula, options), and its table column follows', async () => {
    const a = specDir();
    const b = specDir((s) => s.replace('    variable: mpg\n', '    variable: mpg\n    scale: 2\n'));
    const opt = await runCli(['diff', a.file, b.file, '--format', 'json'], a.dir, withToy());
    expect(opt.code).toBe(0);
    const d = JSON.parse(opt.stdout);
    expect(d.models.changed).toEqual([
      { id: 'mpg_mean', checks: [{ check: 'options', detail: 'options: scale 1 → 2' }], render: [], seOnly: false },
    ]);
    expect(d.tables[0].columns.map((c: { model: string; cells: string }) => [c.model, c.cells])).toEqual([
      ['mpg_mean', 'all'],
    ]);
    const c = specDir((s) => s.replace('variable: mpg', 'variable: hp'));
    const f = JSON.parse((await runCli(['diff', a.file, c.file, '--format', 'json'], a.dir, withToy())).stdout);
    expect(f.models.changed[0].checks.map((x: { check: string }) => x.check)).toEqual(['formula']);
    expect(f.tables[0].rowsAdded).toEqual(['hp']);
    expect(f.tables[0].rowsRemoved).toEqual(['mpg']);
  });
});
