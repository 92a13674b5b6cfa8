/**
 * The precompiled validators (engine/spec/spec-validators.cjs, written by `npm run schema`) are the committed schema's,
 * and give exactly the diagnostics of ajv compiling the schema at run time, on every spec of the repository (the
 * paper, the examples and the bad-input catalogue, whose cases break the schema on purpose).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain ESM script without type declarations
import { generateValidators } from '../../scripts/gen-schema.mjs';
import * as schemaCompile from '../../engine/validate/schema-compile.js';
import { builtinEstimators } from '../../engine/estimate/registry.js';
import { builtinTransforms } from '../../engine/transforms/registry.js';
import { SchemaChecker } from '../../engine/validate/schema.js';
import { loadSpec } from '../../engine/load/load-spec.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (e.name.endsWith('.yaml')) out.push(p);
  }
  return out.sort();
}

describe('precompiled schema validators', () => {
  it('the committed engine/spec/spec-validators.cjs is compiled from the committed schema (run `npm run schema`)', async () => {
    const schema = readFileSync(join(root, 'engine/spec/spec.schema.json'), 'utf8');
    const committed = readFileSync(join(root, 'engine/spec/spec-validators.cjs'), 'utf8');
    const generate = generateValidators as (text: string, lib: unknown) => Promise<string>;
    expect(committed).toBe(await generate(schema, schemaCompile));
  });

  it('give the same diagnostics as ajv compiling the schema at run time, on every spec of the repository', () => {
    const modules = { estimators: builtinEstimators(), transforms: builtinTransforms() };
    const pre = new SchemaChecker(modules);
    const compiled = new SchemaChecker(modules, { precompiled: false });
    const files = [...yamlFiles('specs'), ...yamlFiles('tests/bad-input/cases')];
    let checked = 0;
    let withErrors = 0;
    for (const f of files) {
      const { spec } = loadSpec(join(root, f), root);
      if (!spec) continue;
      const a = pre.check(spec);
      expect(a, f).toEqual(compiled.check(spec));
      checked++;
      if (a.length > 0) withErrors++;
    }
    expect(pre.precompiled).toBe(true);
    expect(compiled.precompiled).toBe(false);
    // The comparison covers specs that pass and specs that fail the schema.
    expect(checked).toBeGreaterThan(20);
    expect(withErrors).toBeGreaterThan(5);
  });

  it('are not used for a schema they were not compiled from', () => {
    expect(schemaCompile.precompiledValidators('0'.repeat(64))).toBeNull();
  });
});
