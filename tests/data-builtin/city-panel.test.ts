/**
 * builtin:city-panel: the generator is deterministic, the CSV has the documented shape and warts, and the
 * transforms reproduce the independent pandas/scipy computation (tests/transforms/parity/city-panel-check.py)
 * of the paper's derived variables on it. Tolerances: 1e-9 relative for pim, deflate and specialization, 1e-9
 * absolute for gap (the same arithmetic in another language; the expected values carry 11 significant digits).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Frame, textColumn, type Column } from '../../engine/core/frame.js';
import { builtinDatasets, packageRoot, resolveBuiltin } from '../../engine/data/builtin.js';
import { checkUnitBreaks } from '../../engine/data/unit-breaks.js';
import { pimTransform as pimModule } from '../../engine/transforms/pim.js';
import { deflateTransform as deflateModule } from '../../engine/transforms/deflate.js';
import { specializationTransform as specializationModule } from '../../engine/transforms/specialization.js';
import { gapTransform as gapModule } from '../../engine/transforms/gap.js';
import type { TransformContext } from '../../engine/transforms/types.js';
import { normalizing } from '../helpers/transforms.js';

const pimTransform = normalizing(pimModule);
const deflateTransform = normalizing(deflateModule);
const specializationTransform = normalizing(specializationModule);
const gapTransform = normalizing(gapModule);

const root = packageRoot();
const csvPath = join(root, 'data', 'city-panel.csv');
const TEXT = new Set(['city', 'city_en', 'province', 'agglomeration', 'agglomeration_en']);

function readPanel(): { names: string[]; cells: string[][] } {
  const [head, ...lines] = readFileSync(csvPath, 'utf8').trimEnd().split('\n');
  const names = head!.split(',');
  const cells = lines.map((l) => {
    expect(l.includes('"')).toBe(false); // the file needs no quoting; a plain split is exact
    return l.split(',');
  });
  return { names, cells };
}

function frameOf({ names, cells }: { names: string[]; cells: string[][] }): Frame {
  return new Frame(
    cells.length,
    names.map((n, j): [string, Column] => [
      n,
      TEXT.has(n)
        ? textColumn(cells.map((r) => r[j]!))
        : Float64Array.from(cells.map((r) => (r[j] === '' ? Number.NaN : Number(r[j])))),
    ]),
  );
}

/** The declarations data/README.md tells a spec to make, applied by hand (the loader does this in a run). */
function declared(raw: { names: string[]; cells: string[][] }): Frame {
  const j = (n: string) => raw.names.indexOf(n);
  const cells = raw.cells.map((r) => {
    const c = [...r];
    if (c[j('city')] === '襄樊市') c[j('city')] = '襄阳市';
    if (c[j('year')] === '2013' && c[j('fdi')] !== '') c[j('fdi')] = String(Number(c[j('fdi')]) * 0.0001);
    if (Number(c[j('so2')]) > 5000000) c[j('so2')] = '';
    return c;
  });
  return frameOf({ names: raw.names, cells });
}

function contextOf(frame: Frame): TransformContext {
  const city = frame.get('city') as { codes: Int32Array; levels: readonly string[] };
  return { frame, unit: city.codes, time: frame.numeric('year'), unitLabels: city.levels };
}

const expected = JSON.parse(
  readFileSync(join(root, 'tests', 'transforms', 'parity', 'city-panel-expected.json'), 'utf8'),
) as {
  rows: Record<'K' | 'K_sl' | 'rgdp' | 'div' | 'hgdp' | 'disparity' | 'disparity_level', (number | null)[]>;
};

/** Largest relative error (or absolute with `absolute`) over the rows, NaN exactly where the reference is missing. */
function expectClose(got: Float64Array, want: (number | null)[], tol: number, absolute = false): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const w = want[i] ?? null;
    if (w === null) {
      expect(Number.isNaN(got[i]!), `row ${i + 2} should be missing`).toBe(true);
      continue;
    }
    const e = Math.abs(got[i]! - w) / (absolute ? 1 : Math.max(Math.abs(w), 1e-12));
    if (e > worst) worst = e;
  }
  expect(worst).toBeLessThan(tol);
}

