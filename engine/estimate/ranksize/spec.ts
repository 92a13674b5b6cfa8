/** User-tier spec of the rank-size estimator. */

/** For each group and period: OLS of ln(size) on ln(rank within the group). */
export interface RankSizeModel {
  estimator: 'ranksize';
  /** The size column (population). */
  size: string;
  /** The group column (agglomeration). */
  group: string;
  sample?: string;
  /** q above this is monocentric. __Default value:__ 0.5 */
  threshold?: number;
  label?: string | { [lang: string]: string };
}
