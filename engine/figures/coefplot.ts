/**
 * The coefficient plot (Stata's coefplot): for each term, each model's estimate with its confidence interval
 * (t quantile at the model's df), terms as rows, models as colours, a dashed line at zero.
 */
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { localize } from '../render/format.js';
import type { NormalizedCoefPlotFigure } from '../normalize/plan.js';
import type { LocalizedText } from '../spec/types.js';
import { tQuantile } from './event-study.js';
import type { FigureBuilder, FigureInput } from './types.js';

export interface CoefPoint {
  readonly term: string;
  readonly label: string;
  readonly model: string;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export function coefPoints(input: FigureInput<NormalizedCoefPlotFigure>): CoefPoint[] {
  const { spec, lang } = input;
  const models = input.models ?? [];
  const level = spec.level;
  const terms =
    spec.terms ??
    [...new Set(models.flatMap((m) => Object.keys(input.results.get(m)?.coefficients ?? {})))].filter(
      (t) => t !== '(Intercept)',
    );
  const labelOf = (t: string): string => {
    const l = input.labels?.[t];
    return l === undefined ? t : localize(l as LocalizedText, lang);
  };
  const out: CoefPoint[] = [];
  for (const t of terms) {
    for (const m of models) {
      const r = input.results.get(m)!;
      const c = r.coefficients[t];
      if (!c || c.se === null || c.se === undefined) continue;
      const df = r.stats['df_t'];
      const q = tQuantile(1 - (1 - level) / 2, typeof df === 'number' && df > 0 ? df : Infinity);
      out.push({
        term: t,
        label: labelOf(t),
        model: m,
        estimate: c.estimate,
        low: c.estimate - q * c.se,
        high: c.estimate + q * c.se,
      });
    }
  }
  if (out.length === 0) {
    throw new SpecrunError('FIGURE_NO_TERMS', {
      figure: input.id,
      model: models.join(', '),
      term: terms.join(', ') || '(none)',
      known: "the table's models have none of these coefficients",
    });
  }
  return out;
}

export const coefPlotFigure: FigureBuilder<NormalizedCoefPlotFigure> = {
  kind: 'coefplot',
  models: () => [],
  build(input: FigureInput<NormalizedCoefPlotFigure>) {
    const { spec, lang } = input;
    const points = coefPoints(input);
    const rows = [...new Set(points.map((p) => p.label))];
    // each model named by its column: `(2) private, all`
    const names = (input.models ?? []).map(
      (m, i) => `(${i + 1})${input.modelLabels?.get(m) ? ` ${input.modelLabels.get(m)}` : ''}`,
    );
    const nameOf = new Map((input.models ?? []).map((m, i) => [m, names[i]!]));
    const y = { field: 'label', type: 'nominal', title: null, sort: rows } as const;
    const yOffset = { field: 'model', type: 'nominal', sort: names } as const;
    const color = {
      field: 'model',
      type: 'nominal',
      title: null,
      sort: names,
      legend: { orient: 'bottom', columns: 2, labelLimit: 400 },
    } as const;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      ...(spec.title ? { title: localize(spec.title as LocalizedText, lang) } : {}),
      width: spec.width,
      height: 12 * Math.max(names.length, 1) * rows.length,
      background: 'white',
      config: { font: 'sans-serif', view: { stroke: null } },
      data: {
        values: points.map((p) => ({
          label: p.label,
          model: nameOf.get(p.model) ?? p.model,
          estimate: p.estimate,
          low: p.low,
          high: p.high,
        })),
      },
      layer: [
        {
          mark: { type: 'rule', strokeDash: [4, 3], color: '#888888' },
          data: { values: [{ zero: 0 }] },
          encoding: { x: { field: 'zero', type: 'quantitative' } },
        },
        {
          mark: { type: 'rule' },
          encoding: {
            y,
            yOffset,
            x: { field: 'low', type: 'quantitative', title: lang === 'zh' ? '系数' : 'Coefficient' },
            x2: { field: 'high' },
            color,
          },
        },
        {
          mark: { type: 'point', filled: true, size: 36 },
          encoding: { y, yOffset, x: { field: 'estimate', type: 'quantitative' }, color },
        },
      ],
      description: `Coefficient plot of table ${spec.table}`,
    } as const;
  },
};
