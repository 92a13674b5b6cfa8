/**
 * The fuzz target (issue 13): random specs and data files through `validate` and `run`, for a bounded time, seeded
 * so that a failure reproduces (fast-check prints the seed and the path of the failing case; rerun with
 * FUZZ_SEED=… FUZZ_PATH=…). Every case must end with:
 *   - an exit code of 0, 1 or 2, and never "internal error" (a stack trace is a bug);
 *   - nothing written outside --out (the working folder holds only its inputs, the output folder and the cache);
 *   - no partial output: a failed run leaves no output folder; a successful one writes results.json;
 *   - validate failing for a spec reason (exit 2) whenever run does.
 * FUZZ_MS sets the time budget (default 20 s), FUZZ_SEED the seed (default 20261130).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261130);
const BUDGET_MS = Number(process.env['FUZZ_MS'] ?? 20000);
const PATH = process.env['FUZZ_PATH'];

// ---- data files --------------------------------------------------------------------------------------------------
const cell = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => String(Math.round(x * 1000) / 1000)),
  },
  { weight: 3, arbitrary: fc.integer({ min: -5, max: 5 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'NA',
      '.',
      'NaN',
      'Inf',
      '1e999',
      '-1e400',
      'n/a',
      '"1,5"',
      '\u001b[31mred',
      'x\u0007y',
      '湖北',
      '0',
    ),
  },
);
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const dataFile = fc
  .record({
    units: fc.integer({ min: 1, max: 6 }),
    periods: fc.integer({ min: 1, max: 5 }),
    extra: fc.array(fc.constantFrom('w', 'toString', 'constructor', '__proto__', 'y', 'g', ''), { maxLength: 2 }),
    cells: fc.array(cell, { minLength: 200, maxLength: 200 }),
    eol: lineEnd,
    dupRow: fc.boolean(),
  })
  .map((d) => {
    const header = ['id', 't', 'y', 'x', 'z', ...d.extra];
    const rows: string[] = [header.join(',')];
    let k = 0;
    for (let u = 1; u <= d.units; u++) {
      for (let t = 0; t < d.periods; t++) {
        const vals = header.slice(2).map(() => d.cells[k++ % d.cells.length]!);
        rows.push([String(u), String(2000 + t), ...vals].join(','));
      }
    }
    if (d.dupRow && rows.length > 1) rows.push(rows[1]!);
    return rows.join(d.eol) + d.eol;
  });

// ---- specs -------------------------------------------------------------------------------------------------------
const name = fc.constantFrom('y', 'x', 'z', 'w', 'v1', 'v2', 'toString', 'constructor', 'id', 't', 'nope');
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    name,
    fc.integer({ min: -3, max: 3 }).map(String),
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', '==', '<', 'and', 'or'), tie('e'))
      .map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc
      .tuple(
        fc.constantFrom('log', 'exp', 'abs', 'sqrt', 'lag', 'lead', 'diff', 'is_na', 'not', 'eval', 'constructor'),
        tie('e'),
      )
      .map(([f, a]) => `${f}(${a})`),
    fc
      .tuple(fc.constantFrom('lag', 'lead'), name, fc.integer({ min: -2, max: 3 }))
      .map(([f, a, k]) => `${f}(${a}, ${k})`),
    fc.constantFrom('if(x > 0, y, z)', '`y`', "x == 'a'", '((((x))))', '1e999', 'x +', ')', ''),
  ),
})).e;
const term = fc.oneof(
  name,
  fc.tuple(name, fc.integer({ min: 0, max: 2 })).map(([n, k]) => `lag(${n}, ${k})`),
);
const formula = fc
  .tuple(name, fc.array(term, { minLength: 1, maxLength: 3 }), fc.constantFrom('', ' | id', ' | id + t', ' | nope'))
  .map(([y, xs, fe]) => `${y} ~ ${xs.join(' + ')}${fe}`);
const vcov = fc.constantFrom('iid', 'hc1', 'cluster(id)', 'cluster(t)', 'cluster(id, t)', 'cluster(nope)', 'bogus');
const model = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        formula,
        vcov,
        sample: fc.option(fc.constantFrom('s1', 'x > 0', 'nope', 'id == 1'), { nil: undefined }),
        label: fc.option(fc.constantFrom('A', '(1)', '\u001b'), { nil: undefined }),
      },
      { requiredKeys: ['formula'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      estimator: fc.constantFrom('sysgmm', 'diffgmm'),
      formula: fc.tuple(name, name).map(([a, b]) => `${a} ~ lag(${a}, 1) + ${b}`),
      gmm: fc.constant({ instruments: { y: [2, 99] }, steps: 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      estimator: fc.constant('mediation'),
      treatment: name,
      mediator: name,
      outcome: name,
      bootstrap: fc.record({ reps: fc.constantFrom(5, 2.5, 0, 1e12) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      estimator: fc.constantFrom('nope', 'ols'),
      formula: fc.constantFrom('y ~ y + x', 'y ~ x + x', 'y', '~', 'y ~ lag(x, -1)'),
    }),
  },
);
const tableId = fc.constantFrom(
  't1',
  't2',
  'table',
  '../escape',
  'a/b',
  '.hidden',
  'spec-tables',
  'results',
  'CON',
  'x'.repeat(120),
  '表一',
);
const table = fc.record(
  {
    columns: fc.array(fc.constantFrom('m1', 'm2', 'm3', 'nope'), { minLength: 1, maxLength: 3 }),
    digits: fc.option(fc.integer({ min: -3, max: 15 }), { nil: undefined }),
    stars: fc.option(fc.constantFrom([0.1, 0.05, 0.01], [2, -1], [0.5]), { nil: undefined }),
    groups: fc.option(
      fc.constantFrom([{ label: 'g', span: 1 }], [{ label: 'g', span: 5 }], [{ label: 'g', span: 0 }]),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['columns'] },
);
const spec = fc
  .record({
    panel: fc.boolean(),
    rename: fc.option(fc.constantFrom({ x: 'y' }, { x: 'xx' }, { z: 'x', x: 'z' }, { nope: 'a' }), { nil: undefined }),
    variables: fc.dictionary(fc.constantFrom('v1', 'v2', 'toString', 'y'), expr, { maxKeys: 2 }),
    samples: fc.dictionary(fc.constantFrom('s1', 's2'), expr, { maxKeys: 1 }),
    models: fc.dictionary(fc.constantFrom('m1', 'm2', 'm3'), model, { minKeys: 1, maxKeys: 3 }),
    tables: fc.dictionary(tableId, table, { maxKeys: 2 }),
    source: fc.constantFrom('data.csv', 'data.csv', 'data.csv', 'missing.csv', 'builtin:nope', '/dev/zero', '.'),
    junk: fc.option(fc.constantFrom('\t: bad', '&a [*a]', 'extends: spec.yaml', 'extends: /dev/null', '{'), {
      nil: undefined,
    }),
  })
  .map((s) => {
    const doc = {
      data: {
        source: s.source,
        ...(s.panel ? { unit: 'id', time: 't' } : {}),
        ...(s.rename ? { rename: s.rename } : {}),
      },
      ...(Object.keys(s.variables).length ? { variables: s.variables } : {}),
      ...(Object.keys(s.samples).length ? { samples: s.samples } : {}),
      models: s.models,
      ...(Object.keys(s.tables).length ? { tables: s.tables } : {}),
    };
    return JSON.stringify(doc, null, 1) + (s.junk ? `\n${s.junk}\n` : '\n');
  });

function listAll(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    out.push(rel);
    if (e.isDirectory() && rel !== '.specrun-cache') out.push(...listAll(join(dir, e.name), rel));
  }
  return out;
}

describe('fuzz: random specs and data through validate and run', () => {
  it(
    `holds the four promises for ${BUDGET_MS / 1000} s of random cases (seed ${SEED})`,
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'specrun-fuzz-'));
      let iterations = 0;
      const started = performance.now();
      try {
        await fc.assert(
          fc.asyncProperty(spec, dataFile, async (specText, csv) => {
            const dir = join(root, String(iterations++));
            rmSync(dir, { recursive: true, force: true });
            const parent = dir;
            const work = join(parent, 'work');
            for (const d of [parent, work])
              if (!existsSync(d)) (await import('node:fs')).mkdirSync(d, { recursive: true });
            writeFileSync(join(work, 'spec.yaml'), specText);
            writeFileSync(join(work, 'data.csv'), csv);
            const v = await runCli(['validate', 'spec.yaml'], work);
            const r = await runCli(['run', 'spec.yaml', '--out', 'out'], work);
            for (const x of [v, r]) {
              expect([0, 1, 2], x.stderr).toContain(x.code);
              expect(x.stderr).not.toMatch(/internal error/);
            }
            // Nothing outside --out: the parent holds only the working folder, which holds its inputs, out/ and the cache.
            expect(readdirSync(parent)).toEqual(['work']);
            const extra = listAll(work).filter(
              (p) => !['spec.yaml', 'data.csv', '.specrun-cache'].includes(p) && p !== 'out' && !p.startsWith('out/'),
            );
            expect(extra).toEqual([]);
            if (r.code === 0) expect(readdirSync(join(work, 'out'))).toContain('results.json');
            else expect(existsSync(join(work, 'out'))).toBe(false);
            // validate is as strong as run for spec reasons.
            if (r.code === 2) expect(v.code, `run: ${r.stderr}\nvalidate: ${v.stderr}`).toBe(2);
            rmSync(dir, { recursive: true, force: true });
          }),
          {
            seed: SEED,
            path: PATH,
            numRuns: 1_000_000,
            interruptAfterTimeLimit: BUDGET_MS,
            markInterruptAsFailure: false,
            endOnFailure: true,
          },
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(`fuzz: seed ${SEED}, ${iterations} case(s) in ${seconds.toFixed(1)} s`);
      expect(iterations).toBeGreaterThan(10);
    },
    BUDGET_MS + 60000,
  );
});
