/**
 * The specification curve (Simonsohn, Simmons & Nelson 2020, "Specification curve analysis", Nature Human
 * Behaviour 4): the estimates of one term across a set of models (a grid), sorted, with their confidence intervals,
 * above an indicator panel of the choices each model made; the curve's summaries (the median estimate and the share
 * of models significant in the median's direction), and — with `inference:` — their p-values under the null of no effect
 * (engine/figures/spec-curve-null.ts). Written as a Vega-Lite vertical concatenation and as a CSV.
 */
import { SpecrunError } from '../diagnostics/diagnostic.js';
import type { ModelResult } from '../results/types.js';
import { localize } from '../render/format.js';
import type { NormalizedSpecCurveFigure } from '../normalize/plan.js';
import { tQuantile } from './event-study.js';
import type { FigureBuilder, FigureInput } from './types.js';

export interface CurvePoint {
  /** Position on the curve, 1 = smallest estimate (ties broken by model id). */
  readonly rank: number;
  readonly model: string;
  readonly estimate: number;
  readonly se: number;
  readonly low: number;
  readonly high: number;
  readonly p: number;
  /** p < 1 − level and the estimate has the sign of the curve's median. */
  readonly significant: boolean;
  /** The model's choices (grid dimensions and multiple-estimation tags). */
  readonly choices: Readonly<Record<string, string>>;
}

export interface CurveSummary {
  readonly models: number;
  readonly median: number;
  /** Share of models significant at the level in the direction of the median. */
  readonly share_significant: number;
  /** Present with `inference:`: the inference under the null (spec-curve-null.ts). */
  readonly inference?: NullInference;
}

export interface NullInference {
  readonly reps: number;
  readonly seed: number;
  /** Share of bootstrap curves whose median is at least as far from 0, in the observed direction, as observed. */
  readonly p_median: number;
  /** Share of bootstrap curves with a share significant (in the observed median's direction) at least the observed. */
  readonly p_share_significant: number;
}

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Share of estimates with p < alpha and the sign of `direction` (0: either sign). */
export function shareSignificant(
  estimates: readonly number[],
  ps: readonly number[],
  alpha: number,
  direction: number,
): number {
  let k = 0;
  for (let i = 0; i < estimates.length; i++)
    if (ps[i]! < alpha && (direction === 0 || Math.sign(estimates[i]!) === Math.sign(direction))) k++;
  return estimates.length ? k / estimates.length : 0;
}

