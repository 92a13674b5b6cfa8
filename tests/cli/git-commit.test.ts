// The commit in the provenance, read from the repository's files (engine/cli/git-commit.ts, issue 19), is what
// `git rev-parse HEAD` prints: on a branch with a loose ref, after `git pack-refs`, detached, in a linked worktree
// (a .git file and commondir), in a subfolder, and outside any repository (null).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitCommit, gitCommitLater, readHead } from '../../engine/cli/git-commit.js';

const work = mkdtempSync(join(tmpdir(), 'specrun-git-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  }).trim();
}

describe('git commit of the provenance', () => {
  it('reads what git rev-parse HEAD prints, without starting git in the plain cases', () => {
    const repo = join(work, 'repo');
    mkdirSync(join(repo, 'specs', 'sub'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'a.txt'), 'a\n');
    git(repo, 'add', 'a.txt');
    git(repo, 'commit', '-q', '-m', 'one');
    const sub = join(repo, 'specs', 'sub');
    const check = (dir: string) => {
      const expected = git(dir, 'rev-parse', 'HEAD');
      expect(readHead(dir)).toBe(expected);
      expect(gitCommit(dir)).toBe(expected);
    };
    check(sub); // loose ref
    writeFileSync(join(repo, 'a.txt'), 'b\n');
    git(repo, 'commit', '-q', '-am', 'two');
    git(repo, 'pack-refs', '--all');
    check(sub); // packed ref
    git(repo, 'checkout', '-q', '--detach', 'HEAD~1');
    check(repo); // detached
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'worktree', 'add', '-q', join(work, 'wt'), '-b', 'side', 'HEAD~1');
    check(join(work, 'wt')); // linked worktree: .git is a file, refs in the common dir
  });

  it('outside a repository: null, as git', async () => {
    const plain = join(work, 'plain');
    mkdirSync(plain);
    expect(gitCommit(plain)).toBe(null);
    expect(await gitCommitLater(plain)).toBe(null);
  });

  it('started early (run): the same answer, from the files or from git', async () => {
    const repo = join(work, 'later');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'a.txt'), 'a\n');
    git(repo, 'add', 'a.txt');
    git(repo, 'commit', '-q', '-m', 'one');
    const expected = git(repo, 'rev-parse', 'HEAD');
    expect(await gitCommitLater(repo)).toBe(expected);
    // a repository with extensions is left to git: the answer comes from the git started in the background
    git(repo, 'config', 'extensions.worktreeConfig', 'true');
    expect(readHead(repo)).toBe(undefined);
    expect(await gitCommitLater(repo)).toBe(expected);
  });
});
