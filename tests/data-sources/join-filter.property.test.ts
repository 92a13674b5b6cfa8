/**
 * Property tests (fast-check) of the join and the data-level filter: for random tables with duplicate, missing and
 * unmatched keys, no row is lost or duplicated unaccounted —
 *   main side:   matched + unmatched = read;  kept + dropped = read;  every kept row is a read row, once, in order
 *   joined side: rows some main row matches + unmatched = read
 *   filter:      kept + dropped = in
 * and a key twice on a "one" side is always an error naming a duplicated key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Frame, textColumn, cellText } from '../../engine/core/frame.js';
import { joinFrames } from '../../engine/data/join.js';
import type { SpecrunError } from '../../engine/diagnostics/diagnostic.js';
import { evaluate } from '../../engine/expr/evaluate.js';
import { parseExpr } from '../../engine/expr/parse.js';

const key: fc.Arbitrary<string | null> = fc.option(fc.constantFrom<string>('a', 'b', 'c', 'd', 'e', 'f'), {
  nil: null,
  freq: 6,
});

function mainTable(keys: (string | null)[]): Frame {
  return new Frame(keys.length, [
    ['k', textColumn(keys)],
    ['row', Float64Array.from(keys.map((_, i) => i))],
  ]);
}

function otherTable(keys: (string | null)[]): Frame {
  return new Frame(keys.length, [
    ['k', textColumn(keys)],
    ['v', Float64Array.from(keys.map((_, i) => 100 + i))],
  ]);
}

describe('join accounting (property)', () => {
  it('many_to_one: kept + dropped = read on the main side, matched + unmatched = read on both sides', () => {
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 40 }),
        fc.uniqueArray(fc.constantFrom<string>('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 8 }),
        fc.array(fc.constant(null), { maxLength: 3 }),
        fc.constantFrom<'left' | 'inner'>('left', 'inner'),
        (left, rightUnique, rightMissing, how) => {
          const right: (string | null)[] = [...rightUnique, ...rightMissing];
          const r = joinFrames(mainTable(left), otherTable(right), {
            on: ['k'],
            relation: 'many_to_one',
            how,
            file: 'r',
          });
          const c = r.counts;
          expect(c.left_rows).toBe(left.length);
          expect(c.matched_rows + c.unmatched_rows).toBe(c.left_rows);
          expect(c.rows + c.dropped_rows).toBe(c.left_rows);
          expect(c.dropped_rows).toBe(how === 'inner' ? c.unmatched_rows : 0);
          const matchedRight = right.filter((k) => k !== null && left.includes(k)).length;
          expect(matchedRight + c.right_unmatched_rows).toBe(c.right_rows);
          // The kept rows are read rows, each once, in their order; each carries its own key's value or missing.
          const rows = Array.from(r.frame.numeric('row'));
          expect(rows).toEqual([...rows].sort((a, b) => a - b));
          expect(new Set(rows).size).toBe(rows.length);
          const v = r.frame.numeric('v');
          rows.forEach((row, i) => {
            const k = left[row]!;
            const j = k === null ? -1 : right.indexOf(k);
            if (j < 0) expect(Number.isNaN(v[i]!)).toBe(true);
            else expect(v[i]).toBe(100 + j);
            expect(cellText(r.frame.get('k')!, i)).toBe(k);
          });
          // Distinct unmatched keys as counted.
          const unmatched = new Set(
            left.filter((k) => k === null || !right.includes(k)).map((k) => k ?? '(missing key)'),
          );
          expect(c.unmatched_keys).toBe(unmatched.size);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a duplicated key on a "one" side is an error naming it', () => {
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 20 }),
        fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 10 }),
        fc.constantFrom<'many_to_one' | 'one_to_one'>('many_to_one', 'one_to_one'),
        (left, right, relation) => {
          const rightDup = right.find((k, i) => right.indexOf(k) !== i);
          const leftKeys = left.filter((k): k is string => k !== null);
          const leftDup = leftKeys.find((k, i) => leftKeys.indexOf(k) !== i);
          const expectError = rightDup !== undefined || (relation === 'one_to_one' && leftDup !== undefined);
          let error: SpecrunError | null = null;
          try {
            joinFrames(mainTable(left), otherTable(right), { on: ['k'], relation, how: 'left', file: 'r' });
          } catch (e) {
            error = e as SpecrunError;
          }
          expect(error !== null).toBe(expectError);
          if (error) {
            expect(error.code).toBe('DATA_JOIN_DUPLICATE_KEY');
            const dups = rightDup !== undefined ? right : leftKeys;
            expect(dups.filter((k) => k === error!.args['key']).length).toBeGreaterThan(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('filter accounting (property)', () => {
  it('kept + dropped = in, and the kept rows are exactly those where the condition is true', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }), { maxLength: 50 }),
        fc.integer({ min: -5, max: 5 }),
        (xs, cut) => {
          const frame = new Frame(xs.length, [['x', Float64Array.from(xs.map((x) => (x === null ? NaN : x)))]]);
          const mask = evaluate(parseExpr(`x > ${cut}`), {
            frame,
            panel: { unit: null, time: null, unitLabels: null },
            target: 'where',
          }).values;
          const keep = new Uint8Array(xs.length);
          let kept = 0;
          for (let i = 0; i < xs.length; i++)
            if (mask[i] === 1) {
              keep[i] = 1;
              kept++;
            }
          const out = frame.filter(keep);
          expect(out.nrows).toBe(kept);
          expect(kept + (xs.length - kept)).toBe(xs.length);
          // Missing x is neither true nor false: the row is dropped, as Stata's `keep if` and pandas' boolean mask do.
          expect(Array.from(out.numeric('x'))).toEqual(xs.filter((x): x is number => x !== null && x > cut));
        },
      ),
      { numRuns: 300 },
    );
  });
});
