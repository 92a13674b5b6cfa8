/**
 * XLSX reader (exceljs; SheetJS is not used because of its open advisories). Reads one worksheet: the first, or
 * the one named by data.sheet. Row 1 is the header; every later row that is not entirely empty is a record.
 *
 * Cell values, as users' yearbook exports hold them:
 * - numbers are numbers; text that is a plain decimal number (Excel's "number stored as text") is a number too;
 * - text equal to one of the na strings, and empty cells, are missing;
 * - a formula contributes its saved result (a formula without a saved result is missing, counted in the notes);
 * - Excel error values (#N/A, #DIV/0!, ...) are missing, counted in the notes;
 * - TRUE/FALSE are 1/0;
 * - dates become ISO text (`2017-12-31`, or with the time when it is not midnight), so a date column is a text
 *   column: any number for a date (Excel serial, Unix time) would be a convention the user did not choose.
 * A column is numeric when every non-missing cell is a number, else text (with its first non-number reported).
 */
import { SOURCE_DEFAULTS } from '../../spec/defaults.js';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { Frame, type Column } from '../../core/frame.js';
import { SpecrunError, note, type Note } from '../../diagnostics/diagnostic.js';
import { parseNumberText } from './parse-number.js';
import { DEFAULT_NA, type NonNumericCell, type TableRead } from './types.js';

export interface XlsxOptions {
  /** The file name used in error messages. */
  file: string;
  /** __Default value:__ the first sheet. */
  sheet?: string;
  /** Cells read as missing. __Default value:__ `["", "NA", "NaN", "."]`. */
  na?: readonly string[];
}

/** A cell after normalization: a number, a text, or missing (null); `kind` says why a cell is missing. */
type Cell = number | string | null;
type Missing = 'empty' | 'error' | 'no-result';

/** Read one worksheet of an .xlsx file, given as its bytes or its path. */
export async function readXlsx(input: Uint8Array | string, opts: XlsxOptions): Promise<TableRead> {
  const file = opts.file;
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    try {
      bytes = await readFile(input);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new SpecrunError('DATA_NOT_FOUND', { file, reason: err.code === 'ENOENT' ? 'no such file' : err.message });
    }
  } else bytes = input;
  const sheets = await loadWorkbook(bytes, file);
  const ws = opts.sheet === undefined ? sheets[0]! : sheets.find((s) => s.name === opts.sheet);
  if (!ws) {
    throw new SpecrunError('DATA_UNKNOWN_SHEET', {
      file,
      sheet: opts.sheet!,
      known: sheets.map((s) => s.name).join(', '),
    });
  }
  return sheetTable(ws, { file, na: opts.na });
}

export type Worksheet = ExcelJS.Worksheet;

/** The worksheets of a workbook, in workbook order (at least one). */
export async function loadWorkbook(bytes: Uint8Array, file: string): Promise<Worksheet[]> {
  const wb = new ExcelJS.Workbook();
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (e) {
    throw new SpecrunError('DATA_PARSE', { file, detail: `not a readable .xlsx workbook (${(e as Error).message})` });
  }
  const sheets = wb.worksheets;
  if (sheets.length === 0) throw new SpecrunError('DATA_PARSE', { file, detail: 'the workbook has no sheets' });
  return sheets;
}

export interface SheetOptions {
  file: string;
  na?: readonly string[];
  /** Rows above the header. __Default value:__ 0 */
  skipRows?: number;
  /** Rows of the header, flattened into one name per column. __Default value:__ 1 */
  headerRows?: number;
  /** __Default value:__ `/` */
  headerSeparator?: string;
}

/**
 * One worksheet as a table. The header is row `skipRows + 1`, or several rows flattened: per column the non-empty
 * parts top to bottom, a part equal to the one above it once (a cell merged down), joined by the separator. Merged
 * cells give their value to every cell they span (exceljs does this); an empty cell of an upper header row takes the
 * value on its left, as pandas does for `header=[0, 1]`.
 */
