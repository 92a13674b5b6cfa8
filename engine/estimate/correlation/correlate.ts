/**
 * Correlation coefficients with their two-sided p-values:
 *
 *   r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²)      (means over the rows the pair uses)
 *   t = r √(n − 2) / √(1 − r²),  p = 2 P(T_{n−2} > |t|)   (|r| = 1: p = 0; n ≤ 2: no p)
 *
 * Spearman: r of the ranks, ties at their average rank, ranked within the rows the pair uses (as R's
 * `cor(method = "spearman", use = "pairwise")`, Stata's `spearman, pw` and SciPy's `spearmanr` after dropping
 * missing pairs); p from the same t approximation.
 */
import { pValueT } from '../../numerics/distributions.js';

export interface PairResult {
  readonly r: number | null;
  readonly p: number | null;
  readonly n: number;
}

/** Correlation of x and y over the rows where `use` is 1 and both are finite. */
export function correlate(
  x: Float64Array,
  y: Float64Array,
  use: Uint8Array | null,
  method: 'pearson' | 'spearman',
): PairResult {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (use !== null && use[i] !== 1) continue;
    const a = x[i]!;
    const b = y[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      xs.push(a);
      ys.push(b);
    }
  }
  const n = xs.length;
  if (n < 2) return { r: null, p: null, n };
  const u = method === 'spearman' ? averageRanks(xs) : xs;
  const v = method === 'spearman' ? averageRanks(ys) : ys;
  const r = pearson(u, v);
  if (r === null) return { r: null, p: null, n };
  if (n <= 2) return { r, p: null, n };
  const p = Math.abs(r) >= 1 ? 0 : pValueT((r * Math.sqrt(n - 2)) / Math.sqrt(1 - r * r), n - 2);
  return { r, p, n };
}

/** Pearson's r (null when either has no variation). */
function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i]! - mx;
    const b = y[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Ranks 1..n, tied values at the average of their ranks. */
export function averageRanks(x: readonly number[]): number[] {
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const ranks = new Array<number>(x.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]!] === x[order[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = avg;
    i = j + 1;
  }
  return ranks;
}
