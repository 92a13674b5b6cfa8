/**
 * Reading the two sides of a diff: a spec file from disk, or the same file at a git revision with its `extends`
 * chain (and its data file, for the checksum) read at that revision through `git show REV:path`.
 */
import { childProcess } from '../core/lazy-builtins.js';
import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { SpecrunError } from '../diagnostics/diagnostic.js';
import { resolveSource } from '../data/builtin.js';
import { diskReader, type FileReader } from '../load/file-reader.js';
import type { Plan } from '../normalize/plan.js';
import { sha256 } from '../core/hashing.js';

export { diskReader, type FileReader };

/** SHA-256 of the plan's data file as `reader` sees it, or null when it cannot be read. */
export function dataChecksum(plan: Plan, reader: FileReader): string | null {
  const resolved = resolveSource(
    Array.isArray(plan.data.source) ? plan.data.source.join('\n') : (plan.data.source as string),
    plan.data.baseDir,
  );
  const bytes = resolved ? reader.readBytes(resolved.file) : null;
  return bytes ? sha256(bytes) : null;
}

function git(args: string[], cwd: string): Buffer {
  return childProcess().execFileSync('git', ['-C', cwd, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  });
}

/** The real path of a file that may not exist any more (its folder, or the path as given). */
function realish(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    /* fall through */
  }
  try {
    return join(realpathSync(dirname(p)), basename(p));
  } catch {
    return p;
  }
}

/** A reader of files as they were at git revision `rev` of the repository holding `dir`. */
export function gitRevisionReader(rev: string, dir: string): FileReader {
  let top: string;
  try {
    top = realpathSync(git(['rev-parse', '--show-toplevel'], dir).toString().trim());
  } catch {
    throw new SpecrunError('CLI_USAGE', { detail: `--rev needs a git checkout, and ${dir} is not in one` });
  }
  try {
    git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], top);
  } catch {
    throw new SpecrunError('CLI_USAGE', { detail: `unknown git revision '${rev}'` });
  }
  const show = (abs: string): Buffer => {
    const rel = relative(top, realish(abs));
    if (rel.startsWith('..')) throw Object.assign(new Error(`${abs} is outside the repository`), { code: 'EOUTSIDE' });
    try {
      return git(['show', `${rev}:${rel.split(sep).join('/')}`], top);
    } catch {
      throw Object.assign(new Error(`no such file at ${rev}`), { code: 'ENOENT' });
    }
  };
  return {
    readText: (p) => show(p).toString('utf8'),
    readBytes: (p) => {
      try {
        return show(p);
      } catch {
        return null;
      }
    },
    listDir: (p) => {
      const rel = relative(top, realish(p)).split(sep).join('/');
      if (rel.startsWith('..')) return null;
      try {
        // The names of the tree at REV:dir (files and folders alike; callers keep the *.yaml ones).
        const out = git(['ls-tree', '--name-only', `${rev}:${rel}`], top).toString();
        return out.split('\n').filter((x) => x !== '');
      } catch {
        return null;
      }
    },
  };
}

/**
 * Spec files renamed between `rev` and the working tree under `dir` (git's rename detection, as `git diff -M`):
 * pairs of absolute paths, old then new.
 */
export function renamesSince(rev: string, dir: string): Array<[string, string]> {
  let top: string;
  try {
    top = realpathSync(git(['rev-parse', '--show-toplevel'], dir).toString().trim());
  } catch {
    return [];
  }
  const rel = relative(top, realish(dir)).split(sep).join('/') || '.';
  let out: string;
  try {
    out = git(['diff', '-M', '--name-status', '--no-ext-diff', rev, '--', rel], top).toString();
  } catch {
    return [];
  }
  const pairs: Array<[string, string]> = [];
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (/^R\d*$/.test(f[0] ?? '') && f[1] && f[2] && /\.ya?ml$/.test(f[1]) && /\.ya?ml$/.test(f[2]))
      pairs.push([join(top, f[1]), join(top, f[2])]);
  }
  return pairs;
}
