/**
 * The Tobit model (censored normal regression), as AER's `tobit()` (a `survreg` with a Gaussian distribution):
 *
 *     y*ᵢ = xᵢ'β + σεᵢ,  εᵢ ~ N(0, 1);   yᵢ = L if y*ᵢ ≤ L,  R if y*ᵢ ≥ R,  y*ᵢ otherwise,
 *
 * estimated by maximum likelihood in θ = (β, τ = log σ). An observation with yᵢ ≤ L is left-censored, yᵢ ≥ R
 * right-censored (AER's rule), the others contribute the normal density:
 *
 *     ℓᵢ = log φ(zᵢ) − τ,  zᵢ = (yᵢ − xᵢ'β)/σ          (uncensored)
 *     ℓᵢ = log Φ(aᵢ),      aᵢ = (L − xᵢ'β)/σ          (left-censored)
 *     ℓᵢ = log Φ(bᵢ),      bᵢ = (xᵢ'β − R)/σ          (right-censored)
 *
 * Newton–Raphson with the analytic gradient and Hessian (λ = φ/Φ, the inverse Mills ratio, computed without
 * underflow in the tails), halving a step that lowers the likelihood, damped (Levenberg–Marquardt) where the Hessian
 * is not negative definite; started from least squares on all rows.
 * Converged when every Newton step component is below 1e-10 × (1 + |θⱼ|). The variance is the inverse of the
 * observed information −H⁻¹ at the estimate, in the (β, log σ) parameters — survreg's `var`.
 */
import { choleskyDropDependent, choleskyInverse, choleskySolve, crossProducts } from '../../numerics/linalg.js';
import { inverseMillsRatio, logNormalCdf } from '../../numerics/distributions.js';

export interface TobitInput {
  readonly y: Float64Array;
  /** Regressors, the constant included as a column of ones. */
  readonly X: readonly Float64Array[];
  /** Censoring points (−Infinity / Infinity: none). */
  readonly left: number;
  readonly right: number;
  readonly maxIter?: number;
}

