/**
 * Multiple estimation inside one formula, with fixest's conventions (`?feols`, section "Multiple estimations"):
 *
 * - `c(y1, y2) ~ x`: one model per outcome (tag `lhs=y2`);
 * - stepwise functions, in the regressors or in the fixed-effects part (at most one per part, never in the IV part):
 *   `sw(a, b)` one model per argument (`a`, then `b`); `sw0(a, b)` the same after a model without any of them;
 *   `csw(a, b)` cumulative (`a`, then `a + b`); `csw0(a, b)` the same after a model without them; `mvsw(a, b)` every
 *   subset, the empty one first, then by size and in the order of the arguments (fixest: `mvsw(x1, x2, x3)` is
 *   `sw0(x1, x2, x3, x1 + x2, x1 + x3, x2 + x3, x1 + x2 + x3)`). An argument may be several terms (`sw(a, b + c)`).
 *
 * The tag of a stepwise variant is the function and the variant's position: 1, 2, … for `sw`/`csw`, with 0 for the
 * model without the stepwise terms of `sw0`/`csw0`, and 0, 1, … in the order above for `mvsw`; in the fixed-effects
 * part the key is prefixed `fe.` (`fe.csw=2`). Each variant is an ordinary formula: the estimator module parses it as
 * if it had been written so, and every offset of the variant maps back to the character written in the spec.
 */
import { ExprSyntaxError } from '../expr/parse.js';
import { splitTopLevelRange as splitTopLevel } from '../expr/formula.js';

export const STEPWISE_FUNCTIONS = ['sw', 'sw0', 'csw', 'csw0', 'mvsw'] as const;
export type StepwiseFunction = (typeof STEPWISE_FUNCTIONS)[number];

/** One formula of a multiple estimation. */
export interface FormulaVariant {
  /** The id tags of the variant, in order: `[['lhs', 'y2'], ['csw', '2']]`. */
  readonly tags: readonly (readonly [string, string])[];
  /** The formula as if written by hand. */
  readonly text: string;
  /** The offset in the formula as written of offset `o` of `text`. */
  origin(o: number): number;
}

/** A misuse of `c()` or a stepwise function, at a character of the formula. */
export class MultipleEstimationError extends ExprSyntaxError {}

/** A piece of a variant's text: copied from the formula at `from`, or written (`from` is where it stands for). */
interface Piece {
  readonly text: string;
  readonly from: number;
  readonly copied: boolean;
}

/** A stretch of the formula that differs between variants, and its variants. */
interface Slot {
  readonly start: number;
  readonly end: number;
  readonly variants: readonly { readonly tag: readonly [string, string]; readonly pieces: readonly Piece[] }[];
}

