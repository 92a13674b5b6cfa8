/** fontkit 2.0.4 (pdfkit's font engine) ships no types: the one function the figures use (engine/figures/render-pdf.ts). */
declare module 'fontkit' {
  export function create(buffer: Buffer, postscriptName?: string): unknown;
}
