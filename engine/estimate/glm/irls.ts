/**
 * Maximum likelihood of a GLM with absorbed fixed effects by iteratively reweighted least squares, as fixest's
 * `feglm`: at each iteration, with μ = g⁻¹(η),
 *
 *     zᵢ = ηᵢ + (yᵢ − μᵢ)/μ′(ηᵢ),      wᵢ = ωᵢ μ′(ηᵢ)² / V(μᵢ)       (ω the user's weights),
 *
 * then the weighted least squares of z on X with the fixed effects, done as a weighted within transformation of z
 * and X (weighted-demean.ts) and least squares on √w-scaled demeaned columns; the new η is z minus the working
 * residual (the fitted values include the fixed effects). Steps that raise the deviance, or leave the family's
 * range, are halved towards the previous η. Convergence: |dev − dev_old| / (0.1 + |dev|) < tol (fixest's rule;
 * fixest's default tol is 1e-8, specrun's 1e-10, so that the estimates are the MLE to well within 1e-5).
 *
 * The variance pieces are those of the last weighted least squares, as in fixest: the bread (X̃'WX̃)⁻¹, the
 * √w-scaled demeaned regressors and the √w-scaled working residuals, so that the OLS sandwiches (ols/vcov.ts) give
 * the GLM's: the score of observation i is wᵢ rᵢ x̃ᵢ.
 */
import { fitOls } from '../ols/fit.js';
import type { FixedEffects } from '../ols/fixed-effects.js';
import { deviance, type GlmFamily } from './family.js';
import { weightedDemean } from './weighted-demean.js';

export const GLM_TOL = 1e-10;
export const GLM_MAX_ITER = 100;
export const GLM_COLLINEARITY_TOL = 1e-10;

export interface GlmInput {
  readonly y: Float64Array;
  /** Regressors (a column of ones first when the model has no fixed effects and an intercept). */
  readonly X: readonly Float64Array[];
  readonly fe: FixedEffects | null;
  /** Prior (analytic) weights ω, all > 0, or null. */
  readonly weights: Float64Array | null;
  readonly family: GlmFamily;
  readonly tol?: number;
  readonly maxIter?: number;
}

export interface GlmFit {
  readonly kept: number[];
  readonly dropped: number[];
  readonly coef: Float64Array;
  /** (X̃'WX̃)⁻¹ of the kept columns, row-major. */
  readonly bread: Float64Array;
  /** √w · X̃ of the kept columns (last iteration). */
  readonly X: readonly Float64Array[];
  /** √w · working residuals (last iteration). */
  readonly residuals: Float64Array;
  /** Σ of the squared scaled working residuals (fills the `rss` slot of the OLS variance interface). */
  readonly rss: number;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly deviance: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** The demeaning did not converge in some iteration. */
  readonly demeanConverged: boolean;
}

