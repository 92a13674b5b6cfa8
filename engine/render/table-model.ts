/**
 * The neutral table model: one description of a table (header rows with spans, body rows of cells, notes) that the
 * LaTeX and Markdown renderers lay out. Every text here is plain and unescaped; escaping belongs to the per-format
 * helpers (engine/render/escape.ts). Building the model is pure and deterministic.
 *
 * Layouts
 * - `regression`: one column per model; a coefficient row per term with the SE (or t) row under it, fixed-effect
 *   rows (YES where the column absorbs that effect), the constant, then statistic rows.
 * - `mediation`: one column per step of one mediation model (total, mediator, outcome), then rows for ab, ab/c,
 *   the Sobel test, the bootstrap interval (when run) and the verdict.
 * - `grid`: a rank-size model; one row per group, one column per chosen period with q, and a final structure column.
 *   `groups` spans consecutive rows here and fills a leading column (a region).
 *
 * Reserved label keys (in `TableSpec.labels`, beside term names): `_stub` (header of the row-label column),
 * `(Intercept)` (the constant row), and per layout `_controls`, `_total`, `_mediator`, `_outcome`, `_indirect`,
 * `_share`, `_suppression`, `_sobel`, `_bootstrap`, `_verdict` (mediation) and `_region`, `_group`, `_structure` (grid).
 */
import {
  CONSTANT_TERM,
  numCell,
  shownTerms,
  termKey,
  textCell,
  valueCell,
  type Align,
  type CellNumber,
  type TableCell,
} from './cells.js';

import { correlationLayout, descriptiveLayout } from './layouts/summary-tables.js';
import { isDescribeResult } from '../estimate/describe/index.js';
import { isCorrelationResult } from '../estimate/correlation/index.js';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import type { ModelPlan, NormalizedTableSpec, ResolvedTableSpec, TablePlan } from '../normalize/plan.js';
import {
  isGmmResult,
  isMediationResult,
  isRankSizeResult,
  type MediationDetail,
  type ModelResult,
  type RankSizeCell,
  type RankSizeDetail,
} from '../results/types.js';
import type { LocalizedText } from '../spec/types.js';
import { finite, fixed, integer, levelPercent, localize, pValue, stars as starsFor } from './format.js';

export type { Align, CellNumber, TableCell };
export { CONSTANT_TERM, valueCell };

/** A header row; `rules` are the column ranges (1-based, inclusive) underlined with \cmidrule. */
export interface HeaderRow {
  readonly cells: readonly TableCell[];
  readonly rules: readonly { readonly from: number; readonly to: number }[];
}

export type BodyRowKind = 'coef' | 'under' | 'fe' | 'controls' | 'constant' | 'stat' | 'extra' | 'grid';

export interface BodyRow {
  readonly kind: BodyRowKind;
  /** A stable key for tests and diffs: `coef:lndiv`, `under:lndiv`, `fe:city`, `stat:nobs`, `grid:京津冀`. */
  readonly key: string;
  readonly cells: readonly TableCell[];
  /** Draw a rule (\midrule) above this row. */
  readonly ruleBefore: boolean;
}

export interface TableModel {
  readonly id: string;
  readonly layout: TablePlan['layout'];
  readonly lang: string;
  readonly title: string;
  readonly label: string;
  /** Comment lines placed at the top of the output (spec hash, data hash, engine version...). */
  readonly provenance: readonly string[];
  /** Leading label columns (1, or 2 for a grid with a region column). */
  readonly stubColumns: number;
  /** Columns of numbers after the stub. */
  readonly dataColumns: number;
  /** Total columns: stubColumns + dataColumns. */
  readonly columnCount: number;
  /** Column alignment, one letter per column (`lcccc`). */
  readonly align: string;
  readonly header: readonly HeaderRow[];
  readonly body: readonly BodyRow[];
  /** Lead of the first note line: `注：` or `Note:`. */
  readonly notesTitle: string;
  readonly notes: readonly string[];
  readonly longtable: boolean;
  /** `width`: a table wider than the line is shrunk to it; `none`: set at its natural width. */
  readonly fit: 'width' | 'none';
  /** Header of a continued page: `续表` or `(continued)`. */
  readonly continued: string;
}

export interface BuildTableOptions {
  readonly lang: string;
  /** Comment lines for the top of the rendered file. */
  readonly provenance?: readonly string[];
  /** Lines appended to the notes, e.g. `Data are synthetic (builtin:city-panel)`. */
  readonly dataNotes?: readonly LocalizedText[];
  /** The plans of the models (the dependent variable of each column, its clustering). */
  readonly models?: readonly ModelPlan[];
}

export type ResultLookup = ReadonlyMap<string, ModelResult> | Readonly<Record<string, ModelResult>>;

/** Statistics printed as whole numbers. */
const INTEGER_STATS = new Set([
  'dropped_missing',
  'nobs',
  'gmm_equations',
  'nobs_level',
  'nobs_diff',
  'instruments',
  'clusters',
  'sargan_df',
  'hansen_df',
  'groups',
  'units',
  'periods',
  'df_resid',
  'boot_reps',
  // counts and degrees of freedom of the GLM, Tobit and GMM statistics
  'df_t',
  'left_censored',
  'right_censored',
  'uncensored',
  'iterations',
  'nparams',
  'wald_df',
  'f_df1',
  'f_df2',
]);

/** Statistics shown without decimals: the counts above, and every degrees-of-freedom stat named `…_df`. */
function isIntegerStat(name: string): boolean {
  return INTEGER_STATS.has(name) || name.endsWith('_df');
}

