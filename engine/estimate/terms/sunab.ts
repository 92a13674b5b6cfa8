/**
 * Sun & Abraham (2021) aggregation of the cohort × relative-period coefficients of `sunab(cohort, period)`, as
 * fixest 0.12's aggregate.fixest: for each relative period r, with β_c,r the kept coefficients of the cohorts c
 * observed at r and n_c,r the number of sample observations in that cell (the sum of their weights when weighted),
 *
 *     β_r = Σ_c s_c,r β_c,r,      s_c,r = n_c,r / Σ_c' n_c',r,      Var(β_r) = s_r' V_r s_r,
 *
 * reported as `period::r`. The ATT aggregates every cell with r ≥ 0 in the same way (shares over all those cells),
 * reported as `ATT`. t and p values use the model's degrees of freedom.
 */
import type { CoefficientResult } from '../../results/types.js';
import { pValueT } from '../../numerics/distributions.js';
import { levelLabel, type SunabLayout } from './expand.js';

export interface Aggregate {
  readonly name: string;
  readonly estimate: number;
  readonly variance: number;
}

export interface SunabAggregation {
  readonly periods: readonly Aggregate[];
  readonly att: Aggregate | null;
  /** The cohort × period coefficients before aggregation (name → estimate), for reference. */
  readonly cohortCoefficients: Readonly<Record<string, number>>;
}

export function aggregateSunab(
  layout: SunabLayout,
  keptNames: readonly string[],
  coef: ArrayLike<number>,
  V: Float64Array,
  columnOf: (name: string) => Float64Array,
  weights: Float64Array | null,
): SunabAggregation {
  const m = keptNames.length;
  const cells: { idx: number; r: number; share: number }[] = [];
  const cohortCoefficients: Record<string, number> = {};
  keptNames.forEach((name, idx) => {
    const r = layout.relative.get(name);
    if (r === undefined) return;
    const x = columnOf(name);
    let share = 0;
    for (let i = 0; i < x.length; i++) if (x[i] !== 0) share += weights ? weights[i]! : 1;
    cells.push({ idx, r, share });
    cohortCoefficients[name] = coef[idx]!;
  });
  const combine = (name: string, chosen: typeof cells): Aggregate => {
    const total = chosen.reduce((a, c) => a + c.share, 0);
    let estimate = 0,
      variance = 0;
    for (const a of chosen) {
      const sa = a.share / total;
      estimate += sa * coef[a.idx]!;
      for (const b of chosen) variance += sa * (b.share / total) * V[a.idx * m + b.idx]!;
    }
    return { name, estimate, variance };
  };
  const periods: Aggregate[] = [];
  for (const r of layout.periods) {
    const chosen = cells.filter((c) => c.r === r);
    if (chosen.length > 0) periods.push(combine(`${layout.period}::${levelLabel(r)}`, chosen));
  }
  const post = cells.filter((c) => c.r >= 0);
  return { periods, att: post.length ? combine('ATT', post) : null, cohortCoefficients };
}

/** The coefficient table with the cohort × period rows replaced, where the first of them stood, by the aggregates. */
export function replaceSunab(
  coefficients: Record<string, CoefficientResult>,
  layout: SunabLayout,
  agg: SunabAggregation,
  dfT: number,
): Record<string, CoefficientResult> {
  const out: Record<string, CoefficientResult> = {};
  let placed = false;
  const row = (a: Aggregate): CoefficientResult => {
    const se = Math.sqrt(a.variance);
    const t = a.estimate / se;
    const fin = (v: number) => (Number.isFinite(v) ? v : null);
    return { estimate: a.estimate, se: fin(se), t: fin(t), p: fin(pValueT(t, dfT)) };
  };
  for (const [name, c] of Object.entries(coefficients)) {
    if (layout.relative.has(name)) {
      if (!placed) {
        for (const a of agg.periods) out[a.name] = row(a);
        if (agg.att) out['ATT'] = row(agg.att);
        placed = true;
      }
      continue;
    }
    out[name] = c;
  }
  return out;
}
