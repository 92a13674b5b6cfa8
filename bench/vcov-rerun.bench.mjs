// Fit, then variance (issue 12): the paper (specs/paper) run in full, then again after changing the variance of every
// model that has one (`vcov: cluster(city)` → `vcov: hc1`, in a copy of the specs), with the warm cache of the full
// run. OLS and IV models then take their fit from the cache and compute only the variance; models whose module
// computes the variance inside its fit (the mediation model's clustered bootstrap) are estimated again; models without
// a variance choice (GMM, rank-size) come from the result cache. Printed: medians of REPS repetitions, each with its
// own empty cache, as the ratio of the vcov-only rerun to the full run measured in the same repetition; as a
// baseline, the same edited specs with --no-cache (everything estimated again), and in one process the same two runs
// with a cache that keeps results but no fits (the behaviour before fits were cached).
// Command line, one process per run (start-up, data and SBM included): what a user waits for. In one process: the
// seconds spent in the estimators (ModelRun.seconds), where the fit cache acts.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, runSpec } from '../dist/run/pipeline.js';
import { createRunContext } from '../dist/run/context.js';
import { ResultCache } from '../dist/cache/result-cache.js';
import { median } from './lib.mjs';

export const name = "vcov-rerun: the paper, then again after a change of every model's vcov (fit cache)";

