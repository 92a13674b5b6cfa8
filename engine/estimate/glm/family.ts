/**
 * The three GLM families of specrun, each a link and a variance function as R's `poisson()`, `binomial()` and
 * `binomial(link = "probit")` define them (including R's clamps of the inverse link, so that a fitted probability
 * never reaches 0 or 1 exactly), with the deviance and the log-likelihood conventions of fixest 0.12:
 *
 *   poisson  μ = exp(η),            V(μ) = μ,         dev = 2 Σ wᵢ [yᵢ log(yᵢ/μᵢ) − (yᵢ − μᵢ)]
 *   logit    μ = 1/(1 + e^(−η)),    V(μ) = μ(1 − μ),  dev = 2 Σ wᵢ [yᵢ log(yᵢ/μᵢ) + (1 − yᵢ) log((1 − yᵢ)/(1 − μᵢ))]
 *   probit   μ = Φ(η),              V(μ) = μ(1 − μ),  the same deviance
 *
 * Log-likelihood: Poisson Σ wᵢ [yᵢηᵢ − μᵢ − log Γ(yᵢ + 1)]; binomial as R's `binomial()$aic / −2`, i.e.
 * Σ log dbinom(round(wᵢyᵢ), round(wᵢ), μᵢ), which for unit weights is Σ [yᵢ log μᵢ + (1 − yᵢ) log(1 − μᵢ)].
 */
import { lnGamma, normalCdf, normalQuantile } from '../../numerics/distributions.js';

export type GlmFamilyName = 'poisson' | 'logit' | 'probit';

export interface GlmFamily {
  readonly name: GlmFamilyName;
  /** Whether the outcome is binary (0 ≤ y ≤ 1), and so groups with all-one outcomes are separated too. */
  readonly binary: boolean;
  linkinv(eta: number): number;
  linkfun(mu: number): number;
  /** dμ/dη at η (μ = g⁻¹(η) given too: for the log link it is μ itself). */
  muEta(eta: number, mu: number): number;
  variance(mu: number): number;
  /** The starting μ of IRLS (R's `family$initialize`, weights w). */
  start(y: number, w: number): number;
  /** One observation's deviance contribution, before the weight. */
  devianceUnit(y: number, mu: number): number;
  /** Whether μ is inside the family's range (else IRLS halves the step). */
  validMu(mu: number): boolean;
}

const DBL_EPSILON = 2.220446049250313e-16;
/** R's `-qnorm(.Machine$double.eps)`: the probit link clamps η to ±this. */
const PROBIT_THRESH = 8.125890664701906;
/** R's logit inverse link saturates beyond |η| = 30. */
const LOGIT_THRESH = 30;

const yLogY = (y: number, mu: number): number => (y > 0 ? y * Math.log(y / mu) : 0);

const binomialDeviance = (y: number, mu: number): number => 2 * (yLogY(y, mu) + yLogY(1 - y, 1 - mu));

export const poisson: GlmFamily = {
  name: 'poisson',
  binary: false,
  linkinv: (eta) => Math.max(Math.exp(eta), DBL_EPSILON),
  linkfun: (mu) => Math.log(mu),
  muEta: (_eta, mu) => mu,
  variance: (mu) => mu,
  start: (y) => y + 0.1,
  devianceUnit: (y, mu) => 2 * (yLogY(y, mu) - (y - mu)),
  validMu: (mu) => Number.isFinite(mu) && mu > 0,
};

export const logit: GlmFamily = {
  name: 'logit',
  binary: true,
  linkinv: (eta) => {
    const e = eta < -LOGIT_THRESH ? DBL_EPSILON : eta > LOGIT_THRESH ? 1 / DBL_EPSILON : Math.exp(eta);
    return e / (1 + e);
  },
  linkfun: (mu) => Math.log(mu / (1 - mu)),
  muEta: (eta) => {
    const a = Math.abs(eta);
    if (a > LOGIT_THRESH) return DBL_EPSILON;
    const e = Math.exp(-a);
    return e / ((1 + e) * (1 + e));
  },
  variance: (mu) => mu * (1 - mu),
  start: (y, w) => (w * y + 0.5) / (w + 1),
  devianceUnit: binomialDeviance,
  validMu: (mu) => Number.isFinite(mu) && mu > 0 && mu < 1,
};

