// Descriptive statistics and correlation parity: every case of tests/parity/describe/describe.py (NumPy percentiles
// by R's types 7 and 2, SciPy's ttest_ind, pearsonr and spearmanr; raw output describe.out, values describe.json) on
// the Grunfeld panel, complete and with cells blanked (grunfeld-missing.csv), through the whole pipeline (spec →
// results.json). Tolerance 1e-10 relative (1e-8 on p-values); counts exact.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

type Stats = Record<string, number>;
interface Corr {
  r: (number | null)[][];
  p: (number | null)[][];
  n: number[][];
}
type Case = Record<string, unknown>;
const expected: Record<string, Case> = JSON.parse(
  readFileSync(new URL('../parity/describe/describe.json', import.meta.url), 'utf8'),
);
const root = fileURLToPath(new URL('../..', import.meta.url));
const COLS = ['inv', 'value', 'capital'];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

function spec(csv: string): string {
  const models: string[] = [];
  for (const q of [7, 2]) {
    models.push(`  overall_q${q}: { estimator: describe, variables: [inv, value, capital], quantile_type: ${q} }`);
    models.push(
      `  by_q${q}: { estimator: describe, variables: [inv, value, capital], by: late, quantile_type: ${q}, test: welch }`,
    );
  }
  models.push('  pooled: { estimator: describe, variables: [inv, value, capital], by: late, test: pooled }');
  for (const method of ['pearson', 'spearman']) {
    for (const missing of ['pairwise', 'listwise']) {
      models.push(
        `  ${method}_${missing}: { estimator: correlation, variables: [inv, value, capital], method: ${method}, missing: ${missing} }`,
      );
    }
  }
  return `data: { source: ${JSON.stringify(csv)}, unit: firm, time: year }
variables:
  late: year > 1945
models:
${models.join('\n')}
tables:
  t_desc: { columns: [by_q7], stats: [n, mean, sd, median] }
  t_corr: { columns: [pearson_pairwise] }
`;
}

// biome-ignore lint/suspicious/noExplicitAny: results.json read back as JSON
type Json = any;
const runs: Record<string, Json> = {};

beforeAll(async () => {
  for (const [name, csv] of [
    ['complete', join(root, 'data/grunfeld.csv')],
    ['missing', join(root, 'tests/parity/describe/grunfeld-missing.csv')],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-describe-'));
    writeFileSync(join(dir, 'd.yaml'), spec(csv));
    const r = await runCli(['run', 'd.yaml', '--out', 'out', '--no-cache', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    runs[name] = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
  }
}, 120_000);

function cellStats(result: Json, variable: string, group: string | null): Stats {
  const c = result.detail.cells.find((x: Json) => x.variable === variable && x.group === group);
  expect(c, `${variable} ${group}`).toBeDefined();
  return c.stats;
}

function checkStats(got: Stats, want: Stats, what: string): void {
  for (const [k, v] of Object.entries(want)) {
    if (k === 'n') expect(got.n, `${what} n`).toBe(v);
    else expect(rel(got[k]!, v), `${what} ${k}: ${got[k]} vs ${v}`).toBeLessThan(1e-10);
  }
}

describe.each(['complete', 'missing'])('describe and correlation parity (NumPy/SciPy), %s data', (name) => {
  const e = expected[name]!;
  const model = (id: string): Json => runs[name].models[id];

  it.each([7, 2])('overall statistics, percentiles of type %i', (q) => {
    const want = e[`overall_q${q}`] as Record<string, Stats>;
    for (const c of COLS) checkStats(cellStats(model(`overall_q${q}`), c, null), want[c]!, `${c} q${q}`);
  });

  it.each([7, 2])('statistics by group, percentiles of type %i', (q) => {
    const want = e[`by_q${q}`] as Record<string, Record<string, Stats>>;
    const m = model(`by_q${q}`);
    expect(m.detail.groups).toEqual(['0', '1']);
    for (const c of COLS)
      for (const g of ['0', '1']) checkStats(cellStats(m, c, g), want[c]![g]!, `${c} group ${g} q${q}`);
  });

  it.each([
    ['welch', 'by_q7'],
    ['pooled', 'pooled'],
  ])('difference in means, %s t-test', (test, id) => {
    const want = e[test] as Record<string, { diff: number; t: number; p: number }>;
    const m = model(id);
    for (const c of COLS) {
      const t = m.detail.tests[c];
      expect(t.method).toBe(test);
      expect(rel(t.diff, want[c]!.diff), `${c} diff`).toBeLessThan(1e-10);
      expect(rel(t.t, want[c]!.t), `${c} t`).toBeLessThan(1e-10);
      expect(rel(t.p, want[c]!.p), `${c} p`).toBeLessThan(1e-8);
    }
  });

  it.each(['pearson_pairwise', 'pearson_listwise', 'spearman_pairwise', 'spearman_listwise'])(
    'correlation matrix %s',
    (id) => {
      const want = e[id] as Corr;
      const d = model(id).detail;
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          expect(d.n[i][j], `${id} n ${i},${j}`).toBe(want.n[i]![j]);
          expect(rel(d.r[i][j], want.r[i]![j]!), `${id} r ${i},${j}`).toBeLessThan(1e-10);
          if (i !== j) expect(rel(d.p[i][j], want.p[i]![j]!), `${id} p ${i},${j}`).toBeLessThan(1e-8);
        }
      }
    },
  );
});

describe('descriptive and correlation tables', () => {
  it('counts missing cells per variable in notes, and renders the tables', () => {
    const m = runs.missing.models.overall_q7;
    const notes = m.notes.map((n: Json) => n.message).join('\n');
    expect(notes).toMatch(/inv: 29 of 200 row\(s\) missing/);
    expect(notes).toMatch(/capital: 16 of 200 row\(s\) missing/);
  });
});
