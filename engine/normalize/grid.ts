/**
 * Grids (issue 17): a `grids:` entry crosses named alternatives into models. The `model:` mapping is a model written
 * with `{dimension}` placeholders in its strings; each dimension lists named alternatives, each either a text put in
 * place of the placeholder or a mapping of model keys merged into the model (its placeholder then reads ''). Every
 * combination, first dimension outermost, is one model `GRID[dim=alternative,…]`, unless an `exclude:` rule matches
 * it. The models then go through multiple estimation like any written model (a `leave_one_out:` alternative expands
 * further). Pure: problems come back as positioned findings for normalize to report.
 */
import { isPlainObject } from '../load/merge.js';
import type { YamlPath } from '../load/load-spec.js';
import type { DiagnosticCode } from '../diagnostics/catalogue.js';

/** One model of a grid, before its estimator module normalizes it. */
export interface GridModel {
  /** The grid's tags, in dimension order: `[['controls', 'full'], ['sample', 'all']]`. */
  readonly tags: readonly (readonly [string, string])[];
  /** The model mapping with placeholders filled and the mapping alternatives merged. */
  readonly raw: Record<string, unknown>;
  /** Where each key of `raw` is written (the template or the alternative that set it). */
  keyPath(key: string): YamlPath;
  /** For a key filled from the template: the offset in the template string of offset `o` of the filled string. */
  origin(key: string, o: number): number;
}

export interface GridProblem {
  readonly code: DiagnosticCode;
  readonly path: YamlPath;
  readonly args: Record<string, string | number>;
  /** The problem concerns the key at `path` itself (an unknown name), not its value. */
  readonly key?: boolean;
}

/** At most this many models per grid (a grid of more is almost always a mistake in `exclude:`). */
export const MAX_GRID_MODELS = 100_000;

const PLACEHOLDER = /\{([\p{L}_][\p{L}\p{N}_.-]*)\}/gu;

/** The models of one grid, or the problems that stop it. */
export function expandGrid(
  gridId: string,
  g: unknown,
): { models: GridModel[]; problems: GridProblem[]; warnings: GridProblem[] } {
  const base: YamlPath = ['grids', gridId];
  const problems: GridProblem[] = [];
  const warnings: GridProblem[] = [];
  if (!isPlainObject(g) || !isPlainObject(g['model']) || !isPlainObject(g['dimensions'])) {
    return { models: [], problems, warnings }; // the schema check reports the shape
  }
  const template = g['model'];
  const dims = Object.entries(g['dimensions']).filter((e): e is [string, Record<string, unknown>] =>
    isPlainObject(e[1]),
  );
  // placeholders used, and where
  const used = new Set<string>();
  for (const [key, v] of Object.entries(template)) {
    if (typeof v !== 'string') continue;
    for (const m of v.matchAll(PLACEHOLDER)) {
      const name = m[1]!;
      used.add(name);
      if (!dims.some(([d]) => d === name)) {
        problems.push({
          code: 'GRID_UNKNOWN_PLACEHOLDER',
          path: [...base, 'model', key],
          args: { name, grid: gridId, known: dims.map(([d]) => d).join(', ') || '(none)' },
        });
      }
    }
  }
  for (const [d, alts] of dims) {
    const names = Object.keys(alts);
    if (names.length === 0)
      problems.push({ code: 'GRID_EMPTY_DIMENSION', path: [...base, 'dimensions', d], args: { name: d } });
    const merges = names.some((a) => isPlainObject(alts[a]));
    if (!used.has(d) && !merges)
      problems.push({ code: 'GRID_UNUSED_DIMENSION', path: [...base, 'dimensions', d], args: { name: d }, key: true });
    for (const a of names) {
      const v = alts[a];
      if (
        !(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null || isPlainObject(v))
      ) {
        problems.push({
          code: 'GRID_BAD_ALTERNATIVE',
          path: [...base, 'dimensions', d, a],
          args: { name: a, dimension: d },
        });
      }
    }
  }
  // exclude rules: each a mapping dimension → alternative(s); a combination matching every entry is left out
  const rules: { index: number; match: Map<string, Set<string>> }[] = [];
  const rawRules = Array.isArray(g['exclude']) ? g['exclude'] : [];
  rawRules.forEach((r, i) => {
    if (!isPlainObject(r)) return;
    const match = new Map<string, Set<string>>();
    for (const [d, v] of Object.entries(r)) {
      const dim = dims.find(([x]) => x === d);
      if (!dim) {
        problems.push({
          code: 'GRID_UNKNOWN_CHOICE',
          path: [...base, 'exclude', i, d],
          args: { key: 'exclude', what: 'dimension', name: d, known: dims.map(([x]) => x).join(', ') },
          key: true,
        });
        continue;
      }
      const wanted = (Array.isArray(v) ? v : [v]).map(String);
      for (const w of wanted) {
        if (!(w in dim[1]))
          problems.push({
            code: 'GRID_UNKNOWN_CHOICE',
            path: [...base, 'exclude', i, d],
            args: { key: 'exclude', what: `alternative of ${d}`, name: w, known: Object.keys(dim[1]).join(', ') },
          });
      }
      match.set(d, new Set(wanted));
    }
    rules.push({ index: i, match });
  });
  if (problems.length > 0) return { models: [], problems, warnings };

  let total = 1;
  for (const [, alts] of dims) total *= Object.keys(alts).length;
  if (total > MAX_GRID_MODELS) {
    problems.push({ code: 'GRID_TOO_LARGE', path: base, args: { grid: gridId, count: total, max: MAX_GRID_MODELS } });
    return { models: [], problems, warnings };
  }
  const hits = new Array<number>(rules.length).fill(0);
  const models: GridModel[] = [];
  const combo = (i: number, chosen: [string, string][]): void => {
    if (i === dims.length) {
      const rule = rules.findIndex((r) => [...r.match].every(([d, set]) => set.has(chosen.find(([x]) => x === d)![1])));
      if (rule >= 0) {
        hits[rule]!++;
        return;
      }
      models.push(gridModel(base, template, dims, chosen));
      return;
    }
    const [d, alts] = dims[i]!;
    for (const a of Object.keys(alts)) combo(i + 1, [...chosen, [d, a]]);
  };
  combo(0, []);
  rules.forEach((r, k) => {
    if (hits[k] === 0)
      warnings.push({ code: 'GRID_EXCLUDE_NOTHING', path: [...base, 'exclude', r.index], args: { grid: gridId } });
  });
  if (models.length === 0) problems.push({ code: 'GRID_EMPTY', path: [...base, 'exclude'], args: { grid: gridId } });
  return { models, problems, warnings };
}

