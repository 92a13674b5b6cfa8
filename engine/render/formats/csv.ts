/**
 * `csv`: one CSV file per table (`ID.csv`), the table as shown: the title, the header rows, the body rows (a cell
 * spanning k columns is followed by k − 1 empty cells), then the notes. UTF-8 with a byte-order mark, so that Excel
 * opens Chinese text correctly; CRLF line ends (RFC 4180).
 */
import { join } from 'node:path';
import { plainText } from '../rich-text.js';
import { tableGrid } from './grid.js';
import type { FormatFile, FormatInput, OutputFormat } from './types.js';
import type { TableModel } from '../table-model.js';

export const csvFormat: OutputFormat = {
  description: 'CSV: ID.csv per table, as shown (UTF-8 with BOM for Excel)',
  render(input: FormatInput): FormatFile[] {
    return input.tables.map((t) => ({ path: join(input.outDir, `${t.id}.csv`), data: tableCsv(t.model) }));
  },
};

export function tableCsv(model: TableModel): string {
  const lines: string[][] = [[plainText(model.title)]];
  for (const row of tableGrid(model)) {
    lines.push(row.slots.map((s) => (s.start ? plainText(s.cell.text) + s.cell.stars : '')));
  }
  model.notes.forEach((n, i) => lines.push([(i === 0 ? model.notesTitle : '') + plainText(n)]));
  return '\ufeff' + lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
