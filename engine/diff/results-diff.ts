/**
 * `specrun diff --results`: the two sides' results compared cell by cell — each coefficient's estimate, standard
 * error and stars, the number of observations and the model statistics. A value counts as changed when it differs by
 * more than 1e-12 relative (so that two runs of the same model never report noise), or appears or disappears.
 */
import { stars } from '../render/format.js';
import type { ModelResult } from '../results/types.js';

export interface CellChange {
  readonly model: string;
  /** A coefficient's term, or `(stats)` for nobs and statistics. */
  readonly term: string;
  readonly field: string;
  readonly old: string;
  readonly new: string;
}

export interface ResultsDiff {
  readonly cells: readonly CellChange[];
  /** Models present on one side only (they are reported by the spec diff too). */
  readonly onlyOld: readonly string[];
  readonly onlyNew: readonly string[];
  /** Models compared and found identical. */
  readonly same: readonly string[];
}

const REL = 1e-12;

function differs(a: number | null | undefined, b: number | null | undefined): boolean {
  const x = typeof a === 'number' && Number.isFinite(a) ? a : null;
  const y = typeof b === 'number' && Number.isFinite(b) ? b : null;
  if (x === null || y === null) return x !== y;
  return Math.abs(x - y) > REL * Math.max(1, Math.abs(x), Math.abs(y));
}

function num(x: number | null | undefined): string {
  if (x === undefined) return '—';
  if (x === null || !Number.isFinite(x)) return 'NA';
  if (Number.isInteger(x)) return String(x);
  return Number(x.toPrecision(6)).toString();
}

/** `levels(model)` gives the star levels of the table showing the model (default 10%, 5%, 1%). */
export function diffResults(
  oldResults: ReadonlyMap<string, ModelResult>,
  newResults: ReadonlyMap<string, ModelResult>,
  levels: (model: string) => readonly number[] | undefined = () => undefined,
): ResultsDiff {
  const cells: CellChange[] = [];
  const same: string[] = [];
  for (const [id, b] of newResults) {
    const a = oldResults.get(id);
    if (!a) continue;
    const before = cells.length;
    const lv = levels(id);
    const terms = [...new Set([...Object.keys(a.coefficients), ...Object.keys(b.coefficients)])];
    for (const term of terms) {
      const x = a.coefficients[term];
      const y = b.coefficients[term];
      if (differs(x?.estimate, y?.estimate) || (x === undefined) !== (y === undefined)) {
        cells.push({ model: id, term, field: 'estimate', old: num(x?.estimate), new: num(y?.estimate) });
      }
      if (differs(x?.se, y?.se)) cells.push({ model: id, term, field: 'se', old: num(x?.se), new: num(y?.se) });
      const sa = x ? stars(x.p, lv) : '';
      const sb = y ? stars(y.p, lv) : '';
      if (sa !== sb) cells.push({ model: id, term, field: 'stars', old: sa || '(none)', new: sb || '(none)' });
    }
    if (a.nobs !== b.nobs)
      cells.push({ model: id, term: '(stats)', field: 'nobs', old: num(a.nobs), new: num(b.nobs) });
    for (const k of [...new Set([...Object.keys(a.stats), ...Object.keys(b.stats)])]) {
      if (differs(a.stats[k], b.stats[k]))
        cells.push({ model: id, term: '(stats)', field: k, old: num(a.stats[k]), new: num(b.stats[k]) });
    }
    if (cells.length === before) same.push(id);
  }
  return {
    cells,
    onlyOld: [...oldResults.keys()].filter((id) => !newResults.has(id)),
    onlyNew: [...newResults.keys()].filter((id) => !oldResults.has(id)),
    same,
  };
}

export function formatResultsDiff(d: ResultsDiff, format: 'text' | 'md'): string {
  const L: string[] = [];
  if (format === 'md') {
    L.push('', '**Results, cell by cell:**', '');
    if (d.cells.length === 0) L.push('No estimate, standard error, star or statistic changes.');
    else {
      L.push('| model | term | cell | old | new |', '|---|---|---|---|---|');
      for (const c of d.cells) L.push(`| \`${c.model}\` | \`${c.term}\` | ${c.field} | ${c.old} | ${c.new} |`);
    }
    if (d.onlyNew.length) L.push('', `New models: ${d.onlyNew.map((m) => `\`${m}\``).join(', ')}`);
    if (d.onlyOld.length) L.push('', `Removed models: ${d.onlyOld.map((m) => `\`${m}\``).join(', ')}`);
  } else {
    L.push('results:');
    if (d.cells.length === 0) L.push('  no estimate, standard error, star or statistic changes');
    const w = Math.max(0, ...d.cells.map((c) => c.model.length));
    const t = Math.max(0, ...d.cells.map((c) => c.term.length));
    for (const c of d.cells) L.push(`  ${c.model.padEnd(w)}  ${c.term.padEnd(t)}  ${c.field}: ${c.old} → ${c.new}`);
    if (d.onlyNew.length) L.push(`  new models: ${d.onlyNew.join(', ')}`);
    if (d.onlyOld.length) L.push(`  removed models: ${d.onlyOld.join(', ')}`);
  }
  return L.join('\n') + '\n';
}
