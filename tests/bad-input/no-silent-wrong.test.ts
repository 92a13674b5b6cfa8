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
    // (Markdown folds the dependent-variable and column-number header rows into the same cells.)
    expect(header).toMatch(/\| (\w+<br>)?Baseline(<br>\(1\))? \| (\w+<br>)?Controls(<br>\(2\))? \|/);
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

  it('9. run on a folder with no YAML is a usage error, not an empty success', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'empty'));
    const r = await runCli(['run', 'empty', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CLI_NO_SPEC/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('9. 600 nested parentheses and a 20,000-term sum are EXPR_TOO_DEEP at the expression, not internal errors', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'data.csv'), readFileSync(join(cases, 'data.csv')));
    const spec = (expr: string) => `data:\n  source: data.csv\nvariables:\n  v: ${expr}\nmodels:\n  m:\n    formula: y ~ v\n`;
    writeFileSync(join(dir, 'parens.yaml'), spec(`${'('.repeat(600)}x${')'.repeat(600)}`));
    writeFileSync(join(dir, 'sum.yaml'), spec(Array.from({ length: 20000 }, () => 'x').join(' + ')));
    for (const f of ['parens.yaml', 'sum.yaml']) {
      for (const cmd of ['validate', 'run']) {
        const r = await runCli(cmd === 'run' ? [cmd, f, '--out', 'out'] : [cmd, f], dir);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^${f.replace('.', '\\.')}:4:\\d+ EXPR_TOO_DEEP `, 'm'));
        expect(r.stderr).not.toMatch(/internal error/);
      }
    }
    // A sum of 200 terms is an ordinary expression.
    writeFileSync(join(dir, 'ok.yaml'), spec(Array.from({ length: 200 }, () => 'x').join(' + ')));
    expect((await runCli(['validate', 'ok.yaml'], dir)).code).toBe(0);
  });

  it('9. a legitimate spec with 150 aliases loads', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'data.csv'), readFileSync(join(cases, 'data.csv')));
    const models = Array.from({ length: 150 }, (_, i) => `  m${i}: { formula: y ~ x, vcov: *v }`).join('\n');
    writeFileSync(join(dir, 'spec.yaml'), `defaults: &v hc1\ndata:\n  source: data.csv\nmodels:\n${models}\n`.replace('defaults: &v hc1\n', 'title: &v hc1\n'));
    const r = await runCli(['validate', 'spec.yaml'], dir);
    expect(r.stderr).not.toMatch(/internal error|YAML_ALIAS_LIMIT/);
    expect(r.code, r.stderr).toBe(0);
  });

  it('9. a spec with 115,000 keys is checked for duplicate keys in linear time (no quadratic scan)', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'data.csv'), readFileSync(join(cases, 'data.csv')));
    const labels = Array.from({ length: 115000 }, (_, i) => `  term_${i}: label ${i}`).join('\n');
    writeFileSync(join(dir, 'big.yaml'), `data:\n  source: data.csv\nlabels:\n${labels}\n  term_7: again\n`);
    const r = await runCli(['validate', 'big.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^big\.yaml:115004:3 YAML_DUPLICATE_KEY duplicate key term_7/m);
  }, 30000);
});
