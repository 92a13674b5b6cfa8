import { describe, expect, it } from 'vitest';
import { Frame, textColumn } from '../../engine/core/frame.js';
import { buildPanel } from '../../engine/core/panel.js';
import { evaluate } from '../../engine/expr/evaluate.js';
import { ExprSyntaxError, parseExpr } from '../../engine/expr/parse.js';
import { canonical, referencedNames } from '../../engine/expr/ast.js';
import { parseFormula } from '../../engine/expr/formula.js';

// Unit a: 2000, 2001, 2003 (a gap at 2002); unit b: 2000, 2001.
const frame = new Frame(5, [
  ['id', textColumn(['a', 'a', 'a', 'b', 'b'])],
  ['t', Float64Array.from([2000, 2001, 2003, 2001, 2000])],
  ['x', Float64Array.from([1, 2, 4, 10, 20])],
  ['g', textColumn(['p', 'p', 'p', 'p', 'p'])],
  ['prov', textColumn(['湖北', '湖北', '湖北', '湖南', '湖南'])],
]);
const panel = buildPanel(frame, 'id', 't');
const ev = (src: string) => Array.from(evaluate(parseExpr(src), { frame, panel, target: 'v' }).values);

describe('expressions', () => {
  it('follows precedence: unary minus binds looser than ^, and/or/not', () => {
    expect(ev('-x^2')).toEqual([-1, -4, -16, -100, -400]);
    expect(ev('1 + 2 * 3 ^ 2')).toEqual([19, 19, 19, 19, 19]);
    expect(ev('x > 1 and x < 10 or x == 20')).toEqual([0, 1, 1, 0, 1]);
    expect(ev('not x > 1')).toEqual([1, 0, 0, 0, 0]);
  });
  it('lags follow the panel and never close gaps', () => {
    expect(ev('lag(x, 1)')).toEqual([NaN, 1, NaN, 20, NaN]);
    expect(ev('lead(x)')).toEqual([2, NaN, NaN, NaN, 10]);
    expect(ev('diff(x)')).toEqual([NaN, 1, NaN, -10, NaN]);
    expect(ev('lag(x, 2)')).toEqual([NaN, NaN, 2, NaN, NaN]);
  });
  it('log of non-positive values is missing and counted', () => {
    const r = evaluate(parseExpr('log(x - 2)'), { frame, panel, target: 'v' });
    expect(Array.from(r.values).map((v) => (Number.isNaN(v) ? null : +v.toFixed(6)))).toEqual([
      null,
      null,
      +Math.LN2.toFixed(6),
      2.079442,
      2.890372,
    ]);
    expect(r.notes).toEqual([expect.objectContaining({ code: 'DATA_LOG_NONPOSITIVE' })]);
  });
  it('compares text columns with text literals and propagates missing values', () => {
    expect(ev("prov == '湖北'")).toEqual([1, 1, 1, 0, 0]);
    expect(ev('if(x > 3, x, 0)')).toEqual([0, 0, 4, 10, 20]);
    expect(ev('lag(x) > 0')).toEqual([NaN, 1, NaN, 1, NaN]);
    expect(ev('is_na(lag(x))')).toEqual([1, 0, 1, 0, 1]);
  });
  it('group statistics work within group and period', () => {
    // period 2000: a=1, b=20; 2001: a=2, b=10; 2003: a=4
    expect(ev('group_mean(x, g)')).toEqual([10.5, 6, 4, 6, 10.5]);
    expect(ev('group_rank(x, g)')).toEqual([2, 2, 1, 1, 1]);
    expect(ev('group_sum(x, g)')).toEqual([21, 12, 4, 12, 21]);
  });
  it('reports syntax errors with the offset of the offending character', () => {
    expect(() => parseExpr('log(x')).toThrow(ExprSyntaxError);
    expect(() => parseExpr('x + * 2')).toThrow(expect.objectContaining({ offset: 4 }));
    expect(() => parseExpr('x = 2')).toThrow(/==/);
  });
  it('lists referenced names and prints a canonical form independent of spacing', () => {
    expect([...referencedNames(parseExpr('log(a) + lag(b, 1) * a'))].sort()).toEqual(['a', 'b']);
    expect(canonical(parseExpr('(a+b)*c'))).toBe(canonical(parseExpr(' ( a + b ) * c ')));
    expect(parseExpr('`年末 人口` / 2')).toMatchObject({ kind: 'binary', left: { kind: 'var', name: '年末 人口' } });
  });
});

describe('formulas', () => {
  it('expands lag ranges into one term per lag, lag 0 being the variable', () => {
    const f = parseFormula('n ~ lag(n, 1:2) + lag(w, 0:1) + k | firm + year');
    expect(f.dependent.name).toBe('n');
    expect(f.regressors.map((t) => t.name)).toEqual(['lag(n,1)', 'lag(n,2)', 'w', 'lag(w,1)', 'k']);
    expect(f.fixedEffects).toEqual(['firm', 'year']);
  });
  it('rejects what is not a term, with the position', () => {
    expect(() => parseFormula('y x')).toThrow(/~/);
    expect(() => parseFormula('y ~ log(x)')).toThrow(/derived variable/);
    expect(() => parseFormula('y ~ x + x')).toThrow(/twice/);
    expect(() => parseFormula('y ~ a b')).toThrow(expect.objectContaining({ offset: 6 }));
  });
});
