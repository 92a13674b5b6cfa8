/**
 * Every default in one place, and the same as the reference says: a minimal spec (every optional key left out) is
 * normalized, and each `__Default value:__` of docs/spec-reference.md that states a value is compared, key by key, with
 * the value the normalizer put in the plan (the data, variable, table, model and figure tiers). Changing a default in the
 * normalizer (or a module's defaults object) without the doc comment, or the doc comment without the code, fails. A
 * documented default with no check, or a check with no documented default, fails too; prose defaults ("the first
 * sheet") are listed. Figures too: each kind's defaults are in the plan's normalized figure spec.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../engine/load/load-spec.js';
import { normalize } from '../../engine/normalize/normalize.js';
import type { ModelPlan, NormalizedFigureSpec, Plan, VariablePlan } from '../../engine/normalize/plan.js';
import { builtinEstimators } from '../../engine/estimate/registry.js';
import { builtinTransforms } from '../../engine/transforms/registry.js';

/** Every optional key left out (only what each kind requires is written). */
const MINIMAL = `
data:
  source: main.csv
  unit: city
  time: year
  period: { column: c }
  join:
    - { source: join.csv, on: city, relation: many_to_one, period: { column: c } }
variables:
  K: { pim: { investment: inv, depreciation: 0.1 } }
  r: { deflate: { value: v, index: idx } }
  f: { convert: { value: v, rate: rate } }
  g: { gap: { value: v, group: grp, reference: ref } }
  e: { sbm: { inputs: [a], desirable: [b] } }
  q: { ranksize: { size: v, group: grp, output: q } }
models:
  ols: { formula: y ~ x | city }
  wild: { formula: y ~ x | city, vcov: cluster(city), inference: { wild: { terms: [x] } } }
  sys: { estimator: sysgmm, formula: 'y ~ lag(y, 1) + x', gmm: { instruments: { y: [2, 4] } } }
  med: { estimator: mediation, treatment: x, mediator: m, outcome: y, bootstrap: {} }
  rs: { estimator: ranksize, size: v, group: grp }
  pois: { estimator: poisson, formula: y ~ x }
  tob: { estimator: tobit, formula: y ~ x, left: 0 }
  thr: { estimator: threshold, formula: y ~ x | city, threshold: { variable: v, regime: [z] } }
  desc: { estimator: describe, variables: [x] }
  corr: { estimator: correlation, variables: [x, y] }
tables:
  ID: { columns: [ols] }
figures:
  es: { kind: event_study, model: ols }
  sc: { kind: spec_curve, models: [ols], term: x, inference: {} }
  cp: { kind: coefplot, table: ID }
`;

function normalized(text = MINIMAL): Plan {
  const { spec: loaded, diagnostics } = loadSpec('minimal.yaml', '/virtual', () => text);
  expect(diagnostics).toEqual([]);
  const r = normalize(loaded!, { estimators: builtinEstimators(), transforms: builtinTransforms() });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.plan!;
}

const plan = normalized();
/** A model's plan, with the fields its module adds. */
// biome-ignore lint/suspicious/noExplicitAny: each module adds its own plan fields; the test reads them by name
const model = (id: string) => plan.models.find((m) => m.id === id)! as ModelPlan & Record<string, any>;
/** A transform variable's options as normalized. */
const options = (name: string, kind: string) =>
  ((plan.variables.find((v) => v.name === name) as VariablePlan).spec as Record<string, Record<string, unknown>>)[
    kind
  ]!;
const table = plan.tables.find((t) => t.id === 'ID')!;
/** A figure's normalized spec, read by key. */
const figure = (id: string) =>
  plan.figures!.find((f) => f.id === id)!.spec as NormalizedFigureSpec & Record<string, Record<string, unknown>>;
const join = plan.data.join[0]!;

