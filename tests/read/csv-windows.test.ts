// The CSV reader on a file read in windows (readCsvFile, issue 19) gives what it gives on the same bytes held in
// memory (readCsv): the same frame, first non-numeric cells, encoding and errors, with windows far smaller than a
// record, and the SHA-256 of the file's bytes.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, readCsvFile, type CsvOptions } from '../../engine/data/read/csv.js';
import { outcome, randomCsv, rng } from './csv-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'specrun-csv-windows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
/** readCsvFile at several window sizes equals readCsv on the same bytes; the checksum is the bytes' SHA-256. */
function expectSameInWindows(bytes: Uint8Array, opts: CsvOptions, windows = [1, 7, 32, 100, 4096]): void {
  const path = join(dir, `f${fileNo++}.csv`);
  writeFileSync(path, bytes);
  const whole = outcome(() => readCsv(bytes, opts));
  for (const w of windows) {
    let sum = '';
    const got = outcome(() => {
      const r = readCsvFile(path, opts, Infinity, () => new Error('too large'), w);
      sum = r.checksum;
      return r.table;
    });
    expect(got, `window ${w}`).toEqual(whole);
    if (sum) expect(sum).toBe(createHash('sha256').update(bytes).digest('hex'));
  }
}

describe('CSV read in windows (readCsvFile)', () => {
  it('equals the in-memory read on 150 random files (quoted line ends, CRLF, blank lines, late text, windows of 1 byte up)', () => {
    const u = rng(20261130);
    for (let k = 0; k < 150; k++) expectSameInWindows(new TextEncoder().encode(randomCsv(u)), { file: 'r.csv' });
  });

  it('equals the in-memory read for the errors: field counts, an unclosed quote, text after a quote, the header', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    for (const text of [
      'a,b\n1,2\n3\n',
      'a,b\n1,2\n"3,4\n',
      'a,b\n1,"2"x\n',
      'a,a\n1,2\n',
      ',b\n1,2\n',
      '',
      '\n\n',
      'a,b\n1,2\n3,4,5',
    ])
      expectSameInWindows(enc(text), { file: 'bad.csv' });
  });

  it('reads GBK as GB18030 when the first windows were ASCII (the file is read again), as a whole-file check decides', () => {
    const ascii = Array.from({ length: 400 }, (_, i) => `${i},x${i}`).join('\n');
    // 城市 in GBK: not valid UTF-8
    const gbk = Uint8Array.from([0xb3, 0xc7, 0xca, 0xd0]);
    const head = new TextEncoder().encode(`id,name\n${ascii}\n400,`);
    const bytes = new Uint8Array(head.length + gbk.length + 1);
    bytes.set(head);
    bytes.set(gbk, head.length);
    bytes[bytes.length - 1] = 0x0a;
    expectSameInWindows(bytes, { file: 'gbk.csv' }, [32, 1000]);
    expect(readCsv(bytes, { file: 'gbk.csv' }).encoding).toBe('gb18030');
    // with a UTF-8 byte-order mark, auto still strips it first
    const bom = new Uint8Array(bytes.length + 3);
    bom.set([0xef, 0xbb, 0xbf]);
    bom.set(bytes, 3);
    expectSameInWindows(bom, { file: 'gbk.csv' }, [32]);
  });

  it('reads UTF-16, a byte-order mark, a TAB delimiter, custom na strings and a header longer than the window', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\r\n1\t中\r\n2\tx\r\n', 'utf16le')]);
    expectSameInWindows(utf16, { file: 'u16.txt' });
    expectSameInWindows(new TextEncoder().encode('\ufeffa;b\n1;-99\n2;3\n'), { file: 's.csv', na: ['-99'] });
    const long = Array.from({ length: 50 }, (_, j) => `column_${j}`).join('\t');
    expectSameInWindows(new TextEncoder().encode(`${long}\n${'1\t'.repeat(49)}x\n`), {
      file: 't.tsv',
      delimiter: '\t',
    });
  });

  it('stops at the byte limit', () => {
    const path = join(dir, 'limit.csv');
    writeFileSync(path, 'a,b\n' + '1,2\n'.repeat(1000));
    expect(() => readCsvFile(path, { file: 'limit.csv' }, 100, (n) => new Error(`limit at ${n}`), 16)).toThrow(
      /limit at/,
    );
  });
});
