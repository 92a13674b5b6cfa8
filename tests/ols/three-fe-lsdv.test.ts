// Three fixed effects where the iteration is slow (issue 19): workers × firms × years with limited mobility (a worker
// stays in one firm for most of her rows, so the worker and firm dummies are nearly collinear and plain alternating
// projections need hundreds of sweeps). The reference is the exact dummy-variable (LSDV) solution computed here by
// dense normal equations (all worker dummies, firm and year dummies but the first, three slopes) and Gaussian
// elimination with partial pivoting. Coefficients and iid SEs must agree to 1e-8 relative, whatever the order in
// which the formula lists the fixed effects; non-convergence within the sweep budget is reported (FE_NOT_CONVERGED).
import { describe, expect, it } from 'vitest';
import { Frame } from '../../engine/core/frame.js';
import { buildFixedEffects, demeanColumns, estimateOls, olsEstimator } from '../../engine/estimate/ols/index.js';
import { solveDenseMany } from '../../engine/numerics/linalg.js';
import { olsPlan, rng } from './helpers.js';

const WORKERS = 240,
  FIRMS = 30,
  YEARS = 12,
  K = 3;

function generate(): Frame {
  const r = rng(20261130);
  const worker: number[] = [],
    firm: number[] = [],
    year: number[] = [];
  for (let w = 0; w < WORKERS; w++) {
    let f = w % FIRMS;
    for (let t = 0; t < YEARS; t++) {
      if (r.uniform() < 0.15) continue;
      if (r.uniform() < 0.04) f = Math.floor(r.uniform() * FIRMS); // a rare move: weak links between the firms
      worker.push(w);
      firm.push(f);
      year.push(t);
    }
  }
  const n = worker.length;
  const wa = Array.from({ length: WORKERS }, () => r.normal());
  const fa = Array.from({ length: FIRMS }, () => r.normal());
  const ya = Array.from({ length: YEARS }, (_, t) => t / 5);
  const xs = Array.from({ length: K }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const beta = [0.8, -0.3, 0.05];
  for (let i = 0; i < n; i++) {
    let v = wa[worker[i]!]! + fa[firm[i]!]! + ya[year[i]!]! + r.normal();
    for (let k = 0; k < K; k++) {
      const x = r.normal() + (k + 1) * 0.5 * fa[firm[i]!]! - 0.3 * wa[worker[i]!]! + 0.1 * k * year[i]!;
      xs[k]![i] = x;
      v += beta[k]! * x;
    }
    y[i] = v;
  }
  const cols: [string, Float64Array][] = [
    ['y', y],
    ['worker', Float64Array.from(worker)],
    ['firm', Float64Array.from(firm)],
    ['year', Float64Array.from(year)],
  ];
  xs.forEach((x, k) => cols.push([`x${k + 1}`, x]));
  return new Frame(n, cols);
}

/** LSDV: parameters x1..x3, worker dummies, firm dummies 1..F−1, year dummies 1..Y−1. */
function lsdv(frame: Frame): { coef: number[]; se: number[] } {
  const y = frame.numeric('y');
  const w = frame.numeric('worker'),
    f = frame.numeric('firm'),
    t = frame.numeric('year');
  const xs = Array.from({ length: K }, (_, k) => frame.numeric(`x${k + 1}`));
  const P = K + WORKERS + FIRMS - 1 + YEARS - 1;
  const A = new Float64Array(P * P),
    b = new Float64Array(P);
  const n = frame.nrows;
  const rowIdx = (i: number): number[] => [
    ...xs.map((_, k) => k),
    K + w[i]!,
    ...(f[i]! > 0 ? [K + WORKERS + f[i]! - 1] : []),
    ...(t[i]! > 0 ? [K + WORKERS + FIRMS - 1 + t[i]! - 1] : []),
  ];
  const rowVal = (i: number, j: number): number => (j < K ? xs[j]![i]! : 1);
  for (let i = 0; i < n; i++) {
    const idx = rowIdx(i);
    for (const a of idx) {
      b[a] = b[a]! + rowVal(i, a) * y[i]!;
      for (const c of idx) A[a * P + c] = A[a * P + c]! + rowVal(i, a) * rowVal(i, c);
    }
  }
  const units = Array.from({ length: K }, (_, k) => {
    const e = new Float64Array(P);
    e[k] = 1;
    return e;
  });
  const [theta, ...inv] = solveDenseMany(A, P, [b, ...units]) as [Float64Array, ...Float64Array[]];
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (const j of rowIdx(i)) fit += theta[j]! * rowVal(i, j);
    rss += (y[i]! - fit) ** 2;
  }
  const s2 = rss / (n - P);
  return { coef: Array.from(theta.subarray(0, K)), se: inv.map((c, k) => Math.sqrt(s2 * c[k]!)) };
}

