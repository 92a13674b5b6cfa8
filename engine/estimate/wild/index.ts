/**
 * The restricted wild cluster bootstrap (WCR; Cameron, Gelbach & Miller 2008; Roodman, MacKinnon, Nielsen & Webb
 * 2019, "boottest") of H0: β_j = β0 in a linear model whose fixed effects are already partialled out.
 *
 * For a hypothesised β0: fit the restricted model ỹ − β0 x̃_j on X̃_{−j}, giving residuals ũ and fitted values ŷ
 * (β_j fixed at β0). Each bootstrap sample is y*_b = ŷ + v_{g(i)} ũ_i with one weight v_g per cluster (Rademacher
 * ±1, or Webb's six points ±√(3/2), ±1, ±√(1/2)). With a = row j of B = (X̃'X̃)⁻¹, S_g = X̃_g'ũ_g and H_g = X̃_g'X̃_g,
 * the bootstrap estimate and the j-th score of cluster g are linear in v:
 *
 *     β*_j − β0 = Σ_h v_h q_h,        a·s*_g = v_g q_g − Σ_h M_gh v_h,
 *     q_g = a·S_g,                    M_gh = a H_g B S_h,
 *
 * so t*_b = Σ_h v_h q_h / √(Σ_g (a·s*_g)²) costs O(G²) per draw and no refit. The observed statistic is
 * t(β0) = (β̂_j − β0)/√(Σ_g (a·s_g)²) on the unrestricted scores; the small-sample factor of the clustered variance
 * multiplies both and cancels.
 *
 * p(β0) = share of draws with |t*_b| > |t(β0)| (symmetric, strict: the draw v = 1, which reproduces the data,
 * does not count against H0; |t*| is compared with a relative tolerance of 1e-9 so that rounding decides no tie).
 * With Rademacher weights and 2^G ≤ reps, every sign vector is used once (full enumeration: deterministic). The
 * confidence interval {β0 : p(β0) > 1 − level} is found by bisection of p(β0) − (1 − level) on each side of β̂_j,
 * to a width of 1e-9 · SE, starting from β̂_j ± 2·t_crit·SE and widening until the p-value falls below α.
 */
import { note, SpecrunError, type Note } from '../../diagnostics/diagnostic.js';
import type { OlsPlan, WildPlan } from '../../normalize/plan.js';
import { Xoshiro128 } from '../mediation/prng.js';
import type { OlsFit } from '../ols/fit.js';
import type { ClusterCodes, VcovResult } from '../ols/vcov.js';
import { replicate, type Replicator } from '../replication-pool.js';
import { wildDrawKernel } from './kernel.js';

export interface WildTermResult {
  readonly estimate: number;
  readonly p: number;
  readonly ci: readonly [number, number];
  /** Bootstrap draws used (2^G under full enumeration). */
  readonly draws: number;
  readonly enumerated: boolean;
}

export interface WildResult {
  readonly weights: 'rademacher' | 'webb';
  readonly reps: number;
  readonly seed: number;
  readonly level: number;
  readonly clusters: number;
  readonly terms: Readonly<Record<string, WildTermResult>>;
}

/** The wild bootstrap of the plan's terms (every slope when none are named). */
export function wildForModel(
  plan: OlsPlan,
  fit: OlsFit,
  keptNames: readonly string[],
  cluster: ClusterCodes,
  _v: VcovResult,
  notes: Note[],
  model: string,
  replicator?: Replicator,
): WildResult {
  const w = plan.wild as WildPlan;
  const terms = w.terms.length ? w.terms : keptNames.filter((n) => n !== '(Intercept)');
  for (const t of terms) {
    if (!keptNames.includes(t)) {
      throw new SpecrunError('WILD_TERM_UNKNOWN', { model, name: t, known: keptNames.join(', ') });
    }
  }
  const draws = wildDraws(cluster.ngroups, w.reps, w.weights, w.seed);
  // With threads, the draws in shared memory: each p-value's job then sends only its q and M.
  const v = replicator ? sharedCopy(draws.v) : draws.v;
  const out: Record<string, WildTermResult> = {};
  for (const t of terms) {
    const j = keptNames.indexOf(t);
    const r = wildTest(fit, j, cluster, v, draws.count, w.level, replicator);
    out[t] = { ...r, draws: draws.count, enumerated: draws.enumerated };
  }
  if (draws.enumerated)
    notes.push(
      note('WILD_FEW_CLUSTERS', { term: terms.join(', '), count: draws.count, G: cluster.ngroups, reps: w.reps }),
    );
  return { weights: w.weights, reps: w.reps, seed: w.seed, level: w.level, clusters: cluster.ngroups, terms: out };
}

function sharedCopy(a: Float64Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

const WEBB = [-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)];

