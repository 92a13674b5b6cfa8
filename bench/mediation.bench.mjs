// Mediation and rank-size at the paper's scale and beyond. Baselines measured in the same run:
//  - mediation (3 equations, city + year fixed effects, cluster(city), 135 cities × 10 years) against three direct
//    calls of the `ols` estimator on the same data: the overhead of the common sample, checks and statistics;
//  - the bootstrap of ab (1000 cluster replicates) against 2000 direct `ols` fits of the full sample: what the
//    replicates cost beyond the two refits each needs;
//  - the rank-size grid on 1,000,000 rows (1,000 groups × 50 units × 20 periods) against one Float64Array sort
//    of the size column.
import { Frame, textColumn } from '../dist/core/frame.js';
import { mediationEstimator, mediationSteps } from '../dist/estimate/mediation/index.js';
import { olsEstimator } from '../dist/estimate/ols/index.js';
import { rankSizeEstimator } from '../dist/estimate/ranksize/index.js';

export const name = 'mediation and rank-size';

/** Deterministic uniform generator (mulberry32) and a Box–Muller normal on it. */
function rng(seed) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(u() + 1e-300)) * Math.cos(2 * Math.PI * u());
  return { u, normal };
}

function paperPanel(units, years) {
  const r = rng(20260601);
  const n = units * years;
  const city = new Float64Array(n),
    year = new Float64Array(n);
  const x = new Float64Array(n),
    m = new Float64Array(n),
    y = new Float64Array(n);
  const w = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const fe = Float64Array.from({ length: units }, () => r.normal());
  for (let i = 0, k = 0; i < units; i++) {
    for (let t = 0; t < years; t++, k++) {
      city[k] = i;
      year[k] = 2008 + t;
      for (const c of w) c[k] = r.normal();
      x[k] = fe[i] + 0.1 * t + r.normal();
      m[k] = 0.4 * x[k] + 0.2 * w[0][k] + fe[i] + r.normal();
      y[k] = 0.3 * x[k] + 0.3 * m[k] - 0.1 * w[1][k] + fe[i] + 0.05 * t + r.normal();
    }
  }
  return new Frame(n, [
    ['city', city],
    ['year', year],
    ['trans', x],
    ['div', m],
    ['hgdp', y],
    ['fdi', w[0]],
    ['gov', w[1]],
    ['inv', w[2]],
  ]);
}

function time(f, reps = 1) {
  f(); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) f();
  return Number(process.hrtime.bigint() - t0) / 1e6 / reps;
}

const ssc = { adj: true, fixef_k: 'nested', cluster_adj: true };

export async function run() {
  const frame = paperPanel(135, 10);
  const data = { frame, unit: null, time: null };
  const plan = (bootstrap) => ({
    estimator: 'mediation',
    id: 'bench',
    label: null,
    sample: null,
    source: { file: 'bench', path: '', line: 0, col: 0 },
    treatment: 'trans',
    mediator: 'div',
    outcome: 'hgdp',
    controls: ['fdi', 'gov', 'inv'],
    fixedEffects: ['city', 'year'],
    vcov: { type: 'cluster', cluster: ['city'], ssc },
    bootstrap,
  });

  const steps = mediationSteps(plan(null));
  // Interleaved and the minimum of three rounds each, so that JIT warm-up and GC do not favour either side.
  const baseRun = () =>
    time(() => {
      for (const s of [steps.total, steps.mediator, steps.outcome]) olsEstimator.estimate(s, data);
    }, 20);
  const medRun = () => time(() => mediationEstimator.estimate(plan(null), data), 20);
  let base = Infinity,
    med = Infinity;
  for (let round = 0; round < 3; round++) {
    base = Math.min(base, baseRun());
    med = Math.min(med, medRun());
  }
  console.log(
    `mediation, 1350 rows, city+year FE, cluster(city): ${med.toFixed(2)} ms vs 3 ols fits ${base.toFixed(2)} ms — ratio ${(med / base).toFixed(2)}`,
  );

  const reps = 1000;
  const iidSteps = mediationSteps(plan(null), { type: 'iid', cluster: [], ssc });
  const fitsRun = () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) {
      olsEstimator.estimate(iidSteps.mediator, data);
      olsEstimator.estimate(iidSteps.outcome, data);
    }
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  let res;
  const bootRun = () => {
    const t1 = process.hrtime.bigint();
    res = mediationEstimator.estimate(plan({ reps, seed: 1, level: 0.95 }), data);
    return Number(process.hrtime.bigint() - t1) / 1e6;
  };
  let fits = Infinity,
    boot = Infinity;
  for (let round = 0; round < 2; round++) {
    fits = Math.min(fits, fitsRun());
    boot = Math.min(boot, bootRun());
  }
  const b = res.detail.bootstrap;
  console.log(
    `bootstrap of ab, ${reps} cluster replicates: ${boot.toFixed(0)} ms vs ${2 * reps} ols fits ${fits.toFixed(0)} ms — ratio ${(boot / fits).toFixed(2)}` +
      ` (ab ${res.stats.indirect.toFixed(4)}, percentile [${b.percentile.map((v) => v.toFixed(4)).join(', ')}], failed ${b.failed})`,
  );

  // rank-size on a million rows
  const G = 1000,
    U = 50,
    P = 20,
    n = G * U * P;
  const r = rng(7);
  const size = new Float64Array(n);
  const groups = new Array(n);
  const period = new Float64Array(n);
  for (let g = 0, k = 0; g < G; g++)
    for (let t = 0; t < P; t++)
      for (let u = 0; u < U; u++, k++) {
        size[k] = Math.exp(8 - (0.3 + (g % 10) / 10) * Math.log(u + 1) + 0.1 * r.normal());
        groups[k] = `g${g}`;
        period[k] = 2000 + t;
      }
  const rsFrame = new Frame(n, [
    ['pop', size],
    ['group', textColumn(groups)],
  ]);
  const rsPlan = {
    estimator: 'ranksize',
    id: 'rs',
    label: null,
    sample: null,
    source: { file: 'bench', path: '', line: 0, col: 0 },
    size: 'pop',
    group: 'group',
    threshold: 0.5,
  };
  const sortBase = time(() => Float64Array.from(size).sort(), 3);
  const rs = time(() => rankSizeEstimator.estimate(rsPlan, { frame: rsFrame, unit: null, time: period }), 3);
  const cells = rankSizeEstimator.estimate(rsPlan, { frame: rsFrame, unit: null, time: period }).detail.cells;
  console.log(
    `rank-size grid, ${n.toLocaleString('en')} rows, ${cells.length} cells: ${rs.toFixed(0)} ms vs one sort of the column ${sortBase.toFixed(0)} ms — ratio ${(rs / sortBase).toFixed(1)}`,
  );
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
