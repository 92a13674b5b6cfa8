/**
 * Figures as PDF (engine/figures/render-pdf.ts): every figure's SVG drawn into a one-page PDF of the SVG's size,
 * listed in results.json, the same bytes on every run. Latin-1 text: the standard Helvetica, nothing embedded;
 * Chinese: Noto Sans SC embedded as a subset, every character read back through the font's ToUnicode map; a character
 * the font lacks: `?`, and said (FIGURE_PDF_GLYPHS); `pdf_font:` chooses the font, checked at its key (FIGURE_FONT).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { pdfDrawnText as drawnText, pdfFonts, svgTextNodes } from '../helpers/pdf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  defaultPdfFontDir,
  svgSize,
  svgToPdf,
  toStandardFontText,
  type PdfFont,
} from '../../engine/figures/render-pdf.js';
import { runFiles } from '../helpers/pipeline.js';
import { check } from '../../engine/run/pipeline.js';
import { createRunContext } from '../../engine/run/context.js';
import type { OutputFile } from '../../engine/run/outputs.js';

const root = resolve(__dirname, '../..');
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
/** The Han characters of a text, once each. */
const han = (s: string) => [...new Set(s.match(/\p{Script=Han}/gu) ?? [])].join('');

describe('toStandardFontText', () => {
  it("maps the minus sign to '-', keeps Latin-1, and replaces what Helvetica cannot draw", () => {
    const r = toStandardFontText('<svg><text>−0.5 é “x”</text><text>系数 b</text></svg>');
    expect(r.svg).toBe('<svg><text>-0.5 é “x”</text><text>?? b</text></svg>');
    expect(r.missing).toBe('系数');
    expect(toStandardFontText('<text>abc</text>').missing).toBe('');
  });

  it('reads the size of the root svg element', () => {
    expect(
      svgSize('<svg class="marks" width="532" height="322" viewBox="0 0 532 322"><rect width="9"/></svg>'),
    ).toEqual({ width: 532, height: 322 });
    expect(() => svgSize('<svg></svg>')).toThrow();
  });
});

