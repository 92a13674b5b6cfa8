/**
 * A dense revised simplex for LPs with few rows and many columns (DEA: rows = inputs + outputs + 1, columns =
 * reference units), built for column generation: columns can be added between solves and the solve resumes from the
 * current basis, which stays primal feasible because a new column enters at zero.
 *
 *   min cᵀx  s.t.  A x = b,  x ≥ 0,  b ≥ 0 (the caller flips rows with a negative right-hand side).
 *
 * Phase 1 starts from one artificial per row (basis = I) and minimises their sum; phase 2 minimises cᵀx with the
 * artificials barred from entering. Pricing is Dantzig's (most negative reduced cost) and falls back to Bland's rule
 * (lowest index) after a run of degenerate pivots, which rules out cycling; `bland: true` uses Bland throughout.
 * B⁻¹ is kept explicitly (m × m, m ≤ ~20), updated by Gauss–Jordan pivots and recomputed from the basis columns
 * by elimination with partial pivoting every `REFACTOR` pivots and at the end of every solve, so that the basic
 * solution and the duals returned are those of the basis itself, not of an accumulated product of updates.
 *
 * The solver does not certify anything: callers check primal feasibility and the reduced costs of every column of
 * the full problem (see engine/transforms/sbm/sbm-lp.ts), which is what makes a returned number trustworthy.
 */

export type SimplexStatus = 'optimal' | 'infeasible' | 'unbounded' | 'iteration_limit' | 'singular';

const REFACTOR = 40;
const DEGENERATE_RUN = 12;
const PIVOT_TOL = 1e-9;

export interface SimplexOptions {
  /** Reduced-cost tolerance for optimality. __Default value:__ 1e-11 */
  optimalityTol?: number;
  /** Phase-1 objective above which the problem is declared infeasible. __Default value:__ 1e-9 */
  feasibilityTol?: number;
  /** Use Bland's rule for every pivot (slow but never cycles). __Default value:__ false */
  bland?: boolean;
  /** __Default value:__ 50 × (rows + columns) */
  maxIterations?: number;
}

export class RevisedSimplex {
  /** Number of rows. */
  readonly m: number;
  /** Number of structural columns added so far. */
  ncols = 0;
  private cap: number;
  /** Column-major structural columns: column j occupies [j*m, (j+1)*m). */
  private a: Float64Array;
  private c: Float64Array;
  private readonly b: Float64Array;
  /** Basic variable of each row: a structural index ≥ 0, or −1 − r for the artificial of row r. */
  readonly basis: Int32Array;
  private basic: Uint8Array;
  /** Row-major B⁻¹. */
  readonly binv: Float64Array;
  /** Values of the basic variables. */
  readonly xB: Float64Array;
  /** Simplex multipliers y = c_Bᵀ B⁻¹ of the last phase-2 solve. */
  readonly y: Float64Array;
  private phase: 1 | 2 = 1;
  private started = false;
  iterations = 0;
  private readonly alpha: Float64Array;
  private readonly aug: Float64Array;

  constructor(m: number, b: ArrayLike<number>, capacity = 16) {
    this.m = m;
    this.cap = Math.max(1, capacity);
    this.a = new Float64Array(this.cap * m);
    this.c = new Float64Array(this.cap);
    this.b = Float64Array.from(b);
    for (let i = 0; i < m; i++) if (!(this.b[i]! >= 0)) throw new Error('RevisedSimplex: b must be non-negative');
    this.basis = new Int32Array(m);
    this.binv = new Float64Array(m * m);
    this.xB = new Float64Array(m);
    this.y = new Float64Array(m);
    this.alpha = new Float64Array(m);
    this.aug = new Float64Array(2 * m * m);
    this.basic = new Uint8Array(this.cap);
  }

