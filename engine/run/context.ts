/**
 * The context of one run: the registries that own every estimator and transform kind, the schema check compiled for
 * them, and the caches the specs of the run share. Passed through the pipeline instead of module-level state, so that
 * a run depends only on its inputs, never on what ran before in the same process.
 */
import { DataCache } from '../data/build-data.js';
import { builtinEstimators, type EstimatorRegistry } from '../estimate/registry.js';
import { builtinTransforms, type TransformRegistry } from '../transforms/registry.js';
import { SchemaChecker } from '../validate/schema.js';
import type { SpecParseCache } from '../load/load-spec.js';
import type { ResultCache } from '../cache/result-cache.js';
import type { BaseCheck } from './base-check.js';

export interface RunContext {
  readonly estimators: EstimatorRegistry;
  readonly transforms: TransformRegistry;
  readonly schema: SchemaChecker;
  readonly dataCache: DataCache;
  /** The spec files parsed so far in this run (engine/load/load-spec.ts): a shared base is parsed once. */
  readonly specCache?: SpecParseCache;
  /**
   * The command's on-disk cache (`.specrun-cache/` of the working folder) for the checks of the data (issue 14) that
   * `validate` and `run` make (engine/run/base-check.ts); unset (the LSP, `diff`, tests), the data are checked afresh.
   */
  readonly diskCache?: ResultCache | null;
  /** Threads that may read a large CSV file (the command's `--threads`; the same frame with any count). __Default:__ 1 */
  readonly readThreads?: number;
  /** The base checks of this run, by their key (specs of one base share one). */
  readonly baseChecks?: Map<string, Promise<BaseCheck>>;
}

/** A fresh context: the built-in registries unless others are given (a test or an embedding program adds modules). */
export function createRunContext(
  opts: { estimators?: EstimatorRegistry; transforms?: TransformRegistry } = {},
): RunContext {
  const estimators = opts.estimators ?? builtinEstimators();
  const transforms = opts.transforms ?? builtinTransforms();
  return {
    estimators,
    transforms,
    schema: new SchemaChecker({ estimators, transforms }),
    dataCache: new DataCache(),
    specCache: new Map(),
    baseChecks: new Map(),
  };
}

/** The same registries with empty caches (each run of `run --watch` starts from the files as they are now). */
export function freshCaches(ctx: RunContext): RunContext {
  return createRunContext({ estimators: ctx.estimators, transforms: ctx.transforms });
}
