/**
 * The commit checked out at a folder, for the provenance of outputs: what `git rev-parse HEAD` prints there, read from
 * the repository's files instead of starting git (≈ 10–30 ms a run, issue 19). Only the plain cases are read: HEAD
 * detached or naming a branch, whose commit is a loose ref or a line of packed-refs, in a repository (or a worktree's
 * `.git` file and its `commondir`) owned by the current user. Anything else — GIT_DIR and the other variables that
 * move the repository or its configuration, another owner (git's safe.directory), a file-system boundary on the way
 * up, a repository with extensions (reftable), a ref not found — is left to git itself, so the answer is git's.
 */
import { childProcess } from '../core/lazy-builtins.js';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** Variables that change where git finds the repository, its refs or its configuration: then git answers. */
const GIT_LOCATION =
  /^GIT_(DIR|WORK_TREE|COMMON_DIR|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM|NAMESPACE|CONFIG.*)$/;

export function gitCommit(dir: string): string | null {
  return readHead(dir) ?? gitRevParse(dir);
}

/**
 * gitCommit's answer without waiting for git: when git has to answer, it is started now and the promise settles when
 * it exits (`run` starts it before reading the data and awaits it for the provenance; the synchronous git took
 * ≈ 0.1 s of the main thread after the read, issue 19). Never rejects.
 */
export function gitCommitLater(dir: string): Promise<string | null> {
  const head = readHead(dir);
  if (head !== undefined) return Promise.resolve(head);
  return new Promise((done) => {
    let out = '';
    try {
      const git = childProcess().spawn('git', ['-C', dir, 'rev-parse', 'HEAD'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      git.stdout.setEncoding('utf8');
      git.stdout.on('data', (d: string) => (out += d));
      git.on('error', () => done(null));
      git.on('close', (code) => done(code === 0 ? out.trim() || null : null));
    } catch {
      done(null);
    }
  });
}

function gitRevParse(dir: string): string | null {
  try {
    return (
      childProcess()
        .execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

function text(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

function ownedByMe(p: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return false;
  try {
    return statSync(p).uid === uid;
  } catch {
    return false;
  }
}

/** HEAD's commit from the files, or undefined when git has to answer (never a different answer from git's). */
export function readHead(dir: string): string | undefined {
  if (Object.keys(process.env).some((k) => GIT_LOCATION.test(k))) return undefined;
  let top = resolve(dir);
  let dotGit: string;
  let device: number;
  try {
    device = statSync(top).dev;
  } catch {
    return undefined;
  }
  for (;;) {
    const candidate = join(top, '.git');
    try {
      statSync(candidate);
      dotGit = candidate;
      break;
    } catch {
      const up = dirname(top);
      if (up === top) return undefined;
      top = up;
      try {
        // git stops at a file-system boundary (GIT_DISCOVERY_ACROSS_FILESYSTEM): leave that case to git.
        if (statSync(top).dev !== device) return undefined;
      } catch {
        return undefined;
      }
    }
  }
  let gitDir = dotGit;
  if (statSync(dotGit).isFile()) {
    const m = /^gitdir: (.+)$/m.exec(text(dotGit) ?? '');
    if (!m) return undefined;
    gitDir = isAbsolute(m[1]!) ? m[1]! : resolve(top, m[1]!);
  }
  const common = text(join(gitDir, 'commondir'));
  const commonDir = common === null ? gitDir : resolve(gitDir, common.trim());
  if (![top, gitDir, commonDir].every(ownedByMe)) return undefined;
  if (text(join(commonDir, 'config'))?.match(/refStorage|extensions/i)) return undefined;
  const head = text(join(gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (SHA.test(head)) return head;
  const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
  if (!ref || ref.includes('..')) return undefined;
  const loose = text(join(commonDir, ref))?.trim();
  if (loose !== undefined) return SHA.test(loose) ? loose : undefined;
  for (const line of (text(join(commonDir, 'packed-refs')) ?? '').split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref && sha && SHA.test(sha)) return sha;
  }
  return undefined;
}
