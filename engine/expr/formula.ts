/**
 * Model formulas, with fixest's grammar:
 *
 *     y ~ x1 + lag(x2, 1:2) + x:z + w*v + i(f) + i(period, treat, ref = -1) + sunab(cohort, year) | fe1 + fe2 | endog ~ inst1 + inst2
 *
 * Parts are separated by `|`: the regressors, then the fixed effects, and the part that contains `~` is the IV part
 * (fixest's rule), so `y ~ x | endog ~ z` is IV without fixed effects. Terms:
 * - a column or `lag(x, k)` / `lag(x, a:b)` (one term per lag, named `lag(x,k)`; lag 0 is the column itself);
 * - `x:z`, the product of two or more such terms, named as written without spaces (`x:lag(z,1)`);
 * - `x*z`, shorthand for `x + z + x:z`;
 * - `i(f)`, one dummy per level of `f` but the first, named `f::level`; `i(f, ref = v)` leaves out level v instead
 *   (`ref = c(a, b)` leaves out several); `i(period, treat, ref = -1)` interacts the dummies with `treat`
 *   (`period::3:treat`), the event-study design;
 * - `sunab(cohort, period)`: Sun & Abraham's cohort × relative-period dummies, reported aggregated per relative
 *   period (`period::-2`) and as an average treatment effect (see engine/estimate/terms/sunab.ts).
 * Transformations such as `log(x)` belong in a derived variable, so that every term is a named column a table can label.
 */
import type { FactorTerm, ProductTerm, RhsTerm, SunabTerm, Term } from '../normalize/plan.js';
import { ExprSyntaxError } from './parse.js';

export interface IvPart {
  readonly endogenous: readonly Term[];
  readonly instruments: readonly Term[];
}

export interface ParsedFormula {
  readonly dependent: Term;
  /** Right-hand terms in formula order: plain terms (`Term`) and the structured ones (`x:z`, `i()`, `sunab()`). */
  readonly regressors: readonly RhsTerm[];
  readonly fixedEffects: readonly string[];
  /** The IV part (`endog ~ inst`), or null. */
  readonly iv: IvPart | null;
}

export function termName(variable: string, lag: number): string {
  return lag === 0 ? variable : `lag(${variable},${lag})`;
}

/** True for a plain column (or lag of one); false for `x:z`, `i()`, `sunab()`. */
export function isPlainTerm(t: RhsTerm): t is Term {
  return t.kind === undefined || t.kind === 'var';
}

/** The plain terms a structured term reads (the columns the data stage must provide, lags computed on the panel). */
export function componentTerms(t: RhsTerm): Term[] {
  switch (t.kind) {
    case 'product':
      return [...t.parts];
    case 'i':
      return [{ name: t.factor, variable: t.factor, lag: 0 }, ...(t.with ? [t.with] : [])];
    case 'sunab':
      return [
        { name: t.cohort, variable: t.cohort, lag: 0 },
        { name: t.period, variable: t.period, lag: 0 },
      ];
    default:
      return [t];
  }
}

