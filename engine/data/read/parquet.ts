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
  const [hp, compressors] = await load();
  const file = opts.file;
  const buffer = arrayBufferOf(bytes);
  let metadata: ReturnType<Hyparquet['parquetMetadata']>;
  try {
    metadata = hp.parquetMetadata(buffer);
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
  // Each column's values, filled chunk by chunk (one chunk per row group).
  const parts = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
  for (const c of wanted) parts.set(c.name, []);
  if (wanted.length > 0 && nrows > 0) {
    try {
      await hp.parquetRead({
        file: buffer,
        metadata,
        columns: wanted.map((c) => c.name),
        compressors: compressors.compressors,
        parsers: PARSERS as never,
        utf8: true,
        onChunk: (chunk) => {
          parts.get(chunk.columnName)?.push({ rowStart: chunk.rowStart, data: chunk.columnData as ArrayLike<unknown> });
        },
      });
    } catch (e) {
      throw parseError(file, e);
    }
  }
  const columns: [string, Column][] = [];
  const nonNumeric = new Map<string, NonNumericCell>();
  const notes: Note[] = [];
  for (const c of wanted) {
    const chunks = parts.get(c.name)!;
    const col = toColumn(chunks, nrows, c.element, na);
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

/** One column from its chunks: numbers stay numbers, text goes through what a CSV cell goes through. */
function toColumn(
  chunks: readonly { rowStart: number; data: ArrayLike<unknown> }[],
  nrows: number,
  element: SchemaElement,
  na: ReadonlySet<string>,
): { column: Column; nonNumeric: NonNumericCell | null } {
  const decimal = element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL';
  if (!isStringElement(element) || decimal) {
    const out = new Float64Array(nrows).fill(NaN);
    for (const ch of chunks) {
      const d = ch.data;
      const end = Math.min(nrows, ch.rowStart + d.length);
      // A REQUIRED DOUBLE column comes as Float64Array chunks: copied as they are. (An integer beyond 2^53 becomes
      // the nearest double, as the same digits in a CSV would.)
      if (d instanceof Float64Array) {
        out.set(d.subarray(0, end - ch.rowStart), ch.rowStart);
        continue;
      }
      for (let i = ch.rowStart; i < end; i++) {
        const v = d[i - ch.rowStart];
        if (v === null || v === undefined) continue;
        if (typeof v === 'boolean') out[i] = v ? 1 : 0;
        else out[i] = Number(v);
      }
    }
    return { column: out, nonNumeric: null };
  }
  const values: (string | null)[] = new Array(nrows).fill(null);
  for (const ch of chunks) {
    const d = ch.data;
    const end = Math.min(nrows, ch.rowStart + d.length);
    for (let i = ch.rowStart; i < end; i++) {
      let v = d[i - ch.rowStart];
      if (v instanceof Uint8Array) v = new TextDecoder().decode(v);
      if (typeof v !== 'string' || na.has(v)) continue;
      values[i] = v;
    }
  }
  return textCellsColumn(values);
}
