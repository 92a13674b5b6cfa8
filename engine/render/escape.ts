/**
 * Per-format escaping and the Handlebars helpers built on it. Templates never escape anything themselves: every
 * text of the table model reaches the output through one of these helpers, so a label such as `R&D_share (%)`
 * is safe in LaTeX and a `|` cannot break a Markdown table. Templates are compiled with `noEscape` (Handlebars'
 * HTML escaping would turn `&` into `&amp;`).
 */
import { richRuns } from './rich-text.js';
import type { HeaderRow, TableCell } from './table-model.js';

const LATEX_SPECIAL: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  // In pdflatex's default OT1 encoding a bare | prints as an em dash.
  '|': '\\textbar{}',
  // Symbols pdflatex's utf8 input does not know, typed in labels (a minus, a prime, a times sign): math mode.
  '−': '$-$',
  '′': "$'$",
  '×': '$\\times$',
  '·': '$\\cdot$',
  '≤': '$\\leq$',
  '≥': '$\\geq$',
  // Superscript digits are not in every font (pdflatex's T1 Latin Modern lacks them): set them as superscripts.
  '¹': '\\textsuperscript{1}',
  '²': '\\textsuperscript{2}',
  '³': '\\textsuperscript{3}',
  '\n': ' ',
  '\r': ' ',
};

/**
 * Unicode subscripts (typed in labels such as a lag, `hgdpₜ₋₁`), set as one math subscript per run (`$_{t-1}$`):
 * pdflatex's fonts lack the glyphs. Markdown keeps the characters.
 */
const SUBSCRIPT: Readonly<Record<string, string>> = {
  '₀': '0',
  '₁': '1',
  '₂': '2',
  '₃': '3',
  '₄': '4',
  '₅': '5',
  '₆': '6',
  '₇': '7',
  '₈': '8',
  '₉': '9',
  '₊': '+',
  '₋': '-',
  '₌': '=',
  '₍': '(',
  '₎': ')',
  ₐ: 'a',
  ₑ: 'e',
  ₒ: 'o',
  ₓ: 'x',
  ₕ: 'h',
  ₖ: 'k',
  ₗ: 'l',
  ₘ: 'm',
  ₙ: 'n',
  ₚ: 'p',
  ₛ: 's',
  ₜ: 't',
  ᵢ: 'i',
  ⱼ: 'j',
};
const SUBSCRIPT_RUN = '[₀-₎ₐ-ₜᵢⱼ]+';

/** Escape text for LaTeX in one pass (so the backslashes it inserts are never escaped again). */
export function latexEscape(text: unknown): string {
  return String(text ?? '').replace(new RegExp(`${SUBSCRIPT_RUN}|[\\\\{}&%$#_~^<>|¹²³−′×·≤≥\\n\\r]`, 'g'), (ch) =>
    ch.length > 1 || SUBSCRIPT[ch] !== undefined
      ? `$_{${[...ch].map((c) => SUBSCRIPT[c] ?? '').join('')}}$`
      : (LATEX_SPECIAL[ch] ?? ch),
  );
}

/**
 * A number for LaTeX: escaped, with each minus sign before a digit set in math mode (`$-$0.303`) so it prints as
 * a minus rather than a hyphen.
 */
