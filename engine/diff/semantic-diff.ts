/**
 * The semantic difference of two plans: what a spec change does to the models, the data and the tables.
 *
 * Models are compared by stable id through their normalized fingerprints (fingerprint.ts), so formatting, key order,
 * comments and moves between a base and an override never show up; a model that changed is reported with named checks
 * (estimator, formula, sample, fixed_effects, vcov, options, variables — naming the derived variable — and data).
 * Labels, titles, notes and other table settings change the rendering only and are reported as such. For each table
 * the report names the columns whose cells will change, and the rows that appear or disappear.
 */
import { resolve } from 'node:path';
import { localize } from '../render/format.js';
import type { ModelPlan, Plan, ResolvedTableSpec, TablePlan, VcovPlan } from '../normalize/plan.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { LocalizedText, TableSpec } from '../spec/types.js';
import { DEFAULT_SSC } from '../spec/defaults.js';
import {
  CHECK_NAMES,
  canonicalExpr,
  modelFingerprints,
  variableDefinition,
  type CheckName,
  type FingerprintParts,
  type ModelFingerprint,
  type ModuleOf,
} from '../fingerprint/fingerprint.js';

/** One named check that differs, with a one-line description (`formula: inv ~ value → inv ~ value + capital`). */
export interface Check {
  readonly check: CheckName;
  readonly detail: string;
  /** For `variables`: the derived variable concerned. */
  readonly variable?: string;
}

export interface ModelChange {
  readonly id: string;
  /** Checks that change the model's result (empty when only the rendering changes). */
  readonly checks: readonly Check[];
  /** Changes that affect the rendering only (the model's label). */
  readonly render: readonly string[];
  /** True when only standard errors (and so t, p and stars) can change: the estimates stay. */
  readonly seOnly: boolean;
}

/** A derived variable whose definition changed (compared as canonical text, shown as written; null: not defined). */
export interface VariableChange {
  readonly name: string;
  readonly old: string | null;
  readonly new: string | null;
  /** Models (of the new plan, or the old one for a removed variable) that read it, directly or through others. */
  readonly models: readonly string[];
}

/** A named sample whose expression changed, or that was added or removed (a rename with the same expression is none). */
export interface SampleChange {
  readonly name: string;
  readonly old: string | null;
  readonly new: string | null;
  /** Models that use it by name, on either side. */
  readonly models: readonly string[];
}

export interface ColumnChange {
  /** 1-based position in the new table. */
  readonly index: number;
  readonly model: string;
  readonly header: string;
  /** `all` (estimates, SEs, stars, statistics) or `se` (SEs, t, p, stars and vcov-dependent statistics). */
  readonly cells: 'all' | 'se';
  readonly because: readonly CheckName[];
}

export interface TableChange {
  readonly id: string;
  readonly status: 'added' | 'removed' | 'changed';
  /** Columns whose cells change because their model's result changes. */
  readonly columns: readonly ColumnChange[];
  /** Columns added, removed or moved (`column 3 twoway_late removed`). */
  readonly layout: readonly string[];
  readonly rowsAdded: readonly string[];
  readonly rowsRemoved: readonly string[];
  /** Settings that change the rendering only (labels, title, notes, stats rows, stars, digits...). */
  readonly render: readonly string[];
}

export interface SpecDiff {
  readonly models: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    /** Models whose result changes. */
    readonly changed: readonly ModelChange[];
    /** Models whose result stays but whose rendering changes. */
    readonly renderOnly: readonly ModelChange[];
    readonly unchanged: readonly string[];
  };
  readonly data: readonly string[];
  readonly variables: readonly VariableChange[];
  readonly samples: readonly SampleChange[];
  readonly tables: readonly TableChange[];
  /** Spec-level rendering changes (title, lang). */
  readonly render: readonly string[];
  /** Caveats (a data file that could not be read, so its content was not compared). */
  readonly notes: readonly string[];
}

