/**
 * Stage 2a — schema: check the merged spec against the JSON Schema generated from the TypeScript types, and map each
 * ajv error back to the YAML line:column it concerns. Models and variables are checked one by one against the
 * definition their discriminating key selects (`estimator`, or the transform's single key), so an error speaks of
 * the one kind the user meant instead of every branch of a union.
 */
import { expandGrid } from '../normalize/grid.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedSpec, YamlPath } from '../load/load-spec.js';
import { isPlainObject } from '../load/merge.js';
import { suggest } from '../core/suggest.js';
import { packageRoot } from '../version.js';
import type { SpecType } from '../spec/module-spec.js';
import { DEFAULT_ESTIMATOR } from '../spec/defaults.js';
import { sha256 } from '../core/hashing.js';
import { compileValidators, precompiledValidators, type Validators } from './schema-compile.js';

type Schema = { definitions: Record<string, any> } & Record<string, any>;

/** What the schema check needs of the registries: each module's kind and the definition of its spec type. */
export interface SpecModules {
  readonly estimators: { readonly modules: readonly { readonly kind: string; readonly spec: SpecType }[] };
  readonly transforms: { readonly modules: readonly { readonly kind: string; readonly spec: SpecType }[] };
}

/** The expression variable written as a mapping (`{ expr: …, label: … }`), checked like a transform. */
const EXPRESSION_DEFINITION = 'ExpressionVariable';

interface Compiled {
  readonly top: ValidateFunction;
  readonly defs: Validators;
  readonly schema: Schema;
  readonly estimators: Map<string, string>;
  readonly transforms: Map<string, string>;
}

export function schemaPath(): string {
  // The schema sits in the source tree, beside the types it is generated from (also for the built CLI in dist/).
  return join(packageRoot(), 'engine', 'spec', 'spec.schema.json');
}

/**
 * The schema check of one run: the committed schema, with each registered module checked against its own
 * definition (a module registered from outside the engine brings its definitions). Compiled once, on first use.
 */
export class SchemaChecker {
  private compiled: Compiled | null = null;

  /** `precompiled: false` always compiles the schema with ajv (a test compares both ways). */
  constructor(
    private readonly modules: SpecModules,
    private readonly opts: { precompiled?: boolean } = {},
  ) {}

  /** True when the last compilation used the precompiled validators (engine/validate/schema-compile.ts). */
  precompiled = false;

  private validators(): Compiled {
    if (this.compiled) return this.compiled;
    const text = readFileSync(schemaPath(), 'utf8');
    const schema = JSON.parse(text) as Schema;
    const all = [...this.modules.estimators.modules, ...this.modules.transforms.modules];
    // A module from outside the engine may bring definitions the committed schema lacks: then the schema is no
    // longer the one the precompiled validators were generated from, and ajv compiles it here.
    let extended = false;
    for (const m of all) {
      for (const [name, def] of Object.entries(m.spec.definitions ?? {})) {
        if (!Object.hasOwn(schema.definitions, name)) {
          schema.definitions[name] = def;
          extended = true;
        }
      }
    }
    for (const m of all) {
      if (!schema.definitions[m.spec.type])
        throw new Error(`no schema definition ${m.spec.type} for ${m.kind} (run npm run schema)`);
    }
    const pre = extended || this.opts.precompiled === false ? null : precompiledValidators(sha256(text));
    this.precompiled = pre !== null;
    const defs = pre ?? compileValidators(schema);
    const top = defs('Spec')!;
    const estimators = new Map(this.modules.estimators.modules.map((m) => [m.kind, m.spec.type]));
    const transforms = new Map(this.modules.transforms.modules.map((m) => [m.kind, m.spec.type]));
    transforms.set('expr', EXPRESSION_DEFINITION);
    this.compiled = { top, defs, schema, estimators, transforms };
    return this.compiled;
  }

