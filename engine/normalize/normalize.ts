/**
 * Stage 3 — normalize: turn the merged user spec into one explicit Plan. Shorthands are expanded, defaults filled,
 * formulas and expressions parsed (syntax errors reported at their YAML position), samples and models resolved by
 * name, derived variables put in dependency order (cycles reported).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { diagnostic, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.js';
import type { LoadedSpec, YamlPath } from '../load/load-spec.js';
import { isPlainObject } from '../load/merge.js';
import { canonical, referencedNames } from '../expr/ast.js';
import { FUNCTIONS } from '../expr/evaluate.js';
import { ExprSyntaxError, ExprTooDeepError, parseExpr } from '../expr/parse.js';
import { isPlainTerm, parseFormula, type ParsedFormula } from '../expr/formula.js';
import type { Expr } from '../expr/ast.js';
import type { DataSpec, LocalizedText, Spec, TableSpec, VariableSpec } from '../spec/types.js';
import type { SmallSampleSpec } from '../estimate/ols/spec.js';
import { transformInputs, transformKindOf } from '../transforms/inputs.js';
import { suggest } from '../validate/suggest.js';
import type {
  GmmPlan, IvPlan, MediationPlan, ModelPlan, OlsPlan, WildPlan, Plan, RankSizePlan, SamplePlan, TablePlan, VariablePlan, VcovPlan,
} from './plan.js';

export interface NormalizeResult {
  readonly plan: Plan | null;
  readonly diagnostics: Diagnostic[];
}

export const DEFAULT_SSC = { adj: true, fixef_k: 'nested', cluster_adj: true } as const;

export function normalize(loaded: LoadedSpec, opts: { lang?: string } = {}): NormalizeResult {
  const spec = loaded.value as Spec;
  const diags: Diagnostic[] = [];
  const at = (path: YamlPath) => loaded.locate(path);

  /** Parse an expression written at `path`, reporting a syntax error at the character it concerns. */
  const parseAt = (src: string, path: YamlPath): Expr | null => {
    try {
      const e = parseExpr(src);
      checkCalls(e, path);
      return e;
    } catch (err) {
      if (err instanceof ExprSyntaxError) {
        diags.push(diagnostic(err instanceof ExprTooDeepError ? 'EXPR_TOO_DEEP' : 'EXPR_SYNTAX', offsetPosition(loaded, path, err.offset), { detail: err.message }));
        return null;
      }
      throw err;
    }
  };
  const checkCalls = (e: Expr, path: YamlPath): void => {
    if (e.kind === 'call') {
      const f = FUNCTIONS[e.name];
      if (!f) diags.push(diagnostic('EXPR_UNKNOWN_FUNCTION', offsetPosition(loaded, path, e.pos), { name: e.name, known: Object.keys(FUNCTIONS).join(', ') }));
      else if ((e.name === 'lag' || e.name === 'lead' || e.name === 'diff') && isNegativeLiteral(e.args[1])) {
        diags.push(diagnostic('LAG_NEGATIVE', offsetPosition(loaded, path, e.pos), {
          name: e.name, k: canonical(e.args[1]!).replace(/[()]/g, ''), other: e.name === 'lead' ? 'lag' : 'lead',
        }));
      } else if (e.args.length < f.min || e.args.length > f.max) {
        diags.push(diagnostic('EXPR_ARITY', offsetPosition(loaded, path, e.pos), {
          name: e.name, expected: f.min === f.max ? f.min : `${f.min}–${f.max}`, got: e.args.length,
        }));
      }
      for (const a of e.args) checkCalls(a, path);
    } else if (e.kind === 'unary') checkCalls(e.arg, path);
    else if (e.kind === 'binary') { checkCalls(e.left, path); checkCalls(e.right, path); }
  };

  // data
  const data = spec.data as DataSpec | undefined;
  if (!data || typeof data.source !== 'string') {
    diags.push(diagnostic('SCHEMA_REQUIRED', at(data ? ['data'] : []), { key: data ? 'source' : 'data' }));
  }

  // variables, in dependency order
  const rawVars = isPlainObject(spec.variables) ? spec.variables : {};
  const varDeps = new Map<string, { spec: VariableSpec; deps: string[]; source: SourcePosition }>();
  for (const [name, v] of Object.entries(rawVars)) {
    const path = ['variables', name];
    let deps: string[] = [];
    if (typeof v === 'string' || (isPlainObject(v) && typeof (v as { expr?: unknown }).expr === 'string')) {
      const src = typeof v === 'string' ? v : (v as { expr: string }).expr;
      const e = parseAt(src, typeof v === 'string' ? path : [...path, 'expr']);
      if (e) deps = [...referencedNames(e)];
    } else if (isPlainObject(v)) {
      const kind = transformKindOf(v);
      if (kind) deps = transformInputs(kind, (v as Record<string, unknown>)[kind]);
    }
    varDeps.set(name, { spec: v as VariableSpec, deps, source: at(path) });
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
    variables.push({ name, spec: v.spec, dependsOn: v.deps.filter((d) => d !== name), source: v.source });
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

  // models
  const models: ModelPlan[] = [];
  const rawModels = isPlainObject(spec.models) ? spec.models : {};
  for (const [id, m] of Object.entries(rawModels)) {
    if (!isPlainObject(m)) continue;
    const path = ['models', id];
    const est = (m['estimator'] as string | undefined) ?? 'ols';
    const base = {
      id,
      label: (m['label'] as LocalizedText | undefined) ?? null,
      sample: resolveSample(m['sample'], [...path, 'sample']),
      source: at(path),
    };
    const formula = (): ReturnType<typeof parseFormula> | null => {
      try {
        return parseFormula(String(m['formula'] ?? ''));
      } catch (err) {
        if (err instanceof ExprSyntaxError) {
          diags.push(diagnostic('FORMULA_SYNTAX', offsetPosition(loaded, [...path, 'formula'], err.offset), { detail: err.message }));
          return null;
        }
        throw err;
      }
    };
    if (est === 'ols' || est === 'iv') {
      const f = formula();
      const vcov = parseVcov(m['vcov'], m['ssc'] as SmallSampleSpec | undefined, [...path, 'vcov']);
      if (!f || !vcov) continue;
      const fpath = [...path, 'formula'];
      const weights = typeof m['weights'] === 'string' ? m['weights'] : null;
      const singletons: 'drop' | 'keep' = m['singletons'] === 'keep' ? 'keep' : 'drop';
      // weights, singletons and wild are left out at their defaults, so that the plans (and hashes) of specs that
      // do not use them are what they were before these keys existed
      const common = {
        ...base, dependent: f.dependent, regressors: f.regressors, fixedEffects: f.fixedEffects,
        intercept: f.fixedEffects.length === 0, vcov,
        ...(weights ? { weights } : {}), ...(singletons === 'keep' ? { singletons } : {}),
      } as const;
      if (f.iv) {
        if (!checkIv(f, fpath)) continue;
        if (isPlainObject(m['inference'])) {
          diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'inference']), { detail: 'the wild bootstrap is implemented for OLS models, not IV', hint: 'remove inference: from this model, or estimate the reduced form by OLS' }));
          continue;
        }
        const plan: IvPlan = { ...common, estimator: 'iv', endogenous: f.iv.endogenous, instruments: f.iv.instruments };
        models.push(plan);
        continue;
      }
      if (est === 'iv') {
        diags.push(diagnostic('SPEC_CONFLICT', at(fpath), { detail: 'estimator iv needs an IV part in the formula', hint: 'write `y ~ exog | fe | endog ~ instruments` (or `y ~ exog | endog ~ instruments` without fixed effects)' }));
        continue;
      }
      const wild = parseWild(m['inference'], [...path, 'inference'], vcov);
      if (wild === undefined) continue;
      const plan: OlsPlan = { ...common, estimator: 'ols', constant: m['constant'] === true && f.fixedEffects.length > 0, ...(wild ? { wild } : {}) };
      models.push(plan);
    } else if (est === 'sysgmm' || est === 'diffgmm') {
      const f = formula();
      const g = (m['gmm'] ?? {}) as Record<string, unknown>;
      if (!f) continue;
      if (f.iv || !f.regressors.every(isPlainTerm)) {
        diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'formula']), { detail: 'GMM formulas take columns and lags only (no IV part, x:z, i() or sunab())', hint: 'define the interaction as a derived variable; instruments go under gmm:' }));
        continue;
      }
      if (f.fixedEffects.length > 0) {
        diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'formula']), { detail: 'GMM formulas take no fixed effects after |', hint: 'unit effects are differenced out; time effects come from gmm.effect: twoways' }));
        continue;
      }
      const instruments = Object.entries(isPlainObject(g['instruments']) ? g['instruments'] as Record<string, [number, number]> : {})
        .map(([variable, r]) => ({ variable, from: Array.isArray(r) ? Number(r[0]) : 2, to: Array.isArray(r) ? Number(r[1]) : 99 }));
      const iv = Array.isArray(g['iv']) ? (g['iv'] as string[]) : [];
      for (const v of iv) {
        if (instruments.some((i) => i.variable === v)) {
          diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'gmm', 'iv']), { detail: `${v} is both a GMM-style and an IV-style instrument`, hint: 'list it under gmm.instruments or gmm.iv, not both' }));
        }
      }
      for (const i of instruments) {
        if (i.from > i.to || i.from < 0) {
          diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'gmm', 'instruments', i.variable]), { detail: `lag range [${i.from}, ${i.to}] of ${i.variable} is empty or negative`, hint: 'write [first lag, last lag], e.g. [2, 99]' }));
        }
      }
      if (est === 'diffgmm' && g['constant'] === true) {
        diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'gmm', 'constant']), { detail: 'difference GMM has no constant: first differences remove it', hint: 'drop gmm.constant, or use estimator: sysgmm' }));
      }
      const plan: GmmPlan = {
        ...base, estimator: est, dependent: f.dependent.variable, instruments, iv,
        steps: (g['steps'] as 1 | 2 | undefined) ?? 2, collapse: Boolean(g['collapse'] ?? false),
        effect: (g['effect'] as 'twoways' | 'individual' | undefined) ?? 'twoways',
        regressors: f.regressors.filter(isPlainTerm),
        constant: g['constant'] !== false,
        transform: (g['transform'] as 'fd' | 'fod' | undefined) ?? 'fd',
        small: g['small'] === true,
        levelsLag: (g['levels_lag'] as 'xtabond2' | 'plm' | undefined) ?? 'xtabond2',
      };
      models.push(plan);
    } else if (est === 'mediation') {
      const vcov = parseVcov(m['vcov'], m['ssc'] as SmallSampleSpec | undefined, [...path, 'vcov']);
      if (!vcov) continue;
      if (m['treatment'] === m['mediator']) {
        diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'mediator']), { detail: `the mediator ${String(m['mediator'])} is the treatment itself`, hint: 'a mediator must be a different variable from the treatment' }));
        continue;
      }
      const b = m['bootstrap'] as { reps?: number; seed?: number; level?: number } | undefined;
      const plan: MediationPlan = {
        ...base, estimator: 'mediation', treatment: String(m['treatment']), mediator: String(m['mediator']),
        outcome: String(m['outcome']), controls: (m['controls'] as string[] | undefined) ?? [],
        fixedEffects: (m['fixed_effects'] as string[] | undefined) ?? [], vcov,
        bootstrap: b ? { reps: b.reps ?? 1000, seed: b.seed ?? 1, level: b.level ?? 0.95 } : null,
      };
      models.push(plan);
    } else if (est === 'ranksize') {
      const plan: RankSizePlan = {
        ...base, estimator: 'ranksize', size: String(m['size']), group: String(m['group']),
        threshold: (m['threshold'] as number | undefined) ?? 0.5,
      };
      models.push(plan);
    }
  }

  // tables
  const tables: TablePlan[] = [];
  const rawTables = isPlainObject(spec.tables) ? spec.tables : {};
  const modelIds = new Set(models.map((m) => m.id));
  const allModelKeys = Object.keys(rawModels);
  for (const [id, t] of Object.entries(rawTables)) {
    if (!isPlainObject(t)) continue;
    const ts = t as unknown as TableSpec;
    const cols = Array.isArray(ts.columns) ? ts.columns : [];
    const ids: string[] = [];
    cols.forEach((c, i) => {
      const mid = typeof c === 'string' ? c : c?.model;
      if (typeof mid !== 'string') return;
      if (!allModelKeys.includes(mid)) {
        diags.push(diagnostic('UNKNOWN_MODEL', at(['tables', id, 'columns', i]), { name: mid, suggestion: suggest(mid, allModelKeys, 'model') }));
      } else if (modelIds.has(mid)) {
        ids.push(mid);
        if (typeof c === 'object' && c && c.stage === 'first') {
          const mp = models.find((x) => x.id === mid)!;
          const endo = mp.estimator === 'iv' ? mp.endogenous.map((t) => t.name) : [];
          if (mp.estimator !== 'iv') {
            diags.push(diagnostic('SPEC_CONFLICT', at(['tables', id, 'columns', i, 'stage']), { detail: `model ${mid} is not an IV model, so it has no first stage`, hint: 'stage: first applies to models with an IV part (endog ~ instruments)' }));
          } else if (c.endogenous !== undefined && !endo.includes(c.endogenous)) {
            diags.push(diagnostic('SPEC_CONFLICT', at(['tables', id, 'columns', i, 'endogenous']), { detail: `${c.endogenous} is not an endogenous variable of ${mid}`, hint: `endogenous variables: ${endo.join(', ')}` }));
          }
        }
      }
    });
    const baseDir = loaded.baseDirOf(['tables', id]);
    for (const fmt of ['latex', 'markdown'] as const) {
      const tpl = ts.template?.[fmt];
      if (typeof tpl === 'string' && !existsSync(resolve(baseDir, tpl))) {
        diags.push(diagnostic('UNKNOWN_TEMPLATE', at(['tables', id, 'template', fmt]), { file: tpl, reason: 'no such file' }));
      }
    }
    const first = models.find((m) => m.id === ids[0]);
    const layout = ts.layout ?? (first?.estimator === 'mediation' ? 'mediation' : first?.estimator === 'ranksize' ? 'grid' : 'regression');
    const labels = { ...(isPlainObject(spec.labels) ? spec.labels : {}), ...(ts.labels ?? {}) };
    // A model's own `label:` heads its column where the table gives none (regression layout: one column per model).
    const columns = layout !== 'regression' ? ts.columns : cols.map((c) => {
      const label = typeof c === 'string' ? models.find((m) => m.id === c)?.label : null;
      return typeof c === 'string' && label !== null && label !== undefined ? { model: c, label } : c;
    });
    tables.push({ id, spec: { ...ts, labels, columns }, models: ids, layout, source: at(['tables', id]), baseDir });
  }

  const lang = opts.lang ?? spec.lang ?? defaultLang(spec);
  const available = languagesOf(spec);
  if (available.size > 0 && !available.has(lang)) {
    diags.push(diagnostic('LANG_NOT_AVAILABLE', at(opts.lang ? [] : ['lang']), { lang, available: [...available].sort().join(', ') }));
  }
  if (diags.some((d) => d.severity === 'error') || !data) return { plan: null, diagnostics: diags };
  const plan: Plan = {
    file: loaded.file,
    title: spec.title ?? null,
    lang,
    data: { ...data, baseDir: loaded.baseDirOf(['data', 'source']) },
    variables,
    samples,
    models,
    tables,
    expectWarnings: spec.expect_warnings ?? [],
  };
  return { plan, diagnostics: diags };

  /** IV identification checks that need no data: every endogenous variable has an instrument of its own. */
  function checkIv(f: ParsedFormula, fpath: YamlPath): boolean {
    const iv = f.iv!;
    const rhs = new Set(f.regressors.map((t) => t.name));
    const endo = new Set(iv.endogenous.map((t) => t.name));
    let ok = true;
    for (const z of iv.instruments) {
      if (rhs.has(z.name) || endo.has(z.name) || z.name === f.dependent.name) {
        const role = rhs.has(z.name) ? 'an exogenous regressor' : endo.has(z.name) ? 'an endogenous regressor' : 'the dependent variable';
        diags.push(diagnostic('IV_INSTRUMENT_IS_REGRESSOR', at(fpath), { name: z.name, role }));
        ok = false;
      }
    }
    for (const x of iv.endogenous) {
      if (x.name === f.dependent.name) {
        diags.push(diagnostic('SPEC_CONFLICT', at(fpath), { detail: `the dependent variable ${x.name} is also listed as endogenous`, hint: 'the IV part names the endogenous regressors: `endog ~ instruments`' }));
        ok = false;
      }
    }
    if (iv.instruments.length < iv.endogenous.length) {
      diags.push(diagnostic('IV_UNDERIDENTIFIED', at(fpath), { k: iv.endogenous.length, l: iv.instruments.length }));
      ok = false;
    }
    if (f.regressors.some((t) => t.kind === 'sunab')) {
      diags.push(diagnostic('SPEC_CONFLICT', at(fpath), { detail: 'sunab() is available in OLS models only', hint: 'estimate the event study by OLS' }));
      ok = false;
    }
    return ok;
  }

  /** `inference: { wild: … }` → a WildPlan (null: none; undefined: an error was reported). */
  function parseWild(v: unknown, path: YamlPath, vcov: VcovPlan): WildPlan | null | undefined {
    if (!isPlainObject(v) || !isPlainObject(v['wild'])) return null;
    const w = v['wild'] as Record<string, unknown>;
    if (vcov.type !== 'cluster' || vcov.cluster.length !== 1) {
      diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'wild']), { detail: 'the wild cluster bootstrap needs one cluster variable', hint: 'set vcov: cluster(g) on this model' }));
      return undefined;
    }
    const reps = typeof w['reps'] === 'number' ? w['reps'] : 999;
    if (!Number.isInteger(reps) || reps < 1) {
      diags.push(diagnostic('SPEC_CONFLICT', at([...path, 'wild', 'reps']), { detail: 'reps must be a whole number ≥ 1', hint: 'e.g. reps: 999' }));
      return undefined;
    }
    const level = typeof w['level'] === 'number' ? w['level'] : 0.95;
    return {
      reps, level, seed: typeof w['seed'] === 'number' ? w['seed'] : 1,
      weights: w['weights'] === 'webb' ? 'webb' : 'rademacher',
      terms: Array.isArray(w['terms']) ? (w['terms'] as unknown[]).map(String) : [],
    };
  }

  function parseVcov(v: unknown, ssc: SmallSampleSpec | undefined, path: YamlPath): VcovPlan | null {
    const s = (typeof v === 'string' ? v : 'iid').replace(/\s+/g, '');
    const full = { ...DEFAULT_SSC, ...(ssc ?? {}) };
    if (s === 'iid' || s === 'hc1') return { type: s, cluster: [], ssc: full };
    const m = /^cluster\(([^)]+)\)$/.exec(s);
    if (m) return { type: 'cluster', cluster: m[1]!.split(','), ssc: full };
    diags.push(diagnostic('SCHEMA_ENUM', at(path), { path: path.join('.'), allowed: 'iid, hc1, cluster(var), cluster(var1, var2)' }));
    return null;
  }
}

