/**
 * Variance estimators of the OLS coefficients, computed AFTER the fit from its pieces (bread B = (X̃'X̃)⁻¹, the
 * demeaned regressors X̃, the residuals e) so that they can be swapped without refitting:
 *
 *   iid      V = c · σ̂² B,                       σ̂² = e'e/(N − 1)
 *   hc1      V = c · B (Σ_i e_i² x̃_i x̃_i') B
 *   cluster  V = c · B (Σ_g s_g s_g') B,         s_g = Σ_{i∈g} e_i x̃_i
 *   two-way  V = c · (V_1 + V_2 − V_12)          (Cameron, Gelbach & Miller 2011; V_12 clusters on the intersection)
 *
 * The small-sample factor c follows fixest's ssc() (see CONVENTIONS.md):
 *   c = [adj ? (N−1)/(N−K) : 1] · [cluster_adj ? G/(G−1) : 1]
 * with G the number of clusters (N for hc1, the smallest G for two-way clustering, and no G factor for iid), and
 * K = the kept slopes (including the intercept of a model without fixed effects) + K_fe, where
 *   fixef_k none    K_fe = 0
 *           full    K_fe = 1 + Σ_k (G_k − 1)            (every dummy, one reference level per extra fixed effect)
 *           nested  as full, but a fixed effect nested in a cluster variable counts as 1 in total (Stata xtreg)
 * (K_fe = 0 when the model has no fixed effects). The t statistics use G − 1 degrees of freedom when clustered
 * (smallest G for two-way), N − K_full otherwise (K_full: the slopes plus the `full` count).
 */
import { sandwich } from '../../numerics/linalg.js';
import type { SmallSample, VcovPlan } from '../../normalize/plan.js';
import type { OlsFit } from './fit.js';

/** The pieces of a fit the variance needs. */
export type VcovFit = Pick<OlsFit, 'bread' | 'X' | 'residuals' | 'rss'>;

export interface ClusterCodes {
  /** Cluster code per observation, 0..G−1. */
  readonly codes: Int32Array;
  readonly ngroups: number;
}

/** Raw iid variance σ̂²B with σ̂² = e'e/(N − 1) (the factor c then gives e'e/(N − K) under adj). */
export function iidVcov(fit: VcovFit): Float64Array {
  const n = fit.residuals.length;
  const s2 = fit.rss / (n - 1);
  return fit.bread.map((v) => v * s2);
}

/** Raw heteroskedasticity-robust (HC0) sandwich B (Σ e_i² x̃_i x̃_i') B. */
export function heteroVcov(fit: VcovFit): Float64Array {
  const m = fit.X.length;
  const n = fit.residuals.length;
  const e = fit.residuals;
  const meat = new Float64Array(m * m);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = e[i]! * e[i]!;
  for (let a = 0; a < m; a++) {
    const xa = fit.X[a]!;
    for (let b = 0; b <= a; b++) {
      const xb = fit.X[b]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i]! * xa[i]! * xb[i]!;
      meat[a * m + b] = s;
      meat[b * m + a] = s;
    }
  }
  return sandwich(fit.bread, meat, m);
}

/** Cluster scores larger than this (bytes) are summed bucket by bucket (clusterScoresBucketed). */
const DIRECT_SCORES_BYTES = 2 << 20;
/** Scores of one bucket of clusters: at most this many bytes (fits the per-core cache). */
const BUCKET_SCORES_BYTES = 1 << 18;
/** Rows staged at a time by clusterScoresBucketed. */
const BUCKET_CHUNK_ROWS = 1 << 21;

/**
 * Computes the cluster scores of clusterMeat on several threads with the same bits (engine/estimate/ols/demean-pool.ts:
 * each thread the scores of some columns, which depend on no other column); null when it declines and the caller
 * computes them on this thread.
 */
export interface ScoresPool {
  clusterScores(X: readonly Float64Array[], e: Float64Array, cluster: ClusterCodes): Float64Array | null;
}

/**
 * The scores s_g (G×m, row-major): summed directly or bucket by bucket (the same bits), and a column's scores depend
 * only on that column, so any subset of the columns gives those columns' scores bit for bit.
 */
export function clusterScoresOf(X: readonly Float64Array[], e: Float64Array, cluster: ClusterCodes): Float64Array {
  return cluster.ngroups * X.length * 8 > DIRECT_SCORES_BYTES && e.length > BUCKET_CHUNK_ROWS / 4
    ? clusterScoresBucketed(X, e, cluster)
    : clusterScores(X, e, cluster);
}

