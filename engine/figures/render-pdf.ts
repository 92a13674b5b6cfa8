/**
 * SVG → PDF for the figures: the SVG that Vega renders (render-svg.ts) drawn into a one-page PDF by pdfkit with
 * svg-to-pdfkit, the page the SVG's size (1 SVG px = 1 pt). The bytes are a function of the SVG and of the font files
 * alone: the document's CreationDate and ModDate are fixed (2000-01-01), the file ID is pdfkit's hash of that
 * information, and no font of the machine is read.
 *
 * Which font draws the text:
 * - text that the PDF's standard Helvetica can encode (WinAnsi: Latin-1 and a few typographic signs; Vega's minus sign
 *   U+2212 becomes '-') and no `pdf_font:`: Helvetica, nothing embedded;
 * - any other character (Chinese labels): Noto Sans SC (the OpenType fonts of the pinned npm package
 *   `@embedpdf/fonts-sc`, Regular and Bold), embedded as a subset of the glyphs the figure uses, with a ToUnicode map
 *   (the text can be searched and copied);
 * - `pdf_font:` (a TrueType or OpenType file): that font for all of the text, embedded the same way.
 * A character the chosen font has no glyph for is drawn as '?' and returned in `missing`, for the run to report
 * (FIGURE_PDF_GLYPHS): the SVG keeps every character.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The fixed date of every PDF's information dictionary (no timestamp enters the bytes). */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

/** Characters outside WinAnsi that have a faithful WinAnsi stand-in. */
const STAND_INS: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  '\u2212': '-', // minus sign (d3-format's negative numbers)
  '\u2009': ' ', // thin space
  '\u202f': ' ', // narrow no-break space
  '\u2032': "'", // prime
  '\u2033': '"', // double prime
});

/** The characters above U+00FF that WinAnsi encodes (its 0x80–0x9F range). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function encodable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || c === 0x09 || c === 0x0a || WIN_ANSI_EXTRA.has(ch);
}

/**
 * The SVG's text nodes (between > and <) with each character passed through `map`: attribute values are ASCII in
 * Vega's output, or labels nobody draws.
 */
function mapText(svg: string, map: (ch: string) => string): string {
  return svg.replace(/>([^<]+)</g, (_whole, text: string) => {
    let t = '';
    for (const ch of text) t += map(ch);
    return `>${t}<`;
  });
}

/** The SVG with every character the standard font cannot draw replaced, and those characters (in order, once each). */
export function toStandardFontText(svg: string): { svg: string; missing: string } {
  const missing = new Set<string>();
  const out = mapText(svg, (ch) => {
    if (encodable(ch)) return ch;
    if (STAND_INS[ch] !== undefined) return STAND_INS[ch];
    missing.add(ch);
    return '?';
  });
  return { svg: out, missing: [...missing].join('') };
}

/** True when every character of the SVG's text has a WinAnsi form (the standard font draws it). */
export function standardFontSuffices(svg: string): boolean {
  return toStandardFontText(svg).missing === '';
}