  /** Forget every column and the basis, keeping the allocations (the same row count, a new right-hand side). */
  reset(b: ArrayLike<number>): void {
    for (let i = 0; i < this.m; i++) {
      this.b[i] = b[i]!;
      if (!(this.b[i]! >= 0)) throw new Error('RevisedSimplex: b must be non-negative');
    }
    this.basic.fill(0, 0, this.ncols);
    this.ncols = 0;
    this.started = false;
    this.phase = 1;
    this.iterations = 0;
  }

  /** Append a column (cost `cost`, entries `col[0..m)`); returns its index. Allowed between solves. */
  addColumn(col: ArrayLike<number>, cost: number): number {
    if (this.ncols === this.cap) this.grow();
    const j = this.ncols++;
    const off = j * this.m;
    for (let i = 0; i < this.m; i++) this.a[off + i] = col[i]!;
    this.c[j] = cost;
    return j;
  }

  /** Entry (i, j) of the structural matrix. */
  entry(i: number, j: number): number {
    return this.a[j * this.m + i]!;
  }

  cost(j: number): number {
    return this.c[j]!;
  }

  /** Value of structural variable j in the current basic solution (0 when non-basic). */
  value(j: number): number {
    for (let r = 0; r < this.m; r++) if (this.basis[r] === j) return this.xB[r]!;
    return 0;
  }

  /** Objective cᵀx of the current basic solution (artificials cost 0 here). */
  objective(): number {
    let z = 0;
    for (let r = 0; r < this.m; r++) {
      const j = this.basis[r]!;
      if (j >= 0) z += this.c[j]! * this.xB[r]!;
    }
    return z;
  }

  /** Reduced cost c_j − yᵀA_j of structural column j with the current multipliers. */
  reducedCost(j: number): number {
    const off = j * this.m;
    let d = this.c[j]!;
    for (let i = 0; i < this.m; i++) d -= this.y[i]! * this.a[off + i]!;
    return d;
  }

  /** Artificial variables still basic at a non-zero level (a sign of trouble after phase 2). */
  artificialLevel(): number {
    let s = 0;
    for (let r = 0; r < this.m; r++) if (this.basis[r]! < 0) s += Math.abs(this.xB[r]!);
    return s;
  }

