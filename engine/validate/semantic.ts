/**
 * Stage 2b — semantic checks that need the data's column names (read from the header only, not the whole file):
 * every name a derived variable, a sample or a model uses must be a data column (after `rename`) or a derived
 * variable. Each unknown name is reported at the character where the spec writes it, with the nearest names as hint.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { referencedNames } from '../expr/ast.js';
import { parseExpr } from '../expr/parse.js';
import type { LoadedSpec, YamlPath } from '../load/load-spec.js';
import { modelPath, type ModelPlan, type Plan } from '../normalize/plan.js';
import type { ExpressionVariable } from '../spec/types.js';
import type { Estimator } from '../estimate/types.js';
import { inputPath, offsetPosition } from '../core/positions.js';
import type { AnyTransform } from '../transforms/types.js';
import { suggest } from '../core/suggest.js';

/** The registries the semantic checks read module facts from. */
export interface SemanticModules {
  readonly estimators: { of<P extends ModelPlan>(plan: P): Estimator<P> };
  readonly transforms: { find(kind: string): AnyTransform | undefined; kindOf(variable: object): string | null };
}

export function semanticDiagnostics(
  loaded: LoadedSpec,
  plan: Plan,
  columns: readonly string[],
  modules: SemanticModules,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const known = new Set(columns);
  // Two columns with one name after `rename` (engine/data/rename.ts): the rename that took the name is at fault.
  if (known.size < columns.length && plan.data.rename) {
    const seen = new Set<string>();
    const dup = columns.find((c) => {
      if (seen.has(c)) return true;
      seen.add(c);
      return false;
    })!;
    const from = Object.entries(plan.data.rename)
      .filter(([, to]) => to === dup)
      .map(([f]) => f)
      .pop();
    if (from !== undefined) {
      out.push(
        diagnostic('DATA_RENAME_COLLISION', loaded.locateKey(['data', 'rename', from]), {
          from,
          to: dup,
          other: 'another column of the same name after rename',
        }),
      );
    }
  }
  const unknown = (name: string, path: YamlPath, text: string | null) => {
    const at = text === null ? loaded.locate(path) : offsetPosition(loaded, path, Math.max(0, findName(text, name)));
    let suggestion = suggest(name, known, 'variable');
    // In an expression, a bare word compared with == or != (or one close to no column) is most often a text value
    // that wanted quotes: `province == 湖北`.
    const compared =
      text !== null &&
      new RegExp(
        `(==|!=)\\s*${escapeRegExp(name)}(?![\\p{L}\\p{N}_.])|(?<![\\p{L}\\p{N}_.])${escapeRegExp(name)}\\s*(==|!=)`,
        'u',
      ).test(text);
    if (text !== null && (compared || !suggestion.startsWith('did you mean'))) {
      suggestion = `if ${name} is a value, not a column, quote it: '${name}'; otherwise ${suggestion}`;
    }
    out.push(diagnostic('UNKNOWN_VARIABLE', at, { name, suggestion }));
  };
  for (const v of plan.variables) {
    const path: YamlPath = ['variables', v.name];
    const spec = v.spec;
    if (typeof spec === 'string' || (typeof spec === 'object' && 'expr' in spec)) {
      const text = typeof spec === 'string' ? spec : (spec as ExpressionVariable).expr;
      const where = typeof spec === 'string' ? path : [...path, 'expr'];
      for (const n of v.dependsOn) if (!known.has(n)) unknown(n, where, text);
    } else {
      const kind = modules.transforms.kindOf(spec)!;
      const inner = (spec as unknown as Record<string, unknown>)[kind];
      for (const n of v.dependsOn) if (!known.has(n)) unknown(n, [...path, kind, ...inputPath(inner, n)], null);
      // Extra columns a transform writes (sbm's slacks and peers) may be read by later variables.
      for (const c of modules.transforms.find(kind)!.outputs?.(v.name, spec) ?? []) known.add(c);
    }
    known.add(v.name);
  }
  for (const s of plan.samples.values()) {
    for (const n of referencedNames(parseExpr(s.expr))) if (!known.has(n)) unknown(n, ['samples', s.name], s.expr);
  }
  const raw = loaded.value['models'] as Record<string, Record<string, unknown>> | undefined;
  for (const m of plan.models) {
    if (m.sample?.name === 'inline') {
      for (const n of referencedNames(parseExpr(m.sample.expr)))
        if (!known.has(n)) unknown(n, [...modelPath(m), 'sample'], m.sample.expr);
    }
    const seen = new Set<string>();
    for (const c of modules.estimators.of(m).inputs(m)) {
      if (known.has(c.name) || seen.has(c.name)) continue;
      seen.add(c.name);
      const path = modelPath(m);
      const written = path[0] === 'models' ? raw?.[String(path[1])]?.[c.key] : undefined;
      unknown(c.name, [...path, c.key], typeof written === 'string' ? written : null);
    }
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Offset of `name` as a whole word in `text` (−1 when absent). */
function findName(text: string, name: string): number {
  let from = 0;
  for (;;) {
    const i = text.indexOf(name, from);
    if (i < 0) return -1;
    const before = text[i - 1];
    const after = text[i + name.length];
    const word = /[\p{L}\p{N}_.]/u;
    if ((!before || !word.test(before)) && (!after || !word.test(after))) return i;
    from = i + 1;
  }
}
