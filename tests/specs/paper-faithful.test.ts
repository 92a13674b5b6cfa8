/**
 * The paper's specs, line by line (issue #21): one test per reading the specs take, on the built-in panel. Each
 * pins the paper-faithful behaviour so that a change of reading shows up as a failing test, not a silent change.
 * specs/paper/README.md lists the ambiguous readings and their declared alternatives (specs/paper-alternatives/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Frame, TextColumn } from '../../engine/core/frame.js';
import type { GmmPlan, RankSizePlan } from '../../engine/normalize/plan.js';
import type { MediationDetail, ModelResult, RankSizeDetail } from '../../engine/results/types.js';
import type { SpecRun } from '../../engine/run/pipeline.js';
import { builtData, runFiles } from '../helpers/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const spec = (name: string) => join(root, 'specs', 'paper', `${name}.yaml`);
const truth = JSON.parse(readFileSync(join(root, 'data', 'city-panel.truth.json'), 'utf8')) as {
  rank_size: { paper_q: Record<string, Record<string, number>>; central_cities: Record<string, string[]> };
};

let runs: Map<string, SpecRun>;
let files: Map<string, string>;
let warnings: Awaited<ReturnType<typeof runFiles>>['warnings'];

beforeAll(async () => {
  const r = await runFiles(['table1', 'table2', 'table3', 'table4', 'table5'].map(spec), root, { lang: 'zh' });
  expect(r.errors).toEqual([]);
  runs = new Map(r.runs.map((run) => [run.checked.plan.file.replace(/^.*\//, '').replace(/\.yaml$/, ''), run]));
  files = new Map(r.files.map((f) => [f.path.replace(/^.*\//, ''), f.data as string]));
  warnings = r.warnings;
}, 120_000);

const run = (t: string): SpecRun => runs.get(t)!;
const result = (t: string, id: string): ModelResult => run(t).models.find((m) => m.key === id)!.result;
const text = (f: Frame, name: string, i: number): string => {
  const c = f.get(name) as TextColumn;
  return c.levels[c.codes[i]!]!;
};
/** The cells of a Markdown table row whose label is `label`. */
function mdRow(file: string, label: string): string[] {
  const rows = files
    .get(file)!
    .split('\n')
    .filter((l) => l.startsWith(`| ${label} |`));
  expect(rows, `${file}: one row ${label}`).toHaveLength(1);
  return rows[0]!
    .split('|')
    .slice(2, -1)
    .map((c) => c.trim());
}

describe('1. Table 4 re-groups by the mono index with C fixed at the largest city', () => {
  it("Table 3 fixes the intercept and gives the paper's structure column, every agglomeration", () => {
    const mono = run('table3').models.find((m) => m.key === 'mono')!;
    expect((mono.plan as RankSizePlan).intercept).toBe('largest');
    const cells = (mono.result.detail as RankSizeDetail).cells;
    for (const [agg, byYear] of Object.entries(truth.rank_size.paper_q)) {
      for (const year of ['2008', '2013', '2017']) {
        const cell = cells.find((c) => c.group === agg && c.period === Number(year))!;
        expect(cell.structure, `${agg} ${year}`).toBe(byYear[year]! > 0.5 ? 'mono' : 'poly');
      }
    }
  });

  it("17 centres: 170 central and 1,390 non-central city-years, the rank-size rule's cities, no fallback", () => {
    const f = builtData(run('table4')).frame;
    const centre = f.numeric('centre');
    const year = f.numeric('year');
    expect(Array.from(centre).filter((v) => v === 1)).toHaveLength(170);
    expect(Array.from(centre).filter((v) => v === 0)).toHaveLength(1390);
    const centres = new Set<string>();
    for (let i = 0; i < f.nrows; i++) if (centre[i] === 1 && year[i] === 2017) centres.add(text(f, 'city', i));
    expect([...centres].sort()).toEqual(Object.values(truth.rank_size.central_cities).flat().sort());
    // the spec's centre is the rank-size flag itself (no administrative fallback)
    expect(run('table4').checked.plan.variables.find((v) => v.name === 'centre')!.spec).toHaveProperty('ranksize');
  });
});

describe('2. the adj-R² row is the adjusted within R² (fixest war2)', () => {
  it.each([
    ['table1.md', 'table1', ['fe_all', 'fe_central', 'fe_noncentral', 'fe_gap']],
    ['table4.md', 'table4', ['fe_central', 'fe_noncentral', 'fe_gap']],
  ] as const)('%s', (file, t, ids) => {
    const cells = mdRow(file, 'adj-R²');
    ids.forEach((id, j) => {
      const r = result(t, id);
      expect(cells[j]).toBe(r.stats.r2_within_adj!.toFixed(3));
      // the overall one, with the fixed effects counted (0.88 for Table 4's disparity column, the noisiest; ≥ 0.94 elsewhere)
      expect(r.stats.r2_adj!).toBeGreaterThan(0.85);
      expect(r.stats.r2_within_adj!).toBeLessThan(0.5);
    });
  });
});

