/** Source positions: where in which YAML file a node was written, down to the character of a scalar. */

export interface SourcePosition {
  /** File the node came from (as given on the command line or resolved through `extends`). */
  file: string;
  /** YAML path of the node, dotted (`models.fe_all.formula`). Empty for the whole file. */
  path: string;
  /** 1-based line; 0 when unknown. */
  line: number;
  /** 1-based column; 0 when unknown. */
  col: number;
}

/** What positions are read from: a loaded spec (engine/load `LoadedSpec`) locates paths and keeps each file's text. */
export interface Locatable {
  locate(path: readonly (string | number)[]): SourcePosition;
  readonly layers: readonly { readonly file: string; readonly text: string }[];
}

/** Position of character `offset` inside the scalar at `path` (best effort for plain and quoted one-line scalars). */
export function offsetPosition(loaded: Locatable, path: readonly (string | number)[], offset: number): SourcePosition {
  const pos = loaded.locate(path);
  if (pos.line === 0) return pos;
  const layer = loaded.layers.find((l) => l.file === pos.file);
  const lineText = layer?.text.split('\n')[pos.line - 1] ?? '';
  const quoted = lineText[pos.col - 1] === '"' || lineText[pos.col - 1] === "'";
  return { ...pos, col: pos.col + offset + (quoted ? 1 : 0) };
}

/** The path, below a mapping, where the text `name` is written as a value (a key, or a key and an index); [] if none. */
export function inputPath(options: unknown, name: string): (string | number)[] {
  if (typeof options !== 'object' || options === null) return [];
  for (const [key, v] of Object.entries(options)) {
    if (v === name) return [key];
    if (Array.isArray(v)) {
      const i = v.indexOf(name);
      if (i >= 0) return [key, i];
    }
  }
  return [];
}
