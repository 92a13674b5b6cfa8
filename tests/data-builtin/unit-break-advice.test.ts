/**
 * Issue 13, defect 10: a jump of the cross-unit median that no power of ten explains (0.2 → 0.001, ×200) is still
 * flagged, but without a `multiply:` fix, which would corrupt the data.
 */
import { describe, expect, it } from 'vitest';
import { Frame } from '../../engine/core/frame.js';
import { checkUnitBreaks } from '../../engine/data/unit-breaks.js';

function series(values: (t: number, u: number) => number): Frame {
  const year: number[] = [];
  const x: number[] = [];
  for (let u = 0; u < 5; u++)
    for (let t = 2008; t <= 2013; t++) {
      year.push(t);
      x.push(values(t, u));
    }
  return new Frame(year.length, [
    ['year', Float64Array.from(year)],
    ['x', Float64Array.from(x)],
  ]);
}

describe('unit-break advice (defect 10)', () => {
  it('a ×200 drop is flagged as a jump with no fix recommended', () => {
    const f = series((t, u) => (t < 2011 ? 0.2 : 0.001) * (1 + u / 100));
    const notes = checkUnitBreaks(f, null, 'year', ['x']);
    expect(notes.map((n) => n.code)).toEqual(['DATA_SERIES_JUMP']);
    expect(notes[0]!.message).not.toMatch(/multiply/);
  });

  it('a ×10,000 jump (万 ↔ 1) keeps its multiply: advice', () => {
    const f = series((t, u) => (t === 2011 ? 10000 : 1) * (u + 1));
    const notes = checkUnitBreaks(f, null, 'year', ['x']);
    expect(notes.map((n) => n.code)).toEqual(['DATA_UNIT_BREAK']);
    expect(notes[0]!.message).toMatch(/multiply: 0\.0001/);
  });
});
