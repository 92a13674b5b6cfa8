/**
 * One unit's SBM or super-SBM linear programme, solved over a small working set of reference columns, extended by
 * column generation and certified against every reference column before the number is used.
 *
 * Notation: unit o with values v_o = (x_o, yᵍ_o, yᵇ_o) (p = m + s1 + s2 entries), reference matrix V (nR × p),
 * q = s1 + s2. Every row r is scaled by σ_r = v_or (1 when v_or = 0), so that the LP sees ratios v_jr / v_or.
 *
 * SBM with undesirable outputs (Tone 2001; Tone 2003/2004), after the Charnes–Cooper transformation (t > 0):
 *
 *   ρ* = min  t − (1/m') Σᵢ wᵢ S̃ᵢ⁻
 *        s.t. t + (1/q)(Σ S̃ᵍ + Σ S̃ᵇ) = 1
 *             −t·x̃ᵢₒ + Σⱼ Λⱼ x̃ᵢⱼ + S̃ᵢ⁻ = 0      (inputs)
 *             −t     + Σⱼ Λⱼ ỹᵍⱼ − S̃ᵍ  = 0      (desirable outputs)
 *             −t     + Σⱼ Λⱼ ỹᵇⱼ + S̃ᵇ  = 0      (undesirable outputs)
 *             [VRS]  −t + Σⱼ Λⱼ = 0;   Λ, S̃, t ≥ 0
 *
 * with x̃ = x/σ, S̃ = t·s/σ; wᵢ = 1, m' = m, except under deaR's rule where a zero input of unit o gets wᵢ = 0 and
 * m' counts the others. Slacks in data units: sᵣ = S̃ᵣ σᵣ / t, λ = Λ / t.
 *
 * Super-efficiency SBM with undesirable outputs, for an efficient unit o, reference set without o. Tone (2002)'s
 * super-SBM δ = [(1/m) Σ x̄ᵢ/xᵢₒ] / [(1/s) Σ ȳᵣ/yᵣₒ] written with super-slacks (x̄ = xₒ + t⁻, ȳ = yₒ − tᵍ) and the
 * undesirable outputs treated as in Tone (2003): they join the output group of the denominator with the opposite
 * direction (ȳᵇ = yᵇₒ + tᵇ, an increase of the bad output is a loss, like a decrease of a good one):
 *
 *   δ* = min [1 + (1/m) Σ tᵢ⁻/xᵢₒ] / [1 − (1/q)(Σ tᵍ/yᵍₒ + Σ tᵇ/yᵇₒ)]
 *        s.t. Σ_{j≠o} λⱼ xᵢⱼ ≤ xᵢₒ + tᵢ⁻,  Σ_{j≠o} λⱼ yᵍⱼ ≥ yᵍₒ − tᵍ,  Σ_{j≠o} λⱼ yᵇⱼ ≤ yᵇₒ + tᵇ,  λ, t ≥ 0 [, Σλ = 1]
 *
 * (the slack form of the "super-SBM with undesirable outputs" of the applied literature, e.g. Cheng (2014), Data
 * Envelopment Analysis: Methods and MaxDEA Software). Without undesirable outputs it is exactly Tone (2002) as computed
 * by deaR's model_sbmsupereff (which drops undesirable outputs with a warning).
 * Charnes–Cooper with the denominator fixed at 1 gives: min t + (1/m) Σ T̃ᵢ s.t. t − (1/q)(Σ T̃ᵍ + Σ T̃ᵇ) = 1,
 * −t + Σ Λ x̃ − T̃ᵢ + Pᵢ = 0, −t + Σ Λ ỹᵍ + T̃ᵍ − Pᵍ = 0, −t + Σ Λ ỹᵇ − T̃ᵇ + Pᵇ = 0 [, −t + Σ Λ = 0], all ≥ 0
 * (P are the surplus variables of the inequalities).
 *
 * Certificate: at the end the basis is refactored; the primal residual |A x − b| is recomputed from the LP's own
 * columns, and the reduced cost of every column of the FULL problem (each structural column and every reference unit,
 * priced from the data, not from the working set) must be ≥ −tol. Primal feasible + dual feasible + equal objectives
 * (c_Bᵀx_B = yᵀb) is LP optimality, so a certified number does not depend on which working set was used.
 */