/** Σ_g s_g s_g' with s_g = Σ_{i∈g} e_i x̃_i (m×m); the scores on the pool's threads when it takes them. */
export function clusterMeat(
  X: readonly Float64Array[],
  e: Float64Array,
  cluster: ClusterCodes,
  pool?: ScoresPool,
): Float64Array {
  const m = X.length;
  const G = cluster.ngroups;
  const scores = pool?.clusterScores(X, e, cluster) ?? clusterScoresOf(X, e, cluster);
  const meat = new Float64Array(m * m);
  for (let g = 0; g < G; g++) {
    const o = g * m;
    for (let a = 0; a < m; a++) {
      const sa = scores[o + a]!;
      for (let b = 0; b <= a; b++) meat[a * m + b] = meat[a * m + b]! + sa * scores[o + b]!;
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) meat[b * m + a] = meat[a * m + b]!;
  return meat;
}

/**
 * The scores s_g (G×m, row-major) in one pass over the rows for all columns, accumulating along runs of one cluster
 * (rows of a unit usually come together; adding into the same cell row after row would serialise on the store): a
 * run's sums are added to its cluster's cells when it ends.
 */
export function clusterScores(X: readonly Float64Array[], e: Float64Array, cluster: ClusterCodes): Float64Array {
  const m = X.length;
  const codes = cluster.codes;
  const scores = new Float64Array(cluster.ngroups * m);
  const n = e.length;
  const acc = new Float64Array(m);
  let g = n > 0 ? codes[0]! : 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (c !== g) {
      const o = g * m;
      for (let j = 0; j < m; j++) {
        scores[o + j] = scores[o + j]! + acc[j]!;
        acc[j] = 0;
      }
      g = c;
    }
    const ei = e[i]!;
    for (let j = 0; j < m; j++) acc[j] = acc[j]! + ei * X[j]![i]!;
  }
  if (n > 0) for (let j = 0; j < m; j++) scores[g * m + j] = scores[g * m + j]! + acc[j]!;
  return scores;
}

/**
 * The same numbers as clusterScores, bit for bit, when the scores are too large for the cache and the clusters come
 * in random order (10⁷ rows in 500,000 clusters: a cache miss per row). The runs are formed and summed exactly as
 * there, but a finished run's sums are first staged by bucket of clusters (a counting sort of the runs of a chunk of
 * rows by `cluster >> shift`), then added bucket by bucket, so that the cells being added to stay in the cache. Each
 * cluster still receives its runs' sums in row order, so every cell gets the same additions in the same order.
 */
export function clusterScoresBucketed(
  X: readonly Float64Array[],
  e: Float64Array,
  cluster: ClusterCodes,
  chunkRows = BUCKET_CHUNK_ROWS,
  bucketBytes = BUCKET_SCORES_BYTES,
): Float64Array {
  const m = X.length;
  const codes = cluster.codes;
  const G = cluster.ngroups;
  const scores = new Float64Array(G * m);
  const n = e.length;
  if (n === 0) return scores;
  let shift = 0;
  while (2 ** (shift + 1) * m * 8 <= bucketBytes) shift++;
  const nb = ((G - 1) >>> shift) + 1;
  const count = new Int32Array(nb + 1);
  const chunk = Math.min(n, chunkRows);
  const runG = new Int32Array(chunk);
  const runV = new Float64Array(chunk * m);
  const acc = new Float64Array(m);
  let g = codes[0]!;
  for (let i0 = 0; i0 < n; i0 += chunk) {
    const i1 = Math.min(n, i0 + chunk);
    // the runs that end in this chunk, counted by bucket (the run open at its end goes on into the next)
    count.fill(0);
    let h = g;
    for (let i = i0; i < i1; i++) {
      const c = codes[i]!;
      if (c !== h) {
        count[(h >>> shift) + 1]!++;
        h = c;
      }
    }
    for (let b = 0; b < nb; b++) count[b + 1] = count[b + 1]! + count[b]!;
    const runs = count[nb]!;
    // the runs' sums, as clusterScores forms them, at their bucket's next place
    for (let i = i0; i < i1; i++) {
      const c = codes[i]!;
      if (c !== g) {
        const r = count[g >>> shift]!++;
        runG[r] = g;
        const o = r * m;
        for (let j = 0; j < m; j++) {
          runV[o + j] = acc[j]!;
          acc[j] = 0;
        }
        g = c;
      }
      const ei = e[i]!;
      for (let j = 0; j < m; j++) acc[j] = acc[j]! + ei * X[j]![i]!;
    }
    // added bucket by bucket, each cluster's runs in row order
    for (let r = 0; r < runs; r++) {
      const o = runG[r]! * m,
        v = r * m;
      for (let j = 0; j < m; j++) scores[o + j] = scores[o + j]! + runV[v + j]!;
    }
  }
  for (let j = 0; j < m; j++) scores[g * m + j] = scores[g * m + j]! + acc[j]!;
  return scores;
}

/** Raw one-way clustered sandwich (CR0). */
export function clusterVcov(fit: VcovFit, cluster: ClusterCodes, pool?: ScoresPool): Float64Array {
  return sandwich(fit.bread, clusterMeat(fit.X, fit.residuals, cluster, pool), fit.X.length);
}