/** The width and height of the root <svg> element, in px. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const num = (name: string) => Number(new RegExp(`\\s${name}="([0-9.]+)"`).exec(root)?.[1]);
  const width = num('width');
  const height = num('height');
  if (!(width > 0 && height > 0)) throw new Error('the SVG has no width and height');
  return { width, height };
}

/** A font to embed: the bytes of its regular face and of the face for bold text (the same file when there is one). */
export interface PdfFont {
  /** How the run names it (FIGURE_PDF_GLYPHS): the `pdf_font:` path as written, or the default's name. */
  readonly name: string;
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

/** The default font's name in messages, and its files in the npm package `@embedpdf/fonts-sc` 1.0.0 (pinned). */
export const DEFAULT_PDF_FONT_NAME = 'Noto Sans SC';
const DEFAULT_FONT_FILES = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' } as const;

/** The folder of the default font files (resolved beside the engine's own node_modules, never the machine's fonts). */
export function defaultPdfFontDir(): string {
  const main = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return join(dirname(main), '..', 'fonts');
}

/** The default font (Noto Sans SC Regular and Bold), read from its package. */
export function defaultPdfFont(): PdfFont {
  const dir = defaultPdfFontDir();
  return {
    name: DEFAULT_PDF_FONT_NAME,
    regular: readFileSync(join(dir, DEFAULT_FONT_FILES.regular)),
    bold: readFileSync(join(dir, DEFAULT_FONT_FILES.bold)),
  };
}

/** The part of a fontkit font the renderer reads. */
interface GlyphCoverage {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/** fontkit (pdfkit's font engine), loaded with pdfkit on the first figure that embeds a font. */
async function fontkitCreate(): Promise<(buffer: Buffer) => unknown> {
  return (await import('fontkit')).create;
}

/**
 * Why `bytes` cannot be a figure's font, or null when it can: a single TrueType/OpenType (or WOFF) font that maps
 * characters to glyphs. A collection (.ttc) is refused: it holds several fonts and does not say which.
 */
export async function pdfFontProblem(bytes: Uint8Array): Promise<string | null> {
  const create = await fontkitCreate();
  let font: unknown;
  try {
    font = create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    return `not a font file (${e instanceof Error ? e.message : String(e)})`;
  }
  if (!font || typeof font !== 'object') return 'not a font file';
  if ('fonts' in font) return 'a font collection (.ttc/.otc); give one font of it as a .ttf or .otf file';
  const f = font as GlyphCoverage & { numGlyphs?: number; characterSet?: number[] };
  try {
    if (!(f.numGlyphs! > 1) || !f.characterSet?.length) return 'the font maps no character to a glyph';
  } catch (e) {
    return `the font cannot be read (${e instanceof Error ? e.message : String(e)})`;
  }
  return null;
}

export interface RenderedPdf {
  readonly pdf: Uint8Array;
  /** Characters of the figure's text that the PDF shows as '?' (empty when none). */
  readonly missing: string;
  /** The font that draws the text: 'Helvetica' (standard, not embedded) or the embedded font's name. */
  readonly font: string;
}

/**
 * The figure's SVG as a one-page PDF. `font`: the spec's `pdf_font:` (read by the run), else Helvetica when it
 * suffices and the default embedded font when it does not (loaded only then; `loadDefault` for tests).
 * pdfkit and svg-to-pdfkit are loaded on the first figure only.
 */
export async function svgToPdf(
  svg: string,
  title: string,
  font?: PdfFont,
  loadDefault: () => PdfFont = defaultPdfFont,
): Promise<RenderedPdf> {
  const [{ default: PDFDocument }, { default: SVGtoPDF }] = await Promise.all([
    import('pdfkit'),
    import('svg-to-pdfkit'),
  ]);
  const { width, height } = svgSize(svg);
  const embedded = font ?? (standardFontSuffices(svg) ? undefined : loadDefault());
  let text: { svg: string; missing: string };
  let docTitle: string;
  if (!embedded) {
    text = toStandardFontText(svg);
    docTitle = toStandardFontText(`>${title}<`).svg.slice(1, -1);
  } else {
    // Each character the font lacks: its stand-in when the font has that, else '?' (and reported).
    const create = await fontkitCreate();
    const faces = [embedded.regular, embedded.bold].map(
      (b) => create(Buffer.from(b.buffer, b.byteOffset, b.byteLength)) as GlyphCoverage,
    );
    const has = (ch: string) => faces.every((f) => f.hasGlyphForCodePoint(ch.codePointAt(0)!));
    const missing = new Set<string>();
    const out = mapText(svg, (ch) => {
      if (ch === '\n' || ch === '\t' || has(ch)) return ch;
      const stand = STAND_INS[ch];
      if (stand !== undefined && has(stand)) return stand;
      missing.add(ch);
      return '?';
    });
    text = { svg: out, missing: [...missing].join('') };
    docTitle = title;
  }
  const doc = new PDFDocument({
    size: [width, height],
    margin: 0,
    compress: true,
    info: {
      Title: docTitle,
      Creator: 'specrun',
      Producer: 'PDFKit',
      CreationDate: FIXED_DATE,
      ModDate: FIXED_DATE,
    },
  });
  if (embedded) {
    doc.registerFont('specrun-regular', Buffer.from(embedded.regular));
    doc.registerFont('specrun-bold', Buffer.from(embedded.bold));
  }
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const warnings: string[] = [];
  SVGtoPDF(doc, text.svg, 0, 0, {
    width,
    height,
    assumePt: true,
    warningCallback: (w: string) => warnings.push(w),
    ...(embedded
      ? { fontCallback: (_family: string, bold: boolean) => (bold ? 'specrun-bold' : 'specrun-regular') }
      : {}),
  });
  doc.end();
  await done;
  if (warnings.length) throw new Error(`the SVG could not be drawn into the PDF: ${warnings[0]}`);
  return {
    pdf: new Uint8Array(Buffer.concat(chunks)),
    missing: text.missing,
    font: embedded ? embedded.name : 'Helvetica',
  };
}
