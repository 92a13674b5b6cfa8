/** Content hashes: SHA-256 in hex, of a text (canonical JSON, a cache key) or of a file's bytes. */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * SHA-256 of a file's bytes, read in 8 MiB pieces (a file of several GB is never held whole). At most `limit` bytes
 * are read: past it, `tooLarge(bytes read)` is thrown.
 */
export function sha256File(path: string, limit: number, tooLarge: (bytes: number) => Error): string {
  const fd = openSync(path, 'r');
  try {
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(8 << 20);
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooLarge(total);
      h.update(n === buf.length ? buf : buf.subarray(0, n));
    }
    return h.digest('hex');
  } finally {
    closeSync(fd);
  }
}
