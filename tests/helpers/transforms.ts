/**
 * Transform modules called as the data stage calls them: on the variable as normalization leaves it, with the
 * module's defaults filled (engine/transforms/types.ts `withDefaults`). Tests write the variable as a user would.
 */
import { withDefaults, type Transform, type TransformFunctions } from '../../engine/transforms/types.js';

/** A registered module, given user-tier variables (`{ pim: {...} }`). */
export function normalizing<V, N>(t: Transform<V, N>): TransformFunctions<V> {
  return {
    inputs: (variable) => t.inputs(variable),
    compute: (name, variable, ctx) => t.compute(name, withDefaults<N>(t, variable as object), ctx),
  };
}

/** Functions written against the inner options (sbm, ranksize), given user-tier options. */
export function normalizingInner<S, N>(
  fns: TransformFunctions<S, N>,
  defaults: Readonly<Record<string, unknown>>,
): TransformFunctions<S> {
  return {
    inputs: (options) => fns.inputs(options),
    compute: (name, options, ctx) => fns.compute(name, { ...defaults, ...options } as N, ctx),
  };
}
