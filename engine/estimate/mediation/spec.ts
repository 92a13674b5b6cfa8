/** User-tier spec of the stepwise mediation estimator. */
import type { SmallSampleSpec } from '../ols/spec.js';

/** Stepwise mediation: Y on X; M on X; Y on X and M, each with the controls. */
export interface MediationModel {
  estimator: 'mediation';
  treatment: string;
  mediator: string;
  outcome: string;
  /** Control variables in all three equations. */
  controls?: string[];
  /** Fixed effects absorbed in all three equations. */
  fixed_effects?: string[];
  sample?: string;
  /** As for `ols`. __Default value:__ `iid` */
  vcov?: string;
  ssc?: SmallSampleSpec;
  /** Bootstrap of the indirect effect ab. */
  bootstrap?: { reps?: number; seed?: number; level?: number };
  label?: string | { [lang: string]: string };
}
