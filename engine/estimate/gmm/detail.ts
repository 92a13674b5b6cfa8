/** `detail` of a GMM result (estimators `sysgmm` and `diffgmm`). */
import type { CoefficientResult } from '../../results/types.js';

export interface GmmDetail {
  readonly transformation: 'difference' | 'system';
  /** How unit effects are removed: first differences or forward orthogonal deviations. */
  readonly transform: 'fd' | 'fod';
  readonly steps: 1 | 2;
  readonly collapse: boolean;
  /** The constant (system GMM) and the time dummies, by name (`(Intercept)`, `1979`, ...), with the reported SEs. */
  readonly timeEffects: Readonly<Record<string, CoefficientResult>>;
  /** Uncorrected SEs: the two-step (X'Z W₂ Z'X)^{-1} for two-step models (Arellano–Bond 1991's "non-robust"); null for one-step. */
  readonly seUncorrected: Readonly<Record<string, number>> | null;
  /** One-step coefficients (terms only), reported for two-step models too. */
  readonly oneStep: Readonly<Record<string, number>>;
  /** Instrument columns without any non-zero value in the sample, dropped (and not counted in `instruments`). */
  readonly emptyInstruments: number;
  /** Equations used: differenced and (system GMM) levels. */
  readonly nobsDiff: number;
  readonly nobsLevel: number;
  /**
   * The AR tests as xtabond2 computes them (all residuals of the system in the variance's middle term; equal to the
   * reported ar1/ar2 for difference GMM). CONVENTIONS.md.
   */
  readonly xtabond2: {
    readonly ar1: number | null;
    readonly ar1_p: number | null;
    readonly ar2: number | null;
    readonly ar2_p: number | null;
  };
  /**
   * xtabond2's difference-in-Hansen tests, one per instrument group (`levels`, `gmm_<variable>`, `iv`, `time`, `iv_time`): Hansen's
   * J without the group, and the difference from the full J (the group's columns are its df). CONVENTIONS.md.
   */
  readonly diffHansen: readonly {
    readonly group: string;
    readonly instruments: number;
    readonly hansenExcluding: number | null;
    readonly hansenExcludingDf: number | null;
    readonly hansenExcludingP: number | null;
    readonly difference: number | null;
    readonly differenceDf: number;
    readonly differenceP: number | null;
  }[];
  /** `small`: the variance factor N/(N − K + 1)·G/(G − 1), the t/F df (G − 1, or G without a constant) and N; null without it. */
  readonly small: { readonly factor: number; readonly df: number; readonly nobs: number } | null;
  /** The first and last period with a differenced equation. */
  readonly periods: readonly [number, number];
}
