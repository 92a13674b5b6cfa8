/** Deep merge of spec layers: maps merge key by key, the override wins, lists replace, `null` removes a key. */

export type Plain = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Plain = Object.create(null) as Plain;
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? deepMerge(out[k], v) : stripNulls(v);
  }
  return toPlain(out);
}

/** Remove null-valued keys (deletion markers) from a value that has nothing to delete from. */
function stripNulls(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const out: Plain = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = stripNulls(x);
  return out;
}

/** Objects with a normal prototype, keys in insertion order (the null-prototype map above avoids `__proto__` keys). */
function toPlain(o: Plain): Plain {
  const out: Plain = {};
  for (const k of Object.keys(o)) {
    if (k === '__proto__') continue;
    out[k] = o[k];
  }
  return out;
}
