/**
 * A table model as a rectangle: the header rows then the body rows, each expanded to one slot per column, a cell
 * spanning k columns filling its first slot (`start`) and k − 1 continuation slots. The formats without their own
 * notion of a row of spans (CSV, XLSX, DOCX) walk this.
 */
import type { TableCell, TableModel } from '../table-model.js';

export interface GridSlot {
  readonly cell: TableCell;
  /** The first column of the cell (false on the columns a span continues over). */
  readonly start: boolean;
}

export interface GridRow {
  readonly part: 'header' | 'body';
  readonly slots: readonly GridSlot[];
  /** A rule is drawn above this row (body rows only). */
  readonly ruleBefore: boolean;
}

export function tableGrid(model: TableModel): GridRow[] {
  const expand = (cells: readonly TableCell[]): GridSlot[] => {
    const slots: GridSlot[] = [];
    for (const cell of cells) {
      for (let k = 0; k < cell.span; k++) slots.push({ cell, start: k === 0 });
    }
    while (slots.length < model.columnCount)
      slots.push({ cell: { text: '', stars: '', span: 1, align: 'c', numeric: false }, start: true });
    return slots.slice(0, model.columnCount);
  };
  return [
    ...model.header.map((h) => ({ part: 'header' as const, slots: expand(h.cells), ruleBefore: false })),
    ...model.body.map((b) => ({ part: 'body' as const, slots: expand(b.cells), ruleBefore: b.ruleBefore })),
  ];
}