import { RevisedSimplex, type SimplexOptions, type SimplexStatus } from '../../numerics/lp/revised-simplex.js';

export type SbmModel = 'sbm' | 'super';

export interface UnitLpResult {
  /** `ok`: certified optimum; `infeasible`: the full LP has no solution; `failed`: no certified optimum. */
  status: 'ok' | 'infeasible' | 'failed';
  score: number;
  /** t · (each structural variable) → data-unit slacks per variable (p entries); super: the super-slacks t⁻, tᵍ, tᵇ. */
  slacks: Float64Array;
  /** Reference units with λ > 0 (indices into the reference matrix) and their λ. */
  peers: Int32Array;
  lambdas: Float64Array;
  /** Why it failed (for notes and tests). */
  detail: string;
}

export interface UnitLpProblem {
  model: SbmModel;
  vrs: boolean;
  m: number;
  s1: number;
  s2: number;
  /** Reference matrix, row-major nR × p. */
  ref: Float64Array;
  nR: number;
  /** The unit's own values (p). */
  own: Float64Array;
  /** Input weights (1, or 0 for a zero input under deaR's rule). */
  inputWeight: Float64Array;
  /** Reference row excluded from the problem (super-efficiency: the unit itself), or −1. */
  exclude: number;
}

/** Tolerances of the certificate (relative to the size of the terms involved). */
export const CERT_TOL = 1e-9;
const GEN_TOL = 1e-10;
const MAX_ADD = 16;
const MAX_ROUNDS = 500;

/** Reusable workspace for the unit LPs of one reference matrix. */
export class SbmUnitSolver {
  private readonly inLp: Int32Array;
  private lp: RevisedSimplex | null = null;
  private readonly d: Float64Array;
  /** Diagnostics: how many units needed the full-LP fallback. */
  fallbacks = 0;
  lpSolves = 0;

  /** `simplex`: options passed to every solve (an iteration cap, to exercise the failure path in tests). */
  constructor(
    nR: number,
    private readonly simplex: SimplexOptions = {},
  ) {
    this.inLp = new Int32Array(nR).fill(-1);
    this.d = new Float64Array(nR);
  }

  /** Solve unit o's LP starting from the working set `start` (reference indices); falls back to the full LP. */
  solve(pb: UnitLpProblem, start: ArrayLike<number>): UnitLpResult {
    let res = this.attempt(pb, start, false);
    if (res.status !== 'ok') {
      // an infeasible verdict (reached with every column in) gets a second opinion too, but is not a failure
      if (res.status !== 'infeasible') this.fallbacks++;
      const all: number[] = [];
      for (let j = 0; j < pb.nR; j++) if (j !== pb.exclude) all.push(j);
      const retry = this.attempt(pb, all, true);
      if (retry.status === 'ok' || retry.status === 'infeasible') res = retry;
      else res = { ...retry, detail: `${res.detail}; full LP with Bland's rule: ${retry.detail}` };
    }
    return res;
  }

