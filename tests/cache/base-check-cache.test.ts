// The data checks of validate and run kept in .specrun-cache/ (engine/run/base-check.ts, issue 19): a second
// validate reads no data and reports exactly what the first did; a changed data file or spec is checked afresh;
// --no-cache checks afresh.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunContext } from '../../engine/run/context.js';
import { CACHE_DIR } from '../../engine/cache/result-cache.js';
import { runCli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Grunfeld with a unit alias that matches nothing and a fix that changes no cell: two data warnings. */
const SPEC = `title: cached data checks
data:
  source: data.csv
  unit: firm
  time: year
  unit_aliases: { '99': '1' }
  fixes:
    - { column: inv, where: year == 1800, set: 1 }
variables:
  lninv: log(inv)
models:
  fe:
    formula: lninv ~ value + capital | firm
tables:
  t1:
    columns: [fe]
`;

function scratch(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'specrun-base-check-'));
  dirs.push(cwd);
  copyFileSync(join(root, 'data', 'grunfeld.csv'), join(cwd, 'data.csv'));
  writeFileSync(join(cwd, 'spec.yaml'), SPEC);
  return cwd;
}

/** One validate in a new process's context; `built` tells whether the data were read and corrected. */
async function validate(cwd: string, ...flags: string[]) {
  const ctx = createRunContext();
  const r = await runCli(['validate', 'spec.yaml', ...flags], cwd, ctx);
  return { ...r, built: ctx.dataCache.bases.size > 0 };
}

function entries(cwd: string): string[] {
  return readdirSync(join(cwd, CACHE_DIR, 'checks')).sort();
}

describe('cached data checks (validate, run)', () => {
  it('a second validate reads no data and reports the same warnings at the same positions', async () => {
    const cwd = scratch();
    const first = await validate(cwd);
    expect(first.built).toBe(true);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^spec\.yaml:6:19 DATA_ALIAS_UNUSED/m);
    expect(first.stderr).toMatch(/^spec\.yaml:8:\d+ DATA_FIX_UNUSED/m);
    expect(entries(cwd)).toHaveLength(1);
    const second = await validate(cwd);
    expect(second.built).toBe(false);
    expect({ ...second, built: true }).toEqual(first);
    const fresh = await validate(cwd, '--no-cache');
    expect(fresh.built).toBe(true);
    expect({ ...fresh, built: true }).toEqual(first);
  });

  it('a data error comes from the cache as it was found, and a repaired data file is checked afresh', async () => {
    const cwd = scratch();
    const csv = readFileSync(join(cwd, 'data.csv'), 'utf8');
    const [header, ...rest] = csv.split('\n');
    // The header names a column twice (issue 14): an error with the file's line.
    writeFileSync(join(cwd, 'data.csv'), [header!.replace('"capital"', '"value"'), ...rest].join('\n'));
    const broken = await validate(cwd);
    expect(broken.built).toBe(false); // the build failed: nothing memoized
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/DATA_PARSE.*header names column value twice/);
    const again = await validate(cwd);
    expect(again).toEqual(broken);
    writeFileSync(join(cwd, 'data.csv'), csv);
    const repaired = await validate(cwd);
    expect(repaired.built).toBe(true);
    expect(repaired.code).toBe(0);
    expect(entries(cwd)).toHaveLength(2);
  });

  it('a changed data file (same size) or a changed spec is checked afresh', async () => {
    const cwd = scratch();
    await validate(cwd);
    const csv = readFileSync(join(cwd, 'data.csv'), 'utf8');
    // One value changes: the same size, another file.
    writeFileSync(join(cwd, 'data.csv'), csv.replace('\n1,1935,317.6,', '\n1,1935,318.6,'));
    const changed = await validate(cwd);
    expect(changed.built).toBe(true);
    writeFileSync(join(cwd, 'spec.yaml'), SPEC.replace("'99'", "'98'"));
    const edited = await validate(cwd);
    expect(edited.built).toBe(true);
    expect(edited.stderr).toMatch(/DATA_ALIAS_UNUSED unit alias 98 → 1/);
    expect(entries(cwd)).toHaveLength(3);
  });

  it('run uses the check validate stored, and its outputs and messages do not change', async () => {
    const cwd = scratch();
    const cold = await runCli(['run', 'spec.yaml', '--out', 'a', '--quiet'], cwd, createRunContext());
    expect(cold.code).toBe(0);
    await validate(cwd);
    const ctx = createRunContext();
    const warm = await runCli(['run', 'spec.yaml', '--out', 'b', '--quiet'], cwd, ctx);
    expect(warm).toEqual(cold);
    // Every model and the data summary were cached too: no data were read at all.
    expect(ctx.dataCache.bases.size).toBe(0);
    for (const f of readdirSync(join(cwd, 'a')))
      expect(readFileSync(join(cwd, 'b', f), 'utf8')).toBe(readFileSync(join(cwd, 'a', f), 'utf8'));
  });
});
