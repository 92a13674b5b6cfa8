/**
 * The distinct values of a column of the built data, for `split:` and `leave_one_out:` (engine/normalize/
 * expand-models.ts): missing values excluded, numbers ascending, texts in code-point order (deterministic whatever
 * the locale; fixest sorts in R's locale order, which only changes the order of the models, never their ids).
 */
import { isText, type Frame } from '../core/frame.js';

export function distinctValues(frame: Frame, column: string): (string | number)[] | undefined {
  const col = frame.get(column);
  if (!col) return undefined;
  if (isText(col)) {
    const used = new Set<number>();
    for (const c of col.codes) if (c >= 0) used.add(c);
    return [...used].map((c) => col.levels[c]!).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  const seen = new Set<number>();
  for (const v of col) if (!Number.isNaN(v)) seen.add(v);
  return [...seen].sort((a, b) => a - b);
}
