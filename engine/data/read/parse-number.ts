/**
 * Plain decimal numbers straight from bytes, without building a string: `-12`, `3.25`, `.5`, `5.`, `1e-3`,
 * `+2.5E+07`. Anything else (thousands separators, `Inf`, hex, spaces inside) is not a number.
 *
 * Exactness: with at most 15 significant digits and a decimal exponent within ±22 the value is one correctly
 * rounded multiplication or division of two exact doubles (Clinger's fast path), so the result equals
 * `Number(text)` to the last bit. Every other case goes through `Number(text)` itself.
 */

/** Exact powers of ten as doubles (10^22 is the largest that is exact). */
export const POW10: readonly number[] = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/** The number written in `b[s..e)`, or NaN when those bytes are not a plain decimal number. */
export function parseNumberBytes(b: Uint8Array, s: number, e: number): number {
  let p = s;
  if (p >= e) return NaN;
  let neg = false;
  const c = b[p]!;
  if (c === 0x2d) {
    neg = true;
    p++;
  } else if (c === 0x2b) p++;
  let mant = 0;
  let digits = 0;
  let fracDigits = 0;
  while (p < e) {
    const d = b[p]! - 48;
    if (d < 0 || d > 9) break;
    // Leading zeros carry no precision: skipping them keeps `0.000123` on the fast path.
    if (mant !== 0 || d !== 0) {
      mant = mant * 10 + d;
      digits++;
    }
    p++;
  }
  let anyDigit = p > s + (neg || c === 0x2b ? 1 : 0);
  if (p < e && b[p] === 0x2e) {
    p++;
    const f0 = p;
    while (p < e) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      if (mant !== 0 || d !== 0) {
        mant = mant * 10 + d;
        digits++;
      }
      fracDigits++;
      p++;
    }
    if (p > f0) anyDigit = true;
  }
  if (!anyDigit) return NaN;
  let exp = 0;
  if (p < e && (b[p]! | 0x20) === 0x65) {
    p++;
    let eneg = false;
    if (p < e && (b[p] === 0x2d || b[p] === 0x2b)) {
      eneg = b[p] === 0x2d;
      p++;
    }
    const e0 = p;
    while (p < e) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      if (exp < 1e6) exp = exp * 10 + d;
      p++;
    }
    if (p === e0) return NaN;
    if (eneg) exp = -exp;
  }
  if (p !== e) return NaN;
  if (digits <= 15) {
    const scale = exp - fracDigits;
    let v: number;
    if (mant === 0) v = 0;
    else if (scale === 0) v = mant;
    else if (scale > 0 && scale <= 22) v = mant * POW10[scale]!;
    else if (scale < 0 && scale >= -22) v = mant / POW10[-scale]!;
    else return slowPath(b, s, e);
    return neg ? -v : v;
  }
  return slowPath(b, s, e);
}

/** The grammar above is a subset of JavaScript's numeric literals, so Number() agrees on what it means. */
function slowPath(b: Uint8Array, s: number, e: number): number {
  let t = '';
  for (let i = s; i < e; i++) t += String.fromCharCode(b[i]!);
  // `1e999` overflows to ±Infinity: not a number a regression can use, so it is reported like the text `Inf`
  // (DATA_NON_NUMERIC) instead of turning into an infinity whose rows vanish silently.
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

/** The same grammar for a string (XLSX cells stored as text, already trimmed by the caller). */
export function parseNumberText(t: string): number {
  // Non-ASCII text cannot be a plain number; ASCII maps to bytes one to one.
  const b = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c > 0x7f) return NaN;
    b[i] = c;
  }
  return parseNumberBytes(b, 0, b.length);
}
