/**
 * Parquet input (issue 19), read column by column with hyparquet (pure JavaScript; loaded only when a .parquet file is
 * read) and only the columns asked for. Columns come out as the CSV reader (csv.ts) would give them from the same data
 * written as text, so that a .csv and a .parquet of one dataset give the same frame:
 * - integers (INT32, INT64, unsigned, DECIMAL) and floats → numbers; NULL and NaN → missing;
 * - BOOLEAN → 1 / 0 (a spec can use it in a model or a sample directly);
 * - strings → the text as read: cells listed in `na` are missing, and a column whose every other cell is a plain
 *   number becomes numeric (as in a CSV); otherwise a text column, with its first non-number cell for the messages;
 * - DATE → `YYYY-MM-DD` text; TIMESTAMP → ISO 8601 text (`2020-01-31T12:00:00.000Z`), as a CSV would hold them.
 * Nested columns (lists, structs, maps) are refused with DATA_PARSE when asked for.
 *
 * The header (column names) comes from the file's footer alone: `parquetColumnNames` (used by the semantic checks)
 * reads no column data.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import { Frame, type Column } from '../../core/frame.js';
import { isoDate, isoTimestamp, textCellsColumn } from './columnar.js';
import { DEFAULT_NA, type NonNumericCell, type TableRead } from './types.js';

export interface ParquetOptions {
  /** The name used in messages. */
  readonly file: string;
  /** Cell values of string columns read as missing. __Default value:__ `["", "NA", "NaN", "."]`. */
  readonly na?: readonly string[];
  /**
   * Read only these columns (the names the specs use; names not in the file are ignored). __Default value:__ every
   * column.
   */
  readonly columns?: ReadonlySet<string> | null;
}

interface SchemaElement {
  name: string;
  type?: string;
  num_children?: number;
  converted_type?: string;
  logical_type?: { type: string };
}

type Hyparquet = typeof import('hyparquet');
type Compressors = typeof import('hyparquet-compressors');

let lib: Promise<[Hyparquet, Compressors]> | null = null;
function load(): Promise<[Hyparquet, Compressors]> {
  lib ??= Promise.all([import('hyparquet'), import('hyparquet-compressors')]);
  return lib;
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer)
    return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

function parseError(file: string, e: unknown): SpecrunError {
  return new SpecrunError('DATA_PARSE', {
    file,
    detail: `not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`,
  });
}

/** The top-level columns of the file's schema: name and element (nested ones have children). */
function topColumns(schema: readonly SchemaElement[]): { name: string; element: SchemaElement }[] {
  const out: { name: string; element: SchemaElement }[] = [];
  const root = schema[0];
  let i = 1;
  for (let c = 0; c < (root?.num_children ?? 0); c++) {
    const element = schema[i]!;
    out.push({ name: element.name, element });
    // Skip the element's whole subtree.
    let pending = element.num_children ?? 0;
    i++;
    while (pending > 0) {
      pending += (schema[i]!.num_children ?? 0) - 1;
      i++;
    }
  }
  return out;
}

/** The column names of a Parquet file, from its footer. */
export async function parquetColumnNames(bytes: Uint8Array, file: string): Promise<string[]> {
  const [hp] = await load();
  try {
    const metadata = hp.parquetMetadata(arrayBufferOf(bytes));
    return topColumns(metadata.schema as SchemaElement[]).map((c) => c.name);
  } catch (e) {
    throw parseError(file, e);
  }
}

/** Dates and timestamps as text (what a CSV of the same data holds), instead of hyparquet's Date objects. */
const PARSERS = {
  dateFromDays: (days: number) => (days === null || days === undefined ? null : isoDate(Number(days))),
  timestampFromMilliseconds: (v: bigint | number) => (v === null || v === undefined ? null : isoTimestamp(Number(v))),
  timestampFromMicroseconds: (v: bigint) =>
    v === null || v === undefined ? null : isoTimestamp(Number(BigInt(v) / 1000n)),
  timestampFromNanoseconds: (v: bigint) =>
    v === null || v === undefined ? null : isoTimestamp(Number(BigInt(v) / 1000000n)),
};

/** Read a Parquet file's columns (all, or those in `opts.columns`, in the file's order) as a frame. */
export async function readParquet(bytes: Uint8Array, opts: ParquetOptions): Promise<TableRead> {
  return readParquetFrom(arrayBufferOf(bytes), opts);
}

/**
 * The same from a file on disk, without holding it in memory (issue 19: a 10⁸-row file is several GB): the footer,
 * then one row group at a time, only the asked-for column chunks, each copied into its column as it is decoded.
 */
export async function readParquetFile(path: string, opts: ParquetOptions): Promise<TableRead> {
  const fd = openSync(path, 'r');
  try {
    return await readParquetFrom(fileBuffer(fd), opts);
  } finally {
    closeSync(fd);
  }
}

/** The column names of a Parquet file on disk, from its footer alone. */
export async function parquetFileColumnNames(path: string, file: string): Promise<string[]> {
  const [hp] = await load();
  const fd = openSync(path, 'r');
  try {
    const metadata = await hp.parquetMetadataAsync(fileBuffer(fd));
    return topColumns(metadata.schema as SchemaElement[]).map((c) => c.name);
  } catch (e) {
    throw parseError(file, e);
  } finally {
    closeSync(fd);
  }
}

