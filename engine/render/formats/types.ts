/**
 * An output format: one registered renderer of the neutral table model (engine/render/table-model.ts). Each format
 * receives every table of the run at once and returns the files it writes (nothing is written here): per-table
 * formats return one file per table, document formats (HTML, XLSX, DOCX) one file holding every table.
 */
import type { SpecrunError } from '../../diagnostics/diagnostic.js';
import type { TablePlan } from '../../normalize/plan.js';
import type { TableModel } from '../table-model.js';

export interface FormatFile {
  readonly path: string;
  readonly data: string | Uint8Array;
}

export interface FormatTable {
  readonly id: string;
  readonly model: TableModel;
  readonly plan: TablePlan;
}

export interface FormatInput {
  readonly tables: readonly FormatTable[];
  readonly outDir: string;
  /** Stem of the files that hold every table (`paper` → `paper-tables.html`). */
  readonly docName: string;
  readonly lang: string;
  /** Document title (plain text; empty for none). */
  readonly title: string;
  /** Provenance lines of the whole run (engine, spec and data hashes). */
  readonly provenance: readonly string[];
  /** results.json of the run. */
  readonly resultsJson: () => string;
}

export interface OutputFormat {
  /** What `--help` says of the format. */
  readonly description: string;
  render(input: FormatInput): FormatFile[] | Promise<FormatFile[]>;
}

/** A table's own template failed: reported at the table's position. */
export class TableFormatError extends Error {
  constructor(
    readonly table: FormatTable,
    readonly error: SpecrunError,
  ) {
    super(error.message);
  }
}

/** Run `f` for one table, turning a SpecrunError into a TableFormatError that carries the table. */
export function forTable<T>(table: FormatTable, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && e.name === 'SpecrunError') throw new TableFormatError(table, e as SpecrunError);
    throw e;
  }
}
