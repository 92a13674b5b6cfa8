/**
 * The `ranksize` transform: the rank-size index of engine/estimate/ranksize as a column, so that a spec can derive
 * a group-structure dummy (`core`: the unit's group is polycentric) or a "central by rank-size" flag.
 *
 * For each row, from the fit of its group in its period (or, with `period`, in that fixed period for every row):
 *   q            the group's q (NaN when undefined)
 *   polycentric  1 when the group is not monocentric (q ≤ threshold), 0 when q > threshold, NaN when q is undefined
 *   centres      the group's number of centres by the drop-the-second-largest rule (NaN when undefined)
 *   central      1 when the unit is one of its group's centres — the `centres` largest units by size — else 0;
 *                ties in size at the cut are broken by unit label, then by row order. NaN when the group's centre
 *                count is undefined or the row's own size is missing or non-positive. With `period`, a unit's flag is
 *                its status in that period, carried to all its rows (NaN when the unit has no row in that period).
 *
 * Rows with a missing group or period get NaN. Reading a fixed `period` needs the data's time column, and `central`
 * with `period` also needs the unit column.
 */
import { groupCodes } from '../core/frame.js';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { rankSizeGrid } from '../numerics/rank-size/grid.js';
import { TRANSFORM_DEFAULTS, type NormalizedRankSize, type RankSizeTransform } from './spec.js';
import { unwrapped, type TransformContext, type TransformFunctions, type TransformOutput } from './types.js';

type Spec = RankSizeTransform['ranksize'];

export const rankSizeTransform: TransformFunctions<Spec, NormalizedRankSize> = {
  inputs(spec) {
    return [spec.size, spec.group];
  },

  compute(name, spec, ctx): TransformOutput {
    const threshold = spec.threshold;
    const size = ctx.frame.numeric(spec.size);
    const groupCol = ctx.frame.get(spec.group);
    if (!groupCol)
      throw new SpecrunError('DATA_MISSING_COLUMN', { name: spec.group, file: 'the data', suggestion: '' });
    const n = ctx.frame.nrows;
    const grid = rankSizeGrid({
      size,
      sizeName: spec.size,
      group: groupCol,
      time: ctx.time,
      threshold,
      intercept: spec.intercept,
    });
    const fixed = spec.period;
    if (fixed !== undefined && ctx.time === null) {
      throw new SpecrunError('SPEC_CONFLICT', {
        detail: `${name}: ranksize.period needs a time column`,
        hint: 'set data.time, or remove ranksize.period',
      });
    }
    if (fixed !== undefined && spec.output === 'central' && ctx.unit === null) {
      throw new SpecrunError('SPEC_CONFLICT', {
        detail: `${name}: ranksize.period with output central needs a unit column`,
        hint: 'set data.unit, or remove ranksize.period',
      });
    }

    // The cell each row reads: its own, or its group's cell in the fixed period.
    let cellOf = grid.cellOfRow;
    if (fixed !== undefined) {
      const codes = groupCodes(groupCol).codes;
      const cellOfGroupAtFixed = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        if (ctx.time![i] === fixed && grid.cellOfRow[i]! >= 0) cellOfGroupAtFixed.set(codes[i]!, grid.cellOfRow[i]!);
      }
      cellOf = new Int32Array(n);
      for (let i = 0; i < n; i++) cellOf[i] = codes[i]! < 0 ? -1 : (cellOfGroupAtFixed.get(codes[i]!) ?? -1);
    }

    const out = new Float64Array(n).fill(NaN);
    if (spec.output === 'central') {
      const flag = centralFlags(
        grid.cells.map((c) => c.centres),
        grid.cellOfRow,
        grid.ranked,
        size,
        ctx,
      );
      if (fixed === undefined) {
        out.set(flag);
      } else {
        const unit = ctx.unit!;
        const byUnit = new Map<number, number>();
        for (let i = 0; i < n; i++) if (ctx.time![i] === fixed && unit[i]! >= 0) byUnit.set(unit[i]!, flag[i]!);
        for (let i = 0; i < n; i++) out[i] = unit[i]! < 0 ? NaN : (byUnit.get(unit[i]!) ?? NaN);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const k = cellOf[i]!;
        if (k < 0) continue;
        const cell = grid.cells[k]!;
        if (spec.output === 'q') out[i] = cell.q ?? NaN;
        else if (spec.output === 'centres') out[i] = cell.centres ?? NaN;
        else out[i] = cell.q === null ? NaN : cell.q > threshold ? 0 : 1;
      }
    }
    return { columns: [[name, out]], notes: grid.notes };
  },
};

/** Per row: 1 when the row is among its cell's `centres` largest ranked units, 0 when not, NaN when unknown. */
function centralFlags(
  centresOfCell: readonly (number | null)[],
  cellOfRow: Int32Array,
  ranked: Uint8Array,
  size: Float64Array,
  ctx: TransformContext,
): Float64Array {
  const n = cellOfRow.length;
  const flag = new Float64Array(n).fill(NaN);
  const rowsOfCell: number[][] = centresOfCell.map(() => []);
  for (let i = 0; i < n; i++) if (cellOfRow[i]! >= 0 && ranked[i]) rowsOfCell[cellOfRow[i]!]!.push(i);
  const label = (i: number): string => {
    if (ctx.unit === null || ctx.unitLabels === null) return '';
    const u = ctx.unit[i]!;
    return u >= 0 ? (ctx.unitLabels[u] ?? '') : '';
  };
  rowsOfCell.forEach((rows, k) => {
    const centres = centresOfCell[k];
    if (centres === null || centres === undefined) return;
    rows.sort((a, b) => size[b]! - size[a]! || (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0) || a - b);
    rows.forEach((i, r) => {
      flag[i] = r < centres ? 1 : 0;
    });
  });
  return flag;
}

/** The registered module: `{ ranksize: {...} }`. */
export const rankSizeModule = unwrapped(
  'ranksize',
  { type: 'RankSizeTransform', file: 'engine/transforms/spec.ts' },
  TRANSFORM_DEFAULTS.ranksize,
  rankSizeTransform,
);
