/**
 * LaTeX output of a table model: booktabs rules, a threeparttable with tablenotes (or a longtable whose header is
 * repeated on each page under a continued line), the provenance as % comments at the top. The layout is the
 * template's (templates/latex/table.tex.hbs or the table's own); the escaping is the helpers'.
 */
import type { TableModel } from './table-model.js';
import { loadTemplate, type TableTemplate } from './templates.js';

/** Render a table model as a LaTeX fragment (no \documentclass); `template` defaults to the built-in one. */
export function renderLatex(model: TableModel, template: TableTemplate = loadTemplate('latex')): string {
  return tidy(template.render(model));
}

/** One trailing newline, no trailing spaces, no runs of blank lines: stable files for golden diffs. */
export function tidy(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.replace(/[ \t]+$/, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+/, '')
      .replace(/\n*$/, '\n')
  );
}
