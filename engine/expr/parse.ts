/**
 * A small recursive-descent parser for expressions:
 *   or  := and ('or' and)*          and := not ('and' not)*          not := 'not' not | cmp
 *   cmp := add (('=='|'!='|'<'|'<='|'>'|'>=') add)?
 *   add := mul (('+'|'-') mul)*     mul := unary (('*'|'/') unary)*  unary := '-' unary | pow
 *   pow := primary ('^' unary)?     primary := number | 'text' | name | name '(' args ')' | '(' or ')'
 * Names may hold letters of any script, digits, `_` and `.`; any other name can be quoted in backticks.
 */
import type { BinaryOp, Expr } from './ast.js';

export class ExprSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Deepest expression tree accepted: parentheses, calls, unary operators and every operand of a chain (`a + b + c` is
 * three levels) count. Deeper trees are refused with a diagnostic instead of overflowing the stack of the recursive
 * stages that walk them; 200 terms or 200 nested parentheses are far beyond any real derived variable.
 */
export const MAX_EXPR_DEPTH = 500;

export class ExprTooDeepError extends ExprSyntaxError {
  constructor(offset: number) {
    super(
      `the expression nests more than ${MAX_EXPR_DEPTH} levels deep (parentheses, calls, or terms of one sum)`,
      offset,
    );
  }
}

type Tok =
  | { t: 'num'; v: number; p: number }
  | { t: 'str'; v: string; p: number }
  | { t: 'name'; v: string; p: number }
  | { t: 'op'; v: string; p: number }
  | { t: 'end'; p: number };

const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_.]/u;

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      const v = Number(m[0]);
      if (!Number.isFinite(v)) throw new ExprSyntaxError(`the number ${m[0]} is too large for a double`, i);
      out.push({ t: 'num', v, p: start });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExprSyntaxError('unterminated text literal', i);
      out.push({ t: 'str', v: src.slice(i + 1, end), p: start });
      i = end + 1;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new ExprSyntaxError('unterminated `quoted name`', i);
      out.push({ t: 'name', v: src.slice(i + 1, end), p: start });
      i = end + 1;
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_PART.test(src[j]!)) j++;
      const word = src.slice(i, j);
      if (word === 'and' || word === 'or' || word === 'not') out.push({ t: 'op', v: word, p: start });
      else out.push({ t: 'name', v: word, p: start });
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two === '&&' ? 'and' : two === '||' ? 'or' : two, p: start });
      i += 2;
      continue;
    }
    if ('+-*/^<>(),:!'.includes(c)) {
      out.push({ t: 'op', v: c === '!' ? 'not' : c, p: start });
      i++;
      continue;
    }
    if (c === '=') throw new ExprSyntaxError("'=' is not an operator; compare with '=='", i);
    throw new ExprSyntaxError(`unexpected character '${c}'`, i);
  }
  out.push({ t: 'end', p: src.length });
  return out;
}

export function parseExpr(src: string): Expr {
  const p = new Parser(tokenize(src));
  const e = p.or();
  p.expectEnd();
  return e;
}

export class Parser {
  private i = 0;
  /** Current nesting (see MAX_EXPR_DEPTH): each recursive descent and each operand of a chain adds one. */
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  private deeper(by: number, offset: number): void {
    this.depth += by;
    if (this.depth > MAX_EXPR_DEPTH) throw new ExprTooDeepError(offset);
  }

  peek(): Tok {
    return this.toks[this.i]!;
  }
  next(): Tok {
    return this.toks[this.i++]!;
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  eat(v: string): boolean {
    if (this.isOp(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(v: string): void {
    if (!this.eat(v)) throw new ExprSyntaxError(`expected '${v}' but found ${describe(this.peek())}`, this.peek().p);
  }
  expectEnd(): void {
    const t = this.peek();
    if (t.t !== 'end') throw new ExprSyntaxError(`unexpected ${describe(t)}`, t.p);
  }

  or(): Expr {
    return this.leftAssoc(() => this.and(), ['or']);
  }
  and(): Expr {
    return this.leftAssoc(() => this.not(), ['and']);
  }
  not(): Expr {
    const t = this.peek();
    if (this.eat('not')) {
      this.deeper(1, t.p);
      const arg = this.not();
      this.depth--;
      return { kind: 'unary', op: 'not', arg, pos: t.p };
    }
    return this.cmp();
  }
  cmp(): Expr {
    const left = this.add();
    const t = this.peek();
    if (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.i++;
      return { kind: 'binary', op: t.v as BinaryOp, left, right: this.add(), pos: t.p };
    }
    return left;
  }
  add(): Expr {
    return this.leftAssoc(() => this.mul(), ['+', '-']);
  }
  mul(): Expr {
    return this.leftAssoc(() => this.unary(), ['*', '/']);
  }
  unary(): Expr {
    const t = this.peek();
    if (this.eat('-')) {
      this.deeper(1, t.p);
      const arg = this.unary();
      this.depth--;
      return { kind: 'unary', op: '-', arg, pos: t.p };
    }
    if (this.eat('+')) return this.unary();
    return this.pow();
  }
  pow(): Expr {
    const base = this.primary();
    const t = this.peek();
    if (this.eat('^')) {
      this.deeper(1, t.p);
      const right = this.unary();
      this.depth--;
      return { kind: 'binary', op: '^', left: base, right, pos: t.p };
    }
    return base;
  }
  primary(): Expr {
    const t = this.next();
    if (t.t === 'num') return { kind: 'num', value: t.v, pos: t.p };
    if (t.t === 'str') return { kind: 'str', value: t.v, pos: t.p };
    if (t.t === 'name') {
      if (this.eat('(')) {
        this.deeper(1, t.p);
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          do {
            args.push(this.or());
            // `lag(x, 1:2)`: a range is read as its two ends (only formulas accept it).
            if (this.eat(':')) args.push(this.or());
          } while (this.eat(','));
        }
        this.expect(')');
        this.depth--;
        return { kind: 'call', name: t.v, args, pos: t.p };
      }
      return { kind: 'var', name: t.v, pos: t.p };
    }
    if (t.t === 'op' && t.v === '(') {
      this.deeper(1, t.p);
      const e = this.or();
      this.expect(')');
      this.depth--;
      return e;
    }
    throw new ExprSyntaxError(`unexpected ${describe(t)}`, t.p);
  }

  private leftAssoc(sub: () => Expr, ops: string[]): Expr {
    const start = this.depth;
    let left = sub();
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && ops.includes(t.v)) {
        this.i++;
        // The tree of a chain is as deep as the chain is long.
        this.deeper(1, t.p);
        left = { kind: 'binary', op: t.v as BinaryOp, left, right: sub(), pos: t.p };
      } else {
        this.depth = start;
        return left;
      }
    }
  }
}

function describe(t: Tok): string {
  switch (t.t) {
    case 'end':
      return 'end of expression';
    case 'num':
      return `number ${t.v}`;
    case 'str':
      return `text '${t.v}'`;
    default:
      return `'${t.v}'`;
  }
}
