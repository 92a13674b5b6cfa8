/**
 * The `correlation` estimator: a correlation matrix (Pearson or Spearman) with two-sided p-values and the rows each
 * coefficient uses. Numerics in correlate.ts; conventions in CONVENTIONS.md. No coefficients; `detail` holds the
 * matrices, `nobs` the rows of the sample (pairwise) or the complete rows (listwise).
 */
import { SpecrunError, note, type Note } from '../../diagnostics/diagnostic.js';
import type { ModelPlanBase } from '../../normalize/plan.js';
import type { ModelResult } from '../../results/types.js';
import type { EstimationData, Estimator } from '../types.js';
import { varianceInFit } from '../fit-variance.js';
import { describedColumns } from '../describe/index.js';
import { CORRELATION_DEFAULTS, type CorrelationModel } from './spec.js';
import { correlate } from './correlate.js';

export interface CorrelationPlan extends ModelPlanBase {
  readonly estimator: 'correlation';
  readonly variables: readonly string[];
  readonly method: 'pearson' | 'spearman';
  readonly missing: 'pairwise' | 'listwise';
}

export interface CorrelationDetail {
  readonly variables: readonly string[];
  readonly method: 'pearson' | 'spearman';
  readonly missing: 'pairwise' | 'listwise';
  /** Row i, column j: the coefficient of variables i and j (null when undefined), symmetric, 1 on the diagonal. */
  readonly r: readonly (readonly (number | null)[])[];
  readonly p: readonly (readonly (number | null)[])[];
  readonly n: readonly (readonly number[])[];
}

export type CorrelationResult = ModelResult<'correlation', CorrelationDetail> & { readonly detail: CorrelationDetail };

export const correlationEstimator: Estimator<CorrelationPlan, CorrelationModel, CorrelationResult> = {
  kind: 'correlation',
  spec: { type: 'CorrelationModel', file: 'engine/estimate/correlation/spec.ts' },
  normalize: (spec, ctx) => {
    const variables = spec.variables.map(String);
    if (new Set(variables).size !== variables.length) {
      ctx.report('SPEC_CONFLICT', ['variables'], {
        detail: 'a variable is listed twice',
        hint: 'list each variable once',
      });
      return null;
    }
    if (variables.length < 2) {
      ctx.report('SPEC_CONFLICT', ['variables'], {
        detail: 'a correlation matrix needs at least two variables',
        hint: 'list two or more columns',
      });
      return null;
    }
    return {
      estimator: 'correlation',
      variables,
      method: spec.method ?? CORRELATION_DEFAULTS.method,
      missing: spec.missing ?? CORRELATION_DEFAULTS.missing,
    };
  },
  inputs: (plan) => plan.variables.map((name) => ({ name, key: 'variables' })),
  terms: () => [],
  coefficientNames: () => [],
  fingerprint: (plan) => ({
    formula: { variables: plan.variables, method: plan.method },
    fixed_effects: [],
    vcov: null,
  }),
  fingerprintFields: ['variables', 'method'],
  varianceOnlyVcov: false,
  table: { layout: 'correlation' },
  ...varianceInFit(function estimate(plan: CorrelationPlan, data: EstimationData): CorrelationResult {
    const { frame } = data;
    const notes: Note[] = [];
    const cols = describedColumns(plan.id, frame, plan.variables);
    let use: Uint8Array | null = null;
    let nobs = frame.nrows;
    if (plan.missing === 'listwise') {
      use = new Uint8Array(frame.nrows);
      nobs = 0;
      for (let i = 0; i < frame.nrows; i++) {
        if (cols.every((c) => Number.isFinite(c[i]!))) {
          use[i] = 1;
          nobs++;
        }
      }
      if (nobs < frame.nrows) notes.push(note('MISSING_DROPPED', { count: frame.nrows - nobs }));
    }
    if (nobs === 0) throw new SpecrunError('NO_OBSERVATIONS', { model: plan.id });
    const k = cols.length;
    const r: (number | null)[][] = [];
    const p: (number | null)[][] = [];
    const n: number[][] = [];
    for (let i = 0; i < k; i++) {
      r.push(new Array(k).fill(null));
      p.push(new Array(k).fill(null));
      n.push(new Array(k).fill(0));
    }
    const undefinedPairs: string[] = [];
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const res = correlate(cols[i]!, cols[j]!, use, plan.method);
        const rij = i === j && res.r !== null ? 1 : res.r;
        r[i]![j] = rij;
        r[j]![i] = rij;
        p[i]![j] = i === j ? null : res.p;
        p[j]![i] = p[i]![j]!;
        n[i]![j] = res.n;
        n[j]![i] = res.n;
        if (rij === null && i !== j) undefinedPairs.push(`${plan.variables[i]}–${plan.variables[j]}`);
      }
    }
    if (undefinedPairs.length > 0)
      notes.push(note('CORRELATION_UNDEFINED', { model: plan.id, pairs: undefinedPairs.join(', ') }));
    return {
      estimator: 'correlation',
      nobs,
      coefficients: {},
      stats: { variables: k },
      fixedEffects: [],
      vcov: '',
      notes,
      detail: { variables: [...plan.variables], method: plan.method, missing: plan.missing, r, p, n },
    };
  }),
};

export function isCorrelationResult(r: ModelResult): r is CorrelationResult {
  const d = r.detail as { r?: unknown; variables?: unknown } | undefined;
  return (
    r.estimator === 'correlation' &&
    typeof d === 'object' &&
    d !== null &&
    Array.isArray(d.r) &&
    Array.isArray(d.variables)
  );
}
