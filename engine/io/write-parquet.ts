/**
 * Frame → Parquet (`specrun data --out FILE.parquet`, issue 19), with hyparquet-writer (pure JavaScript, loaded only
 * here). specrun's Parquet reader (engine/data/read/parquet.ts) reads the file back to the same frame:
 * - a numeric column whose values are all integers within ±2³¹ is INT32, any other numeric column DOUBLE; NaN is
 *   NULL (missing), ±Infinity stay IEEE values in a DOUBLE column;
 * - a text column is a UTF-8 STRING column, missing cells NULL;
 * - a column without missing values is REQUIRED (no definition levels), others OPTIONAL.
 * Pages are PLAIN-encoded and UNCOMPRESSED, without statistics: hyparquet's Snappy compression and decompression in
 * JavaScript cost ~7× the time of writing and reading the plain bytes (10⁶ rows × 4 columns: 9.8 s against 1.4 s
 * to write, 1.0 s against 0.06 s to read, on the shared 2-core machine), for a file ~35% smaller.
 * Deterministic: the same frame always gives the same bytes.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { isText, type Column, type Frame } from '../core/frame.js';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { reasonOf, syncDir } from './atomic-write.js';

const OPTIONS = { codec: 'UNCOMPRESSED', statistics: false, createdBy: 'specrun' } as const;

/** The frame (or the named columns, in that order) as Parquet bytes. */
export async function frameToParquet(frame: Frame, columns: readonly string[] = frame.names): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const columnData = columns.map((name) => columnSource(name, frame.get(name)!));
  const buffer = parquetWriteBuffer({ columnData, ...OPTIONS });
  return new Uint8Array(buffer);
}

/**
 * The same bytes written to `path` as they are made, 8 MiB at a time (a 10⁸-row frame is several GB of Parquet,
 * more than one buffer holds), whole or not at all as engine/io/atomic-write.ts does it: a temporary file beside
 * the target, flushed, then renamed over it; on any failure the temporary file is removed.
 */
export async function writeParquetFile(
  path: string,
  frame: Frame,
  columns: readonly string[] = frame.names,
  chunk = 8 << 20,
): Promise<void> {
  const { parquetWrite, ByteWriter } = await import('hyparquet-writer');
  const target = resolve(path);
  const dir = dirname(target);
  const temp = `${dir}/.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let fd: number;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(temp, 'wx', 0o644);
  } catch (e) {
    throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir, reason: reasonOf(e) });
  }
  try {
    const writer = new ByteWriter(1 << 20);
    const flush = () => {
      const bytes = new Uint8Array(writer.buffer, 0, writer.index);
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      writer.index = 0;
    };
    // ByteWriter's own growth, after writing out what it holds once past 8 MiB (`offset` keeps counting the whole
    // file, so the footer's offsets are those of parquetWriteBuffer's bytes).
    const grow = writer.ensure.bind(writer);
    writer.ensure = (size: number) => {
      if (writer.index > chunk) flush();
      grow(size);
    };
    writer.finish = flush;
    const columnData = columns.map((name) => columnSource(name, frame.get(name)!));
    await parquetWrite({ writer, columnData, ...OPTIONS });
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* closed already */
    }
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
    if (e instanceof SpecrunError) throw e;
    throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir, reason: reasonOf(e) });
  }
  syncDir(dir);
}

type Source = Parameters<typeof import('hyparquet-writer')['parquetWriteBuffer']>[0]['columnData'][number];

function columnSource(name: string, col: Column): Source {
  const n = isText(col) ? col.codes.length : col.length;
  if (isText(col)) {
    let missing = false;
    const data: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const c = col.codes[i]!;
      if (c < 0) {
        data[i] = null;
        missing = true;
      } else data[i] = col.levels[c]!;
    }
    return { name, data, type: 'STRING', nullable: missing, encoding: 'PLAIN' };
  }
  let missing = false;
  let integer = true;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (Number.isNaN(v)) missing = true;
    else if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647 || Object.is(v, -0)) integer = false;
  }
  if (!missing) {
    return integer
      ? { name, data: Int32Array.from(col), type: 'INT32', nullable: false, encoding: 'PLAIN' }
      : { name, data: col, type: 'DOUBLE', nullable: false, encoding: 'PLAIN' };
  }
  const data: (number | null)[] = new Array(n);
  for (let i = 0; i < n; i++) data[i] = Number.isNaN(col[i]!) ? null : col[i]!;
  return { name, data, type: integer ? 'INT32' : 'DOUBLE', nullable: true, encoding: 'PLAIN' };
}
