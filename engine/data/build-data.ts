/**
 * Stage 4 — data: load the source (built-in dataset, CSV, XLSX), apply the declared renames, unit scales, unit
 * aliases and fixes, index the panel, and compute the derived variables in dependency order. Everything that was
 * changed, set missing or dropped is recorded as a note; problems become diagnostics at the YAML that declared them.
 */
import { sha256 } from '../core/hashing.js';
import { statSync } from 'node:fs';
import { readFileLimited } from '../core/read-limited.js';
import { resolve } from 'node:path';
import { diagnostic, note, warningsAt, SpecrunError, type Diagnostic, type Note, type SourcePosition } from '../diagnostics/diagnostic.js';
import { parseExpr } from '../expr/parse.js';
import { evaluate } from '../expr/evaluate.js';
import { referencedNames } from '../expr/ast.js';
import type { YamlPath } from '../load/load-spec.js';
import type { Plan, VariablePlan } from '../normalize/plan.js';
import type { ExpressionVariable } from '../spec/types.js';
import { inputPath } from '../core/positions.js';
import type { AnyTransform } from '../transforms/types.js';
import { canonicalJson } from '../core/canonical-json.js';
import { suggest } from '../core/suggest.js';
import { builtinDatasets, resolveSource } from './builtin.js';
import { Frame, isText, textColumn, type Column } from '../core/frame.js';
import { buildPanel, duplicateUnitTimes, type Panel } from '../core/panel.js';
import { checkUnitBreaks } from './unit-breaks.js';
import { readTable } from './read/index.js';
import { renameCollisions, renamedName } from './rename.js';
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
}

export type Locate = (path: YamlPath) => SourcePosition;

interface RawSource {
  frame: Frame;
  nonNumeric: Map<string, NonNumericCell>;
  info: SourceInfo;
  unit?: string;
  time?: string;
}

/**
 * What one run shares between its specs: each data source read once per (file, options), and each data stage built
 * once per (data spec, variables). Owned by the run's context, so a run never sees what an earlier run left.
 */
export class DataCache {
  readonly sources = new Map<string, RawSource>();
  readonly stages = new Map<string, Promise<DataStage>>();
}

