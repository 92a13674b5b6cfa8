/**
 * Grids (engine/normalize/grid.ts): the models a grid stands for (crossing, exclude rules, placeholders filled, the
 * `+` an empty alternative leaves dropped, a mapping alternative merged and expanded by leave_one_out), each equal to
 * the model written by hand; table slices; the diagnostics of a bad grid at its YAML line; and the diff of a grid
 * change as the models it adds and removes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../engine/normalize/grid.js';
import { createRunContext } from '../../engine/run/context.js';
import { check } from '../../engine/run/pipeline.js';
import { diffPlans } from '../../engine/diff/semantic-diff.js';
import { runFiles } from '../helpers/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const produc = join(root, 'data', 'produc.csv');
const header = `data: { source: ${produc}, unit: state, time: year }
variables: { lgsp: log(gsp), lpc: log(pc), lemp: log(emp), lpcap: log(pcap), lgsp_pw: log(gsp / emp) }
`;
const grid = `grids:
  g:
    model:
      formula: "{outcome} ~ lpcap + {controls} | state + year"
      sample: "{sample}"
      vcov: "{vcov}"
    dimensions:
      outcome: { output: lgsp, per_worker: lgsp_pw }
      controls: { none: "", full: lpc + unemp }
      sample: { all: "", high: unemp > 6, drop: { leave_one_out: { by: region, values: [3, 5] } } }
      vcov: { state: cluster(state), hc1: hc1 }
    exclude:
      - { outcome: per_worker, controls: none }
`;

function spec(body: string, dir = mkdtempSync(join(tmpdir(), 'specrun-grid-')), name = 'spec.yaml'): string {
  const file = join(dir, name);
  writeFileSync(file, header + body);
  return file;
}

describe('grid expansion', () => {
  it('crosses the dimensions (first outermost), drops excluded combinations and fills placeholders', () => {
    const g = expandGrid('g', {
      model: { formula: '{y} ~ x + {c} | fe', vcov: '{v}', sample: '{s}' },
      dimensions: {
        y: { a: 'ya', b: 'yb' },
        c: { none: '', some: 'c1 + c2' },
        v: { iid: 'iid' },
        s: { all: '', sub: 'z > 1' },
      },
      exclude: [{ y: 'b', c: ['none'] }],
    });
    expect(g.problems).toEqual([]);
    expect(g.models.map((m) => m.tags.map((t) => t[1]).join('/'))).toEqual([
      'a/none/iid/all',
      'a/none/iid/sub',
      'a/some/iid/all',
      'a/some/iid/sub',
      'b/some/iid/all',
      'b/some/iid/sub',
    ]);
    const tidy = (r: Record<string, unknown>) => ({ ...r, formula: String(r['formula']).replace(/\s+/g, ' ') });
    expect(tidy(g.models[0]!.raw)).toEqual({ formula: 'ya ~ x | fe', vcov: 'iid' });
    expect(tidy(g.models[3]!.raw)).toEqual({ formula: 'ya ~ x + c1 + c2 | fe', vcov: 'iid', sample: 'z > 1' });
    // an offset of the filled formula maps back to the template: `x` stays where it was written
    const m = g.models[3]!;
    expect(m.origin('formula', m.raw['formula']!.toString().indexOf('x'))).toBe('{y} ~ x'.indexOf('x'));
  });

  it('reports bad grids: an unknown placeholder, an unused dimension, an unknown exclude choice', () => {
    const codes = (g: unknown) => expandGrid('g', g).problems.map((p) => [p.code, p.path.join('.')]);
    expect(codes({ model: { formula: 'y ~ {x}' }, dimensions: { c: { a: 'u' } } })).toEqual([
      ['GRID_UNKNOWN_PLACEHOLDER', 'grids.g.model.formula'],
      ['GRID_UNUSED_DIMENSION', 'grids.g.dimensions.c'],
    ]);
    expect(
      codes({ model: { formula: 'y ~ {c}' }, dimensions: { c: { a: 'u' } }, exclude: [{ c: 'b' }, { d: 'a' }] }),
    ).toEqual([
      ['GRID_UNKNOWN_CHOICE', 'grids.g.exclude.0.c'],
      ['GRID_UNKNOWN_CHOICE', 'grids.g.exclude.1.d'],
    ]);
    expect(codes({ model: { formula: 'y ~ {c}' }, dimensions: { c: { a: 'u' } }, exclude: [{ c: 'a' }] })).toEqual([
      ['GRID_EMPTY', 'grids.g.exclude'],
    ]);
    expect(
      expandGrid('g', {
        model: { formula: 'y ~ {c}' },
        dimensions: { c: { a: 'u', b: 'v' } },
        exclude: [{ c: ['a'] }, { c: 'a' }],
      }).warnings.map((w) => w.code),
    ).toEqual(['GRID_EXCLUDE_NOTHING']);
  });
});

describe('grid models in a run', () => {
  it('each model equals the same model written by hand, with stable ids and choices', async () => {
    const a = await runFiles([spec(grid)], root);
    expect(a.errors).toEqual([]);
    const models = a.runs[0]!.models;
    // (2 × 2 − 1) outcome × controls, (2 + 2 left-out regions) samples, 2 variances
    expect(models).toHaveLength(3 * 4 * 2);
    expect(models[0]!.key).toBe('g[outcome=output,controls=none,sample=all,vcov=state]');
    expect(models.map((m) => m.key)).toContain('g[outcome=per_worker,controls=full,sample=drop,vcov=hc1,loo=5]');
    expect(models.find((m) => m.key.endsWith('loo=5]'))!.plan.choices).toEqual({
      outcome: 'output',
      controls: 'none',
      sample: 'drop',
      vcov: 'state',
      loo: '5',
    });
    const hand = await runFiles(
      [
        spec(`models:
  "g[outcome=output,controls=none,sample=all,vcov=state]": { formula: lgsp ~ lpcap | state + year, vcov: cluster(state) }
  "g[outcome=per_worker,controls=full,sample=high,vcov=hc1]": { formula: lgsp_pw ~ lpcap + lpc + unemp | state + year, sample: unemp > 6, vcov: hc1 }
  "g[outcome=output,controls=full,sample=drop,vcov=state,loo=3]": { formula: lgsp ~ lpcap + lpc + unemp | state + year, sample: region != 3, vcov: cluster(state) }
`),
      ],
      root,
    );
    expect(hand.errors).toEqual([]);
    for (const h of hand.runs[0]!.models) {
      const g = models.find((m) => m.key === h.key);
      expect(g, h.key).toBeDefined();
      expect(g!.result.coefficients, h.key).toEqual(h.result.coefficients);
      expect(g!.result.nobs, h.key).toBe(h.result.nobs);
    }
  });

  it('a table shows a slice of the grid, each column headed by the choices that vary', async () => {
    const r = await runFiles(
      [
        spec(`${grid}tables:
  t:
    columns: [{ grid: g, where: { outcome: output, vcov: state, sample: [all, high] } }]
`),
      ],
      root,
    );
    expect(r.errors).toEqual([]);
    const t = r.runs[0]!.checked.plan.tables[0]!;
    expect(t.models).toEqual([
      'g[outcome=output,controls=none,sample=all,vcov=state]',
      'g[outcome=output,controls=none,sample=high,vcov=state]',
      'g[outcome=output,controls=full,sample=all,vcov=state]',
      'g[outcome=output,controls=full,sample=high,vcov=state]',
    ]);
    expect(t.spec.columns.map((c) => (typeof c === 'string' ? c : c.label))).toEqual([
      'none, all',
      'none, high',
      'full, all',
      'full, high',
    ]);
  });

  it('reports a bad grid at its YAML position', async () => {
    const cases: [string, string, number][] = [
      [
        'grids:\n  g:\n    model: { formula: "lgsp ~ {c} + {x}" }\n    dimensions: { c: { a: lpc } }\n',
        'GRID_UNKNOWN_PLACEHOLDER',
        5,
      ],
      [
        'grids:\n  g:\n    model: { formula: "lgsp ~ {c}", vcov: iid, colour: red }\n    dimensions: { c: { a: lpc } }\n',
        'SCHEMA_UNKNOWN_KEY',
        5,
      ],
      [
        'grids:\n  g:\n    model: { formula: "lgsp ~ {c}" }\n    dimensions: { c: { a: lpc, b: { sample: "unemp > 5", weight: emp } } }\n',
        'SCHEMA_UNKNOWN_KEY',
        6,
      ],
      [
        'models:\n  g: { formula: lgsp ~ lpc }\ngrids:\n  g:\n    model: { formula: "lgsp ~ {c}" }\n    dimensions: { c: { a: lpc } }\n',
        'SPEC_CONFLICT',
        6,
      ],
      [
        'grids:\n  g:\n    model: { formula: "lgsp ~ {c} + lpcap:sw(lpc, unemp)" }\n    dimensions: { c: { a: lemp } }\n',
        'MULTIPLE_ESTIMATION',
        5,
      ],
      [`${grid}tables:\n  t: { columns: [{ grid: g, where: { controls: partial } }] }\n`, 'GRID_UNKNOWN_CHOICE', 17],
    ];
    for (const [body, code, line] of cases) {
      const r = await runFiles([spec(body)], root);
      expect(
        r.errors.map((e) => [e.code, e.line]),
        body,
      ).toEqual([[code, line]]);
    }
    const w = await runFiles([spec(`${grid}      - { outcome: output, controls: half }\n`)], root);
    expect(w.errors.map((e) => e.code)).toEqual(['GRID_UNKNOWN_CHOICE']);
  });

  it('the diff reports a grid change as the models it adds and removes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specrun-grid-diff-'));
    const ctx = createRunContext();
    const oldFile = spec(grid, dir, 'old.yaml');
    const newFile = spec(
      grid
        .replace('controls: { none: "", full: lpc + unemp }', 'controls: { full: lpc + unemp, private: lpc }')
        .replace('controls: none }', 'controls: private }'),
      dir,
      'new.yaml',
    );
    const o = await check(oldFile, dir, ctx);
    const n = await check(newFile, dir, ctx);
    expect([...o.diagnostics, ...n.diagnostics].filter((x) => x.severity === 'error')).toEqual([]);
    const d = diffPlans(
      { plan: o.spec!.plan, dataChecksum: null },
      { plan: n.spec!.plan, dataChecksum: null },
      ctx.estimators,
    );
    // controls=none goes and controls=private comes, each for one outcome (the other is excluded): 4 samples × 2 variances
    expect(d.models.removed).toHaveLength(4 * 2);
    expect(d.models.removed.every((id) => id.includes('controls=none'))).toBe(true);
    expect(d.models.added).toHaveLength(4 * 2);
    expect(d.models.added.every((id) => id.includes('controls=private'))).toBe(true);
    expect(d.models.changed).toEqual([]);
  });
});
