// The paper from a cold start: `specrun run specs/paper --no-cache` as a new process (Node start-up, module loading,
// reading the CSV, SBM green TFP, PIM, 13 models with a 500-replicate bootstrap, rendering, writing), against the
// start-up of a bare Node process measured in the same run. Target (issue 7): under 5 s on this class of machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'paper: specs/paper from a cold start';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function timeIt(args) {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: root, stdio: 'pipe', env: { ...process.env, CI: '1' } });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function run() {
  const out = mkdtempSync(join(tmpdir(), 'specrun-paper-bench-'));
  try {
    const bare = [];
    const paper = [];
    for (let i = 0; i < 3; i++) {
      bare.push(timeIt(['-e', '']));
      paper.push(timeIt(['bin/specrun.mjs', 'run', 'specs/paper', '--no-cache', '--quiet', '--out', out]));
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const p = med(paper);
    const b = med(bare);
    console.log(`bare node start-up           ${b.toFixed(3)} s`);
    console.log(
      `specrun run specs/paper      ${p.toFixed(3)} s  (${(p / b).toFixed(1)}× a bare start-up; target < 5 s: ${p < 5 ? 'met' : 'NOT met'})`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
