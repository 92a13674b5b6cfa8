/**
 * One draw of the wild bootstrap's p-value (index.ts `WildProblem.pValue`) as a replication kernel
 * (engine/estimate/replication-pool.ts): with the draw's cluster weights v_b (drawn up front, draw-major),
 * t*_b = Σ_h v_h q_h / √(Σ_g (v_g q_g − Σ_h M_gh v_h)²), and the draw counts against H0 when
 * |t*_b| > |t(β0)|·(1 + 1e-9). Its output is 1 or 0; their sum, in any order, is the same integer.
 */
import type { ReplicationKernel } from '../replication-pool.js';

export interface WildDrawSetup {
  /** The cluster weights of every draw, draw-major (count × G); shared memory when threads share it. */
  readonly v: Float64Array;
  readonly G: number;
  readonly q: Float64Array;
  /** G × G, row-major. */
  readonly M: Float64Array;
  /** |t(β0)|. */
  readonly t0: number;
}

export const wildDrawKernel: ReplicationKernel<WildDrawSetup, WildDrawSetup & { mv: Float64Array }> = {
  kind: 'wild',
  prepare: (s) => ({ ...s, mv: new Float64Array(s.G) }),
  replicate(s, b, out) {
    const { v, G, q, M, mv } = s;
    const o = b * G;
    let num = 0;
    for (let h = 0; h < G; h++) num += v[o + h]! * q[h]!;
    let den = 0;
    for (let g = 0; g < G; g++) {
      let t = 0;
      for (let h = 0; h < G; h++) t += M[g * G + h]! * v[o + h]!;
      mv[g] = v[o + g]! * q[g]! - t;
      den += mv[g]! * mv[g]!;
    }
    const tb = Math.abs(num / Math.sqrt(den));
    out[0] = tb > s.t0 * (1 + 1e-9) ? 1 : 0;
  },
};
