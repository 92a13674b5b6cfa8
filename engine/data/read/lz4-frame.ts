/**
 * LZ4 frame-format decompression (the format of the `lz4` tool and of Arrow IPC's LZ4_FRAME buffers: pyarrow's and
 * R arrow's default compression for Feather V2), written from the format's public specification (lz4's
 * doc/lz4_Frame_format.md and lz4_Block_format.md). Blocks are decoded into one output, so linked blocks (a match
 * reaching back into the previous block, Arrow C++'s default) and independent ones both work. Checksums are skipped,
 * not verified; concatenated and skippable frames are read in turn. Anything malformed throws an Error whose message
 * says what (the Arrow reader turns it into DATA_PARSE).
 */

const MAGIC = 0x184d2204;

function u32(b: Uint8Array, i: number): number {
  if (i + 4 > b.length) throw new Error('lz4 frame truncated');
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

/** A growable byte output (exact size when the caller knows it). */
class Output {
  bytes: Uint8Array;
  length = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(Math.max(size, 16));
  }
  ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(need, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
}

/** Decode one LZ4 block (`src[start, end)`) onto the end of `out`. */
function decodeBlock(src: Uint8Array, start: number, end: number, out: Output): void {
  let i = start;
  while (i < end) {
    const token = src[i++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (i >= end) throw new Error('lz4 block truncated in a literal length');
        b = src[i++]!;
        literals += b;
      } while (b === 255);
    }
    if (i + literals > end) throw new Error('lz4 block truncated in literals');
    out.ensure(literals);
    out.bytes.set(src.subarray(i, i + literals), out.length);
    out.length += literals;
    i += literals;
    if (i === end) return; // the last sequence has literals only
    if (i + 2 > end) throw new Error('lz4 block truncated in an offset');
    const offset = src[i]! | (src[i + 1]! << 8);
    i += 2;
    if (offset === 0 || offset > out.length) throw new Error(`lz4 match offset ${offset} out of range`);
    let match = token & 15;
    if (match === 15) {
      let b: number;
      do {
        if (i >= end) throw new Error('lz4 block truncated in a match length');
        b = src[i++]!;
        match += b;
      } while (b === 255);
    }
    match += 4;
    out.ensure(match);
    const o = out.bytes;
    let from = out.length - offset;
    let to = out.length;
    const stop = to + match;
    if (offset >= match) {
      o.copyWithin(to, from, from + match);
      to = stop;
    } else {
      while (to < stop) o[to++] = o[from++]!;
    }
    out.length = stop;
  }
}

/** Decompress LZ4 frame data; `length` (the decompressed size, when known) sizes the output once. */
export function decompressLz4Frame(src: Uint8Array, length?: number): Uint8Array {
  const out = new Output(length ?? src.length * 3);
  let i = 0;
  while (i < src.length) {
    const magic = u32(src, i);
    i += 4;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // A skippable frame: its size, then that many bytes.
      i += 4 + u32(src, i);
      continue;
    }
    if (magic !== MAGIC) throw new Error('not LZ4 frame data (bad magic number)');
    if (i + 2 > src.length) throw new Error('lz4 frame truncated in its header');
    const flg = src[i]!;
    if (flg >>> 6 !== 1) throw new Error(`lz4 frame version ${flg >>> 6} not supported`);
    if (flg & 1) throw new Error('lz4 frames with a dictionary id are not supported');
    const blockChecksum = (flg & 0x10) !== 0;
    const contentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    i += 2; // FLG, BD
    if (contentSize) i += 8;
    i += 1; // header checksum
    for (;;) {
      const word = u32(src, i);
      i += 4;
      if (word === 0) break; // end mark
      const size = word & 0x7fffffff;
      if (i + size > src.length) throw new Error('lz4 frame truncated in a block');
      if (word & 0x80000000) {
        out.ensure(size);
        out.bytes.set(src.subarray(i, i + size), out.length);
        out.length += size;
      } else decodeBlock(src, i, i + size, out);
      i += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) i += 4;
  }
  if (length !== undefined && out.length !== length) {
    throw new Error(`lz4 data decompressed to ${out.length} bytes, not the ${length} its header gives`);
  }
  return out.length === out.bytes.length ? out.bytes : out.bytes.slice(0, out.length);
}
