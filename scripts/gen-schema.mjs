// Generates engine/spec/spec.schema.json from the TypeScript spec types (engine/spec/types.ts), the single source.
// `npm run schema` writes it; `node scripts/gen-schema.mjs --check` exits 1 when the committed copy is stale.
import { createGenerator } from 'ts-json-schema-generator';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'engine', 'spec', 'spec.schema.json');

export function generateSchema() {
  const schema = createGenerator({
    path: join(root, 'engine', 'spec', 'types.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    type: 'Spec',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    sortProps: true,
    additionalProperties: false,
    skipTypeCheck: true,
  }).createSchema('Spec');
  return JSON.stringify(schema, null, 2) + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = generateSchema();
  if (process.argv.includes('--check')) {
    const current = readFileSync(out, 'utf8');
    if (current !== text) {
      console.error('engine/spec/spec.schema.json is stale: run `npm run schema`');
      process.exit(1);
    }
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${out}`);
  }
}
