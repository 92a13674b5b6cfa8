/**
 * `specrun run --threads N` (engine/run/parallel.ts): every output file byte for byte, the run's summary lines, the
 * data accounting, the diagnostics and the result cache the same with 1, 2 and 3 threads — on the robustness grid of
 * specs/examples/grid.yaml with its specification curve under the null (fewer draws, to stay quick), plus three-way
 * fixed-effect models (iterative demeaning) and a model that fails in estimation. The workers are forced on with
 * SPECRUN_PARALLEL_MIN_WORK=0 (the fixture is below the measured threshold) and run the compiled engine, so the CLI
 * is run as a process, from dist/ (npm test builds it first).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'specrun.mjs');

/**
 * Three fixed effects that are not nested (iterative demeaning): models that share columns, on the same and on
 * different workers.
 */
const THREE_WAY = `  three_way_a: { formula: lgsp ~ lpcap + lpc | state + year + ub, vcov: cluster(state) }
  three_way_b: { formula: lgsp ~ lpcap + lpc + unemp + lemp | state + year + ub, vcov: cluster(state) }
  three_way_c: { formula: lgsp ~ lpcap + lemp | state + year + ub, vcov: cluster(state) }
`;

function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'specrun-threads-')), 'spec.yaml');
  writeFileSync(file, text);
  return file;
}

/** specs/examples/grid.yaml (110 models, its curve with fewer draws under the null) and the three-way models. */
function gridFixture(): string {
  return write(`extends: ${join(root, 'specs', 'examples', 'grid.yaml')}
variables: { ub: round(unemp * 2) }
figures:
  capital_curve: { inference: { reps: 8, seed: 5 } }
models:
${THREE_WAY}`);
}

interface Run {
  code: number;
  stderr: string;
  files: Map<string, Buffer>;
}

/** One process; `cwd` holds its result cache (.specrun-cache/). */
function run(spec: string, cwd: string, out: string, args: string[]): Run {
  const r = spawnSync(process.execPath, [bin, 'run', spec, '--out', out, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SPECRUN_PARALLEL_MIN_WORK: '0', SPECRUN_THREADS: '', CI: '1' },
  });
  const files = new Map<string, Buffer>();
  try {
    for (const f of readdirSync(out).sort()) files.set(f, readFileSync(join(out, f)));
  } catch {
    // no output folder: the run failed
  }
  return { code: r.status ?? -1, stderr: r.stderr, files };
}

/** Every file of a result cache (results, fits, data summaries), by its path inside the folder. */
function cacheFiles(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      out.set(path.slice(dir.length + 1), readFileSync(path));
    }
  return out;
}

/** stderr without the timings and the progress lines (the only parts that may differ between runs). */
function stable(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.startsWith('progress: '))
    .join('\n')
    .replace(/ in [0-9.]+ s/g, ' in _ s');
}