/** True when the formula uses `c()` on the left or a stepwise function anywhere (a quick test before expanding). */
export function hasMultipleEstimation(formula: string): boolean {
  return /(^|[^\p{L}\p{N}_.])(sw0?|csw0?|mvsw)\s*\(/u.test(formula) || /^\s*c\s*\(/.test(formula);
}

/**
 * The formulas a formula with `c()` or stepwise functions stands for, in fixest's order (outcome, then regressors,
 * then fixed effects); null when it uses neither. Throws MultipleEstimationError at the misused character.
 */
export function expandFormula(src: string): FormulaVariant[] | null {
  if (!hasMultipleEstimation(src)) return null;
  const parts = splitTopLevel(src, '|', 0, src.length);
  const tildes = parts.map((p) => topLevelIndex(src, '~', p.start, p.end));
  if (tildes[0]! < 0) return null; // parseFormula reports the missing '~'
  const slots: Slot[] = [];

  // the outcomes: c(y1, y2) as the whole left-hand side
  const lhsStart = parts[0]!.start,
    lhsEnd = tildes[0]!;
  const lhs = src.slice(lhsStart, lhsEnd);
  const cCall = /^(\s*)c\s*\(/.exec(lhs);
  if (cCall) {
    const open = lhsStart + cCall[0].length - 1;
    const close = matchingParen(src, open);
    if (close < 0 || src.slice(close + 1, lhsEnd).trim() !== '') {
      throw new MultipleEstimationError(
        'several outcomes are written c(y1, y2), alone on the left-hand side',
        lhsStart + cCall[1]!.length,
      );
    }
    const args = callArguments(src, open, close);
    const seen = new Set<string>();
    slots.push({
      start: lhsStart + cCall[1]!.length,
      end: close + 1,
      variants: args.map((a) => {
        if (seen.has(a.text)) throw new MultipleEstimationError(`outcome ${a.text} appears twice in c()`, a.start);
        seen.add(a.text);
        return { tag: ['lhs', a.text] as const, pieces: [{ text: a.text, from: a.start, copied: true }] };
      }),
    });
  }
  checkNoStepwise(src, lhsStart, lhsEnd, 'on the left-hand side; several outcomes are written c(y1, y2)');

  // the regressors, the fixed effects, the IV part
  parts.forEach((p, k) => {
    const isIv = k > 0 && tildes[k]! >= 0;
    if (isIv) {
      checkNoStepwise(src, p.start, p.end, 'in the IV part (fixest allows none there either)');
      return;
    }
    if (k > 1) return; // parseFormula reports a fourth part
    const from = k === 0 ? tildes[0]! + 1 : p.start;
    const slot = stepwiseSlot(src, from, p.end, k === 0 ? '' : 'fe.', k === 0 ? '1' : '0');
    if (slot) slots.push(slot);
  });
  if (slots.length === 0) return null;

  // every combination, the first slot outermost
  const out: FormulaVariant[] = [];
  const pick = (i: number, chosen: Slot['variants'][number][]): void => {
    if (i === slots.length) {
      out.push(assemble(src, slots, chosen));
      return;
    }
    for (const v of slots[i]!.variants) pick(i + 1, [...chosen, v]);
  };
  pick(0, []);
  return out;
}

function assemble(src: string, slots: readonly Slot[], chosen: readonly Slot['variants'][number][]): FormulaVariant {
  const pieces: Piece[] = [];
  let at = 0;
  slots.forEach((s, i) => {
    if (s.start > at) pieces.push({ text: src.slice(at, s.start), from: at, copied: true });
    pieces.push(...chosen[i]!.pieces);
    at = s.end;
  });
  if (at < src.length) pieces.push({ text: src.slice(at), from: at, copied: true });
  const text = pieces.map((p) => p.text).join('');
  return {
    tags: chosen.map((c) => c.tag),
    text,
    origin(o: number): number {
      let start = 0;
      for (const p of pieces) {
        if (o < start + p.text.length) return p.copied ? p.from + (o - start) : p.from;
        start += p.text.length;
      }
      return src.length;
    },
  };
}

/** The stepwise call of one part (between `from` and `end`), as a slot; null when the part has none. */
function stepwiseSlot(src: string, from: number, end: number, prefix: string, emptyPart: string): Slot | null {
  const calls = stepwiseCalls(src, from, end);
  if (calls.length === 0) return null;
  if (calls.length > 1) {
    throw new MultipleEstimationError(
      `one stepwise function per part of the formula: ${calls[0]!.fn}() and ${calls[1]!.fn}() are both here`,
      calls[1]!.start,
    );
  }
  const call = calls[0]!;
  if (call.depth > 0) {
    throw new MultipleEstimationError(
      `${call.fn}() must be a term of its own, not inside lag(), i() or another call`,
      call.start,
    );
  }
  const before = prevNonSpace(src, call.start, from);
  const after = nextNonSpace(src, call.close + 1, end);
  if ((before >= 0 && src[before] !== '+') || (after < end && src[after] !== '+')) {
    const op = before >= 0 && src[before] !== '+' ? src[before] : src[after];
    throw new MultipleEstimationError(
      `${call.fn}() cannot be part of an interaction or product ('${op}'); write the interaction inside it: ${call.fn}(x:z, w)`,
      call.start,
    );
  }
  const args = callArguments(src, call.open, call.close);
  for (const a of args) checkNoStepwise(src, a.start, a.start + a.text.length, `inside ${call.fn}()`);
  // the slot takes the '+' that joins the call to its neighbours, so that a variant without terms leaves none behind
  let start = call.start,
    endAt = call.close + 1,
    lead = '',
    trail = '',
    empty = '';
  if (before >= 0) {
    start = before;
    lead = ' + ';
  } else if (after < end) {
    endAt = after + 1;
    trail = ' +';
  } else empty = emptyPart;
  const joinFrom = start;
  const variantOf = (index: number, chosen: readonly number[]): Slot['variants'][number] => {
    const pieces: Piece[] = [];
    if (chosen.length === 0) {
      if (empty) pieces.push({ text: ` ${empty} `, from: call.start, copied: false });
    } else {
      if (lead) pieces.push({ text: lead, from: joinFrom, copied: false });
      chosen.forEach((c, j) => {
        if (j > 0) pieces.push({ text: ' + ', from: args[c]!.start, copied: false });
        pieces.push({ text: args[c]!.text, from: args[c]!.start, copied: true });
      });
      if (trail) pieces.push({ text: trail, from: after, copied: false });
    }
    return { tag: [`${prefix}${call.fn}`, String(index)], pieces };
  };
  return { start, end: endAt, variants: stepwiseSelections(call.fn, args.length).map(([i, c]) => variantOf(i, c)) };
}

/** fixest's selections of the arguments of a stepwise function of `n` arguments, each with its tag index. */
export function stepwiseSelections(fn: StepwiseFunction, n: number): [number, number[]][] {
  const range = (k: number) => Array.from({ length: k }, (_, j) => j);
  switch (fn) {
    case 'sw':
      return range(n).map((i) => [i + 1, [i]]);
    case 'sw0':
      return [[0, []], ...range(n).map((i): [number, number[]] => [i + 1, [i]])];
    case 'csw':
      return range(n).map((i) => [i + 1, range(i + 1)]);
    case 'csw0':
      return [[0, []], ...range(n).map((i): [number, number[]] => [i + 1, range(i + 1)])];
    case 'mvsw': {
      const out: number[][] = [[]];
      for (let size = 1; size <= n; size++) out.push(...combinations(n, size));
      return out.map((c, i) => [i, c]);
    }
  }
}

/** The k-subsets of 0..n−1 in lexicographic order. */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (startAt: number, acc: number[]): void => {
    if (acc.length === k) {
      out.push(acc);
      return;
    }
    for (let i = startAt; i < n; i++) rec(i + 1, [...acc, i]);
  };
  rec(0, []);
  return out;
}

interface Call {
  readonly fn: StepwiseFunction;
  readonly start: number;
  readonly open: number;
  readonly close: number;
  /** Parenthesis depth at the call (0: a term of the part). */
  readonly depth: number;
}

/** The stepwise calls between `from` and `end`, outside quotes. */
function stepwiseCalls(src: string, from: number, end: number): Call[] {
  const out: Call[] = [];
  let depth = 0,
    quote = '';
  for (let i = from; i < end; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      continue;
    }
    if (c === '(') {
      depth++;
      continue;
    }
    if (c === ')') {
      depth--;
      continue;
    }
    if (!/[\p{L}_.]/u.test(c) || (i > 0 && /[\p{L}\p{N}_.]/u.test(src[i - 1]!))) continue;
    const m = /^(sw0?|csw0?|mvsw)\s*\(/u.exec(src.slice(i, end));
    if (!m) continue;
    const open = i + m[0].length - 1;
    const close = matchingParen(src, open);
    if (close < 0 || close >= end) throw new MultipleEstimationError(`${m[1]}( is not closed`, i);
    out.push({ fn: m[1] as StepwiseFunction, start: i, open, close, depth });
  }
  return out;
}

function checkNoStepwise(src: string, from: number, end: number, where: string): void {
  const calls = stepwiseCalls(src, from, end);
  if (calls.length > 0) throw new MultipleEstimationError(`${calls[0]!.fn}() is not allowed ${where}`, calls[0]!.start);
}

/** The trimmed arguments of the call whose parentheses are at `open` and `close`. */
function callArguments(src: string, open: number, close: number): { text: string; start: number }[] {
  const parts = splitTopLevel(src, ',', open + 1, close);
  const out = parts.map((p) => {
    const raw = src.slice(p.start, p.end);
    const lead = raw.length - raw.trimStart().length;
    return { text: raw.trim(), start: p.start + lead };
  });
  const empty = out.find((a) => a.text === '');
  if (empty) throw new MultipleEstimationError('an argument is empty', empty.start);
  return out;
}

function matchingParen(src: string, open: number): number {
  let depth = 0,
    quote = '';
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function topLevelIndex(src: string, ch: string, from: number, end: number): number {
  const parts = splitTopLevel(src, ch, from, end);
  return parts.length > 1 ? parts[0]!.end : -1;
}

function prevNonSpace(src: string, i: number, from: number): number {
  for (let j = i - 1; j >= from; j--) if (!/\s/.test(src[j]!)) return j;
  return -1;
}

function nextNonSpace(src: string, i: number, end: number): number {
  for (let j = i; j < end; j++) if (!/\s/.test(src[j]!)) return j;
  return end;
}
