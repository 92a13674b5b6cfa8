import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readXlsx, columnLetter } from '../../engine/data/read/xlsx.js';
import type { Column } from '../../engine/core/frame.js';
import { errorOfAsync as errorOf } from '../helpers/errors.js';

const fx = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'read', name));

function cells(c: Column | undefined): (number | string | null)[] {
  if (!c) throw new Error('no such column');
  if (c instanceof Float64Array) return [...c].map((v) => (Number.isNaN(v) ? null : v));
  return [...c.codes].map((k) => (k < 0 ? null : c.levels[k]!));
}

async function workbook(rows: unknown[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('readXlsx', () => {
  it('reads the first sheet by default, with Chinese headers and every kind of cell', async () => {
    const t = await readXlsx(fx('two-sheets.xlsx'), { file: 'w.xlsx' });
    expect(t.sheet).toBe('城市');
    expect(t.format).toBe('xlsx');
    expect(t.frame.names).toEqual(['城市', '年份', '人口', '人均GDP', '是否中心', '统计日期', '备注']);
    expect(t.frame.nrows).toBe(3); // the empty row 5 is not a record
    expect(cells(t.frame.get('城市'))).toEqual(['北京市', '天津市', '石家庄市']);
    expect(cells(t.frame.get('年份'))).toEqual([2008, 2008, 2008]);
    // '1176' is a number stored as text; 'NA' is missing.
    expect(cells(t.frame.get('人口'))).toEqual([1695, 1176, null]);
    // A formula gives its saved result; #DIV/0! is missing and counted in the notes.
    expect(cells(t.frame.get('人均GDP'))).toEqual([3390, null, 2.25]);
    expect(t.notes.map((n) => n.code)).toEqual(['DATA_VALUE_MISSING']);
    expect(t.notes[0]!.message).toContain('人均GDP: 1 row(s) missing');
    expect(cells(t.frame.get('是否中心'))).toEqual([1, 0, 0]);
    // Dates are ISO text, so the column is text with its first cell reported.
    expect(cells(t.frame.get('统计日期'))).toEqual(['2008-12-31', '2008-12-31', '2008-12-31T12:30:00Z']);
    expect(t.nonNumeric.get('统计日期')).toEqual({ row: 2, line: 2, value: '2008-12-31' });
    expect(cells(t.frame.get('备注'))).toEqual(['ok', null, 'x']);
    expect(t.nonNumeric.has('人口')).toBe(false);
  });

  it('reads from a path as from bytes', async () => {
    const t = await readXlsx(join(__dirname, '..', 'fixtures', 'read', 'two-sheets.xlsx'), {
      file: 'w.xlsx',
      sheet: '省份',
    });
    expect(cells(t.frame.get('省份'))).toEqual(['河北省', '湖北省']);
    const e = await errorOf(() => readXlsx(join(__dirname, 'nope.xlsx'), { file: 'nope.xlsx' }));
    expect(e.code).toBe('DATA_NOT_FOUND');
  });

  it('reads a named sheet', async () => {
    const t = await readXlsx(fx('two-sheets.xlsx'), { file: 'w.xlsx', sheet: '省份' });
    expect(t.sheet).toBe('省份');
    expect(t.frame.names).toEqual(['省份', '人口']);
    expect(cells(t.frame.get('人口'))).toEqual([7034.4, 5711]);
  });

  it('an unknown sheet is an error that lists the sheets', async () => {
    const e = await errorOf(() => readXlsx(fx('two-sheets.xlsx'), { file: 'w.xlsx', sheet: 'Sheet1' }));
    expect(e.code).toBe('DATA_UNKNOWN_SHEET');
    expect(e.args).toEqual({ file: 'w.xlsx', sheet: 'Sheet1', known: '城市, 省份' });
  });

  it('custom na strings apply to text and to numbers', async () => {
    const t = await readXlsx(
      await workbook([
        ['a', 'b'],
        [-99, '缺失'],
        [1, 2],
      ]),
      { file: 'w.xlsx', na: ['-99', '缺失'] },
    );
    expect(cells(t.frame.get('a'))).toEqual([null, 1]);
    expect(cells(t.frame.get('b'))).toEqual([null, 2]);
  });

  it('reports the sheet row of the first non-number', async () => {
    const t = await readXlsx(await workbook([['g'], [1], [], [2], ['n/a']]), { file: 'w.xlsx' });
    expect(cells(t.frame.get('g'))).toEqual(['1', '2', 'n/a']);
    expect(t.nonNumeric.get('g')).toEqual({ row: 5, line: 5, value: 'n/a' });
  });

  it('header errors: duplicate, empty, a value under no header, an empty header row', async () => {
    const dup = await errorOf(async () =>
      readXlsx(
        await workbook([
          ['a', 'b', 'a'],
          [1, 2, 3],
        ]),
        { file: 'w.xlsx' },
      ),
    );
    expect(dup.code).toBe('DATA_PARSE');
    expect(String(dup.args.detail)).toContain('A1 and C1');
    const empty = await errorOf(async () =>
      readXlsx(
        await workbook([
          ['a', null, 'c'],
          [1, 2, 3],
        ]),
        { file: 'w.xlsx' },
      ),
    );
    expect(String(empty.args.detail)).toContain('B1 has no name');
    const stray = await errorOf(async () =>
      readXlsx(
        await workbook([
          ['a', 'b'],
          [1, 2, 'x'],
        ]),
        { file: 'w.xlsx' },
      ),
    );
    expect(String(stray.args.detail)).toContain('C2');
    const none = await errorOf(async () => readXlsx(await workbook([[], [1]]), { file: 'w.xlsx' }));
    expect(String(none.args.detail)).toContain('header');
  });

  it('bytes that are not a workbook → DATA_PARSE', async () => {
    const e = await errorOf(() => readXlsx(new TextEncoder().encode('a,b\n1,2\n'), { file: 'fake.xlsx' }));
    expect(e.code).toBe('DATA_PARSE');
    expect(e.args.file).toBe('fake.xlsx');
  });

  it('column letters', () => {
    expect([1, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});
