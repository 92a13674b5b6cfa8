/** Content hashes: SHA-256 in hex, of a text (canonical JSON, a cache key) or of a file's bytes. */
import { createHash } from 'node:crypto';

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