function gridModel(
  base: YamlPath,
  template: Record<string, unknown>,
  dims: [string, Record<string, unknown>][],
  chosen: [string, string][],
): GridModel {
  const values = new Map<string, string>();
  const merged: Record<string, unknown> = Object.create(null);
  const mergedFrom = new Map<string, YamlPath>();
  for (const [d, a] of chosen) {
    const v = dims.find(([x]) => x === d)![1][a];
    if (isPlainObject(v)) {
      values.set(d, '');
      for (const [k, x] of Object.entries(v)) {
        merged[k] = x;
        mergedFrom.set(k, [...base, 'dimensions', d, a, k]);
      }
    } else values.set(d, v === null || v === undefined ? '' : String(v));
  }
  const raw: Record<string, unknown> = {};
  const origins = new Map<string, (o: number) => number>();
  for (const [k, v] of Object.entries(template)) {
    if (typeof v !== 'string') {
      raw[k] = v;
      continue;
    }
    const filled = fill(v, values, k === 'formula');
    if (filled.text.trim() === '') continue; // a key whose whole value was an empty alternative is left out
    raw[k] = filled.text;
    origins.set(k, filled.origin);
  }
  for (const [k, v] of Object.entries(merged)) {
    raw[k] = v;
    origins.delete(k);
  }
  return {
    tags: chosen,
    raw,
    keyPath: (key) => mergedFrom.get(key) ?? [...base, 'model', key],
    origin: (key, o) => origins.get(key)?.(o) ?? o,
  };
}

/**
 * Put each placeholder's text in place; in a formula, drop the `+` an empty alternative leaves behind
 * (`y ~ x + {controls} | fe` with no controls is `y ~ x | fe`). Offsets map back to the template.
 */
function fill(
  src: string,
  values: ReadonlyMap<string, string>,
  formula: boolean,
): { text: string; origin: (o: number) => number } {
  // pieces: [text, template offset, copied?]
  const pieces: [string, number, boolean][] = [];
  let at = 0;
  for (const m of src.matchAll(PLACEHOLDER)) {
    if (m.index! > at) pieces.push([src.slice(at, m.index), at, true]);
    pieces.push([values.get(m[1]!) ?? m[0], m.index!, false]);
    at = m.index! + m[0].length;
  }
  if (at < src.length) pieces.push([src.slice(at), at, true]);
  let text = pieces.map((p) => p[0]).join('');
  const map = (o: number): number => {
    let start = 0;
    for (const [t, from, copied] of pieces) {
      if (o < start + t.length) return copied ? from + (o - start) : from;
      start += t.length;
    }
    return src.length;
  };
  if (!formula) return { text, origin: map };
  // Tidy empty terms: drop each `+` that has no term on one side, keeping an offset map through the removals.
  const keep: number[] = [];
  const tidy: string[] = [];
  const isGap = (i: number, dir: 1 | -1): boolean => {
    for (let j = i + dir; j >= 0 && j < text.length; j += dir) {
      const c = text[j]!;
      if (/\s/.test(c)) continue;
      if (c === '+') return dir === 1;
      return dir === 1 ? c === '|' || c === ')' || c === ',' : c === '~' || c === '|' || c === '(' || c === ',';
    }
    return true;
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '+' && (isGap(i, -1) || isGap(i, 1))) continue;
    tidy.push(text[i]!);
    keep.push(i);
  }
  text = tidy.join('');
  return { text, origin: (o) => map(keep[o] ?? text.length) };
}
