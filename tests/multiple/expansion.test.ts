/**
 * Multiple estimation (engine/normalize/multiple.ts, expand-models.ts): the formulas each construct stands for, the
 * mapping of every offset back to the formula as written, the diagnostics of bad uses at their YAML line and column,
 * and — the parity that matters most — each expanded model equals the same model written by hand.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandFormula, stepwiseSelections } from '../../engine/normalize/multiple.js';
import { runFiles } from '../helpers/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const produc = join(root, 'data', 'produc.csv');
const header = `data: { source: ${produc}, unit: state, time: year }
variables: { lgsp: log(gsp), lpc: log(pc), lemp: log(emp), lpcap: log(pcap) }
`;

function spec(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-multi-'));
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, header + body);
  return file;
}

describe('formula expansion', () => {
  it('sw, sw0, csw, csw0 and mvsw select the arguments as fixest does', () => {
    expect(stepwiseSelections('sw', 3)).toEqual([
      [1, [0]],
      [2, [1]],
      [3, [2]],
    ]);
    expect(stepwiseSelections('sw0', 2)).toEqual([
      [0, []],
      [1, [0]],
      [2, [1]],
    ]);
    expect(stepwiseSelections('csw', 3)).toEqual([
      [1, [0]],
      [2, [0, 1]],
      [3, [0, 1, 2]],
    ]);
    expect(stepwiseSelections('csw0', 2)).toEqual([
      [0, []],
      [1, [0]],
      [2, [0, 1]],
    ]);
    // fixest: mvsw(x1, x2, x3) = sw0(x1, x2, x3, x1 + x2, x1 + x3, x2 + x3, x1 + x2 + x3)
    expect(stepwiseSelections('mvsw', 3).map(([, c]) => c)).toEqual([
      [],
      [0],
      [1],
      [2],
      [0, 1],
      [0, 2],
      [1, 2],
      [0, 1, 2],
    ]);
  });

  it('writes each variant as an ordinary formula, outcome outermost, with its tags', () => {
    const vs = expandFormula('c(y1, y2) ~ x + csw0(a, b + c) | sw(f, g)')!;
    expect(vs.map((v) => [v.tags.map((t) => t.join('=')).join(','), v.text.replace(/\s+/g, ' ').trim()])).toEqual([
      ['lhs=y1,csw0=0,fe.sw=1', 'y1 ~ x | f'],
      ['lhs=y1,csw0=0,fe.sw=2', 'y1 ~ x | g'],
      ['lhs=y1,csw0=1,fe.sw=1', 'y1 ~ x + a | f'],
      ['lhs=y1,csw0=1,fe.sw=2', 'y1 ~ x + a | g'],
      ['lhs=y1,csw0=2,fe.sw=1', 'y1 ~ x + a + b + c | f'],
      ['lhs=y1,csw0=2,fe.sw=2', 'y1 ~ x + a + b + c | g'],
      ['lhs=y2,csw0=0,fe.sw=1', 'y2 ~ x | f'],
      ['lhs=y2,csw0=0,fe.sw=2', 'y2 ~ x | g'],
      ['lhs=y2,csw0=1,fe.sw=1', 'y2 ~ x + a | f'],
      ['lhs=y2,csw0=1,fe.sw=2', 'y2 ~ x + a | g'],
      ['lhs=y2,csw0=2,fe.sw=1', 'y2 ~ x + a + b + c | f'],
      ['lhs=y2,csw0=2,fe.sw=2', 'y2 ~ x + a + b + c | g'],
    ]);
  });

  it('leaves a constant-only model or no fixed effects where a step has no terms', () => {
    expect(expandFormula('y ~ csw0(a) | fe')!.map((v) => v.text.replace(/\s+/g, ' '))).toEqual([
      'y ~ 1 | fe',
      'y ~ a | fe',
    ]);
    expect(expandFormula('y ~ a | sw0(f)')!.map((v) => v.text.replace(/\s+/g, ' ').trim())).toEqual([
      'y ~ a | 0',
      'y ~ a | f',
    ]);
    expect(expandFormula('y ~ sw0(a) + b')!.map((v) => v.text.replace(/\s+/g, ' '))).toEqual(['y ~ b', 'y ~ a + b']);
  });

  it('maps every offset of a variant back to the character written', () => {
    const src = 'c(lgsp, lemp) ~ lpcap + csw(lpc, unemp) | state';
    const v = expandFormula(src)![3]!; // lemp ~ lpcap + lpc + unemp | state
    for (const name of ['lemp', 'lpcap', 'lpc', 'unemp', 'state']) {
      const at = v.text.search(new RegExp(`\\b${name}\\b`));
      expect(src.slice(v.origin(at), v.origin(at) + name.length)).toBe(name);
    }
  });

  it('returns null for a formula without multiple estimation (a column named sw_x is no call)', () => {
    expect(expandFormula('y ~ sw_x + csw_total | f')).toBeNull();
  });
});

describe('diagnostics of bad uses, at the character concerned', () => {
  // [formula, what is wrong, the text the diagnostic points at]; the formula's first character is at column 15
  const cases: [string, string, string][] = [
    ['lgsp ~ lpc:sw(lemp, unemp) | state', 'an interaction', 'sw(lemp'],
    ['lgsp ~ i(sw(region, year)) | state', 'inside a call', 'sw(region'],
    ['lgsp ~ sw(lpc, lemp) + csw(unemp, lpcap)', 'two in one part', 'csw('],
    ['lgsp ~ lpc | state | lemp ~ sw(unemp, lpcap)', 'the IV part', 'sw(unemp'],
    ['sw(lgsp, lemp) ~ lpc', 'the left-hand side', 'sw(lgsp'],
    ['lgsp ~ lpc + sw(lemp, )', 'an empty argument', ')'],
  ];
  it.each(cases)('%s (%s)', async (formula, _what, at) => {
    const r = await runFiles([spec(`models:\n  m:\n    formula: "${formula}"\n`)], root);
    expect(r.errors.map((e) => [e.code, e.line, e.col])).toEqual([
      ['MULTIPLE_ESTIMATION', 5, 15 + formula.lastIndexOf(at)],
    ]);
  });

  it('a syntax error inside an expanded formula is reported where it is written', async () => {
    const r = await runFiles([spec('models:\n  m:\n    formula: "lgsp ~ csw(lpc, lemp) + unemp | state + )"\n')], root);
    expect(r.errors.map((e) => [e.code, e.line])).toEqual([['FORMULA_SYNTAX', 5]]);
    expect(r.errors[0]!.col).toBeGreaterThanOrEqual(14 + 'lgsp ~ csw(lpc, lemp) + unemp | state + '.length);
  });

  it('split on a missing column, and a listed value the data lack, at their keys', async () => {
    const r = await runFiles([spec('models:\n  m:\n    formula: lgsp ~ lpc\n    split: regoin\n')], root);
    expect(r.errors.map((e) => [e.code, e.line, e.col])).toEqual([['SPLIT_UNKNOWN_COLUMN', 6, 12]]);
    expect(r.errors[0]!.hint).toContain('region');
    const v = await runFiles(
      [spec('models:\n  m:\n    formula: lgsp ~ lpc\n    leave_one_out: { by: region, values: [3, 12] }\n')],
      root,
    );
    expect(v.errors.map((e) => [e.code, e.line])).toEqual([['SPLIT_VALUE_ABSENT', 6]]);
    expect(v.errors[0]!.message).toContain('12');
  });

  it("a split value that leaves no rows in the model's sample says what was dropped", async () => {
    const r = await runFiles(
      [
        spec(
          'models:\n  m:\n    formula: lgsp ~ lpc\n    sample: region == 1\n    split: { by: region, values: [1, 2] }\n',
        ),
      ],
      root,
    );
    expect(r.errors.map((e) => [e.code, e.line])).toEqual([['SPLIT_EMPTY', 7]]);
    expect(r.errors[0]!.message).toContain('m[split=2]');
    expect(r.errors[0]!.message).toMatch(/keeps 102 rows and region == 2 holds 51 rows/);
  });

  it('a table may name an expanded id; an unknown one gets a suggestion', async () => {
    const r = await runFiles(
      [spec('models:\n  m:\n    formula: lgsp ~ lpc + csw(lemp, unemp)\ntables:\n  t: { columns: ["m[csw=3]"] }\n')],
      root,
    );
    expect(r.errors.map((e) => e.code)).toEqual(['UNKNOWN_MODEL']);
    expect(r.errors[0]!.hint).toContain('m[csw=2]');
  });
});

describe('each expanded model equals the same model written by hand', () => {
  it('outcomes, stepwise terms and fixed effects, split and leave one out', async () => {
    const expanded = spec(`models:
  m:
    formula: c(lgsp, lemp) ~ lpc + csw0(lpcap, unemp) | sw(state, year)
    vcov: hc1
  s:
    formula: lgsp ~ lpc + lemp | year
    sample: unemp > 5
    split: region
    vcov: cluster(state)
  l:
    formula: lgsp ~ lpc + lemp | state + year
    leave_one_out: { by: region, values: [5, 2] }
`);
    const hand: string[] = [];
    for (const y of ['lgsp', 'lemp']) {
      for (const [k, rhs] of [
        [0, 'lpc'],
        [1, 'lpc + lpcap'],
        [2, 'lpc + lpcap + unemp'],
      ] as const) {
        for (const [f, fe] of [
          [1, 'state'],
          [2, 'year'],
        ] as const) {
          hand.push(`  "m[lhs=${y},csw0=${k},fe.sw=${f}]": { formula: "${y} ~ ${rhs} | ${fe}", vcov: hc1 }`);
        }
      }
    }
    for (let r = 1; r <= 9; r++)
      hand.push(
        `  "s[split=${r}]": { formula: lgsp ~ lpc + lemp | year, sample: unemp > 5 and region == ${r}, vcov: cluster(state) }`,
      );
    for (const r of [5, 2])
      hand.push(`  "l[loo=${r}]": { formula: lgsp ~ lpc + lemp | state + year, sample: region != ${r} }`);
    const byHand = spec(`models:\n${hand.join('\n')}\n`);
    const a = await runFiles([expanded], root);
    const b = await runFiles([byHand], root);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    const am = a.runs[0]!.models,
      bm = b.runs[0]!.models;
    expect(am.map((m) => m.key)).toEqual(bm.map((m) => m.key));
    expect(am).toHaveLength(12 + 9 + 2);
    for (let i = 0; i < am.length; i++) {
      expect(am[i]!.result.coefficients, am[i]!.key).toEqual(bm[i]!.result.coefficients);
      expect(am[i]!.result.nobs, am[i]!.key).toBe(bm[i]!.result.nobs);
      expect(am[i]!.result.stats, am[i]!.key).toEqual(bm[i]!.result.stats);
    }
  });
});
