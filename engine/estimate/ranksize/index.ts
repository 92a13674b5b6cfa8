/**
 * The `ranksize` estimator: for each group and period, OLS of ln(size) on ln(rank within the group and period),
 *
 *   ln size_i = C − q ln R_i,
 *
 * with q reported positive (C estimated, or with `intercept: largest` fixed at the log size of the largest unit),
 * the R² and the number of units n, and the paper's centre count (monocentric when
 * q > threshold, otherwise drop the second-largest unit until q > threshold; centres = 1 + number dropped). The
 * rules for ties, too few units and non-positive sizes are in rank-size-fit.ts and grid.ts.
 *
 * The result has no coefficients; `detail: RankSizeDetail` holds the cells (groups in order of first appearance,
 * periods ascending), `stats` = { groups, periods }, `nobs` = rows that entered a ranking.
 */
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import type { RankSizePlan } from '../../normalize/plan.js';
import type { RankSizeDetail, RankSizeResult } from '../../results/types.js';
import type { EstimationData, Estimator } from '../types.js';
import { varianceInFit } from '../fit-variance.js';
import { RANKSIZE_DEFAULTS, type RankSizeModel } from './spec.js';
import { rankSizeGrid } from '../../numerics/rank-size/grid.js';

export const rankSizeEstimator: Estimator<RankSizePlan, RankSizeModel, RankSizeResult> = {
  kind: 'ranksize',
  spec: { type: 'RankSizeModel', file: 'engine/estimate/ranksize/spec.ts' },
  normalize: (spec) => ({
    estimator: 'ranksize',
    size: String(spec.size),
    group: String(spec.group),
    threshold: spec.threshold ?? RANKSIZE_DEFAULTS.threshold,
    intercept: spec.intercept ?? RANKSIZE_DEFAULTS.intercept,
  }),
  inputs: (plan) => [
    { name: plan.size, key: 'size' },
    { name: plan.group, key: 'group' },
  ],
  terms: () => [],
  coefficientNames: () => [],
  fingerprint: (plan) => ({ formula: { size: plan.size, group: plan.group }, fixed_effects: [], vcov: null }),
  fingerprintFields: ['size', 'group'], // `intercept` (free or fixed at the largest unit) is an option
  varianceOnlyVcov: false,
  table: { layout: 'grid' },
  ...varianceInFit(function estimate(plan: RankSizePlan, data: EstimationData): RankSizeResult {
    const { frame } = data;
    const group = frame.get(plan.group);
    if (!group)
      throw new SpecrunError('DATA_MISSING_COLUMN', { name: plan.group, file: 'the model data', suggestion: '' });
    if (!frame.has(plan.size))
      throw new SpecrunError('DATA_MISSING_COLUMN', { name: plan.size, file: 'the model data', suggestion: '' });
    const grid = rankSizeGrid({
      size: frame.numeric(plan.size),
      sizeName: plan.size,
      group,
      time: data.time,
      threshold: plan.threshold,
      intercept: plan.intercept,
    });
    if (grid.nobs === 0) throw new SpecrunError('NO_OBSERVATIONS', { model: plan.id });
    const detail: RankSizeDetail = { cells: grid.cells };
    return {
      estimator: 'ranksize',
      nobs: grid.nobs,
      coefficients: {},
      stats: { groups: grid.groups, periods: grid.periods },
      fixedEffects: [],
      vcov: 'iid',
      notes: grid.notes,
      detail,
    };
  }),
};
