/**
 * The diff a reviewer needs, on fixture repositories made here (git init, commits): tables before and after with star
 * changes called out, added / removed / renamed specs under --rev, review warnings, exit-code gates, and the git diff
 * driver through `git diff` itself.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const root = resolve(__dirname, '../..');

const BASE = `data:
  source: ../grunfeld.csv
  unit: firm
  time: year
variables:
  lninv: log(inv)
`;
const TABLE1 = `extends: ./base.yaml
models:
  fe:
    formula: inv ~ value + capital | firm + year
    vcov: cluster(firm)
  late:
    formula: inv ~ value + capital | firm + year
    sample: late
    vcov: cluster(firm)
samples:
  late: year > 1945
tables:
  table1:
    columns: [fe, late]
    keep: [value, capital]
    stats: [nobs, r2]
    notes: Standard errors clustered by firm in parentheses.
`;
const TABLE2 = `extends: ./base.yaml
models:
  logs:
    formula: lninv ~ value | firm
tables:
  table2:
    columns: [logs]
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args],
    { cwd },
  ).toString();
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-review-'));
  git(dir, 'init', '-q');
  copyFileSync(join(root, 'data', 'grunfeld.csv'), join(dir, 'grunfeld.csv'));
  mkdirSync(join(dir, 'specs'));
  writeFileSync(join(dir, 'specs', 'base.yaml'), BASE);
  writeFileSync(join(dir, 'specs', 'table1.yaml'), TABLE1);
  writeFileSync(join(dir, 'specs', 'table2.yaml'), TABLE2);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'one');
  return dir;
}

describe('specrun diff for review', () => {
  it('a star change in Table 1: the table before and after, the star called out first, unchanged tables in one line', async () => {
    const dir = repo();
    // The late column on a shorter sample: value loses a star, N falls from 90 to 40.
    writeFileSync(join(dir, 'specs', 'table1.yaml'), TABLE1.replace('late: year > 1945', 'late: year > 1950'));
    const r = await runCli(['diff', '--rev', 'HEAD', 'specs', '--results'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(
      /tables, before and after:\n {2}table1\n {4}star lost: value, column \(2\): 0\.156\*\*\* → 0\.139\*\*\n/,
    );
    expect(out).toMatch(/N of column \(2\): 90 → 40 — sample: late \(year > 1945\) → late \(year > 1950\)/);
    expect(out).toMatch(/before\s+│ after/);
    // The changed cells are marked in the after table; column (1) is untouched.
    expect(out).toMatch(/value\s+0\.118\*\*\*\s+0\.156\*\*\*\s+│ value\s+0\.118\*\*\*\s+‹0\.139\*\*›/);
    // The sample changed and the note did not: a review warning.
    expect(out).toMatch(
      /! the sample of late changed \(late \(year > 1945\) → late \(year > 1950\)\) but table table1's notes did not/,
    );
    // table2 is untouched: one line, not a block.
    expect(out).toMatch(/no semantic change: specs\/table2\.yaml/);
    expect(out).not.toMatch(/specrun diff HEAD:specs\/table2\.yaml/);
    // The raw model cells (statistics no table shows) only with --cells.
    expect(out).not.toMatch(/df_resid/);
    expect((await runCli(['diff', '--rev', 'HEAD', 'specs', '--results', '--cells'], dir)).stdout).toMatch(
      /late\s+\(stats\)\s+nobs: 90 → 40/,
    );
    // The Markdown form marks the changed cells in the table itself.
    const md = await runCli(['diff', '--rev', 'HEAD', 'specs', '--results', '--format', 'md'], dir);
    expect(md.stdout).toMatch(/#### table1\n\n- star lost: /);
    expect(md.stdout).toMatch(/~~0\.156\\\*\\\*\\\*~~ \*\*0\.139\\\*\\\*\*\*/);
    // HTML: a page with both tables and the changed cells marked.
    const html = await runCli(['diff', '--rev', 'HEAD', 'specs', '--results', '--format', 'html'], dir);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(html.stdout).toMatch(/<caption>[^<]*— before<\/caption>[\s\S]*<caption>[^<]*— after<\/caption>/);
    expect(html.stdout).toContain('<td class="star-lost"><mark title="before: 0.156***">0.139**</mark></td>');
    // Gates: stars in table1 trip; stars in table2 do not; --exit-code trips on any change; gates on results need --results.
    expect((await runCli(['diff', '--rev', 'HEAD', 'specs', '--results', '--fail-on', 'stars@table1'], dir)).code).toBe(
      1,
    );
    expect((await runCli(['diff', '--rev', 'HEAD', 'specs', '--results', '--fail-on', 'stars@table2'], dir)).code).toBe(
      0,
    );
    expect((await runCli(['diff', '--rev', 'HEAD', 'specs', '--exit-code'], dir)).code).toBe(1);
    expect((await runCli(['diff', '--rev', 'HEAD', 'specs/table2.yaml', '--exit-code'], dir)).code).toBe(0);
    expect((await runCli(['diff', '--rev', 'HEAD', 'specs', '--fail-on', 'stars'], dir)).code).toBe(2);
  });

  it('a regressor added under a keep list is flagged; N changes are explained; formulas are shown whole', async () => {
    const dir = repo();
    writeFileSync(
      join(dir, 'specs', 'table1.yaml'),
      TABLE1.replace(
        'formula: inv ~ value + capital | firm + year\n    vcov: cluster(firm)\n  late',
        'formula: inv ~ value + capital + lag(inv, 1) | firm + year\n    vcov: cluster(firm)\n  late',
      ),
    );
    const r = await runCli(['diff', '--rev', 'HEAD', 'specs/table1.yaml', '--results'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'formula: inv ~ value + capital | firm + year → inv ~ value + capital + lag(inv,1) | firm + year',
    );
    expect(r.stdout).toContain(
      "! lag(inv,1), added to model fe, is not shown: table table1's keep list does not name it",
    );
    // The lag drops the first year of every firm: 200 → 190, and the notes say why.
    expect(r.stdout).toMatch(
      /N of column \(1\): 200 → 190 — formula: .*; after: 10 observation\(s\) removed because of missing values/,
    );
  });

  it('--rev: an added, a removed and a renamed spec', async () => {
    const dir = repo();
    git(dir, 'mv', 'specs/table2.yaml', 'specs/logs.yaml');
    writeFileSync(
      join(dir, 'specs', 'table3.yaml'),
      TABLE2.replace(/logs/g, 'pooled').replace('lninv ~ value | firm', 'inv ~ value').replace('table2', 'table3'),
    );
    const r = await runCli(['diff', '--rev', 'HEAD', 'specs'], dir);
    expect(r.code, r.stderr).toBe(0);
    // Renamed: compared as one spec (no semantic change), not removed + added.
    expect(r.stdout).toMatch(/no semantic change: .*specs\/logs\.yaml/);
    expect(r.stdout).not.toMatch(/spec removed: HEAD:specs\/table2\.yaml/);
    // Added: its models and tables listed.
    expect(r.stdout).toMatch(
      /spec added: specs\/table3\.yaml\n {2}\+ model pooled \(ols\): inv ~ value\n {2}\+ table table3: pooled/,
    );
    // A single file new since the revision is an added spec, not FILE_NOT_FOUND.
    const one = await runCli(['diff', '--rev', 'HEAD', 'specs/table3.yaml'], dir);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('spec added: specs/table3.yaml');
    // Removed.
    git(dir, 'rm', '-q', 'specs/table1.yaml');
    const rm = await runCli(['diff', '--rev', 'HEAD', 'specs'], dir);
    expect(rm.stdout).toMatch(
      /spec removed: HEAD:specs\/table1\.yaml\n {2}- model fe \(ols\): inv ~ value \+ capital \| firm \+ year/,
    );
  });

  it('a label that no longer matches a renamed variable is flagged', async () => {
    const dir = repo();
    const labelled = TABLE2.replace('columns: [logs]', 'columns: [logs]\n    labels: { value: Firm value }');
    writeFileSync(join(dir, 'specs', 'table2.yaml'), labelled);
    git(dir, 'commit', '-qam', 'labels');
    // value renamed to value2 in the formula; the label still names value.
    writeFileSync(
      join(dir, 'specs', 'table2.yaml'),
      labelled
        .replace('lninv ~ value | firm', 'lninv ~ value2 | firm')
        .replace('models:', 'variables:\n  value2: value / 1000\nmodels:'),
    );
    const r = await runCli(['diff', '--rev', 'HEAD', 'specs/table2.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /! the label of value no longer matches a term of table table2 \(did you mean 'value2'\?\)/,
    );
  });

  it('git diff shows the semantic diff through the driver (.gitattributes + diff.specrun.command)', () => {
    const dir = repo();
    writeFileSync(join(dir, '.gitattributes'), 'specs/*.yaml diff=specrun\n');
    git(dir, 'add', '.gitattributes');
    git(dir, 'commit', '-qm', 'attributes');
    git(
      dir,
      'config',
      'diff.specrun.command',
      `"${process.execPath}" "${join(root, 'bin', 'specrun.mjs')}" diff --git-driver`,
    );
    writeFileSync(
      join(dir, 'specs', 'table1.yaml'),
      TABLE1.replace('    sample: late\n    vcov: cluster(firm)', '    sample: late\n    vcov: hc1'),
    );
    const out = git(dir, 'diff');
    expect(out).toContain('specrun diff a/specs/table1.yaml b/specs/table1.yaml');
    expect(out).toMatch(/~ late\n\s+vcov: cluster\(firm\) → hc1/);
    expect(out).toContain('review warnings:');
    // git log -p with --ext-diff shows the same for committed changes.
    git(dir, 'commit', '-qam', 'hc1');
    const log = git(dir, 'log', '-p', '--ext-diff', '-1');
    expect(log).toMatch(/vcov: cluster\(firm\) → hc1/);
    // A YAML file that is not a spec falls back to git's text diff.
    writeFileSync(join(dir, 'specs', 'notes.yaml'), 'just: text\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'notes');
    writeFileSync(join(dir, 'specs', 'notes.yaml'), 'just: more text\n');
    expect(git(dir, 'diff')).toMatch(/\+just: more text/);
  });
});
