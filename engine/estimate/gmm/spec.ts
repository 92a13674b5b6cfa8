/** User-tier spec of the dynamic-panel GMM estimators. */

/** GMM options. */
export interface GmmOptions {
  /** GMM-style instruments: variable → [first lag, last lag] (`{ n: [2, 99] }`). */
  instruments: { [variable: string]: [number, number] };
  /** IV-style (exogenous) instruments, used as their own instruments. */
  iv?: string[];
  /** 1 or 2; two-step reports Windmeijer-corrected SEs. __Default value:__ 2 */
  steps?: 1 | 2;
  /** Collapse the GMM-style instrument matrix. __Default value:__ false */
  collapse?: boolean;
  /** `twoways` adds time dummies; `individual` does not. __Default value:__ `twoways` */
  effect?: 'twoways' | 'individual';
}

/** Two-step system GMM (Blundell–Bond) or difference GMM (Arellano–Bond). */
export interface GmmModel {
  estimator: 'sysgmm' | 'diffgmm';
  /** `n ~ lag(n, 1:2) + lag(w, 0:1) + k`. */
  formula: string;
  sample?: string;
  gmm: GmmOptions;
  label?: string | { [lang: string]: string };
}
