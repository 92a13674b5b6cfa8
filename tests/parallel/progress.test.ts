/**
 * Progress of long runs (engine/cli/progress.ts): when stderr is not a terminal, plain `progress:` lines with the
 * count done, the elapsed time and an ETA while the models and the replications of a curve run; none with --quiet;
 * none for runs with few models; and none in any output file. The interval is set to 0 ms here
 * (SPECRUN_PROGRESS_INTERVAL) so that a quick run prints them; by default a line comes every 5 s.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { Progress } from '../../engine/cli/progress.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function gridSpec(): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-progress-'));
  const file = join(dir, 'grid.yaml');
  writeFileSync(
    file,
    `data: { source: ${join(root, 'data', 'produc.csv')}, unit: state, time: year }
variables: { lgsp: log(gsp), lpc: log(pc), lpcap: log(pcap), lgsp_pw: log(gsp / emp) }
grids:
  g:
    model: { formula: "{outcome} ~ lpcap + {controls} | state + year", vcov: "{vcov}", sample: "{sample}" }
    dimensions:
      outcome: { output: lgsp, per_worker: lgsp_pw }
      controls: { private: lpc, full: lpc + unemp, none: "" }
      vcov: { state: cluster(state), hc1: hc1 }
      sample: { all: "", high: unemp > 6 }
tables:
  t: { columns: [{ grid: g, where: { outcome: output, vcov: state, sample: all } }] }
figures:
  curve: { kind: spec_curve, grid: g, term: lpcap, inference: { reps: 25, seed: 3 } }
`,
  );
  return { file, dir };
}

describe('progress lines when stderr is not a terminal', () => {
  const saved = process.env['SPECRUN_PROGRESS_INTERVAL'];
  beforeEach(() => {
    process.env['SPECRUN_PROGRESS_INTERVAL'] = '0';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['SPECRUN_PROGRESS_INTERVAL'];
    else process.env['SPECRUN_PROGRESS_INTERVAL'] = saved;
  });

  it('prints the models and the replications done, with an ETA, and never into an output file', async () => {
    const { file, dir } = gridSpec();
    const r = await runCli(['run', file, '--out', join(dir, 'out'), '--threads', '1', '--no-cache'], dir);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    const models = lines.filter((l) => / models, /.test(l));
    const reps = lines.filter((l) => /replications of curve/.test(l));
    expect(models.length).toBeGreaterThan(0);
    expect(reps.length).toBeGreaterThan(0);
    for (const l of models) expect(l).toMatch(/^progress: .*grid\.yaml: \d+\/24 models, \d+ s elapsed, ETA (\d+ s|—)$/);
    for (const l of reps) expect(l).toMatch(/^progress: \d+\/25 replications of curve, \d+ s elapsed, ETA (\d+ s|—)$/);
    // counts only go up, and never reach the total (the phase's end prints nothing)
    const done = models.map((l) => Number(/(\d+)\/24/.exec(l)![1]));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(Math.max(...done)).toBeLessThan(24);
    // no terminal control characters when stderr is not a terminal
    expect(r.stderr.includes('\u001b') || r.stderr.includes('\r')).toBe(false);
    for (const f of readdirSync(join(dir, 'out')))
      expect(readFileSync(join(dir, 'out', f), 'utf8'), f).not.toMatch(/progress|replications of/);
  }, 120_000);

  it('prints nothing with --quiet', async () => {
    const { file, dir } = gridSpec();
    const r = await runCli(['run', file, '--out', join(dir, 'out'), '--threads', '1', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/progress/);
  }, 120_000);

  it('prints nothing for a run of a few models', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-progress-small-'));
    const r = await runCli(
      ['run', join(root, 'specs', 'examples', 'grunfeld.yaml'), '--out', join(dir, 'out'), '--no-cache'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/progress/);
  }, 120_000);
});

describe('the bar on a terminal', () => {
  it('redraws one line in place with a bar and an ETA, and clears it when the phase ends', () => {
    let out = '';
    let t = 0;
    const p = new Progress({ write: (s: string) => (out += s) }, true, 5000, () => t);
    p.update({ phase: 'models', label: 'a.yaml', done: 0, total: 40 });
    t = 1000;
    p.update({ phase: 'models', label: 'a.yaml', done: 10, total: 40 });
    expect(out).toContain('\r\x1b[K  [######------------------] a.yaml: 10/40 models, 1 s elapsed, ETA 3 s');
    expect(out).not.toContain('\n');
    t = 1050; // within 100 ms of the last draw: not redrawn
    const before = out;
    p.update({ phase: 'models', label: 'a.yaml', done: 11, total: 40 });
    expect(out).toBe(before);
    t = 4000;
    p.update({ phase: 'models', label: 'a.yaml', done: 40, total: 40 });
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });
});
