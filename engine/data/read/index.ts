/**
 * readTable: one entry point for data.source files. Dispatches on the extension, reads the file once (or uses the
 * bytes the caller already read, e.g. to checksum them).
 *   .csv, .txt  → CSV (delimiter detected: `,` TAB `;`)
 *   .tsv        → CSV with TAB as the delimiter
 *   .xlsx       → XLSX (first sheet, or `sheet`)
 *   .csv.gz, .txt.gz, .tsv.gz → decompressed in memory, then as above (large microdata often ships gzipped)
 *   .parquet    → Parquet, column by column, only the columns asked for (`columns`; engine/data/read/parquet.ts)
 *   .arrow, .feather, .ipc, .arrows → Arrow IPC (file or stream format), only the columns asked for
 *                 (engine/data/read/arrow.ts)
 */
import { notARegularFile, readFileLimited, readLimit, tooLargeError, UnreadableFile } from '../../core/read-limited.js';
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { zlib } from '../../core/lazy-builtins.js';
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import { sha256File } from '../../core/hashing.js';
import { readCsv, readCsvFileParallel, type CsvEncoding } from './csv.js';
import type { TableRead } from './types.js';

export interface ReadTableOptions {
  /** The name used in messages (the source as the user wrote it). __Default value:__ `path`. */
  file?: string;
  /** The file's bytes when the caller has read them already; otherwise the file is read here. */
  bytes?: Uint8Array;
  /** CSV only. __Default value:__ `auto`. */
  encoding?: CsvEncoding;
  /** CSV only. __Default value:__ detected from the header line (TAB for .tsv). */
  delimiter?: ',' | '\t' | ';';
  /** XLSX only. __Default value:__ the first sheet. */
  sheet?: string;
  /** __Default value:__ `["", "NA", "NaN", "."]`. */
  na?: readonly string[];
  /**
   * Parquet and Arrow only: read just these columns (names not in the file are ignored). CSV and XLSX are read whole.
   * __Default value:__ every column.
   */
  columns?: ReadonlySet<string> | null;
}

export type DataFormat = 'csv' | 'xlsx' | 'parquet' | 'arrow';

/** Extensions of the Arrow IPC formats: the file format (Feather V2 is that format) and the stream format. */
const ARROW_EXTENSIONS = new Set(['.arrow', '.feather', '.ipc', '.arrows']);

/** The reader for a path, by its extension; throws DATA_UNSUPPORTED_FORMAT for anything else. */
export function formatOf(path: string, file = path): { format: DataFormat; delimiter?: '\t'; gzip: boolean } {
  let ext = extname(path).toLowerCase();
  const gzip = ext === '.gz';
  if (gzip) ext = extname(path.slice(0, -3)).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return { format: 'csv', gzip };
  if (ext === '.tsv') return { format: 'csv', delimiter: '\t', gzip };
  if (ext === '.xlsx' && !gzip) return { format: 'xlsx', gzip };
  if (ext === '.parquet' && !gzip) return { format: 'parquet', gzip };
  if (ARROW_EXTENSIONS.has(ext) && !gzip) return { format: 'arrow', gzip };
  const shown = (ext === '' ? '(no extension)' : ext) + (gzip ? '.gz' : '');
  throw new SpecrunError('DATA_UNSUPPORTED_FORMAT', { file, ext: shown });
}

