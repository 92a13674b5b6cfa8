/**
 * Arrow IPC as a data source and as `specrun data --out FILE.arrow` (issue 19): files written by the Arrow project's
 * own JavaScript implementation (tests/fixtures/arrow/make-independent.mjs) read to the same frame as the same data
 * as CSV, in the file and the stream format; buffers compressed by the reference lz4 and zstd tools decompress to the
 * values they were made from; specrun's own Arrow file reads back to the frame it was written from; only the columns
 * a spec names are read; a spec gives the same results from the .csv and the .arrow of one dataset.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../engine/data/read/index.js';
import { readArrow } from '../../engine/data/read/arrow.js';
import { decompressLz4Frame } from '../../engine/data/read/lz4-frame.js';
import { frameToArrow } from '../../engine/io/write-arrow.js';
import { isText, textColumn, type Frame } from '../../engine/core/frame.js';
import { runCli } from '../helpers/cli.js';
import { check } from '../../engine/run/pipeline.js';
import { createRunContext } from '../../engine/run/context.js';

const root = resolve(__dirname, '../..');
const fixtures = join(root, 'tests', 'fixtures', 'arrow');

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

describe('Arrow IPC input', () => {
  it.each(['independent.arrow', 'independent.arrows'])(
    '%s (Apache Arrow JS: two record batches, dictionary, 8–64-bit integers, Float32, LargeUtf8, dates, timestamps, NULLs) reads as its CSV does',
    async (name) => {
      const ar = await readTable(join(fixtures, name));
      const csv = await readTable(join(fixtures, 'independent.csv'));
      expect(ar.format).toBe('arrow');
      expect(ar.frame.nrows).toBe(24);
      expect(ar.frame.names).toEqual(csv.frame.names);
      expect(cells(ar.frame)).toEqual(cells(csv.frame));
      for (const n of ['year', 'small', 'u16', 'big', 'y', 'x', 'f32', 'flag', 'code'])
        expect(isText(ar.frame.get(n)!), n).toBe(false);
      for (const n of ['unit', 'label', 'when', 'stamp', 'stampus']) expect(isText(ar.frame.get(n)!), n).toBe(true);
      const c = cells(ar.frame);
      expect(c['when']![0]).toBe('2010-01-01');
      expect(c['stampus']![3]).toBe('2010-06-01T00:00:03.000Z');
      expect(c['y']![5]).toBe('NaN');
      expect(c['flag']![4]).toBe('NaN');
      expect(c['flag']![3]).toBe(1);
      expect(c['big']![1]).toBe(1000000007919);
      expect(c['u16']![23]).toBe(60023);
      expect(c['unit']![7]).toBe(null);
      // "NA" in a string column is missing, as in a CSV.
      expect(c['label']![2]).toBe(null);
      expect(ar.nonNumeric.get('unit')).toEqual({ row: 2, line: 2, value: '北京市' });
    },
  );

  it("reads only the columns asked for, in the file's order", async () => {
    const ar = await readTable(join(fixtures, 'independent.arrow'), { columns: new Set(['y', 'unit', 'not_there']) });
    expect(ar.frame.names).toEqual(['unit', 'y']);
    expect(ar.frame.nrows).toBe(24);
  });

  it.each(['lz4.arrow', 'zstd.arrow'])(
    '%s: buffers compressed by the reference tool decompress to the values they were made from',
    async (name) => {
      const ar = await readTable(join(fixtures, name));
      const c = cells(ar.frame);
      const v = ar.frame.get('v') as Float64Array;
      expect(ar.frame.nrows).toBe(20000);
      for (let i = 0; i < 20000; i += 1) {
        if (c['g']![i] !== i % 97) throw new Error(`g[${i}] = ${c['g']![i]}`);
        if (!Object.is(v[i], Math.round(Math.cos(i / 50) * 1e4) / 100)) throw new Error(`v[${i}] = ${v[i]}`);
        if (c['s']![i] !== (i % 13 === 0 ? null : `group-${i % 7}`)) throw new Error(`s[${i}] = ${c['s']![i]}`);
      }
    },
  );

  it('refuses a nested column when asked for it, reads the flat one beside it', async () => {
    const ok = await readTable(join(fixtures, 'nested.arrow'), { columns: new Set(['id']) });
    expect(cells(ok.frame)).toEqual({ id: [1, 2, 3] });
    await expect(readTable(join(fixtures, 'nested.arrow'))).rejects.toMatchObject({
      code: 'DATA_PARSE',
      message: expect.stringMatching(/column tags has the Arrow type List/),
    });
  });

  it("specrun's own Arrow file reads back to the frame it was written from (NaN, ±Infinity, -0, text, integers)", async () => {
    const csv = await readTable(join(root, 'data', 'grunfeld.csv'));
    const extra = new Float64Array([NaN, Infinity, -Infinity, -0, 0.1, 1e300, -2147483649, 3]);
    const text = textColumn(['a', null, 'b, "c"', '北京', 'x', '0x1', 'NA?', 'a']);
    const small = csv.frame
      .take(new Int32Array([0, 1, 2, 3, 4, 5, 6, 7]))
      .with('extra', extra)
      .with('text', text);
    for (const frame of [csv.frame, small]) {
      const bytes = await frameToArrow(frame);
      expect(Buffer.from(bytes.subarray(0, 6)).toString()).toBe('ARROW1');
      const back = await readArrow(bytes, { file: 'x.arrow' });
      expect(back.frame.names).toEqual(frame.names);
      expect(cells(back.frame)).toEqual(cells(frame));
      expect(Buffer.from(await frameToArrow(frame)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('is refused with DATA_PARSE, one line and no stack, when it is not Arrow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-arrow-'));
    writeFileSync(join(dir, 'bad.feather'), 'firm,year\n1,2\n');
    await expect(readTable(join(dir, 'bad.feather'))).rejects.toMatchObject({ code: 'DATA_PARSE' });
    writeFileSync(join(dir, 'v1.feather'), Buffer.from('FEA1\0\0\0\0FEA1'));
    await expect(readTable(join(dir, 'v1.feather'))).rejects.toMatchObject({
      code: 'DATA_PARSE',
      message: expect.stringMatching(/Feather V1/),
    });
    writeFileSync(
      join(dir, 'spec.yaml'),
      'data: { source: bad.feather, unit: firm, time: year }\nmodels:\n  m: { formula: "y ~ x" }\n',
    );
    const r = await runCli(['run', 'spec.yaml', '--out', 'o'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DATA_PARSE');
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('LZ4 frame decoding', () => {
  it('decodes a literal-only block, an uncompressed block and an overlapping match; rejects bad input', () => {
    // Frame header: magic, FLG (version 01, independent blocks), BD (64 KB), header checksum (not verified).
    const header = [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x00];
    const end = [0, 0, 0, 0];
    // Block 1 (compressed): token 0x1f = 1 literal, match length 15+… ; literal 'a', offset 1, extra length 1 → 'a' × 20.
    const block1 = [0x1f, 0x61, 0x01, 0x00, 0x00];
    // Sequence ends with literals only: token 0x10 + 'b'.
    block1.push(0x10, 0x62);
    const size1 = [block1.length, 0, 0, 0];
    // Block 2 stored uncompressed (high bit of the size set): 'xyz'.
    const block2 = [0x03, 0, 0, 0x80, 0x78, 0x79, 0x7a];
    const frame = Uint8Array.from([...header, ...size1, ...block1, ...block2, ...end]);
    const out = Buffer.from(decompressLz4Frame(frame)).toString();
    expect(out).toBe('a'.repeat(20) + 'b' + 'xyz');
    expect(() => decompressLz4Frame(frame, 99)).toThrow(/not the 99/);
    expect(() => decompressLz4Frame(Uint8Array.from([1, 2, 3, 4, 5]))).toThrow(/magic/);
    // An offset reaching before the start of the output.
    const bad = Uint8Array.from([...header, 4, 0, 0, 0, 0x0f, 0x05, 0x00, 0x00, ...end]);
    expect(() => decompressLz4Frame(bad)).toThrow(/offset/);
    expect(() => decompressLz4Frame(frame.subarray(0, frame.length - 6))).toThrow(/truncated/);
  });
});

describe('the same spec from .csv and from .arrow', () => {
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

  it('gives the same results; specrun data --out FILE.arrow writes what reads back as its CSV does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-arrow-'));
    copyFileSync(join(root, 'data', 'grunfeld.csv'), join(dir, 'grunfeld.csv'));
    writeFileSync(join(dir, 'csv.yaml'), spec('grunfeld.csv'));
    const d = await runCli(['data', 'csv.yaml', '--out', 'grunfeld.feather'], dir);
    expect(d.code, d.stderr).toBe(0);
    expect(readFileSync(join(dir, 'grunfeld.feather')).subarray(0, 6).toString()).toBe('ARROW1');
    const d2 = await runCli(['data', 'csv.yaml', '--out', 'derived.csv'], dir);
    expect(d2.code).toBe(0);
    const fromArrow = await readTable(join(dir, 'grunfeld.feather'));
    const fromCsv = await readTable(join(dir, 'derived.csv'));
    expect(cells(fromArrow.frame)).toEqual(cells(fromCsv.frame));
    expect(fromArrow.frame.names).toContain('sample_late');

    writeFileSync(join(dir, 'ar.yaml'), spec('grunfeld.feather'));
    const a = await runCli(['run', 'csv.yaml', '--out', 'o1', '--no-cache'], dir);
    const b = await runCli(['run', 'ar.yaml', '--out', 'o2', '--no-cache'], dir);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const models = (f: string) => JSON.parse(readFileSync(join(dir, f, 'results.json'), 'utf8')).models;
    expect(models('o2')).toEqual(models('o1'));
    const checked = await check(join(dir, 'ar.yaml'), dir, createRunContext());
    expect(checked.columns).toEqual(['firm', 'year', 'inv', 'value', 'capital', 'lninv']);
  });

  it('a spec naming a column the Arrow file lacks gets UNKNOWN_VARIABLE at its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-arrow-'));
    copyFileSync(join(fixtures, 'independent.arrow'), join(dir, 'p.arrow'));
    writeFileSync(
      join(dir, 'spec.yaml'),
      'data: { source: p.arrow, unit: unit, time: year }\nmodels:\n  m: { formula: "y ~ xx + flag" }\n',
    );
    const r = await runCli(['validate', 'spec.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spec\.yaml:3:\d+ UNKNOWN_VARIABLE/);
  });
});