/** Default labels of rows and headers, per language (`zh`, anything else falls back to `en`). */
const TEXT: Record<'zh' | 'en', Record<string, string>> = {
  zh: {
    _stub: '解释变量',
    _stub_mediation: '变量',
    '(Intercept)': '常数项',
    _controls: '控制变量',
    _total: '总体效应检验',
    _mediator: '中介因子检验',
    _outcome: '中介效应检验',
    _indirect: '中介效应 ab',
    _share: '中介效应占比 ab/c',
    _suppression: "遮掩效应比例 |ab/c'|",
    _sobel: 'Sobel 检验 z',
    _bootstrap: '偏差校正 Bootstrap 置信区间',
    _verdict: '检验结论',
    _region: '地区',
    _group: '分组',
    _structure: '结构',
    nobs: '观测值',
    r2: 'R²',
    r2_adj: 'adj-R²',
    r2_within: '组内 R²',
    r2_within_adj: '组内调整 R²',
    nobs_level: '观测值（水平方程）',
    nobs_diff: '观测值（差分方程）',
    gmm_equations: 'GMM 方程数（差分＋水平）',
    groups: '个体数',
    sargan_df: 'Sargan 自由度',
    hansen_df: 'Hansen 自由度',
    rmse: 'RMSE',
    _dependent: '被解释变量',
    sargan: 'Sargan 统计量',
    sargan_p: 'Sargan-p',
    hansen: 'Hansen 统计量',
    hansen_p: 'Hansen-p',
    ar1: 'AR(1) z',
    ar1_p: 'AR(1)',
    ar2: 'AR(2) z',
    ar2_p: 'AR(2)',
    instruments: '工具变量个数',
    clusters: '聚类数',
    notes: '注：',
    continued: '续表',
    yes: 'YES',
    fe_suffix: '固定效应',
    mono: '单中心',
    poly: '多中心',
    full: '完全中介效应',
    partial: '部分中介效应',
    suppression: '遮掩效应',
    none: '中介效应不显著',
    by_joint: '依据依次检验',
    by_bootstrap: '依据 Bootstrap 区间',
    by_sobel: '依据 Sobel 检验',
  },
  en: {
    _stub: 'Variable',
    _stub_mediation: 'Variable',
    '(Intercept)': 'Constant',
    _controls: 'Controls',
    _total: 'Total effect',
    _mediator: 'Mediator',
    _outcome: 'Mediated effect',
    _indirect: 'Indirect effect ab',
    _share: 'Share mediated ab/c',
    _suppression: "Suppression ratio |ab/c'|",
    _sobel: 'Sobel z',
    _bootstrap: 'Bias-corrected bootstrap CI',
    _verdict: 'Verdict',
    _region: 'Region',
    _group: 'Group',
    _structure: 'Structure',
    nobs: 'Observations',
    r2: 'R²',
    r2_adj: 'Adj. R²',
    r2_within: 'Within R²',
    r2_within_adj: 'Within adj. R²',
    nobs_level: 'Observations (levels)',
    nobs_diff: 'Observations (differences)',
    gmm_equations: 'GMM equations (differenced + levels)',
    groups: 'Groups',
    sargan_df: 'Sargan df',
    hansen_df: 'Hansen df',
    rmse: 'RMSE',
    _dependent: 'Dependent variable',
    sargan: 'Sargan statistic',
    sargan_p: 'Sargan p',
    hansen: 'Hansen statistic',
    hansen_p: 'Hansen p',
    ar1: 'AR(1) z',
    ar1_p: 'AR(1) p',
    ar2: 'AR(2) z',
    ar2_p: 'AR(2) p',
    instruments: 'Instruments',
    clusters: 'Clusters',
    notes: 'Note: ',
    continued: '(continued)',
    yes: 'YES',
    fe_suffix: 'fixed effects',
    mono: 'mono',
    poly: 'poly',
    full: 'full mediation',
    partial: 'partial mediation',
    suppression: 'suppression',
    none: 'no mediation',
    by_joint: 'by joint significance',
    by_bootstrap: 'by the bootstrap interval',
    by_sobel: 'by the Sobel test',
  },
};

/** Build the neutral model of one table from its plan and the results of its models. */
export function buildTableModel(table: TablePlan, results: ResultLookup, opts: BuildTableOptions): TableModel {
  const ctx = new Context(table, opts);
  const parts: LayoutParts = LAYOUTS[table.layout](ctx, table, results);
  const columnCount = parts.stubColumns + parts.dataColumns;
  return {
    id: table.id,
    layout: table.layout,
    lang: opts.lang,
    title: localize(table.spec.title, opts.lang) || table.id,
    label: table.spec.label,
    provenance: [...(opts.provenance ?? [])],
    stubColumns: parts.stubColumns,
    dataColumns: parts.dataColumns,
    columnCount,
    align: 'l'.repeat(parts.stubColumns) + 'c'.repeat(parts.dataColumns),
    header: parts.header,
    body: parts.body,
    notesTitle: ctx.text('notes'),
    notes: [...ctx.notes(parts.starred, (t) => fillNote(ctx, t, table, results)), ...(parts.extraNotes ?? [])],
    longtable: table.spec.longtable,
    fit: table.spec.fit,
    continued: ctx.text('continued'),
  };
}

interface LayoutParts {
  stubColumns: number;
  dataColumns: number;
  header: HeaderRow[];
  body: BodyRow[];
  /** Whether any cell carries stars (then a note explains them). */
  starred: boolean;
  /** Notes the layout adds after the data notes (why a grid cell is blank). */
  extraNotes?: string[];
}

