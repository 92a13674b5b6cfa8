/**
 * A model's sample accounting (what `run` reports per model, and results.json's data accounting): the rows of its
 * sample and the rows it loses to missing values, each attributed to the first of its variables that is missing.
 * A function of the prepared data only, so the main thread and a worker thread (engine/run/model-worker.ts) give the
 * same account.
 */
import { isText } from '../core/frame.js';
import type { ModelAccount } from '../data/accounting.js';
import type { EstimationData } from './types.js';

/** Sample rows and the rows a model loses to missing values, each attributed to the first variable missing. */
export function modelAccount(input: EstimationData, rows: number): ModelAccount {
  const f = input.frame;
  const cols = f.names.map((name) => ({ name, col: f.get(name)! }));
  const dropped: Record<string, number> = Object.create(null);
  let complete = 0;
  for (let i = 0; i < f.nrows; i++) {
    let miss: string | null = null;
    for (const { name, col } of cols) {
      const m = isText(col) ? col.codes[i]! < 0 : Number.isNaN(col[i]!);
      if (m) {
        miss = name;
        break;
      }
    }
    if (miss === null) complete++;
    else dropped[miss] = (dropped[miss] ?? 0) + 1;
  }
  // In the model's column order (the dependent variable first), whatever the order rows met them.
  const ordered: Record<string, number> = {};
  for (const { name } of cols) if (dropped[name]) ordered[name] = dropped[name]!;
  return { rows, sample_rows: f.nrows, dropped_missing: ordered, complete_rows: complete };
}
