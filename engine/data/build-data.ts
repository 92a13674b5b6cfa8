/**
 * Stage 4 — data: load the source (built-in dataset, CSV, XLSX), apply the declared renames, unit scales, unit
 * aliases and fixes, index the panel, and compute the derived variables in dependency order. Everything that was
 * changed, set missing or dropped is recorded as a note; problems become diagnostics at the YAML that declared them.
 */
import { sha256 } from '../core/hashing.js';
import { statSync } from 'node:fs';
import { readFileLimited } from '../core/read-limited.js';
import { relative, resolve } from 'node:path';
import {
  diagnostic,
  note,
  warningsAt,
  SpecrunError,
  type Diagnostic,
  type Note,
  type SourcePosition,
} from '../diagnostics/diagnostic.js';
import { loadSpec, type LoadedSpec } from '../load/load-spec.js';
import type { DataFix, DataSpec, ExpressionVariable, JoinSpec, TableSourceSpec } from '../spec/types.js';
import type { NormalizedJoin, NormalizedTableSource } from '../normalize/data-defaults.js';
import type {
  AliasAccount,
  DataAccounting,
  FilterAccount,
  FixAccount,
  JoinAccount,
  SourceAccount,
} from './accounting.js';
import { applyAction, describeAction, fixShape, type FixAction } from './clean.js';
import { joinFrames } from './join.js';
import { PositionedError, type Locate } from './positioned-error.js';
import { isYearbookSource, readSource as readDeclaredSource, sourceFiles, sourceLabel } from './read-source.js';
import { parseExpr } from '../expr/parse.js';
import { evaluate } from '../expr/evaluate.js';
import { referencedNames } from '../expr/ast.js';
import type { YamlPath } from '../load/load-spec.js';
import type { Plan, VariablePlan } from '../normalize/plan.js';
import type { AnyTransform } from '../transforms/types.js';
import { inputPath } from '../core/positions.js';
import { canonicalJson } from '../core/canonical-json.js';
import { suggest } from '../core/suggest.js';
import { resolveBuiltin, builtinDatasets } from './builtin.js';
import { Frame, isText, textColumn, type Column } from '../core/frame.js';
import { buildPanel, duplicateUnitTimes, type Panel } from '../core/panel.js';
import { checkUnitBreaks } from './unit-breaks.js';
import { renameCollisions, renamedName } from './rename.js';
import { formatOf, readCsvStreamed, readParquetStreamed, readTable } from './read/index.js';
import { usedNames } from './used-columns.js';
import type { NonNumericCell } from './read/types.js';

export interface SourceInfo {
  /** The source as written (`builtin:city-panel` or a path). */
  readonly source: string;
  /** SHA-256 of the file's bytes. */
  readonly checksum: string;
  readonly synthetic: boolean;
  readonly description: string | null;
}

export interface DataStage {
  readonly frame: Frame;
  readonly panel: Panel;
  readonly notes: Note[];
  readonly diagnostics: Diagnostic[];
  readonly source: SourceInfo;
  readonly nonNumeric: ReadonlyMap<string, NonNumericCell>;
  /** Every row read, dropped, joined and filtered, and every cell a fix changed (results.json `data`). */
  readonly accounting: DataAccounting;
  readonly unitCol: string | undefined;
  readonly timeCol: string | undefined;
}

export { PositionedError, type Locate };

interface RawSource {
  frame: Frame;
  nonNumeric: Map<string, NonNumericCell>;
  info: SourceInfo;
  unit?: string;
  time?: string;
}

/**
 * What one run shares between its specs: each data source read once per (file, options), each base stage (read,
 * joined, filtered, corrected) once per data spec, each data stage once per (data spec, variables), and each built-in
 * dataset's own data spec. Owned by the run's context, so a run never sees what an earlier run left.
 */
export class DataCache {
  readonly sources = new Map<string, RawSource>();
  readonly stages = new Map<string, Promise<DataStage>>();
  readonly bases = new Map<string, Promise<DataStage>>();
  readonly builtinSpecs = new Map<string, LoadedSpec | null>();
}

/** What the data stage needs besides the plan: the transforms registry and the run's data cache. */
export interface DataContext {
  readonly transforms: { find(kind: string): AnyTransform | undefined; kindOf(variable: object): string | null };
  readonly dataCache: DataCache;
  /** Read every column of a columnar (Parquet) source, not only those the plan names (`specrun data`). */
  readonly readAllColumns?: boolean;
  /** Threads that may read a large CSV file (engine/data/read/csv.ts `readCsvFileParallel`: the same frame). */
  readonly readThreads?: number;
}

