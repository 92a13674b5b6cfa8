/**
 * The names a plan could read from its data: every string of the plan (expressions, formulas, variable and transform
 * options, fixes, renames, join keys, unit and time), whole and split into identifier-like words, and every mapping key.
 * A superset of the columns the specs use — never fewer — so that a columnar source (Parquet) need only read the
 * columns in it (engine/data/read/parquet.ts). A column the plan does not name cannot be used by any stage; it would
 * only reach `specrun data`, which reads every column.
 */
import type { Plan } from '../normalize/plan.js';

export function usedNames(plan: Plan): Set<string> {
  const out = new Set<string>();
  const seen = new Set<object>();
  const add = (s: string) => {
    out.add(s);
    for (const w of s.split(/[^\p{L}\p{N}_.]+/u)) if (w) out.add(w);
  };
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      add(v);
      return;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) {
        if (typeof k === 'string') add(k);
        walk(x);
      }
      return;
    }
    if (v instanceof Set || Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (ArrayBuffer.isView(v)) return;
    for (const [k, x] of Object.entries(v)) {
      add(k);
      walk(x);
    }
  };
  walk(plan);
  return out;
}
