import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFilesAtomic } from '../../engine/io/atomic-write.js';
import { errorOf } from '../helpers/errors.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'specrun-atomic-'));

/** Every file under dir, recursively (temporary files start with a dot). */
function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name).slice(dir.length + 1))
    .sort();
}

describe('writeFileAtomic / writeFilesAtomic', () => {
  it('writes text and bytes, creating folders, replacing existing files, leaving no temporary files', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'old.tex'), 'old');
    writeFilesAtomic([
      { path: join(dir, 'old.tex'), data: 'new 表' },
      { path: join(dir, 'a', 'b', 'c.json'), data: '{"x":1}' },
      { path: join(dir, 'bin.dat'), data: Uint8Array.from([0, 255, 10]) },
    ]);
    expect(readFileSync(join(dir, 'old.tex'), 'utf8')).toBe('new 表');
    expect(readFileSync(join(dir, 'a', 'b', 'c.json'), 'utf8')).toBe('{"x":1}');
    expect([...readFileSync(join(dir, 'bin.dat'))]).toEqual([0, 255, 10]);
    expect(listAll(dir)).toEqual(['a/b/c.json', 'bin.dat', 'old.tex']);
    writeFileAtomic(join(dir, 'one.md'), '# t\n');
    expect(readFileSync(join(dir, 'one.md'), 'utf8')).toBe('# t\n');
  });

  it('a folder that cannot be created fails before anything is written', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'keep.tex'), 'old');
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be');
    const e = errorOf(() =>
      writeFilesAtomic([
        { path: join(dir, 'keep.tex'), data: 'new' },
        { path: join(dir, 'blocker', 'out', 't.tex'), data: 'x' },
      ]),
    );
    expect(e.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(String(e.args.dir)).toContain('blocker');
    expect(readFileSync(join(dir, 'keep.tex'), 'utf8')).toBe('old');
    expect(listAll(dir)).toEqual(['blocker', 'keep.tex']);
  });

  it('a temporary file that cannot be written removes the others and replaces nothing', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'keep.tex'), 'old');
    // A name that fits the file system but whose temporary name (with its prefix and suffix) does not.
    const long = 'n'.repeat(250);
    const e = errorOf(() =>
      writeFilesAtomic([
        { path: join(dir, 'keep.tex'), data: 'new' },
        { path: join(dir, long), data: 'x' },
      ]),
    );
    expect(e.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(e.args.dir).toBe(dir);
    expect(readFileSync(join(dir, 'keep.tex'), 'utf8')).toBe('old');
    expect(listAll(dir)).toEqual(['keep.tex']);
  });

  it('a target that is a folder fails at the rename, leaving whole files and no temporary files', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'table.tex'));
    writeFileSync(join(dir, 'table.tex', 'inside'), 'x');
    const e = errorOf(() => writeFilesAtomic([{ path: join(dir, 'table.tex'), data: 'new' }]));
    expect(e.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(listAll(dir)).toEqual(['table.tex/inside']);
  });

  it('the same target twice is refused', () => {
    const dir = scratch();
    const e = errorOf(() =>
      writeFilesAtomic([
        { path: join(dir, 'x'), data: '1' },
        { path: join(dir, '.', 'x'), data: '2' },
      ]),
    );
    expect(e.code).toBe('OUTPUT_NOT_WRITABLE');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
