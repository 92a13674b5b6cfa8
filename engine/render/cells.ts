/**
 * The cells of the neutral table model (engine/render/table-model.ts) and the helpers every layout builds them with:
 * text and number cells, term keys, and which terms a table shows. Kept below the table model so that layout modules
 * (engine/render/layouts/) use them without importing the model.
 */
import type { NormalizedTableSpec } from '../normalize/plan.js';
import { finite, fixed, integer } from './format.js';

export type Align = 'l' | 'c' | 'r';

/** One cell: plain text, the stars that follow it, and how many columns it spans. */
export interface TableCell {
  readonly text: string;
  /** `*`, `**`, `***`, or empty. Kept apart from the text so each format can set them (superscript in LaTeX). */
  readonly stars: string;
  /** Columns spanned (1 for an ordinary cell). */
  readonly span: number;
  readonly align: Align;
  /** A number (or a parenthesised number): LaTeX sets its minus sign in math mode. */
  readonly numeric: boolean;
  /**
   * The number the text shows, for formats that keep numbers as numbers (xlsx): the value, its decimals, and how
   * the text wraps it (`(0.009)` is `paren`, `44.42%` is `percent`). Absent for text and for composite cells.
   */
  readonly number?: CellNumber;
}

export interface CellNumber {
  readonly value: number;
  readonly digits: number;
  readonly wrap?: 'paren' | 'bracket' | 'percent';
}

/** The term name of the constant in results. */
export const CONSTANT_TERM = '(Intercept)';

/** Terms compare without spaces: `lag(n, 1)` in a spec names the result term `lag(n,1)`. */
export function termKey(term: string): string {
  return term.replace(/\s+/g, '');
}

export function textCell(text: string, align: Align = 'l'): TableCell {
  return { text, stars: '', span: 1, align, numeric: false };
}

export function numCell(text: string, stars = ''): TableCell {
  return { text, stars, span: 1, align: 'c', numeric: true };
}

/** A number cell that also carries its value (see CellNumber); blank when the value is not finite. */
export function valueCell(
  x: number | null | undefined,
  digits: number,
  wrap?: CellNumber['wrap'],
  stars = '',
): TableCell {
  const v = finite(x);
  if (v === null) return numCell('');
  const body = wrap === 'percent' ? `${fixed(v * 100, digits)}%` : digits === 0 ? integer(v) : fixed(v, digits);
  const text = wrap === 'paren' ? `(${body})` : wrap === 'bracket' ? `[${body}]` : body;
  return { ...numCell(text, stars), number: wrap === undefined ? { value: v, digits } : { value: v, digits, wrap } };
}

/**
 * The terms a table shows, in the spelling of the results: `keep` (in its order) or every term of the lists in order,
 * each once, minus `drop` and the constant (which has its own row).
 */
export function shownTerms(
  spec: Pick<NormalizedTableSpec, 'keep' | 'drop'>,
  termLists: readonly (readonly string[])[],
): string[] {
  const present = new Map<string, string>();
  for (const list of termLists) for (const t of list) if (!present.has(termKey(t))) present.set(termKey(t), t);
  const dropped = new Set(spec.drop.map(termKey));
  dropped.add(termKey(CONSTANT_TERM));
  const order = spec.keep ? spec.keep.map(termKey) : [...present.keys()];
  const out: string[] = [];
  for (const key of order) {
    const term = present.get(key);
    if (term !== undefined && !dropped.has(key) && !out.includes(term)) out.push(term);
  }
  return out;
}
