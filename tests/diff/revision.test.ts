/** `specrun diff --rev REV SPEC`: the spec, its extends chain and its data file read at a git revision. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpecDiff } from '../../engine/diff/semantic-diff.js';
import { runCli } from '../helpers/cli.js';

const root = resolve(__dirname, '../..');

const BASE = `data:
  source: grunfeld.csv
  unit: firm
  time: year
variables:
  lninv: log(inv)
models:
  fe:
    formula: inv ~ value + capital | firm
    vcov: cluster(firm)
`;
const SPEC = `extends: ./base.yaml
models:
  logs:
    formula: lninv ~ value | firm
tables:
  t1:
    columns: [fe, logs]
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args],
    { cwd },
  ).toString();
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-rev-'));
  git(dir, 'init', '-q');
  copyFileSync(join(root, 'data', 'grunfeld.csv'), join(dir, 'grunfeld.csv'));
  writeFileSync(join(dir, 'base.yaml'), BASE);
  writeFileSync(join(dir, 'spec.yaml'), SPEC);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'one');
  return dir;
}

describe('specrun diff --rev', () => {
  it('an unchanged working tree shows no change', async () => {
    const dir = repo();
    const r = await runCli(['diff', '--rev', 'HEAD', 'spec.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('specrun diff HEAD:spec.yaml → spec.yaml');
    expect(r.stdout).toContain('no semantic change');
  });

  it('reads the extends chain and the data file at the revision', async () => {
    const dir = repo();
    // The base changes a derived variable, the spec adds a model, the data file changes one value.
    writeFileSync(join(dir, 'base.yaml'), BASE.replace('lninv: log(inv)', 'lninv: log(inv + 1)'));
    writeFileSync(join(dir, 'spec.yaml'), SPEC.replace('tables:', '  pooled:\n    formula: inv ~ value\ntables:'));
    const csv = readFileSync(join(dir, 'grunfeld.csv'), 'utf8');
    writeFileSync(join(dir, 'grunfeld.csv'), csv.replace('1,1935,317.6,', '1,1935,318.6,'));
    const r = await runCli(['diff', '--rev', 'HEAD', 'spec.yaml', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as SpecDiff;
    expect(d.models.added).toEqual(['pooled']);
    expect(d.models.changed.map((c) => [c.id, c.checks.map((x) => x.check)])).toEqual([
      ['fe', ['data']],
      ['logs', ['variables', 'data']],
    ]);
    expect(d.variables.map((v) => [v.name, v.old, v.new])).toEqual([['lninv', 'log(inv)', 'log(inv + 1)']]);
    expect(d.data).toEqual([expect.stringMatching(/^file content changed/)]);
    // Against the working tree's own commit after committing, nothing is left.
    git(dir, 'commit', '-q', '-am', 'two');
    expect((await runCli(['diff', '--rev', 'HEAD', 'spec.yaml'], dir)).stdout).toContain('no semantic change');
    expect((await runCli(['diff', '--rev', 'HEAD~1', 'spec.yaml'], dir)).stdout).toContain('+ pooled');
  });

  it('a folder: specs paired by name, bases left out, added and removed specs listed', async () => {
    const dir = repo();
    // A pure base (no models, no tables) is seen only through the specs that extend it.
    writeFileSync(join(dir, 'vars.yaml'), 'data: { source: grunfeld.csv }\nvariables:\n  lncap: log(capital)\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'vars');
    writeFileSync(join(dir, 'vars.yaml'), 'data: { source: grunfeld.csv }\nvariables:\n  lncap: log(capital + 1)\n');
    writeFileSync(join(dir, 'extra.yaml'), SPEC.replace('t1:', 't2:'));
    writeFileSync(join(dir, 'base.yaml'), BASE.replace('vcov: cluster(firm)', 'vcov: hc1'));
    const r = await runCli(['diff', '--rev', 'HEAD', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('spec added: extra.yaml');
    expect(r.stdout).toContain('specrun diff HEAD:spec.yaml → spec.yaml');
    expect(r.stdout).toContain('vcov: cluster(firm) → hc1');
    expect(r.stdout).toContain('specrun diff HEAD:base.yaml → base.yaml'); // it declares a model
    expect(r.stdout).not.toContain('vars.yaml');
    const js = JSON.parse((await runCli(['diff', '--rev', 'HEAD', '.', '--format', 'json'], dir)).stdout) as {
      files: { status: string; new: string | null }[];
    };
    expect(js.files.map((f) => [f.status, f.new])).toEqual([
      ['compared', 'base.yaml'],
      ['added', 'extra.yaml'],
      ['compared', 'spec.yaml'],
    ]);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'three');
    rmSync(join(dir, 'spec.yaml'));
    expect((await runCli(['diff', '--rev', 'HEAD', '.'], dir)).stdout).toContain('spec removed: HEAD:spec.yaml');
  });

  it('two folders on disk are paired by file name', async () => {
    const a = repo();
    const b = repo();
    writeFileSync(join(b, 'spec.yaml'), SPEC.replace('lninv ~ value | firm', 'lninv ~ value + capital | firm'));
    const r = await runCli(['diff', a, b], a);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('formula: lninv ~ value | firm → lninv ~ value + capital | firm');
    expect((await runCli(['diff', a, join(b, 'spec.yaml')], a)).code).toBe(2);
  });

  it('a data file that is not in the revision: its content is not compared, and the report says so', async () => {
    const dir = repo();
    git(dir, 'rm', '-q', '--cached', 'grunfeld.csv');
    git(dir, 'commit', '-q', '-m', 'untrack the data');
    const r = await runCli(['diff', '--rev', 'HEAD', 'spec.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no semantic change');
    expect(r.stdout).toContain('note: the data file of the old side could not be read: its content was not compared');
  });

  it('a bad revision, or a spec in neither the revision nor the working tree, exits 2; a new spec is added', async () => {
    const dir = repo();
    expect((await runCli(['diff', '--rev', 'nosuchrev', 'spec.yaml'], dir)).code).toBe(2);
    // A spec in neither the working tree nor the revision.
    const none = await runCli(['diff', '--rev', 'HEAD', 'other.yaml'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('other.yaml exists neither in the working tree nor at HEAD');
    // A spec new since the revision is an added spec (issue 22), with its models and tables.
    writeFileSync(join(dir, 'other.yaml'), SPEC);
    const r = await runCli(['diff', '--rev', 'HEAD', 'other.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/spec added: other\.yaml\n {2}\+ model fe \(ols\): inv ~ value \+ capital \| firm/);
  });

  it('outside a git checkout --rev is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-norepo-'));
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    const r = await runCli(['diff', '--rev', 'HEAD', 'spec.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CLI_USAGE');
  });
});
