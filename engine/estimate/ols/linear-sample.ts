/**
 * The estimation sample of a linear model (OLS, IV): stages 1–3 shared by both estimators.
 *   1. resolve the fixed-effect, cluster and weight columns as typed arrays;
 *   2. drop rows with a missing value in any column of the model (note MISSING_DROPPED), rows with weight 0
 *      (warning WEIGHTS_ZERO_DROPPED; a negative weight is an error, WEIGHTS_NEGATIVE);
 *   3. drop singleton groups of every fixed effect, iteratively (note SINGLETONS_DROPPED), unless
 *      `singletons: keep` (fixest's default).
 */
import { groupCodes, hasMissing, type Column, type Frame } from '../../core/frame.js';
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { IvPlan, ModelPlanBase, OlsPlan, VcovPlan } from '../../normalize/plan.js';
import { buildFixedEffects, dropSingletons, type FixedEffects } from './fixed-effects.js';
import type { ClusterCodes } from './vcov.js';
import type { FitWithoutVcov } from '../types.js';
import { DEFAULT_SSC } from '../../spec/defaults.js';

export interface LinearSample {
  readonly n: number;
  /** Rows of the input kept (null: all of them). */
  readonly rows: Int32Array | null;
  readonly y: Float64Array;
  /** The other numeric columns given, on the sample. */
  readonly cols: Float64Array[];
  readonly fe: FixedEffects;
  readonly clusters: ClusterCodes[];
  /** Weights on the sample and their square roots (null: unweighted). */
  readonly weights: Float64Array | null;
  readonly sqrtW: Float64Array | null;
  readonly notes: Note[];
}

export function linearSample(
  plan: OlsPlan | IvPlan,
  frame: Frame,
  y: Float64Array,
  xs: readonly Float64Array[],
): LinearSample {
  const notes: Note[] = [];
  const model = plan.id;
  const codeMemo = new Map<string, CodedColumn>();
  const codedFor = (name: string): CodedColumn => {
    let c = codeMemo.get(name);
    if (!c) {
      c = codedColumn(columnOf(frame, name, model));
      codeMemo.set(name, c);
    }
    return c;
  };
  const feCoded = plan.fixedEffects.map(codedFor);
  const feRaw = feCoded.map((c) => c.codes);
  const clusterNames = plan.vcov.type === 'cluster' ? plan.vcov.cluster : [];
  if (clusterNames.length > 2) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `clustering on ${clusterNames.length} variables is not supported`,
      hint: 'cluster on one variable, or two (two-way clustering)',
    });
  }
  const clCoded = clusterNames.map(codedFor);
  const wRaw = plan.weights ? numericColumn(frame, plan.weights, model) : null;

  // 2. complete cases (and positive weights)
  const nAll = frame.nrows;
  const keep = new Uint8Array(nAll).fill(1);
  // (each mark returns the rows it dropped that were still kept: the sample's size without counting `keep`)
  let dropped = markMissing(keep, y);
  for (const x of xs) dropped += markMissing(keep, x);
  // a coded column known to have no missing row drops none
  for (const c of [...feCoded, ...clCoded]) if (c.missing) dropped += markNegative(keep, c.codes);
  if (wRaw) dropped += markMissing(keep, wRaw);
  const nComplete = nAll - dropped;
  if (nComplete < nAll) notes.push(note('MISSING_DROPPED', { count: nAll - nComplete }));
  if (wRaw) {
    let neg = 0,
      first = -1,
      zero = 0;
    for (let i = 0; i < nAll; i++) {
      if (!keep[i]) continue;
      const w = wRaw[i]!;
      if (w < 0) {
        neg++;
        if (first < 0) first = i;
      } else if (w === 0) {
        zero++;
        keep[i] = 0;
      }
    }
    if (neg > 0)
      throw new SpecrunError('WEIGHTS_NEGATIVE', {
        model,
        name: plan.weights!,
        count: neg,
        row: first + 1,
        value: wRaw[first]!,
      });
    if (zero > 0) notes.push(note('WEIGHTS_ZERO_DROPPED', { count: zero, name: plan.weights! }));
    dropped += zero;
  }
  let n = nAll - dropped;
  if (n === 0) throw new SpecrunError('NO_OBSERVATIONS', { model });
  // The group sizes counted while coding are those of the sample as long as every row is in it.
  const allRows = n === nAll;

  // 3. singletons
  if (feRaw.length > 0 && plan.singletons !== 'keep') {
    const single = dropSingletons(feRaw, keep, allRows ? feCoded.map((c) => c.counts) : undefined);
    single.forEach((d, k) => {
      n -= d;
      if (d > 0) notes.push(note('SINGLETONS_DROPPED', { count: d, fe: plan.fixedEffects[k]! }));
    });
  }
  if (n === 0) throw new SpecrunError('NO_OBSERVATIONS', { model });
  // Copy the sample's rows only when some were dropped (the columns are never written to).
  const rows = n < nAll ? indicesOf(keep, n) : null;
  const yS = rows ? gather(y, rows) : y;
  const cols = xs.map((x) => (rows ? gather(x, rows) : x));
  const fe = rows
    ? buildFixedEffects(feRaw.map((c) => gatherInt(c, rows)))
    : buildFixedEffects(
        feRaw,
        feCoded.map((c) => c.counts),
      );
  const clusters = clustersOn(plan, clCoded, rows, fe);
  const weights = wRaw ? (rows ? gather(wRaw, rows) : wRaw) : null;
  const sqrtW = weights ? weights.map(Math.sqrt) : null;
  return { n, rows, y: yS, cols, fe, clusters, weights, sqrtW, notes };
}

