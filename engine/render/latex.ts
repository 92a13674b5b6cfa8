/**
 * LaTeX output of a table model. Decimal alignment: every data column whose numbers have decimals is a dcolumn
 * `D{.}{.}{L.R}` column (L and R the widest integer and fractional parts, stars counted on the right), so the
 * decimal points line up and the stars, set as superscripts after the digits, never push them sideways; text cells
 * in those columns are \multicolumn{1}{c}. A floating table is `[htbp]`, its tabular shrunk to the line width when
 * wider (adjustbox `max width`, `fit: width`), its notes set at the full line width under it; a longtable repeats
 * its header on each page under a continued line. The provenance is % comments at the top. The layout is the
 * template's (templates/latex/table.tex.hbs or the table's own); the escaping is the helpers'.
 */
import { latexEscape, latexParagraph, latexRich, latexRules } from './escape.js';
import type { TableCell, TableModel } from './table-model.js';
import { loadTemplate, type TableTemplate } from './templates.js';

/** What the LaTeX template sees: the model plus its rows already set for LaTeX. */
export interface LatexView extends TableModel {
  /** The tabular column specification (`lD{.}{.}{2.6}c`). */
  readonly texColumns: string;
  readonly texTitle: string;
  /** Header rows: the cells joined by `&` and the \cmidrule commands under them. */
  readonly texHeader: readonly { readonly row: string; readonly rules: string }[];
  readonly texBody: readonly { readonly row: string; readonly ruleBefore: boolean }[];
  /** Note lines, the first led by the notes title. */
  readonly texNotes: readonly string[];
  /** Shrink the tabular to the line width when it is wider. */
  readonly texFit: boolean;
}

/** Render a table model as a LaTeX fragment (no \documentclass); `template` defaults to the built-in one. */
export function renderLatex(model: TableModel, template: TableTemplate = loadTemplate('latex')): string {
  return tidy(template.render(latexView(model)));
}

/** The packages the built-in template uses (the combined document loads them). */
export const LATEX_PACKAGES = ['booktabs', 'threeparttable', 'longtable', 'caption', 'dcolumn', 'adjustbox'] as const;

export function latexView(model: TableModel): LatexView {
  const decimal = decimalColumns(model);
  const set = (cells: readonly TableCell[], header: boolean): string => {
    let col = 0;
    return cells
      .map((cell) => {
        const text = texCell(cell, header, decimal[col] !== null);
        col += cell.span;
        return text;
      })
      .join(' & ');
  };
  return {
    ...model,
    texColumns: [...model.align]
      .map((a, i) => {
        const d = decimal[i];
        return d ? `D{.}{.}{${d.left}.${d.right}}` : a;
      })
      .join(''),
    texTitle: latexParagraph(model.title),
    texHeader: model.header.map((h) => ({ row: set(h.cells, true), rules: latexRules(h.rules) })),
    texBody: model.body.map((b) => ({ row: set(b.cells, false), ruleBefore: b.ruleBefore })),
    texNotes: model.notes.map((n, i) => (i === 0 ? latexEscape(model.notesTitle) : '') + latexParagraph(n)),
    texFit: model.fit === 'width',
  };
}

/** A number as dcolumn reads it: an optional sign or bracket, digits with one decimal point, an optional closer. */
const DECIMAL = /^[-(]?\d+(\.\d+)?[)%]?$/;

/** Per column: the integer and fractional widths of its numbers, or null for a column set as text. */
function decimalColumns(model: TableModel): ({ left: number; right: number } | null)[] {
  const out: ({ left: number; right: number } | null)[] = Array.from({ length: model.columnCount }, () => null);
  const seen: boolean[] = Array.from({ length: model.columnCount }, () => false);
  for (const row of model.body) {
    let col = 0;
    for (const cell of row.cells) {
      if (col >= model.stubColumns && cell.span === 1 && cell.numeric && DECIMAL.test(cell.text)) {
        const [int = '', frac = ''] = cell.text.split('.');
        // Widths in digits: a minus sign is about two digits wide in math, a superscript star about one.
        const left = int.length + (int.startsWith('-') ? 1 : 0);
        const right = frac.length + cell.stars.length;
        const prev = out[col] ?? { left: 0, right: 0 };
        out[col] = { left: Math.max(prev.left, left), right: Math.max(prev.right, right) };
        if (cell.text.includes('.')) seen[col] = true;
      }
      col += cell.span;
    }
  }
  // A column of whole numbers only (counts) stays centred.
  return out.map((d, i) => (d && seen[i] ? d : null));
}

function texCell(cell: TableCell, header: boolean, decimal: boolean): string {
  if (decimal && !header && cell.span === 1 && cell.numeric && DECIMAL.test(cell.text)) {
    // In a D column the cell is math already: the sign is a minus, the stars a superscript.
    return cell.text.replace('%', '\\%') + (cell.stars ? `^{${cell.stars}}` : '');
  }
  const body = (cell.numeric ? numberText(cell.text) : latexRich(cell.text)) + (cell.stars ? `$^{${cell.stars}}$` : '');
  if (cell.span > 1) return `\\multicolumn{${cell.span}}{${cell.align}}{${body}}`;
  if (decimal) return body === '' ? '' : `\\multicolumn{1}{${cell.align}}{${body}}`;
  return body;
}

/** A number in text mode: escaped, each minus before a digit set in math mode (`$-$0.303`). */
function numberText(text: string): string {
  return latexEscape(text).replace(/(^|[\s([,])-(?=\d)/g, (_, lead: string) => `${lead}$-$`);
}

/** One trailing newline, no trailing spaces, no runs of blank lines: stable files for golden diffs. */
export function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '')
    .replace(/\n*$/, '\n');
}
