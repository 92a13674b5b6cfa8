// CSV reading at the scale of issue 9: a 50,000 units × 20 years panel with 5% of unit-years missing (~950,000
// rows; unit, year, y and 5 regressors with 6 decimals), written once to /tmp. Times specrun's readCsv (bytes →
// typed columns) and, in the same run, the baselines: csv-parse and papaparse when installed in /tmp/cmp
// (`mkdir -p /tmp/cmp && cd /tmp/cmp && npm init -y && npm i papaparse csv-parse`), and always a plain
// split-lines + Number() reader. Every reader must produce the same column sums, which the bench checks.
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { readCsv } from '../dist/data/read/csv.js';
import { frameToCsvBytes } from '../dist/io/write-csv.js';
import { mulberry32 } from './lib.mjs';

export const name = 'csv: read a 950,000-row panel CSV';

const UNITS = 50_000;
const YEARS = 20;
const REPS = 3;

const rng = mulberry32;

function makePanel(path) {
  const r = rng(20260101);
  const parts = ['unit,year,y,x1,x2,x3,x4,x5\n'];
  let rows = 0;
  let chunk = '';
  for (let u = 1; u <= UNITS; u++) {
    for (let t = 0; t < YEARS; t++) {
      if (r() < 0.05) continue;
      const x = [0, 0, 0, 0, 0].map(() => (r() * 20 - 10).toFixed(6));
      const y = (r() * 100 - 50).toFixed(6);
      chunk += `${u},${2000 + t},${y},${x.join(',')}\n`;
      rows++;
    }
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  writeFileSync(path, parts.join(''));
  return rows;
}

function makeTextPanel(from, to) {
  const lines = readFileSync(from, 'utf8').split('\n');
  const prov = ['北京市', '天津市', '河北省', '山西省', '湖北省', '广东省'];
  const out = ['firm,prov,' + lines[0].split(',').slice(1).join(',')];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const f = lines[i].split(',');
    const u = Number(f[0]);
    out.push(`F${String(u).padStart(6, '0')},${prov[u % 6]},${f.slice(1).join(',')}`);
  }
  writeFileSync(to, out.join('\n') + '\n');
}

/** Plain baseline with the first `ntext` columns as text (factor codes through a Map). */
function plainReadText(bytes, ntext) {
  const text = new TextDecoder().decode(bytes);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const ncol = lines[0].split(',').length;
  const n = lines.length - 1;
  const cols = Array.from({ length: ncol }, (_, j) => (j < ntext ? new Int32Array(n) : new Float64Array(n)));
  const maps = Array.from({ length: ntext }, () => new Map());
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    for (let j = 0; j < ncol; j++) {
      if (j < ntext) {
        let c = maps[j].get(f[j]);
        if (c === undefined) {
          c = maps[j].size;
          maps[j].set(f[j], c);
        }
        cols[j][i] = c;
      } else cols[j][i] = Number(f[j]);
    }
  }
  return cols;
}

function sums(cols) {
  return cols.map((c) => {
    let s = 0;
    for (let i = 0; i < c.length; i++) s += c[i];
    return s;
  });
}

/** The plain baseline: decode, split into lines and fields, Number() each cell into typed arrays. */
function plainRead(bytes) {
  const text = new TextDecoder().decode(bytes);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const ncol = lines[0].split(',').length;
  const n = lines.length - 1;
  const cols = Array.from({ length: ncol }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(',');
    for (let j = 0; j < ncol; j++) cols[j][i] = Number(f[j]);
  }
  return cols;
}

/** Best of `reps` runs: wall time and CPU time (user + system; steadier than wall time on a shared machine). */
function time(fn, reps = REPS) {
  let best = Infinity;
  let bestCpu = Infinity;
  let out;
  for (let k = 0; k < reps; k++) {
    out = undefined;
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    out = fn();
    best = Math.min(best, performance.now() - t0);
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
  }
  return { ms: best, cpu: bestCpu, out };
}

/** data.table::fread on the same file, timed inside R (no R start-up), when R and data.table are installed. */
function freadMs(path) {
  try {
    const out = execFileSync(
      'Rscript',
      [
        '-e',
        `suppressMessages(library(data.table)); setDTthreads(1); f <- "${path}"; invisible(fread(f)); ` +
          `t <- min(sapply(1:3, function(i) system.time(fread(f))[["elapsed"]])); cat(sprintf("%.4f\\n", t))`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 },
    );
    const t = Number(out.trim().split('\n').pop());
    return Number.isFinite(t) ? t * 1000 : null;
  } catch {
    return null;
  }
}

