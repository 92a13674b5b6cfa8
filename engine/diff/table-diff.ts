/**
 * The table diff a reviewer reads: each table a change reaches, rendered before and after from the two sides' results,
 * with the cells that change marked — estimate, standard error, stars (a star gained or lost is called out first) —
 * rows and columns added or removed, and every change of N explained from the model's checks and its notes.
 *
 * Both sides go through the same table model the renderers use (engine/render), so what is compared is what the paper
 * shows, at the digits it shows. Rows are matched by their stable keys (`coef:lndiv`, `under:lndiv`, `stat:nobs`),
 * columns by the model they show (by position where a layout's columns are not models).
 */
import { buildTableModel, type BodyRow, type TableCell, type TableModel } from '../render/index.js';
import type { Plan, TablePlan } from '../normalize/plan.js';
import type { ModelResult } from '../results/types.js';
import type { SpecDiff } from './semantic-diff.js';

export type CellChangeKind = 'estimate' | 'se' | 'stat' | 'text';

export interface TableCellChange {
  readonly row: string;
  /** The row's label as the new table shows it (the old one's for a removed row). */
  readonly label: string;
  /** 1-based data column of the new table. */
  readonly column: number;
  readonly header: string;
  readonly old: string;
  readonly new: string;
  readonly kind: CellChangeKind;
  /** Set when the stars differ: `gained` (more stars), `lost` (fewer). */
  readonly stars?: 'gained' | 'lost';
}

export interface NobsChange {
  readonly column: number;
  readonly header: string;
  readonly model: string;
  readonly old: string;
  readonly new: string;
  /** Why, as far as the spec diff and the models' notes tell. */
  readonly because: readonly string[];
}

export interface TableDiff {
  readonly id: string;
  readonly status: 'changed' | 'unchanged' | 'added' | 'removed';
  readonly before: TableModel | null;
  readonly after: TableModel | null;
  readonly cells: readonly TableCellChange[];
  readonly rowsAdded: readonly string[];
  readonly rowsRemoved: readonly string[];
  readonly columnsAdded: readonly string[];
  readonly columnsRemoved: readonly string[];
  readonly nobs: readonly NobsChange[];
}

export interface SideTables {
  readonly plan: Plan;
  readonly results: ReadonlyMap<string, ModelResult>;
}

const cellText = (c: TableCell | undefined) => (c ? `${c.text}${c.stars}` : '');

function label(row: BodyRow, m: TableModel): string {
  if (row.kind === 'under') {
    // An SE row has no label of its own: it is the SE of the coefficient row above it.
    const term = row.key.slice(row.key.indexOf(':') + 1);
    const coef = m.body.find((r) => r.key === `coef:${term}` || r.key === `constant:${term}`);
    return `SE of ${coef ? label(coef, m) : term}`;
  }
  return (
    row.cells
      .slice(0, m.stubColumns)
      .map((c) => c.text)
      .filter(Boolean)
      .join(' ') || row.key
  );
}

/** The header text of each data column (its lowest header row with a cell for it). */
function headers(m: TableModel): string[] {
  const out: string[] = Array.from({ length: m.dataColumns }, (_, i) => `(${i + 1})`);
  for (const row of m.header) {
    let col = 0;
    for (const c of row.cells) {
      const first = col - m.stubColumns;
      if (first >= 0 && c.span === 1 && c.text && first < out.length) out[first] = c.text;
      col += c.span;
    }
  }
  return out;
}

function build(table: TablePlan | undefined, side: SideTables): TableModel | null {
  if (!table) return null;
  if (!table.models.every((id) => side.results.has(id))) return null;
  return buildTableModel(table, side.results, { lang: side.plan.lang });
}

/** Column keys: the model a column shows (its position when the layout's columns are not one model each). */
function columnKeys(table: TablePlan | undefined, m: TableModel | null): string[] {
  if (!m) return [];
  if (table && table.layout === 'regression' && table.models.length === m.dataColumns)
    return table.models.map((id, i) => `${id}#${table.models.slice(0, i).filter((x) => x === id).length}`);
  return Array.from({ length: m.dataColumns }, (_, i) => `#${i}`);
}

function starCount(c: TableCell | undefined): number {
  return c ? c.stars.length : 0;
}

