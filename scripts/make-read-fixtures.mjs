// Writes the small committed fixtures of the data readers (tests/fixtures/read/). Run: node scripts/make-read-fixtures.mjs
// The GBK file is encoded by iconv(1), an encoder independent of the decoder under test (ICU via TextDecoder).
// The .xlsx is written by exceljs with fixed document dates, so re-running gives the same cells; its zip bytes differ
// from run to run (zip entry timestamps), so commit a regenerated .xlsx only when its cells change (the tests read
// cells, not bytes).
import { writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'tests', 'fixtures', 'read');
mkdirSync(dir, { recursive: true });
const put = (name, data) => writeFileSync(join(dir, name), data);

// 1. GBK with Chinese headers and city names (as a Chinese Excel "CSV" export writes it: CRLF, no BOM).
const gbkText =
  [
    '城市,年份,地区生产总值（万元）,年末总人口（万人）,城市群',
    '北京市,2008,111150000,1695,京津冀',
    '天津市,2008,67190100,1176,京津冀',
    '石家庄市,2008,,989,京津冀',
    '上海市,2008,141640000,1888,长三角',
    '襄樊市,2009,12010000.5,NA,长江中游',
  ].join('\r\n') + '\r\n';
put('gbk-chinese.csv', execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: gbkText }));
// The same table in UTF-8, to compare the two reads cell by cell.
put('gbk-chinese.utf8.csv', gbkText);

// 2. UTF-8 with a byte-order mark (Excel's "CSV UTF-8"), LF, no final newline.
put('utf8-bom.csv', '\ufeff' + ['city,year,gdp', '广州市,2010,107482.8', '深圳市,2010,95815.5'].join('\n'));

// 3. RFC 4180 quoting: delimiter, doubled quotes and a newline inside quotes; CRLF; blank line; padded numbers.
put(
  'quotes-newlines.csv',
  [
    'id,name,note,value',
    '1,"Wuhan, Hubei","said ""hello""", 3.5 ',
    '2,Xi\'an,"two',
    'lines",-1e-3',
    '',
    '3,"","",  7',
  ].join('\r\n') + '\r\n',
);

// 4. A numeric column with one non-numeric cell (row 4 as a spreadsheet counts it, header = row 1).
put('non-numeric.csv', ['unit,year,gdp', 'a,2008,1.5', 'a,2009,2.5', 'a,2010,n/a', 'a,2011,4'].join('\n') + '\n');

// 5. An .xlsx with two sheets and Chinese headers: numbers, text, a number stored as text, a formula with a saved
// result, an Excel error value, a date, TRUE/FALSE, an empty cell, an NA string.
const wb = new ExcelJS.Workbook();
wb.creator = 'specrun fixtures';
wb.created = new Date(Date.UTC(2024, 0, 1));
wb.modified = new Date(Date.UTC(2024, 0, 1));
const s1 = wb.addWorksheet('城市');
s1.addRow(['城市', '年份', '人口', '人均GDP', '是否中心', '统计日期', '备注']);
s1.addRow(['北京市', 2008, 1695, { formula: 'C2*2', result: 3390 }, true, new Date(Date.UTC(2008, 11, 31)), 'ok']);
s1.addRow(['天津市', 2008, '1176', { error: '#DIV/0!' }, false, new Date(Date.UTC(2008, 11, 31)), null]);
s1.addRow(['石家庄市', 2008, 'NA', 2.25, false, new Date(Date.UTC(2008, 11, 31, 12, 30)), 'x']);
s1.addRow([]);
const s2 = wb.addWorksheet('省份');
s2.addRow(['省份', '人口']);
s2.addRow(['河北省', 7034.4]);
s2.addRow(['湖北省', 5711]);
await wb.xlsx.writeFile(join(dir, 'two-sheets.xlsx'));

console.log(`fixtures written to ${dir}`);
