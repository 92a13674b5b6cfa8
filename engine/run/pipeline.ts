/**
 * The orchestrator. For each spec file:
 *   1. load       — YAML with positions, `extends` resolved            (engine/load)
 *   2. validate   — JSON Schema from the types, errors at line:col;    (engine/validate)
 *                   names checked against the data header
 *   3. normalize  — one explicit Plan of frozen model specs            (engine/normalize)
 *   4. data       — source, declared fixes, derived variables          (engine/data)
 *   5. estimate   — each model by its registered estimator             (engine/estimate)
 *   6. results    — serialisable results with provenance               (engine/results)
 *   7. render     — neutral table model, then LaTeX and Markdown       (engine/render)
 * Nothing is written here: the caller writes every output at once, atomically, only when the run succeeded.
 */
import { relative } from 'node:path';
import { diagnostic, hasErrors, SpecrunError, warningsAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import { buildBase, buildData, dataFiles, PositionedError, type DataStage } from '../data/build-data.js';
import { sha256 } from '../core/hashing.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { Frame } from '../core/frame.js';
import { evaluate } from '../expr/evaluate.js';
import { parseExpr } from '../expr/parse.js';
import { diskReader, type FileReader } from '../load/file-reader.js';
import { loadSpec, type LoadedSpec } from '../load/load-spec.js';
import { normalize } from '../normalize/normalize.js';
import { modelPath, type ModelPlan, type Plan } from '../normalize/plan.js';
import { localize } from '../render/format.js';
import { renderFigure, type RenderedFigure } from '../figures/registry.js';
import { readPdfFont } from '../figures/pdf-font.js';
import { drawOf, nullReplicate, specCurveNull, type NullOutcome, type NullSetup } from '../figures/spec-curve-null.js';
import type { NormalizedSpecCurveFigure } from '../normalize/plan.js';
import { dataColumnNames } from '../data/header.js';
import { distinctValues } from '../data/column-values.js';
import { semanticDiagnostics } from '../validate/semantic.js';
import { figureFontDiagnostics, sourceAndTemplateDiagnostics } from './source-checks.js';
import { baseCheck, type BaseCheckContext } from './base-check.js';
import type { RunContext } from './context.js';
import { inShard, type Shard } from './shard.js';
import { ModelInputError, prepareModelData } from '../estimate/prepare.js';
import { DemeanCache } from '../estimate/ols/demean-cache.js';
import type { ModelResult, Provenance } from '../results/types.js';
import { specRuleDiagnostics } from '../validate/spec-rules.js';
import { offerOfPlans, tableStrictness } from '../render/strictness.js';
import { engineVersion } from '../version.js';
import { fitFingerprints, modelFingerprints, specFingerprint } from '../fingerprint/fingerprint.js';
import { estimateModel } from './estimate-model.js';
import { ResultCache } from '../cache/result-cache.js';
import type { ModelAccount } from '../data/accounting.js';
import { modelAccount } from '../estimate/model-account.js';
import { estimateModelsParallel, PoolHandle } from './parallel-models.js';

export interface CheckedSpec {
  readonly loaded: LoadedSpec;
  readonly plan: Plan;
}

export interface CheckResult {
  /** The checked spec, or null when anything is wrong. */
  readonly spec: CheckedSpec | null;
  readonly diagnostics: Diagnostic[];
  /** The plan as far as it got: present once normalization succeeded, even when a name check failed (editors use it). */
  readonly normalized?: CheckedSpec;
  /** The data's column names after `rename`, when the header could be read. */
  readonly columns?: readonly string[];
  /** Warnings of the data stage (an alias, fix, drop rule or filter matching nothing, unmatched join keys). */
  readonly dataWarnings?: readonly Diagnostic[];
}

export interface CheckOptions {
  /** Language of per-language texts (overrides the spec's `lang`). */
  readonly lang?: string;
  /** Where files are read from: disk by default; a git revision for `specrun diff --rev`. */
  readonly reader?: FileReader;
}

/**
 * The one check of a spec file, used by run, validate, data and diff: stages 1–3 (load, schema, normalize) and the
 * semantic checks against the data's header (every name a variable, sample or model uses must be a column or a
 * derived variable). A spec comes back only when nothing is wrong; warnings come back either way.
 */
export async function check(file: string, cwd: string, ctx: RunContext, opts: CheckOptions = {}): Promise<CheckResult> {
  const reader = opts.reader ?? diskReader;
  // 1. load
  const { spec: loaded, diagnostics } = loadSpec(file, cwd, reader.readText, ctx.specCache ?? null);
  if (!loaded) return { spec: null, diagnostics };
  // 2a. schema
  const schema = ctx.schema.check(loaded);
  diagnostics.push(...schema);
  if (hasErrors(schema)) return { spec: null, diagnostics };
  // 3. normalize
  let norm = normalize(loaded, { lang: opts.lang, estimators: ctx.estimators, transforms: ctx.transforms });
  // 3b. `split:`/`leave_one_out:` expand one model per value of a column: build the data (stage 4, cached for the
  //     run), then normalize again with the values (engine/normalize/expand-models.ts).
  if (norm.plan && norm.needsValues?.length) {
    if (!opts.reader) {
      const early = sourceAndTemplateDiagnostics(loaded, norm.plan);
      if (hasErrors(early)) return { spec: null, diagnostics: [...diagnostics, ...norm.diagnostics, ...early] };
    }
    let frame: Frame;
    try {
      frame = (await splitValuesStage(norm.plan, norm.needsValues, loaded, ctx)).frame;
    } catch (e) {
      if (e instanceof PositionedError)
        return { spec: null, diagnostics: [...diagnostics, ...norm.diagnostics, e.diagnostic] };
      throw e;
    }
    norm = normalize(loaded, {
      lang: opts.lang,
      estimators: ctx.estimators,
      transforms: ctx.transforms,
      columnValues: (c) => distinctValues(frame, c),
      columnNames: frame.names,
    });
  }
  diagnostics.push(...norm.diagnostics);
  if (!norm.plan) return { spec: null, diagnostics };
  // 2c. rules between keys (engine/validate/spec-rules.ts)
  const rules = [...specRuleDiagnostics(loaded, norm.plan), ...tableEntryDiagnostics(loaded, norm.plan)];
  diagnostics.push(...rules);
  if (hasErrors(rules)) return { spec: null, diagnostics };
  // 2d. what run would refuse before estimating: the data source and the templates (issue 13: validate is as strong
  //     as run for spec reasons). Not for a git revision's reader, whose files are not on disk.
  if (!opts.reader) {
    const early = [
      ...sourceAndTemplateDiagnostics(loaded, norm.plan),
      ...(await figureFontDiagnostics(loaded, norm.plan)),
    ];
    diagnostics.push(...early);
    if (hasErrors(early)) return { spec: null, diagnostics, normalized: { loaded, plan: norm.plan } };
  }
  // 2b. the data, read, joined, filtered and corrected (stage 4 without the derived variables, shared with the run),
  // so that an unreadable file, sheet, pattern or join key is reported at its key; then names against its columns.
  // Through another reader (a git revision) only the header is read.
  const normalized = { loaded, plan: norm.plan };
  let columns: string[] | null;
  let dataWarnings: Diagnostic[] = [];
  if (opts.reader && !opts.reader.onDisk) columns = await dataColumnNames(norm.plan, opts.reader);
  else {
    const data = await dataColumns(loaded, norm.plan, ctx);
    if (hasErrors(data.errors)) {
      diagnostics.push(...data.errors);
      return { spec: null, diagnostics, normalized };
    }
    columns = data.columns;
    dataWarnings = data.warnings;
  }
  const semantic = columns ? semanticDiagnostics(loaded, norm.plan, columns, ctx) : [];
  diagnostics.push(...semantic);
  const names = columns ? { columns } : {};
  if (hasErrors(semantic)) return { spec: null, diagnostics, normalized, dataWarnings, ...names };
  return { spec: normalized, diagnostics, normalized, dataWarnings, ...names };
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
  /** True when the fit came from the cache and only the variance was computed (a change of vcov/ssc alone). */
  readonly fitReused?: boolean;
}

/**
 * What a run keeps of its data stage besides the data themselves: the source and the accounting (what outputs
 * show). A rerun whose models are all cached (engine/cache) has only this: it never builds the derived variables.
 */
export type RunData = Pick<DataStage, 'source' | 'accounting'>;

export interface SpecRun {
  readonly checked: CheckedSpec;
  /** The data stage, or only its summary when every model came from the result cache (`'frame' in data` tells). */
  readonly data: DataStage | RunData;
  readonly models: readonly ModelRun[];
  readonly provenance: Provenance;
  /** Warnings raised while running (data notes and model notes of warning severity), with positions. */
  readonly warnings: readonly Diagnostic[];
  /** Per model key: the rows of its sample and those lost to missing values, by variable. */
  readonly modelAccounting: Readonly<Record<string, ModelAccount>>;
  /** Figures rendered to SVG (engine/figures), in the order of the spec. */
  readonly figures?: readonly RenderedFigure[];
}

export { modelAccount };

export interface RunHooks {
  onModel?: (id: string, seconds: number) => void;
  /**
   * Threads for the models and bootstrap replications (engine/run/parallel.ts): 1 (the default) runs everything on
   * this thread, in order; more share the work among worker threads, with the same results bit for bit.
   */
  threads?: number;
  /** Work that takes a while: `total` units (models, replications) announced, then each one done (progress bars). */
  onWork?: (event: WorkEvent) => void;
  /** Result cache: a model whose fingerprint has an entry is not estimated again (see engine/cache). */
  cache?: ResultCache | null;
  /**
   * `run --shard K/N` (engine/run/shard.ts): only this shard's models are looked up or estimated, into the cache; no
   * figure is rendered (the run returns this shard's models only). Shard 1 also stores the data summary (every
   * model's sample accounting) so that the assembling run, with every model cached, need not build the data.
   */
  shard?: Shard | null;
}

/** A phase of work of a run, for progress reports: `done` of `total` units. */
export interface WorkEvent {
  readonly phase: 'models' | 'replications';
  /** What the units are of (the spec's file; a figure's id for replications). */
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

/** Stages 4–6 for one checked spec. Throws PositionedError (data) or returns errors for failed models. */
export async function runSpec(
  checked: CheckedSpec,
  idPrefix: string,
  commit: string | null,
  ctx: RunContext,
  hooks: RunHooks = {},
): Promise<{ run: SpecRun | null; diagnostics: Diagnostic[] }> {
  const { loaded, plan } = checked;
  const diagnostics: Diagnostic[] = [];
  const cache = hooks.cache ?? null;
  const shard = hooks.shard ?? null;
  // A rerun whose models and data summary are all cached skips the data stage (derived variables, model samples).
  const summaryKey = cache ? await dataSummaryKey(checked, ctx) : null;
  // (A specification curve's inference under the null re-estimates its models on the data: no shortcut then.)
  const needsData = (plan.figures ?? []).some((f) => f.spec.kind === 'spec_curve' && f.spec.inference);
  if (cache && summaryKey && !needsData && !shard) {
    const cachedRun = await fromCache(checked, idPrefix, commit, ctx, cache, summaryKey, hooks);
    if (cachedRun) return cachedRun;
  }
  // A shard whose models and their data summary are all cached: the same, for its share (a shard renders no figure).
  if (cache && summaryKey && shard) {
    const cachedShard = await shardFromCache(checked, idPrefix, commit, ctx, cache, summaryKey, shard, hooks);
    if (cachedShard) return cachedShard;
  }
  // With --shard, the models of this shard only (engine/run/shard.ts); the others are left to their shards.
  const runPlan: Plan = shard ? { ...plan, models: plan.models.filter((m) => inShard(m.id, shard)) } : plan;
  // Worker threads (engine/run/parallel-models.ts), started now when the spec is large: they load the engine while
  // this thread builds the data.
  const pool = new PoolHandle(hooks.threads ?? 1, runPlan, ctx, cache);
  pool.prestart();
  let data: DataStage;
  try {
    data = await buildData(plan, loaded.locate, loaded.locateKey, ctx);
  } catch (e) {
    await pool.close();
    if (e instanceof PositionedError) return { run: null, diagnostics: [e.diagnostic] };
    throw e;
  }
  pool.attach(runPlan, data);
  const warnings: Diagnostic[] = [...data.diagnostics.filter((d) => d.severity === 'warning')];
  const models: ModelRun[] = [];
  const modelAccounting: Record<string, ModelAccount> = Object.create(null);
  // (A model's fingerprint does not depend on the other models: a shard hashes only its own.)
  const fingerprints = cache ? modelFingerprints(runPlan, data.source.checksum, engineVersion(), ctx.estimators) : null;
  const fitHashes = cache ? fitFingerprints(runPlan, data.source.checksum, engineVersion(), ctx.estimators) : null;
  let modelsDone = 0;
  const label = loaded.file;
  hooks.onWork?.({ phase: 'models', label, done: 0, total: runPlan.models.length });
  const onModel = (id: string, seconds: number) => {
    hooks.onModel?.(id, seconds);
    hooks.onWork?.({ phase: 'models', label, done: ++modelsDone, total: runPlan.models.length });
  };
  let figures: RenderedFigure[];
  try {
    if (pool.threads > 1) {
      // Several threads (engine/run/parallel-models.ts): the same results, caches, accounting and diagnostics.
      const r = await estimateModelsParallel({
        plan: runPlan,
        loaded,
        data,
        ctx,
        idPrefix,
        cache,
        fingerprints,
        fitHashes,
        pool,
        onModel,
        modelAccount,
      });
      models.push(...r.models);
      Object.assign(modelAccounting, r.modelAccounting);
      warnings.push(...r.warnings);
      diagnostics.push(...r.diagnostics);
    } else {
      // Models on the same sample and fixed effects demean each shared column once (issue 9).
      // (Hashing columns to find shared ones costs time, so only when there is something to share.)
      const demeaning = plan.models.filter((m) => ctx.estimators.of(m).sharesDemeaning).length;
      const demeanCache = demeaning > 1 ? new DemeanCache() : undefined;
      for (const m of runPlan.models) {
        const id = idPrefix ? `${idPrefix}/${m.id}` : m.id;
        const started = performance.now();
        try {
          const key = fingerprints ? ResultCache.keyOf(fingerprints.get(m.id)!.hash) : '';
          const hit = cache ? cache.get(key, id) : null;
          const cached = hit?.status === 'hit';
          let result: ModelResult;
          let fitReused = false;
          const prepared = prepareModelData(
            ctx.estimators.of(m),
            m,
            data.frame,
            data.panel,
            loaded.locate,
            data.nonNumeric,
          );
          modelAccounting[m.id] = modelAccount(prepared, data.frame.nrows);
          if (hit?.status === 'hit') result = hit.result;
          else {
            const module = ctx.estimators.of(m);
            const input = { ...prepared, demeanCache };
            ({ result, fitReused } = estimateModel(
              module,
              m,
              input,
              cache ? { cache, hash: fitHashes?.get(m.id) } : null,
            ));
            cache?.put(key, id, result);
          }
          const seconds = (performance.now() - started) / 1000;
          models.push({ id, key: m.id, plan: m, result, seconds, cached, ...(fitReused ? { fitReused } : {}) });
          warnings.push(...warningsAt(result.notes, m.source));
          onModel(id, seconds);
        } catch (e) {
          if (e instanceof ModelInputError) diagnostics.push(e.diagnostic);
          else if (e instanceof SpecrunError)
            diagnostics.push(
              diagnostic(
                e.code,
                e.code === 'VCOV_ONE_CLUSTER' ? loaded.locate([...modelPath(m), 'vcov']) : m.source,
                e.args,
              ),
            );
          else throw e;
        }
      }
    }
    // Shard 1 also accounts for the other shards' models (the data summary needs every model's sample).
    const accounted = shard ? shardAccounting(shard, plan, data, loaded, ctx, modelAccounting) : modelAccounting;
    if (cache && summaryKey && diagnostics.length === 0 && accounted && models.length === runPlan.models.length) {
      const summary: DataSummary = {
        source: data.source,
        accounting: data.accounting,
        modelAccounting: { ...accounted },
        warnings: data.diagnostics.filter((d) => d.severity === 'warning'),
      };
      cache.putValue(summaryKey, `data of ${loaded.file}`, summary);
    }
    // Each shard keeps the data summary of its own models, so that its rerun with every model cached skips the data.
    if (cache && summaryKey && shard && diagnostics.length === 0 && models.length === runPlan.models.length) {
      const own: DataSummary = {
        source: data.source,
        accounting: data.accounting,
        modelAccounting: { ...modelAccounting },
        warnings: data.diagnostics.filter((d) => d.severity === 'warning'),
      };
      cache.putValue(
        shardSummaryKey(summaryKey, shard),
        `data of ${loaded.file}, shard ${shard.index}/${shard.count}`,
        own,
        SHARDS,
      );
    }
    // A shard renders no figure: it has only its share of the models (the assembling run renders them).
    figures = shard
      ? []
      : await renderFigures(plan, models, diagnostics, { ctx, data, loaded, pool, onWork: hooks.onWork });
  } finally {
    await pool.close();
  }
  // The normalized spec (engine/diff/fingerprint.ts): reformatting a spec does not change its outputs.
  const provenance = provenanceOf(plan, ctx, data.source.checksum, commit, shard !== null);
  return {
    run: {
      checked,
      data,
      models,
      provenance,
      warnings,
      modelAccounting: { ...modelAccounting },
      ...(figures.length ? { figures } : {}),
    },
    diagnostics,
  };
}

/**
 * Every model's sample accounting, in plan order, for shard 1's data summary: this shard's from its run, the others'
 * prepared here (no estimation). Null for the other shards, and when another shard's model cannot be prepared (its
 * own shard reports it; without a summary the assembling run builds the data).
 */
function shardAccounting(
  shard: Shard,
  plan: Plan,
  data: DataStage,
  loaded: LoadedSpec,
  ctx: RunContext,
  own: Readonly<Record<string, ModelAccount>>,
): Record<string, ModelAccount> | null {
  if (shard.index !== 1) return null;
  const all: Record<string, ModelAccount> = Object.create(null);
  for (const m of plan.models) {
    if (own[m.id]) {
      all[m.id] = own[m.id]!;
      continue;
    }
    if (inShard(m.id, shard)) return null; // one of this shard's models failed
    try {
      const prepared = prepareModelData(
        ctx.estimators.of(m),
        m,
        data.frame,
        data.panel,
        loaded.locate,
        data.nonNumeric,
      );
      all[m.id] = modelAccount(prepared, data.frame.nrows);
    } catch {
      return null;
    }
  }
  return all;
}

/**
 * What a rerun needs of the data stage when every model is cached: the source (its checksum enters the models'
 * cache keys), the accounting, the data warnings and each model's sample accounting. Stored in the result cache.
 */
interface DataSummary {
  readonly source: DataStage['source'];
  readonly accounting: DataStage['accounting'];
  readonly modelAccounting: Record<string, ModelAccount>;
  readonly warnings: readonly Diagnostic[];
}

function isDataSummary(v: unknown): v is DataSummary {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const source = o['source'] as Record<string, unknown> | undefined;
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source['checksum'] === 'string' &&
    typeof o['accounting'] === 'object' &&
    o['accounting'] !== null &&
    typeof o['modelAccounting'] === 'object' &&
    o['modelAccounting'] !== null &&
    Array.isArray(o['warnings'])
  );
}

/**
 * The key of a spec's data summary: everything the data stage and the models' samples depend on — the text and
 * display name of every file of the spec's extends chain (positions in warnings come from them), the language, the
 * data's checksum (every file it reads: the base stage that check() built, memoized in the run's data cache), the
 * files' paths, and the engine's version and build (ResultCache.keyOf). Null when the data cannot be read.
 */
async function dataSummaryKey(checked: CheckedSpec, ctx: RunContext): Promise<string | null> {
  const { loaded, plan } = checked;
  const { checksum } = await baseCheck(loaded, plan, ctx);
  if (checksum === null) return null; // the full path reports it
  return ResultCache.keyOf(
    sha256(
      canonicalJson({
        kind: 'data summary',
        lang: plan.lang,
        checksum,
        files: dataFiles(plan),
        layers: loaded.layers.map((l) => [l.file, l.absPath, l.text]),
      }),
    ),
  );
}

/**
 * `models` (all of the plan's, or a shard's) from the result cache, with the warnings their results carry after the
 * summary's own; null when any result is missing.
 */
function cachedModelRuns(
  plan: Plan,
  models: readonly ModelPlan[],
  summary: DataSummary,
  idPrefix: string,
  ctx: RunContext,
  cache: ResultCache,
  hooks: RunHooks,
): { models: ModelRun[]; warnings: Diagnostic[] } | null {
  const fingerprints = modelFingerprints(
    { ...plan, models: [...models] },
    summary.source.checksum,
    engineVersion(),
    ctx.estimators,
  );
  const results = cache.getAll(models.map((m) => ResultCache.keyOf(fingerprints.get(m.id)!.hash)));
  if (!results) return null;
  const warnings: Diagnostic[] = [...summary.warnings];
  const runs = models.map((m, i): ModelRun => {
    const result = results[i]!;
    warnings.push(...warningsAt(result.notes, m.source));
    const id = idPrefix ? `${idPrefix}/${m.id}` : m.id;
    hooks.onModel?.(id, 0);
    return { id, key: m.id, plan: m, result, seconds: 0, cached: true };
  });
  return { models: runs, warnings };
}

/** The run from the cache alone, when the data summary and every model's result are there; else null. */
async function fromCache(
  checked: CheckedSpec,
  idPrefix: string,
  commit: string | null,
  ctx: RunContext,
  cache: ResultCache,
  summaryKey: string,
  hooks: RunHooks,
): Promise<{ run: SpecRun; diagnostics: Diagnostic[] } | null> {
  const { plan } = checked;
  const summary = cache.getValue(summaryKey, isDataSummary);
  if (!summary || plan.models.some((m) => !summary.modelAccounting[m.id])) return null;
  const cached = cachedModelRuns(plan, plan.models, summary, idPrefix, ctx, cache, hooks);
  if (!cached) return null;
  const { models, warnings } = cached;
  const diagnostics: Diagnostic[] = [];
  const figures = await renderFigures(plan, models, diagnostics, null);
  const provenance = provenanceOf(plan, ctx, summary.source.checksum, commit, false);
  const data: RunData = { source: summary.source, accounting: summary.accounting };
  return {
    run: {
      checked,
      data,
      models,
      provenance,
      warnings,
      modelAccounting: { ...summary.modelAccounting },
      ...(figures.length ? { figures } : {}),
    },
    diagnostics,
  };
}

/** The cache's folder of the shards' data summaries (each shard's own models; the full summary is in `data/`). */
const SHARDS = 'shards';

/** The key of a shard's data summary: the spec's data summary key and the shard. */
function shardSummaryKey(summaryKey: string, shard: Shard): string {
  return ResultCache.keyOf(
    sha256(canonicalJson({ kind: 'shard data summary', summary: summaryKey, shard: [shard.index, shard.count] })),
  );
}

/**
 * A shard's run from the cache alone, when every model of the shard and the shard's data summary are there (shard 1:
 * the spec's whole data summary too, which it owes the assembling run); else null. No data stage, no sample.
 */
async function shardFromCache(
  checked: CheckedSpec,
  idPrefix: string,
  commit: string | null,
  ctx: RunContext,
  cache: ResultCache,
  summaryKey: string,
  shard: Shard,
  hooks: RunHooks,
): Promise<{ run: SpecRun; diagnostics: Diagnostic[] } | null> {
  const { plan } = checked;
  const own = plan.models.filter((m) => inShard(m.id, shard));
  const summary = cache.getValue(shardSummaryKey(summaryKey, shard), isDataSummary, SHARDS);
  if (!summary || own.some((m) => !summary.modelAccounting[m.id])) return null;
  if (shard.index === 1 && !cache.getValue(summaryKey, isDataSummary)) return null;
  const cached = cachedModelRuns(plan, own, summary, idPrefix, ctx, cache, hooks);
  if (!cached) return null;
  const { models, warnings } = cached;
  const modelAccounting: Record<string, ModelAccount> = Object.create(null);
  for (const m of own) modelAccounting[m.id] = summary.modelAccounting[m.id]!;
  const data: RunData = { source: summary.source, accounting: summary.accounting };
  return {
    run: {
      checked,
      data,
      models,
      provenance: provenanceOf(plan, ctx, summary.source.checksum, commit, true),
      warnings,
      modelAccounting: { ...modelAccounting },
    },
    diagnostics: [],
  };
}

/**
 * A run's provenance. `lazy` (a shard, which writes no output): the spec's normalized hash is computed only if read
 * (it hashes every model of the spec: a second or more of a 1,000-model grid's set-up).
 */
function provenanceOf(plan: Plan, ctx: RunContext, dataHash: string, commit: string | null, lazy: boolean): Provenance {
  const engine = engineVersion();
  if (!lazy) return { specHash: specFingerprint(plan, ctx.estimators), dataHash, engine, commit };
  let specHash: string | undefined;
  return {
    get specHash(): string {
      specHash ??= specFingerprint(plan, ctx.estimators);
      return specHash;
    },
    dataHash,
    engine,
    commit,
  };
}

/** 7b. figures: built from the results and rendered to SVG (asynchronous, so here rather than in assembleOutputs). */
async function renderFigures(
  plan: Plan,
  models: readonly ModelRun[],
  diagnostics: Diagnostic[],
  source: {
    ctx: RunContext;
    data: DataStage;
    loaded: LoadedSpec;
    pool?: PoolHandle;
    onWork?: (event: WorkEvent) => void;
  } | null,
): Promise<RenderedFigure[]> {
  const figures: RenderedFigure[] = [];
  /** A specification curve's inference under the null: every model re-estimated on seeded bootstrap draws. */
  const curveNull = async (figureId: string, spec: NormalizedSpecCurveFigure, ids: readonly string[]) => {
    if (!source) throw new Error('the inference under the null needs the data stage');
    const { ctx, data, loaded, pool, onWork } = source;
    const runs = ids.map((id) => models.find((m) => m.key === id)!);
    const nullModels = runs.map((r) => {
      const module = ctx.estimators.of(r.plan);
      return {
        id: r.key,
        plan: r.plan,
        module,
        result: r.result,
        data: prepareModelData(module, r.plan, data.frame, data.panel, loaded.locate, data.nonNumeric),
      };
    });
    const opts = {
      term: spec.term,
      level: spec.level,
      reps: spec.inference!.reps,
      seed: spec.inference!.seed,
      unitColumn: plan.data.unit ?? null,
      units: data.panel.unitLabels?.length ?? 0,
    };
    let done = 0;
    const tick = (n: number) =>
      onWork?.({ phase: 'replications', label: figureId, done: (done += n), total: opts.reps });
    onWork?.({ phase: 'replications', label: figureId, done: 0, total: opts.reps });
    const work = opts.reps * nullModels.reduce((a, m) => a + m.data.frame.nrows, 0);
    // Replications in batches on the workers (engine/run/parallel.ts); a batch a worker could not run is run here.
    const indices = ids.map((id) => pool?.indexOf(id) ?? -1);
    const workers = pool?.worth(work, opts.reps) && !indices.includes(-1) ? pool.get() : null;
    if (!workers) return specCurveNull(nullModels, opts, undefined, () => tick(1));
    const replicate = async (setup: NullSetup): Promise<NullOutcome[]> => {
      const batch = Math.max(1, Math.ceil(opts.reps / (workers.size * 4)));
      const starts = Array.from({ length: Math.ceil(opts.reps / batch) }, (_, b) => b * batch);
      const parts = await Promise.all(
        starts.map(async (from) => {
          const to = Math.min(opts.reps, from + batch);
          const reply = await workers.run({
            type: 'null',
            models: indices,
            estimates: setup.estimates,
            term: opts.term,
            units: opts.units,
            unitColumn: opts.unitColumn,
            draws: setup.draws.slice(from * opts.units, to * opts.units),
          });
          if (reply.ok && 'outcomes' in reply) {
            tick(to - from);
            return reply.outcomes;
          }
          const out: NullOutcome[] = [];
          for (let r = from; r < to; r++) {
            out.push(
              nullReplicate(nullModels, setup.prepared, drawOf(setup, opts.units, r), opts.term, opts.unitColumn),
            );
            tick(1);
          }
          return out;
        }),
      );
      return parts.flat();
    };
    return specCurveNull(nullModels, opts, replicate);
  };
  const byKey = new Map(models.map((m) => [m.key, m.result]));
  const choices = new Map(plan.models.filter((m) => m.choices).map((m) => [m.id, m.choices!]));
  for (const f of plan.figures ?? []) {
    if (f.models.some((k) => !byKey.has(k))) continue; // its model failed: reported
    try {
      // `pdf_font:` (checked by check(); read again here, and reported at the figure if it changed since)
      const written = f.spec.pdf_font;
      const font = written !== undefined ? await readPdfFont(f.baseDir, written) : undefined;
      if (font && 'reason' in font) {
        diagnostics.push(diagnostic('FIGURE_FONT', f.source, { file: written ?? '', reason: font.reason }));
        continue;
      }
      const table =
        f.spec.kind === 'coefplot' ? plan.tables.find((t) => t.id === (f.spec as { table: string }).table) : undefined;
      const inference =
        f.spec.kind === 'spec_curve' && f.spec.inference ? await curveNull(f.id, f.spec, f.models) : undefined;
      const rendered = await renderFigure(
        {
          id: f.id,
          spec: f.spec,
          lang: plan.lang,
          results: byKey,
          models: f.models,
          choices,
          labels: table?.spec.labels ?? {},
          ...(inference ? { inference } : {}),
          modelLabels: new Map(
            (table?.spec.columns ?? []).flatMap((c) =>
              typeof c === 'object' && c.label !== undefined ? [[c.model, localize(c.label, plan.lang)] as const] : [],
            ),
          ),
        },
        font?.font,
      );
      // Characters the PDF's font cannot draw: said (FIGURE_PDF_GLYPHS, printed by the CLI).
      const missing = [...rendered.pdfMissing];
      figures.push(
        missing.length
          ? {
              ...rendered,
              pdfNote: diagnostic('FIGURE_PDF_GLYPHS', f.source, {
                figure: f.id,
                count: missing.length,
                chars: missing.length > 12 ? `${missing.slice(0, 12).join('')}…` : missing.join(''),
                font: rendered.pdfFont,
              }),
            }
          : rendered,
      );
    } catch (e) {
      if (e instanceof SpecrunError) diagnostics.push(diagnostic(e.code, f.source, e.args));
      else if (e instanceof ModelInputError) diagnostics.push(e.diagnostic);
      else
        diagnostics.push(
          diagnostic('FIGURE_FAILED', f.source, { figure: f.id, detail: e instanceof Error ? e.message : String(e) }),
        );
    }
  }
  return figures;
}

/**
 * The data stage whose columns `split:`/`leave_one_out:` take their values from: the base stage (read, joined,
 * filtered, corrected: what check() has built already) when every such column is a data column that no derived
 * variable replaces, since derived variables add or replace columns and never change the rows; else the whole stage,
 * derived variables included. The values are the same either way; the base stage spares a run (and a shard or an
 * assembly that finds every model in the cache) the derived variables (an SBM) before it knows it needs them.
 */
async function splitValuesStage(
  plan: Plan,
  columns: readonly string[],
  loaded: LoadedSpec,
  ctx: RunContext,
): Promise<DataStage> {
  const derived = new Set(plan.variables.map((v) => v.name));
  if (columns.some((c) => derived.has(c))) return buildData(plan, loaded.locate, loaded.locateKey, ctx);
  const base = await buildBase(plan, loaded.locate, loaded.locateKey, ctx);
  const names = new Set(base.frame.names);
  return columns.every((c) => names.has(c)) ? base : buildData(plan, loaded.locate, loaded.locateKey, ctx);
}

/**
 * `specrun data`: the dataset after derived variables (stage 4), with one 0/1 column `sample_NAME` per sample so the
 * file shows which rows each model may use. Throws PositionedError for a data problem.
 */
export async function derivedDataset(checked: CheckedSpec, ctx: RunContext): Promise<Frame> {
  const { loaded, plan } = checked;
  const data = await buildData(plan, loaded.locate, loaded.locateKey, ctx);
  let frame: Frame = data.frame;
  for (const s of plan.samples.values()) {
    try {
      const v = evaluate(parseExpr(s.expr), { frame: data.frame, panel: data.panel, target: s.name }).values;
      const ind = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) ind[i] = v[i] === 1 ? 1 : 0;
      frame = frame.with(`sample_${s.name}`, ind);
    } catch (e) {
      if (e instanceof SpecrunError)
        throw new PositionedError(diagnostic(e.code, loaded.locate(['samples', s.name]), e.args));
      throw e;
    }
  }
  return frame;
}