/**
 * The columns to read of a plain main Parquet source: those the plan names (engine/data/used-columns.ts), or null for
 * every column (other formats are read whole anyway; `specrun data` writes every column).
 */
function columnSelection(plan: Plan, ctx: Pick<DataContext, 'readAllColumns'>): Set<string> | null {
  const src = plan.data.source;
  if (ctx.readAllColumns || typeof src !== 'string' || src.startsWith('builtin:') || isYearbookSource(plan.data))
    return null;
  const format = formatOfSafe(src);
  return format === 'parquet' || format === 'arrow' ? usedNames(plan) : null;
}

/** A .csv / .txt / .tsv file, not gzipped (read in windows), or a .parquet file (read by row groups); else null. */
function plainKind(path: string): 'csv' | 'parquet' | null {
  try {
    const f = formatOf(path);
    return f.gzip ? null : f.format === 'csv' ? 'csv' : f.format === 'parquet' ? 'parquet' : null;
  } catch {
    return null;
  }
}

function formatOfSafe(path: string): string | null {
  try {
    return formatOf(path).format;
  } catch {
    return null;
  }
}

/** A file's identity on disk (size and mtime), so that a file rewritten during a long-lived process is read again. */
function fileStamp(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return ''; // a missing file is reported when it is read
  }
}

/** Read a plain main table (the built-in dataset, or one file read as it is) once per (file, options). */
async function readPlainSource(
  plan: Plan,
  locate: Locate,
  sourceCache: Map<string, RawSource>,
  columns: Set<string> | null,
  readThreads = 1,
): Promise<RawSource> {
  const d = plan.data;
  const src = d.source as string;
  let file: string;
  let synthetic = false;
  let description: string | null = null;
  let unit: string | undefined;
  let time: string | undefined;
  if (src.startsWith('builtin:')) {
    const name = src.slice('builtin:'.length);
    const b = resolveBuiltin(name);
    if (!b) {
      throw new PositionedError(
        diagnostic('DATA_UNKNOWN_BUILTIN', locate(['data', 'source']), {
          name,
          known: Object.keys(builtinDatasets).join(', '),
        }),
      );
    }
    file = b.file;
    synthetic = b.synthetic;
    description = b.description;
    unit = b.unit;
    time = b.time;
  } else file = resolve(d.baseDir, src);
  const key = JSON.stringify([file, fileStamp(file), d.sheet, d.encoding, d.na, columns ? [...columns].sort() : null]);
  const hit = sourceCache.get(key);
  if (hit) return hit;
  let table: Awaited<ReturnType<typeof readTable>>;
  let checksum: string;
  try {
    // A plain CSV is read in windows, hashed from the same reads (engine/data/read/csv.ts `readCsvFile`).
    // A Parquet file, row group by row group (a 10⁸-row file is several GB).
    const kind = plainKind(file);
    const streamed =
      kind === 'csv'
        ? await readCsvStreamed(file, { file: src, encoding: d.encoding, na: d.na, threads: readThreads })
        : kind === 'parquet'
          ? await readParquetStreamed(file, { file: src, na: d.na, columns })
          : null;
    if (streamed) {
      table = streamed.table;
      checksum = streamed.checksum;
    } else {
      let bytes: Uint8Array;
      try {
        bytes = readFileLimited(file, 'data');
      } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
        throw new PositionedError(diagnostic('DATA_NOT_FOUND', locate(['data', 'source']), { file: src, reason }));
      }
      checksum = sha256(bytes);
      table = await readTable(file, { file: src, bytes, encoding: d.encoding, na: d.na, sheet: d.sheet, columns });
    }
  } catch (e) {
    if (e instanceof SpecrunError) {
      const at = e.code === 'DATA_UNKNOWN_SHEET' ? ['data', 'sheet'] : ['data', 'source'];
      throw new PositionedError(diagnostic(e.code, locate(at), e.args));
    }
    throw e;
  }
  const raw: RawSource = {
    frame: table.frame,
    nonNumeric: table.nonNumeric,
    info: { source: src, checksum, synthetic, description },
    unit,
    time,
  };
  sourceCache.set(key, raw);
  return raw;
}

