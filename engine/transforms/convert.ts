/**
 * `convert`: currency conversion by a rate column, value_it × rate_it × factor — e.g. FDI in 万美元 times the
 * yuan/dollar rate (元/美元) gives 万元. The rate is read per row, so a yearly rate repeated on every unit works.
 */
import { note, SpecrunError, type Note } from '../diagnostics/diagnostic.js';
import { TRANSFORM_DEFAULTS, type ConvertTransform, type NormalizedConvert } from './spec.js';
import type { Transform, TransformContext, TransformOutput } from './types.js';
import { describeRows, nanColumn, numericInput } from './panel-utils.js';

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
    if (noValue.length)
      notes.push(
        note('DATA_VALUE_MISSING', {
          name,
          count: noValue.length,
          reason: `${c.value} missing: ${describeRows(ctx, noValue)}`,
        }),
      );
    if (noRate.length)
      notes.push(
        note('DATA_VALUE_MISSING', {
          name,
          count: noRate.length,
          reason: `${c.rate} missing: ${describeRows(ctx, noRate)}`,
        }),
      );
    if (badRate.length)
      notes.push(
        note('DATA_VALUE_MISSING', {
          name,
          count: badRate.length,
          reason: `${c.rate} is not positive: ${describeRows(ctx, badRate)}`,
        }),
      );
    return { columns: [[name, out]], notes };
  },
};
