/**
 * The data accounting of a run: every row read, dropped, joined or filtered and every cell a declared correction
 * changed, in one record. It goes to results.json (`data`), and the CLI prints it once per run (engine/cli) — so a
 * reader can check kept + dropped + unmatched = read at each step.
 */

export interface FileAccount {
  /** The file as read (relative to the spec file), with `#sheet` for a sheet of a workbook. */
  readonly file: string;
  /** The period the file or sheet stands for (from `period`), when there is one. */
  readonly period: number | null;
  /** Data rows read (after the header; entirely empty rows are not rows). */
  readonly rows: number;
  /** Rows dropped by the `drop_rows` rules. */
  readonly dropped: number;
}

export interface SourceAccount {
  /** `main`, or `join N` for the N-th joined table (1-based). */
  readonly role: string;
  /** The source as written. */
  readonly source: string;
  readonly files: readonly FileAccount[];
  /** Rows read over all files. */
  readonly rows_read: number;
  /** Rows dropped by each `drop_rows` rule (by its expression). */
  readonly dropped_by_rule: Readonly<Record<string, number>>;
  /** Rows after `longer` (a wide table gives one row per unit and period column). */
  readonly rows: number;
}

export interface AliasAccount {
  readonly from: string;
  readonly to: string;
  /** Rows renamed, over the main table and the joined tables keyed by the unit. */
  readonly rows: number;
  /** Where the alias is declared (`file:line`). */
  readonly at: string;
}

export interface JoinAccount {
  readonly source: string;
  readonly on: readonly string[];
  readonly relation: 'many_to_one' | 'one_to_one';
  readonly how: 'left' | 'inner';
  /** Rows of the main table before the join. */
  readonly left_rows: number;
  /** Rows of the joined table. */
  readonly right_rows: number;
  /** Main rows whose key is in the joined table. */
  readonly matched_rows: number;
  /** Main rows whose key is not (kept with missing columns under `left`, dropped under `inner`). */
  readonly unmatched_rows: number;
  /** Distinct keys of those rows, and the first few. */
  readonly unmatched_keys: number;
  readonly unmatched_first: readonly string[];
  /** Keys of the joined table that match no main row, and the first few. */
  readonly right_unmatched_keys: number;
  readonly right_unmatched_first: readonly string[];
  /** Rows dropped by the join (`inner`: the unmatched main rows). */
  readonly dropped_rows: number;
  /** Rows after the join. */
  readonly rows: number;
}

export interface FilterAccount {
  readonly where: string;
  readonly rows_in: number;
  readonly rows_kept: number;
  readonly rows_dropped: number;
}

export interface FixAccount {
  /** Where the fix is declared (`file:line`). */
  readonly at: string;
  readonly columns: readonly string[];
  /** `multiplied by 0.0001`, `set to 0`, `set missing`, `filled by interpolate`... */
  readonly action: string;
  readonly where: string | null;
  /** Cells whose value changed, per column. */
  readonly cells: Readonly<Record<string, number>>;
  readonly reason: string | null;
}

export interface DataAccounting {
  readonly sources: readonly SourceAccount[];
  readonly aliases: readonly AliasAccount[];
  readonly joins: readonly JoinAccount[];
  readonly filter: FilterAccount | null;
  readonly fixes: readonly FixAccount[];
  /** Rows of the panel that derived variables and models start from. */
  readonly rows: number;
}

/** Rows a model lost between its sample and its estimation sample, and to which variable. */
export interface ModelAccount {
  /** Rows of the data. */
  readonly rows: number;
  /** Rows in the model's sample (all rows without a sample). */
  readonly sample_rows: number;
  /** Sample rows with a missing value in a variable the model reads, by the first such variable in model order. */
  readonly dropped_missing: Readonly<Record<string, number>>;
  /** Sample rows left with every variable present. */
  readonly complete_rows: number;
}

const fmt = (n: number) => String(n);

/** The lines the CLI prints for a data stage (no trailing newline on each). */
export function accountingLines(a: DataAccounting): string[] {
  const lines: string[] = [];
  for (const s of a.sources) {
    const files = s.files.length > 1 ? `${s.files.length} files, ` : '';
    const rules = Object.entries(s.dropped_by_rule).filter(([, n]) => n > 0);
    const dropped = rules.reduce((t, [, n]) => t + n, 0);
    let line = `  read   ${s.source}: ${files}${fmt(s.rows_read)} row(s)`;
    if (rules.length > 0)
      line += `; ${dropped} dropped by drop_rows (${rules.map(([r, n]) => `${r}: ${n}`).join('; ')})`;
    if (s.rows !== s.rows_read - dropped) line += `; ${s.rows} row(s) after longer`;
    else if (rules.length > 0) line += ` → ${s.rows}`;
    lines.push(line);
  }
  for (const al of a.aliases) lines.push(`  alias  ${al.from} → ${al.to}: ${al.rows} row(s)`);
  for (const j of a.joins) {
    let line = `  join   ${j.source} on ${j.on.join(', ')} (${j.relation}, ${j.how}): ${j.matched_rows} of ${j.left_rows} row(s) matched`;
    if (j.unmatched_rows > 0) {
      line += `; ${j.unmatched_rows} row(s) (${j.unmatched_keys} key(s), first ${j.unmatched_first.join(', ')}) unmatched${j.how === 'inner' ? ' and dropped' : ', kept'}`;
    }
    if (j.right_unmatched_keys > 0)
      line += `; ${j.right_unmatched_keys} of its key(s) match no row (first ${j.right_unmatched_first.join(', ')})`;
    lines.push(line);
  }
  if (a.filter)
    lines.push(
      `  where  ${a.filter.where}: ${a.filter.rows_kept} of ${a.filter.rows_in} row(s) kept, ${a.filter.rows_dropped} dropped`,
    );
  for (const f of a.fixes) {
    const cells = f.columns.map((c) => `${c} ${f.cells[c] ?? 0}`).join(', ');
    lines.push(
      `  fix    ${f.columns.join(', ')} ${f.action}${f.where ? ` where ${f.where}` : ''} (${f.at}): cells changed ${cells}`,
    );
  }
  lines.push(`  panel  ${a.rows} row(s)`);
  return lines;
}

/** The line the CLI prints for a model that lost rows to missing values (null when it lost none). */
export function modelAccountingLine(id: string, m: ModelAccount): string | null {
  const lost = Object.entries(m.dropped_missing);
  if (lost.length === 0) return null;
  const total = m.sample_rows - m.complete_rows;
  return `  model  ${id}: ${m.sample_rows} row(s) in sample, ${total} dropped for missing values (${lost.map(([v, n]) => `${v} ${n}`).join(', ')}) → ${m.complete_rows}`;
}
