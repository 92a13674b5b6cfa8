/**
 * The stacked equations of every unit: y, X (dense, K columns) and a sparse instrument row per equation, grouped by
 * unit. Only complete equations are kept (an equation whose y or any regressor is missing is left out, which is what
 * zeroing its row does in plm and xtabond2); a missing instrument value is a zero entry, not a reason to drop the
 * equation. Instrument columns without a single non-zero entry in the sample are dropped afterwards.
 *
 * Nothing here is dense in the number of equations × instruments: Z is kept in compressed sparse rows, which is what
 * lets moments.ts accumulate Z'Z, Z'X and Z'HZ unit by unit.
 */
import type { GmmLayout } from './layout.js';
import type { PanelGrid } from './panel.js';

export const DIFF = 0;
export const LEVEL = 1;

export interface StackedEquations {
  readonly nrows: number;
  /** Regressors (terms, then constant and time dummies). */
  readonly K: number;
  /** Instrument columns kept. */
  readonly L: number;
  /** Units, and where each unit's rows start (length nunits + 1). Units without a complete equation have none. */
  readonly nunits: number;
  readonly unitStart: Int32Array;
  /** DIFF or LEVEL per row, and the row's grid position. Within a unit: Δ rows by position, then levels rows. */
  readonly kind: Uint8Array;
  readonly position: Int32Array;
  readonly y: Float64Array;
  /** nrows × K, row-major. */
  readonly X: Float64Array;
  /** Compressed sparse rows of Z. */
  readonly zStart: Int32Array;
  readonly zCol: Int32Array;
  readonly zVal: Float64Array;
  /** Instrument columns dropped for lack of data. */
  readonly droppedInstruments: number;
  /** The layout column of each kept instrument column (length L). */
  readonly keptColumns: Int32Array;
  /** The one-step weight Hᵢ of a transformed row with itself: 2 for first differences, 1 for orthogonal deviations. */
  readonly hDiag: number;
  /**
   * Orthogonal deviations: per row, the scale c = √(n/(n+1)) and the number n of later complete rows its mean is taken
   * over (zero for levels rows and first differences); the one-step weights between an orthogonal-deviation row and a
   * levels row need them.
   */
  readonly fodC: Float64Array;
  readonly fodN: Int32Array;
  /** Units with at least one complete equation. */
  readonly groups: number;
  readonly nobsDiff: number;
  readonly nobsLevel: number;
}

/**
 * @param dependent the dependent variable on the grid; @param columns each variable the layout names, on the grid.
 */