export interface DiffInput {
  readonly plan: Plan;
  /** SHA-256 of the data file's bytes, or null when it cannot be read. */
  readonly dataChecksum: string | null;
}

export function hasChanges(d: SpecDiff): boolean {
  return (
    d.models.added.length +
      d.models.removed.length +
      d.models.changed.length +
      d.models.renderOnly.length +
      d.data.length +
      d.variables.length +
      d.samples.length +
      d.tables.length +
      d.render.length >
    0
  );
}

const ENGINE = 'diff';

export function diffPlans(oldSide: DiffInput, newSide: DiffInput, estimators: ModuleOf): SpecDiff {
  const notes: string[] = [];
  // Content can be compared only when both files were read; otherwise leave it out of both sides.
  let oldSum = oldSide.dataChecksum;
  let newSum = newSide.dataChecksum;
  if (oldSum === null || newSum === null) {
    if (oldSum !== newSum)
      notes.push(
        `the data file of the ${oldSum === null ? 'old' : 'new'} side could not be read: its content was not compared`,
      );
    oldSum = newSum = null;
  }
  const oldFp = modelFingerprints(oldSide.plan, oldSum, ENGINE, estimators);
  const newFp = modelFingerprints(newSide.plan, newSum, ENGINE, estimators);
  const oldModels = new Map(oldSide.plan.models.map((m) => [m.id, m]));
  const newModels = new Map(newSide.plan.models.map((m) => [m.id, m]));

  const added = [...newModels.keys()].filter((id) => !oldModels.has(id));
  const removed = [...oldModels.keys()].filter((id) => !newModels.has(id));
  const changed: ModelChange[] = [];
  const renderOnly: ModelChange[] = [];
  const unchanged: string[] = [];
  for (const [id, nm] of newModels) {
    const om = oldModels.get(id);
    if (!om) continue;
    const o = oldFp.get(id)!;
    const n = newFp.get(id)!;
    const checks = o.hash === n.hash ? [] : compareParts(o, n, oldSide.plan, newSide.plan);
    const render: string[] = [];
    if (canonicalJson(om.label) !== canonicalJson(nm.label))
      render.push(`label: ${text(om.label, oldSide.plan.lang)} → ${text(nm.label, newSide.plan.lang)}`);
    const seOnly = checks.length > 0 && checks.every((c) => c.check === 'vcov') && estimators.of(nm).varianceOnlyVcov;
    const change = { id, checks, render, seOnly };
    if (checks.length > 0) changed.push(change);
    else if (render.length > 0) renderOnly.push(change);
    else unchanged.push(id);
  }

  const resultChanged = new Map(changed.map((c) => [c.id, c]));
  return {
    models: { added, removed, changed, renderOnly, unchanged },
    data: dataChanges(oldSide, newSide),
    variables: variableChanges(oldSide.plan, newSide.plan, oldFp, newFp),
    samples: sampleChanges(oldSide.plan, newSide.plan),
    tables: tableChanges(oldSide.plan, newSide.plan, resultChanged, estimators),
    render: planRenderChanges(oldSide.plan, newSide.plan),
    notes,
  };
}

