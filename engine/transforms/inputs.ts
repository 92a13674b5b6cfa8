/** Which columns a transform reads, from its spec alone (for dependency order and validation before any data). */
import type { TransformKind } from './spec.js';

const KINDS: readonly TransformKind[] = ['pim', 'deflate', 'convert', 'specialization', 'gap', 'sbm', 'ranksize'];

/** Keys of each transform whose values name columns (a text or a list of texts). */
const COLUMN_KEYS: Record<TransformKind, readonly string[]> = {
  pim: ['investment', 'price_index', 'initial_stock'],
  deflate: ['value', 'index', 'rate'],
  convert: ['value', 'rate'],
  specialization: ['group', 'role', 'services', 'manufacturing'],
  gap: ['value', 'group', 'reference'],
  sbm: ['inputs', 'desirable', 'undesirable'],
  ranksize: ['size', 'group'],
};

export function transformKindOf(v: object): TransformKind | null {
  for (const k of Object.keys(v)) if ((KINDS as readonly string[]).includes(k)) return k as TransformKind;
  return null;
}

export function transformInputs(kind: TransformKind, spec: unknown): string[] {
  if (typeof spec !== 'object' || spec === null) return [];
  const out: string[] = [];
  for (const key of COLUMN_KEYS[kind]) {
    const v = (spec as Record<string, unknown>)[key];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

/** The YAML path (below the transform key) where input `name` is written, for diagnostics. */
export function transformInputPath(kind: TransformKind, spec: unknown, name: string): (string | number)[] {
  if (typeof spec !== 'object' || spec === null) return [];
  for (const key of COLUMN_KEYS[kind]) {
    const v = (spec as Record<string, unknown>)[key];
    if (v === name) return [key];
    if (Array.isArray(v)) {
      const i = v.indexOf(name);
      if (i >= 0) return [key, i];
    }
  }
  return [];
}