/** Codes of the intersection of two clusterings (dense, in order of first appearance). */
export function intersectClusters(a: ClusterCodes, b: ClusterCodes): ClusterCodes {
  const n = a.codes.length;
  const codes = new Int32Array(n);
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = a.codes[i]! * b.ngroups + b.codes[i]!;
    let g = seen.get(key);
    if (g === undefined) {
      g = seen.size;
      seen.set(key, g);
    }
    codes[i] = g;
  }
  return { codes, ngroups: seen.size };
}

/** Raw two-way clustered sandwich V_1 + V_2 − V_12 (CGM), before the small-sample factor. */
export function twoWayClusterVcov(fit: VcovFit, a: ClusterCodes, b: ClusterCodes, pool?: ScoresPool): Float64Array {
  const m = fit.X.length;
  const ma = clusterMeat(fit.X, fit.residuals, a, pool);
  const mb = clusterMeat(fit.X, fit.residuals, b, pool);
  const mab = clusterMeat(fit.X, fit.residuals, intersectClusters(a, b), pool);
  const meat = new Float64Array(m * m);
  for (let i = 0; i < m * m; i++) meat[i] = ma[i]! + mb[i]! - mab[i]!;
  return sandwich(fit.bread, meat, m);
}

/** What the small-sample factor needs to know about the model. */
export interface DofInfo {
  readonly n: number;
  /** Kept slopes, including the intercept of a model without fixed effects. */
  readonly kSlopes: number;
  /** Number of groups of each fixed effect (after the sample and singleton removal). */
  readonly feSizes: readonly number[];
  /** Per fixed effect, whether it is nested in one of the cluster variables (all false unless clustered). */
  readonly feNested: readonly boolean[];
}

/** K_fe under a fixef_k convention (see the module comment). */
export function fixefK(fixefK: SmallSample['fixef_k'], info: DofInfo): number {
  if (info.feSizes.length === 0 || fixefK === 'none') return 0;
  let k = 1;
  for (let j = 0; j < info.feSizes.length; j++) {
    if (fixefK === 'nested' && info.feNested[j]) continue;
    k += info.feSizes[j]! - 1;
  }
  return k;
}

export interface VcovResult {
  /** The variance matrix (m×m row-major) of the kept coefficients, small-sample factor applied. */
  readonly V: Float64Array;
  /** Degrees of freedom of the t distribution for the tests. */
  readonly dfT: number;
  /** The K used in (N−1)/(N−K). */
  readonly k: number;
  /** The small-sample factor c applied to the raw sandwich. */
  readonly factor: number;
  /** Number of clusters of each cluster variable (empty unless clustered). */
  readonly clusters: readonly number[];
}

/** A variance estimator: raw matrix, the G of its cluster factor (null: none), the clusters per variable. */
type RawVcov = (
  fit: VcovFit,
  clusters: readonly ClusterCodes[],
  pool?: ScoresPool,
) => { raw: Float64Array; g: number | null };

/** Registry of the variance estimators, keyed by VcovPlan['type']: adding one is one entry. */
export const vcovEstimators: Record<VcovPlan['type'], RawVcov> = {
  iid: (fit) => ({ raw: iidVcov(fit), g: null }),
  hc1: (fit) => ({ raw: heteroVcov(fit), g: fit.residuals.length }),
  cluster: (fit, clusters, pool) => {
    if (clusters.length === 1) return { raw: clusterVcov(fit, clusters[0]!, pool), g: clusters[0]!.ngroups };
    if (clusters.length === 2) {
      return {
        raw: twoWayClusterVcov(fit, clusters[0]!, clusters[1]!, pool),
        g: Math.min(clusters[0]!.ngroups, clusters[1]!.ngroups),
      };
    }
    throw new Error(`clustering on ${clusters.length} variables is not supported (one or two)`);
  },
};

/**
 * The variance of a fit under a VcovPlan: raw estimator × small-sample factor, with the t degrees of freedom. `pool`:
 * threads for the cluster scores (the same bits).
 */
export function computeVcov(
  plan: VcovPlan,
  fit: VcovFit,
  clusters: readonly ClusterCodes[],
  info: DofInfo,
  pool?: ScoresPool,
): VcovResult {
  const { raw, g } = vcovEstimators[plan.type](fit, clusters, pool);
  const ssc = plan.ssc;
  const mode = plan.type === 'cluster' ? ssc.fixef_k : ssc.fixef_k === 'nested' ? 'full' : ssc.fixef_k;
  const k = info.kSlopes + fixefK(mode, info);
  let factor = 1;
  if (ssc.adj) factor *= (info.n - 1) / (info.n - k);
  if (ssc.cluster_adj && g !== null) factor *= g / (g - 1);
  const V = raw.map((v) => v * factor);
  const kFull = info.kSlopes + fixefK('full', info);
  const dfT = plan.type === 'cluster' ? (g as number) - 1 : info.n - kFull;
  return { V, dfT, k, factor, clusters: plan.type === 'cluster' ? clusters.map((c) => c.ngroups) : [] };
}
