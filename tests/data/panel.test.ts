import { describe, expect, it } from 'vitest';
import { Frame, textColumn } from '../../engine/core/frame.js';
import { buildPanel, duplicateUnitTimes, PanelLookup } from '../../engine/core/panel.js';

function panelOf(units: string[], times: number[]) {
  const f = new Frame(units.length, [
    ['u', textColumn(units)],
    ['t', Float64Array.from(times)],
  ]);
  return buildPanel(f, 'u', 't');
}

describe('panel', () => {
  it('finds duplicated unit-periods with integer periods', () => {
    const p = panelOf(['a', 'a', 'b', 'a', 'b', 'b'], [2000, 2001, 2000, 2001, 2000, 2000]);
    expect(duplicateUnitTimes(p)).toEqual([
      { unit: 'a', time: 2001, count: 2 },
      { unit: 'b', time: 2000, count: 3 },
    ]);
  });
  it('finds them with fractional periods too, and none in a clean panel', () => {
    expect(duplicateUnitTimes(panelOf(['a', 'a', 'b'], [1.5, 1.5, 1.5]))).toEqual([{ unit: 'a', time: 1.5, count: 2 }]);
    expect(duplicateUnitTimes(panelOf(['a', 'a', 'b'], [1, 2, 1]))).toEqual([]);
  });
  it('looks rows up by unit and period, leads being negative lags', () => {
    const p = panelOf(['a', 'a', 'b'], [2000, 2002, 2000]);
    const lk = new PanelLookup(p);
    expect(lk.rowAt(0, 2002)).toBe(1);
    expect(lk.rowAt(0, 2001)).toBe(-1);
    expect(Array.from(lk.lag(Float64Array.from([1, 2, 3]), -2))).toEqual([2, NaN, NaN]);
  });
});
