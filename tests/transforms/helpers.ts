/** Build a small panel TransformContext from plain arrays (tests only). */
import { Frame, textColumn, type Column } from '../../engine/core/frame.js';
import type { TransformContext } from '../../engine/transforms/types.js';

export function panel(
  units: string[],
  times: number[],
  cols: Record<string, (number | null)[] | string[]>,
): TransformContext {
  const n = units.length;
  const labels: string[] = [];
  const code = new Map<string, number>();
  const unit = new Int32Array(n);
  units.forEach((u, i) => {
    if (!code.has(u)) {
      code.set(u, labels.length);
      labels.push(u);
    }
    unit[i] = code.get(u)!;
  });
  const entries: [string, Column][] = [
    ['unit', textColumn(units)],
    ['time', Float64Array.from(times)],
  ];
  for (const [k, v] of Object.entries(cols)) {
    if (typeof v[0] === 'string') entries.push([k, textColumn(v as string[])]);
    else entries.push([k, Float64Array.from((v as (number | null)[]).map((x) => (x === null ? Number.NaN : x)))]);
  }
  return { frame: new Frame(n, entries), unit, time: Float64Array.from(times), unitLabels: labels };
}

export function codes(notes: readonly { code: string }[]): string[] {
  return notes.map((n) => n.code);
}
