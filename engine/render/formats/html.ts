/**
 * `html`: one standalone page with every table (`NAME-tables.html`): no script, no external file, the style inline.
 * Readable on a phone: the viewport is the device's, each table scrolls sideways inside its own box with the label
 * column kept in view, and the text wraps. Three-line rules as in print; scripts (`hgdp_{t-1}`) as <sub>/<sup>; the
 * provenance of the run in the footer and of each table in a comment before it.
 */
import { join } from 'node:path';
import { htmlEscape, htmlRich } from '../escape.js';
import type { TableCell, TableModel } from '../table-model.js';
import type { FormatFile, FormatInput, OutputFormat } from './types.js';

export const htmlFormat: OutputFormat = {
  description: 'HTML: NAME-tables.html, one standalone page with every table and the provenance (phone-readable)',
  render(input: FormatInput): FormatFile[] {
    if (input.tables.length === 0) return [];
    return [
      {
        path: join(input.outDir, `${input.docName}-tables.html`),
        data: renderHtmlPage(
          input.tables.map((t) => t.model),
          input,
        ),
      },
    ];
  },
};

const STYLE = `
body{margin:0 auto;max-width:60rem;padding:1rem;font-family:"Times New Roman","Noto Serif CJK SC","Songti SC",SimSun,serif;line-height:1.45;color:#111}
h1{font-size:1.25rem;text-align:center}
figure{margin:2rem 0}
figcaption{font-weight:bold;text-align:center;margin-bottom:.5rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;margin:0 auto;font-size:.95rem}
thead tr:first-child th{border-top:2px solid #111}
thead tr:last-child th{border-bottom:1px solid #111}
tbody tr:last-child td,tbody tr:last-child th{border-bottom:2px solid #111}
tr.rule td,tr.rule th{border-top:1px solid #111}
th,td{padding:.2rem .6rem;white-space:nowrap}
td{text-align:center;font-variant-numeric:tabular-nums}
th[scope=row]{text-align:left;font-weight:normal;position:sticky;left:0;background:#fff}
thead th{font-weight:normal;text-align:center}
td.num{text-align:right}
.notes{font-size:.85rem;margin:.5rem 0 0}
.notes p{margin:.2rem 0}
footer{font-size:.75rem;color:#555;border-top:1px solid #ccc;margin-top:2rem;padding-top:.5rem;word-break:break-all}
@media (max-width:40rem){body{padding:.5rem}table{font-size:.85rem}th,td{padding:.15rem .35rem}}
`;

export function renderHtmlPage(
  models: readonly TableModel[],
  input: Pick<FormatInput, 'lang' | 'title' | 'provenance'>,
): string {
  const lang = input.lang === 'zh' ? 'zh-CN' : input.lang;
  const title = input.title || models[0]?.title || 'Tables';
  const parts: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${htmlEscape(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlEscape(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${htmlRich(title)}</h1>`,
  ];
  for (const m of models) parts.push(tableHtml(m));
  parts.push('</main>', '<footer>');
  for (const p of input.provenance) parts.push(`<p>${htmlEscape(p)}</p>`);
  parts.push('</footer>', '</body>', '</html>', '');
  return parts.join('\n');
}

function tableHtml(m: TableModel): string {
  const out: string[] = [];
  for (const p of m.provenance) out.push(`<!-- ${p.replace(/--/g, '- -').replace(/[\r\n]+/g, ' ')} -->`);
  out.push(`<figure id="${htmlEscape(m.label.replace(/[^A-Za-z0-9_-]/g, '-'))}">`);
  out.push(`<figcaption>${htmlRich(m.title)}</figcaption>`);
  out.push('<div class="scroll">', '<table>', '<thead>');
  for (const h of m.header) out.push(`<tr>${cellsHtml(h.cells, m.stubColumns, true)}</tr>`);
  out.push('</thead>', '<tbody>');
  for (const b of m.body)
    out.push(`<tr${b.ruleBefore ? ' class="rule"' : ''}>${cellsHtml(b.cells, m.stubColumns, false)}</tr>`);
  out.push('</tbody>', '</table>', '</div>');
  if (m.notes.length > 0) {
    out.push('<div class="notes">');
    m.notes.forEach((n, i) => out.push(`<p>${i === 0 ? htmlEscape(m.notesTitle) : ''}${htmlRich(n)}</p>`));
    out.push('</div>');
  }
  out.push('</figure>');
  return out.join('\n');
}

function cellsHtml(cells: readonly TableCell[], stubColumns: number, header: boolean): string {
  let col = 0;
  return cells
    .map((c) => {
      const span = c.span > 1 ? ` colspan="${c.span}"` : '';
      const body = htmlRich(c.text) + (c.stars ? `<sup>${htmlEscape(c.stars)}</sup>` : '');
      const stub = col < stubColumns;
      col += c.span;
      if (header) return `<th scope="col"${span}>${body}</th>`;
      if (stub) return `<th scope="row"${span}>${body}</th>`;
      return `<td${span}>${body}</td>`;
    })
    .join('');
}
