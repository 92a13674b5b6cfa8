/**
 * The IV diagnostics of a 2SLS fit, on the within-transformed (and √w-scaled) columns: W the kept exogenous
 * regressors, E the endogenous ones (k), Z the kept excluded instruments (l), v_e the first-stage residuals,
 * e the structural residuals, n observations. fixest 0.12's definitions (R/fitstats.R, R/estimation.R):
 *
 * - first_stage_f:e = [(SSR_e(W) − SSR_e(W,Z)) / l] / [SSR_e(W,Z) / (n − K₁)], K₁ the K of the first stage's
 *   small-sample factor under the model's vcov (fixest `ivf1`); p from F(l, n − K₁).
 * - wu_hausman = [(SSR(E,W) − SSR(E,W,V̂)) / k] / [SSR(E,W,V̂) / (n − K − k)], K the second stage's parameters
 *   including every fixed-effect dummy; p from F(k, n − K − k).
 * - sargan = n · (1 − r'r / Σ(e − ē)²), r the residual of e on [W, Z]; p from χ²(l − k). Only when l > k.
 * - cd_f = [(n − k − l − 1)/l] · ρ²/(1 − ρ²), ρ the smallest canonical correlation of E and Z after both are
 *   partialled on W (fixest `cd`).
 * - kp_f (one endogenous variable) = r/l with r = π'(Z̆'Z̆) M⁻¹ (Z̆'Z̆) π · (n − K₁)/n, Z̆ = Z partialled on W, π the
 *   first-stage coefficients of Z, M the meat of the scores Z̆·v_e under the model's vcov (Σ_g s_g s_g' · G/(G−1)
 *   clustered, Σ_i s_i s_i' for hc1) — fixest's port of Vcov.jl's ranktest for k = 1. Under iid, fixest's
 *   r = √n · θ'θ with θ'θ = π'(Z̆'Z̆)π / v'v, reproduced as is. p from χ²(l − k + 1) evaluated at kp_f, as fixest.
 *   With weights, π comes from the weighted first stage, but Z̆ is partialled without weights and v is the unscaled
 *   first-stage residual, as in fixest (also for cd_f).
 *   More than one endogenous variable: not computed (null; fixest 0.12.1's kpr fails there too).
 * - hansen: Hansen's J at the two-step efficient GMM estimate with S = Σ_g (Z_g'e_g)(Z_g'e_g)' (or per observation
 *   for hc1) from the 2SLS residuals, instruments [W, Z] (ivreg2's robust/cluster J); only when l > k and the vcov
 *   is not iid. p from χ²(l − k).
 *
 * Every regression above is computed from one cross-product matrix of [ỹ, W, E, Z] (gram.ts): the first-stage
 * residuals, the structural residuals and Z̆ are linear combinations of those columns, so their SSRs and cross
 * products need no further pass over the rows. Only the meats of robust and clustered variances (S of Hansen's J,
 * the scores of kp_f) read the rows again.
 */
import { chiSquareSf, pValueF } from '../../numerics/distributions.js';
import type { VcovPlan } from '../../normalize/plan.js';
import type { OlsFit } from '../ols/fit.js';
import type { LinearSample } from '../ols/linear-sample.js';
import { clusterMeat, type ClusterCodes, type VcovResult } from '../ols/vcov.js';
import type { Combination, Gram } from './gram.js';

export interface IvDiagnosticsInput {
  readonly s: Pick<LinearSample, 'n' | 'sqrtW'>;
  readonly y: Float64Array;
  readonly W: readonly Float64Array[];
  readonly E: readonly Float64Array[];
  readonly Z: readonly Float64Array[];
  /** The cross products of the basis columns, and y, W, E, Z as combinations of them (gram.ts). */
  readonly gram: Gram;
  readonly yC: Combination;
  readonly wC: readonly Combination[];
  readonly eC: readonly Combination[];
  readonly zC: readonly Combination[];
  /** The first-stage residuals v_e as combinations. */
  readonly vC: readonly Combination[];
  readonly first: readonly OlsFit[];
  readonly firstV: readonly VcovResult[];
  readonly resid: Float64Array;
  readonly rss: number;
  readonly secondCoef: Float64Array;
  readonly vcov: VcovPlan;
  readonly clusters: readonly ClusterCodes[];
  /** Second-stage parameters including every fixed-effect dummy. */
  readonly kFull: number;
  /**
   * With weights: E and Z within-transformed and partialled on W without weights (fixest's proj_on_U ignores the
   * weights; used by cd_f and kp_f). Null when unweighted.
   */
  readonly unweighted: { readonly E: readonly Float64Array[]; readonly Z: readonly Float64Array[] } | null;
}

