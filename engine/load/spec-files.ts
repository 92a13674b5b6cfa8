/** Which spec files a path stands for: a file itself, or a folder's `*.yaml` / `*.yml` files in name order. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The spec file names among `names` (`*.yaml`, `*.yml`), sorted. */
export function specNames(names: readonly string[]): string[] {
  return names.filter((f) => /\.ya?ml$/.test(f)).sort();
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The spec file names of a folder on disk, sorted ([] when it is not a folder). */
export function specNamesIn(dir: string): string[] {
  return isDirectory(dir) ? specNames(readdirSync(dir)) : [];
}

/** Spec files named by `paths` (relative to `cwd`); a folder stands for its spec files, in name order (folders with none are listed). */
export function expandSpecPaths(
  paths: readonly string[],
  cwd: string,
): { files: string[]; fromFolder: boolean; emptyFolders: string[] } {
  const files: string[] = [];
  const emptyFolders: string[] = [];
  let fromFolder = false;
  for (const p of paths) {
    const abs = resolve(cwd, p);
    // A missing file is reported by the loader.
    if (isDirectory(abs)) {
      fromFolder = true;
      const names = specNamesIn(abs);
      if (names.length === 0) emptyFolders.push(p);
      for (const f of names) files.push(join(abs, f));
    } else files.push(abs);
  }
  return { files, fromFolder, emptyFolders };
}
