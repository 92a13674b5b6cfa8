/**
 * `specrun diff OLD NEW` and `specrun diff --rev REV SPEC` [--format text|md|json] [--results] [--no-cache].
 * OLD and NEW are two spec files or two folders (their *.yaml files paired by name; with --rev, SPEC may be a folder
 * too). In a folder, files with neither models nor tables are bases and are seen through the specs extending them.
 *
 * Exit codes: 0 whether or not the specs differ (a diff is a report, not a check: a CI step that wants to fail on
 * changes reads `--format json`); 2 when either spec is wrong or the command line is; 1 when `--results` cannot run
 * the models. `--results` runs both sides, taking every model it can from the result cache; with `--rev`, the old
 * side is run on the data files of the working tree (its spec files come from the revision).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatDiagnostic, SpecrunError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { CACHE_DIR, ResultCache } from '../cache/result-cache.js';
import type { ModelResult } from '../results/types.js';
import { isDirectory, specNames, specNamesIn } from '../load/spec-files.js';
import type { RunContext } from '../run/context.js';
import { check, runSpec, type CheckedSpec } from '../run/pipeline.js';
import { dataChecksum, diskReader, gitRevisionReader, type FileReader } from './load-revision.js';
import { formatDiff, type DiffFormat } from './report.js';
import { diffResults, formatResultsDiff, type ResultsDiff } from './results-diff.js';
import { diffPlans, type SpecDiff } from './semantic-diff.js';

export interface DiffIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
}

interface Side {
  readonly name: string;
  readonly checked: CheckedSpec;
  readonly reader: FileReader;
}

interface Endpoint {
  readonly file: string;
  readonly reader: FileReader;
  readonly name: string;
}

/** Two versions of one spec file; null where the file does not exist on that side. */
interface FilePair {
  readonly old: Endpoint | null;
  readonly new: Endpoint | null;
}

