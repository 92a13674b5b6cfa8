/**
 * `specrun diff OLD NEW` and `specrun diff --rev REV SPEC` [--format text|md|json] [--results] [--no-cache].
 * OLD and NEW are two spec files or two folders (their *.yaml files paired by name; with --rev, SPEC may be a folder
 * too). In a folder, files with neither models nor tables are bases and are seen through the specs extending them.
 *
 * Exit codes: 0 whether or not the specs differ unless --exit-code or --fail-on asks otherwise (a diff is a report; a CI step that wants to fail on
 * changes reads `--format json`); 2 when either spec is wrong or the command line is; 1 when `--results` cannot run
 * the models. `--results` runs both sides, taking every model it can from the result cache; with `--rev`, the old
 * side is run on the data files of the working tree (its spec files come from the revision).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { formatDiagnostic, SpecrunError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { CACHE_DIR, ResultCache } from '../cache/result-cache.js';
import type { ModelResult } from '../results/types.js';
import { isDirectory, specNames, specNamesIn } from '../load/spec-files.js';
import type { RunContext } from '../run/context.js';
import { check, runSpec, type CheckedSpec } from '../run/pipeline.js';
import { dataChecksum, diskReader, gitRevisionReader, renamesSince, type FileReader } from './load-revision.js';
import { formatDiff } from './report.js';
import { diffResults, formatResultsDiff, type ResultsDiff } from './results-diff.js';
import { diffPlans, hasChanges, type SpecDiff } from './semantic-diff.js';
import { diffTables, formatTableDiffs, type TableDiff } from './table-diff.js';
import { formatReviewWarnings, reviewWarnings, type ReviewWarning } from './review.js';
import type { ModelPlan, Plan } from '../normalize/plan.js';
import { execFileSync } from 'node:child_process';
import { modelFingerprints } from '../fingerprint/fingerprint.js';
import { engineVersion } from '../version.js';

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
    if (positional.length !== 1)
      throw new SpecrunError('CLI_USAGE', { detail: 'diff --rev REV takes one spec file or folder' });
    const given = positional[0]!;
    const abs = resolve(cwd, given);
    const old = gitRevisionReader(rev, nearestFolder(abs));
    const oldNames = old.listDir?.(abs) ?? null;
    if (isDir(abs) || (oldNames !== null && !existsSync(abs))) {
      const names = [...new Set([...specNames(oldNames ?? []), ...specNamesIn(abs)])].sort();
      // A file renamed since REV (git's rename detection) is one pair, old name → new name.
      const renamed = renamesSince(rev, abs).filter(([a, b]) => dirname(a) === abs && dirname(b) === abs);
      const renamedOld = new Set(renamed.map(([a]) => basename(a)));
      const renamedNew = new Set(renamed.map(([, b]) => basename(b)));
      const pairsOfRenames: FilePair[] = renamed.map(([a, b]) => ({
        old: { file: a, reader: old, name: `${rev}:${join(given, basename(a))}` },
        new: { file: b, reader: diskReader, name: join(given, basename(b)) },
      }));
      return [
        ...pairsOfRenames,
        ...names
          .filter((n) => !renamedOld.has(n) && !renamedNew.has(n))
          .map((n) => {
            const file = join(abs, n);
            const shown = join(given, n);
            return {
              old: (oldNames ?? []).includes(n) ? { file, reader: old, name: `${rev}:${shown}` } : null,
              new: existsSync(file) ? { file, reader: diskReader, name: shown } : null,
            };
          }),
      ];
    }
    // One file: it may be new since REV (added) or gone from the working tree (removed).
    const atRev = old.readBytes(abs) !== null;
    const now = existsSync(abs);
    if (!atRev && !now)
      throw new SpecrunError('CLI_USAGE', { detail: `${given} exists neither in the working tree nor at ${rev}` });
    return [
      {
        old: atRev ? { file: abs, reader: old, name: `${rev}:${given}` } : null,
        new: now ? { file: abs, reader: diskReader, name: given } : null,
      },
    ];
  }
  if (positional.length !== 2)
    throw new SpecrunError('CLI_USAGE', {
      detail: 'diff takes two spec files or folders (OLD NEW), or --rev REV SPEC',
    });
  const [a, b] = positional.map((p) => resolve(cwd, p)) as [string, string];
  if (isDir(a) !== isDir(b))
    throw new SpecrunError('CLI_USAGE', { detail: 'diff compares two files or two folders, not a file with a folder' });
  if (!isDir(a))
    return [
      {
        old: { file: a, reader: diskReader, name: positional[0]! },
        new: { file: b, reader: diskReader, name: positional[1]! },
      },
    ];
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
  readonly tables?: readonly TableDiff[];
  readonly review?: readonly ReviewWarning[];
  /** For an added or removed spec: its models (with formulas) and tables. */
  readonly contents?: SpecContents;
}

