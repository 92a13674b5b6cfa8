/**
 * Render stage: results → neutral TableModel → text. The stages, in order:
 *   1. buildTableModel   (table-model.ts)   plan + results + language → TableModel
 *   2. tableTemplate     (templates.ts)     the table's own template or the built-in one, compiled once
 *   3. renderLatex / renderMarkdown         TableModel → text through the template and the escaping helpers
 *   4. renderDocument    (document.ts)      every table's LaTeX → one standalone document
 */
import type { TablePlan } from '../normalize/plan.js';
import { renderLatex } from './latex.js';
import { renderMarkdown } from './markdown.js';
import { buildTableModel, type BuildTableOptions, type ResultLookup, type TableModel } from './table-model.js';
import { tableTemplate } from './templates.js';

export { buildTableModel, CONSTANT_TERM } from './table-model.js';
export type { TableModel, TableCell, HeaderRow, BodyRow, BuildTableOptions, ResultLookup } from './table-model.js';
export { renderLatex } from './latex.js';
export { renderMarkdown } from './markdown.js';
export { renderDocument, latexEngineFor } from './document.js';
export type { DocumentTable, DocumentOptions } from './document.js';
export { loadTemplate, tableTemplate, defaultTemplatePath, packageRoot } from './templates.js';
export type { TableTemplate, TemplateFormat } from './templates.js';
export { latexEscape, markdownEscape } from './escape.js';

export interface RenderedTable {
  readonly model: TableModel;
  readonly latex: string;
  readonly markdown: string;
}

/** Build one table's model and render it in both formats, each with the table's own template when it names one. */
export function renderTable(table: TablePlan, results: ResultLookup, opts: BuildTableOptions): RenderedTable {
  const model = buildTableModel(table, results, opts);
  return {
    model,
    latex: renderLatex(model, tableTemplate(table, 'latex')),
    markdown: renderMarkdown(model, tableTemplate(table, 'markdown')),
  };
}