/** The built-in dataset's own data spec (its corrections), loaded once per process. */
function builtinDataSpec(
  source: string | readonly string[],
  builtinSpecCache: Map<string, LoadedSpec | null>,
): LoadedSpec | null {
  if (typeof source !== 'string' || !source.startsWith('builtin:')) return null;
  const b = resolveBuiltin(source.slice('builtin:'.length));
  if (!b?.spec) return null;
  const key = `${b.spec}:${fileStamp(b.spec)}`;
  if (!builtinSpecCache.has(key)) {
    const r = loadSpec(b.spec, process.cwd());
    builtinSpecCache.set(key, r.spec);
  }
  return builtinSpecCache.get(key) ?? null;
}

/** Every file a plan's data read from: the main table, the joined tables, and a built-in dataset's data spec. */
export function dataFiles(plan: Plan): string[] {
  const d = plan.data;
  const out: string[] = [];
  const noLocate: Locate = () => ({ file: '', path: '', line: 0, col: 0 });
  const add = (t: Pick<TableSourceSpec, 'source'>, baseDir: string) => {
    if (typeof t.source === 'string' && t.source.startsWith('builtin:')) {
      const b = resolveBuiltin(t.source.slice('builtin:'.length));
      if (b) out.push(b.file, ...(b.spec ? [b.spec] : []));
      return;
    }
    try {
      out.push(...sourceFiles(t, baseDir, noLocate, []).map((f) => f.abs));
    } catch {
      /* reported when read */
    }
  };
  add(d, d.baseDir);
  d.join.forEach((j, k) => add(j, d.joinBaseDirs[k]!));
  return out;
}

/**
 * Data stages by what determines them (the data spec, every file it reads, and every variable definition): specs
 * that extend one base, as a paper's tables do, build their data once per run. The stage is immutable, so sharing
 * it is safe.
 */
/** What determines the data before derived variables: the data spec and every file it reads. */
export function baseKey(plan: Plan, ctx: Pick<DataContext, 'readAllColumns'>): string {
  const { baseDir, joinBaseDirs, ...data } = plan.data;
  // The columns read of a Parquet source depend on the whole plan: specs that name other columns read their own.
  const columns = columnSelection(plan, ctx);
  return canonicalJson({
    data,
    baseDir,
    joinBaseDirs,
    files: dataFiles(plan).map((f) => [f, fileStamp(f)]),
    ...(columns ? { columns: [...columns].sort() } : {}),
  });
}

/** `locateKey` points at a mapping key (for a renamed column that is not in the file); defaults to `locate`. */
export function buildData(plan: Plan, locate: Locate, locateKey: Locate, ctx: DataContext): Promise<DataStage> {
  const stageCache = ctx.dataCache.stages;
  const key = canonicalJson({ base: baseKey(plan, ctx), variables: plan.variables.map((v) => [v.name, v.spec]) });
  let stage = stageCache.get(key);
  if (!stage) {
    stage = buildBase(plan, locate, locateKey, ctx).then((base) => withVariables(base, plan, locate, ctx));
    stageCache.set(key, stage);
    // A failed build is not remembered: its diagnostics carry the positions of the spec that asked.
    stage.catch(() => stageCache.delete(key));
  }
  return stage;
}

/**
 * The data before derived variables (read, joined, filtered, corrected): what `validate` checks and what the
 * specs of one base share. Memoized like the whole stage.
 */
export function buildBase(plan: Plan, locate: Locate, locateKey: Locate, ctx: DataContext): Promise<DataStage> {
  const baseCache = ctx.dataCache.bases;
  const key = baseKey(plan, ctx);
  let stage = baseCache.get(key);
  if (!stage) {
    stage = buildBaseUncached(plan, locate, locateKey, ctx);
    baseCache.set(key, stage);
    stage.catch(() => baseCache.delete(key));
  }
  return stage;
}

/** A layer of corrections: the built-in dataset's own data spec, then the user's spec. */
interface CorrectionLayer {
  readonly data: DataSpec | Pick<DataSpec, 'unit_aliases' | 'fixes'>;
  readonly locate: Locate;
  readonly locateKey: Locate;
}

const at = (p: SourcePosition) => `${p.file}:${p.line}`;

