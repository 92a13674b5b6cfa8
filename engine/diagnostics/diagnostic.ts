/**
 * Diagnostics: every problem specrun reports is one of these records. They are collected, not thrown,
 * and turned into `file:line:col code message` (plus a hint) only at the edge, by the CLI.
 */
import type { SourcePosition } from '../core/positions.js';
import { catalogue, type DiagnosticCode, type Severity } from './catalogue.js';

export type { Severity };

export type { SourcePosition };

export interface Diagnostic extends SourcePosition {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  hint: string;
}

/** Build a diagnostic from the catalogue entry for `code`. */
export function diagnostic(
  code: DiagnosticCode,
  at: SourcePosition,
  args: Record<string, string | number> = {},
): Diagnostic {
  const entry = catalogue[code];
  return {
    code,
    severity: entry.severity,
    ...at,
    message: fill(entry.message, args),
    hint: fill(entry.hint, args),
  };
}

/** Replace `{name}` placeholders with the given arguments (no evaluation of anything). */
function fill(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(args, key) ? String(args[key]) : whole));
}

/**
 * A failure raised deep inside a pure stage (an estimator, a transform, a reader) that has no source position.
 * The orchestrator catches it and attaches the position of the model or variable that caused it.
 */
export class SpecrunError extends Error {
  readonly code: DiagnosticCode;
  readonly args: Record<string, string | number>;
  constructor(code: DiagnosticCode, args: Record<string, string | number> = {}) {
    super(fill(catalogue[code].message, args));
    this.name = 'SpecrunError';
    this.code = code;
    this.args = args;
  }
}

/** A note attached to a result or a data step: what was dropped, what was fixed, what to watch. */
export interface Note {
  code: DiagnosticCode;
  message: string;
  /** The hint with its placeholders filled (absent when the catalogue entry has none). */
  hint?: string;
}

export function note(code: DiagnosticCode, args: Record<string, string | number> = {}): Note {
  const hint = catalogue[code].hint;
  return hint
    ? { code, message: fill(catalogue[code].message, args), hint: fill(hint, args) }
    : { code, message: fill(catalogue[code].message, args) };
}

/** Format one diagnostic the way the CLI prints it: `file:line:col CODE message` then an indented hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${printable(d.file)}:${d.line}:${d.col}`;
  const pathPart = d.path ? ` (at ${printable(d.path)})` : '';
  const severity = d.severity === 'error' ? '' : ` [${d.severity}]`;
  const hint = d.hint ? `\n  hint: ${printable(d.hint)}` : '';
  return `${where} ${d.code} ${printable(d.message)}${pathPart}${severity}${hint}`;
}

/**
 * Text from a spec or a data cell made safe for a terminal: control characters (an ESC that would recolour the
 * screen, a BEL, a carriage return that would overwrite the line) and bidirectional overrides are shown as `\xNN` /
 * `\u{NNNN}` escapes instead of being sent raw.
 */
export function printable(s: string): string {
  let out = '';
  for (const ch of s) {
    const n = ch.codePointAt(0)!;
    const unsafe =
      n < 0x20 ||
      (n >= 0x7f && n <= 0x9f) ||
      n === 0x200e ||
      n === 0x200f ||
      (n >= 0x202a && n <= 0x202e) ||
      (n >= 0x2066 && n <= 0x2069);
    if (!unsafe) out += ch;
    else out += n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  }
  return out;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** The notes of warning severity as diagnostics at `at` (infos stay notes in the results). */
export function warningsAt(notes: readonly Note[], at: SourcePosition): Diagnostic[] {
  return notes
    .filter((n) => catalogue[n.code].severity === 'warning')
    .map((n) => ({
      ...at,
      code: n.code,
      severity: 'warning' as const,
      message: n.message,
      hint: n.hint ?? catalogue[n.code].hint,
    }));
}
