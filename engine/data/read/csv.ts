/**
 * CSV reader: bytes → columnar Frame in one pass over the bytes.
 *
 * Why bytes and not a decoded string: a 10-million-row panel is larger than the longest string V8 can hold, and
 * every byte a CSV's structure depends on (`,` `;` TAB `"` CR LF) is ASCII, which neither UTF-8 nor GBK/GB18030
 * ever uses inside a multi-byte character. So the file is tokenized as bytes whatever its encoding; numbers are
 * parsed from the bytes without building strings, and only text cells are decoded, once per distinct value.
 *
 * Rules (documented for users in the data.source reference):
 * - Encoding `auto`: a UTF-8 byte-order mark is stripped; bytes that are valid UTF-8 are read as UTF-8, anything
 *   else as GB18030 (a superset of GBK, the encoding of Chinese Excel exports). A UTF-16 byte-order mark (Excel's
 *   "Unicode text", tab-delimited) selects UTF-16.
 * - RFC 4180 quoting: quoted fields may hold the delimiter, doubled quotes and newlines. CRLF or LF line ends,
 *   with or without a final newline. Blank lines are skipped.
 * - The delimiter is the most frequent of `,` TAB `;` in the header line (`,` when none occurs).
 * - Unquoted cells are trimmed of spaces and tabs (as data.table::fread does); quoted cells are kept verbatim.
 * - A cell equal to one of the `na` strings is missing (numeric NaN, text code -1).
 * - A column is numeric when every non-missing cell is a plain decimal number (see parse-number.ts); otherwise
 *   it is a text column, and its first non-numeric cell is reported so the loader can name it.
 * - The header must name every column, once: an empty or duplicate name is an error with its line.
 *
 * A file is read in windows of a few MiB (`readCsvFile`, issue 19), not whole: records are parsed up to the
 * window's last line end, the unfinished record is carried to the front of the next window, and the file's SHA-256
 * is computed from the same reads. So a file of any size (a 10⁸-row panel is ≈ 9 GB) is read with a fixed buffer,
 * and memory is the columns alone. `readCsv` parses bytes already in memory (one window holding everything); both
 * give the same frame, notes and errors.
 */
import { DATA_DEFAULTS } from '../../spec/defaults.js';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../../core/lazy-builtins.js';
import { compiledWorker } from '../../core/worker-start.js';
import { Frame, type Column } from '../../core/frame.js';
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import { parseNumberBytes, parseNumberText, POW10 } from './parse-number.js';
import { DEFAULT_NA, type NonNumericCell, type TableRead } from './types.js';

export type CsvEncoding = 'auto' | 'utf-8' | 'gbk' | 'gb18030';

export interface CsvOptions {
  /** The file name used in error messages. */
  file: string;
  /** __Default value:__ `auto`. */
  encoding?: CsvEncoding;
  /** Cells read as missing. __Default value:__ `["", "NA", "NaN", "."]`. */
  na?: readonly string[];
  /** __Default value:__ detected from the header line. */
  delimiter?: ',' | '\t' | ';';
}

/** A CSV read: the shared reader result (format `csv`, with the encoding used). */
export type CsvTable = TableRead;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const TAB = 0x09;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Read a whole CSV file held in memory. Throws SpecrunError DATA_PARSE / DATA_ENCODING with a line number. */
export function readCsv(bytes: Uint8Array, opts: CsvOptions): CsvTable {
  const utf16 = utf16Label(bytes, opts);
  if (utf16) return readUtf16(bytes, utf16, opts);
  return parseCsv(new MemoryWindow(bytes), opts, null, null);
}

/** A CSV file read from disk, and the SHA-256 of its bytes (computed from the same reads). */
export interface CsvFileRead {
  table: CsvTable;
  checksum: string;
  /** Threads that read the records: 2 when readCsvFileParallel's second thread read a part (absent: one). */
  parts?: 2;
  /** The second part's rows were copied after the first's by the first thread (its columns had no room for them). */
  copied?: true;
}

/** The bytes read per window of a file (the buffer holds two, and grows for a longer record). */
const WINDOW_BYTES = 8 << 20;

/**
 * Read a CSV file in windows (see the top of this file). `limit` is the most bytes read (a file growing while it is
 * read cannot pass it either): more throws `UnreadableFile`-like errors from `tooLarge`. Opening errors (ENOENT…)
 * are thrown as they are, for the caller's message.
 */
