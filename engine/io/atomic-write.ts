/**
 * Output files are written whole or not at all: a failed or interrupted run never leaves a half-written table
 * where a paper's LaTeX will \input it.
 *
 * One file: write a temporary file in the same folder (so the rename stays on one file system), fsync it, rename
 * it over the target (atomic on POSIX), then fsync the folder (best effort) so the rename itself is durable.
 * Several files: create the folders, write and fsync every temporary file first, and rename only when all of them
 * are written; on any failure before the renames, every temporary file is removed and nothing is replaced. The
 * renames themselves are atomic one by one (a crash between two renames can leave some outputs new and some old,
 * each of them whole).
 *
 * Synchronous on purpose: the CLI writes outputs once, at the end, and a sync failure surfaces as a plain throw.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SpecrunError } from '../diagnostics/diagnostic.js';

export interface OutputFile {
  path: string;
  data: string | Uint8Array;
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeFilesAtomic([{ path, data }]);
}

export function writeFilesAtomic(files: readonly OutputFile[]): void {
  const targets = files.map((f) => resolve(f.path));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t))
      throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: dirname(t), reason: `${basename(t)} is listed twice` });
    seen.add(t);
  }
  // 1. Folders.
  for (const dir of new Set(targets.map((t) => dirname(t)))) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir, reason: reasonOf(e) });
    }
  }
  // 2. Every temporary file, written and flushed.
  const temps: string[] = [];
  try {
    for (let i = 0; i < files.length; i++) {
      const target = targets[i]!;
      const temp = `${dirname(target)}/.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      temps.push(temp);
      writeAndSync(temp, files[i]!.data, dirname(target));
    }
  } catch (e) {
    removeAll(temps);
    throw e;
  }
  // 3. The renames, only now that every temporary file is complete.
  for (let i = 0; i < files.length; i++) {
    try {
      renameSync(temps[i]!, targets[i]!);
    } catch (e) {
      removeAll(temps.slice(i));
      throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: dirname(targets[i]!), reason: reasonOf(e) });
    }
  }
  for (const dir of new Set(targets.map((t) => dirname(t)))) syncDir(dir);
}

function writeAndSync(temp: string, data: string | Uint8Array, dir: string): void {
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (e) {
    throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir, reason: reasonOf(e) });
  }
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir, reason: reasonOf(e) });
  } finally {
    closeSync(fd);
  }
}

function removeAll(paths: readonly string[]): void {
  for (const p of paths) {
    try {
      unlinkSync(p);
    } catch {
      /* never created, or already gone */
    }
  }
}

/** Durability of the rename; some file systems refuse fsync on a folder, which is not an error here. */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

/** A file-system error as a short reason for OUTPUT_NOT_WRITABLE. */
export function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOTDIR':
      return 'a path component is a file, not a folder';
    case 'EISDIR':
      return 'the target is a folder';
    case 'EEXIST':
      return 'a file is in the way of a folder';
    default:
      return err.message ?? String(e);
  }
}
