/**
 * Frame → CSV that any reader (R's read.csv and fread, pandas, Excel, specrun itself) reads back to the same
 * values. Deterministic: the same frame always gives the same bytes.
 * - RFC 4180 quoting: a field is quoted when it holds the delimiter, a quote, CR or LF, or begins or ends with a
 *   space or tab (which unquoted-cell trimming would lose); quotes inside are doubled.
 * - Missing values (NaN, text code -1) are empty fields.
 * - Numbers are printed exactly as JavaScript's Number→string prints them: the shortest text that reads back to
 *   the same double (`0.1`, `1e-7`, `1e+21`); -0 prints as `0`. ±Infinity print as `Inf`/`-Inf` (R's spelling).
 * - UTF-8, LF line ends, a header row, and a final newline.
 *
 * The text is assembled as bytes (no string per cell, no rope of millions of pieces), which keeps a
 * million-row export to a fraction of a second.
 */
import { isText, type Frame } from '../core/frame.js';

/** The whole frame (or the named columns, in that order) as one CSV string. */
export function frameToCsv(frame: Frame, columns?: readonly string[]): string {
  return new TextDecoder().decode(frameToCsvBytes(frame, columns));
}

/** The same CSV as UTF-8 bytes (what a file gets), without building the string. */
export function frameToCsvBytes(frame: Frame, columns?: readonly string[]): Uint8Array {
  const parts = [...csvByteChunks(frame, columns, 1 << 24)];
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * The same text in chunks of about `chunkChars` bytes, each ending at a row end, for frames whose CSV would not
 * fit in one string (V8 strings stop near 512 MB).
 */
export function* frameToCsvChunks(frame: Frame, columns?: readonly string[], chunkChars = 1 << 20): Generator<string> {
  const dec = new TextDecoder();
  for (const bytes of csvByteChunks(frame, columns, chunkChars)) yield dec.decode(bytes);
}

function* csvByteChunks(
  frame: Frame,
  columns: readonly string[] | undefined,
  chunkBytes: number,
): Generator<Uint8Array> {
  const names = columns ?? frame.names;
  const cols = names.map((n) => {
    const c = frame.get(n);
    if (!c) throw new Error(`frameToCsv: no column ${n}`);
    return c;
  });
  const enc = new TextEncoder();
  // Text columns: each level quoted and encoded once, not once per row.
  const levelBytes = cols.map((c) => (isText(c) ? c.levels.map((l) => enc.encode(csvField(l))) : null));
  const sink = new ByteSink(Math.min(chunkBytes + 4096, 1 << 26));
  sink.bytes(enc.encode(names.map(csvField).join(',') + '\n'));
  const ncol = cols.length;
  for (let i = 0; i < frame.nrows; i++) {
    for (let j = 0; j < ncol; j++) {
      if (j > 0) sink.byte(0x2c);
      const c = cols[j]!;
      if (c instanceof Float64Array) {
        const v = c[i]!;
        if (v === v) writeNumber(sink, v);
      } else {
        const code = c.codes[i]!;
        if (code >= 0) sink.bytes(levelBytes[j]![code]!);
      }
    }
    sink.byte(0x0a);
    if (sink.len >= chunkBytes) yield sink.take();
  }
  if (sink.len > 0 || frame.nrows === 0) yield sink.take();
}

/** A growable byte buffer. */
class ByteSink {
  buf: Uint8Array;
  len = 0;
  constructor(cap: number) {
    this.buf = new Uint8Array(Math.max(cap, 64));
  }
  room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }
  /** The bytes so far (a copy), and an empty buffer. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.len = 0;
    return out;
  }
}

const POW10: number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TWO53 = 9007199254740992;

/**
 * Writes String(v) for a finite number (Inf for ±Infinity). Two exact shortcuts before String(v): integers below
 * 2^53 (their digits), and fixed-notation values with up to 22 decimals whose digits R, read back as R / 10^k,
 * give v again; the smallest such k gives the shortest text, which is what String(v) prints in that range.
 */
function writeNumber(sink: ByteSink, v: number): void {
  if (v === Infinity) {
    sink.ascii('Inf');
    return;
  }
  if (v === -Infinity) {
    sink.ascii('-Inf');
    return;
  }
  const a = v < 0 ? -v : v;
  if (a < TWO53 && Math.floor(a) === a) {
    if (v < 0) sink.byte(0x2d);
    writeDigits(sink, a, 0);
    return;
  }
  if (a >= 1e-6 && a < 1e15) {
    for (let k = 1; k <= 22; k++) {
      const p = POW10[k]!;
      const r = Math.round(a * p);
      if (r >= TWO53) break;
      if (r / p === a) {
        if (v < 0) sink.byte(0x2d);
        const frac = r % p;
        writeDigits(sink, (r - frac) / p, 0);
        sink.byte(0x2e);
        writeDigits(sink, frac, k);
        return;
      }
    }
  }
  sink.ascii(String(v));
}

/** The decimal digits of a non-negative integer below 2^53, left-padded with zeros to `width`. */
function writeDigits(sink: ByteSink, x: number, width: number): void {
  let nd = 1;
  while (nd < 16 && x >= POW10[nd]!) nd++;
  if (nd < width) nd = width;
  sink.room(nd);
  const end = sink.len + nd;
  const buf = sink.buf;
  for (let i = end - 1; i >= sink.len; i--) {
    const q = Math.floor(x / 10);
    buf[i] = 0x30 + (x - q * 10);
    x = q;
  }
  sink.len = end;
}

/** One field, quoted only when RFC 4180 (or trimming on read) requires it. */
export function csvField(s: string): string {
  if (s === '') return '""';
  const needs = /[",\r\n]/.test(s) || /^[ \t]|[ \t]$/.test(s);
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}