/**
 * The cluster codes of the plan's cluster variables on a sample (`rows` of `frame`, null: all), for the variance:
 * dense codes in order of first appearance, a cluster variable that is also a fixed effect reusing its codes.
 */
export function linearClusters(
  plan: OlsPlan | IvPlan,
  frame: Frame,
  rows: Int32Array | null,
  fe: FixedEffects,
): ClusterCodes[] {
  const names = plan.vcov.type === 'cluster' ? plan.vcov.cluster : [];
  if (names.length > 2) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model: plan.id,
      detail: `clustering on ${names.length} variables is not supported`,
      hint: 'cluster on one variable, or two (two-way clustering)',
    });
  }
  // (a cluster variable that is also a fixed effect reuses the FE's codes: its column is not encoded again)
  return clustersOn(
    plan,
    names.map((name) => (plan.fixedEffects.includes(name) ? null : codedColumn(columnOf(frame, name, plan.id)))),
    rows,
    fe,
  );
}

/**
 * `raw`: each cluster variable coded on all rows of the data (its group sizes are used only when `rows` is null: every
 * row in the sample); null (not needed) for one that is a fixed effect.
 */
function clustersOn(
  plan: OlsPlan | IvPlan,
  raw: readonly (CodedColumn | null)[],
  rows: Int32Array | null,
  fe: FixedEffects,
): ClusterCodes[] {
  const names = plan.vcov.type === 'cluster' ? plan.vcov.cluster : [];
  return raw.map((c, j) => {
    // a cluster variable that is also a fixed effect reuses its dense codes
    const k = plan.fixedEffects.indexOf(names[j]!);
    if (k >= 0) return { codes: fe.codes[k]!, ngroups: fe.ngroups[k]! };
    const d = rows ? buildFixedEffects([gatherInt(c!.codes, rows)]) : buildFixedEffects([c!.codes], [c!.counts]);
    return { codes: d.codes[0]!, ngroups: d.ngroups[0]! };
  });
}

/**
 * The fit of a linear model (or a GLM) does not depend on its variance choice, except that a row whose cluster
 * variable is missing leaves the sample: the fit cache keys a fit by the plan with a neutral vcov and by the cluster
 * variables that are missing on some row of the model's data (engine/run/estimate-model.ts).
 */
export function linearFitWithoutVcov<P extends ModelPlanBase & { readonly vcov: VcovPlan }>(): FitWithoutVcov<P> {
  return {
    plan: (plan) => ({ ...plan, vcov: { type: 'iid', cluster: [], ssc: DEFAULT_SSC } }),
    sampleKey: (plan, data) => {
      const names = plan.vcov.type === 'cluster' ? plan.vcov.cluster : [];
      return names.filter((name) => {
        const c = data.frame.get(name);
        return c !== undefined && hasMissing(c);
      });
    },
  };
}

function columnOf(frame: Frame, name: string, model: string): Column {
  const c = frame.get(name);
  if (!c)
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `no column ${name} in the data given to the estimator`,
      hint: 'this is a bug in specrun: the column should have been built before estimation',
    });
  return c;
}

export function numericColumn(frame: Frame, name: string, model: string): Float64Array {
  const c = columnOf(frame, name, model);
  if (!(c instanceof Float64Array)) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `${name} is a text column and cannot be a regressor`,
      hint: 'use a numeric variable, or put a categorical variable after | as a fixed effect',
    });
  }
  return c;
}

/** A fixed-effect or cluster column coded (codedColumn), with what the coding learnt on the way. */
export interface CodedColumn {
  /** Group code of each row, -1 when missing. */
  readonly codes: Int32Array;
  /**
   * Rows per code when the codes are dense (0..G−1, G = counts.length) and were counted while coding; null when not
   * counted (text columns, the generic groupCodes route). The sizes on all rows of the data, missing rows excluded.
   */
  readonly counts: Int32Array | null;
  /** Some row may be coded -1 (false only when the coding saw none). */
  readonly missing: boolean;
}

