/**
 * `xlsx`: one workbook with one sheet per table (`NAME-tables.xlsx`, sheets named by table id). Numbers stay numbers:
 * a coefficient is the number with a format that shows its decimals and its stars (`0.000"***"`), a standard error
 * the number shown in parentheses (`(0.000)`), a share a percentage; a reader can compute with every cell. Borders
 * draw the three-line table: a medium rule above the header, a thin one under it, a medium one under the body.
 * Spans are merged cells; the title is above the table, the notes under it.
 */
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { plainText } from '../rich-text.js';
import type { CellNumber, TableCell } from '../table-model.js';
import { tableGrid } from './grid.js';
import type { FormatFile, FormatInput, OutputFormat } from './types.js';

export const xlsxFormat: OutputFormat = {
  description:
    'Excel: NAME-tables.xlsx, one sheet per table, numbers as numbers (stars and parentheses as number formats)',
  async render(input: FormatInput): Promise<FormatFile[]> {
    if (input.tables.length === 0) return [];
    // Loaded on use: every other command starts without it.
    // fflate (./zip.js) and exceljs load with this format only (issue 19: start-up).
    const [{ default: Excel }, { FIXED_TIME, stableZip }] = await Promise.all([import('exceljs'), import('./zip.js')]);
    const wb = new Excel.Workbook();
    wb.creator = 'specrun';
    wb.created = new Date(FIXED_TIME);
    wb.modified = new Date(FIXED_TIME);
    for (const t of input.tables) addSheet(wb, t.id, t.model);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    return [{ path: join(input.outDir, `${input.docName}-tables.xlsx`), data: stableZip(bytes) }];
  },
};

/** Excel's sheet names: at most 31 characters, none of `[]:*?/\`. */
export function sheetName(id: string): string {
  return id.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'table';
}

const MEDIUM = { style: 'medium' as const };
const THIN = { style: 'thin' as const };

function addSheet(wb: ExcelJS.Workbook, id: string, model: import('../table-model.js').TableModel): void {
  const ws = wb.addWorksheet(sheetName(id));
  const font = { name: 'Times New Roman', size: 10.5 };
  ws.getCell(1, 1).value = plainText(model.title);
  ws.getCell(1, 1).font = { ...font, bold: true };
  const grid = tableGrid(model);
  const first = 2;
  const headerRows = model.header.length;
  grid.forEach((row, r) => {
    const excelRow = first + r;
    row.slots.forEach((slot, c) => {
      const cell = ws.getCell(excelRow, c + 1);
      if (slot.start) {
        setValue(cell, slot.cell);
        cell.font = font;
        cell.alignment = { horizontal: c < model.stubColumns ? 'left' : 'center', vertical: 'middle' };
        if (slot.cell.span > 1) ws.mergeCells(excelRow, c + 1, excelRow, c + slot.cell.span);
      }
      const border: Partial<ExcelJS.Borders> = {};
      if (r === 0) border.top = MEDIUM;
      if (r === headerRows - 1) border.bottom = THIN;
      if (row.ruleBefore && r > headerRows) border.top = THIN;
      if (r === grid.length - 1) border.bottom = MEDIUM;
      if (border.top || border.bottom) cell.border = border;
    });
  });
  const notesAt = first + grid.length;
  model.notes.forEach((n, i) => {
    const cell = ws.getCell(notesAt + i, 1);
    cell.value = (i === 0 ? model.notesTitle : '') + plainText(n);
    cell.font = { ...font, size: 9 };
  });
  ws.getColumn(1).width = Math.min(
    40,
    Math.max(12, ...grid.map((g) => plainText(g.slots[0]?.cell.text ?? '').length * 1.6)),
  );
  for (let c = model.stubColumns + 1; c <= model.columnCount; c++) ws.getColumn(c).width = 14;
}

function setValue(cell: ExcelJS.Cell, source: TableCell): void {
  if (source.number !== undefined) {
    cell.value = source.number.value;
    cell.numFmt = numberFormat(source.number, source.stars);
  } else if (source.text !== '' || source.stars !== '') {
    cell.value = plainText(source.text) + source.stars;
  }
}

/** The Excel number format that shows a value the way the table does. */
export function numberFormat(n: CellNumber, stars: string): string {
  const digits = n.digits > 0 ? `0.${'0'.repeat(n.digits)}` : '0';
  const body = n.wrap === 'percent' ? `${digits}%` : digits;
  const shown = n.wrap === 'paren' ? `(${body})` : n.wrap === 'bracket' ? `"["${body}"]"` : body;
  // Negative numbers keep the same layout with a minus sign (a two-part format would drop the sign otherwise).
  const withStars = stars ? `${shown}"${stars}"` : shown;
  return withStars;
}
