// `npm run bench -- parallel` (issue 17): `specrun run --threads 1` against every core (no --threads:
// os.availableParallelism()) in the same run, as new processes, each in a fresh working directory (a cold result
// cache; its entries are still written, as in any run). Two workloads:
//   grid  bench/grid-1000.yaml: 1,000 OLS models on the built-in city panel (1,560 city-years);
//   null  specs/examples/grid.yaml with BENCH_PARALLEL_REPS (default 100) draws of its specification curve under the
//         null: its 110 models re-estimated per draw;
//   boot  specs/paper/table5.yaml's mediation model with BENCH_PARALLEL_BOOT (default 10,000) bootstrap replications
//         of whole cities (one model: its replications go to the workers, engine/estimate/replication-pool.ts).
// Medians of BENCH_PARALLEL_RUNS (default 3) runs of each setting, alternating; wall time, user and system CPU and
// peak RSS (the whole process, workers included) from /usr/bin/time. Both settings' outputs are compared byte for byte.
// BENCH_PARALLEL_CASES=grid (or null, boot, a list) runs some of the workloads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    const args = [bin, 'run', spec, '--out', out, '--no-cache', '--quiet'];
    if (threads !== null) args.push('--threads', String(threads));
    const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, ...args], {
      cwd,
      env: { ...process.env, CI: '1', SPECRUN_THREADS: '' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`specrun run ${spec} failed (${r.status}): ${r.stderr}`);
    const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    const files = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
    return { wall, user, sys, rss: rssKb / 1024, files };
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
