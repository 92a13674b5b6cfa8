/** `specrun init DATA` on three kinds of file: each writes a starter spec that validates and runs. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { guessPanel, profileColumns } from '../../engine/init/profile.js';
import { safeNames } from '../../engine/init/starter-spec.js';
import { Frame, textColumn } from '../../engine/core/frame.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A small city panel with Chinese headers, one of them not usable in a formula as written. */
function yearbookRows(): string[][] {
  const cities = ['武汉市', '长沙市', '南昌市', '黄石市', '株洲市', '九江市'];
  const rows: string[][] = [['城市', '年份', '地区生产总值(亿元)', '年末总人口', '固定资产投资', '财政支出']];
  let s = 7;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  for (const c of cities) {
    for (let y = 2010; y <= 2017; y++) {
      const pop = 300 + 600 * rnd();
      const inv = 500 + 2000 * rnd();
      const gov = 100 + 400 * rnd();
      const gdp = 0.8 * inv + 1.5 * gov + 2 * pop + 100 * rnd();
      rows.push([
        c,
        String(y),
        gdp.toFixed(2),
        pop.toFixed(1),
        inv.toFixed(2),
        y === 2012 && c === '九江市' ? '' : gov.toFixed(2),
      ]);
    }
  }
  return rows;
}

async function initAndRun(dir: string, file: string, extra: string[] = []) {
  const init = await runCli(['init', file, ...extra], dir);
  expect(init.code, init.stderr).toBe(0);
  const spec = file.replace(/\.(csv|xlsx)$/, '.yaml');
  expect(existsSync(join(dir, spec))).toBe(true);
  const validate = await runCli(['validate', spec], dir);
  expect(validate.code, validate.stderr).toBe(0);
  const run = await runCli(['run', spec, '--out', 'out', '--no-cache'], dir);
  expect(run.code, run.stderr).toBe(0);
  const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
  return { init, spec: readFileSync(join(dir, spec), 'utf8'), results };
}

describe('specrun init', () => {
  it('Grunfeld CSV: guesses firm × year and says why, writes a two-way FE model that runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-init-'));
    cpSync(join(root, 'data', 'grunfeld.csv'), join(dir, 'grunfeld.csv'));
    const { init, spec, results } = await initAndRun(dir, 'grunfeld.csv');
    expect(init.stdout).toMatch(/period: 'year', because/);
    expect(init.stdout).toMatch(/unit: 'firm', because each \(firm, year\) pair occurs once/);
    expect(init.stdout).toMatch(/200 rows, 5 columns/);
    expect(spec).toMatch(/^# yaml-language-server: \$schema=.*engine\/spec\/spec\.schema\.json$/m);
    expect(spec).toMatch(/formula: ln_inv ~ value \+ capital \| firm \+ year/);
    expect(results.models.main.nobs).toBe(200);
    expect(results.models.main.coefficients.value.estimate).toEqual(expect.any(Number));
    // A second init does not overwrite the spec without --force.
    const again = await runCli(['init', 'grunfeld.csv'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/INIT_EXISTS/);
    expect((await runCli(['init', 'grunfeld.csv', '--force'], dir)).code).toBe(0);
  });

  it('GBK yearbook-like CSV with Chinese headers: decodes, renames the header that is not a name, runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-init-'));
    const text =
      yearbookRows()
        .map((r) => r.join(','))
        .join('\r\n') + '\r\n';
    writeFileSync(join(dir, 'yearbook.csv'), gbk(text));
    const { init, spec, results } = await initAndRun(dir, 'yearbook.csv');
    expect(init.stdout).toMatch(/CSV, gb(k|18030)/);
    expect(init.stdout).toMatch(/unit: '城市'/);
    expect(init.stdout).toMatch(/period: '年份'/);
    expect(spec).toMatch(/地区生产总值\(亿元\): 地区生产总值_亿元/);
    expect(spec).toMatch(/formula: ln_地区生产总值_亿元 ~ 年末总人口 \+ 固定资产投资 \+ 财政支出 \| 城市 \+ 年份/);
    // The missing 财政支出 cell of 九江市 2012 drops one row: 48 − 1.
    expect(results.models.main.nobs).toBe(47);
  });

  it('XLSX with a named sheet: reads it, runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-init-'));
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['notes only']);
    const ws = wb.addWorksheet('地级市');
    for (const [i, r] of yearbookRows().entries())
      ws.addRow(i === 0 ? r : r.map((x, j) => (j === 0 || x === '' ? x : Number(x))));
    await wb.xlsx.writeFile(join(dir, 'cities.xlsx'));
    const { init, spec, results } = await initAndRun(dir, 'cities.xlsx', ['--sheet', '地级市']);
    expect(init.stdout).toMatch(/XLSX, sheet 地级市/);
    expect(spec).toMatch(/sheet: 地级市/);
    expect(results.models.main.nobs).toBe(47);
  });

  it('--paper copies a worked example with its data file, and the copy runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-init-'));
    const r = await runCli(['init', '--paper', 'grunfeld', '--out', 'proj'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'proj', 'grunfeld.yaml'), 'utf8')).toMatch(/source: \.\/grunfeld\.csv/);
    expect(existsSync(join(dir, 'proj', 'grunfeld.csv'))).toBe(true);
    const run = await runCli(['run', 'proj', '--out', 'out', '--no-cache'], dir);
    expect(run.code, run.stderr).toBe(0);
    const bad = await runCli(['init', '--paper', 'grunfeldd'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/INIT_UNKNOWN_PAPER[\s\S]*grunfeld/);
  });

  it('guesses no unit where no column identifies the rows of a period, and no period in a cross-section', () => {
    const n = 6;
    const f = new Frame(n, [
      ['g', textColumn(['a', 'a', 'b', 'b', 'c', 'c'])],
      ['year', Float64Array.from([2000, 2000, 2001, 2001, 2002, 2002])],
      ['y', Float64Array.from([1, 2, 3, 4, 5, 6])],
    ]);
    const p = guessPanel(f, profileColumns(f));
    expect(p.time).toBe('year');
    expect(p.unit).toBeNull();
    const cross = new Frame(3, [
      ['y', Float64Array.from([1.5, 2.5, 3.5])],
      ['x', Float64Array.from([0.1, 0.2, 0.4])],
    ]);
    expect(guessPanel(cross, profileColumns(cross))).toMatchObject({ unit: null, time: null });
  });

  it('gives headers that are not names in a formula a safe, unique name', () => {
    const m = safeNames(['gdp (bn)', 'gdp_bn', '2010', 'log', 'ok']);
    expect(m.get('gdp (bn)')).toBe('gdp_bn_2');
    expect(m.get('2010')).toBe('v_2010');
    expect(m.get('log')).toBe('v_log');
    expect(m.get('ok')).toBe('ok');
  });
});

/** GBK bytes of a text (Node's TextDecoder reads GBK; for writing, the spec's reader test fixtures use iconv tables). */
function gbk(text: string): Uint8Array {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder('gbk');
  // Build the two-byte codes of the characters used, by decoding the GBK code space once.
  const wanted = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let a = 0x81; a <= 0xfe && table.size < wanted.size; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (wanted.has(ch) && !table.has(ch)) table.set(ch, [a, b]);
    }
  }
  const out: number[] = [];
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code <= 0x7f) out.push(code);
    else out.push(...table.get(c)!);
  }
  return Uint8Array.from(out);
}