/** `-1`, `-(2)`: a lag written as a negative literal (a lead in disguise). */
function isNegativeLiteral(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.kind === 'num') return e.value < 0;
  return e.kind === 'unary' && e.op === '-' && e.arg.kind === 'num' && e.arg.value > 0;
}

/** Position of character `offset` inside the scalar at `path` (best effort for plain and quoted one-line scalars). */
export function offsetPosition(loaded: LoadedSpec, path: YamlPath, offset: number): SourcePosition {
  const pos = loaded.locate(path);
  if (pos.line === 0) return pos;
  const layer = loaded.layers.find((l) => l.file === pos.file);
  const lineText = layer?.text.split('\n')[pos.line - 1] ?? '';
  const quoted = lineText[pos.col - 1] === '"' || lineText[pos.col - 1] === "'";
  return { ...pos, col: pos.col + offset + (quoted ? 1 : 0) };
}

/** The languages of every per-language text of the spec (titles, labels, notes, column and group headers). */
function languagesOf(spec: Spec): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (isPlainObject(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'string') &&
        Object.keys(v).every((k) => /^[a-z]{2}(-[A-Za-z]+)?$/.test(k))) {
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
    for (const c of t.columns ?? []) if (typeof c === 'object' && c) visit(c.label);
    for (const g of t.groups ?? []) visit(g?.label);
  }
  return out;
}

function defaultLang(spec: Spec): string {
  const texts: unknown[] = [spec.title, ...Object.values(spec.tables ?? {}).map((t) => t?.title)];
  for (const t of texts) {
    if (isPlainObject(t)) return 'zh' in t ? 'zh' : Object.keys(t)[0] ?? 'en';
    if (typeof t === 'string' && /[\u4e00-\u9fff]/.test(t)) return 'zh';
  }
  return 'en';
}

export function specDir(file: string): string {
  return dirname(file);
}
