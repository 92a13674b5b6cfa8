import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '../../engine/data/read/csv.js';
import { isText, type Column, type TextColumn } from '../../engine/core/frame.js';
import { errorOf } from '../helpers/errors.js';

const fx = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'read', name));
const enc = (s: string) => new TextEncoder().encode(s);

/** The column's cells as JS values: numbers (NaN as null) or strings (missing as null). */
function cells(c: Column | undefined): (number | string | null)[] {
  if (!c) throw new Error('no such column');
  if (c instanceof Float64Array) return [...c].map((v) => (Number.isNaN(v) ? null : v));
  return [...c.codes].map((k) => (k < 0 ? null : c.levels[k]!));
}

describe('readCsv: encodings', () => {
  it('detects GBK bytes (not valid UTF-8) and reads them like the UTF-8 copy of the same table', () => {
    const gbk = readCsv(fx('gbk-chinese.csv'), { file: 'gbk.csv' });
    const utf = readCsv(fx('gbk-chinese.utf8.csv'), { file: 'utf8.csv' });
    expect(gbk.encoding).toBe('gb18030');
    expect(utf.encoding).toBe('utf-8');
    expect(gbk.frame.names).toEqual(['城市', '年份', '地区生产总值（万元）', '年末总人口（万人）', '城市群']);
    expect(gbk.frame.names).toEqual(utf.frame.names);
    for (const n of gbk.frame.names) expect(cells(gbk.frame.get(n))).toEqual(cells(utf.frame.get(n)));
    expect(cells(gbk.frame.get('城市'))).toEqual(['北京市', '天津市', '石家庄市', '上海市', '襄樊市']);
    expect(cells(gbk.frame.get('地区生产总值（万元）'))).toEqual([111150000, 67190100, null, 141640000, 12010000.5]);
    expect(cells(gbk.frame.get('年末总人口（万人）'))).toEqual([1695, 1176, 989, 1888, null]);
    expect(gbk.nonNumeric.get('城市')).toEqual({ row: 2, line: 2, value: '北京市' });
    expect(gbk.nonNumeric.has('年份')).toBe(false);
  });

  it('reads GBK when told gbk or gb18030, and fails clearly when told utf-8', () => {
    for (const encoding of ['gbk', 'gb18030'] as const) {
      const t = readCsv(fx('gbk-chinese.csv'), { file: 'gbk.csv', encoding });
      expect(t.encoding).toBe(encoding);
      expect(cells(t.frame.get('城市群'))).toEqual(['京津冀', '京津冀', '京津冀', '长三角', '长江中游']);
    }
    const e = errorOf(() => readCsv(fx('gbk-chinese.csv'), { file: 'gbk.csv', encoding: 'utf-8' }));
    expect(e.code).toBe('DATA_ENCODING');
    expect(e.args).toMatchObject({ file: 'gbk.csv', encoding: 'utf-8' });
    expect(String(e.args.detail)).toContain('line 1');
  });

  it('reads UTF-16 with a byte-order mark (Excel "Unicode text": tab-delimited)', () => {
    const text = '城市\t人口\r\n武汉市\t1121.2\r\n"襄阳,市"\t565\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [bytes, label] of [
      [le, 'utf-16le'],
      [be, 'utf-16be'],
    ] as const) {
      const t = readCsv(bytes, { file: 'u.txt' });
      expect(t.encoding).toBe(label);
      expect(t.frame.names).toEqual(['城市', '人口']);
      expect(cells(t.frame.get('城市'))).toEqual(['武汉市', '襄阳,市']);
      expect(cells(t.frame.get('人口'))).toEqual([1121.2, 565]);
    }
    const bad = Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8]);
    expect(errorOf(() => readCsv(bad, { file: 'b.txt' })).code).toBe('DATA_ENCODING');
  });

  it('strips a UTF-8 byte-order mark and reads a file without a final newline', () => {
    const t = readCsv(fx('utf8-bom.csv'), { file: 'bom.csv' });
    expect(t.frame.names).toEqual(['city', 'year', 'gdp']);
    expect(t.frame.nrows).toBe(2);
    expect(cells(t.frame.get('city'))).toEqual(['广州市', '深圳市']);
    expect(cells(t.frame.get('gdp'))).toEqual([107482.8, 95815.5]);
  });
});