/** The layouts, by the name a table's `layout:` gives (the default comes from the estimator of its first column). */
const LAYOUTS: Record<TablePlan['layout'], (ctx: Context, table: TablePlan, results: ResultLookup) => LayoutParts> = {
  regression: (ctx, table, results) =>
    table.spec.panels.length > 0
      ? panelLayout(ctx, table, results)
      : regressionLayout(
          ctx,
          table.models.map((id, i) => columnResult(results, id, table.spec.columns[i])),
        ),
  mediation: (ctx, table, results) => mediationLayout(ctx, mediationDetail(table, results)),
  grid: (ctx, table, results) => gridLayout(ctx, rankSizeDetail(table, results)),
  descriptive: (ctx, table, results) =>
    descriptiveLayout(ctx, detailOf(table, results, 'descriptive', isDescribeResult)),
  correlation: (ctx, table, results) =>
    correlationLayout(ctx, detailOf(table, results, 'correlation', isCorrelationResult)),
};

/** The detail of a table's one model, checked to be of the kind its layout shows. */
function detailOf<D>(
  table: TablePlan,
  results: ResultLookup,
  layout: string,
  is: (r: ModelResult) => r is ModelResult & { detail: D },
): D {
  const id = table.models[0] ?? '';
  const r = lookup(results, id);
  if (!is(r))
    throw new SpecrunError('TABLE_LAYOUT_MISMATCH', { table: table.id, layout, model: id, estimator: r.estimator });
  return r.detail;
}

/**
 * Panels stacked under one header: the header of the table's own columns, then per panel a title row spanning the
 * table and that panel's regression rows (coefficients, fixed effects, indicators, statistics).
 */
function panelLayout(ctx: Context, table: TablePlan, results: ResultLookup): LayoutParts {
  const cols = table.spec.columns;
  const n = cols.length;
  const parts = table.spec.panels.map((p) => {
    return {
      label: localize(p.label, ctx.lang),
      parts: regressionLayout(
        ctx,
        p.columns.map((c) => columnResult(results, typeof c === 'string' ? c : c.model, c)),
      ),
    };
  });
  const first = parts[0]!.parts;
  const body: BodyRow[] = [];
  parts.forEach(({ label, parts: p }, k) => {
    body.push({
      kind: 'extra',
      key: `panel:${k + 1}`,
      ruleBefore: k > 0,
      cells: [{ ...textCell(label), span: n + 1 }],
    });
    body.push(...p.body);
  });
  return { stubColumns: 1, dataColumns: n, header: first.header, body, starred: parts.some((x) => x.parts.starred) };
}

/** What every layout needs: the spec, the language, label lookup, number formatting. */
class Context {
  readonly spec: NormalizedTableSpec;
  readonly lang: string;
  readonly digits: number;
  readonly levels: readonly number[];
  readonly under: 'se' | 't' | 'none';
  private readonly labels: Map<string, LocalizedText>;
  private readonly dataNotes: readonly LocalizedText[];
  /** Per column, the dependent variable from the model plans (null when the plans were not given). */
  readonly dependents: (string | null)[] | null;
  /** The plans of the table's models, in column order (null when not given). */
  readonly plans: (ModelPlan | undefined)[] | null;

  constructor(table: TablePlan, opts: BuildTableOptions) {
    this.spec = table.spec;
    this.lang = opts.lang;
    this.digits = table.spec.digits;
    this.levels = table.spec.stars;
    this.under = table.spec.under;
    this.labels = new Map(Object.entries(table.spec.labels).map(([k, v]) => [termKey(k), v]));
    this.dataNotes = opts.dataNotes ?? [];
    this.plans = opts.models ? table.models.map((id) => opts.models!.find((m) => m.id === id)) : null;
    this.dependents = this.plans ? this.plans.map(dependentOf) : null;
  }

  /** A built-in text in the table's language. */
  text(key: string): string {
    const table = this.lang === 'zh' ? TEXT.zh : TEXT.en;
    return ownText(table, key) ?? key;
  }

  /** The label of a term, statistic or reserved key: the spec's label, else the built-in default, else the name. */
  label(name: string, fallback?: string): string {
    const own = this.labels.get(termKey(name));
    if (own !== undefined) return localize(own, this.lang);
    if (fallback !== undefined) return fallback;
    const table = this.lang === 'zh' ? TEXT.zh : TEXT.en;
    return ownText(table, name) ?? name;
  }

  coefficientCell(est: number | null | undefined, p: number | null | undefined): TableCell {
    return valueCell(est, this.digits, undefined, finite(est) === null ? '' : starsFor(p, this.levels));
  }

  underCell(se: number | null | undefined, t: number | null | undefined): TableCell {
    return valueCell(this.under === 't' ? t : se, this.digits, 'paren');
  }

  statCell(name: string, value: number | null | undefined): TableCell {
    return valueCell(value, isIntegerStat(name) ? 0 : this.digits);
  }

  /**
   * The spec's notes, then the data notes, then a line explaining the stars unless a note already does (contains
   * `*`). The line also says what the parentheses hold, unless the spec writes notes of its own (which then do).
   */
  notes(starred: boolean, fill: (text: string) => string = (t) => t): string[] {
    const ownLines = this.spec.notes.map((n) => fill(localize(n, this.lang))).filter((n) => n !== '');
    const lines = [...ownLines, ...this.dataNotes.map((n) => localize(n, this.lang)).filter((n) => n !== '')];
    if (starred && !lines.some((l) => l.includes('*'))) lines.push(this.starsNote(ownLines.length === 0));
    return lines;
  }

  /** The stars line alone, for layouts without standard errors or t under their numbers. */
  starsLine(): string {
    return this.starsNote(false);
  }

