/**
 * The specification curve and the coefficient plot (engine/figures/spec-curve.ts, coefplot.ts, spec-curve-null.ts):
 * the SVG parsed (one point and one interval per model, one tick per model and choice), the CSV and results.json
 * against numbers recomputed here from the models' results, byte-identical reruns, and the inference under the null
 * (seeded; a strong effect gets a small p-value only if the effect is really removed before the bootstrap).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFiles } from '../helpers/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const produc = join(root, 'data', 'produc.csv');

function spec(reps: number, seed: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'specrun-curve-'));
  const file = join(dir, 'curve.yaml');
  writeFileSync(
    file,
    `data: { source: ${produc}, unit: state, time: year }
variables: { lgsp: log(gsp), lpc: log(pc), lpcap: log(pcap), lgsp_pw: log(gsp / emp) }
grids:
  g:
    model: { formula: "{outcome} ~ lpcap + {controls} | state + year", vcov: "{vcov}" }
    dimensions:
      outcome: { output: lgsp, per_worker: lgsp_pw }
      controls: { private: lpc, full: lpc + unemp, lagged: "lpc + lag(unemp, 1)" }
      vcov: { state: cluster(state), hc1: hc1 }
tables:
  t: { columns: [{ grid: g, where: { outcome: output, vcov: state } }] }
figures:
  curve: { kind: spec_curve, grid: g, term: lpcap }
  curve_lpc: { kind: spec_curve, grid: g, term: lpc, inference: { reps: ${reps}, seed: ${seed} } }
  coefs: { kind: coefplot, table: t, terms: [lpcap, lpc] }
`,
  );
  return file;
}

function marks(svg: string, cls: string): XmlElement[] {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const groups = Array.from(doc.getElementsByTagName('g')).filter((g) =>
    (g.getAttribute('class') ?? '').split(' ').includes(cls),
  );
  expect(groups, cls).toHaveLength(1);
  return Array.from(groups[0]!.childNodes).filter((n): n is XmlElement => n.nodeType === 1);
}

type Run = Awaited<ReturnType<typeof runFiles>>;
const file = (r: Run, name: string) => String(r.files.find((f) => f.path.endsWith(name))!.data);

describe('specification curve', () => {
  let a: Run, b: Run;
  beforeAll(async () => {
    const f = spec(40, 7);
    a = await runFiles([f], root);
    b = await runFiles([f], root);
  }, 240_000);

  it('runs without errors and writes SVG, Vega-Lite and CSV, the same bytes on a rerun', () => {
    expect(a.errors).toEqual([]);
    for (const name of [
      'curve.svg',
      'curve.vl.json',
      'curve.csv',
      'curve_lpc.svg',
      'curve_lpc.csv',
      'coefs.svg',
      'coefs.vl.json',
      'results.json',
    ]) {
      expect(file(b, name), name).toBe(file(a, name));
    }
  });

  it('draws one point and one interval per model, and one tick per model and choice', () => {
    const svg = file(a, 'curve.svg');
    const points = marks(svg, 'concat_0_layer_2_marks');
    expect(points).toHaveLength(12);
    expect(points.every((p) => p.getAttribute('aria-roledescription') === 'point')).toBe(true);
    expect(marks(svg, 'concat_0_layer_1_marks')).toHaveLength(12);
    expect(marks(svg, 'concat_1_marks')).toHaveLength(12 * 3);
    // the indicator rows are the grid's alternatives, in the order declared
    const vl = JSON.parse(file(a, 'curve.vl.json'));
    expect(vl.vconcat[1].encoding.y.sort).toEqual([
      'outcome: output',
      'outcome: per_worker',
      'controls: private',
      'controls: full',
      'controls: lagged',
      'vcov: state',
      'vcov: hc1',
    ]);
  });

  it('sorts the estimates and summarises them as recomputed from the results', () => {
    const models = a.runs[0]!.models;
    const est = models.map((m) => m.result.coefficients['lpcap']!.estimate);
    const ps = models.map((m) => m.result.coefficients['lpcap']!.p!);
    const sorted = [...est].sort((x, y) => x - y);
    const median = (sorted[5]! + sorted[6]!) / 2;
    const share = est.filter((e, i) => ps[i]! < 0.05 && Math.sign(e) === Math.sign(median)).length / est.length;
    const rows = file(a, 'curve.csv').trim().split('\n');
    expect(rows[0]).toBe('rank,model,estimate,se,low,high,p,significant,outcome,controls,vcov');
    expect(rows).toHaveLength(13);
    const csvEst = rows.slice(1).map((r) => Number(r.slice(r.lastIndexOf('"') + 2).split(',')[0]));
    expect(csvEst).toEqual(sorted);
    const summary = JSON.parse(file(a, 'results.json')).figures.curve;
    expect(summary.files).toEqual(['curve.svg', 'curve.vl.json', 'curve.csv', 'curve.pdf']);
    expect(summary.models).toBe(12);
    expect(summary.median).toBeCloseTo(median, 12);
    expect(summary.share_significant).toBeCloseTo(share, 12);
    expect(file(a, 'curve.svg')).toContain(`median ${median.toFixed(3)}`);
  });

  it("gives seeded p-values under the null; public capital's effect is far from what the null produces", () => {
    const inf = JSON.parse(file(a, 'results.json')).figures.curve_lpc.inference;
    expect(inf).toMatchObject({ reps: 40, seed: 7, failed: 0 });
    // Without removing the effect, the bootstrap medians would sit around the observed one (p near one half).
    expect(inf.p_median).toBeLessThanOrEqual(0.05);
    expect(inf.p_share_significant).toBeGreaterThanOrEqual(0);
    expect(inf.p_share_significant).toBeLessThanOrEqual(1);
  });

  it('the coefficient plot has a point and an interval per model and term', () => {
    const svg = file(a, 'coefs.svg');
    const vl = JSON.parse(file(a, 'coefs.vl.json'));
    // 3 models of the slice, each with lpcap and lpc
    expect(vl.data.values).toHaveLength(3 * 2);
    expect(vl.data.values.map((v: { model: string }) => v.model)).toContain('(2) full');
    const points = Array.from(
      new DOMParser().parseFromString(svg, 'image/svg+xml').getElementsByTagName('path'),
    ).filter((p) => p.getAttribute('aria-roledescription') === 'point');
    expect(points).toHaveLength(6);
  });
});
