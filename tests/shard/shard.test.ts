/**
 * `specrun run --shard K/N` (engine/run/shard.ts) and the recipes of docs/recipes/: the shards' caches, merged by
 * copying, let a run without --shard write every output byte for byte as a single run does, estimating nothing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseShard, shardOf } from '../../engine/run/shard.js';
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { runCli } from '../helpers/cli.js';
import { check, runSpec } from '../../engine/run/pipeline.js';
import { createRunContext } from '../../engine/run/context.js';
import { ResultCache } from '../../engine/cache/result-cache.js';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin', 'specrun.mjs');
const recipes = join(root, 'docs', 'recipes');

/** A scratch project: the example grid on Produc with few draws under the null (the figures are assembled too). */
function project(): { cwd: string; spec: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'specrun-shard-'));
  mkdirSync(join(cwd, 'specs'));
  mkdirSync(join(cwd, 'data'));
  cpSync(join(root, 'data', 'produc.csv'), join(cwd, 'data', 'produc.csv'));
  const text = readFileSync(join(root, 'specs', 'examples', 'grid.yaml'), 'utf8')
    .replace('../../data/produc.csv', '../data/produc.csv')
    .replace(/reps: 50/, 'reps: 3')
    .replace(/^ *drop_region: .*\n/m, ''); // 20 models instead of 110: a quicker test
  expect(text).toContain('reps: 3');
  expect(text).not.toContain('drop_region');
  writeFileSync(join(cwd, 'specs', 'grid.yaml'), text);
  return { cwd, spec: 'specs/grid.yaml' };
}

/** How many models a run reported (`FILE: N model(s)`). */
function modelCount(stderr: string): number {
  const m = /: (\d+) model\(s\)/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return Number(m![1]);
}

