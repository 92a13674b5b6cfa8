// Bad input and edge cases of the describe and correlation estimators and their table layouts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { meanTest, percentile, summarize } from '../../engine/estimate/describe/summary.js';
import { averageRanks, correlate } from '../../engine/estimate/correlation/correlate.js';

const grunfeld = fileURLToPath(new URL('../../data/grunfeld.csv', import.meta.url));

async function run(cmd: 'run' | 'validate', yaml: string, csv?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-describe-in-'));
  if (csv !== undefined) writeFileSync(join(dir, 'd.csv'), csv);
  const source = csv === undefined ? JSON.stringify(grunfeld) : 'd.csv';
  writeFileSync(join(dir, 's.yaml'), `data: { source: ${source}, unit: firm, time: year }\n${yaml}`);
  const r = await runCli(
    cmd === 'run' ? ['run', 's.yaml', '--out', 'out', '--no-cache', '--quiet'] : ['validate', 's.yaml'],
    dir,
  );
  return { ...r, dir };
}

describe('describe/correlation: bad input is reported at its key', () => {
  it('a statistic or a variable a descriptive table cannot show (validate and run)', async () => {
    const yaml =
      'models:\n  a: { estimator: describe, variables: [inv, value] }\ntables:\n  t: { columns: [a], stats: [mean, sdd], keep: [inv, valeu] }\n';
    for (const cmd of ['validate', 'run'] as const) {
      const r = await run(cmd, yaml);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/s\.yaml:5:\d+ TABLE_STAT_UNMATCHED .*sdd/);
      expect(r.stderr).toMatch(/did you mean 'sd'/);
      expect(r.stderr).toMatch(/s\.yaml:5:\d+ TABLE_KEEP_UNMATCHED .*valeu/);
    }
  });
  it('a text column, one variable to correlate, a variable listed twice', async () => {
    const csv =
      'firm,year,inv,name,grp\n1,2000,1.5,a,x\n1,2001,2.5,b,\n2,2000,3,c,y\n2,2001,4,d,y\n3,2000,5,e,\n3,2001,7,f,x\n';
    const text = await run(
      'run',
      'models:\n  a: { estimator: describe, variables: [inv, name] }\ntables:\n  t: { columns: [a] }\n',
      csv,
    );
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/DESCRIBE_TEXT_COLUMN model a: name is a text column/);
    const one = await run('validate', 'models:\n  c: { estimator: correlation, variables: [inv] }\n');
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/s\.yaml:3:\d+ SPEC_CONFLICT a correlation matrix needs at least two variables/);
    const twice = await run('validate', 'models:\n  a: { estimator: describe, variables: [inv, inv] }\n');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/inv is listed twice/);
  });
  it('a test with other than two groups is a warning, and no test column is shown', async () => {
    const r = await run(
      'run',
      'models:\n  a: { estimator: describe, variables: [inv], by: firm }\ntables:\n  t: { columns: [a] }\n',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/DESCRIBE_TEST_GROUPS model a: firm has 10 group\(s\)/);
    const md = readFileSync(join(r.dir, 'out', 't.md'), 'utf8');
    expect(md).not.toMatch(/Difference/);
    expect(
      md
        .split('\n')
        .find((l) => l.startsWith('| Variable'))!
        .split('|').length - 2,
    ).toBe(1 + 10 * 5);
  });
  it('rows where by is missing are counted in a note', async () => {
    const csv = 'firm,year,inv,grp\n1,2000,1.5,x\n1,2001,2.5,\n2,2000,3,y\n2,2001,4,y\n3,2000,5,\n3,2001,7,x\n';
    const r = await run(
      'run',
      'models:\n  a: { estimator: describe, variables: [inv], by: grp }\ntables:\n  t: { columns: [a] }\n',
      csv,
    );
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(r.dir, 'out', 'results.json'), 'utf8'));
    expect(res.models.a.notes.map((n: { message: string }) => n.message)).toContain(
      'model a: 2 row(s) with grp missing belong to no group and are left out',
    );
    expect(res.models.a.detail.groups).toEqual(['x', 'y']);
    const x = res.models.a.detail.cells.find((c: { group: string }) => c.group === 'x');
    expect(x.stats.n).toBe(2);
    expect(x.stats.mean).toBe(4.25);
  });
});

describe('describe/correlation numerics', () => {
  it('percentiles by types 7 and 2 on a small case (R: quantile(1:10, c(.25,.5,.9), type = 7 / 2))', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([0.25, 0.5, 0.9].map((p) => percentile(x, p, 7))).toEqual([3.25, 5.5, 9.1]);
    expect([0.25, 0.5, 0.9].map((p) => percentile(x, p, 2))).toEqual([3, 5.5, 9.5]);
  });
  it('mean and sd without cancellation on values near 1e9; undefined pieces are null', () => {
    const s = summarize(Float64Array.from([1e9 + 1, 1e9 + 2, 1e9 + 3, NaN]), null, 7);
    expect(s.n).toBe(3);
    expect(s.stats.mean).toBe(1e9 + 2);
    expect(s.stats.sd).toBe(1);
    const one = summarize(Float64Array.from([5]), null, 7);
    expect(one.stats.sd).toBeNull();
    expect(meanTest(one, s, 'welch')).toBeNull();
  });
  it('ties take their average rank; a constant variable has no correlation', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(correlate(Float64Array.from([1, 1, 1]), Float64Array.from([1, 2, 3]), null, 'pearson').r).toBeNull();
  });
});