/** What the data stage needs besides the plan: the transforms registry and the run's data cache. */
export interface DataContext {
  readonly transforms: { find(kind: string): AnyTransform | undefined; kindOf(variable: object): string | null };
  readonly dataCache: DataCache;
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

/** Read the data source once per (file, options); later specs of the same run reuse it. */
async function readSource(plan: Plan, locate: Locate, sourceCache: Map<string, RawSource>): Promise<RawSource> {
  const d = plan.data;
  let synthetic = false;
  let description: string | null = null;
  let unit: string | undefined;
  let time: string | undefined;
  const resolved = resolveSource(d.source, d.baseDir);
  if (!resolved) {
    throw new PositionedError(diagnostic('DATA_UNKNOWN_BUILTIN', locate(['data', 'source']), {
      name: d.source.slice('builtin:'.length), known: Object.keys(builtinDatasets).join(', '),
    }));
  }
  const file = resolved.file;
  const b = resolved.builtin;
  if (b) {
    synthetic = b.synthetic;
    description = b.description;
    unit = b.unit;
    time = b.time;
  }
  const key = JSON.stringify([file, fileStamp(file), d.sheet, d.encoding, d.na]);
  const hit = sourceCache.get(key);
  if (hit) return hit;
  let bytes: Uint8Array;
  try {
    bytes = readFileLimited(file, 'data');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new PositionedError(diagnostic('DATA_NOT_FOUND', locate(['data', 'source']), { file: d.source, reason }));
  }
  const checksum = sha256(bytes);
  let table;
  try {
    table = await readTable(file, { file: d.source, bytes, encoding: d.encoding, na: d.na, sheet: d.sheet });
  } catch (e) {
    if (e instanceof SpecrunError) throw new PositionedError(diagnostic(e.code, locate(['data', 'source']), e.args));
    throw e;
  }
  const raw: RawSource = {
    frame: table.frame, nonNumeric: table.nonNumeric,
    info: { source: d.source, checksum, synthetic, description }, unit, time,
  };
  sourceCache.set(key, raw);
  return raw;
}

/** A diagnostic thrown through the stage (the first fatal problem ends it). */
export class PositionedError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * The data stage of a plan. Stages are shared by what determines them (the data spec and every variable definition):
 * specs that extend one base, as a paper's tables do, build their data once per run (`ctx.dataCache`). The stage is
 * immutable, so sharing it is safe. `locateKey` points at a mapping key (for a renamed column that is not in the file).
 */
export function buildData(plan: Plan, locate: Locate, locateKey: Locate, ctx: DataContext): Promise<DataStage> {
  const stageCache = ctx.dataCache.stages;
  const { baseDir, ...data } = plan.data;
  const source = data.source.startsWith('builtin:') ? data.source : resolve(baseDir, data.source);
  const stamp = data.source.startsWith('builtin:') ? '' : fileStamp(source);
  const key = canonicalJson({ data: { ...data, source }, stamp, variables: plan.variables.map((v) => [v.name, v.spec]) });
  let stage = stageCache.get(key);
  if (!stage) {
    stage = buildDataUncached(plan, locate, locateKey, ctx);
    stageCache.set(key, stage);
    // A failed build is not remembered: its diagnostics carry the positions of the spec that asked.
    stage.catch(() => stageCache.delete(key));
  }
  return stage;
}

async function buildDataUncached(plan: Plan, locate: Locate, locateKey: Locate, ctx: DataContext): Promise<DataStage> {
  const notes: Note[] = [];
  const diagnostics: Diagnostic[] = [];
  const d = plan.data;
  const raw = await readSource(plan, locate, ctx.dataCache.sources);
  if (raw.info.synthetic) notes.push(note('DATA_SYNTHETIC', { description: raw.info.description ?? d.source }));
  const nonNumeric = new Map(raw.nonNumeric);
  let cols = new Map<string, Column>(raw.frame.names.map((n) => [n, raw.frame.get(n)!]));
  const n = raw.frame.nrows;
  const missingColumn = (name: string, path: YamlPath, at: Locate = locate): never => {
    throw new PositionedError(diagnostic('DATA_MISSING_COLUMN', at(path), {
      name, file: d.source, suggestion: suggest(name, cols.keys(), 'column'),
    }));
  };
  const numericOrFail = (name: string, path: YamlPath): Float64Array => {
    const c = cols.get(name);
    if (!c) return missingColumn(name, path);
    if (isText(c)) throw nonNumericError(name, path);
    return c;
  };
  const nonNumericError = (name: string, path: YamlPath): PositionedError => {
    const cell = nonNumeric.get(name);
    return new PositionedError(diagnostic('DATA_NON_NUMERIC', locate(path), {
      name, row: cell?.row ?? '?', value: cell ? `'${cell.value}'` : 'text',
    }));
  };

  // 1. renames, all at once; a name that two columns would end up with is an error, never a silent replacement
  for (const from of Object.keys(d.rename ?? {})) if (!cols.has(from)) missingColumn(from, ['data', 'rename', from], locateKey);
  const collision = renameCollisions([...cols.keys()], d.rename)[0];
  if (collision) {
    throw new PositionedError(diagnostic('DATA_RENAME_COLLISION', locateKey(['data', 'rename', collision.from]), { ...collision }));
  }
  if (d.rename) {
    const next = new Map<string, Column>();
    const nextNonNumeric = new Map<string, NonNumericCell>();
    for (const [k, v] of cols) next.set(renamedName(k, d.rename), v);
    for (const [k, v] of nonNumeric) nextNonNumeric.set(renamedName(k, d.rename), v);
    cols = next;
    nonNumeric.clear();
    for (const [k, v] of nextNonNumeric) nonNumeric.set(k, v);
  }
  // 2. unit scales
  for (const [name, factor] of Object.entries(d.scale ?? {})) {
    const x = numericOrFail(name, ['data', 'scale', name]);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = x[i]! * factor;
    cols.set(name, y);
  }
  const unitCol = d.unit ?? raw.unit;
  const timeCol = d.time ?? raw.time;
  // 3. unit aliases (a unit renamed mid-panel)
  if (d.unit_aliases && unitCol) {
    const u = cols.get(unitCol);
    if (!u) missingColumn(unitCol, ['data', 'unit']);
    if (u && isText(u)) {
      const values = Array.from(u.codes, (c) => (c < 0 ? null : u.levels[c]!));
      for (const [from, to] of Object.entries(d.unit_aliases)) {
        let count = 0;
        for (let i = 0; i < n; i++) if (values[i] === from) { values[i] = to; count++; }
        notes.push(note('DATA_UNIT_ALIAS', { from, to, count }));
      }
      cols.set(unitCol, textColumn(values));
    }
  }
  let frame = new Frame(n, cols);
  if (unitCol && !frame.has(unitCol)) missingColumn(unitCol, ['data', 'unit']);
  if (timeCol && !frame.has(timeCol)) missingColumn(timeCol, ['data', 'time']);
  if (timeCol && isText(frame.get(timeCol)!)) {
    throw new PositionedError(diagnostic('DATA_TIME_NOT_NUMERIC', locate(['data', 'time']), { name: timeCol }));
  }
  let panel = buildPanel(frame, unitCol, timeCol);
  const dups = duplicateUnitTimes(panel);
  if (dups.length > 0) {
    const first = dups[0]!;
    throw new PositionedError(diagnostic('DATA_DUPLICATE_UNIT_TIME', locate(['data', 'unit']), {
      unit: first.unit, time: first.time, count: first.count,
    }));
  }
  // 4. declared fixes
  (d.fixes ?? []).forEach((fix, k) => {
    const path: YamlPath = ['data', 'fixes', k];
    const x = numericOrFail(fix.column, [...path, 'column']);
    let mask: Float64Array | null = null;
    if (fix.where) {
      const e = parseExpr(fix.where);
      mask = evaluateAt(e, frame, panel, `fix of ${fix.column}`, [...path, 'where'], notes).values;
    }
    const y = Float64Array.from(x);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (mask && mask[i] !== 1) continue;
      if (Number.isNaN(y[i]!)) continue;
      y[i] = fix.set_missing ? NaN : y[i]! * (fix.multiply ?? 1);
      count++;
    }
    frame = frame.with(fix.column, y);
    const action = fix.set_missing ? 'set missing' : `multiplied by ${fix.multiply ?? 1}`;
    notes.push(note('DATA_FIX_APPLIED', { column: fix.column, action, count, reason: fix.reason ? ` (${fix.reason})` : '' }));
  });

