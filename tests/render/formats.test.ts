/**
 * Every registered output format renders the paper-shaped fixtures, and the files are opened again with another
 * library than the one that wrote them: the .docx unzipped and its XML parsed (cells, the three rules, fonts, the
 * notes under the table), the .xlsx loaded with exceljs (numbers as numbers with their formats, borders, merges),
 * the HTML parsed with parse5 reporting every parse error, the CSV split back into fields. Each format is also a
 * golden file per layout (the .docx and .xlsx as text projections).
 */
import type { Element as XmlElement } from '@xmldom/xmldom';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import { buildTableModel, type TableModel } from '../../engine/render/table-model.js';
import { formatNames, formats } from '../../engine/render/formats/registry.js';
import type { FormatInput } from '../../engine/render/formats/types.js';
import { docxDocument, docxProjection, openXlsx, xlsxProjection } from '../helpers/office.js';
import * as f from './fixtures.js';
import { expectGolden } from './golden.js';

const results = { ...f.regressionResults, ...f.gmmResults, ...f.mediationResults, ...f.rankSizeResults };
const layouts = [
  ['table1', f.table1Spec, 'regression'],
  ['table3', f.table3Spec, 'grid'],
  ['table4', f.table4Spec, 'regression'],
  ['table5', f.table5Spec, 'mediation'],
] as const;

function input(lang: string): FormatInput {
  const tables = layouts.map(([id, spec, layout]) => {
    const plan = f.plan(id, spec, layout);
    return {
      id,
      plan,
      model: buildTableModel(plan, results, { lang, provenance: f.provenance, dataNotes: f.dataNotes }),
    };
  });
  return {
    tables,
    outDir: 'out',
    docName: 'paper',
    lang,
    title: lang === 'zh' ? '论文表格' : 'Paper tables',
    provenance: ['specrun 0.1.0'],
    resultsJson: () => '{}',
  };
}

async function render(name: keyof typeof formats, lang = 'zh') {
  return formats[name].render(input(lang));
}

const model1: TableModel = input('zh').tables[0]!.model;

describe('format registry', () => {
  it('lists every format once, each with a description', () => {
    expect(formatNames).toEqual(['tex', 'md', 'json', 'docx', 'html', 'csv', 'xlsx']);
    for (const n of formatNames) expect(formats[n].description.length).toBeGreaterThan(10);
  });

  it('is deterministic: every format gives the same bytes twice', async () => {
    for (const n of formatNames) {
      const a = await render(n);
      const b = await render(n);
      expect(a.map((x) => x.path)).toEqual(b.map((x) => x.path));
      a.forEach((x, i) => expect(Buffer.from(x.data).equals(Buffer.from(b[i]!.data)), `${n} ${x.path}`).toBe(true));
    }
  });
});

describe('docx', () => {
  it('writes one document whose tables have the cells, the three rules, named CJK fonts and the notes under them', async () => {
    const [file] = await render('docx');
    expect(file!.path).toBe('out/paper-tables.docx');
    const doc = docxDocument(file!.data as Uint8Array);
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const tables = Array.from(doc.getElementsByTagNameNS(W, 'tbl'));
    expect(tables).toHaveLength(layouts.length);
    const text = (n: { getElementsByTagNameNS(ns: string, tag: string): ArrayLike<{ textContent: string | null }> }) =>
      Array.from(n.getElementsByTagNameNS(W, 't'))
        .map((t) => t.textContent ?? '')
        .join('');
    // Table 1: the cells of the first coefficient row, stars as a superscript run after the number.
    const t1 = tables[0]!;
    const rows = Array.from(t1.getElementsByTagNameNS(W, 'tr'));
    expect(rows).toHaveLength(model1.header.length + model1.body.length);
    const firstBody = rows[model1.header.length]!;
    const cells = Array.from(firstBody.getElementsByTagNameNS(W, 'tc')).map(text);
    expect(cells).toEqual(model1.body[0]!.cells.map((c) => c.text + c.stars));
    // Three-line style: a heavy rule (sz 12) on top of the first header row, light (6) under the last header row,
    // heavy under the last body row, no vertical rules.
    const border = (tc: XmlElement, side: string) =>
      tc.getElementsByTagNameNS(W, 'tcBorders')[0]?.getElementsByTagNameNS(W, side)[0];
    const firstHeaderCell = rows[0]!.getElementsByTagNameNS(W, 'tc')[1]!;
    expect(border(firstHeaderCell, 'top')?.getAttributeNS(W, 'sz')).toBe('12');
    const lastHeaderCell = rows[model1.header.length - 1]!.getElementsByTagNameNS(W, 'tc')[1]!;
    expect(border(lastHeaderCell, 'bottom')?.getAttributeNS(W, 'sz')).toBe('6');
    const lastBodyCell = rows[rows.length - 1]!.getElementsByTagNameNS(W, 'tc')[1]!;
    expect(border(lastBodyCell, 'bottom')?.getAttributeNS(W, 'sz')).toBe('12');
    expect(border(lastBodyCell, 'left')?.getAttributeNS(W, 'val')).toBe('none');
    // Fonts: Latin and East Asian named on the runs.
    const fonts = Array.from(t1.getElementsByTagNameNS(W, 'rFonts'));
    expect(fonts.length).toBeGreaterThan(0);
    for (const r of fonts) {
      expect(r.getAttributeNS(W, 'eastAsia')).toBe('SimSun');
      expect(r.getAttributeNS(W, 'ascii')).toBe('Times New Roman');
    }
    // The notes follow the table as paragraphs, the first led by 注：.
    let next = t1.nextSibling as XmlElement | null;
    while (next && next.nodeType !== 1) next = next.nextSibling as XmlElement | null;
    expect(next?.localName).toBe('p');
    expect(text(next!)).toBe(`${model1.notesTitle}${model1.notes[0]}`);
  });

  it('spans a group header over its columns (gridSpan)', async () => {
    const [file] = await render('docx');
    const doc = docxDocument(file!.data as Uint8Array);
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const t4 = doc.getElementsByTagNameNS(W, 'tbl')[2]!;
    const spans = Array.from(t4.getElementsByTagNameNS(W, 'gridSpan')).map((g) => g.getAttributeNS(W, 'val'));
    expect(spans).toContain('4');
  });
});