/** The curve: every model's estimate of `term`, sorted, with its interval (t quantile at the model's df). */
export function curvePoints(
  models: readonly { id: string; result: ModelResult; choices: Readonly<Record<string, string>> }[],
  term: string,
  level: number,
  figureId: string,
): { points: CurvePoint[]; median: number; share: number } {
  const rows = models.map((m) => {
    const c = m.result.coefficients[term];
    if (!c || c.se === null || c.se === undefined || c.p === null || c.p === undefined) {
      throw new SpecrunError('FIGURE_NO_TERMS', {
        figure: figureId,
        model: m.id,
        term,
        known: Object.keys(m.result.coefficients).join(', ') || 'no coefficients',
      });
    }
    const df = m.result.stats['df_t'];
    const q = tQuantile(1 - (1 - level) / 2, typeof df === 'number' && df > 0 ? df : Infinity);
    return {
      model: m.id,
      estimate: c.estimate,
      se: c.se,
      low: c.estimate - q * c.se,
      high: c.estimate + q * c.se,
      p: c.p,
      choices: m.choices,
    };
  });
  const med = median(rows.map((r) => r.estimate));
  const alpha = 1 - level;
  rows.sort((a, b) => a.estimate - b.estimate || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  const points = rows.map((r, i) => ({
    ...r,
    rank: i + 1,
    significant: r.p < alpha && Math.sign(r.estimate) === Math.sign(med),
  }));
  return {
    points,
    median: med,
    share: shareSignificant(
      rows.map((r) => r.estimate),
      rows.map((r) => r.p),
      alpha,
      med,
    ),
  };
}

/** The dimensions of the indicator panel and their alternatives, in the order the given points first show them. */
export function choiceRows(points: readonly CurvePoint[]): { dimension: string; alternatives: string[] }[] {
  const dims: { dimension: string; alternatives: string[] }[] = [];
  for (const p of points) {
    for (const [d, a] of Object.entries(p.choices)) {
      let row = dims.find((x) => x.dimension === d);
      if (!row) {
        row = { dimension: d, alternatives: [] };
        dims.push(row);
      }
      if (!row.alternatives.includes(a)) row.alternatives.push(a);
    }
  }
  return dims;
}

/** The curve as CSV: one row per model, in curve order, each choice a column. */
export function curveCsv(points: readonly CurvePoint[], order: readonly string[] = []): string {
  const byModel = new Map(points.map((p) => [p.model, p]));
  const dims = choiceRows([...order.map((m) => byModel.get(m)!).filter(Boolean), ...points]).map((d) => d.dimension);
  const esc = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const num = (x: number) => (Number.isFinite(x) ? String(x) : 'NA');
  const lines = [['rank', 'model', 'estimate', 'se', 'low', 'high', 'p', 'significant', ...dims].map(esc).join(',')];
  for (const p of points) {
    lines.push(
      [
        String(p.rank),
        esc(p.model),
        num(p.estimate),
        num(p.se),
        num(p.low),
        num(p.high),
        num(p.p),
        p.significant ? '1' : '0',
        ...dims.map((d) => esc(p.choices[d] ?? '')),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

const LABELS = {
  y: { en: 'Estimate', zh: '估计值' },
  x: { en: 'Specification (ranked by estimate)', zh: '设定（按估计值排序）' },
  sig: { en: 'significant', zh: '显著' },
  notsig: { en: 'not significant', zh: '不显著' },
} as const;

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : 'NA';
}

/** The subtitle line of summaries, in the figure's language. */
export function summaryLine(s: CurveSummary, level: number, lang: string): string {
  const zh = lang === 'zh';
  const parts = zh
    ? [
        `${s.models} 个设定`,
        `中位数 ${fmt(s.median)}`,
        `${Math.round(level * 100)}% 水平显著占比 ${(s.share_significant * 100).toFixed(1)}%`,
      ]
    : [
        `${s.models} specifications`,
        `median ${fmt(s.median)}`,
        `significant at ${Math.round((1 - level) * 100)}%: ${(s.share_significant * 100).toFixed(1)}%`,
      ];
  if (s.inference) {
    const i = s.inference;
    parts.push(
      zh
        ? `原假设下 p(中位数) = ${fmt(i.p_median)}，p(显著占比) = ${fmt(i.p_share_significant)}（${i.reps} 次自助抽样）`
        : `under the null: p(median) = ${fmt(i.p_median)}, p(share) = ${fmt(i.p_share_significant)} (${i.reps} bootstrap draws)`,
    );
  }
  return parts.join(zh ? '；' : '; ');
}

/** The curve and its summaries from a figure's input. */
export function curveOf(input: FigureInput<NormalizedSpecCurveFigure>): {
  points: CurvePoint[];
  summary: CurveSummary;
  level: number;
} {
  const { spec, id } = input;
  const level = spec.level;
  const models = (input.models ?? []).map((m) => ({
    id: m,
    result: input.results.get(m)!,
    choices: input.choices?.get(m) ?? {},
  }));
  const { points, median: med, share } = curvePoints(models, spec.term, level, id);
  const summary: CurveSummary = {
    models: points.length,
    median: med,
    share_significant: share,
    ...(input.inference ? { inference: input.inference as NullInference } : {}),
  };
  return { points, summary, level };
}

export const specCurveFigure: FigureBuilder<NormalizedSpecCurveFigure> = {
  kind: 'spec_curve',
  models: (spec) => (spec.grid !== undefined ? [spec.grid] : [...(spec.models ?? [])]),
  csv: (input) => curveCsv(curveOf(input).points, input.models ?? []),
  summary: (input) => ({ term: input.spec.term, level: curveOf(input).level, ...curveOf(input).summary }),
  build(input: FigureInput<NormalizedSpecCurveFigure>) {
    const { spec, lang } = input;
    const { points, summary, level } = curveOf(input);
    const med = summary.median;
    const L = (k: keyof typeof LABELS) => LABELS[k][lang === 'zh' ? 'zh' : 'en'];
    const width = spec.width;
    const sig = L('sig'),
      notsig = L('notsig');
    const values = points.map((p) => ({
      rank: p.rank,
      model: p.model,
      estimate: p.estimate,
      low: p.low,
      high: p.high,
      status: p.significant ? sig : notsig,
    }));
    // the indicator panel's rows in the order the grid declares them (the models' order), not the curve's
    const byModel = new Map(points.map((p) => [p.model, p]));
    const dims = choiceRows((input.models ?? []).map((m) => byModel.get(m)!).filter(Boolean));
    const rowNames = dims.flatMap((d) => d.alternatives.map((a) => `${d.dimension}: ${a}`));
    const indicators = points.flatMap((p) =>
      Object.entries(p.choices).map(([d, a]) => ({ rank: p.rank, choice: `${d}: ${a}`, dimension: d })),
    );
    const x = {
      field: 'rank',
      type: 'quantitative',
      title: null,
      scale: { domain: [0, points.length + 1], nice: false },
      axis: { labels: false, ticks: false, grid: false },
    } as const;
    const color = {
      field: 'status',
      type: 'nominal',
      title: null,
      scale: { domain: [sig, notsig], range: ['#1f4e79', '#9a9a9a'] },
      legend: { orient: 'top-left' },
    } as const;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: {
        text: spec.title ? localize(spec.title, lang) : `${spec.term}`,
        subtitle: summaryLine(summary, level, lang),
        anchor: 'start',
      },
      background: 'white',
      config: { font: 'sans-serif', view: { stroke: null } },
      spacing: 6,
      vconcat: [
        {
          width,
          height: spec.height,
          data: { values },
          layer: [
            {
              mark: { type: 'rule', strokeDash: [4, 3], color: '#888888' },
              data: { values: [{ zero: 0 }] },
              encoding: { y: { field: 'zero', type: 'quantitative' } },
            },
            {
              mark: { type: 'rule', color: '#1f4e79', opacity: 0.5 },
              encoding: {
                x,
                y: { field: 'low', type: 'quantitative', title: spec.y_label ? localize(spec.y_label, lang) : L('y') },
                y2: { field: 'high' },
                color,
              },
            },
            {
              mark: { type: 'point', filled: true, size: 22 },
              encoding: { x, y: { field: 'estimate', type: 'quantitative' }, color },
            },
            {
              mark: { type: 'rule', color: '#c00000', strokeDash: [2, 2] },
              data: { values: [{ median: med }] },
              encoding: { y: { field: 'median', type: 'quantitative' } },
            },
          ],
        },
        {
          width,
          height: Math.max(12 * rowNames.length, 24),
          data: { values: indicators },
          mark: { type: 'tick', orient: 'vertical', thickness: 1.5, color: '#1f4e79' },
          encoding: {
            x: { ...x, title: L('x') },
            y: {
              field: 'choice',
              type: 'nominal',
              title: null,
              sort: rowNames,
              axis: { labelLimit: 260, grid: true, gridColor: '#eeeeee' },
            },
          },
        },
      ],
      description: `Specification curve of ${spec.term} over ${points.length} models`,
    } as const;
  },
};
