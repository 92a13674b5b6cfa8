// `npm run bench -- parallel` (issue 17): `specrun run --threads 1` against every core (no --threads:
// os.availableParallelism()) in the same run, as new processes, each in a fresh working directory (a cold result
// cache; its entries are still written, as in any run). Two workloads:
//   grid  bench/grid-1000.yaml: 1,000 OLS models on the built-in city panel (1,560 city-years);
//   null  specs/examples/grid.yaml with BENCH_PARALLEL_REPS (default 100) draws of its specification curve under the
//         null: its 110 models re-estimated per draw;
//   boot  specs/paper/table5.yaml's mediation model with BENCH_PARALLEL_BOOT (default 10,000) bootstrap replications
//         of whole cities (one model: its replications go to the workers, engine/estimate/replication-pool.ts).
// Medians of BENCH_PARALLEL_RUNS (default 3) runs of each setting, alternating; wall time, user and system CPU and
// peak RSS (the whole process, workers included) from /usr/bin/time, and each thread's CPU time (bench/thread-cpu.cjs:
// the main thread and each worker). Both settings' outputs are compared byte for byte.
//
// On a shared Linux machine the wall-clock speed-up shows only when a core is free: with the kernel's autogroup
// scheduling (/proc/sys/kernel/sched_autogroup_enabled = 1) each session gets an equal share of the cores however many
// threads it runs, so while other sessions keep the cores busy a second thread gets no more CPU time. The
// per-thread CPU times give what the threads would take on free cores: the run cannot take less wall time than its
// busiest thread nor less than its CPU time spread over the cores, so "bound" = CPU of the one-thread run /
// max(CPU of the busiest thread, CPU of the threaded run / cores).
// BENCH_PARALLEL_CASES=grid (or null, boot, a list) runs some of the workloads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

export const name =
  'parallel: --threads 1 against every core (1,000-model grid; a spec curve under the null; a mediation bootstrap)';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'specrun.mjs');

/** One `specrun run` as a new process under /usr/bin/time; returns its figures and its output files. */
function once(spec, threads) {
  const cwd = mkdtempSync(join(tmpdir(), 'specrun-bench-parallel-'));
  try {
    const out = join(cwd, 'out');
    const timeFile = join(cwd, 'time.txt');
    const tcpu = join(cwd, 'thread-cpu');
    mkdirSync(tcpu);
    const args = [
      '--require',
      join(root, 'bench', 'thread-cpu.cjs'),
      bin,
      'run',
      spec,
      '--out',
      out,
      '--no-cache',
      '--quiet',
    ];
    if (threads !== null) args.push('--threads', String(threads));
    const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, ...args], {
      cwd,
      env: { ...process.env, CI: '1', SPECRUN_THREADS: '', SPECRUN_BENCH_TCPU: tcpu },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`specrun run ${spec} failed (${r.status}): ${r.stderr}`);
    const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    const files = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
    // per thread: [main, worker…] in seconds of user + system CPU
    const line = /bench-thread-cpu main ([0-9]+)\+([0-9]+); workers (.*)/.exec(r.stderr);
    const perThread = line
      ? [
          (Number(line[1]) + Number(line[2])) / 1000,
          ...[...line[3].matchAll(/([0-9]+)\+([0-9]+)/g)].map((m) => (Number(m[1]) + Number(m[2])) / 1000),
        ]
      : [];
    return { wall, user, sys, rss: rssKb / 1024, files, threads: perThread };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function sameFiles(a, b) {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.get(k)?.equals(v)) return false;
  return true;
}

