/**
 * Stage 1 — load: read a YAML spec with source positions, resolve its `extends` chain, merge the layers.
 * Every node keeps its file and line:column so that later stages can point at the YAML that caused a problem.
 */
import { readSpecText, SpecEncodingError } from '../core/read-limited.js';
import { dirname, relative, resolve } from 'node:path';
import { type Document, LineCounter, isMap, isPair, isScalar, parseDocument, visit, type Node as YamlNode } from 'yaml';
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.js';
import { deepMerge, isPlainObject, type Plain } from './merge.js';

export type YamlPath = readonly (string | number)[];

/**
 * How far YAML aliases may expand (yaml's count: uses of an alias × the aliases inside its target). A spec that
 * shares one value by 150 aliases is fine; a "billion laughs" document is refused at once (YAML_ALIAS_LIMIT).
 */
export const MAX_ALIAS_COUNT = 10000;

/** One parsed file of an extends chain. */
export interface SpecLayer {
  /** Display name (relative to the working directory). */
  readonly file: string;
  readonly absPath: string;
  readonly text: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

export interface LoadedSpec {
  /** Display name of the spec file. */
  readonly file: string;
  readonly absPath: string;
  /** The merged value of the whole chain (plain JSON-like data; `extends` removed). */
  readonly value: Plain;
  /** The layers, most specific first (this file, then its bases in reverse order of application). */
  readonly layers: readonly SpecLayer[];
  /** Where a value came from: the most specific layer that defines the path (or its nearest ancestor). */
  locate(path: YamlPath): SourcePosition;
  /** Where a mapping key is written (for unknown-key errors); falls back to `locate`. */
  locateKey(path: YamlPath): SourcePosition;
  /** The directory a path written at `path` resolves from (the directory of the layer that wrote it). */
  baseDirOf(path: YamlPath): string;
}

export interface LoadResult {
  readonly spec: LoadedSpec | null;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parsed YAML documents by file and text, shared by the specs of one run (the paper's tables all extend one base,
 * which is then parsed once). A document is only read after parsing, so sharing it is safe.
 */
export type SpecParseCache = Map<string, { readonly doc: Document; readonly lines: LineCounter }>;

/**
 * Load a spec file and its `extends` chain. `cwd` sets how file names are displayed; `parsed` (the run's) keeps the
 * parsed documents for the next spec.
 */
export function loadSpec(
  file: string,
  cwd: string = process.cwd(),
  readText: (p: string) => string = defaultRead,
  parsed: SpecParseCache | null = null,
): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const absPath = resolve(cwd, file);
  const linearized = new Map<string, LayerNode[]>();
  const lin = loadLayer(absPath, [], null);
  if (lin === undefined || diagnostics.some((d) => d.severity === 'error')) return { spec: null, diagnostics };
  const display = relative(cwd, absPath) || absPath;
  // Each layer applied once, most general first; lookups want the most specific first (the linearization's order).
  let value: Plain = {};
  for (let i = lin.length - 1; i >= 0; i--) value = deepMerge(value, lin[i]!.own) as Plain;
  const ordered = lin.map((n) => n.layer);
  const spec: LoadedSpec = {
    file: display,
    absPath,
    value,
    layers: ordered,
    locate: (path) => locateIn(ordered, path, false),
    locateKey: (path) => locateIn(ordered, path, true),
    baseDirOf: (path) => {
      for (const layer of ordered) if (layer.doc.hasIn(path as (string | number)[])) return dirname(layer.absPath);
      return dirname(absPath);
    },
  };
  return { spec, diagnostics };

  function parse(abs: string, text: string): { doc: Document; lines: LineCounter } {
    const key = `${abs}\u0000${text}`;
    const hit = parsed?.get(key);
    if (hit) return hit;
    const lines = new LineCounter();
    // Duplicate keys are found by one pass below: the parser's own check compares every key with every earlier key
    // of its map, which took minutes on a spec with 100,000 keys.
    const doc = parseDocument(text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: false,
      keepSourceTokens: false,
    });
    parsed?.set(key, { doc, lines });
    return { doc, lines };
  }

