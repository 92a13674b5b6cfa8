/**
 * Figures, an output kind beside the tables: each kind is one builder (results → Vega-Lite spec) registered here;
 * every figure is rendered to SVG by the same machinery (render-svg.ts). Adding a kind is one file and one line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { eventStudyFigure } from './event-study.js';
import { specCurveFigure } from './spec-curve.js';
import { coefPlotFigure } from './coefplot.js';
import { renderVegaLiteSvg } from './render-svg.js';
import type { FigureSpec } from '../spec/figures.js';
import type { FigureBuilder, FigureInput } from './types.js';

export const figureBuilders: { readonly [K in FigureSpec['kind']]: FigureBuilder<Extract<FigureSpec, { kind: K }>> } = {
  event_study: eventStudyFigure,
  spec_curve: specCurveFigure,
  coefplot: coefPlotFigure,
};

export interface RenderedFigure {
  readonly id: string;
  /** The Vega-Lite spec (written beside the SVG as ID.vl.json, so the figure can be restyled and re-rendered). */
  readonly vegaLite: string;
  readonly svg: string;
  /** The figure's numbers as CSV (ID.csv), for the kinds that have them. */
  readonly csv?: string;
  /** What results.json lists for the figure besides its files. */
  readonly summary?: Record<string, unknown>;
  readonly kind: string;
}

export async function renderFigure(input: FigureInput): Promise<RenderedFigure> {
  const builder = figureBuilders[input.spec.kind] as FigureBuilder;
  const vl = builder.build(input) as TopLevelSpec;
  const csv = builder.csv?.(input);
  const summary = builder.summary?.(input);
  return {
    id: input.id,
    kind: input.spec.kind,
    vegaLite: `${JSON.stringify(vl, null, 2)}\n`,
    svg: await renderVegaLiteSvg(vl),
    ...(csv !== undefined ? { csv } : {}),
    ...(summary ? { summary } : {}),
  };
}