function compareParts(o: ModelFingerprint, n: ModelFingerprint, oldPlan: Plan, newPlan: Plan): Check[] {
  const out: Check[] = [];
  for (const name of CHECK_NAMES) {
    const a = o.parts[name];
    const b = n.parts[name];
    if (canonicalJson(a) === canonicalJson(b)) continue;
    switch (name) {
      case 'variables': {
        const va = a as FingerprintParts['variables'];
        const vb = b as FingerprintParts['variables'];
        for (const v of [...new Set([...Object.keys(va), ...Object.keys(vb)])].sort()) {
          const x = va[v];
          const y = vb[v];
          if (x === y) continue;
          const xs = shownDefinition(oldPlan, v);
          const ys = shownDefinition(newPlan, v);
          if (x === undefined)
            out.push({ check: 'variables', variable: v, detail: `now reads derived variable ${v} = ${ys}` });
          else if (y === undefined)
            out.push({ check: 'variables', variable: v, detail: `no longer reads derived variable ${v} (was ${xs})` });
          else out.push({ check: 'variables', variable: v, detail: `derived variable ${v}: ${xs} → ${ys}` });
        }
        break;
      }
      case 'data':
        out.push({
          check: 'data',
          detail: `data: ${dataFieldChanges(a as Record<string, unknown>, b as Record<string, unknown>).join('; ')}`,
        });
        break;
      case 'options':
        out.push({
          check: 'options',
          detail: `options: ${keyChanges(a as Record<string, unknown>, b as Record<string, unknown>).join('; ')}`,
        });
        break;
      case 'sample':
        out.push({ check: 'sample', detail: `sample: ${shownSample(oldPlan, o.id)} → ${shownSample(newPlan, n.id)}` });
        break;
      case 'formula':
        out.push({
          check: 'formula',
          detail: `formula: ${shownFormula(oldPlan, o.id) ?? describe(name, a)} → ${shownFormula(newPlan, n.id) ?? describe(name, b)}`,
        });
        break;
      default:
        out.push({ check: name, detail: `${name}: ${describe(name, a)} → ${describe(name, b)}` });
    }
  }
  return out;
}

function describe(name: CheckName, v: unknown): string {
  if (v === null || v === undefined) return name === 'sample' ? 'full sample' : 'none';
  switch (name) {
    case 'formula': {
      const f = v as Record<string, unknown>;
      if (typeof f['dependent'] === 'string' && Array.isArray(f['regressors'])) {
        const rhs = (f['regressors'] as string[]).join(' + ') || '1';
        return `${f['dependent']} ~ ${rhs}`;
      }
      return Object.entries(f)
        .map(([k, x]) => `${k}=${Array.isArray(x) ? `[${x.join(', ')}]` : String(x)}`)
        .join(', ');
    }
    case 'fixed_effects': {
      const fe = v as string[];
      return fe.length === 0 ? 'none' : fe.join(' + ');
    }
    case 'vcov':
      return vcovText(v as VcovPlan);
    default:
      return flow(v);
  }
}

/** A derived variable's definition as the user wrote it (spacing collapsed); the comparison uses canonical text. */
function shownDefinition(plan: Plan, name: string): string {
  const v = plan.variables.find((x) => x.name === name);
  if (!v) return '(none)';
  const s = v.written;
  if (typeof s === 'string') return s.trim().replace(/\s+/g, ' ');
  if (typeof (s as { expr?: unknown }).expr === 'string')
    return (s as { expr: string }).expr.trim().replace(/\s+/g, ' ');
  const { label: _label, ...transform } = s as unknown as Record<string, unknown>;
  return flow(transform).replace(/^\{ (.*) \}$/, '$1');
}