/**
 * The cluster weights, draw-major (count × G). Rademacher with 2^G ≤ reps: all 2^G sign vectors, the k-th with
 * v_g = +1 when bit g of k is 0 (so draw 0 is all +1). Otherwise `reps` draws from the seeded xoshiro128**.
 */
export function wildDraws(
  G: number,
  reps: number,
  kind: 'rademacher' | 'webb',
  seed: number,
): { v: Float64Array; count: number; enumerated: boolean } {
  if (kind === 'rademacher' && G < 31 && 2 ** G <= reps) {
    const count = 2 ** G;
    const v = new Float64Array(count * G);
    for (let k = 0; k < count; k++) for (let g = 0; g < G; g++) v[k * G + g] = (k >>> g) & 1 ? -1 : 1;
    return { v, count, enumerated: true };
  }
  const rng = new Xoshiro128(seed);
  const v = new Float64Array(reps * G);
  for (let k = 0; k < reps * G; k++) v[k] = kind === 'rademacher' ? (rng.below(2) === 0 ? -1 : 1) : WEBB[rng.below(6)]!;
  return { v, count: reps, enumerated: false };
}

/** p-value of H0: β_j = 0 and the bootstrap confidence interval of β_j. */
export function wildTest(
  fit: Pick<OlsFit, 'X' | 'bread' | 'coef' | 'residuals'>,
  j: number,
  cluster: ClusterCodes,
  v: Float64Array,
  count: number,
  level: number,
  replicator?: Replicator,
): { estimate: number; p: number; ci: [number, number] } {
  const problem = new WildProblem(fit, j, cluster);
  const pAt = (b0: number) => problem.pValue(b0, v, count, replicator);
  const est = fit.coef[j]!;
  const se = Math.sqrt(problem.rawVarianceJ);
  const alpha = 1 - level;
  const p = pAt(0);
  const side = (dir: 1 | -1): number => {
    // inner point: p > alpha (the estimate itself has t = 0, p = 1); outer: p ≤ alpha
    let inner = est;
    let step = 2 * 3 * se;
    let outer = est + dir * step;
    for (let k = 0; k < 60 && pAt(outer) > alpha; k++) {
      inner = outer;
      step *= 2;
      outer = est + dir * step;
    }
    const tol = 1e-9 * se;
    for (let k = 0; k < 200 && Math.abs(outer - inner) > tol; k++) {
      const mid = (inner + outer) / 2;
      if (pAt(mid) > alpha) inner = mid;
      else outer = mid;
    }
    return (inner + outer) / 2;
  };
  return { estimate: est, p, ci: [side(-1), side(1)] };
}

/** The pieces of the WCR test of coefficient j that do not depend on β0. */
class WildProblem {
  readonly m: number;
  readonly G: number;
  readonly a: Float64Array;
  /** Per cluster, H_g = X̃_g'X̃_g (G × m × m). */
  private readonly H: Float64Array;
  /** Restricted residuals at β0 = 0 and their slope in β0: ũ(β0) = u0 − β0·u1. */
  private readonly u0: Float64Array;
  private readonly u1: Float64Array;
  readonly rawVarianceJ: number;
  readonly estimate: number;

  constructor(
    private readonly fit: Pick<OlsFit, 'X' | 'bread' | 'coef' | 'residuals'>,
    j: number,
    private readonly cluster: ClusterCodes,
  ) {
    const X = fit.X,
      m = X.length,
      n = fit.residuals.length,
      G = cluster.ngroups,
      codes = cluster.codes;
    this.m = m;
    this.G = G;
    this.a = fit.bread.slice(j * m, j * m + m);
    this.estimate = fit.coef[j]!;
    this.H = new Float64Array(G * m * m);
    for (let i = 0; i < n; i++) {
      const o = codes[i]! * m * m;
      for (let p = 0; p < m; p++) {
        const xp = X[p]![i]!;
        for (let q = 0; q < m; q++) this.H[o + p * m + q] = this.H[o + p * m + q]! + xp * X[q]![i]!;
      }
    }
    // restricted fit: project y (= X̂β̂ + e) and x_j off X_{−j}. Since y = Xβ̂ + e with e ⟂ X,
    // M_{−j} y = β̂_j M_{−j} x_j + e, and M_{−j}(y − β0 x_j) = (β̂_j − β0) M_{−j} x_j + e.
    const mj = residualOnOthers(X, j);
    this.u1 = mj;
    this.u0 = new Float64Array(n);
    for (let i = 0; i < n; i++) this.u0[i] = fit.residuals[i]! + this.estimate * mj[i]!;
    // unrestricted j-th scores
    const sc = this.scores(fit.residuals);
    let vj = 0;
    for (let g = 0; g < G; g++) vj += sc[g]! ** 2;
    this.rawVarianceJ = vj;
  }

