/**
 * Nonparametric bootstrap of a statistic (here the indirect effect ab), seeded and reproducible bit for bit.
 *
 * Resampling: n rows drawn with replacement, or — when the variance clusters — G whole clusters drawn with
 * replacement (the rows of each drawn cluster kept together, in their original order), which preserves the
 * within-cluster dependence the clustered variance allows for (Cameron, Gelbach & Miller 2008, "pairs cluster
 * bootstrap"). The draws come from one xoshiro128** stream seeded by the user's seed, consumed in a fixed order
 * (replicate by replicate, draw by draw), so the same seed and data give the same replicates everywhere.
 *
 * Intervals at level L (α = 1 − L), from the B successful replicates θ*₁ ≤ … ≤ θ*_B:
 *   percentile:      [Q(α/2), Q(1 − α/2)]
 *   bias-corrected:  z₀ = Φ⁻¹(#{θ* < θ̂} / B),  [Q(Φ(2z₀ + z_{α/2})), Q(Φ(2z₀ + z_{1−α/2}))]
 *                    (Efron & Tibshirani 1993, §14.3, without the acceleration constant)
 * where Q(p) is the sample quantile with linear interpolation between order statistics, Q(p) = θ*_(⌊h⌋+1) +
 * (h − ⌊h⌋)(θ*_(⌊h⌋+2) − θ*_(⌊h⌋+1)), h = (B − 1)p — R's `quantile(type = 7)`.
 */
import { normalCdf, normalQuantile } from '../../numerics/distributions.js';
import { Xoshiro128 } from './prng.js';

export interface ResampleDesign {
  /** Number of rows. */
  readonly n: number;
  /** Cluster code per row (0..G−1, none missing), or null to resample rows. */
  readonly clusters: Int32Array | null;
}

/**
 * What a resample draws: `per` picks from 0..bound−1 with replacement — rows (bound = per = n), or whole clusters
 * (bound = per = G) whose rows (in row order) the resample takes: cluster g's rows are members[start[g] … start[g+1]).
 */
export interface ResampleLayout {
  readonly per: number;
  readonly bound: number;
  readonly clusters: { readonly start: Int32Array; readonly members: Int32Array } | null;
}

export function resampleLayout(design: ResampleDesign): ResampleLayout {
  const { n, clusters } = design;
  if (clusters === null) return { per: n, bound: n, clusters: null };
  // Rows of each cluster, in row order (counting sort: offsets then fill).
  let G = 0;
  for (let i = 0; i < n; i++) G = Math.max(G, clusters[i]! + 1);
  const start = new Int32Array(G + 1);
  for (let i = 0; i < n; i++) start[clusters[i]! + 1]!++;
  for (let g = 0; g < G; g++) start[g + 1]! += start[g]!;
  const members = new Int32Array(n);
  const fill = start.slice(0, G);
  for (let i = 0; i < n; i++) members[fill[clusters[i]!]!++] = i;
  return { per: G, bound: G, clusters: { start, members } };
}

/** The picks of `reps` resamples, `per` each, from the stream in replication order (into `into` when given). */
export function drawPicks(rng: Xoshiro128, layout: ResampleLayout, reps: number, into?: Int32Array): Int32Array {
  const picks = into ?? new Int32Array(reps * layout.per);
  for (let i = 0; i < reps * layout.per; i++) picks[i] = rng.below(layout.bound);
  return picks;
}

/** The row indices of one resample from its picks (the picks themselves when rows are drawn). */
export function rowsOfPicks(layout: ResampleLayout, picks: Int32Array): Int32Array {
  if (layout.clusters === null) return picks;
  const { start, members } = layout.clusters;
  let size = 0;
  for (let j = 0; j < picks.length; j++) size += start[picks[j]! + 1]! - start[picks[j]!]!;
  const rows = new Int32Array(size);
  let k = 0;
  for (let j = 0; j < picks.length; j++) {
    const g = picks[j]!;
    for (let r = start[g]!; r < start[g + 1]!; r++) rows[k++] = members[r]!;
  }
  return rows;
}

/**
 * A function that draws one resample: the row indices of the bootstrap sample. Row resampling draws n indices;
 * cluster resampling draws G clusters and returns their rows (so the resample's size varies with cluster sizes).
 */
export function makeResampler(design: ResampleDesign): (rng: Xoshiro128) => Int32Array {
  const layout = resampleLayout(design);
  return (rng) => rowsOfPicks(layout, drawPicks(rng, layout, 1));
}

export interface BootstrapDraws {
  /** The successful replicates, sorted ascending. */
  readonly sorted: Float64Array;
  /** Replicates whose statistic could not be computed (returned null or a non-finite number). */
  readonly failed: number;
}

/**
 * Draw `reps` resamples and evaluate `statistic` on each. A replicate whose statistic is null or not finite (a
 * collinear resample) is counted in `failed` and left out; it still consumes its draws, so the other replicates do
 * not shift.
 */
export function bootstrapStatistic(
  design: ResampleDesign,
  reps: number,
  seed: number,
  statistic: (rows: Int32Array) => number | null,
): BootstrapDraws {
  if (!Number.isInteger(reps) || reps < 1) throw new RangeError(`reps must be a positive integer, got ${reps}`);
  const rng = new Xoshiro128(seed);
  const draw = makeResampler(design);
  const values = new Float64Array(reps);
  for (let r = 0; r < reps; r++) values[r] = statistic(draw(rng)) ?? NaN;
  return bootstrapDraws(values);
}

/** The replicates in replication order (NaN or ±Infinity: failed) as the sorted successful ones and the count failed. */
export function bootstrapDraws(values: Float64Array): BootstrapDraws {
  const ok = values.filter((v) => Number.isFinite(v));
  return { sorted: ok.sort(), failed: values.length - ok.length };
}

/** Sample quantile of sorted values, linear interpolation between order statistics (R type 7). */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const B = sorted.length;
  if (B === 0 || !(p >= 0 && p <= 1)) return NaN;
  const h = (B - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, B - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function percentileInterval(sorted: Float64Array, level: number): [number, number] {
  const alpha = 1 - level;
  return [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)];
}

/**
 * Bias-corrected percentile interval. z₀ is infinite when every replicate lies on one side of the estimate; the
 * interval is then undefined ([NaN, NaN], serialised as nulls) and `z0` says why.
 */
export function biasCorrectedInterval(
  sorted: Float64Array,
  estimate: number,
  level: number,
): { interval: [number, number]; z0: number } {
  const B = sorted.length;
  let below = 0;
  while (below < B && sorted[below]! < estimate) below++;
  const z0 = normalQuantile(below / B);
  if (!Number.isFinite(z0)) return { interval: [NaN, NaN], z0 };
  const alpha = 1 - level;
  const p1 = normalCdf(2 * z0 + normalQuantile(alpha / 2));
  const p2 = normalCdf(2 * z0 + normalQuantile(1 - alpha / 2));
  return { interval: [quantileSorted(sorted, p1), quantileSorted(sorted, p2)], z0 };
}
