/**
 * `convert`: currency conversion by a rate column, value_it × rate_it × factor — e.g. FDI in 万美元 times the
 * yuan/dollar rate (元/美元) gives 万元. The rate is read per row, so a yearly rate repeated on every unit works.
 */
import { SpecrunError, type Note } from '../diagnostics/diagnostic.js';
import { TRANSFORM_DEFAULTS, type ConvertTransform, type NormalizedConvert } from './spec.js';
import type { Transform, TransformContext, TransformOutput } from './types.js';
import { missingRowsNote, nanColumn, numericInput } from './panel-utils.js';

export const convertTransform: Transform<ConvertTransform, NormalizedConvert> = {
  kind: 'convert',
  spec: { type: 'ConvertTransform', file: 'engine/transforms/spec.ts' },
  defaults: TRANSFORM_DEFAULTS.convert,
  inputs(spec) {
    return [spec.convert.value, spec.convert.rate];
  },

  compute(name: string, spec: NormalizedConvert, ctx: TransformContext): TransformOutput {
    const c = spec.convert;
    const factor = c.factor;
    if (!Number.isFinite(factor)) {
      throw new SpecrunError('TRANSFORM_BAD_PARAMETER', {
        name,
        detail: `factor must be a finite number, got ${factor}`,
        hint: 'give a number such as 0.0001',
      });
    }
    const value = numericInput(ctx, name, c.value);
    const rate = numericInput(ctx, name, c.rate);
    const out = nanColumn(ctx.frame.nrows);
    const noValue: number[] = [];
    const noRate: number[] = [];
    const badRate: number[] = [];
    for (let i = 0; i < out.length; i++) {
      const v = value[i]!;
      const r = rate[i]!;
      if (Number.isNaN(v)) noValue.push(i);
      else if (Number.isNaN(r)) noRate.push(i);
      else if (!(r > 0)) badRate.push(i);
      else out[i] = v * r * factor;
    }
    const notes: Note[] = [];
    notes.push(...missingRowsNote(ctx, name, noValue, `${c.value} missing`));
    notes.push(...missingRowsNote(ctx, name, noRate, `${c.rate} missing`));
    notes.push(...missingRowsNote(ctx, name, badRate, `${c.rate} is not positive`));
    return { columns: [[name, out]], notes };
  },
};
