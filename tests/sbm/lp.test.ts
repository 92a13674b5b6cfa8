/** The dense revised simplex and the per-unit SBM solver: known optima, infeasibility, unboundedness, degeneracy,
 *  column generation from a working set that lacks the optimal columns. Tolerances: 1e-12 on hand-solved LPs. */
import { describe, expect, it } from 'vitest';
import { RevisedSimplex } from '../../engine/numerics/lp/revised-simplex.js';
import { SbmUnitSolver, type UnitLpProblem } from '../../engine/transforms/sbm/sbm-lp.js';
import { sbmEfficiency } from '../../engine/transforms/sbm/sbm-efficiency.js';

function lp(rows: number[][], b: number[], c: number[]): RevisedSimplex {
  const s = new RevisedSimplex(rows.length, b, 2);
  for (let j = 0; j < c.length; j++)
    s.addColumn(
      rows.map((r) => r[j]!),
      c[j]!,
    );
  return s;
}

describe('RevisedSimplex', () => {
  it('solves a small LP and returns its duals', () => {
    // min −x − y  s.t. x + 2y + s1 = 4, 3x + y + s2 = 6  →  x = 8/5, y = 6/5, objective −14/5; y = (−2/5, −1/5)
    const s = lp(
      [
        [1, 2, 1, 0],
        [3, 1, 0, 1],
      ],
      [4, 6],
      [-1, -1, 0, 0],
    );
    expect(s.solve()).toBe('optimal');
    expect(s.value(0)).toBeCloseTo(8 / 5, 12);
    expect(s.value(1)).toBeCloseTo(6 / 5, 12);
    expect(s.objective()).toBeCloseTo(-14 / 5, 12);
    expect(s.y[0]).toBeCloseTo(-2 / 5, 12);
    expect(s.y[1]).toBeCloseTo(-1 / 5, 12);
    for (let j = 0; j < 4; j++) expect(s.reducedCost(j)).toBeGreaterThanOrEqual(-1e-12);
  });

  it('reports infeasible and unbounded problems', () => {
    expect(
      lp(
        [
          [1, -1],
          [-1, 1],
        ],
        [1, 1],
        [0, 0],
      ).solve(),
    ).toBe('infeasible');
    expect(lp([[1, -1]], [1], [-1, 0]).solve()).toBe('unbounded');
  });

  it("does not cycle on Beale's degenerate example, with Dantzig pricing or Bland's rule", () => {
    // min −3/4 x4 + 20 x5 − 1/2 x6 + 6 x7 with slacks x1..x3; optimum −5/4
    const rows = [
      [1, 0, 0, 0.25, -8, -1, 9],
      [0, 1, 0, 0.5, -12, -0.5, 3],
      [0, 0, 1, 0, 0, 1, 0],
    ];
    for (const bland of [false, true]) {
      const s = lp(rows, [0, 0, 1], [0, 0, 0, -0.75, 20, -0.5, 6]);
      expect(s.solve({ bland })).toBe('optimal');
      expect(s.objective()).toBeCloseTo(-1.25, 12);
    }
  });

  it('resumes after columns are added (column generation)', () => {
    const s = lp(
      [
        [1, 2, 1, 0],
        [3, 1, 0, 1],
      ],
      [4, 6],
      [0, 0, 0, 0],
    );
    expect(s.solve()).toBe('optimal');
    expect(s.objective()).toBe(0);
    s.addColumn([1, 3], -1); // x
    s.addColumn([2, 1], -1); // y
    expect(s.solve()).toBe('optimal');
    expect(s.objective()).toBeCloseTo(-14 / 5, 12);
  });
});