export function readCsvFile(
  path: string,
  opts: CsvOptions,
  limit: number,
  tooLarge: (bytes: number) => Error,
  windowBytes = WINDOW_BYTES,
): CsvFileRead {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(3);
    const got = readSync(fd, head, 0, 3, 0);
    const utf16 = utf16Label(head.subarray(0, got), opts);
    if (utf16) {
      // UTF-16 is transcoded whole (its code units may hold the bytes of `,` or LF): read it in one piece.
      const win = new FileWindow(fd, limit, tooLarge, windowBytes, true);
      while (!win.final) win.advance(0);
      const bytes = win.buf.subarray(0, win.len);
      return { table: readUtf16(bytes, utf16, opts), checksum: win.digest() };
    }
    let forced: 'gb18030' | null = null;
    for (;;) {
      const win = new FileWindow(fd, limit, tooLarge, windowBytes, true);
      const again = (): FileWindow => new FileWindow(fd, limit, tooLarge, windowBytes, false);
      try {
        const table = parseCsv(win, opts, again, forced);
        return { table, checksum: win.digest() };
      } catch (e) {
        // `auto` took the file for UTF-8 from its first windows, and a later one is not: read it again as GB18030,
        // as a whole-file check would have decided.
        if (e !== NOT_UTF8 || forced) throw e;
        forced = 'gb18030';
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Files smaller than this are read on one thread: a worker's start and its parser's warm-up cost more than they save
 * (the 62 MB 10⁶-row panel: 0.96 s for the whole run on one thread, 1.07 s with its CSV read on two).
 */
export const PARALLEL_CSV_MIN_BYTES = 64 << 20;

/** A column of one part: its numbers, or its text codes and levels (rows 0 … nrows−1 of the arrays are the part's). */
export type CsvPartColumn =
  | { readonly values: Float64Array }
  | { readonly codes: Int32Array; readonly levels: readonly string[] };

/**
 * What the first thread sends the second once its own part is read: its row count and its columns (on
 * SharedArrayBuffers), for the second to write its rows after them; null when the second part is not wanted.
 */
export type CsvPlace = { readonly n1: number; readonly cols: readonly CsvPartColumn[] } | null;

/** What the second thread sends back at the end. */
export type CsvPartReply =
  /** its rows were written into the first thread's columns; `added`: per text column, its new levels in order */
  | { readonly ok: true; readonly placed: true; readonly nrows: number; readonly added: readonly (string[] | null)[] }
  /** the first thread's columns had no room for its rows: its own columns (buffers transferred, not copied) */
  | { readonly ok: true; readonly placed: false; readonly nrows: number; readonly cols: readonly CsvPartColumn[] }
  /** an error, another encoding, a column of another kind: the first thread reads the whole file on its own */
  | { readonly ok: false };

/** What the second thread is sent: the file, the header read by the first, and where its part starts. */
export interface CsvPartJob {
  readonly path: string;
  readonly opts: CsvOptions;
  readonly header: CsvHeader;
  readonly limit: number;
  readonly windowBytes: number;
}

/**
 * readCsvFile on two threads when the file is large (issue 19): the first thread reads the header, then the records
 * up to the first line end past the middle of the data (FIRST_PART_SHARE); a worker thread reads the records from there
 * to the end at the same time. The worker's part is taken only when it is exactly what one thread would have read there:
 *
 * - the first thread's last record ends exactly where the worker began (a quoted field holding a line end across
 *   that point would make its part start inside a field), and
 * - every column has the same kind in both parts (numeric in both, or text in both: a column that turns text in the
 *   second part needs its earlier cells' text, which only a single read keeps), and the worker read its part without
 *   an error or a byte that is not of the encoding `auto` chose.
 *
 * Numbers are parsed by the same code either way; text levels are merged in order of first appearance (the first
 * part's, then the second's new ones). The first thread's columns are on SharedArrayBuffers: when its part is read,
 * the worker writes its rows after them (while the first thread reads and hashes the rest of the file), so the frame's
 * columns are never copied; they stay shared (the demeaning threads read them without a copy). In any other case —
 * and for an error in the second part, so that its message and line are those of a single read — the file is read
 * again on one thread by readCsvFile. An error in the first part is the file's first error and is thrown as it is.
 * The SHA-256 is computed by the first thread from its reads and the rest of the file read after its part, as
 * readCsvFile does. So the result (frame, first non-numeric cells, encoding, errors, checksum) is always readCsvFile's;
 * `parts` says whether two threads did read it.
 */
export async function readCsvFileParallel(
  path: string,
  opts: CsvOptions,
  limit: number,
  tooLarge: (bytes: number) => Error,
  threads: number,
  minBytes = PARALLEL_CSV_MIN_BYTES,
  windowBytes = WINDOW_BYTES,
): Promise<CsvFileRead> {
  const single = (): CsvFileRead => readCsvFile(path, opts, limit, tooLarge, windowBytes);
  if (threads < 2) return single();
  const script = compiledWorker(import.meta.url, 'data/read/csv-worker.js');
  if (!script) return single();
  const fd = openSync(path, 'r');
  let worker: Worker | null = null;
  try {
    const size = fstatSize(fd);
    const head = Buffer.alloc(3);
    const got = readSync(fd, head, 0, 3, 0);
    if (size < minBytes || size > limit || utf16Label(head.subarray(0, got), opts)) return single();
    const win = new FileWindow(fd, limit, tooLarge, windowBytes, true);
    const header = readCsvHeader(win, opts, null);
    const split = splitPoint(fd, header.dataStart, size);
    if (split === null) return single();
    worker = new (workerThreads().Worker)(script);
    const job: CsvPartJob = { path, opts, header: { ...header, dataStart: split, dataLine: 1 }, limit, windowBytes };
    const w = worker;
    const reply = new Promise<CsvPartReply>((done) => {
      w.once('message', (m: CsvPartReply) => done(m));
      w.once('error', () => done({ ok: false }));
      w.once('exit', () => done({ ok: false }));
    });
    w.postMessage(job);
    let first: RecordsRead;
    try {
      const reread = (): Window => new FileWindow(fd, limit, tooLarge, windowBytes, false);
      first = parseRecords(win, header, opts, reread, split, true);
    } catch (e) {
      if (e === NOT_UTF8) return single();
      throw e;
    }
    if (first.stopAt !== split) return single();
    const place: CsvPlace = {
      n1: first.nrows,
      cols: first.cols.map((cb) =>
        cb.codes === null ? { values: cb.values! } : { codes: cb.codes, levels: cb.levels.levels },
      ),
    };
    w.postMessage(place);
    win.hashRest();
    const second = await reply;
    if (!second.ok) return single();
    const cols = second.placed ? withAdded(first, second.added) : joinParts(first, second);
    const table = tableOf(header, cols, first.nrows + second.nrows);
    return { table, checksum: win.digest(), parts: 2, ...(second.placed ? {} : { copied: true as const }) };
  } finally {
    closeSync(fd);
    if (worker) void worker.terminate();
  }
}

/**
 * Share of the records' bytes the first thread parses. Besides parsing, it hashes the whole file (SHA-256 ≈ 0.65 ns a
 * byte here) and the second thread writes its rows into the first's columns (first touches of their pages): about the
 * same time, so half each (measured at 10⁷ rows: 0.4 left the first thread waiting).
 */
const FIRST_PART_SHARE = 0.5;

/** The byte after the first line end at or past FIRST_PART_SHARE of the records, or null (no line end there). */
function splitPoint(fd: number, dataStart: number, size: number): number | null {
  const mid = dataStart + Math.floor((size - dataStart) * FIRST_PART_SHARE);
  const b = Buffer.allocUnsafe(1 << 16);
  for (let at = mid; at < size; at += b.length) {
    const n = readSync(fd, b, 0, b.length, at);
    if (n <= 0) return null;
    const k = b.subarray(0, n).indexOf(LF);
    if (k >= 0) return at + k + 1 < size ? at + k + 1 : null;
  }
  return null;
}

/** The records of a second thread's part (csv-worker.ts), read with the header the first thread read. */
export function readCsvPart(job: CsvPartJob): RecordsRead {
  const fd = openSync(job.path, 'r');
  try {
    const tooLarge = (bytes: number): Error => new Error(`more than ${bytes} bytes`);
    const from = job.header.dataStart;
    const win = new FileWindow(fd, job.limit, tooLarge, job.windowBytes, false, from);
    const reread = (): Window => new FileWindow(fd, job.limit, tooLarge, job.windowBytes, false, from);
    return parseRecords(win, job.header, job.opts, reread, Number.POSITIVE_INFINITY);
  } finally {
    closeSync(fd);
  }
}

/**
 * The second thread's reply once the first sent its columns: its rows written after the first part's (text codes in
 * the first part's numbering, new levels after its levels, in order of first appearance), or its own columns when
 * the first thread's have no room; `{ ok: false }` when a column's kind differs between the parts.
 */
export function placeCsvPart(
  part: RecordsRead,
  place: NonNullable<CsvPlace>,
): {
  reply: CsvPartReply;
  transfer: ArrayBuffer[];
} {
  const { n1 } = place;
  const n2 = part.nrows;
  if (place.cols.length !== part.cols.length) return { reply: { ok: false }, transfer: [] };
  for (let j = 0; j < part.cols.length; j++)
    if ((part.cols[j]!.codes === null) !== 'values' in place.cols[j]!) return { reply: { ok: false }, transfer: [] };
  const room = place.cols.every((c) => ('values' in c ? c.values.length : c.codes.length) >= n1 + n2);
  if (!room) {
    // (the whole arrays, rows 0 … n2−1 of them used: moved, not copied)
    const transfer: ArrayBuffer[] = [];
    const cols = part.cols.map((cb): CsvPartColumn => {
      if (cb.codes === null) {
        transfer.push(cb.values!.buffer as ArrayBuffer);
        return { values: cb.values! };
      }
      transfer.push(cb.codes.buffer as ArrayBuffer);
      return { codes: cb.codes, levels: cb.levels.levels };
    });
    return { reply: { ok: true, placed: false, nrows: n2, cols }, transfer };
  }
  const added = part.cols.map((cb, j) => {
    const dst = place.cols[j]!;
    if ('values' in dst) {
      dst.values.set(cb.values!.subarray(0, n2), n1);
      return null;
    }
    const fresh: string[] = [];
    mergeCodes(dst.codes, n1, dst.levels, cb.codes!, cb.levels.levels, n2, fresh);
    return fresh;
  });
  return { reply: { ok: true, placed: true, nrows: n2, added }, transfer: [] };
}

/**
 * Codes `src[0 … n)` of levels `srcLevels` written at `dst[at …)` in the numbering of `levels`, whose new levels are
 * appended to `fresh` (numbered after `levels`), in order of first appearance.
 */
function mergeCodes(
  dst: Int32Array,
  at: number,
  levels: readonly string[],
  src: Int32Array,
  srcLevels: readonly string[],
  n: number,
  fresh: string[],
): void {
  const index = new Map<string, number>();
  levels.forEach((t, k) => {
    index.set(t, k);
  });
  const map = new Int32Array(srcLevels.length);
  srcLevels.forEach((t, k) => {
    let c = index.get(t);
    if (c === undefined) {
      c = levels.length + fresh.length;
      index.set(t, c);
      fresh.push(t);
    }
    map[k] = c;
  });
  for (let i = 0; i < n; i++) {
    const c = src[i]!;
    dst[at + i] = c < 0 ? c : map[c]!;
  }
}

/** The first part's columns once the second thread wrote its rows into them: its new text levels appended. */
function withAdded(first: RecordsRead, added: readonly (string[] | null)[]): ColumnBuilder[] {
  first.cols.forEach((cb, j) => {
    const fresh = added[j];
    if (fresh) cb.levels.levels.push(...fresh);
  });
  return first.cols;
}

/**
 * The first part's columns with the second's rows after them (their kinds agree: placeCsvPart checked them before it
 * sent its own columns back).
 */
function joinParts(first: RecordsRead, second: Extract<CsvPartReply, { placed: false }>): ColumnBuilder[] {
  const n1 = first.nrows,
    n = n1 + second.nrows;
  first.cols.forEach((a, j) => {
    const b = second.cols[j]!;
    if ((a.values?.length ?? a.codes!.length) < n) a.grow(n);
    if ('values' in b) a.values!.set(b.values.subarray(0, n - n1), n1);
    else {
      const fresh: string[] = [];
      mergeCodes(a.codes!, n1, a.levels.levels, b.codes, b.levels, n - n1, fresh);
      a.levels.levels.push(...fresh);
    }
  });
  return first.cols;
}

/** The UTF-16 flavour of the file's byte-order mark under `encoding: auto`, or null. */
function utf16Label(bytes: Uint8Array, opts: CsvOptions): 'utf-16le' | 'utf-16be' | null {
  if ((opts.encoding ?? DATA_DEFAULTS.encoding) !== 'auto' || bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** UTF-16 (Excel's "Unicode text" export), transcoded to UTF-8 first, since its code units may contain `,` or LF. */
function readUtf16(bytes: Uint8Array, label: 'utf-16le' | 'utf-16be', opts: CsvOptions): CsvTable {
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2));
  } catch {
    throw new SpecrunError('DATA_ENCODING', {
      file: opts.file,
      encoding: label,
      detail: 'the file has a UTF-16 byte-order mark but invalid UTF-16 text',
    });
  }
  return { ...readCsv(new TextEncoder().encode(text), { ...opts, encoding: 'utf-8' }), encoding: label };
}

/** Thrown when `auto` read the first windows of a file as UTF-8 and a later window is not valid UTF-8. */
const NOT_UTF8 = new Error('not UTF-8 after all');

/**
 * The bytes being parsed: `buf[0..len)`, at offset `base` of the whole (`size` bytes). `final`: the window reaches the
 * end. `advance(keep)` drops `buf[0..keep)` and reads on (growing the buffer when little could be dropped).
 */
interface Window {
  buf: Uint8Array;
  len: number;
  final: boolean;
  base: number;
  readonly size: number;
  advance(keep: number): void;
  /** `places` pieces of `bytes` bytes spread over the whole from offset `from` (the first at `from`). */
  sample(from: number, places: number, bytes: number): Uint8Array[];
}

class MemoryWindow implements Window {
  len: number;
  final = true;
  base = 0;
  readonly size: number;
  constructor(public buf: Uint8Array) {
    this.len = buf.length;
    this.size = buf.length;
  }
  advance(): void {
    throw new Error('a window holding every byte cannot advance');
  }
  sample(from: number, places: number, bytes: number): Uint8Array[] {
    return piecesAt(this.size, from, places, bytes, (at, len) => this.buf.subarray(at, at + len));
  }
}

class FileWindow implements Window {
  buf: Buffer;
  len = 0;
  final = false;
  base = 0;
  readonly size: number;
  private pos = 0;
  private readonly hash: ReturnType<typeof createHash> | null;

  /** `from`: the byte of the file the window starts at (a part read by a second thread: hashed only from there). */
  constructor(
    private readonly fd: number,
    private readonly limit: number,
    private readonly tooLarge: (bytes: number) => Error,
    chunk: number,
    hashed: boolean,
    from = 0,
  ) {
    this.size = fstatSize(fd);
    this.hash = hashed ? createHash('sha256') : null;
    this.buf = Buffer.allocUnsafe(Math.max(2 * chunk, 64));
    this.base = from;
    this.pos = from;
    this.fill();
  }

  /** Read (and hash) the rest of the file after the window, which is not parsed: the whole file's SHA-256. */
  hashRest(): void {
    if (this.final) return;
    const b = this.buf;
    for (;;) {
      const n = readSync(this.fd, b, 0, b.length, this.pos);
      if (n === 0) break;
      this.hash?.update(b.subarray(0, n));
      this.pos += n;
      if (this.pos > this.limit) throw this.tooLarge(this.pos);
    }
    this.final = true;
    this.len = 0;
  }

  advance(keep: number): void {
    if (this.final) throw new Error('the last window cannot advance');
    if (keep > 0) this.buf.copyWithin(0, keep, this.len);
    this.base += keep;
    this.len -= keep;
    if (this.len > this.buf.length / 2) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    this.fill();
  }

  sample(from: number, places: number, bytes: number): Uint8Array[] {
    // a window that holds the rest of the file: its own bytes, not read again
    if (this.final)
      return piecesAt(this.size, from, places, bytes, (at, len) =>
        this.buf.subarray(at - this.base, at - this.base + len),
      );
    return piecesAt(this.size, from, places, bytes, (at, len) => {
      const b = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const n = readSync(this.fd, b, got, len - got, at + got);
        if (n === 0) break;
        got += n;
      }
      return b.subarray(0, got);
    });
  }

  /** The SHA-256 of every byte read (the whole file, once the last window was read). */
  digest(): string {
    return this.hash!.digest('hex');
  }

  private fill(): void {
    while (this.len < this.buf.length) {
      const n = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.pos);
      if (n === 0) {
        this.final = true;
        return;
      }
      this.hash?.update(this.buf.subarray(this.len, this.len + n));
      this.len += n;
      this.pos += n;
      if (this.pos > this.limit) throw this.tooLarge(this.pos);
    }
  }
}

function fstatSize(fd: number): number {
  return fstatSync(fd).size;
}

/**
 * Parse the CSV whose bytes `win` holds. `reread` gives a fresh window from the start (for the second pass over the
 * first rows of a column that turned text late), null for bytes in memory. `forced`: the encoding `auto` must use.
 */
function parseCsv(win: Window, opts: CsvOptions, reread: (() => Window) | null, forced: 'gb18030' | null): CsvTable {
  const header = readCsvHeader(win, opts, forced);
  const part = parseRecords(win, header, opts, reread, Number.POSITIVE_INFINITY);
  return tableOf(header, part.cols, part.nrows);
}

/** What the header tells the records: the encoding, the delimiter, the names, where the records start. */
export interface CsvHeader {
  readonly encoding: 'utf-8' | 'gbk' | 'gb18030';
  /** `auto` took a file read in windows for UTF-8 from its first window: every later window is checked. */
  readonly checkUtf8: boolean;
  readonly delim: number;
  readonly names: readonly string[];
  /** Byte offset (of the whole file) and line of the first record. */
  readonly dataStart: number;
  readonly dataLine: number;
}

/** A text decoder for cells of the file's encoding; invalid bytes throw DATA_ENCODING with the line. */
function decoderFor(encoding: 'utf-8' | 'gbk' | 'gb18030', file: string): Decode {
  const decoder = new TextDecoder(encoding, { fatal: true });
  return (bytes: Uint8Array, s: number, e: number, line: number): string => {
    // Short ASCII cells (ids, codes) are the common case and far cheaper to build directly than through ICU.
    if (e - s <= 32) {
      let ascii = true;
      for (let i = s; i < e; i++)
        if (bytes[i]! >= 0x80) {
          ascii = false;
          break;
        }
      if (ascii) {
        let t = '';
        for (let i = s; i < e; i++) t += String.fromCharCode(bytes[i]!);
        return t;
      }
    }
    try {
      return decoder.decode(bytes.subarray(s, e));
    } catch {
      throw new SpecrunError('DATA_ENCODING', {
        file,
        encoding,
        detail: `line ${line} holds bytes that are not valid ${encoding}`,
      });
    }
  };
}

/** Steps 1 and 2: the byte-order mark, the encoding, the delimiter and the header; the window stands on the records. */
function readCsvHeader(win: Window, opts: CsvOptions, forced: 'gb18030' | null): CsvHeader {
  const file = opts.file;
  const requested = opts.encoding ?? DATA_DEFAULTS.encoding;

  // 1. Byte-order mark and encoding. The header line (and its delimiter) must be in the first window.
  while (!win.final && win.buf.subarray(0, win.len).indexOf(LF) < 0) win.advance(0);
  const b0 = win.buf;
  let start = 0;
  const hasBom = win.len >= 3 && b0[0] === 0xef && b0[1] === 0xbb && b0[2] === 0xbf;
  if (hasBom && (requested === 'auto' || requested === 'utf-8')) start = 3;
  let encoding: 'utf-8' | 'gbk' | 'gb18030';
  // `auto` on a file read in windows: UTF-8 while every window is (checked up to its last line end before it is
  // parsed); a window that is not throws NOT_UTF8 and the file is read again as GB18030.
  let checkUtf8 = false;
  if (requested === 'auto') {
    if (forced) encoding = forced;
    else if (win.final) encoding = isUtf8(win.buf.subarray(start, win.len)) ? 'utf-8' : 'gb18030';
    else {
      const upTo = win.buf.lastIndexOf(LF, win.len - 1) + 1;
      encoding = isUtf8(win.buf.subarray(start, upTo)) ? 'utf-8' : 'gb18030';
      checkUtf8 = encoding === 'utf-8';
    }
  } else encoding = requested;
  const decode = decoderFor(encoding, file);

  // 2. Delimiter and header (a header longer than the window: the window grows until it holds it).
  const delim = opts.delimiter ? opts.delimiter.charCodeAt(0) : detectDelimiter(win.buf.subarray(0, win.len), start);
  const sc = new FieldScanner(win.buf, delim, file);
  let names: string[];
  for (;;) {
    sc.reset(win, start, 1);
    sc.skipBlankLines();
    if (sc.pos >= win.len && win.final)
      throw new SpecrunError('DATA_PARSE', { file, detail: 'the file is empty (no header row)' });
    const got = sc.pos < win.len ? readHeader(sc, decode) : null;
    if (got) {
      names = got;
      break;
    }
    win.advance(0);
  }
  const dataStart = win.base + sc.pos;
  const dataLine = sc.line;
  return { encoding, checkUtf8, delim, names, dataStart, dataLine };
}

/** The records read by parseRecords: the columns being built, their row count, and where reading stopped. */
export interface RecordsRead {
  readonly cols: ColumnBuilder[];
  readonly nrows: number;
  /** Byte offset (of the whole file) of the first record not read: `end`'s record start, or the file's size. */
  readonly stopAt: number;
}

/**
 * Steps 3 to 5: the records from `header.dataStart` on, up to the first record that starts at or after byte `end`
 * of the whole (Infinity: to the end of the file), and the second pass for columns that turned text late. `shared`:
 * the columns on SharedArrayBuffers.
 */
function parseRecords(
  win: Window,
  header: CsvHeader,
  opts: CsvOptions,
  reread: (() => Window) | null,
  end: number,
  shared = false,
): RecordsRead {
  const file = opts.file;
  const { encoding, checkUtf8, delim, names, dataStart, dataLine } = header;
  const ncols = names.length;
  const decode = decoderFor(encoding, file);
  // a header longer than a window: windows up to the first record
  while (dataStart - win.base > win.len && !win.final) win.advance(win.len);
  const sc = new FieldScanner(win.buf, delim, file);
  sc.reset(win, dataStart - win.base, dataLine);

  // 3. Missing-value strings, compared as bytes in the file's encoding.
  const na = new NaMatcher(opts.na ?? DEFAULT_NA, encoding);
  // The fused fast path below never checks the na strings, so it is off when one of them is itself a number.
  const numberFastPath = !na.hasNumber;

  // 4. One pass over the records. The row count is estimated from the mean length of sampled lines (an
  // underestimate grows the arrays, from the mean length seen so far).
  // A file read in windows is sampled at several places of the file itself, as the bytes in memory are (panels sorted
  // by unit have shorter lines at the start: from the first window alone, 10⁸ rows were overestimated by 8%, and the
  // trimmed copy of every column doubled the memory).
  const bytesPerLine = meanLineBytesOf(win.sample(dataStart, 8, 1 << 18), 2000);
  let cap = Math.ceil(((win.size - dataStart) / bytesPerLine) * 1.02) + 64;
  const cols: ColumnBuilder[] = names.map(() => new ColumnBuilder(cap, shared));
  // Hot loop state in locals (position, line, the numeric arrays by column); the scanner is synced around
  // the general path only.
  const vals: (Float64Array | null)[] = cols.map((cb) => cb.values);
  const textCodes: (Int32Array | null)[] = cols.map((cb) => cb.codes);
  const textFastPath = !na.hasDecodedForms;
  let pos = sc.pos;
  let line = sc.line;
  let row = 0;
  let stopped = false;
  for (;;) {
    const bytes = win.buf;
    const n = win.len;
    const final = win.final;
    sc.reset(win, pos, line);
    // The last line end: records starting after it are unfinished unless the window is the last one.
    const safeEnd = n > 0 ? bytes.lastIndexOf(LF, n - 1) : -1;
    if (checkUtf8 && !isUtf8(bytes.subarray(0, final ? n : safeEnd + 1))) throw NOT_UTF8;
    const stop = final ? n : safeEnd + 1;
    // `end` in this window's positions (Infinity when the whole file is read)
    const endHere = end - win.base;
    records: while (pos < stop) {
      if (pos >= endHere) {
        stopped = true;
        break;
      }
      const c0 = bytes[pos]!;
      if (c0 === LF) {
        pos++;
        line++;
        continue;
      }
      if (c0 === CR) {
        pos++;
        if (pos < n && bytes[pos] === LF) pos++;
        line++;
        continue;
      }
      const recLine = line;
      const recStart = pos;
      if (row >= cap) {
        const at = win.base + pos;
        cap = Math.max(
          Math.ceil(cap * 1.25),
          row + Math.ceil(((win.size - at) / Math.max(1, (at - dataStart) / row)) * 1.05) + 64,
        );
        for (let j = 0; j < ncols; j++) {
          cols[j]!.grow(cap);
          vals[j] = cols[j]!.values;
          textCodes[j] = cols[j]!.codes;
        }
      }
      let col = 0;
      for (;;) {
        // Fast path, fused scan and parse: an unquoted plain number (digits below 2^53 as an integer, at most 22
        // decimals, no exponent) ending at a delimiter or line end, in a column still numeric: the typical cell of
        // a large panel. The value is one correctly rounded division of two exact doubles, as in parseNumberBytes.
        // Anything else falls back to the general scan below, from the same position.
        const vs = col < ncols && numberFastPath && pos < safeEnd ? vals[col]! : null;
        if (vs !== null) {
          // From pos < safeEnd the digit loops stop at the last LF at the latest, so bytes[p] needs no bounds test.
          let p = pos;
          let c = bytes[p]!;
          let neg = false;
          if (c === 0x2d) {
            neg = true;
            c = bytes[++p]!;
          }
          // mant stays an exact integer while below 2^53; past that it stays >= 2^53 (rounding is monotone), so
          // one check at the end tells whether it is exact.
          let mant = 0;
          const p0 = p;
          while (c >= 0x30 && c <= 0x39) {
            mant = mant * 10 + (c - 0x30);
            c = bytes[++p]!;
          }
          let any = p > p0;
          let frac = 0;
          if (c === 0x2e) {
            c = bytes[++p]!;
            const f0 = p;
            while (c >= 0x30 && c <= 0x39) {
              mant = mant * 10 + (c - 0x30);
              c = bytes[++p]!;
            }
            frac = p - f0;
            any = any || frac > 0;
          }
          if (any && mant < 9007199254740992 && frac <= 22 && (c === delim || c === LF || c === CR)) {
            const v = frac === 0 ? mant : mant / POW10[frac]!;
            vs[row] = neg ? -v : v;
            pos = p;
            col++;
            if (c === delim) {
              pos++;
              continue;
            }
            if (c === CR) {
              pos++;
              if (pos < n && bytes[pos] === LF) pos++;
              line++;
            } else if (c === LF) {
              pos++;
              line++;
            }
            break;
          }
        }
        // Fast path for a text column: an unquoted cell without surrounding blanks, longer than any na string,
        // hashed while it is scanned and looked up by its bytes.
        const codes = col < ncols && textFastPath && pos < safeEnd ? textCodes[col]! : null;
        if (codes !== null) {
          let p = pos;
          let c = bytes[p]!;
          if (c !== QUOTE && c !== SP && c !== TAB) {
            let h = FNV_OFFSET;
            while (c !== delim && c !== LF && c !== CR) {
              h = Math.imul(h ^ c, FNV_PRIME);
              c = bytes[++p]!;
            }
            const last = bytes[p - 1]!;
            if (p - pos > na.maxLen && last !== SP && last !== TAB) {
              codes[row] = cols[col]!.levels.internHashed(bytes, pos, p, h, decode, recLine);
              pos = p;
              col++;
              if (c === delim) {
                pos++;
                continue;
              }
              if (c === CR) {
                pos++;
                if (pos < n && bytes[pos] === LF) pos++;
                line++;
              } else {
                pos++;
                line++;
              }
              break;
            }
          }
        }
        sc.pos = pos;
        sc.line = line;
        sc.scan();
        if (sc.more) {
          // The record goes on past the window (a quoted line end): parse it again in the next one. Its cells
          // before this one were whole, so what they stored is stored again, the same.
          pos = recStart;
          line = recLine;
          break records;
        }
        pos = sc.pos;
        line = sc.line;
        if (col < ncols) {
          const cb = cols[col]!;
          const s = sc.start;
          const e = sc.end;
          if (na.matches(bytes, s, e, sc.escaped, decode, recLine)) {
            if (cb.codes === null) cb.values![row] = NaN;
            else cb.codes[row] = -1;
          } else {
            if (cb.codes === null) {
              const v = sc.escaped ? NaN : parseNumberBytes(bytes, s, e);
              if (v === v) cb.values![row] = v;
              else {
                cb.toText(row, { row: row + 2, line: recLine, value: cellString(sc, decode, recLine) }, cap);
                vals[col] = null;
                textCodes[col] = cb.codes;
              }
            }
            if (cb.codes !== null) cb.codes[row] = cb.levels.intern(bytes, s, e, sc.escaped, decode, recLine);
          }
        }
        col++;
        const c = pos < n ? bytes[pos]! : -1;
        if (c === delim) {
          pos++;
          continue;
        }
        if (c === CR) {
          pos++;
          if (pos < n && bytes[pos] === LF) pos++;
          line++;
        } else if (c === LF) {
          pos++;
          line++;
        }
        break;
      }
      if (col !== ncols) {
        throw new SpecrunError('DATA_PARSE', {
          file,
          detail: `line ${recLine} has ${col} field(s), the header has ${ncols}`,
        });
      }
      row++;
    }
    if (final || stopped) break;
    win.advance(pos);
    pos = 0;
  }
  const nrows = row;
  const stopAt = win.base + pos;
  // 5. Columns that turned text after their first rows: read those earlier cells as text in a second, partial pass.
  const late = cols.map((cb, j) => (cb.codes !== null && cb.switchRow > 0 ? j : -1)).filter((j) => j >= 0);
  if (late.length > 0) {
    const again = reread ? reread() : win;
    fillEarlyText(again, delim, file, dataStart, dataLine, cols, late, na, decode);
    for (const j of late) cols[j]!.reorderLevels(nrows);
  }

  return { cols, nrows, stopAt };
}

/** Step 6: the Frame of the columns read, and the first non-numeric cell of each text column. */
function tableOf(header: CsvHeader, cols: readonly ColumnBuilder[], nrows: number): CsvTable {
  const { names, encoding } = header;
  const ncols = names.length;
  // 6. The Frame and the first non-numeric cell of each text column. Arrays are trimmed to the row count: a
  // view when the estimate overshot by at most 1/16 (no copy of a large column; the few spare rows stay
  // allocated), a copy otherwise.
  const trim = <T extends Float64Array | Int32Array>(a: T): T =>
    (a.length === nrows ? a : a.length - nrows <= a.length / 16 ? a.subarray(0, nrows) : a.slice(0, nrows)) as T;
  const out: [string, Column][] = [];
  const nonNumeric = new Map<string, NonNumericCell>();
  for (let j = 0; j < ncols; j++) {
    const cb = cols[j]!;
    if (cb.codes === null) {
      out.push([names[j]!, trim(cb.values!)]);
    } else {
      const codes = trim(cb.codes);
      out.push([names[j]!, { kind: 'text', codes, levels: cb.levels.levels }]);
      nonNumeric.set(names[j]!, cb.firstNonNumeric!);
    }
  }
  return { frame: new Frame(nrows, out), nonNumeric, format: 'csv', encoding, notes: [] };
}

type Decode = (b: Uint8Array, s: number, e: number, line: number) => string;

/** The text of the field the scanner stands on (quotes undone). */
function cellString(sc: FieldScanner, decode: Decode, line: number): string {
  const t = decode(sc.b, sc.start, sc.end, line);
  return sc.escaped ? t.replace(/""/g, '"') : t;
}

/**
 * Reads one field at a time; `start..end` is the field's content (inside the quotes for a quoted field). In a window
 * that is not the last, a field reaching the window's end sets `more` instead (the record must be read again with
 * more bytes).
 */
class FieldScanner {
  pos = 0;
  line = 1;
  start = 0;
  end = 0;
  /** The quoted content holds doubled quotes, so its bytes are not its text. */
  escaped = false;
  /** The field reached the end of a window that is not the last. */
  more = false;
  n: number;
  final = true;

  constructor(
    public b: Uint8Array,
    readonly delim: number,
    readonly file: string,
  ) {
    this.n = b.length;
  }

  /** Stand at `pos` (line `line`) of the window's bytes. */
  reset(win: Window, pos: number, line: number): void {
    this.b = win.buf;
    this.n = win.len;
    this.final = win.final;
    this.pos = pos;
    this.line = line;
    this.more = false;
  }

  skipBlankLines(): void {
    const b = this.b;
    while (this.pos < this.n) {
      const c = b[this.pos];
      if (c === LF) {
        this.pos++;
        this.line++;
      } else if (c === CR) {
        this.pos++;
        if (this.pos < this.n && b[this.pos] === LF) this.pos++;
        this.line++;
      } else break;
    }
  }

  /** Scan the field at `pos`; leaves `pos` on the delimiter, CR, LF or the end of the bytes. */
  scan(): void {
    const b = this.b;
    const n = this.n;
    const d = this.delim;
    let p = this.pos;
    while (p < n) {
      const c = b[p]!;
      if ((c === SP || c === TAB) && c !== d) p++;
      else break;
    }
    if (p < n && b[p] === QUOTE) {
      const openLine = this.line;
      p++;
      const s = p;
      let esc = false;
      for (;;) {
        if (p >= n) {
          if (!this.final) {
            this.more = true;
            return;
          }
          throw new SpecrunError('DATA_PARSE', {
            file: this.file,
            detail: `line ${openLine}: a quoted field is never closed`,
          });
        }
        const c = b[p]!;
        if (c === QUOTE) {
          if (p + 1 < n && b[p + 1] === QUOTE) {
            esc = true;
            p += 2;
            continue;
          }
          // A quote at the window's end may be the first of a doubled pair.
          if (p + 1 >= n && !this.final) {
            this.more = true;
            return;
          }
          break;
        }
        if (c === LF) this.line++;
        p++;
      }
      this.start = s;
      this.end = p;
      this.escaped = esc;
      p++;
      while (p < n) {
        const c = b[p]!;
        if ((c === SP || c === TAB) && c !== d) p++;
        else break;
      }
      if (!this.final && (p >= n || (b[p] === CR && p + 1 >= n))) {
        this.more = true;
        return;
      }
      if (p < n && b[p] !== d && b[p] !== LF && b[p] !== CR) {
        throw new SpecrunError('DATA_PARSE', {
          file: this.file,
          detail: `line ${this.line}: unexpected text after the closing quote of a field`,
        });
      }
      this.pos = p;
      return;
    }
    const s = p;
    while (p < n) {
      const c = b[p]!;
      if (c === d || c === LF || c === CR) break;
      p++;
    }
    if (!this.final && (p >= n || (b[p] === CR && p + 1 >= n))) {
      this.more = true;
      return;
    }
    let e = p;
    while (e > s) {
      const c = b[e - 1]!;
      if ((c === SP || c === TAB) && c !== d) e--;
      else break;
    }
    this.start = s;
    this.end = e;
    this.escaped = false;
    this.pos = p;
  }
}

/** The header's names, or null when the header goes on past a window that is not the last. */
function readHeader(sc: FieldScanner, decode: Decode): string[] | null {
  const b = sc.b;
  const delim = sc.delim;
  const line = sc.line;
  const names: string[] = [];
  for (;;) {
    sc.scan();
    if (sc.more) return null;
    names.push(cellString(sc, decode, line).trim());
    const c = sc.pos < sc.n ? b[sc.pos] : -1;
    if (c === delim) {
      sc.pos++;
      continue;
    }
    if (c === CR) {
      sc.pos++;
      if (sc.pos < sc.n && b[sc.pos] === LF) sc.pos++;
      sc.line++;
    } else if (c === LF) {
      sc.pos++;
      sc.line++;
    }
    break;
  }
  const seen = new Map<string, number>();
  names.forEach((name, j) => {
    if (name === '') {
      throw new SpecrunError('DATA_PARSE', {
        file: sc.file,
        detail: `line ${line}: header column ${j + 1} has no name`,
      });
    }
    const prev = seen.get(name);
    if (prev !== undefined) {
      throw new SpecrunError('DATA_PARSE', {
        file: sc.file,
        detail: `line ${line}: header names column ${name} twice (columns ${prev + 1} and ${j + 1})`,
      });
    }
    seen.set(name, j);
  });
  return names;
}

/** `places` pieces of at most `bytes` bytes at evenly spaced offsets of [from, size), the first at `from`. */
function piecesAt(
  size: number,
  from: number,
  places: number,
  bytes: number,
  read: (at: number, len: number) => Uint8Array,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let s = 0; s < places; s++) {
    const at = from + Math.floor(((size - from) * s) / places);
    const len = Math.min(bytes, size - at);
    if (len > 0) out.push(read(at, len));
  }
  return out;
}

