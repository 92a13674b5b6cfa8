// Incremental runs through the result cache (issue 8). For specs/examples/grunfeld.yaml and the paper (specs/paper,
// when present): copy the specs to a temp folder (never edit the committed files), run them once with an empty cache
// (run 1), make a one-line edit to one model (drop the last regressor of the first formula with two or more), and
// run again with the same cache (run 2). Prints how many models run 2 re-estimated and the time ratio run 2 / run 1;
// as the baseline of the same run, also run 2's spec without the cache (every model estimated again).
// Medians of three repetitions. A warm-up run first, so that both timed runs see the same warm JIT and the same in-process data-source memo.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, runSpec } from '../dist/run/pipeline.js';
import { createRunContext } from '../dist/run/context.js';
import { assembleOutputs } from '../dist/run/outputs.js';
import { ResultCache } from '../dist/cache/result-cache.js';

export const name = 'incremental: run, edit one model, run again from the result cache';

const REPS = 3;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function specFiles(path) {
  if (statSync(path).isDirectory())
    return readdirSync(path)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(path, f));
  return [path];
}

/** Drop the last regressor of the first formula that has two or more; returns the edited file and line. */
function editOneModel(files) {
  for (const f of files) {
    const lines = readFileSync(f, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*formula:\s*)([^~]+~)([^|#]+)(.*)$/.exec(lines[i]);
      if (!m) continue;
      const terms = m[3]
        .split('+')
        .map((t) => t.trim())
        .filter(Boolean);
      if (terms.length < 2) continue;
      const rest = m[4].trim();
      lines[i] = `${m[1]}${m[2]} ${terms.slice(0, -1).join(' + ')}${rest ? ` ${rest}` : ''}`;
      writeFileSync(f, lines.join('\n'));
      return { file: f, line: i + 1, text: lines[i].trim() };
    }
  }
  return null;
}

/** One pass over the specs as the CLI does it: check, run each (with the cache, if any), assemble the outputs. */
async function runAll(files, cwd, cache) {
  const t0 = performance.now();
  let models = 0;
  let estimated = 0;
  let failed = 0;
  let modelSeconds = 0;
  const runs = [];
  const ctx = createRunContext();
  const checked = [];
  for (const f of files) {
    const s = (await check(f, cwd, ctx)).spec;
    if (s && (s.plan.tables.length > 0 || s.plan.models.length > 0)) checked.push(s);
  }
  for (const spec of checked) {
    const r = await runSpec(
      spec,
      checked.length > 1 ? basename(spec.loaded.file, extname(spec.loaded.file)) : '',
      null,
      ctx,
      { cache },
    );
    failed += r.diagnostics.filter((d) => d.severity === 'error').length;
    if (!r.run) continue;
    runs.push(r.run);
    for (const m of r.run.models) {
      models++;
      if (!m.cached) {
        estimated++;
        modelSeconds += m.seconds;
      }
    }
  }
  assembleOutputs(runs, join(cwd, 'out'), new Set(['tex', 'md', 'json']), 'bench');
  return { seconds: (performance.now() - t0) / 1000, models, estimated, failed, modelSeconds };
}

/** `specrun run` in a child process; models and re-estimated models counted from its summary lines. */
function cli(target, cwd, extra = []) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin', 'specrun.mjs'), 'run', target, '--out', join(cwd, 'out'), ...extra],
    { cwd, encoding: 'utf8' },
  );
  const seconds = (performance.now() - t0) / 1000;
  let models = 0;
  let cached = 0;
  for (const m of r.stderr.matchAll(/: (\d+) model\(s\)(?: \((\d+) from cache\))?/g)) {
    models += Number(m[1]);
    cached += Number(m[2] ?? 0);
  }
  return { seconds, models, estimated: models - cached };
}

