import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readTable, formatOf } from '../../engine/data/read/index.js';
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { errorOfAsync as errorOf } from '../helpers/errors.js';

const fixtures = join(__dirname, '..', 'fixtures', 'read');

describe('readTable', () => {
  it('dispatches on the extension', async () => {
    const csv = await readTable(join(fixtures, 'utf8-bom.csv'));
    expect(csv.format).toBe('csv');
    expect(csv.frame.names).toEqual(['city', 'year', 'gdp']);
    const xlsx = await readTable(join(fixtures, 'two-sheets.xlsx'), { sheet: '省份' });
    expect(xlsx.format).toBe('xlsx');
    expect(xlsx.frame.names).toEqual(['省份', '人口']);
    const dir = mkdtempSync(join(tmpdir(), 'specrun-read-'));
    copyFileSync(join(fixtures, 'gbk-chinese.csv'), join(dir, 'EXPORT.TXT'));
    const txt = await readTable(join(dir, 'EXPORT.TXT'));
    expect(txt.encoding).toBe('gb18030');
    expect(txt.frame.nrows).toBe(5);
    writeFileSync(join(dir, 'x.tsv'), 'a;b\tc\n1;2\t3\n');
    const tsv = await readTable(join(dir, 'x.tsv'));
    expect(tsv.frame.names).toEqual(['a;b', 'c']);
  });

  it('reads gzipped CSV and TSV, and rejects a broken or unsupported .gz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-read-'));
    writeFileSync(join(dir, 'p.csv.gz'), gzipSync(readFileSync(join(fixtures, 'gbk-chinese.csv'))));
    const t = await readTable(join(dir, 'p.csv.gz'));
    expect(t.encoding).toBe('gb18030');
    expect(t.frame.names[0]).toBe('城市');
    expect(t.frame.nrows).toBe(5);
    writeFileSync(join(dir, 'p.tsv.gz'), gzipSync('a,b\tc\n1\t2\n'));
    expect((await readTable(join(dir, 'p.tsv.gz'))).frame.names).toEqual(['a,b', 'c']);
    writeFileSync(join(dir, 'bad.csv.gz'), 'not gzip');
    const e = await errorOf(() => readTable(join(dir, 'bad.csv.gz'), { file: 'bad.csv.gz' }));
    expect(e.code).toBe('DATA_PARSE');
    const u = await errorOf(() => readTable(join(dir, 'w.xlsx.gz'), { file: 'w.xlsx.gz' }));
    expect(u.code).toBe('DATA_UNSUPPORTED_FORMAT');
    expect(u.args.ext).toBe('.xlsx.gz');
  });

  it('uses the bytes it is given instead of reading the file', async () => {
    const t = await readTable('/nonexistent/data.csv', { file: 'data.csv', bytes: new TextEncoder().encode('q\n1\n') });
    expect(t.frame.names).toEqual(['q']);
  });

  it('passes encoding and na through to the CSV reader', async () => {
    const bytes = readFileSync(join(fixtures, 'non-numeric.csv'));
    const t = await readTable('x.csv', { bytes, na: ['n/a'] });
    expect(t.frame.get('gdp')).toBeInstanceOf(Float64Array);
    const e = await errorOf(() => readTable(join(fixtures, 'gbk-chinese.csv'), { encoding: 'utf-8', file: 'g.csv' }));
    expect(e.code).toBe('DATA_ENCODING');
  });

  it('an unsupported extension or a missing file is a clear error', async () => {
    const e = await errorOf(() => readTable('data/old.xls', { file: 'old.xls' }));
    expect(e.code).toBe('DATA_UNSUPPORTED_FORMAT');
    expect(e.args).toEqual({ file: 'old.xls', ext: '.xls' });
    expect(() => formatOf('data/noext')).toThrow(SpecrunError);
    const m = await errorOf(() => readTable(join(fixtures, 'missing.csv'), { file: 'missing.csv' }));
    expect(m.code).toBe('DATA_NOT_FOUND');
    expect(m.args).toEqual({ file: 'missing.csv', reason: 'no such file' });
    const dir = mkdtempSync(join(tmpdir(), 'specrun-read-'));
    mkdirSync(join(dir, 'folder.csv'));
    const d = await errorOf(() => readTable(join(dir, 'folder.csv'), { file: 'folder.csv' }));
    expect(d.code).toBe('DATA_NOT_FOUND');
    expect(d.args.reason).toBe('it is a folder, not a regular file');
  });
});