export function ivDiagnostics(d: IvDiagnosticsInput): {
  firstStageF: { stat: number; p: number }[];
  stats: Record<string, number | null>;
} {
  const n = d.s.n,
    k = d.E.length,
    l = d.Z.length;
  const g = d.gram;
  const stats: Record<string, number | null> = {};
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  // SSR of a regression, from the cross products (no pass over the rows)
  const ssrOf = (t: Combination, R: readonly Combination[]) => (R.length ? g.regress(t, R).ssr : g.cross(t, t));

  // first-stage F per endogenous variable
  const firstStageF = d.eC.map((e, q) => {
    const ssrNoInst = ssrOf(e, d.wC);
    const ssr = d.first[q]!.rss;
    const df2 = n - d.firstV[q]!.k;
    const stat = (ssrNoInst - ssr) / l / (ssr / df2);
    return { stat, p: pValueF(stat, l, df2) };
  });

  // Wu–Hausman
  const ssrR = ssrOf(d.yC, [...d.eC, ...d.wC]);
  const ssrU = ssrOf(d.yC, [...d.eC, ...d.wC, ...d.vC]);
  const whDf2 = n - (d.kFull + k);
  const wh = (ssrR - ssrU) / k / (ssrU / whDf2);
  stats['wu_hausman'] = fin(wh);
  stats['wu_hausman_p'] = fin(pValueF(wh, k, whDf2));

  // Sargan and Hansen (overidentified only)
  if (l > k) {
    const e = d.resid;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += e[i]!;
    mean /= n;
    let tss = 0;
    for (let i = 0; i < n; i++) tss += (e[i]! - mean) ** 2;
    const eC = g.minus(d.yC, [...d.eC, ...d.wC], d.secondCoef);
    const r = ssrOf(eC, [...d.wC, ...d.zC]);
    const sargan = n * (1 - r / tss);
    stats['sargan'] = fin(sargan);
    stats['sargan_p'] = fin(chiSquareSf(sargan, l - k));
    if (d.vcov.type !== 'iid') {
      const J = hansenJ(d);
      stats['hansen'] = fin(J);
      stats['hansen_p'] = fin(chiSquareSf(J, l - k));
    } else {
      stats['hansen'] = null;
      stats['hansen_p'] = null;
    }
  }

  // Cragg–Donald
  let rho2: number;
  if (d.unweighted) rho2 = minCanonicalCorrelation2(d.unweighted.E, d.unweighted.Z);
  else
    rho2 = minCanonicalCorrelation2FromCross(
      g.partialledCross(d.eC, d.eC, d.wC),
      g.partialledCross(d.zC, d.zC, d.wC),
      g.partialledCross(d.zC, d.eC, d.wC),
      k,
      l,
    );
  stats['cd_f'] = fin(((n - k - l - 1) / l) * (rho2 / (1 - rho2)));

  // Kleibergen–Paap (k = 1)
  if (k === 1) {
    // π: coefficients of the instruments in the first stage = regression of E on Z̆ (Frisch–Waugh–Lovell)
    const gammas = d.zC.map((z) => (d.wC.length ? g.regress(z, d.wC).coef : new Float64Array(0)));
    const zwC = d.zC.map((z, j) => (d.wC.length ? g.minus(z, d.wC, gammas[j]!) : z));
    const pi = g.regress(d.eC[0]!, zwC).coef;
    // fixest builds the rest of the statistic from the unweighted Z̆ and v (the √w scaling undone)
    const v = d.s.sqrtW ? d.first[0]!.residuals.map((x, i) => x / d.s.sqrtW![i]!) : d.first[0]!.residuals;
    const ztz = d.unweighted ? gram(d.unweighted.Z) : g.crossMatrix(zwC);
    const a = matVec(ztz, l, pi); // (Z̆'Z̆)π
    const df1 = n - d.firstV[0]!.k;
    let r: number;
    if (d.vcov.type === 'iid') {
      const vv = dot(v, v);
      r = Math.sqrt(n) * (dot(pi, a) / vv);
    } else {
      let meat: Float64Array;
      if (d.unweighted) {
        const Zu = d.unweighted.Z;
        const scores = Zu.map((z) => {
          const o = new Float64Array(n);
          for (let i = 0; i < n; i++) o[i] = z[i]! * v[i]!;
          return o;
        });
        const ones = new Float64Array(n).fill(1);
        meat = d.vcov.type === 'cluster' ? clusterMeat(scores, ones, d.clusters[0]!) : gram(scores);
      } else {
        // the scores z̆_i v_i = (z_i − Γ'w_i) v_i: the meat of [W, Z]·v, then A M A' with A = [−Γ' | I]
        const X = [...d.W, ...d.Z];
        const M = d.vcov.type === 'cluster' ? clusterMeat(X, v, d.clusters[0]!) : weightedGram(X, v);
        meat = projectMeat(M, d.W.length, l, gammas);
      }
      if (d.vcov.type === 'cluster' && d.vcov.ssc.cluster_adj) {
        const G = d.clusters[0]!.ngroups;
        meat = meat.map((x) => (x * G) / (G - 1));
      }
      r = dot(a, solveSym(meat, l, a)) * (df1 / n);
    }
    const kp = r / l;
    stats['kp_f'] = fin(kp);
    stats['kp_f_p'] = fin(chiSquareSf(kp, l - k + 1));
  } else {
    stats['kp_f'] = null;
    stats['kp_f_p'] = null;
  }
  return { firstStageF, stats };
}