describe('--threads', () => {
  it('gives the same bytes, summaries, accounting and cache with 1, 2 and 3 threads', () => {
    const spec = gridFixture();
    const runs = [1, 2, 3].map((t) => {
      const cwd = mkdtempSync(join(tmpdir(), `specrun-threads-${t}-`));
      const first = run(spec, cwd, join(cwd, 'out1'), ['--threads', String(t)]);
      // the rerun from the cache (result cache, fit cache, data summary) with 1 and 2 threads
      const again = t < 3 ? run(spec, cwd, join(cwd, 'out2'), ['--threads', String(t)]) : null;
      return { t, first, again, cache: cacheFiles(join(cwd, '.specrun-cache')) };
    });
    const base = runs[0]!;
    expect(base.first.code, base.first.stderr).toBe(0);
    // the fixture is what it claims: 110 grid models + 3, a curve with its p-values, a cached rerun
    const results = JSON.parse(base.first.files.get('results.json')!.toString('utf8'));
    expect(Object.keys(results.models)).toHaveLength(113);
    expect(results.figures.capital_curve.inference.reps).toBe(8);
    expect(base.again!.stderr).toMatch(/113 model\(s\) \(113 from cache\)/);
    expect([...base.cache.keys()].filter((k) => k.startsWith('fits/')).length).toBeGreaterThan(100);
    for (const r of runs.slice(1)) {
      // the same cache entries, byte for byte (a worker stores what it computed itself)
      expect([...r.cache.keys()].sort(), `${r.t} threads: cache entries`).toEqual([...base.cache.keys()].sort());
      for (const [name, bytes] of base.cache)
        expect(r.cache.get(name)!.equals(bytes), `${name}, ${r.t} threads`).toBe(true);
      const pairs: [string, Run, Run][] = [['first run', base.first, r.first]];
      if (r.again) pairs.push(['cached rerun', base.again!, r.again]);
      for (const [which, a, b] of pairs) {
        expect(b.code, `${r.t} threads, ${which}: ${b.stderr}`).toBe(0);
        expect([...b.files.keys()], `${r.t} threads, ${which}`).toEqual([...a.files.keys()]);
        for (const [name, bytes] of a.files)
          expect(b.files.get(name)!.equals(bytes), `${name}, ${r.t} threads, ${which}`).toBe(true);
        expect(stable(b.stderr), `${r.t} threads, ${which}`).toBe(stable(a.stderr));
      }
    }
  }, 300_000);

  it('reports a model that fails on a worker exactly as one thread does', () => {
    // One cluster in the sample: VCOV_ONE_CLUSTER, raised by the estimator (on a worker), at the model's vcov key.
    const spec = write(`data: { source: ${join(root, 'data', 'produc.csv')}, unit: state, time: year }
variables: { lgsp: log(gsp), lpc: log(pc), lpcap: log(pcap), ub: round(unemp * 2), lemp: log(emp) }
models:
${THREE_WAY}  one_cluster: { formula: lgsp ~ lpcap | year, sample: region == 1, vcov: cluster(region) }
tables:
  t: { columns: [three_way_a, three_way_b, three_way_c] }
  u: { columns: [one_cluster] }
`);
    const [one, two] = [1, 2].map((t) => {
      const cwd = mkdtempSync(join(tmpdir(), `specrun-threads-fail-${t}-`));
      return run(spec, cwd, join(cwd, 'out'), ['--threads', String(t), '--keep-going', '--no-cache']);
    });
    expect(one!.code).toBe(1);
    expect(one!.stderr).toMatch(/VCOV_ONE_CLUSTER/);
    expect(one!.stderr).toMatch(/TABLE_SKIPPED/);
    expect(one!.files.has('t.md')).toBe(true);
    expect(two!.code).toBe(1);
    expect(stable(two!.stderr)).toBe(stable(one!.stderr));
    for (const [name, bytes] of one!.files) expect(two!.files.get(name)!.equals(bytes), name).toBe(true);
  }, 300_000);

  it('reuses cached fits on the workers after a vcov change, as one thread does', () => {
    // The workers look the fits up themselves (engine/run/model-worker.ts): a vcov change alone computes only the
    // variance, with the same files, the same "from a cached fit" count and the same cache as one thread.
    const models = (vcov: string) => `data: { source: ${join(root, 'data', 'produc.csv')}, unit: state, time: year }
variables: { lgsp: log(gsp), lpc: log(pc), lpcap: log(pcap), ub: round(unemp * 2), lemp: log(emp) }
models:
${THREE_WAY.replaceAll('cluster(state)', vcov)}tables:
  t: { columns: [three_way_a, three_way_b, three_way_c] }
`;
    const before = write(models('cluster(state)'));
    const after = write(models('hc1'));
    const [one, two] = [1, 2].map((t) => {
      const cwd = mkdtempSync(join(tmpdir(), `specrun-threads-fit-${t}-`));
      const first = run(before, cwd, join(cwd, 'out1'), ['--threads', String(t)]);
      expect(first.code, first.stderr).toBe(0);
      return {
        r: run(after, cwd, join(cwd, 'out2'), ['--threads', String(t)]),
        cache: cacheFiles(join(cwd, '.specrun-cache')),
      };
    });
    expect(one!.r.code, one!.r.stderr).toBe(0);
    expect(one!.r.stderr).toMatch(/3 model\(s\) \(3 from a cached fit: variance only\)/);
    expect(stable(two!.r.stderr)).toBe(stable(one!.r.stderr));
    for (const [name, bytes] of one!.r.files) expect(two!.r.files.get(name)!.equals(bytes), name).toBe(true);
    expect([...two!.cache.keys()].sort()).toEqual([...one!.cache.keys()].sort());
  }, 300_000);

  it('refuses a thread count that is not a whole number from 1 to 256, from the flag or SPECRUN_THREADS', () => {
    const spec = gridFixture();
    const cwd = mkdtempSync(join(tmpdir(), 'specrun-threads-bad-'));
    for (const bad of ['0', 'two', '1.5', '1000']) {
      const r = run(spec, cwd, join(cwd, 'out'), ['--threads', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toMatch(
        /CLI_USAGE --threads "[^"]*": the number of threads is a whole number from 1 to 256/,
      );
    }
    const env = spawnSync(process.execPath, [bin, 'run', spec, '--out', join(cwd, 'out')], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, SPECRUN_THREADS: 'all' },
    });
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/CLI_USAGE SPECRUN_THREADS "all"/);
  });
});