export interface TobitFit {
  /** β then log σ. */
  readonly theta: Float64Array;
  /** Variance of θ (−H⁻¹), (k+1)×(k+1) row-major. */
  readonly vcov: Float64Array;
  readonly loglik: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly leftCensored: number;
  readonly rightCensored: number;
  /** Indices of the regressors kept (collinear ones dropped by the least-squares start). */
  readonly kept: number[];
  readonly dropped: number[];
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function fitTobit(input: TobitInput): TobitFit {
  const { y, left, right } = input;
  const maxIter = input.maxIter ?? 200;
  const n = y.length;
  // least squares start (also decides which columns are collinear)
  const scale = input.X.map((x) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
    return s;
  });
  const { xtx, xty } = crossProducts(input.X, y);
  const chol = choleskyDropDependent(xtx, input.X.length, scale, 1e-10);
  const X = chol.kept.map((j) => input.X[j]!);
  const k = X.length,
    p = k + 1;
  const b0 = choleskySolve(
    chol.L,
    k,
    chol.kept.map((j) => xty[j]!),
  );
  let ss = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += X[j]![i]! * b0[j]!;
    ss += (y[i]! - f) ** 2;
  }
  const theta = new Float64Array(p);
  theta.set(b0);
  theta[k] = Math.log(Math.sqrt(ss / n));

  const kind = new Int8Array(n); // 0 uncensored, −1 left, 1 right
  let leftCensored = 0,
    rightCensored = 0;
  for (let i = 0; i < n; i++) {
    if (y[i]! <= left) {
      kind[i] = -1;
      leftCensored++;
    } else if (y[i]! >= right) {
      kind[i] = 1;
      rightCensored++;
    }
  }

  const xb = new Float64Array(n);
  const loglik = (th: Float64Array): number => {
    const s = Math.exp(th[k]!);
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < k; j++) f += X[j]![i]! * th[j]!;
      xb[i] = f;
      if (kind[i] === 0) {
        const z = (y[i]! - f) / s;
        ll += -LOG_SQRT_2PI - 0.5 * z * z - th[k]!;
      } else if (kind[i] === -1) ll += logNormalCdf((left - f) / s);
      else ll += logNormalCdf((f - right) / s);
    }
    return ll;
  };
  /** Gradient and Hessian at th (xb must hold X·β of th). */
  const derivatives = (th: Float64Array): { g: Float64Array; H: Float64Array } => {
    const s = Math.exp(th[k]!);
    const g = new Float64Array(p),
      H = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      // per observation: dℓ/dβ = gb·x/σ, dℓ/dτ = gt; d²ℓ/dβdβ' = hbb·xx'/σ², d²ℓ/dβdτ = hbt·x/σ, d²ℓ/dτ² = htt
      let gb: number, gt: number, hbb: number, hbt: number, htt: number;
      if (kind[i] === 0) {
        const z = (y[i]! - xb[i]!) / s;
        gb = z;
        gt = z * z - 1;
        hbb = -1;
        hbt = -2 * z;
        htt = -2 * z * z;
      } else if (kind[i] === -1) {
        const a = (left - xb[i]!) / s,
          lam = inverseMillsRatio(a),
          c = 1 - a * (a + lam);
        gb = -lam;
        gt = -lam * a;
        hbb = -lam * (a + lam);
        hbt = lam * c;
        htt = lam * a * c;
      } else {
        const b = (xb[i]! - right) / s,
          lam = inverseMillsRatio(b),
          c = 1 - b * (b + lam);
        gb = lam;
        gt = -lam * b;
        hbb = -lam * (b + lam);
        hbt = -lam * c;
        htt = lam * b * c;
      }
      for (let a = 0; a < k; a++) {
        const xa = X[a]![i]! / s;
        g[a] = g[a]! + gb * xa;
        for (let c = 0; c <= a; c++) H[a * p + c] = H[a * p + c]! + hbb * xa * (X[c]![i]! / s);
        H[k * p + a] = H[k * p + a]! + hbt * xa;
      }
      g[k] = g[k]! + gt;
      H[k * p + k] = H[k * p + k]! + htt;
    }
    for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) H[c * p + a] = H[a * p + c]!;
    return { g, H };
  };

  let ll = loglik(theta);
  let iterations = 0,
    converged = false;
  let info = new Float64Array(p * p);
  for (; iterations < maxIter; iterations++) {
    const { g, H } = derivatives(theta);
    // Newton step; where −H is not positive definite (far from the optimum, e.g. at the least-squares start),
    // a Levenberg–Marquardt damping μ·diag(−H) (μ growing tenfold) makes it an ascent direction
    info = H.map((v) => -v);
    let c = choleskyDropDependent(info, p, new Float64Array(p).fill(0), 0);
    for (let mu = 1e-4; c.kept.length < p && mu < 1e12; mu *= 10) {
      const damped = info.map((v, j) => (j % (p + 1) === 0 ? v + mu * (Math.abs(v) + 1) : v));
      c = choleskyDropDependent(damped, p, new Float64Array(p).fill(0), 0);
    }
    if (c.kept.length < p) break;
    const step = choleskySolve(c.L, p, g);
    let t = 1,
      next = theta,
      llNext = -Infinity;
    for (let h = 0; h < 60; h++) {
      next = theta.map((v, j) => v + t * step[j]!);
      llNext = loglik(next);
      if (llNext >= ll - 1e-12 * Math.abs(ll)) break;
      t /= 2;
    }
    const small = step.every((d, j) => Math.abs(t * d) <= 1e-10 * (1 + Math.abs(theta[j]!)));
    theta.set(next);
    ll = llNext;
    if (small) {
      converged = true;
      iterations++;
      break;
    }
  }
  loglik(theta);
  const { H } = derivatives(theta);
  info = H.map((v) => -v);
  const c = choleskyDropDependent(info, p, new Float64Array(p).fill(0), 0);
  const vcov = c.kept.length === p ? choleskyInverse(c.L, p) : new Float64Array(p * p).fill(NaN);
  return {
    theta,
    vcov,
    loglik: ll,
    iterations,
    converged,
    leftCensored,
    rightCensored,
    kept: chol.kept,
    dropped: chol.dropped,
  };
}
