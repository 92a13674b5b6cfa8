/** User-tier spec of the dynamic-panel GMM estimators, and its defaults. */
import type { MultipleEstimationKeys } from '../../spec/multiple.js';

/** Defaults of the `gmm:` keys. */
export const GMM_DEFAULTS = {
  iv: [] as readonly string[],
  steps: 2,
  collapse: false,
  effect: 'twoways',
  constant: true,
  transform: 'fd',
  small: false,
  levels_lag: 'xtabond2',
} as const;

/** GMM options. */
export interface GmmOptions {
  /**
   * GMM-style instruments: variable → [first lag, last lag] (`{ n: [2, 99] }`). In the differenced equation of period
   * t the instruments are the variable's levels at t − first … t − last (as far as the data reach); in the levels
   * equations of system GMM, its difference at t − first + 1. The first lag must be at least 1; a last lag beyond the
   * panel is cut to the data, so `99` means "all available".
   */
  instruments: { [variable: string]: [number, number] };
  /**
   * Extra IV-style (exogenous) instruments: columns used as their own instruments (differenced in the differenced
   * equations, in levels in the levels equations). Regressors whose variable has no GMM-style instruments are always
   * IV-style instruments; list here only instruments that are not regressors. A variable may not be both GMM-style and
   * IV-style.
   * __Default value:__ `[]`
   */
  iv?: string[];
  /**
   * 1 (one-step, robust SEs) or 2 (two-step, Windmeijer-corrected SEs).
   * __Default value:__ `2`
   */
  steps?: 1 | 2;
  /**
   * Collapse the GMM-style instruments to one column per lag instead of one per lag and period, which keeps the
   * instrument count linear in the number of periods.
   * __Default value:__ `false`
   */
  collapse?: boolean;
  /**
   * `twoways` adds time dummies (and, in system GMM, a constant); `individual` adds none (system GMM keeps the
   * constant).
   * __Default value:__ `twoways`
   */
  effect?: 'twoways' | 'individual';
  /**
   * System GMM: estimate a constant (xtabond2's default) or not (xtabond2's `noconstant`). With `false` and
   * `effect: individual` the model is plm's `pgmm(..., effect = "individual", transformation = "ld")`; with `false` and
   * `effect: twoways` every levels period gets its own dummy (the same fit as constant + dummies, reparametrised).
   * Difference GMM has no constant (it is differenced out): `true` there is an error.
   * __Default value:__ `true` for `sysgmm`, `false` for `diffgmm`
   */
  constant?: boolean;
  /**
   * How the fixed effects are removed: `fd` first differences, `fod` forward orthogonal deviations (xtabond2's
   * `orthogonal`: each observation minus the mean of the unit's later observations, scaled by √(n/(n+1)), stored one
   * period later so that instrument lags mean the same as with `fd`; gaps lose fewer equations).
   * __Default value:__ `fd`
   */
  transform?: 'fd' | 'fod';
  /**
   * xtabond2's `small`: t instead of z for the coefficients and F instead of the Wald χ² for the joint test, with
   * groups − 1 degrees of freedom (groups without a constant) and the variance scaled by N/(N − K + 1)·G/(G − 1), N the
   * equations xtabond2 counts as "Number of obs" (levels equations of system GMM).
   * __Default value:__ `false`
   */
  small?: boolean;
  /**
   * System GMM, GMM-style instruments with a first lag a ≥ 3: the levels equation of period t is instrumented by
   * Δx at t − a + 1 (`xtabond2`, consistent with the lag range) or at t − 1 whatever a (`plm`'s pgmm). The two agree
   * when a = 2 (or a = 1, where plm also uses t − 1 … see CONVENTIONS.md).
   * __Default value:__ `xtabond2`
   */
  levels_lag?: 'xtabond2' | 'plm';
}

/**
 * Dynamic-panel GMM: `sysgmm` is Blundell–Bond system GMM (differenced and levels equations), `diffgmm` Arellano–Bond
 * difference GMM. Results report Sargan and Hansen tests, Arellano–Bond AR(1)/AR(2) and the instrument count
 * (conventions: engine/estimate/gmm/CONVENTIONS.md).
 */
export interface GmmModel extends MultipleEstimationKeys {
  /** `sysgmm`: Blundell–Bond system GMM; `diffgmm`: Arellano–Bond difference GMM. */
  estimator: 'sysgmm' | 'diffgmm';
  /** `n ~ lag(n, 1:2) + lag(w, 0:1) + k`: lags are taken within each unit; `lag(x, a:b)` expands to lags a … b. */
  formula: string;
  /** A named sample, or an inline boolean expression. */
  sample?: string;
  /** Instruments and steps. */
  gmm: GmmOptions;
  /** Column title used when a table does not name it. */
  label?: string | { [lang: string]: string };
}
