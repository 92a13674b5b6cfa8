/**
 * The command line (⚑ in the project's design notes, ../shared/DESIGN.md): `specrun run|validate|data|diff`. Exit codes: 0 success; 1 the models could not be
 * run (data, numerical); 2 the spec or the command line is wrong. Failures print one line per problem on stderr
 * (`file:line:col CODE message` and a hint), never a stack trace unless --debug.
 */
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { catalogue } from '../diagnostics/catalogue.js';
import {
  diagnostic,
  formatDiagnostic,
  hasErrors,
  printable,
  SpecrunError,
  type Diagnostic,
} from '../diagnostics/diagnostic.js';
import { writeOutputFolder } from '../io/staged-write.js';
import { statSync } from 'node:fs';
import { PositionedError } from '../data/build-data.js';
import { frameToCsv } from '../io/write-csv.js';
import { writeFilesAtomic } from '../io/atomic-write.js';
import { expandSpecPaths } from '../load/spec-files.js';
import { check, derivedDataset, runSpec, type CheckedSpec, type SpecRun } from '../run/pipeline.js';
import { createRunContext, freshCaches, type RunContext } from '../run/context.js';
import { accountingLines, modelAccountingLine } from '../data/accounting.js';
import { buildData } from '../data/build-data.js';
import { assembleOutputs, stem, type Format } from '../run/outputs.js';
import { DEFAULT_FORMATS, formatNames, isFormatName } from '../render/formats/registry.js';
import { engineVersion } from '../version.js';
import { CACHE_DIR, ResultCache } from '../cache/result-cache.js';
import { parseShard, type Shard } from '../run/shard.js';
import { diffCommand } from '../diff/command.js';
import {
  bashCompletion,
  commandHelp,
  commandNamed,
  GLOBAL_FLAGS,
  globalHelp,
  unknownCommand,
  unknownFlag,
  zshCompletion,
  type FlagDef,
} from './commands.js';
import { initCommand } from './init.js';
import { gitCommit, gitCommitLater } from './git-commit.js';
import { watchCommand } from './watch.js';
import { Progress, PROGRESS_MIN_UNITS } from './progress.js';
import { resolveThreads } from '../run/threads.js';

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  cwd: string;
  /** Ends long-running commands (`run --watch`, `lsp`) when aborted; otherwise they end on SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

interface Args {
  command: string;
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Flags are checked against the command's own (engine/cli/commands.ts): an unknown one is a usage error with the
 * nearest known flag as a hint. The command is the first argument that is not a flag.
 */
function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const commandName = argv.find((a) => !a.startsWith('--')) ?? '';
  const def = commandNamed(commandName);
  const known = new Map<string, FlagDef>();
  for (const f of [...GLOBAL_FLAGS, ...(def?.flags ?? [])]) known.set(f.name, f);
  let command = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      const f = known.get(name);
      if (!f) throw new SpecrunError('CLI_USAGE', { detail: unknownFlag(name, def) });
      if (f.value) {
        const v = inline ?? argv[++i];
        // `--out=` is a mistake, not "the working directory".
        if (v === undefined || v === '')
          throw new SpecrunError('CLI_USAGE', { detail: `--${name} needs a value (${f.value})` });
        flags.set(name, v);
      } else flags.set(name, true);
    } else if (!command) command = a;
    else positional.push(a);
  }
  return { command, positional, flags };
}

/**
 * Run one command. `ctx` holds the registries and the run's caches: a fresh built-in context by default; a test or an
 * embedding program passes one with more estimators or transforms.
 */