describe('readCsv: RFC 4180 quoting and layout', () => {
  it('handles delimiters, doubled quotes and newlines inside quotes, CRLF, blank lines and padded numbers', () => {
    const t = readCsv(fx('quotes-newlines.csv'), { file: 'q.csv' });
    expect(t.frame.nrows).toBe(3);
    expect(cells(t.frame.get('id'))).toEqual([1, 2, 3]);
    expect(cells(t.frame.get('name'))).toEqual(['Wuhan, Hubei', "Xi'an", null]);
    expect(cells(t.frame.get('note'))).toEqual(['said "hello"', 'two\r\nlines', null]);
    expect(cells(t.frame.get('value'))).toEqual([3.5, -0.001, 7]);
  });

  it('counts rows as a spreadsheet does and lines as an editor does', () => {
    const t = readCsv(enc('a,b\n1,"x\ny"\n2,3\n3,z\n'), { file: 'l.csv' });
    // b is text from row 2 on; the first non-number is the multi-line cell of row 2.
    expect(t.nonNumeric.get('b')).toEqual({ row: 2, line: 2, value: 'x\ny' });
    const u = readCsv(enc('a,b\n1,"x\ny"\n2,3\n3,4\nq,5\n'), { file: 'l.csv' });
    // Record 4 (row 5) starts on line 6 because record 1 spans two lines.
    expect(u.nonNumeric.get('a')).toEqual({ row: 5, line: 6, value: 'q' });
  });

  it('detects TAB and semicolon delimiters from the header line', () => {
    const tab = readCsv(enc('x\ty\n1,5\t2\n'), { file: 't.txt' });
    expect(tab.frame.names).toEqual(['x', 'y']);
    expect(cells(tab.frame.get('x'))).toEqual(['1,5']);
    const semi = readCsv(enc('x;y\n1;2\n3;4\n'), { file: 's.csv' });
    expect(cells(semi.frame.get('y'))).toEqual([2, 4]);
    const forced = readCsv(enc('x;y,z\n1;2,3\n'), { file: 'f.csv', delimiter: ',' });
    expect(forced.frame.names).toEqual(['x;y', 'z']);
  });

  it('keeps quoted cells verbatim but trims unquoted ones', () => {
    const t = readCsv(enc('a,b\n" x ", y \n'), { file: 'w.csv' });
    expect(cells(t.frame.get('a'))).toEqual([' x ']);
    expect(cells(t.frame.get('b'))).toEqual(['y']);
  });

  it('reads a header-only file as zero rows', () => {
    const t = readCsv(enc('a,b\r\n'), { file: 'h.csv' });
    expect(t.frame.nrows).toBe(0);
    expect(t.frame.numeric('a').length).toBe(0);
  });
});