/** A value in YAML flow style, as a user would write it: `{ size: pop, group: agglomeration }`, `[a, b]`. */
export function flow(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (typeof v === 'object')
    return `{ ${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${k}: ${flow(x)}`)
      .join(', ')} }`;
  return String(v);
}

/** A model's formula whole, as it would be written: `y ~ x1 + x2 | fe1 + fe2` (null for models without one). */
function shownFormula(plan: Plan, model: string): string | null {
  const m = plan.models.find((x) => x.id === model) as Record<string, unknown> | undefined;
  if (!m || !Array.isArray(m['regressors'])) return null;
  const dep = m['dependent'];
  const depName = typeof dep === 'string' ? dep : (dep as { name?: string } | undefined)?.name;
  if (!depName) return null;
  const rhs = (m['regressors'] as { name: string }[]).map((t) => t.name).join(' + ') || '1';
  const fe = Array.isArray(m['fixedEffects']) ? (m['fixedEffects'] as string[]) : [];
  return `${depName} ~ ${rhs}${fe.length ? ` | ${fe.join(' + ')}` : ''}`;
}

function shownSample(plan: Plan, model: string): string {
  const s = plan.models.find((m) => m.id === model)?.sample;
  if (!s) return 'full sample';
  const e = s.expr.trim().replace(/\s+/g, ' ');
  return s.name === 'inline' ? e : `${s.name} (${e})`;
}

function vcovText(v: VcovPlan): string {
  const base = v.type === 'cluster' ? `cluster(${v.cluster.join(', ')})` : v.type;
  const ssc = canonicalJson(v.ssc) === canonicalJson(DEFAULT_SSC) ? '' : ` ssc ${flow(v.ssc)}`;
  return base + ssc;
}

function keyChanges(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    if (canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null)) out.push(`${k} ${flow(a[k])} → ${flow(b[k])}`);
  }
  return out;
}

function dataFieldChanges(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return keyChanges(a, b).map((s) =>
    s.startsWith('checksum ') ? `file content changed (sha256 ${short(a['checksum'])} → ${short(b['checksum'])})` : s,
  );
}

function short(x: unknown): string {
  return typeof x === 'string' ? x.slice(0, 12) : 'unknown';
}

/** Data-spec changes, described for the report (the file by its resolved location and its content). */
function dataChanges(o: DiffInput, n: DiffInput): string[] {
  const out: string[] = [];
  const one = (s: string, p: Plan) => (s.startsWith('builtin:') ? s : resolve(p.data.baseDir, s));
  const where = (p: Plan) =>
    Array.isArray(p.data.source) ? p.data.source.map((s) => one(s, p)).join(', ') : one(p.data.source as string, p);
  const label = (p: Plan) => (Array.isArray(p.data.source) ? `[${p.data.source.join(', ')}]` : p.data.source);
  if (where(o.plan) !== where(n.plan)) out.push(`source: ${label(o.plan)} → ${label(n.plan)}`);
  if (o.dataChecksum !== null && n.dataChecksum !== null && o.dataChecksum !== n.dataChecksum) {
    out.push(`file content changed (sha256 ${short(o.dataChecksum)} → ${short(n.dataChecksum)})`);
  }
  // what was written (defaults are the same on both sides): the report names the keys the user changed
  const { source: _a, ...restOld } = o.plan.data.written;
  const { source: _c, ...restNew } = n.plan.data.written;
  for (const k of [...new Set([...Object.keys(restOld), ...Object.keys(restNew)])].sort()) {
    const x = (restOld as Record<string, unknown>)[k];
    const y = (restNew as Record<string, unknown>)[k];
    if (canonicalJson(x ?? null) !== canonicalJson(y ?? null)) out.push(`${k}: ${flow(x)} → ${flow(y)}`);
  }
  return out;
}

function variableChanges(
  o: Plan,
  n: Plan,
  oldFp: Map<string, ModelFingerprint>,
  newFp: Map<string, ModelFingerprint>,
): VariableChange[] {
  const ov = new Map(o.variables.map((v) => [v.name, variableDefinition(v.written)]));
  const nv = new Map(n.variables.map((v) => [v.name, variableDefinition(v.written)]));
  const readers = (fp: Map<string, ModelFingerprint>, name: string) =>
    [...fp.values()].filter((f) => name in f.parts.variables).map((f) => f.id);
  const out: VariableChange[] = [];
  for (const name of [...new Set([...ov.keys(), ...nv.keys()])].sort()) {
    const a = ov.get(name) ?? null;
    const b = nv.get(name) ?? null;
    if (a === b) continue;
    const models = [...new Set([...readers(newFp, name), ...readers(oldFp, name)])];
    out.push({
      name,
      old: a === null ? null : shownDefinition(o, name),
      new: b === null ? null : shownDefinition(n, name),
      models,
    });
  }
  return out;
}

function sampleChanges(o: Plan, n: Plan): SampleChange[] {
  const canon = (p: Plan) => new Map([...p.samples].map(([k, v]) => [k, canonicalExpr(v.expr)]));
  const shown = (p: Plan, name: string) => p.samples.get(name)!.expr.trim().replace(/\s+/g, ' ');
  const os = canon(o);
  const ns = canon(n);
  const oldExprs = new Set(os.values());
  const newExprs = new Set(ns.values());
  const users = (name: string) => [
    ...new Set([...o.models, ...n.models].filter((m) => m.sample?.name === name).map((m) => m.id)),
  ];
  const out: SampleChange[] = [];
  for (const name of [...new Set([...os.keys(), ...ns.keys()])].sort()) {
    const a = os.get(name);
    const b = ns.get(name);
    if (a === b) continue;
    if (a === undefined && newExprs.has(b!) && oldExprs.has(b!)) continue; // renamed: the expression exists on both sides
    if (b === undefined && oldExprs.has(a!) && newExprs.has(a!)) continue;
    out.push({
      name,
      old: a === undefined ? null : shown(o, name),
      new: b === undefined ? null : shown(n, name),
      models: users(name),
    });
  }
  return out;
}

function planRenderChanges(o: Plan, n: Plan): string[] {
  const out: string[] = [];
  if (canonicalJson(o.title) !== canonicalJson(n.title))
    out.push(`title: ${text(o.title, o.lang)} → ${text(n.title, n.lang)}`);
  if (o.lang !== n.lang) out.push(`lang: ${o.lang} → ${n.lang}`);
  return out;
}

function tableChanges(o: Plan, n: Plan, changed: Map<string, ModelChange>, estimators: ModuleOf): TableChange[] {
  const ot = new Map(o.tables.map((t) => [t.id, t]));
  const nt = new Map(n.tables.map((t) => [t.id, t]));
  const om = new Map(o.models.map((m) => [m.id, m]));
  const nm = new Map(n.models.map((m) => [m.id, m]));
  const out: TableChange[] = [];
  const empty = { columns: [], layout: [], rowsAdded: [], rowsRemoved: [], render: [] };
  for (const [id, t] of nt) {
    const old = ot.get(id);
    if (!old) {
      out.push({ id, status: 'added', ...empty, columns: t.models.map((m, i) => column(t, i, m, n.lang, null)) });
      continue;
    }
    const columns: ColumnChange[] = [];
    t.models.forEach((m, i) => {
      const c = changed.get(m);
      if (c) columns.push(column(t, i, m, n.lang, c));
    });
    const layout = columnLayout(old, t);
    const rowsOld = tableRows(old, om, estimators);
    const rowsNew = tableRows(t, nm, estimators);
    const rowsAdded = rowsNew.filter((r) => !rowsOld.includes(r));
    const rowsRemoved = rowsOld.filter((r) => !rowsNew.includes(r));
    const render = tableRenderChanges(old, t, o.lang, n.lang);
    if (columns.length + layout.length + rowsAdded.length + rowsRemoved.length + render.length > 0) {
      out.push({ id, status: 'changed', columns, layout, rowsAdded, rowsRemoved, render });
    }
  }
  for (const id of ot.keys()) if (!nt.has(id)) out.push({ id, status: 'removed', ...empty });
  return out;
}

function column(t: TablePlan, i: number, model: string, lang: string, c: ModelChange | null): ColumnChange {
  return {
    index: i + 1,
    model,
    header: columnHeader(t, i, lang),
    cells: c?.seOnly ? 'se' : 'all',
    because: c ? [...new Set(c.checks.map((x) => x.check))] : [],
  };
}

function columnHeader(t: TablePlan, i: number, lang: string): string {
  const cols = t.spec.columns.filter((c) => typeof c === 'string' || typeof c?.model === 'string');
  const c = cols[i];
  const label = typeof c === 'object' && c !== null ? c.label : undefined;
  return label !== undefined ? localize(label, lang) : `(${i + 1})`;
}

function columnLayout(o: TablePlan, n: TablePlan): string[] {
  const out: string[] = [];
  o.models.forEach((m, i) => {
    if (!n.models.includes(m)) out.push(`column ${i + 1} ${m} removed`);
  });
  n.models.forEach((m, i) => {
    if (!o.models.includes(m)) out.push(`column ${i + 1} ${m} added`);
  });
  const keptOld = o.models.filter((m) => n.models.includes(m));
  const keptNew = n.models.filter((m) => o.models.includes(m));
  if (keptOld.join('\0') !== keptNew.join('\0'))
    out.push(`columns reordered: ${o.models.join(', ')} → ${n.models.join(', ')}`);
  if (o.layout !== n.layout) out.push(`layout ${o.layout} → ${n.layout}`);
  return out;
}

/** Coefficient rows of a regression table: terms in order of first appearance, then `keep`/`drop`. */
function tableRows(t: TablePlan, models: Map<string, ModelPlan>, estimators: ModuleOf): string[] {
  const present: string[] = [];
  for (const id of t.models) {
    const m = models.get(id);
    if (!m) continue;
    for (const term of estimators.of(m).coefficientNames(m)) if (!present.includes(term)) present.push(term);
  }
  const keep = t.spec.keep;
  const drop = new Set(t.spec.drop);
  const rows = keep ? keep.filter((k) => present.includes(k)) : present;
  return rows.filter((r) => !drop.has(r));
}

const RENDER_KEYS: readonly (keyof ResolvedTableSpec)[] = [
  'title',
  'labels',
  'keep',
  'drop',
  'stats',
  'fixed_effects',
  'stars',
  'digits',
  'notes',
  'under',
  'groups',
  'periods',
  'template',
  'longtable',
  'label',
];

function tableRenderChanges(o: TablePlan, n: TablePlan, oldLang: string, newLang: string): string[] {
  const out: string[] = [];
  for (const k of RENDER_KEYS) {
    // what was written (defaults are the same on both sides): the report names the keys the user changed
    const a = o.resolved[k];
    const b = n.resolved[k];
    if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) continue;
    if (k === 'labels') {
      const la = (a ?? {}) as Record<string, LocalizedText>;
      const lb = (b ?? {}) as Record<string, LocalizedText>;
      for (const term of [...new Set([...Object.keys(la), ...Object.keys(lb)])]) {
        if (canonicalJson(la[term] ?? null) !== canonicalJson(lb[term] ?? null))
          out.push(`label of ${term}: ${text(la[term] ?? null, oldLang)} → ${text(lb[term] ?? null, newLang)}`);
      }
    } else if (k === 'title')
      out.push(
        `title: ${text((a ?? null) as LocalizedText | null, oldLang)} → ${text((b ?? null) as LocalizedText | null, newLang)}`,
      );
    else if (k === 'notes')
      out.push(
        `notes: ${notesText(a as TableSpec['notes'], oldLang)} → ${notesText(b as TableSpec['notes'], newLang)}`,
      );
    else out.push(`${k}: ${flow(a)} → ${flow(b)}`);
  }
  // Column headers of columns that stay.
  n.models.forEach((m, i) => {
    const j = o.models.indexOf(m);
    if (j < 0) return;
    const ha = columnHeader(o, j, oldLang);
    const hb = columnHeader(n, i, newLang);
    if (ha !== hb && !(ha === `(${j + 1})` && hb === `(${i + 1})`)) out.push(`header of ${m}: ${ha} → ${hb}`);
  });
  return out;
}

function notesText(n: TableSpec['notes'], lang: string): string {
  return Array.isArray(n) ? `[${n.map((x) => text(x, lang)).join(', ')}]` : text(n, lang);
}

function text(t: LocalizedText | null | undefined, lang: string): string {
  if (t === null || t === undefined) return 'none';
  return JSON.stringify(localize(t, lang));
}
