/**
 * Parquet as a data source and as `specrun data --out FILE.parquet` (issue 19): a file written by an independent
 * implementation (parquet-wasm, arrow-rs; tests/fixtures/parquet/make-independent.mjs) reads to the same frame as the
 * same data as CSV; specrun's own Parquet reads back to the frame it was written from; only the columns a spec names
 * are read; a spec gives the same results from the .csv and the .parquet of one dataset.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../engine/data/read/index.js';
import { readParquet } from '../../engine/data/read/parquet.js';
import { frameToParquet } from '../../engine/io/write-parquet.js';
import { isText, textColumn, type Frame } from '../../engine/core/frame.js';
import { runCli } from '../helpers/cli.js';
import { check } from '../../engine/run/pipeline.js';
import { createRunContext } from '../../engine/run/context.js';

const root = resolve(__dirname, '../..');
const fixtures = join(root, 'tests', 'fixtures', 'parquet');

/** Each column as plain values (numbers, text or null), so that frames compare cell by cell. */
function cells(frame: Frame): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of frame.names) {
    const c = frame.get(name)!;
    out[name] = isText(c)
      ? Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]))
      : Array.from(c, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v));
  }
  return out;
}

describe('Parquet input', () => {
  it('a file written by parquet-wasm (ZSTD, two row groups, dictionary strings, NULLs) reads as its CSV does', async () => {
    const pq = await readTable(join(fixtures, 'independent.parquet'));
    const csv = await readTable(join(fixtures, 'independent.csv'));
    expect(pq.format).toBe('parquet');
    expect(pq.frame.nrows).toBe(24);
    expect(pq.frame.names).toEqual(csv.frame.names);
    expect(cells(pq.frame)).toEqual(cells(csv.frame));
    // Types as the CSV reader gives them: numbers (INT32, INT64, DOUBLE, BOOLEAN as 1/0, digit strings), text
    // (strings, DATE as YYYY-MM-DD, TIMESTAMP as ISO 8601), NULL missing.
    for (const n of ['year', 'big', 'y', 'x', 'flag', 'code']) expect(isText(pq.frame.get(n)!), n).toBe(false);
    for (const n of ['unit', 'when', 'stamp']) expect(isText(pq.frame.get(n)!), n).toBe(true);
    expect(cells(pq.frame)['when']![0]).toBe('2010-01-01');
    expect(cells(pq.frame)['y']![5]).toBe('NaN');
    expect(cells(pq.frame)['big']![1]).toBe(1000000007919);
    expect(pq.nonNumeric.get('unit')).toEqual({ row: 2, line: 2, value: '北京市' });
  });

  it("reads only the columns asked for, in the file's order", async () => {
    const pq = await readTable(join(fixtures, 'independent.parquet'), { columns: new Set(['y', 'unit', 'not_there']) });
    expect(pq.frame.names).toEqual(['unit', 'y']);
    expect(pq.frame.nrows).toBe(24);
  });

  it("specrun's own Parquet reads back to the frame it was written from (NaN, ±Infinity, -0, text, integers)", async () => {
    const csv = await readTable(join(root, 'data', 'grunfeld.csv'));
    const extra = new Float64Array([NaN, Infinity, -Infinity, -0, 0.1, 1e300, -2147483649, 3]);
    const text = textColumn(['a', null, 'b, "c"', '北京', '', '0x1', 'NA?', 'a']);
    const small = csv.frame
      .take(new Int32Array([0, 1, 2, 3, 4, 5, 6, 7]))
      .with('extra', extra)
      .with('text', text);
    for (const frame of [csv.frame, small]) {
      const bytes = await frameToParquet(frame);
      const back = await readParquet(bytes, { file: 'x.parquet' });
      expect(back.frame.names).toEqual(frame.names);
      expect(cells(back.frame)).toEqual(cells(frame));
      // Deterministic bytes.
      expect(Buffer.from(await frameToParquet(frame)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('is refused with DATA_PARSE when it is not Parquet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-pq-'));
    writeFileSync(join(dir, 'bad.parquet'), 'firm,year\n1,2\n');
    await expect(readTable(join(dir, 'bad.parquet'))).rejects.toMatchObject({ code: 'DATA_PARSE' });
    writeFileSync(
      join(dir, 'spec.yaml'),
      'data: { source: bad.parquet, unit: firm, time: year }\nmodels:\n  m: { formula: "y ~ x" }\n',
    );
    const r = await runCli(['run', 'spec.yaml', '--out', 'o'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DATA_PARSE');
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('the same spec from .csv and from .parquet', () => {
  const spec = (source: string) =>
    [
      `data: { source: ${source}, unit: firm, time: year }`,
      'variables:',
      '  lninv: log(inv)',
      'samples:',
      '  late: year > 1945',
      'models:',
      '  fe: { formula: "lninv ~ value + capital | firm + year", vcov: cluster(firm) }',
      '  late: { formula: "inv ~ value + capital | firm", sample: late, vcov: hc1 }',
      '',
    ].join('\n');

  it('gives the same results; specrun data --out FILE.parquet writes what reads back as its CSV does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-pq-'));
    copyFileSync(join(root, 'data', 'grunfeld.csv'), join(dir, 'grunfeld.csv'));
    writeFileSync(join(dir, 'csv.yaml'), spec('grunfeld.csv'));
    // The CSV converted once by specrun itself.
    const d = await runCli(['data', 'csv.yaml', '--out', 'grunfeld.parquet'], dir);
    expect(d.code, d.stderr).toBe(0);
    expect(readFileSync(join(dir, 'grunfeld.parquet')).subarray(0, 4).toString()).toBe('PAR1');
    const d2 = await runCli(['data', 'csv.yaml', '--out', 'derived.csv'], dir);
    expect(d2.code).toBe(0);
    const fromParquet = await readTable(join(dir, 'grunfeld.parquet'));
    const fromCsv = await readTable(join(dir, 'derived.csv'));
    expect(cells(fromParquet.frame)).toEqual(cells(fromCsv.frame));
    expect(fromParquet.frame.names).toContain('lninv');
    expect(fromParquet.frame.names).toContain('sample_late');

    writeFileSync(join(dir, 'pq.yaml'), spec('grunfeld.parquet'));
    const a = await runCli(['run', 'csv.yaml', '--out', 'o1', '--no-cache'], dir);
    const b = await runCli(['run', 'pq.yaml', '--out', 'o2', '--no-cache'], dir);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const models = (f: string) => JSON.parse(readFileSync(join(dir, f, 'results.json'), 'utf8')).models;
    expect(models('o2')).toEqual(models('o1'));
    // Only the columns the spec names were read: the file's sample_late column was not.
    const checked = await check(join(dir, 'pq.yaml'), dir, createRunContext());
    expect(checked.columns).toEqual(['firm', 'year', 'inv', 'value', 'capital', 'lninv']);
    expect((await readTable(join(dir, 'grunfeld.parquet'))).frame.names).toContain('sample_late');
  });

  it('a spec naming a column the Parquet file lacks gets UNKNOWN_VARIABLE at its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-pq-'));
    copyFileSync(join(fixtures, 'independent.parquet'), join(dir, 'p.parquet'));
    writeFileSync(
      join(dir, 'spec.yaml'),
      'data: { source: p.parquet, unit: unit, time: year }\nmodels:\n  m: { formula: "y ~ xx + flag" }\n',
    );
    const r = await runCli(['validate', 'spec.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spec\.yaml:3:\d+ UNKNOWN_VARIABLE/);
  });
});
