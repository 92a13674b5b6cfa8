import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain ESM script without type declarations
import { generateReference, generateSchema } from '../../scripts/gen-schema.mjs';

describe('spec schema and reference', () => {
  const schema = (generateSchema as () => string)();
  it('the committed engine/spec/spec.schema.json is generated from engine/spec/types.ts (run `npm run schema`)', () => {
    const committed = readFileSync(new URL('../../engine/spec/spec.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(schema);
  });
  it('the committed docs/spec-reference.md is generated from the same doc comments (run `npm run schema`)', () => {
    const committed = readFileSync(new URL('../../docs/spec-reference.md', import.meta.url), 'utf8');
    expect(committed).toBe((generateReference as (s: string) => string)(schema));
  });
});
