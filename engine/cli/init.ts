/**
 * `specrun init DATA` — read a CSV/XLSX, guess the panel's unit and period columns (and say why), list the columns with
 * their types and missing counts, and write a starter spec that validates and runs (engine/init).
 * `specrun init --paper NAME` copies a worked example instead: a folder `specs/NAME/` or a spec
 * `specs/examples/NAME.yaml` of the installed package, with any data file it reads by a relative path copied beside it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { readTable } from '../data/read/index.js';
import { writeFilesAtomic, type OutputFile } from '../io/atomic-write.js';
import { guessPanel, profileColumns } from '../init/profile.js';
import { displayWidth, starterSpec } from '../init/starter-spec.js';
import { packageRoot } from '../version.js';
import { schemaPath } from '../validate/schema.js';

interface InitIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
}

/** A path as a spec writes it: relative, with forward slashes, `./` in front when it does not climb. */
function specPath(fromDir: string, to: string): string {
  const r = relative(fromDir, to).split(sep).join('/');
  return r.startsWith('..') ? r : `./${r}`;
}

export async function initCommand(
  positional: string[],
  flags: Map<string, string | true>,
  io: InitIo,
): Promise<number> {
  const paper = flags.get('paper');
  if (paper !== undefined) return initPaper(String(paper), flags, io);
  if (positional.length !== 1)
    throw new SpecrunError('CLI_USAGE', { detail: 'init takes one data file (or --paper NAME)' });
  const data = resolve(io.cwd, positional[0]!);
  const sheet = typeof flags.get('sheet') === 'string' ? String(flags.get('sheet')) : undefined;
  const outFlag = flags.get('out');
  const out =
    typeof outFlag === 'string'
      ? resolve(io.cwd, outFlag)
      : join(dirname(data), `${basename(data, extname(data)).replace(/\.(csv|tsv|txt)$/i, '')}.yaml`);
  if (existsSync(out) && !flags.has('force'))
    throw new SpecrunError('INIT_EXISTS', { file: relative(io.cwd, out) || out });
  const shown = relative(io.cwd, data) || data;
  const read = await readTable(data, { file: shown, sheet });
  const profiles = profileColumns(read.frame);
  const panel = guessPanel(read.frame, profiles);
  const L: string[] = [];
  const how = read.format === 'csv' ? `CSV, ${read.encoding ?? 'utf-8'}` : `XLSX, sheet ${read.sheet ?? '1'}`;
  L.push(`${shown}: ${read.frame.nrows} rows, ${profiles.length} columns (${how})`);
  const w = Math.max(6, ...profiles.map((p) => displayWidth(p.name)));
  const pad = (s: string) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
  L.push(`  ${pad('column')}  type     missing  distinct`);
  for (const p of profiles)
    L.push(
      `  ${pad(p.name)}  ${p.type.padEnd(7)}  ${String(p.missing).padStart(7)}  ${String(p.distinct).padStart(8)}`,
    );
  for (const r of panel.reasons) L.push(r);
  const title = basename(data, extname(data));
  const text = starterSpec({
    source: specPath(dirname(out), data),
    schema: specPath(dirname(out), schemaPath()),
    sheet: read.format === 'xlsx' ? sheet : undefined,
    title,
    profiles,
    rows: read.frame.nrows,
    panel,
    command: `specrun init ${basename(data)}`,
  });
  writeFilesAtomic([{ path: out, data: text }]);
  const rel = relative(io.cwd, out) || out;
  L.push(`wrote ${rel} — check it with \`specrun validate ${rel}\`, run it with \`specrun run ${rel}\``);
  io.stdout.write(L.join('\n') + '\n');
  return 0;
}

/** The worked examples shipped with the package: folders of specs/ (except examples) and the specs of specs/examples/. */
export function workedExamples(): Map<string, string> {
  const root = join(packageRoot(), 'specs');
  const out = new Map<string, string>();
  if (!existsSync(root)) return out;
  for (const name of readdirSync(root).sort()) {
    const p = join(root, name);
    if (name !== 'examples' && statSync(p).isDirectory()) out.set(name, p);
  }
  const ex = join(root, 'examples');
  if (existsSync(ex))
    for (const f of readdirSync(ex).sort())
      if (/\.ya?ml$/.test(f) && !out.has(f.replace(/\.ya?ml$/, ''))) out.set(f.replace(/\.ya?ml$/, ''), join(ex, f));
  return out;
}

function initPaper(name: string, flags: Map<string, string | true>, io: InitIo): number {
  const examples = workedExamples();
  const src = examples.get(name);
  if (!src) throw new SpecrunError('INIT_UNKNOWN_PAPER', { name, known: [...examples.keys()].join(', ') });
  const outFlag = flags.get('out');
  const outDir = resolve(io.cwd, typeof outFlag === 'string' ? outFlag : name);
  const specs = statSync(src).isDirectory()
    ? readdirSync(src)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(src, f))
    : [src];
  const files: OutputFile[] = [];
  const copiedData = new Map<string, string>();
  for (const spec of specs) {
    const target = join(outDir, basename(spec));
    if (existsSync(target) && !flags.has('force'))
      throw new SpecrunError('INIT_EXISTS', { file: relative(io.cwd, target) || target });
    const doc = parseDocument(readFileSync(spec, 'utf8'));
    const source = doc.getIn(['data', 'source']);
    // A data file read by a relative path that leaves the example's folder is copied beside the specs.
    if (typeof source === 'string' && !source.startsWith('builtin:')) {
      const abs = resolve(dirname(spec), source);
      if (!abs.startsWith(dirname(spec) + sep)) {
        const local = `./${basename(abs)}`;
        if (!copiedData.has(abs)) {
          copiedData.set(abs, local);
          files.push({ path: join(outDir, basename(abs)), data: readFileSync(abs) });
        }
        doc.setIn(['data', 'source'], local);
      }
    }
    let text = doc.toString({ lineWidth: 0 });
    if (!text.startsWith('# yaml-language-server:'))
      text = `# yaml-language-server: $schema=${specPath(outDir, schemaPath())}\n${text}`;
    files.push({ path: target, data: text });
  }
  writeFilesAtomic(files);
  const rel = relative(io.cwd, outDir) || '.';
  io.stdout.write(
    `copied ${specs.length} spec(s)${copiedData.size ? ` and ${copiedData.size} data file(s)` : ''} of the worked example '${name}' to ${rel}/ — run them with \`specrun run ${rel}\`\n`,
  );
  return 0;
}
