/**
 * The event-study figure: for each coefficient `TERM::k` (or `TERM::k:treat`) of the model, the point estimate and
 * the band estimate ± q·se with q the t quantile of the level at the model's `df_t`, against k; the reference
 * period at zero without a band; a dashed line at zero and a dotted one between the reference and the first treated
 * period.
 */
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { normalQuantile, studentTCdf } from '../numerics/distributions.js';
import type { ModelResult } from '../results/types.js';
import { localize } from '../render/format.js';
import type { NormalizedEventStudyFigure } from '../normalize/plan.js';
import type { FigureBuilder, FigureInput } from './types.js';

export interface EventStudyPoint {
  readonly k: number;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly reference: boolean;
}

/** Coefficients of one `NAME::k` family as points (sorted by k), with the reference period added at zero. */
export function eventStudyPoints(
  result: ModelResult,
  spec: NormalizedEventStudyFigure,
  figureId: string,
): { term: string; points: EventStudyPoint[] } {
  const parsed: { family: string; k: number; name: string }[] = [];
  for (const name of Object.keys(result.coefficients)) {
    const m = /^(.+?)::(-?\d+(?:\.\d+)?)(?::.*)?$/.exec(name);
    if (m) parsed.push({ family: m[1]!, k: Number(m[2]), name });
  }
  const term = spec.term ?? parsed[0]?.family;
  const chosen = parsed.filter((p) => p.family === term);
  if (!term || chosen.length === 0) {
    throw new SpecrunError('FIGURE_NO_TERMS', {
      figure: figureId,
      model: spec.model,
      term: term ?? '(none)',
      known: [...new Set(parsed.map((p) => p.family))].join(', ') || 'no NAME::k coefficients',
    });
  }
  const level = spec.level;
  const df = result.stats['df_t'];
  const q = tQuantile(1 - (1 - level) / 2, typeof df === 'number' && df > 0 ? df : Infinity);
  const points: EventStudyPoint[] = chosen.map((p) => {
    const c = result.coefficients[p.name]!;
    const se = c.se ?? NaN;
    return { k: p.k, estimate: c.estimate, low: c.estimate - q * se, high: c.estimate + q * se, reference: false };
  });
  const ref = spec.reference;
  if (ref !== null && !points.some((p) => p.k === ref))
    points.push({ k: ref, estimate: 0, low: 0, high: 0, reference: true });
  points.sort((a, b) => a.k - b.k);
  return { term, points };
}

/** The quantile of Student's t (bisection on the CDF; the normal quantile for infinite df). */
export function tQuantile(p: number, df: number): number {
  if (!Number.isFinite(df)) return normalQuantile(p);
  let lo = -1e4,
    hi = 1e4;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const DEFAULT_LABELS = {
  x: { en: 'Event time', zh: '事件时间' },
  y: { en: 'Coefficient', zh: '系数' },
} as const;

export const eventStudyFigure: FigureBuilder<NormalizedEventStudyFigure> = {
  kind: 'event_study',
  models: (spec) => [spec.model],
  build(input: FigureInput<NormalizedEventStudyFigure>) {
    const { spec, id, lang } = input;
    const result = input.results.get(spec.model);
    if (!result)
      throw new SpecrunError('UNKNOWN_MODEL', {
        name: spec.model,
        suggestion: 'the figure names a model that was not run',
      });
    const { points } = eventStudyPoints(result, spec, id);
    const level = spec.level;
    const xTitle = spec.x_label ? localize(spec.x_label, lang) : DEFAULT_LABELS.x[lang === 'zh' ? 'zh' : 'en'];
    const yTitle = spec.y_label ? localize(spec.y_label, lang) : DEFAULT_LABELS.y[lang === 'zh' ? 'zh' : 'en'];
    const values = points.map((p) => ({
      k: p.k,
      estimate: p.estimate,
      low: p.low,
      high: p.high,
      reference: p.reference ? 'reference' : 'estimate',
    }));
    const x = { field: 'k', type: 'quantitative', title: xTitle, axis: { tickMinStep: 1, format: 'd' } } as const;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      ...(spec.title ? { title: localize(spec.title, lang) } : {}),
      width: spec.width,
      height: spec.height,
      background: 'white',
      config: { font: 'sans-serif', view: { stroke: null } },
      data: { values },
      layer: [
        {
          mark: { type: 'rule', strokeDash: [4, 3], color: '#888888' },
          data: { values: [{ zero: 0 }] },
          encoding: { y: { field: 'zero', type: 'quantitative' } },
        },
        {
          mark: { type: 'area', opacity: 0.18, color: '#1f4e79' },
          encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle }, y2: { field: 'high' } },
        },
        {
          mark: { type: 'rule', color: '#1f4e79' },
          encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
        },
        { mark: { type: 'line', color: '#1f4e79' }, encoding: { x, y: { field: 'estimate', type: 'quantitative' } } },
        {
          mark: { type: 'point', filled: true, size: 40 },
          encoding: {
            x,
            y: { field: 'estimate', type: 'quantitative' },
            shape: {
              field: 'reference',
              type: 'nominal',
              scale: { domain: ['estimate', 'reference'], range: ['circle', 'diamond'] },
              legend: null,
            },
            color: {
              field: 'reference',
              type: 'nominal',
              scale: { domain: ['estimate', 'reference'], range: ['#1f4e79', '#c00000'] },
              legend: null,
            },
          },
        },
      ],
      description: `Event study of ${spec.model}: coefficients with ${Math.round(level * 100)}% confidence bands`,
    } as const;
  },
};
