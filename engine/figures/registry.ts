/**
 * Figures, an output kind beside the tables: each kind is one builder (results → Vega-Lite spec) registered here;
 * every figure is rendered to SVG by the same machinery (render-svg.ts). Adding a kind is one file and one line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { eventStudyFigure } from './event-study.js';
import { specCurveFigure } from './spec-curve.js';
import { coefPlotFigure } from './coefplot.js';
import { renderVegaLiteSvg } from './render-svg.js';
import { svgToPdf, type PdfFont } from './render-pdf.js';
import type { NormalizedFigureSpec } from '../normalize/plan.js';
import type { FigureBuilder, FigureInput } from './types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export const figureBuilders: {
  readonly [K in NormalizedFigureSpec['kind']]: FigureBuilder<Extract<NormalizedFigureSpec, { kind: K }>>;
} = {
  event_study: eventStudyFigure,
  spec_curve: specCurveFigure,
  coefplot: coefPlotFigure,
};

export interface RenderedFigure {
  readonly id: string;
  /** The Vega-Lite spec (written beside the SVG as ID.vl.json, so the figure can be restyled and re-rendered). */
  readonly vegaLite: string;
  readonly svg: string;
  /** The SVG drawn into a one-page PDF of the same size (ID.pdf; engine/figures/render-pdf.ts). */
  readonly pdf: Uint8Array;
  /** Characters of the figure's text that the PDF's font cannot show (drawn as '?'); empty when none. */
  readonly pdfMissing: string;
  /** The font that draws the PDF's text (render-pdf.ts): 'Helvetica', the default embedded font or `pdf_font:`. */
  readonly pdfFont: string;
  /** FIGURE_PDF_GLYPHS at the figure's key, when `pdfMissing` is not empty (the run adds it; the CLI prints it). */
  readonly pdfNote?: Diagnostic;
  /** The figure's numbers as CSV (ID.csv), for the kinds that have them. */
  readonly csv?: string;
  /** What results.json lists for the figure besides its files. */
  readonly summary?: Record<string, unknown>;
  readonly kind: string;
}

/** `pdfFont`: the figure's `pdf_font:`, read (engine/figures/pdf-font.ts); absent: the default (render-pdf.ts). */
export async function renderFigure(input: FigureInput, pdfFont?: PdfFont): Promise<RenderedFigure> {
  const builder = figureBuilders[input.spec.kind] as FigureBuilder;
  const vl = builder.build(input) as TopLevelSpec;
  const csv = builder.csv?.(input);
  const summary = builder.summary?.(input);
  const svg = await renderVegaLiteSvg(vl);
  const { pdf, missing, font } = await svgToPdf(svg, input.id, pdfFont);
  return {
    id: input.id,
    kind: input.spec.kind,
    vegaLite: `${JSON.stringify(vl, null, 2)}\n`,
    svg,
    pdf,
    pdfMissing: missing,
    pdfFont: font,
    ...(csv !== undefined ? { csv } : {}),
    ...(summary ? { summary } : {}),
  };
}
