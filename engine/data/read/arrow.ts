/**
 * Arrow IPC input (issue 19): the Arrow IPC file format (`.arrow`, `.feather` — Feather V2 is that format — `.ipc`)
 * and the IPC stream format (`.arrows`), decoded with flechette (pure JavaScript, loaded only when such a file is
 * read). Buffers compressed with LZ4 (frame format) or ZSTD — the defaults of pyarrow's and R arrow's
 * `write_feather` — are decompressed here (engine/data/read/lz4-frame.ts, fzstd). Only the columns asked for are
 * converted. Columns come out as the CSV reader (csv.ts) would give them from the same data written as text, exactly
 * as for Parquet (parquet.ts):
 * - integers (8–64 bit, signed or not), floats (16–64 bit) and decimals → numbers; NULL and NaN → missing (a 64-bit
 *   integer beyond 2⁵³ becomes the nearest double, as its digits in a CSV would);
 * - booleans → 1 / 0;
 * - strings (plain, large or dictionary-encoded) → the text as read: cells listed in `na` are missing, and a column
 *   whose every other cell is a plain number becomes numeric; otherwise a text column;
 * - dates → `YYYY-MM-DD` text; timestamps → ISO 8601 text (`2020-01-31T12:00:00.000Z`).
 * Other types (binary, time of day, durations, intervals, lists, structs, maps, unions) are refused with DATA_PARSE
 * when asked for; a column of only nulls is a numeric column of missing values.
 */
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import { Frame, type Column } from '../../core/frame.js';
import { isoDate, isoTimestamp, textCellsColumn } from './columnar.js';
import { DEFAULT_NA, type NonNumericCell, type TableRead } from './types.js';

export interface ArrowOptions {
  /** The name used in messages. */
  readonly file: string;
  /** Cell values of string columns read as missing. __Default value:__ `["", "NA", "NaN", "."]`. */
  readonly na?: readonly string[];
  /** Read only these columns (names not in the file are ignored). __Default value:__ every column. */
  readonly columns?: ReadonlySet<string> | null;
}

type Flechette = typeof import('@uwdata/flechette');
type ArrowTable = ReturnType<Flechette['tableFromIPC']>;

let lib: Promise<Flechette> | null = null;
/** flechette with the LZ4-frame and ZSTD codecs registered (once). */
function load(): Promise<Flechette> {
  lib ??= (async () => {
    const [fl, fzstd, lz4] = await Promise.all([
      import('@uwdata/flechette'),
      import('fzstd'),
      import('./lz4-frame.js'),
    ]);
    const refuse = (): never => {
      throw new Error('specrun reads compressed Arrow buffers but does not write them');
    };
    fl.setCompressionCodec(fl.CompressionType.LZ4_FRAME, {
      encode: refuse,
      decode: (bytes: Uint8Array, length?: number) => lz4.decompressLz4Frame(bytes, length),
    });
    fl.setCompressionCodec(fl.CompressionType.ZSTD, {
      encode: refuse,
      decode: (bytes: Uint8Array, length?: number) =>
        length === undefined ? fzstd.decompress(bytes) : fzstd.decompress(bytes, new Uint8Array(length)),
    });
    return fl;
  })();
  return lib;
}

function parseError(file: string, e: unknown): SpecrunError {
  return new SpecrunError('DATA_PARSE', {
    file,
    detail: `not a readable Arrow IPC file (${e instanceof Error ? e.message : String(e)})`,
  });
}

async function decode(bytes: Uint8Array, file: string): Promise<{ fl: Flechette; table: ArrowTable }> {
  // Feather V1 (before Arrow 0.17) is another format, starting with FEA1.
  if (bytes.length >= 4 && String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!) === 'FEA1') {
    throw new SpecrunError('DATA_PARSE', {
      file,
      detail:
        'this is a Feather V1 file, which specrun does not read; save it again as Feather V2 (arrow::write_feather or pyarrow.feather.write_feather with version=2, their default)',
    });
  }
  const fl = await load();
  try {
    // 64-bit integers as BigInt (converted to the nearest double below) rather than flechette's error beyond 2⁵³.
    return { fl, table: fl.tableFromIPC(bytes, { useBigInt: true }) };
  } catch (e) {
    throw parseError(file, e);
  }
}

/** The column names of an Arrow IPC file (the schema; no column is converted). */
export async function arrowColumnNames(bytes: Uint8Array, file: string): Promise<string[]> {
  const { table } = await decode(bytes, file);
  return table.schema.fields.map((f) => f.name);
}

/** Read an Arrow IPC file's columns (all, or those in `opts.columns`, in the file's order) as a frame. */
export async function readArrow(bytes: Uint8Array, opts: ArrowOptions): Promise<TableRead> {
  const { fl, table } = await decode(bytes, opts.file);
  const T = fl.Type;
  const nrows = table.numRows;
  const na = new Set(opts.na ?? DEFAULT_NA);
  const columns: [string, Column][] = [];
  const nonNumeric = new Map<string, NonNumericCell>();
  for (const field of table.schema.fields) {
    if (opts.columns && !opts.columns.has(field.name)) continue;
    let type = field.type as { typeId: number; dictionary?: { typeId: number } };
    if (type.typeId === T.Dictionary && type.dictionary) type = type.dictionary;
    const child = table.getChild(field.name);
    let values: ArrayLike<unknown>;
    try {
      values = child.toArray() as ArrayLike<unknown>;
    } catch (e) {
      throw parseError(opts.file, e);
    }
    const id = type.typeId;
    if (id === T.Int || id === T.Float || id === T.Decimal || id === T.Bool || id === T.Null) {
      columns.push([field.name, numbers(values, nrows)]);
    } else if (id === T.Utf8 || id === T.LargeUtf8 || id === T.Utf8View) {
      const text: (string | null)[] = new Array(nrows).fill(null);
      for (let i = 0; i < nrows; i++) {
        const v = values[i];
        if (typeof v === 'string' && !na.has(v)) text[i] = v;
      }
      const col = textCellsColumn(text);
      columns.push([field.name, col.column]);
      if (col.nonNumeric) nonNumeric.set(field.name, col.nonNumeric);
    } else if (id === T.Date || id === T.Timestamp) {
      // flechette gives both as milliseconds since 1970-01-01 (UTC).
      const text: (string | null)[] = new Array(nrows).fill(null);
      for (let i = 0; i < nrows; i++) {
        const v = values[i];
        if (v === null || v === undefined) continue;
        const ms = Number(v);
        text[i] = id === T.Date ? isoDate(Math.floor(ms / 86400000)) : isoTimestamp(ms);
      }
      const col = textCellsColumn(text);
      columns.push([field.name, col.column]);
      if (col.nonNumeric) nonNumeric.set(field.name, col.nonNumeric);
    } else {
      const name = Object.keys(T).find((k) => (T as Record<string, number>)[k] === id) ?? `type ${id}`;
      throw new SpecrunError('DATA_PARSE', {
        file: opts.file,
        detail: `column ${field.name} has the Arrow type ${name}; only numbers, booleans, strings, dates and timestamps can be read`,
      });
    }
  }
  return { frame: new Frame(nrows, columns), nonNumeric, format: 'arrow', notes: [] };
}

/** A numeric Arrow column (typed array, or an array with nulls, BigInts or booleans) as doubles, NaN for missing. */
function numbers(values: ArrayLike<unknown>, nrows: number): Float64Array {
  if (values instanceof Float64Array && values.length === nrows) return Float64Array.from(values);
  const out = new Float64Array(nrows).fill(NaN);
  const n = Math.min(nrows, values.length);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    out[i] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  }
  return out;
}
