/**
 * Multiple estimation (issue 17): a model written once stands for several ordinary models, each with a stable id
 * `KEY[tag=value,…]` that tables, figures, the diff, the cache and results.json use. The formula's `c()` and stepwise
 * functions are expanded by engine/normalize/multiple.ts; `split:` and `leave_one_out:` narrow the model's sample
 * here, one model per value of the column. Their values come from the data (`ColumnValues`), so a spec that splits
 * is normalized after its data stage has been built (engine/run/pipeline.ts `check`).
 */
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import { isPlainObject } from '../load/merge.js';
import type { SamplePlan } from './plan.js';

/** The distinct values of a column of the built data, or undefined when there is no such column. */
export type ColumnValues = (column: string) => readonly (string | number)[] | undefined;

/** Distinct values of a column to split by are capped: a split on a continuous variable is a mistake. */
export const MAX_SPLIT_VALUES = 1000;

/** A model's `split:` or `leave_one_out:` as written. */
export interface SplitRequest {
  readonly by: 'split' | 'loo';
  /** The spec key (`split`, `leave_one_out`). */
  readonly key: 'split' | 'leave_one_out';
  readonly column: string;
  /** The values listed (`values:`), or null for every value of the column. */
  readonly values: readonly (string | number)[] | null;
}

/** The split requests of a raw model (malformed ones are the schema check's to report). */
export function splitRequests(m: Record<string, unknown>): SplitRequest[] {
  const out: SplitRequest[] = [];
  for (const [key, by] of [
    ['split', 'split'],
    ['leave_one_out', 'loo'],
  ] as const) {
    const v = m[key];
    if (typeof v === 'string' && v.trim() !== '') out.push({ by, key, column: v.trim(), values: null });
    else if (isPlainObject(v) && typeof v['by'] === 'string') {
      const values = Array.isArray(v['values'])
        ? (v['values'] as unknown[]).filter((x): x is string | number => typeof x === 'string' || typeof x === 'number')
        : null;
      out.push({ by, key, column: v['by'].trim(), values });
    }
  }
  return out;
}

/** True when any model of the raw spec splits or leaves one out (its normalization needs the data's values). */
export function specSplits(models: unknown): string[] {
  if (!isPlainObject(models)) return [];
  const cols = new Set<string>();
  for (const m of Object.values(models)) if (isPlainObject(m)) for (const r of splitRequests(m)) cols.add(r.column);
  return [...cols];
}

/** The id of an expanded model: `fe_all[lhs=y2,csw=2]`. */
export function expandedId(key: string, tags: readonly (readonly [string, string])[]): string {
  return tags.length === 0 ? key : `${key}[${tags.map(([k, v]) => `${k}=${v}`).join(',')}]`;
}

/** How a value is written in an expression: a number as is, a text quoted (null when it holds both quotes). */
export function literal(value: string | number): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return null;
}

/** A column name as an expression reads it (backticks around a name that is not a plain identifier). */
function columnRef(column: string): string {
  return /^[\p{L}_.][\p{L}\p{N}_.]*$/u.test(column) ? column : `\`${column}\``;
}

/** The sample of `base` narrowed to `column == value` (split) or to `column != value` (leave one out). */
export function narrowSample(
  base: SamplePlan | null,
  by: 'split' | 'loo',
  column: string,
  value: string | number,
  source: SourcePosition,
): SamplePlan {
  const lit = literal(value)!;
  const col = columnRef(column);
  // Leave one out keeps the rows where the column is missing: `not (col == v)` is missing there, so test it.
  const cond = by === 'split' ? `${col} == ${lit}` : `(is_na(${col}) or ${col} != ${lit})`;
  return {
    name: 'inline',
    expr: base ? `(${base.expr}) and ${cond}` : cond,
    narrowed: { by, column, value, base, source },
  };
}
