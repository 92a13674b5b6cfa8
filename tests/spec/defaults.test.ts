/**
 * Every default in one place, and the same as the reference says: each `__Default value:__` of
 * docs/spec-reference.md that states a value is compared with the defaults object the code applies (the estimator
 * and transform modules' own, engine/spec/defaults.ts for the shared ones). A documented default with no code
 * constant, or a code constant with no documented default, fails; prose defaults ("the first sheet") are listed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GLM_DEFAULTS } from '../../engine/estimate/glm/spec.js';
import { GMM_DEFAULTS } from '../../engine/estimate/gmm/spec.js';
import { MEDIATION_DEFAULTS } from '../../engine/estimate/mediation/spec.js';
import { WILD_DEFAULTS } from '../../engine/estimate/ols/linear-module.js';
import { OLS_DEFAULTS } from '../../engine/estimate/ols/spec.js';
import { RANKSIZE_DEFAULTS } from '../../engine/estimate/ranksize/spec.js';
import { DESCRIBE_DEFAULTS } from '../../engine/estimate/describe/spec.js';
import { CORRELATION_DEFAULTS } from '../../engine/estimate/correlation/spec.js';
import {
  DATA_DEFAULTS,
  DEFAULT_ESTIMATOR,
  DEFAULT_SSC,
  DEFAULT_VCOV,
  SOURCE_DEFAULTS,
  TABLE_DEFAULTS,
} from '../../engine/spec/defaults.js';
import { TRANSFORM_DEFAULTS } from '../../engine/transforms/spec.js';
import { THRESHOLD_DEFAULTS } from '../../engine/estimate/threshold/spec.js';
import { COEFPLOT_DEFAULTS, FIGURE_DEFAULTS, SPEC_CURVE_DEFAULTS } from '../../engine/spec/figures.js';

/** `Definition key` → the value the code applies. */
const CODE: Record<string, unknown> = {
  'DataSpec encoding': DATA_DEFAULTS.encoding,
  'DataSpec na': DATA_DEFAULTS.na,
  'JoinSpec encoding': DATA_DEFAULTS.encoding,
  'JoinSpec na': DATA_DEFAULTS.na,
  'DataSpec skip_rows': SOURCE_DEFAULTS.skip_rows,
  'JoinSpec skip_rows': SOURCE_DEFAULTS.skip_rows,
  'DataSpec header_rows': SOURCE_DEFAULTS.header_rows,
  'JoinSpec header_rows': SOURCE_DEFAULTS.header_rows,
  'DataSpec header_separator': SOURCE_DEFAULTS.header_separator,
  'JoinSpec header_separator': SOURCE_DEFAULTS.header_separator,
  'PeriodSpec from': SOURCE_DEFAULTS.period_from,
  'PeriodSpec pattern': SOURCE_DEFAULTS.period_pattern,
  'JoinSpec how': SOURCE_DEFAULTS.how,
  'SpecCurveFigure level': SPEC_CURVE_DEFAULTS.level,
  'SpecCurveFigure width': SPEC_CURVE_DEFAULTS.width,
  'SpecCurveFigure height': SPEC_CURVE_DEFAULTS.height,
  'SpecCurveNull reps': SPEC_CURVE_DEFAULTS.reps,
  'SpecCurveNull seed': SPEC_CURVE_DEFAULTS.seed,
  'CoefPlotFigure level': COEFPLOT_DEFAULTS.level,
  'CoefPlotFigure width': COEFPLOT_DEFAULTS.width,
  'OlsModel estimator': DEFAULT_ESTIMATOR,
  'OlsModel vcov': DEFAULT_VCOV,
  'MediationModel vcov': DEFAULT_VCOV,
  'OlsModel constant': OLS_DEFAULTS.constant,
  'SmallSampleSpec adj': DEFAULT_SSC.adj,
  'SmallSampleSpec fixef_k': DEFAULT_SSC.fixef_k,
  'SmallSampleSpec cluster_adj': DEFAULT_SSC.cluster_adj,
  'GmmOptions iv': GMM_DEFAULTS.iv,
  'GmmOptions steps': GMM_DEFAULTS.steps,
  'GmmOptions collapse': GMM_DEFAULTS.collapse,
  'GmmOptions effect': GMM_DEFAULTS.effect,
  'GmmOptions constant': GMM_DEFAULTS.constant, // "`true` for sysgmm, `false` for diffgmm": difference GMM ignores it
  'GmmOptions transform': GMM_DEFAULTS.transform,
  'GmmOptions small': GMM_DEFAULTS.small,
  'GmmOptions levels_lag': GMM_DEFAULTS.levels_lag,
  'MediationBootstrapSpec reps': MEDIATION_DEFAULTS.bootstrap.reps,
  'MediationBootstrapSpec seed': MEDIATION_DEFAULTS.bootstrap.seed,
  'MediationBootstrapSpec level': MEDIATION_DEFAULTS.bootstrap.level,
  'RankSizeModel threshold': RANKSIZE_DEFAULTS.threshold,
  'TableSpec stars': TABLE_DEFAULTS.stars,
  'TableSpec digits': TABLE_DEFAULTS.digits,
  'TableSpec under': TABLE_DEFAULTS.under,
  'TableSpec longtable': TABLE_DEFAULTS.longtable,
  'TableSpec fit': TABLE_DEFAULTS.fit,
  'TableSpec numbers': TABLE_DEFAULTS.numbers,
  'TableSpec dependent': TABLE_DEFAULTS.dependent,
  'OlsModel singletons': OLS_DEFAULTS.singletons,
  'WildBootstrapSpec reps': WILD_DEFAULTS.reps,
  'WildBootstrapSpec weights': WILD_DEFAULTS.weights,
  'WildBootstrapSpec seed': WILD_DEFAULTS.seed,
  'WildBootstrapSpec level': WILD_DEFAULTS.level,
  'RankSizeModel intercept': RANKSIZE_DEFAULTS.intercept,
  'DescribeModel test': DESCRIBE_DEFAULTS.test,
  'DescribeModel quantile_type': DESCRIBE_DEFAULTS.quantile_type,
  'CorrelationModel method': CORRELATION_DEFAULTS.method,
  'CorrelationModel missing': CORRELATION_DEFAULTS.missing,
  'GlmModel vcov': DEFAULT_VCOV,
  'GlmModel singletons': GLM_DEFAULTS.singletons,
  'TobitModel vcov': DEFAULT_VCOV,
  'ThresholdModel vcov': DEFAULT_VCOV,
  'ThresholdSpec thresholds': THRESHOLD_DEFAULTS.thresholds,
  'ThresholdSpec trim': THRESHOLD_DEFAULTS.trim,
  'ThresholdSpec reps': THRESHOLD_DEFAULTS.reps,
  'ThresholdSpec seed': THRESHOLD_DEFAULTS.seed,
  'EventStudyFigure reference': FIGURE_DEFAULTS.reference,
  'EventStudyFigure level': FIGURE_DEFAULTS.level,
  'EventStudyFigure width': FIGURE_DEFAULTS.width,
  'EventStudyFigure height': FIGURE_DEFAULTS.height,
};
for (const [kind, defaults] of Object.entries(TRANSFORM_DEFAULTS)) {
  const def = `${kind === 'ranksize' ? 'RankSize' : kind[0]!.toUpperCase() + kind.slice(1)}Transform`;
  for (const [key, value] of Object.entries(defaults)) CODE[`${def} ${kind}.${key}`] = value;
}