  private attempt(pb: UnitLpProblem, start: ArrayLike<number>, bland: boolean): UnitLpResult {
    const { m, s1, s2, vrs, model, ref, nR, own, exclude } = pb;
    const p = m + s1 + s2;
    const q = s1 + s2;
    const rows = 1 + p + (vrs ? 1 : 0);
    const sigma = new Float64Array(p);
    for (let r = 0; r < p; r++) sigma[r] = own[r]! > 0 ? own[r]! : 1;
    let mEff = 0;
    for (let i = 0; i < m; i++) mEff += pb.inputWeight[i]!;
    const b = new Float64Array(rows);
    b[0] = 1;
    // one simplex instance per solver, reset between units (its arrays are reused)
    let lp = this.lp;
    if (!lp || lp.m !== rows) lp = this.lp = new RevisedSimplex(rows, b, 2 + 2 * p + start.length + 8);
    else lp.reset(b);
    const col = new Float64Array(rows);
    // structural columns: t, then per variable one slack (SBM) or super-slack + surplus (super)
    col.fill(0);
    col[0] = 1;
    for (let r = 0; r < p; r++) col[1 + r] = -own[r]! / sigma[r]!;
    if (vrs) col[1 + p] = -1;
    lp.addColumn(col, 1);
    for (let r = 0; r < p; r++) {
      const isInput = r < m;
      const isGood = r >= m && r < m + s1;
      col.fill(0);
      if (model === 'sbm') {
        // S̃ᵣ: +1 in input and bad rows, −1 in good rows; 1/q in row 0 for outputs; cost −w/m' for inputs
        col[1 + r] = isGood ? -1 : 1;
        if (!isInput) col[0] = 1 / q;
        lp.addColumn(col, isInput ? -pb.inputWeight[r]! / mEff : 0);
      } else {
        // T̃ᵣ: −1 in input and bad rows, +1 in good rows; −1/q in row 0 for outputs; cost 1/m for inputs
        col[1 + r] = isGood ? 1 : -1;
        if (!isInput) col[0] = -1 / q;
        lp.addColumn(col, isInput ? 1 / m : 0);
        col.fill(0);
        col[1 + r] = isGood ? -1 : 1; // surplus Pᵣ
        lp.addColumn(col, 0);
      }
    }
    const nStruct = lp.ncols;
    const lpRef: number[] = [];
    const addRef = (j: number): void => {
      const off = j * p;
      col.fill(0);
      for (let r = 0; r < p; r++) col[1 + r] = ref[off + r]! / sigma[r]!;
      if (vrs) col[1 + p] = 1;
      this.inLp[j] = lp.addColumn(col, 0);
      lpRef.push(j);
    };
    try {
      for (let k = 0; k < start.length; k++) {
        const j = start[k]!;
        if (j !== exclude && this.inLp[j]! < 0) addRef(j);
      }
      let status: SimplexStatus = 'optimal';
      let rounds = 0;
      for (;;) {
        this.lpSolves++;
        status = lp.solve({ ...this.simplex, bland });
        if (status === 'infeasible' && lpRef.length < nR - (exclude >= 0 ? 1 : 0)) {
          // infeasible over a subset says nothing about the full problem: bring every column in and resume
          for (let j = 0; j < nR; j++) if (j !== exclude && this.inLp[j]! < 0) addRef(j);
          continue;
        }
        if (status !== 'optimal') break;
        // price every reference column not in the LP
        const added = this.price(lp, pb, sigma, GEN_TOL);
        if (added.length === 0) break;
        for (const j of added) addRef(j);
        if (++rounds > MAX_ROUNDS) {
          status = 'iteration_limit';
          break;
        }
      }
      if (status === 'infeasible') return failure('infeasible', 'the LP has no feasible point', p);
      if (status !== 'optimal') return failure('failed', `simplex stopped: ${status}`, p);
      return this.certify(lp, pb, sigma, nStruct, lpRef);
    } finally {
      for (const j of lpRef) this.inLp[j] = -1;
    }
  }

  /** Reference columns outside the LP with a negative reduced cost (most negative first, at most MAX_ADD). */
  private price(lp: RevisedSimplex, pb: UnitLpProblem, sigma: Float64Array, tol: number): number[] {
    const { ref, nR, exclude, vrs } = pb;
    const p = sigma.length;
    const w = new Float64Array(p);
    for (let r = 0; r < p; r++) w[r] = lp.y[1 + r]! / sigma[r]!;
    const yv = vrs ? lp.y[1 + p]! : 0;
    const out: number[] = [];
    const d = this.d;
    for (let j = 0; j < nR; j++) {
      if (j === exclude || this.inLp[j]! >= 0) continue;
      const off = j * p;
      let s = yv;
      let scale = Math.abs(yv);
      for (let r = 0; r < p; r++) {
        const t = w[r]! * ref[off + r]!;
        s += t;
        scale += Math.abs(t);
      }
      // reduced cost of Λⱼ is 0 − yᵀAⱼ = −s
      if (-s < -tol * (1 + scale)) {
        d[j] = -s;
        out.push(j);
      }
    }
    if (out.length > MAX_ADD) {
      out.sort((a, b2) => d[a]! - d[b2]! || a - b2);
      out.length = MAX_ADD;
    }
    return out;
  }

