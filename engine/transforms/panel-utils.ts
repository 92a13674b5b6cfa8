/**
 * Shared helpers of the panel transforms (pim, deflate, specialization, gap): rows of each unit in time order,
 * rows of each group-period cell, role columns, and short row descriptions for notes.
 */
import { groupCodes, isText, type Column } from '../core/frame.js';
import { note, SpecrunError, type Note } from '../diagnostics/diagnostic.js';
import type { TransformContext } from './types.js';

/** The unit and time arrays, or a TRANSFORM_NEEDS_PANEL error naming the transform. */
export function requirePanel(
  ctx: TransformContext,
  name: string,
  transform: string,
): { unit: Int32Array; time: Float64Array } {
  if (!ctx.unit || !ctx.time) throw new SpecrunError('TRANSFORM_NEEDS_PANEL', { name, transform });
  return { unit: ctx.unit, time: ctx.time };
}

/**
 * Row indices of each unit sorted by time (rows with a missing unit or time are left out), units in code order.
 * A counting sort by unit code, then a sort by time within each unit (a handful of periods): linear in the rows,
 * so the same code serves 1,560 city-years and ten million worker-years. The lists are views of one buffer.
 */
export function rowsByUnit(unit: Int32Array, time: Float64Array): Int32Array[] {
  let maxUnit = -1;
  for (let i = 0; i < unit.length; i++) if (unit[i]! > maxUnit) maxUnit = unit[i]!;
  const start = new Int32Array(maxUnit + 2);
  for (let i = 0; i < unit.length; i++) {
    const u = unit[i]!;
    if (u >= 0 && !Number.isNaN(time[i]!)) start[u + 1]!++;
  }
  for (let u = 0; u <= maxUnit; u++) start[u + 1]! += start[u]!;
  const order = new Int32Array(start[maxUnit + 1]!);
  const next = start.slice(0, maxUnit + 1);
  for (let i = 0; i < unit.length; i++) {
    const u = unit[i]!;
    if (u >= 0 && !Number.isNaN(time[i]!)) order[next[u]!++] = i;
  }
  const out: Int32Array[] = [];
  for (let u = 0; u <= maxUnit; u++) {
    if (start[u + 1] === start[u]) continue;
    const seg = order.subarray(start[u]!, start[u + 1]!);
    sortByTime(seg, time);
    out.push(seg);
  }
  return out;
}

/** Sort row indices by (time, row) in place: insertion sort for the usual short lists, a full sort otherwise. */
function sortByTime(seg: Int32Array, time: Float64Array): void {
  if (seg.length > 32) {
    const sorted = Array.from(seg).sort((a, b) => time[a]! - time[b]! || a - b);
    seg.set(sorted);
    return;
  }
  for (let k = 1; k < seg.length; k++) {
    const r = seg[k]!;
    const t = time[r]!;
    let j = k - 1;
    while (j >= 0 && (time[seg[j]!]! > t || (time[seg[j]!]! === t && seg[j]! > r))) {
      seg[j + 1] = seg[j]!;
      j--;
    }
    seg[j + 1] = r;
  }
}

/** One group × period cell: its rows, its group label and period. */
export interface Cell {
  readonly group: string;
  readonly period: number;
  readonly rows: Int32Array;
}

/**
 * Rows of each group × period cell, in row order within a cell, cells ordered by group code then period. `time`
 * null means one period (NaN). Rows with a missing group or period are returned in `ungrouped` so that the caller
 * can count them in its notes. A counting sort on (group, period index): linear in the rows.
 */