/** The repository is the one holding the spec (not necessarily the working directory's). */
function nearestFolder(p: string): string {
  let d = p;
  while (!isDir(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

const isDir = isDirectory;

/** The spec files to compare: one pair, or for folders every *.yaml file by name (a folder stands for its specs). */
function filePairs(positional: readonly string[], rev: string | undefined, cwd: string): FilePair[] {
  if (rev !== undefined) {
    if (positional.length !== 1) throw new SpecrunError('CLI_USAGE', { detail: 'diff --rev REV takes one spec file or folder' });
    const given = positional[0]!;
    const abs = resolve(cwd, given);
    const old = gitRevisionReader(rev, nearestFolder(abs));
    const oldNames = old.listDir?.(abs) ?? null;
    if (isDir(abs) || (oldNames !== null && !existsSync(abs))) {
      const names = [...new Set([...specNames(oldNames ?? []), ...specNamesIn(abs)])].sort();
      return names.map((n) => {
        const file = join(abs, n);
        const shown = join(given, n);
        return {
          old: (oldNames ?? []).includes(n) ? { file, reader: old, name: `${rev}:${shown}` } : null,
          new: existsSync(file) ? { file, reader: diskReader, name: shown } : null,
        };
      });
    }
    return [{ old: { file: abs, reader: old, name: `${rev}:${given}` }, new: { file: abs, reader: diskReader, name: given } }];
  }
  if (positional.length !== 2) throw new SpecrunError('CLI_USAGE', { detail: 'diff takes two spec files or folders (OLD NEW), or --rev REV SPEC' });
  const [a, b] = positional.map((p) => resolve(cwd, p)) as [string, string];
  if (isDir(a) !== isDir(b)) throw new SpecrunError('CLI_USAGE', { detail: 'diff compares two files or two folders, not a file with a folder' });
  if (!isDir(a)) return [{ old: { file: a, reader: diskReader, name: positional[0]! }, new: { file: b, reader: diskReader, name: positional[1]! } }];
  const oa = specNamesIn(a);
  const ob = specNamesIn(b);
  return [...new Set([...oa, ...ob])].sort().map((n) => ({
    old: oa.includes(n) ? { file: join(a, n), reader: diskReader, name: join(positional[0]!, n) } : null,
    new: ob.includes(n) ? { file: join(b, n), reader: diskReader, name: join(positional[1]!, n) } : null,
  }));
}

interface PairOutcome {
  readonly old: string | null;
  readonly new: string | null;
  readonly status: 'compared' | 'added' | 'removed';
  readonly diff?: SpecDiff;
  readonly results?: ResultsDiff;
}

export async function diffCommand(positional: readonly string[], flags: ReadonlyMap<string, string | true>, io: DiffIo, ctx: RunContext): Promise<number> {
  const fmt = flags.get('format') ?? 'text';
  if (fmt !== 'text' && fmt !== 'md' && fmt !== 'json') throw new SpecrunError('CLI_USAGE', { detail: `diff --format takes text, md or json, not '${String(fmt)}'` });
  const rev = flags.get('rev');
  if (rev === true) throw new SpecrunError('CLI_USAGE', { detail: '--rev needs a revision' });
  const pairs = filePairs(positional, rev, io.cwd);
  const folder = pairs.length !== 1 || pairs[0]!.old === null || pairs[0]!.new === null;

  // 1. check every spec on both sides; any error ends the command with exit 2
  const errors: Diagnostic[] = [];
  const checkSide = async (e: Endpoint | null): Promise<Side | null> => {
    if (!e) return null;
    const r = await check(e.file, io.cwd, ctx, { reader: e.reader });
    errors.push(...r.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ ...d, file: e.reader === diskReader ? d.file : `${rev}:${d.file}` })));
    return r.spec ? { name: e.name, checked: r.spec, reader: e.reader } : null;
  };
  const sides: { pair: FilePair; a: Side | null; b: Side | null }[] = [];
  for (const p of pairs) sides.push({ pair: p, a: await checkSide(p.old), b: await checkSide(p.new) });
  if (errors.length > 0) {
    for (const d of errors) io.stderr.write(formatDiagnostic(d) + '\n');
    return 2;
  }

  // 2. compare; in a folder, files with neither models nor tables are bases, seen through the specs that extend them
  const isBase = (s: Side | null) => !s || (s.checked.plan.models.length === 0 && s.checked.plan.tables.length === 0);
  const cache = flags.has('results') ? new ResultCache(resolve(io.cwd, CACHE_DIR), { read: !flags.has('no-cache') }) : null;
  const outcomes: PairOutcome[] = [];
  let failed = false;
  for (const { pair, a, b } of sides) {
    if (folder && isBase(a) && isBase(b)) continue;
    if (!a || !b) {
      outcomes.push({ old: pair.old?.name ?? null, new: pair.new?.name ?? null, status: a ? 'removed' : 'added' });
      continue;
    }
    const diff = specDiff(a, b, ctx);
    let rd: ResultsDiff | undefined;
    if (cache) {
      const ra = await results(a.checked, cache, io, ctx);
      const rb = await results(b.checked, cache, io, ctx);
      if (!ra || !rb) failed = true;
      else rd = diffResults(ra, rb, (id) => b.checked.plan.tables.find((t) => t.models.includes(id))?.spec.stars);
    }
    outcomes.push({ old: a.name, new: b.name, status: 'compared', diff, ...(rd ? { results: rd } : {}) });
  }

  // 3. report
  if (fmt === 'json') {
    const one = outcomes[0];
    const body = !folder && one?.diff ? { ...one.diff, ...(one.results ? { results: one.results } : {}) } : { files: outcomes };
    io.stdout.write(JSON.stringify(body, null, 2) + '\n');
  } else {
    const parts: string[] = [];
    for (const o of outcomes) {
      if (o.status !== 'compared') {
        parts.push(fmt === 'md' ? `### ${o.status === 'added' ? 'New' : 'Removed'} spec: \`${o.new ?? o.old}\`\n` : `spec ${o.status}: ${o.new ?? o.old}\n`);
        continue;
      }
      parts.push(formatDiff(o.diff!, fmt, o.old!, o.new!) + (o.results ? formatResultsDiff(o.results, fmt) : ''));
    }
    if (parts.length === 0) parts.push(fmt === 'md' ? 'No spec files to compare.\n' : 'no spec files to compare\n');
    io.stdout.write(parts.join(fmt === 'md' ? '\n' : '\n'));
  }
  if (cache) io.stderr.write(`results: ${cache.stats.hits} model(s) from the cache, ${cache.stats.misses + cache.stats.corrupt} estimated\n`);
  return failed ? 1 : 0;
}

/** The semantic diff of two checked specs, each with the reader its data file is hashed through. */
export function specDiff(a: { checked: CheckedSpec; reader: FileReader }, b: { checked: CheckedSpec; reader: FileReader }, ctx: RunContext): SpecDiff {
  return diffPlans(
    { plan: a.checked.plan, dataChecksum: dataChecksum(a.checked.plan, a.reader) },
    { plan: b.checked.plan, dataChecksum: dataChecksum(b.checked.plan, b.reader) },
    ctx.estimators,
  );
}

async function results(checked: CheckedSpec, cache: ResultCache, io: DiffIo, ctx: RunContext): Promise<Map<string, ModelResult> | null> {
  const r = await runSpec(checked, '', null, ctx, { cache });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.run || errors.length > 0) {
    for (const d of errors) io.stderr.write(formatDiagnostic(d) + '\n');
    return null;
  }
  return new Map(r.run.models.map((m) => [m.key, m.result]));
}