export function displayName(file: string, cwd: string): string {
  return relative(cwd, file) || file;
}

/**
 * Table entries (`keep`, `drop`, `indicators`, `rows`) that match nothing, as far as the plans tell without the data
 * (engine/render/strictness.ts; the run checks the rest against the results).
 */
function tableEntryDiagnostics(loaded: LoadedSpec, plan: Plan): Diagnostic[] {
  const rawTables = loaded.value['tables'] as Record<string, Record<string, unknown> | null> | undefined;
  return plan.tables.flatMap((t) =>
    tableStrictness(t, offerOfPlans(t, plan.models), rawTables?.[t.id] ?? undefined, loaded).filter(
      (d) => d.severity === 'error',
    ),
  );
}

/**
 * `validate` reads the data: every table the spec declares is read, joined, filtered and corrected (stage 4 without
 * the derived variables, memoized in the run's context so that `run` does not read twice), so that a missing file, a
 * header naming a column twice, a missing sheet, a period or column pattern matching nothing, a join key absent or
 * duplicated is reported at its key's line, as `run` would. Returns the column names, the error, and the data's warnings.
 */
export async function dataColumns(
  loaded: LoadedSpec,
  plan: Plan,
  ctx: BaseCheckContext,
): Promise<{ columns: string[] | null; errors: Diagnostic[]; warnings: Diagnostic[] }> {
  const { columns, errors, warnings } = await baseCheck(loaded, plan, ctx);
  return { columns, errors, warnings };
}