function dropNotes(r: ModelResult | undefined): string[] {
  if (!r) return [];
  return r.notes.filter((n) => /DROPPED|REMOVED|MISSING/.test(n.code)).map((n) => n.message);
}

export function diffTable(id: string, old: SideTables, neu: SideTables, spec: SpecDiff | null): TableDiff {
  const ta = old.plan.tables.find((t) => t.id === id);
  const tb = neu.plan.tables.find((t) => t.id === id);
  const before = build(ta, old);
  const after = build(tb, neu);
  const empty = { cells: [], rowsAdded: [], rowsRemoved: [], columnsAdded: [], columnsRemoved: [], nobs: [] };
  if (!before || !after) return { id, status: before ? 'removed' : 'added', before, after, ...empty };
  const ka = columnKeys(ta, before);
  const kb = columnKeys(tb, after);
  const ha = headers(before);
  const hb = headers(after);
  const rowsA = new Map(before.body.map((r) => [r.key, r]));
  const rowsB = new Map(after.body.map((r) => [r.key, r]));
  const cells: TableCellChange[] = [];
  const nobs: NobsChange[] = [];
  for (const rb of after.body) {
    const ra = rowsA.get(rb.key);
    if (!ra) continue;
    for (let j = 0; j < kb.length; j++) {
      const i = ka.indexOf(kb[j]!);
      if (i < 0) continue;
      const ca = ra.cells[before.stubColumns + i];
      const cb = rb.cells[after.stubColumns + j];
      const oldText = cellText(ca);
      const newText = cellText(cb);
      if (oldText === newText) continue;
      const kind: CellChangeKind =
        rb.kind === 'coef' || rb.kind === 'constant'
          ? 'estimate'
          : rb.kind === 'under'
            ? 'se'
            : rb.kind === 'stat'
              ? 'stat'
              : 'text';
      const sa = starCount(ca);
      const sb = starCount(cb);
      cells.push({
        row: rb.key,
        label: label(rb, after),
        column: j + 1,
        header: hb[j]!,
        old: oldText,
        new: newText,
        kind,
        ...(sa !== sb ? { stars: sb > sa ? ('gained' as const) : ('lost' as const) } : {}),
      });
      if (rb.key === 'stat:nobs') {
        const model = tb!.models[j] ?? '';
        const change = spec?.models.changed.find((c) => c.id === model);
        const because = [
          ...(change?.checks.filter((c) => c.check !== 'vcov').map((c) => c.detail) ?? []),
          ...dropNotes(old.results.get(ta!.models[i] ?? '')).map((n) => `before: ${n}`),
          ...dropNotes(neu.results.get(model)).map((n) => `after: ${n}`),
        ];
        nobs.push({ column: j + 1, header: hb[j]!, model, old: oldText, new: newText, because });
      }
    }
  }
  const rowsAdded = after.body.filter((r) => !rowsA.has(r.key) && r.kind !== 'under').map((r) => label(r, after));
  const rowsRemoved = before.body.filter((r) => !rowsB.has(r.key) && r.kind !== 'under').map((r) => label(r, before));
  const columnsAdded = kb
    .map((k, j) => (ka.includes(k) ? null : `(${j + 1}) ${hb[j]}`))
    .filter((x): x is string => x !== null);
  const columnsRemoved = ka
    .map((k, i) => (kb.includes(k) ? null : `(${i + 1}) ${ha[i]}`))
    .filter((x): x is string => x !== null);
  // Title, notes and labels: the rendered text of everything else.
  const textChanged =
    before.title !== after.title ||
    before.notes.join('\n') !== after.notes.join('\n') ||
    JSON.stringify(before.header) !== JSON.stringify(after.header);
  const changed =
    cells.length + rowsAdded.length + rowsRemoved.length + columnsAdded.length + columnsRemoved.length > 0 ||
    textChanged;
  // Star changes first: they are what a reader of the paper notices.
  cells.sort((x, y) => Number(y.stars !== undefined) - Number(x.stars !== undefined));
  return {
    id,
    status: changed ? 'changed' : 'unchanged',
    before,
    after,
    cells,
    rowsAdded,
    rowsRemoved,
    columnsAdded,
    columnsRemoved,
    nobs,
  };
}

