/**
 * `gap`: a unit's distance to the reference units of its group in the same period — the paper's disparity, a
 * non-central city's green TFP against its agglomeration's central city (the mean of the central cities where there
 * are several):
 *
 *   reference_minus_unit (default):  gap_it = mean_{j ∈ R(g,t)} value_jt − value_it
 *   unit_minus_reference:            gap_it = value_it − mean_{j ∈ R(g,t)} value_jt
 *
 * R(g,t) are the rows of group g in period t whose reference column is 1. Reference units get a gap too (0 in a
 * group with one reference unit). Bad input, each counted in the notes: a group-period with no reference unit is
 * missing throughout (a warning: a whole group without a centre is almost always a data error); a reference unit
 * without a value makes the group-period missing (`missing_reference: na`, the default) or is skipped (`skip`);
 * a unit without a value, a group or a role is missing. A role value other than 0/1 is an error.
 */
import { note, SpecrunError, type Note } from '../diagnostics/diagnostic.js';
import { TRANSFORM_DEFAULTS, type GapTransform, type NormalizedGap } from './spec.js';
import type { Transform, TransformContext, TransformOutput } from './types.js';
import {
  cellsByGroupPeriod,
  describeCells,
  nanColumn,
  numericInput,
  roleFlags,
  type Cell,
  missingRowsNote,
} from './panel-utils.js';

export const gapTransform: Transform<GapTransform, NormalizedGap> = {
  kind: 'gap',
  spec: { type: 'GapTransform', file: 'engine/transforms/spec.ts' },
  defaults: TRANSFORM_DEFAULTS.gap,
  inputs(spec) {
    return [spec.gap.value, spec.gap.group, spec.gap.reference];
  },

  compute(name: string, spec: NormalizedGap, ctx: TransformContext): TransformOutput {
    const g = spec.gap;
    const sign = g.sign;
    if (sign !== 'reference_minus_unit' && sign !== 'unit_minus_reference') {
      throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
        name,
        detail: `unknown sign ${String(sign)}`,
        hint: 'use reference_minus_unit or unit_minus_reference',
      });
    }
    const policy = g.missing_reference;
    const value = numericInput(ctx, name, g.value);
    const groupCol = ctx.frame.get(g.group);
    if (!groupCol)
      throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
        name,
        detail: `no column ${g.group}`,
        hint: 'group names a column such as the agglomeration',
      });
    const ref = roleFlags(ctx, name, g.reference);

    const out = nanColumn(ctx.frame.nrows);
    const noRefCells: Cell[] = [];
    let noRefRows = 0;
    const refMissingCells: Cell[] = [];
    let refMissingRows = 0;
    let skippedRefs = 0;
    const noValue: number[] = [];
    const noRole: number[] = [];

    const { cells, ungrouped } = cellsByGroupPeriod(groupCol, ctx.time);
    for (const cell of cells) {
      let sum = 0;
      let count = 0;
      let refs = 0;
      for (const i of cell.rows) {
        if (ref[i] !== 1) continue;
        refs++;
        const v = value[i]!;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      if (refs === 0) {
        noRefCells.push(cell);
        noRefRows += cell.rows.length;
        continue;
      }
      if (count < refs) {
        refMissingCells.push(cell);
        if (policy === 'na' || count === 0) {
          refMissingRows += cell.rows.length;
          continue;
        }
        skippedRefs += refs - count;
      }
      const mean = sum / count;
      for (const i of cell.rows) {
        const v = value[i]!;
        if (Number.isNaN(v)) {
          noValue.push(i);
          continue;
        }
        if (ref[i] === -1) {
          noRole.push(i);
          continue;
        }
        out[i] = sign === 'reference_minus_unit' ? mean - v : v - mean;
      }
    }

    const notes: Note[] = [];
    if (noRefCells.length) {
      notes.push(
        note('TRANSFORM_NO_REFERENCE', {
          name,
          groups: noRefCells.length,
          where: describeCells(noRefCells),
          count: noRefRows,
        }),
      );
    }
    if (refMissingCells.length) {
      if (refMissingRows > 0) {
        notes.push(
          note('TRANSFORM_REFERENCE_MISSING', {
            name,
            groups: refMissingCells.length,
            where: describeCells(refMissingCells),
            count: refMissingRows,
            // Under `skip` only the group-periods where no reference unit has a value remain missing: recommending
            // `skip` again would mislead (issue 14).
            hint:
              policy === 'skip'
                ? `no reference unit of these group-periods has a ${g.value}; fill ${g.value} for one of them (data.fixes) or leave the rows missing`
                : 'set missing_reference: skip to average the reference units that have a value',
          }),
        );
      } else {
        notes.push(
          note('DATA_VALUE_MISSING', {
            name,
            count: skippedRefs,
            reason: `reference unit(s) without ${g.value} skipped in the reference mean of ${refMissingCells.length} group-period(s): ${describeCells(refMissingCells)}`,
          }),
        );
      }
    }
    notes.push(...missingRowsNote(ctx, name, noValue, `${g.value} missing`));
    notes.push(...missingRowsNote(ctx, name, noRole, `${g.reference} missing`));
    notes.push(...missingRowsNote(ctx, name, ungrouped, `${g.group} or the period missing`));
    return { columns: [[name, out]], notes };
  },
};
