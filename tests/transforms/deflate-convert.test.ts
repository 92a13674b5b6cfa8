import { describe, expect, it } from 'vitest';
import { deflateTransform as deflateModule } from '../../engine/transforms/deflate.js';
import { convertTransform as convertModule } from '../../engine/transforms/convert.js';
import { normalizing } from '../helpers/transforms.js';

const deflateTransform = normalizing(deflateModule);
const convertTransform = normalizing(convertModule);
import { codes, panel } from './helpers.js';

const col = (out: { columns: readonly (readonly [string, unknown])[] }) =>
  Array.from(out.columns[0]![1] as Float64Array);

describe('deflate', () => {
  // nominal 200, 220, 250 with prices rising 10% then 13.6363…%: real = 200 each year at 2008 prices
  it('fixed-base index: real = value / (I_t / I_base), at the first period by default and at any base', () => {
    const ctx = panel(['a', 'a', 'a'], [2008, 2009, 2010], { v: [200, 220, 250], idx: [100, 110, 125] });
    col(deflateTransform.compute('r', { deflate: { value: 'v', index: 'idx' } }, ctx)).forEach((x) =>
      expect(x).toBeCloseTo(200, 10),
    );
    const at2009 = col(deflateTransform.compute('r', { deflate: { value: 'v', index: 'idx', base: 2009 } }, ctx));
    at2009.forEach((x) => expect(x).toBeCloseTo(220, 10));
    // an index on another scale (2008 = 1.0) gives the same result
    const ctx1 = panel(['a', 'a', 'a'], [2008, 2009, 2010], { v: [200, 220, 250], idx: [1, 1.1, 1.25] });
    col(deflateTransform.compute('r', { deflate: { value: 'v', index: 'idx' } }, ctx1)).forEach((x) =>
      expect(x).toBeCloseTo(200, 10),
    );
  });

  it('chained index (previous = 100): levels are products of the changes, forward and backward from the base', () => {
    // chained 110 (2009 on 2008), 113.6363… (2010 on 2009) → levels 1, 1.1, 1.25 at base 2008
    const ctx = panel(['a', 'a', 'a'], [2008, 2009, 2010], { v: [200, 220, 250], idx: [107, 110, 125 / 1.1] });
    col(deflateTransform.compute('r', { deflate: { value: 'v', index: 'idx', index_type: 'chained' } }, ctx)).forEach(
      (x) => expect(x).toBeCloseTo(200, 10),
    );
    // base 2010: levels 1/1.25, 1.1/1.25, 1 → real = 250 each year
    col(
      deflateTransform.compute('r', { deflate: { value: 'v', index: 'idx', index_type: 'chained', base: 2010 } }, ctx),
    ).forEach((x) => expect(x).toBeCloseTo(250, 10));
    // the same chain written as ratios (index_scale 1)
    const ctx1 = panel(['a', 'a', 'a'], [2008, 2009, 2010], { v: [200, 220, 250], idx: [1.07, 1.1, 1.25 / 1.1] });
    col(
      deflateTransform.compute(
        'r',
        { deflate: { value: 'v', index: 'idx', index_type: 'chained', index_scale: 1 } },
        ctx1,
      ),
    ).forEach((x) => expect(x).toBeCloseTo(200, 10));
  });

  it('a missing chained index breaks the chain beyond it, counted in a note', () => {
    const ctx = panel(['a', 'a', 'a', 'a'], [2008, 2009, 2010, 2011], {
      v: [200, 220, 250, 260],
      idx: [100, 110, null, 104],
    });
    const out = deflateTransform.compute('r', { deflate: { value: 'v', index: 'idx', index_type: 'chained' } }, ctx);
    const r = col(out);
    expect(r[0]).toBeCloseTo(200, 10);
    expect(r[1]).toBeCloseTo(200, 10);
    expect(r.slice(2).every(Number.isNaN)).toBe(true);
    expect(codes(out.notes)).toEqual(['DATA_VALUE_MISSING']);
    expect(out.notes[0]!.message).toMatch(/2 row/);
  });

  it('multiplies by a rate column before deflating; a unit without an index at the base is missing with a note', () => {
    const ctx = panel(['a', 'a', 'b', 'b'], [2008, 2009, 2008, 2009], {
      usd: [10, 12, 5, null],
      rate: [6.9, 6.8, 6.9, 6.8],
      idx: [100, 102, null, 102],
    });
    const out = deflateTransform.compute('r', { deflate: { value: 'usd', index: 'idx', rate: 'rate' } }, ctx);
    const r = col(out);
    expect(r[0]).toBeCloseTo(69, 10);
    expect(r[1]).toBeCloseTo((12 * 6.8) / 1.02, 10);
    expect(r.slice(2).every(Number.isNaN)).toBe(true);
    expect(codes(out.notes).sort()).toEqual(['DATA_VALUE_MISSING', 'DATA_VALUE_MISSING']);
    expect(out.notes.map((n) => n.message).join(' ')).toMatch(/base period 2008/);
  });
});

describe('convert', () => {
  it('value × rate × factor, missing and non-positive rates counted', () => {
    const ctx = panel(['a', 'a', 'a', 'a'], [2008, 2009, 2010, 2011], {
      fdi: [100, 200, null, 50],
      rate: [6.9, 6.8, 6.7, 0],
    });
    const out = convertTransform.compute('fdi_cny', { convert: { value: 'fdi', rate: 'rate', factor: 0.0001 } }, ctx);
    const r = col(out);
    expect(r[0]).toBeCloseTo(0.069, 12);
    expect(r[1]).toBeCloseTo(0.136, 12);
    expect(Number.isNaN(r[2]!) && Number.isNaN(r[3]!)).toBe(true);
    expect(codes(out.notes)).toEqual(['DATA_VALUE_MISSING', 'DATA_VALUE_MISSING']);
    expect(convertTransform.inputs({ convert: { value: 'fdi', rate: 'rate' } })).toEqual(['fdi', 'rate']);
  });
});
