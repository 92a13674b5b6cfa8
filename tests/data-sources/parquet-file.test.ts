/**
 * Parquet read from disk and written to disk without holding the file (issue 19, the 10⁸-row case): the reader by
 * row groups (readParquetFile) gives what the in-memory reader gives, and the file writer (writeParquetFile, flushing
 * as it goes) writes the bytes the in-memory writer makes, and nothing when it fails.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readParquetStreamed } from '../../engine/data/read/index.js';
import {
  parquetColumnNames,
  parquetFileColumnNames,
  readParquet,
  readParquetFile,
} from '../../engine/data/read/parquet.js';
import { frameToParquet, writeParquetFile } from '../../engine/io/write-parquet.js';
import { Frame, textColumn } from '../../engine/core/frame.js';

const fixtures = resolve(__dirname, '../fixtures/parquet');

function frame(n: number): Frame {
  const id = new Float64Array(n);
  const x = new Float64Array(n);
  const names: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    id[i] = i % 97;
    x[i] = i % 13 === 0 ? NaN : Math.sin(i) * 1e3;
    names.push(i % 11 === 0 ? null : `n${i % 7}`);
  }
  return new Frame(n, [
    ['id', id],
    ['x', x],
    ['name', textColumn(names)],
  ]);
}

describe('Parquet files on disk', () => {
  it('reads by row groups what the in-memory reader reads (independent file: ZSTD, two row groups, NULLs)', async () => {
    const path = join(fixtures, 'independent.parquet');
    const bytes = readFileSync(path);
    const whole = await readParquet(bytes, { file: 'f' });
    const byGroups = await readParquetFile(path, { file: 'f' });
    expect(byGroups).toEqual(whole);
    const some = new Set(['c_int32', 'c_string', 'nope']);
    expect(await readParquetFile(path, { file: 'f', columns: some })).toEqual(
      await readParquet(bytes, { file: 'f', columns: some }),
    );
    expect(await parquetFileColumnNames(path, 'f')).toEqual(await parquetColumnNames(bytes, 'f'));
    const streamed = await readParquetStreamed(path);
    expect(streamed!.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('writes to a file, in pieces, the bytes the in-memory writer makes, with many row groups', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-pq-file-'));
    const f = frame(120_000);
    const expected = await frameToParquet(f);
    for (const chunk of [4096, 1 << 20]) {
      const out = join(dir, `f${chunk}.parquet`);
      await writeParquetFile(out, f, f.names, chunk);
      expect(Buffer.compare(readFileSync(out), Buffer.from(expected))).toBe(0);
    }
    const back = await readParquetFile(join(dir, 'f4096.parquet'), { file: 'f' });
    expect(back).toEqual(await readParquet(expected, { file: 'f' }));
    expect(back.frame.nrows).toBe(120_000);
  });

  it('leaves nothing behind when it cannot write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-pq-fail-'));
    const f = frame(10);
    // a column that is not in the frame fails inside the writer, after the temporary file was opened
    await expect(writeParquetFile(join(dir, 'x.parquet'), f, ['id', 'missing'])).rejects.toThrow();
    expect(existsSync(join(dir, 'x.parquet'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
