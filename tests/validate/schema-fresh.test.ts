import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain ESM script without type declarations
import { generateSchema } from '../../scripts/gen-schema.mjs';

describe('spec schema', () => {
  it('the committed engine/spec/spec.schema.json is generated from engine/spec/types.ts (run `npm run schema`)', () => {
    const committed = readFileSync(new URL('../../engine/spec/spec.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe((generateSchema as () => string)());
  });
});
