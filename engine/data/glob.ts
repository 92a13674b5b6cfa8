/**
 * File globs for data sources that come as one file per period (`yearbook/城市统计年鉴*.xlsx`). A small matcher, so
 * that no dependency is needed and the rules are the ones the spec reference states: `*` and `?` within a name,
 * `[...]` a character class, `{a,b}` alternatives, `**` any number of folders. Matches are sorted by path (code-point
 * order), so the stacking order of the files never depends on the file system.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** True when `pattern` has glob syntax (otherwise it is a plain path). */
export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** A regular expression for one path segment of a glob (never matching a `/`). */
export function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (ch === '{') {
      const close = segment.indexOf('}', i + 1);
      if (close < 0) {
        re += '\\{';
        continue;
      }
      re +=
        '(?:' +
        segment
          .slice(i + 1, close)
          .split(',')
          .map((a) => segmentRegExp(a).source.slice(1, -1))
          .join('|') +
        ')';
      i = close;
    } else re += ch.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

/** The files matching `pattern` (relative to `baseDir`), as absolute paths in sorted order. */
export function expandGlob(pattern: string, baseDir: string): string[] {
  const abs = resolve(baseDir, pattern);
  const segments = abs.split(sep);
  // The literal prefix: the folders up to the first segment with glob syntax.
  let k = 0;
  while (k < segments.length && !isGlob(segments[k]!)) k++;
  const root = segments.slice(0, k).join(sep) || sep;
  const out: string[] = [];
  walk(root, segments.slice(k));
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  function walk(dir: string, rest: string[]): void {
    if (rest.length === 0) {
      if (isFile(dir)) out.push(dir);
      return;
    }
    const [head, ...tail] = rest as [string, ...string[]];
    if (head === '**') {
      walk(dir, tail);
      for (const e of entries(dir)) if (e.dir) walk(join(dir, e.name), rest);
      return;
    }
    if (!isGlob(head)) {
      walk(join(dir, head), tail);
      return;
    }
    const re = segmentRegExp(head);
    for (const e of entries(dir)) {
      if (e.name.startsWith('.') && !head.startsWith('.')) continue;
      if (re.test(e.name)) walk(join(dir, e.name), tail);
    }
  }
}

function entries(dir: string): { name: string; dir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return [];
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
