/** How an estimator or transform module names its user-tier spec type (the source of its schema definition). */

/** Name and location of a module's user-tier spec type, and its JSON Schema when not in spec.schema.json. */
export interface SpecType {
  /** The exported type (`OlsModel`): its definition in the generated schema checks the model's keys. */
  readonly type: string;
  /** The file that exports it, relative to the package root (`engine/estimate/ols/spec.ts`). */
  readonly file: string;
  /**
   * JSON Schema definitions, for a module registered from outside the engine (the committed
   * engine/spec/spec.schema.json already holds every built-in one). Generated from `file` by scripts/gen-schema.mjs.
   */
  readonly definitions?: Readonly<Record<string, unknown>>;
}