async function bench(label, rel) {
  const src = join(root, rel);
  if (!existsSync(src)) {
    console.log(`${label}: ${rel} not found, skipped`);
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'specrun-incr-'));
  try {
    cpSync(join(root, 'specs'), join(tmp, 'specs'), { recursive: true });
    symlinkSync(join(root, 'data'), join(tmp, 'data'));
    const files = specFiles(join(tmp, rel));
    const originals = files.map((f) => readFileSync(f, 'utf8'));
    await runAll(files, tmp, null); // warm-up
    // Three repetitions, each with its own empty cache and the original specs restored; medians are printed.
    const reps = [];
    let edit = null;
    for (let r = 0; r < REPS; r++) {
      files.forEach((f, i) => writeFileSync(f, originals[i]));
      const cacheDir = join(tmp, `.specrun-cache-${r}`);
      const first = await runAll(files, tmp, new ResultCache(cacheDir));
      edit = editOneModel(files);
      if (!edit) {
        console.log(`${label}: no formula with two regressors to edit, skipped`);
        return;
      }
      const second = await runAll(files, tmp, new ResultCache(cacheDir));
      const fresh = await runAll(files, tmp, new ResultCache(cacheDir, { read: false, write: false }));
      reps.push({ first, second, fresh });
    }
    const med = (k) => reps.map((x) => x[k]).sort((a, b) => a.seconds - b.seconds)[Math.floor(REPS / 2)];
    const first = med('first');
    const second = med('second');
    const fresh = med('fresh');
    const shown = `${edit.file.slice(tmp.length + 1)}:${edit.line}`;
    console.log(`${label}: edit ${shown} → ${edit.text}`);
    console.log(
      `  run 1 (empty cache, median of 3):  ${first.seconds.toFixed(3)} s, ${first.estimated}/${first.models} models estimated (${first.modelSeconds.toFixed(3)} s in estimators)${first.failed ? `, ${first.failed} model error(s)` : ''}`,
    );
    console.log(
      `  run 2 (after edit, median of 3):   ${second.seconds.toFixed(3)} s, ${second.estimated}/${second.models} models re-estimated (${second.modelSeconds.toFixed(3)} s in estimators)`,
    );
    console.log(
      `  baseline, run 2 without cache: ${fresh.seconds.toFixed(3)} s, ${fresh.estimated}/${fresh.models} models estimated`,
    );
    console.log(
      `  ratio run 2 / run 1: ${(second.seconds / first.seconds).toFixed(3)};  run 2 / no-cache baseline: ${(second.seconds / fresh.seconds).toFixed(3)}`,
    );
    console.log(
      `  (in one process: the data stage is memoized across runs, so these times are estimation and rendering)`,
    );
    // The same through the command line, one process per run: what a user waits for. In one process the data
    // stage is shared between runs (engine/data memoizes it), so the in-process ratios above leave it out; here
    // every run reads the data and computes the derived variables again.
    files.forEach((f, i) => writeFileSync(f, originals[i]));
    const cwd = join(tmp, 'cli');
    mkdirSync(cwd);
    const target = join(tmp, rel);
    const c1 = cli(target, cwd);
    editOneModel(files);
    const c2 = cli(target, cwd);
    const c3 = cli(target, cwd, ['--no-cache']);
    console.log(
      `  command line (one process per run, startup included): run 1 ${c1.seconds.toFixed(2)} s (${c1.estimated}/${c1.models} estimated), run 2 ${c2.seconds.toFixed(2)} s (${c2.estimated}/${c2.models} re-estimated), run 2 with --no-cache ${c3.seconds.toFixed(2)} s`,
    );
    console.log(
      `  command line ratio run 2 / run 1: ${(c2.seconds / c1.seconds).toFixed(3)};  run 2 / --no-cache: ${(c2.seconds / c3.seconds).toFixed(3)}`,
    );
    console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function run() {
  await bench('grunfeld', 'specs/examples/grunfeld.yaml');
  await bench('paper', 'specs/paper');
}
