/**
 * Normalized fingerprints: for each model of a Plan, a content hash of everything that determines its result, and
 * the named parts it is made of (so that `specrun diff` can say *which* check changed).
 *
 * What counts: the model plan without its id, label and source position (formula terms, the sample's expression,
 * fixed effects, vcov with its small-sample settings, estimator options); the definition of every derived variable the
 * model reads, transitively through `VariablePlan.dependsOn`, as canonical expression text (spacing and redundant
 * parentheses do not count); the data spec (reading options, rename, scale, unit aliases, fixes, unit, time) with the
 * data file's SHA-256; and the engine version. What does not count: formatting, key order, comments, where in an
 * `extends` chain a key was written (the plan is built from the merged value), labels, tables and unused variables.
 *
 * The data file is identified by its bytes, not its path: moving `data.source` into a base file that writes the same
 * file under another relative path changes nothing.
 */
import { extname } from 'node:path';
import { canonical, referencedNames } from '../expr/ast.js';
import { parseExpr } from '../expr/parse.js';
import { isPlainObject } from '../load/merge.js';
import type { ModelPlan, Plan, VariablePlan } from '../normalize/plan.js';
import type { Estimator } from '../estimate/types.js';

/** The part of the estimator registry fingerprints use. */
export interface ModuleOf {
  of<P extends ModelPlan>(plan: P): Estimator<P>;
}
import { canonicalJson } from '../core/canonical-json.js';
import { sha256 } from '../core/hashing.js';
import type { VariableSpec } from '../spec/types.js';
import type { NormalizedDataSpec, NormalizedTableSource } from '../normalize/data-defaults.js';

/** The parts of a model's fingerprint, each one a named check of `specrun diff`. */
export interface FingerprintParts {
  readonly estimator: string;
  /** What the model regresses on what: terms of the formula (or treatment/mediator/outcome/controls, size/group). */
  readonly formula: unknown;
  /** Canonical text of the sample expression, or null for the full sample. */
  readonly sample: string | null;
  readonly fixed_effects: readonly string[];
  /** vcov type, cluster variables and small-sample correction; null for estimators without a vcov choice. */
  readonly vcov: unknown;
  /** Everything else the estimator reads (GMM instruments and steps, bootstrap settings, thresholds). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Every derived variable the model reads, transitively: name → canonical definition. */
  readonly variables: Readonly<Record<string, string>>;
  /** The data spec as it affects values (no paths: the file is identified by `checksum`). */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ModelFingerprint {
  readonly id: string;
  /** SHA-256 of the parts, the data checksum and the engine version. */
  readonly hash: string;
  readonly parts: FingerprintParts;
}

export const CHECK_NAMES = [
  'estimator',
  'formula',
  'sample',
  'fixed_effects',
  'vcov',
  'options',
  'variables',
  'data',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/**
 * Fingerprints of every model of `plan`, by model id. `dataChecksum` is the SHA-256 of the data file's bytes (null
 * when unknown, e.g. a diff of a revision whose data file cannot be read); `engine` the engine version string.
 */
export function modelFingerprints(
  plan: Plan,
  dataChecksum: string | null,
  engine: string,
  estimators: ModuleOf,
): Map<string, ModelFingerprint> {
  const vars = new Map(plan.variables.map((v) => [v.name, v]));
  const data = dataParts(plan.data, dataChecksum);
  const out = new Map<string, ModelFingerprint>();
  const definitions = new Map<string, string>(); // each variable's canonical definition, computed once per plan
  for (const m of plan.models) {
    const parts = modelParts(estimators.of(m), m, vars, data, plan, definitions);
    // The id counts too: estimators may name the model in what they return, so a renamed model is estimated again.
    out.set(m.id, { id: m.id, parts, hash: sha256(canonicalJson({ id: m.id, parts, engine })) });
  }
  return out;
}

/**
 * Fingerprints of the fits of the models whose module fits without its variance choice (`fitWithoutVcov`), by model
 * id: the hash of the model with its vcov and ssc made neutral by the module, so that two plans differing only there
 * share one fit (the result cache keeps fits under these, engine/run/estimate-model.ts). Models of other modules
 * have none.
 */
export function fitFingerprints(
  plan: Plan,
  dataChecksum: string | null,
  engine: string,
  estimators: ModuleOf,
): Map<string, string> {
  const out = new Map<string, string>();
  const neutral: ModelPlan[] = [];
  for (const m of plan.models) {
    const w = estimators.of(m).fitWithoutVcov;
    if (w) neutral.push(w.plan(m));
  }
  if (neutral.length === 0) return out;
  for (const [id, fp] of modelFingerprints({ ...plan, models: neutral }, dataChecksum, engine, estimators))
    out.set(id, fp.hash);
  return out;
}

/**
 * The normalized hash of a whole spec, for provenance: every model's fingerprint parts (without the data checksum,
 * which provenance carries on its own) and label, every derived variable, the data spec, the tables and the title and
 * language. Reformatting a spec, reordering its keys or moving keys between a base and an override leaves it
 * unchanged, so reformatting a spec does not change the provenance line of its tables.
 */
export function specFingerprint(plan: Plan, estimators: ModuleOf): string {
  const models: Record<string, unknown> = {};
  // A model's parts do not depend on the other models of the plan: one pass gives each model's.
  const fingerprints = modelFingerprints(plan, null, '', estimators);
  for (const m of plan.models) models[m.id] = { parts: fingerprints.get(m.id)!.parts, label: m.label };
  const variables: Record<string, string> = {};
  for (const v of plan.variables) variables[v.name] = variableDefinition(v.written);
  // Samples count through the models that use them (by expression, not by name); the order of keys does not count.
  const tables: Record<string, unknown> = {};
  for (const t of plan.tables) tables[t.id] = { spec: t.resolved, models: t.models, layout: t.layout };
  return sha256(
    canonicalJson({ models, variables, data: dataParts(plan.data, null), tables, title: plan.title, lang: plan.lang }),
  );
}

/** Canonical text of a derived variable's definition (labels do not count). */
export function variableDefinition(spec: VariableSpec): string {
  if (typeof spec === 'string') return canonicalExpr(spec);
  if (isPlainObject(spec) && typeof (spec as { expr?: unknown }).expr === 'string')
    return canonicalExpr((spec as { expr: string }).expr);
  if (isPlainObject(spec)) {
    const { label: _label, ...rest } = spec as Record<string, unknown>;
    return canonicalJson(rest);
  }
  return canonicalJson(spec);
}

/** Canonical text of an expression; the text itself if it does not parse (normalize has reported that already). */
export function canonicalExpr(src: string): string {
  try {
    return canonical(parseExpr(src));
  } catch {
    return src.trim();
  }
}

/** Column and variable names a model reads directly: its sample's names, then its module's inputs. */
export function modelInputs<P extends ModelPlan>(module: Estimator<P>, m: P): string[] {
  const names = new Set<string>();
  if (m.sample) {
    try {
      referencedNames(parseExpr(m.sample.expr), names);
    } catch {
      /* reported by normalize */
    }
  }
  for (const c of module.inputs(m)) names.add(c.name);
  return [...names];
}

/** The derived variables `names` read, transitively (data columns are not in the map and stop the walk). */
export function transitiveVariables(names: readonly string[], vars: ReadonlyMap<string, VariablePlan>): string[] {
  const seen = new Set<string>();
  const stack = [...names];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n) || !vars.has(n)) continue;
    seen.add(n);
    for (const d of vars.get(n)!.dependsOn) stack.push(d);
  }
  return [...seen].sort();
}

