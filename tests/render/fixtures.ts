/**
 * Fixed inputs of the render tests: results shaped like the paper's tables (numbers copied from the paper's layout
 * or made up; the renderer does not compute them, it only prints them) and the table plans that show them.
 */
import type { TablePlan } from '../../engine/normalize/plan.js';
import { normalizedTableSpec } from '../../engine/normalize/table-defaults.js';
import type { CoefficientResult, MediationDetail, ModelResult, RankSizeCell } from '../../engine/results/types.js';
import type { TableColumn, TableSpec } from '../../engine/spec/types.js';

export function coef(estimate: number, se: number | null, p: number | null): CoefficientResult {
  return { estimate, se, t: se === null ? null : estimate / se, p };
}

function ols(
  coefficients: Record<string, CoefficientResult>,
  nobs: number,
  r2_adj: number,
  fixedEffects: string[] = ['city', 'year'],
): ModelResult {
  return {
    estimator: 'ols',
    nobs,
    coefficients,
    stats: { r2: r2_adj + 0.02, r2_adj, r2_within: r2_adj - 0.1, clusters: Math.round(nobs / 10) },
    fixedEffects,
    vcov: 'cluster(city)',
    notes: [],
  };
}

function gmm(
  coefficients: Record<string, CoefficientResult>,
  sargan_p: number,
  ar2_p: number,
  detail?: unknown,
): ModelResult {
  return {
    ...(detail === undefined ? {} : { detail }),
    estimator: 'sysgmm',
    nobs: 1175,
    coefficients,
    stats: { sargan: 40.2, sargan_df: 37, sargan_p, ar1: -3.1, ar1_p: 0.002, ar2: 0.33, ar2_p, instruments: 45 },
    fixedEffects: [],
    vcov: 'windmeijer',
    notes: [],
  };
}

/** Table 1 style: two-way FE OLS with clustered SEs. */
export const regressionResults: Record<string, ModelResult> = {
  fe_all: ols(
    {
      lndiv: coef(0.119, 0.067, 0.0795),
      lnfdi: coef(0.375, 0.038, 1e-12),
      lngov: coef(0.243, 0.018, 1e-15),
      lninv: coef(0.12, 0.011, 1e-14),
      lnedu: coef(0.164, 0.118, 0.167),
    },
    1560,
    0.39,
  ),
  fe_central: ols(
    {
      lndiv: coef(0.194, 0.09, 0.032),
      lnfdi: coef(0.149, 0.01, 1e-9),
      lngov: coef(0.301, 0.052, 1e-8),
      lninv: coef(0.172, 0.03, 1e-7),
      lnedu: coef(0.152, 0.058, 0.009),
    },
    210,
    0.38,
  ),
  fe_noncentral: ols(
    {
      lndiv: coef(0.102, 0.013, 1e-10),
      lnfdi: coef(0.205, 0.8, 0.798),
      lngov: coef(0.246, 0.028, 1e-12),
      lninv: coef(0.214, 0.028, 1e-11),
      lnedu: coef(0.045, 0.107, 0.674),
    },
    1350,
    0.3,
  ),
  fe_gap: ols(
    {
      lndiv: coef(-0.303, 0.144, 0.036),
      lnfdi: coef(-0.277, 0.079, 0.0005),
      lngov: coef(0.101, 0.025, 0.0001),
      lninv: coef(-0.014, 0.029, 0.63),
      lnedu: coef(0.216, 0.117, 0.066),
      // A coefficient that rounds to zero must not print as -0.000.
      lnpop: coef(-0.0002, 0.0011, 0.86),
    },
    1350,
    0.16,
  ),
};

/** Table 2 style: two-step system GMM with Sargan and AR(2). */
export const gmmResults: Record<string, ModelResult> = {
  gmm_region: gmm(
    {
      'lag(lnhgdp,1)': coef(0.235, 0.008, 1e-20),
      lndiv: coef(0.158, 0.041, 0.0001),
      region: coef(-0.127, 0.019, 1e-10),
      lnfdi: coef(0.177, 0.018, 1e-12),
      '(Intercept)': coef(2.989, 0.178, 1e-30),
    },
    0.299,
    0.74,
  ),
  gmm_core: gmm(
    {
      'lag(lnhgdp,1)': coef(0.167, 0.015, 1e-20),
      lndiv: coef(0.161, 0.006, 1e-20),
      core: coef(0.085, 0.014, 1e-8),
      lnfdi: coef(-0.077, 0.044, 0.08),
    },
    0.289,
    0.724,
    // As the GMM estimator reports it: the constant beside the time dummies in the detail, not among the terms.
    { timeEffects: { '(Intercept)': coef(3.095, 0.188, 1e-30), '2010': coef(0.01, 0.02, 0.6) } },
  ),
};

