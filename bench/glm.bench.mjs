// Poisson with two fixed effects at the scale of issue 9 (50,000 units × 20 years, 5% of unit-years missing: ~950,000
// rows), five regressors, clustered by unit — the issue-16 target "within 3× of fixest". Times the GLM estimation
// from typed arrays (median of REPS runs, after a warm-up) and, in the same run, fixest 0.12's fepois on the same data
// when `library(fixest)` loads (R_LIBS=/work/rlib is tried too), with the coefficients compared.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateGlmArrays } from '../dist/estimate/glm/estimate-glm.js';
import { rngPair } from './lib.mjs';

export const name = 'glm: Poisson with unit + year fixed effects, 950,000 rows, cluster by unit';

const REPS = 3;
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);

/** A Poisson draw: inversion for small means, a rounded normal beyond 50 (never reached with these parameters). */
function poissonDraw(mean, uniform, normal) {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
  let k = 0,
    p = Math.exp(-mean),
    s = p;
  const u = uniform();
  while (u > s && k < 1000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

export function makeCountPanel(units, years, missing) {
  const r = rngPair(20260116);
  const beta = [0.3, -0.2, 0.1, 0.05, 0];
  const ua = new Float64Array(units).map(() => 0.5 * r.normal());
  const ya = new Float64Array(years).map(() => 0.3 * r.normal());
  const cap = units * years;
  const unit = new Float64Array(cap),
    year = new Float64Array(cap),
    y = new Float64Array(cap);
  const xs = beta.map(() => new Float64Array(cap));
  let n = 0;
  for (let u = 0; u < units; u++)
    for (let t = 0; t < years; t++) {
      if (r.uniform() < missing) continue;
      unit[n] = u;
      year[n] = 2000 + t;
      let eta = ua[u] + ya[t];
      for (let k = 0; k < 5; k++) {
        const x = r.normal() + 0.3 * ua[u];
        xs[k][n] = x;
        eta += beta[k] * x;
      }
      y[n] = poissonDraw(Math.exp(eta), r.uniform, r.normal);
      n++;
    }
  const cut = (a) => a.subarray(0, n);
  return { n, unit: cut(unit), year: cut(year), y: cut(y), xs: xs.map(cut) };
}

function codesOf(x) {
  const seen = new Map();
  return Int32Array.from(x, (v) => {
    let c = seen.get(v);
    if (c === undefined) {
      c = seen.size;
      seen.set(v, c);
    }
    return c;
  });
}

function fixestTime(p) {
  const env = { ...process.env };
  if (existsSync('/work/rlib/fixest')) env.R_LIBS = '/work/rlib';
  try {
    execFileSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(fixest))'], { stdio: 'ignore', env });
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'glmbench-'));
  try {
    const lines = ['unit,year,y,x1,x2,x3,x4,x5'];
    for (let i = 0; i < p.n; i++) lines.push([p.unit[i], p.year[i], p.y[i], ...p.xs.map((x) => x[i])].join(','));
    writeFileSync(join(dir, 'p.csv'), lines.join('\n'));
    const r = `suppressPackageStartupMessages({library(fixest); library(data.table)}); d <- fread("${join(dir, 'p.csv')}");
      f <- function() fepois(y ~ x1 + x2 + x3 + x4 + x5 | unit + year, d, cluster = ~unit, notes = FALSE); m <- f();
      st <- replicate(${REPS}, { s <- system.time(f()); c(s[["elapsed"]], s[["user.self"]] + s[["sys.self"]]) });
      cat(median(st[1, ]), median(st[2, ]), getFixest_nthreads(), coef(m), se(m), "\\n")`;
    const out = execFileSync('Rscript', ['-e', r], { encoding: 'utf8', env }).trim().split(/\s+/).map(Number);
    return { time: out[0], cpu: out[1], threads: out[2], coef: out.slice(3, 8), se: out.slice(8, 13) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const t0 = process.hrtime.bigint();
  const p = makeCountPanel(50_000, 20, 0.05);
  console.log(
    `panel: ${p.n.toLocaleString('en')} rows (built in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2)} s)`,
  );
  const unitCodes = codesOf(p.unit),
    yearCodes = codesOf(p.year);
  const names = ['x1', 'x2', 'x3', 'x4', 'x5'];
  const estimate = () =>
    estimateGlmArrays({
      model: 'bench',
      family: 'poisson',
      y: p.y,
      yName: 'y',
      X: p.xs,
      names,
      fe: [unitCodes, yearCodes],
      feNames: ['unit', 'year'],
      clusters: [unitCodes],
      weights: null,
      weightsName: null,
      intercept: false,
      vcov: { type: 'cluster', cluster: ['unit'], ssc: { adj: true, fixef_k: 'nested', cluster_adj: true } },
    });
  estimate();
  const times = [],
    cpus = [];
  let out;
  for (let r = 0; r < REPS; r++) {
    globalThis.gc?.();
    const t = process.hrtime.bigint(),
      c0 = process.cpuUsage();
    out = estimate();
    const c = process.cpuUsage(c0);
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
    cpus.push((c.user + c.system) / 1e6);
  }
  const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(
    `load average ${os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores (wall clock, median of ${REPS})`,
  );
  console.log(
    `specrun Poisson, unit + year FE   ${med(times).toFixed(3)} s (cpu ${med(cpus).toFixed(3)} s), ${out.stats.iterations} IRLS iterations, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`,
  );
  console.log(
    `x1 = ${out.coefficients.x1.estimate.toFixed(6)} (${out.coefficients.x1.se.toFixed(6)}), nobs ${out.nobs}, notes ${out.notes.map((n) => n.code).join(',') || '-'}`,
  );
  const fx = fixestTime(p);
  if (fx === null) {
    console.log('R fixest: not installed (library(fixest) fails, also with R_LIBS=/work/rlib)');
    return;
  }
  const agree = Math.max(...names.map((k, j) => Math.abs(out.coefficients[k].estimate - fx.coef[j]) / fx.se[j]));
  console.log(
    `R fixest fepois (measured, ${fx.threads} thread(s))   ${fx.time.toFixed(3)} s (cpu ${fx.cpu.toFixed(3)} s)   ratio specrun/fixest ${(med(times) / fx.time).toFixed(2)}× wall, ${(med(cpus) / fx.cpu).toFixed(2)}× cpu   target ≤ 3×`,
  );
  console.log(`coefficients agree with fixest: max |Δβ|/SE ${agree.toExponential(1)}`);
}