export function fitGlm(input: GlmInput): GlmFit {
  const { y, X, fe, weights, family } = input;
  const tol = input.tol ?? GLM_TOL,
    maxIter = input.maxIter ?? GLM_MAX_ITER;
  const n = y.length;
  const wt = (i: number): number => (weights ? weights[i]! : 1);

  // start: μ from the family's initialisation; the reference deviance at a constant η = 1e-5, as fixest
  let mu: Float64Array = new Float64Array(n),
    eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = family.start(y[i]!, wt(i));
    eta[i] = family.linkfun(mu[i]!);
  }
  let devOld = deviance(family, y, new Float64Array(n).fill(family.linkinv(1e-5)), weights);
  let etaOld = new Float64Array(n).fill(1e-5);

  let last: {
    coef: Float64Array;
    bread: Float64Array;
    Xs: Float64Array[];
    rs: Float64Array;
    rss: number;
    kept: number[];
    dropped: number[];
  } | null = null;
  let dev = devOld,
    converged = false,
    iterations = 0,
    demeanConverged = true;
  const z = new Float64Array(n),
    w = new Float64Array(n),
    sw = new Float64Array(n);
  for (let iter = 1; iter <= maxIter; iter++) {
    iterations = iter;
    for (let i = 0; i < n; i++) {
      const me = family.muEta(eta[i]!, mu[i]!);
      z[i] = eta[i]! + (y[i]! - mu[i]!) / me;
      w[i] = (wt(i) * me * me) / family.variance(mu[i]!);
      sw[i] = Math.sqrt(w[i]!);
    }
    const scale = X.map((x) => weightedScale(x, w));
    let cols: Float64Array[];
    if (fe?.codes.length) {
      const d = weightedDemean([z, ...X], fe, w);
      demeanConverged &&= d.converged;
      cols = d.values;
    } else {
      cols = [Float64Array.from(z), ...X.map((x) => Float64Array.from(x))];
    }
    for (const c of cols) for (let i = 0; i < n; i++) c[i] = c[i]! * sw[i]!;
    const fit = fitOls(cols[0]!, cols.slice(1), scale, GLM_COLLINEARITY_TOL);
    last = {
      coef: fit.coef,
      bread: fit.bread,
      Xs: fit.X as Float64Array[],
      rs: fit.residuals,
      rss: fit.rss,
      kept: fit.kept,
      dropped: fit.dropped,
    };
    const etaNew = new Float64Array(n);
    let muNew: Float64Array = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = z[i]! - fit.residuals[i]! / sw[i]!;
      etaNew[i] = e;
      muNew[i] = family.linkinv(e);
    }
    dev = deviance(family, y, muNew, weights);
    let evol = dev - devOld;
    const small = Number.isFinite(dev) && (Math.abs(evol) < tol || Math.abs(evol) / (0.1 + Math.abs(dev)) < tol);
    if (!small && (!Number.isFinite(dev) || evol > 0 || !muNew.every(family.validMu))) {
      // step halving towards the previous η (at the first iteration the deviance may exceed the starting
      // reference; accept it after two halvings if it is finite and valid, as fixest does)
      let halvings = 0;
      while (!Number.isFinite(dev) || evol > 0 || !muNew.every(family.validMu)) {
        if (iter === 1 && Number.isFinite(dev) && muNew.every(family.validMu) && halvings >= 2) break;
        if (halvings === maxIter) throw new Error('IRLS: step halving found no valid step');
        halvings++;
        for (let i = 0; i < n; i++) etaNew[i] = 0.5 * (etaOld[i]! + etaNew[i]!);
        muNew = linkinvAll(family, etaNew);
        dev = deviance(family, y, muNew, weights);
        evol = dev - devOld;
      }
      evol = Infinity; // never stop right after a halving: the next iteration gives a proper least-squares fit
    }
    eta = etaNew;
    mu = muNew;
    if (Math.abs(evol) / (0.1 + Math.abs(dev)) < tol) {
      converged = true;
      break;
    }
    devOld = dev;
    etaOld = etaNew;
  }
  const l = last!;
  return {
    kept: l.kept,
    dropped: l.dropped,
    coef: l.coef,
    bread: l.bread,
    X: l.Xs,
    residuals: l.rs,
    rss: l.rss,
    eta,
    mu,
    deviance: dev,
    iterations,
    converged,
    demeanConverged,
  };
}

function linkinvAll(family: GlmFamily, eta: Float64Array): Float64Array {
  const mu = new Float64Array(eta.length);
  for (let i = 0; i < eta.length; i++) mu[i] = family.linkinv(eta[i]!);
  return mu;
}

/** Σ wᵢ(xᵢ − x̄_w)², or Σ wᵢxᵢ² for a constant column (the reference of the collinearity test). */
function weightedScale(x: Float64Array, w: Float64Array): number {
  let sw = 0,
    swx = 0,
    swxx = 0;
  const x0 = x.length ? x[0]! : 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - x0;
    sw += w[i]!;
    swx += w[i]! * d;
    swxx += w[i]! * d * d;
  }
  const c = Math.max(swxx - (swx * swx) / sw, 0);
  let raw = 0;
  for (let i = 0; i < x.length; i++) raw += w[i]! * x[i]! * x[i]!;
  return c > 1e-14 * raw ? c : raw;
}