export async function main(argv: string[], io: Io, ctx: RunContext = createRunContext()): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    const args = parseArgs(argv);
    debug = args.flags.has('debug');
    if (args.flags.has('version')) {
      io.stdout.write(`${engineVersion()}\n`);
      return 0;
    }
    if (args.command === 'help') {
      const of = args.positional[0] ? commandNamed(args.positional[0]) : undefined;
      if (args.positional[0] && !of)
        throw new SpecrunError('CLI_USAGE', { detail: unknownCommand(args.positional[0]) });
      io.stdout.write(of ? commandHelp(of) : globalHelp(engineVersion()));
      return 0;
    }
    if (!args.command) {
      io.stdout.write(globalHelp(engineVersion()));
      return args.flags.has('help') ? 0 : 2;
    }
    const def = commandNamed(args.command);
    if (!def) throw new SpecrunError('CLI_USAGE', { detail: unknownCommand(args.command) });
    if (args.flags.has('help')) {
      io.stdout.write(commandHelp(def));
      return 0;
    }
    switch (def.name) {
      case 'run':
        return args.flags.has('watch')
          ? await watchCommand(args.positional, args.flags, io, (positional, flags, io2, sink) =>
              runCommand({ command: 'run', positional, flags }, io2, freshCaches(ctx), sink),
            )
          : await runCommand(args, io, ctx);
      case 'validate':
        return await validateCommand(args, io, ctx);
      case 'data':
        return await dataCommand(args, io, ctx);
      case 'diff':
        return await diffCommand(args.positional, args.flags, io, ctx);
      case 'init':
        return await initCommand(args.positional, args.flags, io);
      case 'lsp':
        return await lspCommand(args.flags, io);
      case 'completion':
        return completionCommand(args.positional, io);
      default:
        throw new SpecrunError('CLI_USAGE', { detail: unknownCommand(args.command) });
    }
  } catch (e) {
    if (e instanceof SpecrunError) {
      io.stderr.write(`specrun: ${e.code} ${printable(e.message)}\n  hint: ${catalogue[e.code].hint}\n`);
      return catalogue[e.code].exit;
    }
    if (e instanceof PositionedError) {
      io.stderr.write(formatDiagnostic(e.diagnostic) + '\n');
      return catalogue[e.diagnostic.code].exit;
    }
    io.stderr.write(
      `specrun: internal error: ${(e as Error).message}${debug ? `\n${(e as Error).stack}` : '\n  (run with --debug for details)'}\n`,
    );
    return 1;
  }
}

/** Spec files named on the command line; a folder stands for its *.yaml files, in name order. */
function expandSpecs(positional: string[], cwd: string): { files: string[]; fromFolder: boolean; docName: string } {
  if (positional.length === 0) throw new SpecrunError('CLI_NO_SPEC', { detail: '' });
  const { files, fromFolder, emptyFolders } = expandSpecPaths(positional, cwd);
  if (emptyFolders.length > 0)
    throw new SpecrunError('CLI_NO_SPEC', { detail: `: the folder ${emptyFolders[0]} has no .yaml file` });
  const first = resolve(cwd, positional[0]!);
  const docName = fromFolder ? basename(first) : stem(first);
  return { files, fromFolder, docName };
}

function printDiagnostics(ds: readonly Diagnostic[], io: Io): void {
  for (const d of ds) io.stderr.write(formatDiagnostic(d) + '\n');
}

function exitCodeOf(ds: readonly Diagnostic[]): number {
  let code = 0;
  for (const d of ds) if (d.severity === 'error') code = Math.max(code, catalogue[d.code].exit);
  return code;
}

/** The pipeline's check of every file (engine/run/pipeline.ts `check`), with the data's warnings apart. */
async function checkAll(
  files: string[],
  io: Io,
  ctx: RunContext,
  lang: string | undefined,
): Promise<{ specs: CheckedSpec[]; diagnostics: Diagnostic[]; dataWarnings: Diagnostic[] }> {
  const specs: CheckedSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  const dataWarnings: Diagnostic[] = [];
  for (const f of files) {
    const r = await check(f, io.cwd, ctx, { lang });
    diagnostics.push(...r.diagnostics);
    dataWarnings.push(...(r.dataWarnings ?? []));
    if (r.spec) specs.push(r.spec);
  }
  return { specs, diagnostics, dataWarnings };
}