/** Every file under a folder, by relative path. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, tree(p, `${prefix}${e.name}/`));
    else out[`${prefix}${e.name}`] = readFileSync(p, 'latin1');
  }
  return out;
}

function bash(script: string, cwd: string, env: Record<string, string>): string {
  return execFileSync('bash', ['-c', script], {
    cwd,
    env: { ...process.env, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
}

function bashStderr(script: string, cwd: string, env: Record<string, string>): string {
  // stderr is where specrun reports; fold it into stdout to read it.
  return bash(`{ ${script}\n} 2>&1`, cwd, env);
}

describe('--shard K/N', () => {
  it('accepts 1 ≤ K ≤ N and says what is wrong otherwise', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '2/0', '2', '2/4/1', 'a/b', '-1/4', '1.5/4', '']) {
      let err: unknown;
      try {
        parseShard(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(SpecrunError);
      expect((err as SpecrunError).code).toBe('CLI_SHARD');
    }
  });

  it('is reported on one line with a hint and exit 2, never run', async () => {
    const { cwd, spec } = project();
    const r = await runCli(['run', spec, '--shard', '5/4'], cwd);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^specrun: CLI_SHARD --shard 5\/4: /);
    expect(lines[1]).toMatch(/^ {2}hint: .*K\/N/);
    expect(readdirSync(cwd).sort()).toEqual(['data', 'specs']); // no cache, no output
    const w = await runCli(['run', spec, '--shard', '1/2', '--watch'], cwd);
    expect(w.code).toBe(2);
  });

  it('puts every model in exactly one shard, by its id alone', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `grid[a=${i % 7},b=${i}]`);
    for (const n of [1, 2, 3, 4, 7]) {
      const counts = new Array<number>(n).fill(0);
      for (const id of ids) {
        const k = shardOf(id, n);
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(n);
        counts[k - 1]!++;
      }
      // Roughly balanced: no shard gets less than half its share of 500 ids.
      for (const c of counts) expect(c).toBeGreaterThan(500 / n / 2);
    }
    // Stable when other models come and go: the assignment is a function of the id.
    expect(shardOf('fe_all', 4)).toBe(shardOf('fe_all', 4));
  });

  it('runs its share into the cache, writes no tables, and the assembly estimates nothing', async () => {
    const { cwd, spec } = project();
    const single = await runCli(['run', spec, '--cache-dir', 'single', '--out', 'one'], cwd);
    expect(single.code).toBe(0);
    const total = modelCount(single.stderr);
    expect(total).toBeGreaterThan(10);
    const shards = [1, 2, 3].map((k) => ({ k, r: null as Awaited<ReturnType<typeof runCli>> | null }));
    for (const s of shards) s.r = await runCli(['run', spec, '--shard', `${s.k}/3`, '--cache-dir', `c${s.k}`], cwd);
    let ran = 0;
    for (const { k, r } of shards) {
      expect(r!.code).toBe(0);
      const m = new RegExp(
        `shard ${k}/3: (\\d+) of ${total} model\\(s\\) in this shard: (\\d+) estimated, 0 found`,
      ).exec(r!.stderr);
      expect(m, r!.stderr).not.toBeNull();
      expect(m![1]).toBe(m![2]);
      ran += Number(m![1]);
      expect(r!.stderr).toContain('no tables written with --shard');
    }
    expect(ran).toBe(total);
    expect(readdirSync(cwd).sort()).toEqual(['c1', 'c2', 'c3', 'data', 'one', 'single', 'specs']); // no out/
    // A shard run again finds its models in its cache, and reports the same data and samples as its first run.
    const again = await runCli(['run', spec, '--shard', '2/3', '--cache-dir', 'c2'], cwd);
    expect(again.stderr).toMatch(/shard 2\/3: (\d+) of \d+ model\(s\) in this shard: 0 estimated, \1 found/);
    const counts = (s: string) =>
      s
        .replace(/\d+ estimated, \d+ found in the cache/g, 'N estimated, M found in the cache')
        .replace(/in [\d.]+ s/g, 'in T s');
    expect(counts(again.stderr)).toBe(counts(shards[1]!.r!.stderr));
    // Shard 1 alone stores the data summary (every model's sample accounting), so that an assembly need not build
    // the data when nothing else needs it; each shard keeps the summary of its own models (shards/).
    expect(readdirSync(join(cwd, 'c1', 'data'))).toHaveLength(1);
    expect(readdirSync(join(cwd, 'c2'))).not.toContain('data');
    for (const k of [1, 2, 3]) expect(readdirSync(join(cwd, `c${k}`, 'shards'))).toHaveLength(1);
    // Merged by copying, the shards' caches assemble without estimating.
    for (const k of [1, 2, 3]) cpSync(join(cwd, `c${k}`), join(cwd, 'merged'), { recursive: true, force: false });
    const asm = await runCli(['run', spec, '--cache-dir', 'merged', '--out', 'asm'], cwd);
    expect(asm.code, asm.stderr).toBe(0);
    expect(asm.stderr).toContain(`${total} model(s) (${total} from cache)`);
    expect(asm.stderr).not.toContain('not in the cache');
    // Assembling from two shards' caches only: the third shard's models are estimated, and counted.
    const partial = await runCli(['run', spec, '--cache-dir', 'c1', '--out', 'part'], cwd);
    const missing = total - Number(/shard 1\/3: (\d+)/.exec(shards[0]!.r!.stderr)![1]);
    expect(partial.stderr).toContain(`(${missing} not in the cache: estimated)`);
    const one = tree(join(cwd, 'one'));
    expect(Object.keys(one)).toContain('capital_curve.svg');
    expect(tree(join(cwd, 'asm'))).toEqual(one);
    expect(tree(join(cwd, 'part'))).toEqual(one);
  }, 300_000);
});

describe('the set-up of a shard', () => {
  it('a shard whose models are all cached builds no data stage; the split values come from the data as read', async () => {
    // The grid with its leave-one-region-out sample (a column of the data) and fewer other choices: 20 models.
    const { cwd } = project();
    const text = readFileSync(join(root, 'specs', 'examples', 'grid.yaml'), 'utf8')
      .replace('../../data/produc.csv', '../data/produc.csv')
      .replace('controls: { none: "", private: lpc, full: lpc + unemp }', 'controls: { private: lpc }')
      .replace(/^ *high_unemployment: .*\n/m, '')
      .replace('vcov: { state: cluster(state), region: cluster(region) }', 'vcov: { state: cluster(state) }')
      .replace(/^ *exclude:\n.*\n/m, '')
      .replace('sample: [all, high_unemployment]', 'sample: [all]')
      .replace('keep: [lpcap, lpc, unemp]', 'keep: [lpcap, lpc]')
      .replace('terms: [lpcap, lpc, unemp]', 'terms: [lpcap, lpc]');
    expect(text).toContain('leave_one_out: region');
    const file = join(cwd, 'specs', 'loo.yaml');
    writeFileSync(file, text);
    const cache = (dir: string) => new ResultCache(join(cwd, dir), { read: true });
    const shardRun = async (k: number, dir: string) => {
      const ctx = createRunContext();
      const checked = await check(file, cwd, ctx);
      expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // the grid's leave_one_out values (a data column) came from the base stage: no derived variable computed yet
      expect(ctx.dataCache.stages.size).toBe(0);
      const r = await runSpec(checked.spec!, '', null, ctx, { cache: cache(dir), shard: { index: k, count: 3 } });
      expect(r.diagnostics).toEqual([]);
      return { run: r.run!, built: ctx.dataCache.stages.size > 0 };
    };
    for (const k of [1, 2]) {
      const first = await shardRun(k, `s${k}`);
      expect(first.built).toBe(true);
      expect('frame' in first.run.data).toBe(true);
      expect(first.run.models.some((m) => !m.cached)).toBe(true);
      const again = await shardRun(k, `s${k}`);
      expect(again.built).toBe(false); // neither the data stage nor any sample
      expect('frame' in again.run.data).toBe(false);
      expect(again.run.models.map((m) => [m.id, m.cached])).toEqual(first.run.models.map((m) => [m.id, true]));
      expect(again.run.models.map((m) => m.result)).toEqual(first.run.models.map((m) => m.result));
      expect(again.run.modelAccounting).toEqual(first.run.modelAccounting);
      expect(again.run.data.accounting).toEqual(first.run.data.accounting);
      expect(again.run.warnings).toEqual(first.run.warnings);
      expect(again.run.provenance.specHash).toBe(first.run.provenance.specHash);
    }
    // Without its own summary (another shard's cache), a shard builds the data as before.
    cpSync(join(cwd, 's1'), join(cwd, 's2b'), { recursive: true });
    const other = await shardRun(2, 's2b');
    expect(other.built).toBe(true);
  }, 300_000);
});

describe('docs/recipes', () => {
  const specrun = `node ${bin}`; // (a path without spaces: the recipes expand $SPECRUN unquoted)

  it('the Slurm array job and its assembly, with N = 3, give the single run byte for byte', () => {
    const { cwd, spec } = project();
    const env = { N: '3', SPEC: spec, SPECRUN: specrun };
    const shard = readFileSync(join(recipes, 'slurm-shard.sbatch'), 'utf8');
    expect(shard).toMatch(/^#SBATCH --array=1-\d+$/m);
    for (const k of [1, 2, 3]) bash(shard, cwd, { ...env, SLURM_ARRAY_TASK_ID: String(k) });
    expect(readdirSync(join(cwd, 'cache')).sort()).toEqual(['shard-1', 'shard-2', 'shard-3']);
    const log = bashStderr(readFileSync(join(recipes, 'slurm-assemble.sbatch'), 'utf8'), cwd, env);
    expect(log).toMatch(/: (\d+) model\(s\) \(\1 from cache\)/);
    expect(log).not.toContain('not in the cache');
    bash(`${specrun} run "$SPEC" --out single --cache-dir single-cache`, cwd, env);
    expect(tree(join(cwd, 'out'))).toEqual(tree(join(cwd, 'single')));
    // The submit script queues the array and the dependent assembly with the same N.
    const submit = readFileSync(join(recipes, 'slurm-submit.sh'), 'utf8');
    expect(submit).toContain('--array=1-"$N"');
    expect(submit).toContain('--dependency=afterok:"$jobid"');
  }, 300_000);

  it("the GitHub Actions matrix's steps, with N = 3, give the single run byte for byte", () => {
    const wf = parse(readFileSync(join(recipes, 'github-actions-shards.yml'), 'utf8')) as {
      env: Record<string, string | number>;
      jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const { cwd, spec } = project();
    const env = { N: '3', SPEC: spec };
    const steps = (job: string) =>
      wf.jobs[job]!.steps.filter((s) => s.run && s.run.trim() !== 'npm ci').map((s) =>
        s.run!.replaceAll('npx specrun', specrun),
      );
    expect(steps('shard').join('\n')).toContain('--shard "$SHARD/$N"');
    for (const k of [1, 2, 3]) for (const s of steps('shard')) bash(s, cwd, { ...env, SHARD: String(k) });
    // upload-artifact of cache/shard-K as specrun-cache-K, then download-artifact into cache/specrun-cache-K/.
    const upload = wf.jobs['shard']!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, compared as text
    expect(upload.with!['path']).toBe('cache/shard-${{ matrix.shard }}');
    const download = wf.jobs['assemble']!.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(download.with!['path']).toBe('cache');
    const artifacts = join(cwd, 'artifacts');
    for (const k of [1, 2, 3])
      cpSync(join(cwd, 'cache', `shard-${k}`), join(artifacts, `specrun-cache-${k}`), { recursive: true });
    const assembleCwd = join(cwd, 'assemble');
    mkdirSync(assembleCwd);
    cpSync(join(cwd, 'specs'), join(assembleCwd, 'specs'), { recursive: true });
    cpSync(join(cwd, 'data'), join(assembleCwd, 'data'), { recursive: true });
    cpSync(artifacts, join(assembleCwd, 'cache'), { recursive: true });
    const log = steps('assemble')
      .map((s) => bashStderr(s, assembleCwd, env))
      .join('');
    expect(log).toMatch(/: (\d+) model\(s\) \(\1 from cache\)/);
    expect(log).not.toContain('not in the cache');
    bash(`${specrun} run "$SPEC" --out single --cache-dir single-cache`, cwd, env);
    expect(tree(join(assembleCwd, 'out'))).toEqual(tree(join(cwd, 'single')));
  }, 300_000);
});
