/**
 * Reading one declared table (`data`, or an entry of `data.join`): one file, or several (a glob or a list) and
 * several sheets (one per period, as yearbooks come), each flattened, cut to its unit rows and its wanted columns,
 * given its period, reshaped from wide to long, then stacked. Every row read and dropped is counted per file.
 *
 * Order within each file or sheet (each step counted):
 *   1. header: `skip_rows`, then `header_rows` flattened (engine/data/read/xlsx.ts);
 *   2. `columns`: one header per pattern, renamed to the key;
 *   3. `drop_rows`: rules over the columns, each row counted by the first rule that drops it;
 *   4. `period`: from the file name, the sheet name, or a column;
 *   5. `longer`: one column per period → one row per period.
 * Then the pieces are stacked in file order (sheets in workbook order).
 */
import { sha256 } from '../core/hashing.js';
import { readFileLimited } from '../core/read-limited.js';
import { readdirSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { diagnostic, SpecrunError, type Note, note } from '../diagnostics/diagnostic.js';
import { evaluate } from '../expr/evaluate.js';
import { referencedNames } from '../expr/ast.js';
import { parseExpr } from '../expr/parse.js';
import type { YamlPath } from '../load/load-spec.js';
import type { LongerSpec, TableSourceSpec } from '../spec/types.js';
import type { NormalizedTableSource } from '../normalize/data-defaults.js';
import { suggest } from '../core/suggest.js';
import type { FileAccount, SourceAccount } from './accounting.js';
import { concatFrames, Frame, isText, retype, textColumn, cellText, type Column } from '../core/frame.js';
import { expandGlob, isGlob, segmentRegExp } from './glob.js';
import { formatOf, readTable } from './read/index.js';
import { parseNumberText } from './read/parse-number.js';
import type { NonNumericCell, TableRead } from './read/types.js';
import { PositionedError, type Locate } from './positioned-error.js';

export interface ReadSourceResult {
  readonly frame: Frame;
  readonly nonNumeric: Map<string, NonNumericCell>;
  /** SHA-256 of each file's bytes, in reading order. */
  readonly checksums: readonly string[];
  readonly account: SourceAccount;
  readonly notes: Note[];
}

const NO_PANEL = { unit: null, time: null, unitLabels: null } as const;

/** True when the spec asks for more than one plain file read as it is. */
export function isYearbookSource(s: NormalizedTableSource): boolean {
  return (
    Array.isArray(s.source) ||
    isGlob(s.source) ||
    s.sheets !== undefined ||
    s.skip_rows > 0 ||
    s.header_rows > 1 ||
    s.period !== undefined ||
    s.columns !== undefined ||
    s.drop_rows !== undefined ||
    s.longer !== undefined
  );
}

/** The files a source names, resolved from `baseDir` (globs expanded); throws DATA_NO_FILES at the pattern. */
export function sourceFiles(
  s: Pick<TableSourceSpec, 'source'>,
  baseDir: string,
  locate: Locate,
  base: YamlPath,
): { abs: string; path: YamlPath }[] {
  const list = Array.isArray(s.source) ? s.source : [s.source];
  const out: { abs: string; path: YamlPath }[] = [];
  list.forEach((p, k) => {
    const path: YamlPath = Array.isArray(s.source) ? [...base, 'source', k] : [...base, 'source'];
    if (!isGlob(p)) {
      out.push({ abs: resolve(baseDir, p), path });
      return;
    }
    const files = expandGlob(p, baseDir);
    if (files.length === 0) {
      let known = '(none)';
      try {
        const dir = resolve(baseDir, dirname(p.split(/[*?[{]/)[0]! + 'x'));
        known = listDir(dir);
      } catch {
        /* the hint stays generic */
      }
      throw new PositionedError(diagnostic('DATA_NO_FILES', locate(path), { pattern: p, known }));
    }
    for (const f of files) out.push({ abs: f, path });
  });
  return out;
}

function listDir(dir: string): string {
  const names = readdirSync(dir).sort().slice(0, 8);
  return names.length ? names.join(', ') : '(none)';
}

/**
 * Read a declared table. `base` is its YAML path (`['data']` or `['data', 'join', k]`); `timeName` names the period
 * column that `period` and `longer` write.
 */
export async function readSource(
  s: NormalizedTableSource,
  role: string,
  baseDir: string,
  locate: Locate,
  base: YamlPath,
  timeName: string,
): Promise<ReadSourceResult> {
  const at = (...p: (string | number)[]) => locate([...base, ...p]);
  const files = sourceFiles(s, baseDir, locate, base);
  const checksums: string[] = [];
  const notes: Note[] = [];
  const pieces: { frame: Frame; nonNumeric: Map<string, NonNumericCell> }[] = [];
  const accounts: FileAccount[] = [];
  const droppedByRule: Record<string, number> = Object.create(null);
  const rules = s.drop_rows === undefined ? [] : Array.isArray(s.drop_rows) ? s.drop_rows : [s.drop_rows];
  for (const r of rules) droppedByRule[r] = 0;
  const shown = (abs: string) => relative(baseDir, abs) || basename(abs);

  for (const f of files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileLimited(f.abs, 'data');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.message;
      throw new PositionedError(diagnostic('DATA_NOT_FOUND', locate(f.path), { file: shown(f.abs), reason }));
    }
    checksums.push(sha256(bytes));
    const name = shown(f.abs);
    let format: ReturnType<typeof formatOf>['format'];
    try {
      format = formatOf(f.abs, name).format;
    } catch (e) {
      if (e instanceof SpecrunError) throw new PositionedError(diagnostic(e.code, locate(f.path), e.args));
      throw e;
    }
    const tables: { label: string; sheet: string | null; read: TableRead }[] = [];
    try {
      if (format === 'xlsx' && (s.skip_rows > 0 || s.header_rows > 1 || s.sheets !== undefined)) {
        const { loadWorkbook, sheetTable } = await import('./read/xlsx.js');
        const sheets = await loadWorkbook(bytes, name);
        const known = sheets.map((w) => w.name);
        let chosen: typeof sheets;
        if (s.sheets !== undefined) {
          if (Array.isArray(s.sheets)) {
            chosen = s.sheets.map((sh, k) => {
              const w = sheets.find((x) => x.name === sh);
              if (!w)
                throw new PositionedError(
                  diagnostic('DATA_UNKNOWN_SHEET', at('sheets', k), { file: name, sheet: sh, known: known.join(', ') }),
                );
              return w;
            });
          } else {
            const re = segmentRegExp(s.sheets);
            chosen = sheets.filter((w) => re.test(w.name));
            if (chosen.length === 0)
              throw new PositionedError(
                diagnostic('DATA_UNKNOWN_SHEET', at('sheets'), {
                  file: name,
                  sheet: s.sheets,
                  known: known.join(', '),
                }),
              );
          }
        } else if (s.sheet !== undefined) {
          const w = sheets.find((x) => x.name === s.sheet);
          if (!w)
            throw new PositionedError(
              diagnostic('DATA_UNKNOWN_SHEET', at('sheet'), { file: name, sheet: s.sheet, known: known.join(', ') }),
            );
          chosen = [w];
        } else chosen = [sheets[0]!];
        for (const w of chosen) {
          tables.push({
            label: `${name}#${w.name}`,
            sheet: w.name,
            read: sheetTable(w, {
              file: name,
              na: s.na,
              skipRows: s.skip_rows,
              headerRows: s.header_rows,
              headerSeparator: s.header_separator,
            }),
          });
        }
      } else {
        if (format === 'csv' && (s.skip_rows > 0 || s.header_rows > 1 || s.sheets !== undefined)) {
          const key = s.sheets !== undefined ? 'sheets' : s.skip_rows > 0 ? 'skip_rows' : 'header_rows';
          throw new PositionedError(
            diagnostic('SCHEMA_INVALID', at(key), {
              detail: `${key} applies to .xlsx workbooks; ${name} is a text file`,
            }),
          );
        }
        const read = await readTable(f.abs, { file: name, bytes, encoding: s.encoding, na: s.na, sheet: s.sheet });
        tables.push({ label: read.sheet && s.sheet ? `${name}#${read.sheet}` : name, sheet: read.sheet ?? null, read });
      }
    } catch (e) {
      if (e instanceof SpecrunError) {
        const key: YamlPath = e.code === 'DATA_UNKNOWN_SHEET' ? [...base, 'sheet'] : f.path;
        throw new PositionedError(diagnostic(e.code, locate(key), e.args));
      }
      throw e;
    }
    for (const t of tables) {
      notes.push(...t.read.notes);
      const piece = shapePiece(t.read.frame, new Map(t.read.nonNumeric), f.abs, t.label, t.sheet);
      pieces.push(piece.result);
      accounts.push({ file: t.label, period: piece.period, rows: t.read.frame.nrows, dropped: piece.dropped });
    }
  }
  const frame = concatFrames(pieces.map((p) => p.frame));
  const nonNumeric = new Map<string, NonNumericCell>();
  for (const p of pieces)
    for (const [k, v] of p.nonNumeric)
      if (!nonNumeric.has(k) && frame.has(k) && isText(frame.get(k)!)) nonNumeric.set(k, v);
  // A column numeric in one file and text in another is text after stacking: its first text cell explains why.
  for (const name of frame.names) {
    const col = frame.get(name)!;
    if (isText(col) && !nonNumeric.has(name)) {
      const k = col.codes.findIndex((c) => c >= 0 && Number.isNaN(parseNumberText(col.levels[c]!)));
      if (k >= 0) nonNumeric.set(name, { row: 0, line: 0, value: col.levels[col.codes[k]!]! });
    }
  }
  for (const r of rules) {
    if (droppedByRule[r]! > 0)
      notes.push(
        note('DATA_ROWS_DROPPED', {
          source: sourceLabel(s.source),
          count: droppedByRule[r]!,
          rule: rules.indexOf(r) + 1,
          expr: r,
        }),
      );
  }
  const account: SourceAccount = {
    role,
    source: sourceLabel(s.source),
    files: accounts,
    rows_read: accounts.reduce((t, a) => t + a.rows, 0),
    dropped_by_rule: { ...droppedByRule },
    rows: frame.nrows,
  };
  return { frame, nonNumeric, checksums, account, notes };

  function shapePiece(
    frame0: Frame,
    nn: Map<string, NonNumericCell>,
    abs: string,
    label: string,
    sheet: string | null,
  ): { result: { frame: Frame; nonNumeric: Map<string, NonNumericCell> }; dropped: number; period: number | null } {
    let frame = frame0;
    // 2. columns by header pattern
    if (s.columns) {
      const out: [string, Column][] = [];
      const nn2 = new Map<string, NonNumericCell>();
      for (const [target, pattern] of Object.entries(s.columns)) {
        const re = regExpAt(pattern, ['columns', target]);
        const hits = frame.names.filter((h) => re.test(h));
        if (hits.length === 0) {
          throw new PositionedError(
            diagnostic('DATA_COLUMN_NO_MATCH', at('columns', target), {
              name: target,
              pattern,
              file: label,
              headers: frame.names.join(' | '),
            }),
          );
        }
        if (hits.length > 1) {
          throw new PositionedError(
            diagnostic('DATA_COLUMN_AMBIGUOUS', at('columns', target), {
              name: target,
              pattern,
              file: label,
              count: hits.length,
              matches: hits.join(' | '),
            }),
          );
        }
        out.push([target, frame.get(hits[0]!)!]);
        const cell = nn.get(hits[0]!);
        if (cell) nn2.set(target, cell);
      }
      frame = new Frame(frame.nrows, out);
      nn = nn2;
    }
    // 3. rows that are not units
    let dropped = 0;
    if (rules.length > 0) {
      const drop = new Uint8Array(frame.nrows);
      rules.forEach((rule, k) => {
        const path: YamlPath = Array.isArray(s.drop_rows) ? ['drop_rows', k] : ['drop_rows'];
        const e = parseAt(rule, path);
        for (const nm of referencedNames(e)) {
          if (!frame.has(nm)) {
            throw new PositionedError(
              diagnostic('UNKNOWN_VARIABLE', at(...path), {
                name: nm,
                suggestion: `${suggest(nm, frame.names, 'column')} (columns of ${label})`,
              }),
            );
          }
        }
        let v: Float64Array;
        try {
          v = evaluate(e, { frame, panel: NO_PANEL, target: `drop_rows rule ${k + 1}` }).values;
        } catch (err) {
          if (err instanceof SpecrunError) throw new PositionedError(diagnostic(err.code, at(...path), err.args));
          throw err;
        }
        for (let i = 0; i < frame.nrows; i++) {
          if (!drop[i] && v[i] === 1) {
            drop[i] = 1;
            droppedByRule[rule] = (droppedByRule[rule] ?? 0) + 1;
            dropped++;
          }
        }
      });
      if (dropped > 0) {
        const keep = new Uint8Array(frame.nrows);
        for (let i = 0; i < keep.length; i++) keep[i] = drop[i] ? 0 : 1;
        frame = frame.filter(keep);
        // Province headers and footnotes made numeric columns text: without them they are numbers again.
        for (const nm of frame.names) {
          const c = frame.get(nm)!;
          if (!isText(c)) continue;
          const r = retype(c, parseNumberText);
          if (!isText(r)) {
            frame = frame.with(nm, r);
            nn.delete(nm);
          }
        }
      }
    }
    // 4. the period
    let period: number | null = null;
    if (s.period) {
      const { from, pattern } = s.period;
      // a problem with the default pattern points at `period` itself
      const patternPath = s.written.period?.pattern === undefined ? ['period'] : ['period', 'pattern'];
      const re = regExpAt(pattern, patternPath);
      const extract = (text: string): number => {
        const m = re.exec(text);
        const v = m ? parseNumberText((m[1] ?? m[0]).trim()) : NaN;
        return Number.isInteger(v) ? v : NaN;
      };
      if (from === 'column') {
        const colName = s.period.column;
        if (!colName) throw new PositionedError(diagnostic('SCHEMA_REQUIRED', at('period'), { key: 'column' }));
        const col = frame.get(colName);
        if (!col) {
          throw new PositionedError(
            diagnostic('DATA_MISSING_COLUMN', at('period', 'column'), {
              name: colName,
              file: label,
              suggestion: suggest(colName, frame.names, 'column'),
            }),
          );
        }
        const t = new Float64Array(frame.nrows);
        for (let i = 0; i < frame.nrows; i++) {
          const text = cellText(col, i);
          t[i] = text === null ? NaN : extract(text);
          if (text !== null && Number.isNaN(t[i]!)) {
            throw new PositionedError(
              diagnostic('DATA_PERIOD_UNMATCHED', at(...patternPath), {
                pattern,
                from: 'column',
                name: `'${text}' (${colName}, ${label})`,
                known: text,
              }),
            );
          }
        }
        const rest: [string, Column][] = frame.names
          .filter((x) => x !== colName && x !== timeName)
          .map((x) => [x, frame.get(x)!]);
        frame = new Frame(frame.nrows, [[timeName, t], ...rest]);
      } else {
        const text = from === 'sheet' ? (sheet ?? '') : basename(abs);
        period = extract(text);
        if (Number.isNaN(period)) {
          const known =
            from === 'sheet'
              ? (sheet ?? '(no sheet)')
              : files
                  .map((x) => basename(x.abs))
                  .slice(0, 6)
                  .join(', ');
          throw new PositionedError(
            diagnostic('DATA_PERIOD_UNMATCHED', at(...patternPath), { pattern, from, name: text, known }),
          );
        }
        const t = new Float64Array(frame.nrows).fill(period);
        const rest: [string, Column][] = frame.names.filter((x) => x !== timeName).map((x) => [x, frame.get(x)!]);
        frame = new Frame(frame.nrows, [[timeName, t], ...rest]);
      }
    }
    // 5. wide to long
    if (s.longer) frame = longer(frame, s.longer, label);
    return { result: { frame, nonNumeric: nn }, dropped, period };
  }

  function longer(frame: Frame, l: LongerSpec, label: string): Frame {
    const re = regExpAt(l.columns, ['longer', 'columns']);
    const wide = frame.names.filter((h) => re.test(h));
    if (wide.length === 0) {
      throw new PositionedError(
        diagnostic('DATA_COLUMN_NO_MATCH', at('longer', 'columns'), {
          name: l.values_to,
          pattern: l.columns,
          file: label,
          headers: frame.names.join(' | '),
        }),
      );
    }
    const ids = frame.names.filter((h) => !wide.includes(h));
    const periods = wide.map((h) => {
      const m = re.exec(h)!;
      const v = parseNumberText((m[1] ?? m[0]).trim());
      if (!Number.isFinite(v)) {
        throw new PositionedError(
          diagnostic('DATA_PERIOD_UNMATCHED', at('longer', 'columns'), {
            pattern: l.columns,
            from: 'column',
            name: h,
            known: wide.join(', '),
          }),
        );
      }
      return v;
    });
    const k = wide.length;
    const n = frame.nrows * k;
    const rows = new Int32Array(n);
    for (let i = 0; i < frame.nrows; i++) for (let j = 0; j < k; j++) rows[i * k + j] = i;
    const base = frame.select(ids).take(rows);
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = periods[i % k]!;
    const cols = wide.map((h) => frame.get(h)!);
    let value: Column;
    if (cols.every((c) => !isText(c))) {
      const v = new Float64Array(n);
      for (let i = 0; i < frame.nrows; i++) for (let j = 0; j < k; j++) v[i * k + j] = (cols[j] as Float64Array)[i]!;
      value = v;
    } else {
      const vs: (string | null)[] = new Array(n);
      for (let i = 0; i < frame.nrows; i++) for (let j = 0; j < k; j++) vs[i * k + j] = cellText(cols[j]!, i);
      value = textColumn(vs);
    }
    const to = l.names_to ?? timeName;
    return new Frame(n, [
      ...base.names.map((x) => [x, base.get(x)!] as [string, Column]),
      [to, t],
      [l.values_to, value],
    ]);
  }

  function regExpAt(pattern: string, path: (string | number)[]): RegExp {
    try {
      return new RegExp(pattern, 'u');
    } catch (e) {
      throw new PositionedError(diagnostic('DATA_BAD_PATTERN', at(...path), { pattern, detail: (e as Error).message }));
    }
  }

  function parseAt(text: string, path: YamlPath) {
    try {
      return parseExpr(text);
    } catch (e) {
      if (e instanceof SpecrunError) throw new PositionedError(diagnostic(e.code, at(...path), e.args));
      throw e;
    }
  }
}

/** A source as one line: the path, or the list joined. */
export function sourceLabel(source: string | readonly string[]): string {
  return typeof source === 'string' ? source : source.join(', ');
}
