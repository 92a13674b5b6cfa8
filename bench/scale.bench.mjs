// `npm run bench -- scale` (issue 19): the whole process, specrun against R (`Rscript` + `data.table::fread` +
// `fixest::feols`) reading the same CSV file, with wall time and peak memory (maximum resident set size, from
// /usr/bin/time) of each, their ratio, and the largest coefficient and SE difference.
//   1e6: 50,000 units × 20 years (5% of unit-years missing), unit + year FE, 5 regressors, cluster(unit);
//   1e7: 10,000,000 rows, three non-nested FE drawn at random (500,000 / 50,000 / 20 levels), 5 regressors,
//        cluster by the first;
//   1e8: 100,000,000 rows, two FE (5,000,000 units × 20 years): only with BENCH_SCALE_1E8=1 (6.7 GB of CSV, written
//        in ≈ 2.5 min; specrun also converts it to Parquet once and runs from that file).
// Each case runs REPS times (BENCH_SCALE_REPS, default 1: the 10⁷ case takes minutes on the shared machine) and
// prints the median. The data files are kept in $TMPDIR/specrun-bench-scale/ and reused (same seed, same bytes).
// R with fixest: `R_LIBS=/work/rlib` by default (BENCH_R_LIBS overrides); without it, the issue's stated figures.
// BENCH_SCALE_CASES=1e6 runs one case (also 1e6fe3: the 10⁷ case's shape at 10⁶ rows; 1e8). specrun runs with
// each thread count of BENCH_SCALE_THREADS (default `1,<every core>`); fixest with its default (1 thread here).
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, mulberry32 } from './lib.mjs';

export const name = 'scale: specrun vs R fread + fixest, whole process, 10⁶ and 10⁷ rows (10⁸ with BENCH_SCALE_1E8=1)';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const X = ['x1', 'x2', 'x3', 'x4', 'x5'];
const BETA = [1, -0.5, 0.25, 0.1, -0.2];

/** The issue's figures (one run on this 2-core machine), printed when R with fixest is not available. */
const STATED = {
  '1e6': 'issue 19: specrun 1.31 s vs fread + fixest 1.19 s (ratio 1.10)',
  '1e7': 'issue 19: specrun 25.0 s, 2.0 GB vs fread + fixest 13.0 s, 2.7 GB',
  '1e8': 'issue 19: not measured',
};

export const CASES = {
  '1e6': { rows: 1e6, fe: ['unit', 'year'], cluster: 'unit', write: writePanel(50000, 20, 0.05) },
  '1e7': { rows: 1e7, fe: ['f1', 'f2', 'f3'], cluster: 'f1', write: writeRandomFe(1e7, [500000, 50000, 20]) },
  // the 10⁷ case's shape at a tenth of its size (the same rows per level), to iterate on the three-FE demeaning
  '1e6fe3': { rows: 1e6, fe: ['f1', 'f2', 'f3'], cluster: 'f1', write: writeRandomFe(1e6, [50000, 5000, 20]) },
  '1e8': { rows: 1e8, fe: ['unit', 'year'], cluster: 'unit', write: writePanel(5000000, 20, 0) },
};

/**
 * A byte writer for the data files (up to ≈ 9 GB): numbers are formatted straight into a 16 MiB buffer, which is
 * written out when full. The digits are those of `Number.prototype.toFixed` (fixed(v, 6) === v.toFixed(6) for every
 * finite |v| < 2^31): the scaled value is rounded half up, and a value whose scaled fraction lies within 1e-6 of one
 * half, where the product's own rounding could decide, is formatted by toFixed itself. About 10× faster than
 * joining toFixed strings (the 10⁸ case's file in minutes instead of ≈ 45).
 */