  /** The linearization of `abs`: the file itself, then its bases, each file once, most specific first. */
  function loadLayer(
    abs: string,
    stack: string[],
    from: { layer: SpecLayer; path: YamlPath } | null,
  ): LayerNode[] | undefined {
    const shown = relative(cwd, abs) || abs;
    if (stack.includes(abs)) {
      const chain = [...stack, abs].map((p) => relative(cwd, p) || p).join(' → ');
      diagnostics.push(
        diagnostic('EXTENDS_CYCLE', from ? position(from.layer, from.path, false) : at(shown), { chain }),
      );
      return undefined;
    }
    const done = linearized.get(abs);
    if (done) return done;
    let text: string;
    try {
      text = readText(abs);
    } catch (e) {
      if (e instanceof SpecEncodingError) {
        diagnostics.push(diagnostic('SPEC_ENCODING', { file: shown, path: '', line: e.line, col: e.col }));
        return undefined;
      }
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message);
      if (from)
        diagnostics.push(
          diagnostic('EXTENDS_NOT_FOUND', position(from.layer, from.path, false), { file: shown, reason }),
        );
      else diagnostics.push(diagnostic('FILE_NOT_FOUND', at(shown), { file: shown, reason }));
      return undefined;
    }
    const { doc, lines } = parse(abs, text);
    const layer: SpecLayer = { file: shown, absPath: abs, text, doc, lines };
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = lines.linePos(err.pos[0]);
        diagnostics.push(
          diagnostic(
            'YAML_SYNTAX',
            { file: shown, path: '', line: pos.line, col: pos.col },
            { detail: firstLine(err.message) },
          ),
        );
      }
      return undefined;
    }
    const dups = duplicateKeys(doc);
    if (dups.length > 0) {
      for (const d of dups) {
        const pos = lines.linePos(d.offset);
        diagnostics.push(
          diagnostic('YAML_DUPLICATE_KEY', { file: shown, path: '', line: pos.line, col: pos.col }, { key: d.key }),
        );
      }
      return undefined;
    }
    let raw: unknown;
    try {
      raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    } catch (e) {
      // yaml throws a ReferenceError when aliases expand beyond the limit (an alias bomb, or a very repetitive spec).
      if (!(e instanceof ReferenceError)) throw e;
      diagnostics.push(
        diagnostic('YAML_ALIAS_LIMIT', { file: shown, path: '', line: 1, col: 1 }, { limit: MAX_ALIAS_COUNT }),
      );
      return undefined;
    }
    if (!isPlainObject(raw)) {
      diagnostics.push(diagnostic('YAML_NOT_MAP', { file: shown, path: '', line: 1, col: 1 }));
      return undefined;
    }
    const ext = raw['extends'];
    const bases: { target: string; path: YamlPath }[] = [];
    if (typeof ext === 'string') bases.push({ target: ext, path: ['extends'] });
    else if (Array.isArray(ext))
      ext.forEach((t, i) => {
        if (typeof t === 'string') bases.push({ target: t, path: ['extends', i] });
      });
    const baseLins: LayerNode[][] = [];
    for (const b of bases) {
      const l = loadLayer(resolve(dirname(abs), b.target), [...stack, abs], { layer, path: b.path });
      if (l === undefined) return undefined;
      baseLins.push(l);
    }
    const own: Plain = { ...raw };
    if (typeof ext === 'string' || Array.isArray(ext)) delete own['extends'];
    // C3 over the bases, the last-listed first (a later base wins over an earlier one, as before).
    const reversed = [...baseLins].reverse();
    const merged = c3Merge([...reversed.map((l) => [...l]), reversed.map((l) => l[0]!)]);
    if (!merged) {
      diagnostics.push(
        diagnostic('EXTENDS_CONFLICT', position(layer, ['extends'], false), {
          bases: bases.map((b) => b.target).join(', '),
        }),
      );
      return undefined;
    }
    const lin = [{ layer, own }, ...merged];
    linearized.set(abs, lin);
    return lin;
  }
}

/** One file of an extends graph with its own keys (`extends` removed). */
interface LayerNode {
  readonly layer: SpecLayer;
  readonly own: Plain;
}

/**
 * The C3 merge (as Python's method resolution order): repeatedly take the first head that is in no other list's
 * tail. Every file comes after every file that extends it, a base list's order is kept, and a shared ancestor
 * appears once. Null when no order satisfies every list.
 */
function c3Merge<T>(seqs: T[][]): T[] | null {
  const out: T[] = [];
  for (;;) {
    const live = seqs.filter((s) => s.length > 0);
    if (live.length === 0) return out;
    const head = live.map((s) => s[0]!).find((h) => !live.some((s) => s.indexOf(h) > 0));
    if (head === undefined) return null;
    out.push(head);
    for (const s of live) if (s[0] === head) s.shift();
  }
}

function defaultRead(p: string): string {
  return readSpecText(p);
}

function at(file: string): SourcePosition {
  return { file, path: '', line: 0, col: 0 };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Every key that repeats an earlier key of its mapping, in one pass over the document (a set per mapping). */
function duplicateKeys(doc: Document): { key: string; offset: number }[] {
  const out: { key: string; offset: number }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? pair.key.value : pair.key;
        // Non-scalar keys (flow maps as keys) are not compared; specs never use them.
        if (k !== null && typeof k === 'object') continue;
        if (seen.has(k)) out.push({ key: String(k), offset: (pair.key as YamlNode | null)?.range?.[0] ?? 0 });
        else seen.add(k);
      }
    },
  });
  return out;
}

export function pathString(path: YamlPath): string {
  return path.map((p) => String(p)).join('.');
}

function locateIn(layers: readonly SpecLayer[], path: YamlPath, wantKey: boolean): SourcePosition {
  for (let len = path.length; len >= 0; len--) {
    for (const layer of layers) {
      const pos = positionIfPresent(layer, path.slice(0, len), wantKey && len === path.length);
      if (pos) return { ...pos, path: pathString(path) };
    }
  }
  return { file: layers[0]?.file ?? '', path: pathString(path), line: 0, col: 0 };
}

function position(layer: SpecLayer, path: YamlPath, wantKey: boolean): SourcePosition {
  return positionIfPresent(layer, path, wantKey) ?? { file: layer.file, path: pathString(path), line: 0, col: 0 };
}

function positionIfPresent(layer: SpecLayer, path: YamlPath, wantKey: boolean): SourcePosition | null {
  let node: unknown;
  if (path.length === 0) node = layer.doc.contents;
  else if (wantKey) {
    const parent =
      path.length === 1 ? layer.doc.contents : layer.doc.getIn(path.slice(0, -1) as (string | number)[], true);
    if (isMap(parent)) {
      const last = path[path.length - 1];
      const pair = parent.items.find((it) => isPair(it) && (isScalar(it.key) ? it.key.value : it.key) === last);
      if (pair?.key && (pair.key as YamlNode).range) node = pair.key;
    }
    if (!node) return null;
  } else node = layer.doc.getIn(path as (string | number)[], true);
  const range = (node as YamlNode | null | undefined)?.range;
  if (!range) return null;
  const lp = layer.lines.linePos(range[0]);
  return { file: layer.file, path: pathString(path), line: lp.line, col: lp.col };
}
