/**
 * Issue 13, "no silent wrong result": the defects whose fix is a correct result (or a warning beside one) rather
 * than an error. The errors are cases of the catalogue in bad-input.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readFileLimited, UnreadableFile } from '../../engine/core/read-limited.js';

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
    const header = readFileSync(join(out, 't.md'), 'utf8')
      .split('\n')
      .find((l) => l.includes('Controls'));
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
    const spec = (expr: string) =>
      `data:\n  source: data.csv\nvariables:\n  v: ${expr}\nmodels:\n  m:\n    formula: y ~ v\n`;
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
    writeFileSync(
      join(dir, 'spec.yaml'),
      `defaults: &v hc1\ndata:\n  source: data.csv\nmodels:\n${models}\n`.replace(
        'defaults: &v hc1\n',
        'title: &v hc1\n',
      ),
    );
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

  it('6. a run that fails while writing leaves no output at all (out/results.json is a folder)', async () => {
    const dir = scratch();
    for (const f of ['data.csv', 'ok.yaml']) writeFileSync(join(dir, f), readFileSync(join(cases, f)));
    mkdirSync(join(dir, 'out', 'results.json'), { recursive: true });
    const r = await runCli(['run', 'ok.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/OUTPUT_NOT_WRITABLE .*results\.json/);
    expect(readdirSync(join(dir, 'out'))).toEqual(['results.json']);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual(['.specrun-cache']);
  });

  it('6. outputs are staged in a hidden folder and swapped in; nothing of it remains', async () => {
    const dir = scratch();
    for (const f of ['data.csv', 'ok.yaml']) writeFileSync(join(dir, f), readFileSync(join(cases, f)));
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'mine.txt'), 'a file of the user\n');
    const r = await runCli(['run', 'ok.yaml', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'mine.txt',
      'ok-tables.tex',
      'results.json',
      't.md',
      't.tex',
    ]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual(['.specrun-cache']);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('7. --keep-going writes the tables whose models all succeeded, lists the others, and exits 1', async () => {
    const out = join(scratch(), 'out');
    const strict = await runCli(['run', 'keep-going.yaml', '--out', out], cases);
    expect(strict.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    const r = await runCli(['run', 'keep-going.yaml', '--out', out, '--keep-going'], cases);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/VCOV_ONE_CLUSTER/);
    expect(r.stderr).toMatch(/^keep-going\.yaml:16:5 TABLE_SKIPPED table mixed_table not written: model bad failed/m);
    expect(readdirSync(out).sort()).toEqual([
      'good_table.md',
      'good_table.tex',
      'keep-going-tables.tex',
      'results.json',
    ]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { models: Record<string, unknown> };
    expect(Object.keys(results.models)).toEqual(['good']);
  });

  it('8. a FIFO as a spec and a data file over the size limit are refused before reading, without hanging', async () => {
    const dir = scratch();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const r = await runCli(['validate', 'pipe.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^pipe\.yaml:0:0 FILE_NOT_FOUND cannot read pipe\.yaml: it is a FIFO \(named pipe\), not a regular file/m,
    );
    writeFileSync(join(dir, 'big.csv'), 'id,t,y,x\n' + '1,2000,1,2\n'.repeat(1000));
    writeFileSync(join(dir, 'big.yaml'), 'data:\n  source: big.csv\nmodels:\n  m:\n    formula: y ~ x\n');
    process.env['SPECRUN_MAX_DATA_BYTES'] = '1000';
    try {
      const big = await runCli(['run', 'big.yaml', '--out', 'out'], dir);
      expect(big.code).toBe(1);
      expect(big.stderr).toMatch(
        /^big\.yaml:2:11 DATA_NOT_FOUND .*more than the limit of 1000 bytes \(SPECRUN_MAX_DATA_BYTES\)/m,
      );
    } finally {
      delete process.env['SPECRUN_MAX_DATA_BYTES'];
    }
  });

  it('8. a symlink to a device (a cache entry, a data file) is not read', () => {
    const dir = scratch();
    symlinkSync('/dev/zero', join(dir, 'entry.json'));
    expect(() => readFileLimited(join(dir, 'entry.json'), 'cache')).toThrow(UnreadableFile);
    expect(() => readFileLimited(join(dir, 'entry.json'), 'cache')).toThrow(/it is a device, not a regular file/);
  });

  it('13. validate fails wherever run would fail for a spec reason: missing data, builtin:nope, a broken template', async () => {
    const expected: [string, string, string, number][] = [
      ['missing-data.yaml', 'DATA_NOT_FOUND', 'missing-data.yaml:2:11', 1],
      ['builtin-nope.yaml', 'DATA_UNKNOWN_BUILTIN', 'builtin-nope.yaml:2:11', 2],
      ['broken-template.yaml', 'TEMPLATE_ERROR', 'broken-template.yaml:9:24', 2],
      ['device-data.yaml', 'DATA_NOT_FOUND', 'device-data.yaml:2:11', 1],
    ];
    for (const [spec, code, at, exit] of expected) {
      const v = await runCli(['validate', spec], cases);
      expect(v.code, `${spec}: ${v.stderr}`).toBe(exit);
      expect(v.stderr).toMatch(new RegExp(`^${at.replace(/\./g, '\\.')} ${code} `, 'm'));
      const r = await runCli(['run', spec, '--out', join(scratch(), 'out')], cases);
      expect(r.code).toBe(exit);
    }
  });

  it('15. control bytes of data cells never reach the terminal raw; they are shown escaped', async () => {
    const r = await runCli(['run', 'control-cell.yaml', '--out', join(scratch(), 'out')], cases);
    expect(r.code).toBe(2);
    expect(r.stderr.includes(String.fromCharCode(0x1b))).toBe(false);
    expect(r.stderr).toMatch(/\\x1b\[31mred/);
  });

  it('15. a spec that is not UTF-8 (GBK) is SPEC_ENCODING at the first bad byte, not U+FFFD in titles', async () => {
    const r = await runCli(['validate', 'gbk-spec.yaml'], cases);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gbk-spec\.yaml:1:8 SPEC_ENCODING /m);
  });

  it('15. --out= (empty) is a usage error, and data --out may not overwrite its own input', async () => {
    const empty = await runCli(['run', 'ok.yaml', '--out='], cases);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/CLI_USAGE --out needs a value/);
    const dir = scratch();
    for (const f of ['data.csv', 'ok.yaml']) writeFileSync(join(dir, f), readFileSync(join(cases, f)));
    const before = readFileSync(join(dir, 'data.csv'));
    const r = await runCli(['data', 'ok.yaml', '--out', 'data.csv'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CLI_USAGE .*data\.csv is the data source/);
    expect(readFileSync(join(dir, 'data.csv'))).toEqual(before);
  });
});