describe('readCsv: column types and missing values', () => {
  it('reports the first non-numeric cell of a column', () => {
    const t = readCsv(fx('non-numeric.csv'), { file: 'nn.csv' });
    expect(isText(t.frame.get('gdp')!)).toBe(true);
    expect(t.nonNumeric.get('gdp')).toEqual({ row: 4, line: 4, value: 'n/a' });
    // Cells before the switch keep their own spelling, and levels are in order of first appearance.
    expect(cells(t.frame.get('gdp'))).toEqual(['1.5', '2.5', 'n/a', '4']);
    expect((t.frame.get('gdp') as TextColumn).levels).toEqual(['1.5', '2.5', 'n/a', '4']);
    expect(cells(t.frame.get('year'))).toEqual([2008, 2009, 2010, 2011]);
  });

  it('reads the column as numeric when the odd cell is declared missing', () => {
    const t = readCsv(fx('non-numeric.csv'), { file: 'nn.csv', na: ['', 'n/a'] });
    expect(cells(t.frame.get('gdp'))).toEqual([1.5, 2.5, null, 4]);
    expect(t.nonNumeric.has('gdp')).toBe(false);
  });

  it('keeps the spelling of early cells of a column that turns out to be text ("007" stays "007")', () => {
    const t = readCsv(enc('id,v\n007,1\n12,2\n007,3\nA1,4\n12,5\n'), { file: 'id.csv' });
    expect(cells(t.frame.get('id'))).toEqual(['007', '12', '007', 'A1', '12']);
    expect((t.frame.get('id') as TextColumn).levels).toEqual(['007', '12', 'A1']);
    expect(t.nonNumeric.get('id')).toEqual({ row: 5, line: 5, value: 'A1' });
  });

  it('applies the default na strings and custom ones, including a numeric one', () => {
    const t = readCsv(enc('a,b,c\nNA,.,1\nNaN,,2\n-99,3,x\n'), { file: 'na.csv' });
    expect(cells(t.frame.get('a'))).toEqual([null, null, -99]);
    expect(cells(t.frame.get('b'))).toEqual([null, null, 3]);
    const u = readCsv(enc('a,b\n-99,1\n5,-99\n-99.0,2\n'), { file: 'na.csv', na: ['-99'] });
    expect(cells(u.frame.get('a'))).toEqual([null, 5, -99]);
    expect(cells(u.frame.get('b'))).toEqual([1, null, 2]);
  });

  it('an all-missing column is numeric (NaN)', () => {
    const t = readCsv(enc('a,b\n1,\n2,NA\n'), { file: 'm.csv' });
    expect(t.frame.get('b')).toBeInstanceOf(Float64Array);
    expect(cells(t.frame.get('b'))).toEqual([null, null]);
  });

  it('parses every numeric form exactly as Number() does', () => {
    const forms = [
      '0',
      '-0',
      '+3',
      '007',
      '.5',
      '5.',
      '1e5',
      '1E-5',
      '-2.5e+3',
      '123456789012345678',
      '0.1',
      '3.141592653589793238',
      '1e-320',
      '9007199254740993',
      '0.000001234',
      '12345.678901',
    ];
    const t = readCsv(enc('v\n' + forms.join('\n') + '\n'), { file: 'n.csv' });
    const v = t.frame.numeric('v');
    forms.forEach((f, i) => expect(Object.is(v[i], Number(f))).toBe(true));
  });

  it('treats non-plain forms as text', () => {
    // 1e400 overflows to Infinity: text like `Inf`, so that its row is reported, never dropped silently (issue 13).
    for (const f of ['Inf', '0x10', '1e', '-', '1.2.3', '1 2', '"1,000"', '1_000', 'e5', '--1', '1e400', '-1e999']) {
      const t = readCsv(enc(`v\n${f}\n`), { file: 'n.csv' });
      expect(isText(t.frame.get('v')!), f).toBe(true);
    }
  });

  it('agrees with a reference parser on 30,000 random rows (fast path, general path and array growth)', () => {
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const formats = [
      (x: number) => x.toFixed(6),
      (x: number) => String(x),
      (x: number) => x.toExponential(4),
      (x: number) => String(Math.round(x)),
      (x: number) => ` ${x.toFixed(2)} `,
      (x: number) => (x * 1e-30).toString(),
    ];
    // Long lines (padded cells) over the first two thirds of the bytes and short ones after make the row-count
    // estimate, sampled at 8 places, about 5,000 rows: the arrays must grow to 30,000.
    const header = 'a_long_column_name_number_one,a_long_column_name_number_two,a_long_column_name_3';
    const rows: string[][] = [];
    for (let i = 0; i < 30000; i++) {
      rows.push(
        [0, 1, 2].map(() => {
          if (rnd() < 0.03) return 'NA';
          if (i >= 2500) return String(Math.floor(rnd() * 10));
          const cell = formats[Math.floor(rnd() * formats.length)]!((rnd() - 0.5) * 1e4);
          return i < 2000 ? `${' '.repeat(40)}${cell}` : cell;
        }),
      );
    }
    const text = header + '\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
    const t = readCsv(enc(text), { file: 'r.csv' });
    // The same file with a numeric na string takes the general path for every cell.
    const slow = readCsv(enc(text), { file: 'r.csv', na: ['NA', '-123456789'] });
    expect(t.frame.nrows).toBe(30000);
    header.split(',').forEach((name, j) => {
      const fast = t.frame.numeric(name);
      const general = slow.frame.numeric(name);
      for (let i = 0; i < rows.length; i++) {
        const cell = rows[i]![j]!;
        const want = cell === 'NA' ? NaN : Number(cell.trim());
        if (!Object.is(fast[i], want) || !Object.is(general[i], want)) {
          throw new Error(`row ${i} column ${name}: ${cell} read as ${fast[i]} / ${general[i]}`);
        }
      }
    });
  });

  it('reads numbers right at the end of the bytes and after a quoted field that holds the last newline', () => {
    const a = readCsv(enc('a,b,c\n1,2,3\n4,5,-6.25'), { file: 'e.csv' });
    expect(cells(a.frame.get('c'))).toEqual([3, -6.25]);
    const b = readCsv(enc('a,b,c\n1,2,3\n4,"x\ny",6'), { file: 'e.csv' });
    expect(cells(b.frame.get('a'))).toEqual([1, 4]);
    expect(cells(b.frame.get('c'))).toEqual([3, 6]);
    const c = readCsv(enc('a,b\n1,2\n3,4\n'), { file: 'e.csv' });
    expect(cells(c.frame.get('b'))).toEqual([2, 4]);
    const d = readCsv(enc('a,b\r\n12"x",2\r\n'), { file: 'e.csv' });
    expect(cells(d.frame.get('a'))).toEqual(['12"x"']);
  });

  it('one level per text, whatever bytes or quoting spelled it', () => {
    // Unquoted a"b (read leniently), quoted "a""b", padded and quoted forms of the same words.
    const t = readCsv(enc('k,v\na"b,1\n"a""b",2\n x ,3\n"x",4\nx,5\nyy,6\nx,7\nyy,8\n'), { file: 'u.csv' });
    const k = t.frame.get('k') as TextColumn;
    expect(k.levels).toEqual(['a"b', 'x', 'yy']);
    expect([...k.codes]).toEqual([0, 0, 1, 1, 1, 2, 1, 2]);
    const u = readCsv(enc('k\n"a""b"\na"b\n'), { file: 'u.csv' });
    expect((u.frame.get('k') as TextColumn).levels).toEqual(['a"b']);
    // GB18030 decodes 0x80 and 0xA2E3 both to the euro sign: still one level.
    const head = enc('k,v\n');
    const bytes = Uint8Array.from([...head, 0x80, 0x2c, 0x31, 0x0a, 0xa2, 0xe3, 0x2c, 0x32, 0x0a]);
    const g = readCsv(bytes, { file: 'g.csv', encoding: 'gb18030' });
    expect((g.frame.get('k') as TextColumn).levels).toEqual(['€']);
    expect([...(g.frame.get('k') as TextColumn).codes]).toEqual([0, 0]);
  });

  it('non-ASCII na strings in a GBK file are compared after decoding', () => {
    const bytes = Uint8Array.from([...enc('a,b\n1,'), 0xc8, 0xb1, 0xca, 0xa7, ...enc('\n2,3\n')]); // 缺失 in GBK
    const t = readCsv(bytes, { file: 'g.csv', encoding: 'gbk', na: ['', '缺失'] });
    expect(cells(t.frame.get('b'))).toEqual([null, 3]);
    const u = readCsv(bytes, { file: 'g.csv', encoding: 'gbk' });
    expect(cells(u.frame.get('b'))).toEqual(['缺失', '3']);
  });

  it('interns many distinct text values (hash table growth) and keeps them apart', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `firm${i}`);
    const text = 'id,v\n' + ids.map((id, i) => `${id},${i}`).join('\n') + '\n' + ids.map((id) => `${id},0`).join('\n');
    const t = readCsv(enc(text), { file: 'ids.csv' });
    const c = t.frame.get('id') as TextColumn;
    expect(c.levels.length).toBe(5000);
    expect(cells(c)).toEqual([...ids, ...ids]);
  });
});

