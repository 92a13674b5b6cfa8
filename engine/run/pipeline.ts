/**
 * The orchestrator. For each spec file:
 *   1. load       — YAML with positions, `extends` resolved            (engine/load)
 *   2. validate   — JSON Schema from the types, errors at line:col     (engine/validate)
 *   3. normalize  — one explicit Plan of frozen model specs            (engine/normalize)
 *   4. data       — source, declared fixes, derived variables          (engine/data)
 *   5. estimate   — each model by its registered estimator             (engine/estimate)
 *   6. results    — serialisable results with provenance               (engine/results)
 *   7. render     — neutral table model, then LaTeX and Markdown       (engine/render)
 * Nothing is written here: the caller writes every output at once, atomically, only when the run succeeded.
 */
import { relative } from 'node:path';
import { diagnostic, hasErrors, SpecrunError, warningsAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import { buildData, PositionedError, type DataStage } from '../data/build-data.js';
import { loadSpec, type LoadedSpec } from '../load/load-spec.js';
import { normalize } from '../normalize/normalize.js';
import type { ModelPlan, Plan } from '../normalize/plan.js';
import { estimators } from '../estimate/registry.js';
import { ModelInputError, prepareModelData } from '../estimate/prepare.js';
import { DemeanCache } from '../estimate/ols/demean-cache.js';
import type { ModelResult, Provenance } from '../results/types.js';
import { schemaDiagnostics } from '../validate/schema.js';
import { specRuleDiagnostics } from '../validate/spec-rules.js';
import { engineVersion } from '../version.js';
import { modelFingerprints, specFingerprint } from '../diff/fingerprint.js';
import { ResultCache } from '../cache/result-cache.js';

export interface CheckedSpec {
  readonly loaded: LoadedSpec;
  readonly plan: Plan;
}

/** Stages 1–3 for one file: everything that can be said without the data. */
export function checkSpec(file: string, cwd: string, opts: { lang?: string; readText?: (absPath: string) => string } = {}): { spec: CheckedSpec | null; diagnostics: Diagnostic[] } {
  const { spec: loaded, diagnostics } = loadSpec(file, cwd, opts.readText);
  if (!loaded) return { spec: null, diagnostics };
  const schema = schemaDiagnostics(loaded);
  diagnostics.push(...schema);
  if (hasErrors(schema)) return { spec: null, diagnostics };
  const norm = normalize(loaded, opts);
  diagnostics.push(...norm.diagnostics);
  if (!norm.plan) return { spec: null, diagnostics };
  const rules = specRuleDiagnostics(loaded, norm.plan);
  diagnostics.push(...rules);
  if (hasErrors(rules)) return { spec: null, diagnostics };
  return { spec: { loaded, plan: norm.plan }, diagnostics };
}

export interface ModelRun {
  /** Stable id: the model key, prefixed by the spec's name when several specs run together (`table1/fe_all`). */
  readonly id: string;
  readonly key: string;
  readonly plan: ModelPlan;
  readonly result: ModelResult;
  readonly seconds: number;
  /** True when the result came from the result cache (engine/cache) instead of being estimated. */
  readonly cached?: boolean;
}

export interface SpecRun {
  readonly checked: CheckedSpec;
  readonly data: DataStage;
  readonly models: readonly ModelRun[];
  readonly provenance: Provenance;
  /** Warnings raised while running (data notes and model notes of warning severity), with positions. */
  readonly warnings: readonly Diagnostic[];
}

export interface RunHooks {
  onModel?: (id: string, seconds: number) => void;
  /** Result cache: a model whose fingerprint has an entry is not estimated again (see engine/cache). */
  cache?: ResultCache | null;
}

/** Stages 4–6 for one checked spec. Throws PositionedError (data) or returns errors for failed models. */
export async function runSpec(checked: CheckedSpec, idPrefix: string, commit: string | null, hooks: RunHooks = {}):
  Promise<{ run: SpecRun | null; diagnostics: Diagnostic[] }> {
  const { loaded, plan } = checked;
  const diagnostics: Diagnostic[] = [];
  let data: DataStage;
  try {
    data = await buildData(plan, loaded.locate, loaded.locateKey);
  } catch (e) {
    if (e instanceof PositionedError) return { run: null, diagnostics: [e.diagnostic] };
    throw e;
  }
  const warnings: Diagnostic[] = [...data.diagnostics.filter((d) => d.severity === 'warning')];
  const models: ModelRun[] = [];
  const cache = hooks.cache ?? null;
  const fingerprints = cache ? modelFingerprints(plan, data.source.checksum, engineVersion()) : null;
  // Models on the same sample and fixed effects demean each shared column once (issue 9).
  // (Hashing columns to find shared ones costs time, so only when there is something to share.)
  const olsModels = plan.models.filter((m) => m.estimator === 'ols' || m.estimator === 'mediation').length;
  const demeanCache = olsModels > 1 ? new DemeanCache() : undefined;
  for (const m of plan.models) {
    const id = idPrefix ? `${idPrefix}/${m.id}` : m.id;
    const started = performance.now();
    try {
      const key = fingerprints ? ResultCache.keyOf(fingerprints.get(m.id)!.hash) : '';
      const hit = cache ? cache.get(key, id) : null;
      const cached = hit?.status === 'hit';
      let result: ModelResult;
      if (hit?.status === 'hit') result = hit.result;
      else {
        const input = { ...prepareModelData(m, data.frame, data.panel, loaded.locate, data.nonNumeric), demeanCache };
        result = estimators[m.estimator].estimate(m as never, input);
        cache?.put(key, id, result);
      }
      const seconds = (performance.now() - started) / 1000;
      models.push({ id, key: m.id, plan: m, result, seconds, cached });
      warnings.push(...warningsAt(result.notes, m.source));
      hooks.onModel?.(id, seconds);
    } catch (e) {
      if (e instanceof ModelInputError) diagnostics.push(e.diagnostic);
      else if (e instanceof SpecrunError) diagnostics.push(diagnostic(e.code, e.code === 'VCOV_ONE_CLUSTER' ? loaded.locate(['models', m.id, 'vcov']) : m.source, e.args));
      else throw e;
    }
  }
  const provenance: Provenance = {
    // The normalized spec (engine/diff/fingerprint.ts): reformatting a spec does not change its outputs.
    specHash: specFingerprint(plan),
    dataHash: data.source.checksum,
    engine: engineVersion(),
    commit,
  };
  return { run: { checked, data, models, provenance, warnings }, diagnostics };
}

export function displayName(file: string, cwd: string): string {
  return relative(cwd, file) || file;
}
