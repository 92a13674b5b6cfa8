/**
 * Figures, an output kind beside the tables: each kind is one builder (results → Vega-Lite spec) registered here;
 * every figure is rendered to SVG by the same machinery (render-svg.ts). Adding a kind is one file and one line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { eventStudyFigure } from './event-study.js';
import { renderVegaLiteSvg } from './render-svg.js';
import type { FigureSpec } from '../spec/figures.js';
import type { FigureBuilder, FigureInput } from './types.js';

export const figureBuilders: { readonly [K in FigureSpec['kind']]: FigureBuilder<Extract<FigureSpec, { kind: K }>> } = {
  event_study: eventStudyFigure,
};

export interface RenderedFigure {
  readonly id: string;
  /** The Vega-Lite spec (written beside the SVG as ID.vl.json, so the figure can be restyled and re-rendered). */
  readonly vegaLite: string;
  readonly svg: string;
}

export async function renderFigure(input: FigureInput): Promise<RenderedFigure> {
  const builder = figureBuilders[input.spec.kind] as FigureBuilder;
  const vl = builder.build(input) as TopLevelSpec;
  return { id: input.id, vegaLite: `${JSON.stringify(vl, null, 2)}\n`, svg: await renderVegaLiteSvg(vl) };
}
