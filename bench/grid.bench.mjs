// `npm run bench -- grid` (issue 17): the 1,000-model grid bench/grid-1000.yaml (the built-in city panel, 1,560
// city-years; the same file as `npm run bench -- parallel`) run three ways, as new processes in fresh working
// directories (cold caches), in the same run:
//   single   one `specrun run` (the baseline);
//   threads1 the same with `--threads 1`, when the engine has --threads (worker threads; otherwise skipped);
//   sharded  N = BENCH_GRID_SHARDS (default 4) processes `specrun run --shard K/N --cache-dir cK` started together,
//            then the caches merged by copying and one `specrun run` assembling the tables (no model estimated).
//            Its wall time is the slowest shard's plus the merge and the assembly (the shards run concurrently);
//            CPU is every process's. With --threads each shard runs --threads 1 (N processes share the cores).
//            Then each shard is run again, one after the other, with every model in its cache: the per-process
//            set-up of a shard (start-up, check, fingerprints, cache reads; no model estimated).
// BENCH_GRID_BASELINE=DIR also runs the sharded case (and the reruns) with DIR's bin/specrun.mjs (another checkout,
// built), alternating with this one, and prints this checkout's figures against it.
// Medians of BENCH_GRID_RUNS (default 3) runs of each, alternating; wall, user and system CPU and peak RSS (max RSS
// of each process) from /usr/bin/time. The assembled outputs are compared with the single run's, byte for byte.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

export const name = 'grid: 1,000 models, one process against N shards (--shard K/N) and an assembly';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'specrun.mjs');
const spec = join(root, 'bench', 'grid-1000.yaml');

/** `specrun run ARGS` under /usr/bin/time in `cwd`; resolves to its figures and stderr. */
function timed(cwd, args, tag, specrun = bin) {
  const timeFile = join(cwd, `time-${tag}.txt`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, specrun, 'run', ...args],
      {
        cwd,
        env: { ...process.env, CI: '1', SPECRUN_THREADS: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`specrun run ${args.join(' ')} failed (${code}): ${stderr}`));
      const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      resolve({ wall, user, sys, rss: rssKb / 1024, stderr });
    });
  });
}

function outputs(dir) {
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
}

function sameFiles(a, b) {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.get(k)?.equals(v)) return false;
  return true;
}

