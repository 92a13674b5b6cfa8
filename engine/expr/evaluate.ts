/**
 * Vectorised evaluation of an expression over a frame. Missing values (NaN) propagate through arithmetic and
 * comparisons; `and`/`or` follow three-valued (Kleene) logic; `log` of a non-positive value is missing and counted.
 */
import { groupCodes, isText, type Column, type Frame, type TextColumn } from '../core/frame.js';
import { PanelLookup, type Panel } from '../core/panel.js';
import { note, SpecrunError, type Note } from '../diagnostics/diagnostic.js';
import type { Expr } from './ast.js';

/** Known functions and their argument counts. */
export const FUNCTIONS: Readonly<Record<string, { min: number; max: number; panel?: boolean; doc: string }>> = {
  log: { min: 1, max: 1, doc: 'natural logarithm (missing for x ≤ 0)' },
  ln: { min: 1, max: 1, doc: 'natural logarithm (missing for x ≤ 0)' },
  log10: { min: 1, max: 1, doc: 'base-10 logarithm' },
  exp: { min: 1, max: 1, doc: 'exponential' },
  sqrt: { min: 1, max: 1, doc: 'square root (missing for x < 0)' },
  abs: { min: 1, max: 1, doc: 'absolute value' },
  round: { min: 1, max: 2, doc: 'round(x, digits)' },
  min: { min: 2, max: 2, doc: 'smaller of two values' },
  max: { min: 2, max: 2, doc: 'larger of two values' },
  if: { min: 3, max: 3, doc: 'if(condition, then, else)' },
  is_na: { min: 1, max: 1, doc: '1 where x is missing' },
  lag: { min: 1, max: 2, panel: true, doc: 'lag(x, k): the same unit at t−k' },
  lead: { min: 1, max: 2, panel: true, doc: 'lead(x, k): the same unit at t+k' },
  diff: { min: 1, max: 2, panel: true, doc: 'diff(x, k) = x − lag(x, k)' },
  group_mean: { min: 2, max: 2, doc: 'mean of x within the group (and period)' },
  group_sum: { min: 2, max: 2, doc: 'sum of x within the group (and period)' },
  group_min: { min: 2, max: 2, doc: 'minimum of x within the group (and period)' },
  group_max: { min: 2, max: 2, doc: 'maximum of x within the group (and period)' },
  group_count: { min: 2, max: 2, doc: 'number of non-missing x within the group (and period)' },
  group_rank: { min: 2, max: 2, doc: 'rank of x within the group (and period), 1 = largest, ties averaged' },
  matches: { min: 2, max: 2, doc: "matches(x, 'regex'): 1 where the text of x matches the regular expression" },
  winsor: {
    min: 2,
    max: 3,
    doc: 'winsor(x, p[, by]): x clamped to its p and 1−p quantiles (pooled, or within each value of the column by)',
  },
  trim: {
    min: 2,
    max: 3,
    doc: 'trim(x, p[, by]): x, missing below its p or above its 1−p quantile (pooled, or within by)',
  },
  standardize: { min: 1, max: 2, doc: 'standardize(x[, by]): (x − mean) / sd, sd with n − 1 (pooled, or within by)' },
  quantile: {
    min: 2,
    max: 3,
    doc: 'quantile(x, q[, by]): the q-th quantile of x (pooled, or within by), linear interpolation (R type 7)',
  },
};

export interface EvalContext {
  readonly frame: Frame;
  readonly panel: Panel;
  /** Name of the variable being computed, for notes. */
  readonly target: string;
}

type Value =
  | { kind: 'num'; v: Float64Array }
  | { kind: 'scalar'; v: number }
  | { kind: 'text'; col: TextColumn }
  | { kind: 'str'; v: string };

export interface EvalResult {
  readonly values: Float64Array;
  readonly notes: Note[];
}