/**
 * Mean bytes per line of sampled pieces (the first starting at a line start; the others from their first line end
 * on), counting whole lines only, `lines` in all at most. At least 1.
 */
function meanLineBytesOf(pieces: readonly Uint8Array[], lines: number): number {
  let bytes = 0;
  let count = 0;
  pieces.forEach((b, s) => {
    let p = 0;
    if (s > 0) {
      const q = b.indexOf(LF);
      if (q < 0) return;
      p = q + 1;
    }
    const p0 = p;
    let k = 0;
    while (k < lines / pieces.length) {
      const q = b.indexOf(LF, p);
      if (q < 0) break;
      p = q + 1;
      k++;
    }
    bytes += p - p0;
    count += k;
  });
  return count === 0 ? Math.max(1, pieces[0]?.length ?? 1) : Math.max(1, bytes / count);
}

/** The most frequent of `,` TAB `;` outside quotes on the first non-blank line; `,` when none occurs. */
function detectDelimiter(b: Uint8Array, start: number): number {
  let comma = 0;
  let tab = 0;
  let semi = 0;
  let inQuote = false;
  let p = start;
  while (p < b.length && (b[p] === LF || b[p] === CR)) p++;
  for (; p < b.length; p++) {
    const c = b[p];
    if (c === QUOTE) inQuote = !inQuote;
    else if (inQuote) continue;
    else if (c === LF || c === CR) break;
    else if (c === 0x2c) comma++;
    else if (c === TAB) tab++;
    else if (c === 0x3b) semi++;
  }
  if (tab > comma && tab >= semi) return TAB;
  if (semi > comma && semi > tab) return 0x3b;
  return 0x2c;
}