export const probit: GlmFamily = {
  name: 'probit',
  binary: true,
  linkinv: (eta) => normalCdf(Math.min(Math.max(eta, -PROBIT_THRESH), PROBIT_THRESH)),
  linkfun: (mu) => normalQuantile(mu),
  muEta: (eta) => Math.max(Math.exp(-0.5 * eta * eta) / Math.sqrt(2 * Math.PI), DBL_EPSILON),
  variance: (mu) => mu * (1 - mu),
  start: (y, w) => (w * y + 0.5) / (w + 1),
  devianceUnit: binomialDeviance,
  validMu: (mu) => Number.isFinite(mu) && mu > 0 && mu < 1,
};

export const families: Readonly<Record<GlmFamilyName, GlmFamily>> = { poisson, logit, probit };

/** Σ wᵢ dev(yᵢ, μᵢ). */
export function deviance(family: GlmFamily, y: Float64Array, mu: Float64Array, w: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (w ? w[i]! : 1) * family.devianceUnit(y[i]!, mu[i]!);
  return s;
}

/** log dbinom(k, n, p) for integers 0 ≤ k ≤ n. */
function logDbinom(k: number, n: number, p: number): number {
  if (n === 0) return 0;
  const lchoose = lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
  return lchoose + (k > 0 ? k * Math.log(p) : 0) + (n - k > 0 ? (n - k) * Math.log1p(-p) : 0);
}

/** The log-likelihood at the fit (see the module comment for the conventions). */
export function logLikelihood(
  family: GlmFamily,
  y: Float64Array,
  mu: Float64Array,
  eta: Float64Array,
  w: Float64Array | null,
): number {
  let s = 0;
  if (family.name === 'poisson') {
    for (let i = 0; i < y.length; i++) s += (w ? w[i]! : 1) * (y[i]! * eta[i]! - mu[i]! - lnGamma(y[i]! + 1));
    return s;
  }
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i]! : 1;
    s += logDbinom(Math.round(wi * y[i]!), Math.round(wi), mu[i]!);
  }
  return s;
}

/**
 * The log-likelihood of the null model (a constant only, no fixed effects), as fixest computes it for its pseudo
 * R²: Poisson in closed form, sy log(sy/W) − sy − Σ log Γ(yᵢ + 1) with sy = Σ wᵢyᵢ and W = Σ wᵢ (the log Γ term is
 * unweighted in fixest, also with weights); binomial at the constant μ₀ = sy/W: logit in fixest's closed form
 * Σ wᵢ [yᵢ log μ₀ + (1 − yᵢ) log(1 − μ₀)], probit by the binomial()$aic convention of its intercept-only fit.
 */
export function nullLogLikelihood(family: GlmFamily, y: Float64Array, w: Float64Array | null): number {
  let sy = 0,
    W = 0,
    lfact = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i]! : 1;
    sy += wi * y[i]!;
    W += wi;
    if (family.name === 'poisson') lfact += lnGamma(y[i]! + 1);
  }
  if (family.name === 'poisson') return sy * Math.log(sy / W) - sy - lfact;
  const mu0 = sy / W;
  // logit: fixest's closed form Σ wᵢ [yᵢ log μ₀ + (1 − yᵢ) log(1 − μ₀)]; probit: its intercept-only fit, whose
  // likelihood follows binomial()$aic (the two agree without weights)
  if (family.name === 'logit') return sy * Math.log(mu0) + (W - sy) * Math.log1p(-mu0);
  const mu = new Float64Array(y.length).fill(mu0);
  return logLikelihood(family, y, mu, mu, w);
}
