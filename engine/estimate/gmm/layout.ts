/**
 * The shape of a GMM model on a panel of T periods, before any data are read: which grid positions carry a
 * differenced (and, for system GMM, a levels) equation, which regressors there are, and where each instrument lives in
 * the instrument matrix Z. The layout is the same for every unit; a unit's missing values only zero entries.
 *
 * Equations (0-based grid positions p):
 *   differenced  Δy_p = Δx_p'β + Δε_p          for p = p_d … T−1,  p_d = max(longest lag + 1, first GMM lag)
 *   levels       y_p  = x_p'β + c + τ_p + ε_p   for p = p_d − 1 … T−1 (system GMM only)
 * Starting the equations at p_d, as plm does, fixes the set of time dummies whatever the units' spans are.
 *
 * Instrument columns, in plm's order: [GMM-style for Δ, (time for Δ)] [GMM-style for levels, (time for levels)]
 * [IV-style for Δ] [IV-style for levels].
 *   GMM-style, variable x with lags a…b, uncollapsed: the Δ row at p has its own column for each x_q,
 *     q = max(0, p−b) … p−a; collapsed: column j holds x_{p−a−j} in every Δ row (j = 0 … min(T−a, b−a+1)−1).
 *     In the levels rows: Δx_{p−a+1}, one column per row (uncollapsed) or one column for all (collapsed).
 *   IV-style: the exogenous regressors (terms whose variable has no GMM-style instruments, as plm does) and the
 *     extra `iv` columns: Δz in the Δ rows and, for system GMM, z in the levels rows (separate columns).
 *   Time: difference GMM instruments the Δ rows by the differenced time dummies; system GMM instruments the levels
 *     rows by the constant and the time dummies.
 */
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import type { GmmPlan, Term } from '../../normalize/plan.js';

export type Transformation = 'difference' | 'system';

export interface GmmStyleBlock {
  readonly variable: string;
  readonly from: number;
  /** Last lag, capped at T − 1. */
  readonly to: number;
  readonly diffOffset: number;
  readonly diffCols: number;
  /** Uncollapsed: where, inside the block, the columns of the Δ row at grid position p start. */
  readonly rowOffset: Int32Array;
  readonly levelOffset: number;
  readonly levelCols: number;
  /** First levels row with an instrument: max(p_d − 1, levelLag + 1). */
  readonly levelFirst: number;
  /** The levels row at p is instrumented by Δx_{p − levelLag}: a − 1 (xtabond2) or 1 (plm). */
  readonly levelLag: number;
}

export interface IvTerm {
  readonly name: string;
  readonly variable: string;
  readonly lag: number;
}

export interface GmmLayout {
  readonly transformation: Transformation;
  readonly collapse: boolean;
  readonly T: number;
  /** p_d: first grid position with a differenced equation. */
  readonly firstDiff: number;
  /** First grid position with a levels equation (system GMM): p_d − 1. */
  readonly firstLevel: number;
  readonly terms: readonly Term[];
  /** Names of the constant and time-dummy regressors that follow the terms (`(Intercept)`, `1979`, ...). */
  readonly timeNames: readonly string[];
  /** Grid position of each time dummy; −1 for the constant. */
  readonly timePosition: Int32Array;
  /** Number of regressors: terms, then constant and time dummies. */
  readonly K: number;
  readonly gmm: readonly GmmStyleBlock[];
  readonly iv: readonly IvTerm[];
  readonly timeInstrumentOffset: number;
  readonly ivDiffOffset: number;
  readonly ivLevelOffset: number;
  /** Instrument columns, before the ones without data are dropped. */
  readonly L: number;
}

/**
 * The instrument groups of xtabond2's difference-in-Hansen tests, as layout column lists: `levels` (all GMM-style
 * instruments of the levels equations, system GMM), `gmm_<variable>` (one GMM-style variable, both equations),
 * `iv` (the IV-style instruments, both equations), `time` (the time-dummy instruments; the constant's column stays) and
 * `iv_time` (both: xtabond2's `iv(x yr*)`).
 */
export function instrumentGroups(layout: GmmLayout): { name: string; columns: number[] }[] {
  const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
  const out: { name: string; columns: number[] }[] = [];
  if (layout.transformation === 'system') {
    const cols = layout.gmm.flatMap((g) => range(g.levelOffset, g.levelCols));
    if (cols.length > 0) out.push({ name: 'levels', columns: cols });
  }
  for (const g of layout.gmm)
    out.push({
      name: `gmm_${g.variable}`,
      columns: [...range(g.diffOffset, g.diffCols), ...range(g.levelOffset, g.levelCols)],
    });
  const nIv = layout.iv.length;
  if (nIv > 0)
    out.push({
      name: 'iv',
      columns: [
        ...range(layout.ivDiffOffset, nIv),
        ...(layout.transformation === 'system' ? range(layout.ivLevelOffset, nIv) : []),
      ],
    });
  const time: number[] = [];
  layout.timeNames.forEach((_, j) => {
    if (layout.timePosition[j]! >= 0) time.push(layout.timeInstrumentOffset + j);
  });
  if (time.length > 0) out.push({ name: 'time', columns: time });
  // xtabond2 users often write the exogenous regressors and the year dummies in one iv(): that group too
  if (nIv > 0 && time.length > 0)
    out.push({ name: 'iv_time', columns: [...out.find((g) => g.name === 'iv')!.columns, ...time] });
  return out;
}