  /** Solve (or resume after columns were added). */
  solve(opts: SimplexOptions = {}): SimplexStatus {
    const optTol = opts.optimalityTol ?? 1e-11;
    const feasTol = opts.feasibilityTol ?? 1e-9;
    const maxIter = opts.maxIterations ?? 50 * (this.m + this.ncols) + 100;
    const bland = opts.bland ?? false;
    if (!this.started) this.start();
    let iterLeft = maxIter;
    if (this.phase === 1) {
      const st = this.iterate(1, optTol, bland, iterLeft);
      iterLeft -= st.used;
      if (st.status !== 'optimal') return st.status;
      const infeasibility = (): number => {
        let s = 0;
        for (let r = 0; r < this.m; r++) if (this.basis[r]! < 0) s += this.xB[r]!;
        return s;
      };
      const limit = feasTol * (1 + this.bnorm());
      // an infeasible verdict is confirmed on a freshly factorised basis
      if (infeasibility() > limit) {
        if (!this.refactor()) return 'singular';
        if (infeasibility() > limit) return 'infeasible';
      }
      this.driveOutArtificials();
      this.phase = 2;
    }
    const st = this.iterate(2, optTol, bland, iterLeft);
    if (st.status !== 'optimal') return st.status;
    if (!this.refactor()) return 'singular';
    this.computeDuals(2);
    return 'optimal';
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private bnorm(): number {
    let s = 0;
    for (let i = 0; i < this.m; i++) s = Math.max(s, Math.abs(this.b[i]!));
    return s;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const a = new Float64Array(cap * this.m);
    a.set(this.a);
    const c = new Float64Array(cap);
    c.set(this.c);
    const basic = new Uint8Array(cap);
    basic.set(this.basic);
    this.a = a;
    this.c = c;
    this.basic = basic;
    this.cap = cap;
  }

  private start(): void {
    const m = this.m;
    for (let r = 0; r < m; r++) {
      this.basis[r] = -1 - r;
      for (let k = 0; k < m; k++) this.binv[r * m + k] = r === k ? 1 : 0;
      this.xB[r] = this.b[r]!;
    }
    this.phase = 1;
    this.started = true;
  }

  private costOf(j: number, phase: 1 | 2): number {
    if (j < 0) return phase === 1 ? 1 : 0;
    return phase === 1 ? 0 : this.c[j]!;
  }

  private computeDuals(phase: 1 | 2): void {
    const m = this.m;
    this.y.fill(0);
    for (let r = 0; r < m; r++) {
      const cb = this.costOf(this.basis[r]!, phase);
      if (cb === 0) continue;
      const row = r * m;
      for (let k = 0; k < m; k++) this.y[k] = this.y[k]! + cb * this.binv[row + k]!;
    }
  }

  private iterate(
    phase: 1 | 2,
    optTol: number,
    blandAlways: boolean,
    maxIter: number,
  ): { status: SimplexStatus; used: number } {
    const m = this.m;
    const basic = this.basic;
    let degenerateRun = 0;
    let sinceRefactor = 0;
    for (let it = 0; it < maxIter; it++) {
      this.computeDuals(phase);
      const useBland = blandAlways || degenerateRun >= DEGENERATE_RUN;
      // pricing
      let q = -1;
      let best = -optTol;
      for (let j = 0; j < this.ncols; j++) {
        if (basic[j]) continue;
        const off = j * m;
        let d = phase === 1 ? 0 : this.c[j]!;
        let scale = Math.abs(d);
        for (let i = 0; i < m; i++) {
          const t = this.y[i]! * this.a[off + i]!;
          d -= t;
          scale += Math.abs(t);
        }
        if (d < -optTol * (1 + scale)) {
          if (useBland) {
            q = j;
            break;
          }
          if (d < best) {
            best = d;
            q = j;
          }
        }
      }
      if (q < 0) return { status: 'optimal', used: it };
      // direction α = B⁻¹ A_q
      const off = q * m;
      for (let r = 0; r < m; r++) {
        let s = 0;
        const row = r * m;
        for (let k = 0; k < m; k++) s += this.binv[row + k]! * this.a[off + k]!;
        this.alpha[r] = s;
      }
      // ratio test (ties: larger pivot for stability; Bland: lowest basic index); pivots below PIVOT_TOL relative to
      // the largest entry of the direction are skipped, so that the basis never turns nearly singular
      let amax = 0;
      for (let r = 0; r < m; r++) amax = Math.max(amax, Math.abs(this.alpha[r]!));
      const pivTol = PIVOT_TOL * Math.max(1, amax);
      let p = -1;
      let theta = Infinity;
      for (let r = 0; r < m; r++) {
        const al = this.alpha[r]!;
        if (al <= pivTol) continue;
        const ratio = Math.max(this.xB[r]!, 0) / al;
        if (ratio < theta - 1e-14) {
          theta = ratio;
          p = r;
        } else if (ratio <= theta + 1e-14 && p >= 0) {
          if (useBland ? this.basisKey(r) < this.basisKey(p) : al > this.alpha[p]!) {
            theta = Math.min(theta, ratio);
            p = r;
          }
        }
      }
      if (p < 0) return { status: 'unbounded', used: it };
      degenerateRun = theta <= 1e-14 ? degenerateRun + 1 : 0;
      this.pivot(p, q, theta);
      this.iterations++;
      if (++sinceRefactor >= REFACTOR) {
        if (!this.refactor()) return { status: 'singular', used: it };
        sinceRefactor = 0;
      }
    }
    return { status: 'iteration_limit', used: maxIter };
  }

  /** Bland order over basic variables: artificials first (they should leave), then structurals by index. */
  private basisKey(r: number): number {
    const j = this.basis[r]!;
    return j < 0 ? j : j + 1;
  }

  private pivot(p: number, q: number, theta: number): void {
    const m = this.m;
    const basic = this.basic;
    const ap = this.alpha[p]!;
    const prow = p * m;
    for (let k = 0; k < m; k++) this.binv[prow + k] = this.binv[prow + k]! / ap;
    for (let r = 0; r < m; r++) {
      if (r === p) continue;
      const f = this.alpha[r]!;
      if (f === 0) continue;
      const row = r * m;
      for (let k = 0; k < m; k++) this.binv[row + k] = this.binv[row + k]! - f * this.binv[prow + k]!;
      this.xB[r] = this.xB[r]! - theta * f;
    }
    this.xB[p] = theta;
    const old = this.basis[p]!;
    if (old >= 0) basic[old] = 0;
    this.basis[p] = q;
    basic[q] = 1;
  }

  /** After phase 1: replace basic artificials (at zero) by structural columns where a non-zero pivot exists. */
  private driveOutArtificials(): void {
    const m = this.m;
    const basic = this.basic;
    for (let p = 0; p < m; p++) {
      if (this.basis[p]! >= 0) continue;
      let bestJ = -1;
      let bestAbs = 1e-9;
      for (let j = 0; j < this.ncols; j++) {
        if (basic[j]) continue;
        const off = j * m;
        let s = 0;
        for (let k = 0; k < m; k++) s += this.binv[p * m + k]! * this.a[off + k]!;
        if (Math.abs(s) > bestAbs) {
          bestAbs = Math.abs(s);
          bestJ = j;
        }
      }
      if (bestJ < 0) continue; // redundant row: the artificial stays basic at zero
      const off = bestJ * m;
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += this.binv[r * m + k]! * this.a[off + k]!;
        this.alpha[r] = s;
      }
      this.pivot(p, bestJ, this.xB[p]! / this.alpha[p]!);
    }
  }