describe('three fixed effects, badly conditioned (workers × firms × years), against LSDV', () => {
  const frame = generate();
  const ref = lsdv(frame);
  const X = ['x1', 'x2', 'x3'];

  it('the design is slow for plain alternating projections; Irons–Tuck needs far fewer sweeps', () => {
    const codes = ['worker', 'firm', 'year'].map((c) => Int32Array.from(frame.numeric(c)));
    const fe = buildFixedEffects(codes);
    const y = Float64Array.from(frame.numeric('y'));
    const plain = demeanColumns([y], fe, { accelerate: false });
    const acc = demeanColumns([y], fe);
    expect(plain.converged).toBe(true);
    expect(acc.converged).toBe(true);
    console.log(`three-FE LSDV design: ${plain.iterations} plain sweeps, ${acc.iterations} accelerated`);
    expect(plain.iterations).toBeGreaterThan(100);
    expect(acc.iterations * 3).toBeLessThan(plain.iterations);
  });

  for (const order of [
    ['worker', 'firm', 'year'],
    ['year', 'firm', 'worker'],
    ['firm', 'worker', 'year'],
  ])
    it(`coefficients and iid SEs agree with the dummy-variable solution to 1e-8 (| ${order.join(' + ')})`, () => {
      const r = olsEstimator.estimate(olsPlan('y', X, order, { type: 'iid' }), { frame, unit: null, time: null });
      expect(r.notes.map((x) => x.code)).toEqual([]);
      expect(r.nobs).toBe(frame.nrows);
      let worst = 0;
      for (let k = 0; k < K; k++) {
        const c = r.coefficients[X[k]!]!;
        worst = Math.max(worst, Math.abs(c.estimate - ref.coef[k]!) / Math.abs(ref.coef[k]!));
        expect(Math.abs(c.estimate - ref.coef[k]!) / Math.abs(ref.coef[k]!), `${X[k]} coef`).toBeLessThan(1e-8);
        expect(Math.abs(c.se! - ref.se[k]!) / ref.se[k]!, `${X[k]} se`).toBeLessThan(1e-8);
      }
      console.log(
        `three-FE LSDV (${order.join(' + ')}): largest relative coefficient difference ${worst.toExponential(2)}`,
      );
    });

  it('running out of sweeps is reported (FE_NOT_CONVERGED), not hidden', () => {
    const plan = olsPlan('y', X, ['worker', 'firm', 'year']);
    const r = estimateOls(plan, frame, null, { demean: { maxIter: 4 } });
    expect(r.notes.map((x) => x.code)).toEqual(['FE_NOT_CONVERGED']);
    const fe = buildFixedEffects(['worker', 'firm', 'year'].map((c) => Int32Array.from(frame.numeric(c))));
    const d = demeanColumns([Float64Array.from(frame.numeric('y'))], fe, { maxIter: 4 });
    expect(d.converged).toBe(false);
    expect(d.iterations).toBe(4);
    expect(d.change).toBeGreaterThan(1e-10);
  });
});
