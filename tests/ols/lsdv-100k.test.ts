// Correctness at scale: 100,000 rows, two unbalanced fixed effects (800 units of 20–230 rows each, 50 periods, 3% of
// rows missing at random), five regressors correlated with the fixed effects. The reference is the exact
// dummy-variable (LSDV) solution computed here by dense normal equations (all unit dummies, period dummies but the
// first, the five slopes: 854 parameters) and Gaussian elimination with partial pivoting.
// Tolerances: coefficients and iid standard errors agree to 1e-8 relative.
import { describe, expect, it } from 'vitest';
import { Frame } from '../../engine/core/frame.js';
import { olsEstimator } from '../../engine/estimate/ols/index.js';
import { solveDenseMany } from '../../engine/numerics/linalg.js';
import { olsPlan, rng } from './helpers.js';

const N_UNITS = 800,
  N_PERIODS = 50,
  K = 5;

function generate(): { frame: Frame; n: number } {
  const r = rng(20240601);
  const unit: number[] = [],
    period: number[] = [];
  for (let u = 0; u < N_UNITS; u++) {
    const size = 20 + Math.floor(r.uniform() * 211);
    for (let s = 0; s < size; s++) {
      unit.push(u);
      period.push(Math.floor(r.uniform() * N_PERIODS));
    }
  }
  const n = unit.length;
  const ua = Array.from({ length: N_UNITS }, () => r.normal() * 2);
  const pa = Array.from({ length: N_PERIODS }, () => r.normal());
  const xs = Array.from({ length: K }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const beta = [1, -0.5, 0.25, 2, 0];
  for (let i = 0; i < n; i++) {
    let v = ua[unit[i]!]! + pa[period[i]!]! + r.normal();
    for (let k = 0; k < K; k++) {
      const x = r.normal() + (0.7 * ua[unit[i]!]! * (k + 1)) / K - 0.4 * pa[period[i]!]!;
      xs[k]![i] = x;
      v += beta[k]! * x;
    }
    y[i] = r.uniform() < 0.03 ? NaN : v;
  }
  const cols: [string, Float64Array][] = [
    ['y', y],
    ['unit', Float64Array.from(unit)],
    ['period', Float64Array.from(period)],
  ];
  xs.forEach((x, k) => cols.push([`x${k + 1}`, x]));
  return { frame: new Frame(n, cols), n };
}

/** LSDV by dense normal equations on the complete rows. Parameter order: x1..x5, unit dummies, period dummies 1..P−1. */
function lsdv(frame: Frame): { coef: number[]; se: number[]; nobs: number } {
  const y = frame.numeric('y'),
    unit = frame.numeric('unit'),
    period = frame.numeric('period');
  const xs = Array.from({ length: K }, (_, k) => frame.numeric(`x${k + 1}`));
  const P = K + N_UNITS + N_PERIODS - 1;
  const A = new Float64Array(P * P);
  const b = new Float64Array(P);
  const idx = new Int32Array(K + 2);
  const val = new Float64Array(K + 2);
  let nobs = 0;
  for (let i = 0; i < frame.nrows; i++) {
    if (Number.isNaN(y[i]!)) continue;
    nobs++;
    let m = 0;
    for (let k = 0; k < K; k++) {
      idx[m] = k;
      val[m++] = xs[k]![i]!;
    }
    idx[m] = K + unit[i]!;
    val[m++] = 1;
    if (period[i]! > 0) {
      idx[m] = K + N_UNITS + period[i]! - 1;
      val[m++] = 1;
    }
    for (let a = 0; a < m; a++) {
      b[idx[a]!] = b[idx[a]!]! + val[a]! * y[i]!;
      for (let c = 0; c < m; c++) A[idx[a]! * P + idx[c]!] = A[idx[a]! * P + idx[c]!]! + val[a]! * val[c]!;
    }
  }
  const unitVectors = Array.from({ length: K }, (_, k) => {
    const e = new Float64Array(P);
    e[k] = 1;
    return e;
  });
  const [theta, ...invCols] = solveDenseMany(A, P, [b, ...unitVectors]) as [Float64Array, ...Float64Array[]];
  let rss = 0;
  for (let i = 0; i < frame.nrows; i++) {
    if (Number.isNaN(y[i]!)) continue;
    let f = theta[K + unit[i]!]! + (period[i]! > 0 ? theta[K + N_UNITS + period[i]! - 1]! : 0);
    for (let k = 0; k < K; k++) f += theta[k]! * xs[k]![i]!;
    rss += (y[i]! - f) ** 2;
  }
  const s2 = rss / (nobs - P);
  const se: number[] = [];
  for (let k = 0; k < K; k++) se.push(Math.sqrt(s2 * invCols[k]![k]!));
  return { coef: Array.from(theta.subarray(0, K)), se, nobs };
}

describe('OLS with two fixed effects at 100,000 rows against LSDV', () => {
  it('coefficients and iid SEs agree with the dummy-variable solution to 1e-8', () => {
    const { frame, n } = generate();
    expect(n).toBeGreaterThan(95_000);
    const ref = lsdv(frame);
    const r = olsEstimator.estimate(olsPlan('y', ['x1', 'x2', 'x3', 'x4', 'x5'], ['unit', 'period'], { type: 'iid' }), {
      frame,
      unit: null,
      time: null,
    });
    expect(r.nobs).toBe(ref.nobs);
    expect(r.notes.map((x) => x.code)).toEqual(['MISSING_DROPPED']);
    let worst = 0;
    for (let k = 0; k < K; k++) {
      const c = r.coefficients[`x${k + 1}`]!;
      const scale = Math.max(Math.abs(ref.coef[k]!), 1e-2); // x5's true slope is 0: compare it on the SE scale
      expect(Math.abs(c.estimate - ref.coef[k]!) / scale, `x${k + 1} coef`).toBeLessThan(1e-8);
      expect(Math.abs(c.se! - ref.se[k]!) / ref.se[k]!, `x${k + 1} se`).toBeLessThan(1e-8);
      worst = Math.max(worst, Math.abs(c.estimate - ref.coef[k]!) / scale);
    }
    console.log(`LSDV 100k: largest relative coefficient difference ${worst.toExponential(2)}`);
  }, 60_000);
});
