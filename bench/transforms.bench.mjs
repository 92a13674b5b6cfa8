// The panel transforms (pim, deflate, specialization, gap) at the paper's size (156 units × 10 years) and at
// 1,000 times that (156,000 units × 10 years = 1.56 million rows, 11,000 groups). The baseline, measured in the same
// run on the same frame, is the cheapest thing every transform must do anyway: one pass that sorts the rows into
// units (pim, deflate) or group × period cells (specialization, gap) and sums a column per unit or cell — the ratio
// says how much the transform's own arithmetic, checks and notes cost on top of that grouping.
import { Frame, textColumn } from '../dist/core/frame.js';
import { pimTransform } from '../dist/transforms/pim.js';
import { deflateTransform } from '../dist/transforms/deflate.js';
import { specializationTransform } from '../dist/transforms/specialization.js';
import { gapTransform } from '../dist/transforms/gap.js';
import { rowsByUnit, cellsByGroupPeriod } from '../dist/transforms/panel-utils.js';
import { mulberry32 } from './lib.mjs';

export const name = 'transforms: pim, deflate, specialization, gap on a city panel ×1 and ×1000';

const YEARS = 10;
const SECTORS = ['s1', 's2', 's3', 's4', 's5', 's6', 'm1', 'm2', 'm3'];

const rng = mulberry32;

/** units × YEARS rows, rows shuffled by unit blocks in reverse year order (the transforms must sort). */
function makePanel(units) {
  const r = rng(7);
  const n = units * YEARS;
  const unit = new Int32Array(n);
  const time = new Float64Array(n);
  const group = new Array(n);
  const central = new Float64Array(n);
  const inv = new Float64Array(n);
  const idx = new Float64Array(n);
  const val = new Float64Array(n);
  const emp = SECTORS.map(() => new Float64Array(n));
  const labels = [];
  for (let u = 0; u < units; u++) {
    labels.push(`u${u}`);
    const g = Math.floor(u / 14);
    for (let t = 0; t < YEARS; t++) {
      const i = u * YEARS + (YEARS - 1 - t);
      unit[i] = u;
      time[i] = 2008 + t;
      group[i] = `g${g}`;
      central[i] = u % 14 === 0 ? 1 : 0;
      inv[i] = 1000 * Math.exp(0.1 * t + 0.1 * r());
      idx[i] = 100 + 5 * r();
      val[i] = Math.log(0.1 + r());
      for (const e of emp) e[i] = 1 + 10 * r();
    }
  }
  const frame = new Frame(n, [
    ['group', textColumn(group)],
    ['central', central],
    ['inv', inv],
    ['idx', idx],
    ['val', val],
    ...SECTORS.map((s, k) => [s, emp[k]]),
  ]);
  return { frame, unit, time, unitLabels: labels };
}

function baselineUnits(ctx) {
  let s = 0;
  const inv = ctx.frame.numeric('inv');
  for (const rows of rowsByUnit(ctx.unit, ctx.time)) for (const i of rows) s += inv[i];
  return s;
}
function baselineCells(ctx) {
  let s = 0;
  const v = ctx.frame.numeric('val');
  for (const c of cellsByGroupPeriod(ctx.frame.get('group'), ctx.time).cells) for (const i of c.rows) s += v[i];
  return s;
}

const specs = {
  pim: [
    pimTransform,
    { pim: { investment: 'inv', price_index: 'idx', index_type: 'chained', depreciation: 0.096 } },
    baselineUnits,
  ],
  deflate: [deflateTransform, { deflate: { value: 'inv', index: 'idx', index_type: 'chained' } }, baselineUnits],
  specialization: [
    specializationTransform,
    {
      specialization: {
        group: 'group',
        role: 'central',
        services: SECTORS.slice(0, 6),
        manufacturing: SECTORS.slice(6),
      },
    },
    baselineCells,
  ],
  gap: [gapTransform, { gap: { value: 'val', group: 'group', reference: 'central' } }, baselineCells],
};

function best(f, reps) {
  let t = Infinity;
  for (let k = 0; k < reps; k++) {
    const t0 = process.hrtime.bigint();
    f();
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    if (dt < t) t = dt;
  }
  return t;
}

export async function run() {
  for (const [units, reps] of [
    [156, 50],
    [156_000, 3],
  ]) {
    const ctx = makePanel(units);
    const v = ctx.frame.numeric('val');
    const tp = best(() => {
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i];
      return s;
    }, reps);
    console.log(
      `${units * YEARS} rows (${units} units × ${YEARS} years); one plain pass summing a column: ${tp.toFixed(2)} ms`,
    );
    for (const [kind, [t, spec, base]] of Object.entries(specs)) {
      const tb = best(() => base(ctx), reps);
      const tt = best(() => t.compute(kind, spec, ctx), reps);
      console.log(
        `  ${kind.padEnd(15)} ${tt.toFixed(2).padStart(9)} ms   baseline (group + sum) ${tb.toFixed(2).padStart(9)} ms   ratio ${(tt / tb).toFixed(2)}`,
      );
    }
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
