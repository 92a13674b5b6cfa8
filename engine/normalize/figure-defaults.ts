/**
 * The figure tier's defaults, applied in one place: each figure's keys as written become a `NormalizedFigureSpec`
 * with every default of its kind filled (`FIGURE_DEFAULTS`, `SPEC_CURVE_DEFAULTS`, `COEFPLOT_DEFAULTS` of
 * engine/spec/figures.ts). The builders (engine/figures/) and the run's inference under the null read only the
 * normalized spec. What depends on the results or the language stays with the builder: the event-study term (the
 * model's first `NAME::k` family), a coefficient plot's terms when its table has no `keep` (every slope of the
 * results), the axis titles in the run's language, a specification curve's title (the term).
 */
import { COEFPLOT_DEFAULTS, FIGURE_DEFAULTS, type FigureSpec, SPEC_CURVE_DEFAULTS } from '../spec/figures.js';
import type { NormalizedFigureSpec } from './plan.js';

/**
 * The normalized spec of a figure (`written`: its keys as written; `tableKeep`: for a coefficient plot, the `keep` of
 * its table, the default of its `terms`).
 */
export function normalizedFigureSpec(written: FigureSpec, tableKeep?: readonly string[]): NormalizedFigureSpec {
  switch (written.kind) {
    case 'event_study':
      return {
        ...written,
        reference: written.reference === undefined ? FIGURE_DEFAULTS.reference : written.reference,
        level: written.level ?? FIGURE_DEFAULTS.level,
        width: written.width ?? FIGURE_DEFAULTS.width,
        height: written.height ?? FIGURE_DEFAULTS.height,
      };
    case 'spec_curve': {
      const { inference, ...rest } = written;
      return {
        ...rest,
        level: written.level ?? SPEC_CURVE_DEFAULTS.level,
        width: written.width ?? SPEC_CURVE_DEFAULTS.width,
        height: written.height ?? SPEC_CURVE_DEFAULTS.height,
        ...(inference
          ? {
              inference: {
                reps: inference.reps ?? SPEC_CURVE_DEFAULTS.reps,
                seed: inference.seed ?? SPEC_CURVE_DEFAULTS.seed,
              },
            }
          : {}),
      };
    }
    case 'coefplot':
      return {
        ...written,
        ...(written.terms === undefined && tableKeep ? { terms: [...tableKeep] } : {}),
        level: written.level ?? COEFPLOT_DEFAULTS.level,
        width: written.width ?? COEFPLOT_DEFAULTS.width,
      };
  }
}
