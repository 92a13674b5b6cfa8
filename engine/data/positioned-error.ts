/** A diagnostic thrown through the data stage (the first fatal problem ends it), and how a YAML path is located. */
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import type { YamlPath } from '../load/load-spec.js';

export class PositionedError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export type Locate = (path: YamlPath) => SourcePosition;
