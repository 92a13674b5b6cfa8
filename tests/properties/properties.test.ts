/**
 * Property-based tests (fast-check, fixed seeds so that a failure reproduces): the expression parser and evaluator,
 * the CSV reader, and the `extends` merge. Each property is checked on a few hundred random cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, type Expr } from '../../engine/expr/ast.js';
import { parseExpr } from '../../engine/expr/parse.js';
import { evaluate } from '../../engine/expr/evaluate.js';
import { Frame } from '../../engine/core/frame.js';
import { buildPanel } from '../../engine/core/panel.js';
import { readCsv } from '../../engine/data/read/csv.js';
import { deepMerge } from '../../engine/load/merge.js';
import { loadSpec } from '../../engine/load/load-spec.js';

const SEED = 20261130;
const run = { seed: SEED, numRuns: 300 };

// ---- expressions ---------------------------------------------------------------------------------------------------
const varName = fc.constantFrom('a', 'b', 'c', 'x.1', '年末人口');
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: 0, max: 1000 }).map((v): Expr => ({ kind: 'num', value: v, pos: 0 })),
    varName.map((name): Expr => ({ kind: 'var', name, pos: 0 })),
    fc
      .tuple(fc.constantFrom('-' as const, 'not' as const), tie('e'))
      .map(([op, arg]): Expr => ({ kind: 'unary', op, arg, pos: 0 })),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom('+', '-', '*', '/', '^', '==', '!=', '<', '<=', '>', '>=', 'and', 'or') as fc.Arbitrary<
          Extract<Expr, { kind: 'binary' }>['op']
        >,
        tie('e'),
      )
      .map(([left, op, right]): Expr => ({ kind: 'binary', op, left, right, pos: 0 })),
    fc
      .tuple(fc.constantFrom('log', 'abs', 'if', 'max'), fc.array(tie('e'), { minLength: 1, maxLength: 3 }))
      .map(([name, args]): Expr => ({ kind: 'call', name, args, pos: 0 })),
  ),
})).e;

function frameOf(cols: Record<string, number[]>, n: number): Frame {
  return new Frame(
    n,
    Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v)] as [string, Float64Array]),
  );
}

const same = (x: number, y: number) => (Number.isNaN(x) && Number.isNaN(y)) || x === y;

describe('expressions (property-based)', () => {
  it('parse ∘ print is the identity on the printed form (canonical(parse(canonical(e))) = canonical(e))', () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        const printed = canonical(e);
        expect(canonical(parseExpr(printed))).toBe(printed);
      }),
      run,
    );
  });

  it('three-valued logic: De Morgan, double negation, and/or identities hold cell by cell, missing included', () => {
    const tv = fc.array(fc.constantFrom(0, 1, NaN), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(tv, tv, (a0, b0) => {
        const n = Math.min(a0.length, b0.length);
        const frame = frameOf({ a: a0.slice(0, n), b: b0.slice(0, n) }, n);
        const panel = buildPanel(frame, undefined, undefined);
        const ev = (src: string) => evaluate(parseExpr(src), { frame, panel, target: 'p' }).values;
        const pairs: [string, string][] = [
          ['not (a and b)', '(not a) or (not b)'],
          ['not (a or b)', '(not a) and (not b)'],
          ['not not a', 'a'],
          ['a and b', 'b and a'],
          ['a or (a and b)', 'a or (b and a)'],
        ];
        for (const [l, r] of pairs) {
          const x = ev(l);
          const y = ev(r);
          for (let i = 0; i < n; i++) expect(same(x[i]!, y[i]!), `${l} vs ${r} at ${i}`).toBe(true);
        }
        // Kleene: false and missing = false; true or missing = true; otherwise missing stays missing
        const and = ev('a and b');
        for (let i = 0; i < n; i++) {
          const a = a0[i]!,
            b = b0[i]!;
          const want = a === 0 || b === 0 ? 0 : Number.isNaN(a) || Number.isNaN(b) ? NaN : 1;
          expect(same(and[i]!, want)).toBe(true);
        }
      }),
      run,
    );
  });

  it('lag(x, k) equals a brute-force search for the same unit at t − k, with gaps never closed up', () => {
    const panelArb = fc
      .record({
        rows: fc.array(
          fc.record({
            u: fc.integer({ min: 1, max: 4 }),
            t: fc.integer({ min: 2000, max: 2008 }),
            x: fc.integer({ min: -50, max: 50 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        k: fc.integer({ min: 0, max: 3 }),
      })
      .map(({ rows, k }) => {
        const seen = new Set<string>();
        const unique = rows.filter((r) => {
          const key = `${r.u}|${r.t}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        return { rows: unique, k };
      });
    fc.assert(
      fc.property(panelArb, ({ rows, k }) => {
        const n = rows.length;
        const frame = frameOf({ u: rows.map((r) => r.u), t: rows.map((r) => r.t), x: rows.map((r) => r.x) }, n);
        const panel = buildPanel(frame, 'u', 't');
        const got = evaluate(parseExpr(`lag(x, ${k})`), { frame, panel, target: 'l' }).values;
        rows.forEach((r, i) => {
          const prev = rows.find((s) => s.u === r.u && s.t === r.t - k);
          expect(same(got[i]!, prev ? prev.x : NaN), `row ${i}`).toBe(true);
        });
      }),
      run,
    );
  });
});

// ---- CSV -----------------------------------------------------------------------------------------------------------
describe('CSV reader (property-based)', () => {
  it('agrees with a reference on random quoting and line endings (numbers, quoted or not, and text with , " and newlines)', () => {
    const num = fc.integer({ min: -100000, max: 100000 }).map((v) => String(v / 100));
    // (unquoted cells are trimmed by the reader, so the texts have no surrounding spaces)
    const text = fc.stringMatching(/^[a-z,"\n 湖北]{1,6}$/).filter((s) => /[a-z湖北]/.test(s) && s === s.trim());
    const quote = (s: string, force: boolean) => (force || /[,"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const table = fc.record({
      nrows: fc.integer({ min: 1, max: 8 }),
      nums: fc.array(num, { minLength: 8, maxLength: 8 }),
      texts: fc.array(text, { minLength: 8, maxLength: 8 }),
      forceQuote: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
      eol: fc.constantFrom('\n', '\r\n'),
      finalEol: fc.boolean(),
    });
    fc.assert(
      fc.property(table, (t) => {
        const lines = ['n,s'];
        for (let i = 0; i < t.nrows; i++)
          lines.push(`${quote(t.nums[i]!, t.forceQuote[i]!)},${quote(t.texts[i]!, t.forceQuote[8 + i]!)}`);
        const src = lines.join(t.eol) + (t.finalEol ? t.eol : '');
        const r = readCsv(new TextEncoder().encode(src), { file: 'p.csv' });
        expect(r.frame.nrows).toBe(t.nrows);
        const n = r.frame.numeric('n');
        for (let i = 0; i < t.nrows; i++) expect(n[i]).toBe(Number(t.nums[i]));
        const s = r.frame.get('s')!;
        if ('levels' in s) {
          for (let i = 0; i < t.nrows; i++) expect(s.levels[s.codes[i]!]).toBe(t.texts[i]!.replace(/\r\n/g, '\n'));
        }
      }),
      run,
    );
  });
});

// ---- extends -------------------------------------------------------------------------------------------------------
// Layers of one shape (a key holds a number in every layer, or a map in every layer): a number between two maps
// replaces the map, which no regrouping can preserve.
const plain = fc.record(
  { a: fc.integer(), b: fc.integer(), c: fc.dictionary(fc.constantFrom('x', 'y'), fc.integer(), { maxKeys: 2 }) },
  { requiredKeys: [] },
);

describe('extends merge (property-based)', () => {
  it('deepMerge is associative on null-free layers', () => {
    fc.assert(
      fc.property(plain, plain, plain, (a, b, c) => {
        expect(deepMerge(deepMerge(a, b), c)).toEqual(deepMerge(a, deepMerge(b, c)));
      }),
      run,
    );
  });

  it('in any extends graph each file is applied once, after every file it extends (ancestor-once)', () => {
    // File i may extend files j > i: a random DAG over 5 files.
    const dag = fc.array(fc.subarray([1, 2, 3, 4]), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(dag, (edges) => {
        const files: Record<string, string> = {};
        edges.forEach((targets, i) => {
          const bases = targets.filter((j) => j > i).map((j) => `./f${j}.yaml`);
          files[`f${i}.yaml`] = `${bases.length ? `extends: [${bases.join(', ')}]\n` : ''}k${i}: ${i}\nlast: ${i}\n`;
        });
        const r = loadSpec('f0.yaml', '/virtual', (p) => {
          const key = p.replace(/^\/virtual\//, '');
          if (!(key in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
          return files[key]!;
        });
        if (!r.spec) {
          expect(r.diagnostics.map((d) => d.code)).toEqual(['EXTENDS_CONFLICT']);
          return;
        }
        const order = r.spec.layers.map((l) => l.file);
        expect(new Set(order).size).toBe(order.length);
        // every file comes before (is more specific than) the files it extends
        edges.forEach((targets, i) => {
          const at = order.indexOf(`f${i}.yaml`);
          if (at < 0) return;
          for (const j of targets.filter((x) => x > i)) expect(order.indexOf(`f${j}.yaml`)).toBeGreaterThan(at);
        });
        // the most specific file wins
        expect(r.spec.value['last']).toBe(0);
      }),
      run,
    );
  });
});
