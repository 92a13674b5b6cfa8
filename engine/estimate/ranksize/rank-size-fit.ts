/**
 * The rank-size (mono) index of one group in one period (Meijers & Burger 2010; the paper's robustness section):
 *
 *   ln size_i = C − q ln R_i,   R_i = rank of unit i by size within the group (1 = largest)
 *
 * fitted by least squares; q is reported positive when larger units rank first. With x = ln R and y = ln size:
 * q = −Sxy / Sxx, C = ȳ + q x̄, R² = Sxy² / (Sxx Syy) (sums of centred cross-products).
 *
 * Ties in size: tied units share the average of the ranks they span (R's `rank(ties.method = "average")`), so q
 * never depends on how tied units happen to be ordered or labelled.
 *
 * Centre count (the paper, §4(3): "q > 0.5 … monocentric; q < 0.5 … polycentric; for a polycentric group drop the
 * city with the second-largest population step by step until q > 0.5, which gives the number of centres"): while
 * q is not above the threshold, remove the second-largest remaining unit and refit; centres = 1 + the number removed
 * (the largest unit plus every unit removed). q exactly at the threshold counts as polycentric (the paper's two
 * cases are strict inequalities; "until q > 0.5" decides the boundary). Which of two tied units is removed does
 * not matter: the remaining sizes are the same. When fewer than three units would remain before q exceeds the
 * threshold, the count is undefined (null).
 */

export const MIN_UNITS = 3;

export type RankSizeFit =
  | { readonly ok: true; readonly q: number; readonly C: number; readonly r2: number; readonly n: number; readonly ties: boolean }
  | { readonly ok: false; readonly n: number; readonly reason: 'too-few-units' | 'all-tied'; readonly ties: boolean };

/** Average ranks (1 = largest) of sizes already sorted in descending order; tied values share their mean rank. */
export function averageRanksDescending(sortedDesc: Float64Array): { ranks: Float64Array; ties: boolean } {
  const n = sortedDesc.length;
  const ranks = new Float64Array(n);
  let ties = false;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sortedDesc[j] === sortedDesc[i]) j++;
    if (j - i > 1) ties = true;
    const avg = (i + 1 + j) / 2; // mean of ranks i+1 .. j
    for (let k = i; k < j; k++) ranks[k] = avg;
    i = j;
  }
  return { ranks, ties };
}

/** Sizes in descending order (a copy); every size must be positive and finite (the caller filters). */
export function sortDescending(sizes: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(sizes).sort();
  return s.reverse();
}

/** Fit the rank-size line to sizes sorted in descending order. */
export function rankSizeFitSorted(sortedDesc: Float64Array): RankSizeFit {
  const n = sortedDesc.length;
  const { ranks, ties } = averageRanksDescending(sortedDesc);
  if (n < MIN_UNITS) return { ok: false, n, reason: 'too-few-units', ties };
  let mx = 0;
  let my = 0;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = Math.log(ranks[i]!);
    y[i] = Math.log(sortedDesc[i]!);
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { ok: false, n, reason: 'all-tied', ties };
  const slope = sxy / sxx;
  const q = -slope;
  return { ok: true, q, C: my - slope * mx, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1, n, ties };
}

/**
 * Number of centres by the drop-the-second-largest rule, from sizes sorted in descending order; null when fewer
 * than three units would remain before q exceeds the threshold.
 */
export function centreCount(sortedDesc: Float64Array, threshold: number): number | null {
  let current = sortedDesc;
  for (let dropped = 0; ; dropped++) {
    const fit = rankSizeFitSorted(current);
    if (!fit.ok && fit.reason === 'too-few-units') return null;
    if (fit.ok && fit.q > threshold) return 1 + dropped;
    // Not above the threshold (or all remaining sizes tied, q undefined): remove the second-largest unit.
    if (current.length - 1 < MIN_UNITS) return null;
    const next = new Float64Array(current.length - 1);
    next[0] = current[0]!;
    next.set(current.subarray(2), 1);
    current = next;
  }
}