/** hyparquet's AsyncBuffer over an open file: each slice is one positioned read. */
function fileBuffer(fd: number): { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> } {
  const size = fstatSync(fd).size;
  return {
    byteLength: size,
    slice(start: number, end = size) {
      const len = Math.max(0, Math.min(end, size) - start);
      const buf = Buffer.allocUnsafeSlow(len);
      let off = 0;
      while (off < len) {
        const n = readSync(fd, buf, off, len - off, start + off);
        if (n === 0) break;
        off += n;
      }
      const ab = buf.buffer as ArrayBuffer;
      return Promise.resolve(buf.byteOffset === 0 && ab.byteLength === off ? ab : ab.slice(buf.byteOffset, off));
    },
  };
}

type ParquetFile = ArrayBuffer | { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> };

async function readParquetFrom(source: ParquetFile, opts: ParquetOptions): Promise<TableRead> {
  const [hp, compressors] = await load();
  const file = opts.file;
  let metadata: ReturnType<Hyparquet['parquetMetadata']>;
  try {
    metadata =
      source instanceof ArrayBuffer ? hp.parquetMetadata(source) : await hp.parquetMetadataAsync(source as never);
  } catch (e) {
    throw parseError(file, e);
  }
  const all = topColumns(metadata.schema as SchemaElement[]);
  const wanted = opts.columns ? all.filter((c) => opts.columns!.has(c.name)) : all;
  for (const c of wanted) {
    if ((c.element.num_children ?? 0) > 0) {
      throw new SpecrunError('DATA_PARSE', {
        file,
        detail: `column ${c.name} is nested (a list, struct or map); only flat columns can be read`,
      });
    }
  }
  const nrows = Number(metadata.num_rows);
  const na = new Set(opts.na ?? DEFAULT_NA);
  // Each column filled chunk by chunk as they are decoded, one row group at a time (a whole file's chunks at once
  // would hold all its bytes and all its decoded pages in memory together).
  const sinks = new Map<string, ColumnSink>();
  for (const c of wanted) sinks.set(c.name, columnSink(nrows, c.element));
  if (wanted.length > 0 && nrows > 0) {
    try {
      let groupStart = 0;
      for (const g of metadata.row_groups) {
        const groupEnd = groupStart + Number(g.num_rows);
        if (groupEnd > groupStart) {
          await hp.parquetRead({
            file: source as never,
            metadata,
            columns: wanted.map((c) => c.name),
            rowStart: groupStart,
            rowEnd: groupEnd,
            compressors: compressors.compressors,
            parsers: PARSERS as never,
            utf8: true,
            onChunk: (chunk) =>
              sinks.get(chunk.columnName)?.add(chunk.rowStart, chunk.columnData as ArrayLike<unknown>),
          });
        }
        groupStart = groupEnd;
      }
    } catch (e) {
      throw parseError(file, e);
    }
  }
  const columns: [string, Column][] = [];
  const nonNumeric = new Map<string, NonNumericCell>();
  const notes: Note[] = [];
  for (const c of wanted) {
    const col = sinks.get(c.name)!.finish(na);
    columns.push([c.name, col.column]);
    if (col.nonNumeric) nonNumeric.set(c.name, col.nonNumeric);
  }
  return { frame: new Frame(nrows, columns), nonNumeric, format: 'parquet', notes };
}

function isStringElement(e: SchemaElement): boolean {
  return (
    e.type === 'BYTE_ARRAY' ||
    e.type === 'FIXED_LEN_BYTE_ARRAY' ||
    e.converted_type === 'DATE' ||
    e.converted_type === 'TIMESTAMP_MILLIS' ||
    e.converted_type === 'TIMESTAMP_MICROS' ||
    e.type === 'INT96' ||
    e.logical_type?.type === 'TIMESTAMP' ||
    e.logical_type?.type === 'DATE' ||
    e.logical_type?.type === 'STRING'
  );
}

interface ColumnSink {
  add(rowStart: number, data: ArrayLike<unknown>): void;
  finish(na: ReadonlySet<string>): { column: Column; nonNumeric: NonNumericCell | null };
}

/** One column, filled from its chunks: numbers stay numbers, text goes through what a CSV cell goes through. */
function columnSink(nrows: number, element: SchemaElement): ColumnSink {
  const decimal = element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL';
  if (!isStringElement(element) || decimal) {
    const out = new Float64Array(nrows).fill(NaN);
    return {
      add(rowStart, d) {
        const end = Math.min(nrows, rowStart + d.length);
        // A REQUIRED DOUBLE column comes as Float64Array chunks: copied as they are. (An integer beyond 2^53
        // becomes the nearest double, as the same digits in a CSV would.)
        if (d instanceof Float64Array) {
          out.set(d.subarray(0, end - rowStart), rowStart);
          return;
        }
        if (d instanceof Int32Array || d instanceof Float32Array) {
          for (let i = rowStart; i < end; i++) out[i] = d[i - rowStart]!;
          return;
        }
        for (let i = rowStart; i < end; i++) {
          const v = d[i - rowStart];
          if (v === null || v === undefined) continue;
          if (typeof v === 'boolean') out[i] = v ? 1 : 0;
          else out[i] = Number(v);
        }
      },
      finish: () => ({ column: out, nonNumeric: null }),
    };
  }
  const values: (string | null)[] = new Array(nrows).fill(null);
  const raw: (unknown | null)[] = values;
  return {
    add(rowStart, d) {
      const end = Math.min(nrows, rowStart + d.length);
      for (let i = rowStart; i < end; i++) raw[i] = d[i - rowStart] ?? null;
    },
    finish(na) {
      for (let i = 0; i < nrows; i++) {
        let v = raw[i];
        if (v instanceof Uint8Array) v = new TextDecoder().decode(v);
        values[i] = typeof v !== 'string' || na.has(v) ? null : v;
      }
      return textCellsColumn(values);
    },
  };
}
