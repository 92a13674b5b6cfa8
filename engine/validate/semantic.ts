/**
 * Stage 2b — semantic checks that need the data's column names (read from the header only, not the whole file):
 * every name a derived variable, a sample or a model uses must be a data column (after `rename`) or a derived
 * variable. Each unknown name is reported at the character where the spec writes it, with the nearest names as hint.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { resolveBuiltin } from '../data/builtin.js';
import { readCsv } from '../data/read/csv.js';
import { readTable } from '../data/read/index.js';
import { referencedNames } from '../expr/ast.js';
import { parseExpr } from '../expr/parse.js';
import type { LoadedSpec, YamlPath } from '../load/load-spec.js';
import { offsetPosition } from '../normalize/normalize.js';
import type { Plan } from '../normalize/plan.js';
import { modelColumns } from '../estimate/prepare.js';
import { transformInputPath, transformKindOf } from '../transforms/inputs.js';
import { suggest } from './suggest.js';
import { renamedName } from '../data/rename.js';

/** The column names of the data source after `rename`, or null when they cannot be read (the run reports why). */
export async function dataColumnNames(plan: Plan): Promise<string[] | null> {
  return dataHeaderNames(plan.data);
}

/** The same for a data block alone (the language server reads it from a spec that does not check yet). */
export async function dataHeaderNames(d: Plan['data']): Promise<string[] | null> {
  let file: string;
  if (d.source.startsWith('builtin:')) {
    const b = resolveBuiltin(d.source.slice('builtin:'.length));
    if (!b) return null;
    file = b.file;
  } else file = resolve(d.baseDir, d.source);
  let names: string[];
  try {
    const ext = extname(file).toLowerCase();
    if (ext === '.csv' || ext === '.txt' || ext === '.tsv') {
      names = readCsv(headerBytes(file), { file: d.source, encoding: d.encoding, na: d.na }).frame.names;
    } else names = (await readTable(file, { file: d.source, encoding: d.encoding, na: d.na, sheet: d.sheet })).frame.names;
  } catch {
    return null;
  }
  return names.map((n) => renamedName(n, d.rename));
}

/** The first line of a file (the header), read without loading the rest. */
function headerBytes(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(65536);
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      if (nl >= 0) { chunks.push(buf.subarray(0, nl + 1)); break; }
      chunks.push(buf.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

export function semanticDiagnostics(loaded: LoadedSpec, plan: Plan, columns: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const known = new Set(columns);
  // Two columns with one name after `rename` (engine/data/rename.ts): the rename that took the name is at fault.
  if (known.size < columns.length && plan.data.rename) {
    const seen = new Set<string>();
    const dup = columns.find((c) => (seen.has(c) ? true : (seen.add(c), false)))!;
    const from = Object.entries(plan.data.rename).filter(([, to]) => to === dup).map(([f]) => f).pop();
    if (from !== undefined) {
      out.push(diagnostic('DATA_RENAME_COLLISION', loaded.locateKey(['data', 'rename', from]), {
        from, to: dup, other: 'another column of the same name after rename',
      }));
    }
  }
  const unknown = (name: string, path: YamlPath, text: string | null) => {
    const at = text === null ? loaded.locate(path) : offsetPosition(loaded, path, Math.max(0, findName(text, name)));
    let suggestion = suggest(name, known, 'variable');
    // In an expression, a bare word compared with == or != (or one close to no column) is most often a text value
    // that wanted quotes: `province == 湖北`.
    const compared = text !== null && new RegExp(`(==|!=)\\s*${escapeRegExp(name)}(?![\\p{L}\\p{N}_.])|(?<![\\p{L}\\p{N}_.])${escapeRegExp(name)}\\s*(==|!=)`, 'u').test(text);
    if (text !== null && (compared || !suggestion.startsWith('did you mean'))) {
      suggestion = `if ${name} is a value, not a column, quote it: '${name}'; otherwise ${suggestion}`;
    }
    out.push(diagnostic('UNKNOWN_VARIABLE', at, { name, suggestion }));
  };
  for (const v of plan.variables) {
    const path: YamlPath = ['variables', v.name];
    const spec = v.spec;
    if (typeof spec === 'string' || (typeof spec === 'object' && 'expr' in spec)) {
      const text = typeof spec === 'string' ? spec : spec.expr;
      const where = typeof spec === 'string' ? path : [...path, 'expr'];
      for (const n of v.dependsOn) if (!known.has(n)) unknown(n, where, text);
    } else {
      const kind = transformKindOf(spec)!;
      const inner = (spec as unknown as Record<string, unknown>)[kind];
      for (const n of v.dependsOn) if (!known.has(n)) unknown(n, [...path, kind, ...transformInputPath(kind, inner, n)], null);
      // `sbm` with `details: true` also writes slack and peer columns that later variables may use.
      if (kind === 'sbm' && (inner as { details?: boolean }).details) {
        for (const x of v.dependsOn) known.add(`${v.name}_slack_${x}`);
        known.add(`${v.name}_peers`);
      }
    }
    known.add(v.name);
  }
  for (const s of plan.samples.values()) {
    for (const n of referencedNames(parseExpr(s.expr))) if (!known.has(n)) unknown(n, ['samples', s.name], s.expr);
  }
  const raw = loaded.value['models'] as Record<string, Record<string, unknown>> | undefined;
  for (const m of plan.models) {
    if (m.sample?.name === 'inline') {
      for (const n of referencedNames(parseExpr(m.sample.expr))) if (!known.has(n)) unknown(n, ['models', m.id, 'sample'], m.sample.expr);
    }
    const seen = new Set<string>();
    for (const c of modelColumns(m).columns) {
      if (known.has(c.name) || seen.has(c.name)) continue;
      seen.add(c.name);
      const written = raw?.[m.id]?.[c.key];
      unknown(c.name, ['models', m.id, c.key], typeof written === 'string' ? written : null);
    }
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Offset of `name` as a whole word in `text` (−1 when absent). */
function findName(text: string, name: string): number {
  let from = 0;
  for (;;) {
    const i = text.indexOf(name, from);
    if (i < 0) return -1;
    const before = text[i - 1];
    const after = text[i + name.length];
    const word = /[\p{L}\p{N}_.]/u;
    if ((!before || !word.test(before)) && (!after || !word.test(after))) return i;
    from = i + 1;
  }
}
