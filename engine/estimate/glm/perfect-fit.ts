/**
 * Fixed-effect groups whose outcome is all zero (Poisson, logit, probit) or all one (logit, probit) are fitted
 * perfectly by a fixed effect at ∓∞: their observations carry no information on the slopes and the maximum
 * likelihood estimate does not exist with them in. They are removed before the fit, as fixest's default
 * `fixef.rm = "perfect"` does, and in the same single round: per fixed effect, the groups with Σy = 0 (or Σy = size
 * for a binary outcome) among the rows kept so far are found, then every row in any such group of any fixed effect
 * is removed. The removal is not repeated (fixest does not either: a group that becomes all-zero only after another
 * fixed effect's groups went stays in).
 *
 * With `singletons` (specrun's default `singletons: drop`), groups of one observation are found in the same round
 * and removed with them, as fixest's `fixef.rm = "both"` (its C++ quf_table_sum: per fixed effect, a group is a
 * problem when Σy = 0, Σy = size for a binary outcome, or size = 1; the rows of every problem group go at once, and
 * nothing is re-checked). A group of one counts as a singleton, not as perfectly fitted, when both apply.
 */

export interface PerfectFitRemoval {
  /** Per fixed effect, the number of groups found all-zero (or all-one), singletons not included. */
  readonly groups: number[];
  /** Rows removed because of a perfectly fitted group and in no singleton group (each counted once). */
  readonly rows: number;
  /** Per fixed effect, the rows removed as singletons of that fixed effect (a row counted for the first only). */
  readonly singletonRows: number[];
}

/** Updates `keep` in place (1 = in the sample). */
export function removePerfectFitGroups(
  codes: readonly Int32Array[],
  y: Float64Array,
  keep: Uint8Array,
  binary: boolean,
  singletons = false,
): PerfectFitRemoval {
  const n = keep.length;
  const bad = codes.map((c) => {
    let max = -1;
    for (let i = 0; i < n; i++) if (keep[i] && c[i]! > max) max = c[i]!;
    const sum = new Float64Array(max + 1),
      size = new Float64Array(max + 1);
    for (let i = 0; i < n; i++)
      if (keep[i]) {
        sum[c[i]!] = sum[c[i]!]! + y[i]!;
        size[c[i]!] = size[c[i]!]! + 1;
      }
    // 1: perfectly fitted, 2: a singleton
    const flag = new Uint8Array(max + 1);
    for (let g = 0; g <= max; g++) {
      if (singletons && size[g] === 1) flag[g] = 2;
      else if (size[g]! > 0 && (sum[g] === 0 || (binary && sum[g] === size[g]))) flag[g] = 1;
    }
    return flag;
  });
  const groups = bad.map((f) => f.reduce((s, v) => s + (v === 1 ? 1 : 0), 0));
  const singletonRows = codes.map(() => 0);
  let rows = 0;
  if (bad.some((f) => f.some((v) => v > 0))) {
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      let single = -1,
        perfect = false;
      for (let k = 0; k < codes.length; k++) {
        const f = bad[k]![codes[k]![i]!]!;
        if (f === 2 && single < 0) single = k;
        else if (f === 1) perfect = true;
      }
      if (single >= 0) {
        keep[i] = 0;
        singletonRows[single] = singletonRows[single]! + 1;
      } else if (perfect) {
        keep[i] = 0;
        rows++;
      }
    }
  }
  return { groups, rows, singletonRows };
}