interface SpecContents {
  readonly models: readonly { readonly id: string; readonly estimator: string; readonly formula: string | null }[];
  readonly tables: readonly { readonly id: string; readonly columns: readonly string[] }[];
}

/** What `--fail-on` can gate on: a kind of change, optionally in one table (`stars@table1`). */
const GATES = ['any', 'stars', 'estimates', 'se', 'nobs', 'tables'] as const;
type Gate = { readonly kind: (typeof GATES)[number]; readonly table: string | null };

function parseGates(v: string | true | undefined): Gate[] {
  if (v === undefined) return [];
  if (v === true)
    throw new SpecrunError('CLI_USAGE', {
      detail: `--fail-on needs a list (${GATES.join(', ')}, each optionally @TABLE)`,
    });
  return v.split(',').map((x) => {
    const [kind, table] = x.trim().split('@', 2) as [string, string | undefined];
    if (!(GATES as readonly string[]).includes(kind))
      throw new SpecrunError('CLI_USAGE', {
        detail: `--fail-on takes ${GATES.join(', ')} (each optionally @TABLE), not '${kind}'`,
      });
    return { kind: kind as Gate['kind'], table: table ?? null };
  });
}

export async function diffCommand(
  positional: readonly string[],
  flags: ReadonlyMap<string, string | true>,
  io: DiffIo,
  ctx: RunContext,
): Promise<number> {
  if (flags.has('git-driver')) return gitDriver(positional, io, ctx);
  const fmt = flags.get('format') ?? 'text';
  if (fmt !== 'text' && fmt !== 'md' && fmt !== 'json' && fmt !== 'html')
    throw new SpecrunError('CLI_USAGE', { detail: `diff --format takes text, md, html or json, not '${String(fmt)}'` });
  const rev = flags.get('rev');
  if (rev === true) throw new SpecrunError('CLI_USAGE', { detail: '--rev needs a revision' });
  const gates = parseGates(flags.get('fail-on'));
  if (gates.some((g) => g.kind !== 'any' && g.kind !== 'tables') && !flags.has('results')) {
    throw new SpecrunError('CLI_USAGE', {
      detail: '--fail-on stars, estimates, se and nobs compare results: add --results',
    });
  }
  const pairs = filePairs(positional, rev, io.cwd);
  const folder = pairs.length !== 1 || pairs[0]!.old === null || pairs[0]!.new === null;

  // 1. check every spec on both sides; any error ends the command with exit 2
  const errors: Diagnostic[] = [];
  const checkSide = async (e: Endpoint | null): Promise<Side | null> => {
    if (!e) return null;
    const r = await check(e.file, io.cwd, ctx, { reader: e.reader });
    errors.push(
      ...r.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => ({ ...d, file: e.reader === diskReader ? d.file : `${rev}:${d.file}` })),
    );
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
  const cache = flags.has('results')
    ? new ResultCache(resolve(io.cwd, String(flags.get('cache-dir') ?? CACHE_DIR)), { read: !flags.has('no-cache') })
    : null;
  const outcomes: PairOutcome[] = [];
  let failed = false;
  for (const { pair, a, b } of sides) {
    if (folder && isBase(a) && isBase(b)) continue;
    if (!a || !b) {
      const side = (a ?? b)!;
      outcomes.push({
        old: pair.old?.name ?? null,
        new: pair.new?.name ?? null,
        status: a ? 'removed' : 'added',
        contents: contentsOf(side.checked.plan),
      });
      continue;
    }
    const diff = specDiff(a, b, ctx);
    const review = reviewWarnings(a.checked.plan, b.checked.plan, diff);
    let rd: ResultsDiff | undefined;
    let tables: TableDiff[] | undefined;
    if (cache) {
      const ra = await results(a.checked, cache, io, ctx);
      const rb = await results(b.checked, cache, io, ctx);
      if (!ra || !rb) failed = true;
      else {
        rd = diffResults(ra, rb, (id) => b.checked.plan.tables.find((t) => t.models.includes(id))?.spec.stars);
        tables = diffTables({ plan: a.checked.plan, results: ra }, { plan: b.checked.plan, results: rb }, diff);
      }
    }
    outcomes.push({
      old: a.name,
      new: b.name,
      status: 'compared',
      diff,
      review,
      ...(rd ? { results: rd } : {}),
      ...(tables ? { tables } : {}),
    });
  }

  // 3. report
  const changedOutcome = (o: PairOutcome) =>
    o.status !== 'compared' ||
    hasChanges(o.diff!) ||
    (o.review?.length ?? 0) > 0 ||
    (o.tables ?? []).some((t) => t.status !== 'unchanged') ||
    (o.results?.cells.length ?? 0) > 0;
  if (fmt === 'json') {
    const one = outcomes[0];
    const body =
      !folder && one?.diff
        ? {
            ...one.diff,
            review: one.review ?? [],
            ...(one.results ? { results: one.results } : {}),
            ...(one.tables ? { tables: one.tables.map(tableJson) } : {}),
          }
        : { files: outcomes.map((o) => ({ ...o, ...(o.tables ? { tables: o.tables.map(tableJson) } : {}) })) };
    io.stdout.write(JSON.stringify(body, null, 2) + '\n');
  } else {
    const tf = fmt === 'html' ? 'text' : fmt;
    const parts: string[] = [];
    const unchanged: string[] = [];
    for (const o of outcomes) {
      if (o.status !== 'compared') {
        parts.push(formatContents(o, tf));
        continue;
      }
      if (folder && !changedOutcome(o)) {
        unchanged.push(o.new!);
        continue;
      }
      const showCells = flags.has('cells') || !o.tables;
      parts.push(
        formatDiff(o.diff!, tf, o.old!, o.new!) +
          formatReviewWarnings(o.review ?? [], tf) +
          (o.tables && fmt !== 'html' ? formatTableDiffs(o.tables, tf) : '') +
          (o.results && showCells ? formatResultsDiff(o.results, tf) : ''),
      );
    }
    if (unchanged.length)
      parts.push(
        tf === 'md'
          ? `No semantic change in ${unchanged.map((u) => `\`${u}\``).join(', ')}.\n`
          : `no semantic change: ${unchanged.join(', ')}\n`,
      );
    if (parts.length === 0) parts.push(tf === 'md' ? 'No spec files to compare.\n' : 'no spec files to compare\n');
    if (fmt === 'html')
      io.stdout.write(
        htmlPage(
          parts.join('\n'),
          outcomes.flatMap((o) => o.tables ?? []),
        ),
      );
    else io.stdout.write(parts.join('\n'));
  }
  if (cache)
    io.stderr.write(
      `results: ${cache.stats.hits} model(s) from the cache, ${cache.stats.misses + cache.stats.corrupt} estimated\n`,
    );
  if (failed) return 1;
  // 4. --exit-code (any change, as git diff) and --fail-on gates: exit 1 when one trips.
  const tripped: string[] = [];
  if (flags.has('exit-code') && outcomes.some(changedOutcome)) tripped.push('the specs differ');
  for (const g of gates) {
    for (const o of outcomes) {
      const tables = (o.tables ?? []).filter((t) => g.table === null || t.id === g.table);
      const hit =
        g.kind === 'any'
          ? changedOutcome(o)
          : g.kind === 'tables'
            ? (o.diff?.tables ?? []).some((t) => g.table === null || t.id === g.table) ||
              (o.tables ?? []).some((t) => t.status !== 'unchanged' && (g.table === null || t.id === g.table))
            : g.kind === 'stars'
              ? tables.some((t) => t.cells.some((c) => c.stars))
              : g.kind === 'nobs'
                ? tables.some((t) => t.nobs.length > 0)
                : tables.some((t) => t.cells.some((c) => c.kind === (g.kind === 'estimates' ? 'estimate' : 'se')));
      if (hit) {
        tripped.push(`${g.kind}${g.table ? `@${g.table}` : ''} in ${o.new ?? o.old}`);
        break;
      }
    }
  }
  for (const t of tripped) io.stderr.write(`specrun diff: ${t}\n`);
  return tripped.length > 0 ? 1 : 0;
}

function tableJson(t: TableDiff) {
  const { before: _b, after: _a, ...rest } = t;
  return rest;
}

/** A model's formula whole (`y ~ x | fe`), or null for estimators without one. */
function formulaOf(m: ModelPlan): string | null {
  const r = m as unknown as Record<string, unknown>;
  if (!Array.isArray(r['regressors'])) return null;
  const dep = r['dependent'];
  const name = typeof dep === 'string' ? dep : ((dep as { name?: string } | undefined)?.name ?? '?');
  const fe = Array.isArray(r['fixedEffects']) ? (r['fixedEffects'] as string[]) : [];
  return `${name} ~ ${(r['regressors'] as { name: string }[]).map((t) => t.name).join(' + ') || '1'}${fe.length ? ` | ${fe.join(' + ')}` : ''}`;
}

function contentsOf(plan: Plan): SpecContents {
  return {
    models: plan.models.map((m) => ({ id: m.id, estimator: m.estimator, formula: formulaOf(m) })),
    tables: plan.tables.map((t) => ({ id: t.id, columns: [...t.models] })),
  };
}

function formatContents(o: PairOutcome, fmt: 'text' | 'md'): string {
  const name = o.new ?? o.old ?? '';
  const c = o.contents;
  const L: string[] = [];
  if (fmt === 'md') {
    L.push(`### ${o.status === 'added' ? 'New' : 'Removed'} spec: \`${name}\``, '');
    if (c?.models.length) {
      L.push('| model | estimator | formula |', '|---|---|---|');
      for (const m of c.models)
        L.push(`| \`${m.id}\` | ${m.estimator} | ${m.formula ? `\`${m.formula.replace(/\|/g, '\\|')}\`` : ''} |`);
      L.push('');
    }
    if (c?.tables.length)
      for (const t of c.tables) L.push(`- table \`${t.id}\`: ${t.columns.map((x) => `\`${x}\``).join(', ')}`);
  } else {
    L.push(`spec ${o.status}: ${name}`);
    for (const m of c?.models ?? [])
      L.push(
        `  ${o.status === 'added' ? '+' : '-'} model ${m.id} (${m.estimator})${m.formula ? `: ${m.formula}` : ''}`,
      );
    for (const t of c?.tables ?? [])
      L.push(`  ${o.status === 'added' ? '+' : '-'} table ${t.id}: ${t.columns.join(', ')}`);
  }
  return L.join('\n') + '\n';
}

function htmlPage(text: string, tables: readonly TableDiff[]): string {
  const esc = (x: string) => x.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!);
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>specrun diff</title></head><body>\n<pre>${esc(text)}</pre>\n${tables.length ? formatTableDiffs(tables, 'html') : ''}</body></html>\n`;
}

