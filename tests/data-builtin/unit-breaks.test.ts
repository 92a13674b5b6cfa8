import { describe, expect, it } from 'vitest';
import { Frame } from '../../engine/core/frame.js';
import { checkUnitBreaks } from '../../engine/data/unit-breaks.js';

// 5 units × 6 years of a series growing 10% a year; `spike` holds one year (2011) in 美元 instead of 万美元,
// `stays` switches to 元 from 2012 on for good.
function frame(): Frame {
  const year: number[] = [];
  const smooth: number[] = [];
  const spike: number[] = [];
  const stays: number[] = [];
  for (let u = 0; u < 5; u++) {
    for (let t = 2008; t <= 2013; t++) {
      const v = (u + 1) * 1000 * Math.pow(1.1, t - 2008);
      year.push(t);
      smooth.push(v);
      spike.push(t === 2011 ? v * 10000 : v);
      stays.push(t >= 2012 ? v * 10000 : v);
    }
  }
  return new Frame(year.length, [
    ['year', Float64Array.from(year)],
    ['smooth', Float64Array.from(smooth)],
    ['spike', Float64Array.from(spike)],
    ['stays', Float64Array.from(stays)],
  ]);
}

describe('checkUnitBreaks', () => {
  it('flags a one-period unit change once, with the fix that undoes it', () => {
    const notes = checkUnitBreaks(frame(), null, 'year', ['spike']);
    expect(notes.map((n) => n.code)).toEqual(['DATA_UNIT_BREAK']);
    expect(notes[0]!.message).toMatch(/spike: the median across units jumps 11000× from 2010 to 2011/);
    expect(notes[0]!.message).toMatch(/where: "year == 2011", multiply: 0\.0001/);
  });

  it('flags a change that stays, and is silent on a smooth series', () => {
    const f = frame();
    expect(checkUnitBreaks(f, null, 'year', ['smooth'])).toEqual([]);
    const notes = checkUnitBreaks(f, null, 'year', ['stays']);
    expect(notes.map((n) => n.code)).toEqual(['DATA_UNIT_BREAK']);
    expect(notes[0]!.message).toMatch(/from 2011 to 2012/);
    expect(notes[0]!.message).toMatch(/where: "year >= 2012", multiply: 0\.0001/);
  });

  it('checks every numeric column but the time when none are named', () => {
    const notes = checkUnitBreaks(frame(), null, 'year');
    expect(notes.length).toBe(2);
  });

  it('does not flag a jump below the threshold (a 20× rise) but does at a lower one', () => {
    const f = new Frame(6, [
      ['year', Float64Array.from([2008, 2008, 2008, 2009, 2009, 2009])],
      ['x', Float64Array.from([1, 2, 3, 20, 40, 60])],
    ]);
    expect(checkUnitBreaks(f, null, 'year', ['x'])).toEqual([]);
    expect(checkUnitBreaks(f, null, 'year', ['x'], { ratio: 10 }).length).toBe(1);
  });
});