/**
 * Group codes of a fixed-effect or cluster column (-1 when missing). Integer-valued numeric columns of moderate
 * range (ids, years) are coded through a lookup table in order of first appearance, counting the rows of each code
 * on the way; text columns use their factor codes; anything else goes through the frame's generic groupCodes.
 */
export function codedColumn(col: Column): CodedColumn {
  if (!(col instanceof Float64Array)) return { codes: col.codes, counts: null, missing: true };
  const n = col.length;
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v !== v) continue;
    if (v !== Math.floor(v)) return { codes: groupCodes(col).codes, counts: null, missing: true };
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return { codes: new Int32Array(n).fill(-1), counts: null, missing: n > 0 };
  const range = max - min;
  if (range > 4 * n + 1024) return { codes: groupCodes(col).codes, counts: null, missing: true };
  // a range wider than the rows: a table of codes only (it holds more places than rows), the rows counted after
  if (range >= n) return codedWide(col, min, range);
  // per value v, at 2(v − min): its code + 1 (0: not seen yet) and, beside it (the same cache line), its rows
  const table = new Int32Array(2 * (range + 1));
  const codes = int32Array(n);
  let next = 0,
    missing = false;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v !== v) {
      codes[i] = -1;
      missing = true;
      continue;
    }
    const t = 2 * (v - min);
    let c = table[t]!;
    if (c === 0) {
      c = ++next;
      table[t] = c;
    }
    table[t + 1]!++;
    codes[i] = c - 1;
  }
  const counts = new Int32Array(next);
  for (let t = 0; t <= 2 * range; t += 2) {
    const c = table[t]!;
    if (c > 0) counts[c - 1] = table[t + 1]!;
  }
  return { codes, counts, missing };
}

/** codedColumn of an integer column whose range (max − min) is at least its rows: the same codes and counts. */
function codedWide(col: Float64Array, min: number, range: number): CodedColumn {
  const n = col.length;
  const table = new Int32Array(range + 1).fill(-1);
  const codes = int32Array(n);
  let next = 0,
    missing = false;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v !== v) {
      codes[i] = -1;
      missing = true;
      continue;
    }
    const t = v - min;
    let c = table[t]!;
    if (c < 0) {
      c = next++;
      table[t] = c;
    }
    codes[i] = c;
  }
  const counts = new Int32Array(next);
  for (let i = 0; i < n; i++) if (codes[i]! >= 0) counts[codes[i]!]!++;
  return { codes, counts, missing };
}

/** Drop the rows where x is not finite; returns how many of them were still kept. */
function markMissing(keep: Uint8Array, x: Float64Array): number {
  let d = 0;
  const n = x.length;
  let i = 0;
  // four rows a test: v − v is 0 for a finite v and NaN otherwise, so the sum is 0 only when all four are finite
  for (; i + 3 < n; i += 4) {
    if (x[i]! - x[i]! + (x[i + 1]! - x[i + 1]!) + (x[i + 2]! - x[i + 2]!) + (x[i + 3]! - x[i + 3]!) === 0) continue;
    for (let j = i; j < i + 4; j++)
      if (!Number.isFinite(x[j]!)) {
        d += keep[j]!;
        keep[j] = 0;
      }
  }
  for (; i < n; i++)
    if (!Number.isFinite(x[i]!)) {
      d += keep[i]!;
      keep[i] = 0;
    }
  return d;
}

/** Drop the rows coded -1; returns how many of them were still kept. */
function markNegative(keep: Uint8Array, c: Int32Array): number {
  let d = 0;
  for (let i = 0; i < c.length; i++)
    if (c[i]! < 0) {
      d += keep[i]!;
      keep[i] = 0;
    }
  return d;
}

/** The kept rows (`n` of them). */
function indicesOf(keep: Uint8Array, n: number): Int32Array {
  const out = new Int32Array(n);
  let p = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[p++] = i;
  return out;
}

function gather(x: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = x[rows[i]!]!;
  return out;
}

/** Rows from which the codes are put in a SharedArrayBuffer (the demeaning threads then read them without a copy). */
const SHARED_CODES_MIN_ROWS = 1 << 16;

/** An Int32Array, on a SharedArrayBuffer when it is large (codes the demeaning threads may read). */
function int32Array(n: number): Int32Array {
  return n >= SHARED_CODES_MIN_ROWS ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n);
}

function gatherInt(x: Int32Array, rows: Int32Array): Int32Array {
  const out = int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = x[rows[i]!]!;
  return out;
}