export function sheetTable(ws: Worksheet, opts: SheetOptions): TableRead {
  const file = opts.file;
  const sheetName = ws.name;
  const naSet = new Set(opts.na ?? DEFAULT_NA);
  // a spec's values arrive normalized (engine/normalize/data-defaults.ts); these serve callers without a spec
  const skip = opts.skipRows ?? SOURCE_DEFAULTS.skip_rows;
  const nhead = Math.max(1, opts.headerRows ?? SOURCE_DEFAULTS.header_rows);
  const sep = opts.headerSeparator ?? SOURCE_DEFAULTS.header_separator;
  const firstHeader = skip + 1;
  const lastHeader = skip + nhead;

  // 1. Header: up to the last non-empty cell of the header rows; every column needs a distinct name.
  let width = 0;
  for (let r = firstHeader; r <= lastHeader; r++) width = Math.max(width, ws.getRow(r).cellCount);
  const parts: string[][] = [];
  for (let r = firstHeader; r <= lastHeader; r++) {
    const row = ws.getRow(r);
    const line: string[] = [];
    for (let c = 1; c <= width; c++) {
      const v = normalize(row.getCell(c).value, naSet, true);
      line.push(
        v.cell === null ? '' : nhead === 1 ? String(v.cell).trim() : String(v.cell).replace(/\s+/g, ' ').trim(),
      );
    }
    parts.push(line);
  }
  // Upper rows: an empty cell continues the group on its left (only within the span of a non-empty lower header).
  for (let h = 0; h < parts.length - 1; h++) {
    for (let c = 1; c < width; c++) {
      if (parts[h]![c] === '' && parts[h]![c - 1] !== '' && parts.slice(h + 1).some((p) => p[c] !== ''))
        parts[h]![c] = parts[h]![c - 1]!;
    }
  }
  const headerCells: string[] = [];
  for (let c = 0; c < width; c++) {
    const names: string[] = [];
    for (const line of parts) {
      const p = line[c]!;
      if (p !== '' && names[names.length - 1] !== p) names.push(p);
    }
    headerCells.push(names.join(sep));
  }
  while (headerCells.length > 0 && headerCells[headerCells.length - 1] === '') headerCells.pop();
  const headerRef = nhead === 1 ? String(firstHeader) : `${firstHeader}–${lastHeader}`;
  if (headerCells.length === 0) {
    throw new SpecrunError('DATA_PARSE', {
      file,
      detail: `sheet ${sheetName}: row ${headerRef} (the header) is empty`,
    });
  }
  const seen = new Map<string, number>();
  headerCells.forEach((name, j) => {
    if (name === '') {
      throw new SpecrunError('DATA_PARSE', {
        file,
        detail: `sheet ${sheetName}: header cell ${columnLetter(j + 1)}${headerRef} has no name`,
      });
    }
    const prev = seen.get(name);
    if (prev !== undefined) {
      throw new SpecrunError('DATA_PARSE', {
        file,
        detail: `sheet ${sheetName}: header names column ${name} twice (${columnLetter(prev + 1)}${headerRef} and ${columnLetter(j + 1)}${headerRef})`,
      });
    }
    seen.set(name, j);
  });
  const ncols = headerCells.length;

  // 2. Records: normalized cells, column by column, with the sheet row number of each record.
  const cells: Cell[][] = headerCells.map(() => []);
  const rowNumbers: number[] = [];
  const missingCounts = headerCells.map(() => ({ error: 0, 'no-result': 0 }));
  for (let r = lastHeader + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.hasValues) continue;
    const vals: { cell: Cell; missing?: Missing }[] = [];
    let any = false;
    for (let c = 1; c <= Math.max(ncols, row.cellCount); c++) {
      const v = normalize(row.getCell(c).value, naSet, false);
      if (c > ncols) {
        if (v.cell !== null || v.missing === 'error') {
          throw new SpecrunError('DATA_PARSE', {
            file,
            detail: `sheet ${sheetName}: cell ${columnLetter(c)}${r} has a value but its column has no header`,
          });
        }
        continue;
      }
      if (v.cell !== null || v.missing === 'error' || v.missing === 'no-result') any = true;
      vals.push(v);
    }
    if (!any && vals.every((v) => v.missing !== 'error')) {
      // A row whose cells are all empty, or only na strings, is still a record unless every cell is truly empty.
      const raw = row.values as unknown[];
      if (!raw.some((x) => x !== null && x !== undefined && x !== '')) continue;
    }
    rowNumbers.push(r);
    for (let j = 0; j < ncols; j++) {
      const v = vals[j]!;
      cells[j]!.push(v.cell);
      if (v.missing === 'error') missingCounts[j]!.error++;
      else if (v.missing === 'no-result') missingCounts[j]!['no-result']++;
    }
  }

  // 3. Column types and the Frame.
  const nrows = rowNumbers.length;
  const out: [string, Column][] = [];
  const nonNumeric = new Map<string, NonNumericCell>();
  const notes: Note[] = [];
  for (let j = 0; j < ncols; j++) {
    const name = headerCells[j]!;
    const col = cells[j]!;
    const firstText = col.findIndex((v) => typeof v === 'string');
    if (firstText < 0) {
      const v = new Float64Array(nrows);
      for (let i = 0; i < nrows; i++) v[i] = col[i] === null ? NaN : (col[i] as number);
      out.push([name, v]);
    } else {
      const levels: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(nrows);
      for (let i = 0; i < nrows; i++) {
        const x = col[i];
        if (x === null || x === undefined) {
          codes[i] = -1;
          continue;
        }
        const t = typeof x === 'number' ? String(x) : x;
        let c = index.get(t);
        if (c === undefined) {
          c = levels.length;
          index.set(t, c);
          levels.push(t);
        }
        codes[i] = c;
      }
      out.push([name, { kind: 'text', codes, levels }]);
      const r = rowNumbers[firstText]!;
      nonNumeric.set(name, { row: r, line: r, value: col[firstText] as string });
    }
    const m = missingCounts[j]!;
    if (m.error > 0)
      notes.push(
        note('DATA_VALUE_MISSING', { name, count: m.error, reason: 'Excel error values such as #N/A or #DIV/0!' }),
      );
    if (m['no-result'] > 0)
      notes.push(
        note('DATA_VALUE_MISSING', { name, count: m['no-result'], reason: 'formulas without a saved result' }),
      );
  }
  return { frame: new Frame(nrows, out), nonNumeric, format: 'xlsx', sheet: sheetName, notes };
}

