// A large CSV read on two threads (csv.ts `readCsvFileParallel`, issue 19) gives exactly what one thread gives
// (readCsv on the same bytes): the same frame bit for bit, text levels in the same order, the same first non-numeric
// cells, encoding, errors and SHA-256. The second thread's part is used only when it is what one thread would have
// read (`parts: 2`); a quoted line end across the split, a column that turns text in the second part, an error or a
// byte of another encoding there make it read on one thread (no `parts`), with the same outcome.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, readCsvFileParallel, type CsvFileRead, type CsvOptions } from '../../engine/data/read/csv.js';
import { outcome, randomCsv, rng } from './csv-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'specrun-csv-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The raw bytes of every numeric column (outcome compares values; -0 and the NaN payloads need the bits). */
function bits(t: ReturnType<typeof readCsv>): string[] {
  return t.frame.names.map((n) => {
    const c = t.frame.get(n)!;
    return c instanceof Float64Array ? Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('hex') : 'text';
  });
}

let fileNo = 0;
/**
 * readCsvFileParallel (every size counts as large) at several window sizes equals readCsv on the same bytes; the
 * checksum is the bytes' SHA-256. Returns how many of the reads used two threads.
 */
async function expectSameOnTwoThreads(
  bytes: Uint8Array,
  opts: CsvOptions,
  windows = [16, 256, 1 << 16],
): Promise<number> {
  const path = join(dir, `f${fileNo++}.csv`);
  writeFileSync(path, bytes);
  const whole = outcome(() => readCsv(bytes, opts));
  const wholeBits = (() => {
    try {
      return bits(readCsv(bytes, opts));
    } catch {
      return null;
    }
  })();
  let two = 0;
  for (const w of windows) {
    let r: CsvFileRead | null = null;
    let err: unknown = null;
    try {
      r = await readCsvFileParallel(path, opts, Infinity, () => new Error('too large'), 2, 0, w);
    } catch (e) {
      err = e;
    }
    const got = outcome(() => {
      if (err) throw err;
      return r!.table;
    });
    expect(got, `window ${w}`).toEqual(whole);
    if (r) {
      expect(bits(r.table), `window ${w}`).toEqual(wholeBits);
      expect(r.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
      if (r.parts === 2) two++;
    }
  }
  return two;
}

/** A numeric panel with a text column: `rows` rows, ids repeating, some missing cells. */
function panel(rows: number, eol = '\n'): string {
  const u = rng(rows);
  const lines = ['id,city,y,x'];
  for (let i = 0; i < rows; i++) {
    const city = u() < 0.1 ? 'NA' : `c${Math.floor(u() * 30)}`;
    const y = u() < 0.05 ? '' : (u() * 100 - 50).toFixed(Math.floor(u() * 4));
    lines.push(`${Math.floor(i / 10)},${city},${y},${i % 3 === 0 ? '-0' : (u() * 3).toFixed(6)}`);
  }
  return lines.join(eol) + eol;
}

describe('CSV read on two threads (readCsvFileParallel)', () => {
  it('reads a numeric panel with a text column in two parts, the same bits, levels and checksum as one thread', async () => {
    expect(await expectSameOnTwoThreads(enc(panel(500)), { file: 'p.csv' })).toBe(3);
    expect(await expectSameOnTwoThreads(enc(panel(300, '\r\n')), { file: 'p.csv' })).toBe(3);
    // new levels first seen in the second part come after the first part's, in order of first appearance
    const text = `k,v\n${Array.from({ length: 200 }, (_, i) => `${i < 100 ? 'a' : i % 2 ? 'z' : 'b'},${i}`).join('\n')}\n`;
    expect(await expectSameOnTwoThreads(enc(text), { file: 'l.csv' })).toBe(3);
    const t = readCsv(enc(text), { file: 'l.csv' }).frame.get('k')!;
    expect(t instanceof Float64Array ? null : t.levels).toEqual(['a', 'b', 'z']);
  });

  it('equals one thread on 60 random files (quoted line ends, CRLF, blank lines, late text, missing cells)', async () => {
    const u = rng(1130);
    let two = 0;
    for (let k = 0; k < 60; k++)
      two += await expectSameOnTwoThreads(enc(randomCsv(u, 400)), { file: 'r.csv' }, [64, 4096]);
    // most of them are read in two parts (the others: a quoted line end across the split, text only in one part)
    expect(two).toBeGreaterThan(20);
  });

  it('reads on one thread when a quoted line end crosses the split, with the same outcome', async () => {
    // rows 30 … 99 after a quoted field of many lines that holds the bytes from ≈ 20% to ≈ 60% of the file: the line
    // end just past 40% of the records is inside it
    const rows = Array.from({ length: 100 }, (_, i) => `${i},"t${i}"`);
    const before = rows.slice(0, 30).join('\n');
    const after = rows.slice(30).join('\n');
    const field = 'w\n'.repeat(Math.ceil((before.length + after.length) / 2));
    const bytes = enc(`a,b\n${before}\n777,"${field}"\n${after}\n`);
    expect(await expectSameOnTwoThreads(bytes, { file: 'q.csv' })).toBe(0);
    expect(readCsv(bytes, { file: 'q.csv' }).frame.nrows).toBe(101);
  });

  it('reads on one thread when a column turns text in the second part, with the same outcome', async () => {
    const lines = ['a,b', ...Array.from({ length: 200 }, (_, i) => `${i},${i < 150 ? i * 0.5 : `n${i}`}`)];
    expect(await expectSameOnTwoThreads(enc(`${lines.join('\n')}\n`), { file: 't.csv' })).toBe(0);
  });

  it('reports an error of either part as one thread does (the same message and line)', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${i}`);
    for (const bad of [20, 180]) {
      const r = [...rows];
      r[bad] = `${bad},${bad},extra`;
      const bytes = enc(`a,b\n${r.join('\n')}\n`);
      await expectSameOnTwoThreads(bytes, { file: 'e.csv' });
      const path = join(dir, `e${bad}.csv`);
      writeFileSync(path, bytes);
      await expect(readCsvFileParallel(path, { file: 'e.csv' }, Infinity, () => new Error('x'), 2, 0)).rejects.toThrow(
        `line ${bad + 2} has 3 field(s)`,
      );
    }
    // an unclosed quote in the second part
    await expectSameOnTwoThreads(enc(`a,b\n${rows.join('\n')}\n1,"open\n`), { file: 'u.csv' });
  });

  it('reads GBK as GB18030 when only the second part is not UTF-8, as one thread does', async () => {
    const ascii = Array.from({ length: 400 }, (_, i) => `${i},x${i}`).join('\n');
    const gbk = Uint8Array.from([0xb3, 0xc7, 0xca, 0xd0]); // 城市
    const head = enc(`id,name\n${ascii}\n400,`);
    const bytes = new Uint8Array(head.length + gbk.length + 1);
    bytes.set(head);
    bytes.set(gbk, head.length);
    bytes[bytes.length - 1] = 0x0a;
    expect(await expectSameOnTwoThreads(bytes, { file: 'gbk.csv' }, [32, 1000])).toBe(0);
    expect(readCsv(bytes, { file: 'gbk.csv' }).encoding).toBe('gb18030');
  });

  it('takes na strings, a byte-order mark, a TAB delimiter and doubled quotes in text levels of both parts', async () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `${i % 7 === 0 ? '-99' : i}\t"q""${i % 5}"\t${i % 11 ? 'x' : 'NA'}`,
    );
    const bytes = enc(`\ufeffa\tb\tc\n${rows.join('\n')}\n`);
    expect(await expectSameOnTwoThreads(bytes, { file: 't.tsv', na: ['-99', 'NA'], delimiter: '\t' })).toBe(3);
  });

  it('copies the second part when the first thread made too little room for it, with the same outcome', async () => {
    // long lines first, short ones after: the rows are estimated from lines sampled at 8 places (half of them long),
    // so the first thread's columns (≈ 6,000 rows) have no room for the second part's 100,000
    const long = Array.from({ length: 1000 }, (_, i) => `${i},${'x'.repeat(2000)}`);
    const short = Array.from({ length: 100_000 }, (_, i) => `${i},y${i % 9}`);
    const bytes = enc(`a,b\n${long.join('\n')}\n${short.join('\n')}\n`);
    const path = join(dir, 'room.csv');
    writeFileSync(path, bytes);
    const r = await readCsvFileParallel(path, { file: 'room.csv' }, Infinity, () => new Error('x'), 2, 0);
    expect(r.parts).toBe(2);
    expect(r.copied).toBe(true);
    expect(outcome(() => r.table)).toEqual(outcome(() => readCsv(bytes, { file: 'room.csv' })));
    // and written in place otherwise
    expect(
      (await readCsvFileParallel(join(dir, 'f0.csv'), { file: 'p.csv' }, Infinity, () => new Error('x'), 2, 0)).copied,
    ).toBeUndefined();
  });

  it('reads on one thread below the size threshold or with one thread', async () => {
    const path = join(dir, 'small.csv');
    writeFileSync(path, panel(100));
    const tooLarge = () => new Error('x');
    expect((await readCsvFileParallel(path, { file: 's.csv' }, Infinity, tooLarge, 2)).parts).toBeUndefined();
    expect((await readCsvFileParallel(path, { file: 's.csv' }, Infinity, tooLarge, 1, 0)).parts).toBeUndefined();
    expect((await readCsvFileParallel(path, { file: 's.csv' }, Infinity, tooLarge, 2, 0)).parts).toBe(2);
  });
});
