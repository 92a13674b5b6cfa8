// IV (2SLS) with two fixed effects at the scale of issue 9: the ~950,000-row panel of ols.bench.mjs (50,000 units ×
// 20 years, 5% of unit-years missing) with one endogenous regressor d (correlated with the error through a shared
// shock) and two excluded instruments z1, z2. Times ivEstimator.estimate (y ~ x1 + x2 + x3 + x4 | unit + year |
// d ~ z1 + z2, clustered by unit: 2SLS, the first stage and every IV statistic) beside, in the same run, the OLS
// of y on x1..x4 and d with the same fixed effects (the baseline). fixest's own ratio is its "IV costs about two
// OLS" (the issue's speed class); R fixest is also timed on the same data when `library(fixest)` loads (set R_LIBS;
// its IV adds fitstat ivf1, wh, sargan and cd: fixest 0.12.1's kpr fails with a clustered vcov, "non-conformable arrays").
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Frame } from '../dist/core/frame.js';
import { olsEstimator } from '../dist/estimate/ols/index.js';
import { ivEstimator } from '../dist/estimate/iv/index.js';
import { makePanel } from './ols.bench.mjs';
import { median, rngPair } from './lib.mjs';

export const name = 'iv: 2SLS with two fixed effects, 950,000 rows, against OLS';

const REPS = 5;

export function ivPanel() {
  const base = makePanel(50_000, 20, 0.05);
  const n = base.nrows;
  const r = rngPair(20260316);
  const z1 = new Float64Array(n),
    z2 = new Float64Array(n),
    d = new Float64Array(n),
    y = new Float64Array(n);
  const by = base.numeric('y');
  for (let i = 0; i < n; i++) {
    const u = r.normal();
    z1[i] = r.normal();
    z2[i] = r.normal();
    d[i] = 0.6 * z1[i] + 0.4 * z2[i] + 0.5 * base.numeric('x1')[i] + u + r.normal();
    y[i] = by[i] + 1.5 * d[i] + 2 * u;
  }
  const cols = base.names.filter((c) => c !== 'y').map((c) => [c, base.numeric(c)]);
  return new Frame(n, [...cols, ['y', y], ['d', d], ['z1', z1], ['z2', z2]]);
}

const term = (v) => ({ name: v, variable: v, lag: 0 });
const common = {
  label: null,
  sample: null,
  source: { file: 'bench', path: '', line: 0, col: 0 },
  dependent: term('y'),
  fixedEffects: ['unit', 'year'],
  intercept: false,
  vcov: { type: 'cluster', cluster: ['unit'], ssc: { adj: true, fixef_k: 'nested', cluster_adj: true } },
};
export const olsPlan = {
  ...common,
  id: 'ols',
  estimator: 'ols',
  constant: false,
  regressors: ['x1', 'x2', 'x3', 'x4', 'd'].map(term),
};
export const ivPlan = {
  ...common,
  id: 'iv',
  estimator: 'iv',
  regressors: ['x1', 'x2', 'x3', 'x4'].map(term),
  endogenous: [term('d')],
  instruments: [term('z1'), term('z2')],
};

