/**
 * A data check for undeclared unit changes. A transform cannot see that FDI was reported in 美元 instead of 万美元
 * in one year — the numbers are all plausible-looking positives — but the cross-section can: the median across
 * units of a series moves smoothly from period to period in real yearbook data, and a jump by a factor of 50 or more
 * in one period (10,000 for 万 ↔ 1, 100 for a percent, 1,000 for 千) is a unit change far more often than an economy.
 * The loader calls this after the declared `fixes` are applied, so a declared fix silences its own warning.
 */
import { isText, type Frame } from './frame.js';
import { note, type Note } from '../diagnostics/diagnostic.js';

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
  const sorted = Float64Array.from(t).sort(); // typed sort, NaN last: the distinct periods without a Set of doubles
  const periods: number[] = [];
  for (const v of sorted) if (!Number.isNaN(v) && v !== periods[periods.length - 1]) periods.push(v);
  // Rows grouped by period once (counting sort into one Int32Array), shared by every column.
  const start = new Int32Array(periods.length + 1);
  const periodOf = new Int32Array(frame.nrows);
  const first = periods[0] ?? 0;
  const span = (periods[periods.length - 1] ?? 0) - first + 1;
  const integral = periods.every(Number.isInteger) && span <= 1_000_000;
  // Integer periods (years): a direct table; others: a map.
  const table = integral ? new Int32Array(span).fill(-1) : null;
  const map = integral ? null : new Map<number, number>();
  periods.forEach((p, k) => (table ? (table[p - first] = k) : map!.set(p, k)));
  for (let i = 0; i < frame.nrows; i++) {
    const v = t[i]!;
    const k = table ? (Number.isInteger(v) && v >= first && v - first < span ? table[v - first]! : -1) : map!.get(v) ?? -1;
    periodOf[i] = k;
    if (k >= 0) start[k + 1]!++;
  }
  for (let k = 0; k < periods.length; k++) start[k + 1]! += start[k]!;
  const rowsByPeriod = new Int32Array(start[periods.length]!);
  const fill = start.slice(0, periods.length);
  for (let i = 0; i < frame.nrows; i++) if (periodOf[i]! >= 0) rowsByPeriod[fill[periodOf[i]!]!++] = i;
  const buffer = new Float64Array(frame.nrows);

  const notes: Note[] = [];
  for (const name of names) {
    const col = frame.get(name);
    if (!col || isText(col)) continue;
    const med: { period: number; median: number }[] = [];
    periods.forEach((p, pk) => {
      let k = 0;
      for (let r = start[pk]!; r < start[pk + 1]!; r++) {
        const v = col[rowsByPeriod[r]!]!;
        if (!Number.isNaN(v)) buffer[k++] = v;
      }
      if (k >= minUnits) med.push({ period: p, median: median(buffer.subarray(0, k)) });
    });
    // Walk the medians; a jump opens a suspect stretch, which closes when the median comes back to the level before
    // the jump (a unit misreported for a few periods) or runs to the end (a unit change that stayed).
    let k = 1;
    while (k < med.length) {
      const before = med[k - 1]!;
      const r = jumpRatio(before.median, med[k]!.median);
      if (Math.max(r, 1 / r) < ratio) { k++; continue; }
      let back = k + 1;
      while (back < med.length && Math.max(jumpRatio(before.median, med[back]!.median), 1 / jumpRatio(before.median, med[back]!.median)) >= ratio) back++;
      const first = med[k]!.period;
      const where = back < med.length
        ? (back === k + 1 ? `${time} == ${first}` : `${time} >= ${first} and ${time} < ${med[back]!.period}`)
        : `${time} >= ${first}`;
      notes.push(note('DATA_UNIT_BREAK', {
        name, ratio: round3(Math.max(r, 1 / r)), from: before.period, to: first, time, where,
        factor: powerOfTen(-Math.round(Math.log10(r))),
      }));
      k = back + 1;
    }
  }
  return notes;
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
        const x = a[i]!; a[i] = a[j]!; a[j] = x;
        i++; j--;
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
