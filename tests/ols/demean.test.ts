// The within transformation: exact for one fixed effect and (by the small Laplacian system) for two; for
// alternating projections, the stated tolerance (DEFAULT_DEMEAN_TOL: coefficient change ≤ tol·RMS per sweep) is
// checked against the exact projection computed by dense normal equations on the dummies; the plain and the
// Irons–Tuck-accelerated iterations reach the same point.
import { describe, expect, it } from 'vitest';
import {
  buildFixedEffects,
  DEFAULT_DEMEAN_TOL,
  demeanColumns,
  withinTransform,
  type FixedEffects,
} from '../../engine/estimate/ols/index.js';
import { solveDense } from '../../engine/numerics/linalg.js';
import { rng } from './helpers.js';

/** Exact residual of x on the dummies of all fixed effects (first FE: all levels; others: drop level 0). */
function exactProjectionResidual(x: Float64Array, fe: FixedEffects, pin: number[] = []): Float64Array {
  const n = x.length;
  const offs: number[] = [];
  let P = 0;
  fe.ngroups.forEach((g, k) => {
    offs.push(P);
    P += k === 0 ? g : g - 1;
  });
  const A = new Float64Array(P * P),
    b = new Float64Array(P);
  const cols = (i: number): number[] =>
    fe.codes.flatMap((c, k) => (k === 0 ? [offs[k]! + c[i]!] : c[i]! > 0 ? [offs[k]! + c[i]! - 1] : []));
  for (let i = 0; i < n; i++) {
    const js = cols(i);
    for (const a of js) {
      b[a] = b[a]! + x[i]!;
      for (const c of js) A[a * P + c] = A[a * P + c]! + 1;
    }
  }
  // levels listed in `pin` (of the second fixed effect) are held at 0, for data with several connected components
  for (const lv of pin) {
    const j = offs[1]! + lv - 1;
    A.fill(0, j * P, (j + 1) * P);
    for (let q = 0; q < P; q++) A[q * P + j] = 0;
    A[j * P + j] = 1;
    b[j] = 0;
  }
  const theta = solveDense(A, P, b);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (const j of cols(i)) f += theta[j]!;
    out[i] = x[i]! - f;
  }
  return out;
}

function panel(n: number, sizes: number[], seed: number, correlated: boolean): { fe: FixedEffects; x: Float64Array } {
  const r = rng(seed);
  const codes = sizes.map(() => new Int32Array(n));
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g0 = Math.floor(r.uniform() * sizes[0]!);
    codes[0]![i] = g0;
    for (let k = 1; k < sizes.length; k++) {
      // correlated: the other fixed effects mostly follow the first (slow alternating projections)
      codes[k]![i] = correlated && r.uniform() < 0.9 ? g0 % sizes[k]! : Math.floor(r.uniform() * sizes[k]!);
    }
    x[i] = 10 + r.normal() + 0.3 * g0;
  }
  return { fe: buildFixedEffects(codes), x };
}

