/**
 * Fixed-effect groups whose outcome is all zero (Poisson, logit, probit) or all one (logit, probit) are fitted
 * perfectly by a fixed effect at ∓∞: their observations carry no information on the slopes and the maximum
 * likelihood estimate does not exist with them in. They are removed before the fit, as fixest's default
 * `fixef.rm = "perfect"` does, and in the same single round: per fixed effect, the groups with Σy = 0 (or Σy = size
 * for a binary outcome) among the rows kept so far are found, then every row in any such group of any fixed effect
 * is removed. The removal is not repeated (fixest does not either: a group that becomes all-zero only after another
 * fixed effect's groups went stays in).
 */

export interface PerfectFitRemoval {
  /** Per fixed effect, the number of groups found all-zero (or all-one). */
  readonly groups: number[];
  /** Rows removed (each counted once). */
  readonly rows: number;
}

/** Updates `keep` in place (1 = in the sample). */
export function removePerfectFitGroups(
  codes: readonly Int32Array[], y: Float64Array, keep: Uint8Array, binary: boolean,
): PerfectFitRemoval {
  const n = keep.length;
  const bad = codes.map((c) => {
    let max = -1;
    for (let i = 0; i < n; i++) if (keep[i] && c[i]! > max) max = c[i]!;
    const sum = new Float64Array(max + 1), size = new Float64Array(max + 1);
    for (let i = 0; i < n; i++) if (keep[i]) { sum[c[i]!] = sum[c[i]!]! + y[i]!; size[c[i]!] = size[c[i]!]! + 1; }
    const flag = new Uint8Array(max + 1);
    for (let g = 0; g <= max; g++) if (size[g]! > 0 && (sum[g] === 0 || (binary && sum[g] === size[g]))) flag[g] = 1;
    return flag;
  });
  const groups = bad.map((f) => f.reduce((s, v) => s + v, 0));
  let rows = 0;
  if (groups.some((g) => g > 0)) {
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      for (let k = 0; k < codes.length; k++) {
        if (bad[k]![codes[k]![i]!]) { keep[i] = 0; rows++; break; }
      }
    }
  }
  return { groups, rows };
}