/** Compares cells with the na strings as bytes; non-ASCII na strings in a GBK file are compared after decoding. */
class NaMatcher {
  private readonly byteForms: Uint8Array[] = [];
  /** The longest na string in bytes (-1 when there are none): longer cells need no comparison. */
  readonly maxLen: number;
  private readonly decodedForms: Set<string>;
  private readonly emptyIsNa: boolean;
  /** Some na string is a plain number (`-99`), so numeric-looking cells must be compared too. */
  readonly hasNumber: boolean;

  /** Some na string can only be compared after decoding (non-ASCII in a GBK file). */
  get hasDecodedForms(): boolean {
    return this.decodedForms.size > 0;
  }

  constructor(na: readonly string[], encoding: string) {
    const utf8 = encoding === 'utf-8';
    const enc = new TextEncoder();
    this.decodedForms = new Set();
    this.emptyIsNa = na.includes('');
    for (const s of na) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range test needs \x00
      if (utf8 || /^[\x00-\x7f]*$/.test(s)) this.byteForms.push(enc.encode(s));
      else this.decodedForms.add(s);
    }
    this.hasNumber = na.some((s) => parseNumberText(s.trim()) === parseNumberText(s.trim()));
    this.maxLen = this.byteForms.reduce((m, f) => Math.max(m, f.length), -1);
  }

  matches(b: Uint8Array, s: number, e: number, escaped: boolean, decode: Decode, line: number): boolean {
    const len = e - s;
    if (len === 0) return this.emptyIsNa;
    if (len <= this.maxLen && !escaped) {
      for (const f of this.byteForms) {
        if (f.length !== len) continue;
        let k = 0;
        while (k < len && b[s + k] === f[k]) k++;
        if (k === len) return true;
      }
    }
    if (this.decodedForms.size > 0) {
      let t = decode(b, s, e, line);
      if (escaped) t = t.replace(/""/g, '"');
      return this.decodedForms.has(t);
    }
    return false;
  }
}

