/**
 * Markdown output of a table model: a GitHub table with the title above and the notes below, the provenance as an
 * HTML comment at the top. Markdown has one header row and no spans, so group headers are folded into the column
 * headers (`非中心城市<br>增速差距`) and a cell spanning k columns is followed by k − 1 empty cells.
 */
import { tidy } from './latex.js';
import type { TableModel } from './table-model.js';
import { loadTemplate, type TableTemplate } from './templates.js';

/** What the Markdown template sees: the model plus its one header row and the alignment row. */
export interface MarkdownView extends TableModel {
  /** Per column, the header lines (group label, column label), escaped and joined by `mdLines`. */
  readonly mdHeader: readonly (readonly string[])[];
  readonly mdAlign: string;
}

/** Render a table model as Markdown; `template` defaults to the built-in one. */
export function renderMarkdown(model: TableModel, template: TableTemplate = loadTemplate('markdown')): string {
  return tidy(template.render(markdownView(model)));
}

export function markdownView(model: TableModel): MarkdownView {
  return { ...model, mdHeader: foldHeader(model), mdAlign: alignRow(model.align) };
}

/** Fold the header rows into one: per column, the non-empty texts of every row, top to bottom. */
function foldHeader(model: TableModel): string[][] {
  const texts: string[][] = Array.from({ length: model.columnCount }, () => []);
  for (const row of model.header) {
    let col = 0;
    for (const cell of row.cells) {
      for (let k = 0; k < cell.span && col < model.columnCount; k++, col++) {
        if (cell.text !== '') texts[col]!.push(cell.text);
      }
    }
  }
  return texts;
}

function alignRow(align: string): string {
  return `|${[...align].map((a) => (a === 'l' ? ':--' : a === 'r' ? '--:' : ':-:')).join('|')}|`;
}
