/**
 * The panel as GMM sees it: every unit on one common grid of periods, so that "lag k of period t" is the same unit's
 * value at grid position t − k and a missing row (a gap, or a period outside the unit's span) stays missing. Gaps are
 * never closed up: lags and differences across a gap are missing, as with plm's time-based lags.
 *
 * The grid is the sorted distinct periods of the sample; when they are all integers the missing integers in between
 * are added too, so that a period absent from the whole sample still breaks the lags that would cross it.
 */
import { SpecrunError } from '../../diagnostics/diagnostic.js';

export interface PanelGrid {
  /** Number of units with at least one row. */
  readonly nunits: number;
  /** Grid length T. */
  readonly nperiods: number;
  /** The period at each grid position. */
  readonly periods: Float64Array;
  /** The original unit code of each dense unit index. */
  readonly unitCodes: Int32Array;
  /** Per row of the sample: unit·T + position, or −1 when the row has no unit or no period. */
  readonly cell: Int32Array;
}

/** The largest integer grid we fill in; beyond it the distinct periods themselves are the grid. */
const MAX_FILLED_GRID = 100_000;

export function panelGrid(unit: Int32Array, time: Float64Array, model: string): PanelGrid {
  const n = unit.length;
  // dense unit codes, in the order of the original codes
  let maxCode = -1;
  for (let i = 0; i < n; i++) if (unit[i]! > maxCode) maxCode = unit[i]!;
  const present = new Uint8Array(maxCode + 1);
  for (let i = 0; i < n; i++) if (unit[i]! >= 0 && !Number.isNaN(time[i]!)) present[unit[i]!] = 1;
  const dense = new Int32Array(maxCode + 1).fill(-1);
  const codes: number[] = [];
  for (let c = 0; c <= maxCode; c++)
    if (present[c]) {
      dense[c] = codes.length;
      codes.push(c);
    }

  const distinct = [...new Set(Array.from(time).filter((t) => !Number.isNaN(t)))].sort((a, b) => a - b);
  if (distinct.length === 0) throw new SpecrunError('NO_OBSERVATIONS', { model });
  if (distinct.length === 1) throw new SpecrunError('GMM_ONE_PERIOD', { model, period: distinct[0]! });
  const lo = distinct[0]!;
  const hi = distinct[distinct.length - 1]!;
  let periods: Float64Array;
  if (distinct.every(Number.isInteger) && hi - lo + 1 <= MAX_FILLED_GRID) {
    periods = new Float64Array(hi - lo + 1);
    for (let k = 0; k < periods.length; k++) periods[k] = lo + k;
  } else {
    periods = Float64Array.from(distinct);
  }
  const position = new Map<number, number>();
  periods.forEach((p, k) => position.set(p, k));

  const T = periods.length;
  const G = codes.length;
  const cell = new Int32Array(n).fill(-1);
  const seen = new Int32Array(G * T).fill(-1);
  for (let i = 0; i < n; i++) {
    const u = unit[i]!;
    const t = time[i]!;
    if (u < 0 || Number.isNaN(t)) continue;
    const c = dense[u]! * T + position.get(t)!;
    if (seen[c] !== -1) {
      let count = 0;
      for (let j = 0; j < n; j++) if (unit[j] === u && time[j] === t) count++;
      throw new SpecrunError('DATA_DUPLICATE_UNIT_TIME', { unit: u, time: t, count: count - 1 });
    }
    seen[c] = i;
    cell[i] = c;
  }
  return { nunits: G, nperiods: T, periods, unitCodes: Int32Array.from(codes), cell };
}

/** A sample column laid out on the grid (unit-major, NaN where the unit has no row in that period). */
export function onGrid(values: Float64Array, grid: PanelGrid): Float64Array {
  const out = new Float64Array(grid.nunits * grid.nperiods).fill(NaN);
  for (let i = 0; i < values.length; i++) {
    const c = grid.cell[i]!;
    if (c >= 0) out[c] = values[i]!;
  }
  return out;
}
