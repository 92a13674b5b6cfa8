/**
 * Math in labels: a text may write a subscript as `_{…}` and a superscript as `^{…}` (`hgdp_{t-1}`, `R^{2}`). Every
 * format sets these its own way (LaTeX `$_{t-1}$`, HTML `<sub>`, Word a subscript run, Markdown `<sub>`); formats
 * without scripts (CSV, XLSX) print the plain reading `hgdp(t-1)`. A bare `_` (as in `r2_adj`) is plain text.
 */

export interface TextRun {
  readonly text: string;
  readonly script: 'sub' | 'sup' | null;
}

const SCRIPT = /([_^])\{([^{}]*)\}/g;

/** Split a text into runs of plain text, subscripts and superscripts. */
export function richRuns(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let last = 0;
  for (const m of text.matchAll(SCRIPT)) {
    const at = m.index ?? 0;
    if (at > last) runs.push({ text: text.slice(last, at), script: null });
    runs.push({ text: m[2] ?? '', script: m[1] === '_' ? 'sub' : 'sup' });
    last = at + m[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), script: null });
  return runs;
}

/** Whether a text has any script to set. */
export function hasScripts(text: string): boolean {
  return /[_^]\{[^{}]*\}/.test(text);
}

/** The plain reading of a text with scripts: a subscript in parentheses (`hgdp(t-1)`), a superscript as `^2`. */
export function plainText(text: string): string {
  return richRuns(text)
    .map((r) => (r.script === 'sub' ? `(${r.text})` : r.script === 'sup' ? `^${r.text}` : r.text))
    .join('');
}
