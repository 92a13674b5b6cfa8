/**
 * Joining a table onto the main one by key columns, with the relation declared and checked (Stata's `merge m:1` /
 * `merge 1:1`, pandas' `merge(validate=...)`). The main table's rows keep their order; nothing is duplicated,
 * because the joined side must have each key once. Every row is accounted for:
 *   main:   matched_rows + unmatched_rows = left_rows;   rows = left_rows − dropped_rows (dropped only under `inner`)
 *   joined: its rows whose key a main row has + right_unmatched_rows = right_rows
 * Keys compare as text (a numeric 2010 equals a text "2010"); a key with a missing part matches nothing.
 */
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { cellText, type Frame, isText, type Column } from '../core/frame.js';

export interface JoinOptions {
  readonly on: readonly string[];
  readonly relation: 'many_to_one' | 'one_to_one';
  readonly how: 'left' | 'inner';
  /** Name of the joined table in messages. */
  readonly file: string;
  /** How many unmatched keys to list. __Default value:__ 5 */
  readonly show?: number;
}

export interface JoinCounts {
  readonly left_rows: number;
  readonly right_rows: number;
  readonly matched_rows: number;
  readonly unmatched_rows: number;
  readonly unmatched_keys: number;
  readonly unmatched_first: readonly string[];
  /** Rows of the joined table that no main row matches, their distinct keys and the first few. */
  readonly right_unmatched_rows: number;
  readonly right_unmatched_keys: number;
  readonly right_unmatched_first: readonly string[];
  readonly dropped_rows: number;
  readonly rows: number;
}

const MISSING = '(missing key)';

function keyOf(cols: readonly Column[], i: number): string | null {
  let k = '';
  for (let j = 0; j < cols.length; j++) {
    const t = cellText(cols[j]!, i);
    if (t === null) return null;
    k += (j ? '\u0001' : '') + t;
  }
  return k;
}

const shownKey = (k: string) => k.split('\u0001').join(' × ');

export function joinFrames(left: Frame, right: Frame, opts: JoinOptions): { frame: Frame; counts: JoinCounts } {
  const show = opts.show ?? 5;
  const lk = opts.on.map((c) => left.get(c)!);
  const rk = opts.on.map((c) => right.get(c)!);
  for (const name of right.names) {
    if (!opts.on.includes(name) && left.has(name))
      throw new SpecrunError('DATA_JOIN_COLUMN_CONFLICT', { name, file: opts.file });
  }
  // 1. The joined side: each key once.
  const index = new Map<string, number>();
  const dupCount = new Map<string, number>();
  const rightKeys: (string | null)[] = [];
  for (let i = 0; i < right.nrows; i++) {
    const k = keyOf(rk, i);
    rightKeys.push(k);
    if (k === null) continue;
    if (index.has(k)) dupCount.set(k, (dupCount.get(k) ?? 1) + 1);
    else index.set(k, i);
  }
  const relation = opts.relation === 'many_to_one' ? 'many_to_one' : 'one_to_one';
  if (dupCount.size > 0) throw duplicateError(dupCount, 'joined', opts.file, relation);
  // 2. The main side: one_to_one also needs each key once there.
  const leftKeys: (string | null)[] = new Array(left.nrows);
  const leftCount = new Map<string, number>();
  for (let i = 0; i < left.nrows; i++) {
    const k = keyOf(lk, i);
    leftKeys[i] = k;
    if (k !== null) leftCount.set(k, (leftCount.get(k) ?? 0) + 1);
  }
  if (opts.relation === 'one_to_one') {
    const dups = new Map([...leftCount].filter(([, n]) => n > 1));
    if (dups.size > 0) throw duplicateError(dups, 'main', 'the main table', relation);
  }
  // 3. Match.
  const match = new Int32Array(left.nrows);
  let matched = 0;
  const unmatchedKeys = new Set<string>();
  for (let i = 0; i < left.nrows; i++) {
    const k = leftKeys[i]!;
    const r = k === null ? undefined : index.get(k);
    match[i] = r ?? -1;
    if (r !== undefined) matched++;
    else unmatchedKeys.add(k === null ? MISSING : shownKey(k));
  }
  let rightUnmatchedRows = 0;
  const rightUnmatched = new Set<string>();
  for (let i = 0; i < right.nrows; i++) {
    const k = rightKeys[i]!;
    if (k !== null && leftCount.has(k)) continue;
    rightUnmatchedRows++;
    rightUnmatched.add(k === null ? MISSING : shownKey(k));
  }
  // 4. The joined frame: main rows (all, or the matched ones), then the joined table's other columns.
  const keepRows: number[] = [];
  for (let i = 0; i < left.nrows; i++) if (opts.how === 'left' || match[i]! >= 0) keepRows.push(i);
  const rows = Int32Array.from(keepRows);
  let frame = rows.length === left.nrows ? left : left.take(rows);
  for (const name of right.names) {
    if (opts.on.includes(name)) continue;
    frame = frame.with(name, takeOrMissing(right.get(name)!, rows, match));
  }
  const unmatchedRows = left.nrows - matched;
  return {
    frame,
    counts: {
      left_rows: left.nrows,
      right_rows: right.nrows,
      matched_rows: matched,
      unmatched_rows: unmatchedRows,
      unmatched_keys: unmatchedKeys.size,
      unmatched_first: [...unmatchedKeys].slice(0, show),
      right_unmatched_rows: rightUnmatchedRows,
      right_unmatched_keys: rightUnmatched.size,
      right_unmatched_first: [...rightUnmatched].slice(0, show),
      dropped_rows: left.nrows - rows.length,
      rows: rows.length,
    },
  };
}

function duplicateError(dups: Map<string, number>, side: string, file: string, relation: string): SpecrunError {
  const [key, count] = [...dups][0]!;
  const others = [...dups.keys()].slice(1, 4).map(shownKey);
  const more =
    dups.size > 1
      ? ` (and ${dups.size - 1} more duplicated key(s): ${others.join(', ')}${dups.size > 4 ? ', …' : ''})`
      : '';
  return new SpecrunError('DATA_JOIN_DUPLICATE_KEY', { relation, key: shownKey(key), count, side, file, more });
}

/** The joined column for the kept main rows: the matched row's cell, or missing. */
function takeOrMissing(col: Column, rows: Int32Array, match: Int32Array): Column {
  if (!isText(col)) {
    const v = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = match[rows[i]!]!;
      v[i] = r < 0 ? NaN : col[r]!;
    }
    return v;
  }
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = match[rows[i]!]!;
    codes[i] = r < 0 ? -1 : col.codes[r]!;
  }
  return { kind: 'text', codes, levels: col.levels };
}