describe('builtin:city-panel', () => {
  it('is registered, synthetic, and its file exists', () => {
    const b = resolveBuiltin('city-panel');
    expect(b).toBeDefined();
    expect(existsSync(b!.file)).toBe(true);
    expect(b!.synthetic).toBe(true);
    expect(b!.description).toMatch(/SYNTHETIC/);
    expect([b!.unit, b!.time]).toEqual(['city', 'year']);
    expect(resolveBuiltin('no-such-panel')).toBeUndefined();
    expect(resolveBuiltin('toString')).toBeUndefined();
    expect(Object.keys(builtinDatasets)).toContain('city-panel');
  });

  it('finds the package root from engine/data (vitest) and from dist/data (compiled) alike', () => {
    expect(packageRoot(join(root, 'engine', 'data'))).toBe(root);
    expect(packageRoot(join(root, 'dist', 'data'))).toBe(root);
    expect(existsSync(join(root, 'package.json'))).toBe(true);
  });

  it('the generator is deterministic: a fresh run reproduces the committed files byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'city-panel-'));
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'generate-city-panel.mjs'), dir], { stdio: 'pipe' });
      expect(readFileSync(join(dir, 'city-panel.csv')).equals(readFileSync(csvPath))).toBe(true);
      expect(
        readFileSync(join(dir, 'city-panel.truth.json')).equals(
          readFileSync(join(root, 'data', 'city-panel.truth.json')),
        ),
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('has 1,560 city-years of 156 cities (21 central) in 11 agglomerations, each with a central city', () => {
    const raw = readPanel();
    expect(raw.cells.length).toBe(1560);
    const col = (n: string) => raw.names.indexOf(n);
    const cities = new Map<string, { years: number[]; central: string; agg: string; dist: string }>();
    for (const r of raw.cells) {
      const name = r[col('city')] === '襄樊市' ? '襄阳市' : r[col('city')]!;
      const c = cities.get(name) ?? {
        years: [],
        central: r[col('central')]!,
        agg: r[col('agglomeration')]!,
        dist: r[col('dist_km')]!,
      };
      c.years.push(Number(r[col('year')]));
      expect(r[col('central')]).toBe(c.central);
      cities.set(name, c);
    }
    expect(cities.size).toBe(156);
    expect([...cities.values()].filter((c) => c.central === '1').length).toBe(21);
    for (const c of cities.values()) {
      expect(c.years.sort()).toEqual([2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017]);
      expect(c.dist === '0').toBe(c.central === '1');
    }
    const aggs = new Set([...cities.values()].map((c) => c.agg));
    expect(aggs.size).toBe(11);
    for (const a of aggs) expect([...cities.values()].some((c) => c.agg === a && c.central === '1')).toBe(true);
    // the renamed city: 襄樊市 before 2010, 襄阳市 after, never both in a year
    const xf = raw.cells.filter((r) => r[col('city')] === '襄樊市').map((r) => Number(r[col('year')]));
    expect(xf).toEqual([2008, 2009]);
    expect(new Set(raw.cells.map((r) => r[col('city')])).size).toBe(157);
  });

  it('has the documented warts: a few percent missing, one outlier, an FDI unit break that the data check flags', () => {
    const raw = readPanel();
    const f = frameOf(raw);
    const missingShare = (n: string) => Array.from(f.numeric(n)).filter(Number.isNaN).length / f.nrows;
    for (const n of ['fdi', 'students', 'freight', 'gov', 'so2']) {
      expect(missingShare(n)).toBeGreaterThan(0.005);
      expect(missingShare(n)).toBeLessThan(0.06);
    }
    for (const n of [
      'pop',
      'pop_urban',
      'gdp',
      'gdp_index',
      'fai',
      'fai_index',
      'emp_manuf',
      'emp_research',
      'usd_rate',
    ])
      expect(missingShare(n)).toBe(0);
    expect(Array.from(f.numeric('so2')).filter((v) => v > 5000000).length).toBe(1);

    const numeric = f.names.filter((n) => !TEXT.has(n) && n !== 'year');
    const notes = checkUnitBreaks(f, 'city', 'year', numeric);
    expect(notes.map((n) => n.code)).toEqual(['DATA_UNIT_BREAK']);
    expect(notes[0]!.message).toMatch(/^fdi: .* from 2012 to 2013 .*where: "year == 2013", multiply: 0\.0001/);
    // once the declared fix is applied, the check is silent
    expect(checkUnitBreaks(declared(raw), 'city', 'year', numeric)).toEqual([]);
  });

  it("pop_urban gives the paper's Table 3 classification and 17 centres under its rule (C fixed at the largest city)", () => {
    const truth = JSON.parse(readFileSync(join(root, 'data', 'city-panel.truth.json'), 'utf8')) as {
      rank_size: {
        q: Record<string, Record<string, number>>;
        paper_q: Record<string, Record<string, number>>;
        centres: Record<string, number>;
      };
    };
    const raw = readPanel();
    const j = (n: string) => raw.names.indexOf(n);
    const sizesOf = (agg: string, year: string) =>
      raw.cells
        .filter((r) => r[j('agglomeration')] === agg && r[j('year')] === year)
        .map((r) => Number(r[j('pop_urban')]))
        .sort((a, b) => b - a);
    // fixed-intercept q by hand: Σ x d / Σ x², d = ln max − ln size, x = ln rank
    const fixedQ = (s: number[]) => {
      let sxx = 0;
      let sxd = 0;
      s.forEach((v, k) => {
        const x = Math.log(k + 1);
        sxx += x * x;
        sxd += x * (Math.log(s[0]!) - Math.log(v));
      });
      return sxd / sxx;
    };
    let centres = 0;
    for (const [agg, byYear] of Object.entries(truth.rank_size.q)) {
      for (const [year, q] of Object.entries(byYear)) {
        const got = fixedQ(sizesOf(agg, year));
        expect(Math.abs(got - q), `${agg} ${year}`).toBeLessThan(1e-5);
        // the paper's classification of that year: q above or below 0.5 as printed in Table 3
        expect(got > 0.5, `${agg} ${year}`).toBe(truth.rank_size.paper_q[agg]![year]! > 0.5);
      }
      // the drop-the-second-largest loop of 2017
      const s = sizesOf(agg, '2017');
      let k = 1;
      while (fixedQ(s) <= 0.5) {
        s.splice(1, 1);
        k++;
      }
      expect(k, agg).toBe(truth.rank_size.centres[agg]);
      centres += k;
    }
    expect(centres).toBe(17);
    // never above the registered total
    raw.cells.forEach((r) => expect(Number(r[j('pop_urban')])).toBeLessThan(Number(r[j('pop')])));
  });

  it('pim, deflate, specialization and gap reproduce the independent pandas/scipy values (1e-9)', () => {
    const ctx = contextOf(declared(readPanel()));
    // the paper's capital: the 2008 original value of fixed assets as K_0, δ from the service lives
    const Ksl = pimTransform.compute(
      'K',
      {
        pim: {
          investment: 'fai',
          price_index: 'fai_index',
          index_type: 'chained',
          base: 2008,
          initial_stock: 'fixed_assets',
          service_lives: [
            { life: 38, share: 0.63 },
            { life: 12, share: 0.29 },
            { life: 16, share: 0.08 },
          ],
          residual: 0.04,
        },
      },
      ctx,
    );
    expect(Ksl.notes).toEqual([]);
    expectClose(Ksl.columns[0]![1] as Float64Array, expected.rows.K_sl, 1e-9);

    const K = pimTransform.compute(
      'K',
      {
        pim: {
          investment: 'fai',
          price_index: 'fai_index',
          index_type: 'chained',
          base: 2008,
          depreciation: 0.096,
          growth_years: 5,
        },
      },
      ctx,
    );
    expect(K.notes).toEqual([]);
    expectClose(K.columns[0]![1] as Float64Array, expected.rows.K, 1e-9);

    const rgdp = deflateTransform.compute(
      'rgdp',
      { deflate: { value: 'gdp', index: 'gdp_index', index_type: 'chained', base: 2008 } },
      ctx,
    );
    expect(rgdp.notes).toEqual([]);
    expectClose(rgdp.columns[0]![1] as Float64Array, expected.rows.rgdp, 1e-9);

    const div = specializationTransform.compute(
      'div',
      {
        specialization: {
          group: 'agglomeration',
          role: 'central',
          services: ['emp_transport', 'emp_finance', 'emp_realestate', 'emp_it', 'emp_business', 'emp_research'],
          manufacturing: ['emp_mining', 'emp_manuf', 'emp_utility'],
        },
      },
      ctx,
    );
    expect(div.notes).toEqual([]);
    expectClose(div.columns[0]![1] as Float64Array, expected.rows.div, 1e-9);

    // gap on the reference SBM scores (in logs), the paper's disparity
    const ln = Float64Array.from(expected.rows.hgdp, (v) => (v === null ? Number.NaN : Math.log(v)));
    const gctx = contextOf(ctx.frame.with('lnhgdp', ln));
    const gap = gapTransform.compute(
      'disparity',
      { gap: { value: 'lnhgdp', group: 'agglomeration', reference: 'central' } },
      gctx,
    );
    // absolute: a gap near 0 has no useful relative error, and ln of an 11-digit score carries ~1e-11 of rounding
    expectClose(gap.columns[0]![1] as Float64Array, expected.rows.disparity, 1e-9, true);
    expect(gap.notes.map((n) => n.code)).toEqual(['DATA_VALUE_MISSING']); // the rows without an SBM score
  });
});
