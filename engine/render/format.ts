/**
 * Number and text formatting shared by every table layout. Pure functions: the same input always gives the same
 * text, whatever the locale of the machine (no `toLocaleString`).
 */
import { TABLE_DEFAULTS } from '../spec/defaults.js';
import type { LocalizedText } from '../spec/types.js';

/** __Default value__ of `TableSpec.stars`: one star at 10 %, two at 5 %, three at 1 %. */
export const DEFAULT_STAR_LEVELS: readonly number[] = TABLE_DEFAULTS.stars;
/** __Default value__ of `TableSpec.digits`. */
export const DEFAULT_DIGITS: number = TABLE_DEFAULTS.digits;

/** Pick the text for `lang`; fall back to zh, then en, then the first language given. */
export function localize(text: LocalizedText | null | undefined, lang: string): string {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  if (Object.hasOwn(text, lang)) return text[lang] ?? '';
  for (const fallback of ['zh', 'en']) {
    if (Object.hasOwn(text, fallback)) return text[fallback] ?? '';
  }
  const first = Object.keys(text)[0];
  return first === undefined ? '' : (text[first] ?? '');
}

/** A finite number, or null for null, undefined, NaN and ±Infinity (rendered blank). */
export function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/**
 * Fixed-point text with `digits` decimals and an ASCII minus. A value that rounds to zero prints without a sign
 * (`-0.0004` with 3 digits is `0.000`, not `-0.000`), because a signed zero reads as a negative estimate.
 * Non-finite values give the empty string.
 */
export function fixed(x: number | null | undefined, digits: number): string {
  const v = finite(x);
  if (v === null) return '';
  const d = Math.max(0, Math.min(20, Math.trunc(digits)));
  const text = v.toFixed(d);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** An integer count (observations, instruments, clusters); blank when not finite. */
export function integer(x: number | null | undefined): string {
  const v = finite(x);
  return v === null ? '' : Math.round(v).toFixed(0);
}

/**
 * Stars for a p-value: one star per level the p-value is strictly below. Levels may be given in any order;
 * `[0.1, 0.05, 0.01]` gives `*` for p < 0.1, `**` for p < 0.05, `***` for p < 0.01. No p-value, no stars.
 */
export function stars(p: number | null | undefined, levels: readonly number[] = DEFAULT_STAR_LEVELS): string {
  const v = finite(p);
  if (v === null) return '';
  let n = 0;
  for (const level of levels) if (v < level) n += 1;
  return '*'.repeat(n);
}

/** A p-value as text: `0.042`, or `< 0.001` when it rounds to zero at `digits` decimals. */
export function pValue(p: number | null | undefined, digits: number): string {
  const v = finite(p);
  if (v === null) return '';
  const floor = Math.pow(10, -digits);
  return v < floor ? `< ${fixed(floor, digits)}` : fixed(v, digits);
}

/** A share as a percentage with two decimals: 0.4442 → `44.42%`. */
export function percent(x: number | null | undefined): string {
  const v = finite(x);
  return v === null ? '' : `${fixed(v * 100, 2)}%`;
}

/** Significance levels as percentages for the notes: 0.1 → `10%`, 0.005 → `0.5%`. */
export function levelPercent(level: number): string {
  // Round away binary noise (0.1 * 100 = 10.000000000000002) before trimming zeros.
  const text = (Math.round(level * 100 * 1e6) / 1e6).toString();
  return `${text}%`;
}