/** Each diagnostic once: specs of a folder that share a base raise the same data warning at the same line. */
function unique(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = formatDiagnostic(d);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The data accounting of the runs, each data stage once (specs of one base share it), and each model's losses. */
function accountingReport(runs: readonly SpecRun[]): string {
  const lines: string[] = [];
  // By content: specs of one base share one accounting (one object when built, equal copies when read from the cache).
  const seen = new Set<string>();
  for (const r of runs) {
    const models = r.models
      .map((m) => modelAccountingLine(m.id, r.modelAccounting[m.key]!))
      .filter((l): l is string => l !== null);
    const key = JSON.stringify(r.data.accounting);
    if (!seen.has(key)) {
      seen.add(key);
      lines.push(`data of ${r.checked.loaded.file}:`, ...accountingLines(r.data.accounting));
    }
    lines.push(...models);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** `sink` receives the runs of a successful run (watch mode compares them with the previous ones). */
async function runCommand(
  args: Args,
  io: Io,
  ctx: RunContext,
  sink?: (runs: readonly SpecRun[]) => void,
): Promise<number> {
  const { files, fromFolder, docName } = expandSpecs(args.positional, io.cwd);
  const formats = parseFormats(args.flags.get('format'));
  const outDir = resolve(io.cwd, String(args.flags.get('out') ?? 'out'));
  const lang = args.flags.get('lang') as string | undefined;
  const quiet = args.flags.has('quiet');
  const shardFlag = args.flags.get('shard');
  const shard = shardFlag === undefined ? null : parseShard(String(shardFlag));
  if (shard && args.flags.has('watch'))
    throw new SpecrunError('CLI_USAGE', { detail: '--shard and --watch do not go together (a shard runs once)' });
  const threadsFlag = args.flags.get('threads');
  const threads = resolveThreads(
    typeof threadsFlag === 'string' ? threadsFlag : undefined,
    process.env['SPECRUN_THREADS'],
  );
  if ('error' in threads) throw new SpecrunError('CLI_USAGE', { detail: threads.error });
  // Results are cached in .specrun-cache/ of the working directory (or --cache-dir); --no-cache estimates everything
  // (and refreshes it). The same cache keeps the checks of the data (engine/run/base-check.ts).
  const cacheDir = resolve(io.cwd, String(args.flags.get('cache-dir') ?? CACHE_DIR));
  const readCache = !args.flags.has('no-cache');
  const cache = new ResultCache(cacheDir, { read: readCache });
  ctx = { ...ctx, diskCache: cache, readThreads: threads.threads };
  // the commit for the provenance, asked of git (when the files do not tell) while the data are read
  const commitLater = files.length > 0 ? gitCommitLater(dirname(files[0]!)) : null;
  const checked = await checkAll(files, io, ctx, lang);
  if (hasErrors(checked.diagnostics)) {
    printDiagnostics(checked.diagnostics, io);
    return exitCodeOf(checked.diagnostics);
  }
  // From a folder, files that declare no tables and no models are bases for the others, not runs of their own.
  const specs = fromFolder
    ? checked.specs.filter((s) => s.plan.tables.length > 0 || s.plan.models.length > 0)
    : checked.specs;
  const multi = specs.length > 1;
  const runs: SpecRun[] = [];
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [...checked.diagnostics];
  const tty = Boolean(io.stderr.isTTY) && !process.env['CI'];
  const progress = quiet ? null : new Progress(io.stderr, tty);
  const started = performance.now();
  const commit = commitLater ? await commitLater : gitCommit(dirname(files[0]!));
  const shardCounts = { mine: 0, cached: 0, total: 0 };
  for (const spec of specs) {
    const t0 = performance.now();
    // Many models or replications: a bar with an ETA on a terminal, plain lines every few seconds otherwise
    // (engine/cli/progress.ts); a few models on a terminal: the model being estimated.
    const many = spec.plan.models.length >= PROGRESS_MIN_UNITS;
    const r = await runSpec(spec, multi ? stem(spec.loaded.file) : '', commit, ctx, {
      cache,
      shard,
      threads: threads.threads,
      onModel: (id) => {
        if (tty && !quiet && !many) io.stderr.write(`\r\x1b[K  estimating ${id}`);
      },
      ...(progress ? { onWork: (e) => progress.update(e) } : {}),
    });
    progress?.clear();
    if (tty && !quiet) io.stderr.write('\r\x1b[K');
    errors.push(...r.diagnostics.filter((d) => d.severity === 'error'));
    if (r.run) {
      runs.push(r.run);
      warnings.push(...r.run.warnings);
      const fromCache = r.run.models.filter((m) => m.cached).length;
      const varianceOnly = r.run.models.filter((m) => m.fitReused).length;
      const reused = varianceOnly ? ` (${varianceOnly} from a cached fit: variance only)` : '';
      const seconds = ((performance.now() - t0) / 1000).toFixed(2);
      const total = spec.plan.models.length;
      shardCounts.mine += r.run.models.length;
      shardCounts.cached += fromCache;
      shardCounts.total += total;
      // What the cache lacked when it had some (assembling sharded runs: these were estimated here). With none from
      // the cache, every model was estimated, as the line says by naming no cache.
      const missing = r.run.models.length - fromCache;
      const missed = readCache && fromCache > 0 && missing > 0 ? ` (${missing} not in the cache: estimated)` : '';
      if (quiet) continue;
      if (shard)
        io.stderr.write(
          `${spec.loaded.file}: shard ${shard.index}/${shard.count}: ${r.run.models.length} of ${total} model(s): ${missing} estimated, ${fromCache} found in the cache${reused}, in ${seconds} s\n`,
        );
      else
        io.stderr.write(
          `${spec.loaded.file}: ${r.run.models.length} model(s)${fromCache ? ` (${fromCache} from cache)` : ''}${reused}${missed}, ${spec.plan.tables.length} table(s) in ${seconds} s\n`,
        );
    }
  }
  for (const p of cache.problems)
    io.stderr.write(`specrun: cache entry of ${p.model} ignored (${p.reason}); estimated again\n`);
  if (!quiet) io.stderr.write(accountingReport(runs));
  printDiagnostics(unique(warnings), io);
  // Figures whose PDF lacks glyphs (FIGURE_PDF_GLYPHS, an info): said, not a warning a spec must declare.
  if (!quiet)
    printDiagnostics(
      runs.flatMap((r) => (r.figures ?? []).flatMap((f) => (f.pdfNote ? [f.pdfNote] : []))),
      io,
    );
  if (shard) return shardEnd(shard, shardCounts, errors, cacheDir, quiet, io);
  // --keep-going (as make -k): with models or data that failed, still write the tables whose models all succeeded.
  const keepGoing = args.flags.has('keep-going') && errors.length > 0 && exitCodeOf(errors) === 1;
  if (errors.length > 0 && !keepGoing) {
    printDiagnostics(errors, io);
    return exitCodeOf(errors);
  }
  if (keepGoing) {
    for (const spec of specs) {
      const run = runs.find((r) => r.checked === spec);
      const done = new Set(run?.models.map((m) => m.key) ?? []);
      for (const t of spec.plan.tables) {
        const failed = t.models.filter((m) => !done.has(m));
        if (failed.length === 0) continue;
        errors.push(
          diagnostic('TABLE_SKIPPED', t.source, {
            table: t.id,
            reason: run ? `model ${failed.join(', ')} failed` : 'the data stage failed',
          }),
        );
      }
    }
    printDiagnostics(errors, io);
  }
  const out = await assembleOutputs(runs, outDir, formats, docName);
  if (hasErrors(out.diagnostics)) {
    printDiagnostics(out.diagnostics, io);
    return exitCodeOf(out.diagnostics);
  }
  printDiagnostics(out.diagnostics, io); // warnings of the tables (TABLE_LABEL_UNMATCHED, TABLE_GROUPS_SHORT)
  try {
    writeOutputFolder(outDir, out.files);
  } catch (e) {
    if (e instanceof SpecrunError) {
      io.stderr.write(`specrun: ${e.code} ${printable(e.message)}\n  hint: ${catalogue[e.code].hint}\n`);
      return catalogue[e.code].exit;
    }
    throw e;
  }
  if (!quiet) {
    const rel = (p: string) => relative(io.cwd, p) || '.';
    io.stderr.write(
      `wrote ${out.files.length} file(s) to ${rel(outDir)}/ in ${((performance.now() - started) / 1000).toFixed(2)} s\n`,
    );
  }
  if (keepGoing) return 1;
  sink?.(runs);
  return 0;
}

/** The end of a `--shard` run: its counts, and the reminder that no table was written; exit 1 if a model failed. */
function shardEnd(
  shard: Shard,
  counts: { mine: number; cached: number; total: number },
  errors: readonly Diagnostic[],
  cacheDir: string,
  quiet: boolean,
  io: Io,
): number {
  printDiagnostics(errors, io);
  if (!quiet) {
    const rel = relative(io.cwd, cacheDir) || '.';
    io.stderr.write(
      `shard ${shard.index}/${shard.count}: ${counts.mine} of ${counts.total} model(s) in this shard: ${counts.mine - counts.cached} estimated, ${counts.cached} found in the cache; results in ${rel}/\n` +
        "no tables written with --shard: merge the shards' cache folders into one and run specrun run without --shard to write them\n",
    );
  }
  return exitCodeOf(errors);
}

function parseFormats(v: string | true | undefined): Set<Format> {
  if (v === undefined || v === true) return new Set(DEFAULT_FORMATS);
  const out = new Set<Format>();
  for (const f of v.split(',')) {
    const x = f.trim();
    if (isFormatName(x)) out.add(x);
    else throw new SpecrunError('CLI_USAGE', { detail: `unknown format '${x}' (${formatNames.join(', ')})` });
  }
  return out;
}

/**
 * Threads that may read a large CSV for `validate` and `data` (which take no --threads): SPECRUN_THREADS, else every
 * core; one when SPECRUN_THREADS is not a valid count (`run` reports that).
 */
function envThreads(): number {
  const t = resolveThreads(undefined, process.env['SPECRUN_THREADS']);
  return 'threads' in t ? t.threads : 1;
}

async function validateCommand(args: Args, io: Io, ctx: RunContext): Promise<number> {
  const { files } = expandSpecs(args.positional, io.cwd);
  // The data checks are kept in .specrun-cache/ as run's results are (engine/run/base-check.ts); --no-cache redoes them.
  const diskCache = new ResultCache(resolve(io.cwd, CACHE_DIR), { read: !args.flags.has('no-cache') });
  const { diagnostics, dataWarnings } = await checkAll(
    files,
    io,
    { ...ctx, diskCache, readThreads: ctx.readThreads ?? envThreads() },
    undefined,
  );
  printDiagnostics(unique([...diagnostics, ...dataWarnings]), io);
  const code = exitCodeOf(diagnostics);
  if (code === 0) io.stdout.write(`${files.length} spec(s) valid\n`);
  return code;
}

async function dataCommand(args: Args, io: Io, ctx: RunContext): Promise<number> {
  ctx = { ...ctx, readThreads: ctx.readThreads ?? envThreads() };
  const { files } = expandSpecs(args.positional, io.cwd);
  if (files.length !== 1) throw new SpecrunError('CLI_USAGE', { detail: 'data takes one spec file' });
  const outFlag = args.flags.get('out');
  if (typeof outFlag !== 'string')
    throw new SpecrunError('CLI_USAGE', { detail: 'data needs --out FILE.csv (or FILE.parquet, FILE.arrow)' });
  const { specs, diagnostics } = await checkAll(files, io, ctx, undefined);
  if (hasErrors(diagnostics) || specs.length === 0) {
    printDiagnostics(diagnostics, io);
    return exitCodeOf(diagnostics) || 2;
  }
  const spec = specs[0]!;
  const outPath = resolve(io.cwd, outFlag);
  const src = spec.plan.data.source;
  const sources = (Array.isArray(src) ? src : [src])
    .filter((x) => !x.startsWith('builtin:'))
    .map((x) => resolve(spec.plan.data.baseDir, x));
  if (sources.some((x) => sameFile(x, outPath))) {
    throw new SpecrunError('CLI_USAGE', {
      detail: `--out ${outFlag}: ${outFlag} is the data source of ${spec.loaded.file}; choose another file`,
    });
  }
  // Every column of a Parquet source, not only those the specs name: the file shows the whole dataset.
  const all = { ...ctx, readAllColumns: true };
  const data = await buildData(spec.plan, spec.loaded.locate, spec.loaded.locateKey, all);
  if (!args.flags.has('quiet'))
    io.stderr.write([`data of ${spec.loaded.file}:`, ...accountingLines(data.accounting)].join('\n') + '\n');
  printDiagnostics(unique([...diagnostics, ...data.diagnostics.filter((d) => d.severity === 'warning')]), io);
  const frame = await derivedDataset(spec, all);
  // FILE.parquet: Parquet (engine/io/write-parquet.ts, written to disk as it is made), so a large project converts its
  // CSV once; FILE.arrow or FILE.feather: the Arrow IPC file format (engine/io/write-arrow.ts); anything else CSV.
  const ext = extname(outPath).toLowerCase();
  if (ext === '.parquet') await (await import('../io/write-parquet.js')).writeParquetFile(outPath, frame);
  else {
    const bytes =
      ext === '.arrow' || ext === '.feather'
        ? await (await import('../io/write-arrow.js')).frameToArrow(frame)
        : frameToCsv(frame);
    writeFilesAtomic([{ path: outPath, data: bytes }]);
  }
  io.stderr.write(`wrote ${frame.nrows} rows × ${frame.names.length} columns to ${outFlag}\n`);
  return 0;
}

function completionCommand(positional: string[], io: Io): number {
  const shell = positional[0];
  if (shell === 'bash') io.stdout.write(bashCompletion());
  else if (shell === 'zsh') io.stdout.write(zshCompletion());
  else
    throw new SpecrunError('CLI_USAGE', { detail: `completion takes bash or zsh${shell ? `, not '${shell}'` : ''}` });
  return 0;
}

/** The language server is loaded only for `specrun lsp` (its library is not needed by any other command). */
async function lspCommand(flags: Map<string, string | true>, io: Io): Promise<number> {
  if (!flags.has('stdio')) throw new SpecrunError('CLI_USAGE', { detail: 'lsp needs --stdio (the only transport)' });
  const { startLanguageServer } = await import('../lsp/server.js');
  await startLanguageServer(process.stdin, process.stdout, io.cwd);
  return 0;
}

/** Whether two paths name one file (the same path, or the same inode through a link). */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
