/**
 * `deflate`: nominal → real at a base period.
 *
 *   real_it = value_it · rate_it / P_it,   P_it = price level of unit i at t relative to the base period (= 1 there)
 *
 * P comes from a fixed-base index (I_it / I_i,base) or a chained one (products of c/scale from the base), see
 * `priceLevels`. Each unit is deflated by its own index, so a provincial or city deflator works as well as a
 * national one repeated on every row. Rows left missing are counted in the notes by reason.
 */
import { SpecrunError, type Note } from '../diagnostics/diagnostic.js';
import { TRANSFORM_DEFAULTS, type DeflateTransform, type NormalizedDeflate } from './spec.js';
import type { Transform, TransformContext, TransformOutput } from './types.js';
import {
  firstPeriod,
  nanColumn,
  numericInput,
  priceLevels,
  requirePanel,
  rowsByUnit,
  missingRowsNote,
} from './panel-utils.js';

export const deflateTransform: Transform<DeflateTransform, NormalizedDeflate> = {
  kind: 'deflate',
  spec: { type: 'DeflateTransform', file: 'engine/transforms/spec.ts' },
  defaults: TRANSFORM_DEFAULTS.deflate,
  inputs(spec) {
    const d = spec.deflate;
    return d.rate ? [d.value, d.index, d.rate] : [d.value, d.index];
  },

  compute(name: string, spec: NormalizedDeflate, ctx: TransformContext): TransformOutput {
    const d = spec.deflate;
    const { unit, time } = requirePanel(ctx, name, 'deflate');
    const value = numericInput(ctx, name, d.value);
    const index = numericInput(ctx, name, d.index);
    const rate = d.rate ? numericInput(ctx, name, d.rate) : null;
    const scale = d.index_scale;
    if (!(scale > 0)) {
      throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
        name,
        detail: `index_scale must be positive, got ${scale}`,
        hint: 'use 100 for an index with previous period = 100, 1 for ratios',
      });
    }
    const base = d.base ?? firstPeriod(time);
    const units = rowsByUnit(unit, time);
    const levels = priceLevels(index, units, time, base, d.index_type, scale);

    const out = nanColumn(ctx.frame.nrows);
    const missingValue: number[] = [];
    for (let i = 0; i < out.length; i++) {
      const v = value[i]! * (rate ? rate[i]! : 1);
      if (Number.isNaN(v)) {
        missingValue.push(i);
        continue;
      }
      const p = levels.level[i]!;
      if (!Number.isNaN(p)) out[i] = v / p;
    }
    const what = d.rate ? `${d.value} or ${d.rate}` : d.value;
    return { columns: [[name, out]], notes: levelNotes(name, ctx, levels, base, what, missingValue) };
  },
};

/** Notes shared by deflate and pim: rows lost to a missing value, to a missing base, to a broken chain. */
export function levelNotes(
  name: string,
  ctx: TransformContext,
  levels: { noBase: number[]; broken: number[] },
  base: number,
  valueColumn: string,
  missingValue: number[],
): Note[] {
  const notes: Note[] = [];
  notes.push(...missingRowsNote(ctx, name, missingValue, `${valueColumn} missing`));
  notes.push(...missingRowsNote(ctx, name, levels.noBase, `no price index at the base period ${base}`));
  notes.push(...missingRowsNote(ctx, name, levels.broken, `price index missing or chain to the base broken`));
  return notes;
}
