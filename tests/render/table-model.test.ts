import { describe, expect, test } from 'vitest';
import { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { buildTableModel, type TableModel } from '../../engine/render/table-model.js';
import type { MediationDetail, ModelResult } from '../../engine/results/types.js';
import type { TableSpec } from '../../engine/spec/types.js';
import * as f from './fixtures.js';

const results = new Map<string, ModelResult>(
  Object.entries({ ...f.regressionResults, ...f.gmmResults, ...f.mediationResults, ...f.rankSizeResults }),
);

function build(spec: TableSpec, lang = 'zh', layout: 'regression' | 'mediation' | 'grid' = 'regression'): TableModel {
  return buildTableModel(f.plan('t', spec, layout), results, { lang });
}

/** The texts of a body row (label first), with stars appended. */
function row(model: TableModel, key: string): string[] {
  const r = model.body.find((b) => b.key === key);
  if (!r) throw new Error(`no row ${key} in ${model.body.map((b) => b.key).join(', ')}`);
  return r.cells.map((c) => c.text + c.stars);
}

function keys(model: TableModel): string[] {
  return model.body.map((b) => b.key);
}

describe('regression layout', () => {
  test('rows: coefficients with the SE under each, FE rows, statistics after a rule', () => {
    const m = build(f.table1Spec);
    expect(keys(m)).toEqual([
      'coef:lndiv',
      'under:lndiv',
      'coef:lnfdi',
      'under:lnfdi',
      'coef:lngov',
      'under:lngov',
      'coef:lninv',
      'under:lninv',
      'coef:lnedu',
      'under:lnedu',
      'coef:lnpop',
      'under:lnpop',
      'fe:city',
      'fe:year',
      'stat:nobs',
      'stat:r2_adj',
    ]);
    expect(row(m, 'coef:lndiv')).toEqual(['div', '0.119*', '0.194**', '0.102***', '-0.303**']);
    expect(row(m, 'under:lndiv')).toEqual(['', '(0.067)', '(0.090)', '(0.013)', '(0.144)']);
    expect(row(m, 'coef:lnpop')).toEqual(['pop', '', '', '', '0.000']);
    expect(row(m, 'stat:nobs')).toEqual(['观测值', '1560', '210', '1350', '1350']);
    expect(row(m, 'stat:r2_adj')).toEqual(['adj-R²', '0.390', '0.380', '0.300', '0.160']);
    expect(m.body.filter((b) => b.ruleBefore).map((b) => b.key)).toEqual(['stat:nobs']);
    // The column labels, then the column numbers under them.
    expect(m.header).toHaveLength(2);
    expect(m.header[0]!.cells.map((c) => c.text)).toEqual(['解释变量', '城市群', '中心城市', '非中心城市', '增速差距']);
    expect(m.header[1]!.cells.map((c) => c.text)).toEqual(['', '(1)', '(2)', '(3)', '(4)']);
    expect(build({ ...f.table1Spec, numbers: false }).header).toHaveLength(1);
    expect(m.align).toBe('lcccc');
    expect(m.label).toBe('tab:t');
    expect(m.longtable).toBe(false);
  });

  test('YES only where the column absorbs the fixed effect', () => {
    const m = build(f.table4Spec);
    expect(row(m, 'fe:city')).toEqual(['地区固定效应', 'YES', 'YES', 'YES', '', '']);
    expect(row(m, 'stat:sargan_p')).toEqual(['Sargan-p', '', '', '', '0.299', '0.289']);
    expect(row(m, 'stat:r2_adj')).toEqual(['adj-R²', '0.380', '0.300', '0.160', '', '']);
    // drop removes lnpop; the constant comes after the FE rows.
    expect(keys(m)).not.toContain('coef:lnpop');
    expect(keys(m).indexOf('constant:(Intercept)')).toBeGreaterThan(keys(m).indexOf('fe:year'));
    expect(m.longtable).toBe(true);
    expect(m.continued).toBe('续表');
    expect(build(f.table4Spec, 'en').continued).toBe('(continued)');
  });

  test('group headers span columns and are underlined by \\cmidrule ranges', () => {
    const m = build(f.table4Spec);
    expect(m.header).toHaveLength(3);
    const groups = m.header[0]!;
    expect(groups.cells.map((c) => [c.text, c.span])).toEqual([
      ['', 1],
      ['中心城市', 1],
      ['非中心城市', 4],
    ]);
    expect(groups.rules).toEqual([
      { from: 2, to: 2 },
      { from: 3, to: 6 },
    ]);
    // Spans beyond the columns are cut; uncovered columns get blank cells.
    const short = build({ ...f.table1Spec, groups: [{ label: 'A', span: 2 }] });
    expect(short.header[0]!.cells.map((c) => [c.text, c.span])).toEqual([
      ['', 1],
      ['A', 2],
      ['', 1],
      ['', 1],
    ]);
    const long = build({
      ...f.table1Spec,
      groups: [
        { label: 'A', span: 3 },
        { label: 'B', span: 5 },
      ],
    });
    expect(long.header[0]!.cells.map((c) => [c.text, c.span])).toEqual([
      ['', 1],
      ['A', 3],
      ['B', 1],
    ]);
    expect(long.header[0]!.rules).toEqual([
      { from: 2, to: 4 },
      { from: 5, to: 5 },
    ]);
  });

  test('keep orders terms (spaces in lag names ignored) and decides the constant', () => {
    const m = build(f.table2Spec);
    expect(keys(m).filter((k) => k.startsWith('coef:') || k.startsWith('constant:'))).toEqual([
      'coef:region',
      'coef:core',
      'coef:lag(lnhgdp,1)',
      'coef:lndiv',
      'coef:lnfdi',
      'constant:(Intercept)',
    ]);
    expect(row(m, 'coef:lag(lnhgdp,1)')[0]).toBe('hgdp_{t-1}');
    expect(row(m, 'constant:(Intercept)')).toEqual(['cons', '2.989***', '3.095***']);
    const noConst = build({ ...f.table2Spec, keep: ['lndiv'] });
    expect(keys(noConst)).toEqual([
      'coef:lndiv',
      'under:lndiv',
      'stat:nobs',
      'stat:sargan_p',
      'stat:ar2_p',
      'stat:instruments',
    ]);
    const dropped = build({ columns: ['gmm_region'], drop: ['(Intercept)', 'lag(lnhgdp, 1)'] });
    expect(keys(dropped)).not.toContain('constant:(Intercept)');
    expect(keys(dropped)).not.toContain('coef:lag(lnhgdp,1)');
  });

  test('defaults: column labels, constant label by language, FE rows and statistics from the results', () => {
    const zh = build({ columns: ['gmm_region', 'fe_all'] });
    expect(zh.header[0]!.cells.map((c) => c.text)).toEqual(['解释变量', '(1)', '(2)']);
    expect(row(zh, 'constant:(Intercept)')).toEqual(['常数项', '2.989***', '']);
    expect(row(zh, 'fe:city')).toEqual(['city固定效应', '', 'YES']);
    expect(row(build({ columns: ['fe_all'], labels: { city: '城市' } }), 'fe:city')).toEqual(['城市固定效应', 'YES']);
    expect(keys(zh).filter((k) => k.startsWith('stat:'))).toEqual([
      'stat:nobs',
      'stat:r2_adj',
      'stat:sargan_p',
      'stat:ar2_p',
    ]);
    expect(row(zh, 'stat:ar2_p')).toEqual(['AR(2)', '0.740', '']);
    const en = build({ columns: ['gmm_region', 'fe_all'] }, 'en');
    expect(row(en, 'constant:(Intercept)')[0]).toBe('Constant');
    expect(row(en, 'fe:year')[0]).toBe('year fixed effects');
    expect(row(en, 'stat:nobs')[0]).toBe('Observations');
    expect(en.header[0]!.cells[0]!.text).toBe('Variable');
    expect(en.title).toBe('t');
    // Integer statistics print without decimals.
    expect(row(build({ ...f.table2Spec }), 'stat:instruments')).toEqual(['工具变量个数', '45', '45']);
  });

  test('t statistics or nothing under the coefficients', () => {
    const t = build({ ...f.table1Spec, under: 't' });
    expect(row(t, 'under:lndiv')[1]).toBe(`(${(0.119 / 0.067).toFixed(3)})`);
    expect(t.notes.at(-1)).not.toContain('标准误');
    const none = build({ ...f.table1Spec, under: 'none' });
    expect(keys(none).some((k) => k.startsWith('under:'))).toBe(false);
  });

  test('digits and star levels are configurable', () => {
    const m = build({ ...f.table1Spec, digits: 2, stars: [0.05, 0.01, 0.001] });
    expect(row(m, 'coef:lndiv')).toEqual(['div', '0.12', '0.19*', '0.10***', '-0.30*']);
    expect(row(m, 'under:lngov')[1]).toBe('(0.02)');
    expect(row(m, 'stat:r2_adj')[1]).toBe('0.39');
    const zh = build({ columns: ['fe_all'], stars: [0.05, 0.01, 0.001] });
    expect(zh.notes.at(-1)).toBe('括号内为标准误；*、**、*** 分别表示在 5%、1%、0.1% 的水平上显著。');
    const en = build({ columns: ['fe_all'], stars: [0.05, 0.01, 0.001] }, 'en');
    expect(en.notes.at(-1)).toBe('Standard errors in parentheses. * p < 0.05, ** p < 0.01, *** p < 0.001.');
  });

  test('missing numbers are blank, not NaN', () => {
    const broken: ModelResult = {
      ...f.regressionResults.fe_all!,
      coefficients: {
        x: { estimate: NaN, se: null, t: null, p: null },
        z: { estimate: 0.5, se: null, t: null, p: null },
      },
      stats: { r2_adj: null },
    };
    const m = buildTableModel(
      f.plan('t', { columns: ['b'], stats: ['nobs', 'r2_adj', 'ar2_p'] }),
      { b: broken },
      { lang: 'zh' },
    );
    expect(row(m, 'coef:x')).toEqual(['x', '']);
    expect(row(m, 'under:x')).toEqual(['', '']);
    expect(row(m, 'coef:z')).toEqual(['z', '0.500']);
    expect(row(m, 'under:z')).toEqual(['', '']);
    expect(row(m, 'stat:r2_adj')).toEqual(['adj-R²', '']);
    expect(row(m, 'stat:ar2_p')).toEqual(['AR(2)', '']);
    // No stars anywhere: no stars note.
    expect(m.notes).toEqual([]);
  });

  test('notes: the spec, then data notes, then a stars line unless a note explains the stars', () => {
    const m = buildTableModel(f.plan('t', f.table1Spec), results, { lang: 'en', dataNotes: f.dataNotes });
    expect(m.notes).toEqual([
      'Cluster-robust standard errors in parentheses.',
      'Data are synthetic (builtin:city-panel).',
      '* p < 0.1, ** p < 0.05, *** p < 0.01.',
    ]);
    expect(m.notesTitle).toBe('Note: ');
    const own = buildTableModel(f.plan('t', f.table4Spec), results, { lang: 'zh', dataNotes: f.dataNotes });
    expect(own.notes).toEqual([
      '括号内为稳健标准误，*、**和***分别代表10%、5%和1%的显著性水平',
      '数据为合成数据（builtin:city-panel）。',
    ]);
  });

  test('errors: a model without results, a layout that does not fit the model', () => {
    const unknown = (): TableModel => build({ columns: ['nope'] });
    expect(unknown).toThrow(SpecrunError);
    expect(() => unknown()).toThrow(expect.objectContaining({ code: 'UNKNOWN_MODEL' }));
    expect(() => build({ columns: ['fe_all'] }, 'zh', 'mediation')).toThrow(
      expect.objectContaining({ code: 'TABLE_LAYOUT_MISMATCH' }),
    );
    expect(() => build({ columns: ['med'] }, 'zh', 'grid')).toThrow(
      expect.objectContaining({ code: 'TABLE_LAYOUT_MISMATCH' }),
    );
  });

  test('a plain object or a Map of results give the same model', () => {
    const fromRecord = buildTableModel(f.plan('t', f.table1Spec), f.regressionResults, { lang: 'zh' });
    expect(fromRecord).toEqual(build(f.table1Spec));
  });
});

describe('mediation layout', () => {
  test('one column per step; treatment, mediator, a controls row, statistics, then ab, share, Sobel, CI, verdict', () => {
    const m = build(f.table5Spec, 'zh', 'mediation');
    expect(m.header[0]!.cells.map((c) => c.text)).toEqual(['变量', '总体效应检验', '中介因子检验', '中介效应检验']);
    expect(keys(m)).toEqual([
      'coef:trans',
      'under:trans',
      'coef:lndiv',
      'under:lndiv',
      'controls',
      'fe:city',
      'fe:year',
      'stat:nobs',
      'stat:r2_adj',
      'indirect',
      'share',
      'sobel',
      'bootstrap',
      'verdict',
    ]);
    expect(row(m, 'coef:trans')).toEqual(['trans', '0.186**', '0.379**', '0.104**']);
    expect(row(m, 'coef:lndiv')).toEqual(['div', '', '', '0.218***']);
    expect(row(m, 'controls')).toEqual(['control', 'YES', 'YES', 'YES']);
    // ab, its Sobel test and its interval span the columns of a and b, (2)–(3); the share ab/c all three.
    expect(row(m, 'indirect')).toEqual(['中介效应 ab', '', '0.083**']);
    expect(m.body.find((b) => b.key === 'indirect')!.cells[2]!.span).toBe(2);
    expect(row(m, 'share')).toEqual(['中介效应占比 ab/c', '44.42%']);
    expect(row(m, 'sobel')).toEqual(['Sobel 检验 z', '', '2.295 (p = 0.022)']);
    expect(row(m, 'bootstrap')).toEqual(['偏差校正 Bootstrap 置信区间 (95%)', '', '[0.015, 0.170]']);
    expect(row(m, 'verdict')).toEqual(['检验结论', '部分中介效应']);
    const wide = m.body.find((b) => b.key === 'share')!;
    expect(wide.cells[1]!.span).toBe(3);
    expect(wide.ruleBefore).toBe(false);
    expect(m.body.find((b) => b.key === 'indirect')!.ruleBefore).toBe(true);
  });

  test('controls shown when kept; verdicts in both languages; suppression reports |ab/c′|', () => {
    const kept = build({ ...f.table5Spec, keep: ['lngov'] }, 'zh', 'mediation');
    expect(keys(kept).slice(0, 7)).toEqual([
      'coef:trans',
      'under:trans',
      'coef:lndiv',
      'under:lndiv',
      'coef:lngov',
      'under:lngov',
      'controls',
    ]);
    expect(row(kept, 'coef:lngov')).toEqual(['lngov', '0.200***', '0.100***', '0.180***']);
    const verdicts: [MediationDetail['verdict'], string, string][] = [
      ['full', '完全中介效应', 'full mediation'],
      ['partial', '部分中介效应', 'partial mediation'],
      ['suppression', '遮掩效应', 'suppression'],
      ['none', '中介效应不显著', 'no mediation'],
    ];
    for (const [verdict, zh, en] of verdicts) {
      const detail: MediationDetail = { ...f.mediationDetail, verdict, bootstrap: null, suppressionRatio: 0.5 };
      const res = { med: { ...f.mediationResults.med!, detail } };
      const mz = buildTableModel(f.plan('t', f.table5Spec, 'mediation'), res, { lang: 'zh' });
      const me = buildTableModel(f.plan('t', f.table5Spec, 'mediation'), res, { lang: 'en' });
      expect(row(mz, 'verdict')[1]).toBe(zh);
      expect(row(me, 'verdict')[1]).toBe(en);
      expect(keys(mz)).not.toContain('bootstrap');
      expect(keys(mz).includes('suppression')).toBe(verdict === 'suppression');
      expect(keys(mz).includes('share')).toBe(verdict !== 'suppression');
    }
  });

  test('a tiny Sobel p-value prints as p < 0.001', () => {
    const detail: MediationDetail = { ...f.mediationDetail, sobel: { se: 0.01, z: 8.3, p: 1e-16 } };
    const m = buildTableModel(
      f.plan('t', f.table5Spec, 'mediation'),
      { med: { ...f.mediationResults.med!, detail } },
      { lang: 'en' },
    );
    expect(row(m, 'sobel')).toEqual(['Sobel z', '', '8.300 (p < 0.001)']);
    expect(row(m, 'indirect')[2]).toBe('0.083***');
  });
});

describe('grid layout', () => {
  test('rows are groups with a region column from `groups`; q with 3 digits; structure of the last period', () => {
    const m = build(f.table3Spec, 'zh', 'grid');
    expect(m.stubColumns).toBe(2);
    expect(m.align).toBe('llcccc');
    expect(m.header[0]!.cells.map((c) => c.text)).toEqual(['地区', '城市群', '2008', '2013', '2017', '城市群结构']);
    expect(row(m, 'grid:jjj')).toEqual(['北方', '京津冀城市群', '0.231', '0.215', '0.240', '多中心（3）']);
    expect(row(m, 'grid:hc')).toEqual(['', '哈长城市群', '0.330', '0.360', '0.355', '多中心（2）']);
    expect(row(m, 'grid:csj')).toEqual(['南方', '长三角城市群', '0.970', '0.980', '0.965', '单中心']);
    // 2017 is missing for cy: blank q, structure from its latest period.
    expect(row(m, 'grid:cy')).toEqual(['', '成渝城市群', '0.700', '0.720', '', '单中心']);
    expect(m.body.filter((b) => b.ruleBefore).map((b) => b.key)).toEqual(['grid:csj']);
    expect(m.notes).toEqual(['成渝城市群 2017 年 q 缺失：fewer than 3 cities']);
    const en = build(f.table3Spec, 'en', 'grid');
    expect(row(en, 'grid:jjj')).toEqual(['North', 'Beijing-Tianjin-Hebei', '0.231', '0.215', '0.240', 'poly (3)']);
    expect(row(en, 'grid:gz').at(-1)).toBe('mono');
  });

  test('without groups or periods: one stub column, every period, groups in order of appearance', () => {
    const m = build({ columns: ['rs'], drop: ['cy'] }, 'en', 'grid');
    expect(m.stubColumns).toBe(1);
    expect(m.header[0]!.cells.map((c) => c.text)).toEqual(['Group', '2008', '2010', '2013', '2017', 'Structure']);
    expect(keys(m)).toEqual(['grid:jjj', 'grid:hc', 'grid:gz', 'grid:csj', 'grid:cjzy']);
    expect(row(m, 'grid:jjj')).toEqual(['jjj', '0.231', '', '0.215', '0.240', 'poly (3)']);
    expect(m.notes).toEqual([]);
  });
});

describe('rows a paper asks for (issue 21)', () => {
  test("nobs_level shows the OLS columns' observations beside the GMM levels count, in one row", () => {
    const gmm = f.gmmResults.gmm_region!;
    const results = {
      fe_all: f.regressionResults.fe_all!,
      gmm_region: { ...gmm, stats: { ...gmm.stats, nobs_level: 1175 } },
    };
    const m = buildTableModel(f.plan('t', { columns: ['fe_all', 'gmm_region'], stats: ['nobs_level'] }), results, {
      lang: 'zh',
    });
    const row = m.body.filter((r) => r.kind === 'stat');
    expect(row.map((r) => r.key)).toEqual(['stat:nobs_level']);
    expect(row[0]!.cells.slice(1).map((c) => c.text)).toEqual([String(f.regressionResults.fe_all!.nobs), '1175']);
    // a GMM column that does not report it stays blank (no fallback to its equation count)
    const blank = buildTableModel(f.plan('t', { columns: ['gmm_region'], stats: ['nobs_level'] }), f.gmmResults, {
      lang: 'zh',
    });
    expect(blank.body.find((r) => r.kind === 'stat')!.cells[1]!.text).toBe('');
  });

  test('a mediation table drops the ab, Sobel and bootstrap rows named in `drop`, keeping the share and verdict', () => {
    const spec: TableSpec = { ...f.table5Spec, stats: [], drop: ['_indirect', '_sobel', '_bootstrap'] };
    const m = buildTableModel(f.plan('t', spec, 'mediation'), f.mediationResults, { lang: 'zh' });
    const extra = m.body.filter((r) => r.kind === 'extra');
    expect(extra.map((r) => r.key)).toEqual(['share', 'verdict']);
    expect(extra[0]!.ruleBefore).toBe(true);
    const all = buildTableModel(f.plan('t', f.table5Spec, 'mediation'), f.mediationResults, { lang: 'zh' });
    expect(all.body.filter((r) => r.kind === 'extra').map((r) => r.key)).toEqual(
      expect.arrayContaining(['indirect', 'share', 'sobel', 'verdict']),
    );
  });
});
