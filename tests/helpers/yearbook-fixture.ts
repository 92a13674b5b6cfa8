/**
 * Yearbook-like raw data, written with exceljs from the built-in panel (data/city-panel.csv), so that the paper can
 * be run from them and compared with the built-in run. Per year, one workbook `yearbook/城市统计年鉴YYYY.xlsx` with
 * one sheet 地级市 laid out as the China City Statistical Yearbook is:
 *   row 1      a title merged across the sheet                                         → skip_rows: 1
 *   rows 2–4   the header: 城市 merged down; 地区生产总值 merged across a 全市/市辖区 pair; 从业人员 merged across
 *              nine sectors; single indicators merged down three rows                  → header_rows: 3
 *   then       cities grouped by province, each group under a province header row (河北省, 广西壮族自治区), plus two
 *              cities outside the agglomerations (拉萨市, 三亚市), and a footnote row (注：…) at the end
 * The budget-spending header changes wording between editions (一般预算内支出 / 公共财政支出 / 一般公共预算支出).
 * Missing cells are written as "—". Beside them: members.csv (the agglomerations' cities, time-invariant columns,
 * and 普洱市, which is in no workbook) and rates.csv (the yearly 元/美元 rate, with 2018, which no row has).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';

export const YEARS = [2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017];
const SECTORS: [string, string][] = [
  ['emp_mining', '采矿业'],
  ['emp_manuf', '制造业'],
  ['emp_utility', '电力燃气及水的生产和供应业'],
  ['emp_transport', '交通运输仓储和邮政业'],
  ['emp_finance', '金融业'],
  ['emp_realestate', '房地产业'],
  ['emp_it', '信息传输计算机服务和软件业'],
  ['emp_business', '租赁和商务服务业'],
  ['emp_research', '科学研究技术服务和地质勘查业'],
];
const SINGLE: [string, string][] = [
  ['gdp_index', '地区生产总值指数（上年=100）'],
  ['pop', '年末总人口（万人）'],
  ['pop_urban', '市辖区年末总人口（万人）'],
  ['fai', '固定资产投资（万元）'],
  ['fai_index', '固定资产投资价格指数（上年=100）'],
  ['fixed_assets', '固定资产原值（万元）'],
  ['so2', '工业二氧化硫排放量（吨）'],
  ['fdi', '当年实际使用外资金额（万美元）'],
  ['students', '普通高等学校在校学生数（人）'],
  ['gov', '@GOV'],
  ['freight', '货运总量（万吨）'],
];
export function govHeader(year: number): string {
  return year <= 2012
    ? '地方财政一般预算内支出（万元）'
    : year <= 2014
      ? '地方财政公共财政支出（万元）'
      : '一般公共预算支出（万元）';
}
const MUNICIPALITIES = new Set(['北京', '天津', '上海', '重庆']);
const PROVINCE_NAME: Record<string, string> = {
  广西: '广西壮族自治区',
  内蒙古: '内蒙古自治区',
  宁夏: '宁夏回族自治区',
  新疆: '新疆维吾尔自治区',
  西藏: '西藏自治区',
};
const provinceRow = (p: string) => PROVINCE_NAME[p] ?? `${p}省`;
/** Two cities outside the 11 agglomerations, in every edition (the join leaves them unmatched; `where` drops them). */
export const OUTSIDERS = [
  { city: '拉萨市', province: '西藏' },
  { city: '三亚市', province: '海南' },
];

export interface PanelRow {
  [column: string]: string;
}