export function stackEquations(
  layout: GmmLayout,
  grid: PanelGrid,
  dependent: Float64Array,
  columns: ReadonlyMap<string, Float64Array>,
  transform: 'fd' | 'fod' = 'fd',
): StackedEquations {
  const { T, K, firstDiff, firstLevel, terms, gmm, iv } = layout;
  const G = grid.nunits;
  const system = layout.transformation === 'system';
  const Kterms = terms.length;
  const Kt = layout.timeNames.length;
  const termCols = terms.map((t) => columns.get(t.variable)!);
  const termLag = Int32Array.from(terms.map((t) => t.lag));
  const gmmCols = gmm.map((g) => columns.get(g.variable)!);
  const ivCols = iv.map((z) => columns.get(z.variable)!);
  const ivLag = Int32Array.from(iv.map((z) => z.lag));
  const nIv = iv.length;

  // upper bounds on rows and non-zeros, so that every array is allocated once
  const diffRowsPerUnit = T - firstDiff;
  const levelRowsPerUnit = system ? T - firstLevel : 0;
  let nnzPerUnit = 0;
  for (let p = firstDiff; p < T; p++) {
    for (const g of gmm)
      nnzPerUnit += layout.collapse ? g.diffCols : Math.max(0, p - g.from - Math.max(0, p - g.to) + 1);
    nnzPerUnit += nIv + (system ? 0 : 2);
  }
  nnzPerUnit += levelRowsPerUnit * (gmm.length + nIv + (system ? 2 : 0));
  const maxRows = G * (diffRowsPerUnit + levelRowsPerUnit);
  const maxNnz = G * nnzPerUnit;

  const unitStart = new Int32Array(G + 1);
  const kind = new Uint8Array(maxRows);
  const position = new Int32Array(maxRows);
  const y = new Float64Array(maxRows);
  const X = new Float64Array(maxRows * K);
  const zStart = new Int32Array(maxRows + 1);
  let zCol = new Int32Array(maxNnz);
  let zVal = new Float64Array(maxNnz);
  let r = 0;
  let nz = 0;
  let groups = 0;
  let nobsDiff = 0;
  let nobsLevel = 0;

  const push = (c: number, v: number): void => {
    if (v !== 0 && !Number.isNaN(v)) {
      zCol[nz] = c;
      zVal[nz] = v;
      nz++;
    }
  };
  // time regressor j in a row of kind k at position p
  const timeValue = (j: number, k: number, p: number): number => {
    const q = layout.timePosition[j]!;
    if (q < 0) return k === LEVEL ? 1 : 0;
    if (k === LEVEL) return p === q ? 1 : 0;
    return (p === q ? 1 : 0) - (p - 1 === q ? 1 : 0);
  };

  // forward orthogonal deviations: per unit, the levels values of the complete rows (y and every term present) and
  // their sums over the later complete rows; V holds per position [y, terms, time regressors, IV instruments]
  const fod = transform === 'fod';
  const maxLag = terms.reduce((m, t) => Math.max(m, t.lag), 0);
  const width = 1 + Kterms + Kt + nIv;
  const V = fod ? new Float64Array(T * width) : new Float64Array(0);
  const after = fod ? new Float64Array(T * width) : new Float64Array(0);
  const afterN = fod ? new Int32Array(T + 1) : new Int32Array(0);
  const completeRow = fod ? new Uint8Array(T) : new Uint8Array(0);
  const fodC = new Float64Array(maxRows);
  const fodN = new Int32Array(maxRows);
  const ivValue = new Float64Array(nIv);

  for (let u = 0; u < G; u++) {
    const base = u * T;
    const rowsBefore = r;
    if (fod) {
      for (let p = 0; p < T; p++) {
        let ok = p >= maxLag && !Number.isNaN(dependent[base + p]!);
        const v = p * width;
        if (ok) {
          V[v] = dependent[base + p]!;
          for (let j = 0; j < Kterms; j++) {
            const x = termCols[j]![base + p - termLag[j]!]!;
            if (Number.isNaN(x)) {
              ok = false;
              break;
            }
            V[v + 1 + j] = x;
          }
        }
        completeRow[p] = ok ? 1 : 0;
        if (!ok) continue;
        for (let j = 0; j < Kt; j++) V[v + 1 + Kterms + j] = timeValue(j, LEVEL, p);
        for (let j = 0; j < nIv; j++) {
          const q = p - ivLag[j]!;
          V[v + 1 + Kterms + Kt + j] = q < 0 ? NaN : ivCols[j]![base + q]!;
        }
      }
      // after[p] = Σ over complete rows s > p; afterN[p] their count
      afterN[T - 1] = 0;
      after.fill(0, (T - 1) * width, T * width);
      for (let p = T - 2; p >= 0; p--) {
        const a = p * width;
        const s = p + 1;
        afterN[p] = afterN[s]! + (completeRow[s] ? 1 : 0);
        for (let k = 0; k < width; k++) after[a + k] = after[s * width + k]! + (completeRow[s] ? V[s * width + k]! : 0);
      }
    }
    // transformed equations: first differences at p, or the orthogonal deviation of row p − 1 stored at p
    for (let p = firstDiff; p < T; p++) {
      const xr = r * K;
      if (fod) {
        const b = p - 1;
        const n = afterN[b]!;
        if (!completeRow[b] || n === 0) continue;
        const c = Math.sqrt(n / (n + 1));
        const v = b * width;
        y[r] = c * (V[v]! - after[v]! / n);
        for (let j = 0; j < Kterms + Kt; j++) X[xr + j] = c * (V[v + 1 + j]! - after[v + 1 + j]! / n);
        for (let j = 0; j < nIv; j++)
          ivValue[j] = c * (V[v + 1 + Kterms + Kt + j]! - after[v + 1 + Kterms + Kt + j]! / n);
        fodC[r] = c;
        fodN[r] = n;
      } else {
        const dy = dependent[base + p]! - dependent[base + p - 1]!;
        if (Number.isNaN(dy)) continue;
        let complete = true;
        for (let j = 0; j < Kterms; j++) {
          const c = termCols[j]!;
          const v = c[base + p - termLag[j]!]! - c[base + p - 1 - termLag[j]!]!;
          if (Number.isNaN(v)) {
            complete = false;
            break;
          }
          X[xr + j] = v;
        }
        if (!complete) {
          X.fill(0, xr, xr + K);
          continue;
        }
        for (let j = 0; j < Kt; j++) X[xr + Kterms + j] = timeValue(j, DIFF, p);
        y[r] = dy;
        for (let j = 0; j < nIv; j++) {
          const q = p - ivLag[j]!;
          ivValue[j] = q - 1 < 0 ? NaN : ivCols[j]![base + q]! - ivCols[j]![base + q - 1]!;
        }
      }
      kind[r] = DIFF;
      position[r] = p;
      zStart[r] = nz;
      for (let b = 0; b < gmm.length; b++) {
        const g = gmm[b]!;
        const x = gmmCols[b]!;
        if (layout.collapse) {
          for (let j = 0; j < g.diffCols; j++) {
            const q = p - g.from - j;
            if (q < 0) break;
            push(g.diffOffset + j, x[base + q]!);
          }
        } else {
          const lo = Math.max(0, p - g.to);
          const off = g.diffOffset + g.rowOffset[p]!;
          for (let q = lo; q <= p - g.from; q++) push(off + q - lo, x[base + q]!);
        }
      }
      if (!system) for (let j = 0; j < Kt; j++) push(layout.timeInstrumentOffset + j, X[xr + Kterms + j]!);
      for (let j = 0; j < nIv; j++) push(layout.ivDiffOffset + j, ivValue[j]!);
      r++;
      nobsDiff++;
    }
    // levels equations (system GMM)
    if (system) {
      for (let p = firstLevel; p < T; p++) {
        const yl = dependent[base + p]!;
        if (Number.isNaN(yl)) continue;
        const xr = r * K;
        let complete = true;
        for (let j = 0; j < Kterms; j++) {
          const v = termCols[j]![base + p - termLag[j]!]!;
          if (Number.isNaN(v)) {
            complete = false;
            break;
          }
          X[xr + j] = v;
        }
        if (!complete) {
          X.fill(0, xr, xr + K);
          continue;
        }
        for (let j = 0; j < Kt; j++) X[xr + Kterms + j] = timeValue(j, LEVEL, p);
        y[r] = yl;
        kind[r] = LEVEL;
        position[r] = p;
        zStart[r] = nz;
        for (let b = 0; b < gmm.length; b++) {
          const g = gmm[b]!;
          if (p < g.levelFirst) continue;
          const q = p - g.levelLag;
          const x = gmmCols[b]!;
          push(g.levelOffset + (layout.collapse ? 0 : p - g.levelFirst), x[base + q]! - x[base + q - 1]!);
        }
        for (let j = 0; j < Kt; j++) push(layout.timeInstrumentOffset + j, X[xr + Kterms + j]!);
        for (let j = 0; j < nIv; j++) {
          const q = p - ivLag[j]!;
          if (q < 0) continue;
          push(layout.ivLevelOffset + j, ivCols[j]![base + q]!);
        }
        r++;
        nobsLevel++;
      }
    }
    if (r > rowsBefore) groups++;
    unitStart[u + 1] = r;
  }
  zStart[r] = nz;

  // drop instrument columns that have no non-zero entry in the sample
  const used = new Uint8Array(layout.L);
  for (let i = 0; i < nz; i++) used[zCol[i]!] = 1;
  const remap = new Int32Array(layout.L);
  let L = 0;
  const keptColumns: number[] = [];
  for (let c = 0; c < layout.L; c++) {
    remap[c] = used[c] ? L++ : -1;
    if (used[c]) keptColumns.push(c);
  }
  if (L < layout.L) for (let i = 0; i < nz; i++) zCol[i] = remap[zCol[i]!]!;
  zCol = zCol.slice(0, nz);
  zVal = zVal.slice(0, nz);

  return {
    nrows: r,
    K,
    L,
    nunits: G,
    unitStart,
    kind: kind.slice(0, r),
    position: position.slice(0, r),
    y: y.slice(0, r),
    X: X.slice(0, r * K),
    zStart: zStart.slice(0, r + 1),
    zCol,
    zVal,
    droppedInstruments: layout.L - L,
    keptColumns: Int32Array.from(keptColumns),
    hDiag: fod ? 1 : 2,
    fodC: fodC.slice(0, r),
    fodN: fodN.slice(0, r),
    groups,
    nobsDiff,
    nobsLevel,
  };
}

