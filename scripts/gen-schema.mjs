// Generates, from the TypeScript spec types (engine/spec/types.ts and the spec.ts of every registered estimator and
// transform, the single source):
//   engine/spec/spec.schema.json — the JSON Schema the validator uses;
//   docs/spec-reference.md       — the reference of every key, from the same doc comments;
//   engine/spec/spec-validators.cjs — ajv's standalone code of every definition of that schema (precompiled
//                                  validators: a command loads them instead of compiling the schema).
// `npm run schema` writes all three; `node scripts/gen-schema.mjs --check` exits 1 when a committed copy is stale.
import { createGenerator } from 'ts-json-schema-generator';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'engine', 'spec', 'spec.schema.json');
const docOut = join(root, 'docs', 'spec-reference.md');
const validatorsOut = join(root, 'engine', 'spec', 'spec-validators.cjs');

/**
 * One schema generator over the spec types and the spec files of the registered modules (each module names its type
 * and file: `spec: { type: 'OlsModel', file: 'engine/estimate/ols/spec.ts' }`).
 */
function generator(files) {
  const rel = [...new Set(files)].map((f) => f.replace(/\\/g, '/'));
  return createGenerator({
    path: join(root, rel.length === 1 ? rel[0] : `{${rel.join(',')}}`),
    tsconfig: join(root, 'tsconfig.json'),
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    sortProps: true,
    additionalProperties: false,
    skipTypeCheck: true,
  });
}

/** JSON Schema definitions of one spec type of a module outside the engine (a plugin, a test fixture). */
export function generateDefinitions(file, type) {
  return generator([file]).createSchema(type).definitions;
}

/**
 * The schema of the spec language. `ModelSpec` and `TransformVariable` are the unions of the spec types of the
 * registered estimators and transforms, in registry order: adding a module adds its definition, with no hand edit.
 * `modules` = { estimators: [{ spec: { type, file } }], transforms: [...] } (the registries' modules).
 */
export function generateSchema(modules) {
  const specFiles = (list) => list.map((m) => m.spec);
  const est = uniqueSpecs(specFiles(modules.estimators));
  const tra = uniqueSpecs(specFiles(modules.transforms));
  const gen = generator(['engine/spec/types.ts', ...est.map((s) => s.file), ...tra.map((s) => s.file)]);
  const top = gen.createSchema('Spec');
  const unionOf = (specs, placeholder) => {
    const defs = {};
    for (const s of specs) Object.assign(defs, gen.createSchema(s.type).definitions);
    const union = { anyOf: specs.map((s) => ({ $ref: `#/definitions/${s.type}` })) };
    const description = top.definitions[placeholder]?.description;
    return { [placeholder]: description ? { ...union, description } : union, ...defs };
  };
  // The module definitions follow their union, where the placeholder stood.
  const definitions = {};
  for (const [name, def] of Object.entries(top.definitions)) {
    if (name === 'ModelSpec') Object.assign(definitions, unionOf(est, 'ModelSpec'));
    else if (name === 'TransformVariable') Object.assign(definitions, unionOf(tra, 'TransformVariable'));
    else if (!(name in definitions)) definitions[name] = def;
  }
  const schema = { ...top, definitions };
  return JSON.stringify(schema, null, 2) + '\n';
}

function uniqueSpecs(specs) {
  const seen = new Set();
  return specs.filter((s) => {
    if (seen.has(s.type)) return false;
    seen.add(s.type);
    return true;
  });
}

/** The registries' modules, from the built engine (dist/; `npm run schema` builds it first). */
export async function builtinModules() {
  const { builtinEstimators } = await import('../dist/estimate/registry.js');
  const { builtinTransforms } = await import('../dist/transforms/registry.js');
  return { estimators: builtinEstimators().modules, transforms: builtinTransforms().modules };
}