describe('xlsx', () => {
  it('writes one sheet per table with numbers as numbers, stars and parentheses in the number format, and three rules', async () => {
    const [file] = await render('xlsx');
    const wb = await openXlsx(file!.data as Uint8Array);
    expect(wb.worksheets.map((w) => w.name)).toEqual(layouts.map(([id]) => id));
    const ws = wb.getWorksheet('table1')!;
    expect(ws.getCell('A1').value).toBe(model1.title);
    const headerRows = model1.header.length;
    const coefRow = 2 + headerRows; // title row, then the header rows
    const coef = model1.body[0]!.cells[1]!;
    const cell = ws.getCell(coefRow, 2);
    expect(typeof cell.value).toBe('number');
    expect(cell.value).toBe(coef.number!.value);
    expect(cell.numFmt).toBe(`0.000"${coef.stars}"`);
    const se = ws.getCell(coefRow + 1, 2);
    expect(typeof se.value).toBe('number');
    expect(se.numFmt).toBe('(0.000)');
    expect(ws.getCell(2, 2).border?.top?.style).toBe('medium');
    expect(ws.getCell(1 + headerRows, 2).border?.bottom?.style).toBe('thin');
    expect(ws.getCell(1 + headerRows + model1.body.length, 2).border?.bottom?.style).toBe('medium');
    // Counts are whole numbers.
    const nobsRow = model1.body.findIndex((b) => b.key === 'stat:nobs');
    const n = ws.getCell(2 + headerRows + nobsRow, 2);
    expect(Number.isInteger(n.value)).toBe(true);
    expect(n.numFmt).toBe('0');
  });

  it('merges a group header over its columns', async () => {
    const [file] = await render('xlsx');
    const wb = await openXlsx(file!.data as Uint8Array);
    const ws = wb.getWorksheet('table4')!;
    expect(ws.getCell('D2').isMerged).toBe(true);
    expect(ws.getCell('D2').master.address).toBe('C2');
  });
});

describe('html', () => {
  it('is one standalone page that parses without a single error, readable on a phone, with every table and the provenance', async () => {
    const [file] = await render('html');
    const html = file!.data as string;
    const errors: string[] = [];
    const doc = parse(html, { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) });
    expect(errors).toEqual([]);
    const all: DefaultTreeAdapterMap['element'][] = [];
    const walk = (n: DefaultTreeAdapterMap['parentNode']): void => {
      for (const c of n.childNodes)
        if ('tagName' in c) {
          all.push(c);
          walk(c);
        }
    };
    walk(doc);
    const tag = (t: string) => all.filter((e) => e.tagName === t);
    expect(tag('table')).toHaveLength(layouts.length);
    const viewport = tag('meta').find((m) => m.attrs.some((a) => a.name === 'name' && a.value === 'viewport'));
    expect(viewport).toBeDefined();
    expect(tag('script')).toHaveLength(0);
    expect(tag('link')).toHaveLength(0);
    expect(html).toContain('specrun 0.1.0');
    // Group spans become colspan.
    expect(tag('th').some((th) => th.attrs.some((a) => a.name === 'colspan' && a.value === '4'))).toBe(true);
  });
});

describe('csv', () => {
  it('writes one file per table, UTF-8 with BOM, every row as wide as the table', async () => {
    const files = await render('csv');
    expect(files.map((x) => x.path)).toEqual(layouts.map(([id]) => `out/${id}.csv`));
    const text = files[0]!.data as string;
    expect(text.startsWith('\ufeff')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    const tableLines = lines.slice(1, 1 + model1.header.length + model1.body.length);
    for (const l of tableLines) expect(l.split(',')).toHaveLength(model1.columnCount);
    expect(tableLines[model1.header.length]).toBe(model1.body[0]!.cells.map((c) => c.text + c.stars).join(','));
  });
});

describe.each(['zh', 'en'])('format goldens (%s)', (lang) => {
  it('html, csv, docx and xlsx for every layout', async () => {
    for (const n of ['html', 'csv', 'docx', 'xlsx'] as const) {
      for (const file of await render(n, lang)) {
        const name = `formats/${lang}/${file.path.replace(/^out\//, '')}`;
        if (typeof file.data === 'string') expectGolden(name, file.data);
        else if (name.endsWith('.docx')) expectGolden(`${name}.xml`, docxProjection(file.data));
        else expectGolden(`${name}.txt`, await xlsxProjection(file.data));
      }
    }
  });
});

describe('--format in run --help', () => {
  it('lists every registered format with its description', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli(['run', '--help'], process.cwd());
    expect(r.code).toBe(0);
    for (const n of formatNames)
      expect(r.stdout).toMatch(
        new RegExp(`^ +${n} +${formats[n].description.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'),
      );
  });

  it('refuses an unknown format naming the registered ones', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli(['run', 'specs/examples/grunfeld.yaml', '--format', 'pdf'], process.cwd());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown format 'pdf' (${formatNames.join(', ')})`);
  });
});