const rms = (v: Float64Array): number => Math.sqrt(v.reduce((s, a) => s + a * a, 0) / v.length);
function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('withinTransform', () => {
  it('one fixed effect: exact in one pass (x minus its group mean)', () => {
    const { fe, x } = panel(3000, [40], 1, false);
    const r = withinTransform(x, fe);
    expect(r.iterations).toBe(0);
    expect(r.converged).toBe(true);
    const sum = new Float64Array(40),
      cnt = new Float64Array(40);
    for (let i = 0; i < x.length; i++) {
      sum[fe.codes[0]![i]!] = sum[fe.codes[0]![i]!]! + x[i]!;
      cnt[fe.codes[0]![i]!]! += 1;
    }
    for (let i = 0; i < x.length; i++) {
      const g = fe.codes[0]![i]!;
      expect(Math.abs(r.values[i]! - (x[i]! - sum[g]! / cnt[g]!))).toBeLessThan(1e-12);
    }
  });

  for (const [label, sizes, correlated] of [
    ['two fixed effects', [60, 25], false],
    ['three fixed effects', [50, 20, 7], false],
    ['two correlated fixed effects', [60, 25], true],
    ['four fixed effects', [40, 15, 6, 4], false],
    ['three correlated fixed effects', [50, 20, 7], true],
  ] as const) {
    it(`${label}: agrees with the exact projection within the stated tolerance`, () => {
      const { fe, x } = panel(4000, [...sizes], 7, correlated);
      const exact = exactProjectionResidual(x, fe);
      const scale = rms(x);
      const AP = { exactTwoWay: false };
      const tight = withinTransform(x, fe, AP);
      expect(tight.converged).toBe(true);
      expect(tight.iterations).toBeGreaterThan(0);
      expect(tight.change).toBeLessThanOrEqual(DEFAULT_DEMEAN_TOL);
      // the distance to the fixed point is a small multiple of the last step (the iteration contracts)
      expect(maxDiff(tight.values, exact) / scale).toBeLessThan(100 * DEFAULT_DEMEAN_TOL);
      const loose = withinTransform(x, fe, { ...AP, tol: 1e-4 });
      expect(loose.iterations).toBeLessThanOrEqual(tight.iterations);
      expect(maxDiff(loose.values, exact) / scale).toBeLessThan(100 * 1e-4);
      const plain = withinTransform(x, fe, { ...AP, accelerate: false });
      expect(plain.converged).toBe(true);
      expect(maxDiff(plain.values, exact) / scale).toBeLessThan(100 * DEFAULT_DEMEAN_TOL);
    });
  }

  it('acceleration needs fewer sweeps when the fixed effects are strongly correlated', () => {
    const { fe, x } = panel(4000, [60, 25], 11, true);
    const acc = withinTransform(x, fe, { exactTwoWay: false });
    const plain = withinTransform(x, fe, { exactTwoWay: false, accelerate: false });
    expect(acc.iterations).toBeLessThan(plain.iterations);
  });

  for (const correlated of [false, true]) {
    it(`two fixed effects, exact route (${correlated ? 'correlated' : 'independent'}): the projection to rounding`, () => {
      const { fe, x } = panel(4000, [60, 25], 13, correlated);
      const r = demeanColumns([x], fe);
      expect(r.method).toBe('two-way-exact');
      expect(r.iterations).toBe(0);
      expect(maxDiff(r.values[0]!, exactProjectionResidual(x, fe)) / rms(x)).toBeLessThan(1e-12);
    });
  }

  it('two fixed effects, exact route on a panel sorted by unit (contiguous groups, merged patterns)', () => {
    const r = rng(23);
    const u: number[] = [],
      t: number[] = [],
      xs: number[] = [];
    for (let unit = 0; unit < 300; unit++) {
      for (let year = 0; year < 12; year++) {
        if (r.uniform() < 0.2) continue;
        const reps = r.uniform() < 0.05 ? 2 : 1; // a few unit-years twice: those units are not merged
        for (let k = 0; k < reps; k++) {
          u.push(unit);
          t.push(year);
          xs.push(r.normal() + unit / 100 + year / 3);
        }
      }
    }
    const fe = buildFixedEffects([Int32Array.from(u), Int32Array.from(t)]);
    const x = Float64Array.from(xs);
    const d = demeanColumns([x], fe);
    expect(d.method).toBe('two-way-exact');
    expect(maxDiff(d.values[0]!, exactProjectionResidual(x, fe)) / rms(x)).toBeLessThan(1e-12);
  });

  it('two fixed effects split into two connected components: still exact', () => {
    // units 0–29 only meet periods 0–9, units 30–59 only periods 10–19: two references are dependent
    const r = rng(17);
    const n = 3000;
    const u = new Int32Array(n),
      p = new Int32Array(n),
      x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      u[i] = Math.floor(r.uniform() * 60);
      p[i] = (u[i]! < 30 ? 0 : 10) + Math.floor(r.uniform() * 10);
      x[i] = r.normal() + u[i]! / 10;
    }
    const fe = buildFixedEffects([u, p]);
    const d = demeanColumns([x], fe);
    expect(d.method).toBe('two-way-exact');
    // the reference drops period code 0; pin also a period code of the other component
    const compOfCode0 = u[fe.codes[1]!.indexOf(0)]! >= 30;
    const p2 = fe.codes[1]![u.findIndex((v) => v >= 30 !== compOfCode0)]!;
    expect(maxDiff(d.values[0]!, exactProjectionResidual(x, fe, [p2])) / rms(x)).toBeLessThan(1e-12);
  });

  for (const correlated of [false, true])
    it(`three fixed effects, several columns in one set of sweeps (${correlated ? 'correlated' : 'independent'})`, () => {
      const { fe, x } = panel(3000, [30, 12, 5], 3, correlated);
      const x2 = x.map((v, i) => v * v - i / 1000);
      const both = demeanColumns([x, x2], fe);
      expect(maxDiff(both.values[0]!, withinTransform(x, fe).values) / rms(x)).toBeLessThan(100 * DEFAULT_DEMEAN_TOL);
      expect(maxDiff(both.values[1]!, exactProjectionResidual(x2, fe)) / rms(x2)).toBeLessThan(
        100 * DEFAULT_DEMEAN_TOL,
      );
      expect(both.converged).toBe(true);
      expect(demeanColumns([x, x2], fe, { maxIter: 2, accelerate: false }).converged).toBe(false);
    });

  it('reports non-convergence when the sweep budget is exhausted', () => {
    const { fe, x } = panel(3000, [60, 25], 5, true);
    const r = withinTransform(x, fe, { maxIter: 2, accelerate: false, exactTwoWay: false });
    expect(r.converged).toBe(false);
    expect(r.change).toBeGreaterThan(DEFAULT_DEMEAN_TOL);
  });
});
