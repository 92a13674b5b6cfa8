/** svg-to-pdfkit 0.1.8 ships no types: the one function the figures use (engine/figures/render-pdf.ts). */
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    width?: number;
    height?: number;
    /** 1 SVG unit = 1 pt (instead of 1 px = 0.75 pt). */
    assumePt?: boolean;
    warningCallback?: (warning: string) => void;
    /** The registered font name for an element's font-family, weight and style. */
    fontCallback?: (family: string, bold: boolean, italic: boolean, options: unknown) => string;
  }
  export default function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x?: number,
    y?: number,
    options?: SvgToPdfOptions,
  ): void;
}
