/**
 * What every reader (CSV, XLSX) hands to the loader: the columns as a Frame plus what the loader needs to explain
 * a text column to the user ("column gdp is not numeric: row 17 has 'n/a'").
 */
import { DATA_DEFAULTS } from '../../spec/defaults.js';
import type { Frame } from '../../core/frame.js';
import type { Note } from '../../diagnostics/diagnostic.js';

/** The first cell of a text column that is neither missing nor a number. */
export interface NonNumericCell {
  /** 1-based row number as a spreadsheet shows it: the header is row 1, the first data row is row 2. */
  row: number;
  /** 1-based physical line of the file where that record starts (differs from `row` only after quoted newlines). */
  line: number;
  /** The cell's text, as read. */
  value: string;
}

export interface TableRead {
  frame: Frame;
  /** For each text column (by name): its first cell that is not a number. Numeric columns are absent. */
  nonNumeric: Map<string, NonNumericCell>;
  format: 'csv' | 'xlsx' | 'parquet' | 'arrow';
  /** CSV: the encoding the text was decoded with (after `auto` detection). */
  encoding?: 'utf-8' | 'gbk' | 'gb18030' | 'utf-16le' | 'utf-16be';
  /** XLSX: the sheet that was read. */
  sheet?: string;
  /** Things the reader fixed or set missing (e.g. Excel error values), for the run's notes. */
  notes: Note[];
}

/** Cell values read as missing unless the spec says otherwise (data.na). */
export const DEFAULT_NA: readonly string[] = DATA_DEFAULTS.na;