/** A M A' for A = [−Γ' | I_l] (l × (p + l)), Γ's column j the coefficients of z_j on the p columns of W. */
function projectMeat(M: Float64Array, p: number, l: number, gammas: readonly Float64Array[]): Float64Array {
  const c = p + l;
  const A = new Float64Array(l * c);
  for (let j = 0; j < l; j++) {
    for (let q = 0; q < p; q++) A[j * c + q] = -gammas[j]![q]!;
    A[j * c + p + j] = 1;
  }
  const AM = new Float64Array(l * c);
  for (let i = 0; i < l; i++)
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let q = 0; q < c; q++) s += A[i * c + q]! * M[q * c + j]!;
      AM[i * c + j] = s;
    }
  const out = new Float64Array(l * l);
  for (let i = 0; i < l; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let q = 0; q < c; q++) s += AM[i * c + q]! * A[j * c + q]!;
      out[i * l + j] = s;
      out[j * l + i] = s;
    }
  return out;
}

/** Hansen's J at the two-step GMM estimate with the 2SLS residuals' robust/cluster S. */
function hansenJ(d: IvDiagnosticsInput): number {
  const g = d.gram;
  const Zall = [...d.W, ...d.Z];
  const zC = [...d.wC, ...d.zC];
  const xC = [...d.eC, ...d.wC];
  const L = Zall.length,
    p = xC.length;
  const Sm = d.vcov.type === 'cluster' ? clusterMeat(Zall, d.resid, d.clusters[0]!) : weightedGram(Zall, d.resid);
  const ZX = new Float64Array(L * p);
  for (let a = 0; a < L; a++) for (let b = 0; b < p; b++) ZX[a * p + b] = g.cross(zC[a]!, xC[b]!);
  const Zy = zC.map((z) => g.cross(z, d.yC));
  // W = S⁻¹;  β = (X'Z W Z'X)⁻¹ X'Z W Z'y
  const SinvZX = new Float64Array(L * p);
  for (let b = 0; b < p; b++) {
    const col = solveSym(
      Sm,
      L,
      Array.from({ length: L }, (_, a) => ZX[a * p + b]!),
    );
    for (let a = 0; a < L; a++) SinvZX[a * p + b] = col[a]!;
  }
  const SinvZy = solveSym(Sm, L, Zy);
  const A = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let a = 0; a < L; a++) s += ZX[a * p + i]! * SinvZX[a * p + j]!;
      A[i * p + j] = s;
    }
    let s = 0;
    for (let a = 0; a < L; a++) s += ZX[a * p + i]! * SinvZy[a]!;
    rhs[i] = s;
  }
  const beta = solveSym(A, p, rhs);
  // Z'e at the GMM estimate, e = y − Xβ: Z'y − Z'Xβ
  const gm = Zy.map((v, a) => {
    let s = v;
    for (let b = 0; b < p; b++) s -= ZX[a * p + b]! * beta[b]!;
    return s;
  });
  return dot(gm, solveSym(Sm, L, gm));
}