/** Every table of either side, diffed, in the new side's order then the removed ones. */
export function diffTables(old: SideTables, neu: SideTables, spec: SpecDiff | null): TableDiff[] {
  const ids = [
    ...neu.plan.tables.map((t) => t.id),
    ...old.plan.tables.map((t) => t.id).filter((id) => !neu.plan.tables.some((t) => t.id === id)),
  ];
  return ids.map((id) => diffTable(id, old, neu, spec));
}

// ---- rendering ---------------------------------------------------------------------------------------------------

/** Terminal columns of a text: two for CJK and other wide characters. */
const width = (s: string) =>
  [...s].reduce(
    (w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(ch) ? 2 : 1),
    0,
  );

/** A table as plain text lines, columns padded; `mark(row, col)` wraps a changed cell as ‹…›. */
function textLines(m: TableModel, mark: (rowKey: string, col: number) => boolean): string[] {
  const grid: string[][] = [];
  for (const h of m.header) {
    const line: string[] = [];
    for (const c of h.cells) {
      line.push(c.text);
      for (let k = 1; k < c.span; k++) line.push('');
    }
    grid.push(line);
  }
  for (const r of m.body) {
    grid.push(
      r.cells.map((c, i) => {
        const t = cellText(c);
        return i >= m.stubColumns && mark(r.key, i - m.stubColumns + 1) ? `‹${t}›` : t;
      }),
    );
  }
  const widths: number[] = [];
  for (const row of grid)
    row.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(c));
    });
  const lines = [m.title];
  for (const row of grid)
    lines.push(
      row
        .map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c)))
        .join('  ')
        .trimEnd(),
    );
  return lines;
}

function marker(d: TableDiff): (rowKey: string, col: number) => boolean {
  const set = new Set(d.cells.map((c) => `${c.row}\u0000${c.column}`));
  return (row, col) => set.has(`${row}\u0000${col}`);
}

/** `column (2)`, with the column's header when it says more than its number. */
function col(n: number, header: string): string {
  return header && header !== `(${n})` ? `column (${n}) ${header}` : `column (${n})`;
}

function changeLines(d: TableDiff): string[] {
  const L: string[] = [];
  for (const c of d.cells.filter((x) => x.stars))
    L.push(`star ${c.stars}: ${c.label}, ${col(c.column, c.header)}: ${c.old} → ${c.new}`);
  for (const n of d.nobs)
    L.push(
      `N of ${col(n.column, n.header)}: ${n.old} → ${n.new}${n.because.length ? ` — ${n.because.join('; ')}` : ''}`,
    );
  for (const c of d.cells.filter((x) => !x.stars && x.row !== 'stat:nobs'))
    L.push(`${c.label}, ${col(c.column, c.header)}: ${c.old} → ${c.new}`);
  for (const r of d.rowsAdded) L.push(`row added: ${r}`);
  for (const r of d.rowsRemoved) L.push(`row removed: ${r}`);
  for (const c of d.columnsAdded) L.push(`column added: ${c}`);
  for (const c of d.columnsRemoved) L.push(`column removed: ${c}`);
  return L;
}

