/**
 * The design matrix of a linear model's right-hand terms, as named numeric columns with fixest's coefficient names:
 *
 *   x, lag(x,1)                 the column itself
 *   x:z                         the product of its parts                       → `x:z`
 *   i(f) / i(f, ref = v)        1{f = ℓ} for every level ℓ but the reference   → `f::ℓ`
 *   i(period, treat, ref = −1)  1{period = ℓ} · treat                           → `period::ℓ:treat`
 *   sunab(cohort, period)       1{cohort = c} · 1{period − c = r}              → `period::r:cohort::c`
 *
 * Levels are sorted (numbers ascending, texts by code point); a row where the factor (or `treat`) is missing is
 * missing in every dummy, so the model drops it. `i(f)` without `ref` leaves out the first level; `i(f, x)`
 * without `ref` keeps every level (as fixest, where the interaction is not collinear with the constant).
 * sunab follows fixest 0.12's sunab(): cohorts that are never treated (a cohort value that is not a period of the
 * data), and cohorts whose relative periods are all negative or all non-negative in the data, are the reference;
 * relative period −1 (ref.p) is left out. The per-cohort coefficients are aggregated afterwards (sunab.ts).
 */
import { isText, type Column, type Frame } from '../../core/frame.js';
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { FactorTerm, RhsTerm, SunabTerm } from '../../normalize/plan.js';

export interface DesignColumn {
  readonly name: string;
  readonly values: Float64Array;
}

/** Where the cohort × relative-period columns of a sunab() term are, for the aggregation after the fit. */
export interface SunabLayout {
  readonly period: string;
  /** Per sunab column (by name): its relative period. */
  readonly relative: ReadonlyMap<string, number>;
  /** The relative periods in ascending order (the aggregated coefficients `period::r`), reference included. */
  readonly periods: readonly number[];
  readonly refPeriod: readonly number[];
}

export interface Design {
  readonly columns: readonly DesignColumn[];
  readonly sunab: SunabLayout | null;
  readonly notes: readonly Note[];
}

export interface DesignContext {
  readonly model: string;
  /** Panel unit codes per row (for the sunab check that a cohort is constant within unit), or null. */
  readonly unit: Int32Array | null;
  /** Unit labels, for messages. */
  readonly unitLabel?: (code: number) => string;
}

export function expandDesign(terms: readonly RhsTerm[], frame: Frame, ctx: DesignContext): Design {
  const columns: DesignColumn[] = [];
  const notes: Note[] = [];
  let sunab: SunabLayout | null = null;
  for (const t of terms) {
    switch (t.kind) {
      case undefined:
      case 'var':
        columns.push({ name: t.name, values: numeric(frame, t.name, ctx.model) });
        break;
      case 'product': {
        const parts = t.parts.map((p) => numeric(frame, p.name, ctx.model));
        const n = frame.nrows;
        const v = new Float64Array(n).fill(1);
        for (const p of parts) for (let i = 0; i < n; i++) v[i] = v[i]! * p[i]!;
        columns.push({ name: t.name, values: v });
        break;
      }
      case 'i':
        columns.push(...factorDummies(t, frame, ctx, notes));
        break;
      case 'sunab': {
        if (sunab)
          throw new SpecrunError('ESTIMATION_FAILED', {
            model: ctx.model,
            detail: 'a formula may hold one sunab() term',
            hint: 'remove the second sunab()',
          });
        const s = sunabDummies(t, frame, ctx, notes);
        columns.push(...s.columns);
        sunab = s.layout;
        break;
      }
    }
  }
  return { columns, sunab, notes };
}

/** A factor's levels: per row a level index (−1 missing), and the sorted labels. */
interface Levels {
  readonly index: Int32Array;
  readonly labels: readonly string[];
  /** The numeric value of each level (NaN for text levels). */
  readonly values: readonly number[];
}

/** R's as.character of a number for the usual cases (integers, short decimals). */
export function levelLabel(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}

function levelsOf(col: Column): Levels {
  const n = isText(col) ? col.codes.length : col.length;
  const index = new Int32Array(n).fill(-1);
  if (isText(col)) {
    const used = new Set<number>();
    for (let i = 0; i < n; i++) if (col.codes[i]! >= 0) used.add(col.codes[i]!);
    const order = [...used].sort((a, b) =>
      col.levels[a]! < col.levels[b]! ? -1 : col.levels[a]! > col.levels[b]! ? 1 : 0,
    );
    const map = new Map(order.map((c, k) => [c, k]));
    for (let i = 0; i < n; i++) {
      const c = col.codes[i]!;
      if (c >= 0) index[i] = map.get(c)!;
    }
    return { index, labels: order.map((c) => col.levels[c]!), values: order.map(() => NaN) };
  }
  const set = new Set<number>();
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v === v) set.add(v);
  }
  const values = [...set].sort((a, b) => a - b);
  const map = new Map(values.map((v, k) => [v, k]));
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v === v) index[i] = map.get(v)!;
  }
  return { index, labels: values.map(levelLabel), values };
}

function matchesRef(levels: Levels, k: number, ref: number | string): boolean {
  if (typeof ref === 'number') return levels.values[k] === ref || levels.labels[k] === levelLabel(ref);
  return levels.labels[k] === ref;
}

