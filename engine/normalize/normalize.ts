/**
 * Stage 3 — normalize: turn the merged user spec into one explicit Plan. Shorthands are expanded, defaults filled,
 * formulas and expressions parsed (syntax errors reported at their YAML position), samples and models resolved by
 * name, derived variables put in dependency order (cycles reported).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { offsetPosition } from '../core/positions.js';
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.js';
import type { LoadedSpec, YamlPath } from '../load/load-spec.js';
import { isPlainObject } from '../load/merge.js';
import { canonical, referencedNames } from '../expr/ast.js';
import { FUNCTIONS } from '../expr/evaluate.js';
import { ExprSyntaxError, ExprTooDeepError, parseExpr } from '../expr/parse.js';
import { isPlainTerm, parseFormula } from '../expr/formula.js';
import type { Expr } from '../expr/ast.js';
import type { DataSpec, LocalizedText, Spec, TableColumn, VariableSpec } from '../spec/types.js';
import type { GridSliceColumn } from '../spec/grid.js';
import type { SmallSampleSpec } from '../estimate/ols/spec.js';
import type { AnyEstimator, Estimator, NormalizeContext } from '../estimate/types.js';
import { DEFAULT_ESTIMATOR, DEFAULT_SSC, DEFAULT_VCOV } from '../spec/defaults.js';
import { suggest } from '../core/suggest.js';
import { resolveTables } from './table-extends.js';
import { normalizedTableSpec } from './table-defaults.js';
import { normalizedDataSpec } from './data-defaults.js';
import type { FigurePlan, ModelPlan, Plan, SamplePlan, TablePlan, Term, VariablePlan, VcovPlan } from './plan.js';
import { figureBuilders } from '../figures/registry.js';
import { normalizedFigureSpec } from './figure-defaults.js';
import type { FigureBuilder } from '../figures/types.js';
import { expandFormula, MultipleEstimationError, type FormulaVariant } from './multiple.js';
import { expandGrid } from './grid.js';
import {
  expandedId,
  literal,
  MAX_SPLIT_VALUES,
  narrowSample,
  splitRequests,
  type ColumnValues,
} from './expand-models.js';
import type { FigureSpec } from '../spec/figures.js';

export interface NormalizeResult {
  readonly plan: Plan | null;
  readonly diagnostics: Diagnostic[];
  /**
   * Columns whose values `split:`/`leave_one_out:` need, when `columnValues` was not given: the plan then lacks those
   * models; normalize again with the values of the built data (engine/run/pipeline.ts `check`).
   */
  readonly needsValues?: readonly string[];
}

/** What normalization needs besides the spec: the registries that own each kind, and the language chosen. */
export interface NormalizeOptions {
  readonly lang?: string;
  readonly estimators: EstimatorLookup;
  readonly transforms: TransformLookup;
  /** The values of the built data's columns, for `split:` and `leave_one_out:` (absent: the data are not built yet). */
  readonly columnValues?: ColumnValues;
  /** The built data's column names (for "did you mean" on an unknown split column). */
  readonly columnNames?: readonly string[];
}

/** The part of the estimator registry normalize uses. */
export interface EstimatorLookup {
  find(kind: string): AnyEstimator | undefined;
  of<P extends ModelPlan>(plan: P): Estimator<P>;
  readonly kinds: readonly string[];
}

/** The part of the transform registry normalize uses. */
export interface TransformLookup {
  inputsOf(variable: object): string[];
  /** The transform variable with its module's defaults filled (unchanged when it names no registered kind). */
  normalized(variable: object): object;
}

