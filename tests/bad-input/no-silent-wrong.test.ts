/**
 * Issue 13, "no silent wrong result": the defects whose fix is a correct result (or a warning beside one) rather
 * than an error. The errors are cases of the catalogue in bad-input.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const cases = join(fileURLToPath(new URL('.', import.meta.url)), 'cases');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'specrun-nsw-'));
}

describe('no silent wrong result (issue 13)', () => {
  it('1. a table id never writes outside --out', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'data.csv'), readFileSync(join(cases, 'data.csv')));
    writeFileSync(join(dir, 'README.md'), 'keep me\n');
    writeFileSync(join(dir, 'spec.yaml'), readFileSync(join(cases, 'unsafe-table-id.yaml')));
    const r = await runCli(['run', 'spec.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('keep me\n');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('3. a regressor that copies the dependent variable is a PERFECT_FIT warning', async () => {
    const r = await runCli(['run', 'perfect-fit.yaml', '--out', join(scratch(), 'out')], cases);
    expect(r.stderr).toMatch(/^perfect-fit\.yaml:9:5 PERFECT_FIT .*\[warning\]$/m);
  });

  it('11. names from the prototype are names: a variable toString is labelled toString', async () => {
    const out = join(scratch(), 'out');
    const r = await runCli(['run', 'to-string.yaml', '--out', out, '--format', 'md'], cases);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(out, 't.md'), 'utf8');
    expect(md).toMatch(/^\| toString \|/m);
    expect(md).toMatch(/^\| constructor \|/m);
    expect(md).not.toMatch(/native code/);
  });

  it('14. a model label heads its column when the table does not name it', async () => {
    const out = join(scratch(), 'out');
    const r = await runCli(['run', 'model-label.yaml', '--out', out, '--format', 'md'], cases);
    expect(r.code, r.stderr).toBe(0);
    const header = readFileSync(join(out, 't.md'), 'utf8').split('\n').find((l) => l.includes('Controls'));
    expect(header).toMatch(/\| Baseline \| Controls \|/);
  });

  it('16. "wrote N files" names the output folder, also when the working directory is a prefix of it', async () => {
    const dir = scratch();
    const work = join(dir, 'data');
    mkdirSync(work);
    writeFileSync(join(work, 'data.csv'), readFileSync(join(cases, 'data.csv')));
    writeFileSync(join(work, 'ok.yaml'), readFileSync(join(cases, 'ok.yaml')));
    const r = await runCli(['run', 'ok.yaml', '--out', join(dir, 'data-out')], work);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote \d+ file\(s\) to \.\.\/data-out\//);
    expect(readdirSync(join(dir, 'data-out'))).toContain('results.json');
  });
});
