/** `tex`: one LaTeX fragment per table (`ID.tex`) and one standalone document with every table (`NAME-tables.tex`). */
import { join, resolve } from 'node:path';
import { renderDocument } from '../document.js';
import { renderLatex } from '../latex.js';
import { loadTemplate } from '../templates.js';
import { forTable, type FormatFile, type FormatInput, type OutputFormat } from './types.js';

export const texFormat: OutputFormat = {
  description: 'LaTeX: ID.tex per table (booktabs, dcolumn) and NAME-tables.tex, a document with every table',
  render(input: FormatInput): FormatFile[] {
    const files: FormatFile[] = [];
    const doc: { id: string; latex: string }[] = [];
    for (const t of input.tables) {
      const own = t.plan.spec.template?.latex;
      const latex = forTable(t, () =>
        renderLatex(t.model, own ? loadTemplate('latex', resolve(t.plan.baseDir, own)) : undefined),
      );
      files.push({ path: join(input.outDir, `${t.id}.tex`), data: latex });
      doc.push({ id: t.id, latex });
    }
    if (doc.length > 0) {
      files.push({
        path: join(input.outDir, `${input.docName}-tables.tex`),
        data: renderDocument(doc, { lang: input.lang, title: input.title, provenance: input.provenance }),
      });
    }
    return files;
  },
};
