/**
 * Non-oriented SBM efficiency with desirable and undesirable outputs (Tone 2001; Tone 2003/2004), CRS or VRS, with
 * optional super-efficiency for the efficient units (Tone 2002, undesirable outputs kept: see sbm-lp.ts), over any
 * set of frontiers (each: the rows evaluated and the rows forming the reference technology).
 *
 *   ρ = [1 − (1/m) Σ sᵢ⁻/xᵢₒ] / [1 + (1/(s1+s2)) (Σ sᵍ/yᵍₒ + Σ sᵇ/yᵇₒ)],
 *   xₒ = Xλ + s⁻, yᵍₒ = Yᵍλ − sᵍ, yᵇₒ = Yᵇλ + sᵇ, λ, s ≥ 0 (VRS: Σλ = 1).
 *
 * Speed (see README.md in this folder): only efficient units can carry weight in an optimal λ, so each frontier first
 * screens the units that no other unit dominates (inputs and bad outputs no larger, good outputs no smaller, one
 * strictly better), solves their LPs to find the efficient set E, then solves every unit's LP over E ∪ {itself}.
 * Correctness never rests on that screen: each LP is closed by pricing every reference unit (column generation) and
 * certified (sbm-lp.ts); a unit whose LP cannot be certified, even by the full LP with Bland's rule, gets NaN and a
 * status, never a silent number.
 *
 * Pure: typed arrays in, typed arrays out; the optional progress callback is the caller's business.
 */
import { SbmUnitSolver, type UnitLpProblem, type UnitLpResult } from './sbm-lp.js';

export type Rts = 'crs' | 'vrs';

export interface SbmData {
  /** Input columns (m ≥ 1), each of length n. */
  readonly inputs: readonly Float64Array[];
  /** Desirable output columns (s1 ≥ 1). */
  readonly desirable: readonly Float64Array[];
  /** Undesirable output columns (s2 ≥ 0). */
  readonly undesirable: readonly Float64Array[];
}

export interface SbmFrontier {
  /** Rows whose score is computed against this frontier. Must be a subset of `reference`. */
  readonly evaluate: Int32Array;
  /** Rows that span the technology. */
  readonly reference: Int32Array;
}

