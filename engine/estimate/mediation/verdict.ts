/**
 * The verdict of the mediation-testing procedure of Wen Zhonglin & Ye Baojuan (2014), "Analyses of mediating
 * effects: the development of methods and models", Advances in Psychological Science 22(5): 731–745
 * (温忠麟、叶宝娟《中介效应分析：方法和模型发展》, 心理科学进展), §4 and its Figure 2 — the procedure the paper cites
 * for Table 5. All tests at the significance level α (5% here unless the caller says otherwise):
 *
 *   1. Test c (total effect, Y on X). Significant: argue as mediation; not significant: argue as suppression
 *      (遮掩效应). Either way continue — the test of c only chooses how the result is framed (`totalSignificant`).
 *   2. Test a (M on X) and b (M in Y on X, M) in turn. Both significant: the indirect effect is significant, go to 4.
 *      Otherwise go to 3.
 *   3. Test H0: ab = 0 directly: with the bias-corrected bootstrap interval when a bootstrap was requested (the
 *      authors' recommendation: significant when the interval excludes 0), otherwise with the Sobel z at α.
 *      Significant: go to 4. Not significant: stop — no indirect effect (`none`).
 *   4. Test c′ (X in Y on X, M). Not significant: only the indirect effect is there — `full` mediation.
 *      Significant: go to 5.
 *   5. Compare the signs of ab and c′. Same sign: `partial` mediation, report the share ab/c. Opposite signs:
 *      `suppression`, report |ab/c′|.
 */

export type Verdict = 'full' | 'partial' | 'suppression' | 'none';

export interface VerdictInput {
  readonly a: { readonly estimate: number; readonly p: number | null };
  readonly b: { readonly estimate: number; readonly p: number | null };
  readonly c: { readonly estimate: number; readonly p: number | null };
  readonly cPrime: { readonly estimate: number; readonly p: number | null };
  /** Sobel p of ab (used in step 3 when there is no bootstrap). */
  readonly sobelP: number;
  /** Bias-corrected bootstrap interval of ab, or null without a bootstrap (or when it is undefined). */
  readonly bootstrapInterval: readonly [number, number] | null;
  readonly alpha: number;
}

export interface VerdictTrace {
  readonly verdict: Verdict;
  /** Step 1: c significant (framed as mediation) or not (framed as suppression). */
  readonly totalSignificant: boolean;
  /** Steps 2–3: the indirect effect is significant, and by which test. */
  readonly indirectSignificant: boolean;
  readonly indirectTest: 'joint' | 'bootstrap' | 'sobel';
  /** Step 4: c′ significant (null when the procedure stopped at step 3). */
  readonly directSignificant: boolean | null;
}

function significant(p: number | null, alpha: number): boolean {
  return p !== null && Number.isFinite(p) && p < alpha;
}

export function wenYeVerdict(x: VerdictInput): VerdictTrace {
  const totalSignificant = significant(x.c.p, x.alpha);
  let indirectSignificant: boolean;
  let indirectTest: VerdictTrace['indirectTest'];
  if (significant(x.a.p, x.alpha) && significant(x.b.p, x.alpha)) {
    indirectSignificant = true;
    indirectTest = 'joint';
  } else if (
    x.bootstrapInterval !== null &&
    Number.isFinite(x.bootstrapInterval[0]) &&
    Number.isFinite(x.bootstrapInterval[1])
  ) {
    indirectSignificant = x.bootstrapInterval[0] > 0 || x.bootstrapInterval[1] < 0;
    indirectTest = 'bootstrap';
  } else {
    indirectSignificant = significant(x.sobelP, x.alpha);
    indirectTest = 'sobel';
  }
  if (!indirectSignificant) {
    return { verdict: 'none', totalSignificant, indirectSignificant, indirectTest, directSignificant: null };
  }
  const directSignificant = significant(x.cPrime.p, x.alpha);
  if (!directSignificant) {
    return { verdict: 'full', totalSignificant, indirectSignificant, indirectTest, directSignificant };
  }
  const ab = x.a.estimate * x.b.estimate;
  const sameSign = Math.sign(ab) === Math.sign(x.cPrime.estimate);
  return {
    verdict: sameSign ? 'partial' : 'suppression',
    totalSignificant,
    indirectSignificant,
    indirectTest,
    directSignificant,
  };
}
