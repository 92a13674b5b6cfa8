/**
 * A figure's `pdf_font:` (engine/spec/figures.ts): the font file read from the spec's folder and checked to be one
 * font that maps characters to glyphs. Used by the check (a diagnostic at the key) and by the render (the bytes).
 */
import { resolve } from 'node:path';
import { readFileLimited, UnreadableFile } from '../core/read-limited.js';
import { pdfFontProblem, type PdfFont } from './render-pdf.js';

/** The font of `pdf_font: written` (resolved from `baseDir`), or why it cannot be used. */
export async function readPdfFont(baseDir: string, written: string): Promise<{ font: PdfFont } | { reason: string }> {
  let bytes: Uint8Array;
  try {
    bytes = readFileLimited(resolve(baseDir, written), 'data');
  } catch (e) {
    if (e instanceof UnreadableFile) return { reason: e.reason };
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { reason: 'no such file' };
    if (code === 'EACCES' || code === 'EPERM') return { reason: 'permission denied' };
    if (code === 'EISDIR') return { reason: 'it is a folder, not a regular file' };
    return { reason: e instanceof Error ? e.message : String(e) };
  }
  const problem = await pdfFontProblem(bytes);
  if (problem) return { reason: problem };
  // One file for every weight: bold text is drawn with the same face.
  return { font: { name: written, regular: bytes, bold: bytes } };
}