/** `Definition key` → the value the normalized plan of MINIMAL holds for it. */
const NORMALIZED: Record<string, () => unknown> = {
  'DataSpec encoding': () => plan.data.encoding,
  'DataSpec na': () => plan.data.na,
  'DataSpec skip_rows': () => plan.data.skip_rows,
  'DataSpec header_rows': () => plan.data.header_rows,
  'DataSpec header_separator': () => plan.data.header_separator,
  'PeriodSpec from': () => plan.data.period?.from,
  'PeriodSpec pattern': () => plan.data.period?.pattern,
  'JoinSpec encoding': () => join.encoding,
  'JoinSpec na': () => join.na,
  'JoinSpec skip_rows': () => join.skip_rows,
  'JoinSpec header_rows': () => join.header_rows,
  'JoinSpec header_separator': () => join.header_separator,
  'JoinSpec how': () => join.how,
  'TableSpec stars': () => table.spec.stars,
  'TableSpec digits': () => table.spec.digits,
  'TableSpec under': () => table.spec.under,
  'TableSpec longtable': () => table.spec.longtable,
  'TableSpec fit': () => table.spec.fit,
  'TableSpec numbers': () => table.spec.numbers,
  'TableSpec dependent': () => table.spec.dependent,
  'TableSpec label': () => table.spec.label, // `tab:ID`: the table above is named ID
  'OlsModel estimator': () => model('ols').estimator,
  'OlsModel vcov': () => model('ols').vcov.type,
  'OlsModel constant': () => model('ols').constant,
  // left out of the plan at its default (plans and hashes of specs that do not set it stay as they were); the
  // sample step drops singletons unless the plan says keep
  'OlsModel singletons': () => model('ols').singletons ?? 'drop',
  'SmallSampleSpec adj': () => model('ols').vcov.ssc.adj,
  'SmallSampleSpec fixef_k': () => model('ols').vcov.ssc.fixef_k,
  'SmallSampleSpec cluster_adj': () => model('ols').vcov.ssc.cluster_adj,
  'WildBootstrapSpec reps': () => model('wild').wild.reps,
  'WildBootstrapSpec weights': () => model('wild').wild.weights,
  'WildBootstrapSpec seed': () => model('wild').wild.seed,
  'WildBootstrapSpec level': () => model('wild').wild.level,
  'GmmOptions iv': () => model('sys').iv,
  'GmmOptions steps': () => model('sys').steps,
  'GmmOptions collapse': () => model('sys').collapse,
  'GmmOptions effect': () => model('sys').effect,
  'GmmOptions constant': () => model('sys').constant, // "`true` for sysgmm": difference GMM ignores it
  'GmmOptions transform': () => model('sys').transform,
  'GmmOptions small': () => model('sys').small,
  'GmmOptions levels_lag': () => model('sys').levelsLag,
  'MediationModel vcov': () => model('med').vcov.type,
  'MediationBootstrapSpec reps': () => model('med').bootstrap.reps,
  'MediationBootstrapSpec seed': () => model('med').bootstrap.seed,
  'MediationBootstrapSpec level': () => model('med').bootstrap.level,
  'RankSizeModel threshold': () => model('rs').threshold,
  'RankSizeModel intercept': () => model('rs').intercept,
  'GlmModel vcov': () => model('pois').vcov.type,
  'GlmModel singletons': () => model('pois').singletons ?? 'drop', // as OlsModel singletons
  'TobitModel vcov': () => model('tob').vcov.type,
  'ThresholdModel vcov': () => model('thr').vcov.type,
  'ThresholdSpec thresholds': () => model('thr').thresholds,
  'ThresholdSpec trim': () => model('thr').trim,
  'ThresholdSpec reps': () => model('thr').reps,
  'ThresholdSpec seed': () => model('thr').seed,
  'DescribeModel test': () => model('desc').test,
  'DescribeModel quantile_type': () => model('desc').quantileType,
  'CorrelationModel method': () => model('corr').method,
  'CorrelationModel missing': () => model('corr').missing,
  'EventStudyFigure reference': () => figure('es').reference,
  'EventStudyFigure level': () => figure('es').level,
  'EventStudyFigure width': () => figure('es').width,
  'EventStudyFigure height': () => figure('es').height,
  'SpecCurveFigure level': () => figure('sc').level,
  'SpecCurveFigure width': () => figure('sc').width,
  'SpecCurveFigure height': () => figure('sc').height,
  'SpecCurveNull reps': () => figure('sc').inference!['reps'],
  'SpecCurveNull seed': () => figure('sc').inference!['seed'],
  'CoefPlotFigure level': () => figure('cp').level,
  'CoefPlotFigure width': () => figure('cp').width,
};
const TRANSFORM_VARIABLES: Record<string, [string, string]> = {
  PimTransform: ['K', 'pim'],
  DeflateTransform: ['r', 'deflate'],
  ConvertTransform: ['f', 'convert'],
  GapTransform: ['g', 'gap'],
  SbmTransform: ['e', 'sbm'],
  RankSizeTransform: ['q', 'ranksize'],
};

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
  'EventStudyFigure pdf_font',
  'SpecCurveFigure pdf_font',
  'CoefPlotFigure pdf_font',
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

