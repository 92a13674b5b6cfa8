/**
 * How the spec schema becomes validator functions, shared by the two ways of getting them:
 * - precompiled: `npm run schema` writes ajv's standalone code of every definition of the committed schema to
 *   `engine/spec/spec-validators.cjs` (with the SHA-256 of the schema text it was compiled from), so a command
 *   loads plain functions instead of compiling the schema (ajv's compilation was ≈40% of `specrun validate`);
 * - at run time: when the schema text differs from the one the file was compiled from, or a module registered from
 *   outside the engine brings definitions of its own, ajv compiles the schema here, loaded only then.
 * Both compile the same "loose" schema with the same options, so they give the same errors.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv as AjvType, Options, ValidateFunction } from 'ajv';
import { packageRoot } from '../version.js';

/** The parts of a JSON Schema node the engine reads; everything else is ajv's. */
export interface SchemaNode {
  readonly $ref?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly SchemaNode[];
  readonly type?: string | readonly string[];
  properties?: Record<string, SchemaNode>;
  readonly [keyword: string]: unknown;
}

/** The generated spec schema: its definitions by type name. */
export interface Schema {
  definitions: Record<string, SchemaNode>;
  readonly [keyword: string]: unknown;
}

/** ajv's options for the spec schema (the standalone generator adds `code: { source: true }`). */
export const AJV_OPTIONS: Options = { allErrors: true, strict: false, verbose: true };

/** The id the schema is registered under; definitions are `spec#/definitions/NAME`. */
export const SCHEMA_ID = 'spec';

/**
 * The schema as compiled: `models` and `variables` of the top level only as mappings, because each model and
 * variable is checked against the one definition its discriminating key selects (engine/validate/schema.ts).
 */
export function looseSchema(schema: Schema): Schema {
  const loose = structuredClone(schema);
  const top = loose.definitions['Spec']!.properties!;
  top['models'] = { type: 'object', additionalProperties: { type: 'object' } };
  top['variables'] = {
    type: 'object',
    additionalProperties: { anyOf: [{ type: 'string' }, { type: 'object' }] },
  };
  return loose;
}

/** A lookup of each definition's validator by name (compiled on first use). */
export type Validators = (name: string) => ValidateFunction | undefined;

const require = createRequire(import.meta.url);

/** Compile `schema` with ajv now (ajv is loaded only on this path). */
export function compileValidators(schema: Schema): Validators {
  const { Ajv } = require('ajv') as { Ajv: new (o: Options) => AjvType };
  const ajv = new Ajv(AJV_OPTIONS);
  ajv.addSchema(looseSchema(schema), SCHEMA_ID);
  const compiled = new Map<string, ValidateFunction | undefined>();
  return (name) => {
    if (!compiled.has(name)) {
      compiled.set(
        name,
        Object.hasOwn(schema.definitions, name) ? ajv.getSchema(`${SCHEMA_ID}#/definitions/${name}`) : undefined,
      );
    }
    return compiled.get(name);
  };
}

/** Where `npm run schema` writes the precompiled validators (in the source tree, beside the schema). */
export function precompiledPath(): string {
  return join(packageRoot(), 'engine', 'spec', 'spec-validators.cjs');
}

/**
 * The precompiled validators when they were compiled from exactly `schemaSha256` (the SHA-256 of the schema's
 * text), else null (a stale or missing file is never used: the caller compiles instead).
 */
export function precompiledValidators(schemaSha256: string): Validators | null {
  let mod: Record<string, unknown>;
  try {
    mod = require(precompiledPath()) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (mod['schemaSha256'] !== schemaSha256) return null;
  const fns = mod['validators'] as Record<string, ValidateFunction> | undefined;
  if (!fns) return null;
  return (name) => (Object.hasOwn(fns, name) ? fns[name] : undefined);
}