async function buildBaseUncached(plan: Plan, locate: Locate, locateKey: Locate, ctx: DataContext): Promise<DataStage> {
  const notes: Note[] = [];
  const diagnostics: Diagnostic[] = [];
  const d = plan.data;
  const timeName = d.time ?? 'period';

  /** Notes of warning severity also become diagnostics at the YAML that caused them. */
  function warnAt(ns: readonly Note[], pos: SourcePosition): void {
    diagnostics.push(...warningsAt(ns, pos));
  }

  // 1. The main table: the built-in dataset or one plain file (memoized), or a declared yearbook-like source.
  const sources: SourceAccount[] = [];
  const checksums: string[] = [];
  let mainFrame: Frame;
  let nonNumeric: Map<string, NonNumericCell>;
  let info: SourceInfo;
  let builtinUnit: string | undefined;
  let builtinTime: string | undefined;
  const src = d.source;
  if (typeof src === 'string' && (src.startsWith('builtin:') || !isYearbookSource(d))) {
    const raw = await readPlainSource(plan, locate, ctx.dataCache.sources, columnSelection(plan, ctx), ctx.readThreads);
    mainFrame = raw.frame;
    nonNumeric = new Map(raw.nonNumeric);
    info = raw.info;
    builtinUnit = raw.unit;
    builtinTime = raw.time;
    checksums.push(raw.info.checksum);
    sources.push({
      role: 'main',
      source: src,
      files: [{ file: src, period: null, rows: raw.frame.nrows, dropped: 0 }],
      rows_read: raw.frame.nrows,
      dropped_by_rule: {},
      rows: raw.frame.nrows,
    });
  } else {
    const r = await readDeclaredSource(d, 'main', d.baseDir, locate, ['data'], timeName);
    mainFrame = r.frame;
    nonNumeric = r.nonNumeric;
    checksums.push(...r.checksums);
    notes.push(...r.notes);
    warnRules(d, r.account, ['data']);
    sources.push(r.account);
    info = { source: sourceLabel(src), checksum: '', synthetic: false, description: null };
  }
  if (info.synthetic) notes.push(note('DATA_SYNTHETIC', { description: info.description ?? sourceLabel(d.source) }));
  const unitCol = d.unit ?? builtinUnit;
  const timeCol = d.time ?? builtinTime;

  // The built-in dataset's corrections live in its own data spec (data/NAME.data.yaml), never in a paper's spec.
  const layers: CorrectionLayer[] = [];
  const own = builtinDataSpec(d.source, ctx.dataCache.builtinSpecs);
  if (own) {
    const od = (own.value['data'] ?? {}) as DataSpec;
    layers.push({ data: od, locate: own.locate, locateKey: own.locateKey });
    checksums.push(sha256(readFileLimited(own.absPath, 'data')));
  }
  layers.push({ data: d, locate, locateKey });

  // 2. rename and scale of the main table
  let main = renameAndScale(mainFrame, d, ['data'], nonNumeric, sourceLabel(d.source));

  // 3. the joined tables, read and renamed (aliases and joins follow, so that aliases apply before the join)
  const joined: { spec: NormalizedJoin; k: number; frame: Frame; label: string }[] = [];
  for (const [k, j] of d.join.entries()) {
    const base: YamlPath = ['data', 'join', k];
    const r = await readDeclaredSource(j, `join ${k + 1}`, d.joinBaseDirs[k]!, locate, base, timeName);
    checksums.push(...r.checksums);
    notes.push(...r.notes);
    warnRules(j, r.account, base);
    sources.push(r.account);
    const frame = renameAndScale(r.frame, j, base, r.nonNumeric, sourceLabel(j.source));
    for (const [name, cell] of r.nonNumeric) if (!nonNumeric.has(name)) nonNumeric.set(name, cell);
    joined.push({ spec: j, k, frame, label: sourceLabel(j.source) });
  }

  // 4. unit aliases, on the main table and on every joined table keyed by the unit column
  const aliases: AliasAccount[] = [];
  if (unitCol) {
    for (const layer of layers) {
      const al = layer.data.unit_aliases;
      if (!al) continue;
      const tables: { get: () => Frame; set: (f: Frame) => void }[] = [
        {
          get: () => main,
          set: (f: Frame) => {
            main = f;
          },
        },
        ...joined
          .filter((j) => keysOf(j.spec).includes(unitCol))
          .map((j) => ({
            get: () => j.frame,
            set: (f: Frame) => {
              j.frame = f;
            },
          })),
      ];
      if (!main.has(unitCol)) missingColumn(main, unitCol, ['data', 'unit'], locate, sourceLabel(d.source));
      for (const [from, to] of Object.entries(al)) {
        let count = 0;
        for (const t of tables) {
          const f: Frame = t.get();
          const u = f.get(unitCol);
          if (!u) continue;
          const r = renameLevel(u, from, to);
          count += r.count;
          if (r.count > 0) t.set(f.with(unitCol, r.col));
        }
        const pos = layer.locateKey(['data', 'unit_aliases', from]);
        aliases.push({ from, to, rows: count, at: at(pos) });
        const n = note(count > 0 ? 'DATA_UNIT_ALIAS' : 'DATA_ALIAS_UNUSED', { from, to, count });
        notes.push(n);
        warnAt([n], pos);
      }
    }
  }

  // 5. the joins, in order
  const joins: JoinAccount[] = [];
  for (const j of joined) {
    const base: YamlPath = ['data', 'join', j.k];
    const on = keysOf(j.spec);
    on.forEach((key, m) => {
      const path: YamlPath = Array.isArray(j.spec.on) ? [...base, 'on', m] : [...base, 'on'];
      if (!main.has(key)) {
        throw new PositionedError(
          diagnostic('DATA_JOIN_KEY_MISSING', locate(path), {
            name: key,
            side: 'main',
            file: sourceLabel(d.source),
            suggestion: suggest(key, main.names, 'column'),
          }),
        );
      }
      if (!j.frame.has(key)) {
        throw new PositionedError(
          diagnostic('DATA_JOIN_KEY_MISSING', locate(path), {
            name: key,
            side: 'joined',
            file: j.label,
            suggestion: suggest(key, j.frame.names, 'column'),
          }),
        );
      }
    });
    let r: ReturnType<typeof joinFrames>;
    try {
      r = joinFrames(main, j.frame, { on, relation: j.spec.relation, how: j.spec.how, file: j.label });
    } catch (e) {
      if (e instanceof SpecrunError) {
        const path: YamlPath = e.code === 'DATA_JOIN_DUPLICATE_KEY' ? [...base, 'relation'] : [...base, 'source'];
        throw new PositionedError(diagnostic(e.code, locate(path), e.args));
      }
      throw e;
    }
    main = r.frame;
    const c = r.counts;
    joins.push({
      source: j.label,
      on,
      relation: j.spec.relation,
      how: j.spec.how,
      left_rows: c.left_rows,
      right_rows: c.right_rows,
      matched_rows: c.matched_rows,
      unmatched_rows: c.unmatched_rows,
      unmatched_keys: c.unmatched_keys,
      unmatched_first: c.unmatched_first,
      right_unmatched_keys: c.right_unmatched_keys,
      right_unmatched_first: c.right_unmatched_first,
      dropped_rows: c.dropped_rows,
      rows: c.rows,
    });
    if (c.right_unmatched_keys > 0) {
      const n = note('DATA_JOIN_UNMATCHED', {
        count: c.right_unmatched_keys,
        file: j.label,
        first: c.right_unmatched_first.join(', '),
      });
      notes.push(n);
      warnAt([n], locate([...base, 'on']));
    }
  }

  // 6. the rows that enter the panel
  let filter: FilterAccount | null = null;
  if (d.where !== undefined) {
    const rowsIn = main.nrows;
    const e = parseAt(d.where, ['data', 'where']);
    const mask = evaluateAt(e, main, buildPanel(main, unitCol, timeCol), 'data.where', ['data', 'where'], notes).values;
    const keep = new Uint8Array(rowsIn);
    let kept = 0;
    for (let i = 0; i < rowsIn; i++)
      if (mask[i] === 1) {
        keep[i] = 1;
        kept++;
      }
    if (kept === 0)
      throw new PositionedError(diagnostic('DATA_FILTER_EMPTY', locate(['data', 'where']), { rows: rowsIn }));
    if (kept === rowsIn) warnAt([note('DATA_FILTER_UNUSED', { rows: rowsIn })], locate(['data', 'where']));
    else main = main.filter(keep);
    filter = { where: d.where, rows_in: rowsIn, rows_kept: kept, rows_dropped: rowsIn - kept };
  }

  let frame = main;
  const n = frame.nrows;
  const cols = new Map<string, Column>(frame.names.map((nm) => [nm, frame.get(nm)!]));
  const missingColumnHere = (name: string, path: YamlPath, loc: Locate = locate): never =>
    missingColumn(frame, name, path, loc, sourceLabel(d.source));
  void cols;
  if (unitCol && !frame.has(unitCol)) missingColumnHere(unitCol, ['data', 'unit']);
  if (timeCol && !frame.has(timeCol)) missingColumnHere(timeCol, ['data', 'time']);
  if (timeCol && isText(frame.get(timeCol)!)) {
    throw new PositionedError(diagnostic('DATA_TIME_NOT_NUMERIC', locate(['data', 'time']), { name: timeCol }));
  }
  const panel = buildPanel(frame, unitCol, timeCol);
  const dups = duplicateUnitTimes(panel);
  if (dups.length > 0) {
    const first = dups[0]!;
    throw new PositionedError(
      diagnostic('DATA_DUPLICATE_UNIT_TIME', locate(['data', 'unit']), {
        unit: first.unit,
        time: first.time,
        count: first.count,
      }),
    );
  }

  // 7. declared fixes: the dataset's own, then the spec's
  const fixes: FixAccount[] = [];
  for (const layer of layers) {
    (layer.data.fixes ?? []).forEach((fix: DataFix, k: number) => {
      const path: YamlPath = ['data', 'fixes', k];
      const shape = fixShape(fix);
      if (shape.problem) {
        throw new PositionedError(
          diagnostic('DATA_FIX_ACTION', layer.locate(shape.path ? [...path, shape.path] : path), {
            detail: shape.problem,
          }),
        );
      }
      /** The fix's expression at `key` (where, set) evaluated on the frame, its errors at that key. */
      const evaluateKey = (text: string, key: 'where' | 'set'): Float64Array => {
        const at: YamlPath = [...path, key];
        return evaluateAt(
          parseAt(text, at, layer.locate),
          frame,
          panel,
          `fix of ${shape.columns.join(', ')}`,
          at,
          notes,
          layer.locate,
        ).values;
      };
      const mask: Float64Array | null = fix.where ? evaluateKey(fix.where, 'where') : null;
      let action: FixAction;
      if (fix.multiply !== undefined) action = { kind: 'multiply', factor: fix.multiply };
      else if (fix.set_missing) action = { kind: 'set_missing' };
      else if (fix.set !== undefined) {
        if (typeof fix.set === 'number') action = { kind: 'set', value: fix.set };
        else action = { kind: 'set', value: evaluateKey(fix.set, 'set') };
      } else if (typeof fix.fill === 'number') action = { kind: 'fill', value: fix.fill };
      else {
        if (!panel.unit || !panel.time)
          throw new PositionedError(
            diagnostic('EXPR_NEEDS_PANEL', layer.locate([...path, 'fill']), { name: `fill: ${fix.fill}` }),
          );
        action = { kind: 'fill', method: fix.fill as 'interpolate' | 'carry_forward' | 'carry_backward' };
      }
      const cells: Record<string, number> = Object.create(null);
      shape.columns.forEach((column, m) => {
        const cpath: YamlPath = fix.columns ? [...path, 'columns', m] : [...path, 'column'];
        const x = frame.get(column);
        if (!x) missingColumn(frame, column, cpath, layer.locate, sourceLabel(d.source));
        if (isText(x!)) throw nonNumericError(column, cpath, layer.locate);
        const r = applyAction(x as Float64Array, mask, action, panel);
        frame = frame.with(column, r.values);
        cells[column] = r.changed;
      });
      const total = Object.values(cells).reduce((t, c) => t + c, 0);
      const pos = layer.locate(path);
      const reason = fix.reason ? ` (${fix.reason})` : '';
      const actionText = describeAction(fix);
      fixes.push({
        at: at(pos),
        columns: shape.columns,
        action: actionText,
        where: fix.where ?? null,
        cells: { ...cells },
        reason: fix.reason ?? null,
      });
      const nt =
        total > 0
          ? note('DATA_FIX_APPLIED', { column: shape.columns.join(', '), action: actionText, count: total, reason })
          : note('DATA_FIX_UNUSED', { column: shape.columns.join(', '), reason });
      notes.push(nt);
      warnAt([nt], pos);
    });
  }

  // 8. an undeclared unit change in a raw series (a cross-unit median jumping ×50 in one period) is a warning
  if (timeCol) {
    const numericRaw = frame.names.filter((c) => c !== timeCol && c !== unitCol && !isText(frame.get(c)!));
    const breaks = checkUnitBreaks(frame, unitCol ?? null, timeCol, numericRaw);
    notes.push(...breaks);
    warnAt(breaks, locate(['data', 'source']));
  }
  const checksum = checksums.length === 1 ? checksums[0]! : sha256(checksums.join('\n'));
  const accounting: DataAccounting = { sources, aliases, joins, filter, fixes, rows: n };
  return { frame, panel, notes, diagnostics, source: { ...info, checksum }, nonNumeric, accounting, unitCol, timeCol };

  function warnRules(t: NormalizedTableSource, account: SourceAccount, base: YamlPath): void {
    const rules = t.drop_rows === undefined ? [] : Array.isArray(t.drop_rows) ? t.drop_rows : [t.drop_rows];
    rules.forEach((r, k) => {
      if ((account.dropped_by_rule[r] ?? 0) > 0) return;
      const path: YamlPath = Array.isArray(t.drop_rows) ? [...base, 'drop_rows', k] : [...base, 'drop_rows'];
      warnAt([note('DATA_DROP_RULE_UNUSED', { expr: r, source: account.source })], locate(path));
    });
  }

  function renameAndScale(
    f0: Frame,
    t: NormalizedTableSource,
    base: YamlPath,
    nn: Map<string, NonNumericCell>,
    label: string,
  ): Frame {
    let f = f0;
    // Renames all at once; a name that two columns would end up with is an error, never a silent replacement.
    for (const from of Object.keys(t.rename ?? {}))
      if (!f.has(from)) missingColumn(f, from, [...base, 'rename', from], locateKey, label);
    const collision = renameCollisions(f.names, t.rename)[0];
    if (collision) {
      throw new PositionedError(
        diagnostic('DATA_RENAME_COLLISION', locateKey([...base, 'rename', collision.from]), { ...collision }),
      );
    }
    if (t.rename) {
      f = new Frame(
        f.nrows,
        f.names.map((k) => [renamedName(k, t.rename), f.get(k)!] as [string, Column]),
      );
      const moved = [...nn].map(([k, v]) => [renamedName(k, t.rename), v] as const);
      nn.clear();
      for (const [k, v] of moved) nn.set(k, v);
    }
    for (const [name, factor] of Object.entries(t.scale ?? {})) {
      const x = f.get(name);
      if (!x) missingColumn(f, name, [...base, 'scale', name], locate, label);
      if (isText(x!)) throw nonNumericError(name, [...base, 'scale', name]);
      const y = new Float64Array(f.nrows);
      for (let i = 0; i < f.nrows; i++) y[i] = (x as Float64Array)[i]! * factor;
      f = f.with(name, y);
    }
    return f;
  }

  function nonNumericError(name: string, path: YamlPath, loc: Locate = locate): PositionedError {
    const cell = nonNumeric.get(name);
    return new PositionedError(
      diagnostic('DATA_NON_NUMERIC', loc(path), {
        name,
        row: cell?.row ?? '?',
        value: cell ? `'${cell.value}'` : 'text',
      }),
    );
  }

  function parseAt(text: string, path: YamlPath, loc: Locate = locate) {
    try {
      return parseExpr(text);
    } catch (e) {
      if (e instanceof SpecrunError) throw new PositionedError(diagnostic(e.code, loc(path), e.args));
      throw e;
    }
  }

  function evaluateAt(
    e: ReturnType<typeof parseExpr>,
    fr: Frame,
    pn: Panel,
    target: string,
    path: YamlPath,
    ns: Note[],
    loc: Locate = locate,
  ) {
    return evaluateWithPositions(e, fr, pn, target, path, ns, loc, nonNumeric);
  }
}