export function evaluate(expr: Expr, ctx: EvalContext): EvalResult {
  const notes: Note[] = [];
  const n = ctx.frame.nrows;
  let lookup: PanelLookup | null = null;
  const v = ev(expr);
  return { values: asNumbers(v, 'the result'), notes };

  function panelLookup(fn: string): PanelLookup {
    if (!ctx.panel.unit || !ctx.panel.time) throw new SpecrunError('EXPR_NEEDS_PANEL', { name: fn });
    lookup ??= new PanelLookup(ctx.panel);
    return lookup;
  }

  function asNumbers(x: Value, what: string): Float64Array {
    if (x.kind === 'num') return x.v;
    if (x.kind === 'scalar') return new Float64Array(n).fill(x.v);
    throw new SpecrunError('EXPR_TYPE', { detail: `${what} is text, a number is needed` });
  }

  function map1(x: Value, f: (a: number) => number): Value {
    if (x.kind === 'scalar') return { kind: 'scalar', v: f(x.v) };
    const a = asNumbers(x, 'an argument');
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(a[i]!);
    return { kind: 'num', v: out };
  }

  function map2(x: Value, y: Value, f: (a: number, b: number) => number): Value {
    if (x.kind === 'scalar' && y.kind === 'scalar') return { kind: 'scalar', v: f(x.v, y.v) };
    const out = new Float64Array(n);
    if (x.kind === 'scalar') {
      const b = asNumbers(y, 'an operand');
      for (let i = 0; i < n; i++) out[i] = f(x.v, b[i]!);
    } else if (y.kind === 'scalar') {
      const a = asNumbers(x, 'an operand');
      for (let i = 0; i < n; i++) out[i] = f(a[i]!, y.v);
    } else {
      const a = asNumbers(x, 'an operand');
      const b = asNumbers(y, 'an operand');
      for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
    }
    return { kind: 'num', v: out };
  }

  function ev(e: Expr): Value {
    switch (e.kind) {
      case 'num':
        return { kind: 'scalar', v: e.value };
      case 'str':
        return { kind: 'str', v: e.value };
      case 'var': {
        const col: Column | undefined = ctx.frame.get(e.name);
        if (!col) throw new SpecrunError('UNKNOWN_VARIABLE', { name: e.name, suggestion: 'check the name' });
        return isText(col) ? { kind: 'text', col } : { kind: 'num', v: col };
      }
      case 'unary': {
        const a = ev(e.arg);
        if (e.op === '-') return map1(a, (x) => -x);
        return map1(a, (x) => (Number.isNaN(x) ? NaN : x === 0 ? 1 : 0));
      }
      case 'binary':
        return binary(e.op, ev(e.left), ev(e.right));
      case 'call':
        return call(e);
    }
  }

  function binary(op: string, a: Value, b: Value): Value {
    if (a.kind === 'text' || b.kind === 'text' || a.kind === 'str' || b.kind === 'str') return textCompare(op, a, b);
    switch (op) {
      case '+':
        return map2(a, b, (x, y) => x + y);
      case '-':
        return map2(a, b, (x, y) => x - y);
      case '*':
        return map2(a, b, (x, y) => x * y);
      case '/':
        return map2(a, b, (x, y) => (y === 0 ? NaN : x / y));
      case '^':
        return map2(a, b, (x, y) => x ** y);
      case '==':
        return map2(a, b, (x, y) => (x !== x || y !== y ? NaN : x === y ? 1 : 0));
      case '!=':
        return map2(a, b, (x, y) => (x !== x || y !== y ? NaN : x !== y ? 1 : 0));
      case '<':
        return map2(a, b, (x, y) => (x !== x || y !== y ? NaN : x < y ? 1 : 0));
      case '<=':
        return map2(a, b, (x, y) => (x !== x || y !== y ? NaN : x <= y ? 1 : 0));
      case '>':
        return map2(a, b, (x, y) => (x !== x || y !== y ? NaN : x > y ? 1 : 0));
      case '>=':
        return map2(a, b, (x, y) => (x !== x || y !== y ? NaN : x >= y ? 1 : 0));
      case 'and':
        return map2(a, b, (x, y) => (x === 0 || y === 0 ? 0 : x !== x || y !== y ? NaN : 1));
      case 'or':
        return map2(a, b, (x, y) =>
          x === 1 || y === 1 || (x === x && x !== 0) || (y === y && y !== 0) ? 1 : x !== x || y !== y ? NaN : 0,
        );
      default:
        throw new SpecrunError('EXPR_SYNTAX', { detail: `unknown operator ${op}` });
    }
  }

  function textCompare(op: string, a: Value, b: Value): Value {
    if (op !== '==' && op !== '!=') {
      throw new SpecrunError('EXPR_TYPE', { detail: `operator ${op} does not apply to text` });
    }
    const textAt = (x: Value): ((i: number) => string | null) => {
      if (x.kind === 'text') return (i) => (x.col.codes[i]! < 0 ? null : x.col.levels[x.col.codes[i]!]!);
      if (x.kind === 'str') return () => x.v;
      if (x.kind === 'scalar') return () => String(x.v);
      return (i) => (Number.isNaN(x.v[i]!) ? null : String(x.v[i]!));
    };
    const fa = textAt(a);
    const fb = textAt(b);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = fa(i);
      const y = fb(i);
      out[i] = x === null || y === null ? NaN : (x === y) === (op === '==') ? 1 : 0;
    }
    return { kind: 'num', v: out };
  }

  function call(e: Extract<Expr, { kind: 'call' }>): Value {
    const name = e.name;
    const intArg = (i: number, dflt: number): number => {
      const a = e.args[i];
      if (!a) return dflt;
      const v = ev(a);
      if (v.kind !== 'scalar' || !Number.isInteger(v.v)) {
        throw new SpecrunError('EXPR_TYPE', { detail: `${name}(): argument ${i + 1} must be a whole number` });
      }
      return v.v;
    };
    switch (name) {
      case 'log':
      case 'ln':
      case 'log10': {
        const f = name === 'log10' ? Math.log10 : Math.log;
        let bad = 0;
        const r = map1(ev(e.args[0]!), (x) => {
          if (x <= 0) {
            bad++;
            return NaN;
          }
          return f(x);
        });
        if (bad > 0) notes.push(note('DATA_LOG_NONPOSITIVE', { name: ctx.target, count: bad }));
        return r;
      }
      case 'exp':
        return map1(ev(e.args[0]!), Math.exp);
      case 'sqrt':
        return map1(ev(e.args[0]!), (x) => (x < 0 ? NaN : Math.sqrt(x)));
      case 'abs':
        return map1(ev(e.args[0]!), Math.abs);
      case 'round': {
        const d = intArg(1, 0);
        const m = 10 ** d;
        return map1(ev(e.args[0]!), (x) => Math.round(x * m) / m);
      }
      case 'min':
        return map2(ev(e.args[0]!), ev(e.args[1]!), (x, y) => (x !== x || y !== y ? NaN : Math.min(x, y)));
      case 'max':
        return map2(ev(e.args[0]!), ev(e.args[1]!), (x, y) => (x !== x || y !== y ? NaN : Math.max(x, y)));
      case 'is_na': {
        const a = ev(e.args[0]!);
        if (a.kind === 'text') {
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = a.col.codes[i]! < 0 ? 1 : 0;
          return { kind: 'num', v: out };
        }
        return map1(a, (x) => (Number.isNaN(x) ? 1 : 0));
      }
      case 'if': {
        const c = asNumbers(ev(e.args[0]!), 'the condition');
        const a = asNumbers(ev(e.args[1]!), 'the then-value');
        const b = asNumbers(ev(e.args[2]!), 'the else-value');
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = Number.isNaN(c[i]!) ? NaN : c[i] ? a[i]! : b[i]!;
        return { kind: 'num', v: out };
      }
      case 'lag':
      case 'lead':
      case 'diff': {
        const k = intArg(1, 1);
        if (k < 0) throw new SpecrunError('LAG_NEGATIVE', { name, k, other: name === 'lead' ? 'lag' : 'lead' });
        const x = asNumbers(ev(e.args[0]!), `the argument of ${name}()`);
        const lk = panelLookup(name);
        if (name === 'lag') return { kind: 'num', v: lk.lag(x, k) };
        if (name === 'lead') return { kind: 'num', v: lk.lag(x, -k) };
        const l = lk.lag(x, k);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = x[i]! - l[i]!;
        return { kind: 'num', v: out };
      }
      case 'matches':
        return matchesCall(e);
      case 'winsor':
      case 'trim':
      case 'standardize':
      case 'quantile':
        return distributional(name, e);
      default:
        if (name.startsWith('group_')) return groupStat(name, e);
        throw new SpecrunError('EXPR_UNKNOWN_FUNCTION', { name, known: Object.keys(FUNCTIONS).join(', ') });
    }
  }

  function matchesCall(e: Extract<Expr, { kind: 'call' }>): Value {
    const pat = ev(e.args[1]!);
    if (pat.kind !== 'str')
      throw new SpecrunError('EXPR_TYPE', { detail: "matches(): the pattern must be a quoted text ('省$|合计')" });
    let re: RegExp;
    try {
      re = new RegExp(pat.v, 'u');
    } catch (err) {
      throw new SpecrunError('EXPR_TYPE', { detail: `matches(): ${(err as Error).message}` });
    }
    const x = ev(e.args[0]!);
    const out = new Float64Array(n);
    if (x.kind === 'text') {
      const hit = x.col.levels.map((l) => (re.test(l) ? 1 : 0));
      for (let i = 0; i < n; i++) out[i] = x.col.codes[i]! < 0 ? NaN : hit[x.col.codes[i]!]!;
    } else if (x.kind === 'num') {
      for (let i = 0; i < n; i++) out[i] = Number.isNaN(x.v[i]!) ? NaN : re.test(String(x.v[i]!)) ? 1 : 0;
    } else {
      const t = x.kind === 'str' ? x.v : String(x.v);
      out.fill(re.test(t) ? 1 : 0);
    }
    return { kind: 'num', v: out };
  }

  /**
   * winsor / trim / standardize / quantile, pooled or within each value of a `by` column (a period, a group).
   * Quantiles interpolate linearly between order statistics (R's type 7, numpy's and pandas' default). winsor and
   * trim report how many cells they changed.
   */
  function distributional(name: string, e: Extract<Expr, { kind: 'call' }>): Value {
    const x = asNumbers(ev(e.args[0]!), `the argument of ${name}()`);
    const hasP = name !== 'standardize';
    let p = NaN;
    if (hasP) {
      const pv = ev(e.args[1]!);
      if (pv.kind !== 'scalar')
        throw new SpecrunError('EXPR_TYPE', { detail: `${name}(): argument 2 must be a number` });
      p = pv.v;
      const max = name === 'quantile' ? 1 : 0.5;
      if (!(p >= 0 && p <= max))
        throw new SpecrunError('EXPR_TYPE', { detail: `${name}(): argument 2 must be between 0 and ${max}, got ${p}` });
    }
    const byArg = e.args[hasP ? 2 : 1];
    let codes: Int32Array;
    let ngroups = 1;
    if (byArg) {
      if (byArg.kind !== 'var')
        throw new SpecrunError('EXPR_TYPE', {
          detail: `${name}(): the last argument must be a column (a period or a group)`,
        });
      const col = ctx.frame.get(byArg.name);
      if (!col) throw new SpecrunError('UNKNOWN_VARIABLE', { name: byArg.name, suggestion: 'check the name' });
      const g = groupCodes(col);
      codes = g.codes;
      ngroups = g.ngroups;
    } else codes = new Int32Array(n);
    const members: number[][] = Array.from({ length: ngroups }, () => []);
    for (let i = 0; i < n; i++) if (codes[i]! >= 0 && !Number.isNaN(x[i]!)) members[codes[i]!]!.push(i);
    const out = new Float64Array(n).fill(NaN);
    let changed = 0;
    for (const rows of members) {
      if (rows.length === 0) continue;
      const sorted = Float64Array.from(rows, (i) => x[i]!).sort();
      if (name === 'standardize') {
        let mean = 0;
        for (const v of sorted) mean += v;
        mean /= sorted.length;
        let ss = 0;
        for (const v of sorted) ss += (v - mean) ** 2;
        const sd = Math.sqrt(ss / (sorted.length - 1));
        for (const i of rows) out[i] = sd > 0 ? (x[i]! - mean) / sd : NaN;
        continue;
      }
      if (name === 'quantile') {
        const q = quantileSorted(sorted, p);
        for (const i of rows) out[i] = q;
        continue;
      }
      const lo = quantileSorted(sorted, p);
      const hi = quantileSorted(sorted, 1 - p);
      for (const i of rows) {
        const v = x[i]!;
        let y = v;
        if (v < lo) y = name === 'winsor' ? lo : NaN;
        else if (v > hi) y = name === 'winsor' ? hi : NaN;
        if (y !== v) changed++;
        out[i] = y;
      }
    }
    if (name === 'winsor' || name === 'trim')
      notes.push(note('DATA_OUTLIER_CHANGED', { name: ctx.target, fn: name, count: changed }));
    return { kind: 'num', v: out };
  }

  /** Statistics within cells of (group, period): the period is included whenever the data have a time column. */
  function groupStat(name: string, e: Extract<Expr, { kind: 'call' }>): Value {
    const x = asNumbers(ev(e.args[0]!), `the argument of ${name}()`);
    const gArg = e.args[1]!;
    if (gArg.kind !== 'var')
      throw new SpecrunError('EXPR_TYPE', { detail: `${name}(): the second argument must be a column` });
    const gcol = ctx.frame.get(gArg.name);
    if (!gcol) throw new SpecrunError('UNKNOWN_VARIABLE', { name: gArg.name, suggestion: 'check the name' });
    const g = groupCodes(gcol);
    const cell = new Int32Array(n);
    const cellIndex = new Map<string, number>();
    const time = ctx.panel.time;
    for (let i = 0; i < n; i++) {
      if (g.codes[i]! < 0 || (time && Number.isNaN(time[i]!))) {
        cell[i] = -1;
        continue;
      }
      const key = time ? `${g.codes[i]}|${time[i]}` : String(g.codes[i]);
      let c = cellIndex.get(key);
      if (c === undefined) {
        c = cellIndex.size;
        cellIndex.set(key, c);
      }
      cell[i] = c;
    }
    const ncell = cellIndex.size;
    const out = new Float64Array(n).fill(NaN);
    if (name === 'group_rank') {
      const members: number[][] = Array.from({ length: ncell }, () => []);
      for (let i = 0; i < n; i++) if (cell[i]! >= 0 && !Number.isNaN(x[i]!)) members[cell[i]!]!.push(i);
      for (const rows of members) {
        rows.sort((a, b) => x[b]! - x[a]!);
        for (let j = 0; j < rows.length; ) {
          let k = j;
          while (k + 1 < rows.length && x[rows[k + 1]!] === x[rows[j]!]) k++;
          const rank = (j + k) / 2 + 1;
          for (let m = j; m <= k; m++) out[rows[m]!] = rank;
          j = k + 1;
        }
      }
      return { kind: 'num', v: out };
    }
    const sum = new Float64Array(ncell);
    const cnt = new Float64Array(ncell);
    const mn = new Float64Array(ncell).fill(Infinity);
    const mx = new Float64Array(ncell).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const c = cell[i]!;
      const v = x[i]!;
      if (c < 0 || Number.isNaN(v)) continue;
      sum[c] = sum[c]! + v;
      cnt[c]! += 1;
      if (v < mn[c]!) mn[c] = v;
      if (v > mx[c]!) mx[c] = v;
    }
    for (let i = 0; i < n; i++) {
      const c = cell[i]!;
      if (c < 0) continue;
      const k = cnt[c]!;
      switch (name) {
        case 'group_mean':
          out[i] = k > 0 ? sum[c]! / k : NaN;
          break;
        case 'group_sum':
          out[i] = k > 0 ? sum[c]! : NaN;
          break;
        case 'group_min':
          out[i] = k > 0 ? mn[c]! : NaN;
          break;
        case 'group_max':
          out[i] = k > 0 ? mx[c]! : NaN;
          break;
        case 'group_count':
          out[i] = k;
          break;
        default:
          throw new SpecrunError('EXPR_UNKNOWN_FUNCTION', { name, known: Object.keys(FUNCTIONS).join(', ') });
      }
    }
    return { kind: 'num', v: out };
  }
}

/** The q-th quantile of sorted values, interpolating linearly between order statistics (R type 7). */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
