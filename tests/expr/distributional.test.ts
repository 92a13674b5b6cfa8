/** winsor / trim / standardize / quantile, pooled and by group, and matches(): R's type-7 quantiles, counted changes. */
import { describe, expect, it } from 'vitest';
import { Frame, textColumn } from '../../engine/core/frame.js';
import { evaluate } from '../../engine/expr/evaluate.js';
import { parseExpr } from '../../engine/expr/parse.js';

const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NaN, 100]);
const g = textColumn(['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'b', 'b']);
const frame = new Frame(x.length, [
  ['x', x],
  ['g', g],
  ['name', textColumn(['河北省', '石家庄市', null, '注：x', '唐山市', 'a', 'b', 'c', 'd', 'e', 'f', 'g'])],
]);
const run = (e: string) =>
  evaluate(parseExpr(e), { frame, panel: { unit: null, time: null, unitLabels: null }, target: 'v' });

describe('distributional functions', () => {
  it('quantile interpolates between order statistics as R quantile(type = 7) does', () => {
    // R: quantile(c(1:10, 100), 0.1) = 2; quantile(1:10, 0.1) = 1.9
    expect(run('quantile(x, 0.1)').values[0]).toBeCloseTo(2, 12);
    expect(run('quantile(x, 0.1, g)').values[0]).toBeCloseTo(1.9, 12);
    expect(run('quantile(x, 0.5, g)').values[11]).toBe(100);
  });

  it('winsor clamps to the p and 1−p quantiles within the group and counts the cells it changed', () => {
    const r = run('winsor(x, 0.1, g)');
    expect(Array.from(r.values.slice(0, 10))).toEqual(
      [1.9, 2, 3, 4, 5, 6, 7, 8, 9, 9.1].map((v) => expect.closeTo(v, 12)),
    );
    expect(Number.isNaN(r.values[10]!)).toBe(true);
    expect(r.values[11]).toBe(100);
    expect(r.notes).toEqual([
      expect.objectContaining({ code: 'DATA_OUTLIER_CHANGED', message: 'v: winsor() changed 2 cell(s)' }),
    ]);
  });

  it('trim sets the tails missing; pooled, 100 is the one above the 0.9 quantile', () => {
    const r = run('trim(x, 0.1)');
    expect(Number.isNaN(r.values[0]!)).toBe(true);
    expect(Number.isNaN(r.values[11]!)).toBe(true);
    expect(r.values[1]).toBe(2);
    expect(r.notes[0]!.message).toBe('v: trim() changed 2 cell(s)');
  });

  it('standardize uses the n − 1 standard deviation, within the group', () => {
    const r = run('standardize(x, g)');
    const sd = Math.sqrt(82.5 / 9);
    expect(r.values[0]).toBeCloseTo((1 - 5.5) / sd, 12);
    expect(Number.isNaN(r.values[11]!)).toBe(true); // one value: no standard deviation
  });

  it('matches tests a text column against a regular expression; missing stays missing', () => {
    expect(Array.from(run("matches(name, '(省|自治区)$|^注')").values.slice(0, 5))).toEqual([1, 0, NaN, 1, 0]);
  });
});