function report(label, one, all, cores) {
  const m = (xs, k) => median(xs.map((x) => x[k]));
  const line = (what, xs) =>
    `  ${what.padEnd(22)} wall ${m(xs, 'wall').toFixed(2)} s   user ${m(xs, 'user').toFixed(2)} s   sys ${m(xs, 'sys').toFixed(2)} s   peak RSS ${m(xs, 'rss').toFixed(0)} MB`;
  console.log(label);
  console.log(line('--threads 1', one));
  console.log(line(`every core (${cores})`, all));
  console.log(
    `  speed-up (wall, medians)  ${(m(one, 'wall') / m(all, 'wall')).toFixed(2)}×   CPU (user+sys) ratio ${(
      (m(all, 'user') + m(all, 'sys')) / (m(one, 'user') + m(one, 'sys'))
    ).toFixed(2)}   peak RSS ratio ${(m(all, 'rss') / m(one, 'rss')).toFixed(2)}`,
  );
  const identical =
    one.every((x) => sameFiles(x.files, one[0].files)) && all.every((x) => sameFiles(x.files, one[0].files));
  console.log(`  outputs byte-identical across every run: ${identical ? 'yes' : 'NO — a bug'}`);
  // per-thread CPU of the threaded runs (medians): the main thread, the busiest worker, and the bound on free cores
  if (all.every((x) => x.threads.length > 0)) {
    const mainCpu = median(all.map((x) => x.threads[0]));
    const busiest = median(all.map((x) => Math.max(...x.threads)));
    const workers = median(all.map((x) => x.threads.slice(1).reduce((a, b) => a + b, 0)));
    const oneCpu = median(one.map((x) => x.user + x.sys));
    // the wall time on free cores is at least the busiest thread's CPU and the whole process's CPU over the cores
    const floor = Math.max(busiest, m(all, 'user') / cores + m(all, 'sys') / cores);
    console.log(
      `  per thread (every core): main ${mainCpu.toFixed(2)} s, workers ${workers.toFixed(2)} s together, busiest thread ${busiest.toFixed(2)} s → speed-up bound on ${cores} free cores ${(oneCpu / floor).toFixed(2)}× (one-thread CPU ${oneCpu.toFixed(2)} s / max(busiest thread, CPU / cores))`,
    );
  }
}

export async function run() {
  const runs = Number(process.env.BENCH_PARALLEL_RUNS ?? 3);
  const reps = Number(process.env.BENCH_PARALLEL_REPS ?? 100);
  const cases = (process.env.BENCH_PARALLEL_CASES ?? 'grid,null,boot').split(',');
  const boot = Number(process.env.BENCH_PARALLEL_BOOT ?? 10_000);
  const cores = availableParallelism();
  console.log(
    `cores available: ${cores}; load average at the start ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const work = mkdtempSync(join(tmpdir(), 'specrun-bench-parallel-specs-'));
  try {
    const specs = [];
    if (cases.includes('grid'))
      specs.push(['grid: bench/grid-1000.yaml, 1,000 models', join(root, 'bench', 'grid-1000.yaml')]);
    if (cases.includes('null')) {
      const nullSpec = join(work, 'null.yaml');
      writeFileSync(
        nullSpec,
        `extends: ${join(root, 'specs', 'examples', 'grid.yaml')}\nfigures:\n  capital_curve: { inference: { reps: ${reps}, seed: 17 } }\n`,
      );
      specs.push([`null: specs/examples/grid.yaml, 110 models × ${reps} draws under the null`, nullSpec]);
    }
    if (cases.includes('boot')) {
      const bootSpec = join(work, 'boot.yaml');
      writeFileSync(
        bootSpec,
        `extends: ${join(root, 'specs', 'paper', 'table5.yaml')}\nmodels:\n  mediation: { bootstrap: { reps: ${boot}, seed: 20200917, level: 0.95 } }\n`,
      );
      specs.push([`boot: specs/paper/table5.yaml's mediation, ${boot} bootstrap replications (cities)`, bootSpec]);
    }
    for (const [label, spec] of specs) {
      const one = [];
      const all = [];
      for (let i = 0; i < runs; i++) {
        one.push(once(spec, 1));
        all.push(once(spec, null));
      }
      report(label, one, all, cores);
    }
    console.log(
      `load average at the end ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
