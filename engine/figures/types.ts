/** The contract of a figure kind: a builder from the results to a Vega-Lite spec (rendered by render-svg.ts). */
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResult } from '../results/types.js';
import type { NormalizedFigureSpec } from '../normalize/plan.js';

export interface FigureInput<S extends NormalizedFigureSpec = NormalizedFigureSpec> {
  readonly id: string;
  /** The figure with every default applied (engine/normalize/figure-defaults.ts). */
  readonly spec: S;
  readonly lang: string;
  /** Results of the spec's models, by model key. */
  readonly results: ReadonlyMap<string, ModelResult>;
  /** The models the figure reads, resolved (a grid's or an expanded model's ids, a table's columns). */
  readonly models?: readonly string[];
  /** The choices of each expanded model (grid dimensions, multiple-estimation tags). */
  readonly choices?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Headers of the models, by model id (a table's column labels). */
  readonly modelLabels?: ReadonlyMap<string, string>;
  /** Labels by term (the spec's and the table's `labels:`). */
  readonly labels?: Readonly<Record<string, unknown>>;
  /** What the run computed for the figure beyond the results (the null inference of a specification curve). */
  readonly inference?: unknown;
}

export interface FigureBuilder<S extends NormalizedFigureSpec = NormalizedFigureSpec> {
  readonly kind: S['kind'];
  /** The model ids the figure reads (checked against `models:` before the run). */
  models(spec: S): string[];
  /** The Vega-Lite spec of the figure (pure: no I/O). */
  build(input: FigureInput<S>): TopLevelSpec | Record<string, unknown>;
  /** The figure's numbers as CSV (written as ID.csv), when the kind has them. */
  csv?(input: FigureInput<S>): string;
  /** What results.json lists for the figure besides its files (the curve's summaries). */
  summary?(input: FigureInput<S>): Record<string, unknown>;
}
