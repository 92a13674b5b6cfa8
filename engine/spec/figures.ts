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
  /**
   * A TrueType or OpenType font file (path relative to the spec file) for the text of the figure's PDF (`ID.pdf`),
   * embedded as a subset of the glyphs the figure uses; a character it lacks is drawn as `?` and said
   * (FIGURE_PDF_GLYPHS). __Default value:__ the PDF's standard Helvetica (nothing embedded) when the text is Latin-1,
   * else Noto Sans SC (the pinned npm package `@embedpdf/fonts-sc`; Regular and Bold) embedded the same way
   */
  pdf_font?: string;
}

/** Inference of a specification curve under the null, by a seeded bootstrap with the effect removed. */
export interface SpecCurveNull {
  /** Bootstrap draws (of whole panel units). __Default value:__ 500 */
  reps?: number;
  /** Seed of the draws (xoshiro128**). __Default value:__ 1 */
  seed?: number;
}

/**
 * A specification curve (Simonsohn, Simmons & Nelson 2020): the estimates of one term across the models of a grid
 * (or a list of models), sorted, with confidence intervals, above an indicator panel of each model's choices; the
 * median and the share significant in the median's direction in the subtitle; with `inference:`, their p-values under the
 * null of no effect (engine/figures/spec-curve-null.ts says exactly what is computed). Written as `ID.svg`,
 * `ID.vl.json` and `ID.csv` (one row per model, in curve order).
 */
export interface SpecCurveFigure {
  /** The figure kind. */
  kind: 'spec_curve';
  /** A grid id (or a model that multiple estimation expanded): every one of its models. */
  grid?: string;
  /** Model ids, instead of a grid. */
  models?: string[];
  /** The coefficient plotted (`lndiv`). */
  term: string;
  /** Confidence level of the intervals and of "significant". __Default value:__ 0.95 */
  level?: number;
  /** The inference under the null (linear models with a panel unit only). __Default value:__ none */
  inference?: SpecCurveNull;
  /** Figure title. __Default value:__ the term */
  title?: LocalizedText;
  /** Vertical axis title. __Default value:__ `Estimate` / `估计值` */
  y_label?: LocalizedText;
  /** Plot width in pixels. __Default value:__ 560 */
  width?: number;
  /** Height of the curve panel in pixels (the indicator panel adds 12 per choice). __Default value:__ 220 */
  height?: number;
  /**
   * A TrueType or OpenType font file (path relative to the spec file) for the text of the figure's PDF (`ID.pdf`),
   * embedded as a subset of the glyphs the figure uses; a character it lacks is drawn as `?` and said
   * (FIGURE_PDF_GLYPHS). __Default value:__ the PDF's standard Helvetica (nothing embedded) when the text is Latin-1,
   * else Noto Sans SC (the pinned npm package `@embedpdf/fonts-sc`; Regular and Bold) embedded the same way
   */
  pdf_font?: string;
}

/**
 * A coefficient plot (coefplot): the terms of a table's models as points with confidence intervals, one row per
 * term, one colour per model. Written as `ID.svg` and `ID.vl.json`.
 */
export interface CoefPlotFigure {
  /** The figure kind. */
  kind: 'coefplot';
  /** The table whose models (columns) are plotted. */
  table: string;
  /** Terms to plot, in this order. __Default value:__ the table's `keep`, else every slope */
  terms?: string[];
  /** Confidence level of the intervals. __Default value:__ 0.95 */
  level?: number;
  /** Figure title. __Default value:__ none */
  title?: LocalizedText;
  /** Plot width in pixels. __Default value:__ 480 */
  width?: number;
  /**
   * A TrueType or OpenType font file (path relative to the spec file) for the text of the figure's PDF (`ID.pdf`),
   * embedded as a subset of the glyphs the figure uses; a character it lacks is drawn as `?` and said
   * (FIGURE_PDF_GLYPHS). __Default value:__ the PDF's standard Helvetica (nothing embedded) when the text is Latin-1,
   * else Noto Sans SC (the pinned npm package `@embedpdf/fonts-sc`; Regular and Bold) embedded the same way
   */
  pdf_font?: string;
}

/** A figure: the `kind` key selects its builder (engine/figures/registry.ts). */
export type FigureSpec = EventStudyFigure | SpecCurveFigure | CoefPlotFigure;

/** The specification curve's defaults (engine/figures/spec-curve.ts). */
export const SPEC_CURVE_DEFAULTS = { level: 0.95, width: 560, height: 220, reps: 500, seed: 1 } as const;

/** The coefficient plot's defaults (engine/figures/coefplot.ts). */
export const COEFPLOT_DEFAULTS = { level: 0.95, width: 480 } as const;

/** The event-study figure's defaults, applied by engine/figures/event-study.ts (checked against the reference). */
export const FIGURE_DEFAULTS = { reference: -1, level: 0.95, width: 480, height: 280 } as const;