export function parseFormula(src: string): ParsedFormula {
  const parts = splitTopLevel(src, '|');
  const tildeAt = parts.map((p) => topLevelIndex(p.text, '~'));
  if (tildeAt[0]! < 0)
    throw new ExprSyntaxError("a formula needs '~' between the dependent variable and the regressors", 0);
  const ivIdx = tildeAt.findIndex((t, k) => k > 0 && t >= 0);
  if (ivIdx > 0 && ivIdx !== parts.length - 1)
    throw new ExprSyntaxError('the IV part (endog ~ instruments) comes last', parts[ivIdx]!.offset);
  const main = parts[0]!;
  const tilde = tildeAt[0]!;
  const dep = parseTerms(main.text.slice(0, tilde), main.offset, false);
  if (dep.length !== 1 || !isPlainTerm(dep[0]!))
    throw new ExprSyntaxError('the left-hand side must be one variable', main.offset);
  const regressors = parseTerms(main.text.slice(tilde + 1), main.offset + tilde + 1, true);
  checkDuplicates(regressors, main.offset + tilde + 1);

  const fePart = parts.length > 1 && ivIdx !== 1 ? parts[1]! : null;
  if (parts.length > 3 || (parts.length === 3 && ivIdx !== 2)) {
    throw new ExprSyntaxError(
      "a formula has at most three parts: 'y ~ x | fixed effects | endog ~ instruments'",
      parts[parts.length - 1]!.offset,
    );
  }
  const fixedEffects =
    !fePart || fePart.text.trim() === '' || fePart.text.trim() === '0'
      ? []
      : parseTerms(fePart.text, fePart.offset, false).map((t) => {
          if (!isPlainTerm(t) || t.lag !== 0)
            throw new ExprSyntaxError('fixed effects are column names', fePart.offset);
          return t.variable;
        });

  let iv: IvPart | null = null;
  if (ivIdx > 0) {
    const p = parts[ivIdx]!;
    const t = tildeAt[ivIdx]!;
    const plain = (terms: RhsTerm[], what: string, off: number): Term[] =>
      terms.map((x) => {
        if (!isPlainTerm(x)) throw new ExprSyntaxError(`${what} are columns or lags of columns`, off);
        return x;
      });
    const endogenous = plain(parseTerms(p.text.slice(0, t), p.offset, false), 'endogenous regressors', p.offset);
    const instruments = plain(
      parseTerms(p.text.slice(t + 1), p.offset + t + 1, false),
      'instruments',
      p.offset + t + 1,
    );
    checkDuplicates([...regressors, ...endogenous], p.offset);
    checkDuplicates(instruments, p.offset + t + 1);
    iv = { endogenous, instruments };
  }
  return { dependent: dep[0] as Term, regressors, fixedEffects, iv };
}

function checkDuplicates(terms: readonly RhsTerm[], offset: number): void {
  const seen = new Set<string>();
  for (const r of terms) {
    if (seen.has(r.name)) throw new ExprSyntaxError(`term ${r.name} appears twice`, offset);
    seen.add(r.name);
  }
}

// ---- tokens ---------------------------------------------------------------------------------------------------

type Tok =
  | { t: 'num'; v: number; p: number }
  | { t: 'str'; v: string; p: number }
  | { t: 'name'; v: string; p: number }
  | { t: 'op'; v: string; p: number }
  | { t: 'end'; p: number };

const NAME_START = /[\p{L}_.]/u;
const NAME_PART = /[\p{L}\p{N}_.]/u;

function tokenize(src: string, offset: number): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), p: i + offset });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = src.indexOf(c, i + 1);
      if (end < 0)
        throw new ExprSyntaxError(c === '`' ? 'unterminated `quoted name`' : 'unterminated text literal', i + offset);
      out.push(
        c === '`'
          ? { t: 'name', v: src.slice(i + 1, end), p: i + offset }
          : { t: 'str', v: src.slice(i + 1, end), p: i + offset },
      );
      i = end + 1;
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_PART.test(src[j]!)) j++;
      out.push({ t: 'name', v: src.slice(i, j), p: i + offset });
      i = j;
      continue;
    }
    if ('+-*:(),='.includes(c)) {
      out.push({ t: 'op', v: c, p: i + offset });
      i++;
      continue;
    }
    throw new ExprSyntaxError(`unexpected character '${c}' in a formula`, i + offset);
  }
  out.push({ t: 'end', p: src.length + offset });
  return out;
}

/** Split `src[from, end)` at `sep` outside parentheses and quotes. */
export function splitTopLevelRange(
  src: string,
  sep: string,
  from = 0,
  end = src.length,
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let depth = 0,
    start = from,
    quote = '';
  for (let i = from; i < end; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth === 0) {
      out.push({ start, end: i });
      start = i + 1;
    }
  }
  out.push({ start, end });
  return out;
}

