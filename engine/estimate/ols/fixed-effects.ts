/**
 * Fixed-effect structure on typed arrays: per fixed effect, dense group codes (Int32Array, 0..G−1) and the inverse
 * group sizes; plus the iterative removal of singleton groups (a group with one observation fits that observation
 * exactly and carries no information on the slopes, but would inflate N in the small-sample factors).
 */

export interface FixedEffects {
  /** Number of observations. */
  readonly n: number;
  /** Group code of each observation, one Int32Array per fixed effect, codes 0..G_k−1 with every group non-empty. */
  readonly codes: readonly Int32Array[];
  /** Number of groups G_k per fixed effect. */
  readonly ngroups: readonly number[];
  /** 1 / (group size), per fixed effect. */
  readonly invCounts: readonly Float64Array[];
}

/**
 * Build the structure from codes that may have gaps (unused codes are squeezed out so every group is non-empty).
 * `counts[k]`, when given, must be the number of rows of each code 0..counts[k].length−1 of `codes[k]` (and no code
 * outside that range): with every count positive the codes are dense and are neither scanned nor counted again.
 */
export function buildFixedEffects(codes: readonly Int32Array[], counts?: readonly (Int32Array | null)[]): FixedEffects {
  const n = codes.length ? codes[0]!.length : 0;
  const outCodes: Int32Array[] = [];
  const ngroups: number[] = [];
  const invCounts: Float64Array[] = [];
  for (let k = 0; k < codes.length; k++) {
    const c = codes[k]!;
    const known = counts?.[k];
    if (known?.every((v) => v > 0)) {
      const inv = new Float64Array(known.length);
      for (let j = 0; j < known.length; j++) inv[j] = 1 / known[j]!;
      outCodes.push(c);
      ngroups.push(known.length);
      invCounts.push(inv);
      continue;
    }
    let max = -1;
    for (let i = 0; i < n; i++) if (c[i]! > max) max = c[i]!;
    // already dense (every code 0..max used): keep the codes as they are
    const cnt0 = new Float64Array(max + 1);
    for (let i = 0; i < n; i++) cnt0[c[i]!]! += 1;
    if (cnt0.every((v) => v > 0)) {
      for (let j = 0; j <= max; j++) cnt0[j] = 1 / cnt0[j]!;
      outCodes.push(c);
      ngroups.push(max + 1);
      invCounts.push(cnt0);
      continue;
    }
    const remap = new Int32Array(max + 1).fill(-1);
    const dense = new Int32Array(n);
    let g = 0;
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      let r = remap[v]!;
      if (r < 0) {
        r = g++;
        remap[v] = r;
      }
      dense[i] = r;
    }
    const cnt = new Float64Array(g);
    for (let i = 0; i < n; i++) cnt[dense[i]!]! += 1;
    for (let j = 0; j < g; j++) cnt[j] = 1 / cnt[j]!;
    outCodes.push(dense);
    ngroups.push(g);
    invCounts.push(cnt);
  }
  return { n, codes: outCodes, ngroups, invCounts };
}

/**
 * Rows to keep after removing singletons: repeatedly, any row alone in its group of some fixed effect is dropped,
 * until no fixed effect has a singleton (dropping one can create another in a different fixed effect).
 * `keep` (1 = in the sample) is updated in place. Returns the number of rows dropped per fixed effect, in the order
 * of the fixed effects (a row counts once, for the first fixed effect in which it was found alone).
 */
export function dropSingletons(
  codes: readonly Int32Array[],
  keep: Uint8Array,
  known?: readonly (Int32Array | null)[],
): number[] {
  const n = keep.length;
  const dropped = codes.map(() => 0);
  // `known[k]`: the rows of each code of codes[k] among the kept rows, when already counted (never written to: the
  // counts below are a copy once singletons are removed)
  const counts = codes.map((c, k) => {
    const given = known?.[k];
    if (given) return given;
    let max = -1;
    for (let i = 0; i < n; i++) if (keep[i] && c[i]! > max) max = c[i]!;
    const cnt = new Int32Array(max + 1);
    for (let i = 0; i < n; i++) if (keep[i]) cnt[c[i]!]!++;
    return cnt;
  });
  // the usual case: no group of any fixed effect has exactly one row
  if (counts.every((cnt) => !cnt.includes(1))) return dropped;
  counts.forEach((cnt, k) => {
    if (cnt === known?.[k]) counts[k] = cnt.slice();
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 0; k < codes.length; k++) {
      const c = codes[k]!,
        cnt = counts[k]!;
      for (let i = 0; i < n; i++) {
        if (keep[i] && cnt[c[i]!] === 1) {
          keep[i] = 0;
          dropped[k]!++;
          changed = true;
          for (let j = 0; j < codes.length; j++) counts[j]![codes[j]![i]!]!--;
        }
      }
    }
  }
  return dropped;
}

/**
 * Whether fixed effect `fe` is nested in the cluster variable `cluster`: every group of the fixed effect lies in one
 * cluster (so its dummies are, in the clustered variance, absorbed by the cluster structure).
 */
export function isNested(fe: Int32Array, ngroups: number, cluster: Int32Array): boolean {
  const owner = new Int32Array(ngroups).fill(-1);
  for (let i = 0; i < fe.length; i++) {
    const g = fe[i]!,
      c = cluster[i]!;
    const o = owner[g]!;
    if (o < 0) owner[g] = c;
    else if (o !== c) return false;
  }
  return true;
}
