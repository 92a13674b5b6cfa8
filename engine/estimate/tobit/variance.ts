/**
 * Variances of the Tobit parameters θ = (β, log σ), computed after the fit from the inverse observed information
 * B = −H⁻¹ (survreg's `var`) and the scores sᵢ = ∂ℓᵢ/∂θ of each observation:
 *
 *     iid      V = B                                    (AER's summary)
 *     hc1      V = c · B (Σᵢ sᵢsᵢ') B,                  c = [adj ? (N−1)/(N−K) : 1] · [cluster_adj ? N/(N−1) : 1]
 *     cluster  V = c · B (Σ_g s_g s_g') B,   s_g = Σ_{i∈g} sᵢ,   c = [adj ? (N−1)/(N−K) : 1] · [cluster_adj ? G/(G−1) : 1]
 *
 * with K the number of parameters, log σ included. These are sandwich's `vcovCL(m, cluster, type = "HC1")` (and
 * `type = "HC0"` with `adj: false`; the observation as the cluster for `hc1`), the parity reference
 * (tests/parity/tobit/tobit-robust.R). Scores, per observation (z = (y − x'β)/σ, λ the inverse Mills ratio):
 *
 *     uncensored      ∂ℓ/∂β = z·x/σ,     ∂ℓ/∂log σ = z² − 1
 *     left-censored   ∂ℓ/∂β = −λ(a)·x/σ, ∂ℓ/∂log σ = −λ(a)·a,   a = (L − x'β)/σ
 *     right-censored  ∂ℓ/∂β = λ(b)·x/σ,  ∂ℓ/∂log σ = −λ(b)·b,   b = (x'β − R)/σ
 */
import { inverseMillsRatio } from '../../numerics/distributions.js';
import { sandwich } from '../../numerics/linalg.js';
import type { VcovPlan } from '../../normalize/plan.js';
import { clusterMeat, type ClusterCodes } from '../ols/vcov.js';

/** The scores of each observation, one column per parameter (β in the order of X, then log σ). */
export function tobitScores(
  y: Float64Array,
  X: readonly Float64Array[],
  theta: Float64Array,
  left: number,
  right: number,
): Float64Array[] {
  const n = y.length,
    k = X.length;
  const s = Math.exp(theta[k]!);
  const out = Array.from({ length: k + 1 }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    let xb = 0;
    for (let j = 0; j < k; j++) xb += X[j]![i]! * theta[j]!;
    let gb: number, gt: number;
    if (y[i]! <= left) {
      const a = (left - xb) / s,
        lam = inverseMillsRatio(a);
      gb = -lam;
      gt = -lam * a;
    } else if (y[i]! >= right) {
      const b = (xb - right) / s,
        lam = inverseMillsRatio(b);
      gb = lam;
      gt = -lam * b;
    } else {
      const z = (y[i]! - xb) / s;
      gb = z;
      gt = z * z - 1;
    }
    for (let j = 0; j < k; j++) out[j]![i] = (gb * X[j]![i]!) / s;
    out[k]![i] = gt;
  }
  return out;
}

/** The variance of θ under the plan's `vcov` and `ssc` (see the module comment); `bread` = −H⁻¹, p×p. */
export function tobitVcov(
  plan: VcovPlan,
  bread: Float64Array,
  scores: readonly Float64Array[],
  clusters: readonly ClusterCodes[],
): { V: Float64Array; clusters: number | null } {
  if (plan.type === 'iid') return { V: bread, clusters: null };
  const p = scores.length,
    n = scores[0]!.length;
  const ones = new Float64Array(n).fill(1);
  let meat: Float64Array, G: number;
  if (plan.type === 'cluster') {
    meat = clusterMeat(scores, ones, clusters[0]!);
    G = clusters[0]!.ngroups;
  } else {
    meat = new Float64Array(p * p);
    for (let a = 0; a < p; a++)
      for (let b = 0; b <= a; b++) {
        let t = 0;
        const sa = scores[a]!,
          sb = scores[b]!;
        for (let i = 0; i < n; i++) t += sa[i]! * sb[i]!;
        meat[a * p + b] = t;
        meat[b * p + a] = t;
      }
    G = n;
  }
  let c = 1;
  if (plan.ssc.adj) c *= (n - 1) / (n - p);
  if (plan.ssc.cluster_adj) c *= G / (G - 1);
  return { V: sandwich(bread, meat, p).map((v) => v * c), clusters: plan.type === 'cluster' ? G : null };
}