/** The Markdown reference of every definition of the schema: one table of keys each. */
export function generateReference(schemaText) {
  const schema = JSON.parse(schemaText);
  const defs = schema.definitions;
  const typeOf = (s) => {
    if (!s) return '';
    if (s.$ref) {
      const name = s.$ref.replace('#/definitions/', '');
      return `[${name}](#${name.toLowerCase()})`;
    }
    if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
    if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
    if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
    if (s.type === 'array') return s.items ? `list of ${typeOf(s.items)}` : 'list';
    if (s.type === 'object') {
      if (s.properties) return 'mapping';
      return s.additionalProperties && s.additionalProperties !== true
        ? `mapping of name → ${typeOf(s.additionalProperties)}`
        : 'mapping';
    }
    return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? '');
  };
  const cell = (t) =>
    String(t ?? '')
      .replace(/\|/g, '\\|')
      .replace(/\n+/g, ' ');
  const lines = [
    '# Spec reference',
    '',
    'Generated by `npm run schema` from the doc comments of the spec types (`engine/spec/types.ts` and the `spec.ts`',
    'beside each estimator and transform). Do not edit: a test fails when this file is stale.',
    '',
  ];
  for (const [name, def] of Object.entries(defs)) {
    lines.push(`## ${name}`, '');
    if (def.description) lines.push(cell(def.description), '');
    if (def.properties) {
      lines.push('| key | type | required | description |', '|---|---|---|---|');
      // Inline mappings (a transform's options) are listed key by key as `outer.inner`.
      const rows = (obj, prefix) => {
        const required = new Set(obj.required ?? []);
        for (const [key, p] of Object.entries(obj.properties)) {
          lines.push(
            `| \`${prefix}${key}\` | ${typeOf(p)} | ${required.has(key) ? 'yes' : ''} | ${cell(p.description)} |`,
          );
          if (p.type === 'object' && p.properties) rows(p, `${prefix}${key}.`);
        }
      };
      rows(def, '');
      lines.push('');
    } else {
      lines.push(`Type: ${typeOf(def)}`, '');
    }
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

/**
 * The precompiled validators of a schema text: ajv's standalone code (CommonJS, so the engine loads it
 * synchronously) of every definition, compiled from the same loose schema with the same options as the engine's
 * run-time compilation (engine/validate/schema-compile.ts), with the SHA-256 of the schema text: the engine uses the
 * file only for exactly that schema.
 */
export async function generateValidators(schemaText, compile) {
  // `compile`: engine/validate/schema-compile's exports (a test passes the TypeScript module; the script the built one).
  const { AJV_OPTIONS, SCHEMA_ID, looseSchema } = compile ?? (await import('../dist/validate/schema-compile.js'));
  const require = createRequire(import.meta.url);
  const { Ajv } = require('ajv');
  const standaloneCode = require('ajv/dist/standalone').default;
  const ajvVersion = require('ajv/package.json').version;
  const schema = JSON.parse(schemaText);
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
  ajv.addSchema(looseSchema(schema), SCHEMA_ID);
  const refs = {};
  for (const name of Object.keys(schema.definitions)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`schema definition ${name} is not an identifier`);
    refs[name] = `${SCHEMA_ID}#/definitions/${name}`;
  }
  const sha = createHash('sha256').update(schemaText).digest('hex');
  return [
    `// Generated by \`npm run schema\` from engine/spec/spec.schema.json with ajv ${ajvVersion} (standalone code); do not edit.`,
    '// The engine uses these validators only while the schema text has the SHA-256 below (else it compiles the schema).',
    standaloneCode(ajv, refs),
    `module.exports = { schemaSha256: ${JSON.stringify(sha)}, validators: exports };`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = generateSchema(await builtinModules());
  const doc = generateReference(text);
  const validators = await generateValidators(text);
  if (process.argv.includes('--check')) {
    let stale = false;
    if (readFileSync(out, 'utf8') !== text) {
      console.error('engine/spec/spec.schema.json is stale: run `npm run schema`');
      stale = true;
    }
    if (readFileSync(docOut, 'utf8') !== doc) {
      console.error('docs/spec-reference.md is stale: run `npm run schema`');
      stale = true;
    }
    if (readFileSync(validatorsOut, 'utf8') !== validators) {
      console.error('engine/spec/spec-validators.cjs is stale: run `npm run schema`');
      stale = true;
    }
    if (stale) process.exit(1);
  } else {
    writeFileSync(out, text);
    mkdirSync(dirname(docOut), { recursive: true });
    writeFileSync(docOut, doc);
    writeFileSync(validatorsOut, validators);
    console.log(`wrote ${out}, ${docOut} and ${validatorsOut}`);
  }
}
