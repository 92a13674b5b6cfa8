/**
 * The one sample shared by the three equations of a mediation: rows complete in the outcome, treatment, mediator,
 * controls, fixed effects and cluster variables. Using the same rows in every step keeps a, b, c and c′ comparable
 * (c = c′ + ab holds exactly for OLS only on a common sample).
 */
import { type Frame, isText } from '../../core/frame.js';
import type { EstimationData } from '../types.js';

export function completeRows(frame: Frame, columns: readonly string[]): Int32Array {
  const n = frame.nrows;
  const keep = new Uint8Array(n).fill(1);
  for (const name of new Set(columns)) {
    const col = frame.get(name);
    if (!col) throw new Error(`no column ${name}`);
    if (isText(col)) {
      for (let i = 0; i < n; i++) if (col.codes[i]! < 0) keep[i] = 0;
    } else {
      for (let i = 0; i < n; i++) if (!Number.isFinite(col[i]!)) keep[i] = 0;
    }
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) rows.push(i);
  return Int32Array.from(rows);
}

/**
 * The estimation data restricted to `rows` (in that order, repeats allowed), unit and time included. The run's
 * demeaning cache is passed on only when asked (the three steps share it; bootstrap replicates must not fill it).
 */
export function takeRows(data: EstimationData, rows: Int32Array, keepCache = false): EstimationData {
  const pick = <T extends Int32Array | Float64Array>(a: T | null): T | null => {
    if (a === null) return null;
    const out = new (a.constructor as { new (n: number): T })(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]!]!;
    return out;
  };
  const out: EstimationData = { frame: data.frame.take(rows), unit: pick(data.unit), time: pick(data.time) };
  return keepCache && data.demeanCache ? { ...out, demeanCache: data.demeanCache } : out;
}

/** True when two numeric columns are equal on every row (text columns: same level on every row). */
export function identicalColumns(frame: Frame, a: string, b: string): boolean {
  const x = frame.get(a);
  const y = frame.get(b);
  if (!x || !y) return false;
  if (isText(x) || isText(y)) {
    if (!isText(x) || !isText(y)) return false;
    for (let i = 0; i < frame.nrows; i++) if (x.levels[x.codes[i]!] !== y.levels[y.codes[i]!]) return false;
    return true;
  }
  for (let i = 0; i < frame.nrows; i++) if (x[i] !== y[i]) return false;
  return true;
}
