// Parity of the example specs' linear models (interactions, i(), sunab, weights, singletons, IV) with fixest 0.12.1
// and AER::ivreg: tests/parity/linear/fixest-linear.R (raw output fixest-linear.out, numbers fixest-linear.json).
// Tolerance: 1e-6 relative (absolute below 1e-8) on coefficients, standard errors, p-values and every statistic.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelResult } from '../../engine/results/types.js';
import { runFiles } from '../helpers/pipeline.js';

interface Expected {
  coefficients: Record<string, { estimate: number; se: number; p?: number }>;
  stats?: Record<string, number>;
  diagnostics?: Record<string, { stat: number; p: number }>;
}
const expected: Record<string, Expected> = JSON.parse(
  readFileSync(new URL('../parity/linear/fixest-linear.json', import.meta.url), 'utf8'),
);
const root = fileURLToPath(new URL('../..', import.meta.url));
const SPECS = ['interactions', 'singletons', 'iv', 'event-study', 'did'];

const results = new Map<string, ModelResult>();
beforeAll(async () => {
  for (const s of SPECS) {
    const r = await runFiles([`${root}specs/examples/${s}.yaml`], root);
    expect(r.errors).toEqual([]);
    for (const m of r.runs[0]!.models) results.set(`${s}/${m.key}`, m.result);
  }
}, 120_000); // several specs estimated before the cases: slow on a loaded machine, never a speed assertion

function close(actual: number | null | undefined, want: number, what: string): void {
  expect(actual, what).not.toBeNull();
  expect(actual, what).not.toBeUndefined();
  const err = Math.abs(actual! - want);
  const ok = err <= 1e-6 * Math.abs(want) || err <= 1e-8;
  expect(ok, `${what}: ${actual} vs ${want}`).toBe(true);
}

function firstStage(id: string): ModelResult {
  const [spec, model, , endo] = id.split('/');
  const r = results.get(`${spec}/${model}`)!;
  return (r.detail as { firstStages: Record<string, ModelResult> }).firstStages[endo!]!;
}

const fixestCases = Object.keys(expected).filter((k) => !k.startsWith('aer/'));

describe('fixest 0.12.1 parity of the example specs', () => {
  it('covers every model of the parity specs', () => {
    const ids = [...results.keys()];
    for (const id of ids) expect(fixestCases, `${id} has expected numbers`).toContain(id);
  });

  it.each(fixestCases)('%s', (id) => {
    const e = expected[id]!;
    const r = id.includes('/first/') ? firstStage(id) : results.get(id);
    expect(r, id).toBeDefined();
    expect(Object.keys(r!.coefficients).sort()).toEqual(Object.keys(e.coefficients).sort());
    for (const [term, c] of Object.entries(e.coefficients)) {
      const a = r!.coefficients[term]!;
      close(a.estimate, c.estimate, `${id} ${term} estimate`);
      close(a.se, c.se, `${id} ${term} se`);
      if (c.p !== undefined) close(a.p, c.p, `${id} ${term} p`);
    }
    for (const [k, v] of Object.entries(e.stats ?? {})) {
      if (k === 'nobs') expect(r!.nobs, `${id} nobs`).toBe(v);
      else close(r!.stats[k], v, `${id} ${k}`);
    }
  });
});

describe('AER::ivreg parity (models without fixed effects)', () => {
  const names: Record<string, string> = { '(Intercept)': '(Intercept)', lrincome: 'lrincome', lrprice: 'lrprice' };
  it.each(['iv_just', 'iv_over_iid', 'iv_over'])(
    '%s: coefficients, SEs, weak-instrument F, Wu–Hausman, Sargan',
    (id) => {
      const e = expected[`aer/${id}`]!;
      const r = results.get(`iv/${id}`)!;
      for (const [term, c] of Object.entries(e.coefficients)) {
        close(r.coefficients[names[term]!]!.estimate, c.estimate, `${id} ${term}`);
        close(r.coefficients[names[term]!]!.se, c.se, `${id} ${term} se`);
      }
      const d = e.diagnostics!;
      if (id !== 'iv_over') {
        // AER's diagnostics use the iid first stage; with vcov = HC1 they follow the supplied vcov, which fixest's ivf1 does not
        close(r.stats['first_stage_f'], d['Weak instruments']!.stat, `${id} weak instruments F`);
        close(r.stats['first_stage_f_p'], d['Weak instruments']!.p, `${id} weak instruments p`);
        close(r.stats['wu_hausman'], d['Wu-Hausman']!.stat, `${id} Wu–Hausman`);
      }
      if (d['Sargan'] && Number.isFinite(d['Sargan'].stat)) {
        close(r.stats['sargan'], d['Sargan'].stat, `${id} Sargan`);
        close(r.stats['sargan_p'], d['Sargan'].p, `${id} Sargan p`);
      }
    },
  );
});