export function normalize(loaded: LoadedSpec, opts: NormalizeOptions): NormalizeResult {
  const spec = loaded.value as Spec;
  const diags: Diagnostic[] = [];
  const at = (path: YamlPath) => loaded.locate(path);
  const needsValues = new Set<string>();

  /** Parse an expression written at `path`, reporting a syntax error at the character it concerns. */
  const parseAt = (src: string, path: YamlPath): Expr | null => {
    try {
      const e = parseExpr(src);
      checkCalls(e, path);
      return e;
    } catch (err) {
      if (err instanceof ExprSyntaxError) {
        diags.push(
          diagnostic(
            err instanceof ExprTooDeepError ? 'EXPR_TOO_DEEP' : 'EXPR_SYNTAX',
            offsetPosition(loaded, path, err.offset),
            { detail: err.message },
          ),
        );
        return null;
      }
      throw err;
    }
  };
  const checkCalls = (e: Expr, path: YamlPath): void => {
    if (e.kind === 'call') {
      const f = FUNCTIONS[e.name];
      if (!f)
        diags.push(
          diagnostic('EXPR_UNKNOWN_FUNCTION', offsetPosition(loaded, path, e.pos), {
            name: e.name,
            known: Object.keys(FUNCTIONS).join(', '),
          }),
        );
      else if ((e.name === 'lag' || e.name === 'lead' || e.name === 'diff') && isNegativeLiteral(e.args[1])) {
        diags.push(
          diagnostic('LAG_NEGATIVE', offsetPosition(loaded, path, e.pos), {
            name: e.name,
            k: canonical(e.args[1]!).replace(/[()]/g, ''),
            other: e.name === 'lead' ? 'lag' : 'lead',
          }),
        );
      } else if (e.args.length < f.min || e.args.length > f.max) {
        diags.push(
          diagnostic('EXPR_ARITY', offsetPosition(loaded, path, e.pos), {
            name: e.name,
            expected: f.min === f.max ? f.min : `${f.min}–${f.max}`,
            got: e.args.length,
          }),
        );
      }
      for (const a of e.args) checkCalls(a, path);
    } else if (e.kind === 'unary') checkCalls(e.arg, path);
    else if (e.kind === 'binary') {
      checkCalls(e.left, path);
      checkCalls(e.right, path);
    }
  };

  // data
  const data = spec.data as DataSpec | undefined;
  if (!data || typeof data.source !== 'string') {
    diags.push(diagnostic('SCHEMA_REQUIRED', at(data ? ['data'] : []), { key: data ? 'source' : 'data' }));
  }

  // variables, in dependency order
  const rawVars = isPlainObject(spec.variables) ? spec.variables : {};
  const varDeps = new Map<
    string,
    { spec: VariableSpec; written: VariableSpec; deps: string[]; source: SourcePosition }
  >();
  for (const [name, v] of Object.entries(rawVars)) {
    const path = ['variables', name];
    let deps: string[] = [];
    let spec = v as VariableSpec;
    if (typeof v === 'string' || (isPlainObject(v) && typeof (v as { expr?: unknown }).expr === 'string')) {
      const src = typeof v === 'string' ? v : (v as { expr: string }).expr;
      const e = parseAt(src, typeof v === 'string' ? path : [...path, 'expr']);
      if (e) deps = [...referencedNames(e)];
    } else if (isPlainObject(v)) {
      deps = opts.transforms.inputsOf(v);
      spec = opts.transforms.normalized(v) as VariableSpec;
    }
    varDeps.set(name, { spec, written: v as VariableSpec, deps, source: at(path) });
  }
  const variables: VariablePlan[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cyc = [...chain.slice(chain.indexOf(name)), name];
      diags.push(diagnostic('VARIABLE_CYCLE', varDeps.get(name)!.source, { chain: cyc.join(' → ') }));
      return;
    }
    state.set(name, 'visiting');
    const v = varDeps.get(name)!;
    for (const d of v.deps) if (varDeps.has(d) && d !== name) visit(d, [...chain, name]);
    state.set(name, 'done');
    variables.push({
      name,
      spec: v.spec,
      written: v.written,
      dependsOn: v.deps.filter((d) => d !== name),
      source: v.source,
    });
  };
  for (const name of varDeps.keys()) visit(name, []);

  // samples
  const samples = new Map<string, SamplePlan>();
  const rawSamples = isPlainObject(spec.samples) ? spec.samples : {};
  for (const [name, expr] of Object.entries(rawSamples)) {
    if (typeof expr !== 'string') continue;
    if (parseAt(expr, ['samples', name])) samples.set(name, { name, expr });
  }
  const resolveSample = (s: unknown, path: YamlPath): SamplePlan | null => {
    if (typeof s !== 'string' || s.trim() === '') return null;
    if (samples.has(s)) return samples.get(s)!;
    if (/^[\p{L}_][\p{L}\p{N}_.]*$/u.test(s.trim())) {
      diags.push(diagnostic('UNKNOWN_SAMPLE', at(path), { name: s, suggestion: suggest(s, samples.keys(), 'sample') }));
      return null;
    }
    return parseAt(s, path) ? { name: 'inline', expr: s } : null;
  };

  // models: each written model, and each model of a grid (engine/normalize/grid.ts), expanded by multiple
  // estimation (engine/normalize/expand-models.ts)
  const models: ModelPlan[] = [];
  /** The ids each written model or grid expanded to (absent: it stands for itself). */
  const expansions = new Map<string, string[]>();
  const rawModels = isPlainObject(spec.models) ? spec.models : {};
  const addWritten = (
    key: string,
    m: Record<string, unknown>,
    w: Where,
    preTags: readonly (readonly [string, string])[],
  ): string[] | null => {
    const est = typeof m['estimator'] === 'string' ? m['estimator'] : DEFAULT_ESTIMATOR;
    const module = opts.estimators.find(est);
    if (!module) {
      // The schema check reports an unknown kind (UNKNOWN_ESTIMATOR); say it again rather than drop the model.
      diags.push(
        diagnostic('UNKNOWN_ESTIMATOR', at(w.key('estimator')), { name: est, known: opts.estimators.kinds.join(', ') }),
      );
      return null;
    }
    const variants = formulaVariants(m, w);
    if (variants === 'error') return null;
    const narrowings = sampleNarrowings(m, w);
    if (narrowings === 'error') return null;
    const baseSample = resolveSample(m['sample'], w.key('sample'));
    const expanded =
      preTags.length > 0 ||
      variants.length > 1 ||
      variants[0]!.variant !== null ||
      narrowings.length > 1 ||
      narrowings[0]!.tags.length > 0;
    const ids: string[] = [];
    for (const n of narrowings) {
      for (const v of variants) {
        const tags = [...preTags, ...n.tags, ...(v.variant?.tags ?? [])];
        const id = expanded ? expandedId(key, tags) : key;
        const sample = n.narrow ? n.narrow(baseSample) : baseSample;
        const plan = normalizeModel(
          module,
          id,
          v.variant ? { ...m, formula: v.variant.text } : m,
          w,
          sample,
          v.variant,
        );
        if (!plan) continue;
        models.push(expanded ? { ...plan, written: w.model, choices: Object.fromEntries(tags) } : plan);
        ids.push(id);
      }
    }
    return expanded ? ids : null;
  };
  for (const [key, m] of Object.entries(rawModels)) {
    if (!isPlainObject(m)) continue;
    const ids = addWritten(key, m, plainWhere(['models', key]), []);
    if (ids) expansions.set(key, ids);
  }
  const rawGrids = isPlainObject(spec.grids) ? spec.grids : {};
  for (const [gid, g] of Object.entries(rawGrids)) {
    if (gid in rawModels) {
      diags.push(
        diagnostic('SPEC_CONFLICT', loaded.locateKey(['grids', gid]), {
          detail: `grid ${gid} has the id of a model`,
          hint: 'grid and model ids share one name space (tables name both); rename one',
        }),
      );
      continue;
    }
    const grid = expandGrid(gid, g);
    for (const p of [...grid.problems, ...grid.warnings])
      diags.push(diagnostic(p.code, p.key ? loaded.locateKey(p.path) : at(p.path), p.args));
    if (grid.problems.length > 0) continue;
    const ids: string[] = [];
    for (const gm of grid.models) {
      const w: Where = { model: ['grids', gid, 'model'], key: (k) => gm.keyPath(k), origin: (k, o) => gm.origin(k, o) };
      ids.push(...(addWritten(gid, gm.raw, w, gm.tags) ?? []));
    }
    expansions.set(gid, ids);
  }

  // tables
  const tables: TablePlan[] = [];
  const rawTables = isPlainObject(spec.tables) ? spec.tables : {};
  const modelIds = new Set(models.map((m) => m.id));
  const allModelKeys = Object.keys(rawModels);
  /** Every id a table or figure may name: the written keys and the ids they expanded to. */
  const knownIds = [...new Set([...allModelKeys, ...expansions.keys(), ...[...expansions.values()].flat()])];
  /** A name left unresolved while split values are pending (the second normalization resolves it). */
  const pending = (mid: string) =>
    needsValues.size > 0 && /\[.*\]$/.test(mid) && allModelKeys.includes(mid.slice(0, mid.indexOf('[')));
  // `extends`, column edits and groups by column id, resolved first (engine/normalize/table-extends.ts)
  const resolvedTables = resolveTables(rawTables, at, diags);
  for (const [id, ts] of resolvedTables) {
    const written = Array.isArray(ts.columns) ? ts.columns : [];
    // A column naming an expanded model stands for every model it expanded to, in order; a grid slice for the
    // models whose choices match its `where`.
    const cols: (string | TableColumn)[] = [];
    const colPaths: number[] = [];
    written.forEach((c, i) => {
      if (isPlainObject(c) && 'grid' in c) {
        for (const col of gridSlice(c as unknown as GridSliceColumn, ['tables', id, 'columns', i])) {
          cols.push(col);
          colPaths.push(i);
        }
        return;
      }
      const tc = c as string | TableColumn;
      const mid = typeof tc === 'string' ? tc : tc?.model;
      const ex = typeof mid === 'string' ? expansions.get(mid) : undefined;
      if (ex)
        for (const e of ex) {
          cols.push(typeof tc === 'string' ? e : { ...tc, model: e });
          colPaths.push(i);
        }
      else {
        cols.push(tc);
        colPaths.push(i);
      }
    });
    const ids: string[] = [];
    cols.forEach((c, k) => {
      const i = colPaths[k]!;
      const mid = typeof c === 'string' ? c : c?.model;
      if (typeof mid !== 'string') return;
      if (!knownIds.includes(mid)) {
        if (!pending(mid))
          diags.push(
            diagnostic('UNKNOWN_MODEL', at(['tables', id, 'columns', i]), {
              name: mid,
              suggestion: suggest(mid, knownIds, 'model'),
            }),
          );
      } else if (modelIds.has(mid)) {
        ids.push(mid);
        if (typeof c === 'object' && c && c.stage === 'first') {
          const mp = models.find((x) => x.id === mid)!;
          const stages = opts.estimators.of(mp).firstStages?.(mp);
          const endo = stages ?? [];
          if (!stages) {
            diags.push(
              diagnostic('SPEC_CONFLICT', at(['tables', id, 'columns', i, 'stage']), {
                detail: `model ${mid} is not an IV model, so it has no first stage`,
                hint: 'stage: first applies to models with an IV part (endog ~ instruments)',
              }),
            );
          } else if (c.endogenous !== undefined && !endo.includes(c.endogenous)) {
            diags.push(
              diagnostic('SPEC_CONFLICT', at(['tables', id, 'columns', i, 'endogenous']), {
                detail: `${c.endogenous} is not an endogenous variable of ${mid}`,
                hint: `endogenous variables: ${endo.join(', ')}`,
              }),
            );
          }
        }
      }
    });
    const baseDir = loaded.baseDirOf(['tables', id]);
    for (const fmt of ['latex', 'markdown'] as const) {
      const tpl = ts.template?.[fmt];
      if (typeof tpl === 'string' && !existsSync(resolve(baseDir, tpl))) {
        diags.push(
          diagnostic('UNKNOWN_TEMPLATE', at(['tables', id, 'template', fmt]), { file: tpl, reason: 'no such file' }),
        );
      }
    }
    const first = models.find((m) => m.id === ids[0]);
    const layout = ts.layout ?? (first ? opts.estimators.of(first).table.layout : 'regression');
    const labels = { ...(isPlainObject(spec.labels) ? spec.labels : {}), ...(ts.labels ?? {}) };
    // A model's own `label:` heads its column where the table gives none (regression layout: one column per model).
    const columns =
      layout !== 'regression'
        ? cols
        : cols.map((c) => {
            const label = typeof c === 'string' ? models.find((m) => m.id === c)?.label : null;
            return typeof c === 'string' && label !== null && label !== undefined ? { model: c, label } : c;
          });
    // Stacked panels: each names one model per column of the table; their models run with the table's.
    (ts.panels ?? []).forEach((panel, pi) => {
      if (!Array.isArray(panel?.columns)) return;
      if (panel.columns.length !== cols.length) {
        diags.push(
          diagnostic('TABLE_PANEL_COLUMNS', at(['tables', id, 'panels', pi, 'columns']), {
            table: id,
            panel: pi + 1,
            count: panel.columns.length,
            columns: `has ${cols.length}`,
          }),
        );
      }
      panel.columns.forEach((c, j) => {
        const mid = typeof c === 'string' ? c : c?.model;
        if (typeof mid !== 'string') return;
        if (!knownIds.includes(mid)) {
          diags.push(
            diagnostic('UNKNOWN_MODEL', at(['tables', id, 'panels', pi, 'columns', j]), {
              name: mid,
              suggestion: suggest(mid, knownIds, 'model'),
            }),
          );
        } else if (modelIds.has(mid) && !ids.includes(mid)) ids.push(mid);
      });
    });
    const resolvedSpec = { ...ts, labels, columns: columns as (string | TableColumn)[] };
    tables.push({
      id,
      spec: normalizedTableSpec(id, resolvedSpec),
      resolved: resolvedSpec,
      models: ids,
      layout,
      source: at(['tables', id]),
      baseDir,
    });
  }

  // figures: each names a model of this spec (engine/figures)
  const figures: FigurePlan[] = [];
  const rawFigures = isPlainObject(spec.figures) ? spec.figures : {};
  for (const [id, f] of Object.entries(rawFigures)) {
    if (!isPlainObject(f)) continue;
    const fs = f as unknown as FigureSpec;
    if (!/^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u.test(id) || id.length > 100) {
      diags.push(
        diagnostic('UNSAFE_NAME', loaded.locateKey(['figures', id]), {
          kind: 'figure',
          name: JSON.stringify(id),
          reason: 'it must be a file name (letters, digits, _ . -)',
        }),
      );
      continue;
    }
    if (tables.some((t) => t.id === id)) {
      diags.push(
        diagnostic('SPEC_CONFLICT', loaded.locateKey(['figures', id]), {
          detail: `figure ${id} has the id of a table`,
          hint: 'figure and table ids name output files; rename one',
        }),
      );
      continue;
    }
    const builder = figureBuilders[fs.kind] as FigureBuilder | undefined;
    if (!builder) continue; // the schema check reports an unknown kind
    // a coefficient plot's terms default to its table's `keep`
    const table = fs.kind === 'coefplot' ? tables.find((x) => x.id === fs.table) : undefined;
    const normalizedFigure = normalizedFigureSpec(fs, table?.spec.keep);
    const named = builder.models(normalizedFigure);
    const key = fs.kind === 'spec_curve' ? (fs.grid !== undefined ? 'grid' : 'models') : 'model';
    const missing = named.filter((mid) => !knownIds.includes(mid) && !pending(mid));
    for (const mid of missing) {
      diags.push(
        diagnostic('UNKNOWN_MODEL', at(['figures', id, key]), {
          name: mid,
          suggestion: suggest(mid, knownIds, 'model'),
        }),
      );
    }
    // the models the figure reads, resolved: a grid or an expanded model stands for its models, a table for its columns
    let resolved = named.flatMap((mid) => expansions.get(mid) ?? [mid]);
    if (fs.kind === 'coefplot') {
      const t = table;
      if (!t) {
        diags.push(
          diagnostic('UNKNOWN_MODEL', at(['figures', id, 'table']), {
            name: fs.table,
            suggestion: suggest(
              fs.table,
              tables.map((x) => x.id),
              'table',
            ),
          }),
        );
        continue;
      }
      resolved = [...t.models];
    }
    if (fs.kind === 'spec_curve' && fs.grid === undefined && fs.models === undefined) {
      diags.push(diagnostic('SCHEMA_REQUIRED', at(['figures', id]), { key: 'grid' }));
      continue;
    }
    if (missing.length === 0)
      figures.push({
        id,
        spec: normalizedFigure,
        written: fs,
        source: at(['figures', id]),
        models: resolved,
        baseDir: loaded.baseDirOf(['figures', id]),
      });
  }

  const lang = opts.lang ?? spec.lang ?? defaultLang(spec);
  const available = languagesOf(spec);
  if (available.size > 0 && !available.has(lang)) {
    diags.push(
      diagnostic('LANG_NOT_AVAILABLE', at(opts.lang ? [] : ['lang']), {
        lang,
        available: [...available].sort().join(', '),
      }),
    );
  }
  // The variants of one written model report a problem of the text they share once.
  const seen = new Set<string>();
  const unique = diags.filter((d) => {
    const k = JSON.stringify([d.code, d.file, d.line, d.col, d.message]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  diags.splice(0, diags.length, ...unique);
  if (diags.some((d) => d.severity === 'error') || !data) return { plan: null, diagnostics: diags };
  const needs = needsValues.size > 0 ? { needsValues: [...needsValues] } : {};
  const plan: Plan = {
    file: loaded.file,
    title: spec.title ?? null,
    lang,
    data: normalizedDataSpec(
      data,
      loaded.baseDirOf(['data', 'source']),
      (data.join ?? []).map((_, k) => loaded.baseDirOf(['data', 'join', k, 'source'])),
    ),
    variables,
    samples,
    models,
    tables,
    ...(figures.length ? { figures } : {}),
    expectWarnings: spec.expect_warnings ?? [],
  };
  return { plan, diagnostics: diags, ...needs };

  /** The formulas of a model (one, unexpanded, when it uses no multiple estimation), or 'error' after reporting. */
  function formulaVariants(m: Record<string, unknown>, w: Where): { variant: FormulaVariant | null }[] | 'error' {
    if (typeof m['formula'] !== 'string') return [{ variant: null }];
    try {
      const vs = expandFormula(m['formula']);
      return vs ? vs.map((variant) => ({ variant })) : [{ variant: null }];
    } catch (err) {
      if (err instanceof MultipleEstimationError) {
        diags.push(
          diagnostic('MULTIPLE_ESTIMATION', offsetPosition(loaded, w.key('formula'), w.origin('formula', err.offset)), {
            detail: err.message,
          }),
        );
        return 'error';
      }
      throw err;
    }
  }

  /** One narrowing of the sample per value of `split:` × `leave_one_out:` (one without any when neither is given). */
  function sampleNarrowings(
    m: Record<string, unknown>,
    w: Where,
  ): { tags: [string, string][]; narrow: ((s: SamplePlan | null) => SamplePlan) | null }[] | 'error' {
    let out: { tags: [string, string][]; narrow: ((s: SamplePlan | null) => SamplePlan) | null }[] = [
      { tags: [], narrow: null },
    ];
    let failed = false;
    for (const r of splitRequests(m)) {
      const where = w.key(r.key);
      const byPath = typeof m[r.key] === 'string' ? where : [...where, 'by'];
      if (!opts.columnValues) {
        needsValues.add(r.column);
        failed = true;
        continue;
      }
      const present = opts.columnValues(r.column);
      if (!present) {
        diags.push(
          diagnostic('SPLIT_UNKNOWN_COLUMN', at(byPath), {
            key: r.key,
            name: r.column,
            suggestion: suggest(r.column, opts.columnNames ?? [], 'column'),
          }),
        );
        failed = true;
        continue;
      }
      if (present.length > MAX_SPLIT_VALUES) {
        diags.push(
          diagnostic('SPLIT_TOO_MANY', at(byPath), {
            key: r.key,
            name: r.column,
            count: present.length,
            max: MAX_SPLIT_VALUES,
          }),
        );
        failed = true;
        continue;
      }
      let values = [...present];
      if (r.values) {
        values = [];
        r.values.forEach((v, i) => {
          const hit = present.find((p) => p === v || String(p) === String(v));
          if (hit === undefined) {
            diags.push(
              diagnostic('SPLIT_VALUE_ABSENT', at([...where, 'values', i]), {
                key: r.key,
                value: String(v),
                name: r.column,
                count: present.length,
                some: present.slice(0, 8).map(String).join(', ') + (present.length > 8 ? ', …' : ''),
              }),
            );
            failed = true;
          } else if (!values.includes(hit)) values.push(hit);
        });
      }
      const bad = values.find((v) => literal(v) === null);
      if (bad !== undefined) {
        diags.push(diagnostic('SPLIT_VALUE_QUOTES', at(byPath), { name: r.column, value: String(bad) }));
        failed = true;
        continue;
      }
      const source = at(where);
      const next: typeof out = [];
      for (const o of out) {
        for (const v of values) {
          next.push({
            tags: [...o.tags, [r.by, String(v)]],
            narrow: (s) => narrowSample(o.narrow ? o.narrow(s) : s, r.by, r.column, v, source),
          });
        }
      }
      out = next;
    }
    return failed ? 'error' : out;
  }

  /** One model by its estimator module, from a (possibly expanded) raw model written at `path`. */
  function normalizeModel(
    module: AnyEstimator,
    id: string,
    m: Record<string, unknown>,
    w: Where,
    sample: SamplePlan | null,
    variant: FormulaVariant | null,
  ): ModelPlan | null {
    const base = {
      id,
      label: (m['label'] as LocalizedText | undefined) ?? null,
      sample,
      source: at(w.model),
    };
    const keyed = (p: YamlPath): YamlPath => (p.length === 0 ? w.model : [...w.key(String(p[0])), ...p.slice(1)]);
    // an offset into the formula the module sees, as a position in the formula as written
    const formulaAt = (offset: number) =>
      offsetPosition(loaded, w.key('formula'), w.origin('formula', variant ? variant.origin(offset) : offset));
    const ctx: NormalizeContext = {
      id,
      at: (...p) => at(keyed(p)),
      report: (code, p, args, offset) => {
        diags.push(
          diagnostic(
            code,
            offset === undefined
              ? at(keyed(p))
              : p.length === 1 && p[0] === 'formula'
                ? formulaAt(offset)
                : offsetPosition(loaded, keyed(p), offset),
            args,
          ),
        );
      },
      formula: () => {
        try {
          const written = String(m['formula'] ?? '');
          const f = parseFormula(written);
          // The dependent variable among the regressors "explains" itself perfectly: a wrong result, never silent.
          const dep = f.dependent;
          const rhs: Term[] = [...f.regressors.filter(isPlainTerm), ...(f.iv ? f.iv.endogenous : [])];
          if (rhs.some((r) => r.variable === dep.variable && r.lag === dep.lag)) {
            diags.push(
              diagnostic('DEPENDENT_ON_RIGHT', formulaAt(rhsOffset(written, dep.variable)), {
                model: id,
                name: dep.variable,
              }),
            );
            return null;
          }
          return f;
        } catch (err) {
          if (err instanceof ExprSyntaxError) {
            diags.push(diagnostic('FORMULA_SYNTAX', formulaAt(err.offset), { detail: err.message }));
            return null;
          }
          throw err;
        }
      },
      vcov: () => parseVcov(m['vcov'], m['ssc'] as SmallSampleSpec | undefined, w.key('vcov')),
    };
    const fields = module.normalize(m, ctx);
    // A module may hand the model to another registered kind (an `ols` formula with an IV part is an `iv` model).
    return fields
      ? { ...base, ...fields, estimator: opts.estimators.find(fields.estimator) ? fields.estimator : module.kind }
      : null;
  }

  /** The columns of a grid slice: the models of `c.grid` whose choices match `c.where`, headed by what varies. */
  function gridSlice(c: GridSliceColumn, path: YamlPath): TableColumn[] {
    if (needsValues.size > 0) return []; // split values pending: the second normalization resolves the slice
    const ids = expansions.get(c.grid);
    if (!ids) {
      if (!pending(c.grid))
        diags.push(
          diagnostic('UNKNOWN_MODEL', at([...path, 'grid']), {
            name: c.grid,
            suggestion: suggest(c.grid, [...expansions.keys()], 'grid'),
          }),
        );
      return [];
    }
    const chosen = ids.map((mid) => models.find((m) => m.id === mid)!).filter(Boolean);
    let keep = chosen;
    for (const [dim, want] of Object.entries(isPlainObject(c.where) ? c.where : {})) {
      const wanted = (Array.isArray(want) ? want : [want]).map(String);
      const seen = [...new Set(chosen.map((m) => m.choices?.[dim]).filter((x): x is string => x !== undefined))];
      if (seen.length === 0) {
        const dims = [...new Set(chosen.flatMap((m) => Object.keys(m.choices ?? {})))];
        diags.push(
          diagnostic('GRID_UNKNOWN_CHOICE', loaded.locateKey([...path, 'where', dim]), {
            key: 'where',
            what: 'dimension',
            name: dim,
            known: dims.join(', '),
          }),
        );
        return [];
      }
      for (const x of wanted) {
        if (!seen.includes(x)) {
          diags.push(
            diagnostic('GRID_UNKNOWN_CHOICE', at([...path, 'where', dim]), {
              key: 'where',
              what: `alternative of ${dim}`,
              name: x,
              known: seen.join(', '),
            }),
          );
          return [];
        }
      }
      keep = keep.filter((m) => wanted.includes(m.choices?.[dim] ?? ''));
    }
    if (keep.length === 0) {
      diags.push(
        diagnostic('SPEC_CONFLICT', at(path), {
          detail: `the slice of ${c.grid} selects no model`,
          hint: 'an exclude rule of the grid may remove every combination the slice asks for',
        }),
      );
      return [];
    }
    // head each column by the choices that vary within the slice
    const dims = [...new Set(keep.flatMap((m) => Object.keys(m.choices ?? {})))];
    const varying = dims.filter((d) => new Set(keep.map((m) => m.choices?.[d])).size > 1);
    return keep.map((m) =>
      varying.length
        ? {
            model: m.id,
            label: varying
              .map((d) => m.choices?.[d] ?? '')
              .filter((x) => x !== '')
              .join(', '),
          }
        : { model: m.id },
    );
  }

  function parseVcov(v: unknown, ssc: SmallSampleSpec | undefined, path: YamlPath): VcovPlan | null {
    const s = (typeof v === 'string' ? v : DEFAULT_VCOV).replace(/\s+/g, '');
    const full = { ...DEFAULT_SSC, ...(ssc ?? {}) };
    if (s === 'iid' || s === 'hc1') return { type: s, cluster: [], ssc: full };
    const m = /^cluster\(([^)]+)\)$/.exec(s);
    if (m) return { type: 'cluster', cluster: m[1]!.split(','), ssc: full };
    diags.push(
      diagnostic('SCHEMA_ENUM', at(path), {
        path: path.join('.'),
        allowed: 'iid, hc1, cluster(var), cluster(var1, var2)',
      }),
    );
    return null;
  }
}

/** `-1`, `-(2)`: a lag written as a negative literal (a lead in disguise). */
function isNegativeLiteral(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.kind === 'num') return e.value < 0;
  return e.kind === 'unary' && e.op === '-' && e.arg.kind === 'num' && e.arg.value > 0;
}

