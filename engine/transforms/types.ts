/**
 * The transform contract: a derived variable computed by a named procedure (pim, sbm, gap, ...), written as a
 * single-key mapping (`{ pim: {...} }`). One module per kind owns its user-tier spec type (from which the schema is
 * generated), the columns it reads, the extra columns it writes, and the computation. Every stage reaches a transform
 * only through the registry (engine/transforms/registry.ts). Pure: it reads columns of the frame and returns new
 * columns, never modifies its input.
 */
import type { Column, Frame } from '../core/frame.js';
import type { Note } from '../diagnostics/diagnostic.js';
import type { SpecType } from '../spec/module-spec.js';

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

/** The computation of a transform, written against the variable `S` (`{ pim: {...} }`) or its inner options. */
export interface TransformFunctions<S> {
  /** The columns the transform reads, from its spec alone (for dependency order and validation before any data). */
  inputs(spec: S): string[];
  compute(name: string, spec: S, ctx: TransformContext): TransformOutput;
}

/** A registered transform module; `V` is the whole variable (`{ pim: {...} }`). */
export interface Transform<V = Record<string, unknown>> extends TransformFunctions<V> {
  /** The single key that selects it (`pim`). */
  readonly kind: string;
  /** Its user-tier spec type (the whole variable, `PimTransform`). */
  readonly spec: SpecType;
  /** Columns written besides the variable itself (`NAME_slack_x`), which later variables may read; [] when none. */
  outputs?(name: string, spec: V): string[];
}

/** Make a module of functions written against the inner options (`{ size, group }` of `{ ranksize: … }`). */
export function unwrapped<K extends string, S>(
  kind: K,
  spec: SpecType,
  t: TransformFunctions<S>,
  outputs?: (name: string, spec: S) => string[],
): Transform<Record<K, S>> {
  return {
    kind,
    spec,
    inputs: (v) => t.inputs(v[kind]),
    compute: (name, v, ctx) => t.compute(name, v[kind], ctx),
    ...(outputs ? { outputs: (name: string, v: Record<K, S>) => outputs(name, v[kind]) } : {}),
  };
}

/** An transform of any variable type, as held by the registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds modules of every variable type; each is called with its own.
export type AnyTransform = Transform<any>;