function fixestTimes(frame) {
  try {
    execFileSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(fixest))'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ivbench-'));
  try {
    const names = frame.names;
    const cols = names.map((c) => frame.numeric(c));
    const lines = [names.join(',')];
    for (let i = 0; i < frame.nrows; i++) lines.push(cols.map((c) => c[i]).join(','));
    writeFileSync(join(dir, 'p.csv'), lines.join('\n'));
    const r = `suppressPackageStartupMessages({library(fixest); library(data.table)}); setFixest_nthreads(1); d <- fread("${join(dir, 'p.csv')}");
      fo <- function() feols(y ~ x1 + x2 + x3 + x4 + d | unit + year, d, cluster = ~unit)
      fp <- function() feols(y ~ x1 + x2 + x3 + x4 | unit + year | d ~ z1 + z2, d, cluster = ~unit)
      fi <- function() { e <- fp(); fitstat(e, ~ ivf1 + wh + sargan + cd); e }
      tm <- function(f) { t <- system.time(f()); c(t[["elapsed"]], t[["user.self"]] + t[["sys.self"]]) }
      invisible(fo()); invisible(fi())   # warm-up (and not auto-printed: Rscript -e prints top-level values)
      to <- replicate(${REPS}, tm(fo)); ti <- replicate(${REPS}, tm(fi)); tp <- replicate(${REPS}, tm(fp))
      cat("TIMES", median(to[1, ]), median(ti[1, ]), median(to[2, ]), median(ti[2, ]), median(tp[1, ]), median(tp[2, ]), "\n")`;
    const line = execFileSync('Rscript', ['-e', r], { encoding: 'utf8', maxBuffer: 1 << 26 })
      .split('\n')
      .find((l) => l.startsWith('TIMES'));
    if (!line) return null;
    const [o, i, oc, ic, p, pc] = line.trim().split(/\s+/).slice(1).map(Number);
    return { ols: o, iv: i, olsCpu: oc, ivCpu: ic, plain: p, plainCpu: pc };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const frame = ivPanel();
  console.log(
    `panel: ${frame.nrows.toLocaleString('en')} rows; load average ${os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const data = { frame, unit: null, time: null };
  const variants = { ols: () => olsEstimator.estimate(olsPlan, data), iv: () => ivEstimator.estimate(ivPlan, data) };
  for (const f of Object.values(variants)) f();
  const wall = { ols: [], iv: [] },
    cpu = { ols: [], iv: [] };
  const outs = {};
  for (let r = 0; r < REPS; r++) {
    for (const [k, f] of Object.entries(variants)) {
      globalThis.gc?.();
      const c0 = process.cpuUsage();
      const t = process.hrtime.bigint();
      outs[k] = f();
      wall[k].push(Number(process.hrtime.bigint() - t) / 1e9);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1e6);
    }
  }
  const o = median(wall.ols),
    i = median(wall.iv),
    oc = median(cpu.ols),
    ic = median(cpu.iv);
  console.log(
    `OLS, 5 regressors | unit + year      ${o.toFixed(3)} s wall, ${oc.toFixed(3)} s cpu (medians of ${REPS})   d = ${outs.ols.coefficients.d.estimate.toFixed(4)} (biased: the true effect is 1.5)`,
  );
  console.log(
    `IV, d ~ z1 + z2 | unit + year        ${i.toFixed(3)} s wall, ${ic.toFixed(3)} s cpu   ratio IV/OLS ${(i / o).toFixed(2)} wall, ${(ic / oc).toFixed(2)} cpu (target: about 2, "IV as fast as two OLS")`,
  );
  console.log(
    `  d = ${outs.iv.coefficients.d.estimate.toFixed(4)} (${outs.iv.coefficients.d.se.toFixed(4)}), first-stage F ${outs.iv.stats.first_stage_f.toFixed(1)}, KP F ${outs.iv.stats.kp_f.toFixed(1)}, Wu–Hausman ${outs.iv.stats.wu_hausman.toFixed(1)}, Sargan ${outs.iv.stats.sargan.toFixed(3)}, Hansen ${outs.iv.stats.hansen.toFixed(3)}`,
  );
  if (process.env.BENCH_NO_R) return;
  let fx = null,
    why = '';
  try {
    fx = fixestTimes(frame);
  } catch (e) {
    why = String(e.message ?? e).split('\n')[0];
  }
  if (fx === null)
    console.log(
      `R fixest: not timed (${why || 'library(fixest) does not load; set R_LIBS to a library with fixest'}); the specrun figures above stand alone`,
    );
  else {
    console.log(
      `R fixest 0.12 (measured, 1 thread)   OLS ${fx.ols.toFixed(3)} s wall (${fx.olsCpu.toFixed(3)} cpu); IV with fitstat ivf1, wh, sargan, cd ${fx.iv.toFixed(3)} s wall (${fx.ivCpu.toFixed(3)} cpu), ratio IV/OLS ${(fx.ivCpu / fx.olsCpu).toFixed(2)} cpu`,
    );
    console.log(
      `                                     IV alone (no fitstat) ${fx.plain.toFixed(3)} s wall (${fx.plainCpu.toFixed(3)} cpu), ratio IV/OLS ${(fx.plainCpu / fx.olsCpu).toFixed(2)} cpu; specrun IV (every statistic) / fixest IV with fitstat ${(ic / fx.ivCpu).toFixed(2)} cpu`,
    );
  }
}
