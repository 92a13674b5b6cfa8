/** Expression syntax tree: derived variables and samples. Parsed by parse.ts, evaluated by evaluate.ts; never eval. */

export type Expr =
  | { readonly kind: 'num'; readonly value: number; readonly pos: number }
  | { readonly kind: 'str'; readonly value: string; readonly pos: number }
  | { readonly kind: 'var'; readonly name: string; readonly pos: number }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly arg: Expr; readonly pos: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly pos: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

/** Every column or variable an expression reads. */
export function referencedNames(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'var':
      out.add(e.name);
      break;
    case 'unary':
      referencedNames(e.arg, out);
      break;
    case 'binary':
      referencedNames(e.left, out);
      referencedNames(e.right, out);
      break;
    case 'call':
      for (const a of e.args) referencedNames(a, out);
      break;
    default:
      break;
  }
  return out;
}

/** A canonical text of the expression (for hashing and diffs: whitespace and redundant parentheses do not count). */
export function canonical(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'str':
      return JSON.stringify(e.value);
    case 'var':
      return e.name;
    // Parenthesized whole, as binary operations are: `(not (a)) + b` and `not ((a + b))` must print differently and
    // each re-parse to itself (a property test: canonical(parse(canonical(e))) = canonical(e)).
    case 'unary':
      return `(${e.op === 'not' ? 'not ' : '-'}(${canonical(e.arg)}))`;
    case 'binary':
      return `(${canonical(e.left)} ${e.op} ${canonical(e.right)})`;
    case 'call':
      return `${e.name}(${e.args.map(canonical).join(', ')})`;
  }
}
