/**
 * `specialization`: the division-of-labour index of Song & Li (after Qi et al. 2018), per group (agglomeration)
 * and period. With L_s, L_m a unit's employment summed over the `services` and `manufacturing` columns, and
 * L_S, L_M the same sums over every unit of its group in the same period (the unit itself included):
 *
 *   reference (central) unit:  div = (L_s / L_m) / (L_S / L_M)      — services relatively concentrated here
 *   other unit:                div = (L_m / L_s) / (L_M / L_S)      — manufacturing relatively concentrated here
 *
 * The two forms point the same way (a higher value is more division of labour), so one coefficient reads for both.
 *
 * Missing and bad inputs, each counted in the notes: a unit with a missing sector cell gets NaN and is left out of
 * its group's totals; a negative cell is treated the same way with a warning; a unit whose L_s or L_m is zero gets
 * NaN (the ratio is undefined) but still counts in the totals; a group-period whose L_S or L_M is zero is NaN
 * throughout; a unit with a missing role gets NaN. A role value other than 0/1 is an error.
 */
import { note, SpecrunError, type Note } from '../diagnostics/diagnostic.js';
import type { SpecializationTransform } from './spec.js';
import type { Transform, TransformContext, TransformOutput } from './types.js';
import {
  cellsByGroupPeriod,
  describeCells,
  describeRows,
  nanColumn,
  numericInput,
  roleFlags,
  type Cell,
  missingRowsNote,
} from './panel-utils.js';

export const specializationTransform: Transform<SpecializationTransform> = {
  kind: 'specialization',
  spec: { type: 'SpecializationTransform', file: 'engine/transforms/spec.ts' },
  defaults: {},
  inputs(spec) {
    const s = spec.specialization;
    return [s.group, s.role, ...s.services, ...s.manufacturing];
  },

  compute(name: string, spec: SpecializationTransform, ctx: TransformContext): TransformOutput {
    const s = spec.specialization;
    if (s.services.length === 0 || s.manufacturing.length === 0) {
      throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
        name,
        detail: 'services and manufacturing each need at least one column',
        hint: 'list the sector employment columns of each kind',
      });
    }
    const groupCol = ctx.frame.get(s.group);
    if (!groupCol)
      throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
        name,
        detail: `no column ${s.group}`,
        hint: 'group names a column such as the agglomeration',
      });
    const role = roleFlags(ctx, name, s.role);
    const n = ctx.frame.nrows;
    const sumOf = (cols: string[]) => {
      const data = cols.map((c) => numericInput(ctx, name, c));
      const out = new Float64Array(n);
      const negative = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (const d of data) {
          const v = d[i]!;
          if (v < 0) negative[i] = 1;
          t += v; // NaN propagates: a missing sector makes the unit's sum missing
        }
        out[i] = t;
      }
      return { sum: out, negative };
    };
    const services = sumOf(s.services);
    const manuf = sumOf(s.manufacturing);

    const div = nanColumn(n);
    const incomplete: number[] = [];
    const negative: number[] = [];
    const zeroServices: number[] = [];
    const zeroManuf: number[] = [];
    const noRole: number[] = [];
    const incompleteCells: Cell[] = [];
    const zeroCells: Cell[] = [];
    let zeroCellRows = 0;

    const { cells, ungrouped } = cellsByGroupPeriod(groupCol, ctx.time);
    for (const cell of cells) {
      let LS = 0;
      let LM = 0;
      let left = 0;
      for (const i of cell.rows) {
        const ls = services.sum[i]!;
        const lm = manuf.sum[i]!;
        if (services.negative[i] || manuf.negative[i]) {
          negative.push(i);
          left++;
          continue;
        }
        if (Number.isNaN(ls) || Number.isNaN(lm)) {
          incomplete.push(i);
          left++;
          continue;
        }
        LS += ls;
        LM += lm;
      }
      if (left > 0) incompleteCells.push(cell);
      if (!(LS > 0 && LM > 0)) {
        zeroCells.push(cell);
        zeroCellRows += cell.rows.length;
        continue;
      }
      for (const i of cell.rows) {
        const ls = services.sum[i]!;
        const lm = manuf.sum[i]!;
        if (services.negative[i] || manuf.negative[i] || Number.isNaN(ls) || Number.isNaN(lm)) continue;
        if (role[i] === -1) {
          noRole.push(i);
          continue;
        }
        if (ls === 0) {
          zeroServices.push(i);
          continue;
        }
        if (lm === 0) {
          zeroManuf.push(i);
          continue;
        }
        div[i] = role[i] === 1 ? ls / lm / (LS / LM) : lm / ls / (LM / LS);
      }
    }

    const notes: Note[] = [];
    notes.push(...missingRowsNote(ctx, name, incomplete, `a sector employment cell is missing`));
    if (negative.length) {
      notes.push(
        note('TRANSFORM_NEGATIVE_INPUT', {
          name,
          column: 'a sector employment column',
          count: negative.length,
          where: describeRows(ctx, negative),
          detail: 'the index is set missing there and the unit is left out of its group totals',
        }),
      );
    }
    if (incompleteCells.length) {
      notes.push(
        note('TRANSFORM_INCOMPLETE_GROUP', {
          name,
          count: incompleteCells.length,
          units: incomplete.length + negative.length,
          where: describeCells(incompleteCells),
        }),
      );
    }
    if (zeroServices.length)
      notes.push(
        note('TRANSFORM_ZERO_EMPLOYMENT', {
          name,
          kind: 'services',
          count: zeroServices.length,
          where: describeRows(ctx, zeroServices),
        }),
      );
    if (zeroManuf.length)
      notes.push(
        note('TRANSFORM_ZERO_EMPLOYMENT', {
          name,
          kind: 'manufacturing',
          count: zeroManuf.length,
          where: describeRows(ctx, zeroManuf),
        }),
      );
    if (zeroCells.length) {
      notes.push(
        note('TRANSFORM_ZERO_EMPLOYMENT', {
          name,
          kind: 'group-total',
          count: zeroCellRows,
          where: describeCells(zeroCells),
        }),
      );
    }
    notes.push(...missingRowsNote(ctx, name, noRole, `${s.role} missing`));
    notes.push(...missingRowsNote(ctx, name, ungrouped, `${s.group} or the period missing`));
    return { columns: [[name, div]], notes };
  },
};
