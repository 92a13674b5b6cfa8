/**
 * Panel structure: unit codes and periods per row, and the panel-aware lag. The lag of period t is the same unit's
 * value at period t−k, missing when that period is absent: gaps are never closed up.
 */
import { groupCodes, type Frame } from './frame.js';

export interface Panel {
  /** Unit code per row (0..G−1, −1 when missing), or null without a unit column. */
  readonly unit: Int32Array | null;
  /** Period per row, or null without a time column. */
  readonly time: Float64Array | null;
  readonly unitLabels: readonly string[] | null;
}

export interface DuplicateUnitTime {
  readonly unit: string;
  readonly time: number;
  readonly count: number;
}

export function buildPanel(frame: Frame, unitCol: string | undefined, timeCol: string | undefined): Panel {
  let unit: Int32Array | null = null;
  let unitLabels: string[] | null = null;
  if (unitCol && frame.has(unitCol)) {
    const g = groupCodes(frame.get(unitCol)!);
    unit = g.codes;
    unitLabels = g.labels;
  }
  const tc = timeCol && frame.has(timeCol) ? frame.get(timeCol)! : null;
  const time = tc instanceof Float64Array ? tc : null;
  return { unit, time, unitLabels };
}

/** Unit-period pairs that occur more than once (at most `limit` listed), found with one integer key per row. */
export function duplicateUnitTimes(panel: Panel, limit = 5): DuplicateUnitTime[] {
  const { unit, time, unitLabels } = panel;
  if (!unit || !time) return [];
  const n = unit.length;
  // Integer periods: one numeric key per row, a typed sort (no comparator), then neighbours.
  let tmin = Infinity;
  let tmax = -Infinity;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (Number.isNaN(t)) continue;
    if (!Number.isInteger(t)) {
      integral = false;
      break;
    }
    if (t < tmin) tmin = t;
    if (t > tmax) tmax = t;
  }
  if (integral && Number.isFinite(tmin)) {
    const span = tmax - tmin + 1;
    const nunits = unitLabels ? unitLabels.length : 0;
    if (nunits * span <= 64_000_000) {
      // One counter per (unit, period) cell: a single pass, no sort.
      const count = new Int32Array(nunits * span);
      let dup = false;
      for (let i = 0; i < n; i++) {
        if (unit[i]! < 0 || Number.isNaN(time[i]!)) continue;
        if (++count[unit[i]! * span + (time[i]! - tmin)]! > 1) dup = true;
      }
      if (!dup) return [];
      const out: DuplicateUnitTime[] = [];
      for (let c = 0; c < count.length && out.length < limit; c++) {
        if (count[c]! > 1)
          out.push({ unit: unitLabels![Math.floor(c / span)]!, time: tmin + (c % span), count: count[c]! });
      }
      return out;
    }
    const keys = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < n; i++)
      if (unit[i]! >= 0 && !Number.isNaN(time[i]!)) keys[m++] = unit[i]! * span + (time[i]! - tmin);
    const sorted = keys.subarray(0, m).sort();
    const out: DuplicateUnitTime[] = [];
    for (let j = 0; j < m; ) {
      let k = j + 1;
      while (k < m && sorted[k] === sorted[j]) k++;
      if (k - j > 1) {
        const u = Math.floor(sorted[j]! / span);
        out.push({ unit: unitLabels![u]!, time: tmin + (sorted[j]! - u * span), count: k - j });
        if (out.length >= limit) break;
      }
      j = k;
    }
    return out;
  }
  // Other periods: sort row indices by (unit, period) and look at neighbours.
  const order = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (unit[i]! >= 0 && !Number.isNaN(time[i]!)) order[m++] = i;
  const rows = Array.from(order.subarray(0, m));
  rows.sort((a, b) => unit[a]! - unit[b]! || time[a]! - time[b]!);
  const out: DuplicateUnitTime[] = [];
  for (let j = 0; j < rows.length; ) {
    let k = j + 1;
    while (k < rows.length && unit[rows[k]!] === unit[rows[j]!] && time[rows[k]!] === time[rows[j]!]) k++;
    if (k - j > 1) {
      out.push({ unit: unitLabels![unit[rows[j]!]!]!, time: time[rows[j]!]!, count: k - j });
      if (out.length >= limit) break;
    }
    j = k;
  }
  return out;
}

/** Row lookup by (unit, period) for integer periods, built once per panel and reused by every lag. */
export class PanelLookup {
  private readonly table: Int32Array | null;
  private readonly map: Map<number, number> | null;
  private readonly tmin: number;
  private readonly span: number;

  constructor(readonly panel: Panel) {
    const { unit, time } = panel;
    if (!unit || !time) throw new Error('lag needs a panel: set data.unit and data.time');
    let tmin = Infinity;
    let tmax = -Infinity;
    let nunits = 0;
    for (let i = 0; i < time.length; i++) {
      const t = time[i]!;
      if (!Number.isFinite(t)) continue;
      if (t < tmin) tmin = t;
      if (t > tmax) tmax = t;
      if (unit[i]! + 1 > nunits) nunits = unit[i]! + 1;
    }
    this.tmin = Number.isFinite(tmin) ? tmin : 0;
    this.span = Number.isFinite(tmax) ? tmax - this.tmin + 1 : 1;
    const size = nunits * this.span;
    if (size <= 64_000_000 && Number.isInteger(this.span)) {
      this.table = new Int32Array(size).fill(-1);
      this.map = null;
      for (let i = 0; i < time.length; i++) {
        const t = time[i]!;
        if (unit[i]! < 0 || !Number.isInteger(t)) continue;
        this.table[unit[i]! * this.span + (t - this.tmin)] = i;
      }
    } else {
      this.table = null;
      this.map = new Map();
      for (let i = 0; i < time.length; i++) {
        if (unit[i]! < 0 || !Number.isFinite(time[i]!)) continue;
        this.map.set(unit[i]! * 1e7 + time[i]!, i);
      }
    }
  }

  /** Row of `unit` at period `t`, or −1. */
  rowAt(unit: number, t: number): number {
    if (this.table) {
      const off = t - this.tmin;
      if (off < 0 || off >= this.span || !Number.isInteger(off)) return -1;
      return this.table[unit * this.span + off]!;
    }
    return this.map!.get(unit * 1e7 + t) ?? -1;
  }

  /** Lag by k periods (a negative k leads). */
  lag(values: Float64Array, k: number): Float64Array {
    const { unit, time } = this.panel;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const u = unit![i]!;
      const r = u < 0 ? -1 : this.rowAt(u, time![i]! - k);
      out[i] = r < 0 ? NaN : values[r]!;
    }
    return out;
  }
}
