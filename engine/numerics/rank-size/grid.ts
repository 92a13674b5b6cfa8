/**
 * The rank-size grid: one fit (engine/estimate/ranksize/rank-size-fit.ts) per group and period, shared by the
 * `ranksize` estimator and the `ranksize` transform so that both read the same q and centre counts.
 *
 * Order of the cells (deterministic): groups in order of first appearance in the data (the order the user's data
 * lists them, e.g. north before south as in the paper's Table 3), and within a group the periods in ascending order.
 * A (group, period) pair appears when at least one row has it. Without a time column all rows form one period,
 * reported as NaN (null in results.json).
 *
 * Rows with a missing group or period belong to no cell. Rows with a missing, zero or negative size belong to their
 * cell but are left out of its ranking (ln size is undefined) and counted in one RANKSIZE_NONPOSITIVE note.
 */
import { groupCodes, type Column } from '../../core/frame.js';
import { note, type Note } from '../../diagnostics/diagnostic.js';
import type { RankSizeCell } from '../../results/types.js';
import { centreCount, minUnits, rankSizeFitSorted, type RankSizeIntercept } from './rank-size-fit.js';

export interface RankSizeGridInput {
  readonly size: Float64Array;
  /** Size column name, for notes. */
  readonly sizeName: string;
  readonly group: Column;
  /** Period per row, or null (one period). */
  readonly time: Float64Array | null;
  /** Monocentric when q > threshold. */
  readonly threshold: number;
  /** `free` (C estimated) or `largest` (C = ln size of the largest unit). __Default value:__ `free` */
  readonly intercept?: RankSizeIntercept;
}

export interface RankSizeGrid {
  readonly cells: readonly RankSizeCell[];
  /** Cell index of each row, −1 when its group or period is missing. */
  readonly cellOfRow: Int32Array;
  /** 1 when the row's size entered its cell's ranking. */
  readonly ranked: Uint8Array;
  readonly groups: number;
  readonly periods: number;
  /** Rows that entered a ranking. */
  readonly nobs: number;
  readonly notes: readonly Note[];
}

const REASONS = {
  'too-few-units': (min: number) => `fewer than ${min === 2 ? 'two' : 'three'} units with a positive size`,
  'all-tied': () => 'all sizes tied (the rank does not vary)',
} as const;

export function rankSizeGrid(input: RankSizeGridInput): RankSizeGrid {
  const { size, time, threshold } = input;
  const intercept = input.intercept ?? 'free';
  const min = minUnits(intercept);
  const n = size.length;
  const g = groupCodes(input.group);
  // 1. distinct periods, ascending
  let periodValues: number[] = [NaN];
  if (time !== null) {
    const sorted = Float64Array.from(time).sort(); // NaN sorts last
    periodValues = [];
    for (let i = 0; i < n && !Number.isNaN(sorted[i]!); i++)
      if (i === 0 || sorted[i] !== sorted[i - 1]) periodValues.push(sorted[i]!);
  }
  const periodIndex = new Map<number, number>(periodValues.map((t, i) => [t, i]));
  const P = periodValues.length;
  // 2. a cell id per row, in order of first appearance, then renumbered by (group, period) order
  const idOfKey = new Map<number, number>();
  const keys: number[] = [];
  const idOfRow = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const gi = g.codes[i]!;
    if (gi < 0) continue;
    const pi = time === null ? 0 : periodIndex.get(time[i]!);
    if (pi === undefined) continue;
    const key = gi * P + pi;
    let id = idOfKey.get(key);
    if (id === undefined) {
      id = keys.length;
      idOfKey.set(key, id);
      keys.push(key);
    }
    idOfRow[i] = id;
  }
  const order = keys.map((_, id) => id).sort((a, b) => keys[a]! - keys[b]!);
  const cellOfId = new Int32Array(keys.length);
  order.forEach((id, k) => {
    cellOfId[id] = k;
  });
  const C = keys.length;
  const cellOfRow = new Int32Array(n).fill(-1);
  // 3. counting sort of the ranked rows by cell: the positive sizes of cell k are in values[start[k] .. start[k+1])
  const ranked = new Uint8Array(n);
  const start = new Int32Array(C + 1);
  let nonpositive = 0;
  for (let i = 0; i < n; i++) {
    if (idOfRow[i]! < 0) continue;
    const k = cellOfId[idOfRow[i]!]!;
    cellOfRow[i] = k;
    const v = size[i]!;
    if (v > 0 && Number.isFinite(v)) {
      ranked[i] = 1;
      start[k + 1]!++;
    } else nonpositive++;
  }
  for (let k = 0; k < C; k++) start[k + 1]! += start[k]!;
  const values = new Float64Array(start[C]!);
  const fill = start.slice(0, C);
  for (let i = 0; i < n; i++) if (ranked[i]) values[fill[cellOfRow[i]!]!++] = size[i]!;

  // 4. one fit per cell
  const notes: Note[] = [];
  const cells: RankSizeCell[] = [];
  let tiedCells = 0;
  for (let k = 0; k < C; k++) {
    const key = keys[order[k]!]!;
    const group = g.labels[Math.floor(key / P)]!;
    const period = periodValues[key % P]!;
    const sorted = values
      .subarray(start[k]!, start[k + 1]!)
      .sort()
      .reverse();
    const fit = rankSizeFitSorted(sorted, intercept);
    if (fit.ties) tiedCells++;
    if (!fit.ok) {
      if (fit.reason === 'too-few-units') {
        notes.push(note('RANKSIZE_TOO_FEW_UNITS', { group, period: String(period), n: fit.n, min }));
      }
      cells.push({
        group,
        period,
        q: null,
        C: null,
        r2: null,
        n: fit.n,
        centres: null,
        structure: null,
        reason: REASONS[fit.reason](min),
      });
      continue;
    }
    const centres = centreCount(sorted, threshold, intercept);
    if (centres === null) notes.push(note('RANKSIZE_NO_CENTRES', { group, period: String(period), threshold, min }));
    cells.push({
      group,
      period,
      q: fit.q,
      C: fit.C,
      r2: fit.r2,
      n: fit.n,
      centres,
      structure: fit.q > threshold ? 'mono' : 'poly',
    });
  }
  if (nonpositive > 0) notes.unshift(note('RANKSIZE_NONPOSITIVE', { count: nonpositive, name: input.sizeName }));
  if (tiedCells > 0) notes.push(note('RANKSIZE_TIES', { count: tiedCells }));
  return { cells, cellOfRow, ranked, groups: g.ngroups, periods: P, nobs: values.length, notes };
}
