import { describe, expect, it } from 'vitest';
import { Frame, textColumn, type Column } from '../../engine/core/frame.js';
import { frameToCsv, frameToCsvBytes, frameToCsvChunks, csvField } from '../../engine/io/write-csv.js';
import { readCsv } from '../../engine/data/read/csv.js';

function cells(c: Column | undefined): (number | string | null)[] {
  if (!c) throw new Error('no such column');
  if (c instanceof Float64Array) return [...c].map((v) => (Number.isNaN(v) ? null : v));
  return [...c.codes].map((k) => (k < 0 ? null : c.levels[k]!));
}

describe('frameToCsv', () => {
  it('writes the exact expected text: header, quoting, missing values, shortest numbers', () => {
    const f = new Frame(3, [
      ['city', textColumn(['Wuhan, Hubei', 'say "hi"', null])],
      ['y', Float64Array.from([0.1, NaN, -1e-7])],
      ['note', textColumn(['two\nlines', ' padded', '北京'])],
      ['n', Float64Array.from([1e21, -0, 2008])],
    ]);
    expect(frameToCsv(f)).toBe(
      'city,y,note,n\n' +
        '"Wuhan, Hubei",0.1,"two\nlines",1e+21\n' +
        '"say ""hi""",," padded",0\n' +
        ',-1e-7,北京,2008\n',
    );
  });

  it('writes only the named columns, in that order', () => {
    const f = new Frame(2, [
      ['a', Float64Array.from([1, 2])],
      ['b', Float64Array.from([3, 4])],
    ]);
    expect(frameToCsv(f, ['b', 'a'])).toBe('b,a\n3,1\n4,2\n');
    expect(() => frameToCsv(f, ['zz'])).toThrow(/zz/);
  });

  it('reads back to the same values through readCsv (numbers to the last bit)', () => {
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    const n = 2000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = i % 5;
      x[i] =
        k === 0
          ? NaN
          : k === 1
            ? (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20)
            : k === 2
              ? Math.round(rnd() * 1e6)
              : rnd() / 3;
    }
    const labels = ['a', 'b,c', 'd"e', 'f\r\ng', ' h', '城市', 'NA_not', '1x'];
    const t = textColumn(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : labels[i % labels.length]!)));
    const f = new Frame(n, [
      ['x', x],
      ['label', t],
    ]);
    const back = readCsv(new TextEncoder().encode(frameToCsv(f)), { file: 'rt.csv' });
    expect(back.frame.names).toEqual(['x', 'label']);
    const bx = back.frame.numeric('x');
    for (let i = 0; i < n; i++)
      expect(Object.is(bx[i], x[i]) || (Number.isNaN(bx[i]) && Number.isNaN(x[i]))).toBe(true);
    expect(cells(back.frame.get('label'))).toEqual(cells(t));
  });

  it('chunks join to the same text and the output is deterministic', () => {
    const n = 5000;
    const f = new Frame(n, [['i', Float64Array.from({ length: n }, (_, i) => i / 7)]]);
    const whole = frameToCsv(f);
    const chunks = [...frameToCsvChunks(f, undefined, 1000)];
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join('')).toBe(whole);
    expect(frameToCsv(f)).toBe(whole);
  });

  it('quotes a field only when needed', () => {
    expect(['plain', 'a,b', 'q"', 'x\ny', 'r\r', ' lead', 'trail\t', '', '中文'].map(csvField)).toEqual([
      'plain',
      '"a,b"',
      '"q"""',
      '"x\ny"',
      '"r\r"',
      '" lead"',
      '"trail\t"',
      '""',
      '中文',
    ]);
  });
});

describe('number formatting', () => {
  it('prints every number exactly as String() does (Inf aside), over many magnitudes and forms', () => {
    let seed = 2024;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    const values: number[] = [
      0,
      -0,
      1,
      -1,
      0.1,
      0.2,
      0.3,
      1e-6,
      9.99e-7,
      1e-7,
      1e15,
      1e15 - 0.5,
      999999999999999.9,
      2 ** 53,
      2 ** 53 - 1,
      -(2 ** 53) + 1,
      2 ** 60,
      1e21,
      1e22,
      123456789.123456,
      5e-324,
      Number.MAX_VALUE,
      0.000001234,
      1.5e-5,
      4.35,
      100.001,
      7.000000000000001,
    ];
    for (let i = 0; i < 20000; i++) {
      const mag = 10 ** Math.floor(rnd() * 30 - 12);
      const x = (rnd() - 0.5) * mag;
      values.push(x);
      values.push(Number(x.toFixed(Math.floor(rnd() * 10))));
      values.push(Number(x.toPrecision(1 + Math.floor(rnd() * 16))));
      values.push(Math.round(x));
    }
    const f = new Frame(values.length, [['v', Float64Array.from(values)]]);
    const lines = frameToCsv(f).split('\n');
    values.forEach((v, i) => {
      if (lines[i + 1] !== String(v)) throw new Error(`value ${i}: wrote ${lines[i + 1]}, String() gives ${String(v)}`);
    });
    const inf = new Frame(2, [['v', Float64Array.from([Infinity, -Infinity])]]);
    expect(frameToCsv(inf)).toBe('v\nInf\n-Inf\n');
  });

  it('bytes and string forms agree, including non-ASCII text and an empty frame', () => {
    const f = new Frame(2, [
      ['城市', textColumn(['武汉', 'a"b'])],
      ['x', Float64Array.from([1.25, NaN])],
    ]);
    const s = frameToCsv(f);
    expect(s).toBe('城市,x\n武汉,1.25\n"a""b",\n');
    expect(new TextDecoder().decode(frameToCsvBytes(f))).toBe(s);
    expect(frameToCsv(new Frame(0, [['a', new Float64Array(0)]]))).toBe('a\n');
  });
});
