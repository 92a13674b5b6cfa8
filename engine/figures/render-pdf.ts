/**
 * SVG → PDF for the figures: the SVG that Vega renders (render-svg.ts) drawn into a one-page PDF by pdfkit with
 * svg-to-pdfkit, the page the SVG's size (1 SVG px = 1 pt). The bytes are a function of the SVG alone: the document's
 * CreationDate and ModDate are fixed (2000-01-01), the file ID is pdfkit's hash of that information, and the text uses
 * the PDF's standard Helvetica (no font file is read, so no machine's fonts enter the file).
 *
 * The standard fonts encode WinAnsi (Latin-1 and a few typographic signs). Vega writes negative numbers with the minus
 * sign U+2212, which becomes '-'; any other character outside WinAnsi (Chinese labels) is drawn as '?' and returned in
 * `missing`, for the run to report (FIGURE_PDF_GLYPHS): the SVG keeps every character.
 */

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

/** The SVG with every character the standard font cannot draw replaced, and those characters (in order, once each). */
export function toStandardFontText(svg: string): { svg: string; missing: string } {
  const missing = new Set<string>();
  // Text nodes only (between > and <): attribute values are ASCII in Vega's output, or labels nobody draws.
  const out = svg.replace(/>([^<]+)</g, (_whole, text: string) => {
    let t = '';
    for (const ch of text) {
      if (encodable(ch)) t += ch;
      else if (STAND_INS[ch] !== undefined) t += STAND_INS[ch];
      else {
        missing.add(ch);
        t += '?';
      }
    }
    return `>${t}<`;
  });
  return { svg: out, missing: [...missing].join('') };
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

export interface RenderedPdf {
  readonly pdf: Uint8Array;
  /** Characters of the figure's text that the PDF shows as '?' (empty when none). */
  readonly missing: string;
}

/** pdfkit and svg-to-pdfkit are loaded on the first figure only. */
export async function svgToPdf(svg: string, title: string): Promise<RenderedPdf> {
  const [{ default: PDFDocument }, { default: SVGtoPDF }] = await Promise.all([
    import('pdfkit'),
    import('svg-to-pdfkit'),
  ]);
  const { width, height } = svgSize(svg);
  const text = toStandardFontText(svg);
  const doc = new PDFDocument({
    size: [width, height],
    margin: 0,
    compress: true,
    info: {
      Title: toStandardFontText(`>${title}<`).svg.slice(1, -1),
      Creator: 'specrun',
      Producer: 'PDFKit',
      CreationDate: FIXED_DATE,
      ModDate: FIXED_DATE,
    },
  });
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
  });
  doc.end();
  await done;
  if (warnings.length) throw new Error(`the SVG could not be drawn into the PDF: ${warnings[0]}`);
  return { pdf: new Uint8Array(Buffer.concat(chunks)), missing: text.missing };
}
