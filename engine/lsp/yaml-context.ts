/**
 * Where the cursor is in a spec, read from the text's lines and indentation — so that it also works while the YAML
 * being typed is incomplete (a key with no value yet, an unclosed flow list), which a YAML parser would reject.
 * Block style, which specs are written in, is what this reads; inside a flow collection the line's key is used.
 */

export interface CursorContext {
  /**
   * kind 'key': the path of the key under the cursor (its mapping's path, then the key or the word being typed).
   * kind 'value': the path of the key whose value holds the cursor (a list item adds index 0).
   */
  readonly path: readonly (string | number)[];
  readonly kind: 'key' | 'value';
  /** The name (identifier) around the cursor, and its start and end character on the line. */
  readonly word: string;
  readonly wordStart: number;
  readonly wordEnd: number;
}

const KEY_LINE = /^(\s*)(-\s+)?("[^"]*"|'[^']*'|[^\s#:'"{}[\],-][^:#]*?)\s*:(\s|$)/;
const DASH = /^(\s*)-(\s+|$)/;
const NAME_CHAR = /[\p{L}\p{N}_.]/u;

function unquote(k: string): string {
  return /^["'].*["']$/.test(k) ? k.slice(1, -1) : k.trim();
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The path of the mapping that a line starting at column `limit` belongs to (the keys above it, outermost first). */
export function parentPath(lines: readonly string[], lineNo: number, limit: number): (string | number)[] {
  const path: (string | number)[] = [];
  for (let i = lineNo - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const ind = indentOf(line);
    if (ind >= limit) continue;
    const m = KEY_LINE.exec(line);
    const dash = DASH.exec(line);
    if (dash) {
      const content = dash[0].length;
      // `- key: v` then a line at the item's content column: a sibling key of the same item.
      // A line deeper than that: nested under the item's key.
      if (m && limit > content) path.unshift(unquote(m[3]!));
      path.unshift(0);
    } else if (m) path.unshift(unquote(m[3]!));
    else continue;
    limit = ind;
  }
  return path;
}

export function cursorContext(text: string, line: number, character: number): CursorContext {
  const lines = text.split(/\r?\n/);
  const cur = lines[line] ?? '';
  const at = Math.min(character, cur.length);
  let s = at;
  let e = at;
  while (s > 0 && NAME_CHAR.test(cur[s - 1]!)) s--;
  while (e < cur.length && NAME_CHAR.test(cur[e]!)) e++;
  const w = { word: cur.slice(s, e), wordStart: s, wordEnd: e };
  const indent = indentOf(cur);
  const mapping = parentPath(lines, line, indent);
  const m = KEY_LINE.exec(cur);
  const dash = DASH.exec(cur);
  if (m) {
    const base = m[2] ? [...mapping, 0] : mapping;
    const key = unquote(m[3]!);
    const keyEnd = m[1]!.length + (m[2]?.length ?? 0) + m[3]!.length;
    return { path: [...base, key], kind: at <= keyEnd ? 'key' : 'value', ...w };
  }
  if (dash) return { path: [...mapping, 0], kind: 'value', ...w };
  return { path: [...mapping, w.word], kind: 'key', ...w };
}