/**
 * `specrun diff --git-driver PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE` — git's external diff
 * interface (`diff.specrun.command`). Each side's text is read from the file git hands over but located at PATH, so
 * that its `extends` and data paths resolve as in the repository (bases are read from the working tree). A YAML file
 * that is not a spec gets git's own text diff. Always exits 0: a non-zero exit would stop git's whole diff.
 */
async function gitDriver(args: readonly string[], io: DiffIo, ctx: RunContext): Promise<number> {
  if (args.length < 7)
    throw new SpecrunError('CLI_USAGE', {
      detail: 'diff --git-driver takes the 7 arguments git passes to an external diff driver',
    });
  const [path, oldFile, , , newFile] = args as [string, string, string, string, string];
  const at = resolve(io.cwd, args.length >= 9 ? args[7]! : path);
  const atOld = resolve(io.cwd, path);
  const nullFile = (f: string) => f === '/dev/null';
  const overlay = (real: string, content: string): FileReader => ({
    readText: (p) => (p === real ? content : diskReader.readText(p)),
    readBytes: (p) => (p === real ? Buffer.from(content) : diskReader.readBytes(p)),
  });
  const read = (f: string) => {
    try {
      return diskReader.readText(f);
    } catch {
      return null;
    }
  };
  const oldText = nullFile(oldFile) ? null : read(oldFile);
  const newText = nullFile(newFile) ? null : read(newFile);
  const a = oldText === null ? null : await check(atOld, io.cwd, ctx, { reader: overlay(atOld, oldText) });
  const b = newText === null ? null : await check(at, io.cwd, ctx, { reader: overlay(at, newText) });
  const header = `specrun diff a/${path} b/${args.length >= 9 ? args[7] : path}\n`;
  if ((a && !a.spec) || (b && !b.spec) || (!a?.spec && !b?.spec)) {
    // Not a spec (or not a valid one): git's text diff, so nothing is hidden.
    let text = '';
    try {
      execFileSync(
        'git',
        [
          'diff',
          '--no-index',
          '--no-ext-diff',
          nullFile(oldFile) ? '/dev/null' : oldFile,
          nullFile(newFile) ? '/dev/null' : newFile,
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
    } catch (e) {
      text = String((e as { stdout?: Buffer }).stdout ?? '');
    }
    const invalid = [...(a?.diagnostics ?? []), ...(b?.diagnostics ?? [])].filter((d) => d.severity === 'error');
    io.stdout.write(
      header +
        (invalid.length && (a?.spec || b?.spec) ? `(one side is not a valid spec: ${invalid[0]!.code})\n` : '') +
        text,
    );
    return 0;
  }
  if (!a?.spec || !b?.spec) {
    const side = (a?.spec ?? b?.spec)!;
    io.stdout.write(
      header +
        formatContents(
          { old: path, new: path, status: a?.spec ? 'removed' : 'added', contents: contentsOf(side.plan) },
          'text',
        ),
    );
    return 0;
  }
  const diff = diffPlans(
    { plan: a.spec.plan, dataChecksum: null },
    { plan: b.spec.plan, dataChecksum: null },
    ctx.estimators,
  );
  io.stdout.write(
    header +
      formatDiff(diff, 'text', `a/${path}`, `b/${path}`) +
      formatReviewWarnings(reviewWarnings(a.spec.plan, b.spec.plan, diff), 'text'),
  );
  return 0;
}

/** The semantic diff of two checked specs, each with the reader its data file is hashed through. */
export function specDiff(
  a: { checked: CheckedSpec; reader: FileReader },
  b: { checked: CheckedSpec; reader: FileReader },
  ctx: RunContext,
): SpecDiff {
  return diffPlans(
    { plan: a.checked.plan, dataChecksum: dataChecksum(a.checked.plan, a.reader) },
    { plan: b.checked.plan, dataChecksum: dataChecksum(b.checked.plan, b.reader) },
    ctx.estimators,
  );
}

async function results(
  checked: CheckedSpec,
  cache: ResultCache,
  io: DiffIo,
  ctx: RunContext,
): Promise<Map<string, ModelResult> | null> {
  // Every model cached (both sides are run on the working tree's data): no data stage at all.
  const checksum = dataChecksum(checked.plan, diskReader);
  if (checksum) {
    const fps = modelFingerprints(checked.plan, checksum, engineVersion(), ctx.estimators);
    const hit = cache.getAll(checked.plan.models.map((m) => ResultCache.keyOf(fps.get(m.id)!.hash)));
    if (hit) return new Map(checked.plan.models.map((m, i) => [m.id, hit[i]!]));
  }
  const r = await runSpec(checked, '', null, ctx, { cache });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.run || errors.length > 0) {
    for (const d of errors) io.stderr.write(formatDiagnostic(d) + '\n');
    return null;
  }
  return new Map(r.run.models.map((m) => [m.key, m.result]));
}