  /** Notes of warning severity also become diagnostics at the YAML that caused them. */
  function warnAt(ns: readonly Note[], at: SourcePosition): void {
    diagnostics.push(...warningsAt(ns, at));
  }

  // 5. an undeclared unit change in a raw series (a cross-unit median jumping ×50 in one period) is a warning
  if (timeCol) {
    const numericRaw = frame.names.filter((c) => c !== timeCol && c !== unitCol && !isText(frame.get(c)!));
    const breaks = checkUnitBreaks(frame, unitCol ?? null, timeCol, numericRaw);
    notes.push(...breaks);
    warnAt(breaks, locate(['data', 'source']));
  }

  // 6. derived variables, in dependency order
  for (const v of plan.variables) {
    frame = computeVariable(v, frame, panel, locate, notes, nonNumeric);
  }
  // The panel index stands unless a derived variable replaced the unit or time column.
  if (plan.variables.some((v) => v.name === unitCol || v.name === timeCol)) panel = buildPanel(frame, unitCol, timeCol);
  return { frame, panel, notes, diagnostics, source: raw.info, nonNumeric };

  function evaluateAt(e: ReturnType<typeof parseExpr>, fr: Frame, pn: Panel, target: string, path: YamlPath, ns: Note[]) {
    for (const name of referencedNames(e)) {
      if (!fr.has(name)) {
        throw new PositionedError(diagnostic('UNKNOWN_VARIABLE', locate(path), { name, suggestion: suggest(name, fr.names, 'column') }));
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
          if (textRef) throw nonNumericError(textRef, path);
        }
        throw new PositionedError(diagnostic(err.code, locate(path), err.args));
      }
      throw err;
    }
  }

  function computeVariable(v: VariablePlan, fr: Frame, pn: Panel, loc: Locate, ns: Note[], nn: Map<string, NonNumericCell>): Frame {
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
        throw new PositionedError(diagnostic('UNKNOWN_VARIABLE', loc([...path, kind, ...inputPath(tspec, input)]), {
          name: input, suggestion: suggest(input, fr.names, 'column'),
        }));
      }
      if (isText(fr.get(input)!) && nn.has(input)) {
        // Group and role columns may be text; value columns may not. Let the transform decide, but keep the cell.
      }
    }
    let out;
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
