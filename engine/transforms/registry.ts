/** The transforms, by kind (the single key of a transform variable: `{ pim: {...} }`). Each receives the whole variable. */
import type { Transform } from './types.js';
import type { TransformKind, TransformVariable } from './spec.js';
import { pimTransform } from './pim.js';
import { deflateTransform } from './deflate.js';
import { convertTransform } from './convert.js';
import { specializationTransform } from './specialization.js';
import { gapTransform } from './gap.js';
import { sbmTransform } from './sbm/index.js';
import { rankSizeTransform } from './ranksize.js';

type VariableOf<K extends TransformKind> = Extract<TransformVariable, Record<K, unknown>>;

/** Adapt a transform written against the inner options (`{ size, group }`) to the whole variable (`{ ranksize: … }`). */
function unwrapped<K extends TransformKind>(kind: K, t: Transform<VariableOf<K>[K]>): Transform<VariableOf<K>> {
  return {
    inputs: (spec) => t.inputs(spec[kind]),
    compute: (name, spec, ctx) => t.compute(name, spec[kind], ctx),
  };
}

export const transforms: { readonly [K in TransformKind]: Transform<VariableOf<K>> } = {
  pim: pimTransform,
  deflate: deflateTransform,
  convert: convertTransform,
  specialization: specializationTransform,
  gap: gapTransform,
  sbm: unwrapped('sbm', sbmTransform),
  ranksize: unwrapped('ranksize', rankSizeTransform),
};