  check(spec: LoadedSpec): Diagnostic[] {
    const { top, defs, schema, estimators, transforms } = this.validators();
    const out: Diagnostic[] = [];
    const value = spec.value;
    if (!top(value)) out.push(...mapErrors(spec, top.errors ?? [], [], schema));
    const models = value['models'];
    if (isPlainObject(models)) {
      for (const [id, m] of Object.entries(models)) {
        if (!isPlainObject(m)) continue;
        const est = m['estimator'] ?? DEFAULT_ESTIMATOR;
        const def = typeof est === 'string' ? estimators.get(est) : undefined;
        if (!def) {
          out.push(
            diagnostic('UNKNOWN_ESTIMATOR', spec.locate(['models', id, 'estimator']), {
              name: String(est),
              known: [...estimators.keys()].join(', '),
            }),
          );
          continue;
        }
        const v = defs(def)!;
        if (!v(m)) out.push(...mapErrors(spec, v.errors ?? [], ['models', id], schema));
      }
    }
    // grids: each model of a grid against its estimator's definition, errors at the template or the alternative
    // that wrote the key (engine/normalize/grid.ts)
    const grids = value['grids'];
    if (isPlainObject(grids)) {
      const seen = new Set<string>();
      for (const [gid, g] of Object.entries(grids)) {
        for (const gm of expandGrid(gid, g).models) {
          const est = gm.raw['estimator'] ?? DEFAULT_ESTIMATOR;
          const def = typeof est === 'string' ? estimators.get(est) : undefined;
          const errs: Diagnostic[] = [];
          if (!def) {
            errs.push(
              diagnostic('UNKNOWN_ESTIMATOR', spec.locate(gm.keyPath('estimator')), {
                name: String(est),
                known: [...estimators.keys()].join(', '),
              }),
            );
          } else {
            const v = defs(def)!;
            if (!v(gm.raw)) {
              for (const e of v.errors ?? []) {
                const top =
                  pointerToPath(e.instancePath)[0] ?? (e.params as { additionalProperty?: string }).additionalProperty;
                const prefix = top === undefined ? gm.keyPath('').slice(0, -1) : gm.keyPath(String(top)).slice(0, -1);
                errs.push(...mapErrors(spec, [e], prefix, schema));
              }
            }
          }
          for (const d of errs) {
            const k = `${d.code}:${d.line}:${d.col}:${d.message}`;
            if (!seen.has(k)) {
              seen.add(k);
              out.push(d);
            }
          }
        }
      }
    }
    const variables = value['variables'];
    if (isPlainObject(variables)) {
      for (const [name, spec_] of Object.entries(variables)) {
        if (!isPlainObject(spec_)) continue;
        const keys = Object.keys(spec_);
        const kind = keys.find((k) => transforms.has(k));
        if (!kind) {
          out.push(
            diagnostic('SCHEMA_INVALID', spec.locate(['variables', name]), {
              detail: `variable ${name} must be an expression or one of ${[...transforms.keys()].map((k) => `{ ${k}: … }`).join(', ')}`,
            }),
          );
          continue;
        }
        const v = defs(transforms.get(kind)!)!;
        if (!v(spec_)) out.push(...mapErrors(spec, v.errors ?? [], ['variables', name], schema));
      }
    }
    return out;
  }
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => {
      const u = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(u) ? Number(u) : u;
    });
}

function describeSchema(s: any, schema: Schema): string {
  if (!s) return 'valid';
  if (s.$ref) return describeSchema(schema.definitions[s.$ref.replace('#/definitions/', '')], schema);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `one of ${s.enum.map((x: unknown) => JSON.stringify(x)).join(', ')}`;
  if (s.anyOf) return s.anyOf.map((x: any) => describeSchema(x, schema)).join(' or ');
  if (s.type === 'array') return 'a list';
  if (s.type === 'object') return 'a mapping';
  if (s.type === 'string') return 'a text';
  if (s.type === 'number' || s.type === 'integer') return 'a number';
  if (s.type === 'boolean') return 'true or false';
  return 'valid';
}

function mapErrors(spec: LoadedSpec, errors: ErrorObject[], prefix: YamlPath, schema: Schema): Diagnostic[] {
  const out: Diagnostic[] = [];
  // An anyOf failure explains itself; the branch errors beneath it are noise.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/')))
      continue;
    const path = [...prefix, ...pointerToPath(e.instancePath)];
    const shown = path.join('.') || '(top level)';
    let d: Diagnostic;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((e.parentSchema as any)?.properties ?? {});
        d = diagnostic('SCHEMA_UNKNOWN_KEY', spec.locateKey([...path, key]), {
          key,
          suggestion: suggest(key, allowed, 'key'),
        });
        break;
      }
      case 'required': {
        const key = (e.params as { missingProperty: string }).missingProperty;
        d = diagnostic('SCHEMA_REQUIRED', spec.locate(path), { key });
        break;
      }
      case 'enum':
      case 'const': {
        const allowed =
          e.keyword === 'enum'
            ? (e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')
            : JSON.stringify((e.params as { allowedValue: unknown }).allowedValue);
        d = diagnostic('SCHEMA_ENUM', spec.locate(path), { path: shown, allowed });
        break;
      }
      case 'type':
      case 'anyOf':
        d = diagnostic('SCHEMA_TYPE', spec.locate(path), {
          path: shown,
          expected: describeSchema(e.parentSchema, schema),
        });
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
      case 'multipleOf':
        d = diagnostic('SCHEMA_RANGE', spec.locate(path), {
          path: shown,
          detail: `${e.message ?? 'is out of range'}, got ${JSON.stringify(e.data)}`,
        });
        break;
      default:
        d = diagnostic('SCHEMA_INVALID', spec.locate(path), { detail: `${shown} ${e.message ?? 'is invalid'}` });
    }
    const key = `${d.code}|${d.line}|${d.col}|${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}
