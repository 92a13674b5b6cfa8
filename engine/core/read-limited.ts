/**
 * Bounded reads of every file a spec names (issue 13, defect 8): the file's type is checked before it is opened (a
 * FIFO would block the open, `/dev/zero` would be read until memory runs out), and at most `limit` bytes are read
 * (a file that grows while it is read cannot pass the limit either).
 *
 * Limits, each overridable by an environment variable (a number of bytes):
 *   spec files and templates  16 MiB   SPECRUN_MAX_SPEC_BYTES
 *   data files                 2 GiB   SPECRUN_MAX_DATA_BYTES
 *   CSV files read in windows 64 GiB   SPECRUN_MAX_DATA_BYTES (engine/data/read/csv.ts `readCsvFile`: the file is
 *                                      not held in memory, only its columns; the limit stops a runaway read)
 *   result-cache entries     256 MiB   (fixed; an entry above it is ignored and recomputed)
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export type ReadKind = 'spec' | 'data' | 'stream' | 'cache';

const DEFAULTS: Record<ReadKind, number> = {
  spec: 16 * 2 ** 20,
  data: 2 * 2 ** 30,
  stream: 64 * 2 ** 30,
  cache: 256 * 2 ** 20,
};
const ENV: Partial<Record<ReadKind, string>> = {
  spec: 'SPECRUN_MAX_SPEC_BYTES',
  data: 'SPECRUN_MAX_DATA_BYTES',
  stream: 'SPECRUN_MAX_DATA_BYTES',
};

/** A file that is not read: not a regular file, or larger than the limit. `reason` completes "cannot read F: …". */
export class UnreadableFile extends Error {
  readonly code = 'EUNREADABLE';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function readLimit(kind: ReadKind): number {
  const name = ENV[kind];
  const v = name ? Number(process.env[name]) : NaN;
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : DEFAULTS[kind];
}

/** The bytes of a regular file of at most readLimit(kind) bytes. Throws UnreadableFile, or the fs error (ENOENT…). */
export function readFileLimited(path: string, kind: ReadKind): Buffer {
  const limit = readLimit(kind);
  const st = statSync(path); // follows symlinks: a link to a device is a device
  if (!st.isFile()) throw new UnreadableFile(`it is ${kindName(st)}, not a regular file`);
  if (st.size > limit) throw new UnreadableFile(tooLarge(st.size, limit, kind));
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // The first read asks for the size stat() gave and one byte more; the next reads (normally one that returns 0 at
    // the end) start at 64 KiB and double up to 16 MiB while the file keeps growing. A fixed 16 MiB buffer per read
    // made every small spec or cache entry a large external allocation that set off the garbage collector (issue 19).
    let want = st.size + 1;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(want, 1 << 24, limit + 1 - total));
      want = total === 0 ? 1 << 16 : want * 2;
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > limit) throw new UnreadableFile(tooLarge(total, limit, kind));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** Why a path cannot be opened for reading without blocking or without end, or null for a regular file. */
export function notARegularFile(path: string): string | null {
  try {
    const st = statSync(path);
    return st.isFile() ? null : `it is ${kindName(st)}, not a regular file`;
  } catch {
    return null; // missing: the caller's own error says so
  }
}

function kindName(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/** The error for a file of more than readLimit(kind) bytes, as readFileLimited throws it. */
export function tooLargeError(size: number, kind: ReadKind): UnreadableFile {
  return new UnreadableFile(tooLarge(size, readLimit(kind), kind));
}

function tooLarge(size: number, limit: number, kind: ReadKind): string {
  const env = ENV[kind];
  return `it is ${size} bytes or more, more than the limit of ${limit} bytes${env ? ` (${env})` : ''}`;
}

/** A spec file's text: a bounded read, decoded as UTF-8 (SpecEncodingError at the first byte that is not). */
export function readSpecText(p: string): string {
  const bytes = readFileLimited(p, 'spec');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SpecEncodingError(bytes);
  }
}

/** A spec that is not valid UTF-8 (a GBK export): its first invalid byte, as line:col (bytes within the line). */
export class SpecEncodingError extends Error {
  readonly line: number;
  readonly col: number;
  constructor(bytes: Uint8Array) {
    super('not valid UTF-8');
    let bad: number;
    // The longest valid prefix: the first bad byte is where decoding a longer prefix starts to fail.
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      // A fresh decoder each time: `stream` keeps state between calls; it lets a prefix end inside a character.
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    bad = lo;
    let line = 1;
    let start = 0;
    for (let i = 0; i < bad; i++)
      if (bytes[i] === 0x0a) {
        line++;
        start = i + 1;
      }
    this.line = line;
    this.col = bad - start + 1;
  }
}
