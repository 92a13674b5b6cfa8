/**
 * The layouts of the tables every paper has, built from `describe` and `correlation` results:
 *
 * - `descriptive`: one row per variable (`keep`/`drop` choose and order them), one column per statistic of the
 *   table's `stats` (default `n, mean, sd, min, max`; `median` is `p50`), repeated per group of the model's `by`
 *   under a header naming the group (label it with `labels: { "1": 中心城市 }`), then the difference in means with
 *   stars from its t-test when the model has one.
 * - `correlation`: the lower triangle of the matrix, rows `(1) name`, columns `(1)…(k)`, each coefficient with stars
 *   from its p-value, 1 on the diagonal.
 *
 * Cells come from engine/render/cells.ts; this file imports nothing of the table model, so the layout modules sit
 * below it in the dependency order.
 */
import { stars as starsFor } from '../format.js';
import { shownTerms, textCell as plainCell, valueCell as numberCell, type TableCell } from '../cells.js';
import type { NormalizedTableSpec } from '../../normalize/plan.js';

interface Header {
  readonly cells: readonly TableCell[];
  readonly rules: readonly { readonly from: number; readonly to: number }[];
}
interface Row {
  readonly kind: 'stat' | 'coef';
  readonly key: string;
  readonly cells: readonly TableCell[];
  readonly ruleBefore: boolean;
}
export interface SummaryParts {
  stubColumns: number;
  dataColumns: number;
  header: Header[];
  body: Row[];
  starred: boolean;
  extraNotes: string[];
}

/** What a layout needs of the table's context (engine/render/table-model.ts `Context`). */
export interface LayoutContext {
  readonly spec: NormalizedTableSpec;
  readonly lang: string;
  readonly digits: number;
  readonly levels: readonly number[];
  label(name: string, fallback?: string): string;
  /** The line explaining the stars at the table's levels, saying nothing of what parentheses hold. */
  starsLine(): string;
}

/** The statistics a descriptive table can show, by name, with their default labels. */
const STAT_TEXT: Record<'zh' | 'en', Record<string, string>> = {
  en: {
    n: 'N',
    mean: 'Mean',
    sd: 'SD',
    min: 'Min',
    max: 'Max',
    p1: 'P1',
    p5: 'P5',
    p10: 'P10',
    p25: 'P25',
    p50: 'Median',
    p75: 'P75',
    p90: 'P90',
    p95: 'P95',
    p99: 'P99',
    _diff: 'Difference',
    _stub: 'Variable',
  },
  zh: {
    n: '观测值',
    mean: '均值',
    sd: '标准差',
    min: '最小值',
    max: '最大值',
    p1: 'P1',
    p5: 'P5',
    p10: 'P10',
    p25: 'P25',
    p50: '中位数',
    p75: 'P75',
    p90: 'P90',
    p95: 'P95',
    p99: 'P99',
    _diff: '均值差异',
    _stub: '变量',
  },
};
/** Names accepted in a descriptive table's `stats` for another. */
export const DESCRIPTIVE_STAT_ALIASES: Readonly<Record<string, string>> = { median: 'p50', nobs: 'n', N: 'n' };
export const DESCRIPTIVE_DEFAULT_STATS: readonly string[] = ['n', 'mean', 'sd', 'min', 'max'];

const text = (ctx: LayoutContext, key: string): string =>
  ctx.label(key, (ctx.lang === 'zh' ? STAT_TEXT.zh : STAT_TEXT.en)[key] ?? key);
const textCell = (t: string, align: TableCell['align'] = 'l', span = 1): TableCell => ({
  ...plainCell(t, align),
  span,
});
const valueCell = (x: number | null | undefined, digits: number, st = ''): TableCell =>
  numberCell(x, digits, undefined, st);

export interface DescriptiveInput {
  readonly variables: readonly string[];
  readonly groups: readonly string[];
  readonly by: string | null;
  readonly cells: readonly {
    readonly variable: string;
    readonly group: string | null;
    readonly stats: Readonly<Record<string, number | null>>;
  }[];
  readonly tests: Readonly<
    Record<string, { readonly diff: number; readonly p: number; readonly method: 'welch' | 'pooled' } | null>
  >;
}