  /** `括号内为标准误；*、**、*** 分别表示在 10%、5%、1% 的水平上显著。` and its English twin. */
  private starsNote(withUnder: boolean): string {
    const levels = [...this.levels].sort((a, b) => b - a);
    const marks = levels.map((_, i) => '*'.repeat(i + 1));
    const pcts = levels.map(levelPercent);
    const under = withUnder ? this.under : 'none';
    if (this.lang === 'zh') {
      const lead = under === 'se' ? '括号内为标准误；' : under === 't' ? '括号内为 t 值；' : '';
      return `${lead}${marks.join('、')} 分别表示在 ${pcts.join('、')} 的水平上显著。`;
    }
    const lead =
      under === 'se' ? 'Standard errors in parentheses. ' : under === 't' ? 't statistics in parentheses. ' : '';
    return `${lead}${marks.map((m, i) => `${m} p < ${levels[i]}`).join(', ')}.`;
  }
}

// ---- regression ----------------------------------------------------------------------------------------------------

function regressionLayout(ctx: Context, columns: ModelResult[]): LayoutParts {
  const spec = ctx.spec;
  const n = columns.length;
  const header = regressionHeader(ctx, n, columnLabels(ctx, n));
  addNumbersAndDependent(ctx, header, n, ctx.dependents);
  const body: BodyRow[] = [];
  let starred = false;

  const indicated = new Set(spec.indicators.flatMap((i) => i.terms.map(termKey)));
  for (const term of shownTerms(
    spec,
    columns.map((c) => Object.keys(c.coefficients)),
  )) {
    if (indicated.has(termKey(term))) continue;
    const rows = coefficientRows(ctx, term, ctx.label(term), columns, 'coef');
    starred ||= rows[0]!.cells.some((c) => c.stars !== '');
    body.push(...rows);
  }
  body.push(...indicatorRows(ctx, columns));
  body.push(...fixedEffectRows(ctx, columns));
  body.push(...customRows(ctx, n));
  if (showConstant(spec) && columns.some(hasConstant)) {
    const rows = coefficientRows(ctx, CONSTANT_TERM, ctx.label(CONSTANT_TERM), columns, 'constant');
    starred ||= rows[0]!.cells.some((c) => c.stars !== '');
    body.push(...rows);
  }
  body.push(...statRows(ctx, columns));
  return { stubColumns: 1, dataColumns: n, header, body, starred };
}

/**
 * Under the column labels, the column numbers `(1)`, `(2)`, ... (unless the labels are the numbers already, or
 * `numbers: false`); above them, the dependent variable of each column, one cell spanning adjacent columns that
 * explain the same variable (unless `dependent: false`, or the plans are not known).
 */
function addNumbersAndDependent(
  ctx: Context,
  header: HeaderRow[],
  n: number,
  dependents: readonly (string | null)[] | null,
): void {
  const labelRow = header.length - 1;
  const numbered = Array.from({ length: n }, (_, i) => `(${i + 1})`);
  const labels = header[labelRow]!.cells.slice(1).map((c) => c.text);
  if (ctx.spec.numbers && labels.join('|') !== numbered.join('|')) {
    header.push({ cells: [textCell(''), ...numbered.map((t) => textCell(t, 'c'))], rules: [] });
  }
  if (!ctx.spec.dependent || dependents === null || dependents.length !== n || dependents.every((d) => d === null))
    return;
  const cells: TableCell[] = [textCell(ctx.label('_dependent'))];
  const rules: { from: number; to: number }[] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && dependents[j] === dependents[i]) j++;
    const d = dependents[i];
    cells.push({ ...textCell(d === null || d === undefined ? '' : ctx.label(d), 'c'), span: j - i });
    if (j - i > 1 && d) rules.push({ from: i + 2, to: j + 1 });
    i = j;
  }
  header.splice(labelRow, 0, { cells, rules });
}

/** `indicators`: one row per set of terms, YES where the column's model has every one of them. */
function indicatorRows(ctx: Context, columns: readonly (ModelResult | null)[]): BodyRow[] {
  return ctx.spec.indicators.map((ind, k) => ({
    kind: 'controls' as const,
    key: `indicator:${k}`,
    ruleBefore: false,
    cells: [
      textCell(localize(ind.label, ctx.lang)),
      ...columns.map((c) =>
        c !== null && ind.terms.every((t) => findCoefficient(c, t) !== undefined)
          ? textCell(ctx.text('yes'), 'c')
          : blank(),
      ),
    ],
  }));
}

/** `rows`: a label and one value per column, as written. */
function customRows(ctx: Context, n: number): BodyRow[] {
  return ctx.spec.rows.map((r, k) => ({
    kind: 'extra' as const,
    key: `row:${k}`,
    ruleBefore: false,
    cells: [
      textCell(localize(r.label, ctx.lang)),
      ...Array.from({ length: n }, (_, i) => {
        const v = r.values[i];
        return typeof v === 'number'
          ? numCell(String(v))
          : textCell(v === undefined || v === null ? '' : localize(v, ctx.lang), 'c');
      }),
    ],
  }));
}

/** Column headers: the TableColumn label, else `(1)`, `(2)`, ... */
function columnLabels(ctx: Context, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const col = ctx.spec.columns[i];
    const own = typeof col === 'object' && col !== null ? col.label : undefined;
    out.push(own === undefined ? `(${i + 1})` : localize(own, ctx.lang));
  }
  return out;
}

