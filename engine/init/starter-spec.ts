/**
 * The starter spec `specrun init DATA` writes: the data block (source, unit, period, and `rename` for headers that are
 * not usable as names in formulas), a derived log variable, one model with the panel's fixed effects and one table.
 * It is meant to validate and run as written, and to be edited from there; the columns are listed in a comment.
 */
import { stringify } from 'yaml';
import type { ColumnProfile, PanelGuess } from './profile.js';

export interface StarterInput {
  /** The spec's `data.source`, relative to the spec file. */
  readonly source: string;
  /** The path of the JSON Schema relative to the spec file, for the yaml-language-server modeline. */
  readonly schema: string;
  readonly sheet?: string;
  readonly title: string;
  readonly profiles: readonly ColumnProfile[];
  /** Rows of the data file. */
  readonly rows: number;
  readonly panel: PanelGuess;
  /** The command that wrote the spec (recorded in its first comment). */
  readonly command: string;
}

const NAME = /^[\p{L}_][\p{L}\p{N}_.]*$/u;
const RESERVED = new Set([
  'and',
  'or',
  'not',
  'if',
  'log',
  'ln',
  'exp',
  'sqrt',
  'abs',
  'lag',
  'lead',
  'diff',
  'min',
  'max',
  'round',
]);

/** A YAML scalar, quoted only where YAML needs it. */
function y(s: string): string {
  return stringify(s, { lineWidth: 0 }).trimEnd();
}

/** Column names usable in formulas: headers with spaces, brackets or operators get a safe name (and a `rename`). */
export function safeNames(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set(names.filter((n) => NAME.test(n) && !RESERVED.has(n)));
  for (const n of names) {
    if (NAME.test(n) && !RESERVED.has(n)) {
      out.set(n, n);
      continue;
    }
    let base = n.replace(/[^\p{L}\p{N}_]+/gu, '_').replace(/^_+|_+$/g, '') || 'col';
    if (!/^[\p{L}_]/u.test(base) || RESERVED.has(base)) base = `v_${base}`;
    let name = base;
    for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    out.set(n, name);
  }
  return out;
}

function range(p: ColumnProfile): string {
  if (p.type === 'text') return `${p.distinct} distinct`;
  if (p.min === undefined || Number.isNaN(p.min)) return 'all missing';
  const f = (x: number) => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString());
  return `${f(p.min)} to ${f(p.max!)}`;
}

export function starterSpec(input: StarterInput): string {
  const { profiles, panel } = input;
  const names = safeNames(profiles.map((p) => p.name));
  const nm = (raw: string) => names.get(raw)!;
  const panelCols = new Set([panel.unit, panel.time].filter((x): x is string => x !== null));
  const usable = profiles.filter(
    (p) => p.type === 'numeric' && !panelCols.has(p.name) && p.distinct > 2 && p.missing < 0.5 * input.rows,
  );
  const outcome = usable[0];
  const regressors = usable.slice(1, 4);
  const L: string[] = [];
  L.push(`# yaml-language-server: $schema=${input.schema}`);
  L.push(`# Written by \`${input.command}\`. Edit freely: \`specrun validate\` checks it, \`specrun run\` runs it.`);
  L.push(`title: ${y(input.title)}`);
  L.push('');
  L.push('data:');
  L.push(`  source: ${y(input.source)}`);
  if (input.sheet) L.push(`  sheet: ${y(input.sheet)}`);
  if (panel.unit) L.push(`  unit: ${y(nm(panel.unit))}`);
  if (panel.time) L.push(`  time: ${y(nm(panel.time))}`);
  const renamed = profiles.filter((p) => nm(p.name) !== p.name);
  if (renamed.length > 0) {
    L.push('  rename:                      # headers that are not usable as names in formulas');
    for (const p of renamed) L.push(`    ${y(p.name)}: ${y(nm(p.name))}`);
  }
  L.push('  # Columns (type, missing cells, values):');
  const w = Math.max(...profiles.map((p) => displayWidth(nm(p.name))));
  for (const p of profiles)
    L.push(
      `  #   ${nm(p.name)}${' '.repeat(w - displayWidth(nm(p.name)))}  ${p.type.padEnd(7)}  ${String(p.missing).padStart(6)} missing  ${range(p)}`,
    );
  L.push('');
  let lhs: string | null = null;
  if (outcome) {
    const o = nm(outcome.name);
    if (outcome.positive) {
      lhs = `ln_${o}`;
      L.push('variables:');
      L.push(
        `  ${y(lhs)}: ${y(`log(${o})`)}          # a derived variable; any expression of columns (see the README)`,
      );
      L.push('');
    } else lhs = o;
  }
  if (lhs && regressors.length > 0) {
    const fe = [panel.unit, panel.time].filter((x): x is string => x !== null).map(nm);
    const formula = `${lhs} ~ ${regressors.map((p) => nm(p.name)).join(' + ')}${fe.length ? ` | ${fe.join(' + ')}` : ''}`;
    const vcov = panel.unit ? `cluster(${nm(panel.unit)})` : 'hc1';
    L.push('models:');
    L.push('  main:');
    L.push(`    formula: ${y(formula)}`);
    L.push(`    vcov: ${y(vcov)}`);
    L.push('');
    L.push('tables:');
    L.push('  results:');
    L.push(`    title: ${y(input.title)}`);
    L.push('    columns: [main]');
    L.push(`    stats: [nobs, r2${fe.length ? ', r2_within' : ''}]`);
  } else {
    L.push('# No model was suggested: the file has fewer than two numeric columns besides the panel index.');
  }
  return L.join('\n') + '\n';
}

/** Columns a terminal gives a text: two for CJK and other wide characters, one otherwise. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
      ? 2
      : 1;
  return w;
}
