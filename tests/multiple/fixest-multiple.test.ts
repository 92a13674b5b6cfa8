// Parity of multiple estimation (c(), sw0, csw, csw0, mvsw, split; leave_one_out against one feols per region) with
// fixest 0.12.1: tests/parity/multiple/produc.R (raw output produc.out, numbers produc.json), on
// specs/examples/multiple-estimation.yaml. Tolerance: 1e-6 relative (absolute below 1e-8).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelResult } from '../../engine/results/types.js';
import { runFiles } from '../helpers/pipeline.js';

interface Expected {
  coefficients: Record<string, { estimate: number; se: number; p: number }>;
  stats: { nobs: number; r2: number };
}
const expected: Record<string, Expected> = JSON.parse(
  readFileSync(new URL('../parity/multiple/produc.json', import.meta.url), 'utf8'),
);
const root = fileURLToPath(new URL('../..', import.meta.url));

const results = new Map<string, ModelResult>();
const order: string[] = [];
beforeAll(async () => {
  const r = await runFiles([`${root}specs/examples/multiple-estimation.yaml`], root);
  expect(r.errors).toEqual([]);
  for (const m of r.runs[0]!.models) {
    results.set(`multiple-estimation/${m.key}`, m.result);
    order.push(`multiple-estimation/${m.key}`);
  }
}, 120_000); // several specs estimated before the cases: slow on a loaded machine, never a speed assertion

function close(actual: number | null | undefined, want: number, what: string): void {
  expect(actual, what).not.toBeNull();
  expect(actual, what).not.toBeUndefined();
  const err = Math.abs(actual! - want);
  expect(err <= 1e-6 * Math.abs(want) || err <= 1e-8, `${what}: ${actual} vs ${want}`).toBe(true);
}

describe('multiple estimation: fixest 0.12.1 parity on Produc', () => {
  it("expands into the same models, in fixest's order (sample, outcome, regressors, fixed effects)", () => {
    expect(order).toEqual(Object.keys(expected));
  });

  it.each(Object.keys(expected))('%s', (id) => {
    const e = expected[id]!;
    const r = results.get(id);
    expect(r, id).toBeDefined();
    expect(Object.keys(r!.coefficients).sort()).toEqual(Object.keys(e.coefficients).sort());
    for (const [term, c] of Object.entries(e.coefficients)) {
      const a = r!.coefficients[term]!;
      close(a.estimate, c.estimate, `${id} ${term} estimate`);
      close(a.se, c.se, `${id} ${term} se`);
      close(a.p, c.p, `${id} ${term} p`);
    }
    expect(r!.nobs).toBe(e.stats.nobs);
    close(r!.stats['r2'], e.stats.r2, `${id} r2`);
  });
});
