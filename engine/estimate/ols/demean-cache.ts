/**
 * Sharing one demeaning among models (as pyfixest does): a demeaned column depends only on the column's values in
 * the estimation sample, the fixed effects' codes on that sample, and the tolerance. The key is built from content
 * hashes of those (two independent 32-bit hashes of the raw bits, so frames that are copies still share), and the
 * orchestrator passes one cache to all models of a run via EstimationData.demeanCache.
 */
import type { ColumnCache } from '../types.js';

export class DemeanCache implements ColumnCache {
  private readonly map = new Map<string, Float64Array>();
  hits = 0;
  misses = 0;

  get(key: string): Float64Array | undefined {
    const v = this.map.get(key);
    if (v) this.hits++;
    else this.misses++;
    return v;
  }

  set(key: string, value: Float64Array): void {
    this.map.set(key, value);
  }

  get size(): number {
    return this.map.size;
  }
}

/** Two 32-bit multiplicative hashes of the words of a typed array, as 16 hex digits. */
export function contentHash(a: Float64Array | Int32Array): string {
  const words = new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  let h1 = 0x811c9dc5 ^ words.length;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 + w, 0x85ebca6b) ^ (h2 >>> 13);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x7feb352d) >>> 0;
  h2 = Math.imul(h2 ^ (h2 >>> 15), 0x846ca68b) >>> 0;
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