/** The key columns of a join. */
function keysOf(j: Pick<JoinSpec, 'on'>): string[] {
  return Array.isArray(j.on) ? j.on : [j.on];
}

function missingColumn(frame: Frame, name: string, path: YamlPath, loc: Locate, file: string): never {
  throw new PositionedError(
    diagnostic('DATA_MISSING_COLUMN', loc(path), {
      name,
      file,
      suggestion: suggest(name, frame.names, 'column'),
    }),
  );
}

/** A unit column with one unit renamed (text or numeric unit codes). */
function renameLevel(col: Column, from: string, to: string): { col: Column; count: number } {
  if (!isText(col)) return { col, count: 0 };
  const values = Array.from(col.codes, (c) => (c < 0 ? null : col.levels[c]!));
  let count = 0;
  for (let i = 0; i < values.length; i++)
    if (values[i] === from) {
      values[i] = to;
      count++;
    }
  return { col: count > 0 ? textColumn(values) : col, count };
}

/** The display name of a file relative to the working directory. */
export function displayPath(abs: string): string {
  return relative(process.cwd(), abs) || abs;
}

function evaluateWithPositions(
  e: ReturnType<typeof parseExpr>,
  fr: Frame,
  pn: Panel,
  target: string,
  path: YamlPath,
  ns: Note[],
  loc: Locate,
  nonNumeric: ReadonlyMap<string, NonNumericCell>,
) {
  for (const name of referencedNames(e)) {
    if (!fr.has(name)) {
      throw new PositionedError(
        diagnostic('UNKNOWN_VARIABLE', loc(path), { name, suggestion: suggest(name, fr.names, 'column') }),
      );
    }
  }
  try {
    const r = evaluate(e, { frame: fr, panel: pn, target });
    ns.push(...r.notes);
    return r;
  } catch (err) {
    if (err instanceof SpecrunError) {
      if (err.code === 'EXPR_TYPE') {
        const textRef = [...referencedNames(e)].find((nm) => nonNumeric.has(nm));
        if (textRef) {
          const cell = nonNumeric.get(textRef);
          throw new PositionedError(
            diagnostic('DATA_NON_NUMERIC', loc(path), {
              name: textRef,
              row: cell?.row ?? '?',
              value: cell ? `'${cell.value}'` : 'text',
            }),
          );
        }
      }
      throw new PositionedError(diagnostic(err.code, loc(path), err.args));
    }
    throw err;
  }
}

