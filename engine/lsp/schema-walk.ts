/**
 * The spec's JSON Schema (generated from the TypeScript types and their doc comments) read as the editor needs it:
 * which keys a mapping at a YAML path may hold, the documentation of a key, and the values an enum allows.
 * A `$ref` is followed, an `anyOf` (a model of one of several estimators, a variable as an expression or a transform)
 * is read as the union of its branches — narrowed by `estimator:` where the document says which one it is.
 */
import { readFileSync } from 'node:fs';
import { schemaPath } from '../validate/schema.js';

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  required?: string[];
}

let root: { definitions: Record<string, JsonSchema>; $ref: string } | null = null;
function schemaRoot(): { definitions: Record<string, JsonSchema>; $ref: string } {
  root ??= JSON.parse(readFileSync(schemaPath(), 'utf8')) as { definitions: Record<string, JsonSchema>; $ref: string };
  return root!;
}

function deref(s: JsonSchema): JsonSchema {
  let cur = s;
  for (let i = 0; i < 20 && cur.$ref; i++) {
    const name = cur.$ref.replace('#/definitions/', '');
    const next = Object.hasOwn(schemaRoot().definitions, name) ? schemaRoot().definitions[name] : undefined;
    if (!next) break;
    cur = { ...next, description: cur.description ?? next.description };
  }
  return cur;
}

/** Every concrete (non-anyOf) schema a node of this schema may follow. */
function branches(s: JsonSchema): JsonSchema[] {
  const d = deref(s);
  if (!d.anyOf) return [d];
  return d.anyOf.flatMap((b) => branches(b)).map((b) => ({ ...b, description: b.description ?? d.description }));
}

/** The estimator a model branch stands for (its `estimator` property's const or enum). */
function estimatorsOf(s: JsonSchema): string[] {
  const e = s.properties?.['estimator'];
  if (!e) return [];
  const d = deref(e);
  if (d.const !== undefined) return [String(d.const)];
  return (d.enum ?? []).map(String);
}

/**
 * The schemas that apply at a YAML path. `hints` gives values the document holds along the way (the `estimator` of a
 * model), used to pick the branch of an anyOf.
 */
export function schemasAt(
  path: readonly (string | number)[],
  hints: { estimatorAt?: (prefix: readonly (string | number)[]) => string | undefined } = {},
): JsonSchema[] {
  let current: JsonSchema[] = [{ $ref: schemaRoot().$ref }];
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next: JsonSchema[] = [];
    let cands = current.flatMap(branches);
    const est = hints.estimatorAt?.(path.slice(0, i));
    if (est) {
      const narrowed = cands.filter((c) => estimatorsOf(c).includes(est));
      if (narrowed.length > 0) cands = narrowed;
    }
    for (const c of cands) {
      if (typeof key === 'number') {
        if (c.items) next.push(c.items);
        continue;
      }
      if (c.properties && Object.hasOwn(c.properties, key)) next.push(c.properties[key]!);
      else if (c.additionalProperties && typeof c.additionalProperties === 'object') next.push(c.additionalProperties);
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}

export interface KeyInfo {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

/** The keys a mapping at `path` may hold (the union over the branches that apply), with their documentation. */
export function keysAt(path: readonly (string | number)[], hints: Parameters<typeof schemasAt>[1] = {}): KeyInfo[] {
  const out = new Map<string, KeyInfo>();
  for (const b of schemasAt(path, hints).flatMap(branches)) {
    for (const [name, s] of Object.entries(b.properties ?? {})) {
      if (!out.has(name))
        out.set(name, { name, description: describe(s), required: (b.required ?? []).includes(name) });
    }
  }
  return [...out.values()];
}

/** The documentation of the node at `path`, or null when the schema says nothing of it. */
export function describeAt(
  path: readonly (string | number)[],
  hints: Parameters<typeof schemasAt>[1] = {},
): string | null {
  const ss = schemasAt(path, hints);
  if (ss.length === 0) return null;
  const texts = [...new Set(ss.map(describe).filter((t) => t.length > 0))];
  return texts.length ? texts.join('\n\n---\n\n') : null;
}

/** The values an enum (or a union of consts) allows at `path`. */
export function enumAt(path: readonly (string | number)[], hints: Parameters<typeof schemasAt>[1] = {}): string[] {
  const out = new Set<string>();
  for (const b of schemasAt(path, hints).flatMap(branches)) {
    for (const v of b.enum ?? []) out.add(String(v));
    if (b.const !== undefined) out.add(String(b.const));
  }
  return [...out];
}

function describe(s: JsonSchema): string {
  const d = deref(s);
  const parts: string[] = [];
  const text = s.description ?? d.description;
  if (text) parts.push(text);
  const values = branches(d).flatMap((b) => [...(b.enum ?? []), ...(b.const !== undefined ? [b.const] : [])]);
  if (values.length > 0) parts.push(`Values: ${values.map((v) => `\`${String(v)}\``).join(', ')}`);
  return parts.join('\n\n');
}
