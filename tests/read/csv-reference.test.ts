import { describe, expect, it } from 'vitest';
import { readCsv } from '../../engine/data/read/csv.js';
import type { Column } from '../../engine/core/frame.js';

const enc = (s: string) => new TextEncoder().encode(s);

function cells(c: Column | undefined): (number | string | null)[] {
  if (!c) throw new Error('no such column');
  if (c instanceof Float64Array) return [...c].map((v) => (Number.isNaN(v) ? null : v));
  return [...c.codes].map((k) => (k < 0 ? null : c.levels[k]!));
}

/**
 * A slow reference reader on strings, written straight from the rules in csv.ts's header: RFC 4180 fields, blank
 * lines skipped, unquoted cells trimmed, na cells missing, a column numeric when every other cell matches the
 * plain-number grammar (then Number()), else text.
 */
function referenceRead(text: string, na: string[]): { names: string[]; cols: (number | string | null)[][] } {
  const records: { v: string; q: boolean; esc: boolean }[][] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text[i] === '\n') {
      i++;
      continue;
    }
    if (text[i] === '\r') {
      i++;
      if (text[i] === '\n') i++;
      continue;
    }
    const rec: { v: string; q: boolean; esc: boolean }[] = [];
    for (;;) {
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (text[i] === '"') {
        let v = '';
        let esc = false;
        i++;
        for (;;) {
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              v += '"';
              esc = true;
              i += 2;
              continue;
            }
            i++;
            break;
          }
          v += text[i++];
        }
        while (text[i] === ' ' || text[i] === '\t') i++;
        rec.push({ v, q: true, esc });
      } else {
        let v = '';
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') v += text[i++];
        rec.push({ v: v.replace(/[ \t]+$/, ''), q: false, esc: false });
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') {
        i++;
        if (text[i] === '\n') i++;
      } else if (text[i] === '\n') i++;
      break;
    }
    records.push(rec);
  }
  const names = records[0]!.map((f) => f.v.trim());
  const plain = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  const cols = names.map((_, j) => {
    const vals = records
      .slice(1)
      .map((r) => r[j]!)
      .map((f) => (na.includes(f.v) ? null : f));
    const numeric = vals.every((f) => f === null || (plain.test(f.v) && !f.esc));
    return vals.map((f) => (f === null ? null : numeric ? Number(f.v) : f.v));
  });
  return { names, cols };
}

describe('readCsv against a reference reader', () => {
  it('agrees on 300 random small files mixing quoting, blanks, numbers, text and missing cells', () => {
    let seed = 99;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const numbers = ['1', '-2.5', '3e4', '007', '.5', '0.125', '42', '-0', '+7', '123456789012345678'];
    const pieces = ['1', '-2.5', '3e4', 'NA', '', '.', 'abc', '北京', 'x y', '1.5 ', ' 2', 'NaN', 'a"b'];
    const quoted = ['"a,b"', '"say ""hi"""', '"multi\nline"', '"12"', '"NA"', '""', '" pad "', '"x\r\ny"'];
    for (let k = 0; k < 300; k++) {
      const ncol = 1 + Math.floor(rnd() * 4);
      const nrow = Math.floor(rnd() * 30);
      const eol = pick(['\n', '\r\n']);
      // Columns lean numeric or text so that both types, and late switches to text, occur.
      const kinds = Array.from({ length: ncol }, () => rnd());
      const lines = [Array.from({ length: ncol }, (_, j) => `c${j}`).join(',')];
      for (let r = 0; r < nrow; r++) {
        lines.push(
          Array.from({ length: ncol }, (_, j) => {
            const u = rnd();
            if (kinds[j]! < 0.5) return u < 0.93 ? pick(numbers) : pick(['NA', '', 'oops', '"5"']);
            return u < 0.3 ? pick(quoted) : pick(pieces);
          }).join(','),
        );
        if (ncol > 1 && rnd() < 0.05) lines.push('');
      }
      const text = lines.join(eol) + (rnd() < 0.5 ? eol : '');
      const want = referenceRead(text, ['', 'NA', 'NaN', '.']);
      const got = readCsv(enc(text), { file: `r${k}.csv` });
      expect(got.frame.names).toEqual(want.names);
      want.names.forEach((name, j) => {
        expect(cells(got.frame.get(name)), `file ${k} column ${name}:\n${text}`).toEqual(want.cols[j]);
      });
    }
  });

  it('fills the early cells of a late text column across quotes, blank lines and CR line ends', () => {
    const t = readCsv(enc('id,v\r"1",a\r\r2,"b\nc"\r\n3,x\nNA,z\nQ,y\n4,w'), { file: 'late.csv' });
    expect(cells(t.frame.get('id'))).toEqual(['1', '2', '3', null, 'Q', '4']);
    expect(cells(t.frame.get('v'))).toEqual(['a', 'b\nc', 'x', 'z', 'y', 'w']);
    expect(t.nonNumeric.get('id')).toEqual({ row: 6, line: 8, value: 'Q' });
  });
});
