/**
 * Exact JSON for cached results. Plain JSON loses what a result may hold and a renderer may look at: NaN and ±Infinity
 * (JSON writes null, and a table shows NaN and null differently), -0, `undefined` fields and typed arrays. These are
 * written as tagged objects `{"$specrun": ...}` and restored on reading.
 *
 * `sameValue` is the check that makes this safe: the cache stores a result only when decoding its encoding gives back
 * the same value (Object.is on every number, same keys in the same order, same typed-array kinds); anything the codec
 * cannot reproduce is simply not cached.
 */

import { endianness } from 'node:os';

const TAG = '$specrun';

type TypedArrayName =
  | 'Float64Array'
  | 'Float32Array'
  | 'Int32Array'
  | 'Uint32Array'
  | 'Int16Array'
  | 'Uint16Array'
  | 'Int8Array'
  | 'Uint8Array'
  | 'Uint8ClampedArray';
/** Each typed array's constructor: from the numbers of the exact JSON, or over the bytes of the base64 form. */
const TYPED: Record<
  TypedArrayName,
  {
    new (xs: number[]): ArrayLike<number>;
    new (bytes: ArrayBuffer): ArrayLike<number>;
    readonly BYTES_PER_ELEMENT: number;
  }
> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
};

const LITTLE_ENDIAN = endianness() === 'LE';

export class UnencodableValue extends Error {}

function typedFromBase64(name: TypedArrayName, b64: string): unknown {
  const bytes = Buffer.from(b64, 'base64');
  const size = TYPED[name].BYTES_PER_ELEMENT;
  if (bytes.length % size !== 0) throw new Error(`a ${name} of ${bytes.length} bytes`);
  // Copied into a fresh, aligned buffer (a Buffer may share a pool at any offset).
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new TYPED[name](copy);
}

export function encodeExact(value: unknown): string {
  return JSON.stringify(toJson(value));
}

export function decodeExact(text: string): unknown {
  return fromJson(JSON.parse(text) as unknown);
}

function toJson(v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      if (Number.isNaN(v)) return { [TAG]: 'NaN' };
      if (v === Infinity) return { [TAG]: 'Infinity' };
      if (v === -Infinity) return { [TAG]: '-Infinity' };
      if (Object.is(v, -0)) return { [TAG]: '-0' };
      return v;
    case 'string':
    case 'boolean':
      return v;
    case 'undefined':
      return { [TAG]: 'undefined' };
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) return v.map(toJson);
      if (ArrayBuffer.isView(v)) {
        const name = v.constructor.name as TypedArrayName;
        if (!(name in TYPED)) throw new UnencodableValue(`cannot encode ${name}`);
        // The bytes, base64 (exact for every value, NaN payloads and -0 included, and fast for the long columns a
        // cached fit holds); the list of values on a big-endian machine, so that an entry never depends on the byte order.
        if (LITTLE_ENDIAN)
          return { [TAG]: name, b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
        return { [TAG]: name, v: Array.from(v as unknown as ArrayLike<number>, toJson) };
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null)
        throw new UnencodableValue(`cannot encode a ${(v as object).constructor?.name ?? 'class'} instance`);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
      return out;
    }
    default:
      throw new UnencodableValue(`cannot encode a ${typeof v}`);
  }
}

function fromJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const tag = o[TAG];
  if (typeof tag === 'string') {
    switch (tag) {
      case 'NaN':
        return NaN;
      case 'Infinity':
        return Infinity;
      case '-Infinity':
        return -Infinity;
      case '-0':
        return -0;
      case 'undefined':
        return undefined;
      default:
        if (tag in TYPED && Array.isArray(o['v']))
          return new TYPED[tag as TypedArrayName]((o['v'] as unknown[]).map(fromJson) as number[]);
        if (tag in TYPED && typeof o['b64'] === 'string' && LITTLE_ENDIAN)
          return typedFromBase64(tag as TypedArrayName, o['b64']);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = fromJson(x);
  return out;
}

/** Deep equality as a renderer sees it: Object.is on numbers, keys in the same order, same typed-array kinds. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((x, i) => sameValue(x, y[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    if (!sameValue((a as Record<string, unknown>)[ka[i]!], (b as Record<string, unknown>)[kb[i]!])) return false;
  }
  return true;
}
