/**
 * Frame → Arrow IPC file format (`specrun data --out FILE.arrow` or `FILE.feather`, issue 19), with flechette (pure
 * JavaScript, loaded only here): what pandas (`pd.read_feather`), R (`arrow::read_feather`), Polars and DuckDB read
 * directly. specrun's Arrow reader (engine/data/read/arrow.ts) reads the file back to the same frame:
 * - a numeric column whose values are all integers within ±2³¹ (and no -0) is Int32, any other numeric column
 *   Float64; NaN is NULL (missing, so that other tools see NA rather than NaN), ±Infinity stay IEEE values;
 * - a text column is a dictionary-encoded UTF-8 column (Arrow's form of a factor), missing cells NULL.
 * Buffers are uncompressed (one record batch). Deterministic: the same frame always gives the same bytes.
 */
import { isText, type Column, type Frame } from '../core/frame.js';

type Flechette = typeof import('@uwdata/flechette');

/** The frame (or the named columns, in that order) as Arrow IPC file bytes. */
export async function frameToArrow(frame: Frame, columns: readonly string[] = frame.names): Promise<Uint8Array> {
  const fl = await import('@uwdata/flechette');
  const cols = columns.map((name) => [name, arrowColumn(fl, frame.get(name)!)] as const);
  const table = fl.tableFromColumns(Object.fromEntries(cols) as Parameters<Flechette['tableFromColumns']>[0]);
  const bytes = fl.tableToIPC(table, { format: 'file' });
  if (!bytes) throw new Error('flechette returned no bytes');
  return bytes;
}

function arrowColumn(fl: Flechette, col: Column): ReturnType<Flechette['columnFromArray']> {
  if (isText(col)) {
    const n = col.codes.length;
    const data: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const c = col.codes[i]!;
      data[i] = c < 0 ? null : col.levels[c]!;
    }
    return fl.columnFromArray(data, fl.dictionary(fl.utf8(), fl.int32()));
  }
  let missing = false;
  let integer = true;
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (Number.isNaN(v)) missing = true;
    else if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647 || Object.is(v, -0)) integer = false;
  }
  const type = integer ? fl.int32() : fl.float64();
  if (!missing) return fl.columnFromArray(integer ? Int32Array.from(col) : Float64Array.from(col), type);
  const data: (number | null)[] = new Array(col.length);
  for (let i = 0; i < col.length; i++) data[i] = Number.isNaN(col[i]!) ? null : col[i]!;
  return fl.columnFromArray(data, type);
}
