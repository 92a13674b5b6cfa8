/**
 * A data check for undeclared unit changes. A transform cannot see that FDI was reported in 美元 instead of 万美元
 * in one year — the numbers are all plausible-looking positives — but the cross-section can: the median across
 * units of a series moves smoothly from period to period in real yearbook data, and a jump by a factor of 50 or more
 * in one period (10,000 for 万 ↔ 1, 100 for a percent, 1,000 for 千) is a unit change far more often than an economy.
 * The loader calls this after the declared `fixes` are applied, so a declared fix silences its own warning.
 */
import { isText, type Frame } from '../core/frame.js';
import { note, type Note } from '../diagnostics/diagnostic.js';

/** How far (in log10) a jump may be from a power of ten for a unit change to explain it: a factor of 1.4. */
const POWER_OF_TEN_SLACK = 0.15;

/** The factor at which a period-to-period change of the cross-unit median is flagged. */
export const UNIT_BREAK_RATIO = 50;

/**
 * Flag each numeric column whose median across units jumps by at least `ratio` between consecutive periods (in
 * either direction). Medians are taken over the non-missing values of each period; periods with fewer than
 * `minUnits` values are skipped (a median of two cells says little). The note suggests the power of ten that undoes
 * the jump. `unit` is accepted for symmetry with the other panel checks; the median needs only the periods.
 */
export function checkUnitBreaks(
  frame: Frame,
  unit: string | null,
  time: string,
  columns?: readonly string[],
  options: { ratio?: number; minUnits?: number } = {},
): Note[] {
  void unit;
  const ratio = options.ratio ?? UNIT_BREAK_RATIO;
  const minUnits = options.minUnits ?? 3;
  const t = frame.get(time);
  if (!t || isText(t)) return [];
  const names = columns ?? frame.names.filter((n) => n !== time && n !== unit);
  const { periods, periodOf } = periodIndex(t);
  // Start of each period's block in one buffer; each column is scattered into it in one sequential pass.
  const start = new Int32Array(periods.length + 1);
  for (let i = 0; i < frame.nrows; i++) if (periodOf[i]! >= 0) start[periodOf[i]! + 1]!++;
  for (let k = 0; k < periods.length; k++) start[k + 1]! += start[k]!;
  const buffer = new Float64Array(frame.nrows);
  const fill = new Int32Array(periods.length);

  const notes: Note[] = [];
  for (const name of names) {
    const col = frame.get(name);
    if (!col || isText(col)) continue;
    fill.set(start.subarray(0, periods.length));
    for (let i = 0; i < col.length; i++) {
      const k = periodOf[i]!;
      const v = col[i]!;
      if (k >= 0 && v === v) buffer[fill[k]!++] = v;
    }
    const med: { period: number; median: number }[] = [];
    for (let pk = 0; pk < periods.length; pk++) {
      const k = fill[pk]! - start[pk]!;
      if (k >= minUnits) med.push({ period: periods[pk]!, median: median(buffer.subarray(start[pk]!, fill[pk]!)) });
    }
    // Walk the medians; a jump opens a suspect stretch, which closes when the median comes back to the level before
    // the jump (a unit misreported for a few periods) or runs to the end (a unit change that stayed).
    let k = 1;
    while (k < med.length) {
      const before = med[k - 1]!;
      const r = jumpRatio(before.median, med[k]!.median);
      if (Math.max(r, 1 / r) < ratio) {
        k++;
        continue;
      }
      let back = k + 1;
      while (
        back < med.length &&
        Math.max(jumpRatio(before.median, med[back]!.median), 1 / jumpRatio(before.median, med[back]!.median)) >= ratio
      )
        back++;
      const first = med[k]!.period;
      const where =
        back < med.length
          ? back === k + 1
            ? `${time} == ${first}`
            : `${time} >= ${first} and ${time} < ${med[back]!.period}`
          : `${time} >= ${first}`;
      // A multiply: fix is advised only when a power of ten explains the jump (within a factor of 1.4, room for a
      // period's growth): 0.2 → 0.001 (×200) is flagged, but "multiply: 100" would corrupt the series.
      const off = Math.abs(Math.log10(r) - Math.round(Math.log10(r)));
      const args = { name, ratio: round3(Math.max(r, 1 / r)), from: before.period, to: first, time, where };
      if (off <= POWER_OF_TEN_SLACK)
        notes.push(note('DATA_UNIT_BREAK', { ...args, factor: powerOfTen(-Math.round(Math.log10(r))) }));
      else notes.push(note('DATA_SERIES_JUMP', args));
      k = back + 1;
    }
  }
  return notes;
}

/**
 * The distinct periods in ascending order and each row's index into them (−1 when missing). Integer periods (years)
 * over a modest span are counted in a direct table; others are sorted.
 */
function periodIndex(t: Float64Array): { periods: number[]; periodOf: Int32Array } {
  const n = t.length;
  const periodOf = new Int32Array(n).fill(-1);
  let lo = Infinity;
  let hi = -Infinity;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const v = t[i]!;
    if (v !== v) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (lo > hi) return { periods: [], periodOf };
  if (integral && hi - lo < 1_000_000) {
    const slot = new Int32Array(hi - lo + 1);
    for (let i = 0; i < n; i++) if (t[i] === t[i]) slot[t[i]! - lo] = 1;
    const periods: number[] = [];
    for (let j = 0; j < slot.length; j++) slot[j] = slot[j] ? periods.push(lo + j) - 1 : -1;
    for (let i = 0; i < n; i++) if (t[i] === t[i]) periodOf[i] = slot[t[i]! - lo]!;
    return { periods, periodOf };
  }
  const sorted = Float64Array.from(t).sort();
  const periods: number[] = [];
  for (const v of sorted) if (v === v && v !== periods[periods.length - 1]) periods.push(v);
  const index = new Map(periods.map((p, k) => [p, k]));
  for (let i = 0; i < n; i++) periodOf[i] = index.get(t[i]!) ?? -1;
  return { periods, periodOf };
}

/** m / m0, or 1 when the two cannot be compared (a zero or a sign change says nothing about units). */
function jumpRatio(m0: number, m: number): number {
  if (m0 === 0 || m === 0 || Math.sign(m0) !== Math.sign(m)) return 1;
  return m / m0;
}

/** 10^e written exactly for negative e (1/10^4 is 0.0001, 10^-4 is not). */
function powerOfTen(e: number): number {
  return e >= 0 ? Math.pow(10, e) : 1 / Math.pow(10, -e);
}

/** Median of the values, by selection (Hoare's quickselect, O(n)); reorders `s` in place. */
function median(s: Float64Array): number {
  const n = s.length;
  const h = n >> 1;
  const hi = select(s, h);
  if (n % 2) return hi;
  // The lower middle is the largest value left of h after the selection.
  let lo = -Infinity;
  for (let i = 0; i < h; i++) if (s[i]! > lo) lo = s[i]!;
  return (lo + hi) / 2;
}

/** The k-th smallest value of `a` (0-based); afterwards a[0..k) ≤ a[k] ≤ a(k..n). */
function select(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const x = a[i]!;
        a[i] = a[j]!;
        a[j] = x;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k]!;
  }
  return a[k]!;
}

function round3(x: number): number {
  return Number(x.toPrecision(3));
}
