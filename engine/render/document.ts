/**
 * A standalone LaTeX document holding every rendered table (`out/paper-tables.tex`): `ctexart` for Chinese (compile
 * with xelatex), `article` for every other language (compiles with pdflatex). The tables are included inline, not
 * with \input, so the one file compiles on its own.
 */
import { latexParagraph } from './escape.js';
import { LATEX_PACKAGES, tidy } from './latex.js';

export interface DocumentTable {
  /** The table id (written as a comment before the table). */
  readonly id: string;
  /** The rendered LaTeX of the table (renderLatex output). */
  readonly latex: string;
}

export interface DocumentOptions {
  /** `zh` selects ctexart (xelatex); anything else article (pdflatex). */
  readonly lang: string;
  /** Document title (plain text; escaped here). Empty for none. */
  readonly title: string;
  /** Comment lines for the top of the file (engine version, spec hashes). */
  readonly provenance?: readonly string[];
}

/** The packages every table template may use. */
const PACKAGES = LATEX_PACKAGES;

/** The LaTeX engine that compiles a document of this language. */
export function latexEngineFor(lang: string): 'xelatex' | 'pdflatex' {
  return lang === 'zh' ? 'xelatex' : 'pdflatex';
}

export function renderDocument(tables: readonly DocumentTable[], opts: DocumentOptions): string {
  const zh = opts.lang === 'zh';
  const lines: string[] = [];
  for (const p of opts.provenance ?? []) lines.push(`% ${p.replace(/[\r\n]+/g, ' ')}`);
  lines.push(`% Compile with ${latexEngineFor(opts.lang)}.`);
  if (zh) {
    lines.push('\\documentclass[UTF8,a4paper]{ctexart}');
  } else {
    // Only packages of texlive-latex-base/-recommended: no lmodern or T1 fonts (not in a minimal TeX install).
    lines.push('\\documentclass[a4paper]{article}', '\\usepackage[utf8]{inputenc}');
  }
  lines.push('\\usepackage[margin=2.5cm]{geometry}');
  for (const p of PACKAGES) lines.push(`\\usepackage{${p}}`);
  lines.push('\\captionsetup{font=small,labelsep=quad}');
  lines.push('');
  lines.push('\\begin{document}');
  if (opts.title !== '') {
    // A heading, not \maketitle: a title page would spend a page on one line.
    lines.push(`{\\centering\\large\\bfseries ${latexParagraph(opts.title)}\\par}`, '\\bigskip');
  }
  for (const t of tables) {
    lines.push('', `% ---- ${t.id.replace(/[\r\n]+/g, ' ')} ----`);
    // A longtable is not a float: flush the floating tables before it, so that tables appear in their order.
    if (t.latex.includes('\\begin{longtable}')) lines.push('\\clearpage');
    lines.push(t.latex.trimEnd());
  }
  lines.push('', '\\end{document}');
  return tidy(lines.join('\n'));
}