/** X'X over all equations (K×K): to find regressors that are zero or collinear before any instrument is used. */
export function regressorGram(eq: StackedEquations): Float64Array {
  const { K, X } = eq;
  const A = new Float64Array(K * K);
  for (let r = 0; r < eq.nrows; r++) {
    const xr = r * K;
    for (let i = 0; i < K; i++) {
      const xi = X[xr + i]!;
      if (xi === 0) continue;
      for (let j = i; j < K; j++) A[i * K + j]! += xi * X[xr + j]!;
    }
  }
  for (let i = 0; i < K; i++) for (let j = 0; j < i; j++) A[i * K + j] = A[j * K + i]!;
  return A;
}

/** The same equations without the given regressor columns. */
export function withoutRegressors(eq: StackedEquations, drop: readonly number[]): StackedEquations {
  if (drop.length === 0) return eq;
  const gone = new Set(drop);
  const keep: number[] = [];
  for (let k = 0; k < eq.K; k++) if (!gone.has(k)) keep.push(k);
  const K = keep.length;
  const X = new Float64Array(eq.nrows * K);
  for (let r = 0; r < eq.nrows; r++) for (let j = 0; j < K; j++) X[r * K + j] = eq.X[r * eq.K + keep[j]!]!;
  return { ...eq, K, X };
}
