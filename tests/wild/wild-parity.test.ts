// The wild cluster bootstrap (WCR) against a base-R script that refits every one of the 2^10 Rademacher samples
// explicitly (tests/parity/wild/wild-enumeration.R; raw output .out, numbers .json): p-values exactly, confidence
// bounds to 1e-6 relative. Also: full enumeration really enumerates, and random draws are reproducible by seed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wildDraws } from '../../engine/estimate/wild/index.js';
import type { ModelResult } from '../../engine/results/types.js';
import { runFiles } from '../helpers/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const expected = JSON.parse(readFileSync(new URL('../parity/wild/wild-enumeration.json', import.meta.url), 'utf8')) as {
  firm_fe: Record<string, { estimate: number; p: number; ci: [number, number]; draws: number }>;
};

async function models(): Promise<Map<string, ModelResult>> {
  const r = await runFiles([`${root}specs/examples/wild-bootstrap.yaml`], root);
  expect(r.errors).toEqual([]);
  return new Map(r.runs[0]!.models.map((m) => [m.key, m.result]));
}

describe('wild cluster bootstrap', () => {
  it('reproduces the base-R full enumeration on Grunfeld (G = 10, 1024 sign vectors)', async () => {
    const m = (await models()).get('firm_fe')!;
    const wild = (
      m.detail as {
        wild: { terms: Record<string, { p: number; ci: [number, number]; draws: number; enumerated: boolean }> };
      }
    ).wild;
    for (const [term, e] of Object.entries(expected.firm_fe)) {
      const w = wild.terms[term]!;
      expect(w.enumerated).toBe(true);
      expect(w.draws).toBe(e.draws);
      expect(w.p).toBe(e.p);
      expect(m.stats[`wild_p:${term}`]).toBe(e.p);
      for (const k of [0, 1] as const) expect(Math.abs(w.ci[k] - e.ci[k]) / Math.abs(e.ci[k])).toBeLessThan(1e-6);
      expect(w.ci[0]).toBeLessThan(m.coefficients[term]!.estimate);
      expect(w.ci[1]).toBeGreaterThan(m.coefficients[term]!.estimate);
    }
    expect(m.notes.map((n) => n.code)).toContain('WILD_FEW_CLUSTERS');
  });

  it('enumerates every sign vector once when 2^G ≤ reps, and draws reproducibly otherwise', () => {
    const e = wildDraws(4, 16, 'rademacher', 1);
    expect(e.enumerated).toBe(true);
    const rows = new Set<string>();
    for (let k = 0; k < e.count; k++) rows.add(Array.from(e.v.slice(k * 4, k * 4 + 4)).join(','));
    expect(rows.size).toBe(16);
    expect(wildDraws(4, 15, 'rademacher', 1).enumerated).toBe(false);
    const a = wildDraws(12, 99, 'webb', 7),
      b = wildDraws(12, 99, 'webb', 7),
      c = wildDraws(12, 99, 'webb', 8);
    expect(Array.from(a.v)).toEqual(Array.from(b.v));
    expect(Array.from(a.v)).not.toEqual(Array.from(c.v));
    expect(new Set(Array.from(a.v).map((x) => x.toFixed(6))).size).toBe(6);
  });

  it('gives the same Webb-weight result on every run (seeded)', async () => {
    const [a, b] = [await models(), await models()];
    expect(a.get('webb')!.stats['wild_p:capital']).toBe(b.get('webb')!.stats['wild_p:capital']);
    expect(a.get('webb')!.stats['wild_p:capital']).toBeGreaterThan(0);
  });
});