  private certify(
    lp: RevisedSimplex,
    pb: UnitLpProblem,
    sigma: Float64Array,
    nStruct: number,
    lpRef: number[],
  ): UnitLpResult {
    const { m, s1, s2, model } = pb;
    const p = m + s1 + s2;
    const rows = lp.m;
    // the simplex ends every solve on a freshly factorised basis with y = c_Bᵀ B⁻¹ of that basis
    const y = lp.y;
    // primal: x ≥ 0, artificials at zero, residual of A x = b from the LP's columns
    const x = new Float64Array(lp.ncols);
    for (let r = 0; r < rows; r++) {
      const j = lp.basis[r]!;
      const v = lp.xB[r]!;
      if (j >= 0) {
        if (v < -CERT_TOL) return failure('failed', `negative basic value ${v}`, p);
        x[j] = Math.max(v, 0);
      } else if (Math.abs(v) > CERT_TOL) {
        return failure('failed', `artificial variable left at ${v}`, p);
      }
    }
    for (let i = 0; i < rows; i++) {
      let s = i === 0 ? -1 : 0;
      let scale = i === 0 ? 1 : 0;
      for (let j = 0; j < lp.ncols; j++) {
        if (x[j] === 0) continue;
        const t = lp.entry(i, j) * x[j]!;
        s += t;
        scale += Math.abs(t);
      }
      if (Math.abs(s) > CERT_TOL * (1 + scale)) return failure('failed', `row ${i} residual ${s}`, p);
    }
    // dual: every LP column (structural and reference) and every reference unit outside the LP
    for (let j = 0; j < lp.ncols; j++) {
      let d = lp.cost(j);
      let scale = Math.abs(d);
      for (let i = 0; i < rows; i++) {
        const t = y[i]! * lp.entry(i, j);
        d -= t;
        scale += Math.abs(t);
      }
      if (d < -CERT_TOL * (1 + scale)) return failure('failed', `column ${j} reduced cost ${d}`, p);
    }
    if (this.price(lp, pb, sigma, CERT_TOL).length > 0) return failure('failed', 'a reference unit prices out', p);
    let obj = 0;
    for (let j = 0; j < lp.ncols; j++) obj += lp.cost(j) * x[j]!;
    if (Math.abs(obj - y[0]!) > CERT_TOL * (1 + Math.abs(obj)))
      return failure('failed', `duality gap ${obj - y[0]!}`, p);
    // read the solution back in data units
    const t = x[0]!;
    if (!(t > 0)) return failure('failed', 't is not positive', p);
    const slacks = new Float64Array(p);
    const step = model === 'sbm' ? 1 : 2;
    for (let r = 0; r < p; r++) slacks[r] = (x[1 + step * r]! * sigma[r]!) / t;
    const peerIdx: number[] = [];
    const peerLam: number[] = [];
    for (let k = 0; k < lpRef.length; k++) {
      const lam = x[nStruct + k]! / t;
      if (lam > CERT_TOL) {
        peerIdx.push(lpRef[k]!);
        peerLam.push(lam);
      }
    }
    const order = peerIdx.map((_, i) => i).sort((a, b2) => peerIdx[a]! - peerIdx[b2]!);
    return {
      status: 'ok',
      score: obj,
      slacks,
      peers: Int32Array.from(order.map((i) => peerIdx[i]!)),
      lambdas: Float64Array.from(order.map((i) => peerLam[i]!)),
      detail: '',
    };
  }
}

function failure(status: 'infeasible' | 'failed', detail: string, p: number): UnitLpResult {
  return {
    status,
    score: NaN,
    slacks: new Float64Array(p).fill(NaN),
    peers: new Int32Array(0),
    lambdas: new Float64Array(0),
    detail,
  };
}