/** One cell value of exceljs → number, text, or missing with the reason. */
function normalize(value: unknown, na: ReadonlySet<string>, header: boolean): { cell: Cell; missing?: Missing } {
  if (value === null || value === undefined) return { cell: null, missing: 'empty' };
  if (typeof value === 'number') {
    if (!header && na.has(String(value))) return { cell: null, missing: 'empty' };
    return { cell: value };
  }
  if (typeof value === 'boolean') return { cell: value ? 1 : 0 };
  if (value instanceof Date) return text(isoDate(value), na, header);
  if (typeof value === 'string') return text(value, na, header);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('error' in o) return { cell: null, missing: 'error' };
    if ('formula' in o || 'sharedFormula' in o) {
      if (o.result === undefined || o.result === null) return { cell: null, missing: 'no-result' };
      return normalize(o.result, na, header);
    }
    if (Array.isArray(o.richText))
      return text((o.richText as { text: string }[]).map((t) => t.text).join(''), na, header);
    if (typeof o.text === 'string') return text(o.text, na, header);
  }
  return text(String(value), na, header);
}

function text(raw: string, na: ReadonlySet<string>, header: boolean): { cell: Cell; missing?: Missing } {
  if (header) return { cell: raw };
  const t = raw.trim();
  if (na.has(t) || na.has(raw)) return { cell: null, missing: 'empty' };
  const v = parseNumberText(t);
  return v === v ? { cell: v } : { cell: t };
}

function isoDate(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace(/\.000Z$/, 'Z');
}

/** Excel's column letters: 1 → A, 27 → AA. */
export function columnLetter(c: number): string {
  let s = '';
  for (let n = c; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
