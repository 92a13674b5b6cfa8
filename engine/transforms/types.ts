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

/** Options `S` with the keys of its defaults `D` filled: what normalization hands a transform. */
export type Filled<S, D> = Omit<S, keyof D> & { readonly [K in keyof D & keyof S]-?: Exclude<S[K], undefined> };

/**
 * The computation of a transform, written against the variable `S` (`{ pim: {...} }`) or its inner options; `N` is
 * the same normalized (every default filled), which `compute` receives.
 */
export interface TransformFunctions<S, N = S> {
  /** The columns the transform reads, from its spec alone (for dependency order and validation before any data). */
  inputs(spec: S): string[];
  compute(name: string, spec: N, ctx: TransformContext): TransformOutput;
}

/** A registered transform module; `V` is the whole variable (`{ pim: {...} }`), `N` the same normalized. */
export interface Transform<V = Record<string, unknown>, N = V> extends TransformFunctions<V, N> {
  /** The single key that selects it (`pim`). */
  readonly kind: string;
  /** Its user-tier spec type (the whole variable, `PimTransform`). */
  readonly spec: SpecType;
  /**
   * The defaults of its options (`{ index_type: 'fixed', … }`, each stated in a `__Default value:__` line of its spec
   * type), applied by normalization (`withDefaults`), never by `compute`.
   */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Columns written besides the variable itself (`NAME_slack_x`), which later variables may read; [] when none. */
  outputs?(name: string, spec: V): string[];
}

/** The variable `{ kind: options }` with the module's defaults filled in its options (normalization). */
export function withDefaults<N>(t: Pick<Transform, 'kind' | 'defaults'>, variable: object): N {
  const options = (variable as Record<string, unknown>)[t.kind];
  return { ...variable, [t.kind]: { ...t.defaults, ...(options as object) } } as N;
}

/** Make a module of functions written against the inner options (`{ size, group }` of `{ ranksize: … }`). */
export function unwrapped<K extends string, S, N>(
  kind: K,
  spec: SpecType,
  defaults: Readonly<Record<string, unknown>>,
  t: TransformFunctions<S, N>,
  outputs?: (name: string, spec: S) => string[],
): Transform<Record<K, S>, Record<K, N>> {
  return {
    kind,
    spec,
    defaults,
    inputs: (v) => t.inputs(v[kind]),
    compute: (name, v, ctx) => t.compute(name, v[kind], ctx),
    ...(outputs ? { outputs: (name: string, v: Record<K, S>) => outputs(name, v[kind]) } : {}),
  };
}

/** An transform of any variable type, as held by the registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds modules of every variable type; each is called with its own.
export type AnyTransform = Transform<any, any>;
