// The columns of one model demeaned on several threads (engine/estimate/ols/demean-pool.ts): the same bits as on one
// thread, for two (iterative route) and three fixed effects, whichever thread iterates which column; and a whole run
// with SPECRUN_THREADS-style `threads` gives the same results.json as one thread.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFixedEffects, demeanColumns } from '../../engine/estimate/ols/index.js';
import { DemeanPool } from '../../engine/estimate/ols/demean-pool.js';
import { clusterMeat, twoWayClusterVcov } from '../../engine/estimate/ols/vcov.js';
import { runCli } from '../helpers/cli.js';
import { rng } from './helpers.js';
import { ColumnProducts, crossProducts } from '../../engine/numerics/linalg.js';
import { COLLINEARITY_TOL, fitOls } from '../../engine/estimate/ols/fit.js';

function data(n: number, sizes: number[], ncols: number, seed: number) {
  const r = rng(seed);
  const codes = sizes.map(() => new Int32Array(n));
  const cols = Array.from({ length: ncols }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const g0 = Math.floor(r.uniform() * sizes[0]!);
    codes[0]![i] = g0;
    // partly nested in the first (slower convergence than independent draws)
    for (let k = 1; k < sizes.length; k++)
      codes[k]![i] = r.uniform() < 0.7 ? g0 % sizes[k]! : Math.floor(r.uniform() * sizes[k]!);
    for (let c = 0; c < ncols; c++) cols[c]![i] = r.normal() + (c + 1) * 0.1 * g0 + (i % 7);
  }
  return { fe: buildFixedEffects(codes), cols };
}

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('demeaning the columns of a model on several threads', () => {
  const saved = process.env['SPECRUN_PARALLEL_MIN_WORK'];
  process.env['SPECRUN_PARALLEL_MIN_WORK'] = '0';
  const pools: DemeanPool[] = [];
  afterAll(() => {
    for (const p of pools) p.close();
    if (saved === undefined) delete process.env['SPECRUN_PARALLEL_MIN_WORK'];
    else process.env['SPECRUN_PARALLEL_MIN_WORK'] = saved;
  });

  for (const [label, sizes, opts] of [
    ['three fixed effects', [400, 60, 9], {}],
    ['two fixed effects, iterative route', [300, 150], { exactTwoWay: false }],
  ] as const)
    for (const threads of [2, 3])
      it(`${label}, ${threads} threads: the same bits as one thread`, () => {
        const { fe, cols } = data(20_000, [...sizes], 5, 41 + threads);
        const one = demeanColumns(cols, fe, opts);
        const pool = new DemeanPool(threads);
        pools.push(pool);
        const many = demeanColumns(cols, fe, { ...opts, pool });
        // the workers did iterate columns (the compiled worker exists after `npm test`'s build)
        expect(pool.workerColumns).toBeGreaterThan(0);
        expect(many.iterations).toBe(one.iterations);
        expect(many.converged).toBe(one.converged);
        expect(many.change).toBe(one.change);
        many.values.forEach((v, j) => expect(bytes(v).equals(bytes(one.values[j]!)), `column ${j}`).toBe(true));
        // a second call reuses the started workers
        const again = demeanColumns(cols, fe, { ...opts, pool });
        again.values.forEach((v, j) => expect(bytes(v).equals(bytes(one.values[j]!))).toBe(true));
      });

  it('while it waits for a worker, the main thread computes the cross products of the finished columns (same bits)', () => {
    const { fe, cols } = data(200_000, [4000, 600, 9], 2, 5);
    // column 0 (this thread's) converges at once; column 1 (the worker's, on a worker still starting) takes sweeps
    cols[0]!.fill(0);
    const pool = new DemeanPool(2);
    pools.push(pool);
    const products = new ColumnProducts();
    const many = demeanColumns(cols, fe, { pool, products });
    expect(pool.workerColumns).toBe(1);
    expect(many.iterations).toBeGreaterThan(1);
    expect(products.has(many.values[0]!)).toBe(true);
    const [a, b] = many.values as [Float64Array, Float64Array];
    const ref = crossProducts([a], b);
    const got = crossProducts([a], b, products);
    expect(bytes(got.xtx).equals(bytes(ref.xtx))).toBe(true);
    expect(Object.is(got.xty[0], ref.xty[0])).toBe(true);
    expect(Object.is(got.yty, ref.yty)).toBe(true);
    // the fit on them: the same bits, the residuals in shared memory (for the cluster scores on the workers)
    const plain = fitOls(b, [a], [1]);
    const ahead = fitOls(b, [a], [1], COLLINEARITY_TOL, { products, sharedResiduals: true });
    expect(ahead.residuals.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bytes(ahead.residuals).equals(bytes(plain.residuals))).toBe(true);
    expect(bytes(ahead.coef).equals(bytes(plain.coef))).toBe(true);
    many.values.forEach((v, j) =>
      expect(bytes(v).equals(bytes(demeanColumns(cols, fe).values[j]!)), `column ${j}`).toBe(true),
    );
  });

  it('non-convergence on the workers is reported as on one thread', () => {
    const { fe, cols } = data(20_000, [400, 60, 9], 4, 7);
    const pool = new DemeanPool(2);
    pools.push(pool);
    const one = demeanColumns(cols, fe, { maxIter: 3 });
    const many = demeanColumns(cols, fe, { maxIter: 3, pool });
    expect(one.converged).toBe(false);
    expect(many.converged).toBe(false);
    expect(many.change).toBe(one.change);
  });

  for (const [label, G, n] of [
    ['direct sums', 50, 20_000],
    ['bucketed sums (scores beyond the cache)', 150_000, 600_000],
  ] as const)
    it(`cluster scores on the threads (${label}): the same meat bits as one thread, one- and two-way`, () => {
      const r = rng(G);
      const X = Array.from({ length: 5 }, () => Float64Array.from({ length: n }, () => r.normal()));
      const e = Float64Array.from({ length: n }, () => r.normal());
      // clusters in random order and in runs
      const a = { codes: Int32Array.from({ length: n }, () => Math.floor(r.uniform() * G)), ngroups: G };
      const b = { codes: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 7) % 40), ngroups: 40 };
      const pool = new DemeanPool(2);
      pools.push(pool);
      const fit = { bread: new Float64Array(25).fill(0.01), X, residuals: e, rss: 1 };
      for (const [one, many] of [
        [clusterMeat(X, e, a), clusterMeat(X, e, a, pool)],
        [twoWayClusterVcov(fit, a, b), twoWayClusterVcov(fit, a, b, pool)],
      ] as const)
        expect(bytes(many).equals(bytes(one))).toBe(true);
      // the workers did compute scores (the compiled worker exists after `npm test`'s build)
      expect(pool.workerScores).toBeGreaterThan(0);
    });

  it('a whole run with SPECRUN_THREADS=2 writes the same results.json as one thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-threads-'));
    try {
      const { fe, cols } = data(6_000, [300, 40, 6], 4, 99);
      const lines = ['f1,f2,f3,y,x1,x2,x3'];
      for (let i = 0; i < fe.n; i++)
        lines.push([fe.codes[0]![i], fe.codes[1]![i], fe.codes[2]![i], ...cols.map((c) => c[i]!)].join(','));
      writeFileSync(join(dir, 'd.csv'), `${lines.join('\n')}\n`);
      writeFileSync(
        join(dir, 'spec.yaml'),
        'data: { source: d.csv }\nmodels:\n  m: { formula: "y ~ x1 + x2 + x3 | f1 + f2 + f3", vcov: cluster(f1) }\n',
      );
      const saved = process.env['SPECRUN_THREADS'];
      const run = async (threads: string, out: string) => {
        process.env['SPECRUN_THREADS'] = threads;
        try {
          const r = await runCli(['run', 'spec.yaml', '--no-cache', '--format', 'json', '--out', out], dir);
          expect(r.code, r.stderr).toBe(0);
        } finally {
          if (saved === undefined) delete process.env['SPECRUN_THREADS'];
          else process.env['SPECRUN_THREADS'] = saved;
        }
        const json = JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8'));
        return JSON.stringify(json.models);
      };
      const one = await run('1', 'o1');
      expect(one).toContain('"x1"');
      expect(await run('2', 'o2')).toBe(one);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