/** The normalized value of a documented key, or `absent` when no check covers it. */
function normalizedValue(key: string): { value: unknown } | 'absent' {
  if (Object.hasOwn(NORMALIZED, key)) return { value: NORMALIZED[key]!() };
  const m = /^(\w+Transform) (\w+)\.(\w+)$/.exec(key);
  const v = m ? TRANSFORM_VARIABLES[m[1]!] : undefined;
  if (m && v && m[2] === v[1]) return { value: options(v[0], v[1])[m[3]!] };
  return 'absent';
}

describe('defaults', () => {
  const docs = documented();

  it('finds the documented defaults', () => {
    expect(docs.size).toBeGreaterThan(50);
  });

  it.each([...docs.keys()].filter((k) => !PROSE.has(k)))(
    '%s: the normalizer applies what the reference says',
    (key) => {
      const got = normalizedValue(key);
      expect(got, `no check of the documented default of ${key}`).not.toBe('absent');
      expect((got as { value: unknown }).value).toEqual(documentedValue(docs.get(key)!));
    },
  );

  it('every check is of a documented default, and every prose default is still in the reference', () => {
    for (const key of Object.keys(NORMALIZED)) expect(docs.has(key), key).toBe(true);
    for (const [def, [, kind]] of Object.entries(TRANSFORM_VARIABLES))
      expect(
        [...docs.keys()].some((k) => k.startsWith(`${def} ${kind}.`)),
        def,
      ).toBe(true);
    for (const key of PROSE) expect(docs.has(key), key).toBe(true);
  });

  it("a coefficient plot's terms: its table's keep, else left to the results (every slope); what was written kept apart", () => {
    expect(figure('cp').terms).toBeUndefined();
    const withKeep = normalized(MINIMAL.replace('ID: { columns: [ols] }', 'ID: { columns: [ols], keep: [x] }'));
    const cp = withKeep.figures!.find((f) => f.id === 'cp')!;
    expect((cp.spec as { terms?: string[] }).terms).toEqual(['x']);
    expect(cp.written).toEqual({ kind: 'coefplot', table: 'ID' });
    const own = normalized(
      MINIMAL.replace('ID: { columns: [ols] }', 'ID: { columns: [ols], keep: [x] }').replace(
        'cp: { kind: coefplot, table: ID }',
        'cp: { kind: coefplot, table: ID, terms: [y] }',
      ),
    );
    expect((own.figures!.find((f) => f.id === 'cp')!.spec as { terms?: string[] }).terms).toEqual(['y']);
    // the other defaults of a figure, filled; an inference block with its own
    expect(plan.figures!.find((f) => f.id === 'sc')!.written).toEqual({
      kind: 'spec_curve',
      models: ['ols'],
      term: 'x',
      inference: {},
    });
  });

  it('a transform default is filled in the plan, and what was written is kept apart', () => {
    const k = plan.variables.find((v) => v.name === 'K')!;
    expect(k.written).toEqual({ pim: { investment: 'inv', depreciation: 0.1 } });
    expect(Object.keys(options('K', 'pim'))).toEqual(expect.arrayContaining(['index_type', 'growth_years']));
  });
});
