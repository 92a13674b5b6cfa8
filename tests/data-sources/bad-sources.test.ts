/**
 * Bad input in declared data (issue 14): each a diagnostic at the line:col of the key at fault, the README's exit
 * code, nothing written — from `run` and from `validate` alike (validate reads the data). Also the declared cleaning
 * actions and the data-level warnings on small workbooks and CSV files written here.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;

async function workbook(path: string, year: number, sheet = '地级市'): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.getCell(1, 1).value = '城市';
  ws.mergeCells(1, 1, 2, 1);
  ws.getCell(1, 2).value = '地区生产总值';
  ws.mergeCells(1, 2, 1, 3);
  ws.getCell(2, 2).value = '全市';
  ws.getCell(2, 3).value = '市辖区';
  ws.getCell(1, 4).value = year < 2011 ? '一般预算内支出' : '公共财政支出';
  ws.mergeCells(1, 4, 2, 4);
  const rows: (string | number | null)[][] = [
    ['河北省', null, null, null],
    ['石家庄市', 100 + year - 2010, 60, 10],
    ['唐山市', 200 + year - 2010, 120, year === 2011 ? null : 20],
    ['注：数据来源', null, null, null],
  ];
  rows.forEach((r, i) =>
    r.forEach((v, j) => {
      if (v !== null) ws.getCell(3 + i, j + 1).value = v;
    }),
  );
  mkdirSync(join(path, '..'), { recursive: true });
  await wb.xlsx.writeFile(path);
}

const YB = `  source: yb/yb*.xlsx
  header_rows: 2
  period: { from: file, pattern: 'yb(\\d{4})' }
  columns: { city: ^城市$, gdp: /全市$, gov: (一般预算内支出|公共财政支出) }
  drop_rows: ["matches(city, '省$')", "matches(city, '^注')"]
  unit: city
  time: year
`;

function spec(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

async function both(file: string) {
  const out = join(dir, `out-${file}`);
  const run = await runCli(['run', file, '--out', out], dir);
  const validate = await runCli(['validate', file], dir);
  return { run, validate, written: existsSync(out) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'specrun-sources-'));
  for (const y of [2010, 2011, 2012]) await workbook(join(dir, 'yb', `yb${y}.xlsx`), y);
  writeFileSync(join(dir, 'members.csv'), 'city,group\n石家庄市,A\n唐山市,A\n');
  writeFileSync(join(dir, 'dup-members.csv'), 'city,group\n石家庄市,A\n唐山市,A\n唐山市,B\n');
  writeFileSync(join(dir, 'dup-header.csv'), 'city,year,x,x\na,2010,1,2\n');
  writeFileSync(
    join(dir, 'panel.csv'),
    'city,year,x,y\na,2010,1,10\na,2011,,11\na,2012,3,12\na,2013,,13\nb,2010,5,1\nb,2011,500,2\nb,2012,7,3\nb,2013,,4\n',
  );
}, 60_000);

describe('bad input in declared data', () => {
  it('a duplicate key on the "one" side is an error at the join naming the key, exit 1, nothing written', async () => {
    const f = spec(
      'dup.yaml',
      `data:\n${YB}  join:\n    - source: dup-members.csv\n      on: city\n      relation: many_to_one\nmodels:\n  m: { formula: gdp ~ gov }\n`,
    );
    const { run, validate, written } = await both(f);
    for (const r of [run, validate]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^dup\.yaml:12:17 DATA_JOIN_DUPLICATE_KEY join many_to_one: key 唐山市 appears 2 times in the joined table dup-members\.csv/m,
      );
    }
    expect(written).toBe(false);
  });

  it('a column pattern that matches no header is an error at the pattern, naming the headers', async () => {
    const f = spec(
      'nocol.yaml',
      `data:\n${YB.replace('gov: (一般预算内支出|公共财政支出)', 'gov: 一般公共预算支出')}models:\n  m: { formula: gdp ~ gov }\n`,
    );
    const { run, validate, written } = await both(f);
    for (const r of [run, validate]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^nocol\.yaml:5:42 DATA_COLUMN_NO_MATCH no header of yb\/yb2010\.xlsx#地级市 matches 一般公共预算支出 \(for column gov\)/m,
      );
      expect(r.stderr).toMatch(/headers there: 城市 \| 地区生产总值\/全市 \| 地区生产总值\/市辖区 \| 一般预算内支出/);
    }
    expect(written).toBe(false);
  });

  it('a period pattern that matches no file name is an error at the pattern', async () => {
    const f = spec(
      'noperiod.yaml',
      `data:\n${YB.replace("pattern: 'yb(\\d{4})'", "pattern: '年鉴(\\d{4})'")}models:\n  m: { formula: gdp ~ gov }\n`,
    );
    const { run, validate, written } = await both(f);
    for (const r of [run, validate]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^noperiod\.yaml:4:34 DATA_PERIOD_UNMATCHED the period pattern 年鉴\(\\d\{4\}\) matches no period in the file name yb2010\.xlsx/m,
      );
    }
    expect(written).toBe(false);
  });

  it('a glob that matches no file is an error at the source', async () => {
    const f = spec(
      'nofile.yaml',
      `data:\n${YB.replace('yb/yb*.xlsx', 'yb/年鉴*.xlsx')}models:\n  m: { formula: gdp ~ gov }\n`,
    );
    const { run, validate } = await both(f);
    for (const r of [run, validate]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^nofile\.yaml:2:11 DATA_NO_FILES no file matches yb\/年鉴\*\.xlsx/m);
      expect(r.stderr).toMatch(/files in it: yb2010\.xlsx, yb2011\.xlsx, yb2012\.xlsx/);
    }
  });

  it('a sheet that is missing is an error at the sheet key, exit 2', async () => {
    const f = spec('nosheet.yaml', `data:\n  sheet: 城市\n${YB}models:\n  m: { formula: gdp ~ gov }\n`);
    const { run, validate, written } = await both(f);
    for (const r of [run, validate]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^nosheet\.yaml:2:10 DATA_UNKNOWN_SHEET yb\/yb2010\.xlsx has no sheet named 城市/m);
      expect(r.stderr).toMatch(/sheets in this workbook: 地级市/);
    }
    expect(written).toBe(false);
  });

  it('a join key absent from the joined table is an error at the key', async () => {
    const f = spec(
      'nokey.yaml',
      `data:\n${YB}  join:\n    - { source: members.csv, on: [city, year], relation: many_to_one }\nmodels:\n  m: { formula: gdp ~ gov }\n`,
    );
    const { run, validate, written } = await both(f);
    for (const r of [run, validate]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^nokey\.yaml:10:41 DATA_JOIN_KEY_MISSING join key year is not a column of the joined table \(members\.csv\)/m,
      );
    }
    expect(written).toBe(false);
  });

  it('validate reports a missing data file and a header naming a column twice (issue 14, defect 3)', async () => {
    const missing = await runCli(
      ['validate', spec('missing.yaml', 'data:\n  source: nowhere.csv\nmodels:\n  m: { formula: y ~ x }\n')],
      dir,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^missing\.yaml:2:11 DATA_NOT_FOUND cannot read data source nowhere\.csv: no such file/m,
    );
    expect(missing.stdout).not.toMatch(/valid/);
    const dup = await runCli(
      ['validate', spec('duphead.yaml', 'data:\n  source: dup-header.csv\nmodels:\n  m: { formula: x ~ year }\n')],
      dir,
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^duphead\.yaml:2:11 DATA_PARSE .*x/m);
    expect(dup.stdout).not.toMatch(/valid/);
  });
});

describe('yearbook workbooks, cleaning and warnings', () => {
  it('stacks the workbooks with their periods, drops the non-unit rows, picks the renamed header, counts it all', async () => {
    const f = spec('ok.yaml', `data:\n${YB}models:\n  m: { formula: gdp ~ gov }\n`);
    const out = join(dir, 'ok.csv');
    const r = await runCli(['data', f, '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      'year,city,gdp,gov\n2010,石家庄市,100,10\n2010,唐山市,200,20\n2011,石家庄市,101,10\n2011,唐山市,201,\n2012,石家庄市,102,10\n2012,唐山市,202,20\n',
    );
    // `specrun data` prints the accounting too (issue 14, defect 2)
    expect(r.stderr).toMatch(
      /read {3}yb\/yb\*\.xlsx: 3 files, 12 row\(s\); 6 dropped by drop_rows \(matches\(city, '省\$'\): 3; matches\(city, '\^注'\): 3\) → 6/,
    );
  });

  it('fills within the unit by interpolation and carrying forward; sets a lag/lead-based spike missing; reports cells per fix', async () => {
    const f = spec(
      'clean.yaml',
      `data:
  source: panel.csv
  unit: city
  time: year
  fixes:
    - { column: x, where: "x > 20 * lag(x) and x > 20 * lead(x)", set_missing: true, reason: spike }
    - { columns: [x], fill: interpolate }
    - { column: x, fill: carry_forward }
    - { columns: [x, y], where: "year == 2010", multiply: 1 }
models:
  m: { formula: y ~ x }
`,
    );
    const out = join(dir, 'clean.csv');
    const r = await runCli(['data', f, '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      'city,year,x,y\na,2010,1,10\na,2011,2,11\na,2012,3,12\na,2013,3,13\nb,2010,5,1\nb,2011,6,2\nb,2012,7,3\nb,2013,7,4\n',
    );
    expect(r.stderr).toMatch(
      /fix {4}x set missing where x > 20 \* lag\(x\) and x > 20 \* lead\(x\) \(clean\.yaml:6\): cells changed x 1/,
    );
    expect(r.stderr).toMatch(/fix {4}x missing filled by interpolate \(clean\.yaml:7\): cells changed x 2/);
    expect(r.stderr).toMatch(/fix {4}x missing filled by carry forward \(clean\.yaml:8\): cells changed x 2/);
    // A fix that changes nothing is a warning at its line.
    expect(r.stderr).toMatch(/^clean\.yaml:9:7 DATA_FIX_UNUSED data fix on x, y changed no cell/m);
  });

  it('an alias, a filter and a drop rule that match nothing are warnings at their lines', async () => {
    const f = spec(
      'unused.yaml',
      `data:
  source: panel.csv
  unit: city
  time: year
  unit_aliases: { 思茅市: 普洱市 }
  where: year > 2000
models:
  m: { formula: y ~ x }
`,
    );
    const r = await runCli(['run', f, '--out', join(dir, 'out-unused')], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^unused\.yaml:5:19 DATA_ALIAS_UNUSED unit alias 思茅市 → 普洱市 matches no row/m);
    expect(r.stderr).toMatch(/^unused\.yaml:6:10 DATA_FILTER_UNUSED data\.where drops no row of 8/m);
    const q = await runCli(['run', f, '--out', join(dir, 'out-unused-q'), '--quiet'], dir);
    expect(q.stderr).not.toMatch(/^data of /m);
  });
});

describe('one sheet per period, wide to long, the dropped count in a table', () => {
  it('reads every sheet matched by `sheets`, the period from the sheet name; `longer` turns year columns into rows', async () => {
    const wb = new ExcelJS.Workbook();
    for (const y of [2010, 2011]) {
      const ws = wb.addWorksheet(`地级市${y}`);
      ws.addRow(['城市', '人口']);
      ws.addRow(['a', 10 + y - 2010]);
      ws.addRow(['b', 20 + y - 2010]);
    }
    wb.addWorksheet('说明').addRow(['注']);
    await wb.xlsx.writeFile(join(dir, 'sheets.xlsx'));
    const f = spec(
      'sheets.yaml',
      `data:
  source: sheets.xlsx
  sheets: "地级市*"
  period: { from: sheet }
  rename: { 城市: city, 人口: pop }
  unit: city
  time: year
models:
  m: { formula: pop ~ year }
`,
    );
    const out = join(dir, 'sheets.csv');
    const r = await runCli(['data', f, '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('year,city,pop\n2010,a,10\n2010,b,20\n2011,a,11\n2011,b,21\n');
    expect(r.stderr).toMatch(/read {3}sheets\.xlsx: 2 files, 4 row\(s\)/);

    writeFileSync(join(dir, 'wide.csv'), 'city,2010,2011,2012\na,1,2,\nb,4,5,6\n');
    const w = spec(
      'wide.yaml',
      `data:
  source: wide.csv
  longer: { columns: '^(\\d{4})$', values_to: gdp }
  unit: city
  time: year
models:
  m: { formula: gdp ~ year }
tables:
  t: { columns: [m], stats: [nobs, dropped_missing] }
`,
    );
    const wout = join(dir, 'wide.csv.out');
    const wr = await runCli(['data', w, '--out', wout], dir);
    expect(wr.code, wr.stderr).toBe(0);
    expect(readFileSync(wout, 'utf8')).toBe(
      'city,year,gdp\na,2010,1\na,2011,2\na,2012,\nb,2010,4\nb,2011,5\nb,2012,6\n',
    );
    expect(wr.stderr).toMatch(/read {3}wide\.csv: 2 row\(s\); 6 row\(s\) after longer/);
    const run = await runCli(['run', w, '--out', join(dir, 'out-wide'), '--format', 'md'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out-wide', 't.md'), 'utf8')).toMatch(/\| dropped_missing \| 1 \|/);
  });
});

describe("the built-in panel's corrections belong to it (issue 14, defect 1)", () => {
  it("a spec that extends the paper's base and reads its own data inherits no fix and no alias", async () => {
    const base = join(process.cwd(), 'specs', 'paper', 'base.yaml');
    writeFileSync(
      join(dir, 'fdi.csv'),
      'city,year,fdi\na,2012,100\na,2013,110\nb,2012,200\nb,2013,210\nc,2012,50\nc,2013,55\n',
    );
    const f = spec(
      'inherit.yaml',
      `extends: ${base}\ndata:\n  source: fdi.csv\nvariables: null\nsamples: null\nmodels:\n  m: { formula: fdi ~ year }\n`,
    );
    const out = join(dir, 'inherit.csv');
    const r = await runCli(['data', f, '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('a,2013,110');
    expect(r.stderr).not.toMatch(/fix |alias /);
  });
});
