// Start-up (issue 19): `specrun validate specs/paper` and a cached rerun of the paper (`specrun run specs/paper` a
// second time, every model, the data summary and the data checks from .specrun-cache/), each a new process; beside
// them, in the same run: a bare Node start-up, the same commands with the engine loaded as dist/'s modules instead
// of the bundle (SPECRUN_NO_BUNDLE=1), and validate checking the data afresh (--no-cache). Medians of
// BENCH_STARTUP_RUNS (default 9) runs, wall clock and user CPU.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

export const name = 'startup: specrun validate specs/paper and a cached rerun of the paper (targets 0.3 s and 0.5 s)';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'specrun.mjs');

/** Wall and user-CPU seconds of one command (user CPU from the child's resource usage through /usr/bin/time). */
function once(args, cwd, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '@@user %U', process.execPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ...env },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  const m = /@@user ([\d.]+)/.exec(r.stderr);
  return { wall, user: m ? Number(m[1]) : NaN };
}

function measure(label, args, cwd, runs, env) {
  const xs = [];
  for (let i = 0; i < runs; i++) xs.push(once(args, cwd, env));
  const w = median(xs.map((x) => x.wall));
  const u = median(xs.map((x) => x.user));
  console.log(`${label.padEnd(44)} ${w.toFixed(3)} s wall, ${u.toFixed(2)} s user CPU (median of ${runs})`);
}

export async function run() {
  const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 9);
  const cwd = mkdtempSync(join(tmpdir(), 'specrun-startup-'));
  try {
    execFileSync(process.execPath, [bin, 'run', join(root, 'specs', 'paper'), '--out', 'out', '--quiet'], {
      cwd,
      stdio: 'pipe',
    });
    const validate = [bin, 'validate', join(root, 'specs', 'paper')];
    const rerun = [bin, 'run', join(root, 'specs', 'paper'), '--out', 'out', '--quiet'];
    const modules = { SPECRUN_NO_BUNDLE: '1' };
    measure('bare node start-up', ['-e', ''], cwd, runs);
    measure('specrun validate specs/paper', validate, cwd, runs);
    measure('  the same, dist/ modules (no bundle)', validate, cwd, runs, modules);
    measure('  the same, data checked afresh (--no-cache)', [...validate, '--no-cache'], cwd, runs);
    measure('specrun run specs/paper, cached rerun', rerun, cwd, runs);
    measure('  the same, dist/ modules (no bundle)', rerun, cwd, runs, modules);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