export async function readTable(path: string, opts: ReadTableOptions = {}): Promise<TableRead> {
  const file = opts.file ?? path;
  const { format, delimiter, gzip } = formatOf(path, file);
  let bytes = opts.bytes;
  if (!bytes) {
    try {
      bytes = readFileLimited(path, 'data');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.message;
      throw new SpecrunError('DATA_NOT_FOUND', { file, reason });
    }
  }
  if (gzip) {
    try {
      // A gzip bomb stops at the same limit as a file.
      bytes = zlib().gunzipSync(bytes, { maxOutputLength: readLimit('data') });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new SpecrunError('DATA_NOT_FOUND', {
          file,
          reason: `it unpacks to more than the limit of ${readLimit('data')} bytes (SPECRUN_MAX_DATA_BYTES)`,
        });
      }
      throw new SpecrunError('DATA_PARSE', { file, detail: `not a readable gzip file (${(e as Error).message})` });
    }
  }
  if (format === 'parquet') {
    const { readParquet } = await import('./parquet.js');
    return readParquet(bytes, { file, na: opts.na, columns: opts.columns ?? null });
  }
  if (format === 'arrow') {
    const { readArrow } = await import('./arrow.js');
    return readArrow(bytes, { file, na: opts.na, columns: opts.columns ?? null });
  }
  if (format === 'xlsx') {
    // exceljs is large: load it only when a spreadsheet is read (it adds ~0.2 s to every start-up otherwise).
    const { readXlsx } = await import('./xlsx.js');
    return readXlsx(bytes, { file, sheet: opts.sheet, na: opts.na });
  }
  return readCsv(bytes, { file, encoding: opts.encoding, na: opts.na, delimiter: opts.delimiter ?? delimiter });
}

/**
 * A plain CSV file (not gzipped) read in windows, with the SHA-256 of its bytes from the same reads; null for any
 * other format (the caller reads those whole). Errors as readTable's: DATA_NOT_FOUND (missing, not a regular file,
 * more than the limit), DATA_PARSE, DATA_ENCODING.
 */
export async function readCsvStreamed(
  path: string,
  opts: Omit<ReadTableOptions, 'bytes' | 'sheet' | 'columns'> & {
    /** Threads that may read a large file (csv.ts `readCsvFileParallel`); the result is the same. __Default:__ 1 */
    threads?: number;
  } = {},
): Promise<{ table: TableRead; checksum: string } | null> {
  const file = opts.file ?? path;
  const { format, delimiter, gzip } = formatOf(path, file);
  if (format !== 'csv' || gzip) return null;
  try {
    // A FIFO or a device would block the open or never end (engine/core/read-limited.ts).
    const odd = notARegularFile(path);
    if (odd) throw new UnreadableFile(odd);
    const size = statSync(path).size;
    if (size > readLimit('stream')) throw tooLargeError(size, 'stream');
    const { table, checksum } = await readCsvFileParallel(
      path,
      { file, encoding: opts.encoding, na: opts.na, delimiter: opts.delimiter ?? delimiter },
      readLimit('stream'),
      (size) => tooLargeError(size, 'stream'),
      opts.threads ?? 1,
    );
    return { table, checksum };
  } catch (e) {
    if (e instanceof SpecrunError) throw e;
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.message;
    throw new SpecrunError('DATA_NOT_FOUND', { file, reason });
  }
}

/**
 * A plain Parquet file read from disk row group by row group (engine/data/read/parquet.ts `readParquetFile`), with
 * the SHA-256 of its bytes; null for any other format. Errors as readCsvStreamed's.
 */
export async function readParquetStreamed(
  path: string,
  opts: Pick<ReadTableOptions, 'file' | 'na' | 'columns'> = {},
): Promise<{ table: TableRead; checksum: string } | null> {
  const file = opts.file ?? path;
  const { format } = formatOf(path, file);
  if (format !== 'parquet') return null;
  let checksum: string;
  try {
    const odd = notARegularFile(path);
    if (odd) throw new UnreadableFile(odd);
    const size = statSync(path).size;
    if (size > readLimit('stream')) throw tooLargeError(size, 'stream');
    checksum = sha256File(path, readLimit('stream'), (n) => tooLargeError(n, 'stream'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.message;
    throw new SpecrunError('DATA_NOT_FOUND', { file, reason });
  }
  const { readParquetFile } = await import('./parquet.js');
  const table = await readParquetFile(path, { file, na: opts.na, columns: opts.columns ?? null });
  return { table, checksum };
}

export { readCsv } from './csv.js';
export type { TableRead, NonNumericCell } from './types.js';
export { DEFAULT_NA } from './types.js';