/**
 * One column while reading: numeric (values) until a cell is not a number, then text (codes). Cells before the
 * switch are filled in by fillEarlyText.
 */
class ColumnBuilder {
  values: Float64Array | null;
  codes: Int32Array | null = null;
  switchRow = -1;
  firstNonNumeric: NonNumericCell | null = null;
  readonly levels = new LevelTable();

  /** `shared`: the arrays live on SharedArrayBuffers (a second thread writes its rows into them). */
  constructor(
    cap: number,
    private readonly shared = false,
  ) {
    this.values = this.f64(cap);
  }

  private f64(cap: number): Float64Array {
    return this.shared ? new Float64Array(new SharedArrayBuffer(cap * 8)) : new Float64Array(cap);
  }

  private i32(cap: number): Int32Array {
    return this.shared ? new Int32Array(new SharedArrayBuffer(cap * 4)) : new Int32Array(cap);
  }

  grow(cap: number): void {
    if (this.values) {
      const v = this.f64(cap);
      v.set(this.values);
      this.values = v;
    }
    if (this.codes) {
      const c = this.i32(cap);
      c.set(this.codes);
      this.codes = c;
    }
  }

  toText(row: number, first: NonNumericCell, cap: number): void {
    this.switchRow = row;
    this.firstNonNumeric = first;
    this.values = null;
    this.codes = this.i32(cap);
  }