function byteWriter(path) {
  const fd = openSync(path, 'w');
  const size = 1 << 24;
  const buf = Buffer.allocUnsafe(size);
  let n = 0;
  const flush = () => {
    let off = 0;
    while (off < n) off += writeSync(fd, buf, off, n - off);
    n = 0;
  };
  /** A non-negative integer below 2^53. */
  const int = (k) => {
    if (k < 10) {
      buf[n++] = 0x30 + k;
      return;
    }
    let digits = 1;
    for (let t = k; t >= 10; t = Math.floor(t / 10)) digits++;
    let e = n + digits;
    n = e;
    do {
      const q = Math.floor(k / 10);
      buf[--e] = 0x30 + (k - q * 10);
      k = q;
    } while (k > 0);
  };
  return {
    text(s) {
      if (n + s.length * 3 > size) flush();
      n += buf.write(s, n, 'latin1');
    },
    int(k) {
      int(k);
    },
    byte(c) {
      buf[n++] = c;
    },
    /** v with six decimals, as v.toFixed(6). */
    fixed6(v) {
      const r = Math.abs(v) * 1e6;
      const f = r - Math.floor(r);
      if (Math.abs(f - 0.5) < 1e-6 || !(Math.abs(v) < 2 ** 31)) {
        n += buf.write(v.toFixed(6), n, 'latin1');
        return;
      }
      const k = Math.round(r);
      if (v < 0) buf[n++] = 0x2d;
      const whole = Math.floor(k / 1e6);
      int(whole);
      buf[n++] = 0x2e;
      let frac = k - whole * 1e6;
      for (let i = n + 5; i >= n; i--) {
        const q = Math.floor(frac / 10);
        buf[i] = 0x30 + (frac - q * 10);
        frac = q;
      }
      n += 6;
    },
    /** End of a line; writes the buffer out when less than a long line's room is left. */
    endLine() {
      buf[n++] = 0x0a;
      if (n > size - 4096) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

function writePanel(units, years, missing) {
  return (path) => {
    const u = mulberry32(20261130);
    const w = byteWriter(path);
    w.text(['unit', 'year', 'y', ...X].join(','));
    w.endLine();
    const x = new Float64Array(5);
    let n = 0;
    for (let i = 1; i <= units; i++) {
      const a = u() * 2 - 1;
      for (let t = 1; t <= years; t++) {
        if (missing > 0 && u() < missing) continue;
        for (let k = 0; k < 5; k++) x[k] = u();
        let y = a + 0.01 * t + u() - 0.5;
        for (let k = 0; k < 5; k++) y += BETA[k] * x[k];
        w.int(i);
        w.byte(0x2c);
        w.int(2000 + t);
        w.byte(0x2c);
        w.fixed6(y);
        for (let k = 0; k < 5; k++) {
          w.byte(0x2c);
          w.fixed6(x[k]);
        }
        w.endLine();
        n++;
      }
    }
    w.close();
    return n;
  };
}

function writeRandomFe(rows, levels) {
  return (path) => {
    const u = mulberry32(20261131);
    const effects = levels.map((L) => Float64Array.from({ length: L }, () => u() * 2 - 1));
    const w = byteWriter(path);
    w.text(['f1', 'f2', 'f3', 'y', ...X].join(','));
    w.endLine();
    const f = new Int32Array(levels.length);
    const x = new Float64Array(5);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < levels.length; j++) f[j] = Math.floor(u() * levels[j]);
      for (let k = 0; k < 5; k++) x[k] = u();
      let y = effects[0][f[0]] + effects[1][f[1]] + effects[2][f[2]] + u() - 0.5;
      for (let k = 0; k < 5; k++) y += BETA[k] * x[k];
      for (let j = 0; j < levels.length; j++) {
        w.int(f[j] + 1);
        w.byte(0x2c);
      }
      w.fixed6(y);
      for (let k = 0; k < 5; k++) {
        w.byte(0x2c);
        w.fixed6(x[k]);
      }
      w.endLine();
    }
    w.close();
    return rows;
  };
}

/** Wall seconds, peak RSS (bytes, from /usr/bin/time) and the standard output of a command. */
function timed(cmd, args, env) {
  const report = join(tmpdir(), `specrun-bench-time-${process.pid}.txt`);
  const t0 = process.hrtime.bigint();
  let out = '';
  // A command that fails (R killed by the kernel for want of memory at 10⁸ rows) is reported, not fatal.
  let failed = null;
  try {
    out = execFileSync('/usr/bin/time', ['-f', '@@rss %M %U', '-o', report, cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, ...env },
    });
  } catch (e) {
    failed = e.signal ? `killed by ${e.signal}` : `exit status ${e.status}`;
    const text = readFileSync(report, 'utf8');
    if (/signal 9/.test(text)) failed = 'killed by signal 9 (the kernel, out of memory)';
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /@@rss (\d+) ([\d.]+)/.exec(readFileSync(report, 'utf8'));
  rmSync(report, { force: true });
  return { seconds, rss: m ? Number(m[1]) * 1024 : NaN, user: m ? Number(m[2]) : NaN, stdout: out, failed };
}

function rAvailable(libs) {
  try {
    execFileSync('Rscript', ['-e', 'suppressPackageStartupMessages({library(data.table); library(fixest)})'], {
      stdio: 'pipe',
      env: { ...process.env, R_LIBS: libs },
    });
    return true;
  } catch {
    return false;
  }
}

const gb = (b) => `${(b / 1e9).toFixed(2)} GB`;

export async function run() {
  if (!existsSync('/usr/bin/time')) {
    console.log('/usr/bin/time is needed for peak memory (apt-get install time)');
    return;
  }
  const dir = join(tmpdir(), 'specrun-bench-scale');
  mkdirSync(dir, { recursive: true });
  const reps = Number(process.env.BENCH_SCALE_REPS ?? 1);
  const only = process.env.BENCH_SCALE_CASES?.split(',');
  // the default cases, or the ones named in BENCH_SCALE_CASES (any key of CASES, e.g. 1e6fe3 or 1e8)
  const keys = only
    ? only.filter((k) => k in CASES)
    : ['1e6', '1e7', ...(process.env.BENCH_SCALE_1E8 === '1' ? ['1e8'] : [])];
  const libs = process.env.BENCH_R_LIBS ?? '/work/rlib';
  const haveR = rAvailable(libs);
  console.log(
    `R with data.table and fixest: ${haveR ? `yes (R_LIBS=${libs})` : "no — the issue's stated figures are shown instead"}`,
  );
  for (const key of keys) {
    const c = CASES[key];
    const csv = join(dir, `${key}.csv`);
    if (!existsSync(csv)) {
      const t0 = Date.now();
      c.write(csv + '.tmp');
      renameSync(csv + '.tmp', csv);
      console.log(`${key}: wrote ${csv} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    const formula = `y ~ ${X.join(' + ')} | ${c.fe.join(' + ')}`;
    const work = join(dir, `${key}-run`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work);
    const spec = join(work, 'spec.yaml');
    writeFileSync(
      spec,
      [
        `data: { source: ${JSON.stringify(csv)} }`,
        'models:',
        `  m: { formula: "${formula}", vcov: cluster(${c.cluster}) }`,
      ].join('\n') + '\n',
    );
    // specrun with each thread count of BENCH_SCALE_THREADS (default: `--threads 1` and every core); the results
    // are the same bits, so the last run's results.json is compared with R
    // (10⁸: every core only, one run takes minutes)
    const threadCounts = (
      process.env.BENCH_SCALE_THREADS ?? (key === '1e8' ? `${availableParallelism()}` : `1,${availableParallelism()}`)
    )
      .split(',')
      .map(Number)
      .filter((t, i, a) => t >= 1 && a.indexOf(t) === i);
    const runSpecrun = (threads, specFile = spec, out = join(work, 'out')) =>
      timed(
        process.execPath,
        [
          join(root, 'bin', 'specrun.mjs'),
          'run',
          specFile,
          '--no-cache',
          '--quiet',
          '--threads',
          String(threads),
          '--format',
          'json',
          '--out',
          out,
        ],
        {},
      );
    const rScript = [
      'suppressPackageStartupMessages({library(data.table); library(fixest)})',
      `d <- fread(${JSON.stringify(csv)})`,
      `m <- feols(${formula}, d, cluster = ~${c.cluster})`,
      'ct <- coeftable(m)',
      'for (i in seq_len(nrow(ct))) cat(sprintf("@@coef %s %.17g %.17g\\n", rownames(ct)[i], ct[i, 1], ct[i, 2]))',
    ].join('; ');
    // specrun and R alternate, so that both see the same load on a shared machine
    const s = threadCounts.map(() => []);
    const r = [];
    for (let k = 0; k < reps; k++) {
      threadCounts.forEach((t, j) => s[j].push(runSpecrun(t)));
      if (haveR) r.push(timed('Rscript', ['-e', rScript], { R_LIBS: libs }));
    }
    const results = JSON.parse(readFileSync(join(work, 'out', 'results.json'), 'utf8')).models.m;
    const runs = (xs) => xs.map((x) => x.seconds.toFixed(1)).join(', ');
    // Parquet (the 10⁸ case, or every case with BENCH_SCALE_PARQUET=1): the CSV converted once by `specrun data
    // --out FILE.parquet` (timed when it is made), then the same model run from the Parquet file with every core.
    if (key === '1e8' || process.env.BENCH_SCALE_PARQUET === '1') {
      const pqFile = join(dir, `${key}.parquet`);
      if (!existsSync(pqFile)) {
        const part = join(dir, `${key}-part.parquet`);
        const conv = timed(process.execPath, [join(root, 'bin', 'specrun.mjs'), 'data', spec, '--out', part], {});
        if (conv.failed) throw new Error(`specrun data --out ${part} failed: ${conv.failed}`);
        renameSync(part, pqFile);
        console.log(
          `${key}: specrun data --out ${pqFile}: ${conv.seconds.toFixed(1)} s wall, ${conv.user.toFixed(1)} s user CPU, peak RSS ${gb(conv.rss)}`,
        );
      }
      const pqSpec = join(work, 'spec-parquet.yaml');
      writeFileSync(pqSpec, readFileSync(spec, 'utf8').replace(JSON.stringify(csv), JSON.stringify(pqFile)));
      const t = threadCounts[threadCounts.length - 1];
      const p = [];
      for (let k = 0; k < reps; k++) p.push(runSpecrun(t, pqSpec, join(work, 'out-parquet')));
      const fromPq = JSON.parse(readFileSync(join(work, 'out-parquet', 'results.json'), 'utf8')).models.m;
      const same = JSON.stringify(fromPq.coefficients) === JSON.stringify(results.coefficients);
      console.log(
        `  specrun --threads ${t} from ${key}.parquet: ${median(p.map((x) => x.seconds)).toFixed(2)} s wall (runs ${runs(p)}), ${median(p.map((x) => x.user)).toFixed(2)} s user CPU, peak RSS ${gb(Math.max(...p.map((x) => x.rss)))}; coefficients and SEs ${same ? 'identical to' : 'DIFFERENT from'} the CSV run's`,
      );
    }
    console.log(
      `  load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    const stats = s.map((xs) => ({
      time: median(xs.map((x) => x.seconds)),
      user: median(xs.map((x) => x.user)),
      rss: Math.max(...xs.map((x) => x.rss)),
    }));
    console.log(`${key} (${c.rows.toExponential(0)} rows, FE ${c.fe.join(' + ')}, cluster ${c.cluster}):`);
    threadCounts.forEach((t, j) =>
      console.log(
        `  specrun --threads ${t}: ${stats[j].time.toFixed(2)} s wall (runs ${runs(s[j])}), ${stats[j].user.toFixed(2)} s user CPU, peak RSS ${gb(stats[j].rss)}`,
      ),
    );
    if (!haveR) {
      console.log(`  ${STATED[key] ?? 'no stated figure'}`);
      continue;
    }
    const rFailed = r.find((x) => x.failed);
    if (rFailed) {
      console.log(
        `  Rscript + fread + feols did not complete: ${rFailed.failed} after ${rFailed.seconds.toFixed(1)} s wall, ${rFailed.user.toFixed(1)} s user CPU, peak RSS ${gb(rFailed.rss)}`,
      );
      continue;
    }
    const rTime = median(r.map((x) => x.seconds));
    const rUser = median(r.map((x) => x.user));
    const rRss = Math.max(...r.map((x) => x.rss));
    let dCoef = 0;
    let dSe = 0;
    for (const m of r[0].stdout.matchAll(/@@coef (\S+) (\S+) (\S+)/g)) {
      const mine = results.coefficients[m[1]];
      dCoef = Math.max(dCoef, Math.abs(mine.estimate - Number(m[2])));
      dSe = Math.max(dSe, Math.abs(mine.se - Number(m[3])));
    }
    console.log(
      `  Rscript + fread + feols: ${rTime.toFixed(2)} s wall (runs ${runs(r)}), ${rUser.toFixed(2)} s user CPU, peak RSS ${gb(rRss)}`,
    );
    threadCounts.forEach((t, j) =>
      console.log(
        `  ratio specrun --threads ${t} / R (medians of ${reps}): time ${(stats[j].time / rTime).toFixed(2)}, user CPU ${(stats[j].user / rUser).toFixed(2)}, memory ${(stats[j].rss / rRss).toFixed(2)} (goal ≤ 1.0 both)`,
      ),
    );
    console.log(`  max |Δ coef| ${dCoef.toExponential(1)}, max |Δ SE| ${dSe.toExponential(1)}`);
  }
}