describe("3. Table 2's core counts administrative centres; Table 4's comes from the mono index", () => {
  it('core = 1 exactly where the agglomeration has more than one administrative centre', () => {
    const f = builtData(run('table2')).frame;
    const admin = new Map<string, Set<string>>();
    for (let i = 0; i < f.nrows; i++) {
      if (f.numeric('central')[i] === 1) {
        const a = text(f, 'agglomeration', i);
        admin.set(a, (admin.get(a) ?? new Set()).add(text(f, 'city', i)));
      }
    }
    const core = f.numeric('core');
    for (let i = 0; i < f.nrows; i++)
      expect(core[i]).toBe((admin.get(text(f, 'agglomeration', i))?.size ?? 0) > 1 ? 1 : 0);
    expect(new Set(Array.from(core))).toEqual(new Set([0, 1]));
  });

  it("Table 4's core is the polycentric structure of Table 3", () => {
    const f = builtData(run('table4')).frame;
    const core = f.numeric('core');
    for (let i = 0; i < f.nrows; i++) {
      expect(core[i]).toBe(truth.rank_size.paper_q[text(f, 'agglomeration', i)]!['2017']! > 0.5 ? 0 : 1);
    }
  });
});

describe('4. eq. (10) regresses ln(disparity), disparity in levels; non-positive gaps dropped and counted', () => {
  it('the dependent variable, the dropped count and the sample size agree', () => {
    const f = builtData(run('table1')).frame;
    const centre = f.numeric('centre');
    const gap = f.numeric('disparity');
    const hgdp = f.numeric('hgdp');
    let nonPositive = 0;
    for (let i = 0; i < f.nrows; i++) {
      if (centre[i] !== 0 || Number.isNaN(gap[i]!)) continue;
      if (gap[i]! <= 0) nonPositive++;
      else expect(f.numeric('lndisparity')[i]).toBeCloseTo(Math.log(gap[i]!), 12);
    }
    // in levels: the centres' mean hgdp minus the city's own (a gap of hgdp, not of ln hgdp)
    const i0 = Array.from(centre).findIndex((c, i) => c === 0 && !Number.isNaN(gap[i]!));
    expect(Math.abs(gap[i0]!)).toBeLessThan(1);
    expect(gap[i0]! + hgdp[i0]!).toBeGreaterThan(0);
    expect(nonPositive).toBeGreaterThan(0);
    const w = warnings.filter((d) => d.code === 'DATA_LOG_NONPOSITIVE' && d.message.startsWith('lndisparity'));
    expect(w.length).toBeGreaterThan(0);
    expect(w[0]!.message).toContain(`${nonPositive} row(s)`);
    const m = run('table1').models.find((x) => x.key === 'fe_gap')!;
    expect((m.plan as unknown as { dependent: { name: string } }).dependent.name).toBe('lndisparity');
    expect(files.get('table1.md')).toContain('差距非正的观测值无对数而被剔除');
  });
});

describe('5. capital: the original value of fixed assets, depreciation from service lives', () => {
  it('K_2008 is the fixed assets and δ is the service-life rate', () => {
    const f = builtData(run('table1')).frame;
    const K = f.numeric('capital');
    const fa = f.numeric('fixed_assets');
    const year = f.numeric('year');
    const fai = f.numeric('fai');
    const city = (f.get('city') as TextColumn).codes;
    const delta = 0.63 * (1 - 0.04 ** (1 / 38)) + 0.29 * (1 - 0.04 ** (1 / 12)) + 0.08 * (1 - 0.04 ** (1 / 16));
    const i08 = Array.from(year).indexOf(2008);
    expect(K[i08]).toBeCloseTo(fa[i08]!, 6);
    const i09 = Array.from(year).findIndex((y, i) => y === 2009 && city[i] === city[i08]);
    const P09 = f.numeric('fai_index')[i09]! / 100;
    expect(K[i09]! / ((1 - delta) * K[i08]! + fai[i09]! / P09)).toBeCloseTo(1, 12);
  });
});

