/**
 * Issue 14's must-show: ten yearbook-like workbooks + a membership CSV + a yearly rate CSV → the paper's five tables,
 * with no preprocessing outside specrun, and the accounting in results.json checked number by number against what
 * the fixture wrote. The workbooks are written from the built-in panel, so the models must give exactly the built-in
 * run's coefficients: the reading, flattening, dropping, joining and filtering lose and duplicate nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { OWN_DATA_SPEC, writeYearbookFixture, YEARS, type FixtureCounts } from '../helpers/yearbook-fixture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Json {
  // biome-ignore lint/suspicious/noExplicitAny: results.json read back untyped; the test walks it by key
  [k: string]: any;
}

describe('own data from yearbook workbooks, end to end', () => {
  let dir: string;
  let counts: FixtureCounts;
  let own: Json;
  let builtin: Json;
  let stderr: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'specrun-yearbook-'));
    counts = await writeYearbookFixture(root, dir);
    writeFileSync(join(dir, 'mydata.yaml'), OWN_DATA_SPEC);
    const specs = join(dir, 'specs');
    mkdirSync(specs);
    for (let t = 1; t <= 5; t++) {
      const paper = relative(specs, join(root, 'specs', 'paper', `table${t}.yaml`));
      writeFileSync(join(specs, `table${t}.yaml`), `extends: [${paper}, ../mydata.yaml]\n`);
    }
    const r = await runCli(['run', 'specs', '--out', 'out', '--no-cache'], dir);
    expect(r.code, r.stderr).toBe(0);
    stderr = r.stderr;
    own = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    const b = await runCli(
      ['run', join(root, 'specs', 'paper'), '--out', join(dir, 'builtin-out'), '--no-cache', '--quiet'],
      dir,
    );
    expect(b.code, b.stderr).toBe(0);
    builtin = JSON.parse(readFileSync(join(dir, 'builtin-out', 'results.json'), 'utf8'));
  }, 120_000);

  it('renders all five tables', () => {
    for (let t = 1; t <= 5; t++) {
      expect(existsSync(join(dir, 'out', `table${t}.tex`))).toBe(true);
      expect(existsSync(join(dir, 'out', `table${t}.md`))).toBe(true);
    }
  });

  it("gives the built-in run's coefficients and SEs in every model (nothing lost, nothing duplicated)", () => {
    const ids = Object.keys(builtin['models']);
    expect(Object.keys(own['models']).sort()).toEqual(ids.sort());
    for (const id of ids) {
      const a = own['models'][id];
      const b = builtin['models'][id];
      expect(a.nobs, id).toBe(b.nobs);
      for (const [term, c] of Object.entries(b.coefficients as Record<string, { estimate: number; se: number }>)) {
        // The rows come in another order (by year and province, not by city), so sums differ in the last bits:
        // relative 1e-7 (GMM's two-step weights amplify them most).
        const close = (x: number, y: number) => Math.abs(x - y) <= 1e-7 * Math.max(1, Math.abs(y));
        expect(
          close(a.coefficients[term].estimate, c.estimate),
          `${id} ${term}: ${a.coefficients[term].estimate} vs ${c.estimate}`,
        ).toBe(true);
        if (c.se !== null) expect(close(a.coefficients[term].se, c.se), `${id} ${term} se`).toBe(true);
      }
    }
  });

  it('accounts for every row in results.json, number by number', () => {
    const acc = own['data']['specs/table1.yaml'];
    const per = counts.perYear;
    const cities = per.reduce((t, y) => t + y.cities, 0);
    const provinces = per.reduce((t, y) => t + y.provinces, 0);
    const outsiders = per.reduce((t, y) => t + y.outsiders, 0);
    const footnotes = per.reduce((t, y) => t + y.footnotes, 0);
    const read = cities + provinces + outsiders + footnotes;
    // 1. the ten workbooks
    const main = acc.sources[0];
    expect(main.role).toBe('main');
    expect(main.files).toHaveLength(10);
    main.files.forEach((f: Json, k: number) => {
      const y = per[k]!;
      expect(f.file).toBe(`yearbook/城市统计年鉴${YEARS[k]}.xlsx#地级市`);
      expect(f.period).toBe(y.year);
      expect(f.rows).toBe(y.cities + y.provinces + y.outsiders + y.footnotes);
      expect(f.dropped).toBe(y.provinces + y.footnotes);
    });
    expect(main.rows_read).toBe(read);
    expect(main.dropped_by_rule).toEqual({
      "matches(city, '(省|自治区)$')": provinces,
      "matches(city, '^注')": footnotes,
    });
    expect(main.rows).toBe(cities + outsiders);
    // 2. the membership table and the rates, read whole
    expect(acc.sources[1]).toMatchObject({
      role: 'join 1',
      source: 'members.csv',
      rows_read: counts.memberRows,
      rows: counts.memberRows,
    });
    expect(acc.sources[2]).toMatchObject({
      role: 'join 2',
      source: 'rates.csv',
      rows_read: counts.rateRows,
      rows: counts.rateRows,
    });
    // 3. the alias, before the join
    const lineOf = (text: string) => OWN_DATA_SPEC.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(acc.aliases).toEqual([
      { from: '襄樊市', to: '襄阳市', rows: counts.aliasRows, at: `mydata.yaml:${lineOf('unit_aliases')}` },
    ]);
    // 4. the joins: members by city (the outsiders unmatched, 普洱市 in no workbook), rates by year (2018 in no row)
    expect(acc.joins[0]).toEqual({
      source: 'members.csv',
      on: ['city'],
      relation: 'many_to_one',
      how: 'left',
      left_rows: cities + outsiders,
      right_rows: counts.memberRows,
      matched_rows: cities,
      unmatched_rows: outsiders,
      unmatched_keys: 2,
      unmatched_first: ['拉萨市', '三亚市'],
      right_unmatched_keys: 1,
      right_unmatched_first: ['普洱市'],
      dropped_rows: 0,
      rows: cities + outsiders,
    });
    expect(acc.joins[1]).toMatchObject({
      source: 'rates.csv',
      on: ['year'],
      left_rows: cities + outsiders,
      matched_rows: cities + outsiders,
      unmatched_rows: 0,
      right_unmatched_keys: 1,
      right_unmatched_first: ['2018'],
      rows: cities + outsiders,
    });
    // 5. the filter keeps the member cities
    expect(acc.filter).toEqual({
      where: 'not is_na(agglomeration)',
      rows_in: cities + outsiders,
      rows_kept: cities,
      rows_dropped: outsiders,
    });
    expect(acc.rows).toBe(cities);
    // 6. the fixes: every non-missing 2013 FDI cell, one SO2 cell
    const panel = readFileSync(join(root, 'data', 'city-panel.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split(','));
    const h = panel[0]!;
    const fdi2013 = panel.slice(1).filter((r) => r[h.indexOf('year')] === '2013' && r[h.indexOf('fdi')] !== '').length;
    expect(acc.fixes.map((f: Json) => [f.columns, f.cells, f.at])).toEqual([
      [['fdi'], { fdi: fdi2013 }, `mydata.yaml:${lineOf('column: fdi')}`],
      [['so2'], { so2: 1 }, `mydata.yaml:${lineOf('column: so2')}`],
    ]);
    // 7. each model: sample rows − rows lost to missing values (by variable) = nobs of the OLS models
    const m = acc.models['table1/fe_all'];
    expect(m.rows).toBe(cities);
    expect(m.sample_rows).toBe(cities);
    const lost = Object.values(m.dropped_missing as Record<string, number>).reduce((t, n) => t + n, 0);
    expect(m.sample_rows - lost).toBe(m.complete_rows);
    expect(m.complete_rows).toBe(own['models']['table1/fe_all'].nobs);
  });

  it('prints the accounting once per run, and the unmatched join keys as warnings at their join', () => {
    expect(stderr.match(/^data of /gm)).toHaveLength(1);
    expect(stderr).toMatch(/join {3}members\.csv on city \(many_to_one, left\)/);
    expect(stderr).toMatch(
      /^mydata\.yaml:\d+:\d+ DATA_JOIN_UNMATCHED 1 key\(s\) of members\.csv match no row of the main table \(first: 普洱市\)/m,
    );
    // A warning shared by the five specs is printed once.
    expect(stderr.match(/DATA_JOIN_UNMATCHED 1 key\(s\) of members\.csv/g)).toHaveLength(1);
  });
});