/** The languages of every per-language text of the spec (titles, labels, notes, column and group headers). */
function languagesOf(spec: Spec): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (
      isPlainObject(v) &&
      Object.keys(v).length > 0 &&
      Object.values(v).every((x) => typeof x === 'string') &&
      Object.keys(v).every((k) => /^[a-z]{2}(-[A-Za-z]+)?$/.test(k))
    ) {
      for (const k of Object.keys(v)) out.add(k);
    }
  };
  visit(spec.title);
  for (const l of Object.values(spec.labels ?? {})) visit(l);
  for (const t of Object.values(spec.tables ?? {})) {
    if (!t) continue;
    visit(t.title);
    for (const n of Array.isArray(t.notes) ? t.notes : [t.notes]) visit(n);
    for (const l of Object.values(t.labels ?? {})) visit(l);
    for (const c of t.columns ?? []) if (typeof c === 'object' && c && 'label' in c) visit(c.label);
    for (const g of t.groups ?? []) visit(g?.label);
  }
  return out;
}

function defaultLang(spec: Spec): string {
  const texts: unknown[] = [spec.title, ...Object.values(spec.tables ?? {}).map((t) => t?.title)];
  for (const t of texts) {
    if (isPlainObject(t)) return 'zh' in t ? 'zh' : (Object.keys(t)[0] ?? 'en');
    if (typeof t === 'string' && /[\u4e00-\u9fff]/.test(t)) return 'zh';
  }
  return 'en';
}

/** Where a (possibly expanded) model is written: its mapping, each key's path, and offsets of filled-in texts. */
interface Where {
  readonly model: YamlPath;
  key(k: string): YamlPath;
  /** Offset in the text as written of offset `o` of key `k`'s value as normalized (a grid fills placeholders). */
  origin(k: string, o: number): number;
}

function plainWhere(path: YamlPath): Where {
  return { model: path, key: (k) => [...path, k], origin: (_k, o) => o };
}

export function specDir(file: string): string {
  return dirname(file);
}

/** Offset of `name` as a whole word on the right-hand side of a formula (0 when not found). */
function rhsOffset(formula: string, name: string): number {
  const tilde = formula.indexOf('~');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![\\p{L}\\p{N}_.(])${escaped}(?![\\p{L}\\p{N}_.(,])`, 'gu');
  re.lastIndex = tilde + 1;
  const m = re.exec(formula);
  return m ? m.index : 0;
}
