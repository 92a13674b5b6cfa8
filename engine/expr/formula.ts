/**
 * Model formulas: `y ~ x1 + lag(x2, 1:2) + x3 | fe1 + fe2`. Terms are column names or lags of them; `lag(x, a:b)`
 * expands to one term per lag, named `lag(x,k)` (the lag 0 term is the column's own name). Anything else (log(x),
 * interactions) belongs in a derived variable, so that every term is a named column a table can label.
 */
import type { Term } from '../normalize/plan.js';
import { ExprSyntaxError, Parser, tokenize } from './parse.js';
import type { Expr } from './ast.js';

export interface ParsedFormula {
  readonly dependent: Term;
  readonly regressors: readonly Term[];
  readonly fixedEffects: readonly string[];
}

export function termName(variable: string, lag: number): string {
  return lag === 0 ? variable : `lag(${variable},${lag})`;
}

export function parseFormula(src: string): ParsedFormula {
  const tilde = src.indexOf('~');
  if (tilde < 0) throw new ExprSyntaxError("a formula needs '~' between the dependent variable and the regressors", 0);
  const bar = src.indexOf('|', tilde);
  const lhs = src.slice(0, tilde);
  const rhs = src.slice(tilde + 1, bar < 0 ? src.length : bar);
  const fe = bar < 0 ? '' : src.slice(bar + 1);
  const dep = parseTerms(lhs, 0);
  if (dep.length !== 1) throw new ExprSyntaxError('the left-hand side must be one variable', 0);
  const regressors = parseTerms(rhs, tilde + 1);
  const seen = new Set<string>();
  for (const r of regressors) {
    if (seen.has(r.name)) throw new ExprSyntaxError(`term ${r.name} appears twice`, tilde + 1);
    seen.add(r.name);
  }
  const fixedEffects = fe.trim() === '' ? [] : parseTerms(fe, bar + 1).map((t) => {
    if (t.lag !== 0) throw new ExprSyntaxError('fixed effects are column names', bar + 1);
    return t.variable;
  });
  return { dependent: dep[0]!, regressors, fixedEffects };
}

/** `a + lag(b, 1:2) + c` → terms, with offsets in errors relative to the whole formula. */
function parseTerms(src: string, offset: number): Term[] {
  if (src.trim() === '') throw new ExprSyntaxError('expected a variable', offset);
  let toks;
  try {
    toks = tokenize(src);
  } catch (e) {
    if (e instanceof ExprSyntaxError) throw new ExprSyntaxError(e.message, e.offset + offset);
    throw e;
  }
  const p = new Parser(toks);
  const out: Term[] = [];
  for (;;) {
    let e: Expr;
    try {
      e = p.primary();
    } catch (err) {
      if (err instanceof ExprSyntaxError) throw new ExprSyntaxError(err.message, err.offset + offset);
      throw err;
    }
    out.push(...termsOf(e, offset));
    if (p.eat('+')) continue;
    const t = p.peek();
    if (t.t !== 'end') throw new ExprSyntaxError(`expected '+' between terms, found ${t.t === 'op' || t.t === 'name' ? `'${t.v}'` : 'a value'}`, t.p + offset);
    return out;
  }
}

function termsOf(e: Expr, offset: number): Term[] {
  if (e.kind === 'var') return [{ name: e.name, variable: e.name, lag: 0 }];
  if (e.kind === 'call' && (e.name === 'lag' || e.name === 'l')) {
    const [x, k] = e.args;
    if (!x || x.kind !== 'var') throw new ExprSyntaxError('lag() takes a column name first', e.pos + offset);
    let from = 1;
    let to = 1;
    if (k) {
      if (k.kind === 'num' && Number.isInteger(k.value)) from = to = k.value;
      else throw new ExprSyntaxError('lag(x, k) takes a whole number k or a range a:b', e.pos + offset);
    }
    if (e.args.length > 2) {
      const hi = e.args[2]!;
      if (hi.kind !== 'num' || !Number.isInteger(hi.value)) throw new ExprSyntaxError('lag range a:b takes whole numbers', e.pos + offset);
      to = hi.value;
    }
    if (to < from) throw new ExprSyntaxError(`empty lag range ${from}:${to}`, e.pos + offset);
    const out: Term[] = [];
    for (let l = from; l <= to; l++) out.push({ name: termName(x.name, l), variable: x.name, lag: l });
    return out;
  }
  if (e.kind === 'call') {
    throw new ExprSyntaxError(`${e.name}() is not allowed in a formula; define a derived variable instead`, e.pos + offset);
  }
  throw new ExprSyntaxError('expected a variable name or lag(x, k)', e.pos + offset);
}