/** A group row (when `groups` is given) with \cmidrule under each labelled group, then the column labels. */
function regressionHeader(ctx: Context, n: number, labels: readonly string[], stubText?: string): HeaderRow[] {
  const rows: HeaderRow[] = [];
  const groups = ctx.spec.groups;
  if (groups.length > 0) {
    const cells: TableCell[] = [textCell('')];
    const rules: { from: number; to: number }[] = [];
    let used = 0;
    for (const g of groups) {
      const span = Math.min(Math.max(1, Math.trunc(g.span ?? 1)), n - used);
      if (span <= 0) break;
      const text = localize(g.label, ctx.lang);
      cells.push({ ...textCell(text, 'c'), span });
      // Column numbers are 1-based and count the stub column.
      if (text !== '') rules.push({ from: used + 2, to: used + span + 1 });
      used += span;
    }
    for (; used < n; used++) cells.push(textCell('', 'c'));
    rows.push({ cells, rules });
  }
  rows.push({
    cells: [textCell(stubText ?? ctx.label('_stub')), ...labels.map((l) => textCell(l, 'c'))],
    rules: [],
  });
  return rows;
}

/** The constant is shown unless dropped, or unless `keep` is given without it. */
function showConstant(spec: NormalizedTableSpec): boolean {
  const key = termKey(CONSTANT_TERM);
  if (spec.drop.some((d) => termKey(d) === key)) return false;
  if (spec.keep && !spec.keep.some((k) => termKey(k) === key)) return false;
  return true;
}

/** The coefficient row of a term and, unless `under: none`, the row under it. */
function coefficientRows(
  ctx: Context,
  term: string,
  label: string,
  columns: readonly (ModelResult | null)[],
  kind: 'coef' | 'constant',
): BodyRow[] {
  const coefs = columns.map((c) => (c === null ? undefined : findCoefficient(c, term)));
  const rows: BodyRow[] = [
    {
      kind,
      key: `${kind}:${term}`,
      ruleBefore: false,
      cells: [textCell(label), ...coefs.map((c) => (c ? ctx.coefficientCell(c.estimate, c.p) : blank()))],
    },
  ];
  if (ctx.under !== 'none') {
    rows.push({
      kind: 'under',
      key: `under:${term}`,
      ruleBefore: false,
      cells: [textCell(''), ...coefs.map((c) => (c ? ctx.underCell(c.se, c.t) : blank()))],
    });
  }
  return rows;
}

function findCoefficient(result: ModelResult, term: string): ModelResult['coefficients'][string] | undefined {
  const direct = result.coefficients[term];
  if (direct !== undefined) return direct;
  const key = termKey(term);
  for (const [name, c] of Object.entries(result.coefficients)) if (termKey(name) === key) return c;
  if (key === termKey(CONSTANT_TERM)) return detailConstant(result);
  return undefined;
}

/**
 * System GMM reports its constant beside the time dummies in `detail.timeEffects` rather than among the terms;
 * the constant row shows it from there.
 */
function detailConstant(result: ModelResult): ModelResult['coefficients'][string] | undefined {
  const c = isGmmResult(result) ? result.detail.timeEffects[CONSTANT_TERM] : undefined;
  return c !== undefined && typeof c.estimate === 'number' ? c : undefined;
}

function hasConstant(result: ModelResult): boolean {
  return findCoefficient(result, CONSTANT_TERM) !== undefined;
}

/** One row per fixed effect: those of the spec in its order, else every one absorbed by some column. */
function fixedEffectRows(ctx: Context, columns: readonly ModelResult[]): BodyRow[] {
  const own = ctx.spec.fixed_effects;
  const names = own ? Object.keys(own) : [...new Set(columns.flatMap((c) => c.fixedEffects))];
  return names.map((fe) => ({
    kind: 'fe' as const,
    key: `fe:${fe}`,
    ruleBefore: false,
    cells: [
      textCell(own?.[fe] !== undefined ? localize(own[fe], ctx.lang) : defaultFixedEffectLabel(ctx, fe)),
      ...columns.map((c) => (c.fixedEffects.includes(fe) ? textCell(ctx.text('yes'), 'c') : blank())),
    ],
  }));
}

function defaultFixedEffectLabel(ctx: Context, fe: string): string {
  // A label given for the FE variable itself names the row `<label> 固定效应` / `<label> fixed effects`.
  return `${ctx.label(fe, fe)}${ctx.lang === 'zh' ? '' : ' '}${ctx.text('fe_suffix')}`;
}

/** __Default value__ of the statistic rows: observations, then whichever of these some column reports. */
const DEFAULT_STATS = ['nobs', 'r2_adj', 'sargan_p', 'hansen_p', 'ar2_p'];

function statRows(ctx: Context, columns: readonly ModelResult[]): BodyRow[] {
  const names =
    ctx.spec.stats ?? DEFAULT_STATS.filter((s) => s === 'nobs' || columns.some((c) => finite(c.stats[s]) !== null));
  return names.map((name, i) => ({
    kind: 'stat' as const,
    key: `stat:${name}`,
    ruleBefore: i === 0,
    cells: [textCell(ctx.label(name)), ...columns.map((c) => ctx.statCell(name, statValue(c, name)))],
  }));
}

/** Statistic names a table accepts for another: fixest's `war2` is the within adjusted R². */
export const STAT_ALIASES: Readonly<Record<string, string>> = { war2: 'r2_within_adj', wr2: 'r2_within' };

/**
 * A statistic of a column. One meaning of N in every table: `nobs` is the observations a model used — for GMM,
 * what xtabond2 reports as "Number of obs" (the levels equations of system GMM, the differenced ones of difference
 * GMM) — and the equation count plm reports as its nobs (differenced plus levels) is `gmm_equations`, labelled so.
 */
