/** User-tier spec of the figures (`figures:`), one interface per figure kind. */
import type { LocalizedText } from './types.js';

/**
 * An event-study figure: the coefficients of one term family of a model (`i(period, treat, ref = -1)` →
 * `period::k:treat`, `i(time_to_treatment)` → `time_to_treatment::k`, `sunab(cohort, year)` → `year::k`) with their
 * confidence bands against event time k, the reference period drawn at zero. Rendered to SVG with Vega-Lite.
 */
export interface EventStudyFigure {
  /** The figure kind. */
  kind: 'event_study';
  /** The model id whose coefficients are plotted. */
  model: string;
  /**
   * The term family: the name before `::` (`period`, `year`). __Default value:__ the first family of the model's
   * coefficients named `NAME::k` with a numeric k
   */
  term?: string;
  /** Event time of the reference period, drawn at 0 with no band (null: none). __Default value:__ -1 */
  reference?: number | null;
  /** Confidence level of the bands (t quantile with the model's degrees of freedom). __Default value:__ 0.95 */
  level?: number;
  /** Figure title. __Default value:__ none */
  title?: LocalizedText;
  /** Horizontal axis title. __Default value:__ `Event time` / `事件时间` */
  x_label?: LocalizedText;
  /** Vertical axis title. __Default value:__ `Coefficient` / `系数` */
  y_label?: LocalizedText;
  /** Plot width in pixels. __Default value:__ 480 */
  width?: number;
  /** Plot height in pixels. __Default value:__ 280 */
  height?: number;
}

/** A figure: the `kind` key selects its builder (engine/figures/registry.ts). */
export type FigureSpec = EventStudyFigure;

/** The event-study figure's defaults, applied by engine/figures/event-study.ts (checked against the reference). */
export const FIGURE_DEFAULTS = { reference: -1, level: 0.95, width: 480, height: 280 } as const;
