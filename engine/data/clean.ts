/**
 * Declared corrections (`data.fixes`): on one or several numeric columns, where a condition holds, one action —
 * multiply, set (a number or an expression evaluated before the fix), set missing, or fill the missing cells (a
 * number, linear interpolation within the unit, carry forward, carry backward). Pure: the caller evaluates the
 * expressions; this counts the cells whose value changed, per column.
 */
import type { DataFix } from '../spec/types.js';
import type { Panel } from '../core/panel.js';

export type FixAction =
  | { kind: 'multiply'; factor: number }
  | { kind: 'set'; value: number | Float64Array }
  | { kind: 'set_missing' }
  | { kind: 'fill'; value: number }
  | { kind: 'fill'; method: 'interpolate' | 'carry_forward' | 'carry_backward' };

/** The columns and the action a fix declares, or the reason it is malformed. */
export function fixShape(fix: DataFix): { columns: string[]; problem: string | null; path: string | null } {
  const columns = fix.columns ?? (fix.column !== undefined ? [fix.column] : []);
  if (fix.column !== undefined && fix.columns !== undefined)
    return { columns, problem: 'names both column and columns', path: 'columns' };
  if (columns.length === 0) return { columns, problem: 'names no column', path: null };
  const actions = (['multiply', 'set', 'set_missing', 'fill'] as const).filter(
    (k) => fix[k] !== undefined && fix[k] !== false,
  );
  if (actions.length === 0) return { columns, problem: 'has no action', path: null };
  if (actions.length > 1)
    return { columns, problem: `has ${actions.length} actions (${actions.join(', ')})`, path: actions[1]! };
  return { columns, problem: null, path: null };
}

/** The action as a phrase for notes and the accounting. */
export function describeAction(fix: DataFix): string {
  if (fix.multiply !== undefined) return `multiplied by ${fix.multiply}`;
  if (fix.set !== undefined) return typeof fix.set === 'number' ? `set to ${fix.set}` : `set to ${fix.set}`;
  if (fix.set_missing) return 'set missing';
  if (fix.fill !== undefined)
    return typeof fix.fill === 'number'
      ? `missing filled with ${fix.fill}`
      : `missing filled by ${fix.fill.replace('_', ' ')}`;
  return 'unchanged';
}

const same = (a: number, b: number) => a === b || (a !== a && b !== b);

/** Apply one action to a column on the selected rows (mask null = every row); returns the column and the cells changed. */
export function applyAction(
  x: Float64Array,
  mask: Float64Array | null,
  action: FixAction,
  panel: Panel,
): { values: Float64Array; changed: number } {
  const n = x.length;
  const y = Float64Array.from(x);
  const selected = (i: number) => mask === null || mask[i] === 1;
  if (action.kind === 'fill' && 'method' in action) {
    if (!panel.unit || !panel.time) return fillWithoutPanel();
    const byUnit = rowsByUnitTime(panel);
    for (const rows of byUnit) {
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k]!;
        if (!Number.isNaN(x[i]!) || !selected(i)) continue;
        let p = k - 1;
        while (p >= 0 && Number.isNaN(x[rows[p]!]!)) p--;
        let q = k + 1;
        while (q < rows.length && Number.isNaN(x[rows[q]!]!)) q++;
        const prev = p >= 0 ? rows[p]! : -1;
        const next = q < rows.length ? rows[q]! : -1;
        if (action.method === 'carry_forward') {
          if (prev >= 0) y[i] = x[prev]!;
        } else if (action.method === 'carry_backward') {
          if (next >= 0) y[i] = x[next]!;
        } else if (prev >= 0 && next >= 0) {
          const t = panel.time[i]!,
            t0 = panel.time[prev]!,
            t1 = panel.time[next]!;
          y[i] = x[prev]! + ((t - t0) / (t1 - t0)) * (x[next]! - x[prev]!);
        }
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (!selected(i)) continue;
      const v = x[i]!;
      switch (action.kind) {
        case 'multiply':
          y[i] = v * action.factor;
          break;
        case 'set':
          y[i] = typeof action.value === 'number' ? action.value : action.value[i]!;
          break;
        case 'set_missing':
          y[i] = NaN;
          break;
        case 'fill':
          if (Number.isNaN(v)) y[i] = (action as { value: number }).value;
          break;
      }
    }
  }
  let changed = 0;
  for (let i = 0; i < n; i++) if (!same(x[i]!, y[i]!)) changed++;
  return { values: y, changed };

  function fillWithoutPanel(): never {
    throw new Error('fill by interpolation or carrying needs a panel');
  }
}

/** Row indices of each unit in period order (rows without a unit or period are left out). */
export function rowsByUnitTime(panel: Panel): number[][] {
  const unit = panel.unit!;
  const time = panel.time!;
  const groups: number[][] = Array.from({ length: panel.unitLabels?.length ?? 0 }, () => []);
  for (let i = 0; i < unit.length; i++) {
    if (unit[i]! < 0 || Number.isNaN(time[i]!)) continue;
    (groups[unit[i]!] ??= []).push(i);
  }
  for (const g of groups) g.sort((a, b) => time[a]! - time[b]!);
  return groups;
}