export function statValue(result: ModelResult, name: string): number | null {
  const key = Object.hasOwn(STAT_ALIASES, name) ? STAT_ALIASES[name]! : name;
  const gmm = result.estimator === 'sysgmm' || result.estimator === 'diffgmm';
  if (key === 'nobs') {
    if (gmm) return ownStat(result, result.estimator === 'sysgmm' ? 'nobs_level' : 'nobs_diff') ?? result.nobs;
    return result.nobs;
  }
  if (key === 'gmm_equations') return gmm ? result.nobs : null;
  // `nobs_level` of a single-equation model is its observations, so a table mixing OLS and GMM has one such row.
  if (
    key === 'nobs_level' &&
    (result.estimator === 'ols' || result.estimator === 'mediation') &&
    ownStat(result, key) === null
  )
    return result.nobs;
  return ownStat(result, key);
}

function ownStat(result: ModelResult, key: string): number | null {
  return Object.hasOwn(result.stats, key) ? finite(result.stats[key]) : null;
}

/** A built-in text by a user-given key: own keys only, so that a term named `toString` is not a function's source. */
function ownText(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

// ---- mediation -----------------------------------------------------------------------------------------------------

function mediationLayout(ctx: Context, detail: MediationDetail): LayoutParts {
  const steps = [detail.steps.total, detail.steps.mediator, detail.steps.outcome];
  const labels = columnLabelsOr(ctx, [ctx.label('_total'), ctx.label('_mediator'), ctx.label('_outcome')]);
  const header = regressionHeader(ctx, 3, labels, ctx.label('_stub', ctx.text('_stub_mediation')));
  const plan = ctx.plans?.[0];
  const [outcome, mediatorVar] = [planField(plan, 'outcome'), planField(plan, 'mediator')];
  addNumbersAndDependent(
    ctx,
    header,
    3,
    typeof outcome === 'string' && typeof mediatorVar === 'string' ? [outcome, mediatorVar, outcome] : null,
  );
  const { treatment, mediator } = mediationTerms(detail);
  const body: BodyRow[] = [];

  // The treatment and the mediator always; controls only when `keep` names them, else one YES row.
  const spec = ctx.spec;
  const dropped = new Set(spec.drop.map(termKey));
  const controls = [...new Set(steps.flatMap((s) => Object.keys(s.coefficients)))].filter(
    (t) => t !== treatment && t !== mediator && termKey(t) !== termKey(CONSTANT_TERM),
  );
  const shownControls = spec.keep ? spec.keep.filter((k) => controls.some((c) => termKey(c) === termKey(k))) : [];
  const terms = [treatment, mediator, ...shownControls].filter(
    (t): t is string => t !== null && !dropped.has(termKey(t)),
  );
  let starred = false;
  for (const term of terms) {
    const rows = coefficientRows(ctx, term, ctx.label(term), steps, 'coef');
    starred ||= rows[0]!.cells.some((c) => c.stars !== '');
    body.push(...rows);
  }
  const hidden = controls.filter(
    (c) => !shownControls.some((k) => termKey(k) === termKey(c)) && !dropped.has(termKey(c)),
  );
  if (hidden.length > 0) {
    body.push({
      kind: 'controls',
      key: 'controls',
      ruleBefore: false,
      cells: [
        textCell(ctx.label('_controls')),
        ...steps.map((s) =>
          hidden.some((h) => findCoefficient(s, h) !== undefined) ? textCell(ctx.text('yes'), 'c') : blank(),
        ),
      ],
    });
  }
  body.push(...fixedEffectRows(ctx, steps));
  if (showConstant(spec) && steps.some(hasConstant)) {
    const rows = coefficientRows(ctx, CONSTANT_TERM, ctx.label(CONSTANT_TERM), steps, 'constant');
    starred ||= rows[0]!.cells.some((c) => c.stars !== '');
    body.push(...rows);
  }
  body.push(...statRows(ctx, steps));

  // Each summary spans the columns it is computed from: ab = a·b, its Sobel test and its interval the mediator and
  // outcome steps (2)–(3); the share ab/c and the verdict all three.
  const wide = (key: string, label: string, cell: TableCell, first: boolean, from = 1): BodyRow => ({
    kind: 'extra',
    key,
    ruleBefore: first,
    cells: [textCell(label), ...(from > 1 ? [blank()] : []), { ...cell, span: 4 - from, align: 'c' }],
  });
  // `drop` may name these rows by their label keys (`_indirect`, `_share`, `_sobel`, `_bootstrap`, `_verdict`) to
  // show only the rows a paper prints.
  const extra: BodyRow[] = [];
  const shown = (key: string): boolean => !dropped.has(termKey(key));
  const indirectStars = starsFor(detail.sobel.p, ctx.levels);
  if (shown('_indirect')) {
    starred ||= indirectStars !== '';
    extra.push(
      wide(
        'indirect',
        ctx.label('_indirect'),
        valueCell(detail.indirect, ctx.digits, undefined, indirectStars),
        false,
        2,
      ),
    );
  }
  if (detail.verdict === 'suppression' && detail.suppressionRatio !== undefined) {
    // Under suppression ab and c′ have opposite signs and ab/c is meaningless; Wen & Ye report |ab/c′| instead.
    if (shown('_suppression'))
      extra.push(
        wide('suppression', ctx.label('_suppression'), valueCell(detail.suppressionRatio, 2, 'percent'), false),
      );
  } else if (shown('_share')) {
    extra.push(wide('share', ctx.label('_share'), valueCell(detail.share, 2, 'percent'), false));
  }
  const p = pValue(detail.sobel.p, ctx.digits);
  const z = fixed(detail.sobel.z, ctx.digits);
  if (shown('_sobel')) {
    extra.push(
      wide(
        'sobel',
        ctx.label('_sobel'),
        numCell(z === '' ? '' : `${z} (p ${p.startsWith('<') ? p : `= ${p}`})`),
        false,
        2,
      ),
    );
  }
  if (detail.bootstrap && shown('_bootstrap')) {
    const [lo, hi] = detail.bootstrap.biasCorrected; // the interval Wen & Ye (2014) test ab with, as the verdict does
    const level = levelPercent(detail.bootstrap.level);
    extra.push(
      wide(
        'bootstrap',
        `${ctx.label('_bootstrap')} (${level})`,
        numCell(`[${fixed(lo, ctx.digits)}, ${fixed(hi, ctx.digits)}]`),
        false,
        2,
      ),
    );
  }
  // The verdict names the test that decided it (the Sobel p and the bootstrap interval may disagree).
  const by = detail.verdictTrace ? ctx.text(`by_${detail.verdictTrace.indirectTest}`) : '';
  const verdict =
    by === ''
      ? ctx.text(detail.verdict)
      : ctx.lang === 'zh'
        ? `${ctx.text(detail.verdict)}（${by}）`
        : `${ctx.text(detail.verdict)} (${by})`;
  if (shown('_verdict')) extra.push(wide('verdict', ctx.label('_verdict'), textCell(verdict, 'c'), false));
  // a rule above the first of these rows
  body.push(...extra.map((row, i) => (i === 0 ? { ...row, ruleBefore: true } : row)));
  return { stubColumns: 1, dataColumns: 3, header, body, starred };
}

/** Column labels from the spec's columns when given with labels (one per step), else the defaults. */
function columnLabelsOr(ctx: Context, defaults: readonly string[]): string[] {
  return defaults.map((d, i) => {
    const col = ctx.spec.columns[i];
    return typeof col === 'object' && col !== null && col.label !== undefined ? localize(col.label, ctx.lang) : d;
  });
}

/**
 * The treatment and mediator terms of a mediation result. The detail stores a = the treatment's coefficient in
 * the mediator equation and c = its coefficient in the total equation, so the treatment is the term carrying c;
 * the mediator is the one term of the outcome equation absent from the total equation.
 */
function mediationTerms(detail: MediationDetail): { treatment: string | null; mediator: string | null } {
  const total = Object.entries(detail.steps.total.coefficients).filter(([t]) => t !== CONSTANT_TERM);
  const treatment = total.find(([, c]) => c.estimate === detail.c)?.[0] ?? total[0]?.[0] ?? null;
  const mediator =
    Object.keys(detail.steps.outcome.coefficients).find(
      (t) => t !== CONSTANT_TERM && detail.steps.total.coefficients[t] === undefined,
    ) ?? null;
  return { treatment, mediator };
}

// ---- grid (rank-size) ----------------------------------------------------------------------------------------------

function gridLayout(ctx: Context, detail: RankSizeDetail): LayoutParts {
  const spec = ctx.spec;
  const cells = detail.cells;
  const allPeriods = [...new Set(cells.map((c) => c.period))].sort((a, b) => a - b);
  const periods = spec.periods && spec.periods.length > 0 ? [...spec.periods] : allPeriods;
  const present = [...new Set(cells.map((c) => c.group))];
  const dropped = new Set(spec.drop);
  const groups = (spec.keep ?? present).filter((g) => present.includes(g) && !dropped.has(g));
  const byKey = new Map<string, RankSizeCell>();
  for (const c of cells) byKey.set(`${c.group}\u0000${c.period}`, c);

  // `groups` spans consecutive rows here: the label fills a leading column on the first row of its block.
  const regions = spec.groups;
  const withRegion = regions.length > 0;
  const regionOf: (string | null)[] = groups.map(() => null);
  const startsBlock: boolean[] = groups.map(() => false);
  let row = 0;
  for (const r of regions) {
    const span = Math.max(1, Math.trunc(r.span ?? 1));
    if (row >= groups.length) break;
    regionOf[row] = localize(r.label, ctx.lang);
    startsBlock[row] = true;
    row += span;
  }

  const stub = withRegion
    ? [textCell(ctx.label('_region')), textCell(ctx.label('_group'))]
    : [textCell(ctx.label('_group'))];
  const header: HeaderRow[] = [
    {
      cells: [...stub, ...periods.map((p) => textCell(String(p), 'c')), textCell(ctx.label('_structure'), 'c')],
      rules: [],
    },
  ];
  const gridDigits = spec.digits;
  const body: BodyRow[] = groups.map((g, i) => {
    const lead = withRegion ? [textCell(regionOf[i] ?? ''), textCell(ctx.label(g))] : [textCell(ctx.label(g))];
    const qs = periods.map((p) => valueCell(byKey.get(`${g}\u0000${p}`)?.q, gridDigits));
    return {
      kind: 'grid' as const,
      key: `grid:${g}`,
      ruleBefore: withRegion && i > 0 && startsBlock[i] === true,
      cells: [...lead, ...qs, textCell(structureText(ctx, structureCell(byKey, g, periods, allPeriods)), 'c')],
    };
  });
  // A blank q is explained under the table with the estimator's reason.
  const missing: string[] = [];
  for (const g of groups) {
    for (const p of periods) {
      const c = byKey.get(`${g}\u0000${p}`);
      if (c && finite(c.q) === null && c.reason) {
        missing.push(
          ctx.lang === 'zh'
            ? `${ctx.label(g)} ${p} 年 q 缺失：${c.reason}`
            : `q missing for ${ctx.label(g)} in ${p}: ${c.reason}`,
        );
      }
    }
  }
  return {
    stubColumns: withRegion ? 2 : 1,
    dataColumns: periods.length + 1,
    header,
    body,
    starred: false,
    extraNotes: missing,
  };
}

/** The structure of a group: that of the last shown period, else of the latest period that has one. */
function structureCell(
  byKey: ReadonlyMap<string, RankSizeCell>,
  group: string,
  shown: readonly number[],
  all: readonly number[],
): RankSizeCell | undefined {
  const last = shown[shown.length - 1];
  const own = last === undefined ? undefined : byKey.get(`${group}\u0000${last}`);
  if (own?.structure) return own;
  for (let i = all.length - 1; i >= 0; i--) {
    const c = byKey.get(`${group}\u0000${all[i]}`);
    if (c?.structure) return c;
  }
  return undefined;
}

/** `单中心`, `多中心（3）` / `mono`, `poly (3)`. */
function structureText(ctx: Context, cell: RankSizeCell | undefined): string {
  if (!cell?.structure) return '';
  if (cell.structure === 'mono') return ctx.text('mono');
  const k = finite(cell.centres);
  if (k === null) return ctx.text('poly');
  return ctx.lang === 'zh' ? `${ctx.text('poly')}（${integer(k)}）` : `${ctx.text('poly')} (${integer(k)})`;
}

// ---- helpers -------------------------------------------------------------------------------------------------------

/** A field of a plan, read without knowing its estimator's plan type (the renderer sees only the base fields). */
export function planField(plan: ModelPlan | undefined, name: string): unknown {
  return plan === undefined ? undefined : new Map<string, unknown>(Object.entries(plan)).get(name);
}

function dependentOf(plan: ModelPlan | undefined): string | null {
  if (plan === undefined) return null;
  const d = planField(plan, plan.estimator === 'mediation' ? 'outcome' : 'dependent');
  if (typeof d === 'string') return d;
  const name =
    d !== null && typeof d === 'object' ? new Map<string, unknown>(Object.entries(d)).get('name') : undefined;
  return typeof name === 'string' ? name : null;
}

/** Observations a model removed (missing values, singletons), from the counts its notes carry. */
function droppedCount(result: ModelResult): number {
  let n = 0;
  for (const note of result.notes) {
    if (note.code !== 'MISSING_DROPPED' && note.code !== 'SINGLETONS_DROPPED') continue;
    const m = /^(\d+)/.exec(note.message);
    if (m) n += Number(m[1]);
  }
  return n;
}

/** The placeholders a note may hold, filled from the table's models. */
export const NOTE_PLACEHOLDERS = ['cluster', 'vcov', 'dropped'] as const;

/**
 * Fill `{cluster}` (the clustering variables of the table's models, labelled), `{vcov}` (their variance estimators)
 * and `{dropped}` (the observations each column's model removed) in a note.
 */
function fillNote(ctx: Context, text: string, table: TablePlan, results: ResultLookup): string {
  if (!/\{(cluster|vcov|dropped)\}/.test(text)) return text;
  const sep = ctx.lang === 'zh' ? '、' : ', ';
  // The variance each result reports (`cluster(city)`, `hc1`, `windmeijer`, ...).
  const vcovs = [...new Set(table.models.map((id) => lookup(results, id).vcov).filter((v) => v !== ''))];
  const clusters = [
    ...new Set(vcovs.flatMap((v) => /^cluster\(([^)]*)\)$/.exec(v.replace(/\s+/g, ''))?.[1]?.split(',') ?? [])),
  ];
  const dropped = table.models.map((id, i) => `(${i + 1}) ${droppedCount(lookup(results, id))}`);
  return text
    .replace(/\{cluster\}/g, clusters.map((c) => ctx.label(c)).join(sep))
    .replace(/\{vcov\}/g, vcovs.join(sep))
    .replace(/\{dropped\}/g, dropped.join(ctx.lang === 'zh' ? '；' : '; '));
}