function modelParts<P extends ModelPlan>(
  module: Estimator<P>,
  m: P,
  vars: ReadonlyMap<string, VariablePlan>,
  data: Record<string, unknown>,
  plan: Plan,
  definitions: Map<string, string>,
): FingerprintParts {
  // Panel lags and GMM read the unit and time columns, which could themselves be derived variables.
  const panelIndex = [plan.data.unit, plan.data.time].filter((x): x is string => typeof x === 'string');
  const used = transitiveVariables([...modelInputs(module, m), ...panelIndex], vars);
  const variables: Record<string, string> = {};
  for (const n of used) {
    let def = definitions.get(n);
    if (def === undefined) definitions.set(n, (def = variableDefinition(vars.get(n)!.written)));
    variables[n] = def;
  }
  const sample = m.sample ? canonicalExpr(m.sample.expr) : null;
  const own = module.fingerprint(m);
  return {
    estimator: m.estimator,
    sample,
    variables,
    data,
    options: otherFields(m, module.fingerprintFields),
    formula: own.formula,
    fixed_effects: own.fixed_effects,
    vcov: own.vcov,
  };
}

/** Fields every plan has that are positions, labels or a part of their own. */
const BASE_FIELDS = new Set(['id', 'label', 'source', 'estimator', 'sample']);

/** Plan fields that are neither positions nor labels nor in another part: every estimator option, present or future. */
function otherFields(m: ModelPlan, counted: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (!BASE_FIELDS.has(k) && !counted.includes(k)) out[k] = v ?? null;
  return out;
}

/**
 * The data spec as it affects values. File sources count by content (the checksum) and format (the extension).
 * Reading options count as normalized (an option written with its default value counts as not written), except `na`
 * and `period`, which count as written (absent: null), as they always have: a spec's hash does not change.
 */
export function dataParts(d: NormalizedDataSpec, checksum: string | null): Record<string, unknown> {
  const first = Array.isArray(d.source) ? (d.source[0] ?? '') : d.source;
  const source = first.startsWith('builtin:') ? first : `file${extname(first).toLowerCase()}`;
  // Reading options of a declared table (main or joined) that change its values; paths count by content (checksum).
  const reading = (t: NormalizedTableSource) => ({
    sheet: t.sheet ?? null,
    sheets: t.sheets ?? null,
    encoding: t.encoding,
    na: t.written.na ?? null,
    skip_rows: t.skip_rows,
    header_rows: t.header_rows,
    header_separator: t.header_separator,
    period: t.written.period ?? null,
    columns: t.columns ?? null,
    drop_rows:
      t.drop_rows === undefined ? null : (Array.isArray(t.drop_rows) ? t.drop_rows : [t.drop_rows]).map(canonicalExpr),
    longer: t.longer ?? null,
    rename: t.rename ?? {},
    scale: t.scale ?? {},
  });
  return {
    source,
    checksum,
    ...reading(d),
    unit_aliases: d.unit_aliases ?? {},
    join: d.join.map((j) => ({ ...reading(j), on: j.on, relation: j.relation, how: j.how })),
    where: d.where === undefined ? null : canonicalExpr(d.where),
    // `reason` is kept in notes only; `where` counts by its canonical text.
    fixes: (d.fixes ?? []).map((f) => ({
      column: f.column ?? null,
      columns: f.columns ?? null,
      where: f.where === undefined ? null : canonicalExpr(f.where),
      multiply: f.multiply ?? null,
      set: typeof f.set === 'string' ? canonicalExpr(f.set) : (f.set ?? null),
      set_missing: f.set_missing ?? false,
      fill: f.fill ?? null,
    })),
    unit: d.unit ?? null,
    time: d.time ?? null,
  };
}
