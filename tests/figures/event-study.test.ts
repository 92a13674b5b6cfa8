/**
 * The event-study figure's numbers: one point per `period::k:treat` coefficient plus the reference period at zero,
 * bands estimate ± t(0.975, df_t)·se (R: qt(0.975, 107) = 1.982383370176), in event-time order; and the
 * diagnostics of a figure that names no model or a model without event-time coefficients.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventStudyPoints, tQuantile } from '../../engine/figures/event-study.js';
import { normalizedFigureSpec } from '../../engine/normalize/figure-defaults.js';
import type { NormalizedEventStudyFigure } from '../../engine/normalize/plan.js';
import { runFiles } from '../helpers/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('event-study figure data', () => {
  it('t quantiles match R', () => {
    expect(tQuantile(0.975, 107)).toBeCloseTo(1.982383370176, 9);
    expect(tQuantile(0.95, 12)).toBeCloseTo(1.782287555649, 9);
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.95996398454, 9);
  });

  it('plots every period::k:treat coefficient and the reference at zero, with t bands', async () => {
    const r = await runFiles([join(root, 'specs/examples/did.yaml')], root);
    const did = r.runs[0]!.models.find((m) => m.key === 'did')!.result;
    const spec = normalizedFigureSpec({
      kind: 'event_study',
      model: 'did',
      reference: 5,
    }) as NormalizedEventStudyFigure;
    const { term, points } = eventStudyPoints(did, spec, 'f');
    expect(term).toBe('period');
    expect(points.map((p) => p.k)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const ref = points.find((p) => p.k === 5)!;
    expect(ref).toEqual({ k: 5, estimate: 0, low: 0, high: 0, reference: true });
    expect(did.stats['df_t']).toBe(107);
    const c = did.coefficients['period::8:treat']!;
    const p8 = points.find((p) => p.k === 8)!;
    expect(p8.estimate).toBe(c.estimate);
    expect(p8.high - p8.estimate).toBeCloseTo(1.982383370176 * c.se!, 10);
    expect(p8.estimate - p8.low).toBeCloseTo(1.982383370176 * c.se!, 10);
    const vl = JSON.parse(r.files.find((f) => f.path.endsWith('did_event_study.vl.json'))!.data as string);
    expect(vl.data.values).toHaveLength(10);
  });

  it('a figure naming an unknown model, or a model without NAME::k coefficients, is a diagnostic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-fig-'));
    const data = join(root, 'data', 'grunfeld.csv');
    writeFileSync(
      join(dir, 'unknown.yaml'),
      `data: { source: ${data} }\nmodels:\n  m: { formula: inv ~ value }\nfigures:\n  f: { kind: event_study, model: nope }\n`,
    );
    writeFileSync(
      join(dir, 'noterms.yaml'),
      `data: { source: ${data} }\nmodels:\n  m: { formula: inv ~ value }\nfigures:\n  f: { kind: event_study, model: m }\n`,
    );
    const u = await runFiles([join(dir, 'unknown.yaml')], dir);
    expect(u.errors.map((e) => [e.code, e.line, e.col])).toEqual([['UNKNOWN_MODEL', 5, 34]]);
    const n = await runFiles([join(dir, 'noterms.yaml')], dir);
    expect(n.errors.map((e) => e.code)).toEqual(['FIGURE_NO_TERMS']);
    expect(n.files.some((f) => f.path.endsWith('.svg'))).toBe(false);
  });
});