function isResultMap(results: ResultLookup): results is ReadonlyMap<string, ModelResult> {
  return results instanceof Map;
}

function lookup(results: ResultLookup, id: string): ModelResult {
  const r = isResultMap(results) ? results.get(id) : results[id];
  if (r === undefined)
    throw new SpecrunError('UNKNOWN_MODEL', { name: id, suggestion: 'the table names a model that was not run' });
  return r;
}

/** A column's result: the model's, or one first stage of an IV model (`{ model, stage: first, endogenous }`). */
function columnResult(
  results: ResultLookup,
  id: string,
  col: ResolvedTableSpec['columns'][number] | undefined,
): ModelResult {
  const r = lookup(results, id);
  if (typeof col !== 'object' || col === null || col.stage !== 'first') return r;
  const stages = (r.detail as { firstStages?: Record<string, ModelResult> } | undefined)?.firstStages;
  const name = col.endogenous ?? Object.keys(stages ?? {})[0] ?? '';
  const fs = stages?.[name];
  if (!fs)
    throw new SpecrunError('UNKNOWN_MODEL', {
      name: `${id} (first stage of ${name})`,
      suggestion: 'stage: first needs an IV model and one of its endogenous variables',
    });
  return fs;
}

function mediationDetail(table: TablePlan, results: ResultLookup): MediationDetail {
  const id = table.models[0] ?? '';
  const r = lookup(results, id);
  if (!isMediationResult(r)) {
    throw new SpecrunError('TABLE_LAYOUT_MISMATCH', {
      table: table.id,
      layout: 'mediation',
      model: id,
      estimator: r.estimator,
    });
  }
  return r.detail;
}

function rankSizeDetail(table: TablePlan, results: ResultLookup): RankSizeDetail {
  const id = table.models[0] ?? '';
  const r = lookup(results, id);
  if (!isRankSizeResult(r)) {
    throw new SpecrunError('TABLE_LAYOUT_MISMATCH', {
      table: table.id,
      layout: 'grid',
      model: id,
      estimator: r.estimator,
    });
  }
  return r.detail;
}

function blank(): TableCell {
  return textCell('', 'c');
}