describe('figures as PDF', () => {
  let a: { files: OutputFile[]; errors: unknown[] };
  let b: { files: OutputFile[] };
  beforeAll(async () => {
    a = await runFiles([join(root, 'specs/examples/did.yaml')], root);
    b = await runFiles([join(root, 'specs/examples/did.yaml')], root);
  }, 120_000);
  const file = (r: { files: OutputFile[] }, name: string) => r.files.find((f) => f.path.endsWith(name))!;

  it('writes ID.pdf beside ID.svg and lists it in results.json', () => {
    expect(a.errors).toEqual([]);
    expect(file(a, 'did_event_study.pdf')).toBeDefined();
    const results = JSON.parse(String(file(a, 'results.json').data)) as {
      figures: Record<string, { files: string[] }>;
    };
    expect(results.figures['did_event_study']!.files).toContain('did_event_study.pdf');
    for (const [id, f] of Object.entries(results.figures))
      for (const name of f.files) expect(file(a, name), `${id}: ${name}`).toBeDefined();
  });

  it('Latin text: one page of the SVG size in the standard Helvetica (no font embedded), fixed dates, the same bytes on every run', async () => {
    const pdf = file(a, 'did_event_study.pdf').data as Uint8Array;
    const svg = String(file(a, 'did_event_study.svg').data);
    expect(Buffer.from(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(pdf).subarray(-6).toString('latin1')).toMatch(/%%EOF\n?$/);
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = svgSize(svg);
    expect(doc.getPage(0).getSize()).toEqual({ width, height });
    expect(doc.getCreationDate()?.toISOString()).toBe('2000-01-01T00:00:00.000Z');
    expect(doc.getModificationDate()?.toISOString()).toBe('2000-01-01T00:00:00.000Z');
    expect(doc.getTitle()).toBe('did_event_study');
    const fonts = [...(await pdfFonts(pdf)).values()];
    expect(fonts.map((f) => f.baseFont)).toContain('Helvetica');
    expect(fonts.filter((f) => f.fontFile)).toEqual([]);
    const expected = svgTextNodes(toStandardFontText(svg).svg).replace(/\s+/g, '');
    expect(expected.length).toBeGreaterThan(20);
    expect((await drawnText(pdf)).replace(/\s+/g, '')).toBe(expected);
    expect(same(pdf, file(b, 'did_event_study.pdf').data as Uint8Array)).toBe(true);
  });

  it('Chinese text: Noto Sans SC embedded as a subset, every character drawn and read back, the same bytes on every run', async () => {
    const svg = String(file(a, 'did_event_study.svg').data).replace(
      />([^<>]*[A-Za-z][^<>]*)<\/text>/,
      '>系数 −1 $1</text>',
    );
    const r = await svgToPdf(svg, '事件研究');
    expect(r.missing).toBe('');
    expect(r.font).toBe('Noto Sans SC');
    const fonts = [...(await pdfFonts(r.pdf)).values()].filter((f) => f.fontFile);
    expect(fonts.map((f) => f.baseFont.replace(/^[A-Z]{6}\+/, ''))).toContain('NotoSansHans-Regular');
    for (const f of fonts) {
      expect(f.fontFile).toBe('FontFile3'); // the OpenType (CFF) program, subset
      expect(f.fontFileBytes!).toBeLessThan(1_000_000); // the whole font is ≈ 8 MB
    }
    const drawn = await drawnText(r.pdf);
    expect(drawn.replace(/\s+/g, '')).toBe(svgTextNodes(svg).replace(/\s+/g, ''));
    expect(drawn).toContain('系数 −1');
    expect((await PDFDocument.load(r.pdf, { updateMetadata: false })).getTitle()).toBe('事件研究');
    expect(same(r.pdf, (await svgToPdf(svg, '事件研究')).pdf)).toBe(true);
  });

  it('a character the font has no glyph for is drawn as ? and said; the others are drawn', async () => {
    const svg = String(file(a, 'did_event_study.svg').data).replace(
      />([^<>]*[A-Za-z][^<>]*)<\/text>/,
      '>系数 क $1</text>',
    );
    const r = await svgToPdf(svg, 'x');
    expect(r.missing).toBe('क');
    const drawn = await drawnText(r.pdf);
    expect(drawn).toContain('系数 ? ');
    expect(drawn).not.toContain('क');
  });
});

describe('pdf_font:', () => {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-pdf-font-'));
  const spec = (font: string | null, xLabel = 'Period') => {
    const text = readFileSync(join(root, 'specs/examples/did.yaml'), 'utf8')
      .replace('../../data/base-did.csv', JSON.stringify(join(root, 'data/base-did.csv')))
      .replace(
        '    x_label: Period',
        `    x_label: ${xLabel}${font === null ? '' : `\n    pdf_font: ${JSON.stringify(font)}`}`,
      );
    const f = join(dir, `spec-${Math.abs(hash(`${font}|${xLabel}`))}.yaml`);
    writeFileSync(f, text);
    return { file: f, line: text.split('\n').findIndex((l) => l.includes('pdf_font:')) + 1 };
  };
  const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.codePointAt(0)!) | 0, 7);
  mkdirSync(join(dir, 'fonts'), { recursive: true });
  const light = readFileSync(join(defaultPdfFontDir(), 'NotoSansHans-Light.otf'));
  writeFileSync(join(dir, 'fonts', 'light.otf'), light);
  writeFileSync(join(dir, 'fonts', 'not-a-font.otf'), 'city,year\n1,2\n');

  it('draws all of the text (Latin too) with the named font, a path relative to the spec', async () => {
    const { file } = spec('fonts/light.otf');
    const r = await runFiles([file], dir);
    expect(r.errors).toEqual([]);
    const pdf = r.files.find((f) => f.path.endsWith('did_event_study.pdf'))!.data as Uint8Array;
    const svg = String(r.files.find((f) => f.path.endsWith('did_event_study.svg'))!.data);
    const fonts = [...(await pdfFonts(pdf)).values()];
    expect(fonts.map((f) => f.baseFont.replace(/^[A-Z]{6}\+/, ''))).toEqual(['NotoSansHans-Light']);
    expect((await drawnText(pdf)).replace(/\s+/g, '')).toBe(svgTextNodes(svg).replace(/\s+/g, ''));
    const again = await runFiles([file], dir);
    expect(same(pdf, again.files.find((f) => f.path.endsWith('did_event_study.pdf'))!.data as Uint8Array)).toBe(true);
  }, 120_000);

  it('a run whose figure text has a character no font has says so (FIGURE_PDF_GLYPHS at the figure, an info)', async () => {
    const { file } = spec(null, '期间 क');
    const r = await runFiles([file], dir);
    expect(r.errors).toEqual([]);
    const figure = r.runs[0]!.figures!.find((f) => f.id === 'did_event_study')!;
    expect(figure.pdfMissing).toBe('क');
    expect(figure.pdfFont).toBe('Noto Sans SC');
    expect(figure.pdfNote?.code).toBe('FIGURE_PDF_GLYPHS');
    expect(figure.pdfNote?.severity).toBe('info');
    expect(figure.pdfNote?.message).toContain('(क)');
    expect(figure.pdfNote?.message).toContain('Noto Sans SC');
    expect(figure.pdfNote?.line).toBe(
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('  did_event_study:')) + 2, // the figure's mapping, on the line after its id
    );
    const drawn = await drawnText(figure.pdf);
    expect(drawn).toContain('期间 ?');
    // with a font that lacks nothing of the text, no note: the same label in Latin-1 stays in Helvetica
    const latin = await runFiles([spec(null, 'Période').file], dir);
    const plain = latin.runs[0]!.figures!.find((f) => f.id === 'did_event_study')!;
    expect(plain.pdfNote).toBeUndefined();
    expect(plain.pdfFont).toBe('Helvetica');
  }, 120_000);

  it('the font given to svgToPdf is the one embedded', async () => {
    const font: PdfFont = { name: 'light', regular: light, bold: light };
    const svg = '<svg width="100" height="40"><text x="5" y="20" font-weight="bold">Ab 系数</text></svg>';
    const r = await svgToPdf(svg, 't', font);
    expect(r.font).toBe('light');
    expect([...(await pdfFonts(r.pdf)).values()].map((f) => f.baseFont.replace(/^[A-Z]{6}\+/, ''))).toEqual([
      'NotoSansHans-Light',
    ]);
    expect(await drawnText(r.pdf)).toBe('Ab 系数');
  });

  it.each([
    ['fonts/missing.ttf', 'no such file'],
    ['fonts/not-a-font.otf', 'not a font file'],
    ['fonts', 'not a regular file'],
  ])('%s: FIGURE_FONT at the key (%s), nothing run', async (font, reason) => {
    const { file, line } = spec(font);
    const c = await check(file, dir, createRunContext());
    expect(c.spec).toBeNull();
    const d = c.diagnostics.filter((x) => x.code === 'FIGURE_FONT');
    expect(d).toHaveLength(1);
    expect(resolve(dir, d[0]!.file)).toBe(file);
    expect(d[0]!.line).toBe(line);
    expect(d[0]!.col).toBe(15); // the value of `    pdf_font: "…"`
    expect(d[0]!.message).toContain(reason);
    expect(d[0]!.hint).toMatch(/TrueType or OpenType/);
  });
});

describe("the paper's Chinese figures", () => {
  it.each(['table1_curve', 'table1_coefs'])(
    '%s.pdf (from the committed zh SVG) embeds a font whose ToUnicode map covers every Chinese character of the SVG',
    async (name) => {
      const svg = readFileSync(join(root, 'tests/golden/paper/zh', `${name}.svg`), 'utf8');
      const chars = han(svgTextNodes(svg));
      expect(chars.length).toBeGreaterThan(5);
      const r = await svgToPdf(svg, name);
      expect(r.missing).toBe('');
      const mapped = new Set(
        [...(await pdfFonts(r.pdf)).values()].flatMap((f) => [...(f.toUnicode?.values() ?? [])]).join(''),
      );
      expect([...chars].filter((c) => !mapped.has(c))).toEqual([]);
      const drawn = await drawnText(r.pdf);
      expect(han(drawn)).toBe(chars);
      expect(drawn).not.toContain('?'.repeat(2));
      expect(drawn).not.toContain('\ufffd');
      expect(same(r.pdf, (await svgToPdf(svg, name)).pdf)).toBe(true);
    },
    60_000,
  );
});
