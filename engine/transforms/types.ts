/**
 * The transform contract: a derived variable computed by a named procedure (pim, sbm, gap, ...). Pure: it reads
 * columns of the frame and returns new columns, never modifies its input.
 */
import type { Column, Frame } from '../data/frame.js';
import type { Note } from '../diagnostics/diagnostic.js';

export interface TransformContext {
  readonly frame: Frame;
  /** Panel unit codes per row, or null without a unit column. */
  readonly unit: Int32Array | null;
  /** Panel period per row, or null without a time column. */
  readonly time: Float64Array | null;
  /** Label of each unit code (`unit[i]` indexes it), or null without a unit column. */
  readonly unitLabels: readonly string[] | null;
}

export interface TransformOutput {
  /** The variable itself first (named as the variable), then any extra columns (`NAME_slack_x`). */
  readonly columns: readonly (readonly [string, Column])[];
  readonly notes: readonly Note[];
}

export interface Transform<S> {
  /** The columns the transform reads (for dependency order and validation). */
  inputs(spec: S): string[];
  compute(name: string, spec: S, ctx: TransformContext): TransformOutput;
}
