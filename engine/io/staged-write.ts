/**
 * The outputs of a run, written all at once or not at all (issue 13, defect 6).
 *
 * 1. Every path must resolve inside the output folder (a table id such as `../README` is refused earlier, by the
 *    spec rules; this is the last guard).
 * 2. Every file is written into a hidden staging folder beside the output folder
 *    (`.OUT.specrun-staging-PID-RANDOM`), so nothing of a half-finished write is ever inside the output folder.
 *    The files are not fsynced (issue 19): atomicity comes from the renames, not from fsync, which only makes the
 *    files durable across a power failure and cost ≈ 6 ms per file (70 ms for the paper's 12 outputs, a seventh of
 *    a cached rerun). The outputs are reproducible from the specs; after a power failure a rerun writes them again.
 * 3. Before anything is moved, every target is checked: a folder (or anything but a regular file) where a file goes
 *    fails the run with nothing replaced.
 * 4. Swap: when the output folder does not exist, the staging folder is renamed to it (one atomic rename: all files
 *    or none). When it exists (it may hold the user's own files, which are kept), each staged file is renamed over
 *    its target; only renames remain at that point, each atomic.
 * 5. The staging folder is removed on failure, on SIGINT/SIGTERM (the writes are synchronous, so a signal is handled
 *    once they are done and the outputs are whole), and staging folders left by a killed run (SIGKILL) are removed
 *    by the next run that writes beside them.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { reasonOf } from './atomic-write.js';

export interface StagedFile {
  readonly path: string;
  readonly data: string | Uint8Array;
}

const STAGING = '.specrun-staging-';

/** Write `files` (absolute paths inside `outDir`) all at once. Throws SpecrunError OUTPUT_NOT_WRITABLE. */
export function writeOutputFolder(outDir: string, files: readonly StagedFile[]): void {
  const out = resolve(outDir);
  const rels = files.map((f) => {
    const rel = relative(out, resolve(f.path));
    if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) {
      throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: out, reason: `${f.path} is outside the output folder` });
    }
    return rel;
  });
  if (new Set(rels).size !== rels.length) {
    const dup = rels.find((r, i) => rels.indexOf(r) !== i)!;
    throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: out, reason: `${dup} is listed twice` });
  }
  const parent = dirname(out);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: out, reason: reasonOf(e) });
  }
  const existing = kindOf(out);
  if (existing !== 'missing' && existing !== 'dir') {
    throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: out, reason: 'it exists and is not a folder' });
  }
  // 3 (first, cheap): a target that is not a regular file fails the run before anything is written.
  if (existing === 'dir') {
    for (const rel of rels) {
      const k = kindOf(join(out, rel));
      if (k !== 'missing' && k !== 'file')
        throw new SpecrunError('OUTPUT_NOT_WRITABLE', {
          dir: out,
          reason: `${rel} exists and is ${k === 'dir' ? 'a folder' : 'not a regular file'}`,
        });
    }
  }
  removeStaleStaging(parent, basename(out));
  const staging = join(parent, `.${basename(out)}${STAGING}${process.pid}-${randomBytes(4).toString('hex')}`);
  const cleanup = () => {
    try {
      rmSync(staging, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', cleanup);
  try {
    // 2. stage
    try {
      mkdirSync(staging, { mode: 0o755 });
      files.forEach((f, i) => {
        const p = join(staging, rels[i]!);
        mkdirSync(dirname(p), { recursive: true });
        writeWhole(p, f.data);
      });
    } catch (e) {
      throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: out, reason: reasonOf(e) });
    }
    // 4. swap
    if (existing === 'missing') {
      try {
        renameSync(staging, out);
      } catch (e) {
        throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: out, reason: reasonOf(e) });
      }
    } else {
      for (const rel of rels) {
        const target = join(out, rel);
        try {
          mkdirSync(dirname(target), { recursive: true });
          renameSync(join(staging, rel), target);
        } catch (e) {
          throw new SpecrunError('OUTPUT_NOT_WRITABLE', { dir: out, reason: `${rel}: ${reasonOf(e)}` });
        }
      }
    }
  } finally {
    cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('exit', cleanup);
  }
}

/** Staging folders of `name` left by runs that were killed (their process is gone). */
function removeStaleStaging(parent: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  const prefix = `.${name}${STAGING}`;
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const pid = Number(e.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
      try {
        rmSync(join(parent, e), { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function kindOf(p: string): 'missing' | 'file' | 'dir' | 'other' {
  try {
    const st = lstatSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

function writeWhole(p: string, data: string | Uint8Array): void {
  const fd = openSync(p, 'wx', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  } finally {
    closeSync(fd);
  }
}