  /** Recompute B⁻¹ and x_B = B⁻¹ b from the basis columns (Gauss–Jordan, partial pivoting). False when singular. */
  refactor(): boolean {
    const m = this.m;
    const aug = this.aug;
    aug.fill(0);
    const w = 2 * m;
    for (let r = 0; r < m; r++) {
      const j = this.basis[r]!;
      // column r of B
      for (let i = 0; i < m; i++) aug[i * w + r] = j >= 0 ? this.a[j * m + i]! : i === -1 - j ? 1 : 0;
    }
    for (let i = 0; i < m; i++) aug[i * w + m + i] = 1;
    for (let col = 0; col < m; col++) {
      let piv = col;
      let best = Math.abs(aug[col * w + col]!);
      for (let i = col + 1; i < m; i++) {
        const v = Math.abs(aug[i * w + col]!);
        if (v > best) {
          best = v;
          piv = i;
        }
      }
      if (best < 1e-13) return false;
      if (piv !== col) {
        for (let k = 0; k < w; k++) {
          const t = aug[col * w + k]!;
          aug[col * w + k] = aug[piv * w + k]!;
          aug[piv * w + k] = t;
        }
      }
      const d = aug[col * w + col]!;
      for (let k = 0; k < w; k++) aug[col * w + k] = aug[col * w + k]! / d;
      for (let i = 0; i < m; i++) {
        if (i === col) continue;
        const f = aug[i * w + col]!;
        if (f === 0) continue;
        for (let k = 0; k < w; k++) aug[i * w + k] = aug[i * w + k]! - f * aug[col * w + k]!;
      }
    }
    for (let r = 0; r < m; r++) for (let k = 0; k < m; k++) this.binv[r * m + k] = aug[r * w + m + k]!;
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += this.binv[r * m + k]! * this.b[k]!;
      this.xB[r] = s;
    }
    return true;
  }
}