export function cellsByGroupPeriod(
  groupCol: Column,
  time: Float64Array | null,
): { cells: Cell[]; ungrouped: number[] } {
  const g = groupCodes(groupCol);
  const n = g.codes.length;
  const periods = time
    ? [...new Set(Array.from(time).filter((t) => !Number.isNaN(t)))].sort((a, b) => a - b)
    : [Number.NaN];
  const periodIndex = new Map<number, number>(periods.map((p, k) => [p, k]));
  const P = periods.length;
  const key = new Int32Array(n);
  const ungrouped: number[] = [];
  const start = new Int32Array(g.ngroups * P + 1);
  for (let i = 0; i < n; i++) {
    const code = g.codes[i]!;
    const t = time ? time[i]! : Number.NaN;
    if (code < 0 || (time && Number.isNaN(t))) {
      key[i] = -1;
      ungrouped.push(i);
      continue;
    }
    const k = code * P + (time ? periodIndex.get(t)! : 0);
    key[i] = k;
    start[k + 1]!++;
  }
  for (let k = 0; k < g.ngroups * P; k++) start[k + 1]! += start[k]!;
  const order = new Int32Array(start[g.ngroups * P]!);
  const next = start.slice(0, g.ngroups * P);
  for (let i = 0; i < n; i++) if (key[i]! >= 0) order[next[key[i]!]!++] = i;
  const cells: Cell[] = [];
  for (let k = 0; k < g.ngroups * P; k++) {
    if (start[k + 1] === start[k]) continue;
    cells.push({
      group: g.labels[Math.floor(k / P)]!,
      period: periods[k % P]!,
      rows: order.subarray(start[k]!, start[k + 1]!),
    });
  }
  return { cells, ungrouped };
}

/**
 * A 0/1 role column as an Int8Array: 1 reference, 0 other, -1 missing. Any other value is an error (a role column
 * holding, say, 2 would silently change which units are central).
 */
export function roleFlags(ctx: TransformContext, name: string, column: string): Int8Array {
  const col = ctx.frame.get(column);
  if (!col)
    throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
      name,
      detail: `no column ${column}`,
      hint: 'name an existing 0/1 column',
    });
  if (isText(col)) {
    throw new SpecrunError('TRANSFORM_BAD_ROLE', { name, column, row: 1, value: col.levels[col.codes[0]!] ?? '' });
  }
  const out = new Int8Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col[i]!;
    if (Number.isNaN(v)) out[i] = -1;
    else if (v === 0 || v === 1) out[i] = v;
    else throw new SpecrunError('TRANSFORM_BAD_ROLE', { name, column, row: i + 1, value: v });
  }
  return out;
}

/** A numeric input column, or a TRANSFORM_BAD_PARAMETER error when it is absent or text. */
export function numericInput(ctx: TransformContext, name: string, column: string): Float64Array {
  const col = ctx.frame.get(column);
  if (!col)
    throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
      name,
      detail: `no column ${column}`,
      hint: 'name an existing numeric column or derived variable',
    });
  if (isText(col))
    throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
      name,
      detail: `column ${column} is text`,
      hint: 'the transform needs a numeric column',
    });
  return col;
}

/** "北京市 2010, 天津市 2011, … (+3 more)": the first few rows of a problem, for a note. */
export function describeRows(ctx: TransformContext, rows: readonly number[], max = 3): string {
  const parts: string[] = [];
  for (const i of rows.slice(0, max)) {
    const u = ctx.unit && ctx.unitLabels && ctx.unit[i]! >= 0 ? ctx.unitLabels[ctx.unit[i]!] : `row ${i + 1}`;
    const t = ctx.time ? ` ${ctx.time[i]}` : '';
    parts.push(`${u}${t}`);
  }
  if (rows.length > max) parts.push(`+${rows.length - max} more`);
  return parts.join(', ');
}

/**
 * The DATA_VALUE_MISSING note of a transform's rows left missing, "REASON: 北京市 2010, …" (none when no row): the
 * count and the first few rows, as every transform reports them.
 */
export function missingRowsNote(ctx: TransformContext, name: string, rows: readonly number[], reason: string): Note[] {
  if (rows.length === 0) return [];
  return [note('DATA_VALUE_MISSING', { name, count: rows.length, reason: `${reason}: ${describeRows(ctx, rows)}` })];
}

