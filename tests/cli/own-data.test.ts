/** Pointing data.source at one's own yearbook export: GBK CSV and XLSX with Chinese headers, renamed and rescaled. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = fileURLToPath(new URL('../fixtures/own-data', import.meta.url));

function readCsvRows(path: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i]!, v])));
}

describe('own data', () => {
  it('reads a GBK CSV with Chinese headers, renames and rescales on load', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'specrun-own-')), 'd.csv');
    const r = await runCli(['data', 'gbk.yaml', '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsvRows(out);
    const beijing = rows.find((x) => x['city'] === '北京市')!;
    expect(Number(beijing['gdp'])).toBeCloseTo(11115, 9);
    expect(Number(beijing['gdp_pc'])).toBeCloseTo(11115 / 1695, 12);
    expect(beijing['agglomeration']).toBe('京津冀');
    expect(rows.find((x) => x['city'] === '石家庄市')!['gdp_pc']).toBe('');
  });

  it('reads a named sheet of an .xlsx', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'specrun-own-')), 'd.csv');
    const r = await runCli(['data', 'xlsx.yaml', '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsvRows(out);
    expect(rows.map((x) => [x['city'], x['pop2']])).toEqual([
      ['北京市', '3390'],
      ['天津市', '2352'],
      ['石家庄市', ''],
    ]);
  });

  it('a rename from a header that is not there is an error at the rename key, with the nearest headers', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'specrun-own-')), 'd.csv');
    const r = await runCli(['data', 'bad-rename.yaml', '--out', out], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad-rename\.yaml:3:23 DATA_MISSING_COLUMN column 年末人口 is not in/m);
  });
});