describe('SbmUnitSolver', () => {
  // Tone (2001) data, variables in rows: x1, x2, y1, y2
  const X1 = [4, 6, 8, 8, 2],
    X2 = [3, 3, 1, 1, 4],
    Y1 = [2, 2, 6, 6, 1],
    Y2 = [3, 3, 2, 1, 4];
  const ref = new Float64Array(5 * 4);
  for (let j = 0; j < 5; j++) ref.set([X1[j]!, X2[j]!, Y1[j]!, Y2[j]!], j * 4);
  const problem = (o: number): UnitLpProblem => ({
    model: 'sbm',
    vrs: false,
    m: 2,
    s1: 2,
    s2: 0,
    ref,
    nR: 5,
    own: ref.slice(o * 4, o * 4 + 4),
    inputWeight: new Float64Array([1, 1]),
    exclude: -1,
  });

  it('reaches the certified optimum from an empty working set or a useless one', () => {
    const solver = new SbmUnitSolver(5);
    for (const start of [[], [0], [1, 3]]) {
      const r = solver.solve(problem(0), start);
      expect(r.status).toBe('ok');
      expect(r.score).toBeCloseTo(79 / 99, 12);
      // A's projection uses the efficient units C and E only
      expect([...r.peers].every((j) => j === 2 || j === 4)).toBe(true);
    }
    expect(solver.fallbacks).toBe(0);
  });

  it('super-efficiency of an efficient unit excludes it from its own reference set', () => {
    const solver = new SbmUnitSolver(5);
    const r = solver.solve({ ...problem(4), model: 'super', exclude: 4 }, []);
    expect(r.status).toBe('ok');
    expect(r.score).toBeGreaterThan(1);
    expect([...r.peers]).not.toContain(4);
  });
});

describe('sbmEfficiency', () => {
  it('screens dominated units out of the candidates but scores every unit; progress ends at the total', () => {
    const n = 40;
    const x = Float64Array.from({ length: n }, (_, i) => 1 + (i % 7));
    const y = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 3) % 5));
    const calls: [number, number][] = [];
    const r = sbmEfficiency(
      { inputs: [x], desirable: [y], undesirable: [] },
      { rts: 'vrs', onProgress: (d, t) => calls.push([d, t]) },
    );
    expect(r.work.candidates).toBeLessThan(n);
    expect([...r.status].every((s) => s === 0)).toBe(true);
    expect(calls.at(-1)).toEqual([n, n]);
    // every score is a proper SBM score
    for (let i = 0; i < n; i++) {
      expect(r.score[i]).toBeGreaterThan(0);
      expect(r.score[i]).toBeLessThanOrEqual(1);
    }
  });
});

describe('screen + column generation agree with the full LP on degenerate data', () => {
  it('300 random frontiers with integer data (many ties) or values spread over e^±4', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    let compared = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 3 + Math.floor(rnd() * 25);
      const gen = trial % 2 === 0 ? () => 1 + Math.floor(rnd() * 3) : () => Math.exp(8 * (rnd() - 0.5));
      const cols = [0, 1, 2, 3].map(() => Float64Array.from({ length: n }, gen));
      const vrs = trial % 4 < 2;
      const res = sbmEfficiency(
        { inputs: [cols[0]!, cols[1]!], desirable: [cols[2]!], undesirable: [cols[3]!] },
        { rts: vrs ? 'vrs' : 'crs' },
      );
      expect(res.work.fallbacks).toBe(0);
      const ref = new Float64Array(n * 4);
      for (let j = 0; j < n; j++) for (let k = 0; k < 4; k++) ref[j * 4 + k] = cols[k]![j]!;
      const solver = new SbmUnitSolver(n);
      const all = Array.from({ length: n }, (_, j) => j);
      for (let o = 0; o < n; o++) {
        const full = solver.solve(
          {
            model: 'sbm',
            vrs,
            m: 2,
            s1: 1,
            s2: 1,
            ref,
            nR: n,
            own: ref.slice(o * 4, o * 4 + 4),
            inputWeight: new Float64Array([1, 1]),
            exclude: -1,
          },
          all,
        );
        expect(full.status).toBe('ok');
        expect(Math.abs(Math.min(full.score, 1) - res.score[o]!)).toBeLessThan(1e-9);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});

describe('failure path', () => {
  it('an LP that cannot be brought to a certified optimum gives NaN and a reason, after the full-LP retry', () => {
    const ref = Float64Array.from([4, 3, 2, 3, 6, 3, 2, 3, 8, 1, 6, 2, 8, 1, 6, 1, 2, 4, 1, 4]);
    const solver = new SbmUnitSolver(5, { maxIterations: 1 });
    const r = solver.solve(
      {
        model: 'sbm',
        vrs: false,
        m: 2,
        s1: 2,
        s2: 0,
        ref,
        nR: 5,
        own: ref.slice(0, 4),
        inputWeight: new Float64Array([1, 1]),
        exclude: -1,
      },
      [0],
    );
    expect(r.status).toBe('failed');
    expect(Number.isNaN(r.score)).toBe(true);
    expect(r.detail).toContain('iteration_limit');
    expect(r.detail).toContain('Bland');
    expect(solver.fallbacks).toBe(1);
  });
});
