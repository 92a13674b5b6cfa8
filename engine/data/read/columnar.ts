/**
 * What the columnar readers (Parquet: parquet.ts, Arrow IPC: arrow.ts) share, so that both give the frame the CSV
 * reader gives for the same data written as text: dates and timestamps as the text a CSV holds, and string cells
 * through the CSV's numeric detection.
 */
import { retype, textColumn, type Column } from '../../core/frame.js';
import { parseNumberText } from './parse-number.js';
import type { NonNumericCell } from './types.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Days since 1970-01-01 → `YYYY-MM-DD` (proleptic Gregorian, UTC). */
export function isoDate(days: number): string {
  const d = new Date(days * 86400000);
  const y = d.getUTCFullYear();
  return `${y < 0 ? '-' + pad(-y, 4) : pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Milliseconds since 1970-01-01 → ISO 8601 (`2020-01-31T12:00:00.000Z`), or null when out of range. */
export function isoTimestamp(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * String cells (null = missing, already after `na`) as a column: numeric when every cell is a plain number (as in a
 * CSV), otherwise text with its first non-number cell for the messages (row numbers as a spreadsheet shows them: the
 * header is row 1).
 */
export function textCellsColumn(values: readonly (string | null)[]): {
  column: Column;
  nonNumeric: NonNumericCell | null;
} {
  const column = retype(textColumn(values as (string | null)[]), parseNumberText);
  if (column instanceof Float64Array) return { column, nonNumeric: null };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isNaN(parseNumberText(v))) {
      return { column, nonNumeric: { row: i + 2, line: i + 2, value: v } };
    }
  }
  return { column, nonNumeric: null };
}
