// Shared by the CSV reader tests (csv-windows, csv-parallel): what a read gives in a comparable form, and random CSV
// files with the cases the reader must get right (quoted line ends, CRLF, blank lines, late text, missing cells).
import type { Column } from '../../engine/core/frame.js';
import type { readCsv } from '../../engine/data/read/csv.js';
import { rng as olsRng } from '../ols/helpers.js';

export function cells(c: Column): (number | string | null)[] {
  if (c instanceof Float64Array) return [...c].map((v) => (Number.isNaN(v) ? null : v));
  return [...c.codes].map((k) => (k < 0 ? null : c.levels[k]!));
}

/** What a read gives, or the error it throws, in a comparable form. */
export function outcome(read: () => ReturnType<typeof readCsv>): unknown {
  try {
    const t = read();
    return {
      names: t.frame.names,
      rows: t.frame.nrows,
      cols: t.frame.names.map((n) => {
        const c = t.frame.get(n)!;
        return {
          numeric: c instanceof Float64Array,
          cells: cells(c),
          levels: c instanceof Float64Array ? null : c.levels,
        };
      }),
      nonNumeric: [...t.nonNumeric],
      encoding: t.encoding,
    };
  } catch (e) {
    return { error: (e as Error).message, code: (e as { code?: string }).code };
  }
}

/** A small deterministic uniform generator (mulberry32, tests/ols/helpers.ts). */
export function rng(seed: number): () => number {
  return olsRng(seed).uniform;
}

const NUMBERS = ['12', '-3.5', '1e3', ' 7 ', '.5', '0.000123', '123456789012345678', '5.', '-0'];
const TEXTS = ['abc', '"a,b"', '"x\ny"', '"q""t"', '中文', '"line\r\nend"', 'x y', '"  pad "', 'NaN', '007'];
const MISSING = ['', 'NA', '.', ' '];

/** A random CSV of up to `maxRows` rows (default 60) and 1–5 columns. */
export function randomCsv(u: () => number, maxRows = 60): string {
  const ncols = 1 + Math.floor(u() * 5);
  // per column: numeric, text, or numeric turning text after some rows
  const kind = Array.from({ length: ncols }, () => Math.floor(u() * 3));
  const switchAt = Array.from({ length: ncols }, () => Math.floor(u() * 40));
  const eol = u() < 0.5 ? '\n' : '\r\n';
  const lines = [Array.from({ length: ncols }, (_, j) => (u() < 0.2 ? `"c ${j}"` : `c${j}`)).join(',')];
  const nrows = Math.floor(u() * maxRows);
  for (let i = 0; i < nrows; i++) {
    if (u() < 0.05) lines.push('');
    const cellsOf = kind.map((k, j) => {
      if (u() < 0.1) return MISSING[Math.floor(u() * MISSING.length)]!;
      if (k === 0 || (k === 2 && i < switchAt[j]!)) return NUMBERS[Math.floor(u() * NUMBERS.length)]!;
      return TEXTS[Math.floor(u() * TEXTS.length)]!;
    });
    lines.push(cellsOf.join(','));
  }
  let text = lines.join(eol);
  if (u() < 0.7) text += eol;
  return text;
}