  /** Levels in order of first appearance (the early rows were interned after the later ones). */
  reorderLevels(nrows: number): void {
    const codes = this.codes!;
    const old = this.levels.levels;
    const map = new Int32Array(old.length).fill(-1);
    const levels: string[] = [];
    for (let i = 0; i < nrows; i++) {
      const c = codes[i]!;
      if (c < 0) continue;
      let m = map[c]!;
      if (m < 0) {
        m = levels.length;
        map[c] = m;
        levels.push(old[c]!);
      }
      codes[i] = m;
    }
    this.levels.levels = levels;
  }
}

/**
 * The distinct values of a text column. Cells are looked up by their bytes in an open-addressing hash table, so a
 * value is decoded to a string only the first time it appears (a firm id column of a million rows decodes each
 * id once). Cells with doubled quotes go through their decoded text.
 */
class LevelTable {
  levels: string[] = [];
  private readonly byText = new Map<string, number>();
  private slots = new Int32Array(64).fill(-1);
  /** The keys' bytes, copied (a file read in windows does not keep its bytes): key k is arena[keyStart[k]..keyEnd[k]). */
  private arena = new Uint8Array(1024);
  private arenaLen = 0;
  private keyStart: number[] = [];
  private keyEnd: number[] = [];
  private keyHash: number[] = [];
  private keyCode: number[] = [];