function step(coefficients: Record<string, CoefficientResult>, nobs: number, r2_adj: number): ModelResult {
  return {
    estimator: 'ols',
    nobs,
    coefficients,
    stats: { r2_adj },
    fixedEffects: ['city', 'year'],
    vcov: 'cluster(city)',
    notes: [],
  };
}

const total = step(
  { trans: coef(0.186, 0.083, 0.025), lnfdi: coef(0.1, 0.02, 0.001), lngov: coef(0.2, 0.03, 0.001) },
  1350,
  0.21,
);
const mediatorStep = step(
  { trans: coef(0.379, 0.16, 0.018), lnfdi: coef(0.05, 0.02, 0.012), lngov: coef(0.1, 0.03, 0.001) },
  1350,
  0.12,
);
const outcome = step(
  {
    trans: coef(0.104, 0.042, 0.013),
    lndiv: coef(0.218, 0.022, 1e-20),
    lnfdi: coef(0.09, 0.02, 0.001),
    lngov: coef(0.18, 0.03, 0.001),
  },
  1350,
  0.25,
);

export const mediationDetail: MediationDetail = {
  steps: { total, mediator: mediatorStep, outcome },
  a: 0.379,
  b: 0.218,
  c: 0.186,
  cPrime: 0.104,
  indirect: 0.379 * 0.218,
  share: (0.379 * 0.218) / 0.186,
  sobel: { se: 0.036, z: 2.295, p: 0.0217 },
  aroian: { se: 0.037, z: 2.25, p: 0.0245 },
  goodman: { se: 0.035, z: 2.34, p: 0.019 },
  bootstrap: { reps: 500, seed: 1, level: 0.95, percentile: [0.012, 0.161], biasCorrected: [0.015, 0.17] },
  verdict: 'partial',
};

export const mediationResults: Record<string, ModelResult> = {
  med: {
    estimator: 'mediation',
    nobs: 1350,
    coefficients: {},
    stats: {},
    fixedEffects: ['city', 'year'],
    vcov: 'cluster(city)',
    notes: [],
    detail: mediationDetail,
  },
};

function cell(group: string, period: number, q: number | null, centres: number | null, reason?: string): RankSizeCell {
  const structure = q === null ? null : q > 0.5 ? 'mono' : 'poly';
  return {
    group,
    period,
    q,
    C: q === null ? null : 6.1,
    r2: 0.9,
    n: 8,
    centres: q === null ? null : centres,
    structure,
    ...(reason ? { reason } : {}),
  };
}

export const rankSizeResults: Record<string, ModelResult> = {
  rs: {
    estimator: 'ranksize',
    nobs: 150,
    coefficients: {},
    stats: {},
    fixedEffects: [],
    vcov: 'iid',
    notes: [],
    detail: {
      cells: [
        ...[2008, 2013, 2017].map((y, i) => cell('jjj', y, [0.2312, 0.2149, 0.2401][i]!, 3)),
        ...[2008, 2013, 2017].map((y, i) => cell('hc', y, [0.33, 0.36, 0.355][i]!, 2)),
        ...[2008, 2013, 2017].map((y, i) => cell('gz', y, [1.25, 1.27, 1.4149][i]!, 1)),
        ...[2008, 2013, 2017].map((y, i) => cell('csj', y, [0.97, 0.98, 0.9651][i]!, 1)),
        ...[2008, 2013].map((y, i) => cell('cy', y, [0.7, 0.72][i]!, 1)),
        cell('cy', 2017, null, null, 'fewer than 3 cities'),
        ...[2008, 2010, 2013, 2017].map((y, i) => cell('cjzy', y, [0.15, 0.14, 0.12, 0.1][i]!, 4)),
      ],
    },
  },
};

export function plan(
  id: string,
  spec: TableSpec,
  layout: TablePlan['layout'] = 'regression',
  baseDir = '/nonexistent',
): TablePlan {
  const columns = (spec.columns ?? []) as (string | TableColumn)[];
  const models = columns.map((c) => (typeof c === 'string' ? c : c.model));
  const { extends: _e, add_columns: _a, drop_columns: _d, ...resolved } = { ...spec, columns };
  return {
    id,
    spec: normalizedTableSpec(id, resolved),
    resolved,
    models,
    layout,
    baseDir,
    source: { file: `${id}.yaml`, path: `tables.${id}`, line: 1, col: 1 },
  };
}

export const table1Spec: TableSpec = {
  title: { zh: '产业分工对城市高质量发展的影响', en: 'Division of labour and high-quality urban development' },
  columns: [
    { model: 'fe_all', label: { zh: '城市群', en: 'All' } },
    { model: 'fe_central', label: { zh: '中心城市', en: 'Central' } },
    { model: 'fe_noncentral', label: { zh: '非中心城市', en: 'Non-central' } },
    { model: 'fe_gap', label: { zh: '增速差距', en: 'Gap' } },
  ],
  labels: { lndiv: 'div', lnfdi: 'fdi', lngov: 'gov', lninv: 'inv', lnedu: 'edu', lnpop: 'pop' },
  fixed_effects: { city: { zh: '地区固定效应', en: 'City FE' }, year: { zh: '时间固定效应', en: 'Year FE' } },
  stats: ['nobs', 'r2_adj'],
  notes: { zh: '括号内为聚类稳健标准误。', en: 'Cluster-robust standard errors in parentheses.' },
};