export function latexNumber(text: string): string {
  return latexEscape(text).replace(/(^|[\s([,])-(?=\d)/g, (_, lead: string) => `${lead}$-$`);
}

/** One cell's LaTeX: the escaped text, the stars as a superscript, and \multicolumn when it spans columns. */
export function latexCell(cell: TableCell): string {
  const body =
    (cell.numeric ? latexNumber(cell.text) : latexRich(cell.text)) + (cell.stars ? `$^{${cell.stars}}$` : '');
  return cell.span > 1 ? `\\multicolumn{${cell.span}}{${cell.align}}{${body}}` : body;
}

/** The cells of a row joined by `&` (without the closing `\\`). */
export function latexRow(cells: readonly TableCell[]): string {
  return cells.map(latexCell).join(' & ');
}

/** The \cmidrule commands under a group header row. */
export function latexRules(rules: HeaderRow['rules']): string {
  return rules.map((r) => `\\cmidrule(lr){${r.from}-${r.to}}`).join('');
}

/** A comment line: `% ` then the text on one line. */
export function latexComment(text: unknown): string {
  return `% ${String(text ?? '').replace(/[\r\n]+/g, ' ')}`;
}

/** A \label key: letters, digits and `:-_./` only (a label is not typeset, so it is filtered, not escaped). */
export function latexLabel(text: unknown): string {
  return String(text ?? '').replace(/[^A-Za-z0-9:\-_./]/g, '-');
}

/** Escape text for a Markdown table cell: `|` would end the cell, `*` would start emphasis, `\` escapes. */
export function markdownEscape(text: unknown): string {
  return String(text ?? '')
    .replace(/[\\|*]/g, (ch) => `\\${ch}`)
    .replace(/[\r\n]+/g, ' ');
}

/** One cell's Markdown; a cell spanning k columns is followed by k − 1 empty cells (Markdown has no spans). */
export function markdownCell(cell: TableCell): string {
  return markdownRich(cell.text) + markdownEscape(cell.stars) + ' |'.repeat(Math.max(0, cell.span - 1));
}

/** A Markdown table row: `| a | b |`, an empty cell as `| |`. */
export function markdownRow(cells: readonly TableCell[]): string {
  const parts = cells.flatMap((c) => [
    markdownRich(c.text) + markdownEscape(c.stars),
    ...Array<string>(Math.max(0, c.span - 1)).fill(''),
  ]);
  return '|' + parts.map((p) => (p === '' ? ' |' : ` ${p} |`)).join('');
}

/** Header lines of one column, each escaped, joined by `<br>` (the one line break GitHub allows in a cell). */
export function markdownLines(lines: readonly string[]): string {
  return lines.map(markdownRich).join('<br>');
}

/** An HTML comment line; `--` is not allowed inside a comment, so it is broken up. */
export function markdownComment(text: unknown): string {
  return `<!-- ${String(text ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/--/g, '- -')} -->`;
}

/** Text with `_{…}`/`^{…}` scripts for LaTeX: plain runs escaped, scripts set in math mode (`hgdp$_{t-1}$`). */
export function latexRich(text: unknown): string {
  return richRuns(String(text ?? ''))
    .map((r) =>
      r.script === null ? latexEscape(r.text) : `$${r.script === 'sub' ? '_' : '^'}{${latexEscape(r.text)}}$`,
    )
    .join('');
}

const CJK = '\u3400-\u9fff\uf900-\ufaff';
const CLOSING = '，。；：！？、）》」』\u201d\u2019.,;:!?)%';
const LAST_TWO = new RegExp(`([${CJK}][${CJK}][${CLOSING}]*)$`, 'u');

/**
 * A paragraph (a note, a title) for LaTeX: escaped with its scripts, and its last two Chinese characters (with any
 * closing punctuation) kept together in an \mbox, so that a line break never leaves one character alone on the
 * last line (`…显著性\mbox{水平}`).
 */
export function latexParagraph(text: unknown): string {
  return latexRich(text).replace(LAST_TWO, (m) => `\\mbox{${m}}`);
}

/** Text with scripts for HTML: escaped, scripts as <sub>/<sup>. */
export function htmlRich(text: unknown): string {
  return richRuns(String(text ?? ''))
    .map((r) => (r.script === null ? htmlEscape(r.text) : `<${r.script}>${htmlEscape(r.text)}</${r.script}>`))
    .join('');
}

/** Escape text for HTML element content and attribute values. */
export function htmlEscape(text: unknown): string {
  return String(text ?? '').replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}

/** Text with scripts for a Markdown cell: escaped, scripts as <sub>/<sup> (GitHub renders both). */
export function markdownRich(text: unknown): string {
  return richRuns(String(text ?? ''))
    .map((r) => (r.script === null ? markdownEscape(r.text) : `<${r.script}>${markdownEscape(r.text)}</${r.script}>`))
    .join('');
}
