/**
 * Stage 2c — rules a schema cannot express, checked on the normalized plan before any data is read. Each closes a
 * way in which a spec used to produce a wrong result silently (issue 13):
 * - table ids name output files, so they must be safe file names (no `../README`);
 * - the spans of a table's `groups` must fit its columns.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../load/load-spec.js';
import type { Plan } from '../normalize/plan.js';
import type { Expr } from '../expr/ast.js';
import { FUNCTIONS } from '../expr/evaluate.js';
import { parseExpr } from '../expr/parse.js';

/** The longest id that names a file (file systems allow 255 bytes; a suffix and the document name need room). */
export const MAX_FILE_ID_LENGTH = 100;

/** Why `name` cannot be a file name inside the output folder, or null when it can. */
export function unsafeFileName(name: string): string | null {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_FILE_ID_LENGTH) return `it is longer than ${MAX_FILE_ID_LENGTH} characters`;
  if (name.startsWith('.')) return 'it starts with `.` (a hidden file, or a parent folder)';
  const bad = /[^\p{L}\p{N}_.-]/u.exec(name);
  if (bad) {
    const ch = bad[0]!;
    const shown = /[\p{Cc}\p{Cf}\s]/u.test(ch)
      ? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
      : `'${ch}'`;
    return `it contains ${shown}${ch === '/' || ch === '\\' ? ' (a folder separator)' : ''}`;
  }
  return null;
}

export function specRuleDiagnostics(loaded: LoadedSpec, plan: Plan): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of plan.tables) {
    const reason = unsafeFileName(t.id);
    if (reason)
      out.push(
        diagnostic('UNSAFE_NAME', loaded.locateKey(['tables', t.id]), {
          kind: 'table',
          name: JSON.stringify(t.id),
          reason,
        }),
      );
  }
  // Panel functions (lag, lead, diff) need data.unit and data.time; a built-in dataset declares its own.
  if (
    (!plan.data.unit || !plan.data.time) &&
    !(typeof plan.data.source === 'string' && plan.data.source.startsWith('builtin:'))
  ) {
    const panelCall = (src: string): string | null => {
      try {
        return firstPanelCall(parseExpr(src));
      } catch {
        return null;
      }
    };
    for (const v of plan.variables) {
      const src =
        typeof v.spec === 'string'
          ? v.spec
          : typeof (v.spec as { expr?: unknown }).expr === 'string'
            ? (v.spec as { expr: string }).expr
            : null;
      const fn = src === null ? null : panelCall(src);
      if (fn) out.push(diagnostic('EXPR_NEEDS_PANEL', v.source, { name: fn }));
    }
    for (const s of plan.samples.values()) {
      const fn = panelCall(s.expr);
      if (fn) out.push(diagnostic('EXPR_NEEDS_PANEL', loaded.locate(['samples', s.name]), { name: fn }));
    }
  }
  for (const t of plan.tables) {
    if ((t.layout !== 'regression' && t.layout !== 'mediation') || !Array.isArray(t.spec.groups)) continue;
    const columns = t.layout === 'mediation' ? 3 : t.spec.columns.length;
    let spanned = 0;
    t.spec.groups.forEach((g, i) => {
      const before = spanned;
      spanned += Number(g?.span ?? 0);
      if (before <= columns && spanned > columns) {
        out.push(
          diagnostic('TABLE_GROUP_SPAN', loaded.locate(['tables', t.id, 'groups', i, 'span']), {
            table: t.id,
            spanned: t.spec.groups.reduce((s, x) => s + Number(x?.span ?? 0), 0),
            columns,
          }),
        );
      }
    });
  }
  return out;
}

/** The first call of a panel function (lag, lead, diff) in an expression, or null. */
function firstPanelCall(e: Expr): string | null {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'call') {
      if (FUNCTIONS[x.name]?.panel) return x.name;
      stack.push(...x.args);
    } else if (x.kind === 'unary') stack.push(x.arg);
    else if (x.kind === 'binary') stack.push(x.left, x.right);
  }
  return null;
}