describe('readCsv: errors', () => {
  const cases: [string, string, string][] = [
    ['duplicate header name', 'a,b,a\n1,2,3\n', 'line 1'],
    ['empty header name', 'a,,c\n1,2,3\n', 'column 2'],
    ['too many fields', 'a,b\n1,2\n3,4,5\n', 'line 3 has 3 field(s), the header has 2'],
    ['too few fields', 'a,b\n1,2\n\n3\n', 'line 4 has 1 field(s)'],
    ['unclosed quote', 'a,b\n1,"2\n3,4\n', 'line 2'],
    ['text after a closing quote', 'a,b\n1,"2"x\n', 'line 2'],
    ['empty file', '', 'empty'],
    ['blank lines only', '\n\r\n', 'empty'],
  ];
  for (const [what, text, detail] of cases) {
    it(`${what} → DATA_PARSE`, () => {
      const e = errorOf(() => readCsv(enc(text), { file: 'bad.csv' }));
      expect(e.code).toBe('DATA_PARSE');
      expect(e.args.file).toBe('bad.csv');
      expect(String(e.args.detail)).toContain(detail);
    });
  }

  it('names the duplicated header column', () => {
    const e = errorOf(() => readCsv(enc('年份,城市,年份\n1,2,3\n'), { file: 'dup.csv' }));
    expect(String(e.args.detail)).toContain('年份');
    expect(String(e.args.detail)).toContain('columns 1 and 3');
  });
});
