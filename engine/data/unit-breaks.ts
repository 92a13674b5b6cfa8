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
  const rowsOf = new Map<number, number[]>(periods.map((p) => [p, []]));
  for (let i = 0; i < frame.nrows; i++) rowsOf.get(t[i]!)?.push(i);

  const notes: Note[] = [];
  for (const name of names) {
    const col = frame.get(name);
    if (!col || isText(col)) continue;
    const med: { period: number; median: number }[] = [];
    for (const p of periods) {
      const rows = rowsOf.get(p)!;
      const vals = new Float64Array(rows.length);
      let k = 0;
      for (const i of rows) {
        const v = col[i]!;
        if (!Number.isNaN(v)) vals[k++] = v;
      }
      if (k >= minUnits) med.push({ period: p, median: median(vals.subarray(0, k)) });
    }
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

/** Median of the values (sorted in place: a typed-array sort, numeric and without a comparator call per pair). */
function median(s: Float64Array): number {
  s.sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function round3(x: number): number {
  return Number(x.toPrecision(3));
}