/** Stage 4, second half: the derived variables, in dependency order, on a copy of the base stage's records. */
function withVariables(base: DataStage, plan: Plan, locate: Locate, ctx: DataContext): DataStage {
  const notes = [...base.notes];
  const diagnostics = [...base.diagnostics];
  const nonNumeric = new Map(base.nonNumeric);
  let frame = base.frame;
  let panel = base.panel;
  const warnAt = (ns: readonly Note[], pos: SourcePosition) => {
    diagnostics.push(...warningsAt(ns, pos));
  };
  const evaluateAt = (
    e: ReturnType<typeof parseExpr>,
    fr: Frame,
    pn: Panel,
    target: string,
    path: YamlPath,
    ns: Note[],
  ) => evaluateWithPositions(e, fr, pn, target, path, ns, locate, nonNumeric);
  for (const v of plan.variables) frame = computeVariable(v, frame, panel, locate, notes, nonNumeric);
  // The panel index stands unless a derived variable replaced the unit or time column.
  if (plan.variables.some((v) => v.name === base.unitCol || v.name === base.timeCol))
    panel = buildPanel(frame, base.unitCol, base.timeCol);
  return { ...base, frame, panel, notes, diagnostics, nonNumeric };

  function computeVariable(
    v: VariablePlan,
    fr: Frame,
    pn: Panel,
    loc: Locate,
    ns: Note[],
    nn: Map<string, NonNumericCell>,
  ): Frame {
    const path: YamlPath = ['variables', v.name];
    const spec = v.spec;
    if (typeof spec === 'string' || (typeof spec === 'object' && 'expr' in spec)) {
      const src = typeof spec === 'string' ? spec : (spec as ExpressionVariable).expr;
      const where: YamlPath = typeof spec === 'string' ? path : [...path, 'expr'];
      const before = ns.length;
      const r = evaluateAt(parseExpr(src), fr, pn, v.name, where, ns);
      warnAt(ns.slice(before), loc(where));
      nn.delete(v.name);
      return fr.with(v.name, r.values);
    }
    const kind = ctx.transforms.kindOf(spec)!;
    const transform = ctx.transforms.find(kind)!;
    const tspec = (spec as unknown as Record<string, unknown>)[kind];
    for (const input of v.dependsOn) {
      if (!fr.has(input)) {
        throw new PositionedError(
          diagnostic('UNKNOWN_VARIABLE', loc([...path, kind, ...inputPath(tspec, input)]), {
            name: input,
            suggestion: suggest(input, fr.names, 'column'),
          }),
        );
      }
      if (isText(fr.get(input)!) && nn.has(input)) {
        // Group and role columns may be text; value columns may not. Let the transform decide, but keep the cell.
      }
    }
    let out: ReturnType<typeof transform.compute>;
    try {
      out = transform.compute(v.name, spec, { frame: fr, unit: pn.unit, time: pn.time, unitLabels: pn.unitLabels });
    } catch (err) {
      if (err instanceof SpecrunError) throw new PositionedError(diagnostic(err.code, loc(path), err.args));
      throw err;
    }
    ns.push(...out.notes);
    warnAt(out.notes, loc(path));
    let next = fr;
    for (const [name, col] of out.columns) next = next.with(name, col);
    return next;
  }
}