export function formatTableDiffs(diffs: readonly TableDiff[], format: 'text' | 'md' | 'html'): string {
  const changed = diffs.filter((d) => d.status !== 'unchanged');
  const same = diffs.filter((d) => d.status === 'unchanged').map((d) => d.id);
  if (format === 'html') return htmlDiffs(changed, same);
  const L: string[] = [];
  if (format === 'md') L.push('', '**Tables, before and after:**', '');
  else L.push('tables, before and after:');
  for (const d of changed) {
    if (format === 'md') {
      L.push(`#### ${d.id}${d.status === 'changed' ? '' : ` (${d.status})`}`, '');
      for (const x of changeLines(d)) L.push(`- ${x.replace(/\|/g, '\\|')}`);
      if (d.after) L.push('', ...markdownMerged(d), '');
    } else {
      L.push(`  ${d.id}${d.status === 'changed' ? '' : ` (${d.status})`}`);
      for (const x of changeLines(d)) L.push(`    ${x}`);
      const left = d.before ? textLines(d.before, () => false) : ['(none)'];
      const right = d.after ? textLines(d.after, marker(d)) : ['(none)'];
      const w = Math.max(...left.map(width), 6);
      L.push(`    ${'before'.padEnd(w)} │ after`);
      for (let i = 0; i < Math.max(left.length, right.length); i++) {
        const l = left[i] ?? '';
        L.push(`    ${l}${' '.repeat(Math.max(0, w - width(l)))} │ ${right[i] ?? ''}`.trimEnd());
      }
    }
  }
  if (same.length)
    L.push(
      format === 'md'
        ? `Unchanged tables: ${same.map((s) => `\`${s}\``).join(', ')}`
        : `  unchanged: ${same.join(', ')}`,
    );
  if (changed.length === 0 && same.length === 0) L.push(format === 'md' ? 'No tables.' : '  no tables');
  return L.join('\n') + '\n';
}

/** The new table in Markdown with each changed cell as ~~old~~ **new**, and removed rows struck through at the end. */
function markdownMerged(d: TableDiff): string[] {
  const m = d.after!;
  const byCell = new Map(d.cells.map((c) => [`${c.row}\u0000${c.column}`, c]));
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\*/g, '\\*');
  const head = headers(m);
  const L = [`| | ${head.map(esc).join(' | ')} |`, `|:--|${head.map(() => ':-:').join('|')}|`];
  const added = new Set(d.rowsAdded);
  for (const r of m.body) {
    const lab = label(r, m);
    const cells = r.cells.slice(m.stubColumns).map((c, j) => {
      const ch = byCell.get(`${r.key}\u0000${j + 1}`);
      return ch ? `~~${esc(ch.old) || ' '}~~ **${esc(ch.new) || '—'}**` : esc(cellText(c));
    });
    L.push(
      `| ${r.kind === 'under' ? '' : esc(lab)}${added.has(lab) && r.kind !== 'under' ? ' *(new)*' : ''} | ${cells.join(' | ')} |`,
    );
  }
  for (const r of d.rowsRemoved) L.push(`| ~~${esc(r)}~~ *(removed)* | ${head.map(() => '').join(' | ')} |`);
  return L;
}

function htmlEscape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function htmlTable(m: TableModel, d: TableDiff, side: 'before' | 'after'): string {
  const byCell = new Map(d.cells.map((c) => [`${c.row}\u0000${c.column}`, c]));
  const rows: string[] = [];
  for (const h of m.header)
    rows.push(
      `<tr>${h.cells.map((c) => `<th${c.span > 1 ? ` colspan="${c.span}"` : ''}>${htmlEscape(c.text)}</th>`).join('')}</tr>`,
    );
  for (const r of m.body) {
    rows.push(
      `<tr>${r.cells
        .map((c, i) => {
          const ch = i >= m.stubColumns ? byCell.get(`${r.key}\u0000${i - m.stubColumns + 1}`) : undefined;
          const text = htmlEscape(cellText(c));
          if (!ch || side === 'before') return `<td>${text}</td>`;
          return `<td class="${ch.stars ? `star-${ch.stars}` : 'changed'}"><mark title="before: ${htmlEscape(ch.old)}">${text}</mark></td>`;
        })
        .join('')}</tr>`,
    );
  }
  return `<table><caption>${htmlEscape(m.title)} — ${side}</caption>${rows.join('')}</table>`;
}

function htmlDiffs(changed: readonly TableDiff[], same: readonly string[]): string {
  const parts = [
    '<section class="specrun-table-diff">',
    '<style>.specrun-table-diff .pair{display:flex;flex-wrap:wrap;gap:2em}.specrun-table-diff td,.specrun-table-diff th{padding:0 .6em;text-align:center}.specrun-table-diff .star-lost mark{background:#f8c0c0}.specrun-table-diff .star-gained mark{background:#c0f0c0}</style>',
  ];
  for (const d of changed) {
    parts.push(`<h4>${htmlEscape(d.id)}${d.status === 'changed' ? '' : ` (${d.status})`}</h4>`);
    const lines = changeLines(d);
    if (lines.length) parts.push(`<ul>${lines.map((l) => `<li>${htmlEscape(l)}</li>`).join('')}</ul>`);
    parts.push(
      `<div class="pair">${d.before ? htmlTable(d.before, d, 'before') : '<p>(none before)</p>'}${d.after ? htmlTable(d.after, d, 'after') : '<p>(none after)</p>'}</div>`,
    );
  }
  if (same.length) parts.push(`<p>Unchanged tables: ${same.map(htmlEscape).join(', ')}</p>`);
  parts.push('</section>');
  return parts.join('\n') + '\n';
}