export function readBuiltinPanel(root: string): PanelRow[] {
  const [head, ...lines] = readFileSync(join(root, 'data', 'city-panel.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
}

export interface FixtureCounts {
  /** Per year: cities of the panel, province header rows, outsider rows, footnote rows. */
  readonly perYear: { year: number; cities: number; provinces: number; outsiders: number; footnotes: number }[];
  /** Rows of the panel named 襄樊市 (the alias renames them). */
  readonly aliasRows: number;
  /** Member cities (members.csv rows, 普洱市 included). */
  readonly memberRows: number;
  readonly rateRows: number;
}

/** Write the workbooks and the two CSV files into `dir`; returns what was written, for the accounting checks. */
export async function writeYearbookFixture(root: string, dir: string): Promise<FixtureCounts> {
  const panel = readBuiltinPanel(root);
  mkdirSync(join(dir, 'yearbook'), { recursive: true });
  const perYear: FixtureCounts['perYear'][number][] = [];
  for (const year of YEARS) {
    const rows = panel.filter((r) => Number(r['year']) === year);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('地级市');
    // Column layout: 城市 | GDP 全市 | GDP 市辖区 | nine sectors | single indicators.
    const width = 1 + 2 + SECTORS.length + SINGLE.length;
    ws.getCell(1, 1).value = `中国城市统计年鉴${year}：地级以上城市主要指标`;
    ws.mergeCells(1, 1, 1, width);
    ws.getCell(2, 1).value = '城市';
    ws.mergeCells(2, 1, 4, 1);
    ws.getCell(2, 2).value = '地区生产总值（万元）';
    ws.mergeCells(2, 2, 2, 3);
    ws.getCell(3, 2).value = '全市';
    ws.mergeCells(3, 2, 4, 2);
    ws.getCell(3, 3).value = '市辖区';
    ws.mergeCells(3, 3, 4, 3);
    ws.getCell(2, 4).value = '从业人员（万人）';
    ws.mergeCells(2, 4, 2, 3 + SECTORS.length);
    SECTORS.forEach(([, label], k) => {
      ws.getCell(3, 4 + k).value = label;
    });
    SINGLE.forEach(([, label], k) => {
      const c = 4 + SECTORS.length + k;
      ws.getCell(2, c).value = label === '@GOV' ? govHeader(year) : label;
      ws.mergeCells(2, c, 4, c);
    });
    const cell = (v: string | undefined) => (v === undefined || v === '' ? '—' : Number(v));
    let r = 5;
    const write = (values: (string | number | null)[]) => {
      values.forEach((v, k) => {
        if (v !== null) ws.getCell(r, k + 1).value = v;
      });
      r++;
    };
    let provinces = 0;
    const byProvince = new Map<string, PanelRow[]>();
    for (const row of rows) {
      const list = byProvince.get(row['province']!) ?? [];
      list.push(row);
      byProvince.set(row['province']!, list);
    }
    for (const [province, list] of byProvince) {
      if (!MUNICIPALITIES.has(province)) {
        write([provinceRow(province)]);
        provinces++;
      }
      for (const row of list) {
        write([
          row['city']!,
          cell(row['gdp']),
          row['gdp'] ? Number(row['gdp']) * 0.6 : '—',
          ...SECTORS.map(([name]) => cell(row[name])),
          ...SINGLE.map(([name]) => cell(row[name])),
        ]);
      }
    }
    for (const o of OUTSIDERS) {
      write([provinceRow(o.province)]);
      provinces++;
      write([o.city, 1000 * year, 600 * year, ...SECTORS.map(() => 1), ...SINGLE.map(() => 100)]);
    }
    write(['注：本表按地级以上城市统计，全市含所辖县（市）。']);
    await wb.xlsx.writeFile(join(dir, 'yearbook', `城市统计年鉴${year}.xlsx`));
    perYear.push({ year, cities: rows.length, provinces, outsiders: OUTSIDERS.length, footnotes: 1 });
  }
  // The agglomerations' members, time-invariant columns, under the city's current name.
  const members = new Map<string, PanelRow>();
  for (const row of panel) {
    const city = row['city'] === '襄樊市' ? '襄阳市' : row['city']!;
    if (!members.has(city)) members.set(city, row);
  }
  const memberLines = ['city,agglomeration,central,region,dist_km'];
  for (const [city, row] of members)
    memberLines.push([city, row['agglomeration'], row['central'], row['region'], row['dist_km']].join(','));
  memberLines.push('普洱市,滇中,0,0,300');
  writeFileSync(join(dir, 'members.csv'), memberLines.join('\n') + '\n');
  const rates = new Map<number, string>();
  for (const row of panel) rates.set(Number(row['year']), row['usd_rate']!);
  const rateLines = ['year,usd_rate', ...YEARS.map((y) => `${y},${rates.get(y)}`), '2018,6.6174'];
  writeFileSync(join(dir, 'rates.csv'), rateLines.join('\n') + '\n');
  return {
    perYear,
    aliasRows: panel.filter((r) => r['city'] === '襄樊市').length,
    memberRows: members.size + 1,
    rateRows: YEARS.length + 1,
  };
}

/** The data spec of the worked example (README "Your own data"), as the test writes it. */
export const OWN_DATA_SPEC = `# Real data in: ten yearbook workbooks, a membership table and a yearly exchange rate.
data:
  source: yearbook/城市统计年鉴*.xlsx      # one workbook per edition
  sheet: 地级市
  skip_rows: 1                          # the title row
  header_rows: 3                        # 地区生产总值 / 全市, 从业人员 / 制造业, ...
  na: ["", "—"]
  period: { from: file, pattern: '年鉴(\\d{4})' }
  columns:                              # target column ← header pattern (the wording changes between editions)
    city: ^城市$
    gdp: ^地区生产总值.*/全市$
    gdp_index: ^地区生产总值指数
    pop: ^年末总人口
    pop_urban: ^市辖区年末总人口
    fai: ^固定资产投资（
    fai_index: ^固定资产投资价格指数
    fixed_assets: ^固定资产原值
    so2: 二氧化硫
    emp_mining: /采矿业$
    emp_manuf: /制造业$
    emp_utility: /电力燃气及水
    emp_transport: /交通运输
    emp_finance: /金融业$
    emp_realestate: /房地产业$
    emp_it: /信息传输
    emp_business: /租赁和商务
    emp_research: /科学研究
    fdi: 实际使用外资
    students: 在校学生
    gov: (一般预算内支出|公共财政支出|一般公共预算支出)
    freight: ^货运总量
  drop_rows:
    - "matches(city, '(省|自治区)$')"   # province header rows
    - "matches(city, '^注')"            # footnotes
  unit: city
  time: year
  unit_aliases: { 襄樊市: 襄阳市 }       # renamed in 2010
  join:
    - { source: members.csv, on: city, relation: many_to_one }
    - { source: rates.csv, on: year, relation: many_to_one }
  where: not is_na(agglomeration)       # the member cities
  fixes:
    - { column: fdi, where: year == 2013, multiply: 0.0001, reason: 2013 reported in 美元 }
    - { column: so2, where: "city == '临汾市' and year == 2014", set_missing: true, reason: outlier }
`;
