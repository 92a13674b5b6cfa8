/**
 * `specrun diff OLD NEW` and `specrun diff --rev REV SPEC` [--format text|md|json] [--results] [--no-cache].
 *
 * Exit codes: 0 whether or not the specs differ (a diff is a report, not a check: a CI step that wants to fail on
 * changes reads `--format json`); 2 when either spec is wrong or the command line is; 1 when `--results` cannot run
 * the models. `--results` runs both sides, taking every model it can from the result cache; with `--rev`, the old
 * side is run on the data files of the working tree (its spec files come from the revision).
 */
import { resolve } from 'node:path';
import { formatDiagnostic, SpecrunError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { CACHE_DIR, ResultCache } from '../cache/result-cache.js';
import type { ModelResult } from '../results/types.js';
import { runSpec, type CheckedSpec } from '../run/pipeline.js';
import { checkSpecWith, dataChecksum, diskReader, gitRevisionReader, type FileReader } from './load-revision.js';
import { formatDiff, type DiffFormat } from './report.js';
import { diffResults, formatResultsDiff } from './results-diff.js';
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

export async function diffCommand(positional: readonly string[], flags: ReadonlyMap<string, string | true>, io: DiffIo): Promise<number> {
  const fmt = flags.get('format') ?? 'text';
  if (fmt !== 'text' && fmt !== 'md' && fmt !== 'json') throw new SpecrunError('CLI_USAGE', { detail: `diff --format takes text, md or json, not '${String(fmt)}'` });
  const rev = flags.get('rev');
  if (rev === true) throw new SpecrunError('CLI_USAGE', { detail: '--rev needs a revision' });
  let pairs: { file: string; reader: FileReader; name: string }[];
  if (typeof rev === 'string') {
    if (positional.length !== 1) throw new SpecrunError('CLI_USAGE', { detail: 'diff --rev REV takes one spec file' });
    const file = resolve(io.cwd, positional[0]!);
    pairs = [
      { file, reader: gitRevisionReader(rev, io.cwd), name: `${rev}:${positional[0]}` },
      { file, reader: diskReader, name: positional[0]! },
    ];
  } else {
    if (positional.length !== 2) throw new SpecrunError('CLI_USAGE', { detail: 'diff takes two spec files (OLD NEW), or --rev REV SPEC' });
    pairs = positional.map((p) => ({ file: resolve(io.cwd, p), reader: diskReader, name: p }));
  }
  const sides: Side[] = [];
  const errors: Diagnostic[] = [];
  for (const p of pairs) {
    const r = checkSpecWith(p.file, io.cwd, p.reader);
    errors.push(...r.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ ...d, file: p.reader === diskReader ? d.file : `${rev}:${d.file}` })));
    if (r.spec) sides.push({ name: p.name, checked: r.spec, reader: p.reader });
  }
  if (errors.length > 0 || sides.length !== 2) {
    for (const d of errors) io.stderr.write(formatDiagnostic(d) + '\n');
    return 2;
  }
  const [a, b] = sides as [Side, Side];
  const diff = specDiff(a, b);
  io.stdout.write(formatDiff(diff, fmt, a.name, b.name));
  if (flags.has('results')) {
    const cache = new ResultCache(resolve(io.cwd, CACHE_DIR), { read: !flags.has('no-cache') });
    const ra = await results(a.checked, cache, io);
    const rb = await results(b.checked, cache, io);
    if (!ra || !rb) return 1;
    const levels = (id: string) => b.checked.plan.tables.find((t) => t.models.includes(id))?.spec.stars;
    const rd = diffResults(ra, rb, levels);
    if (fmt === 'json') io.stdout.write(JSON.stringify({ results: rd }, null, 2) + '\n');
    else io.stdout.write(formatResultsDiff(rd, fmt));
    io.stderr.write(`results: ${cache.stats.hits} model(s) from the cache, ${cache.stats.misses + cache.stats.corrupt} estimated\n`);
  }
  return 0;
}

export function specDiff(a: Side | { checked: CheckedSpec; reader: FileReader }, b: Side | { checked: CheckedSpec; reader: FileReader }): SpecDiff {
  return diffPlans(
    { plan: a.checked.plan, dataChecksum: dataChecksum(a.checked.plan, a.reader) },
    { plan: b.checked.plan, dataChecksum: dataChecksum(b.checked.plan, b.reader) },
  );
}

async function results(checked: CheckedSpec, cache: ResultCache, io: DiffIo): Promise<Map<string, ModelResult> | null> {
  const r = await runSpec(checked, '', null, { cache });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.run || errors.length > 0) {
    for (const d of errors) io.stderr.write(formatDiagnostic(d) + '\n');
    return null;
  }
  return new Map(r.run.models.map((m) => [m.key, m.result]));
}