export interface SbmOptions {
  /** __Default value:__ `crs` */
  rts?: Rts;
  /** Super-efficiency score for the efficient units. __Default value:__ false */
  super?: boolean;
  /** `na`: any value ≤ 0 makes the unit missing; `dear`: deaR's rule (see README.md). __Default value:__ `na` */
  nonpositive?: 'na' | 'dear';
  /** Frontiers. __Default value:__ one frontier of all rows (evaluate = reference = every row). */
  frontiers?: readonly SbmFrontier[];
  /** SBM ρ ≥ 1 − tol counts as efficient. __Default value:__ 1e-9 */
  efficiencyTol?: number;
  /** Called now and then with the number of evaluated units done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Why a row has no score. */
export const SbmStatus = {
  OK: 0,
  MISSING: 1,
  NONPOSITIVE: 2,
  LP_FAILED: 3,
  SUPER_INFEASIBLE: 4,
  NOT_EVALUATED: 5,
} as const;

export interface SbmResult {
  /** ρ (or δ ≥ 1 for efficient units under `super`); NaN without a score. */
  readonly score: Float64Array;
  /** 1 when the SBM score is 1 (within `efficiencyTol`). */
  readonly efficient: Uint8Array;
  /** SBM slacks in data units, one array per variable: inputs, desirable, undesirable. */
  readonly slacks: Float64Array[];
  /** Reference set per row (row indices, ascending) of the LP whose score is reported; empty without a score. */
  readonly peers: Int32Array[];
  /** λ of each peer, aligned with `peers`. */
  readonly lambdas: Float64Array[];
  /** SbmStatus code per row. */
  readonly status: Uint8Array;
  /** Zero outputs replaced by deaR's rule, each data cell counted once (also when several frontiers use it). */
  readonly replaced: number;
  /** Failure details of rows with LP_FAILED, as `row: detail`. */
  readonly failures: string[];
  /** Work counters (for benchmarks and the README): LP solves and full-LP fallbacks. */
  readonly work: { lpSolves: number; fallbacks: number; candidates: number; efficient: number };
}

/** Compute SBM scores for every evaluated row of every frontier. */
export function sbmEfficiency(data: SbmData, options: SbmOptions = {}): SbmResult {
  const m = data.inputs.length;
  const s1 = data.desirable.length;
  const s2 = data.undesirable.length;
  if (m < 1 || s1 < 1) throw new Error('sbmEfficiency: at least one input and one desirable output are needed');
  const cols = [...data.inputs, ...data.desirable, ...data.undesirable];
  const p = cols.length;
  const n = cols[0]!.length;
  for (const c of cols) if (c.length !== n) throw new Error('sbmEfficiency: columns of different lengths');
  const vrs = (options.rts ?? 'crs') === 'vrs';
  const dear = (options.nonpositive ?? 'na') === 'dear';
  const effTol = options.efficiencyTol ?? 1e-9;
  const frontiers = options.frontiers ?? [{ evaluate: seq(n), reference: seq(n) }];

  const score = new Float64Array(n).fill(NaN);
  const efficient = new Uint8Array(n);
  const slacks = cols.map(() => new Float64Array(n).fill(NaN));
  const peers: Int32Array[] = Array.from({ length: n }, () => new Int32Array(0));
  const lambdas: Float64Array[] = Array.from({ length: n }, () => new Float64Array(0));
  const status = new Uint8Array(n).fill(SbmStatus.NOT_EVALUATED);
  const failures: string[] = [];
  const work = { lpSolves: 0, fallbacks: 0, candidates: 0, efficient: 0 };
  const replacedCells = new Set<number>();

  // row validity does not depend on the frontier
  const rowState = new Uint8Array(n); // 0 usable, 1 missing, 2 non-positive
  for (let i = 0; i < n; i++) {
    let missing = false;
    let bad = false;
    let positiveInputs = 0;
    for (let r = 0; r < p; r++) {
      const v = cols[r]![i]!;
      if (Number.isNaN(v) || !Number.isFinite(v)) missing = true;
      else if (dear ? v < 0 : v <= 0) bad = true;
      else if (r < m && v > 0) positiveInputs++;
    }
    rowState[i] = missing ? 1 : bad || positiveInputs === 0 ? 2 : 0;
  }

  const total = frontiers.reduce((s, f) => s + f.evaluate.length, 0);
  let done = 0;
  let lastReport = -1;
  const progress = (): void => {
    if (!options.onProgress) return;
    const pct = Math.floor((100 * done) / Math.max(total, 1));
    if (pct !== lastReport) {
      lastReport = pct;
      options.onProgress(done, total);
    }
  };

  for (const fr of frontiers) {
    // 1. usable reference rows and the frontier's data matrix (deaR's replacement of zeros uses this frontier's data)
    const refRows: number[] = [];
    for (const i of fr.reference) if (rowState[i] === 0) refRows.push(i);
    const nR = refRows.length;
    const position = new Map<number, number>();
    refRows.forEach((row, k) => position.set(row, k));
    const minPos = new Float64Array(p).fill(Infinity);
    for (const i of refRows)
      for (let r = 0; r < p; r++) {
        const v = cols[r]![i]!;
        if (v > 0 && v < minPos[r]!) minPos[r] = v;
      }
    const ref = new Float64Array(nR * p);
    let refSuper: Float64Array | null = null; // zero inputs replaced too (deaR's model_sbmsupereff)
    const unusable = new Uint8Array(nR); // an output that is zero everywhere cannot be replaced
    for (let k = 0; k < nR; k++)
      for (let r = 0; r < p; r++) {
        let v = cols[r]![refRows[k]!]!;
        if (v === 0 && r >= m) {
          if (Number.isFinite(minPos[r]!)) {
            v = minPos[r]! / 100;
            replacedCells.add(refRows[k]! * p + r);
          } else unusable[k] = 1;
        }
        ref[k * p + r] = v;
      }
    if (dear && options.super) {
      refSuper = Float64Array.from(ref);
      for (let k = 0; k < nR; k++)
        for (let r = 0; r < m; r++) {
          if (refSuper[k * p + r] === 0 && Number.isFinite(minPos[r]!)) refSuper[k * p + r] = minPos[r]! / 100;
        }
    }
    const solver = new SbmUnitSolver(nR);
    const sbmOf = new Map<number, UnitLpResult>();
    const problem = (k: number, model: 'sbm' | 'super'): UnitLpProblem => {
      const mat = model === 'super' && refSuper ? refSuper : ref;
      const own = mat.slice(k * p, (k + 1) * p);
      const inputWeight = new Float64Array(m);
      for (let r = 0; r < m; r++) inputWeight[r] = own[r]! > 0 ? 1 : 0;
      return { model, vrs, m, s1, s2, ref: mat, nR, own, inputWeight, exclude: model === 'super' ? k : -1 };
    };

    // 2. candidates: units no other unit dominates; their LPs give the efficient set E
    const cand = paretoCandidates(ref, nR, p, m, s1);
    work.candidates += cand.length;
    const E: number[] = [];
    for (const k of cand) {
      if (unusable[k]) continue;
      const res = solver.solve(problem(k, 'sbm'), [...E, k]);
      sbmOf.set(k, res);
      if (res.status === 'ok' && res.score >= 1 - effTol) E.push(k);
    }
    work.efficient += E.length;

    // 3. every evaluated row
    for (const row of fr.evaluate) {
      done++;
      if (rowState[row] !== 0) {
        status[row] = rowState[row] === 1 ? SbmStatus.MISSING : SbmStatus.NONPOSITIVE;
        continue;
      }
      const k = position.get(row);
      if (k === undefined) throw new Error(`sbmEfficiency: evaluated row ${row} is not in its reference set`);
      if (unusable[k]) {
        status[row] = SbmStatus.NONPOSITIVE;
        continue;
      }
      let res = sbmOf.get(k);
      if (!res) {
        res = solver.solve(problem(k, 'sbm'), [...E, k]);
      }
      if (res.status !== 'ok') {
        status[row] = SbmStatus.LP_FAILED;
        failures.push(`${row}: ${res.detail}`);
        continue;
      }
      const rho = Math.min(res.score, 1);
      const isEff = rho >= 1 - effTol;
      efficient[row] = isEff ? 1 : 0;
      for (let r = 0; r < p; r++) slacks[r]![row] = res.slacks[r]!;
      let reported = res;
      score[row] = rho;
      status[row] = SbmStatus.OK;
      if (options.super && isEff) {
        // with no other unit in the technology there is nothing to project on (the LP would set every good output
        // to zero and report the bad outputs' share of the denominator)
        const sup: UnitLpResult =
          nR > 1
            ? solver.solve(
                problem(k, 'super'),
                E.filter((j) => j !== k),
              )
            : {
                status: 'infeasible',
                score: NaN,
                slacks: new Float64Array(p),
                peers: new Int32Array(0),
                lambdas: new Float64Array(0),
                detail: 'no other unit',
              };
        if (sup.status === 'ok') {
          score[row] = Math.max(sup.score, 1);
          reported = sup;
        } else {
          score[row] = NaN;
          status[row] = sup.status === 'infeasible' ? SbmStatus.SUPER_INFEASIBLE : SbmStatus.LP_FAILED;
          if (sup.status !== 'infeasible') failures.push(`${row}: super-efficiency: ${sup.detail}`);
          continue;
        }
      }
      peers[row] = Int32Array.from(reported.peers, (j) => refRows[j]!);
      lambdas[row] = reported.lambdas;
      if (done % 64 === 0) progress();
    }
    work.lpSolves += solver.lpSolves;
    work.fallbacks += solver.fallbacks;
  }
  progress();
  return { score, efficient, slacks, peers, lambdas, status, replaced: replacedCells.size, failures, work };
}

/**
 * Units of the reference matrix that no other unit dominates (smaller-or-equal inputs and bad outputs, larger-or-equal
 * good outputs, one strictly better). A dominated unit is SBM-inefficient under CRS and VRS alike. Units are visited
 * in increasing order of a score that any dominator has strictly smaller, so each is checked against the kept ones only.
 */
export function paretoCandidates(ref: Float64Array, nR: number, p: number, m: number, s1: number): number[] {
  const mean = new Float64Array(p);
  for (let k = 0; k < nR; k++) for (let r = 0; r < p; r++) mean[r] = mean[r]! + ref[k * p + r]!;
  for (let r = 0; r < p; r++) mean[r] = mean[r]! > 0 ? mean[r]! / nR : 1;
  const key = new Float64Array(nR);
  for (let k = 0; k < nR; k++) {
    let s = 0;
    for (let r = 0; r < p; r++) {
      const v = ref[k * p + r]! / mean[r]!;
      s += r >= m && r < m + s1 ? -v : v;
    }
    key[k] = s;
  }
  const order = Array.from({ length: nR }, (_, k) => k).sort((a, b) => key[a]! - key[b]! || a - b);
  const kept: number[] = [];
  for (const k of order) {
    let dominated = false;
    for (const j of kept) {
      let weakly = true;
      let strictly = false;
      for (let r = 0; r < p; r++) {
        const a = ref[j * p + r]!;
        const b = ref[k * p + r]!;
        const better = r >= m && r < m + s1 ? a - b : b - a; // > 0 when j is better on r
        if (better < 0) {
          weakly = false;
          break;
        }
        if (better > 0) strictly = true;
      }
      if (weakly && strictly) {
        dominated = true;
        break;
      }
    }
    if (!dominated) kept.push(k);
  }
  return kept.sort((a, b) => a - b);
}

function seq(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
