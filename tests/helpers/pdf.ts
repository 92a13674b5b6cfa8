/**
 * Reading the PDFs specrun writes (engine/figures/render-pdf.ts) with another library than the one that wrote them
 * (pdf-lib), and their golden text projection: pages, size, information dictionary, the fonts, the characters drawn,
 * and the SHA-256 of the bytes (so any change of the bytes reads as a diff).
 */
import { createHash } from 'node:crypto';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  type PDFDocument as PdfDoc,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
} from 'pdf-lib';

/** The text of an SVG's text nodes, in order, entities decoded. */
export function svgTextNodes(svg: string): string {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)]
    .map((m) => m[1]!)
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A font of the first page: its PDF name, and (for an embedded Type0 font) its ToUnicode map, code → text. */
export interface PageFont {
  readonly baseFont: string;
  readonly subtype: string;
  /** The embedded font program's stream key (FontFile2: TrueType, FontFile3: CFF), absent for a standard font. */
  readonly fontFile?: string;
  /** The embedded font program's length in bytes. */
  readonly fontFileBytes?: number;
  /** Code (4 hex digits) → the characters it stands for; absent for a simple (one-byte, WinAnsi) font. */
  readonly toUnicode?: ReadonlyMap<string, string>;
}

function streamText(doc: PdfDoc, ref: unknown): string {
  const s = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
  if (!(s instanceof PDFRawStream)) throw new Error('unexpected stream');
  return Buffer.from(decodePDFRawStream(s).decode()).toString('latin1');
}

function utf16(hex: string): string {
  const units: number[] = [];
  for (let i = 0; i < hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** A ToUnicode CMap's bfchar and bfrange entries (both forms of bfrange: a start value and an array). */
export function parseToUnicode(cmap: string): Map<string, string> {
  const out = new Map<string, string>();
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const from = Number.parseInt(m[1]!, 16);
      const to = Number.parseInt(m[2]!, 16);
      if (m[3]!.startsWith('[')) {
        const items = [...m[3]!.matchAll(/<([0-9a-fA-F ]*)>/g)].map((x) => utf16(x[1]!.replace(/\s+/g, '')));
        for (let c = from; c <= to; c++) out.set(hex(c), items[c - from] ?? '');
      } else {
        const base = Number.parseInt(m[3]!.slice(1, -1), 16);
        for (let c = from; c <= to; c++) out.set(hex(c), String.fromCharCode(base + c - from));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      out.set(m[1]!.toLowerCase().padStart(4, '0'), utf16(m[2]!));
  return out;
}

/** The fonts of a PDF's first page, by resource name (F1, F2, …). */
export async function pdfFonts(pdf: Uint8Array): Promise<Map<string, PageFont>> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const out = new Map<string, PageFont>();
  const fonts = doc.getPage(0).node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
  for (const [name, ref] of fonts?.entries() ?? []) {
    const font = doc.context.lookup(ref, PDFDict);
    const baseFont = font.get(PDFName.of('BaseFont'))?.toString().slice(1) ?? '';
    const subtype = font.get(PDFName.of('Subtype'))?.toString().slice(1) ?? '';
    const tu = font.get(PDFName.of('ToUnicode'));
    const descendants = font.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray);
    let fontFile: string | undefined;
    let fontFileBytes: number | undefined;
    if (descendants) {
      const cid = doc.context.lookup(descendants.get(0), PDFDict);
      const desc = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
      for (const key of ['FontFile2', 'FontFile3']) {
        const ff = desc.get(PDFName.of(key));
        if (ff) {
          fontFile = key;
          const s = doc.context.lookup(ff);
          fontFileBytes = s instanceof PDFRawStream ? decodePDFRawStream(s).decode().length : undefined;
        }
      }
    }
    out.set(name.toString().slice(1), {
      baseFont,
      subtype,
      ...(fontFile ? { fontFile, fontFileBytes } : {}),
      ...(tu ? { toUnicode: parseToUnicode(streamText(doc, tu)) } : {}),
    });
  }
  return out;
}

/**
 * The characters a PDF's first page draws, in order: pdfkit shows text as `<hex> Tj`, one glyph run at a time, in the
 * font the last `/Fn size Tf` chose; a simple font's codes are WinAnsi bytes, an embedded font's are 2-byte glyph
 * codes read back through its ToUnicode map (an unmapped code reads as U+FFFD).
 */
export async function pdfDrawnText(pdf: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const fonts = await pdfFonts(pdf);
  const contents = doc.getPage(0).node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : [contents];
  let text = '';
  let font: PageFont | undefined;
  for (const s of streams) {
    const ops = streamText(doc, s);
    for (const m of ops.matchAll(/\/([A-Za-z0-9]+) [0-9.]+ Tf|<([0-9a-f]*)> Tj/g)) {
      if (m[1] !== undefined) {
        font = fonts.get(m[1]);
        continue;
      }
      const hex = m[2]!;
      if (font?.toUnicode) {
        for (let i = 0; i < hex.length; i += 4) text += font.toUnicode.get(hex.slice(i, i + 4)) ?? '\ufffd';
      } else text += Buffer.from(hex, 'hex').toString('latin1');
    }
  }
  return text;
}

export async function pdfProjection(pdf: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const pages = doc.getPages().map((p) => `page ${p.getWidth()} x ${p.getHeight()} pt`);
  const fonts = [...(await pdfFonts(pdf)).values()]
    .filter((f) => f.fontFile)
    .map((f) => `font ${f.baseFont} ${f.subtype} ${f.fontFile} ${f.fontFileBytes} bytes, ${f.toUnicode?.size} codes`);
  return [
    `pages ${doc.getPageCount()}`,
    ...pages,
    `title ${doc.getTitle()}`,
    `creator ${doc.getCreator()}`,
    `producer ${doc.getProducer()}`,
    `created ${doc.getCreationDate()?.toISOString()}`,
    `modified ${doc.getModificationDate()?.toISOString()}`,
    ...fonts,
    `text ${await pdfDrawnText(pdf)}`,
    `bytes ${pdf.length}`,
    `sha256 ${createHash('sha256').update(pdf).digest('hex')}`,
    '',
  ].join('\n');
}