/** Split at `sep` outside parentheses and quotes, keeping each part's offset. */
function splitTopLevel(src: string, sep: string): { text: string; offset: number }[] {
  return splitTopLevelRange(src, sep).map((p) => ({ text: src.slice(p.start, p.end), offset: p.start }));
}

function topLevelIndex(src: string, ch: string): number {
  const parts = splitTopLevel(src, ch);
  return parts.length > 1 ? parts[0]!.text.length : -1;
}

// ---- terms ----------------------------------------------------------------------------------------------------

class TermParser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}
  peek(k = 0): Tok {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  next(): Tok {
    return this.toks[this.i++]!;
  }
  eat(op: string): boolean {
    const t = this.peek();
    if (t.t === 'op' && t.v === op) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(op: string): void {
    const t = this.peek();
    if (!this.eat(op)) throw new ExprSyntaxError(`expected '${op}'`, t.p);
  }
}

/** `a + lag(b, 1:2) + c:d + e*f + i(g)` → terms, with error offsets relative to the whole formula. */
function parseTerms(src: string, offset: number, structured: boolean): RhsTerm[] {
  if (src.trim() === '') throw new ExprSyntaxError('expected a variable', offset);
  const p = new TermParser(tokenize(src, offset));
  const out: RhsTerm[] = [];
  // `y ~ 1 | fe | endog ~ z`: a lone 1 (the constant) adds no term
  const first = p.peek();
  if (structured && first.t === 'num' && first.v === 1 && p.peek(1).t === 'end') return [];
  for (;;) {
    out.push(...productOrStar(p, structured));
    if (p.eat('+')) continue;
    const t = p.peek();
    if (t.t !== 'end')
      throw new ExprSyntaxError(
        `expected '+' between terms, found ${t.t === 'op' || t.t === 'name' ? `'${t.v}'` : 'a value'}`,
        t.p,
      );
    return out;
  }
}

/** factor (':' factor)* ('*' …)*: `x:z` → one product term, `x*z` → x, z, x:z. */
function productOrStar(p: TermParser, structured: boolean): RhsTerm[] {
  const pos = p.peek().p;
  const groups: RhsTerm[][] = [colonChain(p, structured)];
  while (p.eat('*')) {
    if (!structured) throw new ExprSyntaxError("'*' is only allowed among the regressors", pos);
    groups.push(colonChain(p, structured));
  }
  if (groups.length === 1) return groups[0]!;
  // x*z*w → every non-empty sub-product, in the order R's terms() gives them (by size, then formula order)
  const singles = groups.map((g) => g[0]!);
  for (const s of singles) {
    if (!isPlainTerm(s) && s.kind !== 'product') throw new ExprSyntaxError("'*' takes columns or lags of columns", pos);
  }
  const out: RhsTerm[] = [];
  const n = singles.length;
  for (let size = 1; size <= n; size++) {
    for (let mask = 1; mask < 1 << n; mask++) {
      if (popcount(mask) !== size) continue;
      const chosen = singles.filter((_, k) => mask & (1 << k));
      out.push(
        size === 1 ? chosen[0]! : makeProduct(chosen.flatMap((c) => (c.kind === 'product' ? c.parts : [c as Term]))),
      );
    }
  }
  return sortSubsets(out, singles);
}

function sortSubsets(terms: RhsTerm[], singles: RhsTerm[]): RhsTerm[] {
  // stable by size then by the positions of the chosen factors (R's order for a*b*c: a, b, c, a:b, a:c, b:c, a:b:c)
  const key = (t: RhsTerm): number[] => {
    const parts = t.kind === 'product' ? t.parts.map((q) => q.name) : [t.name];
    const idx = singles
      .map((s, k) =>
        parts.includes(s.name) || (s.kind === 'product' && s.parts.every((q) => parts.includes(q.name))) ? k : -1,
      )
      .filter((k) => k >= 0);
    return [idx.length, ...idx];
  };
  return [...terms].sort((a, b) => {
    const ka = key(a),
      kb = key(b);
    for (let j = 0; j < Math.max(ka.length, kb.length); j++)
      if ((ka[j] ?? -1) !== (kb[j] ?? -1)) return (ka[j] ?? -1) - (kb[j] ?? -1);
    return 0;
  });
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

function colonChain(p: TermParser, structured: boolean): RhsTerm[] {
  const pos = p.peek().p;
  const first = factor(p, structured);
  if (!p.eat(':')) return first;
  if (!structured) throw new ExprSyntaxError("':' is only allowed among the regressors", pos);
  const factors: RhsTerm[][] = [first];
  do factors.push(factor(p, structured));
  while (p.eat(':'));
  const parts: Term[] = [];
  for (const f of factors) {
    if (f.length !== 1 || !isPlainTerm(f[0]!))
      throw new ExprSyntaxError("':' multiplies columns or single lags; for a factor use i(f, x)", pos);
    parts.push(f[0]!);
  }
  return [makeProduct(parts)];
}

function makeProduct(parts: Term[]): ProductTerm {
  return { kind: 'product', name: parts.map((q) => q.name).join(':'), parts };
}

function factor(p: TermParser, structured: boolean): RhsTerm[] {
  const t = p.next();
  if (t.t === 'op' && t.v === '(') {
    throw new ExprSyntaxError('parentheses are not allowed in a formula; define a derived variable instead', t.p);
  }
  if (t.t !== 'name')
    throw new ExprSyntaxError('expected a variable name, lag(x, k), i(f) or sunab(cohort, period)', t.p);
  if (!p.eat('(')) return [{ name: t.v, variable: t.v, lag: 0 }];
  const args = callArgs(p);
  if (t.v === 'lag' || t.v === 'l') return lagTerms(args, t.p);
  if (t.v === 'i') {
    if (!structured) throw new ExprSyntaxError('i() is only allowed among the regressors', t.p);
    return [factorTerm(args, t.p)];
  }
  if (t.v === 'sunab') {
    if (!structured) throw new ExprSyntaxError('sunab() is only allowed among the regressors', t.p);
    return [sunabTerm(args, t.p)];
  }
  throw new ExprSyntaxError(`${t.v}() is not allowed in a formula; define a derived variable instead`, t.p);
}

/** An argument of a call: a value (name, number, text, a:b range, c(…) list), positional or named. */
type Arg = { name: string | null; value: ArgValue; p: number };
type ArgValue =
  | { k: 'name'; v: string }
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'range'; from: number; to: number }
  | { k: 'list'; v: (number | string)[] };

function callArgs(p: TermParser): Arg[] {
  const args: Arg[] = [];
  if (p.eat(')')) return args;
  for (;;) {
    const start = p.peek();
    let name: string | null = null;
    const nxt = p.peek(1);
    if (start.t === 'name' && nxt.t === 'op' && nxt.v === '=') {
      name = start.v;
      p.next();
      p.next();
    }
    args.push({ name, value: argValue(p), p: start.p });
    if (p.eat(',')) continue;
    p.expect(')');
    return args;
  }
}

function argValue(p: TermParser): ArgValue {
  const t = p.peek();
  const num = (): number => {
    const neg = p.eat('-');
    const n = p.next();
    if (n.t !== 'num') throw new ExprSyntaxError('expected a number', n.p);
    return neg ? -n.v : n.v;
  };
  const open = p.peek(1);
  if (t.t === 'name' && t.v === 'c' && open.t === 'op' && open.v === '(') {
    p.next();
    p.expect('(');
    const v: (number | string)[] = [];
    if (!p.eat(')')) {
      for (;;) {
        const q = p.peek();
        if (q.t === 'str') {
          p.next();
          v.push(q.v);
        } else v.push(num());
        if (p.eat(',')) continue;
        p.expect(')');
        break;
      }
    }
    return { k: 'list', v };
  }
  if (t.t === 'name') {
    p.next();
    return { k: 'name', v: t.v };
  }
  if (t.t === 'str') {
    p.next();
    return { k: 'str', v: t.v };
  }
  const from = num();
  if (p.eat(':')) return { k: 'range', from, to: num() };
  return { k: 'num', v: from };
}

function lagTerms(args: Arg[], pos: number): Term[] {
  const [x, k] = args;
  if (x?.value.k !== 'name') throw new ExprSyntaxError('lag() takes a column name first', pos);
  if (args.length > 2) throw new ExprSyntaxError('lag(x, k) takes two arguments', pos);
  let from = 1,
    to = 1;
  if (k) {
    if (k.value.k === 'num' && Number.isInteger(k.value.v)) from = to = k.value.v;
    else if (k.value.k === 'range' && Number.isInteger(k.value.from) && Number.isInteger(k.value.to)) {
      from = k.value.from;
      to = k.value.to;
    } else throw new ExprSyntaxError('lag(x, k) takes a whole number k or a range a:b', pos);
  }
  if (to < from) throw new ExprSyntaxError(`empty lag range ${from}:${to}`, pos);
  const out: Term[] = [];
  for (let l = from; l <= to; l++) out.push({ name: termName(x.value.v, l), variable: x.value.v, lag: l });
  return out;
}

function refValues(a: Arg): (number | string)[] {
  const v = a.value;
  if (v.k === 'num' || v.k === 'str') return [v.v];
  if (v.k === 'list') return v.v;
  if (v.k === 'range') {
    const out: number[] = [];
    for (let x = v.from; x <= v.to; x++) out.push(x);
    return out;
  }
  throw new ExprSyntaxError('ref takes a value, a text, a range a:b or c(…)', a.p);
}

function factorTerm(args: Arg[], pos: number): FactorTerm {
  const positional = args.filter((a) => a.name === null);
  const named = args.filter((a) => a.name !== null);
  const f = positional[0];
  if (f?.value.k !== 'name')
    throw new ExprSyntaxError('i() takes a column name first: i(f), i(f, ref = v) or i(period, treat, ref = -1)', pos);
  if (positional.length > 2) throw new ExprSyntaxError('i() takes at most two columns: i(f) or i(period, treat)', pos);
  let withTerm: Term | null = null;
  const w = positional[1];
  if (w) {
    if (w.value.k !== 'name') throw new ExprSyntaxError('the second argument of i() is a column', w.p);
    withTerm = { name: w.value.v, variable: w.value.v, lag: 0 };
  }
  let ref: (number | string)[] | null = null;
  for (const a of named) {
    if (a.name === 'ref') ref = refValues(a);
    else throw new ExprSyntaxError(`i() has no argument ${a.name}; it takes ref = v`, a.p);
  }
  const factorName = f.value.v;
  const name = `i(${factorName}${withTerm ? `,${withTerm.name}` : ''}${ref ? `,ref=${ref.length === 1 ? ref[0] : `c(${ref.join(',')})`}` : ''})`;
  return { kind: 'i', name, factor: factorName, with: withTerm, ref };
}

function sunabTerm(args: Arg[], pos: number): SunabTerm {
  const positional = args.filter((a) => a.name === null);
  const [c, t] = positional;
  if (!c || !t || c.value.k !== 'name' || t.value.k !== 'name' || positional.length > 2) {
    throw new ExprSyntaxError('sunab() takes two columns: sunab(cohort, period)', pos);
  }
  let refPeriod: number[] = [-1];
  for (const a of args.filter((x) => x.name !== null)) {
    if (a.name === 'ref.p' || a.name === 'ref_p') {
      const v = refValues(a);
      if (v.some((x) => typeof x !== 'number')) throw new ExprSyntaxError('ref.p takes numbers', a.p);
      refPeriod = v as number[];
    } else throw new ExprSyntaxError(`sunab() has no argument ${a.name}; it takes ref.p = -1`, a.p);
  }
  return { kind: 'sunab', name: `sunab(${c.value.v},${t.value.v})`, cohort: c.value.v, period: t.value.v, refPeriod };
}