function factorDummies(t: FactorTerm, frame: Frame, ctx: DesignContext, notes: Note[]): DesignColumn[] {
  const col = frame.get(t.factor);
  if (!col) throw missingColumn(ctx.model, t.factor);
  const lv = levelsOf(col);
  const w = t.with ? numeric(frame, t.with.name, ctx.model) : null;
  const drop = new Set<number>();
  if (t.ref) {
    for (const r of t.ref) {
      let found = false;
      for (let k = 0; k < lv.labels.length; k++)
        if (matchesRef(lv, k, r)) {
          drop.add(k);
          found = true;
        }
      if (!found) {
        notes.push(
          note('FACTOR_REF_UNKNOWN', { term: t.name, value: String(r), factor: t.factor, levels: preview(lv.labels) }),
        );
      }
    }
  } else if (!w && lv.labels.length > 0) drop.add(0);
  const n = frame.nrows;
  const out: DesignColumn[] = [];
  for (let k = 0; k < lv.labels.length; k++) {
    if (drop.has(k)) continue;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const l = lv.index[i]!;
      if (l < 0) {
        v[i] = NaN;
        continue;
      }
      v[i] = l === k ? (w ? w[i]! : 1) : w && w[i] !== w[i] ? NaN : 0;
    }
    out.push({ name: `${t.factor}::${lv.labels[k]}${t.with ? `:${t.with.name}` : ''}`, values: v });
  }
  return out;
}

function sunabDummies(
  t: SunabTerm,
  frame: Frame,
  ctx: DesignContext,
  notes: Note[],
): { columns: DesignColumn[]; layout: SunabLayout } {
  const cohort = numeric(frame, t.cohort, ctx.model);
  const period = numeric(frame, t.period, ctx.model);
  const n = frame.nrows;
  // 1. the cohort must be a property of the unit
  if (ctx.unit) {
    const first = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const u = ctx.unit[i]!,
        c = cohort[i]!;
      if (u < 0 || c !== c) continue;
      const f = first.get(u);
      if (f === undefined) first.set(u, c);
      else if (f !== c) {
        throw new SpecrunError('SUNAB_COHORT_VARIES', {
          model: ctx.model,
          cohort: t.cohort,
          unit: ctx.unitLabel ? ctx.unitLabel(u) : String(u),
          values: `${levelLabel(f)} and ${levelLabel(c)}`,
        });
      }
    }
  }
  // 2. relative periods; never-treated cohorts (not a period of the data) get −1, as in fixest
  const periods = new Set<number>();
  for (let i = 0; i < n; i++) if (period[i] === period[i] && cohort[i] === cohort[i]) periods.add(period[i]!);
  const rel = new Float64Array(n).fill(NaN);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = cohort[i]!,
      p = period[i]!;
    if (c !== c || p !== p) continue;
    if (!periods.has(c)) {
      rel[i] = -1;
      controls++;
    } else rel[i] = p - c;
  }
  if (controls === 0) notes.push(note('SUNAB_NO_CONTROL', { model: ctx.model, cohort: t.cohort, period: t.period }));
  // 3. reference cohorts: relative periods all negative or all non-negative
  const sign = new Map<number, number>(); // bit 1: a negative period seen, bit 2: a non-negative one
  for (let i = 0; i < n; i++) {
    const r = rel[i]!;
    if (r !== r) continue;
    sign.set(cohort[i]!, (sign.get(cohort[i]!) ?? 0) | (r < 0 ? 1 : 2));
  }
  const refs = new Set<number>();
  for (const [c, s] of sign) if (s !== 3) refs.add(c);
  const refP = new Set(t.refPeriod);
  // 4. one dummy per observed (relative period, cohort) pair
  const cells = new Map<string, { r: number; c: number; rows: number[] }>();
  for (let i = 0; i < n; i++) {
    const r = rel[i]!,
      c = cohort[i]!;
    if (r !== r || refs.has(c) || refP.has(r)) continue;
    const key = `${r}|${c}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { r, c, rows: [] };
      cells.set(key, cell);
    }
    cell.rows.push(i);
  }
  const ordered = [...cells.values()].sort((a, b) => a.r - b.r || a.c - b.c);
  const relative = new Map<string, number>();
  const columns: DesignColumn[] = [];
  for (const cell of ordered) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) if (rel[i] !== rel[i]) v[i] = NaN;
    for (const i of cell.rows) v[i] = 1;
    const name = `${t.period}::${levelLabel(cell.r)}:cohort::${levelLabel(cell.c)}`;
    relative.set(name, cell.r);
    columns.push({ name, values: v });
  }
  const allPeriods = [...new Set([...ordered.map((c) => c.r), ...t.refPeriod])].sort((a, b) => a - b);
  return { columns, layout: { period: t.period, relative, periods: allPeriods, refPeriod: t.refPeriod } };
}

function preview(labels: readonly string[]): string {
  return labels.length <= 8 ? labels.join(', ') : `${labels.slice(0, 8).join(', ')}, … (${labels.length})`;
}

function numeric(frame: Frame, name: string, model: string): Float64Array {
  const c = frame.get(name);
  if (!c) throw missingColumn(model, name);
  if (!(c instanceof Float64Array)) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `${name} is a text column and cannot be a regressor`,
      hint: 'use i(f) for a categorical variable, or put it after | as a fixed effect',
    });
  }
  return c;
}

function missingColumn(model: string, name: string): SpecrunError {
  return new SpecrunError('ESTIMATION_FAILED', {
    model,
    detail: `no column ${name} in the data given to the estimator`,
    hint: 'this is a bug in specrun: the column should have been built before estimation',
  });
}