export async function run() {
  const dir = '/tmp/specrun-bench';
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `panel-${UNITS}x${YEARS}.csv`);
  if (!existsSync(path)) makePanel(path);
  const mb = statSync(path).size / 1e6;

  const t0 = performance.now();
  const bytes = readFileSync(path);
  const readMs = performance.now() - t0;
  console.log(`file: ${path}, ${mb.toFixed(1)} MB (readFileSync ${readMs.toFixed(0)} ms, not included below)`);

  const rssBefore = process.memoryUsage().rss;
  const ours = time(() => readCsv(bytes, { file: path }));
  const frame = ours.out.frame;
  const names = frame.names;
  const ourSums = sums(names.map((n) => frame.numeric(n)));
  const rssAfter = process.memoryUsage().rss;
  const peakOurs = process.resourceUsage().maxRSS / 1024;
  console.log(`rows: ${frame.nrows}, columns: ${names.length}`);
  const line = (label, r) =>
    console.log(
      `${label.padEnd(36)} ${r.ms.toFixed(0).padStart(6)} ms wall ${r.cpu.toFixed(0).padStart(6)} ms cpu   ` +
        `specrun/this: wall ${(ours.ms / r.ms).toFixed(2)}, cpu ${(ours.cpu / r.cpu).toFixed(2)}`,
    );
  console.log(
    `${'specrun readCsv (best of 3)'.padEnd(36)} ${ours.ms.toFixed(0).padStart(6)} ms wall ` +
      `${ours.cpu.toFixed(0).padStart(6)} ms cpu   (${(mb / (ours.ms / 1000)).toFixed(0)} MB/s; rss +${((rssAfter - rssBefore) / 1e6).toFixed(0)} MB)`,
  );

  const check = (label, cols) => {
    const s = sums(cols);
    const bad = s.some((v, j) => Math.abs(v - ourSums[j]) > 1e-6 * Math.max(1, Math.abs(ourSums[j])));
    if (bad) console.log(`  !! ${label} column sums differ from specrun's`);
  };

  const plain = time(() => plainRead(bytes));
  check('plain', plain.out);
  line('plain split + Number() (best of 3)', plain);

  const cmp = '/tmp/cmp/node_modules';
  if (existsSync(join(cmp, 'csv-parse'))) {
    const { parse } = await import(pathToFileURL(join(cmp, 'csv-parse', 'dist', 'esm', 'sync.js')).href);
    // csv-parse returns arrays of strings per row; the conversion to typed columns is part of the job.
    const r = time(() => {
      const rows = parse(new TextDecoder().decode(bytes), { from_line: 2 });
      const cols = names.map(() => new Float64Array(rows.length));
      for (let i = 0; i < rows.length; i++) for (let j = 0; j < cols.length; j++) cols[j][i] = Number(rows[i][j]);
      return cols;
    }, 1);
    check('csv-parse', r.out);
    line('csv-parse sync (1 run)', r);
  } else console.log('csv-parse: not installed in /tmp/cmp (skipped)');
  if (existsSync(join(cmp, 'papaparse'))) {
    const Papa = (await import(pathToFileURL(join(cmp, 'papaparse', 'papaparse.js')).href)).default;
    const r = time(() => {
      const res = Papa.parse(new TextDecoder().decode(bytes), { dynamicTyping: true, skipEmptyLines: true });
      const rows = res.data;
      const cols = names.map(() => new Float64Array(rows.length - 1));
      for (let i = 1; i < rows.length; i++) for (let j = 0; j < cols.length; j++) cols[j][i - 1] = rows[i][j];
      return cols;
    }, 1);
    check('papaparse', r.out);
    line('papaparse dynamicTyping (1 run)', r);
  } else console.log('papaparse: not installed in /tmp/cmp (skipped)');
  // The same panel with text columns: a firm id (F000123) and a province name in Chinese, as firm-level data
  // often has. Compared with the plain baseline (split + Map of strings for the text columns).
  const textPath = join(dir, `panel-${UNITS}x${YEARS}-text.csv`);
  if (!existsSync(textPath)) makeTextPanel(path, textPath);
  const tbytes = readFileSync(textPath);
  const tours = time(() => readCsv(tbytes, { file: textPath }));
  const tplain = time(() => plainReadText(tbytes, 2));
  console.log(
    `text ids + Chinese names (${(tbytes.length / 1e6).toFixed(1)} MB): specrun ${tours.ms.toFixed(0)} ms wall ` +
      `${tours.cpu.toFixed(0)} ms cpu; plain ${tplain.ms.toFixed(0)} ms wall ${tplain.cpu.toFixed(0)} ms cpu; ` +
      `specrun/plain: wall ${(tours.ms / tplain.ms).toFixed(2)}, cpu ${(tours.cpu / tplain.cpu).toFixed(2)}`,
  );
  const fids = tours.out.frame.get('firm');
  if (!fids || fids.levels.length !== UNITS) console.log('  !! firm ids not read as text levels');

  // Writing the frame back (specrun data --out): frameToCsvBytes against a plain rows.join(',') writer.
  const w = time(() => frameToCsvBytes(frame), 2);
  const wplain = time(() => {
    const cols = names.map((nm) => frame.numeric(nm));
    const out = [names.join(',')];
    for (let i = 0; i < frame.nrows; i++) out.push(cols.map((c) => (Number.isNaN(c[i]) ? '' : String(c[i]))).join(','));
    return new TextEncoder().encode(out.join('\n') + '\n');
  }, 2);
  if (w.out.length !== wplain.out.length) console.log('  !! writer outputs differ in length');
  console.log(
    `write CSV (frameToCsvBytes, best of 2) ${w.ms.toFixed(0)} ms wall ${w.cpu.toFixed(0)} ms cpu; ` +
      `plain join ${wplain.ms.toFixed(0)} ms wall ${wplain.cpu.toFixed(0)} ms cpu; ` +
      `specrun/plain: wall ${(w.ms / wplain.ms).toFixed(2)}, cpu ${(w.cpu / wplain.cpu).toFixed(2)}`,
  );

  const fr = freadMs(path);
  if (fr !== null) {
    console.log(
      `${'R data.table::fread, 1 thread'.padEnd(36)} ${fr.toFixed(0).padStart(6)} ms wall` +
        `${''.padStart(17)}specrun/this: wall ${(ours.ms / fr).toFixed(2)}`,
    );
  } else console.log('R data.table: not installed (skipped)');
  console.log(
    `peak rss: ${peakOurs.toFixed(0)} MB after specrun's reads (file bytes included), ` +
      `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB after the baselines`,
  );
}
