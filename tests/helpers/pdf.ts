/**
 * Reading the PDFs specrun writes (engine/figures/render-pdf.ts) with another library than the one that wrote them
 * (pdf-lib), and their golden text projection: pages, size, information dictionary, the characters drawn, and the
 * SHA-256 of the bytes (so any change of the bytes reads as a diff).
 */
import { createHash } from 'node:crypto';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';

/** The characters a PDF's first page draws, in order (pdfkit shows text as `<hex> Tj`, one glyph run at a time). */
export async function pdfDrawnText(pdf: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const contents = doc.getPage(0).node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  let text = '';
  for (const s of streams) {
    if (!(s instanceof PDFRawStream)) throw new Error('unexpected content stream');
    const ops = Buffer.from(decodePDFRawStream(s).decode()).toString('latin1');
    for (const m of ops.matchAll(/<([0-9a-f]*)> Tj/g)) text += Buffer.from(m[1]!, 'hex').toString('latin1');
  }
  return text;
}

export async function pdfProjection(pdf: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const pages = doc.getPages().map((p) => `page ${p.getWidth()} x ${p.getHeight()} pt`);
  return [
    `pages ${doc.getPageCount()}`,
    ...pages,
    `title ${doc.getTitle()}`,
    `creator ${doc.getCreator()}`,
    `producer ${doc.getProducer()}`,
    `created ${doc.getCreationDate()?.toISOString()}`,
    `modified ${doc.getModificationDate()?.toISOString()}`,
    `text ${await pdfDrawnText(pdf)}`,
    `bytes ${pdf.length}`,
    `sha256 ${createHash('sha256').update(pdf).digest('hex')}`,
    '',
  ].join('\n');
}
