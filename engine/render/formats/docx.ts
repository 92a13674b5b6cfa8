/**
 * `docx`: one Word document with every table (`NAME-tables.docx`) — what Chinese journals and co-authors edit. Each
 * table is a real Word table in the three-line style: a 1.5 pt rule above the header, 0.75 pt under it (and under
 * each labelled group span), 1.5 pt under the body, no vertical rules; the title above, the notes under it in a
 * smaller size. Fonts are named for both scripts: Times New Roman for Latin text and digits, SimSun (宋体) for Chinese
 * (Word's eastAsia font slot). Scripts (`hgdp_{t-1}`) are subscript and superscript runs; stars are superscripts.
 */
import { join } from 'node:path';
import type { IBorderOptions, ITableCellBorders, Paragraph, Table, TextRun } from 'docx';
import { richRuns } from '../rich-text.js';
import type { TableCell as ModelCell, TableModel } from '../table-model.js';
import type { FormatFile, FormatInput, OutputFormat } from './types.js';

export const docxFormat: OutputFormat = {
  description:
    'Word: NAME-tables.docx, every table as a three-line Word table with its title and notes (CJK fonts named)',
  async render(input: FormatInput): Promise<FormatFile[]> {
    if (input.tables.length === 0) return [];
    // Loaded on use: every other command starts without it.
    // fflate (./zip.js) and docx load with this format only (issue 19: start-up).
    const [d, { stableZip }] = await Promise.all([import('docx'), import('./zip.js')]);
    const { AlignmentType, Document, Packer, Paragraph } = d;
    const runs = runsWith(d);
    const children: (Paragraph | Table)[] = [];
    if (input.title)
      children.push(
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { after: 240 },
          children: runs(input.title, { size: 28, bold: true }),
        }),
      );
    for (const t of input.tables) children.push(...tableBlock(d, t.model));
    const doc = new Document({
      creator: 'specrun',
      title: input.title,
      description: input.provenance.join(' | '),
      styles: { default: { document: { run: { font: FONT, size: 21 } } } },
      sections: [{ children }],
    });
    const bytes = new Uint8Array(await Packer.toBuffer(doc));
    return [{ path: join(input.outDir, `${input.docName}-tables.docx`), data: stableZip(bytes) }];
  },
};

/** Latin text in Times New Roman, Chinese in SimSun (宋体). */
export const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', cs: 'Times New Roman', eastAsia: 'SimSun' };

type Docx = typeof import('docx');

/** Rule widths in eighths of a point: 12 = 1.5 pt, 6 = 0.75 pt. */
const HEAVY: IBorderOptions = { style: 'single', size: 12, color: '000000' };
const LIGHT: IBorderOptions = { style: 'single', size: 6, color: '000000' };
const NONE: IBorderOptions = { style: 'none', size: 0, color: 'FFFFFF' };

function runsWith(d: Docx) {
  return (text: string, opts: { size?: number; bold?: boolean } = {}): TextRun[] =>
    richRuns(text).map(
      (r) =>
        new d.TextRun({
          text: r.text,
          font: FONT,
          size: opts.size,
          bold: opts.bold,
          subScript: r.script === 'sub' || undefined,
          superScript: r.script === 'sup' || undefined,
        }),
    );
}

function tableBlock(d: Docx, m: TableModel): (Paragraph | Table)[] {
  const { AlignmentType, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } = d;
  const runs = runsWith(d);
  const cellParagraph = (cell: ModelCell, stub: boolean): Paragraph => {
    const children = runs(cell.text);
    if (cell.stars) children.push(new TextRun({ text: cell.stars, font: FONT, superScript: true }));
    return new Paragraph({ alignment: stub ? AlignmentType.LEFT : AlignmentType.CENTER, children });
  };
  const rows: InstanceType<Docx['TableRow']>[] = [];
  const lastHeader = m.header.length - 1;
  m.header.forEach((h, r) => {
    let col = 0;
    const cells = h.cells.map((c) => {
      const from = col + 1;
      col += c.span;
      const underGroup = h.rules.some((rule) => rule.from === from && rule.to === col);
      const borders: ITableCellBorders = {
        top: r === 0 ? HEAVY : NONE,
        bottom: r === lastHeader ? LIGHT : underGroup ? LIGHT : NONE,
        left: NONE,
        right: NONE,
      };
      return new TableCell({
        columnSpan: c.span > 1 ? c.span : undefined,
        borders,
        children: [cellParagraph(c, from <= m.stubColumns)],
      });
    });
    rows.push(new TableRow({ tableHeader: true, children: cells }));
  });
  m.body.forEach((b, r) => {
    let col = 0;
    const last = r === m.body.length - 1;
    const cells = b.cells.map((c) => {
      const stub = col < m.stubColumns;
      col += c.span;
      const borders: ITableCellBorders = {
        top: b.ruleBefore ? LIGHT : NONE,
        bottom: last ? HEAVY : NONE,
        left: NONE,
        right: NONE,
      };
      return new TableCell({
        columnSpan: c.span > 1 ? c.span : undefined,
        borders,
        children: [cellParagraph(c, stub)],
      });
    });
    rows.push(new TableRow({ children: cells }));
  });
  const table = new Table({
    rows,
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: HEAVY, bottom: HEAVY, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
  });
  const out: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: 120 },
      keepNext: true,
      children: runs(m.title, { bold: true }),
    }),
    table,
  ];
  m.notes.forEach((n, i) =>
    out.push(
      new Paragraph({
        spacing: { before: i === 0 ? 60 : 0 },
        children: runs((i === 0 ? m.notesTitle : '') + n, { size: 18 }),
      }),
    ),
  );
  return out;
}