export const table2Spec: TableSpec = {
  title: { zh: '非中心城市高质量增长的异质性检验', en: 'Heterogeneity among non-central cities' },
  columns: [
    { model: 'gmm_region', label: { zh: '区域异质性', en: 'Region' } },
    { model: 'gmm_core', label: { zh: '结构异质性', en: 'Structure' } },
  ],
  keep: ['region', 'core', 'lag(lnhgdp, 1)', 'lndiv', 'lnfdi', '(Intercept)'],
  labels: { 'lag(lnhgdp, 1)': 'hgdp_{t-1}', lndiv: 'div', lnfdi: 'fdi', '(Intercept)': 'cons' },
  stats: ['nobs', 'sargan_p', 'ar2_p', 'instruments'],
};

/** Table 4 style: central + four non-central columns mixing OLS and GMM, long enough to continue (续表). */
export const table4Spec: TableSpec = {
  title: { zh: '稳健性检验', en: 'Robustness' },
  columns: [
    { model: 'fe_central', label: '' },
    { model: 'fe_noncentral', label: { zh: '整体特征', en: 'Overall' } },
    { model: 'fe_gap', label: { zh: '增速差距', en: 'Gap' } },
    { model: 'gmm_region', label: { zh: '区域异质性', en: 'Region' } },
    { model: 'gmm_core', label: { zh: '结构异质性', en: 'Structure' } },
  ],
  groups: [
    { label: { zh: '中心城市', en: 'Central' }, span: 1 },
    { label: { zh: '非中心城市', en: 'Non-central' }, span: 4 },
  ],
  labels: {
    lndiv: 'div',
    lnfdi: 'fdi',
    lngov: 'gov',
    lninv: 'inv',
    lnedu: 'edu',
    'lag(lnhgdp,1)': 'hgdp_{t-1}',
    '(Intercept)': 'cons',
  },
  drop: ['lnpop'],
  fixed_effects: { city: { zh: '地区固定效应', en: 'City FE' }, year: { zh: '时间固定效应', en: 'Year FE' } },
  stats: ['nobs', 'r2_adj', 'sargan_p', 'ar2_p'],
  notes: [
    {
      zh: '括号内为稳健标准误，*、**和***分别代表10%、5%和1%的显著性水平',
      en: 'Robust standard errors in parentheses; *, ** and *** denote significance at 10%, 5% and 1%',
    },
  ],
  longtable: true,
};

export const table5Spec: TableSpec = {
  title: { zh: '产业分工的中介效应检验', en: 'Mediation through the division of labour' },
  columns: ['med'],
  layout: 'mediation',
  labels: { trans: 'trans', lndiv: 'div', _controls: { zh: 'control', en: 'Controls' } },
  fixed_effects: { city: { zh: '地区固定效应', en: 'City FE' }, year: { zh: '时间固定效应', en: 'Year FE' } },
  stats: ['nobs', 'r2_adj'],
};

export const table3Spec: TableSpec = {
  title: { zh: '城市群单中心性－多中心性计算', en: 'Mono- and polycentricity of the agglomerations' },
  columns: ['rs'],
  layout: 'grid',
  periods: [2008, 2013, 2017],
  keep: ['jjj', 'hc', 'gz', 'csj', 'cy', 'cjzy'],
  groups: [
    { label: { zh: '北方', en: 'North' }, span: 3 },
    { label: { zh: '南方', en: 'South' }, span: 3 },
  ],
  labels: {
    _group: { zh: '城市群', en: 'Agglomeration' },
    _structure: { zh: '城市群结构', en: 'Structure' },
    jjj: { zh: '京津冀城市群', en: 'Beijing-Tianjin-Hebei' },
    hc: { zh: '哈长城市群', en: 'Harbin-Changchun' },
    gz: { zh: '关中平原城市群', en: 'Guanzhong Plain' },
    csj: { zh: '长三角城市群', en: 'Yangtze River Delta' },
    cy: { zh: '成渝城市群', en: 'Chengdu-Chongqing' },
    cjzy: { zh: '长江中游城市群', en: 'Middle Yangtze' },
  },
};

export const provenance = ['specrun 0.1.0', 'spec sha256:0123abcd', 'data sha256:4567ef01 (builtin:city-panel)'];
export const dataNotes = [
  { zh: '数据为合成数据（builtin:city-panel）。', en: 'Data are synthetic (builtin:city-panel).' },
];