/** Defaults the reference states in words: no single value to compare (each is applied where the words say). */
const PROSE = new Set([
  'Spec lang',
  'DataSpec sheet',
  'DataFix where',
  'PimTransform pim.price_index',
  'PimTransform pim.base',
  'DeflateTransform deflate.base',
  'RankSizeTransform ranksize.period',
  'MediationModel controls',
  'MediationModel fixed_effects',
  'MediationModel sample',
  'MediationModel bootstrap',
  'RankSizeModel sample',
  'TableSpec extends',
  'TableSpec columns',
  'TableSpec panels',
  'TablePanel columns',
  'TableSpec drop_columns',
  'TableSpec add_columns',
  'TableColumnsEdit after',
  'TableColumnsEdit before',
  'DescribeModel sample',
  'DescribeModel by',
  'CorrelationModel sample',
  'TableSpec layout',
  'TableSpec keep',
  'TableSpec label',
  'TableColumn label',
  'TableColumn endogenous',
  'WildBootstrapSpec terms',
  'DataSpec sheets',
  'JoinSpec sheet',
  'JoinSpec sheets',
  'DataSpec period',
  'JoinSpec period',
  'DataSpec columns',
  'JoinSpec columns',
  'DataSpec drop_rows',
  'JoinSpec drop_rows',
  'DataSpec where',
  'LongerSpec names_to',
  'PimTransform pim.initial_stock',
  'GlmModel weights',
  'TobitModel left',
  'TobitModel right',
  'EventStudyFigure term',
  'EventStudyFigure title',
  'EventStudyFigure x_label',
  'EventStudyFigure y_label',
  'SplitBySpec values',
  'GridSpec exclude',
  'GridSliceColumn where',
  'SpecCurveFigure inference',
  'SpecCurveFigure title',
  'SpecCurveFigure y_label',
  'CoefPlotFigure terms',
  'CoefPlotFigure title',
]);

/** Every `__Default value:__` of the reference, by `Definition key`, as written. */
function documented(): Map<string, string> {
  const text = readFileSync(resolve(__dirname, '../../docs/spec-reference.md'), 'utf8');
  const out = new Map<string, string>();
  let section = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    const m = /^\| `([^`]+)` \|.*__Default value:__ (.*?) \|$/.exec(line);
    if (m) out.set(`${section} ${m[1]}`, m[2]!.trim());
  }
  return out;
}

/** The value a documented default starts with: a backticked literal (JSON or a bare word) or a number/boolean. */
function documentedValue(doc: string): unknown {
  const tick = /^`([^`]*)`/.exec(doc);
  const raw = tick ? tick[1]! : /^[^\s(,]+/.exec(doc)![0].replace(/\.$/, '');
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

describe('defaults', () => {
  const docs = documented();

  it('finds the documented defaults', () => {
    expect(docs.size).toBeGreaterThan(50);
  });

  it.each([...docs.keys()].filter((k) => !PROSE.has(k)))('%s: the code applies what the reference says', (key) => {
    expect(CODE, `no code constant for the documented default of ${key}`).toHaveProperty([key]);
    expect(CODE[key]).toEqual(documentedValue(docs.get(key)!));
  });

  it('every code default is documented, and every prose default is still in the reference', () => {
    for (const key of Object.keys(CODE)) expect(docs.has(key), key).toBe(true);
    for (const key of PROSE) expect(docs.has(key), key).toBe(true);
  });
});