  /**
   * `byText` maps text to level for the levels whose text may also arise from other bytes: non-ASCII levels
   * (GB18030 decodes a few different byte pairs to the same character) and, once a cell with doubled quotes has
   * appeared, every level. Distinct ASCII bytes are distinct text, so they skip the Map until then.
   */
  private textIndexComplete = false;

  intern(b: Uint8Array, s: number, e: number, escaped: boolean, decode: Decode, line: number): number {
    if (escaped) {
      if (!this.textIndexComplete) {
        this.levels.forEach((t, c) => {
          if (!this.byText.has(t)) this.byText.set(t, c);
        });
        this.textIndexComplete = true;
      }
      return this.byString(decode(b, s, e, line).replace(/""/g, '"'));
    }
    let h = FNV_OFFSET;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, FNV_PRIME);
    return this.internHashed(b, s, e, h, decode, line);
  }

  /** `intern` for bytes whose FNV-1a hash `h` the caller computed while scanning them. */
  internHashed(b: Uint8Array, s: number, e: number, h: number, decode: Decode, line: number): number {
    // Panels are usually sorted by unit: the cell often repeats the previous one.
    const k = this.lastKey;
    if (k >= 0 && h === this.keyHash[k]) {
      const ks = this.keyStart[k]!;
      const len = e - s;
      if (this.keyEnd[k]! - ks === len) {
        const a = this.arena;
        let i = 0;
        while (i < len && a[ks + i] === b[s + i]) i++;
        if (i === len) return this.keyCode[k]!;
      }
    }
    return this.lookup(b, s, e, h, decode, line);
  }

  /** The key the last cell matched (-1 before the first). */
  private lastKey = -1;

  private lookup(b: Uint8Array, s: number, e: number, h: number, decode: Decode, line: number): number {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    const len = e - s;
    const a = this.arena;
    for (;;) {
      const k = this.slots[slot]!;
      if (k < 0) break;
      if (this.keyHash[k] === h) {
        const ks = this.keyStart[k]!;
        if (this.keyEnd[k]! - ks === len) {
          let i = 0;
          while (i < len && a[ks + i] === b[s + i]) i++;
          if (i === len) {
            this.lastKey = k;
            return this.keyCode[k]!;
          }
        }
      }
      slot = (slot + 1) & mask;
    }
    const text = decode(b, s, e, line);
    let ascii = true;
    if (!this.textIndexComplete)
      for (let i = s; i < e; i++)
        if (b[i]! >= 0x80) {
          ascii = false;
          break;
        }
    let code: number;
    if (ascii && !this.textIndexComplete) {
      code = this.levels.length;
      this.levels.push(text);
    } else code = this.byString(text);
    if (this.arenaLen + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + len));
      bigger.set(this.arena.subarray(0, this.arenaLen));
      this.arena = bigger;
    }
    this.arena.set(b.subarray(s, e), this.arenaLen);
    const k = this.keyStart.length;
    this.keyStart.push(this.arenaLen);
    this.keyEnd.push(this.arenaLen + len);
    this.arenaLen += len;
    this.keyHash.push(h);
    this.keyCode.push(code);
    this.slots[slot] = k;
    this.lastKey = k;
    if ((k + 1) * 2 > this.slots.length) this.rehash();
    return code;
  }

  private byString(t: string): number {
    let c = this.byText.get(t);
    if (c === undefined) {
      c = this.levels.length;
      this.byText.set(t, c);
      this.levels.push(t);
    }
    return c;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.keyHash.length; k++) {
      let slot = this.keyHash[k]! & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = k;
    }
    this.slots = slots;
  }
}

