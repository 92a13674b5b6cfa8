/**
 * Bootstrap replications on worker threads (engine/estimate/replication-pool.ts): the wild bootstrap, the mediation
 * bootstrap and the threshold model's bootstrap F tests give the same bytes with 1, 2 and 3 threads. Each spec has
 * one model, so that the model stays on the main thread and its replications go to the pool's workers (with
 * SPECRUN_PARALLEL_MIN_WORK=0: the fixtures are below the measured threshold). The replications run the compiled
 * engine, so the CLI is run as a process, from dist/ (npm test builds it first). The pool itself is checked in
 * process: every chunk taken by some thread, the workers took some, and the output is the one-thread output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplicationPool, replicateHere } from '../../engine/estimate/replication-pool.js';
import { wildDrawKernel } from '../../engine/estimate/wild/kernel.js';
import { Xoshiro128 } from '../../engine/estimate/mediation/prng.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'specrun.mjs');
const produc = join(root, 'data', 'produc.csv');
const grunfeld = join(root, 'data', 'grunfeld.csv');

const SPECS: Record<string, string> = {
  wild: `data: { source: ${grunfeld}, unit: firm, time: year }
models:
  webb:
    formula: inv ~ value + capital | firm + year
    vcov: cluster(firm)
    inference: { wild: { reps: 399, weights: webb, seed: 42, terms: [value, capital] } }
tables: { w: { columns: [webb], stats: [nobs, clusters] } }
`,
  mediation_clusters: `data: { source: ${produc}, unit: state, time: year }
variables: { lgsp: log(gsp), lpc: log(pc), lpcap: log(pcap) }
models:
  med:
    estimator: mediation
    treatment: lpcap
    mediator: lpc
    outcome: lgsp
    controls: [unemp]
    vcov: cluster(state)
    bootstrap: { reps: 120, seed: 7, level: 0.95 }
tables: { m: { layout: mediation, columns: [med] } }
`,
  mediation_rows: `data: { source: ${produc}, unit: state, time: year }
variables: { lgsp: log(gsp), lpc: log(pc), lpcap: log(pcap) }
models:
  med_rows:
    estimator: mediation
    treatment: lpcap
    mediator: lpc
    outcome: lgsp
    controls: [unemp]
    vcov: hc1
    bootstrap: { reps: 90, seed: 8, level: 0.9 }
tables: { m_rows: { layout: mediation, columns: [med_rows] } }
`,
  threshold: `data: { source: ${grunfeld}, unit: firm, time: year }
models:
  double:
    estimator: threshold
    formula: inv ~ capital | firm
    threshold: { variable: value, regime: [value], thresholds: 2, trim: 0.05, reps: 40, seed: 3 }
tables: { t: { columns: [double], stats: [nobs, f1, f1_p, f2, f2_p] } }
`,
};

function runAll(threads: number): { code: number; stderr: string; files: Map<string, Buffer> } {
  const dir = mkdtempSync(join(tmpdir(), `specrun-replications-${threads}-`));
  const specs = Object.entries(SPECS).map(([name, text]) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    return file;
  });
  const out = join(dir, 'out');
  const r = spawnSync(
    process.execPath,
    [bin, 'run', ...specs, '--out', out, '--threads', String(threads), '--no-cache'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, SPECRUN_PARALLEL_MIN_WORK: '0', SPECRUN_THREADS: '', CI: '1' },
    },
  );
  const files = new Map<string, Buffer>();
  try {
    for (const f of readdirSync(out).sort()) files.set(f, readFileSync(join(out, f)));
  } catch {
    // no output folder: the run failed
  }
  return { code: r.status ?? -1, stderr: r.stderr, files };
}

describe('bootstrap replications on several threads', () => {
  it('gives the same bytes with 1, 2 and 3 threads (wild, mediation by clusters and by rows, threshold F tests)', () => {
    const [one, ...more] = [1, 2, 3].map(runAll);
    expect(one!.code, one!.stderr).toBe(0);
    // the fixture is what it claims: every bootstrap ran
    const results = JSON.parse(one!.files.get('results.json')!.toString('utf8'));
    const models = results.models as Record<string, { stats: Record<string, number | null>; detail?: unknown }>;
    const ids = Object.keys(models);
    expect(ids.some((id) => models[id]!.stats['wild_p:capital'] !== undefined)).toBe(true);
    expect(ids.some((id) => models[id]!.stats['f2_p'] !== undefined)).toBe(true);
    expect(JSON.stringify(results)).toMatch(/"bootstrap":\{[^}]*"reps":120/);
    expect(JSON.stringify(results)).toMatch(/"bootstrap":\{[^}]*"reps":90/);
    for (const [k, r] of more.entries()) {
      expect(r.code, r.stderr).toBe(0);
      expect([...r.files.keys()]).toEqual([...one!.files.keys()]);
      for (const [name, bytes] of one!.files)
        expect(r.files.get(name)!.equals(bytes), `${name}, ${k + 2} threads`).toBe(true);
    }
  }, 300_000);
});

describe('the replication pool', () => {
  const saved = process.env['SPECRUN_PARALLEL_MIN_WORK'];
  process.env['SPECRUN_PARALLEL_MIN_WORK'] = '0';
  const pools: ReplicationPool[] = [];
  afterAll(() => {
    for (const p of pools) p.close();
    if (saved === undefined) delete process.env['SPECRUN_PARALLEL_MIN_WORK'];
    else process.env['SPECRUN_PARALLEL_MIN_WORK'] = saved;
  });

  /** A wild-bootstrap p-value's job: 4,000 draws of 40 cluster weights, q and M at random. */
  function wildJob(seed: number) {
    const rng = new Xoshiro128(seed);
    const G = 40,
      count = 4000;
    const v = new Float64Array(new SharedArrayBuffer(count * G * 8));
    for (let i = 0; i < v.length; i++) v[i] = rng.below(2) ? 1 : -1;
    const q = Float64Array.from({ length: G }, () => rng.nextFloat() - 0.5);
    const M = Float64Array.from({ length: G * G }, () => (rng.nextFloat() - 0.5) / G);
    return { setup: { v, G, q, M, t0: 1.1 }, count };
  }
  const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

  for (const threads of [2, 3])
    it(`${threads} threads: every replication at its place, the same bits as one thread, some on the workers`, async () => {
      const pool = new ReplicationPool(threads);
      pools.push(pool);
      const { setup, count } = wildJob(11 + threads);
      const one = replicateHere(wildDrawKernel, setup, count, 1);
      // the first job may run before the workers are up; later ones are shared
      let many = pool.run(wildDrawKernel, setup, count, 1, Infinity);
      for (let k = 0; k < 50 && pool.workerChunks === 0; k++) {
        await new Promise((r) => setTimeout(r, 50));
        many = pool.run(wildDrawKernel, setup, count, 1, Infinity);
      }
      expect(pool.workerChunks).toBeGreaterThan(0);
      expect(bytes(many).equals(bytes(one))).toBe(true);
      // the tally is not trivial: some draws exceed, some do not
      const exceed = one.reduce((a, b) => a + b, 0);
      expect(exceed).toBeGreaterThan(0);
      expect(exceed).toBeLessThan(count);
    });

  it('stays on the calling thread below the work threshold', () => {
    process.env['SPECRUN_PARALLEL_MIN_WORK'] = '1000000';
    try {
      const pool = new ReplicationPool(2);
      pools.push(pool);
      const { setup, count } = wildJob(5);
      const out = pool.run(wildDrawKernel, setup, count, 1, 999_999);
      expect(pool.workerChunks).toBe(0);
      expect(bytes(out).equals(bytes(replicateHere(wildDrawKernel, setup, count, 1)))).toBe(true);
    } finally {
      process.env['SPECRUN_PARALLEL_MIN_WORK'] = '0';
    }
  });
});