const REPS = Number(process.env.BENCH_REPS ?? 5);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Change every `vcov:` of the copied specs (cluster → hc1, anything else → cluster(city)); returns how many. */
function changeVcov(dir) {
  let changed = 0;
  for (const f of readdirSync(dir).filter((x) => /\.ya?ml$/.test(x))) {
    const path = join(dir, f);
    const text = readFileSync(path, 'utf8').replace(
      /^(\s*vcov:\s*)([^#\n]+?)(\s*(#.*)?)$/gm,
      (_m, key, value, rest) => {
        changed++;
        return `${key}${value.startsWith('cluster') ? 'hc1' : 'cluster(city)'}${rest}`;
      },
    );
    writeFileSync(path, text);
  }
  return changed;
}

function cli(target, cwd, extra = []) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin', 'specrun.mjs'), 'run', target, '--out', join(cwd, 'out'), ...extra],
    { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`specrun run failed (${r.status}): ${r.stderr}`);
  let models = 0,
    cached = 0,
    fits = 0;
  for (const m of r.stderr.matchAll(/: (\d+) model\(s\)(?: \((\d+) from cache\))?(?: \((\d+) from a cached fit)?/g)) {
    models += Number(m[1]);
    cached += Number(m[2] ?? 0);
    fits += Number(m[3] ?? 0);
  }
  return { seconds, models, cached, fits };
}

/** One pass in this process as the CLI does it; the seconds spent in the estimators (cache look-ups included). */
async function inProcess(dir, cwd, cache) {
  const ctx = createRunContext();
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  const checked = [];
  for (const f of files) {
    const s = (await check(f, cwd, ctx)).spec;
    if (s && (s.plan.tables.length > 0 || s.plan.models.length > 0)) checked.push(s);
  }
  let estimation = 0;
  const perModel = new Map();
  const t0 = performance.now();
  for (const spec of checked) {
    const r = await runSpec(spec, basename(spec.loaded.file, extname(spec.loaded.file)), null, ctx, { cache });
    for (const m of r.run?.models ?? []) {
      estimation += m.seconds;
      perModel.set(m.id, { seconds: m.seconds, fitReused: Boolean(m.fitReused) });
    }
  }
  return { estimation, perModel, seconds: (performance.now() - t0) / 1000 };
}

/** The cache as it was before fits were kept: results only (every fit misses, none is stored). */
function withoutFits(cache) {
  cache.getFit = () => undefined;
  cache.putFit = () => false;
  return cache;
}

export async function run() {
  const src = join(root, 'specs', 'paper');
  if (!existsSync(src)) {
    console.log('specs/paper not found, skipped');
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'specrun-vcov-'));
  try {
    const reps = [];
    let edits = 0;
    let last = null;
    for (let r = 0; r < REPS; r++) {
      const base = join(tmp, `r${r}`);
      mkdirSync(base);
      cpSync(join(root, 'specs'), join(base, 'specs'), { recursive: true });
      symlinkSync(join(root, 'data'), join(base, 'data'));
      const dir = join(base, 'specs', 'paper');
      const cwdCli = join(base, 'cli');
      const cwdIn = join(base, 'inproc');
      mkdirSync(cwdCli);
      mkdirSync(cwdIn);
      const full = cli(dir, cwdCli);
      const fullIn = await inProcess(dir, cwdIn, new ResultCache(join(cwdIn, '.specrun-cache')));
      const fullNoFit = await inProcess(dir, cwdIn, withoutFits(new ResultCache(join(cwdIn, '.specrun-cache-nofit'))));
      edits = changeVcov(dir);
      const vcov = cli(dir, cwdCli);
      const vcovIn = await inProcess(dir, cwdIn, new ResultCache(join(cwdIn, '.specrun-cache')));
      const fresh = cli(dir, cwdCli, ['--no-cache']);
      const vcovNoFit = await inProcess(dir, cwdIn, withoutFits(new ResultCache(join(cwdIn, '.specrun-cache-nofit'))));
      reps.push({ full, vcov, fresh, fullIn, vcovIn, fullNoFit, vcovNoFit });
      last = vcov;
    }
    const med = (f) => median(reps.map(f));
    const ratio = med((x) => x.vcov.seconds / x.full.seconds);
    const ratioIn = med((x) => x.vcovIn.estimation / x.fullIn.estimation);
    // The models that took their fit from the cache: their seconds in the full run and in the vcov-only rerun.
    const reusedSeconds = (x, which) => {
      let s = 0;
      for (const [id, m] of x.vcovIn.perModel) if (m.fitReused) s += x[which].perModel.get(id).seconds;
      return s;
    };
    const reusedCount = [...reps[0].vcovIn.perModel.values()].filter((m) => m.fitReused).length;
    console.log(
      `specs/paper, ${edits} vcov line(s) changed (cluster(city) → hc1); ${last.models} models: ${last.cached} from the result cache, ${last.fits} from a cached fit (variance only), ${last.models - last.cached - last.fits} estimated again`,
    );
    console.log(
      `  command line, full run (empty cache), median of ${REPS}:    ${med((x) => x.full.seconds).toFixed(3)} s`,
    );
    console.log(
      `  command line, vcov-only rerun (warm cache), median:  ${med((x) => x.vcov.seconds).toFixed(3)} s   ratio to the full run ${ratio.toFixed(3)} (median of per-repetition ratios)`,
    );
    console.log(`  baseline, the changed specs with --no-cache:         ${med((x) => x.fresh.seconds).toFixed(3)} s`);
    console.log(
      `  in one process, seconds in stage 5 (model data, cache, estimators): full ${med((x) => x.fullIn.estimation).toFixed(3)} s, vcov-only ${med((x) => x.vcovIn.estimation).toFixed(3)} s (ratio ${ratioIn.toFixed(3)}); baseline, the same two runs with results cached but no fits: ${med((x) => x.fullNoFit.estimation).toFixed(3)} s, ${med((x) => x.vcovNoFit.estimation).toFixed(3)} s`,
    );
    console.log(
      `  … of which the ${reusedCount} models with a cached fit: full ${(1000 * med((x) => reusedSeconds(x, 'fullIn'))).toFixed(1)} ms, vcov-only ${(1000 * med((x) => reusedSeconds(x, 'vcovIn'))).toFixed(1)} ms (ratio ${med((x) => reusedSeconds(x, 'vcovIn') / reusedSeconds(x, 'fullIn')).toFixed(3)}); without fits: ${(1000 * med((x) => reusedSeconds(x, 'fullNoFit'))).toFixed(1)} ms, ${(1000 * med((x) => reusedSeconds(x, 'vcovNoFit'))).toFixed(1)} ms`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