/**
 * Second pass over the first rows (from `dataStart`, a byte offset of the whole), for the columns whose first
 * non-number came after row 0. `win` holds the bytes from the start of the file (a fresh window of a file, or the
 * bytes in memory).
 */
function fillEarlyText(
  win: Window,
  delim: number,
  file: string,
  dataStart: number,
  dataLine: number,
  cols: ColumnBuilder[],
  late: number[],
  na: NaMatcher,
  decode: Decode,
): void {
  const until = Math.max(...late.map((j) => cols[j]!.switchRow));
  const wanted = new Int32Array(cols.length).fill(-1);
  for (const j of late) wanted[j] = cols[j]!.switchRow;
  // A header longer than the window: skip windows up to the first record.
  while (dataStart - win.base > win.len && !win.final) win.advance(win.len);
  const sc = new FieldScanner(win.buf, delim, file);
  let pos = dataStart - win.base;
  let line = dataLine;
  let row = 0;
  while (row < until) {
    sc.reset(win, pos, line);
    const bytes = win.buf;
    const n = win.len;
    records: while (sc.pos < n && row < until) {
      const c0 = bytes[sc.pos]!;
      if (c0 === LF) {
        sc.pos++;
        sc.line++;
        continue;
      }
      if (c0 === CR) {
        sc.pos++;
        if (sc.pos < n && bytes[sc.pos] === LF) sc.pos++;
        sc.line++;
        continue;
      }
      const recLine = sc.line;
      const recStart = sc.pos;
      let col = 0;
      for (;;) {
        sc.scan();
        if (sc.more) {
          sc.pos = recStart;
          sc.line = recLine;
          break records;
        }
        if (col < cols.length && row < wanted[col]!) {
          const cb = cols[col]!;
          cb.codes![row] = na.matches(bytes, sc.start, sc.end, sc.escaped, decode, recLine)
            ? -1
            : cb.levels.intern(bytes, sc.start, sc.end, sc.escaped, decode, recLine);
        }
        col++;
        const c = sc.pos < n ? bytes[sc.pos]! : -1;
        if (c === delim) {
          sc.pos++;
          continue;
        }
        if (c === CR) {
          sc.pos++;
          if (sc.pos < n && bytes[sc.pos] === LF) sc.pos++;
          sc.line++;
        } else if (c === LF) {
          sc.pos++;
          sc.line++;
        }
        break;
      }
      row++;
    }
    pos = sc.pos;
    line = sc.line;
    if (row >= until || win.final) break;
    win.advance(pos);
    pos = 0;
  }
}