export function gmmLayout(plan: GmmPlan, T: number, periods: Float64Array): GmmLayout {
  const transformation: Transformation = plan.estimator === 'sysgmm' ? 'system' : 'difference';
  const system = transformation === 'system';
  const model = plan.id;

  // 1. validate lags and the split between GMM-style and IV-style variables
  for (const t of plan.regressors) {
    if (!Number.isInteger(t.lag) || t.lag < 0) {
      throw new SpecrunError('ESTIMATION_FAILED', {
        model,
        detail: `term ${t.name} has lag ${t.lag}; GMM takes lags 0, 1, 2, ...`,
        hint: 'write lag(x, k) with k >= 0',
      });
    }
  }
  const gmmVars = new Set(plan.instruments.map((g) => g.variable));
  for (const g of plan.instruments) {
    const args = { model, variable: g.variable, from: g.from, to: g.to, periods: T };
    if (!Number.isInteger(g.from) || !Number.isInteger(g.to) || g.from < 1 || g.to < g.from) {
      throw new SpecrunError('GMM_LAG_RANGE', { ...args, reason: 'must be whole numbers with 1 <= first <= last' });
    }
    if (g.from > T - 1) {
      throw new SpecrunError('GMM_LAG_RANGE', {
        ...args,
        reason: `starts beyond the data: the panel has ${T} periods`,
      });
    }
  }
  for (const v of plan.iv) {
    if (gmmVars.has(v)) throw new SpecrunError('GMM_IV_CONFLICT', { model, variable: v });
  }

  // 2. which grid positions carry equations
  const maxLag = plan.regressors.reduce((m, t) => Math.max(m, t.lag), 0);
  const minFrom = plan.instruments.reduce((m, g) => Math.min(m, g.from), Infinity);
  const firstDiff = Math.max(maxLag + 1, Number.isFinite(minFrom) ? minFrom : 0);
  if (firstDiff > T - 1) throw new SpecrunError('GMM_PANEL_TOO_SHORT', { model, periods: T, lag: maxLag });
  const firstLevel = firstDiff - 1;

  // 3. constant and time dummies
  const timeNames: string[] = [];
  const timePosition: number[] = [];
  const constant = system && plan.constant;
  if (constant) {
    timeNames.push('(Intercept)');
    timePosition.push(-1);
  }
  if (plan.effect === 'twoways') {
    // difference GMM: one dummy per Δ period; system GMM: the constant plus one per levels period but the first, or
    // without the constant one per levels period
    for (let p = system ? firstLevel + (constant ? 1 : 0) : firstDiff; p < T; p++) {
      timeNames.push(String(periods[p]));
      timePosition.push(p);
    }
  }

  // 4. instrument columns, in plm's order
  let col = 0;
  const diffBlocks: {
    variable: string;
    from: number;
    to: number;
    diffOffset: number;
    diffCols: number;
    rowOffset: Int32Array;
  }[] = [];
  for (const g of plan.instruments) {
    const to = Math.min(g.to, T - 1);
    const rowOffset = new Int32Array(T);
    let cols = 0;
    if (plan.collapse) {
      cols = Math.min(T - g.from, to - g.from + 1);
    } else {
      for (let p = firstDiff; p < T; p++) {
        rowOffset[p] = cols;
        cols += Math.max(0, p - g.from - Math.max(0, p - to) + 1);
      }
    }
    diffBlocks.push({ variable: g.variable, from: g.from, to, diffOffset: col, diffCols: cols, rowOffset });
    col += cols;
  }
  let timeInstrumentOffset = -1;
  if (!system && timeNames.length > 0) {
    timeInstrumentOffset = col;
    col += timeNames.length;
  }
  const gmm: GmmStyleBlock[] = [];
  for (const b of diffBlocks) {
    // the levels instrument of row p is Δx at p − levelLag: lag a − 1 (xtabond2) or 1 (plm's pgmm); it needs q ≥ 1
    const levelLag = plan.levelsLag === 'plm' ? 1 : b.from - 1;
    const levelFirst = Math.max(firstLevel, levelLag + 1);
    let levelCols = 0;
    if (system && levelFirst < T) levelCols = plan.collapse ? 1 : T - levelFirst;
    gmm.push({ ...b, levelOffset: col, levelCols, levelFirst, levelLag });
    col += levelCols;
  }
  if (system && timeNames.length > 0) {
    timeInstrumentOffset = col;
    col += timeNames.length;
  }

  const iv: IvTerm[] = [];
  const seen = new Set<string>();
  for (const t of plan.regressors) {
    if (gmmVars.has(t.variable) || seen.has(t.name)) continue;
    seen.add(t.name);
    iv.push({ name: t.name, variable: t.variable, lag: t.lag });
  }
  for (const v of plan.iv) {
    if (seen.has(v)) continue;
    seen.add(v);
    iv.push({ name: v, variable: v, lag: 0 });
  }
  const ivDiffOffset = col;
  col += iv.length;
  const ivLevelOffset = col;
  if (system) col += iv.length;

  return {
    transformation,
    collapse: plan.collapse,
    T,
    firstDiff,
    firstLevel,
    terms: plan.regressors,
    timeNames,
    timePosition: Int32Array.from(timePosition),
    K: plan.regressors.length + timeNames.length,
    gmm,
    iv,
    timeInstrumentOffset,
    ivDiffOffset,
    ivLevelOffset,
    L: col,
  };
}
