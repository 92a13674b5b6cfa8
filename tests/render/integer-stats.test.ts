// Counts and degrees of freedom render as integers (no decimals), other statistics with the table's digits:
// Tobit's censoring counts, GLM iterations and parameter counts, GMM Wald/difference-in-Hansen degrees of freedom.
import { describe, expect, test } from 'vitest';
import { buildTableModel } from '../../engine/render/table-model.js';
import type { ModelResult } from '../../engine/results/types.js';
import * as f from './fixtures.js';

const tobit: ModelResult = {
  estimator: 'tobit',
  nobs: 601,
  coefficients: { age: { estimate: -0.179, se: 0.079, t: -2.26, p: 0.024 } },
  stats: {
    left_censored: 451,
    right_censored: 0,
    uncensored: 150,
    iterations: 7,
    nparams: 6,
    wald_df: 5,
    df_t: 595,
    diff_hansen_levels_df: 12,
    loglik: -705.5762,
    log_scale: 2.1094,
    wald: 67.707,
    f_df2: 99,
  },
  fixedEffects: [],
  vcov: 'iid',
  notes: [],
};

describe('integer statistics', () => {
  test('counts and *_df are integers; the rest keep the digits', () => {
    const stats = [
      'left_censored',
      'right_censored',
      'uncensored',
      'iterations',
      'nparams',
      'wald_df',
      'df_t',
      'diff_hansen_levels_df',
      'f_df2',
      'loglik',
      'log_scale',
      'wald',
    ];
    const m = buildTableModel(f.plan('t', { columns: ['tobit'], stats }), new Map([['tobit', tobit]]), { lang: 'en' });
    const cell = (k: string) => m.body.find((b) => b.key === `stat:${k}`)!.cells[1]!.text;
    expect(stats.map(cell)).toEqual([
      '451',
      '0',
      '150',
      '7',
      '6',
      '5',
      '595',
      '12',
      '99',
      '-705.576',
      '2.109',
      '67.707',
    ]);
  });
});