export function descriptiveLayout(ctx: LayoutContext, d: DescriptiveInput): SummaryParts {
  const stats = (ctx.spec.stats ?? DESCRIPTIVE_DEFAULT_STATS).map((s) => DESCRIPTIVE_STAT_ALIASES[s] ?? s);
  const variables = shownTerms(ctx.spec, [d.variables]);
  const groups: (string | null)[] = d.by === null ? [null] : [...d.groups];
  const withTest = d.by !== null && Object.values(d.tests).some((t) => t !== null && t !== undefined);
  const byKey = new Map<string, Readonly<Record<string, number | null>>>();
  for (const c of d.cells) byKey.set(`${c.variable}\u0000${c.group ?? ''}`, c.stats);
  const header: Header[] = [];
  const stub = textCell(text(ctx, '_stub'));
  if (d.by !== null) {
    const cells: TableCell[] = [textCell('')];
    const rules: { from: number; to: number }[] = [];
    let col = 2;
    for (const g of groups) {
      cells.push(textCell(ctx.label(String(g), `${d.by} = ${g}`), 'c', stats.length));
      rules.push({ from: col, to: col + stats.length - 1 });
      col += stats.length;
    }
    if (withTest) cells.push(textCell('', 'c'));
    header.push({ cells, rules });
  }
  header.push({
    cells: [
      stub,
      ...groups.flatMap(() => stats.map((s) => textCell(text(ctx, s), 'c'))),
      ...(withTest ? [textCell(text(ctx, '_diff'), 'c')] : []),
    ],
    rules: [],
  });
  let starred = false;
  const body: Row[] = variables.map((v) => {
    const cells: TableCell[] = [textCell(ctx.label(v))];
    for (const g of groups) {
      const st = byKey.get(`${v}\u0000${g ?? ''}`);
      for (const s of stats) cells.push(valueCell(st?.[s], s === 'n' ? 0 : ctx.digits));
    }
    if (withTest) {
      const t = d.tests[v];
      const mark = t ? starsFor(t.p, ctx.levels) : '';
      if (mark) starred = true;
      cells.push(valueCell(t?.diff, ctx.digits, mark));
    }
    return { kind: 'stat', key: `var:${v}`, cells, ruleBefore: false };
  });
  const extraNotes: string[] = [];
  if (withTest) {
    const method = Object.values(d.tests).find((t) => t)?.method ?? 'welch';
    const [g1, g2] = [groups[0] ?? '', groups[1] ?? ''];
    const l1 = ctx.label(String(g1), `${d.by} = ${g1}`);
    const l2 = ctx.label(String(g2), `${d.by} = ${g2}`);
    extraNotes.push(
      ctx.lang === 'zh'
        ? `均值差异为${l1}减${l2}，${method === 'welch' ? 'Welch t检验（不假定方差相等）' : '两样本t检验（假定方差相等）'}。`
        : `Difference: ${l1} minus ${l2}; ${method === 'welch' ? "Welch's t-test (unequal variances)" : 'two-sample t-test with pooled variance'}.`,
    );
  }
  if (starred) extraNotes.push(ctx.starsLine());
  return {
    stubColumns: 1,
    dataColumns: groups.length * stats.length + (withTest ? 1 : 0),
    header,
    body,
    starred: false,
    extraNotes,
  };
}

export interface CorrelationInput {
  readonly variables: readonly string[];
  readonly method: 'pearson' | 'spearman';
  readonly missing: 'pairwise' | 'listwise';
  readonly r: readonly (readonly (number | null)[])[];
  readonly p: readonly (readonly (number | null)[])[];
  readonly n: readonly (readonly number[])[];
}

export function correlationLayout(ctx: LayoutContext, d: CorrelationInput): SummaryParts {
  const shown = shownTerms(ctx.spec, [d.variables]);
  const idx = shown.map((v) => d.variables.indexOf(v));
  const k = shown.length;
  const header: Header[] = [
    { cells: [textCell(text(ctx, '_stub')), ...shown.map((_, j) => textCell(`(${j + 1})`, 'c'))], rules: [] },
  ];
  let starred = false;
  const body: Row[] = shown.map((v, i) => {
    const cells: TableCell[] = [textCell(`(${i + 1}) ${ctx.label(v)}`)];
    for (let j = 0; j < k; j++) {
      if (j > i) {
        cells.push(textCell('', 'c'));
        continue;
      }
      const a = idx[i]!;
      const b = idx[j]!;
      if (i === j) {
        cells.push(valueCell(d.r[a]?.[b] === null ? null : 1, 0));
        continue;
      }
      const mark = starsFor(d.p[a]?.[b], ctx.levels);
      if (mark) starred = true;
      cells.push(valueCell(d.r[a]?.[b], ctx.digits, mark));
    }
    return { kind: 'coef', key: `corr:${v}`, cells, ruleBefore: false };
  });
  const ns = new Set<number>();
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) ns.add(d.n[idx[i]!]?.[idx[j]!] ?? 0);
  const nText = ns.size === 0 ? '' : ns.size === 1 ? `${[...ns][0]}` : `${Math.min(...ns)}–${Math.max(...ns)}`;
  const what =
    d.method === 'spearman'
      ? ctx.lang === 'zh'
        ? 'Spearman秩相关系数'
        : "Spearman's rank correlations"
      : ctx.lang === 'zh'
        ? 'Pearson相关系数'
        : 'Pearson correlations';
  const extraNotes = [
    ctx.lang === 'zh'
      ? `${what}；${d.missing === 'pairwise' ? '每对变量使用两者均不缺失的观测值' : '仅使用所有变量均不缺失的观测值'}（N = ${nText}）。`
      : `${what}; ${d.missing === 'pairwise' ? 'each pair uses the rows where both variables are present' : 'rows where every variable is present'} (N = ${nText}).`,
  ];
  if (starred) extraNotes.push(ctx.starsLine());
  return { stubColumns: 1, dataColumns: k, header, body, starred: false, extraNotes };
}
