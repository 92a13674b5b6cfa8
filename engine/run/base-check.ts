/**
 * The check of a spec's data (issue 14) that `validate` and `run` make before anything else: the data read, joined,
 * filtered and corrected (the base stage, engine/data/build-data.ts `buildBase`), reduced to what a check needs —
 * its column names, the error that stopped it (an unreadable file, a duplicated header, a missing sheet, a glob
 * matching nothing, a join key problem: at the key's line:col), its warnings, and the data's checksum.
 *
 * Kept in the command's on-disk cache (`.specrun-cache/checks/`, issue 19) under a key of everything that determines it:
 * the data spec and each data file's path, size, modification and change times (engine/data/build-data.ts
 * `baseKey`, plus ctime here), the text, path and displayed name of every extends-layer of the spec (the
 * diagnostics' positions and file names), the data read limit, and the engine's version and
 * build (`ResultCache.keyOf`). So `validate` and a cached rerun do not read and correct the data again, and report
 * the same diagnostics, warnings and checksum as when they did; a changed data file or spec is checked afresh.
 */
import { statSync } from 'node:fs';
import { canonicalJson } from '../core/canonical-json.js';
import { sha256 } from '../core/hashing.js';
import { readLimit } from '../core/read-limited.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { baseKey, buildBase, dataFiles, PositionedError, type DataContext } from '../data/build-data.js';
import type { LoadedSpec } from '../load/load-spec.js';
import type { Plan } from '../normalize/plan.js';
import { ResultCache } from '../cache/result-cache.js';

/** The cache's subfolder of the data checks (data summaries are in `data/`). */
export const CHECKS = 'checks';

export interface BaseCheck {
  /** The data's column names after `rename`, or null when the data could not be built. */
  readonly columns: string[] | null;
  /** The error that stopped the base stage (at most one), with its position. */
  readonly errors: Diagnostic[];
  /** Warnings of the base stage (an alias, fix, drop rule or filter matching nothing, unmatched join keys). */
  readonly warnings: Diagnostic[];
  /** SHA-256 of the main data file, or null when the data could not be built. */
  readonly checksum: string | null;
}

/** The caches a base check uses: the run's in-memory ones and, for a command that keeps one, the on-disk cache. */
export interface BaseCheckContext extends DataContext {
  readonly diskCache?: ResultCache | null;
  readonly baseChecks?: Map<string, Promise<BaseCheck>>;
}

/** The base check of a spec: from the on-disk cache when it has it, else built (and stored). */
export function baseCheck(loaded: LoadedSpec, plan: Plan, ctx: BaseCheckContext): Promise<BaseCheck> {
  const disk = ctx.diskCache ?? null;
  if (!disk) return build(loaded, plan, ctx);
  const key = baseCheckKey(loaded, plan, ctx);
  let memo = ctx.baseChecks?.get(key);
  if (!memo) {
    memo = (async () => {
      const hit = disk.getValue(key, isBaseCheck, CHECKS);
      if (hit) return hit;
      const built = await build(loaded, plan, ctx);
      disk.putValue(key, `data check of ${loaded.file}`, built, CHECKS);
      return built;
    })();
    ctx.baseChecks?.set(key, memo);
    memo.catch(() => ctx.baseChecks?.delete(key));
  }
  return memo;
}

async function build(loaded: LoadedSpec, plan: Plan, ctx: DataContext): Promise<BaseCheck> {
  try {
    const base = await buildBase(plan, loaded.locate, loaded.locateKey, ctx);
    return {
      columns: base.frame.names,
      errors: [],
      warnings: base.diagnostics.filter((d) => d.severity === 'warning'),
      checksum: base.source.checksum,
    };
  } catch (e) {
    if (e instanceof PositionedError) return { columns: null, errors: [e.diagnostic], warnings: [], checksum: null };
    throw e;
  }
}

function changeStamp(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return '';
  }
}

export function baseCheckKey(loaded: LoadedSpec, plan: Plan, ctx: DataContext): string {
  return ResultCache.keyOf(
    sha256(
      canonicalJson({
        kind: 'data check',
        base: baseKey(plan, ctx),
        files: dataFiles(plan).map((f) => [f, changeStamp(f)]),
        layers: loaded.layers.map((l) => [l.file, l.absPath, l.text]),
        limit: readLimit('data'),
      }),
    ),
  );
}

function isDiagnostics(v: unknown): v is Diagnostic[] {
  return (
    Array.isArray(v) &&
    v.every(
      (d) =>
        typeof d === 'object' &&
        d !== null &&
        typeof d.code === 'string' &&
        typeof d.severity === 'string' &&
        typeof d.message === 'string' &&
        typeof d.line === 'number' &&
        typeof d.col === 'number',
    )
  );
}

function isBaseCheck(v: unknown): v is BaseCheck {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const columns = o['columns'];
  return (
    (columns === null || (Array.isArray(columns) && columns.every((c) => typeof c === 'string'))) &&
    isDiagnostics(o['errors']) &&
    isDiagnostics(o['warnings']) &&
    (o['checksum'] === null || typeof o['checksum'] === 'string')
  );
}