/** "京津冀 2010, 长三角 2011, …": the first few cells of a problem, for a note. */
export function describeCells(cells: readonly Cell[], max = 3): string {
  const parts = cells.slice(0, max).map((c) => (Number.isNaN(c.period) ? c.group : `${c.group} ${c.period}`));
  if (cells.length > max) parts.push(`+${cells.length - max} more`);
  return parts.join(', ');
}

/** A new column of NaN. */
export function nanColumn(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

// ---- price levels from a fixed-base or chained index (used by deflate and pim) ----------------------------------

/**
 * Price levels relative to a base period, P_t (P_base = 1), from a price index column of either kind:
 *
 * - fixed-base index I_t (any base, any scale): P_t = I_t / I_base, the unit's own index at the base period;
 * - chained index c_t (the change on the previous period, `scale` = no change, e.g. 100):
 *   P_t = P_{t−1} · c_t / scale forward from the base, P_{t−1} = P_t · scale / c_t backward from it.
 *
 * Chaining runs over a unit's rows in time order; a missing index or a gap in the periods (a step longer than the
 * panel's smallest step) breaks the chain, and every period on the far side of the break from the base is unknown
 * (NaN) — never silently bridged.
 */
export type IndexType = 'fixed' | 'chained';

export interface PriceLevels {
  /** P_t per row, NaN where it cannot be computed. */
  readonly level: Float64Array;
  /** Rows whose level is unknown because the unit has no usable index at the base period. */
  readonly noBase: number[];
  /** Rows whose level is unknown because the index is missing there or the chain to the base is broken. */
  readonly broken: number[];
}

/** The smallest positive step between consecutive periods of any unit (1 for yearly data). */
export function panelStep(units: readonly Int32Array[], time: Float64Array): number {
  let step = Infinity;
  for (const rows of units) {
    for (let k = 1; k < rows.length; k++) {
      const d = time[rows[k]!]! - time[rows[k - 1]!]!;
      if (d > 0 && d < step) step = d;
    }
  }
  return Number.isFinite(step) ? step : 1;
}

export function priceLevels(
  index: Float64Array,
  units: readonly Int32Array[],
  time: Float64Array,
  base: number,
  type: IndexType,
  scale: number,
): PriceLevels {
  const level = new Float64Array(index.length).fill(Number.NaN);
  const noBase: number[] = [];
  const broken: number[] = [];
  const step = panelStep(units, time);
  for (const rows of units) {
    let b = -1;
    for (let k = 0; k < rows.length; k++) if (time[rows[k]!] === base) b = k;
    if (type === 'fixed') {
      const ib = b >= 0 ? index[rows[b]!]! : Number.NaN;
      if (!(ib > 0)) {
        for (const i of rows) noBase.push(i);
        continue;
      }
      for (const i of rows) {
        const v = index[i]!;
        if (v > 0) level[i] = v / ib;
        else broken.push(i);
      }
      continue;
    }
    if (b < 0) {
      for (const i of rows) noBase.push(i);
      continue;
    }
    level[rows[b]!] = 1;
    // Forward: the index of period k links it to period k − 1.
    let ok = true;
    for (let k = b + 1; k < rows.length; k++) {
      const i = rows[k]!;
      const c = index[i]!;
      const contiguous = time[i]! - time[rows[k - 1]!]! <= step;
      ok = ok && c > 0 && contiguous;
      if (ok) level[i] = (level[rows[k - 1]!]! * c) / scale;
      else broken.push(i);
    }
    // Backward: the index of period k + 1 links period k to it.
    ok = true;
    for (let k = b - 1; k >= 0; k--) {
      const next = rows[k + 1]!;
      const c = index[next]!;
      const contiguous = time[next]! - time[rows[k]!]! <= step;
      ok = ok && c > 0 && contiguous;
      if (ok) level[rows[k]!] = (level[next]! * scale) / c;
      else broken.push(rows[k]!);
    }
  }
  return { level, noBase, broken };
}

/** The first period of the panel (the default base). */
export function firstPeriod(time: Float64Array): number {
  let m = Infinity;
  for (const t of time) if (t < m) m = t;
  return m;
}
