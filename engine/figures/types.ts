/** The contract of a figure kind: a builder from the results to a Vega-Lite spec (rendered by render-svg.ts). */
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResult } from '../results/types.js';
import type { FigureSpec } from '../spec/figures.js';

export interface FigureInput<S extends FigureSpec = FigureSpec> {
  readonly id: string;
  readonly spec: S;
  readonly lang: string;
  /** Results of the spec's models, by model key. */
  readonly results: ReadonlyMap<string, ModelResult>;
}

export interface FigureBuilder<S extends FigureSpec = FigureSpec> {
  readonly kind: S['kind'];
  /** The model ids the figure reads (checked against `models:` before the run). */
  models(spec: S): string[];
  /** The Vega-Lite spec of the figure (pure: no I/O). */
  build(input: FigureInput<S>): TopLevelSpec | Record<string, unknown>;
}
