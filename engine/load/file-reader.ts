/** How the pipeline reads files: from disk, or (for `specrun diff --rev`) as they were at a git revision. */
import { readFileLimited, readSpecText } from '../core/read-limited.js';

export interface FileReader {
  readText(absPath: string): string;
  /** The bytes of a file, or null when it cannot be read. */
  readBytes(absPath: string): Uint8Array | null;
  /** Names of the files in a folder, or null when it is not a folder. */
  listDir?(absPath: string): string[] | null;
  /** True when `readBytes` reads the disk as it is (so a data header may be read without reading the whole file). */
  readonly onDisk?: boolean;
}

export const diskReader: FileReader = {
  onDisk: true,
  // Bounded reads (engine/core/read-limited.ts): no FIFO, device or oversized file; spec text must be UTF-8.
  readText: (p) => readSpecText(p),
  readBytes: (p) => {
    try {
      return readFileLimited(p, 'data');
    } catch {
      return null;
    }
  },
};
