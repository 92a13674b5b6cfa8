/** "Did you mean …?" hints by edit distance. */

export function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

/** A hint naming the closest candidates, or listing them when none is close. */
export function suggest(name: string, candidates: Iterable<string>, what = 'name'): string {
  const list = [...new Set(candidates)];
  const scored = list
    .map((c) => ({ c, d: levenshtein(name.toLowerCase(), c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1));
  if (scored.length > 0)
    return `did you mean ${scored
      .slice(0, 3)
      .map((x) => `'${x.c}'`)
      .join(' or ')}?`;
  if (list.length === 0) return `no ${what} is defined`;
  const shown = list.slice(0, 12).join(', ');
  return `known ${what}s: ${shown}${list.length > 12 ? ', …' : ''}`;
}