/** The smallest squared canonical correlation of two sets of (centred) columns. */
export function minCanonicalCorrelation2(X: readonly Float64Array[], Z: readonly Float64Array[]): number {
  const k = X.length,
    l = Z.length;
  const zx = new Float64Array(l * k);
  for (let a = 0; a < l; a++) for (let b = 0; b < k; b++) zx[a * k + b] = dot(Z[a]!, X[b]!);
  return minCanonicalCorrelation2FromCross(gram(X), gram(Z), zx, k, l);
}

/** The same from the cross products X'X (k×k), Z'Z (l×l) and Z'X (l×k). */
export function minCanonicalCorrelation2FromCross(
  xx: Float64Array,
  zz: Float64Array,
  zx: Float64Array,
  k: number,
  l: number,
): number {
  // B = X'Z (Z'Z)⁻¹ Z'X  (k × k)
  const B = new Float64Array(k * k);
  const cols: Float64Array[] = [];
  for (let b = 0; b < k; b++)
    cols.push(
      solveSym(
        zz,
        l,
        Array.from({ length: l }, (_, a) => zx[a * k + b]!),
      ),
    );
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += zx[a * k + i]! * cols[j]![a]!;
      B[i * k + j] = s;
    }
  // eigenvalues of L⁻¹ B L⁻ᵀ with X'X = LLᵀ
  const Lm = cholesky(xx, k);
  const C = new Float64Array(k * k);
  const Li = invLower(Lm, k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s += Li[i * k + a]! * B[a * k + b]! * Li[j * k + b]!;
      C[i * k + j] = s;
    }
  return Math.min(...symmetricEigenvalues(C, k));
}

/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations. */
export function symmetricEigenvalues(a: Float64Array, k: number): number[] {
  const m = Float64Array.from(a);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) off += m[i * k + j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++)
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * k + q]! - m[p * k + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p]!,
            mrq = m[r * k + q]!;
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r]!,
            mqr = m[q * k + r]!;
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
      }
  }
  return Array.from({ length: k }, (_, i) => m[i * k + i]!);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function gram(X: readonly Float64Array[]): Float64Array {
  const k = X.length;
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      const s = dot(X[a]!, X[b]!);
      g[a * k + b] = s;
      g[b * k + a] = s;
    }
  return g;
}

function weightedGram(X: readonly Float64Array[], e: Float64Array): Float64Array {
  const k = X.length,
    n = e.length;
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += e[i]! * e[i]! * X[a]![i]! * X[b]![i]!;
      g[a * k + b] = s;
      g[b * k + a] = s;
    }
  return g;
}

function matVec(a: Float64Array, k: number, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += a[i * k + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

function cholesky(a: Float64Array, k: number): Float64Array {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]!;
      for (let p = 0; p < j; p++) s -= L[i * k + p]! * L[j * k + p]!;
      L[i * k + j] = i === j ? Math.sqrt(s) : s / L[j * k + j]!;
    }
  return L;
}

function invLower(L: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < k; i++) {
      let s = i === c ? 1 : 0;
      for (let p = 0; p < i; p++) s -= L[i * k + p]! * inv[p * k + c]!;
      inv[i * k + c] = s / L[i * k + i]!;
    }
  }
  return inv;
}

/** Solve A x = b for a symmetric positive definite A (Cholesky). */
function solveSym(a: Float64Array, k: number, b: ArrayLike<number>): Float64Array {
  const L = cholesky(a, k);
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let p = 0; p < i; p++) s -= L[i * k + p]! * y[p]!;
    y[i] = s / L[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let p = i + 1; p < k; p++) s -= L[p * k + i]! * x[p]!;
    x[i] = s / L[i * k + i]!;
  }
  return x;
}
