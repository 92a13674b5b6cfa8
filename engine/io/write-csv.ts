/**
 * Frame → CSV text that any reader (R's read.csv and fread, pandas, Excel, specrun itself) reads back to the same
 * values. Deterministic: the same frame always gives the same bytes.
 * - RFC 4180 quoting: a field is quoted when it holds the delimiter, a quote, CR or LF, or begins or ends with a
 *   space or tab (which unquoted-cell trimming would lose); quotes inside are doubled.
 * - Missing values (NaN, text code -1) are empty fields.
 * - Numbers are printed by JavaScript's Number→string, the shortest text that reads back to the same double
 *   (`0.1`, `1e-7`, `1e+21`); -0 prints as `0`. ±Infinity print as `Inf`/`-Inf` (R's spelling).
 * - LF line ends, a header row, and a final newline.
 */
import { isText, type Frame } from '../data/frame.js';

/** The whole frame (or the named columns, in that order) as one CSV string. */
export function frameToCsv(frame: Frame, columns?: readonly string[]): string {
  let out = '';
  for (const chunk of frameToCsvChunks(frame, columns)) out += chunk;
  return out;
}

/**
 * The same text in chunks of about `chunkChars` characters, for frames whose CSV would not fit in one string
 * (V8 strings stop near 512 MB).
 */
export function* frameToCsvChunks(frame: Frame, columns?: readonly string[], chunkChars = 1 << 20): Generator<string> {
  const names = columns ?? frame.names;
  const cols = names.map((n) => {
    const c = frame.get(n);
    if (!c) throw new Error(`frameToCsv: no column ${n}`);
    return c;
  });
  // Text columns: each level quoted once, not once per row.
  const quotedLevels = cols.map((c) => (isText(c) ? c.levels.map(csvField) : null));
  let buf = names.map(csvField).join(',') + '\n';
  const ncol = cols.length;
  for (let i = 0; i < frame.nrows; i++) {
    for (let j = 0; j < ncol; j++) {
      if (j > 0) buf += ',';
      const c = cols[j]!;
      if (c instanceof Float64Array) {
        const v = c[i]!;
        if (v === v) buf += formatNumber(v);
      } else {
        const code = c.codes[i]!;
        if (code >= 0) buf += quotedLevels[j]![code]!;
      }
    }
    buf += '\n';
    if (buf.length >= chunkChars) { yield buf; buf = ''; }
  }
  if (buf.length > 0) yield buf;
}

function formatNumber(v: number): string {
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** One field, quoted only when RFC 4180 (or trimming on read) requires it. */
export function csvField(s: string): string {
  if (s === '') return '""';
  const needs = /[",\r\n]/.test(s) || /^[ \t]|[ \t]$/.test(s);
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}
