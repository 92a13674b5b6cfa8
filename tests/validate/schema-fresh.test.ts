import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain ESM script without type declarations
import { generateReference, generateSchema } from '../../scripts/gen-schema.mjs';
import { builtinEstimators } from '../../engine/estimate/registry.js';
import { builtinTransforms } from '../../engine/transforms/registry.js';

describe('spec schema and reference', () => {
  // The registries name every module's spec type; the schema's unions are built from them.
  const modules = { estimators: builtinEstimators().modules, transforms: builtinTransforms().modules };
  const schema = (generateSchema as (m: unknown) => string)(modules);
  it('the committed engine/spec/spec.schema.json is generated from the spec types (run `npm run schema`)', () => {
    const committed = readFileSync(new URL('../../engine/spec/spec.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(schema);
  });
  it('the committed docs/spec-reference.md is generated from the same doc comments (run `npm run schema`)', () => {
    const committed = readFileSync(new URL('../../docs/spec-reference.md', import.meta.url), 'utf8');
    expect(committed).toBe((generateReference as (s: string) => string)(schema));
  });
  it('every registered module has its spec type in the schema, and the unions list exactly the registered ones', () => {
    const defs = JSON.parse(schema).definitions as Record<string, { anyOf?: { $ref: string }[] }>;
    const refs = (name: string) => defs[name]!.anyOf!.map((r) => r.$ref.replace('#/definitions/', ''));
    expect(refs('ModelSpec')).toEqual([...new Set(modules.estimators.map((m) => m.spec.type))]);
    expect(refs('TransformVariable')).toEqual(modules.transforms.map((m) => m.spec.type));
    for (const m of [...modules.estimators, ...modules.transforms]) expect(defs[m.spec.type], m.kind).toBeDefined();
  });
});
