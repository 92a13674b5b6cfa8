/**
 * The `describe` estimator: descriptive statistics of columns, overall or by the groups of a column, with the
 * difference-in-means test for two groups. Numerics in summary.ts; conventions in CONVENTIONS.md. The result has
 * no coefficients; `detail: DescribeDetail` holds one summary per variable and group, `nobs` the sample's rows.
 */
import { SpecrunError, note, type Note } from '../../diagnostics/diagnostic.js';
import { isText, type Column, type Frame } from '../../core/frame.js';
import type { ModelPlanBase } from '../../normalize/plan.js';
import type { ModelResult } from '../../results/types.js';
import type { EstimationData, Estimator } from '../types.js';
import { varianceInFit } from '../fit-variance.js';
import { DESCRIBE_DEFAULTS, type DescribeModel } from './spec.js';
import { meanTest, summarize, type MeanTest } from './summary.js';

export interface DescribePlan extends ModelPlanBase {
  readonly estimator: 'describe';
  readonly variables: readonly string[];
  readonly by: string | null;
  readonly test: 'welch' | 'pooled' | 'none';
  readonly quantileType: 7 | 2;
}

/** One variable's statistics in one group (`group` null: the whole sample). */
export interface DescribeCell {
  readonly variable: string;
  readonly group: string | null;
  readonly stats: Readonly<Record<string, number | null>>;
}

export interface DescribeDetail {
  readonly variables: readonly string[];
  /** The groups of `by`, in order (empty without `by`). */
  readonly groups: readonly string[];
  readonly by: string | null;
  readonly cells: readonly DescribeCell[];
  /** Per variable, the test of the difference in means of the two groups (absent: no test). */
  readonly tests: Readonly<Record<string, (MeanTest & { readonly method: 'welch' | 'pooled' }) | null>>;
}

export type DescribeResult = ModelResult<'describe', DescribeDetail> & { readonly detail: DescribeDetail };

export const describeEstimator: Estimator<DescribePlan, DescribeModel, DescribeResult> = {
  kind: 'describe',
  spec: { type: 'DescribeModel', file: 'engine/estimate/describe/spec.ts' },
  normalize: (spec, ctx) => {
    const variables = spec.variables.map(String);
    const seen = new Set<string>();
    for (const [i, v] of variables.entries()) {
      if (seen.has(v))
        ctx.report('SPEC_CONFLICT', ['variables', i], {
          detail: `${v} is listed twice`,
          hint: 'list each variable once',
        });
      seen.add(v);
    }
    return {
      estimator: 'describe',
      variables,
      by: spec.by === undefined ? null : String(spec.by),
      test: spec.test ?? DESCRIBE_DEFAULTS.test,
      quantileType: spec.quantile_type ?? DESCRIBE_DEFAULTS.quantile_type,
    };
  },
  inputs: (plan) => [
    ...plan.variables.map((name) => ({ name, key: 'variables' })),
    ...(plan.by ? [{ name: plan.by, key: 'by' }] : []),
  ],
  terms: () => [],
  coefficientNames: () => [],
  fingerprint: (plan) => ({ formula: { variables: plan.variables, by: plan.by }, fixed_effects: [], vcov: null }),
  fingerprintFields: ['variables', 'by'],
  varianceOnlyVcov: false,
  table: { layout: 'descriptive' },
  ...varianceInFit(function estimate(plan: DescribePlan, data: EstimationData): DescribeResult {
    const { frame } = data;
    const notes: Note[] = [];
    if (frame.nrows === 0) throw new SpecrunError('NO_OBSERVATIONS', { model: plan.id });
    const cols = describedColumns(plan.id, frame, plan.variables);
    // The groups: rows where `by` is missing are left out (and counted).
    let groups: string[] = [];
    let masks: Uint8Array[] = [];
    if (plan.by !== null) {
      const byCol = frame.get(plan.by);
      if (!byCol)
        throw new SpecrunError('DATA_MISSING_COLUMN', { name: plan.by, file: 'the model data', suggestion: '' });
      ({ groups, masks } = groupMasks(byCol, frame.nrows));
      const missing = frame.nrows - masks.reduce((s, m) => s + m.reduce((a, b) => a + b, 0), 0);
      if (missing > 0) notes.push(note('DESCRIBE_BY_MISSING', { model: plan.id, count: missing, by: plan.by }));
    }
    const cells: DescribeCell[] = [];
    const tests: Record<string, (MeanTest & { method: 'welch' | 'pooled' }) | null> = Object.create(null);
    const twoGroups = plan.by !== null && groups.length === 2;
    if (plan.by !== null && plan.test !== 'none' && !twoGroups) {
      notes.push(note('DESCRIBE_TEST_GROUPS', { model: plan.id, by: plan.by, count: groups.length }));
    }
    plan.variables.forEach((v, j) => {
      const x = cols[j]!;
      const all = summarize(x, null, plan.quantileType);
      if (all.n < frame.nrows)
        notes.push(note('DESCRIBE_MISSING', { variable: v, count: frame.nrows - all.n, rows: frame.nrows }));
      if (plan.by === null) {
        cells.push({ variable: v, group: null, stats: all.stats });
        return;
      }
      const per = masks.map((m) => summarize(x, m, plan.quantileType));
      groups.forEach((g, k) => cells.push({ variable: v, group: g, stats: per[k]!.stats }));
      if (twoGroups && plan.test !== 'none') {
        const t = meanTest(per[0]!, per[1]!, plan.test);
        tests[v] = t === null ? null : { ...t, method: plan.test };
      }
    });
    return {
      estimator: 'describe',
      nobs: frame.nrows,
      coefficients: {},
      stats: { variables: plan.variables.length, groups: groups.length },
      fixedEffects: [],
      vcov: '',
      notes,
      detail: { variables: [...plan.variables], groups, by: plan.by, cells, tests },
    };
  }),
};

/** The groups of a column (numbers ascending, texts in code-point order) and a row mask per group. */
function groupMasks(col: Column, n: number): { groups: string[]; masks: Uint8Array[] } {
  const keyOf: (i: number) => string | number | null = isText(col)
    ? (i) => (col.codes[i]! < 0 ? null : col.levels[col.codes[i]!]!)
    : (i) => (Number.isNaN(col[i]!) ? null : col[i]!);
  const keys = new Set<string | number>();
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    if (k !== null) keys.add(k);
  }
  const sorted = [...keys].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
  const index = new Map<string | number, number>(sorted.map((k, i) => [k, i]));
  const masks = sorted.map(() => new Uint8Array(n));
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    if (k !== null) masks[index.get(k)!]![i] = 1;
  }
  return { groups: sorted.map(String), masks };
}

export function isDescribeResult(r: ModelResult): r is DescribeResult {
  const d = r.detail as { cells?: unknown; variables?: unknown } | undefined;
  return (
    r.estimator === 'describe' &&
    typeof d === 'object' &&
    d !== null &&
    Array.isArray(d.cells) &&
    Array.isArray(d.variables)
  );
}

/** The numeric columns of `names` (a text column is DESCRIBE_TEXT_COLUMN), for describe and correlation. */
export function describedColumns(model: string, frame: Frame, names: readonly string[]): Float64Array[] {
  return names.map((v) => {
    const c = frame.get(v);
    if (!c) throw new SpecrunError('DATA_MISSING_COLUMN', { name: v, file: 'the model data', suggestion: '' });
    if (isText(c)) throw new SpecrunError('DESCRIBE_TEXT_COLUMN', { model, name: v });
    return c;
  });
}
