/**
 * Stage 2c — rules a schema cannot express, checked on the normalized plan before any data is read. Each closes a
 * way in which a spec used to produce a wrong result silently (issue 13):
 * - table ids name output files, so they must be safe file names (no `../README`);
 * - the spans of a table's `groups` must fit its columns.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../load/load-spec.js';
import type { Plan } from '../normalize/plan.js';

/** The longest id that names a file (file systems allow 255 bytes; a suffix and the document name need room). */
export const MAX_FILE_ID_LENGTH = 100;

/** Why `name` cannot be a file name inside the output folder, or null when it can. */
export function unsafeFileName(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_FILE_ID_LENGTH) return `it is longer than ${MAX_FILE_ID_LENGTH} characters`;
  if (name.startsWith('.')) return 'it starts with `.` (a hidden file, or a parent folder)';
  const bad = /[^\p{L}\p{N}_.\-]/u.exec(name);
  if (bad) {
    const ch = bad[0]!;
    const shown = /[\p{Cc}\p{Cf}\s]/u.test(ch) ? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
    return `it contains ${shown}${ch === '/' || ch === '\\' ? ' (a folder separator)' : ''}`;
  }
  return null;
}

export function specRuleDiagnostics(loaded: LoadedSpec, plan: Plan): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of plan.tables) {
    const reason = unsafeFileName(t.id);
    if (reason) out.push(diagnostic('UNSAFE_NAME', loaded.locateKey(['tables', t.id]), { kind: 'table', name: JSON.stringify(t.id), reason }));
  }
  for (const t of plan.tables) {
    if (t.layout === 'grid' || !Array.isArray(t.spec.groups)) continue;
    const columns = t.layout === 'mediation' ? 3 : t.spec.columns.length;
    let spanned = 0;
    t.spec.groups.forEach((g, i) => {
      const before = spanned;
      spanned += Number(g?.span ?? 0);
      if (before <= columns && spanned > columns) {
        out.push(diagnostic('TABLE_GROUP_SPAN', loaded.locate(['tables', t.id, 'groups', i, 'span']), {
          table: t.id, spanned: t.spec.groups!.reduce((s, x) => s + Number(x?.span ?? 0), 0), columns,
        }));
      }
    });
  }
  return out;
}
