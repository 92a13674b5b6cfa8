/**
 * Figures as PDF (engine/figures/render-pdf.ts): every figure's SVG drawn into a one-page PDF of the SVG's size,
 * listed in results.json, the same bytes on every run; its text drawn with the standard font (Chinese shown as ?,
 * and said: FIGURE_PDF_GLYPHS).
 */
import { join, resolve } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { pdfDrawnText as drawnText } from '../helpers/pdf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { svgSize, svgToPdf, toStandardFontText } from '../../engine/figures/render-pdf.js';
import { runFiles } from '../helpers/pipeline.js';
import type { OutputFile } from '../../engine/run/outputs.js';

const root = resolve(__dirname, '../..');

/** The text of an SVG's text nodes, entities decoded, as the standard font draws it. */
function svgText(svg: string): string {
  const mapped = toStandardFontText(svg).svg;
  const nodes = [...mapped.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  return nodes
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

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

  it('is one page of the SVG size that draws the SVG text, with fixed dates, the same bytes on every run', async () => {
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
    const expected = svgText(svg).replace(/\s+/g, '');
    expect(expected.length).toBeGreaterThan(20);
    expect((await drawnText(pdf)).replace(/\s+/g, '')).toBe(expected);
    expect(Buffer.compare(Buffer.from(pdf), Buffer.from(file(b, 'did_event_study.pdf').data as Uint8Array))).toBe(0);
  });

  it('draws Chinese text as ? and says which characters', async () => {
    const svg = String(file(a, 'did_event_study.svg').data).replace(
      />([^<>]*[A-Za-z][^<>]*)<\/text>/,
      '>系数 $1</text>',
    );
    expect(svg).toContain('系数');
    const r = await svgToPdf(svg, 'x');
    expect(r.missing).toBe('系数');
    expect(await drawnText(r.pdf)).toContain('??');
    expect(Buffer.compare(Buffer.from(r.pdf), Buffer.from((await svgToPdf(svg, 'x')).pdf))).toBe(0);
  });
});