  /** a·X̃_g'u per cluster. */
  private scores(u: Float64Array): Float64Array {
    const X = this.fit.X,
      m = this.m,
      codes = this.cluster.codes;
    const out = new Float64Array(this.G);
    for (let i = 0; i < u.length; i++) {
      let s = 0;
      for (let p = 0; p < m; p++) s += this.a[p]! * X[p]![i]!;
      out[codes[i]!] = out[codes[i]!]! + s * u[i]!;
    }
    return out;
  }

  /**
   * The share of the `count` draws whose |t*| exceeds |t(β0)|: each draw by `wildDrawKernel` (kernel.ts), on
   * `replicator`'s threads when the work is worth it (≈ 100 p-values per term, each O(count · G²)).
   */
  pValue(b0: number, v: Float64Array, count: number, replicator?: Replicator): number {
    const { m, G } = this;
    const X = this.fit.X,
      codes = this.cluster.codes,
      n = this.u0.length;
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = this.u0[i]! - b0 * this.u1[i]!;
    // S_g = X̃_g'ũ_g (G × m), then BS_h (G × m), q_g = a·S_g, M_gh = (a H_g)·(B S_h)
    const S = new Float64Array(G * m);
    for (let i = 0; i < n; i++) {
      const o = codes[i]! * m;
      for (let p = 0; p < m; p++) S[o + p] = S[o + p]! + X[p]![i]! * u[i]!;
    }
    const B = this.fit.bread;
    const BS = new Float64Array(G * m);
    const q = new Float64Array(G);
    for (let h = 0; h < G; h++) {
      for (let p = 0; p < m; p++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += B[p * m + r]! * S[h * m + r]!;
        BS[h * m + p] = s;
      }
      let s = 0;
      for (let p = 0; p < m; p++) s += this.a[p]! * S[h * m + p]!;
      q[h] = s;
    }
    const aH = new Float64Array(G * m);
    for (let g = 0; g < G; g++)
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let p = 0; p < m; p++) s += this.a[p]! * this.H[g * m * m + p * m + r]!;
        aH[g * m + r] = s;
      }
    const M = new Float64Array(G * G);
    for (let g = 0; g < G; g++)
      for (let h = 0; h < G; h++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += aH[g * m + r]! * BS[h * m + r]!;
        M[g * G + h] = s;
      }
    const t0 = Math.abs((this.estimate - b0) / Math.sqrt(this.rawVarianceJ));
    const exceeds = replicate(replicator, wildDrawKernel, { v, G, q, M, t0 }, count, 1, (100 * count * G * G) / 1000);
    let exceed = 0;
    for (let b = 0; b < count; b++) exceed += exceeds[b]!;
    return exceed / count;
  }
}

/** x_j minus its least-squares projection on the other columns. */
function residualOnOthers(X: readonly Float64Array[], j: number): Float64Array {
  const others = X.filter((_, k) => k !== j);
  const k = others.length;
  const xj = X[j]!;
  const n = xj.length;
  const out = Float64Array.from(xj);
  if (k === 0) return out;
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let p = 0; p < k; p++) {
    for (let q = 0; q <= p; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += others[p]![i]! * others[q]![i]!;
      xtx[p * k + q] = s;
      xtx[q * k + p] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += others[p]![i]! * xj[i]!;
    xty[p] = s;
  }
  const coef = solveSpd(xtx, k, xty);
  for (let p = 0; p < k; p++) {
    const c = coef[p]!,
      x = others[p]!;
    for (let i = 0; i < n; i++) out[i] = out[i]! - c * x[i]!;
  }
  return out;
}

function solveSpd(a: Float64Array, k: number, b: Float64Array): Float64Array {
  // Gaussian elimination with partial pivoting (k is the number of regressors: small)
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r * k + c]!) > Math.abs(m[piv * k + c]!)) piv = r;
    if (piv !== c) {
      for (let q = 0; q < k; q++) {
        const t = m[c * k + q]!;
        m[c * k + q] = m[piv * k + q]!;
        m[piv * k + q] = t;
      }
      const t = x[c]!;
      x[c] = x[piv]!;
      x[piv] = t;
    }
    for (let r = c + 1; r < k; r++) {
      const f = m[r * k + c]! / m[c * k + c]!;
      for (let q = c; q < k; q++) m[r * k + q] = m[r * k + q]! - f * m[c * k + q]!;
      x[r] = x[r]! - f * x[c]!;
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = x[c]!;
    for (let q = c + 1; q < k; q++) s -= m[c * k + q]! * x[q]!;
    x[c] = s / m[c * k + c]!;
  }
  return x;
}