describe('6. Table 2 follows eq. (11): no time effects, one 观测值 row of levels equations', () => {
  it('no time dummies, a constant, and the rows the paper reports', () => {
    for (const t of ['table2', 'table4']) {
      for (const id of ['gmm_region', 'gmm_core']) {
        const m = run(t).models.find((x) => x.key === id)!;
        expect((m.plan as GmmPlan).effect).toBe('individual');
        const te = (m.result.detail as { timeEffects: Record<string, unknown> }).timeEffects;
        expect(Object.keys(te)).toEqual(['(Intercept)']);
      }
    }
    expect(mdRow('table2.md', '观测值')).toEqual(
      ['gmm_region', 'gmm_core'].map((id) => String(result('table2', id).stats.nobs_level)),
    );
    expect(
      files
        .get('table2.md')!
        .split('\n')
        .filter((l) => l.startsWith('| 观测值')),
    ).toHaveLength(1);
    expect(mdRow('table2.md', 'Sargan-p')).toHaveLength(2);
    expect(mdRow('table2.md', 'AR(2)')).toHaveLength(2);
    // Table 4: the OLS columns' observations and the GMM columns' levels count in one row
    expect(mdRow('table4.md', '观测值')).toEqual([
      ...['fe_central', 'fe_noncentral', 'fe_gap'].map((id) => String(result('table4', id).nobs)),
      ...['gmm_region', 'gmm_core'].map((id) => String(result('table4', id).stats.nobs_level)),
    ]);
    expect(files.get('table2.md')).toMatch(/Sargan-p为xtabond2报告的Sargan过度识别检验/);
  });
});

describe('7. Table 5 per the table', () => {
  it("no fixed effects, controls in every step, share = ab/c, only the paper's rows", () => {
    const d = result('table5', 'mediation').detail as MediationDetail;
    for (const s of [d.steps.total, d.steps.mediator, d.steps.outcome]) {
      expect(s.fixedEffects).toEqual([]);
      expect(Object.keys(s.coefficients)).toEqual(expect.arrayContaining(['lnfdi', 'lngov', 'lninv', 'lnedu']));
    }
    expect(d.share).toBeCloseTo((d.a * d.b) / d.c, 12);
    const md = files.get('table5.md')!;
    // (the Markdown header folds the dependent-variable row above the stub: `被解释变量<br>解释变量`)
    const labels = md
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| |'))
      .map((l) =>
        l
          .split('|')[1]!
          .trim()
          .replace(/^.*<br>/, ''),
      );
    expect(labels).toEqual(['解释变量', 'trans', 'div', 'control', '中介效应占比 ab/c', '中介效应']);
    expect(mdRow('table5.md', 'control')).toEqual(['YES', 'YES', 'YES']);
    expect(md).toContain('中介效应占比为ab/c');
  });
});

describe('8. notes and labels', () => {
  it('hgdpₜ₋₁ subscripted; 括号内为稳健标准误 with the clustering said; Table 3 with only its declared line', () => {
    expect(mdRow('table2.md', 'hgdpₜ₋₁')).toHaveLength(2);
    expect(files.get('table2.tex')).toContain('hgdp$_{t-1}$');
    for (const f of ['table1.md', 'table5.md']) expect(files.get(f)).toContain('括号内为稳健标准误（按城市聚类）');
    expect(files.get('table4.md')).toContain('括号内为稳健标准误（固定效应模型按城市聚类');
    const notes3 = files
      .get('table3.md')!
      .split('注：')[1]!
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(notes3).toEqual([
      '括号内为中心城市个数',
      '数据为合成数据（builtin:city-panel），仅用于演示，不是真实统计数据。',
    ]);
  });
});

describe('9. the SBM reading is stated, with its alternatives declared', () => {
  it('CRS, one frontier per year, in base.yaml; VRS, global and sequential alternatives exist', () => {
    const hgdp = run('table1').checked.plan.variables.find((v) => v.name === 'hgdp')!.spec as {
      sbm: { rts: string; frontier: string };
    };
    expect([hgdp.sbm.rts, hgdp.sbm.frontier]).toEqual(['crs', 'year']);
    const base = readFileSync(spec('base'), 'utf8');
    expect(base).toMatch(
      /Reading: the SBM efficiency score under\s+# constant returns to scale against one frontier per year/,
    );
    for (const alt of ['sbm-vrs', 'sbm-global', 'sbm-sequential']) {
      expect(readFileSync(join(root, 'specs', 'paper-alternatives', `${alt}.yaml`), 'utf8')).toContain(
        'extends: ../paper/table1.yaml',
      );
    }
    expect(readFileSync(join(root, 'specs', 'paper', 'README.md'), 'utf8')).toContain('| SBM');
  });
});
