/**
 * The data tier's defaults, applied in one place: the `data:` block (and each `data.join` entry) becomes a
 * `NormalizedDataSpec` whose reading options are all filled (`encoding`, `na`, `skip_rows`, `header_rows`,
 * `header_separator`, `period.from`/`period.pattern`, `how`). The data stage, the header reader and the checks read
 * only the normalized spec. Each source keeps what was written (`written`): the fingerprints hash that, and a
 * diagnostic about a key that was not written points at its parent.
 */
import { DATA_DEFAULTS, SOURCE_DEFAULTS } from '../spec/defaults.js';
import type { DataSpec, JoinSpec, PeriodSpec, TableSourceSpec } from '../spec/types.js';

/** `period`, normalized: where the period is read from and the pattern, filled. */
export type NormalizedPeriod = Omit<PeriodSpec, 'from' | 'pattern'> & {
  readonly from: NonNullable<PeriodSpec['from']>;
  readonly pattern: string;
};

type FilledSourceKey = 'encoding' | 'na' | 'skip_rows' | 'header_rows' | 'header_separator' | 'period';

/** How one table is read, normalized: every reading option filled; `written` is the source as written. */
export type NormalizedTableSource = Omit<TableSourceSpec, FilledSourceKey> & {
  readonly encoding: NonNullable<TableSourceSpec['encoding']>;
  readonly na: readonly string[];
  readonly skip_rows: number;
  readonly header_rows: number;
  readonly header_separator: string;
  /** Absent: no period column is added. */
  readonly period?: NormalizedPeriod;
  readonly written: TableSourceSpec;
};

/** A `data.join` entry, normalized (`how` filled), with the folder its paths resolve from. */
export type NormalizedJoin = Omit<JoinSpec, FilledSourceKey | 'how'> &
  NormalizedTableSource & {
    readonly how: NonNullable<JoinSpec['how']>;
    readonly written: JoinSpec;
  };

/** The `data:` block, normalized, with the folders its paths resolve from. */
export type NormalizedDataSpec = Omit<DataSpec, FilledSourceKey | 'join'> &
  NormalizedTableSource & {
    readonly join: readonly NormalizedJoin[];
    /** The folder the main source resolves from (a base file's paths resolve from the base's folder). */
    readonly baseDir: string;
    /** The folder each join's source resolves from. */
    readonly joinBaseDirs: readonly string[];
    readonly written: DataSpec;
  };

/** The reading options of one table, filled. */
function normalizedSource<T extends TableSourceSpec>(t: T): Omit<T, FilledSourceKey> & NormalizedTableSource {
  const { period, ...rest } = t;
  return {
    ...rest,
    encoding: t.encoding ?? DATA_DEFAULTS.encoding,
    na: t.na ?? DATA_DEFAULTS.na,
    skip_rows: t.skip_rows ?? SOURCE_DEFAULTS.skip_rows,
    header_rows: t.header_rows ?? SOURCE_DEFAULTS.header_rows,
    header_separator: t.header_separator ?? SOURCE_DEFAULTS.header_separator,
    ...(period
      ? {
          period: {
            ...period,
            from: period.from ?? SOURCE_DEFAULTS.period_from,
            pattern: period.pattern ?? SOURCE_DEFAULTS.period_pattern,
          },
        }
      : {}),
    written: t,
  } as Omit<T, FilledSourceKey> & NormalizedTableSource;
}

/** The normalized `data:` block; `baseDir` and `joinBaseDirs` are where its paths resolve from. */
export function normalizedDataSpec(
  data: DataSpec,
  baseDir: string,
  joinBaseDirs: readonly string[] = [],
): NormalizedDataSpec {
  const joins = (data.join ?? []).map(
    (j): NormalizedJoin => ({ ...normalizedSource(j), how: j.how ?? SOURCE_DEFAULTS.how, written: j }),
  );
  return {
    ...normalizedSource(data),
    join: joins,
    baseDir,
    joinBaseDirs: joins.map((_, k) => joinBaseDirs[k] ?? baseDir),
    written: data,
  };
}
