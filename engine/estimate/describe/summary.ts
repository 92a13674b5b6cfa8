/**
 * Descriptive statistics of one numeric column (missing values left out):
 *
 *   n, mean = Σx/n, sd = √(Σ(x − mean)² / (n − 1)), min, max,
 *   percentile p (0 < p < 1), of the sorted values x₍₁₎ ≤ … ≤ x₍ₙ₎:
 *     type 7 (R's default):  h = (n − 1) p;  x₍⌊h⌋+1₎ + (h − ⌊h⌋)(x₍⌊h⌋+2₎ − x₍⌊h⌋+1₎)
 *     type 2 (Stata's summarize, detail):  np integer → (x₍np₎ + x₍np+1₎) / 2, else x₍⌈np⌉₎
 *
 * and the two-sample t-test of a difference in means d = mean₁ − mean₂:
 *   welch:  se = √(s₁²/n₁ + s₂²/n₂),  df = se⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1))
 *   pooled: s² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2),  se = s √(1/n₁ + 1/n₂),  df = n₁ + n₂ − 2
 *   t = d / se, p two-sided from Student's t.
 * The mean and the sums of squares use a second pass about the first-pass mean (no cancellation).
 */
import { quantileSorted } from '../../expr/evaluate.js';
import { pValueT } from '../../numerics/distributions.js';

/** The percentiles reported, by statistic name. */
export const PERCENTILES: readonly (readonly [string, number])[] = [
  ['p1', 0.01],
  ['p5', 0.05],
  ['p10', 0.1],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
];

/** Every statistic of a summary, in the order a table offers them. */
export const SUMMARY_STATS: readonly string[] = ['n', 'mean', 'sd', 'min', ...PERCENTILES.map(([k]) => k), 'max'];

export interface Summary {
  readonly n: number;
  /** null where undefined (no value; sd with fewer than two). */
  readonly stats: Readonly<Record<string, number | null>>;
  /** For the t-test: mean and variance (null below two values). */
  readonly mean: number | null;
  readonly variance: number | null;
}

/** The summary of the finite values of `x` at the rows where `keep` is 1 (all rows when null). */
export function summarize(x: Float64Array, keep: Uint8Array | null, quantileType: 7 | 2): Summary {
  const vals: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (keep !== null && keep[i] !== 1) continue;
    const v = x[i]!;
    if (Number.isFinite(v)) vals.push(v);
  }
  const n = vals.length;
  const sorted = Float64Array.from(vals).sort();
  let sum = 0;
  for (const v of vals) sum += v;
  const m0 = n > 0 ? sum / n : NaN;
  let dev = 0;
  let ss = 0;
  for (const v of vals) {
    dev += v - m0;
    ss += (v - m0) * (v - m0);
  }
  const mean = n > 0 ? m0 + dev / n : null;
  const variance = n > 1 ? (ss - (dev * dev) / n) / (n - 1) : null;
  const stats: Record<string, number | null> = Object.create(null);
  stats['n'] = n;
  stats['mean'] = mean;
  stats['sd'] = variance === null ? null : Math.sqrt(Math.max(variance, 0));
  stats['min'] = n > 0 ? sorted[0]! : null;
  stats['max'] = n > 0 ? sorted[n - 1]! : null;
  for (const [k, p] of PERCENTILES) stats[k] = n > 0 ? percentile(sorted, p, quantileType) : null;
  return { n, stats, mean, variance };
}

/** The p-th percentile of sorted values (n ≥ 1) by R's type 7 or type 2. */
export function percentile(sorted: Float64Array, p: number, type: 7 | 2): number {
  const n = sorted.length;
  if (type === 7) return quantileSorted(sorted, p);
  // type 2: j = ⌊np⌋, g = np − j; g > 0 → x₍j+1₎, g = 0 → average of x₍j₎ and x₍j+1₎ (1-based; clamped at the ends).
  // np is computed in a way that is exact for the listed p (n·p with p = k/100 as n·k/100).
  const np = Math.round(n * p * 1e6) / 1e6;
  const j = Math.floor(np);
  const at = (k: number) => sorted[Math.min(Math.max(k, 1), n) - 1]!;
  return np > j ? at(j + 1) : (at(j) + at(j + 1)) / 2;
}

export interface MeanTest {
  readonly diff: number;
  readonly se: number;
  readonly t: number;
  readonly df: number;
  readonly p: number;
}

/** The t-test of mean₁ − mean₂; null when either group has fewer than two values or the SE is 0. */
export function meanTest(a: Summary, b: Summary, method: 'welch' | 'pooled'): MeanTest | null {
  if (a.mean === null || b.mean === null || a.variance === null || b.variance === null) return null;
  const diff = a.mean - b.mean;
  let se: number;
  let df: number;
  if (method === 'welch') {
    const va = a.variance / a.n;
    const vb = b.variance / b.n;
    se = Math.sqrt(va + vb);
    df = ((va + vb) * (va + vb)) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  } else {
    df = a.n + b.n - 2;
    const s2 = ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / df;
    se = Math.sqrt(s2 * (1 / a.n + 1 / b.n));
  }
  if (!(se > 0)) return null;
  const t = diff / se;
  return { diff, se, t, df, p: pValueT(t, df) };
}
