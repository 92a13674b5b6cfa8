/**
 * Table composition: a table that `extends:` another starts from that table's keys (resolved first, so chains work),
 * replaces the keys it gives (merging `labels` and `fixed_effects` key by key), and edits the inherited columns with
 * `drop_columns` (column ids) and `add_columns` (`{ columns, after | before }`, appended when neither is given).
 * Group headers may name their columns by id (`groups: [{ label, columns: [a, b] }]`) instead of a `span`; the
 * groups an extending table inherits are turned into ids first, so they follow the edits: a dropped column leaves its
 * group, a column inserted between two columns of one group joins it. The result is a table with `columns` and
 * position `span`s, as the layouts read it.
 *
 * A column's id is its model id (`fe_all`, or `model:` of a column mapping).
 */
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.js';
import { suggest } from '../core/suggest.js';
import type { YamlPath } from '../load/load-spec.js';
import type { TableColumn, TableGroup, TableSpec } from '../spec/types.js';
import type { GridSliceColumn } from '../spec/grid.js';

type Column = string | TableColumn | GridSliceColumn;
/** A group with its columns by id (internal form). */
interface IdGroup {
  label: TableGroup['label'];
  ids: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const columnId = (c: Column): string =>
  typeof c === 'string' ? c : 'grid' in c ? String(c.grid) : String(c.model);

/**
 * Every table of `raw` with its `extends`, column edits and id-based groups resolved (tables that could not be
 * resolved are left out; their problems are in `diags`).
 */
export function resolveTables(
  raw: Record<string, unknown>,
  at: (path: YamlPath) => SourcePosition,
  diags: Diagnostic[],
): Map<string, TableSpec> {
  const done = new Map<string, { spec: TableSpec; groups: IdGroup[] | null } | null>();
  const visiting = new Set<string>();

  const resolve = (id: string): { spec: TableSpec; groups: IdGroup[] | null } | null => {
    if (done.has(id)) return done.get(id)!;
    const t = raw[id];
    if (!isObj(t)) {
      done.set(id, null);
      return null;
    }
    const own = t as unknown as TableSpec;
    let base: { spec: TableSpec; groups: IdGroup[] | null } | null = null;
    if (typeof own.extends === 'string') {
      const parent = own.extends;
      if (!isObj(raw[parent])) {
        diags.push(
          diagnostic('TABLE_EXTENDS_UNKNOWN', at(['tables', id, 'extends']), {
            table: id,
            name: parent,
            suggestion: suggest(
              parent,
              Object.keys(raw).filter((k) => k !== id && isObj(raw[k])),
              'table',
            ),
          }),
        );
        done.set(id, null);
        return null;
      }
      if (visiting.has(parent) || parent === id) {
        diags.push(
          diagnostic('TABLE_EXTENDS_CYCLE', at(['tables', id, 'extends']), {
            table: id,
            chain: [...visiting, id, parent].join(' → '),
          }),
        );
        done.set(id, null);
        return null;
      }
      visiting.add(id);
      base = resolve(parent);
      visiting.delete(id);
      if (base === null) {
        done.set(id, null);
        return null;
      }
    }
    const result = build(id, own, base, at, diags);
    done.set(id, result);
    return result;
  };

  const out = new Map<string, TableSpec>();
  for (const id of Object.keys(raw)) {
    const r = resolve(id);
    if (r) out.set(id, r.spec);
  }
  return out;
}

function build(
  id: string,
  own: TableSpec,
  base: { spec: TableSpec; groups: IdGroup[] | null } | null,
  at: (path: YamlPath) => SourcePosition,
  diags: Diagnostic[],
): { spec: TableSpec; groups: IdGroup[] | null } | null {
  const path = ['tables', id];
  let columns: Column[];
  let groups: IdGroup[] | null;
  const parentGroups = base ? base.groups : null;
  if (Array.isArray(own.columns)) {
    columns = [...own.columns];
    groups = null;
  } else if (base) {
    columns = [...(base.spec.columns ?? [])];
    groups = parentGroups ? parentGroups.map((g) => ({ label: g.label, ids: [...g.ids] })) : null;
  } else {
    diags.push(diagnostic('TABLE_NO_COLUMNS', at(path), { table: id }));
    return null;
  }
  const known = () => columns.map(columnId);
  const unknownColumn = (name: string, where: YamlPath) => {
    diags.push(
      diagnostic('TABLE_COLUMN_UNKNOWN', at(where), { table: id, name, suggestion: suggest(name, known(), 'column') }),
    );
  };
  // drop_columns, then add_columns (in order)
  (own.drop_columns ?? []).forEach((name, i) => {
    const k = known().indexOf(String(name));
    if (k < 0) {
      unknownColumn(String(name), [...path, 'drop_columns', i]);
      return;
    }
    columns.splice(k, 1);
    if (groups) for (const g of groups) g.ids = g.ids.filter((x) => x !== name);
  });
  (own.add_columns ?? []).forEach((edit, i) => {
    if (!isObj(edit) || !Array.isArray(edit.columns)) return;
    const anchor = edit.after ?? edit.before;
    let pos = columns.length;
    if (anchor !== undefined) {
      const k = known().indexOf(String(anchor));
      if (k < 0) {
        unknownColumn(String(anchor), [...path, 'add_columns', i, edit.after !== undefined ? 'after' : 'before']);
        return;
      }
      pos = edit.after !== undefined ? k + 1 : k;
    }
    const left = pos > 0 ? columnId(columns[pos - 1]!) : null;
    const right = pos < columns.length ? columnId(columns[pos]!) : null;
    columns.splice(pos, 0, ...edit.columns);
    // A column inserted between two columns of one group joins that group.
    if (groups && left !== null && right !== null) {
      const g = groups.find((x) => x.ids.includes(left) && x.ids.includes(right));
      if (g) g.ids.splice(g.ids.indexOf(left) + 1, 0, ...edit.columns.map(columnId));
    }
  });
  // groups: the table's own (by span, kept as written; or by columns), else the inherited ones
  let spans: TableGroup[] | null | undefined;
  if (Array.isArray(own.groups)) {
    groups = idGroups(id, own.groups, columns, at, diags);
    if (groups === null) return null;
    spans = own.groups.some((g) => isObj(g) && Array.isArray(g.columns))
      ? spanGroups(id, groups, columns, at, diags, true)
      : own.groups;
  } else {
    spans = groups ? spanGroups(id, groups, columns, at, diags, false) : undefined;
  }
  if (spans === null) return null;
  const inherited = base ? base.spec : ({} as TableSpec);
  const merged: TableSpec = { ...inherited, ...own, columns };
  delete merged.extends;
  delete merged.add_columns;
  delete merged.drop_columns;
  if (base && isObj(inherited.labels) && isObj(own.labels)) merged.labels = { ...inherited.labels, ...own.labels };
  if (base && isObj(inherited.fixed_effects) && isObj(own.fixed_effects))
    merged.fixed_effects = { ...inherited.fixed_effects, ...own.fixed_effects };
  if (spans !== undefined) merged.groups = spans;
  else delete merged.groups;
  return { spec: merged, groups };
}

/** Groups as ids: by `columns` (checked against the table), or by `span` (counted from the left). */
function idGroups(
  id: string,
  list: TableGroup[],
  columns: Column[],
  at: (path: YamlPath) => SourcePosition,
  diags: Diagnostic[],
): IdGroup[] | null {
  const ids = columns.map(columnId);
  const out: IdGroup[] = [];
  let pos = 0;
  let ok = true;
  list.forEach((g, i) => {
    if (!isObj(g)) return;
    if (Array.isArray(g.columns)) {
      for (const [j, c] of g.columns.entries()) {
        if (!ids.includes(String(c))) {
          diags.push(
            diagnostic('TABLE_COLUMN_UNKNOWN', at(['tables', id, 'groups', i, 'columns', j]), {
              table: id,
              name: String(c),
              suggestion: suggest(String(c), ids, 'column'),
            }),
          );
          ok = false;
        }
      }
      out.push({ label: g.label, ids: g.columns.map(String) });
      pos = Math.max(...g.columns.map((c) => ids.indexOf(String(c)))) + 1;
    } else {
      const span = Math.max(1, Math.trunc(Number(g.span ?? 1)));
      out.push({ label: g.label, ids: ids.slice(pos, pos + span) });
      pos += span;
    }
  });
  return ok ? out : null;
}

/**
 * Id groups → position spans in column order, empty-label groups filling the gaps (as a `span` list reads). A group
 * whose columns are not next to each other is an error.
 */
function spanGroups(
  id: string,
  groups: IdGroup[],
  columns: Column[],
  at: (path: YamlPath) => SourcePosition,
  diags: Diagnostic[],
  own: boolean,
): TableGroup[] | null {
  const ids = columns.map(columnId);
  const placed = groups
    .map((g, i) => ({
      g,
      i,
      idx: g.ids
        .map((x) => ids.indexOf(x))
        .filter((k) => k >= 0)
        .sort((a, b) => a - b),
    }))
    .filter((x) => x.idx.length > 0)
    .sort((a, b) => a.idx[0]! - b.idx[0]!);
  const out: TableGroup[] = [];
  let pos = 0;
  for (const { g, i, idx } of placed) {
    const first = idx[0]!;
    const last = idx[idx.length - 1]!;
    if (last - first + 1 !== idx.length || first < pos) {
      diags.push(
        diagnostic('TABLE_GROUP_NOT_CONSECUTIVE', at(own ? ['tables', id, 'groups', i] : ['tables', id]), {
          table: id,
          columns: g.ids.join(', '),
        }),
      );
      return null;
    }
    if (first > pos) out.push({ label: '', span: first - pos });
    out.push({ label: g.label, span: idx.length });
    pos = last + 1;
  }
  return out;
}
