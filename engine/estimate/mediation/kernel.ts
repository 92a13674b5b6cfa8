/**
 * One replication of the mediation bootstrap (index.ts, step 4) as a replication kernel
 * (engine/estimate/replication-pool.ts): the rows of replication r (rows, or whole clusters, drawn up front with
 * replacement from the one seeded stream, in replication order: bootstrap.ts `drawPicks`), then a·b from the
 * mediator and outcome equations on them (the variance choice iid: only the estimates enter), or NaN when either
 * cannot be estimated (a collinear resample).
 */
import { Frame, type Column } from '../../core/frame.js';
import { SpecrunError } from '../../diagnostics/diagnostic.js';
import type { OlsPlan } from '../../normalize/plan.js';
import { olsEstimator } from '../ols/index.js';
import type { EstimationData } from '../types.js';
import type { ReplicationKernel } from '../replication-pool.js';
import { rowsOfPicks, type ResampleLayout } from './bootstrap.js';
import { takeRows } from './common-sample.js';

export interface MediationBootSetup {
  /** The common sample's columns (plain data, so that a worker thread receives them as they are). */
  readonly nrows: number;
  readonly columns: readonly (readonly [string, Column])[];
  readonly unit: Int32Array | null;
  readonly time: Float64Array | null;
  readonly mediatorPlan: OlsPlan;
  readonly outcomePlan: OlsPlan;
  readonly treatment: string;
  readonly mediator: string;
  /** What a pick is (a row, or a cluster and its rows) and how many per replication. */
  readonly layout: ResampleLayout;
  /** Every replication's picks, `layout.per` each, in replication order. */
  readonly picks: Int32Array;
}

/**
 * Picks held at once (Int32, ≈ 128 MB): a bootstrap with more (reps × rows, or reps × clusters) draws one
 * replication at a time on the calling thread instead, with the same draws.
 */
export const MAX_BOOTSTRAP_PICKS = 2 ** 25;

/** The setup's data from an estimation's data (its frame's columns, unit and time). */
export function mediationBootData(
  common: EstimationData,
): Pick<MediationBootSetup, 'nrows' | 'columns' | 'unit' | 'time'> {
  return {
    nrows: common.frame.nrows,
    columns: common.frame.names.map((n) => [n, common.frame.get(n)!] as const),
    unit: common.unit,
    time: common.time,
  };
}

export const mediationBootKernel: ReplicationKernel<
  MediationBootSetup,
  MediationBootSetup & { common: EstimationData }
> = {
  kind: 'mediation',
  prepare: (s) => ({
    ...s,
    common: { frame: new Frame(s.nrows, s.columns as Iterable<[string, Column]>), unit: s.unit, time: s.time },
  }),
  replicate(s, r, out) {
    const per = s.layout.per;
    const rows = rowsOfPicks(s.layout, s.picks.subarray(r * per, (r + 1) * per));
    try {
      const sample = takeRows(s.common, rows, false);
      const ra = olsEstimator.estimate(s.mediatorPlan, sample).coefficients[s.treatment];
      const rb = olsEstimator.estimate(s.outcomePlan, sample).coefficients[s.mediator];
      out[0] = ra && rb ? ra.estimate * rb.estimate : NaN;
    } catch (e) {
      if (e instanceof SpecrunError) out[0] = NaN;
      else throw e;
    }
  },
};