async function single(extra) {
  const cwd = mkdtempSync(join(tmpdir(), 'specrun-bench-grid-'));
  try {
    const t = await timed(cwd, [spec, '--out', 'out', '--quiet', ...extra], 'single');
    return { ...t, files: outputs(join(cwd, 'out')) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function sharded(n, extra, specrun = bin) {
  const cwd = mkdtempSync(join(tmpdir(), 'specrun-bench-grid-shards-'));
  try {
    const started = performance.now();
    const shardArgs = (i) => [spec, '--shard', `${i + 1}/${n}`, '--cache-dir', `c${i + 1}`, ...extra];
    const shards = await Promise.all(
      Array.from({ length: n }, (_, i) => timed(cwd, shardArgs(i), `shard${i + 1}`, specrun)),
    );
    const shardWall = (performance.now() - started) / 1000;
    // Each shard again, one at a time, every model in its cache: the set-up a shard process costs.
    const reruns = [];
    for (let i = 0; i < n; i++) reruns.push(await timed(cwd, shardArgs(i), `rerun${i + 1}`, specrun));
    for (const r of reruns)
      if (!/: 0 estimated, \d+ found in the cache;/.test(r.stderr))
        throw new Error(`a shard rerun estimated: ${r.stderr}`);
    const m0 = performance.now();
    mkdirSync(join(cwd, '.specrun-cache'));
    for (let i = 1; i <= n; i++) cpSync(join(cwd, `c${i}`), join(cwd, '.specrun-cache'), { recursive: true });
    const merge = (performance.now() - m0) / 1000;
    const asm = await timed(cwd, [spec, '--out', 'out'], 'assemble', specrun);
    const estimated = /\((\d+) not in the cache: estimated\)/.exec(asm.stderr)?.[1] ?? '0';
    const fromCache = /\((\d+) from cache\)/.exec(asm.stderr)?.[1] ?? '0';
    const perShard = shards.map((s) => Number(/(\d+) of \d+ model\(s\) in this shard/.exec(s.stderr)?.[1]));
    return {
      wall: shardWall + merge + asm.wall,
      user: shards.reduce((a, s) => a + s.user, 0) + asm.user,
      sys: shards.reduce((a, s) => a + s.sys, 0) + asm.sys,
      rss: Math.max(...shards.map((s) => s.rss)),
      shardWall,
      shardWalls: shards.map((s) => s.wall),
      shardRss: shards.map((s) => s.rss),
      shardUser: median(shards.map((s) => s.user)),
      rerunWall: median(reruns.map((s) => s.wall)),
      rerunUser: median(reruns.map((s) => s.user)),
      rerunRss: median(reruns.map((s) => s.rss)),
      merge,
      asm,
      perShard,
      estimated: Number(estimated),
      fromCache: Number(fromCache),
      files: outputs(join(cwd, 'out')),
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

export async function run() {
  const runs = Number(process.env.BENCH_GRID_RUNS ?? 3);
  const n = Number(process.env.BENCH_GRID_SHARDS ?? 4);
  const help = spawnSync(process.execPath, [bin, 'run', '--help'], { encoding: 'utf8' }).stdout;
  const hasThreads = help.includes('--threads');
  const shardExtra = hasThreads ? ['--threads', '1'] : [];
  console.log(
    `cores available: ${availableParallelism()}; load average at the start ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}; --threads ${hasThreads ? 'available' : 'not in this engine (skipped)'}`,
  );
  const baseline = process.env.BENCH_GRID_BASELINE ? join(process.env.BENCH_GRID_BASELINE, 'bin', 'specrun.mjs') : null;
  const one = [];
  const t1 = [];
  const sh = [];
  const base = [];
  for (let r = 0; r < runs; r++) {
    one.push(await single([]));
    if (hasThreads) t1.push(await single(['--threads', '1']));
    sh.push(await sharded(n, shardExtra));
    if (baseline) base.push(await sharded(n, shardExtra, baseline));
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  const line = (what, xs) =>
    `  ${what.padEnd(34)} wall ${m(xs, 'wall').toFixed(2)} s   user ${m(xs, 'user').toFixed(2)} s   sys ${m(xs, 'sys').toFixed(2)} s   peak RSS ${m(xs, 'rss').toFixed(0)} MB`;
  console.log(`medians of ${runs} run(s); ${bench(spec)}`);
  console.log(line('single run (default threads)', one));
  if (hasThreads) {
    console.log(line('single run --threads 1', t1));
    console.log(`  speed-up of every core over --threads 1 (wall): ${(m(t1, 'wall') / m(one, 'wall')).toFixed(2)}×`);
  }
  console.log(line(`${n} shards + merge + assembly`, sh));
  console.log(
    `    shards (concurrent): wall ${m(sh, 'shardWall').toFixed(2)} s; per shard wall ${sh[0].shardWalls.map((x) => x.toFixed(1)).join(' / ')} s, peak RSS ${sh[0].shardRss.map((x) => x.toFixed(0)).join(' / ')} MB, models ${sh[0].perShard.join(' / ')} (first run)`,
  );
  console.log(
    `    merge ${m(sh, 'merge').toFixed(2)} s; assembly wall ${median(sh.map((s) => s.asm.wall)).toFixed(2)} s, user ${median(sh.map((s) => s.asm.user)).toFixed(2)} s, peak RSS ${median(sh.map((s) => s.asm.rss)).toFixed(0)} MB; models from the cache ${sh[0].fromCache}, estimated at assembly ${Math.max(...sh.map((s) => s.estimated))}`,
  );
  console.log(
    `  sharded / single (wall, medians) ${(m(sh, 'wall') / m(one, 'wall')).toFixed(2)}   CPU (user+sys) ratio ${(
      (m(sh, 'user') + m(sh, 'sys')) / (m(one, 'user') + m(one, 'sys'))
    ).toFixed(2)}   peak RSS ratio (largest process) ${(m(sh, 'rss') / m(one, 'rss')).toFixed(2)}`,
  );
  const setup = (what, xs) =>
    `  ${what.padEnd(34)} per shard process (medians): first run user ${m(xs, 'shardUser').toFixed(2)} s; rerun with every model cached: wall ${m(xs, 'rerunWall').toFixed(2)} s, user ${m(xs, 'rerunUser').toFixed(2)} s, peak RSS ${m(xs, 'rerunRss').toFixed(0)} MB`;
  console.log(setup('shard set-up, this checkout', sh));
  if (baseline) {
    console.log(line(`baseline ${process.env.BENCH_GRID_BASELINE}: ${n} shards + merge + assembly`, base));
    console.log(setup('shard set-up, baseline', base));
    console.log(
      `  this / baseline: shard user CPU ${(m(sh, 'shardUser') / m(base, 'shardUser')).toFixed(2)}, rerun user CPU ${(m(sh, 'rerunUser') / m(base, 'rerunUser')).toFixed(2)}, rerun wall ${(m(sh, 'rerunWall') / m(base, 'rerunWall')).toFixed(2)}, sharded total wall ${(m(sh, 'wall') / m(base, 'wall')).toFixed(2)}, CPU ${((m(sh, 'user') + m(sh, 'sys')) / (m(base, 'user') + m(base, 'sys'))).toFixed(2)}`,
    );
  }
  const identical = [...one, ...t1, ...sh].every((x) => sameFiles(x.files, one[0].files));
  // The baseline's outputs name its own checkout's files (the built-in data's path in results.json): compared with
  // that path read as this checkout's.
  const asHere = (files) => {
    const from = Buffer.from(process.env.BENCH_GRID_BASELINE.replace(/^\/+|\/+$/g, ''));
    const to = Buffer.from(root.replace(/^\/+|\/+$/g, ''));
    return new Map(
      [...files].map(([k, v]) => [
        k,
        Buffer.from(v.toString('latin1').split(from.toString('latin1')).join(to.toString('latin1')), 'latin1'),
      ]),
    );
  };
  const baseIdentical = base.every((x) => sameFiles(asHere(x.files), one[0].files));
  console.log(`  outputs byte-identical (single, --threads 1, assembled): ${identical ? 'yes' : 'NO — a bug'}`);
  if (baseline)
    console.log(
      `  baseline's assembled outputs identical to this checkout's (its checkout path read as this one's): ${baseIdentical ? 'yes' : 'NO'}`,
    );
}

function bench(file) {
  return `spec ${file.slice(root.length + 1)}`;
}
