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
 *
 * Intercept (`intercept`): `free` estimates C with q (the OLS line above). `largest` fixes C at the log size of the
 * group's largest unit (the paper's "C 为城市群内首位城市人口的对数"), so q is the slope of a regression through that
 * point: with d_i = C − ln size_i and x_i = ln R_i, q = Σ x_i d_i / Σ x_i², and R² is the uncentred one of that
 * regression (R's `summary(lm(I(y − C) ~ 0 + x))`). The largest unit has x = 0 and only fixes C; it stays in every
 * refit of the centre count, so C never changes. Two units suffice for a fixed-intercept fit (one slope, one point),
 * so the centre count is undefined only when even the largest and the smallest unit alone give q ≤ threshold.
 */

export type RankSizeIntercept = 'free' | 'largest';

export const MIN_UNITS = 3;

/** The fewest units a fit needs: three with a free intercept, two with C fixed at the largest unit. */
export function minUnits(intercept: RankSizeIntercept): number {
  return intercept === 'free' ? MIN_UNITS : 2;
}

export type RankSizeFit =
  | {
      readonly ok: true;
      readonly q: number;
      readonly C: number;
      readonly r2: number;
      readonly n: number;
      readonly ties: boolean;
    }
  | { readonly ok: false; readonly n: number; readonly reason: 'too-few-units' | 'all-tied'; readonly ties: boolean };

/** Sizes in descending order (a copy); every size must be positive and finite (the caller filters). */
export function sortDescending(sizes: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(sizes).sort();
  return s.reverse();
}

/** Fit the rank-size line to sizes sorted in descending order. */
export function rankSizeFitSorted(sortedDesc: Float64Array, intercept: RankSizeIntercept = 'free'): RankSizeFit {
  return fitWithout(sortedDesc, logsOf(sortedDesc), 0, new Float64Array(sortedDesc.length), intercept);
}

function logsOf(sortedDesc: Float64Array): Float64Array {
  const ly = new Float64Array(sortedDesc.length);
  for (let i = 0; i < ly.length; i++) ly[i] = Math.log(sortedDesc[i]!);
  return ly;
}

/**
 * The fit on the largest unit and the units after the next `skip` (positions 0 and skip+1 … n−1 of the sorted
 * sizes), i.e. after removing the second-largest unit `skip` times; `ly` holds ln size, `lr` is scratch for ln rank.
 * Two passes (means, then centred sums) keep the accuracy of R's QR fit on these small cells.
 */
function fitWithout(
  sortedDesc: Float64Array,
  ly: Float64Array,
  skip: number,
  lr: Float64Array,
  intercept: RankSizeIntercept,
): RankSizeFit {
  const m = sortedDesc.length - skip;
  const at = (j: number): number => (j === 0 ? 0 : j + skip);
  // ln of the average ranks over runs of tied sizes
  let ties = false;
  for (let j = 0; j < m; ) {
    let k = j + 1;
    while (k < m && sortedDesc[at(k)] === sortedDesc[at(j)]) k++;
    if (k - j > 1) ties = true;
    const lnRank = Math.log((j + 1 + k) / 2);
    for (let i = j; i < k; i++) lr[i] = lnRank;
    j = k;
  }
  if (m < minUnits(intercept)) return { ok: false, n: m, reason: 'too-few-units', ties };
  if (intercept === 'largest') {
    // C = ln size of the largest unit; q = Σ x d / Σ x² with d = C − ln size, x = ln rank (0 for the largest).
    const C = ly[0]!;
    let sxx = 0;
    let sxd = 0;
    let sdd = 0;
    for (let j = 0; j < m; j++) {
      const x = lr[j]!;
      const d = C - ly[at(j)]!;
      sxx += x * x;
      sxd += x * d;
      sdd += d * d;
    }
    if (sxx === 0) return { ok: false, n: m, reason: 'all-tied', ties };
    return { ok: true, q: sxd / sxx, C, r2: sdd > 0 ? (sxd * sxd) / (sxx * sdd) : 1, n: m, ties };
  }
  let mx = 0;
  let my = 0;
  for (let j = 0; j < m; j++) {
    mx += lr[j]!;
    my += ly[at(j)]!;
  }
  mx /= m;
  my /= m;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let j = 0; j < m; j++) {
    const dx = lr[j]! - mx;
    const dy = ly[at(j)]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { ok: false, n: m, reason: 'all-tied', ties };
  const slope = sxy / sxx;
  return { ok: true, q: -slope, C: my - slope * mx, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1, n: m, ties };
}

/**
 * Number of centres by the drop-the-second-largest rule, from sizes sorted in descending order; null when fewer
 * than `minUnits(intercept)` units would remain before q exceeds the threshold.
 */
export function centreCount(
  sortedDesc: Float64Array,
  threshold: number,
  intercept: RankSizeIntercept = 'free',
): number | null {
  const ly = logsOf(sortedDesc);
  const lr = new Float64Array(sortedDesc.length);
  for (let dropped = 0; sortedDesc.length - dropped >= minUnits(intercept); dropped++) {
    const fit = fitWithout(sortedDesc, ly, dropped, lr, intercept);
    // Above the threshold: monocentric after `dropped` removals. Otherwise (or all remaining sizes tied, q
    // undefined) remove the second-largest unit and refit.
    if (fit.ok && fit.q > threshold) return 1 + dropped;
  }
  return null;
}
