/**
 * The estimation sample of a linear model (OLS, IV): stages 1–3 shared by both estimators.
 *   1. resolve the fixed-effect, cluster and weight columns as typed arrays;
 *   2. drop rows with a missing value in any column of the model (note MISSING_DROPPED), rows with weight 0
 *      (warning WEIGHTS_ZERO_DROPPED; a negative weight is an error, WEIGHTS_NEGATIVE);
 *   3. drop singleton groups of every fixed effect, iteratively (note SINGLETONS_DROPPED), unless
 *      `singletons: keep` (fixest's default).
 */
import { groupCodes, type Column, type Frame } from '../../core/frame.js';
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
  const codeMemo = new Map<string, Int32Array>();
  const codesFor = (name: string): Int32Array => {
    let c = codeMemo.get(name);
    if (!c) {
      c = codesOf(columnOf(frame, name, model));
      codeMemo.set(name, c);
    }
    return c;
  };
  const feRaw = plan.fixedEffects.map(codesFor);
  const clusterNames = plan.vcov.type === 'cluster' ? plan.vcov.cluster : [];
  if (clusterNames.length > 2) {
    throw new SpecrunError('ESTIMATION_FAILED', {
      model,
      detail: `clustering on ${clusterNames.length} variables is not supported`,
      hint: 'cluster on one variable, or two (two-way clustering)',
    });
  }
  const clRaw = clusterNames.map(codesFor);
  const wRaw = plan.weights ? numericColumn(frame, plan.weights, model) : null;

  // 2. complete cases (and positive weights)
  const nAll = frame.nrows;
  const keep = new Uint8Array(nAll).fill(1);
  markMissing(keep, y);
  for (const x of xs) markMissing(keep, x);
  for (const c of feRaw) markNegative(keep, c);
  for (const c of clRaw) markNegative(keep, c);
  if (wRaw) markMissing(keep, wRaw);
  const nComplete = count(keep);
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
  }
  if (count(keep) === 0) throw new SpecrunError('NO_OBSERVATIONS', { model });

  // 3. singletons
  if (feRaw.length > 0 && plan.singletons !== 'keep') {
    const dropped = dropSingletons(feRaw, keep);
    dropped.forEach((d, k) => {
      if (d > 0) notes.push(note('SINGLETONS_DROPPED', { count: d, fe: plan.fixedEffects[k]! }));
    });
  }
  const n = count(keep);
  if (n === 0) throw new SpecrunError('NO_OBSERVATIONS', { model });
  // Copy the sample's rows only when some were dropped (the columns are never written to).
  const rows = n < nAll ? indicesOf(keep) : null;
  const yS = rows ? gather(y, rows) : y;
  const cols = xs.map((x) => (rows ? gather(x, rows) : x));
  const fe = buildFixedEffects(feRaw.map((c) => (rows ? gatherInt(c, rows) : c)));
  const clusters = clustersOn(plan, clRaw, rows, fe);
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
    names.map((name) => (plan.fixedEffects.includes(name) ? null : codesOf(columnOf(frame, name, plan.id)))),
    rows,
    fe,
  );
}

/** `raw`: each cluster variable's codes on all rows of the data; null (not needed) for one that is a fixed effect. */
function clustersOn(
  plan: OlsPlan | IvPlan,
  raw: readonly (Int32Array | null)[],
  rows: Int32Array | null,
  fe: FixedEffects,
): ClusterCodes[] {
  const names = plan.vcov.type === 'cluster' ? plan.vcov.cluster : [];
  return raw.map((c, j) => {
    // a cluster variable that is also a fixed effect reuses its dense codes
    const k = plan.fixedEffects.indexOf(names[j]!);
    if (k >= 0) return { codes: fe.codes[k]!, ngroups: fe.ngroups[k]! };
    const d = buildFixedEffects([rows ? gatherInt(c!, rows) : c!]);
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

/** Some row of the column is missing (what codesOf codes -1: NaN, or a missing text cell), without coding it. */
function hasMissing(col: Column): boolean {
  if (!(col instanceof Float64Array)) return col.codes.some((g) => g < 0);
  for (let i = 0; i < col.length; i++) if (col[i] !== col[i]) return true;
  return false;
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

/**
 * Group codes of a fixed-effect or cluster column (-1 when missing). Integer-valued numeric columns of moderate
 * range (ids, years) are coded through a lookup table, text columns use their factor codes; anything else goes
 * through the frame's generic groupCodes.
 */
function codesOf(col: Column): Int32Array {
  if (!(col instanceof Float64Array)) return col.codes;
  const n = col.length;
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v !== v) continue;
    if (v !== Math.floor(v)) return groupCodes(col).codes;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return new Int32Array(n).fill(-1);
  const range = max - min;
  if (range > 4 * n + 1024) return groupCodes(col).codes;
  const table = new Int32Array(range + 1).fill(-1);
  const codes = new Int32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const v = col[i]!;
    if (v !== v) {
      codes[i] = -1;
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
  return codes;
}

function markMissing(keep: Uint8Array, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) keep[i] = 0;
}

function markNegative(keep: Uint8Array, c: Int32Array): void {
  for (let i = 0; i < c.length; i++) if (c[i]! < 0) keep[i] = 0;
}

function count(keep: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < keep.length; i++) s += keep[i]!;
  return s;
}

function indicesOf(keep: Uint8Array): Int32Array {
  const out = new Int32Array(count(keep));
  let p = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[p++] = i;
  return out;
}

function gather(x: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = x[rows[i]!]!;
  return out;
}

function gatherInt(x: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = x[rows[i]!]!;
  return out;
}
